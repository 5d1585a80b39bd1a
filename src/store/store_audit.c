/* SPDX-License-Identifier: MIT */
/* store_audit.c - the store module's SQL for the audit log of household
 * reads (store_audit.h): schema version 4, which rebuilds the table of
 * version 3 with a hash chain and the triggers that keep it append-only;
 * appending a record; reading records back; checking the chain.
 *
 * The chain: every record stores SHA-256 (nettle) of the previous record's
 * hash (32 zero bytes for the first) and its own canonical content (id,
 * time, user, role, endpoint, client, households, ids; each as a 4-byte
 * big-endian length and its bytes, SQL NULL as length 0xFFFFFFFF). The
 * database assigns ids and times: the triggers refuse an insert that reuses
 * an id (INSERT OR REPLACE), skips one, or brings its own time, and any
 * UPDATE or DELETE. Whoever drops the triggers can still write the file;
 * then store_audit_verify names the first record that no longer fits.
 *
 * Entry points: store_audit_migrate, store_audit_functions
 * (store_private.h), store_audit_append, store_audit_each,
 * store_audit_verify. */
#include "store.h"
#include "store_private.h"
#include "store_audit.h"

#include <nettle/sha2.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The chain's domain tag: the first bytes hashed for every record. */
static const char store_audit_tag[] = "tsunagu audit v4";

/* Hashes one field: its length (0xFFFFFFFF for NULL) and bytes. */
static void store_audit_field(struct sha256_ctx *h, const void *p, size_t n, int null)
{
    uint32_t len = null ? UINT32_MAX : (uint32_t)n;
    uint8_t be[4] = {(uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8), (uint8_t)len};
    sha256_update(h, sizeof be, be);
    if (!null && n > 0)
        sha256_update(h, n, p);
}

static void store_audit_text(struct sha256_ctx *h, const char *t)
{
    store_audit_field(h, t, t ? strlen(t) : 0, t == NULL);
}

static void store_audit_int(struct sha256_ctx *h, long long v)
{
    char buf[24];
    int n = snprintf(buf, sizeof buf, "%lld", v);
    store_audit_field(h, buf, (size_t)n, 0);
}

/* The hash of record a with id `id` after a record whose hash is prev
 * (NULL: the first record). */
static void store_audit_digest(const unsigned char *prev, long long id, const struct store_audit *a,
                               unsigned char out[STORE_AUDIT_HASH_BYTES])
{
    static const unsigned char zero[STORE_AUDIT_HASH_BYTES] = {0};
    struct sha256_ctx h;
    sha256_init(&h);
    sha256_update(&h, sizeof store_audit_tag, (const uint8_t *)store_audit_tag);
    sha256_update(&h, STORE_AUDIT_HASH_BYTES, prev ? prev : zero);
    store_audit_int(&h, id);
    store_audit_text(&h, a->at);
    store_audit_text(&h, a->user);
    store_audit_text(&h, a->role);
    store_audit_text(&h, a->endpoint);
    store_audit_text(&h, a->client);
    store_audit_int(&h, a->households);
    store_audit_text(&h, a->ids);
    /* Version 6's `via`: hashed only when present, so the records kept
     * before it keep their hashes. */
    if (a->via != NULL)
        store_audit_text(&h, a->via);
    sha256_digest(&h, STORE_AUDIT_HASH_BYTES, out);
}

/* SQL tsunagu_audit_hash(prev, id, at, user, role, endpoint, client,
 * households, ids, via): store_audit_digest for the INSERT of
 * store_audit_append; a prev that is not a 32-byte blob counts as none. */
static void store_audit_sql_hash(sqlite3_context *cx, int argc, sqlite3_value **v)
{
    (void)argc;
    const void *prev = sqlite3_value_blob(v[0]);
    if (sqlite3_value_bytes(v[0]) != STORE_AUDIT_HASH_BYTES)
        prev = NULL;
    struct store_audit a = {
        .at = (const char *)sqlite3_value_text(v[2]),
        .user = (const char *)sqlite3_value_text(v[3]),
        .role = (const char *)sqlite3_value_text(v[4]),
        .endpoint = (const char *)sqlite3_value_text(v[5]),
        .client = (const char *)sqlite3_value_text(v[6]),
        .households = (long)sqlite3_value_int64(v[7]),
        .ids = (const char *)sqlite3_value_text(v[8]),
        .via = (const char *)sqlite3_value_text(v[9]),
    };
    unsigned char out[STORE_AUDIT_HASH_BYTES];
    store_audit_digest(prev, (long long)sqlite3_value_int64(v[1]), &a, out);
    sqlite3_result_blob(cx, out, sizeof out, SQLITE_TRANSIENT);
}

