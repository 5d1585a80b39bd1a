/* SPDX-License-Identifier: MIT */
/* store_retention.c - the store module's SQL for keeping household data
 * no longer than needed (store_visits.h): the closed households past a
 * date, their removal with everything that names them, and the export of
 * one agency's households.
 *
 * Entry points: store_households_closed, store_households_purge,
 * store_households_export.
 *
 * What names a household, and so goes with it: its row, its visits, its
 * shares (none yet: store_retention_forget is the one place to add them),
 * and its id in the audit log, which keeps only a commitment to it
 * (store_audit_redact). Messages never carry household data. */
#include "store.h"
#include "store_private.h"
#include "store_visits.h"

#include <string.h>

int store_households_closed(struct store *s, const char *before,
                            int (*fn)(void *ctx, const char *ext_id), void *ctx, struct err *e)
{
    if (store_srid(s) == 0)
        return ERR_OK;
    sqlite3_stmt *st = store_prepare(s,
                                     "SELECT ext_id FROM households WHERE closed IS NOT NULL"
                                     " AND closed < ?1 ORDER BY id",
                                     "finding closed households", e);
    if (st == NULL)
        return ERR_IO;
    sqlite3_bind_text(st, 1, before ? before : "", -1, SQLITE_TRANSIENT);
    int rc = ERR_OK, src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW)
        if ((rc = fn(ctx, (const char *)sqlite3_column_text(st, 0))) != ERR_OK)
            break;
    return store_finish(s, st, src == SQLITE_ROW && rc != ERR_OK ? SQLITE_DONE : src, rc,
                        "finding closed households", e);
}

/* Removes what names household `id` besides the audit log: its visits,
 * its shares (the hook: when shares exist, delete them here), its row. */
static int store_retention_forget(struct store *s, const char *id, long *visits, struct err *e)
{
    static const char *const sql[] = {
        "DELETE FROM visits WHERE household = ?1",
        /* shares: "DELETE FROM shares WHERE household = ?1" once they exist */
        "DELETE FROM households WHERE ext_id = ?1",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        sqlite3_stmt *st = store_prepare(s, sql[i], "removing a household", e);
        if (st == NULL)
            return ERR_IO;
        sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
        int src = sqlite3_step(st);
        if (i == 0)
            *visits += sqlite3_changes(store_sqlite(s));
        sqlite3_finalize(st);
        if (src != SQLITE_DONE)
            return store_fail(s, e, "removing a household");
    }
    return ERR_OK;
}

int store_households_purge(struct store *s, const char *const *ids, size_t n,
                           struct store_purge *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    if (store_begin(s, e) != ERR_OK)
        return ERR_IO;
    int rc = ERR_OK;
    for (size_t i = 0; rc == ERR_OK && i < n; i++)
        rc = store_retention_forget(s, ids[i], &out->visits, e);
    if (rc == ERR_OK)
        rc = store_audit_redact(s, ids, n, &out->audit_records, e);
    /* Logged like an import (kind households, source purge): the
     * data version (store_tiles_version) digests the import log, and the
     * coverage tiles and shares cached by it must not go on counting the
     * purged households. */
    if (rc == ERR_OK && n > 0)
        rc = store_import_log(s, "households", "purge", "households purge", (long)n, e);
    if (rc != ERR_OK) {
        store_rollback(s);
        return rc;
    }
    out->households = (long)n;
    return store_commit(s, e);
}

int store_households_export(struct store *s, const char *agency,
                            int (*fn)(void *ctx, const struct store_export_row *r), void *ctx,
                            struct err *e)
{
    if (store_srid(s) == 0)
        return ERR_OK;
    sqlite3_stmt *st = store_prepare(s,
                                     "SELECT ext_id, members, needs, consent, agency, closed,"
                                     " X(ST_Transform(geom, 4326)), Y(ST_Transform(geom, 4326)),"
                                     " (SELECT MAX(at) FROM visits v WHERE v.household = h.ext_id)"
                                     " FROM households h WHERE agency = ?1 ORDER BY id",
                                     "exporting households", e);
    if (st == NULL)
        return ERR_IO;
    sqlite3_bind_text(st, 1, agency ? agency : "", -1, SQLITE_TRANSIENT);
    int rc = ERR_OK, src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_export_row r = {
            .ext_id = (const char *)sqlite3_column_text(st, 0),
            .members = sqlite3_column_int(st, 1),
            .needs = (const char *)sqlite3_column_text(st, 2),
            .consent = sqlite3_column_int(st, 3),
            .agency = (const char *)sqlite3_column_text(st, 4),
            .closed = (const char *)sqlite3_column_text(st, 5),
            .lon = sqlite3_column_double(st, 6),
            .lat = sqlite3_column_double(st, 7),
            .last_visit = (const char *)sqlite3_column_text(st, 8),
        };
        if ((rc = fn(ctx, &r)) != ERR_OK)
            break;
    }
    return store_finish(s, st, src == SQLITE_ROW && rc != ERR_OK ? SQLITE_DONE : src, rc,
                        "exporting households", e);
}
