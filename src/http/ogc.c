/* SPDX-License-Identifier: MIT */
/* ogc.c - OGC API - Features at /ogc (see ogc.h): landing page,
 * conformance, collections (districts_<level>, resources) and their items as
 * GeoJSON in CRS84, paged by limit/offset with next links and filtered by
 * bbox. The SQL lives in store_features.c; this file validates parameters,
 * projects the bbox into the database CRS for the spatial-index prefilter,
 * and writes the documents with jansson. Entry points: ogc_landing,
 * ogc_conformance, ogc_collections, ogc_collection, ogc_items, ogc_item. */
#include "ogc.h"
#include "num.h"

#include "vocab.h"
#include "walk_json.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OGC_CRS84 "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
#define OGC_LEVELS_MAX 64 /* district levels listed as collections */
#define OGC_URL_MAX 1024  /* bytes of a link */
#define OGC_BBOX_STEPS 32 /* points per bbox edge when projecting it */

/* A district level as a collection. */
struct ogc_level {
    char name[VOCAB_KEY_MAX + 1]; /* level key */
    char label[128];              /* its label, e.g. 小学校区 */
};

/* The levels of the database, by rank. */
struct ogc_levels {
    struct ogc_level v[OGC_LEVELS_MAX]; /* levels */
    size_t n;                           /* in v */
};

/* A resolved collection. */
struct ogc_coll {
    char id[VOCAB_KEY_MAX + 16];   /* "resources" or "districts_<level>" */
    char title[192];               /* human title */
    const char *description;       /* one sentence */
    int layer;                     /* enum store_layer */
    char level[VOCAB_KEY_MAX + 1]; /* districts: the level */
};

/* Formats a link into buf (n bytes); a link longer than OGC_URL_MAX is cut,
 * which cannot happen with the origin's and ids' own limits. */
static void ogc_url(char *buf, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void ogc_url(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, n, fmt, ap);
    va_end(ap);
}

/* Accepts the f parameter of OGC clients: json (geojson for features). */
static int ogc_format(const char *f, int features, struct err *e)
{
    if (f == NULL || strcmp(f, "json") == 0 || strcmp(f, "application/json") == 0 ||
        (features && (strcmp(f, "geojson") == 0 || strcmp(f, "application/geo+json") == 0)))
        return ERR_OK;
    return err_set(e, ERR_INPUT, "f '%.40s' is not served; use f=json%s", f,
                   features ? " or f=geojson" : "");
}

static json_t *ogc_link(const char *href, const char *rel, const char *type, const char *title)
{
    return json_pack("{s:s,s:s,s:s,s:s?}", "href", href, "rel", rel, "type", type, "title", title);
}

static void ogc_add_level(void *ctx, const char *level, const char *label, long count)
{
    struct ogc_levels *l = ctx;
    if (l->n == OGC_LEVELS_MAX || level == NULL)
        return;
    snprintf(l->v[l->n].name, sizeof l->v[l->n].name, "%s", level);
    snprintf(l->v[l->n].label, sizeof l->v[l->n].label, "%s", label ? label : level);
    l->n++;
}

static int ogc_levels(struct server_req *rq, struct ogc_levels *l, struct err *e)
{
    struct store *st = server_store(rq, e);
    l->n = 0;
    if (st == NULL)
        return e->code;
    return store_levels_each(st, ogc_add_level, l, e);
}

static void ogc_district_coll(const struct ogc_level *lv, struct ogc_coll *c)
{
    snprintf(c->id, sizeof c->id, "districts_%s", lv->name);
    snprintf(c->title, sizeof c->title, "%s (%s)", lv->label, lv->name);
    c->description = "School districts or area divisions of one level (polygons).";
    c->layer = STORE_LAYER_DISTRICTS;
    snprintf(c->level, sizeof c->level, "%s", lv->name);
}

static void ogc_resource_coll(struct ogc_coll *c)
{
    snprintf(c->id, sizeof c->id, "resources");
    snprintf(c->title, sizeof c->title, "地域資源 (resources)");
    c->description = "Consultation desks, hubs, salons and other community resources "
                     "(points).";
    c->layer = STORE_LAYER_RESOURCES;
    c->level[0] = '\0';
}

/* Resolves a collection id; ERR_NOTFOUND for anything else (households
 * included: there is no such collection). */
