/* SPDX-License-Identifier: MIT */
/* store_auth.c - the store module's SQL for access control (see the "users,
 * the audit log and households by assignment" section of store.h): schema
 * version 3 (users, the audit table and the triggers keeping it
 * append-only; version 4 in store_audit.c rebuilds the audit table with a
 * hash chain), users by name and by token hash, and the households inside
 * a user's assignment. Entry points: store_auth_migrate (store_private.h),
 * store_user_add, store_user_revoke, store_users_each, store_user_by_token,
 * store_district_exists, store_scope_check, store_scope_households.
 *
 * Every statement is a constant string with bound parameters, prepared per
 * call and finalized before returning. Messages never carry household data
 * or token hashes. */
#include "secure.h"
#include "store.h"
#include "store_private.h"
#include "store_households.h"
#include "store_shares.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Schema version 3. The audit table has no UPDATE or DELETE path: the
 * triggers abort both, whoever asks (the service, sqlite3, QGIS). */
static const char store_auth_schema[] =
    "CREATE TABLE IF NOT EXISTS users(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    " role TEXT NOT NULL CHECK(role IN ('admin', 'coordinator', 'outreach', 'official')),"
    " agency TEXT, district_level TEXT, district_code TEXT,"
    " token_hash BLOB NOT NULL UNIQUE CHECK(length(token_hash) = 32),"
    " created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
    " revoked_at TEXT);"
    "CREATE TABLE IF NOT EXISTS audit(id INTEGER PRIMARY KEY,"
    " at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),"
    " user TEXT NOT NULL, role TEXT NOT NULL, endpoint TEXT NOT NULL, client TEXT,"
    " households INTEGER NOT NULL CHECK(households >= 0), ids TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS audit_at ON audit(at);"
    "CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;";

int store_auth_migrate(struct store *s, struct err *e)
{
    char *msg = NULL;
    if (sqlite3_exec(store_sqlite(s), store_auth_schema, NULL, NULL, &msg) != SQLITE_OK) {
        err_set(e, ERR_IO, "database error while adding users and the audit log: %s",
                msg ? msg : sqlite3_errmsg(store_sqlite(s)));
        sqlite3_free(msg);
        return ERR_IO;
    }
    return ERR_OK;
}

void store_auth_bind(sqlite3_stmt *st, int i, const char *t)
{
    if (t == NULL || t[0] == '\0')
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_text(st, i, t, -1, SQLITE_TRANSIENT);
}

static const char *store_auth_col(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

/* ---- users ---- */

#define STORE_AUTH_USER_COLS                                                                       \
    "id, name, role, agency, district_level, district_code, created_at, revoked_at"

/* Columns STORE_AUTH_USER_COLS of a users row. */
static void store_auth_user_row(sqlite3_stmt *st, struct store_user *u)
{
    u->id = (long)sqlite3_column_int64(st, 0);
    u->name = store_auth_col(st, 1);
    u->role = store_auth_col(st, 2);
    u->agency = store_auth_col(st, 3);
    u->level = store_auth_col(st, 4);
    u->district = store_auth_col(st, 5);
    u->created = store_auth_col(st, 6);
    u->revoked = store_auth_col(st, 7);
}

int store_user_add(struct store *s, const struct store_user *u, const unsigned char *hash,
                   struct err *e)
{
    sqlite3_stmt *st = store_prepare(
        s,
        "INSERT INTO users(name, role, agency, district_level, district_code, token_hash)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
        "adding a user", e);
    if (st == NULL)
        return ERR_IO;
    store_auth_bind(st, 1, u->name);
    store_auth_bind(st, 2, u->role);
    store_auth_bind(st, 3, u->agency);
    store_auth_bind(st, 4, u->district ? u->level : NULL);
    store_auth_bind(st, 5, u->district);
    sqlite3_bind_blob(st, 6, hash, STORE_HASH_BYTES, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    int out = ERR_OK;
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        /* The hash is random: a clash can only be the name. */
        out = strstr(sqlite3_errmsg(store_sqlite(s)), "users.name")
                  ? err_set(e, ERR_INPUT,
                            "a user named %.64s exists already (revoked users keep their name)",
                            u->name)
                  : err_set(e, ERR_INPUT, "the user cannot be stored: %s",
                            sqlite3_errmsg(store_sqlite(s)));
    } else if (rc != SQLITE_DONE) {
        out = store_fail(s, e, "adding a user");
    }
    sqlite3_finalize(st);
    return out;
}

int store_user_revoke(struct store *s, const char *name, struct err *e)
{
    sqlite3_stmt *st = store_prepare(s, "SELECT revoked_at IS NOT NULL FROM users WHERE name = ?1",
                                     "finding a user", e);
    if (st == NULL)
        return ERR_IO;
    store_auth_bind(st, 1, name);
    int src = sqlite3_step(st);
    int revoked = src == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    if (src == SQLITE_DONE)
        return err_set(e, ERR_NOTFOUND, "there is no user named %.64s", name);
    if (src != SQLITE_ROW)
        return store_fail(s, e, "finding a user");
    if (revoked)
        return err_set(e, ERR_INPUT, "the user %.64s is revoked already", name);
    st = store_prepare(s,
                       "UPDATE users SET revoked_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
                       " WHERE name = ?1 AND revoked_at IS NULL",
                       "revoking a user", e);
    if (st == NULL)
        return ERR_IO;
    store_auth_bind(st, 1, name);
    src = sqlite3_step(st);
    sqlite3_finalize(st);
    return src == SQLITE_DONE ? ERR_OK : store_fail(s, e, "revoking a user");
}

int store_users_each(struct store *s, int (*fn)(void *ctx, const struct store_user *u), void *ctx,
                     struct err *e)
{
    sqlite3_stmt *st = store_prepare(s, "SELECT " STORE_AUTH_USER_COLS " FROM users ORDER BY name",
                                     "listing users", e);
    if (st == NULL)
        return ERR_IO;
    int rc = ERR_OK, src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_user u;
        store_auth_user_row(st, &u);
        if ((rc = fn(ctx, &u)) != ERR_OK)
            break;
    }
    return store_finish(s, st, src, rc, "listing users", e);
}

