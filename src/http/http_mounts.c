/* SPDX-License-Identifier: MIT */
/* http_mounts.c - implements http_mounts.h. Entry points: http_mounts_list,
 * http_mounts_index, http_mounts_not_found. */
#include "http_mounts.h"

#include "escape.h"

#include <stdio.h>
#include <stdlib.h>

int http_mounts_list(struct server_req *rq, struct err *e)
{
    const struct server_param spec[] = {{NULL, NULL}};
    if (server_req_params(rq, spec, e) != ERR_OK)
        return ERR_INPUT;
    const struct server_mount *m;
    size_t n = server_req_mounts(rq, &m);
    json_t *list = json_array();
    for (size_t i = 0; list && i < n; i++) {
        char url[8 + SERVER_MOUNT_CODE_MAX];
        snprintf(url, sizeof url, "/m/%s/", m[i].code);
        if (json_array_append_new(list, json_pack("{s:s,s:s?,s:s}", "code", m[i].code, "name",
                                                  m[i].ctx->place[0] ? m[i].ctx->place : NULL,
                                                  "url", url)) != 0) {
            json_decref(list);
            list = NULL;
        }
    }
    return server_reply_json(rq, 200, list ? json_pack("{s:o}", "municipalities", list) : NULL,
                             NULL, e);
}

int http_mounts_index(struct server_req *rq, struct err *e)
{
    const struct server_param spec[] = {{NULL, NULL}};
    if (server_req_params(rq, spec, e) != ERR_OK)
        return ERR_INPUT;
    const struct server_mount *m;
    size_t n = server_req_mounts(rq, &m);
    char *body = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&body, &len);
    if (out == NULL)
        return err_nomem(e);
    fputs("<!doctype html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
          "<title>tsunagu</title></head><body><h1>tsunagu</h1><ul>\n",
          out);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "<li><a href=\"/m/%s/\">", m[i].code);
        escape_html(out, m[i].ctx->place[0] ? m[i].ctx->place : m[i].code);
        fprintf(out, "</a> (%s)</li>\n", m[i].code);
    }
    fputs("</ul></body></html>\n", out);
    if (fclose(out) != 0) {
        free(body);
        return err_nomem(e);
    }
    return server_reply_bytes(rq, 200, body, len, "text/html; charset=utf-8", "no-cache", NULL, e);
}

int http_mounts_not_found(struct server_req *rq, struct err *e)
{
    (void)rq;
    return err_set(e, ERR_NOTFOUND,
                   "this server serves several municipalities, each under /m/{code}/ (the API at "
                   "/m/{code}/api/meta); /api/municipalities lists them");
}
