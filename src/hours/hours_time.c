/* SPDX-License-Identifier: MIT */
/* hours_time.c - the calendar of opening hours over the core's day numbers
 * (date.h, the one calendar conversion), and the strict readers of a local
 * time and of a weekday.
 *
 * Entry points: hours_day_from_date, hours_date_from_day, hours_day_weekday,
 * hours_month_days, hours_time_parse, hours_time_format, hours_time_now,
 * hours_weekday_parse, hours_weekday_name. */
#include "hours_time.h"

#include "date.h"

#include <stdio.h>
#include <string.h>

long hours_day_from_date(int year, int month, int day)
{
    return date_from_civil(year, month, day);
}

void hours_date_from_day(long dayno, int *year, int *month, int *day)
{
    long y, m, d;
    date_to_civil(dayno, &y, &m, &d);
    *year = (int)y;
    *month = (int)m;
    *day = (int)d;
}

int hours_day_weekday(long dayno)
{
    /* 1970-01-01 was a Thursday (3 when Monday is 0). */
    long w = (dayno + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

int hours_month_days(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return days[month - 1] + (month == 2 && leap);
}

/* date_digits into an int. */
static int hours_time_digits(const char *p, int n, int *v)
{
    long l;
    int ok = date_digits(p, n, &l);
    *v = (int)l;
    return ok;
}

int hours_time_parse(const char *text, const char *name, struct hours_time *t, struct err *e)
{
    int y, mo, d, h, mi;
    if (text == NULL || strlen(text) != 16 || !hours_time_digits(text, 4, &y) || text[4] != '-' ||
        !hours_time_digits(text + 5, 2, &mo) || text[7] != '-' ||
        !hours_time_digits(text + 8, 2, &d) || (text[10] != 'T' && text[10] != ' ') ||
        !hours_time_digits(text + 11, 2, &h) || text[13] != ':' ||
        !hours_time_digits(text + 14, 2, &mi))
        return err_set(e, ERR_INPUT,
                       "%s '%.40s' is not a local time written as YYYY-MM-DDTHH:MM "
                       "(e.g. 2026-12-09T10:00)",
                       name, text ? text : "");
    if (y < HOURS_YEAR_MIN || y > HOURS_YEAR_MAX)
        return err_set(e, ERR_INPUT, "%s year %d is outside %d..%d", name, y, HOURS_YEAR_MIN,
                       HOURS_YEAR_MAX);
    if (mo < 1 || mo > 12 || d < 1 || d > hours_month_days(y, mo))
        return err_set(e, ERR_INPUT, "%s '%.40s' names a day the calendar does not have", name,
                       text);
    if (h > 23 || mi > 59)
        return err_set(e, ERR_INPUT, "%s '%.40s' has no such time of day (00:00..23:59)", name,
                       text);
    t->year = y;
    t->month = mo;
    t->day = d;
    t->minute = h * 60 + mi;
    return ERR_OK;
}

char *hours_time_format(const struct hours_time *t, char *buf, size_t size)
{
    snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d", t->year, t->month, t->day, t->minute / 60,
             t->minute % 60);
    return buf;
}

void hours_time_now(time_t now, struct hours_time *t)
{
    long long s = (long long)now + 9 * 3600; /* Japan Standard Time, no DST */
    long long dayno = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
    long long sec = s - dayno * 86400;
    hours_date_from_day((long)dayno, &t->year, &t->month, &t->day);
    t->minute = (int)(sec / 60);
}

static const char *const hours_time_wd_osm[7] = {"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"};
static const char *const hours_time_wd_ja[7] = {"月", "火", "水", "木", "金", "土", "日"};

int hours_weekday_parse(const char *text, const char *name, int *wday, struct err *e)
{
    for (int i = 0; text && i < 7; i++) {
        size_t n = strlen(hours_time_wd_ja[i]);
        if (strcmp(text, hours_time_wd_osm[i]) == 0 ||
            (strncmp(text, hours_time_wd_ja[i], n) == 0 &&
             (text[n] == '\0' || strcmp(text + n, "曜") == 0 || strcmp(text + n, "曜日") == 0))) {
            *wday = i;
            return ERR_OK;
        }
    }
    return err_set(e, ERR_INPUT, "%s '%.40s' is not a weekday (Mo Tu We Th Fr Sa Su or 月..日)",
                   name, text ? text : "");
}

const char *hours_weekday_name(int wday)
{
    return wday >= 0 && wday < 7 ? hours_time_wd_osm[wday] : "?";
}
