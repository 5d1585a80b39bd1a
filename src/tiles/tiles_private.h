/* SPDX-License-Identifier: MIT */
/* tiles_private.h - what the files of the tile service share and nobody
 * else sees: the parsed layer (struct tiles_def), the coverage shares of
 * the coverage layer (struct tiles_cov), and the builder of one tile
 * (tiles_build.c), which tiles.c calls on a cache miss.
 *
 * Entry points: tiles_fields (tiles.c), tiles_build_tile, tiles_build_line (tiles_build.c),
 * tiles_index_slot_init, tiles_index_slot_clear, tiles_index_acquire,
 * tiles_index_background, tiles_index_notice, tiles_index_wait,
 * tiles_index_release, tiles_index_query (tiles_index.c), tiles_basemap_fields,
 * tiles_basemap_description, tiles_basemap_each, tiles_basemap_props,
 * tiles_basemap_extent (tiles_basemap.c). */
#ifndef TSUNAGU_TILES_PRIVATE_H
#define TSUNAGU_TILES_PRIVATE_H

#include "mvt.h"
#include "tiles.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

enum tiles_kind { TILES_DISTRICTS, TILES_RESOURCES, TILES_STREETS, TILES_COVERAGE, TILES_BASEMAP };

/* A field of a layer, for TileJSON. */
struct tiles_field {
    const char *name; /* attribute name */
    const char *type; /* "String", "Number" or "Boolean" */
};

/* What a layer id names. */
struct tiles_def {
    int kind;                        /* enum tiles_kind */
    char id[STORE_LEVEL_MAX + 16];   /* layer id, also the MVT layer name */
    char level[STORE_LEVEL_MAX + 1]; /* districts, coverage: the level */
    int minzoom;                     /* no features below this zoom */
    struct coverage_params cov;      /* coverage: the parsed parameters (walk.kind NULL:
                                        the builder points it at res_kind) */
    char res_kind[64];               /* coverage: the resource kind key */
    char cov_query[160];             /* coverage: "kind=..&minutes=..&level=..", else "" */
};

/* The public part of a coverage audit: a share per district code. */
struct tiles_cov {
    char key[200];       /* parameters and data version */
    size_t n;            /* districts */
    char **codes;        /* district codes (owned) */
    double *share;       /* households_covered / households, or -1 when suppressed */
    unsigned long stamp; /* last use, for eviction */
};

/* The fields of a layer kind (enum tiles_kind), ending with a NULL name;
 * static storage. */
const struct tiles_field *tiles_fields(int kind);

/* One street of the in-memory index (tiles_index.c). */
struct tiles_index_edge {
    long id;                /* net_edges rowid (the feature id) */
    uint32_t first, npts;   /* its vertices: xy[2*first ..] */
    uint32_t flags;         /* edge flags (bit 0 steps) */
    uint32_t highway, name; /* indexes into strs, UINT32_MAX = NULL */
    float box[4];           /* Web Mercator box, rounded outward */
};

/* The streets layer in memory at one data version: read-only once loaded. */
struct tiles_index {
    unsigned long long version;    /* data version it was loaded at */
    long refs;                     /* references (the slot's and the builders'), slot lock */
    size_t n;                      /* edges, in ascending id order */
    struct tiles_index_edge *edge; /* the edges */
    size_t npts;                   /* vertices */
    double *xy;                    /* Web Mercator x, y of every vertex */
    char **strs;                   /* interned attribute strings */
    size_t nstrs;                  /* strings */
    double gx0, gy0, cell;         /* grid origin and cell side, Web Mercator metres */
    long gw, gh;                   /* grid columns and rows */
    uint32_t *cell_start;          /* gw*gh+1 offsets into cell_edge */
    uint32_t *cell_edge;           /* edge indexes per cell, ascending */
    uint32_t *fill;                /* scratch while loading */
};

/* Where the service keeps its current index. */
struct tiles_index_slot {
    pthread_mutex_t lock;      /* guards cur, every refs and the builder's fields below */
    pthread_mutex_t load_lock; /* one load at a time */
    struct tiles_index *cur;   /* the latest index, or NULL */
    int failed;                /* 1: the layer cannot be indexed at failed_version */
    unsigned long long failed_version;
    /* The background builder (tiles_index_background), when one runs: */
    int background;       /* 1: acquire never loads; it asks the builder */
    int kicked;           /* a build was asked for since the builder last looked */
    _Atomic int stop;     /* asks the builder to end (a load under way gives up) */
    unsigned long builds; /* indexes the builder published (tests) */
    char *path;           /* the database the builder opens read-only (owned) */
    pthread_t builder;    /* the builder thread */
    pthread_cond_t wake;  /* the builder waits on it for kicked or stop (with lock) */
    pthread_cond_t done;  /* broadcast after each of the builder's attempts (with lock) */
};

