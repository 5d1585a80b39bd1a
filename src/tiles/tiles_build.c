/* SPDX-License-Identifier: MIT */
/* tiles_build.c - building one tile (see tiles_private.h): the store's
 * features of the tile's buffered box, read as WKB into GEOS, moved to tile
 * units, clipped, simplified and snapped to the tile grid, then encoded
 * with mvt.h. The only GEOS user of the tiles layer.
 *
 * Simplification: polygons go through GEOSTopologyPreserveSimplify (which
 * keeps rings valid, so the snap to the integer grid that follows cannot
 * fail on them), lines through GEOSSimplify (plain Douglas-Peucker: a line
 * need not stay simple). The tolerance is one tile unit, i.e. (tile width
 * in metres) / TILES_EXTENT at that zoom: what the grid cannot show anyway. */
#define GEOS_USE_ONLY_R_API
#include "tiles_private.h"

#include "mvt.h"
#include "vec.h"

#include <geos_c.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TILES_BUILD_SIMPLIFY_UNITS 1.0 /* simplification tolerance, tile units */
#define TILES_BUILD_DENSIFY 16         /* points per edge when projecting a box */

/* Everything one build holds; released in one place (tiles_build_tile). */
struct tiles_build {
    GEOSContextHandle_t h;       /* GEOS context of this build (owned) */
    GEOSWKBReader *reader;       /* WKB reader (owned) */
    struct mvt_layer *layer;     /* the MVT layer being filled (owned) */
    struct mvt_geom geom;        /* scratch geometry (owned buffer) */
    struct mvt_point *pts;       /* scratch coordinates (owned) */
    size_t pts_cap;              /* capacity of pts */
    struct mvt_point *acc;       /* points of a (multi)point feature in the tile (owned) */
    size_t nacc, acc_cap;        /* points in acc, capacity */
    double *units;               /* scratch: a street's vertices in tile units (owned) */
    size_t units_cap;            /* vertices units holds */
    unsigned char *keep;         /* scratch: Douglas-Peucker's kept vertices (owned) */
    size_t keep_cap;             /* bytes in keep */
    const struct tiles_def *def; /* the layer */
    const struct tiles_cov *cov; /* coverage: the shares, else NULL */
    double b[4];                 /* the tile's Web Mercator bounds */
    double unit;                 /* metres per tile unit */
    char minutes[24];            /* coverage: minutes as text */
    struct err *e;               /* where failures go */
};

static void tiles_build_geos_quiet(const char *fmt, ...)
{
    (void)fmt;
}

/* lon/lat -> tile units (y down), for GEOSGeom_transformXY. */
static int tiles_build_to_units(double *x, double *y, void *ud)
{
    const struct tiles_build *b = ud;
    double mx, my;
    tiles_lonlat_to_merc(*x, *y, &mx, &my);
    *x = (mx - b->b[0]) / b->unit;
    *y = (b->b[3] - my) / b->unit;
    return 1;
}

/* Copies the coordinates of a point, line or ring into b->pts (rounded to
 * whole units); *n is their number. */
static int tiles_build_coords(struct tiles_build *b, const GEOSGeometry *g, size_t *n)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(b->h, g);
    unsigned size = 0;
    if (cs == NULL || GEOSCoordSeq_getSize_r(b->h, cs, &size) == 0)
        return ERR_INTERNAL;
    if (size > b->pts_cap) {
        struct mvt_point *p = realloc(b->pts, size * sizeof *p);
        if (p == NULL)
            return ERR_NOMEM;
        b->pts = p;
        b->pts_cap = size;
    }
    for (unsigned i = 0; i < size; i++) {
        double x, y;
        if (GEOSCoordSeq_getXY_r(b->h, cs, i, &x, &y) == 0)
            return ERR_INTERNAL;
        if (!(fabs(x) < MVT_COORD_MAX && fabs(y) < MVT_COORD_MAX))
            return ERR_INTERNAL;
        b->pts[i].x = (int32_t)lround(x);
        b->pts[i].y = (int32_t)lround(y);
    }
    *n = size;
    return ERR_OK;
}

