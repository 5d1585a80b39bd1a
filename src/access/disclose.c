/* SPDX-License-Identifier: MIT */
/* disclose.c - primary and complementary suppression of small household
 * counts over linked additive tables (see disclose.h for the model and the
 * rules): the line rules, an audit that plays the reader (interval
 * propagation, Gaussian elimination, a small dense simplex with Bland's
 * rule), and the tables of the coverage and suggestion answers. Entry
 * points are those of disclose.h. */
#include "disclose.h"

#include "vec.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct disclose {
    size_t ncells, ccap;      /* cells and capacity */
    long *value;              /* cell values */
    unsigned char *published; /* weight of a published cell (>= 1), 0 = derivable only */
    unsigned char *state;     /* enum disclose_state */
    unsigned char *fixed;     /* 0: decided by disclose_run; DISCLOSE_FIXED_*: decided before */
    size_t nlines, lcap;      /* lines and capacity */
    size_t *ltotal;           /* each line's total cell */
    size_t *lfirst;           /* each line's first entry in members */
    size_t *lend;             /* one past its last entry */
    size_t nmem, mcap;        /* entries in members, capacity */
    size_t *members;          /* member cells of every line, line after line */
    int failed;               /* a builder call failed (1; 2 for a negative value) */
    int withheld;             /* 1: hidden cells are all shown alike (no "<k" range) */
};

struct disclose *disclose_new(void)
{
    return calloc(1, sizeof(struct disclose));
}

void disclose_free(struct disclose *d)
{
    if (d == NULL)
        return;
    free(d->value);
    free(d->published);
    free(d->state);
    free(d->fixed);
    free(d->ltotal);
    free(d->lfirst);
    free(d->lend);
    free(d->members);
    free(d);
}

int disclose_withheld(const struct disclose *d)
{
    return d->withheld;
}

size_t disclose_ncells(const struct disclose *d)
{
    return d->ncells;
}

size_t disclose_cell(struct disclose *d, long value, int weight)
{
    if (d->failed || d->ncells >= DISCLOSE_CELLS_MAX || value < 0) {
        if (!d->failed)
            d->failed = value < 0 ? 2 : 1;
        return DISCLOSE_NONE;
    }
    size_t cap = d->ccap;
    if (vec_reserve((void **)&d->value, &cap, d->ncells + 1, sizeof *d->value) != ERR_OK) {
        d->failed = 1;
        return DISCLOSE_NONE;
    }
    cap = d->ccap;
    if (vec_reserve((void **)&d->published, &cap, d->ncells + 1, 1) != ERR_OK) {
        d->failed = 1;
        return DISCLOSE_NONE;
    }
    cap = d->ccap;
    if (vec_reserve((void **)&d->state, &cap, d->ncells + 1, 1) != ERR_OK) {
        d->failed = 1;
        return DISCLOSE_NONE;
    }
    cap = d->ccap;
    if (vec_reserve((void **)&d->fixed, &cap, d->ncells + 1, 1) != ERR_OK) {
        d->failed = 1;
        return DISCLOSE_NONE;
    }
    d->ccap = cap;
    d->value[d->ncells] = value;
    d->published[d->ncells] = (unsigned char)(weight < 0 ? 0 : weight > 100 ? 100 : weight);
    d->state[d->ncells] = DISCLOSE_SHOWN;
    d->fixed[d->ncells] = 0;
    return d->ncells++;
}

size_t disclose_cell_fixed(struct disclose *d, long value, int state, int withheld)
{
    size_t c = disclose_cell(d, value, 100);
    if (c == DISCLOSE_NONE)
        return c;
    d->state[c] = (unsigned char)(state == DISCLOSE_PRIMARY     ? DISCLOSE_PRIMARY
                                  : state == DISCLOSE_SECONDARY ? DISCLOSE_SECONDARY
                                                                : DISCLOSE_SHOWN);
    d->fixed[c] = withheld ? DISCLOSE_FIXED_WITHHELD : DISCLOSE_FIXED;
    return c;
}

/* The reader's range of a hidden cell c (disclose.h): a primary 1..k-1, a
 * complementary cell k or more; 1 or more for either when the ranges are
 * withheld - for a fixed cell, by the run that decided it. */
static void disclose_range(const struct disclose *d, size_t c, long k, long *lo, long *hi)
{
    int withheld = d->fixed[c] ? d->fixed[c] == DISCLOSE_FIXED_WITHHELD : d->withheld;
    if (d->state[c] == DISCLOSE_PRIMARY) {
        *lo = 1;
        *hi = withheld ? DISCLOSE_INF : k - 1;
    } else {
        *lo = withheld ? 1 : k;
        *hi = DISCLOSE_INF;
    }
}

