/* SPDX-License-Identifier: MIT */
/* static.h - the web page's files over HTTP: web/ (the page, its scripts,
 * styles and map style) and MapLibre GL JS as npm installed it
 * (web/node_modules/maplibre-gl/dist), each under a fixed URL prefix, as
 * handlers for the server's routing table (see server.h).
 *
 *   GET /                      web/index.html
 *   GET /web/{name}            web/{name}
 *   GET /lib/maplibre-gl/{name} web/node_modules/maplibre-gl/dist/{name}
 *
 * The web root is $TSUNAGU_WEB, else ./web when it holds index.html, else
 * the source tree's web/ (TSUNAGU_SOURCE_DIR, fixed at build time).
 *
 * Safety. A name is relative, at most STATIC_NAME_MAX bytes, made of
 * segments of [A-Za-z0-9._-] that do not start with '.' (so no "..", no
 * hidden files); anything else - "%2e%2e" and "%2f" arrive decoded by
 * libmicrohttpd and are refused as such, as are a remaining '%', '\',
 * NUL, spaces and non-ASCII bytes - is a 400. The file's real path (symlinks
 * resolved) must lie inside the root's real path (403 otherwise); only
 * regular files of at most STATIC_FILE_MAX bytes with an extension of the
 * content-type table are served (404 otherwise). Answers carry an explicit
 * Content-Type, a strong ETag of the content, Cache-Control: no-cache (the
 * browser revalidates and gets 304 when unchanged), and the page a
 * Content-Security-Policy that lets it reach its own origin only. The
 * query string is ignored except "v" (MapLibre's cache-buster).
 *
 * Entry points: static_index, static_web, static_maplibre, static_fonts,
 * static_range_ok, static_name_ok,
 * static_content_type, static_etag_match, static_root.
 */
#ifndef TSUNAGU_STATIC_H
#define TSUNAGU_STATIC_H

#include "server.h"

#include <stddef.h>

#define STATIC_NAME_MAX 128                /* bytes of a requested file name */
#define STATIC_FILE_MAX (16 * 1024 * 1024) /* bytes of a served file */

/* GET / - the page (web/index.html). */
int static_index(struct server_req *rq, struct err *e);

/* GET /web/{} - a file of the web root. */
int static_web(struct server_req *rq, struct err *e);

/* GET /lib/maplibre-gl/{} - a file of MapLibre GL JS's dist/; ERR_NOTFOUND
 * saying how to install it when web/node_modules is missing. */
int static_maplibre(struct server_req *rq, struct err *e);

/* GET /fonts/{stack}/{first}-{last}.pbf: a glyph range of the map's labels
 * (MapLibre's glyphs format), from $TSUNAGU_FONTS, ./fonts,
 * PREFIX/share/tsunagu/fonts or the build tree's fonts/. 400 for a bad
 * stack or range, 404 when the range is not there (MapLibre then draws the
 * text with the browser's fonts). */
int static_fonts(struct server_req *rq, struct err *e);

/* 1 when range is "FIRST-LAST.pbf" with FIRST a multiple of 256, LAST =
 * FIRST + 255 and LAST at most 65535. */
int static_range_ok(const char *range);

/* 1 when `name` is a file name the server may look up (the rules above),
 * else 0. */
int static_name_ok(const char *name);

/* The Content-Type for a file name by its extension, or NULL when files of
 * that kind are not served. */
const char *static_content_type(const char *name);

/* 1 when an If-None-Match header value (a list of entity tags, or "*")
 * matches `etag`, weak comparison as RFC 9110 asks for GET. */
int static_etag_match(const char *if_none_match, const char *etag);

/* Writes the web root's directory (not yet resolved) into buf; ERR_NOTFOUND
 * when no candidate holds index.html. */
int static_root(char *buf, size_t n, struct err *e);

#endif
