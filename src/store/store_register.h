/* SPDX-License-Identifier: MIT */
/* store_register.h - the resource register (issue 12): resources kept as a
 * living list, each with a stable id (`rid`: the file's id when an import
 * gave one that no other resource holds, else "res-N"), a version that
 * grows with every change (the HTTP ETag), a retired state (a retired
 * resource leaves every answer, tile and list, but its row and history
 * stay) and an append-only history (who, when, which fields, before and
 * after as JSON).
 *
 * Records are JSON objects with the members of resfields.h
 * (RESFIELDS_MEMBERS: texts or null, lists ";"-joined, lon and lat in
 * WGS84) plus, read back, "id", "version", "retired" (UTC time or null),
 * "updated_at" and "source". The caller validates records with
 * resfields_apply; the store writes them. Every write runs inside the
 * caller's transaction (store_begin) and appends one row to the import
 * log (kind "resources", source "register"), so the data version that keys
 * the tile cache and the walking network (store_tiles_version,
 * store_walk_version) moves and the next request reflects the change.
 *
 * Entry points: store_register_get, store_register_create,
 * store_register_update, store_register_history, store_register_each,
 * store_register_districts, store_register_from_row, store_register_seen,
 * store_register_retire_unseen, store_register_replace_begin,
 * store_register_replace_end.
 */
#ifndef TSUNAGU_STORE_REGISTER_H
#define TSUNAGU_STORE_REGISTER_H

#include "store.h"

#include <jansson.h>

#define STORE_REGISTER_ID_MAX 128  /* bytes of a stable id */
#define STORE_REGISTER_WHO_MAX 160 /* bytes of "who" in the history */

/* The record of resource `rid` (retired ones too), new reference; NULL
 * with ERR_NOTFOUND when there is none, ERR_IO on a database error. */
json_t *store_register_get(struct store *s, const char *rid, struct err *e);

/* Adds the resource `rec` (checked by resfields_apply with create) under
 * the id `rid`, or a new "res-N" when rid is NULL; source "register"
 * unless `source` names one. Writes history (action "create") and bumps
 * the data version. *out (when out is not NULL) is the stored record.
 * ERR_INPUT when rid is taken, ERR_IO on a database error. */
int store_register_create(struct store *s, const char *rid, const json_t *rec, const char *source,
                          const char *who, json_t **out, struct err *e);

/* Changes resource `cur` (a record from store_register_get) into `next`
 * (the same with members changed; "retired" set to any text retires it
 * now, to null brings it back). Only members whose values differ are
 * written and recorded (action `action`: "update", "retire", "merge" ...),
 * their names written ", "-joined into `changed` (n bytes; "" when none
 * differs, and then nothing is written). Otherwise the version grows by
 * one and history and the data version are written. *out (when out is not
 * NULL) is the stored record. ERR_IO on a database error. The caller has
 * checked the version (If-Match). */
int store_register_update(struct store *s, const json_t *cur, const json_t *next, const char *who,
                          const char *action, char *changed, size_t n, json_t **out, struct err *e);

/* The history of resource `rid`, oldest first, as an array of {"version",
 * "at", "who", "action", "fields", "before", "after"}; new reference
 * (empty for a resource imported and never changed since). ERR_NOTFOUND
 * when there is neither a resource nor history with this id. */
json_t *store_register_history(struct store *s, const char *rid, struct err *e);

/* Calls fn with each record (retired ones only when `with_retired`) in
 * rowid order; the record is borrowed for the call. Non-zero from fn stops
 * and is returned. */
int store_register_each(struct store *s, int with_retired, int (*fn)(void *ctx, json_t *rec),
                        void *ctx, struct err *e);

/* Sets in `names` (an object) member LEVEL to the name of the district of
 * each level containing resource `rid` (null when none), levels by rank;
 * `level` non-NULL keeps only that level. */
int store_register_districts(struct store *s, const char *rid, const char *level, json_t *names,
                             struct err *e);

/* The record of an import row (store.h's struct store_resource and its
 * point in the database SRID as WKB), as store_register_create takes it;
 * new reference, NULL with ERR_INPUT when the point cannot be read. */
json_t *store_register_from_row(struct store *s, const struct store_resource *r,
                                const unsigned char *wkb, size_t len, struct err *e);

/* Marks `rid` as present in the file being merged (a temporary table of
 * this connection, emptied when `rid` is NULL). */
int store_register_seen(struct store *s, const char *rid, struct err *e);

/* Retires every active resource not marked by store_register_seen, with
 * history (action "retire", by `who`); *n is how many. */
int store_register_retire_unseen(struct store *s, const char *who, long *n, struct err *e);

/* What a replace-by-source import did to the register. */
struct store_register_counts {
    long added;     /* resources new to the source */
    long changed;   /* resources whose members (or retired state) changed */
    long unchanged; /* resources the file holds as they were */
    long retired;   /* resources the file no longer holds */
};

/* Before a replace-by-source import deletes the resources of `source`:
 * keeps their records (in a temporary table of this connection). ERR_IO on
 * a database error. */
int store_register_replace_begin(struct store *s, const char *source, struct err *e);

/* After the import wrote the source's resources anew: writes history as
 * --merge does (who `who`): "create" for a resource new to the source,
 * "import" with the fields changed (before and after) for one whose
 * members differ, carrying its version on (old + 1; an unchanged one keeps
 * its version, so editors' ETags stay valid), and "retire" for one the
 * file no longer holds; counts into *c. Runs in the import's transaction;
 * ERR_IO on a database error. */
int store_register_replace_end(struct store *s, const char *source, const char *who,
                               struct store_register_counts *c, struct err *e);

#endif