/* Appends the parts of g that fit the feature's type to b->geom
 * (recursing into collections). */
static int tiles_build_emit(struct tiles_build *b, const GEOSGeometry *g)
{
    int type = GEOSGeomTypeId_r(b->h, g), rc = ERR_OK, added;
    size_t n = 0;
    switch (type) {
    case GEOS_POINT:
        if (b->geom.type != MVT_POINT || GEOSisEmpty_r(b->h, g) == 1)
            return ERR_OK;
        if ((rc = tiles_build_coords(b, g, &n)) != ERR_OK)
            return rc;
        if (b->pts[0].x < -TILES_BUFFER || b->pts[0].x > TILES_EXTENT + TILES_BUFFER ||
            b->pts[0].y < -TILES_BUFFER || b->pts[0].y > TILES_EXTENT + TILES_BUFFER)
            return ERR_OK; /* outside the buffered tile */
        /* gathered: one MoveTo holds them all */
        if (vec_reserve((void **)&b->acc, &b->acc_cap, b->nacc + 1, sizeof *b->acc) != ERR_OK)
            return ERR_NOMEM;
        b->acc[b->nacc++] = b->pts[0];
        return ERR_OK;
    case GEOS_LINESTRING:
        if (b->geom.type != MVT_LINESTRING)
            return ERR_OK;
        if ((rc = tiles_build_coords(b, g, &n)) != ERR_OK)
            return rc;
        return mvt_geom_line(&b->geom, b->pts, n, &added);
    case GEOS_POLYGON: {
        if (b->geom.type != MVT_POLYGON || GEOSisEmpty_r(b->h, g) == 1)
            return ERR_OK;
        const GEOSGeometry *ring = GEOSGetExteriorRing_r(b->h, g);
        if (ring == NULL || (rc = tiles_build_coords(b, ring, &n)) != ERR_OK)
            return ring ? rc : ERR_INTERNAL;
        if ((rc = mvt_geom_ring(&b->geom, b->pts, n, 1, &added)) != ERR_OK || !added)
            return rc; /* a collapsed exterior takes its holes with it */
        int holes = GEOSGetNumInteriorRings_r(b->h, g);
        for (int i = 0; rc == ERR_OK && i < holes; i++) {
            ring = GEOSGetInteriorRingN_r(b->h, g, i);
            if (ring == NULL)
                return ERR_INTERNAL;
            if ((rc = tiles_build_coords(b, ring, &n)) == ERR_OK)
                rc = mvt_geom_ring(&b->geom, b->pts, n, 0, &added);
        }
        return rc;
    }
    case GEOS_MULTIPOINT:
    case GEOS_MULTILINESTRING:
    case GEOS_MULTIPOLYGON:
    case GEOS_GEOMETRYCOLLECTION: {
        int parts = GEOSGetNumGeometries_r(b->h, g);
        for (int i = 0; rc == ERR_OK && i < parts; i++) {
            const GEOSGeometry *part = GEOSGetGeometryN_r(b->h, g, i);
            rc = part ? tiles_build_emit(b, part) : ERR_INTERNAL;
        }
        return rc;
    }
    default:
        return ERR_OK;
    }
}

/* Clips, simplifies and snaps g (tile units) to the integer grid; returns
 * a new geometry, or NULL when GEOS fails. */
