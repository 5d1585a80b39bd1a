/* SPDX-License-Identifier: MIT */
/* http_geocode.h - GET /api/geocode?q=ADDRESS: the page's address box
 * (住所で探す). Public: it reads only the address reference, never
 * households. The query string is never logged (server.c logs method and
 * path only) and the answer's sentences never quote it.
 *
 * Entry points: http_geocode. */
#ifndef TSUNAGU_HTTP_GEOCODE_H
#define TSUNAGU_HTTP_GEOCODE_H

#include "server.h"

/* 200 {"query","lon","lat","level","matched","precision_m"} (level null
 * when nothing matched); 400 without q or with text that is not UTF-8, 413
 * when longer than ADDRNORM_IN_MAX bytes, 404 when the database has no
 * address reference. */
int http_geocode(struct server_req *rq, struct err *e);

#endif
