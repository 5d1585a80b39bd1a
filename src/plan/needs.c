/* SPDX-License-Identifier: MIT */
/* needs.c - implements needs.h: reads districts, small areas' indicators
 * and households through the store's planning reads, sums them per
 * district, and computes the rate, the expectation and the exact one-sided
 * Poisson test. Entry points: needs_params_parse, needs_run,
 * needs_result_free, needs_poisson_cdf, needs_indicator_find. */
#include "needs.h"

#include "store_households.h"
#include "store_indicators.h"
#include "vec.h"
#include "vocab.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int needs_params_parse(const struct needs_text *t, const char *prefix, struct needs_params *p,
                       struct err *e)
{
    memset(p, 0, sizeof *p);
    if (t->level != NULL && !vocab_level_ok(t->level))
        return err_set(e, ERR_INPUT,
                       "%slevel '%.40s' is not a level key (letters a-z, digits and _, up to 32)",
                       prefix, t->level);
    p->level = t->level;
    if (t->need) {
        p->need = vocab_need_tag(t->need);
        if (p->need == NULL)
            return err_set(e, ERR_INPUT,
                           "%sneed '%.40s' is not a need tag (高齢独居, 認知症, 8050, ひきこもり, "
                           "... or their English aliases)",
                           prefix, t->need);
    }
    if (t->per) {
        if (p->need == NULL)
            return err_set(e, ERR_INPUT,
                           "%sper goes with %sneed (a rate of one need per 1,000 of "
                           "an indicator)",
                           prefix, prefix);
        if (strlen(t->per) > STORE_INDICATOR_NAME_MAX || !*t->per)
            return err_set(e, ERR_INPUT, "%sper must name an indicator (1-%d bytes)", prefix,
                           STORE_INDICATOR_NAME_MAX);
    }
    p->per = t->per;
    return ERR_OK;
}

double needs_poisson_cdf(long k, double mu)
{
    if (k < 0)
        return 0.0;
    if (mu <= 0)
        return 1.0;
    double sum = 0.0;
    for (long i = 0; i <= k; i++) {
        double term = exp(-mu + (double)i * log(mu) - lgamma((double)i + 1.0));
        sum += term;
        if (i > mu && term < 1e-17 * sum)
            break;
    }
    return sum > 1.0 ? 1.0 : sum;
}

/* Full-width ASCII (U+FF01-U+FF5E, 3 UTF-8 bytes) read as ASCII, so that
 * e-Stat's "総数６５歳以上" matches "総数65歳以上". Writes into out. */
static void needs_fold(const char *s, char *out, size_t n)
{
    size_t o = 0;
    const unsigned char *u = (const unsigned char *)s;
    while (*u && o + 1 < n) {
        if (u[0] == 0xEF && (u[1] == 0xBC || u[1] == 0xBD) && u[2]) {
            unsigned cp = ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
            if (cp >= 0xFF01 && cp <= 0xFF5E) {
                out[o++] = (char)(cp - 0xFF01 + 0x21);
                u += 3;
                continue;
            }
        }
        out[o++] = (char)*u++;
    }
    out[o] = '\0';
}

size_t needs_indicator_find(const struct needs_result *r, const char *name)
{
    char a[4 * STORE_INDICATOR_NAME_MAX], b[4 * STORE_INDICATOR_NAME_MAX];
    for (size_t i = 0; i < r->nind; i++)
        if (strcmp(r->ind_names[i], name) == 0)
            return i;
    for (size_t i = 0; i < r->nind; i++)
        if (r->ind_codes[i] && strcmp(r->ind_codes[i], name) == 0)
            return i;
    needs_fold(name, a, sizeof a);
    for (size_t i = 0; i < r->nind; i++) {
        needs_fold(r->ind_names[i], b, sizeof b);
        if (strcmp(a, b) == 0)
            return i;
    }
    return NEEDS_NONE;
}

static void needs_row_clear(struct needs_district *d)
{
    free(d->code);
    free(d->name);
    free(d->tag);
    free(d->ind);
    free(d->ind_missing);
}

