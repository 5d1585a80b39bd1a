/* SPDX-License-Identifier: MIT */
/* store_basemap.c - the offline base map's table (see store_basemap.h):
 * its migration (schema version 11), the writer an import uses, and the
 * reads of the tile service. Entry points: store_basemap_migrate
 * (store_private.h), store_basemap_begin, store_basemap_add,
 * store_basemap_finish, store_basemap_end, store_basemap_each, store_basemap_extent,
 * store_basemap_count. The households table is never named here. */
#include "store_basemap.h"

#include "store_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct store_basemap_writer {
    struct store *s;   /* the store (borrowed) */
    sqlite3_stmt *row; /* INSERT INTO basemap */
    char source[256];  /* the source the rows belong to */
};

int store_basemap_migrate(struct store *s, struct err *e)
{
    const char *sql =
        "CREATE TABLE IF NOT EXISTS basemap(id INTEGER PRIMARY KEY, source TEXT NOT NULL,"
        " class TEXT NOT NULL, subclass TEXT, name TEXT, minzoom INTEGER NOT NULL, area REAL,"
        " geom BLOB NOT NULL);"
        "CREATE INDEX IF NOT EXISTS basemap_source ON basemap(source);"
        "CREATE VIRTUAL TABLE IF NOT EXISTS basemap_rtree USING rtree(id, minx, maxx, miny,"
        " maxy);";
    if (sqlite3_exec(store_sqlite(s), sql, NULL, NULL, NULL) != SQLITE_OK)
        return store_fail(s, e, "creating the base map table");
    return ERR_OK;
}

void store_basemap_end(struct store_basemap_writer *w)
{
    if (w == NULL)
        return;
    sqlite3_finalize(w->row);
    free(w);
}

struct store_basemap_writer *store_basemap_begin(struct store *s, const char *source, struct err *e)
{
    struct store_basemap_writer *w = calloc(1, sizeof *w);
    if (w == NULL)
        return err_nomem(e), NULL;
    w->s = s;
    snprintf(w->source, sizeof w->source, "%s", source);
    /* Only the rows: store_basemap_finish rebuilds the R*Tree at once,
     * which costs less than deleting its entries one by one. */
    sqlite3_stmt *del =
        store_prepare(s, "DELETE FROM basemap WHERE source = ?1", "replacing the base map", e);
    if (del == NULL)
        goto fail;
    sqlite3_bind_text(del, 1, source, -1, SQLITE_STATIC);
    if (store_finish(s, del, sqlite3_step(del), ERR_OK, "replacing the base map", e) != ERR_OK)
        goto fail;
    /* ?6 WKB, ?7 SRID, ?8 polygonal: the area only for polygons. */
    w->row = store_prepare(
        s,
        "INSERT INTO basemap(source, class, subclass, name, minzoom, area, geom)"
        " VALUES(?1, ?2, ?3, ?4, ?5, CASE WHEN ?8 THEN ST_Area(GeomFromWKB(?6, ?7)) END,"
        " GeomFromWKB(?6, ?7))",
        "writing the base map", e);
    if (w->row == NULL)
        goto fail;
    return w;
fail:
    store_basemap_end(w);
    return NULL;
}

static void store_basemap_text(sqlite3_stmt *st, int i, const char *t)
{
    if (t == NULL || *t == '\0')
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_text(st, i, t, -1, SQLITE_TRANSIENT);
}

int store_basemap_add(struct store_basemap_writer *w, const char *cls, const char *subclass,
                      const char *name, int minzoom, const unsigned char *wkb, size_t len,
                      struct err *e)
{
    /* WKB type: byte 0 order (little-endian from the import), 1..4 type. */
    unsigned type = len >= 5 ? (unsigned)wkb[1] : 0;
    sqlite3_stmt *st = w->row;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    sqlite3_bind_text(st, 1, w->source, -1, SQLITE_STATIC);
    store_basemap_text(st, 2, cls);
    store_basemap_text(st, 3, subclass);
    store_basemap_text(st, 4, name);
    sqlite3_bind_int(st, 5, minzoom);
    sqlite3_bind_blob(st, 6, wkb, (int)len, SQLITE_STATIC);
    sqlite3_bind_int(st, 7, store_srid(w->s));
    sqlite3_bind_int(st, 8, type == 3 || type == 6);
    if (sqlite3_step(st) != SQLITE_DONE)
        return store_fail(w->s, e, "writing the base map");
    return ERR_OK;
}

