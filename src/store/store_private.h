/* SPDX-License-Identifier: MIT */
/* store_private.h - what the store module's own files (store*.c) share and
 * nobody else may see: the SQLite connection behind a struct store. It pulls
 * in sqlite3.h, so only store*.c include it (store.h stays SQL-free).
 *
 * Entry points: store_sqlite, store_fail, store_prepare, store_finish,
 * store_tiles_version_stmt, store_auth_migrate, store_address_migrate, store_audit_functions,
 * store_audit_migrate, store_auth_bind, store_visits_migrate,
 * store_audit_migrate_v7, store_audit_redact, store_register_migrate,
 * store_register_columns, store_register_fix_rid, store_shares_migrate,
 * store_indicators_migrate, store_basemap_migrate, store_commissioner_migrate,
 * store_shares_household, store_snapshots_migrate, store_rtree_pack,
 * store_rtree_new, store_rtree_add, store_rtree_fill, store_rtree_free.
 */
#ifndef TSUNAGU_STORE_PRIVATE_H
#define TSUNAGU_STORE_PRIVATE_H

#include "consent.h"
#include "store.h"

#include <sqlite3.h>
#include <stdint.h>

/* The connection of `s` (borrowed: valid until store_close). Statements a
 * store*.c file prepares on it must be finalized before store_close. */
sqlite3 *store_sqlite(struct store *s);

/* Records "database error while <what>: <sqlite message>" (ERR_IO). */
int store_fail(struct store *s, struct err *e, const char *what);

/* Prepares sql on the store's connection; NULL with store_fail's sentence.
 * The caller finalizes the statement (store_finish does). */
sqlite3_stmt *store_prepare(struct store *s, const char *sql, const char *what, struct err *e);

/* Ends a stepping loop: a step that stopped short of SQLITE_DONE while rc is
 * ERR_OK becomes a database error; finalizes st; returns rc. */
int store_finish(struct store *s, sqlite3_stmt *st, int step_rc, int rc, const char *what,
                 struct err *e);

/* The import-log query of store_tiles_version (no parameters), prepared
 * once per connection and kept until store_close; returned reset. The
 * caller resets it after stepping, so no read transaction stays open.
 * NULL with ERR_IO in e when it cannot be prepared. */
sqlite3_stmt *store_tiles_version_stmt(struct store *s, struct err *e);

/* Schema version 3 (store_auth.c): the users and audit tables and the
 * triggers that keep the audit log append-only. Run by store.c's migration
 * list inside its transaction. */
int store_auth_migrate(struct store *s, struct err *e);

/* Binds text at parameter i of st, NULL or "" as SQL NULL (store_auth.c;
 * for the users and audit tables, whose empty texts mean "none"). */
void store_auth_bind(sqlite3_stmt *st, int i, const char *t);

/* Schema version 4 (store_audit.c): rebuilds the audit table with a hash
 * chain over the records kept so far, and the triggers that leave ids and
 * times to the database. Run inside store.c's migration transaction. */
int store_audit_migrate(struct store *s, struct err *e);

/* Registers the SQL function the audit append uses on a read-write
 * connection. ERR_IO when it cannot. */
int store_audit_functions(struct store *s, struct err *e);

/* Schema version 5 (store_address.c): the address reference table and its
 * indexes. Run by store.c's migration list inside its transaction. */
int store_address_migrate(struct store *s, struct err *e);

/* Schema version 6 (store_visits.c): the visits table and the households'
 * closed date. Run by store.c's migration list inside its transaction. */
int store_visits_migrate(struct store *s, struct err *e);

/* Schema version 7 (store_audit.c): the audit records' ids chained as
 * salted commitments, so a purge can remove ids and keep the chain. Run
 * by store.c's migration list inside its transaction. */
int store_audit_migrate_v7(struct store *s, struct err *e);

/* Replaces each of ids[0..n) in every audit record that names it by "#"
 * and the hex of its commitment and zeroes its salt (the chain still
 * verifies; nothing left reveals the id). *records receives the records
 * rewritten. Inside the caller's transaction; ERR_IO on failure. */
int store_audit_redact(struct store *s, const char *const *ids, size_t n, long *records,
                       struct err *e);
/* Schema version 8 (store_register.c): the resource history table and,
 * where the resources table exists, the register's columns. Run by
 * store.c's migration list inside its transaction. */
int store_register_migrate(struct store *s, struct err *e);

