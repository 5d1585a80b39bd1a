/* SPDX-License-Identifier: MIT */
/* hours.c - the strict reader and evaluator of opening_hours (the subset
 * hours.h describes, after the OSM wiki's "Key:opening_hours/specification").
 *
 * Reading is a hand-written recursive descent over ASCII (why hand-written:
 * hours.h). Evaluation builds, for one day, a bitmap of the minutes it is
 * open (two days long, so a span past midnight spills into the next day)
 * by applying the rules in order: a normal (";") rule with a month, weekday
 * or PH selector that selects the day clears what earlier rules said about
 * it (including what they spilled into it from the day before), then opens
 * its spans, or closes them when it is "off"/"closed"; additional (",")
 * rules and rules of times alone only add. Where the specification leaves
 * room, the answers follow opening_hours.js, the reference implementation
 * (tests/cli_hours_osm.sh sets them side by side on real values).
 *
 * Entry points: hours_parse, hours_free, hours_rule_count, hours_open_at,
 * hours_open_on, hours_next_open, hours_when_parse, hours_when_matches. */
#include "hours.h"

#include "holidays.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOURS_DAY_MIN 1440
#define HOURS_SPAN_MAX (2 * HOURS_DAY_MIN) /* a span may end at 48:00 */

/* One rule of a value. */
struct hours_rule {
    unsigned char additional; /* joined to the rule before by ", " */
    unsigned char off;        /* "off" / "closed": its spans close */
    unsigned char has_days;   /* a weekday or PH selector was given */
    unsigned char ph;         /* PH is among the day selectors */
    unsigned char wdays;      /* bit w for weekday w (0 = Monday) */
    unsigned short months;    /* bit m-1 for month m; 0 = every month */
    unsigned short nth[7];    /* per weekday: bits 0..4 the 1st..5th, 5..9 the last..5th last
                                 of the month; 0 = every such weekday */
    int nspans;               /* 0 = the whole day */
    struct {
        short from, to; /* minutes from the day's start, from < to <= HOURS_SPAN_MAX */
    } spans[HOURS_MAX_SPANS];
};

struct hours {
    size_t n;              /* rules */
    struct hours_rule r[]; /* in the order written */
};

/* The reader's state. */
struct hours_reader {
    const char *s; /* the whole value */
    size_t pos;    /* next character */
    struct err *e;
};

static int hours_fail(struct hours_reader *p, const char *what)
{
    return err_set(p->e, ERR_INPUT, "opening_hours '%.80s': %s at character %zu", p->s, what,
                   p->pos + 1);
}

static void hours_skip_spaces(struct hours_reader *p)
{
    while (p->s[p->pos] == ' ')
        p->pos++;
}

