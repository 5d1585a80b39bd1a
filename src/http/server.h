/* SPDX-License-Identifier: MIT */
/* server.h - tsunagu's HTTP edge on libmicrohttpd: the service state shared
 * by every thread (struct server_ctx), the running daemon (struct server),
 * and what a handler sees of a request (struct server_req).
 *
 * A request is routed through a static table (server.c) whose last entry
 * answers 404; a handler fills one reply with server_reply_json or returns
 * a struct err that the server turns into {"error": "..."} with the status
 * err_http_status gives. Handlers reach the database, the CRS and the
 * walking engine through a per-thread worker checked out for the request
 * (server_features, server_store, server_crs, server_walk), so no SQLite
 * connection, PROJ context or search workspace is shared between threads.
 *
 * Limits (each answered with its own status and sentence): request target
 * SERVER_URL_MAX bytes (414), SERVER_PARAMS_MAX query parameters and
 * SERVER_PARAM_LEN_MAX bytes per name or value (400), request bodies
 * SERVER_BODY_MAX bytes (413). Also 400: %00 in the path or the query, more
 * than one Content-Length, a Host header that is not host[:port]. Query parameters arrive
 * percent-decoded; a handler names the ones it takes and any other, or a repeated one, is a 400.
 *
 * Privacy: the log holds one line per request with method, path (never the
 * query string, which may carry a location), status and milliseconds.
 *
 * Access (auth.h). A request with an Authorization header is signed in
 * before its handler runs: "Bearer TOKEN" whose hash belongs to an active
 * user; otherwise 401 with WWW-Authenticate: Bearer, and after
 * AUTH_FAIL_BURST failures from one client address (an IPv6 /64) 429 with
 * Retry-After until its bucket refills. A request without the header is
 * anonymous. Handlers ask auth_require(server_req_user(rq), ...) before
 * touching anything derived from households, and server_audit before
 * household ids leave. Every answer to a signed-in request carries
 * Cache-Control: private, no-store. Tokens are never logged and never read
 * from URLs.
 *
 * Entry points: server_ctx_open, server_ctx_close, server_req_params,
 * server_req_ctx, server_req_user, server_req_client, server_audit, server_audit_via,
 * server_req_path, server_req_arg, server_req_body, server_req_header,
 * server_req_origin, server_req_token_hash, server_req_session, server_number, server_integer,
 * server_store, server_features, server_crs, server_walk, server_reply_json, server_reply_bytes,
 * server_start, server_start_mounts, server_port, server_stop, server_serve, server_serve_dir,
 * server_net, server_req_base, server_req_mount, server_req_mounts.
 */
#ifndef TSUNAGU_SERVER_H
#define TSUNAGU_SERVER_H

#include "auth.h"
#include "crs.h"
#include "err.h"
#include "session.h"
#include "store.h"
#include "store_place.h"
#include "walk.h"

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#define SERVER_BODY_MAX (64 * 1024) /* bytes of a request body */
#define SERVER_URL_MAX 4096         /* bytes of the request target, query included */
#define SERVER_PARAMS_MAX 16        /* query parameters per request */
#define SERVER_PARAM_LEN_MAX 1024   /* bytes of one parameter name or value */
#define SERVER_PATH_ARGS_MAX 4      /* "{}" segments in a route pattern (tiles use 4) */
#define SERVER_THREADS_MAX 64       /* worker threads */
#define SERVER_DRAIN_MS 10000       /* how long a stop waits for requests in flight */
#define SERVER_CONNECTIONS_MAX 512  /* open connections in all */
#define SERVER_PER_IP_DEFAULT 32    /* open connections from one client address */
#define SERVER_TIMEOUT_DEFAULT 30   /* seconds a connection may stay silent */
#define SERVER_TIMEOUT_MAX 3600     /* upper bound of --timeout */
#define SERVER_HOST_MAX 255         /* bytes of a Host header */
#define SERVER_PROXIES_MAX 8        /* addresses in serve --trusted-proxy */
#define SERVER_MOUNTS_MAX 64        /* databases of serve --db-dir */
#define SERVER_MOUNT_CODE_MAX 6     /* bytes of a municipality code in /m/CODE/ */

/* Request methods, as bits so a route can allow several. HEAD is served
 * wherever GET is (libmicrohttpd drops the body). */
