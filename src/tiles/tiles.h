/* SPDX-License-Identifier: MIT */
/* tiles.h - the map-tile service: which layers exist, where a tile lies in
 * Web Mercator, and the bytes of a tile (Mapbox Vector Tile 2.1, built
 * with tile.h) for one layer, cached in memory and gzip-compressed once.
 *
 * Layers (the MVT layer inside each tile is named like the layer id):
 *   districts_<level>  one per imported level: code, name, level
 *   resources          id, name, kind, fields, hub_type, schedule
 *   streets            the walking network as a basemap, from zoom
 *                      TILES_STREETS_MINZOOM: highway, name, steps (bool)
 *   basemap            the offline base map (tiles_basemap.c): class,
 *                      subclass, name; points, lines and areas, each shown
 *                      from its own zoom
 *   coverage           the districts of a level with share_covered, the
 *                      share of at-risk households with a matching resource
 *                      within N minutes' walk (coverage.h), for query
 *                      parameters kind, minutes and level (defaults
 *                      consultation, 30, elementary)
 * There is never a households layer. Coverage publishes a share only, and
 * none (suppressed = true instead) for a district whose households or
 * covered count /api/coverage hides: fewer than TILES_MIN_HOUSEHOLDS
 * households, a small uncovered remainder, or a complementary cell
 * (disclose.h), so no count of households and no household location leaves
 * the server. The HTTP layer serves the coverage layer to signed-in roles
 * with AUTH_PERM_COVERAGE only (http_tiles.c).
 *
 * Geometry: features intersecting the tile (plus a buffer of TILES_BUFFER
 * units) are read in WGS84 from the store, projected to spherical Web
 * Mercator (EPSG:3857) by formula, clipped to the buffered tile
 * (GEOSClipByRect), simplified by one tile unit (GEOSSimplify for lines,
 * GEOSTopologyPreserveSimplify for polygons so they stay valid), snapped
 * to the integer grid of TILES_EXTENT units while staying valid
 * (GEOSGeom_setPrecision; GEOSMakeValid first for an invalid input), and
 * encoded with MVT 2.1 ring winding (tile.h). Features that collapse on the
 * grid are dropped; a tile without features is "empty". Streets come from
 * an in-memory index loaded once per data version with every vertex
 * already in Web Mercator (tiles_index.c), which gives the same bytes
 * without SQL or projection per tile. gzip is made when a client first
 * asks for it.
 *
 * Cache: one per service, shared by every thread behind a mutex, keyed by
 * layer, z/x/y, the coverage parameters and the data version (a digest of
 * the store's import log, which every import appends to in its own
 * transaction), so a tile regenerates once the data it shows changes.
 * Least recently used tiles are evicted beyond TILES_CACHE_MAX_BYTES. GEOS
 * runs with a context per call; the store, CRS and walking session come
 * from the calling thread (struct tiles_env).
 *
 * Entry points: tiles_new/free, tiles_background, tiles_background_wait,
 * tiles_background_builds, tiles_get, tiles_tilejson, tiles_layer_walks,
 * and the pure
 * Web Mercator helpers tiles_bounds, tiles_tile_of, tiles_lonlat_to_merc,
 * tiles_merc_to_lonlat, tiles_parse_zxy. */
#ifndef TSUNAGU_TILES_H
#define TSUNAGU_TILES_H

#include "coverage.h"
#include "crs.h"
#include "err.h"
#include "store.h"
#include "walk.h"

#include <jansson.h>
#include <stddef.h>

#define TILES_EXTENT 4096                   /* integer units across a tile */
#define TILES_BUFFER 64                     /* units kept beyond each tile edge */
#define TILES_ZOOM_MAX 22                   /* deepest zoom served */
#define TILES_TILEJSON_MAXZOOM 18           /* maxzoom announced; clients overzoom */
#define TILES_STREETS_MINZOOM 13            /* streets only from here (tile size) */
#define TILES_MIN_HOUSEHOLDS 5              /* coverage: no share below this count (DISCLOSE_K) */
#define TILES_FEATURES_MAX 200000           /* features read for one tile */
#define TILES_CACHE_MAX_BYTES (64L << 20)   /* bytes of cached tiles */
#define TILES_COVERAGE_CACHE_MAX 32         /* coverage audits kept */
#define TILES_MERC_MAX 20037508.342789244   /* half the Web Mercator world, metres */
#define TILES_MERC_LAT_MAX 85.0511287798066 /* latitude of the Mercator square's edge */

/* ---- Web Mercator math (pure) ---- */

/* Spherical Web Mercator (EPSG:3857) metres of lon/lat degrees; latitudes
 * beyond TILES_MERC_LAT_MAX are clamped to the square. */
void tiles_lonlat_to_merc(double lon, double lat, double *x, double *y);

