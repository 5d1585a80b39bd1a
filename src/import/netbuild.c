/* SPDX-License-Identifier: MIT */
/* netbuild.c - noding and deduplication of polylines into a walking network
 * (see netbuild.h). Entry points: netbuild_new, netbuild_add_line,
 * netbuild_finish, the accessors, netbuild_free.
 *
 * How: every vertex is interned in an open-addressing hash table keyed by
 * the exact bits of its key coordinates, which yields a dense point id per
 * distinct location, an occurrence count and an "ends a line" mark. Lines are
 * then cut at node vertices into edges that point into the shared vertex
 * arrays (no copies), duplicates are removed through a second hash table on
 * the direction-independent vertex sequence, and node ids are handed out in
 * the order the kept edges first touch them. Memory is O(vertices).
 */
#include "netbuild.h"

#include "vec.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NB_NONE UINT32_MAX

/* One input line after dropping repeated vertices. */
struct nb_line {
    size_t first;   /* index of its first vertex in the vertex arrays */
    uint32_t n;     /* vertices, >= 2 */
    uint32_t attr;  /* the caller's attribute id */
    unsigned flags; /* NETBUILD_FLAG_* */
};

/* An edge while building: vertices [first, first + n) of the vertex arrays. */
struct nb_cut {
    size_t first;   /* first vertex */
    uint32_t n;     /* vertices, >= 2 */
    uint32_t from;  /* point id of the first vertex */
    uint32_t to;    /* point id of the last vertex */
    uint32_t attr;  /* attribute id of the line */
    unsigned flags; /* flags, OR-ed over duplicates */
    int dup;        /* 1 when a duplicate of an earlier edge */
};

struct netbuild {
    int mode;                    /* enum netbuild_mode */
    int finished;                /* 1 after netbuild_finish */
    double *key;                 /* 2 * npts key coordinates, owned */
    double *xy;                  /* 2 * npts planar coordinates, owned */
    size_t npts;                 /* vertices stored */
    size_t pts_cap;              /* capacity of key and xy, in vertices */
    struct nb_line *lines;       /* lines kept, owned */
    size_t nlines;               /* lines kept */
    size_t lines_cap;            /* capacity of lines */
    double *node_xy;             /* 2 * nnodes node positions, owned (after finish) */
    size_t nnodes;               /* nodes (after finish) */
    struct netbuild_edge *edges; /* kept edges, owned (after finish) */
    size_t nedges;               /* kept edges (after finish) */
    struct netbuild_stats stats; /* running statistics */
};

struct netbuild *netbuild_new(int mode, struct err *e)
{
    if (mode != NETBUILD_NODE_SHARED && mode != NETBUILD_NODE_ENDPOINTS)
        return err_set(e, ERR_INTERNAL, "unknown noding mode %d", mode), NULL;
    struct netbuild *nb = calloc(1, sizeof *nb);
    if (nb == NULL)
        return err_nomem(e), NULL;
    nb->mode = mode;
    return nb;
}

void netbuild_free(struct netbuild *nb)
{
    if (nb == NULL)
        return;
    free(nb->key);
    free(nb->xy);
    free(nb->lines);
    free(nb->node_xy);
    free(nb->edges);
    free(nb);
}

static int nb_reserve_points(struct netbuild *nb, size_t need)
{
    if (need <= nb->pts_cap)
        return ERR_OK;
    size_t ck = nb->pts_cap, cx = nb->pts_cap;
    if (vec_reserve((void **)&nb->key, &ck, need, 2 * sizeof *nb->key) != ERR_OK ||
        vec_reserve((void **)&nb->xy, &cx, need, 2 * sizeof *nb->xy) != ERR_OK)
        return ERR_NOMEM; /* key grew alone: harmless, pts_cap still bounds both */
    nb->pts_cap = ck;
    return ERR_OK;
}

/* True when vertices a and b have the same key (after -0.0 normalisation). */
static int nb_same(const struct netbuild *nb, size_t a, size_t b)
{
    return nb->key[2 * a] == nb->key[2 * b] && nb->key[2 * a + 1] == nb->key[2 * b + 1];
}

