/* SPDX-License-Identifier: MIT */
/* hours_time.h - local dates and times for opening hours: the proleptic
 * Gregorian calendar as day numbers, weekdays, and the strict reading of
 * "2026-12-09T10:00" and "We". Times are local to Japan (UTC+9 all year,
 * no daylight saving), which is where the schedules are kept.
 *
 * Entry points: hours_day_from_date, hours_date_from_day, hours_day_weekday,
 * hours_month_days, hours_time_parse, hours_time_format, hours_time_now,
 * hours_weekday_parse, hours_weekday_name.
 */
#ifndef TSUNAGU_HOURS_TIME_H
#define TSUNAGU_HOURS_TIME_H

#include "err.h"

#include <stddef.h>
#include <time.h>

/* Years a time may name (input limit of hours_time_parse). */
#define HOURS_YEAR_MIN 2000
#define HOURS_YEAR_MAX 2100
/* Longest text hours_time_format writes, with its NUL ("2026-12-09T10:00"). */
#define HOURS_TIME_TEXT 17

/* A local time to the minute. */
struct hours_time {
    int year, month, day; /* calendar date: month 1..12, day 1..31 */
    int minute;           /* minute of the day, 0..1439 */
};

/* Day number of a date: days since 1970-01-01 (negative before). The date
 * must be valid (callers check with hours_month_days). */
long hours_day_from_date(int year, int month, int day);
/* The date of a day number (inverse of hours_day_from_date). */
void hours_date_from_day(long dayno, int *year, int *month, int *day);
/* Weekday of a day number: 0 = Monday .. 6 = Sunday (the order of Mo..Su). */
int hours_day_weekday(long dayno);
/* Days in a month of a year (28..31); 0 when month is not 1..12. */
int hours_month_days(int year, int month);

/* Reads "YYYY-MM-DDTHH:MM" (a space may stand for the T; HH 00..23) into t.
 * `name` names the parameter in the message ("--open-at"). ERR_INPUT with
 * one sentence for anything else (another form, a day the month lacks, a
 * year outside HOURS_YEAR_MIN..HOURS_YEAR_MAX); t is then unspecified. */
int hours_time_parse(const char *text, const char *name, struct hours_time *t, struct err *e);
/* Writes t as "YYYY-MM-DDTHH:MM" into buf (size >= HOURS_TIME_TEXT); returns buf. */
char *hours_time_format(const struct hours_time *t, char *buf, size_t size);
/* The local time in Japan (UTC+9) of the instant `now` (seconds since the epoch). */
void hours_time_now(time_t now, struct hours_time *t);

/* Reads a weekday, OSM's Mo..Su or Japanese 月..日 / 月曜 / 月曜日, into
 * 0 = Monday .. 6 = Sunday. ERR_INPUT naming `name` otherwise. */
int hours_weekday_parse(const char *text, const char *name, int *wday, struct err *e);
/* OSM's two letters of a weekday 0..6 ("Mo"); "?" outside. */
const char *hours_weekday_name(int wday);

#endif
