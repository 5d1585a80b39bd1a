/* SPDX-License-Identifier: MIT */
/* store_upgrade.c - the automatic backup taken before a schema migration
 * (issue 16: "installing a newer package migrates the database on first
 * start after taking a backup automatically"). store_open calls
 * store_upgrade_backup when it finds an older schema, before the migration's
 * transaction begins; the copy is store_backup's (SQLite's online backup,
 * checked before it takes its name) beside the database, named
 * PATH.pre-vN-YYYYMMDDTHHMMSSZ.bak. Entry points: store_upgrade_backup. */
#include "store.h"

#include <stdio.h>
#include <time.h>

int store_upgrade_backup(const char *path, int from, char *dest, size_t n, struct err *e)
{
    char when[20];
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm) == NULL || strftime(when, sizeof when, "%Y%m%dT%H%M%SZ", &tm) == 0)
        return err_set(e, ERR_INTERNAL, "cannot read the clock to name the backup");
    int k = snprintf(dest, n, "%s.pre-v%d-%s.bak", path, STORE_SCHEMA_VERSION, when);
    if (k < 0 || (size_t)k >= n)
        return err_set(e, ERR_INPUT, "the database's name is too long to name its backup");
    if (store_backup(path, dest, e) != ERR_OK) {
        err_prefix(e,
                   "the backup before migrating schema version %d to %d failed, so the "
                   "database is left as it was: ",
                   from, STORE_SCHEMA_VERSION);
        return e->code;
    }
    /* The one line the store writes itself: whichever command or service
     * opened the database, the operator (or journald) must learn where the
     * copy of the old version is. */
    fprintf(stderr, "tsunagu: backed up %s (schema version %d) to %s before migrating it to %d\n",
            path, from, dest, STORE_SCHEMA_VERSION);
    return ERR_OK;
}
