/* SPDX-License-Identifier: MIT */
/* report.c - lays out the report (see report.h): page 1 with the title,
 * conditions, map and sources, then the section tables (report_sections.h)
 * on as many A4 pages as they need, then a page per district on request;
 * or the map alone on a PNG. Entry points: report_format_of, report_render. */
#include "report.h"

#include "report_data.h"
#include "report_map.h"
#include "report_sections.h"
#include "report_table.h"
#include "report_text.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define REPORT_A4_W 595.276 /* A4 in points (210 x 297 mm) */
#define REPORT_A4_H 841.890
#define REPORT_MARGIN 40.0
#define REPORT_PNG_W 1600 /* pixels of the PNG map */
#define REPORT_PNG_H 1200
#define REPORT_PNG_SCALE 2.0 /* pixels per point on the PNG */

int report_format_of(const char *path, int *format, struct err *e)
{
    size_t n = strlen(path);
    if (n > 4 && strcasecmp(path + n - 4, ".pdf") == 0)
        *format = REPORT_PDF;
    else if (n > 4 && strcasecmp(path + n - 4, ".png") == 0)
        *format = REPORT_PNG;
    else
        return err_set(e, ERR_INPUT,
                       "the output file %s must end in .pdf (the report) or .png "
                       "(the map alone)",
                       path);
    return ERR_OK;
}

/* The document being drawn. */
struct report_doc {
    cairo_t *cr;
    const struct report_data *d;
    int page;         /* pages begun */
    const char *date; /* printed date */
};

/* Bytes from cairo to the caller's sink. */
struct report_stream {
    report_sink_fn sink;
    void *ctx;
};

