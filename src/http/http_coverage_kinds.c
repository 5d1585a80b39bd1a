/* SPDX-License-Identifier: MIT */
/* http_coverage_kinds.c - several kinds in one coverage answer (see
 * http_coverage_kinds.h). Entry points: http_coverage_kinds_doc,
 * http_coverage_kinds. */
#include "http_coverage_kinds.h"

#include "coverage_kinds.h"
#include "disclose.h"
#include "disclose_plan.h"
#include "http_plan.h"
#include "plan_json.h"

#include <string.h>

/* The coverage document of one kind: an official's (suppressed) or the
 * operator's (every figure). New reference in *doc. */
static int http_coverage_kinds_one(struct store *st, const struct walk_net *net,
                                   struct walk_session *ws, const struct coverage_params *p,
                                   int official, json_t **doc, struct err *e)
{
    struct coverage_result *r = NULL;
    struct disclose_plan_coverage dc;
    int rc = official ? disclose_plan_answer(st, net, ws, p, DISCLOSE_K, &r, &dc, e)
                      : coverage_run(st, net, ws, p, &r, e);
    if (rc != ERR_OK)
        return rc;
    *doc = plan_json_coverage(r, net, PLAN_JSON_AGGREGATES | PLAN_JSON_LOADS);
    rc = *doc ? ERR_OK : err_nomem(e);
    if (rc == ERR_OK && official)
        rc = http_plan_suppress(*doc, r, &dc, e);
    if (official)
        disclose_plan_coverage_clear(&dc);
    coverage_result_free(r);
    if (rc != ERR_OK) {
        json_decref(*doc);
        *doc = NULL;
    }
    return rc;
}

int http_coverage_kinds_doc(struct store *st, const struct walk_net *net, struct walk_session *ws,
                            const struct coverage_text *t, const char *prefix, int official,
                            json_t **out, struct err *e)
{
    *out = NULL;
    char option[16];
    snprintf(option, sizeof option, "%skind", prefix);
    struct coverage_kinds k;
    if (coverage_kinds_parse(t->kind, option, &k, e) != ERR_OK)
        return e->code;
    json_t *docs[COVERAGE_KINDS_MAX] = {0};
    int rc = ERR_OK;
    for (size_t i = 0; rc == ERR_OK && i < k.n; i++) {
        struct coverage_text one = *t;
        one.kind = k.kind[i];
        struct coverage_params p;
        rc = coverage_params_parse(&one, prefix, &p, e);
        if (rc == ERR_OK)
            rc = http_coverage_kinds_one(st, net, ws, &p, official, &docs[i], e);
    }
    if (rc == ERR_OK && (*out = coverage_kinds_merge(docs, &k)) == NULL)
        rc = err_nomem(e);
    for (size_t i = 0; i < k.n; i++)
        json_decref(docs[i]);
    return rc;
}

int http_coverage_kinds(struct server_req *rq, const struct coverage_text *t, struct err *e)
{
    struct walk_session *ws = server_walk(rq, e);
    struct store *st = ws ? server_store(rq, e) : NULL;
    const struct walk_net *net = ws ? server_net(rq, e) : NULL;
    if (st == NULL)
        return e->code;
    json_t *doc = NULL;
    if (http_coverage_kinds_doc(st, net, ws, t, "", 1, &doc, e) != ERR_OK)
        return e->code;
    return server_reply_json(rq, 200, doc, NULL, e);
}
