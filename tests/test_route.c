/* SPDX-License-Identifier: MIT */
/* test_route.c - tests route.c: on the line town, the shortest tour by hand
 * (2 x the span plus the access legs), reasons for households left out, and
 * the traced path's length equal to the walk; on the demo town, every
 * requested household exactly once (visited or set aside), the total walk
 * equal to the sum of an independently built distance matrix along the
 * visiting order, days within the budget and times consistent, the exact
 * optimum for few stops, selection by district and need, unknown ids
 * reported without naming them; on 宇部市, 200 synthetic households (the
 * time is printed, not asserted). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "plan_fixture.h"
#include "plan_json.h"
#include "route.h"
#include "search.h"
#include "tour.h"
#include "store_households.h"

#include <math.h>
#include <time.h>

static int line_setup(void **state)
{
    *state = pf_line_town();
    return 0;
}

static int demo_setup(void **state)
{
    *state = pf_demo_town();
    return 0;
}

static int db_teardown(void **state)
{
    pf_free(*state);
    return 0;
}

/* lon/lat of a point in the database CRS. */
static void lonlat(struct pf_db *d, double x, double y, double *lon, double *lat)
{
    assert_int_equal(walk_session_to_lonlat(d->ws, x, y, lon, lat), ERR_OK);
}

static struct route_result *plan(struct pf_db *d, struct route_params *p, int want_rc,
                                 struct err *e)
{
    struct route_result *r = NULL;
    int rc = route_plan(d->st, d->net, d->ws, p, &r, e);
    if (rc != want_rc)
        fail_msg("route_plan returned %d (%s), expected %d", rc, e->msg, want_rc);
    if (rc != ERR_OK)
        assert_null(r);
    return r;
}

/* Planar length of a day's line, projected back into the database CRS. */
static double line_length(struct pf_db *d, const struct route_day *day)
{
    double len = 0, px = 0, py = 0;
    for (size_t i = 0; i < day->nline; i++) {
        double x, y;
        struct err e = {0};
        assert_int_equal(
            walk_session_to_xy(d->ws, day->line[2 * i], day->line[2 * i + 1], &x, &y, &e), ERR_OK);
        if (i > 0)
            len += hypot(x - px, y - py);
        px = x;
        py = y;
    }
    return len;
}

/* ---- the line town ---- */

static void test_line_by_hand(void **state)
{
    struct pf_db *d = *state;
    const char *ids[] = {"H3", "H1", "H5", "H4", "H10", "H2"};
    struct route_params p = {
        .ids = ids, .nids = 6, .dwell_min = 20, .day_min = 240, .speed = 100, .start_time = 540};
    lonlat(d, 1000, -100000, &p.start_lon, &p.start_lat);
    struct err e = {0};
    struct route_result *r = plan(d, &p, ERR_OK, &e);
    /* On a line, any good tour sweeps the span twice: 2 x 2400 m, plus 10 m
     * in and out of each of 4 houses. */
    assert_int_equal(r->nstops, 4);
    assert_true(fabs(r->total_walk_m - 4880) < 0.01);
    assert_true(r->exact);
    assert_int_equal(r->ndays, 1);
    assert_int_equal(r->nunreachable, 2);
    assert_string_equal(r->unreachable[0].ext_id, "H5");
    assert_int_equal(r->unreachable[0].reason, ROUTE_OFF_NETWORK);
    assert_string_equal(r->unreachable[1].ext_id, "H10");
    assert_int_equal(r->unreachable[1].reason, ROUTE_UNREACHABLE);
    /* Times: 09:00 start, 100 m/min, 20 min per visit. */
    const struct route_day *day = &r->days[0];
    double clock = 540;
    for (size_t i = 0; i < day->count; i++) {
        const struct route_stop *s = &r->stops[i];
        clock += s->walk_m / 100;
        assert_true(fabs(s->arrive - clock) < 1e-9);
        clock += 20;
        assert_true(fabs(s->leave - clock) < 1e-9);
    }
    assert_true(fabs(day->end - (clock + day->back_m / 100)) < 1e-9);
    assert_true(fabs(day->minutes - (4880 / 100.0 + 80)) < 1e-6);
    /* The traced path is as long as the walk and closes at the start. */
    double len = line_length(d, day);
    print_message("line town: tour %.2f m, traced path %.2f m, %zu points\n", r->total_walk_m, len,
                  day->nline);
    assert_true(fabs(len - 4880) < 0.5);
    assert_true(fabs(day->line[0] - p.start_lon) < 1e-9 && fabs(day->line[1] - p.start_lat) < 1e-9);
    assert_true(fabs(day->line[2 * day->nline - 2] - p.start_lon) < 1e-9);
    route_result_free(r);
    /* A short day: 60 minutes holds at most two visits. */
    p.day_min = 60;
    r = plan(d, &p, ERR_OK, &e);
    assert_true(r->ndays >= 2);
    size_t total = 0;
    for (size_t k = 0; k < r->ndays; k++) {
        assert_true(r->days[k].minutes <= 60 + 1e-9);
        total += r->days[k].count;
    }
    assert_int_equal(total, 4);
    route_result_free(r);
    /* Too far for the day: H1 is 1010 m away; 2 x 10.1 + 20 > 40 minutes. */
    p.day_min = 40;
    r = plan(d, &p, ERR_OK, &e);
    int too_far = 0;
    for (size_t i = 0; i < r->nunreachable; i++)
        too_far += r->unreachable[i].reason == ROUTE_TOO_FAR;
    assert_true(too_far >= 2);
    assert_int_equal(r->nstops + r->nunreachable, 6);
    route_result_free(r);
    /* Nobody visitable: an empty plan, not an error. */
    const char *none[] = {"H5", "H10"};
    p.ids = none;
    p.nids = 2;
    p.day_min = 240;
    r = plan(d, &p, ERR_OK, &e);
    assert_int_equal(r->nstops, 0);
    assert_int_equal(r->ndays, 0);
    assert_int_equal(r->nunreachable, 2);
    assert_true(r->total_walk_m == 0);
    json_t *doc = plan_json_route(r);
    assert_non_null(doc);
    assert_int_equal(json_array_size(json_object_get(doc, "days")), 0);
    json_decref(doc);
    route_result_free(r);
}

