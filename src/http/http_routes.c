/* SPDX-License-Identifier: MIT */
/* http_routes.c - tsunagu's routing table (see http_routes.h): every path
 * the service answers, its methods and its handler, kept apart from the
 * HTTP mechanics of server.c as Redis keeps its command table apart from
 * its server. Adding an endpoint is one line here. */
#include "http_routes.h"

#include "http_access.h"
#include "http_api.h"
#include "http_geocode.h"
#include "http_path.h"
#include "http_plan.h"
#include "http_tiles.h"
#include "ogc.h"
#include "static.h"

static int http_routes_not_found(struct server_req *rq, struct err *e)
{
    return err_set(e, ERR_NOTFOUND,
                   "there is nothing at this path; the API starts at "
                   "/api/meta and the OGC API - Features at /ogc");
}

/* tsunagu's routes; the last entry answers 404. Tiles, the web page and
 * POST /api/route plug in here. */
const struct server_route http_routes[] = {
    {"/api/meta", SERVER_GET, 0, http_api_meta},
    {"/api/levels", SERVER_GET, 0, http_api_levels},
    {"/api/resources", SERVER_GET, 0, http_api_resources},
    {"/api/districts/at", SERVER_GET, 0, http_api_districts_at},
    {"/api/geocode", SERVER_GET, 0, http_geocode},
    {"/api/walk", SERVER_GET, 0, http_api_walk},
    {"/api/isochrone", SERVER_GET, 0, http_api_isochrone},
    {"/api/path", SERVER_GET, 0, http_path},
    {"/api/coverage", SERVER_GET, 0, http_plan_coverage},
    {"/api/suggest", SERVER_GET, 0, http_plan_suggest},
    {"/api/route", SERVER_POST, 1, http_plan_route},
    {"/api/me", SERVER_GET, 0, http_access_me},
    {"/api/households", SERVER_GET, 0, http_access_households},
    {"/api/households/{}", SERVER_GET, 0, http_access_household},
    {"/ogc", SERVER_GET, 0, ogc_landing},
    {"/ogc/conformance", SERVER_GET, 0, ogc_conformance},
    {"/ogc/collections", SERVER_GET, 0, ogc_collections},
    {"/ogc/collections/{}", SERVER_GET, 0, ogc_collection},
    {"/ogc/collections/{}/items", SERVER_GET, 0, ogc_items},
    {"/ogc/collections/{}/items/{}", SERVER_GET, 0, ogc_item},
    {"/tiles/{}", SERVER_GET, 0, http_tiles_tilejson},
    {"/tiles/{}/{}/{}/{}", SERVER_GET, 0, http_tiles_tile},
    {"/", SERVER_GET, 0, static_index},
    {"/web/{}", SERVER_GET, 0, static_web},
    {"/lib/maplibre-gl/{}", SERVER_GET, 0, static_maplibre},
    {NULL, SERVER_GET | SERVER_HEAD | SERVER_POST | SERVER_OTHER, 0, http_routes_not_found},
};
