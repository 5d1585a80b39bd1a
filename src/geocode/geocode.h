/* SPDX-License-Identifier: MIT */
/* geocode.h - places a Japanese address from the address reference in the
 * store (store_address.h), offline: no service is asked, so household
 * addresses never leave the machine.
 *
 * The address is normalised (addrnorm.h); a prefecture and a municipality
 * at its start are recognised (and may be omitted when the reference
 * covers one municipality); the longest town (大字・町丁目, with 小字) of
 * the reference that starts the rest is taken, also when 丁目 is written
 * as a number (さつき台2-6-1) or 町 is left out before 丁目; then the
 * first number is looked up as a block (街区符号/地番) and the first two
 * as a residence number (住居番号) where the reference has them. Whatever
 * follows (building, floor, room, 内, 方) is ignored. The answer is the
 * finest level found, with an honest radius for that level.
 *
 * Entry points: geocode_open, geocode_find, geocode_close,
 * geocode_level_name, geocode_result_json, geocode_pref_of_code,
 * geocode_pref_prefix.
 */
#ifndef TSUNAGU_GEOCODE_H
#define TSUNAGU_GEOCODE_H

#include "err.h"
#include "store.h"

#include <jansson.h>

enum geocode_level {
    GEOCODE_NONE = 0,     /* nothing matched */
    GEOCODE_MUNICIPALITY, /* only the municipality */
    GEOCODE_TOWN,         /* 大字・町丁目 (or its 小字) */
    GEOCODE_BLOCK,        /* 街区 or 地番 */
    GEOCODE_RESIDENCE     /* 住居番号 */
};

/* Radius in metres within which the true place lies for most addresses
 * matched at a level (towns: the 90th percentile measured on 生駒市's P14
 * facilities, README "Addresses"). */
#define GEOCODE_PRECISION_RESIDENCE 15
#define GEOCODE_PRECISION_BLOCK 60
#define GEOCODE_PRECISION_TOWN 1200

#define GEOCODE_MATCHED_MAX 512

/* One answer. */
struct geocode_result {
    int level;                         /* enum geocode_level */
    double lon, lat;                   /* position (WGS84/JGD2011); NAN when none */
    double precision_m;                /* radius for the level; 0 when none */
    char matched[GEOCODE_MATCHED_MAX]; /* normal form of what matched, "" when none */
};

struct geocoder;

/* Loads the towns of the reference in `st` (borrowed; it must outlive the
 * geocoder). ERR_NOTFOUND with a sentence saying to run `tsunagu import
 * addresses` when the reference is empty. The caller closes it. */
struct geocoder *geocode_open(struct store *st, struct err *e);
void geocode_close(struct geocoder *g);

/* Places the `len` bytes of `addr`. ERR_OK with r->level GEOCODE_NONE when
 * nothing matched; ERR_INPUT (not UTF-8) or ERR_LIMIT (too long) for bad
 * text; ERR_IO when the store fails. Messages never quote the address. */
int geocode_find(struct geocoder *g, const char *addr, size_t len, struct geocode_result *r,
                 struct err *e);

/* "residence", "block", "town", "municipality", or NULL for GEOCODE_NONE. */
const char *geocode_level_name(int level);

/* {"query", "lon", "lat", "level", "matched", "precision_m"} (new
 * reference; NULL when out of memory). */
json_t *geocode_result_json(const char *query, const struct geocode_result *r);

/* Name of the prefecture with JIS code 1-47 ("奈良県"), or NULL. */
const char *geocode_pref_of_code(int code);

/* Bytes of a prefecture name starting the UTF-8 text s (0 when none). */
size_t geocode_pref_prefix(const char *s);

#endif
