/* SPDX-License-Identifier: MIT */
/* secure.h - the two small jobs secrets need: comparisons whose time does
 * not depend on the bytes compared (token hashes: the store compares a
 * presented token's hash with every stored one, and the access layer its
 * own copies), and random bytes from the kernel (tokens, audit salts).
 *
 * Entry points: secure_equal, secure_random. */
#ifndef TSUNAGU_SECURE_H
#define TSUNAGU_SECURE_H

#include <stddef.h>

/* 1 when the n bytes at a and b are equal, else 0, in time that depends on
 * n only (nettle's memeql_sec). n = 0 compares equal. */
int secure_equal(const void *a, const void *b, size_t n);

/* Fill the n bytes at p from the kernel's random source (getrandom,
 * retried on a signal and on short reads). 1 on success, 0 when the kernel
 * gives none; p is then partly filled and must not be used. */
int secure_random(void *p, size_t n);

#endif
