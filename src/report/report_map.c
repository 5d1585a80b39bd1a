/* SPDX-License-Identifier: MIT */
/* report_map.c - the map of a report (see report_map.h), drawn with cairo
 * in the database's metric CRS: one map unit is one metre, so the scale bar
 * is a plain ratio. Entry points: report_map_draw, report_map_class. */
#include "report_map.h"

#include "report_text.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The classes of web/mapview.js's coverageClasses (same colours, same
 * thresholds), then "no households" and "not shown". */
static const struct {
    double min;
    unsigned rgb;
    const char *label;
} report_map_classes[] = {
    {0, 0xb2182b, "50% 未満"},    {0.5, 0xef8a62, "50–80%"}, {0.8, 0xfdd49e, "80–95%"},
    {0.95, 0x92c5de, "95–99.9%"}, {1, 0x2166ac, "100%"},
};
#define REPORT_MAP_NCLASSES (sizeof report_map_classes / sizeof report_map_classes[0])
#define REPORT_MAP_EMPTY 0xffffff              /* no households */
#define REPORT_MAP_HIDDEN 0xd0d0d0             /* not shown (hatched) */
#define REPORT_MAP_LEGEND_W 150.0              /* width of the legend's column */
#define REPORT_MAP_TURN 6.28318530717958647692 /* a full circle, radians */

unsigned report_map_class(double share)
{
    if (share == -1)
        return REPORT_MAP_HIDDEN;
    if (share < 0)
        return REPORT_MAP_EMPTY;
    unsigned rgb = report_map_classes[0].rgb;
    for (size_t i = 0; i < REPORT_MAP_NCLASSES; i++)
        if (share >= report_map_classes[i].min)
            rgb = report_map_classes[i].rgb;
    return rgb;
}

static void report_map_rgb(cairo_t *cr, unsigned rgb, double alpha)
{
    cairo_set_source_rgba(cr, ((rgb >> 16) & 255) / 255.0, ((rgb >> 8) & 255) / 255.0,
                          (rgb & 255) / 255.0, alpha);
}

/* The map's placement: page = (x - x0) * s + ox, (y1 - y) * s + oy. */
struct report_map_view {
    double x0, y1, s, ox, oy;
};

/* Adds the rings [a, b) to the path. */
static void report_map_path(cairo_t *cr, const struct report_data *d,
                            const struct report_map_view *v, size_t a, size_t b)
{
    for (size_t r = a; r < b; r++) {
        const double *p = d->xy + 2 * d->rings[r].first;
        for (size_t i = 0; i < d->rings[r].n; i++) {
            double px = (p[2 * i] - v->x0) * v->s + v->ox,
                   py = (v->y1 - p[2 * i + 1]) * v->s + v->oy;
            if (i == 0)
                cairo_move_to(cr, px, py);
            else
                cairo_line_to(cr, px, py);
        }
        cairo_close_path(cr);
    }
}

/* Diagonal hatching over the current clip within the frame. */
static void report_map_hatch(cairo_t *cr, const struct report_map_frame *f)
{
    cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
    cairo_set_line_width(cr, 0.5);
    for (double t = -f->h; t < f->w; t += 5) {
        cairo_move_to(cr, f->x + t, f->y + f->h);
        cairo_line_to(cr, f->x + t + f->h, f->y);
    }
    cairo_stroke(cr);
}

/* A point inside the district's largest ring for its label: the ring's
 * centroid when it lies inside, else the middle of the longest inside run
 * of a horizontal line through it (cairo_in_fill answers "inside"). */
