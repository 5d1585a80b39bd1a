/* SPDX-License-Identifier: MIT */
/* test_coverage.c - tests coverage.c: exact counts, medians and loads on
 * the hand-checkable line town (plan_fixture.h); on the demo town and on
 * 宇部市 with synthetic households, every household's coverage answer
 * against the per-household walk query (walk_reachable from its lon/lat:
 * covered iff a matching resource is within the limit, the same nearest
 * distance within 0.1 m, off the network and unreachable alike), district
 * medians recomputed from those walks, and the district join on 生駒市's
 * real census areas. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "coverage.h"
#include "plan_fixture.h"
#include "plan_json.h"
#include "store_households.h"

#include <math.h>

static struct coverage_result *run(struct pf_db *d, const char *kind, double minutes, double speed,
                                   const char *level)
{
    struct coverage_params p = {.walk = {.minutes = minutes, .speed = speed, .kind = kind},
                                .level = level};
    struct coverage_result *r = NULL;
    struct err e = {0};
    if (coverage_run(d->st, d->net, d->ws, &p, &r, &e) != ERR_OK)
        fail_msg("coverage_run: %s", e.msg);
    return r;
}

static const struct coverage_district *row(const struct coverage_result *r, const char *name)
{
    for (size_t i = 0; i < r->ndistricts; i++)
        if (strcmp(r->districts[i].name, name) == 0)
            return &r->districts[i];
    fail_msg("no district row %s", name);
    return NULL;
}

static const struct coverage_household *household(const struct coverage_result *r, const char *id)
{
    for (size_t i = 0; i < r->nhouseholds; i++)
        if (strcmp(r->households[i].ext_id, id) == 0)
            return &r->households[i];
    fail_msg("no household %s", id);
    return NULL;
}

static void assert_near(double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("got %.4f, want %.4f", got, want);
}

/* ---- the line town ---- */

static int line_setup(void **state)
{
    *state = pf_line_town();
    return 0;
}

static int db_teardown(void **state)
{
    pf_free(*state);
    return 0;
}

static void test_line_districts(void **state)
{
    struct coverage_result *r = run(*state, "consultation", 10, 100, "elementary");
    assert_true(r->limit_m == 1000.0);
    assert_int_equal(r->ndistricts, 3); /* E, W, then (no district) */
    assert_string_equal(r->districts[0].code, "E");
    assert_string_equal(r->districts[1].code, "W");
    assert_null(r->districts[2].code);
    assert_string_equal(r->districts[2].name, COVERAGE_NO_DISTRICT);
    const struct coverage_district *w = row(r, "West"), *east = row(r, "East");
    const struct coverage_district *none = row(r, COVERAGE_NO_DISTRICT);
    assert_int_equal(w->households, 5);
    assert_int_equal(w->households_covered, 2);
    assert_int_equal(w->households_off_network, 1);
    assert_int_equal(w->households_unreachable, 0);
    assert_near(w->median_m, 930, 0.01); /* (830 + 1030) / 2 */
    assert_near(w->max_m, 1430, 0.01);
    assert_int_equal(w->areas, 2);
    assert_int_equal(w->residents, 107);
    assert_int_equal(w->residents_covered, 100);
    assert_int_equal(w->residents_off_network, 7);
    assert_int_equal(east->households, 3);
    assert_int_equal(east->households_covered, 2);
    assert_near(east->median_m, 930, 0.01);
    assert_near(east->max_m, 1430, 0.01);
    assert_int_equal(east->residents, 50); /* A2 straddles W/E; its point is in E */
    assert_int_equal(east->residents_covered, 0);
    assert_int_equal(none->households, 2);
    assert_int_equal(none->households_covered, 1);
    assert_int_equal(none->households_unreachable, 1);
    assert_true(isinf(none->median_m)); /* median of {930, unreachable} */
    assert_true(isinf(none->max_m));
    assert_int_equal(r->total.households, 10);
    assert_int_equal(r->total.households_covered, 5);
    assert_int_equal(r->total.households_off_network, 1);
    assert_int_equal(r->total.households_unreachable, 1);
    assert_near(r->total.median_m, 930, 0.01); /* 5th of 9 */
    assert_true(isinf(r->total.max_m));
    assert_int_equal(r->total.residents, 157);
    assert_int_equal(r->total.residents_covered, 100);
    assert_true(r->have_areas);
    coverage_result_free(r);
}

