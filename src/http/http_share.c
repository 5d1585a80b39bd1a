/* SPDX-License-Identifier: MIT */
/* http_share.c - the share and protection endpoints (see http_share.h):
 * who may act (auth_require AUTH_PERM_SHARE; a coordinator only on its
 * agency's households), the small JSON bodies, the audit record, and a
 * read-write store per change. */
#include "http_share.h"

#include "consent.h"
#include "store_commissioner.h"
#include "store_shares.h"

#include <string.h>
#include <strings.h>

#define HTTP_SHARE_MEMBERS_MAX 8 /* members of a body (it takes at most 4) */

/* The agency a caller is limited to: a coordinator's, NULL for an admin. */
static const char *http_share_holder(const struct auth_user *u)
{
    return u->role == AUTH_ROLE_ADMIN ? NULL : u->agency;
}

/* Checks the caller and the id in the path; *id borrows it. */
static int http_share_begin(struct server_req *rq, const char **id, struct err *e)
{
    if (auth_require(server_req_user(rq), AUTH_PERM_SHARE, e) != ERR_OK)
        return e->code;
    const struct server_param spec[] = {{NULL, NULL}};
    if (server_req_params(rq, spec, e) != ERR_OK)
        return ERR_INPUT;
    /* Any id goes on to the store, which answers a malformed one as it
     * answers a missing one. */
    *id = server_req_arg(rq, 0) ? server_req_arg(rq, 0) : "";
    return ERR_OK;
}

/* Parses the body: a JSON object of at most HTTP_SHARE_MEMBERS_MAX members
 * whose names are in `names` (NULL-terminated); *doc owns it. The body is
 * at most SERVER_BODY_MAX bytes and jansson bounds its nesting itself. */
static int http_share_body(struct server_req *rq, const char *const *names, json_t **doc,
                           struct err *e)
{
    size_t len = 0;
    const char *body = server_req_body(rq, &len);
    const char *type = server_req_header(rq, "Content-Type");
    if (type == NULL || strncasecmp(type, "application/json", 16) != 0 ||
        (type[16] != '\0' && type[16] != ';'))
        return err_set(e, ERR_INPUT, "the body must be sent as Content-Type: application/json");
    json_error_t je;
    *doc = body && len ? json_loadb(body, len, JSON_REJECT_DUPLICATES, &je) : NULL;
    if (*doc == NULL || !json_is_object(*doc) || json_object_size(*doc) > HTTP_SHARE_MEMBERS_MAX)
        return err_set(e, ERR_INPUT, "the body must be a JSON object");
    const char *key;
    json_t *v;
    json_object_foreach(*doc, key, v)
    {
        int known = 0;
        for (size_t i = 0; names[i] && !known; i++)
            known = strcmp(key, names[i]) == 0;
        if (!known)
            return err_set(e, ERR_INPUT, "unknown member '%.40s' in the body", key);
    }
    return ERR_OK;
}

/* The string member `name` of doc into *out (NULL when absent). */
static int http_share_text(json_t *doc, const char *name, const char **out, struct err *e)
{
    json_t *v = json_object_get(doc, name);
    *out = NULL;
    if (v == NULL || json_is_null(v))
        return ERR_OK;
    if (!json_is_string(v))
        return err_set(e, ERR_INPUT, "%s must be a string", name);
    *out = json_string_value(v);
    return ERR_OK;
}

/* Records the change to household id before it is made. */
static int http_share_audit(struct server_req *rq, const char *id, struct err *e)
{
    const char *ids[1] = {id};
    const char *via[1] = {http_share_holder(server_req_user(rq)) ? "held" : "admin"};
    return server_audit_via(rq, ids, via, 1, e);
}

