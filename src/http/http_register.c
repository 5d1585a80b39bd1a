/* SPDX-License-Identifier: MIT */
/* http_register.c - POST/PATCH/DELETE/GET of register resources, their
 * history and the public exports (see http_register.h). Writes go through
 * a read-write connection opened for the request (the workers' are
 * read-only), inside one transaction that checks the version under the
 * write lock, so the check and the write cannot be split by another
 * editor. Resource edits are kept in the resource history with the
 * editor's name; the audit log stays the record of household reads
 * (nothing here touches households).
 *
 * Entry points: http_register_create, http_register_get, http_register_patch,
 * http_register_retire, http_register_history, http_register_csv,
 * http_register_geojson, http_register_body. */
#include "http_register.h"

#include "auth.h"
#include "http_plan.h"
#include "num.h"
#include "resfields.h"
#include "store_export.h"
#include "store_register.h"
#include "utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int http_register_body(const char *body, size_t len, const json_t *base, int create, json_t **rec,
                       struct err *e)
{
    *rec = NULL;
    if (body == NULL || len == 0)
        return err_set(e, ERR_INPUT, "the request needs a JSON object body");
    if (http_plan_json_depth(body, len, HTTP_PLAN_DEPTH_MAX) > HTTP_PLAN_DEPTH_MAX)
        return err_set(e, ERR_INPUT, "the body nests arrays and objects deeper than %d levels",
                       HTTP_PLAN_DEPTH_MAX);
    json_error_t je;
    json_t *doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
    /* jansson's own text may quote the body: only line and column are given. */
    if (doc == NULL && strstr(je.text, "duplicate") != NULL)
        return err_set(e, ERR_INPUT, "the body names a member twice (line %d, column %d)", je.line,
                       je.column);
    if (doc == NULL)
        return err_set(e, ERR_INPUT, "the body is not valid JSON (line %d, column %d)", je.line,
                       je.column);
    if (!json_is_object(doc)) {
        json_decref(doc);
        return err_set(e, ERR_INPUT, "the body must be a JSON object");
    }
    json_t *r = base ? json_deep_copy(base) : json_object();
    int rc = r ? resfields_apply(r, doc, create, e) : err_nomem(e);
    json_decref(doc);
    if (rc != ERR_OK) {
        json_decref(r);
        return rc;
    }
    *rec = r;
    return ERR_OK;
}

/* Replies with record `rec` (reference taken) and its ETag; `location`
 * adds a Location header (201). */
static int http_register_reply(struct server_req *rq, int status, json_t *rec, int location,
                               struct err *e)
{
    char etag[32], loc[64 + 3 * HTTP_REGISTER_ID_MAX];
    snprintf(etag, sizeof etag, "\"%lld\"",
             (long long)json_integer_value(json_object_get(rec, "version")));
    const char *id = json_string_value(json_object_get(rec, "id"));
    size_t used = (size_t)snprintf(loc, sizeof loc, "/api/resources/");
    for (const unsigned char *p = (const unsigned char *)(id ? id : "");
         *p && used + 4 < sizeof loc; p++)
        used +=
            (size_t)(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~",
                            *p)
                         ? snprintf(loc + used, sizeof loc - used, "%c", *p)
                         : snprintf(loc + used, sizeof loc - used, "%%%02X", *p));
    const struct server_header h[] = {
        {"ETag", etag}, {location ? "Location" : NULL, loc}, {NULL, NULL}};
    char *text = json_dumps(rec, JSON_COMPACT | JSON_REAL_PRECISION(10));
    json_decref(rec);
    if (text == NULL)
        return err_nomem(e);
    return server_reply_bytes(rq, status, text, strlen(text), "application/json", "no-cache", h, e);
}

/* Replies {"error": msg} with `status` (409, 428), and for 409 the
 * current record and its ETag. */
static int http_register_refuse(struct server_req *rq, int status, const char *msg, json_t *current,
                                struct err *e)
{
    json_t *doc = json_pack("{s:s}", "error", msg);
    if (doc == NULL || (current && json_object_set(doc, "current", current)))
        return json_decref(doc), err_nomem(e);
    if (current == NULL)
        return server_reply_json(rq, status, doc, NULL, e);
    char etag[32];
    snprintf(etag, sizeof etag, "\"%lld\"",
             (long long)json_integer_value(json_object_get(current, "version")));
    const struct server_header h[] = {{"ETag", etag}, {NULL, NULL}};
    char *text = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(10));
    json_decref(doc);
    if (text == NULL)
        return err_nomem(e);
    return server_reply_bytes(rq, status, text, strlen(text), "application/json", "no-store", h, e);
}

/* The {} segment: a resource id of 1..HTTP_REGISTER_ID_MAX bytes of text. */
static const char *http_register_id(struct server_req *rq, struct err *e)
{
    const char *id = server_req_arg(rq, 0);
    if (id == NULL || strlen(id) > HTTP_REGISTER_ID_MAX || !utf8_text_ok(id))
        return err_set(e, ERR_NOTFOUND, "there is no resource with this id"), NULL;
    return id;
}

