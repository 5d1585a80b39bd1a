/* SPDX-License-Identifier: MIT */
/* plan_json.c - builds the planning documents of plan_json.h with jansson
 * (and the coverage district table as CSV). Every object is assembled
 * through plan_json_put, which records an allocation failure and lets the
 * builder return NULL once at the end. Entry points: plan_json_coverage,
 * plan_json_coverage_csv, plan_json_suggest, plan_json_route. */
#include "plan_json.h"

#include "escape.h"

#include "vocab.h"
#include "walk_json.h"

#include <math.h>
#include <string.h>

/* Sets key to v (a new reference, may be NULL) in o; clears *ok on failure. */
static void plan_json_put(json_t *o, const char *key, json_t *v, int *ok)
{
    if (o == NULL || v == NULL || json_object_set_new(o, key, v) != 0) {
        json_decref(v);
        *ok = 0;
    }
}

/* Appends v (a new reference, may be NULL) to array a; clears *ok on failure. */
static void plan_json_push(json_t *a, json_t *v, int *ok)
{
    if (a == NULL || v == NULL || json_array_append_new(a, v) != 0) {
        json_decref(v);
        *ok = 0;
    }
}

static json_t *plan_json_str(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* A finite number rounded to `digits`, else null. */
static json_t *plan_json_num(double v, int digits)
{
    return isfinite(v) ? json_real(walk_json_round(v, digits)) : json_null();
}

/* ---------------------------------------------------------------- coverage */

static json_t *plan_json_district(const struct coverage_district *d, int have_areas, double speed)
{
    int ok = 1;
    json_t *o = json_object();
    plan_json_put(o, "code", plan_json_str(d->code), &ok);
    plan_json_put(o, "name", plan_json_str(d->name), &ok);
    plan_json_put(o, "households", json_integer(d->households), &ok);
    plan_json_put(o, "households_covered", json_integer(d->households_covered), &ok);
    plan_json_put(o, "share_covered",
                  d->households > 0
                      ? plan_json_num((double)d->households_covered / (double)d->households, 4)
                      : json_null(),
                  &ok);
    plan_json_put(o, "households_off_network", json_integer(d->households_off_network), &ok);
    plan_json_put(o, "households_unreachable", json_integer(d->households_unreachable), &ok);
    plan_json_put(o, "households_approx", json_integer(d->households_approx), &ok);
    plan_json_put(o, "residents", have_areas ? json_integer(d->residents) : json_null(), &ok);
    plan_json_put(o, "residents_covered",
                  have_areas ? json_integer(d->residents_covered) : json_null(), &ok);
    plan_json_put(o, "residents_off_network",
                  have_areas ? json_integer(d->residents_off_network) : json_null(), &ok);
    plan_json_put(o, "areas", json_integer(d->areas), &ok);
    plan_json_put(o, "median_min", plan_json_num(d->median_m / speed, 1), &ok);
    plan_json_put(o, "max_min", plan_json_num(d->max_m / speed, 1), &ok);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *plan_json_coverage(const struct coverage_result *r, const struct walk_net *net,
                           unsigned parts)
{
    int ok = 1;
    char fields[64] = "";
    if (r->field_mask)
        vocab_fields_format(r->field_mask, fields, sizeof fields);
    json_t *doc = json_object();
    plan_json_put(doc, "minutes", json_real(r->minutes), &ok);
    plan_json_put(doc, "speed_m_per_min", json_real(r->speed), &ok);
    plan_json_put(doc, "limit_m", plan_json_num(r->limit_m, 1), &ok);
    plan_json_put(doc, "kind", plan_json_str(r->kind), &ok);
    plan_json_put(doc, "field", r->field_mask ? json_string(fields) : json_null(), &ok);
    plan_json_put(doc, "level", plan_json_str(r->level), &ok);
    if (parts & PLAN_JSON_AGGREGATES) {
        json_t *list = json_array();
        for (size_t i = 0; ok && i < r->ndistricts; i++)
            plan_json_push(list, plan_json_district(&r->districts[i], r->have_areas, r->speed),
                           &ok);
        plan_json_put(doc, "districts", list, &ok);
        plan_json_put(doc, "total", plan_json_district(&r->total, r->have_areas, r->speed), &ok);
        long areas_off = 0;
        for (size_t i = 0; i < r->nareas; i++)
            areas_off += r->areas[i].status == COVERAGE_OFF_NETWORK;
        json_t *off = json_object();
        plan_json_put(off, "households", json_integer(r->total.households_off_network), &ok);
        plan_json_put(off, "areas", json_integer(areas_off), &ok);
        plan_json_put(off, "residents",
                      r->have_areas ? json_integer(r->total.residents_off_network) : json_null(),
                      &ok);
        plan_json_put(off, "resources", json_integer((json_int_t)r->resources_off_network), &ok);
        plan_json_put(doc, "off_network", off, &ok);
    }
    if (parts & PLAN_JSON_LOADS) {
        json_t *list = json_array();
        for (size_t i = 0; ok && i < r->nloads; i++) {
            const struct coverage_load *l = &r->loads[i];
            const struct walk_resource *w = walk_net_resource(net, l->resource);
            json_t *o = json_object();
            plan_json_put(o, "id", plan_json_str(w->ext_id), &ok);
            plan_json_put(o, "name", plan_json_str(w->name), &ok);
            plan_json_put(o, "kind", plan_json_str(w->kind), &ok);
            plan_json_put(o, "households_nearest", json_integer(l->households_nearest), &ok);
            plan_json_put(o, "households_nearest_covered",
                          json_integer(l->households_nearest_covered), &ok);
            plan_json_put(o, "residents_nearest",
                          r->have_areas ? json_integer(l->residents_nearest) : json_null(), &ok);
            plan_json_put(o, "residents_nearest_covered",
                          r->have_areas ? json_integer(l->residents_nearest_covered) : json_null(),
                          &ok);
            plan_json_put(o, "lon", plan_json_num(w->lon, 7), &ok);
            plan_json_put(o, "lat", plan_json_num(w->lat, 7), &ok);
            plan_json_push(list, o, &ok);
        }
        plan_json_put(doc, "resources", list, &ok);
    }
    if (parts & PLAN_JSON_HOUSEHOLDS) {
        json_t *list = json_array();
        for (size_t i = 0; ok && i < r->nhouseholds; i++) {
            const struct coverage_household *h = &r->households[i];
            if (h->status == COVERAGE_COVERED)
                continue;
            const struct coverage_district *d =
                h->district != COVERAGE_NONE ? &r->districts[h->district] : NULL;
            const struct walk_resource *w =
                h->nearest != COVERAGE_NONE ? walk_net_resource(net, h->nearest) : NULL;
            json_t *o = json_object();
            plan_json_put(o, "household_id", plan_json_str(h->ext_id), &ok);
            plan_json_put(o, "district",
                          d ? plan_json_str(d->code ? d->code : d->name) : json_null(), &ok);
            plan_json_put(o, "reason", json_string(coverage_status_word(h->status)), &ok);
            plan_json_put(o, "nearest_m", plan_json_num(h->nearest_m, 1), &ok);
            plan_json_put(o, "nearest_min", plan_json_num(h->nearest_m / r->speed, 1), &ok);
            plan_json_put(o, "nearest_resource", w ? plan_json_str(w->ext_id) : json_null(), &ok);
            plan_json_push(list, o, &ok);
        }
        plan_json_put(doc, "uncovered", list, &ok);
    }
    if (!ok) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

static void plan_json_csv_num(FILE *out, double v, int digits)
{
    if (isfinite(v))
        fprintf(out, "%.*f", digits, walk_json_round(v, digits));
}

static void plan_json_csv_row(FILE *out, const struct coverage_district *d, int have_areas,
                              double speed)
{
    escape_csv(out, d->code);
    fputc(',', out);
    escape_csv(out, d->name);
    fprintf(out, ",%ld,%ld,", d->households, d->households_covered);
    if (d->households > 0)
        plan_json_csv_num(out, (double)d->households_covered / (double)d->households, 4);
    fprintf(out, ",%ld,%ld,", d->households_off_network, d->households_unreachable);
    plan_json_csv_num(out, d->median_m / speed, 1);
    fputc(',', out);
    plan_json_csv_num(out, d->max_m / speed, 1);
    if (have_areas)
        fprintf(out, ",%ld,%ld\n", d->residents, d->residents_covered);
    else
        fputs(",,\n", out);
}

int plan_json_coverage_csv(FILE *out, const struct coverage_result *r)
{
    fputs("code,name,households,households_covered,share_covered,households_off_network,"
          "households_unreachable,median_min,max_min,residents,residents_covered\n",
          out);
    for (size_t i = 0; i < r->ndistricts; i++)
        plan_json_csv_row(out, &r->districts[i], r->have_areas, r->speed);
    plan_json_csv_row(out, &r->total, r->have_areas, r->speed);
    return ferror(out) ? ERR_IO : ERR_OK;
}

/* ----------------------------------------------------------------- suggest */

json_t *plan_json_suggest(const struct suggest_result *r, const struct walk_net *net)
{
    int ok = 1;
    json_t *doc = json_object();
    plan_json_put(doc, "minutes", json_real(r->minutes), &ok);
    plan_json_put(doc, "speed_m_per_min", json_real(r->speed), &ok);
    plan_json_put(doc, "limit_m", plan_json_num(r->limit_m, 1), &ok);
    plan_json_put(doc, "kind", plan_json_str(r->kind), &ok);
    plan_json_put(doc, "candidates", json_string(r->candidates ? r->candidates : "network_nodes"),
                  &ok);
    plan_json_put(doc, "candidates_considered", json_integer((json_int_t)r->ncandidates), &ok);
    plan_json_put(doc, "searches", json_integer((json_int_t)r->searches), &ok);
    if (r->candidates == NULL)
        plan_json_put(doc, "method", json_string(r->method == SUGGEST_CELLS ? "cells" : "exact"),
                      &ok);
    if (r->method == SUGGEST_CELLS) {
        plan_json_put(doc, "cell_m", plan_json_num(r->cell_m, 1), &ok);
        plan_json_put(doc, "cells", json_integer((json_int_t)r->ncells), &ok);
    }
    json_t *before = json_object();
    plan_json_put(before, "households", json_integer(r->households), &ok);
    plan_json_put(before, "households_covered", json_integer(r->households_covered_before), &ok);
    plan_json_put(
        before, "share_covered",
        r->households > 0
            ? plan_json_num((double)r->households_covered_before / (double)r->households, 4)
            : json_null(),
        &ok);
    plan_json_put(before, "households_off_network", json_integer(r->households_off_network), &ok);
    plan_json_put(before, "residents", r->have_areas ? json_integer(r->residents) : json_null(),
                  &ok);
    plan_json_put(before, "residents_covered",
                  r->have_areas ? json_integer(r->residents_covered_before) : json_null(), &ok);
    plan_json_put(doc, "before", before, &ok);
    json_t *picks = json_array();
    for (size_t i = 0; ok && i < r->npicks; i++) {
        const struct suggest_pick *p = &r->picks[i];
        const struct walk_resource *w =
            p->resource != COVERAGE_NONE ? walk_net_resource(net, p->resource) : NULL;
        json_t *o = json_object();
        plan_json_put(o, "rank", json_integer((json_int_t)i + 1), &ok);
        plan_json_put(o, "id", w ? plan_json_str(w->ext_id) : json_null(), &ok);
        plan_json_put(o, "name", w ? plan_json_str(w->name) : json_null(), &ok);
        plan_json_put(o, "node", w ? json_null() : json_integer(p->node), &ok);
        plan_json_put(o, "lon", plan_json_num(p->lon, 7), &ok);
        plan_json_put(o, "lat", plan_json_num(p->lat, 7), &ok);
        plan_json_put(o, "households_added", json_integer(p->households_added), &ok);
        plan_json_put(o, "residents_added",
                      r->have_areas ? json_integer(p->residents_added) : json_null(), &ok);
        plan_json_put(o, "households_covered", json_integer(p->households_covered), &ok);
        plan_json_put(o, "share_covered", plan_json_num(p->share_covered, 4), &ok);
        plan_json_put(o, "residents_covered",
                      r->have_areas ? json_integer(p->residents_covered) : json_null(), &ok);
        plan_json_push(picks, o, &ok);
    }
    plan_json_put(doc, "picks", picks, &ok);
    if (!ok) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

/* ------------------------------------------------------------------- route */

static json_t *plan_json_time(double minutes)
{
    char buf[16];
    route_format_time(minutes, buf, sizeof buf);
    return json_string(buf);
}

json_t *plan_json_route(const struct route_result *r)
{
    int ok = 1;
    json_t *doc = json_object();
    json_t *start = json_object();
    plan_json_put(start, "lon", plan_json_num(r->start_lon, 7), &ok);
    plan_json_put(start, "lat", plan_json_num(r->start_lat, 7), &ok);
    plan_json_put(doc, "start", start, &ok);
    plan_json_put(doc, "speed_m_per_min", json_real(r->speed), &ok);
    plan_json_put(doc, "dwell_min", json_real(r->dwell_min), &ok);
    plan_json_put(doc, "day_minutes", json_real(r->day_min), &ok);
    plan_json_put(doc, "start_time", plan_json_time(r->start_time), &ok);
    plan_json_put(doc, "exact", json_boolean(r->exact), &ok);
    if (r->scheduled) { /* a day planned in time (tour_windows.h) */
        json_t *end = json_object();
        plan_json_put(end, "lon", plan_json_num(r->end_lon, 7), &ok);
        plan_json_put(end, "lat", plan_json_num(r->end_lat, 7), &ok);
        plan_json_put(doc, "end", end, &ok);
        plan_json_put(doc, "lunch",
                      r->lunch_to > r->lunch_from
                          ? json_pack("{s:o,s:o}", "from", plan_json_time(r->lunch_from), "to",
                                      plan_json_time(r->lunch_to))
                          : json_null(),
                      &ok);
        plan_json_put(doc, "max_visits", r->max_visits ? json_integer(r->max_visits) : json_null(),
                      &ok);
    }
    json_t *days = json_array();
    for (size_t d = 0; ok && d < r->ndays; d++) {
        const struct route_day *day = &r->days[d];
        json_t *o = json_object(), *stops = json_array();
        plan_json_put(o, "day", json_integer((json_int_t)d + 1), &ok);
        for (size_t i = 0; ok && i < day->count; i++) {
            const struct route_stop *s = &r->stops[day->first + i];
            json_t *so = json_object();
            plan_json_put(so, "household_id", plan_json_str(s->ext_id), &ok);
            plan_json_put(so, "arrive", plan_json_time(s->arrive), &ok);
            plan_json_put(so, "leave", plan_json_time(s->leave), &ok);
            if (s->win_open >= 0)
                plan_json_put(so, "appointment",
                              json_pack("{s:o,s:o}", "from", plan_json_time(s->win_open), "to",
                                        plan_json_time(s->win_close)),
                              &ok);
            plan_json_put(so, "walk_m", plan_json_num(s->walk_m, 1), &ok);
            plan_json_put(so, "walk_min", plan_json_num(s->walk_m / r->speed, 1), &ok);
            if (s->approx) /* issue 11: the position is a town's representative point */
                plan_json_put(so, "position", json_string(ROUTE_APPROX_NOTE), &ok);
            plan_json_put(so, "lon", plan_json_num(s->lon, 7), &ok);
            plan_json_put(so, "lat", plan_json_num(s->lat, 7), &ok);
            plan_json_push(stops, so, &ok);
        }
        plan_json_put(o, "stops", stops, &ok);
        plan_json_put(o, "walk_m", plan_json_num(day->walk_m, 1), &ok);
        plan_json_put(o, "walk_min", plan_json_num(day->walk_m / r->speed, 1), &ok);
        plan_json_put(o, "minutes", plan_json_num(day->minutes, 1), &ok);
        plan_json_put(o, "back_m", plan_json_num(day->back_m, 1), &ok);
        plan_json_put(o, "end", plan_json_time(day->end), &ok);
        json_t *line = json_object(), *coords = json_array();
        plan_json_put(line, "type", json_string("LineString"), &ok);
        for (size_t i = 0; ok && i < day->nline; i++)
            plan_json_push(coords,
                           json_pack("[f,f]", walk_json_round(day->line[2 * i], 7),
                                     walk_json_round(day->line[2 * i + 1], 7)),
                           &ok);
        plan_json_put(line, "coordinates", coords, &ok);
        plan_json_put(o, "route", line, &ok);
        plan_json_push(days, o, &ok);
    }
    plan_json_put(doc, "days", days, &ok);
    plan_json_put(doc, "total_walk_m", plan_json_num(r->total_walk_m, 1), &ok);
    plan_json_put(doc, "total_walk_min", plan_json_num(r->total_walk_m / r->speed, 1), &ok);
    json_t *un = json_array();
    for (size_t i = 0; ok && i < r->nunreachable; i++)
        plan_json_push(un,
                       json_pack("{s:o,s:s}", "household_id",
                                 plan_json_str(r->unreachable[i].ext_id), "reason",
                                 route_reason_word(r->unreachable[i].reason)),
                       &ok);
    plan_json_put(doc, "unreachable", un, &ok);
    if (!ok) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}
