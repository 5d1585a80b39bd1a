/* SPDX-License-Identifier: MIT */
/* server_dir.c - finds the databases of `serve --db-dir` (server_dir.h).
 * Entry points: server_dir_scan, server_dir_count, server_dir_code,
 * server_dir_path, server_dir_free, server_dir_code_ok. */
#include "server_dir.h"

#include "server.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct server_dir_entry {
    char code[SERVER_MOUNT_CODE_MAX + 1]; /* the file's stem */
    char path[SERVER_DIR_PATH_MAX];       /* DIR/CODE.db */
};

struct server_dir {
    struct server_dir_entry e[SERVER_MOUNTS_MAX];
    size_t n;
};

int server_dir_code_ok(const char *code)
{
    size_t k = strlen(code);
    if (k != 5 && k != 6)
        return 0;
    for (size_t i = 0; i < k; i++)
        if (code[i] < '0' || code[i] > '9')
            return 0;
    if (k == 5)
        return 1;
    int sum = 0;
    for (int i = 0; i < 5; i++)
        sum += (code[i] - '0') * (6 - i);
    return code[5] - '0' == (11 - sum % 11) % 10;
}

static int server_dir_cmp(const void *a, const void *b)
{
    return strcmp(((const struct server_dir_entry *)a)->code,
                  ((const struct server_dir_entry *)b)->code);
}

/* Adds DIR/NAME (a *.db file) to d, checking its name. */
static int server_dir_add(struct server_dir *d, const char *dir, const char *name, struct err *e)
{
    size_t stem = strlen(name) - 3;
    char code[16];
    if (stem >= sizeof code)
        stem = sizeof code - 1;
    memcpy(code, name, stem);
    code[stem] = '\0';
    if (!server_dir_code_ok(code))
        return err_set(e, ERR_INPUT,
                       "%s/%.60s: a database in --db-dir must be named by its municipality's code "
                       "(5 digits, or 6 with the check digit), e.g. 29209.db",
                       dir, name);
    for (size_t i = 0; i < d->n; i++)
        if (strncmp(d->e[i].code, code, 5) == 0)
            return err_set(e, ERR_INPUT,
                           "%s holds two databases for municipality %.5s: %s.db and %s", dir, code,
                           d->e[i].code, name);
    if (d->n == SERVER_MOUNTS_MAX)
        return err_set(e, ERR_LIMIT, "%s holds more than %d databases", dir, SERVER_MOUNTS_MAX);
    struct server_dir_entry *x = &d->e[d->n];
    memcpy(x->code, code, stem + 1); /* at most 6 digits: checked above */
    if ((size_t)snprintf(x->path, sizeof x->path, "%s/%s", dir, name) >= sizeof x->path)
        return err_set(e, ERR_LIMIT, "the path of %s in --db-dir is longer than %d bytes", name,
                       SERVER_DIR_PATH_MAX - 1);
    d->n++;
    return ERR_OK;
}

struct server_dir *server_dir_scan(const char *dir, struct err *e)
{
    DIR *dh = opendir(dir);
    if (dh == NULL)
        return err_set(e, ERR_NOTFOUND, "cannot read the directory %s: %s", dir, strerror(errno)),
               NULL;
    struct server_dir *d = calloc(1, sizeof *d);
    if (d == NULL) {
        closedir(dh);
        return err_nomem(e), NULL;
    }
    const struct dirent *de;
    while ((de = readdir(dh)) != NULL) {
        size_t k = strlen(de->d_name);
        if (k < 4 || strcmp(de->d_name + k - 3, ".db") != 0 || de->d_name[0] == '.')
            continue; /* journals, backups, graph files and the like */
        if (server_dir_add(d, dir, de->d_name, e) != ERR_OK) {
            closedir(dh);
            free(d);
            return NULL;
        }
    }
    closedir(dh);
    if (d->n == 0) {
        free(d);
        return err_set(e, ERR_INPUT, "%s holds no database named CODE.db (e.g. 29209.db)", dir),
               NULL;
    }
    qsort(d->e, d->n, sizeof d->e[0], server_dir_cmp);
    return d;
}

size_t server_dir_count(const struct server_dir *d)
{
    return d->n;
}

const char *server_dir_code(const struct server_dir *d, size_t i)
{
    return d->e[i].code;
}

const char *server_dir_path(const struct server_dir *d, size_t i)
{
    return d->e[i].path;
}

void server_dir_free(struct server_dir *d)
{
    free(d);
}
