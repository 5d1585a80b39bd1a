/* SPDX-License-Identifier: MIT */
/* cli.h - the command-line edge: each command parses its options, calls the
 * core, prints results, and turns a struct err into one sentence on stderr
 * plus an exit status. main.c only dispatches to these.
 *
 * Entry points: cli_parse, cli_fail, cli_number, cli_walk_query, cli_import,
 * cli_walk, cli_isochrone, cli_info, cli_generate_demo, cli_demo,
 * cli_coverage, cli_suggest, cli_route, cli_needs, cli_equipment, cli_serve, cli_user, cli_audit,
 * cli_backup, cli_check, cli_restore, cli_geocode, cli_help, cli_serve_db,
 * cli_visits, cli_households, cli_resources, cli_export, cli_export_households,
 * cli_share_households, cli_plan_open, cli_plan_close, cli_report, cli_visits_audit,
 * cli_coverage_kinds, cli_snapshot, cli_snapshot_compare.
 */
#ifndef TSUNAGU_CLI_H
#define TSUNAGU_CLI_H

#include "err.h"
#include <stdio.h>

/* State shared by every command. */
struct cli_ctx {
    const char *db_path; /* --db FILE, TSUNAGU_DB, or "tsunagu.db" */
    FILE *out;           /* where results go (stdout) */
    int db_given;        /* 1 when --db or TSUNAGU_DB named it (serve --config's db yields) */
};

/* A string option of a command: --name VALUE stored at *dest. */
struct cli_opt {
    const char *name;  /* long option name without "--" */
    const char **dest; /* where the value goes */
    const char *help;  /* one line of help */
};

/* Parses argv[first..] into `opts` (a table ending with a NULL name) and
 * collects positional arguments into pos (at most npos). Flags without values
 * are listed in `flags` (NULL-terminated names) and set *flag_dest[i] = 1.
 * Returns ERR_INPUT naming an unknown option or a missing value. */
int cli_parse(int argc, char **argv, int first, const struct cli_opt *opts,
              const char *const *flags, int **flag_dest, const char **pos, int npos, int *npos_out,
              struct err *e);

/* Prints "tsunagu: <message>" on stderr and returns the exit status for it. */
int cli_fail(const struct err *e);

/* Parses a finite number option into *out; leaves *out when text is NULL. */
int cli_number(const char *text, const char *name, double *out, struct err *e);

/* The options of a walking query, shared by walk and isochrone. */
struct cli_walk_args {
    const char *lon, *lat, *minutes, *speed, *kind, *field, *steps_factor, *max_snap, *target;
    const char *open_at, *open_on; /* walk only (not in CLI_WALK_OPTS) */
};
#define CLI_WALK_OPTS(a)                                                                           \
    {"lon", &(a).lon, NULL}, {"lat", &(a).lat, NULL}, {"minutes", &(a).minutes, NULL},             \
        {"speed", &(a).speed, NULL}, {"kind", &(a).kind, NULL}, {"field", &(a).field, NULL},       \
        {"steps-factor", &(a).steps_factor, NULL}, {"target", &(a).target, NULL},                  \
    {                                                                                              \
        "max-snap", &(a).max_snap, NULL                                                            \
    }

struct walk_query;
/* Turns the parsed options into a query (ERR_INPUT naming the option). */
int cli_walk_query(const struct cli_walk_args *a, struct walk_query *q, struct err *e);

int cli_import(struct cli_ctx *c, int argc, char **argv);
/* `geocode [--json] [ADDRESS ...]` (cli_geocode.c). */
int cli_geocode(struct cli_ctx *c, int argc, char **argv);
int cli_walk(struct cli_ctx *c, int argc, char **argv);
int cli_isochrone(struct cli_ctx *c, int argc, char **argv);
int cli_info(struct cli_ctx *c, int argc, char **argv);
int cli_generate_demo(struct cli_ctx *c, int argc, char **argv);
int cli_demo(struct cli_ctx *c, int argc, char **argv);
/* Needs per district (cli_needs.c). */
int cli_needs(struct cli_ctx *c, int argc, char **argv);

/* Resources per kind and district (cli_equipment.c). */
int cli_equipment(struct cli_ctx *c, int argc, char **argv);

/* Planning (cli_plan.c): coverage audit, new sites, outreach routes. */
int cli_coverage(struct cli_ctx *c, int argc, char **argv);
struct coverage_text;
/* `snapshot --label L ...` and `snapshot --list` (cli_snapshot.c). */
int cli_snapshot(struct cli_ctx *c, int argc, char **argv);
/* `coverage|needs|equipment --compare L`: `part` is "coverage", "needs" or
 * "equipment"; the answer again with the snapshot's parameters and each
 * district's change (--json: `json`). Returns the exit code. */
