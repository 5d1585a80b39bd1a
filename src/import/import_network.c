/* SPDX-License-Identifier: MIT */
/* import_network.c - the walking-network import (`tsunagu import network
 * FILE`). Entry point: import_network, called by import_run.
 *
 * Two kinds of input:
 *   - raw OpenStreetMap (.osm, .osm.pbf), read through GDAL's OSM driver
 *     with an osmconf of our own (written to a temporary file for the
 *     import's duration) that exposes highway, name, foot, access, area and
 *     motorroad as real attributes of the 'lines' layer; ways are kept by the
 *     pedestrian rules of osmtags.c and cut at every vertex they share with
 *     another way (netbuild NETBUILD_NODE_SHARED). Pedestrian areas (a
 *     square mapped as a closed way or multipolygon with area=yes and
 *     highway=pedestrian, footway, ...) come from the 'multipolygons' layer,
 *     read in a second pass: their outline rings are walked like ways, so
 *     streets that meet a square only at its edge are joined through it;
 *   - road-line layers (GeoPackage, Shapefile, GeoJSON, ...: LineString or
 *     MultiLineString, with or without a highway attribute), noded where
 *     line ends meet (NETBUILD_NODE_ENDPOINTS); each part of a
 *     MultiLineString is a line of its own. The same rules apply to the
 *     attributes the layer has; a row without a highway value counts as an
 *     unknown road and is kept.
 * Noding uses the file's exact coordinates (shared OSM nodes and osmnx end
 * points are bit-identical there); geometry and lengths use the coordinates
 * transformed into the database CRS by the shared import_xform helpers.
 *
 * length_m is the planar length of the transformed polyline in the
 * database's metric CRS (a JGD2011 plane-rectangular zone or a UTM zone); the
 * CRS scale error within its zone is about 1e-4, i.e. 0.1 m per km.
 *
 * One transaction: the old network is deleted and the new one inserted, or,
 * on any failure, the database stays exactly as it was (including a CRS
 * this import would have fixed). Every rejection is one sentence naming the
 * file and, where there is one, the feature (OSM: the way id).
 */
#include "import.h"
#include "import_attrib.h"
#include "import_osmconf.h"

#include "netbuild.h"
#include "vec.h"
#include "osmtags.h"
#include "store_network.h"
#include "utf8.h"
#include "wkb.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define IMPORT_NET_PATH_MAX 4096         /* longest temporary file path */
#define IMPORT_NET_TEXT_MAX (256u << 20) /* bytes of highway and name text per import */
#define IMPORT_NET_NOTEXT UINT32_MAX     /* "no text" in struct import_net_attr */

/* GDAL 3.6 osmconf.ini format. closed_ways_are_polygons is GDAL's default
 * list: closed ways with those keys (or area=yes) become polygons, so a
 * closed footway around a square stays a line. other_tags=no: every tag we
 * read is a real attribute, nothing is parsed out of other_tags. */
static const char import_net_osmconf[] =
    "# tsunagu: OSM driver configuration for the walking-network import\n"
    "closed_ways_are_polygons=aeroway,amenity,boundary,building,craft,geological,historic,"
    "landuse,leisure,military,natural,office,place,shop,sport,tourism,highway=platform,"
    "public_transport=platform\n"
    "[points]\nosm_id=yes\nattributes=name\nother_tags=no\n"
    "[lines]\nosm_id=yes\nattributes=highway,name,foot,access,area,motorroad\nother_tags=no\n"
    "[multipolygons]\nosm_id=yes\nosm_way_id=yes\nattributes=name,type,highway,foot,access,"
    "area,motorroad\nother_tags=no\n"
    "[multilinestrings]\nosm_id=yes\nattributes=name,type\nother_tags=no\n"
    "[other_relations]\nosm_id=yes\nattributes=name,type\nother_tags=no\n";

/* Attribute texts of one input feature, as offsets into the text pool. */
struct import_net_attr {
    uint32_t highway; /* normalised highway list, or IMPORT_NET_NOTEXT */
    uint32_t name;    /* street name, or IMPORT_NET_NOTEXT */
};

