/* SPDX-License-Identifier: MIT */
/* store.c - SpatiaLite persistence behind store.h: schema and migrations,
 * transactions, the import writes and the network and resource streams.
 * The other store_*.c files hold the rest of tsunagu's SQL; the store
 * folder is the only one whose build sees sqlite3.h (CMakeLists.txt).
 * Statements are prepared once per handle and always bound, never built
 * from user text. */
#include "store.h"

#include "hash.h"
#include "num.h"
#include "vec.h"
#include "store_private.h"
#include "utf8.h"
#include "wkb.h"

#include <sqlite3.h>
/* spatialite.h needs sqlite3.h first. */
#include <spatialite.h>

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Prepared statements kept for the life of a handle. */
enum store_stmt {
    ST_META_GET,
    ST_META_SET,
    ST_LEVEL_ENSURE,
    ST_LEVEL_EXISTS,
    ST_DISTRICT_DEL,
    ST_DISTRICT_INS,
    ST_RESOURCE_DEL,
    ST_RESOURCE_INS,
    ST_HOUSEHOLD_DEL,
    ST_HOUSEHOLD_INS,
    ST_AREA_DEL,
    ST_AREA_INS,
    ST_NODE_INS,
    ST_EDGE_INS,
    ST_IMPORT_LOG,
    ST_CANDIDATE_DEL,
    ST_CANDIDATE_INS,
    ST_TILES_VERSION,
    ST_WALK_VERSION,
    ST_GEOM_VALID,
    ST_COUNT
};

static const char *const store_sql[ST_COUNT] = {
    [ST_META_GET] = "SELECT value FROM meta WHERE key = ?1",
    [ST_META_SET] = "INSERT INTO meta(key, value) VALUES(?1, ?2) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    [ST_LEVEL_ENSURE] = "INSERT INTO levels(name, label, rank) VALUES(?1, ?2, "
                        "(SELECT COALESCE(MAX(rank), 0) + 1 FROM levels)) "
                        "ON CONFLICT(name) DO NOTHING",
    [ST_LEVEL_EXISTS] = "SELECT 1 FROM levels WHERE name = ?1",
    [ST_DISTRICT_DEL] = "DELETE FROM districts WHERE level = ?1 AND source = ?2",
    [ST_DISTRICT_INS] =
        "INSERT INTO districts(level, code, name, municipality, operator, address, source, geom) "
        "SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, CASE WHEN g IS NULL THEN NULL "
        "WHEN ST_IsValid(g) THEN CastToMultiPolygon(g) "
        "ELSE CastToMultiPolygon(CollectionExtract(ST_MakeValid(g), 3)) END "
        "FROM (SELECT ST_GeomFromWKB(?8, ?9) AS g)",
    [ST_RESOURCE_DEL] = "DELETE FROM resources WHERE source = ?1",
    [ST_RESOURCE_INS] =
        "INSERT INTO resources(ext_id, name, kind, fields, field_mask, hub_type, address, "
        "schedule, contact, operator, target, source, geom, place_level, url, languages, "
        "barrier_free, cost, notes, rid, updated_at) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
        "CastToPoint(ST_GeomFromWKB(?13, ?14)), ?15, ?16, ?17, ?18, ?19, ?20, "
        "CASE WHEN ?1 IS NOT NULL AND NOT EXISTS (SELECT 1 FROM resources WHERE rid = ?1) "
        "THEN ?1 END, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
    [ST_HOUSEHOLD_DEL] = "DELETE FROM households WHERE source = ?1",
    [ST_HOUSEHOLD_INS] =
        "INSERT INTO households(ext_id, members, needs, consent, agency, source, geom, "
        "place_level, protected) VALUES(?1, ?2, ?3, ?4, ?5, ?6, CastToPoint(ST_GeomFromWKB(?7, "
        "?8)), ?9, ?10 OR EXISTS (SELECT 1 FROM household_protection WHERE ext_id = ?1))",
    [ST_AREA_DEL] = "DELETE FROM areas WHERE source = ?1",
    [ST_AREA_INS] = "INSERT INTO areas(code, name, residents, households, source, geom) "
                    "SELECT ?1, ?2, ?3, ?4, ?5, CASE WHEN g IS NULL THEN NULL "
                    "WHEN ST_IsValid(g) THEN CastToMultiPolygon(g) "
                    "ELSE CastToMultiPolygon(CollectionExtract(ST_MakeValid(g), 3)) END "
                    "FROM (SELECT ST_GeomFromWKB(?6, ?7) AS g)",
    [ST_NODE_INS] = "INSERT INTO net_nodes(id, geom) VALUES(?1, MakePoint(?2, ?3, ?4))",
    [ST_EDGE_INS] = "INSERT INTO net_edges(source, target, length_m, highway, name, flags, geom) "
                    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, CastToLineString(ST_GeomFromWKB(?7, ?8)))",
    [ST_IMPORT_LOG] = "INSERT INTO imports(kind, source, file, features) VALUES(?1, ?2, ?3, ?4)",
    [ST_CANDIDATE_DEL] = "DELETE FROM candidates WHERE source = ?1",
    [ST_CANDIDATE_INS] = "INSERT INTO candidates(ext_id, name, kind_hint, source, geom) "
                         "VALUES(?1, ?2, ?3, ?4, CastToPoint(ST_GeomFromWKB(?5, ?6)))",
    /* store_tiles.c's data version, asked on every tile request: kept
     * prepared, since preparing it cost more than serving a cached tile. */
    [ST_TILES_VERSION] = "SELECT COUNT(*), COALESCE(MAX(id), 0), (SELECT imported_at FROM "
                         "imports ORDER BY id DESC LIMIT 1) FROM imports",
    /* store_walk_version: asked by the server on every walking request. */
    [ST_WALK_VERSION] = "SELECT COALESCE(MAX(id), 0) FROM imports"
                        " WHERE kind IN ('network', 'resources', 'candidates')",
    [ST_GEOM_VALID] = "SELECT ST_IsValid(ST_GeomFromWKB(?1, ?2))",
};