static GEOSGeometry *tiles_build_shape(struct tiles_build *b, const GEOSGeometry *g, int polygonal)
{
    GEOSGeometry *valid = NULL, *clipped = NULL, *simple = NULL, *snapped = NULL;
    const GEOSGeometry *in = g;
    if (polygonal && GEOSisValid_r(b->h, g) != 1) {
        if ((valid = GEOSMakeValid_r(b->h, g)) == NULL)
            goto done;
        in = valid;
    }
    const double lo = -TILES_BUFFER, hi = TILES_EXTENT + TILES_BUFFER;
    if ((clipped = GEOSClipByRect_r(b->h, in, lo, lo, hi, hi)) == NULL)
        goto done;
    if (GEOSisEmpty_r(b->h, clipped) == 1) {
        snapped = clipped;
        clipped = NULL;
        goto done;
    }
    simple = polygonal ? GEOSTopologyPreserveSimplify_r(b->h, clipped, TILES_BUILD_SIMPLIFY_UNITS)
                       : GEOSSimplify_r(b->h, clipped, TILES_BUILD_SIMPLIFY_UNITS);
    if (simple == NULL)
        goto done;
    snapped = GEOSGeom_setPrecision_r(b->h, simple, 1.0, 0);
    if (snapped == NULL && polygonal) { /* an invalidity left by clipping: repair, retry */
        GEOSGeometry *fixed = GEOSMakeValid_r(b->h, simple);
        if (fixed)
            snapped = GEOSGeom_setPrecision_r(b->h, fixed, 1.0, 0);
        GEOSGeom_destroy_r(b->h, fixed);
    }
done:
    GEOSGeom_destroy_r(b->h, valid);
    GEOSGeom_destroy_r(b->h, clipped);
    GEOSGeom_destroy_r(b->h, simple);
    return snapped;
}

/* The share of district `code` in the coverage table: 1 with *share set,
 * 0 when suppressed or unknown. */
static int tiles_build_cov_share(const struct tiles_cov *c, const char *code, double *share)
{
    for (size_t i = 0; code && i < c->n; i++)
        if (strcmp(c->codes[i], code) == 0) {
            *share = c->share[i];
            return c->share[i] >= 0;
        }
    return 0;
}

/* The MVT type of a GEOS geometry type (the basemap layer mixes them). */
static int tiles_build_type(int geos_type)
{
    switch (geos_type) {
    case GEOS_POINT:
    case GEOS_MULTIPOINT:
        return MVT_POINT;
    case GEOS_LINESTRING:
    case GEOS_MULTILINESTRING:
        return MVT_LINESTRING;
    default:
        return MVT_POLYGON;
    }
}

static int tiles_build_add_feature(struct tiles_build *b, const struct store_tiles_row *r);

/* One feature, its geometry already in tile units (units, destroyed
 * here), into the layer: clipped, simplified, snapped and encoded with
 * the attributes of r. */
static int tiles_build_add_units(struct tiles_build *b, const struct store_tiles_row *r,
                                 GEOSGeometry *units)
{
    const struct tiles_def *d = b->def;
    int type = d->kind == TILES_RESOURCES ? MVT_POINT
               : d->kind == TILES_STREETS ? MVT_LINESTRING
                                          : MVT_POLYGON;
    if (units && d->kind == TILES_BASEMAP) /* mixed layer: each feature's own type */
        type = tiles_build_type(GEOSGeomTypeId_r(b->h, units));
    GEOSGeometry *shaped = NULL;
    int rc = ERR_OK;
    if (units == NULL) {
        rc = err_set(b->e, ERR_INTERNAL, "GEOS cannot read feature %ld of layer %s", r->id, d->id);
        goto done;
    }
    if (type == MVT_POINT) {
        shaped = units; /* points need no clip or simplification: tiles_build_emit filters */
        units = NULL;
    } else if ((shaped = tiles_build_shape(b, units, type == MVT_POLYGON)) == NULL) {
        rc = err_set(b->e, ERR_INTERNAL, "GEOS cannot fit feature %ld of layer %s to the tile",
                     r->id, d->id);
        goto done;
    }
    mvt_geom_reset(&b->geom, type);
    b->nacc = 0;
    rc = tiles_build_emit(b, shaped);
    if (rc == ERR_OK && type == MVT_POINT && b->nacc > 0)
        rc = mvt_geom_points(&b->geom, b->acc, b->nacc);
    if (rc != ERR_OK) {
        if (rc == ERR_NOMEM)
            err_nomem(b->e);
        else
            err_set(b->e, rc, "feature %ld of layer %s cannot be encoded", r->id, d->id);
        goto done;
    }
    if (b->geom.parts == 0)
        goto done; /* outside the tile, or collapsed on the grid: dropped */
    rc = tiles_build_add_feature(b, r);
done:
    GEOSGeom_destroy_r(b->h, shaped);
    GEOSGeom_destroy_r(b->h, units);
    return rc;
}

