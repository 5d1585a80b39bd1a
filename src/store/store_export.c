/* SPDX-License-Identifier: MIT */
/* store_export.c - the resource list as CSV for spreadsheets or as GeoJSON
 * (see store_export.h). Records come from store_register_each, district
 * names from store_register_districts; the CSV is written field by field
 * through escape_csv (CSV injection and control characters), with the BOM
 * and CRLF that Excel needs to read UTF-8 Japanese text.
 *
 * Entry points: store_export_resources. */
#include "store_export.h"

#include "escape.h"
#include "store_private.h"
#include "store_register.h"

#include <stdlib.h>
#include <string.h>

/* The public members, in column order (resfields.h). */
static const char *const store_export_cols[] = {
    "id",           "name",    "kind",     "fields", "hub_type", "address",
    "schedule",     "contact", "operator", "target", "url",      "languages",
    "barrier_free", "cost",    "notes",    "lon",    "lat"};
#define SE_NCOLS (sizeof store_export_cols / sizeof store_export_cols[0])

/* What the record callback collects. */
struct store_export_ctx {
    struct store *s;   /* the database */
    const char *level; /* the one level, or NULL for all */
    json_t *rows;      /* array of records with "districts" added */
    struct err *e;     /* where a failure goes */
};

static int store_export_take(void *ctx, json_t *rec)
{
    struct store_export_ctx *c = ctx;
    json_t *d = json_object();
    json_t *row = json_deep_copy(rec);
    if (d == NULL || row == NULL || json_object_set_new(row, "districts", d)) {
        json_decref(d);
        json_decref(row);
        return err_nomem(c->e);
    }
    int rc = store_register_districts(c->s, json_string_value(json_object_get(rec, "id")), c->level,
                                      d, c->e);
    if (rc == ERR_OK && json_array_append_new(c->rows, row))
        return err_nomem(c->e);
    if (rc != ERR_OK)
        json_decref(row);
    return rc;
}

/* The level whose district orders the rows (qsort has no context). */
static _Thread_local const char *store_export_sort_level;

static int store_export_cmp_text(const json_t *a, const json_t *b)
{
    const char *x = json_string_value(a), *y = json_string_value(b);
    if (x == NULL || y == NULL)
        return (x == NULL) - (y == NULL);
    return strcmp(x, y);
}

static int store_export_cmp(const void *pa, const void *pb)
{
    const json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
    int c = store_export_cmp_text(
        json_object_get(json_object_get(a, "districts"), store_export_sort_level),
        json_object_get(json_object_get(b, "districts"), store_export_sort_level));
    if (c == 0)
        c = store_export_cmp_text(json_object_get(a, "kind"), json_object_get(b, "kind"));
    if (c == 0)
        c = store_export_cmp_text(json_object_get(a, "name"), json_object_get(b, "name"));
    return c;
}

/* Writes one CSV value: text as escape_csv does, line breaks as spaces. */
static void store_export_csv_value(FILE *out, const json_t *v)
{
    char num[32];
    if (json_is_number(v)) {
        snprintf(num, sizeof num, "%.7f", json_number_value(v));
        fputs(num, out);
        return;
    }
    const char *t = json_string_value(v);
    if (t == NULL)
        return;
    char *copy = strdup(t);
    if (copy == NULL)
        return;
    for (char *p = copy; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    escape_csv(out, copy);
    free(copy);
}

static int store_export_csv(json_t *rows, json_t *labels, FILE *out)
{
    fputs("\xEF\xBB\xBF", out); /* UTF-8 byte order mark: Excel reads the file as UTF-8 */
    for (size_t i = 0; i < SE_NCOLS; i++)
        fprintf(out, "%s%s", i ? "," : "", store_export_cols[i]);
    const char *level;
    json_t *label;
    json_object_foreach(labels, level, label)
    {
        fputc(',', out);
        store_export_csv_value(out, label);
    }
    fputs("\r\n", out);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        for (size_t k = 0; k < SE_NCOLS; k++) {
            if (k)
                fputc(',', out);
            store_export_csv_value(out, json_object_get(row, store_export_cols[k]));
        }
        json_object_foreach(labels, level, label)
        {
            fputc(',', out);
            store_export_csv_value(out, json_object_get(json_object_get(row, "districts"), level));
        }
        fputs("\r\n", out);
    }
    return ferror(out) ? ERR_IO : ERR_OK;
}

