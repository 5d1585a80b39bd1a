/* SPDX-License-Identifier: MIT */
/* tour_windows.c - one day's visits with appointments, a lunch break and
 * a separate end place (see tour_windows.h). */
#include "tour_windows.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* When a walk of `minutes` begun at t arrives, pausing for lunch. */
static double tw_walk(const struct tour_sched *s, double t, double minutes)
{
    if (s->lunch_to > s->lunch_from) {
        if (t >= s->lunch_from && t < s->lunch_to)
            t = s->lunch_to;
        else if (t < s->lunch_from && t + minutes > s->lunch_from)
            return t + minutes + (s->lunch_to - s->lunch_from);
    }
    return t + minutes;
}

/* When the visit at `node` reached at `arrive` starts (its window's
 * opening, then lunch), or -1 when that is after its window closes. */
static double tw_start(const struct tour_sched *s, size_t node, double arrive)
{
    double t = arrive;
    if (s->open && t < s->open[node])
        t = s->open[node];
    if (s->lunch_to > s->lunch_from && t < s->lunch_to && t + s->dwell > s->lunch_from)
        t = s->lunch_to;
    if (s->close && t > s->close[node] + 1e-9)
        return -1.0;
    return t;
}

int tour_windows_eval(const double *d, size_t n, size_t end, const size_t *order, size_t m,
                      const struct tour_sched *s, double *at, double *walk_m)
{
    double t = s->start, walked = 0.0;
    size_t prev = 0;
    int ok = 1;
    for (size_t i = 0; i < m && ok; i++) {
        double leg = d[prev * n + order[i]];
        walked += leg;
        double st = tw_start(s, order[i], tw_walk(s, t, leg / s->speed));
        if (st < 0)
            ok = 0;
        if (at)
            at[i] = st;
        t = st + s->dwell;
        prev = order[i];
    }
    if (ok) {
        double leg = d[prev * n + end];
        walked += leg;
        t = tw_walk(s, t, leg / s->speed);
        if (at)
            at[m] = t;
        ok = t <= s->end_by + 1e-9;
    }
    *walk_m = walked;
    return ok;
}

/* One trade-off: a walk through a set of stops ending at `node`. */
struct tw_label {
    double dist;  /* metres so far */
    double time;  /* clock when the visit at node ends */
    int32_t prev; /* index of the label it extends, -1 from the start */
    int32_t node; /* the stop (an index into stops) */
};

/* Candidates, by distance then time. */
static int tw_cmp(const void *a, const void *b)
{
    const struct tw_label *x = a, *y = b;
    if (x->dist != y->dist)
        return x->dist < y->dist ? -1 : 1;
    return (x->time > y->time) - (x->time < y->time);
}

