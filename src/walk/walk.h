/* SPDX-License-Identifier: MIT */
/* walk.h - the walking engine bound to a database: "which resources can be
 * reached on foot within N minutes from this point".
 *
 * struct walk_net is loaded once from the store (graph, resources snapped to
 * the network, the database CRS) and is read-only afterwards, so any number
 * of threads may share it. Each thread queries through its own
 * struct walk_session (search workspace, PROJ handle, result buffers).
 *
 * Semantics (README "Walking semantics"): a point joins the network at the
 * nearest point of the nearest walkable edge (straight access leg, counted
 * in the distance); a point farther than max_snap_m (default 500 m) is off
 * the network and reported as such. Distance is metres along the streets;
 * steps edges cost steps_factor times their length; minutes = metres /
 * speed (m/min). A resource is within reach when its walking distance is at
 * most minutes x speed.
 *
 * Entry points: walk_preset_find, walk_presets, walk_net_load,
 * walk_net_load_resident,
 * walk_net_free, walk_net_graph, walk_net_resource_count, walk_net_resource,
 * walk_net_srid, walk_net_stats, walk_query_parse, walk_parse_number,
 * walk_session_new, walk_session_free, walk_reachable, walk_reached_edges,
 * walk_session_to_xy, walk_session_to_lonlat, walk_query_check,
 * walk_query_parse_options, walk_resource_matches, walk_session_search.
 */
#ifndef TSUNAGU_WALK_H
#define TSUNAGU_WALK_H

#include "err.h"
#include "graph.h"
#include "hours.h"
#include "search.h"
#include "store.h"

#include <stddef.h>
#include <stdint.h>

/* Input limits of a query (ERR_INPUT outside them). */
#define WALK_MIN_MINUTES 1.0
#define WALK_MAX_MINUTES 180.0
#define WALK_MIN_SPEED 10.0  /* m/min */
#define WALK_MAX_SPEED 150.0 /* m/min */
#define WALK_DEFAULT_SPEED 80.0
#define WALK_DEFAULT_SNAP_M 500.0
#define WALK_DEFAULT_MINUTES 30.0
#define WALK_MAX_SNAP_M 5000.0

/* Walking-speed presets (domain.md): 80 m/min is the Japanese convention. */
struct walk_preset {
    const char *key;   /* general | slow | elderly */
    const char *label; /* 一般 | ゆっくり | 高齢・杖 */
    double speed;      /* m/min */
};
/* Looks up a preset by key or label; NULL when unknown. */
const struct walk_preset *walk_preset_find(const char *name);
/* The presets, terminated by an entry with key NULL. */
const struct walk_preset *walk_presets(void);

/* A resource as the engine knows it (strings owned by the walk_net). */
struct walk_resource {
    long id;      /* store rowid */
    char *ext_id; /* the stable id (store_register.h); a candidate's id in its file */
    char *name;
    char *kind;
    char *fields;             /* "elderly;children", "all", "unspecified" */
    int field_mask;           /* vocab.h bits */
    char *hub_type;           /* or NULL */
    char *address;            /* or NULL */
    char *schedule;           /* opening hours or NULL */
    struct hours *hours;      /* schedule read as opening_hours (owned), NULL when there is
                                 none or it is unparsed */
    char *contact;            /* or NULL */
    char *target;             /* ";"-joined target groups (resfields.h) or NULL */
    double x, y;              /* database CRS */
    double lon, lat;          /* WGS84 */
    int on_network;           /* 0 when farther than the load's snap limit */
    int candidate;            /* 1 for a candidate site (kind WALK_CANDIDATE_KIND), not a
                                 resource: never listed unless that kind is asked for */
    struct graph_place place; /* where it joins the network (when on_network) */
};

/* The kind under which candidate sites (store candidates table) appear. */
#define WALK_CANDIDATE_KIND "candidate"

struct walk_net;

