/* SPDX-License-Identifier: MIT */
/* report_table.c - tables across report pages (see report_table.h).
 * Entry points: report_table_new, report_table_free, report_table_set,
 * report_table_draw. */
#include "report_table.h"

#include "report_text.h"

#include <stdlib.h>
#include <string.h>

#define REPORT_TABLE_FONT 8.0  /* points of a cell */
#define REPORT_TABLE_PAD 2.5   /* points above and below a cell's text */
#define REPORT_TABLE_TITLE 11. /* points of the title */

struct report_table *report_table_new(size_t ncols, size_t nrows, struct err *e)
{
    if (ncols == 0 || ncols > REPORT_TABLE_COLS || nrows > REPORT_TABLE_ROWS) {
        err_set(e, ERR_LIMIT, "a report table has 1 to %d columns and at most %d rows",
                REPORT_TABLE_COLS, REPORT_TABLE_ROWS);
        return NULL;
    }
    struct report_table *t = calloc(1, sizeof *t);
    if (t != NULL) {
        t->cells = calloc(nrows * ncols + 1, REPORT_TABLE_CELL);
        t->strong = calloc(nrows + 1, 1);
    }
    if (t == NULL || t->cells == NULL || t->strong == NULL) {
        report_table_free(t);
        err_nomem(e);
        return NULL;
    }
    t->ncols = ncols;
    t->nrows = nrows;
    return t;
}

void report_table_free(struct report_table *t)
{
    if (t == NULL)
        return;
    free(t->cells);
    free(t->strong);
    free(t);
}

void report_table_set(struct report_table *t, size_t row, size_t col, const char *text)
{
    if (row >= t->nrows || col >= t->ncols)
        return;
    char *cell = t->cells + (row * t->ncols + col) * REPORT_TABLE_CELL;
    size_t n = text ? strlen(text) : 0;
    if (n > REPORT_TABLE_CELL - 1) { /* back to the start of a UTF-8 character */
        n = REPORT_TABLE_CELL - 1;
        while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(cell, text ? text : "", n);
    cell[n] = '\0';
}

/* Draws one row (the head when cells is NULL) at y; returns its height. */
static double report_table_row(const struct report_table *t, const struct report_table_page *pg,
                               size_t row, double y, int head)
{
    cairo_t *cr = pg->cr;
    double h = 0, x = pg->x;
    /* Height first (cells may wrap), then the band, then the text. */
    for (size_t c = 0; c < t->ncols; c++) {
        const char *s = head ? t->head[c] : t->cells + (row * t->ncols + c) * REPORT_TABLE_CELL;
        double cw = t->width[c] * pg->width - 2 * REPORT_TABLE_PAD, tw, th;
        report_text_size(cr, s, REPORT_TABLE_FONT, head, &tw, &th);
        if (tw > cw && cw > 0) /* wraps: lines of the cell's width */
            th *= (double)((int)(tw / cw) + 1);
        if (th > h)
            h = th;
    }
    h += 2 * REPORT_TABLE_PAD;
    if (head || t->strong[row]) {
        cairo_set_source_rgb(cr, head ? 0.85 : 0.93, head ? 0.88 : 0.93, head ? 0.92 : 0.93);
        cairo_rectangle(cr, pg->x, y, pg->width, h);
        cairo_fill(cr);
    }
    cairo_set_source_rgb(cr, 0.7, 0.7, 0.7);
    cairo_set_line_width(cr, 0.4);
    cairo_move_to(cr, pg->x, y + h);
    cairo_line_to(cr, pg->x + pg->width, y + h);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (size_t c = 0; c < t->ncols; c++) {
        const char *s = head ? t->head[c] : t->cells + (row * t->ncols + c) * REPORT_TABLE_CELL;
        double cw = t->width[c] * pg->width;
        report_text_draw(cr, s, REPORT_TABLE_FONT, head || t->strong[row], x + REPORT_TABLE_PAD,
                         y + REPORT_TABLE_PAD, cw - 2 * REPORT_TABLE_PAD,
                         t->right[c] ? REPORT_TEXT_RIGHT : REPORT_TEXT_LEFT);
        x += cw;
    }
    return h;
}

int report_table_draw(const struct report_table *t, const struct report_table_page *pg, double *y,
                      struct err *e)
{
    cairo_t *cr = pg->cr;
    double rowh_min = REPORT_TABLE_FONT * 2 + 2 * REPORT_TABLE_PAD;
    /* The title, the head and one row stay together. */
    if (*y + REPORT_TABLE_TITLE * 2 + 2 * rowh_min > pg->bottom && (*y = pg->next(pg->ctx)) < 0)
        return err_set(e, ERR_INTERNAL, "cannot start a page of the report");
    cairo_set_source_rgb(cr, 0, 0, 0);
    *y += report_text_draw(cr, t->title, REPORT_TABLE_TITLE, 1, pg->x, *y, pg->width,
                           REPORT_TEXT_LEFT) +
          4;
    *y += report_table_row(t, pg, 0, *y, 1);
    for (size_t r = 0; r < t->nrows; r++) {
        if (*y + rowh_min > pg->bottom) {
            if ((*y = pg->next(pg->ctx)) < 0)
                return err_set(e, ERR_INTERNAL, "cannot start a page of the report");
            cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
            *y += report_text_draw(cr, t->title, REPORT_TABLE_FONT, 0, pg->x, *y, pg->width,
                                   REPORT_TEXT_LEFT) +
                  2;
            *y += report_table_row(t, pg, 0, *y, 1);
        }
        *y += report_table_row(t, pg, r, *y, 0);
    }
    if (t->note[0]) {
        cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
        *y += 3 + report_text_draw(cr, t->note, REPORT_TABLE_FONT - 0.5, 0, pg->x, *y + 3,
                                   pg->width, REPORT_TEXT_LEFT);
    }
    *y += 12;
    return ERR_OK;
}
