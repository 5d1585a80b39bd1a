/* SPDX-License-Identifier: MIT */
/* plan_fixture.h - databases shared by the planning tests (test_coverage,
 * test_suggest, test_route), built through the real importer:
 *
 * - the LINE TOWN, small enough to check by hand: one straight 5 km street
 *   along y = -100000 (EPSG:6675 metres) plus a separate 1 km island street;
 *   two consultation desks, a salon, two candidate sites, ten households
 *   (one off the network, one on the island), two districts W and E and
 *   three small areas. Every distance is a sum of round numbers (see
 *   pf_line_town);
 * - the DEMO TOWN from data/ (candidates imported as candidate sites);
 * - 宇部市's real network and shelters with synthetic households placed
 *   deterministically (NULL when ../shared/data is absent).
 *
 * Include after cmocka.h. Functions are static inline so each test uses
 * what it needs. */
#ifndef TSUNAGU_PLAN_FIXTURE_H
#define TSUNAGU_PLAN_FIXTURE_H

#include "crs.h"
#include "import.h"
#include "testutil.h"
#include "walk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A database with its walking engine. */
struct pf_db {
    char *dir, *path;        /* temp dir and database file */
    struct store *st;        /* open read-write */
    struct walk_net *net;    /* loaded engine */
    struct walk_session *ws; /* a session on it */
};

static inline void pf_import(struct store *st, int kind, const char *path, const char *level,
                             const char *kind_value, const char *crs)
{
    struct import_opts o = {
        .kind = kind, .src.path = path, .level = level, .kind_value = kind_value, .crs = crs};
    struct import_report rep;
    struct err e = {0};
    if (import_run(st, &o, &rep, &e) != ERR_OK)
        fail_msg("import %s: %s", path, e.msg);
}

static inline void pf_open_engine(struct pf_db *d)
{
    struct err e = {0};
    d->net = walk_net_load(d->st, 0, &e);
    if (d->net == NULL)
        fail_msg("walk_net_load: %s", e.msg);
    d->ws = walk_session_new(d->net, &e);
    assert_non_null(d->ws);
}

static inline void pf_free(struct pf_db *d)
{
    if (d == NULL)
        return;
    walk_session_free(d->ws);
    walk_net_free(d->net);
    store_close(d->st);
    free(d->path);
    free(d->dir);
    free(d);
}

static inline struct pf_db *pf_new(const char *name)
{
    struct pf_db *d = calloc(1, sizeof *d);
    assert_non_null(d);
    d->dir = tu_tmpdir();
    d->path = tu_path(d->dir, name);
    struct err e = {0};
    d->st = store_open(d->path, &e);
    if (d->st == NULL)
        fail_msg("store_open: %s", e.msg);
    return d;
}

#define PF_CRS "{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::6675\"}}"
#define PF_FC(features)                                                                            \
    "{\"type\":\"FeatureCollection\",\"crs\":" PF_CRS ",\"features\":[" features "]}"
#define PF_LINE(x0, x1)                                                                            \
    "{\"type\":\"Feature\",\"properties\":{\"highway\":\"residential\"},"                          \
    "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[" #x0 ",-100000],[" #x1               \
    ",-100000]]}}"
#define PF_RECT(props, x0, y0, x1, y1)                                                             \
    "{\"type\":\"Feature\",\"properties\":" props ","                                              \
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[" #x0 "," #y0 "],[" #x1 "," #y0         \
    "],[" #x1 "," #y1 "],[" #x0 "," #y1 "],[" #x0 "," #y0 "]]]}}"
#define PF_POINT(props, x, y)                                                                      \
    "{\"type\":\"Feature\",\"properties\":" props ","                                              \
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[" #x "," #y "]}}"
#define PF_HH(id, x, y) PF_POINT("{\"id\":\"" id "\",\"members\":1,\"needs\":\"高齢独居\"}", x, y)

