/* SPDX-License-Identifier: MIT */
/* test_suggest.c - tests suggest.c: the hand-checkable line town (which
 * candidate covers whom, in which order, and stopping when nothing helps),
 * and on the demo town brute force in the other direction: one search FROM
 * every candidate (every candidate resource, every network node) to the
 * uncovered households; the best single gain must equal greedy's first
 * pick, gains never increase, and the coverage after all picks recomputed
 * from searches out of the picked sites equals what suggest reports (the
 * existing sites stay fixed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "coverage.h"
#include "plan_fixture.h"
#include "plan_json.h"
#include "search.h"
#include "suggest.h"

#include <math.h>

static struct suggest_result *run(struct pf_db *d, const char *kind, double minutes, double speed,
                                  int sites, const char *candidates)
{
    struct suggest_params p = {.cov = {.walk = {.minutes = minutes, .speed = speed, .kind = kind}},
                               .sites = sites,
                               .candidates = candidates};
    struct suggest_result *r = NULL;
    struct err e = {0};
    if (suggest_run(d->st, d->net, d->ws, &p, &r, &e) != ERR_OK)
        fail_msg("suggest_run: %s", e.msg);
    return r;
}

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

static void test_line_candidates(void **state)
{
    struct pf_db *d = *state;
    struct suggest_result *r = run(d, "consultation", 10, 100, 3, "candidate");
    assert_int_equal(r->households, 10);
    assert_int_equal(r->households_covered_before, 5);
    assert_int_equal(r->ncandidates, 2);
    assert_int_equal(r->searches, 5); /* H1, H4, H6, H10 and area A2 */
    assert_int_equal(r->npicks, 2);   /* a third site would add nothing */
    const struct walk_resource *w0 = walk_net_resource(d->net, r->picks[0].resource);
    const struct walk_resource *w1 = walk_net_resource(d->net, r->picks[1].resource);
    assert_string_equal(w0->ext_id, "C1");
    assert_int_equal(r->picks[0].households_added, 2); /* H4, H6 */
    assert_int_equal(r->picks[0].residents_added, 50); /* A2 */
    assert_int_equal(r->picks[0].households_covered, 7);
    assert_true(fabs(r->picks[0].share_covered - 0.7) < 1e-12);
    assert_string_equal(w1->ext_id, "C0");
    assert_int_equal(r->picks[1].households_added, 1); /* H1 */
    assert_int_equal(r->picks[1].residents_added, 0);
    assert_int_equal(r->picks[1].households_covered, 8);
    json_t *doc = plan_json_suggest(r, d->net);
    assert_non_null(doc);
    json_t *picks = json_object_get(doc, "picks");
    assert_int_equal(json_array_size(picks), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(picks, 0), "id")), "C1");
    assert_true(json_real_value(json_object_get(json_array_get(picks, 1), "share_covered")) == 0.8);
    json_decref(doc);
    suggest_result_free(r);
}

static void test_line_network_nodes(void **state)
{
    struct pf_db *d = *state;
    /* Nodes stand only at street ends: x=0 covers H1 (10 m), the island's
     * ends cover H10 (510 m); the far end x=5000 covers nobody new. */
    struct suggest_result *r = run(d, "consultation", 10, 100, 5, NULL);
    assert_int_equal(r->npicks, 2);
    assert_int_equal(r->picks[0].households_added, 1);
    assert_int_equal(r->picks[1].households_added, 1);
    assert_int_equal(r->picks[1].households_covered, 7);
    for (size_t i = 0; i < r->npicks; i++)
        assert_true(r->picks[i].resource == COVERAGE_NONE);
    suggest_result_free(r);
}

/* Network-node suggestions too large to finish are refused before any
 * search, with a sentence saying what to narrow. */
static void test_work_limit_before_searching(void **state)
{
    struct pf_db *d = *state;
    struct suggest_params p = {
        .cov = {.walk = {.minutes = 20, .speed = 80, .kind = "consultation"}},
        .sites = 3,
        .max_work = 1000};
    struct suggest_result *r = NULL;
    struct err e = {0};
    assert_int_equal(suggest_run(d->st, d->net, d->ws, &p, &r, &e), ERR_LIMIT);
    assert_null(r);
    assert_non_null(strstr(e.msg, "name a candidate layer"));
    assert_non_null(strstr(e.msg, "fewer minutes"));
    err_clear(&e);
    p.max_work = 0; /* the default limit: the demo town is far below it */
    assert_int_equal(suggest_run(d->st, d->net, d->ws, &p, &r, &e), ERR_OK);
    assert_true(r->npicks > 0);
    suggest_result_free(r);
}

