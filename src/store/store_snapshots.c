/* SPDX-License-Identifier: MIT */
/* store_snapshots.c - the snapshots table (schema version 13) and its reads
 * and writes (see store_snapshots.h). Entry points: store_snapshots_migrate
 * (store_private.h), store_snapshot_insert, store_snapshot_get,
 * store_snapshots_each. */
#include "store_snapshots.h"

#include "store_private.h"

#include <string.h>

int store_snapshots_migrate(struct store *s, struct err *e)
{
    const char *sql = "CREATE TABLE IF NOT EXISTS snapshots(label TEXT PRIMARY KEY,"
                      " taken_at TEXT NOT NULL, data_version INTEGER NOT NULL,"
                      " params TEXT NOT NULL, coverage TEXT, needs TEXT, equipment TEXT)";
    if (sqlite3_exec(store_sqlite(s), sql, NULL, NULL, NULL) != SQLITE_OK)
        return store_fail(s, e, "creating the snapshots table");
    return ERR_OK;
}

static void store_snapshots_bind(sqlite3_stmt *st, int i, const char *t)
{
    if (t)
        sqlite3_bind_text(st, i, t, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

int store_snapshot_insert(struct store *st, const struct store_snapshot *s, struct err *e)
{
    const char *docs[] = {s->params, s->coverage, s->needs, s->equipment};
    for (size_t i = 0; i < 4; i++)
        if (docs[i] && strlen(docs[i]) > STORE_SNAPSHOT_DOC_MAX)
            return err_set(e, ERR_LIMIT, "the snapshot's answers are longer than %d bytes",
                           STORE_SNAPSHOT_DOC_MAX);
    sqlite3_stmt *q = store_prepare(st,
                                    "INSERT INTO snapshots(label, taken_at, data_version, params,"
                                    " coverage, needs, equipment) VALUES(?1,"
                                    " strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?2, ?3, ?4, ?5, ?6)",
                                    "storing a snapshot", e);
    if (q == NULL)
        return ERR_IO;
    store_snapshots_bind(q, 1, s->label);
    sqlite3_bind_int64(q, 2, (sqlite3_int64)s->data_version);
    for (int i = 0; i < 4; i++)
        store_snapshots_bind(q, 3 + i, docs[i]);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc == SQLITE_DONE)
        return ERR_OK;
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return err_set(e, ERR_INPUT, "a snapshot named '%s' exists already", s->label);
    return store_fail(st, e, "storing a snapshot");
}

/* Steps q (columns label, taken_at, data_version, params, coverage, needs,
 * equipment) and calls fn per row; *rows receives how many. */
static int store_snapshots_rows(struct store *st, sqlite3_stmt *q,
                                int (*fn)(void *ctx, const struct store_snapshot *s), void *ctx,
                                long *rows, struct err *e)
{
    int rc = ERR_OK, step;
    *rows = 0;
    while (rc == ERR_OK && (step = sqlite3_step(q)) == SQLITE_ROW) {
        struct store_snapshot s = {
            (const char *)sqlite3_column_text(q, 0),        (const char *)sqlite3_column_text(q, 1),
            (unsigned long long)sqlite3_column_int64(q, 2), (const char *)sqlite3_column_text(q, 3),
            (const char *)sqlite3_column_text(q, 4),        (const char *)sqlite3_column_text(q, 5),
            (const char *)sqlite3_column_text(q, 6),
        };
        (*rows)++;
        rc = fn(ctx, &s);
    }
    if (rc != ERR_OK) {
        sqlite3_finalize(q);
        return rc;
    }
    return store_finish(st, q, step, rc, "reading snapshots", e);
}

int store_snapshot_get(struct store *st, const char *label,
                       int (*fn)(void *ctx, const struct store_snapshot *s), void *ctx,
                       struct err *e)
{
    sqlite3_stmt *q = store_prepare(st,
                                    "SELECT label, taken_at, data_version, params, coverage, needs,"
                                    " equipment FROM snapshots WHERE label = ?1",
                                    "reading a snapshot", e);
    if (q == NULL)
        return ERR_IO;
    sqlite3_bind_text(q, 1, label, -1, SQLITE_TRANSIENT);
    long rows;
    int rc = store_snapshots_rows(st, q, fn, ctx, &rows, e);
    if (rc == ERR_OK && rows == 0)
        return err_set(e, ERR_NOTFOUND, "there is no snapshot named '%.64s' (snapshot --list)",
                       label);
    return rc;
}

int store_snapshots_each(struct store *st, int (*fn)(void *ctx, const struct store_snapshot *s),
                         void *ctx, struct err *e)
{
    sqlite3_stmt *q = store_prepare(st,
                                    "SELECT label, taken_at, data_version, params, NULL, NULL,"
                                    " NULL FROM snapshots ORDER BY taken_at, rowid",
                                    "reading snapshots", e);
    if (q == NULL)
        return ERR_IO;
    long rows;
    return store_snapshots_rows(st, q, fn, ctx, &rows, e);
}
