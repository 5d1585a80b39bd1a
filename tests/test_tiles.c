/* SPDX-License-Identifier: MIT */
/* test_tiles.c - tests tiles.c and store_tiles.c: Web Mercator tile math
 * (tile 0/0/0 covers the world, known points fall in known tiles), tile
 * address parsing, and tiles built from real databases and read back by
 * GDAL's MVT driver (plan_fixture.h): feature sets and attributes equal
 * the store's for the tile's area, positions within one tile unit, valid
 * polygons, the coverage layer's shares and suppression, the cache and its
 * data version, errors, the demo town's tile sizes at every zoom, and many
 * threads sharing one cache. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mvt_gdal.h"
#include "plan_fixture.h"
#include "store_visits.h"
#include "tiles.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- pure math ---- */

static void test_bounds_and_tile_of(void **state)
{
    (void)state;
    double b[4];
    tiles_bounds(0, 0, 0, b);
    assert_true(fabs(b[0] + TILES_MERC_MAX) < 1e-6 && fabs(b[2] - TILES_MERC_MAX) < 1e-6);
    assert_true(fabs(b[1] + TILES_MERC_MAX) < 1e-6 && fabs(b[3] - TILES_MERC_MAX) < 1e-6);
    /* The Mercator square reaches 85.0511 degrees and 180 degrees. */
    double lon, lat;
    tiles_merc_to_lonlat(b[2], b[3], &lon, &lat);
    assert_true(fabs(lon - 180) < 1e-9 && fabs(lat - TILES_MERC_LAT_MAX) < 1e-9);
    /* Tile 1/1/0 is the north-east quarter. */
    tiles_bounds(1, 1, 0, b);
    assert_true(b[0] == 0 && b[1] == 0 && fabs(b[3] - TILES_MERC_MAX) < 1e-6);
    long x, y;
    struct err e = {0};
    /* Tokyo Station is in the well-known tile 10/909/403. */
    assert_int_equal(tiles_tile_of(139.7671, 35.6812, 10, &x, &y, &e), ERR_OK);
    assert_int_equal(x, 909);
    assert_int_equal(y, 403);
    /* Any point is in 0/0/0; corners go to the first and last tiles. */
    assert_int_equal(tiles_tile_of(136.95, 34.95, 0, &x, &y, &e), ERR_OK);
    assert_true(x == 0 && y == 0);
    assert_int_equal(tiles_tile_of(-180, 89, 3, &x, &y, &e), ERR_OK);
    assert_true(x == 0 && y == 0);
    assert_int_equal(tiles_tile_of(180, -89, 3, &x, &y, &e), ERR_OK);
    assert_true(x == 7 && y == 7);
    assert_int_equal(tiles_tile_of(0.0001, -0.0001, 1, &x, &y, &e), ERR_OK);
    assert_true(x == 1 && y == 1);
    assert_int_equal(tiles_tile_of(NAN, 0, 3, &x, &y, &e), ERR_INPUT);
    assert_int_equal(tiles_tile_of(0, 0, 23, &x, &y, &e), ERR_INPUT);
    /* A point lies inside the bounds of its tile, at every zoom. */
    for (int z = 0; z <= TILES_ZOOM_MAX; z++) {
        double mx, my;
        assert_int_equal(tiles_tile_of(136.9512345, 34.9498765, z, &x, &y, &e), ERR_OK);
        tiles_bounds(z, x, y, b);
        tiles_lonlat_to_merc(136.9512345, 34.9498765, &mx, &my);
        assert_true(mx >= b[0] && mx < b[2] && my > b[1] && my <= b[3]);
    }
    /* Round trip lon/lat -> metres -> lon/lat. */
    double mx, my;
    tiles_lonlat_to_merc(136.95, 34.95, &mx, &my);
    tiles_merc_to_lonlat(mx, my, &lon, &lat);
    assert_true(fabs(lon - 136.95) < 1e-12 && fabs(lat - 34.95) < 1e-12);
}

