/* SPDX-License-Identifier: MIT */
/* store_place.c - the place a database is for (see store_place.h): the
 * meta key `municipality`, else the single municipality of the address
 * reference (address_refs), and the demo flag. Entry point:
 * store_place_name. */
#include "store_place.h"

#include "store_private.h"

#include <stdio.h>
#include <string.h>

int store_place_name(struct store *s, char *buf, size_t n, int *demo, struct err *e)
{
    char flag[8];
    struct err ignore = {0};
    buf[0] = '\0';
    *demo =
        store_meta_get(s, "demo", flag, sizeof flag, &ignore) == ERR_OK && strcmp(flag, "yes") == 0;
    if (store_meta_get(s, "municipality", buf, n, &ignore) == ERR_OK && buf[0])
        return ERR_OK;
    buf[0] = '\0';
    /* At most two distinct names: one means the reference covers one place. */
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(store_sqlite(s),
                           "SELECT DISTINCT muni FROM address_refs WHERE muni <> '' LIMIT 2", -1,
                           &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return ERR_OK; /* a database without the address table names no place */
    }
    int rows = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *m = (const char *)sqlite3_column_text(st, 0);
        if (rows++ == 0 && m)
            snprintf(buf, n, "%s", m);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        buf[0] = '\0';
        return err_set(e, ERR_IO, "the place name cannot be read from the database");
    }
    if (rows != 1)
        buf[0] = '\0';
    return ERR_OK;
}
