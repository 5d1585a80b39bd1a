/* SPDX-License-Identifier: MIT */
/* test_graph.c - tests src/graph.c: builder validation and limits, the CSR
 * adjacency and accessors, float32 polyline precision, snapping (scaled
 * offsets, segments, ties, off-network, zero-length edges and self-loops,
 * and a brute-force comparison on random networks), places, slices, and the
 * memory budget of 64 bytes per directed edge. */
#include "graph.h"
#include "graph_fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A builder with nodes at the given coordinates (count pairs). */
static struct graph_builder *builder_with_nodes(const double *xy, size_t count)
{
    struct err e = {0};
    struct graph_builder *b = graph_builder_new(&e);
    assert_non_null(b);
    for (size_t i = 0; i < count; i++) {
        uint32_t id = UINT32_MAX;
        assert_int_equal(graph_builder_add_node(b, xy[2 * i], xy[2 * i + 1], &id, &e), ERR_OK);
        assert_int_equal(id, i);
    }
    return b;
}

static struct graph *finish(struct graph_builder *b)
{
    struct err e = {0};
    struct graph *g = graph_builder_finish(b, &e);
    assert_non_null(g);
    assert_int_equal(e.code, ERR_OK);
    return g;
}

static void test_builder_rejects_bad_input(void **state)
{
    (void)state;
    const double nodes[] = {0, 0, 100, 0};
    struct graph_builder *b = builder_with_nodes(nodes, 2);
    struct err e = {0};
    const double line[] = {0, 0, 100, 0};

    assert_int_equal(graph_builder_add_node(b, NAN, 0, NULL, &e), ERR_INPUT);
    err_clear(&e);
    assert_int_equal(graph_builder_add_node(b, 0, 2 * GRAPH_MAX_COORD_M, NULL, &e), ERR_INPUT);
    err_clear(&e);
    assert_int_equal(graph_builder_add_edge(b, 0, 2, 100, 0, NULL, 0, NULL, &e), ERR_INPUT);
    err_clear(&e);
    assert_int_equal(graph_builder_add_edge(b, 0, 1, -1, 0, line, 2, NULL, &e), ERR_INPUT);
    err_clear(&e);
    assert_int_equal(graph_builder_add_edge(b, 0, 1, NAN, 0, line, 2, NULL, &e), ERR_INPUT);
    err_clear(&e);
    assert_int_equal(
        graph_builder_add_edge(b, 0, 1, GRAPH_MAX_EDGE_LENGTH_M * 2, 0, line, 2, NULL, &e),
        ERR_LIMIT);
    err_clear(&e);
    assert_int_equal(graph_builder_add_edge(b, 0, 1, 100, 0x100, line, 2, NULL, &e), ERR_INPUT);
    err_clear(&e);
    assert_int_equal(graph_builder_add_edge(b, 0, 1, 100, 0, line, 1, NULL, &e), ERR_INPUT);
    err_clear(&e);
    assert_int_equal(graph_builder_add_edge(b, 0, 1, 100, 0, NULL, 2, NULL, &e), ERR_INPUT);
    err_clear(&e);
    /* reversed geometry: starts at v */
    const double rev[] = {100, 0, 0, 0};
    assert_int_equal(graph_builder_add_edge(b, 0, 1, 100, 0, rev, 2, NULL, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "edge 0"));
    err_clear(&e);
    const double badv[] = {0, 0, 50, NAN, 100, 0};
    assert_int_equal(graph_builder_add_edge(b, 0, 1, 100, 0, badv, 3, NULL, &e), ERR_INPUT);
    err_clear(&e);
    /* too many vertices */
    size_t n = GRAPH_MAX_EDGE_POINTS + 1;
    double *many = calloc(2 * n, sizeof *many);
    assert_non_null(many);
    for (size_t i = 0; i < n; i++)
        many[2 * i] = 100.0 * (double)i / (double)(n - 1);
    assert_int_equal(graph_builder_add_edge(b, 0, 1, 100, 0, many, n, NULL, &e), ERR_LIMIT);
    err_clear(&e);
    /* within tolerance of the nodes is fine */
    const double near[] = {0.5, 0.5, 99.5, -0.5};
    uint32_t id = UINT32_MAX;
    assert_int_equal(graph_builder_add_edge(b, 0, 1, 100, 0, near, 2, &id, &e), ERR_OK);
    /* failures above left the builder unchanged: this is edge 0 */
    assert_int_equal(id, 0);
    assert_int_equal(graph_builder_add_edge(b, 0, 1, 100, 0, many, n - 1, &id, &e), ERR_OK);
    assert_int_equal(id, 1);
    free(many);
    struct graph *g = finish(b);
    assert_int_equal(graph_node_count(g), 2);
    assert_int_equal(graph_edge_count(g), 2);
    assert_int_equal(graph_edge_npoints(g, 1), GRAPH_MAX_EDGE_POINTS);
    graph_free(g);
}

