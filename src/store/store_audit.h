/* SPDX-License-Identifier: MIT */
/* store_audit.h - the store's side of the audit log of household reads:
 * appending a record and reading records back. The audit writer
 * (access/audit.c) and the CLI's `audit` command are its only includers:
 * the build defines TSUNAGU_AUDIT_STORE for them alone, and
 * tests/cli_layers.sh checks the list of includers. Written by
 * store_auth.c; the table refuses UPDATE and DELETE.
 *
 * Entry points: store_audit_append, store_audit_each. */
#ifndef TSUNAGU_STORE_AUDIT_H
#define TSUNAGU_STORE_AUDIT_H

#ifndef TSUNAGU_AUDIT_STORE
#error                                                                                             \
    "store_audit.h writes the audit log: only the audit writer and the CLI's audit command include it"
#endif

#include "store.h"

/* One audit record. */
struct store_audit {
    const char *at;       /* UTC time, ISO 8601 with milliseconds (read back only) */
    const char *user;     /* user name, or "cli:LOGIN" for the local operator */
    const char *role;     /* role key, or "operator" */
    const char *endpoint; /* path without query, or "cli COMMAND" */
    const char *client;   /* client address, or "local" */
    long households;      /* households read */
    const char *ids;      /* their ids, a JSON array of strings */
};

/* Appends a record (the time is the database's clock, UTC). */
int store_audit_append(struct store *s, const struct store_audit *a, struct err *e);

/* Calls fn for every record at or after `since` (ISO 8601 text, compared
 * as text: "2024-06-01" or "2024-06-01T09:00:00Z"), oldest first. */
int store_audit_each(struct store *s, const char *since,
                     int (*fn)(void *ctx, const struct store_audit *a), void *ctx, struct err *e);

#endif
