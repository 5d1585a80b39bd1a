/* SPDX-License-Identifier: MIT */
/* wkb.h - reads, rewrites and writes 2D OGC Well-Known Binary geometry.
 *
 * WKB is the hand-off format between the GDAL reader (source.c), PROJ
 * (crs.c) and SpatiaLite (store.c). Hand-written because none of the three
 * exposes "visit every coordinate sequence of a WKB buffer in place" without
 * also owning the others' job. Pure: standard headers and err.h only.
 * Limits: nesting depth WKB_MAX_DEPTH, WKB_MAX_POINTS coordinates per buffer.
 *
 * Entry points: wkb_inspect, wkb_walk, wkb_visit, wkb_linestring_new,
 * wkb_point_write.
 */
#ifndef TSUNAGU_WKB_H
#define TSUNAGU_WKB_H

#include "err.h"
#include <stddef.h>
#include <stdint.h>

#define WKB_MAX_DEPTH 8
#define WKB_MAX_POINTS 10000000u

enum wkb_type {
    WKB_POINT = 1,
    WKB_LINESTRING = 2,
    WKB_POLYGON = 3,
    WKB_MULTIPOINT = 4,
    WKB_MULTILINESTRING = 5,
    WKB_MULTIPOLYGON = 6,
    WKB_COLLECTION = 7
};

/* What a sequence passed to a wkb_seq_fn belongs to. */
enum wkb_seq_kind { WKB_SEQ_POINT = 1, WKB_SEQ_LINE = 2, WKB_SEQ_RING = 3 };

/* Summary of a WKB buffer. */
struct wkb_info {
    int type;      /* enum wkb_type of the outermost geometry */
    size_t points; /* coordinates in all sequences */
    size_t parts;  /* points, lines and polygons (not rings) */
    int empty;     /* no coordinates at all */
};

/* Called for each coordinate sequence with n points as native doubles
 * (x0,y0,x1,y1,...). The callee may change the values; they are written
 * back into the buffer. Returns ERR_OK to continue, anything else stops the
 * walk and is returned by wkb_walk. */
typedef int (*wkb_seq_fn)(void *ctx, int kind, double *xy, size_t n);

/* Validates a 2D WKB buffer (either byte order; Z, M and EWKB flags are
 * refused) and fills `info`. Returns ERR_INPUT with a sentence on malformed
 * or truncated input, ERR_LIMIT beyond the limits above. */
int wkb_inspect(const unsigned char *buf, size_t len, struct wkb_info *info, struct err *e);

/* Validates like wkb_inspect, then calls fn on every sequence in order.
 * `buf` is rewritten in place with whatever fn leaves in xy. */
int wkb_walk(unsigned char *buf, size_t len, wkb_seq_fn fn, void *ctx, struct err *e);

/* Like wkb_walk on a read-only buffer: values the callback changes are not
 * written back. */
int wkb_visit(const unsigned char *buf, size_t len, wkb_seq_fn fn, void *ctx, struct err *e);

/* Writes a little-endian 2D LineString of n points. Returns a malloc'd
 * buffer the caller frees and its length in *len, or NULL when out of memory
 * or n exceeds WKB_MAX_POINTS. */
unsigned char *wkb_linestring_new(const double *xy, size_t n, size_t *len);

/* Writes a little-endian 2D Point into out (WKB_POINT_LEN bytes). */
#define WKB_POINT_LEN 21
void wkb_point_write(double x, double y, unsigned char out[WKB_POINT_LEN]);

#endif
