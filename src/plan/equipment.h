/* SPDX-License-Identifier: MIT */
/* equipment.h - how each area is equipped: per district of a level, the
 * resources of each kind whose point lies in it, per 1,000 residents where
 * census areas are imported, which districts have none of a kind
 * (むすびえ's ある/なし map), and, on the walking network, how many
 * resources of each kind lie within N minutes of the district's residents
 * (the residents-weighted mean over its small areas' representative
 * points, one bounded search per resource). Public data only (resources
 * and the census), so no figure is hidden. Rendering: equipment_json.h.
 *
 * Entry points: equipment_params_parse, equipment_run,
 * equipment_result_free. */
#ifndef TSUNAGU_EQUIPMENT_H
#define TSUNAGU_EQUIPMENT_H

#include "err.h"
#include "store.h"
#include "vocab.h"
#include "walk.h"

#include <stddef.h>

#define EQUIPMENT_KINDS_MAX 32 /* kinds in one answer */

/* The parameters as written (NULL when not given). */
struct equipment_text {
    const char *level;   /* district level key */
    const char *kinds;   /* comma-separated kinds (keys or Japanese names) */
    const char *minutes; /* walking limit for the reach figures */
};

/* What to answer. */
struct equipment_params {
    const char *level;                                  /* borrowed */
    size_t nkinds;                                      /* 0: every kind found */
    char kinds[EQUIPMENT_KINDS_MAX][VOCAB_KEY_MAX + 1]; /* kind keys */
    double minutes;                                     /* 0: no reach figures */
};

/* Parses t into p (prefix "--" or ""). ERR_INPUT with one sentence. */
int equipment_params_parse(const struct equipment_text *t, const char *prefix,
                           struct equipment_params *p, struct err *e);

/* One row: a district, "(no district)" or the total. */
struct equipment_row {
    char *code;     /* district code (owned), NULL for "(no district)" and the total */
    char *name;     /* display name (owned) */
    long residents; /* residents of the areas whose representative point lies here */
    long *count;    /* resources per kind (nkinds, owned) */
    double *reach;  /* per kind: residents' mean number within the limit; NAN without */
};

/* An answer (equipment_result_free). */
struct equipment_result {
    char *level;    /* owned */
    size_t nkinds;  /* kinds reported */
    char **kinds;   /* owned keys */
    double minutes; /* the limit of reach, 0 when not asked or no network */
    double speed;   /* m/min used for reach */
    int have_areas; /* census areas imported */
    size_t nrows;   /* districts by code, then "(no district)" when used */
    struct equipment_row *rows;
    struct equipment_row total;
};

/* Runs the answer. net and ws may be NULL (no reach figures). An unknown
 * or empty level is ERR_NOTFOUND. On failure *out is NULL. */
int equipment_run(struct store *st, const struct walk_net *net, struct walk_session *ws,
                  const struct equipment_params *p, struct equipment_result **out, struct err *e);

void equipment_result_free(struct equipment_result *r);

#endif
