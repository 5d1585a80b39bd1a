/* SPDX-License-Identifier: MIT */
/* store_basemap.h - the offline base map (schema version 11): water,
 * waterways, railways, stations, roads, parks, buildings and place names
 * kept from an OpenStreetMap file (or a road layer), one row per feature
 * with its class, OSM value, Japanese name and the zoom it shows from.
 * Written by `tsunagu import basemap FILE` and by the network import of an
 * OSM file (import_basemap.c), read by the tile service's basemap layer
 * (src/tiles). Public map data only.
 *
 * Geometry is stored in the database SRID (a SpatiaLite blob) with a plain
 * SQLite R*Tree (basemap_rtree) over it, so the table exists from the
 * migration on, before any CRS is fixed. Rows belong to a source (the
 * import's key); re-importing the source replaces them.
 *
 * Entry points: store_basemap_begin, store_basemap_add, store_basemap_finish,
 * store_basemap_end, store_basemap_each, store_basemap_extent, store_basemap_count.
 */
#ifndef TSUNAGU_STORE_BASEMAP_H
#define TSUNAGU_STORE_BASEMAP_H

#include "err.h"
#include "store.h"

#include <stddef.h>

/* A writer for one source's rows, inside the caller's transaction. */
struct store_basemap_writer;

/* Deletes the rows of `source` and prepares the writer; the caller holds a
 * transaction (store_begin) and a fixed CRS. NULL with ERR_IO. */
struct store_basemap_writer *store_basemap_begin(struct store *s, const char *source,
                                                 struct err *e);

/* One feature: class and subclass (OSM value, may be NULL), name (NULL =
 * none), minzoom, and its 2D WKB in the database SRID. A polygon's area
 * (m²) is stored with it for the per-zoom size filter. ERR_IO. */
int store_basemap_add(struct store_basemap_writer *w, const char *cls, const char *subclass,
                      const char *name, int minzoom, const unsigned char *wkb, size_t len,
                      struct err *e);

/* Rebuilds the R*Tree over every source's rows; the writer's caller calls
 * it after its last store_basemap_add and before committing (until then
 * the R*Tree does not match the rows). ERR_IO, ERR_NOMEM. */
int store_basemap_finish(struct store_basemap_writer *w, struct err *e);

/* Finalizes the writer's statements (NULL is fine). */
void store_basemap_end(struct store_basemap_writer *w);

/* Calls fn, in id order, for at most `limit` rows shown at zoom z (minzoom
 * <= z, and polygons of at least min_area m²) whose box meets xy_box in the
 * database SRID; row text[0..2] are class, subclass, name, the WKB is WGS84.
 * ERR_LIMIT when more rows meet it; non-zero from fn stops and is returned. */
int store_basemap_each(struct store *s, int z, double min_area, const double xy_box[4], long limit,
                       int (*fn)(void *ctx, const struct store_tiles_row *r), void *ctx,
                       struct err *e);

/* Extent {min x, min y, max x, max y} of all rows in the database SRID;
 * ERR_NOTFOUND when the base map is empty. */
int store_basemap_extent(struct store *s, double box[4], struct err *e);

/* Rows of `source` in class `cls` (NULL = every class). -1 on a database
 * error. */
long store_basemap_count(struct store *s, const char *source, const char *cls);

#endif
