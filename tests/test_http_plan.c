/* SPDX-License-Identifier: MIT */
/* test_http_plan.c - tests http_plan.c's pure parts: the nesting pre-check
 * and the route body reader (members, types, limits, sentences that name
 * the member and never an id). The handlers against a database are tested
 * end to end by cli_http_plan.sh, which compares them with the CLI. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "http_plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_depth(void **state)
{
    const char *s;
    s = "{}";
    assert_int_equal(http_plan_json_depth(s, strlen(s), 4), 1);
    s = "{\"a\":[1,{\"b\":[2]}]}";
    assert_int_equal(http_plan_json_depth(s, strlen(s), 8), 4);
    s = "{\"a\":\"[[[[[[[[\"}"; /* brackets inside a string do not count */
    assert_int_equal(http_plan_json_depth(s, strlen(s), 4), 1);
    s = "{\"a\":\"\\\"[[[[\"}"; /* nor after an escaped quote */
    assert_int_equal(http_plan_json_depth(s, strlen(s), 4), 1);
    s = "42";
    assert_int_equal(http_plan_json_depth(s, strlen(s), 4), 0);
    /* A deep body stops the scan just past the limit. */
    char deep[100001];
    memset(deep, '[', sizeof deep - 1);
    deep[sizeof deep - 1] = '\0';
    assert_int_equal(http_plan_json_depth(deep, strlen(deep), 4), 5);
}

/* Parses body; returns the status and leaves the sentence in e. */
static int parse(const char *body, struct route_text *t, struct http_plan_body *b, struct err *e)
{
    memset(t, 0, sizeof *t);
    memset(b, 0, sizeof *b);
    err_clear(e);
    return http_plan_route_parse(body, strlen(body), t, b, e);
}

static void test_route_body(void **state)
{
    struct route_text t;
    struct http_plan_body b;
    struct err e = {0};
    int rc = parse("{\"start\":{\"lon\":136.95,\"lat\":34.95},\"district\":\"E05\","
                   "\"need\":\"高齢独居\",\"level\":\"elementary\",\"dwell\":15,"
                   "\"day_minutes\":300,\"speed\":\"slow\",\"start_time\":\"08:30\"}",
                   &t, &b, &e);
    assert_int_equal(rc, ERR_OK);
    assert_string_equal(t.start_lon, "136.94999999999999");
    assert_string_equal(t.district, "E05");
    assert_string_equal(t.need, "高齢独居");
    assert_string_equal(t.level, "elementary");
    assert_string_equal(t.dwell, "15");
    assert_string_equal(t.day_minutes, "300");
    assert_string_equal(t.speed, "slow");
    assert_string_equal(t.start_time, "08:30");
    assert_null(t.households);
    http_plan_body_clear(&b);

    rc = parse("{\"start\":{\"lon\":1,\"lat\":2},\"households\":[\"H1\",\"H2\"],\"speed\":60}", &t,
               &b, &e);
    assert_int_equal(rc, ERR_OK);
    assert_string_equal(t.households, "H1,H2");
    assert_string_equal(t.speed, "60");
    http_plan_body_clear(&b);
}

