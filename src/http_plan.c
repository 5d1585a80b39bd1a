/* http_plan.c - the planning answers over HTTP (see http_plan.h):
 * GET /api/coverage, GET /api/suggest and POST /api/route. Query parameters
 * and the route body are turned into the same text structs the CLI fills
 * (coverage_text, suggest_text, route_text), so both edges accept and refuse
 * the same values with the same sentences; the answers are plan_json.h's
 * documents. Entry points: http_plan_coverage, http_plan_suggest,
 * http_plan_route, and the pure http_plan_route_parse, http_plan_body_clear
 * and http_plan_json_depth. */
#include "http_plan.h"

#include "coverage.h"
#include "plan_json.h"
#include "route.h"
#include "suggest.h"
#include "tiles.h"

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
    env->net = server_req_ctx(rq)->net;
    return env->st ? ERR_OK : e->code;
}

/* ---------------------------------------------------------------- coverage */

/* Sets every key of `keys` present in o to null. */
static void http_plan_null(json_t *o, const char *const *keys, int *ok)
{
    for (size_t k = 0; keys[k]; k++)
        if (json_object_get(o, keys[k]) && json_object_set_new(o, keys[k], json_null()) != 0)
            *ok = 0;
}

/* Small numbers (primary suppression, as the coverage tiles do): a district
 * or a resource load resting on 1 to TILES_MIN_HOUSEHOLDS - 1 households
 * shows no household figure, and "suppressed": true says so; the total
 * stays. Residents come from the public census and stay. Returns 0 when out
 * of memory. */
static int http_plan_suppress(json_t *doc)
{
    static const char *const district_keys[] = {"households",
                                                "households_covered",
                                                "share_covered",
                                                "households_off_network",
                                                "households_unreachable",
                                                "median_min",
                                                "max_min",
                                                NULL};
    static const char *const load_keys[] = {"households_nearest", "households_nearest_covered",
                                            NULL};
    static const struct {
        const char *list;        /* array member of doc */
        const char *count;       /* the household count deciding */
        const char *const *keys; /* what goes null */
    } parts[] = {{"districts", "households", district_keys},
                 {"resources", "households_nearest", load_keys}};
    int ok = 1;
    for (size_t p = 0; p < sizeof parts / sizeof parts[0]; p++) {
        json_t *list = json_object_get(doc, parts[p].list);
        size_t i;
        json_t *o;
        json_array_foreach(list, i, o)
        {
            json_int_t n = json_integer_value(json_object_get(o, parts[p].count));
            int hide = n > 0 && n < TILES_MIN_HOUSEHOLDS;
            if (hide)
                http_plan_null(o, parts[p].keys, &ok);
            if (json_object_set_new(o, "suppressed", json_boolean(hide)) != 0)
                ok = 0;
        }
    }
    return ok;
}

int http_plan_coverage(struct server_req *rq, struct err *e)
{
    struct coverage_text t = {0};
    const struct server_param spec[] = {
        {"minutes", &t.minutes}, {"speed", &t.speed}, {"kind", &t.kind},
        {"field", &t.field},     {"level", &t.level}, {NULL, NULL},
    };
    struct coverage_params p;
    if (server_req_params(rq, spec, e) != ERR_OK || coverage_params_parse(&t, "", &p, e) != ERR_OK)
        return ERR_INPUT;
    struct http_plan_env env;
    struct coverage_result *r = NULL;
    if (http_plan_env_get(rq, &env, e) != ERR_OK ||
        coverage_run(env.st, env.net, env.ws, &p, &r, e) != ERR_OK)
        return e->code;
    /* Aggregates and loads only: the uncovered list names households. */
    json_t *doc = plan_json_coverage(r, env.net, PLAN_JSON_AGGREGATES | PLAN_JSON_LOADS);
    coverage_result_free(r);
    if (doc && !http_plan_suppress(doc)) {
        json_decref(doc);
        doc = NULL; /* answered as out of memory */
    }
    return server_reply_json(rq, 200, doc, NULL, e);
}

/* ----------------------------------------------------------------- suggest */

int http_plan_suggest(struct server_req *rq, struct err *e)
{
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
    struct http_plan_env env;
    struct suggest_result *r = NULL;
    if (http_plan_env_get(rq, &env, e) != ERR_OK ||
        suggest_run(env.st, env.net, env.ws, &p, &r, e) != ERR_OK)
        return e->code;
    json_t *doc = plan_json_suggest(r, env.net);
    suggest_result_free(r);
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
    "start, households, district, need, level, dwell, day_minutes, speed, start_time"

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
                                           {"start-time", "start_time"}};
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
    if ((t->households != NULL) == (t->district != NULL))
        return err_set(e, ERR_INPUT,
                       "give either households (an array of ids) or district (with need)");
    return ERR_OK;
}

void http_plan_body_clear(struct http_plan_body *b)
{
    json_decref(b->doc);
    free(b->households);
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

int http_plan_route(struct server_req *rq, struct err *e)
{
    struct route_text t = {0};
    struct http_plan_body b;
    memset(&b, 0, sizeof b);
    struct route_params p;
    memset(&p, 0, sizeof p);
    struct route_result *r = NULL;
    struct http_plan_env env;
    int rc = http_plan_route_body(rq, &t, &b, e);
    if (rc == ERR_OK && (rc = route_params_parse(&t, "", &p, e)) != ERR_OK)
        http_plan_rename(e);
    if (rc == ERR_OK)
        rc = http_plan_env_get(rq, &env, e);
    if (rc == ERR_OK)
        rc = route_plan(env.st, env.net, env.ws, &p, &r, e);
    char *text = NULL;
    if (rc == ERR_OK) {
        json_t *plan = plan_json_route(r);
        text = plan ? json_dumps(plan, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
        json_decref(plan);
        if (text == NULL)
            rc = err_nomem(e);
    }
    route_result_free(r);
    route_params_clear(&p);
    http_plan_body_clear(&b);
    if (rc != ERR_OK)
        return rc;
    /* Household-level: never stored by a cache. */
    return server_reply_bytes(rq, 200, text, strlen(text), "application/json", "no-store", NULL, e);
}