static void test_validation(void **state)
{
    struct pf_db *d = *state;
    struct route_params p;
    struct err e = {0};
    struct route_text t = {.start_lon = "137.2", .start_lat = "35.1"};
    assert_int_equal(route_params_parse(&t, "--", &p, &e), ERR_INPUT); /* no households */
    route_params_clear(&p);
    t.households = "H1,H2";
    t.district = "West";
    err_clear(&e);
    assert_int_equal(route_params_parse(&t, "--", &p, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "give one of"));
    route_params_clear(&p);
    t.district = NULL;
    static const struct {
        const char *dwell, *day, *start, *speed, *ids;
        int rc;
    } bad[] = {
        {"-1", NULL, NULL, NULL, NULL, ERR_INPUT},
        {"241", NULL, NULL, NULL, NULL, ERR_INPUT},
        {NULL, "29", NULL, NULL, NULL, ERR_INPUT},
        {NULL, "721", NULL, NULL, NULL, ERR_INPUT},
        {NULL, NULL, "25:00", NULL, NULL, ERR_INPUT},
        {NULL, NULL, "09:60", NULL, NULL, ERR_INPUT},
        {NULL, "720", "13:00", NULL, NULL, ERR_INPUT},
        {NULL, NULL, NULL, "5", NULL, ERR_INPUT},
        {NULL, NULL, NULL, NULL, "H1,,H2", ERR_INPUT},
        {NULL, NULL, NULL, NULL, "H7,H2,H7", ERR_INPUT},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct route_text u = t;
        u.dwell = bad[i].dwell;
        u.day_minutes = bad[i].day;
        u.start_time = bad[i].start;
        u.speed = bad[i].speed;
        if (bad[i].ids)
            u.households = bad[i].ids;
        err_clear(&e);
        int rc = route_params_parse(&u, "--", &p, &e);
        if (rc == ERR_OK) {
            /* Speed is checked where the walk is validated. */
            struct route_result *r = NULL;
            rc = route_plan(d->st, d->net, d->ws, &p, &r, &e);
            route_result_free(r);
        }
        if (rc != bad[i].rc)
            fail_msg("case %zu: %d (%s)", i, rc, e.msg);
        assert_null(strstr(e.msg, "H7")); /* never echo household ids */
        route_params_clear(&p);
    }
    /* 201 ids is over the limit. */
    char big[201 * 6];
    size_t len = 0;
    for (int i = 0; i < 201; i++)
        len += (size_t)snprintf(big + len, sizeof big - len, "%sX%d", i ? "," : "", i);
    t.households = big;
    err_clear(&e);
    assert_int_equal(route_params_parse(&t, "--", &p, &e), ERR_LIMIT);
    route_params_clear(&p);
    /* Good text; then a start off the network. */
    t.households = "H2,H3";
    t.start_time = "08:30";
    t.speed = "slow";
    err_clear(&e);
    assert_int_equal(route_params_parse(&t, "", &p, &e), ERR_OK);
    assert_int_equal(p.nids, 2);
    assert_int_equal(p.start_time, 510);
    assert_true(p.speed == 60);
    lonlat(d, 1000, -99000, &p.start_lon, &p.start_lat);
    struct route_result *r = plan(d, &p, ERR_INPUT, &e);
    assert_null(r);
    assert_non_null(strstr(e.msg, "off the network"));
    route_params_clear(&p);
}

