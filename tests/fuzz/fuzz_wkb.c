/* SPDX-License-Identifier: MIT */
/* fuzz_wkb.c - fuzz target for the WKB walker (src/wkb.c), which sees every
 * geometry GDAL hands over from outside files. The input is a WKB buffer.
 * Invariants checked beyond "no crash, no leak, no UB":
 *   - wkb_inspect, wkb_visit and wkb_walk accept and refuse alike;
 *   - an accepted buffer reports as many points as its sequences hold, and
 *     never more than WKB_MAX_POINTS;
 *   - wkb_visit leaves the buffer alone; wkb_walk writes back what the
 *     callback leaves (negating twice restores every byte);
 *   - a LineString's coordinates rewritten by wkb_linestring_new inspect as
 *     the same LineString. */
#include "fuzzutil.h"
#include "wkb.h"

#include <stdlib.h>
#include <string.h>

/* What the callbacks saw. */
struct fuzz_wkb_seen {
    size_t points;    /* coordinates over all sequences */
    size_t sequences; /* sequences */
    int negate;       /* 1: negate every value in place */
    double *line;     /* copy of a LineString's coordinates (owned), or NULL */
    size_t line_n;    /* points in line */
};

static int fuzz_wkb_seq(void *ctx, int kind, double *xy, size_t n)
{
    struct fuzz_wkb_seen *s = ctx;
    fz_check(kind == WKB_SEQ_POINT || kind == WKB_SEQ_LINE || kind == WKB_SEQ_RING,
             "sequence kind is one of point, line, ring");
    fz_check(kind != WKB_SEQ_POINT || n == 1, "a point sequence holds one point");
    s->points += n;
    s->sequences++;
    if (s->negate)
        for (size_t i = 0; i < 2 * n; i++)
            xy[i] = -xy[i];
    if (kind == WKB_SEQ_LINE && s->line == NULL && n > 0) {
        s->line = malloc(2 * n * sizeof *s->line);
        fz_check(s->line != NULL, "out of memory");
        memcpy(s->line, xy, 2 * n * sizeof *s->line);
        s->line_n = n;
    }
    return ERR_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct err e = {0};
    struct wkb_info info;
    int rc = wkb_inspect(data, size, &info, &e);
    fz_check(rc == ERR_OK || (e.code != ERR_OK && e.msg[0] != '\0'),
             "a refused buffer comes with a sentence");
    fz_check(rc != ERR_OK || info.points <= WKB_MAX_POINTS, "points within WKB_MAX_POINTS");

    struct fuzz_wkb_seen seen = {0};
    struct err ev = {0};
    int rv = wkb_visit(data, size, fuzz_wkb_seq, &seen, &ev);
    fz_check((rv == ERR_OK) == (rc == ERR_OK), "wkb_visit accepts what wkb_inspect accepts");
    if (rc != ERR_OK) {
        free(seen.line);
        return 0;
    }
    fz_check(seen.points == info.points, "the sequences hold the points inspect counts");
    fz_check(info.empty == (info.points == 0), "empty means no points");

    /* Negate in place twice: the bytes must come back unchanged. */
    unsigned char *copy = malloc(size ? size : 1);
    fz_check(copy != NULL, "out of memory");
    memcpy(copy, data, size);
    struct fuzz_wkb_seen neg = {.negate = 1};
    struct err ew = {0};
    fz_check(wkb_walk(copy, size, fuzz_wkb_seq, &neg, &ew) == ERR_OK, "wkb_walk accepts it too");
    free(neg.line);
    neg.line = NULL;
    fz_check(wkb_walk(copy, size, fuzz_wkb_seq, &neg, &ew) == ERR_OK, "and again after negation");
    free(neg.line);
    fz_check(memcmp(copy, data, size) == 0, "negating twice restores the buffer");
    free(copy);

    if (info.type == WKB_LINESTRING && seen.line != NULL) {
        size_t len = 0;
        unsigned char *ls = wkb_linestring_new(seen.line, seen.line_n, &len);
        fz_check(ls != NULL, "wkb_linestring_new writes an accepted line");
        struct wkb_info li;
        fz_check(wkb_inspect(ls, len, &li, &e) == ERR_OK && li.type == WKB_LINESTRING &&
                     li.points == seen.line_n,
                 "a rewritten LineString inspects as the same line");
        free(ls);
    }
    free(seen.line);
    return 0;
}
