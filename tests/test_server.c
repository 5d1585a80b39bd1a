/* SPDX-License-Identifier: MIT */
/* test_server.c - tests server.c's machinery without a database: a real
 * libmicrohttpd daemon on a loopback port the kernel picks, driven with raw
 * HTTP/1.1 over sockets, answering through a test routing table. Covers
 * routing with "{}" segments and the final 404 entry, 405 with Allow, body
 * accumulation up to SERVER_BODY_MAX and 413 beyond it (by Content-Length
 * and chunked), query-parameter rules (unknown, repeated, limits, UTF-8,
 * percent-decoding), error replies, HEAD, and the number parsers. The
 * database-backed endpoints are tested end to end by cli_http.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "server.h"
#include "server_dir.h"
#include "testutil.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* ---- handlers of the test table ---- */

static int t_echo(struct server_req *rq, struct err *e)
{
    size_t len = 0;
    const char *body = server_req_body(rq, &len);
    int all_a = 1;
    for (size_t i = 0; body && i < len; i++)
        all_a &= body[i] == 'a';
    return server_reply_json(
        rq, 200, json_pack("{s:I,s:b}", "len", (json_int_t)len, "all_a", all_a), NULL, e);
}

static int t_args(struct server_req *rq, struct err *e)
{
    return server_reply_json(
        rq, 200, json_pack("{s:s,s:s}", "a", server_req_arg(rq, 0), "b", server_req_arg(rq, 1)),
        NULL, e);
}

static int t_params(struct server_req *rq, struct err *e)
{
    const char *a, *b;
    const struct server_param spec[] = {{"a", &a}, {"b", &b}, {NULL, NULL}};
    if (server_req_params(rq, spec, e) != ERR_OK)
        return ERR_INPUT;
    return server_reply_json(rq, 200, json_pack("{s:s?,s:s?}", "a", a, "b", b), NULL, e);
}

static int t_fail(struct server_req *rq, struct err *e)
{
    return err_set(e, ERR_INPUT, "bad thing \xE3\x81"); /* cut UTF-8 is cleaned */
}

static int t_silent(struct server_req *rq, struct err *e)
{
    return ERR_OK; /* forgets to reply: the server answers 500 */
}

static int t_store(struct server_req *rq, struct err *e)
{
    return server_store(rq, e) ? ERR_OK : e->code;
}

static int t_missing(struct server_req *rq, struct err *e)
{
    return err_set(e, ERR_NOTFOUND, "test 404");
}

static const struct server_route t_routes[] = {
    {"/echo", SERVER_POST, 1, t_echo},
    {"/t/{}/x/{}", SERVER_GET, 0, t_args},
    {"/p", SERVER_GET, 0, t_params},
    {"/fail", SERVER_GET, 0, t_fail},
    {"/silent", SERVER_GET, 0, t_silent},
    {"/store", SERVER_GET, 0, t_store},
    {NULL, SERVER_GET | SERVER_HEAD | SERVER_POST | SERVER_OTHER, 0, t_missing},
};

/* ---- a raw HTTP client ---- */

static struct server *t_srv;
static char t_resp[256 * 1024];

/* Sends `req` (n bytes) on a new connection, reads the whole answer into
 * t_resp and returns its status code. */
static int t_send(const char *req, size_t n)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)server_port(t_srv));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    size_t sent = 0;
    while (sent < n) {
        ssize_t w = send(fd, req + sent, n - sent, MSG_NOSIGNAL);
        if (w <= 0)
            break; /* the server may answer and close before reading it all */
        sent += (size_t)w;
    }
    size_t got = 0;
    ssize_t r;
    while (got < sizeof t_resp - 1 && (r = recv(fd, t_resp + got, sizeof t_resp - 1 - got, 0)) > 0)
        got += (size_t)r;
    t_resp[got] = '\0';
    close(fd);
    int status = 0;
    if (strncmp(t_resp, "HTTP/1.1 ", 9) == 0)
        status = (int)strtol(t_resp + 9, NULL, 10);
    return status;
}

/* GET (or another method) of `target` with Connection: close. */
static int t_req(const char *method, const char *target)
{
    char req[8192];
    int n =
        snprintf(req, sizeof req, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                 method, target);
    assert_true(n > 0 && (size_t)n < sizeof req);
    return t_send(req, (size_t)n);
}

static const char *t_body(void)
{
    const char *b = strstr(t_resp, "\r\n\r\n");
    return b ? b + 4 : "";
}

