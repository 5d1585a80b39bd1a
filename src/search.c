/* search.c - implements search.h: a bounded, multi-source Dijkstra over the
 * graph's CSR arrays with a binary heap (lazy deletion) and a reusable
 * workspace whose per-node state is reset by generation stamps, so a query
 * costs O(reached). Entry points: search_new, search_run (sources and targets
 * are places part-way along edges), search_node, search_reached (reached
 * intervals of edges, for isochrones), search_matrix (many-to-many on the
 * same core), search_free.
 *
 * Nearest-source attribution: the heap orders by (cost, source index), so
 * every node is labelled with the lowest-indexed source among those at the
 * least cost, whatever the order edges are relaxed in. */
#include "search.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One heap entry (lazy deletion: stale entries are skipped when popped). */
struct heap_item {
    double key;    /* tentative cost */
    uint32_t src;  /* source the cost comes from */
    uint32_t node; /* node id */
};

/* A source's edge, for finding the sources on a given edge. */
struct src_ref {
    uint32_t edge; /* the source's edge */
    uint32_t idx;  /* the source's index */
};

struct search {
    const struct graph *g;           /* borrowed graph */
    struct graph_view v;             /* borrowed arrays of g */
    double *dist;                    /* N: cost of a node touched in this run */
    uint32_t *label;                 /* N: nearest source of a node touched in this run */
    uint32_t *stamp;                 /* N: 2*gen once touched in run gen, 2*gen+1 once settled */
    uint32_t *edge_stamp;            /* E: edge_gen once search_reached listed the edge */
    uint32_t gen;                    /* generation of the current run, >= 1 after a run */
    uint32_t edge_gen;               /* generation of the current search_reached attempt */
    uint32_t *touched;               /* N: nodes touched in this run, in order */
    size_t ntouched;                 /* entries in touched */
    struct heap_item *heap;          /* binary min-heap on (key, src) */
    size_t nheap;                    /* entries in heap */
    size_t heap_cap;                 /* capacity of heap */
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
};

struct search *search_new(const struct graph *g, struct err *e)
{
    assert(g != NULL);
    struct search *s = calloc(1, sizeof *s);
    if (s == NULL)
        goto nomem;
    s->g = g;
    graph_view(g, &s->v);
    size_t n = s->v.nnodes, m = s->v.nedges;
    s->dist = malloc((n > 0 ? n : 1) * sizeof *s->dist);
    s->label = malloc((n > 0 ? n : 1) * sizeof *s->label);
    s->stamp = calloc(n > 0 ? n : 1, sizeof *s->stamp);
    s->touched = malloc((n > 0 ? n : 1) * sizeof *s->touched);
    s->edge_stamp = calloc(m > 0 ? m : 1, sizeof *s->edge_stamp);
    s->heap_cap = 2 * m + 2;
    s->heap = malloc(s->heap_cap * sizeof *s->heap);
    if (s->dist == NULL || s->label == NULL || s->stamp == NULL || s->touched == NULL ||
        s->edge_stamp == NULL || s->heap == NULL)
        goto nomem;
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
    free(s->dist);
    free(s->label);
    free(s->stamp);
    free(s->edge_stamp);
    free(s->touched);
    free(s->heap);
    free(s->src);
    free(s->src_cost);
    free(s->src_by_edge);
    free(s->iv);
    free(s->scratch);
    free(s);
}

/* ------------------------------------------------------------------- heap */

static int item_less(const struct heap_item *a, const struct heap_item *b)
{
    return a->key < b->key || (a->key == b->key && a->src < b->src);
}

static void heap_push(struct search *s, double key, uint32_t src, uint32_t node)
{
    assert(s->nheap < s->heap_cap); /* sized for 2 pushes per source + 1 per directed edge */
    size_t i = s->nheap++;
    struct heap_item it = {key, src, node};
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!item_less(&it, &s->heap[parent]))
            break;
        s->heap[i] = s->heap[parent];
        i = parent;
    }
    s->heap[i] = it;
}

