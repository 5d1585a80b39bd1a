/* SPDX-License-Identifier: MIT */
/* cli_plan.c - the planning commands: `tsunagu coverage` (who has a
 * matching resource within N minutes' walk, per district, per resource and
 * in total), `tsunagu suggest` (where new sites would cover most) and
 * `tsunagu route` (an outreach walking tour, split into days). Each prints
 * a table a person reads, or the plan_json document with --json (coverage
 * also --csv). Output naming households (coverage's uncovered list, a
 * route) is recorded in the audit log first, as read by the local operator
 * ("cli:LOGIN", audit.h); when the record cannot be written nothing is
 * printed. Entry points: cli_coverage, cli_suggest, cli_route, and
 * cli_plan_open/close for every command that runs on the network. */
#include "audit.h"
#include "cli.h"
#include "escape.h"
#include "coverage.h"
#include "coverage_kinds.h"
#include "date.h"
#include "overdue.h"
#include "plan_json.h"
#include "route.h"
#include "suggest.h"
#include "walk.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int cli_plan_open(struct cli_ctx *c, double max_snap_m, int audited, struct cli_plan_env *env,
                  struct err *e)
{
    memset(env, 0, sizeof *env);
    if (audited && (env->audit = audit_open(c->db_path, e)) == NULL)
        return e->code;
    if (env->audit) /* the operator waits as long as SQLite's busy timeout */
        audit_set_wait(env->audit, 10000);
    env->st = store_open_readonly(c->db_path, e);
    if (env->st == NULL)
        return e->code;
    env->net = walk_net_load(env->st, max_snap_m, e);
    if (env->net == NULL)
        return e->code;
    env->ws = walk_session_new(env->net, e);
    return env->ws ? ERR_OK : e->code;
}

void cli_plan_close(struct cli_plan_env *env)
{
    walk_session_free(env->ws);
    walk_net_free(env->net);
    store_close(env->st);
    audit_close(env->audit);
}

/* Records that the local operator reads households ids[0..n) with
 * `command` ("cli coverage", "cli route"). */
static int cli_plan_audit(struct cli_plan_env *env, const char *command, const char *const *ids,
                          size_t n, struct err *e)
{
    char who[AUDIT_OPERATOR_MAX];
    audit_operator(who, sizeof who);
    struct audit_read r = {who, "operator", command, "local", n, ids, NULL};
    if (audit_record(env->audit, &r, e) != ERR_OK) {
        err_prefix(e, "nothing printed: ");
        return e->code;
    }
    return ERR_OK;
}

/* Audits the households named by coverage's uncovered list. */
static int cli_coverage_audit(struct cli_plan_env *env, const struct coverage_result *r,
                              struct err *e)
{
    const char **ids = malloc((r->nhouseholds + 1) * sizeof *ids);
    if (ids == NULL)
        return err_nomem(e);
    size_t n = 0;
    for (size_t i = 0; i < r->nhouseholds; i++)
        if (r->households[i].status != COVERAGE_COVERED)
            ids[n++] = r->households[i].ext_id;
    int rc = cli_plan_audit(env, "cli coverage", ids, n, e);
    free(ids);
    return rc;
}

/* Audits the households of a route (stops, then those left out). */
static int cli_route_audit(struct cli_plan_env *env, const struct route_result *r, struct err *e)
{
    const char **ids = malloc((r->nstops + r->nunreachable + 1) * sizeof *ids);
    if (ids == NULL)
        return err_nomem(e);
    size_t n = 0;
    for (size_t i = 0; i < r->nstops; i++)
        ids[n++] = r->stops[i].ext_id;
    for (size_t i = 0; i < r->nunreachable; i++)
        ids[n++] = r->unreachable[i].ext_id;
    int rc = cli_plan_audit(env, "cli route", ids, n, e);
    free(ids);
    return rc;
}

/* Prints a JSON document (consumed) and a newline. */
static int cli_plan_dump(FILE *out, json_t *doc, struct err *e)
{
    int rc = doc && json_dumpf(doc, out, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) == 0
                 ? ERR_OK
                 : err_nomem(e);
    fputc('\n', out);
    json_decref(doc);
    return rc;
}

