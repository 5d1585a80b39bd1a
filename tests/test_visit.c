/* SPDX-License-Identifier: MIT */
/* test_visit.c - tests access/visit.c and core/date.c: day numbers against
 * known dates (epoch, leap days, the calendar's ends), strict parsing, and
 * every rule of a visit, with sentences that never repeat the household id
 * or the note. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "date.h"
#include "visit.h"

#include <string.h>

static void test_dates(void **state)
{
    (void)state;
    long d;
    int m;
    char buf[16];
    struct err e = {0};
    assert_int_equal(date_day("1970-01-01", "x", &d, &e), ERR_OK);
    assert_int_equal(d, 0);
    assert_int_equal(date_day("2024-02-29", "x", &d, &e), ERR_OK);
    assert_int_equal(d, 19782);
    date_format_day(d, buf, sizeof buf);
    assert_string_equal(buf, "2024-02-29");
    for (long k = -25567; k < 200000; k += 37) { /* 1900 .. 2517, round trip */
        date_format_day(k, buf, sizeof buf);
        assert_int_equal(date_day(buf, "x", &d, &e), ERR_OK);
        assert_int_equal(d, k);
    }
    const char *bad[] = {"2023-02-29",  "2024-13-01", "2024-00-10", "2024-1-01", "24-01-01",
                         "2024-01-01x", "1899-12-31", "",           "2024/01/01"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err_clear(&e);
        assert_int_equal(date_day(bad[i], "--due", &d, &e), ERR_INPUT);
        assert_non_null(strstr(e.msg, "--due"));
    }
    assert_int_equal(date_minute("2024-05-01T23:59", "at", &d, &m, &e), ERR_OK);
    assert_int_equal(m, 23 * 60 + 59);
    assert_int_equal(date_minute("2024-05-01 08:05", "at", &d, &m, &e), ERR_OK);
    assert_int_equal(m, 485);
    assert_int_equal(date_minute("2024-05-01T24:00", "at", &d, &m, &e), ERR_INPUT);
    assert_int_equal(date_minute("2024-05-01T9:00", "at", &d, &m, &e), ERR_INPUT);
}

static void test_visits(void **state)
{
    (void)state;
    long today;
    struct err e = {0};
    assert_int_equal(date_day("2026-12-07", "x", &today, &e), ERR_OK);
    struct visit v;
    struct visit_text t = {"SECRET1", "2026-12-01 10:00", "佐藤,鈴木", NULL, "met",
                           "元気",    "2026-12-15"};
    assert_int_equal(visit_parse(&t, "--", today, &v, &e), ERR_OK);
    assert_string_equal(v.at, "2026-12-01T10:00");
    assert_string_equal(v.visitor2, "鈴木");
    assert_string_equal(v.outcome, "会えた");
    /* Each broken rule: ERR_INPUT, the field named, no id or note repeated. */
    static const struct {
        int field;        /* which member to change */
        const char *text; /* its new value */
        const char *says; /* in the sentence */
    } cases[] = {
        {0, "", "household"},
        {0,
         "SE\x01"
         "CRET",
         "household"},
        {1, "2026-12-09T10:00", "future"},
        {1, "2026-12-01", "--at"},
        {2, "a,b,c", "at most two"},
        {2, "a,a", "same person"},
        {2, " a", "surrounding"},
        {2, "", "visitors"},
        {3, "元気", "--outcome"},
        {4, "SECRET\x01", "--note"},
        {4, "SECRET\xff", "--note"},
        {5, "2026-12-01", "after the visit"},
        {5, "2029-12-01", "within 731 days"},
        {5, "2026-02-30", "--next-due"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct visit_text u = t;
        const char **f[] = {&u.household, &u.at, &u.visitors, &u.outcome, &u.note, &u.next_due};
        *f[cases[i].field] = cases[i].text;
        err_clear(&e);
        if (visit_parse(&u, "--", today, &v, &e) != ERR_INPUT ||
            strstr(e.msg, cases[i].says) == NULL || strstr(e.msg, "SECRET") != NULL)
            fail_msg("case %zu: '%s'", i, e.msg);
    }
    /* A note of 200 characters passes, 201 does not (counted in characters). */
    char note[4 * 202] = "";
    for (int i = 0; i < 200; i++)
        strcat(note, "あ");
    struct visit_text u = t;
    u.note = note;
    assert_int_equal(visit_parse(&u, "--", today, &v, &e), ERR_OK);
    strcat(note, "あ");
    assert_int_equal(visit_parse(&u, "--", today, &v, &e), ERR_INPUT);
    /* Without next_due and note, alone: fine; the JSON spelling of names. */
    u = (struct visit_text){"H1", "2026-12-01T10:00", "a", NULL, "その他", NULL, NULL};
    assert_int_equal(visit_parse(&u, "", today, &v, &e), ERR_OK);
    assert_string_equal(v.visitor2, "");
    u.next_due = "x";
    err_clear(&e);
    assert_int_equal(visit_parse(&u, "", today, &v, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "next_due"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_visits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
