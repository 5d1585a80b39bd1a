/* SPDX-License-Identifier: MIT */
/* server.c - tsunagu's HTTP service on libmicrohttpd (see server.h): the
 * service context and its per-thread workers, the daemon with its thread
 * pool, per-request state, routing by a table (http_routes.c holds tsunagu's),
 * body accumulation, replies and
 * the graceful stop on SIGTERM/SIGINT. Entry points: server_ctx_open/close,
 * server_start/port/stop, server_serve; the server_req_* accessors,
 * server_reply_json and the worker getters are what handlers use.
 *
 * A request's life: the URI-log callback allocates its state (so the
 * completion callback always sees it), the first access-handler call routes
 * it and rejects what can be rejected before reading a body (404, 405, 413
 * by Content-Length, 414, parameter limits), later calls accumulate the
 * body, and the last call runs the handler and queues exactly one response.
 * The completion callback logs one line and frees the state. Before the
 * handler runs, a request with an Authorization header is signed in
 * (server_authenticate): a bad or revoked token is a 401, too many failures
 * from one address a 429. */
#include "server.h"

#include "audit.h"
#include "http_routes.h"
#include "http_tls.h"
#include "server_dir.h"
#include "num.h"
#include "tiles.h"
#include "utf8.h"

#include <arpa/inet.h>
#include <math.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ---- the walking network, following the data version ---- */

/* One loaded network and the walking version it was loaded at, shared by
 * reference count: the service holds a reference to the current one, and
 * each worker one to the network its walking session was made on, so a
 * network replaced by a reload lives until its last request ends. */
struct server_snap {
    struct walk_net *net;       /* or NULL when the database has none (err says why) */
    struct err err;             /* the load's error when net is NULL */
    unsigned long long version; /* store_walk_version when it was loaded */
    atomic_int refs;            /* references held */
};

/* The current network. */
struct server_nets {
    pthread_mutex_t lock;    /* guards cur */
    pthread_mutex_t reload;  /* one reload at a time */
    struct server_snap *cur; /* the newest loaded (one reference) */
};

/* Loads the network of st as of `version` (one reference). NULL with e set
 * when it fails for another reason than having no network. */
static struct server_snap *server_snap_load(struct store *st, unsigned long long version,
                                            struct err *e)
{
    struct server_snap *s = calloc(1, sizeof *s);
    if (s == NULL)
        return err_nomem(e), NULL;
    s->version = version;
    atomic_init(&s->refs, 1);
    s->net = walk_net_load_resident(st, 0, &s->err);
    if (s->net == NULL && s->err.code != ERR_NOTFOUND) {
        err_set(e, s->err.code, "%s", s->err.msg);
        free(s);
        return NULL;
    }
    return s;
}

static void server_snap_release(struct server_snap *s)
{
    if (s != NULL && atomic_fetch_sub(&s->refs, 1) == 1) {
        walk_net_free(s->net);
        free(s);
    }
}

/* The current network, with a reference for the caller. */
static struct server_snap *server_nets_current(struct server_nets *n)
{
    pthread_mutex_lock(&n->lock);
    struct server_snap *s = n->cur;
    atomic_fetch_add(&s->refs, 1);
    pthread_mutex_unlock(&n->lock);
    return s;
}

static void server_nets_free(struct server_nets *n)
{
    if (n == NULL)
        return;
    server_snap_release(n->cur);
    pthread_mutex_destroy(&n->lock);
    pthread_mutex_destroy(&n->reload);
    free(n);
}

/* ---- per-thread workers ---- */

/* What one thread needs to answer requests; used by one request at a time. */
struct server_worker {
    struct store *store;             /* read-only connection, opened on first use */
    struct store_features *features; /* service statements on it */
    struct crs *crs;                 /* lon/lat <-> database CRS */
    struct server_snap *snap;        /* network of walk (one reference), or NULL */
    struct walk_session *walk;       /* session on snap's network */
    struct server_worker *next;      /* next idle worker */
};

/* Idle workers; at most as many exist as requests ran at once. */
struct server_pool {
    pthread_mutex_t lock;       /* guards idle */
    struct server_worker *idle; /* workers not checked out */
};

static void server_worker_free(struct server_worker *w)
{
    if (w == NULL)
        return;
    walk_session_free(w->walk);
    server_snap_release(w->snap);
    crs_close(w->crs);
    store_features_close(w->features);
    store_close(w->store);
    free(w);
}

struct server_ctx *server_ctx_open(const char *path, struct err *e)
{
    struct store *st = NULL;
    struct server_ctx *ctx = calloc(1, sizeof *ctx);
    if (ctx == NULL)
        return err_nomem(e), NULL;
    ctx->db_path = strdup(path);
    struct server_pool *pool = calloc(1, sizeof *pool);
    if (ctx->db_path == NULL || pool == NULL) {
        free(pool);
        err_nomem(e);
        goto fail;
    }
    if (pthread_mutex_init(&pool->lock, NULL) != 0) {
        free(pool);
        err_set(e, ERR_INTERNAL, "cannot create a mutex");
        goto fail;
    }
    ctx->pool = pool;
    /* First: the read-write audit connection migrates an older schema, which
     * the read-only connections below then accept. */
    if ((ctx->audit = audit_open(path, e)) == NULL ||
        (ctx->limiter = auth_limiter_new(AUTH_FAIL_BURST, AUTH_FAIL_PER_SECOND, e)) == NULL ||
        (ctx->sessions = session_table_new(e)) == NULL || (ctx->tiles = tiles_new(e)) == NULL)
        goto fail;
    st = store_open_readonly(path, e);
    if (st == NULL)
        goto fail;
    ctx->srid = store_srid(st);
    if (ctx->srid == 0) {
        err_set(e, ERR_INPUT,
                "%s holds no data yet; import districts, resources or a "
                "network first",
                path);
        goto fail;
    }
    int demo = 0;
    struct err pe = {0};
    if (store_place_name(st, ctx->place, sizeof ctx->place, &demo, &pe) != ERR_OK)
        ctx->place[0] = '\0';
    if (store_meta_get(st, "crs_name", ctx->crs_name, sizeof ctx->crs_name, NULL) != ERR_OK)
        crs_name(ctx->srid, ctx->crs_name, sizeof ctx->crs_name);
    if (crs_area_of(ctx->srid, &ctx->area, e) != ERR_OK)
        goto fail;
    unsigned long long version;
    if (store_walk_version(st, &version, e) != ERR_OK)
        goto fail;
    if ((ctx->nets = calloc(1, sizeof *ctx->nets)) == NULL) {
        err_nomem(e);
        goto fail;
    }
    if (pthread_mutex_init(&ctx->nets->lock, NULL) != 0 ||
        pthread_mutex_init(&ctx->nets->reload, NULL) != 0) {
        free(ctx->nets);
        ctx->nets = NULL;
        err_set(e, ERR_INTERNAL, "cannot create a mutex");
        goto fail;
    }
    if ((ctx->nets->cur = server_snap_load(st, version, e)) == NULL)
        goto fail;
    /* The streets index is built beside the requests, once the network is
     * loaded, not by the first streets tile (9 s at 2M edges). */
    if (tiles_background(ctx->tiles, path, e) != ERR_OK)
        goto fail;
    store_close(st);
    return ctx;
fail:
    store_close(st);
    server_ctx_close(ctx);
    return NULL;
}

void server_ctx_close(struct server_ctx *ctx)
{
    if (ctx == NULL)
        return;
    if (ctx->pool) {
        while (ctx->pool->idle) {
            struct server_worker *w = ctx->pool->idle;
            ctx->pool->idle = w->next;
            server_worker_free(w);
        }
        pthread_mutex_destroy(&ctx->pool->lock);
        free(ctx->pool);
    }
    tiles_free(ctx->tiles);
    auth_limiter_free(ctx->limiter);
    session_table_free(ctx->sessions);
    audit_close(ctx->audit);
    server_nets_free(ctx->nets);
    free(ctx->db_path);
    free(ctx);
}

/* ---- the daemon and its requests ---- */

struct server {
    struct MHD_Daemon *d;                          /* the daemon */
    const struct server_route *routes;             /* routing table ending with a NULL path */
    struct server_ctx *ctx;                        /* service state (borrowed), or NULL */
    struct server_mount mounts[SERVER_MOUNTS_MAX]; /* serve --db-dir: CODE -> context (borrowed) */
    size_t nmounts;                                /* in mounts; 0 = one database at the root */
    struct auth_limiter *limiter;                  /* failed sign-ins, shared by every mount */
    unsigned port;                                 /* bound port */
    char host[64];                                 /* bound address as it goes in a URL */
    int quiet;                                     /* 1 = no request log */
    atomic_int inflight;                           /* requests between URI log and completion */
    char proxies[SERVER_PROXIES_MAX][INET6_ADDRSTRLEN]; /* trusted proxies, as inet_ntop writes */
    int nproxies;                                       /* entries in proxies */
    struct http_tls tls; /* certificate and key while the daemon runs (empty for HTTP) */
    int log_json;        /* 1 = request log lines are JSON objects (server_log_json) */
};