static int hours_is_letter(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int hours_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The month (1..12) whose English abbreviation starts at q, else 0. */
static int hours_month_at(const char *q)
{
    static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    for (int i = 0; i < 12; i++)
        if (strncmp(q, names + 3 * i, 3) == 0 && !hours_is_letter(q[3]))
            return i + 1;
    return 0;
}

/* The weekday (0..6) whose two letters start at q, else -1. */
static int hours_wday_at(const char *q)
{
    static const char names[] = "MoTuWeThFrSaSu";
    for (int i = 0; i < 7; i++)
        if (q[0] == names[2 * i] && q[1] == names[2 * i + 1] && !hours_is_letter(q[2]))
            return i;
    return -1;
}

static int hours_ph_at(const char *q)
{
    return q[0] == 'P' && q[1] == 'H' && !hours_is_letter(q[2]);
}

/* 1 when the word w (lower-case letters) starts at q and ends there. */
static int hours_word_at(const char *q, const char *w)
{
    size_t n = strlen(w);
    return strncmp(q, w, n) == 0 && !hours_is_letter(q[n]) && q[n] != '/';
}

/* After a ',' at p->pos: the position of the next non-space character. */
static const char *hours_after_comma(const struct hours_reader *p)
{
    const char *q = p->s + p->pos + 1;
    while (*q == ' ')
        q++;
    return q;
}

/* Month selector: Jan, Apr-Sep, Dec-Feb, lists of them. */
static int hours_read_months(struct hours_reader *p, struct hours_rule *r)
{
    for (;;) {
        int a = hours_month_at(p->s + p->pos), b = a;
        p->pos += 3;
        if (p->s[p->pos] == '-') {
            b = hours_month_at(p->s + p->pos + 1);
            if (b == 0) {
                p->pos++;
                return hours_fail(p, "a month range needs a month after '-'");
            }
            p->pos += 4;
        }
        for (int m = a;; m = m % 12 + 1) {
            r->months |= (unsigned short)(1u << (m - 1));
            if (m == b)
                break;
        }
        if (p->s[p->pos] == ',' && hours_month_at(hours_after_comma(p))) {
            p->pos = (size_t)(hours_after_comma(p) - p->s);
            continue;
        }
        return ERR_OK;
    }
}

/* The [..] after a weekday: 1..5 and -1..-5, ranges 1-3, lists. */
static int hours_read_nth(struct hours_reader *p, unsigned short *mask)
{
    p->pos++; /* '[' */
    for (;;) {
        int neg = p->s[p->pos] == '-';
        char c = p->s[p->pos + neg];
        if (c < '1' || c > '5' || hours_is_digit(p->s[p->pos + neg + 1]))
            return hours_fail(p, "the nth weekday of a month must be 1..5 or -1..-5");
        int a = c - '0', b = a;
        p->pos += (size_t)neg + 1;
        if (!neg && p->s[p->pos] == '-') {
            c = p->s[p->pos + 1];
            if (c < '1' || c > '5' || c - '0' < a)
                return hours_fail(p, "a range of nth weekdays must be ascending within 1..5");
            b = c - '0';
            p->pos += 2;
        }
        for (int k = a; k <= b; k++)
            *mask |= (unsigned short)(1u << (neg ? 4 + k : k - 1));
        if (p->s[p->pos] == ',') {
            p->pos++;
            continue;
        }
        if (p->s[p->pos] != ']')
            return hours_fail(p, "expected ']' after the nth weekdays");
        p->pos++;
        return ERR_OK;
    }
}

/* Weekday selector: Mo, Mo-Fr, We[2,4], PH, lists of them. */
static int hours_read_days(struct hours_reader *p, struct hours_rule *r)
{
    r->has_days = 1;
    for (;;) {
        const char *q = p->s + p->pos;
        if (hours_ph_at(q)) {
            r->ph = 1;
            p->pos += 2;
        } else {
            int a = hours_wday_at(q), b = a;
            p->pos += 2;
            unsigned short nth = 0;
            if (p->s[p->pos] == '-') {
                b = hours_wday_at(p->s + p->pos + 1);
                if (b < 0) {
                    p->pos++;
                    return hours_fail(p, "a weekday range needs a weekday after '-'");
                }
                p->pos += 3;
            } else if (p->s[p->pos] == '[') {
                if (hours_read_nth(p, &nth) != ERR_OK)
                    return ERR_INPUT;
            }
            for (int w = a;; w = (w + 1) % 7) {
                if ((r->wdays & (1u << w)) && (nth == 0 || r->nth[w] == 0))
                    r->nth[w] = 0; /* every such weekday already */
                else if (r->wdays & (1u << w))
                    r->nth[w] |= nth;
                else
                    r->nth[w] = nth;
                r->wdays |= (unsigned char)(1u << w);
                if (w == b)
                    break;
            }
        }
        if (p->s[p->pos] == ',') {
            const char *n = hours_after_comma(p);
            if (hours_wday_at(n) >= 0 || hours_ph_at(n)) {
                p->pos = (size_t)(n - p->s);
                continue;
            }
        }
        if (strncmp(p->s + p->pos, "SH", 2) == 0 ||
            (p->s[p->pos] == ' ' && strncmp(p->s + p->pos + 1, "SH", 2) == 0))
            return hours_fail(p, "school holidays (SH) are not supported");
        return ERR_OK;
    }
}

/* HH:MM at p->pos into *min; max_hour bounds the hour. */
static int hours_read_clock(struct hours_reader *p, int max_hour, int *min)
{
    const char *q = p->s + p->pos;
    if (!hours_is_digit(q[0]) || !hours_is_digit(q[1]) || q[2] != ':' || !hours_is_digit(q[3]) ||
        !hours_is_digit(q[4]) || hours_is_digit(q[5]))
        return hours_fail(p, "expected a time written HH:MM");
    int h = (q[0] - '0') * 10 + (q[1] - '0'), m = (q[3] - '0') * 10 + (q[4] - '0');
    if (m > 59 || h * 60 + m > max_hour * 60)
        return hours_fail(p, "no such time of day");
    *min = h * 60 + m;
    p->pos += 5;
    return ERR_OK;
}

/* Time selector: 08:30-12:00,13:00-17:15. */
static int hours_read_spans(struct hours_reader *p, struct hours_rule *r)
{
    for (;;) {
        int from, to;
        if (r->nspans == HOURS_MAX_SPANS)
            return err_set(p->e, ERR_LIMIT,
                           "opening_hours '%.80s': more than %d time spans in one rule", p->s,
                           HOURS_MAX_SPANS);
        if (hours_read_clock(p, 23, &from) != ERR_OK)
            return ERR_INPUT;
        if (p->s[p->pos] == '+')
            return hours_fail(p, "open ends ('+') are not supported");
        if (p->s[p->pos] != '-')
            return hours_fail(p, "expected '-' and the end of the time span");
        p->pos++;
        if (hours_read_clock(p, 48, &to) != ERR_OK)
            return ERR_INPUT;
        if (to == from)
            return hours_fail(p, "a time span must not end where it starts");
        if (to < from)
            to += HOURS_DAY_MIN; /* runs past midnight */
        if (to > HOURS_SPAN_MAX)
            return hours_fail(p, "a time span may last at most until 48:00");
        r->spans[r->nspans].from = (short)from;
        r->spans[r->nspans].to = (short)to;
        r->nspans++;
        if (p->s[p->pos] == ',' && hours_is_digit(*hours_after_comma(p))) {
            p->pos = (size_t)(hours_after_comma(p) - p->s);
            continue;
        }
        return ERR_OK;
    }
}

/* One rule: 24/7 or [months] [days] [spans], then a modifier. */
static int hours_read_rule(struct hours_reader *p, struct hours_rule *r)
{
    int any = 0;
    hours_skip_spaces(p);
    const char *q = p->s + p->pos;
    if (strncmp(q, "24/7", 4) == 0) {
        p->pos += 4;
        any = 1;
    } else {
        if (hours_month_at(q)) {
            if (hours_read_months(p, r) != ERR_OK)
                return ERR_INPUT;
            any = 1;
            hours_skip_spaces(p);
            if (hours_is_digit(p->s[p->pos]) && !hours_is_digit(p->s[p->pos + 1]))
                return hours_fail(p, "dates within a month are not supported");
        }
        q = p->s + p->pos;
        if (hours_wday_at(q) >= 0 || hours_ph_at(q)) {
            if (hours_read_days(p, r) != ERR_OK)
                return ERR_INPUT;
            any = 1;
            hours_skip_spaces(p);
        }
        if (hours_is_digit(p->s[p->pos])) {
            if (!hours_is_digit(p->s[p->pos + 1]) || p->s[p->pos + 2] != ':')
                return hours_fail(p, "years, weeks and dates are not supported");
            int rc = hours_read_spans(p, r);
            if (rc != ERR_OK)
                return rc;
            any = 1;
        }
    }
    hours_skip_spaces(p);
    q = p->s + p->pos;
    if (hours_word_at(q, "off") || hours_word_at(q, "closed")) {
        r->off = 1;
        p->pos += q[0] == 'o' ? 3 : 6;
        any = 1;
    } else if (hours_word_at(q, "open")) {
        p->pos += 4;
        any = 1;
    } else if (hours_word_at(q, "unknown")) {
        return hours_fail(p, "the modifier 'unknown' is not supported");
    } else if (*q == '"') {
        return hours_fail(p, "comments are not supported");
    } else if (strncmp(q, "sunrise", 7) == 0 || strncmp(q, "sunset", 6) == 0 ||
               strncmp(q, "dawn", 4) == 0 || strncmp(q, "dusk", 4) == 0) {
        return hours_fail(p, "times of the sun are not supported");
    }
    if (!any)
        return hours_fail(p, *q ? "expected a rule (24/7, a month, a weekday, PH or a time)"
                                : "expected a rule after the separator");
    return ERR_OK;
}

int hours_parse(const char *text, struct hours **out, struct err *e)
{
    *out = NULL;
    if (text == NULL)
        return err_set(e, ERR_INPUT, "opening_hours is missing");
    size_t len = strnlen(text, HOURS_MAX_TEXT + 1);
    if (len > HOURS_MAX_TEXT)
        return err_set(e, ERR_LIMIT, "opening_hours is longer than %d bytes", HOURS_MAX_TEXT);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)text[i] < 0x20 || (unsigned char)text[i] > 0x7e)
            return err_set(e, ERR_INPUT,
                           "opening_hours has a character outside printable ASCII at byte %zu",
                           i + 1);
    struct hours_rule rules[HOURS_MAX_RULES];
    struct hours_reader p = {text, 0, e};
    size_t n = 0;
    int additional = 0;
    for (;;) {
        if (n == HOURS_MAX_RULES)
            return err_set(e, ERR_LIMIT, "opening_hours '%.80s' has more than %d rules", text,
                           HOURS_MAX_RULES);
        memset(&rules[n], 0, sizeof rules[n]);
        rules[n].additional = (unsigned char)additional;
        int rc = hours_read_rule(&p, &rules[n]);
        if (rc != ERR_OK)
            return rc;
        n++;
        hours_skip_spaces(&p);
        char c = text[p.pos];
        if (c == '\0')
            break;
        if (c == '|')
            return hours_fail(&p, "fallback rules ('||') are not supported");
        if (c != ';' && c != ',')
            return hours_fail(&p, "expected ';' or ',' between rules");
        additional = c == ',';
        p.pos++;
    }
    struct hours *h = malloc(sizeof *h + n * sizeof h->r[0]);
    if (h == NULL)
        return err_nomem(e);
    h->n = n;
    memcpy(h->r, rules, n * sizeof rules[0]);
    *out = h;
    return ERR_OK;
}

