/* SPDX-License-Identifier: MIT */
/* tiles_private.h - what the files of the tile service share and nobody
 * else sees: the parsed layer (struct tiles_def), the coverage shares of
 * the coverage layer (struct tiles_cov), and the builder of one tile
 * (tiles_build.c), which tiles.c calls on a cache miss.
 *
 * Entry points: tiles_fields (tiles.c), tiles_build_tile (tiles_build.c). */
#ifndef TSUNAGU_TILES_PRIVATE_H
#define TSUNAGU_TILES_PRIVATE_H

#include "tiles.h"

#include <stddef.h>

enum tiles_kind { TILES_DISTRICTS, TILES_RESOURCES, TILES_STREETS, TILES_COVERAGE };

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

#endif
