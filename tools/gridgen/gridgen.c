/* SPDX-License-Identifier: MIT */
/* gridgen.c - deterministic synthetic street grids for the scale benchmark
 * (tests/bench_scale.sh, issue 17): a city-to-prefecture network of jittered
 * 60 m blocks centred near 宇部市 (lon 131.25, lat 33.95), with synthetic
 * households, resources and two levels of districts, all fictional.
 *
 *   gridgen [--edges N] [--households N] [--resources N] [--seed S] DIR
 *
 * Entry point: main (a standalone program built as build/gridgen; nothing
 * else links it). Files written into DIR (created when missing):
 *   grid_network.gpkg            GeoPackage, layer grid_network: LineString
 *                                (EPSG:4326) with highway and name; one row
 *                                per block side, 4 vertices each, noded at
 *                                its ends (what `import network` does for
 *                                road-line layers)
 *   grid_households.csv          id,lon,lat,members,needs,consent,agency
 *   grid_resources.csv           id,name,kind,fields,lon,lat,schedule
 *   grid_districts_elementary.geojson   12 x 12 rectangles (code, name)
 *   grid_districts_junior_high.geojson   4 x 4 rectangles (code, name)
 * and prints one summary line (key=value) on stdout.
 *
 * The grid is s x s intersections with s the smallest giving at least
 * --edges edges (2 s (s - 1)): 125000 -> 250 (124,500 edges), 500000 -> 500
 * (499,000), 2000000 -> 1000 (1,998,000). Every 10th row and column is a
 * named tertiary street; the rest are unnamed residential streets.
 *
 * GeoPackage is written through SQLite directly (the tables of OGC 12-128r18
 * that GDAL needs: gpkg_spatial_ref_sys, gpkg_contents,
 * gpkg_geometry_columns; no spatial index, which the reader does not need),
 * because only src/geo may use GDAL and this tool is outside the layers.
 *
 * Determinism: randomness is splitmix64 of (seed, object, index), so every
 * intersection, edge, household and resource depends only on the seed and
 * its own index; geometry uses + - * / only; metres per degree are fixed
 * literals; coordinates are rounded to integer units of 1e-7 degree.
 * Failure: a sentence on stderr and exit status 1 (2 for bad usage).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#define GRIDGEN_LON0 131.25            /* centre of the grid */
#define GRIDGEN_LAT0 33.95             /* centre of the grid */
#define GRIDGEN_M_PER_DEG_LAT 110921.5 /* at 33.95 N */
#define GRIDGEN_M_PER_DEG_LON 92436.2  /* at 33.95 N */
#define GRIDGEN_BLOCK 60.0             /* metres between intersections */
#define GRIDGEN_JITTER 12.0            /* intersections move up to this far (each axis) */
#define GRIDGEN_BEND 3.0               /* interior vertices move up to this far sideways */
#define GRIDGEN_MAX_EDGES 20000000L
#define GRIDGEN_MAX_HOUSEHOLDS 2000000L
#define GRIDGEN_MAX_RESOURCES 100000L
#define GRIDGEN_PATH_MAX 3000
#define GRIDGEN_ELEM 12  /* elementary districts per side */
#define GRIDGEN_JUNIOR 4 /* junior-high districts per side */

/* What the grid is made of. */
struct gridgen {
    long side;       /* intersections per row and per column */
    uint64_t seed;   /* --seed */
    long households; /* --households */
    long resources;  /* --resources */
    const char *dir; /* output directory */
};

