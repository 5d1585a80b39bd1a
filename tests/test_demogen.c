/* SPDX-License-Identifier: MIT */
/* test_demogen.c - tests for src/demogen.c, the fictional demo town generator.
 *
 * Generates the town once into a temporary directory and checks: two runs are
 * byte-identical; the committed data/ equals a fresh generation (so a stale
 * data/ fails CI); every file parses and has the documented properties and
 * counts; districts and census areas tile the town and each junior-high
 * district is exactly the union of three elementary ones; the network has
 * exactly two components (the town and the river island), dead ends and all
 * road classes; households and resources lie where documented; a coverage gap
 * exists; bad directories fail with a sentence naming the path.
 * Distances are computed independently of the generator (libm cos()).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "demogen.h"
#include "testutil.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TD_PI 3.14159265358979323846
#define TD_WALK_30MIN 2400.0 /* 30 minutes at 80 m/min */

/* ---------------------------------------------------------------- helpers */

/* Reads a whole file; returns a malloc'd buffer or NULL. */
static char *td_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    while (buf != NULL) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        char *nb = realloc(buf, 2 * cap + 1);
        if (nb == NULL) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    int bad = ferror(f);
    fclose(f);
    if (buf == NULL || bad) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* 1 when both files exist and hold the same bytes. */
static int td_same_file(const char *a, const char *b)
{
    size_t la = 0, lb = 0;
    char *ba = td_slurp(a, &la);
    char *bb = td_slurp(b, &lb);
    int same = ba != NULL && bb != NULL && la == lb && memcmp(ba, bb, la) == 0;
    free(ba);
    free(bb);
    return same;
}

static void td_remove_dir(const char *dir)
{
    for (size_t k = 0; k < DEMOGEN_NFILES; k++) {
        char *p = tu_path(dir, demogen_file_names[k]);
        remove(p);
        free(p);
    }
    rmdir(dir);
}

static json_t *td_load(const char *dir, const char *name)
{
    char *p = tu_path(dir, name);
    json_error_t jerr;
    json_t *root = json_load_file(p, 0, &jerr);
    if (root == NULL)
        print_error("%s:%d: %s\n", p, jerr.line, jerr.text);
    free(p);
    assert_non_null(root);
    assert_string_equal(json_string_value(json_object_get(root, "type")), "FeatureCollection");
    assert_true(json_is_array(json_object_get(root, "features")));
    return root;
}

/* Local metres from lon/lat, equirectangular around the documented origin. */
static void td_local(double lon, double lat, double *x, double *y)
{
    double mlat = 6371008.8 * TD_PI / 180.0;
    *x = (lon - DEMOGEN_ORIGIN_LON) * mlat * cos(DEMOGEN_ORIGIN_LAT * TD_PI / 180.0);
    *y = (lat - DEMOGEN_ORIGIN_LAT) * mlat;
}

/* Checks a [lon, lat] position: inside Japan, at most 7 decimals. */
static void td_check_pos(const json_t *pos, double *lon, double *lat)
{
    assert_true(json_is_array(pos));
    assert_int_equal(json_array_size(pos), 2);
    assert_true(json_is_real(json_array_get(pos, 0)));
    assert_true(json_is_real(json_array_get(pos, 1)));
    *lon = json_real_value(json_array_get(pos, 0));
    *lat = json_real_value(json_array_get(pos, 1));
    assert_true(*lon > 122.0 && *lon < 154.0);
    assert_true(*lat > 20.0 && *lat < 46.0);
    assert_true(fabs(*lon - DEMOGEN_ORIGIN_LON) < 0.03 && fabs(*lat - DEMOGEN_ORIGIN_LAT) < 0.02);
    assert_true(round(*lon * 1e7) / 1e7 == *lon);
    assert_true(round(*lat * 1e7) / 1e7 == *lat);
}

/* The string property `key` of feature f; fails the test when missing. */
static const char *td_str(const json_t *f, const char *key)
{
    const json_t *v = json_object_get(json_object_get(f, "properties"), key);
    if (!json_is_string(v))
        print_error("property %s is not a string\n", key);
    assert_true(json_is_string(v));
    return json_string_value(v);
}

/* 1 when s is one of the NULL-terminated words. */
static int td_one_of(const char *s, const char *const *words)
{
    for (size_t k = 0; words[k] != NULL; k++)
        if (strcmp(s, words[k]) == 0)
            return 1;
    return 0;
}

/* 1 when every ";"-separated item of s is one of words, with no repeats;
 * *count receives the number of items. */
static int td_list_of(const char *s, const char *const *words, size_t *count)
{
    char buf[256];
    size_t n = strlen(s);
    if (n == 0 || n >= sizeof buf)
        return 0;
    memcpy(buf, s, n + 1);
    const char *items[16];
    size_t ni = 0;
    char *p = buf;
    for (;;) {
        char *semi = strchr(p, ';');
        if (semi != NULL)
            *semi = '\0';
        if (ni == 16 || !td_one_of(p, words))
            return 0;
        for (size_t k = 0; k < ni; k++)
            if (strcmp(items[k], p) == 0)
                return 0;
        items[ni++] = p;
        if (semi == NULL)
            break;
        p = semi + 1;
    }
    *count = ni;
    return 1;
}

