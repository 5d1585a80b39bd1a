/* SPDX-License-Identifier: MIT */
/* tour_windows.h - one day's visits in time: appointments (a window in
 * which a visit must start), a lunch break, an end place other than the
 * start, and the latest time the worker may arrive there. The pure part of
 * realistic outreach rounds (route.c feeds it walking distances); knows
 * standard C and err.h only.
 *
 * The day's clock. The worker leaves node 0 at `start`; walking a leg of
 * w metres takes w / speed minutes; a visit starts on arrival, or when the
 * stop's window opens if that is later, and lasts `dwell` minutes; it must
 * start no later than the window's close. The lunch break [lunch_from,
 * lunch_to) is a pause: a walk running into it stops and goes on after it
 * (arriving lunch_to - lunch_from minutes later), a visit that would
 * overlap it starts at lunch_to, and a leg begun inside it waits for its
 * end. The day is feasible when every visit starts in its window and the
 * worker reaches the end node by `end_by`.
 *
 * Matrix convention as tour.h: d is n x n row-major, metres.
 *
 * Entry points: tour_windows_eval, tour_windows_exact, tour_windows_days. */
#ifndef TSUNAGU_TOUR_WINDOWS_H
#define TSUNAGU_TOUR_WINDOWS_H

#include "err.h"
#include "tour.h"

#include <stddef.h>

#define TOUR_WINDOWS_MAX_STOPS 12   /* stops of one day solved exactly */
#define TOUR_WINDOWS_MAX_LABELS 512 /* trade-offs kept per (set, last stop) state */

/* A day's schedule rules; times are minutes after midnight. */
struct tour_sched {
    double speed;                /* m/min, > 0 */
    double start;                /* leaving node 0 */
    double end_by;               /* latest arrival at the end node */
    double dwell;                /* minutes per visit, >= 0 */
    double lunch_from, lunch_to; /* the break; lunch_to <= lunch_from: none */
    const double *open;          /* per node of d: earliest visit start, or NULL (no windows) */
    const double *close;         /* per node of d: latest visit start, or NULL */
};

/* Times the visits of order[0..m) (node indices of d) from node 0 to node
 * `end`: at[i] is when visit i starts, at[m] the arrival at `end` (at has
 * m + 1 entries; NULL to skip); *walk_m the metres walked, last leg
 * included. Returns 1 when the day is feasible (every window kept, end
 * reached by end_by), else 0 (at and *walk_m then as far as computed). */
int tour_windows_eval(const double *d, size_t n, size_t end, const size_t *order, size_t m,
                      const struct tour_sched *s, double *at, double *walk_m);

/* The shortest feasible day over the stops stops[0..m) (distinct node
 * indices of d, none 0 or `end`), by dynamic programming over (set of
 * stops, last stop) with the Pareto set of (metres, clock) per state:
 * a shorter walk that arrives later is kept beside a longer one that
 * arrives earlier, since a window may need the earlier arrival. Exact
 * while no state holds more than TOUR_WINDOWS_MAX_LABELS trade-offs
 * (*exact = 0 otherwise: the answer is then feasible but may not be the
 * shortest). Fills order (m entries), at (m + 1, as tour_windows_eval)
 * and *walk_m. ERR_LIMIT past TOUR_WINDOWS_MAX_STOPS, ERR_INPUT for a bad
 * node or schedule, ERR_NOTFOUND when no order is feasible, ERR_NOMEM. */
int tour_windows_exact(const double *d, size_t n, size_t end, const size_t *stops, size_t m,
                       const struct tour_sched *s, size_t *order, double *at, double *walk_m,
                       int *exact, struct err *e);

/* Assigns the stops seq[0..m) (node indices of d, in a preferred order,
 * e.g. a short tour) to days of at most max_per_day (1 to
 * TOUR_WINDOWS_MAX_STOPS) visits, each day feasible under s from node 0
 * to `end`: stops with a window first (by closing time), then the others
 * in seq's order, each inserted where it adds the least walking among the
 * days so far, or into a new day; then each day is ordered by
 * tour_windows_exact. order receives 0 then the stops day by day (m + 1
 * entries), days[k] the day's positions in order (first >= 1), count,
 * walk_m (end leg included) and minutes (walking plus visits); *ndays
 * their number (days must hold m entries). *exact is 1 when every day's
 * order is the shortest feasible one. ERR_NOTFOUND with *bad the node of
 * a stop that no day can hold even alone (its window cannot be kept),
 * ERR_LIMIT / ERR_INPUT / ERR_NOMEM as tour_windows_exact. */
int tour_windows_days(const double *d, size_t n, size_t end, const size_t *seq, size_t m,
                      const struct tour_sched *s, size_t max_per_day, size_t *order,
                      struct tour_day *days, size_t *ndays, size_t *bad, int *exact, struct err *e);

#endif
