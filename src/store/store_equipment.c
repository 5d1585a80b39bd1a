/* SPDX-License-Identifier: MIT */
/* store_equipment.c - implements store_equipment.h: resources with the
 * district of their point (the store's one district join). Entry points:
 * store_equipment_each. */
#include "store_equipment.h"

#include "store_private.h"

int store_equipment_each(struct store *s, const char *level,
                         int (*fn)(void *ctx, const struct store_equipment_row *r), void *ctx,
                         struct err *e)
{
    if (store_srid(s) == 0)
        return ERR_OK;
    sqlite3_stmt *st = store_prepare(
        s,
        "SELECT r.id, r.kind, " STORE_DISTRICT_OF("?1", "r.geom") " FROM resources r ORDER BY r.id",
        "reading resources", e);
    if (st == NULL)
        return ERR_IO;
    if (level)
        sqlite3_bind_text(st, 1, level, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, 1);
    int rc = ERR_OK, src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_equipment_row r = {(long)sqlite3_column_int64(st, 0),
                                        (const char *)sqlite3_column_text(st, 1),
                                        (long)sqlite3_column_int64(st, 2)};
        if ((rc = fn(ctx, &r)) != ERR_OK)
            break;
    }
    return store_finish(s, st, src, rc, "reading resources", e);
}
