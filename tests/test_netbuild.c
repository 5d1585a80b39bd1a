/* SPDX-License-Identifier: MIT */
/* test_netbuild.c - tests netbuild.c on hand-made polylines: OSM-style
 * noding at shared vertices, endpoint-only noding, reversed and identical
 * duplicates, the steps flag, repeated vertices and collapsed lines, exact
 * lengths, the key/xy split, and the explicit limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "netbuild.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Adds a line whose key and xy are the same array. */
static void add(struct netbuild *nb, const double *xy, size_t n, uint32_t attr, unsigned flags)
{
    struct err e = {0};
    assert_int_equal(netbuild_add_line(nb, xy, xy, n, attr, flags, &e), ERR_OK);
}

static struct netbuild *build_new(int mode)
{
    struct err e = {0};
    struct netbuild *nb = netbuild_new(mode, &e);
    assert_non_null(nb);
    return nb;
}

static void finish(struct netbuild *nb, struct netbuild_stats *st)
{
    struct err e = {0};
    assert_int_equal(netbuild_finish(nb, st, &e), ERR_OK);
    assert_int_equal(st->edges, netbuild_edge_count(nb));
    assert_int_equal(st->nodes, netbuild_node_count(nb));
}

/* Index of the node at (x, y), failing when there is none. */
static uint32_t node_at(const struct netbuild *nb, double x, double y)
{
    for (size_t i = 0; i < netbuild_node_count(nb); i++) {
        double nx, ny;
        netbuild_node_xy(nb, i, &nx, &ny);
        if (nx == x && ny == y)
            return (uint32_t)i;
    }
    fail_msg("no node at %g %g", x, y);
    return UINT32_MAX;
}

/* Every edge starts at its source node's position and ends at its target's. */
static void check_endpoints(const struct netbuild *nb)
{
    for (size_t i = 0; i < netbuild_edge_count(nb); i++) {
        const struct netbuild_edge *ed = netbuild_edge_at(nb, i);
        double x, y;
        assert_true(ed->npoints >= 2);
        netbuild_node_xy(nb, ed->source, &x, &y);
        assert_true(x == ed->xy[0] && y == ed->xy[1]);
        netbuild_node_xy(nb, ed->target, &x, &y);
        assert_true(x == ed->xy[2 * ed->npoints - 2] && y == ed->xy[2 * ed->npoints - 1]);
    }
}

/* A T junction of OSM ways: the through way's middle vertex is the side
 * way's end. 3 edges, 4 nodes, the middle node on all three. */
static void test_t_junction_shared(void **state)
{
    (void)state;
    struct netbuild *nb = build_new(NETBUILD_NODE_SHARED);
    const double through[] = {0, 0, 1, 0, 2, 0};
    const double side[] = {1, 0, 1, 1};
    add(nb, through, 3, 0, 0);
    add(nb, side, 2, 1, 0);
    struct netbuild_stats st;
    finish(nb, &st);
    assert_int_equal(netbuild_edge_count(nb), 3);
    assert_int_equal(netbuild_node_count(nb), 4);
    assert_int_equal(st.edges_noded, 3);
    assert_int_equal(st.edges_duplicate, 0);
    check_endpoints(nb);
    uint32_t mid = node_at(nb, 1, 0);
    int touching = 0;
    for (size_t i = 0; i < 3; i++) {
        const struct netbuild_edge *ed = netbuild_edge_at(nb, i);
        touching += ed->source == mid || ed->target == mid;
        assert_true(ed->length_m == 1.0);
        assert_int_equal(ed->npoints, 2);
    }
    assert_int_equal(touching, 3);
    /* Edges keep their line's attribute, in input order. */
    assert_int_equal(netbuild_edge_at(nb, 0)->attr, 0);
    assert_int_equal(netbuild_edge_at(nb, 1)->attr, 0);
    assert_int_equal(netbuild_edge_at(nb, 2)->attr, 1);
    netbuild_free(nb);
}