/* One query parameter as libmicrohttpd decoded it (borrowed from it). */
struct server_kv {
    const char *key;   /* name */
    const char *value; /* value, "" when given without "=" */
};

#define SERVER_LOG_PATH_MAX 160 /* bytes of a path in the log */

/* Per-request state: allocated by the URI-log callback, freed by the
 * completion callback. */
struct server_req {
    struct server *srv;                         /* the daemon */
    struct MHD_Connection *conn;                /* the connection (borrowed) */
    double t0;                                  /* arrival, monotonic milliseconds */
    size_t url_len;                             /* bytes of the request target */
    int path_nul;                               /* the raw path holds %00 (decoding cuts it) */
    int query_nul;                              /* the raw query string holds %00 */
    int started;                                /* 1 once the access handler saw it */
    int method;                                 /* enum server_method */
    char method_text[12];                       /* for the log */
    char path[SERVER_URL_MAX + 1];              /* decoded path, no trailing slash */
    char argbuf[SERVER_URL_MAX + 1];            /* storage of the "{}" segments */
    const char *arg[SERVER_PATH_ARGS_MAX];      /* the "{}" segments */
    const struct server_route *route;           /* matched route */
    const char *log_path;                       /* the matched pattern, for the log */
    struct server_kv params[SERVER_PARAMS_MAX]; /* query parameters */
    size_t nparams;                             /* in params */
    int params_over;                            /* more than SERVER_PARAMS_MAX */
    int param_too_long;                         /* a name or value over the limit */
    char *body;                                 /* accumulated body (owned), NUL-terminated */
    size_t body_len;                            /* bytes in body */
    size_t body_seen;                           /* bytes received, kept or not */
    int body_nomem;                             /* the body buffer could not be allocated */
    char origin[300];                           /* "http://host[:port]" */
    struct server_ctx *ctx;                     /* the database this request reads, or NULL */
    char mount[4 + SERVER_MOUNT_CODE_MAX];      /* "/m/CODE" under serve --db-dir, else "" */
    char base[300 + 4 + SERVER_MOUNT_CODE_MAX]; /* origin then mount: where links start */
    struct server_worker *worker;               /* checked out for the handler, or NULL */
    char client[INET6_ADDRSTRLEN];              /* client address as text */
    char client_key[INET6_ADDRSTRLEN + 4];      /* its throttle key (IPv6: the /64) */
    struct auth_user user;                      /* the signed-in user (role anonymous: none) */
    int authed;                                 /* 1 once signed in: replies are private */
    int token_sent;                             /* an Authorization header came (401 says why) */
    int by_bearer;                              /* signed in by that header (token_hash set) */
    unsigned char token_hash[AUTH_HASH_BYTES];  /* SHA-256 of the bearer token, when by_bearer */
    long retry_after;                           /* seconds, for a 429 */
    int status;                                 /* HTTP status sent, 0 before */
    int queue_failed;                           /* libmicrohttpd refused the response */
    int net_checked;                            /* server_net chose the network */
};

static double server_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ---- text checks ---- */

/* Copies src into dst (n bytes), cut to fit and always NUL-terminated. */
static void server_copy(char *dst, size_t n, const char *src)
{
    size_t len = strlen(src);
    if (len >= n)
        len = n - 1;
    memcpy(dst, src, len);
    dst[len] = '\0';
}

/* ---- replies ---- */

static const char server_nomem_body[] = "{\"error\":\"the server is out of memory\"}";

/* Queues a constant body (libmicrohttpd must not free it). */
static enum MHD_Result server_queue_static(struct MHD_Connection *conn, unsigned status,
                                           const char *body)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_PERSISTENT);
    if (r == NULL)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    enum MHD_Result ok = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ok;
}

/* The Cache-Control of a reply: a signed-in request's answers are for that
 * user only and never stored. */
static const char *server_cache(const struct server_req *rq, const char *cache)
{
    return rq->authed ? "private, no-store" : cache;
}

/* WWW-Authenticate on a 401 (RFC 6750: invalid_token when one was sent),
 * Retry-After on a 429 and a 503. */
static void server_auth_headers(const struct server_req *rq, struct MHD_Response *r, int status)
{
    if (status == MHD_HTTP_UNAUTHORIZED)
        MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                                rq->token_sent ? "Bearer realm=\"tsunagu\", error=\"invalid_token\""
                                               : "Bearer realm=\"tsunagu\"");
    if (status == MHD_HTTP_TOO_MANY_REQUESTS || status == MHD_HTTP_SERVICE_UNAVAILABLE) {
        char secs[24];
        snprintf(secs, sizeof secs, "%ld", rq->retry_after > 0 ? rq->retry_after : 1);
        MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, secs);
    }
}

/* Queues body (malloc'd, len bytes; ownership passes to libmicrohttpd, which
 * frees it with free() - MHD_RESPMEM_MUST_FREE - or freed here on failure)
 * with its headers. `allow` is the Allow header of a 405, or NULL. */
static void server_send(struct server_req *rq, int status, char *body, size_t len,
                        const char *content_type, const char *cache, const char *allow)
{
    if (rq->status != 0) { /* one reply per request: a handler bug */
        free(body);
        return;
    }
    rq->status = status;
    struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (r == NULL) {
        free(body);
        rq->status = MHD_HTTP_SERVICE_UNAVAILABLE;
        if (server_queue_static(rq->conn, MHD_HTTP_SERVICE_UNAVAILABLE, server_nomem_body) !=
            MHD_YES)
            rq->queue_failed = 1;
        return;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, server_cache(rq, cache));
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    if (allow)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow);
    server_auth_headers(rq, r, status);
    if (MHD_queue_response(rq->conn, (unsigned)status, r) != MHD_YES)
        rq->queue_failed = 1;
    MHD_destroy_response(r);
}

/* Serialises doc (reference taken) into a malloc'd buffer; NULL when out of
 * memory. jansson allocates with malloc (tsunagu never replaces its
 * allocators), so the buffer may go to libmicrohttpd as MUST_FREE. */
static char *server_dump(json_t *doc, size_t *len)
{
    char *text = doc ? json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
    json_decref(doc);
    if (text)
        *len = strlen(text);
    return text;
}

int server_reply_json(struct server_req *rq, int status, json_t *doc, const char *content_type,
                      struct err *e)
{
    size_t len = 0;
    char *text = server_dump(doc, &len);
    if (text == NULL)
        return err_nomem(e);
    server_send(rq, status, text, len, content_type ? content_type : "application/json", "no-cache",
                NULL);
    return ERR_OK;
}

/* The stable name of an error code, sent as "code" beside the sentence so
 * the page can show its own translation (web/i18n.js err_*). Never
 * renamed: clients key on these. */
static const char *server_error_code(int code)
{
    switch (code) {
    case ERR_INPUT:
        return "bad_input";
    case ERR_NOTFOUND:
        return "not_found";
    case ERR_LIMIT:
        return "too_large";
    case ERR_IO:
        return "io_error";
    case ERR_NOMEM:
        return "out_of_memory";
    case ERR_FORBIDDEN:
        return "forbidden";
    case ERR_UNAUTHORIZED:
        return "unauthorized";
    case ERR_BUSY:
        return "busy";
    default:
        return "internal";
    }
}

/* Replies {"error": sentence, "code": stable name} with `status` (0 = from
 * the code), never cached. */
static void server_reply_error(struct server_req *rq, int status, const struct err *e,
                               const char *allow)
{
    char msg[ERR_MSG_MAX];
    snprintf(msg, sizeof msg, "%s", e->msg[0] ? e->msg : "the request failed");
    utf8_sanitize(msg, 0);
    if (status == 0)
        status = err_http_status(e->code ? e->code : ERR_INTERNAL);
    size_t len = 0;
    char *text =
        server_dump(json_pack("{s:s,s:s}", "error", msg, "code", server_error_code(e->code)), &len);
    if (text == NULL) {
        rq->status = MHD_HTTP_SERVICE_UNAVAILABLE;
        if (server_queue_static(rq->conn, MHD_HTTP_SERVICE_UNAVAILABLE, server_nomem_body) !=
            MHD_YES)
            rq->queue_failed = 1;
        return;
    }
    server_send(rq, status, text, len, "application/json", "no-store", allow);
}

