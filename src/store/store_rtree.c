/* SPDX-License-Identifier: MIT */
/* store_rtree.c - fills a two-dimensional SQLite R*Tree in one pass
 * (sort-tile-recursive packing) by writing its three shadow tables, instead
 * of one INSERT per entry. Entry points (store_private.h): store_rtree_pack
 * (entries from a query), store_rtree_new, store_rtree_add, store_rtree_fill,
 * store_rtree_free (entries collected in memory).
 *
 * Why: SQLite's R*Tree insert chooses a leaf, rewrites the leaf's and its
 * ancestors' node blobs and splits full nodes, about 8 us per entry: half
 * of a 2M-edge network import (3 million entries). Packed, every node blob
 * is written once: leaves of entries sorted into vertical slices by their
 * centre's x, within a slice by y, full nodes, then the same one level up
 * until the cells fit in the root.
 *
 * The format written is SQLite's own (ext/rtree/rtree.c): node 1 is the
 * root, a node blob is exactly as long as the root SQLite created (its
 * length is how SQLite learns the node size), starting with the tree depth
 * (root only, big-endian 16 bits) and the cell count (16 bits), then cells
 * of a 64-bit big-endian id (the entry's id in a leaf, the child's node
 * number above) and four 32-bit big-endian floats xmin, xmax, ymin, ymax;
 * %_rowid maps every entry to its leaf, %_parent every non-root node to
 * its parent. Bounds are rounded to float outward the way rtreeValueDown
 * and rtreeValueUp round an inserted value, so every entry holds the bytes
 * an INSERT would have stored and a box query returns the same ids; only
 * the tree's shape (which entries share a node) differs, which no query
 * result depends on. SQLite's own rtreecheck() accepts the result. */
#include "store_private.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define STORE_RTREE_CELL 24      /* bytes of a 2-D cell: id and four floats */
#define STORE_RTREE_DEPTH_MAX 40 /* SQLite's RTREE_MAX_DEPTH */

/* One cell being packed: an entry (level 0) or a node one level up. */
struct store_rtree_cell {
    int64_t id;   /* entry id, or child node number */
    float c[4];   /* xmin, xmax, ymin, ymax */
    uint32_t pos; /* position among the read entries (level 0) */
};

/* rtreeValueDown / rtreeValueUp (SQLite ext/rtree/rtree.c): the float an
 * inserted bound is stored as, never inside the double's box. */
#define STORE_RTREE_TOWARDS (1.0 - 1.0 / 8388608.0)
#define STORE_RTREE_AWAY (1.0 + 1.0 / 8388608.0)

static float store_rtree_down(double d)
{
    float f = (float)d;
    if (f > d)
        f = (float)(d * (d < 0 ? STORE_RTREE_AWAY : STORE_RTREE_TOWARDS));
    return f;
}

static float store_rtree_up(double d)
{
    float f = (float)d;
    if (f < d)
        f = (float)(d * (d < 0 ? STORE_RTREE_TOWARDS : STORE_RTREE_AWAY));
    return f;
}

static int store_rtree_by_x(const void *a, const void *b)
{
    const struct store_rtree_cell *p = a, *q = b;
    double u = (double)p->c[0] + p->c[1], v = (double)q->c[0] + q->c[1];
    return u < v ? -1 : u > v ? 1 : (p->id > q->id) - (p->id < q->id);
}

static int store_rtree_by_y(const void *a, const void *b)
{
    const struct store_rtree_cell *p = a, *q = b;
    double u = (double)p->c[2] + p->c[3], v = (double)q->c[2] + q->c[3];
    return u < v ? -1 : u > v ? 1 : (p->id > q->id) - (p->id < q->id);
}

static void store_rtree_put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static void store_rtree_put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (24 - 8 * i));
}

static void store_rtree_put64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (56 - 8 * i));
}

