/* SPDX-License-Identifier: MIT */
/* graph.c - implements the street network declared in graph.h: the builder
 * (graph_builder_new/add_node/add_edge/finish/free), the compact read-only
 * graph (CSR adjacency, structure-of-arrays edge records, polyline.h's
 * compact polylines relative to an origin, snap.h's segment grid), a graph
 * borrowing checked arrays (graph_parts, graph_from_parts), snapping (graph_snap),
 * places and pieces of edges (graph_place_at, graph_edge_slice[_new]),
 * accessors and the memory account (graph_memory_bytes). */
#include "graph.h"

#include "vec.h"

#include "polyline.h"
#include "snap.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct graph_builder {
    double *node_xy;     /* x,y per node as given */
    size_t node_cap;     /* nodes node_xy can hold */
    uint32_t nnodes;     /* nodes added */
    uint32_t *edge_uv;   /* u,v per edge */
    double *edge_len;    /* length_m per edge */
    uint8_t *edge_flags; /* flags per edge */
    uint32_t *pt_off;    /* nedges+1 offsets into pts; pt_off[0] == 0 */
    size_t edge_cap;     /* edges the per-edge arrays can hold (pt_off: one more) */
    uint32_t nedges;     /* edges added */
    double *pts;         /* x,y per polyline vertex, absolute coordinates */
    size_t pts_cap;      /* vertices pts can hold */
    uint32_t npts;       /* vertices added */
    int have_bbox;       /* whether the bbox below holds anything yet */
    double minx, miny;   /* bounding box of every node and vertex added */
    double maxx, maxy;
};

struct graph {
    uint32_t nnodes;   /* N */
    uint32_t nedges;   /* E */
    uint32_t npts;     /* polyline vertices in total */
    double ox, oy;     /* origin: polylines are relative to it */
    double minx, miny; /* bounding box of nodes and vertices */
    double maxx, maxy;
    /* The arrays below are owned (freed by graph_free) unless `borrowed`:
     * then they belong to `owner` (a file mapping), and graph_free calls
     * release(owner) when release is set. */
    double *node_xy;          /* 2N: node coordinates as given */
    uint32_t *adj_off;        /* N+1 CSR offsets */
    uint32_t *adj_to;         /* 2E neighbour nodes */
    uint32_t *adj_edge;       /* 2E edge ids parallel to adj_to */
    uint32_t *edge_uv;        /* 2E: u,v of each edge */
    double *edge_len;         /* E: length_m */
    uint8_t *edge_flags;      /* E: flags */
    uint32_t *pt_off;         /* E+1: vertices of edge e are [pt_off[e], pt_off[e+1]) */
    int32_t *anchor;          /* 2E: first vertex of each edge, quanta from (ox,oy) */
    int16_t *step;            /* 2*(npts-E): later vertices as steps (polyline.h) */
    uint32_t nesc;            /* escaped steps */
    uint32_t *esc_at;         /* nesc step indices */
    int32_t *esc_d;           /* 2*nesc escaped steps */
    struct polyline_set ps;   /* the polyline arrays above, for the decoder */
    struct snap_index *index; /* segment grid over the polylines */
    int borrowed;             /* the arrays belong to someone else (graph_from_parts) */
    void (*release)(void *);  /* called with owner by graph_free when borrowed, or NULL */
    void *owner;              /* what release frees */
};

/* ---------------------------------------------------------------- builder */

struct graph_builder *graph_builder_new(struct err *e)
{
    struct graph_builder *b = calloc(1, sizeof *b);
    if (b == NULL) {
        err_nomem(e);
        return NULL;
    }
    b->pt_off = calloc(1, sizeof *b->pt_off);
    if (b->pt_off == NULL) {
        free(b);
        err_nomem(e);
        return NULL;
    }
    return b;
}

void graph_builder_free(struct graph_builder *b)
{
    if (b == NULL)
        return;
    free(b->node_xy);
    free(b->edge_uv);
    free(b->edge_len);
    free(b->edge_flags);
    free(b->pt_off);
    free(b->pts);
    free(b);
}

/* Grow all per-edge arrays to hold `need` edges. Arrays already grown stay
 * grown on failure, which is harmless: edge_cap only rises when all did. */
