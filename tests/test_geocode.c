/* SPDX-License-Identifier: MIT */
/* test_geocode.c - the address matcher (src/geocode/geocode.c) against a
 * real SpatiaLite file holding a small hand-made reference written through
 * store_address.c: the finest level present, 丁目 written as a number, 町
 * left out, 字 before a 小字, prefecture and municipality present or
 * omitted, a town two municipalities share, a code-only municipality that
 * merges with its named twin, bad text, and an empty reference. */
#include "addrnorm.h"
#include "geocode.h"
#include "store_address.h"
#include "testutil.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* Rows: source, level, pref, muni, code, town, koaza, block, residence, lon, lat. */
static const struct store_address_row TEST_ROWS[] = {
    {"t", "town", "奈良県", "生駒市", "29209", "さつき台二丁目", "", NULL, "", "", 135.71, 34.67},
    {"t", "block", "奈良県", "生駒市", "29209", "さつき台二丁目", "", NULL, "6", "", 135.72, 34.68},
    {"t", "residence", "奈良県", "生駒市", "29209", "さつき台二丁目", "", NULL, "6", "1", 135.73,
     34.69},
    {"t", "town", "奈良県", "生駒市", "29209", "本町", "", NULL, "", "", 135.69, 34.69},
    {"t", "town", "山口県", "宇部市", "35202", "恩田町四丁目", "", NULL, "", "", 131.27, 33.94},
    {"t", "town", "山口県", "宇部市", "35202", "大字東須恵", "", NULL, "", "", 131.20, 33.98},
    {"t", "town", "山口県", "宇部市", "35202", "大字東須恵", "下岡の上", NULL, "", "", 131.21,
     33.99},
    {"t", "town", "山口県", "宇部市", "35202", "本町", "", NULL, "", "", 131.25, 33.95},
    /* the same town from a Geolonia file loaded by code only */
    {"g", "town", "奈良県", "", "29209", "西旭ヶ丘", "", NULL, "", "", 135.698, 34.687},
};

static struct store *test_geocode_store(const char *dir, int with_rows)
{
    struct err e = {0};
    char *path = tu_path(dir, "g.db");
    struct store *st = store_open(path, &e);
    free(path);
    assert_non_null(st);
    if (!with_rows)
        return st;
    assert_int_equal(store_begin(st, &e), ERR_OK);
    struct store_address_writer *w = store_address_writer_open(st, &e);
    assert_non_null(w);
    for (size_t i = 0; i < sizeof TEST_ROWS / sizeof TEST_ROWS[0]; i++) {
        struct store_address_row r = TEST_ROWS[i];
        char in[256], key[ADDRNORM_OUT_MAX];
        snprintf(in, sizeof in, "%s%s", r.town, r.koaza);
        assert_int_equal(addrnorm_normalise(in, strlen(in), key, sizeof key, &e), ERR_OK);
        r.town_key = key;
        assert_int_equal(store_address_insert(w, &r, &e), ERR_OK);
    }
    store_address_writer_close(w);
    assert_int_equal(store_commit(st, &e), ERR_OK);
    return st;
}

/* Geocodes q and checks its level and, when want_matched, the match. */
static void test_geocode_expect(struct geocoder *g, const char *q, int level,
                                const char *want_matched)
{
    struct geocode_result r;
    struct err e = {0};
    assert_int_equal(geocode_find(g, q, strlen(q), &r, &e), ERR_OK);
    if (r.level != level || (want_matched && strcmp(r.matched, want_matched) != 0))
        print_message("%s -> level %d '%s', expected %d '%s'\n", q, r.level, r.matched, level,
                      want_matched ? want_matched : "");
    assert_int_equal(r.level, level);
    if (want_matched)
        assert_string_equal(r.matched, want_matched);
    if (level == GEOCODE_NONE)
        assert_true(isnan(r.lon) && isnan(r.lat));
}

static void test_geocode_levels(void **state)
{
    (void)state;
    char *dir = tu_tmpdir();
    struct store *st = test_geocode_store(dir, 1);
    struct err e = {0};
    struct geocoder *g = geocode_open(st, &e);
    assert_non_null(g);
    /* finest level present */
    test_geocode_expect(g, "奈良県生駒市さつき台二丁目6番1号", GEOCODE_RESIDENCE,
                        "奈良県生駒市さつき台2丁目6-1");
    test_geocode_expect(g, "生駒市さつき台2-6-1 ハイツ101", GEOCODE_RESIDENCE, NULL);
    test_geocode_expect(g, "生駒市さつき台2-6-9", GEOCODE_BLOCK, "奈良県生駒市さつき台2丁目6");
    test_geocode_expect(g, "生駒市さつき台2-7", GEOCODE_TOWN, "奈良県生駒市さつき台2丁目");
    /* 町 left out before 丁目 */
    test_geocode_expect(g, "宇部市恩田四丁目", GEOCODE_TOWN, "山口県宇部市恩田町4丁目");
    /* 大字 and 字 present or not, 小字 found */
    test_geocode_expect(g, "宇部市大字東須恵字下岡の上100", GEOCODE_TOWN,
                        "山口県宇部市東須恵下岡ノ上");
    test_geocode_expect(g, "宇部市東須恵999", GEOCODE_TOWN, "山口県宇部市東須恵");
    /* a town two municipalities share: only with the municipality named */
    test_geocode_expect(g, "本町1-2", GEOCODE_NONE, NULL);
    test_geocode_expect(g, "山口県宇部市本町1-2", GEOCODE_TOWN, "山口県宇部市本町");
    /* the code-only Geolonia town merged into 生駒市 */
    test_geocode_expect(g, "生駒市西旭が丘1-54", GEOCODE_TOWN, "奈良県生駒市西旭ケ丘");
    /* the municipality alone, and nothing */
    test_geocode_expect(g, "山口県宇部市", GEOCODE_MUNICIPALITY, "山口県宇部市");
    test_geocode_expect(g, "東京都千代田区永田町1-7-1", GEOCODE_NONE, NULL);
    test_geocode_expect(g, "", GEOCODE_NONE, NULL);
    /* bad text is an error naming no address */
    struct geocode_result r;
    err_clear(&e);
    assert_int_equal(geocode_find(g, "\xff\xfe", 2, &r, &e), ERR_INPUT);
    assert_null(strstr(e.msg, "\xff"));
    geocode_close(g);
    store_close(st);
    free(dir);
}

static void test_geocode_empty(void **state)
{
    (void)state;
    char *dir = tu_tmpdir();
    struct store *st = test_geocode_store(dir, 0);
    struct err e = {0};
    assert_null(geocode_open(st, &e));
    assert_int_equal(e.code, ERR_NOTFOUND);
    assert_non_null(strstr(e.msg, "import addresses"));
    store_close(st);
    free(dir);
}

static void test_geocode_json(void **state)
{
    (void)state;
    struct geocode_result r = {GEOCODE_BLOCK, 135.1234567, 34.7654321, 60, "x"};
    json_t *o = geocode_result_json("q", &r);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "level")), "block");
    assert_true(fabs(json_real_value(json_object_get(o, "lon")) - 135.123457) < 1e-9);
    json_decref(o);
    r.level = GEOCODE_NONE;
    o = geocode_result_json("q", &r);
    assert_true(json_is_null(json_object_get(o, "lon")) &&
                json_is_null(json_object_get(o, "level")));
    json_decref(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_geocode_levels),
        cmocka_unit_test(test_geocode_empty),
        cmocka_unit_test(test_geocode_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
