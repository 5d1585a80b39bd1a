/* SPDX-License-Identifier: MIT */
/* secure.c - constant-time comparison (see secure.h), from nettle's
 * memeql_sec rather than a hand-written loop a compiler might shortcut. */
#include "secure.h"

#include <nettle/memops.h>

int secure_equal(const void *a, const void *b, size_t n)
{
    return memeql_sec(a, b, n) ? 1 : 0;
}
