/* SPDX-License-Identifier: MIT */
/* test_walk.c - tests walk.c end to end on a real database: the demo town
 * (and 宇部市's OSM network when ../shared/data is present) imported through
 * the real importer, then every query compared with an independent reference
 * written here: edges read back from the store, origin and resources snapped
 * by brute force over every segment, and a plain O(N^2) Dijkstra without a
 * heap on the graph split at the snap points. Same reachable set, same
 * distances to 0.1 m. Also: validation, presets, off-network, isochrones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "crs.h"
#include "import.h"
#include "isochrone.h"
#include "testutil.h"
#include "walk.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the reference: a plain graph as read from the store ---- */

struct ref_edge {
    long u, v;  /* node indexes */
    double len; /* length_m */
    int steps;  /* steps flag */
    double *xy; /* polyline */
    size_t n;   /* points */
};

struct ref {
    long *ids; /* node ids, ascending */
    size_t nn, cn;
    struct ref_edge *ed;
    size_t ne, ce;
};

static int ref_node(void *ctx, long id, double x, double y)
{
    struct ref *r = ctx;
    (void)x;
    (void)y;
    if (r->nn == r->cn) {
        r->cn = r->cn ? 2 * r->cn : 1024;
        r->ids = realloc(r->ids, r->cn * sizeof *r->ids);
        assert_non_null(r->ids);
    }
    r->ids[r->nn++] = id;
    return 0;
}

