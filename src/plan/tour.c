/* SPDX-License-Identifier: MIT */
/* tour.c - implements tour.h: closed tours over a cost matrix (Held-Karp
 * exactly for few stops; cheapest insertion / nearest neighbour, 2-opt,
 * Or-opt and iterated local search otherwise) and the split of a tour into
 * days under a time budget. Pure: standard C and err.h only. Entry points:
 * tour_solve, tour_exact, tour_heuristic, tour_improve, tour_length,
 * tour_split. */
#include "tour.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Moves must gain more than this (metres) to count: stops ping-pong on
 * floating-point noise. */
#define TOUR_EPS 1e-7

#define D(i, j) d[(i)*n + (j)]

double tour_length(const double *d, size_t n, const size_t *order, size_t m)
{
    if (m < 2)
        return 0.0;
    double len = 0.0;
    for (size_t k = 0; k + 1 < m; k++)
        len += D(order[k], order[k + 1]);
    return len + D(order[m - 1], order[0]);
}

/* Checks n and the matrix entries off the diagonal. */
static int tour_check(const double *d, size_t n, size_t max_stops, struct err *e)
{
    if (n == 0 || d == NULL)
        return err_set(e, ERR_INPUT, "a tour needs at least its starting point");
    if (n - 1 > max_stops)
        return err_set(e, ERR_LIMIT, "a tour may visit at most %zu stops", max_stops);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            if (i != j && !(isfinite(D(i, j)) && D(i, j) >= 0.0))
                return err_set(e, ERR_INPUT,
                               "the distance from stop %zu to stop %zu is not a "
                               "finite, non-negative number",
                               i, j);
    return ERR_OK;
}

/* Checks that order is a valid order of n nodes. */
static int tour_check_order(const size_t *order, size_t n, struct err *e)
{
    if (order[0] != 0)
        return err_set(e, ERR_INPUT, "a tour order must start at the depot (node 0)");
    unsigned char *seen = calloc(n, 1);
    if (seen == NULL)
        return err_nomem(e);
    int rc = ERR_OK;
    for (size_t k = 0; k < n && rc == ERR_OK; k++) {
        if (order[k] >= n || seen[order[k]])
            rc = err_set(e, ERR_INPUT, "a tour order must list every stop exactly once");
        else
            seen[order[k]] = 1;
    }
    free(seen);
    return rc;
}

/* ------------------------------------------------------------ Held-Karp */

int tour_exact(const double *d, size_t n, size_t *order, double *len, struct err *e)
{
    int rc = tour_check(d, n, TOUR_EXACT_MAX_STOPS, e);
    if (rc != ERR_OK)
        return rc;
    size_t m = n - 1;
    order[0] = 0;
    if (m == 0) {
        *len = 0.0;
        return ERR_OK;
    }
    size_t states = (size_t)1 << m;
    double *dp = malloc(states * m * sizeof *dp);
    unsigned char *parent = malloc(states * m);
    if (dp == NULL || parent == NULL) {
        free(dp);
        free(parent);
        return err_nomem(e);
    }
    /* dp[S * m + j]: shortest walk from the depot through the stop set S
     * (bit j = stop j + 1) ending at stop j + 1 (bit j in S). */
    for (size_t i = 0; i < states * m; i++)
        dp[i] = INFINITY;
    for (size_t j = 0; j < m; j++) {
        dp[((size_t)1 << j) * m + j] = D(0, j + 1);
        parent[((size_t)1 << j) * m + j] = UINT8_MAX;
    }
    for (size_t S = 1; S < states; S++) {
        for (size_t j = 0; j < m; j++) {
            if (!(S & ((size_t)1 << j)))
                continue;
            double cur = dp[S * m + j];
            if (cur == INFINITY)
                continue;
            for (size_t k = 0; k < m; k++) {
                if (S & ((size_t)1 << k))
                    continue;
                size_t T = S | ((size_t)1 << k);
                double c = cur + D(j + 1, k + 1);
                if (c < dp[T * m + k]) {
                    dp[T * m + k] = c;
                    parent[T * m + k] = (unsigned char)j;
                }
            }
        }
    }
    size_t full = states - 1, last = 0;
    double best = INFINITY;
    for (size_t j = 0; j < m; j++) {
        double c = dp[full * m + j] + D(j + 1, 0);
        if (c < best) {
            best = c;
            last = j;
        }
    }
    /* Walk the parents back from the last stop. */
    size_t S = full, j = last;
    for (size_t pos = m; pos >= 1; pos--) {
        order[pos] = j + 1;
        unsigned char p = parent[S * m + j];
        S &= ~((size_t)1 << j);
        if (p == UINT8_MAX)
            break;
        j = p;
    }
    free(dp);
    free(parent);
    *len = tour_length(d, n, order, n);
    return ERR_OK;
}

