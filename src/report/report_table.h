/* SPDX-License-Identifier: MIT */
/* report_table.h - a table of a report: a title, column heads, rows of
 * text cells and a note, built by a section (report_sections.h) and drawn
 * across as many pages as it needs, its head repeated on each.
 *
 * Entry points: report_table_new, report_table_free, report_table_set,
 * report_table_draw. */
#ifndef TSUNAGU_REPORT_TABLE_H
#define TSUNAGU_REPORT_TABLE_H

#include "err.h"

#include <cairo.h>
#include <stddef.h>

#define REPORT_TABLE_COLS 12     /* columns of a table */
#define REPORT_TABLE_ROWS 100000 /* rows of a table */
#define REPORT_TABLE_CELL 256    /* bytes of a cell's text */

/* A table (owned by whoever made it with report_table_new). */
struct report_table {
    char title[128];                     /* heading above the table */
    size_t ncols;                        /* columns, 1..REPORT_TABLE_COLS */
    const char *head[REPORT_TABLE_COLS]; /* column heads (static text) */
    double width[REPORT_TABLE_COLS];     /* share of the table's width, adding up to 1 */
    int right[REPORT_TABLE_COLS];        /* 1: right-aligned (figures) */
    size_t nrows;                        /* rows */
    char *cells;                         /* nrows x ncols cells of REPORT_TABLE_CELL bytes */
    unsigned char *strong;               /* per row: 1 = bold (a total) */
    char note[1024];                     /* text under the table, or "" */
};

/* A table of `ncols` columns and `nrows` empty rows; NULL with ERR_LIMIT or
 * ERR_NOMEM in e. */
struct report_table *report_table_new(size_t ncols, size_t nrows, struct err *e);
void report_table_free(struct report_table *t);

/* Sets the text of a cell (cut at REPORT_TABLE_CELL - 1 bytes on a UTF-8
 * character boundary); out-of-range cells are ignored. */
void report_table_set(struct report_table *t, size_t row, size_t col, const char *text);

/* A page the table may fill: the context, the left edge and width of the
 * text column, and the bottom limit. `next` ends the page and starts a new
 * one (returning the y where content may start, or a negative number when
 * the page cannot be made). */
struct report_table_page {
    cairo_t *cr;
    double x, width, bottom;
    double (*next)(void *ctx);
    void *ctx;
};

/* Draws t from *y down (title, head, rows, note), starting new pages through
 * pg->next as rows run past pg->bottom, the head repeated on each. *y gets
 * where the next content may start. ERR_INTERNAL when a page cannot be made. */
int report_table_draw(const struct report_table *t, const struct report_table_page *pg, double *y,
                      struct err *e);

#endif
