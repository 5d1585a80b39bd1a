/* SPDX-License-Identifier: MIT */
/* http_plan.h - the planning answers over HTTP: the coverage audit, new-site
 * suggestions and outreach routes (coverage.h, suggest.h, route.h), as
 * handlers for the server's routing table (see server.h for the handler
 * contract). The documents are plan_json.h's, the same the CLI prints with
 * --json, with one difference: /api/coverage never carries the
 * household-level list ("uncovered").
 *
 * Access and privacy (auth.h). Every handler checks the caller's role
 * first, before reading a parameter: coverage needs AUTH_PERM_COVERAGE,
 * suggestions AUTH_PERM_SUGGEST (official, admin), routes AUTH_PERM_ROUTE
 * (coordinator, outreach); an anonymous caller gets ERR_UNAUTHORIZED, a
 * role without the permission ERR_FORBIDDEN. Coverage and suggestions read
 * households but answer only aggregates, with small counts suppressed
 * (disclose.h). A route is household-level by nature (ids and positions of
 * the stops, for the worker doing the visits): it runs only over
 * households of the caller's assignment, is recorded in the audit log
 * before it leaves, and is answered with Cache-Control: no-store.
 * Messages never carry household ids.
 *
 * Limits: the server's (SERVER_BODY_MAX bytes of body, query-parameter
 * limits) plus, for the route body, HTTP_PLAN_DEPTH_MAX levels of JSON
 * nesting, ROUTE_MAX_STOPS household ids of at most HTTP_PLAN_ID_MAX bytes
 * and HTTP_PLAN_TEXT_MAX bytes per text member.
 *
 * Entry points: http_plan_coverage, http_plan_suggest, http_plan_route,
 * http_plan_route_parse, http_plan_body_clear, http_plan_json_depth,
 * http_plan_suppress.
 */
#ifndef TSUNAGU_HTTP_PLAN_H
#define TSUNAGU_HTTP_PLAN_H

#include "disclose_plan.h"
#include "route.h"
#include "server.h"

#include <jansson.h>

#define HTTP_PLAN_DEPTH_MAX                                                                        \
    4                       /* nesting of the route body: {"start":{...},"households":[...]} is 2 */
#define HTTP_PLAN_ID_MAX 64 /* bytes of one household id in a route body */
#define HTTP_PLAN_TEXT_MAX 200 /* bytes of a text member (district, need, level, ...) */

/* GET /api/coverage?minutes=&speed=&kind=&field=&level= - the coverage
 * document of plan_json_coverage with districts, total, off_network and
 * resources (per-resource loads), never uncovered. Household counts of 1
 * to DISCLOSE_K - 1 read "<5" and the complementary counts protecting them
 * null, decided jointly with every other level, kind and limit
 * (disclose_plan_answer), so no answer shows what another hides; a share
 * or minutes resting on a hidden count are
 * null; each district, the total and each load say "suppressed" when any
 * of their figures is hidden. level defaults to none (total only).
 * ERR_UNAUTHORIZED / ERR_FORBIDDEN by role, ERR_INPUT naming a bad
 * parameter, ERR_NOTFOUND for an unknown level or without a walking
 * network. kind=a,b (a list of kinds) answers http_coverage_kinds.h's
 * document instead. */
int http_plan_coverage(struct server_req *rq, struct err *e);

/* Applies an official's states dc (disclose_plan_answer) to doc, the
 * plan_json_coverage document of r with aggregates and loads: the "<5",
 * nulls and "suppressed" flags GET /api/coverage answers. ERR_NOMEM. */
int http_plan_suppress(json_t *doc, const struct coverage_result *r,
                       const struct disclose_plan_coverage *dc, struct err *e);

/* GET /api/suggest?minutes=&speed=&kind=&field=&sites=&candidates= - the
 * plan_json_suggest document over a candidate layer, for roles that may not
 * see households: only sites adding at least DISCLOSE_K households are
 * named ("min_households_added"), no pick carries a household figure
 * (null), and "before" hides what the coverage total hides
 * (disclose_plan_answer). Fails like http_plan_coverage, ERR_FORBIDDEN
 * without candidates (network nodes are picked next to the households
 * they cover), ERR_NOTFOUND when the candidate kind has no site on the
 * network. */
int http_plan_suggest(struct server_req *rq, struct err *e);

/* POST /api/route with a JSON object body (application/json):
 *   {"start": {"lon": number, "lat": number},          required
 *    "households": ["ID", ...]                         or
 *    "district": "name or code", "need": "tag", "level": "key",
 *    "dwell": minutes, "day_minutes": minutes,
 *    "speed": m/min or "general"|"slow"|"elderly", "start_time": "HH:MM"}
 * answers the plan_json_route document with Cache-Control: no-store,
 * over the households of the caller's assignment only: named households
 * outside it count as unknown, and a district's households are those of
 * the assignment inside it (none: an empty plan). ERR_UNAUTHORIZED /
 * ERR_FORBIDDEN by role (before the body is read), ERR_INPUT (400) naming
 * the bad member for a body that is not such an object (unknown member,
 * wrong type, nesting deeper than HTTP_PLAN_DEPTH_MAX, a value out of
 * range), ERR_LIMIT for more than ROUTE_MAX_STOPS ids, ERR_NOTFOUND for
 * unknown households (a count, the same for ids outside the assignment)
 * or district, ERR_IO when the audit record cannot be written. */
int http_plan_route(struct server_req *rq, struct err *e);

/* A parsed route body: the route_text http_plan_route_parse fills borrows
 * its strings from here. Zero-initialise; release with http_plan_body_clear
 * (also after a failed parse). */
struct http_plan_body {
    json_t *doc;                       /* the parsed body (owned), or NULL */
    char start_lon[32], start_lat[32]; /* "%.17g" of the numbers */
    char dwell[32], day_minutes[32];   /* likewise */
    char speed[32];                    /* a number as text (a preset stays borrowed) */
    char *households;                  /* "ID,ID,..." (owned), or NULL */
    char end_lon[32], end_lat[32];     /* "end": {"lon", "lat"} as text */
    char max_visits[32];               /* likewise */
    char *appointments;                /* "ID@HH:MM-HH:MM,..." (owned), or NULL */
};

/* Parses the JSON text body[0..len) of POST /api/route (the Content-Type is
 * the handler's business) into t, whose strings then borrow from b, for
 * route_params_parse. Fails as http_plan_route describes (ERR_INPUT naming
 * the member, ERR_LIMIT beyond ROUTE_MAX_STOPS ids), t then partly filled.
 * Pure: no server, no database; exposed for the fuzz target. */
int http_plan_route_parse(const char *body, size_t len, struct route_text *t,
                          struct http_plan_body *b, struct err *e);
void http_plan_body_clear(struct http_plan_body *b);

/* Deepest nesting of arrays and objects in the JSON text s[0..n) (strings
 * skipped), stopping early once it exceeds `max`. Exposed for tests. */
int http_plan_json_depth(const char *s, size_t n, int max);

#endif
