/* SPDX-License-Identifier: MIT */
/* equipment.c - implements equipment.h: counts resources per kind and
 * district through the store's equipment read, residents per district
 * from the small areas' representative points, and, on the network, one
 * bounded search per resource of a kind to its small areas. Entry points:
 * equipment_params_parse, equipment_run, equipment_result_free. */
#include "equipment.h"

#include "num.h"
#include "search.h"
#include "store_equipment.h"
#include "vec.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int equipment_params_parse(const struct equipment_text *t, const char *prefix,
                           struct equipment_params *p, struct err *e)
{
    memset(p, 0, sizeof *p);
    if (t->level == NULL || !vocab_level_ok(t->level))
        return err_set(e, ERR_INPUT,
                       "%slevel must name a district level (letters a-z, digits "
                       "and _, up to 32)",
                       prefix);
    p->level = t->level;
    if (t->kinds) {
        const char *s = t->kinds;
        while (*s) {
            const char *c = strchr(s, ',');
            size_t len = c ? (size_t)(c - s) : strlen(s);
            char word[128];
            if (len == 0 || len >= sizeof word)
                return err_set(e, ERR_INPUT, "%skind must be kinds separated by commas", prefix);
            if (p->nkinds == EQUIPMENT_KINDS_MAX)
                return err_set(e, ERR_LIMIT, "%skind names more than %d kinds", prefix,
                               EQUIPMENT_KINDS_MAX);
            memcpy(word, s, len);
            word[len] = '\0';
            if (vocab_kind(word, p->kinds[p->nkinds], sizeof p->kinds[0], e) != ERR_OK)
                return err_prefix(e, "%skind: ", prefix), ERR_INPUT;
            p->nkinds++;
            s += len + (c != NULL);
        }
    }
    if (t->minutes && num_double(t->minutes, 0, "minutes", 1, 180, &p->minutes, e) != ERR_OK)
        return err_prefix(e, "%s", prefix), ERR_INPUT;
    return ERR_OK;
}

static void equipment_row_clear(struct equipment_row *r)
{
    free(r->code);
    free(r->name);
    free(r->count);
    free(r->reach);
}

void equipment_result_free(struct equipment_result *r)
{
    if (r == NULL)
        return;
    free(r->level);
    for (size_t i = 0; i < r->nkinds; i++)
        free(r->kinds[i]);
    free(r->kinds);
    for (size_t i = 0; i < r->nrows; i++)
        equipment_row_clear(&r->rows[i]);
    free(r->rows);
    equipment_row_clear(&r->total);
    free(r);
}

/* One small area as read: its row and residents. */
struct equipment_area {
    size_t row;     /* index into rows, or nrows for "(no district)" */
    long residents; /* people */
    double x, y;    /* representative point */
};

/* Loading state of the store callbacks. */
struct equipment_ctx {
    struct equipment_result *r; /* the answer */
    size_t cap_r, cap_a;        /* capacities */
    long *ids;                  /* districts rowid per row */
    struct equipment_area *areas;
    size_t nareas;
    size_t nd;     /* districts (rows before "(no district)") */
    int outside;   /* something lies outside every district */
    int collect;   /* 1: collecting kinds (every kind found) */
    struct err *e; /* where errors go */
};

static size_t equipment_row_of(struct equipment_ctx *c, long id)
{
    for (size_t i = 0; id != 0 && i < c->nd; i++)
        if (c->ids[i] == id)
            return i;
    c->outside = 1;
    return c->nd;
}

static int equipment_on_district(void *ctx, const struct store_plan_district *d)
{
    struct equipment_ctx *c = ctx;
    struct equipment_result *r = c->r;
    size_t cap = c->cap_r;
    if (vec_reserve((void **)&r->rows, &c->cap_r, r->nrows + 1, sizeof *r->rows) != ERR_OK ||
        vec_reserve((void **)&c->ids, &cap, r->nrows + 1, sizeof *c->ids) != ERR_OK)
        return err_nomem(c->e);
    struct equipment_row *row = &r->rows[r->nrows];
    memset(row, 0, sizeof *row);
    c->ids[r->nrows++] = d->id;
    c->nd = r->nrows;
    row->code = d->code ? strdup(d->code) : NULL;
    row->name = strdup(d->name ? d->name : d->code ? d->code : "");
    return (d->code && !row->code) || !row->name ? err_nomem(c->e) : ERR_OK;
}