int store_user_by_token(struct store *s, const unsigned char *hash,
                        int (*fn)(void *ctx, const struct store_user *u), void *ctx, struct err *e)
{
    static const unsigned char none[STORE_HASH_BYTES] = {0};
    sqlite3_stmt *st = store_prepare(s, "SELECT id, token_hash, revoked_at IS NULL FROM users",
                                     "checking a token", e);
    if (st == NULL)
        return ERR_IO;
    /* Every row is compared, without an early exit or a branch on the
     * outcome: the match is folded in with a mask. */
    int64_t found = 0;
    int src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        const void *h = sqlite3_column_blob(st, 1);
        int ok = h != NULL && sqlite3_column_bytes(st, 1) == STORE_HASH_BYTES;
        int eq = secure_equal(hash, ok ? h : none, STORE_HASH_BYTES) & ok &
                 (sqlite3_column_int(st, 2) != 0);
        int64_t mask = -(int64_t)eq;
        found = (found & ~mask) | ((int64_t)sqlite3_column_int64(st, 0) & mask);
    }
    int rc = store_finish(s, st, src, ERR_OK, "checking a token", e);
    if (rc != ERR_OK)
        return rc;
    if (found == 0)
        return err_set(e, ERR_NOTFOUND, "no active user has this token");
    st = store_prepare(s, "SELECT " STORE_AUTH_USER_COLS " FROM users WHERE id = ?1",
                       "reading a user", e);
    if (st == NULL)
        return ERR_IO;
    sqlite3_bind_int64(st, 1, found);
    src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        struct store_user u;
        store_auth_user_row(st, &u);
        rc = fn(ctx, &u);
        src = SQLITE_DONE;
    } else if (src == SQLITE_DONE) {
        rc = err_set(e, ERR_NOTFOUND, "no active user has this token");
    }
    return store_finish(s, st, src, rc, "reading a user", e);
}

int store_district_exists(struct store *s, const char *level, const char *code)
{
    if (store_srid(s) == 0)
        return 0;
    sqlite3_stmt *st = store_prepare(s, "SELECT 1 FROM districts WHERE level = ?1 AND code = ?2",
                                     "finding a district", NULL);
    if (st == NULL)
        return 0;
    store_auth_bind(st, 1, level);
    store_auth_bind(st, 2, code);
    int found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return found;
}

/* ---- households by assignment ---- */

/* The rowid of the scope's district into *id (0 when the scope has none;
 * -1 when it names a district that does not exist, which matches nothing). */
static int store_scope_district(struct store *s, const struct store_scope *sc, long *id,
                                struct err *e)
{
    *id = 0;
    if (sc->district == NULL || sc->district[0] == '\0')
        return ERR_OK;
    sqlite3_stmt *st = store_prepare(s, "SELECT id FROM districts WHERE level = ?1 AND code = ?2",
                                     "finding a district", e);
    if (st == NULL)
        return ERR_IO;
    store_auth_bind(st, 1, sc->level);
    store_auth_bind(st, 2, sc->district);
    int src = sqlite3_step(st);
    *id = src == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return src == SQLITE_ROW || src == SQLITE_DONE ? ERR_OK
                                                   : store_fail(s, e, "finding a district");
}

