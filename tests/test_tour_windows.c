/* SPDX-License-Identifier: MIT */
/* test_tour_windows.c - tests tour_windows.c: the windowed day against
 * brute force over every order (random instances of up to 7 stops, random
 * windows, lunch breaks and end places), without windows against
 * tour_exact, and hand-built days where an appointment forces another
 * order than the shortest tour, a lunch break delays a walk, an end place
 * fixes the direction and a window that cannot be kept is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tour.h"
#include "tour_windows.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double rnd(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*s >> 11) / 9007199254740992.0;
}

/* Euclidean distances between n points xy. */
static void dist(const double *xy, size_t n, double *d)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            d[i * n + j] = hypot(xy[2 * i] - xy[2 * j], xy[2 * i + 1] - xy[2 * j + 1]);
}

/* The shortest feasible order by trying every permutation of stops
 * (Heap's algorithm); INFINITY when none is feasible. */
static double brute(const double *d, size_t n, size_t end, size_t *stops, size_t m,
                    const struct tour_sched *s)
{
    size_t c[16] = {0};
    double best = INFINITY, w;
    if (tour_windows_eval(d, n, end, stops, m, s, NULL, &w))
        best = w;
    for (size_t i = 1; i < m;) {
        if (c[i] < i) {
            size_t k = i % 2 == 0 ? 0 : c[i], t = stops[k];
            stops[k] = stops[i];
            stops[i] = t;
            if (tour_windows_eval(d, n, end, stops, m, s, NULL, &w) && w < best)
                best = w;
            c[i]++;
            i = 1;
        } else {
            c[i++] = 0;
        }
    }
    return best;
}

static void test_matches_brute_force(void **state)
{
    (void)state;
    uint64_t seed = 7;
    int feasible = 0, infeasible = 0;
    for (int inst = 0; inst < 300; inst++) {
        size_t m = 1 + (size_t)(rnd(&seed) * 7), n = m + 2, end = inst % 2 ? n - 1 : 0;
        double xy[2 * 10], d[100], open[10], close[10];
        for (size_t i = 0; i < 2 * n; i++)
            xy[i] = 3000.0 * rnd(&seed);
        dist(xy, n, d);
        for (size_t i = 0; i < n; i++) {
            open[i] = 540 + 240 * rnd(&seed) * (rnd(&seed) < 0.5);
            close[i] = rnd(&seed) < 0.5 ? open[i] + 20 + 60 * rnd(&seed) : 1440;
        }
        struct tour_sched s = {80, 540, 540 + 300, 20, 0, 0, open, close};
        if (inst % 3 == 0)
            s.lunch_from = 720, s.lunch_to = 780, s.end_by += 60;
        size_t stops[10], order[10];
        for (size_t i = 0; i < m; i++)
            stops[i] = i + 1;
        double at[11], w;
        int exact;
        struct err e = {0};
        int rc = tour_windows_exact(d, n, end, stops, m, &s, order, at, &w, &exact, &e);
        double b = brute(d, n, end, stops, m, &s);
        if (isinf(b)) {
            assert_int_equal(rc, ERR_NOTFOUND);
            infeasible++;
            continue;
        }
        assert_int_equal(rc, ERR_OK);
        assert_true(exact);
        assert_true(fabs(w - b) < 1e-6);
        double w2;
        assert_true(tour_windows_eval(d, n, end, order, m, &s, NULL, &w2));
        assert_true(fabs(w2 - w) < 1e-9);
        feasible++;
    }
    /* Both kinds occur, so both paths were tried. */
    assert_true(feasible > 50);
    assert_true(infeasible > 10);
}

static void test_no_windows_is_the_shortest_tour(void **state)
{
    (void)state;
    uint64_t seed = 11;
    for (int inst = 0; inst < 50; inst++) {
        size_t n = 2 + (size_t)(rnd(&seed) * 10);
        double xy[2 * 12], d[144], len, w, at[13];
        size_t order[12], stops[12], o2[12];
        for (size_t i = 0; i < 2 * n; i++)
            xy[i] = 3000.0 * rnd(&seed);
        dist(xy, n, d);
        struct err e = {0};
        assert_int_equal(tour_exact(d, n, order, &len, &e), ERR_OK);
        for (size_t i = 1; i < n; i++)
            stops[i - 1] = i;
        struct tour_sched s = {80, 540, 1440, 0, 0, 0, NULL, NULL};
        int exact;
        assert_int_equal(tour_windows_exact(d, n, 0, stops, n - 1, &s, o2, at, &w, &exact, &e),
                         ERR_OK);
        assert_true(fabs(w - len) < 1e-6);
    }
}

/* A square: the depot at (0, 0), A (0, 1000), B (1000, 1000), C (1000, 0);
 * at 100 m/min with 10-minute visits. The shortest tour goes round the
 * square (4000 m) and reaches B at 09:30; an appointment at B until 09:16
 * makes B the first visit (14.1 minutes' walk) and the day 4828 m long. */
