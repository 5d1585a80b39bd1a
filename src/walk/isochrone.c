/* SPDX-License-Identifier: MIT */
/* isochrone.c - reachable-area polygons (see isochrone.h): slices the
 * reached stretches of edges out of the graph, traces the area within the
 * walking margin of them on a grid (raster.c, GDAL), then with GEOS
 * simplifies within a metre, projects to WGS84 and writes GeoJSON. Entry
 * point: isochrone_geojson. */
#define GEOS_USE_ONLY_R_API
#include "isochrone.h"

#include "raster.h"
#include "vec.h"
#include "walk_json.h"

#include <geos_c.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The reached streets as polylines in one growing buffer. */
struct iso_lines {
    double *xy;       /* all points, x,y */
    size_t npts, cap; /* points used, capacity in points */
    size_t *start;    /* first point of each line */
    size_t *count;    /* points of each line */
    size_t n, lcap;   /* lines, capacity */
};

static int iso_reserve(struct iso_lines *l, size_t more)
{
    /* xy holds points (two doubles each); start and count grow together. */
    if (vec_reserve((void **)&l->xy, &l->cap, l->npts + more, 2 * sizeof *l->xy) != ERR_OK)
        return ERR_NOMEM;
    size_t cap = l->lcap;
    if (vec_reserve((void **)&l->start, &cap, l->n + 1, sizeof *l->start) != ERR_OK)
        return ERR_NOMEM;
    cap = l->lcap;
    if (vec_reserve((void **)&l->count, &cap, l->n + 1, sizeof *l->count) != ERR_OK)
        return ERR_NOMEM;
    l->lcap = cap;
    return ERR_OK;
}

static int iso_add(struct iso_lines *l, const double *xy, size_t n)
{
    if (iso_reserve(l, n) != ERR_OK)
        return ERR_NOMEM;
    memcpy(l->xy + 2 * l->npts, xy, 2 * n * sizeof *xy);
    l->start[l->n] = l->npts;
    l->count[l->n++] = n;
    l->npts += n;
    return ERR_OK;
}

/* Projection callback for GEOSGeom_transformXY. */
struct iso_proj {
    struct walk_session *s; /* borrowed */
};

static int iso_to_lonlat(double *x, double *y, void *ud)
{
    struct iso_proj *p = ud;
    double lon, lat;
    if (walk_session_to_lonlat(p->s, *x, *y, &lon, &lat) != ERR_OK)
        return 0;
    *x = round(lon * 1e7) / 1e7;
    *y = round(lat * 1e7) / 1e7;
    return 1;
}

static void iso_quiet(const char *fmt, ...)
{
    (void)fmt;
}

