/* SPDX-License-Identifier: MIT */
/* visit.c - checks a home visit as written (see visit.h). */
#include "visit.h"

#include "utf8.h"
#include "vocab.h"

#include <stdio.h>
#include <string.h>

/* 1 when s (n bytes) is valid UTF-8 whose characters are printable (no C0,
 * no DEL), allowing \n when `lines`; *chars receives the character count. */
static int visit_text_ok(const char *s, int lines, size_t *chars)
{
    size_t n = strlen(s), i = 0;
    *chars = 0;
    while (i < n) {
        int k = utf8_seq(s + i, n - i);
        if (k < 0)
            return 0;
        unsigned char c = (unsigned char)s[i];
        if (k == 1 && (c == 0x7F || (c < 0x20 && !(lines && c == '\n'))))
            return 0;
        i += (size_t)k;
        (*chars)++;
    }
    return 1;
}

/* Copies one visitor's name (len bytes at s) into out; ERR_INPUT. */
static int visit_visitor(const char *s, size_t len, const char *prefix, char *out, struct err *e)
{
    size_t chars;
    if (len == 0 || len > VISIT_VISITOR_MAX)
        return err_set(e, ERR_INPUT, "%svisitors must name one or two people of 1-%d bytes each",
                       prefix, VISIT_VISITOR_MAX);
    memcpy(out, s, len);
    out[len] = '\0';
    if (!visit_text_ok(out, 0, &chars) || out[0] == ' ' || out[len - 1] == ' ')
        return err_set(e, ERR_INPUT,
                       "%svisitors must be printable UTF-8 names without surrounding spaces",
                       prefix);
    return ERR_OK;
}

int visit_parse(const struct visit_text *t, const char *prefix, long today, struct visit *v,
                struct err *e)
{
    memset(v, 0, sizeof *v);
    char what[48];
    /* The household id: printable, bounded; never repeated in a sentence. */
    size_t len = t->household ? strlen(t->household) : 0;
    size_t chars;
    if (len == 0 || len > VISIT_ID_MAX || !visit_text_ok(t->household, 0, &chars))
        return err_set(e, ERR_INPUT, "%shousehold must be a household id of 1-%d printable bytes",
                       prefix, VISIT_ID_MAX);
    memcpy(v->household, t->household, len + 1);
    /* When. */
    long day, due;
    int minute;
    snprintf(what, sizeof what, "%sat", prefix);
    if (t->at == NULL)
        return err_set(e, ERR_INPUT, "%sat (the visit's local date and time) is required", prefix);
    if (date_minute(t->at, what, &day, &minute, e) != ERR_OK)
        return ERR_INPUT;
    if (day > today + VISIT_FUTURE_MAX_DAYS)
        return err_set(e, ERR_INPUT, "%sat lies in the future: record a visit once it is made",
                       prefix);
    memcpy(v->at, t->at, DATE_MINUTE_LEN + 1);
    v->at[10] = 'T';
    /* Who. */
    if (t->visitors == NULL)
        return err_set(e, ERR_INPUT, "%svisitors (one or two names) is required", prefix);
    const char *comma = strchr(t->visitors, ',');
    size_t n1 = comma ? (size_t)(comma - t->visitors) : strlen(t->visitors);
    if (visit_visitor(t->visitors, n1, prefix, v->visitor1, e) != ERR_OK)
        return ERR_INPUT;
    const char *second = comma ? comma + 1 : t->visitor2;
    if (comma && t->visitor2)
        return err_set(e, ERR_INPUT, "%svisitors names at most two people", prefix);
    if (second) {
        if (strchr(second, ',') != NULL)
            return err_set(e, ERR_INPUT, "%svisitors names at most two people", prefix);
        if (visit_visitor(second, strlen(second), prefix, v->visitor2, e) != ERR_OK)
            return ERR_INPUT;
        if (strcmp(v->visitor1, v->visitor2) == 0)
            return err_set(e, ERR_INPUT, "%svisitors names the same person twice", prefix);
    }
    /* What came of it. */
    if (t->outcome == NULL || (v->outcome = vocab_outcome(t->outcome)) == NULL)
        return err_set(e, ERR_INPUT,
                       "%soutcome must be one of 会えた, 不在, 拒否, 支援につないだ, 緊急対応, "
                       "その他 (or met, absent, refused, connected, emergency, other)",
                       prefix);
    if (t->note && t->note[0]) {
        len = strlen(t->note);
        if (len > VISIT_NOTE_MAX || !visit_text_ok(t->note, 1, &chars))
            return len > VISIT_NOTE_MAX
                       ? err_set(e, ERR_INPUT, "%snote is longer than %d characters", prefix,
                                 VISIT_NOTE_CHARS)
                       : err_set(e, ERR_INPUT,
                                 "%snote must be valid UTF-8 without control characters", prefix);
        if (chars > VISIT_NOTE_CHARS)
            return err_set(e, ERR_INPUT, "%snote is longer than %d characters", prefix,
                           VISIT_NOTE_CHARS);
        memcpy(v->note, t->note, len + 1);
    }
    /* When next. */
    if (t->next_due && t->next_due[0]) {
        snprintf(what, sizeof what, "%s%s", prefix, prefix[0] ? "next-due" : "next_due");
        if (date_day(t->next_due, what, &due, e) != ERR_OK)
            return ERR_INPUT;
        if (due <= day || due > day + VISIT_DUE_MAX_DAYS)
            return err_set(e, ERR_INPUT,
                           "%s must fall after the visit's day and within %d days of it", what,
                           VISIT_DUE_MAX_DAYS);
        memcpy(v->next_due, t->next_due, DATE_DAY_LEN + 1);
    }
    return ERR_OK;
}
