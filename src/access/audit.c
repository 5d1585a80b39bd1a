/* SPDX-License-Identifier: MIT */
/* audit.c - append-only records of household reads (see audit.h): one
 * read-write store connection per log, owned by one writer thread that
 * drains a queue; ids serialised as a JSON array with jansson. Entry
 * points: audit_open, audit_close, audit_record, audit_operator.
 *
 * Why a queue: the database has one write lock, which an import holds for
 * its whole transaction. A reader that waited for it inside its request
 * held a server thread for up to the busy timeout (10 s), and the requests
 * queued behind that thread - walks included - waited too. Now the writer
 * alone waits, in short steps (AUDIT_BUSY_MS), and a reader waits for its
 * own record at most AUDIT_WAIT_MS: written, or withdrawn from the queue
 * and the read refused. A record is never written after its reader gave
 * up, and no data leaves before its record is committed. */
#include "audit.h"

#include "store.h"
#include "store_audit.h"

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define AUDIT_BUSY_MS 100 /* the writer's wait for the write lock, per try */
#define AUDIT_RETRY_MS 50 /* pause between tries while the database is busy */

/* Where a record is on its way into the log. */
enum audit_state {
    AUDIT_QUEUED,  /* in the queue, not taken yet */
    AUDIT_WRITING, /* taken by the writer */
    AUDIT_DONE,    /* committed */
    AUDIT_DROPPED  /* withdrawn by its reader, or refused while the log closes */
};

/* One record waiting for the writer; lives on the reader's stack. */
struct audit_entry {
    const struct store_audit *rec; /* borrowed from the reader, who waits */
    enum audit_state state;        /* guarded by the log's lock */
    struct audit_entry *next;      /* next in the queue */
};

struct audit_log {
    pthread_mutex_t lock;       /* guards the queue, states and stop */
    pthread_cond_t work;        /* signalled when a record is queued or stop is set */
    pthread_cond_t done;        /* broadcast when a record leaves AUDIT_WRITING */
    struct audit_entry *head;   /* oldest queued record */
    struct audit_entry **tailp; /* where the next one goes */
    int stop;                   /* 1 once audit_close began */
    int running;                /* 1 while the writer thread exists */
    pthread_t writer;           /* drains the queue into st */
    struct store *st;           /* read-write connection (owned, used by the writer only) */
    unsigned wait_ms;           /* how long a reader waits for its record */
};

static void audit_deadline(struct timespec *ts, unsigned ms)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

/* Removes entry q from the queue (the lock held). */
static void audit_unlink(struct audit_log *a, struct audit_entry *q)
{
    for (struct audit_entry **p = &a->head; *p; p = &(*p)->next)
        if (*p == q) {
            *p = q->next;
            if (a->tailp == &q->next)
                a->tailp = p;
            return;
        }
}

/* The writer: takes the oldest record, appends it, and on failure (mostly
 * the write lock held by an import) puts it back and tries again after a
 * pause, until it is written or its reader withdraws it. */
static void *audit_writer(void *arg)
{
    struct audit_log *a = arg;
    pthread_mutex_lock(&a->lock);
    for (;;) {
        while (a->head == NULL && !a->stop)
            pthread_cond_wait(&a->work, &a->lock);
        struct audit_entry *q = a->head;
        if (q == NULL)
            break; /* stopping with nothing queued */
        q->state = AUDIT_WRITING;
        pthread_mutex_unlock(&a->lock);
        struct err e = {0};
        int rc = store_audit_append(a->st, q->rec, &e);
        pthread_mutex_lock(&a->lock);
        if (rc == ERR_OK || a->stop) {
            audit_unlink(a, q);
            q->state = rc == ERR_OK ? AUDIT_DONE : AUDIT_DROPPED;
            pthread_cond_broadcast(&a->done);
            continue;
        }
        q->state = AUDIT_QUEUED; /* still first in the queue */
        pthread_cond_broadcast(&a->done);
        struct timespec ts;
        audit_deadline(&ts, AUDIT_RETRY_MS);
        pthread_cond_timedwait(&a->work, &a->lock, &ts);
    }
    pthread_mutex_unlock(&a->lock);
    return NULL;
}

