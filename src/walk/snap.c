/* SPDX-License-Identifier: MIT */
/* snap.c - implements the uniform segment grid declared in snap.h: building it
 * (snap_index_new: each polyline id is listed once in every cell its segments
 * cross) and querying it (snap_index_nearest: rings of cells around the query
 * point, pruned by the best distance found so far), plus its memory account
 * (snap_index_memory_bytes) and release (snap_index_free). */
#include "snap.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct snap_index {
    const uint32_t *pt_off;   /* borrowed: points of polyline p are [pt_off[p], pt_off[p+1]) */
    const float *pts;         /* borrowed: x,y pairs in the local frame, or NULL when compact */
    struct polyline_set ps;   /* borrowed arrays of the compact polylines (when pts is NULL) */
    uint32_t npolys;          /* number of polylines */
    double x0, y0;            /* local coordinates of the grid's lower-left corner */
    double cell;              /* side of a square cell in metres, > 0 */
    uint32_t nx, ny;          /* columns and rows, each >= 1 */
    const uint32_t *cell_off; /* nx*ny+1 offsets: cell c lists ids[cell_off[c] .. cell_off[c+1]) */
    const uint32_t *ids;      /* polyline ids, ascending within each cell */
    size_t nids;              /* entries in ids */
    int borrowed;             /* cell_off and ids belong to the caller (snap_index_from_grid) */
};

/* A walk over one polyline's points in either storage. */
struct snap_walk {
    const struct snap_index *ix;
    uint32_t k, kend;         /* float storage: next point, end */
    struct polyline_cursor c; /* compact storage */
};

/* Start at polyline p's first point (x,y). */
static void snap_walk_start(const struct snap_index *ix, uint32_t p, struct snap_walk *w, double *x,
                            double *y)
{
    w->ix = ix;
    if (ix->pts != NULL) {
        w->k = ix->pt_off[p];
        w->kend = ix->pt_off[p + 1];
        *x = ix->pts[2 * (size_t)w->k];
        *y = ix->pts[2 * (size_t)w->k + 1];
        w->k++;
    } else {
        polyline_start(&ix->ps, p, &w->c);
        *x = polyline_x(&w->c);
        *y = polyline_y(&w->c);
    }
}

/* The next point into (x,y); 0 past the last one. */
static int snap_walk_next(struct snap_walk *w, double *x, double *y)
{
    if (w->ix->pts != NULL) {
        if (w->k >= w->kend)
            return 0;
        *x = w->ix->pts[2 * (size_t)w->k];
        *y = w->ix->pts[2 * (size_t)w->k + 1];
        w->k++;
        return 1;
    }
    if (!polyline_next(&w->c))
        return 0;
    *x = polyline_x(&w->c);
    *y = polyline_y(&w->c);
    return 1;
}

/* Clamp a floored cell coordinate into [0, n-1]. */
static uint32_t clamp_cell(double v, uint32_t n)
{
    if (!(v > 0.0))
        return 0;
    if (v >= (double)(n - 1))
        return n - 1;
    return (uint32_t)v;
}

/* Visit every cell the segment a-b crosses (conservatively, padded by a
 * hair against rounding) and record polyline `poly` there once. In the
 * counting pass `ids` is NULL and `slot` counts entries per cell; in the
 * filling pass `slot` is each cell's next free position in `ids`. `last`
 * remembers the last polyline recorded per cell, so a polyline whose segments
 * share a cell is listed once. Returns the number of new entries. */
static uint64_t visit_segment(const struct snap_index *ix, double ax, double ay, double bx,
                              double by, uint32_t poly, uint32_t *last, uint32_t *slot,
                              uint32_t *ids)
{
    const double cs = ix->cell;
    const double eps = cs * 1e-6 + 1e-6;
    uint64_t added = 0;
    uint32_t j0 = clamp_cell(floor((fmin(ay, by) - eps - ix->y0) / cs), ix->ny);
    uint32_t j1 = clamp_cell(floor((fmax(ay, by) + eps - ix->y0) / cs), ix->ny);
    for (uint32_t j = j0; j <= j1; j++) {
        double xs, xe;
        if (ay == by) {
            xs = fmin(ax, bx);
            xe = fmax(ax, bx);
        } else {
            /* The part of the segment inside this row's band. */
            double lo = ix->y0 + (double)j * cs - eps;
            double hi = ix->y0 + (double)(j + 1) * cs + eps;
            double t0 = (lo - ay) / (by - ay);
            double t1 = (hi - ay) / (by - ay);
            if (t0 > t1) {
                double tmp = t0;
                t0 = t1;
                t1 = tmp;
            }
            t0 = fmax(t0, 0.0);
            t1 = fmin(t1, 1.0);
            if (t0 > t1)
                continue;
            double xa = ax + t0 * (bx - ax);
            double xb = ax + t1 * (bx - ax);
            xs = fmin(xa, xb);
            xe = fmax(xa, xb);
        }
        uint32_t i0 = clamp_cell(floor((xs - eps - ix->x0) / cs), ix->nx);
        uint32_t i1 = clamp_cell(floor((xe + eps - ix->x0) / cs), ix->nx);
        for (uint32_t i = i0; i <= i1; i++) {
            size_t c = (size_t)j * ix->nx + i;
            if (last[c] == poly)
                continue;
            last[c] = poly;
            added++;
            if (ids != NULL)
                ids[slot[c]++] = poly;
            else
                slot[c]++;
        }
    }
    return added;
}

