/* source.c - GDAL/OGR vector reader behind source.h (the only file that
 * includes GDAL headers). Entry points: source_open, source_next,
 * source_field, source_str, source_crs, source_close. */
#include "source.h"
#include "num.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

struct source {
    GDALDatasetH ds;      /* owned dataset */
    OGRLayerH layer;      /* borrowed from ds */
    OGRFeatureH feat;     /* current feature, owned */
    OGRFeatureDefnH defn; /* borrowed from layer */
    char *crs;            /* owned CRS definition or NULL */
    char *path;           /* owned copy of the file name for messages */
    const char *driver;   /* borrowed driver short name */
    int csv_lon, csv_lat; /* CSV coordinate columns, -1 when not CSV points */
    long index;           /* features read so far */
    unsigned char *wkb;   /* owned WKB buffer of the current feature */
    size_t wkb_cap;       /* capacity of wkb */
    int filtered;         /* an attribute filter is set */
    char **vals;          /* per-field copies of the current feature's values, owned */
    int nvals;            /* entries in vals (the layer's field count) */
};

static void source_gdal_init(void)
{
    static int done;
    if (!done) {
        GDALAllRegister();
        CPLSetErrorHandler(CPLQuietErrorHandler);
        done = 1;
    }
}

static const char *source_base(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* True when s is valid UTF-8. */
static int source_is_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = *p < 0x80 ? 0 : (*p >> 5) == 6 ? 1 : (*p >> 4) == 14 ? 2 : (*p >> 3) == 30 ? 3 : -1;
        if (n < 0)
            return 0;
        p++;
        for (int i = 0; i < n; i++, p++)
            if ((*p & 0xC0) != 0x80)
                return 0;
    }
    return 1;
}

/* True when some string attribute of the first features is not UTF-8. */
static int source_needs_cp932(OGRLayerH layer)
{
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(layer);
    int bad = 0;
    OGR_L_ResetReading(layer);
    for (int k = 0; k < 50 && !bad; k++) {
        OGRFeatureH f = OGR_L_GetNextFeature(layer);
        if (f == NULL)
            break;
        for (int i = 0; i < OGR_FD_GetFieldCount(d) && !bad; i++)
            if (OGR_F_IsFieldSetAndNotNull(f, i) &&
                OGR_Fld_GetType(OGR_FD_GetFieldDefn(d, i)) == OFTString)
                bad = !source_is_utf8(OGR_F_GetFieldAsString(f, i));
        OGR_F_Destroy(f);
    }
    OGR_L_ResetReading(layer);
    return bad;
}

static GDALDatasetH source_gdal_open(const struct source_opts *o, const char *encoding, int csv,
                                     const char *lon, const char *lat)
{
    char **oo = NULL;
    for (int i = 0; i < SOURCE_MAX_OPEN_OPTIONS && o->open_options[i]; i++)
        oo = CSLAddString(oo, o->open_options[i]);
    if (encoding)
        oo = CSLSetNameValue(oo, "ENCODING", encoding);
    if (csv) {
        oo = CSLSetNameValue(oo, "AUTODETECT_TYPE", "NO");
        oo = CSLSetNameValue(oo, "KEEP_GEOM_COLUMNS", "YES");
        if (lon && lat) {
            oo = CSLSetNameValue(oo, "X_POSSIBLE_NAMES", lon);
            oo = CSLSetNameValue(oo, "Y_POSSIBLE_NAMES", lat);
        }
    }
    GDALDatasetH ds =
        GDALOpenEx(o->path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, (const char *const *)oo, NULL);
    CSLDestroy(oo);
    return ds;
}

static OGRLayerH source_pick_layer(GDALDatasetH ds, const char *name)
{
    if (name)
        return GDALDatasetGetLayerByName(ds, name);
    return GDALDatasetGetLayerCount(ds) > 0 ? GDALDatasetGetLayer(ds, 0) : NULL;
}

static int source_has_suffix(const char *path, const char *suffix)
{
    size_t n = strlen(path), k = strlen(suffix);
    return n >= k && strcasecmp(path + n - k, suffix) == 0;
}

/* Finds the CSV coordinate columns by the documented names. */
static int source_find_coord(const struct source *s, const char *given, const char *const *names)
{
    if (given)
        return source_field(s, given);
    for (int i = 0; names[i]; i++) {
        int k = source_field(s, names[i]);
        if (k >= 0)
            return k;
    }
    return -1;
}