/* Loads the network and resources of `st`. The graph is mapped from the
 * graph file beside the database (DB.graph, graph_file.h) when that is
 * sound and of the database's network version; otherwise it is built from
 * the database and the file (re)written when the directory allows, which
 * is also how a network import leaves the file behind. Resources farther than
 * max_snap_m (0 = default) from any edge are kept but marked off-network.
 * ERR_NOTFOUND when the database has no walking network. The caller frees
 * the result with walk_net_free. */
struct walk_net *walk_net_load(struct store *st, double max_snap_m, struct err *e);
/* walk_net_load for a process that answers many queries (the server, the
 * benchmarks): the graph file is read into memory on huge pages
 * (GRAPH_FILE_RESIDENT, graph_file.h), which costs ~50 ms more to load at
 * 2M edges and makes a query after other work several times quicker. */
struct walk_net *walk_net_load_resident(struct store *st, double max_snap_m, struct err *e);
void walk_net_free(struct walk_net *n);

/* Borrowed views. */
const struct graph *walk_net_graph(const struct walk_net *n);
size_t walk_net_resource_count(const struct walk_net *n);
const struct walk_resource *walk_net_resource(const struct walk_net *n, size_t i);
int walk_net_srid(const struct walk_net *n);

/* Where walk_net_load found the graph (graph_file.h). */
enum walk_graph_from {
    WALK_GRAPH_BUILT,       /* built from the database; the graph file could not be saved */
    WALK_GRAPH_BUILT_SAVED, /* built from the database and saved as the graph file */
    WALK_GRAPH_MAPPED       /* mapped from a sound graph file of this network version */
};

/* Load figures for reports and benchmarks. */
struct walk_net_stats {
    int graph_from;        /* enum walk_graph_from */
    uint32_t nodes, edges; /* graph size */
    size_t graph_bytes;    /* graph_memory_bytes */
    double load_ms;        /* wall time of walk_net_load */
    size_t resources;      /* all resources */
    size_t resources_off;  /* resources off the network */
};
void walk_net_stats(const struct walk_net *n, struct walk_net_stats *s);

/* A query. */
struct walk_query {
    double lon, lat;        /* origin, WGS84 degrees */
    double minutes;         /* WALK_MIN_MINUTES..WALK_MAX_MINUTES */
    double speed;           /* m/min; 0 = WALK_DEFAULT_SPEED */
    const char *kind;       /* only this kind, or NULL */
    int field_mask;         /* only resources serving any of these fields (or all), 0 = any */
    double steps_factor;    /* >= 1; 0 = 1 (no penalty) */
    double max_snap_m;      /* 0 = WALK_DEFAULT_SNAP_M */
    const char *target;     /* only resources for this target group (or for everyone), or NULL */
    struct hours_when when; /* only resources open then (HOURS_WHEN_ANY: all); when.at is
                               also where "next opening" is counted from */
};

/* One reachable resource. */
struct walk_hit {
    size_t resource; /* index for walk_net_resource */
    double walk_m;   /* walking distance including both access legs */
};

/* A query's answer; arrays borrowed from the session until its next query. */
struct walk_result {
    double snap_m;               /* origin's access leg */
    double origin_x, origin_y;   /* origin in the database CRS */
    double limit_m;              /* minutes x speed */
    double speed;                /* speed used */
    size_t n;                    /* reachable resources */
    const struct walk_hit *hits; /* nearest first (ties: lower resource index) */
};

/* A query as a person wrote it (CLI options or HTTP parameters): text
 * values, NULL when not given. */
