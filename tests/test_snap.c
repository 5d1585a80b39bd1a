/* SPDX-License-Identifier: MIT */
/* test_snap.c - tests src/snap.c, the segment grid, directly on raw polyline
 * arrays: exact agreement (polyline, segment, squared distance, tie-breaking)
 * with a brute-force scan on random polylines of many shapes and with random
 * search distances; empty and degenerate inputs; points far outside; and that
 * long diagonal segments cost entries along their path, not their box. */
#include "snap.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* splitmix64 */
static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static double unif(uint64_t *s, double lo, double hi)
{
    return lo + (hi - lo) * ((double)(rng_next(s) >> 11) / 9007199254740992.0);
}

/* A set of polylines in the layout snap.h expects. */
struct polys {
    uint32_t n;    /* polylines */
    uint32_t *off; /* n+1 offsets */
    float *pts;    /* x,y pairs */
    uint32_t npts; /* points */
    uint32_t cap;  /* point capacity */
};

static void polys_init(struct polys *p, uint32_t maxpolys, uint32_t maxpts)
{
    p->n = 0;
    p->npts = 0;
    p->cap = maxpts;
    p->off = calloc(maxpolys + 1, sizeof *p->off);
    p->pts = malloc(2 * (size_t)maxpts * sizeof *p->pts);
    assert_non_null(p->off);
    assert_non_null(p->pts);
}

static void polys_add(struct polys *p, const double *xy, uint32_t k)
{
    assert_true(p->npts + k <= p->cap);
    for (uint32_t i = 0; i < 2 * k; i++)
        p->pts[2 * (size_t)p->npts + i] = (float)xy[i];
    p->npts += k;
    p->off[++p->n] = p->npts;
}

static void polys_free(struct polys *p)
{
    free(p->off);
    free(p->pts);
}

/* Brute force with the same tie rule: lowest distance, then polyline, then
 * segment. */
static int brute(const struct polys *p, double x, double y, double maxd, struct snap_hit *out)
{
    int found = 0;
    double max2 = maxd * maxd;
    for (uint32_t q = 0; q < p->n; q++) {
        uint32_t k0 = p->off[q], k1 = p->off[q + 1];
        uint32_t nseg = k1 - k0 > 1 ? k1 - k0 - 1 : 1;
        for (uint32_t s = 0; s < nseg; s++) {
            uint32_t ka = k0 + s, kb = k1 - k0 > 1 ? ka + 1 : ka;
            double ax = p->pts[2 * ka], ay = p->pts[2 * ka + 1];
            double dx = p->pts[2 * kb] - ax, dy = p->pts[2 * kb + 1] - ay;
            double len2 = dx * dx + dy * dy;
            double t = len2 > 0.0 ? ((x - ax) * dx + (y - ay) * dy) / len2 : 0.0;
            t = t < 0.0 ? 0.0 : (t > 1.0 ? 1.0 : t);
            double qx = ax + t * dx, qy = ay + t * dy;
            double d2 = (x - qx) * (x - qx) + (y - qy) * (y - qy);
            if (d2 > max2 || (found && d2 >= out->dist2))
                continue; /* scanning in id order, the first of equals wins */
            found = 1;
            out->poly = q;
            out->seg = s;
            out->t = t;
            out->dist2 = d2;
            out->x = qx;
            out->y = qy;
        }
    }
    return found;
}

/* Random polylines of one of several shapes. */
static void make_random(struct polys *p, uint64_t *s, uint32_t count, int shape)
{
    double xy[2 * 12];
    for (uint32_t i = 0; i < count; i++) {
        uint32_t k = 2 + (uint32_t)(rng_next(s) % 10);
        double x = unif(s, 0, shape == 1 ? 50000 : 3000);
        double y = unif(s, 0, shape == 1 ? 20 : 3000);
        if (shape == 2) { /* a few dense clusters */
            x = 1000 * (double)(rng_next(s) % 3) + unif(s, 0, 30);
            y = 1000 * (double)(rng_next(s) % 3) + unif(s, 0, 30);
        }
        double step = shape == 3 ? 800 : 40;
        for (uint32_t j = 0; j < k; j++) {
            xy[2 * j] = x;
            xy[2 * j + 1] = y;
            if (shape == 4 && j == 1) { /* repeated vertex: zero-length segment */
                xy[2 * j] = xy[2 * j - 2];
                xy[2 * j + 1] = xy[2 * j - 1];
            }
            x += unif(s, -step, step);
            y += unif(s, -step, step);
        }
        /* snap to a coarse lattice now and then, to provoke exact ties */
        if (rng_next(s) % 4 == 0)
            for (uint32_t j = 0; j < 2 * k; j++)
                xy[j] = round(xy[j] / 10) * 10;
        polys_add(p, xy, k);
    }
}

