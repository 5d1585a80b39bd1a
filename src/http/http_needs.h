/* SPDX-License-Identifier: MIT */
/* http_needs.h - GET /api/needs?level=L[&need=TAG&per=INDICATOR]: the needs
 * answer (needs.h) for officials and admins (AUTH_PERM_COVERAGE, checked
 * before any parameter), with small counts hidden by disclose_needs.h; the
 * document is needs_json.h's, the same the CLI prints with --json
 * --official. Entry points: http_needs. */
#ifndef TSUNAGU_HTTP_NEEDS_H
#define TSUNAGU_HTTP_NEEDS_H

#include "server.h"

/* The handler (see server.h for the contract). */
int http_needs(struct server_req *rq, struct err *e);

#endif