/* The line town. Walking at 100 m/min with a 10-minute limit (1000 m):
 * desks D1 (1000, -99980) and D2 (4000, -99980) have 20 m access legs,
 * households 10 m (except H5, 650 m: off the network). Nearest walks:
 *   H1 x=0    D1 1030 beyond     W      H6 x=2600 D2 1430 beyond   E
 *   H2 x=200  D1  830 covered    W      H7 x=3100 D2  930 covered  E
 *   H3 x=1500 D1  530 covered    W      H8 x=4500 D2  530 covered  E
 *   H4 x=2400 D1 1430 beyond     W      H9 x=4900 D2  930 covered  (no district)
 *   H5 off the network           W      H10 island: unreachable    (no district)
 * Small areas (representative point = rectangle centre): A1 (200) 100
 * residents, D1 820 covered, W; A2 (2600) 50 residents, D2 1420 beyond, E;
 * A3 7 residents, off the network, W. Salon S1 at x=200 (access 0).
 * Candidates C1 at x=2500 (covers H4, H6, A2) and C0 at x=0 (covers H1). */
static inline struct pf_db *pf_line_town(void)
{
    struct pf_db *d = pf_new("line.db");
    /* clang-format off */
    char *net = tu_write(d->dir, "net.geojson",
        PF_FC(PF_LINE(0, 5000) "," PF_LINE(5500, 6500)));
    char *dist = tu_write(d->dir, "districts.geojson", PF_FC(
        PF_RECT("{\"code\":\"W\",\"name\":\"West\"}", -500, -100800, 2500, -99200) ","
        PF_RECT("{\"code\":\"E\",\"name\":\"East\"}", 2500, -100800, 4800, -99200)));
    char *res = tu_write(d->dir, "resources.geojson", PF_FC(
        PF_POINT("{\"id\":\"D1\",\"name\":\"Desk 1\",\"kind\":\"consultation\"}", 1000, -99980) ","
        PF_POINT("{\"id\":\"D2\",\"name\":\"Desk 2\",\"kind\":\"consultation\"}", 4000, -99980) ","
        PF_POINT("{\"id\":\"S1\",\"name\":\"Salon\",\"kind\":\"salon\"}", 200, -100000)));
    char *cand = tu_write(d->dir, "candidates.geojson", PF_FC(
        PF_POINT("{\"id\":\"C1\",\"name\":\"Mid school\"}", 2500, -100000) ","
        PF_POINT("{\"id\":\"C0\",\"name\":\"West hall\"}", 0, -100000)));
    char *hh = tu_write(d->dir, "households.geojson", PF_FC(
        PF_HH("H1", 0, -99990) "," PF_HH("H2", 200, -99990) ","
        PF_HH("H3", 1500, -99990) "," PF_HH("H4", 2400, -99990) ","
        PF_HH("H5", 100, -99350) "," PF_HH("H6", 2600, -99990) ","
        PF_HH("H7", 3100, -99990) "," PF_HH("H8", 4500, -99990) ","
        PF_HH("H9", 4900, -99990) "," PF_HH("H10", 6000, -99990)));
    char *areas = tu_write(d->dir, "areas.geojson", PF_FC(
        PF_RECT("{\"code\":\"A1\",\"residents\":100}", 0, -100010, 400, -99990) ","
        PF_RECT("{\"code\":\"A2\",\"residents\":50}", 2400, -100010, 2800, -99990) ","
        PF_RECT("{\"code\":\"A3\",\"residents\":7}", 200, -99300, 400, -99280)));
    /* clang-format on */
    pf_import(d->st, IMPORT_NETWORK, net, NULL, NULL, "EPSG:6675");
    pf_import(d->st, IMPORT_DISTRICTS, dist, "elementary", NULL, NULL);
    pf_import(d->st, IMPORT_RESOURCES, res, NULL, NULL, NULL);
    pf_import(d->st, IMPORT_CANDIDATES, cand, NULL, NULL, NULL);
    pf_import(d->st, IMPORT_HOUSEHOLDS, hh, NULL, NULL, NULL);
    pf_import(d->st, IMPORT_POPULATION, areas, NULL, NULL, NULL);
    free(net);
    free(dist);
    free(res);
    free(cand);
    free(hh);
    free(areas);
    pf_open_engine(d);
    return d;
}

