/* SPDX-License-Identifier: MIT */
/* suggest.h - where would new sites help most: picks up to N new locations
 * that cover the most households not yet covered (maximal covering), with
 * the existing matching resources fixed.
 *
 * Candidates. Either the resources of one kind already imported as a
 * candidate layer (e.g. `tsunagu import resources sites.geojson --kind
 * candidate`: schools, community centres, public facilities), or, without a
 * layer, every network node near an uncovered point.
 *
 * Method. A coverage audit (coverage.h) gives the uncovered households and
 * small-area points on the network. The network is undirected, so one
 * search bounded at the limit FROM each uncovered point finds every
 * candidate that would cover it: as many searches as uncovered points,
 * however many candidates there are. Then greedy selection with lazy
 * evaluation: each round takes the candidate adding the most households
 * (residents break ties; then the lowest candidate index); a candidate's
 * gain only falls as sites are added, so stale gains are upper bounds and
 * only the top one is recomputed. Greedy keeps at least 63% of the best
 * possible coverage for N sites; for N = 1 it is exact. Selection stops
 * early when no candidate adds anything, or when the best one adds fewer
 * households than min_households (the HTTP answer for officials: a pick
 * that adds 1-4 households would say where a few households live).
 *
 * Network-node candidates at scale (SUGGEST_CELLS, chosen by SUGGEST_AUTO
 * past SUGGEST_EXACT_POINTS uncovered points). The exact greedy's cost is
 * one search per uncovered point: 53k searches, 12 s of CPU, on a
 * 500k-edge grid with 100k households. Instead the nodes are grouped in
 * square cells of side limit / SUGGEST_CELL_DIV; one search FROM each
 * cell's representative (its node nearest the cell's centre) lists the
 * uncovered points it covers; lazy greedy over the representatives picks
 * a cell, and the pick is the best node (more households, more
 * residents, lower index) among every node of that cell and its eight
 * neighbours, each weighed exactly by a search from it against the points
 * still uncovered. What is exact: every gain reported, and that each pick
 * adds at least as many households as any representative would at that
 * step (the chosen representative is among the nodes weighed). What is
 * approximated: the best node overall may lie in a cell whose
 * representative did not rank first; measured against the exact greedy,
 * README "Prefecture scale".
 *
 * Entry points: suggest_params_parse, suggest_run, suggest_result_free.
 */
#ifndef TSUNAGU_SUGGEST_H
#define TSUNAGU_SUGGEST_H

#include "coverage.h"
#include "err.h"
#include "store.h"
#include "walk.h"

#include <stddef.h>
#include <stdint.h>

/* Explicit limits. */
#define SUGGEST_MAX_SITES 50         /* sites per request (ERR_INPUT beyond) */
#define SUGGEST_MAX_PAIRS (1u << 27) /* (uncovered point, candidate) pairs in reach (ERR_LIMIT) */
#define SUGGEST_MAX_WORK 3e9         /* network nodes: estimated node visits (ERR_LIMIT, before) */
#define SUGGEST_EXACT_POINTS 20000   /* network nodes, SUGGEST_AUTO: exact up to this many points */
#define SUGGEST_CELL_DIV 5.0         /* SUGGEST_CELLS: a cell's side is the limit over this */

/* How network-node candidates are weighed (suggest_params.method). */
enum suggest_method {
    SUGGEST_AUTO,  /* SUGGEST_EXACT up to SUGGEST_EXACT_POINTS uncovered points, else CELLS */
    SUGGEST_EXACT, /* every node's gain, one search per uncovered point (exact greedy) */
    SUGGEST_CELLS  /* nodes grouped in square cells (side limit / SUGGEST_CELL_DIV): greedy
                      over one node per cell (the nearest its centre), each pick then the
                      best node of the 3 x 3 cells around the chosen one (see suggest_run) */
};

/* What to suggest. */
struct suggest_params {
    struct coverage_params cov; /* the coverage to improve (cov.level is ignored) */
    int sites;                  /* new sites wanted, 1..SUGGEST_MAX_SITES */
    const char *candidates;     /* resource kind of the candidate layer, or NULL for network
                                   nodes */
    long min_households;        /* a pick must add at least this many households (0 or 1:
                                   any gain); selection stops at the first best site that
                                   adds fewer */
    double max_work;            /* network nodes: the work limit, 0 for SUGGEST_MAX_WORK */
    int method;                 /* network nodes: enum suggest_method (0: SUGGEST_AUTO) */
};

/* The parameters as text (CLI options, HTTP query); NULL when not given. */
struct suggest_text {
    struct coverage_text cov; /* minutes, speed, kind, field, ... (level unused) */
    const char *sites;        /* default 1 */
    const char *candidates;   /* candidate kind (borrowed by the params) */
};

/* Parses t into p (coverage_params_parse plus sites and candidates);
 * ERR_INPUT with one sentence naming the parameter with `prefix`. */
int suggest_params_parse(const struct suggest_text *t, const char *prefix, struct suggest_params *p,
                         struct err *e);

/* One picked site, in pick order. */
struct suggest_pick {
    size_t resource;         /* candidate resource (walk_net_resource index), or
                                COVERAGE_NONE for a network node */
    uint32_t node;           /* the graph node when resource is COVERAGE_NONE */
    double x, y;             /* position, database CRS */
    double lon, lat;         /* position, WGS84 */
    long households_added;   /* households this site newly covers */
    long residents_added;    /* residents of small areas it newly covers */
    long households_covered; /* households covered after this pick */
    long residents_covered;  /* residents covered after this pick */
    double share_covered;    /* households_covered / all households (0 when none) */
};

/* A suggestion (caller frees with suggest_result_free). */
struct suggest_result {
    double minutes;                 /* limit in minutes */
    double speed;                   /* m/min */
    double limit_m;                 /* minutes x speed */
    char *kind;                     /* existing resources' kind filter (owned) or NULL */
    char *candidates;               /* candidate kind (owned) or NULL for network nodes */
    long households;                /* all households (off-network ones included) */
    long households_covered_before; /* covered by the existing resources */
    long households_off_network;    /* never coverable by any site */
    int have_areas;                 /* whether small areas with residents are imported */
    long residents;                 /* all residents of small areas */
    long residents_covered_before;  /* covered by the existing resources */
    size_t ncandidates;             /* candidates considered */
    size_t searches;                /* bounded searches run */
    int method;                     /* network nodes: SUGGEST_EXACT or SUGGEST_CELLS used */
    double cell_m;                  /* SUGGEST_CELLS: the cells' side in metres, else 0 */
    size_t ncells;                  /* SUGGEST_CELLS: cells holding candidates, else 0 */
    size_t npicks;                  /* picks made (< sites when nothing more helps) */
    struct suggest_pick *picks;     /* in pick order */
};

/* Audits coverage, then picks up to p->sites new sites (see the header
 * comment). Uses ws's search workspace (ws made on net). ERR_INPUT for bad
 * parameters or when the candidate kind equals the resource kind audited,
 * ERR_NOTFOUND when the candidate kind has no resource on the network,
 * ERR_LIMIT past SUGGEST_MAX_PAIRS, or - checked before any search - when
 * network-node candidates would need more than max_work node visits (the
 * message says what to narrow). On failure *out is NULL. */
int suggest_run(struct store *st, const struct walk_net *net, struct walk_session *ws,
                const struct suggest_params *p, struct suggest_result **out, struct err *e);

/* Frees a result; NULL is ignored. */
void suggest_result_free(struct suggest_result *r);

#endif
