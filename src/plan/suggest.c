/* SPDX-License-Identifier: MIT */
/* suggest.c - implements suggest.h: candidate sites (a resource kind or
 * network nodes), one bounded search from each uncovered point to find the
 * candidates that would cover it, and greedy maximal covering: with lazy
 * evaluation over stored (point, candidate) pairs for a candidate layer,
 * with per-candidate counters for network nodes (suggest_nodes_greedy). Entry points:
 * suggest_params_parse, suggest_run, suggest_result_free. */
#include "suggest.h"

#include "num.h"
#include "search.h"
#include "vec.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int suggest_params_parse(const struct suggest_text *t, const char *prefix, struct suggest_params *p,
                         struct err *e)
{
    memset(p, 0, sizeof *p);
    struct coverage_text ct = t->cov;
    ct.level = NULL;
    if (coverage_params_parse(&ct, prefix, &p->cov, e) != ERR_OK)
        return ERR_INPUT;
    p->sites = 1;
    if (t->sites) {
        long v;
        if (num_long(t->sites, 0, "sites", 1, SUGGEST_MAX_SITES, &v, NULL) != ERR_OK)
            return err_set(e, ERR_INPUT, "%ssites must be a whole number from 1 to %d", prefix,
                           SUGGEST_MAX_SITES);
        p->sites = (int)v;
    }
    p->candidates = t->candidates;
    if (p->candidates && *p->candidates == '\0')
        return err_set(e, ERR_INPUT, "%scandidates needs a resource kind", prefix);
    return ERR_OK;
}

void suggest_result_free(struct suggest_result *r)
{
    if (r == NULL)
        return;
    free(r->kind);
    free(r->candidates);
    free(r->picks);
    free(r);
}

/* A candidate site. */
struct suggest_cand {
    size_t resource;          /* resource index or COVERAGE_NONE */
    uint32_t node;            /* graph node (network candidates) */
    struct graph_place place; /* where it stands on the network */
};

/* An uncovered point on the network. */
struct suggest_point {
    struct graph_place place; /* its snap */
    long households;          /* 1 for a household, 0 for an area point */
    long residents;           /* residents for an area point, 0 for a household */
};

/* Heap entry of the lazy greedy: an upper bound of a candidate's gain. */
struct suggest_gain {
    long hh;     /* households it would add (upper bound) */
    long res;    /* residents it would add (upper bound) */
    size_t cand; /* candidate index */
};

/* 1 when a ranks before b: more households, more residents, lower index. */
static int suggest_before(const struct suggest_gain *a, const struct suggest_gain *b)
{
    if (a->hh != b->hh)
        return a->hh > b->hh;
    if (a->res != b->res)
        return a->res > b->res;
    return a->cand < b->cand;
}

static void suggest_heap_down(struct suggest_gain *h, size_t n, size_t i)
{
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && suggest_before(&h[c + 1], &h[c]))
            c++;
        if (!suggest_before(&h[c], &h[i]))
            break;
        struct suggest_gain t = h[c];
        h[c] = h[i];
        h[i] = t;
        i = c;
    }
}

/* The lazy greedy's step: re-weighs the heap's top against the points not
 * yet done (list[start[c]..start[c + 1]) are the points candidate c
 * covers). Returns 1 when the top's bound was its true gain (*now gets
 * it), else 0 after re-ranking it with the true gain, or dropping it when
 * nothing is left. */
static int suggest_heap_fresh(struct suggest_gain *heap, size_t *nheap, const size_t *start,
                              const uint32_t *list, const unsigned char *done,
                              const struct suggest_point *pts, struct suggest_gain *now)
{
    struct suggest_gain top = heap[0];
    *now = (struct suggest_gain){0, 0, top.cand};
    for (size_t q = start[top.cand]; q < start[top.cand + 1]; q++)
        if (!done[list[q]]) {
            now->hh += pts[list[q]].households;
            now->res += pts[list[q]].residents;
        }
    if (now->hh == top.hh && now->res == top.res)
        return 1;
    if (now->hh == 0 && now->res == 0)
        heap[0] = heap[--*nheap];
    else
        heap[0] = *now;
    suggest_heap_down(heap, *nheap, 0);
    return 0;
}

/* Candidates: the resources of the candidate kind on the network, or the
 * network nodes (with an edge) inside the uncovered points' box grown by
 * the limit. */
