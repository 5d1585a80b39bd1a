/* SPDX-License-Identifier: MIT */
/* http_plan.c - the planning answers over HTTP (see http_plan.h):
 * GET /api/coverage, GET /api/suggest and POST /api/route. Query parameters
 * and the route body are turned into the same text structs the CLI fills
 * (coverage_text, suggest_text, route_text), so both edges accept and refuse
 * the same values with the same sentences; the answers are plan_json.h's
 * documents. Access (auth.h) is checked first, before any parameter:
 * coverage and suggestions need AUTH_PERM_COVERAGE / AUTH_PERM_SUGGEST and
 * answer with small counts suppressed (disclose.h); routes need
 * AUTH_PERM_ROUTE (or, for a commissioner, AUTH_PERM_ROUTE_ORDER: the
 * order-only answer of route_order.h) and run only over households of the
 * caller's assignment,
 * recorded in the audit log before the answer leaves. Entry points:
 * http_plan_coverage, http_plan_suggest, http_plan_route, and the pure
 * http_plan_route_parse, http_plan_body_clear and http_plan_json_depth. */
#include "http_plan.h"

#include "coverage.h"
#include "date.h"
#include "coverage_kinds.h"
#include "disclose_plan.h"
#include "http_coverage_kinds.h"
#include "overdue.h"
#include "plan_json.h"
#include "route.h"
#include "route_order.h"
#include "suggest.h"
#include "store_households.h"
#include "vec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* What every planning answer runs on: the request's store connection, the
 * shared network and the request's walking session (all borrowed). */
struct http_plan_env {
    struct store *st;           /* read-only connection of the worker */
    const struct walk_net *net; /* the service's network */
    struct walk_session *ws;    /* the worker's session on it */
};

/* Checks out the worker's resources; ERR_NOTFOUND without a network. */
static int http_plan_env_get(struct server_req *rq, struct http_plan_env *env, struct err *e)
{
    env->ws = server_walk(rq, e);
    env->st = env->ws ? server_store(rq, e) : NULL;
    env->net = env->ws ? server_net(rq, e) : NULL;
    return env->st ? ERR_OK : e->code;
}

/* ---------------------------------------------------------------- coverage */

/* Sets key of o to the figure `v` as disclose.h decided: the number, "<k"
 * for a primary (null when `withheld`), null for a complementary cell.
 * Returns 0 when out of memory. */
static int http_plan_figure(json_t *o, const char *key, json_int_t v, int state, int withheld)
{
    json_t *x = state == DISCLOSE_SHOWN                  ? json_integer(v)
                : state == DISCLOSE_PRIMARY && !withheld ? json_sprintf("<%d", DISCLOSE_K)
                                                         : json_null();
    return x != NULL && json_object_set_new(o, key, x) == 0;
}

/* Sets every key of `keys` present in o to null; returns 0 when out of memory. */
static int http_plan_null(json_t *o, const char *const *keys)
{
    for (size_t k = 0; keys[k]; k++)
        if (json_object_get(o, keys[k]) && json_object_set_new(o, keys[k], json_null()) != 0)
            return 0;
    return 1;
}

/* Applies a row's states to a district (or the total) object: each count
 * per its state; the share without households or covered; the minutes
 * without households; "suppressed" when anything is hidden. */
static int http_plan_row(json_t *o, const struct coverage_district *d, const struct disclose_row *s,
                         int w)
{
    static const char *const share[] = {"share_covered", NULL};
    static const char *const minutes[] = {"median_min", "max_min", NULL};
    int ok = http_plan_figure(o, "households", d->households, s->households, w) &&
             http_plan_figure(o, "households_covered", d->households_covered, s->covered, w) &&
             http_plan_figure(o, "households_off_network", d->households_off_network,
                              s->off_network, w) &&
             http_plan_figure(o, "households_unreachable", d->households_unreachable,
                              s->unreachable, w) &&
             http_plan_figure(o, "households_approx", d->households_approx, s->approx, w);
    if (ok && (s->households || s->covered))
        ok = http_plan_null(o, share);
    if (ok && s->households)
        ok = http_plan_null(o, minutes);
    int hidden = s->households || s->covered || s->off_network || s->unreachable || s->approx;
    return ok && json_object_set_new(o, "suppressed", json_boolean(hidden)) == 0;
}

