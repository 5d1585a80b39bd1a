/* SPDX-License-Identifier: MIT */
/* secure.c - constant-time comparison (see secure.h), from nettle's
 * memeql_sec rather than a hand-written loop a compiler might shortcut;
 * random bytes from getrandom(2). */
#include "secure.h"

#include <nettle/memops.h>

#include <errno.h>
#include <sys/random.h>
#include <sys/types.h>

int secure_equal(const void *a, const void *b, size_t n)
{
    return memeql_sec(a, b, n) ? 1 : 0;
}

int secure_random(void *p, size_t n)
{
    unsigned char *c = p;
    while (n > 0) {
        /* More than 256 bytes may come back short when a signal arrives. */
        ssize_t got = getrandom(c, n, 0);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return 0;
        c += got;
        n -= (size_t)got;
    }
    return 1;
}
