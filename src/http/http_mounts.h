/* SPDX-License-Identifier: MIT */
/* http_mounts.h - the few pages of a server that serves several
 * municipalities (serve --db-dir) outside their /m/CODE/ trees: which
 * municipalities it serves, as JSON and as a page of links. Neither reads a
 * database; both are public (a municipality's code and name are public).
 *
 * Entry points: http_mounts_list, http_mounts_index, http_mounts_not_found.
 */
#ifndef TSUNAGU_HTTP_MOUNTS_H
#define TSUNAGU_HTTP_MOUNTS_H

#include "server.h"

/* GET /api/municipalities: {"municipalities": [{"code", "name", "url"}]},
 * url relative to the server's root ("/m/CODE/"). */
int http_mounts_list(struct server_req *rq, struct err *e);

/* GET /: an HTML page linking each municipality's page. */
int http_mounts_index(struct server_req *rq, struct err *e);

/* Any other path outside /m/CODE/: 404 saying where things are. */
int http_mounts_not_found(struct server_req *rq, struct err *e);

#endif
