/* SPDX-License-Identifier: MIT */
/* search.c - implements search.h: a bounded, multi-source Dijkstra over the
 * graph's CSR arrays with a 4-ary heap of one-word entries (lazy deletion)
 * and a reusable workspace whose per-node state is reset by generation
 * stamps, so a query costs O(reached). Entry points: search_new, search_run
 * (sources and targets are places part-way along edges), search_run_targets
 * (the same, stopping once its targets are answered), search_node,
 * search_reached_nodes, search_reached (reached intervals of edges, for isochrones), search_matrix
 * (many-to-many on the same core, stopping like search_run_targets),
 * search_free.
 *
 * Nearest-source attribution: every node is labelled with the lowest-indexed
 * source among those at the least cost, whatever the order edges are relaxed
 * in (relax compares (cost, source) lexicographically; see there for ties
 * the heap does not order).
 *
 * Speed (README "Performance"): bench_walk's 30-minute 宇部市 query settles
 * ~2,500 nodes. Per walk_reachable call (callgrind instruction counts and
 * median thread CPU time over bench_walk's 200 origins) the first version
 * (binary heap of 16-byte (cost, source, node) entries, textbook sift-down,
 * dist, label and stamp in three arrays) took 974,000 instructions and
 * 0.23 ms; this one takes 634,000 and 0.12 ms. Each change below says what
 * taking it out again costs, measured the same way. */
#include "search.h"

#include "hugemem.h"
#include "vec.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Heap entries are one 64-bit word: the cost in fixed point, rounded down
 * to 2^-HEAP_FRAC_BITS m, above the node id. Comparing entries is one
 * integer compare and moving one is one word; 16-byte (cost, source, node)
 * entries took 7 % more instructions and 9 % more time. Rounding down keeps
 * the order of costs more than 4 micrometres apart; nearer ones may pop out
 * of order, which relax repairs (see there). The exact cost lives in struct
 * node_state. */
#define HEAP_NODE_BITS 26 /* node ids < GRAPH_MAX_NODES */
#define HEAP_FRAC_BITS 18 /* cost units of 2^-18 m = 3.8 micrometres */
#define HEAP_NODE_MASK ((UINT64_C(1) << HEAP_NODE_BITS) - 1)
_Static_assert(GRAPH_MAX_NODES <= (UINT64_C(1) << HEAP_NODE_BITS), "node ids fit an entry");
/* Costs in the heap never exceed limit_m <= SEARCH_MAX_LIMIT_M < 2^20 m: 38
 * bits of fixed point, and no entry equals the sentinel UINT64_MAX. */
_Static_assert((uint64_t)SEARCH_MAX_LIMIT_M <
                   (UINT64_C(1) << (64 - HEAP_NODE_BITS - HEAP_FRAC_BITS)),
               "costs fit an entry");
#define HEAP_SENTINEL UINT64_MAX

/* Per-node state of the current run in one 16-byte record: relaxing an arc
 * reads and writes one cache line for its head node instead of three arrays
 * (dist, stamp, label). With the bottom-up heap below, the first step: 22 %
 * fewer instructions and a third less time than the first version. */
struct node_state {
    double dist;    /* cost, valid once touched in this run */
    uint32_t stamp; /* 2*gen once touched in run gen, 2*gen+1 once settled */
    uint32_t label; /* nearest source, valid once touched in this run */
};

/* A source's edge, for finding the sources on a given edge. */
struct src_ref {
    uint32_t edge; /* the source's edge */
    uint32_t idx;  /* the source's index */
};

/* The heap is 4-ary: half the depth of a binary heap, which took 3 % more
 * instructions and 13 % more time (fewer levels, fewer loop branches). It
 * is followed by HEAP_PAD sentinel entries, above every real entry, so a
 * sift-down compares four children without checking how many exist. Every
 * slot at or past nheap, up to heap_ready + HEAP_PAD, holds the sentinel:
 * pops restore it in the slot they free.
 *
 * The array has room for every push a run can make (2E + 2 per source: 32
 * MB at 2M edges), but a walk's heap holds a few hundred entries, so only
 * its first slots are filled at first (heap_ready) and more are filled
 * when a push would pass them (heap_make_room). Filling the whole array up
 * front was a tenth of loading the network at 2M edges (memset and a page
 * fault for every page of it). */
#define HEAP_ARITY 4
#define HEAP_PAD (HEAP_ARITY - 1)
#define HEAP_FIRST_READY 4096u /* slots filled when the workspace is made */

