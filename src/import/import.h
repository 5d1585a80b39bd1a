/* SPDX-License-Identifier: MIT */
/* import.h - loads districts, resources, households, census small areas and
 * the walking network from any GDAL-readable file into the store.
 *
 * Every import is one transaction: it lands whole or leaves the database as
 * it was. Re-importing the same source (by default the file's base name, or
 * --source NAME) replaces its rows. The first import fixes the database's
 * metric CRS from the data's location (crs_pick) unless opts->crs names one.
 * Messages about households name only the file and line, never values.
 *
 * Entry points: import_run, import_kind_parse, import_xform_open,
 * import_xform_close, import_xform_wkb, import_progress, import_base,
 * import_network, import_key, import_layers_group.
 */
#ifndef TSUNAGU_IMPORT_H
#define TSUNAGU_IMPORT_H

#include "crs.h"
#include "err.h"
#include "source.h"
#include "store.h"

#include <stdio.h>

enum import_kind {
    IMPORT_DISTRICTS = 1,
    IMPORT_RESOURCES,
    IMPORT_HOUSEHOLDS,
    IMPORT_POPULATION,
    IMPORT_NETWORK,
    IMPORT_CANDIDATES
};

/* Options of one import; unset strings are NULL. */
struct import_opts {
    int kind;                     /* enum import_kind */
    struct source_opts src;       /* file, layer, --s-srs, --where, CSV columns */
    const char *source_name;      /* dataset key; default: the file's base name */
    const char *crs;              /* "EPSG:n" to fix the database CRS on first import */
    const char *level;            /* districts: level key */
    const char *level_label;      /* districts: display label of a new level */
    const char *from_level;       /* districts --group: the level the groups are made of */
    const char *dissolve_field;   /* districts: one district per value of this field */
    const char *municipality;     /* districts/resources: keep one municipality code */
    const char *name_field;       /* name attribute */
    const char *code_field;       /* district/area code attribute */
    const char *id_field;         /* resource/household id attribute */
    const char *kind_field;       /* resource kind attribute */
    const char *kind_value;       /* resource kind for the whole file */
    const char *fields_field;     /* resource fields attribute */
    const char *fields_value;     /* resource fields for the whole file */
    const char *address_field;    /* address attribute */
    const char *pop_field;        /* population: residents attribute */
    const char *households_field; /* population: households attribute */
    const char *members_field;    /* households: members attribute */
    const char *needs_field;      /* households: needs attribute */
    const char *consent_field;    /* households: consent attribute */
    const char *agency_field;     /* households: agency attribute */
    const char *protected_field;  /* households: protection attribute (yes/no) */
    const char *unmatched;        /* resources/households with --address-field: "stop" or "skip" */
    const char *unmatched_file;   /* where --unmatched skip writes the unmatched line numbers */
    const char *positions;        /* addresses: an ABR table's position file */
    int progress;                 /* print progress to stderr when it is a terminal */
    int merge;          /* resources: update by stable id and add, instead of replacing the
                           source (store_register.h) */
    int retire_missing; /* with merge: retire the active resources the file does not hold */
    FILE *changes;      /* with merge: one line per resource added, changed, retired (or NULL) */
};

/* What an import did. */
struct import_report {
    long read;      /* features read from the file */
    long stored;    /* rows stored */
    long skipped;   /* features left out by --municipality or network rules */
    long nodes;     /* network: nodes stored */
    long areas;     /* network: pedestrian areas (squares) walked along their outline */
    long repaired;  /* districts/areas: invalid polygons repaired (ST_MakeValid) */
    long groups;    /* districts --group/--dissolve-field: districts made by union */
    long placed;    /* resources/households placed from their address */
    long unmatched; /* ... whose address matched nothing (left out with --unmatched skip) */
    long added;     /* resources added (merge, and replace-by-source history) */
    long changed;   /* merge: resources changed (reinstated ones included) */
    long unchanged; /* merge: resources the file holds as they are */
    long retired;   /* merge --retire-missing: resources retired */
    int srid;       /* the database CRS */
    int srid_new;   /* 1 when this import fixed the CRS */
};

/* Runs one import. Resources with o->merge are matched by their stable id
 * (the file's id column) and changed in place with history, as
 * `tsunagu import resources FILE --merge` documents. On failure nothing in the database changes and
 * `e` holds one sentence naming the file and, where there is one, the feature/line. */
int import_run(struct store *st, const struct import_opts *o, struct import_report *rep,
               struct err *e);

/* Parses "districts", "resources", "households", "population", "network",
 * "candidates";
 * 0 when unknown. */
int import_kind_parse(const char *word);

/* ---- shared by the importers (import.c, import_network.c) ---- */

/* Per-import transformation state. */
struct import_xform {
    struct crs_src *src;  /* file CRS -> database CRS, owned */
    struct crs_area area; /* where the database accepts data */
    int outside;          /* set when a coordinate fell outside `area` */
    int failed;           /* set when PROJ could not transform a coordinate */
};

/* Opens the source's CRS and, if the database has none yet, picks and fixes
 * it (inside the open transaction). Fills rep->srid/srid_new. */
int import_xform_open(struct store *st, struct source *src, const struct import_opts *o,
                      struct import_xform *x, struct import_report *rep, struct err *e);
void import_xform_close(struct import_xform *x);

/* Transforms a WKB geometry in place into the database CRS, checking every
 * coordinate against the area. `where` ("FILE feature 12") starts the
 * message; coordinates are never printed. */
int import_xform_wkb(struct import_xform *x, unsigned char *wkb, size_t len, const char *where,
                     struct err *e);

/* Progress line on stderr ("\r<what> 1200/30750") when o->progress is set and
 * stderr is a terminal; `done` < 0 ends the line. */
void import_progress(const struct import_opts *o, const char *what, long done, long total);

/* Base name of a path (borrowed pointer into it). */
const char *import_base(const char *path);

/* The dataset key: --source, else the file's base name with any byte that
 * is not UTF-8 written as '?' (into buf, n bytes). Borrowed. */
const char *import_key(const struct import_opts *o, char *buf, size_t n);

/* Runs the walking-network import (import_network.c). */
int import_network(struct store *st, const struct import_opts *o, struct import_report *rep,
                   struct err *e);

/* Builds level o->level from groups of o->from_level's districts read from
 * the mapping CSV o->src.path (a header row, then code, group code and
 * optionally group name per row; import_layers.c). One transaction: on
 * failure (an unknown code, a code mapped twice, districts left unmapped,
 * a union that is no valid polygon) nothing changes and `e` holds one
 * sentence naming the file and the line or the codes. */
int import_layers_group(struct store *st, const struct import_opts *o, struct import_report *rep,
                        struct err *e);

#endif
