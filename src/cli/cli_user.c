/* SPDX-License-Identifier: MIT */
/* cli_user.c - user management and the audit log, on the command line only
 * (the HTTP service never manages users or shows the log):
 *   tsunagu user add NAME --role admin|coordinator|outreach|official|editor|commissioner
 *                         [--agency A] [--district LEVEL:CODE]
 *   tsunagu user list [--json]
 *   tsunagu user revoke NAME
 *   tsunagu audit --since DATE [--json]
 *   tsunagu audit --verify
 * `user add` prints the new token once on stdout (nothing else goes there)
 * and stores only its SHA-256 (auth.h). Entry points: cli_user, cli_audit. */
#include "auth.h"
#include "cli.h"
#include "escape.h"
#include "store.h"
#include "store_audit.h"
#include "utf8.h"

#include <jansson.h>
#include <string.h>

static const char cli_user_usage[] =
    "usage: tsunagu user add NAME --role admin|coordinator|outreach|official|editor|commissioner "
    "[--agency A] [--district LEVEL:CODE]\n"
    "       tsunagu user list [--json]\n"
    "       tsunagu user revoke NAME\n";

/* `user add`: checks the user, makes a token, stores its hash, prints it. */
static int cli_user_add(struct cli_ctx *c, int argc, char **argv)
{
    struct err e = {0};
    const char *role = NULL, *agency = NULL, *district = NULL;
    const struct cli_opt opts[] = {{"role", &role, NULL},
                                   {"agency", &agency, NULL},
                                   {"district", &district, NULL},
                                   {NULL, NULL, NULL}};
    const char *pos[1];
    int np = 0;
    struct auth_user u;
    memset(&u, 0, sizeof u);
    if (cli_parse(argc, argv, 2, opts, NULL, NULL, pos, 1, &np, &e) != ERR_OK)
        return cli_fail(&e);
    if (np != 1 || role == NULL) {
        fputs(cli_user_usage, stderr);
        return 2;
    }
    if (strlen(pos[0]) > AUTH_NAME_MAX || (agency && strlen(agency) > AUTH_TEXT_MAX)) {
        err_set(&e, ERR_INPUT, "a user name is at most %d bytes and an agency at most %d",
                AUTH_NAME_MAX, AUTH_TEXT_MAX);
        return cli_fail(&e);
    }
    if (!utf8_text_ok(pos[0]) || (agency && !utf8_text_ok(agency)) ||
        (district && !utf8_text_ok(district))) {
        err_set(&e, ERR_INPUT, "a user name, agency or district must be UTF-8 text");
        return cli_fail(&e);
    }
    snprintf(u.name, sizeof u.name, "%s", pos[0]);
    snprintf(u.agency, sizeof u.agency, "%s", agency ? agency : "");
    if (auth_role_parse(role, &u.role, &e) != ERR_OK ||
        (district && auth_district_parse(district, u.level, u.district, &e) != ERR_OK) ||
        auth_user_check(&u, &e) != ERR_OK)
        return cli_fail(&e);
    struct store *st = store_open(c->db_path, &e);
    if (st == NULL)
        return cli_fail(&e);
    char token[AUTH_TOKEN_LEN + 1];
    unsigned char hash[AUTH_HASH_BYTES];
    int rc = ERR_OK;
    if (u.district[0] && !store_district_exists(st, u.level, u.district))
        rc = err_set(&e, ERR_NOTFOUND, "there is no %s district with code %s; import it first",
                     u.level, u.district);
    if (rc == ERR_OK)
        rc = auth_token_new(token, &e);
    if (rc == ERR_OK) {
        auth_token_hash(token, hash);
        struct store_user su = {
            .name = u.name,
            .role = auth_role_name(u.role),
            .agency = u.agency[0] ? u.agency : NULL,
            .level = u.district[0] ? u.level : NULL,
            .district = u.district[0] ? u.district : NULL,
        };
        rc = store_user_add(st, &su, hash, &e);
    }
    store_close(st);
    if (rc != ERR_OK) {
        memset(token, 0, sizeof token);
        return cli_fail(&e);
    }
    fprintf(stderr,
            "tsunagu: user %s (%s) added; its token follows, shown only this once (only its "
            "hash is stored). Send it as Authorization: Bearer TOKEN.\n",
            u.name, auth_role_name(u.role));
    fprintf(c->out, "%s\n", token);
    memset(token, 0, sizeof token);
    return fflush(c->out) == 0 ? 0 : 4;
}

/* Where `user list` writes. */
struct cli_user_list {
    FILE *out;   /* stdout */
    json_t *doc; /* the --json array, or NULL for the table */
};

