/* SPDX-License-Identifier: MIT */
/* http_needs.c - implements http_needs.h: access first, then the query
 * parameters into needs_text (the CLI's rules and sentences), the answer
 * decided with the service's network when it has one. Entry points:
 * http_needs. */
#include "http_needs.h"

#include "auth.h"
#include "disclose.h"
#include "disclose_needs.h"
#include "needs_json.h"

int http_needs(struct server_req *rq, struct err *e)
{
    if (auth_require(server_req_user(rq), AUTH_PERM_COVERAGE, e) != ERR_OK)
        return e->code;
    struct needs_text t = {0};
    const struct server_param spec[] = {
        {"level", &t.level}, {"need", &t.need}, {"per", &t.per}, {NULL, NULL}};
    struct needs_params p;
    if (server_req_params(rq, spec, e) != ERR_OK || needs_params_parse(&t, "", &p, e) != ERR_OK)
        return ERR_INPUT;
    struct store *st = server_store(rq, e);
    if (st == NULL)
        return e->code;
    /* Without a network coverage cannot be asked: needs decides alone. */
    struct err ne = {0};
    struct walk_session *ws = server_walk(rq, &ne);
    const struct walk_net *net = ws ? server_net(rq, &ne) : NULL;
    struct needs_result *r = NULL;
    struct needs_view v;
    if (disclose_needs_answer(st, net, net ? ws : NULL, &p, DISCLOSE_K, &r, &v, e) != ERR_OK)
        return e->code;
    json_t *doc = needs_json(r, &v);
    needs_view_free(&v);
    needs_result_free(r);
    if (doc == NULL)
        return err_nomem(e);
    return server_reply_json(rq, 200, doc, NULL, e);
}
