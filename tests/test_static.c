/* SPDX-License-Identifier: MIT */
/* test_static.c - tests static.c's pure parts: which file names may be
 * looked up (traversal, encodings left over, hidden files, length), the
 * content-type table, If-None-Match matching and where the web root is
 * found. Serving over HTTP (symlinks, 304, sizes) is tested end to end by
 * cli_static.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "static.h"
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

static void test_names(void **state)
{
    static const char *const good[] = {"index.html", "app.js",     "maplibre-gl-worker.mjs",
                                       "a/b.css",    "x_y-z.json", "v1.2.3.js"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_true(static_name_ok(good[i]));
    static const char *const bad[] = {"",          ".",          "..",          "../x.js",
                                      "a/../b.js", "a/./b.js",   "/etc/passwd", "a//b.js",
                                      "a/",        ".gitignore", "a/.env",      "%2e%2e",
                                      "a%2fb.js",  "a\\b.js",    "a b.js",      "caf\xc3\xa9.js",
                                      "a?b.js",    "a#b",        "a:b.js",      "~root"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (static_name_ok(bad[i]))
            fail_msg("name '%s' was accepted", bad[i]);
    }
    char name[STATIC_NAME_MAX + 2];
    memset(name, 'a', sizeof name);
    name[STATIC_NAME_MAX] = '\0';
    assert_true(static_name_ok(name)); /* exactly the limit */
    name[STATIC_NAME_MAX] = 'a';
    name[STATIC_NAME_MAX + 1] = '\0';
    assert_false(static_name_ok(name)); /* one byte over */
}

static void test_types(void **state)
{
    assert_string_equal(static_content_type("index.html"), "text/html; charset=utf-8");
    assert_string_equal(static_content_type("app.js"), "text/javascript; charset=utf-8");
    assert_string_equal(static_content_type("maplibre-gl.mjs"), "text/javascript; charset=utf-8");
    assert_string_equal(static_content_type("style.css"), "text/css; charset=utf-8");
    assert_string_equal(static_content_type("style.json"), "application/json");
    assert_string_equal(static_content_type("maplibre-gl.mjs.map"), "application/json");
    assert_string_equal(static_content_type("0-255.pbf"), "application/x-protobuf");
    assert_null(static_content_type("README"));
    assert_null(static_content_type("a.exe"));
    assert_null(static_content_type("a.JS")); /* exact extensions only */
    assert_null(static_content_type("dir.js/file"));
}

static void test_etags(void **state)
{
    const char *tag = "\"0123456789abcdef-10\"";
    assert_true(static_etag_match(tag, tag));
    assert_true(static_etag_match("W/\"0123456789abcdef-10\"", tag));
    assert_true(static_etag_match("\"x\", \"0123456789abcdef-10\" ", tag));
    assert_true(static_etag_match("*", tag));
    assert_false(static_etag_match(NULL, tag));
    assert_false(static_etag_match("", tag));
    assert_false(static_etag_match("\"0123456789abcdef-1\"", tag));
    assert_false(static_etag_match("0123456789abcdef-10", tag)); /* unquoted */
    assert_false(static_etag_match(",,, ,", tag));
}

static void test_root(void **state)
{
    char buf[1100];
    struct err e = {0};
    char *dir = tu_tmpdir();
    setenv("TSUNAGU_WEB", dir, 1);
    assert_int_equal(static_root(buf, sizeof buf, &e), ERR_NOTFOUND); /* no index.html */
    assert_non_null(strstr(e.msg, "TSUNAGU_WEB"));
    free(tu_write(dir, "index.html", "<!doctype html>"));
    err_clear(&e);
    assert_int_equal(static_root(buf, sizeof buf, &e), ERR_OK);
    assert_string_equal(buf, dir);
    unsetenv("TSUNAGU_WEB");
    err_clear(&e);
    /* Without the variable: ./web or the source tree's web/, which holds
     * the page. */
    assert_int_equal(static_root(buf, sizeof buf, &e), ERR_OK);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_types),
        cmocka_unit_test(test_etags),
        cmocka_unit_test(test_root),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
