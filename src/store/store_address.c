/* SPDX-License-Identifier: MIT */
/* store_address.c - the SQL of the address reference table (see
 * store_address.h): its schema (version 4), writes by the importer, and
 * the reads of the geocoder, which loads the towns once and asks for
 * blocks and residence numbers through one indexed, prepared lookup. */
#include "store_address.h"
#include "store_private.h"

#include <stdlib.h>

int store_address_migrate(struct store *s, struct err *e)
{
    char *msg = NULL;
    int rc = sqlite3_exec(store_sqlite(s),
                          "CREATE TABLE IF NOT EXISTS address_refs(id INTEGER PRIMARY KEY,"
                          " source TEXT NOT NULL,"
                          " level TEXT NOT NULL CHECK(level IN ('town', 'block', 'residence')),"
                          " pref TEXT NOT NULL, muni TEXT NOT NULL, muni_code TEXT NOT NULL,"
                          " town TEXT NOT NULL, koaza TEXT NOT NULL, town_key TEXT NOT NULL,"
                          " block TEXT NOT NULL, residence TEXT NOT NULL,"
                          " lon REAL NOT NULL CHECK(lon BETWEEN -180 AND 180),"
                          " lat REAL NOT NULL CHECK(lat BETWEEN -90 AND 90));"
                          "CREATE INDEX IF NOT EXISTS address_refs_key"
                          " ON address_refs(muni, town_key, block, residence);"
                          "CREATE INDEX IF NOT EXISTS address_refs_source ON address_refs(source);",
                          NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        err_set(e, ERR_IO, "database error while creating the address table: %s",
                msg ? msg : "unknown");
        sqlite3_free(msg);
        return ERR_IO;
    }
    return ERR_OK;
}

int store_addresses_delete_source(struct store *s, const char *source, struct err *e)
{
    sqlite3_stmt *st =
        store_prepare(s, "DELETE FROM address_refs WHERE source = ?1", "deleting address rows", e);
    if (st == NULL)
        return ERR_IO;
    sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
    return store_finish(s, st, sqlite3_step(st), ERR_OK, "deleting address rows", e);
}

struct store_address_writer {
    struct store *s;   /* borrowed */
    sqlite3_stmt *ins; /* owned */
};

struct store_address_writer *store_address_writer_open(struct store *s, struct err *e)
{
    struct store_address_writer *w = calloc(1, sizeof *w);
    if (w == NULL)
        return err_nomem(e), NULL;
    w->s = s;
    w->ins = store_prepare(
        s,
        "INSERT INTO address_refs(source, level, pref, muni, muni_code, town, koaza, town_key,"
        " block, residence, lon, lat) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        "preparing the address insert", e);
    if (w->ins == NULL) {
        free(w);
        return NULL;
    }
    return w;
}

void store_address_writer_close(struct store_address_writer *w)
{
    if (w == NULL)
        return;
    sqlite3_finalize(w->ins);
    free(w);
}

int store_address_insert(struct store_address_writer *w, const struct store_address_row *r,
                         struct err *e)
{
    sqlite3_stmt *st = w->ins;
    const char *t[] = {r->source, r->level, r->pref,     r->muni,  r->muni_code,
                       r->town,   r->koaza, r->town_key, r->block, r->residence};
    for (int i = 0; i < 10; i++)
        sqlite3_bind_text(st, i + 1, t[i] ? t[i] : "", -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 11, r->lon);
    sqlite3_bind_double(st, 12, r->lat);
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        return store_fail(w->s, e, "inserting an address row");
    return ERR_OK;
}

int store_address_towns(struct store *s, int (*fn)(void *ctx, const struct store_address_town *t),
                        void *ctx, struct err *e)
{
    sqlite3_stmt *st =
        store_prepare(s,
                      "SELECT MAX(pref), muni, MAX(muni_code), town_key,"
                      " COALESCE(AVG(CASE WHEN level = 'town' THEN lon END), AVG(lon)),"
                      " COALESCE(AVG(CASE WHEN level = 'town' THEN lat END), AVG(lat)),"
                      " MAX(level = 'block'), MAX(level = 'residence'), MAX(level = 'town')"
                      " FROM address_refs GROUP BY muni, town_key ORDER BY muni, town_key",
                      "reading the address towns", e);
    if (st == NULL)
        return ERR_IO;
    int rc = ERR_OK, step;
    while (rc == ERR_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_address_town t = {(const char *)sqlite3_column_text(st, 0),
                                       (const char *)sqlite3_column_text(st, 1),
                                       (const char *)sqlite3_column_text(st, 2),
                                       (const char *)sqlite3_column_text(st, 3),
                                       sqlite3_column_double(st, 4),
                                       sqlite3_column_double(st, 5),
                                       sqlite3_column_int(st, 6),
                                       sqlite3_column_int(st, 7),
                                       sqlite3_column_int(st, 8)};
        if (t.pref == NULL || t.muni == NULL || t.muni_code == NULL || t.town_key == NULL)
            rc = err_nomem(e);
        else
            rc = fn(ctx, &t);
    }
    if (rc != ERR_OK) {
        sqlite3_finalize(st);
        return rc;
    }
    return store_finish(s, st, step, rc, "reading the address towns", e);
}

long store_address_count(struct store *s)
{
    sqlite3_stmt *st = store_prepare(s, "SELECT COUNT(*) FROM address_refs", "counting", NULL);
    if (st == NULL)
        return -1;
    long n = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
}

struct store_address_lookup {
    struct store *s;    /* borrowed */
    sqlite3_stmt *find; /* owned */
};

struct store_address_lookup *store_address_lookup_open(struct store *s, struct err *e)
{
    struct store_address_lookup *l = calloc(1, sizeof *l);
    if (l == NULL)
        return err_nomem(e), NULL;
    l->s = s;
    l->find = store_prepare(s,
                            "SELECT AVG(lon), AVG(lat), COUNT(*) FROM address_refs"
                            " WHERE muni = ?1 AND town_key = ?2 AND block = ?3"
                            " AND residence = ?4 AND level = CASE WHEN ?4 = '' THEN 'block'"
                            " ELSE 'residence' END",
                            "preparing the address lookup", e);
    if (l->find == NULL) {
        free(l);
        return NULL;
    }
    return l;
}

void store_address_lookup_close(struct store_address_lookup *l)
{
    if (l == NULL)
        return;
    sqlite3_finalize(l->find);
    free(l);
}

int store_address_lookup_find(struct store_address_lookup *l, const char *muni,
                              const char *town_key, const char *block, const char *residence,
                              double *lon, double *lat, struct err *e)
{
    sqlite3_stmt *st = l->find;
    sqlite3_bind_text(st, 1, muni, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, town_key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, block, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, residence, -1, SQLITE_STATIC);
    int found = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        found = sqlite3_column_int(st, 2) > 0;
        if (found) {
            *lon = sqlite3_column_double(st, 0);
            *lat = sqlite3_column_double(st, 1);
        }
    } else {
        store_fail(l->s, e, "looking up an address");
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return found;
}
