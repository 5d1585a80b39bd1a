/* SPDX-License-Identifier: MIT */
/* http_api.c - the JSON API under /api (see http_api.h): walking answers and
 * isochrones through the shared walking engine, the districts at a point,
 * levels, the public resource list and the service's metadata. Parameters
 * are parsed with the same walk_query_parse the CLI uses, so both edges
 * accept and refuse the same queries with the same sentences. Candidate
 * sites (kind "candidate") are walked to only by roles that plan sites. */
#include "http_api.h"

#include "auth.h"
#include "isochrone.h"
#include "store_place.h"
#include "walk_json.h"

#include <string.h>

/* Parameters of a walking query over HTTP (max-snap is CLI-only; the page
 * sends steps-factor for 階段を避ける); /api/isochrone takes no kind or
 * field. */
static int http_api_walk_query(struct server_req *rq, int with_filters, struct walk_query *q,
                               struct err *e)
{
    struct walk_query_text t = {0};
    const struct server_param walk[] = {
        {"lon", &t.lon},
        {"lat", &t.lat},
        {"minutes", &t.minutes},
        {"speed", &t.speed},
        {"kind", &t.kind},
        {"field", &t.field},
        {"target", &t.target},
        {"open_at", &t.open_at},
        {"open_on", &t.open_on},
        {"steps-factor", &t.steps_factor},
        {NULL, NULL},
    };
    const struct server_param iso[] = {
        {"lon", &t.lon},
        {"lat", &t.lat},
        {"minutes", &t.minutes},
        {"speed", &t.speed},
        {"steps-factor", &t.steps_factor},
        {NULL, NULL},
    };
    if (server_req_params(rq, with_filters ? walk : iso, e) != ERR_OK)
        return ERR_INPUT;
    return walk_query_parse(&t, "", q, e);
}

int http_api_walk(struct server_req *rq, struct err *e)
{
    struct walk_query q;
    struct walk_result r;
    if (http_api_walk_query(rq, 1, &q, e) != ERR_OK)
        return ERR_INPUT;
    /* Candidate sites are planning material (suggest.h), not public
     * resources: only the roles that plan sites may walk to them. */
    if (q.kind && strcmp(q.kind, WALK_CANDIDATE_KIND) == 0 &&
        auth_require(server_req_user(rq), AUTH_PERM_SUGGEST, e) != ERR_OK)
        return e->code;
    struct walk_session *s = server_walk(rq, e);
    if (s == NULL || walk_reachable(s, &q, &r, e) != ERR_OK)
        return e->code;
    return server_reply_json(rq, 200, walk_json_reachable(server_net(rq, e), &q, &r), NULL, e);
}

int http_api_isochrone(struct server_req *rq, struct err *e)
{
    struct walk_query q;
    if (http_api_walk_query(rq, 0, &q, e) != ERR_OK)
        return ERR_INPUT;
    struct walk_session *s = server_walk(rq, e);
    json_t *f = s ? isochrone_geojson(s, server_net(rq, e), &q, 0, e) : NULL;
    if (f == NULL)
        return e->code;
    return server_reply_json(rq, 200, f, "application/geo+json", e);
}

/* Where callbacks append rows. */
struct http_api_list {
    json_t *list;    /* array being filled (owned by the caller) */
    struct crs *crs; /* for resource positions */
    int failed;      /* an append failed */
};

static int http_api_add_district(void *ctx, const char *level, const char *code, const char *name)
{
    struct http_api_list *l = ctx;
    json_t *o = json_pack("{s:s?,s:s?,s:s?}", "level", level, "code", code, "name", name);
    if (o == NULL || json_array_append_new(l->list, o) != 0)
        return ERR_NOMEM;
    return ERR_OK;
}