/* Small numbers (disclose.h): every household figure of 1 to DISCLOSE_K - 1
 * becomes "<5" (null when disclose.h withholds the ranges), and
 * complementary figures become null, in districts, the
 * total, off_network and the per-resource loads, so that no small count
 * can be read or worked out from the others. Residents come from the
 * public census and stay. */
int http_plan_suppress(json_t *doc, const struct coverage_result *r,
                       const struct disclose_plan_coverage *dcp, struct err *e)
{
    struct disclose_plan_coverage dc = *dcp;
    int ok = 1;
    json_t *list = json_object_get(doc, "districts");
    for (size_t i = 0; ok && i < r->ndistricts; i++)
        ok =
            http_plan_row(json_array_get(list, i), &r->districts[i], &dc.districts[i], dc.withheld);
    ok = ok && http_plan_row(json_object_get(doc, "total"), &r->total, &dc.total, dc.withheld);
    ok = ok && http_plan_figure(json_object_get(doc, "off_network"), "households",
                                r->total.households_off_network, dc.total.off_network, dc.withheld);
    list = json_object_get(doc, "resources");
    for (size_t i = 0; ok && i < r->nloads; i++) {
        json_t *o = json_array_get(list, i);
        const struct disclose_load *s = &dc.loads[i];
        ok = http_plan_figure(o, "households_nearest", r->loads[i].households_nearest, s->nearest,
                              dc.withheld) &&
             http_plan_figure(o, "households_nearest_covered",
                              r->loads[i].households_nearest_covered, s->nearest_covered,
                              dc.withheld) &&
             json_object_set_new(o, "suppressed", json_boolean(s->nearest || s->nearest_covered)) ==
                 0;
    }
    return ok ? ERR_OK : err_nomem(e);
}

int http_plan_coverage(struct server_req *rq, struct err *e)
{
    if (auth_require(server_req_user(rq), AUTH_PERM_COVERAGE, e) != ERR_OK)
        return e->code;
    struct coverage_text t = {0};
    const struct server_param spec[] = {
        {"minutes", &t.minutes}, {"speed", &t.speed},     {"kind", &t.kind},
        {"field", &t.field},     {"level", &t.level},     {"target", &t.target},
        {"open_at", &t.open_at}, {"open_on", &t.open_on}, {NULL, NULL},
    };
    struct coverage_params p;
    if (server_req_params(rq, spec, e) != ERR_OK)
        return ERR_INPUT;
    if (coverage_kinds_is_list(t.kind)) /* kind=a,b: one column group per kind */
        return http_coverage_kinds(rq, &t, e);
    if (coverage_params_parse(&t, "", &p, e) != ERR_OK)
        return ERR_INPUT;
    struct http_plan_env env;
    struct coverage_result *r = NULL;
    struct disclose_plan_coverage dc;
    if (http_plan_env_get(rq, &env, e) != ERR_OK ||
        disclose_plan_answer(env.st, env.net, env.ws, &p, DISCLOSE_K, &r, &dc, e) != ERR_OK)
        return e->code;
    /* Aggregates and loads only: the uncovered list names households. */
    json_t *doc = plan_json_coverage(r, env.net, PLAN_JSON_AGGREGATES | PLAN_JSON_LOADS);
    int rc = doc ? http_plan_suppress(doc, r, &dc, e) : err_nomem(e);
    disclose_plan_coverage_clear(&dc);
    coverage_result_free(r);
    if (rc != ERR_OK) {
        json_decref(doc);
        return rc;
    }
    return server_reply_json(rq, 200, doc, NULL, e);
}

/* ----------------------------------------------------------------- suggest */

/* Small numbers in a suggestion: the "before" figures are the total row of
 * the coverage answer for the same resources and limit, hidden alike
 * (disclose_plan_answer, so no combination of answers shows one of them);
 * each pick adds at least DISCLOSE_K households (suggest_params
 * min_households), and its household figures are null: the counts of
 * consecutive picks would differ by small numbers. Residents come from
 * the public census and stay. */
