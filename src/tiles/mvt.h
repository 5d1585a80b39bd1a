/* SPDX-License-Identifier: MIT */
/* mvt.h - Mapbox Vector Tile 2.1 encoding: the geometry command stream
 * (MoveTo / LineTo / ClosePath with zigzag-encoded deltas, section 4.3 of
 * the specification), ring winding (exterior rings have a positive
 * surveyor's area in tile coordinates, y pointing down: clockwise on
 * screen), and layers with shared key and value dictionaries, serialised
 * as a protobuf tile.
 *
 * Pure: knows nothing of GEOS, SQL or HTTP. Coordinates are integers in
 * tile units (0..extent across the tile, beyond it in the buffer).
 *
 * Entry points: mvt_command, mvt_zigzag, mvt_unzigzag,
 * mvt_ring_area2, mvt_ring_reverse; struct mvt_geom with
 * mvt_geom_init/reset/free, mvt_geom_points, mvt_geom_line,
 * mvt_geom_ring and its reader mvt_geom_decode; struct mvt_layer with
 * mvt_layer_new/free, mvt_layer_add, mvt_layer_count; mvt_encode. */
#ifndef TSUNAGU_TILE_H
#define TSUNAGU_TILE_H

#include "err.h"

#include <stddef.h>
#include <stdint.h>

#define MVT_VERSION 2      /* the layer version of MVT 2.x */
#define MVT_CMD_MOVE_TO 1u /* command ids (section 4.3.1) */
#define MVT_CMD_LINE_TO 2u
#define MVT_CMD_CLOSE_PATH 7u
#define MVT_COUNT_MAX ((1u << 29) - 1) /* largest command count */
#define MVT_COORD_MAX 100000000        /* |coordinate| accepted, far beyond any buffer */
#define MVT_PROPS_MAX 32               /* properties of one feature */

/* Geometry types (section 4.3.4; the values of the protobuf enum). */
enum mvt_type { MVT_UNKNOWN = 0, MVT_POINT = 1, MVT_LINESTRING = 2, MVT_POLYGON = 3 };

/* A position in tile units, y pointing down. */
struct mvt_point {
    int32_t x; /* units right of the tile's left edge */
    int32_t y; /* units below the tile's top edge */
};

/* CommandInteger of `id` (MVT_CMD_*) repeated `count` times (at most
 * MVT_COUNT_MAX): (id & 7) | (count << 3). */
uint32_t mvt_command(uint32_t id, uint32_t count);

/* ParameterInteger of v: (v << 1) ^ (v >> 31), so small magnitudes of
 * either sign become small unsigned numbers. */
uint32_t mvt_zigzag(int32_t v);

/* Inverse of mvt_zigzag. */
int32_t mvt_unzigzag(uint32_t u);

/* Twice the surveyor's (shoelace) area of the ring p[0..n) (closed
 * implicitly; a repeated closing point adds nothing) in tile coordinates:
 * positive for an exterior ring in MVT 2.1 (clockwise on screen). */
int64_t mvt_ring_area2(const struct mvt_point *p, size_t n);

/* Reverses p[0..n) in place (the winding of a ring). */
void mvt_ring_reverse(struct mvt_point *p, size_t n);

/* A feature's geometry being built: the command stream of one type. */
struct mvt_geom {
    uint32_t *cmd;  /* command and parameter integers (owned) */
    size_t n;       /* integers in cmd */
    size_t cap;     /* capacity of cmd */
    int type;       /* enum mvt_type */
    int32_t cx, cy; /* the cursor: the last position written */
    size_t parts;   /* points, lines or rings written */
};

/* An empty geometry of `type` (MVT_POINT, MVT_LINESTRING, MVT_POLYGON)
 * holding no memory yet. */
void mvt_geom_init(struct mvt_geom *g, int type);

/* Empties g for a new feature of `type`, keeping its buffer. */
void mvt_geom_reset(struct mvt_geom *g, int type);

/* Frees g's buffer; g is then as after mvt_geom_init. */
void mvt_geom_free(struct mvt_geom *g);