/* The coordinates of one feature, part after part. */
struct import_net_coords {
    double *v;        /* 2 * points values, owned */
    size_t points;    /* points held */
    size_t cap;       /* capacity of v in points */
    size_t *parts;    /* points of each line part, owned */
    size_t nparts;    /* parts held */
    size_t parts_cap; /* capacity of parts */
};

/* Attribute columns of the layer, -1 when absent. */
struct import_net_cols {
    int highway;    /* highway (or fclass in Geofabrik shapefiles) */
    int name;       /* name */
    int foot;       /* foot */
    int access;     /* access */
    int area;       /* area */
    int motorroad;  /* motorroad */
    int osm_id;     /* osm_id (OSM driver), for messages */
    int osm_way_id; /* osm_way_id (OSM driver, areas from closed ways), for messages */
};

/* State of one network import. */
struct import_net {
    const struct import_opts *o;             /* the caller's options */
    struct source_opts so;                   /* options the source is opened with */
    const char *file;                        /* base name of the file, for messages */
    struct source *src;                      /* open reader, owned */
    struct netbuild *nb;                     /* noder, owned */
    int osm;                                 /* 1 when read through GDAL's OSM driver */
    int areas;                               /* 1 while reading the OSM areas pass */
    char conf[IMPORT_NET_PATH_MAX];          /* temporary osmconf path, "" when none */
    char conf_opt[IMPORT_NET_PATH_MAX + 16]; /* "CONFIG_FILE=<conf>" */
    struct import_net_cols col;              /* attribute columns */
    char *text;                              /* text pool (NUL-terminated strings), owned */
    size_t text_len;                         /* bytes used in text */
    size_t text_cap;                         /* capacity of text */
    struct import_net_attr *attrs;           /* one per kept feature, owned */
    size_t nattrs;                           /* attrs used */
    size_t attrs_cap;                        /* capacity of attrs */
    struct import_net_coords key;            /* current feature in the file's CRS */
    struct import_net_coords xy;             /* current feature in the database CRS */
    long left_out[OSMTAGS_MOTORROAD + 1];    /* features left out, by verdict */
    long no_geometry;                        /* OSM features without geometry, left out */
    long too_long;                           /* OSM ways GDAL's reader cut or dropped */
};

/* wkb_walk callback: appends a line sequence to a struct import_net_coords. */
static int import_net_collect(void *ctx, int kind, double *xy, size_t n)
{
    struct import_net_coords *c = ctx;
    (void)kind; /* callers check the geometry type first */
    if (vec_reserve((void **)&c->v, &c->cap, c->points + n, 2 * sizeof *c->v) != ERR_OK ||
        vec_reserve((void **)&c->parts, &c->parts_cap, c->nparts + 1, sizeof *c->parts))
        return ERR_NOMEM;
    memcpy(c->v + 2 * c->points, xy, 2 * n * sizeof *xy);
    c->points += n;
    c->parts[c->nparts++] = n;
    return ERR_OK;
}

/* Copies the coordinates of a WKB geometry into c (emptied first). */
static int import_net_coords_read(struct import_net_coords *c, unsigned char *wkb, size_t len,
                                  struct err *e)
{
    c->points = c->nparts = 0;
    int rc = wkb_walk(wkb, len, import_net_collect, c, e);
    if (rc == ERR_NOMEM)
        return err_nomem(e);
    return rc;
}

static void import_net_coords_free(struct import_net_coords *c)
{
    free(c->v);
    free(c->parts);
}

/* Writes the osmconf into a new temporary file; its path goes to n->conf. */
static int import_net_conf_write(struct import_net *n, struct err *e)
{
    if (import_osmconf_write(import_net_osmconf, n->conf, sizeof n->conf, e) != ERR_OK)
        return e->code;
    snprintf(n->conf_opt, sizeof n->conf_opt, "CONFIG_FILE=%s", n->conf);
    return ERR_OK;
}

