/* SPDX-License-Identifier: MIT */
/* needs.h - "where has help not yet reached?" (どこにまだ手が届いていないか):
 * per district of a level, the census indicators of its small areas (65歳
 * 以上人口, 高齢単身世帯 ...), the known households by need tag, and for one
 * need and one indicator the rate of known households per 1,000 of the
 * indicator, the count the municipality's own rate would lead one to
 * expect there, and a flag for districts where far fewer are known.
 *
 * Method. A small area counts wholly in the district holding its
 * representative point (ST_PointOnSurface, as coverage does); a household
 * in the district holding its point. Households or areas outside every
 * district form a "(no district)" row. The municipality's rate R is the
 * total known households with the need over the total indicator; a
 * district's expected count is E = R x its indicator. The flag (under-
 * identified) is raised when the district's rate is below half of R
 * (O < E / 2) AND the one-sided exact Poisson test rejects "known at the
 * municipal rate" at NEEDS_ALPHA: P(X <= O | X ~ Poisson(E)) < 0.05. The
 * Poisson model is the usual one for comparing a small area's count with
 * the count a reference rate predicts (the test behind standardised
 * ratios); exact, not the normal approximation, because expected counts
 * per district are often below 10; one-sided, because only too few known
 * households is the question. The half-rate condition keeps large
 * districts with a statistically clear but small shortfall off the list.
 *
 * The result keeps household ids out: only counts and, for the disclosure
 * tables (access/disclose_needs.h), each household's district index and
 * tag bits. Rendering (needs_json.h) is apart from computing.
 *
 * Entry points: needs_params_parse, needs_run, needs_result_free,
 * needs_poisson_cdf, needs_indicator_find. */
#ifndef TSUNAGU_NEEDS_H
#define TSUNAGU_NEEDS_H

#include "err.h"
#include "store.h"

#include <stddef.h>

#define NEEDS_TAGS_MAX 32        /* distinct need tags in one answer */
#define NEEDS_INDICATORS_MAX 400 /* indicators in one answer */
#define NEEDS_ALPHA 0.05         /* level of the one-sided Poisson test */
#define NEEDS_NO_DISTRICT "(no district)"
#define NEEDS_NONE ((size_t)-1)

/* The parameters as a person wrote them (NULL when not given). */
struct needs_text {
    const char *level; /* district level key */
    const char *need;  /* one need tag (高齢独居, or an English alias) */
    const char *per;   /* indicator name (or its source column code) */
};

/* What to answer. */
struct needs_params {
    const char *level; /* level key (borrowed), NULL: the total only */
    const char *need;  /* canonical need tag (static), NULL: every tag found */
    const char *per;   /* indicator asked for (borrowed), NULL: no rate */
};

/* Parses t into p; parameter names in messages get `prefix` ("--" or "").
 * --per without --need is refused. ERR_INPUT with one sentence. */
int needs_params_parse(const struct needs_text *t, const char *prefix, struct needs_params *p,
                       struct err *e);

/* One row: a district, "(no district)" or the total. */
struct needs_district {
    char *code;        /* district code (owned); NULL for "(no district)" and the total */
    char *name;        /* display name (owned) */
    long households;   /* known households (any need) */
    long *tag;         /* known households per result tag (ntags entries, owned) */
    long areas;        /* small areas whose representative point lies here */
    double *ind;       /* per indicator: the sum over those areas (nind entries, owned) */
    long *ind_missing; /* per indicator: areas here without a value (secret or absent) */
    /* For the need and indicator asked (need and per set), else NAN / 0: */
    double rate;     /* known households per 1,000 of the indicator; NAN when it is 0 */
    double expected; /* the municipality's rate x the indicator */
    double p_value;  /* P(X <= observed | Poisson(expected)); NAN without expectation */
    int flag;        /* 1: under-identified (rate < half of R and p_value < NEEDS_ALPHA) */
};

/* An answer (needs_result_free). */
struct needs_result {
    char *level;       /* level (owned) or NULL */
    const char *need;  /* need asked (static) or NULL */
    char *per;         /* indicator asked (owned, its stored name) or NULL */
    size_t ntags;      /* tags reported: the need asked, or every tag found (vocab order) */
    const char **tags; /* static canonical tags */
    size_t need_index; /* index of `need` in tags, NEEDS_NONE without one */
    size_t nind;       /* indicators, by name */
    char **ind_names;  /* owned */
    char **ind_codes;  /* the source column each came from (owned, may be NULL) */
    size_t per_index;  /* index of `per` in ind_names, NEEDS_NONE without one */
    double rate;       /* the municipality's rate R per 1,000 (NAN when unknown) */
    size_t ndistricts; /* rows: districts by code, then "(no district)" when used */
    struct needs_district *districts;
    struct needs_district total;
    /* For the disclosure tables only (no ids): per household in store id
     * order, its row (index into districts, NEEDS_NONE without a level) and
     * tag bits (bit j = tags[j]). */
    size_t nhouseholds;
    size_t *hh_row;
    unsigned *hh_tags;
};

/* Runs the answer on the store. A level with no districts is ERR_NOTFOUND,
 * an unknown --per is ERR_NOTFOUND naming the indicators there are. On
 * failure *out is NULL. */
int needs_run(struct store *st, const struct needs_params *p, struct needs_result **out,
              struct err *e);

void needs_result_free(struct needs_result *r);

/* P(X <= k) for X ~ Poisson(mu) (mu >= 0), summed in log space. */
double needs_poisson_cdf(long k, double mu);

/* Index of indicator `name` in r (exact name, source code, or the name with
 * full-width digits and letters read as ASCII), or NEEDS_NONE. */
size_t needs_indicator_find(const struct needs_result *r, const char *name);

#endif