int cli_snapshot_compare(struct cli_ctx *c, const char *label, const char *part, int json);
/* `coverage --kind a,b,c`: one column group per kind (cli_coverage_kinds.c);
 * `official` hides small counts as /api/coverage does. Returns the exit code. */
int cli_coverage_kinds(struct cli_ctx *c, const struct coverage_text *t, int json, int csv,
                       int official);
int cli_suggest(struct cli_ctx *c, int argc, char **argv);
int cli_route(struct cli_ctx *c, int argc, char **argv);
/* `report --level L --kind K --out FILE.pdf|FILE.png` (cli_report.c). */
int cli_report(struct cli_ctx *c, int argc, char **argv);

struct store;
struct walk_net;
struct walk_session;
struct audit_log;
/* What every planning command opens: the store (read-only), the net and a
 * session on it. */
struct cli_plan_env {
    struct store *st;        /* owned */
    struct walk_net *net;    /* owned */
    struct walk_session *ws; /* owned */
    struct audit_log *audit; /* owned; NULL for commands that name no household */
};
/* Opens what a command needs; `audited` also opens the audit log (first:
 * its read-write connection migrates an older schema). On failure env holds
 * what was opened: close it with cli_plan_close all the same. */
int cli_plan_open(struct cli_ctx *c, double max_snap_m, int audited, struct cli_plan_env *env,
                  struct err *e);
void cli_plan_close(struct cli_plan_env *env);
int cli_serve(struct cli_ctx *c, int argc, char **argv);
/* Access control (cli_user.c): `user add|list|revoke` and `audit --since`. */
int cli_user(struct cli_ctx *c, int argc, char **argv);
int cli_audit(struct cli_ctx *c, int argc, char **argv);
/* Visits and the households' life cycle (cli_visits.c): `visits add|list`,
 * `households overdue|close|purge`, and the sharing subcommands passed on
 * to cli_share_households. */
int cli_visits(struct cli_ctx *c, int argc, char **argv);
int cli_households(struct cli_ctx *c, int argc, char **argv);
/* `export households --agency A`: one agency's households as CSV, audited
 * (argv[0] is "export"; called by cli_export). */
int cli_export_households(struct cli_ctx *c, int argc, char **argv);
/* Sharing (cli_share.c): `households share|unshare|shares|protect|unprotect`
 * (argv[1] is the subcommand; called by cli_households). */
int cli_share_households(struct cli_ctx *c, int argc, char **argv);

/* Records in the audit log (the same hash chain as the API's records) that
 * the local operator ("cli:LOGIN", role operator) reads or changes
 * households ids[0..n) with `command` ("cli households share"); returns
 * once it is committed. On failure (the log cannot be written) the
 * sentence starts "nothing done: " and the caller must not go on. */
int cli_visits_audit(struct cli_ctx *c, const char *command, const char *const *ids, size_t n,
                     struct err *e);
/* Backups (cli_backup.c): `backup FILE`, `check`, `restore FILE`. */
int cli_backup(struct cli_ctx *c, int argc, char **argv);
int cli_check(struct cli_ctx *c, int argc, char **argv);
int cli_restore(struct cli_ctx *c, int argc, char **argv);

/* Prints the help of `command` (cli_help.c) to `to`; -1 when there is no
 * such command. */
int cli_help(const char *command, FILE *to);

/* The options of `serve` as given; NULL for the default. */
struct cli_serve_text {
    const char *port;       /* default 8080 */
    const char *bind;       /* default 127.0.0.1 */
    const char *threads;    /* default one per CPU */
    const char *per_ip;     /* connections per client address, default SERVER_PER_IP_DEFAULT */
    const char *timeout;    /* idle seconds, default SERVER_TIMEOUT_DEFAULT */
    const char *proxy;      /* --trusted-proxy ADDR[,ADDR], default none */
    const char *tls_cert;   /* --tls-cert FILE (PEM), default none: plain HTTP */
    const char *tls_key;    /* --tls-key FILE (PEM), with tls_cert */
    const char *log_format; /* --log-format text|json, default text */
    int quiet;              /* 1 = no request log */
    int insecure_http;      /* 1 = plain HTTP allowed on a non-loopback address */
};

/* Serves the database `db` over HTTP until SIGTERM/SIGINT (see server.h)
 * with the options of t. Returns the exit status (2 for an option out of
 * range). */
int cli_serve_db(struct cli_ctx *c, const char *db, const struct cli_serve_text *t);

/* `tsunagu resources history ID [--json]` (cli_register.c). */
int cli_resources(struct cli_ctx *c, int argc, char **argv);

/* `tsunagu export resources --format csv|geojson [--level L] [--output FILE]`
 * and `export households` (cli_export_households) (cli_register.c). */
int cli_export(struct cli_ctx *c, int argc, char **argv);

#endif