int http_api_districts_at(struct server_req *rq, struct err *e)
{
    const char *lon_t, *lat_t;
    const struct server_param spec[] = {{"lon", &lon_t}, {"lat", &lat_t}, {NULL, NULL}};
    double lon = 0, lat = 0, x, y;
    if (server_req_params(rq, spec, e) != ERR_OK)
        return ERR_INPUT;
    if (lon_t == NULL || lat_t == NULL)
        return err_set(e, ERR_INPUT, "lon and lat are required");
    if (server_number(lon_t, "lon", &lon, e) != ERR_OK ||
        server_number(lat_t, "lat", &lat, e) != ERR_OK)
        return ERR_INPUT;
    const struct server_ctx *ctx = server_req_ctx(rq);
    if (!crs_area_contains(&ctx->area, lon, lat))
        return err_set(e, ERR_INPUT,
                       "lon/lat %.6f, %.6f lie outside the data's area (%g-%g E, "
                       "%g-%g N)",
                       lon, lat, ctx->area.min_lon, ctx->area.max_lon, ctx->area.min_lat,
                       ctx->area.max_lat);
    struct crs *c = server_crs(rq, e);
    struct store_features *f = c ? server_features(rq, e) : NULL;
    if (f == NULL)
        return e->code;
    if (crs_to_xy(c, lon, lat, &x, &y) != ERR_OK)
        return err_set(e, ERR_INPUT, "lon/lat %.6f, %.6f cannot be projected", lon, lat);
    struct http_api_list l = {json_array(), NULL, 0};
    if (l.list == NULL)
        return err_nomem(e);
    int rc = store_features_districts_at(f, x, y, http_api_add_district, &l, e);
    if (rc != ERR_OK) {
        json_decref(l.list);
        return rc == ERR_NOMEM ? err_nomem(e) : rc;
    }
    return server_reply_json(
        rq, 200, json_pack("{s:f,s:f,s:o}", "lon", lon, "lat", lat, "districts", l.list), NULL, e);
}

static void http_api_add_level(void *ctx, const char *level, const char *label, long count)
{
    struct http_api_list *l = ctx;
    json_t *o = json_pack("{s:s?,s:s?,s:I}", "level", level, "label", label, "districts",
                          (json_int_t)count);
    if (o == NULL || json_array_append_new(l->list, o) != 0)
        l->failed = 1;
}

int http_api_levels(struct server_req *rq, struct err *e)
{
    const struct server_param spec[] = {{NULL, NULL}};
    if (server_req_params(rq, spec, e) != ERR_OK)
        return ERR_INPUT;
    struct store *st = server_store(rq, e);
    if (st == NULL)
        return e->code;
    struct http_api_list l = {json_array(), NULL, 0};
    if (l.list == NULL)
        return err_nomem(e);
    if (store_levels_each(st, http_api_add_level, &l, e) != ERR_OK || l.failed) {
        json_decref(l.list);
        return l.failed ? err_nomem(e) : e->code;
    }
    return server_reply_json(rq, 200, json_pack("{s:o}", "levels", l.list), NULL, e);
}

static int http_api_add_resource(void *ctx, const struct store_resource_row *r)
{
    struct http_api_list *l = ctx;
    double lon, lat;
    if (crs_to_lonlat(l->crs, r->x, r->y, &lon, &lat) != ERR_OK)
        return ERR_IO;
    json_t *o = json_pack("{s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,"
                          "s:s?,s:s?,s:f,s:f}",
                          "id", r->rid, "name", r->name, "kind", r->kind, "fields", r->fields,
                          "hub_type", r->hub_type, "address", r->address, "schedule", r->schedule,
                          "contact", r->contact, "operator", r->operator_, "target", r->target,
                          "url", r->url, "languages", r->languages, "barrier_free", r->barrier_free,
                          "cost", r->cost, "notes", r->notes, "lon", walk_json_round(lon, 7), "lat",
                          walk_json_round(lat, 7));
    if (o == NULL || json_array_append_new(l->list, o) != 0)
        return ERR_NOMEM;
    return ERR_OK;
}

int http_api_resources(struct server_req *rq, struct err *e)
{
    const struct server_param spec[] = {{NULL, NULL}};
    if (server_req_params(rq, spec, e) != ERR_OK)
        return ERR_INPUT;
    struct crs *c = server_crs(rq, e);
    struct store *st = c ? server_store(rq, e) : NULL;
    if (st == NULL)
        return e->code;
    struct http_api_list l = {json_array(), c, 0};
    if (l.list == NULL)
        return err_nomem(e);
    int rc = store_resources_each(st, http_api_add_resource, &l, e);
    if (rc != ERR_OK) {
        json_decref(l.list);
        if (rc == ERR_NOMEM)
            return err_nomem(e);
        return err_set(e, rc, "a stored resource cannot be projected to WGS84");
    }
    return server_reply_json(rq, 200, json_pack("{s:o}", "resources", l.list), NULL, e);
}

