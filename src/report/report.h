/* SPDX-License-Identifier: MIT */
/* report.h - the printed report an official hands out: an A4 PDF whose
 * first page holds a title (municipality, date, conditions), the map of
 * the share covered per district (report_map.h) and its sources, followed
 * by the tables of report_sections.h across as many pages as they need,
 * and, on request, a page per district; or the map alone as a PNG for
 * slides. With a snapshot's comparisons, each table has a column of the
 * change since then (hidden then or now: hidden). Drawn with cairo (PDF and PNG) and Pango
 * (Japanese text); no browser. Figures follow the caller's role: an official's report hides small
 * counts exactly as /api/coverage does (disclose_plan.h).
 *
 * Entry points: report_format_of, report_render, report_file_open,
 * report_file_sink, report_file_commit, report_file_abort. */
#ifndef TSUNAGU_REPORT_H
#define TSUNAGU_REPORT_H

#include "coverage.h"
#include "err.h"
#include "needs.h"
#include "store.h"
#include "walk.h"

#include <jansson.h>
#include <stddef.h>

/* What to write. */
enum report_format {
    REPORT_PDF = 0, /* the A4 report */
    REPORT_PNG = 1  /* the map alone, 1600 x 1200 pixels */
};

#define REPORT_PATH_MAX 4096   /* bytes of an output path */
#define REPORT_COMPARE_PARTS 3 /* coverage, needs, equipment */

/* A report's request. */
struct report_params {
    struct coverage_params cov; /* the audit: level required */
    int format;                 /* enum report_format */
    int suppress;               /* 1: small counts hidden as for an official */
    int per_district;           /* 1: a page per district after the tables (PDF) */
    const char *municipality;   /* overrides the database's meta "municipality"; NULL */
    const char *date;           /* date printed, "YYYY-MM-DD"; NULL for today */
    int equipment;              /* 1: the equipment table (resources per kind per district,
                                   equipment.h) after the coverage table (PDF) */
    int needs;                  /* 1: the needs table (needs.h, as the role sees it:
                                   disclose_needs.h when `suppress`) after those (PDF) */
    struct needs_params need;   /* its need tag and indicator (level: the report's) */
    const json_t *compare[REPORT_COMPARE_PARTS]; /* changes since a snapshot, borrowed:
                                   the comparisons of coverage, needs and equipment in the
                                   form of http_snapshot_compare (label, taken_at, districts
                                   [{code, changes {PATH: {then, now, change}}}], total);
                                   NULL: no change column */
};

/* Where the bytes go: returns 0 when written, non-zero to stop. */
typedef int (*report_sink_fn)(void *ctx, const unsigned char *data, size_t n);

/* The format for an output path by its ending (.pdf, .png, any case);
 * ERR_INPUT naming the path otherwise. */
int report_format_of(const char *path, int *format, struct err *e);

/* Runs the audit and writes the report to sink. Fails like coverage_run
 * (ERR_INPUT, ERR_NOTFOUND for an unknown level), ERR_NOTFOUND when the
 * level has no outline, ERR_IO when the sink refuses bytes, ERR_INTERNAL
 * when cairo fails; the sink may then have had part of a document. */
int report_render(struct store *st, const struct walk_net *net, struct walk_session *ws,
                  const struct report_params *p, report_sink_fn sink, void *ctx, struct err *e);

/* An output file written whole or not at all: bytes go to a hidden
 * temporary file beside it, which takes the file's name only on commit. */
struct report_file;

/* Opens the temporary file for `path` (ERR_IO naming the path when its
 * folder cannot be written, ERR_INPUT for a path too long). */
struct report_file *report_file_open(const char *path, struct err *e);

/* A report_sink_fn writing to the file (ctx: the struct report_file). */
int report_file_sink(void *ctx, const unsigned char *data, size_t n);

/* Flushes and renames the file into place, then frees f; on failure
 * removes it (ERR_IO). */
int report_file_commit(struct report_file *f, struct err *e);

/* Removes the temporary file and frees f; NULL is ignored. */
void report_file_abort(struct report_file *f);

#endif
