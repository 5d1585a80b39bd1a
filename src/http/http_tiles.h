/* SPDX-License-Identifier: MIT */
/* http_tiles.h - map tiles over HTTP: Mapbox Vector Tiles 2.1 at
 * /tiles/{layer}/{z}/{x}/{y}.mvt and TileJSON 3.0.0 at /tiles/{layer}.json,
 * as handlers for the server's routing table (see server.h for the handler
 * contract and tiles.h for what the tiles hold).
 *
 * HTTP semantics, chosen deliberately:
 *   - 200 application/vnd.mapbox-vector-tile, or 204 No Content when the
 *     tile holds no feature (MapLibre and GDAL accept both; 204 saves a
 *     body and a decode).
 *   - Strong ETag over the tile's bytes (a gzip body has its own ETag with
 *     a "-gz" suffix, as strong validators are per representation); a
 *     matching If-None-Match answers 304 without a body.
 *   - Content-Encoding: gzip when Accept-Encoding allows gzip (q > 0),
 *     always Vary: Accept-Encoding.
 *   - Cache-Control: public, max-age=60, must-revalidate: tiles show public
 *     layers only, a browser may reuse one for a minute and must then ask
 *     again (a cheap 304 while the data is unchanged), so an import shows
 *     on the map within a minute. Errors are no-store (server.c).
 *   - 400 JSON error naming the bad part (z, x, y, or a coverage
 *     parameter), 404 for an unknown layer, or for streets/coverage on a
 *     database without a walking network.
 *
 * Entry points: http_tiles_tile, http_tiles_tilejson,
 * http_tiles_accepts_gzip, http_tiles_etag_matches.
 */
#ifndef TSUNAGU_HTTP_TILES_H
#define TSUNAGU_HTTP_TILES_H

#include "server.h"

/* Cache-Control of data tiles (see above). */
#define HTTP_TILES_CACHE_CONTROL "public, max-age=60, must-revalidate"

/* GET /tiles/{layer}/{z}/{x}/{y}.mvt[?kind=&minutes=&level=] - one tile;
 * the query parameters are taken by the coverage layer only. */
int http_tiles_tile(struct server_req *rq, struct err *e);

/* GET /tiles/{layer}.json[?kind=&minutes=&level=] - the layer's TileJSON
 * 3.0.0 document, whose tile URL template is built from the Host header. */
int http_tiles_tilejson(struct server_req *rq, struct err *e);

/* 1 when an Accept-Encoding header value admits gzip (a "gzip" or "*"
 * coding with q > 0, where an explicit gzip entry wins over "*"); NULL
 * admits nothing. Exposed for tests. */
int http_tiles_accepts_gzip(const char *accept_encoding);

/* 1 when an If-None-Match header value matches `etag` (quoted): "*" or a
 * list holding it, compared weakly as RFC 9110 asks for If-None-Match (a
 * W/ prefix is ignored); a malformed value matches nothing. Exposed for
 * tests. */
int http_tiles_etag_matches(const char *if_none_match, const char *etag);

#endif
