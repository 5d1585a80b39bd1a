/* SPDX-License-Identifier: MIT */
/* disclose_needs.c - the disclosure tables of the needs answer (see
 * disclose_needs.h): runs the answer for every district level, takes
 * households per district from coverage's stage 0 (or decides them here
 * without a network), then decides each need tag over every level with
 * the generic engine (disclose.c), including the lines of nested
 * districts. Entry points: disclose_needs_answer. */
#include "disclose_needs.h"

#include "coverage.h"
#include "disclose.h"
#include "disclose_plan.h"

#include <stdlib.h>
#include <string.h>

#define DN_LEVELS_MAX 32 /* district levels decided together */
#define DN_W_TOTAL 4     /* what hiding a figure loses: the town's most */
#define DN_W_DISTRICT 2

/* The store's district levels with districts. */
struct dn_levels {
    char name[DN_LEVELS_MAX][64]; /* level keys */
    size_t n;                     /* in name */
};

static void dn_add_level(void *ctx, const char *level, const char *label, long count)
{
    struct dn_levels *l = ctx;
    (void)label;
    if (count > 0 && l->n < DN_LEVELS_MAX && level && strlen(level) < sizeof l->name[0])
        memcpy(l->name[l->n++], level, strlen(level) + 1);
}

/* The joint table: row 0 is the total, then the rows of each answer. */
struct dn_table {
    size_t n;                /* answers (one per level) */
    struct needs_result **r; /* borrowed */
    size_t *first;           /* per answer + 1: its first row */
    size_t nrows;            /* rows */
    unsigned char *hh_state; /* households: decided state per row */
    int hh_withheld;         /* the households' decision withheld the ranges */
    int hh_fixed;            /* 1: hh_state came from coverage (fixed), else decided here */
};

static long dn_value(const struct dn_table *t, size_t row, int what, size_t j)
{
    const struct needs_result *r = t->r[0];
    size_t a = 0;
    if (row > 0)
        while (a + 1 < t->n && row >= t->first[a + 1])
            a++;
    r = t->r[a];
    const struct needs_district *d = row == 0 ? &t->r[0]->total : &r->districts[row - t->first[a]];
    long n = d->households, x = j == NEEDS_NONE ? 0 : d->tag[j];
    return what == 0 ? n : what == 1 ? x : n - x;
}

/* The figure set a nest reads (disclose_nest's value). */
struct dn_nest_ctx {
    const struct dn_table *t;
    size_t j;
};

static long dn_nest_value(const void *ctx, size_t row, int f)
{
    const struct dn_nest_ctx *c = ctx;
    return dn_value(c->t, row, f, c->j);
}

/* Adds, for every pair of levels, the lines of their nests
 * (disclose_nest_lines) for the nf figures of set j. up and mem hold
 * nrows entries. */
static void dn_nest_lines(struct disclose *d, const struct dn_table *t, size_t (*cell)[3], size_t j,
                          int nf, size_t *up, size_t *mem)
{
    static const int figs[3] = {0, 1, 2};
    const struct dn_nest_ctx c = {t, j};
    const struct disclose_nest nest = {(const size_t *)cell, 3, dn_nest_value, &c, figs, nf};
    for (size_t a = 0; a < t->n; a++)
        for (size_t b = a + 1; b < t->n; b++) {
            const struct needs_result *ra = t->r[a], *rb = t->r[b];
            disclose_uf_init(up, t->nrows);
            size_t nh = ra->nhouseholds < rb->nhouseholds ? ra->nhouseholds : rb->nhouseholds;
            for (size_t h = 0; h < nh; h++)
                if (ra->hh_row[h] != NEEDS_NONE && rb->hh_row[h] != NEEDS_NONE)
                    disclose_uf_join(up, t->first[a] + ra->hh_row[h], t->first[b] + rb->hh_row[h]);
            disclose_nest_lines(d, up, t->first[a], t->first[a + 1], t->first[b], t->first[b + 1],
                                &nest, mem);
        }
}

/* Decides figure set `j` (NEEDS_NONE: households alone) over the table;
 * with j set, households are fixed cells. out gets the states of the
 * decided figure per row; *withheld the run's. */
