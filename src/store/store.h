/* SPDX-License-Identifier: MIT */
/* store.h - the SpatiaLite database: the only module that speaks SQL (only
 * src/store links SQLite; sqlite3.h stays inside store_private.h).
 *
 * One file holds every layer of a municipality in one metric CRS (its EPSG
 * code is the SRID of every geometry column and is recorded in `meta`). The
 * schema is versioned with PRAGMA user_version and migrated forward on open.
 * Spatial tables are created, registered as SpatiaLite geometry columns with
 * R*Tree indexes, when the first import fixes the CRS (store_init_srid).
 * Writes happen inside store_begin/store_commit; store_rollback restores the
 * database exactly. Households live in their own table and no function here
 * mixes them into a public layer. Schema version 3 adds users (token hashes
 * only) and the append-only audit log (store_auth.c); version 4 chains the
 * audit records with SHA-256 (store_audit.c).
 *
 * Entry points: store_open, store_open_readonly, store_close, store_begin,
 * store_commit, store_rollback, store_srid, store_init_srid, store_meta_get,
 * store_meta_set, store_level_ensure, store_level_exists,
 * store_districts_delete_source, store_district_insert,
 * store_resources_delete_source, store_resource_insert,
 * store_households_delete_source, store_household_insert,
 * store_areas_delete_source, store_area_insert,
 * store_candidates_delete_source, store_candidate_insert,
 * store_candidates_each, store_network_clear, store_node_insert,
 * store_edge_insert, store_network_load, store_resources_each,
 * store_import_log, store_fingerprint, store_summary, store_levels_each,
 * store_features_open, store_features_close, store_features_districts_at,
 * store_features_count, store_features_each, store_features_get,
 * store_features_extent, store_plan_districts_each, store_plan_areas_each,
 * store_plan_street_near, store_user_add, store_user_revoke,
 * store_users_each, store_user_by_token, store_district_exists,
 * store_tiles_version, store_tiles_each, store_tiles_native_each, store_tiles_extent,
 * store_attrib_each, store_attrib_set,
 * store_backup, store_busy_timeout, store_check, store_repaired, store_restore, store_walk_version,
 * store_upgrade_backup, store_network_version, store_file_path.
 */
#ifndef TSUNAGU_STORE_H
#define TSUNAGU_STORE_H

#include "err.h"
#include <stddef.h>

#define STORE_SCHEMA_VERSION 13
#define STORE_TEXT_MAX 1024 /* longest attribute text stored; longer is cut */
#define STORE_LEVEL_MAX 32  /* longest district level name */

struct store;

/* Opens (creating if needed) the database at `path`: loads mod_spatialite,
 * switches to WAL, creates or migrates the schema. A newer schema than this
 * build knows is refused with ERR_INPUT. The caller closes with store_close. */
struct store *store_open(const char *path, struct err *e);

/* Opens an existing database read-only (for servers and queries); ERR_NOTFOUND
 * when the file does not exist. */
struct store *store_open_readonly(const char *path, struct err *e);
void store_close(struct store *s);

/* The walking data's version: the last import of the network, resources
 * or candidate sites (an id of the import log, which only grows), 0 before
 * any. What walk_net_load reads changes only when it does. ERR_IO when the
 * log cannot be read. */
int store_walk_version(struct store *s, unsigned long long *version, struct err *e);

/* The walking network's version (store_netversion.c): a digest of the
 * database's first import (its identity), every network import and the
 * largest node and edge ids, so it changes whenever the network does
 * (import, replacement, restore of another state) and differs between
 * databases. Keys the saved graph file (walk). ERR_IO when unreadable. */
int store_network_version(struct store *s, unsigned long long *version, struct err *e);

/* The database file's absolute path as SQLite opened it, or NULL (an
 * in-memory database). Borrowed while s is open. */
const char *store_file_path(struct store *s);

/* How long a statement on s waits for another connection's write lock
 * before failing (10 s unless set). */
void store_busy_timeout(struct store *s, int ms);

/* Transactions: BEGIN IMMEDIATE / COMMIT / ROLLBACK. After a failed commit the
 * transaction is rolled back. */
int store_begin(struct store *s, struct err *e);
int store_commit(struct store *s, struct err *e);
void store_rollback(struct store *s);

/* SRID (EPSG code) of the database's metric CRS, or 0 before the first import. */
int store_srid(const struct store *s);

