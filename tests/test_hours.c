/* SPDX-License-Identifier: MIT */
/* test_hours.c - tests src/hours: the opening_hours reader and evaluator
 * (hours.c), the calendar (hours_time.c), Japan's holidays (holidays.c) and
 * the Japanese schedule reader (hours_ja.c). Every expected answer below
 * was worked out by hand from a calendar (December 2026: the 1st is a
 * Tuesday, so Wednesdays are the 2nd, 9th, 16th, 23rd and 30th). The
 * Japanese schedule texts are written by hand for this test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "holidays.h"
#include "hours.h"
#include "hours_ja.h"
#include "hours_time.h"

#include <stdio.h>
#include <string.h>

/* Parses text (it must parse) and answers "open at y-m-d hh:mm?". */
static int open_at(const char *text, int y, int mo, int d, int h, int mi)
{
    struct hours *hs = NULL;
    struct err e = {0};
    if (hours_parse(text, &hs, &e) != ERR_OK)
        fail_msg("'%s' did not parse: %s", text, e.msg);
    struct hours_time t = {y, mo, d, h * 60 + mi};
    int r = hours_open_at(hs, &t);
    hours_free(hs);
    return r;
}

static void test_calendar(void **state)
{
    (void)state;
    assert_int_equal(hours_day_from_date(1970, 1, 1), 0);
    assert_int_equal(hours_day_weekday(hours_day_from_date(2026, 12, 9)), 2); /* Wednesday */
    assert_int_equal(hours_day_weekday(hours_day_from_date(2026, 12, 1)), 1); /* Tuesday */
    assert_int_equal(hours_day_weekday(hours_day_from_date(2024, 2, 29)), 3); /* Thursday */
    for (long d = hours_day_from_date(2023, 12, 25); d < hours_day_from_date(2031, 1, 5); d++) {
        int y, m, dd;
        hours_date_from_day(d, &y, &m, &dd);
        assert_int_equal(hours_day_from_date(y, m, dd), d);
        assert_true(dd >= 1 && dd <= hours_month_days(y, m));
    }
    assert_int_equal(hours_month_days(2028, 2), 29);
    assert_int_equal(hours_month_days(2100, 2), 28);
    /* 2026-12-09 01:00 UTC is 10:00 in Japan. */
    struct hours_time t;
    hours_time_now((time_t)1796778000, &t);
    char buf[HOURS_TIME_TEXT];
    assert_string_equal(hours_time_format(&t, buf, sizeof buf), "2026-12-09T10:00");
}

static void test_time_and_weekday_parse(void **state)
{
    (void)state;
    struct hours_time t;
    struct err e = {0};
    assert_int_equal(hours_time_parse("2026-12-09T10:00", "--open-at", &t, &e), ERR_OK);
    assert_int_equal(t.minute, 600);
    const char *bad[] = {"2026-12-09",        "2026-12-9T10:00",      "2026-02-30T10:00",
                         "2026-12-09T24:00",  "2026-12-09T10:60",     "1999-12-09T10:00",
                         "2026-12-09T10:00Z", "２０２６-12-09T10:00", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct err b = {0};
        assert_int_equal(hours_time_parse(bad[i], "--open-at", &t, &b), ERR_INPUT);
        assert_non_null(strstr(b.msg, "--open-at"));
    }
    int w = -1;
    assert_int_equal(hours_weekday_parse("We", "open_on", &w, &e), ERR_OK);
    assert_int_equal(w, 2);
    assert_int_equal(hours_weekday_parse("水曜日", "open_on", &w, &e), ERR_OK);
    assert_int_equal(w, 2);
    assert_int_equal(hours_weekday_parse("日", "open_on", &w, &e), ERR_OK);
    assert_int_equal(w, 6);
    struct err b = {0};
    assert_int_equal(hours_weekday_parse("we", "open_on", &w, &b), ERR_INPUT);
    assert_non_null(strstr(b.msg, "open_on 'we' is not a weekday"));
}

/* The substitute (振替休日) and in-between (国民の休日) days of the table
 * follow from its other holidays by the Act's art. 3(2) and 3(3): derive
 * them again and compare, over every covered year. */
