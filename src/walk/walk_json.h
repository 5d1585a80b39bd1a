/* SPDX-License-Identifier: MIT */
/* walk_json.h - JSON documents for walking answers, built with jansson and
 * shared by the CLI (--json) and the HTTP API so both say the same thing.
 *
 * Entry points: walk_json_reachable, walk_json_round.
 */
#ifndef TSUNAGU_WALK_JSON_H
#define TSUNAGU_WALK_JSON_H

#include "walk.h"
#include <jansson.h>

/* {"origin": {"lon","lat","snap_m"}, "minutes", "speed_m_per_min",
 *  "resources": [{"id","name","kind","fields","walk_m","walk_min", ...}]}.
 * Returns a new reference the caller releases with json_decref, or NULL when
 * out of memory. */
json_t *walk_json_reachable(const struct walk_net *n, const struct walk_query *q,
                            const struct walk_result *r);

/* Rounds to `digits` decimals for output. */
double walk_json_round(double v, int digits);

#endif
