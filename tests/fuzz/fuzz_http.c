/* SPDX-License-Identifier: MIT */
/* fuzz_http.c - fuzz target for the whole HTTP edge: libmicrohttpd's request
 * parsing, the routing table, query-parameter collection and checks
 * (server.c), and every handler's parameter parsing and answer (/api, /ogc,
 * /tiles, the web page), on the real server over loopback with the demo
 * town's database (built once from data/ at start-up).
 *
 * The input is one request: its first byte picks the method (bits 0-1: GET,
 * HEAD, POST with Content-Type: application/json, or DELETE) and who asks
 * (bits 2-3: nobody, an official, a coordinator of agency 包括A, an
 * outreach worker assigned elementary:E05, each with a valid token made at
 * start-up, so the signed-in handlers are reached too), the bytes up to the
 * first newline are the request target (bytes that cannot appear in a
 * request line, i.e. controls, space, DEL and non-ASCII, are sent
 * percent-encoded, so any decoded byte still reaches the server), and the
 * rest is the body of a POST.
 *
 * Invariants: every request gets one well-formed HTTP/1.1 answer; no input
 * is answered 500 (bad input is a 4xx, and the database is sound), and
 * every 4xx/5xx JSON error is {"error": sentence}. */
#include "auth.h"
#include "fuzzutil.h"
#include "import.h"
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define FUZZ_HTTP_MAX 8192        /* bytes of input looked at */
#define FUZZ_HTTP_REPLY_MAX 65536 /* bytes of the answer kept (the status line matters) */

static struct server_ctx *fuzz_http_ctx;             /* the service (lives until exit) */
static char fuzz_http_tokens[3][AUTH_TOKEN_LEN + 1]; /* official, coordinator, outreach */
static struct server *fuzz_http_srv;                 /* the daemon (lives until exit) */
static unsigned fuzz_http_port;                      /* its loopback port */

/* Imports the demo town's files from the source tree into a new database. */
static void fuzz_http_demo(const char *db)
{
    static const struct {
        int kind;          /* enum import_kind */
        const char *file;  /* under data/ */
        const char *level; /* districts level */
    } files[] = {
        {IMPORT_NETWORK, "town_network.geojson", NULL},
        {IMPORT_DISTRICTS, "town_districts_junior_high.geojson", "junior_high"},
        {IMPORT_DISTRICTS, "town_districts_elementary.geojson", "elementary"},
        {IMPORT_RESOURCES, "town_resources.geojson", NULL},
        {IMPORT_HOUSEHOLDS, "town_households.csv", NULL},
        {IMPORT_POPULATION, "town_population.geojson", NULL},
        {IMPORT_CANDIDATES, "town_candidates.geojson", NULL},
    };
    struct err e = {0};
    struct store *st = store_open(db, &e);
    for (size_t i = 0; st && i < sizeof files / sizeof files[0]; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/data/%s", TSUNAGU_SOURCE_DIR, files[i].file);
        struct import_opts o;
        memset(&o, 0, sizeof o);
        o.kind = files[i].kind;
        o.src.path = path;
        o.level = files[i].level;
        struct import_report rep;
        if (import_run(st, &o, &rep, &e) != ERR_OK) {
            fprintf(stderr, "fuzz_http: %s\n", e.msg);
            fz_check(0, "the demo town imports");
        }
    }
    fz_check(st != NULL, "the demo database opens");
    static const struct store_user users[3] = {
        {.name = "fz_official", .role = "official"},
        {.name = "fz_coordinator", .role = "coordinator", .agency = "包括A"},
        {.name = "fz_outreach", .role = "outreach", .level = "elementary", .district = "E05"},
    };
    for (int i = 0; i < 3; i++) {
        unsigned char hash[AUTH_HASH_BYTES];
        fz_check(auth_token_new(fuzz_http_tokens[i], &e) == ERR_OK, "a token");
        auth_token_hash(fuzz_http_tokens[i], hash);
        if (store_user_add(st, &users[i], hash, &e) != ERR_OK) {
            fprintf(stderr, "fuzz_http: %s\n", e.msg);
            fz_check(0, "the demo users are added");
        }
    }
    store_close(st);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char db[4200];
    snprintf(db, sizeof db, "%s/demo.db", fz_tmpdir());
    fuzz_http_demo(db);
    struct err e = {0};
    fuzz_http_ctx = server_ctx_open(db, &e);
    if (fuzz_http_ctx == NULL)
        fprintf(stderr, "fuzz_http: %s\n", e.msg);
    fz_check(fuzz_http_ctx != NULL, "the service opens");
    struct server_opts o = {.bind = "127.0.0.1", .port = 0, .threads = 1, .quiet = 1};
    fuzz_http_srv = server_start(&o, NULL, fuzz_http_ctx, &e);
    if (fuzz_http_srv == NULL)
        fprintf(stderr, "fuzz_http: %s\n", e.msg);
    fz_check(fuzz_http_srv != NULL, "the server starts");
    fuzz_http_port = server_port(fuzz_http_srv);
    return 0;
}