int tour_windows_exact(const double *d, size_t n, size_t end, const size_t *stops, size_t m,
                       const struct tour_sched *s, size_t *order, double *at, double *walk_m,
                       int *exact, struct err *e)
{
    *exact = 1;
    if (m > TOUR_WINDOWS_MAX_STOPS)
        return err_set(e, ERR_LIMIT, "a day with appointments holds at most %d visits",
                       TOUR_WINDOWS_MAX_STOPS);
    if (!(s->speed > 0) || !(s->dwell >= 0) || end >= n)
        return err_set(e, ERR_INPUT, "the day's schedule is not valid");
    for (size_t i = 0; i < m; i++)
        if (stops[i] == 0 || stops[i] >= n || stops[i] == end)
            return err_set(e, ERR_INPUT, "a stop of the day is not a valid node");
    if (m == 0)
        return tour_windows_eval(d, n, end, order, 0, s, at, walk_m)
                   ? ERR_OK
                   : err_set(e, ERR_NOTFOUND, "the end cannot be reached within the day");
    size_t states = ((size_t)1 << m) * m;
    int32_t *first = malloc(states * sizeof *first), *count = calloc(states, sizeof *count);
    struct tw_label *pool = NULL, *cand = NULL;
    size_t npool = 0, cappool = 0, capcand = 0;
    int rc = ERR_OK;
    if (first == NULL || count == NULL) {
        rc = err_nomem(e);
        goto done;
    }
    /* Masks in increasing order: every predecessor set is done first. */
    for (size_t mask = 1; mask < ((size_t)1 << m) && rc == ERR_OK; mask++) {
        for (size_t last = 0; last < m && rc == ERR_OK; last++) {
            if (!(mask & ((size_t)1 << last)))
                continue;
            size_t pm = mask ^ ((size_t)1 << last), nc = 0;
            size_t node = stops[last];
            for (size_t j = 0; j < m || (pm == 0 && j == 0); j++) {
                size_t cnt, base, from;
                if (pm == 0) {
                    cnt = 1, base = 0, from = 0;
                } else {
                    if (!(pm & ((size_t)1 << j)))
                        continue;
                    cnt = (size_t)count[pm * m + j];
                    base = (size_t)first[pm * m + j];
                    from = stops[j];
                }
                for (size_t l = 0; l < cnt; l++) {
                    double dist0 = pm ? pool[base + l].dist : 0.0;
                    double t0 = pm ? pool[base + l].time : s->start;
                    double leg = d[from * n + node];
                    double st = tw_start(s, node, tw_walk(s, t0, leg / s->speed));
                    if (st < 0)
                        continue;
                    if (nc == capcand) {
                        size_t c = capcand ? 2 * capcand : 64;
                        struct tw_label *p = realloc(cand, c * sizeof *p);
                        if (p == NULL) {
                            rc = err_nomem(e);
                            goto done;
                        }
                        cand = p, capcand = c;
                    }
                    cand[nc++] = (struct tw_label){dist0 + leg, st + s->dwell,
                                                   pm ? (int32_t)(base + l) : -1, (int32_t)last};
                }
                if (pm == 0)
                    break;
            }
            /* The Pareto set: by distance, keep each label that ends
             * earlier than every shorter one. */
            if (nc > 1) /* qsort must not see the NULL of an empty list */
                qsort(cand, nc, sizeof *cand, tw_cmp);
            first[mask * m + last] = (int32_t)npool;
            double best_time = INFINITY;
            for (size_t c = 0; c < nc; c++) {
                if (cand[c].time >= best_time - 1e-9)
                    continue;
                if (count[mask * m + last] == TOUR_WINDOWS_MAX_LABELS) {
                    *exact = 0;
                    break;
                }
                best_time = cand[c].time;
                if (npool == cappool) {
                    size_t cp = cappool ? 2 * cappool : 1024;
                    struct tw_label *p = realloc(pool, cp * sizeof *p);
                    if (p == NULL) {
                        rc = err_nomem(e);
                        goto done;
                    }
                    pool = p, cappool = cp;
                }
                pool[npool++] = cand[c];
                count[mask * m + last]++;
            }
        }
    }
    /* The best finish: the shortest walk that reaches the end in time. */
    size_t full = ((size_t)1 << m) - 1;
    int32_t best = -1;
    double best_len = INFINITY;
    for (size_t last = 0; last < m; last++)
        for (int32_t l = 0; l < count[full * m + last]; l++) {
            const struct tw_label *b = &pool[first[full * m + last] + l];
            double leg = d[stops[last] * n + end];
            if (tw_walk(s, b->time, leg / s->speed) > s->end_by + 1e-9)
                continue;
            if (b->dist + leg < best_len - 1e-9) {
                best_len = b->dist + leg;
                best = first[full * m + last] + l;
            }
        }
    if (best < 0) {
        rc = err_set(e, ERR_NOTFOUND, "no order of the day's visits keeps every appointment");
        goto done;
    }
    for (size_t pos = m; pos-- > 0;) {
        order[pos] = stops[pool[best].node];
        best = pool[best].prev;
    }
    tour_windows_eval(d, n, end, order, m, s, at, walk_m);
done:
    free(first);
    free(count);
    free(pool);
    free(cand);
    return rc;
}

