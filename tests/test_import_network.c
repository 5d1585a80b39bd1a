/* SPDX-License-Identifier: MIT */
/* test_import_network.c - tests import_network.c end to end against real
 * SpatiaLite files: the 宇部市 osmnx GeoPackage (counts computed
 * independently with GDAL's own SQL through ogrinfo), the raw OSM samples
 * and the Liechtenstein/Andorra .pbf extracts (CRS chosen from the data),
 * the pedestrian rules on a hand-written .osm, and bad inputs that must
 * leave the database exactly as it was (store_fingerprint and, when the
 * sqlite3 program is present, `sqlite3 DB .dump`). Tests needing
 * ../shared/data or the GDAL/SQLite command-line tools skip with a message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "import.h"
#include "testutil.h"
#include "wkb.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Seconds an import of the real files may take, far above what they need
 * (well under a second each), so that sanitizer builds pass too. */
#define NET_TIME_LIMIT_S 60.0

/* A per-test database in a fresh directory. */
struct fx {
    char *dir;        /* temp directory */
    char *db;         /* database path */
    struct store *st; /* open store */
};

static int fx_setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->dir = tu_tmpdir();
    f->db = tu_path(f->dir, "t.db");
    struct err e = {0};
    f->st = store_open(f->db, &e);
    assert_non_null(f->st);
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    struct fx *f = *state;
    store_close(f->st);
    free(f->db);
    free(f->dir);
    free(f);
    return 0;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int net_import(struct fx *f, const char *path, struct import_report *rep, struct err *e)
{
    struct import_opts o = {.kind = IMPORT_NETWORK, .src.path = path};
    return import_run(f->st, &o, rep, e);
}

/* Imports `path`, which must succeed, and prints how long it took. */
static void net_import_ok(struct fx *f, const char *path, struct import_report *rep)
{
    struct err e = {0};
    double t0 = now_s();
    int rc = net_import(f, path, rep, &e);
    double dt = now_s() - t0;
    if (rc != ERR_OK)
        fail_msg("import of %s failed: %s", path, e.msg);
    print_message("%s: %ld lines read, %ld left out, %ld edges, %ld nodes, EPSG:%d, %.2f s\n", path,
                  rep->read, rep->skipped, rep->stored, rep->nodes, rep->srid, dt);
    assert_true(dt < NET_TIME_LIMIT_S);
}

/* ---- command-line tools (independent views of files and databases) ---- */

/* True when `cmd` runs and exits 0. */
static int have_tool(const char *cmd)
{
    char line[256];
    snprintf(line, sizeof line, "%s >/dev/null 2>&1", cmd);
    return system(line) == 0;
}

static void require_tool(const char *cmd, const char *what)
{
    if (!have_tool(cmd)) {
        print_message("SKIP: %s is not installed; this test needs it\n", what);
        skip();
    }
}

/* Runs a shell command and returns its whole stdout (malloc'd). */
static char *run_capture(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    for (;;) {
        if (len + 2048 > cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        size_t k = fread(buf + len, 1, cap - len - 1, p);
        if (k == 0)
            break;
        len += k;
    }
    buf[len] = '\0';
    assert_int_equal(pclose(p), 0);
    return buf;
}

/* Writes sql into dir/query.sql and returns that path (malloc'd). */
static char *sql_file(const char *dir, const char *sql)
{
    return tu_write(dir, "query.sql", sql);
}

/* One number from GDAL's SQL on a file: the value of the first result
 * field ("  name (Type) = value"). */
static double ogr_value(const char *dir, const char *path, const char *sql)
{
    char *q = sql_file(dir, sql);
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "ogrinfo -ro -q -sql @'%s' '%s' 2>/dev/null", q, path);
    char *out = run_capture(cmd);
    const char *eq = strstr(out, ") = ");
    if (eq == NULL)
        fail_msg("ogrinfo gave no value for %s: %s", sql, out);
    char *end;
    double v = strtod(eq + 4, &end);
    assert_true(end != eq + 4);
    free(out);
    free(q);
    return v;
}

/* The first line of `sqlite3 DB < sql` (malloc'd, newline removed). */
static char *db_text(struct fx *f, const char *sql)
{
    char *q = sql_file(f->dir, sql);
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "sqlite3 -batch -noheader '%s' < '%s'", f->db, q);
    char *out = run_capture(cmd);
    out[strcspn(out, "\n")] = '\0';
    free(q);
    return out;
}

static long db_long(struct fx *f, const char *sql)
{
    char *t = db_text(f, sql);
    char *end;
    long v = strtol(t, &end, 10);
    if (end == t)
        fail_msg("sqlite3 gave '%s' for %s", t, sql);
    free(t);
    return v;
}

/* `sqlite3 DB .dump` (malloc'd). */
static char *db_dump(struct fx *f)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "sqlite3 -batch '%s' .dump", f->db);
    return run_capture(cmd);
}

/* ---- reading the stored network back through the store ---- */

