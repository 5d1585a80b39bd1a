/* SPDX-License-Identifier: MIT */
/* report_text.h - text on a report page: Pango lays out a UTF-8 string
 * (Japanese included: fontconfig finds the IPA Gothic font .ci/install
 * installs) and cairo draws it, into a PDF page or a PNG alike. Units are
 * the cairo context's (points on a PDF page).
 *
 * Entry points: report_text_draw, report_text_halo, report_text_size. */
#ifndef TSUNAGU_REPORT_TEXT_H
#define TSUNAGU_REPORT_TEXT_H

#include <cairo.h>

/* The report's typeface: IPA P Gothic, then whatever fontconfig offers. */
#define REPORT_TEXT_FAMILY "IPAPGothic,IPAGothic,sans-serif"

/* How a text sits relative to x. */
enum report_text_align {
    REPORT_TEXT_LEFT = 0,   /* x is the left edge */
    REPORT_TEXT_CENTER = 1, /* x is the middle */
    REPORT_TEXT_RIGHT = 2   /* x is the right edge */
};

/* Draws `text` with its top at y in the current source colour, `size`
 * points, bold when `bold`, aligned per `align`. With `width` > 0 the text
 * is wrapped at that width and aligned inside the box [x, x + width]; with
 * 0 it is one line placed per `align` about x. Returns the height drawn (0 for NULL
 * or empty text, or when Pango cannot lay it out: nothing drawn). */
double report_text_draw(cairo_t *cr, const char *text, double size, int bold, double x, double y,
                        double width, int align);

/* Like report_text_draw on one line, centred on x, with a white halo
 * `halo` points wide under the glyphs (labels on a map). */
double report_text_halo(cairo_t *cr, const char *text, double size, int bold, double x, double y,
                        double halo);

/* Width and height of `text` as report_text_draw would draw it on one line
 * (0, 0 for NULL or empty text). */
void report_text_size(cairo_t *cr, const char *text, double size, int bold, double *w, double *h);

#endif