/* Adds the register's columns (stable id, new fields, version, retired)
 * to the resources table where missing and gives every row an id; run by
 * the migration and by store_init_srid. ERR_IO on failure. */
int store_register_columns(struct store *s, struct err *e);

/* Gives resource row `row` the id "res-ROW" (or "res-ROW-K" when a file
 * holds that one), written into made (n bytes). ERR_IO on failure. */
int store_register_fix_rid(struct store *s, long long row, char *made, size_t n, struct err *e);
/* Schema version 9 (store_shares.c): household shares, protection, the
 * audit log's `via` column and the users' role check with commissioner.
 * Run by store.c's migration list inside its transaction. */
int store_shares_migrate(struct store *s, struct err *e);
/* Schema version 10 (store_indicators.c): the small areas' indicators.
 * Run by store.c's migration list inside its transaction. */
int store_indicators_migrate(struct store *s, struct err *e);

/* Schema version 11 (store_basemap.c): the offline base map's table and
 * its R*Tree. */
int store_basemap_migrate(struct store *s, struct err *e);

/* Schema version 13 (store_snapshots.c): the officials' snapshots table.
 * Run by store.c's migration list inside its transaction. */
int store_snapshots_migrate(struct store *s, struct err *e);

/* SQL for the rowid of the district of level L (an SQL parameter, e.g.
 * "?1") containing point P (an SQL expression): R*Tree prefilter, exact
 * ST_Intersects, the lowest code on a shared border; 0 when L is NULL or no
 * district contains P. */
#define STORE_DISTRICT_OF(L, P)                                                                    \
    "COALESCE((SELECT d.id FROM districts d WHERE " L " IS NOT NULL AND d.level = " L              \
    " AND d.id IN (SELECT pkid FROM idx_districts_geom WHERE xmin <= X(" P ")"                     \
    " AND xmax >= X(" P ") AND ymin <= Y(" P ") AND ymax >= Y(" P "))"                             \
    " AND ST_Intersects(d.geom, " P ") ORDER BY d.code, d.id LIMIT 1), 0)"

/* Schema version 12 (store_commissioner.c): the per-household "commissioners
 * may see" flag. Run inside store.c's migration transaction. */
int store_commissioner_migrate(struct store *s, struct err *e);

/* A household a sharing change acts on (store_shares.c). */
struct store_shares_hh {
    int found;        /* 1 when it exists and the caller may act on it */
    int consent;      /* 1 yes, 0 no, 2 unknown (consent.h) */
    int protected_;   /* 1 when protected */
    char agency[129]; /* holding agency ("" when none; STORE_SHARE_AGENCY_MAX + 1) */
};

/* Reads household ext_id into *h for a change by `holder` (NULL: any
 * household; else only those that agency holds). ERR_NOTFOUND with the
 * same sentence for a missing id and one held elsewhere; ERR_IO. */
int store_shares_household(struct store *s, const char *ext_id, const char *holder,
                           struct store_shares_hh *h, struct err *e);

/* Replaces every entry of the two-dimensional R*Tree virtual table
 * `rtree` (empty or not) with the rows of `sel`: id, xmin, xmax,
 * ymin, ymax, in the order %_rowid is to be appended (ascending id is
 * fastest). Each entry holds the float box an INSERT would have stored;
 * nodes are packed (store_rtree.c). Runs inside the caller's transaction;
 * on failure (ERR_IO, ERR_NOMEM, ERR_INPUT for a box with min > max) the
 * index is left half-written for the caller's rollback. */
int store_rtree_pack(struct store *s, const char *rtree, const char *sel, struct err *e);

/* The same fill from entries collected in memory, for a writer that has
 * every box at hand: store_rtree_add takes one entry's id and bounds
 * (xmin, xmax, ymin, ymax, as SpatiaLite's RTreeAlign passes them: each
 * printed "%1.12f" and read back, store_rtree.c); store_rtree_fill writes
 * them all into `rtree` as store_rtree_pack does. NULL / ERR_NOMEM, ERR_IO,
 * ERR_INPUT for a box with min > max. */
struct store_rtree;
struct store_rtree *store_rtree_new(struct store *s, struct err *e);
int store_rtree_add(struct store_rtree *r, int64_t id, const double box[4], struct err *e);
int store_rtree_fill(struct store_rtree *r, const char *rtree, struct err *e);
void store_rtree_free(struct store_rtree *r);

#endif