static const char *const td_kinds[] = {"consultation",
                                       "hub",
                                       "salon",
                                       "cafeteria",
                                       "gathering_place",
                                       "learning_support",
                                       "work_support",
                                       "welfare_facility",
                                       "dementia_cafe",
                                       "health_room",
                                       NULL};
static const char *const td_fields[] = {"elderly", "disability", "children", "hardship", NULL};
static const char *const td_highways[] = {"primary",       "secondary", "residential", "service",
                                          "footway",       "path",      "pedestrian",  "steps",
                                          "living_street", NULL};
static const char *const td_needs[] = {
    "高齢独居",   "認知症", "要介護",   "8050",     "ひきこもり", "ヤングケアラー",
    "ダブルケア", "障害",   "生活困窮", "ごみ屋敷", "孤立",       "外国籍",
    "虐待の疑い", "DV",     "不登校",   NULL};
static const char *const td_agencies[] = {"包括A", "包括B", "社協", "相談支援", "子ども家庭", NULL};

/* ---------------------------------------------------------------- network */

struct td_net {
    size_t nnode;
    double *nlon, *nlat; /* node keys: exact end-point coordinates */
    double *nx, *ny;     /* node positions in local metres */
    size_t nedge;
    int *ea, *eb;     /* end nodes */
    double *elen;     /* length in metres */
    const char **ehw; /* highway (borrowed from the JSON) */
    size_t nseg;
    double (*seg)[4]; /* every straight piece, local metres */
    json_t *root;
};

static int td_node(struct td_net *n, double lon, double lat)
{
    for (size_t k = n->nnode; k-- > 0;)
        if (n->nlon[k] == lon && n->nlat[k] == lat)
            return (int)k;
    n->nlon[n->nnode] = lon;
    n->nlat[n->nnode] = lat;
    td_local(lon, lat, &n->nx[n->nnode], &n->ny[n->nnode]);
    return (int)n->nnode++;
}

static void td_net_load(struct td_net *n, const char *dir)
{
    memset(n, 0, sizeof *n);
    n->root = td_load(dir, "town_network.geojson");
    const json_t *features = json_object_get(n->root, "features");
    size_t nf = json_array_size(features), maxv = 0;
    for (size_t k = 0; k < nf; k++)
        maxv += json_array_size(json_object_get(
            json_object_get(json_array_get(features, k), "geometry"), "coordinates"));
    n->nlon = calloc(2 * nf + 1, sizeof(double));
    n->nlat = calloc(2 * nf + 1, sizeof(double));
    n->nx = calloc(2 * nf + 1, sizeof(double));
    n->ny = calloc(2 * nf + 1, sizeof(double));
    n->ea = calloc(nf + 1, sizeof(int));
    n->eb = calloc(nf + 1, sizeof(int));
    n->elen = calloc(nf + 1, sizeof(double));
    n->ehw = calloc(nf + 1, sizeof(char *));
    n->seg = calloc(maxv + 1, sizeof *n->seg);
    assert_true(n->nlon && n->nlat && n->nx && n->ny && n->ea && n->eb && n->elen && n->ehw &&
                n->seg);
    for (size_t k = 0; k < nf; k++) {
        const json_t *f = json_array_get(features, k);
        const json_t *geom = json_object_get(f, "geometry");
        assert_string_equal(json_string_value(json_object_get(geom, "type")), "LineString");
        const json_t *coords = json_object_get(geom, "coordinates");
        size_t nv = json_array_size(coords);
        assert_true(nv >= 2);
        double plon = 0, plat = 0, px = 0, py = 0, len = 0;
        for (size_t v = 0; v < nv; v++) {
            double lon, lat, x, y;
            td_check_pos(json_array_get(coords, v), &lon, &lat);
            td_local(lon, lat, &x, &y);
            if (v > 0) {
                n->seg[n->nseg][0] = px;
                n->seg[n->nseg][1] = py;
                n->seg[n->nseg][2] = x;
                n->seg[n->nseg][3] = y;
                n->nseg++;
                len += sqrt((x - px) * (x - px) + (y - py) * (y - py));
            } else {
                plon = lon;
                plat = lat;
            }
            px = x;
            py = y;
        }
        double llon, llat;
        td_check_pos(json_array_get(coords, nv - 1), &llon, &llat);
        n->ea[k] = td_node(n, plon, plat);
        n->eb[k] = td_node(n, llon, llat);
        assert_true(n->ea[k] != n->eb[k]);
        assert_true(len > 1.0);
        n->elen[k] = len;
        n->ehw[k] = td_str(f, "highway");
        const json_t *name = json_object_get(json_object_get(f, "properties"), "name");
        assert_true(json_is_string(name) || json_is_null(name));
        n->nedge++;
    }
}

