/* SPDX-License-Identifier: MIT */
/* store_audit.h - the store's side of the audit log of household reads:
 * appending a record and reading records back. The audit writer
 * (access/audit.c) and the CLI's `audit` command are its only includers:
 * the build defines TSUNAGU_AUDIT_STORE for them alone, and
 * tests/cli_layers.sh checks the list of includers. Written by
 * store_audit.c: the database assigns ids and times, the table refuses
 * UPDATE, DELETE, a replaced or skipped id and a time of the caller's, and
 * each record carries a SHA-256 hash chained over the records before it.
 *
 * Entry points: store_audit_append, store_audit_each, store_audit_verify. */
#ifndef TSUNAGU_STORE_AUDIT_H
#define TSUNAGU_STORE_AUDIT_H

#ifndef TSUNAGU_AUDIT_STORE
#error                                                                                             \
    "store_audit.h writes the audit log: only the audit writer and the CLI's audit command include it"
#endif

#include "store.h"

#define STORE_AUDIT_HASH_BYTES 32 /* SHA-256 */

/* One audit record. */
struct store_audit {
    const char *at;       /* UTC time, ISO 8601 with milliseconds (read back only) */
    const char *user;     /* user name, or "cli:LOGIN" for the local operator */
    const char *role;     /* role key, or "operator" */
    const char *endpoint; /* path without query, or "cli COMMAND" */
    const char *client;   /* client address, or "local" */
    long households;      /* households read */
    const char *ids;      /* their ids, a JSON array of strings */
    const char *via;      /* how each was reached (a JSON array of strings, one per id: "held",
                             "district", "share N (BASIS, AGENCY)"), or NULL (the operator,
                             and records before schema version 6) */
};

/* Appends a record: the database assigns the next id and the time (its
 * clock, UTC), and the hash chains it to the record before. ERR_IO when it
 * cannot be written (the log is then unchanged). */
int store_audit_append(struct store *s, const struct store_audit *a, struct err *e);

/* Calls fn for every record at or after `since` (ISO 8601 text, compared
 * as text: "2024-06-01" or "2024-06-01T09:00:00Z"), oldest first. */
int store_audit_each(struct store *s, const char *since,
                     int (*fn)(void *ctx, const struct store_audit *a), void *ctx, struct err *e);

/* The outcome of store_audit_verify. */
struct store_audit_check {
    long records;                               /* records that fit the chain, oldest first */
    long long last_id;                          /* id of the last of them (0: none) */
    unsigned char head[STORE_AUDIT_HASH_BYTES]; /* its hash: noted elsewhere, it shows a removed
                                                   tail later */
    long long broken_id; /* the first record that does not fit, 0 when all do */
};

/* Recomputes the hash chain over every record, oldest first, and stops at
 * the first record whose stored hash differs (edited, inserted, or the
 * record before it removed): its id in c->broken_id. ERR_OK whether or not
 * the chain holds; ERR_IO when the log cannot be read. */
int store_audit_verify(struct store *s, struct store_audit_check *c, struct err *e);

#endif
