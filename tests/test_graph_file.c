/* SPDX-License-Identifier: MIT */
/* test_graph_file.c - tests src/walk/graph_file.c and graph_from_parts: a
 * saved and mapped graph equals the built one element by element (arrays,
 * polylines, snaps, places, slices, memory account), including long
 * segments that take the escape table; missing, stale (another key),
 * truncated, padded, corrupt (header, data, indices) files are refused;
 * a write that cannot happen leaves nothing behind. */
#include "graph.h"
#include "graph_file.h"
#include "graph_fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY 0x1234567890abcdefULL

/* A scratch directory per test. */
static char dir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/test_graph_file.XXXXXX");
    return mkdtemp(dir) == NULL ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    DIR *d = opendir(dir);
    if (d != NULL) {
        struct dirent *de;
        char p[512];
        while ((de = readdir(d)) != NULL)
            if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
                snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
                unlink(p);
            }
        closedir(d);
    }
    rmdir(dir);
    return 0;
}

/* A random network of nx x ny grid nodes with long (escaped) and short
 * segments. */
static struct graph *sample_n(uint64_t seed, double spacing, int nx, int ny)
{
    struct fx_rng r;
    fx_seed(&r, seed);
    struct fx_opts o = {.nx = nx,
                        .ny = ny,
                        .spacing = spacing,
                        .x0 = -30000.123,
                        .y0 = 95000.456,
                        .jitter = 15,
                        .p_delete = 0.2,
                        .min_interior = 0,
                        .max_interior = 6,
                        .bend = 40,
                        .stretch = 0.3,
                        .p_steps = 0.1,
                        .p_zero = 0.1,
                        .p_loop = 0.1,
                        .p_parallel = 0.1};
    return fx_random_graph(&r, &o);
}

static struct graph *sample(uint64_t seed, double spacing)
{
    return sample_n(seed, spacing, 9, 7);
}

/* Both ways graph_file_map holds a file: every test maps each way. */
static const enum graph_file_hold holds[] = {GRAPH_FILE_MAPPED, GRAPH_FILE_RESIDENT};
#define NHOLDS (sizeof holds / sizeof *holds)

static void path_of(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", dir, name);
}

/* Every observable of a and b is equal. */
static void assert_same_graph(const struct graph *a, const struct graph *b)
{
    assert_int_equal(graph_node_count(a), graph_node_count(b));
    assert_int_equal(graph_edge_count(a), graph_edge_count(b));
    assert_int_equal(graph_memory_bytes(a), graph_memory_bytes(b));
    double a4[4], b4[4];
    graph_bbox(a, &a4[0], &a4[1], &a4[2], &a4[3]);
    graph_bbox(b, &b4[0], &b4[1], &b4[2], &b4[3]);
    assert_memory_equal(a4, b4, sizeof a4);
    struct graph_view va, vb;
    graph_view(a, &va);
    graph_view(b, &vb);
    uint32_t n = va.nnodes, m = va.nedges;
    assert_memory_equal(va.adj_off, vb.adj_off, (n + 1) * sizeof *va.adj_off);
    assert_memory_equal(va.adj_to, vb.adj_to, 2 * m * sizeof *va.adj_to);
    assert_memory_equal(va.adj_edge, vb.adj_edge, 2 * m * sizeof *va.adj_edge);
    assert_memory_equal(va.edge_uv, vb.edge_uv, 2 * m * sizeof *va.edge_uv);
    assert_memory_equal(va.length, vb.length, m * sizeof *va.length);
    assert_memory_equal(va.flags, vb.flags, m * sizeof *va.flags);
    for (uint32_t i = 0; i < n; i++) {
        double ax, ay, bx, by;
        graph_node_xy(a, i, &ax, &ay);
        graph_node_xy(b, i, &bx, &by);
        assert_true(ax == bx && ay == by);
    }
    for (uint32_t ed = 0; ed < m; ed++) {
        assert_int_equal(graph_edge_npoints(a, ed), graph_edge_npoints(b, ed));
        for (uint32_t i = 0; i < graph_edge_npoints(a, ed); i++) {
            double ax, ay, bx, by;
            graph_edge_point(a, ed, i, &ax, &ay);
            graph_edge_point(b, ed, i, &bx, &by);
            assert_true(ax == bx && ay == by);
        }
        double sa[2 * 16], sb[2 * 16];
        size_t na, nb;
        struct err e = {0};
        double len = graph_edge_length(a, ed);
        assert_int_equal(graph_edge_slice(a, ed, len / 3, len * 0.9, sa, 16, &na, &e), ERR_OK);
        assert_int_equal(graph_edge_slice(b, ed, len / 3, len * 0.9, sb, 16, &nb, &e), ERR_OK);
        assert_int_equal(na, nb);
        assert_memory_equal(sa, sb, 2 * na * sizeof *sa);
    }
    /* Snaps through the saved grid equal those through the built one. */
    struct fx_rng r;
    fx_seed(&r, 7);
    for (int q = 0; q < 300; q++) {
        double px = fx_unif(&r, a4[0] - 100, a4[2] + 100);
        double py = fx_unif(&r, a4[1] - 100, a4[3] + 100);
        struct graph_place pa, pb;
        struct err ea = {0}, eb = {0};
        int ra = graph_snap(a, px, py, GRAPH_SNAP_DEFAULT_M, &pa, &ea);
        int rb = graph_snap(b, px, py, GRAPH_SNAP_DEFAULT_M, &pb, &eb);
        assert_int_equal(ra, rb);
        if (ra == ERR_OK)
            assert_true(pa.edge == pb.edge && pa.offset_m == pb.offset_m &&
                        pa.access_m == pb.access_m && pa.x == pb.x && pa.y == pb.y);
    }
}