static int suggest_candidates(const struct walk_net *net, const struct suggest_params *p,
                              const struct suggest_point *pts, size_t npts, double limit_m,
                              struct suggest_cand **out, size_t *nout, struct err *e)
{
    const struct graph *g = walk_net_graph(net);
    size_t n = 0;
    struct suggest_cand *c = NULL;
    if (p->candidates) {
        size_t nres = walk_net_resource_count(net);
        c = malloc((nres ? nres : 1) * sizeof *c);
        if (c == NULL)
            return err_nomem(e);
        for (size_t i = 0; i < nres; i++) {
            const struct walk_resource *w = walk_net_resource(net, i);
            if (w->on_network && strcmp(w->kind, p->candidates) == 0)
                c[n++] = (struct suggest_cand){i, 0, w->place};
        }
        if (n == 0) {
            free(c);
            return err_set(e, ERR_NOTFOUND,
                           "no resources of kind '%.40s' lie on the network to serve as "
                           "candidate sites; import them with `tsunagu import resources FILE "
                           "--kind %.40s`",
                           p->candidates, p->candidates);
        }
        *out = c;
        *nout = n;
        return ERR_OK;
    }
    struct graph_view v;
    graph_view(g, &v);
    c = malloc((v.nnodes ? v.nnodes : 1) * sizeof *c);
    if (c == NULL)
        return err_nomem(e);
    double minx = INFINITY, miny = INFINITY, maxx = -INFINITY, maxy = -INFINITY;
    for (size_t i = 0; i < npts; i++) {
        minx = fmin(minx, pts[i].place.x);
        maxx = fmax(maxx, pts[i].place.x);
        miny = fmin(miny, pts[i].place.y);
        maxy = fmax(maxy, pts[i].place.y);
    }
    for (uint32_t nd = 0; nd < v.nnodes && npts > 0; nd++) {
        if (v.adj_off[nd] == v.adj_off[nd + 1])
            continue; /* an isolated node */
        double x, y;
        graph_node_xy(g, nd, &x, &y);
        if (x < minx - limit_m || x > maxx + limit_m || y < miny - limit_m || y > maxy + limit_m)
            continue;
        uint32_t ed = v.adj_edge[v.adj_off[nd]];
        double off = v.edge_uv[2 * (size_t)ed] == nd ? 0.0 : v.length[ed];
        struct suggest_cand *k = &c[n];
        k->resource = COVERAGE_NONE;
        k->node = nd;
        if (graph_place_at(g, ed, off, &k->place, e) != ERR_OK) {
            free(c);
            return e->code;
        }
        n++;
    }
    *out = c;
    *nout = n;
    return ERR_OK;
}

/* Appends candidate c as the next pick adding hh households and res
 * residents; *covered and *res_covered are the running totals. Fails with
 * ERR_INTERNAL when a node cannot be projected to WGS84. */
static int suggest_add_pick(struct suggest_result *r, const struct walk_net *net,
                            struct walk_session *ws, const struct suggest_cand *c, long hh,
                            long res, long *covered, long *res_covered, struct err *e)
{
    *covered += hh;
    *res_covered += res;
    struct suggest_pick *pk = &r->picks[r->npicks++];
    pk->resource = c->resource;
    pk->node = c->node;
    if (c->resource != COVERAGE_NONE) {
        const struct walk_resource *w = walk_net_resource(net, c->resource);
        pk->x = w->x;
        pk->y = w->y;
        pk->lon = w->lon;
        pk->lat = w->lat;
    } else {
        graph_node_xy(walk_net_graph(net), c->node, &pk->x, &pk->y);
        if (walk_session_to_lonlat(ws, pk->x, pk->y, &pk->lon, &pk->lat) != ERR_OK)
            return err_set(e, ERR_INTERNAL, "a network node cannot be projected to WGS84");
    }
    pk->households_added = hh;
    pk->residents_added = res;
    pk->households_covered = *covered;
    pk->residents_covered = *res_covered;
    pk->share_covered = r->households > 0 ? (double)*covered / (double)r->households : 0.0;
    return ERR_OK;
}

/* The work a network-node suggestion would do, checked before it starts:
 * one search per uncovered point, each settling about the nodes within
 * the limit (the network's node density times the disc of radius limit_m,
 * at most every node). ERR_LIMIT with what to narrow when over max_work. */
static int suggest_check_work(const struct graph *g, size_t npts, double limit_m, double max_work,
                              struct err *e)
{
    double minx, miny, maxx, maxy;
    graph_bbox(g, &minx, &miny, &maxx, &maxy);
    double nodes = (double)graph_node_count(g);
    double area = fmax((maxx - minx) * (maxy - miny), 1.0);
    double reach = fmin(nodes, nodes / area * 3.14159265358979 * limit_m * limit_m);
    double work = (double)npts * fmax(reach, 1.0);
    if (work <= max_work)
        return ERR_OK;
    return err_set(e, ERR_LIMIT,
                   "suggesting among network nodes would walk about %.0f million street "
                   "nodes (%zu uncovered points, each reaching about %.0f nodes within "
                   "%.0f m), over the %.0f million allowed; name a candidate layer "
                   "(candidates), fewer minutes, or existing resources of a kind that "
                   "already covers more households",
                   work / 1e6, npts, reach, limit_m, max_work / 1e6);
}

