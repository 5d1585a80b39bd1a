/* SPDX-License-Identifier: MIT */
/* coverage_kinds.c - several kinds in one coverage answer (see
 * coverage_kinds.h): the kind list, the merged document and its CSV.
 * Entry points: coverage_kinds_is_list, coverage_kinds_parse,
 * coverage_kinds_merge, coverage_kinds_csv. */
#include "coverage_kinds.h"

#include "escape.h"

#include <string.h>

int coverage_kinds_is_list(const char *text)
{
    return text != NULL && strchr(text, ',') != NULL;
}

int coverage_kinds_parse(const char *text, const char *option, struct coverage_kinds *k,
                         struct err *e)
{
    memset(k, 0, sizeof *k);
    if (strlen(text) > COVERAGE_KINDS_TEXT_MAX)
        return err_set(e, ERR_LIMIT, "%s is longer than %d bytes", option, COVERAGE_KINDS_TEXT_MAX);
    const char *p = text;
    for (;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == 0)
            return err_set(e, ERR_INPUT, "%s has an empty kind in its list", option);
        if (k->n == COVERAGE_KINDS_MAX)
            return err_set(e, ERR_LIMIT, "%s names more than %d kinds", option, COVERAGE_KINDS_MAX);
        char item[COVERAGE_KINDS_TEXT_MAX + 1];
        memcpy(item, p, len);
        item[len] = '\0';
        if (vocab_kind(item, k->kind[k->n], sizeof k->kind[k->n], e) != ERR_OK)
            return err_prefix(e, "%s: ", option), ERR_INPUT;
        for (size_t i = 0; i < k->n; i++)
            if (strcmp(k->kind[i], k->kind[k->n]) == 0)
                return err_set(e, ERR_INPUT, "%s names the kind %s twice", option, k->kind[i]);
        k->n++;
        if (end == NULL)
            return ERR_OK;
        p = end + 1;
    }
}

/* Copies `key` of src into dst (null when absent); 0 when out of memory. */
static int coverage_kinds_copy(json_t *dst, const json_t *src, const char *key)
{
    json_t *v = json_object_get(src, key);
    return json_object_set_new(dst, key, v ? json_deep_copy(v) : json_null()) == 0;
}

/* The merged row of district i (or of the total when i < 0) of every doc. */
static json_t *coverage_kinds_row(json_t *const *docs, const struct coverage_kinds *k, long i)
{
    static const char *const per_kind[] = {"households_covered",
                                           "share_covered",
                                           "households_off_network",
                                           "households_unreachable",
                                           "residents_covered",
                                           "median_min",
                                           "max_min",
                                           "suppressed",
                                           NULL};
    const json_t *first = i < 0 ? json_object_get(docs[0], "total")
                                : json_array_get(json_object_get(docs[0], "districts"), (size_t)i);
    json_t *row = json_object(), *by = json_object();
    int ok = row && by && first;
    ok = ok && coverage_kinds_copy(row, first, "code") && coverage_kinds_copy(row, first, "name") &&
         coverage_kinds_copy(row, first, "households") &&
         coverage_kinds_copy(row, first, "residents");
    for (size_t d = 0; ok && d < k->n; d++) {
        const json_t *src = i < 0
                                ? json_object_get(docs[d], "total")
                                : json_array_get(json_object_get(docs[d], "districts"), (size_t)i);
        /* The documents must be of the same districts, in the same order. */
        ok = src && json_equal(json_object_get(src, "code"), json_object_get(first, "code"));
        json_t *o = ok ? json_object() : NULL;
        for (size_t f = 0; ok && o && per_kind[f]; f++)
            if (json_object_get(src, per_kind[f]))
                ok = coverage_kinds_copy(o, src, per_kind[f]);
        ok = ok && o && json_object_set_new(by, k->kind[d], o) == 0;
    }
    if (!ok || json_object_set_new(row, "by_kind", by) != 0) {
        json_decref(row);
        if (!ok)
            json_decref(by);
        return NULL;
    }
    return row;
}