/* A read-write store for one change; NULL with the sentence. */
static struct store *http_share_store(struct server_req *rq, struct err *e)
{
    const struct server_ctx *ctx = server_req_ctx(rq);
    if (ctx == NULL || ctx->db_path == NULL) {
        err_set(e, ERR_INTERNAL, "the service has no database to change");
        return NULL;
    }
    return store_open(ctx->db_path, e);
}

/* What a share list collects. */
struct http_share_rows {
    json_t *list; /* the "shares" array (owned by the caller) */
};

static int http_share_row(void *ctx, const struct store_share *sh, int active)
{
    struct http_share_rows *r = ctx;
    json_t *o = json_pack("{s:I,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:b}", "share", (json_int_t)sh->id,
                          "agency", sh->agency, "basis", sh->basis, "reason", sh->reason, "from",
                          sh->from, "until", sh->until, "by", sh->by, "active", active);
    return o && json_array_append_new(r->list, o) == 0 ? ERR_OK : ERR_NOMEM;
}

int http_share_list(struct server_req *rq, struct err *e)
{
    const char *id = NULL;
    if (http_share_begin(rq, &id, e) != ERR_OK)
        return e->code;
    struct store *st = server_store(rq, e);
    if (st == NULL)
        return e->code;
    struct http_share_rows r = {json_array()};
    if (r.list == NULL)
        return err_nomem(e);
    struct store_sharing_state ss;
    int rc = store_household_sharing(st, id, http_share_holder(server_req_user(rq)), &ss, e);
    if (rc == ERR_OK)
        rc = store_shares_each(st, id, http_share_holder(server_req_user(rq)), http_share_row, &r,
                               e);
    if (rc == ERR_NOMEM)
        rc = err_nomem(e);
    if (rc == ERR_OK)
        rc = http_share_audit(rq, id, e);
    if (rc != ERR_OK) {
        json_decref(r.list);
        return rc;
    }
    return server_reply_json(rq, 200,
                             json_pack("{s:s,s:s,s:b,s:b,s:o}", "id", id, "consent",
                                       consent_name(ss.consent), "protected", ss.protected_,
                                       "commissioner", ss.commissioner, "shares", r.list),
                             NULL, e);
}

int http_share_add(struct server_req *rq, struct err *e)
{
    static const char *const names[] = {"agency", "basis", "reason", "until", NULL};
    const char *id = NULL;
    json_t *doc = NULL;
    struct store_share sh = {0};
    int rc = http_share_begin(rq, &id, e);
    if (rc == ERR_OK)
        rc = http_share_body(rq, names, &doc, e);
    if (rc == ERR_OK && (http_share_text(doc, "agency", &sh.agency, e) != ERR_OK ||
                         http_share_text(doc, "basis", &sh.basis, e) != ERR_OK ||
                         http_share_text(doc, "reason", &sh.reason, e) != ERR_OK ||
                         http_share_text(doc, "until", &sh.until, e) != ERR_OK))
        rc = ERR_INPUT;
    if (rc == ERR_OK && (sh.agency == NULL || sh.basis == NULL || sh.reason == NULL))
        rc = err_set(e, ERR_INPUT, "the body needs agency, basis and reason (until is optional)");
    const struct auth_user *u = server_req_user(rq);
    sh.ext_id = id;
    sh.by = u ? u->name : "?";
    if (rc == ERR_OK)
        rc = http_share_audit(rq, id, e);
    struct store *st = rc == ERR_OK ? http_share_store(rq, e) : NULL;
    if (rc == ERR_OK && st == NULL)
        rc = e->code;
    long share = 0;
    if (rc == ERR_OK)
        rc = store_share_add(st, &sh, http_share_holder(u), &share, e);
    store_close(st);
    json_t *out = NULL;
    if (rc == ERR_OK)
        out = json_pack("{s:s,s:I,s:s,s:s,s:s?}", "id", id, "share", (json_int_t)share, "agency",
                        sh.agency, "basis", sh.basis, "until", sh.until);
    json_decref(doc);
    if (rc != ERR_OK)
        return rc;
    return server_reply_json(rq, 201, out, NULL, e);
}