/* "12.3" or "-" for a distance in minutes that does not exist. */
static void cli_plan_minutes(char *buf, size_t n, double metres, double speed)
{
    if (isfinite(metres))
        snprintf(buf, n, "%.1f", metres / speed);
    else
        snprintf(buf, n, isnan(metres) ? "-" : "unreach.");
}

/* ---------------------------------------------------------------- coverage */

static void cli_coverage_row(FILE *out, const struct coverage_district *d, int have_areas,
                             double speed)
{
    char med[16], max[16], share[16] = "-";
    cli_plan_minutes(med, sizeof med, d->median_m, speed);
    cli_plan_minutes(max, sizeof max, d->max_m, speed);
    if (d->households > 0)
        snprintf(share, sizeof share, "%.1f%%",
                 100.0 * (double)d->households_covered / (double)d->households);
    char code[ESCAPE_TEXT_MAX], name[ESCAPE_TEXT_MAX];
    fprintf(out, "  %-8s %6ld %7ld %7s %4ld %7s %8s", escape_text(code, sizeof code, d->code),
            d->households, d->households_covered, share, d->households_off_network, med, max);
    if (have_areas)
        fprintf(out, " %9ld %9ld", d->residents, d->residents_covered);
    fprintf(out, "  %s\n", escape_text(name, sizeof name, d->name));
}

static void cli_coverage_text(FILE *out, const struct coverage_result *r,
                              const struct walk_net *net)
{
    char kind[ESCAPE_TEXT_MAX], level[ESCAPE_TEXT_MAX], id[ESCAPE_TEXT_MAX], name[ESCAPE_TEXT_MAX];
    fprintf(out, "Coverage: %s resources within %g min at %g m/min (%.0f m)%s%s\n",
            r->kind ? escape_text(kind, sizeof kind, r->kind) : "all", r->minutes, r->speed,
            r->limit_m, r->level ? ", by district level " : "",
            escape_text(level, sizeof level, r->level));
    fprintf(out, "  %-8s %6s %7s %7s %4s %7s %8s", "code", "hh", "covered", "share", "off",
            "median", "worst");
    if (r->have_areas)
        fprintf(out, " %9s %9s", "residents", "covered");
    fprintf(out, "  district\n");
    for (size_t i = 0; i < r->ndistricts; i++)
        cli_coverage_row(out, &r->districts[i], r->have_areas, r->speed);
    cli_coverage_row(out, &r->total, r->have_areas, r->speed);
    fprintf(out, "(hh = households; off = off the network, never covered; median and worst "
                 "are walking minutes to the nearest resource)\n");
    long areas_off = 0;
    for (size_t i = 0; i < r->nareas; i++)
        areas_off += r->areas[i].status == COVERAGE_OFF_NETWORK;
    fprintf(out, "Off the network: %ld households, %ld small area(s), %zu resource(s).\n",
            r->total.households_off_network, areas_off, r->resources_off_network);
    if (r->total.households_approx > 0) { /* issue 11: honest about precision */
        fprintf(out,
                "Placed only at town or municipality level (walking times approximate): %ld "
                "households",
                r->total.households_approx);
        const char *sep = ";";
        for (size_t i = 0; i < r->ndistricts; i++) {
            if (r->districts[i].households_approx == 0)
                continue;
            fprintf(out, "%s %s %ld", sep, escape_text(id, sizeof id, r->districts[i].code),
                    r->districts[i].households_approx);
            sep = ",";
        }
        fputs(".\n", out);
    }
    fprintf(out,
            "Load per resource (households for which it is the nearest: all / within "
            "the limit%s):\n",
            r->have_areas ? "; residents likewise" : "");
    for (size_t i = 0; i < r->nloads; i++) {
        const struct coverage_load *l = &r->loads[i];
        const struct walk_resource *w = walk_net_resource(net, l->resource);
        fprintf(out, "  %-8s %5ld / %-5ld", escape_text(id, sizeof id, w->ext_id),
                l->households_nearest, l->households_nearest_covered);
        if (r->have_areas)
            fprintf(out, " %7ld / %-7ld", l->residents_nearest, l->residents_nearest_covered);
        fprintf(out, "  %s\n", escape_text(name, sizeof name, w->name));
    }
    size_t nu = coverage_uncovered_count(r);
    fprintf(out, "Households not covered: %zu\n", nu);
    for (size_t i = 0; i < r->nhouseholds; i++) {
        const struct coverage_household *h = &r->households[i];
        if (h->status == COVERAGE_COVERED)
            continue;
        const struct coverage_district *d =
            h->district != COVERAGE_NONE ? &r->districts[h->district] : NULL;
        char min[16];
        cli_plan_minutes(min, sizeof min, h->nearest_m, r->speed);
        const struct walk_resource *w =
            h->nearest != COVERAGE_NONE ? walk_net_resource(net, h->nearest) : NULL;
        char dist[ESCAPE_TEXT_MAX];
        fprintf(out, "  %-10s %-14s %-13s %8s %s  %s\n", escape_text(id, sizeof id, h->ext_id),
                escape_text(dist, sizeof dist, d ? (d->code ? d->code : d->name) : NULL),
                coverage_status_word(h->status), isfinite(h->nearest_m) ? min : "-",
                isfinite(h->nearest_m) ? "min" : "   ",
                escape_text(name, sizeof name, w ? w->ext_id : NULL));
    }
}

