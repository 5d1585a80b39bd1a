/* SPDX-License-Identifier: MIT */
/* test_tour.c - tests tour.c against independent references: Held-Karp
 * against brute force over every permutation (up to 8 stops), the
 * heuristic against Held-Karp on random instances of up to 12 stops (within
 * 1%), against best-known lengths of 100- and 200-stop instances (mean
 * within 0.3%, none beyond 1%), 200 random stops (valid, never worse than
 * simple orders; the time is printed, not asserted), asymmetric matrices
 * and fixed seeds, and the day split against brute force over every way to
 * cut a sequence into days. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tour.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Deterministic pseudo-random numbers in [0, 1). */
static double rnd(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*s >> 11) / 9007199254740992.0;
}

/* A random instance: n points in a 3 km square; Euclidean (kind 0),
 * Manhattan (1, street-grid-like) or random symmetric non-metric (2). */
static double *instance(size_t n, int kind, uint64_t *s)
{
    double *xy = malloc(2 * n * sizeof *xy), *d = malloc(n * n * sizeof *d);
    assert_non_null(xy);
    assert_non_null(d);
    for (size_t i = 0; i < 2 * n; i++)
        xy[i] = 3000.0 * rnd(s);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i; j < n; j++) {
            double dx = fabs(xy[2 * i] - xy[2 * j]), dy = fabs(xy[2 * i + 1] - xy[2 * j + 1]);
            double v = kind == 0 ? hypot(dx, dy) : kind == 1 ? dx + dy : 3000.0 * rnd(s);
            d[i * n + j] = d[j * n + i] = i == j ? 0.0 : v;
        }
    free(xy);
    return d;
}

static void assert_valid_order(const size_t *order, size_t n)
{
    assert_int_equal(order[0], 0);
    unsigned char *seen = calloc(n, 1);
    assert_non_null(seen);
    for (size_t k = 0; k < n; k++) {
        assert_true(order[k] < n);
        assert_false(seen[order[k]]);
        seen[order[k]] = 1;
    }
    free(seen);
}

/* Shortest tour by trying every permutation of the stops (Heap's algorithm). */
static double brute_force(const double *d, size_t n)
{
    size_t p[16], c[16] = {0};
    for (size_t k = 0; k < n; k++)
        p[k] = k;
    double best = tour_length(d, n, p, n);
    size_t m = n - 1, i = 0;
    size_t *a = p + 1;
    while (i < m) {
        if (c[i] < i) {
            size_t j = i % 2 == 0 ? 0 : c[i];
            size_t t = a[j];
            a[j] = a[i];
            a[i] = t;
            double len = tour_length(d, n, p, n);
            if (len < best)
                best = len;
            c[i]++;
            i = 0;
        } else {
            c[i] = 0;
            i++;
        }
    }
    return best;
}

static void test_exact_matches_brute_force(void **state)
{
    (void)state;
    uint64_t s = 42;
    int checked = 0;
    for (size_t n = 1; n <= 9; n++)
        for (int kind = 0; kind < 3; kind++)
            for (int rep = 0; rep < 6; rep++) {
                double *d = instance(n, kind, &s);
                size_t order[16];
                double len = -1;
                struct err e = {0};
                assert_int_equal(tour_exact(d, n, order, &len, &e), ERR_OK);
                assert_valid_order(order, n);
                assert_true(fabs(len - tour_length(d, n, order, n)) < 1e-6);
                double want = brute_force(d, n);
                if (fabs(len - want) > 1e-6)
                    fail_msg("n=%zu kind=%d: Held-Karp %.3f, brute force %.3f", n, kind, len, want);
                free(d);
                checked++;
            }
    print_message("Held-Karp equals brute force on %d instances of 0-8 stops\n", checked);
}

