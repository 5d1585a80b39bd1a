/* SPDX-License-Identifier: MIT */
/* utf8.h - the one strict UTF-8 validator of tsunagu, and the strict
 * decoder that turns text of another encoding (CP932, EUC-JP, ...) into
 * UTF-8.
 *
 * Strict means RFC 3629: no overlong forms (C0 80, E0 80 80, F0 80 80 80),
 * no UTF-16 surrogates (ED A0 80 - ED BF BF), nothing above U+10FFFF (F4 90
 * and up, F5-FF), no stray continuation bytes, no truncated sequences. Every
 * text that reaches the database, a JSON answer or a log passes through
 * here; nothing else in the tree decides what UTF-8 is.
 *
 * The decoder wraps iconv(3) of the C library rather than GDAL's CPLRecode:
 * CPLRecode drops invalid input silently (with one warning per process), so
 * it cannot tell the importer which line is broken.
 *
 * Entry points: utf8_seq, utf8_valid, utf8_valid_str, utf8_text_ok,
 * utf8_cut, utf8_sanitize; utf8_encoding_name, utf8_decoder_open/close,
 * utf8_decode, utf8_decoder_encoding, utf8_check.
 */
#ifndef TSUNAGU_UTF8_H
#define TSUNAGU_UTF8_H

#include "err.h"

#include <stddef.h>

#define UTF8_ENCODING_MAX 32 /* bytes of an encoding name */

/* What utf8_seq found at the start of a buffer. */
enum utf8_status {
    UTF8_SEQ_INVALID = -1,  /* not the start of a valid sequence */
    UTF8_SEQ_TRUNCATED = -2 /* a valid prefix that the buffer's end cuts */
};

/* Length (1-4) of the valid UTF-8 sequence at s[0..n), or UTF8_SEQ_INVALID,
 * or UTF8_SEQ_TRUNCATED when the n bytes are a valid but incomplete prefix.
 * n == 0 is UTF8_SEQ_TRUNCATED. */
int utf8_seq(const char *s, size_t n);

/* Offset of the first byte of s[0..n) that is not part of a complete valid
 * sequence (a truncated sequence at the end counts as invalid), or n when all
 * of it is valid UTF-8. */
size_t utf8_check(const char *s, size_t n);

/* 1 when s[0..n) is valid UTF-8, else 0. */
int utf8_valid(const char *s, size_t n);

/* 1 when the NUL-terminated s is valid UTF-8 (NULL is not), else 0. */
int utf8_valid_str(const char *s);

/* 1 when s is valid UTF-8 without control characters (C0 and DEL); the
 * test for text that came from a request. */
int utf8_text_ok(const char *s);

/* The largest length <= max of s[0..n) that ends on a character boundary
 * (for cutting valid UTF-8 to a byte limit). */
size_t utf8_cut(const char *s, size_t n, size_t max);

/* Makes s printable UTF-8 in place: every byte that does not start a valid
 * sequence, and every control character, becomes '?'. When `ascii`, every
 * non-ASCII character becomes '?' too (one '?' per byte). */
void utf8_sanitize(char *s, int ascii);

/* Normalises an encoding name for iconv into out (n bytes): "UTF8" and
 * "utf-8" -> "UTF-8"; Shift_JIS, SJIS, MS932, Windows-31J and CP932 ->
 * "CP932" (what Excel and Japanese government files mean by Shift_JIS,
 * including NEC and IBM extensions such as ① and ㈱); "EUC-JP", "EUCJP" ->
 * "EUC-JP"; others upper-cased as given. ERR_INPUT when the name is empty,
 * longer than UTF8_ENCODING_MAX bytes, not [A-Za-z0-9_.:-], or unknown to
 * iconv. */
int utf8_encoding_name(const char *given, char *out, size_t n, struct err *e);

struct utf8_decoder;

/* A strict decoder from `encoding` (a name utf8_encoding_name accepts) into
 * UTF-8. NULL with ERR_INPUT for an unknown encoding, ERR_NOMEM. Free with
 * utf8_decoder_close. Not thread-safe per handle. */
struct utf8_decoder *utf8_decoder_open(const char *encoding, struct err *e);
void utf8_decoder_close(struct utf8_decoder *d);

/* The encoding the decoder reads (borrowed). */
const char *utf8_decoder_encoding(const struct utf8_decoder *d);

/* Decodes in[0..n) as one whole text into out (cap bytes, NUL-terminated on
 * success). Returns ERR_OK with *out_len; ERR_LIMIT when out is too small
 * (grow it and call again); ERR_INPUT when the input is not valid in the
 * decoder's encoding (including a sequence cut by the end), with *bad the
 * offset in `in` of the first byte that cannot be decoded. The result is
 * checked with utf8_check, so it is always valid UTF-8. */
int utf8_decode(struct utf8_decoder *d, const char *in, size_t n, char *out, size_t cap,
                size_t *out_len, size_t *bad);

#endif