void hours_free(struct hours *h)
{
    free(h);
}

size_t hours_rule_count(const struct hours *h)
{
    return h ? h->n : 0;
}

/* ---- evaluation ---- */

/* The open minutes of one day and the next (bit i = minute i from the day's start). */
struct hours_day {
    unsigned char bit[HOURS_SPAN_MAX / 8];
};

static void hours_day_fill(struct hours_day *d, int from, int to, int on)
{
    for (int i = from; i < to;) {
        if (i % 8 == 0 && i + 8 <= to) {
            d->bit[i / 8] = on ? 0xff : 0;
            i += 8;
        } else {
            if (on)
                d->bit[i / 8] |= (unsigned char)(1u << (i % 8));
            else
                d->bit[i / 8] &= (unsigned char)~(1u << (i % 8));
            i++;
        }
    }
}

static int hours_day_get(const struct hours_day *d, int i)
{
    return (d->bit[i / 8] >> (i % 8)) & 1;
}

/* 1 when rule r selects the day `dayno`. */
static int hours_rule_selects(const struct hours_rule *r, long dayno)
{
    int y, m, d;
    hours_date_from_day(dayno, &y, &m, &d);
    if (r->months && !(r->months & (1u << (m - 1))))
        return 0;
    if (!r->has_days)
        return 1;
    if (r->ph && holidays_name(y, m, d))
        return 1;
    int w = hours_day_weekday(dayno);
    if (!(r->wdays & (1u << w)))
        return 0;
    if (r->nth[w] == 0)
        return 1;
    int k = (d - 1) / 7, kl = (hours_month_days(y, m) - d) / 7; /* 0-based from start and end */
    return ((r->nth[w] >> k) & 1) || ((r->nth[w] >> (5 + kl)) & 1);
}

