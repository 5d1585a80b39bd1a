/* SPDX-License-Identifier: MIT */
/* crs.c - picks the metric CRS for an area and transforms coordinates with
 * PROJ (the only file that includes proj.h). Entry points: crs_pick,
 * crs_area_of, crs_open/crs_to_xy/crs_to_lonlat, crs_src_open/
 * crs_src_transform. */
#include "crs.h"

#include <math.h>
#include <proj.h>
#include <stdio.h>
#include <stdlib.h>

/* Geographic CRS used for every lon/lat tsunagu reads or returns. JGD2011 and
 * WGS84 agree to well under a metre, so PROJ's ballpark transformation
 * between them is the identity, which is what Japanese practice assumes. */
#define CRS_LONLAT "EPSG:4326"

#define JGD_FIRST_EPSG 6669 /* zone I */
#define JGD_ZONES 19

/* Origin of each JGD2011 plane rectangular zone (告示 第9号), degrees. */
static const struct {
    double lat, lon;
    const char *name;
} jgd_zone[JGD_ZONES] = {
    {33.0, 129.5, "JGD2011 / Japan Plane Rectangular CS I"},
    {33.0, 131.0, "JGD2011 / Japan Plane Rectangular CS II"},
    {36.0, 132.0 + 10.0 / 60, "JGD2011 / Japan Plane Rectangular CS III"},
    {33.0, 133.5, "JGD2011 / Japan Plane Rectangular CS IV"},
    {36.0, 134.0 + 20.0 / 60, "JGD2011 / Japan Plane Rectangular CS V"},
    {36.0, 136.0, "JGD2011 / Japan Plane Rectangular CS VI"},
    {36.0, 137.0 + 10.0 / 60, "JGD2011 / Japan Plane Rectangular CS VII"},
    {36.0, 138.5, "JGD2011 / Japan Plane Rectangular CS VIII"},
    {36.0, 139.0 + 50.0 / 60, "JGD2011 / Japan Plane Rectangular CS IX"},
    {40.0, 140.0 + 50.0 / 60, "JGD2011 / Japan Plane Rectangular CS X"},
    {44.0, 140.25, "JGD2011 / Japan Plane Rectangular CS XI"},
    {44.0, 142.25, "JGD2011 / Japan Plane Rectangular CS XII"},
    {44.0, 144.25, "JGD2011 / Japan Plane Rectangular CS XIII"},
    {26.0, 142.0, "JGD2011 / Japan Plane Rectangular CS XIV"},
    {26.0, 127.5, "JGD2011 / Japan Plane Rectangular CS XV"},
    {26.0, 124.0, "JGD2011 / Japan Plane Rectangular CS XVI"},
    {26.0, 131.0, "JGD2011 / Japan Plane Rectangular CS XVII"},
    {20.0, 136.0, "JGD2011 / Japan Plane Rectangular CS XVIII"},
    {26.0, 154.0, "JGD2011 / Japan Plane Rectangular CS XIX"},
};

/* Official zone (1-based) for each prefecture code 1-47; 0 means "choose
 * among several zones by location" (Hokkaido, Tokyo's islands, Okinawa). */
static const unsigned char pref_zone[48] = {
    0, 0, 10, 10, 10, 10, 10, 9, 9, 9, 9, 9, 9, 0, 9, 8, 7, 7, 6, 8, 8, 7, 8, 7,
    6, 6, 6,  6,  5,  6,  6,  5, 3, 5, 3, 3, 4, 4, 4, 4, 2, 2, 1, 2, 2, 2, 2, 0,
};

static int jgd_nearest_meridian(double lon, int first, int last)
{
    int best = first;
    for (int z = first; z <= last; z++)
        if (fabs(lon - jgd_zone[z - 1].lon) < fabs(lon - jgd_zone[best - 1].lon))
            best = z;
    return best;
}

static int jgd_nearest_origin(double lon, double lat, const int *zones, int n)
{
    int best = zones[0];
    double bd = INFINITY;
    for (int i = 0; i < n; i++) {
        double dx = lon - jgd_zone[zones[i] - 1].lon, dy = lat - jgd_zone[zones[i] - 1].lat;
        if (dx * dx + dy * dy < bd) {
            bd = dx * dx + dy * dy;
            best = zones[i];
        }
    }
    return best;
}

static int crs_in_japan(double lon, double lat)
{
    return lon >= 122.0 && lon <= 154.0 && lat >= 20.0 && lat <= 46.0;
}

