/* SPDX-License-Identifier: MIT */
/* search.h - walking distances on a graph (graph.h): bounded multi-source
 * Dijkstra from snapped places to snapped places, the reached parts of edges
 * for isochrones, and many-to-many distance matrices, all on one core.
 *
 * Pure in-memory code: knows standard C, err.h and graph.h only.
 *
 * Cost model. Costs are metres of walking: an edge costs length_m, times
 * steps_factor when it carries GRAPH_EDGE_STEPS. A source place reaches its
 * edge's node u at cost0 + access_m + offset_m * f and node v at
 * cost0 + access_m + (length_m - offset_m) * f (f = the edge's factor); a
 * target is reached from either node of its edge, or straight along the edge
 * from a source on the same edge, and its own access_m is added. Access legs
 * are straight lines and are never multiplied. REACHED MEANS total cost <=
 * limit_m (so with limit_m == 0 only targets at cost exactly 0 are reached).
 * Converting to minutes (speed) is the caller's business.
 *
 * Workspaces. A `struct search` is a per-thread workspace bound to one graph:
 * create it once, run many queries; each query costs O(what it reaches), not
 * O(graph size). Never share a workspace between threads; the graph itself
 * may be shared by any number of workspaces.
 *
 * Entry points: search_new, search_run, search_run_targets, search_node,
 * search_reached_nodes, search_reached, search_matrix, search_free.
 */
#ifndef TSUNAGU_SEARCH_H
#define TSUNAGU_SEARCH_H

#include "err.h"
#include "graph.h"

#include <stddef.h>
#include <stdint.h>

/* Explicit limits (ERR_LIMIT beyond them). */
#define SEARCH_MAX_SOURCES (1u << 20) /* sources per search_run */
#define SEARCH_MAX_TARGETS (1u << 24) /* targets per search_run */
#define SEARCH_MAX_MATRIX 500u        /* places per search_matrix (n x n) */
#define SEARCH_MAX_LIMIT_M 1000000.0  /* limit_m */
#define SEARCH_MAX_STEPS_FACTOR 100.0 /* steps_factor */

/* "No source": the source of a target that was not reached. */
#define SEARCH_NONE UINT32_MAX

struct search;

/* Parameters of one query. */
struct search_params {
    double limit_m;      /* cost limit in metres, 0 <= limit_m <= SEARCH_MAX_LIMIT_M */
    double steps_factor; /* multiplier for steps edges, 1 (no penalty) to SEARCH_MAX_STEPS_FACTOR */
};

/* The answer for one target. */
struct search_hit {
    int reached;     /* 1 when the cost is <= limit_m, else 0 */
    double cost_m;   /* total cost including both access legs; INFINITY when not reached */
    uint32_t source; /* index of the nearest source (ties: lowest index); SEARCH_NONE
                        when not reached */
};

/* A reached stretch of an edge: offsets in the edge's length_m units from u,
 * 0 <= from_m <= to_m <= length_m. from_m == to_m marks a single reached
 * point (an end reached exactly at the limit, or a limit of 0). */
struct search_interval {
    uint32_t edge; /* edge id */
    double from_m; /* start offset from u */
    double to_m;   /* end offset from u */
};

/* Make a workspace for graph g (borrowed: g must outlive it). Memory is
 * O(nodes + edges), allocated here once. Returns a workspace the caller
 * frees with search_free, or NULL with ERR_NOMEM in `e`. */
struct search *search_new(const struct graph *g, struct err *e);

/* Free a workspace; NULL is ignored. */
void search_free(struct search *s);

/* One bounded search from `nsources` places (each with an initial cost
 * costs0[i] >= 0, or all 0 when costs0 is NULL) answering all `ntargets`
 * places at once: hits[i] receives target i's cost and nearest source.
 * ntargets may be 0 (e.g. for search_reached). Places are checked (edge id,
 * 0 <= offset_m <= length_m, access_m >= 0). Fails with ERR_INPUT (bad
 * params, place or cost; no source), ERR_LIMIT (too many sources or
 * targets, limit_m or steps_factor too large) or ERR_NOMEM; on failure
 * `hits` is untouched and the workspace holds no result (search_node reports
 * nothing reached, search_reached fails) but stays usable. */
int search_run(struct search *s, const struct search_params *p, const struct graph_place *sources,
               const double *costs0, size_t nsources, const struct graph_place *targets,
               size_t ntargets, struct search_hit *hits, struct err *e);

/* search_run that stops as soon as every target's hit is final: the hits
 * are exactly those search_run gives (cost and source), at the cost of
 * only the part of the network nearer than the farthest target (or all of
 * it within limit_m when some target is not reached). Afterwards the
 * workspace holds no result for search_node or search_reached. Fails like
 * search_run. */
int search_run_targets(struct search *s, const struct search_params *p,
                       const struct graph_place *sources, const double *costs0, size_t nsources,
                       const struct graph_place *targets, size_t ntargets, struct search_hit *hits,
                       struct err *e);

/* Cost of reaching node n in the last successful search_run and its nearest
 * source. Returns 1 when reached (cost <= limit_m; *cost and *source set),
 * else 0 (outputs untouched). n must be < the graph's node count. */
int search_node(const struct search *s, uint32_t n, double *cost, uint32_t *source);

/* The nodes reached in the last successful search_run (cost <= limit_m),
 * each once, in the order first reached; *nodes is BORROWED from the
 * workspace and valid until its next search_run, search_matrix or
 * search_free. Returns their count: 0 (and *nodes NULL) when no search
 * holds a result. Costs: search_node. */
size_t search_reached_nodes(const struct search *s, const uint32_t **nodes);

/* The reached parts of edges after the last successful search_run: every
 * edge with a reached node or a source on it, as merged, ascending intervals
 * per edge (several per edge when reached from both ends but not through).
 * *out is BORROWED from the workspace and valid until its next search_run,
 * search_matrix or search_free. Fails with ERR_INTERNAL when no search has
 * succeeded yet, or ERR_NOMEM (*out NULL, *n 0). */
int search_reached(struct search *s, const struct search_interval **out, size_t *n, struct err *e);

/* Many-to-many: out[i*n + j] = cost from places[i] to places[j] (both access
 * legs included) or INFINITY when over limit_m; the diagonal is 0. Runs n
 * searches on the same core as search_run (one per row). `out` holds n*n
 * doubles, caller-owned. Fails like search_run, plus ERR_LIMIT when n >
 * SEARCH_MAX_MATRIX; on failure `out` is unspecified. Each row's search
 * stops once its n costs are final (as with until_targets), so a generous
 * limit costs only as much as the farthest place needs. Afterwards the
 * workspace holds no result (search_node, search_reached) either way. */
int search_matrix(struct search *s, const struct search_params *p, const struct graph_place *places,
                  size_t n, double *out, struct err *e);

#endif
