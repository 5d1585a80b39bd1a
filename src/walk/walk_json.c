/* SPDX-License-Identifier: MIT */
/* walk_json.c - builds the JSON answer of a walk query (see walk_json.h). */
#include "walk_json.h"

#include <math.h>

double walk_json_round(double v, int digits)
{
    double f = pow(10.0, digits);
    return round(v * f) / f;
}

static json_t *walk_json_str(const char *s)
{
    return s ? json_string(s) : json_null();
}

int walk_json_next_open(const struct walk_resource *w, const struct walk_query *q, char *buf,
                        size_t size)
{
    struct hours_time next;
    if (w->hours == NULL ||
        !hours_next_open(w->hours, &q->when.at, q->when.mode == HOURS_WHEN_ON ? q->when.wday : -1,
                         &next))
        return 0;
    hours_time_format(&next, buf, size);
    return 1;
}

json_t *walk_json_reachable(const struct walk_net *n, const struct walk_query *q,
                            const struct walk_result *r)
{
    json_t *list = json_array();
    char at[HOURS_TIME_TEXT];
    hours_time_format(&q->when.at, at, sizeof at);
    json_t *doc = json_pack(
        "{s:{s:f,s:f,s:f},s:f,s:f,s:f,s:o?,s:o,s:o,s:o?}", "origin", "lon", q->lon, "lat", q->lat,
        "snap_m", walk_json_round(r->snap_m, 1), "minutes", q->minutes, "speed_m_per_min", r->speed,
        "limit_m", walk_json_round(r->limit_m, 1), "kind", walk_json_str(q->kind), "open_at",
        walk_json_str(q->when.mode == HOURS_WHEN_AT ? at : NULL), "open_on",
        walk_json_str(q->when.mode == HOURS_WHEN_ON ? hours_weekday_name(q->when.wday) : NULL),
        "resources", list);
    if (doc == NULL)
        return NULL;
    for (size_t i = 0; i < r->n; i++) {
        const struct walk_resource *w = walk_net_resource(n, r->hits[i].resource);
        json_t *o =
            json_pack("{s:o,s:o,s:o,s:o,s:o,s:f,s:f,s:o,s:o,s:o,s:f,s:f}", "id",
                      walk_json_str(w->ext_id), "name", walk_json_str(w->name), "kind",
                      walk_json_str(w->kind), "fields", walk_json_str(w->fields), "target",
                      walk_json_str(w->target), "walk_m", walk_json_round(r->hits[i].walk_m, 1),
                      "walk_min", walk_json_round(r->hits[i].walk_m / r->speed, 1), "hub_type",
                      walk_json_str(w->hub_type), "address", walk_json_str(w->address), "schedule",
                      walk_json_str(w->schedule), "lon", walk_json_round(w->lon, 7), "lat",
                      walk_json_round(w->lat, 7));
        char next[HOURS_TIME_TEXT];
        int has_next = walk_json_next_open(w, q, next, sizeof next);
        if (o && json_object_set_new(o, "next_open", walk_json_str(has_next ? next : NULL)) != 0) {
            json_decref(o);
            o = NULL;
        }
        if (o == NULL || json_array_append_new(list, o) != 0) {
            json_decref(doc);
            return NULL;
        }
    }
    return doc;
}
