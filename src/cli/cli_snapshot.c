/* SPDX-License-Identifier: MIT */
/* cli_snapshot.c - `tsunagu snapshot --label L --level LEVEL --kind a,b
 * [--minutes M] [--need TAG --per INDICATOR]` stores the official's
 * coverage (http_coverage_kinds.h), needs (disclose_needs.h) and equipment
 * answers with the data version and date (store_snapshots.h); `snapshot
 * --list` lists them; `coverage|needs|equipment --compare L` answers again
 * with the snapshot's parameters and shows each district's change.
 *
 * What is stored is what an official is shown: aggregates only, small
 * counts already hidden; never a household id. A change is shown only
 * between two figures that are both shown; anything hidden then or now
 * reads as hidden.
 *
 * Entry points: cli_snapshot, cli_snapshot_compare (cli.h). */
#include "cli.h"
#include "disclose.h"
#include "disclose_needs.h"
#include "equipment.h"
#include "equipment_json.h"
#include "escape.h"
#include "http_coverage_kinds.h"
#include "needs.h"
#include "needs_json.h"
#include "store_snapshots.h"
#include "utf8.h"
#include "walk.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLI_SNAPSHOT_PATH_MAX 160 /* bytes of a figure's path ("by_kind.salon.households") */

/* The parameters a snapshot is made with (borrowed strings, NULL: none). */
struct cli_snapshot_params {
    const char *level, *kinds, *minutes, *need, *per;
};

/* Parts of a snapshot. */
enum { CLI_SNAPSHOT_COVERAGE = 0, CLI_SNAPSHOT_NEEDS = 1, CLI_SNAPSHOT_EQUIPMENT = 2 };
static const char *const CLI_SNAPSHOT_PARTS[] = {"coverage", "needs", "equipment"};

/* Makes the official's answers of the parts in `mask` (bit per part) into
 * doc[] (new references) and the data version into *version. */
static int cli_snapshot_docs(struct cli_ctx *c, const struct cli_snapshot_params *sp, unsigned mask,
                             json_t *doc[3], unsigned long long *version, struct err *e)
{
    doc[0] = doc[1] = doc[2] = NULL;
    struct store *st = store_open_readonly(c->db_path, e);
    if (st == NULL)
        return e->code;
    int rc = store_tiles_version(st, version, e);
    struct walk_net *net = rc == ERR_OK ? walk_net_load(st, 0, e) : NULL;
    struct walk_session *ws = net ? walk_session_new(net, e) : NULL;
    if (rc == ERR_OK && ws == NULL)
        rc = e->code;
    if (rc == ERR_OK && (mask & 1u << CLI_SNAPSHOT_COVERAGE)) {
        struct coverage_text t = {0};
        t.minutes = sp->minutes;
        t.kind = sp->kinds;
        t.level = sp->level;
        rc = http_coverage_kinds_doc(st, net, ws, &t, "--", 1, &doc[CLI_SNAPSHOT_COVERAGE], e);
    }
    if (rc == ERR_OK && (mask & 1u << CLI_SNAPSHOT_NEEDS)) {
        struct needs_text t = {sp->level, sp->need, sp->per};
        struct needs_params p;
        struct needs_result *r = NULL;
        struct needs_view v = {0};
        rc = needs_params_parse(&t, "--", &p, e);
        if (rc == ERR_OK)
            rc = disclose_needs_answer(st, net, ws, &p, DISCLOSE_K, &r, &v, e);
        if (rc == ERR_OK && (doc[CLI_SNAPSHOT_NEEDS] = needs_json(r, &v)) == NULL)
            rc = err_nomem(e);
        needs_view_free(&v);
        needs_result_free(r);
    }
    if (rc == ERR_OK && (mask & 1u << CLI_SNAPSHOT_EQUIPMENT)) {
        struct equipment_text t = {sp->level, sp->kinds, sp->minutes};
        struct equipment_params p;
        struct equipment_result *r = NULL;
        rc = equipment_params_parse(&t, "--", &p, e);
        if (rc == ERR_OK)
            rc = equipment_run(st, net, ws, &p, &r, e);
        if (rc == ERR_OK && (doc[CLI_SNAPSHOT_EQUIPMENT] = equipment_json(r)) == NULL)
            rc = err_nomem(e);
        equipment_result_free(r);
    }
    walk_session_free(ws);
    walk_net_free(net);
    store_close(st);
    if (rc != ERR_OK)
        for (int i = 0; i < 3; i++) {
            json_decref(doc[i]);
            doc[i] = NULL;
        }
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
    struct cli_snapshot_params sp = {0};
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

/* A copy of what a compare needs from the stored snapshot. */
struct cli_snapshot_then {
    int part;
    json_t *params, *doc;
    char taken_at[32];
    unsigned long long version;
};

static int cli_snapshot_then(void *ctx, const struct store_snapshot *s)
{
    struct cli_snapshot_then *t = ctx;
    const char *docs[] = {s->coverage, s->needs, s->equipment};
    t->params = json_loads(s->params, 0, NULL);
    t->doc = docs[t->part] ? json_loads(docs[t->part], 0, NULL) : NULL;
    snprintf(t->taken_at, sizeof t->taken_at, "%s", s->taken_at);
    t->version = s->data_version;
    return ERR_OK;
}

/* Adds to `changes` every number under `now` (an object, path prefix
 * `path`) with the figure at the same path under `then`: {"then", "now",
 * "change"}, change null unless both are numbers. */
static int cli_snapshot_diff(const json_t *then, const json_t *now, const char *path,
                             json_t *changes)
{
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)now, key, v)
    {
        char p[CLI_SNAPSHOT_PATH_MAX];
        snprintf(p, sizeof p, "%s%s%s", path, path[0] ? "." : "", key);
        const json_t *w = json_object_get(then, key);
        if (json_is_object(v)) {
            if (cli_snapshot_diff(w, v, p, changes) != ERR_OK)
                return ERR_NOMEM;
            continue;
        }
        if (!json_is_number(v) && !json_is_number(w) && !json_is_string(v))
            continue; /* texts, flags and lists are no figures */
        if (strcmp(key, "code") == 0 || strcmp(key, "name") == 0)
            continue;
        json_t *ch = json_is_number(v) && json_is_number(w)
                         ? json_real(json_number_value(v) - json_number_value(w))
                         : json_null();
        json_t *o = json_pack("{s:O?, s:O?, s:o}", "then", w, "now", v, "change", ch);
        if (o == NULL || json_object_set_new(changes, p, o) != 0)
            return ERR_NOMEM;
    }
    return ERR_OK;
}