static void td_net_free(struct td_net *n)
{
    free(n->nlon);
    free(n->nlat);
    free(n->nx);
    free(n->ny);
    free(n->ea);
    free(n->eb);
    free(n->elen);
    free(n->ehw);
    free(n->seg);
    json_decref(n->root);
}

/* Distance in metres from (x, y) to the nearest network segment. */
static double td_dist_to_net(const struct td_net *n, double x, double y)
{
    double best = INFINITY;
    for (size_t k = 0; k < n->nseg; k++) {
        double ax = n->seg[k][0], ay = n->seg[k][1], bx = n->seg[k][2], by = n->seg[k][3];
        double dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy;
        double t = l2 > 0 ? ((x - ax) * dx + (y - ay) * dy) / l2 : 0;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        double ex = ax + t * dx - x, ey = ay + t * dy - y;
        double d = sqrt(ex * ex + ey * ey);
        if (d < best)
            best = d;
    }
    return best;
}

static int td_nearest_node(const struct td_net *n, double x, double y, double *d)
{
    int best = -1;
    for (size_t k = 0; k < n->nnode; k++) {
        double dd = sqrt((n->nx[k] - x) * (n->nx[k] - x) + (n->ny[k] - y) * (n->ny[k] - y));
        if (best < 0 || dd < *d) {
            best = (int)k;
            *d = dd;
        }
    }
    return best;
}

