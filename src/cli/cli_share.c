/* SPDX-License-Identifier: MIT */
/* cli_share.c - sharing and protecting households on the command line
 * (issue 13; the rules are the store's, store_shares.h):
 *   tsunagu households share ID --agency A --basis consent|meeting|referral
 *                            --reason TEXT [--until YYYY-MM-DD]
 *   tsunagu households unshare ID --agency A
 *   tsunagu households shares ID [--json]
 *   tsunagu households protect ID
 *   tsunagu households unprotect ID
 *   tsunagu households commissioner ID yes|no
 * The local operator acts on any household (whoever can run tsunagu on the
 * database file); a refusal is one sentence on stderr, a non-zero exit and
 * the database unchanged. Every change is recorded in the audit log before
 * it is made (the operator as "cli:LOGIN", endpoint "cli households
 * SUBCOMMAND"), in the same hash chain as the API's records of the same
 * changes; a change whose record cannot be written is not made. Entry
 * point: cli_share_households. */
#include "audit.h"
#include "cli.h"
#include "escape.h"
#include "consent.h"
#include "store.h"
#include "store_commissioner.h"
#include "store_shares.h"

#include <jansson.h>
#include <string.h>

static const char cli_share_usage[] =
    "usage: tsunagu households share ID --agency A --basis consent|meeting|referral --reason TEXT "
    "[--until YYYY-MM-DD]\n"
    "       tsunagu households unshare ID --agency A\n"
    "       tsunagu households shares ID [--json]\n"
    "       tsunagu households protect ID\n"
    "       tsunagu households unprotect ID\n"
    "       tsunagu households commissioner ID yes|no\n";

/* Opens the store read-write; NULL after printing the sentence. */
static struct store *cli_share_open(struct cli_ctx *c, struct err *e)
{
    struct store *st = store_open(c->db_path, e);
    if (st == NULL)
        cli_fail(e);
    return st;
}

/* Records the change `command` to household id before it is made; the
 * store is opened first (store_open migrates the log). NULL after printing
 * the sentence. */
static struct store *cli_share_begin(struct cli_ctx *c, const char *command, const char *id,
                                     struct err *e)
{
    struct store *st = cli_share_open(c, e);
    const char *ids[1] = {id};
    if (st != NULL && cli_visits_audit(c, command, ids, 1, e) != ERR_OK) {
        store_close(st);
        cli_fail(e);
        return NULL;
    }
    return st;
}

/* `households share ID ...`. */
static int cli_share_add(struct cli_ctx *c, int argc, char **argv)
{
    struct err e = {0};
    const char *agency = NULL, *basis = NULL, *reason = NULL, *until = NULL;
    const struct cli_opt opts[] = {{"agency", &agency, NULL},
                                   {"basis", &basis, NULL},
                                   {"reason", &reason, NULL},
                                   {"until", &until, NULL},
                                   {NULL, NULL, NULL}};
    const char *pos[1];
    int np = 0;
    if (cli_parse(argc, argv, 2, opts, NULL, NULL, pos, 1, &np, &e) != ERR_OK)
        return cli_fail(&e);
    if (np != 1 || agency == NULL || basis == NULL || reason == NULL) {
        fputs(cli_share_usage, stderr);
        return 2;
    }
    char who[AUDIT_OPERATOR_MAX];
    audit_operator(who, sizeof who);
    struct store_share sh = {.ext_id = pos[0],
                             .agency = agency,
                             .basis = basis,
                             .reason = reason,
                             .until = until,
                             .by = who};
    struct store *st = cli_share_begin(c, "cli households share", pos[0], &e);
    if (st == NULL)
        return err_exit_status(e.code);
    long id = 0;
    int rc = store_share_add(st, &sh, NULL, &id, &e);
    store_close(st);
    if (rc != ERR_OK)
        return cli_fail(&e);
    char b[2][ESCAPE_TEXT_MAX];
    fprintf(c->out, "shared with %s (%s%s%s) as share %ld\n",
            escape_text(b[0], sizeof b[0], agency), basis, until ? ", until " : "",
            until ? escape_text(b[1], sizeof b[1], until) : "", id);
    return fflush(c->out) == 0 ? 0 : 4;
}