/* Fixes the metric CRS (inside a transaction): records it in meta, creates
 * and registers every spatial table with its spatial index. ERR_INPUT if a
 * different CRS is already set. */
int store_init_srid(struct store *s, int epsg, const char *crs_name, struct err *e);

/* Meta values: key/value text. store_meta_get copies into buf (n bytes) and
 * returns ERR_NOTFOUND when the key is absent. */
int store_meta_get(struct store *s, const char *key, char *buf, size_t n, struct err *e);
int store_meta_set(struct store *s, const char *key, const char *value, struct err *e);

/* ---- attributions (store_attrib.c) ----
 *
 * The credit each import source requires (e.g. "© OpenStreetMap
 * contributors (ODbL)"), shown by the page's attribution control and in
 * reports. Replaced with its source; NULL text removes it. */

#define STORE_ATTRIB_KEY_MAX 320 /* bytes of "attribution:KIND:SOURCE" */

/* Records (inside the import's transaction) the credit of source `source`
 * of kind `kind`; ERR_INPUT when the names are too long. */
int store_attrib_set(struct store *s, const char *kind, const char *source, const char *text,
                     struct err *e);

/* Calls fn for each distinct credit, by text; non-zero from fn stops and is
 * returned. */
int store_attrib_each(struct store *s, int (*fn)(void *ctx, const char *text), void *ctx,
                      struct err *e);

/* ---- districts ---- */

/* A district level ("elementary", "junior_high", or any a municipality adds). */
int store_level_ensure(struct store *s, const char *level, const char *label, struct err *e);
/* 1 when the level exists, 0 otherwise. */
int store_level_exists(struct store *s, const char *level);

/* A district to insert; text members may be NULL. */
struct store_district {
    const char *level;        /* level name, must exist */
    const char *code;         /* school or area code, unique within level */
    const char *name;         /* display name */
    const char *municipality; /* municipality code, e.g. "29209" */
    const char *operator_;    /* operator, e.g. "生駒市立" */
    const char *address;      /* school address */
    const char *source;       /* dataset key: re-importing it replaces its rows */
};

/* Deletes every district of `level` that came from `source`. */
int store_districts_delete_source(struct store *s, const char *level, const char *source,
                                  struct err *e);
/* Inserts one district; wkb is a (multi)polygon in the database SRID. An
 * invalid polygon (a bow-tie crossing itself, overlapping rings) is repaired
 * with ST_MakeValid, keeping its areal part, and counted (store_repaired);
 * ERR_INPUT when nothing areal remains. */
int store_district_insert(struct store *s, const struct store_district *d, const unsigned char *wkb,
                          size_t len, struct err *e);

/* ---- resources ---- */

/* A resource point to insert; text members may be NULL. */
struct store_resource {
    const char *ext_id;       /* identifier in the source file */
    const char *name;         /* display name */
    const char *kind;         /* normalised kind, e.g. "consultation" */
    const char *fields;       /* normalised fields, e.g. "elderly;children" or "all" */
    int field_mask;           /* bit mask of fields (VOCAB_FIELD_*, vocab.h) */
    const char *hub_type;     /* basic | integrated | community | NULL */
    const char *address;      /* postal address */
    const char *schedule;     /* opening hours, OSM opening_hours syntax or free text */
    const char *contact;      /* phone, mail or URL */
    const char *operator_;    /* running organisation */
    const char *target;       /* target group */
    const char *source;       /* dataset key */
    const char *place_level;  /* geocoding level when placed from the address, else NULL */
    const char *url;          /* web page (resfields.h) */
    const char *languages;    /* ";"-joined language tags */
    const char *barrier_free; /* yes | no | unknown | NULL */
    const char *cost;         /* what it costs, as text */
    const char *notes;        /* anything else worth knowing */
};

int store_resources_delete_source(struct store *s, const char *source, struct err *e);
/* Inserts one resource; wkb is a point in the database SRID. */
int store_resource_insert(struct store *s, const struct store_resource *r, const unsigned char *wkb,
                          size_t len, struct err *e);

/* ---- households (sensitive) ---- */