/* Facts about the stored network, gathered by net_check. */
struct net_facts {
    long nodes;      /* nodes read */
    long edges;      /* edges read */
    long steps;      /* edges with flags bit 0 */
    double length_m; /* sum of length_m */
    long last_node;  /* id of the last node read */
    double *node_xy; /* positions by id (1-based), owned */
    size_t cap;      /* capacity of node_xy in nodes */
};

static int facts_node(void *ctx, long id, double x, double y)
{
    struct net_facts *nf = ctx;
    /* Ids are dense and ascending: 1, 2, 3, ... */
    assert_int_equal(id, nf->last_node + 1);
    nf->last_node = id;
    if ((size_t)id >= nf->cap) {
        nf->cap = nf->cap ? 2 * nf->cap : 1024;
        nf->node_xy = realloc(nf->node_xy, 2 * nf->cap * sizeof *nf->node_xy);
        assert_non_null(nf->node_xy);
    }
    nf->node_xy[2 * id] = x;
    nf->node_xy[2 * id + 1] = y;
    nf->nodes++;
    return 0;
}

static int facts_edge(void *ctx, long id, long source, long target, double length_m, int flags,
                      const double *xy, size_t npts)
{
    struct net_facts *nf = ctx;
    (void)id;
    assert_true(source >= 1 && source <= nf->last_node);
    assert_true(target >= 1 && target <= nf->last_node);
    assert_true(npts >= 2);
    /* The geometry runs from the source node to the target node. */
    assert_true(xy[0] == nf->node_xy[2 * source] && xy[1] == nf->node_xy[2 * source + 1]);
    assert_true(xy[2 * npts - 2] == nf->node_xy[2 * target] &&
                xy[2 * npts - 1] == nf->node_xy[2 * target + 1]);
    /* length_m is the planar length of that polyline. */
    double len = 0;
    for (size_t i = 1; i < npts; i++)
        len += hypot(xy[2 * i] - xy[2 * i - 2], xy[2 * i + 1] - xy[2 * i - 1]);
    assert_true(fabs(len - length_m) <= 1e-9 * (1 + len));
    assert_true(length_m > 0);
    nf->edges++;
    nf->steps += flags & 1;
    nf->length_m += length_m;
    return 0;
}

static void net_check(struct fx *f, struct net_facts *nf)
{
    memset(nf, 0, sizeof *nf);
    struct store_net_cb cb = {nf, facts_node, facts_edge};
    struct err e = {0};
    assert_int_equal(store_network_load(f->st, &cb, &e), ERR_OK);
    free(nf->node_xy);
    nf->node_xy = NULL;
}

/* ---- 宇部市: osmnx GeoPackage, every street once per direction ---- */

/* Rows the importer must keep: the rules leave out access=no/private. */
#define UBE_KEPT "(access IS NULL OR access NOT IN ('no', 'private'))"

/* wkb_walk callback: adds the GRS80 length of a lon/lat polyline to *ctx,
 * segment by segment with the local radii of curvature (for segments under
 * a kilometre this agrees with a geodesic to about 1e-6). Independent of
 * PROJ and of the importer. */
static int geo_seq(void *ctx, int kind, double *xy, size_t n)
{
    const double a = 6378137.0, e2 = 0.00669438002290, rad = 3.14159265358979323846 / 180;
    double *sum = ctx;
    (void)kind;
    for (size_t i = 1; i < n; i++) {
        double lat = (xy[2 * i + 1] + xy[2 * i - 1]) / 2 * rad;
        double s = sin(lat), w = 1 - e2 * s * s;
        double nrad = a / sqrt(w), mrad = a * (1 - e2) / (w * sqrt(w));
        *sum += hypot((xy[2 * i] - xy[2 * i - 2]) * rad * nrad * cos(lat),
                      (xy[2 * i + 1] - xy[2 * i - 1]) * rad * mrad);
    }
    return ERR_OK;
}

/* Ellipsoidal length of every line of a lon/lat file matching `where`. */
static double ellipsoid_length(const char *path, const char *where)
{
    struct source_opts so = {.path = path, .where = where};
    struct err e = {0};
    struct source *src = source_open(&so, &e);
    assert_non_null(src);
    double sum = 0;
    struct source_feature f;
    int got;
    while ((got = source_next(src, &f, &e)) == 1)
        assert_int_equal(wkb_walk(f.wkb, f.wkb_len, geo_seq, &sum, &e), ERR_OK);
    assert_int_equal(got, 0);
    source_close(src);
    return sum;
}

/* Rows the importer must keep: the rules leave out access=no/private. */