static void test_heuristic_within_one_percent(void **state)
{
    (void)state;
    uint64_t s = 7;
    int checked = 0, optimal = 0;
    double worst = 0.0;
    for (size_t n = 2; n <= 13; n++)
        for (int kind = 0; kind < 3; kind++)
            for (int rep = 0; rep < 25; rep++) {
                double *d = instance(n, kind, &s);
                size_t ho[16], eo[16];
                double hl, el;
                struct err e = {0};
                assert_int_equal(tour_heuristic(d, n, ho, &hl, &e), ERR_OK);
                assert_int_equal(tour_exact(d, n, eo, &el, &e), ERR_OK);
                assert_valid_order(ho, n);
                assert_true(fabs(hl - tour_length(d, n, ho, n)) < 1e-6);
                assert_true(hl >= el - 1e-6); /* nothing beats the optimum */
                double gap = el > 0 ? hl / el - 1.0 : 0.0;
                if (gap > 0.01)
                    fail_msg("n=%zu kind=%d: heuristic %.2f vs optimum %.2f (%.2f%%)", n, kind, hl,
                             el, 100 * gap);
                worst = fmax(worst, gap);
                optimal += gap < 1e-9;
                checked++;
                /* tour_solve is exact in this range. */
                size_t so[16];
                double sl;
                assert_int_equal(tour_solve(d, n, so, &sl, &e), ERR_OK);
                assert_true(fabs(sl - el) < 1e-6);
                free(d);
            }
    print_message("heuristic on %d instances of 1-12 stops: %d optimal, worst gap %.3f%%\n",
                  checked, optimal, 100 * worst);
}

/* Best-known lengths of 100- and 200-stop instances drawn by instance()
 * from seed 19 in this order (kind = q % 2: euclidean, then street grid),
 * each the shortest of tour_heuristic and 20 runs of tour_search with ten
 * times the default kicks and the seeds 1001-1020. */
static const struct {
    size_t stops;
    int kind;
    double len;
} best_known[] = {
    {100, 0, 24019.595}, {100, 1, 28843.185}, {100, 0, 23550.232}, {100, 1, 28498.654},
    {100, 0, 23042.322}, {100, 1, 29134.991}, {200, 0, 32892.916}, {200, 1, 40128.741},
    {200, 0, 32045.914}, {200, 1, 39074.869},
};

static void test_heuristic_near_best_known(void **state)
{
    (void)state;
    uint64_t s = 19;
    size_t cnt = sizeof best_known / sizeof best_known[0];
    double sum = 0.0, worst = 0.0;
    size_t order[TOUR_MAX_STOPS + 1];
    for (size_t q = 0; q < cnt; q++) {
        size_t n = best_known[q].stops + 1;
        double *d = instance(n, best_known[q].kind, &s);
        double len;
        struct err e = {0};
        assert_int_equal(tour_heuristic(d, n, order, &len, &e), ERR_OK);
        assert_valid_order(order, n);
        assert_true(fabs(len - tour_length(d, n, order, n)) < 1e-6);
        double gap = len / best_known[q].len - 1.0;
        if (gap > 0.01)
            fail_msg("%zu stops (kind %d): %.1f m, %.2f%% above the best known %.1f m", n - 1,
                     best_known[q].kind, len, 100 * gap, best_known[q].len);
        sum += gap;
        worst = fmax(worst, gap);
        free(d);
    }
    print_message("100-200 stops, %zu instances: mean %.3f%%, worst %.3f%% above the best known\n",
                  cnt, 100 * sum / (double)cnt, 100 * worst);
    assert_true(sum / (double)cnt <= 0.003);
}

static void test_asymmetric_and_seeds(void **state)
{
    (void)state;
    uint64_t s = 11;
    size_t n = 41;
    double *d = instance(n, 0, &s);
    /* One way longer than the other: a hill, or a one-way detour. */
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            d[i * n + j] *= 1.0 + 0.5 * rnd(&s);
    size_t a[64], b[64], ident[64];
    double la, lb, li;
    struct err e = {0};
    assert_int_equal(tour_heuristic(d, n, a, &la, &e), ERR_OK);
    assert_valid_order(a, n);
    assert_true(fabs(la - tour_length(d, n, a, n)) < 1e-6); /* on d as given */
    for (size_t k = 0; k < n; k++)
        ident[k] = k;
    double before = tour_length(d, n, ident, n);
    assert_int_equal(tour_improve(d, n, ident, &li, &e), ERR_OK);
    assert_valid_order(ident, n);
    assert_true(li <= before + 1e-9);
    assert_true(fabs(li - tour_length(d, n, ident, n)) < 1e-6);
    free(d);
    /* The same seed gives the same order; another seed a valid one. */
    d = instance(n, 1, &s);
    assert_int_equal(tour_search(d, n, 500, 7, a, &la, &e), ERR_OK);
    assert_int_equal(tour_search(d, n, 500, 7, b, &lb, &e), ERR_OK);
    assert_memory_equal(a, b, n * sizeof *a);
    assert_int_equal(tour_search(d, n, 500, 8, b, &lb, &e), ERR_OK);
    assert_valid_order(b, n);
    /* No kicks: one local search from nearest neighbour, never shorter. */
    assert_int_equal(tour_search(d, n, 0, 7, b, &lb, &e), ERR_OK);
    assert_valid_order(b, n);
    assert_true(lb >= la - 1e-6);
    free(d);
}

