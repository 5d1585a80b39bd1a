/* SPDX-License-Identifier: MIT */
/* http_report.c - GET /api/report.pdf (see http_report.h): the query is
 * read into the coverage_text the CLI fills (and equipment=1, needs=1
 * [need=, per=], compare=LABEL as the CLI's --equipment, --needs, --need,
 * --per, --compare), the report is drawn into memory and answered whole. Entry points:
 * http_report_pdf. */
#include "http_report.h"

#include "auth.h"
#include "http_snapshot.h"
#include "needs.h"
#include "report.h"
#include "store_snapshots.h"
#include "utf8.h"
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

/* A switch parameter (equipment=, needs=): absent or "0" off, "1" on. */
static int http_report_switch(const char *name, const char *text, int *on, struct err *e)
{
    *on = text && strcmp(text, "1") == 0;
    if (text && strcmp(text, "0") != 0 && strcmp(text, "1") != 0)
        return err_set(e, ERR_INPUT, "%s= must be 1 (add the table) or 0", name);
    return ERR_OK;
}

/* The tables' parameters: equipment=, needs=, need=, per=, compare=. */
static int http_report_tables(const char *equipment, const char *needs, struct needs_text *nt,
                              const char *compare, struct report_params *p, struct err *e)
{
    if (http_report_switch("equipment", equipment, &p->equipment, e) != ERR_OK ||
        http_report_switch("needs", needs, &p->needs, e) != ERR_OK)
        return ERR_INPUT;
    if ((nt->need || nt->per) && !p->needs)
        return err_set(e, ERR_INPUT, "need= and per= choose the needs table: add needs=1");
    if (p->needs && needs_params_parse(nt, "", &p->need, e) != ERR_OK)
        return ERR_INPUT;
    if (compare && (compare[0] == '\0' || strlen(compare) > STORE_SNAPSHOT_LABEL_MAX ||
                    !utf8_text_ok(compare)))
        return err_set(e, ERR_INPUT, "compare= must name a snapshot: UTF-8 text of 1 to %d bytes",
                       STORE_SNAPSHOT_LABEL_MAX);
    return ERR_OK;
}

int http_report_pdf(struct server_req *rq, struct err *e)
{
    if (auth_require(server_req_user(rq), AUTH_PERM_COVERAGE, e) != ERR_OK)
        return e->code;
    struct coverage_text t = {0};
    struct needs_text nt = {0};
    const char *equipment = NULL, *needs = NULL, *compare = NULL;
    const struct server_param spec[] = {
        {"minutes", &t.minutes}, {"speed", &t.speed},       {"kind", &t.kind}, {"field", &t.field},
        {"level", &t.level},     {"equipment", &equipment}, {"needs", &needs}, {"need", &nt.need},
        {"per", &nt.per},        {"compare", &compare},     {NULL, NULL},
    };
    struct report_params p = {0};
    if (server_req_params(rq, spec, e) != ERR_OK ||
        coverage_params_parse(&t, "", &p.cov, e) != ERR_OK)
        return ERR_INPUT;
    if (t.level == NULL)
        return err_set(e, ERR_INPUT, "a report needs a district level (level=)");
    nt.level = t.level;
    if (http_report_tables(equipment, needs, &nt, compare, &p, e) != ERR_OK)
        return ERR_INPUT;
    p.format = REPORT_PDF;
    p.suppress = 1; /* officials and admins: small counts hidden */
    struct walk_session *ws = server_walk(rq, e);
    struct store *st = ws ? server_store(rq, e) : NULL;
    const struct walk_net *net = st ? server_net(rq, e) : NULL;
    if (net == NULL)
        return e->code;
    /* Every table is the answer of an endpoint this role may ask
     * (AUTH_PERM_COVERAGE: /api/coverage, /api/needs; /api/equipment is
     * public), hidden as there. */
    json_t *cmp[HTTP_SNAPSHOT_NPARTS] = {NULL, NULL, NULL};
    if (compare && http_snapshot_report(st, net, ws, compare, &p, cmp, e) != ERR_OK)
        return e->code;
    for (int i = 0; i < HTTP_SNAPSHOT_NPARTS; i++)
        p.compare[i] = cmp[i];
    struct http_report_buf b = {0};
    int rc = report_render(st, net, ws, &p, http_report_sink, &b, e);
    for (int i = 0; i < HTTP_SNAPSHOT_NPARTS; i++)
        json_decref(cmp[i]);
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