static int reserve_edges(struct graph_builder *b, size_t need, struct err *e)
{
    if (need <= b->edge_cap)
        return ERR_OK;
    /* Each array grows from the same capacity to the same capacity. */
    size_t c1 = b->edge_cap, c2 = c1, c3 = c1, c4 = c1 + 1;
    if (vec_reserve((void **)&b->edge_uv, &c1, need, 2 * sizeof *b->edge_uv) != ERR_OK ||
        vec_reserve((void **)&b->edge_len, &c2, need, sizeof *b->edge_len) != ERR_OK ||
        vec_reserve((void **)&b->edge_flags, &c3, need, sizeof *b->edge_flags) != ERR_OK ||
        vec_reserve((void **)&b->pt_off, &c4, c1 + 1, sizeof *b->pt_off) != ERR_OK)
        return err_nomem(e);
    b->edge_cap = c1;
    return ERR_OK;
}

static int coord_ok(double v)
{
    return isfinite(v) && fabs(v) <= GRAPH_MAX_COORD_M;
}

static void bbox_add(struct graph_builder *b, double x, double y)
{
    if (!b->have_bbox) {
        b->minx = b->maxx = x;
        b->miny = b->maxy = y;
        b->have_bbox = 1;
        return;
    }
    b->minx = fmin(b->minx, x);
    b->maxx = fmax(b->maxx, x);
    b->miny = fmin(b->miny, y);
    b->maxy = fmax(b->maxy, y);
}

int graph_builder_add_node(struct graph_builder *b, double x, double y, uint32_t *id, struct err *e)
{
    assert(b != NULL);
    if (!coord_ok(x) || !coord_ok(y))
        return err_set(e, ERR_INPUT, "node %u has coordinates that are not finite or exceed %.0f m",
                       b->nnodes, GRAPH_MAX_COORD_M);
    if (b->nnodes >= GRAPH_MAX_NODES)
        return err_set(e, ERR_LIMIT, "the street network has more than %u nodes", GRAPH_MAX_NODES);
    if (vec_reserve((void **)&b->node_xy, &b->node_cap, (size_t)b->nnodes + 1,
                    2 * sizeof *b->node_xy) != ERR_OK)
        return err_nomem(e);
    b->node_xy[2 * (size_t)b->nnodes] = x;
    b->node_xy[2 * (size_t)b->nnodes + 1] = y;
    bbox_add(b, x, y);
    if (id != NULL)
        *id = b->nnodes;
    b->nnodes++;
    return ERR_OK;
}

int graph_builder_add_edge(struct graph_builder *b, uint32_t u, uint32_t v, double length_m,
                           unsigned flags, const double *xy, size_t npts, uint32_t *id,
                           struct err *e)
{
    assert(b != NULL);
    uint32_t eid = b->nedges;
    if (u >= b->nnodes || v >= b->nnodes)
        return err_set(e, ERR_INPUT, "edge %u refers to a node that does not exist (%u nodes)", eid,
                       b->nnodes);
    if (!isfinite(length_m) || length_m < 0.0)
        return err_set(e, ERR_INPUT, "edge %u has a length that is negative or not a number", eid);
    if (length_m > GRAPH_MAX_EDGE_LENGTH_M)
        return err_set(e, ERR_LIMIT, "edge %u is longer than %.0f m", eid, GRAPH_MAX_EDGE_LENGTH_M);
    if (flags > GRAPH_EDGE_FLAGS_MAX)
        return err_set(e, ERR_INPUT, "edge %u has flags beyond 0x%X", eid, GRAPH_EDGE_FLAGS_MAX);
    if (b->nedges >= GRAPH_MAX_EDGES)
        return err_set(e, ERR_LIMIT, "the street network has more than %u edges", GRAPH_MAX_EDGES);

