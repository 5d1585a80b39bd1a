/* SPDX-License-Identifier: MIT */
/* netbuild.h - turns a bag of polylines into a noded, deduplicated walking
 * network: nodes where streets meet, edges from node to node.
 *
 * Pure: standard headers and err.h only; it knows nothing of files, CRSs or
 * SQL. Each polyline comes with two parallel coordinate arrays:
 *   key - coordinates in which coincidence is decided, bit for bit (the
 *         file's own coordinates, before any projection: OSM ways that share
 *         a node carry the identical double from the node's lat/lon);
 *   xy  - planar metres, used for the stored geometry and the length.
 * Tests may pass the same array twice.
 *
 * Noding (no tolerance: two vertices coincide only when their keys are
 * exactly equal, -0.0 counting as 0.0; a tolerance would need a
 * neighbourhood search and can fuse distinct nodes, e.g. both ends of a short
 * footbridge):
 *   NETBUILD_NODE_SHARED    (OpenStreetMap ways) a vertex becomes a node when
 *       it ends a line or when it occurs more than once among all lines
 *       (shared with another way, or visited twice by one way). Lines are cut
 *       at every node, so a T junction on a way's middle vertex splits it.
 *   NETBUILD_NODE_ENDPOINTS (road-line layers, already cut at junctions) only
 *       line ends become nodes; a line is also cut where one of its middle
 *       vertices is another line's end (a side street drawn onto a through
 *       street). Two lines that merely share a middle vertex (a crossing
 *       drawn with a common vertex, e.g. a bridge) are not joined.
 * Before noding, consecutive repeated vertices are dropped, so every edge
 * has at least two distinct vertices; a line that collapses to a single
 * point is dropped and counted (stats.lines_collapsed).
 *
 * Deduplication: edges joining the same two nodes through the same vertex
 * sequence, forwards or reversed, are stored once (osmnx exports carry each
 * street once per direction; OSM sometimes has duplicated ways). The first
 * edge keeps its attribute id; flags are OR-ed so a steps flag survives.
 *
 * Lengths: planar length of the xy polyline (metres in the caller's projected
 * CRS; the caller documents the CRS scale error).
 *
 * Limits (ERR_LIMIT beyond them): NETBUILD_MAX_LINE_POINTS vertices per
 * line, NETBUILD_MAX_POINTS vertices in all, NETBUILD_MAX_EDGES edges and
 * NETBUILD_MAX_NODES nodes per build.
 *
 * Use: netbuild_new, netbuild_add_line (repeatedly), netbuild_finish, then
 * the accessors; netbuild_free in all cases. Not thread-safe per handle.
 *
 * Entry points: netbuild_new, netbuild_free, netbuild_add_line,
 * netbuild_finish, netbuild_node_count, netbuild_edge_count,
 * netbuild_node_xy, netbuild_edge_at.
 */
#ifndef TSUNAGU_NETBUILD_H
#define TSUNAGU_NETBUILD_H

#include "err.h"

#include <stddef.h>
#include <stdint.h>

#define NETBUILD_MAX_LINE_POINTS 10000u /* vertices per input line (the graph's per-edge cap) */
#define NETBUILD_MAX_POINTS 20000000u   /* vertices per build (~0.9 GB of working memory) */
#define NETBUILD_MAX_EDGES 8000000u     /* edges per build, before deduplication */
#define NETBUILD_MAX_NODES 8000000u     /* nodes per build */

/* Edge flag: the edge is, or contains, a flight of steps. */
#define NETBUILD_FLAG_STEPS 0x01u

/* How vertices become nodes; see the file comment. */
enum netbuild_mode { NETBUILD_NODE_SHARED = 1, NETBUILD_NODE_ENDPOINTS = 2 };

/* One finished edge; pointers borrowed from the builder until netbuild_free. */
struct netbuild_edge {
    uint32_t source;  /* node index (0-based) at xy[0..1] */
    uint32_t target;  /* node index (0-based) at the last vertex */
    uint32_t attr;    /* the caller's attribute id of the line it came from */
    unsigned flags;   /* NETBUILD_FLAG_* of its line(s), OR-ed over duplicates */
    double length_m;  /* planar length of the xy polyline */
    const double *xy; /* 2 * npoints planar coordinates, source to target */
    size_t npoints;   /* vertices, >= 2 */
};

/* What a build did, for the import report. */
struct netbuild_stats {
    size_t lines;           /* lines added */
    size_t lines_collapsed; /* lines dropped for having fewer than 2 distinct vertices */
    size_t points_repeated; /* consecutive repeated vertices dropped */
    size_t edges_noded;     /* edges after cutting lines at nodes, before deduplication */
    size_t edges_duplicate; /* edges dropped as duplicates (forwards or reversed) */
    size_t edges;           /* edges kept */
    size_t nodes;           /* nodes kept (each ends at least one kept edge) */
};

struct netbuild;

/* A new, empty builder in `mode` (enum netbuild_mode). Returns NULL with
 * ERR_NOMEM or ERR_INTERNAL (unknown mode) in `e`. Free with netbuild_free. */
struct netbuild *netbuild_new(int mode, struct err *e);

/* Frees the builder and every edge/coordinate it handed out; NULL is fine. */
void netbuild_free(struct netbuild *nb);

/* Adds one polyline of n vertices: key and xy are 2n doubles each (copied).
 * `attr` is returned with every edge cut from this line; `flags` likewise.
 * ERR_LIMIT when n or the running totals exceed the limits, ERR_INPUT when
 * a coordinate is not finite, ERR_NOMEM; on failure the builder is unchanged
 * and may still be finished. Not allowed after netbuild_finish (ERR_INTERNAL). */
int netbuild_add_line(struct netbuild *nb, const double *key, const double *xy, size_t n,
                      uint32_t attr, unsigned flags, struct err *e);

/* Nodes, cuts and deduplicates everything added; fills *stats (may be NULL).
 * ERR_LIMIT when the result exceeds NETBUILD_MAX_NODES/EDGES, ERR_NOMEM.
 * Call once; afterwards only the accessors below are valid. */
int netbuild_finish(struct netbuild *nb, struct netbuild_stats *stats, struct err *e);

/* Number of nodes / edges after netbuild_finish (0 before). */
size_t netbuild_node_count(const struct netbuild *nb);
size_t netbuild_edge_count(const struct netbuild *nb);

/* Planar position of node i (< netbuild_node_count). */
void netbuild_node_xy(const struct netbuild *nb, size_t i, double *x, double *y);

/* Edge i (< netbuild_edge_count), borrowed. Edges come in input order: by
 * line, then along the line. */
const struct netbuild_edge *netbuild_edge_at(const struct netbuild *nb, size_t i);

#endif