static int equipment_on_area(void *ctx, const struct store_plan_area *a)
{
    struct equipment_ctx *c = ctx;
    if (vec_reserve((void **)&c->areas, &c->cap_a, c->nareas + 1, sizeof *c->areas) != ERR_OK)
        return err_nomem(c->e);
    c->areas[c->nareas++] =
        (struct equipment_area){equipment_row_of(c, a->district), a->residents, a->x, a->y};
    return ERR_OK;
}

static size_t equipment_kind_index(struct equipment_result *r, const char *kind, int add)
{
    for (size_t k = 0; k < r->nkinds; k++)
        if (strcmp(r->kinds[k], kind) == 0)
            return k;
    if (!add || r->nkinds == EQUIPMENT_KINDS_MAX)
        return (size_t)-1;
    r->kinds[r->nkinds] = strdup(kind);
    return r->kinds[r->nkinds] ? r->nkinds++ : (size_t)-1;
}

static int equipment_on_resource(void *ctx, const struct store_equipment_row *x)
{
    struct equipment_ctx *c = ctx;
    struct equipment_result *r = c->r;
    if (x->kind == NULL)
        return ERR_OK;
    size_t k = equipment_kind_index(r, x->kind, c->collect);
    if (c->collect || k == (size_t)-1)
        return ERR_OK;
    size_t row = equipment_row_of(c, x->district);
    r->total.count[k]++;
    if (row < r->nrows)
        r->rows[row].count[k]++;
    return ERR_OK;
}

static int equipment_kind_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reach: for each kind, one bounded search per matching resource on the
 * network to every area point on it; reach = residents-weighted mean of
 * the number of resources within the limit. */
static int equipment_reach(struct equipment_result *r, struct equipment_ctx *c,
                           const struct walk_net *net, struct walk_session *ws, double minutes,
                           struct err *e)
{
    const struct graph *g = walk_net_graph(net);
    size_t na = c->nareas;
    struct graph_place *tgt = malloc((na ? na : 1) * sizeof *tgt);
    size_t *tgt_of = malloc((na ? na : 1) * sizeof *tgt_of);
    struct search_hit *hits = malloc((na ? na : 1) * sizeof *hits);
    double *within = malloc((na ? na : 1) * sizeof *within);
    int rc = ERR_OK;
    size_t nt = 0;
    if (!tgt || !tgt_of || !hits || !within) {
        rc = err_nomem(e);
        goto done;
    }
    for (size_t a = 0; a < na; a++) {
        struct err se = {0};
        if (graph_snap(g, c->areas[a].x, c->areas[a].y, WALK_DEFAULT_SNAP_M, &tgt[nt], &se) ==
            ERR_OK)
            tgt_of[nt++] = a;
    }
    r->minutes = minutes;
    r->speed = WALK_DEFAULT_SPEED;
    struct search_params sp = {minutes * WALK_DEFAULT_SPEED, 1.0};
    for (size_t k = 0; k < r->nkinds && rc == ERR_OK; k++) {
        memset(within, 0, (na ? na : 1) * sizeof *within);
        for (size_t i = 0; i < walk_net_resource_count(net) && rc == ERR_OK && nt > 0; i++) {
            const struct walk_resource *w = walk_net_resource(net, i);
            if (w->candidate || !w->on_network || strcmp(w->kind, r->kinds[k]) != 0)
                continue;
            rc = search_run(walk_session_search(ws), &sp, &w->place, NULL, 1, tgt, nt, hits, e);
            for (size_t t = 0; rc == ERR_OK && t < nt; t++)
                if (hits[t].reached && hits[t].cost_m <= sp.limit_m)
                    within[tgt_of[t]] += 1.0;
        }
        for (size_t row = 0; row <= r->nrows && rc == ERR_OK; row++) {
            struct equipment_row *x = row < r->nrows ? &r->rows[row] : &r->total;
            double sum = 0;
            long people = 0;
            for (size_t a = 0; a < na; a++)
                if (row == r->nrows || c->areas[a].row == row) {
                    sum += within[a] * (double)c->areas[a].residents;
                    people += c->areas[a].residents;
                }
            x->reach[k] = people > 0 ? sum / (double)people : NAN;
        }
    }
done:
    free(tgt);
    free(tgt_of);
    free(hits);
    free(within);
    return rc;
}

