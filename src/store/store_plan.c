/* SPDX-License-Identifier: MIT */
/* store_plan.c - the store module's SQL for planning (see the "planning"
 * section of store.h): districts of a level, households and census small
 * areas with the district containing them (a spatial join done here, in
 * SQL), households picked for an outreach route by id or by district and
 * need, and the nearest named street for a printed route sheet. Entry
 * points: store_plan_districts_each, store_plan_households_each,
 * store_plan_households_by_ext, store_plan_households_in_district,
 * store_plan_areas_each, store_plan_street_near.
 *
 * Every statement is a constant string with bound parameters, prepared per
 * call and finalized before returning. Messages never carry household data. */
#include "store.h"
#include "store_private.h"
#include "store_households.h"

#include <stdio.h>
#include <string.h>

/* The district of `level` (?1) containing the point p (store_private.h). */
#define STORE_PLAN_DISTRICT_OF(P) STORE_DISTRICT_OF("?1", P)

static void store_plan_bind_text(sqlite3_stmt *st, int i, const char *t)
{
    if (t == NULL)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_text(st, i, t, -1, SQLITE_TRANSIENT);
}

static const char *store_plan_col(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

static void store_plan_household_row(sqlite3_stmt *st, struct store_plan_household *h);

/* Column 6 of every household query: 1 when the household was placed from
 * its address at town (町丁目・大字) or municipality level only, so its
 * position is that level's representative point (issue 11). */
#define STORE_PLAN_APPROX "COALESCE(h.place_level IN ('town', 'municipality'), 0)"

/* Steps a bound household query whose 8th column is the district id,
 * handing each row to fn; finalizes the statement. */
static int store_plan_household_rows(struct store *s, sqlite3_stmt *st,
                                     int (*fn)(void *ctx, const struct store_plan_household *h),
                                     void *ctx, struct err *e)
{
    int rc = ERR_OK, src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_plan_household h;
        store_plan_household_row(st, &h);
        h.district = (long)sqlite3_column_int64(st, 7);
        if ((rc = fn(ctx, &h)) != ERR_OK)
            break;
    }
    return store_finish(s, st, src, rc, "reading households", e);
}

int store_plan_districts_each(struct store *s, const char *level,
                              int (*fn)(void *ctx, const struct store_plan_district *d), void *ctx,
                              struct err *e)
{
    if (store_srid(s) == 0)
        return ERR_OK;
    sqlite3_stmt *st =
        store_prepare(s,
                      "SELECT id, code, name, ST_AsBinary(geom) FROM districts WHERE level = ?1"
                      " ORDER BY code, id",
                      "reading districts", e);
    if (st == NULL)
        return ERR_IO;
    store_plan_bind_text(st, 1, level);
    int rc = ERR_OK, src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_plan_district d = {(long)sqlite3_column_int64(st, 0), store_plan_col(st, 1),
                                        store_plan_col(st, 2), sqlite3_column_blob(st, 3),
                                        (size_t)sqlite3_column_bytes(st, 3)};
        if ((rc = fn(ctx, &d)) != ERR_OK)
            break;
    }
    return store_finish(s, st, src, rc, "reading districts", e);
}

/* Columns 0-6 of a household row: id, ext_id, members, needs, x, y,
 * STORE_PLAN_APPROX. */
static void store_plan_household_row(sqlite3_stmt *st, struct store_plan_household *h)
{
    h->id = (long)sqlite3_column_int64(st, 0);
    h->ext_id = store_plan_col(st, 1);
    h->members = sqlite3_column_int(st, 2);
    h->needs = store_plan_col(st, 3);
    h->x = sqlite3_column_double(st, 4);
    h->y = sqlite3_column_double(st, 5);
    h->approx = sqlite3_column_int(st, 6) != 0;
    h->district = 0;
}

int store_plan_households_each(struct store *s, const char *level,
                               int (*fn)(void *ctx, const struct store_plan_household *h),
                               void *ctx, struct err *e)
{
    if (store_srid(s) == 0)
        return ERR_OK;
    sqlite3_stmt *st = store_prepare(
        s,
        "SELECT h.id, h.ext_id, h.members, h.needs, X(h.geom), Y(h.geom), " STORE_PLAN_APPROX
        ", " STORE_PLAN_DISTRICT_OF("h.geom") " FROM households h ORDER BY h.id",
        "reading households", e);
    if (st == NULL)
        return ERR_IO;
    store_plan_bind_text(st, 1, level);
    return store_plan_household_rows(s, st, fn, ctx, e);
}

int store_plan_households_by_ext(struct store *s, const char *const *ids, size_t n,
                                 int (*fn)(void *ctx, const struct store_plan_household *h),
                                 void *ctx, size_t *unknown, struct err *e)
{
    *unknown = 0;
    if (store_srid(s) == 0) {
        *unknown = n;
        return ERR_OK;
    }
    sqlite3_stmt *st = store_prepare(
        s,
        "SELECT h.id, h.ext_id, h.members, h.needs, X(h.geom), Y(h.geom), " STORE_PLAN_APPROX
        " FROM households h WHERE h.ext_id = ?1",
        "reading households", e);
    if (st == NULL)
        return ERR_IO;
    int rc = ERR_OK;
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        sqlite3_reset(st);
        store_plan_bind_text(st, 1, ids[i]);
        int src = sqlite3_step(st);
        if (src == SQLITE_ROW) {
            struct store_plan_household h;
            store_plan_household_row(st, &h);
            rc = fn(ctx, &h);
        } else if (src == SQLITE_DONE) {
            (*unknown)++;
        } else {
            rc = store_fail(s, e, "reading households");
        }
    }
    sqlite3_finalize(st);
    return rc;
}