struct walk_query_text {
    const char *lon, *lat;    /* required, WGS84 degrees */
    const char *minutes;      /* default WALK_DEFAULT_MINUTES */
    const char *speed;        /* m/min or a preset key/label; default WALK_DEFAULT_SPEED */
    const char *kind;         /* a kind key, e.g. consultation (borrowed by the query) */
    const char *field;        /* one field name (vocab_field_bit) */
    const char *steps_factor; /* >= 1 */
    const char *max_snap;     /* metres */
    const char *target;       /* a target group key, e.g. elderly (borrowed by the query) */
    const char *open_at;      /* local time YYYY-MM-DDTHH:MM: only resources open then */
    const char *open_on;      /* weekday (We, 水): only resources open some time that day */
};

/* Parses t into q and checks every range walk_reachable checks, so callers
 * at any edge validate alike. Messages name a parameter as `prefix` + its
 * name ("--minutes" for the CLI with prefix "--", "minutes" for HTTP with
 * ""). A kind must be given as its key: another spelling vocab_kind knows
 * (相談窓口) is refused with the key to use. Returns ERR_INPUT with one
 * sentence; q is then unspecified. q->kind borrows t->kind, q->target
 * t->target (a target group given as its key, as kinds are). */
int walk_query_parse(const struct walk_query_text *t, const char *prefix, struct walk_query *q,
                     struct err *e);

/* num_double (core/num.h: one finite decimal number, nothing else) for a
 * query parameter named prefix + name ("--minutes", "route: dwell"); leaves
 * *out when text is NULL. ERR_INPUT otherwise. Used by every query
 * parameter of the CLI, HTTP and route bodies. */
int walk_parse_number(const char *text, const char *prefix, const char *name, double *out,
                      struct err *e);

struct walk_session;

/* A per-thread session on a loaded net (borrowed: the net must outlive it).
 * Free with walk_session_free. */
struct walk_session *walk_session_new(const struct walk_net *n, struct err *e);
void walk_session_free(struct walk_session *s);

/* Validates q (ERR_INPUT naming the parameter), snaps the origin (ERR_INPUT
 * "off the network" beyond max_snap_m) and lists every matching resource
 * within reach, nearest first. */
int walk_reachable(struct walk_session *s, const struct walk_query *q, struct walk_result *r,
                   struct err *e);

/* Runs the same validated search as walk_reachable and exposes the reached
 * stretches of edges (for isochrones); borrowed until the next query. */
int walk_reached_edges(struct walk_session *s, const struct walk_query *q,
                       const struct search_interval **iv, size_t *n, struct walk_result *r,
                       struct err *e);

/* Projects lon/lat into the database CRS and back with the session's PROJ
 * handle (ERR_INPUT outside the database's area). */
int walk_session_to_xy(struct walk_session *s, double lon, double lat, double *x, double *y,
                       struct err *e);
int walk_session_to_lonlat(struct walk_session *s, double x, double y, double *lon, double *lat);

/* ---- for the planning modules (coverage, suggest, route) ---- */

/* Checks every range of q that does not concern the origin (minutes, speed,
 * steps factor, off-network limit, field) exactly as walk_reachable does and
 * fills r->speed and r->limit_m (other members zero). ERR_INPUT naming the
 * parameter; r is then unspecified. */
int walk_query_check(const struct walk_query *q, struct walk_result *r, struct err *e);

/* As walk_query_parse for queries without an origin (coverage audits, site
 * suggestions): t->lon and t->lat must be NULL (ERR_INPUT otherwise) and
 * q->lon, q->lat are left NaN. */
int walk_query_parse_options(const struct walk_query_text *t, const char *prefix,
                             struct walk_query *q, struct err *e);

/* 1 when resource w takes part in q: on the network and matching q's kind,
 * field and opening-time filters (the matching walk_reachable applies), else
 * 0. With an opening-time filter a resource without a readable schedule
 * does not take part (it is not known to be open). */
int walk_resource_matches(const struct walk_resource *w, const struct walk_query *q);

/* The session's search workspace (borrowed, same lifetime as the session)
 * for searches walk.h does not offer. Running a search on it ends the
 * validity of results the session lent out earlier. */
struct search *walk_session_search(struct walk_session *s);

#endif