struct store {
    sqlite3 *db;                  /* owned connection */
    void *splite;                 /* owned SpatiaLite connection cache */
    sqlite3_stmt *stmt[ST_COUNT]; /* lazily prepared statements, owned */
    int srid;                     /* metric CRS, 0 before the first import */
    long repaired;                /* polygons repaired by ST_MakeValid on insert */
};

int store_fail(struct store *s, struct err *e, const char *what)
{
    return err_set(e, ERR_IO, "database error while %s: %s", what, sqlite3_errmsg(s->db));
}

sqlite3_stmt *store_prepare(struct store *s, const char *sql, const char *what, struct err *e)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        store_fail(s, e, what);
        return NULL;
    }
    return st;
}

int store_finish(struct store *s, sqlite3_stmt *st, int step_rc, int rc, const char *what,
                 struct err *e)
{
    if (rc == ERR_OK && step_rc != SQLITE_DONE)
        rc = store_fail(s, e, what);
    sqlite3_finalize(st);
    return rc;
}

static int store_exec(struct store *s, const char *sql, struct err *e)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        err_set(e, ERR_IO, "database error: %s", msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        return ERR_IO;
    }
    return ERR_OK;
}

static sqlite3_stmt *store_stmt(struct store *s, enum store_stmt id, struct err *e)
{
    if (s->stmt[id] == NULL) {
        if (sqlite3_prepare_v3(s->db, store_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &s->stmt[id],
                               NULL) != SQLITE_OK) {
            store_fail(s, e, "preparing a statement");
            return NULL;
        }
    }
    sqlite3_reset(s->stmt[id]);
    sqlite3_clear_bindings(s->stmt[id]);
    return s->stmt[id];
}

sqlite3_stmt *store_tiles_version_stmt(struct store *s, struct err *e)
{
    return store_stmt(s, ST_TILES_VERSION, e);
}

/* Binds text (NULL binds SQL NULL), cut to STORE_TEXT_MAX bytes on a UTF-8
 * character boundary. */
static void store_bind_text(sqlite3_stmt *st, int i, const char *t)
{
    if (t == NULL) {
        sqlite3_bind_null(st, i);
        return;
    }
    size_t n = utf8_cut(t, strlen(t), STORE_TEXT_MAX);
    sqlite3_bind_text(st, i, t, (int)n, SQLITE_TRANSIENT);
}

/* Runs a statement that returns no rows; maps constraint failures to ERR_INPUT
 * with `what` as the sentence. */
static int store_step_done(struct store *s, sqlite3_stmt *st, const char *what, struct err *e)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return ERR_OK;
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return err_set(e, ERR_INPUT, "%s", what);
    return store_fail(s, e, what);
}

/* Schema version 1: metadata, district levels and the import log. The spatial
 * tables follow in store_init_srid once the CRS is known. */
