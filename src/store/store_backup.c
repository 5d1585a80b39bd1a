/* SPDX-License-Identifier: MIT */
/* store_backup.c - copying a database safely while it is in use, and
 * checking a copy before trusting it (see the "backups" section of
 * store.h). Copies go through SQLite's online backup API rather than a file
 * copy: the source is read inside one read transaction, so the copy is one
 * consistent state even while the server or an import writes (WAL lets the
 * writer go on meanwhile), and a restore writes the target through its own
 * connection in one write transaction, so its WAL and any reader stay
 * consistent. Entry points: store_backup, store_restore, store_check. */
#include "store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STORE_BACKUP_BUSY_MS 10000 /* how long a copy waits for a lock */

/* Opens path with flags; NULL with ERR_IO naming the file. */
static sqlite3 *store_backup_open(const char *path, int flags, struct err *e)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        err_set(e, ERR_IO, "cannot open %s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, STORE_BACKUP_BUSY_MS);
    return db;
}

/* Copies every page of `from` into `to` in one step (one consistent read of
 * the source, one write transaction on the target). */
static int store_backup_copy(sqlite3 *from, sqlite3 *to, const char *what, struct err *e)
{
    sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
    if (b == NULL)
        return err_set(e, ERR_IO, "cannot start %s: %s", what, sqlite3_errmsg(to));
    int rc = sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE)
        return err_set(e, ERR_IO, "%s failed: %s", what, sqlite3_errstr(rc));
    return ERR_OK;
}

/* The schema version and the first problem PRAGMA integrity_check reports
 * ("ok" when none) of an open database. */
static int store_backup_verify(sqlite3 *db, const char *path, int *version, struct err *e)
{
    sqlite3_stmt *st = NULL;
    *version = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return err_set(e, ERR_INPUT, "%s is not a readable SQLite database: %s", path,
                       sqlite3_errmsg(db));
    }
    *version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (*version > STORE_SCHEMA_VERSION)
        return err_set(e, ERR_INPUT,
                       "%s has schema version %d, newer than this tsunagu's %d: use the newer "
                       "program",
                       path, *version, STORE_SCHEMA_VERSION);
    if (*version < 1)
        return err_set(e, ERR_INPUT, "%s is not a tsunagu database (no schema version)", path);
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check(1)", -1, &st, NULL) != SQLITE_OK)
        return err_set(e, ERR_INPUT, "%s cannot be checked: %s", path, sqlite3_errmsg(db));
    int rc = ERR_OK;
    if (sqlite3_step(st) != SQLITE_ROW)
        rc = err_set(e, ERR_INPUT, "%s is damaged: %s", path, sqlite3_errmsg(db));
    else if (strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0) {
        /* SQLite's report spans lines ("*** in database main ***\nPage 140: ..."):
         * one sentence keeps it on one line. */
        char what[200];
        snprintf(what, sizeof what, "%s", (const char *)sqlite3_column_text(st, 0));
        for (char *p = what; *p; p++)
            if (*p == '\n' || *p == '\r' || *p == '\t')
                *p = ' ';
        rc = err_set(e, ERR_INPUT, "%s is damaged (%s); take an older backup", path, what);
    }
    sqlite3_finalize(st);
    return rc;
}

int store_check(const char *path, int *version, struct err *e)
{
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
        return err_set(e, ERR_NOTFOUND, "%s does not exist or is not a file", path);
    sqlite3 *db = store_backup_open(path, SQLITE_OPEN_READONLY, e);
    if (db == NULL)
        return e->code;
    int rc = store_backup_verify(db, path, version, e);
    sqlite3_close(db);
    return rc;
}

int store_backup(const char *path, const char *dest, struct err *e)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return err_set(e, ERR_NOTFOUND, "the database %s does not exist", path);
    if (lstat(dest, &sb) == 0)
        return err_set(e, ERR_INPUT, "%s exists already; back up into a new file", dest);
    char tmp[4200];
    if (snprintf(tmp, sizeof tmp, "%s.partial", dest) >= (int)sizeof tmp)
        return err_set(e, ERR_INPUT, "the backup's file name is too long");
    unlink(tmp);
    sqlite3 *from = store_backup_open(path, SQLITE_OPEN_READONLY, e);
    if (from == NULL)
        return e->code;
    sqlite3 *to = store_backup_open(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, e);
    int rc = to ? store_backup_copy(from, to, "the backup", e) : e->code;
    int version;
    /* A copy is only as good as its check: verify it before it takes its name. */
    if (rc == ERR_OK)
        rc = store_backup_verify(to, tmp, &version, e);
    sqlite3_close(to);
    sqlite3_close(from);
    if (rc == ERR_OK && rename(tmp, dest) != 0)
        rc = err_set(e, ERR_IO, "cannot name the backup %s", dest);
    if (rc != ERR_OK) {
        unlink(tmp);
        char side[4300];
        snprintf(side, sizeof side, "%s-journal", tmp);
        unlink(side);
    }
    return rc;
}

int store_restore(const char *backup, const char *path, struct err *e)
{
    int version;
    if (store_check(backup, &version, e) != ERR_OK)
        return e->code;
    sqlite3 *from = store_backup_open(backup, SQLITE_OPEN_READONLY, e);
    if (from == NULL)
        return e->code;
    sqlite3 *to = store_backup_open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, e);
    int rc = to ? store_backup_copy(from, to, "the restore", e) : e->code;
    sqlite3_close(to);
    sqlite3_close(from);
    return rc;
}