int crs_pick(double lon, double lat, int pref_code, int *epsg, struct err *e)
{
    if (!isfinite(lon) || !isfinite(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90)
        return err_set(e, ERR_INPUT,
                       "cannot pick a CRS: the data's location is not a valid "
                       "longitude/latitude");
    if (!crs_in_japan(lon, lat)) {
        int zone = (int)floor((lon + 180.0) / 6.0) + 1;
        if (zone > 60)
            zone = 60;
        *epsg = (lat >= 0 ? 32600 : 32700) + zone;
        return ERR_OK;
    }
    static const int islands[] = {14, 15, 16, 17, 18, 19};
    int zone = 0;
    if (pref_code >= 1 && pref_code <= 47)
        zone = pref_zone[pref_code];
    if (zone == 0) {
        if (lat < 27.5 || (pref_code == 13 && lat < 32.0))
            zone = jgd_nearest_origin(lon, lat, islands, 6);
        else if (pref_code == 1 || (lat >= 41.4 && lon >= 139.3))
            zone = jgd_nearest_meridian(lon, 11, 13);
        else if (pref_code == 47)
            zone = jgd_nearest_origin(lon, lat, islands, 6);
        else
            zone = jgd_nearest_meridian(lon, 1, 10);
    }
    *epsg = JGD_FIRST_EPSG + zone - 1;
    return ERR_OK;
}

int crs_area_of(int epsg, struct crs_area *area, struct err *e)
{
    if (epsg >= JGD_FIRST_EPSG && epsg < JGD_FIRST_EPSG + JGD_ZONES) {
        *area = (struct crs_area){122.0, 20.0, 154.0, 46.0};
        return ERR_OK;
    }
    if ((epsg > 32600 && epsg <= 32660) || (epsg > 32700 && epsg <= 32760)) {
        int zone = epsg % 100;
        double west = -180.0 + (zone - 1) * 6.0;
        area->min_lon = west - 3.0;
        area->max_lon = west + 9.0;
        area->min_lat = epsg < 32700 ? -1.0 : -80.0;
        area->max_lat = epsg < 32700 ? 84.0 : 1.0;
        return ERR_OK;
    }
    return err_set(e, ERR_INPUT,
                   "EPSG:%d is not a CRS tsunagu stores data in "
                   "(a JGD2011 plane rectangular zone or a WGS84 UTM zone)",
                   epsg);
}

int crs_area_contains(const struct crs_area *area, double lon, double lat)
{
    return isfinite(lon) && isfinite(lat) && lon >= area->min_lon && lon <= area->max_lon &&
           lat >= area->min_lat && lat <= area->max_lat;
}

void crs_name(int epsg, char *buf, size_t n)
{
    if (epsg >= JGD_FIRST_EPSG && epsg < JGD_FIRST_EPSG + JGD_ZONES)
        snprintf(buf, n, "%s", jgd_zone[epsg - JGD_FIRST_EPSG].name);
    else if (epsg > 32600 && epsg <= 32660)
        snprintf(buf, n, "WGS 84 / UTM zone %dN", epsg - 32600);
    else if (epsg > 32700 && epsg <= 32760)
        snprintf(buf, n, "WGS 84 / UTM zone %dS", epsg - 32700);
    else
        snprintf(buf, n, "EPSG:%d", epsg);
}

/* Opens a normalised (GIS axis order) transformation from `from` to `to`. */
static PJ *crs_pipeline(PJ_CONTEXT *ctx, const char *from, const char *to, struct err *e)
{
    PJ *raw = proj_create_crs_to_crs(ctx, from, to, NULL);
    if (raw == NULL) {
        err_set(e, ERR_INPUT, "PROJ cannot transform from this CRS to %s (%s)", to,
                proj_context_errno_string(ctx, proj_context_errno(ctx)));
        return NULL;
    }
    PJ *norm = proj_normalize_for_visualization(ctx, raw);
    proj_destroy(raw);
    if (norm == NULL)
        err_set(e, ERR_INTERNAL, "PROJ could not normalise the axis order to %s", to);
    return norm;
}

struct crs {
    PJ_CONTEXT *ctx; /* owned PROJ context of this handle */
    PJ *fwd;         /* lon/lat -> metric */
    int epsg;        /* metric CRS */
};

struct crs *crs_open(int epsg, struct err *e)
{
    struct crs *c = calloc(1, sizeof *c);
    if (c == NULL) {
        err_nomem(e);
        return NULL;
    }
    char to[32];
    snprintf(to, sizeof to, "EPSG:%d", epsg);
    c->epsg = epsg;
    c->ctx = proj_context_create();
    if (c->ctx == NULL) {
        err_nomem(e);
        free(c);
        return NULL;
    }
    proj_log_level(c->ctx, PJ_LOG_NONE);
    c->fwd = crs_pipeline(c->ctx, CRS_LONLAT, to, e);
    if (c->fwd == NULL) {
        crs_close(c);
        return NULL;
    }
    return c;
}

void crs_close(struct crs *c)
{
    if (c == NULL)
        return;
    proj_destroy(c->fwd);
    proj_context_destroy(c->ctx);
    free(c);
}

int crs_epsg(const struct crs *c)
{
    return c->epsg;
}

int crs_to_xy(struct crs *c, double lon, double lat, double *x, double *y)
{
    PJ_COORD in = proj_coord(lon, lat, 0, 0);
    PJ_COORD out = proj_trans(c->fwd, PJ_FWD, in);
    if (!isfinite(out.xy.x) || !isfinite(out.xy.y) || out.xy.x == HUGE_VAL)
        return ERR_INPUT;
    *x = out.xy.x;
    *y = out.xy.y;
    return ERR_OK;
}

int crs_to_lonlat(struct crs *c, double x, double y, double *lon, double *lat)
{
    PJ_COORD in = proj_coord(x, y, 0, 0);
    PJ_COORD out = proj_trans(c->fwd, PJ_INV, in);
    if (!isfinite(out.lp.lam) || !isfinite(out.lp.phi) || out.lp.lam == HUGE_VAL)
        return ERR_INPUT;
    *lon = out.lp.lam;
    *lat = out.lp.phi;
    return ERR_OK;
}

int crs_to_lonlat_n(struct crs *c, double *xy, size_t n)
{
    if (n == 0)
        return ERR_OK;
    size_t stride = 2 * sizeof *xy;
    proj_trans_generic(c->fwd, PJ_INV, xy, stride, n, xy + 1, stride, n, NULL, 0, 0, NULL, 0, 0);
    for (size_t i = 0; i < 2 * n; i++)
        if (!isfinite(xy[i]) || xy[i] == HUGE_VAL)
            return ERR_INPUT;
    return ERR_OK;
}

struct crs_src {
    PJ_CONTEXT *ctx; /* owned PROJ context */
    PJ *to_metric;   /* source -> metric CRS */
    PJ *to_lonlat;   /* source -> lon/lat */
    int geographic;  /* source CRS is geographic */
};

struct crs_src *crs_src_open(const char *definition, int epsg, struct err *e)
{
    struct crs_src *s = calloc(1, sizeof *s);
    if (s == NULL) {
        err_nomem(e);
        return NULL;
    }
    s->ctx = proj_context_create();
    if (s->ctx == NULL) {
        free(s);
        err_nomem(e);
        return NULL;
    }
    proj_log_level(s->ctx, PJ_LOG_NONE);
    PJ *src = proj_create(s->ctx, definition);
    if (src == NULL) {
        err_set(e, ERR_INPUT, "the coordinate reference system '%.80s' is not understood",
                definition);
        crs_src_close(s);
        return NULL;
    }
    PJ_TYPE t = proj_get_type(src);
    if (t == PJ_TYPE_BOUND_CRS) {
        PJ *base = proj_get_source_crs(s->ctx, src);
        if (base != NULL) {
            t = proj_get_type(base);
            proj_destroy(base);
        }
    }
    s->geographic = t == PJ_TYPE_GEOGRAPHIC_2D_CRS || t == PJ_TYPE_GEOGRAPHIC_3D_CRS;
    int is_crs = proj_is_crs(src);
    proj_destroy(src);
    if (!is_crs) {
        err_set(e, ERR_INPUT, "'%.80s' is not a coordinate reference system", definition);
        crs_src_close(s);
        return NULL;
    }
    char to[32];
    snprintf(to, sizeof to, "EPSG:%d", epsg);
    s->to_metric = crs_pipeline(s->ctx, definition, to, e);
    s->to_lonlat = s->to_metric ? crs_pipeline(s->ctx, definition, CRS_LONLAT, e) : NULL;
    if (s->to_lonlat == NULL) {
        crs_src_close(s);
        return NULL;
    }
    return s;
}

void crs_src_close(struct crs_src *s)
{
    if (s == NULL)
        return;
    proj_destroy(s->to_metric);
    proj_destroy(s->to_lonlat);
    proj_context_destroy(s->ctx);
    free(s);
}

int crs_src_is_geographic(const struct crs_src *s)
{
    return s->geographic;
}

static int crs_run(PJ *p, double *xy, size_t n)
{
    if (n == 0)
        return ERR_OK;
    size_t stride = 2 * sizeof(double);
    size_t done =
        proj_trans_generic(p, PJ_FWD, xy, stride, n, xy + 1, stride, n, NULL, 0, 0, NULL, 0, 0);
    if (done != n)
        return ERR_INPUT;
    for (size_t i = 0; i < 2 * n; i++)
        if (!isfinite(xy[i]) || xy[i] == HUGE_VAL)
            return ERR_INPUT;
    return ERR_OK;
}

int crs_src_to_lonlat(struct crs_src *s, const double *xy, double *lonlat, size_t n)
{
    for (size_t i = 0; i < 2 * n; i++)
        lonlat[i] = xy[i];
    return crs_run(s->to_lonlat, lonlat, n);
}

int crs_src_transform(struct crs_src *s, double *xy, double *lonlat, size_t n)
{
    if (lonlat != NULL && crs_src_to_lonlat(s, xy, lonlat, n) != ERR_OK)
        return ERR_INPUT;
    return crs_run(s->to_metric, xy, n);
}
