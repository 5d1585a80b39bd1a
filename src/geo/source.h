/* source.h - reads features from any vector file GDAL reads: the only module
 * that uses GDAL/OGR.
 *
 * A source yields, feature by feature, a 2D little-endian WKB geometry in the
 * file's own CRS and the feature's attributes as UTF-8 strings. CSV files
 * with lon/lat columns (lon/lat, 経度/緯度, longitude/latitude, x/y, or the
 * columns named in the options) yield points built from those columns, and a
 * malformed coordinate is reported with its line. Shapefiles whose .dbf is
 * not UTF-8 and carries no .cpg are read as CP932 (Shift-JIS), the encoding
 * of Japanese government data.
 *
 * Entry points: source_open, source_close, source_crs, source_driver,
 * source_layer_name, source_extent, source_count, source_next, source_field,
 * source_field_count, source_field_name, source_field_list, source_str.
 */
#ifndef TSUNAGU_SOURCE_H
#define TSUNAGU_SOURCE_H

#include "err.h"
#include <stddef.h>

#define SOURCE_MAX_FEATURES 20000000L /* features one import may read */
#define SOURCE_MAX_OPEN_OPTIONS 8

/* How to open a file. Unset members are NULL. */
struct source_opts {
    const char *path;      /* file to read */
    const char *layer;     /* layer name; NULL = first layer */
    const char *s_srs;     /* CRS to assume when the file declares none */
    const char *where;     /* OGR SQL attribute filter */
    const char *lon_field; /* CSV longitude column */
    const char *lat_field; /* CSV latitude column */
    const char *encoding;  /* attribute encoding, e.g. "CP932" */
    const char *open_options[SOURCE_MAX_OPEN_OPTIONS + 1]; /* "KEY=VALUE", NULL-terminated */
};

/* One feature; members borrowed from the source until the next source_next. */
struct source_feature {
    long index;         /* 1-based position in the file (feature or CSV data row) */
    long line;          /* CSV: line in the file (header = 1); else 0 */
    unsigned char *wkb; /* 2D little-endian WKB in the file's CRS; writable */
    size_t wkb_len;     /* bytes in wkb; 0 when the feature has no geometry */
};

struct source;

/* Opens `opts->path`. Returns NULL and a sentence naming the file when it is
 * missing, not a vector format, has no such layer, or the filter is invalid.
 * The caller closes the handle with source_close. */
struct source *source_open(const struct source_opts *opts, struct err *e);
void source_close(struct source *s);

/* The file's CRS as a definition crs_src_open accepts (borrowed), "EPSG:4326"
 * for lon/lat CSV, opts->s_srs when the file declares none, or NULL when no
 * CRS can be determined. */
const char *source_crs(const struct source *s);

/* Name of the format driver, e.g. "GPKG" (borrowed). */
const char *source_driver(const struct source *s);

/* Name of the layer being read (borrowed). */
const char *source_layer_name(const struct source *s);

/* Extent of the (filtered) layer in the file's CRS: minx, miny, maxx, maxy.
 * ERR_NOTFOUND when the layer has no geometry. */
int source_extent(struct source *s, double bbox[4]);

/* Feature count if cheaply known, else -1. */
long source_count(struct source *s);

/* Reads the next feature into *f. Returns 1 when a feature was read, 0 at the
 * end, or -1 with `e` filled (e.g. a CSV line with a malformed coordinate). */
int source_next(struct source *s, struct source_feature *f, struct err *e);

/* Index of attribute `name` (exact, then case-insensitive), or -1. */
int source_field(const struct source *s, const char *name);

/* Number of attributes and the name of attribute i (borrowed). */
int source_field_count(const struct source *s);
const char *source_field_name(const struct source *s, int i);

/* Writes "a, b, c" (the attribute names) into buf for messages. */
void source_field_list(const struct source *s, char *buf, size_t n);

/* Value of attribute i of the current feature as UTF-8 (borrowed until the
 * next call), or NULL when unset or null. */
const char *source_str(struct source *s, int i);

#endif
