/* SPDX-License-Identifier: MIT */
/* http_access.c - who am I (/api/me) and the households of the caller's
 * assignment (/api/households, /api/households/{id}); see http_access.h.
 * The assignment comes from the signed-in user (auth.h), the rows from
 * store_scope_households, the existence test from store_scope_check (the
 * same statements for a foreign id and a missing one). */
#include "http_access.h"

#include "consent.h"
#include "http_visits.h"
#include "vocab.h"
#include "store_households.h"
#include "vec.h"

#include <stdlib.h>
#include <string.h>

/* The permissions a role has, as words for the page. */
static json_t *http_access_can(int role)
{
    static const struct {
        unsigned perm;    /* enum auth_perm bit */
        const char *word; /* its name in /api/me */
    } words[] = {{AUTH_PERM_COVERAGE, "coverage"},
                 {AUTH_PERM_SUGGEST, "suggest"},
                 {AUTH_PERM_HOUSEHOLDS, "households"},
                 {AUTH_PERM_ROUTE, "route"},
                 {AUTH_PERM_VISITS, "visits"},
                 {AUTH_PERM_REGISTER, "register"},
                 {AUTH_PERM_SHARE, "share"},
                 {AUTH_PERM_ROUTE_ORDER, "route_order"},
                 {AUTH_PERM_VISIT_RECORD, "visit_record"}};
    json_t *can = json_array();
    for (size_t i = 0; can && i < sizeof words / sizeof words[0]; i++)
        if ((auth_role_perms(role) & words[i].perm) &&
            json_array_append_new(can, json_string(words[i].word)) != 0) {
            json_decref(can);
            return NULL;
        }
    return can;
}

int http_access_me(struct server_req *rq, struct err *e)
{
    const struct server_param spec[] = {{NULL, NULL}};
    if (server_req_params(rq, spec, e) != ERR_OK)
        return ERR_INPUT;
    const struct auth_user *u = server_req_user(rq);
    if (u == NULL)
        return err_set(e, ERR_UNAUTHORIZED, "not signed in: send Authorization: Bearer TOKEN");
    json_t *district = u->district[0]
                           ? json_pack("{s:s,s:s}", "level", u->level, "code", u->district)
                           : json_null();
    json_t *doc = json_pack("{s:s,s:s,s:s?,s:o,s:o}", "name", u->name, "role",
                            auth_role_name(u->role), "agency", u->agency[0] ? u->agency : NULL,
                            "district", district, "can", http_access_can(u->role));
    return server_reply_json(rq, 200, doc, NULL, e);
}

/* What a listing collects. */
struct http_access_list {
    json_t *list;  /* [{"id", "district", "needs"}] (owned by the caller) */
    char **ids;    /* the ids listed, for the audit log (owned) */
    char **via;    /* how each was reached, for the audit log (owned) */
    size_t n, cap; /* entries in ids and via, capacity */
    size_t vcap;   /* capacity of via */
    int sharing;   /* 1: add each one's consent, commissioners' mark and protection (roles
                      that share cases, AUTH_PERM_SHARE: a coordinator; not an outreach
                      worker or a commissioner, who get the least detail) */
};

static void http_access_list_clear(struct http_access_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->ids[i]);
        free(l->via[i]);
    }
    free(l->ids);
    free(l->via);
    json_decref(l->list);
    memset(l, 0, sizeof *l);
}

/* "a;b" -> ["a", "b"]; NULL when out of memory. */
static json_t *http_access_needs(const char *needs)
{
    json_t *a = json_array();
    const char *p = needs ? needs : "";
    while (a && *p) {
        size_t n = strcspn(p, ";");
        if (n > 0 && json_array_append_new(a, json_stringn(p, n)) != 0) {
            json_decref(a);
            return NULL;
        }
        p += n;
        if (*p == ';')
            p++;
    }
    return a;
}