static int cli_user_row(void *ctx, const struct store_user *u)
{
    struct cli_user_list *l = ctx;
    if (l->doc) {
        json_t *o = json_pack("{s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?}", "name", u->name, "role",
                              u->role, "agency", u->agency, "district_level", u->level, "district",
                              u->district, "created", u->created, "revoked", u->revoked);
        return o && json_array_append_new(l->doc, o) == 0 ? ERR_OK : ERR_NOMEM;
    }
    char where[2 * AUTH_TEXT_MAX + 4] = "-";
    if (u->district)
        snprintf(where, sizeof where, "%s:%s", u->level ? u->level : "", u->district);
    char b[6][ESCAPE_TEXT_MAX];
    fprintf(l->out, "  %-20s %-12s %-16s %-20s %-21s %s\n", escape_text(b[0], sizeof b[0], u->name),
            escape_text(b[1], sizeof b[1], u->role),
            u->agency ? escape_text(b[2], sizeof b[2], u->agency) : "-",
            escape_text(b[3], sizeof b[3], where), escape_text(b[4], sizeof b[4], u->created),
            u->revoked ? escape_text(b[5], sizeof b[5], u->revoked) : "active");
    return ERR_OK;
}

static int cli_user_list(struct cli_ctx *c, int argc, char **argv)
{
    struct err e = {0};
    int json = 0;
    const char *const flags[] = {"json", NULL};
    int *fd[] = {&json};
    const char *pos[1];
    int np = 0;
    if (cli_parse(argc, argv, 2, NULL, flags, fd, pos, 0, &np, &e) != ERR_OK)
        return cli_fail(&e);
    struct store *st = store_open(c->db_path, &e);
    if (st == NULL)
        return cli_fail(&e);
    struct cli_user_list l = {c->out, json ? json_array() : NULL};
    int rc = json && l.doc == NULL ? err_nomem(&e) : ERR_OK;
    if (rc == ERR_OK && !json)
        fprintf(c->out, "  %-20s %-12s %-16s %-20s %-21s %s\n", "name", "role", "agency",
                "district", "created (UTC)", "revoked");
    if (rc == ERR_OK)
        rc = store_users_each(st, cli_user_row, &l, &e);
    if (rc == ERR_NOMEM)
        rc = err_nomem(&e);
    if (rc == ERR_OK && json) {
        if (json_dumpf(l.doc, c->out, JSON_INDENT(2)) != 0)
            rc = err_set(&e, ERR_IO, "cannot write the list");
        fputc('\n', c->out);
    }
    json_decref(l.doc);
    store_close(st);
    return rc == ERR_OK ? 0 : cli_fail(&e);
}

static int cli_user_revoke(struct cli_ctx *c, int argc, char **argv)
{
    struct err e = {0};
    const char *pos[1];
    int np = 0;
    if (cli_parse(argc, argv, 2, NULL, NULL, NULL, pos, 1, &np, &e) != ERR_OK)
        return cli_fail(&e);
    if (np != 1) {
        fputs(cli_user_usage, stderr);
        return 2;
    }
    struct store *st = store_open(c->db_path, &e);
    if (st == NULL)
        return cli_fail(&e);
    int rc = store_user_revoke(st, pos[0], &e);
    store_close(st);
    if (rc != ERR_OK)
        return cli_fail(&e);
    fprintf(c->out, "user %s revoked: its token no longer signs in\n", pos[0]);
    return 0;
}

int cli_user(struct cli_ctx *c, int argc, char **argv)
{
    if (argc < 2) {
        fputs(cli_user_usage, stderr);
        return 2;
    }
    if (strcmp(argv[1], "add") == 0)
        return cli_user_add(c, argc, argv);
    if (strcmp(argv[1], "list") == 0)
        return cli_user_list(c, argc, argv);
    if (strcmp(argv[1], "revoke") == 0)
        return cli_user_revoke(c, argc, argv);
    fprintf(stderr, "tsunagu: unknown user command '%.40s'\n", argv[1]);
    fputs(cli_user_usage, stderr);
    return 2;
}

/* ---- the audit log ---- */

/* 1 when text is YYYY-MM-DD, optionally followed by THH:MM[:SS]Z. */
static int cli_audit_date_ok(const char *t)
{
    static const char shape[] = "0000-00-00T00:00:00Z";
    size_t n = strlen(t);
    if (n != 10 && n != 17 && n != 20)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char want = i + 1 == n && n > 10 ? 'Z' : shape[i];
        if (want == '0' ? (t[i] < '0' || t[i] > '9') : t[i] != want)
            return 0;
    }
    int month = (t[5] - '0') * 10 + (t[6] - '0'), day = (t[8] - '0') * 10 + (t[9] - '0');
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/* Where `audit` writes. */
struct cli_audit_out {
    FILE *out;   /* stdout */
    json_t *doc; /* the --json array, or NULL for lines */
    long n;      /* records seen */
};

