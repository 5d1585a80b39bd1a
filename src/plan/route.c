/* SPDX-License-Identifier: MIT */
/* route.c - implements route.h: selects and snaps the households, sets
 * aside those that cannot be visited (with the reason), builds the walking
 * distance matrix, orders and splits the visits with tour.h, times them and
 * traces each leg along the streets (also one path on its own, for the
 * page's "walk there" line). Entry points: route_params_parse,
 * route_params_clear, route_plan, route_result_free, route_format_time,
 * route_reason_word, route_path. */
#include "route.h"

#include "search.h"
#include "vocab.h"
#include "store_households.h"
#include "vec.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ROUTE_DAY_END 1440 /* minutes: a plan ends by midnight */

/* ------------------------------------------------------------ parameters */

/* Parses "HH:MM" into minutes after midnight. */
static int route_time(const char *text, const char *prefix, int *out, struct err *e)
{
    if (text == NULL)
        return ERR_OK;
    int v[2] = {0, 0}, k = 0, digits = 0;
    for (const char *c = text; *c; c++) {
        if (*c == ':' && k == 0 && digits > 0) {
            k = 1;
            digits = 0;
        } else if (isdigit((unsigned char)*c) && digits < 2) {
            v[k] = v[k] * 10 + (*c - '0');
            digits++;
        } else {
            k = -1;
            break;
        }
    }
    if (k != 1 || digits != 2 || v[0] > 23 || v[1] > 59)
        return err_set(e, ERR_INPUT, "%sstart-time '%.20s' is not a time of day HH:MM", prefix,
                       text);
    *out = v[0] * 60 + v[1];
    return ERR_OK;
}

void route_params_clear(struct route_params *p)
{
    free(p->id_buf);
    free(p->id_vec);
    free(p->appt_buf);
    free(p->appt_ids);
    free(p->appt_open);
    free(p->appt_close);
    p->id_buf = NULL;
    p->id_vec = NULL;
    p->appt_buf = NULL;
    p->appt_ids = NULL;
    p->appt_open = p->appt_close = NULL;
    p->nappt = 0;
    p->ids = NULL;
    p->nids = 0;
}

/* Parses "HH:MM-HH:MM" (the end after the start) into minutes; 0 when it
 * is not one. */
static int route_window(const char *t, int *from, int *to)
{
    int v[4];
    static const char shape[] = "00:00-00:00";
    if (strlen(t) != sizeof shape - 1)
        return 0;
    for (size_t i = 0; i < sizeof shape - 1; i++)
        if (shape[i] == '0' ? !isdigit((unsigned char)t[i]) : t[i] != shape[i])
            return 0;
    v[0] = (t[0] - '0') * 10 + (t[1] - '0');
    v[1] = (t[3] - '0') * 10 + (t[4] - '0');
    v[2] = (t[6] - '0') * 10 + (t[7] - '0');
    v[3] = (t[9] - '0') * 10 + (t[10] - '0');
    if (v[0] > 23 || v[1] > 59 || v[2] > 24 || v[3] > 59 || (v[2] == 24 && v[3] > 0))
        return 0;
    *from = v[0] * 60 + v[1];
    *to = v[2] * 60 + v[3];
    return *to > *from;
}

/* Adds the appointment "ID@HH:MM-HH:MM" at c (cut in place at '@'). */
static int route_add_appt(char *c, const char *prefix, struct route_params *p, struct err *e)
{
    char *at = strchr(c, '@');
    if (at == NULL)
        return err_set(e, ERR_INPUT, "%sappointments entries are ID@HH:MM-HH:MM", prefix);
    *at = '\0';
    size_t k = p->nappt;
    if (k >= ROUTE_MAX_APPOINTMENTS)
        return err_set(e, ERR_LIMIT, "at most %d appointments", ROUTE_MAX_APPOINTMENTS);
    if (!route_window(at + 1, &p->appt_open[k], &p->appt_close[k]))
        return err_set(e, ERR_INPUT,
                       "appointment %zu's window is not HH:MM-HH:MM with the end after the start",
                       k + 1);
    if (c[0] == '\0')
        return err_set(e, ERR_INPUT, "appointment %zu names no household", k + 1);
    for (size_t i = 0; i < k; i++)
        if (strcmp(p->appt_ids[i], c) == 0)
            return err_set(e, ERR_INPUT, "two appointments name the same household");
    p->appt_ids[k] = c;
    p->nappt++;
    return ERR_OK;
}

/* The appointment arrays, sized for the most a plan may hold. */
static int route_appt_alloc(struct route_params *p, struct err *e)
{
    if (p->appt_ids)
        return ERR_OK;
    p->appt_ids = malloc(ROUTE_MAX_APPOINTMENTS * sizeof *p->appt_ids);
    p->appt_open = malloc(ROUTE_MAX_APPOINTMENTS * sizeof *p->appt_open);
    p->appt_close = malloc(ROUTE_MAX_APPOINTMENTS * sizeof *p->appt_close);
    return p->appt_ids && p->appt_open && p->appt_close ? ERR_OK : err_nomem(e);
}

/* The realistic-day options of t into p: appointments (in the id list
 * and in t->appointments), end, lunch, visit cap. */
