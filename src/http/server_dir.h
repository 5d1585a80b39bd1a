/* SPDX-License-Identifier: MIT */
/* server_dir.h - the databases of `serve --db-dir DIR`: every file in DIR
 * named CODE.db, where CODE is a municipality's 全国地方公共団体コード (5
 * digits, or 6 with the JIS X 0402 check digit), each served under
 * /m/CODE/ (server.h, server_serve_dir).
 *
 * Entry points: server_dir_scan, server_dir_count, server_dir_code,
 * server_dir_path, server_dir_free, server_dir_code_ok.
 */
#ifndef TSUNAGU_SERVER_DIR_H
#define TSUNAGU_SERVER_DIR_H

#include "err.h"

#include <stddef.h>

#define SERVER_DIR_PATH_MAX 4096 /* bytes of DIR/CODE.db */

/* An opaque list of databases, sorted by code; owned by the caller. */
struct server_dir;

/* Lists the databases in `dir`. ERR_NOTFOUND when dir cannot be read;
 * ERR_INPUT naming the file when a *.db file is not named by a valid code,
 * when one municipality has two files (29209.db and 292095.db) or when the
 * directory holds none; ERR_LIMIT beyond SERVER_MOUNTS_MAX databases. Free
 * with server_dir_free. */
struct server_dir *server_dir_scan(const char *dir, struct err *e);

/* Databases in the list. */
size_t server_dir_count(const struct server_dir *d);

/* The i-th code as its file names it, and the file's path (borrowed from d). */
const char *server_dir_code(const struct server_dir *d, size_t i);
const char *server_dir_path(const struct server_dir *d, size_t i);

/* Frees the list (NULL is fine). */
void server_dir_free(struct server_dir *d);

/* 1 when `code` is 5 digits, or 6 digits whose last is the check digit of
 * the first five ((11 - weighted sum mod 11) mod 10, weights 6 5 4 3 2). */
int server_dir_code_ok(const char *code);

#endif
