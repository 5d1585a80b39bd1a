/* SPDX-License-Identifier: MIT */
/* hash.c - 64-bit FNV-1a (see hash.h), from the published definition:
 * offset basis 14695981039346656037, prime 1099511628211. */
#include "hash.h"

#include <string.h>

uint64_t hash_fnv(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

uint64_t hash_fnv_str(uint64_t h, const char *s)
{
    return hash_fnv(h, s, strlen(s));
}