static int ogc_resolve(struct server_req *rq, const char *id, struct ogc_coll *c, struct err *e)
{
    if (strcmp(id, "resources") == 0) {
        ogc_resource_coll(c);
        return ERR_OK;
    }
    if (strncmp(id, "districts_", 10) == 0) {
        struct ogc_levels *l = malloc(sizeof *l);
        if (l == NULL)
            return err_nomem(e);
        int rc = ogc_levels(rq, l, e);
        for (size_t i = 0; rc == ERR_OK && i < l->n; i++)
            if (strcmp(l->v[i].name, id + 10) == 0) {
                ogc_district_coll(&l->v[i], c);
                free(l);
                return ERR_OK;
            }
        free(l);
        if (rc != ERR_OK)
            return rc;
    }
    return err_set(e, ERR_NOTFOUND,
                   "there is no collection '%.60s'; the collections are "
                   "listed at /ogc/collections",
                   id);
}

/* The query selecting a collection's features. */
static void ogc_query(const struct ogc_coll *c, struct store_feature_query *q)
{
    memset(q, 0, sizeof *q);
    q->layer = c->layer;
    q->level = c->layer == STORE_LAYER_DISTRICTS ? c->level : NULL;
}

/* The collection document: id, title, extent (when not empty), links. */
static json_t *ogc_collection_json(struct server_req *rq, struct store_features *f,
                                   const struct ogc_coll *c, struct err *e)
{
    char self[OGC_URL_MAX], items[OGC_URL_MAX];
    ogc_url(self, sizeof self, "%s/ogc/collections/%s", server_req_base(rq), c->id);
    ogc_url(items, sizeof items, "%s/items", self);
    struct store_feature_query q;
    ogc_query(c, &q);
    double b[4];
    json_t *extent = NULL;
    int rc = store_features_extent(f, &q, b, e);
    if (rc == ERR_OK) {
        extent = json_pack("{s:{s:[[f,f,f,f]],s:s}}", "spatial", "bbox", walk_json_round(b[0], 7),
                           walk_json_round(b[1], 7), walk_json_round(b[2], 7),
                           walk_json_round(b[3], 7), "crs", OGC_CRS84);
        if (extent == NULL)
            return err_nomem(e), NULL;
    } else if (rc == ERR_NOTFOUND) {
        err_clear(e);
    } else {
        return NULL;
    }
    json_t *doc =
        json_pack("{s:s,s:s,s:s,s:s,s:[s],s:o*,s:[o,o]}", "id", c->id, "title", c->title,
                  "description", c->description, "itemType", "feature", "crs", OGC_CRS84, "extent",
                  extent, "links", ogc_link(self, "self", "application/json", "this collection"),
                  ogc_link(items, "items", "application/geo+json", "the features"));
    if (doc == NULL)
        err_nomem(e);
    return doc;
}

int ogc_landing(struct server_req *rq, struct err *e)
{
    const char *f;
    const struct server_param spec[] = {{"f", &f}, {NULL, NULL}};
    if (server_req_params(rq, spec, e) != ERR_OK || ogc_format(f, 0, e) != ERR_OK)
        return ERR_INPUT;
    const char *o = server_req_base(rq);
    char self[OGC_URL_MAX], conf[OGC_URL_MAX], data[OGC_URL_MAX];
    ogc_url(self, sizeof self, "%s/ogc", o);
    ogc_url(conf, sizeof conf, "%s/ogc/conformance", o);
    ogc_url(data, sizeof data, "%s/ogc/collections", o);
    return server_reply_json(
        rq, 200,
        json_pack("{s:s,s:s,s:[o,o,o]}", "title", "tsunagu", "description",
                  "The public layers of tsunagu: district levels and community "
                  "resources, nothing else.",
                  "links", ogc_link(self, "self", "application/json", "this document"),
                  ogc_link(conf, "conformance", "application/json", "conformance classes"),
                  ogc_link(data, "data", "application/json", "the collections")),
        NULL, e);
}

int ogc_conformance(struct server_req *rq, struct err *e)
{
    const char *f;
    const struct server_param spec[] = {{"f", &f}, {NULL, NULL}};
    if (server_req_params(rq, spec, e) != ERR_OK || ogc_format(f, 0, e) != ERR_OK)
        return ERR_INPUT;
    return server_reply_json(
        rq, 200,
        json_pack("{s:[s,s]}", "conformsTo",
                  "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
                  "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"),
        NULL, e);
}

