/* SPDX-License-Identifier: MIT */
/* import_address.h - `tsunagu import addresses FILE`: loads an address
 * reference into the store (store_address.h), recognising the layout by
 * content, and the placing of resource and household rows that have an
 * address but no coordinates (used by import.c).
 *
 * Layouts: Geolonia 住所データ town JSON ([{"town","koaza","lat","lng"}],
 * needs --municipality), MLIT 位置参照情報 block level (街区レベル, 14
 * columns from 都道府県名) and town level (大字・町丁目レベル, from
 * 都道府県コード), and an ABR (アドレス・ベース・レジストリ) town or
 * 住居表示 CSV whose positions are in the same file (columns such as
 * 大字・町名 / 丁目名 / 街区符号 / 住居番号 / 代表点_経度 / 代表点_緯度, or
 * their new-format names oaza_cho / chome / blk_num / rsdt_num / rep_lon /
 * rep_lat), or an ABR table without coordinates (mt_town, mt_rsdtdsp_blk,
 * mt_rsdtdsp_rsdt) joined by its id columns to its position file (…_pos_…,
 * named with --positions or found beside it by the registry's file names;
 * rows with a 廃止日 are not current). CSVs may be UTF-8 or CP932 (Shift_JIS).
 *
 * Entry points: import_addresses, import_address_csv_field, import_place_open,
 * import_place_row, import_place_finish, import_place_close, import_place_fix_crs,
 * import_place_level.
 */
#ifndef TSUNAGU_IMPORT_ADDRESS_H
#define TSUNAGU_IMPORT_ADDRESS_H

#include "err.h"
#include "source.h"
#include "store.h"

#include <stdio.h>

#define IMPORT_ADDRESS_MAX_ROWS 5000000L    /* rows one reference file may hold */
#define IMPORT_ADDRESS_JSON_MAX (64L << 20) /* bytes of a Geolonia JSON file */

/* What an address import did. */
struct import_address_report {
    const char *layout;  /* "geolonia-town", "mlit-block", "mlit-town", "abr-town", "abr-block",
                            "abr-residence" */
    char positions[256]; /* base name of the ABR position file joined, or "" */
    long rows;           /* data rows read */
    long stored;         /* rows stored */
    long municipalities; /* distinct municipalities stored */
    long towns, blocks, residences; /* rows stored per level */
    long superseded; /* skipped: 更新前履歴フラグ 1 or 3, or an ABR 廃止日 */
    long other_muni; /* skipped: not the --municipality asked for */
    long unnamed;    /* skipped: no town name or no position */
};

/* Loads `path` (replacing the rows of its source: --source or the base
 * name). `municipality` (a name such as 生駒市 or a code such as 29209)
 * names the municipality of a Geolonia file and keeps only that one from
 * the others. `positions` (may be NULL) is the ABR position file of an ABR
 * table without coordinates. One transaction: on failure nothing changes
 * and e names the file and the line. */
int import_addresses(struct store *st, const char *path, const char *municipality,
                     const char *source_name, const char *positions,
                     struct import_address_report *rep, struct err *e);

/* The reference CSV reader (RFC 4180, in place): splits the record at *p
 * (ending before `end`, which must point at a NUL) into at most `max`
 * fields, unquoting them; returns the count (0 at the end), or -1 for an
 * unterminated quote; advances *p past the record. */
int import_address_csv_field(char **p, char *end, char **fields, int max);

/* ---- placing rows from their address (import.c) ---- */

struct import_place;

/* Opens the geocoder over the store's reference and a transform from
 * lon/lat to the database CRS `srid`; `unmatched` is NULL (stop) or "skip",
 * `unmatched_file` the file that then receives the line numbers. NULL with
 * e set (ERR_NOTFOUND when there is no reference). */
struct import_place *import_place_open(struct store *st, int srid, const char *unmatched,
                                       const char *unmatched_file, struct err *e);

/* Places one feature without geometry from its address `addr` (may be
 * NULL). Returns 1 and points *wkb and *len at a point in the database CRS
 * (valid until the next call), 0 when nothing matched (the line is
 * recorded), or -1 with e set. `where` names file and line, never the
 * address. */
int import_place_row(struct import_place *p, const char *addr, long line, const char *where,
                     const unsigned char **wkb, size_t *len, struct err *e);

/* Level name of the last placed row ("town", ...). */
const char *import_place_level(const struct import_place *p);

/* After the last row: ERR_INPUT naming the unmatched rows' lines when the
 * mode is stop; with skip, writes the lines to the unmatched file. `file`
 * is the base name for messages. *unmatched gets the count. */
int import_place_finish(struct import_place *p, const char *file, long *unmatched, struct err *e);
void import_place_close(struct import_place *p);

/* Picks and fixes the database CRS from the reference's first town, for
 * imports whose rows have only addresses. */
int import_place_fix_crs(struct store *st, struct err *e);

#endif