static void test_two_hundred_stops(void **state)
{
    (void)state;
    uint64_t s = 2024;
    size_t n = TOUR_MAX_STOPS + 1;
    for (int kind = 0; kind < 2; kind++) {
        double *d = instance(n, kind, &s);
        size_t *order = malloc(n * sizeof *order), *ident = malloc(n * sizeof *ident);
        assert_non_null(order);
        assert_non_null(ident);
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        double len;
        struct err e = {0};
        assert_int_equal(tour_solve(d, n, order, &len, &e), ERR_OK);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        assert_valid_order(order, n);
        for (size_t k = 0; k < n; k++)
            ident[k] = k;
        double id_len = tour_length(d, n, ident, n);
        double improved;
        assert_int_equal(tour_improve(d, n, ident, &improved, &e), ERR_OK);
        assert_valid_order(ident, n);
        assert_true(improved <= id_len + 1e-9);
        /* Random points in a 3 km square: a good tour of 200 is far below the
         * random order (about 200 x 1.1 km). */
        assert_true(len < 0.25 * id_len);
        print_message("200 stops (%s): tour %.1f km (random order %.1f km) in %.1f ms\n",
                      kind == 0 ? "euclidean" : "manhattan", len / 1000, id_len / 1000,
                      (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
        free(order);
        free(ident);
        free(d);
    }
}

/* Every way to cut positions 1..m into consecutive days: the fewest days,
 * then the least walk. */
static void brute_split(const double *d, size_t n, const size_t *order, double speed, double dwell,
                        double budget, size_t *best_days, double *best_walk)
{
    size_t m = n - 1;
    *best_days = SIZE_MAX;
    *best_walk = INFINITY;
    for (unsigned long mask = 0; mask < (1ul << (m - 1)); mask++) {
        size_t days = 0, first = 1;
        double walk = 0;
        int ok = 1;
        for (size_t k = 1; k <= m && ok; k++) {
            int cut = k == m || (mask & (1ul << (k - 1)));
            if (!cut)
                continue;
            double w = d[order[first]]; /* depot to the day's first stop */
            for (size_t q = first; q < k; q++)
                w += d[order[q] * n + order[q + 1]];
            w += d[order[k] * n];
            if (w / speed + dwell * (double)(k - first + 1) > budget + 1e-9)
                ok = 0;
            walk += w;
            days++;
            first = k + 1;
        }
        if (ok && (days < *best_days || (days == *best_days && walk < *best_walk - 1e-7))) {
            *best_days = days;
            *best_walk = walk;
        }
    }
}

static void test_split(void **state)
{
    (void)state;
    uint64_t s = 5;
    int checked = 0, multi = 0;
    for (size_t n = 2; n <= 11; n++)
        for (int rep = 0; rep < 20; rep++) {
            double *d = instance(n, 0, &s);
            size_t order[16];
            double len;
            struct err e = {0};
            assert_int_equal(tour_solve(d, n, order, &len, &e), ERR_OK);
            double speed = 80, dwell = 20, budget = 120 + 20 * (double)(rep % 5);
            struct tour_day days[16];
            size_t nd;
            int rc = tour_split(d, n, order, speed, dwell, budget, days, &nd, &e);
            size_t want_days;
            double want_walk;
            brute_split(d, n, order, speed, dwell, budget, &want_days, &want_walk);
            if (want_days == SIZE_MAX) {
                assert_int_equal(rc, ERR_LIMIT);
                free(d);
                continue;
            }
            assert_int_equal(rc, ERR_OK);
            assert_int_equal(nd, want_days);
            double walk = 0;
            size_t next = 1;
            for (size_t k = 0; k < nd; k++) {
                assert_int_equal(days[k].first, next);
                assert_true(days[k].count >= 1);
                assert_true(days[k].minutes <= budget + 1e-9);
                double w =
                    d[order[days[k].first]] + d[order[days[k].first + days[k].count - 1] * n];
                for (size_t q = days[k].first; q + 1 < days[k].first + days[k].count; q++)
                    w += d[order[q] * n + order[q + 1]];
                assert_true(fabs(w - days[k].walk_m) < 1e-6);
                assert_true(fabs(days[k].minutes - (w / speed + dwell * days[k].count)) < 1e-9);
                walk += w;
                next += days[k].count;
            }
            assert_int_equal(next, n);
            assert_true(fabs(walk - want_walk) < 1e-6);
            multi += nd > 1;
            checked++;
            free(d);
        }
    print_message("day split equals brute force on %d instances (%d over several days)\n", checked,
                  multi);
    assert_true(multi > 10);
}

static void test_limits_and_bad_input(void **state)
{
    (void)state;
    uint64_t s = 1;
    struct err e = {0};
    size_t order[256];
    double len;
    double *d = instance(TOUR_MAX_STOPS + 2, 0, &s);
    assert_int_equal(tour_heuristic(d, TOUR_MAX_STOPS + 2, order, &len, &e), ERR_LIMIT);
    free(d);
    err_clear(&e);
    d = instance(TOUR_EXACT_MAX_STOPS + 2, 0, &s);
    assert_int_equal(tour_exact(d, TOUR_EXACT_MAX_STOPS + 2, order, &len, &e), ERR_LIMIT);
    /* tour_solve switches to the heuristic instead. */
    assert_int_equal(tour_solve(d, TOUR_EXACT_MAX_STOPS + 2, order, &len, &e), ERR_OK);
    free(d);
    err_clear(&e);
    d = instance(4, 0, &s);
    d[1 * 4 + 2] = NAN;
    assert_int_equal(tour_solve(d, 4, order, &len, &e), ERR_INPUT);
    d[1 * 4 + 2] = -1;
    assert_int_equal(tour_heuristic(d, 4, order, &len, &e), ERR_INPUT);
    d[1 * 4 + 2] = d[2 * 4 + 1];
    assert_int_equal(tour_solve(d, 0, order, &len, &e), ERR_INPUT);
    /* A stop farther than half a day's walk does not fit. */
    size_t ord[4] = {0, 1, 2, 3};
    struct tour_day days[4];
    size_t nd = 99;
    d[0 * 4 + 3] = d[3 * 4 + 0] = 50000;
    err_clear(&e);
    assert_int_equal(tour_split(d, 4, ord, 80, 20, 240, days, &nd, &e), ERR_LIMIT);
    assert_int_equal(nd, 0);
    size_t bad[4] = {0, 1, 1, 3};
    assert_int_equal(tour_split(d, 4, bad, 80, 20, 240, days, &nd, &e), ERR_INPUT);
    assert_int_equal(tour_improve(d, 4, bad, &len, &e), ERR_INPUT);
    free(d);
    /* No stops: an empty tour and no days. */
    double zero = 0;
    assert_int_equal(tour_solve(&zero, 1, order, &len, &e), ERR_OK);
    assert_true(len == 0.0);
    assert_int_equal(tour_split(&zero, 1, order, 80, 20, 240, days, &nd, &e), ERR_OK);
    assert_int_equal(nd, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_matches_brute_force),
        cmocka_unit_test(test_heuristic_within_one_percent),
        cmocka_unit_test(test_heuristic_near_best_known),
        cmocka_unit_test(test_asymmetric_and_seeds),
        cmocka_unit_test(test_two_hundred_stops),
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_limits_and_bad_input),
    };
    return cmocka_run_group_tests_name("tour", tests, NULL, NULL);
}
