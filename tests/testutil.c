/* SPDX-License-Identifier: MIT */
/* testutil.c - helpers for the cmocka tests (see testutil.h). */
#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *tu_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

char *tu_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    char *tmpl = tu_path(base && *base ? base : "/tmp", "tsunagu-test-XXXXXX");
    assert_non_null(mkdtemp(tmpl));
    return tmpl;
}

char *tu_write(const char *dir, const char *name, const char *text)
{
    char *p = tu_path(dir, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
    return p;
}

char *tu_shared(const char *rel)
{
    const char *base = getenv("TSUNAGU_SHARED");
    if (base == NULL || *base == '\0')
        return NULL;
    char *p = tu_path(base, rel);
    struct stat st;
    if (stat(p, &st) != 0) {
        free(p);
        return NULL;
    }
    return p;
}

char *tu_require_shared(const char *rel)
{
    char *p = tu_shared(rel);
    if (p == NULL) {
        print_message("SKIP: ../shared/data/%s is absent; this test needs the real open data\n",
                      rel);
        skip();
    }
    return p;
}