static long ref_index(const struct ref *r, long id)
{
    for (size_t lo = 0, hi = r->nn; lo < hi;) {
        size_t mid = (lo + hi) / 2;
        if (r->ids[mid] == id)
            return (long)mid;
        if (r->ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    fail_msg("edge refers to unknown node %ld", id);
    return -1;
}

static int ref_edge(void *ctx, long id, long s, long t, double len, int flags, const double *xy,
                    size_t n)
{
    struct ref *r = ctx;
    (void)id;
    if (r->ne == r->ce) {
        r->ce = r->ce ? 2 * r->ce : 1024;
        r->ed = realloc(r->ed, r->ce * sizeof *r->ed);
        assert_non_null(r->ed);
    }
    struct ref_edge *e = &r->ed[r->ne++];
    e->u = ref_index(r, s);
    e->v = ref_index(r, t);
    e->len = len;
    e->steps = flags & 1;
    e->n = n;
    e->xy = malloc(2 * n * sizeof *e->xy);
    assert_non_null(e->xy);
    memcpy(e->xy, xy, 2 * n * sizeof *xy);
    return 0;
}

static void ref_free(struct ref *r)
{
    for (size_t i = 0; i < r->ne; i++)
        free(r->ed[i].xy);
    free(r->ed);
    free(r->ids);
}

/* Brute-force snap: nearest point over every segment of every edge; offset
 * measured along the polyline and scaled to the edge's length. */
struct ref_snap {
    long edge;
    double off; /* from u, in length units */
    double acc; /* access leg */
};

static struct ref_snap ref_snap(const struct ref *r, double x, double y)
{
    struct ref_snap best = {-1, 0, INFINITY};
    for (size_t i = 0; i < r->ne; i++) {
        const struct ref_edge *e = &r->ed[i];
        double along = 0, total = 0;
        for (size_t k = 0; k + 1 < e->n; k++)
            total += hypot(e->xy[2 * k + 2] - e->xy[2 * k], e->xy[2 * k + 3] - e->xy[2 * k + 1]);
        for (size_t k = 0; k + 1 < e->n; k++) {
            double ax = e->xy[2 * k], ay = e->xy[2 * k + 1];
            double bx = e->xy[2 * k + 2], by = e->xy[2 * k + 3];
            double dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy;
            double t = l2 > 0 ? ((x - ax) * dx + (y - ay) * dy) / l2 : 0;
            t = t < 0 ? 0 : t > 1 ? 1 : t;
            double d = hypot(x - (ax + t * dx), y - (ay + t * dy));
            if (d < best.acc - 1e-9) {
                best.acc = d;
                best.edge = (long)i;
                double at = along + t * sqrt(l2);
                best.off = total > 0 ? at / total * e->len : 0;
            }
            along += sqrt(l2);
        }
    }
    return best;
}

/* Plain Dijkstra (no heap) from a snapped origin; returns node distances. */
static double *ref_dijkstra(const struct ref *r, struct ref_snap o, double steps)
{
    double *d = malloc(r->nn * sizeof *d);
    char *done = calloc(r->nn, 1);
    assert_non_null(d);
    assert_non_null(done);
    for (size_t i = 0; i < r->nn; i++)
        d[i] = INFINITY;
    const struct ref_edge *oe = &r->ed[o.edge];
    double f = oe->steps ? steps : 1.0;
    d[oe->u] = fmin(d[oe->u], o.acc + o.off * f);
    d[oe->v] = fmin(d[oe->v], o.acc + (oe->len - o.off) * f);
    for (;;) {
        long best = -1;
        for (size_t i = 0; i < r->nn; i++)
            if (!done[i] && isfinite(d[i]) && (best < 0 || d[i] < d[best]))
                best = (long)i;
        if (best < 0)
            break;
        done[best] = 1;
        for (size_t k = 0; k < r->ne; k++) {
            const struct ref_edge *e = &r->ed[k];
            double c = e->len * (e->steps ? steps : 1.0);
            if (e->u == best && d[best] + c < d[e->v])
                d[e->v] = d[best] + c;
            if (e->v == best && d[best] + c < d[e->u])
                d[e->u] = d[best] + c;
        }
    }
    free(done);
    return d;
}

/* Reference distance from origin snap to a target snap. */
static double ref_dist(const struct ref *r, const double *d, struct ref_snap o, struct ref_snap t,
                       double steps)
{
    const struct ref_edge *te = &r->ed[t.edge];
    double f = te->steps ? steps : 1.0;
    double best = fmin(d[te->u] + t.off * f, d[te->v] + (te->len - t.off) * f);
    if (t.edge == o.edge)
        best = fmin(best, o.acc + fabs(o.off - t.off) * f);
    return best + t.acc;
}

/* ---- fixtures ---- */

struct fx {
    char *dir, *db;
    struct store *st;
    struct walk_net *net;
    struct walk_session *s;
    struct ref ref;
};

static void fx_import(struct fx *f, int kind, const char *path)
{
    struct import_opts o = {.kind = kind, .src.path = path};
    struct import_report rep;
    struct err e = {0};
    if (import_run(f->st, &o, &rep, &e) != ERR_OK)
        fail_msg("import %s: %s", path, e.msg);
}

static int fx_open(struct fx *f)
{
    struct err e = {0};
    f->net = walk_net_load(f->st, 0, &e);
    if (f->net == NULL)
        fail_msg("walk_net_load: %s", e.msg);
    f->s = walk_session_new(f->net, &e);
    assert_non_null(f->s);
    struct store_net_cb cb = {&f->ref, ref_node, ref_edge};
    assert_int_equal(store_network_load(f->st, &cb, &e), ERR_OK);
    return 0;
}

static int demo_setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    f->dir = tu_tmpdir();
    f->db = tu_path(f->dir, "demo.db");
    struct err e = {0};
    f->st = store_open(f->db, &e);
    assert_non_null(f->st);
    char *net = tu_path(TSUNAGU_SOURCE_DIR, "data/town_network.geojson");
    char *res = tu_path(TSUNAGU_SOURCE_DIR, "data/town_resources.geojson");
    fx_import(f, IMPORT_NETWORK, net);
    fx_import(f, IMPORT_RESOURCES, res);
    free(net);
    free(res);
    *state = f;
    return fx_open(f);
}

static int teardown(void **state)
{
    struct fx *f = *state;
    if (f == NULL)
        return 0;
    walk_session_free(f->s);
    walk_net_free(f->net);
    store_close(f->st);
    ref_free(&f->ref);
    free(f->db);
    free(f->dir);
    free(f);
    return 0;
}

/* Compares walk_reachable with the reference for `nq` origins placed at
 * pseudo-random points of the graph's bounding box. */
static void compare_random(struct fx *f, int nq, double minutes, double steps, unsigned seed)
{
    double minx, miny, maxx, maxy;
    graph_bbox(walk_net_graph(f->net), &minx, &miny, &maxx, &maxy);
    struct crs *c = crs_open(walk_net_srid(f->net), NULL);
    assert_non_null(c);
    size_t nres = walk_net_resource_count(f->net);
    struct ref_snap *rs = malloc(nres * sizeof *rs);
    for (size_t i = 0; i < nres; i++) {
        const struct walk_resource *w = walk_net_resource(f->net, i);
        rs[i] = ref_snap(&f->ref, w->x, w->y);
    }
    int compared = 0, hits_total = 0;
    for (int q = 0; q < nq; q++) {
        seed = seed * 1103515245u + 12345u;
        double x = minx + (maxx - minx) * ((seed >> 8) % 10000) / 10000.0;
        seed = seed * 1103515245u + 12345u;
        double y = miny + (maxy - miny) * ((seed >> 8) % 10000) / 10000.0;
        struct walk_query wq = {.minutes = minutes, .speed = 80, .steps_factor = steps};
        assert_int_equal(crs_to_lonlat(c, x, y, &wq.lon, &wq.lat), ERR_OK);
        struct walk_result r;
        struct err e = {0};
        int rc = walk_reachable(f->s, &wq, &r, &e);
        /* The engine sees the origin after a lon/lat round trip. */
        double ox, oy;
        assert_int_equal(crs_to_xy(c, wq.lon, wq.lat, &ox, &oy), ERR_OK);
        struct ref_snap o = ref_snap(&f->ref, ox, oy);
        if (o.acc > WALK_DEFAULT_SNAP_M) {
            assert_int_equal(rc, ERR_INPUT);
            assert_non_null(strstr(e.msg, "off the network"));
            continue;
        }
        assert_int_equal(rc, ERR_OK);
        assert_true(fabs(r.snap_m - o.acc) < 0.01);
        double *d = ref_dijkstra(&f->ref, o, steps);
        double limit = minutes * 80;
        size_t expect = 0;
        for (size_t i = 0; i < nres; i++) {
            if (!walk_net_resource(f->net, i)->on_network)
                continue;
            double want = ref_dist(&f->ref, d, o, rs[i], steps);
            int found = 0;
            for (size_t k = 0; k < r.n; k++)
                if (r.hits[k].resource == i) {
                    found = 1;
                    if (fabs(r.hits[k].walk_m - want) > 0.1)
                        fail_msg("resource %zu: engine %.3f m, reference %.3f m", i,
                                 r.hits[k].walk_m, want);
                }
            /* Exactly at the limit within float noise is ambiguous: skip. */
            if (fabs(want - limit) < 1e-6)
                continue;
            if ((want <= limit) != found)
                fail_msg("resource %zu: reference %.3f m vs limit %.1f, engine %s", i, want, limit,
                         found ? "reached" : "missed");
            expect += want <= limit;
        }
        assert_int_equal(r.n, expect);
        for (size_t k = 1; k < r.n; k++)
            assert_true(r.hits[k - 1].walk_m <= r.hits[k].walk_m);
        hits_total += (int)r.n;
        compared++;
        free(d);
    }
    print_message("compared %d origins, %d reachable resources in all\n", compared, hits_total);
    assert_true(compared > nq / 2);
    assert_true(hits_total > 0);
    free(rs);
    crs_close(c);
}

static void test_demo_matches_reference(void **state)
{
    struct fx *f = *state;
    compare_random(f, 40, 30, 1.0, 7);
    compare_random(f, 20, 12, 1.0, 99);
}

static void test_demo_steps_penalty(void **state)
{
    struct fx *f = *state;
    compare_random(f, 15, 20, 4.0, 3);
}

static void test_validation(void **state)
{
    struct fx *f = *state;
    const struct walk_resource *w = walk_net_resource(f->net, 0);
    struct walk_query q = {.lon = w->lon, .lat = w->lat, .minutes = 30};
    struct walk_result r;
    struct err e = {0};
    assert_int_equal(walk_reachable(f->s, &q, &r, &e), ERR_OK);
    assert_true(r.speed == 80.0);
    assert_true(r.n >= 1);
    /* The resource itself is the nearest: its own distance is 2 x access. */
    assert_int_equal(r.hits[0].resource, 0);
    struct walk_query bad = q;
    bad.minutes = 181;
    assert_int_equal(walk_reachable(f->s, &bad, &r, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "minutes"));
    err_clear(&e);
    bad = q;
    bad.speed = 5;
    assert_int_equal(walk_reachable(f->s, &bad, &r, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "speed"));
    err_clear(&e);
    bad = q;
    bad.lon = NAN;
    assert_int_equal(walk_reachable(f->s, &bad, &r, &e), ERR_INPUT);
    err_clear(&e);
    bad = q;
    bad.lon = 2.0; /* Andorra: outside the data's area */
    assert_int_equal(walk_reachable(f->s, &bad, &r, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "outside"));
    /* Presets. */
    assert_true(walk_preset_find("slow")->speed == 60.0);
    assert_true(walk_preset_find("高齢・杖")->speed == 45.0);
    assert_null(walk_preset_find("fast"));
    /* Slower walkers reach no more than faster ones. */
    struct walk_query slow = q;
    slow.speed = 45;
    assert_int_equal(walk_reachable(f->s, &q, &r, &e), ERR_OK);
    size_t fast_n = r.n;
    assert_int_equal(walk_reachable(f->s, &slow, &r, &e), ERR_OK);
    assert_true(r.n <= fast_n);
    /* Kind filter: every hit has the kind. */
    struct walk_query k = q;
    k.kind = "consultation";
    assert_int_equal(walk_reachable(f->s, &k, &r, &e), ERR_OK);
    for (size_t i = 0; i < r.n; i++)
        assert_string_equal(walk_net_resource(f->net, r.hits[i].resource)->kind, "consultation");
}

/* Ray casting over every ring of a GeoJSON Polygon/MultiPolygon (even-odd,
 * so holes count): independent of GEOS and GDAL. */
static int pip_ring(json_t *ring, double x, double y)
{
    int in = 0;
    size_t n = json_array_size(ring);
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
        double xi = json_real_value(json_array_get(json_array_get(ring, i), 0));
        double yi = json_real_value(json_array_get(json_array_get(ring, i), 1));
        double xj = json_real_value(json_array_get(json_array_get(ring, j), 0));
        double yj = json_real_value(json_array_get(json_array_get(ring, j), 1));
        if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
            in = !in;
    }
    return in;
}