int equipment_run(struct store *st, const struct walk_net *net, struct walk_session *ws,
                  const struct equipment_params *p, struct equipment_result **out, struct err *e)
{
    *out = NULL;
    struct equipment_result *r = calloc(1, sizeof *r);
    struct equipment_ctx c = {.r = r, .e = e};
    int rc = ERR_OK;
    if (r == NULL || (r->kinds = calloc(EQUIPMENT_KINDS_MAX, sizeof *r->kinds)) == NULL ||
        (r->level = strdup(p->level)) == NULL) {
        equipment_result_free(r);
        return err_nomem(e);
    }
    for (size_t k = 0; k < p->nkinds; k++)
        if (equipment_kind_index(r, p->kinds[k], 1) == (size_t)-1) {
            rc = err_nomem(e);
            goto done;
        }
    if ((rc = store_plan_districts_each(st, p->level, equipment_on_district, &c, e)) != ERR_OK)
        goto done;
    if (r->nrows == 0) {
        rc = err_set(e, ERR_NOTFOUND,
                     "no districts of level '%.40s' are imported; import them with `tsunagu "
                     "import districts --level %.40s FILE`",
                     p->level, p->level);
        goto done;
    }
    if (p->nkinds == 0) {
        c.collect = 1;
        if ((rc = store_equipment_each(st, NULL, equipment_on_resource, &c, e)) != ERR_OK)
            goto done;
        qsort(r->kinds, r->nkinds, sizeof *r->kinds, equipment_kind_cmp);
        c.collect = 0;
    }
    if ((rc = store_plan_areas_each(st, p->level, equipment_on_area, &c, e)) != ERR_OK)
        goto done;
    size_t nd = r->nrows;
    if (c.outside) {
        if (vec_reserve((void **)&r->rows, &c.cap_r, nd + 1, sizeof *r->rows) != ERR_OK) {
            rc = err_nomem(e);
            goto done;
        }
        memset(&r->rows[nd], 0, sizeof r->rows[nd]);
        r->nrows++;
        if ((r->rows[nd].name = strdup("(no district)")) == NULL) {
            rc = err_nomem(e);
            goto done;
        }
    }
    if ((r->total.name = strdup("total")) == NULL) {
        rc = err_nomem(e);
        goto done;
    }
    for (size_t i = 0; i <= r->nrows; i++) {
        struct equipment_row *x = i < r->nrows ? &r->rows[i] : &r->total;
        x->count = calloc(r->nkinds + 1, sizeof *x->count);
        x->reach = malloc((r->nkinds + 1) * sizeof *x->reach);
        if (x->count == NULL || x->reach == NULL) {
            rc = err_nomem(e);
            goto done;
        }
        for (size_t k = 0; k < r->nkinds; k++)
            x->reach[k] = NAN;
    }
    /* A resource outside every district counts in "(no district)" when
     * areas outside made that row, and in the total always. */
    if ((rc = store_equipment_each(st, p->level, equipment_on_resource, &c, e)) != ERR_OK)
        goto done;
    r->have_areas = c.nareas > 0;
    for (size_t a = 0; a < c.nareas; a++) {
        r->total.residents += c.areas[a].residents;
        if (c.areas[a].row < r->nrows)
            r->rows[c.areas[a].row].residents += c.areas[a].residents;
    }
    if (net && ws && p->minutes > 0 && r->have_areas)
        rc = equipment_reach(r, &c, net, ws, p->minutes, e);
done:
    free(c.ids);
    free(c.areas);
    if (rc != ERR_OK) {
        equipment_result_free(r);
        return rc;
    }
    *out = r;
    return ERR_OK;
}
