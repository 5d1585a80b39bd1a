/* SPDX-License-Identifier: MIT */
/* http_path.c - GET /api/path (see http_path.h): parses the origin with the
 * walking query parser every walking endpoint uses, the destination with
 * walk_parse_number, and traces the path with route_path (the tracer of
 * outreach routes). Entry point: http_path. */
#include "http_path.h"

#include "route.h"
#include "walk_json.h"

#include <stdlib.h>

int http_path(struct server_req *rq, struct err *e)
{
    struct walk_query_text t = {0};
    const char *to_lon_t = NULL, *to_lat_t = NULL;
    const struct server_param spec[] = {
        {"lon", &t.lon},
        {"lat", &t.lat},
        {"minutes", &t.minutes},
        {"speed", &t.speed},
        {"steps-factor", &t.steps_factor},
        {"to_lon", &to_lon_t},
        {"to_lat", &to_lat_t},
        {NULL, NULL},
    };
    struct walk_query q;
    double to_lon = 0, to_lat = 0;
    if (server_req_params(rq, spec, e) != ERR_OK || walk_query_parse(&t, "", &q, e) != ERR_OK)
        return ERR_INPUT;
    if (to_lon_t == NULL || to_lat_t == NULL)
        return err_set(e, ERR_INPUT, "to_lon and to_lat (the destination) are required");
    if (walk_parse_number(to_lon_t, "", "to_lon", &to_lon, e) != ERR_OK ||
        walk_parse_number(to_lat_t, "", "to_lat", &to_lat, e) != ERR_OK)
        return ERR_INPUT;
    struct walk_session *s = server_walk(rq, e);
    const struct walk_net *net = s ? server_net(rq, e) : NULL;
    if (net == NULL)
        return e->code;
    double *line = NULL, walk_m = 0;
    size_t n = 0;
    if (route_path(s, net, &q, to_lon, to_lat, &line, &n, &walk_m, e) != ERR_OK)
        return e->code;
    json_t *coords = json_array();
    for (size_t i = 0; coords && i < n; i++)
        if (json_array_append_new(coords, json_pack("[f,f]", walk_json_round(line[2 * i], 7),
                                                    walk_json_round(line[2 * i + 1], 7))) != 0) {
            json_decref(coords);
            coords = NULL;
        }
    free(line);
    if (coords == NULL)
        return err_nomem(e);
    double speed = q.speed == 0 ? WALK_DEFAULT_SPEED : q.speed;
    json_t *doc =
        json_pack("{s:s,s:{s:s,s:o},s:{s:f,s:f}}", "type", "Feature", "geometry", "type",
                  "LineString", "coordinates", coords, "properties", "walk_m",
                  walk_json_round(walk_m, 1), "walk_min", walk_json_round(walk_m / speed, 1));
    if (doc == NULL)
        return err_nomem(e);
    return server_reply_json(rq, 200, doc, "application/geo+json", e);
}