static int store_export_geojson(json_t *rows, FILE *out)
{
    json_t *features = json_array();
    size_t i;
    json_t *row;
    int ok = features != NULL;
    json_array_foreach(rows, i, row)
    {
        json_t *props = json_object();
        for (size_t k = 0; ok && props && k < SE_NCOLS - 2; k++)
            ok = json_object_set(props, store_export_cols[k],
                                 json_object_get(row, store_export_cols[k])) == 0;
        ok = ok && props &&
             json_object_set(props, "districts", json_object_get(row, "districts")) == 0;
        json_t *f =
            json_pack("{s:s,s:O?,s:o,s:{s:s,s:[O,O]}}", "type", "Feature", "id",
                      json_object_get(row, "id"), "properties", props, "geometry", "type", "Point",
                      "coordinates", json_object_get(row, "lon"), json_object_get(row, "lat"));
        ok = ok && f && json_array_append_new(features, f) == 0;
    }
    json_t *doc =
        ok ? json_pack("{s:s,s:o}", "type", "FeatureCollection", "features", features) : NULL;
    if (doc == NULL) {
        if (!ok)
            json_decref(features);
        return ERR_NOMEM;
    }
    int rc = json_dumpf(doc, out, JSON_INDENT(1) | JSON_REAL_PRECISION(10)) == 0 ? ERR_OK : ERR_IO;
    fputc('\n', out);
    json_decref(doc);
    return rc;
}

int store_export_resources(struct store *s, int format, const char *level, FILE *out, struct err *e)
{
    if (level && !store_level_exists(s, level))
        return err_set(e, ERR_INPUT, "there is no district level '%.40s' in the database", level);
    json_t *labels = json_object();
    struct store_export_ctx c = {s, level, json_array(), e};
    int rc = labels && c.rows ? ERR_OK : err_nomem(e);
    sqlite3_stmt *st = rc == ERR_OK ? store_prepare(s,
                                                    "SELECT name, COALESCE(label, name) FROM levels"
                                                    " WHERE ?1 IS NULL OR name = ?1 ORDER BY rank",
                                                    "listing district levels", e)
                                    : NULL;
    if (rc == ERR_OK && st == NULL)
        rc = ERR_IO;
    if (st) {
        if (level)
            sqlite3_bind_text(st, 1, level, -1, SQLITE_STATIC);
        while (rc == ERR_OK && sqlite3_step(st) == SQLITE_ROW)
            if (json_object_set_new(labels, (const char *)sqlite3_column_text(st, 0),
                                    json_string((const char *)sqlite3_column_text(st, 1))))
                rc = err_nomem(e);
        sqlite3_finalize(st);
    }
    if (rc == ERR_OK)
        rc = store_register_each(s, 0, store_export_take, &c, e);
    if (rc == ERR_OK && level) {
        /* json_t arrays keep their items contiguous only through the API:
         * sort a copy of the pointers, then rebuild. */
        size_t n = json_array_size(c.rows);
        json_t **v = calloc(n ? n : 1, sizeof *v);
        json_t *sorted = json_array();
        if (v == NULL || sorted == NULL) {
            rc = err_nomem(e);
        } else {
            for (size_t i = 0; i < n; i++)
                v[i] = json_array_get(c.rows, i);
            store_export_sort_level = level;
            qsort(v, n, sizeof *v, store_export_cmp);
            for (size_t i = 0; rc == ERR_OK && i < n; i++)
                if (json_array_append(sorted, v[i]))
                    rc = err_nomem(e);
            json_decref(c.rows);
            c.rows = sorted;
            sorted = NULL;
        }
        free(v);
        json_decref(sorted);
    }
    if (rc == ERR_OK) {
        rc = format == STORE_EXPORT_CSV ? store_export_csv(c.rows, labels, out)
                                        : store_export_geojson(c.rows, out);
        if (rc == ERR_NOMEM)
            err_nomem(e);
        else if (rc != ERR_OK)
            err_set(e, ERR_IO, "the export could not be written");
    }
    json_decref(labels);
    json_decref(c.rows);
    return rc;
}