static void test_ube_gpkg(void **state)
{
    struct fx *f = *state;
    char *path = tu_require_shared("ube/ube_roads_osm_edges.gpkg");
    require_tool("ogrinfo --version", "ogrinfo (GDAL)");

    /* Independently, with GDAL's SQL: one edge per undirected street
     * (u, v unordered, same length = same street), one per part of a
     * MultiLineString (clipped streets come in two parts). */
    double want_edges = ogr_value(
        f->dir, path,
        "SELECT SUM(parts) AS n FROM (SELECT MIN(u, v) AS a, MAX(u, v) AS b, ROUND(length, 6) "
        "AS l, MAX(ST_NumGeometries(geom)) AS parts FROM ube_roads WHERE " UBE_KEPT
        " GROUP BY a, b, l)");
    /* Nodes: the distinct end points of every part. */
    double want_nodes = ogr_value(
        f->dir, path,
        "SELECT COUNT(*) AS n FROM (SELECT printf('%.9f %.9f', ST_X(p), ST_Y(p)) AS k FROM ("
        "SELECT ST_StartPoint(ST_GeometryN(geom, 1)) AS p FROM ube_roads WHERE " UBE_KEPT
        " UNION ALL SELECT ST_EndPoint(ST_GeometryN(geom, 1)) FROM ube_roads WHERE " UBE_KEPT
        " UNION ALL SELECT ST_StartPoint(ST_GeometryN(geom, 2)) FROM ube_roads WHERE "
        "ST_NumGeometries(geom) > 1 AND " UBE_KEPT
        " UNION ALL SELECT ST_EndPoint(ST_GeometryN(geom, 2)) FROM ube_roads WHERE "
        "ST_NumGeometries(geom) > 1 AND " UBE_KEPT ") GROUP BY k)");
    double osm_nodes =
        ogr_value(f->dir, path,
                  "SELECT COUNT(*) AS n FROM (SELECT u FROM ube_roads UNION SELECT v FROM "
                  "ube_roads)");
    double directed = ogr_value(f->dir, path, "SELECT COUNT(*) AS n FROM ube_roads");
    double kept_rows =
        ogr_value(f->dir, path, "SELECT COUNT(*) AS n FROM ube_roads WHERE " UBE_KEPT);
    double want_steps = ogr_value(
        f->dir, path,
        "SELECT COUNT(*) AS n FROM (SELECT DISTINCT MIN(u, v), MAX(u, v), ROUND(length, 6) FROM "
        "ube_roads WHERE highway LIKE '%steps%' AND " UBE_KEPT ")");
    /* Ellipsoidal length of the geometries, each street counted once. */
    double geo_len = ellipsoid_length(path, UBE_KEPT) / 2;
    double field_len =
        ogr_value(f->dir, path, "SELECT SUM(length) / 2 AS m FROM ube_roads WHERE " UBE_KEPT);

    struct import_report rep;
    net_import_ok(f, path, &rep);
    assert_int_equal(rep.read, (long)directed);
    assert_int_equal(rep.skipped, (long)(directed - kept_rows));
    assert_int_equal(rep.stored, (long)want_edges);
    assert_int_equal(rep.nodes, (long)want_nodes);
    /* ~10,400 OSM nodes; clipped streets add their cut ends. */
    assert_true(fabs(rep.nodes - osm_nodes) <= 0.01 * osm_nodes);
    assert_true(rep.srid_new);
    assert_true(rep.srid >= 6669 && rep.srid <= 6687); /* a JGD2011 plane-rectangular zone */

    struct net_facts nf;
    net_check(f, &nf);
    assert_int_equal(nf.edges, rep.stored);
    assert_int_equal(nf.nodes, rep.nodes);
    assert_int_equal(nf.steps, (long)want_steps);
    /* Planar lengths in the zone agree with the ellipsoid to ~1e-4. */
    print_message("total %.1f m; geometry (ellipsoid) %.1f m; osmnx length field %.1f m\n",
                  nf.length_m, geo_len, field_len);
    assert_true(fabs(nf.length_m - geo_len) <= 5e-4 * geo_len);
    /* The file's `length` field keeps the pre-clipping length of the streets
     * cut at the area's edge (about 13.6 km in all), so the geometry is a
     * little shorter than half its sum, never longer. */
    assert_true(nf.length_m <= field_len && nf.length_m >= 0.98 * field_len);

    /* Re-import replaces the network: same counts, not doubled. */
    struct import_report again;
    net_import_ok(f, path, &again);
    assert_int_equal(again.stored, rep.stored);
    assert_false(again.srid_new);
    struct store_summary sum;
    struct err e = {0};
    assert_int_equal(store_summary(f->st, &sum, &e), ERR_OK);
    assert_int_equal(sum.edges, rep.stored);
    assert_int_equal(sum.nodes, rep.nodes);
    free(path);
}

/* ---- raw OpenStreetMap ---- */

/* Count of values in the stored network's highway column matching `where`. */
static long highway_count(struct fx *f, const char *where)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM net_edges WHERE %s;", where);
    return db_long(f, sql);
}

#define NOT_FOR_WALKING                                                                            \
    "highway IN ('motorway', 'motorway_link', 'construction', 'proposed', 'raceway', "             \
    "'bus_guideway', 'escape', 'via_ferrata')"