static void test_round_trip_equals_built(void **state)
{
    (void)state;
    /* 60 m blocks (no escapes) and 400 m ones (segments over 64 m). */
    const double spacing[] = {60, 400};
    for (int k = 0; k < 2; k++) {
        struct graph *g = sample(20261207 + (uint64_t)k, spacing[k]);
        char p[512];
        path_of(p, sizeof p, "db.graph");
        struct err e = {0};
        assert_int_equal(graph_file_write(g, p, KEY, &e), ERR_OK);
        for (size_t h = 0; h < NHOLDS; h++) {
            struct graph *m = graph_file_map(p, KEY, holds[h], &e);
            assert_non_null(m);
            assert_same_graph(g, m);
            graph_free(m);
        }
        graph_free(g);
    }
}

/* Read the whole file at p into a new buffer. */
static unsigned char *slurp(const char *p, size_t *n)
{
    FILE *f = fopen(p, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)len);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *n = (size_t)len;
    return b;
}

static void spit(const char *p, const unsigned char *b, size_t n)
{
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, n, f), n);
    fclose(f);
}

/* graph_file_map of p with key fails with `code`, held either way. */
static void assert_refused(const char *p, uint64_t key, int code)
{
    for (size_t h = 0; h < NHOLDS; h++) {
        struct err e = {0};
        struct graph *m = graph_file_map(p, key, holds[h], &e);
        assert_null(m);
        assert_int_equal(e.code, code);
    }
}

static void test_bad_files_are_refused(void **state)
{
    (void)state;
    struct graph *g = sample(99, 400);
    char p[512], q[512];
    path_of(p, sizeof p, "db.graph");
    path_of(q, sizeof q, "bad.graph");
    struct err e = {0};
    assert_refused(p, KEY, ERR_NOTFOUND);
    assert_int_equal(graph_file_write(g, p, KEY, &e), ERR_OK);
    size_t n;
    unsigned char *good = slurp(p, &n);

    /* Stale: another network version or another database's file. */
    assert_refused(p, KEY + 1, ERR_INPUT);
    /* Truncated, at several places, and padded. */
    const size_t cuts[] = {0, 8, 100, n / 2, n - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        spit(q, good, cuts[i]);
        assert_refused(q, KEY, ERR_INPUT);
    }
    unsigned char *pad = malloc(n + 64);
    assert_non_null(pad);
    memcpy(pad, good, n);
    memset(pad + n, 0, 64);
    spit(q, pad, n + 64);
    assert_refused(q, KEY, ERR_INPUT);
    free(pad);
    /* One flipped bit anywhere (header, section table, every part of the
     * data) is caught. */
    unsigned char *bad = malloc(n);
    assert_non_null(bad);
    for (size_t at = 0; at < n; at += n / 97 + 1) {
        memcpy(bad, good, n);
        bad[at] ^= 0x10;
        spit(q, bad, n);
        assert_refused(q, KEY, ERR_INPUT);
    }
    free(bad);
    /* The good file still maps, either way. */
    for (size_t h = 0; h < NHOLDS; h++) {
        struct graph *m = graph_file_map(p, KEY, holds[h], &e);
        assert_non_null(m);
        graph_free(m);
    }
    free(good);
    graph_free(g);
}