static int http_plan_suppress_suggest(json_t *doc, const struct suggest_result *r,
                                      const struct disclose_plan_coverage *dc, struct err *e)
{
    static const char *const share[] = {"share_covered", NULL};
    static const char *const pick_hh[] = {"households_added", "households_covered", "share_covered",
                                          NULL};
    json_t *before = json_object_get(doc, "before");
    const struct disclose_row *t = &dc->total;
    int ok = http_plan_figure(before, "households", r->households, t->households, 0) &&
             http_plan_figure(before, "households_covered", r->households_covered_before,
                              t->covered, 0) &&
             http_plan_figure(before, "households_off_network", r->households_off_network,
                              t->off_network, 0);
    if (ok && (t->households || t->covered))
        ok = http_plan_null(before, share);
    json_t *picks = json_object_get(doc, "picks");
    for (size_t i = 0; ok && i < r->npicks; i++)
        ok = http_plan_null(json_array_get(picks, i), pick_hh);
    ok = ok && json_object_set_new(doc, "min_households_added", json_integer(DISCLOSE_K)) == 0;
    return ok ? ERR_OK : err_nomem(e);
}

int http_plan_suggest(struct server_req *rq, struct err *e)
{
    if (auth_require(server_req_user(rq), AUTH_PERM_SUGGEST, e) != ERR_OK)
        return e->code;
    struct suggest_text t = {0};
    const struct server_param spec[] = {
        {"minutes", &t.cov.minutes},
        {"speed", &t.cov.speed},
        {"kind", &t.cov.kind},
        {"field", &t.cov.field},
        {"sites", &t.sites},
        {"candidates", &t.candidates},
        {NULL, NULL},
    };
    struct suggest_params p;
    if (server_req_params(rq, spec, e) != ERR_OK || suggest_params_parse(&t, "", &p, e) != ERR_OK)
        return ERR_INPUT;
    /* Network nodes are chosen where uncovered households are: the node
     * next to a lone household would name its street corner. Roles that may
     * not see households choose among public sites only. */
    if (p.candidates == NULL)
        return err_set(e, ERR_FORBIDDEN,
                       "suggestions over the API choose among candidate sites: name a candidate "
                       "layer with candidates= (e.g. candidates=candidate); sites anywhere on "
                       "the streets would point at single households");
    p.min_households = DISCLOSE_K;
    struct http_plan_env env;
    struct suggest_result *r = NULL;
    struct coverage_result *cov = NULL;
    struct disclose_plan_coverage dc;
    if (http_plan_env_get(rq, &env, e) != ERR_OK ||
        suggest_run(env.st, env.net, env.ws, &p, &r, e) != ERR_OK)
        return e->code;
    if (disclose_plan_answer(env.st, env.net, env.ws, &p.cov, DISCLOSE_K, &cov, &dc, e) != ERR_OK) {
        suggest_result_free(r);
        return e->code;
    }
    coverage_result_free(cov);
    json_t *doc = plan_json_suggest(r, env.net);
    int rc = doc ? http_plan_suppress_suggest(doc, r, &dc, e) : err_nomem(e);
    disclose_plan_coverage_clear(&dc);
    suggest_result_free(r);
    if (rc != ERR_OK) {
        json_decref(doc);
        return rc;
    }
    return server_reply_json(rq, 200, doc, NULL, e);
}

/* ------------------------------------------------------------------- route */

int http_plan_json_depth(const char *s, size_t n, int max)
{
    int depth = 0, deepest = 0, in_string = 0;
    for (size_t i = 0; i < n && deepest <= max; i++) {
        char c = s[i];
        if (in_string) {
            if (c == '\\')
                i++; /* the escaped character cannot end the string */
            else if (c == '"')
                in_string = 0;
        } else if (c == '"') {
            in_string = 1;
        } else if (c == '[' || c == '{') {
            if (++depth > deepest)
                deepest = depth;
        } else if (c == ']' || c == '}') {
            depth--;
        }
    }
    return deepest;
}

#define HTTP_PLAN_MEMBERS                                                                          \
    "start, households, district, need, level, overdue, appointments, end, lunch, max_visits, "    \
    "dwell, day_minutes, speed, start_time"

