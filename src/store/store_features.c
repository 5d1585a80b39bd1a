/* SPDX-License-Identifier: MIT */
/* store_features.c - the store module's read side for the HTTP service (see
 * the "read side" section of store.h): districts containing a point, and
 * the public layers (districts by level, resources) as pages of GeoJSON
 * features in CRS84, their counts and extents. Entry points:
 * store_features_open/close, store_features_districts_at,
 * store_features_count, store_features_each, store_features_get,
 * store_features_extent.
 *
 * Every statement is a constant string with bound parameters, prepared once
 * per handle. The households table is never named here. */
#include "store.h"
#include "store_private.h"

#include <stdlib.h>

/* The handle's statements. */
enum store_features_stmt {
    SF_DISTRICTS_AT,
    SF_DISTRICTS_COUNT,
    SF_DISTRICTS_PAGE,
    SF_DISTRICTS_GET,
    SF_DISTRICTS_EXTENT,
    SF_RESOURCES_COUNT,
    SF_RESOURCES_PAGE,
    SF_RESOURCES_GET,
    SF_RESOURCES_EXTENT,
    SF_COUNT
};

/* Columns every feature statement returns first: id, geometry. */
#define SF_DISTRICT_COLS                                                                           \
    "id, AsGeoJSON(ST_Transform(geom, 4326), 7), level, code, name, "                              \
    "municipality, operator, address"
#define SF_RESOURCE_COLS                                                                           \
    "id, AsGeoJSON(ST_Transform(geom, 4326), 7), ext_id, name, kind, "                             \
    "fields, hub_type, address, schedule, contact, operator, target"

/* The bbox filter: ?2 = 1 turns it on; ?3..?6 the metric envelope (R*Tree
 * prefilter, which rounds outward), ?7..?10 the CRS84 box (exact test). */
#define SF_BBOX(table)                                                                             \
    "(?2 = 0 OR (id IN (SELECT pkid FROM idx_" table "_geom WHERE xmin <= ?5 AND "                 \
    "xmax >= ?3 AND ymin <= ?6 AND ymax >= ?4) AND "                                               \
    "ST_Intersects(ST_Transform(geom, 4326), BuildMbr(?7, ?8, ?9, ?10, 4326))))"

static const char *const store_features_sql[SF_COUNT] = {
    [SF_DISTRICTS_AT] =
        "SELECT d.level, d.code, d.name FROM districts d JOIN levels l ON l.name = d.level "
        "WHERE d.id IN (SELECT pkid FROM idx_districts_geom WHERE xmin <= ?1 AND xmax >= ?1 "
        "AND ymin <= ?2 AND ymax >= ?2) AND ST_Contains(d.geom, MakePoint(?1, ?2, ?3)) = 1 "
        "ORDER BY l.rank, d.code",
    [SF_DISTRICTS_COUNT] =
        "SELECT COUNT(*) FROM districts WHERE level = ?1 AND " SF_BBOX("districts"),
    [SF_DISTRICTS_PAGE] =
        "SELECT " SF_DISTRICT_COLS " FROM districts WHERE level = ?1 AND " SF_BBOX(
            "districts") " ORDER BY id LIMIT ?11 OFFSET ?12",
    [SF_DISTRICTS_GET] = "SELECT " SF_DISTRICT_COLS " FROM districts WHERE level = ?1 AND "
                         "id = ?13",
    [SF_DISTRICTS_EXTENT] =
        "SELECT MIN(MbrMinX(g)), MIN(MbrMinY(g)), MAX(MbrMaxX(g)), MAX(MbrMaxY(g)) FROM "
        "(SELECT ST_Transform(geom, 4326) AS g FROM districts WHERE ?1 IS NULL OR level = ?1)",
    [SF_RESOURCES_COUNT] =
        "SELECT COUNT(*) FROM resources WHERE ?1 IS NULL AND retired IS NULL AND " SF_BBOX(
            "resources"),
    [SF_RESOURCES_PAGE] = "SELECT " SF_RESOURCE_COLS
                          " FROM resources WHERE ?1 IS NULL AND retired IS NULL AND " SF_BBOX(
                              "resources") " ORDER BY id LIMIT ?11 OFFSET ?12",
    [SF_RESOURCES_GET] = "SELECT " SF_RESOURCE_COLS " FROM resources WHERE ?1 IS NULL AND "
                         "retired IS NULL AND id = ?13",
    [SF_RESOURCES_EXTENT] =
        "SELECT MIN(MbrMinX(g)), MIN(MbrMinY(g)), MAX(MbrMaxX(g)), MAX(MbrMaxY(g)) FROM "
        "(SELECT ST_Transform(geom, 4326) AS g FROM resources WHERE ?1 IS NULL AND retired IS "
        "NULL)",
};