/* Run one pass of visit_segment over every segment (a one-point polyline is a
 * zero-length segment). Returns the number of entries, or UINT64_MAX when
 * they exceed SNAP_MAX_ENTRIES (only possible in the counting pass). */
static uint64_t visit_all(const struct snap_index *ix, uint32_t *last, uint32_t *slot,
                          uint32_t *ids)
{
    size_t ncells = (size_t)ix->nx * ix->ny;
    for (size_t c = 0; c < ncells; c++)
        last[c] = UINT32_MAX;
    uint64_t total = 0;
    for (uint32_t p = 0; p < ix->npolys; p++) {
        assert(ix->pt_off[p + 1] > ix->pt_off[p]);
        struct snap_walk w;
        double ax, ay, bx, by;
        snap_walk_start(ix, p, &w, &ax, &ay);
        if (!snap_walk_next(&w, &bx, &by)) {
            bx = ax;
            by = ay;
        }
        do {
            total += visit_segment(ix, ax, ay, bx, by, p, last, slot, ids);
            if (total > SNAP_MAX_ENTRIES)
                return UINT64_MAX;
            ax = bx;
            ay = by;
        } while (snap_walk_next(&w, &bx, &by));
    }
    return total;
}

/* Build the grid of an index whose point storage is set (pts or ps):
 * bounding box, cell size, then the two passes. Frees ix on failure. */
static struct snap_index *snap_index_build(struct snap_index *ix, struct err *e)
{
    uint32_t *last = NULL, *cell_off = NULL, *ids = NULL;
    const uint32_t npolys = ix->npolys;

    /* Bounding box of all points. */
    double minx = 0, miny = 0, maxx = 0, maxy = 0;
    for (uint32_t p = 0; p < npolys; p++) {
        struct snap_walk w;
        double x, y;
        snap_walk_start(ix, p, &w, &x, &y);
        if (p == 0) {
            minx = maxx = x;
            miny = maxy = y;
        }
        do {
            minx = fmin(minx, x);
            maxx = fmax(maxx, x);
            miny = fmin(miny, y);
            maxy = fmax(maxy, y);
        } while (snap_walk_next(&w, &x, &y));
    }
    /* About one cell per polyline; never more than ~5 cells per polyline even
     * for a long thin network, and never cells under a metre. */
    double w = maxx - minx, h = maxy - miny;
    double target = npolys > 0 ? (double)npolys : 1.0;
    double cs = sqrt(fmax(w, 1.0) * fmax(h, 1.0) / target);
    cs = fmax(cs, fmax(w, h) / (2.0 * target + 16.0));
    cs = fmax(cs, 1.0);
    ix->x0 = minx;
    ix->y0 = miny;
    ix->cell = cs;
    ix->nx = (uint32_t)(w / cs) + 1;
    ix->ny = (uint32_t)(h / cs) + 1;
    size_t ncells = (size_t)ix->nx * ix->ny;
    assert(ncells <= 5 * (size_t)target + 33);

    cell_off = calloc(ncells + 1, sizeof *cell_off);
    last = malloc(ncells * sizeof *last);
    ix->cell_off = cell_off;
    if (cell_off == NULL || last == NULL)
        goto nomem;

    /* Pass 1 counts entries per cell into cell_off[c+1]. */
    uint64_t total = visit_all(ix, last, cell_off + 1, NULL);
    if (total == UINT64_MAX) {
        err_set(e, ERR_LIMIT, "the street network is too large for the snapping index");
        goto fail;
    }
    for (size_t c = 0; c < ncells; c++)
        cell_off[c + 1] += cell_off[c];
    assert(cell_off[ncells] == total);
    ix->nids = (size_t)total;
    ids = malloc((total > 0 ? (size_t)total : 1) * sizeof *ids);
    ix->ids = ids;
    if (ids == NULL)
        goto nomem;

    /* Pass 2 fills, with a cursor per cell starting at its offset. */
    uint32_t *cursor = malloc(ncells * sizeof *cursor);
    if (cursor == NULL)
        goto nomem;
    memcpy(cursor, cell_off, ncells * sizeof *cursor);
    uint64_t filled = visit_all(ix, last, cursor, ids);
    for (size_t c = 0; c < ncells; c++)
        assert(cursor[c] == cell_off[c + 1]);
    assert(filled == total);
    (void)filled;
    free(cursor);
    free(last);
    return ix;

nomem:
    err_nomem(e);
fail:
    free(last);
    snap_index_free(ix);
    return NULL;
}