static int route_parse_day(const struct route_text *t, const char *prefix, struct route_params *p,
                           struct err *e)
{
    if (route_appt_alloc(p, e) != ERR_OK)
        return ERR_NOMEM;
    for (size_t i = 0; i < p->nids; i++) {
        char *c = (char *)p->id_vec[i];
        if (strchr(c, '@') && route_add_appt(c, prefix, p, e) != ERR_OK)
            return e->code;
    }
    if (t->appointments) {
        if (strlen(t->appointments) > ROUTE_MAX_ID_LIST)
            return err_set(e, ERR_LIMIT, "%sappointments is longer than %d bytes", prefix,
                           ROUTE_MAX_ID_LIST);
        if ((p->appt_buf = strdup(t->appointments)) == NULL)
            return err_nomem(e);
        for (char *c = p->appt_buf; c;) {
            char *comma = strchr(c, ',');
            if (comma)
                *comma = '\0';
            while (*c == ' ')
                c++;
            if (route_add_appt(c, prefix, p, e) != ERR_OK)
                return e->code;
            c = comma ? comma + 1 : NULL;
        }
    }
    if ((t->end_lon != NULL) != (t->end_lat != NULL))
        return err_set(e, ERR_INPUT, "%send-lon and %send-lat go together", prefix, prefix);
    if (t->end_lon) {
        p->has_end = 1;
        if (walk_parse_number(t->end_lon, prefix, "end-lon", &p->end_lon, e) ||
            walk_parse_number(t->end_lat, prefix, "end-lat", &p->end_lat, e))
            return ERR_INPUT;
    }
    if (t->lunch && !route_window(t->lunch, &p->lunch_from, &p->lunch_to))
        return err_set(e, ERR_INPUT, "%slunch must be HH:MM-HH:MM with the end after the start",
                       prefix);
    if (t->max_visits) {
        double v = 0;
        if (walk_parse_number(t->max_visits, prefix, "max-visits", &v, e))
            return ERR_INPUT;
        if (!(v >= 1 && v <= TOUR_WINDOWS_MAX_STOPS) || v != floor(v))
            return err_set(e, ERR_INPUT, "%smax-visits must be a whole number from 1 to %d", prefix,
                           TOUR_WINDOWS_MAX_STOPS);
        p->max_visits = (int)v;
    }
    return ERR_OK;
}

static int route_strcmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* 1 when ids[0..n) names some household twice. */
static int route_has_repeat(const char *const *ids, size_t n, int *failed)
{
    *failed = 0;
    if (n < 2)
        return 0;
    const char **s = malloc(n * sizeof *s);
    if (s == NULL) {
        *failed = 1;
        return 0;
    }
    memcpy(s, ids, n * sizeof *s);
    qsort(s, n, sizeof *s, route_strcmp);
    int rep = 0;
    for (size_t i = 1; i < n && !rep; i++)
        rep = strcmp(s[i - 1], s[i]) == 0;
    free(s);
    return rep;
}

/* Splits the id list at commas (spaces around ids are dropped). */
static int route_split_ids(const char *text, const char *prefix, struct route_params *p,
                           struct err *e)
{
    size_t len = strlen(text);
    if (len > ROUTE_MAX_ID_LIST)
        return err_set(e, ERR_LIMIT, "%shouseholds is longer than %d bytes", prefix,
                       ROUTE_MAX_ID_LIST);
    size_t n = 1;
    for (size_t i = 0; i < len; i++)
        n += text[i] == ',';
    if (n > ROUTE_MAX_STOPS)
        return err_set(e, ERR_LIMIT, "%shouseholds lists %zu households; a plan visits at most %d",
                       prefix, n, ROUTE_MAX_STOPS);
    p->id_buf = strdup(text);
    p->id_vec = malloc(n * sizeof *p->id_vec);
    if (p->id_buf == NULL || p->id_vec == NULL)
        return err_nomem(e);
    char *c = p->id_buf;
    for (size_t k = 0; k < n; k++) {
        char *comma = strchr(c, ',');
        if (comma)
            *comma = '\0';
        while (*c == ' ')
            c++;
        size_t l = strlen(c);
        while (l > 0 && c[l - 1] == ' ')
            c[--l] = '\0';
        if (l == 0)
            return err_set(e, ERR_INPUT, "%shouseholds has an empty entry", prefix);
        p->id_vec[k] = c;
        c = comma ? comma + 1 : c + l;
    }
    p->ids = p->id_vec;
    p->nids = n;
    return ERR_OK;
}

