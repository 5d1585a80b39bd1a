/* SPDX-License-Identifier: MIT */
/* test_hash.c - tests hash.c: FNV-1a 64 against the published test
 * vectors, and chaining pieces gives the digest of the whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hash.h"

static void test_vectors(void **state)
{
    (void)state;
    /* From the FNV reference (isthe.com/chongo/tech/comp/fnv). */
    assert_true(hash_fnv(HASH_FNV_SEED, "", 0) == 0xcbf29ce484222325ULL);
    assert_true(hash_fnv_str(HASH_FNV_SEED, "a") == 0xaf63dc4c8601ec8cULL);
    assert_true(hash_fnv_str(HASH_FNV_SEED, "foobar") == 0x85944171f73967e8ULL);
}

static void test_chaining(void **state)
{
    (void)state;
    uint64_t h = hash_fnv_str(HASH_FNV_SEED, "foo");
    assert_true(hash_fnv_str(h, "bar") == hash_fnv_str(HASH_FNV_SEED, "foobar"));
    unsigned char bytes[] = {0, 255, 128, 1};
    assert_true(hash_fnv(hash_fnv(HASH_FNV_SEED, bytes, 2), bytes + 2, 2) ==
                hash_fnv(HASH_FNV_SEED, bytes, 4));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_chaining),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