static int pip(json_t *geom, double x, double y)
{
    const char *t = json_string_value(json_object_get(geom, "type"));
    json_t *c = json_object_get(geom, "coordinates");
    int in = 0;
    if (strcmp(t, "Polygon") == 0) {
        for (size_t r = 0; r < json_array_size(c); r++)
            in ^= pip_ring(json_array_get(c, r), x, y);
        return in;
    }
    for (size_t p = 0; p < json_array_size(c); p++) {
        int inp = 0;
        for (size_t r = 0; r < json_array_size(json_array_get(c, p)); r++)
            inp ^= pip_ring(json_array_get(json_array_get(c, p), r), x, y);
        in |= inp;
    }
    return in;
}

static void test_isochrone_contains_what_is_reached(void **state)
{
    struct fx *f = *state;
    struct crs *c = crs_open(walk_net_srid(f->net), NULL);
    const struct graph *g = walk_net_graph(f->net);
    struct err e = {0};
    int inside = 0, outside = 0;
    for (size_t k = 0; k < 12; k++) {
        size_t pick = (k * 7) % walk_net_resource_count(f->net);
        const struct walk_resource *w = walk_net_resource(f->net, pick);
        struct walk_query q = {.lon = w->lon, .lat = w->lat, .minutes = 12};
        json_t *iso = isochrone_geojson(f->s, f->net, &q, 0, &e);
        assert_non_null(iso);
        json_t *geom = json_object_get(iso, "geometry");
        /* Every node reached with 15 m to spare must be inside (margin 40 m,
         * grid 10 m). The converse is not exact (an unreached node can lie
         * within the margin of a reached street), so outside nodes are only
         * counted, to show the area is not the whole town. */
        struct walk_result r;
        assert_int_equal(walk_reachable(f->s, &q, &r, &e), ERR_OK);
        for (uint32_t nd = 0; nd < graph_node_count(g); nd++) {
            double cost;
            uint32_t src;
            double x, y, lon, lat;
            graph_node_xy(g, nd, &x, &y);
            assert_int_equal(crs_to_lonlat(c, x, y, &lon, &lat), ERR_OK);
            if (search_node(walk_session_search(f->s), nd, &cost, &src) && cost <= r.limit_m - 15) {
                if (!pip(geom, lon, lat))
                    fail_msg("reached node %u (cost %.1f of %.1f m) lies outside the isochrone", nd,
                             cost, r.limit_m);
                inside++;
            } else if (!pip(geom, lon, lat)) {
                outside++;
            }
        }
        json_decref(iso);
    }
    print_message("isochrones: %d reached nodes inside, %d nodes outside\n", inside, outside);
    assert_true(inside > 100);
    assert_true(outside > 100);
    crs_close(c);
}