static void test_finish_extent_limit(void **state)
{
    (void)state;
    const double nodes[] = {0, 0, GRAPH_MAX_EXTENT_M + 1, 0};
    struct graph_builder *b = builder_with_nodes(nodes, 2);
    struct err e = {0};
    assert_null(graph_builder_finish(b, &e)); /* frees b */
    assert_int_equal(e.code, ERR_LIMIT);
}

static void test_empty_graph(void **state)
{
    (void)state;
    struct err e = {0};
    struct graph_builder *b = graph_builder_new(&e);
    assert_non_null(b);
    struct graph *g = finish(b);
    assert_int_equal(graph_node_count(g), 0);
    assert_int_equal(graph_edge_count(g), 0);
    struct graph_place pl = {0};
    assert_int_equal(graph_snap(g, 0, 0, GRAPH_SNAP_DEFAULT_M, &pl, &e), ERR_NOTFOUND);
    assert_true(graph_memory_bytes(g) > 0);
    graph_free(g);
    /* abandoning a builder with content frees it */
    const double nodes[] = {0, 0, 1, 1};
    b = builder_with_nodes(nodes, 2);
    assert_int_equal(graph_builder_add_edge(b, 0, 1, 2, 0, NULL, 0, NULL, &e), ERR_OK);
    graph_builder_free(b);
    graph_builder_free(NULL);
    graph_free(NULL);
}