static void check_osm_sample(void **state, const char *rel)
{
    struct fx *f = *state;
    char *path = tu_require_shared(rel);
    require_tool("ogrinfo --version", "ogrinfo (GDAL)");
    require_tool("sqlite3 -version", "the sqlite3 program");
    double lines = ogr_value(f->dir, path, "SELECT COUNT(*) AS n FROM \"lines\"");
    double highways =
        ogr_value(f->dir, path, "SELECT COUNT(*) AS n FROM \"lines\" WHERE highway IS NOT NULL");
    double steps =
        ogr_value(f->dir, path, "SELECT COUNT(*) AS n FROM \"lines\" WHERE highway = 'steps'");
    struct import_report rep;
    net_import_ok(f, path, &rep);
    assert_int_equal(rep.read, (long)lines);
    assert_true(rep.read - rep.skipped <= (long)highways);
    assert_true(rep.read - rep.skipped >= (long)(0.9 * highways));
    /* Ways are cut at junctions: more edges than ways, fewer nodes than
     * two per edge, and a Japanese plane-rectangular zone IX (Tokyo/Ibaraki). */
    assert_true(rep.stored >= rep.read - rep.skipped);
    assert_true(rep.stored <= 4 * (rep.read - rep.skipped));
    assert_true(rep.nodes >= 2 && rep.nodes <= 2 * rep.stored);
    assert_int_equal(rep.srid, 6677);
    assert_int_equal(highway_count(f, NOT_FOR_WALKING), 0);
    assert_int_equal(highway_count(f, "highway IS NULL"), 0);
    struct net_facts nf;
    net_check(f, &nf);
    assert_int_equal(nf.edges, rep.stored);
    assert_true(nf.steps >= (long)steps);
    assert_int_equal(nf.steps, highway_count(f, "highway LIKE '%steps%'"));
    free(path);
}

static void test_sumidaku_osm(void **state)
{
    check_osm_sample(state, "osm/sumidaku.osm");
}

static void test_tsukuba_osm(void **state)
{
    check_osm_sample(state, "osm/smaller_tsukuba.osm");
}

static void check_pbf(void **state, const char *rel, int epsg)
{
    struct fx *f = *state;
    char *path = tu_require_shared(rel);
    require_tool("ogrinfo --version", "ogrinfo (GDAL)");
    require_tool("sqlite3 -version", "the sqlite3 program");
    double lines = ogr_value(f->dir, path, "SELECT COUNT(*) AS n FROM \"lines\"");
    double highways =
        ogr_value(f->dir, path, "SELECT COUNT(*) AS n FROM \"lines\" WHERE highway IS NOT NULL");
    double steps =
        ogr_value(f->dir, path, "SELECT COUNT(*) AS n FROM \"lines\" WHERE highway = 'steps'");
    struct import_report rep;
    net_import_ok(f, path, &rep);
    assert_true(rep.srid_new);
    assert_int_equal(rep.srid, epsg);
    assert_int_equal(store_srid(f->st), epsg);
    /* Every line, then the areas with a highway tag (second pass): the
     * pedestrian squares among them are walked along their outline. */
    print_message("%s: %ld pedestrian areas walked along their outline\n", rel, rep.areas);
    assert_true(rep.areas > 0);
    assert_true(rep.read >= (long)lines + rep.areas && rep.read <= (long)lines + 4 * rep.areas);
    long kept = rep.read - rep.skipped - rep.areas;
    assert_true(kept <= (long)highways && kept >= (long)(0.9 * highways));
    assert_true(rep.stored >= kept && rep.stored <= 4 * kept);
    assert_int_equal(highway_count(f, NOT_FOR_WALKING), 0);
    struct net_facts nf;
    net_check(f, &nf);
    assert_int_equal(nf.edges, rep.stored);
    assert_int_equal(nf.nodes, rep.nodes);
    assert_true(nf.steps >= (long)(0.9 * steps) && nf.steps > 0);
    free(path);
}

static void test_liechtenstein_pbf(void **state)
{
    check_pbf(state, "osm/liechtenstein-latest.osm.pbf", 32632);
}

static void test_andorra_pbf(void **state)
{
    struct fx *f = *state;
    check_pbf(state, "osm/andorra-latest.osm.pbf", 32631);
    /* Andorra has raceways and a via ferrata; none of them was stored. */
    char *path = tu_require_shared("osm/andorra-latest.osm.pbf");
    assert_true(ogr_value(f->dir, path,
                          "SELECT COUNT(*) AS n FROM \"lines\" WHERE highway IN ('raceway', "
                          "'via_ferrata')") > 0);
    free(path);
}

/* A hand-written extract around 大阪 (no <bounds>: the CRS comes from the
 * first line). Ways: 1 footway A-B-C (named), 2 residential C-D foot=no,
 * 3 track B-E access=private, 4 service E-F access=private foot=yes,
 * 5 motorway D-G, 6 steps C-G, 7 a river, 8 footway B-H. Kept: 1, 4, 6, 8;
 * way 1 is cut at B, where way 8 starts. */