/* Writes a JSON number as text; ERR_INPUT naming `name` when v is not one. */
static int http_plan_number(json_t *v, const char *name, char *buf, size_t n, const char **out,
                            struct err *e)
{
    if (!json_is_number(v))
        return err_set(e, ERR_INPUT, "%s must be a number", name);
    snprintf(buf, n, "%.17g", json_number_value(v));
    *out = buf;
    return ERR_OK;
}

/* Borrows a JSON string of 1..HTTP_PLAN_TEXT_MAX bytes; ERR_INPUT naming
 * `name` otherwise. */
static int http_plan_text(json_t *v, const char *name, const char **out, struct err *e)
{
    size_t len = json_is_string(v) ? json_string_length(v) : 0;
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;
    if (s == NULL || len == 0 || len > HTTP_PLAN_TEXT_MAX || strlen(s) != len)
        return err_set(e, ERR_INPUT, "%s must be a text of 1 to %d bytes", name,
                       HTTP_PLAN_TEXT_MAX);
    *out = s;
    return ERR_OK;
}

/* Reads "start": {"lon": number, "lat": number} and nothing else. */
static int http_plan_start(json_t *v, struct route_text *t, struct http_plan_body *b, struct err *e)
{
    if (!json_is_object(v) || json_object_size(v) != 2 || !json_object_get(v, "lon") ||
        !json_object_get(v, "lat"))
        return err_set(e, ERR_INPUT, "start must be an object {\"lon\": number, \"lat\": number}");
    if (http_plan_number(json_object_get(v, "lon"), "start.lon", b->start_lon, sizeof b->start_lon,
                         &t->start_lon, e) != ERR_OK ||
        http_plan_number(json_object_get(v, "lat"), "start.lat", b->start_lat, sizeof b->start_lat,
                         &t->start_lat, e) != ERR_OK)
        return ERR_INPUT;
    return ERR_OK;
}

/* Joins "households": ["ID", ...] into b->households. An id is named by its
 * index only (ids are household data). */
static int http_plan_ids(json_t *v, struct route_text *t, struct http_plan_body *b, struct err *e)
{
    if (!json_is_array(v) || json_array_size(v) == 0)
        return err_set(e, ERR_INPUT, "households must be a non-empty array of household ids");
    size_t n = json_array_size(v);
    if (n > ROUTE_MAX_STOPS)
        return err_set(e, ERR_LIMIT, "households lists %zu households; a plan visits at most %d", n,
                       ROUTE_MAX_STOPS);
    b->households = malloc(n * (HTTP_PLAN_ID_MAX + 1) + 1);
    if (b->households == NULL)
        return err_nomem(e);
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *id = json_array_get(v, i);
        const char *s = json_is_string(id) ? json_string_value(id) : NULL;
        size_t len = s ? json_string_length(id) : 0;
        int ok = s && len > 0 && len <= HTTP_PLAN_ID_MAX && strlen(s) == len &&
                 strchr(s, ',') == NULL && s[0] != ' ' && s[len - 1] != ' ';
        for (size_t k = 0; ok && k < len; k++)
            ok = (unsigned char)s[k] >= 0x20 && s[k] != 0x7F;
        if (!ok)
            return err_set(e, ERR_INPUT,
                           "households[%zu] must be an id of 1 to %d bytes without commas, "
                           "control characters or surrounding spaces",
                           i, HTTP_PLAN_ID_MAX);
        if (i > 0)
            b->households[used++] = ',';
        memcpy(b->households + used, s, len);
        used += len;
    }
    b->households[used] = '\0';
    t->households = b->households;
    return ERR_OK;
}

/* Reads "appointments": {"ID": "HH:MM-HH:MM", ...} into b->appointments
 * as "ID@HH:MM-HH:MM,..." for route_params_parse (which checks the
 * windows). An entry is named by its place only (ids are household data). */
