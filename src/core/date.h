/* SPDX-License-Identifier: MIT */
/* date.h - calendar dates and local date-times as tsunagu's records write
 * them: "YYYY-MM-DD" and "YYYY-MM-DDTHH:MM" (local time of the
 * municipality, no zone), parsed strictly into day numbers (days since
 * 1970-01-01 in the proleptic Gregorian calendar) so records compare and
 * subtract exactly. Pure, except date_today, which reads the clock.
 *
 * Entry points: date_day, date_minute, date_format_day, date_today,
 * date_from_civil, date_to_civil, date_digits. */
#ifndef TSUNAGU_DATE_H
#define TSUNAGU_DATE_H

#include "err.h"

#include <stddef.h>

#define DATE_DAY_LEN 10    /* bytes of "YYYY-MM-DD" */
#define DATE_MINUTE_LEN 16 /* bytes of "YYYY-MM-DDTHH:MM" */
#define DATE_YEAR_MIN 1900 /* earliest year accepted */
#define DATE_YEAR_MAX 2999 /* latest year accepted */

/* Parses exactly "YYYY-MM-DD" (a real day between DATE_YEAR_MIN and
 * DATE_YEAR_MAX) into *day. ERR_INPUT naming `what` otherwise; the
 * sentence does not repeat the text. */
int date_day(const char *text, const char *what, long *day, struct err *e);

/* Parses exactly "YYYY-MM-DDTHH:MM" (a space for the T is accepted) into
 * *day and *minute (0-1439 after midnight). ERR_INPUT naming `what`
 * otherwise. */
int date_minute(const char *text, const char *what, long *day, int *minute, struct err *e);

/* Writes day number `day` as "YYYY-MM-DD" into buf (at least
 * DATE_DAY_LEN + 1 bytes). */
void date_format_day(long day, char *buf, size_t n);

/* Today's day number in the local time zone. */
long date_today(void);

/* Day number (days since 1970-01-01, proleptic Gregorian) of year y,
 * month m (1-12), day d (1-31); the date must exist (H. Hinnant's
 * days_from_civil). The one calendar conversion of the program. */
long date_from_civil(long y, long m, long d);

/* The year, month and day of day number z (Hinnant's civil_from_days). */
void date_to_civil(long z, long *y, long *m, long *d);

/* Reads exactly n ASCII digits at s into *v; 0 when one is not a digit. */
int date_digits(const char *s, int n, long *v);

#endif