    double ux = b->node_xy[2 * (size_t)u], uy = b->node_xy[2 * (size_t)u + 1];
    double vx = b->node_xy[2 * (size_t)v], vy = b->node_xy[2 * (size_t)v + 1];
    double straight[4] = {ux, uy, vx, vy};
    if (xy == NULL && npts == 0) {
        xy = straight;
        npts = 2;
    } else if (xy == NULL || npts < 2) {
        return err_set(e, ERR_INPUT, "edge %u has a polyline of fewer than 2 vertices", eid);
    }
    if (npts > GRAPH_MAX_EDGE_POINTS)
        return err_set(e, ERR_LIMIT, "edge %u has more than %u polyline vertices", eid,
                       GRAPH_MAX_EDGE_POINTS);
    if ((size_t)b->npts + npts > GRAPH_MAX_POINTS)
        return err_set(e, ERR_LIMIT, "the street network has more than %u polyline vertices",
                       GRAPH_MAX_POINTS);
    for (size_t k = 0; k < 2 * npts; k++)
        if (!coord_ok(xy[k]))
            return err_set(e, ERR_INPUT,
                           "edge %u has a vertex that is not finite or exceeds %.0f m", eid,
                           GRAPH_MAX_COORD_M);
    const double *last = xy + 2 * (npts - 1);
    if (hypot(xy[0] - ux, xy[1] - uy) > GRAPH_ENDPOINT_TOLERANCE_M ||
        hypot(last[0] - vx, last[1] - vy) > GRAPH_ENDPOINT_TOLERANCE_M)
        return err_set(e, ERR_INPUT,
                       "edge %u's polyline does not run from its node u to its node v "
                       "(within %.1f m)",
                       eid, GRAPH_ENDPOINT_TOLERANCE_M);

    int rc = reserve_edges(b, (size_t)b->nedges + 1, e);
    if (rc == ERR_OK)
        rc = vec_reserve((void **)&b->pts, &b->pts_cap, (size_t)b->npts + npts,
                         2 * sizeof *b->pts) == ERR_OK
                 ? ERR_OK
                 : err_nomem(e);
    if (rc != ERR_OK)
        return rc;

    memcpy(b->pts + 2 * (size_t)b->npts, xy, 2 * npts * sizeof *xy);
    for (size_t k = 0; k < npts; k++)
        bbox_add(b, xy[2 * k], xy[2 * k + 1]);
    b->npts += (uint32_t)npts;
    b->edge_uv[2 * (size_t)eid] = u;
    b->edge_uv[2 * (size_t)eid + 1] = v;
    b->edge_len[eid] = length_m;
    b->edge_flags[eid] = (uint8_t)flags;
    b->pt_off[eid + 1] = b->npts;
    if (id != NULL)
        *id = eid;
    b->nedges++;
    return ERR_OK;
}

/* Shrink *p to exactly `bytes` (NULL for zero). Returns 0 on failure, with
 * *p unchanged. */
static int shrink(void **p, size_t bytes)
{
    if (bytes == 0) {
        free(*p);
        *p = NULL;
        return 1;
    }
    void *q = realloc(*p, bytes);
    if (q == NULL)
        return 0;
    *p = q;
    return 1;
}

/* Point g->ps at the graph's polyline arrays. */
static void graph_set_polylines(struct graph *g)
{
    g->ps.npolys = g->nedges;
    g->ps.pt_off = g->pt_off;
    g->ps.anchor = g->anchor;
    g->ps.step = g->step;
    g->ps.nesc = g->nesc;
    g->ps.esc_at = g->esc_at;
    g->ps.esc_d = g->esc_d;
}

struct graph *graph_builder_finish(struct graph_builder *b, struct err *e)
{
    assert(b != NULL);
    uint32_t *cursor = NULL;
    struct graph *g = calloc(1, sizeof *g);
    if (g == NULL)
        goto nomem;
    if (b->have_bbox &&
        (b->maxx - b->minx > GRAPH_MAX_EXTENT_M || b->maxy - b->miny > GRAPH_MAX_EXTENT_M)) {
        err_set(e, ERR_LIMIT, "the street network spans more than %.0f km",
                GRAPH_MAX_EXTENT_M / 1000.0);
        goto fail;
    }
    const size_t n = b->nnodes, m = b->nedges;
    g->nnodes = b->nnodes;
    g->nedges = b->nedges;
    g->npts = b->npts;
    if (b->have_bbox) {
        g->minx = b->minx;
        g->miny = b->miny;
        g->maxx = b->maxx;
        g->maxy = b->maxy;
        g->ox = round((b->minx + b->maxx) / 2.0);
        g->oy = round((b->miny + b->maxy) / 2.0);
    }

    /* Move the per-node and per-edge arrays over at their exact sizes. */
    if (!shrink((void **)&b->node_xy, 2 * n * sizeof *b->node_xy) ||
        !shrink((void **)&b->edge_uv, 2 * m * sizeof *b->edge_uv) ||
        !shrink((void **)&b->edge_len, m * sizeof *b->edge_len) ||
        !shrink((void **)&b->edge_flags, m * sizeof *b->edge_flags) ||
        !shrink((void **)&b->pt_off, (m + 1) * sizeof *b->pt_off))
        goto nomem;
    g->node_xy = b->node_xy;
    g->edge_uv = b->edge_uv;
    g->edge_len = b->edge_len;
    g->edge_flags = b->edge_flags;
    g->pt_off = b->pt_off;
    b->node_xy = NULL;
    b->edge_uv = NULL;
    b->edge_len = NULL;
    b->edge_flags = NULL;
    b->pt_off = NULL;

