/* SPDX-License-Identifier: MIT */
/* crs.h - coordinate reference systems: the only module that uses PROJ.
 *
 * tsunagu stores geometry in one metric projected CRS per database, picked
 * from the data's location (crs_pick): a JGD2011 Japan Plane Rectangular zone
 * (EPSG:6669-6687) inside Japan, otherwise the WGS84 UTM zone. Two handles:
 *   struct crs       - geographic lon/lat (WGS84 ~ JGD2011) <-> the projected CRS
 *   struct crs_src   - a file's own CRS -> the projected CRS, and -> lon/lat
 * Both are opaque, opened with *_open and released with *_close; they are not
 * thread-safe (one PROJ context each), so every thread opens its own.
 *
 * Entry points: crs_pick, crs_area_of, crs_area_contains, crs_name,
 * crs_open, crs_close, crs_epsg, crs_to_xy, crs_to_lonlat, crs_to_lonlat_n, crs_src_open,
 * crs_src_close, crs_src_is_geographic, crs_src_transform,
 * crs_src_to_lonlat.
 */
#ifndef TSUNAGU_CRS_H
#define TSUNAGU_CRS_H

#include "err.h"
#include <stddef.h>

/* Geographic bounds of a database's area, in degrees. */
struct crs_area {
    double min_lon, min_lat, max_lon, max_lat;
};

/* Picks the EPSG code of the metric CRS for data around (lon, lat), in
 * degrees. `pref_code` is a two-digit prefecture code (1-47) when the data
 * names its municipality (e.g. A27_001 "29209" -> 29), else 0; it selects
 * the official zone for that prefecture. Without it the JGD2011 zone with the
 * nearest central meridian among zones covering that latitude is used.
 * Outside Japan the UTM zone is used. Returns ERR_INPUT when lon/lat are not
 * valid geographic coordinates. */
int crs_pick(double lon, double lat, int pref_code, int *epsg, struct err *e);

/* Area in which a database with metric CRS `epsg` accepts data: Japan's
 * bounds (122-154 E, 20-46 N) for a JGD2011 zone, the UTM band widened by 3
 * degrees otherwise. Returns ERR_INPUT for an EPSG code tsunagu does not pick. */
int crs_area_of(int epsg, struct crs_area *area, struct err *e);

/* True when (lon, lat) lies inside `area`. */
int crs_area_contains(const struct crs_area *area, double lon, double lat);

/* Writes the human name of the CRS, e.g. "JGD2011 / Japan Plane Rectangular
 * CS VI", into buf (n bytes, always NUL-terminated). */
void crs_name(int epsg, char *buf, size_t n);

struct crs;

/* Opens lon/lat <-> EPSG:`epsg` transformations. Returns NULL and fills `e`
 * on failure. The caller closes the handle with crs_close. */
struct crs *crs_open(int epsg, struct err *e);
void crs_close(struct crs *c);

/* The projected CRS of the handle. */
int crs_epsg(const struct crs *c);

/* lon/lat (degrees) -> x/y (metres). Returns ERR_INPUT if PROJ cannot
 * transform the point (outputs untouched). */
int crs_to_xy(struct crs *c, double lon, double lat, double *x, double *y);

/* x/y (metres) -> lon/lat (degrees). */
int crs_to_lonlat(struct crs *c, double x, double y, double *lon, double *lat);

/* x/y (metres) -> lon/lat (degrees) for n points in place: xy[2i], xy[2i+1]
 * become lon, lat (one PROJ call for all, the same results as crs_to_lonlat
 * point by point). ERR_INPUT when any point cannot be transformed (xy then
 * partly transformed). */
int crs_to_lonlat_n(struct crs *c, double *xy, size_t n);

struct crs_src;

/* Opens transformations from a file's CRS, given as any definition PROJ
 * accepts (WKT, PROJJSON, "EPSG:4612", a PROJ string), to EPSG:`epsg` and
 * to geographic lon/lat. Axis order is the GIS order (x=east, y=north, or
 * lon, lat) on both sides. Returns NULL with ERR_INPUT when the definition
 * is not understood. */
struct crs_src *crs_src_open(const char *definition, int epsg, struct err *e);
void crs_src_close(struct crs_src *s);

/* True when the source CRS is geographic (degrees). */
int crs_src_is_geographic(const struct crs_src *s);

/* Transforms n points in place: xy[2i], xy[2i+1] from the source CRS to the
 * target metric CRS; also writes the geographic lon/lat of each point into
 * lonlat (2n doubles, may be NULL). Returns ERR_INPUT if any point fails. */
int crs_src_transform(struct crs_src *s, double *xy, double *lonlat, size_t n);

/* Transforms n source points to geographic lon/lat only (xy unchanged). */
int crs_src_to_lonlat(struct crs_src *s, const double *xy, double *lonlat, size_t n);

#endif
