/* SPDX-License-Identifier: MIT */
/* graph.h - the street network of the walking engine: a compact, read-only,
 * undirected graph built once from arrays, with edge polylines, snapping of
 * arbitrary points onto the nearest edge, and extraction of edge pieces.
 *
 * Pure in-memory code: knows standard C and err.h only. Coordinates are planar
 * metres in a projected CRS (x east, y north); the caller projects.
 *
 * Building: graph_builder_new, graph_builder_add_node, graph_builder_add_edge,
 * graph_builder_finish (or graph_builder_free to abandon).
 * Using: graph_snap, graph_place_at, graph_edge_slice, graph_edge_slice_new,
 * accessors (graph_node_count, graph_edge_count, graph_bbox, graph_node_xy,
 * graph_edge_*, graph_view), graph_memory_bytes, graph_free.
 * Searching lives one layer up, in search.h.
 *
 * Threads: a finished graph is never modified; any number of threads may use
 * one graph at once. A builder belongs to one thread.
 *
 * Precision: polyline vertices are stored relative to the graph's origin (the
 * centre of its bounding box, rounded to a metre) in polyline.h's compact
 * form, rounded to 1/512 m: each vertex is within 0.98 mm of its input in x
 * and in y (1.4 mm as a distance) over the whole allowed extent. Node
 * coordinates and edge lengths are kept as given (double).
 *
 * Ownership: a graph from graph_builder_finish owns its arrays; one from
 * graph_from_parts borrows them (from a mapped graph file, graph_file.h) and
 * hands them back through its release function when freed. Either way the
 * graph behaves identically.
 *
 * Entry points: graph_builder_new, graph_builder_free,
 * graph_builder_add_node, graph_builder_add_edge, graph_builder_finish,
 * graph_free, graph_node_count, graph_edge_count, graph_bbox, graph_view,
 * graph_node_xy, graph_edge_nodes, graph_edge_length, graph_edge_flags,
 * graph_edge_npoints, graph_edge_point, graph_snap, graph_place_at,
 * graph_edge_slice, graph_edge_slice_new, graph_memory_bytes, graph_parts,
 * graph_from_parts.
 */
#ifndef TSUNAGU_GRAPH_H
#define TSUNAGU_GRAPH_H

#include "err.h"

#include <stddef.h>
#include <stdint.h>

/* Edge flag: the edge is a flight of steps (priced by the search's steps
 * factor). Bits 1..7 are stored and returned untouched for the caller. */
#define GRAPH_EDGE_STEPS 0x01u
/* Largest flags value an edge may carry. */
#define GRAPH_EDGE_FLAGS_MAX 0xFFu

/* Explicit limits (ERR_LIMIT beyond them). */
#define GRAPH_MAX_NODES (1u << 26)       /* nodes per graph */
#define GRAPH_MAX_EDGES (1u << 26)       /* edges per graph */
#define GRAPH_MAX_EDGE_POINTS 10000u     /* polyline vertices per edge */
#define GRAPH_MAX_POINTS (1u << 30)      /* polyline vertices per graph */
#define GRAPH_MAX_EDGE_LENGTH_M 100000.0 /* length_m of one edge */
#define GRAPH_MAX_EXTENT_M 400000.0      /* width or height of the bounding box */
#define GRAPH_MAX_COORD_M 100000000.0    /* |x| and |y| of any input coordinate */
/* A polyline must start within this distance of node u and end within it of
 * node v (ERR_INPUT otherwise): catches reversed or mismatched geometry. */
#define GRAPH_ENDPOINT_TOLERANCE_M 1.0

/* Snapping distances: the default a caller should use, and the largest one
 * graph_snap accepts. */
#define GRAPH_SNAP_DEFAULT_M 500.0
#define GRAPH_SNAP_MAX_M 50000.0

/* An opaque builder (one thread) and an opaque finished graph (shareable). */
struct graph_builder;
struct graph;

/* A place on the network: where a point of interest (a household, a desk)
 * joins the streets. Produced by graph_snap or graph_place_at; consumed by
 * search.h. */
struct graph_place {
    uint32_t edge;   /* edge id */
    double offset_m; /* distance from the edge's node u, in [0, length_m], in the
                        edge's length_m units (polyline distance scaled to length_m) */
    double access_m; /* straight-line walk from the point to the edge, >= 0 */
    double x, y;     /* the point on the edge (not the original point) */
};

/* Borrowed read-only arrays for hot loops (search.c). Valid while the graph
 * lives; never free them. */
