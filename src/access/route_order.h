/* SPDX-License-Identifier: MIT */
/* route_order.h - a commissioner's route (issue 13, "Sharing" 4): the
 * order in which to walk the households the commissioner may see, and no
 * more. A 民生委員 knows the streets and sees a household with the least
 * detail (id, district, need tags), never its position; so the answer
 * keeps, of a plan (route.h):
 *   - the order of the stops, day by day, with their ids and appointments;
 *   - each leg's walk and each day's walk, rounded up to ROUTE_ORDER_M
 *     metres and ROUTE_ORDER_MIN minutes (rough enough that the walks from
 *     a few chosen starts do not pin a household's door down, fine enough
 *     to plan a morning), and the stops placed only at town level marked;
 *   - the households left out, with the reason;
 * and drops every coordinate: the stops' lon/lat, the path line (which
 * runs to each door), the clock times (start plus walks, the same
 * distances again) and the end place. The households are only ever those
 * of the commissioner's scope (store_scope_check, the same "not known" for
 * any other id), so no stop of a household it may not see can be in the
 * answer or be inferred from it. The role holds AUTH_PERM_ROUTE_ORDER
 * (auth.h), not AUTH_PERM_ROUTE: the full plan is never built into a
 * document for it. Pure: no SQL, no HTTP.
 *
 * Entry points: route_order_json, route_order_round. */
#ifndef TSUNAGU_ROUTE_ORDER_H
#define TSUNAGU_ROUTE_ORDER_H

#include "route.h"

#include <jansson.h>

#define ROUTE_ORDER_M 100 /* walks are rounded up to this many metres */
#define ROUTE_ORDER_MIN 5 /* ... and to this many minutes */

/* The order-only document of plan r (see above): {"order_only": true,
 * "days": [{"day", "stops": [{"order", "household_id", "walk_m",
 * "walk_min", "appointment"?, "position"?}], "walk_m", "walk_min"}],
 * "total_walk_m", "unreachable": [{"household_id", "reason"}]}. NULL when
 * out of memory. */
json_t *route_order_json(const struct route_result *r);

/* v rounded up to a multiple of step (0 stays 0; a value that is not
 * finite reads 0). */
long route_order_round(double v, long step);

#endif
