/* isochrone.c - reachable-area polygons with GEOS (see isochrone.h): slices
 * the reached stretches of edges out of the graph, buffers and dissolves them
 * in the metric CRS, simplifies within a metre, projects to WGS84 and writes
 * GeoJSON with GEOS's writer. Entry point: isochrone_geojson. */
#define GEOS_USE_ONLY_R_API
#include "isochrone.h"

#include "walk_json.h"

#include <geos_c.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Everything a build holds; released in one place. */
struct iso_build {
    GEOSContextHandle_t h;    /* owned GEOS context */
    GEOSGeometry **lines;     /* owned until handed to the collection */
    size_t n, cap;            /* lines so far, capacity */
    double *xy;               /* slice buffer */
    size_t xy_cap;            /* capacity in points */
    struct walk_session *s;   /* for projection back to WGS84 */
};

static int iso_add_line(struct iso_build *b, const double *xy, size_t npts)
{
    if (npts < 2)
        return ERR_OK;
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 1024;
        GEOSGeometry **g = realloc(b->lines, cap * sizeof *g);
        if (g == NULL)
            return ERR_NOMEM;
        b->lines = g;
        b->cap = cap;
    }
    GEOSCoordSequence *cs = GEOSCoordSeq_copyFromBuffer_r(b->h, xy, (unsigned)npts, 0, 0);
    GEOSGeometry *line = cs ? GEOSGeom_createLineString_r(b->h, cs) : NULL;
    if (line == NULL)
        return ERR_INTERNAL;
    b->lines[b->n++] = line;
    return ERR_OK;
}

static int iso_to_lonlat(double *x, double *y, void *ud)
{
    struct iso_build *b = ud;
    double lon, lat;
    if (walk_session_to_lonlat(b->s, *x, *y, &lon, &lat) != ERR_OK)
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
                       ISOCHRONE_MAX_MARGIN_M), NULL;
    const struct search_interval *iv;
    size_t niv = 0;
    struct walk_result r;
    if (walk_reached_edges(s, q, &iv, &niv, &r, e) != ERR_OK)
        return NULL;
    const struct graph *g = walk_net_graph(n);
    struct iso_build b = {.s = s};
    GEOSGeometry *multi = NULL, *area = NULL, *simple = NULL, *ll = NULL;
    GEOSGeoJSONWriter *w = NULL;
    char *text = NULL;
    json_t *feature = NULL;
    b.h = GEOS_init_r();
    if (b.h == NULL) {
        err_nomem(e);
        goto done;
    }
    GEOSContext_setErrorHandler_r(b.h, iso_quiet);
    GEOSContext_setNoticeHandler_r(b.h, iso_quiet);
    int rc = ERR_OK;
    for (size_t i = 0; rc == ERR_OK && i < niv; i++) {
        size_t need = graph_edge_npoints(g, iv[i].edge) + 2;
        if (need > b.xy_cap) {
            double *xy = realloc(b.xy, 2 * need * sizeof *xy);
            if (xy == NULL) {
                rc = ERR_NOMEM;
                break;
            }
            b.xy = xy;
            b.xy_cap = need;
        }
        size_t np = 0;
        rc = graph_edge_slice(g, iv[i].edge, iv[i].from_m, iv[i].to_m, b.xy, b.xy_cap, &np, e);
        if (rc == ERR_OK && iv[i].to_m > iv[i].from_m)
            rc = iso_add_line(&b, b.xy, np);
    }
    /* The origin's access leg is walked too. */
    struct graph_place origin;
    if (rc == ERR_OK && graph_snap(g, r.origin_x, r.origin_y, r.snap_m + 1e-6, &origin, NULL) ==
                            ERR_OK) {
        double leg[4] = {r.origin_x, r.origin_y, origin.x, origin.y};
        rc = iso_add_line(&b, leg, r.snap_m > 1e-9 ? 2 : 0);
    }
    if (rc != ERR_OK) {
        err_set(e, rc, "the reached streets could not be assembled");
        goto done;
    }
    if (b.n == 0) {
        /* Nothing but the origin itself (e.g. 0 minutes): a point buffer. */
        GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(b.h, r.origin_x, r.origin_y);
        multi = pt ? GEOSGeom_createCollection_r(b.h, GEOS_GEOMETRYCOLLECTION, &pt, 1) : NULL;
    } else {
        multi = GEOSGeom_createCollection_r(b.h, GEOS_MULTILINESTRING, b.lines, (unsigned)b.n);
    }
    b.n = 0; /* the collection owns the lines now (or they are lost with it) */
    GEOSBufferParams *bp = multi ? GEOSBufferParams_create_r(b.h) : NULL;
    if (bp) {
        GEOSBufferParams_setQuadrantSegments_r(b.h, bp, 4);
        area = GEOSBufferWithParams_r(b.h, multi, bp, margin_m);
        GEOSBufferParams_destroy_r(b.h, bp);
    }
    simple = area ? GEOSTopologyPreserveSimplify_r(b.h, area, 1.0) : NULL;
    double area_m2 = 0;
    if (simple)
        GEOSArea_r(b.h, simple, &area_m2);
    ll = simple ? GEOSGeom_transformXY_r(b.h, simple, iso_to_lonlat, &b) : NULL;
    w = ll ? GEOSGeoJSONWriter_create_r(b.h) : NULL;
    text = w ? GEOSGeoJSONWriter_writeGeometry_r(b.h, w, ll, -1) : NULL;
    if (text == NULL) {
        err_set(e, ERR_INTERNAL, "GEOS could not build the reachable area");
        goto done;
    }
    json_t *geom = json_loads(text, 0, NULL);
    feature = json_pack("{s:s,s:{s:f,s:f,s:f,s:f,s:f,s:f,s:[f,f]},s:o}", "type", "Feature",
                        "properties", "minutes", q->minutes, "speed_m_per_min", r.speed,
                        "limit_m", walk_json_round(r.limit_m, 1), "margin_m", margin_m,
                        "area_m2", walk_json_round(area_m2, 0), "snap_m",
                        walk_json_round(r.snap_m, 1), "origin", q->lon, q->lat, "geometry",
                        geom);
    if (feature == NULL)
        err_nomem(e);
done:
    if (b.h) {
        for (size_t i = 0; i < b.n; i++)
            GEOSGeom_destroy_r(b.h, b.lines[i]);
        GEOSGeom_destroy_r(b.h, multi);
        GEOSGeom_destroy_r(b.h, area);
        GEOSGeom_destroy_r(b.h, simple);
        GEOSGeom_destroy_r(b.h, ll);
        if (w)
            GEOSGeoJSONWriter_destroy_r(b.h, w);
        if (text)
            GEOSFree_r(b.h, text);
        GEOS_finish_r(b.h);
    }
    free(b.lines);
    free(b.xy);
    return feature;
}
