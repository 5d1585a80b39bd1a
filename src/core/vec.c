/* SPDX-License-Identifier: MIT */
/* vec.c - array growth with overflow checks (see vec.h). */
#include "vec.h"

#include "err.h"

#include <stdlib.h>

int vec_reserve(void **arr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return ERR_OK;
    size_t most = size ? VEC_MAX_BYTES / size : 0;
    if (need > most)
        return ERR_NOMEM;
    size_t c = *cap > 16 ? *cap : 16;
    while (c < need)
        c = c > most - c / 2 ? most : c + c / 2;
    void *p = realloc(*arr, c * size);
    if (p == NULL)
        return ERR_NOMEM;
    *arr = p;
    *cap = c;
    return ERR_OK;
}