/* Adds the feature r with the geometry in b->geom (at least one part) and
 * the attributes of its layer. */
static int tiles_build_add_feature(struct tiles_build *b, const struct store_tiles_row *r)
{
    const struct tiles_def *d = b->def;
    struct mvt_prop props[8];
    size_t n = 0;
    double share = 0;
    switch (d->kind) {
    case TILES_DISTRICTS:
    case TILES_COVERAGE:
        for (int i = 0; i < 3; i++)
            props[n++] = (struct mvt_prop){.key = tiles_fields(TILES_DISTRICTS)[i].name,
                                           .type = MVT_VALUE_STRING,
                                           .s = r->text[i]};
        if (d->kind == TILES_COVERAGE) {
            props[n++] =
                (struct mvt_prop){.key = "kind", .type = MVT_VALUE_STRING, .s = d->res_kind};
            props[n++] = (struct mvt_prop){
                .key = "minutes", .type = MVT_VALUE_DOUBLE, .d = d->cov.walk.minutes};
            int shown = tiles_build_cov_share(b->cov, r->text[0], &share);
            if (shown)
                props[n++] = (struct mvt_prop){.key = "share_covered",
                                               .type = MVT_VALUE_DOUBLE,
                                               .d = round(share * 10000.0) / 10000.0};
            props[n++] =
                (struct mvt_prop){.key = "suppressed", .type = MVT_VALUE_BOOL, .b = !shown};
        }
        break;
    case TILES_RESOURCES:
        for (int i = 0; i < 6; i++)
            props[n++] = (struct mvt_prop){.key = tiles_fields(TILES_RESOURCES)[i].name,
                                           .type = MVT_VALUE_STRING,
                                           .s = r->text[i]};
        break;
    case TILES_BASEMAP:
        n = tiles_basemap_props(r, props);
        break;
    default:
        props[n++] = (struct mvt_prop){.key = "highway", .type = MVT_VALUE_STRING, .s = r->text[0]};
        props[n++] = (struct mvt_prop){.key = "name", .type = MVT_VALUE_STRING, .s = r->text[1]};
        props[n++] =
            (struct mvt_prop){.key = "steps", .type = MVT_VALUE_BOOL, .b = (r->flags & 1) != 0};
        break;
    }
    return mvt_layer_add(b->layer, (uint64_t)r->id, &b->geom, props, n, b->e);
}

/* Store callback: one feature (WKB in lon/lat) into the layer. */
static int tiles_build_add_row(void *ctx, const struct store_tiles_row *r)
{
    struct tiles_build *b = ctx;
    GEOSGeometry *g = GEOSWKBReader_read_r(b->h, b->reader, r->wkb, r->wkb_len);
    GEOSGeometry *units = g ? GEOSGeom_transformXY_r(b->h, g, tiles_build_to_units, b) : NULL;
    GEOSGeom_destroy_r(b->h, g);
    return tiles_build_add_units(b, r, units);
}

/* 1 when the n vertices u (x, y in tile units) all lie strictly inside
 * the buffered tile, where GEOSClipByRect returns the line unchanged. */
static int tiles_build_inside(const double *u, uint32_t n)
{
    const double lo = -TILES_BUFFER, hi = TILES_EXTENT + TILES_BUFFER;
    for (uint32_t i = 0; i < 2 * n; i++)
        if (!(u[i] > lo && u[i] < hi))
            return 0;
    return 1;
}

/* Distance from p to the segment a-b, computed as GEOS's
 * Distance::pointToSegment does (the same operations in the same order,
 * so Douglas-Peucker keeps the same vertices). */
static double tiles_build_seg_dist(const double *p, const double *a, const double *bb)
{
    if (a[0] == bb[0] && a[1] == bb[1])
        return sqrt((p[0] - a[0]) * (p[0] - a[0]) + (p[1] - a[1]) * (p[1] - a[1]));
    double len2 = (bb[0] - a[0]) * (bb[0] - a[0]) + (bb[1] - a[1]) * (bb[1] - a[1]);
    double r = ((p[0] - a[0]) * (bb[0] - a[0]) + (p[1] - a[1]) * (bb[1] - a[1])) / len2;
    if (r <= 0.0)
        return sqrt((p[0] - a[0]) * (p[0] - a[0]) + (p[1] - a[1]) * (p[1] - a[1]));
    if (r >= 1.0)
        return sqrt((p[0] - bb[0]) * (p[0] - bb[0]) + (p[1] - bb[1]) * (p[1] - bb[1]));
    double s = ((a[1] - p[1]) * (bb[0] - a[0]) - (a[0] - p[0]) * (bb[1] - a[1])) / len2;
    return fabs(s) * sqrt(len2);
}

