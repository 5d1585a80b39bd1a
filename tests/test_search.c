/* SPDX-License-Identifier: MIT */
/* test_search.c - tests src/search.c against an independent reference: the
 * places (sources and targets) are inserted as extra nodes splitting their
 * edges, and a plain O(n^2) Dijkstra without a heap runs once per source on
 * that explicit graph. Hundreds of random queries on random grid-like
 * networks compare reached sets, costs, nearest sources, node costs and the
 * reached intervals of every edge. Hand-made cases cover: origin on a node
 * and at either end of an edge, two targets on the origin's edge, islands,
 * zero-length edges, self-loops, a limit of 0, the steps factor, nearest-
 * source attribution with initial costs and ties, the many-to-many matrix,
 * and argument errors. */
#include "graph.h"
#include "graph_fixture.h"
#include "search.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOL 1e-6 /* metres; costs must agree far better than the 0.1 m asked */

/* ------------------------------------------------------ hand-built graphs */

static struct graph_builder *hb_new(void)
{
    struct err e = {0};
    struct graph_builder *b = graph_builder_new(&e);
    assert_non_null(b);
    return b;
}

static uint32_t hb_node(struct graph_builder *b, double x, double y)
{
    struct err e = {0};
    uint32_t id;
    assert_int_equal(graph_builder_add_node(b, x, y, &id, &e), ERR_OK);
    return id;
}

/* A straight edge of walking length len. */
static uint32_t hb_edge(struct graph_builder *b, uint32_t u, uint32_t v, double len, unsigned flags)
{
    struct err e = {0};
    uint32_t id;
    assert_int_equal(graph_builder_add_edge(b, u, v, len, flags, NULL, 0, &id, &e), ERR_OK);
    return id;
}

static struct graph *hb_finish(struct graph_builder *b)
{
    struct err e = {0};
    struct graph *g = graph_builder_finish(b, &e);
    assert_non_null(g);
    return g;
}

static struct search_params params(double limit, double factor)
{
    struct search_params p = {.limit_m = limit, .steps_factor = factor};
    return p;
}

static struct graph_place at(const struct graph *g, uint32_t edge, double off, double access)
{
    struct err e = {0};
    struct graph_place pl;
    assert_int_equal(graph_place_at(g, edge, off, &pl, &e), ERR_OK);
    pl.access_m = access;
    return pl;
}

static struct search *ws(const struct graph *g)
{
    struct err e = {0};
    struct search *s = search_new(g, &e);
    assert_non_null(s);
    return s;
}

/* Run one search with one source and return its hits (static storage). */
static const struct search_hit *run1(struct search *s, double limit, double factor,
                                     struct graph_place src, const struct graph_place *tg,
                                     size_t nt)
{
    static struct search_hit hits[64];
    assert_true(nt <= 64);
    struct search_params p = params(limit, factor);
    struct err e = {0};
    assert_int_equal(search_run(s, &p, &src, NULL, 1, tg, nt, hits, &e), ERR_OK);
    return hits;
}

/* ---------------------------------------------------------- the reference */

/* The explicit split graph: graph nodes 0..nn-1, then one node per place. */
struct ref {
    uint32_t nn; /* nodes of the original graph */
    size_t n;    /* nodes of the split graph */
    double *w;   /* n*n symmetric weights, INFINITY where no edge */
};

static int cmp_by_offset(const void *a, const void *b, const struct graph_place *pl)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    if (pl[i].offset_m != pl[j].offset_m)
        return pl[i].offset_m < pl[j].offset_m ? -1 : 1;
    return i < j ? -1 : (i > j);
}

static void ref_link(struct ref *r, size_t a, size_t b, double w)
{
    if (a == b)
        return;
    if (w < r->w[a * r->n + b]) {
        r->w[a * r->n + b] = w;
        r->w[b * r->n + a] = w;
    }
}

static void ref_build(struct ref *r, const struct graph *g, double factor,
                      const struct graph_place *pl, size_t np)
{
    r->nn = graph_node_count(g);
    r->n = r->nn + np;
    r->w = malloc(r->n * r->n * sizeof *r->w);
    assert_non_null(r->w);
    for (size_t i = 0; i < r->n * r->n; i++)
        r->w[i] = INFINITY;
    size_t *on = malloc((np + 1) * sizeof *on);
    assert_non_null(on);
    for (uint32_t ed = 0; ed < graph_edge_count(g); ed++) {
        uint32_t u, v;
        graph_edge_nodes(g, ed, &u, &v);
        double len = graph_edge_length(g, ed);
        double f = (graph_edge_flags(g, ed) & GRAPH_EDGE_STEPS) ? factor : 1.0;
        size_t k = 0;
        for (size_t i = 0; i < np; i++)
            if (pl[i].edge == ed)
                on[k++] = i;
        /* insertion sort by offset, then index */
        for (size_t i = 1; i < k; i++)
            for (size_t j = i; j > 0 && cmp_by_offset(&on[j - 1], &on[j], pl) > 0; j--) {
                size_t t = on[j];
                on[j] = on[j - 1];
                on[j - 1] = t;
            }
        size_t prev = u;
        double prev_off = 0;
        for (size_t i = 0; i < k; i++) {
            size_t node = r->nn + on[i];
            ref_link(r, prev, node, (pl[on[i]].offset_m - prev_off) * f);
            prev = node;
            prev_off = pl[on[i]].offset_m;
        }
        ref_link(r, prev, v, (len - prev_off) * f);
    }
    free(on);
}

static void ref_free(struct ref *r)
{
    free(r->w);
}

/* Plain Dijkstra without a heap: dist[] from `start` at initial cost c0. */
static void ref_dijkstra(const struct ref *r, size_t start, double c0, double *dist)
{
    char *done = calloc(r->n, 1);
    assert_non_null(done);
    for (size_t i = 0; i < r->n; i++)
        dist[i] = INFINITY;
    dist[start] = c0;
    for (;;) {
        size_t best = SIZE_MAX;
        for (size_t i = 0; i < r->n; i++)
            if (!done[i] && dist[i] < INFINITY && (best == SIZE_MAX || dist[i] < dist[best]))
                best = i;
        if (best == SIZE_MAX)
            break;
        done[best] = 1;
        for (size_t j = 0; j < r->n; j++) {
            double w = r->w[best * r->n + j];
            if (w < INFINITY && dist[best] + w < dist[j])
                dist[j] = dist[best] + w;
        }
    }
    free(done);
}

/* One query checked in full against the reference. */
struct query {
    struct search_params p;     /* limit and steps factor */
    struct graph_place src[6];  /* sources */
    double cost0[6];            /* their initial costs */
    int use_cost0;              /* pass cost0 (else NULL) */
    size_t ns;                  /* sources */
    struct graph_place tgt[40]; /* targets */
    size_t nt;                  /* targets */
};

