/* SPDX-License-Identifier: MIT */
/* audit.c - append-only records of household reads (see audit.h): one
 * read-write store connection per log, a mutex around it, ids serialised
 * as a JSON array with jansson. Entry points: audit_open, audit_close,
 * audit_record, audit_operator. */
#include "audit.h"

#include "store.h"
#include "store_audit.h"

#include <jansson.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

struct audit_log {
    pthread_mutex_t lock; /* one writer at a time on st */
    struct store *st;     /* read-write connection (owned) */
};

struct audit_log *audit_open(const char *path, struct err *e)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return err_set(e, ERR_NOTFOUND, "the database %s does not exist; import data first", path),
               NULL;
    struct audit_log *a = calloc(1, sizeof *a);
    if (a == NULL)
        return err_nomem(e), NULL;
    if (pthread_mutex_init(&a->lock, NULL) != 0) {
        free(a);
        return err_set(e, ERR_INTERNAL, "cannot create a mutex"), NULL;
    }
    a->st = store_open(path, e);
    if (a->st == NULL) {
        err_prefix(e, "the audit log cannot be opened for writing: ");
        audit_close(a);
        return NULL;
    }
    return a;
}

void audit_close(struct audit_log *a)
{
    if (a == NULL)
        return;
    store_close(a->st);
    pthread_mutex_destroy(&a->lock);
    free(a);
}

int audit_record(struct audit_log *a, const struct audit_read *r, struct err *e)
{
    if (a == NULL)
        return err_set(e, ERR_IO, "there is no audit log to record this read in");
    json_t *ids = json_array();
    for (size_t i = 0; ids && i < r->n; i++)
        if (json_array_append_new(ids, json_string(r->ids[i] ? r->ids[i] : "")) != 0) {
            json_decref(ids);
            ids = NULL;
        }
    char *text = ids ? json_dumps(ids, JSON_COMPACT) : NULL;
    json_decref(ids);
    if (text == NULL)
        return err_nomem(e);
    struct store_audit rec = {
        .user = r->user,
        .role = r->role,
        .endpoint = r->endpoint,
        .client = r->client,
        .households = (long)r->n,
        .ids = text,
    };
    pthread_mutex_lock(&a->lock);
    int rc = store_audit_append(a->st, &rec, e);
    pthread_mutex_unlock(&a->lock);
    free(text);
    return rc;
}

void audit_operator(char *buf, size_t n)
{
    char login[64] = "";
    struct passwd pw, *found = NULL;
    char pwbuf[1024];
    if (getpwuid_r(geteuid(), &pw, pwbuf, sizeof pwbuf, &found) == 0 && found && pw.pw_name)
        snprintf(login, sizeof login, "%s", pw.pw_name);
    else if (getenv("USER") && getenv("USER")[0])
        snprintf(login, sizeof login, "%s", getenv("USER"));
    else
        snprintf(login, sizeof login, "uid%ld", (long)geteuid());
    snprintf(buf, n, "cli:%s", login);
}