/* Douglas-Peucker over u[i..j] as GEOS's DouglasPeuckerLineSimplifier
 * (the first farthest vertex splits; a section within the tolerance drops
 * its inner vertices: keep[k] = 0). Recursion depth is bounded by the
 * vertices of one edge. */
static void tiles_build_dp(const double *u, unsigned char *keep, size_t i, size_t j, double tol)
{
    if (i + 1 >= j)
        return;
    double maxd = -1.0;
    size_t maxk = i;
    for (size_t k = i + 1; k < j; k++) {
        double d = tiles_build_seg_dist(&u[2 * k], &u[2 * i], &u[2 * j]);
        if (d > maxd) {
            maxd = d;
            maxk = k;
        }
    }
    if (maxd <= tol) {
        for (size_t k = i + 1; k < j; k++)
            keep[k] = 0;
    } else {
        tiles_build_dp(u, keep, i, maxk, tol);
        tiles_build_dp(u, keep, maxk, j, tol);
    }
}

/* Java's Math.round, as GEOS's PrecisionModel rounds to the grid: halves
 * go up (-2.5 -> -2), unlike lround. */
static double tiles_build_round(double v)
{
    double n, f = fabs(modf(v, &n));
    if (v >= 0)
        return f < 0.5 ? floor(v) : f > 0.5 ? ceil(v) : n + 1.0;
    return f < 0.5 ? ceil(v) : f > 0.5 ? floor(v) : n;
}

size_t tiles_build_line(const double *u, size_t n, unsigned char *keep, struct mvt_point *out)
{
    memset(keep, 1, n);
    if (n > 0)
        tiles_build_dp(u, keep, 0, n - 1, TILES_BUILD_SIMPLIFY_UNITS);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (keep[i])
            out[m++] = (struct mvt_point){(int32_t)tiles_build_round(u[2 * i]),
                                          (int32_t)tiles_build_round(u[2 * i + 1])};
    return m;
}

/* A street wholly inside the buffered tile (b->units, n >= 2 vertices)
 * without GEOS: what GEOSClipByRect (nothing to clip), GEOSSimplify by
 * TILES_BUILD_SIMPLIFY_UNITS and GEOSGeom_setPrecision(1) give, written
 * by hand because building GEOS objects for each of a tile's thousands of
 * short streets cost more than the work itself. The same vertices come
 * out (tests/test_tiles_index.c compares both on every demo tile and
 * against GEOS on lines built to hit ties). */
static int tiles_build_add_inside(struct tiles_build *b, const struct store_tiles_row *r,
                                  uint32_t n)
{
    if (n > b->keep_cap) {
        unsigned char *k = realloc(b->keep, n);
        if (k == NULL)
            return err_nomem(b->e);
        b->keep = k;
        b->keep_cap = n;
    }
    if (n > b->pts_cap) {
        struct mvt_point *p = realloc(b->pts, n * sizeof *p);
        if (p == NULL)
            return err_nomem(b->e);
        b->pts = p;
        b->pts_cap = n;
    }
    size_t m = tiles_build_line(b->units, n, b->keep, b->pts);
    int added = 0;
    mvt_geom_reset(&b->geom, MVT_LINESTRING);
    int rc = mvt_geom_line(&b->geom, b->pts, m, &added);
    if (rc != ERR_OK)
        return rc == ERR_NOMEM ? err_nomem(b->e)
                               : err_set(b->e, rc, "feature %ld of layer %s cannot be encoded",
                                         r->id, b->def->id);
    if (!added)
        return ERR_OK; /* collapsed on the grid: dropped */
    return tiles_build_add_feature(b, r);
}