static void test_validation(void **state)
{
    struct pf_db *d = *state;
    struct suggest_text t = {.sites = "0"};
    struct suggest_params p;
    struct err e = {0};
    assert_int_equal(suggest_params_parse(&t, "--", &p, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "--sites"));
    t.sites = "51";
    assert_int_equal(suggest_params_parse(&t, "--", &p, &e), ERR_INPUT);
    t.sites = "3x";
    assert_int_equal(suggest_params_parse(&t, "--", &p, &e), ERR_INPUT);
    t.sites = "50";
    err_clear(&e);
    assert_int_equal(suggest_params_parse(&t, "--", &p, &e), ERR_OK);
    assert_int_equal(p.sites, 50);
    struct suggest_result *r = NULL;
    p.candidates = "school";
    assert_int_equal(suggest_run(d->st, d->net, d->ws, &p, &r, &e), ERR_NOTFOUND);
    assert_null(r);
    err_clear(&e);
    p.candidates = "consultation";
    p.cov.walk.kind = "consultation";
    assert_int_equal(suggest_run(d->st, d->net, d->ws, &p, &r, &e), ERR_INPUT);
    assert_null(r);
}

/* Households not covered by the existing sites, on the network. */
static size_t uncovered_places(struct pf_db *d, const char *kind, double limit,
                               struct graph_place **out)
{
    struct coverage_params cp = {.walk = {.minutes = limit / 80, .speed = 80, .kind = kind}};
    struct coverage_result *cov = NULL;
    struct err e = {0};
    assert_int_equal(coverage_run(d->st, d->net, d->ws, &cp, &cov, &e), ERR_OK);
    struct graph_place *pl = malloc((cov->nhouseholds + 1) * sizeof *pl);
    assert_non_null(pl);
    size_t n = 0;
    for (size_t i = 0; i < cov->nhouseholds; i++)
        if (cov->households[i].status == COVERAGE_BEYOND ||
            cov->households[i].status == COVERAGE_UNREACHABLE)
            pl[n++] = cov->households[i].place;
    coverage_result_free(cov);
    *out = pl;
    return n;
}

/* Uncovered households within limit of a site at `from` (not yet marked). */
static long gain_from(struct pf_db *d, const struct graph_place *from, double limit,
                      const struct graph_place *pl, size_t n, unsigned char *mark)
{
    struct search_hit *hits = malloc((n + 1) * sizeof *hits);
    assert_non_null(hits);
    struct search_params sp = {limit, 1.0};
    struct err e = {0};
    assert_int_equal(search_run(walk_session_search(d->ws), &sp, from, NULL, 1, pl, n, hits, &e),
                     ERR_OK);
    long g = 0;
    for (size_t i = 0; i < n; i++)
        if (hits[i].reached && !(mark && mark[i])) {
            g++;
            if (mark)
                mark[i] = 2; /* newly covered by this site */
        }
    for (size_t i = 0; mark && i < n; i++)
        if (mark[i] == 2)
            mark[i] = 1;
    free(hits);
    return g;
}

static void check_against_brute_force(struct pf_db *d, const char *candidates)
{
    const double limit = 20 * 80.0;
    struct suggest_result *r = run(d, "consultation", 20, 80, 6, candidates);
    struct graph_place *pl;
    size_t n = uncovered_places(d, "consultation", limit, &pl);
    assert_int_equal(n, r->households - r->households_covered_before - r->households_off_network);
    /* Brute force over every single candidate, searching FROM it. */
    const struct graph *g = walk_net_graph(d->net);
    long best = 0;
    size_t tried = 0;
    if (candidates) {
        for (size_t i = 0; i < walk_net_resource_count(d->net); i++) {
            const struct walk_resource *w = walk_net_resource(d->net, i);
            if (!w->on_network || strcmp(w->kind, candidates) != 0)
                continue;
            long gi = gain_from(d, &w->place, limit, pl, n, NULL);
            best = gi > best ? gi : best;
            tried++;
        }
    } else {
        struct graph_view v;
        graph_view(g, &v);
        for (uint32_t nd = 0; nd < v.nnodes; nd++) {
            if (v.adj_off[nd] == v.adj_off[nd + 1])
                continue;
            uint32_t ed = v.adj_edge[v.adj_off[nd]];
            struct graph_place at;
            struct err e = {0};
            assert_int_equal(
                graph_place_at(g, ed, v.edge_uv[2 * ed] == nd ? 0 : v.length[ed], &at, &e), ERR_OK);
            long gi = gain_from(d, &at, limit, pl, n, NULL);
            best = gi > best ? gi : best;
            tried++;
        }
    }
    print_message("%s: %zu uncovered, brute force over %zu candidates: best single site %ld; "
                  "greedy picks %zu, first %ld\n",
                  candidates ? candidates : "network nodes", n, tried, best, r->npicks,
                  r->npicks ? r->picks[0].households_added : 0L);
    assert_true(r->npicks >= 1);
    assert_int_equal(r->picks[0].households_added, best);
    /* Gains never increase; the running totals add up from the fixed start. */
    long covered = r->households_covered_before;
    for (size_t i = 0; i < r->npicks; i++) {
        if (i > 0)
            assert_true(r->picks[i].households_added <= r->picks[i - 1].households_added);
        covered += r->picks[i].households_added;
        assert_int_equal(r->picks[i].households_covered, covered);
    }
    /* Recompute from searches out of the picked sites: each pick adds
     * exactly the households it newly reaches. */
    unsigned char *mark = calloc(n + 1, 1);
    assert_non_null(mark);
    for (size_t i = 0; i < r->npicks; i++) {
        struct graph_place at;
        if (r->picks[i].resource != COVERAGE_NONE) {
            at = walk_net_resource(d->net, r->picks[i].resource)->place;
        } else {
            struct err e = {0};
            assert_int_equal(graph_snap(g, r->picks[i].x, r->picks[i].y, 1.0, &at, &e), ERR_OK);
        }
        long gi = gain_from(d, &at, limit, pl, n, mark);
        assert_int_equal(gi, r->picks[i].households_added);
    }
    free(mark);
    free(pl);
    suggest_result_free(r);
}

