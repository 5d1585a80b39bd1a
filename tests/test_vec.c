/* SPDX-License-Identifier: MIT */
/* test_vec.c - tests vec.c: growth keeps what was there, capacity only
 * rises, and sizes past the limit or overflowing fail with the array
 * unchanged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "err.h"
#include "vec.h"

#include <stdlib.h>

static void test_growth(void **state)
{
    (void)state;
    int *a = NULL;
    size_t cap = 0;
    for (size_t i = 0; i < 10000; i++) {
        assert_int_equal(vec_reserve((void **)&a, &cap, i + 1, sizeof *a), ERR_OK);
        assert_true(cap >= i + 1);
        a[i] = (int)i;
    }
    for (size_t i = 0; i < 10000; i++)
        assert_int_equal(a[i], (int)i);
    size_t before = cap;
    assert_int_equal(vec_reserve((void **)&a, &cap, 5, sizeof *a), ERR_OK);
    assert_int_equal(cap, before);
    free(a);
}

static void test_limits(void **state)
{
    (void)state;
    char *a = NULL;
    size_t cap = 0;
    assert_int_equal(vec_reserve((void **)&a, &cap, 8, 1), ERR_OK);
    char *kept = a;
    size_t kcap = cap;
    /* need * size wraps around SIZE_MAX. */
    assert_int_equal(vec_reserve((void **)&a, &cap, SIZE_MAX / 2 + 2, 4), ERR_NOMEM);
    /* Past the explicit limit. */
    assert_int_equal(vec_reserve((void **)&a, &cap, VEC_MAX_BYTES / 8 + 1, 8), ERR_NOMEM);
    assert_ptr_equal(a, kept);
    assert_int_equal(cap, kcap);
    free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_growth),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