struct snap_index *snap_index_new(uint32_t npolys, const uint32_t *pt_off, const float *pts,
                                  struct err *e)
{
    struct snap_index *ix = calloc(1, sizeof *ix);
    if (ix == NULL)
        return err_nomem(e), NULL;
    ix->pt_off = pt_off;
    ix->pts = pts;
    ix->npolys = npolys;
    return snap_index_build(ix, e);
}

struct snap_index *snap_index_new_compact(const struct polyline_set *ps, struct err *e)
{
    struct snap_index *ix = calloc(1, sizeof *ix);
    if (ix == NULL)
        return err_nomem(e), NULL;
    ix->ps = *ps;
    ix->pt_off = ps->pt_off;
    ix->npolys = ps->npolys;
    return snap_index_build(ix, e);
}

void snap_index_grid(const struct snap_index *ix, struct snap_grid *g)
{
    g->x0 = ix->x0;
    g->y0 = ix->y0;
    g->cell = ix->cell;
    g->nx = ix->nx;
    g->ny = ix->ny;
    g->cell_off = ix->cell_off;
    g->ids = ix->ids;
    g->nids = ix->nids;
}

struct snap_index *snap_index_from_grid(const struct polyline_set *ps, const struct snap_grid *g,
                                        struct err *e)
{
    /* Every number the queries trust is checked: finite corner, a cell of
     * at least a metre, a cell count the build could have made, offsets
     * ascending to nids, ids in range and ascending within a cell. */
    size_t ncells = (size_t)g->nx * g->ny;
    if (!isfinite(g->x0) || !isfinite(g->y0) || !(g->cell >= 1.0) || !isfinite(g->cell) ||
        g->nx == 0 || g->ny == 0 || ncells > 5 * (size_t)(ps->npolys > 0 ? ps->npolys : 1) + 33 ||
        g->nids > SNAP_MAX_ENTRIES || g->cell_off[0] != 0 || g->cell_off[ncells] != g->nids)
        goto bad;
    for (size_t c = 0; c < ncells; c++) {
        if (g->cell_off[c + 1] < g->cell_off[c])
            goto bad;
        for (uint32_t q = g->cell_off[c]; q < g->cell_off[c + 1]; q++)
            if (g->ids[q] >= ps->npolys || (q > g->cell_off[c] && g->ids[q] <= g->ids[q - 1]))
                goto bad;
    }
    struct snap_index *ix = calloc(1, sizeof *ix);
    if (ix == NULL)
        return err_nomem(e), NULL;
    ix->ps = *ps;
    ix->pt_off = ps->pt_off;
    ix->npolys = ps->npolys;
    ix->x0 = g->x0;
    ix->y0 = g->y0;
    ix->cell = g->cell;
    ix->nx = g->nx;
    ix->ny = g->ny;
    ix->cell_off = g->cell_off;
    ix->ids = g->ids;
    ix->nids = g->nids;
    ix->borrowed = 1;
    return ix;
bad:
    err_set(e, ERR_INPUT, "the snapping grid is inconsistent");
    return NULL;
}

/* Squared distance from (px,py) to the rectangle of cell (i,j). */
static double cell_dist2(const struct snap_index *ix, uint32_t i, uint32_t j, double px, double py)
{
    double lx = ix->x0 + (double)i * ix->cell, ly = ix->y0 + (double)j * ix->cell;
    double dx = px < lx ? lx - px : (px > lx + ix->cell ? px - lx - ix->cell : 0.0);
    double dy = py < ly ? ly - py : (py > ly + ix->cell ? py - ly - ix->cell : 0.0);
    return dx * dx + dy * dy;
}

/* Test every segment of the polylines listed in cell (i,j) against the best
 * hit so far; (px,py) is the query point in the local frame and `found` says
 * whether `best` holds a hit yet. */
