/* SPDX-License-Identifier: MIT */
/* locate.h - which of a list of polygons (districts) contains a point,
 * answered in process with GEOS prepared geometries instead of one
 * spatial SQL query per point (plan/coverage.c matches 100,000 households
 * to districts this way). The answer is the first polygon, in the order
 * they were added, whose geometry intersects the point (boundary
 * included): the store's STORE_DISTRICT_OF rule when polygons are added
 * by (code, id).
 *
 * Entry points: locate_new, locate_add, locate_find, locate_free.
 */
#ifndef TSUNAGU_LOCATE_H
#define TSUNAGU_LOCATE_H

#include "err.h"

#include <stddef.h>

#define LOCATE_MAX_POLYGONS 100000 /* polygons per locator (ERR_LIMIT beyond) */

struct locate;

/* A new, empty locator (caller frees with locate_free), or NULL with
 * ERR_NOMEM in e. */
struct locate *locate_new(struct err *e);

/* Adds polygon `id` (non-zero) from its WKB (database CRS). ERR_INPUT when
 * the WKB cannot be read, ERR_LIMIT past LOCATE_MAX_POLYGONS, ERR_NOMEM;
 * the locator is unchanged on failure. */
int locate_add(struct locate *l, long id, const unsigned char *wkb, size_t len, struct err *e);

/* The id of the first added polygon intersecting (x, y), 0 when none
 * does, -1 when out of memory. A point GEOS cannot test against a polygon counts as inside it,
 * as SQLite reads SpatiaLite's error answer (-1) of ST_Intersects. */
long locate_find(struct locate *l, double x, double y);

/* Frees a locator; NULL is ignored. */
void locate_free(struct locate *l);

#endif