static int http_plan_appointments(json_t *v, struct route_text *t, struct http_plan_body *b,
                                  struct err *e)
{
    if (!json_is_object(v) || json_object_size(v) == 0)
        return err_set(e, ERR_INPUT,
                       "appointments must be an object {\"ID\": \"HH:MM-HH:MM\", ...}");
    size_t n = json_object_size(v);
    if (n > ROUTE_MAX_APPOINTMENTS)
        return err_set(e, ERR_LIMIT, "appointments names more than %d households",
                       ROUTE_MAX_APPOINTMENTS);
    b->appointments = malloc(n * (HTTP_PLAN_ID_MAX + 14) + 1);
    if (b->appointments == NULL)
        return err_nomem(e);
    size_t used = 0, i = 0;
    const char *key;
    json_t *w;
    json_object_foreach(v, key, w)
    {
        size_t len = strlen(key);
        const char *ws = json_is_string(w) ? json_string_value(w) : NULL;
        int ok = len > 0 && len <= HTTP_PLAN_ID_MAX && strchr(key, ',') == NULL &&
                 strchr(key, '@') == NULL && key[0] != ' ' && ws != NULL && strlen(ws) == 11;
        for (size_t k = 0; ok && k < len; k++)
            ok = (unsigned char)key[k] >= 0x20 && key[k] != 0x7F;
        if (!ok)
            return err_set(e, ERR_INPUT,
                           "appointment %zu must map an id of 1 to %d bytes to \"HH:MM-HH:MM\"",
                           i + 1, HTTP_PLAN_ID_MAX);
        if (i++ > 0)
            b->appointments[used++] = ',';
        memcpy(b->appointments + used, key, len);
        used += len;
        b->appointments[used++] = '@';
        memcpy(b->appointments + used, ws, 11);
        used += 11;
    }
    b->appointments[used] = '\0';
    t->appointments = b->appointments;
    return ERR_OK;
}

/* Reads "end": {"lon": number, "lat": number}. */
static int http_plan_end(json_t *v, struct route_text *t, struct http_plan_body *b, struct err *e)
{
    if (!json_is_object(v) || json_object_size(v) != 2 || !json_object_get(v, "lon") ||
        !json_object_get(v, "lat"))
        return err_set(e, ERR_INPUT, "end must be an object {\"lon\": number, \"lat\": number}");
    if (http_plan_number(json_object_get(v, "lon"), "end.lon", b->end_lon, sizeof b->end_lon,
                         &t->end_lon, e) != ERR_OK ||
        http_plan_number(json_object_get(v, "lat"), "end.lat", b->end_lat, sizeof b->end_lat,
                         &t->end_lat, e) != ERR_OK)
        return ERR_INPUT;
    return ERR_OK;
}

/* Reads one member of the body into t. */
static int http_plan_member(const char *key, json_t *v, struct route_text *t,
                            struct http_plan_body *b, struct err *e)
{
    if (strcmp(key, "start") == 0)
        return http_plan_start(v, t, b, e);
    if (strcmp(key, "households") == 0)
        return http_plan_ids(v, t, b, e);
    if (strcmp(key, "district") == 0)
        return http_plan_text(v, key, &t->district, e);
    if (strcmp(key, "need") == 0)
        return http_plan_text(v, key, &t->need, e);
    if (strcmp(key, "level") == 0)
        return http_plan_text(v, key, &t->level, e);
    if (strcmp(key, "start_time") == 0)
        return http_plan_text(v, key, &t->start_time, e);
    if (strcmp(key, "appointments") == 0)
        return http_plan_appointments(v, t, b, e);
    if (strcmp(key, "end") == 0)
        return http_plan_end(v, t, b, e);
    if (strcmp(key, "lunch") == 0)
        return http_plan_text(v, key, &t->lunch, e);
    if (strcmp(key, "max_visits") == 0)
        return http_plan_number(v, key, b->max_visits, sizeof b->max_visits, &t->max_visits, e);
    if (strcmp(key, "overdue") == 0) {
        if (!json_is_true(v))
            return err_set(e, ERR_INPUT, "overdue must be true (or left out)");
        t->overdue = "true";
        return ERR_OK;
    }
    if (strcmp(key, "dwell") == 0)
        return http_plan_number(v, key, b->dwell, sizeof b->dwell, &t->dwell, e);
    if (strcmp(key, "day_minutes") == 0)
        return http_plan_number(v, key, b->day_minutes, sizeof b->day_minutes, &t->day_minutes, e);
    if (strcmp(key, "speed") == 0)
        return json_is_string(v)
                   ? http_plan_text(v, key, &t->speed, e)
                   : http_plan_number(v, key, b->speed, sizeof b->speed, &t->speed, e);
    return err_set(e, ERR_INPUT, "unknown member '%.40s' in the body; it takes " HTTP_PLAN_MEMBERS,
                   key);
}

