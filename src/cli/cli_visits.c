/* SPDX-License-Identifier: MIT */
/* cli_visits.c - home visits and the households' life cycle on the command
 * line, for the local operator (who may see every household):
 *   tsunagu visits add HOUSEHOLD --at YYYY-MM-DDTHH:MM --visitors A[,B]
 *                      --outcome WORD [--note TEXT] [--next-due YYYY-MM-DD]
 *   tsunagu visits list HOUSEHOLD [--json]
 *   tsunagu households overdue [--district LEVEL:CODE] [--level L] [--json]
 *   tsunagu households close HOUSEHOLD [--date YYYY-MM-DD | --reopen]
 *   tsunagu households purge --closed-before YYYY-MM-DD
 *   tsunagu export households --agency A
 * Each names households, so each is recorded in the audit log first as
 * the operator's ("cli:LOGIN", audit.h); when the record cannot be written
 * nothing is printed or stored. Bad input leaves the database unchanged,
 * with one sentence that never repeats a household id or a note.
 * Entry points: cli_visits, cli_households, cli_export_households,
 * cli_visits_audit. */
#include "audit.h"
#include "auth.h"
#include "cli.h"
#include "consent.h"
#include "date.h"
#include "escape.h"
#include "overdue.h"
#include "utf8.h"
#include "store_visits.h"
#include "visit.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char cli_visits_usage[] =
    "usage: tsunagu visits add HOUSEHOLD --at YYYY-MM-DDTHH:MM --visitors NAME[,NAME]\n"
    "                          --outcome WORD [--note TEXT] [--next-due YYYY-MM-DD]\n"
    "       tsunagu visits list HOUSEHOLD [--json]\n";

static const char cli_households_usage[] =
    "usage: tsunagu households overdue [--district LEVEL:CODE] [--level L] [--json]\n"
    "       tsunagu households close HOUSEHOLD [--date YYYY-MM-DD | --reopen]\n"
    "       tsunagu households purge --closed-before YYYY-MM-DD\n"
    "       tsunagu households share|unshare|shares|protect|unprotect|commissioner ... (see "
    "--help)\n";

/* Opens the store and checks that household `id` exists (the operator
 * sees every household): ERR_INPUT for an id that is not one, ERR_NOTFOUND
 * for none with it. *st is the open store on ERR_OK and ERR_NOTFOUND (the
 * caller closes it), NULL otherwise. */
static int cli_visits_household(struct cli_ctx *c, const char *id, struct store **st, struct err *e)
{
    *st = NULL;
    if (strlen(id) > VISIT_ID_MAX || !utf8_text_ok(id))
        return err_set(e, ERR_INPUT, "HOUSEHOLD must be a household id of 1-%d printable bytes",
                       VISIT_ID_MAX);
    if ((*st = store_open(c->db_path, e)) == NULL)
        return e->code;
    const char *ids[1] = {id};
    unsigned char in[1] = {0};
    struct store_scope all = {NULL, NULL, NULL, 0};
    int rc = store_scope_check(*st, &all, ids, 1, in, NULL, e);
    if (rc == ERR_OK && !in[0])
        rc = err_set(e, ERR_NOTFOUND, "there is no household with this id");
    return rc;
}

int cli_visits_audit(struct cli_ctx *c, const char *command, const char *const *ids, size_t n,
                     struct err *e)
{
    struct audit_log *a = audit_open(c->db_path, e);
    if (a == NULL)
        return e->code;
    audit_set_wait(a, 10000); /* the operator waits as long as SQLite's busy timeout */
    char who[AUDIT_OPERATOR_MAX];
    audit_operator(who, sizeof who);
    struct audit_read r = {who, "operator", command, "local", n, ids, NULL};
    int rc = audit_record(a, &r, e);
    audit_close(a);
    if (rc != ERR_OK)
        err_prefix(e, "nothing done: ");
    return rc;
}

