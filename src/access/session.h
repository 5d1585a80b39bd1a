/* SPDX-License-Identifier: MIT */
/* session.h - browser sessions kept by the server: a signed-in page gets
 * a random session id in an HttpOnly cookie, so every tab of the same
 * browser is signed in until sign-out, while the id never reaches a URL,
 * script or localStorage. The table keeps only the SHA-256 of each id
 * (as users keep their tokens' hashes) beside the hash of the bearer token
 * that opened it: every request looks the user up by that token hash, so a
 * revoked token ends its sessions at once.
 *
 * A session ends on sign-out (session_close), after SESSION_IDLE_SECONDS
 * without a request and SESSION_MAX_SECONDS after it was opened, whichever
 * comes first, and with the server process (the table is in memory: a
 * restart signs every browser out, which is the safe direction). Pure
 * policy: no HTTP, no SQL; the caller passes the time, so the timeouts are
 * tested without waiting.
 *
 * Entry points: session_table_new, session_table_free, session_open,
 * session_find, session_close, session_count. */
#ifndef TSUNAGU_SESSION_H
#define TSUNAGU_SESSION_H

#include "auth.h"
#include "err.h"

#define SESSION_COOKIE "tsunagu_session"        /* the cookie's name */
#define SESSION_ID_LEN AUTH_TOKEN_LEN           /* an id has the shape of a token */
#define SESSION_IDLE_SECONDS (30.0 * 60)        /* ends after 30 minutes without a request */
#define SESSION_MAX_SECONDS (8.0 * 3600)        /* and 8 hours (a working day) after sign-in */
#define SESSION_SLOTS 1024                      /* sessions kept at once */
#define SESSION_CSRF_HEADER "X-Tsunagu-Request" /* the page's own header on changes */

struct session_table;

/* A new, empty table. NULL with ERR_NOMEM (or ERR_INTERNAL when a mutex
 * cannot be made). Thread-safe; free with session_table_free. */
struct session_table *session_table_new(struct err *e);
void session_table_free(struct session_table *t);

/* Opens a session for the user whose bearer token hashes to token_hash,
 * at `now` (seconds, any monotonic clock): writes its new id (random, from
 * auth_token_new; SESSION_ID_LEN + 1 bytes) into id. When every slot is
 * taken, expired sessions go first, then the one idle longest. ERR_IO when
 * the kernel gives no random bytes (nothing stored). */
int session_open(struct session_table *t, const unsigned char token_hash[AUTH_HASH_BYTES],
                 double now, char *id, struct err *e);

/* 1 when `id` names a live session at `now`: copies its token hash into
 * token_hash and counts `now` as its last use; else 0 (an unknown or
 * malformed id, or one past a timeout, which is then forgotten). The
 * comparison of hashes takes the same time for every stored session. */
int session_find(struct session_table *t, const char *id, double now,
                 unsigned char token_hash[AUTH_HASH_BYTES]);

/* Ends the session `id` (sign-out): 1 when there was one, else 0. */
int session_close(struct session_table *t, const char *id);

/* Sessions held (live or not yet found expired), for tests. */
int session_count(struct session_table *t);

#endif