/* --------------------------------------------------------- local search */

/* 2-opt, first improvement: reversing order[i+1..j] (never the depot at 0)
 * replaces edges (a,b), (c,f) by (a,c), (b,f). Returns 1 if it improved. */
static int tour_two_opt(const double *d, size_t n, size_t *t)
{
    int any = 0, improved = 1;
    while (improved) {
        improved = 0;
        for (size_t i = 0; i + 2 < n; i++) {
            size_t a = t[i], b = t[i + 1];
            double dab = D(a, b);
            for (size_t j = i + 2; j < n; j++) {
                size_t c = t[j], f = t[(j + 1) % n];
                if (f == a)
                    continue;
                double delta = D(a, c) + D(b, f) - dab - D(c, f);
                if (delta < -TOUR_EPS) {
                    for (size_t lo = i + 1, hi = j; lo < hi; lo++, hi--) {
                        size_t tmp = t[lo];
                        t[lo] = t[hi];
                        t[hi] = tmp;
                    }
                    improved = any = 1;
                    b = t[i + 1];
                    dab = D(a, b);
                }
            }
        }
    }
    return any;
}

/* Or-opt: moves a segment of 1-3 stops (positions >= 1) to another edge of
 * the tour, either way round. `tmp` holds n entries. Returns 1 if it
 * improved. */
static int tour_or_opt(const double *d, size_t n, size_t *t, size_t *tmp)
{
    int any = 0, improved = 1;
    while (improved) {
        improved = 0;
        for (size_t L = 1; L <= 3 && !improved; L++) {
            for (size_t i = 1; i + L <= n && !improved; i++) {
                size_t prev = t[i - 1], s0 = t[i], sL = t[i + L - 1];
                size_t next = t[(i + L) % n];
                double gain = D(prev, s0) + D(sL, next) - D(prev, next);
                if (gain <= TOUR_EPS)
                    continue;
                for (size_t p = 0; p < n && !improved; p++) {
                    if (p + 1 >= i && p <= i + L - 1)
                        continue; /* an edge touching the segment */
                    size_t x = t[p], y = t[(p + 1) % n];
                    double fwd = D(x, s0) + D(sL, y) - D(x, y);
                    double rev = D(x, sL) + D(s0, y) - D(x, y);
                    int reverse = rev < fwd;
                    if ((reverse ? rev : fwd) >= gain - TOUR_EPS)
                        continue;
                    /* Rebuild: the tour without the segment, with it after x. */
                    size_t k = 0;
                    for (size_t q = 0; q < n; q++) {
                        if (q >= i && q < i + L)
                            continue;
                        tmp[k++] = t[q];
                        if (q == p)
                            for (size_t r = 0; r < L; r++)
                                tmp[k++] = reverse ? t[i + L - 1 - r] : t[i + r];
                    }
                    assert(k == n && tmp[0] == 0);
                    memcpy(t, tmp, n * sizeof *t);
                    improved = any = 1;
                }
            }
        }
    }
    return any;
}

/* 2-opt and Or-opt until neither helps. */
static void tour_local(const double *d, size_t n, size_t *t, size_t *tmp)
{
    for (;;) {
        int a = tour_two_opt(d, n, t);
        int b = tour_or_opt(d, n, t, tmp);
        if (!a && !b)
            break;
    }
}

int tour_improve(const double *d, size_t n, size_t *order, double *len, struct err *e)
{
    int rc = tour_check(d, n, TOUR_MAX_STOPS, e);
    if (rc == ERR_OK)
        rc = tour_check_order(order, n, e);
    if (rc != ERR_OK)
        return rc;
    size_t *tmp = malloc(n * sizeof *tmp);
    if (tmp == NULL)
        return err_nomem(e);
    tour_local(d, n, order, tmp);
    free(tmp);
    *len = tour_length(d, n, order, n);
    return ERR_OK;
}

/* ---------------------------------------------------------- construction */

