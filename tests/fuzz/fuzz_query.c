/* SPDX-License-Identifier: MIT */
/* fuzz_query.c - fuzz target for the parsers that turn query parameters
 * (and the CLI's options, which share them) into values: walk_query_parse
 * (/api/walk, /api/isochrone), coverage_params_parse (/api/coverage),
 * suggest_params_parse (/api/suggest), route_params_parse (the route body
 * after http_plan.c and `tsunagu route`), server_number and server_integer
 * (/api/districts/at, /ogc ... limit and offset), and walk_parse_number,
 * the number parser under all of them.
 *
 * The input is a query string "name=value&name=value..." decoded as the
 * server does (libmicrohttpd's MHD_http_unescape on each name and value);
 * each parser receives the parameters it names (the last one given wins,
 * as a CLI repeated option would), and every parser runs on every input.
 * Invariants: a refusal comes with a sentence; an accepted query lies
 * within the documented limits (walk.h, route.h, suggest.h); an accepted
 * number was written as a plain decimal (walk.h: "strictly one finite
 * decimal number"), not hex ("0x1p3"), not padded (" 34.95"). */
#include "coverage.h"
#include "fuzzutil.h"
#include "route.h"
#include "server.h"
#include "suggest.h"
#include "walk.h"

#include <math.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_QUERY_MAX_PARAMS 24 /* parameters looked at; the rest stay in the last value */

/* The decoded parameters, by name. */
struct fuzz_query_params {
    char *names[FUZZ_QUERY_MAX_PARAMS];  /* decoded names (in the input copy) */
    char *values[FUZZ_QUERY_MAX_PARAMS]; /* decoded values, "" without "=" */
    size_t n;                            /* parameters */
};

/* The value of the last parameter called `name`, or NULL. */
static const char *fuzz_query_get(const struct fuzz_query_params *q, const char *name)
{
    const char *v = NULL;
    for (size_t i = 0; i < q->n; i++)
        if (strcmp(q->names[i], name) == 0)
            v = q->values[i];
    return v;
}

/* A refusal names what is wrong. */
static void fuzz_query_refused(int rc, const struct err *e)
{
    fz_check(rc != ERR_OK && e->code != ERR_OK && e->msg[0] != '\0',
             "a refused query comes with a sentence");
}

/* An accepted walking query lies within walk.h's limits. */
static void fuzz_query_walk_ok(const struct walk_query *q)
{
    fz_check(q->minutes >= WALK_MIN_MINUTES && q->minutes <= WALK_MAX_MINUTES,
             "minutes within 1..180");
    fz_check(q->speed == 0 || (q->speed >= WALK_MIN_SPEED && q->speed <= WALK_MAX_SPEED),
             "speed within 10..150");
    fz_check(q->steps_factor == 0 || (q->steps_factor >= 1 && isfinite(q->steps_factor)),
             "steps factor at least 1");
    fz_check(q->max_snap_m >= 0 && q->max_snap_m <= WALK_MAX_SNAP_M, "max-snap within limits");
    struct walk_result r;
    struct err e = {0};
    fz_check(walk_query_check(q, &r, &e) == ERR_OK, "walk_query_check accepts a parsed query");
    fz_check(r.limit_m > 0 && isfinite(r.limit_m), "the walking limit is a positive distance");
}

static void fuzz_query_walk(const struct fuzz_query_params *qp)
{
    struct walk_query_text t = {
        fuzz_query_get(qp, "lon"),          fuzz_query_get(qp, "lat"),
        fuzz_query_get(qp, "minutes"),      fuzz_query_get(qp, "speed"),
        fuzz_query_get(qp, "kind"),         fuzz_query_get(qp, "field"),
        fuzz_query_get(qp, "steps_factor"), fuzz_query_get(qp, "max_snap"),
        fuzz_query_get(qp, "target"),       fuzz_query_get(qp, "open_at"),
        fuzz_query_get(qp, "open_on"),
    };
    struct walk_query q;
    struct err e = {0};
    int rc = walk_query_parse(&t, "", &q, &e);
    if (rc != ERR_OK) {
        fuzz_query_refused(rc, &e);
    } else {
        fz_check(isfinite(q.lon) && isfinite(q.lat), "an accepted origin is finite");
        fuzz_query_walk_ok(&q);
    }
    /* The same text without an origin, as coverage and suggest take it. */
    t.lon = t.lat = NULL;
    struct err e2 = {0};
    rc = walk_query_parse_options(&t, "--", &q, &e2);
    if (rc != ERR_OK)
        fuzz_query_refused(rc, &e2);
    else
        fuzz_query_walk_ok(&q);
}

static void fuzz_query_plan(const struct fuzz_query_params *qp)
{
    struct suggest_text st = {
        .cov = {fuzz_query_get(qp, "minutes"), fuzz_query_get(qp, "speed"),
                fuzz_query_get(qp, "kind"), fuzz_query_get(qp, "field"),
                fuzz_query_get(qp, "steps_factor"), fuzz_query_get(qp, "max_snap"),
                fuzz_query_get(qp, "level"), fuzz_query_get(qp, "target"),
                fuzz_query_get(qp, "open_at"), fuzz_query_get(qp, "open_on")},
        .sites = fuzz_query_get(qp, "sites"),
        .candidates = fuzz_query_get(qp, "candidates"),
    };
    struct coverage_params cp;
    struct err e = {0};
    int rc = coverage_params_parse(&st.cov, "", &cp, &e);
    if (rc != ERR_OK) {
        fuzz_query_refused(rc, &e);
    } else {
        fuzz_query_walk_ok(&cp.walk);
        fz_check(cp.level == NULL || (strlen(cp.level) >= 1 && strlen(cp.level) <= 32),
                 "a level key is 1..32 bytes");
    }
    struct suggest_params sp;
    struct err e2 = {0};
    rc = suggest_params_parse(&st, "", &sp, &e2);
    if (rc != ERR_OK) {
        fuzz_query_refused(rc, &e2);
    } else {
        fuzz_query_walk_ok(&sp.cov.walk);
        fz_check(sp.sites >= 1 && sp.sites <= SUGGEST_MAX_SITES,
                 "sites within 1..SUGGEST_MAX_SITES");
    }
}

