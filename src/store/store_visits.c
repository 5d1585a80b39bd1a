/* SPDX-License-Identifier: MIT */
/* store_visits.c - the store module's SQL for home visits (store_visits.h):
 * schema version 6 (the visits table; the households' `closed` date),
 * recording and listing visits, the households whose next visit is due,
 * closing a case.
 *
 * Entry points: store_visits_migrate (store_private.h), store_visit_add,
 * store_visits_each, store_visits_overdue, store_household_close.
 *
 * Every statement is a constant string with bound parameters, prepared per
 * call and finalized before returning. Messages never carry household data. */
#include "store.h"
#include "store_private.h"
#include "store_visits.h"

#include <string.h>

/* The visits table. The checks repeat the limits of access/visit.c, so a
 * row written by another program cannot break the readers either. */
static const char store_visits_schema[] =
    "CREATE TABLE IF NOT EXISTS visits(id INTEGER PRIMARY KEY,"
    " household TEXT NOT NULL,"
    " at TEXT NOT NULL CHECK(length(at) = 16),"
    " visitor1 TEXT NOT NULL CHECK(length(visitor1) BETWEEN 1 AND 64),"
    " visitor2 TEXT CHECK(visitor2 IS NULL OR length(visitor2) BETWEEN 1 AND 64),"
    " outcome TEXT NOT NULL CHECK(outcome IN ('会えた', '不在', '拒否', '支援につないだ',"
    " '緊急対応', 'その他')),"
    " note TEXT CHECK(note IS NULL OR length(note) <= 200),"
    " next_due TEXT CHECK(next_due IS NULL OR length(next_due) = 10),"
    " recorded_by TEXT NOT NULL,"
    " recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')));"
    "CREATE INDEX IF NOT EXISTS visits_household ON visits(household, at);";

int store_visits_migrate(struct store *s, struct err *e)
{
    char *msg = NULL;
    if (sqlite3_exec(store_sqlite(s), store_visits_schema, NULL, NULL, &msg) != SQLITE_OK) {
        err_set(e, ERR_IO, "database error while adding visits: %s",
                msg ? msg : sqlite3_errmsg(store_sqlite(s)));
        sqlite3_free(msg);
        return ERR_IO;
    }
    if (store_srid(s) == 0) {
        /* store_open loads the srid after migrating: ask meta directly. */
        char buf[32];
        if (store_meta_get(s, "srid", buf, sizeof buf, NULL) != ERR_OK)
            return ERR_OK; /* no households table yet: store_init_srid creates it with `closed` */
    }
    sqlite3_stmt *st = store_prepare(
        s, "SELECT COUNT(*) FROM pragma_table_info('households') WHERE name = 'closed'",
        "reading the schema", e);
    if (st == NULL)
        return ERR_IO;
    int has = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
    sqlite3_finalize(st);
    if (!has && sqlite3_exec(store_sqlite(s), "ALTER TABLE households ADD COLUMN closed TEXT", NULL,
                             NULL, NULL) != SQLITE_OK)
        return store_fail(s, e, "adding the households' closed date");
    return ERR_OK;
}

static void store_visits_bind(sqlite3_stmt *st, int i, const char *t)
{
    if (t == NULL || t[0] == '\0')
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_text(st, i, t, -1, SQLITE_TRANSIENT);
}

