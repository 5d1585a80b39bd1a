/* SPDX-License-Identifier: MIT */
/* http_routes.c - tsunagu's routing table (see http_routes.h): every path
 * the service answers, its methods and its handler, kept apart from the
 * HTTP mechanics of server.c as Redis keeps its command table apart from
 * its server. Adding an endpoint is one line here. */
#include "http_routes.h"

#include "http_access.h"
#include "http_api.h"
#include "http_geocode.h"
#include "http_mounts.h"
#include "http_equipment.h"
#include "http_needs.h"
#include "http_path.h"
#include "http_plan.h"
#include "http_register.h"
#include "http_session.h"
#include "http_share.h"
#include "http_report.h"
#include "http_tiles.h"
#include "http_visits.h"
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
    {"/api/resources", SERVER_POST, 1, http_register_create},
    {"/api/resources.csv", SERVER_GET, 0, http_register_csv},
    {"/api/resources.geojson", SERVER_GET, 0, http_register_geojson},
    {"/api/resources/{}", SERVER_GET, 0, http_register_get},
    {"/api/resources/{}", SERVER_PATCH, 1, http_register_patch},
    {"/api/resources/{}", SERVER_DELETE, 1, http_register_retire},
    {"/api/resources/{}/history", SERVER_GET, 0, http_register_history},
    {"/api/districts/at", SERVER_GET, 0, http_api_districts_at},
    {"/api/geocode", SERVER_GET, 0, http_geocode},
    {"/api/walk", SERVER_GET, 0, http_api_walk},
    {"/api/isochrone", SERVER_GET, 0, http_api_isochrone},
    {"/api/path", SERVER_GET, 0, http_path},
    {"/api/coverage", SERVER_GET, 0, http_plan_coverage},
    {"/api/suggest", SERVER_GET, 0, http_plan_suggest},
    {"/api/needs", SERVER_GET, 0, http_needs},
    {"/api/equipment", SERVER_GET, 0, http_equipment},
    {"/api/report.pdf", SERVER_GET, 0, http_report_pdf},
    {"/api/route", SERVER_POST, 1, http_plan_route},
    {"/api/me", SERVER_GET, 0, http_access_me},
    {"/api/session", SERVER_GET, 0, http_session_get},
    {"/api/session", SERVER_POST, 0, http_session_open},
    {"/api/session", SERVER_DELETE, 0, http_session_close},
    {"/api/households", SERVER_GET, 0, http_access_households},
    {"/api/households/{}", SERVER_GET, 0, http_access_household},
    {"/api/households/{}/visits", SERVER_GET, 0, http_visits_list},
    {"/api/visits", SERVER_POST, 1, http_visits_add},
    {"/api/households/{}/shares", SERVER_GET, 0, http_share_list},
    {"/api/households/{}/shares", SERVER_POST, 1, http_share_add},
    {"/api/households/{}/unshare", SERVER_POST, 1, http_share_remove},
    {"/api/households/{}/protection", SERVER_POST, 1, http_share_protect},
    {"/api/households/{}/commissioner", SERVER_POST, 1, http_share_commissioner},
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
    {"/fonts/{}/{}", SERVER_GET, 0, static_fonts},
    {NULL, SERVER_GET | SERVER_HEAD | SERVER_POST | SERVER_PATCH | SERVER_DELETE | SERVER_OTHER, 0,
     http_routes_not_found},
};

/* The server's own pages when it serves several municipalities (serve
 * --db-dir), outside their /m/CODE/ trees. */
const struct server_route http_mount_routes[] = {
    {"/", SERVER_GET, 0, http_mounts_index},
    {"/api/municipalities", SERVER_GET, 0, http_mounts_list},
    {NULL, SERVER_GET | SERVER_HEAD | SERVER_POST | SERVER_PATCH | SERVER_DELETE | SERVER_OTHER, 0,
     http_mounts_not_found},
};