struct graph_view {
    uint32_t nnodes;          /* node count N */
    uint32_t nedges;          /* edge count E */
    const uint32_t *adj_off;  /* N+1 offsets: node n's neighbours are [adj_off[n], adj_off[n+1]) */
    const uint32_t *adj_to;   /* 2E neighbour node ids (a self-loop appears twice at its node) */
    const uint32_t *adj_edge; /* 2E edge ids, parallel to adj_to */
    const uint32_t *edge_uv;  /* 2E: edge e joins edge_uv[2e] (u) and edge_uv[2e+1] (v) */
    const double *length;     /* E edge lengths in metres */
    const uint8_t *flags;     /* E edge flags (GRAPH_EDGE_STEPS, ...) */
};

/* Start a builder. Returns a builder the caller releases with
 * graph_builder_finish or graph_builder_free, or NULL with ERR_NOMEM in `e`. */
struct graph_builder *graph_builder_new(struct err *e);

/* Abandon a builder and free it; NULL is ignored. */
void graph_builder_free(struct graph_builder *b);

/* Add a node at (x,y) and store its id (0, 1, 2, ... in call order) in *id
 * (id may be NULL). Fails with ERR_INPUT for non-finite or out-of-range
 * coordinates, ERR_LIMIT past GRAPH_MAX_NODES, ERR_NOMEM; on failure the
 * builder is unchanged and may still be used. */
int graph_builder_add_node(struct graph_builder *b, double x, double y, uint32_t *id,
                           struct err *e);

/* Add an undirected edge between existing nodes u and v (u == v, a self-loop,
 * is allowed) of walking length length_m (finite, >= 0; zero is allowed) with
 * `flags` (<= GRAPH_EDGE_FLAGS_MAX). xy holds npts vertices as x0,y0,x1,y1,...
 * from u to v including both ends (npts >= 2), or xy == NULL and npts == 0
 * for a straight line between the nodes. The data is copied. Stores the edge
 * id (0, 1, 2, ...) in *id (may be NULL). Fails with ERR_INPUT (unknown node,
 * bad length or flags, non-finite vertex, a polyline end farther than
 * GRAPH_ENDPOINT_TOLERANCE_M from its node), ERR_LIMIT (GRAPH_MAX_EDGES,
 * GRAPH_MAX_EDGE_POINTS, GRAPH_MAX_POINTS, GRAPH_MAX_EDGE_LENGTH_M) or
 * ERR_NOMEM; on failure the builder is unchanged and may still be used. */
int graph_builder_add_edge(struct graph_builder *b, uint32_t u, uint32_t v, double length_m,
                           unsigned flags, const double *xy, size_t npts, uint32_t *id,
                           struct err *e);

/* Turn the builder into a graph: CSR adjacency, compact polylines and the
 * snapping index. The builder is freed in every case (do not use it again).
 * Returns a graph the caller frees with graph_free, or NULL with ERR_LIMIT
 * (extent over GRAPH_MAX_EXTENT_M) or ERR_NOMEM in `e`. An empty graph is
 * valid: it has no edges and every snap is off network. */
struct graph *graph_builder_finish(struct graph_builder *b, struct err *e);

/* Free a graph; NULL is ignored. The caller must ensure no search workspace
 * or borrowed view still uses it. */
void graph_free(struct graph *g);

/* Counts, and the bounding box of all nodes and polyline vertices (all zero
 * for an empty graph). */
uint32_t graph_node_count(const struct graph *g);
uint32_t graph_edge_count(const struct graph *g);
void graph_bbox(const struct graph *g, double *minx, double *miny, double *maxx, double *maxy);

/* Fill `v` with borrowed views of the graph's arrays (see struct graph_view). */
void graph_view(const struct graph *g, struct graph_view *v);

/* Node n's coordinates as given to the builder. n must be < node count. */
void graph_node_xy(const struct graph *g, uint32_t n, double *x, double *y);

/* Per-edge accessors; e must be < edge count (checked by assert). */
void graph_edge_nodes(const struct graph *g, uint32_t e, uint32_t *u, uint32_t *v);
double graph_edge_length(const struct graph *g, uint32_t e);
unsigned graph_edge_flags(const struct graph *g, uint32_t e);
/* Number of stored polyline vertices (>= 2) and vertex i (< that number), as
 * stored (rounded to float32 precision relative to the origin). */
uint32_t graph_edge_npoints(const struct graph *g, uint32_t e);
void graph_edge_point(const struct graph *g, uint32_t e, uint32_t i, double *x, double *y);