/* Evaluates the rules from index `from` on for day `dayno` into out and
 * returns the index of the last rule that replaced what earlier rules said
 * about the day (0 when none did). A rule replaces when it is a normal (";")
 * rule with a month, weekday or PH selector: a rule of times alone adds to
 * the day, as opening_hours.js reads "Mo-Fr 08:00-12:00; 13:30-18:00". */
static size_t hours_day_eval(const struct hours *h, long dayno, size_t from, struct hours_day *out)
{
    size_t reset = 0;
    memset(out, 0, sizeof *out);
    for (size_t i = from; i < h->n; i++) {
        const struct hours_rule *r = &h->r[i];
        if (!hours_rule_selects(r, dayno))
            continue;
        if (!r->additional && (r->has_days || r->months)) {
            memset(out, 0, sizeof *out);
            reset = i;
        }
        if (r->nspans == 0)
            hours_day_fill(out, 0, HOURS_DAY_MIN, !r->off);
        for (int k = 0; k < r->nspans; k++)
            hours_day_fill(out, r->spans[k].from, r->spans[k].to, !r->off);
    }
    return reset;
}

/* The open minutes of day `dayno` (bits 0..1439 of *cur) and what spills
 * into it from the day before (bits 1440.. of *prev). A rule that replaces
 * the day also ends what earlier rules spilled into it ("Mo-Fr 16:00-01:00;
 * Sa 12:00-01:00" is closed at 00:30 on Saturday), but not what it or later
 * rules spilled. `prev_all` is the day before evaluated with every rule, when
 * the caller has it (NULL: evaluated here). */