int netbuild_add_line(struct netbuild *nb, const double *key, const double *xy, size_t n,
                      uint32_t attr, unsigned flags, struct err *e)
{
    if (nb->finished)
        return err_set(e, ERR_INTERNAL, "netbuild_add_line after netbuild_finish");
    if (n > NETBUILD_MAX_LINE_POINTS)
        return err_set(e, ERR_LIMIT,
                       "the line has %zu vertices, more than the limit of %u; "
                       "split it into shorter lines",
                       n, NETBUILD_MAX_LINE_POINTS);
    if (nb->npts + n > NETBUILD_MAX_POINTS)
        return err_set(e, ERR_LIMIT,
                       "the network has more than %u vertices in all; import a "
                       "smaller area",
                       NETBUILD_MAX_POINTS);
    if (nb->nlines >= NETBUILD_MAX_EDGES)
        return err_set(e, ERR_LIMIT, "the network has more than %u lines; import a smaller area",
                       NETBUILD_MAX_EDGES);
    for (size_t i = 0; i < 2 * n; i++)
        if (!isfinite(key[i]) || !isfinite(xy[i]))
            return err_set(e, ERR_INPUT, "the line has a coordinate that is not a finite number");
    if (nb_reserve_points(nb, nb->npts + n) != ERR_OK ||
        vec_reserve((void **)&nb->lines, &nb->lines_cap, nb->nlines + 1, sizeof *nb->lines))
        return err_nomem(e);
    nb->stats.lines++;
    size_t first = nb->npts, k = first;
    for (size_t i = 0; i < n; i++) {
        double kx = key[2 * i], ky = key[2 * i + 1];
        nb->key[2 * k] = kx == 0.0 ? 0.0 : kx; /* -0.0 and 0.0 are one place */
        nb->key[2 * k + 1] = ky == 0.0 ? 0.0 : ky;
        nb->xy[2 * k] = xy[2 * i];
        nb->xy[2 * k + 1] = xy[2 * i + 1];
        if (k > first && nb_same(nb, k, k - 1)) {
            nb->stats.points_repeated++;
            continue;
        }
        k++;
    }
    if (k - first < 2) {
        nb->stats.lines_collapsed++;
        return ERR_OK; /* vertices above npts are scratch and get overwritten */
    }
    nb->lines[nb->nlines++] = (struct nb_line){first, (uint32_t)(k - first), attr, flags};
    nb->npts = k;
    return ERR_OK;
}

/* 64-bit finaliser (splitmix64): spreads the bits of a combined key. */
static uint64_t nb_mix(uint64_t h)
{
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    h ^= h >> 31;
    return h;
}

static uint64_t nb_bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

static uint64_t nb_point_hash(const struct netbuild *nb, size_t v)
{
    return nb_mix(nb_bits(nb->key[2 * v]) * 0x9e3779b97f4a7c15ULL ^ nb_bits(nb->key[2 * v + 1]));
}

/* Smallest power of two >= 2 * n (and >= 16). */
static size_t nb_table_size(size_t n)
{
    size_t s = 16;
    while (s < 2 * n)
        s <<= 1;
    return s;
}

/* Per-point facts gathered while interning vertices. */
struct nb_point {
    uint32_t vertex; /* first vertex with this key */
    uint32_t node;   /* node id once handed out, NB_NONE before */
    uint8_t count;   /* occurrences among all vertices, saturating at 2 */
    uint8_t end;     /* 1 when some line starts or ends here */
};

/* Interns every vertex: pid[v] = dense point id; fills pts (*npoints). */
static int nb_intern(const struct netbuild *nb, uint32_t *pid, struct nb_point *pts,
                     size_t *npoints)
{
    size_t size = nb_table_size(nb->npts), mask = size - 1, np = 0;
    uint32_t *table = malloc(size * sizeof *table);
    if (table == NULL)
        return ERR_NOMEM;
    memset(table, 0xff, size * sizeof *table);
    for (size_t v = 0; v < nb->npts; v++) {
        size_t h = (size_t)nb_point_hash(nb, v) & mask;
        for (;;) {
            uint32_t p = table[h];
            if (p == NB_NONE) {
                table[h] = (uint32_t)np;
                pts[np] = (struct nb_point){(uint32_t)v, NB_NONE, 1, 0};
                pid[v] = (uint32_t)np++;
                break;
            }
            if (nb_same(nb, pts[p].vertex, v)) {
                if (pts[p].count < 2)
                    pts[p].count++;
                pid[v] = p;
                break;
            }
            h = (h + 1) & mask;
        }
    }
    free(table);
    *npoints = np;
    return ERR_OK;
}

