/* SPDX-License-Identifier: MIT */
/* utf8.c - strict UTF-8 validation and decoding into UTF-8 (see utf8.h).
 * Entry points: utf8_seq, utf8_check, utf8_valid, utf8_valid_str,
 * utf8_text_ok, utf8_cut, utf8_sanitize, utf8_encoding_name,
 * utf8_decoder_open/close/encoding, utf8_decode.
 *
 * The validator is written by hand (a dozen lines of table-free checks, after
 * RFC 3629 section 4): the libraries at hand either validate loosely
 * (GDAL's CPLIsUTF8 accepts surrogates) or only as a side effect of
 * something else (jansson's parser). */
#include "utf8.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int utf8_seq(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    if (n == 0)
        return UTF8_SEQ_TRUNCATED;
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    int len;
    unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0; /* overlong below U+0800 */
        else if (c == 0xED)
            hi = 0x9F; /* surrogates U+D800-U+DFFF */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90; /* overlong below U+10000 */
        else if (c == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else {
        return UTF8_SEQ_INVALID; /* continuation byte, C0/C1 overlong, F5-FF */
    }
    for (int i = 1; i < len; i++) {
        if ((size_t)i >= n)
            return UTF8_SEQ_TRUNCATED;
        unsigned b = s[i];
        if (i == 1 ? (b < lo || b > hi) : (b & 0xC0) != 0x80)
            return UTF8_SEQ_INVALID;
    }
    return len;
}

size_t utf8_check(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        int k = utf8_seq(s + i, n - i);
        if (k < 0)
            return i;
        i += (size_t)k;
    }
    return n;
}

int utf8_valid(const char *s, size_t n)
{
    return utf8_check(s, n) == n;
}

int utf8_valid_str(const char *s)
{
    return s != NULL && utf8_valid(s, strlen(s));
}

int utf8_text_ok(const char *s)
{
    if (!utf8_valid_str(s))
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7F)
            return 0;
    return 1;
}

size_t utf8_cut(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return n;
    size_t k = max;
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    return k;
}

void utf8_sanitize(char *s, int ascii)
{
    size_t n = strlen(s), i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        int k = utf8_seq(s + i, n - i);
        if (k < 0 || c < 0x20 || c == 0x7F) {
            s[i++] = '?';
            continue;
        }
        if (ascii && k > 1)
            memset(s + i, '?', (size_t)k);
        i += (size_t)k;
    }
}

int utf8_encoding_name(const char *given, char *out, size_t n, struct err *e)
{
    static const struct {
        const char *alias; /* compared without case, '-' and '_' */
        const char *name;  /* what iconv is asked for */
    } aliases[] = {{"UTF8", "UTF-8"},         {"SHIFTJIS", "CP932"}, {"SJIS", "CP932"},
                   {"MS932", "CP932"},        {"CP932", "CP932"},    {"WINDOWS31J", "CP932"},
                   {"EUCJP", "EUC-JP"},       {"CP1252", "CP1252"},  {"LATIN1", "ISO-8859-1"},
                   {"ISO88591", "ISO-8859-1"}};
    size_t len = given ? strlen(given) : 0;
    if (len == 0 || len > UTF8_ENCODING_MAX || n <= UTF8_ENCODING_MAX)
        return err_set(e, ERR_INPUT, "an encoding name is 1-%d letters, digits, '-', '_', '.'",
                       UTF8_ENCODING_MAX);
    char key[UTF8_ENCODING_MAX + 1];
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)given[i];
        if (!isalnum(c) && c != '-' && c != '_' && c != '.' && c != ':')
            return err_set(e, ERR_INPUT, "an encoding name is 1-%d letters, digits, '-', '_', '.'",
                           UTF8_ENCODING_MAX);
        if (c != '-' && c != '_')
            key[k++] = (char)toupper(c);
    }
    key[k] = '\0';
    const char *name = NULL;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0] && !name; i++)
        if (strcmp(key, aliases[i].alias) == 0)
            name = aliases[i].name;
    if (name) {
        memcpy(out, name, strlen(name) + 1);
    } else {
        for (size_t i = 0; i <= len; i++)
            out[i] = (char)toupper((unsigned char)given[i]);
    }
    iconv_t cd = iconv_open("UTF-8", out);
    if (cd == (iconv_t)-1)
        return err_set(e, ERR_INPUT,
                       "'%.32s' is not an encoding this system can read (e.g. CP932 for "
                       "Shift_JIS, EUC-JP, UTF-8)",
                       given);
    iconv_close(cd);
    return ERR_OK;
}

struct utf8_decoder {
    iconv_t cd;                       /* the C library's converter */
    int identity;                     /* the input is UTF-8: validate only */
    char name[UTF8_ENCODING_MAX + 1]; /* normalised encoding name */
};

struct utf8_decoder *utf8_decoder_open(const char *encoding, struct err *e)
{
    struct utf8_decoder *d = calloc(1, sizeof *d);
    if (d == NULL)
        return err_nomem(e), NULL;
    if (utf8_encoding_name(encoding, d->name, sizeof d->name, e) != ERR_OK) {
        free(d);
        return NULL;
    }
    d->identity = strcmp(d->name, "UTF-8") == 0;
    d->cd = d->identity ? (iconv_t)-1 : iconv_open("UTF-8", d->name);
    if (!d->identity && d->cd == (iconv_t)-1) {
        free(d);
        return err_set(e, ERR_INPUT, "'%.32s' is not an encoding this system can read", encoding),
               NULL;
    }
    return d;
}

void utf8_decoder_close(struct utf8_decoder *d)
{
    if (d == NULL)
        return;
    if (!d->identity)
        iconv_close(d->cd);
    free(d);
}

const char *utf8_decoder_encoding(const struct utf8_decoder *d)
{
    return d->name;
}

int utf8_decode(struct utf8_decoder *d, const char *in, size_t n, char *out, size_t cap,
                size_t *out_len, size_t *bad)
{
    *bad = 0;
    *out_len = 0;
    if (d->identity) {
        size_t k = utf8_check(in, n);
        if (k < n)
            return *bad = k, ERR_INPUT;
        if (n + 1 > cap)
            return ERR_LIMIT;
        memcpy(out, in, n);
        out[n] = '\0';
        *out_len = n;
        return ERR_OK;
    }
    if (cap == 0)
        return ERR_LIMIT;
    iconv(d->cd, NULL, NULL, NULL, NULL); /* initial shift state */
    char *ip = (char *)(uintptr_t)in, *op = out;
    size_t il = n, ol = cap - 1;
    size_t r = iconv(d->cd, &ip, &il, &op, &ol);
    if (r != (size_t)-1) {
        /* Flush a stateful encoding's pending output (ISO-2022-JP). */
        r = iconv(d->cd, NULL, NULL, &op, &ol);
    }
    if (r == (size_t)-1) {
        if (errno == E2BIG)
            return ERR_LIMIT;
        *bad = (size_t)(ip - in);
        return ERR_INPUT; /* EILSEQ: invalid; EINVAL: cut by the end */
    }
    *op = '\0';
    *out_len = (size_t)(op - out);
    /* iconv writes valid UTF-8; check anyway rather than trust a converter. */
    if (!utf8_valid(out, *out_len))
        return *bad = 0, ERR_INPUT;
    return ERR_OK;
}