static void test_accessors_and_csr(void **state)
{
    (void)state;
    /* 0 -(e0)- 1 -(e1)- 2, self-loop e2 at 1, parallel e3 0-1 with steps */
    const double nodes[] = {0, 0, 100, 0, 100, 80};
    struct graph_builder *b = builder_with_nodes(nodes, 3);
    struct err e = {0};
    const double loop[] = {100, 0, 110, 0, 110, 10, 100, 0};
    const double bent[] = {0, 0, 50, -20, 100, 0};
    assert_int_equal(graph_builder_add_edge(b, 0, 1, 100, 0, NULL, 0, NULL, &e), ERR_OK);
    assert_int_equal(graph_builder_add_edge(b, 1, 2, 80, 0x80, NULL, 0, NULL, &e), ERR_OK);
    assert_int_equal(graph_builder_add_edge(b, 1, 1, 34.2, 0, loop, 4, NULL, &e), ERR_OK);
    assert_int_equal(graph_builder_add_edge(b, 0, 1, 110, GRAPH_EDGE_STEPS, bent, 3, NULL, &e),
                     ERR_OK);
    struct graph *g = finish(b);
    assert_int_equal(graph_node_count(g), 3);
    assert_int_equal(graph_edge_count(g), 4);
    double minx, miny, maxx, maxy;
    graph_bbox(g, &minx, &miny, &maxx, &maxy);
    assert_true(minx == 0 && miny == -20 && maxx == 110 && maxy == 80);
    double x, y;
    graph_node_xy(g, 2, &x, &y);
    assert_true(x == 100 && y == 80);
    uint32_t u, v;
    graph_edge_nodes(g, 3, &u, &v);
    assert_true(u == 0 && v == 1);
    assert_true(graph_edge_length(g, 2) == 34.2);
    assert_int_equal(graph_edge_flags(g, 1), 0x80);
    assert_int_equal(graph_edge_flags(g, 3), GRAPH_EDGE_STEPS);
    assert_int_equal(graph_edge_npoints(g, 0), 2);
    assert_int_equal(graph_edge_npoints(g, 2), 4);
    graph_edge_point(g, 3, 1, &x, &y);
    assert_true(x == 50 && y == -20);

    struct graph_view gv;
    graph_view(g, &gv);
    assert_int_equal(gv.nnodes, 3);
    assert_int_equal(gv.nedges, 4);
    assert_int_equal(gv.adj_off[3], 8);
    /* degrees: node 0 has e0,e3; node 1 has e0,e1,e2,e2,e3; node 2 has e1 */
    assert_int_equal(gv.adj_off[1] - gv.adj_off[0], 2);
    assert_int_equal(gv.adj_off[2] - gv.adj_off[1], 5);
    assert_int_equal(gv.adj_off[3] - gv.adj_off[2], 1);
    /* every adjacency entry is consistent with its edge */
    for (uint32_t n = 0; n < 3; n++)
        for (uint32_t k = gv.adj_off[n]; k < gv.adj_off[n + 1]; k++) {
            uint32_t ed = gv.adj_edge[k];
            uint32_t a = gv.edge_uv[2 * ed], c = gv.edge_uv[2 * ed + 1];
            assert_true((a == n && gv.adj_to[k] == c) || (c == n && gv.adj_to[k] == a));
        }
    assert_true(gv.length[3] == 110);
    assert_int_equal(gv.flags[3], GRAPH_EDGE_STEPS);
    graph_free(g);
}

static void test_float_polylines_keep_mm_precision(void **state)
{
    (void)state;
    /* Plane-rectangular-like coordinates, 100 km across, odd decimals. */
    const double nodes[] = {-45123.4567, 120456.7891, 54876.5433, 20543.2109};
    struct graph_builder *b = builder_with_nodes(nodes, 2);
    struct err e = {0};
    double xy[2 * 11];
    for (int i = 0; i <= 10; i++) {
        xy[2 * i] = nodes[0] + (nodes[2] - nodes[0]) * i / 10.0 + (i % 2 ? 3.3217 : 0);
        xy[2 * i + 1] = nodes[1] + (nodes[3] - nodes[1]) * i / 10.0 - (i % 3 ? 1.1173 : 0);
    }
    xy[20] = nodes[2];
    xy[21] = nodes[3];
    assert_int_equal(graph_builder_add_edge(b, 0, 1, 141500, 0, xy, 11, NULL, &e), ERR_LIMIT);
    err_clear(&e);
    assert_int_equal(graph_builder_add_edge(b, 0, 1, 99999, 0, xy, 11, NULL, &e), ERR_OK);
    struct graph *g = finish(b);
    double worst = 0;
    for (uint32_t i = 0; i < 11; i++) {
        double x, y;
        graph_edge_point(g, 0, i, &x, &y);
        worst = fmax(worst, hypot(x - xy[2 * i], y - xy[2 * i + 1]));
    }
    assert_true(worst < 0.005);
    graph_free(g);
}

