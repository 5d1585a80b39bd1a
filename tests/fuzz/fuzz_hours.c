/* SPDX-License-Identifier: MIT */
/* fuzz_hours.c - fuzz target for opening hours (src/hours): the strict
 * opening_hours reader and its evaluator (hours.c), the Japanese schedule
 * reader (hours_ja.c) and the readers of --open-at / --open-on
 * (hours_time.c). The input is one text (a NUL byte ends it); its first
 * bytes also pick the moments evaluated. Invariants:
 *   - hours_parse either returns a value of 1..HOURS_MAX_RULES rules or
 *     NULL with a sentence naming opening_hours;
 *   - at a moment it is open, hours_next_open answers that moment; any
 *     answer of hours_next_open is a moment it is open, on the weekday
 *     asked for; hours_open_on agrees with hours_next_open from the same
 *     day for that weekday;
 *   - hours_ja_read's output, when it reads the text, is an opening_hours
 *     value hours_parse accepts, and hours_ja_schedule says 1 exactly when
 *     what it stores parses;
 *   - a time hours_time_parse accepts formats back to the same text (with T). */
#include "fuzzutil.h"
#include "hours.h"
#include "hours_ja.h"
#include "hours_time.h"

#include <stdlib.h>
#include <string.h>

static void fuzz_hours_eval(const struct hours *h, const uint8_t *data, size_t size)
{
    for (int i = 0; i < 4; i++) {
        unsigned a = size > (size_t)i * 2 ? data[i * 2] : 0u;
        unsigned b = size > (size_t)i * 2 + 1 ? data[i * 2 + 1] : 0u;
        long day = hours_day_from_date(2024, 1, 1) + (long)((a * 11u + b) % 2557u);
        struct hours_time t, next;
        hours_date_from_day(day, &t.year, &t.month, &t.day);
        t.minute = (int)((a * 256u + b) % 1440u);
        int open = hours_open_at(h, &t);
        int found = hours_next_open(h, &t, -1, &next);
        if (open)
            fz_check(found && memcmp(&next, &t, sizeof t) == 0,
                     "open now: the next opening is now");
        if (found)
            fz_check(hours_open_at(h, &next), "the next opening is a moment it is open");
        int wday = (int)(b % 7u);
        struct hours_time midnight = t;
        midnight.minute = 0;
        int on = hours_open_on(h, wday, &midnight);
        found = hours_next_open(h, &midnight, wday, &next);
        fz_check(on == found, "open_on agrees with next_open on that weekday");
        if (found) {
            long nd = hours_day_from_date(next.year, next.month, next.day);
            fz_check(hours_day_weekday(nd) == wday, "next_open keeps to the weekday asked");
            fz_check(hours_open_at(h, &next), "a next opening on a weekday is open");
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0; /* import and query limits keep these texts far shorter */
    char *text = fz_text(data, size);

    struct hours *h = (struct hours *)&size; /* must be reset to NULL on failure */
    struct err e = {0};
    int rc = hours_parse(text, &h, &e);
    if (rc == ERR_OK) {
        fz_check(h != NULL, "a parsed value is returned");
        fz_check(hours_rule_count(h) >= 1 && hours_rule_count(h) <= HOURS_MAX_RULES,
                 "a value has 1..HOURS_MAX_RULES rules");
        fuzz_hours_eval(h, data, size);
        hours_free(h);
    } else {
        fz_check(h == NULL, "a refused value leaves NULL");
        fz_check(strstr(e.msg, "opening_hours") != NULL, "a refusal names opening_hours");
    }

    char out[HOURS_JA_OUT];
    struct err je = {0};
    if (hours_ja_read(text, out, sizeof out, &je) == ERR_OK) {
        struct hours *j = NULL;
        fz_check(hours_parse(out, &j, NULL) == ERR_OK, "hours_ja_read writes valid opening_hours");
        hours_free(j);
    } else {
        fz_check(out[0] == '\0' && je.msg[0] != '\0',
                 "a refused schedule leaves \"\" and a sentence");
    }
    char *stored = malloc(size + HOURS_JA_OUT + 1);
    fz_check(stored != NULL, "out of memory");
    int ok = hours_ja_schedule(text, stored, size + HOURS_JA_OUT + 1);
    struct hours *s = NULL;
    fz_check(ok == (hours_parse(stored, &s, NULL) == ERR_OK),
             "hours_ja_schedule says 1 exactly when what it stores parses");
    hours_free(s);
    free(stored);

    struct hours_time t;
    if (hours_time_parse(text, "t", &t, NULL) == ERR_OK) {
        char buf[HOURS_TIME_TEXT];
        hours_time_format(&t, buf, sizeof buf);
        fz_check(strncmp(buf, text, 10) == 0 && strcmp(buf + 11, text + 11) == 0,
                 "a parsed time formats back to its text");
    }
    int w;
    if (hours_weekday_parse(text, "w", &w, NULL) == ERR_OK)
        fz_check(w >= 0 && w < 7, "a weekday is 0..6");
    free(text);
    return 0;
}
