/* SPDX-License-Identifier: MIT */
/* report_map.h - the map of a report: districts shaded by the share of
 * households covered (the classes of the page's coverage tab, and a
 * hatched "not shown" for districts whose figures the caller may not see),
 * district names, the matching resources as symbols, a legend, a scale bar
 * of round length and a north arrow that points to true north (the grid
 * convergence of the metric CRS).
 *
 * Entry points: report_map_draw, report_map_class. */
#ifndef TSUNAGU_REPORT_MAP_H
#define TSUNAGU_REPORT_MAP_H

#include "report_data.h"

#include <cairo.h>

/* Where and what to draw. */
struct report_map_frame {
    double x, y, w, h; /* the frame on the page (context units) */
    size_t focus;      /* a district to zoom to (its neighbours drawn faint), or
                          COVERAGE_NONE for all */
    int legend;        /* 1: draw the legend inside the frame */
};

/* Draws d's map into frame f on cr. */
void report_map_draw(cairo_t *cr, const struct report_data *d, const struct report_map_frame *f);

/* The fill colour of a share (report_data_share's value) as 0xRRGGBB. */
unsigned report_map_class(double share);

#endif