static void test_parse_zxy(void **state)
{
    (void)state;
    int z;
    long x, y;
    struct err e = {0};
    assert_int_equal(tiles_parse_zxy("14", "14424", "6492.mvt", &z, &x, &y, &e), ERR_OK);
    assert_true(z == 14 && x == 14424 && y == 6492);
    assert_int_equal(tiles_parse_zxy("0", "0", "0.mvt", &z, &x, &y, &e), ERR_OK);
    assert_int_equal(tiles_parse_zxy("22", "4194303", "4194303.mvt", &z, &x, &y, &e), ERR_OK);
    static const struct {
        const char *z, *x, *y, *word;
    } bad[] = {
        {"abc", "0", "0.mvt", "zoom"},  {"-1", "0", "0.mvt", "zoom"},
        {"23", "0", "0.mvt", "zoom"},   {"99999999999", "0", "0.mvt", "zoom"},
        {"1", "2", "0.mvt", "x"},       {"1", "-0", "0.mvt", "x"},
        {"1", "0x1", "0.mvt", "x"},     {"1", "0", "2.mvt", "y"},
        {"1", "0", "0.png", "{y}.mvt"}, {"1", "0", ".mvt", "{y}.mvt"},
        {"1", "0", "1e0.mvt", "y"},     {"3", "1", "99999999999999999999.mvt", "y"},
        {"", "0", "0.mvt", "zoom"},     {"1", " 1", "0.mvt", "x"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err_clear(&e);
        if (tiles_parse_zxy(bad[i].z, bad[i].x, bad[i].y, &z, &x, &y, &e) != ERR_INPUT)
            fail_msg("%s/%s/%s accepted", bad[i].z, bad[i].x, bad[i].y);
        if (strstr(e.msg, bad[i].word) == NULL)
            fail_msg("%s/%s/%s: '%s' does not name %s", bad[i].z, bad[i].x, bad[i].y, e.msg,
                     bad[i].word);
    }
}

/* ---- tiles from databases ---- */

/* A fixture database with what tiles.c borrows. */
struct tdb {
    struct pf_db *db;     /* the fixture */
    struct crs *crs;      /* lon/lat <-> its CRS */
    struct tiles *tiles;  /* a cache */
    struct tiles_env env; /* what a request lends */
};

static struct tdb *tdb_new(struct pf_db *db)
{
    struct tdb *t = calloc(1, sizeof *t);
    assert_non_null(t);
    struct err e = {0};
    t->db = db;
    int srid = store_srid(db->st);
    t->crs = crs_open(srid, &e);
    t->tiles = tiles_new(&e);
    assert_non_null(t->crs);
    assert_non_null(t->tiles);
    t->env.st = db->st;
    t->env.crs = t->crs;
    assert_int_equal(crs_area_of(srid, &t->env.area, &e), ERR_OK);
    t->env.net = db->net;
    t->env.ws = db->ws;
    return t;
}

static void tdb_free(struct tdb *t)
{
    tiles_free(t->tiles);
    crs_close(t->crs);
    pf_free(t->db);
    free(t);
}

static int line_setup(void **state)
{
    *state = tdb_new(pf_line_town());
    return 0;
}

static int demo_setup(void **state)
{
    *state = tdb_new(pf_demo_town());
    return 0;
}

static int tdb_teardown(void **state)
{
    tdb_free(*state);
    return 0;
}

/* Gets a tile or fails the test. */
static void get_tile(struct tdb *t, const char *layer, int z, long x, long y,
                     const struct tiles_params *p, int gzip, struct tiles_result *r)
{
    struct err e = {0};
    if (tiles_get(t->tiles, &t->env, layer, z, x, y, p, gzip, r, &e) != ERR_OK)
        fail_msg("tile %s %d/%ld/%ld: %s", layer, z, x, y, e.msg);
}

/* Expected resources of a tile: position in Web Mercator of every stored
 * resource inside the buffered tile. */
struct expect {
    struct crs *crs; /* to lon/lat */
    double b[4];     /* buffered tile, metres */
    long ids[128];   /* rowids */
    char names[128][64];
    double mx[128], my[128];
    size_t n;
};

static int expect_resource(void *ctx, const struct store_resource_row *r)
{
    struct expect *x = ctx;
    double lon, lat, mx, my;
    assert_int_equal(crs_to_lonlat(x->crs, r->x, r->y, &lon, &lat), ERR_OK);
    tiles_lonlat_to_merc(lon, lat, &mx, &my);
    if (mx < x->b[0] || mx > x->b[2] || my < x->b[1] || my > x->b[3])
        return ERR_OK;
    assert_true(x->n < 128);
    x->ids[x->n] = r->id;
    snprintf(x->names[x->n], sizeof x->names[0], "%s", r->name);
    x->mx[x->n] = mx;
    x->my[x->n++] = my;
    return ERR_OK;
}

/* Checks a resources tile against the store: same features, names and
 * positions within one tile unit. Returns the number of features. */
static long check_resources_tile(struct tdb *t, int z, long x, long y)
{
    struct tiles_result r;
    get_tile(t, "resources", z, x, y, NULL, 0, &r);
    struct expect ex = {.crs = t->crs};
    tiles_bounds(z, x, y, ex.b);
    double unit = (ex.b[2] - ex.b[0]) / TILES_EXTENT;
    ex.b[0] -= TILES_BUFFER * unit;
    ex.b[1] -= TILES_BUFFER * unit;
    ex.b[2] += TILES_BUFFER * unit;
    ex.b[3] += TILES_BUFFER * unit;
    struct err e = {0};
    assert_int_equal(store_resources_each(t->db->st, expect_resource, &ex, &e), ERR_OK);
    if (r.empty) {
        assert_int_equal(ex.n, 0);
        return 0;
    }
    char name[64];
    GDALDatasetH ds = mg_open(r.body, r.len, z, x, y, name, sizeof name);
    OGRLayerH l = GDALDatasetGetLayerByName(ds, "resources");
    assert_non_null(l);
    assert_int_equal(OGR_L_GetFeatureCount(l, TRUE), (long)ex.n);
    OGRFeatureH f;
    OGR_L_ResetReading(l);
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        long id = (long)OGR_F_GetFieldAsInteger64(f, OGR_F_GetFieldIndex(f, "mvt_id"));
        size_t i = 0;
        while (i < ex.n && ex.ids[i] != id)
            i++;
        assert_true(i < ex.n);
        assert_string_equal(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "name")), ex.names[i]);
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        double dx = OGR_G_GetX(g, 0) - ex.mx[i], dy = OGR_G_GetY(g, 0) - ex.my[i];
        if (fabs(dx) > unit || fabs(dy) > unit)
            fail_msg("resource %ld is %.3f, %.3f m off (one unit is %.3f m)", id, dx, dy, unit);
        OGR_F_Destroy(f);
    }
    mg_close(ds, name);
    free(r.body);
    return (long)ex.n;
}

