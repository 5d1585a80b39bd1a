/* SPDX-License-Identifier: MIT */
/* coverage.c - implements coverage.h: loads households, small areas and
 * districts through the store's planning functions, snaps them to the
 * walking network, runs one multi-source search from the matching resources
 * and aggregates per district, per resource and in total. Entry points:
 * coverage_params_parse, coverage_run, coverage_result_free,
 * coverage_uncovered_count, coverage_status_word. */
#include "coverage.h"

#include "locate.h"
#include "search.h"
#include "vec.h"
#include "vocab.h"
#include "store_households.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int coverage_params_parse(const struct coverage_text *t, const char *prefix,
                          struct coverage_params *p, struct err *e)
{
    memset(p, 0, sizeof *p);
    const struct walk_query_text wt = {NULL,      NULL,       t->minutes,      t->speed,
                                       t->kind,   t->field,   t->steps_factor, t->max_snap,
                                       t->target, t->open_at, t->open_on};
    if (walk_query_parse_options(&wt, prefix, &p->walk, e) != ERR_OK)
        return ERR_INPUT;
    if (t->level != NULL && !vocab_level_ok(t->level))
        return err_set(e, ERR_INPUT,
                       "%slevel '%.40s' is not a level key (letters a-z, digits "
                       "and _, up to 32)",
                       prefix, t->level);
    p->level = t->level;
    return ERR_OK;
}

const char *coverage_status_word(int status)
{
    switch (status) {
    case COVERAGE_COVERED:
        return "covered";
    case COVERAGE_BEYOND:
        return "beyond_limit";
    case COVERAGE_UNREACHABLE:
        return "unreachable";
    default:
        return "off_network";
    }
}

size_t coverage_uncovered_count(const struct coverage_result *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nhouseholds; i++)
        n += r->households[i].status != COVERAGE_COVERED;
    return n;
}

static void coverage_district_clear(struct coverage_district *d)
{
    free(d->code);
    free(d->name);
}

void coverage_result_free(struct coverage_result *r)
{
    if (r == NULL)
        return;
    free(r->kind);
    free(r->level);
    for (size_t i = 0; i < r->ndistricts; i++)
        coverage_district_clear(&r->districts[i]);
    free(r->districts);
    coverage_district_clear(&r->total);
    free(r->loads);
    for (size_t i = 0; i < r->nareas; i++) {
        free(r->areas[i].code);
        free(r->areas[i].name);
    }
    free(r->areas);
    for (size_t i = 0; i < r->nhouseholds; i++)
        free(r->households[i].ext_id);
    free(r->households);
    free(r);
}

