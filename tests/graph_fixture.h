/* SPDX-License-Identifier: MIT */
/* graph_fixture.h - random street networks for test_graph.c and test_search.c
 * (header-only so the tests' CMake glob needs no edit): a deterministic RNG
 * and a grid-like graph with random deletions, jittered nodes, random
 * polylines, lengths a little over the polyline length, steps, zero-length
 * edges (twin nodes), self-loops and parallel edges.
 *
 * Entry points: fx_seed, fx_u64, fx_unif, fx_below, fx_random_graph. */
#ifndef TSUNAGU_GRAPH_FIXTURE_H
#define TSUNAGU_GRAPH_FIXTURE_H

#include "graph.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

/* splitmix64: small, fixed-seed, identical on every platform. */
struct fx_rng {
    uint64_t s; /* state */
};

static inline void fx_seed(struct fx_rng *r, uint64_t seed)
{
    r->s = seed;
}

static inline uint64_t fx_u64(struct fx_rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [lo, hi). */
static inline double fx_unif(struct fx_rng *r, double lo, double hi)
{
    return lo + (hi - lo) * ((double)(fx_u64(r) >> 11) / 9007199254740992.0);
}

/* Uniform integer in [0, n). */
static inline uint32_t fx_below(struct fx_rng *r, uint32_t n)
{
    return (uint32_t)(fx_u64(r) % n);
}

/* Shape of a random network. */
struct fx_opts {
    int nx, ny;        /* grid nodes per row and column */
    double spacing;    /* grid spacing in metres */
    double x0, y0;     /* coordinates of grid node (0,0) */
    double jitter;     /* node jitter, metres (uniform +-) */
    double p_delete;   /* probability a grid edge is left out */
    int min_interior;  /* fewest interior polyline vertices per edge */
    int max_interior;  /* most interior polyline vertices per edge */
    double bend;       /* sideways offset of interior vertices, metres (+-) */
    double stretch;    /* length_m = polyline length * U[1, 1+stretch) */
    double p_steps;    /* probability an edge is steps */
    double p_zero;     /* probability an edge starts at a twin node via a zero edge */
    double p_loop;     /* probability a node gets a self-loop */
    double p_parallel; /* probability an edge gets a parallel twin */
};

/* Polyline from (ax,ay) to (bx,by) with k interior vertices into xy (2*(k+2)
 * doubles); returns its length. */
static inline double fx_polyline(struct fx_rng *r, const struct fx_opts *o, double ax, double ay,
                                 double bx, double by, int k, double *xy)
{
    double dx = bx - ax, dy = by - ay, d = hypot(dx, dy);
    double nxv = d > 0 ? -dy / d : 0, nyv = d > 0 ? dx / d : 0;
    xy[0] = ax;
    xy[1] = ay;
    double prev = 0.0;
    for (int i = 1; i <= k; i++) {
        /* increasing fractions so the line goes forward */
        double t = prev + (1.0 - prev) * fx_unif(r, 0.1, 0.9) / (double)(k - i + 2) * 1.5;
        if (t > 0.99)
            t = 0.99;
        prev = t;
        double off = fx_unif(r, -o->bend, o->bend);
        xy[2 * i] = ax + t * dx + off * nxv;
        xy[2 * i + 1] = ay + t * dy + off * nyv;
    }
    xy[2 * (k + 1)] = bx;
    xy[2 * (k + 1) + 1] = by;
    double len = 0.0;
    for (int i = 0; i <= k; i++)
        len += hypot(xy[2 * i + 2] - xy[2 * i], xy[2 * i + 3] - xy[2 * i + 1]);
    return len;
}

/* Add one random edge a-b (node ids) to the builder. */
static inline void fx_edge(struct fx_rng *r, const struct fx_opts *o, struct graph_builder *b,
                           uint32_t a, uint32_t bn, const double *nodes)
{
    double xy[2 * 64];
    int span = o->max_interior - o->min_interior;
    int k = o->min_interior + (span > 0 ? (int)fx_below(r, (uint32_t)span + 1) : 0);
    assert_true(k + 2 <= 64);
    double plen =
        fx_polyline(r, o, nodes[2 * a], nodes[2 * a + 1], nodes[2 * bn], nodes[2 * bn + 1], k, xy);
    double len = plen * (o->stretch > 0 ? fx_unif(r, 1.0, 1.0 + o->stretch) : 1.0);
    unsigned flags = fx_unif(r, 0, 1) < o->p_steps ? GRAPH_EDGE_STEPS : 0;
    struct err e = {0};
    assert_int_equal(graph_builder_add_edge(b, a, bn, len, flags, xy, (size_t)k + 2, NULL, &e),
                     ERR_OK);
}

/* Build a random network; the caller frees it with graph_free. */
static inline struct graph *fx_random_graph(struct fx_rng *r, const struct fx_opts *o)
{
    struct err e = {0};
    struct graph_builder *b = graph_builder_new(&e);
    assert_non_null(b);
    size_t cap = (size_t)o->nx * o->ny * 2 + 16;
    double *nodes = malloc(2 * cap * sizeof *nodes);
    assert_non_null(nodes);
    uint32_t nn = 0;
    for (int j = 0; j < o->ny; j++)
        for (int i = 0; i < o->nx; i++) {
            double x = o->x0 + i * o->spacing + fx_unif(r, -o->jitter, o->jitter);
            double y = o->y0 + j * o->spacing + fx_unif(r, -o->jitter, o->jitter);
            assert_int_equal(graph_builder_add_node(b, x, y, NULL, &e), ERR_OK);
            nodes[2 * nn] = x;
            nodes[2 * nn + 1] = y;
            nn++;
        }
    for (int j = 0; j < o->ny; j++)
        for (int i = 0; i < o->nx; i++) {
            uint32_t a = (uint32_t)(j * o->nx + i);
            for (int dir = 0; dir < 2; dir++) {
                int i2 = i + (dir == 0), j2 = j + (dir == 1);
                if (i2 >= o->nx || j2 >= o->ny || fx_unif(r, 0, 1) < o->p_delete)
                    continue;
                uint32_t bn = (uint32_t)(j2 * o->nx + i2), from = a;
                if (fx_unif(r, 0, 1) < o->p_zero && nn < cap) {
                    /* a twin of a at the same spot, joined by a zero-length edge */
                    nodes[2 * nn] = nodes[2 * a];
                    nodes[2 * nn + 1] = nodes[2 * a + 1];
                    assert_int_equal(
                        graph_builder_add_node(b, nodes[2 * a], nodes[2 * a + 1], &from, &e),
                        ERR_OK);
                    assert_int_equal(from, nn);
                    nn++;
                    double z[4] = {nodes[2 * a], nodes[2 * a + 1], nodes[2 * a], nodes[2 * a + 1]};
                    assert_int_equal(graph_builder_add_edge(b, a, from, 0.0, 0, z, 2, NULL, &e),
                                     ERR_OK);
                }
                fx_edge(r, o, b, from, bn, nodes);
                if (fx_unif(r, 0, 1) < o->p_parallel)
                    fx_edge(r, o, b, from, bn, nodes);
            }
            if (fx_unif(r, 0, 1) < o->p_loop) {
                double ax = nodes[2 * a], ay = nodes[2 * a + 1], s = o->spacing * 0.2;
                double loop[8] = {ax, ay, ax + s, ay + s * 0.1, ax + s, ay + s, ax, ay};
                double plen = hypot(s, s * 0.1) + hypot(0, s * 0.9) + hypot(s, s);
                assert_int_equal(graph_builder_add_edge(b, a, a, plen, 0, loop, 4, NULL, &e),
                                 ERR_OK);
            }
        }
    free(nodes);
    struct graph *g = graph_builder_finish(b, &e);
    assert_non_null(g);
    return g;
}

#endif
