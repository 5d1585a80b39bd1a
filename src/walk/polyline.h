/* SPDX-License-Identifier: MIT */
/* polyline.h - the compact form of many polylines: each vertex rounded to
 * POLYLINE_QUANTUM metres in a local frame, the first vertex of a polyline
 * stored whole (two int32 quanta), every later one as an int16 step from the
 * vertex before it, and the rare step too long for int16 in an escape table.
 *
 * Why: street polylines were 8 bytes per vertex as float32 pairs; steps are
 * 4 bytes, and on vertex-rich OpenStreetMap fewer than 2 % of steps exceed
 * the int16 range (64 m at 1/512 m), so polylines take about half the space
 * (README "Performance"). Hand-written because no kept library stores
 * quantised delta polylines; it is a few lines of integer arithmetic.
 *
 * Precision: a vertex is within POLYLINE_QUANTUM / 2 (0.98 mm) of its input
 * in x and in y (1.4 mm as a distance), anywhere in the allowed extent.
 * Quanta are a binary fraction of a metre, so decoding (q * quantum) is
 * exact in double and every decoder agrees bit for bit.
 *
 * Layout (struct polyline_set): polyline p has vertices [pt_off[p],
 * pt_off[p+1]) (at least one); its first vertex is anchor[2p], anchor[2p+1];
 * its vertex i >= 1 is the previous one plus the step at step index
 * pt_off[p] - p + i - 1 (steps are numbered over all polylines, one fewer per
 * polyline than vertices). A step whose x is POLYLINE_ESCAPE is found in the
 * escape table instead: esc_at lists such step indices ascending and esc_d
 * their x,y steps as int32 quanta.
 *
 * Entry points: polyline_quantise, polyline_encode, polyline_check, and the
 * inline decoder polyline_start, polyline_next, polyline_x, polyline_y.
 */
#ifndef TSUNAGU_POLYLINE_H
#define TSUNAGU_POLYLINE_H

#include "err.h"

#include <stddef.h>
#include <stdint.h>

/* One quantum in metres (a binary fraction: exact in double). */
#define POLYLINE_QUANTUM (1.0 / 512.0)
/* Quanta per metre. */
#define POLYLINE_SCALE 512.0
/* The step x that sends the decoder to the escape table. */
#define POLYLINE_ESCAPE INT16_MIN
/* Largest |local coordinate| in metres the encoder accepts (keeps quanta and
 * steps within int32). */
#define POLYLINE_MAX_LOCAL_M 2000000.0

/* Borrowed arrays of a set of compact polylines (see the layout above). */
struct polyline_set {
    uint32_t npolys;        /* polylines */
    const uint32_t *pt_off; /* npolys+1 vertex offsets, pt_off[0] == 0 */
    const int32_t *anchor;  /* 2*npolys: first vertex of each, in quanta */
    const int16_t *step;    /* 2*(pt_off[npolys] - npolys): steps in quanta */
    uint32_t nesc;          /* escaped steps */
    const uint32_t *esc_at; /* nesc ascending step indices */
    const int32_t *esc_d;   /* 2*nesc: their x,y steps in quanta */
};

/* A walk over one polyline's vertices. */
struct polyline_cursor {
    const struct polyline_set *s;
    uint32_t q, qend; /* next step index, end of this polyline's steps */
    uint32_t esc;     /* next escape-table entry that may apply */
    int32_t x, y;     /* the current vertex, in quanta */
};

/* The quantum nearest to a local coordinate v (|v| <= POLYLINE_MAX_LOCAL_M). */
int32_t polyline_quantise(double v);

/* Encode npolys polylines (vertices [pt_off[p], pt_off[p+1]), at least one
 * each) given as local x,y doubles (|v| <= POLYLINE_MAX_LOCAL_M) into new
 * arrays *anchor, *step, *esc_at, *esc_d (freed by the caller with free(); an
 * empty array is a 1-element allocation) and *nesc. ERR_NOMEM or ERR_LIMIT
 * (more than UINT32_MAX - 1 escapes) in `e`, with every output NULL. */
int polyline_encode(uint32_t npolys, const uint32_t *pt_off, const double *xy, int32_t **anchor,
                    int16_t **step, uint32_t *nesc, uint32_t **esc_at, int32_t **esc_d,
                    struct err *e);

/* Check a set read from outside (a mapped file) so that the decoder never
 * reads out of bounds: pt_off starts at 0, ascends with at least one vertex
 * per polyline; esc_at ascends, each entry below the step count and naming a
 * step whose x is POLYLINE_ESCAPE, and every such step is listed; no vertex
 * leaves [-POLYLINE_MAX_LOCAL_M, POLYLINE_MAX_LOCAL_M]. Returns 1 when
 * sound, 0 otherwise. Linear in the number of vertices. */
int polyline_check(const struct polyline_set *s);

/* Start at polyline p's first vertex. */
static inline void polyline_start(const struct polyline_set *s, uint32_t p,
                                  struct polyline_cursor *c)
{
    c->s = s;
    c->q = s->pt_off[p] - p;
    c->qend = s->pt_off[p + 1] - p - 1;
    c->x = s->anchor[2 * (size_t)p];
    c->y = s->anchor[2 * (size_t)p + 1];
    /* The first escape at or after this polyline's steps. */
    uint32_t lo = 0, hi = s->nesc;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (s->esc_at[mid] < c->q)
            lo = mid + 1;
        else
            hi = mid;
    }
    c->esc = lo;
}

/* Move to the next vertex; 0 (cursor unchanged) past the last one. */
static inline int polyline_next(struct polyline_cursor *c)
{
    if (c->q >= c->qend)
        return 0;
    const int16_t *d = c->s->step + 2 * (size_t)c->q;
    if (d[0] == POLYLINE_ESCAPE) {
        c->x += c->s->esc_d[2 * (size_t)c->esc];
        c->y += c->s->esc_d[2 * (size_t)c->esc + 1];
        c->esc++;
    } else {
        c->x += d[0];
        c->y += d[1];
    }
    c->q++;
    return 1;
}

/* The current vertex in local metres. */
static inline double polyline_x(const struct polyline_cursor *c)
{
    return (double)c->x * POLYLINE_QUANTUM;
}
static inline double polyline_y(const struct polyline_cursor *c)
{
    return (double)c->y * POLYLINE_QUANTUM;
}

#endif
