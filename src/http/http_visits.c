/* SPDX-License-Identifier: MIT */
/* http_visits.c - home visits over HTTP (see http_visits.h). The checks of
 * a visit are visit.c's, shared with the CLI; writes go through a
 * read-write connection opened for the request (the workers' connections
 * are read-only). */
#include "http_visits.h"

#include "date.h"
#include "overdue.h"
#include "store_households.h"
#include "store_visits.h"
#include "visit.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char http_visits_nobody[] = "there is no household with this id in your assignment";

/* The caller's scope (its assignment), as every household answer builds it. */
static void http_visits_scope(struct server_req *rq, struct store_scope *sc)
{
    const struct auth_user *u = server_req_user(rq);
    sc->agency = u->agency[0] ? u->agency : NULL;
    sc->level = u->district[0] ? u->level : NULL;
    sc->district = u->district[0] ? u->district : NULL;
    sc->commissioner = u->role == AUTH_ROLE_COMMISSIONER;
}

/* ERR_OK when household `id` lies in the caller's assignment, else the
 * fixed 404 (a malformed id is checked as the empty id, so no shape
 * answers faster). */
static int http_visits_may_see(struct server_req *rq, struct store *st, const char *id,
                               struct err *e)
{
    size_t len = id ? strlen(id) : 0;
    int ok = len > 0 && len <= VISIT_ID_MAX;
    for (size_t i = 0; ok && i < len; i++)
        ok = (unsigned char)id[i] >= 0x20 && id[i] != 0x7F;
    struct store_scope sc;
    http_visits_scope(rq, &sc);
    const char *ids[1] = {ok ? id : ""};
    unsigned char in[1];
    if (store_scope_check(st, &sc, ids, 1, in, NULL, e) != ERR_OK)
        return e->code;
    return ok && in[0] ? ERR_OK : err_set(e, ERR_NOTFOUND, "%s", http_visits_nobody);
}

/* A member of the body as text: a string, or (visitors) an array of one or
 * two strings. Anything else is refused naming the member. */
static int http_visits_member(const char *key, json_t *v, struct visit_text *t, struct err *e)
{
    static const char *const names[] = {"household", "at", "outcome", "note", "next_due"};
    const char **dest[] = {&t->household, &t->at, &t->outcome, &t->note, &t->next_due};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(key, names[i]) == 0) {
            if (json_is_null(v) && (i == 3 || i == 4))
                return ERR_OK;
            if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
                return err_set(e, ERR_INPUT, "%s must be a string", names[i]);
            *dest[i] = json_string_value(v);
            return ERR_OK;
        }
    if (strcmp(key, "visitors") == 0) {
        if (json_is_string(v) && strlen(json_string_value(v)) == json_string_length(v)) {
            t->visitors = json_string_value(v);
            return ERR_OK;
        }
        size_t n = json_is_array(v) ? json_array_size(v) : 0;
        json_t *a = n ? json_array_get(v, 0) : NULL, *b = n > 1 ? json_array_get(v, 1) : NULL;
        if (n < 1 || n > 2 || !json_is_string(a) || (b && !json_is_string(b)) ||
            strlen(json_string_value(a)) != json_string_length(a) ||
            (b && strlen(json_string_value(b)) != json_string_length(b)) ||
            strchr(json_string_value(a), ',') || (b && strchr(json_string_value(b), ',')))
            return err_set(e, ERR_INPUT,
                           "visitors must be a name or an array of one or two names without "
                           "commas");
        t->visitors = json_string_value(a);
        t->visitor2 = b ? json_string_value(b) : NULL;
        return ERR_OK;
    }
    return err_set(e, ERR_INPUT,
                   "unknown member '%.40s'; a visit takes household, at, visitors, outcome, note "
                   "and next_due",
                   key);
}

/* Reads the body into t (strings borrowed from *doc, which the caller
 * frees). */
static int http_visits_body(struct server_req *rq, json_t **doc, struct visit_text *t,
                            struct err *e)
{
    size_t len = 0;
    const char *body = server_req_body(rq, &len);
    const char *type = server_req_header(rq, "Content-Type");
    if (type == NULL || strncasecmp(type, "application/json", 16) != 0 ||
        (type[16] != '\0' && type[16] != ';'))
        return err_set(e, ERR_INPUT, "the body must be sent as Content-Type: application/json");
    json_error_t je;
    /* JSON_REJECT_DUPLICATES: one value per member. The parser's text may
     * quote the body (household data): only the position is reported. */
    *doc = body ? json_loadb(body, len, JSON_REJECT_DUPLICATES, &je) : NULL;
    if (*doc == NULL)
        return err_set(e, ERR_INPUT, "the body is not a valid JSON object (line %d, column %d)",
                       body ? je.line : 0, body ? je.column : 0);
    if (!json_is_object(*doc))
        return err_set(e, ERR_INPUT, "the body must be a JSON object");
    const char *key;
    json_t *v;
    json_object_foreach(*doc, key, v)
    {
        if (http_visits_member(key, v, t, e) != ERR_OK)
            return e->code;
    }
    return ERR_OK;
}