void needs_result_free(struct needs_result *r)
{
    if (r == NULL)
        return;
    free(r->level);
    free(r->per);
    free(r->tags);
    for (size_t i = 0; i < r->nind; i++) {
        free(r->ind_names[i]);
        free(r->ind_codes[i]);
    }
    free(r->ind_names);
    free(r->ind_codes);
    for (size_t i = 0; i < r->ndistricts; i++)
        needs_row_clear(&r->districts[i]);
    free(r->districts);
    needs_row_clear(&r->total);
    free(r->hh_row);
    free(r->hh_tags);
    free(r);
}

/* District rowid -> row, sorted by rowid. */
struct needs_did {
    long id;    /* districts rowid */
    size_t row; /* index into districts */
};

static int needs_did_cmp(const void *a, const void *b)
{
    const struct needs_did *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Loading state shared by the store callbacks. */
struct needs_ctx {
    struct needs_result *r; /* the answer being built */
    size_t cap_d, cap_h;    /* capacities of districts and the household arrays */
    struct needs_did *ids;  /* district rowids (cap_d entries) */
    int have_level;         /* a level was given */
    int no_district;        /* something lies outside every district */
    long *area_row;         /* areas by rowid: row + 1 (0: not seen), grown */
    size_t area_cap;        /* entries in area_row */
    struct err *e;          /* where errors go */
    /* First pass over households: the tags seen (vocab order kept by index). */
};

static char *needs_dup(const char *s)
{
    return s ? strdup(s) : NULL;
}

static int needs_on_district(void *ctx, const struct store_plan_district *d)
{
    struct needs_ctx *c = ctx;
    struct needs_result *r = c->r;
    if (vec_reserve((void **)&r->districts, &c->cap_d, r->ndistricts + 1, sizeof *r->districts) !=
        ERR_OK)
        return err_nomem(c->e);
    struct needs_did *ids = realloc(c->ids, c->cap_d * sizeof *ids);
    if (ids == NULL)
        return err_nomem(c->e);
    c->ids = ids;
    ids[r->ndistricts] = (struct needs_did){d->id, r->ndistricts};
    struct needs_district *row = &r->districts[r->ndistricts++];
    memset(row, 0, sizeof *row);
    row->code = needs_dup(d->code);
    row->name = needs_dup(d->name ? d->name : d->code);
    if ((d->code && !row->code) || (!row->name && (d->name || d->code)))
        return err_nomem(c->e);
    return ERR_OK;
}

/* Row of a point in district rowid `id` (0: none); NEEDS_NONE without a level. */
static size_t needs_row_of(struct needs_ctx *c, long id)
{
    if (!c->have_level)
        return NEEDS_NONE;
    if (id != 0) {
        struct needs_did key = {id, 0};
        const struct needs_did *hit =
            bsearch(&key, c->ids, c->r->ndistricts, sizeof *c->ids, needs_did_cmp);
        if (hit)
            return hit->row;
    }
    c->no_district = 1;
    return c->r->ndistricts; /* the "(no district)" row, appended after loading */
}

/* Index of tag t in r->tags, adding it when the answer reports every tag;
 * NEEDS_NONE when it is not reported. */
static size_t needs_tag_index(struct needs_result *r, const char *t)
{
    for (size_t j = 0; j < r->ntags; j++)
        if (strcmp(r->tags[j], t) == 0)
            return j;
    if (r->need != NULL || r->ntags >= NEEDS_TAGS_MAX)
        return NEEDS_NONE;
    const char *canon = vocab_need_tag(t);
    if (canon == NULL)
        return NEEDS_NONE;
    r->tags[r->ntags] = canon;
    return r->ntags++;
}

static int needs_on_household(void *ctx, const struct store_plan_household *h)
{
    struct needs_ctx *c = ctx;
    struct needs_result *r = c->r;
    size_t cap = c->cap_h;
    if (vec_reserve((void **)&r->hh_row, &cap, r->nhouseholds + 1, sizeof *r->hh_row) != ERR_OK)
        return err_nomem(c->e);
    cap = c->cap_h;
    if (vec_reserve((void **)&r->hh_tags, &cap, r->nhouseholds + 1, sizeof *r->hh_tags) != ERR_OK)
        return err_nomem(c->e);
    c->cap_h = cap;
    unsigned bits = 0;
    const char *p = h->needs ? h->needs : "";
    while (*p) {
        const char *q = strchr(p, ';');
        size_t len = q ? (size_t)(q - p) : strlen(p);
        char tag[64];
        if (len > 0 && len < sizeof tag) {
            memcpy(tag, p, len);
            tag[len] = '\0';
            size_t j = needs_tag_index(r, tag);
            if (j != NEEDS_NONE)
                bits |= 1u << j;
        }
        p += len + (q != NULL);
    }
    r->hh_row[r->nhouseholds] = needs_row_of(c, h->district);
    r->hh_tags[r->nhouseholds++] = bits;
    return ERR_OK;
}

static int needs_on_area(void *ctx, const struct store_plan_area *a)
{
    struct needs_ctx *c = ctx;
    if (a->id < 0 || a->id > 100000000L)
        return err_set(c->e, ERR_LIMIT, "a small area's id is out of range");
    size_t old = c->area_cap;
    if (vec_reserve((void **)&c->area_row, &c->area_cap, (size_t)a->id + 1, sizeof *c->area_row) !=
        ERR_OK)
        return err_nomem(c->e);
    if (c->area_cap > old) /* vec_reserve leaves new entries unset */
        memset(c->area_row + old, 0, (c->area_cap - old) * sizeof *c->area_row);
    size_t row = needs_row_of(c, a->district);
    c->area_row[a->id] = row == NEEDS_NONE ? -1 : (long)row + 1;
    c->r->total.areas++;
    return ERR_OK;
}

static int needs_on_name(void *ctx, const char *name, const char *code, long areas)
{
    struct needs_ctx *c = ctx;
    struct needs_result *r = c->r;
    (void)areas;
    if (r->nind >= NEEDS_INDICATORS_MAX)
        return err_set(c->e, ERR_LIMIT, "the small areas carry more than %d indicators",
                       NEEDS_INDICATORS_MAX);
    if ((r->ind_names[r->nind] = needs_dup(name)) == NULL ||
        (code && (r->ind_codes[r->nind] = needs_dup(code)) == NULL))
        return err_nomem(c->e);
    r->nind++;
    return ERR_OK;
}

/* Indicator values: loaded after the names, looked up by binary search. */
static int needs_name_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int needs_on_value(void *ctx, const struct store_indicator_row *v)
{
    struct needs_ctx *c = ctx;
    struct needs_result *r = c->r;
    const char *key = v->name;
    char **hit = bsearch(&key, r->ind_names, r->nind, sizeof *r->ind_names, needs_name_cmp);
    if (hit == NULL || v->area < 0 || (size_t)v->area >= c->area_cap || c->area_row[v->area] == 0)
        return ERR_OK; /* an area without a representative point */
    size_t j = (size_t)(hit - r->ind_names);
    r->total.ind[j] += v->value;
    r->total.ind_missing[j]--; /* counted up from every area below */
    if (c->area_row[v->area] > 0) {
        struct needs_district *d = &r->districts[c->area_row[v->area] - 1];
        d->ind[j] += v->value;
        d->ind_missing[j]--;
    }
    return ERR_OK;
}

static int needs_row_alloc(struct needs_district *d, size_t ntags, size_t nind)
{
    d->tag = calloc(ntags + 1, sizeof *d->tag);
    d->ind = calloc(nind + 1, sizeof *d->ind);
    d->ind_missing = calloc(nind + 1, sizeof *d->ind_missing);
    d->rate = d->expected = d->p_value = NAN;
    return d->tag && d->ind && d->ind_missing;
}

/* Tags in vocab order: domain.md's list order, found through vocab. */
static void needs_sort_tags(struct needs_result *r)
{
    static const char *const order[] = {
        "高齢独居",       "認知症",     "要介護",     "8050",     "ひきこもり",
        "ヤングケアラー", "ダブルケア", "障害",       "生活困窮", "ごみ屋敷",
        "孤立",           "外国籍",     "虐待の疑い", "DV",       "不登校"};
    size_t n = sizeof order / sizeof order[0];
    /* Stable insertion by rank (unknown tags last); tag bits are assigned
     * after sorting, so no household bit needs remapping. */
    for (size_t i = 1; i < r->ntags; i++) {
        const char *t = r->tags[i];
        size_t rt = n, j = i;
        for (size_t k = 0; k < n; k++)
            if (strcmp(order[k], t) == 0)
                rt = k;
        while (j > 0) {
            size_t rp = n;
            for (size_t k = 0; k < n; k++)
                if (strcmp(order[k], r->tags[j - 1]) == 0)
                    rp = k;
            if (rp <= rt)
                break;
            r->tags[j] = r->tags[j - 1];
            j--;
        }
        r->tags[j] = t;
    }
}

/* Rate, expectation and test of a row for need j per indicator i. */
static void needs_test(struct needs_district *d, size_t j, size_t i, double rate_per_1)
{
    double x = d->ind[i];
    long o = d->tag[j];
    d->rate = x > 0 ? 1000.0 * (double)o / x : NAN;
    if (!isfinite(rate_per_1)) {
        d->expected = d->p_value = NAN;
        return;
    }
    d->expected = rate_per_1 * x;
    d->p_value = needs_poisson_cdf(o, d->expected);
    d->flag = d->expected > 0 && (double)o < d->expected / 2.0 && d->p_value < NEEDS_ALPHA;
}

/* Every tag the households carry, so bits are fixed before counting. */
static int needs_collect_tag(void *ctx, const struct store_plan_household *h)
{
    struct needs_result *r = ctx;
    const char *p = h->needs ? h->needs : "";
    while (*p) {
        const char *q = strchr(p, ';');
        size_t len = q ? (size_t)(q - p) : strlen(p);
        char tag[64];
        if (len > 0 && len < sizeof tag) {
            memcpy(tag, p, len);
            tag[len] = '\0';
            needs_tag_index(r, tag);
        }
        p += len + (q != NULL);
    }
    return ERR_OK;
}

int needs_run(struct store *st, const struct needs_params *p, struct needs_result **out,
              struct err *e)
{
    *out = NULL;
    struct needs_result *r = calloc(1, sizeof *r);
    struct needs_ctx c = {.r = r, .have_level = p->level != NULL, .e = e};
    int rc = ERR_OK;
    if (r == NULL)
        return err_nomem(e);
    r->need_index = r->per_index = NEEDS_NONE;
    r->rate = NAN;
    r->need = p->need;
    r->level = needs_dup(p->level);
    r->tags = calloc(NEEDS_TAGS_MAX, sizeof *r->tags);
    r->ind_names = calloc(NEEDS_INDICATORS_MAX, sizeof *r->ind_names);
    r->ind_codes = calloc(NEEDS_INDICATORS_MAX, sizeof *r->ind_codes);
    if (!r->tags || !r->ind_names || !r->ind_codes || (p->level && !r->level)) {
        rc = err_nomem(e);
        goto done;
    }
    if (p->need) {
        r->tags[0] = p->need;
        r->ntags = 1;
        r->need_index = 0;
    } else {
        if ((rc = store_plan_households_each(st, NULL, needs_collect_tag, r, e)) != ERR_OK)
            goto done;
        needs_sort_tags(r);
    }
    if (p->level) {
        if ((rc = store_plan_districts_each(st, p->level, needs_on_district, &c, e)) != ERR_OK)
            goto done;
        if (r->ndistricts == 0) {
            rc = err_set(e, ERR_NOTFOUND,
                         "no districts of level '%.40s' are imported; import them with "
                         "`tsunagu import districts --level %.40s FILE`",
                         p->level, p->level);
            goto done;
        }
        qsort(c.ids, r->ndistricts, sizeof *c.ids, needs_did_cmp);
    }
    if ((rc = store_indicators_names(st, needs_on_name, &c, e)) != ERR_OK)
        goto done;
    if (p->per) {
        r->per_index = needs_indicator_find(r, p->per);
        if (r->per_index == NEEDS_NONE) {
            char list[300] = "";
            size_t off = 0;
            for (size_t i = 0; i < r->nind && off + 4 < sizeof list; i++)
                off += (size_t)snprintf(list + off, sizeof list - off, "%s%s", i ? ", " : "",
                                        r->ind_names[i]);
            rc = err_set(e, ERR_NOTFOUND,
                         "no indicator is named '%.60s'; the small areas carry: %s%s", p->per,
                         r->nind ? list : "none (import population or statistics first)",
                         off + 4 >= sizeof list ? " ..." : "");
            goto done;
        }
        if ((r->per = needs_dup(r->ind_names[r->per_index])) == NULL) {
            rc = err_nomem(e);
            goto done;
        }
    }
    if ((rc = store_plan_households_each(st, p->level, needs_on_household, &c, e)) != ERR_OK ||
        (rc = store_plan_areas_each(st, p->level, needs_on_area, &c, e)) != ERR_OK)
        goto done;
    if (c.no_district) {
        if (vec_reserve((void **)&r->districts, &c.cap_d, r->ndistricts + 1,
                        sizeof *r->districts) != ERR_OK) {
            rc = err_nomem(e);
            goto done;
        }
        struct needs_district *row = &r->districts[r->ndistricts++];
        memset(row, 0, sizeof *row);
        if ((row->name = strdup(NEEDS_NO_DISTRICT)) == NULL) {
            rc = err_nomem(e);
            goto done;
        }
    }
    if ((r->total.name = strdup("total")) == NULL) {
        rc = err_nomem(e);
        goto done;
    }
    for (size_t d = 0; d <= r->ndistricts; d++) {
        struct needs_district *row = d < r->ndistricts ? &r->districts[d] : &r->total;
        if (!needs_row_alloc(row, r->ntags, r->nind)) {
            rc = err_nomem(e);
            goto done;
        }
    }
    /* Areas per row; every area starts as "missing" each indicator. */
    for (size_t a = 0; a < c.area_cap; a++) {
        if (c.area_row[a] == 0)
            continue;
        for (size_t i = 0; i < r->nind; i++)
            r->total.ind_missing[i]++;
        if (c.area_row[a] > 0) {
            struct needs_district *row = &r->districts[c.area_row[a] - 1];
            row->areas++;
            for (size_t i = 0; i < r->nind; i++)
                row->ind_missing[i]++;
        }
    }
    if (r->nind > 0 && (rc = store_indicators_each(st, NULL, needs_on_value, &c, e)) != ERR_OK)
        goto done;
    for (size_t h = 0; h < r->nhouseholds; h++) {
        struct needs_district *row =
            r->hh_row[h] != NEEDS_NONE ? &r->districts[r->hh_row[h]] : NULL;
        r->total.households++;
        if (row)
            row->households++;
        for (size_t j = 0; j < r->ntags; j++)
            if (r->hh_tags[h] & (1u << j)) {
                r->total.tag[j]++;
                if (row)
                    row->tag[j]++;
            }
    }
    if (r->need_index != NEEDS_NONE && r->per_index != NEEDS_NONE) {
        double x = r->total.ind[r->per_index];
        double per1 = x > 0 ? (double)r->total.tag[r->need_index] / x : NAN;
        r->rate = isfinite(per1) ? 1000.0 * per1 : NAN;
        for (size_t d = 0; d <= r->ndistricts; d++)
            needs_test(d < r->ndistricts ? &r->districts[d] : &r->total, r->need_index,
                       r->per_index, per1);
    }
done:
    free(c.ids);
    free(c.area_row);
    if (rc != ERR_OK) {
        needs_result_free(r);
        return rc;
    }
    *out = r;
    return ERR_OK;
}