static int cli_audit_row(void *ctx, const struct store_audit *a)
{
    struct cli_audit_out *o = ctx;
    o->n++;
    if (o->doc) {
        json_t *ids = json_loads(a->ids ? a->ids : "[]", 0, NULL);
        json_t *via = a->via ? json_loads(a->via, 0, NULL) : NULL;
        json_t *r =
            json_pack("{s:s?,s:s?,s:s?,s:s?,s:s?,s:I,s:o,s:o?}", "at", a->at, "user", a->user,
                      "role", a->role, "endpoint", a->endpoint, "client", a->client, "households",
                      (json_int_t)a->households, "ids", ids ? ids : json_array(), "via", via);
        return r && json_array_append_new(o->doc, r) == 0 ? ERR_OK : ERR_NOMEM;
    }
    char b[7][ESCAPE_TEXT_MAX];
    fprintf(o->out, "%s  %-16s %-12s %-24s %-16s %5ld  %s%s%s\n",
            escape_text(b[0], sizeof b[0], a->at), escape_text(b[1], sizeof b[1], a->user),
            escape_text(b[2], sizeof b[2], a->role), escape_text(b[3], sizeof b[3], a->endpoint),
            escape_text(b[4], sizeof b[4], a->client), a->households,
            escape_text(b[5], sizeof b[5], a->ids ? a->ids : "[]"), a->via ? "  via " : "",
            a->via ? escape_text(b[6], sizeof b[6], a->via) : "");
    return ERR_OK;
}

/* `audit --verify`: recomputes the hash chain. Exit 0 with the count and
 * the last record's hash when every record fits, 1 naming the first record
 * that does not, the store's exit status when the log cannot be read. */
static int cli_audit_verify(struct cli_ctx *c)
{
    struct err e = {0};
    struct store *st = store_open(c->db_path, &e);
    if (st == NULL)
        return cli_fail(&e);
    struct store_audit_check k;
    int rc = store_audit_verify(st, &k, &e);
    store_close(st);
    if (rc != ERR_OK)
        return cli_fail(&e);
    if (k.broken_id != 0) {
        fprintf(stderr,
                "tsunagu: audit record %lld breaks the hash chain: it, or the record before it, "
                "was changed, inserted or removed (%ld records before it fit)\n",
                k.broken_id, k.records);
        return 1;
    }
    char hex[2 * STORE_AUDIT_HASH_BYTES + 1] = "";
    for (int i = 0; i < STORE_AUDIT_HASH_BYTES && k.records > 0; i++)
        snprintf(hex + 2 * i, 3, "%02x", k.head[i]);
    fprintf(c->out, "the audit log's %ld record%s form an unbroken hash chain", k.records,
            k.records == 1 ? "" : "s");
    if (k.records > 0)
        fprintf(c->out, "; the last, record %lld, has hash %s", k.last_id, hex);
    fputc('\n', c->out);
    return 0;
}

int cli_audit(struct cli_ctx *c, int argc, char **argv)
{
    struct err e = {0};
    const char *since = NULL;
    int json = 0, verify = 0;
    const struct cli_opt opts[] = {{"since", &since, NULL}, {NULL, NULL, NULL}};
    const char *const flags[] = {"json", "verify", NULL};
    int *fd[] = {&json, &verify};
    const char *pos[1];
    int np = 0;
    if (cli_parse(argc, argv, 1, opts, flags, fd, pos, 0, &np, &e) != ERR_OK)
        return cli_fail(&e);
    if (verify && (since != NULL || json)) {
        err_set(&e, ERR_INPUT, "--verify takes neither --since nor --json");
        return cli_fail(&e);
    }
    if (verify)
        return cli_audit_verify(c);
    if (since == NULL || !cli_audit_date_ok(since)) {
        err_set(&e, ERR_INPUT,
                "--since DATE is required, as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC)");
        return cli_fail(&e);
    }
    struct store *st = store_open(c->db_path, &e);
    if (st == NULL)
        return cli_fail(&e);
    struct cli_audit_out o = {c->out, json ? json_array() : NULL, 0};
    int rc = json && o.doc == NULL ? err_nomem(&e) : ERR_OK;
    if (rc == ERR_OK && !json)
        fprintf(c->out, "%-24s  %-16s %-12s %-24s %-16s %5s  %s\n", "at (UTC)", "user", "role",
                "endpoint", "client", "hh", "household ids");
    if (rc == ERR_OK)
        rc = store_audit_each(st, since, cli_audit_row, &o, &e);
    if (rc == ERR_NOMEM)
        rc = err_nomem(&e);
    if (rc == ERR_OK && json) {
        if (json_dumpf(o.doc, c->out, JSON_INDENT(2)) != 0)
            rc = err_set(&e, ERR_IO, "cannot write the audit log");
        fputc('\n', c->out);
    } else if (rc == ERR_OK) {
        fprintf(c->out, "(%ld record%s since %s)\n", o.n, o.n == 1 ? "" : "s", since);
    }
    json_decref(o.doc);
    store_close(st);
    return rc == ERR_OK ? 0 : cli_fail(&e);
}