static const char store_schema_v1[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS levels(name TEXT PRIMARY KEY, label TEXT,"
    " rank INTEGER NOT NULL);"
    "INSERT OR IGNORE INTO levels VALUES('junior_high', '中学校区', 2),"
    " ('elementary', '小学校区', 3);"
    "CREATE TABLE IF NOT EXISTS imports(id INTEGER PRIMARY KEY, kind TEXT NOT NULL,"
    " source TEXT NOT NULL, file TEXT NOT NULL, features INTEGER NOT NULL,"
    " imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')));";

static int store_migrate_v1(struct store *s, struct err *e)
{
    return store_exec(s, store_schema_v1, e);
}

static int store_spatial_table(struct store *s, size_t i, int epsg, struct err *e);
static size_t store_spatial_index(const char *table);

/* Version 2 adds the candidates layer (sites where a new resource could
 * open, for `tsunagu suggest`), kept apart from public resources. A
 * database whose CRS is already fixed gets the table now; a new one gets it
 * with the other spatial tables in store_init_srid. */
static int store_migrate_v2(struct store *s, struct err *e)
{
    char buf[32];
    long srid = 0;
    if (store_meta_get(s, "srid", buf, sizeof buf, NULL) != ERR_OK)
        return ERR_OK;
    if (num_long(buf, 0, "the database's srid", 0, INT_MAX, &srid, e) != ERR_OK)
        return ERR_INPUT;
    return store_spatial_table(s, store_spatial_index("candidates"), (int)srid, e);
}

/* Version 3 adds users and the append-only audit log (store_auth.c). */
static int store_migrate_v3(struct store *s, struct err *e)
{
    return store_auth_migrate(s, e);
}

/* Version 4 chains the audit records with SHA-256 and lets only the
 * database assign their ids and times (store_audit.c). */
static int store_migrate_v4(struct store *s, struct err *e)
{
    return store_audit_migrate(s, e);
}

/* Version 5 adds the address reference (store_address.c) and, on the
 * households and resources tables where the CRS is already fixed, the
 * column place_level: NULL for rows placed by coordinates, else the
 * geocoding level ("residence", "block", "town", "municipality"). A new
 * database gets the column in the CREATE TABLE of store_init_srid. */
static int store_migrate_v5(struct store *s, struct err *e)
{
    char buf[32];
    if (store_address_migrate(s, e) != ERR_OK)
        return ERR_IO;
    if (store_meta_get(s, "srid", buf, sizeof buf, NULL) != ERR_OK)
        return ERR_OK;
    static const char *const tables[] = {"households", "resources"};
    for (int i = 0; i < 2; i++) {
        /* A column added once is not added again (a copy rolled back by hand). */
        sqlite3_stmt *st = store_prepare(
            s, "SELECT COUNT(*) FROM pragma_table_info(?1) WHERE name = 'place_level'",
            "reading the schema", e);
        if (st == NULL)
            return ERR_IO;
        sqlite3_bind_text(st, 1, tables[i], -1, SQLITE_STATIC);
        int has = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
        sqlite3_finalize(st);
        char sql[80];
        snprintf(sql, sizeof sql, "ALTER TABLE %s ADD COLUMN place_level TEXT", tables[i]);
        if (!has && store_exec(s, sql, e) != ERR_OK)
            return ERR_IO;
    }
    return ERR_OK;
}

/* Each entry migrates from version i to i + 1, inside one transaction.
 * Version 6 adds visits and the households' closed date (store_visits.c);
 * version 7 chains the audit records' ids as salted commitments (store_audit.c);
 * version 8 is the resource register (store_register.c); version 9 adds
 * household shares and protection (store_shares.c); version 10 the small
 * areas' named indicators (store_indicators.c); version 11 the per-household
 * commissioner flag (store_commissioner.c). */
static int (*const store_migrations[STORE_SCHEMA_VERSION])(struct store *, struct err *) = {
    store_migrate_v1,         store_migrate_v2,          store_migrate_v3,
    store_migrate_v4,         store_migrate_v5,          store_visits_migrate,
    store_audit_migrate_v7,   store_register_migrate,    store_shares_migrate,
    store_indicators_migrate, store_commissioner_migrate};

static int store_user_version(struct store *s)
{
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    return v;
}

/* Migrates the database at `path` (open as s) to STORE_SCHEMA_VERSION in one
 * transaction; a database that holds an older version is first backed up
 * (store_upgrade_backup), and a failed backup leaves it unmigrated. */
static int store_migrate(struct store *s, const char *path, struct err *e)
{
    int v = store_user_version(s);
    if (v < 0)
        return store_fail(s, e, "reading the schema version");
    if (v > STORE_SCHEMA_VERSION)
        return err_set(e, ERR_INPUT,
                       "the database has schema version %d but this tsunagu knows only up to %d; "
                       "use a newer tsunagu",
                       v, STORE_SCHEMA_VERSION);
    if (v == STORE_SCHEMA_VERSION)
        return ERR_OK;
    char saved[4200];
    if (v > 0 && store_upgrade_backup(path, v, saved, sizeof saved, e) != ERR_OK)
        return e->code;
    if (store_exec(s, "BEGIN IMMEDIATE", e) != ERR_OK)
        return ERR_IO;
    v = store_user_version(s); /* another process may have migrated meanwhile */
    int rc = ERR_OK;
    if (v == 0) {
        sqlite3_stmt *st;
        int has = 0;
        if (sqlite3_prepare_v2(s->db, "SELECT CheckSpatialMetaData()", -1, &st, NULL) ==
            SQLITE_OK) {
            if (sqlite3_step(st) == SQLITE_ROW)
                has = sqlite3_column_int(st, 0) > 0;
            sqlite3_finalize(st);
        }
        if (!has)
            rc = store_exec(s, "SELECT InitSpatialMetaData(0, 'NONE')", e);
    }
    for (; rc == ERR_OK && v < STORE_SCHEMA_VERSION; v++)
        rc = store_migrations[v](s, e);
    if (rc == ERR_OK) {
        char sql[48];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", STORE_SCHEMA_VERSION);
        rc = store_exec(s, sql, e);
    }
    if (rc == ERR_OK)
        rc = store_exec(s, "COMMIT", e);
    if (rc != ERR_OK)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

static int store_load_srid(struct store *s)
{
    char buf[32];
    s->srid = 0;
    long srid;
    if (store_meta_get(s, "srid", buf, sizeof buf, NULL) == ERR_OK &&
        num_long(buf, 0, "srid", 0, INT_MAX, &srid, NULL) == ERR_OK)
        s->srid = (int)srid;
    return ERR_OK;
}

static struct store *store_connect(const char *path, int flags, struct err *e)
{
    struct store *s = calloc(1, sizeof *s);
    if (s == NULL)
        return err_nomem(e), NULL;
    if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
        err_set(e, ERR_IO, "cannot open the database %s: %s", path,
                s->db ? sqlite3_errmsg(s->db) : "out of memory");
        store_close(s);
        return NULL;
    }
    s->splite = spatialite_alloc_connection();
    if (s->splite == NULL) {
        err_nomem(e);
        store_close(s);
        return NULL;
    }
    spatialite_init_ex(s->db, s->splite, 0);
    /* GEOS and RTTOPO would print each repaired self-intersection, with its
     * coordinates, on stderr: the importer reports repairs as a count. */
    spatialite_set_silent_mode(s->splite);
    sqlite3_busy_timeout(s->db, 10000);
    return s;
}

struct store *store_open(const char *path, struct err *e)
{
    struct store *s = store_connect(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, e);
    if (s == NULL)
        return NULL;
    char *msg = NULL;
    if (sqlite3_exec(s->db,
                     "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;"
                     "PRAGMA synchronous=NORMAL;",
                     NULL, NULL, &msg) != SQLITE_OK) {
        err_set(e, ERR_IO, "%s is not a usable SQLite database: %s", path,
                msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        store_close(s);
        return NULL;
    }
    if (store_audit_functions(s, e) != ERR_OK || store_migrate(s, path, e) != ERR_OK) {
        err_prefix(e, "%s: ", path);
        store_close(s);
        return NULL;
    }
    store_load_srid(s);
    return s;
}

struct store *store_open_readonly(const char *path, struct err *e)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return err_set(e, ERR_NOTFOUND, "the database %s does not exist; import data first", path),
               NULL;
    struct store *s = store_connect(path, SQLITE_OPEN_READONLY, e);
    if (s == NULL)
        return NULL;
    int v = store_user_version(s);
    if (v != STORE_SCHEMA_VERSION) {
        err_set(e, ERR_INPUT, "%s has schema version %d, this tsunagu reads %d%s", path, v,
                STORE_SCHEMA_VERSION, v < STORE_SCHEMA_VERSION ? "; open it once read-write" : "");
        store_close(s);
        return NULL;
    }
    store_load_srid(s);
    return s;
}

void store_close(struct store *s)
{
    if (s == NULL)
        return;
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(s->stmt[i]);
    if (s->db)
        sqlite3_close(s->db);
    if (s->splite)
        spatialite_cleanup_ex(s->splite);
    free(s);
}

int store_walk_version(struct store *s, unsigned long long *version, struct err *e)
{
    sqlite3_stmt *st = store_stmt(s, ST_WALK_VERSION, e);
    if (st == NULL)
        return ERR_IO;
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW)
        *version = (unsigned long long)sqlite3_column_int64(st, 0);
    sqlite3_reset(st); /* ends the read transaction: the next call sees new imports */
    return src == SQLITE_ROW ? ERR_OK : store_fail(s, e, "reading the import log");
}

void store_busy_timeout(struct store *s, int ms)
{
    sqlite3_busy_timeout(s->db, ms);
}

int store_begin(struct store *s, struct err *e)
{
    return store_exec(s, "BEGIN IMMEDIATE", e);
}

int store_commit(struct store *s, struct err *e)
{
    int rc = store_exec(s, "COMMIT", e);
    if (rc != ERR_OK)
        store_rollback(s);
    return rc;
}

void store_rollback(struct store *s)
{
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    store_load_srid(s);
}

sqlite3 *store_sqlite(struct store *s)
{
    return s->db;
}

int store_srid(const struct store *s)
{
    return s->srid;
}

int store_meta_get(struct store *s, const char *key, char *buf, size_t n, struct err *e)
{
    sqlite3_stmt *st = store_stmt(s, ST_META_GET, e);
    if (st == NULL)
        return ERR_IO;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        snprintf(buf, n, "%s", (const char *)sqlite3_column_text(st, 0));
        sqlite3_reset(st);
        return ERR_OK;
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return err_set(e, ERR_NOTFOUND, "no '%s' recorded in the database", key);
    return store_fail(s, e, "reading metadata");
}

int store_meta_set(struct store *s, const char *key, const char *value, struct err *e)
{
    sqlite3_stmt *st = store_stmt(s, ST_META_SET, e);
    if (st == NULL)
        return ERR_IO;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    return store_step_done(s, st, "writing metadata", e);
}

/* Spatial tables, created with the database SRID substituted for %d. */
static const struct {
    const char *table;    /* table name */
    const char *create;   /* CREATE TABLE statement */
    const char *geometry; /* geometry type of column geom */
} store_spatial[] = {
    {"districts",
     "CREATE TABLE districts(id INTEGER PRIMARY KEY, level TEXT NOT NULL REFERENCES levels(name),"
     " code TEXT NOT NULL, name TEXT NOT NULL, municipality TEXT, operator TEXT, address TEXT,"
     " source TEXT NOT NULL, UNIQUE(level, code))",
     "MULTIPOLYGON"},
    {"resources",
     "CREATE TABLE resources(id INTEGER PRIMARY KEY, ext_id TEXT, name TEXT NOT NULL,"
     " kind TEXT NOT NULL, fields TEXT NOT NULL, field_mask INTEGER NOT NULL, hub_type TEXT,"
     " address TEXT, schedule TEXT, contact TEXT, operator TEXT, target TEXT,"
     " source TEXT NOT NULL, place_level TEXT)",
     "POINT"},
    {"households",
     "CREATE TABLE households(id INTEGER PRIMARY KEY, ext_id TEXT NOT NULL UNIQUE,"
     " members INTEGER NOT NULL CHECK(members >= 1), needs TEXT NOT NULL,"
     " consent INTEGER NOT NULL, agency TEXT, source TEXT NOT NULL, place_level TEXT,"
     " closed TEXT, protected INTEGER NOT NULL DEFAULT 0 CHECK(protected IN (0, 1)))",
     "POINT"},
    {"areas",
     "CREATE TABLE areas(id INTEGER PRIMARY KEY, code TEXT, name TEXT,"
     " residents INTEGER NOT NULL CHECK(residents >= 0), households INTEGER,"
     " source TEXT NOT NULL)",
     "MULTIPOLYGON"},
    {"net_nodes", "CREATE TABLE net_nodes(id INTEGER PRIMARY KEY)", "POINT"},
    {"candidates",
     "CREATE TABLE candidates(id INTEGER PRIMARY KEY, ext_id TEXT, name TEXT NOT NULL,"
     " kind_hint TEXT, source TEXT NOT NULL)",
     "POINT"},
    {"net_edges",
     "CREATE TABLE net_edges(id INTEGER PRIMARY KEY, source INTEGER NOT NULL,"
     " target INTEGER NOT NULL, length_m REAL NOT NULL CHECK(length_m >= 0), highway TEXT,"
     " name TEXT, flags INTEGER NOT NULL DEFAULT 0)",
     "LINESTRING"},
};

#define STORE_NSPATIAL (sizeof store_spatial / sizeof store_spatial[0])

static size_t store_spatial_index(const char *table)
{
    size_t i = 0;
    while (i < STORE_NSPATIAL && strcmp(store_spatial[i].table, table) != 0)
        i++;
    return i;
}

/* Creates spatial table i with its registered geometry column and R*Tree. */
static int store_spatial_table(struct store *s, size_t i, int epsg, struct err *e)
{
    if (i >= STORE_NSPATIAL)
        return err_set(e, ERR_INTERNAL, "unknown spatial table");
    if (store_exec(s, store_spatial[i].create, e) != ERR_OK)
        return ERR_IO;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT AddGeometryColumn(?1, 'geom', ?2, ?3, 'XY', 1),"
                           " CreateSpatialIndex(?1, 'geom')",
                           -1, &st, NULL) != SQLITE_OK)
        return store_fail(s, e, "registering geometry columns");
    sqlite3_bind_text(st, 1, store_spatial[i].table, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, epsg);
    sqlite3_bind_text(st, 3, store_spatial[i].geometry, -1, SQLITE_STATIC);
    int ok = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 1 &&
             sqlite3_column_int(st, 1) == 1;
    sqlite3_finalize(st);
    if (!ok)
        return err_set(e, ERR_IO, "cannot register the geometry column of %s",
                       store_spatial[i].table);
    return ERR_OK;
}