/* splitmix64 (public domain, Vigna): one 64-bit step. */
static uint64_t gridgen_mix(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* The k-th random word of object kind `what`, index i: depends on nothing else. */
static uint64_t gridgen_rand(const struct gridgen *g, uint64_t what, uint64_t i, uint64_t k)
{
    return gridgen_mix(gridgen_mix(gridgen_mix(g->seed ^ (what << 56)) ^ i) + k);
}

/* A uniform double in [-1, 1) from a random word. */
static double gridgen_unit(uint64_t r)
{
    return (double)(r >> 11) * (2.0 / 9007199254740992.0) - 1.0;
}

/* Metres east/north of the grid's south-west corner -> degrees, rounded to
 * 1e-7 degree (kept as the integer count of 1e-7 degree in *ilon and *ilat). */
static void gridgen_deg(const struct gridgen *g, double x, double y, long *ilon, long *ilat)
{
    double half = (double)(g->side - 1) * GRIDGEN_BLOCK / 2.0;
    double lon = GRIDGEN_LON0 + (x - half) / GRIDGEN_M_PER_DEG_LON;
    double lat = GRIDGEN_LAT0 + (y - half) / GRIDGEN_M_PER_DEG_LAT;
    *ilon = lround(lon * 1e7);
    *ilat = lround(lat * 1e7);
}

/* Intersection (row r, column c) in metres, jittered. */
static void gridgen_node(const struct gridgen *g, long r, long c, double *x, double *y)
{
    uint64_t i = (uint64_t)r * (uint64_t)g->side + (uint64_t)c;
    *x = (double)c * GRIDGEN_BLOCK + GRIDGEN_JITTER * gridgen_unit(gridgen_rand(g, 1, i, 0));
    *y = (double)r * GRIDGEN_BLOCK + GRIDGEN_JITTER * gridgen_unit(gridgen_rand(g, 1, i, 1));
}

/* "DIR/name" into buf (GRIDGEN_PATH_MAX + 64 bytes). */
static void gridgen_path(const struct gridgen *g, const char *name, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", g->dir, name);
}

static int gridgen_sql(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "gridgen: writing the GeoPackage failed: %s\n", msg ? msg : "?");
        sqlite3_free(msg);
        return 1;
    }
    return 0;
}

static void gridgen_put_u32(unsigned char *p, uint32_t v)
{
    memcpy(p, &v, 4); /* little-endian hosts only: checked in main */
}

static void gridgen_put_f64(unsigned char *p, double v)
{
    memcpy(p, &v, 8);
}

/* One GeoPackage LineString blob of 4 points (xy as 1e-7 degree integers):
 * "GP", version 0, flags (little-endian, xy envelope), srs_id, envelope,
 * then ISO WKB. Writes 8 + 32 + 9 + 64 = 113 bytes into b. */
static size_t gridgen_blob(unsigned char *b, const long *ilon, const long *ilat)
{
    double x[4], y[4], minx, maxx, miny, maxy;
    for (int k = 0; k < 4; k++) {
        x[k] = (double)ilon[k] / 1e7;
        y[k] = (double)ilat[k] / 1e7;
    }
    minx = maxx = x[0];
    miny = maxy = y[0];
    for (int k = 1; k < 4; k++) {
        minx = x[k] < minx ? x[k] : minx;
        maxx = x[k] > maxx ? x[k] : maxx;
        miny = y[k] < miny ? y[k] : miny;
        maxy = y[k] > maxy ? y[k] : maxy;
    }
    b[0] = 'G';
    b[1] = 'P';
    b[2] = 0;
    b[3] = 0x03; /* little-endian, envelope [minx, maxx, miny, maxy] */
    gridgen_put_u32(b + 4, 4326);
    gridgen_put_f64(b + 8, minx);
    gridgen_put_f64(b + 16, maxx);
    gridgen_put_f64(b + 24, miny);
    gridgen_put_f64(b + 32, maxy);
    unsigned char *w = b + 40;
    w[0] = 1;
    gridgen_put_u32(w + 1, 2);
    gridgen_put_u32(w + 5, 4);
    for (int k = 0; k < 4; k++) {
        gridgen_put_f64(w + 9 + 16 * k, x[k]);
        gridgen_put_f64(w + 17 + 16 * k, y[k]);
    }
    return 113;
}