/* -1, 0 or 1 as vertex a's key orders before, equal to, or after b's. */
static int nb_cmp_vertex(const struct netbuild *nb, size_t a, size_t b)
{
    for (int c = 0; c < 2; c++) {
        double x = nb->key[2 * a + (size_t)c], y = nb->key[2 * b + (size_t)c];
        if (x != y)
            return x < y ? -1 : 1;
    }
    return 0;
}

/* 1 when the edge read backwards is lexicographically smaller than forwards:
 * its canonical direction is then reversed. */
static int nb_cut_reversed(const struct netbuild *nb, const struct nb_cut *c)
{
    for (size_t i = 0; i < c->n; i++) {
        int d = nb_cmp_vertex(nb, c->first + c->n - 1 - i, c->first + i);
        if (d != 0)
            return d < 0;
    }
    return 0;
}

/* Hash of the edge's vertex sequence in canonical direction. */
static uint64_t nb_cut_hash(const struct netbuild *nb, const struct nb_cut *c)
{
    int rev = nb_cut_reversed(nb, c);
    uint64_t h = nb_mix(c->n);
    for (size_t i = 0; i < c->n; i++) {
        size_t v = rev ? c->first + c->n - 1 - i : c->first + i;
        h = nb_mix(h ^ nb_point_hash(nb, v));
    }
    return h;
}

/* 1 when a and b have the same vertices, forwards or reversed. */
static int nb_cut_equal(const struct netbuild *nb, const struct nb_cut *a, const struct nb_cut *b)
{
    if (a->n != b->n)
        return 0;
    int fwd = 1, rev = 1;
    for (size_t i = 0; i < a->n && (fwd || rev); i++) {
        fwd = fwd && nb_same(nb, a->first + i, b->first + i);
        rev = rev && nb_same(nb, a->first + i, b->first + b->n - 1 - i);
    }
    return fwd || rev;
}

/* Marks duplicates (c->dup) and ORs their flags into the first copy. */
static int nb_dedup(const struct netbuild *nb, struct nb_cut *cuts, size_t ncuts)
{
    size_t size = nb_table_size(ncuts), mask = size - 1;
    uint32_t *table = malloc(size * sizeof *table);
    if (table == NULL)
        return ERR_NOMEM;
    memset(table, 0xff, size * sizeof *table);
    for (size_t i = 0; i < ncuts; i++) {
        size_t h = (size_t)nb_cut_hash(nb, &cuts[i]) & mask;
        for (;;) {
            uint32_t j = table[h];
            if (j == NB_NONE) {
                table[h] = (uint32_t)i;
                break;
            }
            /* Same end points are implied by equal sequences; checking them
             * first is a cheap filter. */
            if (((cuts[j].from == cuts[i].from && cuts[j].to == cuts[i].to) ||
                 (cuts[j].from == cuts[i].to && cuts[j].to == cuts[i].from)) &&
                nb_cut_equal(nb, &cuts[j], &cuts[i])) {
                cuts[i].dup = 1;
                cuts[j].flags |= cuts[i].flags;
                break;
            }
            h = (h + 1) & mask;
        }
    }
    free(table);
    return ERR_OK;
}

static double nb_length(const double *xy, size_t n)
{
    double len = 0;
    for (size_t i = 1; i < n; i++)
        len += hypot(xy[2 * i] - xy[2 * i - 2], xy[2 * i + 1] - xy[2 * i - 1]);
    return len;
}

/* Node id of point p, handing out the next id (at vertex v's position) on
 * first use. */
static uint32_t nb_node(struct netbuild *nb, struct nb_point *pts, uint32_t p, size_t v)
{
    if (pts[p].node == NB_NONE) {
        pts[p].node = (uint32_t)nb->nnodes;
        nb->node_xy[2 * nb->nnodes] = nb->xy[2 * v];
        nb->node_xy[2 * nb->nnodes + 1] = nb->xy[2 * v + 1];
        nb->nnodes++;
    }
    return pts[p].node;
}

