/* SPDX-License-Identifier: MIT */
/* import_stats.c - implements import_stats.h: reads an e-Stat small-area
 * statistics CSV through source.c (GDAL's CSV reader, with the file's
 * Shift_JIS decoded by source_enc.c), takes the second header row as the
 * columns' names when its key is empty, and writes each value as an
 * indicator of the small areas whose code is the row's key. e-Stat's
 * marks: "-" is a true zero (該当数値なし), "X" and "*" a value kept secret
 * (秘匿), stored as no value. Entry points: import_statistics. */
#include "import_stats.h"

#include "import.h"
#include "num.h"
#include "source.h"
#include "store_indicators.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* e-Stat's descriptive columns: kept out of the indicators. */
static int import_stats_descriptive(const char *name)
{
    static const char *const d[] = {"HYOSYO",  "CITYNAME", "NAME",    "HTKSYORI",
                                    "HTKSAKI", "GASSAN",   "KEY_CODE"};
    for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
        if (strcasecmp(name, d[i]) == 0)
            return 1;
    return 0;
}

/* The columns kept and their indicator names. */
struct import_stats_cols {
    int n;                                /* columns kept */
    int field[IMPORT_STATS_COLUMNS_MAX];  /* their source field index */
    char *name[IMPORT_STATS_COLUMNS_MAX]; /* indicator name (owned) */
};

static void import_stats_cols_free(struct import_stats_cols *c)
{
    for (int i = 0; i < c->n; i++)
        free(c->name[i]);
}

/* Names column j: the names row's text (when given), else the code; a name
 * used already gets its code added. */
static int import_stats_name(struct import_stats_cols *c, int j, const char *label,
                             const char *code, struct err *e)
{
    char buf[STORE_INDICATOR_NAME_MAX + 1];
    snprintf(buf, sizeof buf, "%s", label && *label ? label : code);
    for (int i = 0; i < c->n; i++)
        if (i != j && c->name[i] && strcmp(c->name[i], buf) == 0) {
            snprintf(buf, sizeof buf, "%.80s (%.40s)", label && *label ? label : code, code);
            break;
        }
    free(c->name[j]);
    if ((c->name[j] = strdup(buf)) == NULL)
        return err_nomem(e);
    return ERR_OK;
}

/* Stores the values of one data row. */
static int import_stats_row(struct store *st, struct source *src, const struct import_stats_cols *c,
                            const char *key, const char *source, const char *where,
                            struct import_stats_report *rep, struct err *e)
{
    long matched = 0, any = 0;
    for (int j = 0; j < c->n; j++) {
        const char *t = source_str(src, c->field[j]);
        const char *code = source_field_name(src, c->field[j]);
        double v;
        while (t && *t == ' ')
            t++;
        if (t == NULL || *t == '\0')
            continue;
        if (strcmp(t, "X") == 0 || strcmp(t, "x") == 0 || strcmp(t, "*") == 0 ||
            strcmp(t, "…") == 0) {
            rep->secret++;
            continue;
        }
        if (strcmp(t, "-") == 0)
            v = 0;
        else if (num_double(t, NUM_BLANKS, "", -1e15, 1e15, &v, NULL) != ERR_OK)
            return err_set(e, ERR_INPUT,
                           "%s, column %s: the value is not a number (nor e-Stat's - or X)", where,
                           code);
        if (store_indicators_set_by_code(st, key, c->name[j], code, v, source, &matched, e) !=
            ERR_OK)
            return e->code;
        if (matched == 0)
            break;
        any = 1;
        rep->values += matched;
    }
    if (any || matched > 0)
        rep->matched++;
    else
        rep->unmatched++;
    return ERR_OK;
}

int import_statistics(struct store *st, const char *path, const char *key, const char *encoding,
                      const char *source, struct import_stats_report *rep, struct err *e)
{
    memset(rep, 0, sizeof *rep);
    const char *file = import_base(path);
    char keybuf[256];
    struct import_opts ko = {.src = {.path = path}, .source_name = source};
    const char *skey = import_key(&ko, keybuf, sizeof keybuf);
    struct source_opts so = {.path = path, .encoding = encoding, .points_optional = 1};
    struct import_stats_cols c = {0};
    struct source *src = source_open(&so, e);
    if (src == NULL)
        return e->code;
    int rc = ERR_OK, kf = source_field(src, key ? key : "KEY_CODE");
    if (kf < 0) {
        char list[400];
        source_field_list(src, list, sizeof list);
        rc = err_set(e, ERR_INPUT,
                     "%s has no key column %s; name it with --key. Its columns are: %s", file,
                     key ? key : "KEY_CODE", list);
    }
    for (int i = 0; rc == ERR_OK && i < source_field_count(src); i++) {
        const char *name = source_field_name(src, i);
        if (i == kf || import_stats_descriptive(name))
            continue;
        if (c.n == IMPORT_STATS_COLUMNS_MAX) {
            rc = err_set(e, ERR_LIMIT, "%s has more than %d statistics columns", file,
                         IMPORT_STATS_COLUMNS_MAX);
            break;
        }
        c.field[c.n] = i;
        c.name[c.n] = NULL;
        c.n++;
        rc = import_stats_name(&c, c.n - 1, NULL, name, e);
    }
    if (rc == ERR_OK && c.n == 0)
        rc = err_set(e, ERR_INPUT, "%s has no statistics columns besides its key", file);
    if (rc == ERR_OK && store_srid(st) == 0)
        rc = err_set(e, ERR_NOTFOUND,
                     "no small areas are imported; import them first with `tsunagu import "
                     "population FILE`");
    if (rc == ERR_OK)
        rc = store_begin(st, e);
    if (rc != ERR_OK) {
        import_stats_cols_free(&c);
        source_close(src);
        return rc;
    }
    rc = store_indicators_ready(st, e);
    while (rc == ERR_OK) {
        struct source_feature f;
        int got = source_next(src, &f, e);
        if (got <= 0) {
            rc = got < 0 ? e->code : ERR_OK;
            break;
        }
        char where[160];
        snprintf(where, sizeof where, "%s line %ld", file, f.line > 0 ? f.line : f.index);
        const char *k = source_str(src, kf);
        while (k && *k == ' ')
            k++;
        if (k == NULL || *k == '\0') {
            if (f.index == 1) { /* e-Stat's second header row: the columns' names */
                rep->names_row = 1;
                for (int j = 0; j < c.n && rc == ERR_OK; j++)
                    rc = import_stats_name(&c, j, source_str(src, c.field[j]),
                                           source_field_name(src, c.field[j]), e);
                continue;
            }
            rc = err_set(e, ERR_INPUT, "%s: the key (%s) is empty", where, key ? key : "KEY_CODE");
            break;
        }
        rep->rows++;
        if (rep->rows > SOURCE_MAX_FEATURES) {
            rc = err_set(e, ERR_LIMIT, "%s has more than %ld rows", file, SOURCE_MAX_FEATURES);
            break;
        }
        rc = import_stats_row(st, src, &c, k, skey, where, rep, e);
    }
    rep->columns = c.n;
    if (rc == ERR_OK && rep->matched == 0)
        rc = err_set(e, ERR_NOTFOUND,
                     "%s: no row's key matches the code of an imported small area (%ld rows "
                     "read); check --key and that the small areas came from the same census",
                     file, rep->rows);
    if (rc == ERR_OK)
        rc = store_import_log(st, "statistics", skey, path, rep->values, e);
    if (rc == ERR_OK)
        rc = store_commit(st, e);
    else
        store_rollback(st);
    import_stats_cols_free(&c);
    source_close(src);
    return rc;
}
