/* SPDX-License-Identifier: MIT */
/* cli_serve.c - `tsunagu serve [--port 8080] [--bind 127.0.0.1] [--threads N]
 * [--max-per-ip 32] [--timeout 30] [--trusted-proxy ADDR[,ADDR]] [--quiet]`: runs the HTTP
 * service (server.h) on the database until SIGTERM or SIGINT. cli_serve_db is the same service
 * for `tsunagu demo`. */
#include "cli.h"
#include "num.h"
#include "server.h"

#include <stdlib.h>

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

int cli_serve_db(struct cli_ctx *c, const char *db, const struct cli_serve_text *t)
{
    struct err e = {0};
    struct server_opts o = {
        .bind = t->bind, .port = 8080, .quiet = t->quiet, .trusted_proxy = t->proxy};
    if (cli_serve_uint(t->port, "port", 0, 65535, &o.port, &e) != ERR_OK ||
        cli_serve_uint(t->threads, "threads", 1, SERVER_THREADS_MAX, &o.threads, &e) != ERR_OK ||
        cli_serve_uint(t->per_ip, "max-per-ip", 1, SERVER_CONNECTIONS_MAX, &o.per_ip, &e) !=
            ERR_OK ||
        cli_serve_uint(t->timeout, "timeout", 1, SERVER_TIMEOUT_MAX, &o.timeout, &e) != ERR_OK)
        return cli_fail(&e);
    if (server_serve(db, &o, c->out, &e) != ERR_OK)
        return cli_fail(&e);
    return 0;
}

int cli_serve(struct cli_ctx *c, int argc, char **argv)
{
    struct err e = {0};
    struct cli_serve_text t = {0};
    const struct cli_opt opts[] = {
        {"port", &t.port, "TCP port (default 8080; 0 = any free port)"},
        {"bind", &t.bind, "address to listen on (default 127.0.0.1)"},
        {"threads", &t.threads, "worker threads (default: one per CPU)"},
        {"max-per-ip", &t.per_ip, "open connections per client address (default 32)"},
        {"timeout", &t.timeout, "seconds a connection may stay silent (default 30)"},
        {"trusted-proxy", &t.proxy,
         "reverse proxy address(es) whose Forwarded/X-Forwarded-Proto is believed (default none)"},
        {NULL, NULL, NULL}};
    const char *const flags[] = {"quiet", NULL};
    int *fd[] = {&t.quiet};
    const char *pos[1];
    int np = 0;
    if (cli_parse(argc, argv, 1, opts, flags, fd, pos, 0, &np, &e) != ERR_OK)
        return cli_fail(&e);
    return cli_serve_db(c, c->db_path, &t);
}