void disclose_line(struct disclose *d, size_t total, const size_t *members, size_t n)
{
    if (d->failed)
        return;
    size_t cap = d->lcap;
    int ok = (vec_reserve((void **)&d->ltotal, &cap, d->nlines + 1, sizeof(size_t)) == ERR_OK);
    cap = d->lcap;
    ok = ok && (vec_reserve((void **)&d->lfirst, &cap, d->nlines + 1, sizeof(size_t)) == ERR_OK);
    cap = d->lcap;
    ok = ok && (vec_reserve((void **)&d->lend, &cap, d->nlines + 1, sizeof(size_t)) == ERR_OK);
    if (ok)
        d->lcap = cap;
    ok = ok && (vec_reserve((void **)&d->members, &d->mcap, d->nmem + n, sizeof(size_t)) == ERR_OK);
    if (!ok || total == DISCLOSE_NONE) {
        d->failed = 1;
        return;
    }
    d->ltotal[d->nlines] = total;
    d->lfirst[d->nlines] = d->nmem;
    for (size_t i = 0; i < n; i++) {
        if (members[i] == DISCLOSE_NONE)
            d->failed = 1;
        d->members[d->nmem++] = members[i];
    }
    d->lend[d->nlines++] = d->nmem;
}

int disclose_state(const struct disclose *d, size_t cell)
{
    return cell < d->ncells ? d->state[cell] : DISCLOSE_SECONDARY;
}

/* ---- the run ---- */

/* Working state of disclose_run: which lines each cell belongs to and each
 * line's hidden members, kept up to date as cells are hidden. */
struct disclose_work {
    struct disclose *d;
    long k;
    size_t *cfirst;  /* per cell + 1: start of its lines in clines (CSR) */
    size_t *clines;  /* lines of each cell, as member or total */
    size_t *np, *nm; /* per line: hidden primary / secondary members */
    long *sp, *sm;   /* per line: their sums */
};

static void disclose_work_free(struct disclose_work *w)
{
    free(w->cfirst);
    free(w->clines);
    free(w->np);
    free(w->nm);
    free(w->sp);
    free(w->sm);
}

/* 1 when line L must hide one more cell (disclose.h, step 2): a hidden
 * total with every member shown is their sum; a shown total with one
 * hidden member gives it away; and hidden members must leave each primary
 * among them its whole range. */
static int disclose_violates(const struct disclose_work *w, size_t L)
{
    const struct disclose *d = w->d;
    size_t p = w->np[L], m = w->nm[L];
    if (d->state[d->ltotal[L]] != DISCLOSE_SHOWN)
        return p + m == 0;
    if (p + m == 0)
        return 0;
    if (p == 0)
        return m == 1;
    /* The largest value a primary can take given the rest: it must still
     * reach k - 1. */
    return m == 0 || w->sp[L] + w->sm[L] - (long)(p - 1) - w->k * (long)m < w->k - 1;
}

/* Hides cell c as `state`, updating the line counters. */
static void disclose_hide(struct disclose_work *w, size_t c, int state)
{
    struct disclose *d = w->d;
    d->state[c] = (unsigned char)state;
    for (size_t i = w->cfirst[c]; i < w->cfirst[c + 1]; i++) {
        size_t L = w->clines[i];
        if (d->ltotal[L] == c)
            continue;
        if (state == DISCLOSE_PRIMARY) {
            w->np[L]++;
            w->sp[L] += d->value[c];
        } else {
            w->nm[L]++;
            w->sm[L] += d->value[c];
        }
    }
}

/* How good hiding cell c is for repairing line L (lower is better): a
 * published cell costs 1 + its weight; every other line of c that it would
 * break costs 1 and every one it would repair saves 1. */
static long disclose_score(const struct disclose_work *w, size_t L, size_t c)
{
    const struct disclose *d = w->d;
    long score = d->published[c] ? 1 + (long)d->published[c] : 0;
    for (size_t i = w->cfirst[c]; i < w->cfirst[c + 1]; i++) {
        size_t L2 = w->clines[i];
        if (L2 == L)
            continue;
        int quiet = w->np[L2] + w->nm[L2] == 0; /* no hidden member yet */
        if (d->ltotal[L2] == c)
            score += quiet ? 1 : -disclose_violates(w, L2);
        else if (d->state[d->ltotal[L2]] == DISCLOSE_SHOWN)
            score += quiet ? 1 : -disclose_violates(w, L2);
        else
            score -= quiet; /* the line's hidden total alone was its sum */
    }
    return score;
}

/* The best cell to hide for line L: a shown member > 0 or its shown
 * total, by score, then value, then index; DISCLOSE_NONE when there is
 * none. *score gets its score. */
static size_t disclose_pick(const struct disclose_work *w, size_t L, long *score)
{
    const struct disclose *d = w->d;
    size_t best = DISCLOSE_NONE;
    long best_score = 0;
    for (size_t i = d->lfirst[L]; i <= d->lend[L]; i++) {
        size_t c = i < d->lend[L] ? d->members[i] : d->ltotal[L];
        if (d->state[c] != DISCLOSE_SHOWN || d->value[c] == 0 || d->fixed[c])
            continue;
        long s = disclose_score(w, L, c);
        if (best == DISCLOSE_NONE || s < best_score ||
            (s == best_score &&
             (d->value[c] < d->value[best] || (d->value[c] == d->value[best] && c < best)))) {
            best = c;
            best_score = s;
        }
    }
    *score = best_score;
    return best;
}

