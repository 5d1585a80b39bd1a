/* SPDX-License-Identifier: MIT */
/* err.h - the one error convention of tsunagu.
 *
 * Every fallible function returns an int status (ERR_OK == 0, otherwise one of
 * enum err_code) and fills a caller-owned `struct err` with one sentence a user
 * can act on. The sentence travels unchanged to the edge, where the CLI turns
 * the code into an exit status (err_exit_status) and the HTTP layer into a
 * status code (err_http_status).
 *
 * Privacy rule: messages must never carry household data (ids, coordinates,
 * needs). Callers handling households pass only file names and row numbers.
 *
 * Entry points: err_set, err_prefix, err_clear, err_exit_status,
 * err_http_status, err_nomem.
 */
#ifndef TSUNAGU_ERR_H
#define TSUNAGU_ERR_H

#include <stddef.h>

enum err_code {
    ERR_OK = 0,
    ERR_INPUT = 1,        /* the user's input is wrong: exit 2, HTTP 400 */
    ERR_NOTFOUND = 2,     /* a named thing does not exist: exit 3, HTTP 404 */
    ERR_LIMIT = 3,        /* an input exceeds an explicit limit: exit 2, HTTP 413 */
    ERR_IO = 4,           /* file or database I/O failed: exit 4, HTTP 500 */
    ERR_NOMEM = 5,        /* allocation failed: exit 5, HTTP 503 */
    ERR_INTERNAL = 6,     /* a bug or library failure: exit 70, HTTP 500 */
    ERR_FORBIDDEN = 7,    /* the caller may not do this: exit 2, HTTP 403 */
    ERR_UNAUTHORIZED = 8, /* the caller is not signed in (no or a bad token): exit 2, HTTP 401 */
    ERR_BUSY = 9          /* a shared resource is busy, try again shortly: exit 75, HTTP 503 */
};

#define ERR_MSG_MAX 512

/* An error report: code plus a human sentence. Zero-initialise before use. */
struct err {
    int code;              /* enum err_code; ERR_OK when nothing failed */
    char msg[ERR_MSG_MAX]; /* one sentence, NUL-terminated, may be truncated */
};

/* Record an error in `e` (may be NULL) unless one is already recorded, so the
 * first, most specific cause wins. Returns `code` for `return err_set(...)`. */
int err_set(struct err *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Prefix the recorded message with context ("FILE: ") in place. */
void err_prefix(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Forget any recorded error. */
void err_clear(struct err *e);

/* Exit status for a CLI program reporting `code`. */
int err_exit_status(int code);

/* HTTP status code for `code`. */
int err_http_status(int code);

/* Convenience: set ERR_NOMEM with a fixed message; returns ERR_NOMEM. */
int err_nomem(struct err *e);

#endif
