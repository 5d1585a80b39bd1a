/* SPDX-License-Identifier: MIT */
/* store_shares.c - the store module's SQL for household shares and
 * protection (store_shares.h): schema version 6 and the writes that obey
 * the sharing rules. Entry points: store_shares_migrate (store_private.h),
 * store_share_add, store_share_remove, store_shares_each,
 * store_household_protect.
 *
 * Every statement is a constant string with bound parameters, prepared per
 * call and finalized before returning. Messages never carry household data
 * (not even the id the caller gave). */
#include "store.h"
#include "store_private.h"
#include "store_shares.h"
#include "consent.h"
#include "utf8.h"

#include <stdio.h>
#include <string.h>

/* Version 6: shares, protection marks set after import, the `protected`
 * column of households (where the CRS is fixed; a new database gets it in
 * store.c's CREATE TABLE), the `via` column of the audit log (which share
 * a read used), and the users table rebuilt so its role check admits
 * `commissioner` (and `editor`, issue 13's register part, so the two
 * migrations merge as one rebuild). */
static const char store_shares_schema[] =
    "CREATE TABLE IF NOT EXISTS household_shares(id INTEGER PRIMARY KEY,"
    " ext_id TEXT NOT NULL, agency TEXT NOT NULL,"
    " basis TEXT NOT NULL CHECK(basis IN ('consent', 'meeting', 'referral')),"
    " reason TEXT NOT NULL, from_date TEXT NOT NULL DEFAULT (date('now')), until_date TEXT,"
    " created_by TEXT NOT NULL,"
    " created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
    " UNIQUE(ext_id, agency));"
    "CREATE TABLE IF NOT EXISTS household_protection(ext_id TEXT PRIMARY KEY,"
    " set_by TEXT NOT NULL,"
    " set_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')));"
    "CREATE TABLE users_v6(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    " role TEXT NOT NULL CHECK(role IN ('admin', 'coordinator', 'outreach', 'official',"
    " 'editor', 'commissioner')),"
    " agency TEXT, district_level TEXT, district_code TEXT,"
    " token_hash BLOB NOT NULL UNIQUE CHECK(length(token_hash) = 32),"
    " created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
    " revoked_at TEXT);"
    "INSERT INTO users_v6 SELECT id, name, role, agency, district_level, district_code,"
    " token_hash, created_at, revoked_at FROM users;"
    "DROP TABLE users;"
    "ALTER TABLE users_v6 RENAME TO users;";

static int store_shares_exec(struct store *s, const char *sql, struct err *e)
{
    char *msg = NULL;
    if (sqlite3_exec(store_sqlite(s), sql, NULL, NULL, &msg) != SQLITE_OK) {
        err_set(e, ERR_IO, "database error while adding household shares: %s",
                msg ? msg : sqlite3_errmsg(store_sqlite(s)));
        sqlite3_free(msg);
        return ERR_IO;
    }
    return ERR_OK;
}

int store_shares_migrate(struct store *s, struct err *e)
{
    if (store_shares_exec(s, store_shares_schema, e) != ERR_OK)
        return ERR_IO;
    /* Columns added once are not added again (a copy rolled back by hand). */
    sqlite3_stmt *st = store_prepare(
        s,
        "SELECT (SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'households'),"
        " (SELECT COUNT(*) FROM pragma_table_info('households') WHERE name = 'protected'),"
        " (SELECT COUNT(*) FROM pragma_table_info('audit') WHERE name = 'via')",
        "reading the schema", e);
    if (st == NULL)
        return ERR_IO;
    int row = sqlite3_step(st) == SQLITE_ROW;
    int need = row && sqlite3_column_int(st, 0) > 0 && sqlite3_column_int(st, 1) == 0;
    int via = row && sqlite3_column_int(st, 2) > 0;
    sqlite3_finalize(st);
    if (!via && store_shares_exec(s, "ALTER TABLE audit ADD COLUMN via TEXT", e) != ERR_OK)
        return ERR_IO;
    return need ? store_shares_exec(s,
                                    "ALTER TABLE households ADD COLUMN protected INTEGER NOT NULL"
                                    " DEFAULT 0 CHECK(protected IN (0, 1))",
                                    e)
                : ERR_OK;
}

/* ---- checks ---- */

/* The sentence for a household the caller may not act on, whether it
 * exists or not. */
static int store_shares_nobody(const char *holder, struct err *e)
{
    return holder ? err_set(e, ERR_NOTFOUND, "there is no household with this id held by %.128s",
                            holder)
                  : err_set(e, ERR_NOTFOUND, "there is no household with this id");
}

/* 1 when t is 1..max bytes of UTF-8 text without control characters. */
static int store_shares_text_ok(const char *t, size_t max)
{
    return t != NULL && t[0] != '\0' && strlen(t) <= max && utf8_text_ok(t);
}

int store_shares_household(struct store *s, const char *ext_id, const char *holder,
                           struct store_shares_hh *h, struct err *e)
{
    memset(h, 0, sizeof *h);
    if (store_srid(s) == 0 || ext_id == NULL || ext_id[0] == '\0' ||
        strlen(ext_id) > STORE_SHARE_ID_MAX)
        return store_shares_nobody(holder, e);
    sqlite3_stmt *st =
        store_prepare(s, "SELECT agency, consent, protected FROM households WHERE ext_id = ?1",
                      "reading a household", e);
    if (st == NULL)
        return ERR_IO;
    sqlite3_bind_text(st, 1, ext_id, -1, SQLITE_TRANSIENT);
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        const char *a = (const char *)sqlite3_column_text(st, 0);
        snprintf(h->agency, sizeof h->agency, "%s", a ? a : "");
        h->consent = sqlite3_column_int(st, 1);
        h->protected_ = sqlite3_column_int(st, 2) != 0;
        h->found = holder == NULL || strcmp(h->agency, holder) == 0;
    }
    sqlite3_finalize(st);
    if (src != SQLITE_ROW && src != SQLITE_DONE)
        return store_fail(s, e, "reading a household");
    return h->found ? ERR_OK : store_shares_nobody(holder, e);
}

/* Runs one bound write; ERR_IO on failure. *changes gets the rows changed. */
static int store_shares_write(struct store *s, sqlite3_stmt *st, long *changes, const char *what,
                              struct err *e)
{
    int src = sqlite3_step(st);
    sqlite3_finalize(st);
    if (src != SQLITE_DONE)
        return store_fail(s, e, what);
    if (changes)
        *changes = (long)sqlite3_changes(store_sqlite(s));
    return ERR_OK;
}

/* 1 when `until` is a real day (YYYY-MM-DD; "+0 days" makes SQLite
 * normalise 2026-02-30, which date() alone echoes) not before today; otherwise
 * sets the sentence and returns 0. */
static int store_shares_until_ok(struct store *s, const char *until, struct err *e)
{
    sqlite3_stmt *st = store_prepare(
        s, "SELECT length(?1) = 10 AND date(?1, '+0 days') IS ?1, date(?1) >= date('now')",
        "checking a date", e);
    if (st == NULL)
        return 0;
    sqlite3_bind_text(st, 1, until, -1, SQLITE_TRANSIENT);
    int form = 0, future = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        form = sqlite3_column_int(st, 0);
        future = sqlite3_column_int(st, 1);
    }
    sqlite3_finalize(st);
    if (!form)
        return err_set(e, ERR_INPUT, "--until must be a date written YYYY-MM-DD"), 0;
    if (!future)
        return err_set(e, ERR_INPUT, "--until is in the past; a share ends on that day or later"),
               0;
    return 1;
}

