/* raster.h - grid algorithms from GDAL for areas around lines. Together with
 * source.c (vector input) this is the GDAL module: no other file includes
 * GDAL headers.
 *
 * raster_line_area answers "the area within `margin` metres of these lines"
 * the way routing engines draw isochrones: burn the lines into a grid,
 * compute every cell's distance to the nearest burned cell (GDAL proximity),
 * and trace the contour at the margin into polygons (GDAL contour
 * generator). Exact polygon buffering and union of thousands of street
 * pieces costs hundreds of milliseconds; the grid costs tens, with an
 * outline within half a cell of the exact one.
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
 * `cell` metres, and its length in *len. Fails with ERR_INPUT for no lines
 * or non-positive sizes, ERR_LIMIT when the grid would exceed
 * RASTER_MAX_CELLS, ERR_INTERNAL when GDAL fails. */
int raster_line_area(const struct raster_line *lines, size_t nlines, double margin, double cell,
                     unsigned char **wkb, size_t *len, struct err *e);

#endif