/* How a scope reaches household h (with its share row s to the scope's
 * agency, or to STORE_SHARE_COMMISSIONERS, and its commissioner flag row c,
 * LEFT JOINed on the id asked): "held", "share N (BASIS, AGENCY)",
 * "commissioner flag", "district" or NULL. A is the scope's agency (SQL
 * NULL for a commissioner), K 1 for a commissioner. The share and flag rows
 * are joined whatever the household's protection, so a protected
 * household costs the same lookups as any other; the flag counts for a
 * commissioner alone, and only while the consent is yes (consent.h). */
#define STORE_AUTH_VIA(A, K)                                                                       \
    "CASE WHEN h.id IS NULL THEN NULL"                                                             \
    " WHEN NOT " K " AND h.agency = " A " THEN 'held'"                                             \
    " WHEN h.protected THEN NULL"                                                                  \
    " WHEN s.id IS NOT NULL AND s.from_date <= date('now')"                                        \
    " AND (s.until_date IS NULL OR s.until_date >= date('now'))"                                   \
    " AND (s.basis <> 'consent' OR h.consent = 1)"                                                 \
    " THEN 'share ' || s.id || ' (' || s.basis || ', ' || s.agency || ')'"                         \
    " WHEN " K " AND c.ext_id IS NOT NULL AND h.consent = 1 THEN 'commissioner flag'"              \
    " WHEN NOT " K " AND " A " IS NULL THEN 'district' ELSE NULL END"

/* The agency whose shares a scope uses (NULL: none). */
static const char *store_scope_share_agency(const struct store_scope *sc)
{
    if (sc->commissioner)
        return STORE_SHARE_COMMISSIONERS;
    return sc->agency && sc->agency[0] ? sc->agency : NULL;
}

/* The scope's own agency as bound (NULL for a commissioner). */
static const char *store_scope_agency(const struct store_scope *sc)
{
    return sc->commissioner ? NULL : sc->agency;
}

/* 1 when a household the scope reaches (`via` not NULL) in district rowid
 * `district` is in sc (district_id from store_scope_district). */
static int store_scope_match(long district_id, const char *via, long district)
{
    int district_ok = district_id == 0 || (district_id > 0 && district == district_id);
    return via != NULL && district_ok;
}

int store_scope_check(struct store *s, const struct store_scope *sc, const char *const *ids,
                      size_t n, unsigned char *in, char (*via)[STORE_SCOPE_VIA_MAX], struct err *e)
{
    memset(in, 0, n);
    for (size_t i = 0; via && i < n; i++)
        via[i][0] = '\0';
    if (store_srid(s) == 0)
        return ERR_OK;
    long district_id;
    if (store_scope_district(s, sc, &district_id, e) != ERR_OK)
        return ERR_IO;
    /* The point tested is the household's, or for an unknown id the first
     * household's: the district test runs either way. */
    sqlite3_stmt *st = store_prepare(
        s,
        "SELECT h.id IS NOT NULL, " STORE_AUTH_VIA("?3", "?4") ", " STORE_DISTRICT_OF(
            "?1", "p.g") " FROM (SELECT COALESCE((SELECT geom FROM households WHERE ext_id = ?2),"
                         " (SELECT geom FROM households ORDER BY id LIMIT 1)) AS g) p"
                         " LEFT JOIN households h ON h.ext_id = ?2"
                         " LEFT JOIN household_shares s ON s.ext_id = ?2 AND s.agency = ?5"
                         " LEFT JOIN household_commissioner c ON c.ext_id = ?2",
        "checking households", e);
    if (st == NULL)
        return ERR_IO;
    int rc = ERR_OK;
    for (size_t i = 0; i < n && rc == ERR_OK; i++) {
        sqlite3_reset(st);
        store_auth_bind(st, 1, district_id != 0 ? sc->level : NULL);
        sqlite3_bind_text(st, 2, ids[i] ? ids[i] : "", -1, SQLITE_TRANSIENT);
        store_auth_bind(st, 3, store_scope_agency(sc));
        sqlite3_bind_int(st, 4, sc->commissioner != 0);
        store_auth_bind(st, 5, store_scope_share_agency(sc));
        int src = sqlite3_step(st);
        if (src != SQLITE_ROW) {
            rc = store_fail(s, e, "checking households");
            break;
        }
        int exists = sqlite3_column_int(st, 0);
        const char *how = store_auth_col(st, 1);
        int match = store_scope_match(district_id, how, (long)sqlite3_column_int64(st, 2));
        in[i] = (unsigned char)(exists & match);
        if (via && in[i])
            snprintf(via[i], STORE_SCOPE_VIA_MAX, "%s", how);
    }
    sqlite3_finalize(st);
    return rc;
}