/* Appends n bytes to the growing request (aborts when out of memory). */
static void fuzz_http_put(char **buf, size_t *len, size_t *cap, const void *data, size_t n)
{
    if (*len + n > *cap) {
        size_t c = (*len + n) * 2 + 256;
        char *b = realloc(*buf, c);
        fz_check(b != NULL, "out of memory");
        *buf = b;
        *cap = c;
    }
    memcpy(*buf + *len, data, n);
    *len += n;
}

/* Sends the request and reads the answer into reply (NUL-terminated).
 * Returns the bytes read; aborts when the server cannot be reached. */
static size_t fuzz_http_exchange(const char *req, size_t len, char *reply, size_t cap)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    fz_check(fd >= 0, "a socket");
    struct timeval tv = {20, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)fuzz_http_port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    /* A refused connect is retried for up to 5 s (the listen queue may be
     * momentarily full); a server that stays unreachable is a failure. */
    int tries = 0;
    while (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        fprintf(stderr, "fuzz_http: connect: %s\n", strerror(errno));
        fz_check(++tries < 50, "the server accepts connections");
        close(fd);
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
        fd = socket(AF_INET, SOCK_STREAM, 0);
        fz_check(fd >= 0, "a socket");
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    }
    size_t sent = 0;
    while (sent < len) {
        ssize_t w = send(fd, req + sent, len - sent, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break; /* the server may answer and close before reading it all */
        sent += (size_t)w;
    }
    size_t got = 0;
    while (got + 1 < cap) {
        ssize_t r = recv(fd, reply + got, cap - 1 - got, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    reply[got] = '\0';
    close(fd);
    return got;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || size > FUZZ_HTTP_MAX)
        return 0;
    static const char *const methods[] = {"GET", "HEAD", "POST", "DELETE"};
    const char *method = methods[data[0] & 3];
    int post = (data[0] & 3) == 2;
    const uint8_t *p = data + 1, *end = data + size;
    const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
    const uint8_t *target_end = nl ? nl : end;

    char *req = NULL;
    size_t len = 0, cap = 0;
    fuzz_http_put(&req, &len, &cap, method, strlen(method));
    fuzz_http_put(&req, &len, &cap, " ", 1);
    if (p == target_end || *p != '/')
        fuzz_http_put(&req, &len, &cap, "/", 1);
    for (const uint8_t *c = p; c < target_end; c++) {
        if (*c <= 0x20 || *c >= 0x7F) {
            char enc[4];
            snprintf(enc, sizeof enc, "%%%02X", *c);
            fuzz_http_put(&req, &len, &cap, enc, 3);
        } else {
            fuzz_http_put(&req, &len, &cap, c, 1);
        }
    }
    const uint8_t *body = nl ? nl + 1 : end;
    size_t body_len = post ? (size_t)(end - body) : 0;
    int who = (data[0] >> 2) & 3;
    char auth[AUTH_TOKEN_LEN + 40] = "";
    if (who > 0)
        snprintf(auth, sizeof auth, "Authorization: Bearer %s\r\n", fuzz_http_tokens[who - 1]);
    char head[512];
    int h = snprintf(head, sizeof head,
                     " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                     "Accept-Encoding: gzip\r\n%s%s"
                     "Content-Length: %zu\r\n\r\n",
                     auth, post ? "Content-Type: application/json\r\n" : "", body_len);
    fuzz_http_put(&req, &len, &cap, head, (size_t)h);
    if (body_len > 0)
        fuzz_http_put(&req, &len, &cap, body, body_len);

    static char reply[FUZZ_HTTP_REPLY_MAX];
    size_t got = fuzz_http_exchange(req, len, reply, sizeof reply);
    free(req);
    fz_check(got >= 12 && strncmp(reply, "HTTP/1.1 ", 9) == 0, "one HTTP/1.1 answer per request");
    int status = (reply[9] - '0') * 100 + (reply[10] - '0') * 10 + (reply[11] - '0');
    fz_check(status >= 200 && status <= 599, "a status code");
    if (status == 500) {
        const char *b = strstr(reply, "\r\n\r\n");
        fprintf(stderr, "fuzz_http: 500 answer: %.300s\n", b ? b + 4 : reply);
    }
    fz_check(status != 500, "no request is answered 500");
    if (status >= 400 && strstr(reply, "Content-Type: application/json") != NULL &&
        (data[0] & 3) != 1) {
        const char *b = strstr(reply, "\r\n\r\n");
        fz_check(b != NULL && strncmp(b + 4, "{\"error\":\"", 10) == 0,
                 "errors are {\"error\": sentence}");
    }
    return 0;
}