    /* Polylines in the compact form, relative to the origin. */
    for (size_t k = 0; k < 2 * (size_t)b->npts; k += 2) {
        b->pts[k] -= g->ox;
        b->pts[k + 1] -= g->oy;
    }
    if (polyline_encode(g->nedges, g->pt_off, b->pts, &g->anchor, &g->step, &g->nesc, &g->esc_at,
                        &g->esc_d, e) != ERR_OK)
        goto fail;
    free(b->pts);
    b->pts = NULL;
    graph_set_polylines(g);

    /* CSR adjacency: each edge appears at u (towards v) and at v (towards u),
     * in edge order. */
    g->adj_off = calloc(n + 1, sizeof *g->adj_off);
    g->adj_to = malloc((m > 0 ? 2 * m : 1) * sizeof *g->adj_to);
    g->adj_edge = malloc((m > 0 ? 2 * m : 1) * sizeof *g->adj_edge);
    cursor = malloc((n > 0 ? n : 1) * sizeof *cursor);
    if (g->adj_off == NULL || g->adj_to == NULL || g->adj_edge == NULL || cursor == NULL)
        goto nomem;
    for (size_t k = 0; k < m; k++) {
        g->adj_off[g->edge_uv[2 * k] + 1]++;
        g->adj_off[g->edge_uv[2 * k + 1] + 1]++;
    }
    for (size_t k = 0; k < n; k++)
        g->adj_off[k + 1] += g->adj_off[k];
    assert(g->adj_off[n] == 2 * m);
    memcpy(cursor, g->adj_off, n * sizeof *cursor);
    for (size_t k = 0; k < m; k++) {
        uint32_t u = g->edge_uv[2 * k], v = g->edge_uv[2 * k + 1];
        g->adj_to[cursor[u]] = v;
        g->adj_edge[cursor[u]++] = (uint32_t)k;
        g->adj_to[cursor[v]] = u;
        g->adj_edge[cursor[v]++] = (uint32_t)k;
    }
    free(cursor);
    cursor = NULL;

    g->index = snap_index_new_compact(&g->ps, e);
    if (g->index == NULL)
        goto fail;
    graph_builder_free(b);
    return g;

nomem:
    err_nomem(e);
fail:
    free(cursor);
    graph_free(g);
    graph_builder_free(b);
    return NULL;
}

void graph_free(struct graph *g)
{
    if (g == NULL)
        return;
    snap_index_free(g->index);
    if (g->borrowed) {
        if (g->release != NULL)
            g->release(g->owner);
        free(g);
        return;
    }
    free(g->node_xy);
    free(g->adj_off);
    free(g->adj_to);
    free(g->adj_edge);
    free(g->edge_uv);
    free(g->edge_len);
    free(g->edge_flags);
    free(g->pt_off);
    free(g->anchor);
    free(g->step);
    free(g->esc_at);
    free(g->esc_d);
    free(g);
}

/* -------------------------------------------------------------- accessors */

uint32_t graph_node_count(const struct graph *g)
{
    return g->nnodes;
}

uint32_t graph_edge_count(const struct graph *g)
{
    return g->nedges;
}

void graph_bbox(const struct graph *g, double *minx, double *miny, double *maxx, double *maxy)
{
    *minx = g->minx;
    *miny = g->miny;
    *maxx = g->maxx;
    *maxy = g->maxy;
}

void graph_view(const struct graph *g, struct graph_view *v)
{
    v->nnodes = g->nnodes;
    v->nedges = g->nedges;
    v->adj_off = g->adj_off;
    v->adj_to = g->adj_to;
    v->adj_edge = g->adj_edge;
    v->edge_uv = g->edge_uv;
    v->length = g->edge_len;
    v->flags = g->edge_flags;
}

void graph_node_xy(const struct graph *g, uint32_t n, double *x, double *y)
{
    assert(n < g->nnodes);
    *x = g->node_xy[2 * (size_t)n];
    *y = g->node_xy[2 * (size_t)n + 1];
}

