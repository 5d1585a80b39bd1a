/* SPDX-License-Identifier: MIT */
/* source.c - GDAL/OGR vector reader behind source.h (the only file that
 * includes GDAL headers). Entry points: source_open, source_next,
 * source_field, source_str, source_crs, source_close. */
#include "source.h"
#include "num.h"

#include "source_enc.h"
#include "utf8.h"
#include "vec.h"

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
    GDALDatasetH ds;          /* owned dataset */
    OGRLayerH layer;          /* borrowed from ds */
    OGRFeatureH feat;         /* current feature, owned */
    OGRFeatureDefnH defn;     /* borrowed from layer */
    char *crs;                /* owned CRS definition or NULL */
    char *path;               /* owned copy of the file name for messages */
    const char *driver;       /* borrowed driver short name */
    int csv_lon, csv_lat;     /* CSV coordinate columns, -1 when not CSV points */
    int csv_rows;             /* CSV without coordinate columns (points_optional): lines counted */
    int points_optional;      /* opts->points_optional */
    long index;               /* features read so far */
    unsigned char *wkb;       /* owned WKB buffer of the current feature */
    size_t wkb_cap;           /* capacity of wkb */
    int filtered;             /* an attribute filter is set */
    char **vals;              /* per-field copies of the current feature's values, owned */
    int nvals;                /* entries in vals (the layer's field count) */
    char **names;             /* the fields' names in UTF-8, owned */
    int nnames;               /* entries in names */
    struct source_enc enc;    /* the file's encoding; its UTF-8 copy when a text file */
    struct utf8_decoder *dec; /* decodes each value (a .dbf not in UTF-8), or NULL */
    const char *enc_from;     /* where enc.name came from, for messages */
    long long *cut_ids;       /* OSM ways GDAL's reader cut short, by id (owned) */
    size_t ncut, cut_cap;     /* entries and capacity of cut_ids */
    long dropped;             /* OSM ways GDAL's reader dropped whole */
    int osm_id;               /* the OSM driver's osm_id field, or -1 */
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

static int source_has_suffix(const char *path, const char *suffix);

/* The name GDAL opens: gzip-compressed files (.gz, e.g. .osm.gz or
 * .geojson.gz) through GDAL's /vsigzip/ reader; *buf (malloc'd, the caller
 * frees) holds it when it differs from the path. NULL when out of memory. */
static const char *source_gdal_name(const char *path, char **buf)
{
    *buf = NULL;
    if (!source_has_suffix(path, ".gz") || strncmp(path, "/vsi", 4) == 0)
        return path;
    size_t n = strlen(path) + sizeof "/vsigzip/";
    if ((*buf = malloc(n)) == NULL)
        return NULL;
    snprintf(*buf, n, "/vsigzip/%s", path);
    return *buf;
}

/* Opens `path` (the file, or its UTF-8 copy) with the user's open options;
 * `raw` asks the shapefile driver for the .dbf's bytes as they are (this
 * module decodes them strictly, GDAL's own recoding drops bad bytes). */
static GDALDatasetH source_gdal_open(const struct source_opts *o, const char *path, int raw,
                                     int csv, const char *lon, const char *lat)
{
    char *vsi;
    const char *name = source_gdal_name(path, &vsi);
    if (name == NULL)
        return NULL;
    char **oo = NULL;
    for (int i = 0; i < SOURCE_MAX_OPEN_OPTIONS && o->open_options[i]; i++)
        oo = CSLAddString(oo, o->open_options[i]);
    if (raw)
        oo = CSLSetNameValue(oo, "ENCODING", "");
    if (csv) {
        oo = CSLSetNameValue(oo, "AUTODETECT_TYPE", "NO");
        oo = CSLSetNameValue(oo, "KEEP_GEOM_COLUMNS", "YES");
        if (lon && lat) {
            oo = CSLSetNameValue(oo, "X_POSSIBLE_NAMES", lon);
            oo = CSLSetNameValue(oo, "Y_POSSIBLE_NAMES", lat);
        }
    }
    GDALDatasetH ds =
        GDALOpenEx(name, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, (const char *const *)oo, NULL);
    CSLDestroy(oo);
    free(vsi);
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

/* 1 for the drivers of whole text files, which source_enc_text decodes. */
static int source_is_text_driver(const char *name)
{
    static const char *const text[] = {"CSV", "GeoJSON", "GeoJSONSeq", "TopoJSON", "ESRIJSON"};
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++)
        if (strcmp(name, text[i]) == 0)
            return 1;
    return 0;
}

