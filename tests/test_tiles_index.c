/* SPDX-License-Identifier: MIT */
/* test_tiles_index.c - the streets layer built from the in-memory index
 * (tiles_index.c: projected once per data version, and the hand-written
 * clip-free simplification of tiles_build.c for streets wholly inside the
 * buffered tile) gives byte for byte the tile the store path gives (each
 * feature read with ST_Transform and shaped by GEOS): on every demo-town
 * streets tile of zooms 13-18 and on a network with steep, crossing and
 * grazing lines; tiles_build_line against GEOSSimplify and
 * GEOSGeom_setPrecision on lines made of half units, where rounding ties
 * and distances of exactly the tolerance are common; the index follows
 * the data version (a new network import shows in the next tile); and a
 * server's background builder serves the store path's bytes until its
 * index is ready, the index's after, and builds again after an import. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "plan_fixture.h"
#include "tiles.h"
#include "tiles_private.h"

#define GEOS_USE_ONLY_R_API
#include <geos_c.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static const struct tiles_def streets_def = {
    .kind = TILES_STREETS, .id = "streets", .minzoom = TILES_STREETS_MINZOOM};

/* What one database lends the builder. */
struct tix {
    struct pf_db *db;
    struct crs *crs;
    struct tiles_env env;
    struct tiles_index_slot slot;
};

static struct tix *tix_new(struct pf_db *db)
{
    struct tix *t = calloc(1, sizeof *t);
    assert_non_null(t);
    struct err e = {0};
    t->db = db;
    t->crs = crs_open(store_srid(db->st), &e);
    assert_non_null(t->crs);
    t->env.st = db->st;
    t->env.crs = t->crs;
    assert_int_equal(crs_area_of(store_srid(db->st), &t->env.area, &e), ERR_OK);
    assert_int_equal(tiles_index_slot_init(&t->slot), ERR_OK);
    return t;
}

static void tix_free(struct tix *t)
{
    tiles_index_slot_clear(&t->slot);
    crs_close(t->crs);
    pf_free(t->db);
    free(t);
}

/* Builds tile z/x/y both ways and checks the bytes are the same; returns
 * 1 when the tile holds features. */
static int same_tile(struct tix *t, int z, long x, long y)
{
    struct err e = {0};
    unsigned long long version;
    assert_int_equal(store_tiles_version(t->db->st, &version, &e), ERR_OK);
    struct tiles_index *ix = tiles_index_acquire(&t->slot, &t->env, version, &e);
    assert_non_null(ix);
    unsigned char *a = NULL, *b = NULL;
    size_t alen = 0, blen = 0;
    assert_int_equal(tiles_build_tile(&t->env, &streets_def, NULL, ix, z, x, y, &a, &alen, &e),
                     ERR_OK);
    assert_int_equal(tiles_build_tile(&t->env, &streets_def, NULL, NULL, z, x, y, &b, &blen, &e),
                     ERR_OK);
    tiles_index_release(&t->slot, ix);
    if (alen != blen || (alen && memcmp(a, b, alen) != 0))
        fail_msg("streets tile %d/%ld/%ld: %zu bytes from the index, %zu from the store", z, x, y,
                 alen, blen);
    free(a);
    free(b);
    return alen > 0;
}

/* Every tile of zooms z0..z1 over the lon/lat box of the streets (at most
 * `cap` per zoom, spread evenly); returns the non-empty ones. */
static long same_tiles_over(struct tix *t, int z0, int z1, long cap)
{
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
    long full = 0;
    for (int z = z0; z <= z1; z++) {
        long x0, y0, x1, y1;
        assert_int_equal(tiles_tile_of(ll[0], ll[3], z, &x0, &y0, &e), ERR_OK);
        assert_int_equal(tiles_tile_of(ll[2], ll[1], z, &x1, &y1, &e), ERR_OK);
        long n = (x1 - x0 + 1) * (y1 - y0 + 1), step = n > cap ? n / cap + 1 : 1;
        for (long i = 0; i < n; i += step)
            full += same_tile(t, z, x0 + i % (x1 - x0 + 1), y0 + i / (x1 - x0 + 1));
    }
    return full;
}

static void test_demo_town(void **state)
{
    struct tix *t = tix_new(pf_demo_town());
    long full = same_tiles_over(t, 13, 18, 1500);
    print_message("demo town: %ld non-empty streets tiles (zooms 13-18) identical\n", full);
    assert_true(full > 100);
    tix_free(t);
}

