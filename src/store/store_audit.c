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
 * Version 7 (retention): a record's hash no longer covers its household
 * ids in clear but one commitment per id, SHA-256 of a 16-byte random salt
 * kept beside the record (column salts) and the id. Purging a household
 * (store_audit_redact) replaces its id in every record by "#" and the hex
 * of its commitment and zeroes that salt: the chain still verifies (the
 * hash covered the commitment, which stays), the id is gone, and without
 * the salt the commitment cannot be reversed by trying the few possible
 * ids. The migration re-chains the records kept so far with fresh salts,
 * first checking the version-4 chain and noting its verdict and last hash
 * in meta (audit_v4_chain), so a hash noted elsewhere can still be
 * matched. The triggers stay those of version 4 (no UPDATE, no DELETE);
 * the purge lifts the UPDATE trigger inside its own transaction, rewrites
 * only ids and salts, and puts it back before committing.
 *
 * Entry points: store_audit_migrate, store_audit_migrate_v7,
 * store_audit_functions, store_audit_redact (store_private.h),
 * store_audit_append, store_audit_each, store_audit_verify. */
#include "store.h"
#include "store_private.h"
#include "store_audit.h"

#include "secure.h"

#include <jansson.h>
#include <nettle/sha2.h>

#include <stdint.h>
#include <stdlib.h>
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

/* Starts the hash of record a with id `id` after a record whose hash is
 * prev (NULL: the first record) under `tag`: every field before the ids,
 * which the versions hash differently. */
static void store_audit_head(struct sha256_ctx *h, const char *tag, size_t tag_len,
                             const unsigned char *prev, long long id, const struct store_audit *a)
{
    static const unsigned char zero[STORE_AUDIT_HASH_BYTES] = {0};
    sha256_init(h);
    sha256_update(h, tag_len, (const uint8_t *)tag);
    sha256_update(h, STORE_AUDIT_HASH_BYTES, prev ? prev : zero);
    store_audit_int(h, id);
    store_audit_text(h, a->at);
    store_audit_text(h, a->user);
    store_audit_text(h, a->role);
    store_audit_text(h, a->endpoint);
    store_audit_text(h, a->client);
    store_audit_int(h, a->households);
}

/* The version-4 hash of record a (its ids as text) after prev: only the
 * version-7 migration checks it, on records that never had a `via`. */
static void store_audit_digest(const unsigned char *prev, long long id, const struct store_audit *a,
                               unsigned char out[STORE_AUDIT_HASH_BYTES])
{
    struct sha256_ctx h;
    store_audit_head(&h, store_audit_tag, sizeof store_audit_tag, prev, id, a);
    store_audit_text(&h, a->ids);
    sha256_digest(&h, STORE_AUDIT_HASH_BYTES, out);
}

/* ---- version 7: salted commitments to the ids ---- */

#define STORE_AUDIT_SALT 16 /* bytes of one id's salt */

static const char store_audit_tag7[] = "tsunagu audit v7";
static const char store_audit_idtag[] = "tsunagu audit id";

/* The commitment to one id: SHA-256(tag, salt, id). */
static void store_audit_commit(const unsigned char *salt, const char *id, size_t n,
                               unsigned char out[STORE_AUDIT_HASH_BYTES])
{
    struct sha256_ctx h;
    sha256_init(&h);
    sha256_update(&h, sizeof store_audit_idtag, (const uint8_t *)store_audit_idtag);
    sha256_update(&h, STORE_AUDIT_SALT, salt);
    sha256_update(&h, n, (const uint8_t *)id);
    sha256_digest(&h, STORE_AUDIT_HASH_BYTES, out);
}

/* 1 when the salt is all zero: its id was redacted. */
static int store_audit_salt_gone(const unsigned char *salt)
{
    unsigned char any = 0;
    for (int i = 0; i < STORE_AUDIT_SALT; i++)
        any |= salt[i];
    return any == 0;
}

/* Reads "#" + 64 hex digits into out; 0 when t is not that. */
static int store_audit_unhex(const char *t, unsigned char out[STORE_AUDIT_HASH_BYTES])
{
    if (t[0] != '#' || strlen(t) != 1 + 2 * STORE_AUDIT_HASH_BYTES)
        return 0;
    for (int i = 0; i < STORE_AUDIT_HASH_BYTES; i++) {
        int v = 0;
        for (int k = 1; k <= 2; k++) {
            char c = t[2 * i + k];
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (d < 0)
                return 0;
            v = v * 16 + d;
        }
        out[i] = (unsigned char)v;
    }
    return 1;
}