/* Opens the file; raw OSM is reopened with our osmconf on its 'lines'
 * layer (unless --layer names another). */
static int import_net_open(struct import_net *n, struct err *e)
{
    n->src = source_open(&n->so, e);
    if (n->src == NULL)
        return e->code;
    if (strcmp(source_driver(n->src), "OSM") != 0)
        return ERR_OK;
    n->osm = 1;
    source_close(n->src);
    n->src = NULL;
    if (import_net_conf_write(n, e) != ERR_OK)
        return e->code;
    int slot = 0;
    while (slot < SOURCE_MAX_OPEN_OPTIONS && n->so.open_options[slot])
        slot++;
    if (slot == SOURCE_MAX_OPEN_OPTIONS)
        return err_set(e, ERR_LIMIT, "%s: more than %d open options", n->file,
                       SOURCE_MAX_OPEN_OPTIONS - 1);
    n->so.open_options[slot] = n->conf_opt;
    n->so.open_options[slot + 1] = NULL;
    if (n->so.layer == NULL)
        n->so.layer = "lines";
    n->src = source_open(&n->so, e);
    return n->src ? ERR_OK : e->code;
}

static int import_net_reopen(struct import_net *n, struct err *e)
{
    source_close(n->src);
    n->src = source_open(&n->so, e);
    return n->src ? ERR_OK : e->code;
}

/* Finds the attribute columns of the layer. */
static void import_net_cols_find(struct import_net *n)
{
    struct import_net_cols *c = &n->col;
    c->highway = source_field(n->src, "highway");
    if (c->highway < 0 && !n->osm)
        c->highway = source_field(n->src, "fclass");
    c->name = source_field(n->src, "name");
    c->foot = source_field(n->src, "foot");
    c->access = source_field(n->src, "access");
    c->area = source_field(n->src, "area");
    c->motorroad = source_field(n->src, "motorroad");
    c->osm_id = n->osm ? source_field(n->src, "osm_id") : -1;
    c->osm_way_id = n->osm ? source_field(n->src, "osm_way_id") : -1;
}

static const char *import_net_str(struct import_net *n, int col)
{
    const char *v = col >= 0 ? source_str(n->src, col) : NULL;
    return v && *v ? v : NULL;
}

/* Picks the database CRS from the first line's first vertex when the file
 * reports no extent (OSM XML without <bounds>, e.g. Overpass output):
 * import_xform_open locates data by the extent and otherwise only reads a
 * first point. Writes "EPSG:n" into crs, or leaves it "" when
 * import_xform_open can decide alone. */
static int import_net_locate(struct import_net *n, struct store *st, char *crs, size_t size,
                             struct err *e)
{
    double bb[4];
    const char *def = source_crs(n->src);
    crs[0] = '\0';
    if (store_srid(st) != 0 || n->o->crs || def == NULL || source_extent(n->src, bb) == ERR_OK)
        return ERR_OK;
    for (;;) {
        struct source_feature f;
        int got = source_next(n->src, &f, e);
        if (got < 0)
            return e->code;
        if (got == 0)
            return err_set(e, ERR_INPUT, "%s: contains no lines", n->file);
        if (f.wkb_len == 0)
            continue;
        if (import_net_coords_read(&n->key, f.wkb, f.wkb_len, e) != ERR_OK)
            return err_prefix(e, "%s feature %ld: ", n->file, f.index), e->code;
        if (n->key.points > 0)
            break;
    }
    struct crs_src *probe = crs_src_open(def, 4326, e);
    if (probe == NULL)
        return err_prefix(e, "%s: ", n->file), ERR_INPUT;
    double ll[2];
    int rc = crs_src_to_lonlat(probe, n->key.v, ll, 1);
    crs_src_close(probe);
    if (rc != ERR_OK)
        return err_set(e, ERR_INPUT,
                       "%s: the first line's location cannot be transformed to "
                       "choose a CRS; pass --s-srs or --crs",
                       n->file);
    int epsg;
    if (crs_pick(ll[0], ll[1], 0, &epsg, e) != ERR_OK)
        return err_prefix(e, "%s: ", n->file), ERR_INPUT;
    snprintf(crs, size, "EPSG:%d", epsg);
    return import_net_reopen(n, e); /* the probe consumed features */
}