static void test_demo_candidates_brute_force(void **state)
{
    check_against_brute_force(*state, "candidate");
}

static void test_demo_nodes_brute_force(void **state)
{
    check_against_brute_force(*state, NULL);
}

static void test_demo_gap_closed(void **state)
{
    /* The E05 gap: one candidate school closes it for every on-network household. */
    struct pf_db *d = *state;
    struct suggest_result *r = run(d, "consultation", 30, 80, 3, "candidate");
    assert_int_equal(r->households_covered_before, 281);
    assert_true(r->npicks >= 1);
    long reachable = r->households - r->households_off_network;
    assert_int_equal(r->picks[r->npicks - 1].households_covered, reachable);
    assert_true(r->have_areas);
    assert_true(r->picks[0].residents_added > 0);
    suggest_result_free(r);
}

/* SUGGEST_CELLS against the exact greedy on the demo town (where
 * SUGGEST_AUTO is exact: few uncovered points): every gain it reports is
 * exact (recomputed by searches out of the picked sites, in pick order),
 * and it keeps the share of the exact greedy's added households measured
 * here (README "Prefecture scale"); AUTO gives the exact answer. */
static void test_demo_cells_vs_exact(void **state)
{
    struct pf_db *d = *state;
    const double limit = 12 * 80.0;
    const int sites = 3;
    struct suggest_params p = {
        .cov = {.walk = {.minutes = 12, .speed = 80, .kind = "consultation"}}, .sites = sites};
    struct suggest_result *ra = NULL, *rx = NULL, *rc = NULL;
    struct err e = {0};
    assert_int_equal(suggest_run(d->st, d->net, d->ws, &p, &ra, &e), ERR_OK);
    p.method = SUGGEST_EXACT;
    assert_int_equal(suggest_run(d->st, d->net, d->ws, &p, &rx, &e), ERR_OK);
    p.method = SUGGEST_CELLS;
    assert_int_equal(suggest_run(d->st, d->net, d->ws, &p, &rc, &e), ERR_OK);
    assert_int_equal(ra->method, SUGGEST_EXACT);
    assert_int_equal(rx->method, SUGGEST_EXACT);
    assert_int_equal(rc->method, SUGGEST_CELLS);
    assert_true(rc->ncells > 0 && rc->cell_m == limit / SUGGEST_CELL_DIV);
    assert_int_equal(ra->npicks, rx->npicks);
    for (size_t i = 0; i < ra->npicks; i++) {
        assert_int_equal(ra->picks[i].node, rx->picks[i].node);
        assert_int_equal(ra->picks[i].households_added, rx->picks[i].households_added);
    }
    /* Every gain reported is exact. */
    struct graph_place *pl;
    size_t n = uncovered_places(d, "consultation", limit, &pl);
    unsigned char *mark = calloc(n + 1, 1);
    assert_non_null(mark);
    const struct graph *g = walk_net_graph(d->net);
    long added_c = 0, added_x = 0;
    for (size_t i = 0; i < rc->npicks; i++) {
        struct graph_place at;
        assert_int_equal(graph_snap(g, rc->picks[i].x, rc->picks[i].y, 1.0, &at, &e), ERR_OK);
        assert_int_equal(gain_from(d, &at, limit, pl, n, mark), rc->picks[i].households_added);
        added_c += rc->picks[i].households_added;
    }
    for (size_t i = 0; i < rx->npicks; i++)
        added_x += rx->picks[i].households_added;
    print_message("demo town, %d sites within %.0f min: exact greedy adds %ld households in %zu "
                  "searches, cells of %.0f m add %ld in %zu searches (%zu cells)\n",
                  sites, limit / 80, added_x, rx->searches, rc->cell_m, added_c, rc->searches,
                  rc->ncells);
    /* The share measured on this instance, and on the 500k grid the same
     * three sites (README): at least 95 % of the exact greedy's. */
    assert_true(added_c * 100 >= added_x * 95);
    free(mark);
    free(pl);
    suggest_result_free(ra);
    suggest_result_free(rx);
    suggest_result_free(rc);
}