/* ---- request accessors for handlers ---- */

const struct server_ctx *server_req_ctx(const struct server_req *rq)
{
    return rq->ctx;
}

const struct auth_user *server_req_user(const struct server_req *rq)
{
    return rq->authed ? &rq->user : NULL;
}

const char *server_req_client(const struct server_req *rq)
{
    return rq->client;
}

int server_audit(struct server_req *rq, const char *const *ids, size_t n, struct err *e)
{
    return server_audit_via(rq, ids, NULL, n, e);
}

int server_audit_via(struct server_req *rq, const char *const *ids, const char *const *via,
                     size_t n, struct err *e)
{
    const struct server_ctx *ctx = rq->ctx;
    struct audit_read r = {
        .user = rq->authed ? rq->user.name : "anonymous",
        .role = auth_role_name(rq->authed ? rq->user.role : AUTH_ROLE_ANONYMOUS),
        /* The route's pattern ("/api/households/{}"), not the path: an id
         * in the path would stay in the record's hashed text, where a
         * purge could not remove it; the ids column names the household. */
        .endpoint = rq->log_path ? rq->log_path : rq->path,
        .client = rq->client,
        .n = n,
        .ids = ids,
        .via = via,
    };
    if (ctx == NULL)
        return err_set(e, ERR_IO, "the read cannot be recorded in the audit log, so it is refused");
    if (audit_record(ctx->audit, &r, e) != ERR_OK)
        return err_set(e, ERR_BUSY,
                       "the read cannot be recorded in the audit log now (the database is busy), "
                       "so it is refused; try again shortly");
    return ERR_OK;
}

const char *server_req_path(const struct server_req *rq)
{
    return rq->path;
}

const char *server_req_arg(const struct server_req *rq, int i)
{
    return i >= 0 && i < SERVER_PATH_ARGS_MAX ? rq->arg[i] : NULL;
}

const char *server_req_body(const struct server_req *rq, size_t *len)
{
    *len = rq->body_len;
    return rq->body;
}

const unsigned char *server_req_token_hash(const struct server_req *rq)
{
    return rq->authed && rq->by_bearer ? rq->token_hash : NULL;
}

const char *server_req_session(const struct server_req *rq)
{
    return MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, SESSION_COOKIE);
}

const char *server_req_origin(const struct server_req *rq)
{
    return rq->origin;
}

const char *server_req_base(const struct server_req *rq)
{
    return rq->base;
}

const char *server_req_mount(const struct server_req *rq)
{
    return rq->mount;
}

size_t server_req_mounts(const struct server_req *rq, const struct server_mount **mounts)
{
    *mounts = rq->srv->mounts;
    return rq->srv->nmounts;
}

const char *server_req_header(const struct server_req *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

int server_reply_bytes(struct server_req *rq, int status, void *body, size_t len,
                       const char *content_type, const char *cache,
                       const struct server_header *extra, struct err *e)
{
    if (rq->status != 0) { /* one reply per request: a handler bug */
        free(body);
        return ERR_OK;
    }
    struct MHD_Response *r =
        MHD_create_response_from_buffer(body ? len : 0, body, MHD_RESPMEM_MUST_FREE);
    if (r == NULL) {
        free(body);
        return err_nomem(e);
    }
    rq->status = status;
    if (content_type)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    if (server_cache(rq, cache))
        MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, server_cache(rq, cache));
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    for (size_t i = 0; extra && extra[i].name; i++)
        MHD_add_response_header(r, extra[i].name, extra[i].value);
    if (MHD_queue_response(rq->conn, (unsigned)status, r) != MHD_YES)
        rq->queue_failed = 1;
    MHD_destroy_response(r);
    return ERR_OK;
}

int server_req_params(struct server_req *rq, const struct server_param *spec, struct err *e)
{
    for (size_t k = 0; spec[k].name; k++)
        *spec[k].dest = NULL;
    for (size_t i = 0; i < rq->nparams; i++) {
        const struct server_kv *kv = &rq->params[i];
        if (!utf8_text_ok(kv->key) || !utf8_text_ok(kv->value))
            return err_set(e, ERR_INPUT,
                           "query parameters must be UTF-8 text without "
                           "control characters");
        size_t k = 0;
        while (spec[k].name && strcmp(spec[k].name, kv->key) != 0)
            k++;
        if (spec[k].name == NULL) {
            char names[256] = "";
            size_t used = 0;
            for (size_t j = 0; spec[j].name && used < sizeof names; j++) {
                int w = snprintf(names + used, sizeof names - used, "%s%s", j ? ", " : "",
                                 spec[j].name);
                used += w > 0 ? (size_t)w : 0;
            }
            if (spec[0].name == NULL)
                return err_set(e, ERR_INPUT,
                               "unknown parameter '%.60s'; this path takes no "
                               "parameters",
                               kv->key);
            return err_set(e, ERR_INPUT, "unknown parameter '%.60s'; this path takes %s", kv->key,
                           names);
        }
        if (*spec[k].dest != NULL)
            return err_set(e, ERR_INPUT, "parameter '%s' is given more than once", spec[k].name);
        *spec[k].dest = kv->value;
    }
    return ERR_OK;
}

int server_number(const char *text, const char *name, double *out, struct err *e)
{
    /* The one strict number parser (hex, padding, inf and nan refused). */
    return walk_parse_number(text, "", name, out, e);
}

int server_integer(const char *text, const char *name, long min, long max, long *out, struct err *e)
{
    if (text == NULL)
        return ERR_OK;
    return num_long(text, 0, name, min, max, out, e);
}

/* ---- workers for handlers ---- */

static struct server_worker *server_worker(struct server_req *rq, struct err *e)
{
    if (rq->worker)
        return rq->worker;
    struct server_ctx *ctx = rq->ctx;
    if (ctx == NULL)
        return err_set(e, ERR_INTERNAL, "this server runs without a database"), NULL;
    pthread_mutex_lock(&ctx->pool->lock);
    struct server_worker *w = ctx->pool->idle;
    if (w)
        ctx->pool->idle = w->next;
    pthread_mutex_unlock(&ctx->pool->lock);
    if (w == NULL && (w = calloc(1, sizeof *w)) == NULL)
        return err_nomem(e), NULL;
    w->next = NULL;
    rq->worker = w;
    return w;
}

/* Returns the request's worker, if any, to the idle list. */
static void server_worker_release(struct server_req *rq)
{
    struct server_worker *w = rq->worker;
    if (w == NULL)
        return;
    rq->worker = NULL;
    struct server_pool *pool = rq->ctx->pool;
    pthread_mutex_lock(&pool->lock);
    w->next = pool->idle;
    pool->idle = w;
    pthread_mutex_unlock(&pool->lock);
}

struct store *server_store(struct server_req *rq, struct err *e)
{
    struct server_worker *w = server_worker(rq, e);
    if (w && w->store == NULL) {
        w->store = store_open_readonly(rq->ctx->db_path, e);
        if (w->store == NULL)
            e->code = ERR_IO; /* the service's own file: not the client's fault */
    }
    return w ? w->store : NULL;
}

struct store_features *server_features(struct server_req *rq, struct err *e)
{
    struct store *st = server_store(rq, e);
    if (st == NULL)
        return NULL;
    if (rq->worker->features == NULL)
        rq->worker->features = store_features_open(st, e);
    return rq->worker->features;
}

struct crs *server_crs(struct server_req *rq, struct err *e)
{
    struct server_worker *w = server_worker(rq, e);
    if (w && w->crs == NULL)
        w->crs = crs_open(rq->ctx->srid, e);
    return w ? w->crs : NULL;
}

/* The current network, loaded anew first when the walking version of the
 * database differs from the one it was loaded at (a reference for the
 * caller). NULL with e set when the version cannot be read or the reload
 * fails; the old network then stays current. */
static struct server_snap *server_snap_fresh(struct server_nets *n, struct store *st, struct err *e)
{
    unsigned long long version;
    if (store_walk_version(st, &version, e) != ERR_OK)
        return NULL;
    struct server_snap *s = server_nets_current(n);
    if (s->version == version)
        return s;
    server_snap_release(s);
    pthread_mutex_lock(&n->reload);
    s = server_nets_current(n); /* another request may have reloaded meanwhile */
    if (s->version != version) {
        struct server_snap *fresh = server_snap_load(st, version, e);
        if (fresh == NULL) {
            pthread_mutex_unlock(&n->reload);
            server_snap_release(s);
            return NULL;
        }
        atomic_fetch_add(&fresh->refs, 1); /* the caller's */
        pthread_mutex_lock(&n->lock);
        struct server_snap *old = n->cur;
        n->cur = fresh;
        pthread_mutex_unlock(&n->lock);
        server_snap_release(old);
        server_snap_release(s);
        s = fresh;
    }
    pthread_mutex_unlock(&n->reload);
    return s;
}

