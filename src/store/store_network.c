/* SPDX-License-Identifier: MIT */
/* store_network.c - the walking network's bulk replacement (see
 * store_network.h). Entry points: store_network_bulk_begin,
 * store_network_bulk_node, store_network_bulk_edge, store_network_bulk_end,
 * store_network_bulk_free.
 *
 * Why: written row by row, every edge ran SpatiaLite's triggers (a geometry
 * check, a change-time UPDATE and RTreeAlign, which formats and prepares an
 * INSERT of its own per row) and two SQL geometry functions (WKB parsed,
 * then cast), which made a 2M-edge import take minutes. Here the triggers
 * and the R*Trees of net_nodes and net_edges are set aside (their SQL read
 * from sqlite_master, so whatever SpatiaLite created comes back as it was),
 * rows go in through two statements prepared once with blobs made by
 * SpatiaLite's own C writers (gaiaMakePoint, gaiaToSpatiaLiteBlobWkb: the
 * same bytes MakePoint and CastToLineString(ST_GeomFromWKB()) return), and
 * each R*Tree is filled once with the values RTreeAlign would have inserted
 * (its "%1.12f" text of each bound, from the boxes collected as rows are
 * written), packed by store_rtree_fill instead of inserted entry by entry (SQLite's R*Tree insert
 * was half of a 2M-edge import): every entry holds the box the triggers would have stored, so every
 * query answers the same; only the node pages differ. Everything happens inside the caller's
 * transaction, so a rollback restores triggers and indexes. */
#include "store_network.h"

#include "store_private.h"
#include "utf8.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <spatialite/gaiageo.h>
#include <stdlib.h>
#include <string.h>

#define STORE_NET_NTABLES 2        /* net_nodes, net_edges */
#define STORE_NET_SAVED_MAX 64     /* triggers and index tables set aside, at most */
#define STORE_NET_CACHE_KIB 131072 /* page cache during the bulk write */

static const char *const store_net_tables[STORE_NET_NTABLES] = {"net_nodes", "net_edges"};

/* One set-aside schema object: its CREATE statement, to run again. */
struct store_net_saved {
    char *name; /* object name (owned) */
    char *sql;  /* its CREATE statement (owned) */
    int table;  /* 1 for an R*Tree table, 0 for a trigger */
};

struct store_network_bulk {
    struct store *s;                                   /* the store written */
    sqlite3_stmt *node;                                /* node insert, owned */
    sqlite3_stmt *edge;                                /* edge insert, owned */
    struct store_net_saved saved[STORE_NET_SAVED_MAX]; /* triggers and indexes set aside */
    size_t nsaved;                                     /* saved used */
    struct store_rtree *idx[STORE_NET_NTABLES];        /* R*Tree entries of each table */
    long long cache;                                   /* cache_size before, to restore */
    int deleted;                                       /* 1 when old rows were deleted */
};

static int store_net_exec(struct store *s, const char *sql, const char *what, struct err *e)
{
    if (sqlite3_exec(store_sqlite(s), sql, NULL, NULL, NULL) != SQLITE_OK)
        return store_fail(s, e, what);
    return ERR_OK;
}

/* Reads the triggers of both tables and their R*Tree tables into b->saved
 * (triggers in creation order), then drops them. */
static int store_net_set_aside(struct store_network_bulk *b, struct err *e)
{
    sqlite3_stmt *q = store_prepare(
        b->s,
        "SELECT name, sql, type = 'table' FROM sqlite_master WHERE sql IS NOT NULL AND"
        " ((type = 'trigger' AND tbl_name IN ('net_nodes', 'net_edges'))"
        " OR (type = 'table' AND name IN ('idx_net_nodes_geom', 'idx_net_edges_geom')))"
        " ORDER BY type = 'trigger', rowid",
        "reading the network's triggers", e);
    if (q == NULL)
        return ERR_IO;
    int rc = ERR_OK, step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        if (b->nsaved == STORE_NET_SAVED_MAX) {
            rc = err_set(e, ERR_INTERNAL, "the network tables have more than %d triggers",
                         STORE_NET_SAVED_MAX);
            break;
        }
        struct store_net_saved *sv = &b->saved[b->nsaved];
        sv->name = strdup((const char *)sqlite3_column_text(q, 0));
        sv->sql = strdup((const char *)sqlite3_column_text(q, 1));
        sv->table = sqlite3_column_int(q, 2);
        b->nsaved++;
        if (sv->name == NULL || sv->sql == NULL) {
            rc = err_nomem(e);
            break;
        }
    }
    if ((rc = store_finish(b->s, q, step, rc, "reading the network's triggers", e)) != ERR_OK)
        return rc;
    /* Triggers first: the index tables' triggers refer to them. */
    for (size_t i = b->nsaved; i-- > 0;) {
        char *sql = sqlite3_mprintf("DROP %s \"%w\"", b->saved[i].table ? "TABLE" : "TRIGGER",
                                    b->saved[i].name);
        if (sql == NULL)
            return err_nomem(e);
        rc = store_net_exec(b->s, sql, "setting the network's spatial index aside", e);
        sqlite3_free(sql);
        if (rc != ERR_OK)
            return rc;
    }
    return ERR_OK;
}