/* Step 2: hides cells until no line breaks the rule, each time the best
 * (line, cell) pair over all breaking lines. */
static void disclose_complement(struct disclose_work *w)
{
    const struct disclose *d = w->d;
    for (;;) {
        size_t best = DISCLOSE_NONE;
        long best_score = 0;
        for (size_t L = 0; L < d->nlines; L++) {
            if (!disclose_violates(w, L))
                continue;
            long s;
            size_t c = disclose_pick(w, L, &s);
            if (c != DISCLOSE_NONE &&
                (best == DISCLOSE_NONE || s < best_score ||
                 (s == best_score &&
                  (d->value[c] < d->value[best] || (d->value[c] == d->value[best] && c < best))))) {
                best = c;
                best_score = s;
            }
        }
        if (best == DISCLOSE_NONE)
            return;
        disclose_hide(w, best, DISCLOSE_SECONDARY);
    }
}

/* One propagation pass over line L (total = sum of members): the total
 * within the members' sum of bounds, each member within the total minus
 * the others' bounds. Returns 1 when a bound moved. */
static int disclose_propagate(const struct disclose *d, size_t L, long *lo, long *hi)
{
    size_t t = d->ltotal[L];
    long sum_lo = 0, fin_hi = 0; /* sum of lower bounds, of finite upper bounds */
    size_t ninf = 0;             /* members without an upper bound */
    for (size_t i = d->lfirst[L]; i < d->lend[L]; i++) {
        size_t c = d->members[i];
        sum_lo += lo[c];
        if (hi[c] >= DISCLOSE_INF)
            ninf++;
        else
            fin_hi += hi[c];
    }
    int moved = 0;
    if (sum_lo > lo[t]) {
        lo[t] = sum_lo;
        moved = 1;
    }
    if (ninf == 0 && fin_hi < hi[t]) {
        hi[t] = fin_hi;
        moved = 1;
    }
    for (size_t i = d->lfirst[L]; i < d->lend[L]; i++) {
        size_t c = d->members[i];
        if (hi[t] < DISCLOSE_INF && hi[t] - (sum_lo - lo[c]) < hi[c]) {
            long h = hi[t] - (sum_lo - lo[c]);
            if (hi[c] >= DISCLOSE_INF) {
                ninf--;
                fin_hi += h;
            } else {
                fin_hi += h - hi[c];
            }
            hi[c] = h;
            moved = 1;
        }
        int inf = hi[c] >= DISCLOSE_INF;
        if (ninf - (inf ? 1 : 0) == 0) {
            long others_hi = fin_hi - (inf ? 0 : hi[c]);
            if (lo[t] - others_hi > lo[c]) {
                sum_lo += lo[t] - others_hi - lo[c];
                lo[c] = lo[t] - others_hi;
                moved = 1;
            }
        }
    }
    return moved;
}

#define DISCLOSE_PASSES_MAX 500 /* propagation passes (bounds only shrink) */

int disclose_bounds(const struct disclose *d, long k, long *lo, long *hi, struct err *e)
{
    for (size_t c = 0; c < d->ncells; c++) {
        if (d->state[c] == DISCLOSE_SHOWN)
            lo[c] = hi[c] = d->value[c];
        else
            disclose_range(d, c, k, &lo[c], &hi[c]);
    }
    for (int pass = 0; pass < DISCLOSE_PASSES_MAX; pass++) {
        int moved = 0;
        for (size_t L = 0; L < d->nlines; L++)
            moved |= disclose_propagate(d, L, lo, hi);
        if (!moved)
            break;
    }
    return ERR_OK;
}

/* A copy of the hiding state, for trying a cell and taking it back. */
struct disclose_snap {
    unsigned char *state; /* cell states */
    size_t *np, *nm;      /* line counters */
    long *sp, *sm;        /* line sums */
};

static void disclose_snap_free(struct disclose_snap *s)
{
    free(s->state);
    free(s->np);
    free(s->nm);
    free(s->sp);
    free(s->sm);
}

static int disclose_snap_alloc(const struct disclose_work *w, struct disclose_snap *s)
{
    size_t nc = w->d->ncells + 1, nl = w->d->nlines + 1;
    s->state = malloc(nc);
    s->np = malloc(nl * sizeof *s->np);
    s->nm = malloc(nl * sizeof *s->nm);
    s->sp = malloc(nl * sizeof *s->sp);
    s->sm = malloc(nl * sizeof *s->sm);
    return s->state && s->np && s->nm && s->sp && s->sm;
}

