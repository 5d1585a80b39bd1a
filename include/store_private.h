/* store_private.h - what the store module's own files (store*.c) share and
 * nobody else may see: the SQLite connection behind a struct store. It pulls
 * in sqlite3.h, so only store*.c include it (store.h stays SQL-free). */
#ifndef TSUNAGU_STORE_PRIVATE_H
#define TSUNAGU_STORE_PRIVATE_H

#include "store.h"

#include <sqlite3.h>

/* The connection of `s` (borrowed: valid until store_close). Statements a
 * store*.c file prepares on it must be finalized before store_close. */
sqlite3 *store_sqlite(struct store *s);

#endif