static void test_holidays_rules(void **state)
{
    (void)state;
    int subst = 0, between = 0;
    for (int y = HOLIDAYS_FIRST_YEAR; y <= HOLIDAYS_LAST_YEAR; y++) {
        assert_true(holidays_covers(y));
        long first = hours_day_from_date(y, 1, 1), last = hours_day_from_date(y, 12, 31);
        for (long d = first; d <= last; d++) {
            int yy, m, dd;
            hours_date_from_day(d, &yy, &m, &dd);
            const char *name = holidays_name(yy, m, dd);
            if (name == NULL)
                continue;
            int is_subst = strcmp(name, "振替休日") == 0,
                is_between = strcmp(name, "国民の休日") == 0;
            subst += is_subst;
            between += is_between;
            if (is_subst) {
                /* The run of holidays just before it starts on a Sunday. */
                long k = d - 1;
                for (;;) {
                    hours_date_from_day(k, &yy, &m, &dd);
                    if (hours_day_weekday(k) == 6)
                        break;
                    assert_non_null(holidays_name(yy, m, dd));
                    k--;
                }
                assert_non_null(holidays_name(yy, m, dd));
            }
            if (is_between) {
                int y2, m2, d2;
                hours_date_from_day(d - 1, &yy, &m, &dd);
                hours_date_from_day(d + 1, &y2, &m2, &d2);
                assert_non_null(holidays_name(yy, m, dd));
                assert_non_null(holidays_name(y2, m2, d2));
            }
            /* A holiday on a Sunday has a substitute after its run. */
            if (hours_day_weekday(d) == 6 && !is_subst) {
                long k = d + 1;
                for (;;) {
                    hours_date_from_day(k, &yy, &m, &dd);
                    const char *n2 = holidays_name(yy, m, dd);
                    assert_non_null(n2);
                    if (strcmp(n2, "振替休日") == 0)
                        break;
                    k++;
                }
            }
        }
    }
    assert_true(subst >= 14);
    assert_int_equal(between, 1); /* 2026-09-22 only, in 2024..2030 */
    assert_string_equal(holidays_name(2026, 9, 22), "国民の休日");
    assert_string_equal(holidays_name(2026, 5, 6), "振替休日");
    assert_string_equal(holidays_name(2027, 3, 21), "春分の日");
    assert_null(holidays_name(2026, 12, 9));
    assert_null(holidays_name(2031, 1, 1));
    assert_false(holidays_covers(2031));
}

static void test_weekdays_and_spans(void **state)
{
    (void)state;
    const char *v = "Mo-Fr 08:30-12:00,13:00-17:15";
    assert_true(open_at(v, 2026, 12, 9, 8, 30)); /* Wednesday */
    assert_true(open_at(v, 2026, 12, 9, 11, 59));
    assert_false(open_at(v, 2026, 12, 9, 12, 0)); /* lunch */
    assert_false(open_at(v, 2026, 12, 9, 12, 30));
    assert_true(open_at(v, 2026, 12, 9, 17, 14));
    assert_false(open_at(v, 2026, 12, 9, 17, 15));
    assert_false(open_at(v, 2026, 12, 13, 10, 0)); /* Sunday */
    assert_true(open_at("Mo,We 10:00-11:00", 2026, 12, 9, 10, 0));
    assert_false(open_at("Mo,We 10:00-11:00", 2026, 12, 8, 10, 0));
    assert_true(open_at("Fr-Mo 10:00-11:00", 2026, 12, 13, 10, 0)); /* wraps the week */
    assert_false(open_at("Fr-Mo 10:00-11:00", 2026, 12, 10, 10, 0));
    assert_true(open_at("24/7", 2026, 12, 13, 3, 0));
    assert_true(open_at("Sa", 2026, 12, 12, 23, 59)); /* a day without times: all day */
    assert_true(open_at("10:00-18:00", 2026, 12, 13, 17, 0));
    /* Past midnight: Friday 22:00 to Saturday 02:00. */
    assert_true(open_at("Fr 22:00-02:00", 2026, 12, 12, 1, 30));
    assert_false(open_at("Fr 22:00-02:00", 2026, 12, 11, 1, 30));
    assert_true(open_at("Fr 18:00-26:00", 2026, 12, 12, 1, 59));
}