/* Lines meant to meet the awkward cases: steep and shallow lines across
 * tile and buffer edges, a line along a tile edge, short segments that
 * collapse on the grid, near-collinear vertices at the simplification
 * tolerance, a closed loop. EPSG:6675 metres around (0, -100000). */
#define TIX_LINE(coords)                                                                           \
    "{\"type\":\"Feature\",\"properties\":{\"highway\":\"footway\",\"name\":\"n\"},"               \
    "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[" coords "]}}"

static void test_awkward_lines(void **state)
{
    struct pf_db *d = pf_new("awkward.db");
    char *net = tu_write(
        d->dir, "net.geojson",
        PF_FC(TIX_LINE("[0,-100000],[3,-99000],[5,-98000],[8,-97000]") "," TIX_LINE(
            "[-800,-"
            "100300],["
            "2400,-"
            "100290],["
            "4800,-"
            "100300]") "," TIX_LINE("[100,-100100],[100.2,-"
                                    "100100.1],[100.3,-"
                                    "100100]") "," TIX_LINE("[500,-99500],[510,-99499.99],[520,"
                                                            "-99500.01],[530,-"
                                                            "99500],[540,-99499.5],"
                                                            "[560,-99500]") "," TIX_LINE("[900,"
                                                                                         "-9990"
                                                                                         "0],["
                                                                                         "1100,"
                                                                                         "-"
                                                                                         "99900"
                                                                                         "],["
                                                                                         "1100,"
                                                                                         "-9970"
                                                                                         "0],"
                                                                                         "[900,"
                                                                                         "-9970"
                                                                                         "0],["
                                                                                         "900,-"
                                                                                         "99900"
                                                                                         "]") "," TIX_LINE("[-"
                                                                                                           "12"
                                                                                                           "00"
                                                                                                           ",-"
                                                                                                           "10"
                                                                                                           "12"
                                                                                                           "00"
                                                                                                           "],"
                                                                                                           "[1"
                                                                                                           "20"
                                                                                                           "0,"
                                                                                                           "-9"
                                                                                                           "88"
                                                                                                           "00"
                                                                                                           "]") "," TIX_LINE("[1500,-100000],[1501,-"
                                                                                                                             "98000],[1502,-100000]")));
    pf_import(d->st, IMPORT_NETWORK, net, NULL, NULL, "EPSG:6675");
    free(net);
    struct tix *t = tix_new(d);
    long full = same_tiles_over(t, 13, 20, 4000);
    print_message("awkward lines: %ld non-empty streets tiles (zooms 13-20) identical\n", full);
    assert_true(full > 50);
    tix_free(t);
}

/* A new import changes the data version: the service's next streets tile
 * comes from a new index (the old one would still show the old lines). */
static void test_follows_version(void **state)
{
    struct pf_db *d = pf_line_town();
    struct err e = {0};
    struct crs *c = crs_open(store_srid(d->st), &e);
    struct tiles_env env = {.st = d->st, .crs = c};
    assert_int_equal(crs_area_of(store_srid(d->st), &env.area, &e), ERR_OK);
    struct tiles *tl = tiles_new(&e);
    double lon, lat;
    long x, y;
    assert_int_equal(crs_to_lonlat(c, 2000, -100000, &lon, &lat), ERR_OK);
    assert_int_equal(tiles_tile_of(lon, lat, 15, &x, &y, &e), ERR_OK);
    struct tiles_result a, b;
    assert_int_equal(tiles_get(tl, &env, "streets", 15, x, y, NULL, 0, &a, &e), ERR_OK);
    assert_false(a.empty);
    char *net = tu_write(d->dir, "net2.geojson",
                         PF_FC(TIX_LINE("[1000,-100500],[3000,-99500]") "," PF_LINE(0, 5000)));
    pf_import(d->st, IMPORT_NETWORK, net, NULL, NULL, "EPSG:6675");
    free(net);
    assert_int_equal(tiles_get(tl, &env, "streets", 15, x, y, NULL, 0, &b, &e), ERR_OK);
    assert_true(b.len != a.len || memcmp(a.body, b.body, a.len) != 0);
    /* and it is the tile the store path gives for the new data */
    unsigned char *s = NULL;
    size_t slen = 0;
    assert_int_equal(tiles_build_tile(&env, &streets_def, NULL, NULL, 15, x, y, &s, &slen, &e),
                     ERR_OK);
    assert_int_equal(slen, b.len);
    assert_memory_equal(s, b.body, slen);
    free(s);
    free(a.body);
    free(b.body);
    tiles_free(tl);
    crs_close(c);
    pf_free(d);
}

