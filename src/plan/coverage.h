/* SPDX-License-Identifier: MIT */
/* coverage.h - the coverage audit: which at-risk households (and, where
 * census small areas are imported, how many residents) have a matching
 * resource within N minutes' walk, per district of a level, per resource
 * (its load) and for the whole municipality.
 *
 * Method. The matching resources on the network are the sources of ONE
 * multi-source search (search_run) whose targets are every household and
 * every small area's representative point (ST_PointOnSurface); the search
 * is not cut at the limit, so the nearest resource is known beyond it too
 * (for median and worst minutes). Each target gets its nearest resource and
 * walking distance, the same as a walk query from that point would give.
 * Points farther than the off-network limit from any street are counted
 * apart and never as covered; points in a part of the network no matching
 * resource reaches are "unreachable". The district of a point comes from a
 * spatial join in the store; points outside every district form a
 * "(no district)" row instead of being dropped.
 *
 * Privacy. The result keeps its parts apart so an edge can hide the
 * household-level one: district aggregates and the total (`districts`,
 * `total`), per-resource loads (`loads`), small areas (`areas`, public
 * census data), and the sensitive per-household table (`households`: ids,
 * positions, distances), which only roles allowed to see households may
 * receive. Messages never carry household data.
 *
 * Entry points: coverage_params_parse, coverage_run, coverage_result_free,
 * coverage_uncovered_count, coverage_status_word. */
#ifndef TSUNAGU_COVERAGE_H
#define TSUNAGU_COVERAGE_H

#include "err.h"
#include "graph.h"
#include "store.h"
#include "walk.h"

#include <stddef.h>

/* Name of the row for points outside every district of the level. */
#define COVERAGE_NO_DISTRICT "(no district)"
/* "No index" for districts and resources. */
#define COVERAGE_NONE ((size_t)-1)

/* What to audit. */
struct coverage_params {
    struct walk_query walk; /* minutes, speed, kind, field_mask, steps_factor, max_snap_m
                               (lon/lat unused); validated as walk_reachable does */
    const char *level;      /* district level for the breakdown, or NULL for the total only */
};

/* The parameters as a person wrote them (CLI options, HTTP query): text,
 * NULL when not given. */
struct coverage_text {
    const char *minutes;      /* default WALK_DEFAULT_MINUTES */
    const char *speed;        /* m/min or a walk preset */
    const char *kind;         /* resource kind (borrowed by the params) */
    const char *field;        /* one statutory field */
    const char *steps_factor; /* >= 1 */
    const char *max_snap;     /* off-network limit, metres */
    const char *level;        /* district level key (borrowed by the params) */
    const char *target;       /* one target group key (borrowed by the params) */
    const char *open_at;      /* only resources open at this local time (walk.h) */
    const char *open_on;      /* only resources open some time on this weekday */
};

/* Parses t into p with walk.h's rules; parameter names in messages get
 * `prefix` ("--" for the CLI, "" for HTTP). ERR_INPUT with one sentence. */
int coverage_params_parse(const struct coverage_text *t, const char *prefix,
                          struct coverage_params *p, struct err *e);

/* How a point stands. */
enum coverage_status {
    COVERAGE_COVERED = 0,     /* nearest matching resource within the limit */
    COVERAGE_BEYOND = 1,      /* reachable, but the nearest is beyond the limit */
    COVERAGE_UNREACHABLE = 2, /* on the network, but no matching resource connects to it */
    COVERAGE_OFF_NETWORK = 3  /* farther than the off-network limit from any street */
};

/* Aggregates of one district, of the "(no district)" row, or of the total. */
struct coverage_district {
    char *code;                  /* district code (owned); NULL for "(no district)" and total */
    char *name;                  /* display name (owned) */
    long households;             /* households in the district, off-network ones included */
    long households_covered;     /* of which covered */
    long households_off_network; /* of which off the network (never covered) */
    long households_unreachable; /* of which on the network but unreachable */
    long households_approx;      /* of which placed only at town or municipality level (their
                                    walks are those of a representative point; issue 11) */
    double median_m;             /* median nearest walk over on-network households (unreachable
                                    count as infinite): NAN when there are none, INFINITY when
                                    the median is unreachable */
    double max_m;                /* worst nearest walk, same conventions */
    long areas;                  /* small areas whose representative point lies here */
    long residents;              /* their residents */
    long residents_covered;      /* residents of covered areas */
    long residents_off_network;  /* residents of areas off the network */
};