static void test_rule_separators(void **state)
{
    (void)state;
    /* ";" replaces the day, "," adds to it. */
    assert_false(open_at("Mo-Fr 09:00-17:00; We 13:00-15:00", 2026, 12, 9, 10, 0));
    assert_true(open_at("Mo-Fr 09:00-17:00; We 13:00-15:00", 2026, 12, 9, 14, 0));
    assert_true(open_at("Mo-Fr 09:00-12:00, We 13:00-15:00", 2026, 12, 9, 10, 0));
    assert_true(open_at("Mo-Fr 09:00-12:00, We 13:00-15:00", 2026, 12, 9, 14, 0));
    assert_false(open_at("24/7; Su off", 2026, 12, 13, 10, 0));
    assert_true(open_at("24/7; Su off", 2026, 12, 12, 10, 0));
    assert_false(open_at("Mo-Fr 09:00-17:00, We 12:00-13:00 off", 2026, 12, 9, 12, 30));
    assert_true(open_at("Mo-Fr 09:00-17:00, We 12:00-13:00 off", 2026, 12, 9, 11, 30));
    assert_false(open_at("Mo-Sa 09:00-17:00; Sa closed", 2026, 12, 12, 10, 0));
    /* A rule of times alone adds (as opening_hours.js reads it). */
    assert_true(open_at("Mo-Fr 08:00-12:00; 13:30-18:00", 2026, 12, 7, 9, 15));
    assert_true(open_at("Mo-Fr 08:00-12:00; 13:30-18:00", 2026, 12, 12, 14, 0));
    /* A later rule for Saturday ends Friday's night; Friday's own rule does
     * not end Monday's night on Tuesday. */
    assert_false(open_at("Mo-Fr 16:00-01:00; Sa,Su 12:00-01:00", 2026, 12, 12, 0, 30));
    assert_true(open_at("Mo-Fr 16:00-01:00; Sa,Su 12:00-01:00", 2026, 12, 8, 0, 30));
    assert_true(open_at("Mo-Fr 16:00-01:00; Sa,Su 12:00-01:00", 2026, 12, 13, 0, 30));
    assert_true(open_at("Sa 10:00-12:00; Fr 22:00-02:00", 2026, 12, 12, 1, 0));
    assert_true(
        open_at("Mo-Sa 09:00-17:00; Sa closed; Sa[2] 10:00-12:00 open", 2026, 12, 12, 11, 0));
}

static void test_nth_weekday_and_months(void **state)
{
    (void)state;
    const char *v = "We[2,4] 10:00-12:00";
    assert_true(open_at(v, 2026, 12, 9, 10, 0));                     /* 2nd Wednesday */
    assert_false(open_at(v, 2026, 12, 16, 10, 0));                   /* 3rd */
    assert_true(open_at(v, 2026, 12, 23, 10, 0));                    /* 4th */
    assert_false(open_at(v, 2026, 12, 2, 10, 0));                    /* 1st */
    assert_false(open_at(v, 2026, 12, 30, 10, 0));                   /* 5th */
    assert_true(open_at("Su[-1] 10:00-12:00", 2026, 12, 27, 10, 0)); /* last Sunday */
    assert_false(open_at("Su[-1] 10:00-12:00", 2026, 12, 20, 10, 0));
    assert_true(open_at("We[-1]", 2026, 12, 30, 10, 0));
    assert_true(open_at("Mo[1-3]", 2026, 12, 21, 10, 0)); /* 3rd Monday */
    assert_false(open_at("Mo[1-3]", 2026, 12, 28, 10, 0));
    assert_true(open_at("Apr-Sep Sa 09:00-12:00", 2026, 9, 26, 10, 0));
    assert_false(open_at("Apr-Sep Sa 09:00-12:00", 2026, 10, 3, 10, 0));
    assert_true(open_at("Dec-Feb 10:00-11:00", 2027, 1, 5, 10, 0));
    assert_false(open_at("Dec-Feb 10:00-11:00", 2026, 11, 5, 10, 0));
    assert_true(open_at("Jan,Mar Mo", 2027, 3, 1, 10, 0));
}

static void test_public_holidays(void **state)
{
    (void)state;
    /* 2026-11-23 (勤労感謝の日) is a Monday; 2026-09-22 国民の休日 a Tuesday. */
    const char *v = "Mo-Fr 09:00-17:00; PH off";
    assert_false(open_at(v, 2026, 11, 23, 10, 0));
    assert_true(open_at(v, 2026, 11, 24, 10, 0));
    assert_false(open_at(v, 2026, 9, 22, 10, 0));
    assert_false(open_at(v, 2026, 5, 6, 10, 0)); /* 振替休日 */
    assert_true(open_at("Sa,Su,PH 10:00-15:00", 2026, 11, 23, 10, 0));
    assert_false(open_at("Sa,Su,PH 10:00-15:00", 2026, 11, 24, 10, 0));
    assert_true(open_at("PH 10:00-12:00", 2027, 3, 22, 11, 0));
}