static char *source_crs_of(OGRLayerH layer)
{
    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(layer);
    if (srs == NULL)
        return NULL;
    const char *auth = OSRGetAuthorityName(srs, NULL);
    const char *code = OSRGetAuthorityCode(srs, NULL);
    if (auth && code && strcasecmp(auth, "EPSG") == 0) {
        size_t n = strlen(code) + 6;
        char *def = malloc(n);
        if (def)
            snprintf(def, n, "EPSG:%s", code);
        return def;
    }
    char *wkt = NULL;
    const char *opts[] = {"FORMAT=WKT2_2019", NULL};
    if (OSRExportToWktEx(srs, &wkt, opts) != OGRERR_NONE) {
        CPLFree(wkt);
        return NULL;
    }
    char *def = strdup(wkt);
    CPLFree(wkt);
    return def;
}

struct source *source_open(const struct source_opts *o, struct err *e)
{
    source_gdal_init();
    const char *base = source_base(o->path);
    struct stat st;
    if (stat(o->path, &st) != 0)
        return err_set(e, ERR_INPUT, "%s: no such file", o->path), NULL;
    if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
        return err_set(e, ERR_INPUT, "%s: not a regular file", o->path), NULL;
    if (S_ISREG(st.st_mode) && st.st_size == 0)
        return err_set(e, ERR_INPUT, "%s: the file is empty", o->path), NULL;

    struct source *s = calloc(1, sizeof *s);
    if (s == NULL || (s->path = strdup(o->path)) == NULL) {
        free(s);
        return err_nomem(e), NULL;
    }
    s->csv_lon = s->csv_lat = -1;
    int csv = source_has_suffix(o->path, ".csv") || source_has_suffix(o->path, ".tsv");
    s->ds = source_gdal_open(o, o->encoding, csv, o->lon_field, o->lat_field);
    if (s->ds == NULL) {
        err_set(e, ERR_INPUT, "%s: not a vector format GDAL can read", base);
        goto fail;
    }
    s->driver = GDALGetDriverShortName(GDALGetDatasetDriver(s->ds));
    s->layer = source_pick_layer(s->ds, o->layer);
    if (s->layer == NULL) {
        if (o->layer)
            err_set(e, ERR_INPUT, "%s: has no layer named '%s'", base, o->layer);
        else
            err_set(e, ERR_INPUT, "%s: contains no layer", base);
        goto fail;
    }
    if (strcmp(s->driver, "ESRI Shapefile") == 0 && o->encoding == NULL &&
        source_needs_cp932(s->layer)) {
        /* Japanese government .dbf files come without .cpg in CP932. */
        GDALClose(s->ds);
        s->ds = source_gdal_open(o, "CP932", 0, NULL, NULL);
        s->layer = s->ds ? source_pick_layer(s->ds, o->layer) : NULL;
        if (s->layer == NULL) {
            err_set(e, ERR_INPUT, "%s: cannot be reopened as CP932", base);
            goto fail;
        }
    }
    if (strcmp(s->driver, "OSM") == 0) {
        /* Only this layer is read: let the OSM driver discard the features of
         * the others instead of buffering them (past 100,000, e.g. the tagged
         * nodes of a prefecture extract, it fails with "Too many features
         * have accumulated"). Layer names are the driver's own. */
        char sql[64];
        snprintf(sql, sizeof sql, "SET interest_layers = %s", OGR_L_GetName(s->layer));
        GDALDatasetExecuteSQL(s->ds, sql, NULL, NULL); /* returns no result set */
    }
    s->defn = OGR_L_GetLayerDefn(s->layer);
    if (o->where && OGR_L_SetAttributeFilter(s->layer, o->where) != OGRERR_NONE) {
        err_set(e, ERR_INPUT, "%s: the filter '%s' is not valid OGR SQL", base, o->where);
        goto fail;
    }
    s->filtered = o->where != NULL;
    if (strcmp(s->driver, "CSV") == 0) {
        static const char *const lons[] = {"lon", "経度", "longitude", "lng", "x", NULL};
        static const char *const lats[] = {"lat", "緯度", "latitude", "y", NULL};
        s->csv_lon = source_find_coord(s, o->lon_field, lons);
        s->csv_lat = source_find_coord(s, o->lat_field, lats);
        if (o->lon_field && s->csv_lon < 0) {
            err_set(e, ERR_INPUT, "%s: has no column '%s' (--lon-field)", base, o->lon_field);
            goto fail;
        }
        if (o->lat_field && s->csv_lat < 0) {
            err_set(e, ERR_INPUT, "%s: has no column '%s' (--lat-field)", base, o->lat_field);
            goto fail;
        }
        if (s->csv_lon < 0 || s->csv_lat < 0) {
            err_set(e, ERR_INPUT,
                    "%s: has no coordinate columns (expected lon/lat or 経度/緯度, or name them "
                    "with --lon-field/--lat-field)",
                    base);
            goto fail;
        }
        s->crs = strdup(o->s_srs ? o->s_srs : "EPSG:4326");
    } else {
        s->crs = source_crs_of(s->layer);
        /* RFC 7946 GeoJSON and TopoJSON without a crs member are lon/lat. */
        if (s->crs == NULL && o->s_srs == NULL &&
            (strcmp(s->driver, "GeoJSON") == 0 || strcmp(s->driver, "TopoJSON") == 0 ||
             strcmp(s->driver, "GeoJSONSeq") == 0))
            s->crs = strdup("EPSG:4326");
        if (s->crs == NULL && o->s_srs)
            s->crs = strdup(o->s_srs);
        else if (s->crs != NULL && o->s_srs) {
            free(s->crs);
            s->crs = strdup(o->s_srs);
        }
    }
    return s;
fail:
    source_close(s);
    return NULL;
}