enum server_method {
    SERVER_GET = 1,
    SERVER_HEAD = 2,
    SERVER_POST = 4,
    SERVER_PATCH = 8, /* the resource register (http_register.c) */
    SERVER_DELETE = 16,
    SERVER_OTHER = 32 /* any other method: never routed, answered 405 */
};

/* ---- service state ---- */

struct server_pool;
struct server_nets;
struct audit_log;

/* What the service serves, shared read-only by every thread once open. */
struct server_ctx {
    char *db_path;                  /* database each worker opens read-only (owned copy) */
    struct server_nets *nets;       /* the walking network at the data's version (server_net) */
    int srid;                       /* EPSG code of the database CRS */
    char crs_name[128];             /* its human name */
    struct crs_area area;           /* lon/lat area in which the database holds data */
    struct server_pool *pool;       /* per-thread workers (server.c) */
    struct tiles *tiles;            /* shared map-tile cache (tiles.h), thread-safe */
    struct audit_log *audit;        /* household reads are recorded here (audit.h), thread-safe */
    struct auth_limiter *limiter;   /* failed sign-ins per client address, thread-safe */
    char place[STORE_PLACE_MAX];    /* the municipality's name (store_place_name), or "" */
    struct session_table *sessions; /* browser sessions (session.h), thread-safe */
};

/* One database of several served by one process (serve --db-dir): its
 * requests are those under /m/CODE/. */
struct server_mount {
    char code[SERVER_MOUNT_CODE_MAX + 1]; /* the municipality code, digits only */
    struct server_ctx *ctx;               /* its service state (borrowed) */
};

/* Opens the service on the database at `path`: opens its audit log
 * read-write (migrating an older schema), checks it holds data, reads its
 * CRS and loads the walking network (a database without one is served
 * without walking; server_net reloads it after imports). ERR_NOTFOUND when the file is missing,
 * ERR_INPUT when nothing was imported yet, the store's error when the audit log cannot be written.
 * Free with server_ctx_close. */
struct server_ctx *server_ctx_open(const char *path, struct err *e);

/* Frees the context and every worker; no request may be running. */
void server_ctx_close(struct server_ctx *ctx);

/* ---- requests, as handlers see them ---- */

struct server_req;

/* A handler: reads the request, replies with server_reply_json and returns
 * ERR_OK, or returns another code with a sentence in e (then the server
 * replies {"error": sentence} with err_http_status(code)). */
typedef int (*server_handler)(struct server_req *rq, struct err *e);

/* One route. A pattern is literal segments and "{}" for one non-empty
 * segment (at most SERVER_PATH_ARGS_MAX), e.g. "/ogc/collections/{}/items".
 * A table ends with an entry whose path is NULL: its handler answers every
 * unmatched path. */
struct server_route {
    const char *path;  /* pattern, or NULL for the final 404 entry */
    unsigned methods;  /* enum server_method bits allowed */
    int body;          /* 1 when the handler takes a body (<= SERVER_BODY_MAX) */
    server_handler fn; /* the handler */
};

/* A query parameter a handler takes: server_req_params stores its value
 * (percent-decoded, "" when given without "=") at *dest, NULL when absent. */
struct server_param {
    const char *name;  /* parameter name */
    const char **dest; /* where its value goes (borrowed until the reply) */
};

/* Reads the query parameters into a table ending with a NULL name.
 * ERR_INPUT naming an unknown or repeated parameter, or text that is not
 * UTF-8. */
int server_req_params(struct server_req *rq, const struct server_param *spec, struct err *e);

/* The service (NULL when the server runs without one, as in tests). */
const struct server_ctx *server_req_ctx(const struct server_req *rq);

/* The signed-in user, or NULL for an anonymous request. */
const struct auth_user *server_req_user(const struct server_req *rq);

/* The client's address as text ("127.0.0.1", "::1"). */
const char *server_req_client(const struct server_req *rq);

/* Records that this request reads the households ids[0..n) (audit.h): the
 * user, role, path and client address of rq. Call before the data goes
 * out; ERR_IO when the record cannot be written (then answer without it). */
int server_audit(struct server_req *rq, const char *const *ids, size_t n, struct err *e);

