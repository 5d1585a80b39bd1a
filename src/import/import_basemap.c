/* SPDX-License-Identifier: MIT */
/* import_basemap.c - the offline base map import (see import_basemap.h):
 * opens the file through src/geo, reads raw OSM in three passes with an
 * osmconf of its own, classifies each feature (import_basemap_class.c),
 * moves it into the database CRS and writes it with store_basemap.h, all
 * in one transaction. Entry point: import_basemap. */
#include "import_basemap.h"

#include "import_attrib.h"
#include "import_osmconf.h"
#include "store_basemap.h"
#include "utf8.h"
#include "wkb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define IMPORT_BASEMAP_NAME_MAX 256 /* bytes of a name kept (longer is cut) */
#define IMPORT_BASEMAP_PATH_MAX 4096

/* GDAL 3.6 osmconf.ini: the tags the classifier reads, as real attributes
 * (name:ja becomes the field name_ja); closed ways with these keys are
 * areas. */
static const char import_basemap_osmconf[] =
    "# tsunagu: OSM driver configuration for the base map import\n"
    "closed_ways_are_polygons=aeroway,amenity,boundary,building,craft,geological,historic,"
    "landuse,leisure,military,natural,office,place,shop,sport,tourism,highway=platform,"
    "public_transport=platform\n"
    "[points]\nosm_id=yes\nattributes=name,name:ja,railway,place\nother_tags=no\n"
    "[lines]\nosm_id=yes\nattributes=name,name:ja,highway,railway,waterway\nother_tags=no\n"
    "[multipolygons]\nosm_id=yes\nosm_way_id=yes\nattributes=name,name:ja,natural,water,"
    "landuse,leisure,building,waterway,place\nother_tags=no\n"
    "[multilinestrings]\nosm_id=yes\nattributes=name,type\nother_tags=no\n"
    "[other_relations]\nosm_id=yes\nattributes=name,type\nother_tags=no\n";

/* The raw OSM layers, read in this order. */
static const char *const import_basemap_osm_layers[] = {"points", "lines", "multipolygons"};

/* Field indexes of the open layer, -1 when absent. */
struct import_basemap_cols {
    int highway, railway, waterway, natural, water, landuse, leisure, building, place;
    int name, name_ja;
    int u, v, oneway, reversed; /* osmnx edge layers: node ids, oneway, reversed */
};

/* One import's state; released by import_basemap. */
struct import_basemap_run {
    struct store *st;                            /* the store (borrowed) */
    const struct import_opts *o;                 /* the options (borrowed) */
    struct import_basemap_report *rep;           /* the report being filled */
    struct source_opts so;                       /* how each pass opens the file */
    struct source *src;                          /* the open pass */
    struct import_basemap_cols col;              /* its fields */
    struct import_xform x;                       /* file CRS -> database CRS */
    struct store_basemap_writer *w;              /* the table's writer */
    const char *file;                            /* the file's base name, for messages */
    char conf[IMPORT_BASEMAP_PATH_MAX];          /* temporary osmconf, "" when none */
    char conf_opt[IMPORT_BASEMAP_PATH_MAX + 16]; /* "CONFIG_FILE=..." */
};

static void import_basemap_cols_find(struct import_basemap_run *r)
{
    struct source *s = r->src;
    struct import_basemap_cols *c = &r->col;
    c->highway = source_field(s, "highway");
    if (c->highway < 0 && !r->rep->osm)
        c->highway = source_field(s, "fclass");
    c->railway = source_field(s, "railway");
    c->waterway = source_field(s, "waterway");
    c->natural = source_field(s, "natural");
    c->water = source_field(s, "water");
    c->landuse = source_field(s, "landuse");
    c->leisure = source_field(s, "leisure");
    c->building = source_field(s, "building");
    c->place = source_field(s, "place");
    c->name = source_field(s, "name");
    c->name_ja = source_field(s, "name_ja");
    if (c->name_ja < 0)
        c->name_ja = source_field(s, "name:ja");
    c->u = r->rep->osm ? -1 : source_field(s, "u");
    c->v = r->rep->osm ? -1 : source_field(s, "v");
    c->oneway = r->rep->osm ? -1 : source_field(s, "oneway");
    c->reversed = r->rep->osm ? -1 : source_field(s, "reversed");
}

static const char *import_basemap_str(struct import_basemap_run *r, int col)
{
    const char *v = col >= 0 ? source_str(r->src, col) : NULL;
    return v && *v ? v : NULL;
}

