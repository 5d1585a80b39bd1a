/* SPDX-License-Identifier: MIT */
/* store_attrib.c - the credits a database owes its sources (see the
 * "attributions" section of store.h): one line per import source, kept in
 * the meta table under "attribution:KIND:SOURCE" so that replacing a source
 * replaces its credit and no schema change is needed. Entry points:
 * store_attrib_set, store_attrib_each. */
#include "store.h"
#include "store_private.h"

#include <stdio.h>
#include <string.h>

#define STORE_ATTRIB_PREFIX "attribution:"

int store_attrib_set(struct store *s, const char *kind, const char *source, const char *text,
                     struct err *e)
{
    char key[STORE_ATTRIB_KEY_MAX];
    int n = snprintf(key, sizeof key, STORE_ATTRIB_PREFIX "%s:%s", kind, source);
    if (n < 0 || (size_t)n >= sizeof key)
        return err_set(e, ERR_INPUT, "the source name '%.40s...' is too long for its credit",
                       source);
    sqlite3_stmt *st = store_prepare(s,
                                     text ? "INSERT INTO meta(key, value) VALUES(?1, ?2) "
                                            "ON CONFLICT(key) DO UPDATE SET value = excluded.value"
                                          : "DELETE FROM meta WHERE key = ?1",
                                     "recording a source's credit", e);
    if (st == NULL)
        return ERR_IO;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (text)
        sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    return store_finish(s, st, step, ERR_OK, "recording a source's credit", e);
}

int store_attrib_each(struct store *s, int (*fn)(void *ctx, const char *text), void *ctx,
                      struct err *e)
{
    /* Distinct texts in a stable order (by text): several sources of one
     * publisher give one line. */
    sqlite3_stmt *st =
        store_prepare(s,
                      "SELECT DISTINCT value FROM meta WHERE substr(key, 1, ?1) = ?2 "
                      "ORDER BY value",
                      "reading the sources' credits", e);
    if (st == NULL)
        return ERR_IO;
    sqlite3_bind_int(st, 1, (int)strlen(STORE_ATTRIB_PREFIX));
    sqlite3_bind_text(st, 2, STORE_ATTRIB_PREFIX, -1, SQLITE_STATIC);
    int rc = ERR_OK, step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        if (t && (rc = fn(ctx, t)) != 0)
            break;
    }
    return store_finish(s, st, step, rc, "reading the sources' credits", e);
}