/* Forgets the copies of the previous feature's values. */
static void source_vals_clear(struct source *s)
{
    for (int i = 0; i < s->nvals; i++) {
        free(s->vals[i]);
        s->vals[i] = NULL;
    }
}

void source_close(struct source *s)
{
    if (s == NULL)
        return;
    if (s->feat)
        OGR_F_Destroy(s->feat);
    if (s->ds)
        GDALClose(s->ds);
    source_vals_clear(s);
    free(s->vals);
    free(s->crs);
    free(s->path);
    free(s->wkb);
    free(s);
}

const char *source_crs(const struct source *s)
{
    return s->crs;
}

const char *source_driver(const struct source *s)
{
    return s->driver;
}

const char *source_layer_name(const struct source *s)
{
    return OGR_L_GetName(s->layer);
}

long source_count(struct source *s)
{
    GIntBig n = OGR_L_GetFeatureCount(s->layer, 0);
    return n < 0 || n > SOURCE_MAX_FEATURES ? -1 : (long)n;
}

int source_extent(struct source *s, double bbox[4])
{
    OGREnvelope env;
    if (s->csv_lon >= 0)
        return ERR_NOTFOUND; /* points come from text columns: no layer extent */
    if (!s->filtered) {
        if (OGR_L_GetExtent(s->layer, &env, 1) != OGRERR_NONE)
            return ERR_NOTFOUND;
    } else {
        /* Drivers may answer a filtered layer with the whole file's extent
         * (shapefile headers do), so measure the selected features. */
        int any = 0;
        OGR_L_ResetReading(s->layer);
        OGRFeatureH f;
        while ((f = OGR_L_GetNextFeature(s->layer)) != NULL) {
            OGRGeometryH g = OGR_F_GetGeometryRef(f);
            if (g != NULL && !OGR_G_IsEmpty(g)) {
                OGREnvelope one;
                OGR_G_GetEnvelope(g, &one);
                if (!any)
                    env = one;
                env.MinX = one.MinX < env.MinX ? one.MinX : env.MinX;
                env.MinY = one.MinY < env.MinY ? one.MinY : env.MinY;
                env.MaxX = one.MaxX > env.MaxX ? one.MaxX : env.MaxX;
                env.MaxY = one.MaxY > env.MaxY ? one.MaxY : env.MaxY;
                any = 1;
            }
            OGR_F_Destroy(f);
        }
        OGR_L_ResetReading(s->layer);
        s->index = 0;
        if (!any)
            return ERR_NOTFOUND;
    }
    bbox[0] = env.MinX;
    bbox[1] = env.MinY;
    bbox[2] = env.MaxX;
    bbox[3] = env.MaxY;
    return ERR_OK;
}

static int source_reserve(struct source *s, size_t n)
{
    if (n <= s->wkb_cap)
        return ERR_OK;
    unsigned char *b = realloc(s->wkb, n);
    if (b == NULL)
        return ERR_NOMEM;
    s->wkb = b;
    s->wkb_cap = n;
    return ERR_OK;
}

static int source_csv_point(struct source *s, struct source_feature *f, struct err *e)
{
    double v[2];
    const char *base = source_base(s->path);
    const int cols[2] = {s->csv_lon, s->csv_lat};
    for (int i = 0; i < 2; i++) {
        /* OGR may reuse the string's buffer on the next call: parse each
         * value before asking for the other. */
        const char *text = source_str(s, cols[i]);
        if (num_double(text, NUM_BLANKS, "", -DBL_MAX, DBL_MAX, &v[i], NULL) != ERR_OK)
            return err_set(e, ERR_INPUT, "%s line %ld: the %s value is %s", base, f->line,
                           source_field_name(s, cols[i]),
                           text && *text ? "not a number" : "missing");
    }
    double lon = v[0], lat = v[1];
    if (source_reserve(s, 21) != ERR_OK)
        return err_nomem(e);
    /* Build the point WKB via OGR so the byte layout stays GDAL's business. */
    OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);
    if (g == NULL)
        return err_nomem(e);
    OGR_G_SetPoint_2D(g, 0, lon, lat);
    OGR_G_ExportToIsoWkb(g, wkbNDR, s->wkb);
    OGR_G_DestroyGeometry(g);
    f->wkb = s->wkb;
    f->wkb_len = 21;
    return ERR_OK;
}