int ogc_collections(struct server_req *rq, struct err *e)
{
    const char *f;
    const struct server_param spec[] = {{"f", &f}, {NULL, NULL}};
    if (server_req_params(rq, spec, e) != ERR_OK || ogc_format(f, 0, e) != ERR_OK)
        return ERR_INPUT;
    struct store_features *sf = server_features(rq, e);
    if (sf == NULL)
        return e->code;
    struct ogc_levels *l = malloc(sizeof *l);
    json_t *list = json_array();
    int rc = l && list ? ogc_levels(rq, l, e) : err_nomem(e);
    struct ogc_coll c;
    for (size_t i = 0; rc == ERR_OK && i <= l->n; i++) {
        if (i < l->n)
            ogc_district_coll(&l->v[i], &c);
        else
            ogc_resource_coll(&c);
        json_t *one = ogc_collection_json(rq, sf, &c, e);
        if (one == NULL || json_array_append_new(list, one) != 0)
            rc = e->code ? e->code : err_nomem(e);
    }
    free(l);
    if (rc != ERR_OK) {
        json_decref(list);
        return rc;
    }
    char self[OGC_URL_MAX];
    ogc_url(self, sizeof self, "%s/ogc/collections", server_req_base(rq));
    return server_reply_json(rq, 200,
                             json_pack("{s:[o],s:o}", "links",
                                       ogc_link(self, "self", "application/json", "this document"),
                                       "collections", list),
                             NULL, e);
}

int ogc_collection(struct server_req *rq, struct err *e)
{
    const char *f;
    const struct server_param spec[] = {{"f", &f}, {NULL, NULL}};
    struct ogc_coll c;
    if (server_req_params(rq, spec, e) != ERR_OK || ogc_format(f, 0, e) != ERR_OK)
        return ERR_INPUT;
    struct store_features *sf = server_features(rq, e);
    if (sf == NULL || ogc_resolve(rq, server_req_arg(rq, 0), &c, e) != ERR_OK)
        return e->code;
    json_t *doc = ogc_collection_json(rq, sf, &c, e);
    if (doc == NULL)
        return e->code;
    return server_reply_json(rq, 200, doc, NULL, e);
}

/* Parses bbox "min lon,min lat,max lon,max lat" (or the 6-number form with
 * heights, which are ignored) in CRS84 into out. */
static int ogc_bbox(const char *text, double out[4], struct err *e)
{
    double v[6];
    int n = 0;
    const char *p = text;
    while (n < 6) {
        size_t len = strcspn(p, ",");
        if (num_double_span(p, len, 0, "bbox", -DBL_MAX, DBL_MAX, &v[n], NULL) != ERR_OK)
            break;
        n++;
        p += len;
        if (*p != ',')
            break;
        p++;
    }
    if (*p != '\0' || (n != 4 && n != 6))
        return err_set(e, ERR_INPUT,
                       "bbox must be 4 numbers: min lon,min lat,max lon,max lat "
                       "(CRS84)");
    if (n == 6) {
        v[2] = v[3];
        v[3] = v[4];
    }
    if (fabs(v[0]) > 180 || fabs(v[2]) > 180 || fabs(v[1]) > 90 || fabs(v[3]) > 90 || v[1] > v[3])
        return err_set(e, ERR_INPUT,
                       "bbox must lie within -180..180 E and -90..90 N with "
                       "min lat <= max lat");
    if (v[0] > v[2])
        return err_set(e, ERR_INPUT,
                       "bbox crossing the antimeridian (min lon > max lon) is "
                       "not supported");
    memcpy(out, v, 4 * sizeof *out);
    return ERR_OK;
}

/* Projects the boundary of ll (CRS84, inside the database's area) into the
 * database CRS, densified so curved edges stay inside, and returns an
 * enclosing metric envelope with a safety margin. */