const struct walk_net *server_net(struct server_req *rq, struct err *e)
{
    struct store *st = server_store(rq, e);
    if (st == NULL)
        return NULL;
    struct server_worker *w = rq->worker;
    if (!rq->net_checked) { /* once per request: one network throughout */
        struct server_snap *s = server_snap_fresh(rq->ctx->nets, st, e);
        if (s == NULL)
            return NULL;
        rq->net_checked = 1;
        if (s != w->snap) {
            walk_session_free(w->walk);
            w->walk = NULL;
            server_snap_release(w->snap);
            w->snap = s;
        } else {
            server_snap_release(s);
        }
    }
    if (w->snap->net == NULL)
        return err_set(e, w->snap->err.code, "%s", w->snap->err.msg), NULL;
    return w->snap->net;
}

struct walk_session *server_walk(struct server_req *rq, struct err *e)
{
    const struct walk_net *net = server_net(rq, e);
    if (net == NULL)
        return NULL;
    struct server_worker *w = rq->worker;
    if (w->walk == NULL)
        w->walk = walk_session_new(net, e);
    return w->walk;
}

/* ---- routing ---- */

/* Matches path against pattern, storing "{}" segments in rq->arg. */
static int server_match_segments(struct server_req *rq, const char *pattern, const char *path)
{
    const char *p = pattern, *u = path;
    char *out = rq->argbuf;
    int nargs = 0;
    while (*p && *u) {
        if (*p == '{' && p[1] == '}') {
            size_t n = strcspn(u, "/");
            if (n == 0 || nargs == SERVER_PATH_ARGS_MAX)
                return 0;
            memcpy(out, u, n);
            out[n] = '\0';
            rq->arg[nargs++] = out;
            out += n + 1;
            u += n;
            p += 2;
        } else if (*p == *u) {
            p++;
            u++;
        } else {
            return 0;
        }
    }
    return *p == '\0' && *u == '\0';
}

/* 1 when path matches pattern; rq->arg then holds its "{}" segments, and
 * none otherwise. */
static int server_match(struct server_req *rq, const char *pattern, const char *path)
{
    if (server_match_segments(rq, pattern, path))
        return 1;
    for (int i = 0; i < SERVER_PATH_ARGS_MAX; i++)
        rq->arg[i] = NULL;
    return 0;
}

static int server_method_bit(const char *method)
{
    if (strcmp(method, MHD_HTTP_METHOD_GET) == 0)
        return SERVER_GET;
    if (strcmp(method, MHD_HTTP_METHOD_HEAD) == 0)
        return SERVER_HEAD;
    if (strcmp(method, MHD_HTTP_METHOD_POST) == 0)
        return SERVER_POST;
    if (strcmp(method, MHD_HTTP_METHOD_PATCH) == 0)
        return SERVER_PATCH;
    if (strcmp(method, MHD_HTTP_METHOD_DELETE) == 0)
        return SERVER_DELETE;
    return SERVER_OTHER;
}

/* Writes the Allow header for `methods` into buf. */
static void server_allow(unsigned methods, char *buf, size_t n)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {{SERVER_GET, "GET, HEAD"},
                 {SERVER_POST, "POST"},
                 {SERVER_PATCH, "PATCH"},
                 {SERVER_DELETE, "DELETE"}};
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (methods & names[i].bit)
            used += (size_t)snprintf(buf + used, used < n ? n - used : 0, "%s%s", used ? ", " : "",
                                     names[i].name);
}

/* Records each query parameter (borrowed from libmicrohttpd). */
static enum MHD_Result server_collect(void *cls, enum MHD_ValueKind kind, const char *key,
                                      const char *value)
{
    struct server_req *rq = cls;
    if (key == NULL)
        return MHD_YES;
    if (key[0] == '\0' && (value == NULL || value[0] == '\0'))
        return MHD_YES; /* "?a=1&" or "?&": nothing given */
    if (rq->nparams == SERVER_PARAMS_MAX) {
        rq->params_over = 1;
        return MHD_NO;
    }
    if (strlen(key) > SERVER_PARAM_LEN_MAX || (value && strlen(value) > SERVER_PARAM_LEN_MAX))
        rq->param_too_long = 1;
    rq->params[rq->nparams++] = (struct server_kv){key, value ? value : ""};
    return MHD_YES;
}

/* 1 when host is a host name, an IPv4 address or a bracketed IPv6 address,
 * with an optional port 1-65535, in at most SERVER_HOST_MAX bytes. */
static int server_host_ok(const char *host)
{
    size_t n = strlen(host);
    if (n == 0 || n > SERVER_HOST_MAX)
        return 0;
    const char *port = NULL;
    if (host[0] == '[') {
        const char *close = strchr(host, ']');
        char v6[INET6_ADDRSTRLEN];
        struct in6_addr a;
        size_t k = close ? (size_t)(close - host - 1) : 0;
        if (close == NULL || k == 0 || k >= sizeof v6)
            return 0;
        memcpy(v6, host + 1, k);
        v6[k] = '\0';
        if (inet_pton(AF_INET6, v6, &a) != 1)
            return 0;
        if (close[1] != '\0' && close[1] != ':')
            return 0;
        port = close[1] == ':' ? close + 2 : NULL;
    } else {
        /* Labels of letters, digits and '-' (not first or last), 1-63
         * bytes, between dots; an IPv4 address is such a name too. */
        size_t label = 0;
        const char *p = host;
        for (; *p && *p != ':'; p++) {
            char c = *p;
            if (c == '.') {
                if (label == 0 || p[-1] == '-')
                    return 0;
                label = 0;
            } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       (c == '-' && label > 0)) {
                if (++label > 63)
                    return 0;
            } else {
                return 0;
            }
        }
        if (p == host || (label == 0 && p[-1] != '.') || (label > 0 && p[-1] == '-'))
            return 0;
        port = *p == ':' ? p + 1 : NULL;
    }
    if (port) {
        long port_n;
        if (strspn(port, "0123456789") != strlen(port) ||
            num_long(port, 0, "port", 1, 65535, &port_n, NULL) != ERR_OK)
            return 0;
    }
    return 1;
}

/* 1 when the peer is one of the trusted proxies (serve --trusted-proxy). */
static int server_peer_trusted(const struct server_req *rq)
{
    const char *peer = rq->client;
    if (strncmp(peer, "::ffff:", 7) == 0 && strchr(peer + 7, '.'))
        peer += 7; /* an IPv4 client on a dual-stack socket */
    for (int i = 0; i < rq->srv->nproxies; i++)
        if (strcmp(peer, rq->srv->proxies[i]) == 0)
            return 1;
    return 0;
}

/* The scheme a trusted proxy reports for the client's request: "https" or
 * "http" from the first element of Forwarded (proto=, RFC 7239), else from
 * the first value of X-Forwarded-Proto; NULL when the peer is not trusted
 * or says nothing usable. */
static const char *server_forwarded_proto(const struct server_req *rq)
{
    if (!server_peer_trusted(rq))
        return NULL;
    const char *fwd = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "Forwarded");
    const char *xfp = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "X-Forwarded-Proto");
    char v[16] = "";
    if (fwd) {
        const char *end = fwd + strcspn(fwd, ",");
        for (const char *p = fwd; p < end;) {
            while (p < end && (*p == ' ' || *p == ';'))
                p++;
            if ((size_t)(end - p) > 6 && strncasecmp(p, "proto=", 6) == 0) {
                p += 6;
                p += *p == '"';
                size_t k = strcspn(p, "\";, ");
                if (k < sizeof v && p + k <= end) {
                    memcpy(v, p, k);
                    v[k] = '\0';
                }
                break;
            }
            p += strcspn(p, ";,");
        }
    } else if (xfp) {
        size_t k = strspn(xfp, " ");
        size_t len = strcspn(xfp + k, ", ");
        if (len < sizeof v) {
            memcpy(v, xfp + k, len);
            v[len] = '\0';
        }
    }
    if (strcasecmp(v, "https") == 0)
        return "https";
    if (strcasecmp(v, "http") == 0)
        return "http";
    return NULL;
}

