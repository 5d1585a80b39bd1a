/* SPDX-License-Identifier: MIT */
/* fuzzutil.c - helpers shared by the fuzz targets (see fuzzutil.h). */
#include "fuzzutil.h"

#include "crs.h"
#include "import.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FZ_PATH_MAX 4096 /* bytes of a temporary path */

static char fz_dir[FZ_PATH_MAX];           /* private temporary directory, "" before fz_tmpdir */
static char fz_template[FZ_PATH_MAX + 16]; /* template path prefix, "" before fz_store_fresh */

char *fz_text(const uint8_t *data, size_t n)
{
    char *s = malloc(n + 1);
    fz_check(s != NULL, "out of memory copying the input");
    if (n > 0)
        memcpy(s, data, n);
    s[n] = '\0';
    return s;
}

size_t fz_split(char *s, char sep, char **fields, size_t max)
{
    size_t n = 0;
    if (max == 0)
        return 0;
    fields[n++] = s;
    for (char *p = s; *p && n < max; p++)
        if (*p == sep) {
            *p = '\0';
            fields[n++] = p + 1;
        }
    return n;
}

void fz_check(int cond, const char *what)
{
    if (!cond) {
        fprintf(stderr, "fuzz invariant failed: %s\n", what);
        abort();
    }
}

int fz_utf8_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = p[0] < 0x80                    ? 1
                   : p[0] >= 0xC2 && p[0] <= 0xDF ? 2
                   : p[0] >= 0xE0 && p[0] <= 0xEF ? 3
                   : p[0] >= 0xF0 && p[0] <= 0xF4 ? 4
                                                  : 0;
        if (n == 0)
            return 0;
        for (size_t i = 1; i < n; i++)
            if ((p[i] & 0xC0) != 0x80)
                return 0;
        if ((n == 3 && p[0] == 0xE0 && p[1] < 0xA0) || (n == 3 && p[0] == 0xED && p[1] >= 0xA0) ||
            (n == 4 && p[0] == 0xF0 && p[1] < 0x90) || (n == 4 && p[0] == 0xF4 && p[1] >= 0x90))
            return 0;
        p += n;
    }
    return 1;
}

/* Removes the private directory and the files in it (flat: nothing the
 * targets or the libraries make there has subdirectories). */
static void fz_cleanup(void)
{
    if (fz_dir[0] == '\0')
        return;
    DIR *d = opendir(fz_dir);
    if (d != NULL) {
        struct dirent *de;
        char path[FZ_PATH_MAX + 256];
        while ((de = readdir(d)) != NULL) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            snprintf(path, sizeof path, "%s/%s", fz_dir, de->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(fz_dir);
    fz_dir[0] = '\0';
}

const char *fz_tmpdir(void)
{
    if (fz_dir[0] != '\0')
        return fz_dir;
    const char *base = getenv("TMPDIR");
    int w =
        snprintf(fz_dir, sizeof fz_dir, "%s/tsunagu-fuzz-XXXXXX", base && *base ? base : "/tmp");
    fz_check(w > 0 && (size_t)w < sizeof fz_dir - 64, "TMPDIR is too long");
    fz_check(mkdtemp(fz_dir) != NULL, "cannot create a temporary directory");
    atexit(fz_cleanup);
    setenv("TMPDIR", fz_dir, 1);
    setenv("CPL_TMPDIR", fz_dir, 1);
    return fz_dir;
}

/* Writes n bytes to path (created or truncated); 0 on success. */
static int fz_put(const char *path, const void *data, size_t n)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    const char *p = data;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            close(fd);
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return close(fd);
}

const char *fz_write(const char *name, const uint8_t *data, size_t n)
{
    static char path[FZ_PATH_MAX + 256];
    snprintf(path, sizeof path, "%s/%s", fz_tmpdir(), name);
    fz_check(fz_put(path, data, n) == 0, "cannot write the input file");
    return path;
}

/* Copies file `from` to `to`; 0 on success. */
static int fz_copy(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    if (in == NULL)
        return -1;
    FILE *out = fopen(to, "wb");
    if (out == NULL) {
        fclose(in);
        return -1;
    }
    char buf[1 << 16];
    size_t got;
    int rc = 0;
    while ((got = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, got, out) != got)
            rc = -1;
    if (ferror(in))
        rc = -1;
    fclose(in);
    if (fclose(out) != 0)
        rc = -1;
    return rc;
}

/* Makes the template database at path: empty, or with FZ_SRID fixed. */
static void fz_template_make(const char *path, int empty)
{
    struct err e = {0};
    struct store *t = store_open(path, &e);
    if (t != NULL && !empty) {
        char name[96];
        crs_name(FZ_SRID, name, sizeof name);
        if (store_begin(t, &e) != ERR_OK || store_init_srid(t, FZ_SRID, name, &e) != ERR_OK ||
            store_commit(t, &e) != ERR_OK) {
            store_close(t);
            t = NULL;
        }
    }
    if (t == NULL)
        fprintf(stderr, "fuzz: %s\n", e.msg);
    fz_check(t != NULL, "cannot create a template database");
    store_close(t); /* the last close checkpoints the WAL into the file */
}

struct store *fz_store_fresh(int empty)
{
    struct err e = {0};
    char path[FZ_PATH_MAX + 128];
    if (fz_template[0] == '\0') {
        snprintf(fz_template, sizeof fz_template, "%s/template", fz_tmpdir());
        snprintf(path, sizeof path, "%s-empty.db", fz_template);
        fz_template_make(path, 1);
        snprintf(path, sizeof path, "%s-crs.db", fz_template);
        fz_template_make(path, 0);
    }
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        snprintf(path, sizeof path, "%s/work.db%s", fz_dir, suffixes[i]);
        unlink(path);
    }
    char from[FZ_PATH_MAX + 128];
    snprintf(from, sizeof from, "%s-%s.db", fz_template, empty ? "empty" : "crs");
    snprintf(path, sizeof path, "%s/work.db", fz_dir);
    fz_check(fz_copy(from, path) == 0, "cannot copy the template database");
    struct store *s = store_open(path, &e);
    if (s == NULL)
        fprintf(stderr, "fuzz: %s\n", e.msg);
    fz_check(s != NULL, "cannot open a fresh database");
    return s;
}

int fz_import(struct store *st, int kind, const char *path)
{
    struct err e = {0};
    return fz_import_err(st, kind, path, &e);
}

int fz_import_err(struct store *st, int kind, const char *path, struct err *e)
{
    struct import_opts o;
    memset(&o, 0, sizeof o);
    o.kind = kind;
    o.src.path = path;
    o.level = kind == IMPORT_DISTRICTS ? "elementary" : NULL;
    struct err fe = {0};
    unsigned long long before = 0, after = 0;
    fz_check(store_fingerprint(st, &before, &fe) == ERR_OK, "the database can be fingerprinted");
    struct import_report rep;
    int rc = import_run(st, &o, &rep, e);
    if (rc == ERR_OK) {
        fz_check(rep.stored >= 0 && rep.read >= 0, "an import reports what it read and stored");
        fz_check(store_srid(st) != 0, "a successful import fixes the database CRS");
        return rc;
    }
    fz_check(e->code != ERR_OK && e->msg[0] != '\0', "a failed import comes with a sentence");
    fz_check(e->code != ERR_INTERNAL, "bad input is never an internal error");
    fz_check(store_fingerprint(st, &after, &fe) == ERR_OK && before == after,
             "a failed import leaves the database as it was");
    return rc;
}
