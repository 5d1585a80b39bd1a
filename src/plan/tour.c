/* SPDX-License-Identifier: MIT */
/* tour.c - implements tour.h: closed tours over a cost matrix (Held-Karp
 * exactly for few stops; otherwise nearest neighbour, then iterated 2-opt /
 * Or-opt local search with neighbour lists, don't-look bits and local
 * double-bridge kicks) and the split of a tour into days under a time
 * budget. Pure: standard C and err.h only. Entry points: tour_solve,
 * tour_exact, tour_heuristic, tour_search, tour_default_kicks, tour_improve,
 * tour_length, tour_split. */
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

/* Hand-written: no kept library does TSP local search in C, and this one
 * must stay pure and deterministic. The tour is an array of cities with each
 * city's position, so the next and previous city cost O(1) and a 2-opt
 * reversal at most n/2 swaps (the shorter side is reversed: the same cycle,
 * since costs are symmetric). Moves are 2-opt and Or-opt (a segment of 1-3
 * stops moved elsewhere, either way round; applied as two or three 2-opt
 * reversals), searched from a FIFO of cities whose don't-look bit is off,
 * among each city's nearest neighbours, so a move costs O(1) to evaluate
 * and a local change is repaired locally. */

#define TOUR_NEIGHBOURS 10 /* candidate list length of the iterated search */
#define TOUR_KICK_SPAN 50  /* longest segment a double-bridge kick moves */
#define TOUR_ACCEPT 0.003  /* a kick's result is kept up to this fraction above the best */
#define TOUR_SEED 0x9E3779B97F4A7C15ULL

/* The local search state over n cities (the depot is one of them). */
struct tour_ls {
    const double *d;       /* symmetric n x n matrix the moves are evaluated on */
    int n;                 /* cities */
    int k;                 /* neighbours per city */
    int *nb;               /* n * k: each city's k nearest others, nearest first */
    int *t;                /* t[p]: the city at tour position p */
    int *pos;              /* pos[c]: the position of city c */
    int *queue;            /* ring of up to n cities to examine */
    unsigned char *queued; /* 1 while a city is in the queue (don't-look bit off) */
    int qhead, qlen;       /* ring start and fill */
    int *save;             /* n: the tour the iterated search last accepted */
    int *best;             /* n: the shortest tour found */
    int *tmp;              /* n: scratch for kicks */
    double len;            /* current tour length on d, kept move by move */
    double *own;           /* d when it had to be made symmetric, else NULL */
};

#define LD(a, b) s->d[(size_t)(a) * (size_t)s->n + (size_t)(b)]

static int tour_succ(const struct tour_ls *s, int c)
{
    int p = s->pos[c] + 1;
    return s->t[p == s->n ? 0 : p];
}

static int tour_pred(const struct tour_ls *s, int c)
{
    int p = s->pos[c];
    return s->t[p == 0 ? s->n - 1 : p - 1];
}

/* The next city after c going forward (dir 0) or backward (dir 1). */
static int tour_step(const struct tour_ls *s, int c, int dir)
{
    return dir ? tour_pred(s, c) : tour_succ(s, c);
}

/* Turns city c's don't-look bit off (queues it once). */
static void tour_push(struct tour_ls *s, int c)
{
    if (s->queued[c])
        return;
    s->queued[c] = 1;
    int at = s->qhead + s->qlen;
    s->queue[at >= s->n ? at - s->n : at] = c;
    s->qlen++;
}

/* Queues the k cities at the ends of the edges a move changed. */
static void tour_push_ends(struct tour_ls *s, const int *ends, int k)
{
    for (int i = 0; i < k; i++)
        tour_push(s, ends[i]);
}

static int tour_pop(struct tour_ls *s)
{
    int c = s->queue[s->qhead];
    s->qhead = s->qhead + 1 == s->n ? 0 : s->qhead + 1;
    s->qlen--;
    s->queued[c] = 0;
    return c;
}

/* Reverses the path from city `from` forward to city `to`, or the rest of
 * the tour when that is shorter (the same cycle either way). */