struct audit_log *audit_open(const char *path, struct err *e)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return err_set(e, ERR_NOTFOUND, "the database %s does not exist; import data first", path),
               NULL;
    struct audit_log *a = calloc(1, sizeof *a);
    if (a == NULL)
        return err_nomem(e), NULL;
    pthread_condattr_t ca;
    int ok = pthread_condattr_init(&ca) == 0;
    ok = ok && pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0;
    if (!ok || pthread_mutex_init(&a->lock, NULL) != 0) {
        free(a);
        return err_set(e, ERR_INTERNAL, "cannot create a mutex"), NULL;
    }
    if (pthread_cond_init(&a->work, &ca) != 0 || pthread_cond_init(&a->done, &ca) != 0) {
        pthread_mutex_destroy(&a->lock);
        free(a);
        return err_set(e, ERR_INTERNAL, "cannot create a condition variable"), NULL;
    }
    pthread_condattr_destroy(&ca);
    a->tailp = &a->head;
    a->wait_ms = AUDIT_WAIT_MS;
    a->st = store_open(path, e);
    if (a->st == NULL) {
        err_prefix(e, "the audit log cannot be opened for writing: ");
        audit_close(a);
        return NULL;
    }
    store_busy_timeout(a->st, AUDIT_BUSY_MS);
    if (pthread_create(&a->writer, NULL, audit_writer, a) != 0) {
        audit_close(a);
        return err_set(e, ERR_INTERNAL, "cannot start the audit log's writer thread"), NULL;
    }
    a->running = 1;
    return a;
}

void audit_close(struct audit_log *a)
{
    if (a == NULL)
        return;
    if (a->running) {
        pthread_mutex_lock(&a->lock);
        a->stop = 1;
        pthread_cond_signal(&a->work);
        pthread_mutex_unlock(&a->lock);
        pthread_join(a->writer, NULL);
    }
    store_close(a->st);
    pthread_cond_destroy(&a->work);
    pthread_cond_destroy(&a->done);
    pthread_mutex_destroy(&a->lock);
    free(a);
}

void audit_set_wait(struct audit_log *a, unsigned ms)
{
    pthread_mutex_lock(&a->lock);
    a->wait_ms = ms;
    pthread_mutex_unlock(&a->lock);
}

/* Queues rec and waits until the writer committed it (ERR_OK), or until
 * the wait is over while it is still queued: then withdraws it (ERR_BUSY).
 * A record the writer is writing is waited for to the end. */
static int audit_submit(struct audit_log *a, const struct store_audit *rec, struct err *e)
{
    struct audit_entry q = {rec, AUDIT_QUEUED, NULL};
    pthread_mutex_lock(&a->lock);
    if (a->stop) {
        pthread_mutex_unlock(&a->lock);
        return err_set(e, ERR_BUSY, "the audit log is closing");
    }
    *a->tailp = &q;
    a->tailp = &q.next;
    pthread_cond_signal(&a->work);
    struct timespec deadline;
    audit_deadline(&deadline, a->wait_ms);
    int late = 0;
    while (q.state == AUDIT_QUEUED || q.state == AUDIT_WRITING) {
        if (q.state == AUDIT_QUEUED && late) {
            audit_unlink(a, &q);
            q.state = AUDIT_DROPPED;
            break;
        }
        if (late)
            pthread_cond_wait(&a->done, &a->lock);
        else if (pthread_cond_timedwait(&a->done, &a->lock, &deadline) == ETIMEDOUT)
            late = 1;
    }
    pthread_mutex_unlock(&a->lock);
    return q.state == AUDIT_DONE
               ? ERR_OK
               : err_set(e, ERR_BUSY, "the audit log could not be written within %u ms",
                         a->wait_ms);
}

/* The strings v[0..n) as a compact JSON array (NULL entries as ""), or
 * NULL when out of memory; the caller frees it. */
static char *audit_json_list(const char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, json_string(v[i] ? v[i] : "")) != 0) {
            json_decref(a);
            a = NULL;
        }
    char *text = a ? json_dumps(a, JSON_COMPACT) : NULL;
    json_decref(a);
    return text;
}

int audit_record(struct audit_log *a, const struct audit_read *r, struct err *e)
{
    if (a == NULL)
        return err_set(e, ERR_IO, "there is no audit log to record this read in");
    char *text = audit_json_list(r->ids, r->n);
    char *via = r->via ? audit_json_list(r->via, r->n) : NULL;
    if (text == NULL || (r->via && via == NULL)) {
        free(text);
        free(via);
        return err_nomem(e);
    }
    struct store_audit rec = {
        .user = r->user,
        .role = r->role,
        .endpoint = r->endpoint,
        .client = r->client,
        .households = (long)r->n,
        .ids = text,
        .via = via,
    };
    int rc = audit_submit(a, &rec, e);
    free(text);
    free(via);
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