json_t *isochrone_geojson(struct walk_session *s, const struct walk_net *n,
                          const struct walk_query *q, double margin_m, struct err *e)
{
    if (margin_m == 0)
        margin_m = ISOCHRONE_DEFAULT_MARGIN_M;
    if (!isfinite(margin_m) || margin_m < 1 || margin_m > ISOCHRONE_MAX_MARGIN_M)
        return err_set(e, ERR_INPUT, "the margin must be between 1 and %g metres",
                       ISOCHRONE_MAX_MARGIN_M),
               NULL;
    const struct search_interval *iv;
    size_t niv = 0;
    struct walk_result r;
    if (walk_reached_edges(s, q, &iv, &niv, &r, e) != ERR_OK)
        return NULL;
    const struct graph *g = walk_net_graph(n);
    struct iso_lines l = {0};
    struct raster_line *rl = NULL;
    unsigned char *wkb = NULL;
    size_t wkb_len = 0;
    GEOSContextHandle_t h = NULL;
    GEOSWKBReader *reader = NULL;
    GEOSGeometry *area = NULL, *simple = NULL, *ll = NULL;
    GEOSGeoJSONWriter *w = NULL;
    char *text = NULL;
    json_t *feature = NULL;
    int rc = ERR_OK;
    for (size_t i = 0; rc == ERR_OK && i < niv; i++) {
        size_t need = graph_edge_npoints(g, iv[i].edge) + 2;
        if ((rc = iso_reserve(&l, need)) != ERR_OK)
            break;
        size_t np = 0;
        rc = graph_edge_slice(g, iv[i].edge, iv[i].from_m, iv[i].to_m, l.xy + 2 * l.npts,
                              l.cap - l.npts, &np, e);
        if (rc == ERR_OK) {
            l.start[l.n] = l.npts;
            l.count[l.n++] = np;
            l.npts += np;
        }
    }
    /* The origin's access leg is walked too (a point when it is on a street). */
    struct graph_place origin;
    if (rc == ERR_OK &&
        graph_snap(g, r.origin_x, r.origin_y, r.snap_m + 1e-6, &origin, NULL) == ERR_OK) {
        double leg[4] = {r.origin_x, r.origin_y, origin.x, origin.y};
        rc = iso_add(&l, leg, 2);
    }
    rl = rc == ERR_OK ? malloc((l.n ? l.n : 1) * sizeof *rl) : NULL;
    if (rl == NULL) {
        if (rc == ERR_OK || rc == ERR_NOMEM)
            err_nomem(e);
        goto done;
    }
    for (size_t i = 0; i < l.n; i++)
        rl[i] = (struct raster_line){l.xy + 2 * l.start[i], l.count[i]};
    double cell = margin_m / 4 < 2 ? 2 : margin_m / 4;
    if (raster_line_area(rl, l.n, margin_m, cell, &wkb, &wkb_len, e) != ERR_OK)
        goto done;
    h = GEOS_init_r();
    if (h == NULL) {
        err_nomem(e);
        goto done;
    }
    GEOSContext_setErrorHandler_r(h, iso_quiet);
    GEOSContext_setNoticeHandler_r(h, iso_quiet);
    reader = GEOSWKBReader_create_r(h);
    area = reader ? GEOSWKBReader_read_r(h, reader, wkb, wkb_len) : NULL;
    /* Douglas-Peucker within 1 m: the contour is already clean, and the
     * topology-preserving variant cost a third of the whole isochrone. A
     * simplification that crossed itself is repaired. */
    simple = area ? GEOSSimplify_r(h, area, 1.0) : NULL;
    if (simple && GEOSisValid_r(h, simple) != 1) {
        GEOSGeometry *fixed = GEOSMakeValid_r(h, simple);
        GEOSGeom_destroy_r(h, simple);
        simple = fixed;
    }
    double area_m2 = 0;
    if (simple)
        GEOSArea_r(h, simple, &area_m2);
    struct iso_proj proj = {s};
    ll = simple ? GEOSGeom_transformXY_r(h, simple, iso_to_lonlat, &proj) : NULL;
    w = ll ? GEOSGeoJSONWriter_create_r(h) : NULL;
    text = w ? GEOSGeoJSONWriter_writeGeometry_r(h, w, ll, -1) : NULL;
    if (text == NULL) {
        err_set(e, ERR_INTERNAL, "GEOS could not finish the reachable area");
        goto done;
    }
    json_t *geom = json_loads(text, 0, NULL);
    feature = json_pack("{s:s,s:{s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:[f,f]},s:o}", "type", "Feature",
                        "properties", "minutes", q->minutes, "speed_m_per_min", r.speed, "limit_m",
                        walk_json_round(r.limit_m, 1), "margin_m", margin_m, "grid_m", cell,
                        "area_m2", walk_json_round(area_m2, 0), "snap_m",
                        walk_json_round(r.snap_m, 1), "origin", q->lon, q->lat, "geometry", geom);
    if (feature == NULL)
        err_nomem(e);
done:
    if (h) {
        if (reader)
            GEOSWKBReader_destroy_r(h, reader);
        GEOSGeom_destroy_r(h, area);
        GEOSGeom_destroy_r(h, simple);
        GEOSGeom_destroy_r(h, ll);
        if (w)
            GEOSGeoJSONWriter_destroy_r(h, w);
        if (text)
            GEOSFree_r(h, text);
        GEOS_finish_r(h);
    }
    free(wkb);
    free(rl);
    free(l.xy);
    free(l.start);
    free(l.count);
    return feature;
}
