/* SPDX-License-Identifier: MIT */
/* store_indicators.h - named indicators of census small areas (schema
 * version 6): every numeric column a small-area file carries (65歳以上人口,
 * 高齢単身世帯, JINKO ...) and the columns of e-Stat small-area statistics
 * joined by KEY_CODE, one value per area and name. Written by `tsunagu
 * import population` and `tsunagu import statistics` (import_stats.c), read
 * by the needs and equipment answers (src/plan). Public census data: no
 * household figure lives here.
 *
 * An area's indicators go with the area: deleting an area (re-importing
 * its source) deletes them (a trigger made by store_indicators_ready).
 *
 * Entry points: store_indicators_ready, store_indicators_last_area,
 * store_indicator_set, store_indicators_set_by_code, store_indicators_each,
 * store_indicators_names.
 */
#ifndef TSUNAGU_STORE_INDICATORS_H
#define TSUNAGU_STORE_INDICATORS_H

#include "err.h"
#include "store.h"

#define STORE_INDICATOR_NAME_MAX 128 /* bytes of an indicator's name */

/* Makes the table follow its areas (a trigger on areas, made once the
 * spatial tables exist) and drops values of areas that no longer exist.
 * Call inside the import's transaction before writing. ERR_IO. */
int store_indicators_ready(struct store *s, struct err *e);

/* The rowid of the area the last store_area_insert on this connection
 * added (its indicators are written next). */
long store_indicators_last_area(struct store *s);

/* Sets indicator `name` (with the source file's column `code`, may be
 * NULL) of area `area` to value, replacing an earlier value. ERR_IO. */
int store_indicator_set(struct store *s, long area, const char *name, const char *code,
                        double value, const char *source, struct err *e);

/* Sets indicator `name` of every area whose code is area_code; *matched
 * gets how many areas that was (0: none). ERR_IO. */
int store_indicators_set_by_code(struct store *s, const char *area_code, const char *name,
                                 const char *code, double value, const char *source, long *matched,
                                 struct err *e);

/* One value as read back. Strings are borrowed for the callback. */
struct store_indicator_row {
    long area;        /* areas rowid */
    long district;    /* rowid of the district of the level asked holding the area's
                         representative point (ST_PointOnSurface), 0 if none or no level */
    const char *name; /* indicator name */
    double value;     /* its value */
};

/* Calls fn for every value, by area id then name. Non-zero from fn stops
 * the walk and is returned. */
int store_indicators_each(struct store *s, const char *level,
                          int (*fn)(void *ctx, const struct store_indicator_row *r), void *ctx,
                          struct err *e);

/* Calls fn(ctx, name, code, areas) for every indicator name, by name, with
 * the source column it came from (may be NULL) and the number of areas
 * that have it. */
int store_indicators_names(struct store *s,
                           int (*fn)(void *ctx, const char *name, const char *code, long areas),
                           void *ctx, struct err *e);

#endif
