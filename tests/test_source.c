/* SPDX-License-Identifier: MIT */
/* test_source.c - tests source.c: format detection, CP932 .dbf without a
 * .cpg, CSV coordinate columns and their errors, CRS reporting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "source.h"
#include "testutil.h"
#include "wkb.h"

#include <stdlib.h>
#include <string.h>

static void test_csv_columns(void **state)
{
    (void)state;
    char *dir = tu_tmpdir();
    char *p = tu_write(dir, "a.csv", "name,x_deg,y_deg\nA,135.5,34.5\nB,,34.6\n");
    struct err e = {0};
    struct source_opts o = {.path = p};
    /* No recognised coordinate columns. */
    assert_null(source_open(&o, &e));
    assert_non_null(strstr(e.msg, "--lon-field"));
    err_clear(&e);
    o.lon_field = "x_deg";
    o.lat_field = "y_deg";
    struct source *s = source_open(&o, &e);
    assert_non_null(s);
    assert_string_equal(source_crs(s), "EPSG:4326");
    struct source_feature f;
    assert_int_equal(source_next(s, &f, &e), 1);
    assert_int_equal(f.line, 2);
    struct wkb_info wi;
    assert_int_equal(wkb_inspect(f.wkb, f.wkb_len, &wi, NULL), ERR_OK);
    assert_int_equal(wi.type, WKB_POINT);
    assert_string_equal(source_str(s, source_field(s, "name")), "A");
    assert_int_equal(source_next(s, &f, &e), -1);
    assert_non_null(strstr(e.msg, "a.csv line 3: the x_deg value is missing"));
    source_close(s);
    free(p);
    free(dir);
}

static void test_cp932_dbf(void **state)
{
    (void)state;
    char *p = tu_require_shared("ikoma/P14-15_29.shp");
    struct err e = {0};
    struct source_opts o = {.path = p};
    struct source *s = source_open(&o, &e);
    assert_non_null(s);
    assert_string_equal(source_driver(s), "ESRI Shapefile");
    assert_null(source_crs(s)); /* no .prj */
    int muni = source_field(s, "P14_002");
    assert_true(muni >= 0);
    struct source_feature f;
    int found = 0;
    while (source_next(s, &f, &e) == 1)
        if (strcmp(source_str(s, muni), "生駒市") == 0)
            found++;
    assert_int_equal(found, 207);
    source_close(s);
    free(p);
}

static void test_declared_crs(void **state)
{
    (void)state;
    char *p = tu_require_shared("ikoma/A27-23_29.shp");
    struct err e = {0};
    struct source_opts o = {.path = p, .where = "A27_001 = '29209'"};
    struct source *s = source_open(&o, &e);
    assert_non_null(s);
    assert_string_equal(source_crs(s), "EPSG:6668");
    /* With a filter the count is not cheap: -1, and iteration gives 12. */
    assert_int_equal(source_count(s), -1);
    struct source_feature f;
    int n = 0;
    while (source_next(s, &f, &e) == 1)
        n++;
    assert_int_equal(n, 12);
    double bb[4];
    assert_int_equal(source_extent(s, bb), ERR_OK);
    assert_true(bb[0] > 135.6 && bb[2] < 135.8 && bb[1] > 34.6 && bb[3] < 34.8);
    /* Reading restarts after the extent was measured. */
    n = 0;
    while (source_next(s, &f, &e) == 1)
        n++;
    assert_int_equal(n, 12);
    source_close(s);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_columns),
        cmocka_unit_test(test_cp932_dbf),
        cmocka_unit_test(test_declared_crs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