/* Appends text (cut at STORE_TEXT_MAX bytes on a UTF-8 boundary) to the pool;
 * *off receives its offset, IMPORT_NET_NOTEXT for NULL. */
static int import_net_text(struct import_net *n, const char *t, uint32_t *off, struct err *e)
{
    *off = IMPORT_NET_NOTEXT;
    if (t == NULL)
        return ERR_OK;
    size_t len = utf8_cut(t, strlen(t), STORE_TEXT_MAX);
    if (n->text_len + len + 1 > IMPORT_NET_TEXT_MAX)
        return err_set(e, ERR_LIMIT,
                       "%s: the street names and classes exceed %u MB; import a "
                       "smaller area",
                       n->file, IMPORT_NET_TEXT_MAX >> 20);
    if (vec_reserve((void **)&n->text, &n->text_cap, n->text_len + len + 1, 1) != ERR_OK)
        return err_nomem(e);
    memcpy(n->text + n->text_len, t, len);
    n->text[n->text_len + len] = '\0';
    *off = (uint32_t)n->text_len;
    n->text_len += len + 1;
    return ERR_OK;
}

static const char *import_net_text_at(const struct import_net *n, uint32_t off)
{
    return off == IMPORT_NET_NOTEXT ? NULL : n->text + off;
}

/* Decides whether the current feature is walkable (enum osmtags_verdict) and
 * writes its normalised highway list into hw (or "" when it has none). */
static int import_net_verdict(struct import_net *n, char *hw, size_t hw_size)
{
    const char *raw = import_net_str(n, n->col.highway);
    const char *norm = osmtags_highway_normalize(raw, hw, hw_size);
    struct osmtags_way w = {norm, import_net_str(n, n->col.foot), import_net_str(n, n->col.access),
                            import_net_str(n, n->col.area), import_net_str(n, n->col.motorroad)};
    /* A road layer's row without a class is an unknown road (OSM's
     * highway=road); a raw OSM way without highway is not a street. */
    if (w.highway == NULL && !n->osm)
        w.highway = "road";
    return osmtags_walkable(&w);
}

/* Names the current feature for messages: "FILE way 123" or "FILE feature 7". */
static void import_net_where(struct import_net *n, const struct source_feature *f, char *buf,
                             size_t size)
{
    const char *id = import_net_str(n, n->col.osm_id);
    const char *way = import_net_str(n, n->col.osm_way_id);
    if (way)
        snprintf(buf, size, "%s way %.24s", n->file, way);
    else if (id)
        snprintf(buf, size, "%s %s %.24s", n->file, n->areas ? "relation" : "way", id);
    else
        snprintf(buf, size, "%s feature %ld", n->file, f->index);
}

/* Hands points [off, off + np) of the current feature to the noder as one
 * line, or, past NETBUILD_MAX_LINE_POINTS (the graph's limit per edge), as
 * consecutive pieces sharing their end vertex: each piece's ends become
 * nodes, so the street is kept whole and walks along it are unchanged. */
static int import_net_add(struct import_net *n, size_t off, size_t np, unsigned flags,
                          struct err *e)
{
    size_t step = NETBUILD_MAX_LINE_POINTS - 1;
    for (size_t a = 0; a + 1 < np || a == 0; a += step) {
        size_t k = np - a > NETBUILD_MAX_LINE_POINTS ? NETBUILD_MAX_LINE_POINTS : np - a;
        if (netbuild_add_line(n->nb, n->key.v + 2 * (off + a), n->xy.v + 2 * (off + a), k,
                              (uint32_t)n->nattrs, flags, e) != ERR_OK)
            return e->code;
        if (k < NETBUILD_MAX_LINE_POINTS)
            break;
    }
    return ERR_OK;
}