/* A household to insert. */
struct store_household {
    const char *ext_id;      /* identifier in the source file, unique per source */
    int members;             /* household members, >= 1 */
    const char *needs;       /* normalised ";"-separated need tags */
    int consent;             /* CONSENT_YES, CONSENT_NO or CONSENT_UNKNOWN (consent.h) */
    const char *agency;      /* agency responsible */
    const char *source;      /* dataset key */
    const char *place_level; /* geocoding level when placed from the address, else NULL */
    int protected_;          /* 1: protected (shown only to its holding agency, never shared);
                                a protection set later (store_shares.h) is kept on re-import */
};

int store_households_delete_source(struct store *s, const char *source, struct err *e);
/* Inserts one household; ERR_INPUT (without the id in the message) when its
 * ext_id repeats within the source. */
int store_household_insert(struct store *s, const struct store_household *h,
                           const unsigned char *wkb, size_t len, struct err *e);

/* ---- census small areas ---- */

struct store_area {
    const char *code;   /* small-area code */
    const char *name;   /* name */
    long residents;     /* population, >= 0 */
    long households;    /* households, >= 0, or -1 when unknown */
    const char *source; /* dataset key */
};

int store_areas_delete_source(struct store *s, const char *source, struct err *e);
/* Inserts one census small area; invalid polygons as for districts. */
int store_area_insert(struct store *s, const struct store_area *a, const unsigned char *wkb,
                      size_t len, struct err *e);

/* Polygons (districts, small areas) repaired by ST_MakeValid on insert on
 * this connection so far. */
long store_repaired(const struct store *s);

/* ---- candidate sites (for suggest; not public resources) ---- */

/* A place where a new resource could open (a school, a community centre). */
struct store_candidate {
    const char *ext_id;    /* id in the source file */
    const char *name;      /* display name */
    const char *kind_hint; /* what it could host, e.g. "consultation", or NULL */
    const char *source;    /* dataset key */
};

/* A stored candidate as read back; strings borrowed for the callback. */
struct store_candidate_row {
    long id;
    const char *ext_id, *name, *kind_hint;
    double x, y; /* database SRID */
};

int store_candidates_delete_source(struct store *s, const char *source, struct err *e);
int store_candidate_insert(struct store *s, const struct store_candidate *c,
                           const unsigned char *wkb, size_t len, struct err *e);
/* Calls fn for every candidate in id order; non-zero from fn stops. */
int store_candidates_each(struct store *s,
                          int (*fn)(void *ctx, const struct store_candidate_row *c), void *ctx,
                          struct err *e);

/* ---- walking network ---- */

/* Removes the whole walking network (one network per database). */
int store_network_clear(struct store *s, struct err *e);
/* Inserts node `id` at x, y (database SRID). */
int store_node_insert(struct store *s, long id, double x, double y, struct err *e);

/* An edge between two nodes; the geometry runs from source to target. */
struct store_edge {
    long source;         /* node id at the start */
    long target;         /* node id at the end */
    double length_m;     /* length along the geometry, metres */
    const char *highway; /* OSM highway value or road class */
    const char *name;    /* street name or NULL */
    int flags;           /* bit 0: steps */
};

int store_edge_insert(struct store *s, const struct store_edge *ed, const unsigned char *wkb,
                      size_t len, struct err *e);

/* Streams the stored network to the caller, nodes first (in id order), then
 * edges (in id order) with their polyline in the database SRID as x0,y0,...
 * (borrowed for the duration of the call). A callback returning non-zero
 * stops the load and that value is returned. */
struct store_net_cb {
    void *ctx;
    int (*node)(void *ctx, long id, double x, double y);
    int (*edge)(void *ctx, long id, long source, long target, double length_m, int flags,
                const double *xy, size_t npts);
};
int store_network_load(struct store *s, const struct store_net_cb *cb, struct err *e);

/* ---- reading resources ---- */

/* A stored resource as read back; strings borrowed for the callback only. */
struct store_resource_row {
    long id; /* rowid, stable while the source is not re-imported */
    const char *ext_id;
    const char *name;
    const char *kind;
    const char *fields;
    int field_mask;
    const char *hub_type;
    const char *address;
    const char *schedule;
    const char *contact;
    const char *operator_;
    const char *target;
    double x, y;              /* position in the database SRID */
    const char *rid;          /* the stable id (store_register.h) */
    const char *url;          /* the register's fields (resfields.h) */
    const char *languages;    /* ";"-joined language tags */
    const char *barrier_free; /* yes | no | unknown | NULL */
    const char *cost;
    const char *notes;
};

