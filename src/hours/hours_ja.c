/* SPDX-License-Identifier: MIT */
/* hours_ja.c - Japanese schedule texts read into opening_hours.
 *
 * The text is cut into tokens by a longest-match table (full-width digits,
 * colons and dashes map to their ASCII forms), then read as a sequence of
 * clauses: a day group (月〜金, 月・水・金, 土日祝, 平日, 毎日, 第2・第4水曜日),
 * times (8:30〜17:15, 10時〜12時, 13時半〜15時, several), and 休み/休館/...
 * for a closed clause. A day group that follows times or 休み starts a new
 * clause. Open clauses are written first and closed ones last, so that
 * "土日祝休み" overrides a weekday that is a holiday as the Japanese means.
 * Anything the table does not know makes the whole text unread: a schedule
 * is never half-understood.
 *
 * Entry points: hours_ja_read, hours_ja_schedule. */
#include "hours_ja.h"

#include "hours.h"

#include <stdio.h>
#include <string.h>

enum hours_ja_tok {
    JA_DAY,      /* v = weekday 0..6 */
    JA_PH,       /* 祝日 */
    JA_WEEKDAYS, /* 平日 */
    JA_DAILY,    /* 毎日 */
    JA_NTH,      /* 第 */
    JA_NUM,      /* v = number */
    JA_COLON,
    JA_HOUR, /* 時 */
    JA_MIN,  /* 分 */
    JA_HALF, /* 半 */
    JA_PM,   /* 午後 */
    JA_AM,   /* 午前 */
    JA_NOON, /* 正午 */
    JA_RANGE,
    JA_LIST,
    JA_OFF,
    JA_SKIP /* dropped: spaces, 毎週, 曜日, brackets, ... */
};

/* Words, longest first where one is a prefix of another. */
static const struct {
    const char *text;
    int tok, v;
} hours_ja_words[] = {
    {"年中無休", JA_DAILY, 0}, {"定休日", JA_OFF, 0}, {"祝祭日", JA_PH, 0},
    {"月曜日", JA_DAY, 0},     {"火曜日", JA_DAY, 1}, {"水曜日", JA_DAY, 2},
    {"木曜日", JA_DAY, 3},     {"金曜日", JA_DAY, 4}, {"土曜日", JA_DAY, 5},
    {"日曜日", JA_DAY, 6},     {"お休み", JA_OFF, 0}, {"毎週", JA_SKIP, 0},
    {"毎月", JA_SKIP, 0},      {"毎日", JA_DAILY, 0}, {"平日", JA_WEEKDAYS, 0},
    {"祝日", JA_PH, 0},        {"祭日", JA_PH, 0},    {"休日", JA_PH, 0},
    {"休み", JA_OFF, 0},       {"休館", JA_OFF, 0},   {"休業", JA_OFF, 0},
    {"休所", JA_OFF, 0},       {"閉館", JA_OFF, 0},   {"定休", JA_OFF, 0},
    {"休", JA_OFF, 0},         {"午後", JA_PM, 0},    {"午前", JA_AM, 0},
    {"正午", JA_NOON, 0},      {"曜日", JA_SKIP, 0},  {"曜", JA_SKIP, 0},
    {"まで", JA_SKIP, 0},      {"から", JA_RANGE, 0}, {"月", JA_DAY, 0},
    {"火", JA_DAY, 1},         {"水", JA_DAY, 2},     {"木", JA_DAY, 3},
    {"金", JA_DAY, 4},         {"土", JA_DAY, 5},     {"日", JA_DAY, 6},
    {"祝", JA_PH, 0},          {"第", JA_NTH, 0},     {"時", JA_HOUR, 0},
    {"分", JA_MIN, 0},         {"半", JA_HALF, 0},    {"は", JA_SKIP, 0},
    {"：", JA_COLON, 0},       {":", JA_COLON, 0},    {"〜", JA_RANGE, 0},
    {"～", JA_RANGE, 0},       {"~", JA_RANGE, 0},    {"－", JA_RANGE, 0},
    {"-", JA_RANGE, 0},        {"‐", JA_RANGE, 0},    {"−", JA_RANGE, 0},
    {"―", JA_RANGE, 0},        {"ー", JA_RANGE, 0},   {"・", JA_LIST, 0},
    {"、", JA_LIST, 0},        {",", JA_LIST, 0},     {"，", JA_LIST, 0},
    {"･", JA_LIST, 0},         {"と", JA_LIST, 0},    {" ", JA_SKIP, 0},
    {"　", JA_SKIP, 0},        {"。", JA_SKIP, 0},    {"；", JA_SKIP, 0},
    {";", JA_SKIP, 0},         {"/", JA_SKIP, 0},     {"／", JA_SKIP, 0},
    {"(", JA_SKIP, 0},         {")", JA_SKIP, 0},     {"（", JA_SKIP, 0},
    {"）", JA_SKIP, 0},        {"【", JA_SKIP, 0},    {"】", JA_SKIP, 0},
    {"\n", JA_SKIP, 0},        {"\r", JA_SKIP, 0},    {"\t", JA_SKIP, 0},
};