int store_init_srid(struct store *s, int epsg, const char *crs_name, struct err *e)
{
    if (s->srid == epsg)
        return ERR_OK;
    if (s->srid != 0)
        return err_set(e, ERR_INPUT, "the database already uses EPSG:%d, not EPSG:%d", s->srid,
                       epsg);
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT InsertEpsgSrid(%d), InsertEpsgSrid(4326)", epsg);
    if (store_exec(s, sql, e) != ERR_OK)
        return ERR_IO;
    for (size_t i = 0; i < STORE_NSPATIAL; i++)
        if (store_spatial_table(s, i, epsg, e) != ERR_OK)
            return ERR_IO;
    if (store_exec(s,
                   "CREATE INDEX districts_level ON districts(level);"
                   "CREATE INDEX resources_kind ON resources(kind);"
                   "CREATE INDEX resources_source ON resources(source);"
                   "CREATE INDEX households_source ON households(source);"
                   "CREATE INDEX areas_source ON areas(source);"
                   "CREATE INDEX candidates_source ON candidates(source);",
                   e) != ERR_OK ||
        store_register_columns(s, e) != ERR_OK)
        return ERR_IO;
    char v[16];
    snprintf(v, sizeof v, "%d", epsg);
    if (store_meta_set(s, "srid", v, e) != ERR_OK || store_meta_set(s, "crs_name", crs_name, e))
        return ERR_IO;
    s->srid = epsg;
    return ERR_OK;
}