void graph_edge_nodes(const struct graph *g, uint32_t e, uint32_t *u, uint32_t *v)
{
    assert(e < g->nedges);
    *u = g->edge_uv[2 * (size_t)e];
    *v = g->edge_uv[2 * (size_t)e + 1];
}

double graph_edge_length(const struct graph *g, uint32_t e)
{
    assert(e < g->nedges);
    return g->edge_len[e];
}

unsigned graph_edge_flags(const struct graph *g, uint32_t e)
{
    assert(e < g->nedges);
    return g->edge_flags[e];
}

uint32_t graph_edge_npoints(const struct graph *g, uint32_t e)
{
    assert(e < g->nedges);
    return g->pt_off[e + 1] - g->pt_off[e];
}

void graph_edge_point(const struct graph *g, uint32_t e, uint32_t i, double *x, double *y)
{
    assert(e < g->nedges && i < graph_edge_npoints(g, e));
    struct polyline_cursor c;
    polyline_start(&g->ps, e, &c);
    for (uint32_t k = 0; k < i; k++)
        polyline_next(&c);
    *x = g->ox + polyline_x(&c);
    *y = g->oy + polyline_y(&c);
}

size_t graph_memory_bytes(const struct graph *g)
{
    if (g == NULL)
        return 0;
    size_t n = g->nnodes, m = g->nedges, nsteps = (size_t)g->npts - m;
    return sizeof *g + 2 * n * sizeof *g->node_xy + (n + 1) * sizeof *g->adj_off +
           2 * m * sizeof *g->adj_to + 2 * m * sizeof *g->adj_edge + 2 * m * sizeof *g->edge_uv +
           m * sizeof *g->edge_len + m * sizeof *g->edge_flags + (m + 1) * sizeof *g->pt_off +
           2 * m * sizeof *g->anchor + 2 * nsteps * sizeof *g->step +
           g->nesc * (sizeof *g->esc_at + 2 * sizeof *g->esc_d) + snap_index_memory_bytes(g->index);
}

/* ------------------------------------------------------- polyline geometry */

/* Length of the segment a-b (local frame). Every distance along a polyline
 * is a sum of these, in vertex order, so snapping, places and slices agree
 * exactly. */
static double seg_len(double ax, double ay, double bx, double by)
{
    double dx = bx - ax;
    double dy = by - ay;
    return sqrt(dx * dx + dy * dy);
}

/* Length of edge e's stored polyline. */
static double poly_len(const struct graph *g, uint32_t e)
{
    struct polyline_cursor c;
    polyline_start(&g->ps, e, &c);
    double s = 0.0, ax = polyline_x(&c), ay = polyline_y(&c);
    while (polyline_next(&c)) {
        double bx = polyline_x(&c), by = polyline_y(&c);
        s += seg_len(ax, ay, bx, by);
        ax = bx;
        ay = by;
    }
    return s;
}

/* Convert an offset in length_m units to a distance along the polyline. */
static double offset_to_along(const struct graph *g, uint32_t e, double offset, double plen)
{
    double len = g->edge_len[e];
    if (len <= 0.0)
        return 0.0;
    return fmin(offset / len * plen, plen);
}

/* A segment of an edge: its index within the edge and its ends (local). */
struct graph_seg {
    uint32_t s;
    double ax, ay, bx, by;
};

/* Point of segment sg at parameter t, in absolute coordinates. */
static void seg_point(const struct graph *g, const struct graph_seg *sg, double t, double *x,
                      double *y)
{
    *x = g->ox + sg->ax + t * (sg->bx - sg->ax);
    *y = g->oy + sg->ay + t * (sg->by - sg->ay);
}