/* ---- the demo town ---- */

struct ids {
    char (*v)[32];
    double (*xy)[2];
    size_t n, cap;
};

static int collect(void *ctx, const struct store_plan_household *h)
{
    struct ids *s = ctx;
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 512;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
        s->xy = realloc(s->xy, s->cap * sizeof *s->xy);
        assert_non_null(s->v);
        assert_non_null(s->xy);
    }
    snprintf(s->v[s->n], sizeof s->v[0], "%s", h->ext_id);
    s->xy[s->n][0] = h->x;
    s->xy[s->n][1] = h->y;
    s->n++;
    return 0;
}

static size_t find(const struct ids *all, const char *id)
{
    for (size_t i = 0; i < all->n; i++)
        if (strcmp(all->v[i], id) == 0)
            return i;
    fail_msg("unknown household in the plan");
    return 0;
}

/* Checks the plan against an independent matrix over start + stops. */
static void check_plan(struct pf_db *d, const struct route_params *p, const struct route_result *r,
                       const struct ids *all)
{
    /* Every requested household exactly once. */
    for (size_t k = 0; k < p->nids; k++) {
        int seen = 0;
        for (size_t i = 0; i < r->nstops; i++)
            seen += strcmp(r->stops[i].ext_id, p->ids[k]) == 0;
        for (size_t i = 0; i < r->nunreachable; i++)
            seen += strcmp(r->unreachable[i].ext_id, p->ids[k]) == 0;
        assert_int_equal(seen, 1);
    }
    assert_int_equal(r->nstops + r->nunreachable, p->nids);
    /* Matrix of our own: snap the start and every stop, search_matrix. */
    const struct graph *g = walk_net_graph(d->net);
    size_t n = r->nstops + 1;
    struct graph_place *pl = malloc(n * sizeof *pl);
    double *m = malloc(n * n * sizeof *m);
    assert_non_null(pl);
    assert_non_null(m);
    struct err e = {0};
    double sx, sy;
    assert_int_equal(walk_session_to_xy(d->ws, p->start_lon, p->start_lat, &sx, &sy, &e), ERR_OK);
    assert_int_equal(graph_snap(g, sx, sy, WALK_DEFAULT_SNAP_M, &pl[0], &e), ERR_OK);
    for (size_t i = 0; i < r->nstops; i++) {
        size_t k = find(all, r->stops[i].ext_id);
        assert_int_equal(
            graph_snap(g, all->xy[k][0], all->xy[k][1], WALK_DEFAULT_SNAP_M, &pl[i + 1], &e),
            ERR_OK);
    }
    struct search_params sp = {SEARCH_MAX_LIMIT_M, 1.0};
    assert_int_equal(search_matrix(walk_session_search(d->ws), &sp, pl, n, m, &e), ERR_OK);
    double total = 0, speed = r->speed;
    for (size_t k = 0; k < r->ndays; k++) {
        const struct route_day *day = &r->days[k];
        double walk = 0, clock = r->start_time;
        size_t prev = 0;
        for (size_t i = 0; i < day->count; i++) {
            size_t s = day->first + i + 1;
            walk += m[prev * n + s];
            assert_true(fabs(r->stops[s - 1].walk_m - m[prev * n + s]) < 0.1);
            clock += m[prev * n + s] / speed;
            assert_true(fabs(r->stops[s - 1].arrive - clock) < 0.01);
            clock += r->dwell_min;
            prev = s;
        }
        walk += m[prev * n];
        assert_true(fabs(day->walk_m - walk) < 0.1);
        assert_true(day->minutes <= r->day_min + 1e-9);
        assert_true(fabs(day->minutes - (walk / speed + r->dwell_min * day->count)) < 0.01);
        assert_true(day->count >= 1);
        if (k > 0)
            assert_int_equal(day->first, r->days[k - 1].first + r->days[k - 1].count);
        total += walk;
        /* The traced path has the walk's length (float32 polylines: 0.1%). */
        double len = line_length(d, day);
        if (fabs(len - walk) > 0.001 * walk + 0.5)
            fail_msg("day %zu: path %.2f m, walk %.2f m", k + 1, len, walk);
    }
    assert_true(fabs(total - r->total_walk_m) < 0.1);
    free(pl);
    free(m);
}