/* 1 for field types whose value is text of the file (not a formatted number). */
static int source_is_text_field(OGRFeatureDefnH d, int i)
{
    OGRFieldType t = OGR_Fld_GetType(OGR_FD_GetFieldDefn(d, i));
    return t == OFTString || t == OFTStringList || t == OFTWideString || t == OFTWideStringList;
}

/* Decodes (s->dec) or checks one text of the file into a new string:
 * ERR_OK, ERR_INPUT when it is not valid in the file's encoding, ERR_NOMEM. */
static int source_decode(struct source *s, const char *raw, char **out)
{
    *out = NULL;
    size_t n = strlen(raw);
    if (s->dec == NULL) {
        if (!utf8_valid(raw, n))
            return ERR_INPUT;
        *out = strdup(raw);
        return *out ? ERR_OK : ERR_NOMEM;
    }
    size_t cap = 3 * n + 4, len, bad;
    *out = malloc(cap);
    if (*out == NULL)
        return ERR_NOMEM;
    int rc = utf8_decode(s->dec, raw, n, *out, cap, &len, &bad);
    if (rc != ERR_OK) {
        free(*out);
        *out = NULL;
        return rc == ERR_LIMIT ? ERR_NOMEM : rc;
    }
    return ERR_OK;
}

/* The sentence's tail for text that is not valid: which encoding, and what
 * to do about it. */
static int source_bad_text(const struct source *s, struct err *e, const char *where)
{
    const char *name = s->enc.name[0] ? s->enc.name : "UTF-8";
    if (s->enc_from && strcmp(s->enc_from, "--encoding") == 0)
        return err_set(e, ERR_INPUT, "%s: the text is not valid %s (check --encoding)", where,
                       name);
    return err_set(e, ERR_INPUT,
                   "%s: the text is not valid %s%s%s%s; name the file's encoding with --encoding",
                   where, name, s->enc_from ? " (" : "", s->enc_from ? s->enc_from : "",
                   s->enc_from ? ")" : "");
}

/* Decides how attribute values are decoded when the file is not a whole
 * text file: --encoding, else (shapefiles) the .cpg or the .dbf's language
 * id, else (shapefiles) the values themselves (source_enc_sniff), else
 * UTF-8. Sets s->dec for anything but UTF-8. */