/* The tile of z/x/y the store path gives (no index). */
static void store_tile(const struct tiles_env *env, int z, long x, long y, unsigned char **out,
                       size_t *len)
{
    struct err e = {0};
    assert_int_equal(tiles_build_tile(env, &streets_def, NULL, NULL, z, x, y, out, len, &e),
                     ERR_OK);
}

/* The background builder (a server's): while it has not published the
 * index, acquire hands out none and never waits (the store path); once it
 * has, the index gives byte for byte the same tiles; an import (a new data
 * version) makes it build again. The builder is held off with the slot's
 * load lock, so "before" is certain, not a race. */
static void test_background(void **state)
{
    struct pf_db *d = pf_line_town();
    struct err e = {0};
    struct crs *c = crs_open(store_srid(d->st), &e);
    struct tiles_env env = {.st = d->st, .crs = c};
    assert_int_equal(crs_area_of(store_srid(d->st), &env.area, &e), ERR_OK);
    double lon, lat;
    long x, y;
    assert_int_equal(crs_to_lonlat(c, 2000, -100000, &lon, &lat), ERR_OK);
    assert_int_equal(tiles_tile_of(lon, lat, 15, &x, &y, &e), ERR_OK);
    unsigned long long v1, v2;
    assert_int_equal(store_tiles_version(d->st, &v1, &e), ERR_OK);

    struct tiles_index_slot slot;
    assert_int_equal(tiles_index_slot_init(&slot), ERR_OK);
    pthread_mutex_lock(&slot.load_lock); /* the builder cannot load yet */
    assert_int_equal(tiles_index_background(&slot, d->path, &e), ERR_OK);
    struct tiles_index *ix = tiles_index_acquire(&slot, &env, v1, &e);
    assert_null(ix);
    assert_int_equal(e.code, ERR_OK);
    assert_int_equal(tiles_index_wait(&slot, v1, 50), 0);
    unsigned char *before = NULL, *after = NULL;
    size_t blen = 0, alen = 0;
    assert_int_equal(tiles_build_tile(&env, &streets_def, NULL, ix, 15, x, y, &before, &blen, &e),
                     ERR_OK);
    pthread_mutex_unlock(&slot.load_lock);
    assert_int_equal(tiles_index_wait(&slot, v1, 60000), 1);
    ix = tiles_index_acquire(&slot, &env, v1, &e);
    assert_non_null(ix);
    assert_int_equal(tiles_build_tile(&env, &streets_def, NULL, ix, 15, x, y, &after, &alen, &e),
                     ERR_OK);
    tiles_index_release(&slot, ix);
    assert_true(blen > 0);
    assert_int_equal(alen, blen);
    assert_memory_equal(after, before, blen);
    free(after);
    free(before);

    /* An import: the next request asks for the new version's index and
     * is served from the store meanwhile; the builder then publishes it. */
    char *net = tu_write(d->dir, "net2.geojson",
                         PF_FC(TIX_LINE("[1000,-100500],[3000,-99500]") "," PF_LINE(0, 5000)));
    pf_import(d->st, IMPORT_NETWORK, net, NULL, NULL, "EPSG:6675");
    free(net);
    assert_int_equal(store_tiles_version(d->st, &v2, &e), ERR_OK);
    assert_true(v2 != v1);
    pthread_mutex_lock(&slot.load_lock);
    assert_null(tiles_index_acquire(&slot, &env, v2, &e));
    assert_int_equal(e.code, ERR_OK);
    assert_int_equal(tiles_build_tile(&env, &streets_def, NULL, NULL, 15, x, y, &before, &blen, &e),
                     ERR_OK);
    pthread_mutex_unlock(&slot.load_lock);
    assert_int_equal(tiles_index_wait(&slot, v2, 60000), 1);
    ix = tiles_index_acquire(&slot, &env, v2, &e);
    assert_non_null(ix);
    assert_true(ix->version == v2);
    assert_int_equal(tiles_build_tile(&env, &streets_def, NULL, ix, 15, x, y, &after, &alen, &e),
                     ERR_OK);
    tiles_index_release(&slot, ix);
    assert_int_equal(alen, blen);
    assert_memory_equal(after, before, blen);
    pthread_mutex_lock(&slot.lock);
    assert_int_equal(slot.builds, 2);
    pthread_mutex_unlock(&slot.lock);
    free(after);
    free(before);
    tiles_index_slot_clear(&slot);

    /* Through the service: tiles_background at start, tiles before and
     * after the index is ready are the store path's bytes. */
    struct tiles *tl = tiles_new(&e);
    assert_non_null(tl);
    assert_int_equal(tiles_background(tl, d->path, &e), ERR_OK);
    struct tiles_result a, b;
    assert_int_equal(tiles_get(tl, &env, "streets", 15, x, y, NULL, 0, &a, &e), ERR_OK);
    assert_int_equal(tiles_background_wait(tl, v2, 60000), 1);
    assert_int_equal(tiles_background_builds(tl), 1);
    assert_int_equal(tiles_get(tl, &env, "streets", 15, x + 1, y, NULL, 0, &b, &e), ERR_OK);
    store_tile(&env, 15, x, y, &before, &blen);
    store_tile(&env, 15, x + 1, y, &after, &alen);
    assert_int_equal(a.len, blen);
    assert_memory_equal(a.body, before, blen);
    assert_int_equal(b.len, alen);
    if (alen)
        assert_memory_equal(b.body, after, alen);
    free(a.body);
    free(b.body);
    free(before);
    free(after);
    tiles_free(tl);
    crs_close(c);
    pf_free(d);
}