/* Component label of every node (union-find, path halving). */
static int td_find(int *parent, int x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

/* ---------------------------------------------------------------- fixture */

struct td_state {
    char *dir; /* one fresh generation */
};

static int td_setup(void **state)
{
    struct td_state *s = calloc(1, sizeof *s);
    if (s == NULL)
        return -1;
    s->dir = tu_tmpdir();
    *state = s;
    struct err e = {0};
    if (demogen_write(s->dir, &e) != ERR_OK) {
        print_error("demogen_write: %s\n", e.msg);
        return -1;
    }
    return 0;
}

static int td_teardown(void **state)
{
    struct td_state *s = *state;
    if (s == NULL)
        return 0;
    td_remove_dir(s->dir);
    free(s->dir);
    free(s);
    return 0;
}

/* ---------------------------------------------------------------- tests */

static void test_deterministic(void **state)
{
    struct td_state *s = *state;
    char *again = tu_tmpdir();
    struct err e = {0};
    assert_int_equal(demogen_write(again, &e), ERR_OK);
    for (size_t k = 0; k < DEMOGEN_NFILES; k++) {
        char *a = tu_path(s->dir, demogen_file_names[k]);
        char *b = tu_path(again, demogen_file_names[k]);
        if (!td_same_file(a, b))
            print_error("%s differs between two runs\n", demogen_file_names[k]);
        assert_true(td_same_file(a, b));
        free(a);
        free(b);
    }
    /* writing over existing files gives the same bytes again */
    assert_int_equal(demogen_write(again, &e), ERR_OK);
    for (size_t k = 0; k < DEMOGEN_NFILES; k++) {
        char *a = tu_path(s->dir, demogen_file_names[k]);
        char *b = tu_path(again, demogen_file_names[k]);
        assert_true(td_same_file(a, b));
        free(a);
        free(b);
    }
    td_remove_dir(again);
    free(again);
}

static void test_committed_data_is_fresh(void **state)
{
#ifdef TSUNAGU_SOURCE_DIR
    struct td_state *s = *state;
    for (size_t k = 0; k < DEMOGEN_NFILES; k++) {
        char *fresh = tu_path(s->dir, demogen_file_names[k]);
        char *committed = tu_path(TSUNAGU_SOURCE_DIR "/data", demogen_file_names[k]);
        if (!td_same_file(fresh, committed))
            print_error("data/%s is stale: run `tsunagu generate-demo data` and commit it\n",
                        demogen_file_names[k]);
        assert_true(td_same_file(fresh, committed));
        free(fresh);
        free(committed);
    }
#else
    (void)state;
    skip();
#endif
}

static void test_network(void **state)
{
    struct td_state *s = *state;
    struct td_net n;
    td_net_load(&n, s->dir);
    assert_true(n.nedge >= 1500 && n.nedge <= 3000);

    size_t seen[9] = {0};
    size_t bent = 0;
    for (size_t k = 0; k < n.nedge; k++) {
        size_t h = 0;
        while (td_highways[h] != NULL && strcmp(td_highways[h], n.ehw[k]) != 0)
            h++;
        assert_non_null(td_highways[h]);
        seen[h]++;
    }
    for (size_t h = 0; h < 9; h++) {
        if (seen[h] == 0)
            print_error("no %s in the network\n", td_highways[h]);
        assert_true(seen[h] > 0);
    }
    bent = n.nseg - n.nedge; /* extra segments come from intermediate vertices */
    assert_true(bent >= 100);

    /* exactly two components: the town and the small island of footpaths */
    int *parent = malloc(n.nnode * sizeof *parent);
    int *deg = calloc(n.nnode, sizeof *deg);
    assert_true(parent && deg);
    for (size_t k = 0; k < n.nnode; k++)
        parent[k] = (int)k;
    for (size_t k = 0; k < n.nedge; k++) {
        parent[td_find(parent, n.ea[k])] = td_find(parent, n.eb[k]);
        deg[n.ea[k]]++;
        deg[n.eb[k]]++;
    }
    int roots[3], nroots = 0;
    size_t size[3] = {0};
    for (size_t k = 0; k < n.nnode; k++) {
        if (td_find(parent, (int)k) != (int)k)
            continue;
        assert_true(nroots < 2);
        roots[nroots++] = (int)k;
    }
    assert_int_equal(nroots, 2);
    for (size_t k = 0; k < n.nedge; k++)
        size[td_find(parent, n.ea[k]) == roots[0] ? 0 : 1]++;
    int island = size[0] < size[1] ? 0 : 1;
    assert_true(size[island] >= 3 && size[island] <= 30);
    size_t dead_ends = 0;
    for (size_t k = 0; k < n.nedge; k++) {
        if (td_find(parent, n.ea[k]) == roots[island])
            assert_true(strcmp(n.ehw[k], "footway") == 0 || strcmp(n.ehw[k], "path") == 0);
    }
    for (size_t k = 0; k < n.nnode; k++)
        dead_ends += deg[k] == 1 && td_find(parent, (int)k) != roots[island];
    assert_true(dead_ends >= 2);
    free(parent);
    free(deg);
    td_net_free(&n);
}

/* A polygon ring of feature f as lon/lat pairs; checks closure and CCW. */
struct td_ring {
    size_t n;
    double (*p)[2];
};

static struct td_ring td_ring_of(const json_t *f)
{
    const json_t *geom = json_object_get(f, "geometry");
    assert_string_equal(json_string_value(json_object_get(geom, "type")), "Polygon");
    const json_t *rings = json_object_get(geom, "coordinates");
    assert_int_equal(json_array_size(rings), 1);
    const json_t *ring = json_array_get(rings, 0);
    struct td_ring r;
    r.n = json_array_size(ring);
    assert_true(r.n >= 4);
    r.p = malloc(r.n * sizeof *r.p);
    assert_non_null(r.p);
    for (size_t k = 0; k < r.n; k++)
        td_check_pos(json_array_get(ring, k), &r.p[k][0], &r.p[k][1]);
    assert_true(r.p[0][0] == r.p[r.n - 1][0] && r.p[0][1] == r.p[r.n - 1][1]);
    return r;
}

/* Signed shoelace area in square degrees (positive when counter-clockwise). */
static double td_area(struct td_ring r)
{
    double a = 0;
    for (size_t k = 0; k + 1 < r.n; k++)
        a += r.p[k][0] * r.p[k + 1][1] - r.p[k + 1][0] * r.p[k][1];
    return a / 2;
}

static int td_in_ring(struct td_ring r, double x, double y)
{
    int in = 0;
    for (size_t k = 0, l = r.n - 1; k < r.n; l = k++) {
        if ((r.p[k][1] > y) != (r.p[l][1] > y) &&
            x < r.p[l][0] + (y - r.p[l][1]) * (r.p[k][0] - r.p[l][0]) / (r.p[k][1] - r.p[l][1]))
            in = !in;
    }
    return in;
}

/* Area centroid of a ring. */
static void td_centroid(struct td_ring r, double *x, double *y)
{
    double a = 0, cx = 0, cy = 0;
    for (size_t k = 0; k + 1 < r.n; k++) {
        double c = r.p[k][0] * r.p[k + 1][1] - r.p[k + 1][0] * r.p[k][1];
        a += c;
        cx += (r.p[k][0] + r.p[k + 1][0]) * c;
        cy += (r.p[k][1] + r.p[k + 1][1]) * c;
    }
    *x = cx / (3 * a);
    *y = cy / (3 * a);
}

/* Directed boundary edges of a set of rings after cancelling every edge that
 * is met by its reverse: what remains is the boundary of their union. */
struct td_edges {
    size_t n, cap;
    double (*e)[4];
};

static void td_edges_add(struct td_edges *s, struct td_ring r)
{
    for (size_t k = 0; k + 1 < r.n; k++) {
        if (s->n == s->cap) {
            s->cap = s->cap ? 2 * s->cap : 256;
            s->e = realloc(s->e, s->cap * sizeof *s->e);
            assert_non_null(s->e);
        }
        s->e[s->n][0] = r.p[k][0];
        s->e[s->n][1] = r.p[k][1];
        s->e[s->n][2] = r.p[k + 1][0];
        s->e[s->n][3] = r.p[k + 1][1];
        s->n++;
    }
}

static void td_edges_cancel(struct td_edges *s)
{
    size_t out = 0;
    char *gone = calloc(s->n + 1, 1);
    assert_non_null(gone);
    for (size_t i = 0; i < s->n; i++) {
        for (size_t j = i + 1; j < s->n && !gone[i]; j++) {
            if (!gone[j] && s->e[i][0] == s->e[j][2] && s->e[i][1] == s->e[j][3] &&
                s->e[i][2] == s->e[j][0] && s->e[i][3] == s->e[j][1])
                gone[i] = gone[j] = 1;
        }
    }
    for (size_t i = 0; i < s->n; i++)
        if (!gone[i])
            memcpy(s->e[out++], s->e[i], sizeof s->e[i]);
    s->n = out;
    free(gone);
}

/* 1 when both edge sets hold the same directed edges. */
static int td_edges_equal(const struct td_edges *a, const struct td_edges *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++) {
        size_t j = 0;
        while (j < b->n && memcmp(a->e[i], b->e[j], sizeof a->e[i]) != 0)
            j++;
        if (j == b->n)
            return 0;
    }
    return 1;
}