/* Two OSM ways crossing at a vertex both carry: a 4-way junction. */
static void test_crossing_shared_vertex(void **state)
{
    (void)state;
    const double a[] = {0, 0, 1, 0, 2, 0};
    const double b[] = {1, -1, 1, 0, 1, 1};
    struct netbuild *nb = build_new(NETBUILD_NODE_SHARED);
    add(nb, a, 3, 0, 0);
    add(nb, b, 3, 1, 0);
    struct netbuild_stats st;
    finish(nb, &st);
    assert_int_equal(netbuild_edge_count(nb), 4);
    assert_int_equal(netbuild_node_count(nb), 5);
    check_endpoints(nb);
    netbuild_free(nb);

    /* The same lines as a road layer: shared middle vertices do not join
     * (a bridge drawn with a common vertex), so 2 edges, 4 nodes. */
    nb = build_new(NETBUILD_NODE_ENDPOINTS);
    add(nb, a, 3, 0, 0);
    add(nb, b, 3, 1, 0);
    finish(nb, &st);
    assert_int_equal(netbuild_edge_count(nb), 2);
    assert_int_equal(netbuild_node_count(nb), 4);
    assert_int_equal(netbuild_edge_at(nb, 0)->npoints, 3);
    assert_true(netbuild_edge_at(nb, 0)->length_m == 2.0);
    check_endpoints(nb);
    netbuild_free(nb);
}

/* Road layer: a side street drawn onto a through street's middle vertex
 * (its end meets that vertex) cuts the through street. */
static void test_endpoints_side_street(void **state)
{
    (void)state;
    struct netbuild *nb = build_new(NETBUILD_NODE_ENDPOINTS);
    const double through[] = {0, 0, 1, 0, 2, 0, 3, 0};
    const double side[] = {2, 0, 2, 5};
    add(nb, through, 4, 0, 0);
    add(nb, side, 2, 1, 0);
    struct netbuild_stats st;
    finish(nb, &st);
    assert_int_equal(netbuild_edge_count(nb), 3);
    assert_int_equal(netbuild_node_count(nb), 4);
    assert_true(netbuild_edge_at(nb, 0)->length_m == 2.0);
    assert_int_equal(netbuild_edge_at(nb, 0)->npoints, 3);
    assert_true(netbuild_edge_at(nb, 1)->length_m == 1.0);
    assert_true(netbuild_edge_at(nb, 2)->length_m == 5.0);
    check_endpoints(nb);
    netbuild_free(nb);
}

/* osmnx style: each street once per direction, plus an identical copy and a
 * different street between the same two nodes (a parallel edge, kept). */
static void test_reversed_duplicates(void **state)
{
    (void)state;
    const double fwd[] = {0, 0, 1, 0, 1, 1};
    const double rev[] = {1, 1, 1, 0, 0, 0};
    const double other[] = {0, 0, 0, 1, 1, 1};
    const double other_rev[] = {1, 1, 0, 1, 0, 0};
    struct netbuild *nb = build_new(NETBUILD_NODE_ENDPOINTS);
    add(nb, fwd, 3, 10, 0);
    add(nb, rev, 3, 11, NETBUILD_FLAG_STEPS);
    add(nb, fwd, 3, 12, 0);
    add(nb, other, 3, 13, 0);
    add(nb, other_rev, 3, 14, 0);
    struct netbuild_stats st;
    finish(nb, &st);
    assert_int_equal(st.edges_noded, 5);
    assert_int_equal(st.edges_duplicate, 3);
    assert_int_equal(netbuild_edge_count(nb), 2);
    assert_int_equal(netbuild_node_count(nb), 2);
    const struct netbuild_edge *a = netbuild_edge_at(nb, 0), *b = netbuild_edge_at(nb, 1);
    /* The first copy stays, with its attribute and direction. */
    assert_int_equal(a->attr, 10);
    assert_true(a->xy[0] == 0 && a->xy[1] == 0 && a->xy[2] == 1 && a->xy[3] == 0);
    /* A steps duplicate marks the kept edge: it is not step-free. */
    assert_int_equal(a->flags, NETBUILD_FLAG_STEPS);
    assert_int_equal(b->attr, 13);
    assert_int_equal(b->flags, 0);
    assert_true(a->source == b->source && a->target == b->target);
    assert_true(a->length_m == 2.0 && b->length_m == 2.0);
    check_endpoints(nb);
    netbuild_free(nb);

    /* The same as OSM ways: duplicated ways share every vertex, so they are
     * cut at (1,0) and (0,1) first; each piece is then kept once. */
    nb = build_new(NETBUILD_NODE_SHARED);
    add(nb, fwd, 3, 10, 0);
    add(nb, rev, 3, 11, 0);
    add(nb, fwd, 3, 12, 0);
    add(nb, other, 3, 13, 0);
    add(nb, other_rev, 3, 14, 0);
    finish(nb, &st);
    assert_int_equal(st.edges_noded, 10);
    assert_int_equal(st.edges_duplicate, 6);
    assert_int_equal(netbuild_edge_count(nb), 4);
    assert_int_equal(netbuild_node_count(nb), 4);
    check_endpoints(nb);
    netbuild_free(nb);
}

