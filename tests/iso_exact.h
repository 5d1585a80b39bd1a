/* SPDX-License-Identifier: MIT */
/* iso_exact.h - the exact reference for traced areas around lines, shared by
 * test_raster.c and test_isochrone.c (header-only so the tests' CMake glob
 * needs no edit): GEOS buffers every line by the margin and unions the
 * pieces (buffer of one collection), and an outline is compared with it by
 * area and by distance.
 *
 * The distance is the Hausdorff distance between the traced area R and the
 * exact area E, measured along both outlines: every outline is densified to
 * points at most IE_STEP_M apart, and for each point of R's outline its
 * distance to E (0 inside E) is taken, and for each point of E's outline its
 * distance to R; the largest is reported. A hole of E narrower than a grid
 * cell may close in R; its outline then lies inside R and counts 0.
 *
 * Entry points: ie_exact, ie_compare, ie_from_wkb. */
#ifndef TSUNAGU_ISO_EXACT_H
#define TSUNAGU_ISO_EXACT_H

#define GEOS_USE_ONLY_R_API
#include "raster.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <geos_c.h>
#include <math.h>
#include <stdlib.h>

#define IE_STEP_M 0.5 /* densification of outlines when measuring distances */

/* The result of one comparison. */
struct ie_cmp {
    double area_traced, area_exact; /* m² */
    double out_to_exact;            /* farthest point of the traced outline from E */
    double exact_to_out;            /* farthest point of E's outline from R */
    double hx, hy;                  /* where the larger of the two was found */
};

/* The exact area within margin of the lines (points for one-point lines);
 * a new geometry the caller destroys. */
static inline GEOSGeometry *ie_exact(GEOSContextHandle_t h, const struct raster_line *l, size_t n,
                                     double margin)
{
    GEOSGeometry **parts = malloc((n ? n : 1) * sizeof *parts);
    assert_non_null(parts);
    for (size_t i = 0; i < n; i++) {
        GEOSCoordSequence *cs = GEOSCoordSeq_create_r(h, (unsigned)l[i].n, 2);
        assert_non_null(cs);
        for (size_t k = 0; k < l[i].n; k++)
            GEOSCoordSeq_setXY_r(h, cs, (unsigned)k, l[i].xy[2 * k], l[i].xy[2 * k + 1]);
        parts[i] = l[i].n == 1 ? GEOSGeom_createPoint_r(h, cs) : GEOSGeom_createLineString_r(h, cs);
        assert_non_null(parts[i]);
    }
    GEOSGeometry *all = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts, (unsigned)n);
    assert_non_null(all);
    free(parts);
    GEOSGeometry *buf = GEOSBuffer_r(h, all, margin, 16);
    assert_non_null(buf);
    GEOSGeom_destroy_r(h, all);
    return buf;
}

/* A geometry from 2D WKB (as raster_line_area writes it). */
static inline GEOSGeometry *ie_from_wkb(GEOSContextHandle_t h, const unsigned char *wkb, size_t len)
{
    GEOSWKBReader *r = GEOSWKBReader_create_r(h);
    GEOSGeometry *g = GEOSWKBReader_read_r(h, r, wkb, len);
    GEOSWKBReader_destroy_r(h, r);
    assert_non_null(g);
    return g;
}

/* Largest distance from a point of a's outline to area b; *x, *y where. */
static inline double ie_directed(GEOSContextHandle_t h, const GEOSGeometry *a,
                                 const GEOSGeometry *b, double *x, double *y)
{
    GEOSGeometry *edge = GEOSBoundary_r(h, a);
    assert_non_null(edge);
    GEOSGeometry *dense = GEOSDensify_r(h, edge, IE_STEP_M);
    assert_non_null(dense);
    const GEOSPreparedGeometry *pb = GEOSPrepare_r(h, b);
    assert_non_null(pb);
    double worst = 0;
    int nparts = GEOSGetNumGeometries_r(h, dense);
    for (int p = 0; p < nparts; p++) {
        const GEOSGeometry *line = GEOSGetGeometryN_r(h, dense, p);
        const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, line);
        unsigned npts = 0;
        GEOSCoordSeq_getSize_r(h, cs, &npts);
        for (unsigned k = 0; k < npts; k++) {
            double px, py;
            GEOSCoordSeq_getXY_r(h, cs, k, &px, &py);
            GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, px, py);
            double d = 0;
            if (GEOSPreparedContains_r(h, pb, pt) != 1)
                assert_int_equal(GEOSPreparedDistance_r(h, pb, pt, &d), 1);
            GEOSGeom_destroy_r(h, pt);
            if (d > worst) {
                worst = d;
                *x = px;
                *y = py;
            }
        }
    }
    GEOSPreparedGeom_destroy_r(h, pb);
    GEOSGeom_destroy_r(h, dense);
    GEOSGeom_destroy_r(h, edge);
    return worst;
}

/* Compares a traced area with the exact one. */
static inline struct ie_cmp ie_compare(GEOSContextHandle_t h, const GEOSGeometry *traced,
                                       const GEOSGeometry *exact)
{
    struct ie_cmp c = {0};
    GEOSArea_r(h, traced, &c.area_traced);
    GEOSArea_r(h, exact, &c.area_exact);
    double x1 = 0, y1 = 0, x2 = 0, y2 = 0;
    c.out_to_exact = ie_directed(h, traced, exact, &x1, &y1);
    c.exact_to_out = ie_directed(h, exact, traced, &x2, &y2);
    int first = c.out_to_exact >= c.exact_to_out;
    c.hx = first ? x1 : x2;
    c.hy = first ? y1 : y2;
    return c;
}

#endif