/* Reads every feature: filter, transform, hand the lines to the noder. */
static int import_net_read(struct import_net *n, struct import_xform *x, struct import_report *rep,
                           struct err *e)
{
    long total = source_count(n->src);
    for (;;) {
        struct source_feature f;
        int got = source_next(n->src, &f, e);
        if (got < 0)
            return e->code;
        if (got == 0)
            break;
        rep->read++;
        import_progress(n->o, "network: reading lines", rep->read, total);
        char where[160];
        import_net_where(n, &f, where, sizeof where);
        if (f.wkb_len == 0) {
            if (!n->osm)
                return err_set(e, ERR_INPUT, "%s: has no geometry", where);
            n->no_geometry++; /* a way whose nodes lie outside the extract */
            rep->skipped++;
            continue;
        }
        struct wkb_info wi;
        if (wkb_inspect(f.wkb, f.wkb_len, &wi, e) != ERR_OK)
            return err_prefix(e, "%s: ", where), e->code;
        int area = wi.type == WKB_POLYGON || wi.type == WKB_MULTIPOLYGON;
        if (wi.type != WKB_LINESTRING && wi.type != WKB_MULTILINESTRING && !(n->areas && area))
            return err_set(e, ERR_INPUT,
                           "%s: a walking network needs lines (LineString or MultiLineString), "
                           "but this geometry is a %s",
                           where,
                           wi.type == WKB_POINT || wi.type == WKB_MULTIPOINT ? "point"
                           : wi.type == WKB_COLLECTION                       ? "geometry collection"
                                                                             : "polygon");
        char hw[OSMTAGS_HIGHWAY_MAX];
        int verdict = import_net_verdict(n, hw, sizeof hw);
        if (f.cut) {
            /* GDAL's OSM reader kept only the first 10,000 nodes: a street
             * cut short would connect wrongly, so it is left out, and
             * counted, whatever its class. */
            if (verdict == OSMTAGS_WALKABLE)
                n->too_long++;
            else
                n->left_out[verdict]++;
            rep->skipped++;
            continue;
        }
        if (verdict != OSMTAGS_WALKABLE) {
            n->left_out[verdict]++;
            rep->skipped++;
            continue;
        }
        /* Noding keys first (file CRS), then the same buffer transformed. */
        if (import_net_coords_read(&n->key, f.wkb, f.wkb_len, e) != ERR_OK)
            return err_prefix(e, "%s: ", where), e->code;
        if (import_xform_wkb(x, f.wkb, f.wkb_len, where, e) != ERR_OK)
            return e->code;
        if (import_net_coords_read(&n->xy, f.wkb, f.wkb_len, e) != ERR_OK)
            return err_prefix(e, "%s: ", where), e->code;
        if (n->nattrs >= UINT32_MAX - 1)
            return err_set(e, ERR_LIMIT, "%s: too many lines", n->file);
        if (vec_reserve((void **)&n->attrs, &n->attrs_cap, n->nattrs + 1, sizeof *n->attrs))
            return err_nomem(e);
        struct import_net_attr *a = &n->attrs[n->nattrs];
        if (import_net_text(n, hw[0] ? hw : NULL, &a->highway, e) != ERR_OK ||
            import_net_text(n, import_net_str(n, n->col.name), &a->name, e) != ERR_OK)
            return e->code;
        unsigned flags = osmtags_flags(hw) & OSMTAGS_FLAG_STEPS ? NETBUILD_FLAG_STEPS : 0;
        size_t off = 0;
        for (size_t p = 0; p < n->key.nparts; p++) {
            size_t np = n->key.parts[p];
            if (import_net_add(n, off, np, flags, e) != ERR_OK)
                return err_prefix(e, "%s: ", where), e->code;
            off += np;
        }
        n->nattrs++;
        rep->areas += area;
    }
    import_progress(n->o, "", -1, 0);
    n->too_long += source_dropped(n->src);
    rep->skipped += source_dropped(n->src);
    return ERR_OK;
}

