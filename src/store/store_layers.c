/* SPDX-License-Identifier: MIT */
/* store_layers.c - levels built from levels (see store_layers.h): the
 * temporary parts table, the mapping's checks and the unions. Entry points:
 * store_layers_start, store_layers_add, store_layers_map_check,
 * store_layers_build. */
#include "store_layers.h"

#include "store_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int store_layers_start(struct store *s, struct err *e)
{
    const char *sql = "CREATE TEMP TABLE IF NOT EXISTS layer_parts(grp TEXT NOT NULL,"
                      " name TEXT NOT NULL, code TEXT UNIQUE, line INTEGER NOT NULL, geom BLOB);"
                      "DELETE FROM temp.layer_parts;";
    if (sqlite3_exec(store_sqlite(s), sql, NULL, NULL, NULL) != SQLITE_OK)
        return store_fail(s, e, "preparing the parts of a level");
    return ERR_OK;
}

/* The line on which `code` was added, or 0. */
static long store_layers_line_of(struct store *s, const char *code)
{
    sqlite3_stmt *st = NULL;
    long line = 0;
    if (sqlite3_prepare_v2(store_sqlite(s), "SELECT line FROM temp.layer_parts WHERE code = ?1", -1,
                           &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW)
            line = (long)sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return line;
}

int store_layers_add(struct store *s, const char *grp, const char *name, const char *code,
                     long line, const unsigned char *wkb, size_t len, struct err *e)
{
    sqlite3_stmt *st = store_prepare(
        s,
        "INSERT INTO temp.layer_parts(grp, name, code, line, geom) SELECT ?1, ?2, ?3, ?4,"
        " CASE WHEN g IS NULL THEN NULL WHEN ST_IsValid(g) THEN g"
        " ELSE CollectionExtract(ST_MakeValid(g), 3) END FROM (SELECT ST_GeomFromWKB(?5, ?6) AS g)",
        "adding a part of a level", e);
    if (st == NULL)
        return ERR_IO;
    sqlite3_bind_text(st, 1, grp, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
    if (code)
        sqlite3_bind_text(st, 3, code, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, line);
    if (wkb)
        sqlite3_bind_blob(st, 5, wkb, (int)len, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 6, store_srid(s));
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return ERR_OK;
    if ((rc & 0xff) == SQLITE_CONSTRAINT && code)
        return err_set(e, ERR_INPUT, "code '%.40s' is mapped twice (also on line %ld)", code,
                       store_layers_line_of(s, code));
    return store_fail(s, e, "adding a part of a level");
}

/* Runs `sql` (binding `level` as ?1 when given) and copies the first
 * column of its first row into buf (n bytes) and the second as *num.
 * Returns 1 for a row, 0 for none, -1 on a database error (in e). */
static int store_layers_first(struct store *s, const char *sql, const char *level, char *buf,
                              size_t n, long *num, struct err *e)
{
    sqlite3_stmt *st = store_prepare(s, sql, "checking the mapping", e);
    if (st == NULL)
        return -1;
    if (level)
        sqlite3_bind_text(st, 1, level, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    int got = rc == SQLITE_ROW;
    if (got) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        snprintf(buf, n, "%s", t ? t : "");
        if (num)
            *num = (long)sqlite3_column_int64(st, 1);
    }
    if (store_finish(s, st, got ? SQLITE_DONE : rc, ERR_OK, "checking the mapping", e) != ERR_OK)
        return -1;
    return got;
}

/* Writes "A (name), B (name), ... and N more" for the districts of `level`
 * the mapping leaves out into buf; *count receives how many. */
static int store_layers_unmapped(struct store *s, const char *level, char *buf, size_t n,
                                 long *count, struct err *e)
{
    sqlite3_stmt *st = store_prepare(s,
                                     "SELECT code, name FROM districts WHERE level = ?1 AND code"
                                     " NOT IN (SELECT code FROM temp.layer_parts WHERE code IS"
                                     " NOT NULL) ORDER BY code",
                                     "checking the mapping", e);
    if (st == NULL)
        return ERR_IO;
    sqlite3_bind_text(st, 1, level, -1, SQLITE_TRANSIENT);
    size_t used = 0;
    int rc;
    *count = 0;
    buf[0] = '\0';
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*count < STORE_LAYERS_UNMAPPED_SHOWN && used < n) {
            int w = snprintf(buf + used, n - used, "%s%.40s (%.60s)", *count ? ", " : "",
                             (const char *)sqlite3_column_text(st, 0),
                             (const char *)sqlite3_column_text(st, 1));
            used += w > 0 ? (size_t)w : 0;
        }
        (*count)++;
    }
    if (*count > STORE_LAYERS_UNMAPPED_SHOWN && used < n)
        snprintf(buf + used, n - used, " and %ld more", *count - STORE_LAYERS_UNMAPPED_SHOWN);
    return store_finish(s, st, rc, ERR_OK, "checking the mapping", e);
}