int store_audit_functions(struct store *s, struct err *e)
{
    /* DIRECTONLY: a trigger or view in a tampered file cannot call it. */
    if (sqlite3_create_function_v2(store_sqlite(s), "tsunagu_audit_hash", 10,
                                   SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL, store_audit_sql_hash,
                                   NULL, NULL, NULL) != SQLITE_OK)
        return store_fail(s, e, "preparing the audit log");
    return ERR_OK;
}

/* Version 4's table and triggers. The database assigns ids (the next one,
 * max + 1) and times (its clock, in the inserting statement); the
 * triggers refuse anything else, before a REPLACE could delete a record
 * (a REPLACE's delete fires no DELETE trigger unless recursive_triggers). */
static const char store_audit_table[] =
    "CREATE TABLE audit_v4(id INTEGER PRIMARY KEY,"
    " at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),"
    " user TEXT NOT NULL, role TEXT NOT NULL, endpoint TEXT NOT NULL, client TEXT,"
    " households INTEGER NOT NULL CHECK(households >= 0), ids TEXT NOT NULL,"
    " hash BLOB NOT NULL CHECK(length(hash) = 32));";

static const char store_audit_triggers[] =
    "CREATE INDEX audit_at ON audit(at);"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_no_replace BEFORE INSERT ON audit"
    " WHEN EXISTS (SELECT 1 FROM audit WHERE id = NEW.id)"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: a record cannot be replaced'); END;"
    "CREATE TRIGGER audit_db_time BEFORE INSERT ON audit"
    " WHEN NEW.at IS NOT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
    " BEGIN SELECT RAISE(ABORT, 'audit records take their time from the database clock'); END;"
    "CREATE TRIGGER audit_next_id AFTER INSERT ON audit"
    " WHEN NEW.id IS NOT (SELECT COALESCE(MAX(id), 0) + 1 FROM audit WHERE id < NEW.id)"
    " BEGIN SELECT RAISE(ABORT, 'audit records take the next id from the database'); END;";

static int store_audit_exec(struct store *s, const char *sql, struct err *e)
{
    char *msg = NULL;
    if (sqlite3_exec(store_sqlite(s), sql, NULL, NULL, &msg) != SQLITE_OK) {
        err_set(e, ERR_IO, "database error while adding the audit log's hash chain: %s",
                msg ? msg : sqlite3_errmsg(store_sqlite(s)));
        sqlite3_free(msg);
        return ERR_IO;
    }
    return ERR_OK;
}

/* Reads the columns at, user, role, endpoint, client, households, ids
 * starting at column `first` of st. */
static void store_audit_row(sqlite3_stmt *st, int first, struct store_audit *a)
{
    a->at = (const char *)sqlite3_column_text(st, first);
    a->user = (const char *)sqlite3_column_text(st, first + 1);
    a->role = (const char *)sqlite3_column_text(st, first + 2);
    a->endpoint = (const char *)sqlite3_column_text(st, first + 3);
    a->client = (const char *)sqlite3_column_text(st, first + 4);
    a->households = (long)sqlite3_column_int64(st, first + 5);
    a->ids = (const char *)sqlite3_column_text(st, first + 6);
    a->via = NULL;
}

#define STORE_AUDIT_COLS "at, user, role, endpoint, client, households, ids"
/* Since version 6 (store_shares.c): `via` follows (column first + 7). */
#define STORE_AUDIT_COLS6 STORE_AUDIT_COLS ", via"