int graph_snap(const struct graph *g, double x, double y, double max_dist_m,
               struct graph_place *out, struct err *e)
{
    assert(g != NULL && out != NULL);
    if (!isfinite(x) || !isfinite(y))
        return err_set(e, ERR_INPUT, "the point to snap has coordinates that are not numbers");
    if (isnan(max_dist_m) || max_dist_m < 0.0)
        return err_set(e, ERR_INPUT, "the snapping distance must be zero or more metres");
    if (max_dist_m > GRAPH_SNAP_MAX_M)
        return err_set(e, ERR_LIMIT, "the snapping distance may not exceed %.0f m",
                       GRAPH_SNAP_MAX_M);
    struct snap_hit hit;
    if (!snap_index_nearest(g->index, x - g->ox, y - g->oy, max_dist_m, &hit))
        return err_set(e, ERR_NOTFOUND, "the point is more than %.0f m from any street",
                       max_dist_m);
    uint32_t edge = hit.poly;
    assert(edge < g->nedges);
    assert((size_t)hit.seg + 1 < (size_t)(g->pt_off[edge + 1] - g->pt_off[edge]));
    /* One walk: the distance to the hit, and the whole polyline's length,
     * each summed in vertex order. */
    struct polyline_cursor c;
    polyline_start(&g->ps, edge, &c);
    double along = 0.0, plen = 0.0, ax = polyline_x(&c), ay = polyline_y(&c);
    for (uint32_t sidx = 0; polyline_next(&c); sidx++) {
        double bx = polyline_x(&c), by = polyline_y(&c);
        double l = seg_len(ax, ay, bx, by);
        if (sidx < hit.seg)
            along += l;
        else if (sidx == hit.seg)
            along += hit.t * l;
        plen += l;
        ax = bx;
        ay = by;
    }
    double len = g->edge_len[edge];
    double off = plen > 0.0 ? fmin(along / plen, 1.0) * len : 0.0;
    assert(off >= 0.0 && off <= len);
    out->edge = edge;
    out->offset_m = off;
    out->access_m = sqrt(hit.dist2);
    out->x = g->ox + hit.x;
    out->y = g->oy + hit.y;
    return ERR_OK;
}

/* Locate `along` on edge e's polyline: the segment *sg and the parameter t
 * on it. At a vertex, `late` picks the segment starting there (t = 0) rather
 * than the one ending there (t = 1). Distances past either end clamp to it. */
static void locate(const struct graph *g, uint32_t e, double along, int late, struct graph_seg *sg,
                   double *tout)
{
    struct polyline_cursor c;
    polyline_start(&g->ps, e, &c);
    uint32_t nseg = g->pt_off[e + 1] - g->pt_off[e] - 1;
    assert(nseg >= 1);
    /* The loop always returns on the last segment at the latest; the out
     * values are set first so that no path leaves them unset. */
    memset(sg, 0, sizeof *sg);
    sg->s = nseg - 1;
    *tout = 1.0;
    double cum = 0.0, ax = polyline_x(&c), ay = polyline_y(&c);
    for (uint32_t k = 0; polyline_next(&c); k++) {
        double bx = polyline_x(&c), by = polyline_y(&c);
        double l = seg_len(ax, ay, bx, by);
        /* The last segment always matches. */
        if ((late ? along < cum + l : along <= cum + l) || k + 1 == nseg) {
            double t = l > 0.0 ? (along - cum) / l : 0.0;
            sg->s = k;
            sg->ax = ax;
            sg->ay = ay;
            sg->bx = bx;
            sg->by = by;
            *tout = t < 0.0 ? 0.0 : (t > 1.0 ? 1.0 : t);
            return;
        }
        cum += l;
        ax = bx;
        ay = by;
    }
    assert(0 && "unreachable: the last segment always matches");
}

/* Validate an edge id and an offset range for graph_place_at and slices. */
static int check_range(const struct graph *g, uint32_t edge, double from, double to, struct err *e)
{
    if (edge >= g->nedges)
        return err_set(e, ERR_INPUT, "edge %u does not exist (%u edges)", edge, g->nedges);
    double len = g->edge_len[edge];
    if (!(from >= 0.0 && from <= to && to <= len))
        return err_set(e, ERR_INPUT, "offsets on edge %u must satisfy 0 <= from <= to <= %.3f",
                       edge, len);
    return ERR_OK;
}

int graph_place_at(const struct graph *g, uint32_t edge, double offset_m, struct graph_place *out,
                   struct err *e)
{
    int rc = check_range(g, edge, offset_m, offset_m, e);
    if (rc != ERR_OK)
        return rc;
    struct graph_seg sg;
    double t;
    locate(g, edge, offset_to_along(g, edge, offset_m, poly_len(g, edge)), 0, &sg, &t);
    seg_point(g, &sg, t, &out->x, &out->y);
    out->edge = edge;
    out->offset_m = offset_m;
    out->access_m = 0.0;
    return ERR_OK;
}

