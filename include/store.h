/* store.h - the SpatiaLite database: the only module that speaks SQL (no
 * other file includes sqlite3.h).
 *
 * One file holds every layer of a municipality in one metric CRS (its EPSG
 * code is the SRID of every geometry column and is recorded in `meta`). The
 * schema is versioned with PRAGMA user_version and migrated forward on open.
 * Spatial tables are created, registered as SpatiaLite geometry columns with
 * R*Tree indexes, when the first import fixes the CRS (store_init_srid).
 * Writes happen inside store_begin/store_commit; store_rollback restores the
 * database exactly. Households live in their own table and no function here
 * mixes them into a public layer.
 */
#ifndef TSUNAGU_STORE_H
#define TSUNAGU_STORE_H

#include "err.h"
#include <stddef.h>

#define STORE_SCHEMA_VERSION 1
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
 * invalid polygon is repaired with ST_MakeValid; ERR_INPUT when nothing
 * areal remains. */
int store_district_insert(struct store *s, const struct store_district *d,
                          const unsigned char *wkb, size_t len, struct err *e);

/* ---- resources ---- */

/* A resource point to insert; text members may be NULL. */
struct store_resource {
    const char *ext_id;   /* identifier in the source file */
    const char *name;     /* display name */
    const char *kind;     /* normalised kind, e.g. "consultation" */
    const char *fields;   /* normalised fields, e.g. "elderly;children" or "all" */
    int field_mask;       /* bit mask of fields (see resource.h) */
    const char *hub_type; /* basic | integrated | community | NULL */
    const char *address;  /* postal address */
    const char *schedule; /* opening hours, OSM opening_hours syntax or free text */
    const char *contact;  /* phone, mail or URL */
    const char *operator_; /* running organisation */
    const char *target;   /* target group */
    const char *source;   /* dataset key */
};

int store_resources_delete_source(struct store *s, const char *source, struct err *e);
/* Inserts one resource; wkb is a point in the database SRID. */
int store_resource_insert(struct store *s, const struct store_resource *r,
                          const unsigned char *wkb, size_t len, struct err *e);

/* ---- households (sensitive) ---- */

/* A household to insert. */
struct store_household {
    const char *ext_id; /* identifier in the source file, unique per source */
    int members;        /* household members, >= 1 */
    const char *needs;  /* normalised ";"-separated need tags */
    int consent;        /* 1 when consent to share was given */
    const char *agency; /* agency responsible */
    const char *source; /* dataset key */
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
int store_area_insert(struct store *s, const struct store_area *a, const unsigned char *wkb,
                      size_t len, struct err *e);

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
    long id;              /* rowid, stable while the source is not re-imported */
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
    double x, y;          /* position in the database SRID */
};

/* Calls fn for every resource in id order; non-zero from fn stops and is
 * returned. */
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
    int srid;              /* metric CRS, 0 before the first import */
    long districts;        /* all levels */
    long resources;
    long households;
    long areas;
    long nodes;
    long edges;
    double network_km;     /* total edge length */
};

int store_summary(struct store *s, struct store_summary *sum, struct err *e);

/* Calls fn(ctx, level, label, count) for each district level, by rank. */
int store_levels_each(struct store *s, void (*fn)(void *ctx, const char *level, const char *label,
                                                  long count),
                      void *ctx, struct err *e);

#endif