int store_audit_migrate(struct store *s, struct err *e)
{
    if (store_audit_exec(s,
                         "DROP TRIGGER IF EXISTS audit_no_update;"
                         "DROP TRIGGER IF EXISTS audit_no_delete;",
                         e) != ERR_OK ||
        store_audit_exec(s, store_audit_table, e) != ERR_OK)
        return ERR_IO;
    /* The chain over the records already kept, oldest first. */
    sqlite3_stmt *rd = store_prepare(s, "SELECT id, " STORE_AUDIT_COLS " FROM audit ORDER BY id",
                                     "reading the audit log", e);
    sqlite3_stmt *wr = rd ? store_prepare(s,
                                          "INSERT INTO audit_v4(id, " STORE_AUDIT_COLS ", hash)"
                                          " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                                          "adding the audit log's hash chain", e)
                          : NULL;
    if (wr == NULL) {
        sqlite3_finalize(rd);
        return ERR_IO;
    }
    unsigned char prev[STORE_AUDIT_HASH_BYTES];
    int have_prev = 0, src, rc = ERR_OK;
    while (rc == ERR_OK && (src = sqlite3_step(rd)) == SQLITE_ROW) {
        struct store_audit a;
        sqlite3_int64 id = sqlite3_column_int64(rd, 0);
        store_audit_row(rd, 1, &a);
        store_audit_digest(have_prev ? prev : NULL, id, &a, prev);
        have_prev = 1;
        sqlite3_reset(wr);
        sqlite3_bind_int64(wr, 1, id);
        for (int i = 1; i <= 7; i++)
            sqlite3_bind_value(wr, i + 1, sqlite3_column_value(rd, i));
        sqlite3_bind_blob(wr, 9, prev, sizeof prev, SQLITE_TRANSIENT);
        if (sqlite3_step(wr) != SQLITE_DONE)
            rc = store_fail(s, e, "adding the audit log's hash chain");
    }
    if (rc == ERR_OK && src != SQLITE_DONE)
        rc = store_fail(s, e, "reading the audit log");
    sqlite3_finalize(wr);
    sqlite3_finalize(rd);
    if (rc != ERR_OK)
        return rc;
    if (store_audit_exec(s, "DROP TABLE audit; ALTER TABLE audit_v4 RENAME TO audit;", e) != ERR_OK)
        return ERR_IO;
    return store_audit_exec(s, store_audit_triggers, e);
}

int store_audit_append(struct store *s, const struct store_audit *a, struct err *e)
{
    /* One statement computes the hash over the id and time the database
     * is about to assign (the triggers check that it does), inside a write
     * transaction so the last record cannot change under it. */
    if (store_begin(s, e) != ERR_OK)
        return ERR_IO;
    sqlite3_stmt *st =
        store_prepare(s,
                      "INSERT INTO audit(user, role, endpoint, client, households, ids, via, hash)"
                      " SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, tsunagu_audit_hash("
                      "(SELECT hash FROM audit ORDER BY id DESC LIMIT 1),"
                      " (SELECT COALESCE(MAX(id), 0) + 1 FROM audit),"
                      " strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                      "writing the audit log", e);
    if (st == NULL) {
        store_rollback(s);
        return ERR_IO;
    }
    store_auth_bind(st, 1, a->user);
    store_auth_bind(st, 2, a->role);
    store_auth_bind(st, 3, a->endpoint);
    store_auth_bind(st, 4, a->client);
    sqlite3_bind_int64(st, 5, a->households);
    sqlite3_bind_text(st, 6, a->ids ? a->ids : "[]", -1, SQLITE_TRANSIENT);
    store_auth_bind(st, 7, a->via);
    int src = sqlite3_step(st);
    sqlite3_finalize(st);
    if (src != SQLITE_DONE) {
        int rc = store_fail(s, e, "writing the audit log");
        store_rollback(s);
        return rc;
    }
    return store_commit(s, e);
}

int store_audit_each(struct store *s, const char *since,
                     int (*fn)(void *ctx, const struct store_audit *a), void *ctx, struct err *e)
{
    sqlite3_stmt *st = store_prepare(s,
                                     "SELECT " STORE_AUDIT_COLS6 " FROM audit"
                                     " WHERE at >= ?1 ORDER BY id",
                                     "reading the audit log", e);
    if (st == NULL)
        return ERR_IO;
    sqlite3_bind_text(st, 1, since ? since : "", -1, SQLITE_TRANSIENT);
    int rc = ERR_OK, src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_audit a;
        store_audit_row(st, 0, &a);
        a.via = (const char *)sqlite3_column_text(st, 7);
        if ((rc = fn(ctx, &a)) != ERR_OK)
            break;
    }
    return store_finish(s, st, src, rc, "reading the audit log", e);
}

int store_audit_verify(struct store *s, struct store_audit_check *c, struct err *e)
{
    memset(c, 0, sizeof *c);
    sqlite3_stmt *st =
        store_prepare(s, "SELECT id, " STORE_AUDIT_COLS6 ", hash FROM audit ORDER BY id",
                      "reading the audit log", e);
    if (st == NULL)
        return ERR_IO;
    int src;
    unsigned char want[STORE_AUDIT_HASH_BYTES];
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_audit a;
        long long id = (long long)sqlite3_column_int64(st, 0);
        store_audit_row(st, 1, &a);
        a.via = (const char *)sqlite3_column_text(st, 8);
        store_audit_digest(c->records ? c->head : NULL, id, &a, want);
        const void *got = sqlite3_column_blob(st, 9);
        if (got == NULL || sqlite3_column_bytes(st, 9) != STORE_AUDIT_HASH_BYTES ||
            memcmp(got, want, sizeof want) != 0) {
            c->broken_id = id;
            src = SQLITE_DONE;
            break;
        }
        memcpy(c->head, want, sizeof want);
        c->last_id = id;
        c->records++;
    }
    return store_finish(s, st, src, ERR_OK, "reading the audit log", e);
}
