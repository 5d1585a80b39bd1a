/* SPDX-License-Identifier: MIT */
/* escape.h - values made safe for the CLI's tables and CSV files. A name,
 * id or agency comes from someone else's file; printed as it is, a control
 * character can drive the terminal (ESC [ 31 m, a cursor move, a newline
 * that forges a row) and a leading '=', '+', '-' or '@' makes a spreadsheet
 * run the cell as a formula (CSV injection, OWASP). Every value the CLI
 * prints in a table or a CSV file goes through here:
 *   - control characters (C0, DEL, and C1 as UTF-8 U+0080..U+009F) are
 *     written as \xNN, so they are visible and inert;
 *   - a value starting with = + - @ gets a leading apostrophe ('=SUM(...)),
 *     which spreadsheets show but do not evaluate;
 *   - other bytes (UTF-8 text, Japanese names) are left as they are.
 *
 * Entry points: escape_text, escape_csv, escape_html. */
#ifndef TSUNAGU_ESCAPE_H
#define TSUNAGU_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* A buffer size that holds the escaped form of any name or id shown in a
 * table; longer values are cut (at a character boundary). */
#define ESCAPE_TEXT_MAX 512

/* Writes the escaped form of s (NULL as "") into buf (n > 0 bytes, cut at
 * n - 1 bytes without splitting an escape or a UTF-8 character) and returns
 * buf, for use as a printf argument. */
const char *escape_text(char *buf, size_t n, const char *s);

/* Writes s (NULL as an empty field) to out as one CSV field: escaped as
 * escape_text does, then quoted when it holds a comma, a quote or a space
 * at either end. Values of any length are written whole. */
void escape_csv(FILE *out, const char *s);

/* Writes s (NULL as nothing) to out as HTML text or a quoted attribute
 * value: & < > " ' as character references, and control characters and
 * a leading = + - @ as escape_text writes them. */
void escape_html(FILE *out, const char *s);

#endif
