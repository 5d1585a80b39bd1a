/* SPDX-License-Identifier: MIT */
/* fuzz_static_path.c - fuzz target for the static-file name check
 * (src/static.c): the input is the path of a request as a client sends it
 * ("/web/app.js", "/web/%2e%2e%2fetc%2fpasswd", ...). It is decoded as
 * libmicrohttpd decodes it (MHD_http_unescape), the file name is cut after
 * /web/ or /lib/maplibre-gl/ as the routing table does (one non-empty
 * segment), and static_name_ok, static_content_type and static_etag_match
 * run on it. Invariants: an accepted name is relative, never names a
 * parent or hidden entry, and holds only [A-Za-z0-9._-/]; names accepted
 * are also accepted after a second decoding round (nothing is left to
 * decode), and joining an accepted name to a directory never leaves it. */
#include "fuzzutil.h"
#include "static.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

/* The file name the routing table hands static_web/static_maplibre for a
 * decoded path, or NULL when neither route matches. */
static const char *fuzz_static_name(const char *path)
{
    static const char *const prefixes[] = {"/web/", "/lib/maplibre-gl/"};
    for (size_t i = 0; i < 2; i++) {
        size_t n = strlen(prefixes[i]);
        if (strncmp(path, prefixes[i], n) == 0 && path[n] != '\0' && strchr(path + n, '/') == NULL)
            return path + n;
    }
    return NULL;
}

/* The checks an accepted name must pass. */
static void fuzz_static_accepted(const char *name)
{
    size_t n = strlen(name);
    fz_check(n >= 1 && n <= STATIC_NAME_MAX, "an accepted name is 1..STATIC_NAME_MAX bytes");
    fz_check(name[0] != '/' && name[0] != '.', "an accepted name is relative and not hidden");
    fz_check(strstr(name, "/.") == NULL, "no segment of an accepted name starts with '.'");
    fz_check(strstr(name, "//") == NULL && name[n - 1] != '/', "no empty segment");
    fz_check(strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/") ==
                 n,
             "an accepted name holds only [A-Za-z0-9._-/]");
    /* Walking the segments never climbs above the starting directory. */
    int depth = 0;
    char *copy = strdup(name);
    fz_check(copy != NULL, "out of memory");
    char *segs[STATIC_NAME_MAX + 1];
    size_t k = fz_split(copy, '/', segs, STATIC_NAME_MAX + 1);
    for (size_t i = 0; i < k; i++) {
        if (strcmp(segs[i], "..") == 0)
            depth--;
        else if (strcmp(segs[i], ".") != 0)
            depth++;
        fz_check(depth >= 0, "an accepted name stays below its directory");
    }
    free(copy);
    const char *type = static_content_type(name);
    fz_check(type == NULL || strchr(type, '/') != NULL, "a content type is type/subtype");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 8192)
        return 0; /* the server refuses targets over SERVER_URL_MAX bytes */
    char *path = fz_text(data, size);
    char *raw = fz_text(data, size);
    /* The undecoded text itself, as a name a careless caller might pass. */
    if (static_name_ok(raw))
        fuzz_static_accepted(raw);
    MHD_http_unescape(path);
    const char *name = fuzz_static_name(path);
    if (name != NULL && static_name_ok(name)) {
        fuzz_static_accepted(name);
        char *twice = strdup(name);
        fz_check(twice != NULL, "out of memory");
        MHD_http_unescape(twice);
        fz_check(strcmp(twice, name) == 0, "an accepted name has nothing left to decode");
        free(twice);
    }
    /* The whole decoded path as a name (names with '/' reach static_name_ok
     * from other callers), and as an If-None-Match header. */
    if (static_name_ok(path))
        fuzz_static_accepted(path);
    static const char etag[] = "\"0123456789abcdef-1a\"";
    int m = static_etag_match(raw, etag);
    fz_check(m == 0 || m == 1, "static_etag_match answers 0 or 1");
    free(raw);
    free(path);
    return 0;
}
