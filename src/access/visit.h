/* SPDX-License-Identifier: MIT */
/* visit.h - a home visit as a user writes it, checked before it reaches
 * the store: the household id, the local date and time of the visit, one
 * or two visitors, an outcome from the vocabulary (vocab_outcome), an
 * optional short note and the date the next visit is due. Shared by
 * `POST /api/visits` and `tsunagu visits add`, so both refuse the same
 * input with the same sentence. Pure: no SQL, no HTTP.
 *
 * Sentences name the field that is wrong and never repeat a household id
 * or the note (household data).
 *
 * Entry points: visit_parse. */
#ifndef TSUNAGU_VISIT_H
#define TSUNAGU_VISIT_H

#include "date.h"
#include "err.h"

#define VISIT_ID_MAX 64         /* bytes of a household id */
#define VISIT_VISITOR_MAX 64    /* bytes of one visitor's name */
#define VISIT_NOTE_CHARS 200    /* characters of a note */
#define VISIT_NOTE_MAX 800      /* bytes of a note */
#define VISIT_DUE_MAX_DAYS 731  /* the next visit is due within two years of the visit */
#define VISIT_FUTURE_MAX_DAYS 1 /* a visit may be dated at most a day after today */

/* The fields as text (JSON members or CLI options); NULL when absent. */
struct visit_text {
    const char *household; /* household id */
    const char *at;        /* "YYYY-MM-DDTHH:MM" */
    const char *visitors;  /* "NAME" or "NAME,NAME" */
    const char *visitor2;  /* a second visitor given apart (JSON arrays), or NULL */
    const char *outcome;   /* a vocabulary word or its English alias */
    const char *note;      /* optional */
    const char *next_due;  /* optional "YYYY-MM-DD" */
};

/* A checked visit (copies, NUL-terminated). */
struct visit {
    char household[VISIT_ID_MAX + 1];
    char at[DATE_MINUTE_LEN + 1]; /* normalised to "YYYY-MM-DDTHH:MM" */
    char visitor1[VISIT_VISITOR_MAX + 1];
    char visitor2[VISIT_VISITOR_MAX + 1]; /* "" for a visit alone */
    const char *outcome;                  /* canonical word (static) */
    char note[VISIT_NOTE_MAX + 1];        /* "" when none */
    char next_due[DATE_DAY_LEN + 1];      /* "" when none */
};

/* Checks t against the limits above, with `today` the current day number
 * (date_today()): a household id of printable characters, a visit time
 * no later than VISIT_FUTURE_MAX_DAYS after today, one or two distinct
 * visitors of printable UTF-8 without commas, a known outcome, a note of
 * valid UTF-8 without control characters other than line breaks, and a
 * next visit due after the visit's day and within VISIT_DUE_MAX_DAYS.
 * ERR_INPUT with one sentence naming the field (with `prefix`, e.g. "--"
 * for options) otherwise; *v is then unspecified. */
int visit_parse(const struct visit_text *t, const char *prefix, long today, struct visit *v,
                struct err *e);

#endif