static char *coverage_dup(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* Rowid -> district index, sorted by rowid for bsearch. */
struct coverage_did {
    long id;      /* districts rowid */
    size_t index; /* row in result->districts */
};

/* Loading state shared by the store callbacks. */
struct coverage_load_ctx {
    struct coverage_result *r;  /* result being filled */
    size_t cap_d, cap_h, cap_a; /* capacities of the arrays */
    struct coverage_did *ids;   /* district rowids (cap_d entries), sorted after loading */
    int have_level;             /* whether a level was given */
    int no_district;            /* set when a point lies outside every district */
    struct locate *loc;         /* the districts' shapes, matching households to them */
    struct err *e;              /* where errors go */
};

static int coverage_on_district(void *ctx, const struct store_plan_district *d)
{
    struct coverage_load_ctx *c = ctx;
    struct coverage_result *r = c->r;
    struct coverage_district *rows = NULL;
    if (vec_reserve((void **)&r->districts, &c->cap_d, r->ndistricts + 1, sizeof *r->districts) ==
        ERR_OK)
        rows = r->districts;
    if (rows == NULL)
        return err_nomem(c->e);
    r->districts = rows;
    struct coverage_did *ids = realloc(c->ids, c->cap_d * sizeof *ids);
    if (ids == NULL)
        return err_nomem(c->e);
    c->ids = ids;
    ids[r->ndistricts] = (struct coverage_did){d->id, r->ndistricts};
    struct coverage_district *row = &r->districts[r->ndistricts];
    memset(row, 0, sizeof *row);
    r->ndistricts++;
    row->code = coverage_dup(d->code);
    row->name = coverage_dup(d->name ? d->name : d->code);
    if ((d->code && !row->code) || (row->name == NULL && (d->name || d->code)))
        return err_nomem(c->e);
    row->median_m = row->max_m = NAN;
    if (c->loc && d->wkb && locate_add(c->loc, d->id, d->wkb, d->wkb_len, c->e) != ERR_OK)
        return c->e->code;
    return ERR_OK;
}

static int coverage_did_cmp(const void *a, const void *b)
{
    const struct coverage_did *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* District index of a point with district rowid `id` (0 = none). */
static size_t coverage_district_of(struct coverage_load_ctx *c, long id)
{
    if (!c->have_level)
        return COVERAGE_NONE;
    size_t nd = c->r->ndistricts;
    if (id != 0) {
        struct coverage_did key = {id, 0};
        const struct coverage_did *hit =
            bsearch(&key, c->ids, nd, sizeof *c->ids, coverage_did_cmp);
        if (hit)
            return hit->index;
    }
    c->no_district = 1;
    return nd; /* the "(no district)" row, appended after loading */
}

static int coverage_on_household(void *ctx, const struct store_plan_household *h)
{
    struct coverage_load_ctx *c = ctx;
    struct coverage_result *r = c->r;
    struct coverage_household *hh = NULL;
    if (vec_reserve((void **)&r->households, &c->cap_h, r->nhouseholds + 1,
                    sizeof *r->households) == ERR_OK)
        hh = r->households;
    if (hh == NULL)
        return err_nomem(c->e);
    r->households = hh;
    struct coverage_household *o = &r->households[r->nhouseholds];
    memset(o, 0, sizeof *o);
    r->nhouseholds++;
    o->id = h->id;
    o->ext_id = coverage_dup(h->ext_id);
    if (h->ext_id && !o->ext_id)
        return err_nomem(c->e);
    o->members = h->members;
    o->approx = h->approx;
    o->x = h->x;
    o->y = h->y;
    long did = h->district;
    if (c->loc && (did = locate_find(c->loc, h->x, h->y)) < 0)
        return err_nomem(c->e);
    o->district = coverage_district_of(c, did);
    o->nearest_m = INFINITY;
    o->nearest = COVERAGE_NONE;
    return ERR_OK;
}

static int coverage_on_area(void *ctx, const struct store_plan_area *a)
{
    struct coverage_load_ctx *c = ctx;
    struct coverage_result *r = c->r;
    struct coverage_area *aa = NULL;
    if (vec_reserve((void **)&r->areas, &c->cap_a, r->nareas + 1, sizeof *r->areas) == ERR_OK)
        aa = r->areas;
    if (aa == NULL)
        return err_nomem(c->e);
    r->areas = aa;
    struct coverage_area *o = &r->areas[r->nareas];
    memset(o, 0, sizeof *o);
    r->nareas++;
    o->id = a->id;
    o->code = coverage_dup(a->code);
    o->name = coverage_dup(a->name);
    if ((a->code && !o->code) || (a->name && !o->name))
        return err_nomem(c->e);
    o->residents = a->residents;
    o->x = a->x;
    o->y = a->y;
    o->district = coverage_district_of(c, a->district);
    o->nearest_m = INFINITY;
    o->nearest = COVERAGE_NONE;
    return ERR_OK;
}

/* Snaps a point: ERR_OK with *on = 1 on the network, *on = 0 off it. */
static int coverage_snap(const struct graph *g, double x, double y, double snap_m,
                         struct graph_place *pl, int *on, struct err *e)
{
    struct err se = {0};
    int rc = graph_snap(g, x, y, snap_m, pl, &se);
    *on = rc == ERR_OK;
    if (rc == ERR_OK || rc == ERR_NOTFOUND)
        return ERR_OK;
    return err_set(e, rc, "a point could not be placed on the network: %s", se.msg);
}

/* A point's place in the snapping order. */
struct coverage_order {
    uint64_t key; /* Morton code of the point's 16 m cell */
    size_t i;     /* households, then areas */
};

/* Spreads the low 20 bits of v to the even bits of a 40-bit result. */
static uint64_t coverage_spread(uint64_t v)
{
    v &= 0xfffffu;
    v = (v | v << 16) & UINT64_C(0x0000ffff0000ffff);
    v = (v | v << 8) & UINT64_C(0x00ff00ff00ff00ff);
    v = (v | v << 4) & UINT64_C(0x0f0f0f0f0f0f0f0f);
    v = (v | v << 2) & UINT64_C(0x3333333333333333);
    v = (v | v << 1) & UINT64_C(0x5555555555555555);
    return v;
}

/* Cell coordinate of v in metres from lo: 16 m cells, clamped to 20 bits
 * (16,000 km). */
static uint64_t coverage_cell(double v, double lo)
{
    double c = (v - lo) / 16.0;
    if (!(c > 0.0))
        return 0;
    return c >= 1048575.0 ? 0xfffffu : (uint64_t)c;
}

/* Sorts o[0..n) by key (40 bits), stably, with tmp[0..n) as scratch: five
 * byte-wise counting passes. */
static void coverage_order_sort(struct coverage_order *o, struct coverage_order *tmp, size_t n)
{
    for (int shift = 0; shift < 40; shift += 8) {
        size_t at[257] = {0};
        for (size_t k = 0; k < n; k++)
            at[((o[k].key >> shift) & 0xffu) + 1]++;
        for (int b = 0; b < 256; b++)
            at[b + 1] += at[b];
        for (size_t k = 0; k < n; k++)
            tmp[at[(o[k].key >> shift) & 0xffu]++] = o[k];
        memcpy(o, tmp, n * sizeof *o);
    }
}

/* Snaps every household and area (place and status: UNREACHABLE until the
 * search says more, or OFF_NETWORK). Each snap is a function of the point
 * alone; the points are taken in Morton order of their positions so that
 * neighbours follow each other and the snapping grid and the polylines they
 * read stay in the cache (in store order they jump across the network). */
static int coverage_snap_all(const struct graph *g, struct coverage_result *r, double snap_m,
                             struct err *e)
{
    size_t npts = r->nhouseholds + r->nareas;
    struct coverage_order *ord = malloc((npts ? npts : 1) * 2 * sizeof *ord);
    if (ord == NULL)
        return err_nomem(e);
    double minx, miny, maxx, maxy;
    graph_bbox(g, &minx, &miny, &maxx, &maxy);
    for (size_t i = 0; i < npts; i++) {
        int hh = i < r->nhouseholds;
        double x = hh ? r->households[i].x : r->areas[i - r->nhouseholds].x;
        double y = hh ? r->households[i].y : r->areas[i - r->nhouseholds].y;
        ord[i].key =
            coverage_spread(coverage_cell(x, minx)) | coverage_spread(coverage_cell(y, miny)) << 1;
        ord[i].i = i;
    }
    coverage_order_sort(ord, ord + npts, npts);
    int rc = ERR_OK;
    for (size_t k = 0; k < npts && rc == ERR_OK; k++) {
        size_t i = ord[k].i;
        int on = 0;
        struct coverage_household *h = i < r->nhouseholds ? &r->households[i] : NULL;
        struct coverage_area *a = h ? NULL : &r->areas[i - r->nhouseholds];
        struct graph_place *pl = h ? &h->place : &a->place;
        rc = coverage_snap(g, h ? h->x : a->x, h ? h->y : a->y, snap_m, pl, &on, e);
        int status = on ? COVERAGE_UNREACHABLE : COVERAGE_OFF_NETWORK;
        if (h)
            h->status = status;
        else
            a->status = status;
    }
    free(ord);
    return rc;
}

static int coverage_double_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median and worst of v[0..k) (sorted here); INFINITY marks unreachable. */
static void coverage_median(double *v, size_t k, double *median, double *max)
{
    if (k == 0) {
        *median = *max = NAN;
        return;
    }
    qsort(v, k, sizeof *v, coverage_double_cmp);
    *max = v[k - 1];
    if (k % 2 == 1)
        *median = v[k / 2];
    else if (isinf(v[k / 2 - 1]) || isinf(v[k / 2]))
        *median = INFINITY;
    else
        *median = (v[k / 2 - 1] + v[k / 2]) / 2.0;
}

/* Fills r from the store: districts (plus a "(no district)" row when some
 * point lies outside them), households and areas. */
static int coverage_read(struct store *st, const struct coverage_params *p,
                         struct coverage_result *r, struct err *e)
{
    struct coverage_load_ctx c = {.r = r, .have_level = p->level != NULL, .e = e};
    int rc = ERR_OK;
    if (p->level) {
        if (!vocab_level_ok(p->level))
            return err_set(e, ERR_INPUT, "level '%.40s' is not a level key", p->level);
        /* Households are matched to districts here, with prepared shapes
         * (locate.h), not by one spatial SQL query per household: ~24 us
         * each became ~1 us (README "Coverage audit"). */
        if ((c.loc = locate_new(e)) == NULL)
            return e->code;
        if ((rc = store_plan_districts_each(st, p->level, coverage_on_district, &c, e)) != ERR_OK)
            goto done;
        if (r->ndistricts == 0) {
            rc = err_set(e, ERR_NOTFOUND,
                         "no districts of level '%.40s' are imported; import "
                         "them with `tsunagu import districts --level %.40s "
                         "FILE`",
                         p->level, p->level);
            goto done;
        }
        qsort(c.ids, r->ndistricts, sizeof *c.ids, coverage_did_cmp);
    }
    if ((rc = store_plan_households_each(st, NULL, coverage_on_household, &c, e)) != ERR_OK ||
        (rc = store_plan_areas_each(st, p->level, coverage_on_area, &c, e)) != ERR_OK)
        goto done;
    if (c.no_district) {
        struct coverage_district *rows = NULL;
        if (vec_reserve((void **)&r->districts, &c.cap_d, r->ndistricts + 1,
                        sizeof *r->districts) == ERR_OK)
            rows = r->districts;
        if (rows == NULL) {
            rc = err_nomem(e);
            goto done;
        }
        r->districts = rows;
        struct coverage_district *row = &r->districts[r->ndistricts];
        memset(row, 0, sizeof *row);
        r->ndistricts++;
        row->median_m = row->max_m = NAN;
        if ((row->name = strdup(COVERAGE_NO_DISTRICT)) == NULL)
            rc = err_nomem(e);
    }
done:
    free(c.ids);
    locate_free(c.loc);
    return rc;
}

/* Adds point status to a district row. */
static void coverage_count_household(struct coverage_district *d,
                                     const struct coverage_household *h)
{
    d->households++;
    d->households_covered += h->status == COVERAGE_COVERED;
    d->households_off_network += h->status == COVERAGE_OFF_NETWORK;
    d->households_unreachable += h->status == COVERAGE_UNREACHABLE;
    d->households_approx += h->approx != 0;
}

static void coverage_count_area(struct coverage_district *d, const struct coverage_area *a)
{
    d->areas++;
    d->residents += a->residents;
    if (a->status == COVERAGE_COVERED)
        d->residents_covered += a->residents;
    if (a->status == COVERAGE_OFF_NETWORK)
        d->residents_off_network += a->residents;
}

/* District and total aggregates, once every point has its status. */
static int coverage_aggregate(struct coverage_result *r, struct err *e)
{
    size_t nd = r->ndistricts;
    r->total.median_m = r->total.max_m = NAN;
    if ((r->total.name = strdup("total")) == NULL)
        return err_nomem(e);
    for (size_t i = 0; i < r->nhouseholds; i++) {
        const struct coverage_household *h = &r->households[i];
        coverage_count_household(&r->total, h);
        if (h->district != COVERAGE_NONE)
            coverage_count_household(&r->districts[h->district], h);
    }
    for (size_t i = 0; i < r->nareas; i++) {
        const struct coverage_area *a = &r->areas[i];
        coverage_count_area(&r->total, a);
        if (a->district != COVERAGE_NONE)
            coverage_count_area(&r->districts[a->district], a);
    }
    /* Medians: on-network households' walks, grouped by district in one
     * pass (a counting sort that keeps household order within a district,
     * so each district's walks reach the sort in the order they always
     * did; one pass per district was 145 x 100,000 visits at 2M edges). */
    size_t nh = r->nhouseholds;
    double *all = malloc((nh ? nh : 1) * sizeof *all);
    double *one = malloc((nh ? nh : 1) * sizeof *one);
    size_t *at = calloc(nd + 1, sizeof *at);
    if (all == NULL || one == NULL || at == NULL) {
        free(all);
        free(one);
        free(at);
        return err_nomem(e);
    }
    size_t k = 0;
    for (size_t i = 0; i < nh; i++) {
        const struct coverage_household *h = &r->households[i];
        if (h->status == COVERAGE_OFF_NETWORK)
            continue;
        all[k++] = h->nearest_m;
        if (h->district < nd)
            at[h->district + 1]++;
    }
    for (size_t d = 0; d < nd; d++)
        at[d + 1] += at[d];
    for (size_t i = 0; i < nh; i++) {
        const struct coverage_household *h = &r->households[i];
        if (h->status != COVERAGE_OFF_NETWORK && h->district < nd)
            one[at[h->district]++] = h->nearest_m;
    }
    coverage_median(all, k, &r->total.median_m, &r->total.max_m);
    /* at[d] now ends district d's run, which starts where d - 1's ends. */
    for (size_t d = 0; d < nd; d++) {
        size_t from = d == 0 ? 0 : at[d - 1];
        coverage_median(one + from, at[d] - from, &r->districts[d].median_m,
                        &r->districts[d].max_m);
    }
    free(all);
    free(one);
    free(at);
    return ERR_OK;
}

int coverage_run(struct store *st, const struct walk_net *net, struct walk_session *ws,
                 const struct coverage_params *p, struct coverage_result **out, struct err *e)
{
    *out = NULL;
    struct walk_result wr;
    if (walk_query_check(&p->walk, &wr, e) != ERR_OK)
        return ERR_INPUT;
    double steps = p->walk.steps_factor == 0 ? 1.0 : p->walk.steps_factor;
    double snap_m = p->walk.max_snap_m == 0 ? WALK_DEFAULT_SNAP_M : p->walk.max_snap_m;
    const struct graph *g = walk_net_graph(net);
    struct graph_place *src = NULL, *tgt = NULL;
    size_t *src_res = NULL;
    struct search_hit *hits = NULL;
    size_t *tgt_of = NULL;
    struct coverage_result *r = calloc(1, sizeof *r);
    int rc = ERR_OK;
    if (r == NULL)
        return err_nomem(e);
    r->minutes = p->walk.minutes;
    r->speed = wr.speed;
    r->limit_m = wr.limit_m;
    r->field_mask = p->walk.field_mask;
    r->kind = coverage_dup(p->walk.kind);
    r->level = coverage_dup(p->level);
    if ((p->walk.kind && !r->kind) || (p->level && !r->level)) {
        rc = err_nomem(e);
        goto done;
    }
    if ((rc = coverage_read(st, p, r, e)) != ERR_OK)
        goto done;
    r->have_areas = r->nareas > 0;

    /* Sources: matching resources on the network (candidates only on request). */
    size_t nres = walk_net_resource_count(net), nsrc = 0;
    src = malloc((nres ? nres : 1) * sizeof *src);
    src_res = malloc((nres ? nres : 1) * sizeof *src_res);
    if (src == NULL || src_res == NULL) {
        rc = err_nomem(e);
        goto done;
    }
    for (size_t i = 0; i < nres; i++) {
        const struct walk_resource *w = walk_net_resource(net, i);
        struct walk_resource probe = *w;
        probe.on_network = 1; /* count matching off-network resources apart */
        if (!walk_resource_matches(&probe, &p->walk))
            continue;
        if (!w->on_network) {
            r->resources_off_network++;
            continue;
        }
        src[nsrc] = w->place;
        src_res[nsrc++] = i;
    }
    r->nloads = nsrc;
    r->loads = calloc(nsrc ? nsrc : 1, sizeof *r->loads);
    if (r->loads == NULL) {
        rc = err_nomem(e);
        goto done;
    }
    for (size_t i = 0; i < nsrc; i++)
        r->loads[i].resource = src_res[i];

    /* Targets: households, then areas, that lie on the network. */
    size_t npts = r->nhouseholds + r->nareas, ntgt = 0;
    tgt = malloc((npts ? npts : 1) * sizeof *tgt);
    tgt_of = malloc((npts ? npts : 1) * sizeof *tgt_of);
    hits = malloc((npts ? npts : 1) * sizeof *hits);
    if (tgt == NULL || tgt_of == NULL || hits == NULL) {
        rc = err_nomem(e);
        goto done;
    }
    if ((rc = coverage_snap_all(g, r, snap_m, e)) != ERR_OK)
        goto done;
    for (size_t i = 0; i < npts; i++) {
        struct coverage_household *h = i < r->nhouseholds ? &r->households[i] : NULL;
        struct coverage_area *a = h ? NULL : &r->areas[i - r->nhouseholds];
        int status = h ? h->status : a->status;
        if (status == COVERAGE_UNREACHABLE) {
            tgt[ntgt] = h ? h->place : a->place;
            tgt_of[ntgt++] = i;
        }
    }
    /* One search from every source at once, not cut at the limit. */
    if (nsrc > 0 && ntgt > 0) {
        struct search_params sp = {SEARCH_MAX_LIMIT_M, steps};
        if ((rc = search_run(walk_session_search(ws), &sp, src, NULL, nsrc, tgt, ntgt, hits, e)) !=
            ERR_OK)
            goto done;
        for (size_t t = 0; t < ntgt; t++) {
            if (!hits[t].reached)
                continue;
            size_t i = tgt_of[t];
            int covered = hits[t].cost_m <= r->limit_m;
            struct coverage_load *ld = &r->loads[hits[t].source];
            if (i < r->nhouseholds) {
                struct coverage_household *h = &r->households[i];
                h->status = covered ? COVERAGE_COVERED : COVERAGE_BEYOND;
                h->nearest_m = hits[t].cost_m;
                h->nearest = src_res[hits[t].source];
                ld->households_nearest++;
                ld->households_nearest_covered += covered;
            } else {
                struct coverage_area *a = &r->areas[i - r->nhouseholds];
                a->status = covered ? COVERAGE_COVERED : COVERAGE_BEYOND;
                a->nearest_m = hits[t].cost_m;
                a->nearest = src_res[hits[t].source];
                ld->residents_nearest += a->residents;
                if (covered)
                    ld->residents_nearest_covered += a->residents;
            }
        }
    }
    rc = coverage_aggregate(r, e);
done:
    free(src);
    free(src_res);
    free(tgt);
    free(tgt_of);
    free(hits);
    if (rc != ERR_OK) {
        coverage_result_free(r);
        return rc;
    }
    *out = r;
    return ERR_OK;
}
