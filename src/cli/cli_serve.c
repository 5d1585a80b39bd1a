/* SPDX-License-Identifier: MIT */
/* cli_serve.c - `tsunagu serve [--config FILE] [--db-dir DIR] [--port 8080] [--bind 127.0.0.1]
 * [--threads N]
 * [--max-per-ip 32] [--timeout 30] [--trusted-proxy ADDR[,ADDR]] [--tls-cert F --tls-key F]
 * [--insecure-http] [--log-format text|json] [--web DIR] [--quiet]`: runs the HTTP service
 * (server.h) on the database until SIGTERM or SIGINT. Every option may also come from the
 * configuration file (cli_config.h); the command line, then $TSUNAGU_DB / $TSUNAGU_WEB, then the
 * file, then the defaults. cli_serve_db is the same service for `tsunagu demo`. */
#include "cli.h"
#include "cli_config.h"
#include "num.h"
#include "server.h"

#include <stdlib.h>
#include <string.h>

/* Parses an unsigned option within [min, max]; leaves *out when text is NULL. */
static int cli_serve_uint(const char *text, const char *name, unsigned long min, unsigned long max,
                          unsigned *out, struct err *e)
{
    if (text == NULL)
        return ERR_OK;
    long v;
    if (text[0] == '-' || num_long(text, 0, name, (long)min, (long)max, &v, NULL) != ERR_OK)
        return err_set(e, ERR_INPUT, "--%s must be a whole number between %lu and %lu", name, min,
                       max);
    *out = (unsigned)v;
    return ERR_OK;
}

/* Turns the option texts into server options (ERR_INPUT naming the option). */
static int cli_serve_opts(const struct cli_serve_text *t, struct server_opts *o, struct err *e)
{
    *o = (struct server_opts){.bind = t->bind,
                              .port = 8080,
                              .quiet = t->quiet,
                              .trusted_proxy = t->proxy,
                              .tls_cert = t->tls_cert,
                              .tls_key = t->tls_key,
                              .insecure_http = t->insecure_http};
    if (t->log_format && strcmp(t->log_format, "json") == 0)
        o->log_json = 1;
    else if (t->log_format && strcmp(t->log_format, "text") != 0)
        return err_set(e, ERR_INPUT, "--log-format must be text or json");
    if (cli_serve_uint(t->port, "port", 0, 65535, &o->port, e) != ERR_OK ||
        cli_serve_uint(t->threads, "threads", 1, SERVER_THREADS_MAX, &o->threads, e) != ERR_OK ||
        cli_serve_uint(t->per_ip, "max-per-ip", 1, SERVER_CONNECTIONS_MAX, &o->per_ip, e) !=
            ERR_OK ||
        cli_serve_uint(t->timeout, "timeout", 1, SERVER_TIMEOUT_MAX, &o->timeout, e) != ERR_OK)
        return ERR_INPUT;
    return ERR_OK;
}

int cli_serve_db(struct cli_ctx *c, const char *db, const struct cli_serve_text *t)
{
    struct err e = {0};
    struct server_opts o;
    if (cli_serve_opts(t, &o, &e) != ERR_OK)
        return cli_fail(&e);
    if (server_serve(db, &o, c->out, &e) != ERR_OK)
        return cli_fail(&e);
    return 0;
}

/* Fills what the command line left unset from the configuration file at
 * `path` (kept in *cfg for the values' lifetime), then checks the values,
 * blaming the file's line for a bad one it gave. */