static const char *store_visits_col(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

int store_visit_add(struct store *s, const struct store_visit *v, long *id, struct err *e)
{
    *id = 0;
    if (store_srid(s) == 0)
        return err_set(e, ERR_NOTFOUND, "there is no household with this id");
    sqlite3_stmt *st = store_prepare(
        s,
        "INSERT INTO visits(household, at, visitor1, visitor2, outcome, note, next_due,"
        " recorded_by) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8"
        " WHERE EXISTS (SELECT 1 FROM households WHERE ext_id = ?1)",
        "recording a visit", e);
    if (st == NULL)
        return ERR_IO;
    const char *t[] = {v->household, v->at,   v->visitor1, v->visitor2,
                       v->outcome,   v->note, v->next_due, v->recorded_by};
    for (int i = 0; i < 8; i++)
        store_visits_bind(st, i + 1, t[i]);
    int src = sqlite3_step(st);
    int rc = ERR_OK;
    if ((src & 0xff) == SQLITE_CONSTRAINT)
        rc = err_set(e, ERR_INPUT, "the visit's values are out of range");
    else if (src != SQLITE_DONE)
        rc = store_fail(s, e, "recording a visit");
    else if (sqlite3_changes(store_sqlite(s)) == 0)
        rc = err_set(e, ERR_NOTFOUND, "there is no household with this id");
    else
        *id = (long)sqlite3_last_insert_rowid(store_sqlite(s));
    sqlite3_finalize(st);
    return rc;
}

int store_visits_each(struct store *s, const char *household, long limit,
                      int (*fn)(void *ctx, const struct store_visit *v), void *ctx, struct err *e)
{
    sqlite3_stmt *st = store_prepare(
        s,
        "SELECT id, household, at, visitor1, visitor2, outcome, note, next_due, recorded_by,"
        " recorded_at FROM visits WHERE household = ?1 ORDER BY at DESC, id DESC",
        "reading visits", e);
    if (st == NULL)
        return ERR_IO;
    store_visits_bind(st, 1, household ? household : "");
    int rc = ERR_OK, src;
    long seen = 0;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        if (seen++ == limit) {
            rc = err_set(e, ERR_LIMIT, "the household has more than %ld visits", limit);
            break;
        }
        struct store_visit v = {
            .id = (long)sqlite3_column_int64(st, 0),
            .household = store_visits_col(st, 1),
            .at = store_visits_col(st, 2),
            .visitor1 = store_visits_col(st, 3),
            .visitor2 = store_visits_col(st, 4),
            .outcome = store_visits_col(st, 5),
            .note = store_visits_col(st, 6),
            .next_due = store_visits_col(st, 7),
            .recorded_by = store_visits_col(st, 8),
            .recorded_at = store_visits_col(st, 9),
        };
        if ((rc = fn(ctx, &v)) != ERR_OK)
            break;
    }
    return store_finish(s, st, src == SQLITE_ROW && rc != ERR_OK ? SQLITE_DONE : src, rc,
                        "reading visits", e);
}

int store_visits_overdue(struct store *s, const char *level, const char *today,
                         int (*fn)(void *ctx, const struct store_overdue *o), void *ctx,
                         struct err *e)
{
    if (store_srid(s) == 0)
        return ERR_OK;
    sqlite3_stmt *st = store_prepare(
        s,
        "SELECT h.ext_id, v.next_due, v.at, v.outcome,"
        " (SELECT code FROM districts WHERE id = " STORE_DISTRICT_OF(
            "?1", "h.geom") ")"
                            " FROM households h JOIN visits v ON v.id = (SELECT w.id FROM visits w"
                            " WHERE w.household = h.ext_id ORDER BY w.at DESC, w.id DESC LIMIT 1)"
                            " WHERE h.closed IS NULL AND v.next_due IS NOT NULL"
                            " AND v.next_due <= ?2 ORDER BY v.next_due, h.id",
        "listing overdue households", e);
    if (st == NULL)
        return ERR_IO;
    store_visits_bind(st, 1, level);
    store_visits_bind(st, 2, today);
    int rc = ERR_OK, src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_overdue o = {
            .ext_id = store_visits_col(st, 0),
            .due = store_visits_col(st, 1),
            .last_at = store_visits_col(st, 2),
            .last_outcome = store_visits_col(st, 3),
            .district = store_visits_col(st, 4),
        };
        if ((rc = fn(ctx, &o)) != ERR_OK)
            break;
    }
    return store_finish(s, st, src == SQLITE_ROW && rc != ERR_OK ? SQLITE_DONE : src, rc,
                        "listing overdue households", e);
}

int store_household_close(struct store *s, const char *ext_id, const char *date, struct err *e)
{
    if (store_srid(s) == 0)
        return err_set(e, ERR_NOTFOUND, "there is no household with this id");
    sqlite3_stmt *st = store_prepare(s, "UPDATE households SET closed = ?2 WHERE ext_id = ?1",
                                     "closing a household", e);
    if (st == NULL)
        return ERR_IO;
    store_visits_bind(st, 1, ext_id ? ext_id : "");
    store_visits_bind(st, 2, date);
    int src = sqlite3_step(st);
    int rc = ERR_OK;
    if (src != SQLITE_DONE)
        rc = store_fail(s, e, "closing a household");
    else if (sqlite3_changes(store_sqlite(s)) == 0)
        rc = err_set(e, ERR_NOTFOUND, "there is no household with this id");
    sqlite3_finalize(st);
    return rc;
}