static void test_appointment_forces_another_order(void **state)
{
    (void)state;
    double xy[] = {0, 0, 0, 1000, 1000, 1000, 1000, 0}, d[16];
    dist(xy, 4, d);
    double open[4] = {0, 0, 540, 0}, close[4] = {1440, 1440, 556, 1440};
    struct tour_sched free_day = {100, 540, 1440, 10, 0, 0, NULL, NULL};
    struct tour_sched s = {100, 540, 1440, 10, 0, 0, open, close};
    size_t stops[] = {1, 2, 3}, order[3];
    double at[4], w;
    int exact;
    struct err e = {0};
    assert_int_equal(tour_windows_exact(d, 4, 0, stops, 3, &free_day, order, at, &w, &exact, &e),
                     ERR_OK);
    assert_true(fabs(w - 4000) < 1e-6);
    assert_int_not_equal(order[0], 2);
    assert_int_equal(tour_windows_exact(d, 4, 0, stops, 3, &s, order, at, &w, &exact, &e), ERR_OK);
    assert_int_equal(order[0], 2);
    assert_true(fabs(w - (2000 + 2000 * sqrt(2.0))) < 1e-6);
    assert_true(at[0] <= 556 && fabs(at[0] - (540 + 10 * sqrt(2.0))) < 1e-9);
    /* Closing at 09:10, B cannot be reached in time at all: refused. */
    close[2] = 550;
    assert_int_equal(tour_windows_exact(d, 4, 0, stops, 3, &s, order, at, &w, &exact, &e),
                     ERR_NOTFOUND);
}

/* A window that opens late: the visit to C waits for 10:00 whichever way
 * round the square the worker goes (both are 4000 m). */
static void test_late_window_and_lunch(void **state)
{
    (void)state;
    double xy[] = {0, 0, 0, 1000, 1000, 1000, 1000, 0}, d[16];
    dist(xy, 4, d);
    double open[4] = {0, 0, 0, 600}, close[4] = {1440, 1440, 1440, 1440};
    struct tour_sched s = {100, 540, 1440, 10, 0, 0, open, close};
    size_t stops[] = {1, 2, 3}, order[3];
    double at[4], w;
    int exact;
    struct err e = {0};
    assert_int_equal(tour_windows_exact(d, 4, 0, stops, 3, &s, order, at, &w, &exact, &e), ERR_OK);
    assert_true(fabs(w - 4000) < 1e-6);
    size_t c = order[0] == 3 ? 0 : order[1] == 3 ? 1 : 2;
    assert_true(at[c] >= 600 - 1e-9); /* never before the window opens */
    /* Lunch: leaving at 11:45 for a 30-minute walk, the walk pauses from
     * 12:00 to 13:00 and arrives at 13:15; a visit due to start at 11:55
     * with 10 minutes' dwell is moved after lunch. */
    double line[] = {0, 0, 3000, 0, 500, 0}, dl[9];
    dist(line, 3, dl);
    struct tour_sched l = {100, 705, 1440, 10, 720, 780, NULL, NULL};
    size_t one[] = {1};
    assert_int_equal(tour_windows_exact(dl, 3, 0, one, 1, &l, order, at, &w, &exact, &e), ERR_OK);
    assert_true(fabs(at[0] - 795) < 1e-9);
    l.start = 710; /* 5 minutes' walk: arrives 11:55, visit would overlap lunch */
    size_t two[] = {2};
    assert_int_equal(tour_windows_exact(dl, 3, 0, two, 1, &l, order, at, &w, &exact, &e), ERR_OK);
    assert_true(fabs(at[0] - 780) < 1e-9);
}

/* With the end elsewhere, stops on the way are visited in the direction
 * of travel and the last leg goes to the end, not back. */
static void test_end_elsewhere(void **state)
{
    (void)state;
    double xy[] = {0, 0, 3000, 0, 1000, 0, 4000, 0, 2000, 0}, d[25];
    dist(xy, 5, d);
    struct tour_sched s = {80, 540, 1440, 0, 0, 0, NULL, NULL};
    size_t stops[] = {1, 2, 4}, order[3];
    double at[4], w;
    int exact;
    struct err e = {0};
    assert_int_equal(tour_windows_exact(d, 5, 3, stops, 3, &s, order, at, &w, &exact, &e), ERR_OK);
    assert_int_equal(order[0], 2);
    assert_int_equal(order[1], 4);
    assert_int_equal(order[2], 1);
    assert_true(fabs(w - 4000) < 1e-6);
    /* The end must be reached by end_by. */
    s.end_by = 540 + 40;
    assert_int_equal(tour_windows_exact(d, 5, 3, stops, 3, &s, order, at, &w, &exact, &e),
                     ERR_NOTFOUND);
    size_t many[13];
    assert_int_equal(tour_windows_exact(d, 5, 3, many, 13, &s, order, at, &w, &exact, &e),
                     ERR_LIMIT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matches_brute_force),
        cmocka_unit_test(test_no_windows_is_the_shortest_tour),
        cmocka_unit_test(test_appointment_forces_another_order),
        cmocka_unit_test(test_late_window_and_lunch),
        cmocka_unit_test(test_end_elsewhere),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
