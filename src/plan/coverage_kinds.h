/* SPDX-License-Identifier: MIT */
/* coverage_kinds.h - coverage of several resource kinds in one answer
 * (`coverage --kind consultation,salon,cafeteria`, /api/coverage?kind=a,b):
 * the kind list, and the merged document built from one single-kind
 * coverage document per kind (plan_json_coverage, one search per kind,
 * suppressed by the caller when the answer is an official's), with one
 * column group per kind.
 *
 * The merged document holds nothing the single-kind answers do not: each
 * kind's figures are its single-kind answer's, as they are, and the
 * households of a district (decided once for every answer, disclose_plan.h
 * stage 0) are the same in every kind.
 *
 * Entry points: coverage_kinds_is_list, coverage_kinds_parse, coverage_kinds_merge,
 * coverage_kinds_csv.
 */
#ifndef TSUNAGU_COVERAGE_KINDS_H
#define TSUNAGU_COVERAGE_KINDS_H

#include "err.h"
#include "vocab.h"

#include <jansson.h>
#include <stdio.h>

#define COVERAGE_KINDS_MAX 8        /* kinds one answer may hold */
#define COVERAGE_KINDS_TEXT_MAX 300 /* bytes of the kind list */

/* A list of kinds as written, in order. */
struct coverage_kinds {
    size_t n;                                         /* kinds, 1..COVERAGE_KINDS_MAX */
    char kind[COVERAGE_KINDS_MAX][VOCAB_KEY_MAX + 1]; /* each a kind key (vocab_kind) */
};

/* 1 when `text` names more than one kind (holds a comma). */
int coverage_kinds_is_list(const char *text);

/* Splits "a,b,c" into k, each checked with vocab_kind. ERR_INPUT with one
 * sentence naming `option` ("--kind" or "kind") for an empty item, an
 * unknown kind, a kind given twice; ERR_LIMIT for more than
 * COVERAGE_KINDS_MAX kinds or a text longer than COVERAGE_KINDS_TEXT_MAX. */
int coverage_kinds_parse(const char *text, const char *option, struct coverage_kinds *k,
                         struct err *e);

/* The merged document of docs[0..k->n) (docs[i] the coverage document of
 * k->kind[i], plan_json_coverage's form, all for the same level, limit and
 * field):
 *   {"kinds": [...], "minutes", "speed_m_per_min", "limit_m", "field",
 *    "level", "districts": [{"code", "name", "households", "residents",
 *     "by_kind": {KIND: {"households_covered", "share_covered",
 *      "households_off_network", "households_unreachable",
 *      "residents_covered", "median_min", "max_min", "suppressed"}}}],
 *    "total": {the same}, "answers": [docs...]}
 * ("suppressed" only where the documents carry it). Takes a reference to
 * each docs[i]. New reference, or NULL when out of memory or when the
 * documents' districts differ (a bug). */
json_t *coverage_kinds_merge(json_t *const *docs, const struct coverage_kinds *k);

/* Writes the merged table as CSV: code,name,households,residents, then per
 * kind KIND_covered,KIND_share,KIND_unreachable,KIND_median_min,
 * KIND_residents_covered; districts, then the total (code "total"). Empty
 * fields are null (hidden or not applicable); "<5" stays as it is. ERR_IO
 * when writing fails. */
int coverage_kinds_csv(FILE *out, const json_t *merged);

#endif