int cli_coverage(struct cli_ctx *c, int argc, char **argv)
{
    struct err e = {0};
    struct coverage_text t = {0};
    int json = 0, csv = 0, official = 0;
    const char *compare = NULL;
    const struct cli_opt opts[] = {{"compare", &compare, NULL},
                                   {"minutes", &t.minutes, NULL},
                                   {"speed", &t.speed, NULL},
                                   {"kind", &t.kind, NULL},
                                   {"field", &t.field, NULL},
                                   {"level", &t.level, NULL},
                                   {"steps-factor", &t.steps_factor, NULL},
                                   {"max-snap", &t.max_snap, NULL},
                                   {"target", &t.target, NULL},
                                   {"open-at", &t.open_at, NULL},
                                   {"open-on", &t.open_on, NULL},
                                   {NULL, NULL, NULL}};
    const char *const flags[] = {"json", "csv", "official", NULL};
    int *fd[] = {&json, &csv, &official};
    const char *pos[1];
    int np = 0;
    struct coverage_params p;
    if (cli_parse(argc, argv, 1, opts, flags, fd, pos, 0, &np, &e) != ERR_OK)
        return cli_fail(&e);
    if (compare) /* the snapshot's own parameters, again now */
        return cli_snapshot_compare(c, compare, "coverage", json);
    if (coverage_kinds_is_list(t.kind) || official) /* several kinds, or an official's view */
        return cli_coverage_kinds(c, &t, json, csv, official);
    if (coverage_params_parse(&t, "--", &p, &e) != ERR_OK)
        return cli_fail(&e);
    if (json && csv) {
        err_set(&e, ERR_INPUT, "choose one of --json and --csv");
        return cli_fail(&e);
    }
    struct cli_plan_env env;
    struct coverage_result *r = NULL;
    int rc = cli_plan_open(c, p.walk.max_snap_m, !csv, &env, &e);
    if (rc == ERR_OK)
        rc = coverage_run(env.st, env.net, env.ws, &p, &r, &e);
    if (rc == ERR_OK && !csv) /* the table and --json list uncovered households */
        rc = cli_coverage_audit(&env, r, &e);
    if (rc == ERR_OK && json)
        rc = cli_plan_dump(c->out, plan_json_coverage(r, env.net, PLAN_JSON_ALL), &e);
    else if (rc == ERR_OK && csv)
        rc = plan_json_coverage_csv(c->out, r) == ERR_OK
                 ? ERR_OK
                 : err_set(&e, ERR_IO, "cannot write the table");
    else if (rc == ERR_OK) {
        char at[HOURS_TIME_TEXT];
        if (p.walk.when.mode == HOURS_WHEN_AT)
            fprintf(c->out, "Only resources open at %s (Japan time)\n",
                    hours_time_format(&p.walk.when.at, at, sizeof at));
        else if (p.walk.when.mode == HOURS_WHEN_ON)
            fprintf(c->out, "Only resources open some time on %s\n",
                    hours_weekday_name(p.walk.when.wday));
        cli_coverage_text(c->out, r, env.net);
    }
    coverage_result_free(r);
    cli_plan_close(&env);
    return rc == ERR_OK ? 0 : cli_fail(&e);
}