static int cli_visits_add(struct cli_ctx *c, int argc, char **argv)
{
    struct err e = {0};
    struct visit_text t = {0};
    const struct cli_opt opts[] = {
        {"at", &t.at, NULL},     {"visitors", &t.visitors, NULL}, {"outcome", &t.outcome, NULL},
        {"note", &t.note, NULL}, {"next-due", &t.next_due, NULL}, {NULL, NULL, NULL}};
    const char *pos[1];
    int np = 0;
    if (cli_parse(argc, argv, 2, opts, NULL, NULL, pos, 1, &np, &e) != ERR_OK)
        return cli_fail(&e);
    if (np != 1) {
        fputs(cli_visits_usage, stderr);
        return 2;
    }
    t.household = pos[0];
    struct visit v;
    if (visit_parse(&t, "--", date_today(), &v, &e) != ERR_OK)
        return cli_fail(&e);
    char who[AUDIT_OPERATOR_MAX];
    audit_operator(who, sizeof who);
    /* The existence test first, so an unknown id leaves no audit record of
     * a write that never happened; then the record, then the write. */
    struct store *st;
    int rc = cli_visits_household(c, v.household, &st, &e);
    if (st == NULL)
        return cli_fail(&e);
    const char *ids[1] = {v.household};
    if (rc == ERR_OK)
        rc = cli_visits_audit(c, "cli visits add", ids, 1, &e);
    struct store_visit sv = {0,         v.household, v.at,       v.visitor1, v.visitor2,
                             v.outcome, v.note,      v.next_due, who,        NULL};
    long id = 0;
    if (rc == ERR_OK)
        rc = store_visit_add(st, &sv, &id, &e);
    store_close(st);
    if (rc != ERR_OK)
        return cli_fail(&e);
    fprintf(c->out, "recorded visit %ld (%s)%s%s\n", id, v.outcome,
            v.next_due[0] ? "; next visit due " : "", v.next_due);
    return 0;
}

/* Where `visits list` writes. */
struct cli_visits_out {
    FILE *out;   /* stdout */
    json_t *doc; /* the --json array, or NULL for lines */
    long n;      /* visits seen */
};

static int cli_visits_row(void *ctx, const struct store_visit *v)
{
    struct cli_visits_out *o = ctx;
    o->n++;
    if (o->doc) {
        json_t *visitors = json_pack("[s]", v->visitor1 ? v->visitor1 : "");
        if (visitors && v->visitor2)
            json_array_append_new(visitors, json_string(v->visitor2));
        json_t *r = json_pack("{s:I,s:s?,s:o,s:s?,s:s?,s:s?,s:s?,s:s?}", "id", (json_int_t)v->id,
                              "at", v->at, "visitors", visitors ? visitors : json_array(),
                              "outcome", v->outcome, "note", v->note, "next_due", v->next_due,
                              "recorded_by", v->recorded_by, "recorded_at", v->recorded_at);
        return r && json_array_append_new(o->doc, r) == 0 ? ERR_OK : ERR_NOMEM;
    }
    char b[6][ESCAPE_TEXT_MAX];
    char who[2 * ESCAPE_TEXT_MAX + 2];
    snprintf(who, sizeof who, "%s%s%s", escape_text(b[0], sizeof b[0], v->visitor1),
             v->visitor2 ? "+" : "",
             v->visitor2 ? escape_text(b[1], sizeof b[1], v->visitor2) : "");
    fprintf(o->out, "%-16s  %-14s %-20s %-10s  %s\n", v->at ? v->at : "",
            escape_text(b[2], sizeof b[2], v->outcome), who, v->next_due ? v->next_due : "-",
            v->note ? escape_text(b[3], sizeof b[3], v->note) : "");
    return ERR_OK;
}

static int cli_visits_list(struct cli_ctx *c, int argc, char **argv)
{
    struct err e = {0};
    int json = 0;
    const char *const flags[] = {"json", NULL};
    int *fd[] = {&json};
    const char *pos[1];
    int np = 0;
    if (cli_parse(argc, argv, 2, NULL, flags, fd, pos, 1, &np, &e) != ERR_OK)
        return cli_fail(&e);
    if (np != 1) {
        fputs(cli_visits_usage, stderr);
        return 2;
    }
    struct store *st;
    int rc = cli_visits_household(c, pos[0], &st, &e);
    if (st == NULL)
        return cli_fail(&e);
    const char *ids[1] = {pos[0]};
    if (rc == ERR_OK)
        rc = cli_visits_audit(c, "cli visits list", ids, 1, &e);
    struct cli_visits_out o = {c->out, json ? json_array() : NULL, 0};
    if (rc == ERR_OK && json && o.doc == NULL)
        rc = err_nomem(&e);
    if (rc == ERR_OK && !json)
        fprintf(c->out, "%-16s  %-14s %-20s %-10s  %s\n", "at", "outcome", "visitors", "next due",
                "note");
    if (rc == ERR_OK)
        rc = store_visits_each(st, pos[0], 100000, cli_visits_row, &o, &e);
    if (rc == ERR_NOMEM)
        rc = err_nomem(&e);
    if (rc == ERR_OK && json) {
        json_dumpf(o.doc, c->out, JSON_INDENT(2));
        fputc('\n', c->out);
    } else if (rc == ERR_OK) {
        fprintf(c->out, "(%ld visit%s)\n", o.n, o.n == 1 ? "" : "s");
    }
    json_decref(o.doc);
    store_close(st);
    return rc == ERR_OK ? 0 : cli_fail(&e);
}

