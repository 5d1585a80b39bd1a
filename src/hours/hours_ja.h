/* SPDX-License-Identifier: MIT */
/* hours_ja.h - the common Japanese ways of writing a schedule, read into
 * OSM opening_hours (hours.h): "毎週月〜金 8:30〜17:15" -> "Mo-Fr 08:30-17:15",
 * "第2・第4水曜日 10時〜12時" -> "We[2,4] 10:00-12:00", "土日祝休み" ->
 * "Sa,Su,PH off", "平日 9:00-17:00", full-width digits and colons.
 *
 * Entry points: hours_ja_read, hours_ja_schedule.
 */
#ifndef TSUNAGU_HOURS_JA_H
#define TSUNAGU_HOURS_JA_H

#include "err.h"

#include <stddef.h>

/* Longest Japanese schedule text read (bytes); ERR_LIMIT beyond. */
#define HOURS_JA_MAX_TEXT 512
/* Size of the buffer hours_ja_read and hours_ja_schedule write. */
#define HOURS_JA_OUT 520

/* Reads the Japanese schedule `text` (valid UTF-8) into its opening_hours
 * form in out (size >= HOURS_JA_OUT), which hours_parse accepts. ERR_INPUT
 * with one sentence when the text is not in the forms this reader knows
 * (then out is ""), ERR_LIMIT when it is too long. */
int hours_ja_read(const char *text, char *out, size_t size, struct err *e);

/* What import stores as a resource's schedule: the text itself when it is
 * already opening_hours, its opening_hours form when hours_ja_read reads
 * it, else the original text (which is then "unparsed": hours_parse
 * refuses it). Returns 1 when the stored form parses, 0 when unparsed. out
 * gets at most size-1 bytes (size >= HOURS_JA_OUT keeps an opening_hours
 * form whole; a longer original is cut at a character boundary by the
 * caller's limits, not here: it is copied only when it fits, else out = ""
 * and 0). */
int hours_ja_schedule(const char *text, char *out, size_t size);

#endif