static struct heap_item heap_pop(struct search *s)
{
    assert(s->nheap > 0);
    struct heap_item top = s->heap[0];
    struct heap_item it = s->heap[--s->nheap];
    size_t n = s->nheap, i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && item_less(&s->heap[c + 1], &s->heap[c]))
            c++;
        if (!item_less(&s->heap[c], &it))
            break;
        s->heap[i] = s->heap[c];
        i = c;
    }
    if (n > 0)
        s->heap[i] = it;
    return top;
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

/* Offer cost d from source src to node n. Costs over the limit are dropped,
 * so every touched node ends up settled. */
static void relax(struct search *s, uint32_t n, double d, uint32_t src)
{
    if (!(d <= s->params.limit_m))
        return;
    const uint32_t touched = 2 * s->gen, settled = touched + 1;
    uint32_t st = s->stamp[n];
    if (st == settled)
        return;
    if (st == touched) {
        if (d > s->dist[n] || (d == s->dist[n] && src >= s->label[n]))
            return;
    } else {
        s->stamp[n] = touched;
        s->touched[s->ntouched++] = n;
    }
    s->dist[n] = d;
    s->label[n] = src;
    heap_push(s, d, src, n);
}

/* Start a new generation, clearing all stamps when the counter would wrap. */
static void next_generation(struct search *s)
{
    if (s->gen >= (UINT32_MAX - 1) / 2) {
        memset(s->stamp, 0, (size_t)s->v.nnodes * sizeof *s->stamp);
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
        struct heap_item *h = realloc(s->heap, heap_need * sizeof *h);
        if (h == NULL)
            return err_nomem(e);
        s->heap = h;
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
    if (s->stamp[n] != 2 * s->gen + 1)
        return INFINITY;
    *src = s->label[n];
    return s->dist[n];
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

int search_run(struct search *s, const struct search_params *p, const struct graph_place *sources,
               const double *costs0, size_t nsources, const struct graph_place *targets,
               size_t ntargets, struct search_hit *hits, struct err *e)
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

    for (size_t i = 0; i < nsources; i++) {
        const struct graph_place *pl = &s->src[i];
        double f = edge_factor(s, pl->edge), len = s->v.length[pl->edge];
        double c = s->src_cost[i] + pl->access_m;
        relax(s, s->v.edge_uv[2 * (size_t)pl->edge], c + pl->offset_m * f, (uint32_t)i);
        relax(s, s->v.edge_uv[2 * (size_t)pl->edge + 1], c + (len - pl->offset_m) * f, (uint32_t)i);
    }

    const uint32_t settled = 2 * s->gen + 1;
    const uint32_t *adj_off = s->v.adj_off, *adj_to = s->v.adj_to, *adj_edge = s->v.adj_edge;
    while (s->nheap > 0) {
        struct heap_item top = heap_pop(s);
        uint32_t n = top.node;
        if (s->stamp[n] == settled || top.key != s->dist[n] || top.src != s->label[n])
            continue; /* stale */
        s->stamp[n] = settled;
        for (uint32_t k = adj_off[n]; k < adj_off[n + 1]; k++) {
            uint32_t ed = adj_edge[k];
            relax(s, adj_to[k], top.key + s->v.length[ed] * edge_factor(s, ed), top.src);
        }
    }

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
    s->have_result = 1;
    return ERR_OK;
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

/* ------------------------------------------------------------- isochrones */

/* Append an interval to the result, growing it. */
static int iv_push(struct search *s, uint32_t ed, double from, double to, struct err *e)
{
    if (s->niv == s->iv_cap) {
        size_t ncap = s->iv_cap > 0 ? 2 * s->iv_cap : 256;
        struct search_interval *p = realloc(s->iv, ncap * sizeof *p);
        if (p == NULL)
            return err_nomem(e);
        s->iv = p;
        s->iv_cap = ncap;
    }
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
    if (hits == NULL)
        return err_nomem(e);
    int rc = ERR_OK;
    for (size_t i = 0; i < n && rc == ERR_OK; i++) {
        rc = search_run(s, p, &places[i], NULL, 1, places, n, hits, e);
        for (size_t j = 0; j < n && rc == ERR_OK; j++)
            out[i * n + j] = i == j ? 0.0 : hits[j].cost_m;
    }
    free(hits);
    s->have_result = 0;
    return rc;
}
