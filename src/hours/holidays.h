/* SPDX-License-Identifier: MIT */
/* holidays.h - Japan's public holidays (国民の祝日, 振替休日, 国民の休日),
 * the PH of opening hours, from a table in holidays.c for the years
 * HOLIDAYS_FIRST_YEAR..HOLIDAYS_LAST_YEAR.
 *
 * Entry points: holidays_name, holidays_covers.
 */
#ifndef TSUNAGU_HOLIDAYS_H
#define TSUNAGU_HOLIDAYS_H

#define HOLIDAYS_FIRST_YEAR 2024
#define HOLIDAYS_LAST_YEAR 2030

/* The holiday's name ("元日", "振替休日", ...; a static string) when the date
 * is a public holiday in Japan, else NULL (also for years the table does not
 * cover: see holidays_covers). */
const char *holidays_name(int year, int month, int day);
/* 1 when the table covers `year`, else 0. */
int holidays_covers(int year);

#endif
