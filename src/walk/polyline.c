/* SPDX-License-Identifier: MIT */
/* polyline.c - implements the compact polylines of polyline.h: rounding to
 * quanta (polyline_quantise), encoding doubles into anchors, int16 steps and
 * the escape table (polyline_encode), and checking a set read from a file
 * (polyline_check). The decoder is inline in the header. */
#include "polyline.h"

#include "vec.h"

#include <math.h>
#include <stdlib.h>

int32_t polyline_quantise(double v)
{
    return (int32_t)lround(v * POLYLINE_SCALE);
}

int polyline_encode(uint32_t npolys, const uint32_t *pt_off, const double *xy, int32_t **anchor,
                    int16_t **step, uint32_t *nesc, uint32_t **esc_at, int32_t **esc_d,
                    struct err *e)
{
    size_t npts = npolys > 0 ? pt_off[npolys] : 0;
    size_t nsteps = npts - npolys;
    size_t esc_cap = 0, n_esc = 0;
    *anchor = malloc((npolys > 0 ? 2 * (size_t)npolys : 1) * sizeof **anchor);
    *step = malloc((nsteps > 0 ? 2 * nsteps : 1) * sizeof **step);
    *esc_at = NULL;
    *esc_d = NULL;
    *nesc = 0;
    if (*anchor == NULL || *step == NULL)
        goto nomem;
    for (uint32_t p = 0; p < npolys; p++) {
        size_t k0 = pt_off[p], k1 = pt_off[p + 1];
        int32_t px = polyline_quantise(xy[2 * k0]), py = polyline_quantise(xy[2 * k0 + 1]);
        (*anchor)[2 * (size_t)p] = px;
        (*anchor)[2 * (size_t)p + 1] = py;
        for (size_t k = k0 + 1; k < k1; k++) {
            int32_t x = polyline_quantise(xy[2 * k]), y = polyline_quantise(xy[2 * k + 1]);
            int32_t dx = x - px, dy = y - py;
            size_t q = k - p - 1;
            if (dx > INT16_MIN && dx <= INT16_MAX && dy >= INT16_MIN && dy <= INT16_MAX) {
                (*step)[2 * q] = (int16_t)dx;
                (*step)[2 * q + 1] = (int16_t)dy;
            } else {
                if (n_esc >= UINT32_MAX - 1) {
                    err_set(e, ERR_LIMIT, "the street network has too many long polyline segments");
                    goto fail;
                }
                size_t c1 = esc_cap, c2 = esc_cap;
                if (vec_reserve((void **)esc_at, &c1, n_esc + 1, sizeof **esc_at) != ERR_OK ||
                    vec_reserve((void **)esc_d, &c2, n_esc + 1, 2 * sizeof **esc_d) != ERR_OK)
                    goto nomem;
                esc_cap = c1 < c2 ? c1 : c2;
                (*esc_at)[n_esc] = (uint32_t)q;
                (*esc_d)[2 * n_esc] = dx;
                (*esc_d)[2 * n_esc + 1] = dy;
                n_esc++;
                (*step)[2 * q] = POLYLINE_ESCAPE;
                (*step)[2 * q + 1] = 0;
            }
            px = x;
            py = y;
        }
    }
    /* Exact sizes (an empty table is a 1-element allocation). */
    if (n_esc == 0) {
        free(*esc_at);
        free(*esc_d);
        *esc_at = malloc(sizeof **esc_at);
        *esc_d = malloc(2 * sizeof **esc_d);
        if (*esc_at == NULL || *esc_d == NULL)
            goto nomem;
    } else {
        void *a = realloc(*esc_at, n_esc * sizeof **esc_at);
        void *d = realloc(*esc_d, 2 * n_esc * sizeof **esc_d);
        if (a != NULL)
            *esc_at = a;
        if (d != NULL)
            *esc_d = d;
    }
    *nesc = (uint32_t)n_esc;
    return ERR_OK;

nomem:
    err_nomem(e);
fail:
    free(*anchor);
    free(*step);
    free(*esc_at);
    free(*esc_d);
    *anchor = NULL;
    *step = NULL;
    *esc_at = NULL;
    *esc_d = NULL;
    *nesc = 0;
    return e->code;
}

int polyline_check(const struct polyline_set *s)
{
    const int64_t lim = (int64_t)(POLYLINE_MAX_LOCAL_M * POLYLINE_SCALE);
    if (s->pt_off[0] != 0)
        return 0;
    for (uint32_t p = 0; p < s->npolys; p++)
        if (s->pt_off[p + 1] <= s->pt_off[p])
            return 0;
    uint64_t nsteps = (uint64_t)s->pt_off[s->npolys] - s->npolys;
    /* The escape table must list exactly the escaped steps, in order. */
    uint32_t j = 0;
    for (uint64_t q = 0; q < nsteps; q++)
        if (s->step[2 * q] == POLYLINE_ESCAPE) {
            if (j >= s->nesc || s->esc_at[j] != q)
                return 0;
            j++;
        }
    if (j != s->nesc)
        return 0;
    /* Every vertex stays within the local range (no int32 overflow). */
    j = 0;
    for (uint32_t p = 0; p < s->npolys; p++) {
        int64_t x = s->anchor[2 * (size_t)p], y = s->anchor[2 * (size_t)p + 1];
        if (x < -lim || x > lim || y < -lim || y > lim)
            return 0;
        for (uint64_t q = (uint64_t)s->pt_off[p] - p; q + p + 1 < s->pt_off[p + 1]; q++) {
            if (s->step[2 * q] == POLYLINE_ESCAPE) {
                x += s->esc_d[2 * (size_t)j];
                y += s->esc_d[2 * (size_t)j + 1];
                j++;
            } else {
                x += s->step[2 * q];
                y += s->step[2 * q + 1];
            }
            if (x < -lim || x > lim || y < -lim || y > lim)
                return 0;
        }
    }
    return 1;
}
