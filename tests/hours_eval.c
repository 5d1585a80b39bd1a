/* SPDX-License-Identifier: MIT */
/* hours_eval.c - a small reader for tests/cli_hours_osm.sh: for each line
 * "VALUE<TAB>YYYY-MM-DDTHH:MM" of stdin it prints "open" or "closed" (the
 * evaluator's answer at that Japan time) or "refused" (hours_parse's
 * verdict), one line each, so the shell test can set the answers beside
 * those of an independent implementation (opening_hours.js). */
#include "hours.h"

#include <stdio.h>
#include <string.h>

int main(void)
{
    char line[HOURS_MAX_TEXT + 64];
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = '\0';
        char *tab = strrchr(line, '\t');
        struct hours_time t;
        struct hours *h = NULL;
        if (tab == NULL || hours_time_parse(tab + 1, "time", &t, NULL) != ERR_OK) {
            puts("bad-line");
            continue;
        }
        *tab = '\0';
        if (hours_parse(line, &h, NULL) != ERR_OK) {
            puts("refused");
            continue;
        }
        puts(hours_open_at(h, &t) ? "open" : "closed");
        hours_free(h);
    }
    return 0;
}