/* Tile of zoom z holding database point x, y. */
static void tile_at(struct tdb *t, double px, double py, int z, long *x, long *y)
{
    double lon, lat;
    struct err e = {0};
    assert_int_equal(crs_to_lonlat(t->crs, px, py, &lon, &lat), ERR_OK);
    assert_int_equal(tiles_tile_of(lon, lat, z, x, y, &e), ERR_OK);
}

static void test_line_resources(void **state)
{
    struct tdb *t = *state;
    long x, y, total = 0;
    for (int z = 10; z <= 18; z++) {
        tile_at(t, 1000, -99980, z, &x, &y); /* desk D1 */
        long n = check_resources_tile(t, z, x, y);
        assert_true(n >= 1);
        total += n;
        tile_at(t, 4000, -99980, z, &x, &y); /* desk D2 */
        total += check_resources_tile(t, z, x, y);
    }
    assert_true(total >= 18);
    /* The world tile holds all three. */
    assert_int_equal(check_resources_tile(t, 0, 0, 0), 3);
}

/* Reads the coverage tile's district shares: share[0] for W, share[1] for
 * E, -1 when suppressed; every polygon must be valid. */
static void coverage_shares(struct tdb *t, const struct tiles_params *p, int z, long x, long y,
                            double share[2])
{
    struct tiles_result r;
    get_tile(t, "coverage", z, x, y, p, 0, &r);
    assert_false(r.empty);
    char name[64];
    GDALDatasetH ds = mg_open(r.body, r.len, z, x, y, name, sizeof name);
    OGRLayerH l = GDALDatasetGetLayerByName(ds, "coverage");
    assert_non_null(l);
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(l);
    for (int i = 0; i < OGR_FD_GetFieldCount(defn); i++)
        assert_null(strstr(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)), "household"));
    share[0] = share[1] = -2;
    OGRFeatureH f;
    OGR_L_ResetReading(l);
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        const char *code = OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "code"));
        int si = OGR_F_GetFieldIndex(f, "share_covered");
        int suppressed = OGR_F_GetFieldAsInteger(f, OGR_F_GetFieldIndex(f, "suppressed"));
        double s =
            si >= 0 && OGR_F_IsFieldSetAndNotNull(f, si) ? OGR_F_GetFieldAsDouble(f, si) : -1;
        assert_int_equal(suppressed, s < 0);
        assert_true(OGR_G_IsValid(OGR_F_GetGeometryRef(f)));
        share[strcmp(code, "W") == 0 ? 0 : 1] = s;
        OGR_F_Destroy(f);
    }
    mg_close(ds, name);
    free(r.body);
}