int netbuild_finish(struct netbuild *nb, struct netbuild_stats *stats, struct err *e)
{
    int rc = ERR_OK;
    uint32_t *pid = NULL;
    struct nb_point *pts = NULL;
    struct nb_cut *cuts = NULL;
    size_t npoints = 0, ncuts = 0, cuts_cap = 0;
    if (nb->finished) {
        rc = err_set(e, ERR_INTERNAL, "netbuild_finish called twice");
        goto fail;
    }
    nb->finished = 1;
    pid = malloc((nb->npts ? nb->npts : 1) * sizeof *pid);
    pts = malloc((nb->npts ? nb->npts : 1) * sizeof *pts);
    if (pid == NULL || pts == NULL || nb_intern(nb, pid, pts, &npoints) != ERR_OK) {
        rc = err_nomem(e);
        goto fail;
    }
    for (size_t l = 0; l < nb->nlines; l++) {
        pts[pid[nb->lines[l].first]].end = 1;
        pts[pid[nb->lines[l].first + nb->lines[l].n - 1]].end = 1;
    }
    /* Cut every line at its node vertices. */
    for (size_t l = 0; l < nb->nlines; l++) {
        const struct nb_line *ln = &nb->lines[l];
        size_t start = ln->first, last = ln->first + ln->n - 1;
        for (size_t v = start + 1; v <= last; v++) {
            const struct nb_point *p = &pts[pid[v]];
            int node = p->end || (nb->mode == NETBUILD_NODE_SHARED && p->count > 1);
            if (!node)
                continue;
            if (ncuts >= NETBUILD_MAX_EDGES) {
                rc = err_set(e, ERR_LIMIT,
                             "the network has more than %u edges; import a "
                             "smaller area",
                             NETBUILD_MAX_EDGES);
                goto fail;
            }
            if (vec_reserve((void **)&cuts, &cuts_cap, ncuts + 1, sizeof *cuts) != ERR_OK) {
                rc = err_nomem(e);
                goto fail;
            }
            cuts[ncuts++] = (struct nb_cut){
                start, (uint32_t)(v - start + 1), pid[start], pid[v], ln->attr, ln->flags, 0};
            start = v;
        }
        assert(start == last); /* the last vertex always ends a line, so is a node */
    }
    nb->stats.edges_noded = ncuts;
    if (nb_dedup(nb, cuts, ncuts) != ERR_OK) {
        rc = err_nomem(e);
        goto fail;
    }
    size_t kept = 0;
    for (size_t i = 0; i < ncuts; i++)
        kept += !cuts[i].dup;
    nb->edges = malloc((kept ? kept : 1) * sizeof *nb->edges);
    nb->node_xy = malloc(2 * (npoints ? npoints : 1) * sizeof *nb->node_xy);
    if (nb->edges == NULL || nb->node_xy == NULL) {
        rc = err_nomem(e);
        goto fail;
    }
    for (size_t i = 0; i < ncuts; i++) {
        const struct nb_cut *c = &cuts[i];
        if (c->dup)
            continue;
        size_t lastv = c->first + c->n - 1;
        uint32_t s = nb_node(nb, pts, c->from, c->first);
        uint32_t t = nb_node(nb, pts, c->to, lastv);
        const double *xy = nb->xy + 2 * c->first;
        nb->edges[nb->nedges++] =
            (struct netbuild_edge){s, t, c->attr, c->flags, nb_length(xy, c->n), xy, c->n};
    }
    if (nb->nnodes > NETBUILD_MAX_NODES) {
        rc = err_set(e, ERR_LIMIT, "the network has more than %u nodes; import a smaller area",
                     NETBUILD_MAX_NODES);
        goto fail;
    }
    nb->stats.edges_duplicate = ncuts - kept;
    nb->stats.edges = nb->nedges;
    nb->stats.nodes = nb->nnodes;
    if (stats)
        *stats = nb->stats;
    free(pid);
    free(pts);
    free(cuts);
    return ERR_OK;
fail:
    /* Leave no half-built result visible through the accessors. */
    nb->nedges = nb->nnodes = 0;
    free(pid);
    free(pts);
    free(cuts);
    return rc;
}

size_t netbuild_node_count(const struct netbuild *nb)
{
    return nb->nnodes;
}

size_t netbuild_edge_count(const struct netbuild *nb)
{
    return nb->nedges;
}

void netbuild_node_xy(const struct netbuild *nb, size_t i, double *x, double *y)
{
    assert(i < nb->nnodes);
    *x = nb->node_xy[2 * i];
    *y = nb->node_xy[2 * i + 1];
}

const struct netbuild_edge *netbuild_edge_at(const struct netbuild *nb, size_t i)
{
    assert(i < nb->nedges);
    return &nb->edges[i];
}