int route_params_parse(const struct route_text *t, const char *prefix, struct route_params *p,
                       struct err *e)
{
    memset(p, 0, sizeof *p);
    p->start_lon = p->start_lat = NAN;
    p->dwell_min = ROUTE_DEFAULT_DWELL;
    p->day_min = ROUTE_DEFAULT_DAY;
    p->start_time = ROUTE_DEFAULT_START_TIME;
    if (t->start_lon == NULL || t->start_lat == NULL)
        return err_set(e, ERR_INPUT, "%sstart-lon and %sstart-lat are required", prefix, prefix);
    if (walk_parse_number(t->start_lon, prefix, "start-lon", &p->start_lon, e) ||
        walk_parse_number(t->start_lat, prefix, "start-lat", &p->start_lat, e) ||
        walk_parse_number(t->dwell, prefix, "dwell", &p->dwell_min, e) ||
        walk_parse_number(t->day_minutes, prefix, "day-minutes", &p->day_min, e) ||
        walk_parse_number(t->steps_factor, prefix, "steps-factor", &p->steps_factor, e) ||
        walk_parse_number(t->max_snap, prefix, "max-snap", &p->max_snap_m, e) ||
        route_time(t->start_time, prefix, &p->start_time, e))
        return ERR_INPUT;
    if (t->speed) {
        const struct walk_preset *wp = walk_preset_find(t->speed);
        if (wp)
            p->speed = wp->speed;
        else if (walk_parse_number(t->speed, prefix, "speed", &p->speed, NULL) != ERR_OK ||
                 p->speed == 0)
            return err_set(e, ERR_INPUT,
                           "%sspeed '%.40s' is neither metres per minute (%g-%g) "
                           "nor a preset (general, slow, elderly)",
                           prefix, t->speed, WALK_MIN_SPEED, WALK_MAX_SPEED);
    }
    if ((t->households != NULL) + (t->district != NULL) + (t->overdue != NULL) != 1)
        return err_set(e, ERR_INPUT,
                       "give one of %shouseholds ID,ID,..., %sdistrict NAME "
                       "(with %sneed TAG) or %soverdue",
                       prefix, prefix, prefix, prefix);
    if (t->overdue && strcmp(t->overdue, "true") != 0)
        return err_set(e, ERR_INPUT, "%soverdue takes the value true", prefix);
    p->overdue = t->overdue != NULL;
    if (t->need && !t->district)
        return err_set(e, ERR_INPUT, "%sneed goes with %sdistrict", prefix, prefix);
    if (t->level && !t->district)
        return err_set(e, ERR_INPUT, "%slevel goes with %sdistrict", prefix, prefix);
    if (t->need) {
        p->need = vocab_need_tag(t->need);
        if (p->need == NULL)
            return err_set(e, ERR_INPUT,
                           "%sneed '%.40s' is not a need tag (高齢独居, 認知症, "
                           "要介護, 8050, ひきこもり, ... or an English alias)",
                           prefix, t->need);
    }
    if (t->level && !vocab_level_ok(t->level))
        return err_set(e, ERR_INPUT, "%slevel '%.40s' is not a level key", prefix, t->level);
    p->district = t->district;
    p->level = t->level;
    if (t->households) {
        int rc = route_split_ids(t->households, prefix, p, e);
        if (rc != ERR_OK)
            return rc;
    }
    if (route_parse_day(t, prefix, p, e) != ERR_OK)
        return e->code;
    if (t->households) {
        int failed;
        if (route_has_repeat(p->ids, p->nids, &failed))
            return err_set(e, ERR_INPUT, "%shouseholds names the same household twice", prefix);
        if (failed)
            return err_nomem(e);
    }
    if (!(p->dwell_min >= ROUTE_MIN_DWELL && p->dwell_min <= ROUTE_MAX_DWELL))
        return err_set(e, ERR_INPUT, "%sdwell must be between %g and %g minutes", prefix,
                       ROUTE_MIN_DWELL, ROUTE_MAX_DWELL);
    if (!(p->day_min >= ROUTE_MIN_DAY && p->day_min <= ROUTE_MAX_DAY))
        return err_set(e, ERR_INPUT, "%sday-minutes must be between %g and %g", prefix,
                       ROUTE_MIN_DAY, ROUTE_MAX_DAY);
    if (p->start_time + p->day_min + (p->lunch_to - p->lunch_from) > ROUTE_DAY_END)
        return err_set(e, ERR_INPUT, "%sstart-time plus %sday-minutes runs past midnight", prefix,
                       prefix);
    return ERR_OK;
}

/* --------------------------------------------------------------- results */

const char *route_reason_word(int reason)
{
    switch (reason) {
    case ROUTE_OFF_NETWORK:
        return "off_network";
    case ROUTE_UNREACHABLE:
        return "unreachable";
    default:
        return "too_far";
    }
}

void route_format_time(double minutes, char *buf, size_t n)
{
    long m = lround(minutes);
    if (m < 0)
        m = 0;
    snprintf(buf, n, "%02ld:%02ld", m / 60, m % 60);
}

void route_result_free(struct route_result *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->nstops; i++)
        free(r->stops[i].ext_id);
    free(r->stops);
    for (size_t i = 0; i < r->ndays; i++)
        free(r->days[i].line);
    free(r->days);
    for (size_t i = 0; i < r->nunreachable; i++)
        free(r->unreachable[i].ext_id);
    free(r->unreachable);
    free(r);
}

/* ------------------------------------------------------------- selection */

/* A selected household while planning. */
struct route_hh {
    char *ext_id;             /* owned until moved into the result */
    double x, y;              /* database CRS */
    int approx;               /* placed at town or municipality level only */
    struct graph_place place; /* its snap (when on the network) */
    int reason;               /* 0 = to visit, else enum route_reason */
};

/* Growable list of selected households. */
struct route_sel {
    struct route_hh *hh; /* entries */
    size_t n, cap;       /* count, capacity */
    size_t limit;        /* more than this is ERR_LIMIT (counted on, not stored) */
    size_t seen;         /* households offered */
};

static int route_on_household(void *ctx, const struct store_plan_household *h)
{
    struct route_sel *s = ctx;
    if (++s->seen > s->limit)
        return ERR_OK; /* only counted */
    if (vec_reserve((void **)&s->hh, &s->cap, s->n + 1, sizeof *s->hh) != ERR_OK)
        return ERR_NOMEM;
    struct route_hh *o = &s->hh[s->n];
    memset(o, 0, sizeof *o);
    o->ext_id = strdup(h->ext_id ? h->ext_id : "");
    if (o->ext_id == NULL)
        return ERR_NOMEM;
    s->n++;
    o->x = h->x;
    o->y = h->y;
    o->approx = h->approx;
    return ERR_OK;
}

static void route_sel_free(struct route_sel *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->hh[i].ext_id);
    free(s->hh);
}

static int route_select(struct store *st, const struct route_params *p, struct route_sel *s,
                        struct err *e)
{
    s->limit = ROUTE_MAX_STOPS;
    int rc;
    if (p->nids > 0) {
        int failed;
        if (p->ids == NULL || p->nids > ROUTE_MAX_STOPS)
            return err_set(e, ERR_LIMIT, "a plan visits at most %d households", ROUTE_MAX_STOPS);
        if (route_has_repeat(p->ids, p->nids, &failed))
            return err_set(e, ERR_INPUT, "the household list names the same household twice");
        if (failed)
            return err_nomem(e);
        size_t unknown = 0;
        rc = store_plan_households_by_ext(st, p->ids, p->nids, route_on_household, s, &unknown, e);
        if (rc == ERR_NOMEM)
            return err_nomem(e);
        if (rc != ERR_OK)
            return rc;
        if (unknown == 1)
            return err_set(e, ERR_NOTFOUND, "1 of the requested households is not known");
        if (unknown > 1)
            return err_set(e, ERR_NOTFOUND, "%zu of the requested households are not known",
                           unknown);
        return ERR_OK;
    }
    if (p->overdue)
        return ERR_OK; /* no household is overdue: an empty plan */
    if (p->district == NULL)
        return err_set(e, ERR_INPUT, "name the households to visit or a district");
    rc = store_plan_households_in_district(st, p->level, p->district, p->need, route_on_household,
                                           s, e);
    if (rc == ERR_NOMEM)
        return err_nomem(e);
    if (rc != ERR_OK)
        return rc;
    if (s->seen > ROUTE_MAX_STOPS)
        return err_set(e, ERR_LIMIT,
                       "%zu households match; a plan visits at most %d (narrow it "
                       "with a need tag)",
                       s->seen, ROUTE_MAX_STOPS);
    return ERR_OK;
}

