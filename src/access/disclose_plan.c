/* SPDX-License-Identifier: MIT */
/* disclose_plan.c - the disclosure tables of coverage answers (see
 * disclose_plan.h): one row of cells per district of every level and the
 * total, the resources' loads, decided in three stages (households alone;
 * the resources asked for; the limit) by the generic engine of disclose.c,
 * and disclose_plan_answer, which runs the audits that decision needs. */
#include "disclose_plan.h"

#include <stdlib.h>
#include <string.h>

/* What hiding a figure loses (disclose_cell weights): the whole town's
 * figures most, then a district's (its share rests on them), then a
 * resource's load. */
#define DISCLOSE_W_TOTAL 4
#define DISCLOSE_W_DISTRICT 2
#define DISCLOSE_W_LOAD 1

/* The figures of a row: households (n), off the network (o), on the network
 * (on = n - o), unreachable (u), reached (r = on - u), covered (c), beyond
 * (b = r - c), placed only at town or municipality level (a, issue 11) and
 * the rest (p = n - a). */
enum { DP_N, DP_O, DP_ON, DP_U, DP_R, DP_C, DP_B, DP_A, DP_P, DP_NF };
/* The stage each figure is decided in, and whether it is published (1) or
 * only derivable (0: free to hide). n and c weigh one more: a share rests
 * on them. Stage 1 holds a and p: like n and o they depend on the
 * households alone, so they are decided once for every answer, after n and
 * o are fixed (which stay exactly as without them) and before anything
 * that depends on the resources asked for. */
#define DP_STAGES 4
static const int dp_stage[DP_NF] = {0, 0, 0, 2, 2, 3, 3, 1, 1};
static const int dp_published[DP_NF] = {2, 1, 0, 1, 0, 2, 0, 1, 0};
/* The line of a row, "total = a + b", each stage adds. */
static const int dp_row_line[DP_STAGES][3] = {
    {DP_N, DP_O, DP_ON}, {DP_N, DP_A, DP_P}, {DP_ON, DP_U, DP_R}, {DP_R, DP_C, DP_B}};
/* The figures of a load: households_nearest (h, stage 2), its covered
 * (lc, stage 3), its beyond (lb = h - lc, stage 3, derivable). */
enum { DP_H, DP_LC, DP_LB, DP_NL };
static const int dp_load_stage[DP_NL] = {2, 3, 3};

/* The joint table of n answers: rows[0] is the total, then the districts
 * of r[0], r[1], ...; the loads are those of r[0]. */
struct dp_table {
    size_t nrows, nloads;
    long (*val)[DP_NF];                     /* per row */
    unsigned char (*st)[DP_NF];             /* decided states */
    long (*lval)[DP_NL];                    /* per load */
    unsigned char (*lst)[DP_NL];            /* decided states */
    int *weight;                            /* per row: DISCLOSE_W_TOTAL or _DISTRICT */
    size_t *first;                          /* per answer + 1: its first row (CSR) */
    int withheld[DP_STAGES];                /* per stage: disclose_withheld */
    const struct coverage_result *const *r; /* the answers (borrowed): their households' rows */
};

static void dp_row_values(long *v, const struct coverage_district *d)
{
    v[DP_N] = d->households;
    v[DP_O] = d->households_off_network;
    v[DP_ON] = d->households - d->households_off_network;
    v[DP_U] = d->households_unreachable;
    v[DP_R] = v[DP_ON] - v[DP_U];
    v[DP_C] = d->households_covered;
    v[DP_B] = v[DP_R] - v[DP_C];
    v[DP_A] = d->households_approx;
    v[DP_P] = d->households - d->households_approx;
}

/* A cell of figure value v with stage fs in the run of stage s: fixed with
 * its decided state when fs < s, else new (published or derivable). */
static size_t dp_cell(struct disclose *d, const struct dp_table *t, int fs, int s, long v,
                      int state, int weight)
{
    if (fs < s)
        return disclose_cell_fixed(d, v, state, t->withheld[fs]);
    return disclose_cell(d, v, weight);
}

static long dp_value(const void *ctx, size_t row, int f)
{
    const struct dp_table *t = ctx;
    return t->val[row][f];
}

/* Adds, for every pair of levels, the lines of their nests
 * (disclose_nest_lines) for each figure of stage <= s. up and mem hold
 * nrows entries. */