static void test_line_coverage(void **state)
{
    struct tdb *t = *state;
    long x, y;
    tile_at(t, 2500, -100000, 12, &x, &y);
    /* The shares follow /api/coverage's suppression (disclose.h): a share
     * rests on two counts, and a count of 1-4 hides it. 12.5 minutes at
     * 80 m/min = 1000 m: W holds H1-H5, of which H2 and H3 are covered
     * (plan_fixture.h): 2 covered and 3 not are small counts, so W's share
     * is hidden; E holds 3 households: hidden. */
    struct tiles_params p = {.minutes = "12.5"};
    double share[2];
    coverage_shares(t, &p, 12, x, y, share);
    assert_true(share[0] == -1);
    assert_true(share[1] == -1);
    /* The defaults (consultation, 30 min = 2400 m) cover H1-H4: 4 of 5, a
     * single household uncovered: hidden too. */
    coverage_shares(t, NULL, 12, x, y, share);
    assert_true(share[0] == -1);
    /* Whatever the limit, W's one off-network household (H5) is a small
     * count: W never shows a share here. Shares that do show are checked
     * against the database on the demo town (tests/cli_tiles.sh). */
    struct tiles_params none = {.minutes = "1"};
    coverage_shares(t, &none, 12, x, y, share);
    assert_true(share[0] == -1);
    assert_true(share[1] == -1);
}

static void test_cache_and_version(void **state)
{
    struct tdb *t = *state;
    long x, y;
    tile_at(t, 1000, -99980, 15, &x, &y);
    struct tiles_result a, b, gz;
    get_tile(t, "resources", 15, x, y, NULL, 0, &a);
    get_tile(t, "resources", 15, x, y, NULL, 0, &b);
    assert_string_equal(a.etag, b.etag);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.body, b.body, a.len);
    assert_int_equal(a.etag[0], '"');
    get_tile(t, "resources", 15, x, y, NULL, 1, &gz);
    if (gz.gzip) { /* a gzip body has its own ETag and gzip's magic bytes */
        assert_string_not_equal(gz.etag, a.etag);
        assert_non_null(strstr(gz.etag, "-gz\""));
        assert_true(gz.body[0] == 0x1f && gz.body[1] == 0x8b);
    }
    /* A new resource in the tile: the data version changes, so does the
     * tile and its ETag. */
    char *more = tu_write(t->db->dir, "more.geojson",
                          PF_FC(PF_POINT("{\"id\":\"D3\",\"name\":\"Desk 3\","
                                         "\"kind\":\"consultation\"}",
                                         1010, -99970)));
    pf_import(t->db->st, IMPORT_RESOURCES, more, NULL, NULL, NULL);
    free(more);
    struct tiles_result c;
    get_tile(t, "resources", 15, x, y, NULL, 0, &c);
    assert_string_not_equal(c.etag, a.etag);
    assert_true(c.len > a.len);
    assert_int_equal(check_resources_tile(t, 15, x, y), check_resources_tile(t, 15, x, y));
    free(a.body);
    free(b.body);
    free(gz.body);
    free(c.body);
}

/* Households leaving without an import (a retention purge) change the
 * data version too: the coverage tiles and shares, cached by it, would
 * otherwise go on counting them until a restart. */