static void test_isochrone(void **state)
{
    struct fx *f = *state;
    const struct walk_resource *w = walk_net_resource(f->net, 0);
    struct err e = {0};
    struct walk_query q = {.lon = w->lon, .lat = w->lat, .minutes = 10};
    json_t *small = isochrone_geojson(f->s, f->net, &q, 0, &e);
    assert_non_null(small);
    q.minutes = 30;
    json_t *big = isochrone_geojson(f->s, f->net, &q, 0, &e);
    assert_non_null(big);
    double a10 = json_real_value(json_object_get(json_object_get(small, "properties"), "area_m2"));
    double a30 = json_real_value(json_object_get(json_object_get(big, "properties"), "area_m2"));
    print_message("isochrone areas: 10 min %.0f m2, 30 min %.0f m2\n", a10, a30);
    assert_true(a10 > 0);
    assert_true(a30 > a10);
    /* A 30-minute walk at 80 m/min never covers more than the disc of 2400 m
     * plus the margin. */
    assert_true(a30 < 3.14159265 * 2440.0 * 2440.0);
    const char *type = json_string_value(json_object_get(json_object_get(big, "geometry"), "type"));
    assert_non_null(type);
    assert_true(strcmp(type, "Polygon") == 0 || strcmp(type, "MultiPolygon") == 0);
    json_decref(small);
    json_decref(big);
}