int store_layers_map_check(struct store *s, const char *from_level, struct err *e)
{
    char code[128], list[512];
    long line = 0, count = 0;
    int got = store_layers_first(s,
                                 "SELECT code, line FROM temp.layer_parts WHERE code IS NOT NULL"
                                 " AND code NOT IN (SELECT code FROM districts WHERE level = ?1)"
                                 " ORDER BY line LIMIT 1",
                                 from_level, code, sizeof code, &line, e);
    if (got < 0)
        return ERR_IO;
    if (got)
        return err_set(e, ERR_INPUT, "line %ld: '%.40s' is not a district code of level %s", line,
                       code, from_level);
    if (store_layers_unmapped(s, from_level, list, sizeof list, &count, e) != ERR_OK)
        return ERR_IO;
    if (count)
        return err_set(e, ERR_INPUT, "%ld district(s) of level %s are in no group: %s", count,
                       from_level, list);
    got = store_layers_first(s,
                             "SELECT grp, MIN(line) FROM temp.layer_parts GROUP BY grp"
                             " HAVING COUNT(DISTINCT name) > 1 ORDER BY MIN(line) LIMIT 1",
                             NULL, code, sizeof code, &line, e);
    if (got < 0)
        return ERR_IO;
    if (got)
        return err_set(e, ERR_INPUT, "group '%.40s' is given more than one name", code);
    const char *sql = "UPDATE temp.layer_parts SET geom = (SELECT geom FROM districts d"
                      " WHERE d.level = ?1 AND d.code = temp.layer_parts.code)"
                      " WHERE code IS NOT NULL";
    sqlite3_stmt *st = store_prepare(s, sql, "collecting the parts of a level", e);
    if (st == NULL)
        return ERR_IO;
    sqlite3_bind_text(st, 1, from_level, -1, SQLITE_TRANSIENT);
    return store_finish(s, st, sqlite3_step(st), ERR_OK, "collecting the parts of a level", e);
}

int store_layers_build(struct store *s, const char *level, const char *source, long *groups,
                       struct err *e)
{
    *groups = 0;
    /* The union of each group, whether it is a valid polygon, and its WKB;
     * a union GEOS cannot make (parts with no area left) comes back NULL. */
    sqlite3_stmt *st =
        store_prepare(s,
                      "SELECT grp, name, u IS NOT NULL AND ST_IsValid(u) = 1 AND ST_Area(u) > 0,"
                      " ST_AsBinary(u) FROM (SELECT grp, MIN(name) AS name,"
                      " CastToMultiPolygon(ST_Union(geom)) AS u FROM temp.layer_parts GROUP BY grp)"
                      " ORDER BY grp",
                      "joining the parts of a level", e);
    if (st == NULL)
        return ERR_IO;
    int rc = ERR_OK, step = SQLITE_DONE;
    while (rc == ERR_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *grp = (const char *)sqlite3_column_text(st, 0);
        const char *name = (const char *)sqlite3_column_text(st, 1);
        if (sqlite3_column_int(st, 2) != 1) {
            rc = err_set(e, ERR_INPUT,
                         "the union of group '%.40s' (%.60s) is not a valid polygon with area", grp,
                         name);
            break;
        }
        int len = sqlite3_column_bytes(st, 3);
        unsigned char *wkb = malloc((size_t)len);
        if (wkb == NULL) {
            rc = err_set(e, ERR_NOMEM, "out of memory joining the parts of a level");
            break;
        }
        memcpy(wkb, sqlite3_column_blob(st, 3), (size_t)len);
        struct store_district d = {level, grp, name, NULL, NULL, NULL, source};
        rc = store_district_insert(s, &d, wkb, (size_t)len, e);
        free(wkb);
        if (rc == ERR_OK)
            (*groups)++;
    }
    if (rc != ERR_OK) {
        sqlite3_finalize(st);
        return rc;
    }
    return store_finish(s, st, step, rc, "joining the parts of a level", e);
}
