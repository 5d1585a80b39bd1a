/* SPDX-License-Identifier: MIT */
/* http_path.h - GET /api/path: the walking path from a point to a point
 * along the streets, for the page's "walk there" line from the chosen
 * origin to a listed resource. Public: it reads the network only.
 *
 * Entry points: http_path. */
#ifndef TSUNAGU_HTTP_PATH_H
#define TSUNAGU_HTTP_PATH_H

#include "server.h"

/* ?lon&lat (origin) &to_lon&to_lat [&minutes&speed&steps-factor]: 200 a
 * GeoJSON Feature (LineString) with properties walk_m and walk_min; 400 for
 * a bad or missing parameter or a point off the network, 404 when the
 * destination is beyond `minutes` (default the walking default). */
int http_path(struct server_req *rq, struct err *e);

#endif