int graph_edge_slice(const struct graph *g, uint32_t edge, double from_m, double to_m, double *xy,
                     size_t cap, size_t *npts, struct err *e)
{
    *npts = 0;
    int rc = check_range(g, edge, from_m, to_m, e);
    if (rc != ERR_OK)
        return rc;
    double plen = poly_len(g, edge);
    double a = offset_to_along(g, edge, from_m, plen);
    double b = offset_to_along(g, edge, to_m, plen);
    assert(a <= b); /* scaling by a positive factor is monotone */
    struct graph_seg sa, sb;
    double ta, tb;
    if (a == b) {
        /* A single point, returned twice so it is still a line. */
        locate(g, edge, a, 0, &sa, &ta);
        sb = sa;
        tb = ta;
    } else {
        /* Start on the segment leaving a vertex, end on the one reaching a
         * vertex, so no vertex is repeated: sa.s <= sb.s. */
        locate(g, edge, a, 1, &sa, &ta);
        locate(g, edge, b, 0, &sb, &tb);
    }
    assert(sa.s < sb.s || (sa.s == sb.s && ta <= tb));
    size_t count = 2 + (size_t)(sb.s - sa.s);
    assert(count <= (size_t)graph_edge_npoints(g, edge) + 2);
    if (cap < count)
        return err_set(e, ERR_LIMIT, "a buffer of %zu points cannot hold a piece of edge %u", cap,
                       edge);
    size_t n = 0;
    seg_point(g, &sa, ta, &xy[0], &xy[1]);
    n++;
    if (sb.s > sa.s) { /* whole vertices sa.s+1 .. sb.s in between */
        struct polyline_cursor c;
        polyline_start(&g->ps, edge, &c);
        for (uint32_t i = 0; i <= sa.s; i++)
            polyline_next(&c);
        for (uint32_t i = sa.s + 1; i <= sb.s; i++, n++) {
            xy[2 * n] = g->ox + polyline_x(&c);
            xy[2 * n + 1] = g->oy + polyline_y(&c);
            polyline_next(&c);
        }
    }
    seg_point(g, &sb, tb, &xy[2 * n], &xy[2 * n + 1]);
    n++;
    assert(n == count);
    *npts = n;
    return ERR_OK;
}

int graph_edge_slice_new(const struct graph *g, uint32_t edge, double from_m, double to_m,
                         double **xy, size_t *npts, struct err *e)
{
    *xy = NULL;
    *npts = 0;
    if (edge >= g->nedges)
        return err_set(e, ERR_INPUT, "edge %u does not exist (%u edges)", edge, g->nedges);
    size_t cap = (size_t)graph_edge_npoints(g, edge) + 2;
    double *buf = malloc(2 * cap * sizeof *buf);
    if (buf == NULL)
        return err_nomem(e);
    int rc = graph_edge_slice(g, edge, from_m, to_m, buf, cap, npts, e);
    if (rc != ERR_OK) {
        free(buf);
        return rc;
    }
    *xy = buf;
    return ERR_OK;
}

/* ------------------------------------------------------ saved graph parts */

void graph_parts(const struct graph *g, struct graph_parts *p)
{
    memset(p, 0, sizeof *p);
    p->nnodes = g->nnodes;
    p->nedges = g->nedges;
    p->npts = g->npts;
    p->nesc = g->nesc;
    p->ox = g->ox;
    p->oy = g->oy;
    p->minx = g->minx;
    p->miny = g->miny;
    p->maxx = g->maxx;
    p->maxy = g->maxy;
    p->node_xy = g->node_xy;
    p->adj_off = g->adj_off;
    p->adj_to = g->adj_to;
    p->adj_edge = g->adj_edge;
    p->edge_uv = g->edge_uv;
    p->edge_len = g->edge_len;
    p->edge_flags = g->edge_flags;
    p->pt_off = g->pt_off;
    p->anchor = g->anchor;
    p->step = g->step;
    p->esc_at = g->esc_at;
    p->esc_d = g->esc_d;
    struct snap_grid sg;
    snap_index_grid(g->index, &sg);
    p->grid_x0 = sg.x0;
    p->grid_y0 = sg.y0;
    p->grid_cell = sg.cell;
    p->grid_nx = sg.nx;
    p->grid_ny = sg.ny;
    p->grid_cell_off = sg.cell_off;
    p->grid_ids = sg.ids;
    p->grid_nids = sg.nids;
}