static void test_purge_version(void **state)
{
    (void)state;
    struct pf_db *d = pf_line_town();
    struct err e = {0};
    unsigned long long v1 = 0, v2 = 0;
    assert_int_equal(store_tiles_version(d->st, &v1, &e), ERR_OK);
    const char *const ids[] = {"H1"};
    struct store_purge out;
    assert_int_equal(store_households_purge(d->st, ids, 1, &out, &e), ERR_OK);
    assert_int_equal(out.households, 1);
    assert_int_equal(store_tiles_version(d->st, &v2, &e), ERR_OK);
    assert_true(v1 != v2);
    pf_free(d);
}

static void test_errors_and_empty(void **state)
{
    struct tdb *t = *state;
    struct tiles_result r;
    struct err e = {0};
    static const char *const unknown[] = {"households", "nope",           "districts_nope",
                                          "districts_", "resources.json", ""};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        err_clear(&e);
        assert_int_equal(tiles_get(t->tiles, &t->env, unknown[i], 0, 0, 0, NULL, 0, &r, &e),
                         ERR_NOTFOUND);
        assert_non_null(strstr(e.msg, "districts_elementary"));
        assert_null(r.body);
    }
    struct tiles_params kind = {.kind = "salon"};
    err_clear(&e);
    assert_int_equal(tiles_get(t->tiles, &t->env, "resources", 0, 0, 0, &kind, 0, &r, &e),
                     ERR_INPUT);
    struct tiles_params bad_minutes = {.minutes = "abc"};
    err_clear(&e);
    assert_int_equal(tiles_get(t->tiles, &t->env, "coverage", 0, 0, 0, &bad_minutes, 0, &r, &e),
                     ERR_INPUT);
    assert_non_null(strstr(e.msg, "minutes"));
    struct tiles_params bad_level = {.level = "junior_high"};
    err_clear(&e);
    assert_int_equal(tiles_get(t->tiles, &t->env, "coverage", 0, 0, 0, &bad_level, 0, &r, &e),
                     ERR_NOTFOUND);
    struct tiles_env no_net = t->env;
    no_net.net = NULL;
    no_net.ws = NULL;
    err_clear(&e);
    assert_int_equal(tiles_get(t->tiles, &no_net, "coverage", 5, 0, 0, NULL, 0, &r, &e),
                     ERR_NOTFOUND);
    /* Far from the data (the Pacific off Hokkaido), and streets below their
     * minimum zoom: empty tiles. */
    get_tile(t, "resources", 14, 14800, 5800, NULL, 1, &r);
    assert_true(r.empty && r.body == NULL && r.len == 0);
    get_tile(t, "streets", 0, 0, 0, NULL, 1, &r);
    assert_true(r.empty);
    long x, y;
    tile_at(t, 1000, -100000, TILES_STREETS_MINZOOM, &x, &y);
    get_tile(t, "streets", TILES_STREETS_MINZOOM, x, y, NULL, 0, &r);
    assert_false(r.empty);
    free(r.body);
}

/* ---- the demo town: every tile at every zoom ---- */

/* Checks every feature of every layer of a tile with GDAL: polygons valid,
 * lines of at least two points; returns the features. */
static long gdal_check_tile(const struct tiles_result *r, int z, long x, long y)
{
    char name[64];
    GDALDatasetH ds = mg_open(r->body, r->len, z, x, y, name, sizeof name);
    long n = 0;
    for (int i = 0; i < GDALDatasetGetLayerCount(ds); i++) {
        OGRLayerH l = GDALDatasetGetLayer(ds, i);
        OGRFeatureH f;
        OGR_L_ResetReading(l);
        while ((f = OGR_L_GetNextFeature(l)) != NULL) {
            OGRGeometryH g = OGR_F_GetGeometryRef(f);
            assert_non_null(g);
            OGRwkbGeometryType gt = wkbFlatten(OGR_G_GetGeometryType(g));
            if (gt == wkbPolygon || gt == wkbMultiPolygon)
                if (!OGR_G_IsValid(g))
                    fail_msg("tile %d/%ld/%ld: an invalid polygon in %s", z, x, y,
                             OGR_L_GetName(l));
            OGR_F_Destroy(f);
            n++;
        }
    }
    mg_close(ds, name);
    return n;
}

