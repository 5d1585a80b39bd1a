/* SPDX-License-Identifier: MIT */
/* test_resfields.c - tests resfields.c: target groups (strict and read
 * from prose), language tags, barrier-free words and resfields_apply on
 * JSON bodies (normalising, refusing with the member named). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "resfields.h"
#include <string.h>

static void test_targets(void **state)
{
    (void)state;
    char out[RESFIELDS_LIST_BYTES];
    struct err e = {0};
    assert_int_equal(resfields_targets("高齢者・子育て家庭", out, sizeof out, &e), ERR_OK);
    assert_string_equal(out, "elderly;families");
    /* Built-in keys in table order, new keys after, no repeats. */
    assert_int_equal(resfields_targets("repair_fans;誰でも;everyone", out, sizeof out, &e), ERR_OK);
    assert_string_equal(out, "everyone;repair_fans");
    assert_int_equal(resfields_targets("謎の人々", out, sizeof out, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "謎の人々"));
    assert_string_equal(resfields_target_key("障害のある人"), "disability");
    assert_null(resfields_target_key("Not A Key"));
    resfields_targets_infer("おおむね65歳以上の方とその家族", out, sizeof out);
    assert_string_equal(out, "elderly;caregivers");
    resfields_targets_infer("ここには何もない", out, sizeof out);
    assert_string_equal(out, "");
    assert_true(resfields_list_has("elderly;families", "families"));
    assert_false(resfields_list_has("elderly;families", "family"));
    assert_false(resfields_list_has(NULL, "elderly"));
}

static void test_languages(void **state)
{
    (void)state;
    char out[RESFIELDS_LIST_BYTES];
    struct err e = {0};
    assert_int_equal(resfields_languages("JA, en;zh_hant_tw pt-br 日本語", out, sizeof out, &e),
                     ERR_OK);
    assert_string_equal(out, "ja;en;zh-Hant-TW;pt-BR");
    assert_int_equal(resfields_languages("es-419", out, sizeof out, &e), ERR_OK);
    assert_string_equal(out, "es-419");
    const char *bad[] = {"english", "e", "ja-JP-Latn", "ja-12", "j1", "ja--JP"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct err be = {0};
        assert_int_equal(resfields_languages(bad[i], out, sizeof out, &be), ERR_INPUT);
    }
    assert_string_equal(resfields_barrier_free("はい"), "yes");
    assert_string_equal(resfields_barrier_free("NO"), "no");
    assert_string_equal(resfields_barrier_free("不明"), "unknown");
    assert_null(resfields_barrier_free("maybe"));
}

/* Applies body text to a new record; returns the code, *rec the record. */
static int apply(const char *text, int create, json_t **rec, struct err *e)
{
    json_t *body = json_loads(text, 0, NULL);
    assert_non_null(body);
    *rec = json_object();
    int rc = resfields_apply(*rec, body, create, e);
    json_decref(body);
    return rc;
}

static void test_apply(void **state)
{
    (void)state;
    json_t *r;
    struct err e = {0};
    assert_int_equal(apply("{\"name\":\"サロン\",\"kind\":\"サロン\",\"fields\":[\"高齢\"],"
                           "\"target\":[\"elderly\",\"caregivers\"],\"barrier_free\":\"あり\","
                           "\"notes\":\"二行\\nめ\",\"lon\":136.9,\"lat\":34.9}",
                           1, &r, &e),
                     ERR_OK);
    assert_string_equal(json_string_value(json_object_get(r, "kind")), "salon");
    assert_string_equal(json_string_value(json_object_get(r, "fields")), "elderly");
    assert_string_equal(json_string_value(json_object_get(r, "target")), "elderly;caregivers");
    assert_string_equal(json_string_value(json_object_get(r, "barrier_free")), "yes");
    assert_true(json_is_null(json_object_get(r, "url"))); /* create: absent members null */
    json_decref(r);
    /* A change names only what it changes; null clears; fields null is unspecified. */
    assert_int_equal(apply("{\"cost\":null,\"fields\":null}", 0, &r, &e), ERR_OK);
    assert_int_equal(json_object_size(r), 2);
    assert_string_equal(json_string_value(json_object_get(r, "fields")), "unspecified");
    json_decref(r);
    static const struct {
        const char *body, *word;
    } bad[] = {
        {"{\"kind\":\"hub\",\"lon\":136,\"lat\":34}", "name is required"},
        {"{\"name\":\"a\",\"kind\":\"hub\",\"lon\":136,\"lat\":99}", "lat 99"},
        {"{\"name\":\"a\\u0007\"}", "control characters"},
        {"{\"name\":\"a\\nb\"}", "control characters"},
        {"{\"url\":\"javascript:alert(1)\"}", "url must be"},
        {"{\"contact\":\"03-1234-5678 (代表)\"}", "contact must be"},
        {"{\"languages\":[1]}", "list of strings"},
        {"{\"target\":[\"a;b\"]}", "single term"},
        {"{\"name\":null}", "name cannot be null"},
        {"{\"id\":\"x\"}", "unknown member 'id'"},
        {"{\"hub_type\":\"big\"}", "hub_type must be"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct err be = {0};
        int create = strstr(bad[i].body, "\"lon\"") != NULL;
        assert_int_equal(apply(bad[i].body, create, &r, &be), ERR_INPUT);
        if (strstr(be.msg, bad[i].word) == NULL)
            fail_msg("'%s': '%s' lacks '%s'", bad[i].body, be.msg, bad[i].word);
        json_decref(r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_targets),
        cmocka_unit_test(test_languages),
        cmocka_unit_test(test_apply),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