/* Loads a polygon file: checks code/name uniqueness and positive areas;
 * returns its rings and, in *edges, its cancelled boundary. */
static struct td_ring *td_polygons(json_t *root, size_t *n, double *total_area,
                                   struct td_edges *edges)
{
    const json_t *features = json_object_get(root, "features");
    *n = json_array_size(features);
    struct td_ring *rings = calloc(*n + 1, sizeof *rings);
    assert_non_null(rings);
    *total_area = 0;
    memset(edges, 0, sizeof *edges);
    for (size_t k = 0; k < *n; k++) {
        const json_t *f = json_array_get(features, k);
        rings[k] = td_ring_of(f);
        double a = td_area(rings[k]);
        assert_true(a > 0);
        *total_area += a;
        td_edges_add(edges, rings[k]);
        for (size_t j = 0; j < k; j++) {
            const json_t *g = json_array_get(features, j);
            assert_string_not_equal(td_str(f, "code"), td_str(g, "code"));
            assert_string_not_equal(td_str(f, "name"), td_str(g, "name"));
        }
    }
    td_edges_cancel(edges);
    return rings;
}

static void td_rings_free(struct td_ring *r, size_t n)
{
    for (size_t k = 0; k < n; k++)
        free(r[k].p);
    free(r);
}

static void test_districts_tile(void **state)
{
    struct td_state *s = *state;
    json_t *el = td_load(s->dir, "town_districts_elementary.geojson");
    json_t *jh = td_load(s->dir, "town_districts_junior_high.geojson");
    json_t *pop = td_load(s->dir, "town_population.geojson");
    size_t nel, njh, npop;
    double ael, ajh, apop;
    struct td_edges eel, ejh, epop;
    struct td_ring *rel = td_polygons(el, &nel, &ael, &eel);
    struct td_ring *rjh = td_polygons(jh, &njh, &ajh, &ejh);
    struct td_ring *rpop = td_polygons(pop, &npop, &apop, &epop);
    assert_int_equal(nel, 6);
    assert_int_equal(njh, 2);
    for (size_t k = 0; k < nel; k++)
        assert_true(strlen(td_str(json_array_get(json_object_get(el, "features"), k), "school")) >
                    0);
    for (size_t k = 0; k < njh; k++)
        assert_true(strlen(td_str(json_array_get(json_object_get(jh, "features"), k), "school")) >
                    0);

    /* all three layers cover the same outline, without gaps or overlaps:
     * equal areas and, after cancelling shared edges, the same boundary */
    assert_true(fabs(ael - ajh) < 1e-9 * ael);
    assert_true(fabs(ael - apop) < 1e-9 * ael);
    assert_true(td_edges_equal(&eel, &ejh));
    assert_true(td_edges_equal(&eel, &epop));

    /* each junior-high district is exactly the union of three elementary ones */
    for (size_t j = 0; j < njh; j++) {
        struct td_edges members = {0};
        struct td_edges own = {0};
        size_t count = 0;
        double area = 0;
        for (size_t k = 0; k < nel; k++) {
            double cx, cy;
            td_centroid(rel[k], &cx, &cy);
            if (!td_in_ring(rjh[j], cx, cy))
                continue;
            count++;
            area += td_area(rel[k]);
            td_edges_add(&members, rel[k]);
        }
        assert_int_equal(count, 3);
        assert_true(fabs(area - td_area(rjh[j])) < 1e-9 * area);
        td_edges_cancel(&members);
        td_edges_add(&own, rjh[j]);
        assert_true(td_edges_equal(&members, &own));
        free(members.e);
        free(own.e);
    }
    /* every census area lies in exactly one elementary district */
    for (size_t p = 0; p < npop; p++) {
        double cx, cy;
        size_t in = 0;
        td_centroid(rpop[p], &cx, &cy);
        for (size_t k = 0; k < nel; k++)
            in += (size_t)td_in_ring(rel[k], cx, cy);
        assert_int_equal(in, 1);
    }
    td_rings_free(rel, nel);
    td_rings_free(rjh, njh);
    td_rings_free(rpop, npop);
    free(eel.e);
    free(ejh.e);
    free(epop.e);
    json_decref(el);
    json_decref(jh);
    json_decref(pop);
}

