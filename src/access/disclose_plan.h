/* SPDX-License-Identifier: MIT */
/* disclose_plan.h - the disclosure tables of the planning answers: casts
 * coverage answers (coverage.h) and suggestions (suggest.h) into the cells
 * and lines of the generic engine (disclose.h) and says which figures an
 * official's answer must hide.
 *
 * Consistency across answers. An official can ask for coverage at every
 * level, kind, field, speed and minutes, for the coverage tiles and for
 * suggestions; a figure hidden in one answer must not be shown in another.
 * So the figures are decided in stages, each fixed for the next
 * (disclose_cell_fixed), and every stage covers every district level at
 * once (the levels share the town's total):
 *   0. what depends on the households alone: households and households off
 *      the network, per district of every level and in total - the same
 *      decision for every answer;
 *   0b. households placed only at town or municipality level (issue 11),
 *      also the households' alone, decided with stage 0 fixed (so adding
 *      them changed no other figure's decision) - the same for every
 *      answer;
 *   1. what depends on the resources asked for (kind and field) but not on
 *      the limit: households unreachable, households reached, and each
 *      resource's households_nearest - the same for every minutes and speed;
 *   2. what depends on the limit (minutes x speed): covered and beyond per
 *      district and in total, each load's households_nearest_covered.
 * An answer for one level shows that level's rows of the joint decision.
 *
 * Entry points: disclose_plan_answer, disclose_plan_coverage,
 * disclose_plan_coverage_clear, disclose_plan_households. */
#ifndef TSUNAGU_DISCLOSE_PLAN_H
#define TSUNAGU_DISCLOSE_PLAN_H

#include "coverage.h"
#include "disclose.h"
#include "err.h"
#include "walk.h"

/* The states of one row of figures (enum disclose_state; a primary whose
 * range its stage withheld reads DISCLOSE_SECONDARY: shown as null). */
struct disclose_row {
    unsigned char households;  /* households */
    unsigned char covered;     /* households_covered */
    unsigned char off_network; /* households_off_network */
    unsigned char unreachable; /* households_unreachable */
    unsigned char approx;      /* households_approx (placed at town level or coarser) */
};

/* The states of a load's figures. */
struct disclose_load {
    unsigned char nearest;         /* households_nearest */
    unsigned char nearest_covered; /* households_nearest_covered */
};

/* What to hide in a coverage answer. */
struct disclose_plan_coverage {
    size_t ndistricts;              /* = r->ndistricts */
    struct disclose_row *districts; /* one per r->districts[i] (owned) */
    struct disclose_row total;      /* the total row (and off_network.households) */
    size_t nloads;                  /* = r->nloads */
    struct disclose_load *loads;    /* one per r->loads[i] (owned) */
    int withheld;                   /* always 0: withheld ranges are already mapped to null */
};

/* Decides the figures of the answers r[0..n), which must share minutes,
 * speed, kind and field and differ in level only (one result per district
 * level of the database, or one level-less result when there is none), in
 * the three stages above with threshold k; out[i] (n entries, zeroed or
 * not) gets the states of r[i]. On failure out holds nothing to free.
 * Release each with disclose_plan_coverage_clear. */
int disclose_plan_coverage(const struct coverage_result *const *r, size_t n, long k,
                           struct disclose_plan_coverage *out, struct err *e);
void disclose_plan_coverage_clear(struct disclose_plan_coverage *out);

/* Stage 0 alone (households per district of every level and in total),
 * for answers that show those figures beside others of their own (needs):
 * state[a][i] (r[a]->ndistricts entries each, caller's) and *total get the
 * raw states of households (enum disclose_state, a primary stays primary)
 * and *withheld whether the stage withheld the ranges; the same decision
 * disclose_plan_coverage makes for r. ERR_NOMEM, ERR_INTERNAL. */
int disclose_plan_households(const struct coverage_result *const *r, size_t n, long k,
                             unsigned char **state, unsigned char *total, int *withheld,
                             struct err *e);

/* Runs the coverage audit p (coverage_run, same failures) for p->level
 * (NULL: the total only) and, to decide jointly, for every other district
 * level of the store; *out gets the result for p->level (caller frees with
 * coverage_result_free) and *dc its states (disclose_plan_coverage_clear).
 * On failure *out is NULL and dc holds nothing. */
int disclose_plan_answer(struct store *st, const struct walk_net *net, struct walk_session *ws,
                         const struct coverage_params *p, long k, struct coverage_result **out,
                         struct disclose_plan_coverage *dc, struct err *e);

#endif
