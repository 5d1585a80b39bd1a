/* SPDX-License-Identifier: MIT */
/* test_utf8.c - tests utf8.c: the strict validator against the classes of
 * malformed input (overlongs, surrogates, beyond U+10FFFF, stray and
 * truncated sequences), cutting and sanitising, encoding names, and the
 * strict decoder on CP932 and EUC-JP text made by iconv itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "utf8.h"

#include <string.h>

#define V(lit) utf8_valid(lit, sizeof lit - 1)

static void test_valid(void **state)
{
    (void)state;
    assert_true(V(""));
    assert_true(V("plain ascii"));
    assert_true(V("\xC2\x80"));         /* U+0080 */
    assert_true(V("\xDF\xBF"));         /* U+07FF */
    assert_true(V("\xE0\xA0\x80"));     /* U+0800 */
    assert_true(V("\xED\x9F\xBF"));     /* U+D7FF, last before the surrogates */
    assert_true(V("\xEE\x80\x80"));     /* U+E000, first after them */
    assert_true(V("\xEF\xBF\xBF"));     /* U+FFFF */
    assert_true(V("\xF0\x90\x80\x80")); /* U+10000 */
    assert_true(V("\xF4\x8F\xBF\xBF")); /* U+10FFFF */
    assert_true(V("高齢独居;認知症"));  /* need tags */
    assert_true(V("\xEF\xBB\xBF"
                  "id"));                  /* a BOM is a character */
    assert_true(utf8_valid_str("ｱｲｳ①㈱")); /* half-width kana, NEC specials */
    assert_false(utf8_valid_str(NULL));
}

static void test_overlong(void **state)
{
    (void)state;
    assert_false(V("\xC0\x80")); /* NUL in two bytes */
    assert_false(V("\xC1\xBF"));
    assert_false(V("\xC0\xAF")); /* '/' */
    assert_false(V("\xE0\x80\x80"));
    assert_false(V("\xE0\x9F\xBF")); /* U+07FF in three bytes */
    assert_false(V("\xF0\x80\x80\x80"));
    assert_false(V("\xF0\x8F\xBF\xBF")); /* U+FFFF in four bytes */
}

static void test_surrogates(void **state)
{
    (void)state;
    assert_false(V("\xED\xA0\x80")); /* U+D800 */
    assert_false(V("\xED\xAD\xBF"));
    assert_false(V("\xED\xB0\x80"));             /* U+DC00 */
    assert_false(V("\xED\xBF\xBF"));             /* U+DFFF */
    assert_false(V("\xED\xA0\xBD\xED\xB2\xA9")); /* CESU-8 pair */
}

static void test_beyond_max(void **state)
{
    (void)state;
    assert_false(V("\xF4\x90\x80\x80")); /* U+110000 */
    assert_false(V("\xF5\x80\x80\x80"));
    assert_false(V("\xF7\xBF\xBF\xBF"));
    assert_false(V("\xF8\x88\x80\x80\x80")); /* five bytes */
    assert_false(V("\xFC\x84\x80\x80\x80\x80"));
    assert_false(V("\xFE"));
    assert_false(V("\xFF"));
}

static void test_stray_and_truncated(void **state)
{
    (void)state;
    assert_false(V("\x80"));
    assert_false(V("a\xBFz"));
    assert_false(V("\xC2"));
    assert_false(V("\xE3\x81"));     /* あ cut */
    assert_false(V("\xF0\x9F\x98")); /* emoji cut */
    assert_false(V("\xE3\x41\x82")); /* ASCII inside a sequence */
    assert_false(V("\xC2\xC2\x80"));
    assert_int_equal(utf8_seq("\xE3\x81", 2), UTF8_SEQ_TRUNCATED);
    assert_int_equal(utf8_seq("\xE3\x41", 2), UTF8_SEQ_INVALID);
    assert_int_equal(utf8_seq("\xE3\x81\x82", 3), 3);
    assert_int_equal(utf8_seq("", 0), UTF8_SEQ_TRUNCATED);
    /* The first bad offset. */
    assert_int_equal(utf8_check("ab\xE3\x81\x82\xFF", 6), 5);
    assert_int_equal(utf8_check("ab\xE3\x81", 4), 2);
    /* CP932 text as bytes is not UTF-8: 表示 and 高齢独居. */
    assert_false(V("\x95\x5C\x8E\xA6"));
    assert_false(V("\x8D\x82\x97\xEE\x93\xC6\x8B\x8F"));
}