static void test_next_open_and_open_on(void **state)
{
    (void)state;
    struct hours *h = NULL;
    struct err e = {0};
    assert_int_equal(hours_parse("We[2,4] 10:00-12:00", &h, &e), ERR_OK);
    struct hours_time from = {2026, 12, 9, 12 * 60}, next;
    assert_true(hours_next_open(h, &from, -1, &next));
    char buf[HOURS_TIME_TEXT];
    assert_string_equal(hours_time_format(&next, buf, sizeof buf), "2026-12-23T10:00");
    from.minute = 10 * 60 + 30; /* open now: the answer is now */
    assert_true(hours_next_open(h, &from, -1, &next));
    assert_string_equal(hours_time_format(&next, buf, sizeof buf), "2026-12-09T10:30");
    assert_true(hours_open_on(h, 2, &from));
    assert_false(hours_open_on(h, 3, &from));
    hours_free(h);
    assert_int_equal(hours_parse("Mo-Fr off", &h, &e), ERR_OK);
    assert_false(hours_next_open(h, &from, -1, &next));
    assert_false(hours_open_on(h, 0, &from));
    hours_free(h);
}

static void test_refusals(void **state)
{
    (void)state;
    const char *bad[] = {"",
                         "Mo-Fr 8:30-17:00",
                         "Mo-Fr 08:30-17:00;",
                         "mo-fr 08:00-12:00",
                         "Mo-Fr 25:00-26:00",
                         "Mo 10:00-10:00",
                         "Mo 10:00-49:00",
                         "We[6] 10:00-12:00",
                         "We[0]",
                         "We[2,4 10:00-12:00",
                         "Mo-Fr 08:00+",
                         "sunrise-sunset",
                         "Mo-Fr 08:00-12:00 || \"call\"",
                         "2026 Mo",
                         "Dec 25 off",
                         "week 1-10 Mo",
                         "Mo-Fr 08:00-12:00 \"by appointment\"",
                         "SH off",
                         "Mo unknown",
                         "Mo-Fr 08:00-12:00 Su",
                         "月-金 08:00-12:00",
                         "Mo-Fr\t08:00-12:00",
                         "Mo-Fr 08:00-12:00; ; Sa",
                         "Fr 1" /* past the end before a libFuzzer fix */};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct hours *h = (struct hours *)1;
        struct err e = {0};
        int rc = hours_parse(bad[i], &h, &e);
        if (rc == ERR_OK)
            fail_msg("'%s' parsed", bad[i]);
        assert_null(h);
        assert_non_null(strstr(e.msg, "opening_hours"));
    }
    /* Limits. */
    char big[HOURS_MAX_TEXT + 10];
    memset(big, ' ', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    struct hours *h = NULL;
    struct err e = {0};
    assert_int_equal(hours_parse(big, &h, &e), ERR_LIMIT);
    char many[HOURS_MAX_TEXT];
    many[0] = '\0';
    for (int i = 0; i <= HOURS_MAX_RULES; i++)
        strcat(many, i ? "; Mo" : "Mo");
    struct err e2 = {0};
    assert_int_equal(hours_parse(many, &h, &e2), ERR_LIMIT);
    assert_non_null(strstr(e2.msg, "more than 32 rules"));
    struct err e3 = {0};
    assert_int_equal(hours_parse("Mo 01:00-02:00,03:00-04:00,05:00-06:00,07:00-08:00,09:00-10:00,"
                                 "11:00-12:00,13:00-14:00,15:00-16:00,17:00-18:00",
                                 &h, &e3),
                     ERR_LIMIT);
}

static void test_when(void **state)
{
    (void)state;
    struct hours_time today = {2026, 12, 7, 600};
    struct hours_when w;
    struct err e = {0};
    assert_int_equal(hours_when_parse(NULL, NULL, "--", '-', &today, &w, &e), ERR_OK);
    assert_int_equal(w.mode, HOURS_WHEN_ANY);
    assert_true(hours_when_matches(NULL, &w));
    assert_int_equal(hours_when_parse("2026-12-13T10:00", NULL, "--", '-', &today, &w, &e), ERR_OK);
    assert_false(hours_when_matches(NULL, &w)); /* no readable schedule: not known open */
    struct hours *h = NULL;
    assert_int_equal(hours_parse("Sa,Su 09:00-12:00", &h, &e), ERR_OK);
    assert_true(hours_when_matches(h, &w));
    assert_int_equal(hours_when_parse(NULL, "We", "", '_', &today, &w, &e), ERR_OK);
    assert_false(hours_when_matches(h, &w));
    hours_free(h);
    struct err b = {0};
    assert_int_equal(hours_when_parse("2026-12-13T10:00", "We", "", '_', &today, &w, &b),
                     ERR_INPUT);
    assert_string_equal(b.msg, "give open_at or open_on, not both");
    struct err c = {0};
    assert_int_equal(hours_when_parse("2031-01-06T10:00", NULL, "--", '-', &today, &w, &c),
                     ERR_INPUT);
    assert_non_null(strstr(c.msg, "2024..2030"));
}