/* The points qsort orders in suggest_edge_cmp (qsort has no context
 * argument; suggest runs on one thread per workspace, and this is set
 * right before each sort). */
static _Thread_local const struct suggest_point *suggest_points_by_edge;

/* Point indices by their place's edge, then index. */
static int suggest_edge_cmp(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    uint32_t ei = suggest_points_by_edge[i].place.edge, ej = suggest_points_by_edge[j].place.edge;
    if (ei != ej)
        return ei < ej ? -1 : 1;
    return i < j ? -1 : (i > j);
}

/* Greedy maximal covering over network-node candidates without storing
 * (point, candidate) pairs, which at prefecture scale number in the
 * hundreds of millions: each candidate's gain is a counter, filled by one
 * search per uncovered point that adds the point to every candidate node
 * it reaches (a node candidate is reached exactly when its node is: its
 * place is the node itself, so cost_at gives the node's cost). Each round
 * takes the best counter (more households, more residents, lower index:
 * the order of the lazy greedy, so the same picks), then finds the points
 * it covers - a search from the pick, a metre wider than the limit, to
 * narrow them down, and each one's own search again to decide exactly as
 * the first pass did - and takes them off the counters of every candidate
 * they reach. Memory O(nodes + points). */
static int suggest_nodes_greedy(struct suggest_result *r, const struct walk_net *net,
                                struct walk_session *ws, const struct suggest_params *p,
                                const struct suggest_point *pts, size_t npts,
                                const struct suggest_cand *cand, size_t ncand, struct err *e)
{
    const struct graph *g = walk_net_graph(net);
    struct search *s = walk_session_search(ws);
    size_t nnodes = graph_node_count(g);
    uint32_t *cand_of = malloc((nnodes ? nnodes : 1) * sizeof *cand_of);
    long *ghh = calloc(ncand ? ncand : 1, sizeof *ghh);
    long *gres = calloc(ncand ? ncand : 1, sizeof *gres);
    unsigned char *done = calloc(npts ? npts : 1, 1);
    struct graph_place *pp = malloc((npts ? npts : 1) * sizeof *pp);
    struct search_hit *hits = malloc((npts ? npts : 1) * sizeof *hits);
    size_t *order = malloc((npts ? npts : 1) * sizeof *order);
    int rc = ERR_OK;
    if (cand_of == NULL || ghh == NULL || gres == NULL || done == NULL || pp == NULL ||
        hits == NULL || order == NULL) {
        rc = err_nomem(e);
        goto out;
    }
    for (size_t n = 0; n < nnodes; n++)
        cand_of[n] = UINT32_MAX;
    for (size_t k = 0; k < ncand; k++)
        cand_of[cand[k].node] = (uint32_t)k;
    for (size_t i = 0; i < npts; i++)
        pp[i] = pts[i].place;
    double steps = p->cov.walk.steps_factor == 0 ? 1.0 : p->cov.walk.steps_factor;
    struct search_params sp = {r->limit_m, steps};
    const uint32_t *nodes;
    /* Points in the order of their edges, which lie near each other in the
     * graph's arrays: consecutive searches then find most of what they
     * touch in the cache. The counters are sums, so the order changes
     * nothing else. */
    for (size_t i = 0; i < npts; i++)
        order[i] = i;
    suggest_points_by_edge = pts;
    qsort(order, npts, sizeof *order, suggest_edge_cmp);
    for (size_t oi = 0; oi < npts && ncand > 0; oi++) {
        size_t i = order[oi];
        if ((rc = search_run(s, &sp, &pts[i].place, NULL, 1, NULL, 0, NULL, e)) != ERR_OK)
            goto out;
        r->searches++;
        size_t nn = search_reached_nodes(s, &nodes);
        for (size_t q = 0; q < nn; q++) {
            uint32_t k = cand_of[nodes[q]];
            if (k != UINT32_MAX) {
                ghh[k] += pts[i].households;
                gres[k] += pts[i].residents;
            }
        }
    }
    long covered = r->households_covered_before, res_covered = r->residents_covered_before;
    struct search_params wide = {fmin(r->limit_m + 1.0, SEARCH_MAX_LIMIT_M), steps};
    while ((int)r->npicks < p->sites) {
        size_t best = SIZE_MAX;
        for (size_t k = 0; k < ncand; k++) {
            if (ghh[k] == 0 && gres[k] == 0)
                continue;
            if (best == SIZE_MAX || ghh[k] > ghh[best] ||
                (ghh[k] == ghh[best] && gres[k] > gres[best]))
                best = k;
        }
        if (best == SIZE_MAX || ghh[best] < p->min_households)
            break; /* nothing helps, or the best adds too few households to be named */
        long hh = ghh[best], res = gres[best];
        if ((rc = suggest_add_pick(r, net, ws, &cand[best], hh, res, &covered, &res_covered, e)) !=
            ERR_OK)
            goto out;
        if ((int)r->npicks == p->sites)
            break;
        if ((rc = search_run_targets(s, &wide, &cand[best].place, NULL, 1, pp, npts, hits, e)) !=
            ERR_OK)
            goto out;
        for (size_t i = 0; i < npts; i++) {
            if (done[i] || !hits[i].reached)
                continue;
            if ((rc = search_run(s, &sp, &pts[i].place, NULL, 1, NULL, 0, NULL, e)) != ERR_OK)
                goto out;
            double c;
            uint32_t src;
            if (!search_node(s, cand[best].node, &c, &src))
                continue; /* within the wider bound only */
            done[i] = 1;
            size_t nn = search_reached_nodes(s, &nodes);
            for (size_t q = 0; q < nn; q++) {
                uint32_t k = cand_of[nodes[q]];
                if (k != UINT32_MAX) {
                    ghh[k] -= pts[i].households;
                    gres[k] -= pts[i].residents;
                }
            }
        }
    }
out:
    free(cand_of);
    free(ghh);
    free(gres);
    free(done);
    free(pp);
    free(hits);
    free(order);
    return rc;
}

