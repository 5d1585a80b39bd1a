/* SPDX-License-Identifier: MIT */
/* test_num.c - tests num.c: the one strict number parser (decimal only,
 * whole text, finite, in range, one sentence naming the field). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "num.h"

#include <float.h>
#include <limits.h>
#include <string.h>

static void test_double_accepts_decimals(void **state)
{
    (void)state;
    const char *ok[] = {"0", "-1", "+2.5", "135.5", ".5", "5.", "1e3", "-1.5E-2", "34.0000001"};
    const double want[] = {0, -1, 2.5, 135.5, 0.5, 5, 1000, -0.015, 34.0000001};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        double v = -99;
        struct err e = {0};
        assert_int_equal(num_double(ok[i], 0, "lon", -DBL_MAX, DBL_MAX, &v, &e), ERR_OK);
        assert_true(v == want[i]);
    }
}

static void test_double_refuses_hex_inf_nan_and_junk(void **state)
{
    (void)state;
    const char *bad[] = {"0x88", "0x1p8", "0X10",  "inf",   "-infinity", "nan", "NAN", "",  " 1",
                         "1 ",   "1,5",   "1e999", "12abc", "--1",       "e5",  "1e",  "١٢"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double v = 7;
        struct err e = {0};
        assert_int_equal(num_double(bad[i], 0, "lon", -DBL_MAX, DBL_MAX, &v, &e), ERR_INPUT);
        assert_true(v == 7);
        assert_non_null(strstr(e.msg, "lon '"));
        assert_non_null(strstr(e.msg, "is not a number"));
    }
    struct err e = {0};
    double v = 7;
    assert_int_equal(num_double(NULL, 0, "lat", 0, 1, &v, &e), ERR_INPUT);
    assert_true(v == 7);
}

static void test_double_blanks_range_and_length(void **state)
{
    (void)state;
    double v = 0;
    struct err e = {0};
    assert_int_equal(num_double(" \t 35.25  ", NUM_BLANKS, "lat", -90, 90, &v, &e), ERR_OK);
    assert_true(v == 35.25);
    assert_int_equal(num_double("   ", NUM_BLANKS, "lat", -90, 90, &v, &e), ERR_INPUT);
    err_clear(&e);
    assert_int_equal(num_double(" 0x88", NUM_BLANKS, "lat", -90, 90, &v, &e), ERR_INPUT);
    err_clear(&e);
    assert_int_equal(num_double("90.5", 0, "lat", -90, 90, &v, &e), ERR_INPUT);
    assert_string_equal(e.msg, "lat must be between -90 and 90");
    err_clear(&e);
    char longtext[NUM_TEXT_MAX + 8];
    memset(longtext, '1', sizeof longtext - 1);
    longtext[sizeof longtext - 1] = '\0';
    assert_int_equal(num_double(longtext, 0, "n", -DBL_MAX, DBL_MAX, &v, &e), ERR_INPUT);
    assert_true(strlen(e.msg) < 80);
    assert_int_equal(num_double(NULL, 0, "n", 0, 1, &v, NULL), ERR_INPUT);
}

static void test_double_span_reads_only_its_bytes(void **state)
{
    (void)state;
    const char *t = "135.5,34.25,0x88";
    double v = 0;
    assert_int_equal(num_double_span(t, 5, 0, "bbox", -180, 180, &v, NULL), ERR_OK);
    assert_true(v == 135.5);
    assert_int_equal(num_double_span(t + 6, 5, 0, "bbox", -180, 180, &v, NULL), ERR_OK);
    assert_true(v == 34.25);
    assert_int_equal(num_double_span(t + 12, 4, 0, "bbox", -180, 180, &v, NULL), ERR_INPUT);
    /* A NUL inside the span is not part of a number. */
    assert_int_equal(num_double_span("1\0002", 3, 0, "n", 0, 100, &v, NULL), ERR_INPUT);
}

static void test_long(void **state)
{
    (void)state;
    long v = 0;
    struct err e = {0};
    assert_int_equal(num_long("42", 0, "limit", 1, 100, &v, &e), ERR_OK);
    assert_int_equal(v, 42);
    assert_int_equal(num_long("-3", 0, "offset", -5, 5, &v, &e), ERR_OK);
    assert_int_equal(v, -3);
    assert_int_equal(num_long(" 4326 ", NUM_BLANKS, "--crs", 1, INT_MAX, &v, &e), ERR_OK);
    assert_int_equal(v, 4326);
    const char *bad[] = {"0x10", "1.5", "1e3", "", " 7", "101", "0", "99999999999999999999",
                         "12a",  "inf"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        v = 9;
        err_clear(&e);
        assert_int_equal(num_long(bad[i], 0, "limit", 1, 100, &v, &e), ERR_INPUT);
        assert_int_equal(v, 9);
        assert_string_equal(e.msg, "limit must be a whole number between 1 and 100");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_double_accepts_decimals),
        cmocka_unit_test(test_double_refuses_hex_inf_nan_and_junk),
        cmocka_unit_test(test_double_blanks_range_and_length),
        cmocka_unit_test(test_double_span_reads_only_its_bytes),
        cmocka_unit_test(test_long),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