/* Property names after the id and geometry columns, per layer. */
static const char *const store_features_district_keys[] = {"level",        "code",     "name",
                                                           "municipality", "operator", "address"};
static const char *const store_features_resource_keys[] = {
    "source_id", "name",     "kind",    "fields",   "hub_type",
    "address",   "schedule", "contact", "operator", "target"};
#define SF_MAX_PROPS 10

struct store_features {
    struct store *st;             /* borrowed store handle */
    sqlite3 *db;                  /* its connection (borrowed) */
    sqlite3_stmt *stmt[SF_COUNT]; /* prepared on first use, owned */
};

struct store_features *store_features_open(struct store *s, struct err *e)
{
    struct store_features *f = calloc(1, sizeof *f);
    if (f == NULL)
        return err_nomem(e), NULL;
    f->st = s;
    f->db = store_sqlite(s);
    return f;
}

void store_features_close(struct store_features *f)
{
    if (f == NULL)
        return;
    for (int i = 0; i < SF_COUNT; i++)
        sqlite3_finalize(f->stmt[i]);
    free(f);
}

static int store_features_fail(struct store_features *f, struct err *e, const char *what)
{
    return err_set(e, ERR_IO, "database error while %s: %s", what, sqlite3_errmsg(f->db));
}

/* The statement `id`, reset and unbound; NULL with ERR_IO when it cannot be
 * prepared (e.g. a database without spatial tables). */
static sqlite3_stmt *store_features_stmt(struct store_features *f, enum store_features_stmt id,
                                         struct err *e)
{
    if (f->stmt[id] == NULL &&
        sqlite3_prepare_v3(f->db, store_features_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                           &f->stmt[id], NULL) != SQLITE_OK) {
        store_features_fail(f, e, "preparing a query");
        return NULL;
    }
    sqlite3_reset(f->stmt[id]);
    sqlite3_clear_bindings(f->stmt[id]);
    return f->stmt[id];
}

int store_features_districts_at(struct store_features *f, double x, double y,
                                int (*fn)(void *ctx, const char *level, const char *code,
                                          const char *name),
                                void *ctx, struct err *e)
{
    sqlite3_stmt *st = store_features_stmt(f, SF_DISTRICTS_AT, e);
    if (st == NULL)
        return ERR_IO;
    sqlite3_bind_double(st, 1, x);
    sqlite3_bind_double(st, 2, y);
    sqlite3_bind_int(st, 3, store_srid(f->st));
    int rc = ERR_OK, step = SQLITE_DONE;
    while (rc == ERR_OK && (step = sqlite3_step(st)) == SQLITE_ROW)
        rc = fn(ctx, (const char *)sqlite3_column_text(st, 0),
                (const char *)sqlite3_column_text(st, 1), (const char *)sqlite3_column_text(st, 2));
    if (rc == ERR_OK && step != SQLITE_DONE)
        rc = store_features_fail(f, e, "finding the districts at a point");
    sqlite3_reset(st);
    return rc;
}

/* Picks the statement of q's layer (`districts` or `resources` variant) and
 * binds the level, the bbox filter, paging and the id. Every statement
 * numbers its parameters alike; binding a number a statement does not use
 * fails with SQLITE_RANGE and changes nothing, so it is not checked. */
static sqlite3_stmt *store_features_bind(struct store_features *f,
                                         const struct store_feature_query *q,
                                         enum store_features_stmt districts,
                                         enum store_features_stmt resources, long id, struct err *e)
{
    int is_districts = q->layer == STORE_LAYER_DISTRICTS;
    sqlite3_stmt *st = store_features_stmt(f, is_districts ? districts : resources, e);
    if (st == NULL)
        return NULL;
    if (is_districts && q->level)
        sqlite3_bind_text(st, 1, q->level, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 1);
    sqlite3_bind_int(st, 2, q->has_bbox ? 1 : 0);
    for (int i = 0; i < 4; i++) {
        sqlite3_bind_double(st, 3 + i, q->xy_box[i]);
        sqlite3_bind_double(st, 7 + i, q->bbox[i]);
    }
    sqlite3_bind_int64(st, 11, q->limit);
    sqlite3_bind_int64(st, 12, q->offset);
    sqlite3_bind_int64(st, 13, id);
    return st;
}

