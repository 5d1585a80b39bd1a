/* SPDX-License-Identifier: MIT */
/* test_raster.c - tests src/geo/raster.c (raster_line_area) against the
 * exact area: GEOS's buffer of the same lines by the same margin, dissolved
 * (iso_exact.h). On a lone point, a lone segment whose ends fall on grid
 * lines, a tiny network of two streets and random street-like networks the
 * traced outline must stay within 0.6 cell of the exact one (Hausdorff
 * distance along both outlines) and the area within 1.5 %. Also: the input
 * checks and the grid-size limit. */
#include "iso_exact.h"
#include "raster.h"

#include <stdio.h>
#include <string.h>

#define MARGIN 40.0
/* How far the outline may lie from the exact one, in cells. The distance
 * is exact at every cell centre, so the outline misses the exact one only
 * between centres: where two streets' margins barely meet, a notch of
 * outside narrower than the centres' spacing holds no centre and is
 * bridged, its middle up to about half a cell outside the exact area
 * (diagonal and wedge-shaped notches a little more); measured worst 0.56
 * cell on the four networks of test_isochrone.c. */
#define OUTLINE_CELLS 0.6
#define CELL 10.0

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

/* Traces the lines, compares with the exact area, prints and checks. */
static struct ie_cmp check_lines(const char *what, const struct raster_line *l, size_t n)
{
    unsigned char *wkb = NULL;
    size_t len = 0;
    struct err e = {0};
    if (raster_line_area(l, n, MARGIN, CELL, &wkb, &len, &e) != ERR_OK)
        fail_msg("%s: %s", what, e.msg);
    GEOSContextHandle_t h = GEOS_init_r();
    GEOSGeometry *traced = ie_from_wkb(h, wkb, len);
    GEOSGeometry *exact = ie_exact(h, l, n, MARGIN);
    struct ie_cmp c = ie_compare(h, traced, exact);
    double rel = (c.area_traced - c.area_exact) / c.area_exact;
    print_message("%-28s area %9.0f m2, exact %9.0f m2 (%+.2f %%), outline to exact %.2f m, "
                  "exact to outline %.2f m\n",
                  what, c.area_traced, c.area_exact, 100 * rel, c.out_to_exact, c.exact_to_out);
    if (fabs(rel) > 0.015)
        fail_msg("%s: the area differs from the exact buffer by %.2f %%", what, 100 * rel);
    if (c.out_to_exact > OUTLINE_CELLS * CELL || c.exact_to_out > OUTLINE_CELLS * CELL)
        fail_msg("%s: the outline is %.2f m from the exact one at (%.1f, %.1f), more than 0.6 "
                 "cell",
                 what, fmax(c.out_to_exact, c.exact_to_out), c.hx, c.hy);
    GEOSGeom_destroy_r(h, traced);
    GEOSGeom_destroy_r(h, exact);
    GEOS_finish_r(h);
    free(wkb);
    return c;
}

static void test_point(void **state)
{
    (void)state;
    double xy[2] = {120345.0, 3540210.0};
    struct raster_line l = {xy, 1};
    check_lines("a lone point", &l, 1);
}

/* A segment whose ends are the extreme points of the input: a grid anchored
 * on the extreme points put them on cell boundaries, and the western and
 * northern edges came out a cell short. */
static void test_segment_on_grid_lines(void **state)
{
    (void)state;
    double h[4] = {1000.0, 2000.0, 1100.0, 2000.0};
    struct raster_line l = {h, 2};
    check_lines("a horizontal segment", &l, 1);
    double v[4] = {1000.0, 2000.0, 1000.0, 2230.0};
    l.xy = v;
    check_lines("a vertical segment", &l, 1);
    double d[4] = {5003.3, 7001.7, 5291.9, 7240.2};
    l.xy = d;
    check_lines("a diagonal segment", &l, 1);
}

/* Two streets meeting at a right angle and a short spur: a tiny network,
 * where a cell lost on one side is a large share of the area. */
static void test_tiny_network(void **state)
{
    (void)state;
    double a[6] = {0, 0, 60, 0, 60, 45};
    double b[4] = {60, 45, 72, 51};
    struct raster_line l[2] = {{a, 3}, {b, 2}};
    check_lines("a tiny network", l, 2);
}

/* Street-like networks: jittered grids of short polylines with gaps, and
 * points, in a random position and at random angles. */
static void test_random_networks(void **state)
{
    (void)state;
    uint64_t s = 20261206;
    double worst = 0;
    for (int round = 0; round < 12; round++) {
        size_t n = 0, cap = 200;
        struct raster_line *l = calloc(cap, sizeof *l);
        double *pts = malloc(cap * 8 * sizeof *pts);
        double ox = unif(&s, -5e5, 5e5), oy = unif(&s, 3e6, 4e6);
        double step = unif(&s, 60, 130), ang = unif(&s, 0, 3.14159);
        int side = 3 + (int)(rng_next(&s) % 6);
        for (int i = 0; i < side && n < cap; i++)
            for (int j = 0; j < side && n < cap; j++) {
                if (rng_next(&s) % 4 == 0)
                    continue; /* a gap in the network */
                double *p = pts + 8 * n;
                size_t np = 1 + rng_next(&s) % 4;
                double x = i * step + unif(&s, -8, 8), y = j * step + unif(&s, -8, 8);
                for (size_t k = 0; k < np; k++) {
                    double px = x, py = y;
                    p[2 * k] = ox + px * cos(ang) - py * sin(ang);
                    p[2 * k + 1] = oy + px * sin(ang) + py * cos(ang);
                    x += unif(&s, 0, step / 2);
                    y += unif(&s, -step / 4, step / 4);
                }
                l[n++] = (struct raster_line){p, np};
            }
        char what[64];
        snprintf(what, sizeof what, "random network %d (%zu lines)", round, n);
        struct ie_cmp c = check_lines(what, l, n);
        worst = fmax(worst, fmax(c.out_to_exact, c.exact_to_out));
        free(pts);
        free(l);
    }
    print_message("random networks: worst outline distance %.2f m (cell %.0f m)\n", worst, CELL);
}

static void test_inputs(void **state)
{
    (void)state;
    unsigned char *wkb = NULL;
    size_t len = 0;
    struct err e = {0};
    double xy[4] = {0, 0, 10, 0};
    struct raster_line l = {xy, 2};
    assert_int_equal(raster_line_area(&l, 0, MARGIN, CELL, &wkb, &len, &e), ERR_INPUT);
    assert_int_equal(raster_line_area(&l, 1, 0, CELL, &wkb, &len, &e), ERR_INPUT);
    assert_int_equal(raster_line_area(&l, 1, MARGIN, -1, &wkb, &len, &e), ERR_INPUT);
    assert_int_equal(raster_line_area(&l, 1, MARGIN, NAN, &wkb, &len, &e), ERR_INPUT);
    double far[4] = {0, 0, 1e6, 1e6};
    l.xy = far;
    assert_int_equal(raster_line_area(&l, 1, MARGIN, CELL, &wkb, &len, &e), ERR_LIMIT);
    assert_null(wkb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_point),        cmocka_unit_test(test_segment_on_grid_lines),
        cmocka_unit_test(test_tiny_network), cmocka_unit_test(test_random_networks),
        cmocka_unit_test(test_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