static int http_access_add(void *ctx, const struct store_scope_household *h)
{
    struct http_access_list *l = ctx;
    if (vec_reserve((void **)&l->ids, &l->cap, l->n + 1, sizeof *l->ids) != ERR_OK ||
        vec_reserve((void **)&l->via, &l->vcap, l->n + 1, sizeof *l->via) != ERR_OK)
        return ERR_NOMEM;
    /* No members and no position for any role; the last visit only once
     * visits are kept (store_households.h's hook); the sharing state only
     * to those who share cases (http_access_sharing). */
    json_t *o = json_pack("{s:s,s:s?,s:o}", "id", h->ext_id ? h->ext_id : "", "district",
                          h->district, "needs", http_access_needs(h->needs));
    if (o != NULL && l->sharing &&
        (json_object_set_new(o, "consent", json_string(consent_name(h->consent))) != 0 ||
         json_object_set_new(o, "commissioner", json_boolean(h->commissioner)) != 0 ||
         json_object_set_new(o, "protected", json_boolean(h->protected_)) != 0)) {
        json_decref(o);
        o = NULL;
    }
    if (o != NULL && h->last_visit != NULL &&
        json_object_set_new(o, "last_visit", json_string(h->last_visit)) != 0) {
        json_decref(o);
        o = NULL;
    }
    if (o == NULL || json_array_append_new(l->list, o) != 0)
        return ERR_NOMEM;
    if ((l->ids[l->n] = strdup(h->ext_id ? h->ext_id : "")) == NULL)
        return ERR_NOMEM;
    if ((l->via[l->n] = strdup(h->via ? h->via : "")) == NULL) {
        free(l->ids[l->n]);
        return ERR_NOMEM;
    }
    l->n++;
    return ERR_OK;
}

/* The caller's scope and the level for the district column (`level_text`
 * as given, else the assignment's, else "elementary" when it exists). */
static int http_access_scope(struct server_req *rq, struct store *st, const char *level_text,
                             struct store_scope *sc, const char **level, struct err *e)
{
    const struct auth_user *u = server_req_user(rq);
    sc->agency = u->agency[0] ? u->agency : NULL;
    sc->level = u->district[0] ? u->level : NULL;
    sc->district = u->district[0] ? u->district : NULL;
    sc->commissioner = u->role == AUTH_ROLE_COMMISSIONER;
    if (level_text != NULL) {
        if (!store_level_exists(st, level_text))
            return err_set(e, ERR_NOTFOUND, "there is no district level '%.60s'", level_text);
        *level = level_text;
    } else if (sc->level != NULL) {
        *level = sc->level;
    } else {
        *level = store_level_exists(st, "elementary") ? "elementary" : NULL;
    }
    return ERR_OK;
}

/* 1 when the caller may see how cases are shared: consent, the
 * commissioners' mark and protection (AUTH_PERM_SHARE, never through a
 * commissioner's scope). */
static int http_access_sharing(struct server_req *rq, const struct store_scope *sc)
{
    const struct auth_user *u = server_req_user(rq);
    return !sc->commissioner && u != NULL && (auth_role_perms(u->role) & AUTH_PERM_SHARE) != 0;
}