static void tour_reverse(struct tour_ls *s, int from, int to)
{
    int n = s->n, i = s->pos[from], j = s->pos[to];
    int len = j - i;
    if (len < 0)
        len += n;
    len++;
    if (2 * len > n) {
        int ni = j + 1 == n ? 0 : j + 1;
        j = i == 0 ? n - 1 : i - 1;
        i = ni;
        len = n - len;
    }
    for (int k = len / 2; k > 0; k--) {
        int a = s->t[i], b = s->t[j];
        s->t[i] = b;
        s->pos[b] = i;
        s->t[j] = a;
        s->pos[a] = j;
        i = i + 1 == n ? 0 : i + 1;
        j = j == 0 ? n - 1 : j - 1;
    }
}

/* 2-opt on cities: b next to a and d next to c on the same side; edges
 * (a,b) and (c,d) become (a,c) and (b,d). s->len is not updated. */
static void tour_move2(struct tour_ls *s, int a, int b, int c, int d)
{
    if (tour_succ(s, a) == b)
        tour_reverse(s, b, c);
    else
        tour_reverse(s, a, d);
}

/* Tries 2-opt moves that give city a a nearer neighbour; applies the first
 * that gains. Returns 1 if it moved. */
static int tour_try_2opt(struct tour_ls *s, int a)
{
    const int *nb = s->nb + (size_t)a * (size_t)s->k;
    for (int dir = 0; dir < 2; dir++) {
        int b = tour_step(s, a, dir);
        double dab = LD(a, b);
        for (int q = 0; q < s->k; q++) {
            int c = nb[q];
            double dac = LD(a, c);
            if (dac >= dab - TOUR_EPS)
                break; /* no gain left: the list is sorted */
            int dd = tour_step(s, c, dir);
            if (c == b || dd == a)
                continue;
            double delta = dac + LD(b, dd) - dab - LD(c, dd);
            if (delta < -TOUR_EPS) {
                tour_move2(s, a, b, c, dd);
                s->len += delta;
                tour_push_ends(s, (const int[]){a, b, c, dd}, 4);
                return 1;
            }
        }
    }
    return 0;
}

static int tour_in_seg(const int *seg, int len, int c)
{
    for (int i = 0; i < len; i++)
        if (seg[i] == c)
            return 1;
    return 0;
}

/* Moves the segment s1..s2 (s1 after p, nx after s2, in one direction)
 * between u and w (w after u in that direction), as u s1..s2 w when fwd,
 * else u s2..s1 w: three 2-opt steps (p,s1),(u,w) -> (p,u),(s1,w); then
 * (p,u),(nx,s2) -> (p,nx),(u,s2); then, for fwd, the segment turned. */
static void tour_or_apply(struct tour_ls *s, int p, int s1, int s2, int nx, int u, int w, int fwd)
{
    tour_move2(s, p, s1, u, w);
    if (u != nx)
        tour_move2(s, p, u, nx, s2);
    if (fwd && s1 != s2)
        tour_move2(s, u, s2, s1, w);
}

/* Tries Or-opt moves of the 1-3 stop segments that start at city a (in
 * either direction) to an edge next to a near neighbour of either end;
 * applies the first that gains. Returns 1 if it moved. */
static int tour_try_oropt(struct tour_ls *s, int a)
{
    for (int dir = 0; dir < 2; dir++) {
        int seg[3], s1 = a, s2 = a, p = tour_step(s, a, !dir);
        for (int len = 1; len <= 3; len++) {
            if (len > 1)
                s2 = tour_step(s, s2, dir);
            seg[len - 1] = s2;
            int nx = tour_step(s, s2, dir);
            if (s2 == p || nx == p)
                break;
            double g = LD(p, s1) + LD(s2, nx) - LD(p, nx);
            if (g <= TOUR_EPS)
                continue;
            for (int end = 0; end < (len > 1 ? 2 : 1); end++) {
                int e0 = end ? s2 : s1;
                const int *nb = s->nb + (size_t)e0 * (size_t)s->k;
                for (int q = 0; q < s->k; q++) {
                    int c = nb[q];
                    if (LD(e0, c) >= g - TOUR_EPS)
                        break;
                    if (tour_in_seg(seg, len, c))
                        continue;
                    for (int side = 0; side < 2; side++) {
                        int u = side ? tour_step(s, c, !dir) : c;
                        int w = side ? c : tour_step(s, c, dir);
                        if (tour_in_seg(seg, len, u) || tour_in_seg(seg, len, w))
                            continue;
                        double fwd = LD(u, s1) + LD(s2, w), rev = LD(u, s2) + LD(s1, w);
                        double add = (fwd < rev ? fwd : rev) - LD(u, w);
                        if (add < g - TOUR_EPS) {
                            tour_or_apply(s, p, s1, s2, nx, u, w, fwd < rev);
                            s->len -= g - add;
                            tour_push_ends(s, (const int[]){p, nx, s1, s2, u, w}, 6);
                            return 1;
                        }
                    }
                }
            }
        }
    }
    return 0;
}