/* ---- network nodes in cells (SUGGEST_CELLS) ---- */

/* What weighing one node against the uncovered points needs. */
struct suggest_weigh {
    const struct graph *g;           /* the network */
    struct graph_view v;             /* its arrays */
    struct search *s;                /* the session's search workspace */
    struct search_params sp;         /* limit and steps factor */
    const struct suggest_point *pts; /* uncovered points */
    uint32_t *first;                 /* nedges + 1: points on edge ed are by_edge[first[ed]..] */
    uint32_t *by_edge;               /* point indices by edge */
    uint32_t *stamp;                 /* per point: gen when last looked at */
    uint32_t gen;                    /* the current weighing */
    const unsigned char *done;       /* per point: covered by a pick already */
    uint32_t *list;                  /* the points the last weighing covers */
    size_t nlist, cap;               /* entries and capacity of list */
};

/* Weighs candidate c: one search from it; every point on an edge at a
 * reached node is costed as search_run's target answer would be (the
 * cheaper end plus the part of the edge, then the point's access leg:
 * cost_at in search.c, where a node source adds nothing along its own
 * edge), so "covered" means what a search from the site with the point as
 * a target says, as the coverage audit decides. The not-done points
 * covered go to w->list; their households and residents to *hh, *res. */
static int suggest_weigh(struct suggest_weigh *w, const struct suggest_cand *c, long *hh, long *res,
                         struct err *e)
{
    *hh = *res = 0;
    w->nlist = 0;
    int rc = search_run(w->s, &w->sp, &c->place, NULL, 1, NULL, 0, NULL, e);
    if (rc != ERR_OK)
        return rc;
    if (++w->gen == 0) { /* wrapped: clear the stamps */
        memset(w->stamp, 0, (w->first[w->v.nedges] ? w->first[w->v.nedges] : 1) * sizeof *w->stamp);
        w->gen = 1;
    }
    const uint32_t *nodes;
    size_t nn = search_reached_nodes(w->s, &nodes);
    for (size_t q = 0; q < nn; q++) {
        uint32_t x = nodes[q];
        for (uint32_t k = w->v.adj_off[x]; k < w->v.adj_off[x + 1]; k++) {
            uint32_t ed = w->v.adj_edge[k];
            for (uint32_t j = w->first[ed]; j < w->first[ed + 1]; j++) {
                uint32_t i = w->by_edge[j];
                if (w->stamp[i] == w->gen)
                    continue;
                w->stamp[i] = w->gen;
                if (w->done[i])
                    continue;
                const struct graph_place *pl = &w->pts[i].place;
                double f = (w->v.flags[ed] & GRAPH_EDGE_STEPS) ? w->sp.steps_factor : 1.0;
                double len = w->v.length[ed], best = INFINITY, cu;
                uint32_t src;
                if (search_node(w->s, w->v.edge_uv[2 * (size_t)ed], &cu, &src))
                    best = cu + pl->offset_m * f;
                if (search_node(w->s, w->v.edge_uv[2 * (size_t)ed + 1], &cu, &src)) {
                    cu += (len - pl->offset_m) * f;
                    if (cu < best)
                        best = cu;
                }
                if (!(best + pl->access_m <= w->sp.limit_m))
                    continue;
                if (vec_reserve((void **)&w->list, &w->cap, w->nlist + 1, sizeof *w->list) !=
                    ERR_OK)
                    return err_nomem(e);
                w->list[w->nlist++] = i;
                *hh += w->pts[i].households;
                *res += w->pts[i].residents;
            }
        }
    }
    return ERR_OK;
}