static const char gridgen_gpkg_schema[] =
    "PRAGMA application_id = 1196444487; PRAGMA user_version = 10300;"
    "CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY "
    "KEY, organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT "
    "NOT NULL, description TEXT);"
    "INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, "
    "'undefined', 'undefined cartesian coordinate reference system'),"
    "('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate "
    "reference system'),"
    "('WGS 84 geodetic', 4326, 'EPSG', 4326, 'GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS "
    "84\",6378137,298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],"
    "PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,"
    "AUTHORITY[\"EPSG\",\"9122\"]],AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST],"
    "AUTHORITY[\"EPSG\",\"4326\"]]', 'longitude/latitude coordinates in decimal degrees on the "
    "WGS 84 spheroid');"
    "CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, "
    "identifier TEXT UNIQUE, description TEXT DEFAULT '', last_change DATETIME NOT NULL, min_x "
    "DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER, CONSTRAINT fk_gc_r_srs_id "
    "FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));"
    "CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, "
    "geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT "
    "NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), CONSTRAINT "
    "fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name), CONSTRAINT fk_gc_srs "
    "FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));"
    "CREATE TABLE grid_network (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom LINESTRING, "
    "highway TEXT, name TEXT);"
    "INSERT INTO gpkg_geometry_columns VALUES ('grid_network', 'geom', 'LINESTRING', 4326, 0, 0);";

/* The street of edge (row/column index k along the other axis): every 10th
 * line is a named tertiary street. */
static void gridgen_street(long line, int horizontal, const char **hw, char *name, size_t size)
{
    if (line % 10 == 0) {
        *hw = "tertiary";
        snprintf(name, size, "%s%ld通り", horizontal ? "東西" : "南北", line / 10 + 1);
    } else {
        *hw = "residential";
        name[0] = '\0';
    }
}

/* Inserts the edge from intersection (r0, c0) to (r1, c1): 4 vertices, the
 * interior two at a third and two thirds, moved sideways up to GRIDGEN_BEND. */