/* Fills rq->origin: the scheme (http, or what a trusted proxy reports) and
 * the Host header, or the bound address when there is none. Returns 0, or
 * 400 with e when the Host header is not a host[:port]. */
static int server_set_origin(struct server_req *rq, struct err *e)
{
    const char *host = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    const char *scheme = server_forwarded_proto(rq);
    if (scheme == NULL)
        scheme = "http";
    snprintf(rq->origin, sizeof rq->origin, "%s://%s:%u", scheme, rq->srv->host, rq->srv->port);
    if (host == NULL)
        return 0;
    if (!server_host_ok(host)) {
        err_set(e, ERR_INPUT,
                "the Host header must be a host name or an IP address with an optional port, "
                "in at most %d bytes",
                SERVER_HOST_MAX);
        return MHD_HTTP_BAD_REQUEST;
    }
    snprintf(rq->origin, sizeof rq->origin, "%s://%s", scheme, host);
    return 0;
}

/* A header name and how often the request carries it
 * (server_count_header). */
struct server_header_count {
    const char *name; /* header name */
    int n;            /* occurrences */
};

/* Counts a header (MHD_get_connection_values' callback). */
static enum MHD_Result server_count_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                           const char *value)
{
    struct server_header_count *c = cls;
    (void)kind;
    (void)value;
    if (key && strcasecmp(key, c->name) == 0)
        c->n++;
    return MHD_YES;
}

/* 1 when the request carries header `name` more than once. */
static int server_header_repeated(const struct server_req *rq, const char *name)
{
    struct server_header_count c = {name, 0};
    MHD_get_connection_values(rq->conn, MHD_HEADER_KIND, server_count_header, &c);
    return c.n > 1;
}

/* Fills rq->client with the peer's address and rq->client_key with what
 * the sign-in throttle counts by: the address, or for IPv6 its /64 (one
 * host usually holds a whole /64). */
static void server_set_client(struct server_req *rq)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(rq->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;
    snprintf(rq->client, sizeof rq->client, "unknown");
    if (sa && sa->sa_family == AF_INET) {
        const struct sockaddr_in *v4 = (const struct sockaddr_in *)(const void *)sa;
        inet_ntop(AF_INET, &v4->sin_addr, rq->client, sizeof rq->client);
    } else if (sa && sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)(const void *)sa;
        inet_ntop(AF_INET6, &v6->sin6_addr, rq->client, sizeof rq->client);
        struct in6_addr net = v6->sin6_addr;
        memset(net.s6_addr + 8, 0, 8);
        char prefix[INET6_ADDRSTRLEN];
        if (inet_ntop(AF_INET6, &net, prefix, sizeof prefix))
            snprintf(rq->client_key, sizeof rq->client_key, "%s/64", prefix);
    }
    if (rq->client_key[0] == '\0')
        snprintf(rq->client_key, sizeof rq->client_key, "%s", rq->client);
}

/* First sight of a request: routes it and checks what can be checked before
 * a body arrives. Returns 0 to go on, or the HTTP status to answer now
 * with e (and *allow for a 405). */
/* ---- several databases: serve --db-dir ---- */

/* GET /m/CODE: the page's relative links need the trailing slash. */
static int server_mount_slash(struct server_req *rq, struct err *e)
{
    char where[sizeof rq->mount + 1];
    snprintf(where, sizeof where, "%s/", rq->mount);
    const struct server_header loc[] = {{"Location", where}, {NULL, NULL}};
    return server_reply_bytes(rq, 308, NULL, 0, NULL, NULL, loc, e);
}

/* /m/SOMETHING that is not a municipality served here. */
static int server_mount_missing(struct server_req *rq, struct err *e)
{
    (void)rq;
    return err_set(e, ERR_NOTFOUND,
                   "this server serves no municipality under that code; /api/municipalities "
                   "lists the ones it serves");
}

#define SERVER_ANY (SERVER_GET | SERVER_HEAD | SERVER_POST | SERVER_PATCH | SERVER_DELETE)
static const struct server_route server_mount_slash_route[] = {
    {"/m/{}", SERVER_GET, 0, server_mount_slash}, {NULL, SERVER_ANY, 0, server_mount_missing}};
static const struct server_route server_mount_missing_route[] = {
    {NULL, SERVER_ANY | SERVER_OTHER, 0, server_mount_missing}};

/* Under serve --db-dir: a path /m/CODE/REST is REST on CODE's database
 * (rq->ctx, rq->mount, rq->path cut to REST); any other path goes to the
 * table of the server's own few pages (http_mount_routes), with no
 * database. Returns the routing table to use, or NULL after pointing
 * rq->route at the redirect (/m/CODE without its slash) or at the 404 of an
 * unknown code. */
static const struct server_route *server_mount_pick(struct server_req *rq, const char *url)
{
    struct server *s = rq->srv;
    rq->ctx = NULL;
    if (strncmp(rq->path, "/m/", 3) != 0)
        return http_mount_routes;
    const char *code = rq->path + 3;
    size_t k = strcspn(code, "/");
    for (size_t i = 0; i < s->nmounts; i++) {
        if (strlen(s->mounts[i].code) != k || memcmp(s->mounts[i].code, code, k) != 0)
            continue;
        snprintf(rq->mount, sizeof rq->mount, "/m/%s", s->mounts[i].code);
        rq->ctx = s->mounts[i].ctx;
        if (code[k] == '\0' && url[strlen(url) - 1] != '/') {
            snprintf(rq->base, sizeof rq->base, "%s%s", rq->origin, rq->mount);
            rq->route = server_mount_slash_route;
            rq->log_path = "";
            if (rq->method & (SERVER_GET | SERVER_HEAD))
                return NULL;
            rq->route = &server_mount_slash_route[1];
            return NULL;
        }
        memmove(rq->path, code + k, strlen(code + k) + 1);
        if (rq->path[0] == '\0')
            snprintf(rq->path, sizeof rq->path, "/");
        return s->routes;
    }
    rq->route = server_mount_missing_route;
    rq->log_path = "/m/{}";
    return NULL;
}

static int server_begin(struct server_req *rq, const char *url, const char *method, char *allow,
                        size_t allow_n, struct err *e)
{
    rq->method = server_method_bit(method);
    server_copy(rq->method_text, sizeof rq->method_text, method);
    server_copy(rq->path, sizeof rq->path, url);
    size_t plen = strlen(rq->path);
    if (plen > 1 && rq->path[plen - 1] == '/')
        rq->path[plen - 1] = '\0';
    if (rq->url_len > SERVER_URL_MAX || strlen(url) > SERVER_URL_MAX) {
        err_set(e, ERR_INPUT, "the request target is longer than %d bytes", SERVER_URL_MAX);
        return MHD_HTTP_URI_TOO_LONG;
    }
    int status = server_set_origin(rq, e);
    if (status != 0)
        return status;
    if (rq->path_nul || rq->query_nul) {
        err_set(e, ERR_INPUT, "the %s holds an encoded NUL byte (%%00)",
                rq->path_nul ? "path" : "query string");
        return MHD_HTTP_BAD_REQUEST;
    }
    /* Two lengths or two hosts: a proxy and tsunagu could read different
     * requests from the same bytes (RFC 9112 6.3, RFC 9110 7.2). */
    if (server_header_repeated(rq, MHD_HTTP_HEADER_CONTENT_LENGTH) ||
        server_header_repeated(rq, MHD_HTTP_HEADER_HOST)) {
        err_set(e, ERR_INPUT, "the request has more than one %s header",
                server_header_repeated(rq, MHD_HTTP_HEADER_HOST) ? "Host" : "Content-Length");
        return MHD_HTTP_BAD_REQUEST;
    }
    const char *cl =
        MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl) {
        /* libmicrohttpd has refused a Content-Length that is not a number. */
        long n;
        if (num_long(cl, 0, "Content-Length", 0, SERVER_BODY_MAX, &n, NULL) != ERR_OK) {
            err_set(e, ERR_LIMIT, "the request body is larger than %d bytes", SERVER_BODY_MAX);
            return MHD_HTTP_CONTENT_TOO_LARGE;
        }
    }
    const struct server_route *r = rq->srv->routes;
    if (rq->srv->nmounts > 0 && (r = server_mount_pick(rq, url)) == NULL)
        return 0; /* answered by the mount's redirect or its 404 */
    snprintf(rq->base, sizeof rq->base, "%s%s", rq->origin, rq->mount);
    unsigned want = rq->method == SERVER_HEAD ? SERVER_GET : (unsigned)rq->method;
    unsigned allowed = 0;
    for (; r->path; r++) {
        if (!server_match(rq, r->path, rq->path))
            continue;
        rq->log_path = r->path;
        if (r->methods & want) {
            rq->route = r;
            break;
        }
        allowed |= r->methods;
    }
    if (rq->route == NULL && allowed) {
        server_allow(allowed, allow, allow_n);
        err_set(e, ERR_INPUT, "%s is not allowed here; use %s", rq->method_text, allow);
        return MHD_HTTP_METHOD_NOT_ALLOWED;
    }
    if (rq->route == NULL)
        rq->route = r; /* the 404 entry */
    MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, server_collect, rq);
    if (rq->params_over) {
        err_set(e, ERR_INPUT, "too many query parameters (at most %d)", SERVER_PARAMS_MAX);
        return MHD_HTTP_BAD_REQUEST;
    }
    if (rq->param_too_long) {
        err_set(e, ERR_INPUT, "a query parameter is longer than %d bytes", SERVER_PARAM_LEN_MAX);
        return MHD_HTTP_BAD_REQUEST;
    }
    return 0;
}

