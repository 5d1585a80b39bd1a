/* SPDX-License-Identifier: MIT */
/* cli_report.c - `tsunagu report`: the printed coverage report (report.h)
 * as an A4 PDF, or the map alone as a PNG, written whole or not at all.
 * The figures follow the role the report is made for (--role): an
 * official's or admin's report (the default: a report is made to be handed
 * out) hides small counts exactly as /api/coverage does; `--role operator`
 * is the local operator's own full view, as `tsunagu coverage` prints it.
 * --equipment and --needs [--need TAG --per INDICATOR] add those tables
 * (the needs table is `needs --official`'s answer for an official);
 * --compare LABEL adds the change since a snapshot (http_snapshot.h).
 * No household is named, so nothing is recorded in the audit log.
 * Entry points: cli_report. */
#include "auth.h"
#include "cli.h"
#include "http_snapshot.h"
#include "needs.h"
#include "report.h"
#include "utf8.h"

#include <string.h>

#define CLI_REPORT_NAME_MAX 200 /* bytes of --municipality */

/* Parses --role into whether small counts are hidden. */
static int cli_report_role(const char *text, int *suppress, struct err *e)
{
    *suppress = 1;
    if (text == NULL)
        return ERR_OK;
    if (strcmp(text, "operator") == 0) {
        *suppress = 0;
        return ERR_OK;
    }
    int role;
    if (auth_role_parse(text, &role, NULL) != ERR_OK)
        return err_set(e, ERR_INPUT, "--role must be official, admin or operator");
    if (!(auth_role_perms(role) & AUTH_PERM_COVERAGE))
        return err_set(e, ERR_FORBIDDEN,
                       "the role %s may not see coverage figures; --role must "
                       "be official, admin or operator",
                       text);
    return ERR_OK;
}

int cli_report(struct cli_ctx *c, int argc, char **argv)
{
    struct err e = {0};
    struct coverage_text t = {0};
    const char *out = NULL, *role = NULL, *municipality = NULL, *compare = NULL;
    struct needs_text nt = {0};
    int per_district = 0;
    const struct cli_opt opts[] = {
        {"minutes", &t.minutes, NULL},   {"speed", &t.speed, NULL},
        {"kind", &t.kind, NULL},         {"field", &t.field, NULL},
        {"level", &t.level, NULL},       {"steps-factor", &t.steps_factor, NULL},
        {"max-snap", &t.max_snap, NULL}, {"out", &out, NULL},
        {"role", &role, NULL},           {"municipality", &municipality, NULL},
        {"need", &nt.need, NULL},        {"per", &nt.per, NULL},
        {"compare", &compare, NULL},     {NULL, NULL, NULL}};
    int equipment = 0, needs = 0;
    const char *const flags[] = {"per-district", "equipment", "needs", NULL};
    int *fd[] = {&per_district, &equipment, &needs};
    const char *pos[1];
    int np = 0;
    struct report_params p = {0};
    if (cli_parse(argc, argv, 1, opts, flags, fd, pos, 0, &np, &e) != ERR_OK ||
        coverage_params_parse(&t, "--", &p.cov, &e) != ERR_OK ||
        cli_report_role(role, &p.suppress, &e) != ERR_OK)
        return cli_fail(&e);
    if (t.level == NULL)
        err_set(&e, ERR_INPUT, "a report needs a district level (--level)");
    else if (out == NULL)
        err_set(&e, ERR_INPUT, "say where to write the report: --out FILE.pdf or --out FILE.png");
    else if (municipality &&
             (!utf8_text_ok(municipality) || strlen(municipality) > CLI_REPORT_NAME_MAX))
        err_set(&e, ERR_INPUT, "--municipality must be UTF-8 text of at most %d bytes",
                CLI_REPORT_NAME_MAX);
    if (e.code != ERR_OK || report_format_of(out, &p.format, &e) != ERR_OK)
        return cli_fail(&e);
    p.per_district = per_district;
    p.equipment = equipment;
    p.municipality = municipality;
    p.needs = needs;
    nt.level = t.level;
    const char *pdf_only = per_district ? "--per-district"
                           : needs      ? "--needs"
                           : equipment  ? "--equipment"
                           : compare    ? "--compare"
                                        : NULL;
    if (pdf_only && p.format == REPORT_PNG)
        err_set(&e, ERR_INPUT, "%s needs a PDF (--out FILE.pdf): a PNG is the map alone", pdf_only);
    else if ((nt.need || nt.per) && !needs)
        err_set(&e, ERR_INPUT, "--need and --per choose the needs table: add --needs");
    else if (needs)
        needs_params_parse(&nt, "--", &p.need, &e);
    if (e.code != ERR_OK)
        return cli_fail(&e);
    /* The file first: an unwritable place fails before the audit runs. */
    struct report_file *f = report_file_open(out, &e);
    if (f == NULL)
        return cli_fail(&e);
    struct cli_plan_env env;
    int rc = cli_plan_open(c, p.cov.walk.max_snap_m, 0, &env, &e);
    json_t *cmp[HTTP_SNAPSHOT_NPARTS] = {NULL, NULL, NULL};
    if (rc == ERR_OK && compare)
        rc = http_snapshot_report(env.st, env.net, env.ws, compare, &p, cmp, &e);
    for (int i = 0; i < HTTP_SNAPSHOT_NPARTS; i++)
        p.compare[i] = cmp[i];
    if (rc == ERR_OK)
        rc = report_render(env.st, env.net, env.ws, &p, report_file_sink, f, &e);
    for (int i = 0; i < HTTP_SNAPSHOT_NPARTS; i++)
        json_decref(cmp[i]);
    cli_plan_close(&env);
    if (rc == ERR_OK)
        rc = report_file_commit(f, &e);
    else
        report_file_abort(f);
    if (rc != ERR_OK)
        return cli_fail(&e);
    fprintf(c->out, "wrote %s\n", out);
    return 0;
}
