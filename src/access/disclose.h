/* SPDX-License-Identifier: MIT */
/* disclose.h - statistical disclosure control for household counts: which
 * figures of an aggregate answer (coverage per district and per resource,
 * new-site suggestions) must be hidden so that no count of 1 to k-1
 * households can be read or worked out from the rest.
 *
 * Model. An answer is a set of linked tables: cells (non-negative counts)
 * and additive lines ("total = sum of members"). A cell is published (the
 * reader sees it) or only derivable (e.g. households beyond the limit =
 * households - covered - off - unreachable); derivable cells cost nothing
 * to hide. Hiding works in three steps:
 *   1. primary: every cell of 1..k-1 (zero stays: it is not small);
 *   2. complementary: a line whose total is shown must not hold exactly
 *      one hidden cell, a hidden total not only hidden members, and the
 *      hidden cells must leave each primary in it its whole range 1..k-1
 *      even to a reader who knows which hidden cells are primary (shown
 *      as "<5") and that the others are >= k; while a line breaks that
 *      rule, one more of its cells (members or total) is hidden: derivable
 *      cells first, then light ones (weights), then one that also repairs
 *      another line rather than one that breaks one, then the smallest
 *      ("next-smallest");
 *   3. audit: the reader's best knowledge from all published figures
 *      together - interval propagation over every line, Gaussian
 *      elimination of the lines (a combination isolating a cell), and a
 *      linear program minimising and maximising each primary over the
 *      lines and the known ranges (up to 160 hidden cells; the tables of
 *      an answer are small); while a primary is pinned to one value, each
 *      shown cell is tried (with the
 *      complementary cells step 2 then adds) and the trial that frees it
 *      losing the least weight is kept; when no trial can (the "<k" ranges
 *      themselves pin it: four hidden 1s adding up to a hidden 4), the
 *      ranges are withheld: the answer shows every hidden cell alike
 *      (null), so the reader knows only that it is not zero.
 * Pure: no I/O; deterministic for the same input.
 *
 * Staging. Figures shared by many answers (households per district do not
 * depend on the minutes asked for) are decided once, in a run of their
 * own, and enter the runs of the answers as fixed cells
 * (disclose_cell_fixed): every answer then hides them alike, and only the
 * answer's own figures are hidden on top (disclose_plan.h builds the
 * stages).
 *
 * Entry points: disclose_new/free, disclose_cell, disclose_cell_fixed, disclose_line,
 * disclose_run, disclose_state, disclose_bounds, disclose_withheld,
 * disclose_ncells, disclose_uf_init/find/join, disclose_nest_lines. The answers of coverage.h and
 * suggest.h are cast into these tables by disclose_plan.h. */
#ifndef TSUNAGU_DISCLOSE_H
#define TSUNAGU_DISCLOSE_H

#include "err.h"

#include <stddef.h>

#define DISCLOSE_K 5               /* counts of 1..DISCLOSE_K-1 households are hidden */
#define DISCLOSE_NONE ((size_t)-1) /* "no cell" */
#define DISCLOSE_CELLS_MAX 100000  /* cells of one answer */
#define DISCLOSE_INF (1L << 50)    /* "no upper bound" in disclose_bounds */

/* What becomes of a cell. */
enum disclose_state {
    DISCLOSE_SHOWN = 0,    /* published (or derivable) as it is */
    DISCLOSE_PRIMARY = 1,  /* 1..k-1: hidden, shown as "<k" */
    DISCLOSE_SECONDARY = 2 /* hidden to protect a primary: shown as null */
};

/* ---- the generic engine ---- */

struct disclose;

/* An empty set of tables; NULL when out of memory. */
struct disclose *disclose_new(void);
void disclose_free(struct disclose *d);

/* Adds a cell of `value` (>= 0) that the reader sees, with `weight` 1..100
 * saying how much hiding it loses (complementary cells are chosen to lose
 * the least), or that the reader could only derive (weight 0: free to
 * hide). Returns its index, or DISCLOSE_NONE when out of memory, for a
 * negative value or past DISCLOSE_CELLS_MAX (disclose_run then fails). */
