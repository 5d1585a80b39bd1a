/* SPDX-License-Identifier: MIT */
/* addrnorm.h - the normal form of a Japanese address, so that the ways one
 * address is really written compare equal as byte strings.
 *
 * The normal form (UTF-8): no spaces; ASCII digits and letters (full-width
 * turned half-width); kanji numerals before 丁目/番/号/の/a dash, after a
 * dash or at the end turned into digits (二丁目 -> 2丁目, 十二番 -> 12-);
 * 番地/番/号/の/ノ and every dash between numbers as one '-', none after
 * 丁目 and none at the end (二丁目6番1号 -> 2丁目6-1, 583番地の10 -> 583-10);
 * ヶ/ケ/ヵ/が/ガ as ケ and 之/の/ノ as ノ in names (西旭ヶ丘 = 西旭が丘 =
 * 西旭ケ丘); 大字 dropped; the old and variant kanji of addrnorm.c's table
 * as their common form (髙 -> 高, 﨑 -> 崎, 邊 -> 辺 ...).
 *
 * Entry points: addrnorm_normalise, addrnorm_utf8_ok, addrnorm_utf8_next.
 * Pure: standard C only.
 */
#ifndef TSUNAGU_ADDRNORM_H
#define TSUNAGU_ADDRNORM_H

#include "err.h"
#include <stddef.h>

#define ADDRNORM_IN_MAX 1024                       /* bytes of one address accepted */
#define ADDRNORM_CP_MAX 256                        /* characters of one address accepted */
#define ADDRNORM_OUT_MAX (4 * ADDRNORM_CP_MAX + 1) /* room for any normal form */

/* Writes the normal form of the UTF-8 text `in` (`len` bytes) into out (n
 * bytes, ADDRNORM_OUT_MAX always suffices). Returns ERR_OK, ERR_INPUT when
 * `in` is not valid UTF-8, or ERR_LIMIT when it is longer than
 * ADDRNORM_IN_MAX bytes or ADDRNORM_CP_MAX characters (or does not fit in
 * out); on failure out holds "". Messages never quote the address. */
int addrnorm_normalise(const char *in, size_t len, char *out, size_t n, struct err *e);

/* 1 when the `len` bytes at s are valid UTF-8 (no overlongs, surrogates or
 * code points past U+10FFFF). */
int addrnorm_utf8_ok(const char *s, size_t len);

/* Decodes one code point at s (at most len bytes): returns its byte length
 * and sets *cp, or 0 when the bytes there are not valid UTF-8. */
size_t addrnorm_utf8_next(const unsigned char *s, size_t len, unsigned *cp);

#endif