/* The second pass over raw OSM: pedestrian areas from the 'multipolygons'
 * layer (only features with a highway tag, and the user's filter), read
 * like ways with their outline rings as lines. Skipped when --layer names
 * a layer. */
static int import_net_read_areas(struct import_net *n, struct import_xform *x,
                                 struct import_report *rep, struct err *e)
{
    if (!n->osm || n->o->src.layer != NULL)
        return ERR_OK;
    n->so.layer = "multipolygons";
    n->so.where = n->o->src.where ? n->o->src.where : "highway IS NOT NULL";
    if (import_net_reopen(n, e) != ERR_OK)
        return e->code;
    n->col = (struct import_net_cols){-1, -1, -1, -1, -1, -1, -1, -1};
    import_net_cols_find(n);
    if (n->col.highway < 0)
        return ERR_OK; /* an osmconf without it: nothing to add */
    n->areas = 1;
    return import_net_read(n, x, rep, e);
}

/* Replaces the stored network with the noder's nodes and edges, in one
 * bulk write (store_network.h) inside the caller's transaction. */
static int import_net_store(struct import_net *n, struct store *st, struct err *e)
{
    size_t nodes = netbuild_node_count(n->nb), edges = netbuild_edge_count(n->nb);
    long total = (long)(nodes + edges), done = 0;
    struct store_network_bulk *b = store_network_bulk_begin(st, e);
    if (b == NULL)
        return e->code;
    for (size_t i = 0; i < nodes; i++) {
        double x, y;
        netbuild_node_xy(n->nb, i, &x, &y);
        if (store_network_bulk_node(b, (long)i + 1, x, y, e) != ERR_OK)
            goto fail;
        import_progress(n->o, "network: storing", ++done, total);
    }
    for (size_t i = 0; i < edges; i++) {
        const struct netbuild_edge *ed = netbuild_edge_at(n->nb, i);
        const struct import_net_attr *a = &n->attrs[ed->attr];
        struct store_edge se = {(long)ed->source + 1,
                                (long)ed->target + 1,
                                ed->length_m,
                                import_net_text_at(n, a->highway),
                                import_net_text_at(n, a->name),
                                (int)ed->flags};
        if (store_network_bulk_edge(b, &se, ed->xy, ed->npoints, e) != ERR_OK)
            goto fail;
        import_progress(n->o, "network: storing", ++done, total);
    }
    import_progress(n->o, "", -1, 0);
    return store_network_bulk_end(b, e);
fail:
    store_network_bulk_free(b);
    return e->code;
}

/* One sentence for "nothing walkable": says what the file held instead. */
static int import_net_empty(const struct import_net *n, const struct import_report *rep,
                            struct err *e)
{
    if (rep->read == 0)
        return err_set(e, ERR_INPUT, "%s: contains no lines to build a walking network from",
                       n->file);
    if (rep->skipped == rep->read)
        return err_set(e, ERR_INPUT,
                       "%s: none of its %ld lines is a street a pedestrian may use "
                       "(%ld not highways, %ld of a class nobody walks on, %ld "
                       "closed to pedestrians)",
                       n->file, rep->read, n->left_out[OSMTAGS_NOT_HIGHWAY] + n->no_geometry,
                       n->left_out[OSMTAGS_CLASS_EXCLUDED],
                       n->left_out[OSMTAGS_AREA] + n->left_out[OSMTAGS_FOOT_NO] +
                           n->left_out[OSMTAGS_PRIVATE] + n->left_out[OSMTAGS_MOTORROAD]);
    return err_set(e, ERR_INPUT, "%s: every line collapses to a single point", n->file);
}