/* Closed ways: a ring is one self-loop edge; its reversal is a duplicate. */
static void test_ring_self_loop(void **state)
{
    (void)state;
    const double ring[] = {0, 0, 4, 0, 4, 3, 0, 0};
    const double back[] = {0, 0, 4, 3, 4, 0, 0, 0};
    struct netbuild *nb = build_new(NETBUILD_NODE_SHARED);
    add(nb, ring, 4, 0, 0);
    struct netbuild_stats st;
    finish(nb, &st);
    assert_int_equal(netbuild_edge_count(nb), 1);
    assert_int_equal(netbuild_node_count(nb), 1);
    const struct netbuild_edge *ed = netbuild_edge_at(nb, 0);
    assert_int_equal(ed->source, ed->target);
    assert_int_equal(ed->npoints, 4);
    assert_true(ed->length_m == 12.0); /* 4 + 3 + 5 */
    netbuild_free(nb);

    /* As a road layer (no cuts at shared middle vertices), the ring drawn
     * the other way round is a duplicate. */
    nb = build_new(NETBUILD_NODE_ENDPOINTS);
    add(nb, ring, 4, 0, 0);
    add(nb, back, 4, 1, 0);
    finish(nb, &st);
    assert_int_equal(st.edges_duplicate, 1);
    assert_int_equal(netbuild_edge_count(nb), 1);
    assert_int_equal(netbuild_node_count(nb), 1);
    netbuild_free(nb);

    /* A way that returns to its own middle vertex (a lollipop) is cut there. */
    const double lolly[] = {0, 0, 1, 0, 2, 0, 2, 1, 1, 0};
    nb = build_new(NETBUILD_NODE_SHARED);
    add(nb, lolly, 5, 0, 0);
    finish(nb, &st);
    assert_int_equal(netbuild_edge_count(nb), 2);
    assert_int_equal(netbuild_node_count(nb), 2);
    check_endpoints(nb);
    netbuild_free(nb);
}

/* Steps: every edge cut from a steps line carries the flag, others not. */
static void test_steps_flag(void **state)
{
    (void)state;
    const double stairs[] = {0, 0, 1, 0, 2, 0};
    const double cross[] = {1, -1, 1, 0};
    struct netbuild *nb = build_new(NETBUILD_NODE_SHARED);
    add(nb, stairs, 3, 0, NETBUILD_FLAG_STEPS);
    add(nb, cross, 2, 1, 0);
    struct netbuild_stats st;
    finish(nb, &st);
    assert_int_equal(netbuild_edge_count(nb), 3);
    assert_int_equal(netbuild_edge_at(nb, 0)->flags, NETBUILD_FLAG_STEPS);
    assert_int_equal(netbuild_edge_at(nb, 1)->flags, NETBUILD_FLAG_STEPS);
    assert_int_equal(netbuild_edge_at(nb, 2)->flags, 0);
    netbuild_free(nb);
}

/* Repeated consecutive vertices are dropped (no zero-length segments or
 * edges); lines that collapse to one point are dropped and counted. */