static void test_matches_brute_force(void **state)
{
    (void)state;
    uint64_t s = 424242;
    int checked = 0, found_count = 0;
    for (int shape = 0; shape < 5; shape++) {
        for (uint32_t count = 1; count <= 400; count *= 7) {
            struct polys p;
            polys_init(&p, count, count * 12);
            make_random(&p, &s, count, shape);
            struct err e = {0};
            struct snap_index *ix = snap_index_new(p.n, p.off, p.pts, &e);
            assert_non_null(ix);
            for (int q = 0; q < 120; q++) {
                double x = unif(&s, -500, shape == 1 ? 50500 : 3500);
                double y = unif(&s, -500, 3500);
                if (q % 6 == 0) { /* exactly on a vertex */
                    uint32_t k = (uint32_t)(rng_next(&s) % p.npts);
                    x = p.pts[2 * k];
                    y = p.pts[2 * k + 1];
                } else if (q % 6 == 1) { /* on the lattice */
                    x = round(x / 10) * 10;
                    y = round(y / 10) * 10;
                }
                double maxd = q % 3 == 0 ? unif(&s, 0, 100) : (q % 3 == 1 ? 500 : 50000);
                struct snap_hit a = {0}, b = {0};
                int fa = snap_index_nearest(ix, x, y, maxd, &a);
                int fb = brute(&p, x, y, maxd, &b);
                assert_int_equal(fa, fb);
                if (fa) {
                    assert_int_equal(a.poly, b.poly);
                    assert_int_equal(a.seg, b.seg);
                    assert_true(a.dist2 == b.dist2);
                    assert_true(a.t == b.t && a.x == b.x && a.y == b.y);
                    found_count++;
                }
                checked++;
            }
            snap_index_free(ix);
            polys_free(&p);
        }
    }
    assert_true(checked >= 1000);
    assert_true(found_count > checked / 3);
}

static void test_empty_and_degenerate(void **state)
{
    (void)state;
    struct err e = {0};
    uint32_t off0 = 0;
    float none = 0;
    struct snap_index *ix = snap_index_new(0, &off0, &none, &e);
    assert_non_null(ix);
    struct snap_hit h = {.poly = 9};
    assert_int_equal(snap_index_nearest(ix, 0, 0, 1e4, &h), 0);
    assert_int_equal(h.poly, 9);
    snap_index_free(ix);

    /* every polyline a point at the same spot */
    struct polys p;
    polys_init(&p, 50, 100);
    const double dot[] = {7, 7, 7, 7};
    for (int i = 0; i < 50; i++)
        polys_add(&p, dot, 2);
    ix = snap_index_new(p.n, p.off, p.pts, &e);
    assert_non_null(ix);
    assert_int_equal(snap_index_nearest(ix, 10, 11, 5, &h), 1);
    assert_int_equal(h.poly, 0);
    assert_true(h.dist2 == 25);
    assert_int_equal(snap_index_nearest(ix, 10, 11, 4.99, &h), 0);
    assert_int_equal(snap_index_nearest(ix, 7, 7, 0, &h), 1);
    assert_true(h.dist2 == 0);
    /* far away, even beyond int range in cells */
    assert_int_equal(snap_index_nearest(ix, 1e15, -1e15, 5e4, &h), 0);
    snap_index_free(ix);
    snap_index_free(NULL);
    polys_free(&p);
}

/* A point far from a sparse network still finds it within a large radius. */
static void test_far_point_large_radius(void **state)
{
    (void)state;
    struct polys p;
    polys_init(&p, 400, 800);
    double xy[4];
    for (int i = 0; i < 400; i++) {
        xy[0] = (i % 20) * 10.0;
        xy[1] = (i / 20) * 10.0;
        xy[2] = xy[0] + 5;
        xy[3] = xy[1];
        polys_add(&p, xy, 2);
    }
    struct err e = {0};
    struct snap_index *ix = snap_index_new(p.n, p.off, p.pts, &e);
    assert_non_null(ix);
    struct snap_hit h;
    assert_int_equal(snap_index_nearest(ix, -3000, 95, 3001, &h), 1);
    assert_int_equal(h.poly, 180); /* row 9 (y = 90) and row 10 (y = 100) tie; 9 is lower */
    assert_true(fabs(h.dist2 - (3000.0 * 3000.0 + 25.0)) < 1e-6);
    assert_int_equal(snap_index_nearest(ix, -3000, 95, 3000, &h), 0);
    snap_index_free(ix);
    polys_free(&p);
}

static void test_long_diagonals_cost_their_path(void **state)
{
    (void)state;
    struct polys p;
    polys_init(&p, 100, 200);
    double xy[4];
    for (int i = 0; i < 100; i++) {
        xy[0] = i * 10.0;
        xy[1] = 0;
        xy[2] = i * 10.0 + 10000;
        xy[3] = 10000;
        polys_add(&p, xy, 2);
    }
    struct err e = {0};
    struct snap_index *ix = snap_index_new(p.n, p.off, p.pts, &e);
    assert_non_null(ix);
    /* ~10 x 10 cells; a diagonal crosses ~20-30 of them, its box 100 */
    size_t bytes = snap_index_memory_bytes(ix);
    assert_true(bytes < 100 * 40 * sizeof(uint32_t) + 200 * sizeof(uint32_t) + 256);
    struct snap_hit h;
    assert_int_equal(snap_index_nearest(ix, 5000, 5000, 10, &h), 1);
    assert_int_equal(h.poly, 0);
    assert_true(h.dist2 == 0);
    snap_index_free(ix);
    polys_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matches_brute_force),
        cmocka_unit_test(test_empty_and_degenerate),
        cmocka_unit_test(test_far_point_large_radius),
        cmocka_unit_test(test_long_diagonals_cost_their_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
