/* SPDX-License-Identifier: MIT */
/* store_households.h - the only way to read household rows (sensitive
 * personal information, 要配慮個人情報). Included only by the modules
 * allowed to see households: the planning modules (coverage, suggest,
 * route: they keep rows out of public outputs), access, the HTTP handlers
 * that answer authorised roles (http_access.c, http_plan.c) and the CLI's
 * planning commands. The build defines TSUNAGU_HOUSEHOLD_READER for those
 * alone (CMakeLists.txt), so any other file that includes this header does
 * not compile, and tests/cli_layers.sh checks the list of includers.
 *
 * Written by store_plan.c (planning reads) and store_auth.c (reads by a
 * user's assignment). Strings in rows are borrowed for the callback only;
 * non-zero from a callback stops the walk and is returned.
 *
 * Entry points: store_plan_households_each, store_plan_households_by_ext,
 * store_plan_households_in_district, store_scope_check,
 * store_scope_households. */
#ifndef TSUNAGU_STORE_HOUSEHOLDS_H
#define TSUNAGU_STORE_HOUSEHOLDS_H

#ifndef TSUNAGU_HOUSEHOLD_READER
#error "store_households.h reads household rows: only modules allowed to see households include it"
#endif

#include "store.h"

/* A household as planning reads it (sensitive). */
struct store_plan_household {
    long id;            /* households rowid */
    const char *ext_id; /* id in the source file */
    int members;        /* household members */
    const char *needs;  /* ";"-separated canonical need tags */
    double x, y;        /* position in the database SRID */
    int approx;         /* 1: placed from its address at town or municipality level only (the
                           position is that level's representative point, issue 11) */
    long district;      /* rowid of the district of the level asked containing it, 0 if none */
};

/* Calls fn for every household in id order, with its district at `level`
 * (district 0 for every household when level is NULL). */
int store_plan_households_each(struct store *s, const char *level,
                               int (*fn)(void *ctx, const struct store_plan_household *h),
                               void *ctx, struct err *e);

/* Calls fn for each household whose ext_id is in ids[0..n), in the order of
 * ids (district 0); ids not found are counted in *unknown, never named. */
int store_plan_households_by_ext(struct store *s, const char *const *ids, size_t n,
                                 int (*fn)(void *ctx, const struct store_plan_household *h),
                                 void *ctx, size_t *unknown, struct err *e);

/* Calls fn, in id order, for every household inside the district named
 * `district` (its name or code) at `level` (NULL: any level) that carries
 * need tag `need` (canonical, NULL: any); h->district is that district.
 * ERR_NOTFOUND when no district has that name, ERR_INPUT when several
 * districts of different levels have it and level is NULL. */
int store_plan_households_in_district(struct store *s, const char *level, const char *district,
                                      const char *need,
                                      int (*fn)(void *ctx, const struct store_plan_household *h),
                                      void *ctx, struct err *e);

/* A user's assignment and the households it reaches (issue 13):
 *   - with an agency (coordinators, outreach workers of an agency): the
 *     households that agency holds, protected ones included, and those with
 *     an active share to it (store_shares.h) that are not protected;
 *   - a district alone (an outreach worker of a district): the households
 *     that are not protected;
 *   - a commissioner (民生委員): the households with an active share to
 *     STORE_SHARE_COMMISSIONERS, or the "commissioners may see" flag
 *     (store_commissioner.h) and consent yes, that are not protected;
 * each inside district `district` of `level` when given (the district its
 * point falls in, the lowest code on a shared border). A share is active
 * from its first day to its last (inclusive), and one by consent only
 * while the household's consent is yes. */
struct store_scope {
    const char *agency;   /* agency, or NULL */
    const char *level;    /* district level, or NULL */
    const char *district; /* district code, or NULL */
    int commissioner;     /* 1: a commissioner's scope (agency ignored) */
};

#define STORE_SCOPE_VIA_MAX 200 /* bytes of a "via" text, NUL included */

/* For each ids[i], in[i] = 1 when a household with that id exists and lies
 * in the scope, else 0; with `via` not NULL, via[i] gets how the scope
 * reaches it: "held", "district", "share N (BASIS, AGENCY)" or "commissioner flag" (""
 * when in[i] is 0), for the audit log. A missing id runs the same
 * statements as a household outside the scope, protected or not (its
 * district test runs on another household's point, its share lookup on the
 * id asked), so the answer time tells nothing apart. */
int store_scope_check(struct store *s, const struct store_scope *sc, const char *const *ids,
                      size_t n, unsigned char *in, char (*via)[STORE_SCOPE_VIA_MAX], struct err *e);

/* A household of a scope as listed (no position). */
struct store_scope_household {
    const char *ext_id;     /* id */
    int members;            /* household members */
    const char *needs;      /* ";"-separated need tags */
    const char *district;   /* code of its district at the level asked, or NULL */
    const char *via;        /* how the scope reaches it (as store_scope_check) */
    const char *last_visit; /* day (YYYY-MM-DD) of the last visit, or NULL: for a
                               commissioner the last one made since the household became
                               visible to commissioners (share or mark), for an agency's
                               worker the last one recorded */
    int consent;            /* CONSENT_YES, CONSENT_NO or CONSENT_UNKNOWN (consent.h) */
    int commissioner;       /* 1 when marked "commissioners may see" (store_commissioner.h) */
    int protected_;         /* 1 when protected */
};

/* Calls fn, in id order, for the households of the scope carrying `need`
 * (NULL: any) and with id `ext_id` (NULL: any), with their district at
 * `level` (NULL: none). ERR_LIMIT when more than `limit` match (fn has
 * then seen `limit`). */
int store_scope_households(struct store *s, const struct store_scope *sc, const char *level,
                           const char *need, const char *ext_id, long limit,
                           int (*fn)(void *ctx, const struct store_scope_household *h), void *ctx,
                           struct err *e);

#endif
