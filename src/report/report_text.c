/* SPDX-License-Identifier: MIT */
/* report_text.c - text on a report page through Pango (see report_text.h).
 * Entry points: report_text_draw, report_text_halo, report_text_size. */
#include "report_text.h"

#include <pango/pangocairo.h>

/* A layout of text in the report's typeface at `size` points, or NULL. */
static PangoLayout *report_text_layout(cairo_t *cr, const char *text, double size, int bold,
                                       double width)
{
    PangoLayout *l = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string(REPORT_TEXT_FAMILY);
    if (l == NULL || fd == NULL) {
        if (l)
            g_object_unref(l);
        pango_font_description_free(fd);
        return NULL;
    }
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    if (width > 0) {
        pango_layout_set_width(l, (int)(width * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_text(l, text, -1);
    return l;
}

double report_text_draw(cairo_t *cr, const char *text, double size, int bold, double x, double y,
                        double width, int align)
{
    if (text == NULL || text[0] == '\0')
        return 0;
    PangoLayout *l = report_text_layout(cr, text, size, bold, width);
    if (l == NULL)
        return 0;
    int pw, ph;
    pango_layout_get_size(l, &pw, &ph);
    double w = (double)pw / PANGO_SCALE, h = (double)ph / PANGO_SCALE;
    double left = align == REPORT_TEXT_CENTER ? x - w / 2 : align == REPORT_TEXT_RIGHT ? x - w : x;
    if (width > 0) { /* Pango aligns the lines inside the box that starts at x */
        pango_layout_set_alignment(l, align == REPORT_TEXT_CENTER  ? PANGO_ALIGN_CENTER
                                      : align == REPORT_TEXT_RIGHT ? PANGO_ALIGN_RIGHT
                                                                   : PANGO_ALIGN_LEFT);
        left = x;
    }
    cairo_move_to(cr, left, y);
    pango_cairo_show_layout(cr, l);
    g_object_unref(l);
    return h;
}

double report_text_halo(cairo_t *cr, const char *text, double size, int bold, double x, double y,
                        double halo)
{
    if (text == NULL || text[0] == '\0')
        return 0;
    PangoLayout *l = report_text_layout(cr, text, size, bold, 0);
    if (l == NULL)
        return 0;
    int pw, ph;
    pango_layout_get_size(l, &pw, &ph);
    double w = (double)pw / PANGO_SCALE, h = (double)ph / PANGO_SCALE;
    cairo_save(cr);
    cairo_move_to(cr, x - w / 2, y);
    pango_cairo_layout_path(cr, l);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.9);
    cairo_set_line_width(cr, 2 * halo);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
    cairo_restore(cr);
    cairo_move_to(cr, x - w / 2, y);
    pango_cairo_show_layout(cr, l);
    g_object_unref(l);
    return h;
}

void report_text_size(cairo_t *cr, const char *text, double size, int bold, double *w, double *h)
{
    *w = *h = 0;
    if (text == NULL || text[0] == '\0')
        return;
    PangoLayout *l = report_text_layout(cr, text, size, bold, 0);
    if (l == NULL)
        return;
    int pw, ph;
    pango_layout_get_size(l, &pw, &ph);
    *w = (double)pw / PANGO_SCALE;
    *h = (double)ph / PANGO_SCALE;
    g_object_unref(l);
}
