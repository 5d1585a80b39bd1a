/* SPDX-License-Identifier: MIT */
/* err.c - implements the error convention declared in err.h: recording the
 * first error with its sentence, prefixing context, and mapping codes to CLI
 * exit statuses and HTTP status codes. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int err_set(struct err *e, int code, const char *fmt, ...)
{
    if (e == NULL || e->code != ERR_OK)
        return code;
    e->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return code;
}

void err_prefix(struct err *e, const char *fmt, ...)
{
    if (e == NULL || e->code == ERR_OK)
        return;
    char old[ERR_MSG_MAX];
    memcpy(old, e->msg, sizeof old);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    size_t used = (size_t)n < sizeof e->msg ? (size_t)n : sizeof e->msg - 1;
    size_t room = sizeof e->msg - 1 - used;
    size_t keep = strlen(old) < room ? strlen(old) : room;
    memcpy(e->msg + used, old, keep);
    e->msg[used + keep] = '\0';
}

void err_clear(struct err *e)
{
    if (e == NULL)
        return;
    e->code = ERR_OK;
    e->msg[0] = '\0';
}

int err_exit_status(int code)
{
    switch (code) {
    case ERR_OK:
        return 0;
    case ERR_INPUT:
    case ERR_LIMIT:
    case ERR_FORBIDDEN:
    case ERR_UNAUTHORIZED:
        return 2;
    case ERR_NOTFOUND:
        return 3;
    case ERR_IO:
        return 4;
    case ERR_NOMEM:
        return 5;
    case ERR_BUSY:
        return 75; /* EX_TEMPFAIL */
    default:
        return 70;
    }
}

int err_http_status(int code)
{
    switch (code) {
    case ERR_OK:
        return 200;
    case ERR_INPUT:
        return 400;
    case ERR_UNAUTHORIZED:
        return 401;
    case ERR_FORBIDDEN:
        return 403;
    case ERR_NOTFOUND:
        return 404;
    case ERR_LIMIT:
        return 413;
    case ERR_NOMEM:
    case ERR_BUSY:
        return 503;
    default:
        return 500;
    }
}

int err_nomem(struct err *e)
{
    return err_set(e, ERR_NOMEM, "out of memory");
}
