/* SPDX-License-Identifier: MIT */
/* hours.h - OpenStreetMap opening_hours, the subset welfare resources need,
 * read strictly and evaluated against Japan's calendar (PH = holidays.h).
 *
 * The subset: rules separated by "; " (a later rule replaces what earlier
 * rules said about the days it selects) or ", " (an additional rule, which
 * adds to them); "24/7"; month selectors (Apr, Apr-Sep, Dec-Feb, Jan,Mar);
 * weekday selectors (Mo, Mo-Fr, Fr-Mo, Mo,We, We[2,4], Su[-1], Mo[1-3]) and
 * PH among them; time spans 08:30-12:00,13:00-17:15 (an end at or before
 * the start, or past 24:00 up to 48:00, runs into the next day); the
 * modifiers open, off and closed. Anything else (years, dates, weeks, SH,
 * sunrise, open ends "+", comments, "unknown", "||") is refused with one
 * sentence naming the place, so a schedule either means exactly what it
 * says or is reported unparsed.
 *
 * Hand-written: the libraries that evaluate opening_hours are C++/Qt
 * (KOpeningHours), JavaScript (opening_hours.js) or Rust (opening-hours);
 * none is a C library Debian packages, and the subset is small.
 *
 * Ownership: hours_parse returns a struct hours the caller frees with
 * hours_free; evaluation only reads it (any number of threads may share
 * one).
 *
 * Entry points: hours_parse, hours_free, hours_rule_count, hours_open_at,
 * hours_open_on, hours_next_open, hours_when_parse, hours_when_matches.
 */
#ifndef TSUNAGU_HOURS_H
#define TSUNAGU_HOURS_H

#include "err.h"
#include "hours_time.h"

#include <stddef.h>

/* Input limits (ERR_LIMIT beyond them). */
#define HOURS_MAX_TEXT 512 /* bytes of one opening_hours value */
#define HOURS_MAX_RULES 32 /* rules of one value */
#define HOURS_MAX_SPANS 8  /* time spans of one rule */
/* How far hours_next_open and hours_open_on look ahead, in days. */
#define HOURS_LOOKAHEAD_DAYS 400

struct hours;

/* Reads `text` (an opening_hours value) into *out. ERR_INPUT with one
 * sentence naming the character where reading stopped, ERR_LIMIT beyond
 * the limits above, ERR_NOMEM; *out is NULL on failure. */
int hours_parse(const char *text, struct hours **out, struct err *e);
void hours_free(struct hours *h);
/* Rules of a parsed value (24/7 counts as one). */
size_t hours_rule_count(const struct hours *h);

/* 1 when open at local time t, else 0. */
int hours_open_at(const struct hours *h, const struct hours_time *t);
/* 1 when open at some time on some day of weekday `wday` (0 = Monday) within
 * HOURS_LOOKAHEAD_DAYS from the date of `from`, else 0. */
int hours_open_on(const struct hours *h, int wday, const struct hours_time *from);
/* The first minute at or after `from` at which h is open (on a day of
 * weekday `wday` when wday is 0..6; -1 = any day), within
 * HOURS_LOOKAHEAD_DAYS: 1 with *next set, or 0 (never open in that time). */
int hours_next_open(const struct hours *h, const struct hours_time *from, int wday,
                    struct hours_time *next);

/* A filter by opening time: open at one moment, or on a weekday. */
struct hours_when {
    int mode;             /* HOURS_WHEN_ANY, HOURS_WHEN_AT or HOURS_WHEN_ON */
    struct hours_time at; /* AT: the moment; ON: the day the look-ahead starts */
    int wday;             /* ON: 0 = Monday .. 6 = Sunday */
};
enum { HOURS_WHEN_ANY = 0, HOURS_WHEN_AT = 1, HOURS_WHEN_ON = 2 };

/* Reads the texts of --open-at (hours_time_parse) and --open-on
 * (hours_weekday_parse), either or neither, into w; names in messages are
 * prefix + "open-at" / "open-on" (prefix_sep "-"), or with "_" for HTTP.
 * `today` is where an open-on look-ahead starts (and w->at when no
 * --open-at is given). Both given: ERR_INPUT.
 * A time in a year the holiday table does not cover: ERR_INPUT (its PH
 * would be a guess). */
int hours_when_parse(const char *open_at, const char *open_on, const char *prefix, char sep,
                     const struct hours_time *today, struct hours_when *w, struct err *e);
/* 1 when a resource with hours h (NULL: no readable schedule) passes w: any
 * h passes HOURS_WHEN_ANY; a NULL h passes nothing else. */
int hours_when_matches(const struct hours *h, const struct hours_when *w);

#endif