/* route_params_parse names options as the CLI spells them; the body spells
 * two of them differently. Rewrites those names in e->msg in place. */
static void http_plan_rename(struct err *e)
{
    static const char *const names[][2] = {{"day-minutes", "day_minutes"},
                                           {"start-time", "start_time"},
                                           {"max-visits", "max_visits"},
                                           {"end-lon", "end.lon"},
                                           {"end-lat", "end.lat"}};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        char *at;
        while ((at = strstr(e->msg, names[k][0])) != NULL)
            memcpy(at, names[k][1], strlen(names[k][1])); /* same length */
    }
}

int http_plan_route_parse(const char *body, size_t len, struct route_text *t,
                          struct http_plan_body *b, struct err *e)
{
    if (body == NULL || len == 0)
        return err_set(e, ERR_INPUT, "POST /api/route needs a JSON object body");
    if (http_plan_json_depth(body, len, HTTP_PLAN_DEPTH_MAX) > HTTP_PLAN_DEPTH_MAX)
        return err_set(e, ERR_INPUT, "the body nests arrays and objects deeper than %d levels",
                       HTTP_PLAN_DEPTH_MAX);
    json_error_t je;
    b->doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
    /* The parser's own text may quote the body, which may hold ids: only
     * the position goes into the sentence. */
    if (b->doc == NULL && strstr(je.text, "duplicate object key") != NULL)
        return err_set(e, ERR_INPUT, "the body names a member twice (line %d, column %d)", je.line,
                       je.column);
    if (b->doc == NULL)
        return err_set(e, ERR_INPUT, "the body is not valid JSON (line %d, column %d)", je.line,
                       je.column);
    if (!json_is_object(b->doc))
        return err_set(e, ERR_INPUT, "the body must be a JSON object");
    const char *key;
    json_t *v;
    json_object_foreach(b->doc, key, v)
    {
        if (http_plan_member(key, v, t, b, e) != ERR_OK)
            return e->code;
    }
    if (t->start_lon == NULL)
        return err_set(e, ERR_INPUT, "start {\"lon\": number, \"lat\": number} is required");
    if ((t->households != NULL) + (t->district != NULL) + (t->overdue != NULL) != 1)
        return err_set(e, ERR_INPUT,
                       "give one of households (an array of ids), district (with need) or "
                       "overdue: true");
    return ERR_OK;
}

void http_plan_body_clear(struct http_plan_body *b)
{
    json_decref(b->doc);
    free(b->households);
    free(b->appointments);
    memset(b, 0, sizeof *b);
}

/* Reads the request body into t (strings borrowed from b). */
static int http_plan_route_body(struct server_req *rq, struct route_text *t,
                                struct http_plan_body *b, struct err *e)
{
    size_t len = 0;
    const char *body = server_req_body(rq, &len);
    const char *type = server_req_header(rq, "Content-Type");
    if (type == NULL || strncasecmp(type, "application/json", 16) != 0 ||
        (type[16] != '\0' && type[16] != ';'))
        return err_set(e, ERR_INPUT, "the body must be sent as Content-Type: application/json");
    return http_plan_route_parse(body, len, t, b, e);
}

/* Household ids gathered for a route (owned copies). */
struct http_plan_ids {
    char **v;                         /* ids */
    size_t n, cap;                    /* count, capacity */
    char (*via)[STORE_SCOPE_VIA_MAX]; /* how the caller reaches each id asked (owned) */
    const char *const *asked;         /* the ids via is for (borrowed: p->ids or v) */
    size_t nasked;                    /* entries of via and asked */
};