/* A file past HUGEMEM_MIN_BYTES (2 MiB), so GRAPH_FILE_RESIDENT reads it
 * onto huge pages rather than into malloc'd memory: it equals the built
 * graph, held either way, and a flipped bit near its end or a cut is
 * refused by both. */
static void test_large_file_held_both_ways(void **state)
{
    (void)state;
    struct graph *g = sample_n(20261208, 60, 160, 120);
    char p[512], q[512];
    path_of(p, sizeof p, "db.graph");
    path_of(q, sizeof q, "bad.graph");
    struct err e = {0};
    assert_int_equal(graph_file_write(g, p, KEY, &e), ERR_OK);
    size_t n;
    unsigned char *good = slurp(p, &n);
    assert_true(n > ((size_t)1 << 21));
    for (size_t h = 0; h < NHOLDS; h++) {
        struct graph *m = graph_file_map(p, KEY, holds[h], &e);
        assert_non_null(m);
        assert_same_graph(g, m);
        graph_free(m);
    }
    good[n - 9] ^= 0x01;
    spit(q, good, n);
    assert_refused(q, KEY, ERR_INPUT);
    good[n - 9] ^= 0x01;
    spit(q, good, n - 4096);
    assert_refused(q, KEY, ERR_INPUT);
    free(good);
    graph_free(g);
}

static void test_parts_with_bad_indices_are_refused(void **state)
{
    (void)state;
    /* Past the checksums (a file written with them recomputed) only the
     * index checks stand between a bad array and a query: each is tried. */
    struct graph *g = sample(5, 400);
    struct graph_parts p;
    graph_parts(g, &p);
    struct graph_view v;
    graph_view(g, &v);
    size_t m = p.nedges, n = p.nnodes;
    uint32_t *to = malloc(2 * m * sizeof *to);
    uint32_t *off = malloc((m + 1) * sizeof *off);
    uint32_t *ids = malloc((p.grid_nids + 1) * sizeof *ids);
    double *len = malloc(m * sizeof *len);
    assert_true(to && off && ids && len);
    struct err e = {0};

    struct graph_parts b = p;
    memcpy(to, p.adj_to, 2 * m * sizeof *to);
    to[3] = (uint32_t)n; /* neighbour out of range */
    b.adj_to = to;
    assert_null(graph_from_parts(&b, NULL, NULL, &e));
    assert_int_equal(e.code, ERR_INPUT);

    b = p;
    memcpy(off, p.pt_off, (m + 1) * sizeof *off);
    off[m] += 1; /* more vertices than stored */
    b.pt_off = off;
    assert_null(graph_from_parts(&b, NULL, NULL, &e));

    b = p;
    memcpy(ids, p.grid_ids, p.grid_nids * sizeof *ids);
    ids[0] = (uint32_t)m; /* a grid entry naming no edge */
    b.grid_ids = ids;
    assert_null(graph_from_parts(&b, NULL, NULL, &e));

    b = p;
    memcpy(len, p.edge_len, m * sizeof *len);
    len[1] = -1; /* negative length */
    b.edge_len = len;
    assert_null(graph_from_parts(&b, NULL, NULL, &e));

    b = p;
    b.nnodes = p.nnodes - 1; /* an edge_uv beyond the nodes */
    assert_null(graph_from_parts(&b, NULL, NULL, &e));

    /* The untouched parts are accepted (borrowed, nothing to release). */
    struct graph *c = graph_from_parts(&p, NULL, NULL, &e);
    assert_non_null(c);
    graph_free(c);
    free(to);
    free(off);
    free(ids);
    free(len);
    graph_free(g);
}

static void test_write_failure_leaves_nothing(void **state)
{
    (void)state;
    struct graph *g = sample(3, 60);
    char p[512];
    /* The name is taken by a directory: rename cannot replace it. */
    path_of(p, sizeof p, "db.graph");
    assert_int_equal(mkdir(p, 0755), 0);
    struct err e = {0};
    assert_int_equal(graph_file_write(g, p, KEY, &e), ERR_IO);
    assert_refused(p, KEY, ERR_IO);
    rmdir(p);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *de;
    int left = 0;
    while ((de = readdir(d)) != NULL)
        left += de->d_name[0] != '.';
    closedir(d);
    assert_int_equal(left, 0); /* no temporary file left behind */
    /* A directory that does not exist. */
    path_of(p, sizeof p, "missing/db.graph");
    assert_int_equal(graph_file_write(g, p, KEY, &e), ERR_IO);
    graph_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip_equals_built, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_files_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_large_file_held_both_ways, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parts_with_bad_indices_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_failure_leaves_nothing, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