/* POST /echo with a body of n 'a's, by Content-Length or chunked. */
static int t_post(size_t n, int chunked)
{
    size_t cap = n + 4096;
    char *req = malloc(cap);
    assert_non_null(req);
    size_t len =
        (size_t)snprintf(req, cap, "POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
    if (chunked) {
        len += (size_t)snprintf(req + len, cap - len, "Transfer-Encoding: chunked\r\n\r\n");
        for (size_t done = 0; done < n;) {
            size_t c = n - done < 8192 ? n - done : 8192;
            len += (size_t)snprintf(req + len, cap - len, "%zx\r\n", c);
            memset(req + len, 'a', c);
            len += c;
            len += (size_t)snprintf(req + len, cap - len, "\r\n");
            done += c;
            if (len + 8300 > cap) {
                cap *= 2;
                req = realloc(req, cap);
                assert_non_null(req);
            }
        }
        len += (size_t)snprintf(req + len, cap - len, "0\r\n\r\n");
    } else {
        len += (size_t)snprintf(req + len, cap - len, "Content-Length: %zu\r\n\r\n", n);
        memset(req + len, 'a', n);
        len += n;
    }
    int status = t_send(req, len);
    free(req);
    return status;
}

static int t_setup(void **state)
{
    struct err e = {0};
    struct server_opts o = {.bind = "127.0.0.1", .threads = 2, .quiet = 1};
    t_srv = server_start(&o, t_routes, NULL, &e);
    if (t_srv == NULL)
        fprintf(stderr, "server_start: %s\n", e.msg);
    return t_srv ? 0 : -1;
}

static int t_teardown(void **state)
{
    server_stop(t_srv);
    return 0;
}

/* ---- tests ---- */

static void test_routing(void **state)
{
    assert_int_equal(t_req("GET", "/t/abc/x/d%20f"), 200);
    assert_string_equal(t_body(), "{\"a\":\"abc\",\"b\":\"d f\"}");
    assert_int_equal(t_req("GET", "/t/abc/x/def/"), 200); /* trailing slash */
    assert_int_equal(t_req("GET", "/t/abc/x"), 404);
    assert_string_equal(t_body(), "{\"error\":\"test 404\",\"code\":\"not_found\"}");
    assert_int_equal(t_req("GET", "/t//x/y"), 404);
    assert_int_equal(t_req("GET", "/nowhere"), 404);
    assert_int_equal(t_req("DELETE", "/nowhere"), 404);
    assert_non_null(strstr(t_resp, "Cache-Control: no-store"));
}

static void test_methods(void **state)
{
    assert_int_equal(t_req("GET", "/echo"), 405);
    assert_non_null(strstr(t_resp, "Allow: POST\r\n"));
    assert_int_equal(t_req("POST", "/p"), 405);
    assert_non_null(strstr(t_resp, "Allow: GET, HEAD\r\n"));
    assert_int_equal(t_req("PUT", "/p"), 405);
    assert_int_equal(t_req("HEAD", "/p?a=1"), 200);
    assert_string_equal(t_body(), "");
    assert_non_null(strstr(t_resp, "Cache-Control: no-cache"));
}

static void test_bodies(void **state)
{
    assert_int_equal(t_post(1000, 0), 200);
    assert_string_equal(t_body(), "{\"len\":1000,\"all_a\":true}");
    assert_int_equal(t_post(SERVER_BODY_MAX, 0), 200);
    assert_string_equal(t_body(), "{\"len\":65536,\"all_a\":true}");
    assert_int_equal(t_post(SERVER_BODY_MAX, 1), 200);
    assert_string_equal(t_body(), "{\"len\":65536,\"all_a\":true}");
    assert_int_equal(t_post(0, 0), 200);
    assert_string_equal(t_body(), "{\"len\":0,\"all_a\":true}");
    assert_int_equal(t_post(SERVER_BODY_MAX + 1, 0), 413);
    assert_int_equal(t_post(SERVER_BODY_MAX + 1, 1), 413);
    assert_int_equal(t_post(1024 * 1024, 1), 413);
    assert_non_null(strstr(t_body(), "larger than 65536 bytes"));
}

static void test_params(void **state)
{
    assert_int_equal(t_req("GET", "/p?a=1&b=%E4%B8%80"), 200);
    assert_string_equal(t_body(), "{\"a\":\"1\",\"b\":\"\xE4\xB8\x80\"}");
    assert_int_equal(t_req("GET", "/p?a"), 200);
    assert_string_equal(t_body(), "{\"a\":\"\",\"b\":null}");
    assert_int_equal(t_req("GET", "/p?a=1&"), 200);
    assert_int_equal(t_req("GET", "/p?a=1&a=2"), 400);
    assert_non_null(strstr(t_body(), "'a' is given more than once"));
    assert_int_equal(t_req("GET", "/p?zz=1"), 400);
    assert_non_null(strstr(t_body(), "unknown parameter 'zz'; this path takes a, b"));
    assert_int_equal(t_req("GET", "/p?a=%FF"), 400);
    assert_int_equal(t_req("GET", "/p?a=x%0Ay"), 400);
    char target[SERVER_URL_MAX + 64];
    size_t n = (size_t)snprintf(target, sizeof target, "/p?");
    for (int i = 0; i <= SERVER_PARAMS_MAX; i++)
        n += (size_t)snprintf(target + n, sizeof target - n, "k%d=1&", i);
    assert_int_equal(t_req("GET", target), 400);
    assert_non_null(strstr(t_body(), "too many query parameters"));
    n = (size_t)snprintf(target, sizeof target, "/p?a=");
    memset(target + n, 'x', SERVER_PARAM_LEN_MAX + 1);
    target[n + SERVER_PARAM_LEN_MAX + 1] = '\0';
    assert_int_equal(t_req("GET", target), 400);
    memset(target + n, 'x', SERVER_URL_MAX);
    target[n + SERVER_URL_MAX] = '\0';
    assert_int_equal(t_req("GET", target), 414);
}

static void test_errors(void **state)
{
    assert_int_equal(t_req("GET", "/fail"), 400);
    assert_string_equal(t_body(), "{\"error\":\"bad thing ??\",\"code\":\"bad_input\"}");
    assert_non_null(strstr(t_resp, "Content-Type: application/json"));
    assert_int_equal(t_req("GET", "/silent"), 500);
    assert_int_equal(t_req("GET", "/store"), 500); /* no database behind this server */
}

static void test_numbers(void **state)
{
    struct err e = {0};
    double d = 7;
    long l = 7;
    assert_int_equal(server_number(NULL, "x", &d, &e), ERR_OK);
    assert_true(d == 7);
    assert_int_equal(server_number("1.5e1", "x", &d, &e), ERR_OK);
    assert_true(d == 15);
    assert_int_equal(server_number("nan", "lon", &d, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "lon"));
    err_clear(&e);
    assert_int_equal(server_number("1x", "lon", &d, &e), ERR_INPUT);
    err_clear(&e);
    assert_int_equal(server_integer("12", "limit", 1, 20, &l, &e), ERR_OK);
    assert_int_equal(l, 12);
    assert_int_equal(server_integer("21", "limit", 1, 20, &l, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "limit must be a whole number between 1 and 20"));
    err_clear(&e);
    assert_int_equal(server_integer("1.0", "limit", 1, 20, &l, &e), ERR_INPUT);
}

static void test_start_errors(void **state)
{
    struct err e = {0};
    struct server_opts bad_bind = {.bind = "not-an-address", .threads = 1, .quiet = 1};
    assert_null(server_start(&bad_bind, t_routes, NULL, &e));
    assert_int_equal(e.code, ERR_INPUT);
    err_clear(&e);
    struct server_opts busy = {
        .bind = "127.0.0.1", .port = server_port(t_srv), .threads = 1, .quiet = 1};
    assert_null(server_start(&busy, t_routes, NULL, &e));
    assert_int_equal(e.code, ERR_IO);
    err_clear(&e);
    struct server_opts many = {.bind = "127.0.0.1", .threads = SERVER_THREADS_MAX + 1, .quiet = 1};
    assert_null(server_start(&many, t_routes, NULL, &e));
    assert_int_equal(e.code, ERR_INPUT);
    err_clear(&e);
    /* Plain HTTP beyond loopback needs TLS or --insecure-http (http_tls.h). */
    struct server_opts open = {.bind = "0.0.0.0", .threads = 1, .quiet = 1};
    assert_null(server_start(&open, t_routes, NULL, &e));
    assert_int_equal(e.code, ERR_INPUT);
    assert_non_null(strstr(e.msg, "--insecure-http"));
    err_clear(&e);
    open.insecure_http = 1;
    struct server *lan = server_start(&open, t_routes, NULL, &e);
    assert_non_null(lan);
    server_stop(lan);
    struct server_opts half = {.bind = "127.0.0.1", .threads = 1, .tls_cert = "x.pem"};
    assert_null(server_start(&half, t_routes, NULL, &e));
    assert_int_equal(e.code, ERR_INPUT);
    err_clear(&e);
    char *dir = tu_tmpdir();
    char *missing = tu_path(dir, "missing.db");
    assert_null(server_ctx_open(missing, &e));
    assert_int_equal(e.code, ERR_NOTFOUND);
    err_clear(&e);
    struct store *st = store_open(missing, &e); /* a database with nothing imported */
    assert_non_null(st);
    store_close(st);
    assert_null(server_ctx_open(missing, &e));
    assert_int_equal(e.code, ERR_INPUT);
    free(missing);
    free(dir);
}

/* serve --db-dir's file names: 5 digits, or 6 with JIS X 0402's check
 * digit (生駒市 292095, 宇部市 352021, 北海道 010006). */
static void test_dir_codes(void **state)
{
    (void)state;
    const char *good[] = {"29209", "292095", "35202", "352021", "010006", "00000"};
    const char *bad[] = {"292094", "352020", "2920", "2920955", "2920a", "", "29209 ", "-2920"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_true(server_dir_code_ok(good[i]));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(server_dir_code_ok(bad[i]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dir_codes), cmocka_unit_test(test_routing),
        cmocka_unit_test(test_methods),   cmocka_unit_test(test_bodies),
        cmocka_unit_test(test_params),    cmocka_unit_test(test_errors),
        cmocka_unit_test(test_numbers),   cmocka_unit_test(test_start_errors),
    };
    return cmocka_run_group_tests_name("server", tests, t_setup, t_teardown);
}