int store_level_ensure(struct store *s, const char *level, const char *label, struct err *e)
{
    sqlite3_stmt *st = store_stmt(s, ST_LEVEL_ENSURE, e);
    if (st == NULL)
        return ERR_IO;
    store_bind_text(st, 1, level);
    store_bind_text(st, 2, label ? label : level);
    return store_step_done(s, st, "adding a district level", e);
}

int store_level_exists(struct store *s, const char *level)
{
    sqlite3_stmt *st = store_stmt(s, ST_LEVEL_EXISTS, NULL);
    if (st == NULL)
        return 0;
    store_bind_text(st, 1, level);
    int found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return found;
}

static int store_delete_source(struct store *s, enum store_stmt id, const char *a, const char *b,
                               struct err *e)
{
    sqlite3_stmt *st = store_stmt(s, id, e);
    if (st == NULL)
        return ERR_IO;
    store_bind_text(st, 1, a);
    if (b)
        store_bind_text(st, 2, b);
    return store_step_done(s, st, "replacing earlier rows of the same source", e);
}

int store_districts_delete_source(struct store *s, const char *level, const char *source,
                                  struct err *e)
{
    return store_delete_source(s, ST_DISTRICT_DEL, level, source, e);
}

int store_resources_delete_source(struct store *s, const char *source, struct err *e)
{
    return store_delete_source(s, ST_RESOURCE_DEL, source, NULL, e);
}

int store_households_delete_source(struct store *s, const char *source, struct err *e)
{
    return store_delete_source(s, ST_HOUSEHOLD_DEL, source, NULL, e);
}

int store_areas_delete_source(struct store *s, const char *source, struct err *e)
{
    return store_delete_source(s, ST_AREA_DEL, source, NULL, e);
}

int store_candidates_delete_source(struct store *s, const char *source, struct err *e)
{
    return store_delete_source(s, ST_CANDIDATE_DEL, source, NULL, e);
}

int store_candidate_insert(struct store *s, const struct store_candidate *c,
                           const unsigned char *wkb, size_t len, struct err *e)
{
    sqlite3_stmt *st = store_stmt(s, ST_CANDIDATE_INS, e);
    if (st == NULL)
        return ERR_IO;
    store_bind_text(st, 1, c->ext_id);
    store_bind_text(st, 2, c->name);
    store_bind_text(st, 3, c->kind_hint);
    store_bind_text(st, 4, c->source);
    sqlite3_bind_blob(st, 5, wkb, (int)len, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, s->srid);
    return store_step_done(s, st, "the candidate site has no valid point geometry", e);
}