static const char HAND_OSM[] =
    "<?xml version='1.0' encoding='UTF-8'?>\n<osm version=\"0.6\" generator=\"hand\">\n"
    " <node id=\"1\" lat=\"34.7000\" lon=\"135.5000\"/>\n"
    " <node id=\"2\" lat=\"34.7000\" lon=\"135.5010\"/>\n"
    " <node id=\"3\" lat=\"34.7000\" lon=\"135.5020\"/>\n"
    " <node id=\"4\" lat=\"34.7010\" lon=\"135.5020\"/>\n"
    " <node id=\"5\" lat=\"34.6990\" lon=\"135.5010\"/>\n"
    " <node id=\"6\" lat=\"34.6980\" lon=\"135.5010\"/>\n"
    " <node id=\"7\" lat=\"34.7010\" lon=\"135.5030\"/>\n"
    " <node id=\"8\" lat=\"34.7010\" lon=\"135.5010\"/>\n"
    " <node id=\"9\" lat=\"34.7020\" lon=\"135.5000\"/>\n"
    " <node id=\"10\" lat=\"34.7020\" lon=\"135.5030\"/>\n"
    " <way id=\"101\"><nd ref=\"1\"/><nd ref=\"2\"/><nd ref=\"3\"/>"
    "<tag k=\"highway\" v=\"footway\"/><tag k=\"name\" v=\"駅前通り\"/></way>\n"
    " <way id=\"102\"><nd ref=\"3\"/><nd ref=\"4\"/><tag k=\"highway\" v=\"residential\"/>"
    "<tag k=\"foot\" v=\"no\"/></way>\n"
    " <way id=\"103\"><nd ref=\"2\"/><nd ref=\"5\"/><tag k=\"highway\" v=\"track\"/>"
    "<tag k=\"access\" v=\"private\"/></way>\n"
    " <way id=\"104\"><nd ref=\"5\"/><nd ref=\"6\"/><tag k=\"highway\" v=\"service\"/>"
    "<tag k=\"access\" v=\"private\"/><tag k=\"foot\" v=\"yes\"/></way>\n"
    " <way id=\"105\"><nd ref=\"4\"/><nd ref=\"7\"/><tag k=\"highway\" v=\"motorway\"/></way>\n"
    " <way id=\"106\"><nd ref=\"3\"/><nd ref=\"7\"/><tag k=\"highway\" v=\"steps\"/></way>\n"
    " <way id=\"107\"><nd ref=\"9\"/><nd ref=\"10\"/><tag k=\"waterway\" v=\"river\"/></way>\n"
    " <way id=\"108\"><nd ref=\"2\"/><nd ref=\"8\"/><tag k=\"highway\" v=\"footway\"/></way>\n"
    "</osm>\n";

/* Number of entries in dir whose name starts with prefix. */
static int count_prefixed(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL)
        n += strncmp(ent->d_name, prefix, strlen(prefix)) == 0;
    closedir(d);
    return n;
}

static void test_hand_osm_rules(void **state)
{
    struct fx *f = *state;
    require_tool("sqlite3 -version", "the sqlite3 program");
    char *path = tu_write(f->dir, "hand.osm", HAND_OSM);
    /* The osmconf goes to TMPDIR; point it here to see it removed. */
    char *old = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;
    assert_int_equal(setenv("TMPDIR", f->dir, 1), 0);
    struct import_report rep;
    net_import_ok(f, path, &rep);
    assert_int_equal(count_prefixed(f->dir, "tsunagu-osmconf-"), 0);
    assert_int_equal(rep.read, 8);
    assert_int_equal(rep.skipped, 4);
    assert_int_equal(rep.stored, 5); /* A-B, B-C, E-F, C-G, B-H */
    assert_int_equal(rep.nodes, 7);
    assert_int_equal(rep.srid, 6674); /* zone VI: 大阪 */
    /* foot=no, access=private and motorway are out; access=private with
     * foot=yes is in. */
    assert_int_equal(highway_count(f, "highway = 'residential'"), 0);
    assert_int_equal(highway_count(f, "highway = 'track'"), 0);
    assert_int_equal(highway_count(f, "highway = 'motorway'"), 0);
    assert_int_equal(highway_count(f, "highway = 'service'"), 1);
    assert_int_equal(highway_count(f, "highway = 'footway'"), 3);
    assert_int_equal(highway_count(f, "highway = 'steps' AND flags = 1"), 1);
    assert_int_equal(highway_count(f, "flags <> 0"), 1);
    assert_int_equal(highway_count(f, "name = '駅前通り'"), 2);
    struct net_facts nf;
    net_check(f, &nf);
    assert_int_equal(nf.edges, 5);
    /* Five edges of 0.001 degree (91.5 m east-west, 111 m north-south at 34.7 N)
     * or one diagonal of both (144 m): about 549 m in all. */
    assert_true(nf.length_m > 5 * 80 && nf.length_m < 5 * 130);
    char *imports = db_text(f, "SELECT kind || ' ' || source || ' ' || features FROM imports;");
    assert_string_equal(imports, "network hand.osm 5");
    free(imports);

    /* Re-import replaces, even with a where filter narrowing it. */
    struct import_opts o = {
        .kind = IMPORT_NETWORK, .src.path = path, .src.where = "highway = 'footway'"};
    struct err e = {0};
    assert_int_equal(import_run(f->st, &o, &rep, &e), ERR_OK);
    assert_int_equal(rep.stored, 3);
    struct store_summary sum;
    assert_int_equal(store_summary(f->st, &sum, &e), ERR_OK);
    assert_int_equal(sum.edges, 3);
    assert_int_equal(sum.nodes, 4);
    if (old) {
        setenv("TMPDIR", old, 1);
        free(old);
    } else {
        unsetenv("TMPDIR");
    }
    free(path);
}