/* A day being filled: its stops in visiting order. */
struct tw_day {
    size_t stop[TOUR_WINDOWS_MAX_STOPS]; /* node indices */
    size_t count;                        /* stops */
    double walk_m;                       /* its walk as ordered */
};

/* Stops with a window first, by closing time (stable on the index). */
struct tw_pick {
    size_t node;  /* node index */
    double key;   /* closing time, or INFINITY without a window */
    size_t index; /* position in seq */
};

static int tw_pick_cmp(const void *a, const void *b)
{
    const struct tw_pick *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

int tour_windows_days(const double *d, size_t n, size_t end, const size_t *seq, size_t m,
                      const struct tour_sched *s, size_t max_per_day, size_t *order,
                      struct tour_day *days, size_t *ndays, size_t *bad, int *exact, struct err *e)
{
    *ndays = 0;
    *exact = 1;
    *bad = 0;
    if (max_per_day < 1 || max_per_day > TOUR_WINDOWS_MAX_STOPS)
        return err_set(e, ERR_INPUT, "a day holds 1 to %d visits", TOUR_WINDOWS_MAX_STOPS);
    order[0] = 0;
    if (m == 0)
        return ERR_OK;
    struct tw_day *dv = calloc(m, sizeof *dv);
    struct tw_pick *pick = malloc(m * sizeof *pick);
    size_t nd = 0;
    int rc = ERR_OK;
    if (dv == NULL || pick == NULL) {
        rc = err_nomem(e);
        goto done;
    }
    for (size_t i = 0; i < m; i++) {
        size_t v = seq[i];
        int windowed = s->close && s->open && (s->close[v] < 1440 || s->open[v] > 0);
        pick[i] = (struct tw_pick){v, windowed ? s->close[v] : INFINITY, i};
    }
    qsort(pick, m, sizeof *pick, tw_pick_cmp);
    size_t trial[TOUR_WINDOWS_MAX_STOPS];
    for (size_t i = 0; i < m; i++) {
        size_t v = pick[i].node, best_day = SIZE_MAX, best_pos = 0;
        double best_add = INFINITY, best_walk = 0, w;
        for (size_t k = 0; k < nd; k++) {
            if (dv[k].count >= max_per_day)
                continue;
            for (size_t pos = 0; pos <= dv[k].count; pos++) {
                memcpy(trial, dv[k].stop, pos * sizeof *trial);
                trial[pos] = v;
                memcpy(trial + pos + 1, dv[k].stop + pos, (dv[k].count - pos) * sizeof *trial);
                if (tour_windows_eval(d, n, end, trial, dv[k].count + 1, s, NULL, &w) &&
                    w - dv[k].walk_m < best_add) {
                    best_add = w - dv[k].walk_m;
                    best_day = k, best_pos = pos, best_walk = w;
                }
            }
        }
        if (best_day == SIZE_MAX) {
            if (!tour_windows_eval(d, n, end, &v, 1, s, NULL, &w)) {
                *bad = v;
                rc = err_set(e, ERR_NOTFOUND, "a visit cannot be kept within any day");
                goto done;
            }
            best_day = nd++, best_pos = 0, best_walk = w;
        }
        struct tw_day *dy = &dv[best_day];
        memmove(dy->stop + best_pos + 1, dy->stop + best_pos,
                (dy->count - best_pos) * sizeof *dy->stop);
        dy->stop[best_pos] = v;
        dy->count++;
        dy->walk_m = best_walk;
    }
    /* Each day in its shortest feasible order. */
    size_t pos = 1;
    for (size_t k = 0; k < nd; k++) {
        double at[TOUR_WINDOWS_MAX_STOPS + 1], w;
        int ex;
        rc = tour_windows_exact(d, n, end, dv[k].stop, dv[k].count, s, order + pos, at, &w, &ex, e);
        if (rc != ERR_OK)
            goto done;
        *exact &= ex;
        days[k] =
            (struct tour_day){pos, dv[k].count, w, w / s->speed + s->dwell * (double)dv[k].count};
        pos += dv[k].count;
    }
    *ndays = nd;
done:
    free(dv);
    free(pick);
    return rc;
}
