/* SPDX-License-Identifier: MIT */
/* http_tls.c - reads serve's TLS certificate and key for libmicrohttpd's
 * GnuTLS support and says which addresses are loopback (http_tls.h).
 * Entry points: http_tls_load, http_tls_free, http_tls_loopback. */
#include "http_tls.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Overwrites n bytes of a key through a volatile pointer, so the stores are
 * not dropped as dead (explicit_bzero is not in POSIX.1-2008, which the
 * build asks for). */
static void http_tls_wipe(char *p, size_t n)
{
    volatile char *v = p;
    while (n--)
        *v++ = 0;
}

/* Reads one PEM file named by --`opt` into *out (NUL-terminated). */
static int http_tls_read(const char *path, const char *opt, char **out, struct err *e)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return err_set(e, errno == ENOENT ? ERR_NOTFOUND : ERR_IO, "--%s %s cannot be read: %s",
                       opt, path, strerror(errno));
    char *buf = malloc(HTTP_TLS_FILE_MAX + 1);
    if (buf == NULL) {
        fclose(f);
        return err_nomem(e);
    }
    size_t n = fread(buf, 1, HTTP_TLS_FILE_MAX + 1, f);
    int bad = ferror(f);
    fclose(f);
    int rc = ERR_OK;
    if (bad)
        rc = err_set(e, ERR_IO, "--%s %s cannot be read", opt, path);
    else if (n > HTTP_TLS_FILE_MAX)
        rc = err_set(e, ERR_LIMIT, "--%s %s is larger than %d bytes", opt, path, HTTP_TLS_FILE_MAX);
    else {
        buf[n] = '\0';
        if (strlen(buf) != n || strstr(buf, "-----BEGIN ") == NULL)
            rc = err_set(e, ERR_INPUT, "--%s %s is not a PEM file", opt, path);
    }
    if (rc != ERR_OK) {
        http_tls_wipe(buf, HTTP_TLS_FILE_MAX + 1);
        free(buf);
        return rc;
    }
    *out = buf;
    return ERR_OK;
}

int http_tls_load(const char *cert_path, const char *key_path, struct http_tls *t, struct err *e)
{
    t->cert = t->key = NULL;
    if ((cert_path == NULL) != (key_path == NULL))
        return err_set(e, ERR_INPUT, "--tls-cert and --tls-key go together: give both or neither");
    if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
        return err_set(e, ERR_INPUT,
                       "this libmicrohttpd was built without TLS, so --tls-cert cannot be used");
    if (http_tls_read(cert_path, "tls-cert", &t->cert, e) != ERR_OK ||
        http_tls_read(key_path, "tls-key", &t->key, e) != ERR_OK) {
        http_tls_free(t);
        return e->code;
    }
    return ERR_OK;
}

void http_tls_free(struct http_tls *t)
{
    if (t->key)
        http_tls_wipe(t->key, strlen(t->key));
    free(t->key);
    free(t->cert);
    t->cert = t->key = NULL;
}

int http_tls_loopback(const char *addr)
{
    struct in_addr v4;
    struct in6_addr v6;
    if (inet_pton(AF_INET, addr, &v4) == 1)
        return (ntohl(v4.s_addr) >> 24) == 127;
    if (inet_pton(AF_INET6, addr, &v6) == 1)
        return IN6_IS_ADDR_LOOPBACK(&v6);
    return 0;
}