static void scan_cell(const struct snap_index *ix, uint32_t i, uint32_t j, double px, double py,
                      double max2, struct snap_hit *best, int *found)
{
    double bound = *found ? best->dist2 : max2;
    if (cell_dist2(ix, i, j, px, py) > bound)
        return;
    size_t c = (size_t)j * ix->nx + i;
    for (uint32_t q = ix->cell_off[c]; q < ix->cell_off[c + 1]; q++) {
        uint32_t p = ix->ids[q];
        struct snap_walk w;
        double ax, ay, bx, by;
        snap_walk_start(ix, p, &w, &ax, &ay);
        int more = snap_walk_next(&w, &bx, &by);
        if (!more) { /* a one-point polyline is one zero-length segment */
            bx = ax;
            by = ay;
        }
        for (uint32_t s = 0;; s++) {
            if (s > 0) {
                if (!snap_walk_next(&w, &bx, &by))
                    break;
            }
            double dx = bx - ax, dy = by - ay;
            double len2 = dx * dx + dy * dy;
            double t = len2 > 0.0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0.0;
            t = t < 0.0 ? 0.0 : (t > 1.0 ? 1.0 : t);
            double qx = ax + t * dx, qy = ay + t * dy;
            double d2 = (px - qx) * (px - qx) + (py - qy) * (py - qy);
            int better;
            if (!*found)
                better = d2 <= max2;
            else
                better =
                    d2 < best->dist2 ||
                    (d2 == best->dist2 && (p < best->poly || (p == best->poly && s < best->seg)));
            if (better) {
                *found = 1;
                best->poly = p;
                best->seg = s;
                best->t = t;
                best->dist2 = d2;
                best->x = qx;
                best->y = qy;
            }
            ax = bx;
            ay = by;
            if (!more)
                break;
        }
    }
}

int snap_index_nearest(const struct snap_index *ix, double x, double y, double max_dist,
                       struct snap_hit *hit)
{
    assert(ix != NULL && hit != NULL);
    assert(isfinite(x) && isfinite(y) && max_dist >= 0.0 && max_dist <= SNAP_MAX_DIST);
    if (ix->npolys == 0)
        return 0;
    const double cs = ix->cell;
    const double max2 = max_dist * max_dist;
    const long nx = (long)ix->nx, ny = (long)ix->ny;
    double px = x - ix->x0, py = y - ix->y0; /* relative to the grid corner */

    /* Nothing can be near a point farther than max_dist from the grid. */
    double gw = (double)nx * cs, gh = (double)ny * cs;
    double dx = px < 0 ? -px : (px > gw ? px - gw : 0.0);
    double dy = py < 0 ? -py : (py > gh ? py - gh : 0.0);
    if (dx * dx + dy * dy > max2)
        return 0;

    /* The point's cell, possibly outside the grid but within max_dist <=
     * SNAP_MAX_DIST of it, and cells are >= 1 m: the conversion fits. */
    long cx = (long)floor(px / cs), cy = (long)floor(py / cs);
    long r0 = 0;
    if (-cx > r0)
        r0 = -cx;
    if (cx - (nx - 1) > r0)
        r0 = cx - (nx - 1);
    if (-cy > r0)
        r0 = -cy;
    if (cy - (ny - 1) > r0)
        r0 = cy - (ny - 1);

    struct snap_hit best = {0};
    int found = 0;
    for (long r = r0;; r++) {
        if (r > 0) {
            /* Rings 0..r-1 cover the whole grid: done. */
            if (cx - (r - 1) <= 0 && cx + (r - 1) >= nx - 1 && cy - (r - 1) <= 0 &&
                cy + (r - 1) >= ny - 1)
                break;
            /* Every cell of ring r lies outside the block of rings < r. */
            double lb = fmin(fmin(px - (double)(cx - r + 1) * cs, (double)(cx + r) * cs - px),
                             fmin(py - (double)(cy - r + 1) * cs, (double)(cy + r) * cs - py));
            if (lb * lb > (found ? best.dist2 : max2))
                break;
        }
        long jlo = cy - r < 0 ? 0 : cy - r;
        long jhi = cy + r > ny - 1 ? ny - 1 : cy + r;
        for (long j = jlo; j <= jhi; j++) {
            if (j == cy - r || j == cy + r) {
                long ilo = cx - r < 0 ? 0 : cx - r;
                long ihi = cx + r > nx - 1 ? nx - 1 : cx + r;
                for (long i = ilo; i <= ihi; i++)
                    scan_cell(ix, (uint32_t)i, (uint32_t)j, x, y, max2, &best, &found);
            } else {
                if (cx - r >= 0 && cx - r < nx)
                    scan_cell(ix, (uint32_t)(cx - r), (uint32_t)j, x, y, max2, &best, &found);
                if (cx + r >= 0 && cx + r < nx)
                    scan_cell(ix, (uint32_t)(cx + r), (uint32_t)j, x, y, max2, &best, &found);
            }
        }
    }
    if (found)
        *hit = best;
    return found;
}

size_t snap_index_memory_bytes(const struct snap_index *ix)
{
    if (ix == NULL)
        return 0;
    return sizeof *ix + ((size_t)ix->nx * ix->ny + 1) * sizeof *ix->cell_off +
           ix->nids * sizeof *ix->ids;
}

void snap_index_free(struct snap_index *ix)
{
    if (ix == NULL)
        return;
    if (!ix->borrowed) {
        free((void *)ix->cell_off);
        free((void *)ix->ids);
    }
    free(ix);
}
