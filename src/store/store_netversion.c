/* SPDX-License-Identifier: MIT */
/* store_netversion.c - what keys the saved walking graph (walk's graph file)
 * to a database: the network's version and the database file's path.
 * Entry points: store_network_version, store_file_path. */
#include "hash.h"
#include "store.h"
#include "store_private.h"

#include <string.h>

/* Feed every column of every row of `sql` into *h. */
static int store_netversion_rows(struct store *s, const char *sql, uint64_t *h, struct err *e)
{
    sqlite3_stmt *st = store_prepare(s, sql, "reading the network's version", e);
    if (st == NULL)
        return ERR_IO;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int n = sqlite3_column_count(st);
        for (int i = 0; i < n; i++) {
            int t = sqlite3_column_type(st, i);
            *h = hash_fnv(*h, &t, sizeof t);
            const void *b = sqlite3_column_blob(st, i);
            int len = sqlite3_column_bytes(st, i);
            *h = hash_fnv(*h, &len, sizeof len);
            if (b != NULL && len > 0)
                *h = hash_fnv(*h, b, (size_t)len);
        }
    }
    return store_finish(s, st, rc, ERR_OK, "reading the network's version", e);
}

int store_network_version(struct store *s, unsigned long long *version, struct err *e)
{
    uint64_t h = HASH_FNV_SEED;
    int srid = store_srid(s);
    h = hash_fnv(h, &srid, sizeof srid);
    /* The first import stands for the database's identity (when and what it
     * began with); every network import, replacement included, for its
     * network; the largest node and edge ids catch a network changed
     * without a log row. */
    int rc = store_netversion_rows(s,
                                   "SELECT id, kind, source, file, features, imported_at"
                                   " FROM imports WHERE kind = 'network'"
                                   " OR id = (SELECT MIN(id) FROM imports) ORDER BY id",
                                   &h, e);
    if (rc == ERR_OK && srid != 0)
        rc = store_netversion_rows(s,
                                   "SELECT (SELECT COALESCE(MAX(id), 0) FROM net_nodes),"
                                   " (SELECT COALESCE(MAX(id), 0) FROM net_edges)",
                                   &h, e);
    if (rc == ERR_OK)
        *version = h;
    return rc;
}

const char *store_file_path(struct store *s)
{
    const char *p = sqlite3_db_filename(store_sqlite(s), "main");
    return p != NULL && p[0] != '\0' ? p : NULL;
}
