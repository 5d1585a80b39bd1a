/* SPDX-License-Identifier: MIT */
/* cli_snapshot.c - `tsunagu snapshot --label L --level LEVEL --kind a,b
 * [--minutes M] [--need TAG --per INDICATOR]` stores the official's
 * coverage (http_coverage_kinds.h), needs (disclose_needs.h) and equipment
 * answers with the data version and date (store_snapshots.h); `snapshot
 * --list` lists them; `coverage|needs|equipment --compare L` answers again
 * with the snapshot's parameters and shows each district's change. The
 * answers and the comparison are http_snapshot.h's (the report's change
 * column uses the same).
 *
 * What is stored is what an official is shown: aggregates only, small
 * counts already hidden; never a household id. A change is shown only
 * between two figures that are both shown; anything hidden then or now
 * reads as hidden.
 *
 * Entry points: cli_snapshot, cli_snapshot_compare (cli.h). */
#include "cli.h"
#include "disclose.h"
#include "escape.h"
#include "http_snapshot.h"
#include "store_snapshots.h"
#include "utf8.h"
#include "walk.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Opens the database read-only with its network and makes the official's
 * answers of the parts in `mask` (http_snapshot_docs). */
static int cli_snapshot_docs(struct cli_ctx *c, const struct http_snapshot_params *sp,
                             unsigned mask, json_t *doc[HTTP_SNAPSHOT_NPARTS],
                             unsigned long long *version, struct err *e)
{
    doc[0] = doc[1] = doc[2] = NULL;
    struct store *st = store_open_readonly(c->db_path, e);
    if (st == NULL)
        return e->code;
    struct walk_net *net = walk_net_load(st, 0, e);
    struct walk_session *ws = net ? walk_session_new(net, e) : NULL;
    int rc = ws ? http_snapshot_docs(st, net, ws, sp, mask, doc, version, e) : e->code;
    walk_session_free(ws);
    walk_net_free(net);
    store_close(st);
    return rc;
}

/* Checks a label: 1 to STORE_SNAPSHOT_LABEL_MAX bytes of UTF-8 text
 * without control characters, not starting with '-' or a space. */
static int cli_snapshot_label(const char *label, struct err *e)
{
    if (label == NULL || label[0] == '\0')
        return err_set(e, ERR_INPUT, "snapshot needs --label (e.g. --label 2026年度)");
    if (strlen(label) > STORE_SNAPSHOT_LABEL_MAX)
        return err_set(e, ERR_LIMIT, "--label is longer than %d bytes", STORE_SNAPSHOT_LABEL_MAX);
    if (!utf8_text_ok(label) || label[0] == '-' || label[0] == ' ' ||
        label[strlen(label) - 1] == ' ')
        return err_set(e, ERR_INPUT,
                       "--label must be UTF-8 text without control characters, not starting "
                       "with '-' and without spaces around it");
    return ERR_OK;
}

/* Prints one snapshot of the list. */
static int cli_snapshot_list_row(void *ctx, const struct store_snapshot *s)
{
    FILE *out = ctx;
    char esc[200];
    json_t *p = json_loads(s->params, 0, NULL);
    const char *level = json_string_value(json_object_get(p, "level"));
    const char *kinds = json_string_value(json_object_get(p, "kind"));
    fprintf(out, "%-20s %s  data version %016llx  level %s  kinds %s\n",
            escape_text(esc, sizeof esc, s->label), s->taken_at, s->data_version,
            level ? level : "-", kinds ? kinds : "-");
    json_decref(p);
    return ERR_OK;
}

