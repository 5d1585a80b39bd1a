/* SPDX-License-Identifier: MIT */
/* http_report.h - GET /api/report.pdf: the printed coverage report
 * (report.h) for officials and admins, with the parameters of
 * /api/coverage and small counts hidden exactly as there; equipment=1,
 * needs=1 (need=, per= as /api/needs) add those tables (the needs table
 * hidden exactly as /api/needs), compare=LABEL the change since a snapshot.
 *
 * Entry points: http_report_pdf. */
#ifndef TSUNAGU_HTTP_REPORT_H
#define TSUNAGU_HTTP_REPORT_H

#include "server.h"

/* Answers the PDF (application/pdf, as an attachment); 401/403 before any
 * parameter for callers without AUTH_PERM_COVERAGE, 400 for a bad
 * parameter (level required; a switch not 0 or 1, need= or per= without
 * needs=1, a snapshot taken with other parameters), 404 for an unknown
 * level, kind, indicator or snapshot, 413 past
 * HTTP_REPORT_MAX bytes. */
int http_report_pdf(struct server_req *rq, struct err *e);

#define HTTP_REPORT_MAX (32u << 20) /* bytes of a report answered */

#endif