static void hours_day_pair(const struct hours *h, long dayno, const struct hours_day *prev_all,
                           struct hours_day *prev, struct hours_day *cur)
{
    size_t reset = hours_day_eval(h, dayno, 0, cur);
    if (reset == 0 && prev_all)
        *prev = *prev_all;
    else
        hours_day_eval(h, dayno - 1, reset, prev);
}

/* Minute `m` (0..1439) of day cur, given what spills from the day before. */
static int hours_minute_open(const struct hours_day *prev, const struct hours_day *cur, int m)
{
    return hours_day_get(cur, m) || hours_day_get(prev, HOURS_DAY_MIN + m);
}

int hours_open_at(const struct hours *h, const struct hours_time *t)
{
    long day = hours_day_from_date(t->year, t->month, t->day);
    struct hours_day prev, cur;
    hours_day_pair(h, day, NULL, &prev, &cur);
    return hours_minute_open(&prev, &cur, t->minute);
}

int hours_open_on(const struct hours *h, int wday, const struct hours_time *from)
{
    long day = hours_day_from_date(from->year, from->month, from->day);
    for (long k = 0; k < HOURS_LOOKAHEAD_DAYS; k++) {
        if (hours_day_weekday(day + k) != wday)
            continue;
        struct hours_day prev, cur;
        hours_day_pair(h, day + k, NULL, &prev, &cur);
        for (int m = 0; m < HOURS_DAY_MIN; m++)
            if (hours_minute_open(&prev, &cur, m))
                return 1;
    }
    return 0;
}

int hours_next_open(const struct hours *h, const struct hours_time *from, int wday,
                    struct hours_time *next)
{
    long day = hours_day_from_date(from->year, from->month, from->day);
    struct hours_day all, prev, cur;
    hours_day_eval(h, day - 1, 0, &all);
    for (long k = 0; k < HOURS_LOOKAHEAD_DAYS; k++) {
        hours_day_pair(h, day + k, &all, &prev, &cur);
        int skip = wday >= 0 && hours_day_weekday(day + k) != wday;
        for (int m = k == 0 ? from->minute : 0; !skip && m < HOURS_DAY_MIN; m++)
            if (hours_minute_open(&prev, &cur, m)) {
                hours_date_from_day(day + k, &next->year, &next->month, &next->day);
                next->minute = m;
                return 1;
            }
        all = cur;
    }
    return 0;
}

/* ---- filters ---- */

int hours_when_parse(const char *open_at, const char *open_on, const char *prefix, char sep,
                     const struct hours_time *today, struct hours_when *w, struct err *e)
{
    char at_name[48], on_name[48];
    snprintf(at_name, sizeof at_name, "%sopen%cat", prefix, sep);
    snprintf(on_name, sizeof on_name, "%sopen%con", prefix, sep);
    memset(w, 0, sizeof *w);
    w->at = *today;
    if (open_at && open_on)
        return err_set(e, ERR_INPUT, "give %s or %s, not both", at_name, on_name);
    if (open_at) {
        if (hours_time_parse(open_at, at_name, &w->at, e) != ERR_OK)
            return ERR_INPUT;
        if (!holidays_covers(w->at.year))
            return err_set(e, ERR_INPUT,
                           "%s: Japan's public holidays are known for %d..%d only, not %d", at_name,
                           HOLIDAYS_FIRST_YEAR, HOLIDAYS_LAST_YEAR, w->at.year);
        w->mode = HOURS_WHEN_AT;
    } else if (open_on) {
        if (hours_weekday_parse(open_on, on_name, &w->wday, e) != ERR_OK)
            return ERR_INPUT;
        w->mode = HOURS_WHEN_ON;
    }
    return ERR_OK;
}

int hours_when_matches(const struct hours *h, const struct hours_when *w)
{
    if (w == NULL || w->mode == HOURS_WHEN_ANY)
        return 1;
    if (h == NULL)
        return 0;
    return w->mode == HOURS_WHEN_AT ? hours_open_at(h, &w->at) : hours_open_on(h, w->wday, &w->at);
}