int http_share_remove(struct server_req *rq, struct err *e)
{
    static const char *const names[] = {"agency", NULL};
    const char *id = NULL, *agency = NULL;
    json_t *doc = NULL;
    int rc = http_share_begin(rq, &id, e);
    if (rc == ERR_OK)
        rc = http_share_body(rq, names, &doc, e);
    if (rc == ERR_OK && http_share_text(doc, "agency", &agency, e) != ERR_OK)
        rc = ERR_INPUT;
    if (rc == ERR_OK && agency == NULL)
        rc = err_set(e, ERR_INPUT, "the body needs agency");
    if (rc == ERR_OK)
        rc = http_share_audit(rq, id, e);
    struct store *st = rc == ERR_OK ? http_share_store(rq, e) : NULL;
    if (rc == ERR_OK && st == NULL)
        rc = e->code;
    if (rc == ERR_OK)
        rc = store_share_remove(st, id, agency, http_share_holder(server_req_user(rq)), e);
    store_close(st);
    json_t *out = NULL;
    if (rc == ERR_OK)
        out = json_pack("{s:s,s:s,s:b}", "id", id, "agency", agency, "shared", 0);
    json_decref(doc);
    if (rc != ERR_OK)
        return rc;
    return server_reply_json(rq, 200, out, NULL, e);
}

/* The common start of a yes/no change to a household (its protection, the
 * commissioners' mark): the id from the path, a body {"NAME": true|false}
 * into *on, the audit record, then a writable store in *st (the caller
 * closes it; NULL on failure). Returns ERR_OK or the failure's code. */
static int http_share_flag(struct server_req *rq, const char *name, const char **id, int *on,
                           struct store **st, struct err *e)
{
    const char *const names[] = {name, NULL};
    json_t *doc = NULL;
    *st = NULL;
    int rc = http_share_begin(rq, id, e);
    if (rc == ERR_OK)
        rc = http_share_body(rq, names, &doc, e);
    json_t *v = doc ? json_object_get(doc, name) : NULL;
    if (rc == ERR_OK && !json_is_boolean(v))
        rc = err_set(e, ERR_INPUT, "the body needs \"%s\": true or false", name);
    *on = json_is_true(v);
    json_decref(doc);
    if (rc == ERR_OK)
        rc = http_share_audit(rq, *id, e);
    if (rc == ERR_OK && (*st = http_share_store(rq, e)) == NULL)
        rc = e->code;
    return rc;
}

int http_share_protect(struct server_req *rq, struct err *e)
{
    const char *id = NULL;
    int on = 0;
    struct store *st = NULL;
    long removed = 0;
    const struct auth_user *u = server_req_user(rq);
    int rc = http_share_flag(rq, "protected", &id, &on, &st, e);
    if (rc == ERR_OK)
        rc = store_household_protect(st, id, on, u ? u->name : "?", http_share_holder(u), &removed,
                                     e);
    store_close(st);
    if (rc != ERR_OK)
        return rc;
    return server_reply_json(rq, 200,
                             json_pack("{s:s,s:b,s:I}", "id", id, "protected", on, "shares_removed",
                                       (json_int_t)removed),
                             NULL, e);
}

int http_share_commissioner(struct server_req *rq, struct err *e)
{
    const char *id = NULL;
    int on = 0;
    struct store *st = NULL;
    const struct auth_user *u = server_req_user(rq);
    int rc = http_share_flag(rq, "commissioner", &id, &on, &st, e);
    if (rc == ERR_OK)
        rc = store_household_commissioner(st, id, on, u ? u->name : "?", http_share_holder(u), e);
    store_close(st);
    if (rc != ERR_OK)
        return rc;
    return server_reply_json(rq, 200, json_pack("{s:s,s:b}", "id", id, "commissioner", on), NULL,
                             e);
}