static void test_demo_every_tile(void **state)
{
    struct tdb *t = *state;
    static const char *const layers[] = {"districts_elementary", "districts_junior_high",
                                         "resources", "streets", "coverage"};
    /* The town's lon/lat box, from the streets' extent. */
    double xy[4], ll[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    struct err e = {0};
    assert_int_equal(store_tiles_extent(t->db->st, STORE_TILES_STREETS, NULL, xy, &e), ERR_OK);
    for (int k = 0; k < 4; k++) {
        double lon, lat;
        assert_int_equal(crs_to_lonlat(t->crs, xy[k & 1 ? 2 : 0], xy[k & 2 ? 3 : 1], &lon, &lat),
                         ERR_OK);
        ll[0] = fmin(ll[0], lon);
        ll[1] = fmin(ll[1], lat);
        ll[2] = fmax(ll[2], lon);
        ll[3] = fmax(ll[3], lat);
    }
    print_message("largest tile (bytes, gzip) per layer and zoom; tiles with features\n");
    for (size_t li = 0; li < sizeof layers / sizeof layers[0]; li++) {
        size_t worst_all = 0;
        for (int z = 0; z <= 16; z++) {
            long x0, y0, x1, y1, tiles = 0;
            size_t worst = 0, worst_gz = 0;
            assert_int_equal(tiles_tile_of(ll[0], ll[3], z, &x0, &y0, &e), ERR_OK);
            assert_int_equal(tiles_tile_of(ll[2], ll[1], z, &x1, &y1, &e), ERR_OK);
            for (long x = x0; x <= x1; x++)
                for (long y = y0; y <= y1; y++) {
                    struct tiles_result r, g;
                    get_tile(t, layers[li], z, x, y, NULL, 0, &r);
                    get_tile(t, layers[li], z, x, y, NULL, 1, &g);
                    if (!r.empty) {
                        tiles++;
                        assert_true(gdal_check_tile(&r, z, x, y) > 0);
                    }
                    worst = r.len > worst ? r.len : worst;
                    worst_gz = g.len > worst_gz ? g.len : worst_gz;
                    free(r.body);
                    free(g.body);
                }
            if (z == 8 || z >= 12)
                print_message("  %-22s z%-2d %7zu %7zu  %ld\n", layers[li], z, worst, worst_gz,
                              tiles);
            /* Every tile stays small, low zooms much smaller. */
            assert_true(worst < 500 * 1024);
            if (z <= 12)
                assert_true(worst < 64 * 1024);
            worst_all = worst > worst_all ? worst : worst_all;
        }
        assert_true(worst_all > 0);
    }
}

/* Many threads, each with its own read-only store and CRS, share one cache
 * and must see the same tiles as one thread does. */
struct worker {
    struct tdb *t;    /* the fixture (its cache is shared) */
    const char *path; /* database file */
    int ok;           /* 1 when every tile matched */
};

static void *worker_run(void *arg)
{
    struct worker *w = arg;
    struct err e = {0};
    struct store *st = store_open_readonly(w->path, &e);
    struct crs *c = st ? crs_open(store_srid(st), &e) : NULL;
    struct walk_session *ws = c ? walk_session_new(w->t->db->net, &e) : NULL;
    if (ws == NULL)
        return NULL;
    struct tiles_env env = w->t->env;
    env.st = st;
    env.crs = c;
    env.ws = ws;
    w->ok = 1;
    static const char *const layers[] = {"resources", "streets", "coverage"};
    for (int round = 0; round < 3; round++)
        for (long x = 14420; x <= 14428; x++)
            for (int li = 0; li < 3; li++) {
                struct tiles_result a, b;
                struct err ee = {0};
                if (tiles_get(w->t->tiles, &env, layers[li], 14, x, 6492, NULL, round & 1, &a,
                              &ee) != ERR_OK) {
                    w->ok = 0;
                    continue;
                }
                /* The single-threaded answer, from a private cache. */
                struct tiles *own = tiles_new(&ee);
                if (own == NULL ||
                    tiles_get(own, &env, layers[li], 14, x, 6492, NULL, round & 1, &b, &ee) !=
                        ERR_OK ||
                    strcmp(a.etag, b.etag) != 0)
                    w->ok = 0;
                else
                    free(b.body);
                tiles_free(own);
                free(a.body);
            }
    walk_session_free(ws);
    crs_close(c);
    store_close(st);
    return NULL;
}

static void test_demo_threads(void **state)
{
    struct tdb *t = *state;
    enum { N = 4 };
    pthread_t th[N];
    struct worker w[N];
    for (int i = 0; i < N; i++) {
        w[i] = (struct worker){t, t->db->path, 0};
        assert_int_equal(pthread_create(&th[i], NULL, worker_run, &w[i]), 0);
    }
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        assert_true(w[i].ok);
    }
}