/* Cheapest insertion from the tour (depot, farthest stop). */
static void tour_cheapest_insertion(const double *d, size_t n, size_t *t, unsigned char *in)
{
    memset(in, 0, n);
    t[0] = 0;
    in[0] = 1;
    size_t len = 1, far = 1;
    for (size_t k = 2; k < n; k++)
        if (D(0, k) > D(0, far))
            far = k;
    t[len++] = far;
    in[far] = 1;
    while (len < n) {
        double best = INFINITY;
        size_t bk = 0, bp = 0;
        for (size_t k = 1; k < n; k++) {
            if (in[k])
                continue;
            for (size_t p = 0; p < len; p++) {
                size_t x = t[p], y = t[(p + 1) % len];
                double c = D(x, k) + D(k, y) - D(x, y);
                if (c < best) {
                    best = c;
                    bk = k;
                    bp = p;
                }
            }
        }
        memmove(&t[bp + 2], &t[bp + 1], (len - bp - 1) * sizeof *t);
        t[bp + 1] = bk;
        in[bk] = 1;
        len++;
    }
}

/* Nearest neighbour from the depot. */
static void tour_nearest_neighbour(const double *d, size_t n, size_t *t, unsigned char *in)
{
    memset(in, 0, n);
    t[0] = 0;
    in[0] = 1;
    for (size_t len = 1; len < n; len++) {
        size_t cur = t[len - 1], bk = 0;
        double best = INFINITY;
        for (size_t k = 1; k < n; k++)
            if (!in[k] && D(cur, k) < best) {
                best = D(cur, k);
                bk = k;
            }
        t[len] = bk;
        in[bk] = 1;
    }
}

