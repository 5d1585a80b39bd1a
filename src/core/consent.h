/* SPDX-License-Identifier: MIT */
/* consent.h - a household's consent to sharing (issue 13): yes, no or
 * unknown. Unknown is its own value, kept apart from no so that the record
 * says what the office knows, but it allows exactly what no allows: a
 * share on the basis of consent needs yes; a support meeting's decision
 * (basis meeting) or a referral does not ask for consent at all. Pure.
 *
 * Entry points: consent_parse, consent_name. */
#ifndef TSUNAGU_CONSENT_H
#define TSUNAGU_CONSENT_H

#include "err.h"

/* The stored values (households.consent). */
#define CONSENT_NO 0
#define CONSENT_YES 1
#define CONSENT_UNKNOWN 2

/* Reads a consent cell into *v: yes (yes, y, true, 1, あり, 有, 同意, 済),
 * no (no, n, false, 0, なし, 無, 未, 不同意) or unknown (unknown, 不明,
 * 未確認, ?, and an empty or missing cell); ASCII words in any case.
 * ERR_INPUT for anything else (*v unchanged; no sentence: the caller names
 * the column and the line, never the value). */
int consent_parse(const char *text, int *v);

/* "yes", "no" or "unknown" for a stored value (anything else reads
 * "unknown"). */
const char *consent_name(int v);

#endif