/* Calls fn for every resource in id order, retired ones left out
 * (store_register.h); non-zero from fn stops and is returned. */
int store_resources_each(struct store *s, int (*fn)(void *ctx, const struct store_resource_row *r),
                         void *ctx, struct err *e);

/* ---- imports log ---- */

/* Records a finished import. */
int store_import_log(struct store *s, const char *kind, const char *source, const char *file,
                     long features, struct err *e);

/* ---- change detection ---- */

/* 64-bit FNV-1a digest of the content of every ordinary table (rows in
 * rowid order, values with their types). Equal digests mean the data is the
 * same; used by tests to prove a failed import changed nothing. */
int store_fingerprint(struct store *s, unsigned long long *digest, struct err *e);

/* ---- summary ---- */

/* Row counts and extents for `tsunagu info`. */
struct store_summary {
    int srid;       /* metric CRS, 0 before the first import */
    long districts; /* all levels */
    long resources;
    long households;
    long areas;
    long nodes;
    long edges;
    double network_km; /* total edge length */
};

int store_summary(struct store *s, struct store_summary *sum, struct err *e);

/* Calls fn(ctx, level, label, count) for each district level, by rank. */
int store_levels_each(struct store *s,
                      void (*fn)(void *ctx, const char *level, const char *label, long count),
                      void *ctx, struct err *e);

/* ---- read side of the HTTP service (store_features.c) ----
 *
 * Public layers only: districts and resources. Nothing here reads the
 * households table. A struct store_features holds its own prepared
 * statements on a store handle (borrowed: close the features handle first);
 * like the store handle, it belongs to one thread at a time. */

struct store_features;

/* Opens the service's statements on `s`; NULL with ERR_NOMEM on failure.
 * Statements are prepared on first use. Free with store_features_close. */
struct store_features *store_features_open(struct store *s, struct err *e);
void store_features_close(struct store_features *f);

/* Calls fn(ctx, level, code, name) for every district containing the point
 * x, y (database SRID), by level rank then code: an R*Tree prefilter on
 * idx_districts_geom, then ST_Contains. Strings are borrowed for the call;
 * non-zero from fn stops and is returned. */
int store_features_districts_at(struct store_features *f, double x, double y,
                                int (*fn)(void *ctx, const char *level, const char *code,
                                          const char *name),
                                void *ctx, struct err *e);

/* The public layers served as feature collections. */
enum store_layer {
    STORE_LAYER_DISTRICTS, /* one collection per level */
    STORE_LAYER_RESOURCES  /* resource points */
};

/* Which features of a layer to read. */
struct store_feature_query {
    int layer;         /* enum store_layer */
    const char *level; /* districts: the level; NULL = every level (extent only) */
    int has_bbox;      /* 1 to keep only features intersecting bbox */
    double bbox[4];    /* min lon, min lat, max lon, max lat (CRS84) */
    double xy_box[4];  /* an envelope of bbox in the database SRID, enclosing it
                          (the R*Tree prefilter) */
    long limit;        /* rows to return, >= 0 */
    long offset;       /* rows to skip, >= 0 */
};

/* One feature as read; everything borrowed for the callback only. */
struct store_feature_row {
    long id;                   /* rowid: the feature id */
    const char *geojson;       /* geometry as GeoJSON in CRS84, 7 decimals */
    size_t nprops;             /* number of properties */
    const char *const *keys;   /* property names */
    const char *const *values; /* property values as text, NULL for SQL NULL */
};

/* Number of features matching q (limit and offset ignored). */
int store_features_count(struct store_features *f, const struct store_feature_query *q, long *n,
                         struct err *e);

/* Calls fn for the features matching q in id order, skipping q->offset and
 * stopping after q->limit; non-zero from fn stops and is returned. */
int store_features_each(struct store_features *f, const struct store_feature_query *q,
                        int (*fn)(void *ctx, const struct store_feature_row *r), void *ctx,
                        struct err *e);

/* Reads the feature `id` of the layer (and level) of q; ERR_NOTFOUND when
 * there is none. */
int store_features_get(struct store_features *f, const struct store_feature_query *q, long id,
                       int (*fn)(void *ctx, const struct store_feature_row *r), void *ctx,
                       struct err *e);

/* Extent in CRS84 (min lon, min lat, max lon, max lat) of the layer (and
 * level, or all levels when q->level is NULL) of q, from every geometry
 * transformed; ERR_NOTFOUND when the layer is empty. */