static void test_line_households_and_loads(void **state)
{
    struct coverage_result *r = run(*state, "consultation", 10, 100, "elementary");
    static const struct {
        const char *id;
        int status;
        double m;
        const char *nearest;
    } want[] = {
        {"H1", COVERAGE_BEYOND, 1030, "D1"},          {"H2", COVERAGE_COVERED, 830, "D1"},
        {"H3", COVERAGE_COVERED, 530, "D1"},          {"H4", COVERAGE_BEYOND, 1430, "D1"},
        {"H5", COVERAGE_OFF_NETWORK, INFINITY, NULL}, {"H6", COVERAGE_BEYOND, 1430, "D2"},
        {"H7", COVERAGE_COVERED, 930, "D2"},          {"H8", COVERAGE_COVERED, 530, "D2"},
        {"H9", COVERAGE_COVERED, 930, "D2"},          {"H10", COVERAGE_UNREACHABLE, INFINITY, NULL},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const struct coverage_household *h = household(r, want[i].id);
        if (h->status != want[i].status)
            fail_msg("%s: status %d, want %d", want[i].id, h->status, want[i].status);
        if (isinf(want[i].m)) {
            assert_true(isinf(h->nearest_m));
            assert_true(h->nearest == COVERAGE_NONE);
        } else {
            assert_near(h->nearest_m, want[i].m, 0.01);
            assert_string_equal(
                walk_net_resource(((struct pf_db *)*state)->net, h->nearest)->ext_id,
                want[i].nearest);
        }
    }
    assert_int_equal(coverage_uncovered_count(r), 5);
    assert_int_equal(r->nloads, 2);
    for (size_t i = 0; i < r->nloads; i++) {
        const struct coverage_load *l = &r->loads[i];
        const char *id = walk_net_resource(((struct pf_db *)*state)->net, l->resource)->ext_id;
        int d1 = strcmp(id, "D1") == 0;
        assert_int_equal(l->households_nearest, 4);
        assert_int_equal(l->households_nearest_covered, d1 ? 2 : 3);
        assert_int_equal(l->residents_nearest, d1 ? 100 : 50);
        assert_int_equal(l->residents_nearest_covered, d1 ? 100 : 0);
    }
    /* Small areas: A3 off the network, A2 beyond, A1 covered. */
    int seen = 0;
    for (size_t i = 0; i < r->nareas; i++) {
        const struct coverage_area *a = &r->areas[i];
        int want_status = strcmp(a->code, "A1") == 0   ? COVERAGE_COVERED
                          : strcmp(a->code, "A2") == 0 ? COVERAGE_BEYOND
                                                       : COVERAGE_OFF_NETWORK;
        assert_int_equal(a->status, want_status);
        if (want_status == COVERAGE_COVERED)
            assert_near(a->nearest_m, 820, 0.01);
        seen++;
    }
    assert_int_equal(seen, 3);
    coverage_result_free(r);
}

static void test_line_kinds_and_candidates(void **state)
{
    /* The salon alone (x=200, no access leg): H1 at 210 m and H2 at 10 m. */
    struct coverage_result *r = run(*state, "salon", 10, 100, NULL);
    assert_int_equal(r->ndistricts, 0);
    assert_int_equal(r->nloads, 1);
    assert_int_equal(r->total.households_covered, 2);
    assert_near(household(r, "H1")->nearest_m, 210, 0.01);
    coverage_result_free(r);
    /* Every kind but candidates: desks and salon, so H1 joins; C1 would
     * cover H4 and H6 if candidates counted. */
    r = run(*state, NULL, 10, 100, NULL);
    assert_int_equal(r->nloads, 3);
    assert_int_equal(r->total.households_covered, 6);
    assert_int_equal(household(r, "H4")->status, COVERAGE_BEYOND);
    coverage_result_free(r);
    /* Asked for explicitly, candidates do count. */
    r = run(*state, "candidate", 10, 100, NULL);
    assert_int_equal(r->nloads, 2);
    assert_int_equal(household(r, "H4")->status, COVERAGE_COVERED);
    coverage_result_free(r);
    /* A kind nobody has: every on-network household is unreachable. */
    r = run(*state, "cafeteria", 10, 100, "elementary");
    assert_int_equal(r->total.households_covered, 0);
    assert_int_equal(r->total.households_unreachable, 9);
    assert_int_equal(r->total.households_off_network, 1);
    assert_true(isinf(r->total.median_m));
    coverage_result_free(r);
}