static void report_map_label_at(cairo_t *cr, const struct report_data *d,
                                const struct report_map_view *v, size_t a, size_t b, double *lx,
                                double *ly)
{
    size_t best = a;
    double best_area = -1, cx = 0, cy = 0;
    for (size_t r = a; r < b; r++) {
        const double *p = d->xy + 2 * d->rings[r].first;
        size_t n = d->rings[r].n;
        double area = 0, sx = 0, sy = 0;
        for (size_t i = 0; i < n; i++) {
            size_t j = (i + 1) % n;
            double c = p[2 * i] * p[2 * j + 1] - p[2 * j] * p[2 * i + 1];
            area += c;
            sx += (p[2 * i] + p[2 * j]) * c;
            sy += (p[2 * i + 1] + p[2 * j + 1]) * c;
        }
        if (fabs(area) > best_area && area != 0) {
            best_area = fabs(area);
            best = r;
            cx = sx / (3 * area);
            cy = sy / (3 * area);
        }
    }
    *lx = (cx - v->x0) * v->s + v->ox;
    *ly = (v->y1 - cy) * v->s + v->oy;
    cairo_new_path(cr);
    report_map_path(cr, d, v, best, best + 1);
    if (best_area > 0 && cairo_in_fill(cr, *lx, *ly)) {
        cairo_new_path(cr);
        return;
    }
    double x1, y1, x2, y2;
    cairo_fill_extents(cr, &x1, &y1, &x2, &y2);
    double run0 = 0, best0 = *lx, bestlen = -1;
    int inside = 0;
    for (int i = 0; i <= 60; i++) {
        double x = x1 + (x2 - x1) * i / 60.0;
        int in = cairo_in_fill(cr, x, (y1 + y2) / 2);
        if (in && !inside)
            run0 = x;
        if ((!in || i == 60) && inside && x - run0 > bestlen) {
            bestlen = x - run0;
            best0 = (run0 + x) / 2;
        }
        inside = in;
    }
    *lx = best0;
    *ly = (y1 + y2) / 2;
    cairo_new_path(cr);
}

/* Legend in the frame's right column, above the scale bar. */
static void report_map_legend(cairo_t *cr, const struct report_data *d,
                              const struct report_map_frame *f)
{
    char title[96];
    snprintf(title, sizeof title, "世帯のカバー率（徒歩 %g 分）", d->cov->minutes);
    double lh = 11, w = REPORT_MAP_LEGEND_W, h = 18 + lh * (REPORT_MAP_NCLASSES + 3);
    double x = f->x + f->w - w - 6, y = f->y + f->h - h - 40;
    cairo_set_source_rgba(cr, 1, 1, 1, 0.88);
    cairo_rectangle(cr, x, y, w, h);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
    cairo_set_line_width(cr, 0.5);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    report_text_draw(cr, title, 7.5, 1, x + 5, y + 4, 0, REPORT_TEXT_LEFT);
    double yy = y + 17;
    for (size_t i = 0; i < REPORT_MAP_NCLASSES + 3; i++, yy += lh) {
        const char *label;
        cairo_rectangle(cr, x + 6, yy + 1, 14, 8);
        if (i < REPORT_MAP_NCLASSES) {
            report_map_rgb(cr, report_map_classes[REPORT_MAP_NCLASSES - 1 - i].rgb, 1);
            cairo_fill_preserve(cr);
            label = report_map_classes[REPORT_MAP_NCLASSES - 1 - i].label;
        } else if (i == REPORT_MAP_NCLASSES) {
            report_map_rgb(cr, REPORT_MAP_EMPTY, 1);
            cairo_fill_preserve(cr);
            label = "世帯なし (no households)";
        } else if (i == REPORT_MAP_NCLASSES + 1) {
            report_map_rgb(cr, REPORT_MAP_HIDDEN, 1);
            cairo_fill_preserve(cr);
            cairo_save(cr);
            cairo_clip_preserve(cr);
            struct report_map_frame sw = {x + 6, yy + 1, 14, 8, COVERAGE_NONE, 0};
            report_map_hatch(cr, &sw);
            cairo_restore(cr);
            label = "非表示 (not shown: 少数のため)";
        } else {
            cairo_new_path(cr);
            cairo_arc(cr, x + 13, yy + 5, 2.6, 0, REPORT_MAP_TURN);
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
            cairo_fill_preserve(cr);
            cairo_set_source_rgb(cr, 1, 1, 1);
            cairo_set_line_width(cr, 0.8);
            cairo_stroke(cr);
            cairo_set_source_rgb(cr, 0, 0, 0);
            char res[96];
            snprintf(res, sizeof res, "%s (%zu)", d->cov->kind ? d->cov->kind : "資源 (resources)",
                     d->npoints);
            report_text_draw(cr, res, 7, 0, x + 25, yy, 0, REPORT_TEXT_LEFT);
            continue;
        }
        cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
        cairo_set_line_width(cr, 0.4);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        report_text_draw(cr, label, 7, 0, x + 25, yy, 0, REPORT_TEXT_LEFT);
    }
}

