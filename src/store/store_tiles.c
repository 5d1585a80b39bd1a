/* SPDX-License-Identifier: MIT */
/* store_tiles.c - the store module's read side for map tiles (see the
 * "tiles" section of store.h): the data version, the features of a layer
 * meeting a box through the R*Tree spatial index, with their geometry in
 * WGS84, every street in the database SRID (for the tile service's own
 * index), and a layer's extent. Entry points: store_tiles_version,
 * store_tiles_each, store_tiles_native_each, store_tiles_extent.
 *
 * Statements are constant strings with bound parameters, prepared per call
 * (a tile is built once and then served from the cache), except the data
 * version's, which every tile request asks and store.c keeps prepared. The
 * households table is never named here. */
#include "hash.h"
#include "store.h"
#include "store_private.h"

#include <string.h>

/* Columns every feature statement returns: id, WKB in WGS84, six text
 * columns, flags. The box filter uses the R*Tree of the table: ?2..?5 the
 * box, ?6 the row limit; ?1 the level (districts) or NULL. */
#define STORE_TILES_BOX(table)                                                                     \
    "id IN (SELECT pkid FROM idx_" table "_geom WHERE xmin <= ?4 AND xmax >= ?2 AND "              \
    "ymin <= ?5 AND ymax >= ?3) ORDER BY id LIMIT ?6"

static const char *const store_tiles_sql[] = {
    [STORE_TILES_DISTRICTS] =
        "SELECT id, ST_AsBinary(ST_Transform(geom, 4326)), code, name, level, NULL, NULL, NULL, "
        "0 FROM districts WHERE level = ?1 AND " STORE_TILES_BOX("districts"),
    [STORE_TILES_RESOURCES] =
        "SELECT id, ST_AsBinary(ST_Transform(geom, 4326)), rid, name, kind, fields, "
        "hub_type, schedule, 0 FROM resources WHERE ?1 IS NULL AND retired IS NULL "
        "AND " STORE_TILES_BOX("resources"),
    [STORE_TILES_STREETS] =
        "SELECT id, ST_AsBinary(ST_Transform(geom, 4326)), highway, name, NULL, NULL, NULL, "
        "NULL, flags FROM net_edges WHERE ?1 IS NULL AND " STORE_TILES_BOX("net_edges"),
};

/* Extents in the database SRID: the R*Tree's boxes (rounded outward) where
 * no attribute filters, Extent() of the level's districts otherwise. */
static const char *const store_tiles_extent_sql[] = {
    [STORE_TILES_DISTRICTS] = "SELECT MbrMinX(e), MbrMinY(e), MbrMaxX(e), MbrMaxY(e) FROM "
                              "(SELECT Extent(geom) AS e FROM districts WHERE level = ?1)",
    [STORE_TILES_RESOURCES] =
        "SELECT MIN(xmin), MIN(ymin), MAX(xmax), MAX(ymax) FROM idx_resources_geom WHERE pkid IN "
        "(SELECT id FROM resources WHERE retired IS NULL)",
    [STORE_TILES_STREETS] =
        "SELECT MIN(xmin), MIN(ymin), MAX(xmax), MAX(ymax) FROM idx_net_edges_geom",
};

static int store_tiles_fail(sqlite3 *db, struct err *e, const char *what)
{
    return err_set(e, ERR_IO, "database error while %s: %s", what, sqlite3_errmsg(db));
}

int store_tiles_version(struct store *s, unsigned long long *version, struct err *e)
{
    sqlite3 *db = store_sqlite(s);
    /* Kept prepared (store.c): this runs on every tile request, cache hits
     * included, and preparing it took about 40 % of a cached tile's CPU. */
    sqlite3_stmt *st = store_tiles_version_stmt(s, e);
    if (st == NULL)
        return ERR_IO;
    int rc = ERR_OK;
    if (sqlite3_step(st) == SQLITE_ROW) {
        uint64_t h = HASH_FNV_SEED;
        long long count = sqlite3_column_int64(st, 0), last = sqlite3_column_int64(st, 1);
        const unsigned char *at = sqlite3_column_text(st, 2);
        int srid = store_srid(s);
        h = hash_fnv(h, &count, sizeof count);
        h = hash_fnv(h, &last, sizeof last);
        h = hash_fnv(h, &srid, sizeof srid);
        if (at)
            h = hash_fnv(h, at, strlen((const char *)at));
        *version = h;
    } else {
        rc = store_tiles_fail(db, e, "reading the import log");
    }
    sqlite3_reset(st); /* ends the read transaction: the next call sees new imports */
    return rc;
}

/* Binds the level (text or NULL) as ?1. */
static void store_tiles_bind_level(sqlite3_stmt *st, int layer, const char *level)
{
    if (layer == STORE_TILES_DISTRICTS && level)
        sqlite3_bind_text(st, 1, level, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 1);
}