/* Counters over all checked queries, to show the checks had teeth. */
struct tally {
    size_t queries, targets_reached, targets_unreached, samples_in, samples_out, attributions;
};

static void check_query(struct search *s, const struct graph *g, const struct query *q,
                        struct tally *t)
{
    size_t np = q->ns + q->nt;
    struct graph_place all[46];
    memcpy(all, q->src, q->ns * sizeof *all);
    memcpy(all + q->ns, q->tgt, q->nt * sizeof *all);
    struct ref r;
    ref_build(&r, g, q->p.steps_factor, all, np);
    double *d = malloc(q->ns * r.n * sizeof *d);
    double *best = malloc(r.n * sizeof *best);
    assert_non_null(d);
    assert_non_null(best);
    for (size_t i = 0; i < q->ns; i++)
        ref_dijkstra(&r, r.nn + i, (q->use_cost0 ? q->cost0[i] : 0) + q->src[i].access_m,
                     d + i * r.n);
    for (size_t k = 0; k < r.n; k++) {
        best[k] = INFINITY;
        for (size_t i = 0; i < q->ns; i++)
            best[k] = fmin(best[k], d[i * r.n + k]);
    }
    const double lim = q->p.limit_m;

    struct search_hit hits[40];
    struct err e = {0};
    assert_int_equal(search_run(s, &q->p, q->src, q->use_cost0 ? q->cost0 : NULL, q->ns, q->tgt,
                                q->nt, hits, &e),
                     ERR_OK);

    /* targets: reached set, cost, nearest source */
    for (size_t j = 0; j < q->nt; j++) {
        size_t node = r.nn + q->ns + j;
        double want = best[node] + q->tgt[j].access_m;
        if (fabs(want - lim) < TOL)
            continue; /* on the boundary either answer is right */
        int reach = want <= lim;
        assert_int_equal(hits[j].reached, reach);
        if (reach) {
            assert_true(fabs(hits[j].cost_m - want) < TOL);
            assert_true(hits[j].source < q->ns);
            double via = d[hits[j].source * r.n + node] + q->tgt[j].access_m;
            assert_true(via - want < TOL);
            t->targets_reached++;
            t->attributions += q->ns > 1;
        } else {
            assert_true(isinf(hits[j].cost_m));
            assert_int_equal(hits[j].source, SEARCH_NONE);
            t->targets_unreached++;
        }
    }
    /* nodes */
    for (uint32_t n = 0; n < r.nn; n++) {
        double c = -1;
        uint32_t src = SEARCH_NONE;
        int got = search_node(s, n, &c, &src);
        if (fabs(best[n] - lim) < TOL)
            continue;
        assert_int_equal(got, best[n] <= lim);
        if (got) {
            assert_true(fabs(c - best[n]) < TOL);
            assert_true(d[src * r.n + n] - best[n] < TOL);
        }
    }
    /* reached intervals, sampled along every edge */
    const struct search_interval *iv;
    size_t niv;
    assert_int_equal(search_reached(s, &iv, &niv, &e), ERR_OK);
    uint32_t m = graph_edge_count(g);
    size_t *first = malloc((m + 1) * sizeof *first);
    size_t *count = calloc(m + 1, sizeof *count);
    assert_non_null(first);
    assert_non_null(count);
    for (size_t i = 0; i < niv; i++) {
        assert_true(iv[i].edge < m);
        if (count[iv[i].edge] == 0)
            first[iv[i].edge] = i;
        else /* an edge's intervals are consecutive, ascending, disjoint */
            assert_true(first[iv[i].edge] + count[iv[i].edge] == i &&
                        iv[i].from_m > iv[i - 1].to_m);
        count[iv[i].edge]++;
        assert_true(0 <= iv[i].from_m && iv[i].from_m <= iv[i].to_m &&
                    iv[i].to_m <= graph_edge_length(g, iv[i].edge));
    }
    for (uint32_t ed = 0; ed < m; ed++) {
        uint32_t u, v;
        graph_edge_nodes(g, ed, &u, &v);
        double len = graph_edge_length(g, ed);
        double f = (graph_edge_flags(g, ed) & GRAPH_EDGE_STEPS) ? q->p.steps_factor : 1.0;
        for (int k = 0; k <= 20; k++) {
            double x = k == 20 ? len : len * k / 20.0;
            double c = fmin(best[u] + x * f, best[v] + (len - x) * f);
            for (size_t i = 0; i < np; i++)
                if (all[i].edge == ed)
                    c = fmin(c, best[r.nn + i] + fabs(x - all[i].offset_m) * f);
            if (fabs(c - lim) < TOL)
                continue;
            int in = 0;
            for (size_t i = 0; i < count[ed]; i++) {
                const struct search_interval *it = &iv[first[ed] + i];
                in |= it->from_m <= x && x <= it->to_m;
            }
            assert_int_equal(in, c <= lim);
            if (in)
                t->samples_in++;
            else
                t->samples_out++;
        }
    }
    /* asking again gives the same borrowed answer */
    const struct search_interval *iv2;
    size_t niv2;
    assert_int_equal(search_reached(s, &iv2, &niv2, &e), ERR_OK);
    assert_true(iv2 == iv && niv2 == niv);
    free(first);
    free(count);
    free(d);
    free(best);
    ref_free(&r);
    t->queries++;
}

/* A random place: a snapped random point, or somewhere on a given edge. */
static struct graph_place random_place(struct fx_rng *rng, const struct graph *g,
                                       const struct query *q)
{
    double minx, miny, maxx, maxy;
    graph_bbox(g, &minx, &miny, &maxx, &maxy);
    uint32_t kind = fx_below(rng, 10);
    if (kind < 2 && q->ns > 0) { /* on a source's edge */
        uint32_t ed = q->src[fx_below(rng, (uint32_t)q->ns)].edge;
        return at(g, ed, fx_unif(rng, 0, 1) * graph_edge_length(g, ed), fx_unif(rng, 0, 20));
    }
    if (kind == 2) { /* exactly at an edge end */
        uint32_t ed = fx_below(rng, graph_edge_count(g));
        return at(g, ed, fx_below(rng, 2) ? graph_edge_length(g, ed) : 0, 0);
    }
    if (kind == 3 && q->ns > 0) /* the very place of a source */
        return q->src[fx_below(rng, (uint32_t)q->ns)];
    for (;;) {
        struct graph_place pl;
        struct err e = {0};
        double x = fx_unif(rng, minx - 50, maxx + 50), y = fx_unif(rng, miny - 50, maxy + 50);
        if (graph_snap(g, x, y, GRAPH_SNAP_DEFAULT_M, &pl, &e) == ERR_OK)
            return pl;
    }
}