/* A candidate with its cell (SUGGEST_CELLS). */
struct suggest_celled {
    uint64_t cell; /* row * columns + column */
    uint32_t cand; /* candidate index */
    double d2;     /* squared distance to the cell's centre */
};

/* By cell, then nearer the centre, then lower index. */
static int suggest_celled_cmp(const void *a, const void *b)
{
    const struct suggest_celled *x = a, *y = b;
    if (x->cell != y->cell)
        return x->cell < y->cell ? -1 : 1;
    if (x->d2 != y->d2)
        return x->d2 < y->d2 ? -1 : 1;
    return x->cand < y->cand ? -1 : (x->cand > y->cand);
}

/* The first entry of cell `cell` in the sorted cs[0..n), or n. */
static size_t suggest_cell_find(const struct suggest_celled *cs, size_t n, uint64_t cell)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cs[mid].cell < cell)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && cs[lo].cell == cell ? lo : n;
}

/* SUGGEST_CELLS (see suggest.h): representatives weighed once, lazy greedy
 * over them with (point, representative) lists, each pick refined over the
 * 3 x 3 cells around the chosen representative's. */
static int suggest_cells_greedy(struct suggest_result *r, const struct walk_net *net,
                                struct walk_session *ws, const struct suggest_params *p,
                                const struct suggest_point *pts, size_t npts,
                                const struct suggest_cand *cand, size_t ncand, struct err *e)
{
    const struct graph *g = walk_net_graph(net);
    struct suggest_weigh w = {.g = g, .s = walk_session_search(ws), .pts = pts};
    graph_view(g, &w.v);
    w.sp.limit_m = r->limit_m;
    w.sp.steps_factor = p->cov.walk.steps_factor == 0 ? 1.0 : p->cov.walk.steps_factor;
    struct suggest_celled *cs = malloc((ncand ? ncand : 1) * sizeof *cs);
    size_t *rep = malloc((ncand ? ncand : 1) * sizeof *rep); /* cs index of each representative */
    size_t *start = NULL, nrep = 0, npairs = 0, cap_pairs = 0;
    uint32_t *list = NULL, *best_list = NULL;
    size_t best_cap = 0;
    struct suggest_gain *heap = NULL;
    unsigned char *done = calloc(npts ? npts : 1, 1);
    w.first = calloc((size_t)w.v.nedges + 1, sizeof *w.first);
    w.by_edge = malloc((npts ? npts : 1) * sizeof *w.by_edge);
    w.stamp = calloc(npts ? npts : 1, sizeof *w.stamp);
    w.done = done;
    int rc = ERR_OK;
    if (cs == NULL || rep == NULL || done == NULL || w.first == NULL || w.by_edge == NULL ||
        w.stamp == NULL) {
        rc = err_nomem(e);
        goto out;
    }
    /* Points by edge (CSR). */
    for (size_t i = 0; i < npts; i++)
        w.first[pts[i].place.edge + 1]++;
    for (uint32_t ed = 0; ed < w.v.nedges; ed++)
        w.first[ed + 1] += w.first[ed];
    for (size_t i = 0; i < npts; i++)
        w.by_edge[w.first[pts[i].place.edge]++] = (uint32_t)i;
    for (uint32_t ed = w.v.nedges; ed > 0; ed--)
        w.first[ed] = w.first[ed - 1];
    w.first[0] = 0;
    /* Cells over the candidates' box. */
    double side = r->limit_m / SUGGEST_CELL_DIV;
    if (!(side >= 1.0))
        side = 1.0;
    double minx = INFINITY, miny = INFINITY, maxx = -INFINITY;
    for (size_t k = 0; k < ncand; k++) {
        double x, y;
        graph_node_xy(g, cand[k].node, &x, &y);
        minx = fmin(minx, x);
        miny = fmin(miny, y);
        maxx = fmax(maxx, x);
    }
    uint64_t cols = ncand ? (uint64_t)floor((maxx - minx) / side) + 1 : 1;
    for (size_t k = 0; k < ncand; k++) {
        double x, y;
        graph_node_xy(g, cand[k].node, &x, &y);
        uint64_t cx = (uint64_t)floor((x - minx) / side), cy = (uint64_t)floor((y - miny) / side);
        double dx = x - (minx + ((double)cx + 0.5) * side),
               dy = y - (miny + ((double)cy + 0.5) * side);
        cs[k] = (struct suggest_celled){cy * cols + cx, (uint32_t)k, dx * dx + dy * dy};
    }
    qsort(cs, ncand, sizeof *cs, suggest_celled_cmp);
    for (size_t q = 0; q < ncand; q++)
        if (q == 0 || cs[q].cell != cs[q - 1].cell)
            rep[nrep++] = q;
    r->method = SUGGEST_CELLS;
    r->cell_m = side;
    r->ncells = nrep;
    /* The work, checked before any search: the representatives, then up
     * to nine cells of nodes per pick. */
    {
        double per_cell = nrep ? (double)ncand / (double)nrep : 0.0;
        double searches = (double)nrep + 9.0 * per_cell * (double)p->sites;
        double minx_g, miny_g, maxx_g, maxy_g;
        graph_bbox(g, &minx_g, &miny_g, &maxx_g, &maxy_g);
        double nodes = (double)graph_node_count(g);
        double area = fmax((maxx_g - minx_g) * (maxy_g - miny_g), 1.0);
        double reach =
            fmax(fmin(nodes, nodes / area * 3.14159265358979 * r->limit_m * r->limit_m), 1.0);
        double max_work = p->max_work > 0 ? p->max_work : SUGGEST_MAX_WORK;
        if (searches * reach > max_work) {
            rc = err_set(e, ERR_LIMIT,
                         "suggesting among network nodes would walk about %.0f million street "
                         "nodes (%.0f searches in cells of %.0f m, each reaching about %.0f "
                         "nodes), over the %.0f million allowed; name a candidate layer "
                         "(candidates), fewer minutes or fewer sites",
                         searches * reach / 1e6, searches, side, reach, max_work / 1e6);
            goto out;
        }
    }
    /* Each representative's covered points (CSR: start, list). */
    start = calloc(nrep + 1, sizeof *start);
    heap = malloc((nrep ? nrep : 1) * sizeof *heap);
    if (start == NULL || heap == NULL) {
        rc = err_nomem(e);
        goto out;
    }
    size_t nheap = 0;
    for (size_t q = 0; q < nrep; q++) {
        long hh, res;
        if ((rc = suggest_weigh(&w, &cand[cs[rep[q]].cand], &hh, &res, e)) != ERR_OK)
            goto out;
        r->searches++;
        if (vec_reserve((void **)&list, &cap_pairs, npairs + w.nlist, sizeof *list) != ERR_OK) {
            rc = err_nomem(e);
            goto out;
        }
        memcpy(list + npairs, w.list, w.nlist * sizeof *list);
        npairs += w.nlist;
        start[q + 1] = npairs;
        if (hh > 0 || res > 0)
            heap[nheap++] = (struct suggest_gain){hh, res, q};
    }
    for (size_t i = nheap / 2; i-- > 0;)
        suggest_heap_down(heap, nheap, i);
    long covered = r->households_covered_before, res_covered = r->residents_covered_before;
    while ((int)r->npicks < p->sites && nheap > 0) {
        struct suggest_gain top = heap[0], now;
        if (!suggest_heap_fresh(heap, &nheap, start, list, done, pts, &now))
            continue;
        /* The best node of the 3 x 3 cells around this representative's. */
        uint64_t cell = cs[rep[top.cand]].cell, cx = cell % cols, cy = cell / cols;
        long bhh = -1, bres = -1;
        size_t best = SIZE_MAX, nbest = 0;
        for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++) {
                if ((dx < 0 && cx == 0) || (dy < 0 && cy == 0) || (dx > 0 && cx + 1 >= cols))
                    continue;
                uint64_t nc = (cy + (uint64_t)(int64_t)dy) * cols + cx + (uint64_t)(int64_t)dx;
                for (size_t q = suggest_cell_find(cs, ncand, nc); q < ncand && cs[q].cell == nc;
                     q++) {
                    long hh, res;
                    size_t k = cs[q].cand;
                    if ((rc = suggest_weigh(&w, &cand[k], &hh, &res, e)) != ERR_OK)
                        goto out;
                    r->searches++;
                    if (hh > bhh || (hh == bhh && res > bres) ||
                        (hh == bhh && res == bres && k < best)) {
                        bhh = hh;
                        bres = res;
                        best = k;
                        if (vec_reserve((void **)&best_list, &best_cap, w.nlist ? w.nlist : 1,
                                        sizeof *best_list) != ERR_OK) {
                            rc = err_nomem(e);
                            goto out;
                        }
                        memcpy(best_list, w.list, w.nlist * sizeof *best_list);
                        nbest = w.nlist;
                    }
                }
            }
        if (best == SIZE_MAX || bhh < p->min_households)
            break; /* the best site adds too few households to be named */
        for (size_t q = 0; q < nbest; q++)
            done[best_list[q]] = 1;
        if ((rc = suggest_add_pick(r, net, ws, &cand[best], bhh, bres, &covered, &res_covered,
                                   e)) != ERR_OK)
            goto out;
        /* The representative stays in the heap: its gain there is now an
         * upper bound, recomputed when it comes up again. */
    }