/* ----------------------------------------------------------------- suggest */

static void cli_suggest_text(FILE *out, const struct suggest_result *r, const struct walk_net *net)
{
    double share = r->households > 0
                       ? 100.0 * (double)r->households_covered_before / (double)r->households
                       : 0.0;
    fprintf(out,
            "Existing %s resources cover %ld of %ld households (%.1f%%) within %g min at "
            "%g m/min (%.0f m); %ld are off the network.\n",
            r->kind ? r->kind : "", r->households_covered_before, r->households, share, r->minutes,
            r->speed, r->limit_m, r->households_off_network);
    if (r->method == SUGGEST_CELLS)
        fprintf(out,
                "Candidates: %zu network nodes in %zu cells of %.0f m; %zu searches (one from "
                "each cell's node nearest its centre, then from every node of the 3 x 3 cells "
                "around each pick; --exact weighs every node).\n",
                r->ncandidates, r->ncells, r->cell_m, r->searches);
    else
        fprintf(out, "Candidates: %zu %s%s; %zu searches (one per uncovered point).\n",
                r->ncandidates, r->candidates ? "resources of kind " : "network nodes",
                r->candidates ? r->candidates : "", r->searches);
    if (r->npicks == 0) {
        fprintf(out, "No candidate site would cover anyone not yet covered.\n");
        return;
    }
    fprintf(out, "  %4s %11s %10s %8s %7s  %s\n", "rank", "+households", "+residents", "covered",
            "share", "site");
    for (size_t i = 0; i < r->npicks; i++) {
        const struct suggest_pick *p = &r->picks[i];
        char res[16] = "-";
        if (r->have_areas)
            snprintf(res, sizeof res, "%ld", p->residents_added);
        fprintf(out, "  %4zu %11ld %10s %8ld %6.1f%%  ", i + 1, p->households_added, res,
                p->households_covered, 100.0 * p->share_covered);
        if (p->resource != COVERAGE_NONE) {
            const struct walk_resource *w = walk_net_resource(net, p->resource);
            char id[ESCAPE_TEXT_MAX], name[ESCAPE_TEXT_MAX];
            fprintf(out, "%s %s", escape_text(id, sizeof id, w->ext_id),
                    escape_text(name, sizeof name, w->name));
        } else {
            fprintf(out, "network node %u", p->node);
        }
        fprintf(out, " (%.6f, %.6f)\n", p->lon, p->lat);
    }
}

int cli_suggest(struct cli_ctx *c, int argc, char **argv)
{
    struct err e = {0};
    struct suggest_text t = {0};
    int json = 0;
    const struct cli_opt opts[] = {{"minutes", &t.cov.minutes, NULL},
                                   {"speed", &t.cov.speed, NULL},
                                   {"kind", &t.cov.kind, NULL},
                                   {"field", &t.cov.field, NULL},
                                   {"steps-factor", &t.cov.steps_factor, NULL},
                                   {"max-snap", &t.cov.max_snap, NULL},
                                   {"sites", &t.sites, NULL},
                                   {"candidates", &t.candidates, NULL},
                                   {NULL, NULL, NULL}};
    int exact = 0;
    const char *const flags[] = {"json", "exact", NULL};
    int *fd[] = {&json, &exact};
    const char *pos[1];
    int np = 0;
    struct suggest_params p;
    if (cli_parse(argc, argv, 1, opts, flags, fd, pos, 0, &np, &e) != ERR_OK ||
        suggest_params_parse(&t, "--", &p, &e) != ERR_OK)
        return cli_fail(&e);
    if (exact)
        p.method = SUGGEST_EXACT;
    struct cli_plan_env env;
    struct suggest_result *r = NULL;
    int rc = cli_plan_open(c, p.cov.walk.max_snap_m, 0, &env, &e);
    if (rc == ERR_OK)
        rc = suggest_run(env.st, env.net, env.ws, &p, &r, &e);
    if (rc == ERR_OK && json)
        rc = cli_plan_dump(c->out, plan_json_suggest(r, env.net), &e);
    else if (rc == ERR_OK)
        cli_suggest_text(c->out, r, env.net);
    suggest_result_free(r);
    cli_plan_close(&env);
    return rc == ERR_OK ? 0 : cli_fail(&e);
}