/* The demo town from data/, as `tsunagu demo` builds it. */
static inline struct pf_db *pf_demo_town(void)
{
    struct pf_db *d = pf_new("demo.db");
    static const struct {
        int kind;
        const char *file, *level, *kind_value;
    } files[] = {
        {IMPORT_NETWORK, "town_network.geojson", NULL, NULL},
        {IMPORT_DISTRICTS, "town_districts_junior_high.geojson", "junior_high", NULL},
        {IMPORT_DISTRICTS, "town_districts_elementary.geojson", "elementary", NULL},
        {IMPORT_RESOURCES, "town_resources.geojson", NULL, NULL},
        {IMPORT_HOUSEHOLDS, "town_households.csv", NULL, NULL},
        {IMPORT_POPULATION, "town_population.geojson", NULL, NULL},
        {IMPORT_RESOURCES, "town_candidates.geojson", NULL, "candidate"},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *rel = tu_path("data", files[i].file);
        char *p = tu_path(TSUNAGU_SOURCE_DIR, rel);
        pf_import(d->st, files[i].kind, p, files[i].level, files[i].kind_value, NULL);
        free(p);
        free(rel);
    }
    pf_open_engine(d);
    return d;
}

/* 宇部市: the OSM network and P20 shelters (kind shelter), plus `n`
 * synthetic households at deterministic pseudo-random points of the
 * network's bounding box (a CSV written here). NULL when the data is absent. */
static inline struct pf_db *pf_ube(int n)
{
    char *roads = tu_shared("ube/ube_roads_osm_edges.gpkg");
    char *shelters = tu_shared("ube/ube_shelters_P20.gpkg");
    if (roads == NULL || shelters == NULL) {
        free(roads);
        free(shelters);
        return NULL;
    }
    struct pf_db *d = pf_new("ube.db");
    pf_import(d->st, IMPORT_NETWORK, roads, NULL, NULL, NULL);
    pf_import(d->st, IMPORT_RESOURCES, shelters, NULL, "shelter", NULL);
    pf_open_engine(d);
    double minx, miny, maxx, maxy;
    graph_bbox(walk_net_graph(d->net), &minx, &miny, &maxx, &maxy);
    struct crs *c = crs_open(walk_net_srid(d->net), NULL);
    assert_non_null(c);
    size_t cap = 64 + (size_t)n * 96;
    char *csv = malloc(cap);
    assert_non_null(csv);
    size_t len = (size_t)snprintf(csv, cap, "id,lon,lat,members,needs\n");
    unsigned seed = 12345;
    for (int i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        double x = minx + (maxx - minx) * ((seed >> 8) % 10000) / 10000.0;
        seed = seed * 1103515245u + 12345u;
        double y = miny + (maxy - miny) * ((seed >> 8) % 10000) / 10000.0;
        double lon, lat;
        assert_int_equal(crs_to_lonlat(c, x, y, &lon, &lat), ERR_OK);
        len += (size_t)snprintf(csv + len, cap - len, "U%04d,%.7f,%.7f,1,%s\n", i + 1, lon, lat,
                                i % 3 ? "高齢独居" : "孤立");
        assert_true(len < cap);
    }
    char *path = tu_write(d->dir, "households.csv", csv);
    walk_session_free(d->ws);
    walk_net_free(d->net);
    d->ws = NULL;
    d->net = NULL;
    pf_import(d->st, IMPORT_HOUSEHOLDS, path, NULL, NULL, NULL);
    pf_open_engine(d);
    crs_close(c);
    free(csv);
    free(path);
    free(roads);
    free(shelters);
    return d;
}

#endif