/* Hand-written (not from OpenStreetMap): two streets that meet only through
 * a pedestrian square. Street A runs from node 1 to the square's corner 2,
 * street B from the opposite corner 4 to node 6; the square is a closed way
 * 2-3-4-5-2 with highway=pedestrian and area=yes (GDAL puts it in the
 * multipolygons layer). Another closed way, a car park's service area
 * (highway=service, area=yes), touches street B at 6 and stays out. */
static const char SQUARE_OSM[] =
    "<?xml version='1.0' encoding='UTF-8'?>\n<osm version=\"0.6\" generator=\"hand\">\n"
    " <node id=\"1\" lat=\"34.7000\" lon=\"135.5000\"/>\n"
    " <node id=\"2\" lat=\"34.7000\" lon=\"135.5010\"/>\n"
    " <node id=\"3\" lat=\"34.7000\" lon=\"135.5015\"/>\n"
    " <node id=\"4\" lat=\"34.7004\" lon=\"135.5015\"/>\n"
    " <node id=\"5\" lat=\"34.7004\" lon=\"135.5010\"/>\n"
    " <node id=\"6\" lat=\"34.7004\" lon=\"135.5025\"/>\n"
    " <node id=\"7\" lat=\"34.7010\" lon=\"135.5025\"/>\n"
    " <node id=\"8\" lat=\"34.7010\" lon=\"135.5035\"/>\n"
    " <way id=\"201\"><nd ref=\"1\"/><nd ref=\"2\"/><tag k=\"highway\" v=\"residential\"/></way>\n"
    " <way id=\"202\"><nd ref=\"4\"/><nd ref=\"6\"/><tag k=\"highway\" v=\"footway\"/></way>\n"
    " <way id=\"203\"><nd ref=\"2\"/><nd ref=\"3\"/><nd ref=\"4\"/><nd ref=\"5\"/><nd ref=\"2\"/>"
    "<tag k=\"highway\" v=\"pedestrian\"/><tag k=\"area\" v=\"yes\"/>"
    "<tag k=\"name\" v=\"駅前広場\"/></way>\n"
    " <way id=\"204\"><nd ref=\"6\"/><nd ref=\"7\"/><nd ref=\"8\"/><nd ref=\"6\"/>"
    "<tag k=\"highway\" v=\"service\"/><tag k=\"area\" v=\"yes\"/></way>\n"
    "</osm>\n";

/* Connected components of the stored network (union-find over its edges). */
struct comps {
    long parent[64]; /* by node id, ids < 64 */
    long nodes;
};

static long comps_root(struct comps *c, long i)
{
    while (c->parent[i] != i)
        i = c->parent[i] = c->parent[c->parent[i]];
    return i;
}

static int comps_node(void *ctx, long id, double x, double y)
{
    struct comps *c = ctx;
    (void)x;
    (void)y;
    assert_true(id > 0 && id < 64);
    c->parent[id] = id;
    c->nodes++;
    return 0;
}

static int comps_edge(void *ctx, long id, long s, long t, double len, int flags, const double *xy,
                      size_t n)
{
    struct comps *c = ctx;
    (void)id;
    (void)len;
    (void)flags;
    (void)xy;
    (void)n;
    c->parent[comps_root(c, s)] = comps_root(c, t);
    return 0;
}

static long comps_count(struct fx *f)
{
    struct comps c = {{0}, 0};
    struct store_net_cb cb = {&c, comps_node, comps_edge};
    struct err e = {0};
    assert_int_equal(store_network_load(f->st, &cb, &e), ERR_OK);
    long roots = 0;
    for (long i = 1; i < 64; i++)
        roots += c.parent[i] == i;
    return roots;
}

static void test_osm_pedestrian_square(void **state)
{
    struct fx *f = *state;
    char *path = tu_write(f->dir, "square.osm", SQUARE_OSM);
    struct import_report rep;
    net_import_ok(f, path, &rep);
    assert_int_equal(rep.areas, 1);
    /* Streets A and B, the square's outline cut at the two corners the
     * streets meet: four edges, one network. */
    assert_int_equal(rep.stored, 4);
    assert_int_equal(rep.nodes, 4);
    assert_int_equal(comps_count(f), 1);
    assert_int_equal(highway_count(f, "highway = 'pedestrian' AND name = '駅前広場'"), 2);
    assert_int_equal(highway_count(f, "highway = 'service'"), 0);
    struct net_facts nf;
    net_check(f, &nf);
    /* Outline 2 x (45.8 + 44.4) m, streets 91.5 + 91.6 m: about 363 m. */
    assert_true(nf.length_m > 340 && nf.length_m < 390);
    free(path);
}

/* gzip-compressed OSM is read through GDAL's /vsigzip/; bzip2 is refused
 * with a hint. */
