/* SPDX-License-Identifier: MIT */
/* disclose_plan.c - the disclosure tables of coverage answers and
 * suggestions (see disclose_plan.h): one row of cells and its additive line
 * per district, the totals, the resources' loads and the picks, decided by
 * the generic engine of disclose.c. */
#include "disclose_plan.h"

#include <stdlib.h>
#include <string.h>

/* ---- coverage ---- */

/* What hiding a figure loses (disclose_cell weights): the whole town's
 * figures most, then a district's (its share rests on them), then a
 * resource's load. */
#define DISCLOSE_W_TOTAL 4
#define DISCLOSE_W_DISTRICT 2
#define DISCLOSE_W_LOAD 1

/* Cell indices of one row of coverage figures. */
struct disclose_plan_cells {
    size_t n, c, o, u, b; /* households, covered, off, unreachable, beyond (derivable) */
};

/* Adds a row's cells and its line (n = c + o + u + b). Households and
 * covered weigh one more than the other counts: a district's share rests
 * on them. */
static void disclose_plan_cov_row(struct disclose *d, const struct coverage_district *r, int weight,
                                  struct disclose_plan_cells *x)
{
    long beyond = r->households - r->households_covered - r->households_off_network -
                  r->households_unreachable;
    x->n = disclose_cell(d, r->households, weight + 1);
    x->c = disclose_cell(d, r->households_covered, weight + 1);
    x->o = disclose_cell(d, r->households_off_network, weight);
    x->u = disclose_cell(d, r->households_unreachable, weight);
    x->b = disclose_cell(d, beyond, 0);
    size_t m[] = {x->c, x->o, x->u, x->b};
    disclose_line(d, x->n, m, 4);
}

static struct disclose_row disclose_plan_cov_states(const struct disclose *d,
                                                    const struct disclose_plan_cells *x)
{
    return (struct disclose_row){
        (unsigned char)disclose_state(d, x->n), (unsigned char)disclose_state(d, x->c),
        (unsigned char)disclose_state(d, x->o), (unsigned char)disclose_state(d, x->u)};
}

void disclose_plan_coverage_clear(struct disclose_plan_coverage *out)
{
    free(out->districts);
    free(out->loads);
    memset(out, 0, sizeof *out);
}

int disclose_plan_coverage(const struct coverage_result *r, long k,
                           struct disclose_plan_coverage *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    size_t R = r->ndistricts, L = r->nloads;
    struct disclose *d = disclose_new();
    struct disclose_plan_cells *rows = calloc(R + 1, sizeof *rows);
    size_t *lh = calloc(L + 1, sizeof *lh), *lc = calloc(L + 1, sizeof *lc);
    size_t *lb = calloc(L + 1, sizeof *lb), *col = calloc((R > L ? R : L) + 1, sizeof *col);
    out->districts = calloc(R + 1, sizeof *out->districts);
    out->loads = calloc(L + 1, sizeof *out->loads);
    int rc = ERR_OK;
    if (!d || !rows || !lh || !lc || !lb || !col || !out->districts || !out->loads) {
        rc = err_nomem(e);
        goto done;
    }
    struct disclose_plan_cells tot;
    disclose_plan_cov_row(d, &r->total, DISCLOSE_W_TOTAL, &tot);
    for (size_t i = 0; i < R; i++)
        disclose_plan_cov_row(d, &r->districts[i], DISCLOSE_W_DISTRICT, &rows[i]);
    if (R > 0) {
        /* Columns: each figure over the districts adds up to the total's. */
        const size_t tcol[] = {tot.n, tot.c, tot.o, tot.u, tot.b};
        for (int f = 0; f < 5; f++) {
            for (size_t i = 0; i < R; i++) {
                const struct disclose_plan_cells *x = &rows[i];
                col[i] = f == 0 ? x->n : f == 1 ? x->c : f == 2 ? x->o : f == 3 ? x->u : x->b;
            }
            disclose_line(d, tcol[f], col, R);
        }
    }
    if (L > 0) {
        /* Loads: nearest = nearest covered + nearest beyond; over the
         * resources these add up to the covered and beyond households. */
        for (size_t i = 0; i < L; i++) {
            const struct coverage_load *l = &r->loads[i];
            lh[i] = disclose_cell(d, l->households_nearest, DISCLOSE_W_LOAD);
            lc[i] = disclose_cell(d, l->households_nearest_covered, DISCLOSE_W_LOAD);
            lb[i] = disclose_cell(d, l->households_nearest - l->households_nearest_covered, 0);
            size_t m[] = {lc[i], lb[i]};
            disclose_line(d, lh[i], m, 2);
        }
        disclose_line(d, tot.c, lc, L);
        disclose_line(d, tot.b, lb, L);
        size_t reached =
            disclose_cell(d,
                          r->total.households_covered +
                              (r->total.households - r->total.households_covered -
                               r->total.households_off_network - r->total.households_unreachable),
                          0);
        size_t m[] = {tot.c, tot.b};
        disclose_line(d, reached, m, 2);
        disclose_line(d, reached, lh, L);
    }
    if ((rc = disclose_run(d, k, e)) != ERR_OK)
        goto done;
    out->ndistricts = R;
    out->nloads = L;
    out->withheld = disclose_withheld(d);
    out->total = disclose_plan_cov_states(d, &tot);
    for (size_t i = 0; i < R; i++)
        out->districts[i] = disclose_plan_cov_states(d, &rows[i]);
    for (size_t i = 0; i < L; i++) {
        out->loads[i].nearest = (unsigned char)disclose_state(d, lh[i]);
        out->loads[i].nearest_covered = (unsigned char)disclose_state(d, lc[i]);
    }
done:
    if (rc != ERR_OK)
        disclose_plan_coverage_clear(out);
    disclose_free(d);
    free(rows);
    free(lh);
    free(lc);
    free(lb);
    free(col);
    return rc;
}