static int ogc_xy_box(struct crs *c, const double ll[4], double xy[4], struct err *e)
{
    xy[0] = xy[1] = INFINITY;
    xy[2] = xy[3] = -INFINITY;
    for (int side = 0; side < 4; side++)
        for (int i = 0; i <= OGC_BBOX_STEPS; i++) {
            double t = (double)i / OGC_BBOX_STEPS;
            double lon = side < 2 ? ll[0] + t * (ll[2] - ll[0]) : ll[side == 2 ? 0 : 2];
            double lat = side < 2 ? ll[side == 0 ? 1 : 3] : ll[1] + t * (ll[3] - ll[1]);
            double x, y;
            if (crs_to_xy(c, lon, lat, &x, &y) != ERR_OK)
                return err_set(e, ERR_INPUT, "bbox cannot be projected into the data's CRS");
            xy[0] = x < xy[0] ? x : xy[0];
            xy[1] = y < xy[1] ? y : xy[1];
            xy[2] = x > xy[2] ? x : xy[2];
            xy[3] = y > xy[3] ? y : xy[3];
        }
    double w = xy[2] - xy[0], h = xy[3] - xy[1];
    double margin = 1.0 + 1e-3 * (w > h ? w : h);
    xy[0] -= margin;
    xy[1] -= margin;
    xy[2] += margin;
    xy[3] += margin;
    return ERR_OK;
}

/* A feature from a store row; NULL when out of memory or the stored
 * geometry is not JSON. */
static json_t *ogc_feature(const struct store_feature_row *r)
{
    json_error_t jerr;
    json_t *geom = json_loads(r->geojson, JSON_REJECT_DUPLICATES, &jerr);
    json_t *props = json_object();
    int ok = geom && props;
    for (size_t i = 0; ok && i < r->nprops; i++)
        ok = json_object_set_new(props, r->keys[i],
                                 r->values[i] ? json_string(r->values[i]) : json_null()) == 0;
    if (!ok) {
        json_decref(geom);
        json_decref(props);
        return NULL;
    }
    return json_pack("{s:s,s:I,s:o,s:o}", "type", "Feature", "id", (json_int_t)r->id, "geometry",
                     geom, "properties", props);
}

/* Collects features into an array. */
struct ogc_page {
    json_t *features; /* array (owned by the caller) */
    json_t *one;      /* single-feature reads: the feature (owned by the caller) */
};

static int ogc_add_feature(void *ctx, const struct store_feature_row *r)
{
    struct ogc_page *pg = ctx;
    json_t *feat = ogc_feature(r);
    if (feat == NULL)
        return ERR_NOMEM;
    if (pg->features == NULL) {
        json_decref(pg->one);
        pg->one = feat;
        return ERR_OK;
    }
    return json_array_append_new(pg->features, feat) == 0 ? ERR_OK : ERR_NOMEM;
}

/* Writes the items URL of c with paging and bbox into buf. */
static void ogc_items_url(struct server_req *rq, const struct ogc_coll *c,
                          const struct store_feature_query *q, long offset, char *buf, size_t n)
{
    char bbox[128] = "";
    if (q->has_bbox)
        ogc_url(bbox, sizeof bbox, "&bbox=%.10g,%.10g,%.10g,%.10g", q->bbox[0], q->bbox[1],
                q->bbox[2], q->bbox[3]);
    ogc_url(buf, n, "%s/ogc/collections/%s/items?limit=%ld&offset=%ld%s", server_req_base(rq),
            c->id, q->limit, offset, bbox);
}

