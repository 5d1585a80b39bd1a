/* SPDX-License-Identifier: MIT */
/* test_hugemem.c - tests hugemem.c: arrays small and large are zeroed and
 * writable throughout, large ones start on a 2 MiB boundary, sealed ones
 * fault on a write (in a child process) and still read, and sizes of 0 or
 * past VEC_MAX_BYTES are refused. Whether the kernel actually gave huge
 * pages is its choice (transparent_hugepage "never" is allowed) and is not
 * asserted; the benchmark shows the effect. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hugemem.h"
#include "vec.h"

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void test_zeroed_and_writable(void **state)
{
    (void)state;
    const size_t sizes[] = {1, 4096, HUGEMEM_MIN_BYTES - 1, HUGEMEM_MIN_BYTES,
                            5 * HUGEMEM_MIN_BYTES + 3};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        size_t n = sizes[i];
        unsigned char *p = hugemem_alloc(n);
        assert_non_null(p);
        if (n >= HUGEMEM_MIN_BYTES)
            assert_int_equal((uintptr_t)p % HUGEMEM_MIN_BYTES, 0);
        for (size_t k = 0; k < n; k += 997)
            assert_int_equal(p[k], 0);
        assert_int_equal(p[n - 1], 0);
        memset(p, 0xa5, n);
        assert_int_equal(p[0], 0xa5);
        assert_int_equal(p[n - 1], 0xa5);
        hugemem_free(p, n);
    }
    hugemem_free(NULL, 123);
}

static void test_refused_sizes(void **state)
{
    (void)state;
    assert_null(hugemem_alloc(0));
    assert_null(hugemem_alloc(VEC_MAX_BYTES + 1));
    assert_null(hugemem_alloc(SIZE_MAX));
}

static void test_seal(void **state)
{
    (void)state;
    size_t n = 3 * HUGEMEM_MIN_BYTES + 5;
    unsigned char *p = hugemem_alloc(n);
    assert_non_null(p);
    p[n - 1] = 7;
    hugemem_seal(p, n);
    assert_int_equal(p[n - 1], 7);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* Under AddressSanitizer the fault is reported and the child exits
         * non-zero; otherwise SIGSEGV ends it. Reaching _exit(0) means the
         * write went through. */
        ((volatile unsigned char *)p)[HUGEMEM_MIN_BYTES + 1] = 1;
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_false(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    hugemem_free(p, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zeroed_and_writable),
        cmocka_unit_test(test_refused_sizes),
        cmocka_unit_test(test_seal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