/* Hashes the ids of a record into h: their count, then each commitment
 * (from the salt and the id, or the redacted "#hex" where the salt is
 * zero). Ids that are not a JSON array of strings, or salts of another
 * length, hash a marker and the raw text, so such a record never fits. */
static void store_audit_ids7(struct sha256_ctx *h, const char *ids, const unsigned char *salts,
                             size_t nsalts)
{
    json_t *a = ids ? json_loads(ids, 0, NULL) : NULL;
    size_t n = json_is_array(a) ? json_array_size(a) : 0;
    int ok = json_is_array(a) && nsalts == n * STORE_AUDIT_SALT;
    for (size_t i = 0; ok && i < n; i++)
        ok = json_is_string(json_array_get(a, i));
    if (!ok) {
        store_audit_text(h, "malformed ids");
        store_audit_text(h, ids);
        json_decref(a);
        return;
    }
    store_audit_int(h, (long long)n);
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(a, i);
        const unsigned char *salt = salts + i * STORE_AUDIT_SALT;
        unsigned char c[STORE_AUDIT_HASH_BYTES];
        if (store_audit_salt_gone(salt)) {
            if (!store_audit_unhex(json_string_value(v), c))
                memset(c, 0xFF, sizeof c); /* a zero salt beside an id: never fits */
        } else {
            store_audit_commit(salt, json_string_value(v), json_string_length(v), c);
        }
        sha256_update(h, sizeof c, c);
    }
    json_decref(a);
}

/* The version-7 hash of record a (ids with their salts) after prev. */
static void store_audit_digest7(const unsigned char *prev, long long id,
                                const struct store_audit *a, const unsigned char *salts,
                                size_t nsalts, unsigned char out[STORE_AUDIT_HASH_BYTES])
{
    struct sha256_ctx h;
    store_audit_head(&h, store_audit_tag7, sizeof store_audit_tag7, prev, id, a);
    store_audit_ids7(&h, a->ids, salts, nsalts);
    /* The share read's `via` (schema 9, store_shares.c): hashed only when
     * present, so the records kept before it keep their hashes. */
    if (a->via != NULL)
        store_audit_text(&h, a->via);
    sha256_digest(&h, STORE_AUDIT_HASH_BYTES, out);
}

/* Counts the strings of t when it is a compact JSON array of strings as
 * audit.c writes them ("[]", "[\"a\",\"b\"]"): 1 with *k set, else 0 (the
 * caller then parses t). Parsing 90,000 ids only to count them was a
 * third of appending such a record. Escapes are skipped, not checked: on
 * text json_loads would refuse, store_audit_ids7 hashes the raw text and
 * no salt, so the count only sets how many unused salts it keeps. */
static int store_audit_count(const char *t, size_t *k)
{
    *k = 0;
    if (*t++ != '[')
        return 0;
    if (t[0] == ']' && t[1] == '\0')
        return 1;
    for (;;) {
        if (*t++ != '"')
            return 0;
        while (*t != '"') {
            if (*t == '\0' || (unsigned char)*t < 0x20)
                return 0;
            if (*t == '\\' && *++t == '\0')
                return 0;
            t++;
        }
        t++;
        (*k)++;
        if (*t == ']')
            return t[1] == '\0';
        if (*t++ != ',')
            return 0;
    }
}

/* Fresh salts for the ids text (a JSON array): *salts (owned, NULL for
 * none) and *n bytes. ERR_IO without random bytes, ERR_NOMEM. */
static int store_audit_salts(const char *ids, unsigned char **salts, size_t *n, struct err *e)
{
    *salts = NULL;
    *n = 0;
    size_t k;
    if (!store_audit_count(ids ? ids : "[]", &k)) {
        json_t *a = json_loads(ids ? ids : "[]", 0, NULL);
        k = json_is_array(a) ? json_array_size(a) : 0;
        json_decref(a);
    }
    if (k == 0)
        return ERR_OK;
    *salts = malloc(k * STORE_AUDIT_SALT);
    if (*salts == NULL)
        return err_nomem(e);
    /* All salts in as few calls as the kernel allows (one system call per
     * salt was most of appending a record of 90,000 ids); a salt that came
     * out all zero (the mark of a purged one) is drawn again. */
    int ok = secure_random(*salts, k * STORE_AUDIT_SALT);
    for (size_t i = 0; ok && i < k; i++) {
        unsigned char *s = *salts + i * STORE_AUDIT_SALT;
        while (ok && store_audit_salt_gone(s))
            ok = secure_random(s, STORE_AUDIT_SALT);
    }
    if (!ok) {
        free(*salts);
        *salts = NULL;
        return err_set(e, ERR_IO, "the kernel gave no random bytes for the audit log");
    }
    *n = k * STORE_AUDIT_SALT;
    return ERR_OK;
}

