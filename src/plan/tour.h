/* SPDX-License-Identifier: MIT */
/* tour.h - ordering visits into a short closed tour and splitting it into
 * days: the pure part of outreach routes (route.h feeds it walking
 * distances). Knows standard C and err.h only.
 *
 * Matrix convention. `d` is an n x n row-major cost matrix in metres
 * (d[i * n + j] = cost from node i to node j), node 0 the depot (the centre
 * a worker starts from and returns to), nodes 1..n-1 the stops. Entries are
 * finite and >= 0 (ERR_INPUT otherwise); the diagonal is ignored. The
 * heuristics assume a symmetric matrix (walking on an undirected network;
 * an asymmetric one is searched as (d_ij + d_ji) / 2); every reported
 * length is evaluated on d as given.
 *
 * An order lists all n nodes: order[0] = 0, then every stop exactly once in
 * visiting order; the tour returns to 0 after the last stop.
 *
 * Entry points: tour_solve (exact up to TOUR_EXACT_MAX_STOPS stops, else the
 * heuristic), tour_exact (Held-Karp), tour_heuristic and tour_search
 * (iterated 2-opt / Or-opt local search with deterministic kicks),
 * tour_improve (local search from a given order, never worse), tour_length,
 * tour_split, tour_default_kicks.
 */
#ifndef TSUNAGU_TOUR_H
#define TSUNAGU_TOUR_H

#include "err.h"

#include <stddef.h>
#include <stdint.h>

/* Explicit limits (ERR_LIMIT beyond them). */
#define TOUR_MAX_STOPS 200      /* stops besides the depot */
#define TOUR_EXACT_MAX_STOPS 12 /* tour_exact's limit; tour_solve is exact up to here */

/* Length of the closed walk order[0] -> ... -> order[m-1] -> order[0] on
 * the n x n matrix d (0 when m < 2). */
double tour_length(const double *d, size_t n, const size_t *order, size_t m);

/* Exact shortest tour by Held-Karp dynamic programming (O(2^s s^2) for s =
 * n - 1 stops). Fills order (n entries) and *len. ERR_LIMIT when s >
 * TOUR_EXACT_MAX_STOPS, ERR_INPUT for a bad matrix, ERR_NOMEM; order is
 * unspecified on failure. Ties: the lexicographically first order found. */
int tour_exact(const double *d, size_t n, size_t *order, double *len, struct err *e);

/* A short tour by iterated local search: nearest neighbour, then 2-opt and
 * Or-opt (segments of 1-3 stops, either direction) over each stop's nearest
 * neighbours with don't-look bits, then `kicks` rounds of a segment-local
 * double-bridge kick (a random restart up to TOUR_EXACT_MAX_STOPS stops)
 * repaired around the change, going on from the result when it is within
 * 0.3 % of the best so far; the best tour found is returned. Same outputs
 * and failures as tour_exact, with the limit TOUR_MAX_STOPS. The kicks are
 * drawn from `seed` (0: the default seed): the same matrix, kicks and seed
 * always give the same order. Time grows with the kicks (about 5 us of CPU
 * each at 200 stops). */
int tour_search(const double *d, size_t n, size_t kicks, uint64_t seed, size_t *order, double *len,
                struct err *e);

/* The kicks tour_heuristic spends on n nodes. */
size_t tour_default_kicks(size_t n);

/* tour_search with tour_default_kicks(n) and the default seed.
 * Deterministic: the same matrix always gives the same order. */
int tour_heuristic(const double *d, size_t n, size_t *order, double *len, struct err *e);

/* Improves the caller's order in place by 2-opt and Or-opt (every pair of
 * stops considered) until no move helps; the result is never longer than
 * the input. order must be a valid order (ERR_INPUT otherwise). */
int tour_improve(const double *d, size_t n, size_t *order, double *len, struct err *e);

/* tour_exact when n - 1 <= TOUR_EXACT_MAX_STOPS, else tour_heuristic. */
int tour_solve(const double *d, size_t n, size_t *order, double *len, struct err *e);

/* One day of a split tour: the stops order[first .. first + count) of the
 * order given to tour_split, visited from the depot and back. */
struct tour_day {
    size_t first;   /* position in the order of the day's first stop (>= 1) */
    size_t count;   /* stops that day (>= 1) */
    double walk_m;  /* depot -> stops -> depot, metres */
    double minutes; /* walk_m / speed + count * dwell_min */
};

/* Splits the stops of `order` (kept in that sequence) into consecutive days
 * so that each day's walking minutes (at speed m/min) plus dwell_min per
 * stop stay within budget_min: the fewest days, and among those the least
 * walking (dynamic programming over the split points). days must hold n - 1
 * entries; *ndays receives the count (0 when there are no stops).
 * ERR_INPUT for bad numbers or a bad order, ERR_LIMIT when some stop alone
 * (there and back plus its dwell) does not fit the budget, ERR_NOMEM. */
int tour_split(const double *d, size_t n, const size_t *order, double speed, double dwell_min,
               double budget_min, struct tour_day *days, size_t *ndays, struct err *e);

#endif
