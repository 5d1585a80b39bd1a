/* SPDX-License-Identifier: MIT */
/* http_coverage_kinds.h - coverage of several kinds in one answer
 * (coverage_kinds.h): GET /api/coverage?kind=a,b,c, and the same document
 * for the CLI (`coverage --kind a,b,c`, with --official the official's).
 * One coverage search per kind; an official's figures of each kind are
 * exactly those of the single-kind answer for that kind
 * (disclose_plan_answer, http_plan_suppress), so the merged answer shows
 * nothing that the single-kind answers, which the official can ask anyway,
 * do not.
 *
 * Entry points: http_coverage_kinds_doc, http_coverage_kinds.
 */
#ifndef TSUNAGU_HTTP_COVERAGE_KINDS_H
#define TSUNAGU_HTTP_COVERAGE_KINDS_H

#include "coverage.h"
#include "server.h"

#include <jansson.h>

/* Builds the merged document (coverage_kinds_merge) for the parameters t
 * whose kind is a list: each kind's document has districts, total,
 * off_network and per-resource loads; `official` hides small counts as
 * GET /api/coverage does. Parameter names in messages get `prefix`. On
 * failure *out is NULL and e holds coverage_kinds_parse's or coverage_run's
 * sentence. */
int http_coverage_kinds_doc(struct store *st, const struct walk_net *net, struct walk_session *ws,
                            const struct coverage_text *t, const char *prefix, int official,
                            json_t **out, struct err *e);

/* GET /api/coverage?kind=a,b,...: the official's merged document
 * (http_coverage_kinds_doc). The caller (http_plan_coverage) has checked
 * the permission and read the parameters into t. Fails as
 * http_plan_coverage does. */
int http_coverage_kinds(struct server_req *rq, const struct coverage_text *t, struct err *e);

#endif
