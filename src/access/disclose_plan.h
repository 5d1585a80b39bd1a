/* SPDX-License-Identifier: MIT */
/* disclose_plan.h - the disclosure tables of the planning answers: casts a
 * coverage answer (coverage.h) or a suggestion (suggest.h) into the cells
 * and lines of the generic engine (disclose.h) and says which figures an
 * official's answer must hide.
 *
 * Entry points: disclose_plan_coverage, disclose_plan_coverage_clear,
 * disclose_plan_suggest, disclose_plan_suggest_clear. */
#ifndef TSUNAGU_DISCLOSE_PLAN_H
#define TSUNAGU_DISCLOSE_PLAN_H

#include "coverage.h"
#include "disclose.h"
#include "err.h"
#include "suggest.h"

/* ---- coverage (coverage.h) ---- */

/* The states of one row of figures. */
struct disclose_row {
    unsigned char households;  /* households */
    unsigned char covered;     /* households_covered */
    unsigned char off_network; /* households_off_network */
    unsigned char unreachable; /* households_unreachable */
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
    int withheld;                   /* 1: show primaries as null too (disclose_withheld) */
};

/* Builds the tables of r (rows: covered + off + unreachable + beyond =
 * households; columns add up to the total; loads: nearest covered +
 * nearest beyond = nearest, and they add up to the total covered and
 * beyond) and decides them with threshold k. On failure out holds nothing
 * to free. Release with disclose_plan_coverage_clear. */
int disclose_plan_coverage(const struct coverage_result *r, long k,
                           struct disclose_plan_coverage *out, struct err *e);
void disclose_plan_coverage_clear(struct disclose_plan_coverage *out);

/* ---- suggestions (suggest.h) ---- */

/* What to hide in a suggestion. */
struct disclose_plan_suggest {
    unsigned char households;     /* before.households */
    unsigned char covered_before; /* before.households_covered */
    unsigned char off_network;    /* before.households_off_network */
    size_t npicks;                /* = r->npicks */
    unsigned char *added;         /* picks[i].households_added (owned) */
    unsigned char *covered;       /* picks[i].households_covered (owned) */
    int withheld;                 /* 1: show primaries as null too (disclose_withheld) */
};

/* Lines: households = covered before + off + the rest; the rest = the sum
 * of the picks' additions + what stays uncovered; each pick's covered =
 * the previous covered + its addition. Like disclose_plan_coverage. */
int disclose_plan_suggest(const struct suggest_result *r, long k, struct disclose_plan_suggest *out,
                          struct err *e);
void disclose_plan_suggest_clear(struct disclose_plan_suggest *out);

#endif