/* The row of `rows` with code `code` (json null for "(no district)"). */
static const json_t *cli_snapshot_row(const json_t *rows, const json_t *code)
{
    size_t i;
    const json_t *r;
    json_array_foreach(rows, i, r) if (json_equal(json_object_get(r, "code"), code)) return r;
    return NULL;
}

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
    struct cli_snapshot_then then = {0};
    for (int i = 0; i < 3; i++)
        if (strcmp(part, CLI_SNAPSHOT_PARTS[i]) == 0)
            then.part = i;
    struct store *st = store_open_readonly(c->db_path, &e);
    int rc = st ? store_snapshot_get(st, label, cli_snapshot_then, &then, &e) : e.code;
    store_close(st);
    if (rc == ERR_OK && (then.params == NULL || then.doc == NULL))
        rc = err_set(&e, ERR_IO, "the snapshot '%.64s' cannot be read", label);
    json_t *doc[3] = {NULL, NULL, NULL}, *out = NULL;
    unsigned long long version = 0;
    if (rc == ERR_OK) {
        struct cli_snapshot_params sp = {json_string_value(json_object_get(then.params, "level")),
                                         json_string_value(json_object_get(then.params, "kind")),
                                         json_string_value(json_object_get(then.params, "minutes")),
                                         json_string_value(json_object_get(then.params, "need")),
                                         json_string_value(json_object_get(then.params, "per"))};
        rc = cli_snapshot_docs(c, &sp, 1u << then.part, doc, &version, &e);
    }
    if (rc == ERR_OK) {
        json_t *now = doc[then.part], *rows = json_array();
        char v0[24], v1[24];
        snprintf(v0, sizeof v0, "%016llx", then.version);
        snprintf(v1, sizeof v1, "%016llx", version);
        out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:O, s:o}", "label", label, "part", part,
                        "taken_at", then.taken_at, "data_version_then", v0, "data_version_now", v1,
                        "params", then.params, "districts", rows);
        size_t i;
        const json_t *r;
        json_array_foreach(json_object_get(now, "districts"), i, r)
        {
            const json_t *code = json_object_get(r, "code");
            json_t *ch = json_object();
            json_t *row = json_pack("{s:O, s:O, s:o}", "code", code, "name",
                                    json_object_get(r, "name"), "changes", ch);
            if (row == NULL ||
                cli_snapshot_diff(cli_snapshot_row(json_object_get(then.doc, "districts"), code), r,
                                  "", ch) != ERR_OK ||
                json_array_append_new(rows, row) != 0)
                rc = err_nomem(&e);
        }
        json_t *tch = json_object();
        if (rc == ERR_OK &&
            (json_object_set_new(out, "total", json_pack("{s:o}", "changes", tch)) != 0 ||
             cli_snapshot_diff(json_object_get(then.doc, "total"), json_object_get(now, "total"),
                               "", tch) != ERR_OK))
            rc = err_nomem(&e);
    }
    if (rc == ERR_OK && json) {
        if (json_dumpf(out, c->out, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) != 0)
            rc = err_set(&e, ERR_IO, "cannot write the answer");
        fputc('\n', c->out);
    } else if (rc == ERR_OK) {
        char esc[200];
        fprintf(c->out,
                "%s: changes since snapshot '%s' (taken %s, data version %016llx; now data "
                "version %016llx); figures hidden then or now read 'hidden'\n",
                part, escape_text(esc, sizeof esc, label), then.taken_at, then.version, version);
        size_t i;
        const json_t *r;
        json_array_foreach(json_object_get(out, "districts"), i, r) cli_snapshot_print(c->out, r);
        cli_snapshot_print(c->out, json_object_get(out, "total"));
    }
    json_decref(out);
    for (int i = 0; i < 3; i++)
        json_decref(doc[i]);
    json_decref(then.params);
    json_decref(then.doc);
    return rc == ERR_OK ? 0 : cli_fail(&e);
}
