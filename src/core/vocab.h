/* SPDX-License-Identifier: MIT */
/* vocab.h - tsunagu's vocabularies: resource kinds, the four statutory
 * fields, hub types and household need tags, with the Japanese terms
 * practitioners write (domain.md) mapped to stable English keys. Pure.
 *
 * Entry points: vocab_kind, vocab_kind_is_builtin, vocab_kind_label, vocab_kind_from_name,
 * vocab_fields, vocab_fields_from_name, vocab_fields_format,
 * vocab_field_bit, vocab_hub_type, vocab_needs, vocab_need_tag,
 * vocab_level_ok, vocab_outcome, vocab_split.
 */
#ifndef TSUNAGU_VOCAB_H
#define TSUNAGU_VOCAB_H

#include "err.h"
#include <stddef.h>

/* The four statutory fields as bits; VOCAB_FIELD_ALL is all four. */
enum vocab_field {
    VOCAB_ELDERLY = 1,    /* 高齢 */
    VOCAB_DISABILITY = 2, /* 障害 */
    VOCAB_CHILDREN = 4,   /* 子ども・子育て */
    VOCAB_HARDSHIP = 8,   /* 生活困窮 */
    VOCAB_FIELD_ALL = 15
};

#define VOCAB_KEY_MAX 32 /* longest kind or level key */

/* Normalises a resource kind: a built-in key, a Japanese name from domain.md
 * (相談窓口 -> consultation, サロン -> salon, 子ども食堂 -> cafeteria, ...), or
 * a new key of [a-z0-9_] (the vocabulary is open). Writes the key into out.
 * ERR_INPUT for anything else. */
int vocab_kind(const char *text, char *out, size_t n, struct err *e);

/* 1 when `key` is one of the built-in kinds. */
int vocab_kind_is_builtin(const char *key);

/* The Japanese name a built-in kind key is shown by (相談窓口 for
 * consultation); any other key as it is. Static or borrowed from key. */
const char *vocab_kind_label(const char *key);

/* Guesses the kind of a facility from its name (地域包括支援センター ->
 * consultation, 保育所 -> welfare_facility, ...); never fails. */
const char *vocab_kind_from_name(const char *name);

/* Parses fields written as "elderly;children", "高齢・障害", "all", "全て"
 * (separators ; , 、 ・ / space). Sets *mask. ERR_INPUT on an unknown term. */
int vocab_fields(const char *text, int *mask, struct err *e);

/* Guesses fields from a facility name (保育 -> children, 老人 -> elderly,
 * 障害 -> disability, ...); 0 when nothing matches. */
int vocab_fields_from_name(const char *name);

/* Writes a mask as "elderly;children", "all" or "unspecified". */
void vocab_fields_format(int mask, char *out, size_t n);

/* Parses one field name (English key or Japanese); 0 when unknown. */
int vocab_field_bit(const char *text);

/* Normalises a hub type (basic/基本型, integrated/統合型, community/地域型);
 * returns the key or NULL when unknown. */
const char *vocab_hub_type(const char *text);

/* Normalises a ";"-separated list of need tags (domain.md list; English
 * aliases accepted) into canonical Japanese tags joined by ";". ERR_INPUT,
 * without repeating the tag, when a tag is unknown. */
int vocab_needs(const char *text, char *out, size_t n, struct err *e);

/* Canonical need tag for one term, or NULL. */
const char *vocab_need_tag(const char *term);

/* The outcome of a home visit (会えた, 不在, 拒否, 支援につないだ, 緊急対応,
 * その他; English aliases met, absent, refused, connected, emergency,
 * other): the canonical Japanese word, or NULL when unknown. */
const char *vocab_outcome(const char *term);

/* Validates a district level key: 1-32 of [a-z0-9_]. */
int vocab_level_ok(const char *level);

/* Splits text at ; , 、 ・ / and spaces (ASCII and full-width), calling fn
 * on each non-empty token (a NUL-terminated copy of at most 127 bytes).
 * ERR_LIMIT for a longer token; a non-zero return of fn stops and is
 * returned. */
int vocab_split(const char *text, int (*fn)(void *ctx, const char *tok), void *ctx);

#endif