/* Keeps up to SERVER_BODY_MAX bytes of a body for routes that take one;
 * counts (and drops) the rest so the request ends in a 413. */
static void server_take_body(struct server_req *rq, const char *data, size_t n)
{
    rq->body_seen = n > SIZE_MAX - rq->body_seen ? SIZE_MAX : rq->body_seen + n;
    if (rq->body_seen > SERVER_BODY_MAX || !rq->route->body || rq->body_nomem)
        return;
    if (rq->body == NULL && (rq->body = malloc(SERVER_BODY_MAX + 1)) == NULL) {
        rq->body_nomem = 1; /* answered 503 by server_finish */
        return;
    }
    memcpy(rq->body + rq->body_len, data, n);
    rq->body_len += n;
    rq->body[rq->body_len] = '\0';
}

/* Copies a stored user into rq (store_user_by_token's callback). */
static int server_take_user(void *cls, const struct store_user *u)
{
    struct server_req *rq = cls;
    struct auth_user *a = &rq->user;
    memset(a, 0, sizeof *a);
    if (auth_role_parse(u->role, &a->role, NULL) != ERR_OK)
        return ERR_INTERNAL;
    snprintf(a->name, sizeof a->name, "%s", u->name ? u->name : "");
    snprintf(a->agency, sizeof a->agency, "%s", u->agency ? u->agency : "");
    snprintf(a->level, sizeof a->level, "%s", u->level ? u->level : "");
    snprintf(a->district, sizeof a->district, "%s", u->district ? u->district : "");
    return ERR_OK;
}

/* A request signed in by a session cookie that would change something
 * must show it comes from the page itself (cross-site request forgery):
 * besides the cookie's SameSite=Strict, it carries SESSION_CSRF_HEADER
 * (which a cross-origin page cannot add without a preflight this server
 * never grants) and, when the browser sends Origin, that Origin is this
 * server's. Returns 0, or 403 with e. */
static int server_csrf_check(struct server_req *rq, struct err *e)
{
    if (rq->method == SERVER_GET || rq->method == SERVER_HEAD)
        return 0;
    const char *origin = server_req_header(rq, "Origin");
    if (server_req_header(rq, SESSION_CSRF_HEADER) != NULL &&
        (origin == NULL || strcmp(origin, rq->origin) == 0))
        return 0;
    err_set(e, ERR_FORBIDDEN,
            "a change sent with a session cookie must come from this server's own page (the "
            "%s header and this server's Origin); API clients send Authorization: Bearer TOKEN",
            SESSION_CSRF_HEADER);
    return MHD_HTTP_FORBIDDEN;
}

/* Signs the request in by its session cookie when it has no Authorization
 * header: an unknown, expired or revoked session is simply anonymous (the
 * page then offers to sign in), a live one's user is looked up by the
 * hash of the token that opened it, so revoking the token ends it. Returns
 * 0 to go on, 403 for a change that fails server_csrf_check, 500 when the
 * users cannot be read. */
static int server_authenticate_cookie(struct server_req *rq, struct err *e)
{
    const struct server_ctx *ctx = rq->ctx;
    const char *id = server_req_session(rq);
    unsigned char hash[AUTH_HASH_BYTES];
    if (ctx == NULL || ctx->sessions == NULL || id == NULL ||
        !session_find(ctx->sessions, id, server_now_ms() / 1000.0, hash))
        return 0;
    int status = server_csrf_check(rq, e);
    if (status != 0)
        return status;
    struct err ee = {0};
    struct store *st = server_store(rq, e);
    int rc = st ? store_user_by_token(st, hash, server_take_user, rq, &ee) : ERR_IO;
    if (rc == ERR_NOTFOUND) {
        session_close(ctx->sessions, id);
        return 0;
    }
    if (rc != ERR_OK) {
        if (st != NULL)
            err_set(e, ERR_IO, "%s", ee.msg);
        return MHD_HTTP_INTERNAL_SERVER_ERROR;
    }
    rq->authed = 1;
    return 0;
}

/* Signs the request in from its Authorization header, else from its
 * session cookie (server_authenticate_cookie; neither: anonymous).
 * Returns 0 to go on, or the status to answer now with e: 401 for a
 * malformed, unknown or revoked token, 429 while the client's address has
 * used up its failed attempts, 500 when the users cannot be read. The
 * token is hashed at once and its copy wiped; it is never logged. */
static int server_authenticate(struct server_req *rq, struct err *e)
{
    const char *header = server_req_header(rq, MHD_HTTP_HEADER_AUTHORIZATION);
    if (header == NULL)
        return server_authenticate_cookie(rq, e);
    rq->token_sent = 1;
    const struct server_ctx *ctx = rq->ctx;
    if (ctx == NULL) {
        err_set(e, ERR_UNAUTHORIZED, "this server has no users");
        return MHD_HTTP_UNAUTHORIZED;
    }
    double now = server_now_ms() / 1000.0;
    double wait = auth_limiter_take(rq->srv->limiter, rq->client_key, now);
    if (wait > 0) {
        rq->retry_after = (long)ceil(wait);
        err_set(e, ERR_LIMIT,
                "too many failed sign-ins from this address; try again in %ld seconds",
                rq->retry_after);
        return MHD_HTTP_TOO_MANY_REQUESTS;
    }
    char token[AUTH_TOKEN_LEN + 1];
    unsigned char hash[AUTH_HASH_BYTES];
    if (auth_bearer(header, token, e) != ERR_OK)
        return MHD_HTTP_UNAUTHORIZED;
    auth_token_hash(token, hash);
    memset(token, 0, sizeof token);
    struct err ee = {0};
    struct store *st = server_store(rq, e);
    int rc = st ? store_user_by_token(st, hash, server_take_user, rq, &ee) : ERR_IO;
    if (rc == ERR_NOTFOUND) {
        err_set(e, ERR_UNAUTHORIZED, "the token is not valid (unknown or revoked)");
        return MHD_HTTP_UNAUTHORIZED;
    }
    auth_limiter_refund(rq->srv->limiter, rq->client_key, now);
    if (rc != ERR_OK) {
        if (st != NULL)
            err_set(e, ERR_IO, "%s", ee.msg);
        return MHD_HTTP_INTERNAL_SERVER_ERROR;
    }
    memcpy(rq->token_hash, hash, sizeof hash);
    rq->by_bearer = 1;
    rq->authed = 1;
    return 0;
}

/* Last call: the body is complete; run the handler and reply. */
static void server_finish(struct server_req *rq)
{
    struct err e = {0};
    if (rq->body_nomem) {
        err_nomem(&e);
        server_reply_error(rq, 0, &e, NULL);
        return;
    }
    if (rq->body_seen > SERVER_BODY_MAX) {
        err_set(&e, ERR_LIMIT, "the request body is larger than %d bytes", SERVER_BODY_MAX);
        server_reply_error(rq, MHD_HTTP_CONTENT_TOO_LARGE, &e, NULL);
        return;
    }
    int auth_status = server_authenticate(rq, &e);
    if (auth_status != 0) {
        server_worker_release(rq);
        server_reply_error(rq, auth_status, &e, NULL);
        return;
    }
    int rc = rq->route->fn(rq, &e);
    server_worker_release(rq);
    if (rc != ERR_OK) {
        if (e.code == ERR_OK)
            err_set(&e, rc, "the request failed");
        if (rq->status == 0)
            server_reply_error(rq, 0, &e, NULL);
    } else if (rq->status == 0) {
        err_set(&e, ERR_INTERNAL, "the handler gave no answer");
        server_reply_error(rq, 0, &e, NULL);
    }
}