/* SQL tsunagu_audit_hash(prev, id, at, user, role, endpoint, client,
 * households, ids, salts, via): store_audit_digest7 for the INSERT of
 * store_audit_append; a prev that is not a 32-byte blob counts as none. */
static void store_audit_sql_hash(sqlite3_context *cx, int argc, sqlite3_value **v)
{
    (void)argc;
    const unsigned char *salts = sqlite3_value_blob(v[9]);
    size_t nsalts = (size_t)sqlite3_value_bytes(v[9]);
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
        .via = (const char *)sqlite3_value_text(v[10]),
    };
    unsigned char out[STORE_AUDIT_HASH_BYTES];
    store_audit_digest7(prev, (long long)sqlite3_value_int64(v[1]), &a, salts, nsalts, out);
    sqlite3_result_blob(cx, out, sizeof out, SQLITE_TRANSIENT);
}

int store_audit_functions(struct store *s, struct err *e)
{
    /* DIRECTONLY: a trigger or view in a tampered file cannot call it. */
    if (sqlite3_create_function_v2(store_sqlite(s), "tsunagu_audit_hash", 11,
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
    unsigned char *salts;
    size_t nsalts;
    if (store_audit_salts(a->ids, &salts, &nsalts, e) != ERR_OK)
        return e->code;
    if (store_begin(s, e) != ERR_OK) {
        free(salts);
        return ERR_IO;
    }
    sqlite3_stmt *st = store_prepare(
        s,
        "INSERT INTO audit(user, role, endpoint, client, households, ids, salts, via, hash)"
        " SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, tsunagu_audit_hash("
        "(SELECT hash FROM audit ORDER BY id DESC LIMIT 1),"
        " (SELECT COALESCE(MAX(id), 0) + 1 FROM audit),"
        " strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        "writing the audit log", e);
    if (st == NULL) {
        free(salts);
        store_rollback(s);
        return ERR_IO;
    }
    sqlite3_bind_blob(st, 7, salts ? (const void *)salts : "", (int)nsalts, SQLITE_TRANSIENT);
    free(salts);
    store_auth_bind(st, 1, a->user);
    store_auth_bind(st, 2, a->role);
    store_auth_bind(st, 3, a->endpoint);
    store_auth_bind(st, 4, a->client);
    sqlite3_bind_int64(st, 5, a->households);
    sqlite3_bind_text(st, 6, a->ids ? a->ids : "[]", -1, SQLITE_TRANSIENT);
    store_auth_bind(st, 8, a->via);
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
        store_prepare(s, "SELECT id, " STORE_AUDIT_COLS6 ", hash, salts FROM audit ORDER BY id",
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
        store_audit_digest7(c->records ? c->head : NULL, id, &a, sqlite3_column_blob(st, 10),
                            (size_t)sqlite3_column_bytes(st, 10), want);
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

/* Version 7's table: version 4's with the salts; its triggers are
 * version 4's (store_audit_triggers). */
static const char store_audit_table7[] =
    "CREATE TABLE audit_v7(id INTEGER PRIMARY KEY,"
    " at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),"
    " user TEXT NOT NULL, role TEXT NOT NULL, endpoint TEXT NOT NULL, client TEXT,"
    " households INTEGER NOT NULL CHECK(households >= 0), ids TEXT NOT NULL,"
    " salts BLOB NOT NULL DEFAULT x'',"
    " hash BLOB NOT NULL CHECK(length(hash) = 32));";

int store_audit_migrate_v7(struct store *s, struct err *e)
{
    /* The version-4 chain's verdict first, kept in meta. */
    sqlite3_stmt *rd =
        store_prepare(s, "SELECT id, " STORE_AUDIT_COLS ", hash FROM audit ORDER BY id",
                      "reading the audit log", e);
    if (rd == NULL)
        return ERR_IO;
    unsigned char prev[STORE_AUDIT_HASH_BYTES], want[STORE_AUDIT_HASH_BYTES];
    long long broken = 0, last = 0, records = 0;
    int src;
    while (broken == 0 && (src = sqlite3_step(rd)) == SQLITE_ROW) {
        struct store_audit a;
        long long id = (long long)sqlite3_column_int64(rd, 0);
        store_audit_row(rd, 1, &a);
        store_audit_digest(records ? prev : NULL, id, &a, want);
        const void *got = sqlite3_column_blob(rd, 8);
        if (got == NULL || sqlite3_column_bytes(rd, 8) != STORE_AUDIT_HASH_BYTES ||
            memcmp(got, want, sizeof want) != 0) {
            broken = id;
            break;
        }
        memcpy(prev, want, sizeof want);
        last = id;
        records++;
    }
    sqlite3_finalize(rd);
    char verdict[160];
    int n = broken ? snprintf(verdict, sizeof verdict, "broken at record %lld", broken)
                   : snprintf(verdict, sizeof verdict, "%lld records, the last (%lld) hash ",
                              records, last);
    for (int i = 0; !broken && records && i < STORE_AUDIT_HASH_BYTES; i++)
        n += snprintf(verdict + n, sizeof verdict - (size_t)n, "%02x", prev[i]);
    if (store_meta_set(s, "audit_v4_chain", verdict, e) != ERR_OK)
        return ERR_IO;
    /* The records again, chained with salted commitments. */
    if (store_audit_exec(s, store_audit_table7, e) != ERR_OK)
        return ERR_IO;
    rd = store_prepare(s, "SELECT id, " STORE_AUDIT_COLS " FROM audit ORDER BY id",
                       "reading the audit log", e);
    sqlite3_stmt *wr = rd ? store_prepare(s,
                                          "INSERT INTO audit_v7(id, " STORE_AUDIT_COLS
                                          ", salts, hash) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
                                          " ?9, ?10)",
                                          "adding salted ids to the audit log", e)
                          : NULL;
    if (wr == NULL) {
        sqlite3_finalize(rd);
        return ERR_IO;
    }
    int have = 0, rc = ERR_OK;
    while (rc == ERR_OK && (src = sqlite3_step(rd)) == SQLITE_ROW) {
        struct store_audit a;
        sqlite3_int64 id = sqlite3_column_int64(rd, 0);
        store_audit_row(rd, 1, &a);
        unsigned char *salts;
        size_t ns;
        if ((rc = store_audit_salts(a.ids, &salts, &ns, e)) != ERR_OK)
            break;
        /* An id in a path ("/api/households/H0001") becomes the route's
         * pattern: the record's ids name it, and only there can a purge
         * remove it. */
        char ep[256];
        const char *rest =
            a.endpoint && strncmp(a.endpoint, "/api/households/", 16) == 0 ? a.endpoint + 16 : NULL;
        if (rest && *rest) {
            const char *slash = strchr(rest, '/');
            snprintf(ep, sizeof ep, "/api/households/{}%.200s", slash ? slash : "");
            a.endpoint = ep;
        }
        store_audit_digest7(have ? prev : NULL, id, &a, salts, ns, prev);
        have = 1;
        sqlite3_reset(wr);
        sqlite3_bind_int64(wr, 1, id);
        for (int i = 1; i <= 7; i++)
            sqlite3_bind_value(wr, i + 1, sqlite3_column_value(rd, i));
        sqlite3_bind_text(wr, 5, a.endpoint, -1, SQLITE_TRANSIENT);
        sqlite3_bind_blob(wr, 9, salts ? (const void *)salts : "", (int)ns, SQLITE_TRANSIENT);
        sqlite3_bind_blob(wr, 10, prev, sizeof prev, SQLITE_TRANSIENT);
        free(salts);
        if (sqlite3_step(wr) != SQLITE_DONE)
            rc = store_fail(s, e, "adding salted ids to the audit log");
    }
    if (rc == ERR_OK && src != SQLITE_DONE)
        rc = store_fail(s, e, "reading the audit log");
    sqlite3_finalize(wr);
    sqlite3_finalize(rd);
    if (rc != ERR_OK)
        return rc;
    if (store_audit_exec(s, "DROP TABLE audit; ALTER TABLE audit_v7 RENAME TO audit;", e) != ERR_OK)
        return ERR_IO;
    return store_audit_exec(s, store_audit_triggers, e);
}

int store_audit_redact(struct store *s, const char *const *ids, size_t n, long *records,
                       struct err *e)
{
    *records = 0;
    if (n == 0)
        return ERR_OK;
    /* Records naming any of the ids (json_each reads the array), then each
     * rewritten in C: the id becomes "#" + its commitment, its salt zero. */
    sqlite3_stmt *rd = store_prepare(s,
                                     "SELECT a.id, a.ids, a.salts FROM audit a WHERE EXISTS"
                                     " (SELECT 1 FROM json_each(a.ids) j WHERE j.value = ?1)",
                                     "reading the audit log", e);
    sqlite3_stmt *wr = rd ? store_prepare(s, "UPDATE audit SET ids = ?2, salts = ?3 WHERE id = ?1",
                                          "removing ids from the audit log", e)
                          : NULL;
    if (wr == NULL) {
        sqlite3_finalize(rd);
        return ERR_IO;
    }
    /* Inside the caller's transaction: the trigger is back before it
     * commits, or the rollback restores it. */
    int rc = store_audit_exec(s, "DROP TRIGGER audit_no_update", e);
    for (size_t k = 0; rc == ERR_OK && k < n; k++) {
        sqlite3_reset(rd);
        sqlite3_bind_text(rd, 1, ids[k], -1, SQLITE_TRANSIENT);
        /* Collect the matching record ids first: updating while stepping
         * the same table is avoided. */
        sqlite3_int64 hits[64];
        size_t nh = 0;
        int src, more = 1;
        while (more && rc == ERR_OK) {
            nh = 0;
            sqlite3_reset(rd);
            while (nh < 64 && (src = sqlite3_step(rd)) == SQLITE_ROW)
                hits[nh++] = sqlite3_column_int64(rd, 0);
            more = nh == 64;
            if (nh < 64 && src != SQLITE_DONE)
                rc = store_fail(s, e, "reading the audit log");
            sqlite3_reset(rd);
            for (size_t h = 0; rc == ERR_OK && h < nh; h++) {
                sqlite3_stmt *one = store_prepare(s, "SELECT ids, salts FROM audit WHERE id = ?1",
                                                  "reading the audit log", e);
                if (one == NULL) {
                    rc = ERR_IO;
                    break;
                }
                sqlite3_bind_int64(one, 1, hits[h]);
                json_t *a = NULL;
                unsigned char *salts = NULL;
                size_t ns = 0;
                if (sqlite3_step(one) == SQLITE_ROW) {
                    a = json_loads((const char *)sqlite3_column_text(one, 0), 0, NULL);
                    ns = (size_t)sqlite3_column_bytes(one, 1);
                    salts = malloc(ns ? ns : 1);
                    if (salts && ns)
                        memcpy(salts, sqlite3_column_blob(one, 1), ns);
                }
                sqlite3_finalize(one);
                size_t cnt = json_is_array(a) ? json_array_size(a) : 0;
                if (a == NULL || salts == NULL || ns != cnt * STORE_AUDIT_SALT) {
                    rc = err_set(e, ERR_IO, "audit record %lld cannot be read for the purge",
                                 (long long)hits[h]);
                } else {
                    for (size_t i = 0; i < cnt; i++) {
                        json_t *v = json_array_get(a, i);
                        unsigned char *salt = salts + i * STORE_AUDIT_SALT;
                        if (!json_is_string(v) || strcmp(json_string_value(v), ids[k]) != 0 ||
                            store_audit_salt_gone(salt))
                            continue;
                        unsigned char c[STORE_AUDIT_HASH_BYTES];
                        char hex[2 + 2 * STORE_AUDIT_HASH_BYTES] = "#";
                        store_audit_commit(salt, json_string_value(v), json_string_length(v), c);
                        for (int b = 0; b < STORE_AUDIT_HASH_BYTES; b++)
                            snprintf(hex + 1 + 2 * b, 3, "%02x", c[b]);
                        json_array_set_new(a, i, json_string(hex));
                        memset(salt, 0, STORE_AUDIT_SALT);
                    }
                    char *text = json_dumps(a, JSON_COMPACT);
                    sqlite3_reset(wr);
                    sqlite3_bind_int64(wr, 1, hits[h]);
                    sqlite3_bind_text(wr, 2, text ? text : "[]", -1, SQLITE_TRANSIENT);
                    sqlite3_bind_blob(wr, 3, salts, (int)ns, SQLITE_TRANSIENT);
                    if (text == NULL)
                        rc = err_nomem(e);
                    else if (sqlite3_step(wr) != SQLITE_DONE)
                        rc = store_fail(s, e, "removing ids from the audit log");
                    else
                        (*records)++;
                    free(text);
                }
                json_decref(a);
                free(salts);
            }
        }
    }
    sqlite3_finalize(rd);
    sqlite3_finalize(wr);
    if (rc == ERR_OK)
        rc = store_audit_exec(s,
                              "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
                              " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
                              e);
    return rc;
}