int store_features_extent(struct store_features *f, const struct store_feature_query *q,
                          double box[4], struct err *e);

/* ---- planning: coverage audit, new sites, outreach routes (store_plan.c) ----
 *
 * The only functions that read households for analysis. They serve the
 * planning modules (coverage.c, suggest.c, route.c), which keep household
 * rows out of public outputs. A district "contains" a point when
 * ST_Intersects holds (an R*Tree prefilter first); a point on a shared
 * border goes to the district with the lowest code. Strings in the rows are
 * borrowed for the callback only; non-zero from a callback stops the walk
 * and is returned. */

/* A district of one level. */
struct store_plan_district {
    long id;                  /* districts rowid */
    const char *code;         /* district code */
    const char *name;         /* display name */
    const unsigned char *wkb; /* its geometry as WKB (database CRS), NULL when it has none */
    size_t wkb_len;           /* bytes at wkb */
};

/* Calls fn for every district of `level`, by code (then id). */
int store_plan_districts_each(struct store *s, const char *level,
                              int (*fn)(void *ctx, const struct store_plan_district *d), void *ctx,
                              struct err *e);

/* A census small area with a representative point (ST_PointOnSurface, a
 * point guaranteed inside the polygon). */
struct store_plan_area {
    long id;          /* areas rowid */
    const char *code; /* small-area code or NULL */
    const char *name; /* name or NULL */
    long residents;   /* population */
    long households;  /* households, -1 when unknown */
    double x, y;      /* representative point, database SRID */
    long district;    /* rowid of the district of the level asked containing the point, or 0 */
};

/* Calls fn for every small area in id order (district 0 when level is NULL). */
int store_plan_areas_each(struct store *s, const char *level,
                          int (*fn)(void *ctx, const struct store_plan_area *a), void *ctx,
                          struct err *e);

/* Name of the named street nearest to x, y within radius_m, copied into buf
 * (n bytes). ERR_NOTFOUND when no named street is that close. */
int store_plan_street_near(struct store *s, double x, double y, double radius_m, char *buf,
                           size_t n, struct err *e);

/* ---- users (store_auth.c) ----
 *
 * Users carry a role key, an optional assignment (agency; district level
 * and code) and the SHA-256 of their token, never the token. The audit
 * log is read and written through store_audit.h, households by assignment
 * through store_households.h. Strings in
 * rows are borrowed for the callback only; non-zero from a callback stops
 * the walk and is returned. */

#define STORE_HASH_BYTES 32 /* bytes of a token hash */

/* A user as stored; NULL members are "not set". */
struct store_user {
    long id;              /* rowid (read back only) */
    const char *name;     /* unique user name */
    const char *role;     /* role key (auth.h) */
    const char *agency;   /* assignment: agency, or NULL */
    const char *level;    /* assignment: district level, or NULL */
    const char *district; /* assignment: district code, or NULL */
    const char *created;  /* UTC time of creation (read back only) */
    const char *revoked;  /* UTC time of revocation, NULL while active (read back only) */
};

/* Adds a user with the token hash `hash` (STORE_HASH_BYTES). ERR_INPUT when
 * the name is taken (revoked users keep their name). */
int store_user_add(struct store *s, const struct store_user *u, const unsigned char *hash,
                   struct err *e);

/* Revokes the user `name` now. ERR_NOTFOUND when there is none, ERR_INPUT
 * when it is revoked already. */
int store_user_revoke(struct store *s, const char *name, struct err *e);

/* Calls fn for every user (revoked ones too) by name. */
int store_users_each(struct store *s, int (*fn)(void *ctx, const struct store_user *u), void *ctx,
                     struct err *e);

/* Finds the active user whose token hash is `hash`: every user's hash is
 * compared in constant time (secure_equal), so the work does not depend on
 * which user matches or whether one does; then fn is called once for the
 * match. ERR_NOTFOUND when no active user has it (revoked or unknown). */
int store_user_by_token(struct store *s, const unsigned char *hash,
                        int (*fn)(void *ctx, const struct store_user *u), void *ctx, struct err *e);

/* 1 when district `code` of `level` exists, else 0. */
int store_district_exists(struct store *s, const char *level, const char *code);

