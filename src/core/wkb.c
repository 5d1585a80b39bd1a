/* SPDX-License-Identifier: MIT */
/* wkb.c - validating walker and small writers for 2D WKB (see wkb.h). The
 * reader is bounded: every length is checked against the bytes left before it
 * is trusted, and nesting and total point counts are limited. */
#include "wkb.h"

#include "vec.h"

#include <stdlib.h>
#include <string.h>

/* Cursor over a WKB buffer. */
struct wkb_cur {
    unsigned char *p; /* buffer start */
    size_t len;       /* buffer length */
    size_t off;       /* next byte to read */
    size_t points;    /* coordinates seen so far */
    size_t parts;     /* points, lines and polygons seen so far */
    wkb_seq_fn fn;    /* callback, NULL when only inspecting */
    int readonly;     /* do not write the callback's values back */
    void *ctx;        /* callback context */
    double *tmp;      /* scratch for one sequence */
    size_t tmp_cap;   /* capacity of tmp in doubles */
    struct err *e;    /* where errors go */
};

static int wkb_need(struct wkb_cur *c, size_t n)
{
    if (c->len - c->off < n)
        return err_set(c->e, ERR_INPUT, "geometry is truncated (WKB ends at byte %zu)", c->len);
    return ERR_OK;
}

static uint32_t wkb_u32(const unsigned char *p, int le)
{
    if (le)
        return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return (uint32_t)p[3] | (uint32_t)p[2] << 8 | (uint32_t)p[1] << 16 | (uint32_t)p[0] << 24;
}

static double wkb_f64(const unsigned char *p, int le)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = le ? p[i] : p[7 - i];
    uint64_t u = 0;
    for (int i = 7; i >= 0; i--)
        u = u << 8 | b[i];
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

static void wkb_put_f64(unsigned char *p, double d, int le)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    for (int i = 0; i < 8; i++) {
        unsigned char byte = (unsigned char)(u >> (8 * i));
        p[le ? i : 7 - i] = byte;
    }
}

/* Reads n points at the cursor, hands them to the callback, writes back. */
static int wkb_seq(struct wkb_cur *c, int le, uint32_t n, int kind)
{
    if ((size_t)n > WKB_MAX_POINTS - c->points)
        return err_set(c->e, ERR_LIMIT, "geometry has more than %u coordinates", WKB_MAX_POINTS);
    if (wkb_need(c, (size_t)n * 16) != ERR_OK)
        return ERR_INPUT;
    c->points += n;
    if (c->fn == NULL) {
        c->off += (size_t)n * 16;
        return ERR_OK;
    }
    if (vec_reserve((void **)&c->tmp, &c->tmp_cap, 2 * (size_t)n, sizeof *c->tmp) != ERR_OK)
        return err_nomem(c->e);
    unsigned char *base = c->p + c->off;
    for (size_t i = 0; i < 2 * (size_t)n; i++)
        c->tmp[i] = wkb_f64(base + 8 * i, le);
    int rc = c->fn(c->ctx, kind, c->tmp, n);
    if (rc != ERR_OK)
        return rc;
    if (c->readonly) {
        c->off += (size_t)n * 16;
        return ERR_OK;
    }
    for (size_t i = 0; i < 2 * (size_t)n; i++)
        wkb_put_f64(base + 8 * i, c->tmp[i], le);
    c->off += (size_t)n * 16;
    return ERR_OK;
}

