/* SPDX-License-Identifier: MIT */
/* http_report.h - GET /api/report.pdf: the printed coverage report
 * (report.h) for officials and admins, with the parameters of
 * /api/coverage and small counts hidden exactly as there.
 *
 * Entry points: http_report_pdf. */
#ifndef TSUNAGU_HTTP_REPORT_H
#define TSUNAGU_HTTP_REPORT_H

#include "server.h"

/* Answers the PDF (application/pdf, as an attachment); 401/403 before any
 * parameter for callers without AUTH_PERM_COVERAGE, 400 for a bad
 * parameter (level required), 404 for an unknown level or kind, 413 past
 * HTTP_REPORT_MAX bytes. */
int http_report_pdf(struct server_req *rq, struct err *e);

#define HTTP_REPORT_MAX (32u << 20) /* bytes of a report answered */

#endif
