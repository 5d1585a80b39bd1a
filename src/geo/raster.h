/* SPDX-License-Identifier: MIT */
/* raster.h - grid algorithms from GDAL for areas around lines. Together with
 * source.c (vector input) this is the GDAL module: no other file includes
 * GDAL headers.
 *
 * raster_line_area answers "the area within `margin` metres of these lines"
 * the way routing engines draw isochrones, on a grid: every cell centre
 * gets its exact distance to the nearest line segment (computed here, see
 * raster.c), and GDAL's contour generator traces the line at the margin
 * into polygons. Exact polygon buffering and union of thousands of street
 * pieces costs hundreds of milliseconds; the grid costs tens, with the area
 * within about 1 % of the exact one and the outline within about half a
 * cell (0.56 cell at worst on the networks of tests/test_isochrone.c, where
 * two streets' margins leave a notch narrower than a cell).
 *
 * Entry points: raster_line_area.
 */
#ifndef TSUNAGU_RASTER_H
#define TSUNAGU_RASTER_H

#include "err.h"
#include <stddef.h>

#define RASTER_MAX_CELLS 16000000u /* grid cells per call (4000 x 4000) */

/* One polyline in planar metres. */
struct raster_line {
    const double *xy; /* x0,y0,x1,y1,... */
    size_t n;         /* points, >= 1 (a single point stands for itself) */
};

/* Writes into *wkb (malloc'd; the caller frees) a little-endian 2D WKB
 * MultiPolygon of the area within `margin` of the lines, traced on a grid of
 * `cell` metres whose westernmost and northernmost points lie at cell
 * centres, and its length in *len. Fails with ERR_INPUT for no lines,
 * non-finite points or non-positive sizes, ERR_LIMIT when the grid would
 * exceed RASTER_MAX_CELLS (or the lines hold 2^32 segments), ERR_NOMEM,
 * or ERR_INTERNAL when GDAL fails; *wkb is then NULL. */
int raster_line_area(const struct raster_line *lines, size_t nlines, double margin, double cell,
                     unsigned char **wkb, size_t *len, struct err *e);

#endif