/* Copies the state of w into s (to = 0) or back from s (to = 1). */
static void disclose_snap_copy(struct disclose_work *w, struct disclose_snap *s, int back)
{
    size_t nc = w->d->ncells, nl = w->d->nlines;
    if (back) {
        memcpy(w->d->state, s->state, nc);
        memcpy(w->np, s->np, nl * sizeof *s->np);
        memcpy(w->nm, s->nm, nl * sizeof *s->nm);
        memcpy(w->sp, s->sp, nl * sizeof *s->sp);
        memcpy(w->sm, s->sm, nl * sizeof *s->sm);
    } else {
        memcpy(s->state, w->d->state, nc);
        memcpy(s->np, w->np, nl * sizeof *s->np);
        memcpy(s->nm, w->nm, nl * sizeof *s->nm);
        memcpy(s->sp, w->sp, nl * sizeof *s->sp);
        memcpy(s->sm, w->sm, nl * sizeof *s->sm);
    }
}

#define DISCLOSE_TRIALS_MAX 256            /* cells tried per pinned primary */
#define DISCLOSE_PUBLISHED_COST (1L << 40) /* a published cell hidden costs more than any value */

#define DISCLOSE_ALGEBRA_MAX 600 /* hidden cells up to which equations are solved exactly */

/* Marks in fixed[c] the hidden cells whose value the lines alone determine
 * (a combination of lines isolates them, e.g. the difference of two
 * margins with the same hidden total): Gaussian elimination of the lines
 * restricted to hidden cells, then each hidden cell's unit vector reduced
 * against the echelon rows; nothing left means the cell is fixed. Skipped
 * (nothing marked) above DISCLOSE_ALGEBRA_MAX hidden cells, where
 * propagation alone audits. Returns 0 when out of memory. */
static int disclose_fixed(const struct disclose *d, unsigned char *fixed)
{
    memset(fixed, 0, d->ncells);
    size_t *col = malloc((d->ncells + 1) * sizeof *col), h = 0;
    if (col == NULL)
        return 0;
    for (size_t c = 0; c < d->ncells; c++)
        col[c] = d->state[c] != DISCLOSE_SHOWN ? h++ : DISCLOSE_NONE;
    if (h == 0 || h > DISCLOSE_ALGEBRA_MAX) {
        free(col);
        return 1;
    }
    double *m = calloc(d->nlines * h + h, sizeof *m); /* one row per line */
    size_t *pivot = malloc((d->nlines + 1) * sizeof *pivot);
    if (m == NULL || pivot == NULL) {
        free(col);
        free(m);
        free(pivot);
        return 0;
    }
    size_t rows = 0;
    for (size_t L = 0; L < d->nlines; L++) {
        double *r = m + rows * h;
        int any = 0;
        if (col[d->ltotal[L]] != DISCLOSE_NONE) {
            r[col[d->ltotal[L]]] -= 1;
            any = 1;
        }
        for (size_t i = d->lfirst[L]; i < d->lend[L]; i++)
            if (col[d->members[i]] != DISCLOSE_NONE) {
                r[col[d->members[i]]] += 1;
                any = 1;
            }
        rows += any;
    }
    /* Reduced row echelon form, partial pivoting. */
    size_t rank = 0;
    for (size_t j = 0; j < h && rank < rows; j++) {
        size_t best = rank;
        for (size_t i = rank + 1; i < rows; i++)
            if (fabs(m[i * h + j]) > fabs(m[best * h + j]))
                best = i;
        if (fabs(m[best * h + j]) < 1e-9)
            continue;
        for (size_t k = 0; k < h; k++) {
            double t = m[rank * h + k];
            m[rank * h + k] = m[best * h + k];
            m[best * h + k] = t;
        }
        double p = m[rank * h + j];
        for (size_t k = 0; k < h; k++)
            m[rank * h + k] /= p;
        for (size_t i = 0; i < rows; i++) {
            double f = m[i * h + j];
            if (i == rank || fabs(f) < 1e-12)
                continue;
            for (size_t k = 0; k < h; k++)
                m[i * h + k] -= f * m[rank * h + k];
        }
        pivot[rank++] = j;
    }
    /* A cell is fixed when some combination of rows is its unit vector:
     * in reduced form, a pivot row whose only non-zero entry is the cell. */
    for (size_t r = 0; r < rank; r++) {
        size_t nz = 0;
        for (size_t k = 0; k < h; k++)
            nz += fabs(m[r * h + k]) > 1e-9;
        if (nz == 1)
            for (size_t c = 0; c < d->ncells; c++)
                if (col[c] == pivot[r])
                    fixed[c] = 1;
    }
    free(col);
    free(m);
    free(pivot);
    return 1;
}

/* ---- the linear-programming reader ---- */

#define DISCLOSE_LP_MAX 160 /* hidden cells up to which the LP audit runs */
#define DISCLOSE_EPS 1e-7

/* A dense simplex tableau: rows 0..m-1 constraints, row m the objective's
 * reduced costs; columns 0..n-1 variables, column n the right-hand side. */
