/* SPDX-License-Identifier: MIT */
/* vec.h - the one array-growth helper: makes room in a realloc'd array,
 * with the multiplication checked for overflow and an explicit limit on
 * any one array, so that no hand-written `cap * 2` can wrap around.
 *
 * Entry points: vec_reserve. */
#ifndef TSUNAGU_VEC_H
#define TSUNAGU_VEC_H

#include <stddef.h>

/* No array grows past this many bytes (64 GiB): far above any city's
 * network or tile, far below where size arithmetic could wrap. */
#define VEC_MAX_BYTES ((size_t)1 << 36)

/* Makes *arr (capacity *cap elements of `size` bytes) hold at least `need`
 * elements, growing by half (at least 16 elements) so that appending n
 * elements one by one costs O(n). Returns ERR_OK, or ERR_NOMEM when memory
 * runs out or need * size would pass VEC_MAX_BYTES; *arr and *cap are then
 * unchanged and *arr is still the caller's to free. */
int vec_reserve(void **arr, size_t *cap, size_t need, size_t size);

#endif
