/* SPDX-License-Identifier: MIT */
/* date.c - strict dates and day numbers (see date.h). The conversion
 * between civil dates and day numbers is Howard Hinnant's days_from_civil
 * / civil_from_days, written out here: C has no time-zone-free calendar
 * arithmetic (mktime applies the local zone and its DST; timegm is not
 * standard C), and the algorithm is a dozen exact integer lines. */
#include "date.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

long date_from_civil(long y, long m, long d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void date_to_civil(long z, long *y, long *m, long *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp + (mp < 10 ? 3 : -9);
    *y = yoe + era * 400 + (*m <= 2);
}

int date_digits(const char *s, int n, long *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        *v = *v * 10 + (s[i] - '0');
    }
    return 1;
}

/* Parses "YYYY-MM-DD" at the start of s (exactly DATE_DAY_LEN bytes
 * checked); 1 with *day on success. */
static int date_parse_day(const char *s, long *day)
{
    long y, m, d;
    if (strlen(s) < DATE_DAY_LEN || s[4] != '-' || s[7] != '-' || !date_digits(s, 4, &y) ||
        !date_digits(s + 5, 2, &m) || !date_digits(s + 8, 2, &d))
        return 0;
    if (y < DATE_YEAR_MIN || y > DATE_YEAR_MAX || m < 1 || m > 12 || d < 1 || d > 31)
        return 0;
    long z = date_from_civil(y, m, d), y2, m2, d2;
    date_to_civil(z, &y2, &m2, &d2);
    if (m2 != m || d2 != d) /* 2026-02-30 */
        return 0;
    *day = z;
    return 1;
}

int date_day(const char *text, const char *what, long *day, struct err *e)
{
    if (text == NULL || strlen(text) != DATE_DAY_LEN || !date_parse_day(text, day))
        return err_set(e, ERR_INPUT, "%s must be a date YYYY-MM-DD between %d and %d", what,
                       DATE_YEAR_MIN, DATE_YEAR_MAX);
    return ERR_OK;
}

int date_minute(const char *text, const char *what, long *day, int *minute, struct err *e)
{
    long h, mi;
    if (text == NULL || strlen(text) != DATE_MINUTE_LEN || !date_parse_day(text, day) ||
        (text[10] != 'T' && text[10] != ' ') || text[13] != ':' || !date_digits(text + 11, 2, &h) ||
        !date_digits(text + 14, 2, &mi) || h > 23 || mi > 59)
        return err_set(e, ERR_INPUT, "%s must be a local date and time YYYY-MM-DDTHH:MM", what);
    *minute = (int)(h * 60 + mi);
    return ERR_OK;
}

void date_format_day(long day, char *buf, size_t n)
{
    long y, m, d;
    date_to_civil(day, &y, &m, &d);
    snprintf(buf, n, "%04ld-%02ld-%02ld", y, m, d);
}

long date_today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    if (localtime_r(&now, &tm) == NULL)
        return (long)(now / 86400);
    return date_from_civil(tm.tm_year + 1900L, tm.tm_mon + 1L, tm.tm_mday);
}