static void all_ids(struct pf_db *d, struct ids *all)
{
    struct err e = {0};
    memset(all, 0, sizeof *all);
    assert_int_equal(store_plan_households_each(d->st, NULL, collect, all, &e), ERR_OK);
}

static void test_demo_thirty(void **state)
{
    struct pf_db *d = *state;
    struct ids all;
    all_ids(d, &all);
    const char *ids[40];
    for (size_t i = 0; i < 30; i++)
        ids[i] = all.v[(i * 37 + 5) % all.n];
    const struct walk_resource *centre = walk_net_resource(d->net, 0);
    struct route_params p = {.start_lon = centre->lon,
                             .start_lat = centre->lat,
                             .ids = ids,
                             .nids = 30,
                             .dwell_min = 20,
                             .day_min = 240,
                             .start_time = 540};
    struct err e = {0};
    struct route_result *r = plan(d, &p, ERR_OK, &e);
    print_message("demo: 30 households, %zu visits in %zu days, %.1f km, solved in %.1f ms\n",
                  r->nstops, r->ndays, r->total_walk_m / 1000, r->solve_ms);
    assert_true(r->ndays >= 2);
    check_plan(d, &p, r, &all);
    json_t *doc = plan_json_route(r);
    assert_non_null(doc);
    json_t *days = json_object_get(doc, "days");
    assert_int_equal(json_array_size(days), r->ndays);
    json_t *route = json_object_get(json_array_get(days, 0), "route");
    assert_string_equal(json_string_value(json_object_get(route, "type")), "LineString");
    assert_true(json_array_size(json_object_get(route, "coordinates")) >= 2);
    json_decref(doc);
    route_result_free(r);
    free(all.v);
    free(all.xy);
}

static void test_demo_exact_for_few(void **state)
{
    struct pf_db *d = *state;
    struct ids all;
    all_ids(d, &all);
    const char *ids[10];
    for (size_t i = 0; i < 9; i++)
        ids[i] = all.v[(i * 41 + 11) % all.n];
    const struct walk_resource *centre = walk_net_resource(d->net, 3);
    struct route_params p = {.start_lon = centre->lon,
                             .start_lat = centre->lat,
                             .ids = ids,
                             .nids = 9,
                             .dwell_min = 5,
                             .day_min = 720,
                             .start_time = 480};
    struct err e = {0};
    struct route_result *r = plan(d, &p, ERR_OK, &e);
    assert_true(r->exact);
    assert_int_equal(r->ndays, 1);
    check_plan(d, &p, r, &all);
    /* Held-Karp on a matrix built here agrees with the plan's walk. */
    size_t n = r->nstops + 1;
    const struct graph *g = walk_net_graph(d->net);
    struct graph_place pl[16];
    double m[256];
    double sx, sy;
    assert_int_equal(walk_session_to_xy(d->ws, p.start_lon, p.start_lat, &sx, &sy, &e), ERR_OK);
    assert_int_equal(graph_snap(g, sx, sy, WALK_DEFAULT_SNAP_M, &pl[0], &e), ERR_OK);
    for (size_t i = 0; i < r->nstops; i++) {
        size_t k = find(&all, r->stops[i].ext_id);
        assert_int_equal(
            graph_snap(g, all.xy[k][0], all.xy[k][1], WALK_DEFAULT_SNAP_M, &pl[i + 1], &e), ERR_OK);
    }
    struct search_params sp = {SEARCH_MAX_LIMIT_M, 1.0};
    assert_int_equal(search_matrix(walk_session_search(d->ws), &sp, pl, n, m, &e), ERR_OK);
    size_t order[16];
    double best;
    assert_int_equal(tour_exact(m, n, order, &best, &e), ERR_OK);
    assert_true(fabs(best - r->total_walk_m) < 0.1);
    route_result_free(r);
    free(all.v);
    free(all.xy);
}