static int source_values_encoding(struct source *s, const struct source_opts *o, int shp,
                                  struct err *e)
{
    const char *base = source_base(s->path);
    if (s->enc.vsi[0] || source_is_text_driver(s->driver))
        return ERR_OK; /* already UTF-8 (decoded whole, or checked per value) */
    if (o->encoding == NULL && shp) {
        const char *cpg =
            GDALGetMetadataItem((GDALMajorObjectH)s->layer, "ENCODING_FROM_CPG", "SHAPEFILE");
        const char *ldid =
            GDALGetMetadataItem((GDALMajorObjectH)s->layer, "ENCODING_FROM_LDID", "SHAPEFILE");
        const char *decl = cpg && *cpg ? cpg : ldid && *ldid ? ldid : NULL;
        if (decl) {
            if (utf8_encoding_name(decl, s->enc.name, sizeof s->enc.name, e) != ERR_OK) {
                err_clear(e);
                return err_set(e, ERR_INPUT,
                               "%s: its %s names the encoding '%.32s', which this system "
                               "cannot read; name another with --encoding",
                               base, cpg && *cpg ? ".cpg" : ".dbf", decl);
            }
            s->enc_from = cpg && *cpg ? "from its .cpg" : "from its .dbf";
        } else {
            struct source_enc_sniff sn;
            if (source_enc_sniff_init(&sn, e) != ERR_OK)
                return e->code;
            OGRFeatureDefnH d = OGR_L_GetLayerDefn(s->layer);
            int nf = OGR_FD_GetFieldCount(d);
            for (int i = 0; i < nf; i++)
                source_enc_sniff_add(&sn, OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, i)), 0, i);
            OGR_L_ResetReading(s->layer);
            OGRFeatureH f;
            for (long k = 1; (f = OGR_L_GetNextFeature(s->layer)) != NULL; k++) {
                for (int i = 0; i < nf; i++)
                    if (source_is_text_field(d, i) && OGR_F_IsFieldSetAndNotNull(f, i))
                        source_enc_sniff_add(&sn, OGR_F_GetFieldAsString(f, i), k, i);
                OGR_F_Destroy(f);
            }
            OGR_L_ResetReading(s->layer);
            int ambiguous = 0;
            int rc = source_enc_sniff_pick(&sn, s->enc.name, sizeof s->enc.name, &ambiguous);
            long at = sn.first_bad;
            int field = sn.first_field;
            source_enc_sniff_free(&sn);
            if (rc != ERR_OK && ambiguous)
                return err_set(e, ERR_INPUT,
                               "%s: its .dbf is not UTF-8 and reads as both CP932 (Shift_JIS) "
                               "and EUC-JP; name its encoding with --encoding",
                               base);
            if (rc != ERR_OK)
                return err_set(e, ERR_INPUT,
                               "%s feature %ld, field %s: the text is neither UTF-8 nor CP932 "
                               "(Shift_JIS) nor EUC-JP; name the .dbf's encoding with "
                               "--encoding",
                               base, at, OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, field)));
            s->enc_from = "detected";
        }
    }
    if (s->enc.name[0] && strcmp(s->enc.name, "UTF-8") != 0 &&
        (s->dec = utf8_decoder_open(s->enc.name, e)) == NULL)
        return e->code;
    return ERR_OK;
}