static cairo_status_t report_write(void *closure, const unsigned char *data, unsigned int n)
{
    struct report_stream *s = closure;
    return s->sink(s->ctx, data, n) == 0 ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* The page's foot: what it is and the page number. */
static void report_foot(struct report_doc *doc)
{
    char foot[512];
    snprintf(foot, sizeof foot, "%s　徒歩圏カバー率の報告（tsunagu, %s）　%d ページ",
             doc->d->municipality, doc->date, doc->page);
    cairo_set_source_rgb(doc->cr, 0.4, 0.4, 0.4);
    report_text_draw(doc->cr, foot, 7, 0, REPORT_A4_W / 2, REPORT_A4_H - 28, 0, REPORT_TEXT_CENTER);
}

/* Ends the page and begins the next; returns where its content starts
 * (report_table_page's `next`). */
static double report_next(void *ctx)
{
    struct report_doc *doc = ctx;
    report_foot(doc);
    cairo_show_page(doc->cr);
    doc->page++;
    return cairo_status(doc->cr) == CAIRO_STATUS_SUCCESS ? REPORT_MARGIN : -1;
}

/* The conditions line: date, kind, limit, level and whose view. */
static void report_conditions(const struct report_doc *doc, char *buf, size_t n)
{
    const struct coverage_result *r = doc->d->cov;
    snprintf(buf, n,
             "作成日 %s ／ 資源の種類 %s ／ 徒歩 %g 分（%g m/分、%.0f m まで）／ 区域 %s ／ %s",
             doc->date, r->kind ? r->kind : "すべて", r->minutes, r->speed, r->limit_m, r->level,
             doc->d->suppress ? "担当職員向け（少数は非表示）" : "全件（ローカル操作者）");
}

/* Sources and the map's CRS, at y; returns the height drawn. */
static double report_credits(struct report_doc *doc, double x, double y, double w, double size)
{
    char line[2048];
    snprintf(line, sizeof line, "出典: %s ／ 地図の座標系: %s (EPSG:%d)",
             doc->d->credits[0] ? doc->d->credits : "（記録なし）", doc->d->crs_name, doc->d->srid);
    cairo_set_source_rgb(doc->cr, 0.3, 0.3, 0.3);
    return report_text_draw(doc->cr, line, size, 0, x, y, w, REPORT_TEXT_LEFT);
}

/* The line naming the snapshot the change columns compare with: its label
 * and the date it was taken; 0 (nothing written) without one. */
static int report_since(const struct report_data *d, char *buf, size_t n)
{
    const json_t *c = d->compare[0];
    const char *label = json_string_value(json_object_get(c, "label"));
    const char *at = json_string_value(json_object_get(c, "taken_at"));
    if (label == NULL)
        return 0;
    snprintf(buf, n, "スナップショット「%s」（%.10s 作成）からの変化を併記", label, at ? at : "");
    return 1;
}

/* Page 1's head, map and credits; returns where the tables may start. */
static double report_first_page(struct report_doc *doc)
{
    cairo_t *cr = doc->cr;
    const struct report_data *d = doc->d;
    double x = REPORT_MARGIN, w = REPORT_A4_W - 2 * REPORT_MARGIN, y = REPORT_MARGIN;
    char title[512], cond[1024];
    snprintf(title, sizeof title, "%s%s徒歩 %g 分で %s に届く世帯の割合", d->municipality,
             d->municipality[0] ? "　" : "", d->cov->minutes, d->cov->kind ? d->cov->kind : "資源");
    cairo_set_source_rgb(cr, 0, 0, 0);
    y += report_text_draw(cr, title, 16, 1, x, y, w, REPORT_TEXT_LEFT) + 4;
    char since[256];
    if (report_since(d, since, sizeof since))
        y += report_text_draw(cr, since, 11, 1, x, y, w, REPORT_TEXT_LEFT) + 3;
    report_conditions(doc, cond, sizeof cond);
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    y += report_text_draw(cr, cond, 8.5, 0, x, y, w, REPORT_TEXT_LEFT) + 3;
    double share = report_data_share(d, COVERAGE_NONE);
    char summary[256];
    if (share >= 0)
        snprintf(summary, sizeof summary, "全体のカバー率: %.1f%%", 100 * share);
    else
        snprintf(summary, sizeof summary, "全体のカバー率: 非表示 (not shown)");
    cairo_set_source_rgb(cr, 0, 0, 0);
    y += report_text_draw(cr, summary, 10, 1, x, y, w, REPORT_TEXT_LEFT) + 6;
    struct report_map_frame f = {x, y, w, 430, COVERAGE_NONE, 1};
    report_map_draw(cr, d, &f);
    y += f.h + 4;
    y += report_credits(doc, x, y, w, 6.5) + 12;
    return y;
}

/* One district's page: its map and key figures. */
static int report_district_page(struct report_doc *doc, size_t i, struct err *e)
{
    const struct report_data *d = doc->d;
    const struct coverage_district *c = &d->cov->districts[i];
    double x = REPORT_MARGIN, w = REPORT_A4_W - 2 * REPORT_MARGIN, y = report_next(doc);
    if (y < 0)
        return err_set(e, ERR_INTERNAL, "cannot start a page of the report");
    char title[512], cond[1024];
    snprintf(title, sizeof title, "%s %s", c->code, c->name);
    cairo_set_source_rgb(doc->cr, 0, 0, 0);
    y += report_text_draw(doc->cr, title, 14, 1, x, y, w, REPORT_TEXT_LEFT) + 3;
    report_conditions(doc, cond, sizeof cond);
    cairo_set_source_rgb(doc->cr, 0.2, 0.2, 0.2);
    y += report_text_draw(doc->cr, cond, 8, 0, x, y, w, REPORT_TEXT_LEFT) + 6;
    struct report_map_frame f = {x, y, w, 380, i, 1};
    report_map_draw(doc->cr, d, &f);
    y += f.h + 14;
    struct report_table *t = NULL;
    if (report_sections_district(d, i, &t, e) != ERR_OK)
        return e->code;
    struct report_table_page pg = {doc->cr, x, w * 0.7, REPORT_A4_H - 50, report_next, doc};
    int rc = report_table_draw(t, &pg, &y, e);
    report_table_free(t);
    return rc;
}

/* The whole PDF. */
static int report_pdf(struct report_doc *doc, const struct report_params *p, struct err *e)
{
    cairo_t *cr = doc->cr;
    double y = report_first_page(doc);
    struct report_table_page pg = {
        cr, REPORT_MARGIN, REPORT_A4_W - 2 * REPORT_MARGIN, REPORT_A4_H - 50, report_next, doc};
    int rc = ERR_OK;
    for (size_t s = 0; rc == ERR_OK && report_sections[s].key; s++)
        for (size_t part = 0; rc == ERR_OK; part++) {
            struct report_table *t = NULL;
            rc = report_sections[s].build(doc->d, part, &t, e);
            int more = t != NULL;
            if (rc == ERR_OK && t)
                rc = report_table_draw(t, &pg, &y, e);
            report_table_free(t);
            if (!more)
                break;
        }
    for (size_t i = 0; rc == ERR_OK && p->per_district && i < doc->d->cov->ndistricts; i++)
        if (doc->d->cov->districts[i].code)
            rc = report_district_page(doc, i, e);
    if (rc == ERR_OK) {
        report_foot(doc);
        cairo_show_page(cr);
    }
    return rc;
}

/* The map alone, with its credits along the bottom. */
static void report_png(struct report_doc *doc)
{
    double w = REPORT_PNG_W / REPORT_PNG_SCALE, h = REPORT_PNG_H / REPORT_PNG_SCALE;
    cairo_scale(doc->cr, REPORT_PNG_SCALE, REPORT_PNG_SCALE);
    cairo_set_source_rgb(doc->cr, 1, 1, 1);
    cairo_paint(doc->cr);
    struct report_map_frame f = {0, 0, w, h - 22, COVERAGE_NONE, 1};
    report_map_draw(doc->cr, doc->d, &f);
    report_credits(doc, 6, h - 19, w - 12, 6.5);
}

int report_render(struct store *st, const struct walk_net *net, struct walk_session *ws,
                  const struct report_params *p, report_sink_fn sink, void *ctx, struct err *e)
{
    struct report_data *d = NULL;
    if (report_data_load(st, net, ws, &p->cov, p->suppress, p->municipality, &d, e) != ERR_OK)
        return e->code;
    /* The equipment table counts resources, not households: public, no
     * figure to hide. Every kind found, with the audit's walking limit. */
    struct equipment_params ep = {.level = p->cov.level, .minutes = p->cov.walk.minutes};
    if (p->equipment && p->format == REPORT_PDF &&
        equipment_run(st, net, net ? ws : NULL, &ep, &d->eq, e) != ERR_OK) {
        report_data_free(d);
        return e->code;
    }
    if (p->needs && p->format == REPORT_PDF &&
        report_data_needs(st, net, ws, &p->need, d, e) != ERR_OK) {
        report_data_free(d);
        return e->code;
    }
    for (int i = 0; i < REPORT_COMPARE_PARTS; i++)
        d->compare[i] = p->format == REPORT_PDF ? p->compare[i] : NULL;
    char today[16];
    time_t now = time(NULL);
    struct tm tm;
    if (p->date == NULL && localtime_r(&now, &tm) != NULL)
        strftime(today, sizeof today, "%Y-%m-%d", &tm);
    else
        snprintf(today, sizeof today, "%s", p->date ? p->date : "");
    struct report_stream stream = {sink, ctx};
    cairo_surface_t *s =
        p->format == REPORT_PNG
            ? cairo_image_surface_create(CAIRO_FORMAT_RGB24, REPORT_PNG_W, REPORT_PNG_H)
            : cairo_pdf_surface_create_for_stream(report_write, &stream, REPORT_A4_W, REPORT_A4_H);
    if (p->format == REPORT_PDF) {
        char title[512];
        snprintf(title, sizeof title, "%s 徒歩圏カバー率の報告 %s", d->municipality, today);
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "tsunagu");
    }
    cairo_t *cr = cairo_create(s);
    struct report_doc doc = {cr, d, 1, today};
    int rc = ERR_OK;
    if (p->format == REPORT_PNG)
        report_png(&doc);
    else
        rc = report_pdf(&doc, p, e);
    cairo_status_t cs = cairo_status(cr);
    cairo_destroy(cr);
    if (rc == ERR_OK && cs == CAIRO_STATUS_SUCCESS && p->format == REPORT_PNG)
        cs = cairo_surface_write_to_png_stream(s, report_write, &stream);
    cairo_surface_finish(s);
    if (cs == CAIRO_STATUS_SUCCESS)
        cs = cairo_surface_status(s);
    cairo_surface_destroy(s);
    report_data_free(d);
    if (rc == ERR_OK && cs == CAIRO_STATUS_WRITE_ERROR)
        rc = err_set(e, ERR_IO, "the report could not be written");
    else if (rc == ERR_OK && cs != CAIRO_STATUS_SUCCESS)
        rc = err_set(e, ERR_INTERNAL, "the report could not be drawn: %s",
                     cairo_status_to_string(cs));
    return rc;
}
