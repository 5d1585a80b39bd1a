/* SPDX-License-Identifier: MIT */
/* http_routes.h - tsunagu's routing table: the paths of the API, the OGC
 * API, the tiles and the page, each with its methods and handler, ending
 * with the entry that answers 404. server_start uses it when given no
 * table of its own.
 *
 * Entry points: http_routes, http_mount_routes. */
#ifndef TSUNAGU_HTTP_ROUTES_H
#define TSUNAGU_HTTP_ROUTES_H

#include "server.h"

/* The table (static storage, read-only), ending with a NULL path. */
extern const struct server_route http_routes[];

/* serve --db-dir's own pages outside /m/CODE/ (the municipalities' list),
 * ending with its 404 entry. */
extern const struct server_route http_mount_routes[];

#endif