/* ----------------------------------------------------------------- paths */

/* Path tracing state for one plan. */
struct route_tracer {
    const struct graph *g; /* the network */
    struct graph_view v;   /* its arrays */
    struct search *search; /* the session's workspace */
    double steps;          /* steps factor */
    uint32_t *mark;        /* per node: leg stamp once on the current path */
    uint32_t stamp;        /* current leg */
    uint32_t *nodes;       /* scratch: path nodes, target side first */
    uint32_t *edges;       /* scratch: edge into nodes[k] from nodes[k + 1] */
    double *xy;            /* the line being built, x,y pairs */
    size_t n, cap;         /* points, capacity */
};

static int route_push(struct route_tracer *t, double x, double y)
{
    if (t->n > 0 && fabs(t->xy[2 * t->n - 2] - x) < 1e-9 && fabs(t->xy[2 * t->n - 1] - y) < 1e-9)
        return ERR_OK;
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 256;
        double *p = realloc(t->xy, 2 * cap * sizeof *p);
        if (p == NULL)
            return ERR_NOMEM;
        t->xy = p;
        t->cap = cap;
    }
    t->xy[2 * t->n] = x;
    t->xy[2 * t->n + 1] = y;
    t->n++;
    return ERR_OK;
}

/* Appends the part of edge ed between offsets a and b, walked from a to b. */
static int route_push_slice(struct route_tracer *t, uint32_t ed, double a, double b, struct err *e)
{
    double *xy = NULL;
    size_t np = 0;
    int rev = a > b;
    int rc = graph_edge_slice_new(t->g, ed, rev ? b : a, rev ? a : b, &xy, &np, e);
    for (size_t k = 0; rc == ERR_OK && k < np; k++) {
        size_t q = rev ? np - 1 - k : k;
        if (route_push(t, xy[2 * q], xy[2 * q + 1]) != ERR_OK)
            rc = err_nomem(e);
    }
    free(xy);
    return rc;
}

static double route_factor(const struct route_tracer *t, uint32_t ed)
{
    return (t->v.flags[ed] & GRAPH_EDGE_STEPS) ? t->steps : 1.0;
}

static double route_node_cost(const struct route_tracer *t, uint32_t n)
{
    double c;
    uint32_t src;
    return search_node(t->search, n, &c, &src) ? c : INFINITY;
}

/* Appends the street path from place a (original point ax, ay) to place b
 * (bx, by) whose walking cost is d: one search from a, then back from b. */
static int route_trace(struct route_tracer *t, const struct graph_place *a, double ax, double ay,
                       const struct graph_place *b, double bx, double by, double d, struct err *e)
{
    struct search_params sp = {fmin(d * (1 + 1e-9) + 1.0, SEARCH_MAX_LIMIT_M), t->steps};
    struct search_hit hit;
    int rc = search_run(t->search, &sp, a, NULL, 1, b, 1, &hit, e);
    if (rc != ERR_OK)
        return rc;
    if (!hit.reached)
        return err_set(e, ERR_INTERNAL, "a leg of the route could not be traced");
    if (route_push(t, ax, ay) || route_push(t, a->x, a->y))
        return err_nomem(e);
    uint32_t ea = a->edge, eb = b->edge;
    uint32_t ua = t->v.edge_uv[2 * (size_t)ea], va = t->v.edge_uv[2 * (size_t)ea + 1];
    uint32_t ub = t->v.edge_uv[2 * (size_t)eb], vb = t->v.edge_uv[2 * (size_t)eb + 1];
    double fa = route_factor(t, ea), fb = route_factor(t, eb);
    double la = t->v.length[ea], lb = t->v.length[eb];
    double cu = route_node_cost(t, ub) + b->offset_m * fb;
    double cv = route_node_cost(t, vb) + (lb - b->offset_m) * fb;
    double cd = ea == eb ? a->access_m + fabs(a->offset_m - b->offset_m) * fb : INFINITY;
    if (cd <= cu && cd <= cv) {
        rc = route_push_slice(t, ea, a->offset_m, b->offset_m, e);
    } else {
        /* Walk back from the node b is entered through to a node a reaches
         * directly along its own edge. */
        uint32_t cur = cu <= cv ? ub : vb, np = 0;
        if (++t->stamp == 0) {
            memset(t->mark, 0, (size_t)t->v.nnodes * sizeof *t->mark);
            t->stamp = 1;
        }
        int side = -1; /* 0: a leaves through ua, 1: through va */
        for (;;) {
            double cm = route_node_cost(t, cur);
            double tol = 1e-6 * fmax(1.0, cm);
            t->mark[cur] = t->stamp;
            t->nodes[np] = cur;
            if (cur == ua && fabs(cm - (a->access_m + a->offset_m * fa)) <= tol) {
                side = 0;
                break;
            }
            if (cur == va && fabs(cm - (a->access_m + (la - a->offset_m) * fa)) <= tol) {
                side = 1;
                break;
            }
            uint32_t best = UINT32_MAX, best_edge = 0;
            double best_diff = INFINITY;
            for (uint32_t k = t->v.adj_off[cur]; k < t->v.adj_off[cur + 1]; k++) {
                uint32_t p = t->v.adj_to[k], ed = t->v.adj_edge[k];
                if (t->mark[p] == t->stamp)
                    continue;
                double cp = route_node_cost(t, p);
                double diff = fabs(cp + t->v.length[ed] * route_factor(t, ed) - cm);
                if (cp <= cm + tol && diff <= tol && diff < best_diff) {
                    best = p;
                    best_edge = ed;
                    best_diff = diff;
                }
            }
            if (best == UINT32_MAX || np + 1 >= t->v.nnodes)
                return err_set(e, ERR_INTERNAL, "a leg of the route could not be traced");
            t->edges[np++] = best_edge;
            cur = best;
        }
        /* nodes[np] is where a joins; nodes[0] is where b is entered. */
        rc = side == 0 ? route_push_slice(t, ea, a->offset_m, 0.0, e)
                       : route_push_slice(t, ea, a->offset_m, la, e);
        for (uint32_t k = np; rc == ERR_OK && k > 0; k--) {
            uint32_t ed = t->edges[k - 1], from = t->nodes[k];
            int fwd = t->v.edge_uv[2 * (size_t)ed] == from;
            double l = t->v.length[ed];
            rc = route_push_slice(t, ed, fwd ? 0.0 : l, fwd ? l : 0.0, e);
        }
        if (rc == ERR_OK)
            rc = t->nodes[0] == ub && cu <= cv ? route_push_slice(t, eb, 0.0, b->offset_m, e)
                                               : route_push_slice(t, eb, lb, b->offset_m, e);
    }
    if (rc == ERR_OK && (route_push(t, b->x, b->y) || route_push(t, bx, by)))
        rc = err_nomem(e);
    return rc;
}