static void test_random_queries_match_reference(void **state)
{
    (void)state;
    struct fx_rng rng;
    fx_seed(&rng, 31337);
    struct tally t = {0};
    for (int round = 0; round < 12; round++) {
        struct fx_opts o = {.nx = 3 + (int)fx_below(&rng, 6),
                            .ny = 3 + (int)fx_below(&rng, 5),
                            .spacing = fx_unif(&rng, 40, 150),
                            .x0 = -12000,
                            .y0 = 48000,
                            .jitter = 12,
                            .p_delete = fx_unif(&rng, 0, 0.35),
                            .min_interior = 0,
                            .max_interior = 4,
                            .bend = 15,
                            .stretch = round % 2 ? 0.4 : 0,
                            .p_steps = 0.2,
                            .p_zero = 0.1,
                            .p_loop = 0.08,
                            .p_parallel = 0.08};
        struct graph *g = fx_random_graph(&rng, &o);
        struct search *s = ws(g);
        double diameter = o.spacing * (o.nx + o.ny);
        for (int k = 0; k < 40; k++) {
            struct query q = {0};
            static const double factors[] = {1.0, 1.5, 3.0};
            q.p.steps_factor = factors[fx_below(&rng, 3)];
            uint32_t lk = fx_below(&rng, 10);
            q.p.limit_m = lk == 0 ? 0 : (lk == 1 ? 1e5 : fx_unif(&rng, 0, 1.2 * diameter));
            q.ns = 1 + fx_below(&rng, k % 4 == 0 ? 6 : 3);
            q.use_cost0 = fx_below(&rng, 2);
            for (size_t i = 0; i < q.ns; i++) {
                q.src[i] = random_place(&rng, g, &q);
                q.cost0[i] = fx_below(&rng, 3) ? 0 : fx_unif(&rng, 0, 100);
            }
            q.nt = 5 + fx_below(&rng, 35);
            for (size_t j = 0; j < q.nt; j++)
                q.tgt[j] = random_place(&rng, g, &q);
            check_query(s, g, &q, &t);
        }
        search_free(s);
        graph_free(g);
    }
    print_message("random queries: %zu, targets reached %zu / unreached %zu, "
                  "multi-source attributions %zu, edge samples in %zu / out %zu\n",
                  t.queries, t.targets_reached, t.targets_unreached, t.attributions, t.samples_in,
                  t.samples_out);
    assert_true(t.queries >= 400);
    assert_true(t.targets_reached > 1000 && t.targets_unreached > 1000);
    assert_true(t.attributions > 300);
    assert_true(t.samples_in > 10000 && t.samples_out > 10000);
}

/* ------------------------------------------------------------ edge cases */

/* A 3 x 3 grid of 100 m straight streets; node (i,j) has id 3j+i. */
static struct graph *grid3(void)
{
    struct graph_builder *b = hb_new();
    for (int j = 0; j < 3; j++)
        for (int i = 0; i < 3; i++)
            hb_node(b, 100.0 * i, 100.0 * j);
    for (uint32_t j = 0; j < 3; j++)
        for (uint32_t i = 0; i < 3; i++) {
            if (i < 2)
                hb_edge(b, 3 * j + i, 3 * j + i + 1, 100, 0);
            if (j < 2)
                hb_edge(b, 3 * j + i, 3 * (j + 1) + i, 100, 0);
        }
    return hb_finish(b);
}

static void test_origin_exactly_on_node(void **state)
{
    (void)state;
    struct graph *g = grid3();
    struct search *s = ws(g);
    struct err e = {0};
    struct graph_place o, tg[4];
    assert_int_equal(graph_snap(g, 100, 100, 500, &o, &e), ERR_OK); /* centre node 4 */
    assert_true(o.access_m == 0);
    assert_true(o.offset_m == 0 || o.offset_m == 100);
    assert_int_equal(graph_snap(g, 0, 0, 500, &tg[0], &e), ERR_OK);     /* corner: 200 */
    assert_int_equal(graph_snap(g, 200, 150, 500, &tg[1], &e), ERR_OK); /* mid-edge: 150 */
    assert_int_equal(graph_snap(g, 130, 100, 500, &tg[2], &e), ERR_OK); /* 30 along */
    assert_int_equal(graph_snap(g, 100, 105, 500, &tg[3], &e), ERR_OK); /* 5 along + 0 */
    const struct search_hit *h = run1(s, 2400, 1, o, tg, 4);
    assert_true(fabs(h[0].cost_m - 200) < TOL);
    assert_true(fabs(h[1].cost_m - 150) < TOL);
    assert_true(fabs(h[2].cost_m - 30) < TOL);
    assert_true(fabs(h[3].cost_m - 5) < TOL);
    double c;
    uint32_t src;
    assert_int_equal(search_node(s, 4, &c, &src), 1);
    assert_true(c == 0 && src == 0);
    assert_int_equal(search_node(s, 8, &c, &src), 1);
    assert_true(fabs(c - 200) < TOL);
    search_free(s);
    graph_free(g);
}

static void test_origin_at_edge_ends(void **state)
{
    (void)state;
    struct graph *g = grid3();
    struct search *s = ws(g);
    /* edge 0 joins nodes 0 and 1; node 1 is also the u end of edge 2 (1-2) */
    uint32_t u, v;
    graph_edge_nodes(g, 0, &u, &v);
    assert_true(u == 0 && v == 1);
    graph_edge_nodes(g, 2, &u, &v);
    assert_true(u == 1 && v == 2);
    struct graph_place tg[3] = {at(g, 0, 40, 0), at(g, 2, 70, 2), at(g, 11, 50, 0)};
    struct search_hit a[3], b[3], c[3];
    memcpy(a, run1(s, 1000, 1, at(g, 0, 100, 0), tg, 3), sizeof a); /* offset = length */
    memcpy(b, run1(s, 1000, 1, at(g, 2, 0, 0), tg, 3), sizeof b);   /* offset 0, same node */
    memcpy(c, run1(s, 1000, 1, at(g, 0, 0, 0), tg, 3), sizeof c);   /* the other end */
    for (int i = 0; i < 3; i++) {
        assert_true(a[i].reached && b[i].reached);
        assert_true(fabs(a[i].cost_m - b[i].cost_m) < TOL);
    }
    assert_true(fabs(a[0].cost_m - 60) < TOL);
    assert_true(fabs(a[1].cost_m - 72) < TOL);
    assert_true(fabs(c[0].cost_m - 40) < TOL);
    assert_true(fabs(c[1].cost_m - 172) < TOL);
    /* edge 11 is 7-8 (y = 200): from node 1 up to 7 then 50 along */
    graph_edge_nodes(g, 11, &u, &v);
    assert_true(u == 7 && v == 8);
    assert_true(fabs(a[2].cost_m - 250) < TOL);
    search_free(s);
    graph_free(g);
}