#define HOURS_JA_MAX_TOKENS 160
#define HOURS_JA_MAX_CLAUSES 12

struct hours_ja_token {
    int tok, v;
};

/* Cuts text into tokens (SKIP dropped). ERR_INPUT naming the first
 * character no word matches. */
static int hours_ja_tokens(const char *text, struct hours_ja_token *t, size_t *n, struct err *e)
{
    const char *p = text;
    *n = 0;
    while (*p) {
        int tok = -1, v = 0;
        size_t len = 0;
        if ((*p >= '0' && *p <= '9') || strncmp(p, "\xef\xbc", 2) == 0) {
            /* ASCII digits and full-width ０..９ (EF BC 90..99) */
            long num = 0;
            int digits = 0;
            for (;;) {
                if (p[len] >= '0' && p[len] <= '9') {
                    num = num * 10 + (p[len] - '0');
                    len++;
                } else if ((unsigned char)p[len] == 0xef && (unsigned char)p[len + 1] == 0xbc &&
                           (unsigned char)p[len + 2] >= 0x90 && (unsigned char)p[len + 2] <= 0x99) {
                    num = num * 10 + ((unsigned char)p[len + 2] - 0x90);
                    len += 3;
                } else {
                    break;
                }
                if (++digits > 2)
                    return err_set(e, ERR_INPUT,
                                   "schedule '%.80s': a number has more than two digits", text);
            }
            if (digits > 0) {
                tok = JA_NUM;
                v = (int)num;
            }
        }
        if (tok < 0) {
            for (size_t i = 0; i < sizeof hours_ja_words / sizeof hours_ja_words[0]; i++) {
                size_t l = strlen(hours_ja_words[i].text);
                if (strncmp(p, hours_ja_words[i].text, l) == 0) {
                    tok = hours_ja_words[i].tok;
                    v = hours_ja_words[i].v;
                    len = l;
                    break;
                }
            }
        }
        if (tok < 0)
            return err_set(e, ERR_INPUT, "schedule '%.80s': cannot read '%.12s'", text, p);
        p += len;
        if (tok == JA_SKIP)
            continue;
        if (*n == HOURS_JA_MAX_TOKENS)
            return err_set(e, ERR_LIMIT, "schedule '%.80s' has too many parts", text);
        t[*n].tok = tok;
        t[*n].v = v;
        (*n)++;
    }
    return ERR_OK;
}

/* One clause being built. */
struct hours_ja_clause {
    char days[96];   /* OSM weekday selector, "" = every day */
    char spans[160]; /* OSM time selector, "" = none */
    int off;         /* 休み */
    int daily;       /* 毎日 given */
};

/* The reader's state over the tokens. */
struct hours_ja_reader {
    const struct hours_ja_token *t;
    size_t n, i;
    const char *text;
    struct err *e;
};

static int hours_ja_at(const struct hours_ja_reader *r, int tok)
{
    return r->i < r->n && r->t[r->i].tok == tok;
}

static int hours_ja_fail(struct hours_ja_reader *r, const char *what)
{
    return err_set(r->e, ERR_INPUT, "schedule '%.80s': %s", r->text, what);
}

static int hours_ja_append(char *buf, size_t size, const char *sep, const char *s)
{
    size_t len = strlen(buf);
    int w = snprintf(buf + len, size - len, "%s%s", len ? sep : "", s);
    return w < 0 || (size_t)w >= size - len ? ERR_LIMIT : ERR_OK;
}