struct disclose_lp {
    size_t m, n;   /* constraints, variables (artificials last) */
    size_t nreal;  /* variables that are not artificial */
    double *t;     /* (m + 1) x (n + 1), row-major */
    size_t *basis; /* basic variable of each row */
};

#define LP(lp, r, c) ((lp)->t[(r) * ((lp)->n + 1) + (c)])

static void disclose_lp_pivot(struct disclose_lp *lp, size_t r, size_t c)
{
    double p = LP(lp, r, c);
    for (size_t j = 0; j <= lp->n; j++)
        LP(lp, r, j) /= p;
    for (size_t i = 0; i <= lp->m; i++) {
        double f = LP(lp, i, c);
        if (i == r || fabs(f) < 1e-15)
            continue;
        for (size_t j = 0; j <= lp->n; j++)
            LP(lp, i, j) -= f * LP(lp, r, j);
    }
    lp->basis[r] = c;
}

/* Minimises over the current objective row with Bland's rule, entering
 * only columns < `ncols`. Returns 0 at the optimum, 1 when unbounded. */
static int disclose_lp_run(struct disclose_lp *lp, size_t ncols)
{
    for (long iter = 0; iter < 100000; iter++) {
        size_t enter = DISCLOSE_NONE;
        for (size_t j = 0; j < ncols && enter == DISCLOSE_NONE; j++)
            if (LP(lp, lp->m, j) < -DISCLOSE_EPS)
                enter = j;
        if (enter == DISCLOSE_NONE)
            return 0;
        size_t leave = DISCLOSE_NONE;
        double best = 0;
        for (size_t i = 0; i < lp->m; i++) {
            double a = LP(lp, i, enter);
            if (a <= DISCLOSE_EPS)
                continue;
            double ratio = LP(lp, i, lp->n) / a;
            if (leave == DISCLOSE_NONE || ratio < best - 1e-12 ||
                (ratio < best + 1e-12 && lp->basis[i] < lp->basis[leave])) {
                leave = i;
                best = ratio;
            }
        }
        if (leave == DISCLOSE_NONE)
            return 1;
        disclose_lp_pivot(lp, leave, enter);
    }
    return 1; /* did not finish: treat as unbounded (nothing concluded) */
}

/* Sets the objective to minimise `sign` * variable v and prices it out. */
static void disclose_lp_objective(struct disclose_lp *lp, size_t v, double sign)
{
    for (size_t j = 0; j <= lp->n; j++)
        LP(lp, lp->m, j) = 0;
    LP(lp, lp->m, v) = sign;
    for (size_t i = 0; i < lp->m; i++) {
        double cb = lp->basis[i] == v ? sign : 0;
        if (cb == 0)
            continue;
        for (size_t j = 0; j <= lp->n; j++)
            LP(lp, lp->m, j) -= cb * LP(lp, i, j);
    }
}

/* The first primary (or only cell `only` when it is not DISCLOSE_NONE)
 * that the linear-programming relaxation of the reader's knowledge (every
 * line, every hidden cell within its known range) leaves a single integer
 * value, or DISCLOSE_NONE (also above DISCLOSE_LP_MAX hidden cells, and
 * when out of memory: *nomem set). */
