/* SPDX-License-Identifier: MIT */
/* disclose_needs.h - which figures of a needs answer (needs.h) an official
 * may see: the tables of the generic engine (disclose.h) for households
 * per district and households per need tag, decided so that no answer and
 * no combination of answers shows a count of 1 to k-1 households.
 *
 * Consistency. Households per district are coverage's stage 0
 * (disclose_plan_households over every level, when the network is there;
 * without one, coverage cannot be asked and needs decides them alone, in
 * the same shape), fixed in every needs table. Each need tag is then
 * decided on its own, over every district level at once: per row,
 * households = with the tag + without it (derivable), each level's rows
 * add up to the total, and where two levels' districts nest (a
 * junior-high district holding whole elementary ones, a daily-life area
 * built from school districts), the rows of each nest add up alike. The
 * decision for a tag depends on that tag's households alone, so asking for
 * one tag, for every tag, for any level or indicator shows it the same.
 *
 * Entry points: disclose_needs_answer. */
#ifndef TSUNAGU_DISCLOSE_NEEDS_H
#define TSUNAGU_DISCLOSE_NEEDS_H

#include "err.h"
#include "needs.h"
#include "needs_json.h"
#include "store.h"
#include "walk.h"

/* Runs needs p (needs_run, same failures) and the answers for every other
 * district level, decides the figures with threshold k and fills *v (a
 * view of *out, needs_view_free). net and ws may be NULL (no network).
 * On failure *out is NULL and v holds nothing. */
int disclose_needs_answer(struct store *st, const struct walk_net *net, struct walk_session *ws,
                          const struct needs_params *p, long k, struct needs_result **out,
                          struct needs_view *v, struct err *e);

#endif
