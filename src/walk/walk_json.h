/* SPDX-License-Identifier: MIT */
/* walk_json.h - JSON documents for walking answers, built with jansson and
 * shared by the CLI (--json) and the HTTP API so both say the same thing.
 *
 * Entry points: walk_json_reachable, walk_json_round, walk_json_next_open.
 */
#ifndef TSUNAGU_WALK_JSON_H
#define TSUNAGU_WALK_JSON_H

#include "walk.h"
#include <jansson.h>

/* {"origin": {"lon","lat","snap_m"}, "minutes", "speed_m_per_min",
 *  "open_at", "open_on" (the filter, or null),
 *  "resources": [{"id","name","kind","fields","walk_m","walk_min", ...,
 *  "schedule", "next_open" (walk_json_next_open, or null)}]}.
 * Returns a new reference the caller releases with json_decref, or NULL when
 * out of memory. */
json_t *walk_json_reachable(const struct walk_net *n, const struct walk_query *q,
                            const struct walk_result *r);

/* A resource's next opening as "YYYY-MM-DDTHH:MM" (Japan time) in buf (size
 * >= HOURS_TIME_TEXT), counted from q->when.at (the --open-at time, or
 * now) and, for an --open-on filter, on that weekday. 1 when there is one
 * within HOURS_LOOKAHEAD_DAYS, 0 when not or the schedule is unreadable. */
int walk_json_next_open(const struct walk_resource *w, const struct walk_query *q, char *buf,
                        size_t size);

/* Rounds to `digits` decimals for output. */
double walk_json_round(double v, int digits);

#endif