/* Snap (x,y) to the nearest point of the nearest edge polyline (true
 * point-to-segment distance over every segment) within max_dist_m, using the
 * graph's spatial index. Ties go to the lowest edge id. On success fills
 * *out and returns ERR_OK. Returns ERR_NOTFOUND when no edge lies within
 * max_dist_m: the point is OFF NETWORK, and this is the only meaning of
 * ERR_NOTFOUND here (the message names the distance, never the point).
 * Other failures: ERR_INPUT (non-finite coordinates, max_dist_m negative or
 * NaN), ERR_LIMIT (max_dist_m over GRAPH_SNAP_MAX_M). *out is untouched on
 * any failure. Thread-safe on a shared graph. */
int graph_snap(const struct graph *g, double x, double y, double max_dist_m,
               struct graph_place *out, struct err *e);

/* Make the place at offset_m along edge `edge` (access_m = 0), e.g. to
 * rebuild a stored snap. Fails with ERR_INPUT (edge out of range, offset
 * outside [0, length_m] or NaN); *out is untouched on failure. */
int graph_place_at(const struct graph *g, uint32_t edge, double offset_m, struct graph_place *out,
                   struct err *e);

/* The polyline of edge `edge` between offsets from_m <= to_m (in [0, length_m],
 * length_m units as in struct graph_place), from u's side, as x,y pairs into
 * the caller's buffer `xy` of `cap` POINTS (2*cap doubles). Always yields at
 * least 2 points (both equal when from_m == to_m); at most
 * graph_edge_npoints(g, edge) + 2 points, so that capacity always suffices.
 * Stores the count in *npts. Fails with ERR_INPUT (bad edge or offsets) or
 * ERR_LIMIT (cap too small); on failure *npts is 0 and xy unspecified. */
int graph_edge_slice(const struct graph *g, uint32_t edge, double from_m, double to_m, double *xy,
                     size_t cap, size_t *npts, struct err *e);

/* As graph_edge_slice, but into a new array *xy (2 * *npts doubles) that the
 * caller frees with free(). On failure *xy is NULL and *npts is 0. */
int graph_edge_slice_new(const struct graph *g, uint32_t edge, double from_m, double to_m,
                         double **xy, size_t *npts, struct err *e);

/* Every byte the graph holds (requested sizes, allocator overhead not
 * included), whether allocated or borrowed from a mapping: the graph record,
 * node coordinates, CSR arrays, edge records, compact polylines and the
 * snapping index. */
size_t graph_memory_bytes(const struct graph *g);

/* Every array and number of a finished graph, for saving it (graph_file.c)
 * and giving it back to graph_from_parts. Sizes: node_xy 2N, adj_off N+1,
 * adj_to/adj_edge/edge_uv 2E, edge_len/edge_flags E, pt_off E+1, anchor 2E,
 * step 2*(npts-E), esc_at nesc, esc_d 2*nesc, grid_cell_off
 * grid_nx*grid_ny+1, grid_ids grid_nids. */
struct graph_parts {
    uint32_t nnodes, nedges, npts, nesc;
    double ox, oy, minx, miny, maxx, maxy;
    const double *node_xy;
    const uint32_t *adj_off, *adj_to, *adj_edge, *edge_uv;
    const double *edge_len;
    const uint8_t *edge_flags;
    const uint32_t *pt_off;
    const int32_t *anchor;
    const int16_t *step;
    const uint32_t *esc_at;
    const int32_t *esc_d;
    double grid_x0, grid_y0, grid_cell; /* the snapping grid (snap.h) */
    uint32_t grid_nx, grid_ny;
    const uint32_t *grid_cell_off, *grid_ids;
    uint64_t grid_nids;
};

/* Fill `p` with borrowed views of g's arrays (valid while g lives). */
void graph_parts(const struct graph *g, struct graph_parts *p);

/* A graph that BORROWS the arrays of `p` (sized as stated above, which the
 * caller guarantees), after checking every number a query trusts: counts
 * within the limits, finite coordinates, CSR offsets ascending to 2E,
 * neighbour and edge ids in range and consistent with edge_uv, lengths
 * finite and within GRAPH_MAX_EDGE_LENGTH_M, 2..GRAPH_MAX_EDGE_POINTS
 * vertices per edge, the compact polylines (polyline_check) and the snapping
 * grid (snap_index_from_grid). On success graph_free calls release(owner)
 * once; on failure (ERR_INPUT "... is inconsistent", ERR_NOMEM) nothing is
 * released and NULL is returned. release may be NULL (the caller keeps the
 * arrays alive longer than the graph). Linear in the graph's size. */
struct graph *graph_from_parts(const struct graph_parts *p, void (*release)(void *), void *owner,
                               struct err *e);

#endif
