/* SPDX-License-Identifier: MIT */
/* hash.h - the one non-cryptographic hash of tsunagu: 64-bit FNV-1a, for
 * entity tags, data-version digests, cache keys and hash-table slots
 * (never for secrets: tokens are hashed with SHA-256 in access/auth.c).
 * Written out here because it is six lines and no kept library exposes it.
 *
 * Entry points: hash_fnv, hash_fnv_str. */
#ifndef TSUNAGU_HASH_H
#define TSUNAGU_HASH_H

#include <stddef.h>
#include <stdint.h>

/* The FNV-1a 64 offset basis: the h to start a digest from. */
#define HASH_FNV_SEED 14695981039346656037ULL

/* FNV-1a 64 of the n bytes at data, continuing from h (HASH_FNV_SEED for a
 * new digest), so that several pieces chain into one digest. */
uint64_t hash_fnv(uint64_t h, const void *data, size_t n);

/* hash_fnv of the NUL-terminated s, without its NUL. */
uint64_t hash_fnv_str(uint64_t h, const char *s);

#endif