/* The dedup/noding summary for the CLI user (stderr, only when o->progress). */
static void import_net_summary(const struct import_net *n, const struct import_report *rep,
                               const struct netbuild_stats *ns)
{
    if (!n->o->progress)
        return;
    fprintf(stderr,
            "network: %ld lines read, %ld left out (%ld not highways, %ld motorways or "
            "unbuilt, %ld closed to pedestrians, %ld streets of over 10,000 nodes that GDAL's "
            "OSM reader cannot read whole); %ld pedestrian areas walked along their outline; "
            "%zu edges after noding, %zu duplicates (reversed or identical) removed, "
            "%zu edges and %zu nodes kept\n",
            rep->read, rep->skipped, n->left_out[OSMTAGS_NOT_HIGHWAY] + n->no_geometry,
            n->left_out[OSMTAGS_CLASS_EXCLUDED],
            n->left_out[OSMTAGS_AREA] + n->left_out[OSMTAGS_FOOT_NO] +
                n->left_out[OSMTAGS_PRIVATE] + n->left_out[OSMTAGS_MOTORROAD],
            n->too_long, rep->areas, ns->edges_noded, ns->edges_duplicate, ns->edges, ns->nodes);
}

int import_network(struct store *st, const struct import_opts *o, struct import_report *rep,
                   struct err *e)
{
    struct import_net n = {0};
    struct import_xform x = {0};
    struct netbuild_stats ns = {0};
    struct import_opts xo = *o; /* o, plus a CRS picked here when needed */
    char crs[32];
    int began = 0, rc;
    n.o = o;
    n.so = o->src;
    n.file = import_base(o->src.path);
    n.col = (struct import_net_cols){-1, -1, -1, -1, -1, -1, -1, -1};
    memset(rep, 0, sizeof *rep);

    if ((rc = import_net_open(&n, e)) != ERR_OK)
        goto fail;
    if ((rc = store_begin(st, e)) != ERR_OK)
        goto fail;
    began = 1;
    if ((rc = import_net_locate(&n, st, crs, sizeof crs, e)) != ERR_OK)
        goto fail;
    if (crs[0])
        xo.crs = crs;
    if ((rc = import_xform_open(st, n.src, &xo, &x, rep, e)) != ERR_OK)
        goto fail;
    if (rep->srid_new && (rc = import_net_reopen(&n, e)) != ERR_OK)
        goto fail; /* the CRS probe may have consumed a feature */
    import_net_cols_find(&n);
    n.nb = netbuild_new(n.osm ? NETBUILD_NODE_SHARED : NETBUILD_NODE_ENDPOINTS, e);
    if (n.nb == NULL) {
        rc = e->code;
        goto fail;
    }
    if ((rc = import_net_read(&n, &x, rep, e)) != ERR_OK ||
        (rc = import_net_read_areas(&n, &x, rep, e)) != ERR_OK)
        goto fail;
    if ((rc = netbuild_finish(n.nb, &ns, e)) != ERR_OK) {
        err_prefix(e, "%s: ", n.file);
        goto fail;
    }
    if (ns.edges == 0) {
        rc = import_net_empty(&n, rep, e);
        goto fail;
    }
    if ((rc = import_net_store(&n, st, e)) != ERR_OK)
        goto fail;
    char keybuf[256];
    const char *key = import_key(o, keybuf, sizeof keybuf);
    if ((rc = import_attrib_record(st, "network", key, n.src, n.osm, e)) != ERR_OK ||
        (rc = store_import_log(st, "network", key, o->src.path, (long)ns.edges, e)) != ERR_OK)
        goto fail;
    rc = store_commit(st, e); /* rolls back by itself on failure */
    began = 0;
    if (rc != ERR_OK)
        goto fail;
    rep->stored = (long)ns.edges;
    rep->nodes = (long)ns.nodes;
    import_net_summary(&n, rep, &ns);
fail:
    if (began)
        store_rollback(st);
    import_xform_close(&x);
    source_close(n.src);
    netbuild_free(n.nb);
    import_net_coords_free(&n.key);
    import_net_coords_free(&n.xy);
    free(n.text);
    free(n.attrs);
    if (n.conf[0])
        unlink(n.conf);
    if (rc != ERR_OK) {
        rep->stored = rep->nodes = rep->areas = 0;
        rep->srid_new = 0;
    }
    return rc;
}
