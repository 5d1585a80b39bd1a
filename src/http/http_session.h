/* SPDX-License-Identifier: MIT */
/* http_session.h - the page's sign-in session (session.h) over HTTP:
 * POST /api/session, sent once with Authorization: Bearer TOKEN, opens a
 * server-side session and sets its id in a cookie (HttpOnly, SameSite=
 * Strict, Path=/, Secure over TLS, no Max-Age or Expires, so it ends with
 * the browser); DELETE /api/session signs out: the server forgets the
 * session and the cookie is cleared. Bearer tokens keep working for API
 * and command-line clients; the cookie only signs in requests that carry
 * no Authorization header (server.c).
 *
 * GET /api/session tells the page who is signed in without an error for
 * the anonymous (as /api/me, or {"signed_in": false}).
 *
 * Entry points: http_session_open, http_session_close, http_session_get. */
#ifndef TSUNAGU_HTTP_SESSION_H
#define TSUNAGU_HTTP_SESSION_H

#include "server.h"

/* 201 {"name","role","idle_minutes","max_hours"} with Set-Cookie; 401
 * when the request did not sign in with a bearer token (a cookie cannot
 * open another session), 503 when the kernel gives no random bytes. */
int http_session_open(struct server_req *rq, struct err *e);

/* 204 with a Set-Cookie that clears the cookie, whether or not a session
 * was open (signing out twice is not an error). */
int http_session_close(struct server_req *rq, struct err *e);

/* 200 with /api/me's document when signed in (bearer or cookie), else
 * 200 {"signed_in": false}. */
int http_session_get(struct server_req *rq, struct err *e);

#endif