static int gridgen_edge(const struct gridgen *g, sqlite3 *db, sqlite3_stmt *ins, uint64_t idx,
                        long r0, long c0, long r1, long c1, double *bb)
{
    double x0, y0, x1, y1;
    gridgen_node(g, r0, c0, &x0, &y0);
    gridgen_node(g, r1, c1, &x1, &y1);
    double dx = x1 - x0, dy = y1 - y0;
    double len = sqrt(dx * dx + dy * dy);
    double px = -dy / len, py = dx / len; /* unit normal */
    double xs[4] = {x0, 0, 0, x1}, ys[4] = {y0, 0, 0, y1};
    for (int k = 1; k <= 2; k++) {
        double b = GRIDGEN_BEND * gridgen_unit(gridgen_rand(g, 2, idx, (uint64_t)k));
        xs[k] = x0 + dx * k / 3.0 + px * b;
        ys[k] = y0 + dy * k / 3.0 + py * b;
    }
    long ilon[4], ilat[4];
    for (int k = 0; k < 4; k++) {
        gridgen_deg(g, xs[k], ys[k], &ilon[k], &ilat[k]);
        double lo = (double)ilon[k] / 1e7, la = (double)ilat[k] / 1e7;
        bb[0] = lo < bb[0] ? lo : bb[0];
        bb[1] = la < bb[1] ? la : bb[1];
        bb[2] = lo > bb[2] ? lo : bb[2];
        bb[3] = la > bb[3] ? la : bb[3];
    }
    unsigned char blob[113];
    size_t n = gridgen_blob(blob, ilon, ilat);
    const char *hw;
    char name[64];
    int horizontal = r0 == r1;
    gridgen_street(horizontal ? r0 : c0, horizontal, &hw, name, sizeof name);
    sqlite3_bind_blob(ins, 1, blob, (int)n, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 2, hw, -1, SQLITE_STATIC);
    if (name[0])
        sqlite3_bind_text(ins, 3, name, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(ins, 3);
    if (sqlite3_step(ins) != SQLITE_DONE) {
        fprintf(stderr, "gridgen: writing the GeoPackage failed: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    sqlite3_reset(ins);
    return 0;
}

/* Writes grid_network.gpkg (replacing an old one); *edges receives the count. */
static int gridgen_network(const struct gridgen *g, long *edges)
{
    char path[GRIDGEN_PATH_MAX + 64];
    gridgen_path(g, "grid_network.gpkg", path, sizeof path);
    if (remove(path) != 0 && errno != ENOENT) {
        fprintf(stderr, "gridgen: cannot replace %s\n", path);
        return 1;
    }
    sqlite3 *db = NULL;
    sqlite3_stmt *ins = NULL;
    int bad = 1;
    if (sqlite3_open(path, &db) != SQLITE_OK) {
        fprintf(stderr, "gridgen: cannot create %s\n", path);
        goto done;
    }
    if (gridgen_sql(db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN;") ||
        gridgen_sql(db, gridgen_gpkg_schema))
        goto done;
    if (sqlite3_prepare_v2(db, "INSERT INTO grid_network(geom, highway, name) VALUES (?, ?, ?)", -1,
                           &ins, NULL) != SQLITE_OK) {
        fprintf(stderr, "gridgen: writing the GeoPackage failed: %s\n", sqlite3_errmsg(db));
        goto done;
    }
    double bb[4] = {1e9, 1e9, -1e9, -1e9};
    uint64_t idx = 0;
    long s = g->side;
    for (long r = 0; r < s; r++)
        for (long c = 0; c < s; c++) {
            if (c + 1 < s && gridgen_edge(g, db, ins, idx++, r, c, r, c + 1, bb))
                goto done;
            if (r + 1 < s && gridgen_edge(g, db, ins, idx++, r, c, r + 1, c, bb))
                goto done;
        }
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO gpkg_contents VALUES ('grid_network', 'features', 'grid_network', "
             "'synthetic street grid (tools/gridgen)', '2026-01-01T00:00:00.000Z', "
             "%.7f, %.7f, %.7f, %.7f, 4326); COMMIT;",
             bb[0], bb[1], bb[2], bb[3]);
    if (gridgen_sql(db, sql))
        goto done;
    *edges = (long)idx;
    bad = 0;
done:
    sqlite3_finalize(ins);
    if (sqlite3_close(db) != SQLITE_OK && !bad) {
        fprintf(stderr, "gridgen: cannot close %s\n", path);
        bad = 1;
    }
    return bad;
}

/* fopen for writing "DIR/name", with the message on failure. */
static FILE *gridgen_open(const struct gridgen *g, const char *name)
{
    char path[GRIDGEN_PATH_MAX + 64];
    gridgen_path(g, name, path, sizeof path);
    FILE *fp = fopen(path, "w");
    if (fp == NULL)
        fprintf(stderr, "gridgen: cannot write %s\n", path);
    return fp;
}

static int gridgen_close(FILE *fp, const char *name)
{
    if (ferror(fp) | fclose(fp)) {
        fprintf(stderr, "gridgen: writing %s failed\n", name);
        return 1;
    }
    return 0;
}

/* A uniform point inside the grid (metres), of object kind what, index i. */
static void gridgen_point(const struct gridgen *g, uint64_t what, uint64_t i, long *ilon,
                          long *ilat)
{
    double span = (double)(g->side - 1) * GRIDGEN_BLOCK;
    double x = span * (gridgen_unit(gridgen_rand(g, what, i, 0)) + 1.0) / 2.0;
    double y = span * (gridgen_unit(gridgen_rand(g, what, i, 1)) + 1.0) / 2.0;
    gridgen_deg(g, x, y, ilon, ilat);
}

/* Need combinations (tags of the built-in vocabulary) and their agencies. */
static const struct {
    const char *needs;
    const char *agency;
} gridgen_profiles[] = {
    {"高齢独居", "包括A"},      {"高齢独居;認知症", "包括A"},
    {"要介護;認知症", "包括B"}, {"8050;ひきこもり", "社協"},
    {"障害", "相談支援"},       {"障害;生活困窮", "相談支援"},
    {"生活困窮", "社協"},       {"生活困窮;不登校", "子ども家庭"},
    {"外国籍;孤立", "社協"},    {"要介護;ヤングケアラー", "子ども家庭"},
};
#define GRIDGEN_NPROFILES (sizeof gridgen_profiles / sizeof gridgen_profiles[0])

static int gridgen_households(const struct gridgen *g)
{
    const char *name = "grid_households.csv";
    FILE *fp = gridgen_open(g, name);
    if (fp == NULL)
        return 1;
    fputs("id,lon,lat,members,needs,consent,agency\n", fp);
    for (long i = 0; i < g->households; i++) {
        long lo, la;
        gridgen_point(g, 3, (uint64_t)i, &lo, &la);
        uint64_t r = gridgen_rand(g, 3, (uint64_t)i, 2);
        size_t p = (size_t)(r % GRIDGEN_NPROFILES);
        int members = 1 + (int)((r >> 8) % 4);
        int consent = (r >> 16) % 10 < 7;
        fprintf(fp, "G%07ld,%ld.%07ld,%ld.%07ld,%d,%s,%s,%s\n", i + 1, lo / 10000000, lo % 10000000,
                la / 10000000, la % 10000000, members, gridgen_profiles[p].needs,
                consent ? "yes" : "no", gridgen_profiles[p].agency);
    }
    return gridgen_close(fp, name);
}

/* Resource kinds in turn, with their Japanese label and hours. */
static const struct {
    const char *kind;
    const char *label;
    const char *schedule;
} gridgen_kinds[] = {
    {"consultation", "相談窓口", "Mo-Fr 08:30-17:15"},
    {"hub", "居場所", "Mo-Sa 10:00-18:00"},
    {"salon", "ふれあいサロン", "We 13:00-16:00"},
    {"cafeteria", "子ども食堂", "Sa 11:00-14:00"},
    {"gathering_place", "通いの場", "Tu,Th 09:30-11:30"},
    {"shelter", "避難所", "24/7"},
};
#define GRIDGEN_NKINDS (sizeof gridgen_kinds / sizeof gridgen_kinds[0])

static int gridgen_resources(const struct gridgen *g)
{
    const char *name = "grid_resources.csv";
    FILE *fp = gridgen_open(g, name);
    if (fp == NULL)
        return 1;
    fputs("id,name,kind,fields,lon,lat,schedule\n", fp);
    for (long i = 0; i < g->resources; i++) {
        long lo, la;
        gridgen_point(g, 4, (uint64_t)i, &lo, &la);
        size_t k = (size_t)i % GRIDGEN_NKINDS;
        fprintf(fp, "GR%05ld,グリッド%s%ld,%s,all,%ld.%07ld,%ld.%07ld,%s\n", i + 1,
                gridgen_kinds[k].label, i / (long)GRIDGEN_NKINDS + 1, gridgen_kinds[k].kind,
                lo / 10000000, lo % 10000000, la / 10000000, la % 10000000,
                gridgen_kinds[k].schedule);
    }
    return gridgen_close(fp, name);
}

/* n x n rectangles covering the grid with a 200 m margin, as GeoJSON. */
static int gridgen_districts(const struct gridgen *g, const char *name, const char *prefix,
                             const char *label, long n)
{
    FILE *fp = gridgen_open(g, name);
    if (fp == NULL)
        return 1;
    double lo0 = -200.0, span = (double)(g->side - 1) * GRIDGEN_BLOCK + 400.0;
    fputs("{\"type\":\"FeatureCollection\",\"features\":[\n", fp);
    for (long r = 0; r < n; r++)
        for (long c = 0; c < n; c++) {
            long x[2], y[2];
            gridgen_deg(g, lo0 + span * (double)c / (double)n, lo0 + span * (double)r / (double)n,
                        &x[0], &y[0]);
            gridgen_deg(g, lo0 + span * (double)(c + 1) / (double)n,
                        lo0 + span * (double)(r + 1) / (double)n, &x[1], &y[1]);
            static const int ring[5][2] = {{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}};
            fprintf(fp,
                    "%s{\"type\":\"Feature\",\"properties\":{\"code\":\"%s%03ld\",\"name\":\"グリッ"
                    "ド%s%ld\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[",
                    r || c ? ",\n" : "", prefix, r * n + c + 1, label, r * n + c + 1);
            for (int k = 0; k < 5; k++)
                fprintf(fp, "%s[%ld.%07ld,%ld.%07ld]", k ? "," : "", x[ring[k][0]] / 10000000,
                        x[ring[k][0]] % 10000000, y[ring[k][1]] / 10000000,
                        y[ring[k][1]] % 10000000);
            fputs("]]}}", fp);
        }
    fputs("\n]}\n", fp);
    return gridgen_close(fp, name);
}

/* Parses a non-negative count option value within [lo, hi]. */
static int gridgen_count(const char *opt, const char *v, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long n = v ? strtol(v, &end, 10) : 0;
    if (v == NULL || errno || end == v || *end || n < lo || n > hi) {
        fprintf(stderr, "gridgen: %s takes a whole number from %ld to %ld\n", opt, lo, hi);
        return 1;
    }
    *out = n;
    return 0;
}

static void gridgen_usage(void)
{
    fputs("usage: gridgen [--edges N] [--households N] [--resources N] [--seed S] DIR\n"
          "Writes a synthetic street grid of at least N edges (default 125000) near 宇部市,\n"
          "households (default 10000), resources (default 300) and districts into DIR.\n",
          stderr);
}

int main(int argc, char **argv)
{
    struct gridgen g = {0, 1, 10000, 300, NULL};
    long edges = 125000, seed = 1;
    uint32_t one = 1;
    unsigned char first;
    memcpy(&first, &one, 1);
    if (first != 1) {
        fputs("gridgen: needs a little-endian machine (the GeoPackage blobs are written as "
              "such)\n",
              stderr);
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int bad = 0;
        if (strcmp(a, "--edges") == 0)
            bad = gridgen_count(a, v, 4, GRIDGEN_MAX_EDGES, &edges), i++;
        else if (strcmp(a, "--households") == 0)
            bad = gridgen_count(a, v, 0, GRIDGEN_MAX_HOUSEHOLDS, &g.households), i++;
        else if (strcmp(a, "--resources") == 0)
            bad = gridgen_count(a, v, 0, GRIDGEN_MAX_RESOURCES, &g.resources), i++;
        else if (strcmp(a, "--seed") == 0)
            bad = gridgen_count(a, v, 0, 2147483647L, &seed), i++;
        else if (strcmp(a, "--help") == 0) {
            gridgen_usage();
            return 0;
        } else if (a[0] == '-' || g.dir) {
            gridgen_usage();
            return 2;
        } else
            g.dir = a;
        if (bad)
            return 2;
    }
    if (g.dir == NULL || strlen(g.dir) > GRIDGEN_PATH_MAX) {
        gridgen_usage();
        return 2;
    }
    g.seed = (uint64_t)seed;
    g.side = 2;
    while (2 * g.side * (g.side - 1) < edges)
        g.side++;
    if (mkdir(g.dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "gridgen: cannot create the directory %s\n", g.dir);
        return 1;
    }
    long made = 0;
    if (gridgen_network(&g, &made) || gridgen_households(&g) || gridgen_resources(&g) ||
        gridgen_districts(&g, "grid_districts_elementary.geojson", "E", "小学校区", GRIDGEN_ELEM) ||
        gridgen_districts(&g, "grid_districts_junior_high.geojson", "J", "中学校区",
                          GRIDGEN_JUNIOR))
        return 1;
    printf("side=%ld edges=%ld nodes=%ld households=%ld resources=%ld seed=%ld "
           "extent_m=%.0f\n",
           g.side, made, g.side * g.side, g.households, g.resources, seed,
           (double)(g.side - 1) * GRIDGEN_BLOCK);
    return 0;
}