/* The statement of store_scope_households. The last visit (its day only):
 * for a commissioner the last one made since the household became visible
 * to commissioners (the first day of its share to 民生委員 or the day it
 * was marked, the earlier of the two): what happened before the consent or
 * the meeting let them in is not theirs to know; for an agency's worker
 * every visit, as GET /api/households/{id}/visits shows them whole. */
/* (Kept one clause a line: clang-format folds macro-joined strings badly.) */
/* clang-format off */
static const char store_scope_households_sql[] =
    "SELECT h.ext_id, h.members, h.needs,"
    " (SELECT code FROM districts WHERE id = " STORE_DISTRICT_OF("?1", "h.geom") "), "
    STORE_AUTH_VIA("?3", "?6") ", " STORE_DISTRICT_OF("?2", "h.geom") ","
    " (SELECT substr(MAX(v.at), 1, 10) FROM visits v WHERE v.household = h.ext_id"
    " AND (NOT ?6 OR substr(v.at, 1, 10) >= min(COALESCE(s.from_date, '9999-12-31'),"
    " COALESCE(substr(c.set_at, 1, 10), '9999-12-31')))),"
    " h.consent, c.ext_id IS NOT NULL, h.protected"
    " FROM households h"
    " LEFT JOIN household_shares s ON s.ext_id = h.ext_id AND s.agency = ?7"
    " LEFT JOIN household_commissioner c ON c.ext_id = h.ext_id"
    " WHERE (?3 IS NULL OR h.agency = ?3 OR s.id IS NOT NULL)"
    " AND (NOT ?6 OR s.id IS NOT NULL OR c.ext_id IS NOT NULL)"
    " AND (?4 IS NULL OR instr(';' || h.needs || ';', ';' || ?4 || ';') > 0)"
    " AND (?5 IS NULL OR h.ext_id = ?5) ORDER BY h.id";
/* clang-format on */

int store_scope_households(struct store *s, const struct store_scope *sc, const char *level,
                           const char *need, const char *ext_id, long limit,
                           int (*fn)(void *ctx, const struct store_scope_household *h), void *ctx,
                           struct err *e)
{
    if (store_srid(s) == 0)
        return ERR_OK;
    long district_id;
    if (store_scope_district(s, sc, &district_id, e) != ERR_OK)
        return ERR_IO;
    if (district_id < 0)
        return ERR_OK; /* assigned to a district that no longer exists: nothing */
    sqlite3_stmt *st = store_prepare(s, store_scope_households_sql, "listing households", e);
    if (st == NULL)
        return ERR_IO;
    store_auth_bind(st, 1, level);
    store_auth_bind(st, 2, district_id != 0 ? sc->level : NULL);
    store_auth_bind(st, 3, store_scope_agency(sc));
    store_auth_bind(st, 4, need);
    store_auth_bind(st, 5, ext_id);
    sqlite3_bind_int(st, 6, sc->commissioner != 0);
    store_auth_bind(st, 7, store_scope_share_agency(sc));
    int rc = ERR_OK, src;
    long seen = 0;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        if (!store_scope_match(district_id, store_auth_col(st, 4),
                               (long)sqlite3_column_int64(st, 5)))
            continue;
        if (seen++ == limit) {
            rc = err_set(e, ERR_LIMIT, "more than %ld households match; narrow the list with need",
                         limit);
            break;
        }
        struct store_scope_household h = {
            .ext_id = store_auth_col(st, 0),
            .members = sqlite3_column_int(st, 1),
            .needs = store_auth_col(st, 2),
            .district = store_auth_col(st, 3),
            .via = store_auth_col(st, 4),
            .last_visit = store_auth_col(st, 6),
            .consent = sqlite3_column_int(st, 7),
            .commissioner = sqlite3_column_int(st, 8),
            .protected_ = sqlite3_column_int(st, 9),
        };
        if ((rc = fn(ctx, &h)) != ERR_OK)
            break;
    }
    return store_finish(s, st, src, rc, "listing households", e);
}
