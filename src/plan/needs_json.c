/* SPDX-License-Identifier: MIT */
/* needs_json.c - implements needs_json.h: the needs answer as JSON, CSV
 * and a text table, figures shown per the view. Entry points:
 * needs_view_alloc, needs_view_free, needs_json, needs_csv, needs_text. */
#include "needs_json.h"

#include "escape.h"
#include "walk_json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int needs_view_alloc(const struct needs_result *r, struct needs_view *v, struct err *e)
{
    v->nrows = r->ndistricts + 1;
    v->ntags = r->ntags;
    v->households = calloc(v->nrows, 1);
    v->tag = calloc(v->nrows * (v->ntags ? v->ntags : 1), 1);
    if (v->households == NULL || v->tag == NULL) {
        needs_view_free(v);
        return err_nomem(e);
    }
    return ERR_OK;
}

void needs_view_free(struct needs_view *v)
{
    free(v->households);
    free(v->tag);
    memset(v, 0, sizeof *v);
}

static int needs_json_state_hh(const struct needs_view *v, size_t row)
{
    return v ? v->households[row] : NEEDS_SHOW;
}

static int needs_json_state_tag(const struct needs_view *v, size_t row, size_t j)
{
    return v ? v->tag[row * v->ntags + j] : NEEDS_SHOW;
}

static json_t *needs_json_count(long n, int state)
{
    return state == NEEDS_SHOW    ? json_integer(n)
           : state == NEEDS_SMALL ? json_string("<5")
                                  : json_null();
}

static json_t *needs_json_num(double v, int digits)
{
    return isfinite(v) ? json_real(walk_json_round(v, digits)) : json_null();
}

static void needs_json_put(json_t *o, const char *key, json_t *v, int *ok)
{
    if (o == NULL || v == NULL || json_object_set_new(o, key, v) != 0) {
        json_decref(v);
        *ok = 0;
    }
}

/* Whether the test figures of a row can be shown: its need count and the
 * municipality's (for the expectation). */
static int needs_json_test_shown(const struct needs_result *r, const struct needs_view *v,
                                 size_t row)
{
    if (r->need_index == NEEDS_NONE || r->per_index == NEEDS_NONE)
        return 0;
    return needs_json_state_tag(v, row, r->need_index) == NEEDS_SHOW &&
           needs_json_state_tag(v, r->ndistricts, r->need_index) == NEEDS_SHOW;
}

