/* SPDX-License-Identifier: MIT */
/* http_api.h - the JSON API under /api: handlers the server's routing table
 * calls (see server.h for the handler contract). Each reads only the query
 * parameters it names (any other, or a repeated one, is a 400), answers
 * application/json (application/geo+json for GeoJSON) with Cache-Control:
 * no-cache, and never reads households.
 *
 * Entry points: http_api_walk, http_api_isochrone, http_api_districts_at,
 * http_api_levels, http_api_resources, http_api_meta.
 */
#ifndef TSUNAGU_HTTP_API_H
#define TSUNAGU_HTTP_API_H

#include "server.h"

/* GET /api/walk?lon=&lat=&minutes=&speed=&kind=&field= - the walk_json
 * document `tsunagu walk --json` prints for the same query. speed is m/min
 * or a preset key (general, slow, elderly). ERR_INPUT naming a bad
 * parameter or an origin off the network; ERR_NOTFOUND without a network. */
int http_api_walk(struct server_req *rq, struct err *e);

/* GET /api/isochrone?lon=&lat=&minutes=&speed= - the reachable area as the
 * GeoJSON Feature of isochrone_geojson. Fails like http_api_walk. */
int http_api_isochrone(struct server_req *rq, struct err *e);

/* GET /api/districts/at?lon=&lat= - {"lon","lat","districts":[{"level",
 * "code","name"}]}: the district of each level containing the point, by
 * level rank. ERR_INPUT for a missing or non-finite coordinate or one
 * outside the data's area. */
int http_api_districts_at(struct server_req *rq, struct err *e);

/* GET /api/levels - {"levels":[{"level","label","districts"}]} by rank. */
int http_api_levels(struct server_req *rq, struct err *e);

/* GET /api/resources - {"resources":[{"id","name","kind","fields",
 * "hub_type","address","schedule","contact","lon","lat"}]} in store order:
 * the public resource list (lon/lat WGS84, 7 decimals). */
int http_api_resources(struct server_req *rq, struct err *e);

/* GET /api/meta - what a web page needs to start: {"name","version","srid",
 * "crs_name","bbox":[min lon, min lat, max lon, max lat] or null,
 * "counts":{"districts","resources","areas","network_edges"},
 * "walking":{"available","reason"?,"presets","speed_m_per_min","minutes"}}.
 * Only public layers are counted. */
int http_api_meta(struct server_req *rq, struct err *e);

#endif