int store_features_count(struct store_features *f, const struct store_feature_query *q, long *n,
                         struct err *e)
{
    sqlite3_stmt *st = store_features_bind(f, q, SF_DISTRICTS_COUNT, SF_RESOURCES_COUNT, 0, e);
    if (st == NULL)
        return ERR_IO;
    int rc = ERR_OK;
    if (sqlite3_step(st) == SQLITE_ROW)
        *n = (long)sqlite3_column_int64(st, 0);
    else
        rc = store_features_fail(f, e, "counting features");
    sqlite3_reset(st);
    return rc;
}

/* Steps st and hands each row to fn as a feature; *rows counts them. */
static int store_features_rows(struct store_features *f, const struct store_feature_query *q,
                               sqlite3_stmt *st,
                               int (*fn)(void *ctx, const struct store_feature_row *r), void *ctx,
                               long *rows, struct err *e)
{
    int is_districts = q->layer == STORE_LAYER_DISTRICTS;
    const char *const *keys =
        is_districts ? store_features_district_keys : store_features_resource_keys;
    size_t nkeys = is_districts ? sizeof store_features_district_keys / sizeof *keys
                                : sizeof store_features_resource_keys / sizeof *keys;
    const char *values[SF_MAX_PROPS];
    int rc = ERR_OK, step = SQLITE_DONE;
    *rows = 0;
    while (rc == ERR_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        for (size_t i = 0; i < nkeys; i++)
            values[i] = (const char *)sqlite3_column_text(st, 2 + (int)i);
        struct store_feature_row r = {
            .id = (long)sqlite3_column_int64(st, 0),
            .geojson = (const char *)sqlite3_column_text(st, 1),
            .nprops = nkeys,
            .keys = keys,
            .values = values,
        };
        if (r.geojson == NULL) {
            rc = err_set(e, ERR_IO, "feature %ld has no geometry in CRS84", r.id);
            break;
        }
        (*rows)++;
        rc = fn(ctx, &r);
    }
    if (rc == ERR_OK && step != SQLITE_DONE)
        rc = store_features_fail(f, e, "reading features");
    sqlite3_reset(st);
    return rc;
}

int store_features_each(struct store_features *f, const struct store_feature_query *q,
                        int (*fn)(void *ctx, const struct store_feature_row *r), void *ctx,
                        struct err *e)
{
    sqlite3_stmt *st = store_features_bind(f, q, SF_DISTRICTS_PAGE, SF_RESOURCES_PAGE, 0, e);
    long rows;
    return st ? store_features_rows(f, q, st, fn, ctx, &rows, e) : ERR_IO;
}

int store_features_get(struct store_features *f, const struct store_feature_query *q, long id,
                       int (*fn)(void *ctx, const struct store_feature_row *r), void *ctx,
                       struct err *e)
{
    sqlite3_stmt *st = store_features_bind(f, q, SF_DISTRICTS_GET, SF_RESOURCES_GET, id, e);
    long rows = 0;
    if (st == NULL)
        return ERR_IO;
    int rc = store_features_rows(f, q, st, fn, ctx, &rows, e);
    if (rc == ERR_OK && rows == 0)
        return err_set(e, ERR_NOTFOUND, "there is no feature %ld in this collection", id);
    return rc;
}

int store_features_extent(struct store_features *f, const struct store_feature_query *q,
                          double box[4], struct err *e)
{
    sqlite3_stmt *st = store_features_bind(f, q, SF_DISTRICTS_EXTENT, SF_RESOURCES_EXTENT, 0, e);
    if (st == NULL)
        return ERR_IO;
    int rc = ERR_OK;
    if (sqlite3_step(st) != SQLITE_ROW)
        rc = store_features_fail(f, e, "computing an extent");
    else if (sqlite3_column_type(st, 0) == SQLITE_NULL)
        rc = err_set(e, ERR_NOTFOUND, "the layer is empty");
    else
        for (int i = 0; i < 4; i++)
            box[i] = sqlite3_column_double(st, i);
    sqlite3_reset(st);
    return rc;
}
