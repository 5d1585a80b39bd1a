/* SPDX-License-Identifier: MIT */
/* walk.c - the walking engine bound to a database (see walk.h): loads the
 * stored network into a graph, snaps resources once, and answers reachability
 * queries through per-thread sessions. Entry points: walk_net_load,
 * walk_session_new, walk_reachable, walk_reached_edges, walk_query_parse;
 * for the planning modules walk_query_check, walk_query_parse_options,
 * walk_resource_matches, walk_session_search. */
#include "walk.h"

#include "graph_file.h"

#include "resfields.h"

#include "crs.h"
#include "num.h"
#include "vocab.h"
#include "vec.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const struct walk_preset walk_preset_table[] = {
    {"general", "一般", 80.0},
    {"slow", "ゆっくり", 60.0},
    {"elderly", "高齢・杖", 45.0},
    {NULL, NULL, 0.0},
};

const struct walk_preset *walk_presets(void)
{
    return walk_preset_table;
}

const struct walk_preset *walk_preset_find(const char *name)
{
    for (const struct walk_preset *p = walk_preset_table; name && p->key; p++)
        if (strcasecmp(name, p->key) == 0 || strcmp(name, p->label) == 0)
            return p;
    return NULL;
}

struct walk_net {
    struct graph *graph;         /* owned */
    struct walk_resource *res;   /* owned array */
    size_t nres;                 /* resources, then candidate sites */
    size_t nresources;           /* of which real resources (the first ones) */
    int srid;                    /* database CRS */
    struct walk_net_stats stats; /* load figures */
};

/* State while streaming the network out of the store. */
struct walk_loader {
    struct graph_builder *b; /* builder being filled */
    long *ids;               /* store node id of graph node i (ascending) */
    size_t n, cap;           /* nodes so far, capacity of ids */
    struct err *e;           /* where errors go */
};

static int walk_load_node(void *ctx, long id, double x, double y)
{
    struct walk_loader *l = ctx;
    if (vec_reserve((void **)&l->ids, &l->cap, l->n + 1, sizeof *l->ids) != ERR_OK)
        return err_nomem(l->e);
    if (l->n > 0 && id <= l->ids[l->n - 1])
        return err_set(l->e, ERR_IO, "network nodes are not in ascending id order");
    if (graph_builder_add_node(l->b, x, y, NULL, l->e) != ERR_OK)
        return l->e->code;
    l->ids[l->n++] = id;
    return ERR_OK;
}

static int walk_node_index(const struct walk_loader *l, long id, uint32_t *out)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == l->n || l->ids[lo] != id)
        return ERR_NOTFOUND;
    *out = (uint32_t)lo;
    return ERR_OK;
}

static int walk_load_edge(void *ctx, long id, long source, long target, double length_m, int flags,
                          const double *xy, size_t npts)
{
    struct walk_loader *l = ctx;
    uint32_t u, v;
    if (walk_node_index(l, source, &u) != ERR_OK || walk_node_index(l, target, &v) != ERR_OK)
        return err_set(l->e, ERR_IO, "network edge %ld refers to a missing node", id);
    if (graph_builder_add_edge(l->b, u, v, length_m, (unsigned)flags & GRAPH_EDGE_FLAGS_MAX, xy,
                               npts, NULL, l->e) != ERR_OK) {
        err_prefix(l->e, "network edge %ld: ", id);
        return l->e->code;
    }
    return ERR_OK;
}