size_t disclose_cell(struct disclose *d, long value, int weight);

/* Values of a fixed cell's mark (disclose_cell_fixed). */
#define DISCLOSE_FIXED 1          /* decided before, "<k" ranges known */
#define DISCLOSE_FIXED_WITHHELD 2 /* decided before by a run that withheld the ranges */

/* Adds a cell whose state an earlier run decided (a figure that several
 * answers share, such as a district's households, which every minutes
 * limit shows): disclose_run keeps `state` (enum disclose_state) as it is,
 * never hides it to protect another cell, and audits it like the others
 * (a fixed primary pinned by the new lines makes more new cells hidden).
 * `withheld` is disclose_withheld of the run that decided it: the reader
 * then knows only that a hidden cell is 1 or more. Returns the index, or
 * DISCLOSE_NONE as disclose_cell does. */
size_t disclose_cell_fixed(struct disclose *d, long value, int state, int withheld);

/* Adds the line "total = members[0] + ... + members[n-1]" (indices from
 * disclose_cell; DISCLOSE_NONE anywhere makes disclose_run fail). */
void disclose_line(struct disclose *d, size_t total, const size_t *members, size_t n);

/* Decides every cell's state with threshold k (>= 2). ERR_NOMEM when a
 * builder call failed or memory runs out, ERR_INTERNAL when a line does not
 * add up (the caller built a wrong model); the states are then all hidden. */
int disclose_run(struct disclose *d, long k, struct err *e);

/* enum disclose_state of a cell after disclose_run (DISCLOSE_SECONDARY for
 * DISCLOSE_NONE, so a figure is hidden when in doubt). */
int disclose_state(const struct disclose *d, size_t cell);

/* The reader's bounds on each cell given what is shown: shown cells their
 * value, primaries within [1, k-1], secondaries within [k, DISCLOSE_INF],
 * narrowed by propagation over every line to a fixed point. lo and hi get
 * one entry per cell (with ranges withheld, every hidden cell within [1,
 * DISCLOSE_INF]). Exposed so tests can attack the answer. ERR_NOMEM. */
int disclose_bounds(const struct disclose *d, long k, long *lo, long *hi, struct err *e);

/* 1 when the answer must show primary cells like complementary ones (null,
 * not "<k"): their ranges would give one away. */
int disclose_withheld(const struct disclose *d);

/* Number of cells added. */
size_t disclose_ncells(const struct disclose *d);

/* ---- nests of two district levels ---- */

/* Union-find over table rows (path halving), to group the rows of two
 * levels that the same households join: disclose_uf_init makes up[0..n)
 * singletons, disclose_uf_find returns a row's root, disclose_uf_join
 * joins two rows' groups. */
void disclose_uf_init(size_t *up, size_t n);
size_t disclose_uf_find(size_t *up, size_t x);
void disclose_uf_join(size_t *up, size_t x, size_t y);

/* The figures of a table to nest: cells[row * stride + f] is the cell of
 * figure f of a row, value(ctx, row, f) its value; figs[0..nfigs) the
 * figures to nest. */
struct disclose_nest {
    const size_t *cells;
    size_t stride;
    long (*value)(const void *ctx, size_t row, int f);
    const void *ctx;
    const int *figs;
    int nfigs;
};

/* Adds the lines of the nests of the rows [a0, a1) of one level and [b0,
 * b1) of another (b0 >= a1), grouped by `up` (disclose_uf_join of rows
 * that hold the same household): a group with rows on both sides holds the
 * same households on both, so each figure's sum over its rows of level a
 * equals that over its rows of level b, through a derivable cell. Without
 * these lines a junior-high district made of whole elementary ones gave a
 * hidden elementary figure away by subtraction (J01 - E01 - E02 = E03).
 * mem holds (a1 - a0) + (b1 - b0) entries. */
void disclose_nest_lines(struct disclose *d, size_t *up, size_t a0, size_t a1, size_t b0, size_t b1,
                         const struct disclose_nest *nest, size_t *mem);

#endif