/* A scale bar of a round length (1, 2 or 5 times a power of ten metres,
 * near a fifth of the frame) in the lower right corner. */
static void report_map_scale(cairo_t *cr, const struct report_map_view *v,
                             const struct report_map_frame *f)
{
    double want = f->w / 5 / v->s, p = pow(10, floor(log10(want))), m = p;
    if (5 * p <= want)
        m = 5 * p;
    else if (2 * p <= want)
        m = 2 * p;
    double len = m * v->s, x = f->x + f->w - len - 14, y = f->y + f->h - 16;
    cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
    cairo_rectangle(cr, x - 8, y - 14, len + 18, 26);
    cairo_fill(cr);
    for (int i = 0; i < 2; i++) {
        cairo_rectangle(cr, x + i * len / 2, y, len / 2, 4);
        cairo_set_source_rgb(cr, i ? 1 : 0, i ? 1 : 0, i ? 1 : 0);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_set_line_width(cr, 0.6);
        cairo_stroke(cr);
    }
    char label[32];
    if (m >= 1000)
        snprintf(label, sizeof label, "%g km", m / 1000);
    else
        snprintf(label, sizeof label, "%g m", m);
    report_text_draw(cr, "0", 6.5, 0, x, y - 10, 0, REPORT_TEXT_CENTER);
    report_text_draw(cr, label, 6.5, 0, x + len, y - 10, 0, REPORT_TEXT_CENTER);
}