static void test_demo_unknown_and_off_network(void **state)
{
    struct pf_db *d = *state;
    const struct walk_resource *centre = walk_net_resource(d->net, 0);
    const char *ids[] = {"H0001", "NOPE-1", "H0002", "NOPE-2"};
    struct route_params p = {.start_lon = centre->lon,
                             .start_lat = centre->lat,
                             .ids = ids,
                             .nids = 4,
                             .dwell_min = 20,
                             .day_min = 240,
                             .start_time = 540};
    struct err e = {0};
    struct route_result *r = plan(d, &p, ERR_NOTFOUND, &e);
    assert_null(r);
    assert_string_equal(e.msg, "2 of the requested households are not known");
    /* The three farm households are off the network (data/README.md). */
    struct ids all;
    all_ids(d, &all);
    const struct graph *g = walk_net_graph(d->net);
    const char *mix[8];
    size_t nmix = 0, noff = 0;
    for (size_t i = 0; i < all.n && nmix < 6; i++) {
        struct graph_place at;
        struct err se = {0};
        int off = graph_snap(g, all.xy[i][0], all.xy[i][1], WALK_DEFAULT_SNAP_M, &at, &se) ==
                  ERR_NOTFOUND;
        if (off || nmix < 3) {
            mix[nmix++] = all.v[i];
            noff += off;
        }
    }
    assert_int_equal(noff, 3);
    p.ids = mix;
    p.nids = nmix;
    err_clear(&e);
    r = plan(d, &p, ERR_OK, &e);
    assert_int_equal(r->nunreachable, 3);
    for (size_t i = 0; i < r->nunreachable; i++)
        assert_int_equal(r->unreachable[i].reason, ROUTE_OFF_NETWORK);
    check_plan(d, &p, r, &all);
    json_t *doc = plan_json_route(r);
    json_t *un = json_object_get(doc, "unreachable");
    assert_int_equal(json_array_size(un), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(un, 0), "reason")),
                        "off_network");
    json_decref(doc);
    route_result_free(r);
    free(all.v);
    free(all.xy);
}

/* Households of one district (by the coverage join) with a need tag. */
struct need_ctx {
    long district;
    const char *need;
    size_t n;
    char (*ids)[32];
};

static int in_district(void *ctx, const struct store_plan_household *h)
{
    struct need_ctx *c = ctx;
    char padded[600];
    snprintf(padded, sizeof padded, ";%s;", h->needs);
    if (h->district == c->district && strstr(padded, ";高齢独居;")) {
        snprintf(c->ids[c->n], sizeof c->ids[0], "%s", h->ext_id);
        c->n++;
    }
    return 0;
}

static int district_id(void *ctx, const struct store_plan_district *dd)
{
    if (strcmp(dd->code, "E05") == 0)
        *(long *)ctx = dd->id;
    return 0;
}

