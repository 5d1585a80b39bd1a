/* SPDX-License-Identifier: MIT */
/* session.c - the server's table of browser sessions (see session.h): a
 * fixed array of slots under one mutex, each holding the SHA-256 of a
 * session id, the hash of the token that opened it and its times. A
 * lookup scans every slot with secure_equal, so its time depends on the
 * table size only (1024 slots of 32 bytes: a few microseconds), never on
 * how much of an id matched. Entry points are those of session.h. */
#include "session.h"

#include "secure.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* One session. */
struct session_slot {
    int used;                               /* 1 when the slot holds a session */
    unsigned char id_hash[AUTH_HASH_BYTES]; /* SHA-256 of the session id */
    unsigned char token[AUTH_HASH_BYTES];   /* hash of the bearer token that opened it */
    double opened;                          /* when it was opened (seconds) */
    double seen;                            /* its last request */
};

struct session_table {
    pthread_mutex_t lock;                    /* guards slot */
    struct session_slot slot[SESSION_SLOTS]; /* the sessions */
};

struct session_table *session_table_new(struct err *e)
{
    struct session_table *t = calloc(1, sizeof *t);
    if (t == NULL)
        return err_nomem(e), NULL;
    if (pthread_mutex_init(&t->lock, NULL) != 0) {
        free(t);
        return err_set(e, ERR_INTERNAL, "cannot create a mutex"), NULL;
    }
    return t;
}

void session_table_free(struct session_table *t)
{
    if (t == NULL)
        return;
    pthread_mutex_destroy(&t->lock);
    memset(t->slot, 0, sizeof t->slot);
    free(t);
}

/* 1 when s is past either timeout at now. */
static int session_expired(const struct session_slot *s, double now)
{
    return now - s->seen > SESSION_IDLE_SECONDS || now - s->opened > SESSION_MAX_SECONDS;
}

int session_open(struct session_table *t, const unsigned char token_hash[AUTH_HASH_BYTES],
                 double now, char *id, struct err *e)
{
    if (auth_token_new(id, e) != ERR_OK)
        return e->code;
    unsigned char h[AUTH_HASH_BYTES];
    auth_token_hash(id, h);
    pthread_mutex_lock(&t->lock);
    /* A free slot, else an expired one, else the one idle longest. */
    struct session_slot *pick = NULL;
    for (size_t i = 0; i < SESSION_SLOTS; i++) {
        struct session_slot *s = &t->slot[i];
        if (!s->used || session_expired(s, now)) {
            pick = s;
            break;
        }
        if (pick == NULL || s->seen < pick->seen)
            pick = s;
    }
    pick->used = 1;
    memcpy(pick->id_hash, h, sizeof h);
    memcpy(pick->token, token_hash, AUTH_HASH_BYTES);
    pick->opened = pick->seen = now;
    pthread_mutex_unlock(&t->lock);
    return ERR_OK;
}

/* The slot holding the session id hashed to h, or NULL; every used slot
 * is compared. Called with the lock held. */
static struct session_slot *session_slot_of(struct session_table *t,
                                            const unsigned char h[AUTH_HASH_BYTES])
{
    struct session_slot *found = NULL;
    for (size_t i = 0; i < SESSION_SLOTS; i++) {
        struct session_slot *s = &t->slot[i];
        if (secure_equal(s->id_hash, h, AUTH_HASH_BYTES) && s->used)
            found = s;
    }
    return found;
}

int session_find(struct session_table *t, const char *id, double now,
                 unsigned char token_hash[AUTH_HASH_BYTES])
{
    if (!auth_token_check(id))
        return 0;
    unsigned char h[AUTH_HASH_BYTES];
    auth_token_hash(id, h);
    pthread_mutex_lock(&t->lock);
    struct session_slot *s = session_slot_of(t, h);
    int live = s != NULL && !session_expired(s, now);
    if (live) {
        s->seen = now;
        memcpy(token_hash, s->token, AUTH_HASH_BYTES);
    } else if (s != NULL) {
        memset(s, 0, sizeof *s);
    }
    pthread_mutex_unlock(&t->lock);
    return live;
}

int session_close(struct session_table *t, const char *id)
{
    if (!auth_token_check(id))
        return 0;
    unsigned char h[AUTH_HASH_BYTES];
    auth_token_hash(id, h);
    pthread_mutex_lock(&t->lock);
    struct session_slot *s = session_slot_of(t, h);
    if (s != NULL)
        memset(s, 0, sizeof *s);
    pthread_mutex_unlock(&t->lock);
    return s != NULL;
}

int session_count(struct session_table *t)
{
    int n = 0;
    pthread_mutex_lock(&t->lock);
    for (size_t i = 0; i < SESSION_SLOTS; i++)
        n += t->slot[i].used;
    pthread_mutex_unlock(&t->lock);
    return n;
}
