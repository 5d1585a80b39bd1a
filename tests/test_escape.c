/* SPDX-License-Identifier: MIT */
/* test_escape.c - tests escape.c: control characters shown as \xNN,
 * formulas defused with an apostrophe, text kept, bounded buffers cut at a
 * character boundary, CSV quoting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "escape.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_text(void **state)
{
    (void)state;
    char b[ESCAPE_TEXT_MAX];
    assert_string_equal(escape_text(b, sizeof b, "相談窓口 A-1"), "相談窓口 A-1");
    assert_string_equal(escape_text(b, sizeof b, NULL), "");
    assert_string_equal(escape_text(b, sizeof b, "=HYPERLINK(\"http://x\",\"y\")"),
                        "'=HYPERLINK(\"http://x\",\"y\")");
    assert_string_equal(escape_text(b, sizeof b, "+1"), "'+1");
    assert_string_equal(escape_text(b, sizeof b, "-2"), "'-2");
    assert_string_equal(escape_text(b, sizeof b, "@SUM(A1)"), "'@SUM(A1)");
    assert_string_equal(escape_text(b, sizeof b, "a=b"), "a=b");
    assert_string_equal(escape_text(b, sizeof b, "\x1b[31mred\x1b[0m"), "\\x1b[31mred\\x1b[0m");
    assert_string_equal(escape_text(b, sizeof b, "H1\nH2\r\t\x7f"), "H1\\x0aH2\\x0d\\x09\\x7f");
    /* C1 CSI (U+009B) as UTF-8. */
    assert_string_equal(escape_text(b, sizeof b,
                                    "x\xc2\x9b"
                                    "2J"),
                        "x\\xc2\\x9b2J");
    /* A formula behind a control character is still defused by the escape. */
    assert_string_equal(escape_text(b, sizeof b, "\t=1"), "\\x09=1");
}

static void test_text_bounded(void **state)
{
    (void)state;
    char b[8];
    assert_string_equal(escape_text(b, sizeof b, "abcdefghij"), "abcdefg");
    /* 相 is 3 bytes and only 2 are left: cut before it. */
    assert_string_equal(escape_text(b, sizeof b, "abcde相"), "abcde");
    assert_string_equal(escape_text(b, sizeof b, "abcd\x1b"), "abcd");
    assert_string_equal(escape_text(b, sizeof b, "abc\x1b"), "abc\\x1b");
    char one[1];
    assert_string_equal(escape_text(one, sizeof one, "=x"), "");
}

/* What writer(f, s) writes, as a string to free. */
static char *written(void (*writer)(FILE *, const char *), const char *s)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    assert_non_null(f);
    writer(f, s);
    fclose(f);
    return buf;
}

static void test_csv(void **state)
{
    (void)state;
    const char *in[] = {"plain",       "a,b",  "say \"hi\"", "=HYPERLINK(\"http://x\")",
                        "line\nbreak", " pad", NULL,         "\x1b[31m"};
    const char *want[] = {"plain",
                          "\"a,b\"",
                          "\"say \"\"hi\"\"\"",
                          "\"'=HYPERLINK(\"\"http://x\"\")\"",
                          "line\\x0abreak",
                          "\" pad\"",
                          "",
                          "\\x1b[31m"};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        char *got = written(escape_csv, in[i]);
        assert_string_equal(got, want[i]);
        free(got);
    }
}

static void test_html(void **state)
{
    (void)state;
    const char *in[] = {"生駒市", "<script>alert('x')</script>", "a & \"b\"", NULL, "\x1b[0m"};
    const char *want[] = {"生駒市", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;",
                          "a &amp; &quot;b&quot;", "", "\\x1b[0m"};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        char *got = written(escape_html, in[i]);
        assert_string_equal(got, want[i]);
        free(got);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_text_bounded),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_html),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