struct search {
    const struct graph *g;           /* borrowed graph */
    struct graph_view v;             /* borrowed arrays of g */
    struct node_state *ns;           /* N: per-node state, reset by generation stamps (hugemem) */
    uint32_t *edge_stamp;            /* E: edge_gen once search_reached listed the edge (hugemem) */
    uint32_t gen;                    /* generation of the current run, >= 1 after a run */
    uint32_t edge_gen;               /* generation of the current search_reached attempt */
    uint32_t *touched;               /* N: nodes touched in this run, in order */
    size_t ntouched;                 /* entries in touched */
    uint64_t *heap;                  /* min-heap of entries, heap_cap + HEAP_PAD */
    size_t nheap;                    /* entries in heap */
    size_t heap_cap;                 /* capacity of heap, sentinels not counted */
    size_t heap_ready;               /* slots [nheap, heap_ready + HEAP_PAD) hold the sentinel */
    struct search_params params;     /* parameters of the current run */
    int have_result;                 /* whether the current run finished */
    struct graph_place *src;         /* the current run's sources (copied) */
    double *src_cost;                /* their initial costs */
    struct src_ref *src_by_edge;     /* sources sorted by (edge, index) */
    size_t nsrc;                     /* sources in the current run */
    size_t src_cap;                  /* capacity of the three source arrays */
    struct search_interval *iv;      /* search_reached's result */
    size_t niv;                      /* entries in iv */
    size_t iv_cap;                   /* capacity of iv */
    int iv_ready;                    /* whether iv holds the current run's result */
    struct search_interval *scratch; /* per-edge candidate intervals: src_cap + 2 */
    uint32_t *pending;               /* until_targets: targets whose hit may still change */
    size_t pending_cap;              /* capacity of pending */
};

/* Fill heap slots [from, to) with the sentinel. */
static void heap_fill(uint64_t *h, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        h[i] = HEAP_SENTINEL;
}

struct search *search_new(const struct graph *g, struct err *e)
{
    assert(g != NULL);
    struct search *s = calloc(1, sizeof *s);
    if (s == NULL)
        goto nomem;
    s->g = g;
    graph_view(g, &s->v);
    size_t n = s->v.nnodes, m = s->v.nedges;
    /* The arrays a query reads at random by node and by edge, and the list
     * of touched nodes (all of them in a whole-network run such as the
     * coverage audit's), are on huge pages (hugemem.h says why), zeroed:
     * stamp 0 is untouched. */
    s->ns = hugemem_alloc((n > 0 ? n : 1) * sizeof *s->ns);
    s->touched = hugemem_alloc((n > 0 ? n : 1) * sizeof *s->touched);
    s->edge_stamp = hugemem_alloc((m > 0 ? m : 1) * sizeof *s->edge_stamp);
    s->heap_cap = 2 * m + 2;
    s->heap = malloc((s->heap_cap + HEAP_PAD) * sizeof *s->heap);
    if (s->ns == NULL || s->touched == NULL || s->edge_stamp == NULL || s->heap == NULL)
        goto nomem;
    s->heap_ready = s->heap_cap < HEAP_FIRST_READY ? s->heap_cap : HEAP_FIRST_READY;
    heap_fill(s->heap, 0, s->heap_ready + HEAP_PAD);
    return s;
nomem:
    err_nomem(e);
    search_free(s);
    return NULL;
}

void search_free(struct search *s)
{
    if (s == NULL)
        return;
    hugemem_free(s->ns, (s->v.nnodes > 0 ? s->v.nnodes : 1) * sizeof *s->ns);
    hugemem_free(s->edge_stamp, (s->v.nedges > 0 ? s->v.nedges : 1) * sizeof *s->edge_stamp);
    hugemem_free(s->touched, (s->v.nnodes > 0 ? s->v.nnodes : 1) * sizeof *s->touched);
    free(s->heap);
    free(s->src);
    free(s->src_cost);
    free(s->src_by_edge);
    free(s->iv);
    free(s->scratch);
    free(s->pending);
    free(s);
}

/* ------------------------------------------------------------------- heap */

/* The entry of node n at cost d, 0 <= d <= SEARCH_MAX_LIMIT_M (-0.0 too).
 * Scaling by a power of two is exact and the conversion truncates, so
 * entries never order two costs the wrong way round, only tie near ones. */
static inline uint64_t heap_entry(double d, uint32_t n)
{
    /* Through int64_t: one conversion instruction (< 2^38 fits), where a
     * direct conversion to uint64_t tests for values past 2^63. */
    return (uint64_t)(int64_t)(d * (double)(UINT64_C(1) << HEAP_FRAC_BITS)) << HEAP_NODE_BITS | n;
}

static inline uint32_t heap_node(uint64_t entry)
{
    return (uint32_t)(entry & HEAP_NODE_MASK);
}