/* tiles_build_line against GEOS on 20,000 random lines of 2-12 vertices
 * on a half-unit lattice around 0 (ties everywhere, negative ones too:
 * the buffer), after dropping repeated
 * points as both mvt_geom_line and GEOS's precision reducer do. */
static void test_line_vs_geos(void **state)
{
    GEOSContextHandle_t h = GEOS_init_r();
    assert_non_null(h);
    unsigned seed = 20261207;
    long ties = 0;
    for (int it = 0; it < 20000; it++) {
        double u[24];
        unsigned char keep[12];
        struct mvt_point ours[12];
        size_t n = 2 + (size_t)(it % 11);
        double scale = it % 3 == 0 ? 0.5 : it % 3 == 1 ? 1.5 : 40.5;
        for (size_t i = 0; i < 2 * n; i++) {
            seed = seed * 1103515245u + 12345u;
            u[i] = -2.0 + scale * (double)((seed >> 16) % 9) - (it % 2 ? 0.5 : 0.0);
        }
        for (size_t i = 0; i < 2 * n; i++)
            ties += fabs(u[i] - floor(u[i]) - 0.5) < 1e-12;
        size_t m = tiles_build_line(u, n, keep, ours);
        size_t k = 0; /* ours without repeated points */
        for (size_t i = 0; i < m; i++)
            if (k == 0 || ours[i].x != ours[k - 1].x || ours[i].y != ours[k - 1].y)
                ours[k++] = ours[i];
        GEOSCoordSequence *cs = GEOSCoordSeq_copyFromBuffer_r(h, u, (unsigned)n, 0, 0);
        GEOSGeometry *line = GEOSGeom_createLineString_r(h, cs);
        GEOSGeometry *simple = GEOSSimplify_r(h, line, 1.0);
        GEOSGeometry *snapped = GEOSGeom_setPrecision_r(h, simple, 1.0, 0);
        assert_non_null(snapped);
        unsigned gn = 0;
        if (GEOSisEmpty_r(h, snapped) != 1)
            assert_int_equal(GEOSCoordSeq_getSize_r(h, GEOSGeom_getCoordSeq_r(h, snapped), &gn), 1);
        if (gn == 0) {
            assert_true(k < 2); /* GEOS removed the collapsed line; mvt_geom_line drops it */
        } else {
            assert_int_equal(k, gn);
            for (unsigned i = 0; i < gn; i++) {
                double x, y;
                GEOSCoordSeq_getXY_r(h, GEOSGeom_getCoordSeq_r(h, snapped), i, &x, &y);
                if (ours[i].x != (int32_t)x || ours[i].y != (int32_t)y)
                    fail_msg("line %d, vertex %u: (%d, %d), GEOS (%g, %g)", it, i, ours[i].x,
                             ours[i].y, x, y);
            }
        }
        GEOSGeom_destroy_r(h, snapped);
        GEOSGeom_destroy_r(h, simple);
        GEOSGeom_destroy_r(h, line);
    }
    assert_true(ties > 10000);
    GEOS_finish_r(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line_vs_geos),  cmocka_unit_test(test_demo_town),
        cmocka_unit_test(test_awkward_lines), cmocka_unit_test(test_follows_version),
        cmocka_unit_test(test_background),
    };
    return cmocka_run_group_tests_name("streets index", tests, NULL, NULL);
}