static void test_snap_scaled_offset(void **state)
{
    (void)state;
    const double nodes[] = {1000, 2000, 1100, 2000};
    struct graph_builder *b = builder_with_nodes(nodes, 2);
    struct err e = {0};
    /* the walk is twice the drawn line (a slope, say) */
    assert_int_equal(graph_builder_add_edge(b, 0, 1, 200, 0, NULL, 0, NULL, &e), ERR_OK);
    struct graph *g = finish(b);
    struct graph_place pl;
    assert_int_equal(graph_snap(g, 1025, 2010, GRAPH_SNAP_DEFAULT_M, &pl, &e), ERR_OK);
    assert_int_equal(pl.edge, 0);
    assert_true(fabs(pl.offset_m - 50) < 1e-9);
    assert_true(fabs(pl.access_m - 10) < 1e-9);
    assert_true(fabs(pl.x - 1025) < 1e-9 && fabs(pl.y - 2000) < 1e-9);
    /* beyond the end: the end itself, offset exactly length_m */
    assert_int_equal(graph_snap(g, 1130, 2040, GRAPH_SNAP_DEFAULT_M, &pl, &e), ERR_OK);
    assert_true(pl.offset_m == 200);
    assert_true(fabs(pl.access_m - 50) < 1e-9);
    assert_int_equal(graph_snap(g, 990, 2000, GRAPH_SNAP_DEFAULT_M, &pl, &e), ERR_OK);
    assert_true(pl.offset_m == 0);
    graph_free(g);
}

static void test_snap_uses_every_segment(void **state)
{
    (void)state;
    const double nodes[] = {0, 0, 100, 100};
    struct graph_builder *b = builder_with_nodes(nodes, 2);
    struct err e = {0};
    const double ell[] = {0, 0, 100, 0, 100, 100};
    assert_int_equal(graph_builder_add_edge(b, 0, 1, 200, 0, ell, 3, NULL, &e), ERR_OK);
    struct graph *g = finish(b);
    struct graph_place pl;
    /* nearer the second segment than any vertex */
    assert_int_equal(graph_snap(g, 90, 50, GRAPH_SNAP_DEFAULT_M, &pl, &e), ERR_OK);
    assert_true(fabs(pl.offset_m - 150) < 1e-9);
    assert_true(fabs(pl.access_m - 10) < 1e-9);
    assert_true(fabs(pl.x - 100) < 1e-9 && fabs(pl.y - 50) < 1e-9);
    graph_free(g);
}

static void test_snap_off_network(void **state)
{
    (void)state;
    const double nodes[] = {0, 0, 100, 0};
    struct graph_builder *b = builder_with_nodes(nodes, 2);
    struct err e = {0};
    assert_int_equal(graph_builder_add_edge(b, 0, 1, 100, 0, NULL, 0, NULL, &e), ERR_OK);
    struct graph *g = finish(b);
    struct graph_place pl = {.edge = 77, .offset_m = -1};
    assert_int_equal(graph_snap(g, 43.21, 612.34, GRAPH_SNAP_DEFAULT_M, &pl, &e), ERR_NOTFOUND);
    /* untouched output; no coordinates in the message */
    assert_int_equal(pl.edge, 77);
    assert_true(pl.offset_m == -1);
    assert_null(strstr(e.msg, "43"));
    assert_null(strstr(e.msg, "612"));
    assert_non_null(strstr(e.msg, "500 m"));
    err_clear(&e);
    /* a caller-chosen distance brings it in; exactly at the limit counts */
    assert_int_equal(graph_snap(g, 43.21, 612.34, 1000, &pl, &e), ERR_OK);
    assert_int_equal(pl.edge, 0);
    assert_int_equal(graph_snap(g, 50, 300, 300, &pl, &e), ERR_OK);
    assert_int_equal(graph_snap(g, 50, 300.01, 300, &pl, &e), ERR_NOTFOUND);
    err_clear(&e);
    /* far away, and a zero distance */
    assert_int_equal(graph_snap(g, 1e12, -1e12, GRAPH_SNAP_MAX_M, &pl, &e), ERR_NOTFOUND);
    err_clear(&e);
    assert_int_equal(graph_snap(g, 50, 0, 0, &pl, &e), ERR_OK);
    assert_int_equal(graph_snap(g, 50, 0.5, 0, &pl, &e), ERR_NOTFOUND);
    err_clear(&e);
    /* bad arguments are not "off network" */
    assert_int_equal(graph_snap(g, NAN, 0, 500, &pl, &e), ERR_INPUT);
    err_clear(&e);
    assert_int_equal(graph_snap(g, 0, INFINITY, 500, &pl, &e), ERR_INPUT);
    err_clear(&e);
    assert_int_equal(graph_snap(g, 0, 0, -1, &pl, &e), ERR_INPUT);
    err_clear(&e);
    assert_int_equal(graph_snap(g, 0, 0, NAN, &pl, &e), ERR_INPUT);
    err_clear(&e);
    assert_int_equal(graph_snap(g, 0, 0, GRAPH_SNAP_MAX_M * 2, &pl, &e), ERR_LIMIT);
    graph_free(g);
}