/* Snaps lon, lat (named `what` in messages) onto the network. */
static int route_snap_point(struct walk_session *ws, const struct graph *g, double lon, double lat,
                            double snap_m, const char *what, double *x, double *y,
                            struct graph_place *pl, struct err *e)
{
    struct err se = {0};
    if (walk_session_to_xy(ws, lon, lat, x, y, e) != ERR_OK)
        return ERR_INPUT;
    int rc = graph_snap(g, *x, *y, snap_m, pl, &se);
    if (rc == ERR_NOTFOUND)
        return err_set(e, ERR_INPUT,
                       "the %s is more than %g m from any walkable street (off the network)", what,
                       snap_m);
    return rc == ERR_OK ? ERR_OK : err_set(e, rc, "%s", se.msg);
}

int route_path(struct walk_session *ws, const struct walk_net *net, const struct walk_query *q,
               double to_lon, double to_lat, double **line, size_t *nline, double *walk_m,
               struct err *e)
{
    *line = NULL;
    *nline = 0;
    struct walk_result wr;
    if (walk_query_check(q, &wr, e) != ERR_OK)
        return ERR_INPUT;
    const struct graph *g = walk_net_graph(net);
    double snap_m = q->max_snap_m == 0 ? WALK_DEFAULT_SNAP_M : q->max_snap_m;
    struct route_tracer tr = {.g = g,
                              .search = walk_session_search(ws),
                              .steps = q->steps_factor == 0 ? 1.0 : q->steps_factor};
    graph_view(g, &tr.v);
    struct graph_place a, b;
    double ax, ay, bx, by;
    if (route_snap_point(ws, g, q->lon, q->lat, snap_m, "origin", &ax, &ay, &a, e) != ERR_OK ||
        route_snap_point(ws, g, to_lon, to_lat, snap_m, "destination", &bx, &by, &b, e) != ERR_OK)
        return e->code;
    struct search_params sp = {wr.limit_m, tr.steps};
    struct search_hit hit; /* only the hit is read: the search may stop early */
    int rc = search_run_targets(tr.search, &sp, &a, NULL, 1, &b, 1, &hit, e);
    if (rc != ERR_OK)
        return rc;
    if (!hit.reached)
        return err_set(e, ERR_NOTFOUND, "the destination is not within %g minutes' walk",
                       q->minutes);
    size_t nn = tr.v.nnodes ? tr.v.nnodes : 1;
    tr.mark = calloc(nn, sizeof *tr.mark);
    tr.nodes = malloc(nn * sizeof *tr.nodes);
    tr.edges = malloc(nn * sizeof *tr.edges);
    if (tr.mark == NULL || tr.nodes == NULL || tr.edges == NULL)
        rc = err_nomem(e);
    if (rc == ERR_OK)
        rc = route_trace(&tr, &a, ax, ay, &b, bx, by, hit.cost_m, e);
    double *out = rc == ERR_OK ? malloc((tr.n ? tr.n : 1) * 2 * sizeof *out) : NULL;
    if (rc == ERR_OK && out == NULL)
        rc = err_nomem(e);
    for (size_t i = 0; rc == ERR_OK && i < tr.n; i++)
        if (walk_session_to_lonlat(ws, tr.xy[2 * i], tr.xy[2 * i + 1], &out[2 * i],
                                   &out[2 * i + 1]) != ERR_OK)
            rc = err_set(e, ERR_INTERNAL, "a position cannot be projected to WGS84");
    free(tr.mark);
    free(tr.nodes);
    free(tr.edges);
    free(tr.xy);
    if (rc != ERR_OK) {
        free(out);
        return rc;
    }
    *line = out;
    *nline = tr.n;
    *walk_m = hit.cost_m;
    return ERR_OK;
}

/* ------------------------------------------------------------------ plan */

static double route_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Re-optimises one day's stops (order positions first..first+count) on
 * their own: exactly when few, else by local search from the current
 * sequence; never longer. */
static int route_day_reorder(const double *d, size_t n, size_t *order, const struct tour_day *day,
                             struct err *e)
{
    size_t k = day->count + 1;
    double *sub = malloc(k * k * sizeof *sub);
    size_t *so = malloc(k * sizeof *so), *map = malloc(k * sizeof *map);
    int rc = ERR_OK;
    if (sub == NULL || so == NULL || map == NULL) {
        rc = err_nomem(e);
        goto done;
    }
    map[0] = 0;
    for (size_t i = 0; i < day->count; i++)
        map[i + 1] = order[day->first + i];
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++)
            sub[i * k + j] = d[map[i] * n + map[j]];
    double len;
    if (day->count <= TOUR_EXACT_MAX_STOPS) {
        rc = tour_exact(sub, k, so, &len, e);
    } else {
        for (size_t i = 0; i < k; i++)
            so[i] = i;
        rc = tour_improve(sub, k, so, &len, e);
    }
    if (rc == ERR_OK && len <= day->walk_m + 1e-6)
        for (size_t i = 0; i < day->count; i++)
            order[day->first + i] = map[so[i + 1]];
