/* SPDX-License-Identifier: MIT */
/* test_vocab.c - tests vocab.c: kinds, fields, hub types, need tags. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "vocab.h"
#include <string.h>

static void test_kinds(void **state)
{
    (void)state;
    char k[VOCAB_KEY_MAX + 1];
    struct err e = {0};
    assert_int_equal(vocab_kind("サロン", k, sizeof k, &e), ERR_OK);
    assert_string_equal(k, "salon");
    assert_int_equal(vocab_kind("Consultation", k, sizeof k, &e), ERR_OK);
    assert_string_equal(k, "consultation");
    assert_int_equal(vocab_kind("子ども食堂", k, sizeof k, &e), ERR_OK);
    assert_string_equal(k, "cafeteria");
    /* Open vocabulary: a new key is accepted as is. */
    assert_int_equal(vocab_kind("repair_cafe", k, sizeof k, &e), ERR_OK);
    assert_string_equal(k, "repair_cafe");
    assert_false(vocab_kind_is_builtin("repair_cafe"));
    assert_int_equal(vocab_kind("Bad Kind!", k, sizeof k, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "Bad Kind!"));
    assert_string_equal(vocab_kind_from_name("生駒市地域包括支援センター"), "consultation");
    assert_string_equal(vocab_kind_from_name("あすかの保育園"), "welfare_facility");
}

static void test_fields(void **state)
{
    (void)state;
    int m = 0;
    char out[64];
    assert_int_equal(vocab_fields("elderly;children", &m, NULL), ERR_OK);
    assert_int_equal(m, VOCAB_ELDERLY | VOCAB_CHILDREN);
    vocab_fields_format(m, out, sizeof out);
    assert_string_equal(out, "elderly;children");
    assert_int_equal(vocab_fields("高齢・障害", &m, NULL), ERR_OK);
    assert_int_equal(m, VOCAB_ELDERLY | VOCAB_DISABILITY);
    assert_int_equal(vocab_fields("子ども・子育て、困窮", &m, NULL), ERR_OK);
    assert_int_equal(m, VOCAB_CHILDREN | VOCAB_HARDSHIP);
    assert_int_equal(vocab_fields("全て", &m, NULL), ERR_OK);
    vocab_fields_format(m, out, sizeof out);
    assert_string_equal(out, "all");
    vocab_fields_format(0, out, sizeof out);
    assert_string_equal(out, "unspecified");
    struct err e = {0};
    assert_int_equal(vocab_fields("elderly;pets", &m, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "pets"));
    assert_int_equal(vocab_fields_from_name("なかよし保育園"), VOCAB_CHILDREN);
    assert_int_equal(vocab_fields_from_name("特別養護老人ホーム"), VOCAB_ELDERLY);
    assert_int_equal(vocab_fields_from_name("コミュニティ"), 0);
}

static void test_hub_and_needs(void **state)
{
    (void)state;
    assert_string_equal(vocab_hub_type("統合型"), "integrated");
    assert_string_equal(vocab_hub_type("community"), "community");
    assert_null(vocab_hub_type("other"));
    char out[256];
    struct err e = {0};
    assert_int_equal(vocab_needs("8050;ひきこもり;8050", out, sizeof out, &e), ERR_OK);
    assert_string_equal(out, "8050;ひきこもり");
    assert_int_equal(vocab_needs("young_carer; 不登校", out, sizeof out, &e), ERR_OK);
    assert_string_equal(out, "ヤングケアラー;不登校");
    assert_int_equal(vocab_needs("秘密のタグ", out, sizeof out, &e), ERR_INPUT);
    /* The unknown tag is not echoed: need data stays out of messages. */
    assert_null(strstr(e.msg, "秘密のタグ"));
    assert_true(vocab_level_ok("daily_life_area"));
    assert_false(vocab_level_ok("Bad-Level"));
    assert_false(vocab_level_ok(""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_hub_and_needs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