int http_visits_add(struct server_req *rq, struct err *e)
{
    /* Agencies' workers, and commissioners, who record their own visits to
     * the households they may see without reading anyone else's. */
    const struct auth_user *who = server_req_user(rq);
    if (!(who && (auth_role_perms(who->role) & AUTH_PERM_VISIT_RECORD)) &&
        auth_require(who, AUTH_PERM_VISITS, e) != ERR_OK)
        return e->code;
    const struct server_param spec[] = {{NULL, NULL}};
    if (server_req_params(rq, spec, e) != ERR_OK)
        return ERR_INPUT;
    json_t *doc = NULL;
    struct visit_text t = {0};
    struct visit v;
    int rc = http_visits_body(rq, &doc, &t, e);
    if (rc == ERR_OK)
        rc = visit_parse(&t, "", date_today(), &v, e);
    json_decref(doc);
    if (rc != ERR_OK)
        return rc;
    struct store *st = server_store(rq, e);
    if (st == NULL || http_visits_may_see(rq, st, v.household, e) != ERR_OK)
        return e->code;
    const char *ids[1] = {v.household};
    if (server_audit(rq, ids, 1, e) != ERR_OK)
        return e->code;
    /* The write: a read-write connection of its own (the workers' are
     * read-only); visits are few, so opening one per visit costs little. */
    struct store *rw = store_open(server_req_ctx(rq)->db_path, e);
    if (rw == NULL)
        return e->code = ERR_IO;
    const struct auth_user *u = server_req_user(rq);
    struct store_visit sv = {0,         v.household, v.at,       v.visitor1, v.visitor2,
                             v.outcome, v.note,      v.next_due, u->name,    NULL};
    long id = 0;
    rc = store_visit_add(rw, &sv, &id, e);
    store_close(rw);
    if (rc == ERR_NOTFOUND) /* removed meanwhile: the same sentence as outside */
        return err_set(e, ERR_NOTFOUND, "%s", http_visits_nobody);
    if (rc != ERR_OK)
        return rc;
    json_t *out =
        json_pack("{s:I,s:s,s:s,s:s,s:s?}", "id", (json_int_t)id, "household", v.household, "at",
                  v.at, "outcome", v.outcome, "next_due", v.next_due[0] ? v.next_due : NULL);
    return server_reply_json(rq, 201, out, NULL, e);
}

static int http_visits_row(void *ctx, const struct store_visit *v)
{
    json_t *visitors = json_pack("[s]", v->visitor1 ? v->visitor1 : "");
    if (visitors && v->visitor2 && json_array_append_new(visitors, json_string(v->visitor2)) != 0)
        visitors = (json_decref(visitors), NULL);
    json_t *o = json_pack("{s:I,s:s?,s:o,s:s?,s:s?,s:s?,s:s?}", "id", (json_int_t)v->id, "at",
                          v->at, "visitors", visitors, "outcome", v->outcome, "note", v->note,
                          "next_due", v->next_due, "recorded_by", v->recorded_by);
    return o && json_array_append_new(ctx, o) == 0 ? ERR_OK : ERR_NOMEM;
}

int http_visits_list(struct server_req *rq, struct err *e)
{
    if (auth_require(server_req_user(rq), AUTH_PERM_VISITS, e) != ERR_OK)
        return e->code;
    const struct server_param spec[] = {{NULL, NULL}};
    if (server_req_params(rq, spec, e) != ERR_OK)
        return ERR_INPUT;
    const char *id = server_req_arg(rq, 0);
    struct store *st = server_store(rq, e);
    if (st == NULL || http_visits_may_see(rq, st, id, e) != ERR_OK)
        return e->code;
    json_t *list = json_array();
    if (list == NULL)
        return err_nomem(e);
    int rc = store_visits_each(st, id, HTTP_VISITS_LIST_MAX, http_visits_row, list, e);
    if (rc == ERR_NOMEM)
        rc = err_nomem(e);
    const char *ids[1] = {id};
    if (rc == ERR_OK)
        rc = server_audit(rq, ids, 1, e);
    if (rc != ERR_OK) {
        json_decref(list);
        return rc;
    }
    return server_reply_json(rq, 200, json_pack("{s:s,s:o}", "household", id, "visits", list), NULL,
                             e);
}

int http_visits_overdue(struct server_req *rq, const char *level_t, struct err *e)
{
    if (auth_require(server_req_user(rq), AUTH_PERM_VISITS, e) != ERR_OK)
        return e->code;
    struct store *st = server_store(rq, e);
    if (st == NULL)
        return e->code;
    struct store_scope sc;
    http_visits_scope(rq, &sc);
    const char *level = level_t;
    if (level && !store_level_exists(st, level))
        return err_set(e, ERR_NOTFOUND, "there is no district level '%.60s'", level);
    if (level == NULL)
        level = sc.level ? sc.level : store_level_exists(st, "elementary") ? "elementary" : NULL;
    long today = date_today();
    struct overdue_list l;
    if (overdue_collect(st, &sc, level, today, OVERDUE_MAX, &l, e) != ERR_OK)
        return e->code;
    const char **ids = malloc((l.n + 1) * sizeof *ids);
    json_t *arr = json_array();
    int rc = ids && arr ? ERR_OK : err_nomem(e);
    for (size_t i = 0; rc == ERR_OK && i < l.n; i++) {
        const struct overdue_item *it = &l.v[i];
        ids[i] = it->ext_id;
        json_t *o = json_pack("{s:s,s:s?,s:s,s:I,s:s,s:s?}", "id", it->ext_id, "district",
                              it->district, "due", it->due, "days_late", (json_int_t)it->days_late,
                              "last_visit", it->last_at, "last_outcome", it->last_outcome);
        if (o == NULL || json_array_append_new(arr, o) != 0)
            rc = err_nomem(e);
    }
    if (rc == ERR_OK)
        rc = server_audit(rq, ids, l.n, e);
    char day[DATE_DAY_LEN + 1];
    date_format_day(today, day, sizeof day);
    json_t *doc = NULL;
    if (rc == ERR_OK && (doc = json_pack("{s:s,s:s?,s:O}", "today", day, "level", level,
                                         "households", arr)) == NULL)
        rc = err_nomem(e);
    json_decref(arr);
    free(ids);
    overdue_list_free(&l);
    if (rc != ERR_OK)
        return rc;
    return server_reply_json(rq, 200, doc, NULL, e);
}