int store_basemap_finish(struct store_basemap_writer *w, struct err *e)
{
    /* Every source's rows, repacked (store_rtree.c): the boxes an INSERT of
     * MbrMinX(geom), ... per row stored, in one pass. */
    return store_rtree_pack(w->s, "basemap_rtree",
                            "SELECT id, MbrMinX(geom), MbrMaxX(geom), MbrMinY(geom),"
                            " MbrMaxY(geom) FROM basemap ORDER BY id",
                            e);
}

int store_basemap_each(struct store *s, int z, double min_area, const double xy_box[4], long limit,
                       int (*fn)(void *ctx, const struct store_tiles_row *r), void *ctx,
                       struct err *e)
{
    if (store_srid(s) == 0 || limit < 0)
        return ERR_OK; /* no CRS: nothing was imported */
    sqlite3_stmt *st = store_prepare(
        s,
        "SELECT id, ST_AsBinary(ST_Transform(geom, 4326)), class, subclass, name FROM basemap"
        " WHERE minzoom <= ?1 AND (area IS NULL OR area >= ?7) AND id IN (SELECT id FROM"
        " basemap_rtree WHERE minx <= ?4 AND maxx >= ?2 AND miny <= ?5 AND maxy >= ?3)"
        " ORDER BY id LIMIT ?6",
        "reading the base map", e);
    if (st == NULL)
        return ERR_IO;
    sqlite3_bind_int(st, 1, z);
    for (int i = 0; i < 4; i++)
        sqlite3_bind_double(st, 2 + i, xy_box[i]);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)limit + 1);
    sqlite3_bind_double(st, 7, min_area);
    int rc = ERR_OK, step;
    long rows = 0;
    while (rc == ERR_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        if (rows++ == limit) {
            rc = err_set(e, ERR_LIMIT, "more than %ld features meet this tile", limit);
            break;
        }
        struct store_tiles_row r = {
            .id = (long)sqlite3_column_int64(st, 0),
            .wkb = sqlite3_column_blob(st, 1),
            .wkb_len = (size_t)sqlite3_column_bytes(st, 1),
        };
        for (int i = 0; i < 3; i++)
            r.text[i] = (const char *)sqlite3_column_text(st, 2 + i);
        if (r.wkb == NULL || r.wkb_len == 0)
            continue;
        rc = fn(ctx, &r);
    }
    return store_finish(s, st, rc == ERR_OK ? step : SQLITE_DONE, rc, "reading the base map", e);
}

int store_basemap_extent(struct store *s, double box[4], struct err *e)
{
    sqlite3_stmt *st =
        store_prepare(s, "SELECT MIN(minx), MIN(miny), MAX(maxx), MAX(maxy) FROM basemap_rtree",
                      "reading the base map's extent", e);
    if (st == NULL)
        return ERR_IO;
    int step = sqlite3_step(st), rc = ERR_OK;
    if (step == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_NULL)
        rc = err_set(e, ERR_NOTFOUND, "the base map is empty");
    else if (step == SQLITE_ROW)
        for (int i = 0; i < 4; i++)
            box[i] = sqlite3_column_double(st, i);
    return store_finish(s, st, step == SQLITE_ROW ? SQLITE_DONE : step, rc,
                        "reading the base map's extent", e);
}

long store_basemap_count(struct store *s, const char *source, const char *cls)
{
    struct err e = {0};
    sqlite3_stmt *st =
        store_prepare(s,
                      "SELECT COUNT(*) FROM basemap WHERE source = ?1 AND (?2 IS NULL OR"
                      " class = ?2)",
                      "counting the base map", &e);
    if (st == NULL)
        return -1;
    sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
    store_basemap_text(st, 2, cls);
    long n = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
}