json_t *coverage_kinds_merge(json_t *const *docs, const struct coverage_kinds *k)
{
    json_t *m = json_object(), *kinds = json_array(), *rows = json_array(), *answers = json_array();
    int ok = m && kinds && rows && answers && k->n > 0;
    for (size_t i = 0; ok && i < k->n; i++)
        ok = json_array_append_new(kinds, json_string(k->kind[i])) == 0 &&
             json_array_append(answers, docs[i]) == 0;
    static const char *const head[] = {"minutes", "speed_m_per_min", "limit_m",
                                       "field",   "level",           NULL};
    for (size_t h = 0; ok && head[h]; h++)
        ok = coverage_kinds_copy(m, docs[0], head[h]);
    size_t n = ok ? json_array_size(json_object_get(docs[0], "districts")) : 0;
    for (size_t i = 1; ok && i < k->n; i++)
        ok = json_array_size(json_object_get(docs[i], "districts")) == n;
    for (size_t i = 0; ok && i < n; i++) {
        json_t *row = coverage_kinds_row(docs, k, (long)i);
        ok = row && json_array_append_new(rows, row) == 0;
    }
    json_t *total = ok ? coverage_kinds_row(docs, k, -1) : NULL;
    ok = ok && total && json_object_set_new(m, "total", total) == 0;
    if (ok) {
        ok = json_object_set_new(m, "kinds", kinds) == 0;
        kinds = NULL;
    }
    if (ok) {
        ok = json_object_set_new(m, "districts", rows) == 0;
        rows = NULL;
    }
    if (ok) {
        ok = json_object_set_new(m, "answers", answers) == 0;
        answers = NULL;
    }
    json_decref(kinds);
    json_decref(rows);
    json_decref(answers);
    if (!ok) {
        json_decref(m);
        return NULL;
    }
    return m;
}

/* Writes one CSV field for a JSON value: integers and reals as numbers,
 * strings escaped (escape_csv), null and absent as empty. */
static void coverage_kinds_field(FILE *out, const json_t *v, int first)
{
    if (!first)
        fputc(',', out);
    if (json_is_integer(v))
        fprintf(out, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        fprintf(out, "%.4g", json_real_value(v));
    else if (json_is_string(v))
        escape_csv(out, json_string_value(v));
}

/* One CSV row of a merged row (code `code_text` when it has none). */
static void coverage_kinds_csv_row(FILE *out, const json_t *row, const json_t *kinds,
                                   const char *code_text)
{
    const json_t *code = json_object_get(row, "code");
    if (json_is_string(code))
        coverage_kinds_field(out, code, 1);
    else
        escape_csv(out, code_text);
    coverage_kinds_field(out, json_object_get(row, "name"), 0);
    coverage_kinds_field(out, json_object_get(row, "households"), 0);
    coverage_kinds_field(out, json_object_get(row, "residents"), 0);
    const json_t *by = json_object_get(row, "by_kind");
    size_t i;
    const json_t *kv;
    json_array_foreach(kinds, i, kv)
    {
        const json_t *o = json_object_get(by, json_string_value(kv));
        static const char *const cols[] = {"households_covered",     "share_covered",
                                           "households_unreachable", "median_min",
                                           "residents_covered",      NULL};
        for (size_t c = 0; cols[c]; c++)
            coverage_kinds_field(out, json_object_get(o, cols[c]), 0);
    }
    fputc('\n', out);
}

int coverage_kinds_csv(FILE *out, const json_t *merged)
{
    const json_t *kinds = json_object_get(merged, "kinds");
    fputs("code,name,households,residents", out);
    size_t i;
    const json_t *kv;
    json_array_foreach(kinds, i, kv)
    {
        const char *k = json_string_value(kv);
        fprintf(out, ",%s_covered,%s_share,%s_unreachable,%s_median_min,%s_residents_covered", k, k,
                k, k, k);
    }
    fputc('\n', out);
    const json_t *row;
    json_array_foreach(json_object_get(merged, "districts"), i, row)
        coverage_kinds_csv_row(out, row, kinds, "(no district)");
    coverage_kinds_csv_row(out, json_object_get(merged, "total"), kinds, "total");
    return ferror(out) ? ERR_IO : ERR_OK;
}
