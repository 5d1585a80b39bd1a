/* SPDX-License-Identifier: MIT */
/* osmtags.c - pedestrian-access rules for OpenStreetMap ways (see
 * osmtags.h). Entry points: osmtags_walkable, osmtags_flags,
 * osmtags_highway_normalize, osmtags_verdict_word. */
#include "osmtags.h"

#include <string.h>

/* highway classes nobody walks on. */
static const char *const osmtags_excluded[] = {
    "motorway", "motorway_link", "construction", "proposed",     "planned", "abandoned",
    "disused",  "razed",         "raceway",      "bus_guideway", "escape",  "via_ferrata",
};

/* Characters that separate classes in a highway list, and list punctuation
 * that belongs to no class. */
static int osmtags_is_sep(char c)
{
    return c == ';' || c == ',' || c == '[' || c == ']' || c == '\'' || c == '"' || c == ' ' ||
           c == '\t';
}

/* Calls fn(ctx, class, len) for each class of a highway list; stops and
 * returns 1 when fn returns 1. */
static int osmtags_each(const char *highway, int (*fn)(void *ctx, const char *cls, size_t len),
                        void *ctx)
{
    const char *p = highway;
    while (p && *p) {
        while (*p && osmtags_is_sep(*p))
            p++;
        const char *start = p;
        while (*p && !osmtags_is_sep(*p))
            p++;
        if (p > start && fn(ctx, start, (size_t)(p - start)))
            return 1;
    }
    return 0;
}

static int osmtags_eq(const char *cls, size_t len, const char *word)
{
    return strlen(word) == len && memcmp(cls, word, len) == 0;
}

/* 1 when the class is walkable (not in the excluded list). */
static int osmtags_class_walkable(void *ctx, const char *cls, size_t len)
{
    (void)ctx;
    for (size_t i = 0; i < sizeof osmtags_excluded / sizeof osmtags_excluded[0]; i++)
        if (osmtags_eq(cls, len, osmtags_excluded[i]))
            return 0;
    return 1;
}

/* Classes whose areas (area=yes: squares, plazas, wide footways) people
 * walk across; walked along their outline. */
static const char *const osmtags_square[] = {"pedestrian", "footway", "path", "living_street",
                                             "corridor"};

static int osmtags_class_square(void *ctx, const char *cls, size_t len)
{
    (void)ctx;
    for (size_t i = 0; i < sizeof osmtags_square / sizeof osmtags_square[0]; i++)
        if (osmtags_eq(cls, len, osmtags_square[i]))
            return 1;
    return 0;
}

static int osmtags_class_steps(void *ctx, const char *cls, size_t len)
{
    (void)ctx;
    return osmtags_eq(cls, len, "steps");
}

static int osmtags_class_any(void *ctx, const char *cls, size_t len)
{
    (void)ctx;
    (void)cls;
    return len > 0;
}

/* True when the tag value is one of the NULL-terminated words. */
static int osmtags_is(const char *value, const char *const *words)
{
    for (size_t i = 0; value && words[i]; i++)
        if (strcmp(value, words[i]) == 0)
            return 1;
    return 0;
}

int osmtags_walkable(const struct osmtags_way *w)
{
    static const char *const foot_no[] = {"no", "private", "use_sidepath", NULL};
    static const char *const foot_ok[] = {"yes", "designated", "permissive", NULL};
    static const char *const closed[] = {"no", "private", NULL};
    static const char *const yes[] = {"yes", NULL};
    if (w->highway == NULL || !osmtags_each(w->highway, osmtags_class_any, NULL))
        return OSMTAGS_NOT_HIGHWAY;
    if (!osmtags_each(w->highway, osmtags_class_walkable, NULL))
        return OSMTAGS_CLASS_EXCLUDED;
    if (osmtags_is(w->area, yes) && !osmtags_each(w->highway, osmtags_class_square, NULL))
        return OSMTAGS_AREA;
    if (osmtags_is(w->foot, foot_no))
        return OSMTAGS_FOOT_NO;
    int foot_allowed = osmtags_is(w->foot, foot_ok);
    if (osmtags_is(w->access, closed) && !foot_allowed)
        return OSMTAGS_PRIVATE;
    if (osmtags_is(w->motorroad, yes) && !foot_allowed)
        return OSMTAGS_MOTORROAD;
    return OSMTAGS_WALKABLE;
}

unsigned osmtags_flags(const char *highway)
{
    return osmtags_each(highway, osmtags_class_steps, NULL) ? OSMTAGS_FLAG_STEPS : 0;
}

/* Output cursor for osmtags_highway_normalize. */
struct osmtags_out {
    char *buf;   /* destination */
    size_t n;    /* its size in bytes, > 0 */
    size_t used; /* bytes written, excluding the NUL */
    int full;    /* set once a class did not fit */
};

static int osmtags_append(void *ctx, const char *cls, size_t len)
{
    struct osmtags_out *o = ctx;
    size_t need = len + (o->used ? 1 : 0);
    if (o->used + need + 1 > o->n) {
        o->full = 1;
        return 1;
    }
    if (o->used)
        o->buf[o->used++] = ';';
    memcpy(o->buf + o->used, cls, len);
    o->used += len;
    o->buf[o->used] = '\0';
    return 0;
}

const char *osmtags_highway_normalize(const char *highway, char *out, size_t n)
{
    if (n == 0)
        return NULL;
    out[0] = '\0';
    if (highway == NULL)
        return NULL;
    struct osmtags_out o = {out, n, 0, 0};
    osmtags_each(highway, osmtags_append, &o);
    return o.used ? out : NULL;
}

const char *osmtags_verdict_word(int verdict)
{
    switch (verdict) {
    case OSMTAGS_WALKABLE:
        return "walkable";
    case OSMTAGS_NOT_HIGHWAY:
        return "not a highway";
    case OSMTAGS_CLASS_EXCLUDED:
        return "highway class not for walking";
    case OSMTAGS_AREA:
        return "area=yes";
    case OSMTAGS_FOOT_NO:
        return "foot=no";
    case OSMTAGS_PRIVATE:
        return "access=private/no";
    case OSMTAGS_MOTORROAD:
        return "motorroad=yes";
    default:
        return "unknown";
    }
}