static char *walk_dup(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* State while reading resources. */
struct walk_res_loader {
    struct walk_net *net;
    size_t cap;
    struct crs *crs;
    double max_snap_m;
    struct err *e;
};

static int walk_load_resource(void *ctx, const struct store_resource_row *r)
{
    struct walk_res_loader *l = ctx;
    struct walk_net *n = l->net;
    if (vec_reserve((void **)&n->res, &l->cap, n->nres + 1, sizeof *n->res) != ERR_OK)
        return err_nomem(l->e);
    struct walk_resource *w = &n->res[n->nres];
    memset(w, 0, sizeof *w);
    n->nres++;
    w->id = r->id;
    w->ext_id = walk_dup(r->rid ? r->rid : r->ext_id); /* the register's stable id */
    w->name = walk_dup(r->name);
    w->kind = walk_dup(r->kind);
    w->fields = walk_dup(r->fields);
    w->hub_type = walk_dup(r->hub_type);
    w->address = walk_dup(r->address);
    w->schedule = walk_dup(r->schedule);
    w->contact = walk_dup(r->contact);
    w->target = walk_dup(r->target);
    if ((r->ext_id && !w->ext_id) || (r->name && !w->name) || (r->kind && !w->kind) ||
        (r->fields && !w->fields) || (r->hub_type && !w->hub_type) || (r->address && !w->address) ||
        (r->schedule && !w->schedule) || (r->contact && !w->contact) || (r->target && !w->target))
        return err_nomem(l->e);
    /* An unparsed schedule (free text) leaves hours NULL: it takes part
     * in no opening-time filter. */
    if (r->schedule && hours_parse(r->schedule, &w->hours, NULL) == ERR_NOMEM)
        return err_nomem(l->e);
    w->field_mask = r->field_mask;
    w->x = r->x;
    w->y = r->y;
    if (crs_to_lonlat(l->crs, r->x, r->y, &w->lon, &w->lat) != ERR_OK)
        return err_set(l->e, ERR_IO, "resource %ld cannot be projected to WGS84", r->id);
    struct err snap_err = {0};
    int rc = graph_snap(n->graph, r->x, r->y, l->max_snap_m, &w->place, &snap_err);
    if (rc == ERR_OK)
        w->on_network = 1;
    else if (rc == ERR_NOTFOUND)
        n->stats.resources_off++;
    else
        return err_set(l->e, rc, "resource %ld: %s", r->id, snap_err.msg);
    return ERR_OK;
}

/* Candidate sites join the same array after the resources, as kind
 * WALK_CANDIDATE_KIND with candidate = 1, so suggest can snap and search
 * them like resources while every listing of resources leaves them out. */
static int walk_load_candidate(void *ctx, const struct store_candidate_row *c)
{
    struct store_resource_row r = {.id = c->id,
                                   .ext_id = c->ext_id,
                                   .name = c->name,
                                   .kind = WALK_CANDIDATE_KIND,
                                   .fields = "unspecified",
                                   .target = c->kind_hint,
                                   .x = c->x,
                                   .y = c->y};
    struct walk_res_loader *l = ctx;
    int rc = walk_load_resource(ctx, &r);
    if (rc == ERR_OK)
        l->net->res[l->net->nres - 1].candidate = 1;
    return rc;
}

static double walk_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Build n's graph from the store's rows. */
static int walk_net_graph_build(struct walk_net *n, struct store *st, struct walk_loader *l,
                                struct err *e)
{
    l->b = graph_builder_new(e);
    if (l->b == NULL)
        return e->code;
    struct store_net_cb cb = {l, walk_load_node, walk_load_edge};
    if (store_network_load(st, &cb, e) != ERR_OK) {
        graph_builder_free(l->b);
        return e->code;
    }
    n->graph = graph_builder_finish(l->b, e);
    return n->graph != NULL ? ERR_OK : e->code;
}

/* n's graph: mapped from the graph file beside the database when that file
 * is sound and of this network version (graph_file.h), else built from the
 * store and saved there for the next load (when the directory is writable;
 * a read-only one just keeps the graph in memory). How it went is recorded
 * in n->stats.graph_from. */
static int walk_net_graph_load(struct walk_net *n, struct store *st, struct walk_loader *l,
                               enum graph_file_hold hold, struct err *e)
{
    char path[4096];
    unsigned long long key = 0;
    struct err fe = {0};
    const char *db = store_file_path(st);
    int keyed = db != NULL && graph_file_path(db, path, sizeof path, &fe) == ERR_OK &&
                store_network_version(st, &key, &fe) == ERR_OK;
    if (keyed) {
        n->graph = graph_file_map(path, key, hold, &fe);
        if (n->graph != NULL) {
            n->stats.graph_from = WALK_GRAPH_MAPPED;
            return ERR_OK;
        }
    }
    if (walk_net_graph_build(n, st, l, e) != ERR_OK)
        return e->code;
    n->stats.graph_from = WALK_GRAPH_BUILT;
    if (keyed && graph_edge_count(n->graph) > 0) {
        err_clear(&fe);
        if (graph_file_write(n->graph, path, key, &fe) == ERR_OK)
            n->stats.graph_from = WALK_GRAPH_BUILT_SAVED;
    }
    return ERR_OK;
}

/* walk_net_load and walk_net_load_resident: the graph file held as `hold`. */
static struct walk_net *walk_net_load_held(struct store *st, double max_snap_m,
                                           enum graph_file_hold hold, struct err *e)
{
    double t0 = walk_now_ms();
    if (max_snap_m <= 0)
        max_snap_m = WALK_DEFAULT_SNAP_M;
    struct walk_net *n = calloc(1, sizeof *n);
    if (n == NULL)
        return err_nomem(e), NULL;
    n->srid = store_srid(st);
    struct walk_loader l = {.e = e};
    struct crs *crs = NULL;
    if (n->srid == 0) {
        err_set(e, ERR_NOTFOUND,
                "the database has no walking network; run "
                "`tsunagu import network FILE` first");
        goto fail;
    }
    if (walk_net_graph_load(n, st, &l, hold, e) != ERR_OK)
        goto fail;
    if (graph_edge_count(n->graph) == 0) {
        err_set(e, ERR_NOTFOUND,
                "the database has no walking network; run "
                "`tsunagu import network FILE` first");
        goto fail;
    }
    crs = crs_open(n->srid, e);
    if (crs == NULL)
        goto fail;
    struct walk_res_loader rl = {n, 0, crs, max_snap_m, e};
    if (store_resources_each(st, walk_load_resource, &rl, e) != ERR_OK)
        goto fail;
    n->nresources = n->nres;
    if (store_candidates_each(st, walk_load_candidate, &rl, e) != ERR_OK)
        goto fail;
    crs_close(crs);
    free(l.ids);
    n->stats.nodes = graph_node_count(n->graph);
    n->stats.edges = graph_edge_count(n->graph);
    n->stats.graph_bytes = graph_memory_bytes(n->graph);
    n->stats.resources = n->nresources;
    n->stats.load_ms = walk_now_ms() - t0;
    return n;
fail:
    crs_close(crs);
    free(l.ids);
    walk_net_free(n);
    return NULL;
}

struct walk_net *walk_net_load(struct store *st, double max_snap_m, struct err *e)
{
    return walk_net_load_held(st, max_snap_m, GRAPH_FILE_MAPPED, e);
}

struct walk_net *walk_net_load_resident(struct store *st, double max_snap_m, struct err *e)
{
    return walk_net_load_held(st, max_snap_m, GRAPH_FILE_RESIDENT, e);
}

void walk_net_free(struct walk_net *n)
{
    if (n == NULL)
        return;
    for (size_t i = 0; i < n->nres; i++) {
        struct walk_resource *w = &n->res[i];
        free(w->ext_id);
        free(w->name);
        free(w->kind);
        free(w->target);
        free(w->fields);
        free(w->hub_type);
        free(w->address);
        free(w->schedule);
        hours_free(w->hours);
        free(w->contact);
    }
    free(n->res);
    graph_free(n->graph);
    free(n);
}

const struct graph *walk_net_graph(const struct walk_net *n)
{
    return n->graph;
}

size_t walk_net_resource_count(const struct walk_net *n)
{
    return n->nres;
}

const struct walk_resource *walk_net_resource(const struct walk_net *n, size_t i)
{
    return i < n->nres ? &n->res[i] : NULL;
}

int walk_net_srid(const struct walk_net *n)
{
    return n->srid;
}

void walk_net_stats(const struct walk_net *n, struct walk_net_stats *s)
{
    *s = n->stats;
}

struct walk_session {
    const struct walk_net *net;  /* borrowed */
    struct search *search;       /* owned workspace */
    struct crs *crs;             /* owned PROJ handle */
    struct crs_area area;        /* database area */
    struct graph_place *targets; /* scratch: places of matching resources */
    size_t *target_res;          /* scratch: resource index of each target */
    struct search_hit *thits;    /* scratch: search answers */
    struct walk_hit *hits;       /* result array */
};

struct walk_session *walk_session_new(const struct walk_net *n, struct err *e)
{
    struct walk_session *s = calloc(1, sizeof *s);
    if (s == NULL)
        return err_nomem(e), NULL;
    s->net = n;
    size_t m = n->nres ? n->nres : 1;
    s->targets = malloc(m * sizeof *s->targets);
    s->target_res = malloc(m * sizeof *s->target_res);
    s->thits = malloc(m * sizeof *s->thits);
    s->hits = malloc(m * sizeof *s->hits);
    if (!s->targets || !s->target_res || !s->thits || !s->hits) {
        err_nomem(e);
        goto fail;
    }
    s->search = search_new(n->graph, e);
    if (s->search == NULL)
        goto fail;
    s->crs = crs_open(n->srid, e);
    if (s->crs == NULL || crs_area_of(n->srid, &s->area, e) != ERR_OK)
        goto fail;
    return s;
fail:
    walk_session_free(s);
    return NULL;
}

void walk_session_free(struct walk_session *s)
{
    if (s == NULL)
        return;
    search_free(s->search);
    crs_close(s->crs);
    free(s->targets);
    free(s->target_res);
    free(s->thits);
    free(s->hits);
    free(s);
}

int walk_session_to_xy(struct walk_session *s, double lon, double lat, double *x, double *y,
                       struct err *e)
{
    if (!isfinite(lon) || !isfinite(lat))
        return err_set(e, ERR_INPUT, "lon and lat must be finite numbers");
    if (!crs_area_contains(&s->area, lon, lat))
        return err_set(e, ERR_INPUT,
                       "lon/lat %.6f, %.6f lie outside the data's area (%.0f-%.0f E, "
                       "%.0f-%.0f N)",
                       lon, lat, s->area.min_lon, s->area.max_lon, s->area.min_lat,
                       s->area.max_lat);
    if (crs_to_xy(s->crs, lon, lat, x, y) != ERR_OK)
        return err_set(e, ERR_INPUT, "lon/lat %.6f, %.6f cannot be projected", lon, lat);
    return ERR_OK;
}

int walk_session_to_lonlat(struct walk_session *s, double x, double y, double *lon, double *lat)
{
    return crs_to_lonlat(s->crs, x, y, lon, lat);
}

/* Checks a query and fills the derived figures of r. */
static int walk_check(const struct walk_query *q, struct walk_result *r, double *steps,
                      double *snap, struct err *e)
{
    if (!isfinite(q->minutes) || q->minutes < WALK_MIN_MINUTES || q->minutes > WALK_MAX_MINUTES)
        return err_set(e, ERR_INPUT, "minutes must be between %g and %g", WALK_MIN_MINUTES,
                       WALK_MAX_MINUTES);
    double speed = q->speed == 0 ? WALK_DEFAULT_SPEED : q->speed;
    if (!isfinite(speed) || speed < WALK_MIN_SPEED || speed > WALK_MAX_SPEED)
        return err_set(e, ERR_INPUT, "speed must be between %g and %g metres per minute",
                       WALK_MIN_SPEED, WALK_MAX_SPEED);
    *steps = q->steps_factor == 0 ? 1.0 : q->steps_factor;
    if (!isfinite(*steps) || *steps < 1.0 || *steps > SEARCH_MAX_STEPS_FACTOR)
        return err_set(e, ERR_INPUT, "the steps factor must be between 1 and %g",
                       SEARCH_MAX_STEPS_FACTOR);
    *snap = q->max_snap_m == 0 ? WALK_DEFAULT_SNAP_M : q->max_snap_m;
    if (!isfinite(*snap) || *snap <= 0 || *snap > WALK_MAX_SNAP_M)
        return err_set(e, ERR_INPUT, "the off-network limit must be between 0 and %g metres",
                       WALK_MAX_SNAP_M);
    if (q->field_mask < 0 || q->field_mask > VOCAB_FIELD_ALL)
        return err_set(e, ERR_INPUT, "unknown field");
    r->speed = speed;
    r->limit_m = q->minutes * speed;
    return ERR_OK;
}

int walk_parse_number(const char *text, const char *prefix, const char *name, double *out,
                      struct err *e)
{
    if (text == NULL)
        return ERR_OK;
    char full[64];
    snprintf(full, sizeof full, "%s%s", prefix, name);
    return num_double(text, 0, full, -DBL_MAX, DBL_MAX, out, e);
}

int walk_query_parse(const struct walk_query_text *t, const char *prefix, struct walk_query *q,
                     struct err *e)
{
    memset(q, 0, sizeof *q);
    q->lon = q->lat = NAN;
    q->minutes = WALK_DEFAULT_MINUTES;
    if (t->lon == NULL || t->lat == NULL)
        return err_set(e, ERR_INPUT, "%slon and %slat are required", prefix, prefix);
    if (walk_parse_number(t->lon, prefix, "lon", &q->lon, e) ||
        walk_parse_number(t->lat, prefix, "lat", &q->lat, e) ||
        walk_parse_number(t->minutes, prefix, "minutes", &q->minutes, e) ||
        walk_parse_number(t->steps_factor, prefix, "steps-factor", &q->steps_factor, e) ||
        walk_parse_number(t->max_snap, prefix, "max-snap", &q->max_snap_m, e))
        return ERR_INPUT;
    if (t->speed) {
        const struct walk_preset *p = walk_preset_find(t->speed);
        if (p)
            q->speed = p->speed;
        else if (walk_parse_number(t->speed, prefix, "speed", &q->speed, NULL) != ERR_OK)
            return err_set(e, ERR_INPUT,
                           "%sspeed '%.40s' is neither metres per minute nor a "
                           "preset (general 80, slow 60, elderly 45)",
                           prefix, t->speed);
        else if (q->speed == 0)
            return err_set(e, ERR_INPUT, "speed must be between %g and %g metres per minute",
                           WALK_MIN_SPEED, WALK_MAX_SPEED);
    }
    if (t->kind) {
        /* The engine compares stored keys, so the key itself is required;
         * a Japanese name or other spelling is answered with its key. */
        char key[VOCAB_KEY_MAX + 1];
        struct err ke = {0};
        if (vocab_kind(t->kind, key, sizeof key, &ke) != ERR_OK)
            return err_set(e, ERR_INPUT, "%skind: %s", prefix, ke.msg);
        if (strcmp(key, t->kind) != 0)
            return err_set(e, ERR_INPUT, "%skind '%.40s' must be given as its key '%s'", prefix,
                           t->kind, key);
    }
    q->kind = t->kind;
    struct hours_time today;
    hours_time_now(time(NULL), &today);
    if (hours_when_parse(t->open_at, t->open_on, prefix, strcmp(prefix, "--") == 0 ? '-' : '_',
                         &today, &q->when, e) != ERR_OK)
        return ERR_INPUT;
    if (t->field) {
        q->field_mask = vocab_field_bit(t->field);
        if (q->field_mask == 0)
            return err_set(e, ERR_INPUT,
                           "%sfield '%.40s' is not elderly, disability, children, "
                           "hardship or all",
                           prefix, t->field);
    }
    if (t->target) {
        const char *key = resfields_target_key(t->target);
        if (key == NULL)
            return err_set(e, ERR_INPUT,
                           "%starget '%.40s' is not a target group (everyone, elderly, families, "
                           "children, youth, disability, dementia, caregivers, foreign_residents, "
                           "hardship, job_seekers, or a key of a-z, 0-9 and _)",
                           prefix, t->target);
        if (strcmp(key, t->target) != 0)
            return err_set(e, ERR_INPUT, "%starget '%.40s' must be given as its key '%s'", prefix,
                           t->target, key);
    }
    q->target = t->target;
    struct walk_result r;
    double steps, snap;
    return walk_check(q, &r, &steps, &snap, e);
}

static int walk_matches(const struct walk_resource *w, const struct walk_query *q)
{
    if (!w->on_network)
        return 0;
    /* Candidate sites are not resources: they match only when asked for. */
    if (w->candidate && (q->kind == NULL || strcmp(q->kind, WALK_CANDIDATE_KIND) != 0))
        return 0;
    if (q->kind && strcmp(q->kind, w->kind) != 0)
        return 0;
    if (q->field_mask && (w->field_mask & q->field_mask) == 0)
        return 0;
    /* A resource for everyone serves every target group, as "all" every field. */
    if (q->target && !resfields_list_has(w->target, q->target) &&
        !resfields_list_has(w->target, "everyone"))
        return 0;
    return hours_when_matches(w->hours, &q->when);
}

static int walk_hit_cmp(const void *a, const void *b)
{
    const struct walk_hit *x = a, *y = b;
    if (x->walk_m != y->walk_m)
        return x->walk_m < y->walk_m ? -1 : 1;
    return x->resource < y->resource ? -1 : x->resource > y->resource;
}

/* Slack on the straight-line test of walk_run: a factor and metres. */
#define WALK_STRAIGHT_SLACK 1.001
#define WALK_STRAIGHT_SLACK_M 1.0

/* Validates, snaps and searches (with the matching resources as targets when
 * `with_targets`); leaves the workspace holding the result. */
static int walk_run(struct walk_session *s, const struct walk_query *q, int with_targets,
                    struct walk_result *r, size_t *ntargets, struct err *e)
{
    memset(r, 0, sizeof *r);
    double steps = 1.0, snap = WALK_DEFAULT_SNAP_M;
    if (walk_check(q, r, &steps, &snap, e) != ERR_OK)
        return ERR_INPUT;
    double x, y;
    if (walk_session_to_xy(s, q->lon, q->lat, &x, &y, e) != ERR_OK)
        return ERR_INPUT;
    struct graph_place origin;
    struct err se = {0};
    int rc = graph_snap(s->net->graph, x, y, snap, &origin, &se);
    if (rc == ERR_NOTFOUND)
        return err_set(e, ERR_INPUT,
                       "the point is more than %g m from any walkable street "
                       "(off the network)",
                       snap);
    if (rc != ERR_OK)
        return err_set(e, rc, "%s", se.msg);
    r->snap_m = origin.access_m;
    r->origin_x = x;
    r->origin_y = y;
    /* Resources farther than the limit in a straight line are not offered
     * to the search: they cannot be reached, because an edge's length_m is
     * the planar length of its polyline in the database's CRS (netbuild.c),
     * so no walk between two points is shorter than the straight line
     * between them, access legs included (each is the straight line from a
     * point to its place). The slack covers the graph's quantised
     * polylines (within 1.4 mm of the input) and lengths from another
     * projection's scale (0.1 %). The search then never reads the edges
     * and node states of the far targets, which cost most of a cold walk
     * at 2M edges after the search itself (README "Prefecture scale"). */
    const double reach = r->limit_m * WALK_STRAIGHT_SLACK + WALK_STRAIGHT_SLACK_M;
    size_t nt = 0;
    for (size_t i = 0; with_targets && i < s->net->nres; i++) {
        const struct walk_resource *w = &s->net->res[i];
        double dx = w->x - x, dy = w->y - y;
        if (dx * dx + dy * dy > reach * reach || !walk_matches(w, q))
            continue;
        s->targets[nt] = w->place;
        s->target_res[nt++] = i;
    }
    struct search_params p = {r->limit_m, steps};
    if (search_run(s->search, &p, &origin, NULL, 1, s->targets, nt, s->thits, e) != ERR_OK)
        return e->code;
    *ntargets = nt;
    return ERR_OK;
}

int walk_reachable(struct walk_session *s, const struct walk_query *q, struct walk_result *r,
                   struct err *e)
{
    size_t nt = 0;
    if (walk_run(s, q, 1, r, &nt, e) != ERR_OK)
        return e->code;
    size_t n = 0;
    for (size_t i = 0; i < nt; i++)
        if (s->thits[i].reached)
            s->hits[n++] = (struct walk_hit){s->target_res[i], s->thits[i].cost_m};
    qsort(s->hits, n, sizeof *s->hits, walk_hit_cmp);
    r->n = n;
    r->hits = s->hits;
    return ERR_OK;
}

int walk_reached_edges(struct walk_session *s, const struct walk_query *q,
                       const struct search_interval **iv, size_t *n, struct walk_result *r,
                       struct err *e)
{
    size_t nt = 0;
    if (walk_run(s, q, 0, r, &nt, e) != ERR_OK)
        return e->code;
    return search_reached(s->search, iv, n, e);
}

/* ---- for the planning modules (see walk.h) ---- */

int walk_query_check(const struct walk_query *q, struct walk_result *r, struct err *e)
{
    double steps, snap;
    memset(r, 0, sizeof *r);
    return walk_check(q, r, &steps, &snap, e);
}

int walk_query_parse_options(const struct walk_query_text *t, const char *prefix,
                             struct walk_query *q, struct err *e)
{
    if (t->lon != NULL || t->lat != NULL)
        return err_set(e, ERR_INPUT, "%slon and %slat do not apply here", prefix, prefix);
    /* Reuse walk_query_parse with a placeholder origin, then forget it. */
    struct walk_query_text u = *t;
    u.lon = "0";
    u.lat = "0";
    int rc = walk_query_parse(&u, prefix, q, e);
    q->lon = q->lat = NAN;
    return rc;
}

int walk_resource_matches(const struct walk_resource *w, const struct walk_query *q)
{
    return walk_matches(w, q);
}

struct search *walk_session_search(struct walk_session *s)
{
    return s->search;
}