/* Two streets 10 m either side of the point; the lowest id wins whatever the
 * insertion order, and a point on a node goes to its lowest-id edge. */
static void test_snap_ties_go_to_lowest_edge(void **state)
{
    (void)state;
    for (int order = 0; order < 2; order++) {
        const double nodes[] = {0, 10, 100, 10, 0, -10, 100, -10, 50, 60};
        struct graph_builder *b = builder_with_nodes(nodes, 5);
        struct err e = {0};
        uint32_t first = order == 0 ? 0 : 2, second = order == 0 ? 2 : 0;
        assert_int_equal(graph_builder_add_edge(b, first, first + 1, 100, 0, NULL, 0, NULL, &e),
                         ERR_OK);
        assert_int_equal(graph_builder_add_edge(b, second, second + 1, 100, 0, NULL, 0, NULL, &e),
                         ERR_OK);
        /* edges 2, 3, 4 all meet at node 1 (100,10): 1->4, 4->1, 1->4 */
        assert_int_equal(graph_builder_add_edge(b, 1, 4, 70, 0, NULL, 0, NULL, &e), ERR_OK);
        assert_int_equal(graph_builder_add_edge(b, 4, 1, 70, 0, NULL, 0, NULL, &e), ERR_OK);
        assert_int_equal(graph_builder_add_edge(b, 1, 4, 70, 0, NULL, 0, NULL, &e), ERR_OK);
        struct graph *g = finish(b);
        struct graph_place pl;
        assert_int_equal(graph_snap(g, 50, 0, 500, &pl, &e), ERR_OK);
        assert_int_equal(pl.edge, 0);
        assert_true(fabs(pl.access_m - 10) < 1e-9);
        /* exactly on node 1: edge 0 (its v end) beats 2, 3, 4 */
        assert_int_equal(graph_snap(g, 100, 10, 500, &pl, &e), ERR_OK);
        uint32_t u, v;
        graph_edge_nodes(g, pl.edge, &u, &v);
        if (order == 0) {
            assert_int_equal(pl.edge, 0);
            assert_true(pl.offset_m == 100);
        } else {
            assert_int_equal(pl.edge, 1);
            assert_true(pl.offset_m == 100);
        }
        assert_true(pl.access_m == 0);
        /* on node 4 (50,60): edges 2, 3, 4 tie; 2 has it as v */
        assert_int_equal(graph_snap(g, 50, 60, 500, &pl, &e), ERR_OK);
        assert_int_equal(pl.edge, 2);
        assert_true(pl.offset_m == 70);
        graph_free(g);
    }
}