/* Inverse of tiles_lonlat_to_merc. */
void tiles_merc_to_lonlat(double x, double y, double *lon, double *lat);

/* The Web Mercator bounds {min x, min y, max x, max y} of tile z/x/y (XYZ
 * scheme: y = 0 is the northernmost row). The caller ensures the address is
 * valid (tiles_parse_zxy). */
void tiles_bounds(int z, long x, long y, double b[4]);

/* The tile at zoom z (0..TILES_ZOOM_MAX) holding lon/lat; points on the
 * east or south edge of the world go to the last column or row. ERR_INPUT
 * for a non-finite coordinate or a zoom out of range. */
int tiles_tile_of(double lon, double lat, int z, long *x, long *y, struct err *e);

/* Parses the path parts of a tile address: z in 0..TILES_ZOOM_MAX, x and y
 * in 0..2^z-1, decimal digits only ("7", not "+7" or "07x"); y_part ends in
 * ".mvt". ERR_INPUT with a sentence naming the bad part. */
int tiles_parse_zxy(const char *z_part, const char *x_part, const char *y_part, int *z, long *x,
                    long *y, struct err *e);

/* ---- the service ---- */

struct tiles;

/* A new, empty tile cache; NULL with ERR_NOMEM or ERR_INTERNAL. Free with
 * tiles_free once no request uses it. */
struct tiles *tiles_new(struct err *e);
void tiles_free(struct tiles *t);

/* For a server: builds the streets index in a thread of its own (with its
 * own read-only connection to db_path) now, and again whenever a tile
 * request meets a new data version (a reload, an import), so no tile waits
 * for it: until it is ready, streets tiles are read from the store, which
 * gives the same bytes. Call before any request; tiles_free stops the
 * thread. ERR_INTERNAL when the thread cannot start, ERR_NOMEM. Without
 * it, the first streets tile of a data version loads the index. */
int tiles_background(struct tiles *t, const char *db_path, struct err *e);

/* Waits up to timeout_ms for the background streets index of `version`
 * (store_tiles_version); 1 once it is ready (or the streets cannot be
 * indexed), 0 on timeout or without tiles_background. For tests and
 * benchmarks. */
int tiles_background_wait(struct tiles *t, unsigned long long version, long timeout_ms);

/* How many streets indexes the background thread has built (tests). */
unsigned long tiles_background_builds(struct tiles *t);

/* What one request lends the service (borrowed; owned by the calling
 * thread for the duration of the call). */
struct tiles_env {
    struct store *st;           /* the thread's read-only store */
    struct crs *crs;            /* lon/lat <-> database CRS of the thread */
    struct crs_area area;       /* lon/lat area of the database's data */
    const struct walk_net *net; /* the shared walking network, or NULL */
    struct walk_session *ws;    /* a session on net (coverage only), or NULL */
};

/* The coverage layer's parameters as text (NULL = default). */
struct tiles_params {
    const char *kind;    /* resource kind, default "consultation" */
    const char *minutes; /* walking minutes, default 30 */
    const char *level;   /* district level, default "elementary" */
};

/* 1 when `layer` needs env->net and env->ws (the coverage layer). */
int tiles_layer_walks(const char *layer);

/* One tile as served. */
struct tiles_result {
    unsigned char *body; /* the bytes to send (malloc'd, caller frees), NULL when empty */
    size_t len;          /* bytes in body */
    int gzip;            /* 1 when body is gzip-compressed */
    int empty;           /* 1 when the tile holds no feature (body NULL) */
    char etag[48];       /* strong ETag of this representation, quoted */
};

/* The tile z/x/y of `layer` (address already valid), gzip-compressed when
 * `gzip`. Parameters p apply to the coverage layer and must be all NULL
 * for the others. ERR_NOTFOUND for an unknown layer (or streets/coverage
 * without a walking network), ERR_INPUT naming a bad parameter, ERR_LIMIT
 * when the tile would read more than TILES_FEATURES_MAX features. On
 * failure *out holds nothing to free. */
int tiles_get(struct tiles *t, const struct tiles_env *env, const char *layer, int z, long x,
              long y, const struct tiles_params *p, int gzip, struct tiles_result *out,
              struct err *e);

/* The TileJSON 3.0.0 document of `layer`: tilejson, name, tiles (one URL
 * template "ORIGIN/tiles/LAYER/{z}/{x}/{y}.mvt", with the coverage
 * parameters normalised into its query), minzoom, maxzoom, bounds and
 * center (lon/lat of the layer's data, or of the database's area when it
 * is empty), vector_layers [{id, fields, minzoom, maxzoom, description}]
 * and, for coverage, the parameters used. New reference, or NULL with e
 * set as tiles_get fails. */
json_t *tiles_tilejson(struct tiles *t, const struct tiles_env *env, const char *layer,
                       const struct tiles_params *p, const char *origin, struct err *e);

#endif