int store_candidates_each(struct store *s,
                          int (*fn)(void *ctx, const struct store_candidate_row *c), void *ctx,
                          struct err *e)
{
    if (s->srid == 0)
        return ERR_OK;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id, ext_id, name, kind_hint, X(geom), Y(geom)"
                           " FROM candidates ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        return store_fail(s, e, "reading candidate sites");
    int rc = ERR_OK;
    while (rc == ERR_OK && sqlite3_step(st) == SQLITE_ROW) {
        struct store_candidate_row c = {
            .id = (long)sqlite3_column_int64(st, 0),
            .ext_id = (const char *)sqlite3_column_text(st, 1),
            .name = (const char *)sqlite3_column_text(st, 2),
            .kind_hint = (const char *)sqlite3_column_text(st, 3),
            .x = sqlite3_column_double(st, 4),
            .y = sqlite3_column_double(st, 5),
        };
        rc = fn(ctx, &c);
    }
    sqlite3_finalize(st);
    return rc;
}

/* Counts wkb (in the database SRID) in s->repaired when it is not a valid
 * geometry, i.e. when the insert that follows repairs it with ST_MakeValid. */
static int store_count_repair(struct store *s, const unsigned char *wkb, size_t len, struct err *e)
{
    sqlite3_stmt *st = store_stmt(s, ST_GEOM_VALID, e);
    if (st == NULL)
        return ERR_IO;
    sqlite3_bind_blob(st, 1, wkb, (int)len, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, s->srid);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_int(st, 0) != 1)
        s->repaired++;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? ERR_OK : store_fail(s, e, "checking a polygon");
}

long store_repaired(const struct store *s)
{
    return s->repaired;
}

int store_district_insert(struct store *s, const struct store_district *d, const unsigned char *wkb,
                          size_t len, struct err *e)
{
    if (store_count_repair(s, wkb, len, e) != ERR_OK)
        return ERR_IO;
    sqlite3_stmt *st = store_stmt(s, ST_DISTRICT_INS, e);
    if (st == NULL)
        return ERR_IO;
    store_bind_text(st, 1, d->level);
    store_bind_text(st, 2, d->code);
    store_bind_text(st, 3, d->name);
    store_bind_text(st, 4, d->municipality);
    store_bind_text(st, 5, d->operator_);
    store_bind_text(st, 6, d->address);
    store_bind_text(st, 7, d->source);
    sqlite3_bind_blob(st, 8, wkb, (int)len, SQLITE_STATIC);
    sqlite3_bind_int(st, 9, s->srid);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return ERR_OK;
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        if (strstr(sqlite3_errmsg(s->db), "UNIQUE"))
            return err_set(e, ERR_INPUT, "district code '%s' appears twice in level %s", d->code,
                           d->level);
        return err_set(e, ERR_INPUT, "district '%s' has no valid polygon area", d->name);
    }
    return store_fail(s, e, "inserting a district");
}

int store_resource_insert(struct store *s, const struct store_resource *r, const unsigned char *wkb,
                          size_t len, struct err *e)
{
    sqlite3_stmt *st = store_stmt(s, ST_RESOURCE_INS, e);
    if (st == NULL)
        return ERR_IO;
    const char *t[] = {r->ext_id,  r->name,     r->kind,    r->fields,    NULL,      r->hub_type,
                       r->address, r->schedule, r->contact, r->operator_, r->target, r->source};
    for (int i = 0; i < 12; i++)
        if (i != 4)
            store_bind_text(st, i + 1, t[i]);
    sqlite3_bind_int(st, 5, r->field_mask);
    sqlite3_bind_blob(st, 13, wkb, (int)len, SQLITE_STATIC);
    sqlite3_bind_int(st, 14, s->srid);
    store_bind_text(st, 15, r->place_level);
    const char *more[] = {r->url, r->languages, r->barrier_free, r->cost, r->notes};
    for (int i = 0; i < 5; i++)
        store_bind_text(st, 16 + i, more[i]);
    if (store_step_done(s, st, "the resource has no valid point geometry", e) != ERR_OK)
        return e->code;
    /* An id the file did not give, or another resource holds: "res-N". */
    sqlite3_stmt *q = store_prepare(s, "SELECT rid IS NULL FROM resources WHERE id = ?1",
                                    "giving a resource its id", e);
    if (q == NULL)
        return ERR_IO;
    long long row = sqlite3_last_insert_rowid(s->db);
    sqlite3_bind_int64(q, 1, row);
    int missing = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    char made[64];
    return missing ? store_register_fix_rid(s, row, made, sizeof made, e) : ERR_OK;
}

int store_household_insert(struct store *s, const struct store_household *h,
                           const unsigned char *wkb, size_t len, struct err *e)
{
    sqlite3_stmt *st = store_stmt(s, ST_HOUSEHOLD_INS, e);
    if (st == NULL)
        return ERR_IO;
    store_bind_text(st, 1, h->ext_id);
    sqlite3_bind_int(st, 2, h->members);
    store_bind_text(st, 3, h->needs);
    sqlite3_bind_int(st, 4, h->consent);
    store_bind_text(st, 5, h->agency);
    store_bind_text(st, 6, h->source);
    sqlite3_bind_blob(st, 7, wkb, (int)len, SQLITE_STATIC);
    sqlite3_bind_int(st, 8, s->srid);
    store_bind_text(st, 9, h->place_level);
    sqlite3_bind_int(st, 10, h->protected_ != 0);
    /* The sentence names no household data: only the kind of problem. */
    return store_step_done(s, st,
                           "the household id repeats an id already stored, or its values are "
                           "out of range",
                           e);
}

int store_area_insert(struct store *s, const struct store_area *a, const unsigned char *wkb,
                      size_t len, struct err *e)
{
    if (store_count_repair(s, wkb, len, e) != ERR_OK)
        return ERR_IO;
    sqlite3_stmt *st = store_stmt(s, ST_AREA_INS, e);
    if (st == NULL)
        return ERR_IO;
    store_bind_text(st, 1, a->code);
    store_bind_text(st, 2, a->name);
    sqlite3_bind_int64(st, 3, a->residents);
    if (a->households >= 0)
        sqlite3_bind_int64(st, 4, a->households);
    else
        sqlite3_bind_null(st, 4);
    store_bind_text(st, 5, a->source);
    sqlite3_bind_blob(st, 6, wkb, (int)len, SQLITE_STATIC);
    sqlite3_bind_int(st, 7, s->srid);
    return store_step_done(s, st, "the small area has no valid polygon area", e);
}

