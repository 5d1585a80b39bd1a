/* SPDX-License-Identifier: MIT */
/* test_import.c - tests import.c end to end against a real SpatiaLite file:
 * the real 生駒市 open data (counts from ../shared/data/README.md), field
 * recognition, re-import replacing rows, and every bad input leaving the
 * database exactly as it was with one sentence naming file and row. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "import.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A per-test database in a fresh directory. */
struct fx {
    char *dir;        /* temp directory */
    char *db;         /* database path */
    struct store *st; /* open store */
};

static int fx_setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    f->dir = tu_tmpdir();
    f->db = tu_path(f->dir, "t.db");
    struct err e = {0};
    f->st = store_open(f->db, &e);
    assert_non_null(f->st);
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    struct fx *f = *state;
    store_close(f->st);
    free(f->db);
    free(f->dir);
    free(f);
    return 0;
}

static int run(struct fx *f, struct import_opts *o, struct import_report *rep, struct err *e)
{
    struct import_report local;
    return import_run(f->st, o, rep ? rep : &local, e);
}

static unsigned long long digest(struct fx *f)
{
    unsigned long long d = 0;
    assert_int_equal(store_fingerprint(f->st, &d, NULL), ERR_OK);
    return d;
}

/* A small valid resources file so later bad imports have a CRS to check. */
static const char RESOURCES[] =
    "{\"type\":\"FeatureCollection\",\"features\":["
    "{\"type\":\"Feature\",\"properties\":{\"id\":\"R1\",\"name\":\"まちの保健室\","
    "\"kind\":\"health_room\",\"fields\":\"all\"},"
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[135.70,34.69]}},"
    "{\"type\":\"Feature\",\"properties\":{\"id\":\"R2\",\"name\":\"ふれあいサロン\","
    "\"kind\":\"サロン\",\"fields\":\"高齢\",\"hub_type\":null},"
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[135.71,34.70]}}]}";

static void seed(struct fx *f)
{
    char *p = tu_write(f->dir, "seed.geojson", RESOURCES);
    struct import_opts o = {.kind = IMPORT_RESOURCES, .src.path = p};
    struct import_report rep;
    struct err e = {0};
    assert_int_equal(run(f, &o, &rep, &e), ERR_OK);
    assert_int_equal(rep.stored, 2);
    assert_int_equal(rep.srid, 6674);
    free(p);
}

static void test_resources_and_reimport(void **state)
{
    struct fx *f = *state;
    seed(f);
    unsigned long long before = digest(f);
    seed(f); /* same source again: replaced, not duplicated */
    struct store_summary s;
    assert_int_equal(store_summary(f->st, &s, NULL), ERR_OK);
    assert_int_equal(s.resources, 2);
    assert_int_equal(s.srid, 6674);
    assert_int_not_equal(before, 0);
}

/* Expects the import to fail with `code`, a message containing `needle`, and
 * no change in the database. */
static void expect_refused(struct fx *f, struct import_opts *o, int code, const char *needle)
{
    unsigned long long before = digest(f);
    struct err e = {0};
    assert_int_equal(run(f, o, NULL, &e), code);
    if (needle && strstr(e.msg, needle) == NULL)
        fail_msg("message '%s' lacks '%s'", e.msg, needle);
    assert_true(strlen(e.msg) > 10);
    assert_null(strchr(e.msg, '\n'));
    assert_true(digest(f) == before);
}

static void test_bad_files(void **state)
{
    struct fx *f = *state;
    seed(f);
    struct import_opts o = {.kind = IMPORT_RESOURCES};
    char *missing = tu_path(f->dir, "nothere.geojson");
    o.src.path = missing;
    expect_refused(f, &o, ERR_INPUT, "no such file");
    char *empty = tu_write(f->dir, "empty.geojson", "");
    o.src.path = empty;
    expect_refused(f, &o, ERR_INPUT, "empty");
    char *junk = tu_write(f->dir, "junk.dat", "this is not a GIS file\n\x01\x02");
    o.src.path = junk;
    expect_refused(f, &o, ERR_INPUT, "junk.dat");
    char *nogeom = tu_write(f->dir, "nogeom.geojson",
                            "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
                            "\"properties\":{\"name\":\"a\"},\"geometry\":null}]}");
    o.src.path = nogeom;
    expect_refused(f, &o, ERR_INPUT, "feature 1: has no geometry");
    char *nofeat =
        tu_write(f->dir, "nofeat.geojson", "{\"type\":\"FeatureCollection\",\"features\":[]}");
    o.src.path = nofeat;
    expect_refused(f, &o, ERR_INPUT, "nofeat.geojson");
    free(missing);
    free(empty);
    free(junk);
    free(nogeom);
    free(nofeat);
}