/* One day item at r->i into c->days: 第2・第4水曜日, 月〜金, 月, 祝, 平日, 毎日. */
static int hours_ja_day_item(struct hours_ja_reader *r, struct hours_ja_clause *c)
{
    char item[48];
    if (hours_ja_at(r, JA_NTH)) {
        int nth[5], k = 0;
        r->i++;
        for (;;) {
            if (!hours_ja_at(r, JA_NUM) || r->t[r->i].v < 1 || r->t[r->i].v > 5 || k == 5)
                return hours_ja_fail(r, "第 must be followed by 1..5");
            nth[k++] = r->t[r->i++].v;
            size_t j = r->i;
            if (hours_ja_at(r, JA_LIST) && j + 1 < r->n &&
                (r->t[j + 1].tok == JA_NUM || r->t[j + 1].tok == JA_NTH)) {
                r->i += r->t[j + 1].tok == JA_NTH ? 2 : 1;
                continue;
            }
            break;
        }
        if (!hours_ja_at(r, JA_DAY))
            return hours_ja_fail(r, "第N must be followed by a weekday");
        int len = snprintf(item, sizeof item, "%s[", hours_weekday_name(r->t[r->i++].v));
        for (int j = 0; j < k; j++)
            len += snprintf(item + len, sizeof item - (size_t)len, "%s%d", j ? "," : "", nth[j]);
        snprintf(item + len, sizeof item - (size_t)len, "]");
    } else if (hours_ja_at(r, JA_DAY)) {
        int a = r->t[r->i++].v;
        if (hours_ja_at(r, JA_RANGE) && r->i + 1 < r->n && r->t[r->i + 1].tok == JA_DAY) {
            int b = r->t[r->i + 1].v;
            r->i += 2;
            snprintf(item, sizeof item, "%s-%s", hours_weekday_name(a), hours_weekday_name(b));
        } else {
            snprintf(item, sizeof item, "%s", hours_weekday_name(a));
        }
    } else if (hours_ja_at(r, JA_PH)) {
        r->i++;
        snprintf(item, sizeof item, "PH");
    } else if (hours_ja_at(r, JA_WEEKDAYS)) {
        r->i++;
        snprintf(item, sizeof item, "Mo-Fr");
    } else { /* JA_DAILY */
        r->i++;
        c->daily = 1;
        return ERR_OK;
    }
    if (hours_ja_append(c->days, sizeof c->days, ",", item) != ERR_OK)
        return hours_ja_fail(r, "too many days");
    return ERR_OK;
}

static int hours_ja_is_day(const struct hours_ja_reader *r)
{
    return hours_ja_at(r, JA_DAY) || hours_ja_at(r, JA_PH) || hours_ja_at(r, JA_WEEKDAYS) ||
           hours_ja_at(r, JA_DAILY) || hours_ja_at(r, JA_NTH);
}

/* One clock time at r->i: 8:30, 10時, 10時30分, 13時半, 午後1時, 正午. */
static int hours_ja_clock(struct hours_ja_reader *r, int *min)
{
    int pm = 0, h, m = 0;
    if (hours_ja_at(r, JA_NOON)) {
        r->i++;
        *min = 12 * 60;
        return ERR_OK;
    }
    if (hours_ja_at(r, JA_PM) || hours_ja_at(r, JA_AM)) {
        pm = hours_ja_at(r, JA_PM);
        r->i++;
    }
    if (!hours_ja_at(r, JA_NUM))
        return hours_ja_fail(r, "expected a time");
    h = r->t[r->i++].v;
    if (hours_ja_at(r, JA_COLON)) {
        r->i++;
        if (!hours_ja_at(r, JA_NUM))
            return hours_ja_fail(r, "expected minutes after ':'");
        m = r->t[r->i++].v;
    } else if (hours_ja_at(r, JA_HOUR)) {
        r->i++;
        if (hours_ja_at(r, JA_HALF)) {
            r->i++;
            m = 30;
        } else if (hours_ja_at(r, JA_NUM) && r->i + 1 < r->n && r->t[r->i + 1].tok == JA_MIN) {
            m = r->t[r->i].v;
            r->i += 2;
        }
    } else {
        return hours_ja_fail(r, "a time needs ':' or 時");
    }
    if (pm) {
        if (h > 12)
            return hours_ja_fail(r, "午後 with an hour past 12");
        h += h == 12 ? 0 : 12;
    }
    if (m > 59 || h > 24 || (h == 24 && m > 0))
        return hours_ja_fail(r, "no such time of day");
    *min = h * 60 + m;
    return ERR_OK;
}

/* One time span at r->i into c->spans. */
static int hours_ja_span(struct hours_ja_reader *r, struct hours_ja_clause *c)
{
    int from = 0,
        to = 0; /* set by hours_ja_clock on success; zero for the Release build's flow analysis */
    if (hours_ja_clock(r, &from) != ERR_OK)
        return ERR_INPUT;
    if (!hours_ja_at(r, JA_RANGE))
        return hours_ja_fail(r, "a time must be followed by 〜 and the end time");
    r->i++;
    if (hours_ja_clock(r, &to) != ERR_OK)
        return ERR_INPUT;
    char span[48];
    snprintf(span, sizeof span, "%02d:%02d-%02d:%02d", from / 60, from % 60, to / 60, to % 60);
    if (hours_ja_append(c->spans, sizeof c->spans, ",", span) != ERR_OK)
        return hours_ja_fail(r, "too many times");
    return ERR_OK;
}

