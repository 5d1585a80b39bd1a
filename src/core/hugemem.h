/* SPDX-License-Identifier: MIT */
/* hugemem.h - large arrays that a query reads at random (the walking
 * search's per-node state, the mapped graph) on transparent huge pages.
 *
 * Why: a 30-minute walk at 2M edges touches a few thousand nodes spread
 * over several hundred 4 KiB pages of each array. Warm, that costs nothing;
 * but when other work (another engine's query, a tile, a request for
 * something else) has run in between, every one of those pages needs a
 * page-table walk again, and in a virtual machine each walk is two-level.
 * Measured on the 2M-edge grid (tests/bench_walk.sh's interleaved pass,
 * README "Prefecture scale"), that made a cold walk about 4-9 times its
 * warm time; on 2 MiB pages the same arrays need a few dozen TLB entries.
 * Linux gives anonymous memory huge pages when asked (madvise
 * MADV_HUGEPAGE, honoured when /sys/kernel/mm/transparent_hugepage/enabled
 * is "always" or "madvise"); elsewhere the memory is ordinary and only the
 * speed differs. No kept library wraps these two system calls.
 *
 * Entry points: hugemem_alloc, hugemem_seal, hugemem_free. */
#ifndef TSUNAGU_HUGEMEM_H
#define TSUNAGU_HUGEMEM_H

#include <stddef.h>

/* Arrays smaller than this come from malloc: a huge page would hold mostly
 * nothing, and the first touch of one zeroes all 2 MiB. */
#define HUGEMEM_MIN_BYTES ((size_t)1 << 21)

/* `bytes` of zeroed, writable memory, aligned to 2 MiB when at least
 * HUGEMEM_MIN_BYTES (pages are given, and zeroed, on first touch), or NULL
 * when memory runs out or bytes is 0 or past VEC_MAX_BYTES (vec.h). The
 * caller owns it and releases it with hugemem_free and the same `bytes`. */
void *hugemem_alloc(size_t bytes);

/* Make what hugemem_alloc(bytes) returned read-only from now on (a stray
 * write then faults instead of changing it), when it is at least
 * HUGEMEM_MIN_BYTES; smaller arrays stay writable. */
void hugemem_seal(void *p, size_t bytes);

/* Release what hugemem_alloc(bytes) returned; NULL is ignored. */
void hugemem_free(void *p, size_t bytes);

#endif
