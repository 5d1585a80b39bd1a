/* SPDX-License-Identifier: MIT */
/* secure.h - comparisons whose time does not depend on the bytes compared,
 * for secrets (token hashes): the store compares a presented token's hash
 * with every stored one, and the access layer its own copies, through this
 * one helper.
 *
 * Entry points: secure_equal. */
#ifndef TSUNAGU_SECURE_H
#define TSUNAGU_SECURE_H

#include <stddef.h>

/* 1 when the n bytes at a and b are equal, else 0, in time that depends on
 * n only (nettle's memeql_sec). n = 0 compares equal. */
int secure_equal(const void *a, const void *b, size_t n);

#endif
