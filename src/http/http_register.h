/* SPDX-License-Identifier: MIT */
/* http_register.h - the resource register over HTTP (issue 12; see
 * server.h for the handler contract and store_register.h for the records).
 * Editors and admins (AUTH_PERM_REGISTER) add, change and retire
 * resources and read one resource and its history; everyone else reads
 * the public list and its exports as before, and anonymous callers never
 * write.
 *
 * Every answer about one resource carries ETag: "VERSION". PATCH and
 * DELETE need If-Match with it: without, 428; with a stale one, 409 with
 * the current record and its ETag, so two editors never overwrite each
 * other silently. Bodies are JSON objects of the members resfields.h
 * names, checked (depth, duplicates, types, limits, UTF-8) before the
 * database is touched; a refused body leaves it unchanged. Each write is
 * one transaction on its own read-write connection and moves the data
 * version, so the next tile, walk, coverage or OGC answer reflects it.
 *
 * Entry points: http_register_create, http_register_get, http_register_patch,
 * http_register_retire, http_register_history, http_register_csv,
 * http_register_geojson, http_register_body.
 */
#ifndef TSUNAGU_HTTP_REGISTER_H
#define TSUNAGU_HTTP_REGISTER_H

#include "server.h"

#define HTTP_REGISTER_ID_MAX 128 /* bytes of a resource id in a path */

/* POST /api/resources: adds a resource; 201 with the record, its ETag and
 * Location. */
int http_register_create(struct server_req *rq, struct err *e);

/* GET /api/resources/{id}: the record (retired ones too) with its ETag. */
int http_register_get(struct server_req *rq, struct err *e);

/* PATCH /api/resources/{id}: changes the members the body names. */
int http_register_patch(struct server_req *rq, struct err *e);

/* DELETE /api/resources/{id}: retires the resource (record and history stay). */
int http_register_retire(struct server_req *rq, struct err *e);

/* GET /api/resources/{id}/history: {"id", "history": [...]} oldest first. */
int http_register_history(struct server_req *rq, struct err *e);

/* GET /api/resources.csv?level= and /api/resources.geojson?level=: the
 * public export (store_export.h); public. */
int http_register_csv(struct server_req *rq, struct err *e);
int http_register_geojson(struct server_req *rq, struct err *e);

/* Parses a request body into a JSON object (new reference in *doc):
 * ERR_INPUT for no body, nesting deeper than HTTP_PLAN_DEPTH_MAX, invalid
 * JSON or UTF-8, a member named twice or a body that is not an object,
 * with one sentence that never quotes the body. Then applies it to a copy
 * of `base` (an object; {} on create) with resfields_apply into *rec. The
 * fuzz target fuzz_register_body runs exactly this. */
int http_register_body(const char *body, size_t len, const json_t *base, int create, json_t **rec,
                       struct err *e);

#endif
