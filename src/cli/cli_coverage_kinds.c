/* SPDX-License-Identifier: MIT */
/* cli_coverage_kinds.c - `tsunagu coverage --kind a,b,c`: one column group
 * per kind in one run (one coverage search per kind), as a table, --json
 * (coverage_kinds_merge's document) or --csv (coverage_kinds_csv). The
 * operator's figures by default; --official prints what an official gets
 * from GET /api/coverage?kind=a,b,c, small counts hidden. Only aggregates
 * are printed (no household is named), so nothing is audited. Entry point:
 * cli_coverage_kinds (cli.h). */
#include "cli.h"
#include "coverage_kinds.h"
#include "escape.h"
#include "http_coverage_kinds.h"

#include <stdio.h>
#include <string.h>

/* A figure as text: the number, "<5" as it is, "-" for null or absent. */
static const char *cli_coverage_kinds_fig(const json_t *v, char *buf, size_t n, int percent)
{
    if (json_is_integer(v))
        snprintf(buf, n, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        snprintf(buf, n, percent ? "%.1f%%" : "%.1f", json_real_value(v) * (percent ? 100 : 1));
    else if (json_is_string(v))
        snprintf(buf, n, "%s", json_string_value(v));
    else
        snprintf(buf, n, "-");
    return buf;
}

/* One table row of the merged document. */
static void cli_coverage_kinds_row(FILE *out, const json_t *row, const json_t *kinds,
                                   const char *label)
{
    char esc[200], a[32], b[32], d[32];
    const json_t *code = json_object_get(row, "code"), *name = json_object_get(row, "name");
    fprintf(out, "  %-12s %6s", json_is_string(code) ? json_string_value(code) : "",
            cli_coverage_kinds_fig(json_object_get(row, "households"), a, sizeof a, 0));
    size_t i;
    const json_t *kv;
    json_array_foreach(kinds, i, kv)
    {
        const json_t *o = json_object_get(json_object_get(row, "by_kind"), json_string_value(kv));
        fprintf(out, " | %7s %7s %6s",
                cli_coverage_kinds_fig(json_object_get(o, "households_covered"), a, sizeof a, 0),
                cli_coverage_kinds_fig(json_object_get(o, "share_covered"), b, sizeof b, 1),
                cli_coverage_kinds_fig(json_object_get(o, "median_min"), d, sizeof d, 0));
    }
    fprintf(out, " | %s\n",
            escape_text(esc, sizeof esc, json_is_string(name) ? json_string_value(name) : label));
}

/* The table a person reads. */
static void cli_coverage_kinds_text(FILE *out, const json_t *m, int official)
{
    const json_t *kinds = json_object_get(m, "kinds");
    const json_t *field = json_object_get(m, "field");
    fprintf(out, "Coverage within %.0f min (%.0f m) of %zu kinds%s%s%s\n",
            json_number_value(json_object_get(m, "minutes")),
            json_number_value(json_object_get(m, "limit_m")), json_array_size(kinds),
            json_is_string(field) ? ", field " : "",
            json_is_string(field) ? json_string_value(field) : "",
            official ? " (as an official sees it: counts below 5 hidden)" : "");
    fprintf(out, "  %-12s %6s", "", "");
    size_t i;
    const json_t *kv, *row;
    json_array_foreach(kinds, i, kv) fprintf(out, " | %-22.22s", json_string_value(kv));
    fputs(" |\n", out);
    fprintf(out, "  %-12s %6s", "code", "hh");
    json_array_foreach(kinds, i, kv) fprintf(out, " | %7s %7s %6s", "covered", "share", "median");
    fputs(" | district\n", out);
    json_array_foreach(json_object_get(m, "districts"), i, row)
        cli_coverage_kinds_row(out, row, kinds, "(no district)");
    cli_coverage_kinds_row(out, json_object_get(m, "total"), kinds, "total");
}

int cli_coverage_kinds(struct cli_ctx *c, const struct coverage_text *t, int json, int csv,
                       int official)
{
    struct err e = {0};
    if (json && csv) {
        err_set(&e, ERR_INPUT, "choose one of --json and --csv");
        return cli_fail(&e);
    }
    if (t->kind == NULL) {
        err_set(&e, ERR_INPUT, "--official needs --kind (one kind or a list a,b,c)");
        return cli_fail(&e);
    }
    /* The parameters but the kinds, checked once (and the off-network limit
     * the network is loaded with). */
    struct coverage_text rest = *t;
    rest.kind = NULL;
    struct coverage_params p;
    if (coverage_params_parse(&rest, "--", &p, &e) != ERR_OK)
        return cli_fail(&e);
    struct cli_plan_env env;
    json_t *m = NULL;
    int rc = cli_plan_open(c, p.walk.max_snap_m, 0, &env, &e);
    if (rc == ERR_OK)
        rc = http_coverage_kinds_doc(env.st, env.net, env.ws, t, "--", official, &m, &e);
    if (rc == ERR_OK && json) {
        if (json_dumpf(m, c->out, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) != 0)
            rc = err_set(&e, ERR_IO, "cannot write the answer");
        fputc('\n', c->out);
    } else if (rc == ERR_OK && csv) {
        if (coverage_kinds_csv(c->out, m) != ERR_OK)
            rc = err_set(&e, ERR_IO, "cannot write the table");
    } else if (rc == ERR_OK) {
        cli_coverage_kinds_text(c->out, m, official);
    }
    json_decref(m);
    cli_plan_close(&env);
    return rc == ERR_OK ? 0 : cli_fail(&e);
}