static void test_line_json_and_csv(void **state)
{
    struct pf_db *d = *state;
    struct coverage_result *r = run(d, "consultation", 10, 100, "elementary");
    json_t *doc = plan_json_coverage(r, d->net, PLAN_JSON_ALL);
    assert_non_null(doc);
    json_t *total = json_object_get(doc, "total");
    assert_int_equal(json_integer_value(json_object_get(total, "households")), 10);
    assert_true(json_real_value(json_object_get(total, "share_covered")) == 0.5);
    assert_true(json_real_value(json_object_get(total, "median_min")) == 9.3);
    assert_true(json_is_null(json_object_get(total, "max_min"))); /* unreachable, not a number */
    json_t *dist = json_object_get(doc, "districts");
    assert_int_equal(json_array_size(dist), 3);
    assert_int_equal(json_array_size(json_object_get(doc, "uncovered")), 5);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(doc, "off_network"), "households")), 1);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(doc, "off_network"), "residents")), 7);
    json_decref(doc);
    /* Without the household part there is no uncovered list at all. */
    doc = plan_json_coverage(r, d->net, PLAN_JSON_AGGREGATES | PLAN_JSON_LOADS);
    assert_non_null(doc);
    assert_null(json_object_get(doc, "uncovered"));
    assert_non_null(json_object_get(doc, "resources"));
    char *text = json_dumps(doc, 0);
    assert_non_null(text);
    assert_null(strstr(text, "\"H1\""));
    free(text);
    json_decref(doc);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(plan_json_coverage_csv(f, r), ERR_OK);
    fclose(f);
    assert_non_null(strstr(buf, "code,name,households,households_covered,share_covered"));
    assert_non_null(strstr(buf, "W,West,5,2,0.4000,1,0,9.3,14.3,107,100\n"));
    assert_non_null(strstr(buf, ",(no district),2,1,0.5000,0,1,,,0,0\n"));
    free(buf);
    coverage_result_free(r);
}

static void test_validation(void **state)
{
    struct pf_db *d = *state;
    struct coverage_text t = {.minutes = "0.5"};
    struct coverage_params p;
    struct err e = {0};
    assert_int_equal(coverage_params_parse(&t, "--", &p, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "minutes"));
    err_clear(&e);
    t = (struct coverage_text){.speed = "fast"};
    assert_int_equal(coverage_params_parse(&t, "--", &p, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "--speed"));
    err_clear(&e);
    t = (struct coverage_text){.level = "Bad Level"};
    assert_int_equal(coverage_params_parse(&t, "--", &p, &e), ERR_INPUT);
    err_clear(&e);
    t = (struct coverage_text){
        .minutes = "30", .speed = "slow", .kind = "consultation", .level = "elementary"};
    assert_int_equal(coverage_params_parse(&t, "", &p, &e), ERR_OK);
    assert_true(p.walk.speed == 60.0 && p.walk.minutes == 30.0);
    /* An unknown level is not found; C callers are validated too. */
    p.level = "junior_high";
    struct coverage_result *r = NULL;
    assert_int_equal(coverage_run(d->st, d->net, d->ws, &p, &r, &e), ERR_NOTFOUND);
    assert_null(r);
    err_clear(&e);
    p.level = NULL;
    p.walk.minutes = 500;
    assert_int_equal(coverage_run(d->st, d->net, d->ws, &p, &r, &e), ERR_INPUT);
    assert_null(r);
}

/* ---- the demo town and 宇部市: every household against walk_reachable ---- */

struct hh_row {
    char id[64];
    double x, y;
    long district;
};

struct hh_rows {
    struct hh_row *v;
    size_t n, cap;
};

static int collect(void *ctx, const struct store_plan_household *h)
{
    struct hh_rows *r = ctx;
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 256;
        r->v = realloc(r->v, r->cap * sizeof *r->v);
        assert_non_null(r->v);
    }
    struct hh_row *o = &r->v[r->n++];
    snprintf(o->id, sizeof o->id, "%s", h->ext_id);
    o->x = h->x;
    o->y = h->y;
    o->district = h->district;
    return 0;
}

