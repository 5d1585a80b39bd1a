/* SPDX-License-Identifier: MIT */
/* needs_json.h - the needs answer (needs.h) as a JSON document, a CSV
 * table and a text table, each showing household figures as a view says:
 * the number, "<5" or hidden (the access layer's disclosure decision fills
 * the view; NULL shows every figure, for the operator's command line).
 * Census indicators are public and always shown. A rate, expectation,
 * test and flag rest on the district's need count and hide with it; the
 * expectation also rests on the municipality's count.
 *
 * Entry points: needs_view_alloc, needs_view_free, needs_json, needs_csv,
 * needs_text. */
#ifndef TSUNAGU_NEEDS_JSON_H
#define TSUNAGU_NEEDS_JSON_H

#include "needs.h"

#include <jansson.h>
#include <stdio.h>

/* How a household figure is shown (the values of disclose.h's states). */
enum needs_show {
    NEEDS_SHOW = 0,  /* the number */
    NEEDS_SMALL = 1, /* "<5" */
    NEEDS_HIDDEN = 2 /* null / empty */
};

/* The states of an answer's household figures; rows are r->districts in
 * order, then the total (index ndistricts). */
struct needs_view {
    size_t nrows;              /* ndistricts + 1 */
    size_t ntags;              /* r->ntags */
    unsigned char *households; /* per row */
    unsigned char *tag;        /* per row x tag: tag[row * ntags + j] */
};

/* A view of r with every figure shown (zeroed); ERR_NOMEM. */
int needs_view_alloc(const struct needs_result *r, struct needs_view *v, struct err *e);
void needs_view_free(struct needs_view *v);

/* The JSON document: level, need, per, alpha, rate_per_1000, tags,
 * indicators, districts[] and total (code, name, households, needs {tag:
 * count}, areas, indicators {name: sum}, indicators_missing, rate_per_1000,
 * expected, p_value, under_identified, suppressed). NULL when out of
 * memory. */
json_t *needs_json(const struct needs_result *r, const struct needs_view *v);

/* The district table as CSV (one line per row, the total last). ERR_IO. */
int needs_csv(FILE *out, const struct needs_result *r, const struct needs_view *v);

/* The table a person reads. */
void needs_text(FILE *out, const struct needs_result *r, const struct needs_view *v);

#endif