static void test_population(void **state)
{
    struct td_state *s = *state;
    json_t *root = td_load(s->dir, "town_population.geojson");
    const json_t *features = json_object_get(root, "features");
    size_t n = json_array_size(features);
    assert_true(n >= 20 && n <= 30);
    json_int_t residents = 0, households = 0;
    for (size_t k = 0; k < n; k++) {
        const json_t *f = json_array_get(features, k);
        const json_t *props = json_object_get(f, "properties");
        assert_true(strstr(td_str(f, "name"), "丁目") != NULL);
        assert_true(strlen(td_str(f, "code")) > 0);
        const json_t *r = json_object_get(props, "residents");
        const json_t *h = json_object_get(props, "households");
        assert_true(json_is_integer(r) && json_is_integer(h));
        assert_true(json_integer_value(h) > 0);
        assert_true(json_integer_value(h) <= json_integer_value(r));
        residents += json_integer_value(r);
        households += json_integer_value(h);
    }
    assert_true(residents >= 12000 && residents <= 18000);
    assert_true(households * 3 >= residents && households * 3 <= 2 * residents);
    json_decref(root);
}

static void test_resources(void **state)
{
    struct td_state *s = *state;
    struct td_net net;
    td_net_load(&net, s->dir);
    json_t *root = td_load(s->dir, "town_resources.geojson");
    const json_t *features = json_object_get(root, "features");
    size_t n = json_array_size(features), consultation = 0;
    int hub_types = 0;
    static const char *const hubs[] = {"basic", "integrated", "community", NULL};
    static const char *const props_all[] = {"id",       "name",    "kind",     "fields",
                                            "hub_type", "address", "schedule", "contact",
                                            "operator", "target",  NULL};
    assert_true(n >= 40 && n <= 60);
    for (size_t k = 0; k < n; k++) {
        const json_t *f = json_array_get(features, k);
        const json_t *props = json_object_get(f, "properties");
        for (size_t p = 0; props_all[p] != NULL; p++)
            assert_non_null(json_object_get(props, props_all[p]));
        assert_int_equal(json_object_size(props), 10);
        char id[24];
        snprintf(id, sizeof id, "R%03zu", k + 1);
        assert_string_equal(td_str(f, "id"), id);
        const char *kind = td_str(f, "kind");
        assert_true(td_one_of(kind, td_kinds));
        consultation += strcmp(kind, "consultation") == 0;
        const char *fields = td_str(f, "fields");
        size_t nf;
        assert_true(strcmp(fields, "all") == 0 || td_list_of(fields, td_fields, &nf));
        const json_t *hub = json_object_get(props, "hub_type");
        if (strcmp(kind, "hub") == 0) {
            assert_true(json_is_string(hub));
            size_t h = 0;
            while (hubs[h] != NULL && strcmp(hubs[h], json_string_value(hub)) != 0)
                h++;
            assert_non_null(hubs[h]);
            hub_types |= 1 << h;
        } else {
            assert_true(json_is_null(hub));
        }
        const char *contact = td_str(f, "contact");
        assert_int_equal(strlen(contact), 12);
        assert_memory_equal(contact, "0000-00-", 8);
        assert_true(strspn(contact + 8, "0123456789") == 4);
        assert_memory_equal(td_str(f, "address"), "架空市", strlen("架空市"));
        const char *schedule = td_str(f, "schedule");
        assert_true(strlen(schedule) >= 4 && strpbrk(schedule, "0123456789") != NULL);
        assert_true(strlen(td_str(f, "operator")) > 0 && strlen(td_str(f, "target")) > 0);
        assert_null(strchr(td_str(f, "name"), ','));

        const json_t *geom = json_object_get(f, "geometry");
        assert_string_equal(json_string_value(json_object_get(geom, "type")), "Point");
        double lon, lat, x, y;
        td_check_pos(json_object_get(geom, "coordinates"), &lon, &lat);
        td_local(lon, lat, &x, &y);
        assert_true(td_dist_to_net(&net, x, y) <= 50.0);
    }
    assert_true(consultation >= 6);
    assert_int_equal(hub_types, 7);
    json_decref(root);
    td_net_free(&net);
}

static void test_candidates(void **state)
{
    struct td_state *s = *state;
    json_t *root = td_load(s->dir, "town_candidates.geojson");
    const json_t *features = json_object_get(root, "features");
    size_t n = json_array_size(features);
    assert_true(n >= 10 && n <= 20);
    for (size_t k = 0; k < n; k++) {
        const json_t *f = json_array_get(features, k);
        char id[24];
        snprintf(id, sizeof id, "C%02zu", k + 1);
        assert_string_equal(td_str(f, "id"), id);
        assert_true(strlen(td_str(f, "name")) > 0);
        assert_true(td_one_of(td_str(f, "kind_hint"), td_kinds));
        double lon, lat;
        td_check_pos(json_object_get(json_object_get(f, "geometry"), "coordinates"), &lon, &lat);
    }
    json_decref(root);
}