done:
    free(sub);
    free(so);
    free(map);
    return rc;
}

/* Plans the days in time (tour_windows.h): fills the windows per node of
 * mat (wopen, wclose: n entries) and *sched, orders the stops by a short
 * tour, then assigns them to days. A stop without an appointment that no
 * day can hold moves to r->unreachable as too far; an appointment no day
 * can keep is ERR_INPUT naming its place in the list and its window. */
static int route_schedule(const double *mat, size_t n, size_t endn, struct route_sel *sel,
                          const size_t *keep, size_t k, const struct route_params *p, double speed,
                          struct route_result *r, struct tour_sched *sched, double *wopen,
                          double *wclose, size_t *order, struct tour_day *days, size_t *nd,
                          struct err *e)
{
    for (size_t i = 0; i < n; i++) {
        wopen[i] = 0;
        wclose[i] = ROUTE_DAY_END;
    }
    size_t *appt = malloc((k + 1) * sizeof *appt); /* per stop: appointment index + 1 */
    double *sub = malloc((k + 1) * (k + 1) * sizeof *sub);
    size_t *seq = malloc((k + 1) * sizeof *seq);
    int rc = appt && sub && seq ? ERR_OK : err_nomem(e);
    for (size_t j = 0; rc == ERR_OK && j < k; j++) {
        appt[j + 1] = 0;
        for (size_t a = 0; a < p->nappt; a++)
            if (strcmp(sel->hh[keep[j]].ext_id, p->appt_ids[a]) == 0) {
                wopen[j + 1] = p->appt_open[a];
                wclose[j + 1] = p->appt_close[a];
                appt[j + 1] = a + 1;
            }
    }
    *sched = (struct tour_sched){
        speed,        p->start_time, p->start_time + p->day_min + (p->lunch_to - p->lunch_from),
        p->dwell_min, p->lunch_from, p->lunch_to,
        wopen,        wclose};
    /* A short tour over the start and the stops gives the order in which
     * stops are offered to the days. */
    double len;
    for (size_t i = 0; rc == ERR_OK && i <= k; i++)
        for (size_t j = 0; j <= k; j++)
            sub[i * (k + 1) + j] = mat[i * n + j];
    if (rc == ERR_OK)
        rc = tour_solve(sub, k + 1, seq, &len, e);
    size_t cnt = k, cap = p->max_visits > 0 ? (size_t)p->max_visits : TOUR_WINDOWS_MAX_STOPS;
    int exact = 0;
    while (rc == ERR_OK) {
        size_t bad = 0;
        rc = tour_windows_days(mat, n, endn, seq + 1, cnt, sched, cap, order, days, nd, &bad,
                               &exact, e);
        if (rc != ERR_NOTFOUND)
            break;
        err_clear(e);
        if (appt[bad]) {
            char f[24], t[24], s0[24], s1[24];
            size_t a = appt[bad] - 1;
            route_format_time(p->appt_open[a], f, sizeof f);
            route_format_time(p->appt_close[a], t, sizeof t);
            route_format_time(sched->start, s0, sizeof s0);
            route_format_time(sched->end_by, s1, sizeof s1);
            rc = err_set(e, ERR_INPUT,
                         "appointment %zu of %zu (%s-%s) cannot be kept: no day from %s can "
                         "start that visit in its window and still end by %s",
                         a + 1, p->nappt, f, t, s0, s1);
            break;
        }
        /* Too far for any day: set aside like a household beyond a day's walk. */
        size_t w = 0;
        for (size_t i = 1; i <= cnt; i++)
            if (seq[i] != bad)
                seq[++w] = seq[i];
        cnt = w;
        struct route_hh *h = &sel->hh[keep[bad - 1]];
        struct route_unreachable *u = &r->unreachable[r->nunreachable++];
        u->ext_id = h->ext_id;
        h->ext_id = NULL;
        u->reason = ROUTE_TOO_FAR;
        rc = ERR_OK;
    }
    r->exact = rc == ERR_OK && exact && *nd <= 1;
    free(appt);
    free(sub);
    free(seq);
    return rc;
}

/* Projects lon/lat into the network's CRS (*x, *y) and snaps it to the
 * nearest walkable street within snap_m (*at). `what` ("start", "end")
 * names the point in the one-sentence refusal. */
static int route_place(struct walk_session *ws, const struct graph *g, double lon, double lat,
                       double snap_m, const char *what, double *x, double *y,
                       struct graph_place *at, struct err *e)
{
    struct err se = {0};
    int rc = walk_session_to_xy(ws, lon, lat, x, y, e);
    if (rc != ERR_OK)
        return rc;
    rc = graph_snap(g, *x, *y, snap_m, at, &se);
    if (rc == ERR_NOTFOUND)
        return err_set(e, ERR_INPUT,
                       "the %s point is more than %g m from any walkable street "
                       "(off the network)",
                       what, snap_m);
    if (rc != ERR_OK)
        return err_set(e, rc, "%s", se.msg);
    return ERR_OK;
}