int cli_visits(struct cli_ctx *c, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "add") == 0)
        return cli_visits_add(c, argc, argv);
    if (argc >= 2 && strcmp(argv[1], "list") == 0)
        return cli_visits_list(c, argc, argv);
    if (argc >= 2)
        fprintf(stderr, "tsunagu: unknown visits command '%.40s'\n", argv[1]);
    fputs(cli_visits_usage, stderr);
    return 2;
}

/* `households overdue`: the overdue list of the town or of one district. */
static int cli_households_overdue(struct cli_ctx *c, int argc, char **argv)
{
    struct err e = {0};
    const char *district = NULL, *level_t = NULL;
    int json = 0;
    const struct cli_opt opts[] = {
        {"district", &district, NULL}, {"level", &level_t, NULL}, {NULL, NULL, NULL}};
    const char *const flags[] = {"json", NULL};
    int *fd[] = {&json};
    const char *pos[1];
    int np = 0;
    if (cli_parse(argc, argv, 2, opts, flags, fd, pos, 0, &np, &e) != ERR_OK)
        return cli_fail(&e);
    char dl[AUTH_TEXT_MAX + 1] = "", dc[AUTH_TEXT_MAX + 1] = "";
    if (district && auth_district_parse(district, dl, dc, &e) != ERR_OK)
        return cli_fail(&e);
    struct store *st = store_open(c->db_path, &e);
    if (st == NULL)
        return cli_fail(&e);
    int rc = ERR_OK;
    if (district && !store_district_exists(st, dl, dc))
        rc = err_set(&e, ERR_NOTFOUND, "there is no district %.60s of level %.40s", dc, dl);
    const char *level = level_t ? level_t : district ? dl : "elementary";
    if (rc == ERR_OK && !store_level_exists(st, level))
        rc = level_t ? err_set(&e, ERR_NOTFOUND, "there is no district level '%.60s'", level_t)
                     : ERR_OK;
    if (rc == ERR_OK && !store_level_exists(st, level))
        level = NULL;
    struct store_scope sc = {NULL, district ? dl : NULL, district ? dc : NULL, 0};
    struct overdue_list l = {0};
    long today = date_today();
    if (rc == ERR_OK)
        rc = overdue_collect(st, district ? &sc : NULL, level, today, OVERDUE_MAX, &l, &e);
    const char **ids = rc == ERR_OK ? malloc((l.n + 1) * sizeof *ids) : NULL;
    if (rc == ERR_OK && ids == NULL)
        rc = err_nomem(&e);
    for (size_t i = 0; rc == ERR_OK && i < l.n; i++)
        ids[i] = l.v[i].ext_id;
    if (rc == ERR_OK)
        rc = cli_visits_audit(c, "cli households overdue", ids, l.n, &e);
    char day[DATE_DAY_LEN + 1];
    date_format_day(today, day, sizeof day);
    if (rc == ERR_OK && json) {
        json_t *arr = json_array();
        for (size_t i = 0; arr && i < l.n; i++)
            json_array_append_new(arr,
                                  json_pack("{s:s,s:s?,s:s,s:I,s:s,s:s?}", "id", l.v[i].ext_id,
                                            "district", l.v[i].district, "due", l.v[i].due,
                                            "days_late", (json_int_t)l.v[i].days_late, "last_visit",
                                            l.v[i].last_at, "last_outcome", l.v[i].last_outcome));
        json_t *doc = json_pack("{s:s,s:s?,s:o}", "today", day, "level", level, "households",
                                arr ? arr : json_array());
        json_dumpf(doc, c->out, JSON_INDENT(2));
        fputc('\n', c->out);
        json_decref(doc);
    } else if (rc == ERR_OK) {
        char b[2][ESCAPE_TEXT_MAX];
        fprintf(c->out,
                "Households whose next visit is due by %s%s%s: %zu, the most overdue first\n", day,
                district ? " in " : "", district ? escape_text(b[0], sizeof b[0], district) : "",
                l.n);
        fprintf(c->out, "  %-12s %-8s %-10s %5s  %-16s  %s\n", "household", "district", "due",
                "late", "last visit", "outcome");
        for (size_t i = 0; i < l.n; i++)
            fprintf(c->out, "  %-12s %-8s %-10s %5ld  %-16s  %s\n",
                    escape_text(b[0], sizeof b[0], l.v[i].ext_id),
                    l.v[i].district ? escape_text(b[1], sizeof b[1], l.v[i].district) : "-",
                    l.v[i].due, l.v[i].days_late, l.v[i].last_at,
                    l.v[i].last_outcome ? l.v[i].last_outcome : "-");
    }
    free(ids);
    overdue_list_free(&l);
    store_close(st);
    return rc == ERR_OK ? 0 : cli_fail(&e);
}