/* The load of one matching resource on the network. */
struct coverage_load {
    size_t resource;                 /* index for walk_net_resource */
    long households_nearest;         /* households for which it is the nearest (any distance) */
    long households_nearest_covered; /* of those, within the limit */
    long residents_nearest;          /* residents of areas for which it is the nearest */
    long residents_nearest_covered;  /* of those, within the limit */
};

/* One household (SENSITIVE: the household-level part of the result). */
struct coverage_household {
    long id;                  /* store rowid */
    char *ext_id;             /* id in the source file (owned) */
    int members;              /* household members */
    int approx;               /* 1: placed at town or municipality level only */
    double x, y;              /* position, database CRS */
    size_t district;          /* index into districts, or COVERAGE_NONE without a level */
    int status;               /* enum coverage_status */
    double nearest_m;         /* walk to the nearest matching resource; INFINITY when
                                 unreachable or off the network */
    size_t nearest;           /* that resource (walk_net_resource index) or COVERAGE_NONE */
    struct graph_place place; /* where it joins the network (status != OFF_NETWORK) */
};

/* One census small area, weighted at its representative point. */
struct coverage_area {
    long id;                  /* store rowid */
    char *code;               /* small-area code (owned, may be NULL) */
    char *name;               /* name (owned, may be NULL) */
    long residents;           /* population */
    double x, y;              /* representative point, database CRS */
    size_t district;          /* index into districts, or COVERAGE_NONE */
    int status;               /* enum coverage_status */
    double nearest_m;         /* as for households */
    size_t nearest;           /* as for households */
    struct graph_place place; /* where the point joins the network */
};

/* A coverage audit's answer (caller frees with coverage_result_free). */
struct coverage_result {
    double minutes; /* limit in minutes */
    double speed;   /* m/min used */
    double limit_m; /* minutes x speed */
    char *kind;     /* kind filter (owned) or NULL */
    int field_mask; /* field filter, 0 = any */
    char *level;    /* level (owned) or NULL */
    /* Part 1: aggregates (public once small counts are suppressed). */
    size_t ndistricts; /* rows: districts by code, then "(no district)" if used */
    struct coverage_district *districts;
    struct coverage_district total; /* municipality-wide */
    int have_areas;                 /* 1 when small areas with residents are imported */
    size_t resources_off_network;   /* matching resources off the network (not sources) */
    /* Part 2: per-resource loads, in resource order. */
    size_t nloads;
    struct coverage_load *loads;
    /* Part 3: small areas (public census data). */
    size_t nareas;
    struct coverage_area *areas;
    /* Part 4: SENSITIVE per-household table, in store id order. */
    size_t nhouseholds;
    struct coverage_household *households;
};

/* Runs the audit on the store's households, small areas and districts with
 * the resources and network of `net`, using the search workspace of session
 * `ws` (made on `net`). Validates p (ERR_INPUT naming the parameter; an
 * unknown or empty level is ERR_NOTFOUND). On success *out holds a new
 * result; on failure *out is NULL and nothing leaks. */
int coverage_run(struct store *st, const struct walk_net *net, struct walk_session *ws,
                 const struct coverage_params *p, struct coverage_result **out, struct err *e);

/* Frees a result; NULL is ignored. */
void coverage_result_free(struct coverage_result *r);

/* Number of households in r that are not covered (every status but
 * COVERAGE_COVERED): the length of the uncovered list. */
size_t coverage_uncovered_count(const struct coverage_result *r);

/* Short English word for a status: "covered", "beyond_limit",
 * "unreachable", "off_network". */
const char *coverage_status_word(int status);

#endif