static void test_zero_length_edge_and_self_loop(void **state)
{
    (void)state;
    const double nodes[] = {0, 0, 0, 0, 100, 0};
    struct graph_builder *b = builder_with_nodes(nodes, 3);
    struct err e = {0};
    const double zero[] = {0, 0, 0, 0};
    const double loop[] = {100, 0, 140, 0, 140, 30, 100, 0};
    assert_int_equal(graph_builder_add_edge(b, 0, 1, 0, 0, zero, 2, NULL, &e), ERR_OK);
    assert_int_equal(graph_builder_add_edge(b, 1, 2, 100, 0, NULL, 0, NULL, &e), ERR_OK);
    assert_int_equal(graph_builder_add_edge(b, 2, 2, 120, 0, loop, 4, NULL, &e), ERR_OK);
    struct graph *g = finish(b);
    struct graph_place pl;
    /* left of everything: the zero-length edge (id 0) at offset 0 */
    assert_int_equal(graph_snap(g, -5, 0, 500, &pl, &e), ERR_OK);
    assert_int_equal(pl.edge, 0);
    assert_true(pl.offset_m == 0 && fabs(pl.access_m - 5) < 1e-9);
    /* the loop's far side: 40 + 15 = 55 of 120 drawn metres */
    assert_int_equal(graph_snap(g, 150, 15, 500, &pl, &e), ERR_OK);
    assert_int_equal(pl.edge, 2);
    assert_true(fabs(pl.offset_m - 55) < 1e-6);
    assert_true(fabs(pl.access_m - 10) < 1e-6);
    /* slices and places on both */
    double xy[2 * 8];
    size_t n = 0;
    assert_int_equal(graph_edge_slice(g, 0, 0, 0, xy, 8, &n, &e), ERR_OK);
    assert_int_equal(n, 2);
    assert_true(xy[0] == 0 && xy[1] == 0 && xy[2] == 0 && xy[3] == 0);
    assert_int_equal(graph_edge_slice(g, 2, 20, 100, xy, 8, &n, &e), ERR_OK);
    assert_int_equal(n, 4);
    assert_true(fabs(xy[0] - 120) < 1e-6 && fabs(xy[1]) < 1e-6);
    assert_true(fabs(xy[6] - 116) < 1e-6 && fabs(xy[7] - 12) < 1e-6);
    assert_int_equal(graph_place_at(g, 2, 120, &pl, &e), ERR_OK);
    assert_true(fabs(pl.x - 100) < 1e-6 && fabs(pl.y) < 1e-6 && pl.access_m == 0);
    graph_free(g);
}