/* Grows box (CRS84) by the extent of q's layer; an empty layer adds nothing. */
static int http_api_extent(struct store_features *f, int layer, double box[4], int *have,
                           struct err *e)
{
    struct store_feature_query q = {.layer = layer};
    double b[4];
    struct err ee = {0};
    int rc = store_features_extent(f, &q, b, &ee);
    if (rc == ERR_NOTFOUND)
        return ERR_OK;
    if (rc != ERR_OK)
        return err_set(e, rc, "%s", ee.msg);
    if (!*have) {
        memcpy(box, b, sizeof b);
    } else {
        box[0] = b[0] < box[0] ? b[0] : box[0];
        box[1] = b[1] < box[1] ? b[1] : box[1];
        box[2] = b[2] > box[2] ? b[2] : box[2];
        box[3] = b[3] > box[3] ? b[3] : box[3];
    }
    *have = 1;
    return ERR_OK;
}

/* The "walking" member of /api/meta, for the network as of now. */
static json_t *http_api_walking(struct server_req *rq)
{
    struct err why = {0};
    const struct walk_net *net = server_net(rq, &why);
    json_t *presets = json_array();
    for (const struct walk_preset *p = walk_presets(); presets && p->key; p++)
        if (json_array_append_new(presets, json_pack("{s:s,s:s,s:f}", "key", p->key, "label",
                                                     p->label, "speed_m_per_min", p->speed)) != 0) {
            json_decref(presets);
            return NULL;
        }
    json_t *w =
        json_pack("{s:b,s:o,s:{s:f,s:f,s:f},s:{s:f,s:f,s:f}}", "available", net != NULL, "presets",
                  presets, "speed_m_per_min", "min", WALK_MIN_SPEED, "max", WALK_MAX_SPEED,
                  "default", WALK_DEFAULT_SPEED, "minutes", "min", WALK_MIN_MINUTES, "max",
                  WALK_MAX_MINUTES, "default", WALK_DEFAULT_MINUTES);
    if (w && net == NULL && json_object_set_new(w, "reason", json_string(why.msg)) != 0) {
        json_decref(w);
        return NULL;
    }
    return w;
}

/* store_attrib_each callback: one credit into the array. */
static int http_api_add_credit(void *ctx, const char *text)
{
    return json_array_append_new(ctx, json_string(text)) != 0 ? ERR_NOMEM : 0;
}

int http_api_meta(struct server_req *rq, struct err *e)
{
    const struct server_param spec[] = {{NULL, NULL}};
    if (server_req_params(rq, spec, e) != ERR_OK)
        return ERR_INPUT;
    const struct server_ctx *ctx = server_req_ctx(rq);
    struct store *st = server_store(rq, e);
    struct store_features *f = st ? server_features(rq, e) : NULL;
    if (f == NULL)
        return e->code;
    struct store_summary sum;
    double box[4] = {0, 0, 0, 0};
    int have = 0;
    if (store_summary(st, &sum, e) != ERR_OK ||
        http_api_extent(f, STORE_LAYER_DISTRICTS, box, &have, e) != ERR_OK ||
        http_api_extent(f, STORE_LAYER_RESOURCES, box, &have, e) != ERR_OK)
        return e->code;
    json_t *credits = json_array();
    if (credits == NULL)
        return err_nomem(e);
    if (store_attrib_each(st, http_api_add_credit, credits, e) != ERR_OK) {
        json_decref(credits);
        return e->code ? e->code : err_nomem(e);
    }
    json_t *bbox =
        have ? json_pack("[f,f,f,f]", walk_json_round(box[0], 7), walk_json_round(box[1], 7),
                         walk_json_round(box[2], 7), walk_json_round(box[3], 7))
             : json_null();
    /* "o" steals each reference even when packing fails, and a NULL member
     * fails the pack: an allocation failure anywhere leaves doc NULL. */
    char place[STORE_PLACE_MAX];
    int demo = 0;
    if (store_place_name(st, place, sizeof place, &demo, e) != ERR_OK)
        place[0] = '\0';
    err_clear(e);
    json_t *doc =
        json_pack("{s:s,s:s,s:s,s:i,s:s,s:o,s:o,s:{s:I,s:I,s:I,s:I},s:o,s:s?,s:b}", "name",
                  "tsunagu", "version", TSUNAGU_VERSION, "license", "MIT", "srid", ctx->srid,
                  "crs_name", ctx->crs_name, "bbox", bbox, "attribution", credits, "counts",
                  "districts", (json_int_t)sum.districts, "resources", (json_int_t)sum.resources,
                  "areas", (json_int_t)sum.areas, "network_edges", (json_int_t)sum.edges, "walking",
                  http_api_walking(rq), "municipality", place[0] ? place : NULL, "demo", demo);
    return server_reply_json(rq, 200, doc, NULL, e);
}
