/* SPDX-License-Identifier: MIT */
/* cli_geocode.c - `tsunagu geocode [--json] [ADDRESS ...]`: places each
 * address (or each line of standard input when none is given) from the
 * database's address reference, in input order. Exit 0 when every address
 * matched, 3 when some did not (the batch goes on), 2 for bad input. */
#include "cli.h"
#include "geocode.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLI_GEOCODE_LINE_MAX 4096 /* bytes of one input line */

/* Answers one address on c->out; sets *missed when it matched nothing. */
static int cli_geocode_one(struct cli_ctx *c, struct geocoder *g, const char *addr, int json,
                           int *missed, struct err *e)
{
    struct geocode_result r;
    int rc = geocode_find(g, addr, strlen(addr), &r, e);
    if (rc == ERR_IO)
        return rc;
    if (rc != ERR_OK) {
        /* Bad text (not UTF-8, too long): an unmatched answer, not a stop. */
        err_clear(e);
        memset(&r, 0, sizeof r);
        r.level = GEOCODE_NONE;
    }
    if (r.level == GEOCODE_NONE)
        *missed = 1;
    if (json) {
        json_t *o = geocode_result_json(rc == ERR_OK ? addr : "", &r);
        char *text = o ? json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
        json_decref(o);
        if (text == NULL)
            return err_nomem(e);
        fprintf(c->out, "%s\n", text);
        free(text);
    } else if (r.level == GEOCODE_NONE) {
        fprintf(c->out, "%s\t-\t-\tunmatched\n", rc == ERR_OK ? addr : "(not valid text)");
    } else {
        fprintf(c->out, "%s\t%.6f\t%.6f\t%s\t%s\t%.0f\n", addr, r.lon, r.lat,
                geocode_level_name(r.level), r.matched, r.precision_m);
    }
    return ERR_OK;
}

int cli_geocode(struct cli_ctx *c, int argc, char **argv)
{
    struct err e = {0};
    int json = 0, help = 0;
    const struct cli_opt opts[] = {{NULL, NULL, NULL}};
    const char *const flags[] = {"json", "help", NULL};
    int *flag_dest[] = {&json, &help};
    enum { MAXPOS = 1000 };
    static const char *pos[MAXPOS];
    int np = 0;
    if (cli_parse(argc, argv, 1, opts, flags, flag_dest, pos, MAXPOS, &np, &e) != ERR_OK || help) {
        fputs("usage: tsunagu [--db FILE] geocode [--json] [ADDRESS ...]\n"
              "  without ADDRESS, each line of standard input is one address;\n"
              "  exit 3 when some address matched nothing\n",
              help ? stdout : stderr);
        return help ? 0 : cli_fail(&e);
    }
    struct store *st = store_open_readonly(c->db_path, &e);
    if (st == NULL)
        return cli_fail(&e);
    struct geocoder *g = geocode_open(st, &e);
    if (g == NULL) {
        store_close(st);
        return cli_fail(&e);
    }
    int missed = 0, rc = ERR_OK;
    if (!json)
        fputs("query\tlon\tlat\tlevel\tmatched\tprecision_m\n", c->out);
    for (int i = 0; i < np && rc == ERR_OK; i++)
        rc = cli_geocode_one(c, g, pos[i], json, &missed, &e);
    if (np == 0) {
        char line[CLI_GEOCODE_LINE_MAX];
        long n = 0;
        while (rc == ERR_OK && fgets(line, sizeof line, stdin)) {
            n++;
            size_t len = strlen(line);
            if (len == sizeof line - 1 && line[len - 1] != '\n') {
                rc = err_set(&e, ERR_LIMIT, "standard input line %ld is longer than %d bytes", n,
                             CLI_GEOCODE_LINE_MAX - 2);
                break;
            }
            while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
                line[--len] = '\0';
            rc = cli_geocode_one(c, g, line, json, &missed, &e);
        }
    }
    geocode_close(g);
    store_close(st);
    if (rc != ERR_OK)
        return cli_fail(&e);
    return missed ? 3 : 0;
}