static void test_bad_geometry(void **state)
{
    struct fx *f = *state;
    seed(f);
    /* Points given as districts: wrong geometry type, named. */
    char *pts = tu_write(f->dir, "pts.geojson", RESOURCES);
    struct import_opts o = {.kind = IMPORT_DISTRICTS, .level = "elementary", .src.path = pts};
    expect_refused(f, &o, ERR_INPUT, "districts need polygons, but this geometry is a point");
    /* Second feature in Andorra: outside Japan; nothing of the first lands. */
    char *far = tu_write(f->dir, "far.geojson",
                         "{\"type\":\"FeatureCollection\",\"features\":["
                         "{\"type\":\"Feature\",\"properties\":{\"name\":\"ok\"},"
                         "\"geometry\":{\"type\":\"Point\",\"coordinates\":[135.7,34.7]}},"
                         "{\"type\":\"Feature\",\"properties\":{\"name\":\"far\"},"
                         "\"geometry\":{\"type\":\"Point\",\"coordinates\":[1.5,42.5]}}]}");
    struct import_opts r = {.kind = IMPORT_RESOURCES, .src.path = far};
    expect_refused(f, &r, ERR_INPUT, "far.geojson feature 2: a coordinate lies outside");
    /* Unknown kind word in a row. */
    char *badkind = tu_write(f->dir, "badkind.geojson",
                             "{\"type\":\"FeatureCollection\",\"features\":["
                             "{\"type\":\"Feature\",\"properties\":{\"name\":\"x\",\"kind\":"
                             "\"Not A Kind\"},\"geometry\":{\"type\":\"Point\","
                             "\"coordinates\":[135.7,34.7]}}]}");
    r.src.path = badkind;
    expect_refused(f, &r, ERR_INPUT, "feature 1: the kind");
    free(pts);
    free(far);
    free(badkind);
}