static void test_repeated_and_collapsed(void **state)
{
    (void)state;
    const double rep[] = {0, 0, 0, 0, 3, 4, 3, 4, 3, 4};
    const double dot[] = {7, 7, 7, 7, 7, 7};
    const double single[] = {9, 9};
    /* A shared-mode way visiting (3,4) twice in a row must not become a node
     * by counting itself twice. */
    struct netbuild *nb = build_new(NETBUILD_NODE_SHARED);
    add(nb, rep, 5, 0, 0);
    add(nb, dot, 3, 1, 0);
    add(nb, single, 1, 2, 0);
    struct netbuild_stats st;
    finish(nb, &st);
    assert_int_equal(st.lines, 3);
    assert_int_equal(st.lines_collapsed, 2);
    assert_int_equal(st.points_repeated, 3 + 2);
    assert_int_equal(netbuild_edge_count(nb), 1);
    assert_int_equal(netbuild_node_count(nb), 2);
    const struct netbuild_edge *ed = netbuild_edge_at(nb, 0);
    assert_int_equal(ed->npoints, 2);
    assert_true(ed->length_m == 5.0);
    for (size_t i = 0; i < netbuild_edge_count(nb); i++)
        assert_true(netbuild_edge_at(nb, i)->length_m > 0);
    netbuild_free(nb);

    /* Only collapsed lines: an empty network, not an error. */
    nb = build_new(NETBUILD_NODE_ENDPOINTS);
    add(nb, dot, 3, 0, 0);
    finish(nb, &st);
    assert_int_equal(netbuild_edge_count(nb), 0);
    assert_int_equal(netbuild_node_count(nb), 0);
    netbuild_free(nb);
}

/* Lengths are the exact planar sums of the xy polyline, while noding follows
 * the keys: xy here is the key scaled by 1000 (degrees -> "metres"). */
static void test_lengths_and_keys(void **state)
{
    (void)state;
    const double key_a[] = {0.001, 0.002, 0.004, 0.006, 0.007, 0.002};
    const double key_b[] = {0.004, 0.006, 0.004, 0.010};
    double xy_a[6], xy_b[4];
    for (int i = 0; i < 6; i++)
        xy_a[i] = key_a[i] * 1000;
    for (int i = 0; i < 4; i++)
        xy_b[i] = key_b[i] * 1000;
    struct err e = {0};
    struct netbuild *nb = build_new(NETBUILD_NODE_SHARED);
    assert_int_equal(netbuild_add_line(nb, key_a, xy_a, 3, 0, 0, &e), ERR_OK);
    assert_int_equal(netbuild_add_line(nb, key_b, xy_b, 2, 1, 0, &e), ERR_OK);
    struct netbuild_stats st;
    finish(nb, &st);
    assert_int_equal(netbuild_edge_count(nb), 3);
    double expect[3] = {hypot(xy_a[2] - xy_a[0], xy_a[3] - xy_a[1]),
                        hypot(xy_a[4] - xy_a[2], xy_a[5] - xy_a[3]), xy_b[3] - xy_b[1]};
    for (int i = 0; i < 3; i++)
        assert_true(netbuild_edge_at(nb, (size_t)i)->length_m == expect[i]);
    check_endpoints(nb); /* node positions are xy, not keys */
    netbuild_free(nb);

    /* A 3-4-5 zigzag measures exactly 10. */
    const double zig[] = {0, 0, 3, 4, 6, 0};
    nb = build_new(NETBUILD_NODE_ENDPOINTS);
    add(nb, zig, 3, 0, 0);
    finish(nb, &st);
    assert_true(netbuild_edge_at(nb, 0)->length_m == 10.0);
    netbuild_free(nb);
}

/* -0.0 and 0.0 are one place; 1e-12 apart are two (no tolerance). */
static void test_exact_keys(void **state)
{
    (void)state;
    const double a[] = {-1, 0, -0.0, 0};
    const double b[] = {0.0, 0, 1, 0};
    const double c[] = {1e-12, 5, 1, 5};
    const double d[] = {0, 5, -1, 5};
    struct netbuild *nb = build_new(NETBUILD_NODE_ENDPOINTS);
    add(nb, a, 2, 0, 0);
    add(nb, b, 2, 1, 0);
    add(nb, c, 2, 2, 0);
    add(nb, d, 2, 3, 0);
    struct netbuild_stats st;
    finish(nb, &st);
    assert_int_equal(netbuild_edge_count(nb), 4);
    assert_int_equal(netbuild_node_count(nb), 3 + 4);
    netbuild_free(nb);
}

