/* SPDX-License-Identifier: MIT */
/* cli_needs.c - `tsunagu needs --level L [--need TAG --per INDICATOR]`:
 * census indicators and known households by need tag per district, the
 * rate per 1,000 of an indicator and the under-identification flag
 * (needs.h), as a table, --json or --csv. The operator sees every figure;
 * --official shows the answer an official gets from GET /api/needs, small
 * counts hidden (disclose_needs.h). No household is named, so nothing is
 * audited. Entry points: cli_needs. */
#include "cli.h"
#include "disclose.h"
#include "disclose_needs.h"
#include "needs.h"
#include "needs_json.h"
#include "walk.h"

#include <string.h>

int cli_needs(struct cli_ctx *c, int argc, char **argv)
{
    struct err e = {0};
    struct needs_text t = {0};
    int json = 0, csv = 0, official = 0;
    const char *compare = NULL;
    const struct cli_opt opts[] = {{"compare", &compare, NULL},
                                   {"level", &t.level, NULL},
                                   {"need", &t.need, NULL},
                                   {"per", &t.per, NULL},
                                   {NULL, NULL, NULL}};
    const char *const flags[] = {"json", "csv", "official", NULL};
    int *fd[] = {&json, &csv, &official};
    const char *pos[1];
    int np = 0;
    struct needs_params p;
    if (cli_parse(argc, argv, 1, opts, flags, fd, pos, 0, &np, &e) != ERR_OK)
        return cli_fail(&e);
    if (compare) /* the snapshot's own parameters, again now */
        return cli_snapshot_compare(c, compare, "needs", json);
    if (needs_params_parse(&t, "--", &p, &e) != ERR_OK)
        return cli_fail(&e);
    if (json && csv) {
        err_set(&e, ERR_INPUT, "choose one of --json and --csv");
        return cli_fail(&e);
    }
    struct store *st = store_open_readonly(c->db_path, &e);
    if (st == NULL)
        return cli_fail(&e);
    struct walk_net *net = NULL;
    struct walk_session *ws = NULL;
    struct needs_result *r = NULL;
    struct needs_view v = {0};
    int rc = ERR_OK;
    if (official) {
        /* With a network, households per district are coverage's decision. */
        struct err ne = {0};
        net = walk_net_load(st, 0, &ne);
        ws = net ? walk_session_new(net, &ne) : NULL;
        rc = disclose_needs_answer(st, net, ws, &p, DISCLOSE_K, &r, &v, &e);
    } else {
        rc = needs_run(st, &p, &r, &e);
    }
    const struct needs_view *vp = official ? &v : NULL;
    if (rc == ERR_OK && json) {
        json_t *doc = needs_json(r, vp);
        rc = doc && json_dumpf(doc, c->out, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) == 0
                 ? ERR_OK
                 : err_nomem(&e);
        fputc('\n', c->out);
        json_decref(doc);
    } else if (rc == ERR_OK && csv) {
        rc = needs_csv(c->out, r, vp) == ERR_OK ? ERR_OK
                                                : err_set(&e, ERR_IO, "cannot write the table");
    } else if (rc == ERR_OK) {
        needs_text(c->out, r, vp);
    }
    needs_view_free(&v);
    needs_result_free(r);
    walk_session_free(ws);
    walk_net_free(net);
    store_close(st);
    return rc == ERR_OK ? 0 : cli_fail(&e);
}
