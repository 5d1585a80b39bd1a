/* SPDX-License-Identifier: MIT */
/* num.h - the one strict number parser of tsunagu: every number read from a
 * query, an option, a file's cell or the database's own metadata goes
 * through it, under one policy:
 *   - decimal only: digits, an optional sign, a point and an exponent; no
 *     hexadecimal ("0x10", "0x1p8"), no "inf", "infinity" or "nan";
 *   - the whole text is the number (no trailing words), and no blanks
 *     around it unless NUM_BLANKS is given (spreadsheet cells);
 *   - finite, and within the [min, max] the caller states;
 *   - on failure one sentence naming the field ("NAME 'TEXT' is not a
 *     number", "NAME must be between MIN and MAX"), *out unchanged.
 * strtod and strtol alone take hexadecimal, infinities and leading blanks,
 * which is why nothing else in the tree calls them.
 *
 * Entry points: num_double, num_long, num_double_span. */
#ifndef TSUNAGU_NUM_H
#define TSUNAGU_NUM_H

#include "err.h"

#include <stddef.h>

/* Flags for the parsers. */
#define NUM_BLANKS 1u /* spaces and tabs around the number are skipped */

/* Longest number text accepted, in bytes (blanks included). */
#define NUM_TEXT_MAX 64

/* Parses text as a decimal number within [min, max] into *out. text NULL
 * is ERR_INPUT too. ERR_INPUT with "NAME 'TEXT' is not a number" or "NAME
 * must be between MIN and MAX" in e (may be NULL); *out is then unchanged. */
int num_double(const char *text, unsigned flags, const char *name, double min, double max,
               double *out, struct err *e);

/* num_double on the n bytes at p (need not be NUL-terminated), for numbers
 * inside a longer text such as "lon,lat,lon,lat". */
int num_double_span(const char *p, size_t n, unsigned flags, const char *name, double min,
                    double max, double *out, struct err *e);

/* Parses text as a whole decimal number (optional sign, digits only)
 * within [min, max] into *out. ERR_INPUT with "NAME must be a whole number
 * between MIN and MAX" in e (may be NULL); *out is then unchanged. */
int num_long(const char *text, unsigned flags, const char *name, long min, long max, long *out,
             struct err *e);

#endif
