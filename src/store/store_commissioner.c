/* SPDX-License-Identifier: MIT */
/* store_commissioner.c - the store module's SQL for the per-household
 * "commissioners may see" flag (store_commissioner.h): schema version 12
 * and the write that obeys the sharing rules. Entry points:
 * store_commissioner_migrate (store_private.h), store_household_commissioner,
 * store_household_sharing.
 *
 * Every statement is a constant string with bound parameters, prepared per
 * call and finalized before returning. Messages never carry household data
 * (not even the id the caller gave). */
#include "store_commissioner.h"

#include "store_private.h"

/* Version 11: one row per flagged household (kept across re-imports, as
 * household_protection is). */
static const char store_commissioner_schema[] =
    "CREATE TABLE IF NOT EXISTS household_commissioner(ext_id TEXT PRIMARY KEY,"
    " set_by TEXT NOT NULL,"
    " set_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')));";

int store_commissioner_migrate(struct store *s, struct err *e)
{
    char *msg = NULL;
    if (sqlite3_exec(store_sqlite(s), store_commissioner_schema, NULL, NULL, &msg) != SQLITE_OK) {
        err_set(e, ERR_IO, "database error while adding the commissioner flag: %s",
                msg ? msg : sqlite3_errmsg(store_sqlite(s)));
        sqlite3_free(msg);
        return ERR_IO;
    }
    return ERR_OK;
}

/* 1 when household ext_id carries the flag, 0 when not, -1 on a database
 * error (sentence in e). */
static int store_commissioner_flagged(struct store *s, const char *ext_id, struct err *e)
{
    sqlite3_stmt *st = store_prepare(s, "SELECT 1 FROM household_commissioner WHERE ext_id = ?1",
                                     "reading the commissioner flag", e);
    if (st == NULL)
        return -1;
    sqlite3_bind_text(st, 1, ext_id, -1, SQLITE_TRANSIENT);
    int src = sqlite3_step(st);
    sqlite3_finalize(st);
    if (src != SQLITE_ROW && src != SQLITE_DONE)
        return store_fail(s, e, "reading the commissioner flag"), -1;
    return src == SQLITE_ROW;
}

int store_household_commissioner(struct store *s, const char *ext_id, int on, const char *by,
                                 const char *holder, struct err *e)
{
    if (store_begin(s, e) != ERR_OK)
        return ERR_IO;
    struct store_shares_hh h;
    int rc = store_shares_household(s, ext_id, holder, &h, e);
    int flagged = rc == ERR_OK ? store_commissioner_flagged(s, ext_id, e) : 0;
    if (rc == ERR_OK && flagged < 0)
        rc = ERR_IO;
    if (rc == ERR_OK && h.protected_)
        rc = err_set(e, ERR_INPUT,
                     "the household is protected (support measures against disclosure): "
                     "commissioners never see it");
    if (rc == ERR_OK && flagged == (on != 0))
        rc = err_set(e, ERR_INPUT,
                     on ? "commissioners may see the household already"
                        : "the household is not marked for commissioners");
    if (rc == ERR_OK && on && h.consent != CONSENT_YES)
        rc = err_set(e, ERR_FORBIDDEN,
                     "the household's consent is %s, so it cannot be marked for commissioners "
                     "(the mark says its consent covers them); a support meeting's decision is "
                     "shared with the agency %s with basis meeting",
                     consent_name(h.consent), "民生委員");
    sqlite3_stmt *st = NULL;
    if (rc == ERR_OK &&
        (st = store_prepare(s,
                            on ? "INSERT INTO household_commissioner(ext_id, set_by) VALUES(?1, ?2)"
                               : "DELETE FROM household_commissioner WHERE ext_id = ?1",
                            "marking a household for commissioners", e)) == NULL)
        rc = ERR_IO;
    if (rc == ERR_OK) {
        sqlite3_bind_text(st, 1, ext_id, -1, SQLITE_TRANSIENT);
        if (on)
            sqlite3_bind_text(st, 2, by ? by : "?", -1, SQLITE_TRANSIENT);
        int src = sqlite3_step(st);
        if (src != SQLITE_DONE)
            rc = store_fail(s, e, "marking a household for commissioners");
    }
    sqlite3_finalize(st);
    if (rc != ERR_OK) {
        store_rollback(s);
        return rc;
    }
    return store_commit(s, e);
}

int store_household_sharing(struct store *s, const char *ext_id, const char *holder,
                            struct store_sharing_state *out, struct err *e)
{
    struct store_shares_hh h;
    out->consent = CONSENT_UNKNOWN;
    out->protected_ = out->commissioner = 0;
    if (store_shares_household(s, ext_id, holder, &h, e) != ERR_OK)
        return e->code;
    int flagged = store_commissioner_flagged(s, ext_id, e);
    if (flagged < 0)
        return ERR_IO;
    out->consent = h.consent;
    out->protected_ = h.protected_;
    out->commissioner = flagged;
    return ERR_OK;
}
