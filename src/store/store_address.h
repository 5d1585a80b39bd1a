/* SPDX-License-Identifier: MIT */
/* store_address.h - the address reference (住所の位置参照): one row per
 * town (大字・町丁目, with its 小字 where the source has one), block (街区
 * or 地番) or residence number (住居番号), each with a longitude/latitude
 * (JGD2011, i.e. WGS84 to the metre). Written by `tsunagu import addresses`
 * (import_address.c), read by the geocoder (src/geocode).
 *
 * Entry points: store_addresses_delete_source, store_address_writer_open/
 * _close, store_address_insert,
 * store_address_towns, store_address_lookup_open/_find/_close,
 * store_address_count, store_address_lookup_close, store_address_lookup_find,
 * store_address_writer_close.
 */
#ifndef TSUNAGU_STORE_ADDRESS_H
#define TSUNAGU_STORE_ADDRESS_H

#include "err.h"
#include "store.h"

/* One reference row to insert; strings are UTF-8, never NULL. */
struct store_address_row {
    const char *source; /* dataset key (replaced per source) */
    const char *level;  /* "town" | "block" | "residence" */
    const char *pref;   /* 都道府県名, "" when the source does not say */
    const char *muni;   /* 市区町村名 (e.g. 生駒市, 生駒郡平群町), "" when unknown */
    const char *muni_code; /* 5-digit 全国地方公共団体コード or "" */
    const char *town;      /* 大字・町丁目 name as in the source */
    const char *koaza;     /* 小字・通称名 as in the source, "" when none */
    const char *town_key;  /* addrnorm normal form of town + koaza */
    const char *block;     /* 街区符号 or 地番 as digits; "" for town rows */
    const char *residence; /* 住居番号 as digits; "" unless residence rows */
    double lon, lat;       /* position */
};

/* Deletes the rows of one source (inside the caller's transaction). */
int store_addresses_delete_source(struct store *s, const char *source, struct err *e);

/* A prepared insert for one import (inside the caller's transaction);
 * closed with store_address_writer_close before the store. */
struct store_address_writer;
struct store_address_writer *store_address_writer_open(struct store *s, struct err *e);
void store_address_writer_close(struct store_address_writer *w);

/* Inserts one row; ERR_IO on a database error (the transaction is the
 * caller's to roll back). */
int store_address_insert(struct store_address_writer *w, const struct store_address_row *r,
                         struct err *e);

/* One town of the reference as the geocoder loads it: every (muni,
 * town_key) once, its position the town row's (or, for block-only
 * sources, the mean of its blocks). Strings borrowed for the callback. */
struct store_address_town {
    const char *pref, *muni, *muni_code, *town_key;
    double lon, lat;   /* representative point */
    int has_block;     /* 1 when block rows exist for it */
    int has_residence; /* 1 when residence rows exist for it */
    int has_town;      /* 1 when the position is a town row's (not a mean of blocks) */
};

/* Calls fn for every town; stops with fn's non-zero status. */
int store_address_towns(struct store *s, int (*fn)(void *ctx, const struct store_address_town *t),
                        void *ctx, struct err *e);

/* Number of reference rows (0 when none; -1 on a database error). */
long store_address_count(struct store *s);

/* A prepared point lookup, kept by the geocoder for its life. */
struct store_address_lookup;
struct store_address_lookup *store_address_lookup_open(struct store *s, struct err *e);
void store_address_lookup_close(struct store_address_lookup *l);

/* Position of (muni, town_key, block, residence); residence "" asks for a
 * block row. Returns 1 when found, 0 when not, -1 with ERR_IO in e. */
int store_address_lookup_find(struct store_address_lookup *l, const char *muni,
                              const char *town_key, const char *block, const char *residence,
                              double *lon, double *lat, struct err *e);

#endif