/* ---- writes ---- */

int store_share_add(struct store *s, const struct store_share *sh, const char *holder, long *id,
                    struct err *e)
{
    *id = 0;
    static const char *const bases[] = {"consent", "meeting", "referral"};
    int basis_ok = 0;
    for (int i = 0; i < 3; i++)
        basis_ok |= sh->basis != NULL && strcmp(sh->basis, bases[i]) == 0;
    if (!basis_ok)
        return err_set(e, ERR_INPUT,
                       "--basis must be consent, meeting (a support-meeting decision) or referral");
    if (!store_shares_text_ok(sh->agency, STORE_SHARE_AGENCY_MAX))
        return err_set(e, ERR_INPUT, "--agency takes 1 to %d bytes of text",
                       STORE_SHARE_AGENCY_MAX);
    if (!store_shares_text_ok(sh->reason, STORE_SHARE_REASON_MAX))
        return err_set(e, ERR_INPUT,
                       "--reason takes 1 to %d bytes of text (say why, e.g. the meeting and "
                       "its date)",
                       STORE_SHARE_REASON_MAX);
    if (store_begin(s, e) != ERR_OK)
        return ERR_IO;
    struct store_shares_hh h;
    int rc = store_shares_household(s, sh->ext_id, holder, &h, e);
    if (rc == ERR_OK && sh->until && !store_shares_until_ok(s, sh->until, e))
        rc = e->code ? e->code : ERR_INPUT;
    if (rc == ERR_OK && h.protected_)
        rc = err_set(e, ERR_INPUT,
                     "the household is protected (support measures against disclosure): it is "
                     "never shared");
    if (rc == ERR_OK && strcmp(h.agency, sh->agency) == 0)
        rc = err_set(e, ERR_INPUT,
                     "the household is held by %.128s already; share it with another "
                     "agency",
                     sh->agency);
    if (rc == ERR_OK && strcmp(sh->basis, "consent") == 0 && h.consent != CONSENT_YES)
        rc = err_set(e, ERR_FORBIDDEN,
                     h.consent == CONSENT_UNKNOWN
                         ? "the household's consent is unknown, which counts as not given, so it "
                           "cannot be shared by consent; a support meeting's decision is shared "
                           "with basis meeting"
                         : "the household has not consented to sharing, so it cannot be shared "
                           "by consent; a support meeting's decision is shared with basis "
                           "meeting");
    sqlite3_stmt *st = NULL;
    if (rc == ERR_OK &&
        (st = store_prepare(s,
                            "INSERT INTO household_shares(ext_id, agency, basis, reason,"
                            " until_date, created_by) VALUES(?1, ?2, ?3, ?4, ?5, ?6)"
                            " ON CONFLICT(ext_id, agency) DO UPDATE SET basis = excluded.basis,"
                            " reason = excluded.reason, until_date = excluded.until_date,"
                            " created_by = excluded.created_by, from_date = date('now'),"
                            " created_at = excluded.created_at",
                            "sharing a household", e)) == NULL)
        rc = ERR_IO;
    if (rc == ERR_OK) {
        sqlite3_bind_text(st, 1, sh->ext_id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, sh->agency, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, sh->basis, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, sh->reason, -1, SQLITE_TRANSIENT);
        store_auth_bind(st, 5, sh->until);
        sqlite3_bind_text(st, 6, sh->by ? sh->by : "?", -1, SQLITE_TRANSIENT);
        rc = store_shares_write(s, st, NULL, "sharing a household", e);
    }
    if (rc == ERR_OK &&
        (st = store_prepare(s, "SELECT id FROM household_shares WHERE ext_id = ?1 AND agency = ?2",
                            "sharing a household", e)) != NULL) {
        sqlite3_bind_text(st, 1, sh->ext_id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, sh->agency, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW)
            *id = (long)sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    if (rc != ERR_OK) {
        store_rollback(s);
        return rc;
    }
    return store_commit(s, e);
}

int store_share_remove(struct store *s, const char *ext_id, const char *agency, const char *holder,
                       struct err *e)
{
    if (!store_shares_text_ok(agency, STORE_SHARE_AGENCY_MAX))
        return err_set(e, ERR_INPUT, "--agency takes 1 to %d bytes of text",
                       STORE_SHARE_AGENCY_MAX);
    if (store_begin(s, e) != ERR_OK)
        return ERR_IO;
    struct store_shares_hh h;
    int rc = store_shares_household(s, ext_id, holder, &h, e);
    sqlite3_stmt *st = NULL;
    long n = 0;
    if (rc == ERR_OK &&
        (st = store_prepare(s, "DELETE FROM household_shares WHERE ext_id = ?1 AND agency = ?2",
                            "removing a share", e)) == NULL)
        rc = ERR_IO;
    if (rc == ERR_OK) {
        sqlite3_bind_text(st, 1, ext_id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, agency, -1, SQLITE_TRANSIENT);
        rc = store_shares_write(s, st, &n, "removing a share", e);
    }
    if (rc == ERR_OK && n == 0)
        rc = err_set(e, ERR_NOTFOUND, "the household is not shared with %.128s", agency);
    if (rc != ERR_OK) {
        store_rollback(s);
        return rc;
    }
    return store_commit(s, e);
}

int store_shares_each(struct store *s, const char *ext_id, const char *holder,
                      int (*fn)(void *ctx, const struct store_share *sh, int active), void *ctx,
                      struct err *e)
{
    struct store_shares_hh h;
    if (store_shares_household(s, ext_id, holder, &h, e) != ERR_OK)
        return e->code;
    sqlite3_stmt *st = store_prepare(
        s,
        "SELECT id, agency, basis, reason, from_date, until_date, created_by,"
        " from_date <= date('now') AND (until_date IS NULL OR until_date >= date('now'))"
        " AND (basis <> 'consent' OR ?2) AND NOT ?3"
        " FROM household_shares WHERE ext_id = ?1 ORDER BY agency",
        "listing shares", e);
    if (st == NULL)
        return ERR_IO;
    sqlite3_bind_text(st, 1, ext_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, h.consent == CONSENT_YES);
    sqlite3_bind_int(st, 3, h.protected_);
    int rc = ERR_OK, src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_share sh = {
            .id = (long)sqlite3_column_int64(st, 0),
            .ext_id = ext_id,
            .agency = (const char *)sqlite3_column_text(st, 1),
            .basis = (const char *)sqlite3_column_text(st, 2),
            .reason = (const char *)sqlite3_column_text(st, 3),
            .from = (const char *)sqlite3_column_text(st, 4),
            .until = (const char *)sqlite3_column_text(st, 5),
            .by = (const char *)sqlite3_column_text(st, 6),
        };
        if ((rc = fn(ctx, &sh, sqlite3_column_int(st, 7))) != ERR_OK)
            break;
    }
    return store_finish(s, st, src, rc, "listing shares", e);
}

