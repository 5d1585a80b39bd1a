/* SPDX-License-Identifier: MIT */
/* source.h - reads features from any vector file GDAL reads: the only module
 * that uses GDAL/OGR.
 *
 * A source yields, feature by feature, a 2D little-endian WKB geometry in the
 * file's own CRS and the feature's attributes as UTF-8 strings. CSV files
 * with lon/lat columns (lon/lat, 経度/緯度, longitude/latitude, x/y, or the
 * columns named in the options) yield points built from those columns, and a
 * malformed coordinate is reported with its line.
 *
 * Text encodings (source_enc.h): every value and field name handed out is
 * valid UTF-8. The encoding is --encoding (opts->encoding), else a
 * shapefile's .cpg or .dbf language id, else found from the bytes: UTF-8
 * (a byte order mark is fine), UTF-16 with a byte order mark, CP932
 * (Shift_JIS, Excel's default in Japan) or EUC-JP, for whole text files
 * (CSV, GeoJSON, TopoJSON) and for .dbf values alike. Other formats
 * (GeoPackage, OSM, ...) are UTF-8 by definition unless --encoding says
 * otherwise. A value that is not valid in the file's encoding stops the
 * reader with its line (CSV) or feature number and its field.
 *
 * Entry points: source_open, source_close, source_crs, source_driver,
 * source_layer_name, source_extent, source_count, source_next, source_field,
 * source_field_count, source_field_name, source_field_list, source_str,
 * source_dropped, source_encoding, source_field_numeric.
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
    const char *encoding;  /* text encoding, e.g. "CP932"; NULL = declared or detected */
    const char *open_options[SOURCE_MAX_OPEN_OPTIONS + 1]; /* "KEY=VALUE", NULL-terminated */
    int points_optional; /* CSV: a file without coordinate columns, or a row whose both
                            coordinates are empty, yields features without geometry
                            (rows placed from their address) */
};

/* One feature; members borrowed from the source until the next source_next. */
struct source_feature {
    long index;         /* 1-based position in the file (feature or CSV data row) */
    long line;          /* CSV: line in the file (header = 1); else 0 */
    unsigned char *wkb; /* 2D little-endian WKB in the file's CRS; writable */
    size_t wkb_len;     /* bytes in wkb; 0 when the feature has no geometry */
    int cut;            /* 1 when the reader cut the geometry short (an OSM way over
                           GDAL's 10,000 nodes): the feature must not be used as it is */
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
 * end, or -1 with `e` filled (e.g. a CSV line with a malformed coordinate, or
 * a value that is not valid text in the file's encoding: "FILE line 3, field
 * name: the text is not valid CP932 ..."; values are never quoted). */
int source_next(struct source *s, struct source_feature *f, struct err *e);

/* OSM ways that GDAL's OSM reader dropped whole without yielding a feature
 * (it said so only in an error message), so far. */
long source_dropped(const struct source *s);

/* Index of attribute `name` (exact, then case-insensitive), or -1. */
int source_field(const struct source *s, const char *name);

/* Number of attributes and the name of attribute i (borrowed). */
int source_field_count(const struct source *s);
const char *source_field_name(const struct source *s, int i);

/* 1 when attribute i is typed as a number in the file (integer or real:
 * a shapefile's N/F field, a JSON number), else 0 (text, dates, or CSV
 * columns, which GDAL reads as text). */
int source_field_numeric(const struct source *s, int i);

/* Writes "a, b, c" (the attribute names) into buf for messages. */
void source_field_list(const struct source *s, char *buf, size_t n);

/* Value of attribute i of the current feature as valid UTF-8 (borrowed
 * until the next source_next), or NULL when unset or null (or, for a
 * number, when out of memory). */
const char *source_str(struct source *s, int i);

/* The encoding the file's text is read in ("UTF-8", "CP932", ...), and in
 * *from (may be NULL) how it was chosen: "--encoding", "detected", "from
 * its .cpg", "from its .dbf", or "" (the format is UTF-8). Borrowed. */
const char *source_encoding(const struct source *s, const char **from);

#endif