static int ube_setup(void **state)
{
    *state = NULL;
    char *roads = tu_shared("ube/ube_roads_osm_edges.gpkg");
    char *shelters = tu_shared("ube/ube_shelters_P20.gpkg");
    if (roads == NULL || shelters == NULL) {
        free(roads);
        free(shelters);
        return 0;
    }
    struct fx *f = calloc(1, sizeof *f);
    f->dir = tu_tmpdir();
    f->db = tu_path(f->dir, "ube.db");
    struct err e = {0};
    f->st = store_open(f->db, &e);
    fx_import(f, IMPORT_NETWORK, roads);
    struct import_opts o = {
        .kind = IMPORT_RESOURCES, .src.path = shelters, .kind_value = "shelter"};
    struct import_report rep;
    assert_int_equal(import_run(f->st, &o, &rep, &e), ERR_OK);
    free(roads);
    free(shelters);
    *state = f;
    return fx_open(f);
}

static void test_ube_matches_reference(void **state)
{
    struct fx *f = *state;
    if (f == NULL) {
        print_message("SKIP: ../shared/data/ube is absent; this test needs the real network\n");
        skip();
    }
    struct walk_net_stats st;
    walk_net_stats(f->net, &st);
    print_message("ube: %u nodes, %u edges, %.1f bytes/directed edge, load %.1f ms\n", st.nodes,
                  st.edges, (double)st.graph_bytes / (2.0 * st.edges), st.load_ms);
    assert_true(st.edges > 10000);
    assert_true((double)st.graph_bytes / (2.0 * st.edges) <= 64.0);
    compare_random(f, 12, 30, 1.0, 11);
}

int main(void)
{
    const struct CMUnitTest demo[] = {
        cmocka_unit_test(test_demo_matches_reference),
        cmocka_unit_test(test_demo_steps_penalty),
        cmocka_unit_test(test_validation),
        cmocka_unit_test(test_isochrone),
        cmocka_unit_test(test_isochrone_contains_what_is_reached),
    };
    const struct CMUnitTest ube[] = {
        cmocka_unit_test(test_ube_matches_reference),
    };
    int rc = cmocka_run_group_tests_name("demo town", demo, demo_setup, teardown);
    rc += cmocka_run_group_tests_name("宇部市", ube, ube_setup, teardown);
    return rc;
}