/* `households close`: sets (or with --reopen clears) the closed date. */
static int cli_households_close(struct cli_ctx *c, int argc, char **argv)
{
    struct err e = {0};
    const char *date = NULL;
    int reopen = 0;
    const struct cli_opt opts[] = {{"date", &date, NULL}, {NULL, NULL, NULL}};
    const char *const flags[] = {"reopen", NULL};
    int *fd[] = {&reopen};
    const char *pos[1];
    int np = 0;
    if (cli_parse(argc, argv, 2, opts, flags, fd, pos, 1, &np, &e) != ERR_OK)
        return cli_fail(&e);
    if (np != 1 || (reopen && date)) {
        fputs(cli_households_usage, stderr);
        return 2;
    }
    long day = date_today();
    if (date && date_day(date, "--date", &day, &e) != ERR_OK)
        return cli_fail(&e);
    if (day > date_today()) {
        err_set(&e, ERR_INPUT, "--date lies in the future: close a case once it is closed");
        return cli_fail(&e);
    }
    char d[DATE_DAY_LEN + 1];
    date_format_day(day, d, sizeof d);
    struct store *st;
    int rc = cli_visits_household(c, pos[0], &st, &e);
    if (st == NULL)
        return cli_fail(&e);
    const char *ids[1] = {pos[0]};
    if (rc == ERR_OK)
        rc = cli_visits_audit(c, reopen ? "cli households reopen" : "cli households close", ids, 1,
                              &e);
    if (rc == ERR_OK)
        rc = store_household_close(st, pos[0], reopen ? NULL : d, &e);
    store_close(st);
    if (rc != ERR_OK)
        return cli_fail(&e);
    if (reopen)
        fprintf(c->out, "the household's case is open again\n");
    else
        fprintf(c->out, "the household's case is closed as of %s\n", d);
    return 0;
}

/* Ids collected from a store walk (owned copies). */
struct cli_visits_ids {
    char **v;
    size_t n, cap;
};

static int cli_visits_take(void *ctx, const char *id)
{
    struct cli_visits_ids *l = ctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        char **p = realloc(l->v, cap * sizeof *p);
        if (p == NULL)
            return ERR_NOMEM;
        l->v = p, l->cap = cap;
    }
    if ((l->v[l->n] = strdup(id ? id : "")) == NULL)
        return ERR_NOMEM;
    l->n++;
    return ERR_OK;
}