/* Decodes the field names into s->names. */
static int source_names(struct source *s, struct err *e)
{
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(s->layer);
    int n = OGR_FD_GetFieldCount(d);
    s->names = calloc((size_t)(n > 0 ? n : 1), sizeof *s->names);
    if (s->names == NULL)
        return err_nomem(e);
    s->nnames = n;
    for (int i = 0; i < n; i++) {
        int rc = source_decode(s, OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, i)), &s->names[i]);
        if (rc == ERR_NOMEM)
            return err_nomem(e);
        if (rc != ERR_OK) {
            char where[160];
            snprintf(where, sizeof where, "%s, the name of field %d", source_base(s->path), i + 1);
            return source_bad_text(s, e, where);
        }
    }
    return ERR_OK;
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
    /* GDAL has no bzip2 reader. Decompressing here would write a hidden
     * copy ten to twenty times the file's size (a regional .osm.bz2 of
     * 1 GB is 15 GB of XML) into the temporary directory; the same extracts
     * come as .osm.pbf, which GDAL reads directly and faster. */
    if (source_has_suffix(o->path, ".bz2"))
        return err_set(e, ERR_INPUT,
                       "%s: bzip2-compressed files cannot be read; decompress it first "
                       "(bunzip2 -k %s) or use the .osm.pbf or .gz form of the same data",
                       base, base),
               NULL;

    struct source *s = calloc(1, sizeof *s);
    if (s == NULL || (s->path = strdup(o->path)) == NULL) {
        free(s);
        return err_nomem(e), NULL;
    }
    s->csv_lon = s->csv_lat = -1;
    s->points_optional = o->points_optional;
    int csv = source_has_suffix(o->path, ".csv") || source_has_suffix(o->path, ".tsv");
    GDALDriverH idrv = GDALIdentifyDriverEx(o->path, GDAL_OF_VECTOR, NULL, NULL);
    const char *dname = idrv ? GDALGetDriverShortName(idrv) : "";
    int shp = strcmp(dname, "ESRI Shapefile") == 0;
    const char *open_path = o->path;
    if (S_ISREG(st.st_mode) && source_is_text_driver(dname)) {
        char sep = !csv ? 0 : source_has_suffix(o->path, ".tsv") ? '\t' : ',';
        if (source_enc_text(o->path, o->encoding, sep, &s->enc, e) != ERR_OK)
            goto fail;
        s->enc_from = s->enc.detected ? "detected" : "--encoding";
        if (s->enc.vsi[0])
            open_path = s->enc.vsi;
    } else if (o->encoding) {
        if (utf8_encoding_name(o->encoding, s->enc.name, sizeof s->enc.name, e) != ERR_OK) {
            err_prefix(e, "--encoding: ");
            goto fail;
        }
        s->enc_from = "--encoding";
    }
    s->ds = source_gdal_open(o, open_path, shp, csv, o->lon_field, o->lat_field);
    if (s->ds == NULL) {
        if (s->enc.bad_line > 0)
            err_set(e, ERR_INPUT,
                    "%s line %ld: the text is not valid UTF-8; name the file's encoding with "
                    "--encoding",
                    base, s->enc.bad_line);
        else
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
    if (source_values_encoding(s, o, shp, e) != ERR_OK || source_names(s, e) != ERR_OK)
        goto fail;
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
    s->osm_id = strcmp(s->driver, "OSM") == 0 ? OGR_FD_GetFieldIndex(s->defn, "osm_id") : -1;
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
        if ((s->csv_lon < 0 || s->csv_lat < 0) && o->points_optional) {
            s->csv_lon = s->csv_lat = -1;
            s->csv_rows = 1;
        } else if (s->csv_lon < 0 || s->csv_lat < 0) {
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
    for (int i = 0; i < s->nnames; i++)
        free(s->names[i]);
    free(s->names);
    utf8_decoder_close(s->dec);
    source_enc_release(&s->enc);
    free(s->cut_ids);
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
    if (s->points_optional) {
        const char *a = source_str(s, cols[0]);
        int empty = a == NULL || *a == '\0';
        const char *b = source_str(s, cols[1]);
        if (empty && (b == NULL || *b == '\0'))
            return ERR_OK; /* no geometry: placed from the address */
    }
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

/* GDAL's error handler while a feature is read: notes the OSM ways the OSM
 * driver cuts short ("Too many nodes referenced in way ID": the XML reader
 * keeps the first 10,000 nodes) or drops ("Ways with more than ... nodes"),
 * which it reports only this way, then passes the message on silently. */
static void source_gdal_error(CPLErr cls, CPLErrorNum num, const char *msg)
{
    struct source *s = CPLGetErrorHandlerUserData();
    static const char cut[] = "Too many nodes referenced in way ";
    (void)num;
    if (s == NULL || cls < CE_Warning || msg == NULL)
        return;
    if (strncmp(msg, cut, sizeof cut - 1) == 0) {
        long long id = strtoll(msg + sizeof cut - 1, NULL, 10);
        for (size_t i = s->ncut; i > 0; i--)
            if (s->cut_ids[i - 1] == id) {
                CPLErrorReset(); /* one message per node beyond the limit: noted once */
                return;
            }
        if (vec_reserve((void **)&s->cut_ids, &s->cut_cap, s->ncut + 1, sizeof *s->cut_ids) !=
            ERR_OK)
            return;
        s->cut_ids[s->ncut++] = id;
        CPLErrorReset(); /* noted here: not a failure of the read */
    } else if (strncmp(msg, "Ways with more than", 19) == 0) {
        s->dropped++;
        CPLErrorReset();
    }
}

/* 1 when the current feature is an OSM way the reader cut short. */
static int source_is_cut(const struct source *s)
{
    if (s->ncut == 0 || s->osm_id < 0 || !OGR_F_IsFieldSetAndNotNull(s->feat, s->osm_id))
        return 0;
    long long id = OGR_F_GetFieldAsInteger64(s->feat, s->osm_id);
    for (size_t i = 0; i < s->ncut; i++)
        if (s->cut_ids[i] == id)
            return 1;
    return 0;
}

long source_dropped(const struct source *s)
{
    return s->dropped;
}

/* Allocates the per-field copies of the current feature's values. */
static int source_vals_alloc(struct source *s)
{
    if (s->vals != NULL)
        return ERR_OK;
    s->nvals = OGR_FD_GetFieldCount(s->defn);
    s->vals = calloc((size_t)(s->nvals > 0 ? s->nvals : 1), sizeof *s->vals);
    if (s->vals == NULL) {
        s->nvals = 0;
        return ERR_NOMEM;
    }
    return ERR_OK;
}

/* Decodes (or checks) every text value of the current feature into
 * s->vals: a value that is not valid in the file's encoding refuses the
 * feature with its line (CSV) or number and the field's name. */
static int source_texts(struct source *s, const struct source_feature *f, struct err *e)
{
    if (source_vals_alloc(s) != ERR_OK)
        return err_nomem(e);
    for (int i = 0; i < s->nvals; i++) {
        if (!source_is_text_field(s->defn, i) || !OGR_F_IsFieldSetAndNotNull(s->feat, i))
            continue;
        int rc = source_decode(s, OGR_F_GetFieldAsString(s->feat, i), &s->vals[i]);
        if (rc == ERR_NOMEM)
            return err_nomem(e);
        if (rc != ERR_OK) {
            char where[200];
            snprintf(where, sizeof where, "%s %s %ld, field %s", source_base(s->path),
                     f->line > 0 ? "line" : "feature", f->line > 0 ? f->line : f->index,
                     source_field_name(s, i));
            return source_bad_text(s, e, where);
        }
    }
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
    CPLPushErrorHandlerEx(source_gdal_error, s);
    s->feat = OGR_L_GetNextFeature(s->layer);
    CPLPopErrorHandler();
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
    f->cut = source_is_cut(s);
    if (s->csv_lon >= 0)
        f->line = s->index + 1;
    if (source_texts(s, f, e) != ERR_OK)
        return -1;
    if (s->csv_lon >= 0) {
        return source_csv_point(s, f, e) == ERR_OK ? 1 : -1;
    }
    if (s->csv_rows)
        f->line = s->index + 1;
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
    for (int i = 0; i < s->nnames; i++)
        if (strcmp(s->names[i], name) == 0)
            return i;
    for (int i = 0; i < s->nnames; i++)
        if (strcasecmp(s->names[i], name) == 0)
            return i;
    return -1;
}

int source_field_count(const struct source *s)
{
    return s->nnames;
}

int source_field_numeric(const struct source *s, int i)
{
    if (i < 0 || i >= s->nnames)
        return 0;
    OGRFieldType t = OGR_Fld_GetType(OGR_FD_GetFieldDefn(OGR_L_GetLayerDefn(s->layer), i));
    return t == OFTInteger || t == OFTInteger64 || t == OFTReal;
}

const char *source_field_name(const struct source *s, int i)
{
    if (i < 0 || i >= s->nnames)
        return "";
    return s->names[i];
}

const char *source_encoding(const struct source *s, const char **from)
{
    if (from)
        *from = s->enc_from ? s->enc_from : "";
    return s->enc.name[0] ? s->enc.name : "UTF-8";
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
    /* Text values were decoded by source_next; OGR formats the others into
     * one buffer it reuses on the next call, so callers holding several
     * values at once get a copy per field, kept until the next feature. */
    if (source_vals_alloc(s) != ERR_OK)
        return NULL;
    if (s->vals[i] == NULL)
        s->vals[i] = strdup(OGR_F_GetFieldAsString(s->feat, i));
    return s->vals[i];
}