static void http_plan_ids_clear(struct http_plan_ids *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    free(l->via);
    memset(l, 0, sizeof *l);
}

/* Appends a copy of id; ERR_NOMEM. */
static int http_plan_ids_add(struct http_plan_ids *l, const char *id)
{
    if (vec_reserve((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v) != ERR_OK)
        return ERR_NOMEM;
    if ((l->v[l->n] = strdup(id ? id : "")) == NULL)
        return ERR_NOMEM;
    l->n++;
    return ERR_OK;
}

static int http_plan_collect(void *ctx, const struct store_plan_household *h)
{
    return http_plan_ids_add(ctx, h->ext_id);
}

/* Narrows the households of p to the caller's assignment: ids outside it
 * count as unknown (the same 404 as ids that do not exist, after the same
 * lookups); a district's households are those inside it that lie in the
 * assignment, passed on to route_plan as ids. `sel` keeps them. */
static int http_plan_scope(struct server_req *rq, struct store *st, struct route_params *p,
                           struct http_plan_ids *sel, struct err *e)
{
    const struct auth_user *u = server_req_user(rq);
    struct store_scope sc = {u->agency[0] ? u->agency : NULL, u->district[0] ? u->level : NULL,
                             u->district[0] ? u->district : NULL,
                             u->role == AUTH_ROLE_COMMISSIONER};
    if (p->overdue) {
        /* The overdue households of the assignment, through the same
         * scope test (overdue.h). */
        struct overdue_list due;
        int rc = overdue_collect(st, &sc, NULL, date_today(), ROUTE_MAX_STOPS, &due, e);
        for (size_t i = 0; rc == ERR_OK && i < due.n; i++)
            if (http_plan_ids_add(sel, due.v[i].ext_id) != ERR_OK)
                rc = err_nomem(e);
        overdue_list_free(&due);
        p->ids = (const char *const *)sel->v;
        p->nids = sel->n;
        return rc;
    }
    const char *const *ids = p->ids;
    size_t n = p->nids;
    if (n == 0) {
        int rc = store_plan_households_in_district(st, p->level, p->district, p->need,
                                                   http_plan_collect, sel, e);
        if (rc != ERR_OK)
            return rc == ERR_NOMEM ? err_nomem(e) : rc;
        ids = (const char *const *)sel->v;
        n = sel->n;
    }
    unsigned char *in = malloc(n + 1);
    sel->via = malloc((n + 1) * sizeof *sel->via);
    if (in == NULL || sel->via == NULL) {
        free(in);
        return err_nomem(e);
    }
    int rc = store_scope_check(st, &sc, ids, n, in, sel->via, e);
    size_t out = 0;
    for (size_t i = 0; rc == ERR_OK && i < n; i++)
        out += !in[i];
    if (rc == ERR_OK && p->nids > 0 && out > 0)
        rc = out == 1
                 ? err_set(e, ERR_NOTFOUND, "1 of the requested households is not known")
                 : err_set(e, ERR_NOTFOUND, "%zu of the requested households are not known", out);
    if (rc == ERR_OK && p->nids == 0) {
        size_t k = 0;
        for (size_t i = 0; i < sel->n; i++) {
            if (in[i]) {
                memmove(sel->via[k], sel->via[i], sizeof sel->via[i]);
                sel->v[k++] = sel->v[i];
            } else {
                free(sel->v[i]);
            }
        }
        sel->n = k;
        if (k > ROUTE_MAX_STOPS)
            rc = err_set(e, ERR_LIMIT,
                         "%zu households match; a plan visits at most %d (narrow it with a need "
                         "tag)",
                         k, (int)ROUTE_MAX_STOPS);
        p->ids = (const char *const *)sel->v;
        p->nids = k;
        p->district = NULL;
    }
    sel->asked = p->ids;
    sel->nasked = p->nids;
    free(in);
    return rc;
}

/* For the audit log: how the caller reaches each of ids[0..n) (the texts
 * http_plan_scope kept); NULL when out of memory. */
static const char **http_plan_plan_via(const struct http_plan_ids *sel, const char *const *ids,
                                       size_t n)
{
    const char **v = malloc((n + 1) * sizeof *v);
    for (size_t i = 0; v && i < n; i++) {
        v[i] = "";
        for (size_t k = 0; k < sel->nasked; k++)
            if (ids[i] && sel->asked[k] && strcmp(ids[i], sel->asked[k]) == 0) {
                v[i] = sel->via[k];
                break;
            }
    }
    return v;
}

/* The ids a plan reads (stops, then those left out), for the audit log;
 * *n gets their count. NULL when out of memory. */
static const char **http_plan_plan_ids(const struct route_result *r, size_t *n)
{
    const char **v = malloc((r->nstops + r->nunreachable + 1) * sizeof *v);
    *n = 0;
    for (size_t i = 0; v && i < r->nstops; i++)
        v[(*n)++] = r->stops[i].ext_id;
    for (size_t i = 0; v && i < r->nunreachable; i++)
        v[(*n)++] = r->unreachable[i].ext_id;
    return v;
}

int http_plan_route(struct server_req *rq, struct err *e)
{
    /* A role with the stop order alone (a commissioner) gets the
     * order-only document (route_order.h); every other needs the full
     * permission. */
    const struct auth_user *u = server_req_user(rq);
    unsigned perms = u ? auth_role_perms(u->role) : 0;
    int order_only = !(perms & AUTH_PERM_ROUTE) && (perms & AUTH_PERM_ROUTE_ORDER);
    if (auth_require(u, order_only ? AUTH_PERM_ROUTE_ORDER : AUTH_PERM_ROUTE, e) != ERR_OK)
        return e->code;
    struct route_text t = {0};
    struct http_plan_body b;
    memset(&b, 0, sizeof b);
    struct route_params p;
    memset(&p, 0, sizeof p);
    struct route_result *r = NULL;
    struct http_plan_env env = {0};
    struct http_plan_ids sel = {0};
    const char **read = NULL, **via = NULL;
    size_t nread = 0;
    int rc = http_plan_route_body(rq, &t, &b, e);
    if (rc == ERR_OK && (rc = route_params_parse(&t, "", &p, e)) != ERR_OK)
        http_plan_rename(e);
    if (rc == ERR_OK && order_only && p.overdue)
        rc = err_set(e, ERR_INPUT,
                     "a commissioner's route takes households or a district; the overdue list "
                     "rests on the agencies' visits");
    if (rc == ERR_OK)
        rc = http_plan_env_get(rq, &env, e);
    if (rc == ERR_OK)
        rc = http_plan_scope(rq, env.st, &p, &sel, e);
    /* Nothing of the assignment selected: an empty plan (route_plan needs
     * households or a district). */
    struct route_result empty = {.start_lon = p.start_lon,
                                 .start_lat = p.start_lat,
                                 .speed = p.speed > 0 ? p.speed : WALK_DEFAULT_SPEED,
                                 .dwell_min = p.dwell_min,
                                 .day_min = p.day_min,
                                 .start_time = p.start_time,
                                 .exact = 1};
    if (rc == ERR_OK && p.nids > 0)
        rc = route_plan(env.st, env.net, env.ws, &p, &r, e);
    const struct route_result *plan = r ? r : &empty;
    if (rc == ERR_OK && (read = http_plan_plan_ids(plan, &nread)) == NULL)
        rc = err_nomem(e);
    if (rc == ERR_OK && (via = http_plan_plan_via(&sel, read, nread)) == NULL)
        rc = err_nomem(e);
    if (rc == ERR_OK)
        rc = server_audit_via(rq, read, via, nread, e);
    char *text = NULL;
    if (rc == ERR_OK) {
        json_t *doc = order_only ? route_order_json(plan) : plan_json_route(plan);
        text = doc ? json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
        json_decref(doc);
        if (text == NULL)
            rc = err_nomem(e);
    }
    free(read);
    free(via);
    route_result_free(r);
    route_params_clear(&p);
    http_plan_ids_clear(&sel);
    http_plan_body_clear(&b);
    if (rc != ERR_OK)
        return rc;
    /* Household-level: never stored by a cache. */
    return server_reply_bytes(rq, 200, text, strlen(text), "application/json", "no-store", NULL, e);
}