/* One parsed household row. */
struct td_household {
    double lon, lat; /* as written */
    double x, y;     /* local metres */
};

/* Parses the households CSV strictly; returns the rows (count in *n). */
static struct td_household *td_households(const char *dir, size_t *n)
{
    char *path = tu_path(dir, "town_households.csv");
    size_t len = 0;
    char *text = td_slurp(path, &len);
    free(path);
    assert_non_null(text);
    static const char header[] = "id,lon,lat,members,needs,consent,agency\n";
    assert_true(len > sizeof header && memcmp(text, header, sizeof header - 1) == 0);
    assert_true(text[len - 1] == '\n');
    assert_null(strchr(text, '"'));
    assert_null(strchr(text, '\r'));

    struct td_household *rows = calloc(1000, sizeof *rows);
    assert_non_null(rows);
    *n = 0;
    char *line = text + sizeof header - 1;
    while (*line != '\0') {
        char *end = strchr(line, '\n');
        assert_non_null(end);
        *end = '\0';
        char *field[8];
        size_t nf = 0;
        for (char *p = line;; p++) {
            if (nf < 8 && (p == line || p[-1] == '\0'))
                field[nf++] = p;
            if (*p == '\0')
                break;
            if (*p == ',')
                *p = '\0';
        }
        assert_int_equal(nf, 7);
        assert_true(*n < 1000);
        char id[24];
        snprintf(id, sizeof id, "H%04zu", *n + 1);
        assert_string_equal(field[0], id);
        char *stop;
        errno = 0;
        double lon = strtod(field[1], &stop);
        assert_true(errno == 0 && *stop == '\0' && strlen(strchr(field[1], '.') + 1) == 7);
        double lat = strtod(field[2], &stop);
        assert_true(errno == 0 && *stop == '\0' && strlen(strchr(field[2], '.') + 1) == 7);
        assert_true(fabs(lon - DEMOGEN_ORIGIN_LON) < 0.03 && fabs(lat - DEMOGEN_ORIGIN_LAT) < 0.02);
        long members = strtol(field[3], &stop, 10);
        assert_true(*stop == '\0' && members >= 1 && members <= 6);
        size_t ntags = 0;
        assert_true(td_list_of(field[4], td_needs, &ntags));
        assert_true(ntags >= 1 && ntags <= 3);
        if (strstr(field[4], "高齢独居") != NULL)
            assert_int_equal(members, 1);
        assert_true(strcmp(field[5], "yes") == 0 || strcmp(field[5], "no") == 0);
        assert_true(td_one_of(field[6], td_agencies));
        rows[*n].lon = lon;
        rows[*n].lat = lat;
        td_local(lon, lat, &rows[*n].x, &rows[*n].y);
        (*n)++;
        line = end + 1;
    }
    free(text);
    return rows;
}

static void test_households(void **state)
{
    struct td_state *s = *state;
    size_t n = 0, off = 0;
    struct td_household *h = td_households(s->dir, &n);
    assert_true(n >= 300 && n <= 400);
    struct td_net net;
    td_net_load(&net, s->dir);
    for (size_t k = 0; k < n; k++) {
        double d = td_dist_to_net(&net, h[k].x, h[k].y);
        if (d > 500.0)
            off++;
        else if (d > 80.0)
            print_error("household row %zu is %.0f m from a street\n", k + 1, d);
        assert_true(d > 500.0 || d <= 80.0);
    }
    assert_true(off >= 2 && off <= 3);
    td_net_free(&net);
    free(h);
}

/* Walking distance (m) from the nearest consultation desk to every node:
 * multi-source Dijkstra, desks joined to their nearest node in a straight line. */
static double *td_desk_distances(const struct td_net *n, const json_t *resources)
{
    double *dist = malloc(n->nnode * sizeof *dist);
    char *done = calloc(n->nnode, 1);
    assert_true(dist && done);
    for (size_t k = 0; k < n->nnode; k++)
        dist[k] = INFINITY;
    const json_t *features = json_object_get(resources, "features");
    for (size_t k = 0; k < json_array_size(features); k++) {
        const json_t *f = json_array_get(features, k);
        if (strcmp(td_str(f, "kind"), "consultation") != 0)
            continue;
        const json_t *pos = json_object_get(json_object_get(f, "geometry"), "coordinates");
        double x, y, d = 0;
        td_local(json_real_value(json_array_get(pos, 0)), json_real_value(json_array_get(pos, 1)),
                 &x, &y);
        int node = td_nearest_node(n, x, y, &d);
        assert_true(node >= 0);
        if (d < dist[node])
            dist[node] = d;
    }
    for (;;) {
        int u = -1;
        for (size_t k = 0; k < n->nnode; k++)
            if (!done[k] && isfinite(dist[k]) && (u < 0 || dist[k] < dist[u]))
                u = (int)k;
        if (u < 0)
            break;
        done[u] = 1;
        for (size_t k = 0; k < n->nedge; k++) {
            int v = n->ea[k] == u ? n->eb[k] : n->eb[k] == u ? n->ea[k] : -1;
            if (v >= 0 && dist[u] + n->elen[k] < dist[v])
                dist[v] = dist[u] + n->elen[k];
        }
    }
    free(done);
    return dist;
}