/* Writes the points p[0..n) as one MoveTo with count n (a point, or a
 * multipoint when n > 1); g must be a MVT_POINT geometry with no part yet.
 * ERR_INPUT when n is 0 or a coordinate exceeds MVT_COORD_MAX, ERR_NOMEM
 * (g unchanged) when out of memory. */
int mvt_geom_points(struct mvt_geom *g, const struct mvt_point *p, size_t n);

/* Appends the line p[0..n) to a MVT_LINESTRING geometry: MoveTo, then
 * LineTo over the points that differ from their predecessor. A line with
 * fewer than two distinct consecutive points is degenerate: nothing is
 * written and *added is 0 (1 otherwise). ERR_INPUT / ERR_NOMEM as for
 * mvt_geom_points; g is unchanged on failure. */
int mvt_geom_line(struct mvt_geom *g, const struct mvt_point *p, size_t n, int *added);

/* Appends the ring p[0..n) (closed or not) to a MVT_POLYGON geometry as
 * MoveTo, LineTo (count >= 2) and ClosePath. Repeated consecutive points
 * and the closing point are left out; the ring is reversed in place when
 * its winding does not match `exterior` (1: positive area, 0: negative).
 * A ring with fewer than three distinct points or no area is degenerate:
 * nothing is written and *added is 0. Failures as for mvt_geom_line. */
int mvt_geom_ring(struct mvt_geom *g, struct mvt_point *p, size_t n, int exterior, int *added);

/* Reads a command stream back (the pair of the writer, used by tests):
 * calls fn(ctx, cmd_id, x, y) with absolute positions for each MoveTo and
 * LineTo vertex and (x, y) of the cursor for ClosePath. ERR_INPUT for a
 * malformed stream (unknown command, missing parameters, a ClosePath with
 * a count other than 1); non-zero from fn stops and is returned. */
int mvt_geom_decode(const uint32_t *cmd, size_t n,
                    int (*fn)(void *ctx, uint32_t id, int32_t x, int32_t y), void *ctx);

/* Types of a property value. */
enum mvt_value_type {
    MVT_VALUE_STRING = 1, /* s */
    MVT_VALUE_DOUBLE = 2, /* d */
    MVT_VALUE_INT = 3,    /* i */
    MVT_VALUE_BOOL = 4    /* b */
};

/* One property of a feature; a string property whose s is NULL is left
 * out (MVT has no null). */
struct mvt_prop {
    const char *key; /* attribute name */
    int type;        /* enum mvt_value_type */
    const char *s;   /* string value (copied) */
    double d;        /* double value */
    int64_t i;       /* integer value */
    int b;           /* boolean value, 0 or 1 */
};

/* A layer being filled: features plus key and value dictionaries in which
 * every distinct key and value appears once. */
struct mvt_layer;

/* A new empty layer called `name` (copied) with `extent` units across the
 * tile; NULL with ERR_NOMEM. Free with mvt_layer_free. */
struct mvt_layer *mvt_layer_new(const char *name, uint32_t extent, struct err *e);
void mvt_layer_free(struct mvt_layer *l);

/* Adds a feature with geometry g (copied; must hold at least one part),
 * the properties props[0..nprops) (at most MVT_PROPS_MAX, keys distinct)
 * and id (0 = none). ERR_INPUT for an empty geometry, too many or repeated
 * keys, a string that is not valid for protobuf (NULL key); ERR_NOMEM
 * leaves the layer as it was. */
int mvt_layer_add(struct mvt_layer *l, uint64_t id, const struct mvt_geom *g,
                  const struct mvt_prop *props, size_t nprops, struct err *e);

/* Features in the layer. */
size_t mvt_layer_count(const struct mvt_layer *l);

/* Serialises layers[0..n) holding at least one feature (empty layers are
 * left out, names must be distinct) as one tile into a new buffer *out of
 * *len bytes (caller frees). When no layer holds a feature, *out is NULL
 * and *len 0: an empty tile. ERR_INPUT for repeated layer names,
 * ERR_NOMEM otherwise. */
int mvt_encode(struct mvt_layer *const *layers, size_t n, unsigned char **out, size_t *len,
               struct err *e);

#endif