static void test_text_ok_cut_sanitize(void **state)
{
    (void)state;
    assert_true(utf8_text_ok("駅前 1-2"));
    assert_false(utf8_text_ok("a\tb"));
    assert_false(utf8_text_ok("a\x1b[31m"));
    assert_false(utf8_text_ok("a\x7f"));
    assert_false(utf8_text_ok("\xED\xA0\x80"));
    const char *s = "あいう"; /* 9 bytes */
    assert_int_equal(utf8_cut(s, 9, 9), 9);
    assert_int_equal(utf8_cut(s, 9, 8), 6);
    assert_int_equal(utf8_cut(s, 9, 4), 3);
    assert_int_equal(utf8_cut(s, 9, 2), 0);
    char buf[] = "ok\x1b\xE3\x81\xC0\x80\xE3\x81\x82";
    utf8_sanitize(buf, 0);
    assert_string_equal(buf, "ok?????あ");
    char log[] = "a\xE3\x81\x82z";
    utf8_sanitize(log, 1);
    assert_string_equal(log, "a???z");
}

static void test_encoding_names(void **state)
{
    (void)state;
    char n[UTF8_ENCODING_MAX + 1];
    struct err e = {0};
    assert_int_equal(utf8_encoding_name("Shift_JIS", n, sizeof n, &e), ERR_OK);
    assert_string_equal(n, "CP932");
    assert_int_equal(utf8_encoding_name("sjis", n, sizeof n, &e), ERR_OK);
    assert_string_equal(n, "CP932");
    assert_int_equal(utf8_encoding_name("windows-31j", n, sizeof n, &e), ERR_OK);
    assert_string_equal(n, "CP932");
    assert_int_equal(utf8_encoding_name("utf8", n, sizeof n, &e), ERR_OK);
    assert_string_equal(n, "UTF-8");
    assert_int_equal(utf8_encoding_name("euc-jp", n, sizeof n, &e), ERR_OK);
    assert_string_equal(n, "EUC-JP");
    assert_int_equal(utf8_encoding_name("no-such-encoding", n, sizeof n, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "not an encoding"));
    err_clear(&e);
    assert_int_equal(utf8_encoding_name("CP932//IGNORE", n, sizeof n, &e), ERR_INPUT);
    err_clear(&e);
    assert_int_equal(utf8_encoding_name("", n, sizeof n, &e), ERR_INPUT);
}

static void test_decode(void **state)
{
    (void)state;
    struct err e = {0};
    struct utf8_decoder *d = utf8_decoder_open("Shift_JIS", &e);
    assert_non_null(d);
    assert_string_equal(utf8_decoder_encoding(d), "CP932");
    char out[64];
    size_t len, bad;
    /* 表示 has 0x5C as a trail byte; ① and ㈱ are NEC extensions. */
    const char sj[] = "\x95\x5C\x8E\xA6,\x87\x40\x87\x8A,\xB1";
    assert_int_equal(utf8_decode(d, sj, sizeof sj - 1, out, sizeof out, &len, &bad), ERR_OK);
    assert_string_equal(out, "表示,①㈱,ｱ");
    assert_int_equal(len, strlen("表示,①㈱,ｱ"));
    /* A lead byte cut by the end, and an unassigned code. */
    assert_int_equal(utf8_decode(d, "ab\x95", 3, out, sizeof out, &len, &bad), ERR_INPUT);
    assert_int_equal(bad, 2);
    assert_int_equal(utf8_decode(d, "abc\x85\x40", 5, out, sizeof out, &len, &bad), ERR_INPUT);
    assert_int_equal(bad, 3);
    /* Too small an output buffer. */
    assert_int_equal(utf8_decode(d, sj, sizeof sj - 1, out, 4, &len, &bad), ERR_LIMIT);
    utf8_decoder_close(d);

    d = utf8_decoder_open("EUC-JP", &e);
    assert_non_null(d);
    assert_int_equal(utf8_decode(d, "\xA4\xA2\xB9\xE2", 4, out, sizeof out, &len, &bad), ERR_OK);
    assert_string_equal(out, "あ高");
    utf8_decoder_close(d);

    /* UTF-8 in, strictly checked. */
    d = utf8_decoder_open("UTF-8", &e);
    assert_non_null(d);
    assert_int_equal(utf8_decode(d, "あ", 3, out, sizeof out, &len, &bad), ERR_OK);
    assert_int_equal(utf8_decode(d, "a\xED\xA0\x80", 4, out, sizeof out, &len, &bad), ERR_INPUT);
    assert_int_equal(bad, 1);
    utf8_decoder_close(d);
    assert_null(utf8_decoder_open("KLINGON", &e));
    assert_int_equal(e.code, ERR_INPUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_overlong),
        cmocka_unit_test(test_surrogates),
        cmocka_unit_test(test_beyond_max),
        cmocka_unit_test(test_stray_and_truncated),
        cmocka_unit_test(test_text_ok_cut_sanitize),
        cmocka_unit_test(test_encoding_names),
        cmocka_unit_test(test_decode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