/* ------------------------------------------------------------------- route */

static void cli_route_text(FILE *out, const struct route_result *r, struct store *st)
{
    char t0[16], t1[16], street[256];
    size_t visits = r->nstops;
    route_format_time(r->start_time, t0, sizeof t0);
    fprintf(out,
            "Outreach route from %.6f, %.6f: %zu visits over %zu day%s, %.1f km on foot "
            "(%g m/min, %g min per visit, days of %g min from %s)\n",
            r->start_lon, r->start_lat, visits, r->ndays, r->ndays == 1 ? "" : "s",
            r->total_walk_m / 1000.0, r->speed, r->dwell_min, r->day_min, t0);
    if (r->scheduled) {
        char l0[16], l1[16];
        route_format_time(r->lunch_from, l0, sizeof l0);
        route_format_time(r->lunch_to, l1, sizeof l1);
        fprintf(out,
                "Planned in time: ending at %.6f, %.6f; lunch %s%s%s; at most %d visits a day\n",
                r->end_lon, r->end_lat, r->lunch_to > r->lunch_from ? l0 : "none",
                r->lunch_to > r->lunch_from ? "-" : "", r->lunch_to > r->lunch_from ? l1 : "",
                r->max_visits ? r->max_visits : TOUR_WINDOWS_MAX_STOPS);
    }
    for (size_t d = 0; d < r->ndays; d++) {
        const struct route_day *day = &r->days[d];
        route_format_time(day->end, t1, sizeof t1);
        fprintf(out, "\nDay %zu: %zu visits, %s-%s, walking %.1f km (%.0f min)\n", d + 1,
                day->count, t0, t1, day->walk_m / 1000.0, day->walk_m / r->speed);
        fprintf(out, "  %3s  %-10s %8s %5s %5s  %s\n", "#", "household", "walk", "in", "out",
                "where (lon, lat; nearest named street)");
        for (size_t i = 0; i < day->count; i++) {
            const struct route_stop *s = &r->stops[day->first + i];
            char a[16], l[16];
            route_format_time(s->arrive, a, sizeof a);
            route_format_time(s->leave, l, sizeof l);
            if (store_plan_street_near(st, s->x, s->y, 150.0, street, sizeof street, NULL) !=
                ERR_OK)
                snprintf(street, sizeof street, "-");
            char id[ESCAPE_TEXT_MAX], where[ESCAPE_TEXT_MAX];
            char w[128] = "";
            if (s->win_open >= 0) {
                char f[16], to[16];
                route_format_time(s->win_open, f, sizeof f);
                route_format_time(s->win_close, to, sizeof to);
                snprintf(w, sizeof w, "  [appointment %s-%s]", f, to);
            }
            if (s->approx) /* issue 11: placed at town or municipality level only */
                snprintf(w + strlen(w), sizeof w - strlen(w), "  [%s]", ROUTE_APPROX_NOTE);
            fprintf(out, "  %3zu  %-10s %4.0f min %5s %5s  %.6f, %.6f  %s%s\n", i + 1,
                    escape_text(id, sizeof id, s->ext_id), s->walk_m / r->speed, a, l, s->lon,
                    s->lat, escape_text(where, sizeof where, street), w);
        }
        fprintf(out, "       %s %s (%.0f min walk)\n",
                r->has_end ? "at the end" : "back at the start", t1, day->back_m / r->speed);
    }
    if (r->nunreachable > 0) {
        fprintf(out, "\nNot in the plan (%zu):\n", r->nunreachable);
        for (size_t i = 0; i < r->nunreachable; i++) {
            int why = r->unreachable[i].reason;
            char id[ESCAPE_TEXT_MAX];
            fprintf(out, "  %-10s %s\n", escape_text(id, sizeof id, r->unreachable[i].ext_id),
                    why == ROUTE_OFF_NETWORK   ? "off the network (too far from any street)"
                    : why == ROUTE_UNREACHABLE ? "no walking path from the start"
                                               : "too far for one day (there, visit and back)");
        }
    }
}

