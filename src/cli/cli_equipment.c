/* SPDX-License-Identifier: MIT */
/* cli_equipment.c - `tsunagu equipment --level L [--kind K,K] [--minutes
 * M] [--json|--csv]`: resources per kind and district, per 1,000 residents,
 * the districts with none, and with --minutes (and a network) how many lie
 * within M minutes of the district's residents (equipment.h). Entry
 * points: cli_equipment. */
#include "cli.h"
#include "equipment.h"
#include "equipment_json.h"
#include "walk.h"

int cli_equipment(struct cli_ctx *c, int argc, char **argv)
{
    struct err e = {0};
    struct equipment_text t = {0};
    int json = 0, csv = 0;
    const char *compare = NULL;
    const struct cli_opt opts[] = {{"compare", &compare, NULL},
                                   {"level", &t.level, NULL},
                                   {"kind", &t.kinds, NULL},
                                   {"minutes", &t.minutes, NULL},
                                   {NULL, NULL, NULL}};
    const char *const flags[] = {"json", "csv", NULL};
    int *fd[] = {&json, &csv};
    const char *pos[1];
    int np = 0;
    struct equipment_params p;
    if (cli_parse(argc, argv, 1, opts, flags, fd, pos, 0, &np, &e) != ERR_OK)
        return cli_fail(&e);
    if (compare) /* the snapshot's own parameters, again now */
        return cli_snapshot_compare(c, compare, "equipment", json);
    if (equipment_params_parse(&t, "--", &p, &e) != ERR_OK)
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
    struct equipment_result *r = NULL;
    int rc = ERR_OK;
    if (p.minutes > 0) {
        net = walk_net_load(st, 0, &e);
        ws = net ? walk_session_new(net, &e) : NULL;
        rc = ws ? ERR_OK : e.code;
    }
    if (rc == ERR_OK)
        rc = equipment_run(st, net, ws, &p, &r, &e);
    if (rc == ERR_OK && json) {
        json_t *doc = equipment_json(r);
        rc = doc && json_dumpf(doc, c->out, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) == 0
                 ? ERR_OK
                 : err_nomem(&e);
        fputc('\n', c->out);
        json_decref(doc);
    } else if (rc == ERR_OK && csv) {
        rc = equipment_csv(c->out, r) == ERR_OK ? ERR_OK
                                                : err_set(&e, ERR_IO, "cannot write the table");
    } else if (rc == ERR_OK) {
        equipment_text(c->out, r);
    }
    equipment_result_free(r);
    walk_session_free(ws);
    walk_net_free(net);
    store_close(st);
    return rc == ERR_OK ? 0 : cli_fail(&e);
}