static void test_compressed_osm(void **state)
{
    struct fx *f = *state;
    char *path = tu_write(f->dir, "square.osm", SQUARE_OSM);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "gzip -k -f '%s' && bzip2 -k -f '%s'", path, path);
    if (system(cmd) != 0) {
        print_message("SKIP: gzip or bzip2 is not installed\n");
        free(path);
        skip();
    }
    char *gz = tu_path(f->dir, "square.osm.gz");
    struct import_report rep;
    net_import_ok(f, gz, &rep);
    assert_int_equal(rep.stored, 4);
    assert_int_equal(rep.areas, 1);
    char *bz = tu_path(f->dir, "square.osm.bz2");
    struct import_opts o = {.kind = IMPORT_NETWORK, .src.path = bz};
    struct err e = {0};
    assert_int_equal(import_run(f->st, &o, &rep, &e), ERR_INPUT);
    print_message("bzip2: %s\n", e.msg);
    assert_non_null(strstr(e.msg, "square.osm.bz2"));
    assert_non_null(strstr(e.msg, "bunzip2 -k"));
    assert_null(strstr(e.msg, "not a vector format"));
    free(bz);
    free(gz);
    free(path);
}

/* A road layer without any attributes: lines noded at shared ends. */
static void test_plain_geojson_lines(void **state)
{
    struct fx *f = *state;
    char *path = tu_write(
        f->dir, "roads.geojson",
        "{\"type\":\"FeatureCollection\",\"features\":["
        "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"LineString\","
        "\"coordinates\":[[135.50,34.70],[135.501,34.70],[135.502,34.70]]}},"
        "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"MultiLineString\","
        "\"coordinates\":[[[135.502,34.70],[135.502,34.701]],[[135.501,34.70],"
        "[135.501,34.699]]]}},"
        "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"LineString\","
        "\"coordinates\":[[135.502,34.70],[135.501,34.70],[135.50,34.70]]}}]}");
    struct import_report rep;
    net_import_ok(f, path, &rep);
    /* The first line is cut at 135.501 (the second part's end); its reversed
     * copy (feature 3) is cut the same way and dropped as a duplicate. */
    assert_int_equal(rep.stored, 4);
    assert_int_equal(rep.nodes, 5);
    struct net_facts nf;
    net_check(f, &nf);
    assert_int_equal(nf.edges, 4);
    assert_int_equal(nf.steps, 0);
    free(path);
}

/* ---- bad input: one sentence, non-zero, database unchanged ---- */

/* A database state: store fingerprint plus, when sqlite3 exists, the dump. */
struct snap {
    unsigned long long digest; /* store_fingerprint */
    char *dump;                /* `sqlite3 DB .dump`, or NULL */
};

static void snap_take(struct fx *f, struct snap *s, int with_dump)
{
    struct err e = {0};
    assert_int_equal(store_fingerprint(f->st, &s->digest, &e), ERR_OK);
    s->dump = with_dump ? db_dump(f) : NULL;
}

/* Imports `path`, expecting failure `code` with a message naming `file` and
 * containing `words`, and the database unchanged. */
static void expect_refused(struct fx *f, const char *path, int code, const char *file,
                           const char *words, int with_dump)
{
    struct snap before, after;
    int srid = store_srid(f->st);
    snap_take(f, &before, with_dump);
    struct import_report rep;
    struct err e = {0};
    int rc = net_import(f, path, &rep, &e);
    print_message("%s -> %d: %s\n", file, rc, e.msg);
    assert_int_equal(rc, code);
    assert_int_equal(e.code, code);
    assert_non_null(strstr(e.msg, file));
    assert_non_null(strstr(e.msg, words));
    assert_null(strchr(e.msg, '\n'));
    snap_take(f, &after, with_dump);
    assert_true(before.digest == after.digest);
    if (with_dump)
        assert_string_equal(before.dump, after.dump);
    assert_int_equal(store_srid(f->st), srid);
    free(before.dump);
    free(after.dump);
}

static const char POINTS[] =
    "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
    "{\"name\":\"a\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[135.5,34.7]}}]}";

static const char POLYGONS[] =
    "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},"
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[135.5,34.7],[135.51,34.7],"
    "[135.51,34.71],[135.5,34.7]]]}}]}";

static const char EUROPE[] =
    "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
    "{\"highway\":\"residential\"},\"geometry\":{\"type\":\"LineString\",\"coordinates\":"
    "[[9.52,47.14],[9.53,47.14]]}}]}";

static const char LINE_THEN_POINT[] =
    "{\"type\":\"FeatureCollection\",\"features\":["
    "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"LineString\","
    "\"coordinates\":[[135.5,34.7],[135.51,34.7]]}},"
    "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Point\","
    "\"coordinates\":[135.5,34.7]}}]}";

static const char NO_FEATURES[] = "{\"type\":\"FeatureCollection\",\"features\":[]}";

static const char ONLY_RIVER[] =
    "<?xml version='1.0' encoding='UTF-8'?>\n<osm version=\"0.6\">\n"
    " <bounds minlat=\"34.69\" minlon=\"135.49\" maxlat=\"34.71\" maxlon=\"135.51\"/>\n"
    " <node id=\"1\" lat=\"34.70\" lon=\"135.50\"/>\n <node id=\"2\" lat=\"34.70\" "
    "lon=\"135.501\"/>\n <way id=\"1\"><nd ref=\"1\"/><nd ref=\"2\"/><tag k=\"waterway\" "
    "v=\"river\"/></way>\n</osm>\n";

