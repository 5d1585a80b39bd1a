/* SPDX-License-Identifier: MIT */
/* fuzz_osmtags.c - fuzz target for the pedestrian rules over OSM tags
 * (src/osmtags.c), which read the highway, foot, access, area and motorroad
 * values of every imported way. The input is those five values separated
 * by newlines (a missing line is an absent tag). Invariants: the verdict is
 * one of enum osmtags_verdict with a phrase; the normalised highway list is
 * NUL-terminated inside any buffer size, idempotent, and flags steps alike
 * before and after normalisation. */
#include "fuzzutil.h"
#include "osmtags.h"

#include <stdlib.h>
#include <string.h>

static const size_t fuzz_osmtags_sizes[] = {1, 2, 7, 16, OSMTAGS_HIGHWAY_MAX};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *text = fz_text(data, size);
    char *f[5] = {NULL, NULL, NULL, NULL, NULL};
    size_t n = fz_split(text, '\n', f, 5);
    struct osmtags_way w = {n > 0 ? f[0] : NULL, n > 1 ? f[1] : NULL, n > 2 ? f[2] : NULL,
                            n > 3 ? f[3] : NULL, n > 4 ? f[4] : NULL};
    int v = osmtags_walkable(&w);
    fz_check(v >= OSMTAGS_WALKABLE && v <= OSMTAGS_MOTORROAD, "a verdict of the enum");
    const char *word = osmtags_verdict_word(v);
    fz_check(word != NULL && word[0] != '\0', "every verdict has a phrase");

    for (size_t i = 0; i < sizeof fuzz_osmtags_sizes / sizeof fuzz_osmtags_sizes[0]; i++) {
        size_t cap = fuzz_osmtags_sizes[i];
        char *out = malloc(cap);
        fz_check(out != NULL, "out of memory");
        const char *r = osmtags_highway_normalize(w.highway, out, cap);
        fz_check(memchr(out, '\0', cap) != NULL, "the normalised list is terminated");
        if (r != NULL && cap == OSMTAGS_HIGHWAY_MAX) {
            fz_check(r == out, "osmtags_highway_normalize returns its buffer");
            char again[OSMTAGS_HIGHWAY_MAX];
            const char *r2 = osmtags_highway_normalize(out, again, sizeof again);
            fz_check(r2 != NULL && strcmp(again, out) == 0, "normalising is idempotent");
            if (strlen(w.highway) < 64)
                fz_check(osmtags_flags(out) == osmtags_flags(w.highway),
                         "steps are flagged alike before and after normalising");
        }
        free(out);
    }
    free(text);
    return 0;
}
