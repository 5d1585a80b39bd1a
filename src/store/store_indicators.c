/* SPDX-License-Identifier: MIT */
/* store_indicators.c - the small areas' named indicators (see
 * store_indicators.h): the table of schema version 6, the trigger that
 * keeps it with its areas, writes by area rowid or by area code, and the
 * reads the needs answer makes (each value with the district of the
 * area's representative point). Entry points: store_indicators_migrate
 * (store_private.h), store_indicators_ready, store_indicators_last_area,
 * store_indicator_set, store_indicators_set_by_code, store_indicators_each,
 * store_indicators_names. */
#include "store_indicators.h"

#include "store_private.h"

#include <string.h>

int store_indicators_migrate(struct store *s, struct err *e)
{
    sqlite3 *db = store_sqlite(s);
    const char *sql = "CREATE TABLE IF NOT EXISTS area_indicators(area INTEGER NOT NULL,"
                      " name TEXT NOT NULL, code TEXT, value REAL NOT NULL, source TEXT NOT NULL,"
                      " PRIMARY KEY(area, name));"
                      "CREATE INDEX IF NOT EXISTS area_indicators_name ON area_indicators(name);";
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return store_fail(s, e, "creating the indicators table");
    return ERR_OK;
}

int store_indicators_ready(struct store *s, struct err *e)
{
    if (store_srid(s) == 0)
        return ERR_OK; /* no areas table yet */
    const char *sql = "CREATE TRIGGER IF NOT EXISTS areas_indicators_delete AFTER DELETE ON areas"
                      " BEGIN DELETE FROM area_indicators WHERE area = OLD.id; END;"
                      "DELETE FROM area_indicators WHERE area NOT IN (SELECT id FROM areas);";
    if (sqlite3_exec(store_sqlite(s), sql, NULL, NULL, NULL) != SQLITE_OK)
        return store_fail(s, e, "preparing the indicators table");
    return ERR_OK;
}

long store_indicators_last_area(struct store *s)
{
    return (long)sqlite3_last_insert_rowid(store_sqlite(s));
}

static void store_indicators_bind(sqlite3_stmt *st, int i, const char *t)
{
    if (t == NULL)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_text(st, i, t, -1, SQLITE_TRANSIENT);
}

int store_indicator_set(struct store *s, long area, const char *name, const char *code,
                        double value, const char *source, struct err *e)
{
    sqlite3_stmt *st = store_prepare(s,
                                     "INSERT OR REPLACE INTO area_indicators(area, name, code,"
                                     " value, source) VALUES(?1, ?2, ?3, ?4, ?5)",
                                     "writing an indicator", e);
    if (st == NULL)
        return ERR_IO;
    sqlite3_bind_int64(st, 1, area);
    store_indicators_bind(st, 2, name);
    store_indicators_bind(st, 3, code);
    sqlite3_bind_double(st, 4, value);
    store_indicators_bind(st, 5, source);
    return store_finish(s, st, sqlite3_step(st), ERR_OK, "writing an indicator", e);
}

int store_indicators_set_by_code(struct store *s, const char *area_code, const char *name,
                                 const char *code, double value, const char *source, long *matched,
                                 struct err *e)
{
    *matched = 0;
    sqlite3_stmt *st = store_prepare(s,
                                     "INSERT OR REPLACE INTO area_indicators(area, name, code,"
                                     " value, source) SELECT id, ?2, ?3, ?4, ?5 FROM areas"
                                     " WHERE code = ?1",
                                     "writing an indicator", e);
    if (st == NULL)
        return ERR_IO;
    store_indicators_bind(st, 1, area_code);
    store_indicators_bind(st, 2, name);
    store_indicators_bind(st, 3, code);
    sqlite3_bind_double(st, 4, value);
    store_indicators_bind(st, 5, source);
    int rc = store_finish(s, st, sqlite3_step(st), ERR_OK, "writing an indicator", e);
    if (rc == ERR_OK)
        *matched = (long)sqlite3_changes(store_sqlite(s));
    return rc;
}

int store_indicators_each(struct store *s, const char *level,
                          int (*fn)(void *ctx, const struct store_indicator_row *r), void *ctx,
                          struct err *e)
{
    if (store_srid(s) == 0)
        return ERR_OK;
    sqlite3_stmt *st = store_prepare(
        s,
        "SELECT v.area, a.district, v.name, v.value FROM area_indicators v JOIN"
        " (SELECT b.id, " STORE_DISTRICT_OF(
            "?1", "b.p") " AS district FROM (SELECT id,"
                         " COALESCE(ST_PointOnSurface(geom), ST_Centroid(geom)) AS p FROM areas) b"
                         " WHERE b.p IS NOT NULL) a ON a.id = v.area ORDER BY v.area, v.name",
        "reading indicators", e);
    if (st == NULL)
        return ERR_IO;
    store_indicators_bind(st, 1, level);
    int rc = ERR_OK, src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_indicator_row r = {
            .area = (long)sqlite3_column_int64(st, 0),
            .district = (long)sqlite3_column_int64(st, 1),
            .name = (const char *)sqlite3_column_text(st, 2),
            .value = sqlite3_column_double(st, 3),
        };
        if ((rc = fn(ctx, &r)) != ERR_OK)
            break;
    }
    return store_finish(s, st, src, rc, "reading indicators", e);
}

int store_indicators_names(struct store *s,
                           int (*fn)(void *ctx, const char *name, const char *code, long areas),
                           void *ctx, struct err *e)
{
    sqlite3_stmt *st = store_prepare(s,
                                     "SELECT name, MIN(code), COUNT(*) FROM area_indicators"
                                     " GROUP BY name ORDER BY name",
                                     "reading indicator names", e);
    if (st == NULL)
        return ERR_IO;
    int rc = ERR_OK, src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW)
        if ((rc = fn(ctx, (const char *)sqlite3_column_text(st, 0),
                     (const char *)sqlite3_column_text(st, 1),
                     (long)sqlite3_column_int64(st, 2))) != ERR_OK)
            break;
    return store_finish(s, st, src, rc, "reading indicator names", e);
}