out:
    free(cs);
    free(rep);
    free(start);
    free(list);
    free(best_list);
    free(heap);
    free(done);
    free(w.first);
    free(w.by_edge);
    free(w.stamp);
    free(w.list);
    return rc;
}

int suggest_run(struct store *st, const struct walk_net *net, struct walk_session *ws,
                const struct suggest_params *p, struct suggest_result **out, struct err *e)
{
    *out = NULL;
    if (p->sites < 1 || p->sites > SUGGEST_MAX_SITES)
        return err_set(e, ERR_INPUT, "sites must be a whole number from 1 to %d",
                       SUGGEST_MAX_SITES);
    if (p->candidates && p->cov.walk.kind && strcmp(p->candidates, p->cov.walk.kind) == 0)
        return err_set(e, ERR_INPUT,
                       "the candidate kind must differ from the kind of the "
                       "existing resources");
    struct coverage_params cp = p->cov;
    cp.level = NULL;
    struct coverage_result *cov = NULL;
    struct suggest_result *r = NULL;
    struct suggest_point *pts = NULL;
    struct suggest_cand *cand = NULL;
    struct graph_place *cplaces = NULL;
    struct search_hit *hits = NULL;
    uint32_t *pair_c = NULL, *pair_p = NULL, *list = NULL;
    size_t *start = NULL;
    unsigned char *done = NULL;
    struct suggest_gain *heap = NULL;
    size_t npairs = 0, cap_pairs = 0, ncand = 0;
    int rc = coverage_run(st, net, ws, &cp, &cov, e);
    if (rc != ERR_OK)
        return rc;
    r = calloc(1, sizeof *r);
    if (r == NULL)
        goto nomem;
    r->minutes = cov->minutes;
    r->speed = cov->speed;
    r->limit_m = cov->limit_m;
    r->kind = cov->kind ? strdup(cov->kind) : NULL;
    r->candidates = p->candidates ? strdup(p->candidates) : NULL;
    if ((cov->kind && !r->kind) || (p->candidates && !r->candidates))
        goto nomem;
    r->households = cov->total.households;
    r->households_covered_before = cov->total.households_covered;
    r->households_off_network = cov->total.households_off_network;
    r->have_areas = cov->have_areas;
    r->residents = cov->total.residents;
    r->residents_covered_before = cov->total.residents_covered;

    /* Uncovered points on the network. */
    size_t npts = 0, total = cov->nhouseholds + cov->nareas;
    pts = malloc((total ? total : 1) * sizeof *pts);
    if (pts == NULL)
        goto nomem;
    for (size_t i = 0; i < cov->nhouseholds; i++) {
        const struct coverage_household *h = &cov->households[i];
        if (h->status == COVERAGE_BEYOND || h->status == COVERAGE_UNREACHABLE)
            pts[npts++] = (struct suggest_point){h->place, 1, 0};
    }
    for (size_t i = 0; i < cov->nareas; i++) {
        const struct coverage_area *a = &cov->areas[i];
        if (a->status == COVERAGE_BEYOND || a->status == COVERAGE_UNREACHABLE)
            pts[npts++] = (struct suggest_point){a->place, 0, a->residents};
    }
    int method = p->method;
    if (method == SUGGEST_AUTO)
        method = npts > SUGGEST_EXACT_POINTS ? SUGGEST_CELLS : SUGGEST_EXACT;
    if (p->candidates == NULL && method == SUGGEST_EXACT &&
        (rc = suggest_check_work(walk_net_graph(net), npts, r->limit_m,
                                 p->max_work > 0 ? p->max_work : SUGGEST_MAX_WORK, e)) != ERR_OK)
        goto fail;
    if ((rc = suggest_candidates(net, p, pts, npts, r->limit_m, &cand, &ncand, e)) != ERR_OK)
        goto fail;
    r->ncandidates = ncand;
    if (p->candidates == NULL) {
        r->picks = calloc((size_t)p->sites, sizeof *r->picks);
        if (r->picks == NULL)
            goto nomem;
        if (method == SUGGEST_CELLS)
            rc = suggest_cells_greedy(r, net, ws, p, pts, npts, cand, ncand, e);
        else {
            r->method = SUGGEST_EXACT;
            rc = suggest_nodes_greedy(r, net, ws, p, pts, npts, cand, ncand, e);
        }
        if (rc != ERR_OK)
            goto fail;
        goto out;
    }

    /* One bounded search from each uncovered point: the candidates covering it. */
    cplaces = malloc((ncand ? ncand : 1) * sizeof *cplaces);
    hits = malloc((ncand ? ncand : 1) * sizeof *hits);
    if (cplaces == NULL || hits == NULL)
        goto nomem;
    for (size_t k = 0; k < ncand; k++)
        cplaces[k] = cand[k].place;
    double steps = p->cov.walk.steps_factor == 0 ? 1.0 : p->cov.walk.steps_factor;
    struct search_params sp = {r->limit_m, steps};
    for (size_t i = 0; i < npts && ncand > 0; i++) {
        rc = search_run(walk_session_search(ws), &sp, &pts[i].place, NULL, 1, cplaces, ncand, hits,
                        e);
        if (rc != ERR_OK)
            goto fail;
        r->searches++;
        for (size_t k = 0; k < ncand; k++) {
            if (!hits[k].reached)
                continue;
            if (npairs == cap_pairs) {
                if (cap_pairs >= SUGGEST_MAX_PAIRS) {
                    rc = err_set(e, ERR_LIMIT,
                                 "too many candidate sites lie within reach of "
                                 "uncovered points (over %u pairs); name a "
                                 "candidate layer with fewer sites",
                                 SUGGEST_MAX_PAIRS);
                    goto fail;
                }
                size_t ncap = cap_pairs ? 2 * cap_pairs : 4096;
                uint32_t *a = realloc(pair_c, ncap * sizeof *a);
                if (a == NULL)
                    goto nomem;
                pair_c = a;
                uint32_t *b = realloc(pair_p, ncap * sizeof *b);
                if (b == NULL)
                    goto nomem;
                pair_p = b;
                cap_pairs = ncap;
            }
            pair_c[npairs] = (uint32_t)k;
            pair_p[npairs++] = (uint32_t)i;
        }
    }

    /* Points by candidate (CSR). */
    start = calloc(ncand + 1, sizeof *start);
    list = malloc((npairs ? npairs : 1) * sizeof *list);
    done = calloc(npts ? npts : 1, 1);
    heap = malloc((ncand ? ncand : 1) * sizeof *heap);
    r->picks = calloc((size_t)p->sites, sizeof *r->picks);
    if (start == NULL || list == NULL || done == NULL || heap == NULL || r->picks == NULL)
        goto nomem;
    for (size_t q = 0; q < npairs; q++)
        start[pair_c[q] + 1]++;
    for (size_t k = 0; k < ncand; k++)
        start[k + 1] += start[k];
    for (size_t q = 0; q < npairs; q++)
        list[start[pair_c[q]]++] = pair_p[q];
    for (size_t k = ncand; k > 0; k--)
        start[k] = start[k - 1];
    start[0] = 0;

    /* Lazy greedy. */
    size_t nheap = 0;
    for (size_t k = 0; k < ncand; k++) {
        struct suggest_gain gk = {0, 0, k};
        for (size_t q = start[k]; q < start[k + 1]; q++) {
            gk.hh += pts[list[q]].households;
            gk.res += pts[list[q]].residents;
        }
        if (gk.hh > 0 || gk.res > 0)
            heap[nheap++] = gk;
    }
    for (size_t i = nheap / 2; i-- > 0;)
        suggest_heap_down(heap, nheap, i);
    long covered = r->households_covered_before, res_covered = r->residents_covered_before;
    while ((int)r->npicks < p->sites && nheap > 0) {
        struct suggest_gain top = heap[0], now;
        if (!suggest_heap_fresh(heap, &nheap, start, list, done, pts, &now))
            continue; /* stale: re-ranked with its true gain, or dropped */
        if (now.hh < p->min_households)
            break; /* the best site adds too few households to be named */
        heap[0] = heap[--nheap];
        suggest_heap_down(heap, nheap, 0);
        for (size_t q = start[top.cand]; q < start[top.cand + 1]; q++)
            done[list[q]] = 1;
        if ((rc = suggest_add_pick(r, net, ws, &cand[top.cand], now.hh, now.res, &covered,
                                   &res_covered, e)) != ERR_OK)
            goto fail;
    }
    goto out;
nomem:
    rc = err_nomem(e);
fail:
    suggest_result_free(r);
    r = NULL;
out:
    coverage_result_free(cov);
    free(pts);
    free(cand);
    free(cplaces);
    free(hits);
    free(pair_c);
    free(pair_p);
    free(start);
    free(list);
    free(done);
    free(heap);
    *out = r;
    return r ? ERR_OK : rc;
}