int route_plan(struct store *st, const struct walk_net *net, struct walk_session *ws,
               const struct route_params *p, struct route_result **out, struct err *e)
{
    *out = NULL;
    struct walk_query q = {.minutes = WALK_DEFAULT_MINUTES,
                           .speed = p->speed,
                           .steps_factor = p->steps_factor,
                           .max_snap_m = p->max_snap_m};
    struct walk_result wr;
    if (walk_query_check(&q, &wr, e) != ERR_OK)
        return ERR_INPUT;
    if (!(p->dwell_min >= ROUTE_MIN_DWELL && p->dwell_min <= ROUTE_MAX_DWELL))
        return err_set(e, ERR_INPUT, "dwell must be between %g and %g minutes", ROUTE_MIN_DWELL,
                       ROUTE_MAX_DWELL);
    if (!(p->day_min >= ROUTE_MIN_DAY && p->day_min <= ROUTE_MAX_DAY))
        return err_set(e, ERR_INPUT, "day-minutes must be between %g and %g", ROUTE_MIN_DAY,
                       ROUTE_MAX_DAY);
    if (p->start_time < 0 || p->start_time + p->day_min > ROUTE_DAY_END)
        return err_set(e, ERR_INPUT, "the day must start and end between 00:00 and 24:00");
    double speed = wr.speed;
    double steps = p->steps_factor == 0 ? 1.0 : p->steps_factor;
    double snap_m = p->max_snap_m == 0 ? WALK_DEFAULT_SNAP_M : p->max_snap_m;
    const struct graph *g = walk_net_graph(net);
    struct route_sel sel = {0};
    struct route_result *r = NULL;
    struct graph_place *places = NULL;
    struct search_hit *hits = NULL;
    size_t *keep = NULL, *order = NULL;
    double *mat = NULL;
    struct tour_day *days = NULL;
    struct route_tracer tr = {.g = g, .search = walk_session_search(ws), .steps = steps};
    struct tour_sched sched = {0};
    double *wopen = NULL, *wclose = NULL;
    graph_view(g, &tr.v);
    int rc = route_select(st, p, &sel, e);
    if (rc != ERR_OK)
        goto fail;

    /* The start. */
    r = calloc(1, sizeof *r);
    if (r == NULL)
        goto nomem;
    r->start_lon = p->start_lon;
    r->start_lat = p->start_lat;
    r->speed = speed;
    r->dwell_min = p->dwell_min;
    r->day_min = p->day_min;
    r->start_time = p->start_time;
    r->scheduled = p->nappt > 0 || p->has_end || p->lunch_to > p->lunch_from || p->max_visits > 0;
    r->has_end = p->has_end;
    r->end_lon = p->has_end ? p->end_lon : p->start_lon;
    r->end_lat = p->has_end ? p->end_lat : p->start_lat;
    r->lunch_from = p->lunch_from;
    r->lunch_to = p->lunch_to;
    r->max_visits = p->max_visits;
    /* Every appointment names a household of the plan (a count, no ids). */
    size_t stray = 0;
    for (size_t a = 0; a < p->nappt; a++) {
        size_t i = 0;
        while (i < sel.n && strcmp(sel.hh[i].ext_id, p->appt_ids[a]) != 0)
            i++;
        stray += i == sel.n;
    }
    if (stray > 0) {
        rc = err_set(e, ERR_INPUT, "%zu appointment%s name%s households not in the plan", stray,
                     stray == 1 ? "" : "s", stray == 1 ? "s" : "");
        goto fail;
    }
    struct graph_place start, endp;
    struct err se = {0};
    if ((rc = route_place(ws, g, p->start_lon, p->start_lat, snap_m, "start", &r->start_x,
                          &r->start_y, &start, e)) != ERR_OK)
        goto fail;
    r->end_x = r->start_x;
    r->end_y = r->start_y;
    endp = start;
    if (p->has_end && (rc = route_place(ws, g, p->end_lon, p->end_lat, snap_m, "end", &r->end_x,
                                        &r->end_y, &endp, e)) != ERR_OK)
        goto fail;
    double t0 = route_now_ms();

    /* Households: off the network, not connected, too far for a day. */
    size_t nh = sel.n;
    places = malloc((nh + 2) * sizeof *places);
    hits = malloc((nh + 1) * sizeof *hits);
    keep = malloc((nh + 1) * sizeof *keep);
    r->unreachable = calloc(nh ? nh : 1, sizeof *r->unreachable);
    if (places == NULL || hits == NULL || keep == NULL || r->unreachable == NULL)
        goto nomem;
    size_t non = 0;
    for (size_t i = 0; i < nh; i++) {
        struct route_hh *h = &sel.hh[i];
        rc = graph_snap(g, h->x, h->y, snap_m, &h->place, &se);
        if (rc == ERR_NOTFOUND) {
            h->reason = ROUTE_OFF_NETWORK;
        } else if (rc != ERR_OK) {
            rc = err_set(e, rc, "a household could not be placed on the network");
            goto fail;
        } else {
            places[non] = h->place;
            keep[non++] = i;
        }
    }
    rc = ERR_OK;
    if (non > 0) {
        /* Stops once every household's distance is final. */
        struct search_params sp = {SEARCH_MAX_LIMIT_M, steps};
        if ((rc = search_run_targets(tr.search, &sp, &start, NULL, 1, places, non, hits, e)) !=
            ERR_OK)
            goto fail;
    }
    size_t k = 0;
    for (size_t j = 0; j < non; j++) {
        struct route_hh *h = &sel.hh[keep[j]];
        if (!hits[j].reached)
            h->reason = ROUTE_UNREACHABLE;
        else if (2 * hits[j].cost_m / speed + p->dwell_min > p->day_min)
            h->reason = ROUTE_TOO_FAR;
        else
            keep[k++] = keep[j];
    }
    for (size_t i = 0; i < nh; i++)
        if (sel.hh[i].reason) {
            struct route_unreachable *u = &r->unreachable[r->nunreachable++];
            u->ext_id = sel.hh[i].ext_id;
            sel.hh[i].ext_id = NULL;
            u->reason = sel.hh[i].reason;
        }

    /* Matrix over the start, the stops and the end (when elsewhere),
     * bounded by a day's walk. */
    size_t n = k + 1 + (size_t)p->has_end, endn = p->has_end ? k + 1 : 0;
    places[0] = start;
    for (size_t j = 0; j < k; j++)
        places[j + 1] = sel.hh[keep[j]].place;
    if (p->has_end)
        places[endn] = endp;
    mat = malloc(n * n * sizeof *mat);
    order = malloc(n * sizeof *order);
    days = malloc(n * sizeof *days);
    if (mat == NULL || order == NULL || days == NULL)
        goto nomem;
    struct search_params mp = {p->day_min * speed, steps};
    if ((rc = search_matrix(tr.search, &mp, places, n, mat, e)) != ERR_OK)
        goto fail;
    /* Symmetric (the network is undirected; this only removes rounding
     * noise); pairs beyond a day's walk get a cost no day can afford. */
    double far = 10.0 * p->day_min * speed;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            double v = fmin(mat[i * n + j], mat[j * n + i]);
            if (!isfinite(v))
                v = far;
            mat[i * n + j] = mat[j * n + i] = v;
        }
    double len;
    size_t nd = 0;
    if (r->scheduled) {
        wopen = malloc(n * sizeof *wopen);
        wclose = malloc(n * sizeof *wclose);
        if (wopen == NULL || wclose == NULL)
            goto nomem;
        rc = route_schedule(mat, n, endn, &sel, keep, k, p, speed, r, &sched, wopen, wclose, order,
                            days, &nd, e);
        if (rc != ERR_OK)
            goto fail;
    } else {
        if ((rc = tour_solve(mat, n, order, &len, e)) != ERR_OK)
            goto fail;
        r->exact = k <= TOUR_EXACT_MAX_STOPS;
        if ((rc = tour_split(mat, n, order, speed, p->dwell_min, p->day_min, days, &nd, e)) !=
            ERR_OK)
            goto fail;
        for (size_t d = 0; d < nd; d++)
            if ((rc = route_day_reorder(mat, n, order, &days[d], e)) != ERR_OK)
                goto fail;
    }
    r->solve_ms = route_now_ms() - t0;

    /* Stops, times and paths, day by day. */
    r->stops = calloc(k ? k : 1, sizeof *r->stops);
    r->days = calloc(nd ? nd : 1, sizeof *r->days);
    tr.mark = calloc(tr.v.nnodes ? tr.v.nnodes : 1, sizeof *tr.mark);
    tr.nodes = malloc((tr.v.nnodes ? tr.v.nnodes : 1) * sizeof *tr.nodes);
    tr.edges = malloc((tr.v.nnodes ? tr.v.nnodes : 1) * sizeof *tr.edges);
    if (r->stops == NULL || r->days == NULL || tr.mark == NULL || tr.nodes == NULL ||
        tr.edges == NULL)
        goto nomem;
    for (size_t d = 0; d < nd; d++) {
        struct route_day *day = &r->days[r->ndays++];
        day->first = r->nstops;
        day->count = days[d].count;
        double clock = p->start_time;
        size_t prev = 0;
        double px = r->start_x, py = r->start_y;
        double at[TOUR_WINDOWS_MAX_STOPS + 1], wm;
        if (r->scheduled)
            tour_windows_eval(mat, n, endn, order + days[d].first, days[d].count, &sched, at, &wm);
        tr.n = 0;
        for (size_t i = 0; i <= days[d].count; i++) {
            size_t node = i < days[d].count ? order[days[d].first + i] : endn;
            double leg = mat[prev * n + node];
            double nx = r->end_x, ny = r->end_y;
            if (i < days[d].count) {
                struct route_hh *h = &sel.hh[keep[node - 1]];
                struct route_stop *s = &r->stops[r->nstops++];
                s->ext_id = h->ext_id;
                h->ext_id = NULL;
                s->x = nx = h->x;
                s->y = ny = h->y;
                s->approx = h->approx;
                if (walk_session_to_lonlat(ws, s->x, s->y, &s->lon, &s->lat) != ERR_OK) {
                    rc = err_set(e, ERR_INTERNAL, "a position cannot be projected to WGS84");
                    goto fail;
                }
                s->walk_m = leg;
                s->win_open = s->win_close = -1;
                for (size_t a = 0; a < p->nappt; a++)
                    if (strcmp(p->appt_ids[a], s->ext_id) == 0) {
                        s->win_open = p->appt_open[a];
                        s->win_close = p->appt_close[a];
                    }
                clock = r->scheduled ? at[i] : clock + leg / speed;
                s->arrive = clock;
                clock += p->dwell_min;
                s->leave = clock;
            } else {
                day->back_m = leg;
                clock = r->scheduled ? at[days[d].count] : clock + leg / speed;
            }
            day->walk_m += leg;
            if ((rc = route_trace(&tr, &places[prev], px, py, &places[node], nx, ny, leg, e)) !=
                ERR_OK)
                goto fail;
            prev = node;
            px = nx;
            py = ny;
        }
        day->minutes = day->walk_m / speed + p->dwell_min * (double)day->count;
        day->end = clock;
        r->total_walk_m += day->walk_m;
        day->line = malloc((tr.n ? tr.n : 1) * 2 * sizeof *day->line);
        if (day->line == NULL)
            goto nomem;
        for (size_t i = 0; i < tr.n; i++)
            if (walk_session_to_lonlat(ws, tr.xy[2 * i], tr.xy[2 * i + 1], &day->line[2 * i],
                                       &day->line[2 * i + 1]) != ERR_OK) {
                rc = err_set(e, ERR_INTERNAL, "a position cannot be projected to WGS84");
                goto fail;
            }
        day->nline = tr.n;
    }
    goto done;
nomem:
    rc = err_nomem(e);
fail:
    route_result_free(r);
    r = NULL;
done:
    route_sel_free(&sel);
    free(places);
    free(hits);
    free(keep);
    free(mat);
    free(order);
    free(days);
    free(tr.mark);
    free(tr.nodes);
    free(tr.edges);
    free(tr.xy);
    free(wopen);
    free(wclose);
    *out = r;
    return r ? ERR_OK : (rc ? rc : ERR_INTERNAL);
}