/* Local search until every city's don't-look bit is on. */
static void tour_optimise(struct tour_ls *s)
{
    while (s->qlen > 0) {
        int a = tour_pop(s);
        if (tour_try_2opt(s, a) || tour_try_oropt(s, a))
            tour_push(s, a);
    }
}

/* Sets the tour to `t` (n cities), recomputes positions and length, and
 * queues every city. */
static void tour_ls_set(struct tour_ls *s, const int *t)
{
    memcpy(s->t, t, (size_t)s->n * sizeof *t);
    s->len = 0.0;
    for (int p = 0; p < s->n; p++) {
        s->pos[s->t[p]] = p;
        s->len += LD(s->t[p], s->t[p + 1 == s->n ? 0 : p + 1]);
    }
}

static void tour_push_all(struct tour_ls *s)
{
    for (int p = 0; p < s->n; p++)
        tour_push(s, s->t[p]);
}

/* The symmetric matrix the moves use: d itself when symmetric, else a new
 * copy with (d_ij + d_ji) / 2 in *own (freed by the caller). */
static int tour_symmetric(const double *d, size_t n, const double **sd, double **own, struct err *e)
{
    *own = NULL;
    *sd = d;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (D(i, j) != D(j, i))
                goto copy;
    return ERR_OK;
copy:
    *own = malloc(n * n * sizeof **own);
    if (*own == NULL)
        return err_nomem(e);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            (*own)[i * n + j] = i == j ? 0.0 : (D(i, j) + D(j, i)) / 2;
    *sd = *own;
    return ERR_OK;
}

static void tour_ls_free(struct tour_ls *s)
{
    free(s->own);
    free(s->nb);
    free(s->t);
    free(s->pos);
    free(s->queue);
    free(s->queued);
    free(s->save);
    free(s->best);
    free(s->tmp);
}

/* Prepares the search on d (n >= 2; its symmetric form, see
 * tour_symmetric) with k nearest neighbours per city (capped at n - 1).
 * ERR_NOMEM (nothing left to free) on failure. */
static int tour_ls_init(struct tour_ls *s, const double *d, size_t n, int k, struct err *e)
{
    memset(s, 0, sizeof *s);
    int rc = tour_symmetric(d, n, &s->d, &s->own, e);
    if (rc != ERR_OK)
        return rc;
    s->n = (int)n;
    s->k = k < (int)n - 1 ? k : (int)n - 1;
    s->nb = malloc(n * (size_t)s->k * sizeof *s->nb);
    s->t = malloc(n * sizeof *s->t);
    s->pos = malloc(n * sizeof *s->pos);
    s->queue = malloc(n * sizeof *s->queue);
    s->queued = calloc(n, 1);
    s->save = malloc(n * sizeof *s->save);
    s->best = malloc(n * sizeof *s->best);
    s->tmp = malloc(n * sizeof *s->tmp);
    if (s->nb == NULL || s->t == NULL || s->pos == NULL || s->queue == NULL || s->queued == NULL ||
        s->save == NULL || s->best == NULL || s->tmp == NULL) {
        tour_ls_free(s);
        return err_nomem(e);
    }
    /* Each city's k nearest others by insertion into a sorted list (ties:
     * the lower city first), O(n k) per city. */
    for (int i = 0; i < s->n; i++) {
        int *nb = s->nb + (size_t)i * (size_t)s->k, cnt = 0;
        for (int j = 0; j < s->n; j++) {
            if (j == i)
                continue;
            double dj = LD(i, j);
            if (cnt == s->k && dj >= LD(i, nb[cnt - 1]))
                continue;
            int q = cnt < s->k ? cnt++ : cnt - 1;
            while (q > 0 && LD(i, nb[q - 1]) > dj) {
                nb[q] = nb[q - 1];
                q--;
            }
            nb[q] = j;
        }
    }
    return ERR_OK;
}

