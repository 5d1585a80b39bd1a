/* SPDX-License-Identifier: MIT */
/* report_data.h - everything a report shows, gathered before any drawing:
 * the municipality and the credits from the database, the coverage answer
 * with the figures the caller's role may see (disclose_plan.h decides them,
 * the same decision /api/coverage and the coverage tiles use), the
 * districts' outlines and the matching resources projected to the
 * database's metric CRS through the geo layer (crs.h).
 *
 * Entry points: report_data_load, report_data_free, report_data_needs,
 * report_data_hidden, report_data_share. */
#ifndef TSUNAGU_REPORT_DATA_H
#define TSUNAGU_REPORT_DATA_H

#include "coverage.h"
#include "disclose_plan.h"
#include "equipment.h"
#include "needs.h"
#include "err.h"
#include "store.h"
#include "walk.h"

#include <jansson.h>
#include <stddef.h>

#define REPORT_DATA_RINGS_MAX 100000   /* rings of all districts */
#define REPORT_DATA_POINTS_MAX 5000000 /* vertices of all districts */
#define REPORT_DATA_TEXT 256           /* bytes of the municipality, a credit line */

/* One ring of a district outline (x, y in the database's metric CRS). */
struct report_ring {
    size_t district; /* index into districts of the coverage result */
    size_t first, n; /* vertices xy[2 * first ...], n of them */
};

/* A matching resource drawn as a symbol. */
struct report_point {
    double x, y;      /* metric CRS */
    const char *name; /* borrowed from the network */
    int on_network;   /* 0: off the network (drawn hollow) */
};

/* What a report shows (report_data_load fills it; report_data_free frees). */
struct report_data {
    char municipality[REPORT_DATA_TEXT]; /* from --municipality or meta "municipality" */
    char credits[4 * REPORT_DATA_TEXT];  /* the sources' credits, joined with " / " */
    char crs_name[REPORT_DATA_TEXT];     /* the metric CRS the map is drawn in */
    int srid;                            /* its EPSG code */
    double north;                        /* angle of true north from the map's up, radians,
                                            clockwise */
    int suppress;                        /* 1: small counts hidden (dc holds the states) */
    struct coverage_result *cov;         /* the audit (owned) */
    struct disclose_plan_coverage dc;    /* the states of its figures (suppress only) */
    size_t nrings;
    struct report_ring *rings; /* outlines by district */
    double *xy;                /* their vertices */
    double box[4];             /* min x, min y, max x, max y of the outlines */
    size_t npoints;
    struct report_point *points; /* matching resources */
    struct equipment_result *eq; /* the equipment table's answer (owned), NULL when not asked */
    json_t *needs;               /* the needs table's answer as the role sees it: the document
                                    of `needs [--official] --json` (owned), NULL when not asked */
    const json_t *compare[3];    /* changes since a snapshot of coverage, needs, equipment
                                    (report_params', borrowed), NULL: none */
};

/* Gathers a report's data: the audit p (p->level required: ERR_INPUT
 * otherwise) on st/net/ws, decided for the official's view when `suppress`
 * (disclose_plan_answer) and as the local operator sees it otherwise
 * (coverage_run); `municipality` overrides the meta value when not NULL.
 * ERR_NOTFOUND when the level has no district with an outline or no
 * resource matches p's kind and field. On success
 * *out is new; on failure NULL and nothing leaks. */
int report_data_load(struct store *st, const struct walk_net *net, struct walk_session *ws,
                     const struct coverage_params *p, int suppress, const char *municipality,
                     struct report_data **out, struct err *e);
void report_data_free(struct report_data *d);

/* Adds the needs answer for d's level to d->needs: an official's (d->suppress:
 * disclose_needs_answer with DISCLOSE_K, the answer of GET /api/needs and
 * `needs --official`) or the operator's (needs_run), as needs_json renders
 * it. Fails as needs_run; d->needs stays NULL then. */
int report_data_needs(struct store *st, const struct walk_net *net, struct walk_session *ws,
                      const struct needs_params *q, struct report_data *d, struct err *e);

/* The state of district i's figures: which the reader may not see
 * (struct disclose_row, all DISCLOSE_SHOWN without suppression). */
struct disclose_row report_data_hidden(const struct report_data *d, size_t i);

/* District i's share covered, 0..1; -1 when its households or covered
 * count are hidden (not shown), -2 when it has no households. i ==
 * COVERAGE_NONE gives the total's. */
double report_data_share(const struct report_data *d, size_t i);

#endif
