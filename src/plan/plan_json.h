/* SPDX-License-Identifier: MIT */
/* plan_json.h - documents for the planning answers (coverage audit, site
 * suggestions, outreach routes), built with jansson and shared by the CLI
 * (--json, --csv) and the HTTP layer so both say the same thing.
 *
 * Conventions: distances in metres (1 decimal), minutes to 0.1, shares as
 * fractions (4 decimals), lon/lat to 7 decimals; a distance or minute that
 * does not exist (unreachable, no households) is null, never a number.
 * Residents are null when no census small areas are imported.
 *
 * Entry points: plan_json_coverage, plan_json_coverage_csv,
 * plan_json_suggest, plan_json_route.
 */
#ifndef TSUNAGU_PLAN_JSON_H
#define TSUNAGU_PLAN_JSON_H

#include "coverage.h"
#include "route.h"
#include "suggest.h"
#include "walk.h"

#include <jansson.h>
#include <stdio.h>

/* Parts of a coverage document (bits for plan_json_coverage). */
#define PLAN_JSON_AGGREGATES 0x1u /* districts, total, off_network counts */
#define PLAN_JSON_LOADS 0x2u      /* resources: per-resource loads */
#define PLAN_JSON_HOUSEHOLDS 0x4u /* uncovered: the household-level list (sensitive) */
#define PLAN_JSON_ALL 0x7u

/* {"minutes", "speed_m_per_min", "limit_m", "kind", "field", "level",
 *  "districts": [{"code", "name", "households", "households_covered",
 *   "share_covered", "households_off_network", "households_unreachable",
 *   "residents", "residents_covered", "residents_off_network", "areas",
 *   "median_min", "max_min"}], "total": {same keys},
 *  "off_network": {"households", "areas", "residents", "resources"},
 *  "resources": [{"id", "name", "kind", "households_nearest",
 *   "households_nearest_covered", "residents_nearest",
 *   "residents_nearest_covered", "lon", "lat"}],
 *  "uncovered": [{"household_id", "district", "reason", "nearest_m",
 *   "nearest_min", "nearest_resource"}]}
 * with only the parts selected in `parts` (the header keys always). `net`
 * is the net the result was computed on. Returns a new reference (caller
 * json_decref) or NULL when out of memory. */
json_t *plan_json_coverage(const struct coverage_result *r, const struct walk_net *net,
                           unsigned parts);

/* Writes the district table (districts, then the total) as CSV with a
 * header line: code,name,households,households_covered,share_covered,
 * households_off_network,households_unreachable,median_min,max_min,
 * residents,residents_covered. Empty fields stand for null. Returns ERR_OK
 * or ERR_IO when writing fails. */
int plan_json_coverage_csv(FILE *out, const struct coverage_result *r);

/* {"minutes", "speed_m_per_min", "limit_m", "kind", "candidates",
 *  "candidates_considered", "searches",
 *  "before": {"households", "households_covered", "share_covered",
 *   "households_off_network", "residents", "residents_covered"},
 *  "picks": [{"rank", "id", "name", "node", "lon", "lat",
 *   "households_added", "residents_added", "households_covered",
 *   "share_covered", "residents_covered"}]}
 * ("candidates" is the candidate kind or "network_nodes"; id/name are null
 * for network nodes, node null for candidate resources). New reference or
 * NULL when out of memory. */
json_t *plan_json_suggest(const struct suggest_result *r, const struct walk_net *net);

/* {"start": {"lon", "lat"}, "speed_m_per_min", "dwell_min", "day_minutes",
 *  "start_time", "exact",
 *  "days": [{"day", "stops": [{"household_id", "arrive", "leave", "walk_m",
 *   "walk_min", "lon", "lat"}], "walk_m", "walk_min", "minutes", "back_m",
 *   "end", "route": {"type": "LineString", "coordinates": [[lon, lat], ...]}}],
 *  "total_walk_m", "total_walk_min",
 *  "unreachable": [{"household_id", "reason"}]}
 * Household-level by nature. New reference or NULL when out of memory. */
json_t *plan_json_route(const struct route_result *r);

#endif