/* `households unshare ID --agency A`. */
static int cli_share_remove(struct cli_ctx *c, int argc, char **argv)
{
    struct err e = {0};
    const char *agency = NULL;
    const struct cli_opt opts[] = {{"agency", &agency, NULL}, {NULL, NULL, NULL}};
    const char *pos[1];
    int np = 0;
    if (cli_parse(argc, argv, 2, opts, NULL, NULL, pos, 1, &np, &e) != ERR_OK)
        return cli_fail(&e);
    if (np != 1 || agency == NULL) {
        fputs(cli_share_usage, stderr);
        return 2;
    }
    struct store *st = cli_share_begin(c, "cli households unshare", pos[0], &e);
    if (st == NULL)
        return err_exit_status(e.code);
    int rc = store_share_remove(st, pos[0], agency, NULL, &e);
    store_close(st);
    if (rc != ERR_OK)
        return cli_fail(&e);
    char b[ESCAPE_TEXT_MAX];
    fprintf(c->out, "no longer shared with %s\n", escape_text(b, sizeof b, agency));
    return fflush(c->out) == 0 ? 0 : 4;
}

/* Where `households shares` writes. */
struct cli_share_list {
    FILE *out;   /* stdout */
    json_t *doc; /* the --json array, or NULL for lines */
};

static int cli_share_row(void *ctx, const struct store_share *sh, int active)
{
    struct cli_share_list *l = ctx;
    if (l->doc) {
        json_t *o =
            json_pack("{s:I,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:b}", "share", (json_int_t)sh->id,
                      "agency", sh->agency, "basis", sh->basis, "reason", sh->reason, "from",
                      sh->from, "until", sh->until, "by", sh->by, "active", active);
        return o && json_array_append_new(l->doc, o) == 0 ? ERR_OK : ERR_NOMEM;
    }
    char b[5][ESCAPE_TEXT_MAX];
    fprintf(l->out, "  %-4ld %-20s %-9s %-10s %-10s %-8s %s\n", sh->id,
            escape_text(b[0], sizeof b[0], sh->agency), escape_text(b[1], sizeof b[1], sh->basis),
            escape_text(b[2], sizeof b[2], sh->from),
            sh->until ? escape_text(b[3], sizeof b[3], sh->until) : "-",
            active ? "active" : "inactive", escape_text(b[4], sizeof b[4], sh->reason));
    return ERR_OK;
}

/* `households shares ID [--json]`. */
static int cli_share_list(struct cli_ctx *c, int argc, char **argv)
{
    struct err e = {0};
    int json = 0;
    static const char *const flags[] = {"json", NULL};
    int *dest[] = {&json};
    const char *pos[1];
    int np = 0;
    if (cli_parse(argc, argv, 2, NULL, flags, dest, pos, 1, &np, &e) != ERR_OK)
        return cli_fail(&e);
    if (np != 1) {
        fputs(cli_share_usage, stderr);
        return 2;
    }
    struct store *st = cli_share_open(c, &e);
    if (st == NULL)
        return err_exit_status(e.code);
    struct cli_share_list l = {c->out, json ? json_array() : NULL};
    int rc = json && l.doc == NULL ? err_nomem(&e) : ERR_OK;
    struct store_sharing_state ss;
    if (rc == ERR_OK)
        rc = store_household_sharing(st, pos[0], NULL, &ss, &e);
    if (rc == ERR_OK) {
        if (!json)
            fprintf(c->out,
                    "consent: %s; protected: %s; commissioners may see: %s\n"
                    "  %-4s %-20s %-9s %-10s %-10s %-8s %s\n",
                    consent_name(ss.consent), ss.protected_ ? "yes" : "no",
                    ss.commissioner ? "yes" : "no", "id", "agency", "basis", "from", "until",
                    "state", "reason");
        rc = store_shares_each(st, pos[0], NULL, cli_share_row, &l, &e);
        if (rc == ERR_NOMEM)
            err_nomem(&e);
    }
    store_close(st);
    if (rc == ERR_OK && json) {
        json_t *doc =
            json_pack("{s:s,s:b,s:b,s:O}", "consent", consent_name(ss.consent), "protected",
                      ss.protected_, "commissioner", ss.commissioner, "shares", l.doc);
        json_decref(l.doc);
        l.doc = doc;
        if (doc == NULL)
            rc = err_nomem(&e);
    }
    if (rc == ERR_OK && json) {
        if (json_dumpf(l.doc, c->out, JSON_COMPACT) != 0 || fputc('\n', c->out) == EOF)
            rc = err_set(&e, ERR_IO, "cannot write the list");
    }
    json_decref(l.doc);
    if (rc != ERR_OK)
        return cli_fail(&e);
    return fflush(c->out) == 0 ? 0 : 4;
}