/* 1 when the row is the reversed twin of a two-way street of an osmnx
 * edge layer: its `reversed` is True, or, where that is a list (an edge
 * merged from parts), u > v and not oneway; the other copy is kept. */
static int import_basemap_twin(struct import_basemap_run *r)
{
    const char *u = import_basemap_str(r, r->col.u), *v = import_basemap_str(r, r->col.v);
    const char *one = import_basemap_str(r, r->col.oneway);
    const char *rev = import_basemap_str(r, r->col.reversed);
    if (u == NULL || v == NULL)
        return 0;
    if (rev && (strcmp(rev, "True") == 0 || strcmp(rev, "False") == 0))
        return rev[0] == 'T';
    if (one && (strcmp(one, "1") == 0 || strcmp(one, "True") == 0 || strcmp(one, "true") == 0 ||
                strcmp(one, "yes") == 0))
        return 0;
    char *end1, *end2;
    double a = strtod(u, &end1), b = strtod(v, &end2);
    return *end1 == '\0' && *end2 == '\0' && a > b;
}

/* Classifies, transforms and stores the current feature f. */
static int import_basemap_feature(struct import_basemap_run *r, struct source_feature *f,
                                  struct err *e)
{
    if (f->wkb_len == 0 || f->cut)
        return ERR_OK; /* nothing to draw, or a way GDAL cut short */
    char where[200];
    snprintf(where, sizeof where, "%s%s%s feature %ld", r->file, r->rep->osm ? " layer " : "",
             r->rep->osm ? source_layer_name(r->src) : "", f->index);
    struct wkb_info wi;
    if (wkb_inspect(f->wkb, f->wkb_len, &wi, e) != ERR_OK)
        return err_prefix(e, "%s: ", where), ERR_INPUT;
    int geom = wi.type == WKB_POINT || wi.type == WKB_MULTIPOINT             ? IMPORT_BASEMAP_POINT
               : wi.type == WKB_LINESTRING || wi.type == WKB_MULTILINESTRING ? IMPORT_BASEMAP_LINE
               : wi.type == WKB_POLYGON || wi.type == WKB_MULTIPOLYGON       ? IMPORT_BASEMAP_AREA
                                                                             : -1;
    if (geom < 0 || wi.empty)
        return ERR_OK;
    struct import_basemap_cols *c = &r->col;
    struct import_basemap_tags t = {
        import_basemap_str(r, c->highway),  import_basemap_str(r, c->railway),
        import_basemap_str(r, c->waterway), import_basemap_str(r, c->natural),
        import_basemap_str(r, c->water),    import_basemap_str(r, c->landuse),
        import_basemap_str(r, c->leisure),  import_basemap_str(r, c->building),
        import_basemap_str(r, c->place)};
    const char *subclass;
    int minzoom, cls = import_basemap_classify(&t, geom, &subclass, &minzoom);
    if (cls < 0 || (geom == IMPORT_BASEMAP_LINE && import_basemap_twin(r)))
        return ERR_OK;
    const char *nm = import_basemap_str(r, c->name_ja);
    if (nm == NULL)
        nm = import_basemap_str(r, c->name);
    if (cls == IMPORT_BASEMAP_PLACE && nm == NULL)
        return ERR_OK; /* a place is its name */
    char name[IMPORT_BASEMAP_NAME_MAX], sub[64];
    if (nm) {
        size_t k = utf8_cut(nm, strlen(nm), sizeof name - 1);
        memcpy(name, nm, k);
        name[k] = '\0';
    }
    snprintf(sub, sizeof sub, "%s", subclass ? subclass : "");
    sub[utf8_cut(sub, strlen(sub), sizeof sub - 1)] = '\0';
    if (import_xform_wkb(&r->x, f->wkb, f->wkb_len, where, e) != ERR_OK)
        return e->code;
    if (store_basemap_add(r->w, import_basemap_class_name(cls), sub, nm ? name : NULL, minzoom,
                          f->wkb, f->wkb_len, e) != ERR_OK)
        return e->code;
    r->rep->stored++;
    r->rep->kept[cls]++;
    return ERR_OK;
}