static void test_place_and_slice(void **state)
{
    (void)state;
    const double nodes[] = {0, 0, 100, 100};
    struct graph_builder *b = builder_with_nodes(nodes, 2);
    struct err e = {0};
    const double ell[] = {0, 0, 50, 0, 100, 0, 100, 100};
    /* drawn 200 m, walked 400 m: offsets are doubled drawn distances */
    assert_int_equal(graph_builder_add_edge(b, 0, 1, 400, 0, ell, 4, NULL, &e), ERR_OK);
    struct graph *g = finish(b);
    struct graph_place pl;
    assert_int_equal(graph_place_at(g, 0, 300, &pl, &e), ERR_OK);
    assert_true(fabs(pl.x - 100) < 1e-9 && fabs(pl.y - 50) < 1e-9);
    assert_int_equal(graph_place_at(g, 0, 400.5, &pl, &e), ERR_INPUT);
    err_clear(&e);
    assert_int_equal(graph_place_at(g, 1, 0, &pl, &e), ERR_INPUT);
    err_clear(&e);
    assert_int_equal(graph_place_at(g, 0, NAN, &pl, &e), ERR_INPUT);
    err_clear(&e);

    double xy[2 * 6];
    size_t n = 99;
    /* whole edge: every vertex once */
    assert_int_equal(graph_edge_slice(g, 0, 0, 400, xy, 6, &n, &e), ERR_OK);
    assert_int_equal(n, 4);
    for (size_t i = 0; i < 4; i++)
        assert_true(fabs(xy[2 * i] - ell[2 * i]) < 1e-9 &&
                    fabs(xy[2 * i + 1] - ell[2 * i + 1]) < 1e-9);
    /* from a vertex: the vertex is not repeated */
    assert_int_equal(graph_edge_slice(g, 0, 100, 300, xy, 6, &n, &e), ERR_OK);
    assert_int_equal(n, 3);
    assert_true(fabs(xy[0] - 50) < 1e-9 && fabs(xy[2] - 100) < 1e-9 && fabs(xy[5] - 50) < 1e-9);
    /* inside one segment */
    assert_int_equal(graph_edge_slice(g, 0, 10, 20, xy, 6, &n, &e), ERR_OK);
    assert_int_equal(n, 2);
    assert_true(fabs(xy[0] - 5) < 1e-9 && fabs(xy[2] - 10) < 1e-9);
    /* a single point comes back twice */
    assert_int_equal(graph_edge_slice(g, 0, 250, 250, xy, 6, &n, &e), ERR_OK);
    assert_int_equal(n, 2);
    assert_true(xy[0] == xy[2] && xy[1] == xy[3] && fabs(xy[1] - 25) < 1e-9);
    /* errors */
    assert_int_equal(graph_edge_slice(g, 0, 0, 400, xy, 3, &n, &e), ERR_LIMIT);
    assert_int_equal(n, 0);
    err_clear(&e);
    assert_int_equal(graph_edge_slice(g, 0, 300, 100, xy, 6, &n, &e), ERR_INPUT);
    err_clear(&e);
    assert_int_equal(graph_edge_slice(g, 0, -1, 100, xy, 6, &n, &e), ERR_INPUT);
    err_clear(&e);
    assert_int_equal(graph_edge_slice(g, 5, 0, 1, xy, 6, &n, &e), ERR_INPUT);
    err_clear(&e);
    /* the _new variant hands over a malloc'd buffer */
    double *own = NULL;
    assert_int_equal(graph_edge_slice_new(g, 0, 50, 350, &own, &n, &e), ERR_OK);
    assert_non_null(own);
    assert_int_equal(n, 4);
    assert_true(fabs(own[0] - 25) < 1e-9 && fabs(own[7] - 75) < 1e-9);
    free(own);
    assert_int_equal(graph_edge_slice_new(g, 0, 50, 450, &own, &n, &e), ERR_INPUT);
    assert_null(own);
    graph_free(g);
}

/* Brute force: nearest point over every segment of every edge (absolute
 * coordinates from the accessors), returning the distance. */
static double brute_nearest(const struct graph *g, double px, double py, uint32_t *edge)
{
    double best = INFINITY;
    *edge = UINT32_MAX;
    for (uint32_t ed = 0; ed < graph_edge_count(g); ed++)
        for (uint32_t i = 0; i + 1 < graph_edge_npoints(g, ed); i++) {
            double ax, ay, bx, by;
            graph_edge_point(g, ed, i, &ax, &ay);
            graph_edge_point(g, ed, i + 1, &bx, &by);
            double dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy, t = 0;
            if (l2 > 0)
                t = fmin(1, fmax(0, ((px - ax) * dx + (py - ay) * dy) / l2));
            double d = hypot(px - ax - t * dx, py - ay - t * dy);
            if (d < best - 1e-9) {
                best = d;
                *edge = ed;
            }
        }
    return best;
}