/* ---- suggestions ---- */

void disclose_plan_suggest_clear(struct disclose_plan_suggest *out)
{
    free(out->added);
    free(out->covered);
    memset(out, 0, sizeof *out);
}

int disclose_plan_suggest(const struct suggest_result *r, long k, struct disclose_plan_suggest *out,
                          struct err *e)
{
    memset(out, 0, sizeof *out);
    size_t n = r->npicks;
    struct disclose *d = disclose_new();
    size_t *add = calloc(n + 2, sizeof *add), *cov = calloc(n + 1, sizeof *cov);
    out->added = calloc(n + 1, 1);
    out->covered = calloc(n + 1, 1);
    int rc = ERR_OK;
    if (!d || !add || !cov || !out->added || !out->covered) {
        rc = err_nomem(e);
        goto done;
    }
    long rest = r->households - r->households_covered_before - r->households_off_network;
    size_t hh = disclose_cell(d, r->households, DISCLOSE_W_TOTAL);
    size_t before = disclose_cell(d, r->households_covered_before, DISCLOSE_W_TOTAL);
    size_t off = disclose_cell(d, r->households_off_network, DISCLOSE_W_DISTRICT);
    size_t open = disclose_cell(d, rest, 0);
    size_t m3[] = {before, off, open};
    disclose_line(d, hh, m3, 3);
    long added = 0;
    size_t prev = before;
    for (size_t i = 0; i < n; i++) {
        const struct suggest_pick *p = &r->picks[i];
        add[i] = disclose_cell(d, p->households_added, DISCLOSE_W_DISTRICT);
        cov[i] = disclose_cell(d, p->households_covered, DISCLOSE_W_LOAD);
        size_t m2[] = {prev, add[i]};
        disclose_line(d, cov[i], m2, 2);
        prev = cov[i];
        added += p->households_added;
    }
    if (n > 0) {
        add[n] = disclose_cell(d, rest - added, 0); /* what stays uncovered */
        disclose_line(d, open, add, n + 1);
    }
    if ((rc = disclose_run(d, k, e)) != ERR_OK)
        goto done;
    out->withheld = disclose_withheld(d);
    out->households = (unsigned char)disclose_state(d, hh);
    out->covered_before = (unsigned char)disclose_state(d, before);
    out->off_network = (unsigned char)disclose_state(d, off);
    out->npicks = n;
    for (size_t i = 0; i < n; i++) {
        out->added[i] = (unsigned char)disclose_state(d, add[i]);
        out->covered[i] = (unsigned char)disclose_state(d, cov[i]);
    }
done:
    if (rc != ERR_OK)
        disclose_plan_suggest_clear(out);
    disclose_free(d);
    free(add);
    free(cov);
    return rc;
}