static int dn_run(struct dn_table *t, size_t j, long k, unsigned char *out, int *withheld,
                  struct err *e)
{
    struct disclose *d = disclose_new();
    size_t R = t->nrows;
    size_t(*cell)[3] = calloc(R + 1, sizeof *cell);
    size_t *col = calloc(R + 1, sizeof *col), *up = calloc(R + 1, sizeof *up);
    int rc = ERR_OK;
    if (!d || !cell || !col || !up) {
        rc = err_nomem(e);
        goto done;
    }
    int nf = j == NEEDS_NONE ? 1 : 3;
    for (size_t i = 0; i < R; i++) {
        int w = i == 0 ? DN_W_TOTAL : DN_W_DISTRICT;
        if (j == NEEDS_NONE)
            cell[i][0] = disclose_cell(d, dn_value(t, i, 0, j), w);
        else
            cell[i][0] =
                disclose_cell_fixed(d, dn_value(t, i, 0, j), t->hh_state[i], t->hh_withheld);
        if (nf == 3) {
            cell[i][1] = disclose_cell(d, dn_value(t, i, 1, j), w);
            cell[i][2] = disclose_cell(d, dn_value(t, i, 2, j), 0);
            size_t m[] = {cell[i][1], cell[i][2]};
            disclose_line(d, cell[i][0], m, 2);
        }
    }
    for (size_t a = 0; a < t->n; a++) {
        if (t->first[a + 1] == t->first[a])
            continue;
        for (int f = 0; f < nf; f++) {
            size_t m = 0;
            for (size_t i = t->first[a]; i < t->first[a + 1]; i++)
                col[m++] = cell[i][f];
            disclose_line(d, cell[0][f], col, m);
        }
    }
    dn_nest_lines(d, t, cell, j, nf, up, col);
    if ((rc = disclose_run(d, k, e)) != ERR_OK)
        goto done;
    *withheld = disclose_withheld(d);
    for (size_t i = 0; i < R; i++)
        out[i] = (unsigned char)disclose_state(d, cell[i][nf == 3 ? 1 : 0]);
done:
    disclose_free(d);
    free(cell);
    free(col);
    free(up);
    return rc;
}

/* Households per row from coverage's stage 0 over the same levels. */
static int dn_from_coverage(struct store *st, const struct walk_net *net, struct walk_session *ws,
                            struct dn_table *t, const struct dn_levels *lv, long k, struct err *e)
{
    struct coverage_result *cr[DN_LEVELS_MAX] = {NULL};
    unsigned char *state[DN_LEVELS_MAX] = {NULL};
    struct coverage_text ct = {0};
    struct coverage_params cp;
    int rc = coverage_params_parse(&ct, "", &cp, e);
    for (size_t a = 0; a < t->n && rc == ERR_OK; a++) {
        cp.level = lv->name[a];
        rc = coverage_run(st, net, ws, &cp, &cr[a], e);
        if (rc == ERR_OK && (state[a] = calloc(cr[a]->ndistricts + 1, 1)) == NULL)
            rc = err_nomem(e);
    }
    unsigned char total = 0;
    if (rc == ERR_OK)
        rc = disclose_plan_households((const struct coverage_result *const *)cr, t->n, k, state,
                                      &total, &t->hh_withheld, e);
    if (rc == ERR_OK) {
        t->hh_state[0] = total;
        /* Rows match by code (NULL: "(no district)"); both list districts
         * by code then the row outside them. */
        for (size_t a = 0; a < t->n && rc == ERR_OK; a++) {
            const struct needs_result *r = t->r[a];
            for (size_t i = 0; i < r->ndistricts; i++) {
                size_t hit = NEEDS_NONE;
                for (size_t c = 0; c < cr[a]->ndistricts; c++) {
                    const char *x = cr[a]->districts[c].code, *y = r->districts[i].code;
                    if ((x == NULL && y == NULL) || (x && y && strcmp(x, y) == 0))
                        hit = c;
                }
                if (hit == NEEDS_NONE ||
                    cr[a]->districts[hit].households != r->districts[i].households) {
                    rc = err_set(e, ERR_INTERNAL,
                                 "the needs and coverage answers do not share their districts");
                    break;
                }
                t->hh_state[t->first[a] + i] = state[a][hit];
            }
        }
    }
    for (size_t a = 0; a < t->n; a++) {
        coverage_result_free(cr[a]);
        free(state[a]);
    }
    return rc;
}