/* Add entry x; there must be room (see heap_make_room). */
static inline void heap_push(uint64_t *h, size_t *nheap, uint64_t x)
{
    size_t i = (*nheap)++;
    while (i > 0) {
        size_t parent = (i - 1) / HEAP_ARITY;
        if (!(x < h[parent]))
            break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = x;
}

/* Put x into the hole at the root of a heap of n slots (the hole included).
 * Bottom-up: the hole sinks to a leaf along the least children, picked by
 * branch-free compares (sentinels stand in for missing ones), then x rises
 * from there, usually not at all. The textbook sift-down also compared x at
 * every level, a branch that mispredicted. */
static inline void heap_fill_root(uint64_t *h, size_t n, uint64_t x)
{
    uint64_t *hole = h;
    const uint64_t *end = h + n;
    for (;;) {
        uint64_t *c = h + HEAP_ARITY * (size_t)(hole - h) + 1;
        if (c >= end)
            break;
        uint64_t *a = c + (c[1] < c[0]);
        uint64_t *b = c + 2 + (c[3] < c[2]);
        /* Both selections on one compare, which GCC makes conditional
         * moves; a plain c = *b < *a ? b : a became a branch that took
         * 24 % more time. */
        uint64_t ka = *a, kb = *b;
        int lt = kb < ka;
        c = lt ? b : a;
        *hole = lt ? kb : ka;
        hole = c;
    }
    size_t i = (size_t)(hole - h);
    while (i > 0) {
        size_t parent = (i - 1) / HEAP_ARITY;
        if (!(x < h[parent]))
            break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = x;
}

/* Remove the root; the heap must not be empty. */
static inline void heap_pop(uint64_t *h, size_t *nheap)
{
    assert(*nheap > 0);
    size_t n = --*nheap;
    uint64_t x = h[n];
    h[n] = HEAP_SENTINEL;
    if (n > 0)
        heap_fill_root(h, n, x);
}

/* ------------------------------------------------------------- validation */

static int check_params(const struct search_params *p, struct err *e)
{
    if (isnan(p->limit_m) || p->limit_m < 0.0)
        return err_set(e, ERR_INPUT, "the walking limit must be zero or more metres");
    if (p->limit_m > SEARCH_MAX_LIMIT_M)
        return err_set(e, ERR_LIMIT, "the walking limit may not exceed %.0f m", SEARCH_MAX_LIMIT_M);
    if (isnan(p->steps_factor) || p->steps_factor < 1.0)
        return err_set(e, ERR_INPUT, "the steps factor must be 1 (no penalty) or more");
    if (p->steps_factor > SEARCH_MAX_STEPS_FACTOR)
        return err_set(e, ERR_LIMIT, "the steps factor may not exceed %.0f",
                       SEARCH_MAX_STEPS_FACTOR);
    return ERR_OK;
}

/* Whether `pl` is a valid place on the workspace's graph. */
static int place_ok(const struct search *s, const struct graph_place *pl)
{
    if (pl->edge >= s->v.nedges)
        return 0;
    double len = s->v.length[pl->edge];
    return pl->offset_m >= 0.0 && pl->offset_m <= len && pl->access_m >= 0.0 &&
           isfinite(pl->access_m);
}

/* ------------------------------------------------------------------- core */

/* Cost factor of edge ed for the current run. */
static double edge_factor(const struct search *s, uint32_t ed)
{
    return (s->v.flags[ed] & GRAPH_EDGE_STEPS) ? s->params.steps_factor : 1.0;
}

/* The hot state of one run, copied into locals so the compiler keeps the
 * counters in registers across the relax loop. */
struct run {
    struct node_state *ns;  /* s->ns */
    uint64_t *heap;         /* s->heap */
    size_t nheap;           /* entries in heap, a root being settled included */
    size_t heap_ready;      /* s->heap_ready: pushes past it fill more slots first */
    size_t heap_cap;        /* s->heap_cap */
    uint32_t *touched;      /* s->touched */
    size_t ntouched;        /* entries in touched */
    uint32_t touched_stamp; /* 2*gen: touched in this run, not settled */
    double limit;           /* limit_m */
};

/* Offer cost d from source src to node n: record it when it is within the
 * limit and better than n's current cost (lexicographic on cost, then
 * source). Returns 1 when n must be pushed at cost d, else 0. Costs over
 * the limit are dropped, so every touched node ends up settled.
 *
 * Reopening: a settled node that is offered a better (cost, source) is
 * touched again and pushed again, and settles anew. That happens in two
 * cases, both rare: the heap rounds costs, so a node can be settled just
 * before one less than 4 micrometres cheaper that reaches it over a
 * shorter arc; and the heap does not order sources, so a node can be
 * settled from one source before an equal cost from a lower-indexed source
 * arrives (over a zero-length edge, or one too short to change the sum).
 * Costs and labels only decrease, so this ends, at the costs and labels an
 * exact (cost, source) order gives. */
static inline int relax(struct run *r, uint32_t n, double d, uint32_t src)
{
    if (!(d <= r->limit))
        return 0;
    struct node_state *t = &r->ns[n];
    if (t->stamp - r->touched_stamp <= 1) { /* touched or settled in this run */
        if (d > t->dist || (d == t->dist && src >= t->label))
            return 0;
    } else {
        r->touched[r->ntouched++] = n;
    }
    t->stamp = r->touched_stamp; /* a reopened node is already listed in touched */
    t->dist = d;
    t->label = src;
    return 1;
}

/* Make room for one more heap entry. The heap holds one entry per push, and
 * without reopening there are at most 2E + 2 x sources pushes (one per arc
 * and two per source), its capacity. Reopening can push more; then the
 * entries of settled nodes, stale costs and duplicates are dropped, which
 * leaves at most one per unsettled touched node: room, since the node being
 * pushed has none left (its cost has just changed). Rare and O(heap). */
static void heap_make_room(struct run *r)
{
    if (r->nheap < r->heap_ready)
        return;
    if (r->heap_ready < r->heap_cap) { /* fill more slots: double them */
        size_t to = r->heap_ready < r->heap_cap - r->heap_ready ? 2 * r->heap_ready : r->heap_cap;
        heap_fill(r->heap, r->heap_ready + HEAP_PAD, to + HEAP_PAD);
        r->heap_ready = to;
        return;
    }
    const uint32_t kept = r->touched_stamp - 1; /* marks nodes kept; unused by this run */
    size_t m = 0;
    for (size_t i = 0; i < r->nheap; i++) {
        uint64_t x = r->heap[i];
        struct node_state *t = &r->ns[heap_node(x)];
        if (t->stamp == r->touched_stamp && x == heap_entry(t->dist, heap_node(x))) {
            t->stamp = kept;
            r->heap[m++] = x;
        }
    }
    for (size_t i = m; i < r->nheap; i++)
        r->heap[i] = HEAP_SENTINEL;
    r->nheap = 0;
    for (size_t i = 0; i < m; i++) {
        r->ns[heap_node(r->heap[i])].stamp = r->touched_stamp;
        heap_push(r->heap, &r->nheap, r->heap[i]);
    }
    assert(r->nheap < r->heap_ready);
}

/* A source's offer of cost d to node n. */
static void relax_source(struct run *r, uint32_t n, double d, uint32_t src)
{
    if (relax(r, n, d, src)) {
        heap_make_room(r);
        heap_push(r->heap, &r->nheap, heap_entry(d, n));
    }
}

/* Start a new generation, clearing all stamps when the counter would wrap. */
static void next_generation(struct search *s)
{
    if (s->gen >= (UINT32_MAX - 1) / 2) {
        memset(s->ns, 0, (size_t)s->v.nnodes * sizeof *s->ns);
        s->gen = 0;
    }
    s->gen++;
    s->ntouched = 0;
    s->nheap = 0;
    s->iv_ready = 0;
}

/* Make room for `nsrc` sources and the heap they need. On failure the
 * workspace is unchanged apart from larger buffers. */
static int reserve_sources(struct search *s, size_t nsrc, struct err *e)
{
    size_t heap_need = 2 * (size_t)s->v.nedges + 2 * nsrc;
    if (heap_need > s->heap_cap) {
        uint64_t *h = realloc(s->heap, (heap_need + HEAP_PAD) * sizeof *h);
        if (h == NULL)
            return err_nomem(e);
        s->heap = h; /* slots past heap_ready + HEAP_PAD are filled when needed */
        s->heap_cap = heap_need;
    }
    if (nsrc <= s->src_cap)
        return ERR_OK;
    void *p;
    if ((p = realloc(s->src, nsrc * sizeof *s->src)) == NULL)
        return err_nomem(e);
    s->src = p;
    if ((p = realloc(s->src_cost, nsrc * sizeof *s->src_cost)) == NULL)
        return err_nomem(e);
    s->src_cost = p;
    if ((p = realloc(s->src_by_edge, nsrc * sizeof *s->src_by_edge)) == NULL)
        return err_nomem(e);
    s->src_by_edge = p;
    if ((p = realloc(s->scratch, (nsrc + 2) * sizeof *s->scratch)) == NULL)
        return err_nomem(e);
    s->scratch = p;
    s->src_cap = nsrc;
    return ERR_OK;
}

static int src_ref_cmp(const void *a, const void *b)
{
    const struct src_ref *x = a, *y = b;
    if (x->edge != y->edge)
        return x->edge < y->edge ? -1 : 1;
    return x->idx < y->idx ? -1 : (x->idx > y->idx ? 1 : 0);
}

/* Index in src_by_edge of the first source on edge ed (nsrc if none). */
static size_t first_source_on(const struct search *s, uint32_t ed)
{
    size_t lo = 0, hi = s->nsrc;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->src_by_edge[mid].edge < ed)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Cost to reach a node in this run (INFINITY when not settled). */
static double node_cost(const struct search *s, uint32_t n, uint32_t *src)
{
    const struct node_state *t = &s->ns[n];
    if (t->stamp != 2 * s->gen + 1)
        return INFINITY;
    *src = t->label;
    return t->dist;
}

/* Best cost (before the target's own access leg) to reach offset `off` on
 * edge ed, and its source: from either node, or along the edge from a
 * source on it. Lexicographic on (cost, source). */
static double cost_at(const struct search *s, uint32_t ed, double off, uint32_t *src)
{
    double f = edge_factor(s, ed), len = s->v.length[ed];
    uint32_t u = s->v.edge_uv[2 * (size_t)ed], v = s->v.edge_uv[2 * (size_t)ed + 1];
    double best = INFINITY;
    uint32_t bsrc = SEARCH_NONE, cs = SEARCH_NONE;
    double c = node_cost(s, u, &cs);
    if (c < INFINITY) {
        best = c + off * f;
        bsrc = cs;
    }
    c = node_cost(s, v, &cs);
    if (c < INFINITY) {
        c += (len - off) * f;
        if (c < best || (c == best && cs < bsrc)) {
            best = c;
            bsrc = cs;
        }
    }
    for (size_t k = first_source_on(s, ed); k < s->nsrc && s->src_by_edge[k].edge == ed; k++) {
        uint32_t i = s->src_by_edge[k].idx;
        c = s->src_cost[i] + s->src[i].access_m + fabs(off - s->src[i].offset_m) * f;
        if (c < best || (c == best && i < bsrc)) {
            best = c;
            bsrc = i;
        }
    }
    *src = bsrc;
    return best;
}

/* How many nodes search_core settles between two looks at its pending
 * targets when it may stop early: SEARCH_LOOK_BASE plus SEARCH_LOOK_PER
 * per pending target. A look costs one cost_at per pending target, about
 * as much as settling a node, so looks add at most a quarter to a search
 * that runs to its limit, and a search stops at most that many settles
 * after its targets are answered. */
#define SEARCH_LOOK_BASE 32u
#define SEARCH_LOOK_PER 4u

/* Whether every pending target's cost is final: `pending` lists target
 * indices (*npending of them); the ones whose best cost so far (cost_at,
 * before their own access leg) is below k are dropped from the list.
 * Returns 1 when none is left.
 *
 * Why that cost is final (cost and source alike): heap entries pop in
 * non-decreasing order of their (rounded-down) keys, and every later offer
 * to any node is the cost of a node popped later plus an arc, so no less
 * than k, the key at the root now. A target's cost is the least of a few
 * sums (node cost + a part of its edge, or a source along the edge), each
 * of which can only change to a value >= k; one already below k stays the
 * least, and stays strictly below every later candidate, so neither the
 * cost nor its source can change. */
static int search_targets_final(const struct search *s, const struct graph_place *targets,
                                uint32_t *pending, size_t *npending, double k)
{
    size_t m = 0;
    for (size_t i = 0; i < *npending; i++) {
        const struct graph_place *t = &targets[pending[i]];
        uint32_t src;
        if (!(cost_at(s, t->edge, t->offset_m, &src) < k))
            pending[m++] = pending[i];
    }
    *npending = m;
    return m == 0;
}

/* search_run's work. With `pending` (room for ntargets indices) the search
 * stops as soon as every target's cost is final (search_targets_final):
 * the hits are exactly those of the full search, but the nodes' costs are
 * not, so the workspace then holds no result for search_node and
 * search_reached. With pending NULL it runs to the limit. */
static int search_core(struct search *s, const struct search_params *p,
                       const struct graph_place *sources, const double *costs0, size_t nsources,
                       const struct graph_place *targets, size_t ntargets, struct search_hit *hits,
                       uint32_t *pending, struct err *e)
{
    assert(s != NULL && p != NULL);
    s->have_result = 0;
    s->iv_ready = 0;
    int rc = check_params(p, e);
    if (rc != ERR_OK)
        return rc;
    if (nsources == 0 || sources == NULL)
        return err_set(e, ERR_INPUT, "a walking search needs at least one starting place");
    if (nsources > SEARCH_MAX_SOURCES)
        return err_set(e, ERR_LIMIT, "a walking search may start from at most %u places",
                       SEARCH_MAX_SOURCES);
    if (ntargets > SEARCH_MAX_TARGETS)
        return err_set(e, ERR_LIMIT, "a walking search may answer at most %u places",
                       SEARCH_MAX_TARGETS);
    if (ntargets > 0 && (targets == NULL || hits == NULL))
        return err_set(e, ERR_INPUT, "targets were given without room for the answers");
    for (size_t i = 0; i < nsources; i++) {
        if (!place_ok(s, &sources[i]))
            return err_set(e, ERR_INPUT, "starting place %zu is not on this street network", i);
        if (costs0 != NULL && !(costs0[i] >= 0.0 && isfinite(costs0[i])))
            return err_set(e, ERR_INPUT, "starting place %zu has a negative or invalid cost", i);
    }
    for (size_t i = 0; i < ntargets; i++)
        if (!place_ok(s, &targets[i]))
            return err_set(e, ERR_INPUT, "destination %zu is not on this street network", i);
    rc = reserve_sources(s, nsources, e);
    if (rc != ERR_OK)
        return rc;

    /* From here on nothing fails. */
    s->params = *p;
    next_generation(s);
    s->nsrc = nsources;
    for (size_t i = 0; i < nsources; i++) {
        s->src[i] = sources[i];
        s->src_cost[i] = costs0 != NULL ? costs0[i] : 0.0;
        s->src_by_edge[i].edge = sources[i].edge;
        s->src_by_edge[i].idx = (uint32_t)i;
    }
    qsort(s->src_by_edge, nsources, sizeof *s->src_by_edge, src_ref_cmp);

    struct run r = {s->ns,      s->heap, 0,          s->heap_ready, s->heap_cap,
                    s->touched, 0,       2 * s->gen, p->limit_m};
    for (size_t i = 0; i < nsources; i++) {
        const struct graph_place *pl = &s->src[i];
        double f = edge_factor(s, pl->edge), len = s->v.length[pl->edge];
        double c = s->src_cost[i] + pl->access_m;
        relax_source(&r, s->v.edge_uv[2 * (size_t)pl->edge], c + pl->offset_m * f, (uint32_t)i);
        relax_source(&r, s->v.edge_uv[2 * (size_t)pl->edge + 1], c + (len - pl->offset_m) * f,
                     (uint32_t)i);
    }

    const uint32_t settled = r.touched_stamp + 1;
    const uint32_t *adj_off = s->v.adj_off, *adj_to = s->v.adj_to, *adj_edge = s->v.adj_edge;
    const double *length = s->v.length;
    const uint8_t *flags = s->v.flags;
    const int steps = p->steps_factor != 1.0;
    _Static_assert(GRAPH_EDGE_STEPS == 1u, "the factor table is indexed by the steps bit");
    const double factor[2] = {1.0, p->steps_factor};
    size_t npending = 0;
    size_t look = 0;
    if (pending != NULL) {
        for (size_t i = 0; i < ntargets; i++)
            pending[i] = (uint32_t)i;
        npending = ntargets;
        look = SEARCH_LOOK_BASE + SEARCH_LOOK_PER * npending;
    }
    while (r.nheap > 0) {
        uint32_t n = heap_node(r.heap[0]);
        struct node_state *t = &r.ns[n];
        /* Stale entries need only the settled test: a node's current cost
         * has the least entry ever pushed for it, so that entry pops first
         * and settles the node; later ones find it settled (a reopened
         * node is pushed again). */
        if (t->stamp == settled) {
            heap_pop(r.heap, &r.nheap);
            continue;
        }
        if (pending != NULL && --look == 0) {
            const double k =
                (double)(r.heap[0] >> HEAP_NODE_BITS) / (double)(UINT64_C(1) << HEAP_FRAC_BITS);
            if (search_targets_final(s, targets, pending, &npending, k)) {
                /* Every slot at or past nheap must hold the sentinel. */
                heap_fill(r.heap, 0, r.nheap);
                r.nheap = 0;
                break;
            }
            look = SEARCH_LOOK_BASE + SEARCH_LOOK_PER * npending;
        }
        t->stamp = settled;
        /* The root's slot is free from here on: the first push takes it
         * over, one sift instead of a pop's and a push's (popping first
         * took 4 % more instructions, 2 % more time). */
        int root_free = 1;
        const double d = t->dist;
        const uint32_t src = t->label;
        const uint32_t end = adj_off[n + 1];
        for (uint32_t k = adj_off[n]; k < end; k++) {
            /* An arc costs its edge's length_m, times the steps factor only
             * when one is set (the flags are then not read; x 1.0 would be
             * exact anyway). A copy of the lengths in arc order, beside
             * adj_to, saved a third of the L1 misses but no time on 宇部市
             * (everything fits in L2) and ~5 % on a 519k-edge grid, for 8
             * more bytes per directed edge: not kept. */
            const uint32_t ed = adj_edge[k];
            double w = length[ed];
            if (steps)
                w *= factor[flags[ed] & GRAPH_EDGE_STEPS];
            uint32_t v = adj_to[k];
            if (!relax(&r, v, d + w, src))
                continue;
            /* A dead end (one arc) offered a cost by its only neighbour,
             * which is being settled, can get no other offer (unless that
             * neighbour is reopened, which offers again): settle it now,
             * without a trip through the heap; its one arc leads back to a
             * settled node. One node in seven on 宇部市; without this, 6 %
             * more instructions and 8 % more time. */
            if (adj_off[v + 1] - adj_off[v] == 1) {
                r.ns[v].stamp = settled;
                continue;
            }
            /* v will be settled later: ask for its arcs now (adj_off[v]
             * was just read for the test above), so a walk that starts
             * with cold caches does not wait for them then. A cold
             * 30-minute walk at 2M edges, p50 of 30, eight rounds (six at
             * load 7-10, two quiet): 0.71-0.89 ms with, 0.75-1.09 ms
             * without (README "The saved graph file"); the warm loop no
             * slower. */
            __builtin_prefetch(adj_to + adj_off[v]);
            __builtin_prefetch(adj_edge + adj_off[v]);
            if (root_free) {
                heap_fill_root(r.heap, r.nheap, heap_entry(d + w, v));
                root_free = 0;
            } else {
                heap_make_room(&r);
                heap_push(r.heap, &r.nheap, heap_entry(d + w, v));
            }
        }
        if (root_free)
            heap_pop(r.heap, &r.nheap);
    }
    s->nheap = r.nheap;
    s->heap_ready = r.heap_ready;
    s->ntouched = r.ntouched;

    for (size_t i = 0; i < ntargets; i++) {
        uint32_t src;
        double c = cost_at(s, targets[i].edge, targets[i].offset_m, &src) + targets[i].access_m;
        if (src != SEARCH_NONE && c <= p->limit_m) {
            hits[i].reached = 1;
            hits[i].cost_m = c;
            hits[i].source = src;
        } else {
            hits[i].reached = 0;
            hits[i].cost_m = INFINITY;
            hits[i].source = SEARCH_NONE;
        }
    }
    s->have_result = pending == NULL;
    return ERR_OK;
}

int search_run(struct search *s, const struct search_params *p, const struct graph_place *sources,
               const double *costs0, size_t nsources, const struct graph_place *targets,
               size_t ntargets, struct search_hit *hits, struct err *e)
{
    return search_core(s, p, sources, costs0, nsources, targets, ntargets, hits, NULL, e);
}

int search_run_targets(struct search *s, const struct search_params *p,
                       const struct graph_place *sources, const double *costs0, size_t nsources,
                       const struct graph_place *targets, size_t ntargets, struct search_hit *hits,
                       struct err *e)
{
    uint32_t *pending = NULL;
    if (ntargets > 0 && ntargets <= SEARCH_MAX_TARGETS) {
        if (vec_reserve((void **)&s->pending, &s->pending_cap, ntargets, sizeof *s->pending) !=
            ERR_OK) {
            s->have_result = 0;
            return err_nomem(e);
        }
        pending = s->pending;
    }
    return search_core(s, p, sources, costs0, nsources, targets, ntargets, hits, pending, e);
}

int search_node(const struct search *s, uint32_t n, double *cost, uint32_t *source)
{
    assert(n < s->v.nnodes);
    if (!s->have_result)
        return 0;
    uint32_t src;
    double c = node_cost(s, n, &src);
    if (c == INFINITY)
        return 0;
    *cost = c;
    *source = src;
    return 1;
}

size_t search_reached_nodes(const struct search *s, const uint32_t **nodes)
{
    /* Every node touched by a finished run is settled within the limit
     * (relax drops costs over it); a reopened node is listed once. */
    *nodes = s->have_result ? s->touched : NULL;
    return s->have_result ? s->ntouched : 0;
}

/* ------------------------------------------------------------- isochrones */

/* Append an interval to the result, growing it. */
static int iv_push(struct search *s, uint32_t ed, double from, double to, struct err *e)
{
    if (vec_reserve((void **)&s->iv, &s->iv_cap, s->niv + 1, sizeof *s->iv) != ERR_OK)
        return err_nomem(e);
    s->iv[s->niv].edge = ed;
    s->iv[s->niv].from_m = from;
    s->iv[s->niv].to_m = to;
    s->niv++;
    return ERR_OK;
}

/* List the reached intervals of edge ed: from each settled end as far as the
 * remaining budget goes, and around each source on the edge; merged. */
static int emit_edge(struct search *s, uint32_t ed, struct err *e)
{
    const double lim = s->params.limit_m;
    double f = edge_factor(s, ed), len = s->v.length[ed];
    uint32_t u = s->v.edge_uv[2 * (size_t)ed], v = s->v.edge_uv[2 * (size_t)ed + 1];
    struct search_interval *c = s->scratch;
    size_t nc = 0;
    uint32_t src;
    double d = node_cost(s, u, &src);
    if (d <= lim) {
        c[nc].from_m = 0.0;
        c[nc++].to_m = fmin((lim - d) / f, len);
    }
    d = node_cost(s, v, &src);
    if (d <= lim) {
        c[nc].from_m = fmax(len - (lim - d) / f, 0.0);
        c[nc++].to_m = len;
    }
    for (size_t k = first_source_on(s, ed); k < s->nsrc && s->src_by_edge[k].edge == ed; k++) {
        uint32_t i = s->src_by_edge[k].idx;
        double left = lim - s->src_cost[i] - s->src[i].access_m;
        if (left < 0.0)
            continue;
        double r = left / f;
        c[nc].from_m = fmax(s->src[i].offset_m - r, 0.0);
        c[nc++].to_m = fmin(s->src[i].offset_m + r, len);
    }
    assert(nc <= s->nsrc + 2);
    /* Insertion sort by start (few candidates), then merge overlaps. */
    for (size_t i = 1; i < nc; i++) {
        struct search_interval t = c[i];
        size_t j = i;
        while (j > 0 && c[j - 1].from_m > t.from_m) {
            c[j] = c[j - 1];
            j--;
        }
        c[j] = t;
    }
    size_t i = 0;
    while (i < nc) {
        double from = c[i].from_m, to = c[i].to_m;
        for (i++; i < nc && c[i].from_m <= to; i++)
            to = fmax(to, c[i].to_m);
        assert(0.0 <= from && from <= to && to <= len);
        int rc = iv_push(s, ed, from, to, e);
        if (rc != ERR_OK)
            return rc;
    }
    return ERR_OK;
}

int search_reached(struct search *s, const struct search_interval **out, size_t *n, struct err *e)
{
    *out = NULL;
    *n = 0;
    if (!s->have_result)
        return err_set(e, ERR_INTERNAL, "no walking search has finished to list reached streets");
    if (!s->iv_ready) {
        /* Each attempt stamps edges with a fresh mark, so an attempt that
         * failed half-way leaves nothing behind. */
        if (s->edge_gen == UINT32_MAX) {
            memset(s->edge_stamp, 0, (size_t)s->v.nedges * sizeof *s->edge_stamp);
            s->edge_gen = 0;
        }
        const uint32_t mark = ++s->edge_gen;
        s->niv = 0;
        for (size_t t = 0; t < s->ntouched; t++) {
            uint32_t node = s->touched[t];
            for (uint32_t k = s->v.adj_off[node]; k < s->v.adj_off[node + 1]; k++) {
                uint32_t ed = s->v.adj_edge[k];
                if (s->edge_stamp[ed] == mark)
                    continue;
                s->edge_stamp[ed] = mark;
                int rc = emit_edge(s, ed, e);
                if (rc != ERR_OK)
                    return rc;
            }
        }
        for (size_t i = 0; i < s->nsrc; i++) {
            uint32_t ed = s->src[i].edge;
            if (s->edge_stamp[ed] == mark)
                continue;
            s->edge_stamp[ed] = mark;
            int rc = emit_edge(s, ed, e);
            if (rc != ERR_OK)
                return rc;
        }
        s->iv_ready = 1;
    }
    *out = s->iv;
    *n = s->niv;
    return ERR_OK;
}

/* ----------------------------------------------------------------- matrix */

int search_matrix(struct search *s, const struct search_params *p, const struct graph_place *places,
                  size_t n, double *out, struct err *e)
{
    s->have_result = 0;
    if (n > SEARCH_MAX_MATRIX)
        return err_set(e, ERR_LIMIT, "a distance table may hold at most %u places",
                       SEARCH_MAX_MATRIX);
    if (n == 0)
        return ERR_OK;
    struct search_hit *hits = malloc(n * sizeof *hits);
    uint32_t *pending = malloc(n * sizeof *pending);
    if (hits == NULL || pending == NULL) {
        free(hits);
        free(pending);
        return err_nomem(e);
    }
    int rc = ERR_OK;
    for (size_t i = 0; i < n && rc == ERR_OK; i++) {
        /* Each row stops once its n costs are final (search_core). */
        rc = search_core(s, p, &places[i], NULL, 1, places, n, hits, pending, e);
        for (size_t j = 0; j < n && rc == ERR_OK; j++)
            out[i * n + j] = i == j ? 0.0 : hits[j].cost_m;
    }
    free(hits);
    free(pending);
    s->have_result = 0;
    return rc;
}
