/* SPDX-License-Identifier: MIT */
/* http_tls.h - HTTPS for `serve --tls-cert FILE --tls-key FILE`: reads the
 * PEM certificate (chain) and private key that libmicrohttpd hands to its
 * own GnuTLS support (MHD_OPTION_HTTPS_MEM_CERT/KEY), after checking that
 * the linked libmicrohttpd was built with it. Also the policy for plain
 * HTTP: it is for loopback (the demo, a proxy on the same machine); any
 * other address needs TLS or an explicit --insecure-http, because tokens and
 * household data would otherwise cross the office network in clear.
 *
 * Entry points: http_tls_load, http_tls_free, http_tls_loopback.
 */
#ifndef TSUNAGU_HTTP_TLS_H
#define TSUNAGU_HTTP_TLS_H

#include "err.h"

#define HTTP_TLS_FILE_MAX (256 * 1024) /* bytes of a PEM certificate chain or key */

/* A certificate and key in memory, as libmicrohttpd takes them. */
struct http_tls {
    char *cert; /* PEM certificate chain, NUL-terminated (owned) */
    char *key;  /* PEM private key, NUL-terminated (owned; wiped when freed) */
};

/* Reads both files into t. ERR_INPUT when only one is given, when
 * libmicrohttpd has no TLS support or when a file is not PEM (no "-----BEGIN");
 * ERR_NOTFOUND/ERR_IO when a file cannot be read; ERR_LIMIT beyond
 * HTTP_TLS_FILE_MAX. Each sentence names the option and the file. t is
 * left empty on failure. */
int http_tls_load(const char *cert_path, const char *key_path, struct http_tls *t, struct err *e);

/* Frees what http_tls_load read (the key is overwritten first). */
void http_tls_free(struct http_tls *t);

/* 1 when `addr` (IPv4 or IPv6 text) is a loopback address (127.0.0.0/8, ::1),
 * 0 otherwise. */
int http_tls_loopback(const char *addr);

#endif
