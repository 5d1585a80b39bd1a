/* SPDX-License-Identifier: MIT */
/* store_register.c - the resource register's SQL (see store_register.h):
 * schema version 8 (stable ids, versions, retirement, the new fields and
 * the append-only history), records read and written as JSON objects, the
 * history, and the bookkeeping of `import resources --merge`.
 *
 * Entry points: store_register_migrate, store_register_columns,
 * store_register_fix_rid (private, store_private.h), store_register_get, store_register_create,
 * store_register_update, store_register_history, store_register_each,
 * store_register_districts, store_register_from_row, store_register_seen,
 * store_register_retire_unseen. */
#include "store_register.h"

#include "store_private.h"
#include "vocab.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Text members of a record, in the order of the resources columns below. */
static const char *const store_register_texts[] = {
    "name",     "kind",   "fields", "hub_type",  "address",      "schedule", "contact",
    "operator", "target", "url",    "languages", "barrier_free", "cost",     "notes"};
#define SR_NTEXT (sizeof store_register_texts / sizeof store_register_texts[0])

/* Columns added to resources by version 8, with their SQL types. */
static const char *const store_register_new_cols[][2] = {{"rid", "TEXT"},
                                                         {"url", "TEXT"},
                                                         {"languages", "TEXT"},
                                                         {"barrier_free", "TEXT"},
                                                         {"cost", "TEXT"},
                                                         {"notes", "TEXT"},
                                                         {"version", "INTEGER NOT NULL DEFAULT 1"},
                                                         {"retired", "TEXT"},
                                                         {"updated_at", "TEXT"}};

static const char store_register_history_sql[] =
    "CREATE TABLE IF NOT EXISTS resource_history(id INTEGER PRIMARY KEY, rid TEXT NOT NULL,"
    " version INTEGER NOT NULL, at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
    " who TEXT NOT NULL, action TEXT NOT NULL, fields TEXT NOT NULL, before TEXT, after TEXT);"
    "CREATE INDEX IF NOT EXISTS resource_history_rid ON resource_history(rid);"
    "CREATE TRIGGER IF NOT EXISTS resource_history_no_update BEFORE UPDATE ON resource_history"
    " BEGIN SELECT RAISE(ABORT, 'the resource history is append-only'); END;"
    "CREATE TRIGGER IF NOT EXISTS resource_history_no_delete BEFORE DELETE ON resource_history"
    " BEGIN SELECT RAISE(ABORT, 'the resource history is append-only'); END;";

static int store_register_exec(struct store *s, const char *sql, struct err *e)
{
    char *msg = NULL;
    if (sqlite3_exec(store_sqlite(s), sql, NULL, NULL, &msg) != SQLITE_OK) {
        err_set(e, ERR_IO, "database error: %s", msg ? msg : sqlite3_errmsg(store_sqlite(s)));
        sqlite3_free(msg);
        return ERR_IO;
    }
    return ERR_OK;
}

int store_register_columns(struct store *s, struct err *e)
{
    for (size_t i = 0; i < sizeof store_register_new_cols / sizeof store_register_new_cols[0];
         i++) {
        sqlite3_stmt *st =
            store_prepare(s, "SELECT COUNT(*) FROM pragma_table_info('resources') WHERE name = ?1",
                          "reading the schema", e);
        if (st == NULL)
            return ERR_IO;
        sqlite3_bind_text(st, 1, store_register_new_cols[i][0], -1, SQLITE_STATIC);
        int has = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
        sqlite3_finalize(st);
        char sql[128];
        snprintf(sql, sizeof sql, "ALTER TABLE resources ADD COLUMN %s %s",
                 store_register_new_cols[i][0], store_register_new_cols[i][1]);
        if (!has && store_register_exec(s, sql, e) != ERR_OK)
            return ERR_IO;
    }
    /* Rows kept from before: the file's id where it is the first holder,
     * else one made from the row id. */
    return store_register_exec(
        s,
        "UPDATE resources SET rid = ext_id WHERE rid IS NULL AND ext_id IS NOT NULL AND id ="
        " (SELECT MIN(r.id) FROM resources r WHERE r.ext_id = resources.ext_id);"
        "UPDATE resources SET rid = 'res-' || id WHERE rid IS NULL;"
        "CREATE UNIQUE INDEX IF NOT EXISTS resources_rid ON resources(rid);"
        "CREATE INDEX IF NOT EXISTS resources_retired ON resources(retired);",
        e);
}

/* The users table again with the role `editor` allowed (SQLite cannot
 * change a CHECK in place): same columns, same rows. */