static void dp_nest_lines(struct disclose *d, const struct dp_table *t, size_t n, int s,
                          size_t (*cell)[DP_NF], size_t *up, size_t *mem)
{
    int figs[DP_NF], nfigs = 0;
    for (int f = 0; f < DP_NF; f++)
        if (dp_stage[f] <= s)
            figs[nfigs++] = f;
    const struct disclose_nest nest = {(const size_t *)cell, DP_NF, dp_value, t, figs, nfigs};
    for (size_t a = 0; a < n; a++)
        for (size_t b = a + 1; b < n; b++) {
            const struct coverage_result *ra = t->r[a], *rb = t->r[b];
            disclose_uf_init(up, t->nrows);
            size_t nh = ra->nhouseholds < rb->nhouseholds ? ra->nhouseholds : rb->nhouseholds;
            for (size_t h = 0; h < nh; h++) {
                size_t da = ra->households[h].district, db = rb->households[h].district;
                if (da != COVERAGE_NONE && db != COVERAGE_NONE)
                    disclose_uf_join(up, t->first[a] + da, t->first[b] + db);
            }
            disclose_nest_lines(d, up, t->first[a], t->first[a + 1], t->first[b], t->first[b + 1],
                                &nest, mem);
        }
}

/* Runs stage s over the table: cells of every figure of stage <= s, every
 * line among them; records the states of the figures of stage s. */
static int dp_stage_run(struct dp_table *t, size_t n, int s, long k, struct err *e)
{
    struct disclose *d = disclose_new();
    size_t R = t->nrows, L = t->nloads;
    size_t(*cell)[DP_NF] = calloc(R + 1, sizeof *cell);
    size_t(*lcell)[DP_NL] = calloc(L + 1, sizeof *lcell);
    size_t *col = calloc((R > L ? R : L) + 1, sizeof *col);
    size_t *up = calloc(R + 1, sizeof *up);
    int rc = ERR_OK;
    if (!d || !cell || !lcell || !col || !up) {
        rc = err_nomem(e);
        goto done;
    }
    for (size_t i = 0; i < R; i++)
        for (int f = 0; f < DP_NF; f++)
            if (dp_stage[f] <= s)
                cell[i][f] = dp_cell(d, t, dp_stage[f], s, t->val[i][f], t->st[i][f],
                                     dp_published[f] ? t->weight[i] + dp_published[f] - 1 : 0);
    for (size_t i = 0; i < R; i++)
        for (int ls = 0; ls <= s; ls++) {
            size_t m[] = {cell[i][dp_row_line[ls][1]], cell[i][dp_row_line[ls][2]]};
            disclose_line(d, cell[i][dp_row_line[ls][0]], m, 2);
        }
    /* Columns: each figure over the districts of one level adds up to the
     * total's (every level shares the total row). */
    for (size_t a = 0; a < n; a++) {
        if (t->first[a + 1] == t->first[a])
            continue;
        for (int f = 0; f < DP_NF; f++) {
            if (dp_stage[f] > s)
                continue;
            size_t m = 0;
            for (size_t i = t->first[a]; i < t->first[a + 1]; i++)
                col[m++] = cell[i][f];
            disclose_line(d, cell[0][f], col, m);
        }
    }
    dp_nest_lines(d, t, n, s, cell, up, col);
    if (L > 0 && s >= 2) {
        /* Loads: over the resources, households_nearest adds up to the
         * reached households; covered and beyond likewise. */
        for (size_t l = 0; l < L; l++)
            for (int f = 0; f < DP_NL; f++)
                if (dp_load_stage[f] <= s)
                    lcell[l][f] = dp_cell(d, t, dp_load_stage[f], s, t->lval[l][f], t->lst[l][f],
                                          f == DP_LB ? 0 : DISCLOSE_W_LOAD);
        static const int tot_of[DP_NL] = {DP_R, DP_C, DP_B};
        for (int f = 0; f < DP_NL; f++) {
            if (dp_load_stage[f] > s)
                continue;
            for (size_t l = 0; l < L; l++)
                col[l] = lcell[l][f];
            disclose_line(d, cell[0][tot_of[f]], col, L);
        }
        if (s >= 3)
            for (size_t l = 0; l < L; l++) {
                size_t m[] = {lcell[l][DP_LC], lcell[l][DP_LB]};
                disclose_line(d, lcell[l][DP_H], m, 2);
            }
    }
    if ((rc = disclose_run(d, k, e)) != ERR_OK)
        goto done;
    t->withheld[s] = disclose_withheld(d);
    for (size_t i = 0; i < R; i++)
        for (int f = 0; f < DP_NF; f++)
            if (dp_stage[f] == s)
                t->st[i][f] = (unsigned char)disclose_state(d, cell[i][f]);
    for (size_t l = 0; l < L && s >= 2; l++)
        for (int f = 0; f < DP_NL; f++)
            if (dp_load_stage[f] == s)
                t->lst[l][f] = (unsigned char)disclose_state(d, lcell[l][f]);
done:
    disclose_free(d);
    free(cell);
    free(lcell);
    free(col);
    free(up);
    return rc;
}

