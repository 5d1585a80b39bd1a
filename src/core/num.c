/* SPDX-License-Identifier: MIT */
/* num.c - the strict number parsers declared in num.h. The text is checked
 * character by character before strtod/strtol see it, because those accept
 * hexadecimal, infinities, NaN and leading blanks on their own (the fuzz
 * target tests/fuzz/fuzz_query.c found the first of these); it is copied
 * into a bounded buffer so that a number inside a longer text can be read
 * without strtod running past it. */
#include "num.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Copies the number in p[0..n) into buf (NUM_TEXT_MAX bytes), blanks cut
 * when flags allow them. 0 when the text is empty, too long or holds a
 * character outside `chars`. */
static int num_text(const char *p, size_t n, unsigned flags, const char *chars, char *buf)
{
    if (flags & NUM_BLANKS) {
        while (n > 0 && (*p == ' ' || *p == '\t'))
            p++, n--;
        while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            n--;
    }
    if (n == 0 || n >= NUM_TEXT_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (p[i] == '\0' || strchr(chars, p[i]) == NULL)
            return 0;
    memcpy(buf, p, n);
    buf[n] = '\0';
    return 1;
}

/* The length of the text shown in an error message (at most 40 bytes). */
static int num_shown(size_t n)
{
    return n < 40 ? (int)n : 40;
}

int num_double_span(const char *p, size_t n, unsigned flags, const char *name, double min,
                    double max, double *out, struct err *e)
{
    char buf[NUM_TEXT_MAX];
    int ok = p != NULL && num_text(p, n, flags, "0123456789+-.eE", buf);
    double v = 0;
    if (ok) {
        char *end;
        errno = 0;
        v = strtod(buf, &end);
        ok = errno == 0 && end != buf && *end == '\0' && isfinite(v);
    }
    if (!ok)
        return err_set(e, ERR_INPUT, "%s '%.*s' is not a number", name, num_shown(n), p ? p : "");
    if (v < min || v > max)
        return err_set(e, ERR_INPUT, "%s must be between %g and %g", name, min, max);
    *out = v;
    return ERR_OK;
}

int num_double(const char *text, unsigned flags, const char *name, double min, double max,
               double *out, struct err *e)
{
    return num_double_span(text, text ? strlen(text) : 0, flags, name, min, max, out, e);
}

int num_long(const char *text, unsigned flags, const char *name, long min, long max, long *out,
             struct err *e)
{
    char buf[NUM_TEXT_MAX];
    int ok = text != NULL && num_text(text, strlen(text), flags, "0123456789+-", buf);
    long v = 0;
    if (ok) {
        char *end;
        errno = 0;
        v = strtol(buf, &end, 10);
        ok = errno == 0 && end != buf && *end == '\0';
    }
    if (!ok || v < min || v > max)
        return err_set(e, ERR_INPUT, "%s must be a whole number between %ld and %ld", name, min,
                       max);
    *out = v;
    return ERR_OK;
}
