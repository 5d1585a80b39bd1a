/* SPDX-License-Identifier: MIT */
/* snap.h - a uniform grid over the segments of many polylines, answering
 * "which polyline segment is nearest to this point, within this distance".
 *
 * The lowest layer of the walking engine: it knows polylines in some local
 * planar frame, stored as float32 x,y pairs or in polyline.h's compact form
 * (graph.c passes the street edges, relative to the graph's origin), and
 * nothing about graphs or costs.
 *
 * Hand-rolled on purpose: no library in tsunagu's dependency set offers an
 * in-memory segment index cheaply. GEOS's STRtree wants one GEOS geometry per
 * item (hundreds of bytes each, far over the graph's 64 bytes per directed
 * edge budget) and SpatiaLite's R*Tree lives in SQLite pages, which would put
 * SQL under the graph layer. A grid of polyline ids costs ~4 bytes per cell
 * plus ~4 bytes per (cell, polyline) pair.
 *
 * Entry points: snap_index_new, snap_index_new_compact, snap_index_grid,
 * snap_index_from_grid, snap_index_nearest, snap_index_memory_bytes,
 * snap_index_free. A built index is read-only and may be queried from many
 * threads at once.
 */
#ifndef TSUNAGU_SNAP_H
#define TSUNAGU_SNAP_H

#include "err.h"
#include "polyline.h"

#include <stddef.h>
#include <stdint.h>

/* Largest number of (cell, polyline) entries an index may hold. */
#define SNAP_MAX_ENTRIES (UINT32_MAX - 1u)
/* Largest search distance snap_index_nearest accepts (keeps cell numbers of
 * far points within a 32-bit long; callers limit it far lower). */
#define SNAP_MAX_DIST 1.0e9

struct snap_index;

/* The segment nearest to a query point. */
struct snap_hit {
    uint32_t poly; /* polyline id (index into pt_off) */
    uint32_t seg;  /* segment index within the polyline: points seg and seg+1 */
    double t;      /* position on the segment in [0,1] from point seg */
    double dist2;  /* squared distance from the query point to (x,y), m^2 */
    double x, y;   /* nearest point, in the index's local frame */
};

/* Build an index over `npolys` polylines. Polyline p has the points
 * pts[2*k], pts[2*k+1] for k in [pt_off[p], pt_off[p+1]); each polyline has at
 * least one point. The arrays are BORROWED: they must stay unchanged and
 * outlive the index. Returns a new index the caller frees with
 * snap_index_free, or NULL with ERR_NOMEM or ERR_LIMIT recorded in `e`. */
struct snap_index *snap_index_new(uint32_t npolys, const uint32_t *pt_off, const float *pts,
                                  struct err *e);

/* As snap_index_new over compact polylines: the arrays `ps` points to are
 * BORROWED likewise (the struct itself is copied). */
struct snap_index *snap_index_new_compact(const struct polyline_set *ps, struct err *e);

/* The grid of a built index, so that it can be saved and given back to
 * snap_index_from_grid (graph_file.c). Arrays borrowed from the index. */
struct snap_grid {
    double x0, y0;            /* lower-left corner, local frame */
    double cell;              /* side of a cell, metres (>= 1) */
    uint32_t nx, ny;          /* columns, rows (>= 1) */
    const uint32_t *cell_off; /* nx*ny+1 offsets into ids */
    const uint32_t *ids;      /* polyline ids per cell, ascending within a cell */
    size_t nids;              /* entries in ids */
};
void snap_index_grid(const struct snap_index *ix, struct snap_grid *g);

/* An index over compact polylines `ps` with a grid saved earlier, BORROWING
 * every array (they must outlive the index). The grid is checked first
 * (finite corner, cell >= 1 m, cell count within what a build makes, offsets
 * ascending to nids, ids below ps->npolys and ascending in each cell) so a
 * damaged one can never make a query read out of bounds: ERR_INPUT when it
 * is not sound, ERR_NOMEM. */
struct snap_index *snap_index_from_grid(const struct polyline_set *ps, const struct snap_grid *g,
                                        struct err *e);

/* Find the point of any polyline nearest to (x,y) (local frame, finite)
 * whose distance is <= max_dist (0 <= max_dist <= SNAP_MAX_DIST, asserted).
 * Ties on distance go to the lowest polyline id, then the lowest segment
 * index, so the answer never depends on the grid's layout. Returns 1 and
 * fills `hit`, or 0 when nothing lies within max_dist (`hit` untouched).
 * Never fails; cost grows with max_dist only where the network is sparse. */
int snap_index_nearest(const struct snap_index *ix, double x, double y, double max_dist,
                       struct snap_hit *hit);

/* Bytes of the index itself: its record and its grid arrays, whether it owns
 * them or borrows them from a snap_grid (not the polyline arrays). */
size_t snap_index_memory_bytes(const struct snap_index *ix);

/* Free an index; NULL is ignored. */
void snap_index_free(struct snap_index *ix);

#endif