static void test_route_body_errors(void **state)
{
    static const struct {
        const char *body; /* request body */
        int code;         /* expected status */
        const char *says; /* expected part of the sentence */
    } cases[] = {
        {"", ERR_INPUT, "needs a JSON object body"},
        {"[]", ERR_INPUT, "must be a JSON object"},
        {"{\"start\":", ERR_INPUT, "not valid JSON (line 1"},
        {"{\"a\":1,\"a\":2}", ERR_INPUT, "names a member twice"},
        {"{\"x\":[[[[1]]]]}", ERR_INPUT, "deeper than 4"},
        {"{\"district\":\"E05\"}", ERR_INPUT, "start {"},
        {"{\"start\":[1,2],\"district\":\"E05\"}", ERR_INPUT, "start must be an object"},
        {"{\"start\":{\"lon\":1},\"district\":\"E05\"}", ERR_INPUT, "start must be an object"},
        {"{\"start\":{\"lon\":1,\"lat\":null},\"district\":\"E05\"}", ERR_INPUT, "start.lat"},
        {"{\"start\":{\"lon\":1,\"lat\":2}}", ERR_INPUT, "one of households"},
        {"{\"start\":{\"lon\":1,\"lat\":2},\"district\":\"\"}", ERR_INPUT, "district must be"},
        {"{\"start\":{\"lon\":1,\"lat\":2},\"district\":7}", ERR_INPUT, "district must be"},
        {"{\"start\":{\"lon\":1,\"lat\":2},\"district\":\"E\",\"dwell\":\"5\"}", ERR_INPUT,
         "dwell must be a number"},
        {"{\"start\":{\"lon\":1,\"lat\":2},\"district\":\"E\",\"speed\":true}", ERR_INPUT,
         "speed must be a number"},
        {"{\"start\":{\"lon\":1,\"lat\":2},\"district\":\"E\",\"colour\":1}", ERR_INPUT,
         "unknown member 'colour'"},
        {"{\"start\":{\"lon\":1,\"lat\":2},\"households\":[]}", ERR_INPUT, "non-empty array"},
        {"{\"start\":{\"lon\":1,\"lat\":2},\"households\":[\"SECRET,1\"]}", ERR_INPUT,
         "households[0]"},
        {"{\"start\":{\"lon\":1,\"lat\":2},\"households\":[\"ok\",\" SECRET\"]}", ERR_INPUT,
         "households[1]"},
        {"{\"start\":{\"lon\":1,\"lat\":2},\"households\":[\"ok\",\"SE\\u0001CRET\"]}", ERR_INPUT,
         "households[1]"},
        {"{\"start\":{\"lon\":1,\"lat\":2},\"households\":[\"SE\\u0000CRET\"]}", ERR_INPUT,
         "not valid JSON"}, /* jansson refuses NUL in strings */
    };
    struct route_text t;
    struct http_plan_body b;
    struct err e = {0};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = parse(cases[i].body, &t, &b, &e);
        if (rc != cases[i].code || strstr(e.msg, cases[i].says) == NULL)
            fail_msg("case %zu: %d '%s'", i, rc, e.msg);
        if (strstr(e.msg, "SECRET") != NULL)
            fail_msg("case %zu repeats an id: '%s'", i, e.msg);
        http_plan_body_clear(&b);
    }
}

static void test_route_body_limits(void **state)
{
    /* ROUTE_MAX_STOPS ids of HTTP_PLAN_ID_MAX bytes pass; one more id is a
     * limit, one byte more is a 400. */
    size_t cap = 64 + ROUTE_MAX_STOPS * (HTTP_PLAN_ID_MAX + 4) + 16;
    char *body = malloc(cap);
    assert_non_null(body);
    struct route_text t;
    struct http_plan_body b;
    struct err e = {0};
    for (int extra = 0; extra < 2; extra++) {
        size_t n = (size_t)snprintf(body, cap, "{\"start\":{\"lon\":1,\"lat\":2},\"households\":[");
        for (int i = 0; i < ROUTE_MAX_STOPS + extra; i++) {
            n += (size_t)snprintf(body + n, cap - n, "%s\"%0*d\"", i ? "," : "", HTTP_PLAN_ID_MAX,
                                  i);
        }
        snprintf(body + n, cap - n, "]}");
        int rc = parse(body, &t, &b, &e);
        assert_int_equal(rc, extra ? ERR_LIMIT : ERR_OK);
        if (!extra)
            assert_int_equal(strlen(t.households), ROUTE_MAX_STOPS * (HTTP_PLAN_ID_MAX + 1) - 1);
        http_plan_body_clear(&b);
    }
    char id[HTTP_PLAN_ID_MAX + 2];
    memset(id, 'x', sizeof id - 1);
    id[sizeof id - 1] = '\0';
    snprintf(body, cap, "{\"start\":{\"lon\":1,\"lat\":2},\"households\":[\"%s\"]}", id);
    assert_int_equal(parse(body, &t, &b, &e), ERR_INPUT);
    http_plan_body_clear(&b);
    free(body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_route_body),
        cmocka_unit_test(test_route_body_errors),
        cmocka_unit_test(test_route_body_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