static void test_limits_and_misuse(void **state)
{
    (void)state;
    struct err e = {0};
    assert_null(netbuild_new(7, &e));
    assert_int_equal(e.code, ERR_INTERNAL);

    struct netbuild *nb = build_new(NETBUILD_NODE_SHARED);
    size_t n = NETBUILD_MAX_LINE_POINTS + 1;
    double *xy = calloc(2 * n, sizeof *xy);
    assert_non_null(xy);
    for (size_t i = 0; i < n; i++)
        xy[2 * i] = (double)i;
    err_clear(&e);
    assert_int_equal(netbuild_add_line(nb, xy, xy, n, 0, 0, &e), ERR_LIMIT);
    assert_non_null(strstr(e.msg, "10000"));
    /* Exactly at the limit is accepted. */
    err_clear(&e);
    assert_int_equal(netbuild_add_line(nb, xy, xy, n - 1, 0, 0, &e), ERR_OK);
    free(xy);

    const double bad[] = {0, 0, NAN, 1};
    err_clear(&e);
    assert_int_equal(netbuild_add_line(nb, bad, bad, 2, 1, 0, &e), ERR_INPUT);
    const double inf[] = {0, 0, 1, 1};
    const double infxy[] = {0, 0, INFINITY, 1};
    err_clear(&e);
    assert_int_equal(netbuild_add_line(nb, inf, infxy, 2, 1, 0, &e), ERR_INPUT);

    struct netbuild_stats st;
    finish(nb, &st);
    assert_int_equal(netbuild_edge_count(nb), 1); /* the refused lines left no trace */
    assert_int_equal(netbuild_edge_at(nb, 0)->npoints, NETBUILD_MAX_LINE_POINTS);
    err_clear(&e);
    assert_int_equal(netbuild_add_line(nb, inf, inf, 2, 1, 0, &e), ERR_INTERNAL);
    err_clear(&e);
    assert_int_equal(netbuild_finish(nb, &st, &e), ERR_INTERNAL);
    netbuild_free(nb);
    netbuild_free(NULL);
}

/* A grid of OSM-style ways (every street crossing every avenue at a shared
 * vertex) checks the counts at a size where hashing collisions happen. */
static void test_grid(void **state)
{
    (void)state;
    enum { N = 60 };
    double line[2 * N];
    struct netbuild *nb = build_new(NETBUILD_NODE_SHARED);
    for (int r = 0; r < N; r++) {
        for (int c = 0; c < N; c++) {
            line[2 * c] = c * 0.5;
            line[2 * c + 1] = r * 0.5;
        }
        add(nb, line, N, (uint32_t)r, 0);
        for (int c = 0; c < N; c++) {
            line[2 * c] = r * 0.5;
            line[2 * c + 1] = c * 0.5;
        }
        add(nb, line, N, (uint32_t)(N + r), 0);
    }
    struct netbuild_stats st;
    finish(nb, &st);
    assert_int_equal(netbuild_node_count(nb), N * N);
    assert_int_equal(netbuild_edge_count(nb), 2 * N * (N - 1));
    double total = 0;
    for (size_t i = 0; i < netbuild_edge_count(nb); i++)
        total += netbuild_edge_at(nb, i)->length_m;
    assert_true(total == 2.0 * N * (N - 1) * 0.5);
    check_endpoints(nb);
    netbuild_free(nb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_t_junction_shared),
        cmocka_unit_test(test_crossing_shared_vertex),
        cmocka_unit_test(test_endpoints_side_street),
        cmocka_unit_test(test_reversed_duplicates),
        cmocka_unit_test(test_ring_self_loop),
        cmocka_unit_test(test_steps_flag),
        cmocka_unit_test(test_repeated_and_collapsed),
        cmocka_unit_test(test_lengths_and_keys),
        cmocka_unit_test(test_exact_keys),
        cmocka_unit_test(test_limits_and_misuse),
        cmocka_unit_test(test_grid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