/* server_audit naming, for each id, the share or assignment that let the
 * caller read it (via[0..n), store_scope_check's texts). */
int server_audit_via(struct server_req *rq, const char *const *ids, const char *const *via,
                     size_t n, struct err *e);

/* Where the links of an answer start: server_req_origin followed by
 * "/m/CODE" when the request is for one of several databases (serve
 * --db-dir), so TileJSON and OGC links stay under the municipality. */
const char *server_req_base(const struct server_req *rq);

/* "/m/CODE" for a request to one of several databases, "" otherwise. */
const char *server_req_mount(const struct server_req *rq);

/* The databases the server serves under /m/CODE/ (*mounts borrowed; 0 and
 * an empty table when it serves one database at its root). */
size_t server_req_mounts(const struct server_req *rq, const struct server_mount **mounts);

/* The decoded path, without query string or trailing slash (under serve
 * --db-dir, without the /m/CODE prefix). */
const char *server_req_path(const struct server_req *rq);

/* The i-th "{}" segment of the matched pattern, or NULL. */
const char *server_req_arg(const struct server_req *rq, int i);

/* The request body (NUL-terminated, *len bytes), or NULL when the route
 * takes none or none was sent. */
const char *server_req_body(const struct server_req *rq, size_t *len);

/* The value of request header `name` (case-insensitive), or NULL when
 * absent; borrowed until the reply. */
const char *server_req_header(const struct server_req *rq, const char *name);

/* "SCHEME://HOST" as the client addressed the server, for absolute links
 * (TileJSON tile URLs, OGC links): HOST is the Host header (checked: a host
 * name or IP address with an optional port; anything else was answered 400)
 * or the bound address when there is none; SCHEME is http, or https when a
 * trusted proxy (server_opts.trusted_proxy) says so in Forwarded: proto= or
 * X-Forwarded-Proto. From any other peer these headers are ignored. */
const char *server_req_origin(const struct server_req *rq);

/* The SHA-256 of the bearer token the request signed in with, or NULL when
 * it came without one (anonymous, or signed in by a session cookie). */
const unsigned char *server_req_token_hash(const struct server_req *rq);

/* The value of the request's session cookie (SESSION_COOKIE), or NULL. */
const char *server_req_session(const struct server_req *rq);

/* Parses a finite number parameter named `name`; leaves *out when text is
 * NULL. ERR_INPUT naming the parameter otherwise. */
int server_number(const char *text, const char *name, double *out, struct err *e);

/* Parses a decimal integer parameter within [min, max]; leaves *out when
 * text is NULL. ERR_INPUT naming the parameter and the range otherwise. */
int server_integer(const char *text, const char *name, long min, long max, long *out,
                   struct err *e);

/* ---- per-thread resources of a request (checked out on first use and
 * returned when the handler ends; borrowed, never freed by the caller) ---- */

/* The read-only store connection; ERR_IO when it cannot be opened. */
struct store *server_store(struct server_req *rq, struct err *e);
/* The service statements on that connection. */
struct store_features *server_features(struct server_req *rq, struct err *e);
/* lon/lat <-> database CRS. */
struct crs *server_crs(struct server_req *rq, struct err *e);
/* The walking network (graph, snapped resources and candidate sites) as of
 * the database's walking version (store_walk_version), the same for the
 * whole request. The first request after an import of the network,
 * resources or candidate sites loads it anew, once, while the others wait
 * for it; requests already running keep the network they began with.
 * ERR_NOTFOUND with the load's sentence when the database has no walking
 * network, ERR_IO when it cannot be read. */
const struct walk_net *server_net(struct server_req *rq, struct err *e);
/* A walking session on that network; errors as server_net. */
struct walk_session *server_walk(struct server_req *rq, struct err *e);

/* ---- replies ---- */

/* Replies with `doc` serialised compactly (reals with 10 significant
 * digits, as the CLI writes them) as `content_type` (NULL =
 * "application/json") and Cache-Control: no-cache (private, no-store for
 * a signed-in request, as for every reply). Takes the reference to
 * doc in every case, so a handler may pass a builder's result directly.
 * ERR_NOMEM in e when doc is NULL or cannot be serialised. */
int server_reply_json(struct server_req *rq, int status, json_t *doc, const char *content_type,
                      struct err *e);

