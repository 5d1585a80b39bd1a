/* SPDX-License-Identifier: MIT */
/* overdue.c - overdue households within a scope (see overdue.h). */
#include "overdue.h"

#include "date.h"
#include "store_visits.h"
#include "vec.h"
#include "vocab.h"

#include <stdlib.h>
#include <string.h>

/* What the store's walk collects. */
struct overdue_walk {
    struct overdue_list *l; /* the list being filled */
    long today;             /* day number of today */
    size_t max;             /* entries allowed before scoping (ERR_LIMIT) */
};

static int overdue_take(void *ctx, const struct store_overdue *o)
{
    struct overdue_walk *w = ctx;
    struct overdue_list *l = w->l;
    if (l->n >= w->max)
        return ERR_LIMIT;
    if (vec_reserve((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v) != ERR_OK)
        return ERR_NOMEM;
    struct overdue_item *it = &l->v[l->n];
    memset(it, 0, sizeof *it);
    long due = w->today;
    /* The store checked the lengths; a date that does not parse (a row
     * written by another program) counts as due today. */
    if (o->due)
        date_day(o->due, "due", &due, NULL);
    date_format_day(due, it->due, sizeof it->due);
    if (o->last_at && strlen(o->last_at) < sizeof it->last_at)
        memcpy(it->last_at, o->last_at, strlen(o->last_at) + 1);
    it->last_outcome = vocab_outcome(o->last_outcome);
    it->days_late = w->today - due;
    it->ext_id = strdup(o->ext_id ? o->ext_id : "");
    it->district = o->district ? strdup(o->district) : NULL;
    l->n++;
    if (it->ext_id == NULL || (o->district && it->district == NULL))
        return ERR_NOMEM;
    return ERR_OK;
}

void overdue_list_free(struct overdue_list *l)
{
    for (size_t i = 0; l->v && i < l->n; i++) {
        free(l->v[i].ext_id);
        free(l->v[i].district);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

int overdue_collect(struct store *st, const struct store_scope *sc, const char *level, long today,
                    size_t max, struct overdue_list *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    char day[DATE_DAY_LEN + 1];
    date_format_day(today, day, sizeof day);
    /* Every overdue household of the town is read, then narrowed: bounded
     * by the households the store holds, not by the caller's list. */
    struct overdue_walk w = {out, today, (size_t)-1};
    int rc = store_visits_overdue(st, level, day, overdue_take, &w, e);
    if (rc == ERR_NOMEM)
        rc = err_nomem(e);
    if (rc == ERR_OK && sc != NULL && out->n > 0) {
        const char **ids = malloc(out->n * sizeof *ids);
        unsigned char *in = malloc(out->n);
        if (ids == NULL || in == NULL)
            rc = err_nomem(e);
        for (size_t i = 0; rc == ERR_OK && i < out->n; i++)
            ids[i] = out->v[i].ext_id;
        if (rc == ERR_OK)
            rc = store_scope_check(st, sc, ids, out->n, in, NULL, e);
        size_t k = 0;
        for (size_t i = 0; rc == ERR_OK && i < out->n; i++) {
            if (in[i]) {
                out->v[k++] = out->v[i];
            } else {
                free(out->v[i].ext_id);
                free(out->v[i].district);
            }
        }
        if (rc == ERR_OK)
            out->n = k;
        free(ids);
        free(in);
    }
    if (rc == ERR_OK && out->n > max)
        rc = err_set(e, ERR_LIMIT, "more than %zu households are overdue; narrow the list", max);
    if (rc != ERR_OK)
        overdue_list_free(out);
    return rc;
}