/* Japanese schedule texts, written by hand for this test, and the
 * opening_hours they must read as. */
static void test_japanese(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"毎週月〜金 8:30〜17:15", "Mo-Fr 08:30-17:15"},
        {"第2・第4水曜日 10時〜12時", "We[2,4] 10:00-12:00"},
        {"第1・3土曜日 13時半〜15時", "Sa[1,3] 13:30-15:00"},
        {"土日祝休み", "Sa,Su,PH off"},
        {"平日 9:00-17:00", "Mo-Fr 09:00-17:00"},
        {"月～金　９：００～１７：００", "Mo-Fr 09:00-17:00"},
        {"毎週月〜金 8:30〜17:15（土日祝休み）", "Mo-Fr 08:30-17:15; Sa,Su,PH off"},
        {"土日祝休み 平日8:30〜17:15", "Mo-Fr 08:30-17:15; Sa,Su,PH off"},
        {"月・水・金 10:00〜12:00、13:00〜15:00", "Mo,We,Fr 10:00-12:00,13:00-15:00"},
        {"月曜日〜金曜日 9時30分〜16時", "Mo-Fr 09:30-16:00"},
        {"火曜日 午後1時〜午後3時", "Tu 13:00-15:00"},
        {"毎日 10:00〜18:00 水曜定休", "10:00-18:00; We off"},
        {"月〜土 9:00〜18:00 日・祝日休館", "Mo-Sa 09:00-18:00; Su,PH off"},
        {"毎月第3日曜日 10時から12時まで", "Su[3] 10:00-12:00"},
        {"平日 9:00〜17:00 土曜 9:00〜12:00", "Mo-Fr 09:00-17:00; Sa 09:00-12:00"},
        {"年中無休 9:00〜21:00", "09:00-21:00"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[HOURS_JA_OUT];
        struct err e = {0};
        if (hours_ja_read(cases[i][0], out, sizeof out, &e) != ERR_OK)
            fail_msg("'%s' not read: %s", cases[i][0], e.msg);
        if (strcmp(out, cases[i][1]) != 0)
            fail_msg("'%s' read as '%s', want '%s'", cases[i][0], out, cases[i][1]);
    }
    static const char *const unread[] = {
        "要予約",
        "月・水・金",
        "平日（年末年始を除く）9:00〜17:00",
        "随時",
        "10:00〜",
        "第6水曜日 10時〜12時",
        "月〜金 25時〜26時",
        "9:00〜17:00 ただし第3水曜は休み",
        "",
    };
    for (size_t i = 0; i < sizeof unread / sizeof unread[0]; i++) {
        char out[HOURS_JA_OUT] = "x";
        struct err e = {0};
        if (hours_ja_read(unread[i], out, sizeof out, &e) == ERR_OK)
            fail_msg("'%s' read as '%s'", unread[i], out);
        assert_string_equal(out, "");
        assert_non_null(strstr(e.msg, "schedule"));
    }
    /* What import stores. */
    char out[HOURS_JA_OUT];
    assert_int_equal(hours_ja_schedule("Mo-Fr 09:00-17:00", out, sizeof out), 1);
    assert_string_equal(out, "Mo-Fr 09:00-17:00");
    assert_int_equal(hours_ja_schedule("平日 9:00-17:00", out, sizeof out), 1);
    assert_string_equal(out, "Mo-Fr 09:00-17:00");
    assert_int_equal(hours_ja_schedule("要予約", out, sizeof out), 0);
    assert_string_equal(out, "要予約");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calendar),        cmocka_unit_test(test_time_and_weekday_parse),
        cmocka_unit_test(test_holidays_rules),  cmocka_unit_test(test_weekdays_and_spans),
        cmocka_unit_test(test_rule_separators), cmocka_unit_test(test_nth_weekday_and_months),
        cmocka_unit_test(test_public_holidays), cmocka_unit_test(test_next_open_and_open_on),
        cmocka_unit_test(test_refusals),        cmocka_unit_test(test_when),
        cmocka_unit_test(test_japanese),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