/* The streets of the tile from the index: each edge whose box meets the
 * buffered tile (plus one unit, so rounding cannot lose one; what lies
 * beyond is clipped away as before), in id order, moved to tile units by
 * the same arithmetic as tiles_build_to_units. */
static int tiles_build_from_index(struct tiles_build *b, const struct tiles_index *ix, int z,
                                  long x, long y)
{
    double pad = (TILES_BUFFER + 1) * b->unit;
    double box[4] = {b->b[0] - pad, b->b[1] - pad, b->b[2] + pad, b->b[3] + pad};
    uint32_t *cand = NULL;
    size_t cap = 0, n = 0;
    int rc = tiles_index_query(ix, box, &cand, &cap, &n);
    if (rc != ERR_OK) {
        free(cand);
        return err_nomem(b->e);
    }
    if (n > TILES_FEATURES_MAX) {
        free(cand);
        return err_set(b->e, ERR_LIMIT, "more than %d features meet this tile", TILES_FEATURES_MAX);
    }
    for (size_t c = 0; rc == ERR_OK && c < n; c++) {
        const struct tiles_index_edge *ed = &ix->edge[cand[c]];
        struct store_tiles_row r = {.id = ed->id, .flags = ed->flags};
        r.text[0] = ed->highway == UINT32_MAX ? NULL : ix->strs[ed->highway];
        r.text[1] = ed->name == UINT32_MAX ? NULL : ix->strs[ed->name];
        if (ed->npts > b->units_cap) { /* scratch: x, y doubles */
            double *u = realloc(b->units, 2 * ed->npts * sizeof *u);
            if (u == NULL) {
                rc = err_nomem(b->e);
                break;
            }
            b->units = u;
            b->units_cap = ed->npts;
        }
        const double *p = &ix->xy[2 * (size_t)ed->first];
        for (uint32_t i = 0; i < ed->npts; i++) {
            b->units[2 * i] = (p[2 * i] - b->b[0]) / b->unit;
            b->units[2 * i + 1] = (b->b[3] - p[2 * i + 1]) / b->unit;
        }
        if (ed->npts >= 2 && tiles_build_inside(b->units, ed->npts)) {
            rc = tiles_build_add_inside(b, &r, ed->npts);
            continue;
        }
        GEOSCoordSequence *cs = GEOSCoordSeq_copyFromBuffer_r(b->h, b->units, ed->npts, 0, 0);
        GEOSGeometry *units = cs ? GEOSGeom_createLineString_r(b->h, cs) : NULL;
        if (units == NULL && cs)
            GEOSCoordSeq_destroy_r(b->h, cs);
        rc = tiles_build_add_units(b, &r, units);
    }
    free(cand);
    if (rc == ERR_LIMIT)
        err_set(b->e, ERR_LIMIT, "tile %d/%ld/%ld would hold too many features", z, x, y);
    return rc;
}

/* The bounding box in the database CRS of the lon/lat box ll (the edges
 * densified, so the curved image of each edge is enclosed), grown by 1%. */
static int tiles_build_box_to_xy(struct crs *c, const double ll[4], double xy[4])
{
    xy[0] = xy[1] = INFINITY;
    xy[2] = xy[3] = -INFINITY;
    for (int i = 0; i <= TILES_BUILD_DENSIFY; i++) {
        double f = (double)i / TILES_BUILD_DENSIFY;
        double pts[4][2] = {{ll[0] + f * (ll[2] - ll[0]), ll[1]},
                            {ll[0] + f * (ll[2] - ll[0]), ll[3]},
                            {ll[0], ll[1] + f * (ll[3] - ll[1])},
                            {ll[2], ll[1] + f * (ll[3] - ll[1])}};
        for (int k = 0; k < 4; k++) {
            double x, y;
            if (crs_to_xy(c, pts[k][0], pts[k][1], &x, &y) != ERR_OK)
                return ERR_INPUT;
            xy[0] = fmin(xy[0], x);
            xy[1] = fmin(xy[1], y);
            xy[2] = fmax(xy[2], x);
            xy[3] = fmax(xy[3], y);
        }
    }
    double pad = 0.01 * fmax(xy[2] - xy[0], xy[3] - xy[1]) + 1.0;
    xy[0] -= pad;
    xy[1] -= pad;
    xy[2] += pad;
    xy[3] += pad;
    return ERR_OK;
}

