/* SPDX-License-Identifier: MIT */
/* report_data.c - gathers what a report shows (see report_data.h): meta and
 * credits from the store, the coverage audit with its disclosure states,
 * district outlines (read as WGS84 WKB from the store's tile reader and
 * projected to the database's metric CRS by crs.h, the geo layer's PROJ
 * owner) and the matching resources. Entry points: report_data_load,
 * report_data_free, report_data_hidden, report_data_share. */
#include "report_data.h"

#include "crs.h"
#include "disclose.h"
#include "disclose_needs.h"
#include "needs_json.h"
#include "vec.h"
#include "wkb.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPORT_DATA_DISTRICTS_MAX 10000 /* districts of one level drawn */

/* State of the outline reader. */
struct report_data_read {
    struct report_data *d;
    struct crs *crs;  /* lon/lat -> metric */
    size_t district;  /* district of the feature being read */
    size_t cap_rings; /* capacity of d->rings */
    size_t cap_xy;    /* capacity of d->xy, in doubles */
    size_t npts;      /* vertices read */
    struct err *e;
};

/* Appends one ring of a district, projected; other sequences are ignored. */
static int report_data_ring(void *ctx, int kind, double *xy, size_t n)
{
    struct report_data_read *r = ctx;
    struct report_data *d = r->d;
    if (kind != WKB_SEQ_RING || n < 3)
        return ERR_OK;
    if (d->nrings >= REPORT_DATA_RINGS_MAX || r->npts + n > REPORT_DATA_POINTS_MAX)
        return err_set(r->e, ERR_LIMIT, "the districts have more than %d rings or %d vertices",
                       REPORT_DATA_RINGS_MAX, REPORT_DATA_POINTS_MAX);
    if (vec_reserve((void **)&d->rings, &r->cap_rings, d->nrings + 1, sizeof *d->rings) != ERR_OK ||
        vec_reserve((void **)&d->xy, &r->cap_xy, 2 * (r->npts + n), sizeof *d->xy) != ERR_OK)
        return err_nomem(r->e);
    for (size_t i = 0; i < n; i++) {
        double *p = d->xy + 2 * (r->npts + i);
        if (crs_to_xy(r->crs, xy[2 * i], xy[2 * i + 1], &p[0], &p[1]) != ERR_OK)
            return err_set(r->e, ERR_INPUT, "a district's outline cannot be projected");
        d->box[0] = fmin(d->box[0], p[0]);
        d->box[1] = fmin(d->box[1], p[1]);
        d->box[2] = fmax(d->box[2], p[0]);
        d->box[3] = fmax(d->box[3], p[1]);
    }
    d->rings[d->nrings++] = (struct report_ring){r->district, r->npts, n};
    r->npts += n;
    return ERR_OK;
}

/* One district of the level: its rings, tied to the audit's row of its code
 * (a district the audit does not name is skipped). */
static int report_data_feature(void *ctx, const struct store_tiles_row *row)
{
    struct report_data_read *r = ctx;
    const struct coverage_result *c = r->d->cov;
    const char *code = row->text[0];
    r->district = COVERAGE_NONE;
    for (size_t i = 0; code && i < c->ndistricts; i++)
        if (c->districts[i].code && strcmp(c->districts[i].code, code) == 0)
            r->district = i;
    if (r->district == COVERAGE_NONE)
        return ERR_OK;
    return wkb_visit(row->wkb, row->wkb_len, report_data_ring, r, r->e);
}

/* Appends a credit to d->credits. */
static int report_data_credit(void *ctx, const char *text)
{
    struct report_data *d = ctx;
    size_t n = strlen(d->credits);
    snprintf(d->credits + n, sizeof d->credits - n, "%s%s", n ? " / " : "", text);
    return 0;
}

/* The angle of true north on a map drawn in the metric CRS (grid
 * convergence), at the middle of the outlines. */
static double report_data_north(struct crs *crs, const double box[4])
{
    double cx = (box[0] + box[2]) / 2, cy = (box[1] + box[3]) / 2, lon, lat, nx, ny;
    if (crs_to_lonlat(crs, cx, cy, &lon, &lat) != ERR_OK ||
        crs_to_xy(crs, lon, lat + 0.01, &nx, &ny) != ERR_OK)
        return 0;
    return atan2(nx - cx, ny - cy);
}

