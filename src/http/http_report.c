/* SPDX-License-Identifier: MIT */
/* http_report.c - GET /api/report.pdf (see http_report.h): the query is
 * read into the coverage_text the CLI fills, the report is drawn into
 * memory and answered whole. Entry points: http_report_pdf. */
#include "http_report.h"

#include "auth.h"
#include "report.h"
#include "vec.h"

#include <stdlib.h>
#include <string.h>

/* The PDF's bytes as they are drawn. */
struct http_report_buf {
    unsigned char *data; /* malloc'd */
    size_t n, cap;       /* bytes held, capacity */
};

static int http_report_sink(void *ctx, const unsigned char *data, size_t n)
{
    struct http_report_buf *b = ctx;
    if (b->n + n > HTTP_REPORT_MAX ||
        vec_reserve((void **)&b->data, &b->cap, b->n + n, 1) != ERR_OK)
        return 1;
    memcpy(b->data + b->n, data, n);
    b->n += n;
    return 0;
}

int http_report_pdf(struct server_req *rq, struct err *e)
{
    if (auth_require(server_req_user(rq), AUTH_PERM_COVERAGE, e) != ERR_OK)
        return e->code;
    struct coverage_text t = {0};
    const struct server_param spec[] = {
        {"minutes", &t.minutes}, {"speed", &t.speed}, {"kind", &t.kind},
        {"field", &t.field},     {"level", &t.level}, {NULL, NULL},
    };
    struct report_params p = {0};
    if (server_req_params(rq, spec, e) != ERR_OK ||
        coverage_params_parse(&t, "", &p.cov, e) != ERR_OK)
        return ERR_INPUT;
    if (t.level == NULL)
        return err_set(e, ERR_INPUT, "a report needs a district level (level=)");
    p.format = REPORT_PDF;
    p.suppress = 1; /* officials and admins: small counts hidden */
    struct walk_session *ws = server_walk(rq, e);
    struct store *st = ws ? server_store(rq, e) : NULL;
    const struct walk_net *net = st ? server_net(rq, e) : NULL;
    if (net == NULL)
        return e->code;
    struct http_report_buf b = {0};
    int rc = report_render(st, net, ws, &p, http_report_sink, &b, e);
    if (rc == ERR_IO) /* the sink refused: the limit or memory */
        rc = err_set(e, b.n + 4096 > HTTP_REPORT_MAX ? ERR_LIMIT : ERR_NOMEM,
                     "the report is too large to answer");
    if (rc != ERR_OK) {
        free(b.data);
        return rc;
    }
    static const struct server_header disp[] = {
        {"Content-Disposition", "attachment; filename=\"tsunagu-report.pdf\""}, {NULL, NULL}};
    return server_reply_bytes(rq, 200, b.data, b.n, "application/pdf", "private, no-store", disp,
                              e);
}