/* The state an answer shows for a figure of stage `fs`: a primary whose
 * range was withheld reads like a complementary cell (null). */
static unsigned char dp_out(const struct dp_table *t, int fs, unsigned char state)
{
    return state == DISCLOSE_PRIMARY && t->withheld[fs] ? DISCLOSE_SECONDARY : state;
}

static struct disclose_row dp_out_row(const struct dp_table *t, size_t i)
{
    return (struct disclose_row){dp_out(t, 0, t->st[i][DP_N]), dp_out(t, 3, t->st[i][DP_C]),
                                 dp_out(t, 0, t->st[i][DP_O]), dp_out(t, 2, t->st[i][DP_U]),
                                 dp_out(t, 1, t->st[i][DP_A])};
}

void disclose_plan_coverage_clear(struct disclose_plan_coverage *out)
{
    free(out->districts);
    free(out->loads);
    memset(out, 0, sizeof *out);
}

static void dp_table_free(struct dp_table *t)
{
    free(t->val);
    free(t->st);
    free(t->lval);
    free(t->lst);
    free(t->weight);
    free(t->first);
}

/* Fills t with the rows of r[0..n) (the total first) and the loads of
 * r[0]. ERR_NOMEM (t is then for dp_table_free). */
static int dp_table_build(const struct coverage_result *const *r, size_t n, struct dp_table *t,
                          struct err *e)
{
    size_t R = 1, L = r[0]->nloads;
    for (size_t a = 0; a < n; a++)
        R += r[a]->ndistricts;
    t->nrows = R;
    t->nloads = L;
    t->r = r;
    t->val = calloc(R, sizeof *t->val);
    t->st = calloc(R, sizeof *t->st);
    t->lval = calloc(L + 1, sizeof *t->lval);
    t->lst = calloc(L + 1, sizeof *t->lst);
    t->weight = calloc(R, sizeof *t->weight);
    t->first = calloc(n + 1, sizeof *t->first);
    if (!t->val || !t->st || !t->lval || !t->lst || !t->weight || !t->first)
        return err_nomem(e);
    dp_row_values(t->val[0], &r[0]->total);
    t->weight[0] = DISCLOSE_W_TOTAL;
    size_t row = 1;
    for (size_t a = 0; a < n; a++) {
        t->first[a] = row;
        for (size_t i = 0; i < r[a]->ndistricts; i++, row++) {
            dp_row_values(t->val[row], &r[a]->districts[i]);
            t->weight[row] = DISCLOSE_W_DISTRICT;
        }
    }
    t->first[n] = row;
    for (size_t l = 0; l < L; l++) {
        t->lval[l][DP_H] = r[0]->loads[l].households_nearest;
        t->lval[l][DP_LC] = r[0]->loads[l].households_nearest_covered;
        t->lval[l][DP_LB] = t->lval[l][DP_H] - t->lval[l][DP_LC];
    }
    return ERR_OK;
}

int disclose_plan_households(const struct coverage_result *const *r, size_t n, long k,
                             unsigned char **state, unsigned char *total, int *withheld,
                             struct err *e)
{
    if (n == 0)
        return err_set(e, ERR_INTERNAL, "no coverage answer to decide");
    struct dp_table t = {0};
    int rc = dp_table_build(r, n, &t, e);
    if (rc == ERR_OK)
        rc = dp_stage_run(&t, n, 0, k, e);
    if (rc == ERR_OK) {
        *total = t.st[0][DP_N];
        *withheld = t.withheld[0];
        for (size_t a = 0; a < n; a++)
            for (size_t i = 0; i < r[a]->ndistricts; i++)
                state[a][i] = t.st[t.first[a] + i][DP_N];
    }
    dp_table_free(&t);
    return rc;
}