/* A GeoJSON line of n vertices (malloc'd text). */
static char *long_line(size_t n)
{
    size_t cap = 200 + n * 40, off = 0;
    char *t = malloc(cap);
    assert_non_null(t);
    off += (size_t)snprintf(t + off, cap - off,
                            "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":"
                            "\"Feature\",\"properties\":{},\"geometry\":{\"type\":"
                            "\"LineString\",\"coordinates\":[");
    for (size_t i = 0; i < n; i++)
        off += (size_t)snprintf(t + off, cap - off, "%s[%.7f,34.7]", i ? "," : "",
                                135.5 + 1e-6 * (double)i);
    snprintf(t + off, cap - off, "]}}]}");
    return t;
}

static void test_bad_inputs(void **state)
{
    struct fx *f = *state;
    int dump = have_tool("sqlite3 -version");
    if (!dump)
        print_message("note: sqlite3 is not installed; comparing store fingerprints only\n");
    /* A fresh database: a refused first import fixes no CRS. */
    char *pts = tu_write(f->dir, "points.geojson", POINTS);
    expect_refused(f, pts, ERR_INPUT, "points.geojson feature 1", "needs lines", dump);
    assert_int_equal(store_srid(f->st), 0);

    /* Then a network to protect. */
    char *hand = tu_write(f->dir, "hand.osm", HAND_OSM);
    struct import_report rep;
    net_import_ok(f, hand, &rep);
    assert_int_equal(rep.stored, 5);

    expect_refused(f, pts, ERR_INPUT, "points.geojson feature 1", "but this geometry is a point",
                   dump);
    char *poly = tu_write(f->dir, "polygons.geojson", POLYGONS);
    expect_refused(f, poly, ERR_INPUT, "polygons.geojson feature 1", "polygon", dump);
    char *empty = tu_write(f->dir, "empty.osm", "");
    expect_refused(f, empty, ERR_INPUT, "empty.osm", "empty", dump);
    char *missing = tu_path(f->dir, "missing.osm.pbf");
    expect_refused(f, missing, ERR_INPUT, "missing.osm.pbf", "no such file", dump);
    char *junk = tu_write(f->dir, "junk.dat", "this is not a map\n");
    expect_refused(f, junk, ERR_INPUT, "junk.dat", "not a vector format", dump);
    char *europe = tu_write(f->dir, "europe.geojson", EUROPE);
    expect_refused(f, europe, ERR_INPUT, "europe.geojson feature 1", "outside the database's area",
                   dump);
    char *mixed = tu_write(f->dir, "mixed.geojson", LINE_THEN_POINT);
    expect_refused(f, mixed, ERR_INPUT, "mixed.geojson feature 2", "point", dump);
    char *none = tu_write(f->dir, "none.geojson", NO_FEATURES);
    expect_refused(f, none, ERR_INPUT, "none.geojson", "no lines", dump);
    char *river = tu_write(f->dir, "river.osm", ONLY_RIVER);
    expect_refused(f, river, ERR_INPUT, "river.osm", "none of its 1 lines", dump);
    /* Past the graph's 10,000 points per edge a line is kept whole, as
     * consecutive edges meeting at a node (issue 10; it used to be refused). */
    char *lng = long_line(10001);
    char *longp = tu_write(f->dir, "long.geojson", lng);
    struct import_report long_rep;
    struct err long_e = {0};
    assert_int_equal(net_import(f, longp, &long_rep, &long_e), ERR_OK);
    assert_int_equal(long_rep.stored, 2);
    assert_int_equal(long_rep.nodes, 3);
    assert_int_equal(long_rep.skipped, 0);

    /* A shapefile without .prj: no CRS can be determined. */
    if (have_tool("ogr2ogr --version")) {
        char *src = tu_write(f->dir, "lines.geojson", EUROPE);
        char cmd[1024];
        snprintf(cmd, sizeof cmd,
                 "ogr2ogr -f 'ESRI Shapefile' '%s/noprj.shp' '%s' && rm -f "
                 "'%s/noprj.prj'",
                 f->dir, src, f->dir);
        assert_int_equal(system(cmd), 0);
        char *shp = tu_path(f->dir, "noprj.shp");
        expect_refused(f, shp, ERR_INPUT, "noprj.shp", "no coordinate reference system", dump);
        free(shp);
        free(src);
    } else {
        print_message("note: ogr2ogr is not installed; the no-CRS case is not run\n");
    }
    free(pts);
    free(hand);
    free(poly);
    free(empty);
    free(missing);
    free(junk);
    free(europe);
    free(mixed);
    free(none);
    free(river);
    free(lng);
    free(longp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ube_gpkg, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_sumidaku_osm, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_tsukuba_osm, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_liechtenstein_pbf, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_andorra_pbf, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_hand_osm_rules, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_osm_pedestrian_square, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_compressed_osm, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_plain_geojson_lines, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_bad_inputs, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