/* A north arrow in the upper right corner, turned to true north. */
static void report_map_north(cairo_t *cr, double north, const struct report_map_frame *f)
{
    double cx = f->x + f->w - 20, cy = f->y + 26;
    cairo_save(cr);
    cairo_translate(cr, cx, cy);
    cairo_rotate(cr, north);
    cairo_move_to(cr, 0, -12);
    cairo_line_to(cr, 6, 9);
    cairo_line_to(cr, 0, 5);
    cairo_close_path(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_fill(cr);
    cairo_move_to(cr, 0, -12);
    cairo_line_to(cr, -6, 9);
    cairo_line_to(cr, 0, 5);
    cairo_close_path(cr);
    cairo_set_line_width(cr, 0.7);
    cairo_stroke(cr);
    cairo_restore(cr);
    report_text_draw(cr, "N", 8, 1, cx, f->y + 2, 0, REPORT_TEXT_CENTER);
}

void report_map_draw(cairo_t *cr, const struct report_data *d, const struct report_map_frame *f)
{
    double box[4] = {d->box[0], d->box[1], d->box[2], d->box[3]};
    if (f->focus != COVERAGE_NONE) {
        box[0] = box[1] = INFINITY;
        box[2] = box[3] = -INFINITY;
        for (size_t r = 0; r < d->nrings; r++) {
            if (d->rings[r].district != f->focus)
                continue;
            const double *p = d->xy + 2 * d->rings[r].first;
            for (size_t i = 0; i < d->rings[r].n; i++) {
                box[0] = fmin(box[0], p[2 * i]);
                box[1] = fmin(box[1], p[2 * i + 1]);
                box[2] = fmax(box[2], p[2 * i]);
                box[3] = fmax(box[3], p[2 * i + 1]);
            }
        }
        if (!(box[2] >= box[0]))
            memcpy(box, d->box, sizeof box);
    }
    /* With a legend, the districts fit left of its column. */
    double mw = f->legend ? f->w - REPORT_MAP_LEGEND_W - 12 : f->w;
    double bw = fmax(box[2] - box[0], 1), bh = fmax(box[3] - box[1], 1), m = 0.06;
    struct report_map_view v;
    v.s = fmin(mw / (bw * (1 + 2 * m)), f->h / (bh * (1 + 2 * m)));
    v.x0 = (box[0] + box[2]) / 2 - mw / 2 / v.s;
    v.y1 = (box[1] + box[3]) / 2 + f->h / 2 / v.s;
    v.ox = f->x;
    v.oy = f->y;

    cairo_save(cr);
    cairo_rectangle(cr, f->x, f->y, f->w, f->h);
    cairo_clip(cr);
    cairo_set_source_rgb(cr, 0.97, 0.97, 0.95);
    cairo_paint(cr);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    /* Fills and outlines, district by district (rings of one district are
     * consecutive). */
    for (size_t a = 0, b; a < d->nrings; a = b) {
        for (b = a + 1; b < d->nrings && d->rings[b].district == d->rings[a].district; b++)
            ;
        size_t di = d->rings[a].district;
        double share = report_data_share(d, di);
        double alpha = f->focus == COVERAGE_NONE || f->focus == di ? 1 : 0.35;
        cairo_new_path(cr);
        report_map_path(cr, d, &v, a, b);
        report_map_rgb(cr, report_map_class(share), alpha);
        cairo_fill_preserve(cr);
        if (share == -1) {
            cairo_save(cr);
            cairo_clip_preserve(cr);
            report_map_hatch(cr, f);
            cairo_restore(cr);
        }
        cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
        cairo_set_line_width(cr, f->focus == di ? 1.6 : 0.7);
        cairo_stroke(cr);
    }
    /* Resources. */
    for (size_t i = 0; i < d->npoints; i++) {
        double px = (d->points[i].x - v.x0) * v.s + v.ox, py = (v.y1 - d->points[i].y) * v.s + v.oy;
        cairo_new_path(cr);
        cairo_arc(cr, px, py, 2.8, 0, REPORT_MAP_TURN);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        if (d->points[i].on_network)
            cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, d->points[i].on_network, d->points[i].on_network,
                             d->points[i].on_network);
        cairo_set_line_width(cr, 0.9);
        cairo_stroke(cr);
    }
    /* Labels: the name and the share (or "not shown"). */
    for (size_t a = 0, b; a < d->nrings; a = b) {
        for (b = a + 1; b < d->nrings && d->rings[b].district == d->rings[a].district; b++)
            ;
        size_t di = d->rings[a].district;
        double lx, ly, share = report_data_share(d, di);
        double fs = f->focus == COVERAGE_NONE || f->focus == di ? 7.5 : 6, x1, y1, x2, y2, tw, th;
        /* A name much wider than its district (many small areas) is left
         * out rather than drawn over its neighbours; the table has it. */
        cairo_new_path(cr);
        report_map_path(cr, d, &v, a, b);
        cairo_fill_extents(cr, &x1, &y1, &x2, &y2);
        cairo_new_path(cr);
        report_text_size(cr, d->cov->districts[di].name, fs, 1, &tw, &th);
        if (tw > 1.5 * (x2 - x1) || 2 * th > 1.5 * (y2 - y1))
            continue;
        report_map_label_at(cr, d, &v, a, b, &lx, &ly);
        char pct[48];
        if (share >= 0)
            snprintf(pct, sizeof pct, "%.1f%%", 100 * share);
        else
            snprintf(pct, sizeof pct, "%s", share == -1 ? "非表示" : "世帯なし");
        cairo_set_source_rgb(cr, 0, 0, 0);
        double h = report_text_halo(cr, d->cov->districts[di].name, fs, 1, lx, ly - fs, 1.6);
        report_text_halo(cr, pct, fs, 0, lx, ly - fs + h, 1.6);
    }
    if (f->legend)
        report_map_legend(cr, d, f);
    report_map_scale(cr, &v, f);
    report_map_north(cr, d->north, f);
    cairo_restore(cr);
    cairo_set_source_rgb(cr, 0.4, 0.4, 0.4);
    cairo_set_line_width(cr, 0.8);
    cairo_rectangle(cr, f->x, f->y, f->w, f->h);
    cairo_stroke(cr);
}
