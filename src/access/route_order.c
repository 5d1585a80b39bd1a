/* SPDX-License-Identifier: MIT */
/* route_order.c - the order-only answer of a commissioner's route (see
 * route_order.h). Entry points: route_order_json, route_order_round. */
#include "route_order.h"

#include <math.h>

long route_order_round(double v, long step)
{
    if (!isfinite(v) || v <= 0 || step <= 0)
        return 0;
    return (long)ceil(v / (double)step) * step;
}

/* Sets key of o to v (stolen); clears *ok when either is NULL or it fails. */
static void route_order_put(json_t *o, const char *key, json_t *v, int *ok)
{
    if (o == NULL || v == NULL || json_object_set_new(o, key, v) != 0)
        *ok = 0;
}

/* Appends v (stolen) to array a; clears *ok on failure. */
static void route_order_push(json_t *a, json_t *v, int *ok)
{
    if (a == NULL || v == NULL || json_array_append_new(a, v) != 0)
        *ok = 0;
}

/* "HH:MM" of minutes after midnight, as a JSON string. */
static json_t *route_order_time(int minutes)
{
    char buf[16];
    route_format_time(minutes, buf, sizeof buf);
    return json_string(buf);
}

json_t *route_order_json(const struct route_result *r)
{
    int ok = 1;
    double speed = r->speed > 0 ? r->speed : 1.0;
    json_t *doc = json_object(), *days = json_array();
    route_order_put(doc, "order_only", json_true(), &ok);
    size_t order = 0;
    for (size_t d = 0; ok && d < r->ndays; d++) {
        const struct route_day *day = &r->days[d];
        json_t *o = json_object(), *stops = json_array();
        route_order_put(o, "day", json_integer((json_int_t)d + 1), &ok);
        for (size_t i = 0; ok && i < day->count; i++) {
            const struct route_stop *s = &r->stops[day->first + i];
            json_t *so = json_object();
            route_order_put(so, "order", json_integer((json_int_t)++order), &ok);
            route_order_put(so, "household_id", json_string(s->ext_id ? s->ext_id : ""), &ok);
            route_order_put(so, "walk_m", json_integer(route_order_round(s->walk_m, ROUTE_ORDER_M)),
                            &ok);
            route_order_put(so, "walk_min",
                            json_integer(route_order_round(s->walk_m / speed, ROUTE_ORDER_MIN)),
                            &ok);
            if (s->win_open >= 0)
                route_order_put(so, "appointment",
                                json_pack("{s:o,s:o}", "from", route_order_time(s->win_open), "to",
                                          route_order_time(s->win_close)),
                                &ok);
            if (s->approx)
                route_order_put(so, "position", json_string(ROUTE_APPROX_NOTE), &ok);
            route_order_push(stops, so, &ok);
        }
        route_order_put(o, "stops", stops, &ok);
        route_order_put(o, "walk_m", json_integer(route_order_round(day->walk_m, ROUTE_ORDER_M)),
                        &ok);
        route_order_put(o, "walk_min",
                        json_integer(route_order_round(day->walk_m / speed, ROUTE_ORDER_MIN)), &ok);
        route_order_push(days, o, &ok);
    }
    route_order_put(doc, "days", days, &ok);
    route_order_put(doc, "total_walk_m",
                    json_integer(route_order_round(r->total_walk_m, ROUTE_ORDER_M)), &ok);
    json_t *un = json_array();
    for (size_t i = 0; ok && i < r->nunreachable; i++)
        route_order_push(un,
                         json_pack("{s:s,s:s}", "household_id",
                                   r->unreachable[i].ext_id ? r->unreachable[i].ext_id : "",
                                   "reason", route_reason_word(r->unreachable[i].reason)),
                         &ok);
    route_order_put(doc, "unreachable", un, &ok);
    if (!ok) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}