static size_t disclose_lp_pinned(const struct disclose *d, long k, size_t only, int *nomem)
{
    size_t h = 0, nup = 0;
    size_t *col = malloc((d->ncells + 1) * sizeof *col);
    size_t *cell = malloc((d->ncells + 1) * sizeof *cell);
    long *lo = malloc((d->ncells + 1) * sizeof *lo), *up = malloc((d->ncells + 1) * sizeof *up);
    size_t found = DISCLOSE_NONE;
    struct disclose_lp lp = {0}, work = {0};
    if (!col || !cell || !lo || !up) {
        *nomem = 1;
        goto done;
    }
    for (size_t c = 0; c < d->ncells; c++) {
        col[c] = DISCLOSE_NONE;
        if (d->state[c] == DISCLOSE_SHOWN)
            continue;
        long rlo, rhi;
        disclose_range(d, c, k, &rlo, &rhi);
        lo[h] = rlo;
        up[h] = rhi < DISCLOSE_INF ? rhi - rlo : -1; /* -1: no upper bound */
        nup += up[h] >= 0;
        cell[h] = c;
        col[c] = h++;
    }
    if (h == 0 || h > DISCLOSE_LP_MAX)
        goto done;
    size_t rows = 0;
    for (size_t L = 0; L < d->nlines; L++) {
        int any = col[d->ltotal[L]] != DISCLOSE_NONE;
        for (size_t i = d->lfirst[L]; i < d->lend[L] && !any; i++)
            any = col[d->members[i]] != DISCLOSE_NONE;
        rows += any;
    }
    /* Variables: y (h), upper-bound slacks (nup), artificials (m). */
    lp.m = rows + nup;
    lp.nreal = h + nup;
    lp.n = lp.nreal + lp.m;
    lp.t = calloc((lp.m + 1) * (lp.n + 1), sizeof *lp.t);
    lp.basis = calloc(lp.m + 1, sizeof *lp.basis);
    work.t = malloc((lp.m + 1) * (lp.n + 1) * sizeof *work.t);
    work.basis = malloc((lp.m + 1) * sizeof *work.basis);
    if (!lp.t || !lp.basis || !work.t || !work.basis) {
        *nomem = 1;
        goto done;
    }
    size_t r = 0;
    for (size_t L = 0; L < d->nlines; L++) {
        /* sum(members) - total = 0, with shown cells moved right and
         * hidden ones shifted by their lower bound (y = x - lo). */
        double rhs = 0;
        int any = 0;
        for (size_t i = d->lfirst[L]; i <= d->lend[L]; i++) {
            size_t c = i < d->lend[L] ? d->members[i] : d->ltotal[L];
            double a = i < d->lend[L] ? 1 : -1;
            if (col[c] == DISCLOSE_NONE) {
                rhs -= a * (double)d->value[c];
            } else {
                LP(&lp, r, col[c]) += a;
                rhs -= a * (double)lo[col[c]];
                any = 1;
            }
        }
        if (!any)
            continue;
        LP(&lp, r, lp.n) = rhs;
        r++;
    }
    for (size_t j = 0, u = 0; j < h; j++) {
        if (up[j] < 0)
            continue;
        LP(&lp, r, j) = 1; /* y_j + s = up */
        LP(&lp, r, h + u) = 1;
        LP(&lp, r, lp.n) = (double)up[j];
        u++;
        r++;
    }
    /* Phase 1: artificials in the basis, minimise their sum. */
    for (size_t i = 0; i < lp.m; i++) {
        if (LP(&lp, i, lp.n) < 0)
            for (size_t j = 0; j <= lp.n; j++)
                LP(&lp, i, j) = -LP(&lp, i, j);
        LP(&lp, i, lp.nreal + i) = 1;
        lp.basis[i] = lp.nreal + i;
        for (size_t j = 0; j <= lp.n; j++)
            if (j < lp.nreal || j == lp.n)
                LP(&lp, lp.m, j) -= LP(&lp, i, j);
    }
    if (disclose_lp_run(&lp, lp.n) != 0 || LP(&lp, lp.m, lp.n) < -1e-6)
        goto done;                    /* cannot happen: the true values are feasible */
    for (size_t i = 0; i < lp.m; i++) /* artificials left at zero: pivot them out */
        if (lp.basis[i] >= lp.nreal)
            for (size_t j = 0; j < lp.nreal; j++)
                if (fabs(LP(&lp, i, j)) > DISCLOSE_EPS) {
                    disclose_lp_pivot(&lp, i, j);
                    break;
                }
    work.m = lp.m;
    work.n = lp.n;
    work.nreal = lp.nreal;
    for (size_t j = 0; j < h && found == DISCLOSE_NONE; j++) {
        if (d->state[cell[j]] != DISCLOSE_PRIMARY || (only != DISCLOSE_NONE && cell[j] != only))
            continue;
        double lim[2];
        int open = 0;
        for (int s = 0; s < 2 && !open; s++) {
            memcpy(work.t, lp.t, (lp.m + 1) * (lp.n + 1) * sizeof *lp.t);
            memcpy(work.basis, lp.basis, lp.m * sizeof *lp.basis);
            disclose_lp_objective(&work, j, s == 0 ? 1.0 : -1.0);
            if (disclose_lp_run(&work, work.nreal) != 0)
                open = 1; /* unbounded: not pinned from this side */
            else
                lim[s] = (s == 0 ? -1.0 : 1.0) * LP(&work, work.m, work.n);
        }
        if (!open && ceil(lim[0] - 1e-6) >= floor(lim[1] + 1e-6))
            found = cell[j];
    }
done:
    free(col);
    free(cell);
    free(lo);
    free(up);
    free(lp.t);
    free(lp.basis);
    free(work.t);
    free(work.basis);
    return found;
}

/* The first primary the reader can pin to one value - by the bounds, or
 * by the lines alone (`fixed`, from disclose_fixed) - or DISCLOSE_NONE. */
static size_t disclose_pinned(const struct disclose *d, const long *lo, const long *hi,
                              const unsigned char *fixed)
{
    for (size_t c = 0; c < d->ncells; c++)
        if (d->state[c] == DISCLOSE_PRIMARY && (lo[c] >= hi[c] || fixed[c]))
            return c;
    return DISCLOSE_NONE;
}

/* Step 3: while the reader can pin a primary cell to one value (interval
 * propagation, the lines' algebra, or a linear program over both), tries
 * hiding each shown cell (derivable ones first, then by value, at most
 * DISCLOSE_TRIALS_MAX) together with the complementary cells step 2 then
 * adds, and keeps the trial that frees the primary at the least cost (the
 * weights of the published cells it hides, then their values). When none
 * frees it, the ranges are withheld (every hidden cell shown alike), and
 * when even that does not, the cheapest cell is hidden and the search goes
 * on. ERR_NOMEM. */