static void fuzz_query_route(const struct fuzz_query_params *qp)
{
    struct route_text t = {
        .start_lon = fuzz_query_get(qp, "start_lon"),
        .start_lat = fuzz_query_get(qp, "start_lat"),
        .households = fuzz_query_get(qp, "households"),
        .district = fuzz_query_get(qp, "district"),
        .level = fuzz_query_get(qp, "level"),
        .need = fuzz_query_get(qp, "need"),
        .dwell = fuzz_query_get(qp, "dwell"),
        .day_minutes = fuzz_query_get(qp, "day_minutes"),
        .speed = fuzz_query_get(qp, "speed"),
        .steps_factor = fuzz_query_get(qp, "steps_factor"),
        .max_snap = fuzz_query_get(qp, "max_snap"),
        .start_time = fuzz_query_get(qp, "start_time"),
    };
    struct route_params p;
    struct err e = {0};
    int rc = route_params_parse(&t, "", &p, &e);
    if (rc != ERR_OK) {
        fuzz_query_refused(rc, &e);
    } else {
        fz_check(isfinite(p.start_lon) && isfinite(p.start_lat), "an accepted start is finite");
        fz_check(p.dwell_min >= ROUTE_MIN_DWELL && p.dwell_min <= ROUTE_MAX_DWELL,
                 "dwell within limits");
        fz_check(p.day_min >= ROUTE_MIN_DAY && p.day_min <= ROUTE_MAX_DAY, "day within limits");
        fz_check(p.start_time >= 0 && p.start_time + p.day_min <= 1440, "the day ends by midnight");
        fz_check((p.nids > 0) != (p.district != NULL), "households or a district, not both");
        fz_check(p.nids <= ROUTE_MAX_STOPS, "at most ROUTE_MAX_STOPS households");
        for (size_t i = 0; i < p.nids; i++)
            fz_check(p.ids[i][0] != '\0' && strchr(p.ids[i], ',') == NULL,
                     "household ids are non-empty and comma-free");
    }
    route_params_clear(&p);
}

/* 1 when text is a plain decimal number: [+-]digits[.digits][(e|E)[+-]digits]
 * with at least one digit before the exponent, nothing before or after. */
static int fuzz_query_decimal(const char *text)
{
    const char *p = text;
    size_t digits = 0;
    if (*p == '+' || *p == '-')
        p++;
    while (*p >= '0' && *p <= '9')
        p++, digits++;
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++)
            digits++;
    if (digits == 0)
        return 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == '\0';
}

static void fuzz_query_numbers(const struct fuzz_query_params *qp)
{
    for (size_t i = 0; i < qp->n; i++) {
        /* walk_parse_number: "strictly one finite decimal number". */
        double w = 0;
        struct err we = {0};
        if (walk_parse_number(qp->values[i], "", "v", &w, &we) == ERR_OK)
            fz_check(isfinite(w) && fuzz_query_decimal(qp->values[i]),
                     "walk_parse_number accepts plain decimal numbers only");
        else
            fz_check(we.msg[0] != '\0', "a refused number comes with a sentence");
        double d = 12345.0;
        struct err e = {0};
        int rc = server_number(qp->values[i], "v", &d, &e);
        fz_check(rc == ERR_OK ? isfinite(d) && fuzz_query_decimal(qp->values[i]) : e.msg[0] != '\0',
                 "server_number yields a plain decimal number or a sentence");
        long l = 7;
        struct err e2 = {0};
        rc = server_integer(qp->values[i], "v", 0, 1000000, &l, &e2);
        fz_check(rc == ERR_OK ? (l >= 0 && l <= 1000000) : e2.msg[0] != '\0',
                 "server_integer yields a number in range or a sentence");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 8192)
        return 0; /* the server refuses targets over SERVER_URL_MAX bytes */
    char *text = fz_text(data, size);
    char *pairs[FUZZ_QUERY_MAX_PARAMS];
    struct fuzz_query_params qp = {.n = 0};
    size_t n = fz_split(text, '&', pairs, FUZZ_QUERY_MAX_PARAMS);
    for (size_t i = 0; i < n; i++) {
        char *eq = strchr(pairs[i], '=');
        qp.names[qp.n] = pairs[i];
        qp.values[qp.n] = eq ? eq + 1 : pairs[i] + strlen(pairs[i]);
        if (eq)
            *eq = '\0';
        MHD_http_unescape(qp.names[qp.n]);
        MHD_http_unescape(qp.values[qp.n]);
        qp.n++;
    }
    fuzz_query_walk(&qp);
    fuzz_query_plan(&qp);
    fuzz_query_route(&qp);
    fuzz_query_numbers(&qp);
    free(text);
    return 0;
}
