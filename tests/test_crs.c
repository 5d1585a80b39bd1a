/* SPDX-License-Identifier: MIT */
/* test_crs.c - tests crs.c: zone choice, round trips through PROJ, source
 * CRS handling and the database area. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "crs.h"
#include <math.h>
#include <string.h>

static void test_pick_zones(void **state)
{
    (void)state;
    int epsg = 0;
    /* Ikoma (Nara, prefecture 29): zone VI. */
    assert_int_equal(crs_pick(135.70, 34.69, 29, &epsg, NULL), ERR_OK);
    assert_int_equal(epsg, 6674);
    /* Ube (Yamaguchi, 35) with its prefecture: zone III. */
    assert_int_equal(crs_pick(131.25, 33.95, 35, &epsg, NULL), ERR_OK);
    assert_int_equal(epsg, 6671);
    /* Without a prefecture the nearest central meridian: 131.0 (zone II). */
    assert_int_equal(crs_pick(131.25, 33.95, 0, &epsg, NULL), ERR_OK);
    assert_int_equal(epsg, 6670);
    /* Tokyo 23 wards: IX; Sapporo: XII; Naha: XV. */
    assert_int_equal(crs_pick(139.75, 35.68, 0, &epsg, NULL), ERR_OK);
    assert_int_equal(epsg, 6677);
    assert_int_equal(crs_pick(141.35, 43.06, 1, &epsg, NULL), ERR_OK);
    assert_int_equal(epsg, 6680);
    assert_int_equal(crs_pick(127.68, 26.21, 47, &epsg, NULL), ERR_OK);
    assert_int_equal(epsg, 6683);
    /* Andorra and Liechtenstein: UTM 31N and 32N. */
    assert_int_equal(crs_pick(1.55, 42.55, 0, &epsg, NULL), ERR_OK);
    assert_int_equal(epsg, 32631);
    assert_int_equal(crs_pick(9.55, 47.15, 0, &epsg, NULL), ERR_OK);
    assert_int_equal(epsg, 32632);
    struct err e = {0};
    assert_int_equal(crs_pick(NAN, 35, 0, &epsg, &e), ERR_INPUT);
    assert_int_equal(crs_pick(200, 35, 0, &epsg, NULL), ERR_INPUT);
}

static void test_roundtrip(void **state)
{
    (void)state;
    struct err e = {0};
    struct crs *c = crs_open(6674, &e);
    assert_non_null(c);
    double x, y, lon, lat;
    /* The origin of zone VI maps to (0, 0). */
    assert_int_equal(crs_to_xy(c, 136.0, 36.0, &x, &y), ERR_OK);
    assert_true(fabs(x) < 1e-6 && fabs(y) < 1e-6);
    /* 1 degree south of the origin along the meridian: y ~ -110.9 km. */
    assert_int_equal(crs_to_xy(c, 136.0, 35.0, &x, &y), ERR_OK);
    assert_true(fabs(x) < 1e-6);
    assert_true(y < -110800 && y > -111000);
    assert_int_equal(crs_to_xy(c, 135.70, 34.69, &x, &y), ERR_OK);
    assert_int_equal(crs_to_lonlat(c, x, y, &lon, &lat), ERR_OK);
    assert_true(fabs(lon - 135.70) < 1e-9 && fabs(lat - 34.69) < 1e-9);
    crs_close(c);
    assert_null(crs_open(-5, &e));
    assert_int_not_equal(e.code, ERR_OK);
}

static void test_source_transform(void **state)
{
    (void)state;
    struct err e = {0};
    struct crs_src *s = crs_src_open("EPSG:4612", 6674, &e);
    assert_non_null(s);
    assert_true(crs_src_is_geographic(s));
    double xy[4] = {135.70, 34.69, 136.0, 36.0};
    double ll[4];
    assert_int_equal(crs_src_transform(s, xy, ll, 2), ERR_OK);
    assert_true(fabs(ll[0] - 135.70) < 1e-5 && fabs(ll[1] - 34.69) < 1e-5);
    assert_true(fabs(xy[2]) < 1.0 && fabs(xy[3]) < 1.0);
    crs_src_close(s);
    /* A projected source: JGD2011 zone VI itself -> identity. */
    s = crs_src_open("EPSG:6674", 6674, &e);
    assert_non_null(s);
    assert_false(crs_src_is_geographic(s));
    double p[2] = {-27000.0, -145000.0};
    assert_int_equal(crs_src_transform(s, p, ll, 1), ERR_OK);
    assert_true(fabs(p[0] + 27000.0) < 1e-6 && fabs(p[1] + 145000.0) < 1e-6);
    assert_true(ll[0] > 135 && ll[0] < 136 && ll[1] > 34 && ll[1] < 35);
    crs_src_close(s);
    assert_null(crs_src_open("not a crs", 6674, &e));
    assert_int_equal(e.code, ERR_INPUT);
}

static void test_area(void **state)
{
    (void)state;
    struct crs_area a;
    assert_int_equal(crs_area_of(6674, &a, NULL), ERR_OK);
    assert_true(crs_area_contains(&a, 135.7, 34.7));
    assert_false(crs_area_contains(&a, 1.5, 42.5));
    assert_false(crs_area_contains(&a, NAN, 34.7));
    assert_int_equal(crs_area_of(32631, &a, NULL), ERR_OK);
    assert_true(crs_area_contains(&a, 1.5, 42.5));
    assert_false(crs_area_contains(&a, 135.7, 34.7));
    assert_int_equal(crs_area_of(4326, &a, NULL), ERR_INPUT);
    char name[96];
    crs_name(32632, name, sizeof name);
    assert_string_equal(name, "WGS 84 / UTM zone 32N");
    crs_name(6674, name, sizeof name);
    assert_string_equal(name, "JGD2011 / Japan Plane Rectangular CS VI");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pick_zones),
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_source_transform),
        cmocka_unit_test(test_area),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
