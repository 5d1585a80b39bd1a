/* SPDX-License-Identifier: MIT */
/* fuzz_register_body.c - fuzz target for the bodies of POST and PATCH
 * /api/resources (http_register_body: the nesting pre-check, jansson's
 * parse and resfields_apply), as the handlers run them before any
 * database work. The input is the body; its first byte chooses create or
 * change. Invariants: a refusal comes with a sentence that is valid UTF-8;
 * an accepted record holds only known members, texts that are valid UTF-8
 * within their limits and without control characters (notes may break
 * lines), finite lon/lat in range, and on create a name, kind and both
 * coordinates. */
#include "fuzzutil.h"
#include "http_register.h"
#include "resfields.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void fuzz_register_record(const json_t *rec, int create)
{
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)rec, key, v)
    {
        fz_check(strstr(RESFIELDS_MEMBERS, key) != NULL, "only known members");
        if (json_is_string(v)) {
            const char *s = json_string_value(v);
            fz_check(fz_utf8_ok(s), "texts are valid UTF-8");
            fz_check(strlen(s) <= RESFIELDS_TEXT_MAX, "texts within the limit");
            for (const unsigned char *p = (const unsigned char *)s; *p; p++)
                fz_check(*p >= 0x20 || (strcmp(key, "notes") == 0 &&
                                        (*p == '\n' || *p == '\r' || *p == '\t')),
                         "no control characters outside notes");
        } else if (json_is_number(v)) {
            double d = json_number_value(v);
            fz_check(isfinite(d) && fabs(d) <= 180, "coordinates are finite and in range");
        } else {
            fz_check(json_is_null(v), "members are text, numbers or null");
        }
    }
    if (create)
        fz_check(json_is_string(json_object_get(rec, "name")) &&
                     json_is_string(json_object_get(rec, "kind")) &&
                     json_is_number(json_object_get(rec, "lon")) &&
                     json_is_number(json_object_get(rec, "lat")),
                 "a created record has a name, a kind and a position");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || size > 64 * 1024)
        return 0; /* the server refuses bodies over SERVER_BODY_MAX */
    int create = data[0] & 1;
    char *body = malloc(size);
    fz_check(body != NULL, "out of memory");
    memcpy(body, data + 1, size - 1);
    body[size - 1] = '\0'; /* the server hands handlers a NUL-terminated copy */
    json_t *rec = NULL;
    struct err e = {0};
    int rc = http_register_body(body, size - 1, NULL, create, &rec, &e);
    if (rc != ERR_OK) {
        fz_check(rec == NULL, "no record after a refusal");
        fz_check(e.msg[0] != '\0' && fz_utf8_ok(e.msg), "a refusal is a UTF-8 sentence");
    } else {
        fuzz_register_record(rec, create);
    }
    json_decref(rec);
    free(body);
    return 0;
}