static int wkb_geom(struct wkb_cur *c, int depth, int *type_out)
{
    if (depth > WKB_MAX_DEPTH)
        return err_set(c->e, ERR_LIMIT, "geometry nests deeper than %d levels", WKB_MAX_DEPTH);
    if (wkb_need(c, 5) != ERR_OK)
        return ERR_INPUT;
    int le = c->p[c->off];
    if (le != 0 && le != 1)
        return err_set(c->e, ERR_INPUT, "geometry is not WKB (bad byte-order mark)");
    uint32_t type = wkb_u32(c->p + c->off + 1, le);
    c->off += 5;
    if (type < WKB_POINT || type > WKB_COLLECTION)
        return err_set(c->e, ERR_INPUT, "geometry type %u is not supported (2D only)", type);
    if (type_out)
        *type_out = (int)type;
    uint32_t n;
    switch (type) {
    case WKB_POINT:
        c->parts++;
        return wkb_seq(c, le, 1, WKB_SEQ_POINT);
    case WKB_LINESTRING:
    case WKB_POLYGON:
        if (wkb_need(c, 4) != ERR_OK)
            return ERR_INPUT;
        n = wkb_u32(c->p + c->off, le);
        c->off += 4;
        c->parts++;
        if (type == WKB_LINESTRING)
            return wkb_seq(c, le, n, WKB_SEQ_LINE);
        if ((size_t)n > (c->len - c->off) / 4)
            return err_set(c->e, ERR_INPUT, "geometry is truncated (polygon ring count)");
        for (uint32_t r = 0; r < n; r++) {
            if (wkb_need(c, 4) != ERR_OK)
                return ERR_INPUT;
            uint32_t np = wkb_u32(c->p + c->off, le);
            c->off += 4;
            int rc = wkb_seq(c, le, np, WKB_SEQ_RING);
            if (rc != ERR_OK)
                return rc;
        }
        return ERR_OK;
    default:
        if (wkb_need(c, 4) != ERR_OK)
            return ERR_INPUT;
        n = wkb_u32(c->p + c->off, le);
        c->off += 4;
        if ((size_t)n > (c->len - c->off) / 5)
            return err_set(c->e, ERR_INPUT, "geometry is truncated (member count)");
        for (uint32_t i = 0; i < n; i++) {
            int sub = 0;
            int rc = wkb_geom(c, depth + 1, &sub);
            if (rc != ERR_OK)
                return rc;
            if (type != WKB_COLLECTION && sub != (int)type - 3)
                return err_set(c->e, ERR_INPUT, "geometry mixes member types in a multi-geometry");
        }
        return ERR_OK;
    }
}

static int wkb_run(unsigned char *buf, size_t len, wkb_seq_fn fn, void *ctx, int readonly,
                   struct wkb_info *info, struct err *e)
{
    struct wkb_cur c = {.p = buf, .len = len, .fn = fn, .ctx = ctx, .readonly = readonly, .e = e};
    int type = 0;
    if (buf == NULL)
        return err_set(e, ERR_INPUT, "geometry is missing");
    int rc = wkb_geom(&c, 0, &type);
    free(c.tmp);
    if (rc != ERR_OK)
        return rc;
    if (c.off != len)
        return err_set(e, ERR_INPUT, "geometry has %zu unexpected trailing bytes", len - c.off);
    if (info != NULL) {
        info->type = type;
        info->points = c.points;
        info->parts = c.parts;
        info->empty = c.points == 0;
    }
    return ERR_OK;
}

int wkb_inspect(const unsigned char *buf, size_t len, struct wkb_info *info, struct err *e)
{
    /* The walker writes only when a callback is given, so the cast is safe. */
    return wkb_run((unsigned char *)(uintptr_t)buf, len, NULL, NULL, 1, info, e);
}

int wkb_walk(unsigned char *buf, size_t len, wkb_seq_fn fn, void *ctx, struct err *e)
{
    return wkb_run(buf, len, fn, ctx, 0, NULL, e);
}

int wkb_visit(const unsigned char *buf, size_t len, wkb_seq_fn fn, void *ctx, struct err *e)
{
    /* readonly: the buffer is never written, so dropping const is safe. */
    return wkb_run((unsigned char *)(uintptr_t)buf, len, fn, ctx, 1, NULL, e);
}

unsigned char *wkb_linestring_new(const double *xy, size_t n, size_t *len)
{
    if (n > WKB_MAX_POINTS)
        return NULL;
    size_t size = 9 + 16 * n;
    unsigned char *b = malloc(size);
    if (b == NULL)
        return NULL;
    b[0] = 1;
    b[1] = WKB_LINESTRING;
    b[2] = b[3] = b[4] = 0;
    for (int i = 0; i < 4; i++)
        b[5 + i] = (unsigned char)((uint32_t)n >> (8 * i));
    for (size_t i = 0; i < 2 * n; i++)
        wkb_put_f64(b + 9 + 8 * i, xy[i], 1);
    *len = size;
    return b;
}

void wkb_point_write(double x, double y, unsigned char out[WKB_POINT_LEN])
{
    out[0] = 1;
    out[1] = WKB_POINT;
    out[2] = out[3] = out[4] = 0;
    wkb_put_f64(out + 5, x, 1);
    wkb_put_f64(out + 13, y, 1);
}