static void test_households_csv(void **state)
{
    struct fx *f = *state;
    seed(f);
    char *ok = tu_write(f->dir, "hh.csv",
                        "id,lon,lat,members,needs,consent,agency\n"
                        "H1,135.701,34.691,2,8050;ひきこもり,yes,包括A\n"
                        "H2,135.702,34.692,1,高齢独居,no,包括B\n");
    struct import_opts o = {.kind = IMPORT_HOUSEHOLDS, .src.path = ok};
    struct import_report rep;
    struct err e = {0};
    assert_int_equal(run(f, &o, &rep, &e), ERR_OK);
    assert_int_equal(rep.stored, 2);
    /* Malformed latitude on line 3: named by line, value not echoed. */
    char *bad = tu_write(f->dir, "hh_bad.csv",
                         "id,lon,lat,members,needs,consent,agency\n"
                         "H3,135.703,34.693,1,孤立,yes,社協\n"
                         "H4,135.704,34.6x94,1,孤立,yes,社協\n");
    o.src.path = bad;
    expect_refused(f, &o, ERR_INPUT, "hh_bad.csv line 3: the lat value is not a number");
    /* Hexadecimal: a hex-float longitude (0x88 = 136) and a hex member
     * count are refused like any other non-decimal text (issue 10). */
    char *hex = tu_write(f->dir, "hh_hex.csv",
                         "id,lon,lat,members,needs,consent,agency\n"
                         "H3,0x88,34.693,1,孤立,yes,社協\n");
    o.src.path = hex;
    expect_refused(f, &o, ERR_INPUT, "hh_hex.csv line 2: the lon value is not a number");
    char *hexm = tu_write(f->dir, "hh_hexm.csv",
                          "id,lon,lat,members,needs,consent,agency\n"
                          "H3,135.703,34.693,0x2,孤立,yes,社協\n");
    o.src.path = hexm;
    expect_refused(f, &o, ERR_INPUT, "hh_hexm.csv line 2: members must be a whole number");
    free(hex);
    free(hexm);
    /* Unknown need tag: the line is named, the tag is not. */
    char *tag = tu_write(f->dir, "hh_tag.csv",
                         "id,lon,lat,members,needs,consent,agency\n"
                         "H5,135.705,34.695,1,秘密,yes,社協\n");
    o.src.path = tag;
    unsigned long long before = digest(f);
    err_clear(&e);
    assert_int_equal(run(f, &o, NULL, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "line 2"));
    assert_null(strstr(e.msg, "秘密"));
    assert_null(strstr(e.msg, "H5"));
    assert_true(digest(f) == before);
    /* A duplicate id across files: refused without echoing the id. */
    char *dup = tu_write(f->dir, "hh_dup.csv",
                         "id,lon,lat,members,needs,consent,agency\n"
                         "H1,135.706,34.696,1,孤立,yes,社協\n");
    o.src.path = dup;
    before = digest(f);
    err_clear(&e);
    assert_int_equal(run(f, &o, NULL, &e), ERR_INPUT);
    assert_null(strstr(e.msg, "H1"));
    assert_null(strstr(e.msg, "135.7"));
    assert_true(digest(f) == before);
    /* Outside Japan: refused, coordinates not echoed. */
    char *far = tu_write(f->dir, "hh_far.csv",
                         "id,lon,lat,members,needs,consent,agency\n"
                         "H9,2.123,42.456,1,孤立,yes,社協\n");
    o.src.path = far;
    err_clear(&e);
    assert_int_equal(run(f, &o, NULL, &e), ERR_INPUT);
    assert_null(strstr(e.msg, "2.123"));
    assert_null(strstr(e.msg, "42.456"));
    /* Header only: nothing to import. */
    char *hdr = tu_write(f->dir, "hh_empty.csv", "id,lon,lat,members,needs,consent,agency\n");
    o.src.path = hdr;
    expect_refused(f, &o, ERR_INPUT, "no households");
    /* Japanese coordinate columns and a consent word. */
    char *ja =
        tu_write(f->dir, "hh_ja.csv",
                 "id,経度,緯度,members,needs,consent\nJ1,135.707,34.697,3,ダブルケア,あり\n");
    o.src.path = ja;
    err_clear(&e);
    assert_int_equal(run(f, &o, &rep, &e), ERR_OK);
    assert_int_equal(rep.stored, 1);
    free(ok);
    free(bad);
    free(tag);
    free(dup);
    free(far);
    free(hdr);
    free(ja);
}

struct numeric_seen {
    char ext_id[32], address[32], contact[32];
};

static int numeric_row(void *ctx, const struct store_resource_row *r)
{
    struct numeric_seen *n = ctx;
    snprintf(n->ext_id, sizeof n->ext_id, "%s", r->ext_id ? r->ext_id : "");
    snprintf(n->address, sizeof n->address, "%s", r->address ? r->address : "");
    snprintf(n->contact, sizeof n->contact, "%s", r->contact ? r->contact : "");
    return 0;
}

static void test_numeric_properties_kept_apart(void **state)
{
    struct fx *f = *state;
    /* GDAL formats numbers into one buffer it reuses; three numeric
     * properties read for one row must still land as three values. */
    char *p = tu_write(f->dir, "num.geojson",
                       "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
                       "\"properties\":{\"id\":101,\"name\":\"n\",\"address\":202,"
                       "\"contact\":303},\"geometry\":{\"type\":\"Point\","
                       "\"coordinates\":[135.7,34.7]}}]}");
    struct import_opts o = {.kind = IMPORT_RESOURCES, .src.path = p};
    struct import_report rep;
    struct err e = {0};
    assert_int_equal(run(f, &o, &rep, &e), ERR_OK);
    struct numeric_seen n;
    memset(&n, 0, sizeof n);
    assert_int_equal(store_resources_each(f->st, numeric_row, &n, &e), ERR_OK);
    assert_string_equal(n.ext_id, "101");
    assert_string_equal(n.address, "202");
    assert_string_equal(n.contact, "303");
    free(p);
}

static void test_csv_fixes_crs(void **state)
{
    struct fx *f = *state;
    /* A CSV has no layer extent: the first point chooses the CRS (Ube, zone
     * II by nearest meridian), and every row still lands. */
    char *p = tu_write(f->dir, "first.csv",
                       "id,lon,lat,members,needs,consent,agency\n"
                       "U1,131.25,33.95,1,孤立,yes,A\nU2,131.26,33.96,2,8050,no,B\n");
    struct import_opts o = {.kind = IMPORT_HOUSEHOLDS, .src.path = p};
    struct import_report rep;
    struct err e = {0};
    assert_int_equal(run(f, &o, &rep, &e), ERR_OK);
    assert_int_equal(rep.srid_new, 1);
    assert_int_equal(rep.srid, 6670);
    assert_int_equal(rep.stored, 2);
    free(p);
}