int ogc_items(struct server_req *rq, struct err *e)
{
    const char *limit_t, *offset_t, *bbox_t, *f;
    const struct server_param spec[] = {
        {"limit", &limit_t}, {"offset", &offset_t}, {"bbox", &bbox_t}, {"f", &f}, {NULL, NULL}};
    long limit = OGC_LIMIT_DEFAULT, offset = 0;
    struct ogc_coll c;
    struct store_feature_query q;
    if (server_req_params(rq, spec, e) != ERR_OK || ogc_format(f, 1, e) != ERR_OK ||
        server_integer(limit_t, "limit", 1, OGC_OFFSET_MAX, &limit, e) != ERR_OK ||
        server_integer(offset_t, "offset", 0, OGC_OFFSET_MAX, &offset, e) != ERR_OK)
        return ERR_INPUT;
    struct store_features *sf = server_features(rq, e);
    if (sf == NULL || ogc_resolve(rq, server_req_arg(rq, 0), &c, e) != ERR_OK)
        return e->code;
    ogc_query(&c, &q);
    q.limit = limit > OGC_LIMIT_MAX ? OGC_LIMIT_MAX : limit; /* OGC: never an error */
    q.offset = offset;
    int empty = 0;
    if (bbox_t) {
        if (ogc_bbox(bbox_t, q.bbox, e) != ERR_OK)
            return ERR_INPUT;
        q.has_bbox = 1;
        const struct crs_area *a = &server_req_ctx(rq)->area;
        double in[4] = {fmax(q.bbox[0], a->min_lon), fmax(q.bbox[1], a->min_lat),
                        fmin(q.bbox[2], a->max_lon), fmin(q.bbox[3], a->max_lat)};
        empty = in[0] > in[2] || in[1] > in[3]; /* nothing is stored outside the area */
        struct crs *cr = empty ? NULL : server_crs(rq, e);
        if (!empty && (cr == NULL || ogc_xy_box(cr, in, q.xy_box, e) != ERR_OK))
            return e->code;
    }
    long matched = 0;
    struct ogc_page pg = {json_array(), NULL};
    if (pg.features == NULL)
        return err_nomem(e);
    int rc = ERR_OK;
    if (!empty) {
        rc = store_features_count(sf, &q, &matched, e);
        if (rc == ERR_OK && q.offset < matched)
            rc = store_features_each(sf, &q, ogc_add_feature, &pg, e);
        if (rc == ERR_NOMEM)
            err_nomem(e);
    }
    if (rc != ERR_OK) {
        json_decref(pg.features);
        return e->code;
    }
    long returned = (long)json_array_size(pg.features);
    char self[OGC_URL_MAX], next[OGC_URL_MAX], coll[OGC_URL_MAX];
    ogc_items_url(rq, &c, &q, q.offset, self, sizeof self);
    ogc_items_url(rq, &c, &q, q.offset + returned, next, sizeof next);
    ogc_url(coll, sizeof coll, "%s/ogc/collections/%s", server_req_base(rq), c.id);
    json_t *links = json_pack("[o,o]", ogc_link(self, "self", "application/geo+json", "this page"),
                              ogc_link(coll, "collection", "application/json", "the collection"));
    if (links && returned > 0 && q.offset + returned < matched &&
        json_array_append_new(
            links, ogc_link(next, "next", "application/geo+json", "the next page")) != 0) {
        json_decref(links);
        links = NULL;
    }
    return server_reply_json(rq, 200,
                             json_pack("{s:s,s:I,s:I,s:o,s:o}", "type", "FeatureCollection",
                                       "numberMatched", (json_int_t)matched, "numberReturned",
                                       (json_int_t)returned, "features", pg.features, "links",
                                       links),
                             "application/geo+json", e);
}

int ogc_item(struct server_req *rq, struct err *e)
{
    const char *f;
    const struct server_param spec[] = {{"f", &f}, {NULL, NULL}};
    struct ogc_coll c;
    struct store_feature_query q;
    if (server_req_params(rq, spec, e) != ERR_OK || ogc_format(f, 1, e) != ERR_OK)
        return ERR_INPUT;
    struct store_features *sf = server_features(rq, e);
    if (sf == NULL || ogc_resolve(rq, server_req_arg(rq, 0), &c, e) != ERR_OK)
        return e->code;
    const char *fid = server_req_arg(rq, 1);
    long id;
    if (num_long(fid, 0, "feature id", 1, LONG_MAX, &id, NULL) != ERR_OK)
        return err_set(e, ERR_NOTFOUND, "there is no feature '%.40s' in %s", fid, c.id);
    ogc_query(&c, &q);
    struct ogc_page pg = {NULL, NULL};
    int rc = store_features_get(sf, &q, id, ogc_add_feature, &pg, e);
    if (rc != ERR_OK) {
        json_decref(pg.one);
        return rc == ERR_NOMEM ? err_nomem(e) : e->code;
    }
    char self[OGC_URL_MAX], coll[OGC_URL_MAX];
    ogc_url(coll, sizeof coll, "%s/ogc/collections/%s", server_req_base(rq), c.id);
    ogc_url(self, sizeof self, "%s/items/%ld", coll, id);
    json_t *links =
        json_pack("[o,o]", ogc_link(self, "self", "application/geo+json", "this feature"),
                  ogc_link(coll, "collection", "application/json", "the collection"));
    if (links == NULL || json_object_set_new(pg.one, "links", links) != 0) {
        json_decref(pg.one);
        return err_nomem(e);
    }
    return server_reply_json(rq, 200, pg.one, "application/geo+json", e);
}