int http_access_households(struct server_req *rq, struct err *e)
{
    /* The overdue list is open to those who record visits (outreach
     * too); the full list to those who see households. */
    unsigned perm = AUTH_PERM_HOUSEHOLDS;
    if (server_req_user(rq) && (auth_role_perms(server_req_user(rq)->role) & AUTH_PERM_VISITS))
        perm = AUTH_PERM_VISITS;
    if (auth_require(server_req_user(rq), perm, e) != ERR_OK)
        return e->code;
    const char *level_t, *need_t, *overdue_t;
    const struct server_param spec[] = {
        {"level", &level_t}, {"need", &need_t}, {"overdue", &overdue_t}, {NULL, NULL}};
    if (server_req_params(rq, spec, e) != ERR_OK)
        return ERR_INPUT;
    if (overdue_t && strcmp(overdue_t, "true") != 0)
        return err_set(e, ERR_INPUT, "overdue takes the value true");
    if (overdue_t && need_t)
        return err_set(e, ERR_INPUT, "overdue=true lists every overdue household: drop need");
    if (overdue_t)
        return http_visits_overdue(rq, level_t, e);
    if (auth_require(server_req_user(rq), AUTH_PERM_HOUSEHOLDS, e) != ERR_OK)
        return e->code;
    const char *need = need_t ? vocab_need_tag(need_t) : NULL;
    if (need_t && need == NULL)
        return err_set(e, ERR_INPUT, "need '%.60s' is not a known need tag", need_t);
    struct store *st = server_store(rq, e);
    struct store_scope sc;
    const char *level = NULL;
    if (st == NULL || http_access_scope(rq, st, level_t, &sc, &level, e) != ERR_OK)
        return e->code;
    struct http_access_list l = {json_array(), NULL, NULL, 0, 0, 0, http_access_sharing(rq, &sc)};
    if (l.list == NULL)
        return err_nomem(e);
    int rc = store_scope_households(st, &sc, level, need, NULL, HTTP_ACCESS_LIST_MAX,
                                    http_access_add, &l, e);
    if (rc == ERR_NOMEM)
        rc = err_nomem(e);
    if (rc == ERR_OK)
        rc = server_audit_via(rq, (const char *const *)l.ids, (const char *const *)l.via, l.n, e);
    json_t *doc = NULL;
    if (rc == ERR_OK) {
        doc = json_pack("{s:s?,s:s?,s:O}", "level", level, "need", need, "households", l.list);
        if (doc == NULL)
            rc = err_nomem(e);
    }
    http_access_list_clear(&l);
    if (rc != ERR_OK)
        return rc;
    return server_reply_json(rq, 200, doc, NULL, e);
}

int http_access_household(struct server_req *rq, struct err *e)
{
    static const char nobody[] = "there is no household with this id in your assignment";
    if (auth_require(server_req_user(rq), AUTH_PERM_HOUSEHOLDS, e) != ERR_OK)
        return e->code;
    const char *level_t;
    const struct server_param spec[] = {{"level", &level_t}, {NULL, NULL}};
    if (server_req_params(rq, spec, e) != ERR_OK)
        return ERR_INPUT;
    const char *id = server_req_arg(rq, 0);
    size_t len = id ? strlen(id) : 0;
    int ok = len > 0 && len <= HTTP_ACCESS_ID_MAX;
    for (size_t i = 0; ok && i < len; i++)
        ok = (unsigned char)id[i] >= 0x20 && id[i] != 0x7F;
    struct store *st = server_store(rq, e);
    struct store_scope sc;
    const char *level = NULL;
    if (st == NULL || http_access_scope(rq, st, level_t, &sc, &level, e) != ERR_OK)
        return e->code;
    /* A malformed id is checked like any other (as the empty id), so no
     * shape of id answers faster than another. */
    const char *ids[1] = {ok ? id : ""};
    unsigned char in[1];
    if (store_scope_check(st, &sc, ids, 1, in, NULL, e) != ERR_OK)
        return e->code;
    if (!ok || !in[0])
        return err_set(e, ERR_NOTFOUND, "%s", nobody);
    struct http_access_list l = {json_array(), NULL, NULL, 0, 0, 0, http_access_sharing(rq, &sc)};
    if (l.list == NULL)
        return err_nomem(e);
    int rc = store_scope_households(st, &sc, level, NULL, id, 1, http_access_add, &l, e);
    if (rc == ERR_NOMEM)
        rc = err_nomem(e);
    if (rc == ERR_OK && l.n != 1)
        rc = err_set(e, ERR_NOTFOUND, "%s", nobody);
    if (rc == ERR_OK)
        rc = server_audit_via(rq, (const char *const *)l.ids, (const char *const *)l.via, l.n, e);
    json_t *doc = rc == ERR_OK ? json_incref(json_array_get(l.list, 0)) : NULL;
    http_access_list_clear(&l);
    if (rc != ERR_OK)
        return rc;
    return server_reply_json(rq, 200, doc, NULL, e);
}