static void test_snap_matches_brute_force(void **state)
{
    (void)state;
    struct fx_rng r;
    fx_seed(&r, 20240601);
    int checked = 0, differ = 0;
    for (int round = 0; round < 6; round++) {
        struct fx_opts o = {.nx = 4 + round,
                            .ny = 3 + 2 * round,
                            .spacing = 80 + 20 * round,
                            .x0 = -30000 + 1000 * round,
                            .y0 = 95000,
                            .jitter = 15,
                            .p_delete = 0.2,
                            .min_interior = 0,
                            .max_interior = 5,
                            .bend = 20,
                            .stretch = 0.3,
                            .p_steps = 0.1,
                            .p_zero = 0.1,
                            .p_loop = 0.1,
                            .p_parallel = 0.1};
        struct graph *g = fx_random_graph(&r, &o);
        double minx, miny, maxx, maxy;
        graph_bbox(g, &minx, &miny, &maxx, &maxy);
        for (int q = 0; q < 150; q++) {
            double px = fx_unif(&r, minx - 150, maxx + 150);
            double py = fx_unif(&r, miny - 150, maxy + 150);
            double maxd = q % 5 == 0 ? fx_unif(&r, 0, 30) : GRAPH_SNAP_DEFAULT_M;
            uint32_t bedge;
            double bd = brute_nearest(g, px, py, &bedge);
            struct graph_place pl;
            struct err e = {0};
            int rc = graph_snap(g, px, py, maxd, &pl, &e);
            if (fabs(bd - maxd) < 1e-6)
                continue; /* at the boundary either answer is right */
            if (bd > maxd) {
                assert_int_equal(rc, ERR_NOTFOUND);
                continue;
            }
            assert_int_equal(rc, ERR_OK);
            assert_true(fabs(pl.access_m - bd) < 1e-6);
            /* a different edge than brute force only on a near-tie (the
             * access check above bounds it to 1e-6 m): rare */
            differ += pl.edge != bedge;
            /* the reported point is the place at the reported offset, and
             * the access leg is its distance from the query point */
            struct graph_place at;
            assert_int_equal(graph_place_at(g, pl.edge, pl.offset_m, &at, &e), ERR_OK);
            assert_true(hypot(at.x - pl.x, at.y - pl.y) < 1e-3);
            assert_true(fabs(hypot(px - pl.x, py - pl.y) - pl.access_m) < 1e-6);
            assert_true(pl.offset_m >= 0 && pl.offset_m <= graph_edge_length(g, pl.edge));
            checked++;
        }
        graph_free(g);
    }
    assert_true(checked > 600);
    assert_true(differ * 50 < checked);
}

static void test_memory_per_directed_edge(void **state)
{
    (void)state;
    struct fx_rng r;
    fx_seed(&r, 7);
    /* a 100 x 100 street grid, every edge with 4 vertices */
    struct fx_opts o = {.nx = 100,
                        .ny = 100,
                        .spacing = 90,
                        .x0 = -20000,
                        .y0 = -35000,
                        .jitter = 10,
                        .p_delete = 0.0,
                        .min_interior = 2,
                        .max_interior = 2,
                        .bend = 8,
                        .stretch = 0.05};
    struct graph *g = fx_random_graph(&r, &o);
    size_t m = graph_edge_count(g), n = graph_node_count(g);
    assert_int_equal(m, 2 * 100 * 99);
    size_t bytes = graph_memory_bytes(g);
    double per = (double)bytes / (double)(2 * m);
    print_message("graph memory: %zu bytes for %zu nodes, %zu edges: %.1f bytes per directed "
                  "edge\n",
                  bytes, n, m, per);
    assert_true(per <= 64.0);
    /* honesty: at least the raw payload (4 float32 vertices, CSR, u/v,
     * length, node coordinates) is counted, plus some index */
    size_t payload = m * (4 * 8 + 2 * 8 + 8 + 8) + n * 16;
    assert_true(bytes > payload + m);
    graph_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builder_rejects_bad_input),
        cmocka_unit_test(test_finish_extent_limit),
        cmocka_unit_test(test_empty_graph),
        cmocka_unit_test(test_accessors_and_csr),
        cmocka_unit_test(test_float_polylines_keep_mm_precision),
        cmocka_unit_test(test_snap_scaled_offset),
        cmocka_unit_test(test_snap_uses_every_segment),
        cmocka_unit_test(test_snap_off_network),
        cmocka_unit_test(test_snap_ties_go_to_lowest_edge),
        cmocka_unit_test(test_zero_length_edge_and_self_loop),
        cmocka_unit_test(test_place_and_slice),
        cmocka_unit_test(test_snap_matches_brute_force),
        cmocka_unit_test(test_memory_per_directed_edge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