static int ube_setup(void **state)
{
    *state = pf_ube(300);
    return 0;
}

static void test_ube_nodes(void **state)
{
    struct pf_db *d = *state;
    if (d == NULL) {
        print_message("SKIP: ../shared/data/ube is absent; this test needs the real network\n");
        skip();
    }
    struct suggest_result *r = run(d, "shelter", 10, 80, 5, NULL);
    print_message("宇部市 shelters 10 min: %ld of %ld covered; %zu candidate nodes, %zu searches\n",
                  r->households_covered_before, r->households, r->ncandidates, r->searches);
    for (size_t i = 0; i < r->npicks; i++)
        print_message("  pick %zu: +%ld households -> %.1f%%\n", i + 1,
                      r->picks[i].households_added, 100 * r->picks[i].share_covered);
    assert_int_equal(r->npicks, 5);
    assert_true(r->picks[0].households_added > 0);
    for (size_t i = 1; i < r->npicks; i++)
        assert_true(r->picks[i].households_added <= r->picks[i - 1].households_added);
    suggest_result_free(r);
}

/* SUGGEST_CELLS against the exact greedy on the real 宇部市 network (an
 * irregular street pattern, unlike the grids the cells were measured on). */
static void test_ube_cells_vs_exact(void **state)
{
    struct pf_db *d = *state;
    if (d == NULL) {
        print_message("SKIP: ../shared/data/ube is absent; this test needs the real network\n");
        skip();
    }
    struct suggest_params p = {.cov = {.walk = {.minutes = 10, .speed = 80, .kind = "shelter"}},
                               .sites = 5,
                               .method = SUGGEST_EXACT};
    struct suggest_result *rx = NULL, *rc = NULL;
    struct err e = {0};
    assert_int_equal(suggest_run(d->st, d->net, d->ws, &p, &rx, &e), ERR_OK);
    p.method = SUGGEST_CELLS;
    assert_int_equal(suggest_run(d->st, d->net, d->ws, &p, &rc, &e), ERR_OK);
    long added_x = 0, added_c = 0;
    for (size_t i = 0; i < rx->npicks; i++)
        added_x += rx->picks[i].households_added;
    for (size_t i = 0; i < rc->npicks; i++)
        added_c += rc->picks[i].households_added;
    print_message("宇部市 shelters 10 min, 5 sites: exact greedy adds %ld households in %zu "
                  "searches, cells of %.0f m add %ld in %zu searches\n",
                  added_x, rx->searches, rc->cell_m, added_c, rc->searches);
    assert_true(added_c * 100 >= added_x * 95);
    suggest_result_free(rx);
    suggest_result_free(rc);
}

int main(void)
{
    const struct CMUnitTest line[] = {
        cmocka_unit_test(test_line_candidates),
        cmocka_unit_test(test_line_network_nodes),
        cmocka_unit_test(test_validation),
    };
    const struct CMUnitTest demo[] = {
        cmocka_unit_test(test_demo_candidates_brute_force),
        cmocka_unit_test(test_demo_nodes_brute_force),
        cmocka_unit_test(test_demo_gap_closed),
        cmocka_unit_test(test_demo_cells_vs_exact),
        cmocka_unit_test(test_work_limit_before_searching),
    };
    const struct CMUnitTest ube[] = {
        cmocka_unit_test(test_ube_nodes),
        cmocka_unit_test(test_ube_cells_vs_exact),
    };
    int rc = cmocka_run_group_tests_name("line town", line, line_setup, db_teardown);
    rc += cmocka_run_group_tests_name("demo town", demo, demo_setup, db_teardown);
    rc += cmocka_run_group_tests_name("宇部市", ube, ube_setup, db_teardown);
    return rc;
}
