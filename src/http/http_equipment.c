/* SPDX-License-Identifier: MIT */
/* http_equipment.c - implements http_equipment.h: the CLI's parameters
 * and sentences, the service's network for the reach figures (none
 * without one). Entry points: http_equipment. */
#include "http_equipment.h"

#include "equipment.h"
#include "equipment_json.h"

int http_equipment(struct server_req *rq, struct err *e)
{
    struct equipment_text t = {0};
    const struct server_param spec[] = {
        {"level", &t.level}, {"kind", &t.kinds}, {"minutes", &t.minutes}, {NULL, NULL}};
    struct equipment_params p;
    if (server_req_params(rq, spec, e) != ERR_OK || equipment_params_parse(&t, "", &p, e) != ERR_OK)
        return ERR_INPUT;
    struct store *st = server_store(rq, e);
    if (st == NULL)
        return e->code;
    struct err ne = {0};
    struct walk_session *ws = p.minutes > 0 ? server_walk(rq, &ne) : NULL;
    const struct walk_net *net = ws ? server_net(rq, &ne) : NULL;
    struct equipment_result *r = NULL;
    if (equipment_run(st, net, net ? ws : NULL, &p, &r, e) != ERR_OK)
        return e->code;
    json_t *doc = equipment_json(r);
    equipment_result_free(r);
    if (doc == NULL)
        return err_nomem(e);
    return server_reply_json(rq, 200, doc, NULL, e);
}
