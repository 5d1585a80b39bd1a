/* SPDX-License-Identifier: MIT */
/* hugemem.c - implements hugemem.h with an anonymous mapping trimmed to a
 * 2 MiB boundary and madvise(MADV_HUGEPAGE).
 *
 * _DEFAULT_SOURCE: MAP_ANONYMOUS and madvise are Linux/BSD, hidden by the
 * project-wide _POSIX_C_SOURCE; this file is the one place that uses them. */
#define _DEFAULT_SOURCE 1
#include "hugemem.h"

#include "vec.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#define HUGEMEM_PAGE ((size_t)1 << 21)

/* bytes rounded up to whole huge pages; bytes <= VEC_MAX_BYTES. */
static size_t hugemem_span(size_t bytes)
{
    return (bytes + HUGEMEM_PAGE - 1) & ~(HUGEMEM_PAGE - 1);
}

void *hugemem_alloc(size_t bytes)
{
    if (bytes == 0 || bytes > VEC_MAX_BYTES)
        return NULL;
    if (bytes < HUGEMEM_MIN_BYTES)
        return calloc(1, bytes);
    size_t span = hugemem_span(bytes);
    /* Map one huge page more than needed and unmap what lies before the
     * first 2 MiB boundary and after the span: mmap aligns to 4 KiB only. */
    size_t over = span + HUGEMEM_PAGE;
    unsigned char *raw =
        mmap(NULL, over, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED)
        return NULL;
    uintptr_t at = ((uintptr_t)raw + HUGEMEM_PAGE - 1) & ~(uintptr_t)(HUGEMEM_PAGE - 1);
    unsigned char *p = (unsigned char *)at;
    size_t head = (size_t)(p - raw), tail = over - head - span;
    if (head > 0)
        munmap(raw, head);
    if (tail > 0)
        munmap(p + span, tail);
#ifdef MADV_HUGEPAGE
    /* Advice only: refused (no THP in this kernel), the pages are small. */
    (void)madvise(p, span, MADV_HUGEPAGE);
#endif
    return p;
}

void hugemem_seal(void *p, size_t bytes)
{
    /* The whole span, so the huge pages are not split. */
    if (p != NULL && bytes >= HUGEMEM_MIN_BYTES)
        (void)mprotect(p, hugemem_span(bytes), PROT_READ);
}

void hugemem_free(void *p, size_t bytes)
{
    if (p == NULL)
        return;
    if (bytes < HUGEMEM_MIN_BYTES)
        free(p);
    else
        munmap(p, hugemem_span(bytes));
}