/* Steps the prepared statement st (columns: id, WKB, ntext texts, and
 * the flags in column flags_col), calling fn for each row with a geometry,
 * and finalizes it. ERR_LIMIT ("more than LIMIT features WHERE") on row
 * limit + 1, the store's error naming `reading` when SQLite fails, or fn's
 * code. */
static int store_tiles_rows(sqlite3 *db, sqlite3_stmt *st, long limit, int ntext, int flags_col,
                            const char *where, const char *reading,
                            int (*fn)(void *ctx, const struct store_tiles_row *r), void *ctx,
                            struct err *e)
{
    int rc = ERR_OK, step = SQLITE_DONE;
    long rows = 0;
    while (rc == ERR_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        if (rows == limit) {
            rc = err_set(e, ERR_LIMIT, "more than %ld features %s", limit, where);
            break;
        }
        rows++;
        struct store_tiles_row r = {
            .id = (long)sqlite3_column_int64(st, 0),
            .wkb = sqlite3_column_blob(st, 1),
            .wkb_len = (size_t)sqlite3_column_bytes(st, 1),
            .flags = (long)sqlite3_column_int64(st, flags_col),
        };
        for (int i = 0; i < ntext && i < STORE_TILES_TEXT_MAX; i++)
            r.text[i] = (const char *)sqlite3_column_text(st, 2 + i);
        if (r.wkb == NULL || r.wkb_len == 0)
            continue; /* a NULL geometry has nothing to draw */
        rc = fn(ctx, &r);
    }
    if (rc == ERR_OK && step != SQLITE_DONE)
        rc = store_tiles_fail(db, e, reading);
    sqlite3_finalize(st);
    return rc;
}

int store_tiles_each(struct store *s, int layer, const char *level, const double xy_box[4],
                     long limit, int (*fn)(void *ctx, const struct store_tiles_row *r), void *ctx,
                     struct err *e)
{
    if (layer < STORE_TILES_DISTRICTS || layer > STORE_TILES_STREETS || limit < 0)
        return err_set(e, ERR_INTERNAL, "store_tiles_each: no such layer or limit");
    if (store_srid(s) == 0)
        return ERR_OK; /* nothing imported: no spatial tables yet */
    sqlite3 *db = store_sqlite(s);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, store_tiles_sql[layer], -1, &st, NULL) != SQLITE_OK)
        return store_tiles_fail(db, e, "preparing a tile query");
    store_tiles_bind_level(st, layer, level);
    for (int i = 0; i < 4; i++)
        sqlite3_bind_double(st, 2 + i, xy_box[i]);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)limit + 1); /* one more tells "over the limit" */
    return store_tiles_rows(db, st, limit, STORE_TILES_TEXT_MAX, 8, "meet this tile",
                            "reading features for a tile", fn, ctx, e);
}

int store_tiles_native_each(struct store *s, int layer, long limit,
                            int (*fn)(void *ctx, const struct store_tiles_row *r), void *ctx,
                            struct err *e)
{
    if (layer != STORE_TILES_STREETS || limit < 0)
        return err_set(e, ERR_INTERNAL, "store_tiles_native_each: no such layer or limit");
    if (store_srid(s) == 0)
        return ERR_OK; /* nothing imported: no spatial tables yet */
    sqlite3 *db = store_sqlite(s);
    sqlite3_stmt *st;
    /* ST_AsBinary without ST_Transform: no per-row PROJ set-up, which cost
     * SpatiaLite about 12 µs per edge (a spatial_ref_sys look-up each). */
    if (sqlite3_prepare_v2(db,
                           "SELECT id, ST_AsBinary(geom), highway, name, flags FROM net_edges "
                           "ORDER BY id LIMIT ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return store_tiles_fail(db, e, "preparing the streets query");
    sqlite3_bind_int64(st, 1, (sqlite3_int64)limit + 1);
    return store_tiles_rows(db, st, limit, 2, 4, "are in the layer", "reading the streets", fn, ctx,
                            e);
}

int store_tiles_extent(struct store *s, int layer, const char *level, double box[4], struct err *e)
{
    if (layer < STORE_TILES_DISTRICTS || layer > STORE_TILES_STREETS)
        return err_set(e, ERR_INTERNAL, "store_tiles_extent: no such layer");
    if (store_srid(s) == 0)
        return err_set(e, ERR_NOTFOUND, "the layer is empty");
    sqlite3 *db = store_sqlite(s);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, store_tiles_extent_sql[layer], -1, &st, NULL) != SQLITE_OK)
        return store_tiles_fail(db, e, "preparing an extent query");
    store_tiles_bind_level(st, layer, level);
    int rc = ERR_OK;
    if (sqlite3_step(st) != SQLITE_ROW)
        rc = store_tiles_fail(db, e, "computing an extent");
    else if (sqlite3_column_type(st, 0) == SQLITE_NULL)
        rc = err_set(e, ERR_NOTFOUND, "the layer is empty");
    else
        for (int i = 0; i < 4; i++)
            box[i] = sqlite3_column_double(st, i);
    sqlite3_finalize(st);
    return rc;
}