int tiles_build_tile(const struct tiles_env *env, const struct tiles_def *d,
                     const struct tiles_cov *cov, const struct tiles_index *ix, int z, long x,
                     long y, unsigned char **out, size_t *len, struct err *e)
{
    *out = NULL;
    *len = 0;
    if (z < d->minzoom)
        return ERR_OK; /* e.g. streets below TILES_STREETS_MINZOOM: empty by design */
    struct tiles_build b = {.def = d, .cov = cov, .e = e};
    int rc = ERR_OK;
    tiles_bounds(z, x, y, b.b);
    b.unit = (b.b[2] - b.b[0]) / TILES_EXTENT;
    /* The buffered tile in lon/lat, cut to the database's area. */
    double pad = TILES_BUFFER * b.unit, ll[4];
    tiles_merc_to_lonlat(b.b[0] - pad, b.b[1] - pad, &ll[0], &ll[1]);
    tiles_merc_to_lonlat(b.b[2] + pad, b.b[3] + pad, &ll[2], &ll[3]);
    ll[0] = fmax(ll[0], env->area.min_lon);
    ll[1] = fmax(ll[1], env->area.min_lat);
    ll[2] = fmin(ll[2], env->area.max_lon);
    ll[3] = fmin(ll[3], env->area.max_lat);
    if (ll[0] >= ll[2] || ll[1] >= ll[3])
        return ERR_OK; /* the tile lies outside the data's area */
    double xy[4];
    if (tiles_build_box_to_xy(env->crs, ll, xy) != ERR_OK)
        return err_set(e, ERR_INTERNAL,
                       "tile %d/%ld/%ld cannot be projected to the database "
                       "CRS",
                       z, x, y);
    mvt_geom_init(&b.geom, MVT_POINT);
    b.h = GEOS_init_r();
    if (b.h == NULL) {
        rc = err_nomem(e);
        goto done;
    }
    GEOSContext_setErrorHandler_r(b.h, tiles_build_geos_quiet);
    GEOSContext_setNoticeHandler_r(b.h, tiles_build_geos_quiet);
    b.reader = GEOSWKBReader_create_r(b.h);
    b.layer = mvt_layer_new(d->id, TILES_EXTENT, e);
    if (b.reader == NULL || b.layer == NULL) {
        rc = b.layer ? err_nomem(e) : e->code;
        goto done;
    }
    int layer = d->kind == TILES_RESOURCES ? STORE_TILES_RESOURCES
                : d->kind == TILES_STREETS ? STORE_TILES_STREETS
                                           : STORE_TILES_DISTRICTS;
    if (ix && d->kind == TILES_STREETS)
        rc = tiles_build_from_index(&b, ix, z, x, y);
    else if (d->kind == TILES_BASEMAP)
        rc = tiles_basemap_each(env, z, xy, TILES_FEATURES_MAX, tiles_build_add_row, &b, e);
    else
        rc = store_tiles_each(env->st, layer, d->level[0] ? d->level : NULL, xy, TILES_FEATURES_MAX,
                              tiles_build_add_row, &b, e);
    if (rc == ERR_LIMIT) {
        err_clear(e);
        rc =
            err_set(e, ERR_LIMIT, "tile %d/%ld/%ld of %s would hold more than %d features; zoom in",
                    z, x, y, d->id, TILES_FEATURES_MAX);
    }
    if (rc == ERR_OK) {
        struct mvt_layer *layers[1] = {b.layer};
        rc = mvt_encode(layers, 1, out, len, e);
    }
done:
    if (b.h) {
        if (b.reader)
            GEOSWKBReader_destroy_r(b.h, b.reader);
        GEOS_finish_r(b.h);
    }
    mvt_layer_free(b.layer);
    mvt_geom_free(&b.geom);
    free(b.pts);
    free(b.acc);
    free(b.units);
    free(b.keep);
    return rc;
}