int store_network_clear(struct store *s, struct err *e)
{
    return store_exec(s, "DELETE FROM net_edges; DELETE FROM net_nodes;", e);
}

int store_node_insert(struct store *s, long id, double x, double y, struct err *e)
{
    sqlite3_stmt *st = store_stmt(s, ST_NODE_INS, e);
    if (st == NULL)
        return ERR_IO;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_double(st, 2, x);
    sqlite3_bind_double(st, 3, y);
    sqlite3_bind_int(st, 4, s->srid);
    return store_step_done(s, st, "inserting a network node", e);
}

int store_edge_insert(struct store *s, const struct store_edge *ed, const unsigned char *wkb,
                      size_t len, struct err *e)
{
    sqlite3_stmt *st = store_stmt(s, ST_EDGE_INS, e);
    if (st == NULL)
        return ERR_IO;
    sqlite3_bind_int64(st, 1, ed->source);
    sqlite3_bind_int64(st, 2, ed->target);
    sqlite3_bind_double(st, 3, ed->length_m);
    store_bind_text(st, 4, ed->highway);
    store_bind_text(st, 5, ed->name);
    sqlite3_bind_int(st, 6, ed->flags);
    sqlite3_bind_blob(st, 7, wkb, (int)len, SQLITE_STATIC);
    sqlite3_bind_int(st, 8, s->srid);
    return store_step_done(s, st, "a network edge has no valid line geometry", e);
}

int store_import_log(struct store *s, const char *kind, const char *source, const char *file,
                     long features, struct err *e)
{
    sqlite3_stmt *st = store_stmt(s, ST_IMPORT_LOG, e);
    if (st == NULL)
        return ERR_IO;
    /* A file name is bytes (an archive unpacked from CP932 keeps them):
     * its bytes that are not UTF-8 are logged as '?'. */
    char *clean = file ? strdup(file) : NULL;
    if (file && clean == NULL)
        return err_nomem(e);
    if (clean)
        utf8_sanitize(clean, 0);
    store_bind_text(st, 1, kind);
    store_bind_text(st, 2, source);
    store_bind_text(st, 3, clean);
    sqlite3_bind_int64(st, 4, features);
    int rc = store_step_done(s, st, "logging the import", e);
    free(clean);
    return rc;
}

int store_fingerprint(struct store *s, unsigned long long *digest, struct err *e)
{
    uint64_t h = HASH_FNV_SEED;
    sqlite3_stmt *tables;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT name FROM sqlite_master WHERE type = 'table'"
                           " AND sql NOT LIKE 'CREATE VIRTUAL%' AND name NOT LIKE 'sqlite_%'"
                           " ORDER BY name",
                           -1, &tables, NULL) != SQLITE_OK)
        return store_fail(s, e, "listing tables");
    int rc = ERR_OK;
    while (rc == ERR_OK && sqlite3_step(tables) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(tables, 0);
        h = hash_fnv(h, name, strlen(name) + 1);
        /* The name comes from sqlite_master, not from a user; quoted as an
         * identifier because statements cannot bind table names. */
        char *sql = sqlite3_mprintf("SELECT * FROM \"%w\" ORDER BY rowid", name);
        sqlite3_stmt *rows;
        if (sql == NULL) {
            rc = err_nomem(e);
            break;
        }
        if (sqlite3_prepare_v2(s->db, sql, -1, &rows, NULL) != SQLITE_OK) {
            /* WITHOUT ROWID tables: fall back to the natural order. */
            sqlite3_free(sql);
            sql = sqlite3_mprintf("SELECT * FROM \"%w\" ORDER BY 1", name);
            if (sql == NULL || sqlite3_prepare_v2(s->db, sql, -1, &rows, NULL) != SQLITE_OK) {
                sqlite3_free(sql);
                rc = store_fail(s, e, "reading a table for its fingerprint");
                break;
            }
        }
        sqlite3_free(sql);
        while (sqlite3_step(rows) == SQLITE_ROW) {
            int n = sqlite3_column_count(rows);
            for (int i = 0; i < n; i++) {
                int t = sqlite3_column_type(rows, i);
                h = hash_fnv(h, &t, sizeof t);
                const void *blob = sqlite3_column_blob(rows, i);
                int len = sqlite3_column_bytes(rows, i);
                if (blob && len > 0)
                    h = hash_fnv(h, blob, (size_t)len);
            }
        }
        sqlite3_finalize(rows);
    }
    sqlite3_finalize(tables);
    *digest = h;
    return rc;
}

/* Copies the WKB of a LineString into a growable x,y array. */
struct store_xy {
    double *xy;
    size_t n, cap;
};

static int store_xy_take(void *ctx, int kind, double *xy, size_t n)
{
    struct store_xy *out = ctx;
    if (kind != WKB_SEQ_LINE)
        return ERR_INPUT;
    if (n > SIZE_MAX / 2 ||
        vec_reserve((void **)&out->xy, &out->cap, 2 * n, sizeof *out->xy) != ERR_OK)
        return ERR_NOMEM;
    memcpy(out->xy, xy, 2 * n * sizeof *xy);
    out->n = n;
    return ERR_OK;
}