/* An extra response header for server_reply_bytes. */
struct server_header {
    const char *name;  /* header name, or NULL to end a table */
    const char *value; /* its value (copied by the reply) */
};

/* Replies with `len` bytes of `body` (malloc'd or NULL; ownership passes
 * in every case) as `content_type` (NULL = none, for 204 and 304) with
 * Cache-Control `cache` (NULL = none) and the headers of `extra` (a table
 * ending with a NULL name, or NULL): binary answers such as map tiles.
 * ERR_NOMEM in e when the response cannot be made. */
int server_reply_bytes(struct server_req *rq, int status, void *body, size_t len,
                       const char *content_type, const char *cache,
                       const struct server_header *extra, struct err *e);

/* ---- the daemon ---- */

/* How to run the daemon. */
struct server_opts {
    const char *bind;          /* IPv4 or IPv6 address to listen on; NULL = 127.0.0.1 */
    unsigned port;             /* TCP port; 0 = any free port (see server_port) */
    unsigned threads;          /* worker threads, 1..SERVER_THREADS_MAX; 0 = one per CPU */
    int quiet;                 /* 1 = no request log */
    unsigned per_ip;           /* open connections per client address, 1..SERVER_CONNECTIONS_MAX;
                                  0 = SERVER_PER_IP_DEFAULT. Beyond it a new connection is closed at
                                  once, so one address cannot take every slot */
    unsigned timeout;          /* seconds a connection may stay silent, 1..SERVER_TIMEOUT_MAX;
                                  0 = SERVER_TIMEOUT_DEFAULT */
    const char *trusted_proxy; /* "ADDR[,ADDR...]": peers whose Forwarded proto= or
                                  X-Forwarded-Proto sets the scheme of links; NULL = none */
    const char *tls_cert;      /* PEM certificate (chain) file for HTTPS; NULL = plain HTTP */
    const char *tls_key;       /* PEM private key file of tls_cert; both or neither */
    int insecure_http;         /* 1 = plain HTTP allowed on an address other than loopback */
    int log_json;              /* 1 = the request log as one JSON object per line */
};

struct server;

/* Starts listening with libmicrohttpd's thread pool and answers through
 * `routes` (NULL = tsunagu's own table) with `ctx` (borrowed; may be NULL
 * for routes that need no database), over HTTPS when o names a certificate
 * and key (http_tls.h). ERR_INPUT for a bad address, a limit out of range or
 * plain HTTP on a non-loopback address without o->insecure_http; the TLS
 * files' errors (http_tls_load); ERR_IO when the port cannot be bound. Stop
 * with server_stop. */
struct server *server_start(const struct server_opts *o, const struct server_route *routes,
                            struct server_ctx *ctx, struct err *e);

/* server_start for several databases (serve --db-dir): a request for
 * /m/CODE/REST is REST answered on CODE's context (GET /m/CODE is
 * redirected to /m/CODE/, an unknown CODE is a 404); any other path is
 * answered by http_mount_routes with no database. mounts[0..n) is copied,
 * its contexts are borrowed. Failed sign-ins are counted once for all.
 * Errors as server_start, and ERR_INPUT when n is 0. */
struct server *server_start_mounts(const struct server_opts *o, const struct server_route *routes,
                                   const struct server_mount *mounts, size_t n, struct err *e);

/* The port actually bound. */
unsigned server_port(const struct server *s);

/* Stops accepting, lets requests in flight finish (up to SERVER_DRAIN_MS),
 * closes every connection and frees s. */
void server_stop(struct server *s);

/* Serves the database at `path` until SIGTERM or SIGINT: opens the context,
 * starts the daemon, writes "serving PATH on http[s]://ADDR:PORT/" to `out`, waits for
 * the signal, then stops gracefully. Returns ERR_OK after a signal, or the
 * error that kept the service from starting. */
int server_serve(const char *path, const struct server_opts *o, FILE *out, struct err *e);

/* server_serve for every CODE.db in `dir` (server_dir.h), each under
 * /m/CODE/ of one daemon; prints one line per municipality. The errors of
 * server_dir_scan, or of the first database that cannot be opened (its
 * path in front of the sentence). */
int server_serve_dir(const char *dir, const struct server_opts *o, FILE *out, struct err *e);

#endif
