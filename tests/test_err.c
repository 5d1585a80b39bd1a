/* SPDX-License-Identifier: MIT */
/* test_err.c - tests err.c: first error wins, prefixing, code mappings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "err.h"
#include <string.h>

static void test_first_error_wins(void **state)
{
    (void)state;
    struct err e = {0};
    assert_int_equal(err_set(&e, ERR_INPUT, "first %d", 1), ERR_INPUT);
    assert_int_equal(err_set(&e, ERR_IO, "second"), ERR_IO);
    assert_int_equal(e.code, ERR_INPUT);
    assert_string_equal(e.msg, "first 1");
    err_clear(&e);
    assert_int_equal(e.code, ERR_OK);
    assert_string_equal(e.msg, "");
    assert_int_equal(err_set(NULL, ERR_IO, "ignored"), ERR_IO);
}

static void test_prefix_and_truncation(void **state)
{
    (void)state;
    struct err e = {0};
    err_prefix(&e, "nothing: ");
    assert_string_equal(e.msg, "");
    err_set(&e, ERR_INPUT, "bad value");
    err_prefix(&e, "%s line %d: ", "a.csv", 7);
    assert_string_equal(e.msg, "a.csv line 7: bad value");
    char big[2 * ERR_MSG_MAX];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    err_prefix(&e, "%s", big);
    assert_int_equal(strlen(e.msg), ERR_MSG_MAX - 1);
}

static void test_status_mapping(void **state)
{
    (void)state;
    assert_int_equal(err_exit_status(ERR_OK), 0);
    assert_int_equal(err_exit_status(ERR_INPUT), 2);
    assert_int_equal(err_exit_status(ERR_NOTFOUND), 3);
    assert_int_equal(err_http_status(ERR_INPUT), 400);
    assert_int_equal(err_http_status(ERR_NOTFOUND), 404);
    assert_int_equal(err_http_status(ERR_LIMIT), 413);
    assert_int_equal(err_http_status(ERR_FORBIDDEN), 403);
    assert_int_equal(err_http_status(ERR_IO), 500);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_error_wins),
        cmocka_unit_test(test_prefix_and_truncation),
        cmocka_unit_test(test_status_mapping),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
