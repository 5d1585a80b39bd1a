/* SPDX-License-Identifier: MIT */
/* cli_walk.c - `tsunagu walk`: resources within N minutes on foot of a
 * point, as a table a person reads or, with --json, the walk_json document. */
#include "cli.h"
#include "escape.h"
#include "isochrone.h"
#include "vocab.h"
#include "walk.h"
#include "walk_json.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int cli_number(const char *text, const char *name, double *out, struct err *e)
{
    return walk_parse_number(text, "--", name, out, e);
}

int cli_walk_query(const struct cli_walk_args *a, struct walk_query *q, struct err *e)
{
    const struct walk_query_text t = {a->lon,    a->lat,     a->minutes,      a->speed,
                                      a->kind,   a->field,   a->steps_factor, a->max_snap,
                                      a->target, a->open_at, a->open_on};
    return walk_query_parse(&t, "--", q, e);
}

/* Loads the walking engine of the database for one CLI query; the store is
 * closed again at once (the net keeps what it needs). NULL with `e` set. */
static struct walk_net *cli_walk_net(const struct cli_ctx *c, const struct walk_query *q,
                                     struct err *e)
{
    struct store *st = store_open_readonly(c->db_path, e);
    if (st == NULL)
        return NULL;
    struct walk_net *net = walk_net_load(st, q->max_snap_m, e);
    store_close(st);
    if (net != NULL && getenv("TSUNAGU_VERBOSE") != NULL) {
        /* Says which way the graph came (README "Performance"). */
        static const char *const from[] = {[WALK_GRAPH_BUILT] = "built from the database",
                                           [WALK_GRAPH_BUILT_SAVED] =
                                               "built from the database and saved",
                                           [WALK_GRAPH_MAPPED] = "mapped from the graph file"};
        struct walk_net_stats ns;
        walk_net_stats(net, &ns);
        fprintf(stderr, "walking network: %s (%u edges, %.1f ms)\n", from[ns.graph_from], ns.edges,
                ns.load_ms);
    }
    return net;
}

int cli_walk(struct cli_ctx *c, int argc, char **argv)
{
    struct err e = {0};
    struct cli_walk_args a = {0};
    int json = 0;
    const struct cli_opt opts[] = {CLI_WALK_OPTS(a),
                                   {"open-at", &a.open_at, NULL},
                                   {"open-on", &a.open_on, NULL},
                                   {NULL, NULL, NULL}};
    const char *const flags[] = {"json", NULL};
    int *fd[] = {&json};
    const char *pos[1];
    int np = 0;
    struct walk_query q;
    if (cli_parse(argc, argv, 1, opts, flags, fd, pos, 0, &np, &e) != ERR_OK ||
        cli_walk_query(&a, &q, &e) != ERR_OK)
        return cli_fail(&e);
    struct walk_net *net = cli_walk_net(c, &q, &e);
    if (net == NULL)
        return cli_fail(&e);
    struct walk_session *s = walk_session_new(net, &e);
    struct walk_result r;
    int rc = s ? walk_reachable(s, &q, &r, &e) : e.code;
    if (rc == ERR_OK && json) {
        json_t *doc = walk_json_reachable(net, &q, &r);
        rc = doc && json_dumpf(doc, c->out, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) == 0
                 ? ERR_OK
                 : err_nomem(&e);
        fputc('\n', c->out);
        json_decref(doc);
    } else if (rc == ERR_OK) {
        fprintf(c->out,
                "from %.6f, %.6f (%.0f m to the nearest street), %g minutes at %g m/min "
                "(%.0f m):\n",
                q.lon, q.lat, r.snap_m, q.minutes, r.speed, r.limit_m);
        char at[HOURS_TIME_TEXT];
        if (q.when.mode == HOURS_WHEN_AT)
            fprintf(c->out, "  open at %s (Japan time)\n",
                    hours_time_format(&q.when.at, at, sizeof at));
        else if (q.when.mode == HOURS_WHEN_ON)
            fprintf(c->out, "  open some time on %s\n", hours_weekday_name(q.when.wday));
        if (r.n == 0)
            fprintf(c->out, "  nothing matching is within reach\n");
        else
            fprintf(c->out, "  %5s %7s  %-16s %-22s %s\n", "min", "metres", "kind", "fields",
                    "name");
        for (size_t i = 0; i < r.n; i++) {
            const struct walk_resource *w = walk_net_resource(net, r.hits[i].resource);
            char b[4][ESCAPE_TEXT_MAX], next[HOURS_TIME_TEXT];
            int has_next = walk_json_next_open(w, &q, next, sizeof next);
            fprintf(c->out, "  %5.1f %7.0f  %-16s %-22s %s%s%s%s%s\n", r.hits[i].walk_m / r.speed,
                    r.hits[i].walk_m, escape_text(b[0], sizeof b[0], w->kind),
                    escape_text(b[1], sizeof b[1], w->fields),
                    escape_text(b[2], sizeof b[2], w->name), w->schedule ? "  | " : "",
                    escape_text(b[3], sizeof b[3], w->schedule), has_next ? "  | next " : "",
                    has_next ? next : "");
        }
    }
    walk_session_free(s);
    walk_net_free(net);
    return rc == ERR_OK ? 0 : cli_fail(&e);
}

int cli_isochrone(struct cli_ctx *c, int argc, char **argv)
{
    struct err e = {0};
    struct cli_walk_args a = {0};
    const char *margin = NULL;
    int json = 0;
    const struct cli_opt opts[] = {CLI_WALK_OPTS(a), {"margin", &margin, NULL}, {NULL, NULL, NULL}};
    const char *const flags[] = {"json", NULL};
    int *fd[] = {&json};
    const char *pos[1];
    int np = 0;
    struct walk_query q;
    double margin_m = 0;
    if (cli_parse(argc, argv, 1, opts, flags, fd, pos, 0, &np, &e) != ERR_OK ||
        cli_walk_query(&a, &q, &e) != ERR_OK || cli_number(margin, "margin", &margin_m, &e))
        return cli_fail(&e);
    struct walk_net *net = cli_walk_net(c, &q, &e);
    if (net == NULL)
        return cli_fail(&e);
    struct walk_session *s = walk_session_new(net, &e);
    json_t *f = s ? isochrone_geojson(s, net, &q, margin_m, &e) : NULL;
    int rc = f ? ERR_OK : e.code;
    if (f) {
        /* GeoJSON either way: --json only controls indentation. */
        json_dumpf(f, c->out, (json ? JSON_INDENT(2) : JSON_COMPACT) | JSON_REAL_PRECISION(10));
        fputc('\n', c->out);
        json_decref(f);
    }
    walk_session_free(s);
    walk_net_free(net);
    return rc == ERR_OK ? 0 : cli_fail(&e);
}