static int cli_serve_config(struct cli_ctx *c, const char *path, const struct cli_opt *opts,
                            const char *const *flags, int **fd, struct cli_config **cfg,
                            struct err *e)
{
    const char *keys[CLI_CONFIG_KEYS_MAX + 1];
    int n = 0;
    keys[n++] = "db";
    for (int k = 0; opts[k].name && n < CLI_CONFIG_KEYS_MAX; k++)
        if (strcmp(opts[k].name, "config") != 0)
            keys[n++] = opts[k].name;
    for (int k = 0; flags[k] && n < CLI_CONFIG_KEYS_MAX; k++)
        keys[n++] = flags[k];
    keys[n] = NULL;
    if ((*cfg = cli_config_read(path, keys, e)) == NULL)
        return e->code;
    for (int k = 0; opts[k].name; k++)
        if (*opts[k].dest == NULL)
            *opts[k].dest = cli_config_get(*cfg, opts[k].name);
    for (int k = 0; flags[k]; k++)
        if (*fd[k] == 0 && cli_config_flag(*cfg, flags[k], fd[k], e) != ERR_OK)
            return e->code;
    if (!c->db_given && cli_config_get(*cfg, "db"))
        c->db_path = cli_config_get(*cfg, "db");
    return ERR_OK;
}

int cli_serve(struct cli_ctx *c, int argc, char **argv)
{
    struct err e = {0};
    struct cli_serve_text t = {0};
    const char *config = NULL, *web = NULL, *db_dir = NULL;
    const struct cli_opt opts[] = {
        {"config", &config, "configuration file of key = value lines (default none)"},
        {"db-dir", &db_dir,
         "serve every CODE.db in this directory under /m/CODE/ (instead of one database)"},
        {"port", &t.port, "TCP port (default 8080; 0 = any free port)"},
        {"bind", &t.bind, "address to listen on (default 127.0.0.1)"},
        {"threads", &t.threads, "worker threads (default: one per CPU)"},
        {"max-per-ip", &t.per_ip, "open connections per client address (default 32)"},
        {"timeout", &t.timeout, "seconds a connection may stay silent (default 30)"},
        {"trusted-proxy", &t.proxy,
         "reverse proxy address(es) whose Forwarded/X-Forwarded-Proto is believed (default none)"},
        {"tls-cert", &t.tls_cert, "PEM certificate chain: serve HTTPS (with --tls-key)"},
        {"tls-key", &t.tls_key, "PEM private key of --tls-cert"},
        {"log-format", &t.log_format, "request log: text (default) or json"},
        {"web", &web, "directory of the web page (default: beside the program)"},
        {NULL, NULL, NULL}};
    const char *const flags[] = {"quiet", "insecure-http", NULL};
    int *fd[] = {&t.quiet, &t.insecure_http};
    const char *pos[1];
    int np = 0;
    if (cli_parse(argc, argv, 1, opts, flags, fd, pos, 0, &np, &e) != ERR_OK)
        return cli_fail(&e);
    struct cli_config *cfg = NULL;
    int rc = 0;
    if (config && cli_serve_config(c, config, opts, flags, fd, &cfg, &e) != ERR_OK) {
        rc = cli_fail(&e);
        goto done;
    }
    struct server_opts o;
    if (cli_serve_opts(&t, &o, &e) != ERR_OK) {
        /* Name the file's line when the bad value came from it. */
        for (int k = 0; opts[k].name; k++)
            if (*opts[k].dest && strstr(e.msg, opts[k].name))
                cli_config_blame(cfg, opts[k].name, *opts[k].dest, &e);
        rc = cli_fail(&e);
        goto done;
    }
    /* The web root travels as $TSUNAGU_WEB (paths.h), set before any thread
     * starts; an environment variable already set wins over the file. */
    if (web && (cli_config_get(cfg, "web") != web || getenv("TSUNAGU_WEB") == NULL) &&
        setenv("TSUNAGU_WEB", web, 1) != 0) {
        err_set(&e, ERR_NOMEM, "cannot set the web directory");
        rc = cli_fail(&e);
        goto done;
    }
    if (db_dir && (c->db_given || cli_config_get(cfg, "db"))) {
        err_set(&e, ERR_INPUT, "give --db or --db-dir, not both");
        rc = cli_fail(&e);
    } else if (db_dir ? server_serve_dir(db_dir, &o, c->out, &e) != ERR_OK
                      : server_serve(c->db_path, &o, c->out, &e) != ERR_OK)
        rc = cli_fail(&e);
done:
    cli_config_free(cfg);
    return rc;
}
