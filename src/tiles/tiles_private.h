/* SPDX-License-Identifier: MIT */
/* tiles_private.h - what the files of the tile service share and nobody
 * else sees: the parsed layer (struct tiles_def), the coverage shares of
 * the coverage layer (struct tiles_cov), and the builder of one tile
 * (tiles_build.c), which tiles.c calls on a cache miss.
 *
 * Entry points: tiles_fields (tiles.c), tiles_build_tile (tiles_build.c),
 * tiles_basemap_fields, tiles_basemap_description, tiles_basemap_each,
 * tiles_basemap_props, tiles_basemap_extent (tiles_basemap.c). */
#ifndef TSUNAGU_TILES_PRIVATE_H
#define TSUNAGU_TILES_PRIVATE_H

#include "mvt.h"
#include "tiles.h"

#include <stddef.h>

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

/* Builds tile z/x/y of layer d (coverage: with the shares cov, else NULL)
 * into *out (*len bytes, malloc'd; NULL when the tile is empty). ERR_LIMIT
 * when the tile would hold more than TILES_FEATURES_MAX features. */
int tiles_build_tile(const struct tiles_env *env, const struct tiles_def *d,
                     const struct tiles_cov *cov, int z, long x, long y, unsigned char **out,
                     size_t *len, struct err *e);

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