/* ---- tiles: the read side of the map-tile service (store_tiles.c) ----
 *
 * Public layers only (districts, resources, the walking network); nothing
 * here reads households. Geometry leaves in WGS84 lon/lat (ST_Transform to
 * 4326 in SpatiaLite: the database registers only its own SRID and 4326,
 * so a read-only connection cannot ask for EPSG:3857; Web Mercator is a
 * formula on lon/lat that tiles.c applies). */

/* Layers the tile service reads. */
enum store_tiles_layer {
    STORE_TILES_DISTRICTS, /* districts of one level: text code, name, level */
    STORE_TILES_RESOURCES, /* resources: text rid (stable id), name, kind, fields, hub_type,
                              schedule */
    STORE_TILES_STREETS    /* network edges: text highway, name; flags */
};

#define STORE_TILES_TEXT_MAX 6 /* text columns of a tile row */

/* One feature for a tile; everything borrowed for the callback only. */
struct store_tiles_row {
    long id;                                /* rowid */
    const unsigned char *wkb;               /* geometry, WGS84 lon/lat, WKB */
    size_t wkb_len;                         /* bytes of wkb */
    const char *text[STORE_TILES_TEXT_MAX]; /* the layer's text columns (above), NULL = NULL */
    long flags;                             /* streets: edge flags (bit 0 steps), else 0 */
};

/* Data version of the database: a digest of the import log (row count,
 * last id and its time). Every import, replacement included, appends to
 * the log in its own transaction, so the version changes whenever any
 * layer's rows do. (PRAGMA data_version is per connection, so two server
 * threads would disagree on it.) */
int store_tiles_version(struct store *s, unsigned long long *version, struct err *e);

/* Calls fn, in id order, for at most `limit` features of `layer` (level:
 * the district level, else NULL) whose R*Tree box meets xy_box {min x, min
 * y, max x, max y} in the database SRID. ERR_LIMIT when more than `limit`
 * features meet it (fn has then seen `limit`); non-zero from fn stops and
 * is returned. */
int store_tiles_each(struct store *s, int layer, const char *level, const double xy_box[4],
                     long limit, int (*fn)(void *ctx, const struct store_tiles_row *r), void *ctx,
                     struct err *e);

/* Calls fn, in id order, for every feature of `layer` (STORE_TILES_STREETS
 * only) with its geometry in the database SRID (r->wkb then holds x/y in
 * metres, not lon/lat): what the tile service projects once per data
 * version into its own index. ERR_LIMIT when the layer holds more than
 * `limit` features (fn has then seen `limit`); non-zero from fn stops and
 * is returned; ERR_INTERNAL for another layer. */
int store_tiles_native_each(struct store *s, int layer, long limit,
                            int (*fn)(void *ctx, const struct store_tiles_row *r), void *ctx,
                            struct err *e);

/* Extent {min x, min y, max x, max y} of `layer` (and level) in the
 * database SRID; ERR_NOTFOUND when it holds no feature. */
int store_tiles_extent(struct store *s, int layer, const char *level, double box[4], struct err *e);

/* ---- backups (store_backup.c) ----
 *
 * Through SQLite's online backup API: safe while the server runs and
 * imports write. */

/* Copies the database at `path` into the new file `dest` (refused when it
 * exists) as one consistent state, checked before it takes its name
 * (written as dest.partial first). ERR_NOTFOUND without a database. */
int store_backup(const char *path, const char *dest, struct err *e);

/* Checks the file at `path`: *version is its schema version; ERR_INPUT with
 * the first problem when it is not a tsunagu database, newer than this
 * program, or damaged (PRAGMA integrity_check). */
int store_check(const char *path, int *version, struct err *e);

/* Replaces the database at `path` (created when absent) with the backup
 * after store_check accepts it, in one write transaction: readers see the
 * old or the new database, never a mix. An older schema is migrated by the
 * next store_open. The database is unchanged when this fails. */
int store_restore(const char *backup, const char *path, struct err *e);

/* Before a migration (store_upgrade.c): backs the database at `path`, of
 * schema version `from`, up into PATH.pre-vN-TIMESTAMP.bak (N the version
 * it migrates to) with store_backup, writes that name into dest (n bytes)
 * and says so on stderr. store_backup's errors, prefixed with what was being
 * done; the database is unchanged on failure. */
int store_upgrade_backup(const char *path, int from, char *dest, size_t n, struct err *e);

#endif
