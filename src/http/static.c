/* SPDX-License-Identifier: MIT */
/* static.c - serves the web page's files (see static.h): finds the web root,
 * checks the requested name, resolves it inside the root, reads the file
 * whole (bounded) and answers it with its content type, a strong ETag and
 * Cache-Control, or 304 when the browser's copy is current. Entry points:
 * static_index, static_web, static_maplibre, static_fonts (the map's glyph
 * ranges, written at build time by tools/glyphs), and the pure helpers
 * static_name_ok, static_range_ok, static_content_type, static_etag_match,
 * static_root. */
/* realpath() is an XSI interface: declare it on top of the project-wide
 * _POSIX_C_SOURCE (both name POSIX.1-2008). */
#define _XOPEN_SOURCE 700

#include "static.h"

#include "hash.h"
#include "paths.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STATIC_MAPLIBRE_DIR "node_modules/maplibre-gl/dist" /* under the web root */
#define STATIC_ROOT_MAX 1024                                /* bytes of the root's path */

/* The page may reach its own origin only: no CDN, no tile or glyph server.
 * MapLibre starts its worker from its own URL (worker-src 'self'); blob:
 * covers its fallback for browsers without module workers. */
static const char static_csp[] =
    "default-src 'self'; script-src 'self'; worker-src 'self' blob:; child-src 'self' blob:; "
    "connect-src 'self'; img-src 'self' data: blob:; style-src 'self'; font-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/* Extensions served, with their types. */
static const struct {
    const char *ext;  /* ".js" */
    const char *type; /* Content-Type */
} static_types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".map", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".pbf", "application/x-protobuf"},
    {".txt", "text/plain; charset=utf-8"},
};

/* ------------------------------------------------------------ pure helpers */

int static_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > STATIC_NAME_MAX)
        return 0;
    int at_segment_start = 1;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (c == '/') {
            if (at_segment_start) /* leading '/' (absolute) or "//" */
                return 0;
            at_segment_start = 1;
            continue;
        }
        if (at_segment_start && c == '.') /* ".", "..", hidden files */
            return 0;
        at_segment_start = 0;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == '-';
        if (!ok)
            return 0;
    }
    return !at_segment_start; /* no trailing '/' */
}

const char *static_content_type(const char *name)
{
    const char *dot = strrchr(name, '.');
    const char *slash = strrchr(name, '/');
    if (dot == NULL || (slash && dot < slash))
        return NULL;
    for (size_t i = 0; i < sizeof static_types / sizeof static_types[0]; i++)
        if (strcmp(dot, static_types[i].ext) == 0)
            return static_types[i].type;
    return NULL;
}

int static_etag_match(const char *inm, const char *etag)
{
    if (inm == NULL)
        return 0;
    size_t elen = strlen(etag);
    const char *p = inm;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (*p == '*')
            return 1;
        if (p[0] == 'W' && p[1] == '/')
            p += 2;
        size_t n = strcspn(p, ",");
        while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            n--;
        if (n == elen && memcmp(p, etag, n) == 0)
            return 1;
        p += strcspn(p, ",");
    }
    return 0;
}

int static_root(char *buf, size_t n, struct err *e)
{
    char dir[PATHS_MAX];
    if (paths_share("web", "index.html", "TSUNAGU_WEB", dir, sizeof dir, e) != ERR_OK)
        return e->code;
    if (strlen(dir) >= n || strlen(dir) > STATIC_ROOT_MAX)
        return err_set(e, ERR_NOTFOUND, "the web root's path is longer than %d bytes",
                       STATIC_ROOT_MAX);
    memcpy(buf, dir, strlen(dir) + 1);
    return ERR_OK;
}

/* ------------------------------------------------------------------ serving */

/* Reads the open regular file fd of `size` bytes into a new buffer. */
static char *static_read(int fd, size_t size, struct err *e)
{
    char *buf = malloc(size ? size : 1);
    if (buf == NULL)
        return err_nomem(e), NULL;
    size_t got = 0;
    while (got < size) {
        ssize_t r = read(fd, buf + got, size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            free(buf);
            return err_set(e, ERR_IO, "a file of the web page cannot be read"), NULL;
        }
        got += (size_t)r;
    }
    return buf;
}

/* The strong entity tag of a content: FNV-1a 64 and the length, quoted. */
static void static_etag(const char *data, size_t n, char *out, size_t outn)
{
    uint64_t h = hash_fnv(HASH_FNV_SEED, data, n);
    snprintf(out, outn, "\"%016llx-%zx\"", (unsigned long long)h, n);
}

/* Opens `name` under the directory `dir` (relative to `base`, the web root
 * when NULL), both resolved; on success *fd is open on a regular file of
 * *size bytes. */