static int dcmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Compares coverage with one walk query per household. */
static void compare_with_walk(struct pf_db *d, const char *kind, double minutes, const char *level)
{
    struct coverage_result *r = run(d, kind, minutes, 80, level);
    struct hh_rows rows = {0};
    struct err e = {0};
    assert_int_equal(store_plan_households_each(d->st, level, collect, &rows, &e), ERR_OK);
    assert_int_equal(rows.n, r->nhouseholds);
    struct crs *c = crs_open(walk_net_srid(d->net), NULL);
    assert_non_null(c);
    double *walk = malloc(rows.n * sizeof *walk);
    assert_non_null(walk);
    int covered = 0, beyond = 0, off = 0, unreach = 0;
    for (size_t i = 0; i < rows.n; i++) {
        const struct coverage_household *h = &r->households[i];
        assert_string_equal(h->ext_id, rows.v[i].id);
        struct walk_query q = {.minutes = WALK_MAX_MINUTES, .speed = 80, .kind = kind};
        assert_int_equal(crs_to_lonlat(c, rows.v[i].x, rows.v[i].y, &q.lon, &q.lat), ERR_OK);
        struct walk_result wr;
        err_clear(&e);
        int rc = walk_reachable(d->ws, &q, &wr, &e);
        if (rc == ERR_INPUT && strstr(e.msg, "off the network")) {
            assert_int_equal(h->status, COVERAGE_OFF_NETWORK);
            walk[i] = NAN;
            off++;
            continue;
        }
        assert_int_equal(rc, ERR_OK);
        double nearest = wr.n > 0 ? wr.hits[0].walk_m : INFINITY;
        walk[i] = nearest;
        if (!isfinite(nearest)) {
            /* Nothing within the longest walk allowed: unreachable here. */
            assert_int_equal(h->status, COVERAGE_UNREACHABLE);
            unreach++;
            continue;
        }
        if (fabs(h->nearest_m - nearest) > 0.1)
            fail_msg("household %zu: coverage %.3f m, walk %.3f m", i, h->nearest_m, nearest);
        if (fabs(nearest - minutes * 80) < 1e-6)
            continue; /* exactly at the limit: ambiguous within float noise */
        int want = nearest <= minutes * 80 ? COVERAGE_COVERED : COVERAGE_BEYOND;
        if (h->status != want)
            fail_msg("household %zu: status %d, walk says %d (%.3f m)", i, h->status, want,
                     nearest);
        covered += want == COVERAGE_COVERED;
        beyond += want == COVERAGE_BEYOND;
    }
    print_message("%zu households: %d covered, %d beyond, %d unreachable, %d off the network "
                  "(all equal to the walk query)\n",
                  rows.n, covered, beyond, unreach, off);
    assert_int_equal(covered, r->total.households_covered);
    assert_int_equal(off, r->total.households_off_network);
    /* District medians and worst from the walk answers. */
    for (size_t k = 0; k < r->ndistricts; k++) {
        double *v = malloc((rows.n + 1) * sizeof *v);
        assert_non_null(v);
        size_t m = 0;
        for (size_t i = 0; i < rows.n; i++)
            if (r->households[i].district == k && !isnan(walk[i]))
                v[m++] = walk[i];
        if (m > 0) {
            qsort(v, m, sizeof *v, dcmp);
            double med = m % 2 ? v[m / 2] : (v[m / 2 - 1] + v[m / 2]) / 2;
            if (isfinite(med))
                assert_near(r->districts[k].median_m, med, 0.1);
            if (isfinite(v[m - 1]))
                assert_near(r->districts[k].max_m, v[m - 1], 0.1);
        }
        free(v);
    }
    free(walk);
    free(rows.v);
    crs_close(c);
    coverage_result_free(r);
}

static int demo_setup(void **state)
{
    *state = pf_demo_town();
    return 0;
}

static void test_demo_equals_walk(void **state)
{
    compare_with_walk(*state, "consultation", 30, "elementary");
    compare_with_walk(*state, "salon", 15, "junior_high");
}

