/* SPDX-License-Identifier: MIT */
/* test_store_network.c - the network's bulk write (store_network.c) must
 * leave the database the row-by-row inserts through SpatiaLite's triggers
 * leave (store_node_insert, store_edge_insert): the same node and edge rows
 * and geometry bytes, the same R*Tree entries (id and float box) and the
 * same answers to R*Tree box queries, the same triggers. The R*Tree's node
 * pages differ (packed by store_rtree.c rather than grown by inserts), so
 * they are checked with SQLite's own rtreecheck() instead of compared; rows
 * written through the triggers after a bulk write (which delete from and
 * insert into the packed tree) give the same answers too. A replacement
 * equals a fresh write of the new network; a failing bulk write rolls back
 * to the old database, triggers included. The networks are pseudo-random
 * (fixed seed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store.h"
#include "store_network.h"
#include "testutil.h"
#include "wkb.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TN_EPSG 6670
#define TN_MAXPTS 6

/* A pseudo-random network: nodes on a 3 km square, edges of 2..6 points. */
struct tn_net {
    size_t nodes, edges;
    double *nxy;           /* 2 * nodes */
    struct store_edge *ed; /* edges */
    double *exy;           /* 2 * TN_MAXPTS per edge */
    size_t *np;            /* points per edge */
};