int cli_snapshot(struct cli_ctx *c, int argc, char **argv)
{
    struct err e = {0};
    struct http_snapshot_params sp = {0};
    const char *label = NULL;
    int list = 0;
    const struct cli_opt opts[] = {{"label", &label, NULL},   {"level", &sp.level, NULL},
                                   {"kind", &sp.kinds, NULL}, {"minutes", &sp.minutes, NULL},
                                   {"need", &sp.need, NULL},  {"per", &sp.per, NULL},
                                   {NULL, NULL, NULL}};
    const char *const flags[] = {"list", NULL};
    int *fd[] = {&list};
    const char *pos[1];
    int np = 0;
    if (cli_parse(argc, argv, 1, opts, flags, fd, pos, 0, &np, &e) != ERR_OK)
        return cli_fail(&e);
    if (list) {
        struct store *st = store_open_readonly(c->db_path, &e);
        int rc = st ? store_snapshots_each(st, cli_snapshot_list_row, c->out, &e) : e.code;
        store_close(st);
        return rc == ERR_OK ? 0 : cli_fail(&e);
    }
    if (cli_snapshot_label(label, &e) != ERR_OK)
        return cli_fail(&e);
    if (sp.level == NULL || sp.kinds == NULL) {
        err_set(&e, ERR_INPUT, "snapshot needs --level and --kind (one kind or a list a,b,c)");
        return cli_fail(&e);
    }
    /* Read-write first: an older database gets the snapshots table (and
     * the label is checked free) before anything is computed. */
    struct store *rw = store_open(c->db_path, &e);
    if (rw == NULL)
        return cli_fail(&e);
    store_close(rw);
    json_t *doc[3];
    unsigned long long version = 0;
    if (cli_snapshot_docs(c, &sp, 7u, doc, &version, &e) != ERR_OK)
        return cli_fail(&e);
    json_t *params = json_pack("{s:s, s:s, s:s?, s:s?, s:s?}", "level", sp.level, "kind", sp.kinds,
                               "minutes", sp.minutes, "need", sp.need, "per", sp.per);
    char *text[4] = {params ? json_dumps(params, JSON_COMPACT) : NULL, NULL, NULL, NULL};
    for (int i = 0; i < 3; i++)
        text[i + 1] = json_dumps(doc[i], JSON_COMPACT);
    int rc = text[0] && text[1] && text[2] && text[3] ? ERR_OK : err_nomem(&e);
    struct store *st = rc == ERR_OK ? store_open(c->db_path, &e) : NULL;
    if (rc == ERR_OK && st == NULL)
        rc = e.code;
    struct store_snapshot s = {label, NULL, version, text[0], text[1], text[2], text[3]};
    if (rc == ERR_OK)
        rc = store_snapshot_insert(st, &s, &e);
    store_close(st);
    if (rc == ERR_OK) {
        char esc[200];
        fprintf(c->out,
                "snapshot '%s' stored: coverage of %s, needs and equipment for level %s, as an "
                "official sees them (counts below %d hidden), data version %016llx\n",
                escape_text(esc, sizeof esc, label), sp.kinds, sp.level, DISCLOSE_K, version);
    }
    for (int i = 0; i < 4; i++)
        free(text[i]);
    for (int i = 0; i < 3; i++)
        json_decref(doc[i]);
    json_decref(params);
    return rc == ERR_OK ? 0 : cli_fail(&e);
}

/* ------------------------------------------------------------- comparing */

/* Prints a figure for the table. */
static void cli_snapshot_fig(FILE *out, const json_t *v)
{
    if (json_is_integer(v))
        fprintf(out, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        fprintf(out, "%.4g", json_real_value(v));
    else if (json_is_string(v))
        fputs(json_string_value(v), out);
    else
        fputs("hidden", out);
}

/* Prints the changed figures of one district (or the total). */
static void cli_snapshot_print(FILE *out, const json_t *row)
{
    char esc[200];
    const json_t *code = json_object_get(row, "code"), *name = json_object_get(row, "name");
    const json_t *changes = json_object_get(row, "changes");
    int head = 0;
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)changes, key, v)
    {
        const json_t *ch = json_object_get(v, "change");
        if (json_is_number(ch) && fabs(json_number_value(ch)) < 1e-9)
            continue;
        if (json_equal(json_object_get(v, "then"), json_object_get(v, "now")))
            continue;
        if (!head++)
            fprintf(out, "%s %s\n", json_is_string(code) ? json_string_value(code) : "",
                    escape_text(esc, sizeof esc,
                                json_is_string(name) ? json_string_value(name) : "total"));
        fprintf(out, "  %-44s ", key);
        cli_snapshot_fig(out, json_object_get(v, "then"));
        fputs(" -> ", out);
        cli_snapshot_fig(out, json_object_get(v, "now"));
        if (json_is_number(ch))
            fprintf(out, "  (%+.4g)", json_number_value(ch));
        fputc('\n', out);
    }
}

int cli_snapshot_compare(struct cli_ctx *c, const char *label, const char *part, int json)
{
    struct err e = {0};
    int which = HTTP_SNAPSHOT_COVERAGE;
    for (int i = 0; i < HTTP_SNAPSHOT_NPARTS; i++)
        if (strcmp(part, http_snapshot_part_name(i)) == 0)
            which = i;
    json_t *out = NULL;
    struct store *st = store_open_readonly(c->db_path, &e);
    struct walk_net *net = st ? walk_net_load(st, 0, &e) : NULL;
    struct walk_session *ws = net ? walk_session_new(net, &e) : NULL;
    int rc = ws ? http_snapshot_compare(st, net, ws, label, which, &out, &e) : e.code;
    walk_session_free(ws);
    walk_net_free(net);
    store_close(st);
    if (rc == ERR_OK && json) {
        if (json_dumpf(out, c->out, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) != 0)
            rc = err_set(&e, ERR_IO, "cannot write the answer");
        fputc('\n', c->out);
    } else if (rc == ERR_OK) {
        char esc[200];
        fprintf(c->out,
                "%s: changes since snapshot '%s' (taken %s, data version %s; now data "
                "version %s); figures hidden then or now read 'hidden'\n",
                part, escape_text(esc, sizeof esc, label),
                json_string_value(json_object_get(out, "taken_at")),
                json_string_value(json_object_get(out, "data_version_then")),
                json_string_value(json_object_get(out, "data_version_now")));
        size_t i;
        const json_t *r;
        json_array_foreach(json_object_get(out, "districts"), i, r) cli_snapshot_print(c->out, r);
        cli_snapshot_print(c->out, json_object_get(out, "total"));
    }
    json_decref(out);
    return rc == ERR_OK ? 0 : cli_fail(&e);
}