int store_plan_households_in_district(struct store *s, const char *level, const char *district,
                                      const char *need,
                                      int (*fn)(void *ctx, const struct store_plan_household *h),
                                      void *ctx, struct err *e)
{
    if (store_srid(s) == 0)
        return err_set(e, ERR_NOTFOUND, "no district is named '%.80s'", district);
    sqlite3_stmt *st =
        store_prepare(s,
                      "SELECT id, level FROM districts WHERE (name = ?1 OR code = ?1)"
                      " AND (?2 IS NULL OR level = ?2) ORDER BY level, code",
                      "finding a district", e);
    if (st == NULL)
        return ERR_IO;
    store_plan_bind_text(st, 1, district);
    store_plan_bind_text(st, 2, level);
    long id = 0;
    int matches = 0, src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW)
        if (matches++ == 0)
            id = (long)sqlite3_column_int64(st, 0);
    int rc = store_finish(s, st, src, ERR_OK, "finding a district", e);
    if (rc != ERR_OK)
        return rc;
    if (matches == 0)
        return level
                   ? err_set(e, ERR_NOTFOUND, "no %.32s district is named '%.80s'", level, district)
                   : err_set(e, ERR_NOTFOUND, "no district is named '%.80s'", district);
    if (matches > 1)
        return err_set(e, ERR_INPUT, "%d districts are named '%.80s'; name the level too", matches,
                       district);
    st = store_prepare(
        s,
        "SELECT h.id, h.ext_id, h.members, h.needs, X(h.geom), Y(h.geom), " STORE_PLAN_APPROX
        ", d.id"
        " FROM districts d JOIN households h ON h.id IN (SELECT pkid FROM idx_households_geom"
        " WHERE xmin <= MbrMaxX(d.geom) AND xmax >= MbrMinX(d.geom)"
        " AND ymin <= MbrMaxY(d.geom) AND ymax >= MbrMinY(d.geom))"
        " AND ST_Intersects(d.geom, h.geom)"
        " WHERE d.id = ?1 AND (?2 IS NULL OR instr(';' || h.needs || ';', ';' || ?2 || ';') > 0)"
        " ORDER BY h.id",
        "reading households", e);
    if (st == NULL)
        return ERR_IO;
    sqlite3_bind_int64(st, 1, id);
    store_plan_bind_text(st, 2, need);
    return store_plan_household_rows(s, st, fn, ctx, e);
}

int store_plan_areas_each(struct store *s, const char *level,
                          int (*fn)(void *ctx, const struct store_plan_area *a), void *ctx,
                          struct err *e)
{
    if (store_srid(s) == 0)
        return ERR_OK;
    sqlite3_stmt *st = store_prepare(
        s,
        "SELECT a.id, a.code, a.name, a.residents, a.households, X(a.p), "
        "Y(a.p), " STORE_PLAN_DISTRICT_OF(
            "a.p") " FROM (SELECT id, code, name, residents, households,"
                   " COALESCE(ST_PointOnSurface(geom), ST_Centroid(geom)) AS p FROM areas) a"
                   " WHERE a.p IS NOT NULL ORDER BY a.id",
        "reading small areas", e);
    if (st == NULL)
        return ERR_IO;
    store_plan_bind_text(st, 1, level);
    int rc = ERR_OK, src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_plan_area a = {
            .id = (long)sqlite3_column_int64(st, 0),
            .code = store_plan_col(st, 1),
            .name = store_plan_col(st, 2),
            .residents = (long)sqlite3_column_int64(st, 3),
            .households =
                sqlite3_column_type(st, 4) == SQLITE_NULL ? -1 : (long)sqlite3_column_int64(st, 4),
            .x = sqlite3_column_double(st, 5),
            .y = sqlite3_column_double(st, 6),
            .district = (long)sqlite3_column_int64(st, 7),
        };
        if ((rc = fn(ctx, &a)) != ERR_OK)
            break;
    }
    return store_finish(s, st, src, rc, "reading small areas", e);
}

int store_plan_street_near(struct store *s, double x, double y, double radius_m, char *buf,
                           size_t n, struct err *e)
{
    if (n > 0)
        buf[0] = '\0';
    if (store_srid(s) == 0)
        return err_set(e, ERR_NOTFOUND, "no named street nearby");
    sqlite3_stmt *st =
        store_prepare(s,
                      "SELECT name FROM net_edges WHERE name IS NOT NULL AND name <> ''"
                      " AND id IN (SELECT pkid FROM idx_net_edges_geom WHERE xmin <= ?1 + ?3"
                      " AND xmax >= ?1 - ?3 AND ymin <= ?2 + ?3 AND ymax >= ?2 - ?3)"
                      " AND ST_Distance(geom, MakePoint(?1, ?2, ?4)) <= ?3"
                      " ORDER BY ST_Distance(geom, MakePoint(?1, ?2, ?4)), id LIMIT 1",
                      "finding a street name", e);
    if (st == NULL)
        return ERR_IO;
    sqlite3_bind_double(st, 1, x);
    sqlite3_bind_double(st, 2, y);
    sqlite3_bind_double(st, 3, radius_m);
    sqlite3_bind_int(st, 4, store_srid(s));
    int src = sqlite3_step(st);
    int rc = ERR_OK;
    if (src == SQLITE_ROW)
        snprintf(buf, n, "%s", store_plan_col(st, 0));
    else if (src == SQLITE_DONE)
        rc = err_set(e, ERR_NOTFOUND, "no named street nearby");
    else
        rc = store_fail(s, e, "finding a street name");
    sqlite3_finalize(st);
    return rc;
}