static void test_two_targets_on_origin_edge(void **state)
{
    (void)state;
    struct graph_builder *b = hb_new();
    uint32_t n0 = hb_node(b, 0, 0), n1 = hb_node(b, 1000, 0), n2 = hb_node(b, 500, 300);
    uint32_t e0 = hb_edge(b, n0, n1, 1000, 0);
    hb_edge(b, n0, n2, 583, 0);
    hb_edge(b, n1, n2, 583, 0);
    struct graph *g = hb_finish(b);
    struct search *s = ws(g);
    struct graph_place o = at(g, e0, 500, 7);
    struct graph_place tg[4] = {at(g, e0, 400, 3), at(g, e0, 650, 4), at(g, e0, 500, 0),
                                at(g, e0, 20, 0)};
    const struct search_hit *h = run1(s, 2400, 1, o, tg, 4);
    assert_true(fabs(h[0].cost_m - (7 + 100 + 3)) < TOL);
    assert_true(fabs(h[1].cost_m - (7 + 150 + 4)) < TOL);
    assert_true(fabs(h[2].cost_m - 7) < TOL);
    assert_true(fabs(h[3].cost_m - (7 + 480)) < TOL);
    /* a tight limit keeps the nearer side only; neither node is reached */
    h = run1(s, 120, 1, o, tg, 4);
    assert_true(h[0].reached && !h[1].reached && h[2].reached && !h[3].reached);
    double c;
    uint32_t src;
    assert_int_equal(search_node(s, n0, &c, &src), 0);
    assert_int_equal(search_node(s, n1, &c, &src), 0);
    /* the isochrone is the origin's own stretch of edge, [387, 613] */
    const struct search_interval *iv;
    size_t n;
    struct err e = {0};
    assert_int_equal(search_reached(s, &iv, &n, &e), ERR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(iv[0].edge, e0);
    assert_true(fabs(iv[0].from_m - 387) < TOL && fabs(iv[0].to_m - 613) < TOL);
    search_free(s);
    graph_free(g);
}

static void test_island_is_unreachable(void **state)
{
    (void)state;
    struct graph_builder *b = hb_new();
    uint32_t a = hb_node(b, 0, 0), c = hb_node(b, 100, 0);
    uint32_t i0 = hb_node(b, 2000, 0), i1 = hb_node(b, 2100, 0); /* a park path island */
    uint32_t ea = hb_edge(b, a, c, 100, 0), ei = hb_edge(b, i0, i1, 100, 0);
    struct graph *g = hb_finish(b);
    struct search *s = ws(g);
    struct graph_place tg[2] = {at(g, ei, 50, 0), at(g, ea, 90, 0)};
    const struct search_hit *h = run1(s, SEARCH_MAX_LIMIT_M, 1, at(g, ea, 10, 0), tg, 2);
    assert_false(h[0].reached);
    assert_true(isinf(h[0].cost_m) && h[0].source == SEARCH_NONE);
    assert_true(h[1].reached && fabs(h[1].cost_m - 80) < TOL);
    double cst;
    uint32_t src;
    assert_int_equal(search_node(s, i0, &cst, &src), 0);
    assert_int_equal(search_node(s, i1, &cst, &src), 0);
    const struct search_interval *iv;
    size_t n;
    struct err e = {0};
    assert_int_equal(search_reached(s, &iv, &n, &e), ERR_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(iv[i].edge, ea);
    /* in a matrix too */
    struct graph_place pl[3] = {at(g, ea, 10, 1), at(g, ei, 20, 2), at(g, ea, 60, 3)};
    struct search_params p = params(SEARCH_MAX_LIMIT_M, 1);
    double mx[9];
    assert_int_equal(search_matrix(s, &p, pl, 3, mx, &e), ERR_OK);
    assert_true(isinf(mx[0 * 3 + 1]) && isinf(mx[1 * 3 + 0]) && isinf(mx[2 * 3 + 1]));
    assert_true(fabs(mx[0 * 3 + 2] - 54) < TOL);
    search_free(s);
    graph_free(g);
}

static void test_zero_length_edges(void **state)
{
    (void)state;
    struct graph_builder *b = hb_new();
    uint32_t a = hb_node(b, 0, 0), a2 = hb_node(b, 0, 0), c = hb_node(b, 100, 0);
    uint32_t z = hb_edge(b, a, a2, 0, 0);
    uint32_t ec = hb_edge(b, a2, c, 100, 0);
    uint32_t z2 = hb_edge(b, c, c, 0, 0); /* a zero-length self-loop too */
    struct graph *g = hb_finish(b);
    struct search *s = ws(g);
    struct graph_place tg[3] = {at(g, ec, 30, 0), at(g, z, 0, 0), at(g, z2, 0, 1)};
    const struct search_hit *h = run1(s, 1000, 1, at(g, z, 0, 2), tg, 3);
    assert_true(fabs(h[0].cost_m - 32) < TOL);
    assert_true(fabs(h[1].cost_m - 2) < TOL);
    assert_true(fabs(h[2].cost_m - 103) < TOL);
    double cst;
    uint32_t src;
    assert_int_equal(search_node(s, a2, &cst, &src), 1);
    assert_true(cst == 2);
    /* and starting from the far end, through the zero edge */
    h = run1(s, 1000, 1, at(g, ec, 100, 0), tg, 3);
    assert_true(fabs(h[1].cost_m - 100) < TOL);
    const struct search_interval *iv;
    size_t n;
    struct err e = {0};
    assert_int_equal(search_reached(s, &iv, &n, &e), ERR_OK);
    int saw_zero = 0;
    for (size_t i = 0; i < n; i++)
        if (iv[i].edge == z)
            saw_zero = iv[i].from_m == 0 && iv[i].to_m == 0;
    assert_true(saw_zero);
    search_free(s);
    graph_free(g);
}

static void test_self_loop(void **state)
{
    (void)state;
    struct graph_builder *b = hb_new();
    uint32_t a = hb_node(b, 0, 0), c = hb_node(b, -50, 0);
    struct err e = {0};
    const double loop[] = {0, 0, 40, 0, 40, 30, 0, 0};
    uint32_t el;
    assert_int_equal(graph_builder_add_edge(b, a, a, 120, 0, loop, 4, &el, &e), ERR_OK);
    uint32_t ec = hb_edge(b, c, a, 50, 0);
    struct graph *g = hb_finish(b);
    struct search *s = ws(g);
    struct graph_place tg[3] = {at(g, el, 30, 0), at(g, el, 100, 0), at(g, el, 110, 0)};
    /* from the node: either way round the loop */
    const struct search_hit *h = run1(s, 1000, 1, at(g, ec, 50, 0), tg, 3);
    assert_true(fabs(h[0].cost_m - 30) < TOL);
    assert_true(fabs(h[1].cost_m - 20) < TOL);
    assert_true(fabs(h[2].cost_m - 10) < TOL);
    /* from on the loop: straight along (100) loses to back through the node (20) */
    h = run1(s, 1000, 1, at(g, el, 10, 0), tg, 3);
    assert_true(fabs(h[0].cost_m - 20) < TOL);
    assert_true(fabs(h[2].cost_m - 20) < TOL);
    /* reached stretch with limit 15 from offset 10: [0, 25] and [115, 120] */
    h = run1(s, 15, 1, at(g, el, 10, 0), tg, 3);
    assert_false(h[0].reached);
    const struct search_interval *iv;
    size_t n;
    assert_int_equal(search_reached(s, &iv, &n, &e), ERR_OK);
    size_t on_loop = 0;
    for (size_t i = 0; i < n; i++)
        if (iv[i].edge == el) {
            on_loop++;
            if (on_loop == 1)
                assert_true(fabs(iv[i].from_m) < TOL && fabs(iv[i].to_m - 25) < TOL);
            else
                assert_true(fabs(iv[i].from_m - 115) < TOL && fabs(iv[i].to_m - 120) < TOL);
        }
    assert_int_equal(on_loop, 2);
    search_free(s);
    graph_free(g);
}

/* Rule: reached means cost <= limit, so a limit of 0 reaches only cost 0. */
static void test_limit_zero(void **state)
{
    (void)state;
    struct graph *g = grid3();
    struct search *s = ws(g);
    struct graph_place o = at(g, 3, 40, 0);
    struct graph_place tg[4] = {o, at(g, 3, 40.001, 0), o, at(g, 3, 40, 0.5)};
    tg[2].access_m = 0; /* same snap point, zero access legs */
    const struct search_hit *h = run1(s, 0, 1, o, tg, 4);
    assert_true(h[0].reached && h[0].cost_m == 0 && h[0].source == 0);
    assert_false(h[1].reached);
    assert_true(h[2].reached);
    assert_false(h[3].reached);
    /* an origin with an access leg reaches nothing, even its own spot */
    o.access_m = 1;
    h = run1(s, 0, 1, o, tg, 1);
    assert_false(h[0].reached);
    /* a limit of 0 from a node: only that node, as points */
    struct graph_place onnode = at(g, 0, 100, 0);
    h = run1(s, 0, 1, onnode, tg, 1);
    const struct search_interval *iv;
    size_t n;
    struct err e = {0};
    assert_int_equal(search_reached(s, &iv, &n, &e), ERR_OK);
    assert_int_equal(n, 3); /* node 1 on edges 0 (1 is v), 2 and 3 (1 is u) */
    for (size_t i = 0; i < n; i++) {
        assert_true(iv[i].from_m == iv[i].to_m);
        assert_true(iv[i].from_m == (iv[i].edge == 0 ? 100 : 0));
    }
    double c;
    uint32_t src;
    assert_int_equal(search_node(s, 1, &c, &src), 1);
    assert_true(c == 0);
    assert_int_equal(search_node(s, 0, &c, &src), 0);
    search_free(s);
    graph_free(g);
}

/* The same rule away from zero: a cost exactly at the limit is reached. */
static void test_cost_exactly_at_limit(void **state)
{
    (void)state;
    struct graph *g = grid3();
    struct search *s = ws(g);
    /* from node 0; edge 8 is 4-7, edge 11 is 7-8 */
    struct graph_place tg[3] = {at(g, 8, 25, 0), at(g, 8, 25, 0.25), at(g, 11, 0, 0)};
    const struct search_hit *h = run1(s, 225, 1, at(g, 0, 0, 0), tg, 3);
    assert_true(h[0].reached && h[0].cost_m == 225);
    assert_false(h[1].reached);
    assert_false(h[2].reached); /* node 7 is 300 away */
    double c;
    uint32_t src;
    assert_int_equal(search_node(s, 4, &c, &src), 1);
    assert_true(c == 200);
    h = run1(s, 200, 1, at(g, 0, 0, 0), tg, 3);
    assert_false(h[0].reached);
    assert_int_equal(search_node(s, 4, &c, &src), 1); /* exactly 200 */
    assert_int_equal(search_node(s, 7, &c, &src), 0);
    search_free(s);
    graph_free(g);
}

/* Equal costs reached in a different order still go to the lowest index.
 * Source 1 starts at P' (cost 40) and reaches T by P at 200 early in the
 * search; source 0 starts at Q' (cost 90) and reaches Z at 200 later, and Z
 * touches T by a zero-length edge: T is source 0's. */
static void test_tie_attribution_independent_of_order(void **state)
{
    (void)state;
    struct graph_builder *b = hb_new();
    uint32_t t = hb_node(b, 0, 0), pn = hb_node(b, -150, 0), p2 = hb_node(b, -160, 0);
    uint32_t far = hb_node(b, 80, 0), z = hb_node(b, 0, 0), zq = hb_node(b, 0, 100);
    uint32_t q2 = hb_node(b, 0, 110);
    uint32_t ep2 = hb_edge(b, p2, pn, 10, 0);
    hb_edge(b, pn, t, 150, 0);
    uint32_t ef = hb_edge(b, t, far, 80, 0);
    hb_edge(b, z, t, 0, 0);
    uint32_t ez = hb_edge(b, zq, z, 100, 0);
    uint32_t eq2 = hb_edge(b, q2, zq, 10, 0);
    struct graph *g = hb_finish(b);
    struct search *s = ws(g);
    struct graph_place src[2] = {at(g, eq2, 0, 0), at(g, ep2, 0, 0)};
    double cost0[2] = {90, 40};
    struct graph_place tg[2] = {at(g, ef, 30, 0), at(g, ez, 100, 0)};
    struct search_params p = params(1000, 1);
    struct search_hit h[2];
    struct err e = {0};
    assert_int_equal(search_run(s, &p, src, cost0, 2, tg, 2, h, &e), ERR_OK);
    assert_true(h[0].cost_m == 230 && h[1].cost_m == 200);
    assert_int_equal(h[0].source, 0);
    assert_int_equal(h[1].source, 0);
    double c;
    uint32_t from;
    assert_int_equal(search_node(s, t, &c, &from), 1);
    assert_true(c == 200);
    assert_int_equal(from, 0);
    assert_int_equal(search_node(s, pn, &c, &from), 1);
    assert_int_equal(from, 1);
    search_free(s);
    graph_free(g);
}

static void test_steps_factor_changes_answer(void **state)
{
    (void)state;
    /* a -> b by 100 m of steps, or by 150 m of flat path through c */
    struct graph_builder *b = hb_new();
    uint32_t na = hb_node(b, 0, 0), nb = hb_node(b, 100, 0), nc = hb_node(b, 50, 50);
    uint32_t st = hb_edge(b, na, nb, 100, GRAPH_EDGE_STEPS);
    uint32_t f1 = hb_edge(b, na, nc, 75, 0);
    hb_edge(b, nc, nb, 75, 0);
    uint32_t tail = hb_edge(b, nb, hb_node(b, 200, 0), 100, 0);
    struct graph *g = hb_finish(b);
    struct search *s = ws(g);
    struct graph_place o = at(g, f1, 0, 0);
    struct graph_place tg[2] = {at(g, tail, 10, 0), at(g, st, 20, 0)};
    const struct search_hit *h = run1(s, 1000, 1.0, o, tg, 2);
    assert_true(fabs(h[0].cost_m - 110) < TOL);
    assert_true(fabs(h[1].cost_m - 20) < TOL);
    h = run1(s, 1000, 1.4, o, tg, 2);
    assert_true(fabs(h[0].cost_m - 150) < TOL);
    assert_true(fabs(h[1].cost_m - 28) < TOL);
    h = run1(s, 1000, 2.0, o, tg, 2);
    assert_true(fabs(h[0].cost_m - 160) < TOL);
    assert_true(fabs(h[1].cost_m - 40) < TOL);
    /* a source on the steps pays the factor along them too */
    h = run1(s, 1000, 3.0, at(g, st, 25, 0), tg, 2);
    assert_true(fabs(h[1].cost_m - 15) < TOL);
    assert_true(fabs(h[0].cost_m - (75 * 3 + 10)) < TOL);
    search_free(s);
    graph_free(g);
}

static void test_multi_source_attribution(void **state)
{
    (void)state;
    /* a straight street 0..1000 m in 10 blocks */
    struct graph_builder *b = hb_new();
    for (int i = 0; i <= 10; i++)
        hb_node(b, 100.0 * i, 0);
    for (uint32_t i = 0; i < 10; i++)
        hb_edge(b, i, i + 1, 100, 0);
    struct graph *g = hb_finish(b);
    struct search *s = ws(g);
    /* desks at 150, 500 and 820 m */
    struct graph_place desks[3] = {at(g, 1, 50, 5), at(g, 5, 0, 0), at(g, 8, 20, 10)};
    struct graph_place homes[5] = {at(g, 0, 10, 2), at(g, 3, 20, 0), at(g, 3, 30, 0),
                                   at(g, 6, 60, 1), at(g, 9, 90, 3)};
    struct search_params p = params(2400, 1);
    struct search_hit h[5];
    struct err e = {0};
    assert_int_equal(search_run(s, &p, desks, NULL, 3, homes, 5, h, &e), ERR_OK);
    /* home at 10: desk 0 (5 + 140 + 2) */
    assert_int_equal(h[0].source, 0);
    assert_true(fabs(h[0].cost_m - 147) < TOL);
    /* home at 320: desk 0 costs 5+170 = 175, desk 1 costs 180 */
    assert_int_equal(h[1].source, 0);
    assert_true(fabs(h[1].cost_m - 175) < TOL);
    /* home at 330: desk 0 costs 185, desk 1 costs 170 */
    assert_int_equal(h[2].source, 1);
    assert_true(fabs(h[2].cost_m - 170) < TOL);
    /* home at 660: desk 1 161, desk 2 10+160+1 = 171 */
    assert_int_equal(h[3].source, 1);
    /* home at 990: desk 2 */
    assert_int_equal(h[4].source, 2);
    assert_true(fabs(h[4].cost_m - (10 + 170 + 3)) < TOL);
    /* initial costs (say, a queue) move the boundary */
    double cost0[3] = {0, 30, 0};
    assert_int_equal(search_run(s, &p, desks, cost0, 3, homes, 5, h, &e), ERR_OK);
    assert_int_equal(h[2].source, 0);
    assert_true(fabs(h[2].cost_m - 185) < TOL);
    assert_int_equal(h[3].source, 2);
    /* exact ties go to the lowest source index, at nodes and on edges */
    struct graph_place twins[2] = {at(g, 4, 50, 0), at(g, 6, 50, 0)}; /* 450 and 650 m */
    struct graph_place mid[2] = {at(g, 5, 50, 0), at(g, 5, 50, 0)};   /* 550 m */
    assert_int_equal(search_run(s, &p, twins, NULL, 2, mid, 2, h, &e), ERR_OK);
    assert_int_equal(h[0].source, 0);
    struct graph_place swapped[2] = {twins[1], twins[0]};
    assert_int_equal(search_run(s, &p, swapped, NULL, 2, mid, 2, h, &e), ERR_OK);
    assert_int_equal(h[0].source, 0);
    double c;
    uint32_t src;
    assert_int_equal(search_node(s, 5, &c, &src), 1); /* node 5 (500 m): 50 m from 450 */
    assert_int_equal(src, 1);
    assert_true(fabs(c - 50) < TOL);
    for (int order = 0; order < 2; order++) { /* nodes 3 and 7 tie at node 5 */
        struct graph_place pair[2] = {at(g, order ? 7 : 2, order ? 0 : 100, 0),
                                      at(g, order ? 2 : 7, order ? 100 : 0, 0)};
        assert_int_equal(search_run(s, &p, pair, NULL, 2, mid, 1, h, &e), ERR_OK);
        assert_int_equal(search_node(s, 5, &c, &src), 1);
        assert_int_equal(src, 0);
        assert_true(fabs(c - 200) < TOL);
    }
    /* same desk place twice: the lower index */
    struct graph_place dup[2] = {desks[1], desks[1]};
    assert_int_equal(search_run(s, &p, dup, NULL, 2, homes, 5, h, &e), ERR_OK);
    for (int i = 0; i < 5; i++)
        assert_int_equal(h[i].source, 0);
    search_free(s);
    graph_free(g);
}

static void test_matrix_symmetric_and_consistent(void **state)
{
    (void)state;
    struct fx_rng rng;
    fx_seed(&rng, 99);
    struct fx_opts o = {.nx = 12,
                        .ny = 10,
                        .spacing = 80,
                        .x0 = 5000,
                        .y0 = -7000,
                        .jitter = 10,
                        .p_delete = 0.15,
                        .max_interior = 3,
                        .bend = 10,
                        .stretch = 0.2,
                        .p_steps = 0.1,
                        .p_zero = 0.05,
                        .p_loop = 0.05,
                        .p_parallel = 0.05};
    struct graph *g = fx_random_graph(&rng, &o);
    struct search *s = ws(g);
    enum { N = 200 };
    struct query q = {0};
    struct graph_place *pl = malloc(N * sizeof *pl);
    double *mx = malloc((size_t)N * N * sizeof *mx);
    assert_non_null(pl);
    assert_non_null(mx);
    for (int i = 0; i < N; i++)
        pl[i] = random_place(&rng, g, &q);
    struct search_params p = params(900, 2.0); /* some pairs out of reach */
    struct err e = {0};
    assert_int_equal(search_matrix(s, &p, pl, N, mx, &e), ERR_OK);
    size_t finite = 0, inf = 0;
    for (int i = 0; i < N; i++) {
        assert_true(mx[i * N + i] == 0);
        for (int j = 0; j < N; j++) {
            double a = mx[i * N + j], b = mx[j * N + i];
            if (isinf(a) || isinf(b)) {
                /* only a boundary case may differ */
                assert_true((isinf(a) && isinf(b)) || fabs(fmin(a, b) - 900) < TOL);
                inf++;
            } else {
                assert_true(fabs(a - b) < TOL);
                finite++;
            }
        }
    }
    assert_true(finite > 1000 && inf > 1000);
    /* rows equal single searches */
    struct search_hit h[N];
    for (int i = 0; i < N; i += 37) {
        assert_int_equal(search_run(s, &p, &pl[i], NULL, 1, pl, N, h, &e), ERR_OK);
        for (int j = 0; j < N; j++)
            if (j != i)
                assert_true(h[j].cost_m == mx[i * N + j]);
    }
    /* the workspace holds no result after a matrix */
    assert_int_equal(search_matrix(s, &p, pl, 3, mx, &e), ERR_OK);
    const struct search_interval *iv;
    size_t n;
    assert_int_equal(search_reached(s, &iv, &n, &e), ERR_INTERNAL);
    err_clear(&e);
    assert_int_equal(search_matrix(s, &p, pl, SEARCH_MAX_MATRIX + 1, mx, &e), ERR_LIMIT);
    free(pl);
    free(mx);
    search_free(s);
    graph_free(g);
}

/* A place near (x, y): the snap of a point up to r metres away. */
static struct graph_place place_near(struct fx_rng *rng, const struct graph *g, double x, double y,
                                     double r)
{
    for (;;) {
        struct graph_place pl;
        struct err e = {0};
        double px = x + fx_unif(rng, -r, r), py = y + fx_unif(rng, -r, r);
        if (graph_snap(g, px, py, GRAPH_SNAP_DEFAULT_M, &pl, &e) == ERR_OK)
            return pl;
    }
}

/* search_run_targets and search_matrix stop once their targets are
 * answered: on networks large enough for that to happen long before the
 * limit, their hits must equal the full search_run's exactly (cost, reached
 * and nearest source), ties, steps, zero-length edges and islands
 * included. */
static void test_early_stop_matches_full_search(void **state)
{
    (void)state;
    struct fx_rng rng;
    fx_seed(&rng, 4242);
    size_t compared = 0, reached = 0, unreached = 0;
    for (int round = 0; round < 3; round++) {
        struct fx_opts o = {.nx = 70,
                            .ny = 60,
                            .spacing = 60,
                            .x0 = 1000,
                            .y0 = 2000,
                            .jitter = 10,
                            .p_delete = 0.1 + 0.1 * round,
                            .max_interior = 2,
                            .bend = 8,
                            .stretch = round == 1 ? 0.3 : 0,
                            .p_steps = 0.15,
                            .p_zero = 0.05,
                            .p_loop = 0.05,
                            .p_parallel = 0.05};
        struct graph *g = fx_random_graph(&rng, &o);
        struct search *s = ws(g);
        double minx, miny, maxx, maxy;
        graph_bbox(g, &minx, &miny, &maxx, &maxy);
        enum { NT = 60 };
        struct graph_place src[4], tg[NT];
        double cost0[4];
        struct search_hit full[NT], early[NT];
        for (int k = 0; k < 40; k++) {
            double cx = fx_unif(&rng, minx, maxx), cy = fx_unif(&rng, miny, maxy);
            double r = fx_unif(&rng, 50, 900);
            size_t ns = 1 + fx_below(&rng, 4), nt = 1 + fx_below(&rng, NT);
            for (size_t i = 0; i < ns; i++) {
                src[i] = k % 5 == 0 && i > 0 ? src[0] : place_near(&rng, g, cx, cy, r);
                cost0[i] = fx_below(&rng, 2) ? 0 : fx_unif(&rng, 0, 60);
            }
            for (size_t j = 0; j < nt; j++)
                tg[j] = fx_below(&rng, 8) ? place_near(&rng, g, cx, cy, r)
                                          : place_near(&rng, g, cx, cy, 4000);
            struct search_params p =
                params(fx_below(&rng, 3) ? 1e5 : fx_unif(&rng, 100, 2000), k % 3 ? 1.0 : 2.5);
            const double *c0 = k % 2 ? cost0 : NULL;
            struct err e = {0};
            assert_int_equal(search_run(s, &p, src, c0, ns, tg, nt, full, &e), ERR_OK);
            assert_int_equal(search_run_targets(s, &p, src, c0, ns, tg, nt, early, &e), ERR_OK);
            for (size_t j = 0; j < nt; j++) {
                assert_int_equal(early[j].reached, full[j].reached);
                assert_true(early[j].cost_m == full[j].cost_m);
                assert_int_equal(early[j].source, full[j].source);
                compared++;
                reached += full[j].reached;
                unreached += !full[j].reached;
            }
            /* the workspace holds no result after an early stop */
            const struct search_interval *iv;
            size_t niv;
            assert_int_equal(search_reached(s, &iv, &niv, &e), ERR_INTERNAL);
            err_clear(&e);
        }
        /* matrix rows equal full single searches, bit for bit */
        double *mx = malloc((size_t)NT * NT * sizeof *mx);
        assert_non_null(mx);
        double cx = fx_unif(&rng, minx, maxx), cy = fx_unif(&rng, miny, maxy);
        for (int j = 0; j < NT; j++)
            tg[j] = place_near(&rng, g, cx, cy, j < NT - 3 ? 600 : 5000);
        struct search_params p = params(1e5, 1.5);
        struct err e = {0};
        assert_int_equal(search_matrix(s, &p, tg, NT, mx, &e), ERR_OK);
        for (int i = 0; i < NT; i++) {
            assert_int_equal(search_run(s, &p, &tg[i], NULL, 1, tg, NT, full, &e), ERR_OK);
            for (int j = 0; j < NT; j++)
                assert_true(mx[i * NT + j] == (i == j ? 0.0 : full[j].cost_m));
        }
        free(mx);
        search_free(s);
        graph_free(g);
    }
    print_message("early stop: %zu targets compared, %zu reached, %zu not\n", compared, reached,
                  unreached);
    assert_true(reached > 1000 && unreached > 20);
}

static void test_argument_errors(void **state)
{
    (void)state;
    struct graph *g = grid3();
    struct search *s = ws(g);
    struct err e = {0};
    static const struct search_interval sentinel;
    const struct search_interval *iv = &sentinel;
    size_t n = 5;
    assert_int_equal(search_reached(s, &iv, &n, &e), ERR_INTERNAL); /* nothing run yet */
    assert_null(iv);
    assert_int_equal(n, 0);
    err_clear(&e);

    struct graph_place o = at(g, 0, 50, 0), tg[1] = {at(g, 5, 10, 0)};
    struct search_hit h[1] = {{.reached = 7}};
    struct search_params p = params(NAN, 1);
    assert_int_equal(search_run(s, &p, &o, NULL, 1, tg, 1, h, &e), ERR_INPUT);
    err_clear(&e);
    p = params(-1, 1);
    assert_int_equal(search_run(s, &p, &o, NULL, 1, tg, 1, h, &e), ERR_INPUT);
    err_clear(&e);
    p = params(SEARCH_MAX_LIMIT_M * 2, 1);
    assert_int_equal(search_run(s, &p, &o, NULL, 1, tg, 1, h, &e), ERR_LIMIT);
    err_clear(&e);
    p = params(100, 0.5);
    assert_int_equal(search_run(s, &p, &o, NULL, 1, tg, 1, h, &e), ERR_INPUT);
    err_clear(&e);
    p = params(100, SEARCH_MAX_STEPS_FACTOR + 1);
    assert_int_equal(search_run(s, &p, &o, NULL, 1, tg, 1, h, &e), ERR_LIMIT);
    err_clear(&e);
    p = params(100, 1);
    assert_int_equal(search_run(s, &p, &o, NULL, 0, tg, 1, h, &e), ERR_INPUT);
    err_clear(&e);
    struct graph_place bad = o;
    bad.edge = 99;
    assert_int_equal(search_run(s, &p, &bad, NULL, 1, tg, 1, h, &e), ERR_INPUT);
    err_clear(&e);
    bad = o;
    bad.offset_m = 100.5;
    assert_int_equal(search_run(s, &p, &o, NULL, 1, &bad, 1, h, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "destination 0"));
    err_clear(&e);
    bad = o;
    bad.access_m = -1;
    assert_int_equal(search_run(s, &p, &bad, NULL, 1, tg, 1, h, &e), ERR_INPUT);
    err_clear(&e);
    bad.access_m = NAN;
    assert_int_equal(search_run(s, &p, &bad, NULL, 1, tg, 1, h, &e), ERR_INPUT);
    err_clear(&e);
    double neg = -3;
    assert_int_equal(search_run(s, &p, &o, &neg, 1, tg, 1, h, &e), ERR_INPUT);
    err_clear(&e);
    assert_int_equal(h[0].reached, 7); /* untouched on failure */
    /* a good run, then a failed one: the result is gone */
    assert_int_equal(search_run(s, &p, &o, NULL, 1, tg, 1, h, &e), ERR_OK);
    double c;
    uint32_t src;
    assert_int_equal(search_node(s, 0, &c, &src), 1);
    assert_int_equal(search_run(s, &p, &bad, NULL, 1, tg, 1, h, &e), ERR_INPUT);
    err_clear(&e);
    assert_int_equal(search_node(s, 0, &c, &src), 0);
    assert_int_equal(search_reached(s, &iv, &n, &e), ERR_INTERNAL);
    search_free(s);
    search_free(NULL);
    graph_free(g);
}

/* The heap's slots are filled a few thousand at a time (search.c,
 * heap_make_room): 3,000 sources at one place, each cheaper than the one
 * before, push 6,000 entries before the first pop, past the first fill.
 * Every node's cost and source must be those of the cheapest source alone,
 * checked against the reference; then a small search in the same
 * workspace (its heap now filled further) is checked the same way. */
static void test_heap_grows_past_first_fill(void **state)
{
    (void)state;
    struct fx_rng rng;
    fx_seed(&rng, 4096);
    struct fx_opts o = {.nx = 14,
                        .ny = 12,
                        .spacing = 80,
                        .x0 = -12000,
                        .y0 = 48000,
                        .jitter = 10,
                        .p_delete = 0.1,
                        .max_interior = 3,
                        .bend = 10,
                        .p_steps = 0.1,
                        .p_loop = 0.05,
                        .p_parallel = 0.05};
    struct graph *g = fx_random_graph(&rng, &o);
    struct search *s = ws(g);
    const size_t n = 3000;
    struct graph_place *src = malloc(n * sizeof *src);
    assert_non_null(src);
    uint32_t ed = graph_edge_count(g) / 2;
    for (size_t i = 0; i < n; i++)
        src[i] = at(g, ed, graph_edge_length(g, ed) / 3, 10.0 + 0.5 * (double)(n - i));
    struct search_params p = {.limit_m = 1e5, .steps_factor = 1.5};
    struct err e = {0};
    for (int round = 0; round < 2; round++) {
        size_t ns = round == 0 ? n : 1;
        const struct graph_place *best = round == 0 ? &src[n - 1] : &src[0];
        assert_int_equal(search_run(s, &p, round == 0 ? src : &src[0], NULL, ns, NULL, 0, NULL, &e),
                         ERR_OK);
        struct ref r;
        ref_build(&r, g, p.steps_factor, best, 1);
        double *d = malloc(r.n * sizeof *d);
        assert_non_null(d);
        ref_dijkstra(&r, r.nn, best->access_m, d);
        size_t reached = 0;
        for (uint32_t v = 0; v < graph_node_count(g); v++) {
            double c;
            uint32_t from;
            if (!search_node(s, v, &c, &from)) {
                assert_true(d[v] == INFINITY);
                continue;
            }
            reached++;
            assert_true(fabs(c - d[v]) < TOL);
            assert_int_equal(from, ns - 1);
        }
        assert_true(reached > graph_node_count(g) / 2);
        free(d);
        ref_free(&r);
    }
    free(src);
    search_free(s);
    graph_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_queries_match_reference),
        cmocka_unit_test(test_origin_exactly_on_node),
        cmocka_unit_test(test_origin_at_edge_ends),
        cmocka_unit_test(test_two_targets_on_origin_edge),
        cmocka_unit_test(test_island_is_unreachable),
        cmocka_unit_test(test_zero_length_edges),
        cmocka_unit_test(test_self_loop),
        cmocka_unit_test(test_limit_zero),
        cmocka_unit_test(test_cost_exactly_at_limit),
        cmocka_unit_test(test_tie_attribution_independent_of_order),
        cmocka_unit_test(test_steps_factor_changes_answer),
        cmocka_unit_test(test_multi_source_attribution),
        cmocka_unit_test(test_matrix_symmetric_and_consistent),
        cmocka_unit_test(test_early_stop_matches_full_search),
        cmocka_unit_test(test_argument_errors),
        cmocka_unit_test(test_heap_grows_past_first_fill),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