/* ---- libmicrohttpd callbacks ---- */

static void *server_uri_log(void *cls, const char *uri, struct MHD_Connection *conn)
{
    struct server *s = cls;
    struct server_req *rq = calloc(1, sizeof *rq);
    if (rq == NULL)
        return NULL;
    rq->srv = s;
    rq->ctx = s->ctx;
    rq->t0 = server_now_ms();
    rq->url_len = uri ? strlen(uri) : 0; /* the query string is measured, never kept */
    int in_query = 0;
    for (size_t i = 0; uri && uri[i]; i++) {
        in_query |= uri[i] == '?';
        if (uri[i] == '%' && uri[i + 1] == '0' && uri[i + 2] == '0')
            *(in_query ? &rq->query_nul : &rq->path_nul) = 1;
    }
    atomic_fetch_add(&s->inflight, 1);
    return rq;
}

static enum MHD_Result server_access(void *cls, struct MHD_Connection *conn, const char *url,
                                     const char *method, const char *version, const char *upload,
                                     size_t *upload_size, void **con_cls)
{
    struct server_req *rq = *con_cls;
    if (rq == NULL)
        return server_queue_static(conn, MHD_HTTP_SERVICE_UNAVAILABLE, server_nomem_body);
    if (!rq->started) {
        rq->started = 1;
        rq->conn = conn;
        server_set_client(rq);
        struct err e = {0};
        char allow[48] = "";
        int status = server_begin(rq, url, method, allow, sizeof allow, &e);
        if (status != 0)
            server_reply_error(rq, status, &e, allow[0] ? allow : NULL);
        return rq->queue_failed ? MHD_NO : MHD_YES;
    }
    if (rq->status != 0) { /* answered early: drop whatever still arrives */
        *upload_size = 0;
        return MHD_YES;
    }
    if (*upload_size > 0) {
        server_take_body(rq, upload, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    server_finish(rq);
    return rq->queue_failed ? MHD_NO : MHD_YES;
}

/* One request log line as a JSON object (--log-format json) for log
 * collectors: time (UTC, ISO 8601), method, route pattern, status (0 when
 * the client closed before a reply) and milliseconds. Built with jansson so
 * every string is escaped; the same fields as the text line, never the
 * query string, a path segment or a token. */
static void server_log_json(const char *method, const char *route, int status, double ms)
{
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm) == NULL || strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        when[0] = '\0';
    json_t *o = json_pack("{s:s, s:s, s:s, s:i, s:f}", "time", when, "method", method, "route",
                          route, "status", status, "ms", (double)(long long)(ms * 10) / 10);
    char *line = o ? json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
    if (line)
        fprintf(stderr, "%s\n", line);
    free(line);
    json_decref(o);
}

static void server_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                             enum MHD_RequestTerminationCode toe)
{
    struct server *s = cls;
    struct server_req *rq = *con_cls;
    if (rq == NULL)
        return;
    *con_cls = NULL;
    if (rq->worker)
        server_worker_release(rq);
    if (rq->started && !s->quiet) {
        char path[SERVER_LOG_PATH_MAX];
        char method[sizeof rq->method_text];
        /* The route's pattern, never the path: a segment may be a household
         * id (/api/households/{}), a tile of where someone looks or any
         * text a client made up. */
        char pattern[SERVER_LOG_PATH_MAX];
        snprintf(pattern, sizeof pattern, "%s%s", rq->mount,
                 rq->log_path ? rq->log_path : "(no route)");
        server_copy(path, sizeof path, pattern);
        server_copy(method, sizeof method, rq->method_text);
        utf8_sanitize(path, 1);
        utf8_sanitize(method, 1);
        /* Method and pattern only: the query string may carry a location. */
        if (s->log_json)
            server_log_json(method, path, rq->status, server_now_ms() - rq->t0);
        else if (rq->status)
            fprintf(stderr, "%s %s %d %.1f ms\n", method, path, rq->status,
                    server_now_ms() - rq->t0);
        else
            fprintf(stderr, "%s %s - %.1f ms (closed before a reply)\n", method, path,
                    server_now_ms() - rq->t0);
    }
    free(rq->body);
    free(rq);
    atomic_fetch_sub(&s->inflight, 1);
}

/* libmicrohttpd's format strings: the attribute tells clang's
 * -Wformat-nonliteral that fmt is a printf format from the caller. */
__attribute__((format(printf, 2, 0))) static void server_mhd_log(void *cls, const char *fmt,
                                                                 va_list ap)
{
    char msg[256];
    vsnprintf(msg, sizeof msg, fmt, ap);
    msg[strcspn(msg, "\n")] = '\0';
    /* Some of libmicrohttpd's messages quote the request's path ("the
     * request for `/api/households/H0001'"), which may hold an id: the
     * quoted part is left out. */
    char *q = strchr(msg, '`');
    char *end = q ? strchr(q + 1, '\'') : NULL;
    if (q && end)
        memmove(q + 1, end, strlen(end) + 1);
    utf8_sanitize(msg, 0);
    fprintf(stderr, "tsunagu: http: %s\n", msg);
}

/* ---- lifecycle ---- */

/* Reads serve --trusted-proxy: IP addresses separated by commas, kept as
 * inet_ntop writes them (so they compare with server_req_client). */
static int server_proxies_parse(struct server *s, const char *list, struct err *e)
{
    s->nproxies = 0;
    for (const char *p = list; p && *p;) {
        size_t k = strcspn(p, ",");
        char one[INET6_ADDRSTRLEN];
        unsigned char bin[sizeof(struct in6_addr)];
        int fam = 0;
        if (k > 0 && k < sizeof one) {
            memcpy(one, p, k);
            one[k] = '\0';
            fam = inet_pton(AF_INET, one, bin) == 1    ? AF_INET
                  : inet_pton(AF_INET6, one, bin) == 1 ? AF_INET6
                                                       : 0;
        }
        if (fam == 0 || s->nproxies == SERVER_PROXIES_MAX)
            return err_set(e, ERR_INPUT,
                           "--trusted-proxy takes up to %d IPv4 or IPv6 addresses separated by "
                           "commas",
                           SERVER_PROXIES_MAX);
        inet_ntop(fam, bin, s->proxies[s->nproxies++], INET6_ADDRSTRLEN);
        p += k + (p[k] == ',');
    }
    return ERR_OK;
}

/* server_start and server_start_mounts: one database at the root (ctx) or
 * several under /m/CODE/ (mounts[0..n), n > 0). */
