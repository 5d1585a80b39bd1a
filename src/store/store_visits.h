/* SPDX-License-Identifier: MIT */
/* store_visits.h - home visits to households (sensitive, like the
 * households themselves): recording a visit, listing a household's visits,
 * the households whose next visit is due, closing a case. Guarded like
 * store_households.h: only the files listed in CMakeLists.txt's
 * TSUNAGU_HOUSEHOLD_READERS compile with it.
 *
 * Written by store_visits.c (schema version 6: the visits table and the
 * households' `closed` date). A visit names its household by the
 * household's id (ext_id), so re-importing the households file keeps the
 * visits of the households it still holds. Strings in rows are borrowed
 * for the callback only; non-zero from a callback stops the walk and is
 * returned. Messages never carry household data.
 *
 * Retention (store_retention.c): the closed households, their removal
 * with their visits and their ids in the audit log, one agency's export.
 *
 * Entry points: store_visit_add, store_visits_each, store_visits_overdue,
 * store_household_close, store_households_closed, store_households_purge,
 * store_households_export. */
#ifndef TSUNAGU_STORE_VISITS_H
#define TSUNAGU_STORE_VISITS_H

#ifndef TSUNAGU_HOUSEHOLD_READER
#error "store_visits.h reads household visits: only modules allowed to see households include it"
#endif

#include "store.h"

/* A visit, as written and read back. */
struct store_visit {
    long id;                 /* rowid (read back only) */
    const char *household;   /* household id (ext_id) */
    const char *at;          /* local date and time, "YYYY-MM-DDTHH:MM" */
    const char *visitor1;    /* who visited */
    const char *visitor2;    /* the second visitor of a joint visit, or NULL */
    const char *outcome;     /* canonical outcome (vocab_outcome) */
    const char *note;        /* short note, or NULL */
    const char *next_due;    /* "YYYY-MM-DD" the next visit is due, or NULL */
    const char *recorded_by; /* user name or "cli:LOGIN" */
    const char *recorded_at; /* UTC time of recording (read back only) */
};

/* Stores visit v; *id receives its rowid. ERR_NOTFOUND ("no household
 * with this id") when no household has v->household, ERR_INPUT when a
 * value breaks the table's checks; the database is then unchanged. */
int store_visit_add(struct store *s, const struct store_visit *v, long *id, struct err *e);

/* Calls fn for each visit to `household`, newest first (at most `limit`;
 * ERR_LIMIT beyond, fn having seen `limit`). */
int store_visits_each(struct store *s, const char *household, long limit,
                      int (*fn)(void *ctx, const struct store_visit *v), void *ctx, struct err *e);

/* A household whose next visit is due. */
struct store_overdue {
    const char *ext_id;       /* household id */
    const char *due;          /* next_due of its latest visit, "YYYY-MM-DD" */
    const char *last_at;      /* that visit's time */
    const char *last_outcome; /* that visit's outcome */
    const char *district;     /* code of its district at the level asked, or NULL */
};

/* Calls fn for every open (not closed) household whose latest visit (by
 * time) has a next_due on or before `today` ("YYYY-MM-DD"), the most
 * overdue first (then by id), with its district at `level` (NULL: none). */
int store_visits_overdue(struct store *s, const char *level, const char *today,
                         int (*fn)(void *ctx, const struct store_overdue *o), void *ctx,
                         struct err *e);

/* Sets (or with date NULL clears) the closed date of household `ext_id`.
 * ERR_NOTFOUND ("no household with this id") when there is none. */
int store_household_close(struct store *s, const char *ext_id, const char *date, struct err *e);

/* Calls fn, in id order, with the id of every household closed before
 * `before` ("YYYY-MM-DD", compared as text). */
int store_households_closed(struct store *s, const char *before,
                            int (*fn)(void *ctx, const char *ext_id), void *ctx, struct err *e);

/* What a purge removed. */
struct store_purge {
    long households;    /* households removed */
    long visits;        /* their visits */
    long audit_records; /* audit records whose ids were replaced by commitments */
};

/* Removes households ids[0..n) in one transaction: each row, its visits
 * (and its shares, once they exist), and its id from every audit record,
 * where a commitment that cannot be reversed takes its place and the hash
 * chain still verifies (store_audit.c). The database is unchanged when
 * this fails. */
int store_households_purge(struct store *s, const char *const *ids, size_t n,
                           struct store_purge *out, struct err *e);

/* One household as exported for its holding agency. */
struct store_export_row {
    const char *ext_id, *needs, *agency;
    int members, consent;
    const char *closed;     /* "YYYY-MM-DD" or NULL */
    double lon, lat;        /* WGS84 */
    const char *last_visit; /* time of its latest visit, or NULL */
};

/* Calls fn, in id order, for every household held by `agency`. */
int store_households_export(struct store *s, const char *agency,
                            int (*fn)(void *ctx, const struct store_export_row *r), void *ctx,
                            struct err *e);

#endif