/* Writes node `no` holding cells [0, n) of c at `depth` (root only). */
static int store_rtree_node(struct store *s, sqlite3_stmt *ins, unsigned char *blob, int size,
                            int64_t no, unsigned depth, const struct store_rtree_cell *c, size_t n,
                            struct err *e)
{
    memset(blob, 0, (size_t)size);
    store_rtree_put16(blob, no == 1 ? depth : 0);
    store_rtree_put16(blob + 2, (unsigned)n);
    for (size_t i = 0; i < n; i++) {
        unsigned char *p = blob + 4 + STORE_RTREE_CELL * i;
        store_rtree_put64(p, (uint64_t)c[i].id);
        for (int k = 0; k < 4; k++) {
            uint32_t bits;
            memcpy(&bits, &c[i].c[k], sizeof bits);
            store_rtree_put32(p + 8 + 4 * k, bits);
        }
    }
    sqlite3_bind_int64(ins, 1, no);
    sqlite3_bind_blob(ins, 2, blob, size, SQLITE_STATIC);
    int rc = sqlite3_step(ins);
    sqlite3_reset(ins);
    return rc == SQLITE_DONE ? ERR_OK : store_fail(s, e, "writing a spatial index node");
}

/* Inserts the pair (a, b) through st (a two-parameter INSERT). */
static int store_rtree_pair(struct store *s, sqlite3_stmt *st, int64_t a, int64_t b, struct err *e)
{
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? ERR_OK : store_fail(s, e, "writing the spatial index");
}

/* Reads the entries of sel into *out (malloc'd), bounds rounded outward. */
static int store_rtree_read(struct store *s, const char *sel, struct store_rtree_cell **out,
                            size_t *n, struct err *e)
{
    sqlite3_stmt *q = store_prepare(s, sel, "reading the spatial index's entries", e);
    if (q == NULL)
        return ERR_IO;
    size_t cap = 0, len = 0;
    struct store_rtree_cell *c = NULL;
    int rc = ERR_OK, step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        if (len == cap) {
            size_t nc = cap ? 2 * cap : 4096;
            struct store_rtree_cell *g = len < UINT32_MAX ? realloc(c, nc * sizeof *c) : NULL;
            if (g == NULL) {
                rc = err_nomem(e);
                break;
            }
            c = g;
            cap = nc;
        }
        struct store_rtree_cell *x = &c[len];
        x->id = sqlite3_column_int64(q, 0);
        x->pos = (uint32_t)len;
        x->c[0] = store_rtree_down(sqlite3_column_double(q, 1));
        x->c[1] = store_rtree_up(sqlite3_column_double(q, 2));
        x->c[2] = store_rtree_down(sqlite3_column_double(q, 3));
        x->c[3] = store_rtree_up(sqlite3_column_double(q, 4));
        if (!(x->c[0] <= x->c[1] && x->c[2] <= x->c[3])) {
            rc = err_set(e, ERR_INPUT, "a spatial index entry has an empty box");
            break;
        }
        len++;
    }
    rc = store_finish(s, q, step, rc, "reading the spatial index's entries", e);
    if (rc != ERR_OK) {
        free(c);
        return rc;
    }
    *out = c;
    *n = len;
    return ERR_OK;
}

/* Orders c[0, n) for packing m to a node: slices by x, each slice by y. */
static void store_rtree_sort(struct store_rtree_cell *c, size_t n, size_t m)
{
    size_t nodes = (n + m - 1) / m, slices = 1;
    while (slices * slices < nodes)
        slices++;
    size_t per = ((nodes + slices - 1) / slices) * m; /* cells per slice */
    qsort(c, n, sizeof *c, store_rtree_by_x);
    for (size_t a = 0; a < n; a += per)
        qsort(c + a, n - a < per ? n - a : per, sizeof *c, store_rtree_by_y);
}

