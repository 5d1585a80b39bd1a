/* SPDX-License-Identifier: MIT */
/* audit.h - the record of who read household data: one append-only row per
 * read (UTC time, user, role, endpoint, client address, the households'
 * count and ids, and for a user's read the share or assignment each came
 * through), written before the data leaves, so a read that cannot be
 * recorded does not happen. The table refuses UPDATE and DELETE
 * (store_auth.c); `tsunagu audit --since DATE` shows it, and nothing in
 * the HTTP service reads or changes it.
 *
 * A struct audit_log owns one read-write connection to the database and
 * one writer thread that appends the records the server's threads queue
 * (audit.c says why): a reader waits for its own record at most
 * AUDIT_WAIT_MS and is refused (ERR_BUSY) when it could not be written in
 * that time, so an import holding the write lock delays household reads by
 * at most that and nothing else at all.
 *
 * Entry points: audit_open, audit_close, audit_record, audit_operator,
 * audit_set_wait. */
#ifndef TSUNAGU_AUDIT_H
#define TSUNAGU_AUDIT_H

/* Only the modules that hand household data out record reads: the build
 * defines TSUNAGU_AUDIT_WRITER for them (CMakeLists.txt). */
#ifndef TSUNAGU_AUDIT_WRITER
#error "audit.h records household reads: only modules that answer with household data include it"
#endif

#include "err.h"

#include <stddef.h>

#define AUDIT_OPERATOR_MAX 80 /* bytes of "cli:LOGIN" */
#define AUDIT_WAIT_MS 1000    /* how long audit_record waits for its record by default */

/* One read of household data. */
struct audit_read {
    const char *user;       /* user name, or "cli:LOGIN" (audit_operator) */
    const char *role;       /* role key, or "operator" for the CLI */
    const char *endpoint;   /* request path without the query string, or "cli COMMAND" */
    const char *client;     /* client address, or "local" */
    size_t n;               /* households read */
    const char *const *ids; /* their ids (n entries) */
    const char *const *via; /* how each was reached: "held", "district", "share N (BASIS,
                               AGENCY)" (n entries), or NULL for the operator's reads */
};

struct audit_log;

/* Opens the audit log of the database at `path` read-write (creating the
 * table if the schema is older: store_open migrates). ERR_NOTFOUND when
 * the file does not exist; the store's errors otherwise. Free with
 * audit_close. */
struct audit_log *audit_open(const char *path, struct err *e);
void audit_close(struct audit_log *a);

/* Appends one record (ids as a JSON array) and returns once it is
 * committed. Thread-safe. ERR_BUSY when it was not written within the
 * wait (it is then withdrawn, never written later), ERR_IO without a log,
 * ERR_NOMEM: the caller must then not answer with the data. */
int audit_record(struct audit_log *a, const struct audit_read *r, struct err *e);

/* Sets how long audit_record waits (milliseconds; for tests). */
void audit_set_wait(struct audit_log *a, unsigned ms);

/* Writes "cli:LOGIN" for the local operator (the login name, else $USER,
 * else the numeric uid) into buf (AUDIT_OPERATOR_MAX bytes). */
void audit_operator(char *buf, size_t n);

#endif
