/* SPDX-License-Identifier: MIT */
/* escape.c - makes printed values inert for terminals and spreadsheets (see
 * escape.h). Hand-written: a byte-level rule of a dozen lines, which no
 * kept library states in this form. */
#include "escape.h"

#include <string.h>

/* Length of the escape of the byte sequence at p (a C0 or DEL byte, or a C1
 * control as UTF-8 C2 80..9F): the number of input bytes it covers, or 0
 * when p starts no control character. */
static size_t escape_control(const unsigned char *p)
{
    if (p[0] < 0x20 || p[0] == 0x7F)
        return 1;
    if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
        return 2;
    return 0;
}

/* 1 when a spreadsheet would take a cell starting with s as a formula. */
static int escape_formula(const char *s)
{
    return s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@';
}

/* Calls put(ctx, bytes, len) for each piece of the escaped form of s. */
static void escape_each(const char *s, void (*put)(void *, const char *, size_t), void *ctx)
{
    static const char hex[] = "0123456789abcdef";
    if (escape_formula(s))
        put(ctx, "'", 1);
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t c = escape_control(p);
        if (c == 0) {
            size_t run = 1;
            while (p[run] && escape_control(p + run) == 0)
                run++;
            put(ctx, (const char *)p, run);
            p += run;
            continue;
        }
        for (size_t i = 0; i < c; i++) {
            char esc[4] = {'\\', 'x', hex[p[i] >> 4], hex[p[i] & 15]};
            put(ctx, esc, sizeof esc);
        }
        p += c;
    }
}

/* The bounded buffer escape_text fills. */
struct escape_sink {
    char *buf;   /* the caller's buffer */
    size_t n;    /* its size */
    size_t used; /* bytes written, excluding the NUL */
    int full;    /* 1 once a piece did not fit: nothing more is written */
};

static void escape_put_buf(void *ctx, const char *p, size_t len)
{
    struct escape_sink *k = ctx;
    if (k->full)
        return;
    size_t room = k->n - 1 - k->used;
    if (len > room) {
        /* Cut text at a UTF-8 character boundary; an escape is not cut. */
        len = p[0] == '\\' || p[0] == '\'' ? 0 : room;
        while (len > 0 && ((unsigned char)p[len] & 0xC0) == 0x80)
            len--;
        k->full = 1;
    }
    memcpy(k->buf + k->used, p, len);
    k->used += len;
}

const char *escape_text(char *buf, size_t n, const char *s)
{
    struct escape_sink k = {buf, n, 0, 0};
    escape_each(s ? s : "", escape_put_buf, &k);
    buf[k.used] = '\0';
    return buf;
}

static void escape_put_csv(void *ctx, const char *p, size_t len)
{
    FILE *out = ctx;
    for (size_t i = 0; i < len; i++) {
        if (p[i] == '"')
            fputc('"', out);
        fputc(p[i], out);
    }
}

void escape_csv(FILE *out, const char *s)
{
    if (s == NULL || *s == '\0')
        return;
    size_t n = strlen(s);
    /* Control characters are escaped, so only these need quotes. */
    int quote = strpbrk(s, ",\"") != NULL || s[0] == ' ' || s[n - 1] == ' ';
    if (quote)
        fputc('"', out);
    escape_each(s, escape_put_csv, out);
    if (quote)
        fputc('"', out);
}

static void escape_put_html(void *ctx, const char *p, size_t len)
{
    FILE *out = ctx;
    for (size_t i = 0; i < len; i++)
        switch (p[i]) {
        case '&':
            fputs("&amp;", out);
            break;
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        case '\'':
            fputs("&#39;", out);
            break;
        default:
            fputc(p[i], out);
        }
}

void escape_html(FILE *out, const char *s)
{
    if (s != NULL)
        escape_each(s, escape_put_html, out);
}