int disclose_plan_coverage(const struct coverage_result *const *r, size_t n, long k,
                           struct disclose_plan_coverage *out, struct err *e)
{
    for (size_t a = 0; a < n; a++)
        memset(&out[a], 0, sizeof out[a]);
    if (n == 0)
        return err_set(e, ERR_INTERNAL, "no coverage answer to decide");
    struct dp_table t = {0};
    size_t L = r[0]->nloads;
    int rc = dp_table_build(r, n, &t, e);
    if (rc != ERR_OK)
        goto done;
    for (int s = 0; s < DP_STAGES && rc == ERR_OK; s++)
        rc = dp_stage_run(&t, n, s, k, e);
    for (size_t a = 0; a < n && rc == ERR_OK; a++) {
        struct disclose_plan_coverage *o = &out[a];
        o->districts = calloc(r[a]->ndistricts + 1, sizeof *o->districts);
        o->loads = calloc(r[a]->nloads + 1, sizeof *o->loads);
        if (o->districts == NULL || o->loads == NULL) {
            rc = err_nomem(e);
            break;
        }
        o->ndistricts = r[a]->ndistricts;
        o->nloads = r[a]->nloads;
        o->total = dp_out_row(&t, 0);
        for (size_t i = 0; i < o->ndistricts; i++)
            o->districts[i] = dp_out_row(&t, t.first[a] + i);
        for (size_t l = 0; l < o->nloads && l < L; l++) {
            o->loads[l].nearest = dp_out(&t, 2, t.lst[l][DP_H]);
            o->loads[l].nearest_covered = dp_out(&t, 3, t.lst[l][DP_LC]);
        }
    }
done:
    if (rc != ERR_OK)
        for (size_t a = 0; a < n; a++)
            disclose_plan_coverage_clear(&out[a]);
    dp_table_free(&t);
    return rc;
}

/* ---- running the audits a decision needs ---- */

#define DP_LEVELS_MAX 32 /* district levels decided together */

/* The store's district levels with districts (copies). */
struct dp_levels {
    char name[DP_LEVELS_MAX][64]; /* level keys */
    size_t n;                     /* in name */
};

static void dp_add_level(void *ctx, const char *level, const char *label, long count)
{
    struct dp_levels *l = ctx;
    (void)label;
    if (count > 0 && l->n < DP_LEVELS_MAX && level && strlen(level) < sizeof l->name[0])
        memcpy(l->name[l->n++], level, strlen(level) + 1);
}

int disclose_plan_answer(struct store *st, const struct walk_net *net, struct walk_session *ws,
                         const struct coverage_params *p, long k, struct coverage_result **out,
                         struct disclose_plan_coverage *dc, struct err *e)
{
    *out = NULL;
    memset(dc, 0, sizeof *dc);
    struct dp_levels lv = {.n = 0};
    struct coverage_result *r[DP_LEVELS_MAX + 1] = {NULL};
    struct disclose_plan_coverage res[DP_LEVELS_MAX + 1];
    memset(res, 0, sizeof res);
    size_t n = 0, mine = 0;
    /* The answer asked for first: its failures (an unknown level) are the
     * caller's. */
    int rc = coverage_run(st, net, ws, p, &r[n++], e);
    if (rc == ERR_OK)
        rc = store_levels_each(st, dp_add_level, &lv, e);
    for (size_t i = 0; i < lv.n && rc == ERR_OK; i++) {
        if (p->level && strcmp(p->level, lv.name[i]) == 0)
            continue;
        struct coverage_params q = *p;
        q.level = lv.name[i];
        rc = coverage_run(st, net, ws, &q, &r[n++], e);
    }
    /* The level-less answer adds no row: decide over the levels alone. */
    size_t from = p->level == NULL && n > 1 ? 1 : 0;
    if (rc == ERR_OK)
        rc = disclose_plan_coverage((const struct coverage_result *const *)r + from, n - from, k,
                                    res + from, e);
    if (rc == ERR_OK) {
        *dc = res[from];
        if (from == 1) { /* the total and loads of any level are the level-less answer's */
            dc->ndistricts = 0;
        }
        memset(&res[from], 0, sizeof res[from]);
        *out = r[mine];
        r[mine] = NULL;
    }
    for (size_t i = 0; i < n; i++) {
        coverage_result_free(r[i]);
        disclose_plan_coverage_clear(&res[i]);
    }
    return rc;
}