static const char store_register_users_sql[] =
    "CREATE TABLE users_v6(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    " role TEXT NOT NULL CHECK(role IN ('admin', 'coordinator', 'outreach', 'official',"
    " 'editor')),"
    " agency TEXT, district_level TEXT, district_code TEXT,"
    " token_hash BLOB NOT NULL UNIQUE CHECK(length(token_hash) = 32),"
    " created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
    " revoked_at TEXT);"
    "INSERT INTO users_v6 SELECT id, name, role, agency, district_level, district_code,"
    " token_hash, created_at, revoked_at FROM users;"
    "DROP TABLE users;"
    "ALTER TABLE users_v6 RENAME TO users;";

int store_register_migrate(struct store *s, struct err *e)
{
    if (store_register_exec(s, store_register_history_sql, e) != ERR_OK ||
        store_register_exec(s, store_register_users_sql, e) != ERR_OK)
        return ERR_IO;
    sqlite3_stmt *st = store_prepare(s, "SELECT COUNT(*) FROM pragma_table_info('resources')",
                                     "reading the schema", e);
    if (st == NULL)
        return ERR_IO;
    int has = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
    sqlite3_finalize(st);
    return has ? store_register_columns(s, e) : ERR_OK; /* else store_init_srid adds them */
}

/* lon/lat kept to 7 decimals (about 1 cm), as every answer gives them. */
static double store_register_round(double v)
{
    return round(v * 1e7) / 1e7;
}

#define SR_COLS                                                                                    \
    "rid, name, kind, fields, hub_type, address, schedule, contact, operator, target, url, "       \
    "languages, barrier_free, cost, notes, X(ST_Transform(geom, 4326)), "                          \
    "Y(ST_Transform(geom, 4326)), version, retired, updated_at, source"

/* The record of the current row of st (columns SR_COLS); NULL when out of
 * memory. */
static json_t *store_register_record(sqlite3_stmt *st)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    int ok =
        json_object_set_new(o, "id", json_string((const char *)sqlite3_column_text(st, 0))) == 0;
    for (size_t i = 0; ok && i < SR_NTEXT; i++) {
        const char *t = (const char *)sqlite3_column_text(st, 1 + (int)i);
        ok = json_object_set_new(o, store_register_texts[i], t ? json_string(t) : json_null()) == 0;
    }
    ok = ok &&
         json_object_set_new(o, "lon",
                             json_real(store_register_round(sqlite3_column_double(st, 15)))) == 0 &&
         json_object_set_new(o, "lat",
                             json_real(store_register_round(sqlite3_column_double(st, 16)))) == 0 &&
         json_object_set_new(o, "version", json_integer(sqlite3_column_int64(st, 17))) == 0;
    const char *names[] = {"retired", "updated_at", "source"};
    for (int i = 0; ok && i < 3; i++) {
        const char *t = (const char *)sqlite3_column_text(st, 18 + i);
        ok = json_object_set_new(o, names[i], t ? json_string(t) : json_null()) == 0;
    }
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *store_register_get(struct store *s, const char *rid, struct err *e)
{
    if (store_srid(s) == 0)
        return err_set(e, ERR_NOTFOUND, "there is no resource with this id"), NULL;
    sqlite3_stmt *st = store_prepare(s, "SELECT " SR_COLS " FROM resources WHERE rid = ?1",
                                     "reading a resource", e);
    if (st == NULL)
        return NULL;
    sqlite3_bind_text(st, 1, rid, -1, SQLITE_STATIC);
    json_t *o = NULL;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        o = store_register_record(st);
        if (o == NULL)
            err_nomem(e);
    } else if (rc == SQLITE_DONE) {
        err_set(e, ERR_NOTFOUND, "there is no resource with this id");
    } else {
        store_fail(s, e, "reading a resource");
    }
    sqlite3_finalize(st);
    return o;
}

/* Binds text member `name` of rec at i (null or absent as NULL). */
static void store_register_bind(sqlite3_stmt *st, int i, const json_t *rec, const char *name)
{
    const char *t = json_string_value(json_object_get(rec, name));
    if (t)
        sqlite3_bind_text(st, i, t, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

/* The field mask of a record's "fields". */
static int store_register_mask(const json_t *rec)
{
    int mask = 0;
    const char *f = json_string_value(json_object_get(rec, "fields"));
    if (f && strcmp(f, "unspecified") != 0 && vocab_fields(f, &mask, NULL) != ERR_OK)
        mask = 0;
    return mask;
}

/* Appends a row to the import log: the data version every cache keys on. */
static int store_register_bump(struct store *s, const char *what, struct err *e)
{
    return store_import_log(s, "resources", "register", what, 1, e);
}

/* Appends one history row. */
static int store_register_log(struct store *s, const char *rid, long long version, const char *who,
                              const char *action, json_t *fields, json_t *before, json_t *after,
                              struct err *e)
{
    sqlite3_stmt *st = store_prepare(s,
                                     "INSERT INTO resource_history(rid, version, who, action,"
                                     " fields, before, after) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                     "writing the resource history", e);
    if (st == NULL)
        return ERR_IO;
    char *t[3] = {json_dumps(fields, JSON_COMPACT),
                  before ? json_dumps(before, JSON_COMPACT | JSON_REAL_PRECISION(12)) : NULL,
                  after ? json_dumps(after, JSON_COMPACT | JSON_REAL_PRECISION(12)) : NULL};
    int rc = ERR_OK;
    if (t[0] == NULL || (before && t[1] == NULL) || (after && t[2] == NULL)) {
        rc = err_nomem(e);
    } else {
        sqlite3_bind_text(st, 1, rid, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, version);
        sqlite3_bind_text(st, 3, who, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, action, -1, SQLITE_STATIC);
        for (int i = 0; i < 3; i++)
            if (t[i])
                sqlite3_bind_text(st, 5 + i, t[i], -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = store_fail(s, e, "writing the resource history");
    }
    for (int i = 0; i < 3; i++)
        free(t[i]);
    sqlite3_finalize(st);
    return rc;
}

/* The members a record's history compares, texts then position. */
static const char *store_register_member(size_t i)
{
    return i < SR_NTEXT ? store_register_texts[i] : i == SR_NTEXT ? "lon" : "lat";
}

/* The record's members (texts and position) without the bookkeeping ones. */
static json_t *store_register_public(const json_t *rec)
{
    json_t *o = json_object();
    for (size_t i = 0; o && i < SR_NTEXT + 2; i++) {
        json_t *v = json_object_get(rec, store_register_member(i));
        if (json_object_set_new(o, store_register_member(i), v ? json_copy(v) : json_null())) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

int store_register_fix_rid(struct store *s, long long row, char *made, size_t n, struct err *e)
{
    /* "res-N" from the row id; a file may hold that id already. */
    for (int k = 0; k < 100; k++) {
        if (k == 0)
            snprintf(made, n, "res-%lld", row);
        else
            snprintf(made, n, "res-%lld-%d", row, k);
        sqlite3_stmt *st = store_prepare(s,
                                         "UPDATE OR IGNORE resources SET rid = ?1,"
                                         " ext_id = COALESCE(ext_id, ?1) WHERE id = ?2",
                                         "giving a resource its id", e);
        if (st == NULL)
            return ERR_IO;
        sqlite3_bind_text(st, 1, made, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, row);
        int done = sqlite3_step(st) == SQLITE_DONE;
        sqlite3_finalize(st);
        if (!done)
            return store_fail(s, e, "giving a resource its id");
        if (sqlite3_changes(store_sqlite(s)) == 1)
            return ERR_OK;
    }
    return err_set(e, ERR_INTERNAL, "no free id for a new resource");
}

int store_register_create(struct store *s, const char *rid, const json_t *rec, const char *source,
                          const char *who, json_t **out, struct err *e)
{
    if (store_srid(s) == 0)
        return err_set(e, ERR_INPUT,
                       "the database has no CRS yet; import districts or resources "
                       "first");
    if (rid) {
        json_t *old = store_register_get(s, rid, NULL);
        if (old) {
            json_decref(old);
            return err_set(e, ERR_INPUT, "the id '%.60s' is taken by another resource", rid);
        }
    }
    sqlite3_stmt *st = store_prepare(
        s,
        "INSERT INTO resources(rid, ext_id, name, kind, fields, field_mask, hub_type, address,"
        " schedule, contact, operator, target, url, languages, barrier_free, cost, notes, source,"
        " geom, version, updated_at) VALUES(?1, ?1, ?2, ?3, ?4, ?17, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
        " ?12, ?13, ?14, ?15, ?16, ST_Transform(MakePoint(?18, ?19, 4326), ?20), 1,"
        " strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
        "adding a resource", e);
    if (st == NULL)
        return ERR_IO;
    if (rid)
        sqlite3_bind_text(st, 1, rid, -1, SQLITE_STATIC);
    for (size_t i = 0; i < SR_NTEXT; i++)
        store_register_bind(st, 2 + (int)i, rec, store_register_texts[i]);
    sqlite3_bind_text(st, 16, source ? source : "register", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 17, store_register_mask(rec));
    sqlite3_bind_double(st, 18, json_number_value(json_object_get(rec, "lon")));
    sqlite3_bind_double(st, 19, json_number_value(json_object_get(rec, "lat")));
    sqlite3_bind_int(st, 20, store_srid(s));
    int rc = sqlite3_step(st) == SQLITE_DONE ? ERR_OK : store_fail(s, e, "adding a resource");
    sqlite3_finalize(st);
    if (rc != ERR_OK)
        return rc;
    char made[STORE_REGISTER_ID_MAX];
    if (rid == NULL) {
        if (store_register_fix_rid(s, sqlite3_last_insert_rowid(store_sqlite(s)), made, sizeof made,
                                   e) != ERR_OK)
            return e->code;
        rid = made;
    }
    json_t *now = store_register_get(s, rid, e);
    if (now == NULL)
        return e->code;
    json_t *after = store_register_public(now);
    json_t *fields = json_array();
    for (size_t i = 0; after && fields && i < SR_NTEXT + 2; i++)
        if (!json_is_null(json_object_get(after, store_register_member(i))))
            json_array_append_new(fields, json_string(store_register_member(i)));
    rc = after && fields ? store_register_log(s, rid, 1, who, "create", fields, NULL, after, e)
                         : err_nomem(e);
    json_decref(after);
    json_decref(fields);
    if (rc == ERR_OK)
        rc = store_register_bump(s, "create", e);
    if (rc == ERR_OK && out)
        *out = now;
    else
        json_decref(now);
    return rc;
}

/* 1 when member i differs between a and b (positions to 7 decimals). */
static int store_register_differs(const json_t *a, const json_t *b, size_t i)
{
    const json_t *x = json_object_get(a, store_register_member(i));
    const json_t *y = json_object_get(b, store_register_member(i));
    if (i >= SR_NTEXT)
        return store_register_round(json_number_value(x)) !=
               store_register_round(json_number_value(y));
    if (x == NULL || json_is_null(x))
        return !(y == NULL || json_is_null(y));
    return y == NULL || !json_equal(x, y);
}

int store_register_update(struct store *s, const json_t *cur, const json_t *next, const char *who,
                          const char *action, char *changed, size_t n, json_t **out, struct err *e)
{
    const char *rid = json_string_value(json_object_get(cur, "id"));
    json_t *fields = json_array(), *before = json_object(), *after = json_object();
    int rc = fields && before && after ? ERR_OK : err_nomem(e);
    int moved = 0;
    for (size_t i = 0; rc == ERR_OK && i < SR_NTEXT + 2; i++) {
        if (!store_register_differs(cur, next, i))
            continue;
        const char *m = store_register_member(i);
        moved |= i >= SR_NTEXT;
        json_t *b = json_object_get(cur, m), *a = json_object_get(next, m);
        if (json_array_append_new(fields, json_string(m)) ||
            json_object_set_new(before, m, b ? json_copy(b) : json_null()) ||
            json_object_set_new(after, m, a ? json_copy(a) : json_null()))
            rc = err_nomem(e);
    }
    const json_t *r0 = json_object_get(cur, "retired"), *r1 = json_object_get(next, "retired");
    int retire_changed = json_is_null(r0) != json_is_null(r1);
    if (rc == ERR_OK && retire_changed &&
        (json_array_append_new(fields, json_string("retired")) ||
         json_object_set_new(before, "retired", json_copy((json_t *)r0)) ||
         json_object_set_new(after, "retired", json_copy((json_t *)r1))))
        rc = err_nomem(e);
    size_t used = 0;
    changed[0] = '\0';
    for (size_t i = 0; rc == ERR_OK && i < json_array_size(fields); i++)
        used += (size_t)snprintf(changed + used, used < n ? n - used : 0, "%s%s", i ? ", " : "",
                                 json_string_value(json_array_get(fields, i)));
    if (rc == ERR_OK && json_array_size(fields) > 0) {
        sqlite3_stmt *st = store_prepare(
            s,
            "UPDATE resources SET name = ?2, kind = ?3, fields = ?4, hub_type = ?5, address = ?6,"
            " schedule = ?7, contact = ?8, operator = ?9, target = ?10, url = ?11, languages = ?12,"
            " barrier_free = ?13, cost = ?14, notes = ?15, field_mask = ?16,"
            " geom = CASE WHEN ?17 THEN ST_Transform(MakePoint(?18, ?19, 4326), ?20) ELSE geom END,"
            " retired = CASE WHEN ?21 THEN strftime('%Y-%m-%dT%H:%M:%SZ', 'now') END,"
            " version = version + 1, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
            " WHERE rid = ?1",
            "changing a resource", e);
        if (st == NULL) {
            rc = ERR_IO;
        } else {
            sqlite3_bind_text(st, 1, rid, -1, SQLITE_STATIC);
            for (size_t i = 0; i < SR_NTEXT; i++)
                store_register_bind(st, 2 + (int)i, next, store_register_texts[i]);
            sqlite3_bind_int(st, 16, store_register_mask(next));
            sqlite3_bind_int(st, 17, moved);
            sqlite3_bind_double(st, 18, json_number_value(json_object_get(next, "lon")));
            sqlite3_bind_double(st, 19, json_number_value(json_object_get(next, "lat")));
            sqlite3_bind_int(st, 20, store_srid(s));
            sqlite3_bind_int(st, 21, !json_is_null(r1) && r1 != NULL);
            if (sqlite3_step(st) != SQLITE_DONE)
                rc = store_fail(s, e, "changing a resource");
            sqlite3_finalize(st);
        }
        if (rc == ERR_OK && retire_changed && !json_is_null(r1) && r1 != NULL) {
            /* The time the database wrote, in the history too. */
            json_t *now = store_register_get(s, rid, e);
            if (now == NULL)
                rc = e->code;
            else
                json_object_set(after, "retired", json_object_get(now, "retired"));
            json_decref(now);
        }
        if (rc == ERR_OK)
            rc = store_register_log(s, rid, json_integer_value(json_object_get(cur, "version")) + 1,
                                    who, action, fields, before, after, e);
        if (rc == ERR_OK)
            rc = store_register_bump(s, action, e);
    }
    json_decref(fields);
    json_decref(before);
    json_decref(after);
    if (rc == ERR_OK && out) {
        *out = store_register_get(s, rid, e);
        if (*out == NULL)
            rc = e->code;
    }
    return rc;
}

json_t *store_register_history(struct store *s, const char *rid, struct err *e)
{
    sqlite3_stmt *st = store_prepare(s,
                                     "SELECT version, at, who, action, fields, before, after"
                                     " FROM resource_history WHERE rid = ?1 ORDER BY id",
                                     "reading the resource history", e);
    if (st == NULL)
        return NULL;
    sqlite3_bind_text(st, 1, rid, -1, SQLITE_STATIC);
    json_t *list = json_array();
    int rc = list ? ERR_OK : err_nomem(e), src;
    while (rc == ERR_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *v[3] = {NULL, NULL, NULL};
        for (int i = 0; i < 3; i++) {
            const char *t = (const char *)sqlite3_column_text(st, 4 + i);
            v[i] = t ? json_loads(t, 0, NULL) : json_null();
            if (v[i] == NULL)
                v[i] = json_null();
        }
        json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:o,s:o,s:o}", "version",
                              (json_int_t)sqlite3_column_int64(st, 0), "at",
                              (const char *)sqlite3_column_text(st, 1), "who",
                              (const char *)sqlite3_column_text(st, 2), "action",
                              (const char *)sqlite3_column_text(st, 3), "fields", v[0], "before",
                              v[1], "after", v[2]);
        if (o == NULL || json_array_append_new(list, o))
            rc = err_nomem(e);
    }
    if (rc == ERR_OK && src != SQLITE_DONE)
        rc = store_fail(s, e, "reading the resource history");
    sqlite3_finalize(st);
    if (rc == ERR_OK && json_array_size(list) == 0) {
        /* Imported and never changed since: no history yet, but it exists. */
        json_t *r = store_register_get(s, rid, e);
        rc = r ? ERR_OK : e->code;
        json_decref(r);
    }
    if (rc != ERR_OK) {
        json_decref(list);
        return NULL;
    }
    return list;
}

int store_register_each(struct store *s, int with_retired, int (*fn)(void *ctx, json_t *rec),
                        void *ctx, struct err *e)
{
    if (store_srid(s) == 0)
        return ERR_OK;
    sqlite3_stmt *st = store_prepare(
        s, "SELECT " SR_COLS " FROM resources WHERE ?1 OR retired IS NULL ORDER BY id",
        "reading resources", e);
    if (st == NULL)
        return ERR_IO;
    sqlite3_bind_int(st, 1, with_retired);
    int rc = ERR_OK, src;
    while (rc == ERR_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *o = store_register_record(st);
        rc = o ? fn(ctx, o) : err_nomem(e);
        json_decref(o);
    }
    return store_finish(s, st, rc == ERR_OK ? src : SQLITE_DONE, rc, "reading resources", e);
}

int store_register_districts(struct store *s, const char *rid, const char *level, json_t *names,
                             struct err *e)
{
    sqlite3_stmt *st = store_prepare(
        s,
        "SELECT l.name, (SELECT d.name FROM districts d WHERE d.id = " STORE_DISTRICT_OF(
            "l.name", "r.geom") ") FROM levels l, resources r WHERE r.rid = ?1"
                                " AND (?2 IS NULL OR l.name = ?2) ORDER BY l.rank",
        "finding the districts of a resource", e);
    if (st == NULL)
        return ERR_IO;
    sqlite3_bind_text(st, 1, rid, -1, SQLITE_STATIC);
    if (level)
        sqlite3_bind_text(st, 2, level, -1, SQLITE_STATIC);
    int rc = ERR_OK, src;
    while (rc == ERR_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *n = (const char *)sqlite3_column_text(st, 1);
        if (json_object_set_new(names, (const char *)sqlite3_column_text(st, 0),
                                n ? json_string(n) : json_null()))
            rc = err_nomem(e);
    }
    return store_finish(s, st, rc == ERR_OK ? src : SQLITE_DONE, rc,
                        "finding the districts of a resource", e);
}

json_t *store_register_from_row(struct store *s, const struct store_resource *r,
                                const unsigned char *wkb, size_t len, struct err *e)
{
    sqlite3_stmt *st = store_prepare(s,
                                     "SELECT X(g), Y(g) FROM (SELECT ST_Transform("
                                     "ST_GeomFromWKB(?1, ?2), 4326) AS g)",
                                     "reading a point", e);
    if (st == NULL)
        return NULL;
    sqlite3_bind_blob(st, 1, wkb, (int)len, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, store_srid(s));
    double lon = NAN, lat = NAN;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        lon = sqlite3_column_double(st, 0);
        lat = sqlite3_column_double(st, 1);
    }
    sqlite3_finalize(st);
    if (!isfinite(lon) || !isfinite(lat))
        return err_set(e, ERR_INPUT, "the resource has no valid point geometry"), NULL;
    const char *v[SR_NTEXT] = {r->name,      r->kind,         r->fields,    r->hub_type, r->address,
                               r->schedule,  r->contact,      r->operator_, r->target,   r->url,
                               r->languages, r->barrier_free, r->cost,      r->notes};
    json_t *o = json_object();
    for (size_t i = 0; o && i < SR_NTEXT; i++)
        if (json_object_set_new(o, store_register_texts[i],
                                v[i] && v[i][0] ? json_string(v[i]) : json_null())) {
            json_decref(o);
            o = NULL;
        }
    if (o == NULL || json_object_set_new(o, "lon", json_real(store_register_round(lon))) ||
        json_object_set_new(o, "lat", json_real(store_register_round(lat)))) {
        json_decref(o);
        return err_nomem(e), NULL;
    }
    return o;
}

int store_register_seen(struct store *s, const char *rid, struct err *e)
{
    if (rid == NULL)
        return store_register_exec(s,
                                   "CREATE TEMP TABLE IF NOT EXISTS register_seen(rid TEXT"
                                   " PRIMARY KEY); DELETE FROM register_seen;",
                                   e);
    sqlite3_stmt *st = store_prepare(s, "INSERT OR IGNORE INTO register_seen(rid) VALUES(?1)",
                                     "marking a merged resource", e);
    if (st == NULL)
        return ERR_IO;
    sqlite3_bind_text(st, 1, rid, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ERR_OK : store_fail(s, e, "marking a merged resource");
}

int store_register_retire_unseen(struct store *s, const char *who, long *n, struct err *e)
{
    *n = 0;
    sqlite3_stmt *st = store_prepare(s,
                                     "SELECT rid FROM resources WHERE retired IS NULL AND rid"
                                     " NOT IN (SELECT rid FROM register_seen) ORDER BY id",
                                     "finding resources missing from the file", e);
    if (st == NULL)
        return ERR_IO;
    json_t *ids = json_array();
    int rc = ids ? ERR_OK : err_nomem(e), src;
    while (rc == ERR_OK && (src = sqlite3_step(st)) == SQLITE_ROW)
        if (json_array_append_new(ids, json_string((const char *)sqlite3_column_text(st, 0))))
            rc = err_nomem(e);
    rc = store_finish(s, st, rc == ERR_OK ? src : SQLITE_DONE, rc,
                      "finding resources missing from the file", e);
    for (size_t i = 0; rc == ERR_OK && i < json_array_size(ids); i++) {
        json_t *cur = store_register_get(s, json_string_value(json_array_get(ids, i)), e);
        json_t *next = cur ? json_deep_copy(cur) : NULL;
        char changed[200];
        if (next == NULL || json_object_set_new(next, "retired", json_string("now")))
            rc = cur ? err_nomem(e) : e->code;
        else
            rc = store_register_update(s, cur, next, who, "retire", changed, sizeof changed, NULL,
                                       e);
        *n += rc == ERR_OK && changed[0];
        json_decref(cur);
        json_decref(next);
    }
    json_decref(ids);
    return rc;
}

/* ---- history for a replace-by-source import ---- */

int store_register_replace_begin(struct store *s, const char *source, struct err *e)
{
    int rc = store_register_exec(s,
                                 "CREATE TEMP TABLE IF NOT EXISTS register_before(rid TEXT"
                                 " PRIMARY KEY, rec TEXT NOT NULL); DELETE FROM register_before;",
                                 e);
    if (rc != ERR_OK || store_srid(s) == 0)
        return rc;
    sqlite3_stmt *st = store_prepare(s, "SELECT " SR_COLS " FROM resources WHERE source = ?1",
                                     "reading the resources an import replaces", e);
    sqlite3_stmt *ins = st ? store_prepare(s,
                                           "INSERT OR REPLACE INTO register_before(rid, rec)"
                                           " VALUES(?1, ?2)",
                                           "keeping the resources an import replaces", e)
                           : NULL;
    if (ins == NULL) {
        sqlite3_finalize(st);
        return ERR_IO;
    }
    sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
    int src;
    while (rc == ERR_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *o = store_register_record(st);
        char *text = o ? json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(12)) : NULL;
        if (text == NULL) {
            rc = err_nomem(e);
        } else {
            sqlite3_bind_text(ins, 1, json_string_value(json_object_get(o, "id")), -1,
                              SQLITE_TRANSIENT);
            sqlite3_bind_text(ins, 2, text, -1, SQLITE_TRANSIENT);
            if (sqlite3_step(ins) != SQLITE_DONE)
                rc = store_fail(s, e, "keeping the resources an import replaces");
            sqlite3_reset(ins);
        }
        free(text);
        json_decref(o);
    }
    sqlite3_finalize(ins);
    return store_finish(s, st, rc == ERR_OK ? src : SQLITE_DONE, rc,
                        "reading the resources an import replaces", e);
}

/* The history row of one resource the import re-wrote: compared with the
 * kept record `old` (NULL: new), written as "create" (version 1) or, when a
 * member or the retired state differs, `action` at the old version + 1,
 * which the row then carries (so an editor's stale If-Match still fails);
 * an unchanged one keeps its old version. Counts into c. */
static int store_register_replace_one(struct store *s, const json_t *now, const json_t *old,
                                      const char *who, const char *action,
                                      struct store_register_counts *c, struct err *e)
{
    const char *rid = json_string_value(json_object_get(now, "id"));
    json_t *pub = store_register_public(now);
    if (pub == NULL)
        return err_nomem(e);
    int rc = ERR_OK;
    long long version = 1;
    if (old == NULL) {
        json_t *fields = json_array();
        for (size_t i = 0; fields && i < SR_NTEXT + 2; i++)
            if (!json_is_null(json_object_get(pub, store_register_member(i))))
                json_array_append_new(fields, json_string(store_register_member(i)));
        rc = fields ? store_register_log(s, rid, 1, who, "create", fields, NULL, pub, e)
                    : err_nomem(e);
        json_decref(fields);
        c->added += rc == ERR_OK;
    } else {
        json_t *fields = json_array(), *before = json_object(), *after = json_object();
        rc = fields && before && after ? ERR_OK : err_nomem(e);
        for (size_t i = 0; rc == ERR_OK && i < SR_NTEXT + 2; i++) {
            if (!store_register_differs(old, now, i))
                continue;
            const char *m = store_register_member(i);
            json_t *b = json_object_get(old, m), *a = json_object_get(now, m);
            if (json_array_append_new(fields, json_string(m)) ||
                json_object_set_new(before, m, b ? json_copy(b) : json_null()) ||
                json_object_set_new(after, m, a ? json_copy(a) : json_null()))
                rc = err_nomem(e);
        }
        const json_t *r0 = json_object_get(old, "retired");
        if (rc == ERR_OK && r0 != NULL && !json_is_null(r0) &&
            (json_array_append_new(fields, json_string("retired")) ||
             json_object_set_new(before, "retired", json_copy((json_t *)r0)) ||
             json_object_set_new(after, "retired", json_null())))
            rc = err_nomem(e);
        version = json_integer_value(json_object_get(old, "version"));
        if (rc == ERR_OK && json_array_size(fields) > 0) {
            version++;
            rc = store_register_log(s, rid, version, who, action, fields, before, after, e);
            c->changed += rc == ERR_OK;
        } else if (rc == ERR_OK) {
            c->unchanged++;
        }
        json_decref(fields);
        json_decref(before);
        json_decref(after);
    }
    json_decref(pub);
    if (rc != ERR_OK || version == json_integer_value(json_object_get(now, "version")))
        return rc;
    sqlite3_stmt *st = store_prepare(s, "UPDATE resources SET version = ?2 WHERE rid = ?1",
                                     "carrying a resource's version over an import", e);
    if (st == NULL)
        return ERR_IO;
    sqlite3_bind_text(st, 1, rid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, version);
    rc = sqlite3_step(st) == SQLITE_DONE
             ? ERR_OK
             : store_fail(s, e, "carrying a resource's version over an import");
    sqlite3_finalize(st);
    return rc;
}

int store_register_replace_end(struct store *s, const char *source, const char *who,
                               struct store_register_counts *c, struct err *e)
{
    memset(c, 0, sizeof *c);
    /* Rows the file holds now, each with its kept record (or none). */
    sqlite3_stmt *st =
        store_prepare(s,
                      "SELECT " SR_COLS ", (SELECT b.rec FROM register_before b WHERE b.rid ="
                      " resources.rid) FROM resources WHERE source = ?1 ORDER BY id",
                      "comparing the resources an import replaced", e);
    if (st == NULL)
        return ERR_IO;
    sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
    int rc = ERR_OK, src;
    json_t *rows = json_array();
    if (rows == NULL)
        rc = err_nomem(e);
    while (rc == ERR_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *now = store_register_record(st);
        const char *t = (const char *)sqlite3_column_text(st, 21);
        json_t *old = t ? json_loads(t, 0, NULL) : json_null();
        if (now == NULL || old == NULL || json_array_append_new(rows, json_pack("[oo]", now, old)))
            rc = err_nomem(e);
    }
    rc = store_finish(s, st, rc == ERR_OK ? src : SQLITE_DONE, rc,
                      "comparing the resources an import replaced", e);
    for (size_t i = 0; rc == ERR_OK && i < json_array_size(rows); i++) {
        json_t *pair = json_array_get(rows, i);
        json_t *old = json_array_get(pair, 1);
        rc = store_register_replace_one(s, json_array_get(pair, 0), json_is_null(old) ? NULL : old,
                                        who, "import", c, e);
    }
    json_decref(rows);
    /* Kept records the file no longer holds: retired (their rows are gone
     * with the replace; the history keeps them). */
    st = rc == ERR_OK ? store_prepare(s,
                                      "SELECT rec FROM register_before WHERE rid NOT IN (SELECT"
                                      " rid FROM resources WHERE source = ?1 AND rid IS NOT NULL)"
                                      " ORDER BY rid",
                                      "finding the resources an import dropped", e)
                      : NULL;
    if (rc == ERR_OK && st == NULL)
        rc = ERR_IO;
    if (st)
        sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
    json_t *gone = json_array();
    while (st && rc == ERR_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *old = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
        if (old == NULL || gone == NULL || json_array_append_new(gone, old))
            rc = err_nomem(e);
    }
    if (st)
        rc = store_finish(s, st, rc == ERR_OK ? src : SQLITE_DONE, rc,
                          "finding the resources an import dropped", e);
    for (size_t i = 0; rc == ERR_OK && i < json_array_size(gone); i++) {
        json_t *old = json_array_get(gone, i);
        const json_t *r0 = json_object_get(old, "retired");
        if (r0 != NULL && !json_is_null(r0))
            continue; /* retired before: nothing new */
        json_t *fields = json_pack("[s]", "retired");
        json_t *before = json_pack("{s:n}", "retired");
        json_t *after = json_pack("{s:s}", "retired", "import replaced its source");
        rc = fields && before && after
                 ? store_register_log(s, json_string_value(json_object_get(old, "id")),
                                      json_integer_value(json_object_get(old, "version")) + 1, who,
                                      "retire", fields, before, after, e)
                 : err_nomem(e);
        c->retired += rc == ERR_OK;
        json_decref(fields);
        json_decref(before);
        json_decref(after);
    }
    json_decref(gone);
    if (rc == ERR_OK)
        rc = store_register_exec(s, "DELETE FROM register_before;", e);
    return rc;
}