/* Checks the caller may write and takes no query parameter. */
static int http_register_allowed(struct server_req *rq, struct err *e)
{
    if (auth_require(server_req_user(rq), AUTH_PERM_REGISTER, e) != ERR_OK)
        return e->code;
    const struct server_param none[] = {{NULL, NULL}};
    return server_req_params(rq, none, e);
}

/* A read-write connection for this request; NULL with e set. */
static struct store *http_register_open(struct server_req *rq, struct err *e)
{
    const struct server_ctx *ctx = server_req_ctx(rq);
    if (ctx == NULL)
        return err_set(e, ERR_IO, "this server has no database to write"), NULL;
    struct store *s = store_open(ctx->db_path, e);
    if (s)
        store_busy_timeout(s, 5000);
    return s;
}

/* "name (role)" of the caller, for the history. */
static void http_register_who(struct server_req *rq, char *who, size_t n)
{
    const struct auth_user *u = server_req_user(rq);
    snprintf(who, n, "%s (%s)", u ? u->name : "anonymous",
             auth_role_name(u ? u->role : AUTH_ROLE_ANONYMOUS));
}

/* 1 when the record's position lies in the data's area, else 0 with e. */
static int http_register_area_ok(struct server_req *rq, const json_t *rec, struct err *e)
{
    const struct server_ctx *ctx = server_req_ctx(rq);
    double lon = json_number_value(json_object_get(rec, "lon"));
    double lat = json_number_value(json_object_get(rec, "lat"));
    if (ctx && !crs_area_contains(&ctx->area, lon, lat)) {
        err_set(e, ERR_INPUT, "lon/lat %.6f, %.6f lie outside the data's area (%g-%g E, %g-%g N)",
                lon, lat, ctx->area.min_lon, ctx->area.max_lon, ctx->area.min_lat,
                ctx->area.max_lat);
        return 0;
    }
    return 1;
}

int http_register_create(struct server_req *rq, struct err *e)
{
    if (http_register_allowed(rq, e) != ERR_OK)
        return e->code;
    size_t len;
    const char *body = server_req_body(rq, &len);
    json_t *rec = NULL;
    if (http_register_body(body, len, NULL, 1, &rec, e) != ERR_OK)
        return e->code;
    if (!http_register_area_ok(rq, rec, e)) {
        json_decref(rec);
        return ERR_INPUT;
    }
    struct store *s = http_register_open(rq, e);
    if (s == NULL) {
        json_decref(rec);
        return e->code;
    }
    char who[STORE_REGISTER_WHO_MAX];
    http_register_who(rq, who, sizeof who);
    json_t *out = NULL;
    int rc = store_begin(s, e);
    if (rc == ERR_OK)
        rc = store_register_create(s, NULL, rec, NULL, who, &out, e);
    if (rc == ERR_OK)
        rc = store_commit(s, e);
    else
        store_rollback(s);
    store_close(s);
    json_decref(rec);
    if (rc != ERR_OK) {
        json_decref(out);
        return rc;
    }
    return http_register_reply(rq, 201, out, 1, e);
}

int http_register_get(struct server_req *rq, struct err *e)
{
    if (http_register_allowed(rq, e) != ERR_OK)
        return e->code;
    const char *id = http_register_id(rq, e);
    struct store *s = id ? server_store(rq, e) : NULL;
    json_t *rec = s ? store_register_get(s, id, e) : NULL;
    if (rec == NULL)
        return e->code;
    return http_register_reply(rq, 200, rec, 0, e);
}

int http_register_history(struct server_req *rq, struct err *e)
{
    if (http_register_allowed(rq, e) != ERR_OK)
        return e->code;
    const char *id = http_register_id(rq, e);
    struct store *s = id ? server_store(rq, e) : NULL;
    json_t *h = s ? store_register_history(s, id, e) : NULL;
    if (h == NULL)
        return e->code;
    return server_reply_json(rq, 200, json_pack("{s:s,s:o}", "id", id, "history", h), NULL, e);
}

/* Reads If-Match ("N", W/"N" or N) into *version: 0 when absent, -1 when
 * it names no version. */
static long http_register_if_match(struct server_req *rq)
{
    const char *h = server_req_header(rq, "If-Match");
    if (h == NULL)
        return 0;
    char buf[32];
    if (strncmp(h, "W/", 2) == 0)
        h += 2;
    size_t n = strlen(h);
    if (n >= 2 && h[0] == '"' && h[n - 1] == '"') {
        h++;
        n -= 2;
    }
    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, h, n);
    buf[n] = '\0';
    long v;
    if (num_long(buf, 0, "If-Match", 1, 1L << 40, &v, NULL) != ERR_OK)
        return -1;
    return v;
}

/* PATCH (retire = 0) and DELETE (retire = 1): If-Match, the body (PATCH),
 * then the version check and the write under one write lock. */
