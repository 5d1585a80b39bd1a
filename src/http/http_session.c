/* SPDX-License-Identifier: MIT */
/* http_session.c - opening and closing the page's session (see
 * http_session.h). The cookie's attributes are written here once; the
 * session table is the service's (server_ctx.sessions). */
#include "http_session.h"

#include "http_access.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The cookie's attributes, written into buf: never readable by script,
 * never sent by another site, for the whole database's tree (the server's
 * root, or /m/CODE/ under serve --db-dir, so each municipality keeps its
 * own session); Secure when the page came over TLS (directly or through a
 * trusted proxy, server_req_origin). */
static const char *http_session_attrs(struct server_req *rq, char *buf, size_t n)
{
    snprintf(buf, n, "; HttpOnly; SameSite=Strict; Path=%s/%s", server_req_mount(rq),
             strncmp(server_req_origin(rq), "https:", 6) == 0 ? "; Secure" : "");
    return buf;
}

int http_session_open(struct server_req *rq, struct err *e)
{
    const struct server_param spec[] = {{NULL, NULL}};
    if (server_req_params(rq, spec, e) != ERR_OK)
        return ERR_INPUT;
    const unsigned char *token = server_req_token_hash(rq);
    const struct auth_user *u = server_req_user(rq);
    if (token == NULL || u == NULL)
        return err_set(e, ERR_UNAUTHORIZED,
                       "open a session with Authorization: Bearer TOKEN (a token from "
                       "`tsunagu user add`)");
    struct session_table *t = server_req_ctx(rq)->sessions;
    if (t == NULL)
        return err_set(e, ERR_INTERNAL, "this server keeps no sessions");
    /* A session the browser already had ends: one cookie, one session. */
    if (server_req_session(rq) != NULL)
        session_close(t, server_req_session(rq));
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    char id[SESSION_ID_LEN + 1];
    if (session_open(t, token, (double)ts.tv_sec + ts.tv_nsec / 1e9, id, e) != ERR_OK)
        return err_set(e, ERR_BUSY, "a session cannot be opened now (no random bytes); try again");
    char cookie[SESSION_ID_LEN + 128], attrs[96];
    snprintf(cookie, sizeof cookie, "%s=%s%s", SESSION_COOKIE, id,
             http_session_attrs(rq, attrs, sizeof attrs));
    memset(id, 0, sizeof id);
    json_t *doc = json_pack("{s:s,s:s,s:i,s:i}", "name", u->name, "role", auth_role_name(u->role),
                            "idle_minutes", (int)(SESSION_IDLE_SECONDS / 60), "max_hours",
                            (int)(SESSION_MAX_SECONDS / 3600));
    char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    const struct server_header extra[] = {{"Set-Cookie", cookie}, {NULL, NULL}};
    int rc = text ? server_reply_bytes(rq, 201, text, strlen(text), "application/json", "no-store",
                                       extra, e)
                  : err_nomem(e);
    memset(cookie, 0, sizeof cookie);
    return rc;
}

int http_session_close(struct server_req *rq, struct err *e)
{
    const struct server_param spec[] = {{NULL, NULL}};
    if (server_req_params(rq, spec, e) != ERR_OK)
        return ERR_INPUT;
    if (server_req_session(rq) != NULL && server_req_ctx(rq)->sessions != NULL)
        session_close(server_req_ctx(rq)->sessions, server_req_session(rq));
    char cookie[192], attrs[96];
    snprintf(cookie, sizeof cookie, "%s=; Max-Age=0%s", SESSION_COOKIE,
             http_session_attrs(rq, attrs, sizeof attrs));
    const struct server_header extra[] = {{"Set-Cookie", cookie}, {NULL, NULL}};
    return server_reply_bytes(rq, 204, NULL, 0, NULL, "no-store", extra, e);
}

int http_session_get(struct server_req *rq, struct err *e)
{
    if (server_req_user(rq) != NULL)
        return http_access_me(rq, e);
    const struct server_param spec[] = {{NULL, NULL}};
    if (server_req_params(rq, spec, e) != ERR_OK)
        return ERR_INPUT;
    return server_reply_json(rq, 200, json_pack("{s:b}", "signed_in", 0), NULL, e);
}