static void cli_visits_ids_free(struct cli_visits_ids *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

/* `households purge --closed-before DATE`: removes the households closed
 * before DATE, their visits, and their ids from the audit log (which
 * keeps a commitment in their place; the chain still verifies). The purge
 * is itself recorded first, naming the ids, which it then removes too. */
static int cli_households_purge(struct cli_ctx *c, int argc, char **argv)
{
    struct err e = {0};
    const char *before = NULL;
    const struct cli_opt opts[] = {{"closed-before", &before, NULL}, {NULL, NULL, NULL}};
    const char *pos[1];
    int np = 0;
    if (cli_parse(argc, argv, 2, opts, NULL, NULL, pos, 0, &np, &e) != ERR_OK)
        return cli_fail(&e);
    long day;
    if (before == NULL) {
        fputs(cli_households_usage, stderr);
        return 2;
    }
    if (date_day(before, "--closed-before", &day, &e) != ERR_OK)
        return cli_fail(&e);
    if (day > date_today() + 1) {
        err_set(&e, ERR_INPUT, "--closed-before lies in the future");
        return cli_fail(&e);
    }
    struct store *st = store_open(c->db_path, &e);
    if (st == NULL)
        return cli_fail(&e);
    struct cli_visits_ids l = {0};
    int rc = store_households_closed(st, before, cli_visits_take, &l, &e);
    if (rc == ERR_NOMEM)
        rc = err_nomem(&e);
    if (rc == ERR_OK && l.n > 0)
        rc = cli_visits_audit(c, "cli households purge", (const char *const *)l.v, l.n, &e);
    struct store_purge pr = {0};
    if (rc == ERR_OK && l.n > 0)
        rc = store_households_purge(st, (const char *const *)l.v, l.n, &pr, &e);
    store_close(st);
    cli_visits_ids_free(&l);
    if (rc != ERR_OK)
        return cli_fail(&e);
    fprintf(c->out,
            "purged %ld household%s closed before %s, %ld visit%s; their ids replaced by "
            "commitments in %ld audit record%s (the hash chain still verifies)\n",
            pr.households, pr.households == 1 ? "" : "s", before, pr.visits,
            pr.visits == 1 ? "" : "s", pr.audit_records, pr.audit_records == 1 ? "" : "s");
    return 0;
}

int cli_households(struct cli_ctx *c, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "purge") == 0)
        return cli_households_purge(c, argc, argv);
    if (argc >= 2 && strcmp(argv[1], "overdue") == 0)
        return cli_households_overdue(c, argc, argv);
    if (argc >= 2 && strcmp(argv[1], "close") == 0)
        return cli_households_close(c, argc, argv);
    static const char *const sharing[] = {"share",   "unshare",   "shares",
                                          "protect", "unprotect", "commissioner"};
    for (size_t i = 0; argc >= 2 && i < sizeof sharing / sizeof sharing[0]; i++)
        if (strcmp(argv[1], sharing[i]) == 0)
            return cli_share_households(c, argc, argv);
    if (argc >= 2)
        fprintf(stderr, "tsunagu: unknown households command '%.40s'\n", argv[1]);
    fputs(cli_households_usage, stderr);
    return 2;
}

/* What `export households` writes. */
struct cli_export_out {
    FILE *out;                 /* stdout */
    struct cli_visits_ids ids; /* the ids written, for the audit record */
};

static int cli_export_row(void *ctx, const struct store_export_row *r)
{
    struct cli_export_out *o = ctx;
    if (cli_visits_take(&o->ids, r->ext_id) != ERR_OK)
        return ERR_NOMEM;
    return ERR_OK;
}

static int cli_export_print(void *ctx, const struct store_export_row *r)
{
    FILE *out = ctx;
    escape_csv(out, r->ext_id);
    fprintf(out, ",%d,", r->members);
    escape_csv(out, r->needs);
    fprintf(out, ",%s,", consent_name(r->consent));
    escape_csv(out, r->agency);
    fprintf(out, ",%s,%.7f,%.7f,%s\n", r->closed ? r->closed : "", r->lon, r->lat,
            r->last_visit ? r->last_visit : "");
    return ERR_OK;
}

int cli_export_households(struct cli_ctx *c, int argc, char **argv)
{
    struct err e = {0};
    const char *agency = NULL;
    const struct cli_opt opts[] = {{"agency", &agency, NULL}, {NULL, NULL, NULL}};
    const char *pos[1];
    int np = 0;
    if (argc < 2 || strcmp(argv[1], "households") != 0 ||
        cli_parse(argc, argv, 2, opts, NULL, NULL, pos, 0, &np, &e) != ERR_OK || agency == NULL) {
        if (e.code)
            return cli_fail(&e);
        fputs("usage: tsunagu export households --agency A\n", stderr);
        return 2;
    }
    if (strlen(agency) > AUTH_TEXT_MAX || !utf8_text_ok(agency)) {
        err_set(&e, ERR_INPUT, "--agency must be UTF-8 text of at most %d bytes", AUTH_TEXT_MAX);
        return cli_fail(&e);
    }
    struct store *st = store_open(c->db_path, &e);
    if (st == NULL)
        return cli_fail(&e);
    /* The ids first (for the record), then the record, then the rows. */
    struct cli_export_out o = {c->out, {0}};
    int rc = store_households_export(st, agency, cli_export_row, &o, &e);
    if (rc == ERR_NOMEM)
        rc = err_nomem(&e);
    if (rc == ERR_OK)
        rc =
            cli_visits_audit(c, "cli export households", (const char *const *)o.ids.v, o.ids.n, &e);
    if (rc == ERR_OK) {
        fputs("id,members,needs,consent,agency,closed,lon,lat,last_visit\n", c->out);
        rc = store_households_export(st, agency, cli_export_print, c->out, &e);
    }
    cli_visits_ids_free(&o.ids);
    store_close(st);
    return rc == ERR_OK ? 0 : cli_fail(&e);
}
