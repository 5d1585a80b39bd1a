/* SPDX-License-Identifier: MIT */
/* resfields.h - the fields of a resource in the register (issue 12) and
 * their one validation, shared by the HTTP API (JSON bodies), the importer
 * (file columns) and the CLI filters: the target groups (an open
 * vocabulary like kinds: built-in keys with the Japanese words that map to
 * them, or any new key of [a-z0-9_]), language codes (BCP 47 language
 * with an optional script and region), barrier-free (yes/no/unknown),
 * phone, URL and free texts with their limits. Pure: no SQL, no HTTP.
 *
 * A register record is a JSON object with the members RESFIELDS_MEMBERS
 * (text or null; lon and lat numbers), lists kept as ";"-joined keys.
 *
 * Entry points: resfields_targets, resfields_target_key, resfields_targets_infer,
 * resfields_languages, resfields_barrier_free, resfields_apply,
 * resfields_list_has.
 */
#ifndef TSUNAGU_RESFIELDS_H
#define TSUNAGU_RESFIELDS_H

#include "err.h"

#include <jansson.h>
#include <stddef.h>

#define RESFIELDS_NAME_MAX 256    /* bytes of a name */
#define RESFIELDS_TEXT_MAX 1024   /* bytes of address, schedule, operator, notes */
#define RESFIELDS_SHORT_MAX 256   /* bytes of cost */
#define RESFIELDS_CONTACT_MAX 128 /* bytes of a contact (phone) */
#define RESFIELDS_URL_MAX 512     /* bytes of a URL */
#define RESFIELDS_LIST_MAX 16     /* targets or languages in one list */
#define RESFIELDS_LIST_BYTES 600  /* bytes of a ";"-joined list of keys */

/* The members a body may carry, as the register lists them. */
#define RESFIELDS_MEMBERS                                                                          \
    "name, kind, fields, hub_type, address, schedule, contact, operator, target, url, "            \
    "languages, barrier_free, cost, notes, lon, lat"

/* Normalises a list of target groups written as "elderly;families",
 * "高齢者・子育て家庭" (separators ; , 、 ・ / space) into ";"-joined keys in
 * out (n bytes, at least RESFIELDS_LIST_BYTES), built-in keys first in
 * table order, then new keys as written, no repeats. ERR_INPUT naming the
 * first term that is neither a known word nor a key of [a-z0-9_]. An empty
 * list writes "". */
int resfields_targets(const char *text, char *out, size_t n, struct err *e);

/* The key of one target term (a key or a Japanese word), or NULL when the
 * term is neither; for a new key, `text` itself. */
const char *resfields_target_key(const char *text);

/* Reads target groups out of free text such as "おおむね65歳以上の方とその家族"
 * by the words it contains (the importer's fallback when a file's target
 * column is prose); writes ";"-joined keys ("" when none is found). */
void resfields_targets_infer(const char *text, char *out, size_t n);

/* Normalises a list of languages ("ja;en", "ja, vi", "日本語・英語") into
 * ";"-joined BCP 47 tags written in their usual case (language lower,
 * Script title, REGION upper: "zh-Hant-TW"). ERR_INPUT naming the first
 * tag that is not a 2-3 letter language with an optional 4-letter script
 * and an optional 2-letter or 3-digit region. */
int resfields_languages(const char *text, char *out, size_t n, struct err *e);

/* "yes", "no" or "unknown" for yes/no/unknown, true/false, はい/いいえ,
 * あり/なし, 不明; NULL when the text is none of them. */
const char *resfields_barrier_free(const char *text);

/* Applies the members of a JSON body to the record `rec` (an object,
 * changed in place): each member is checked and normalised (kind through
 * vocab_kind, fields through vocab_fields, lists as above; texts valid
 * UTF-8 within their limits, without control characters except line
 * breaks in notes; contact a phone number; url http(s); lon, lat finite
 * numbers). null clears an optional member. With `create`, name, kind,
 * lon and lat are required and absent members become null. ERR_INPUT with
 * one sentence naming the member; `rec` is then partly changed, so the
 * caller applies to a copy. */
int resfields_apply(json_t *rec, const json_t *body, int create, struct err *e);

/* 1 when the ";"-joined list holds `key`, else 0. */
int resfields_list_has(const char *list, const char *key);

#endif
