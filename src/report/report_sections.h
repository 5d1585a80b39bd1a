/* SPDX-License-Identifier: MIT */
/* report_sections.h - the tables of a report, as a list of sections: each
 * section builds one table (report_table.h) from the report's data, and
 * report.c draws them in list order after the map. The district coverage
 * table is the first; further tables (needs, equipment, change since a
 * snapshot) are added as rows of report_sections[] with a builder each,
 * without touching the drawing.
 *
 * Figures the caller's role may not see (report_data_hidden) never reach a
 * cell: a count of 1-4 reads "<5", a figure that would give one away "–",
 * and a share or minutes computed from a hidden figure "–".
 *
 * Entry points: report_sections, report_sections_district, report_sections_figure. */
#ifndef TSUNAGU_REPORT_SECTIONS_H
#define TSUNAGU_REPORT_SECTIONS_H

#include "report_data.h"
#include "report_table.h"

/* One section: table `part` (0, 1, ...: a section whose columns do not fit
 * one page's width goes on in further tables) built from d into *out (new,
 * freed by the caller), or *out NULL when the section has nothing (more)
 * to show for d. Failures are ERR_NOMEM or ERR_LIMIT. */
struct report_section {
    const char *key; /* short name ("coverage") */
    int (*build)(const struct report_data *d, size_t part, struct report_table **out,
                 struct err *e);
};

/* The sections in drawing order, ending with a NULL key. */
extern const struct report_section report_sections[];

/* The key-figure table of district i (its own page, --per-district). */
int report_sections_district(const struct report_data *d, size_t i, struct report_table **out,
                             struct err *e);

/* Writes a household count as the reader may see it: the number, "<5" for
 * a small count (DISCLOSE_PRIMARY), "–" for a figure hidden to protect one. */
void report_sections_figure(char *buf, size_t n, long v, int state);

#endif
