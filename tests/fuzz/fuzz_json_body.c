/* SPDX-License-Identifier: MIT */
/* fuzz_json_body.c - fuzz target for the body of POST /api/route: the
 * nesting pre-check (http_plan_json_depth), jansson's parse, the member
 * reader (http_plan_route_parse) and the route_params_parse it feeds, as
 * http_plan_route runs them before any database work. The input is the
 * body. Invariants: a refusal comes with a sentence that never quotes a
 * household id; an accepted body lies within the limits of http_plan.h
 * and route.h. */
#include "fuzzutil.h"
#include "http_plan.h"
#include "route.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1 when id is distinctive enough that finding it in a message means the
 * message quotes it: 8+ bytes with a digit and an upper-case letter (no
 * fixed sentence holds such a word), given once in the whole body (so it
 * cannot be an echoed member name). */
static int fuzz_json_distinctive(const char *body, size_t size, const char *id)
{
    size_t len = strlen(id);
    if (len < 8 || strpbrk(id, "0123456789") == NULL ||
        strpbrk(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == NULL)
        return 0;
    size_t count = 0; /* occurrences in all size bytes (the body may hold NULs) */
    for (size_t i = 0; i + len <= size; i++)
        count += memcmp(body + i, id, len) == 0;
    return count == 1;
}

/* 1 when the message quotes one of the household ids of the parsed body
 * (read from the JSON document: b->households may be partly built after a
 * refusal). */
static int fuzz_json_leaks_id(const char *body, size_t size, const struct http_plan_body *b,
                              const char *msg)
{
    json_t *ids = b->doc && json_is_object(b->doc) ? json_object_get(b->doc, "households") : NULL;
    for (size_t i = 0; ids && json_is_array(ids) && i < json_array_size(ids); i++) {
        const char *id = json_string_value(json_array_get(ids, i));
        if (id && fuzz_json_distinctive(body, size, id) && strstr(msg, id) != NULL) {
            fprintf(stderr, "fuzz_json_body: the message '%s' quotes '%s'\n", msg, id);
            return 1;
        }
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024)
        return 0; /* the server refuses bodies over SERVER_BODY_MAX */
    /* The server hands handlers a NUL-terminated copy; so does this. */
    char *body = malloc(size + 1);
    fz_check(body != NULL, "out of memory");
    memcpy(body, data, size);
    body[size] = '\0';

    int depth = http_plan_json_depth(body, size, HTTP_PLAN_DEPTH_MAX);
    fz_check(depth >= 0, "nesting depth is never negative");

    struct route_text t = {0};
    struct http_plan_body b;
    memset(&b, 0, sizeof b);
    struct err e = {0};
    int rc = http_plan_route_parse(body, size, &t, &b, &e);
    if (rc != ERR_OK) {
        fz_check(e.code != ERR_OK && e.msg[0] != '\0', "a refused body comes with a sentence");
        fz_check(!fuzz_json_leaks_id(body, size, &b, e.msg), "messages never quote a household id");
    } else {
        fz_check(depth <= HTTP_PLAN_DEPTH_MAX, "an accepted body nests within the limit");
        fz_check(t.start_lon != NULL && t.start_lat != NULL, "an accepted body has a start");
        fz_check((t.households != NULL) != (t.district != NULL), "households or a district");
        struct route_params p;
        struct err pe = {0};
        int prc = route_params_parse(&t, "", &p, &pe);
        if (prc != ERR_OK) {
            fz_check(pe.msg[0] != '\0', "a refused plan comes with a sentence");
            fz_check(!fuzz_json_leaks_id(body, size, &b, pe.msg),
                     "messages never quote a household id");
        } else {
            fz_check(p.nids <= ROUTE_MAX_STOPS, "at most ROUTE_MAX_STOPS households");
            for (size_t i = 0; i < p.nids; i++)
                fz_check(strlen(p.ids[i]) >= 1 && strlen(p.ids[i]) <= HTTP_PLAN_ID_MAX,
                         "ids are 1..HTTP_PLAN_ID_MAX bytes");
        }
        route_params_clear(&p);
    }
    http_plan_body_clear(&b);
    free(body);
    return 0;
}