/* Whether the arrays of p hold what a query trusts (see graph_from_parts). */
static int graph_parts_sound(const struct graph_parts *p)
{
    const size_t n = p->nnodes, m = p->nedges;
    if (n > GRAPH_MAX_NODES || m > GRAPH_MAX_EDGES || p->npts > GRAPH_MAX_POINTS ||
        (uint64_t)p->npts < 2 * (uint64_t)m || (m > 0 && n == 0))
        return 0;
    if (!coord_ok(p->ox) || !coord_ok(p->oy) || !coord_ok(p->minx) || !coord_ok(p->miny) ||
        !coord_ok(p->maxx) || !coord_ok(p->maxy) || p->maxx - p->minx > GRAPH_MAX_EXTENT_M ||
        p->maxy - p->miny > GRAPH_MAX_EXTENT_M)
        return 0;
    for (size_t k = 0; k < 2 * n; k++)
        if (!coord_ok(p->node_xy[k]))
            return 0;
    if (p->adj_off[0] != 0 || p->adj_off[n] != 2 * m)
        return 0;
    for (size_t k = 0; k < 2 * m; k++)
        if (p->edge_uv[k] >= n)
            return 0;
    for (size_t v = 0; v < n; v++) {
        if (p->adj_off[v + 1] < p->adj_off[v] || p->adj_off[v + 1] > 2 * m)
            return 0;
        for (size_t k = p->adj_off[v]; k < p->adj_off[v + 1]; k++) {
            uint32_t ed = p->adj_edge[k], to = p->adj_to[k];
            if (ed >= m || to >= n)
                return 0;
            uint32_t a = p->edge_uv[2 * (size_t)ed], c = p->edge_uv[2 * (size_t)ed + 1];
            if (!((a == v && to == c) || (c == v && to == a)))
                return 0;
        }
    }
    for (size_t k = 0; k < m; k++)
        if (!(p->edge_len[k] >= 0.0 && p->edge_len[k] <= GRAPH_MAX_EDGE_LENGTH_M))
            return 0;
    if (p->pt_off[0] != 0 || p->pt_off[m] != p->npts)
        return 0;
    for (size_t k = 0; k < m; k++)
        if (p->pt_off[k + 1] < p->pt_off[k] + 2 ||
            p->pt_off[k + 1] - p->pt_off[k] > GRAPH_MAX_EDGE_POINTS)
            return 0;
    struct polyline_set ps = {(uint32_t)m, p->pt_off, p->anchor, p->step,
                              p->nesc,     p->esc_at, p->esc_d};
    return polyline_check(&ps);
}

struct graph *graph_from_parts(const struct graph_parts *p, void (*release)(void *), void *owner,
                               struct err *e)
{
    if (!graph_parts_sound(p)) {
        err_set(e, ERR_INPUT, "the saved street network is inconsistent");
        return NULL;
    }
    struct graph *g = calloc(1, sizeof *g);
    if (g == NULL)
        return err_nomem(e), NULL;
    g->nnodes = p->nnodes;
    g->nedges = p->nedges;
    g->npts = p->npts;
    g->nesc = p->nesc;
    g->ox = p->ox;
    g->oy = p->oy;
    g->minx = p->minx;
    g->miny = p->miny;
    g->maxx = p->maxx;
    g->maxy = p->maxy;
    /* Borrowed and never written: the casts only fit the owned layout. */
    g->node_xy = (double *)p->node_xy;
    g->adj_off = (uint32_t *)p->adj_off;
    g->adj_to = (uint32_t *)p->adj_to;
    g->adj_edge = (uint32_t *)p->adj_edge;
    g->edge_uv = (uint32_t *)p->edge_uv;
    g->edge_len = (double *)p->edge_len;
    g->edge_flags = (uint8_t *)p->edge_flags;
    g->pt_off = (uint32_t *)p->pt_off;
    g->anchor = (int32_t *)p->anchor;
    g->step = (int16_t *)p->step;
    g->esc_at = (uint32_t *)p->esc_at;
    g->esc_d = (int32_t *)p->esc_d;
    graph_set_polylines(g);
    struct snap_grid sg = {p->grid_x0, p->grid_y0,       p->grid_cell, p->grid_nx,
                           p->grid_ny, p->grid_cell_off, p->grid_ids,  (size_t)p->grid_nids};
    g->index = snap_index_from_grid(&g->ps, &sg, e);
    if (g->index == NULL) {
        if (e->code == ERR_INPUT)
            err_set(e, ERR_INPUT, "the saved street network is inconsistent");
        free(g);
        return NULL;
    }
    g->borrowed = 1;
    g->release = release;
    g->owner = owner;
    return g;
}
