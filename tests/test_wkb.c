/* SPDX-License-Identifier: MIT */
/* test_wkb.c - tests wkb.c: validation of well-formed and malformed WKB,
 * in-place rewriting in both byte orders, limits, and the writers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "wkb.h"
#include <stdlib.h>
#include <string.h>

static int add_ten(void *ctx, int kind, double *xy, size_t n)
{
    int *calls = ctx;
    (*calls)++;
    (void)kind;
    for (size_t i = 0; i < 2 * n; i++)
        xy[i] += 10;
    return ERR_OK;
}

static void test_point_roundtrip(void **state)
{
    (void)state;
    unsigned char b[WKB_POINT_LEN];
    wkb_point_write(135.5, 34.25, b);
    struct wkb_info wi;
    struct err e = {0};
    assert_int_equal(wkb_inspect(b, sizeof b, &wi, &e), ERR_OK);
    assert_int_equal(wi.type, WKB_POINT);
    assert_int_equal(wi.points, 1);
    int calls = 0;
    assert_int_equal(wkb_walk(b, sizeof b, add_ten, &calls, &e), ERR_OK);
    assert_int_equal(calls, 1);
    double xy[2];
    memcpy(xy, b + 5, sizeof xy);
    assert_true(xy[0] == 145.5 && xy[1] == 44.25);
}

static void test_linestring_writer(void **state)
{
    (void)state;
    double xy[] = {0, 0, 3, 4, 6, 8};
    size_t len;
    unsigned char *b = wkb_linestring_new(xy, 3, &len);
    assert_non_null(b);
    assert_int_equal(len, 9 + 48);
    struct wkb_info wi;
    assert_int_equal(wkb_inspect(b, len, &wi, NULL), ERR_OK);
    assert_int_equal(wi.type, WKB_LINESTRING);
    assert_int_equal(wi.points, 3);
    /* Truncated by one byte: refused. */
    struct err e = {0};
    assert_int_equal(wkb_inspect(b, len - 1, &wi, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "truncated"));
    /* Trailing garbage: refused. */
    unsigned char *longer = calloc(len + 3, 1);
    memcpy(longer, b, len);
    err_clear(&e);
    assert_int_equal(wkb_inspect(longer, len + 3, &wi, &e), ERR_INPUT);
    free(longer);
    free(b);
}

/* Big-endian MultiPolygon with one square polygon, built by hand. */
static size_t be_square(unsigned char *p)
{
    size_t o = 0;
    unsigned char head[] = {0, 0, 0, 0, 6, 0, 0, 0, 1, 0, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, 5};
    memcpy(p, head, sizeof head);
    o = sizeof head;
    double pts[] = {0, 0, 1, 0, 1, 1, 0, 1, 0, 0};
    for (int i = 0; i < 10; i++) {
        uint64_t u;
        memcpy(&u, &pts[i], 8);
        for (int k = 0; k < 8; k++)
            p[o + k] = (unsigned char)(u >> (56 - 8 * k));
        o += 8;
    }
    return o;
}

static void test_big_endian_multipolygon(void **state)
{
    (void)state;
    unsigned char b[256];
    size_t n = be_square(b);
    struct wkb_info wi;
    assert_int_equal(wkb_inspect(b, n, &wi, NULL), ERR_OK);
    assert_int_equal(wi.type, WKB_MULTIPOLYGON);
    assert_int_equal(wi.points, 5);
    assert_int_equal(wi.parts, 1);
    int calls = 0;
    assert_int_equal(wkb_walk(b, n, add_ten, &calls, NULL), ERR_OK);
    assert_int_equal(calls, 1);
    /* First x is now 10 in big-endian. */
    double x;
    uint64_t u = 0;
    for (int k = 0; k < 8; k++)
        u = u << 8 | b[22 + k];
    memcpy(&x, &u, 8);
    assert_true(x == 10.0);
}

static void test_malformed(void **state)
{
    (void)state;
    struct err e = {0};
    unsigned char bad_order[] = {7, 1, 0, 0, 0};
    assert_int_equal(wkb_inspect(bad_order, sizeof bad_order, NULL, &e), ERR_INPUT);
    err_clear(&e);
    unsigned char z_point[] = {1, 0xE9, 0x03, 0, 0}; /* type 1001 = Point Z */
    assert_int_equal(wkb_inspect(z_point, sizeof z_point, NULL, &e), ERR_INPUT);
    err_clear(&e);
    /* A LineString claiming 2^31 points in 9 bytes. */
    unsigned char huge[] = {1, 2, 0, 0, 0, 0, 0, 0, 0x80};
    assert_int_not_equal(wkb_inspect(huge, sizeof huge, NULL, &e), ERR_OK);
    err_clear(&e);
    assert_int_equal(wkb_inspect(NULL, 0, NULL, &e), ERR_INPUT);
    /* A MultiPolygon that holds a point: mixed members refused. */
    unsigned char mixed[5 + 4 + 21] = {1, 6, 0, 0, 0, 1, 0, 0, 0};
    wkb_point_write(1, 2, mixed + 9);
    err_clear(&e);
    assert_int_equal(wkb_inspect(mixed, sizeof mixed, NULL, &e), ERR_INPUT);
}

static void test_nesting_limit(void **state)
{
    (void)state;
    /* Collections nested WKB_MAX_DEPTH + 2 deep around one point. */
    int depth = WKB_MAX_DEPTH + 2;
    size_t n = (size_t)depth * 9 + WKB_POINT_LEN;
    unsigned char *b = calloc(n, 1);
    for (int i = 0; i < depth; i++) {
        unsigned char *p = b + 9 * i;
        p[0] = 1;
        p[1] = 7;
        p[5] = 1;
    }
    wkb_point_write(0, 0, b + 9 * depth);
    struct err e = {0};
    assert_int_equal(wkb_inspect(b, n, NULL, &e), ERR_LIMIT);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_point_roundtrip),         cmocka_unit_test(test_linestring_writer),
        cmocka_unit_test(test_big_endian_multipolygon), cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_nesting_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