/* `households protect ID` (on = 1) and `households unprotect ID`. */
static int cli_share_protect(struct cli_ctx *c, int argc, char **argv, int on)
{
    struct err e = {0};
    const char *pos[1];
    int np = 0;
    if (cli_parse(argc, argv, 2, NULL, NULL, NULL, pos, 1, &np, &e) != ERR_OK)
        return cli_fail(&e);
    if (np != 1) {
        fputs(cli_share_usage, stderr);
        return 2;
    }
    char who[AUDIT_OPERATOR_MAX];
    audit_operator(who, sizeof who);
    struct store *st =
        cli_share_begin(c, on ? "cli households protect" : "cli households unprotect", pos[0], &e);
    if (st == NULL)
        return err_exit_status(e.code);
    long removed = 0;
    int rc = store_household_protect(st, pos[0], on, who, NULL, &removed, &e);
    store_close(st);
    if (rc != ERR_OK)
        return cli_fail(&e);
    if (on)
        fprintf(c->out, "protected; %ld share(s) removed\n", removed);
    else
        fprintf(c->out, "no longer protected\n");
    return fflush(c->out) == 0 ? 0 : 4;
}

/* `households commissioner ID yes|no`: the "commissioners may see" flag. */
static int cli_share_commissioner(struct cli_ctx *c, int argc, char **argv)
{
    struct err e = {0};
    const char *pos[2];
    int np = 0;
    if (cli_parse(argc, argv, 2, NULL, NULL, NULL, pos, 2, &np, &e) != ERR_OK)
        return cli_fail(&e);
    if (np != 2 || (strcmp(pos[1], "yes") != 0 && strcmp(pos[1], "no") != 0)) {
        fputs(cli_share_usage, stderr);
        return 2;
    }
    int on = strcmp(pos[1], "yes") == 0;
    char who[AUDIT_OPERATOR_MAX];
    audit_operator(who, sizeof who);
    struct store *st = cli_share_begin(c, "cli households commissioner", pos[0], &e);
    if (st == NULL)
        return err_exit_status(e.code);
    int rc = store_household_commissioner(st, pos[0], on, who, NULL, &e);
    store_close(st);
    if (rc != ERR_OK)
        return cli_fail(&e);
    fprintf(c->out, on ? "commissioners of its district may see the household\n"
                       : "commissioners no longer see the household through the mark\n");
    return fflush(c->out) == 0 ? 0 : 4;
}

int cli_share_households(struct cli_ctx *c, int argc, char **argv)
{
    const char *sub = argc > 1 ? argv[1] : "";
    if (strcmp(sub, "share") == 0)
        return cli_share_add(c, argc, argv);
    if (strcmp(sub, "unshare") == 0)
        return cli_share_remove(c, argc, argv);
    if (strcmp(sub, "shares") == 0)
        return cli_share_list(c, argc, argv);
    if (strcmp(sub, "protect") == 0)
        return cli_share_protect(c, argc, argv, 1);
    if (strcmp(sub, "unprotect") == 0)
        return cli_share_protect(c, argc, argv, 0);
    if (strcmp(sub, "commissioner") == 0)
        return cli_share_commissioner(c, argc, argv);
    fputs(cli_share_usage, stderr);
    return 2;
}