int source_next(struct source *s, struct source_feature *f, struct err *e)
{
    source_vals_clear(s);
    if (s->feat) {
        OGR_F_Destroy(s->feat);
        s->feat = NULL;
    }
    memset(f, 0, sizeof *f);
    CPLErrorReset();
    s->feat = OGR_L_GetNextFeature(s->layer);
    if (s->feat == NULL) {
        if (CPLGetLastErrorType() >= CE_Failure) {
            err_set(e, ERR_INPUT, "%s: unreadable after feature %ld (%s)", source_base(s->path),
                    s->index, CPLGetLastErrorMsg());
            return -1;
        }
        return 0;
    }
    if (++s->index > SOURCE_MAX_FEATURES) {
        err_set(e, ERR_LIMIT, "%s: has more than %ld features", source_base(s->path),
                SOURCE_MAX_FEATURES);
        return -1;
    }
    f->index = s->index;
    if (s->csv_lon >= 0) {
        f->line = s->index + 1;
        return source_csv_point(s, f, e) == ERR_OK ? 1 : -1;
    }
    OGRGeometryH g = OGR_F_GetGeometryRef(s->feat);
    if (g == NULL || OGR_G_IsEmpty(g))
        return 1;
    OGRGeometryH lin = NULL;
    if (OGR_GT_IsNonLinear(OGR_G_GetGeometryType(g))) {
        lin = OGR_G_GetLinearGeometry(g, 0, NULL);
        if (lin == NULL)
            return err_nomem(e), -1;
        g = lin;
    }
    OGR_G_FlattenTo2D(g);
    size_t n = (size_t)OGR_G_WkbSizeEx(g);
    if (source_reserve(s, n) != ERR_OK) {
        OGR_G_DestroyGeometry(lin);
        return err_nomem(e), -1;
    }
    OGRErr oe = OGR_G_ExportToIsoWkb(g, wkbNDR, s->wkb);
    OGR_G_DestroyGeometry(lin);
    if (oe != OGRERR_NONE) {
        err_set(e, ERR_INPUT, "%s feature %ld: geometry cannot be exported", source_base(s->path),
                s->index);
        return -1;
    }
    f->wkb = s->wkb;
    f->wkb_len = n;
    return 1;
}

int source_field(const struct source *s, const char *name)
{
    if (name == NULL)
        return -1;
    int n = OGR_FD_GetFieldCount(s->defn);
    for (int i = 0; i < n; i++)
        if (strcmp(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(s->defn, i)), name) == 0)
            return i;
    for (int i = 0; i < n; i++)
        if (strcasecmp(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(s->defn, i)), name) == 0)
            return i;
    return -1;
}

int source_field_count(const struct source *s)
{
    return OGR_FD_GetFieldCount(s->defn);
}

const char *source_field_name(const struct source *s, int i)
{
    if (i < 0 || i >= OGR_FD_GetFieldCount(s->defn))
        return "";
    return OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(s->defn, i));
}

void source_field_list(const struct source *s, char *buf, size_t n)
{
    size_t off = 0;
    if (n == 0)
        return;
    buf[0] = '\0';
    for (int i = 0; i < source_field_count(s) && off + 1 < n; i++) {
        int w = snprintf(buf + off, n - off, "%s%s", i ? ", " : "", source_field_name(s, i));
        if (w < 0)
            break;
        off += (size_t)w;
    }
}

const char *source_str(struct source *s, int i)
{
    if (s->feat == NULL || i < 0 || i >= OGR_FD_GetFieldCount(s->defn) ||
        !OGR_F_IsFieldSetAndNotNull(s->feat, i))
        return NULL;
    /* OGR formats non-string fields into one buffer it reuses on the next
     * call, so callers holding several values at once get a copy per field,
     * kept until the next feature. */
    if (s->vals == NULL) {
        s->nvals = OGR_FD_GetFieldCount(s->defn);
        s->vals = calloc((size_t)s->nvals, sizeof *s->vals);
        if (s->vals == NULL) {
            s->nvals = 0;
            return NULL;
        }
    }
    if (s->vals[i] == NULL)
        s->vals[i] = strdup(OGR_F_GetFieldAsString(s->feat, i));
    return s->vals[i];
}