/* Outlines and resources (d->cov set). */
static int report_data_shapes(struct store *st, const struct walk_net *net,
                              const struct coverage_params *p, struct report_data *d, struct err *e)
{
    d->srid = store_srid(st);
    crs_name(d->srid, d->crs_name, sizeof d->crs_name);
    struct crs *crs = crs_open(d->srid, e);
    if (crs == NULL)
        return e->code;
    struct report_data_read r = {.d = d, .crs = crs, .e = e};
    d->box[0] = d->box[1] = INFINITY;
    d->box[2] = d->box[3] = -INFINITY;
    double all[4] = {-1e12, -1e12, 1e12, 1e12};
    int rc = store_tiles_each(st, STORE_TILES_DISTRICTS, p->level, all, REPORT_DATA_DISTRICTS_MAX,
                              report_data_feature, &r, e);
    if (rc == ERR_LIMIT)
        err_set(e, ERR_LIMIT, "the level %s has more than %d districts to draw", p->level,
                REPORT_DATA_DISTRICTS_MAX);
    if (rc == ERR_OK && d->nrings == 0)
        rc = err_set(e, ERR_NOTFOUND, "the district level %s has no outline to draw", p->level);
    size_t n = walk_net_resource_count(net);
    if (rc == ERR_OK && (d->points = calloc(n + 1, sizeof *d->points)) == NULL)
        rc = err_nomem(e);
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        const struct walk_resource *w = walk_net_resource(net, i);
        struct report_point *pt = &d->points[d->npoints];
        if (!walk_resource_matches(w, &p->walk) ||
            crs_to_xy(crs, w->lon, w->lat, &pt->x, &pt->y) != ERR_OK)
            continue;
        pt->name = w->name;
        pt->on_network = w->on_network;
        d->npoints++;
    }
    /* A report on resources that are not there is a typing error, not a
     * map of empty coverage. */
    if (rc == ERR_OK && d->npoints == 0)
        rc = err_set(e, ERR_NOTFOUND, "there is no resource of kind %s%s to report on",
                     p->walk.kind ? p->walk.kind : "(any)",
                     p->walk.field_mask ? " in that field" : "");
    if (rc == ERR_OK)
        d->north = report_data_north(crs, d->box);
    crs_close(crs);
    return rc;
}

int report_data_load(struct store *st, const struct walk_net *net, struct walk_session *ws,
                     const struct coverage_params *p, int suppress, const char *municipality,
                     struct report_data **out, struct err *e)
{
    *out = NULL;
    if (p->level == NULL)
        return err_set(e, ERR_INPUT, "a report needs a district level (--level)");
    struct report_data *d = calloc(1, sizeof *d);
    if (d == NULL)
        return err_nomem(e);
    d->suppress = suppress;
    if (municipality)
        snprintf(d->municipality, sizeof d->municipality, "%s", municipality);
    else if (store_meta_get(st, "municipality", d->municipality, sizeof d->municipality, NULL) !=
             ERR_OK)
        d->municipality[0] = '\0';
    int rc = suppress ? disclose_plan_answer(st, net, ws, p, DISCLOSE_K, &d->cov, &d->dc, e)
                      : coverage_run(st, net, ws, p, &d->cov, e);
    if (rc == ERR_OK)
        rc = store_attrib_each(st, report_data_credit, d, e);
    if (rc == ERR_OK)
        rc = report_data_shapes(st, net, p, d, e);
    if (rc != ERR_OK) {
        report_data_free(d);
        return rc;
    }
    *out = d;
    return ERR_OK;
}

void report_data_free(struct report_data *d)
{
    if (d == NULL)
        return;
    if (d->suppress && d->cov)
        disclose_plan_coverage_clear(&d->dc);
    coverage_result_free(d->cov);
    equipment_result_free(d->eq);
    json_decref(d->needs);
    free(d->rings);
    free(d->xy);
    free(d->points);
    free(d);
}

int report_data_needs(struct store *st, const struct walk_net *net, struct walk_session *ws,
                      const struct needs_params *q, struct report_data *d, struct err *e)
{
    struct needs_params p = *q;
    p.level = d->cov->level;
    struct needs_result *r = NULL;
    struct needs_view v = {0};
    /* The official's: exactly GET /api/needs's decision, never another. */
    int rc = d->suppress ? disclose_needs_answer(st, net, ws, &p, DISCLOSE_K, &r, &v, e)
                         : needs_run(st, &p, &r, e);
    if (rc == ERR_OK && (d->needs = needs_json(r, d->suppress ? &v : NULL)) == NULL)
        rc = err_nomem(e);
    needs_view_free(&v);
    needs_result_free(r);
    return rc;
}

struct disclose_row report_data_hidden(const struct report_data *d, size_t i)
{
    struct disclose_row none = {0};
    if (!d->suppress)
        return none;
    return i == COVERAGE_NONE ? d->dc.total : d->dc.districts[i];
}

double report_data_share(const struct report_data *d, size_t i)
{
    const struct coverage_district *c = i == COVERAGE_NONE ? &d->cov->total : &d->cov->districts[i];
    struct disclose_row s = report_data_hidden(d, i);
    if (s.households || s.covered)
        return -1;
    if (c->households <= 0)
        return -2;
    return (double)c->households_covered / (double)c->households;
}