/* Replaces the entries of `rtree` with c[0, n) (reordered in place). */
static int store_rtree_write(struct store *s, const char *rtree, struct store_rtree_cell *c,
                             size_t n, struct err *e)
{
    sqlite3 *db = store_sqlite(s);
    int64_t *leaf = NULL, *ids = NULL;
    unsigned char *blob = NULL;
    sqlite3_stmt *node = NULL, *rowid = NULL, *parent = NULL, *q = NULL;
    int rc = ERR_OK, size = 0;

    char *sql = sqlite3_mprintf("SELECT length(data) FROM \"%w_node\" WHERE nodeno = 1", rtree);
    if (sql == NULL)
        return err_nomem(e);
    q = store_prepare(s, sql, "reading the spatial index's node size", e);
    sqlite3_free(sql);
    if (q == NULL)
        return ERR_IO;
    if (sqlite3_step(q) == SQLITE_ROW)
        size = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    size_t m = size > 4 ? (size_t)(size - 4) / STORE_RTREE_CELL : 0; /* cells per node */
    if (m < 4)
        return err_set(e, ERR_INTERNAL, "the spatial index %s has no usable root node", rtree);

    blob = malloc((size_t)size);
    leaf = malloc((n ? n : 1) * sizeof *leaf);
    ids = malloc((n ? n : 1) * sizeof *ids);
    sql = sqlite3_mprintf("DELETE FROM \"%w_node\"; DELETE FROM \"%w_parent\";"
                          " DELETE FROM \"%w_rowid\";",
                          rtree, rtree, rtree);
    if (blob == NULL || leaf == NULL || ids == NULL || sql == NULL) {
        rc = err_nomem(e);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        ids[i] = c[i].id;
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
        rc = store_fail(s, e, "emptying the spatial index");
        goto done;
    }
    sqlite3_free(sql);
    sql = sqlite3_mprintf("INSERT INTO \"%w_node\"(nodeno, data) VALUES(?1, ?2)", rtree);
    node = sql ? store_prepare(s, sql, "writing the spatial index", e) : NULL;
    sqlite3_free(sql);
    sql = sqlite3_mprintf("INSERT INTO \"%w_rowid\"(rowid, nodeno) VALUES(?1, ?2)", rtree);
    rowid = sql && node ? store_prepare(s, sql, "writing the spatial index", e) : NULL;
    sqlite3_free(sql);
    sql = sqlite3_mprintf("INSERT INTO \"%w_parent\"(nodeno, parentnode) VALUES(?1, ?2)", rtree);
    parent = sql && rowid ? store_prepare(s, sql, "writing the spatial index", e) : NULL;
    sqlite3_free(sql);
    sql = NULL;
    if (parent == NULL) {
        rc = e->code ? e->code : err_nomem(e);
        goto done;
    }

    /* Level by level: pack the cells into nodes numbered from 2, whose
     * boxes become the next level's cells, until they fit in the root. */
    int64_t next = 2;
    unsigned depth = 0;
    size_t len = n;
    while (len > m) {
        if (depth == STORE_RTREE_DEPTH_MAX) {
            rc = err_set(e, ERR_LIMIT, "the spatial index %s would be too deep", rtree);
            goto done;
        }
        store_rtree_sort(c, len, m);
        size_t up = 0;
        for (size_t a = 0; a < len && rc == ERR_OK; a += m) {
            size_t k = len - a < m ? len - a : m;
            int64_t no = next++;
            rc = store_rtree_node(s, node, blob, size, no, 0, c + a, k, e);
            struct store_rtree_cell box = {no, {c[a].c[0], c[a].c[1], c[a].c[2], c[a].c[3]}, 0};
            for (size_t i = a; i < a + k && rc == ERR_OK; i++) {
                if (depth == 0)
                    leaf[c[i].pos] = no;
                else
                    rc = store_rtree_pair(s, parent, c[i].id, no, e);
                box.c[0] = c[i].c[0] < box.c[0] ? c[i].c[0] : box.c[0];
                box.c[1] = c[i].c[1] > box.c[1] ? c[i].c[1] : box.c[1];
                box.c[2] = c[i].c[2] < box.c[2] ? c[i].c[2] : box.c[2];
                box.c[3] = c[i].c[3] > box.c[3] ? c[i].c[3] : box.c[3];
            }
            c[up++] = box; /* up <= a: no cell still needed is overwritten */
        }
        if (rc != ERR_OK)
            goto done;
        len = up;
        depth++;
    }
    if ((rc = store_rtree_node(s, node, blob, size, 1, depth, c, len, e)) != ERR_OK)
        goto done;
    for (size_t i = 0; i < len && rc == ERR_OK; i++) {
        if (depth == 0)
            leaf[c[i].pos] = 1;
        else
            rc = store_rtree_pair(s, parent, c[i].id, 1, e);
    }
    if (rc != ERR_OK)
        goto done;
    /* Entries in the order read (the caller's id order): appends to %_rowid. */
    for (size_t i = 0; i < n && rc == ERR_OK; i++)
        rc = store_rtree_pair(s, rowid, ids[i], leaf[i], e);
done:
    sqlite3_free(sql);
    sqlite3_finalize(node);
    sqlite3_finalize(rowid);
    sqlite3_finalize(parent);
    free(blob);
    free(leaf);
    free(ids);
    return rc;
}