static void test_coverage_gap(void **state)
{
    struct td_state *s = *state;
    struct td_net net;
    td_net_load(&net, s->dir);
    json_t *res = td_load(s->dir, "town_resources.geojson");
    json_t *el = td_load(s->dir, "town_districts_elementary.geojson");
    double *dist = td_desk_distances(&net, res);
    size_t n = 0, reached = 0, gap = 0, gap_e05 = 0;
    struct td_household *h = td_households(s->dir, &n);
    const json_t *features = json_object_get(el, "features");
    size_t e05 = 0;
    while (e05 < json_array_size(features) &&
           strcmp(td_str(json_array_get(features, e05), "code"), "E05") != 0)
        e05++;
    assert_true(e05 < json_array_size(features));
    struct td_ring r05 = td_ring_of(json_array_get(features, e05));
    for (size_t k = 0; k < n; k++) {
        double d = 0;
        int node = td_nearest_node(&net, h[k].x, h[k].y, &d);
        if (d > 500.0)
            continue; /* off-network households are a different report */
        if (d + dist[node] <= TD_WALK_30MIN) {
            reached++;
            continue;
        }
        gap++;
        gap_e05 += (size_t)td_in_ring(r05, h[k].lon, h[k].lat);
    }
    /* most households are covered, but a real gap exists, nearly all of it in
     * E05 (the rest at the northern tip of E04, next to it) */
    assert_true(gap >= 10);
    assert_true(reached > 2 * gap);
    assert_true(gap_e05 * 10 >= gap * 9);
    free(r05.p);
    free(dist);
    free(h);
    json_decref(res);
    json_decref(el);
    td_net_free(&net);
}

static void test_readme(void **state)
{
    struct td_state *s = *state;
    char *path = tu_path(s->dir, "README.md");
    size_t len = 0;
    char *text = td_slurp(path, &len);
    free(path);
    assert_non_null(text);
    assert_non_null(strstr(text, "架空"));
    assert_non_null(strstr(text, "fictional"));
    assert_non_null(strstr(text, "No real personal data"));
    assert_non_null(strstr(text, "tsunagu generate-demo data"));
    for (size_t k = 0; k + 1 < DEMOGEN_NFILES; k++)
        assert_non_null(strstr(text, demogen_file_names[k]));
    free(text);
}

static void test_bad_directories(void **state)
{
    struct td_state *s = *state;
    struct err e = {0};
    assert_int_equal(demogen_write(NULL, &e), ERR_INPUT);
    err_clear(&e);
    assert_int_equal(demogen_write("", &e), ERR_INPUT);
    err_clear(&e);

    char *longdir = malloc(DEMOGEN_DIR_MAX + 2);
    assert_non_null(longdir);
    memset(longdir, 'a', DEMOGEN_DIR_MAX + 1);
    longdir[DEMOGEN_DIR_MAX + 1] = '\0';
    assert_int_equal(demogen_write(longdir, &e), ERR_LIMIT);
    err_clear(&e);
    free(longdir);

    /* a directory "inside" a regular file cannot be created */
    char *file = tu_path(s->dir, "README.md");
    char *below = tu_path(file, "sub");
    assert_int_equal(demogen_write(below, &e), ERR_IO);
    assert_non_null(strstr(e.msg, below));
    err_clear(&e);
    free(below);

    /* an existing directory where a file must go: the message names the file */
    char *dir = tu_tmpdir();
    char *blocker = tu_path(dir, "town_resources.geojson");
    assert_int_equal(mkdir(blocker, 0700), 0);
    assert_int_equal(demogen_write(dir, &e), ERR_IO);
    assert_non_null(strstr(e.msg, "town_resources.geojson"));
    /* files before it were written whole, no temporary file is left behind */
    char *net = tu_path(dir, "town_network.geojson");
    char *fresh = tu_path(s->dir, "town_network.geojson");
    assert_true(td_same_file(net, fresh));
    char *tmp = tu_path(dir, ".town_resources.geojson.tmp");
    assert_int_equal(access(tmp, F_OK), -1);
    rmdir(blocker);
    td_remove_dir(dir);
    free(tmp);
    free(net);
    free(fresh);
    free(blocker);
    free(dir);
    free(file);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deterministic),   cmocka_unit_test(test_committed_data_is_fresh),
        cmocka_unit_test(test_network),         cmocka_unit_test(test_districts_tile),
        cmocka_unit_test(test_population),      cmocka_unit_test(test_resources),
        cmocka_unit_test(test_candidates),      cmocka_unit_test(test_households),
        cmocka_unit_test(test_coverage_gap),    cmocka_unit_test(test_readme),
        cmocka_unit_test(test_bad_directories),
    };
    return cmocka_run_group_tests(tests, td_setup, td_teardown);
}