struct store_network_bulk *store_network_bulk_begin(struct store *s, struct err *e)
{
    sqlite3 *db = store_sqlite(s);
    if (sqlite3_get_autocommit(db)) {
        err_set(e, ERR_INTERNAL, "the network is replaced only inside a transaction");
        return NULL;
    }
    if (store_srid(s) == 0) {
        err_set(e, ERR_INTERNAL, "the database has no CRS for a network yet");
        return NULL;
    }
    struct store_network_bulk *b = calloc(1, sizeof *b);
    if (b == NULL) {
        err_nomem(e);
        return NULL;
    }
    b->s = s;
    sqlite3_stmt *q = store_prepare(s, "PRAGMA cache_size", "reading the cache size", e);
    if (q == NULL)
        goto fail;
    b->cache = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -2000;
    sqlite3_finalize(q);
    q = store_prepare(s,
                      "SELECT EXISTS(SELECT 1 FROM net_nodes) OR EXISTS(SELECT 1 FROM net_edges)",
                      "reading the network", e);
    if (q == NULL)
        goto fail;
    b->deleted = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA cache_size = -%d", STORE_NET_CACHE_KIB);
    if (store_net_set_aside(b, e) != ERR_OK ||
        store_net_exec(s, pragma, "enlarging the page cache", e) != ERR_OK ||
        store_net_exec(s, "DELETE FROM net_edges; DELETE FROM net_nodes;",
                       "deleting the old network", e) != ERR_OK)
        goto fail;
    b->node = store_prepare(s, "INSERT INTO net_nodes(id, geom) VALUES(?1, ?2)",
                            "preparing the node insert", e);
    b->edge = store_prepare(s,
                            "INSERT INTO net_edges(source, target, length_m, highway, name, flags,"
                            " geom) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                            "preparing the edge insert", e);
    if (b->node == NULL || b->edge == NULL)
        goto fail;
    for (size_t t = 0; t < STORE_NET_NTABLES; t++)
        if ((b->idx[t] = store_rtree_new(s, e)) == NULL)
            goto fail;
    return b;
fail:
    store_network_bulk_free(b);
    return NULL;
}

/* Steps an insert with its blob bound; the statement is reset for the next row. */
static int store_net_step(struct store_network_bulk *b, sqlite3_stmt *st, const char *what,
                          struct err *e)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return store_fail(b->s, e, what);
    return ERR_OK;
}

int store_network_bulk_node(struct store_network_bulk *b, long id, double x, double y,
                            struct err *e)
{
    unsigned char *blob = NULL;
    int size = 0;
    gaiaMakePoint(x, y, store_srid(b->s), &blob, &size);
    if (blob == NULL)
        return err_nomem(e);
    sqlite3_bind_int64(b->node, 1, id);
    sqlite3_bind_blob(b->node, 2, blob, size, free);
    const double box[4] = {x, x, y, y};
    if (store_rtree_add(b->idx[0], id, box, e) != ERR_OK)
        return e->code;
    return store_net_step(b, b->node, "inserting a network node", e);
}

/* Binds t (NULL as SQL NULL) cut at STORE_TEXT_MAX bytes on a UTF-8
 * boundary, as the store binds every text. */
static void store_net_bind_text(sqlite3_stmt *st, int i, const char *t)
{
    if (t == NULL)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_text(st, i, t, (int)utf8_cut(t, strlen(t), STORE_TEXT_MAX), SQLITE_STATIC);
}

int store_network_bulk_edge(struct store_network_bulk *b, const struct store_edge *ed,
                            const double *xy, size_t n, struct err *e)
{
    if (n < 2 || n > INT32_MAX)
        return err_set(e, ERR_INPUT, "a network edge has no valid line geometry");
    for (size_t i = 0; i < 2 * n; i++)
        if (!isfinite(xy[i]))
            return err_set(e, ERR_INPUT, "a network edge has no valid line geometry");
    gaiaGeomCollPtr g = gaiaAllocGeomColl();
    if (g == NULL)
        return err_nomem(e);
    g->Srid = store_srid(b->s);
    g->DeclaredType = GAIA_LINESTRING;
    gaiaLinestringPtr ln = gaiaAddLinestringToGeomColl(g, (int)n);
    unsigned char *blob = NULL;
    int size = 0;
    if (ln != NULL) {
        for (size_t i = 0; i < n; i++)
            gaiaSetPoint(ln->Coords, i, xy[2 * i], xy[2 * i + 1]);
        gaiaToSpatiaLiteBlobWkb(g, &blob, &size);
    }
    gaiaFreeGeomColl(g);
    if (blob == NULL)
        return err_nomem(e);
    /* The box SpatiaLite's blob header holds (MbrMinX(geom), ...). */
    double box[4] = {xy[0], xy[0], xy[1], xy[1]};
    for (size_t i = 1; i < n; i++) {
        box[0] = xy[2 * i] < box[0] ? xy[2 * i] : box[0];
        box[1] = xy[2 * i] > box[1] ? xy[2 * i] : box[1];
        box[2] = xy[2 * i + 1] < box[2] ? xy[2 * i + 1] : box[2];
        box[3] = xy[2 * i + 1] > box[3] ? xy[2 * i + 1] : box[3];
    }
    sqlite3_stmt *st = b->edge;
    sqlite3_bind_int64(st, 1, ed->source);
    sqlite3_bind_int64(st, 2, ed->target);
    sqlite3_bind_double(st, 3, ed->length_m);
    store_net_bind_text(st, 4, ed->highway);
    store_net_bind_text(st, 5, ed->name);
    sqlite3_bind_int(st, 6, ed->flags);
    sqlite3_bind_blob(st, 7, blob, size, free);
    if (store_net_step(b, st, "inserting a network edge", e) != ERR_OK)
        return e->code;
    return store_rtree_add(b->idx[1], sqlite3_last_insert_rowid(store_sqlite(b->s)), box, e);
}

