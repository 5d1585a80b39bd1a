/* SPDX-License-Identifier: MIT */
/* ogc.h - OGC API - Features (Part 1: Core, GeoJSON) rooted at /ogc:
 * handlers for the server's routing table (see server.h for the contract).
 *
 * Collections: districts_<level> for each district level and resources.
 * Households are never a collection, and nothing here can reach them.
 * Features are GeoJSON in CRS84 with 7 decimals; the feature id is the
 * store's row id. Items take bbox (CRS84 lon/lat, 4 or 6 numbers), limit
 * (default OGC_LIMIT_DEFAULT; larger values are served as OGC_LIMIT_MAX, as
 * the standard asks) and offset, and answer numberMatched, numberReturned
 * and self/next/collection links. Every document also accepts f=json
 * (f=geojson for features). Conformance claims core and geojson only.
 *
 * Entry points: ogc_landing, ogc_conformance, ogc_collections,
 * ogc_collection, ogc_items, ogc_item.
 */
#ifndef TSUNAGU_OGC_H
#define TSUNAGU_OGC_H

#include "server.h"

#define OGC_LIMIT_DEFAULT 100
#define OGC_LIMIT_MAX 1000
#define OGC_OFFSET_MAX 1000000000L

/* GET /ogc - the landing page: links self, conformance, data. */
int ogc_landing(struct server_req *rq, struct err *e);

/* GET /ogc/conformance - the conformance classes implemented. */
int ogc_conformance(struct server_req *rq, struct err *e);

/* GET /ogc/collections - every collection with its extent and links. */
int ogc_collections(struct server_req *rq, struct err *e);

/* GET /ogc/collections/{id} - one collection; ERR_NOTFOUND for an unknown id. */
int ogc_collection(struct server_req *rq, struct err *e);

/* GET /ogc/collections/{id}/items - a page of features (application/geo+json).
 * ERR_INPUT naming a bad bbox, limit or offset. */
int ogc_items(struct server_req *rq, struct err *e);

/* GET /ogc/collections/{id}/items/{featureId} - one feature; ERR_NOTFOUND
 * when the collection or the feature does not exist. */
int ogc_item(struct server_req *rq, struct err *e);

#endif
