/* SPDX-License-Identifier: MIT */
/* http_tiles.c - map tiles over HTTP (see http_tiles.h): parses the tile
 * address and the coverage parameters, lends tiles.c the thread's store,
 * CRS and walking session, and answers with the tile's bytes, 204 for an
 * empty tile or 304 when the client's copy is current, with ETag,
 * Content-Encoding, Vary and Cache-Control set here and nowhere else.
 * The coverage layer is derived from households: it needs a signed-in
 * role with AUTH_PERM_COVERAGE (auth.h), checked before anything else, and
 * its tiles then go out private (server.h). Entry points: http_tiles_tile,
 * http_tiles_tilejson, and the header helpers http_tiles_accepts_gzip,
 * http_tiles_etag_matches. */
#include "http_tiles.h"

#include "num.h"
#include "tiles.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HTTP_TILES_MVT_TYPE "application/vnd.mapbox-vector-tile"

/* Skips spaces and tabs. */
static const char *http_tiles_ws(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* The q value of a coding's parameters "; q=0.5" in p[0..n) (1 without). */
static double http_tiles_q(const char *p, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++)
        if ((p[i] == 'q' || p[i] == 'Q') && (i == 0 || p[i - 1] == ';' || p[i - 1] == ' ')) {
            const char *v = http_tiles_ws(p + i + 1);
            if (*v != '=')
                continue;
            v = http_tiles_ws(v + 1);
            size_t room = v < p + n ? (size_t)(p + n - v) : 0;
            size_t len = strcspn(v, " \t;,");
            double q = 1.0; /* as if absent when it is not a number */
            num_double_span(v, len < room ? len : room, 0, "q", -DBL_MAX, DBL_MAX, &q, NULL);
            return q;
        }
    return 1.0;
}

int http_tiles_accepts_gzip(const char *accept_encoding)
{
    if (accept_encoding == NULL)
        return 0;
    double gzip = -1, star = -1; /* q of an explicit gzip and of "*"; -1 = not listed */
    const char *s = accept_encoding;
    while (*s) {
        s = http_tiles_ws(s);
        size_t len = strcspn(s, ",");
        size_t tok = strcspn(s, ";, \t");
        double q = http_tiles_q(s + tok, len - tok);
        if ((tok == 4 && strncasecmp(s, "gzip", 4) == 0) ||
            (tok == 6 && strncasecmp(s, "x-gzip", 6) == 0))
            gzip = q;
        else if (tok == 1 && s[0] == '*')
            star = q;
        s += len;
        if (*s == ',')
            s++;
    }
    return gzip >= 0 ? gzip > 0 : star > 0;
}

int http_tiles_etag_matches(const char *if_none_match, const char *etag)
{
    if (if_none_match == NULL)
        return 0;
    size_t elen = strlen(etag);
    const char *s = if_none_match;
    while (*s) {
        s = http_tiles_ws(s);
        if (*s == '*')
            return 1;
        /* Weak comparison (RFC 9110 13.1.2): W/ is ignored. */
        if (s[0] == 'W' && s[1] == '/')
            s += 2;
        if (*s != '"')
            return 0; /* malformed: never a match */
        const char *close = strchr(s + 1, '"');
        if (close == NULL)
            return 0;
        size_t len = (size_t)(close - s) + 1;
        if (len == elen && memcmp(s, etag, len) == 0)
            return 1;
        s = http_tiles_ws(close + 1);
        if (*s == ',')
            s++;
        else if (*s)
            return 0;
    }
    return 0;
}

/* Reads the query parameters: kind, minutes and level for the coverage
 * layer, none for the others. */
static int http_tiles_params(struct server_req *rq, const char *layer, struct tiles_params *p,
                             struct err *e)
{
    memset(p, 0, sizeof *p);
    const struct server_param none[] = {{NULL, NULL}};
    const struct server_param cov[] = {
        {"kind", &p->kind}, {"minutes", &p->minutes}, {"level", &p->level}, {NULL, NULL}};
    return server_req_params(rq, tiles_layer_walks(layer) ? cov : none, e);
}