/* Initialises an empty slot; ERR_INTERNAL when a mutex cannot be made. */
int tiles_index_slot_init(struct tiles_index_slot *s);

/* Drops the slot's index and mutexes (no builder may hold a reference). */
void tiles_index_slot_clear(struct tiles_index_slot *s);

/* The streets index of env's store at `version` (loaded on first use, then
 * shared), with a reference the caller gives back with
 * tiles_index_release. NULL with e clear when the layer cannot be indexed
 * (more than 16 million edges, or a geometry other than a 2D LineString:
 * tiles then read the store per tile); NULL with e set on a database error
 * or ERR_NOMEM. With a background builder (tiles_index_background) it
 * never loads: NULL with e clear (the store path) until the builder has
 * published the index of `version`, which it is asked to build. */
struct tiles_index *tiles_index_acquire(struct tiles_index_slot *s, const struct tiles_env *env,
                                        unsigned long long version, struct err *e);

/* Starts a thread that builds the index of the database at `path` (opened
 * read-only) at its current data version now, and again whenever
 * tiles_index_acquire or tiles_index_notice meet a newer version; it
 * publishes each index into the slot under the slot's lock (readers take a
 * reference there, so an index is never freed under a tile being built).
 * ERR_INTERNAL when the thread cannot start, ERR_NOMEM. Stopped and joined
 * by tiles_index_slot_clear. */
int tiles_index_background(struct tiles_index_slot *s, const char *path, struct err *e);

/* Asks the builder (if any) for the index of `version` when the slot holds
 * another: a reload or an import changed the data. */
void tiles_index_notice(struct tiles_index_slot *s, unsigned long long version);

/* Waits up to timeout_ms for the builder to publish the index of `version`
 * (or to find the layer cannot be indexed at it). 1 when it has, 0 on
 * timeout or without a builder. */
int tiles_index_wait(struct tiles_index_slot *s, unsigned long long version, long timeout_ms);

/* Gives back a reference (NULL: nothing); frees the index with the last. */
void tiles_index_release(struct tiles_index_slot *s, struct tiles_index *ix);

/* The indexes of the edges whose box meets box {min x, min y, max x, max
 * y} (Web Mercator, bounds included), ascending, into *out (capacity *cap,
 * grown with vec_reserve; the caller frees it); *n of them. ERR_NOMEM. */
int tiles_index_query(const struct tiles_index *ix, const double box[4], uint32_t **out,
                      size_t *cap, size_t *n);

/* The line u[0..n) (x, y in tile units, wholly inside the buffered tile)
 * simplified and snapped as GEOSSimplify(1 unit) then
 * GEOSGeom_setPrecision(1) do: Douglas-Peucker with GEOS's distance
 * arithmetic and ties (a section within exactly the tolerance is
 * dropped), then Java rounding (halves up). Writes the kept vertices to
 * out (n of room; keep: n bytes of scratch) and returns their number;
 * repeated points are left for mvt_geom_line to drop. */
size_t tiles_build_line(const double *u, size_t n, unsigned char *keep, struct mvt_point *out);

/* Builds tile z/x/y of layer d (coverage: with the shares cov, else NULL;
 * streets: from the index ix when not NULL, else from the store)
 * into *out (*len bytes, malloc'd; NULL when the tile is empty). ERR_LIMIT
 * when the tile would hold more than TILES_FEATURES_MAX features. */
int tiles_build_tile(const struct tiles_env *env, const struct tiles_def *d,
                     const struct tiles_cov *cov, const struct tiles_index *ix, int z, long x,
                     long y, unsigned char **out, size_t *len, struct err *e);

/* ---- the basemap layer (tiles_basemap.c) ---- */

/* The basemap layer's fields, ending with a NULL name; static storage. */
const struct tiles_field *tiles_basemap_fields(void);

/* The basemap layer's TileJSON description; static text. */
const char *tiles_basemap_description(void);

/* Calls fn for the base map rows tile zoom z shows in xy_box (database
 * SRID): those whose minzoom is at most z, and areas big enough to see at
 * z. As store_basemap_each. */
int tiles_basemap_each(const struct tiles_env *env, int z, const double xy_box[4], long limit,
                       int (*fn)(void *ctx, const struct store_tiles_row *r), void *ctx,
                       struct err *e);

/* Fills props (room for 3) with a base map row's class, subclass and name;
 * returns how many. */
size_t tiles_basemap_props(const struct store_tiles_row *r, struct mvt_prop *props);

/* Extent of the base map in the database SRID (store_basemap_extent). */
int tiles_basemap_extent(const struct tiles_env *env, double box[4], struct err *e);

#endif