/* Reads the open pass to its end. */
static int import_basemap_pass(struct import_basemap_run *r, struct err *e)
{
    import_basemap_cols_find(r);
    for (;;) {
        struct source_feature f;
        int got = source_next(r->src, &f, e);
        if (got < 0)
            return e->code;
        if (got == 0)
            return ERR_OK;
        r->rep->read++;
        import_progress(r->o, "basemap", r->rep->read, -1);
        if (import_basemap_feature(r, &f, e) != ERR_OK)
            return e->code;
    }
}

/* Opens the pass on `layer` (NULL: as the options say). */
static int import_basemap_open(struct import_basemap_run *r, const char *layer, struct err *e)
{
    source_close(r->src);
    if (layer)
        r->so.layer = layer;
    r->src = source_open(&r->so, e);
    return r->src ? ERR_OK : e->code;
}

/* Raw OSM: writes the osmconf and adds it to the open options. */
static int import_basemap_osm_setup(struct import_basemap_run *r, struct err *e)
{
    if (import_osmconf_write(import_basemap_osmconf, r->conf, sizeof r->conf, e) != ERR_OK)
        return e->code;
    snprintf(r->conf_opt, sizeof r->conf_opt, "CONFIG_FILE=%s", r->conf);
    int slot = 0;
    while (slot < SOURCE_MAX_OPEN_OPTIONS && r->so.open_options[slot])
        slot++;
    if (slot == SOURCE_MAX_OPEN_OPTIONS)
        return err_set(e, ERR_LIMIT, "%s: more than %d open options", r->file,
                       SOURCE_MAX_OPEN_OPTIONS - 1);
    r->so.open_options[slot] = r->conf_opt;
    r->so.open_options[slot + 1] = NULL;
    return ERR_OK;
}

/* The whole import inside the open transaction. */
static int import_basemap_body(struct import_basemap_run *r, const char *key, struct err *e)
{
    struct import_report xrep = {0};
    if (import_xform_open(r->st, r->src, r->o, &r->x, &xrep, e) != ERR_OK)
        return e->code;
    r->rep->srid = xrep.srid;
    r->rep->srid_new = xrep.srid_new;
    if ((r->w = store_basemap_begin(r->st, key, e)) == NULL)
        return e->code;
    int passes = r->rep->osm && r->o->src.layer == NULL ? 3 : 1;
    for (int i = 0; i < passes; i++) {
        /* Reopened each time: the CRS probe may have read a feature. */
        if (import_basemap_open(
                r, r->rep->osm && r->o->src.layer == NULL ? import_basemap_osm_layers[i] : NULL,
                e) != ERR_OK ||
            import_basemap_pass(r, e) != ERR_OK)
            return e->code;
    }
    import_progress(r->o, "", -1, 0);
    if (r->rep->stored == 0)
        return err_set(e, ERR_INPUT,
                       "%s holds nothing for the base map (no water, railway, station, road, "
                       "park, building or named place among its %ld features)",
                       r->file, r->rep->read);
    if (store_basemap_finish(r->w, e) != ERR_OK ||
        import_attrib_record(r->st, "basemap", key, r->src, r->rep->osm, e) != ERR_OK)
        return e->code;
    return store_import_log(r->st, "basemap", key, r->o->src.path, r->rep->stored, e);
}

int import_basemap(struct store *st, const struct import_opts *o, struct import_basemap_report *rep,
                   struct err *e)
{
    memset(rep, 0, sizeof *rep);
    if (o->source_name && !utf8_text_ok(o->source_name))
        return err_set(e, ERR_INPUT, "--source must be UTF-8 text without control characters");
    struct import_basemap_run r = {.st = st, .o = o, .rep = rep, .so = o->src};
    r.file = import_base(o->src.path);
    char keybuf[256];
    const char *key = import_key(o, keybuf, sizeof keybuf);
    int rc = import_basemap_open(&r, NULL, e);
    if (rc == ERR_OK && strcmp(source_driver(r.src), "OSM") == 0) {
        rep->osm = 1;
        rc = import_basemap_osm_setup(&r, e);
        if (rc == ERR_OK)
            rc = import_basemap_open(&r, o->src.layer ? o->src.layer : "lines", e);
    }
    if (rc == ERR_OK)
        rc = store_begin(st, e);
    if (rc == ERR_OK) {
        rc = import_basemap_body(&r, key, e);
        store_basemap_end(r.w);
        if (rc == ERR_OK)
            rc = store_commit(st, e);
        else
            store_rollback(st);
    }
    import_xform_close(&r.x);
    source_close(r.src);
    if (r.conf[0])
        unlink(r.conf);
    return rc;
}