static int http_register_change(struct server_req *rq, int retire, struct err *e)
{
    if (http_register_allowed(rq, e) != ERR_OK)
        return e->code;
    const char *id = http_register_id(rq, e);
    if (id == NULL)
        return e->code;
    long want = http_register_if_match(rq);
    if (want == 0)
        return http_register_refuse(
            rq, 428,
            "send If-Match with the ETag of the resource as you read it, so a change made "
            "meanwhile is not overwritten",
            NULL, e);
    if (want < 0)
        return err_set(e, ERR_INPUT, "If-Match must be the ETag of the resource, e.g. \"3\"");
    size_t len;
    const char *body = server_req_body(rq, &len);
    json_t *patch = NULL;
    if (!retire) {
        /* Checked before the database is opened: a bad body changes nothing. */
        if (http_register_body(body, len, NULL, 0, &patch, e) != ERR_OK)
            return e->code;
    } else if (len > 0) {
        return err_set(e, ERR_INPUT, "DELETE takes no body");
    }
    struct store *s = http_register_open(rq, e);
    if (s == NULL) {
        json_decref(patch);
        return e->code;
    }
    char who[STORE_REGISTER_WHO_MAX], changed[300], msg[300];
    http_register_who(rq, who, sizeof who);
    json_t *cur = NULL, *next = NULL, *out = NULL;
    int refuse = 0;
    int rc = store_begin(s, e);
    if (rc == ERR_OK && (cur = store_register_get(s, id, e)) == NULL)
        rc = e->code;
    long have = cur ? (long)json_integer_value(json_object_get(cur, "version")) : 0;
    if (rc == ERR_OK && have != want) {
        snprintf(msg, sizeof msg,
                 "the resource was changed by someone else meanwhile (version %ld now, If-Match "
                 "named %ld); read it again and make your change on the current version",
                 have, want);
        refuse = 409;
    } else if (rc == ERR_OK && !json_is_null(json_object_get(cur, "retired"))) {
        snprintf(msg, sizeof msg, "the resource was retired on %s and can no longer be changed",
                 json_string_value(json_object_get(cur, "retired")));
        refuse = 409;
    }
    if (rc == ERR_OK && !refuse) {
        next = json_deep_copy(cur);
        if (next == NULL) {
            rc = err_nomem(e);
        } else if (retire) {
            rc = json_object_set_new(next, "retired", json_string("now")) ? err_nomem(e) : ERR_OK;
        } else {
            const char *k;
            json_t *v;
            json_object_foreach(patch, k, v) if (json_object_set(next, k, v)) rc = err_nomem(e);
            if (rc == ERR_OK && !http_register_area_ok(rq, next, e))
                rc = ERR_INPUT;
        }
    }
    if (rc == ERR_OK && !refuse)
        rc = store_register_update(s, cur, next, who, retire ? "retire" : "update", changed,
                                   sizeof changed, &out, e);
    if (rc == ERR_OK && !refuse)
        rc = store_commit(s, e);
    else
        store_rollback(s);
    store_close(s);
    json_decref(patch);
    json_decref(next);
    if (rc == ERR_OK && refuse) {
        rc = http_register_refuse(rq, refuse, msg, cur, e);
        json_decref(cur);
        return rc;
    }
    json_decref(cur);
    if (rc != ERR_OK) {
        json_decref(out);
        return rc;
    }
    return http_register_reply(rq, 200, out, 0, e);
}

int http_register_patch(struct server_req *rq, struct err *e)
{
    return http_register_change(rq, 0, e);
}

int http_register_retire(struct server_req *rq, struct err *e)
{
    return http_register_change(rq, 1, e);
}

/* The exports: ?level= only. */
static int http_register_export(struct server_req *rq, int format, struct err *e)
{
    const char *level;
    const struct server_param spec[] = {{"level", &level}, {NULL, NULL}};
    if (server_req_params(rq, spec, e) != ERR_OK)
        return ERR_INPUT;
    struct store *s = server_store(rq, e);
    if (s == NULL)
        return e->code;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL)
        return err_nomem(e);
    int rc = store_export_resources(s, format, level, f, e);
    if (fclose(f) != 0 && rc == ERR_OK)
        rc = err_nomem(e);
    if (rc != ERR_OK) {
        free(buf);
        return rc;
    }
    const struct server_header h[] = {
        {"Content-Disposition", format == STORE_EXPORT_CSV
                                    ? "attachment; filename=\"resources.csv\""
                                    : "attachment; filename=\"resources.geojson\""},
        {NULL, NULL}};
    return server_reply_bytes(rq, 200, buf, len,
                              format == STORE_EXPORT_CSV ? "text/csv; charset=utf-8"
                                                         : "application/geo+json",
                              "no-cache", h, e);
}

int http_register_csv(struct server_req *rq, struct err *e)
{
    return http_register_export(rq, STORE_EXPORT_CSV, e);
}

int http_register_geojson(struct server_req *rq, struct err *e)
{
    return http_register_export(rq, STORE_EXPORT_GEOJSON, e);
}