/* Decodes a LineString WKB (from ST_AsBinary) into out, via the WKB walker. */
static int store_read_line(const unsigned char *b, int len, struct store_xy *out)
{
    struct wkb_info wi;
    if (b == NULL || len <= 0 || wkb_inspect(b, (size_t)len, &wi, NULL) != ERR_OK ||
        wi.type != WKB_LINESTRING)
        return ERR_INPUT;
    return wkb_visit(b, (size_t)len, store_xy_take, out, NULL);
}

int store_network_load(struct store *s, const struct store_net_cb *cb, struct err *e)
{
    if (s->srid == 0)
        return ERR_OK;
    sqlite3_stmt *st;
    int rc = ERR_OK;
    if (sqlite3_prepare_v2(s->db, "SELECT id, X(geom), Y(geom) FROM net_nodes ORDER BY id", -1, &st,
                           NULL) != SQLITE_OK)
        return store_fail(s, e, "reading network nodes");
    while (rc == ERR_OK && sqlite3_step(st) == SQLITE_ROW)
        rc = cb->node(cb->ctx, (long)sqlite3_column_int64(st, 0), sqlite3_column_double(st, 1),
                      sqlite3_column_double(st, 2));
    sqlite3_finalize(st);
    if (rc != ERR_OK)
        return rc;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id, source, target, length_m, flags, ST_AsBinary(geom)"
                           " FROM net_edges ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        return store_fail(s, e, "reading network edges");
    struct store_xy xy = {0};
    while (rc == ERR_OK && sqlite3_step(st) == SQLITE_ROW) {
        int r = store_read_line(sqlite3_column_blob(st, 5), sqlite3_column_bytes(st, 5), &xy);
        if (r != ERR_OK) {
            rc = r == ERR_NOMEM ? err_nomem(e)
                                : err_set(e, ERR_IO, "network edge %lld has a damaged geometry",
                                          (long long)sqlite3_column_int64(st, 0));
            break;
        }
        rc = cb->edge(cb->ctx, (long)sqlite3_column_int64(st, 0), (long)sqlite3_column_int64(st, 1),
                      (long)sqlite3_column_int64(st, 2), sqlite3_column_double(st, 3),
                      sqlite3_column_int(st, 4), xy.xy, xy.n);
    }
    sqlite3_finalize(st);
    free(xy.xy);
    return rc;
}

static const char *store_col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

int store_resources_each(struct store *s, int (*fn)(void *ctx, const struct store_resource_row *r),
                         void *ctx, struct err *e)
{
    if (s->srid == 0)
        return ERR_OK;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id, ext_id, name, kind, fields, field_mask, hub_type, address,"
                           " schedule, contact, operator, target, X(geom), Y(geom), rid, url,"
                           " languages, barrier_free, cost, notes"
                           " FROM resources WHERE retired IS NULL ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        return store_fail(s, e, "reading resources");
    int rc = ERR_OK;
    while (rc == ERR_OK && sqlite3_step(st) == SQLITE_ROW) {
        struct store_resource_row r = {
            .id = (long)sqlite3_column_int64(st, 0),
            .ext_id = store_col_text(st, 1),
            .name = store_col_text(st, 2),
            .kind = store_col_text(st, 3),
            .fields = store_col_text(st, 4),
            .field_mask = sqlite3_column_int(st, 5),
            .hub_type = store_col_text(st, 6),
            .address = store_col_text(st, 7),
            .schedule = store_col_text(st, 8),
            .contact = store_col_text(st, 9),
            .operator_ = store_col_text(st, 10),
            .target = store_col_text(st, 11),
            .x = sqlite3_column_double(st, 12),
            .y = sqlite3_column_double(st, 13),
            .rid = store_col_text(st, 14),
            .url = store_col_text(st, 15),
            .languages = store_col_text(st, 16),
            .barrier_free = store_col_text(st, 17),
            .cost = store_col_text(st, 18),
            .notes = store_col_text(st, 19),
        };
        rc = fn(ctx, &r);
    }
    sqlite3_finalize(st);
    return rc;
}

static long store_count(struct store *s, const char *sql)
{
    sqlite3_stmt *st;
    long n = 0;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return 0;
    if (sqlite3_step(st) == SQLITE_ROW)
        n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

int store_summary(struct store *s, struct store_summary *sum, struct err *e)
{
    memset(sum, 0, sizeof *sum);
    sum->srid = s->srid;
    if (s->srid == 0)
        return ERR_OK;
    sum->districts = store_count(s, "SELECT COUNT(*) FROM districts");
    sum->resources = store_count(s, "SELECT COUNT(*) FROM resources WHERE retired IS NULL");
    sum->households = store_count(s, "SELECT COUNT(*) FROM households");
    sum->areas = store_count(s, "SELECT COUNT(*) FROM areas");
    sum->nodes = store_count(s, "SELECT COUNT(*) FROM net_nodes");
    sum->edges = store_count(s, "SELECT COUNT(*) FROM net_edges");
    sum->network_km = (double)store_count(s, "SELECT CAST(TOTAL(length_m) AS INTEGER)"
                                             " FROM net_edges") /
                      1000.0;
    return ERR_OK;
}

int store_levels_each(struct store *s,
                      void (*fn)(void *ctx, const char *level, const char *label, long count),
                      void *ctx, struct err *e)
{
    sqlite3_stmt *st;
    const char *sql = s->srid ? "SELECT l.name, l.label, (SELECT COUNT(*) FROM districts d"
                                " WHERE d.level = l.name) FROM levels l ORDER BY l.rank"
                              : "SELECT name, label, 0 FROM levels ORDER BY rank";
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return store_fail(s, e, "listing district levels");
    while (sqlite3_step(st) == SQLITE_ROW)
        fn(ctx, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
           (long)sqlite3_column_int64(st, 2));
    sqlite3_finalize(st);
    return ERR_OK;
}