/* xorshift64*: the deterministic kicks. */
static uint64_t tour_rand(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

/* A kick on positions 1..n-1. Up to TOUR_EXACT_MAX_STOPS stops, a fresh
 * random order (a restart: cheap, and it explores best); beyond, a double
 * bridge (A B C D -> A C B D with three distinct random cuts). */
static void tour_kick(size_t n, size_t *t, size_t *tmp, uint64_t *rs)
{
    size_t m = n - 1;
    if (m < 3)
        return;
    if (m <= TOUR_EXACT_MAX_STOPS) {
        for (size_t k = m; k > 1; k--) {
            size_t j = 1 + (size_t)(tour_rand(rs) % k);
            size_t x = t[k];
            t[k] = t[j];
            t[j] = x;
        }
        return;
    }
    /* Segment-local double bridge: B and C at most `w` stops long each, so
     * the kick stays a local change a local search can repair. */
    size_t w = m / 3 < 30 ? m / 3 : 30;
    size_t c[3];
    c[0] = 1 + (size_t)(tour_rand(rs) % (m - 2 * w + 1));
    c[1] = c[0] + 1 + (size_t)(tour_rand(rs) % w);
    c[2] = c[1] + 1 + (size_t)(tour_rand(rs) % w);
    /* A = t[0..c0), B = t[c0..c1), C = t[c1..c2), D = t[c2..n). */
    size_t k = 0;
    for (size_t q = 0; q < c[0]; q++)
        tmp[k++] = t[q];
    for (size_t q = c[1]; q < c[2]; q++)
        tmp[k++] = t[q];
    for (size_t q = c[0]; q < c[1]; q++)
        tmp[k++] = t[q];
    for (size_t q = c[2]; q < n; q++)
        tmp[k++] = t[q];
    memcpy(t, tmp, n * sizeof *t);
}

int tour_heuristic(const double *d, size_t n, size_t *order, double *len, struct err *e)
{
    int rc = tour_check(d, n, TOUR_MAX_STOPS, e);
    if (rc != ERR_OK)
        return rc;
    order[0] = 0;
    if (n <= 3) {
        for (size_t k = 1; k < n; k++)
            order[k] = k;
        *len = tour_length(d, n, order, n);
        return ERR_OK;
    }
    size_t *cur = malloc(n * sizeof *cur), *tmp = malloc(n * sizeof *tmp);
    unsigned char *in = malloc(n);
    if (cur == NULL || tmp == NULL || in == NULL) {
        free(cur);
        free(tmp);
        free(in);
        return err_nomem(e);
    }
    tour_cheapest_insertion(d, n, order, in);
    tour_local(d, n, order, tmp);
    double best = tour_length(d, n, order, n);
    tour_nearest_neighbour(d, n, cur, in);
    tour_local(d, n, cur, tmp);
    double c = tour_length(d, n, cur, n);
    if (c < best - TOUR_EPS) {
        best = c;
        memcpy(order, cur, n * sizeof *cur);
    }
    /* Iterated local search: kick the best tour, repair, keep improvements.
     * The budget shrinks with size so that 200 stops stay well under a
     * second (each round costs O(n^2) or more). */
    size_t m = n - 1;
    size_t rounds = m <= TOUR_EXACT_MAX_STOPS ? 100 : (m <= 50 ? 200 : 20000 / m + 20);
    uint64_t rs = 0x9E3779B97F4A7C15ULL ^ (uint64_t)n;
    for (size_t r = 0; r < rounds; r++) {
        memcpy(cur, order, n * sizeof *cur);
        tour_kick(n, cur, tmp, &rs);
        tour_local(d, n, cur, tmp);
        c = tour_length(d, n, cur, n);
        if (c < best - TOUR_EPS) {
            best = c;
            memcpy(order, cur, n * sizeof *cur);
        }
    }
    free(cur);
    free(tmp);
    free(in);
    *len = tour_length(d, n, order, n);
    return ERR_OK;
}

int tour_solve(const double *d, size_t n, size_t *order, double *len, struct err *e)
{
    if (n >= 1 && n - 1 <= TOUR_EXACT_MAX_STOPS)
        return tour_exact(d, n, order, len, e);
    return tour_heuristic(d, n, order, len, e);
}

/* ------------------------------------------------------------- day split */

int tour_split(const double *d, size_t n, const size_t *order, double speed, double dwell_min,
               double budget_min, struct tour_day *days, size_t *ndays, struct err *e)
{
    *ndays = 0;
    int rc = tour_check(d, n, TOUR_MAX_STOPS, e);
    if (rc != ERR_OK)
        return rc;
    if (!(isfinite(speed) && speed > 0) || !(isfinite(dwell_min) && dwell_min >= 0) ||
        !(isfinite(budget_min) && budget_min > 0))
        return err_set(e, ERR_INPUT, "speed, dwell and day budget must be positive numbers");
    rc = tour_check_order(order, n, e);
    if (rc != ERR_OK)
        return rc;
    size_t m = n - 1;
    if (m == 0)
        return ERR_OK;
    /* Positions 1..m; inner[k] = walk from position 1 to position k. */
    double *inner = malloc((m + 1) * sizeof *inner);
    double *walk = malloc((m + 1) * sizeof *walk);
    size_t *count = malloc((m + 1) * sizeof *count), *from = malloc((m + 1) * sizeof *from);
    if (inner == NULL || walk == NULL || count == NULL || from == NULL) {
        rc = err_nomem(e);
        goto done;
    }
    inner[0] = inner[1] = 0.0;
    for (size_t k = 2; k <= m; k++)
        inner[k] = inner[k - 1] + D(order[k - 1], order[k]);
    /* best[j] = (count[j] days, walk[j] metres) for positions 1..j; the last
     * day covers positions from[j] + 1 .. j. */
    count[0] = 0;
    walk[0] = 0.0;
    for (size_t j = 1; j <= m; j++) {
        count[j] = SIZE_MAX;
        walk[j] = INFINITY;
        for (size_t i = 0; i < j; i++) {
            if (count[i] == SIZE_MAX)
                continue;
            double w = D(0, order[i + 1]) + (inner[j] - inner[i + 1]) + D(order[j], 0);
            double minutes = w / speed + dwell_min * (double)(j - i);
            if (minutes > budget_min + 1e-9)
                continue;
            size_t c = count[i] + 1;
            double tw = walk[i] + w;
            if (c < count[j] || (c == count[j] && tw < walk[j] - TOUR_EPS)) {
                count[j] = c;
                walk[j] = tw;
                from[j] = i;
            }
        }
        if (count[j] == SIZE_MAX) {
            rc = err_set(e, ERR_LIMIT, "a stop cannot be visited within one day's budget");
            goto done;
        }
    }
    size_t nd = count[m];
    for (size_t j = m, k = nd; j > 0; j = from[j]) {
        struct tour_day *day = &days[--k];
        size_t i = from[j];
        day->first = i + 1;
        day->count = j - i;
        day->walk_m = D(0, order[i + 1]) + (inner[j] - inner[i + 1]) + D(order[j], 0);
        day->minutes = day->walk_m / speed + dwell_min * (double)day->count;
    }
    *ndays = nd;
done:
    free(inner);
    free(walk);
    free(count);
    free(from);
    return rc;
}