static uint64_t tn_rand(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double tn_unit(uint64_t *s)
{
    return (double)(tn_rand(s) >> 11) / 9007199254740992.0;
}

static const char *const tn_names[] = {NULL, "", "東西1通り", "residential street"};

static void tn_make(struct tn_net *n, size_t nodes, size_t edges, uint64_t seed)
{
    n->nodes = nodes;
    n->edges = edges;
    n->nxy = calloc(2 * nodes, sizeof *n->nxy);
    n->ed = calloc(edges, sizeof *n->ed);
    n->exy = calloc(2 * TN_MAXPTS * edges, sizeof *n->exy);
    n->np = calloc(edges, sizeof *n->np);
    assert_true(n->nxy && n->ed && n->exy && n->np);
    for (size_t i = 0; i < nodes; i++) {
        n->nxy[2 * i] = -30000.0 + 3000.0 * tn_unit(&seed);
        n->nxy[2 * i + 1] = 120000.0 + 3000.0 * tn_unit(&seed);
        if (i % 10 == 0) { /* whole metres: bounds a float holds exactly, where the
                            * R*Tree's rounding depends on the last bit (store_rtree.c) */
            n->nxy[2 * i] = floor(n->nxy[2 * i]);
            n->nxy[2 * i + 1] = ceil(n->nxy[2 * i + 1]);
        }
    }
    for (size_t i = 0; i < edges; i++) {
        size_t a = tn_rand(&seed) % nodes, b = tn_rand(&seed) % nodes;
        size_t k = 2 + tn_rand(&seed) % (TN_MAXPTS - 1);
        double *xy = n->exy + 2 * TN_MAXPTS * i, len = 0;
        for (size_t p = 0; p < k; p++) {
            double t = (double)p / (double)(k - 1);
            double wob = p == 0 || p + 1 == k ? 0 : 20.0 * (tn_unit(&seed) - 0.5);
            xy[2 * p] = n->nxy[2 * a] + t * (n->nxy[2 * b] - n->nxy[2 * a]) + wob;
            xy[2 * p + 1] = n->nxy[2 * a + 1] + t * (n->nxy[2 * b + 1] - n->nxy[2 * a + 1]) + wob;
            if (p > 0)
                len += hypot(xy[2 * p] - xy[2 * p - 2], xy[2 * p + 1] - xy[2 * p - 1]);
        }
        n->np[i] = k;
        n->ed[i] = (struct store_edge){(long)a + 1,
                                       (long)b + 1,
                                       len,
                                       tn_rand(&seed) % 3 ? "residential" : NULL,
                                       tn_names[tn_rand(&seed) % 4],
                                       (int)(tn_rand(&seed) % 2)};
    }
}

static void tn_free(struct tn_net *n)
{
    free(n->nxy);
    free(n->ed);
    free(n->exy);
    free(n->np);
}

/* A store with its CRS fixed, at dir/name. */
static struct store *tn_open(const char *dir, const char *name)
{
    char *path = tu_path(dir, name);
    struct err e = {0};
    struct store *s = store_open(path, &e);
    free(path);
    assert_non_null(s);
    assert_int_equal(store_init_srid(s, TN_EPSG, "JGD2011 / Japan Plane Rectangular CS II", &e),
                     ERR_OK);
    return s;
}

/* The old way: row by row through SpatiaLite's SQL functions and triggers. */
static void tn_write_rows(struct store *s, const struct tn_net *n)
{
    struct err e = {0};
    assert_int_equal(store_begin(s, &e), ERR_OK);
    assert_int_equal(store_network_clear(s, &e), ERR_OK);
    for (size_t i = 0; i < n->nodes; i++)
        assert_int_equal(store_node_insert(s, (long)i + 1, n->nxy[2 * i], n->nxy[2 * i + 1], &e),
                         ERR_OK);
    for (size_t i = 0; i < n->edges; i++) {
        size_t len;
        unsigned char *wkb = wkb_linestring_new(n->exy + 2 * TN_MAXPTS * i, n->np[i], &len);
        assert_non_null(wkb);
        assert_int_equal(store_edge_insert(s, &n->ed[i], wkb, len, &e), ERR_OK);
        free(wkb);
    }
    assert_int_equal(store_commit(s, &e), ERR_OK);
}

/* The bulk write. */
static void tn_write_bulk(struct store *s, const struct tn_net *n)
{
    struct err e = {0};
    assert_int_equal(store_begin(s, &e), ERR_OK);
    struct store_network_bulk *b = store_network_bulk_begin(s, &e);
    assert_non_null(b);
    for (size_t i = 0; i < n->nodes; i++)
        assert_int_equal(
            store_network_bulk_node(b, (long)i + 1, n->nxy[2 * i], n->nxy[2 * i + 1], &e), ERR_OK);
    for (size_t i = 0; i < n->edges; i++)
        assert_int_equal(
            store_network_bulk_edge(b, &n->ed[i], n->exy + 2 * TN_MAXPTS * i, n->np[i], &e),
            ERR_OK);
    assert_int_equal(store_network_bulk_end(b, &e), ERR_OK);
    assert_int_equal(store_commit(s, &e), ERR_OK);
}

/* Everything of the network in the database file as text (malloc'd). */
static char *tn_dump(const char *dir, const char *name)
{
    static const char *const q[] = {
        "SELECT id, hex(geom) FROM net_nodes ORDER BY id",
        "SELECT id, source, target, printf('%!.17g', length_m), quote(highway), quote(name),"
        " flags, hex(geom) FROM net_edges ORDER BY id",
        "SELECT * FROM idx_net_edges_geom ORDER BY pkid",
        "SELECT * FROM idx_net_nodes_geom ORDER BY pkid",
        "SELECT rtreecheck('idx_net_edges_geom'), rtreecheck('idx_net_nodes_geom')",
        "SELECT count(*) FROM idx_net_edges_geom_rowid",
        "SELECT count(*) FROM idx_net_nodes_geom_rowid",
        /* Box queries on a 300 m grid over the 3 km square and around it:
         * the ids each box finds, through the R*Tree's own search. */
        "WITH RECURSIVE g(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM g WHERE i < 143),"
        " b(x, y) AS (SELECT -30600.0 + 300.0 * (i % 12), 119400.0 + 300.0 * (i / 12) FROM g)"
        " SELECT x, y, (SELECT group_concat(pkid) FROM (SELECT pkid FROM idx_net_edges_geom"
        " WHERE xmin <= b.x + 450 AND xmax >= b.x AND ymin <= b.y + 450 AND ymax >= b.y"
        " ORDER BY pkid)), (SELECT group_concat(pkid) FROM (SELECT pkid FROM"
        " idx_net_nodes_geom WHERE xmin <= b.x + 450 AND xmax >= b.x AND ymin <= b.y + 450"
        " AND ymax >= b.y ORDER BY pkid)) FROM b",
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE tbl_name LIKE '%net_%'"
        " ORDER BY type, name",
        "SELECT * FROM geometry_columns WHERE f_table_name LIKE 'net_%' ORDER BY 1",
    };
    char *path = tu_path(dir, name);
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    free(path);
    size_t cap = 1 << 20, len = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    for (size_t k = 0; k < sizeof q / sizeof q[0]; k++) {
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(db, q[k], -1, &st, NULL), SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(st); c++) {
                const char *t = (const char *)sqlite3_column_text(st, c);
                size_t tl = t ? strlen(t) : 4;
                while (len + tl + 3 > cap) {
                    cap *= 2;
                    out = realloc(out, cap);
                    assert_non_null(out);
                }
                memcpy(out + len, t ? t : "NULL", tl);
                len += tl;
                out[len++] = c + 1 < sqlite3_column_count(st) ? '|' : '\n';
            }
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    out[len] = '\0';
    return out;
}

static void tn_assert_same(const char *dir, const char *a, const char *b)
{
    char *da = tn_dump(dir, a), *db = tn_dump(dir, b);
    assert_true(strlen(da) > 1000);
    if (strcmp(da, db) != 0) {
        size_t i = 0;
        while (da[i] == db[i])
            i++;
        size_t from = i > 200 ? i - 200 : 0;
        fail_msg("%s and %s differ at byte %zu:\n%.300s\n---\n%.300s", a, b, i, da + from,
                 db + from);
    }
    free(da);
    free(db);
}

/* A fresh bulk write equals the row-by-row one. */
static void test_bulk_equals_rows(void **state)
{
    (void)state;
    char *dir = tu_tmpdir();
    struct tn_net n;
    tn_make(&n, 3000, 7000, 17);
    struct store *a = tn_open(dir, "rows.db"), *b = tn_open(dir, "bulk.db");
    tn_write_rows(a, &n);
    tn_write_bulk(b, &n);
    store_close(a);
    store_close(b);
    tn_assert_same(dir, "rows.db", "bulk.db");
    tn_free(&n);
    free(dir);
}

/* A network n1 written in bulk, then n2 over it (in bulk, or row by row
 * through SpatiaLite's triggers when rows_second), equals n2 written row by
 * row into a fresh database. */
static void tn_check_second(size_t nodes1, size_t edges1, uint64_t seed1, size_t nodes2,
                            size_t edges2, uint64_t seed2, int rows_second)
{
    char *dir = tu_tmpdir();
    struct tn_net n1, n2;
    tn_make(&n1, nodes1, edges1, seed1);
    tn_make(&n2, nodes2, edges2, seed2);
    struct store *a = tn_open(dir, "rows.db"), *b = tn_open(dir, "bulk.db");
    tn_write_rows(a, &n2);
    tn_write_bulk(b, &n1);
    if (rows_second)
        tn_write_rows(b, &n2);
    else
        tn_write_bulk(b, &n2);
    store_close(a);
    store_close(b);
    tn_assert_same(dir, "rows.db", "bulk.db");
    tn_free(&n1);
    tn_free(&n2);
    free(dir);
}

/* Replacing a network in bulk equals writing the new one into a fresh
 * database row by row. */
static void test_bulk_replaces(void **state)
{
    (void)state;
    tn_check_second(2000, 4000, 1, 1500, 3500, 2, 0);
}

/* Rows written through SpatiaLite's triggers over a bulk-written network
 * (every old entry deleted from the packed R*Tree, the new ones inserted
 * into it) equal the same rows written into a fresh database. */
static void test_rows_after_bulk(void **state)
{
    (void)state;
    tn_check_second(2500, 6000, 3, 1200, 2500, 4, 1);
}

/* A bad edge fails with one sentence; the rollback leaves the old network,
 * its index and its triggers. */
static void test_bulk_failure_rolls_back(void **state)
{
    (void)state;
    char *dir = tu_tmpdir();
    struct tn_net n;
    tn_make(&n, 1000, 2000, 5);
    struct store *b = tn_open(dir, "bulk.db");
    tn_write_bulk(b, &n);
    store_close(b);
    char *before = tn_dump(dir, "bulk.db");
    char *path = tu_path(dir, "bulk.db");
    struct err e = {0};
    b = store_open(path, &e);
    assert_non_null(b);
    assert_int_equal(store_begin(b, &e), ERR_OK);
    struct store_network_bulk *k = store_network_bulk_begin(b, &e);
    assert_non_null(k);
    assert_int_equal(store_network_bulk_node(k, 1, 0.0, 0.0, &e), ERR_OK);
    double bad[4] = {0.0, 0.0, NAN, 1.0};
    assert_int_equal(store_network_bulk_edge(k, &n.ed[0], bad, 2, &e), ERR_INPUT);
    assert_string_equal(e.msg, "a network edge has no valid line geometry");
    assert_int_equal(store_network_bulk_edge(k, &n.ed[0], bad, 1, &e), ERR_INPUT);
    store_network_bulk_free(k);
    store_rollback(b);
    store_close(b);
    char *after = tn_dump(dir, "bulk.db");
    assert_string_equal(before, after);
    /* Outside a transaction the bulk write refuses to start. */
    e = (struct err){0};
    b = store_open(path, &e);
    assert_null(store_network_bulk_begin(b, &e));
    assert_int_equal(e.code, ERR_INTERNAL);
    store_close(b);
    free(before);
    free(after);
    free(path);
    tn_free(&n);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bulk_equals_rows),
        cmocka_unit_test(test_bulk_replaces),
        cmocka_unit_test(test_rows_after_bulk),
        cmocka_unit_test(test_bulk_failure_rolls_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