int store_rtree_pack(struct store *s, const char *rtree, const char *sel, struct err *e)
{
    struct store_rtree_cell *c = NULL;
    size_t n = 0;
    int rc = store_rtree_read(s, sel, &c, &n, e);
    if (rc == ERR_OK)
        rc = store_rtree_write(s, rtree, c, n, e);
    free(c);
    return rc;
}

/* Entries collected in memory (store_rtree_new). */
struct store_rtree {
    struct store *s;            /* the store (borrowed) */
    sqlite3_stmt *exact;        /* the text round trip, prepared when first needed */
    struct store_rtree_cell *c; /* entries, owned */
    size_t n;                   /* entries held */
    size_t cap;                 /* capacity of c */
};

struct store_rtree *store_rtree_new(struct store *s, struct err *e)
{
    struct store_rtree *r = calloc(1, sizeof *r);
    if (r == NULL)
        err_nomem(e);
    else
        r->s = s;
    return r;
}

void store_rtree_free(struct store_rtree *r)
{
    if (r == NULL)
        return;
    sqlite3_finalize(r->exact);
    free(r->c);
    free(r);
}

/* 1 when store_rtree_down (up == 0) or store_rtree_up (up == 1) returns the
 * same float for every double within delta of d. Each of the three things
 * the result depends on is a monotone function of the value (the nearest
 * float, whether that float lies above it, the float nearest to the value
 * nudged by a constant factor), so equal at both ends means constant over
 * the interval. Not for NaN or infinities (returns 0). */
static int store_rtree_stable(double d, double delta, int up)
{
    double a = d - delta, b = d + delta;
    if ((a < 0) != (b < 0))
        return 0;
    float fa = (float)a, fb = (float)b;
    if (fa != fb || !((double)fa < a || (double)fa > b))
        return 0;
    double k = up ? (d < 0 ? STORE_RTREE_TOWARDS : STORE_RTREE_AWAY)
                  : (d < 0 ? STORE_RTREE_AWAY : STORE_RTREE_TOWARDS);
    return (float)(a * k) == (float)(b * k);
}

/* The float RTreeAlign's insert stores for bound d: d printed "%1.12f" by
 * SQLite and read back, then rounded down (up == 0) or up. SQLite's text
 * keeps 16 significant digits, so the value read back lies within
 * 5e-13 + |d| * 1e-15 of d; when the rounding cannot change over a wider
 * interval the round trip is skipped, otherwise SQLite makes it. */
static int store_rtree_aligned(struct store_rtree *r, double d, int up, float *out, struct err *e)
{
    if (store_rtree_stable(d, 1e-11 + fabs(d) * 1e-14, up)) {
        *out = up ? store_rtree_up(d) : store_rtree_down(d);
        return ERR_OK;
    }
    if (r->exact == NULL &&
        (r->exact = store_prepare(r->s, "SELECT CAST(printf('%1.12f', ?1) AS REAL)",
                                  "preparing the spatial index's bounds", e)) == NULL)
        return ERR_IO;
    sqlite3_bind_double(r->exact, 1, d);
    int step = sqlite3_step(r->exact);
    double t = sqlite3_column_double(r->exact, 0);
    sqlite3_reset(r->exact);
    if (step != SQLITE_ROW)
        return store_fail(r->s, e, "computing the spatial index's bounds");
    *out = up ? store_rtree_up(t) : store_rtree_down(t);
    return ERR_OK;
}

int store_rtree_add(struct store_rtree *r, int64_t id, const double box[4], struct err *e)
{
    if (r->n == r->cap) {
        size_t nc = r->cap ? 2 * r->cap : 4096;
        struct store_rtree_cell *g = r->n < UINT32_MAX ? realloc(r->c, nc * sizeof *g) : NULL;
        if (g == NULL)
            return err_nomem(e);
        r->c = g;
        r->cap = nc;
    }
    struct store_rtree_cell *x = &r->c[r->n];
    x->id = id;
    x->pos = (uint32_t)r->n;
    for (int k = 0; k < 4; k++)
        if (store_rtree_aligned(r, box[k], k & 1, &x->c[k], e) != ERR_OK)
            return e->code;
    if (!(x->c[0] <= x->c[1] && x->c[2] <= x->c[3]))
        return err_set(e, ERR_INPUT, "a spatial index entry has an empty box");
    r->n++;
    return ERR_OK;
}

int store_rtree_fill(struct store_rtree *r, const char *rtree, struct err *e)
{
    return store_rtree_write(r->s, rtree, r->c, r->n, e);
}