/* The shown state of a figure: a primary whose range was withheld reads null. */
static unsigned char dn_show(unsigned char state, int withheld)
{
    return state == DISCLOSE_PRIMARY && withheld ? NEEDS_HIDDEN : state;
}

int disclose_needs_answer(struct store *st, const struct walk_net *net, struct walk_session *ws,
                          const struct needs_params *p, long k, struct needs_result **out,
                          struct needs_view *v, struct err *e)
{
    *out = NULL;
    memset(v, 0, sizeof *v);
    struct dn_levels lv = {.n = 0};
    struct needs_result *mine = NULL, *rs[DN_LEVELS_MAX] = {NULL};
    struct dn_table t = {0};
    unsigned char *tag_state = NULL;
    size_t mine_at = NEEDS_NONE;
    int rc = needs_run(st, p, &mine, e);
    if (rc == ERR_OK)
        rc = store_levels_each(st, dn_add_level, &lv, e);
    for (size_t a = 0; a < lv.n && rc == ERR_OK; a++) {
        if (p->level && strcmp(p->level, lv.name[a]) == 0) {
            rs[a] = mine;
            mine_at = a;
            continue;
        }
        struct needs_params q = {lv.name[a], p->need, NULL};
        rc = needs_run(st, &q, &rs[a], e);
    }
    if (rc == ERR_OK && lv.n == 0) { /* no level: the total alone */
        rs[0] = mine;
        mine_at = 0;
        lv.n = 1;
    }
    t.n = lv.n;
    t.r = rs;
    t.first = calloc(t.n + 1, sizeof *t.first);
    if (rc == ERR_OK && t.first == NULL)
        rc = err_nomem(e);
    if (rc == ERR_OK) {
        size_t row = 1;
        for (size_t a = 0; a < t.n; a++) {
            t.first[a] = row;
            row += rs[a]->ndistricts;
        }
        t.first[t.n] = row;
        t.nrows = row;
        t.hh_state = calloc(row, 1);
        tag_state = calloc(row, 1);
        if (t.hh_state == NULL || tag_state == NULL)
            rc = err_nomem(e);
    }
    if (rc == ERR_OK) {
        if (net != NULL && ws != NULL && lv.n > 0 && rs[0]->level != NULL) {
            t.hh_fixed = 1;
            rc = dn_from_coverage(st, net, ws, &t, &lv, k, e);
        } else {
            rc = dn_run(&t, NEEDS_NONE, k, t.hh_state, &t.hh_withheld, e);
        }
    }
    if (rc == ERR_OK)
        rc = needs_view_alloc(mine, v, e);
    /* The rows of the answer asked for in the joint table. */
    size_t base = mine_at != NEEDS_NONE ? t.first[mine_at] : 0;
    if (rc == ERR_OK) {
        v->households[mine->ndistricts] = dn_show(t.hh_state[0], t.hh_withheld);
        for (size_t i = 0; mine_at != NEEDS_NONE && i < mine->ndistricts; i++)
            v->households[i] = dn_show(t.hh_state[base + i], t.hh_withheld);
    }
    for (size_t j = 0; rc == ERR_OK && j < mine->ntags; j++) {
        int withheld = 0;
        t.hh_fixed = 1; /* decided above: every tag run keeps it */
        rc = dn_run(&t, j, k, tag_state, &withheld, e);
        if (rc != ERR_OK)
            break;
        v->tag[mine->ndistricts * v->ntags + j] = dn_show(tag_state[0], withheld);
        for (size_t i = 0; mine_at != NEEDS_NONE && i < mine->ndistricts; i++)
            v->tag[i * v->ntags + j] = dn_show(tag_state[base + i], withheld);
    }
    for (size_t a = 0; a < lv.n; a++)
        if (rs[a] != mine)
            needs_result_free(rs[a]);
    free(t.first);
    free(t.hh_state);
    free(tag_state);
    if (rc != ERR_OK) {
        needs_view_free(v);
        needs_result_free(mine);
        return rc;
    }
    *out = mine;
    return ERR_OK;
}