static void test_demo_tilejson(void **state)
{
    struct tdb *t = *state;
    struct err e = {0};
    json_t *doc = tiles_tilejson(t->tiles, &t->env, "streets", NULL, "http://example.org:8080", &e);
    assert_non_null(doc);
    assert_string_equal(json_string_value(json_object_get(doc, "tilejson")), "3.0.0");
    assert_string_equal(json_string_value(json_array_get(json_object_get(doc, "tiles"), 0)),
                        "http://example.org:8080/tiles/streets/{z}/{x}/{y}.mvt");
    assert_int_equal(json_integer_value(json_object_get(doc, "minzoom")), TILES_STREETS_MINZOOM);
    json_t *bounds = json_object_get(doc, "bounds");
    double w = json_real_value(json_array_get(bounds, 0));
    double s = json_real_value(json_array_get(bounds, 1));
    double east = json_real_value(json_array_get(bounds, 2));
    double n = json_real_value(json_array_get(bounds, 3));
    /* The demo town lies around 136.95 E, 34.95 N. */
    assert_true(w < 136.95 && east > 136.95 && s < 34.95 && n > 34.95 && east - w < 0.2);
    json_t *center = json_object_get(doc, "center");
    assert_true(json_integer_value(json_array_get(center, 2)) >= TILES_STREETS_MINZOOM);
    json_t *vl = json_array_get(json_object_get(doc, "vector_layers"), 0);
    assert_string_equal(json_string_value(json_object_get(vl, "id")), "streets");
    assert_non_null(json_object_get(json_object_get(vl, "fields"), "steps"));
    json_decref(doc);
    struct tiles_params p = {.minutes = "15", .kind = "salon"};
    doc = tiles_tilejson(t->tiles, &t->env, "coverage", &p, "http://h", &e);
    assert_non_null(doc);
    assert_string_equal(json_string_value(json_array_get(json_object_get(doc, "tiles"), 0)),
                        "http://h/tiles/coverage/{z}/{x}/{y}.mvt?kind=salon&minutes=15&"
                        "level=elementary");
    json_decref(doc);
    assert_null(tiles_tilejson(t->tiles, &t->env, "households", NULL, "http://h", &e));
    assert_int_equal(e.code, ERR_NOTFOUND);
}

int main(void)
{
    const struct CMUnitTest pure[] = {
        cmocka_unit_test(test_bounds_and_tile_of),
        cmocka_unit_test(test_parse_zxy),
    };
    const struct CMUnitTest line[] = {
        cmocka_unit_test(test_line_resources), cmocka_unit_test(test_line_coverage),
        cmocka_unit_test(test_errors_and_empty),
        cmocka_unit_test(test_cache_and_version), /* last: it imports more */
    };
    const struct CMUnitTest demo[] = {
        cmocka_unit_test(test_demo_tilejson),
        cmocka_unit_test(test_demo_every_tile),
        cmocka_unit_test(test_demo_threads),
    };
    const struct CMUnitTest version[] = {cmocka_unit_test(test_purge_version)};
    int fails = cmocka_run_group_tests_name("tile math", pure, NULL, NULL);
    fails += cmocka_run_group_tests_name("data version", version, NULL, NULL);
    fails += cmocka_run_group_tests_name("line town", line, line_setup, tdb_teardown);
    fails += cmocka_run_group_tests_name("demo town", demo, demo_setup, tdb_teardown);
    return fails;
}