static void test_demo_district_and_need(void **state)
{
    struct pf_db *d = *state;
    const struct walk_resource *centre = walk_net_resource(d->net, 0);
    struct route_text t = {
        .district = "つなぐ丘小学校区", .need = "elderly_alone", .level = "elementary"};
    char lon[32], lat[32];
    snprintf(lon, sizeof lon, "%.7f", centre->lon);
    snprintf(lat, sizeof lat, "%.7f", centre->lat);
    t.start_lon = lon;
    t.start_lat = lat;
    struct route_params p;
    struct err e = {0};
    if (route_params_parse(&t, "--", &p, &e) != ERR_OK) {
        /* The English alias may differ; the Japanese tag always works. */
        route_params_clear(&p);
        t.need = "高齢独居";
        err_clear(&e);
        assert_int_equal(route_params_parse(&t, "--", &p, &e), ERR_OK);
    }
    assert_string_equal(p.need, "高齢独居");
    struct route_result *r = plan(d, &p, ERR_OK, &e);
    /* The same households, found through the coverage join. */
    struct need_ctx c = {0, "高齢独居", 0, malloc(400 * sizeof *c.ids)};
    assert_non_null(c.ids);
    assert_int_equal(store_plan_districts_each(d->st, "elementary", district_id, &c.district, &e),
                     ERR_OK);
    assert_true(c.district != 0);
    assert_int_equal(store_plan_households_each(d->st, "elementary", in_district, &c, &e), ERR_OK);
    print_message("E05 高齢独居: %zu households, %zu visits over %zu days, %zu left out\n", c.n,
                  r->nstops, r->ndays, r->nunreachable);
    assert_true(c.n > 5);
    assert_int_equal(r->nstops + r->nunreachable, c.n);
    for (size_t i = 0; i < c.n; i++) {
        int seen = 0;
        for (size_t k = 0; k < r->nstops; k++)
            seen += strcmp(r->stops[k].ext_id, c.ids[i]) == 0;
        for (size_t k = 0; k < r->nunreachable; k++)
            seen += strcmp(r->unreachable[k].ext_id, c.ids[i]) == 0;
        assert_int_equal(seen, 1);
    }
    route_result_free(r);
    route_params_clear(&p);
    /* An unknown district is not found; its name may be echoed (public). */
    struct route_params q = {.start_lon = centre->lon,
                             .start_lat = centre->lat,
                             .district = "どこにもない校区",
                             .dwell_min = 20,
                             .day_min = 240,
                             .start_time = 540};
    err_clear(&e);
    r = plan(d, &q, ERR_NOTFOUND, &e);
    assert_null(r);
    free(c.ids);
}

/* ---- 宇部市: 200 stops ---- */

static int ube_setup(void **state)
{
    *state = pf_ube(400);
    return 0;
}

static void test_ube_two_hundred(void **state)
{
    struct pf_db *d = *state;
    if (d == NULL) {
        print_message("SKIP: ../shared/data/ube is absent; this test needs the real network\n");
        skip();
    }
    struct ids all;
    all_ids(d, &all);
    const struct graph *g = walk_net_graph(d->net);
    const char *ids[ROUTE_MAX_STOPS];
    size_t n = 0;
    for (size_t i = 0; i < all.n && n < ROUTE_MAX_STOPS; i++) {
        struct graph_place at;
        struct err se = {0};
        if (graph_snap(g, all.xy[i][0], all.xy[i][1], WALK_DEFAULT_SNAP_M, &at, &se) == ERR_OK)
            ids[n++] = all.v[i];
    }
    assert_int_equal(n, ROUTE_MAX_STOPS);
    const struct walk_resource *centre = NULL;
    for (size_t i = 0; centre == NULL && i < walk_net_resource_count(d->net); i++)
        if (walk_net_resource(d->net, i)->on_network)
            centre = walk_net_resource(d->net, i);
    assert_non_null(centre);
    struct route_params p = {.start_lon = centre->lon,
                             .start_lat = centre->lat,
                             .ids = ids,
                             .nids = n,
                             .dwell_min = 15,
                             .day_min = 480,
                             .start_time = 480};
    struct err e = {0};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct route_result *r = plan(d, &p, ERR_OK, &e);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    print_message("宇部市: 200 households, %zu visits in %zu days, %.1f km; matrix+tour+split "
                  "%.0f ms, whole plan with paths %.0f ms; %zu left out\n",
                  r->nstops, r->ndays, r->total_walk_m / 1000, r->solve_ms,
                  (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6, r->nunreachable);
    assert_true(r->nstops > 150);
    check_plan(d, &p, r, &all);
    route_result_free(r);
    free(all.v);
    free(all.xy);
}

int main(void)
{
    const struct CMUnitTest line[] = {
        cmocka_unit_test(test_line_by_hand),
        cmocka_unit_test(test_validation),
    };
    const struct CMUnitTest demo[] = {
        cmocka_unit_test(test_demo_thirty),
        cmocka_unit_test(test_demo_exact_for_few),
        cmocka_unit_test(test_demo_unknown_and_off_network),
        cmocka_unit_test(test_demo_district_and_need),
    };
    const struct CMUnitTest ube[] = {
        cmocka_unit_test(test_ube_two_hundred),
    };
    int rc = cmocka_run_group_tests_name("line town", line, line_setup, db_teardown);
    rc += cmocka_run_group_tests_name("demo town", demo, demo_setup, db_teardown);
    rc += cmocka_run_group_tests_name("宇部市", ube, ube_setup, db_teardown);
    return rc;
}