static int hours_ja_clause_write(const struct hours_ja_clause *c, char *out, size_t size)
{
    char rule[280];
    snprintf(rule, sizeof rule, "%s%s%s%s", c->days, c->days[0] && c->spans[0] ? " " : "", c->spans,
             c->off ? (c->days[0] || c->spans[0] ? " off" : "off") : "");
    return hours_ja_append(out, size, "; ", rule);
}

int hours_ja_read(const char *text, char *out, size_t size, struct err *e)
{
    struct hours_ja_token t[HOURS_JA_MAX_TOKENS];
    struct hours_ja_clause cl[HOURS_JA_MAX_CLAUSES];
    size_t n = 0, ncl = 0;
    out[0] = '\0';
    if (strlen(text) > HOURS_JA_MAX_TEXT)
        return err_set(e, ERR_LIMIT, "schedule is longer than %d bytes", HOURS_JA_MAX_TEXT);
    int rc = hours_ja_tokens(text, t, &n, e);
    if (rc != ERR_OK)
        return rc;
    struct hours_ja_reader r = {t, n, 0, text, e};
    struct hours_ja_clause *c = NULL;
    while (r.i < r.n) {
        int start = c == NULL || c->spans[0] || c->off;
        if (hours_ja_is_day(&r) || start) {
            if (start) {
                if (ncl == HOURS_JA_MAX_CLAUSES)
                    return hours_ja_fail(&r, "too many parts");
                c = &cl[ncl++];
                memset(c, 0, sizeof *c);
            }
            if (hours_ja_is_day(&r)) {
                if (hours_ja_day_item(&r, c) != ERR_OK)
                    return ERR_INPUT;
                if (hours_ja_at(&r, JA_LIST) && r.i + 1 < r.n) {
                    size_t save = r.i++;
                    if (!hours_ja_is_day(&r))
                        r.i = save;
                }
                continue;
            }
        }
        if (hours_ja_at(&r, JA_OFF)) {
            if (c->spans[0] || !(c->days[0] || c->daily))
                return hours_ja_fail(&r, "休み must follow the days it closes");
            c->off = 1;
            r.i++;
            continue;
        }
        if (hours_ja_at(&r, JA_LIST) && c->spans[0]) {
            r.i++;
            continue;
        }
        if (hours_ja_span(&r, c) != ERR_OK)
            return ERR_INPUT;
        /* Several spans: 9:00〜12:00、13:00〜17:00 or separated by a space. */
        while (hours_ja_at(&r, JA_LIST) || hours_ja_at(&r, JA_NUM) || hours_ja_at(&r, JA_PM) ||
               hours_ja_at(&r, JA_AM) || hours_ja_at(&r, JA_NOON)) {
            if (hours_ja_at(&r, JA_LIST)) {
                r.i++;
                if (!(hours_ja_at(&r, JA_NUM) || hours_ja_at(&r, JA_PM) || hours_ja_at(&r, JA_AM) ||
                      hours_ja_at(&r, JA_NOON)))
                    break;
            }
            if (hours_ja_span(&r, c) != ERR_OK)
                return ERR_INPUT;
        }
    }
    if (ncl == 0)
        return err_set(e, ERR_INPUT, "schedule '%.80s' says nothing", text);
    for (size_t i = 0; i < ncl; i++)
        if (!cl[i].spans[0] && !cl[i].off)
            return err_set(e, ERR_INPUT, "schedule '%.80s': days without times", text);
    /* Open clauses first, closed ones last (they override). */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < ncl; i++)
            if (cl[i].off == pass && hours_ja_clause_write(&cl[i], out, size) != ERR_OK) {
                out[0] = '\0';
                return err_set(e, ERR_LIMIT, "schedule '%.80s' is too long to write", text);
            }
    struct hours *h = NULL;
    struct err pe = {0};
    rc = hours_parse(out, &h, &pe);
    hours_free(h);
    if (rc != ERR_OK) {
        err_set(e, rc, "schedule '%.80s' read as '%.80s', which is not valid: %s", text, out,
                pe.msg);
        out[0] = '\0';
        return rc;
    }
    return ERR_OK;
}

int hours_ja_schedule(const char *text, char *out, size_t size)
{
    struct hours *h = NULL;
    out[0] = '\0';
    if (text == NULL)
        return 0;
    if (hours_parse(text, &h, NULL) == ERR_OK) {
        hours_free(h);
        if (strlen(text) >= size)
            return 0;
        memcpy(out, text, strlen(text) + 1);
        return 1;
    }
    if (size >= HOURS_JA_OUT && hours_ja_read(text, out, size, NULL) == ERR_OK)
        return 1;
    if (strlen(text) >= size)
        return 0;
    memcpy(out, text, strlen(text) + 1);
    return 0;
}
