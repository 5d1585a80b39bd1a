/* SPDX-License-Identifier: MIT */
/* http_geocode.c - GET /api/geocode (see http_geocode.h). The geocoder
 * is opened per request over the worker's read-only connection: loading
 * the towns of a municipality's reference takes about a millisecond. */
#include "http_geocode.h"

#include "geocode.h"

#include <string.h>

int http_geocode(struct server_req *rq, struct err *e)
{
    const char *q;
    const struct server_param spec[] = {{"q", &q}, {NULL, NULL}};
    if (server_req_params(rq, spec, e) != ERR_OK)
        return ERR_INPUT;
    if (q == NULL || *q == '\0')
        return err_set(e, ERR_INPUT, "q (the address to look up) is required");
    struct store *st = server_store(rq, e);
    if (st == NULL)
        return e->code;
    struct geocoder *g = geocode_open(st, e);
    if (g == NULL)
        return e->code;
    struct geocode_result r;
    int rc = geocode_find(g, q, strlen(q), &r, e);
    geocode_close(g);
    if (rc != ERR_OK)
        return rc; /* the sentences name no part of the address */
    return server_reply_json(rq, 200, geocode_result_json(q, &r), NULL, e);
}
