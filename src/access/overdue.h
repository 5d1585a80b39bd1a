/* SPDX-License-Identifier: MIT */
/* overdue.h - the households whose next visit is due or past, within what
 * the caller may see: store_visits_overdue's list narrowed through
 * store_scope_check, the same "may this user see this household" test
 * every household answer uses (so the sharing rules of the store apply
 * here unchanged). Shared by GET /api/households?overdue=true, the route
 * over overdue households (HTTP and CLI) and `tsunagu households overdue`.
 *
 * Entry points: overdue_collect, overdue_list_free. */
#ifndef TSUNAGU_OVERDUE_H
#define TSUNAGU_OVERDUE_H

#ifndef TSUNAGU_HOUSEHOLD_READER
#error "overdue.h lists households: only modules allowed to see households include it"
#endif

#include "store_households.h"

#include <stddef.h>

#define OVERDUE_MAX 5000 /* households in one list (ERR_LIMIT beyond) */

/* One overdue household (owned strings). */
struct overdue_item {
    char *ext_id;             /* household id */
    char *district;           /* district code at the level asked, or NULL */
    char due[11];             /* "YYYY-MM-DD" the visit was due */
    char last_at[17];         /* the latest visit, "YYYY-MM-DDTHH:MM" */
    const char *last_outcome; /* its outcome (static vocabulary word) */
    long days_late;           /* today - due, >= 0 */
};

/* A list, most overdue first (then by household id order). */
struct overdue_list {
    struct overdue_item *v;
    size_t n, cap;
};

/* Collects the open households of scope `sc` (NULL: every household, for
 * the local operator) whose latest visit set a next visit due on or
 * before day `today`, with their district at `level` (NULL: none).
 * ERR_LIMIT past `max`, the store's errors otherwise; *out is empty on
 * failure. Free with overdue_list_free. */
int overdue_collect(struct store *st, const struct store_scope *sc, const char *level, long today,
                    size_t max, struct overdue_list *out, struct err *e);
void overdue_list_free(struct overdue_list *l);

#endif