/* The check the geometry triggers made on every row (type and SRID of the
 * registered column), made once over all rows. */
static int store_net_check(struct store_network_bulk *b, struct err *e)
{
    sqlite3_stmt *q =
        store_prepare(b->s,
                      "SELECT (SELECT count(*) FROM net_nodes n, geometry_columns g WHERE"
                      " g.f_table_name = 'net_nodes' AND g.f_geometry_column = 'geom' AND"
                      " GeometryConstraints(n.geom, g.geometry_type, g.srid) IS NOT 1) +"
                      " (SELECT count(*) FROM net_edges n, geometry_columns g WHERE"
                      " g.f_table_name = 'net_edges' AND g.f_geometry_column = 'geom' AND"
                      " GeometryConstraints(n.geom, g.geometry_type, g.srid) IS NOT 1)",
                      "checking the network's geometry", e);
    if (q == NULL)
        return ERR_IO;
    int step = sqlite3_step(q);
    long long bad = step == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    int rc = store_finish(b->s, q, step == SQLITE_ROW ? SQLITE_DONE : step, ERR_OK,
                          "checking the network's geometry", e);
    if (rc == ERR_OK && bad > 0)
        rc = err_set(e, ERR_INPUT, "a network edge has no valid line geometry");
    return rc;
}

int store_network_bulk_end(struct store_network_bulk *b, struct err *e)
{
    int rc = ERR_OK;
    sqlite3_finalize(b->node);
    sqlite3_finalize(b->edge);
    b->node = b->edge = NULL;
    if ((rc = store_net_check(b, e)) != ERR_OK)
        goto done;
    /* Tables first, then the triggers in their creation order. */
    for (size_t i = 0; i < b->nsaved && rc == ERR_OK; i++)
        if (b->saved[i].table)
            rc = store_net_exec(b->s, b->saved[i].sql, "recreating the network's spatial index", e);
    for (size_t t = 0; t < STORE_NET_NTABLES && rc == ERR_OK; t++) {
        char name[64];
        snprintf(name, sizeof name, "idx_%s_geom", store_net_tables[t]);
        for (size_t i = 0; i < b->nsaved; i++)
            if (b->saved[i].table && strcmp(b->saved[i].name, name) == 0) {
                rc = store_rtree_fill(b->idx[t], name, e);
                break;
            }
    }
    for (size_t i = 0; i < b->nsaved && rc == ERR_OK; i++)
        if (!b->saved[i].table)
            rc = store_net_exec(b->s, b->saved[i].sql, "restoring the network's triggers", e);
    if (rc != ERR_OK)
        goto done;
    /* What the change-time triggers would have written (last one wins). */
    rc = store_net_exec(b->s,
                        b->deleted ? "UPDATE geometry_columns_time SET last_insert = strftime("
                                     "'%Y-%m-%dT%H:%M:%fZ', 'now'), last_delete = strftime("
                                     "'%Y-%m-%dT%H:%M:%fZ', 'now') WHERE f_table_name IN "
                                     "('net_nodes', 'net_edges') AND f_geometry_column = 'geom'"
                                   : "UPDATE geometry_columns_time SET last_insert = strftime("
                                     "'%Y-%m-%dT%H:%M:%fZ', 'now') WHERE f_table_name IN "
                                     "('net_nodes', 'net_edges') AND f_geometry_column = 'geom'",
                        "recording the network's change time", e);
done:
    store_network_bulk_free(b);
    return rc;
}

void store_network_bulk_free(struct store_network_bulk *b)
{
    if (b == NULL)
        return;
    sqlite3_finalize(b->node);
    sqlite3_finalize(b->edge);
    for (size_t t = 0; t < STORE_NET_NTABLES; t++)
        store_rtree_free(b->idx[t]);
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA cache_size = %lld", b->cache);
    sqlite3_exec(store_sqlite(b->s), pragma, NULL, NULL, NULL);
    for (size_t i = 0; i < b->nsaved; i++) {
        free(b->saved[i].name);
        free(b->saved[i].sql);
    }
    free(b);
}