static struct server *server_start_with(const struct server_opts *o,
                                        const struct server_route *routes, struct server_ctx *ctx,
                                        const struct server_mount *mounts, size_t n, struct err *e)
{
    if (n > SERVER_MOUNTS_MAX)
        return err_set(e, ERR_LIMIT, "at most %d municipalities can be served at once",
                       SERVER_MOUNTS_MAX),
               NULL;
    const char *bind = o->bind ? o->bind : "127.0.0.1";
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = o->threads ? o->threads : (cpus > 0 ? (unsigned)cpus : 1);
    if (threads > SERVER_THREADS_MAX)
        threads = o->threads ? 0 : SERVER_THREADS_MAX;
    if (threads == 0)
        return err_set(e, ERR_INPUT, "threads must be between 1 and %d", SERVER_THREADS_MAX), NULL;
    if (o->port > 65535)
        return err_set(e, ERR_INPUT, "port must be between 0 and 65535"), NULL;
    unsigned per_ip = o->per_ip ? o->per_ip : SERVER_PER_IP_DEFAULT;
    unsigned timeout = o->timeout ? o->timeout : SERVER_TIMEOUT_DEFAULT;
    if (per_ip > SERVER_CONNECTIONS_MAX)
        return err_set(e, ERR_INPUT, "connections per address must be between 1 and %d",
                       SERVER_CONNECTIONS_MAX),
               NULL;
    if (timeout > SERVER_TIMEOUT_MAX)
        return err_set(e, ERR_INPUT, "the connection timeout must be between 1 and %d seconds",
                       SERVER_TIMEOUT_MAX),
               NULL;
    union {
        struct sockaddr sa;
        struct sockaddr_in v4;
        struct sockaddr_in6 v6;
    } addr;
    memset(&addr, 0, sizeof addr);
    unsigned flags =
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    struct server *s = calloc(1, sizeof *s);
    if (s == NULL)
        return err_nomem(e), NULL;
    if (inet_pton(AF_INET, bind, &addr.v4.sin_addr) == 1) {
        addr.v4.sin_family = AF_INET;
        addr.v4.sin_port = htons((uint16_t)o->port);
        snprintf(s->host, sizeof s->host, "%s", bind);
    } else if (inet_pton(AF_INET6, bind, &addr.v6.sin6_addr) == 1) {
        addr.v6.sin6_family = AF_INET6;
        addr.v6.sin6_port = htons((uint16_t)o->port);
        flags |= MHD_USE_IPv6;
        snprintf(s->host, sizeof s->host, "[%s]", bind);
    } else {
        free(s);
        return err_set(e, ERR_INPUT, "bind address '%.60s' is not an IPv4 or IPv6 address", bind),
               NULL;
    }
    if (!o->tls_cert && !o->tls_key && !o->insecure_http && !http_tls_loopback(bind)) {
        free(s);
        return err_set(e, ERR_INPUT,
                       "plain HTTP on %.60s would carry tokens and household data in clear: give "
                       "--tls-cert and --tls-key, or --insecure-http behind a TLS proxy",
                       bind),
               NULL;
    }
    if (server_proxies_parse(s, o->trusted_proxy, e) != ERR_OK ||
        ((o->tls_cert || o->tls_key) &&
         http_tls_load(o->tls_cert, o->tls_key, &s->tls, e) != ERR_OK)) {
        free(s);
        return NULL;
    }
    if (s->tls.cert)
        flags |= MHD_USE_TLS;
    s->log_json = o->log_json;
    s->routes = routes ? routes : http_routes;
    s->ctx = ctx;
    s->limiter = ctx ? ctx->limiter : NULL;
    for (size_t i = 0; i < n; i++)
        s->mounts[i] = mounts[i];
    s->nmounts = n;
    if (n > 0)
        s->limiter = mounts[0].ctx->limiter; /* one budget of failed sign-ins for all */
    s->quiet = o->quiet;
    atomic_init(&s->inflight, 0);
    /* A pool only for more than one thread (libmicrohttpd warns about a
     * pool of one): an empty option array otherwise. */
    struct MHD_OptionItem pool[] = {
        {threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END, (intptr_t)threads, NULL},
        {MHD_OPTION_END, 0, NULL},
        {MHD_OPTION_END, 0, NULL},
        {MHD_OPTION_END, 0, NULL}};
    /* HTTPS: libmicrohttpd's GnuTLS support takes the PEM texts. */
    if (s->tls.cert) {
        int at = threads > 1 ? 1 : 0;
        pool[at] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, s->tls.cert};
        pool[at + 1] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, s->tls.key};
    }
    /* The logger comes first so that libmicrohttpd reports option errors
     * through it too. */
    s->d = MHD_start_daemon(
        flags, (uint16_t)o->port, NULL, NULL, server_access, s, MHD_OPTION_EXTERNAL_LOGGER,
        server_mhd_log, s, MHD_OPTION_SOCK_ADDR, &addr.sa, MHD_OPTION_ARRAY, pool,
        MHD_OPTION_URI_LOG_CALLBACK, server_uri_log, s, MHD_OPTION_NOTIFY_COMPLETED,
        server_completed, s, MHD_OPTION_CONNECTION_LIMIT, (unsigned)SERVER_CONNECTIONS_MAX,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip, MHD_OPTION_CONNECTION_TIMEOUT, timeout,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024), MHD_OPTION_END);
    if (s->d == NULL) {
        int tls = s->tls.cert != NULL;
        http_tls_free(&s->tls);
        free(s);
        if (tls)
            return err_set(e, ERR_INPUT,
                           "cannot serve HTTPS on %s port %u: the port is in use, or --tls-cert "
                           "and --tls-key are not a matching certificate and key",
                           bind, o->port),
                   NULL;
        return err_set(e, ERR_IO, "cannot listen on %s port %u (in use, or not allowed)", bind,
                       o->port),
               NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info && info->port ? info->port : o->port;
    return s;
}

struct server *server_start(const struct server_opts *o, const struct server_route *routes,
                            struct server_ctx *ctx, struct err *e)
{
    return server_start_with(o, routes, ctx, NULL, 0, e);
}

struct server *server_start_mounts(const struct server_opts *o, const struct server_route *routes,
                                   const struct server_mount *mounts, size_t n, struct err *e)
{
    if (n == 0)
        return err_set(e, ERR_INPUT, "no database to serve"), NULL;
    return server_start_with(o, routes, NULL, mounts, n, e);
}

unsigned server_port(const struct server *s)
{
    return s->port;
}

void server_stop(struct server *s)
{
    if (s == NULL)
        return;
    MHD_socket listener = MHD_quiesce_daemon(s->d);
    double deadline = server_now_ms() + SERVER_DRAIN_MS;
    while (atomic_load(&s->inflight) > 0 && server_now_ms() < deadline) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    MHD_stop_daemon(s->d);
    if (listener != MHD_INVALID_SOCKET)
        close(listener);
    http_tls_free(&s->tls);
    free(s);
}

/* Waits for SIGTERM or SIGINT (blocked in `stop` since before the daemon's
 * threads started), then stops s gracefully. */
static void server_wait(struct server *s, const sigset_t *stop)
{
    int sig = 0;
    while (sigwait(stop, &sig) != 0)
        ;
    fprintf(stderr, "tsunagu: %s received; finishing requests in flight\n",
            sig == SIGTERM ? "SIGTERM" : "SIGINT");
    server_stop(s);
}

/* Blocks SIGTERM and SIGINT before any thread starts, so every daemon
 * thread inherits the mask and only server_wait receives them. */
static int server_block(sigset_t *stop, sigset_t *old, struct err *e)
{
    sigemptyset(stop);
    sigaddset(stop, SIGTERM);
    sigaddset(stop, SIGINT);
    if (pthread_sigmask(SIG_BLOCK, stop, old) != 0)
        return err_set(e, ERR_INTERNAL, "cannot block SIGTERM and SIGINT");
    return ERR_OK;
}

int server_serve(const char *path, const struct server_opts *o, FILE *out, struct err *e)
{
    sigset_t stop, old;
    if (server_block(&stop, &old, e) != ERR_OK)
        return e->code;
    struct server *s = NULL;
    struct server_ctx *ctx = server_ctx_open(path, e);
    int rc = ERR_OK;
    if (ctx == NULL) {
        rc = e->code;
        goto done;
    }
    if (ctx->nets->cur->net == NULL)
        fprintf(stderr, "tsunagu: serving without walking answers: %s\n", ctx->nets->cur->err.msg);
    s = server_start(o, NULL, ctx, e);
    if (s == NULL) {
        rc = e->code;
        goto done;
    }
    fprintf(out, "serving %s on %s://%s:%u/ (API /api/meta, OGC API /ogc; Ctrl-C stops)\n", path,
            s->tls.cert ? "https" : "http", s->host, s->port);
    fflush(out);
    server_wait(s, &stop);
done:
    server_ctx_close(ctx);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

int server_serve_dir(const char *dir, const struct server_opts *o, FILE *out, struct err *e)
{
    struct server_dir *list = server_dir_scan(dir, e);
    if (list == NULL)
        return e->code;
    sigset_t stop, old;
    if (server_block(&stop, &old, e) != ERR_OK) {
        server_dir_free(list);
        return e->code;
    }
    struct server_mount mounts[SERVER_MOUNTS_MAX];
    size_t n = 0;
    int rc = ERR_OK;
    for (; n < server_dir_count(list); n++) {
        const char *path = server_dir_path(list, n);
        mounts[n].ctx = server_ctx_open(path, e);
        if (mounts[n].ctx == NULL) {
            rc = e->code;
            err_prefix(e, "%s: ", path);
            goto done;
        }
        snprintf(mounts[n].code, sizeof mounts[n].code, "%s", server_dir_code(list, n));
        if (mounts[n].ctx->nets->cur->net == NULL)
            fprintf(stderr, "tsunagu: serving %s without walking answers: %s\n", mounts[n].code,
                    mounts[n].ctx->nets->cur->err.msg);
    }
    struct server *s = server_start_mounts(o, NULL, mounts, n, e);
    if (s == NULL) {
        rc = e->code;
        goto done;
    }
    fprintf(out,
            "serving %zu municipalities from %s on %s://%s:%u/m/{code}/ (list: "
            "/api/municipalities; Ctrl-C stops)\n",
            n, dir, s->tls.cert ? "https" : "http", s->host, s->port);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "  /m/%s/ %s\n", mounts[i].code, mounts[i].ctx->place);
    fflush(out);
    server_wait(s, &stop);
done:
    for (size_t i = 0; i < n; i++)
        server_ctx_close(mounts[i].ctx);
    server_dir_free(list);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}