/* Lends the service the thread's resources; the walking session only for
 * layers that walk (ERR_NOTFOUND without a network). */
static int http_tiles_env(struct server_req *rq, const char *layer, struct tiles_env *env,
                          struct err *e)
{
    const struct server_ctx *ctx = server_req_ctx(rq);
    memset(env, 0, sizeof *env);
    env->st = server_store(rq, e);
    env->crs = env->st ? server_crs(rq, e) : NULL;
    if (env->crs == NULL)
        return e->code;
    env->area = ctx->area;
    if (tiles_layer_walks(layer) &&
        ((env->ws = server_walk(rq, e)) == NULL || (env->net = server_net(rq, e)) == NULL))
        return e->code;
    return ERR_OK;
}

/* The coverage layer's access check; every other layer is public. */
static int http_tiles_allowed(struct server_req *rq, const char *layer, struct err *e)
{
    if (!tiles_layer_walks(layer))
        return ERR_OK;
    return auth_require(server_req_user(rq), AUTH_PERM_COVERAGE, e);
}

int http_tiles_tile(struct server_req *rq, struct err *e)
{
    const char *layer = server_req_arg(rq, 0);
    if (http_tiles_allowed(rq, layer, e) != ERR_OK)
        return e->code;
    struct tiles_params p;
    int z;
    long x, y;
    if (http_tiles_params(rq, layer, &p, e) != ERR_OK ||
        tiles_parse_zxy(server_req_arg(rq, 1), server_req_arg(rq, 2), server_req_arg(rq, 3), &z, &x,
                        &y, e) != ERR_OK)
        return ERR_INPUT;
    struct tiles_env env;
    if (http_tiles_env(rq, layer, &env, e) != ERR_OK)
        return e->code;
    int gzip = http_tiles_accepts_gzip(server_req_header(rq, "Accept-Encoding"));
    struct tiles_result t;
    if (tiles_get(server_req_ctx(rq)->tiles, &env, layer, z, x, y, &p, gzip, &t, e) != ERR_OK)
        return e->code;
    struct server_header h[] = {
        {"ETag", t.etag},
        {"Vary", "Accept-Encoding"},
        {t.gzip ? "Content-Encoding" : NULL, "gzip"},
        {NULL, NULL},
    };
    if (http_tiles_etag_matches(server_req_header(rq, "If-None-Match"), t.etag)) {
        free(t.body);
        h[2].name = NULL; /* a 304 carries no body to encode */
        return server_reply_bytes(rq, 304, NULL, 0, NULL, HTTP_TILES_CACHE_CONTROL, h, e);
    }
    if (t.empty)
        return server_reply_bytes(rq, 204, NULL, 0, NULL, HTTP_TILES_CACHE_CONTROL, h, e);
    return server_reply_bytes(rq, 200, t.body, t.len, HTTP_TILES_MVT_TYPE, HTTP_TILES_CACHE_CONTROL,
                              h, e);
}

int http_tiles_tilejson(struct server_req *rq, struct err *e)
{
    const char *arg = server_req_arg(rq, 0);
    size_t len = strlen(arg);
    char layer[128];
    if (len <= 5 || strcmp(arg + len - 5, ".json") != 0 || len - 5 >= sizeof layer)
        return err_set(e, ERR_NOTFOUND,
                       "there is nothing at this path; a layer's TileJSON is at "
                       "/tiles/{layer}.json and its tiles at /tiles/{layer}/{z}/{x}/{y}.mvt");
    memcpy(layer, arg, len - 5);
    layer[len - 5] = '\0';
    if (http_tiles_allowed(rq, layer, e) != ERR_OK)
        return e->code;
    struct tiles_params p;
    struct tiles_env env;
    if (http_tiles_params(rq, layer, &p, e) != ERR_OK)
        return ERR_INPUT;
    if (http_tiles_env(rq, layer, &env, e) != ERR_OK)
        return e->code;
    json_t *doc =
        tiles_tilejson(server_req_ctx(rq)->tiles, &env, layer, &p, server_req_base(rq), e);
    if (doc == NULL)
        return e->code;
    return server_reply_json(rq, 200, doc, NULL, e);
}
