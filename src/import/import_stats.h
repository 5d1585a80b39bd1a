/* SPDX-License-Identifier: MIT */
/* import_stats.h - `tsunagu import statistics FILE --key KEY_CODE`: joins
 * an e-Stat small-area statistics table (国勢調査 小地域集計, CSV in
 * Shift_JIS with two header rows: the column codes KEY_CODE, HYOSYO,
 * CITYNAME, NAME, HTKSYORI, HTKSAKI, GASSAN, T001082001 ..., then the
 * columns' Japanese names) to the small areas already imported, by the
 * area's code. Each statistics column becomes a named indicator of the
 * matching areas (store_indicators.h), named by its Japanese name.
 *
 * Entry points: import_statistics.
 */
#ifndef TSUNAGU_IMPORT_STATS_H
#define TSUNAGU_IMPORT_STATS_H

#include "err.h"
#include "store.h"

#define IMPORT_STATS_COLUMNS_MAX 1000 /* statistics columns of one file */

/* What `import statistics` did. */
struct import_stats_report {
    long rows;      /* data rows read (the names row not counted) */
    long matched;   /* rows whose key is the code of an imported small area */
    long unmatched; /* rows whose key matches none (other towns, the municipality's row) */
    long columns;   /* statistics columns kept */
    long values;    /* values stored (area x column) */
    long secret;    /* values e-Stat keeps secret (秘匿: X, *), stored as no value */
    int names_row;  /* 1 when the file had e-Stat's second header row of names */
};

/* Reads `path` (encoding `encoding`, NULL: detected; e-Stat's files are
 * CP932) with key column `key` (NULL: KEY_CODE) and stores its columns as
 * indicators of the matching small areas, replacing earlier values of the
 * same names; `source` is the dataset key (NULL: the file name). One
 * transaction: on failure (no key column, a value that is not a number,
 * no row matching any small area) the database is unchanged and e names
 * the file, line and column. */
int import_statistics(struct store *st, const char *path, const char *key, const char *encoding,
                      const char *source, struct import_stats_report *rep, struct err *e);

#endif