static int disclose_audit(struct disclose_work *w, long *lo, long *hi)
{
    struct disclose *d = w->d;
    if (w->k <= 2)
        return ERR_OK; /* a primary is then always exactly 1: nothing to protect */
    struct disclose_snap base = {0};
    size_t *order = malloc((d->ncells + 1) * sizeof *order);
    unsigned char *fixed = malloc(d->ncells + 1);
    int rc = order && fixed && disclose_snap_alloc(w, &base) ? ERR_OK : ERR_NOMEM;
    for (;;) {
        if (rc != ERR_OK)
            break;
        disclose_bounds(d, w->k, lo, hi, NULL);
        if (!disclose_fixed(d, fixed)) {
            rc = ERR_NOMEM;
            break;
        }
        int nomem = 0;
        size_t p = disclose_pinned(d, lo, hi, fixed);
        if (p == DISCLOSE_NONE)
            p = disclose_lp_pinned(d, w->k, DISCLOSE_NONE, &nomem);
        if (nomem) {
            rc = ERR_NOMEM;
            break;
        }
        if (p == DISCLOSE_NONE)
            break;
        /* Candidates: shown cells > 0, derivable first, then by value. */
        size_t n = 0;
        for (size_t c = 0; c < d->ncells; c++)
            if (d->state[c] == DISCLOSE_SHOWN && d->value[c] > 0 && !d->fixed[c])
                order[n++] = c;
        for (size_t i = 1; i < n; i++) { /* insertion sort: n is small */
            size_t c = order[i], j = i;
            while (j > 0 && (d->published[order[j - 1]] > d->published[c] ||
                             (d->published[order[j - 1]] == d->published[c] &&
                              d->value[order[j - 1]] > d->value[c]))) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = c;
        }
        if (n == 0) { /* everything is hidden already: only the ranges are left */
            if (d->withheld)
                break;
            d->withheld = 1;
            continue;
        }
        size_t best = DISCLOSE_NONE;
        long best_cost = 0;
        disclose_snap_copy(w, &base, 0);
        for (size_t i = 0; i < n && i < DISCLOSE_TRIALS_MAX; i++) {
            disclose_hide(w, order[i], DISCLOSE_SECONDARY);
            disclose_complement(w);
            disclose_bounds(d, w->k, lo, hi, NULL);
            if (!disclose_fixed(d, fixed)) {
                rc = ERR_NOMEM;
                disclose_snap_copy(w, &base, 1);
                break;
            }
            int freed = lo[p] < hi[p] && !fixed[p] &&
                        disclose_lp_pinned(d, w->k, p, &nomem) == DISCLOSE_NONE;
            long cost = 0;
            for (size_t c = 0; c < d->ncells; c++)
                if (d->state[c] != base.state[c] && d->published[c])
                    cost += (long)d->published[c] * DISCLOSE_PUBLISHED_COST + d->value[c];
            disclose_snap_copy(w, &base, 1);
            if (freed && (best == DISCLOSE_NONE || cost < best_cost)) {
                best = order[i];
                best_cost = cost;
            }
        }
        if (rc != ERR_OK)
            break;
        if (best == DISCLOSE_NONE && !d->withheld) {
            /* The "<k" ranges themselves pin it (four 1s adding up to a
             * hidden 4): every hidden cell is then shown alike. */
            d->withheld = 1;
            continue;
        }
        disclose_hide(w, best != DISCLOSE_NONE ? best : order[0], DISCLOSE_SECONDARY);
        disclose_complement(w);
    }
    disclose_snap_free(&base);
    free(order);
    free(fixed);
    return rc;
}