/* xorshift64*: the deterministic kicks. */
static uint64_t tour_rand(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

/* A segment-local double bridge: around a random position i, the segments
 * B and C (1..span cities each) after it swap places (A B C D -> A C B D).
 * Neither 2-opt nor Or-opt undoes it in one move, and only the six cities at
 * the three changed edges are queued, so the repair stays local. Needs n >=
 * 2 span + 2. */
static void tour_double_bridge(struct tour_ls *s, uint64_t *rs, int span)
{
    int n = s->n;
    int l1 = 1 + (int)(tour_rand(rs) % (uint64_t)span);
    int l2 = 1 + (int)(tour_rand(rs) % (uint64_t)span);
    int i = (int)(tour_rand(rs) % (uint64_t)n);
#define AT(p) s->t[((p) % n)]
    int a = AT(i), b1 = AT(i + 1), b2 = AT(i + l1), c1 = AT(i + l1 + 1), c2 = AT(i + l1 + l2);
    int f = AT(i + l1 + l2 + 1);
    s->len += LD(a, c1) + LD(c2, b1) + LD(b2, f) - LD(a, b1) - LD(b2, c1) - LD(c2, f);
    int k = 0;
    for (int q = i + l1 + 1; q <= i + l1 + l2; q++)
        s->tmp[k++] = AT(q);
    for (int q = i + 1; q <= i + l1; q++)
        s->tmp[k++] = AT(q);
#undef AT
    for (int q = 0; q < k; q++) {
        int p = (i + 1 + q) % n;
        s->t[p] = s->tmp[q];
        s->pos[s->tmp[q]] = p;
    }
    tour_push_ends(s, (const int[]){a, b1, b2, c1, c2, f}, 6);
}

/* Nearest neighbour from the depot into s->tmp. */
static void tour_nearest_neighbour(struct tour_ls *s)
{
    unsigned char *in = s->queued; /* free while the queue is empty */
    int n = s->n;
    s->tmp[0] = 0;
    in[0] = 1;
    for (int len = 1; len < n; len++) {
        int cur = s->tmp[len - 1], bk = -1;
        double best = INFINITY;
        for (int c = 1; c < n; c++)
            if (!in[c] && (bk < 0 || LD(cur, c) < best)) {
                best = LD(cur, c);
                bk = c;
            }
        s->tmp[len] = bk;
        in[bk] = 1;
    }
    memset(in, 0, (size_t)n);
}

/* Writes the tour into order from the depot and returns its length on d. */
static double tour_ls_order(const struct tour_ls *s, const double *d, size_t n, size_t *order)
{
    int p0 = s->pos[0];
    for (size_t k = 0; k < n; k++)
        order[k] = (size_t)s->t[(p0 + (int)k) % s->n];
    return tour_length(d, n, order, n);
}

int tour_improve(const double *d, size_t n, size_t *order, double *len, struct err *e)
{
    int rc = tour_check(d, n, TOUR_MAX_STOPS, e);
    if (rc == ERR_OK)
        rc = tour_check_order(order, n, e);
    if (rc != ERR_OK)
        return rc;
    double before = tour_length(d, n, order, n);
    *len = before;
    if (n < 4)
        return ERR_OK;
    struct tour_ls s;
    /* Every other city as a neighbour: a complete 2-opt / Or-opt optimum. */
    if ((rc = tour_ls_init(&s, d, n, (int)n - 1, e)) != ERR_OK)
        return rc;
    for (size_t k = 0; k < n; k++)
        s.tmp[k] = (int)order[k];
    tour_ls_set(&s, s.tmp);
    tour_push_all(&s);
    tour_optimise(&s);
    size_t *cand = malloc(n * sizeof *cand);
    if (cand == NULL) {
        rc = err_nomem(e);
    } else {
        double after = tour_ls_order(&s, d, n, cand);
        /* On an asymmetric matrix the symmetric moves may lose: keep the input. */
        if (after < before) {
            memcpy(order, cand, n * sizeof *cand);
            *len = after;
        }
    }
    free(cand);
    tour_ls_free(&s);
    return rc;
}

/* Iterated local search: from the nearest-neighbour tour, `kicks` times a
 * double-bridge kick (up to TOUR_EXACT_MAX_STOPS stops, a random restart)
 * and a local repair; the result becomes the tour to kick next when it is
 * no longer than the last one or within TOUR_ACCEPT of the best (a little
 * slack to leave a deep local optimum), else the search goes back to the
 * last accepted tour. Ends with the best tour found in s->t. */
static void tour_ils(struct tour_ls *s, size_t kicks, uint64_t seed)
{
    int n = s->n, m = n - 1;
    uint64_t rs = seed ? seed : TOUR_SEED;
    tour_nearest_neighbour(s);
    tour_ls_set(s, s->tmp);
    tour_push_all(s);
    tour_optimise(s);
    double best = s->len, cur = s->len;
    memcpy(s->save, s->t, (size_t)n * sizeof *s->t);
    memcpy(s->best, s->t, (size_t)n * sizeof *s->t);
    int span = (n - 2) / 2 < TOUR_KICK_SPAN ? (n - 2) / 2 : TOUR_KICK_SPAN;
    for (size_t r = 0; r < kicks && m >= 3; r++) {
        if (m <= TOUR_EXACT_MAX_STOPS || span < 1) {
            memcpy(s->tmp, s->t, (size_t)n * sizeof *s->t);
            for (int k = n - 1; k > 0; k--) {
                int j = (int)(tour_rand(&rs) % (uint64_t)(k + 1));
                int x = s->tmp[k];
                s->tmp[k] = s->tmp[j];
                s->tmp[j] = x;
            }
            tour_ls_set(s, s->tmp);
            tour_push_all(s);
        } else {
            tour_double_bridge(s, &rs, span);
        }
        tour_optimise(s);
        if (s->len < best - TOUR_EPS) {
            best = s->len;
            memcpy(s->best, s->t, (size_t)n * sizeof *s->t);
        }
        if (s->len <= cur + TOUR_EPS || s->len <= best * (1 + TOUR_ACCEPT)) {
            cur = s->len;
            memcpy(s->save, s->t, (size_t)n * sizeof *s->t);
        } else {
            memcpy(s->t, s->save, (size_t)n * sizeof *s->t);
            for (int p = 0; p < n; p++)
                s->pos[s->t[p]] = p;
            s->len = cur;
        }
    }
    memcpy(s->t, s->best, (size_t)n * sizeof *s->t);
    for (int p = 0; p < n; p++)
        s->pos[s->t[p]] = p;
    s->len = best;
}

size_t tour_default_kicks(size_t n)
{
    size_t m = n > 0 ? n - 1 : 0;
    if (m <= TOUR_EXACT_MAX_STOPS)
        return 100;
    return 40 * m;
}

int tour_search(const double *d, size_t n, size_t kicks, uint64_t seed, size_t *order, double *len,
                struct err *e)
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
    struct tour_ls s;
    if ((rc = tour_ls_init(&s, d, n, TOUR_NEIGHBOURS, e)) != ERR_OK)
        return rc;
    tour_ils(&s, kicks, seed);
    *len = tour_ls_order(&s, d, n, order);
    tour_ls_free(&s);
    return ERR_OK;
}

int tour_heuristic(const double *d, size_t n, size_t *order, double *len, struct err *e)
{
    return tour_search(d, n, tour_default_kicks(n), TOUR_SEED, order, len, e);
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