static json_t *needs_json_row(const struct needs_result *r, const struct needs_view *v, size_t row)
{
    const struct needs_district *d = row < r->ndistricts ? &r->districts[row] : &r->total;
    json_t *o = json_object(), *needs = json_object(), *ind = json_object(), *miss = json_object();
    int ok = 1, hidden = needs_json_state_hh(v, row) != NEEDS_SHOW;
    needs_json_put(o, "code", d->code ? json_string(d->code) : json_null(), &ok);
    needs_json_put(o, "name", d->name ? json_string(d->name) : json_null(), &ok);
    needs_json_put(o, "households", needs_json_count(d->households, needs_json_state_hh(v, row)),
                   &ok);
    for (size_t j = 0; j < r->ntags; j++) {
        int s = needs_json_state_tag(v, row, j);
        hidden |= s != NEEDS_SHOW;
        needs_json_put(needs, r->tags[j], needs_json_count(d->tag[j], s), &ok);
    }
    needs_json_put(o, "needs", json_incref(needs), &ok);
    needs_json_put(o, "areas", json_integer(d->areas), &ok);
    for (size_t i = 0; i < r->nind; i++) {
        needs_json_put(ind, r->ind_names[i], needs_json_num(d->ind[i], 2), &ok);
        if (d->ind_missing[i] > 0)
            needs_json_put(miss, r->ind_names[i], json_integer(d->ind_missing[i]), &ok);
    }
    needs_json_put(o, "indicators", json_incref(ind), &ok);
    needs_json_put(o, "indicators_missing", json_incref(miss), &ok);
    if (r->need_index != NEEDS_NONE && r->per_index != NEEDS_NONE) {
        int shown = needs_json_test_shown(r, v, row);
        int own = needs_json_state_tag(v, row, r->need_index) == NEEDS_SHOW;
        needs_json_put(o, "rate_per_1000", own ? needs_json_num(d->rate, 2) : json_null(), &ok);
        needs_json_put(o, "expected", shown ? needs_json_num(d->expected, 2) : json_null(), &ok);
        needs_json_put(o, "p_value", shown ? needs_json_num(d->p_value, 6) : json_null(), &ok);
        needs_json_put(o, "under_identified", shown ? json_boolean(d->flag) : json_null(), &ok);
    }
    needs_json_put(o, "suppressed", json_boolean(hidden), &ok);
    json_decref(needs);
    json_decref(ind);
    json_decref(miss);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *needs_json(const struct needs_result *r, const struct needs_view *v)
{
    json_t *doc = json_object(), *tags = json_array(), *inds = json_array(), *rows = json_array();
    int ok = 1;
    needs_json_put(doc, "level", r->level ? json_string(r->level) : json_null(), &ok);
    needs_json_put(doc, "need", r->need ? json_string(r->need) : json_null(), &ok);
    needs_json_put(doc, "per", r->per ? json_string(r->per) : json_null(), &ok);
    needs_json_put(doc, "alpha", json_real(NEEDS_ALPHA), &ok);
    int total_shown = r->need_index != NEEDS_NONE && needs_json_test_shown(r, v, r->ndistricts);
    needs_json_put(doc, "rate_per_1000", total_shown ? needs_json_num(r->rate, 2) : json_null(),
                   &ok);
    for (size_t j = 0; j < r->ntags; j++)
        if (tags == NULL || json_array_append_new(tags, json_string(r->tags[j])) != 0)
            ok = 0;
    for (size_t i = 0; i < r->nind; i++)
        if (inds == NULL || json_array_append_new(inds, json_string(r->ind_names[i])) != 0)
            ok = 0;
    for (size_t i = 0; i < r->ndistricts; i++) {
        json_t *row = needs_json_row(r, v, i);
        if (rows == NULL || row == NULL || json_array_append_new(rows, row) != 0)
            ok = 0;
    }
    needs_json_put(doc, "tags", json_incref(tags), &ok);
    needs_json_put(doc, "indicators", json_incref(inds), &ok);
    needs_json_put(doc, "districts", json_incref(rows), &ok);
    needs_json_put(doc, "total", needs_json_row(r, v, r->ndistricts), &ok);
    json_decref(tags);
    json_decref(inds);
    json_decref(rows);
    if (!ok) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

/* A count as CSV or table text: the number, "<5" or "" / "-". */
static const char *needs_cell(char *buf, size_t n, long v, int state, const char *hidden)
{
    if (state == NEEDS_SHOW)
        snprintf(buf, n, "%ld", v);
    else
        snprintf(buf, n, "%s", state == NEEDS_SMALL ? "<5" : hidden);
    return buf;
}

/* A number with `digits` decimals, or `none`. */
static const char *needs_real(char *buf, size_t n, double v, int digits, int shown,
                              const char *none)
{
    if (shown && isfinite(v))
        snprintf(buf, n, "%.*f", digits, v);
    else
        snprintf(buf, n, "%s", none);
    return buf;
}

int needs_csv(FILE *out, const struct needs_result *r, const struct needs_view *v)
{
    int test = r->need_index != NEEDS_NONE && r->per_index != NEEDS_NONE;
    fputs("code,name,households", out);
    for (size_t j = 0; j < r->ntags; j++) {
        fputc(',', out);
        escape_csv(out, r->tags[j]);
    }
    fputs(",areas", out);
    for (size_t i = 0; i < r->nind; i++) {
        fputc(',', out);
        escape_csv(out, r->ind_names[i]);
    }
    fputs(test ? ",rate_per_1000,expected,p_value,under_identified\n" : "\n", out);
    for (size_t row = 0; row <= r->ndistricts; row++) {
        const struct needs_district *d = row < r->ndistricts ? &r->districts[row] : &r->total;
        char b[64];
        escape_csv(out, d->code);
        fputc(',', out);
        escape_csv(out, d->name);
        fprintf(out, ",%s",
                needs_cell(b, sizeof b, d->households, needs_json_state_hh(v, row), ""));
        for (size_t j = 0; j < r->ntags; j++)
            fprintf(out, ",%s",
                    needs_cell(b, sizeof b, d->tag[j], needs_json_state_tag(v, row, j), ""));
        fprintf(out, ",%ld", d->areas);
        for (size_t i = 0; i < r->nind; i++)
            fprintf(
                out, ",%s",
                needs_real(b, sizeof b, d->ind[i], d->ind[i] == floor(d->ind[i]) ? 0 : 2, 1, ""));
        if (test) {
            int own = needs_json_state_tag(v, row, r->need_index) == NEEDS_SHOW;
            int shown = needs_json_test_shown(r, v, row);
            fprintf(out, ",%s", needs_real(b, sizeof b, d->rate, 2, own, ""));
            fprintf(out, ",%s", needs_real(b, sizeof b, d->expected, 2, shown, ""));
            fprintf(out, ",%s", needs_real(b, sizeof b, d->p_value, 6, shown, ""));
            fprintf(out, ",%s\n", shown ? (d->flag ? "yes" : "no") : "");
        } else {
            fputc('\n', out);
        }
    }
    return ferror(out) ? ERR_IO : ERR_OK;
}

void needs_text(FILE *out, const struct needs_result *r, const struct needs_view *v)
{
    int test = r->need_index != NEEDS_NONE && r->per_index != NEEDS_NONE;
    char b[64], name[ESCAPE_TEXT_MAX];
    fprintf(out, "Needs%s%s", r->level ? " by district level " : "",
            r->level ? escape_text(name, sizeof name, r->level) : "");
    if (test)
        fprintf(
            out,
            ": %s per 1,000 %s (municipality: %s; flag = below half that rate and "
            "P(X <= known | Poisson(expected)) < %g)",
            r->need, escape_text(name, sizeof name, r->per),
            needs_real(b, sizeof b, r->rate, 2, needs_json_test_shown(r, v, r->ndistricts), "-"),
            NEEDS_ALPHA);
    fputc('\n', out);
    fprintf(out, "  %-8s %6s", "code", "hh");
    for (size_t j = 0; j < r->ntags; j++)
        fprintf(out, " %s", r->tags[j]);
    fprintf(out, " | %5s", "areas");
    for (size_t i = 0; i < r->nind; i++)
        fprintf(out, " %s", escape_text(name, sizeof name, r->ind_names[i]));
    if (test)
        fprintf(out, " | %7s %8s %9s %4s", "rate", "expected", "p", "flag");
    fprintf(out, "  district\n");
    for (size_t row = 0; row <= r->ndistricts; row++) {
        const struct needs_district *d = row < r->ndistricts ? &r->districts[row] : &r->total;
        fprintf(out, "  %-8s %6s", escape_text(name, sizeof name, d->code),
                needs_cell(b, sizeof b, d->households, needs_json_state_hh(v, row), "-"));
        for (size_t j = 0; j < r->ntags; j++) {
            /* Right-align under a tag of any display width: pad to its bytes / 1.5. */
            int w = (int)(strlen(r->tags[j]) * 2 / 3);
            fprintf(out, " %*s", w < 3 ? 3 : w,
                    needs_cell(b, sizeof b, d->tag[j], needs_json_state_tag(v, row, j), "-"));
        }
        fprintf(out, " | %5ld", d->areas);
        for (size_t i = 0; i < r->nind; i++) {
            int w = (int)(strlen(r->ind_names[i]) * 2 / 3);
            fprintf(
                out, " %*s", w < 4 ? 4 : w,
                needs_real(b, sizeof b, d->ind[i], d->ind[i] == floor(d->ind[i]) ? 0 : 1, 1, "-"));
        }
        if (test) {
            int own = needs_json_state_tag(v, row, r->need_index) == NEEDS_SHOW;
            int shown = needs_json_test_shown(r, v, row);
            fprintf(out, " | %7s", needs_real(b, sizeof b, d->rate, 1, own, "-"));
            fprintf(out, " %8s", needs_real(b, sizeof b, d->expected, 1, shown, "-"));
            fprintf(out, " %9s", needs_real(b, sizeof b, d->p_value, 4, shown, "-"));
            fprintf(out, " %4s", shown ? (d->flag ? "YES" : "no") : "-");
        }
        fprintf(out, "  %s\n", escape_text(name, sizeof name, d->name));
    }
    fprintf(out,
            "(hh = known households, any need; areas = census small areas whose "
            "representative point lies in the district%s)\n",
            v ? "; <5 and - are hidden small counts" : "");
}