/* Checks the model and indexes each cell's lines. */
static int disclose_prepare(struct disclose_work *w, struct err *e)
{
    struct disclose *d = w->d;
    for (size_t L = 0; L < d->nlines; L++) {
        long sum = 0;
        if (d->ltotal[L] >= d->ncells)
            return err_set(e, ERR_INTERNAL, "a disclosure line names an unknown cell");
        for (size_t i = d->lfirst[L]; i < d->lend[L]; i++) {
            if (d->members[i] >= d->ncells)
                return err_set(e, ERR_INTERNAL, "a disclosure line names an unknown cell");
            sum += d->value[d->members[i]];
        }
        if (sum != d->value[d->ltotal[L]])
            return err_set(e, ERR_INTERNAL,
                           "the figures of an answer do not add up (line %zu: %ld against %ld)", L,
                           sum, d->value[d->ltotal[L]]);
    }
    w->cfirst = calloc(d->ncells + 1, sizeof *w->cfirst);
    w->clines = calloc(d->nmem + d->nlines + 1, sizeof *w->clines);
    w->np = calloc(d->nlines + 1, sizeof *w->np);
    w->nm = calloc(d->nlines + 1, sizeof *w->nm);
    w->sp = calloc(d->nlines + 1, sizeof *w->sp);
    w->sm = calloc(d->nlines + 1, sizeof *w->sm);
    size_t *fill = calloc(d->ncells + 1, sizeof *fill);
    if (!w->cfirst || !w->clines || !w->np || !w->nm || !w->sp || !w->sm || !fill) {
        free(fill);
        return err_nomem(e);
    }
    for (size_t L = 0; L < d->nlines; L++) {
        w->cfirst[d->ltotal[L] + 1]++;
        for (size_t i = d->lfirst[L]; i < d->lend[L]; i++)
            w->cfirst[d->members[i] + 1]++;
    }
    for (size_t c = 0; c < d->ncells; c++)
        w->cfirst[c + 1] += w->cfirst[c];
    for (size_t L = 0; L < d->nlines; L++) {
        size_t t = d->ltotal[L];
        w->clines[w->cfirst[t] + fill[t]++] = L;
        for (size_t i = d->lfirst[L]; i < d->lend[L]; i++) {
            size_t c = d->members[i];
            w->clines[w->cfirst[c] + fill[c]++] = L;
        }
    }
    free(fill);
    return ERR_OK;
}

int disclose_run(struct disclose *d, long k, struct err *e)
{
    struct disclose_work w = {.d = d, .k = k < 2 ? 2 : k};
    long *lo = NULL, *hi = NULL;
    int rc = ERR_OK;
    if (d->failed) {
        rc = d->failed == 2
                 ? err_set(e, ERR_INTERNAL, "a figure of an answer is negative")
                 : err_set(e, ERR_NOMEM, "out of memory (or more than %d figures) in an answer",
                           DISCLOSE_CELLS_MAX);
        goto done;
    }
    if ((rc = disclose_prepare(&w, e)) != ERR_OK)
        goto done;
    lo = malloc((d->ncells + 1) * sizeof *lo);
    hi = malloc((d->ncells + 1) * sizeof *hi);
    if (lo == NULL || hi == NULL) {
        rc = err_nomem(e);
        goto done;
    }
    d->withheld = 0;
    for (size_t c = 0; c < d->ncells; c++) {
        if (d->fixed[c]) { /* decided before: kept as it is */
            int state = d->state[c];
            d->state[c] = DISCLOSE_SHOWN;
            if (state != DISCLOSE_SHOWN)
                disclose_hide(&w, c, state);
            continue;
        }
        d->state[c] = DISCLOSE_SHOWN;
        if (d->value[c] >= 1 && d->value[c] < w.k)
            disclose_hide(&w, c, DISCLOSE_PRIMARY);
    }
    disclose_complement(&w);
    if ((rc = disclose_audit(&w, lo, hi)) != ERR_OK)
        err_nomem(e);
done:
    if (rc != ERR_OK) /* hide everything rather than show a wrong answer */
        for (size_t c = 0; c < d->ncells; c++)
            d->state[c] = DISCLOSE_SECONDARY;
    free(lo);
    free(hi);
    disclose_work_free(&w);
    return rc;
}

void disclose_uf_init(size_t *up, size_t n)
{
    for (size_t i = 0; i < n; i++)
        up[i] = i;
}

size_t disclose_uf_find(size_t *up, size_t x)
{
    while (up[x] != x)
        x = up[x] = up[up[x]];
    return x;
}

void disclose_uf_join(size_t *up, size_t x, size_t y)
{
    x = disclose_uf_find(up, x);
    y = disclose_uf_find(up, y);
    if (x != y)
        up[x] = y;
}

void disclose_nest_lines(struct disclose *d, size_t *up, size_t a0, size_t a1, size_t b0, size_t b1,
                         const struct disclose_nest *nest, size_t *mem)
{
    /* Rows past a1 outside [b0, b1) are singletons: only roots in [a0, b1)
     * can hold rows of both sides. */
    for (size_t root = a0; root < b1; root++) {
        if (disclose_uf_find(up, root) != root)
            continue;
        for (int k = 0; k < nest->nfigs; k++) {
            int f = nest->figs[k];
            size_t na = 0, nb = 0;
            long sum = 0;
            for (size_t i = a0; i < a1; i++)
                if (disclose_uf_find(up, i) == root) {
                    mem[na++] = nest->cells[i * nest->stride + (size_t)f];
                    sum += nest->value(nest->ctx, i, f);
                }
            for (size_t i = b0; i < b1; i++)
                if (disclose_uf_find(up, i) == root)
                    mem[na + nb++] = nest->cells[i * nest->stride + (size_t)f];
            if (na == 0 || nb == 0)
                continue;
            size_t x = disclose_cell(d, sum, 0);
            disclose_line(d, x, mem, na);
            disclose_line(d, x, mem + na, nb);
        }
    }
}