static void test_demo_gap_and_totals(void **state)
{
    struct pf_db *d = *state;
    struct coverage_result *r = run(d, "consultation", 30, 80, "elementary");
    /* data/README.md: the deliberate gap is E05; 3 farm households are off
     * the network; 15000 residents in 22 areas. */
    const struct coverage_district *e05 = NULL;
    long hh = 0, res = 0;
    for (size_t i = 0; i < r->ndistricts; i++) {
        if (r->districts[i].code && strcmp(r->districts[i].code, "E05") == 0)
            e05 = &r->districts[i];
        hh += r->districts[i].households;
        res += r->districts[i].residents;
    }
    assert_non_null(e05);
    for (size_t i = 0; i < r->ndistricts; i++)
        if (&r->districts[i] != e05 && r->districts[i].households > 0)
            assert_true(e05->households_covered * r->districts[i].households <
                        r->districts[i].households_covered * e05->households);
    assert_int_equal(hh, 350);
    assert_int_equal(r->total.households, 350);
    assert_int_equal(r->total.households_off_network, 3);
    assert_int_equal(res, 15000);
    assert_int_equal(r->total.residents, 15000);
    long nearest = 0;
    for (size_t i = 0; i < r->nloads; i++)
        nearest += r->loads[i].households_nearest;
    assert_int_equal(nearest, 350 - 3 - r->total.households_unreachable);
    print_message("demo consultation 30 min: %ld of 350 covered; E05 %ld of %ld\n",
                  r->total.households_covered, e05->households_covered, e05->households);
    coverage_result_free(r);
}

static int ube_setup(void **state)
{
    *state = pf_ube(300);
    return 0;
}

static void test_ube_equals_walk(void **state)
{
    if (*state == NULL) {
        print_message("SKIP: ../shared/data/ube is absent; this test needs the real network\n");
        skip();
    }
    compare_with_walk(*state, "shelter", 15, NULL);
}

/* 生駒市: every census area's representative point falls in one of the 12
 * elementary districts and the residents add up to the census total. */
static int sum_areas(void *ctx, const struct store_plan_area *a)
{
    long *acc = ctx;
    acc[0] += a->residents;
    acc[1] += a->district != 0;
    acc[2]++;
    return 0;
}

static void test_ikoma_areas_join(void **state)
{
    (void)state;
    char *districts = tu_require_shared("ikoma/A27-23_29.shp");
    char *census = tu_require_shared("ikoma/r2ka29209.topojson");
    struct pf_db *d = pf_new("ikoma.db");
    struct import_opts o = {.kind = IMPORT_DISTRICTS,
                            .src.path = districts,
                            .level = "elementary",
                            .municipality = "29209"};
    struct import_report rep;
    struct err e = {0};
    assert_int_equal(import_run(d->st, &o, &rep, &e), ERR_OK);
    struct import_opts op = {.kind = IMPORT_POPULATION, .src.path = census, .src.layer = "town"};
    assert_int_equal(import_run(d->st, &op, &rep, &e), ERR_OK);
    long acc[3] = {0, 0, 0};
    assert_int_equal(store_plan_areas_each(d->st, "elementary", sum_areas, acc, &e), ERR_OK);
    print_message("生駒市: %ld areas, %ld residents, %ld in an elementary district\n", acc[2],
                  acc[0], acc[1]);
    assert_int_equal(acc[2], 123);
    assert_int_equal(acc[0], 116675);
    assert_int_equal(acc[1], 123);
    pf_free(d);
    free(districts);
    free(census);
}

int main(void)
{
    const struct CMUnitTest line[] = {
        cmocka_unit_test(test_line_districts),
        cmocka_unit_test(test_line_households_and_loads),
        cmocka_unit_test(test_line_kinds_and_candidates),
        cmocka_unit_test(test_line_json_and_csv),
        cmocka_unit_test(test_validation),
    };
    const struct CMUnitTest demo[] = {
        cmocka_unit_test(test_demo_equals_walk),
        cmocka_unit_test(test_demo_gap_and_totals),
    };
    const struct CMUnitTest ube[] = {
        cmocka_unit_test(test_ube_equals_walk),
    };
    const struct CMUnitTest ikoma[] = {
        cmocka_unit_test(test_ikoma_areas_join),
    };
    int rc = cmocka_run_group_tests_name("line town", line, line_setup, db_teardown);
    rc += cmocka_run_group_tests_name("demo town", demo, demo_setup, db_teardown);
    rc += cmocka_run_group_tests_name("宇部市", ube, ube_setup, db_teardown);
    rc += cmocka_run_group_tests_name("生駒市", ikoma, NULL, NULL);
    return rc;
}