static void test_options(void **state)
{
    struct fx *f = *state;
    seed(f);
    char *p = tu_write(f->dir, "x.geojson", RESOURCES);
    struct import_opts o = {.kind = IMPORT_RESOURCES, .src.path = p, .name_field = "nope"};
    expect_refused(f, &o, ERR_INPUT, "has no field 'nope' (--name-field)");
    struct import_opts d = {.kind = IMPORT_DISTRICTS, .src.path = p};
    expect_refused(f, &d, ERR_INPUT, "--level");
    d.level = "Bad Level";
    expect_refused(f, &d, ERR_INPUT, "--level");
    struct import_opts w = {.kind = IMPORT_RESOURCES, .src.path = p, .src.where = "name = = 1"};
    expect_refused(f, &w, ERR_INPUT, "not valid OGR SQL");
    free(p);
}

static void test_ikoma_real_data(void **state)
{
    struct fx *f = *state;
    char *a27 = tu_require_shared("ikoma/A27-23_29.shp");
    char *a32 = tu_require_shared("ikoma/A32-23_29.shp");
    char *p14 = tu_require_shared("ikoma/P14-15_29.shp");
    char *census = tu_require_shared("ikoma/r2ka29209.topojson");
    struct import_report rep;
    struct err e = {0};
    struct import_opts o = {
        .kind = IMPORT_DISTRICTS, .level = "elementary", .src.path = a27, .municipality = "29209"};
    assert_int_equal(run(f, &o, &rep, &e), ERR_OK);
    assert_int_equal(rep.stored, 12);
    assert_int_equal(rep.read, 166);
    assert_int_equal(rep.srid, 6674); /* Nara: JGD2011 zone VI */
    o.level = "junior_high";
    o.src.path = a32;
    assert_int_equal(run(f, &o, &rep, &e), ERR_OK);
    assert_int_equal(rep.stored, 8);
    /* P14 declares no CRS: refused without --s-srs, fine with it. */
    struct import_opts r = {.kind = IMPORT_RESOURCES, .src.path = p14, .municipality = "生駒市"};
    unsigned long long before = digest(f);
    assert_int_equal(run(f, &r, &rep, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "--s-srs"));
    assert_true(digest(f) == before);
    err_clear(&e);
    r.src.s_srs = "EPSG:4612";
    assert_int_equal(run(f, &r, &rep, &e), ERR_OK);
    assert_int_equal(rep.stored, 207);
    struct import_opts c = {.kind = IMPORT_POPULATION, .src.path = census, .src.layer = "town"};
    assert_int_equal(run(f, &c, &rep, &e), ERR_OK);
    assert_int_equal(rep.stored, 123);
    struct store_summary s;
    assert_int_equal(store_summary(f->st, &s, NULL), ERR_OK);
    assert_int_equal(s.districts, 20);
    assert_int_equal(s.resources, 207);
    assert_int_equal(s.areas, 123);
    free(a27);
    free(a32);
    free(p14);
    free(census);
}

static void test_schema_and_reopen(void **state)
{
    struct fx *f = *state;
    seed(f);
    char buf[64];
    assert_int_equal(store_meta_get(f->st, "srid", buf, sizeof buf, NULL), ERR_OK);
    assert_string_equal(buf, "6674");
    store_close(f->st);
    struct err e = {0};
    f->st = store_open_readonly(f->db, &e);
    assert_non_null(f->st);
    assert_int_equal(store_srid(f->st), 6674);
    store_close(f->st);
    f->st = store_open(f->db, &e);
    assert_non_null(f->st);
    char *none = tu_path(f->dir, "none.db");
    assert_null(store_open_readonly(none, &e));
    assert_int_equal(e.code, ERR_NOTFOUND);
    free(none);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_resources_and_reimport, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_bad_files, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_bad_geometry, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_households_csv, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_options, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_csv_fixes_crs, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_numeric_properties_kept_apart, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_ikoma_real_data, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_schema_and_reopen, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
