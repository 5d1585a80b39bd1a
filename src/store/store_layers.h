/* SPDX-License-Identifier: MIT */
/* store_layers.h - district levels built from other levels or from a
 * file's features grouped by a field: the parts wait in a temporary table
 * of the connection, then each group's union (SpatiaLite's ST_Union, which
 * is GEOS: the store already owns GEOS through SpatiaLite for ST_IsValid
 * and ST_MakeValid) becomes one district.
 *
 * Everything happens inside the caller's store_begin/store_commit, so a
 * failure (rolled back by the caller) leaves the database unchanged.
 *
 * Entry points: store_layers_start, store_layers_add, store_layers_map_check,
 * store_layers_build.
 */
#ifndef TSUNAGU_STORE_LAYERS_H
#define TSUNAGU_STORE_LAYERS_H

#include "err.h"
#include "store.h"

#define STORE_LAYERS_UNMAPPED_SHOWN 5 /* unmapped codes named in the sentence */

/* Empties (creating it if needed) the temporary parts table. ERR_IO on
 * failure. */
int store_layers_start(struct store *s, struct err *e);

/* Adds one part of group `grp` (named `name`): with `code` (a district of
 * the level the groups are made of; its outline is found by
 * store_layers_map_check) and wkb NULL, or with wkb a polygon in the
 * database SRID (an invalid one repaired as store_district_insert does) and
 * code NULL. `line` is where the part came from, for messages. ERR_INPUT
 * "code 'X' is mapped twice (also on line N)" when code was added before. */
int store_layers_add(struct store *s, const char *grp, const char *name, const char *code,
                     long line, const unsigned char *wkb, size_t len, struct err *e);

/* Checks the mapping added with codes against the districts of
 * `from_level` and fetches their outlines. ERR_INPUT with one sentence:
 * a code that is no district of from_level (with its line), the districts
 * of from_level the mapping leaves out (the first few named), or a group
 * given two names. */
int store_layers_map_check(struct store *s, const char *from_level, struct err *e);

/* Inserts one district of `level` per group: code = group code, name =
 * group name, outline = the union of its parts, from dataset `source`.
 * *groups receives the districts made. ERR_INPUT naming the group when a
 * union is not a valid polygon with area (nothing is inserted then, once
 * the caller rolls back). */
int store_layers_build(struct store *s, const char *level, const char *source, long *groups,
                       struct err *e);

#endif
