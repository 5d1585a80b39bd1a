/* SPDX-License-Identifier: MIT */
/* cli_info.c - `tsunagu info`: what the database holds (CRS, layers, counts),
 * and the resources whose schedule is not opening_hours (unparsed: import
 * keeps such text as written). Household figures are totals only. */
#include "cli.h"
#include "escape.h"
#include "crs.h"
#include "hours.h"
#include "store.h"

static void cli_info_level(void *ctx, const char *level, const char *label, long count)
{
    char b[2][ESCAPE_TEXT_MAX];
    fprintf((FILE *)ctx, "  districts %-14s %-10s %ld\n", escape_text(b[0], sizeof b[0], level),
            escape_text(b[1], sizeof b[1], label), count);
}

/* Schedules seen while listing resources. */
struct cli_info_sched {
    FILE *out;
    long with, unparsed; /* resources with a schedule; of which unparsed */
};

/* The names of resources whose schedule hours_parse refuses (first 50). */
static int cli_info_schedule(void *ctx, const struct store_resource_row *r)
{
    struct cli_info_sched *s = ctx;
    struct hours *h = NULL;
    if (r->schedule == NULL)
        return 0;
    s->with++;
    if (hours_parse(r->schedule, &h, NULL) == ERR_OK) {
        hours_free(h);
        return 0;
    }
    if (++s->unparsed <= 50) {
        char b[2][ESCAPE_TEXT_MAX];
        fprintf(s->out, "  unparsed schedule  %s: %s\n", escape_text(b[0], sizeof b[0], r->name),
                escape_text(b[1], sizeof b[1], r->schedule));
    }
    return 0;
}

int cli_info(struct cli_ctx *c, int argc, char **argv)
{
    struct err e = {0};
    const char *pos[1];
    int np = 0;
    if (cli_parse(argc, argv, 1, NULL, NULL, NULL, pos, 0, &np, &e) != ERR_OK)
        return cli_fail(&e);
    struct store *st = store_open_readonly(c->db_path, &e);
    if (st == NULL)
        return cli_fail(&e);
    struct store_summary s;
    if (store_summary(st, &s, &e) != ERR_OK) {
        store_close(st);
        return cli_fail(&e);
    }
    fprintf(c->out, "database %s\n", c->db_path);
    if (s.srid == 0) {
        fprintf(c->out, "  empty: nothing imported yet\n");
    } else {
        char name[96];
        crs_name(s.srid, name, sizeof name);
        fprintf(c->out, "  CRS EPSG:%d (%s)\n", s.srid, name);
        store_levels_each(st, cli_info_level, c->out, &e);
        fprintf(c->out,
                "  resources  %ld\n  households %ld\n  population areas %ld\n"
                "  network    %ld nodes, %ld edges, %.1f km\n",
                s.resources, s.households, s.areas, s.nodes, s.edges, s.network_km);
        struct cli_info_sched sc = {c->out, 0, 0};
        if (store_resources_each(st, cli_info_schedule, &sc, &e) != ERR_OK) {
            store_close(st);
            return cli_fail(&e);
        }
        if (sc.unparsed > 50)
            fprintf(c->out, "  unparsed schedule  ... and %ld more\n", sc.unparsed - 50);
        fprintf(c->out, "  schedules  %ld, %ld unparsed (not opening_hours)\n", sc.with,
                sc.unparsed);
    }
    store_close(st);
    return 0;
}