static int static_open(const char *base, const char *dir, const char *name, int *fd, size_t *size,
                       struct err *e)
{
    char root[STATIC_ROOT_MAX + STATIC_NAME_MAX + sizeof STATIC_MAPLIBRE_DIR + 2];
    char want[sizeof root + STATIC_NAME_MAX + 2];
    if (base && strlen(base) <= STATIC_ROOT_MAX)
        memcpy(root, base, strlen(base) + 1);
    else if (base)
        return err_set(e, ERR_NOTFOUND, "the fonts' path is longer than %d bytes", STATIC_ROOT_MAX);
    else if (static_root(root, STATIC_ROOT_MAX + 1, e) != ERR_OK)
        return e->code;
    if (dir) {
        size_t used = strlen(root);
        snprintf(root + used, sizeof root - used, "/%s", dir);
    }
    char *real_root = realpath(root, NULL);
    if (real_root == NULL) {
        if (base)
            return err_set(e, ERR_NOTFOUND, "there are no glyphs for the font '%.60s'", dir);
        if (dir)
            return err_set(e, ERR_NOTFOUND,
                           "MapLibre GL JS is not installed: run `npm ci --prefix web` "
                           "(bash .ci/install does)");
        return err_set(e, ERR_NOTFOUND, "the web root cannot be opened");
    }
    if ((size_t)snprintf(want, sizeof want, "%s/%s", real_root, name) >= sizeof want) {
        free(real_root);
        return err_set(e, ERR_NOTFOUND, "there is no file '%.60s' here", name);
    }
    char *real = realpath(want, NULL);
    size_t rl = strlen(real_root);
    int inside = real && strncmp(real, real_root, rl) == 0 && real[rl] == '/';
    free(real_root);
    if (real == NULL)
        return err_set(e, ERR_NOTFOUND, "there is no file '%.60s' here", name);
    if (!inside) {
        free(real);
        return err_set(e, ERR_FORBIDDEN, "'%.60s' leads outside the web root", name);
    }
    /* O_NONBLOCK: opening a FIFO (or a device) for reading would otherwise
     * wait for a writer and hold the worker; such files are refused below. */
    *fd = open(real, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    free(real);
    struct stat st;
    if (*fd < 0 || fstat(*fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        fcntl(*fd, F_SETFL, fcntl(*fd, F_GETFL) & ~O_NONBLOCK) != 0) {
        if (*fd >= 0)
            close(*fd);
        *fd = -1;
        return err_set(e, ERR_NOTFOUND, "there is no file '%.60s' here", name);
    }
    if (st.st_size > STATIC_FILE_MAX) {
        close(*fd);
        *fd = -1;
        return err_set(e, ERR_IO, "'%.60s' is larger than %d bytes and is not served", name,
                       STATIC_FILE_MAX);
    }
    *size = (size_t)st.st_size;
    return ERR_OK;
}

/* Answers the file `name` of `dir` under `base` (NULL: the web root; dir
 * NULL: base itself). */
static int static_send(struct server_req *rq, const char *base, const char *dir, const char *name,
                       struct err *e)
{
    const char *v;
    const struct server_param spec[] = {{"v", &v}, {NULL, NULL}};
    if (server_req_params(rq, spec, e) != ERR_OK)
        return ERR_INPUT;
    if (name == NULL || !static_name_ok(name))
        return err_set(e, ERR_INPUT,
                       "a file name here is up to %d bytes of letters, digits, '.', '_' and "
                       "'-', and does not start with '.'",
                       STATIC_NAME_MAX);
    const char *type = static_content_type(name);
    if (type == NULL)
        return err_set(e, ERR_NOTFOUND, "files of this type are not served");
    int fd = -1;
    size_t size = 0;
    if (static_open(base, dir, name, &fd, &size, e) != ERR_OK)
        return e->code;
    char *data = static_read(fd, size, e);
    close(fd);
    if (data == NULL)
        return e->code;
    char etag[48];
    static_etag(data, size, etag, sizeof etag);
    int html = strncmp(type, "text/html", 9) == 0;
    const struct server_header page[] = {{"ETag", etag},
                                         {"Content-Security-Policy", static_csp},
                                         {"Referrer-Policy", "no-referrer"},
                                         {NULL, NULL}};
    const struct server_header asset[] = {{"ETag", etag}, {NULL, NULL}};
    if (static_etag_match(server_req_header(rq, "If-None-Match"), etag)) {
        free(data);
        return server_reply_bytes(rq, 304, NULL, 0, NULL, "no-cache", asset, e);
    }
    return server_reply_bytes(rq, 200, data, size, type, "no-cache", html ? page : asset, e);
}

int static_index(struct server_req *rq, struct err *e)
{
    return static_send(rq, NULL, NULL, "index.html", e);
}

int static_web(struct server_req *rq, struct err *e)
{
    return static_send(rq, NULL, NULL, server_req_arg(rq, 0), e);
}

int static_maplibre(struct server_req *rq, struct err *e)
{
    return static_send(rq, NULL, STATIC_MAPLIBRE_DIR, server_req_arg(rq, 0), e);
}

int static_range_ok(const char *range)
{
    char *end;
    if (range[0] < '0' || range[0] > '9' || strlen(range) > 15)
        return 0;
    long first = strtol(range, &end, 10);
    if (*end != '-' || end[1] < '0' || end[1] > '9')
        return 0;
    long last = strtol(end + 1, &end, 10);
    return strcmp(end, ".pbf") == 0 && first % 256 == 0 && last == first + 255 && last <= 65535;
}

int static_fonts(struct server_req *rq, struct err *e)
{
    const char *stack = server_req_arg(rq, 0), *range = server_req_arg(rq, 1);
    if (stack == NULL || range == NULL || !static_name_ok(stack) || !static_range_ok(range))
        return err_set(e, ERR_INPUT,
                       "glyphs are asked as /fonts/STACK/FIRST-LAST.pbf: a font stack of "
                       "letters, digits, '.', '_' and '-', and a range of 256 code points "
                       "below 65536");
    char probe[STATIC_NAME_MAX * 2 + 2], dir[PATHS_MAX];
    snprintf(probe, sizeof probe, "%s/%s", stack, range);
    struct err ignored = {0};
    /* Installed: PREFIX/share/tsunagu/fonts (or $TSUNAGU_FONTS); a build
     * tree: the ranges its build wrote (TSUNAGU_FONTS_BUILD_DIR). */
    if (paths_share("fonts", probe, "TSUNAGU_FONTS", dir, sizeof dir, &ignored) != ERR_OK)
        snprintf(dir, sizeof dir, "%s", TSUNAGU_FONTS_BUILD_DIR);
    return static_send(rq, dir, stack, range, e);
}