int store_household_protect(struct store *s, const char *ext_id, int on, const char *by,
                            const char *holder, long *removed, struct err *e)
{
    *removed = 0;
    if (store_begin(s, e) != ERR_OK)
        return ERR_IO;
    struct store_shares_hh h;
    int rc = store_shares_household(s, ext_id, holder, &h, e);
    if (rc == ERR_OK && h.protected_ == (on != 0))
        rc = err_set(e, ERR_INPUT,
                     on ? "the household is protected already" : "the household is not protected");
    /* Three writes: the flag, the mark that outlives a re-import, and
     * (when protecting) the shares, which a protected household never has. */
    static const char *const sql_on[] = {
        "UPDATE households SET protected = 1 WHERE ext_id = ?1",
        "INSERT OR REPLACE INTO household_protection(ext_id, set_by) VALUES(?1, ?2)",
        "DELETE FROM household_shares WHERE ext_id = ?1",
        "DELETE FROM household_commissioner WHERE ext_id = ?1"};
    static const char *const sql_off[] = {"UPDATE households SET protected = 0 WHERE ext_id = ?1",
                                          "DELETE FROM household_protection WHERE ext_id = ?1"};
    const char *const *sql = on ? sql_on : sql_off;
    int nsql = on ? 4 : 2;
    for (int i = 0; rc == ERR_OK && i < nsql; i++) {
        sqlite3_stmt *st = store_prepare(s, sql[i], "changing a household's protection", e);
        if (st == NULL) {
            rc = ERR_IO;
            break;
        }
        sqlite3_bind_text(st, 1, ext_id, -1, SQLITE_TRANSIENT);
        if (sqlite3_bind_parameter_count(st) >= 2)
            sqlite3_bind_text(st, 2, by ? by : "?", -1, SQLITE_TRANSIENT);
        long n = 0;
        rc = store_shares_write(s, st, &n, "changing a household's protection", e);
        if (on && i == 2)
            *removed = n;
    }
    if (rc != ERR_OK) {
        store_rollback(s);
        return rc;
    }
    return store_commit(s, e);
}