int cli_route(struct cli_ctx *c, int argc, char **argv)
{
    struct err e = {0};
    struct route_text t = {0};
    const char *end = NULL;
    char end_lon[64], end_lat[64];
    int json = 0;
    const struct cli_opt opts[] = {{"start-lon", &t.start_lon, NULL},
                                   {"start-lat", &t.start_lat, NULL},
                                   {"households", &t.households, NULL},
                                   {"district", &t.district, NULL},
                                   {"level", &t.level, NULL},
                                   {"need", &t.need, NULL},
                                   {"dwell", &t.dwell, NULL},
                                   {"day-minutes", &t.day_minutes, NULL},
                                   {"speed", &t.speed, NULL},
                                   {"steps-factor", &t.steps_factor, NULL},
                                   {"max-snap", &t.max_snap, NULL},
                                   {"start-time", &t.start_time, NULL},
                                   {"appointments", &t.appointments, NULL},
                                   {"end", &end, NULL},
                                   {"lunch", &t.lunch, NULL},
                                   {"max-visits", &t.max_visits, NULL},
                                   {NULL, NULL, NULL}};
    int overdue = 0;
    const char *const flags[] = {"json", "overdue", NULL};
    int *fd[] = {&json, &overdue};
    const char *pos[1];
    int np = 0;
    struct route_params p;
    memset(&p, 0, sizeof p);
    int rc = cli_parse(argc, argv, 1, opts, flags, fd, pos, 0, &np, &e);
    if (rc == ERR_OK && overdue)
        t.overdue = "true";
    if (rc == ERR_OK && end) { /* --end LON,LAT */
        const char *comma = strchr(end, ',');
        if (comma == NULL || (size_t)(comma - end) >= sizeof end_lon ||
            strlen(comma + 1) >= sizeof end_lat)
            rc = err_set(&e, ERR_INPUT, "--end takes LON,LAT");
        else {
            snprintf(end_lon, sizeof end_lon, "%.*s", (int)(comma - end), end);
            snprintf(end_lat, sizeof end_lat, "%s", comma + 1);
            t.end_lon = end_lon;
            t.end_lat = end_lat;
        }
    }
    if (rc != ERR_OK || route_params_parse(&t, "--", &p, &e) != ERR_OK) {
        route_params_clear(&p);
        return cli_fail(&e);
    }
    struct cli_plan_env env;
    struct route_result *r = NULL;
    struct overdue_list due = {0};
    const char **due_ids = NULL;
    rc = cli_plan_open(c, p.max_snap_m, 1, &env, &e);
    /* --overdue: every open household whose next visit is due. */
    if (rc == ERR_OK && p.overdue)
        rc = overdue_collect(env.st, NULL, NULL, date_today(), ROUTE_MAX_STOPS, &due, &e);
    if (rc == ERR_OK && p.overdue && (due_ids = malloc((due.n + 1) * sizeof *due_ids)) == NULL)
        rc = err_nomem(&e);
    for (size_t i = 0; rc == ERR_OK && p.overdue && i < due.n; i++)
        due_ids[i] = due.v[i].ext_id;
    if (rc == ERR_OK && p.overdue) {
        p.ids = due_ids;
        p.nids = due.n;
    }
    if (rc == ERR_OK)
        rc = route_plan(env.st, env.net, env.ws, &p, &r, &e);
    if (rc == ERR_OK)
        rc = cli_route_audit(&env, r, &e);
    if (rc == ERR_OK && json)
        rc = cli_plan_dump(c->out, plan_json_route(r), &e);
    else if (rc == ERR_OK)
        cli_route_text(c->out, r, env.st);
    route_result_free(r);
    cli_plan_close(&env);
    if (p.overdue) { /* the ids were ours, not route_params_parse's */
        p.ids = NULL;
        p.nids = 0;
    }
    route_params_clear(&p);
    free(due_ids);
    overdue_list_free(&due);
    return rc == ERR_OK ? 0 : cli_fail(&e);
}
