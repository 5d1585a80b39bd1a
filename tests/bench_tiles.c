/* SPDX-License-Identifier: MIT */
/* bench_tiles.c - timing program for the first generation of vector tiles
 * (not a ctest test; tests/bench_tiles.sh runs it next to PostGIS
 * ST_AsMVT and compares the features).
 *
 *   bench_tiles build DB LAYER TILELIST THREADS RUNS [OUTDIR]
 *     TILELIST has one "z x y" per line. Each run starts a fresh tile
 *     service (empty cache, so every tile is built: first generation),
 *     splits the list round robin over THREADS threads (each with its own
 *     read-only store and CRS handle, as the server's workers have, opened
 *     before the clock starts) and times the whole list with
 *     CLOCK_MONOTONIC; thread CPU time is summed
 *     too. The first tile of each run, which loads the layer's in-memory
 *     index, is timed apart (`prepare`) and left out of the rate. OUTDIR
 *     receives each non-empty tile of the last run as z_x_y.mvt.
 *
 *   bench_tiles compare LAYER TILELIST OURDIR PEERFILE
 *     PEERFILE has one "z x y HEX" line per tile (the peer's tile, hex, "-"
 *     or nothing when empty). Both tiles are decoded (protobuf-c) and
 *     compared feature by feature, matched by feature id: the same ids, and
 *     every vertex of each geometry that lies in the tile proper within TOL
 *     tile units of the other's lines (both sides quantise to the 4096 grid
 *     and tsunagu simplifies by one unit: TOL = 2). Vertices in the 64-unit
 *     buffer are not compared, and a feature on one side only passes when
 *     it is a sliver (shorter than 2 units, or wholly in the buffer):
 *     PostGIS snaps to the grid before it clips, tsunagu after, so clip
 *     points slide along steep lines there and sub-unit ends survive on one
 *     side only. Prints counts and the largest distance; exit 1 on any
 *     other difference.
 *
 * Figures go to stdout as key=value lines. Exit status 0, or 1 with a
 * message on stderr. */
#include "crs.h"
#include "mvt.h"
#include "store.h"
#include "tiles.h"
#include "vector_tile.pb-c.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BENCH_TILES_MAX 1000000L
#define BENCH_TOL 2.0

struct bench_tile {
    int z;
    long x, y;
};

static struct bench_tile *bench_tiles;
static long bench_ntiles;

static double bench_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double bench_cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int bench_read_list(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return fprintf(stderr, "bench_tiles: cannot read %s\n", path), 1;
    bench_tiles = malloc(BENCH_TILES_MAX * sizeof *bench_tiles);
    int z;
    long x, y;
    while (bench_ntiles < BENCH_TILES_MAX && fscanf(f, "%d %ld %ld", &z, &x, &y) == 3) {
        bench_tiles[bench_ntiles++] = (struct bench_tile){z, x, y};
        int c;
        while ((c = fgetc(f)) != EOF && c != '\n')
            ; /* the rest of the line (a peer's hex) */
    }
    fclose(f);
    return bench_ntiles == 0 ? (fprintf(stderr, "bench_tiles: no tiles in %s\n", path), 1) : 0;
}

/* ---- build ---- */

struct bench_worker {
    const char *db, *layer, *outdir;
    struct tiles *t;
    struct tiles_env env; /* the thread's store and CRS, opened before the clock starts */
    int index, threads;
    long built, empty;
    double cpu_ms;
    size_t bytes;
    int failed;
};

static void *bench_work(void *arg)
{
    struct bench_worker *w = arg;
    struct err e = {0};
    struct tiles_env env = w->env;
    double cpu0 = bench_cpu_ms();
    for (long i = 1 + w->index; i < bench_ntiles; i += w->threads) {
        struct tiles_result r;
        const struct bench_tile *bt = &bench_tiles[i];
        if (tiles_get(w->t, &env, w->layer, bt->z, bt->x, bt->y, NULL, 0, &r, &e) != ERR_OK) {
            fprintf(stderr, "bench_tiles: tile %d/%ld/%ld: %s\n", bt->z, bt->x, bt->y, e.msg);
            w->failed = 1;
            break;
        }
        w->built++;
        w->empty += r.empty;
        w->bytes += r.len;
        if (w->outdir && r.body) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%d_%ld_%ld.mvt", w->outdir, bt->z, bt->x, bt->y);
            FILE *f = fopen(path, "wb");
            if (f == NULL || fwrite(r.body, 1, r.len, f) != r.len) {
                fprintf(stderr, "bench_tiles: cannot write %s\n", path);
                w->failed = 1;
            }
            if (f)
                fclose(f);
        }
        free(r.body);
    }
    w->cpu_ms = bench_cpu_ms() - cpu0;
    return NULL;
}

static int bench_build(int argc, char **argv)
{
    if (argc < 7)
        return fprintf(stderr,
                       "usage: bench_tiles build DB LAYER TILELIST THREADS RUNS [OUTDIR]\n"),
               1;
    const char *db = argv[2], *layer = argv[3];
    int threads = atoi(argv[5]), runs = atoi(argv[6]);
    if (threads < 1 || threads > 64 || runs < 1 || bench_read_list(argv[4]))
        return 1;
    for (int run = 0; run < runs; run++) {
        struct err e = {0};
        struct tiles *t = tiles_new(&e);
        /* The first tile, alone: it loads the layer's index. */
        struct store *st = store_open_readonly(db, &e);
        struct crs *c = st ? crs_open(store_srid(st), &e) : NULL;
        struct tiles_env env = {.st = st, .crs = c};
        if (t == NULL || c == NULL || crs_area_of(store_srid(st), &env.area, &e) != ERR_OK)
            return fprintf(stderr, "bench_tiles: %s\n", e.msg), 1;
        struct tiles_result r;
        double p0 = bench_now_ms();
        if (tiles_get(t, &env, layer, bench_tiles[0].z, bench_tiles[0].x, bench_tiles[0].y, NULL, 0,
                      &r, &e) != ERR_OK)
            return fprintf(stderr, "bench_tiles: first tile: %s\n", e.msg), 1;
        double prepare = bench_now_ms() - p0;
        if (run == runs - 1 && argc > 7 && r.body) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%d_%ld_%ld.mvt", argv[7], bench_tiles[0].z,
                     bench_tiles[0].x, bench_tiles[0].y);
            FILE *f = fopen(path, "wb");
            if (f == NULL || fwrite(r.body, 1, r.len, f) != r.len)
                return fprintf(stderr, "bench_tiles: cannot write %s\n", path), 1;
            fclose(f);
        }
        free(r.body);
        crs_close(c);
        store_close(st);

        struct bench_worker w[64];
        pthread_t th[64];
        for (int i = 0; i < threads; i++) {
            w[i] = (struct bench_worker){.db = db,
                                         .layer = layer,
                                         .t = t,
                                         .index = i,
                                         .threads = threads,
                                         .outdir = run == runs - 1 && argc > 7 ? argv[7] : NULL};
            w[i].env.st = store_open_readonly(db, &e);
            w[i].env.crs = w[i].env.st ? crs_open(store_srid(w[i].env.st), &e) : NULL;
            if (w[i].env.crs == NULL ||
                crs_area_of(store_srid(w[i].env.st), &w[i].env.area, &e) != ERR_OK)
                return fprintf(stderr, "bench_tiles: %s\n", e.msg), 1;
        }
        double t0 = bench_now_ms();
        for (int i = 0; i < threads; i++)
            pthread_create(&th[i], NULL, bench_work, &w[i]);
        long built = 0, empty = 0;
        double cpu = 0;
        size_t bytes = 0;
        int failed = 0;
        for (int i = 0; i < threads; i++) {
            pthread_join(th[i], NULL);
            built += w[i].built;
            empty += w[i].empty;
            cpu += w[i].cpu_ms;
            bytes += w[i].bytes;
            failed |= w[i].failed;
        }
        double wall = bench_now_ms() - t0;
        for (int i = 0; i < threads; i++) {
            crs_close(w[i].env.crs);
            store_close(w[i].env.st);
        }
        tiles_free(t);
        if (failed)
            return 1;
        printf("run=%d threads=%d tiles=%ld empty=%ld bytes=%zu prepare_ms=%.2f wall_ms=%.2f "
               "tiles_per_s=%.1f cpu_us_per_tile=%.1f\n",
               run, threads, built, empty, bytes, prepare, wall, built / (wall / 1e3),
               cpu * 1e3 / (double)(built ? built : 1));
    }
    return 0;
}

/* ---- compare ---- */

/* One decoded feature: id and its lines (vertex lists, parts split). */
struct bench_feat {
    uint64_t id;
    double *xy;   /* vertices */
    size_t n;     /* vertices */
    size_t *part; /* start index of each part */
    size_t nparts;
};

struct bench_dec {
    struct bench_feat *f;
    size_t n;
};

static int bench_hex(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int bench_decode_cb(void *ctx, uint32_t id, int32_t x, int32_t y)
{
    struct bench_feat *f = ctx;
    if (id == 1) {
        f->part = realloc(f->part, (f->nparts + 1) * sizeof *f->part);
        f->part[f->nparts++] = f->n;
    }
    f->xy = realloc(f->xy, (f->n + 1) * 2 * sizeof *f->xy);
    f->xy[2 * f->n] = x;
    f->xy[2 * f->n + 1] = y;
    f->n++;
    return 0;
}

/* Decodes the layer `layer` of an MVT into d. */
static int bench_decode(const unsigned char *buf, size_t len, const char *layer,
                        struct bench_dec *d)
{
    memset(d, 0, sizeof *d);
    if (buf == NULL || len == 0)
        return 0;
    VectorTile__Tile *t = vector_tile__tile__unpack(NULL, len, buf);
    if (t == NULL)
        return 1;
    for (size_t i = 0; i < t->n_layers; i++) {
        VectorTile__Tile__Layer *l = t->layers[i];
        if (strcmp(l->name, layer) != 0)
            continue;
        d->f = calloc(l->n_features + 1, sizeof *d->f);
        for (size_t j = 0; j < l->n_features; j++) {
            struct bench_feat *f = &d->f[d->n++];
            f->id = l->features[j]->id;
            if (mvt_geom_decode(l->features[j]->geometry, l->features[j]->n_geometry,
                                bench_decode_cb, f) != ERR_OK)
                return vector_tile__tile__free_unpacked(t, NULL), 1;
        }
    }
    vector_tile__tile__free_unpacked(t, NULL);
    return 0;
}

static void bench_dec_free(struct bench_dec *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->f[i].xy);
        free(d->f[i].part);
    }
    free(d->f);
}

static double bench_seg_dist(double px, double py, const double *a, const double *b)
{
    double dx = b[0] - a[0], dy = b[1] - a[1], l2 = dx * dx + dy * dy;
    double t = l2 > 0 ? ((px - a[0]) * dx + (py - a[1]) * dy) / l2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    return hypot(px - (a[0] + t * dx), py - (a[1] + t * dy));
}

/* 1 when (x, y) lies in the tile proper, not in its buffer. */
static int bench_inside(double x, double y)
{
    return x >= 0 && x <= 4096 && y >= 0 && y <= 4096;
}

/* 1 for a sliver: a feature shorter than 2 units or wholly in the buffer,
 * which one side may keep and the other drop (PostGIS snaps before it
 * clips, tsunagu after). */
static int bench_sliver(const struct bench_feat *f)
{
    double len = 0;
    int in = 0;
    for (size_t i = 0; i < f->n; i++)
        in |= bench_inside(f->xy[2 * i], f->xy[2 * i + 1]);
    for (size_t p = 0; p < f->nparts; p++) {
        size_t s = f->part[p], end = p + 1 < f->nparts ? f->part[p + 1] : f->n;
        for (size_t k = s; k + 1 < end; k++)
            len += hypot(f->xy[2 * k + 2] - f->xy[2 * k], f->xy[2 * k + 3] - f->xy[2 * k + 1]);
    }
    return !in || len < 2.0;
}

/* The largest distance of a vertex of f in the tile proper from the lines
 * of g. */
static double bench_directed(const struct bench_feat *f, const struct bench_feat *g)
{
    double worst = 0;
    for (size_t i = 0; i < f->n; i++) {
        if (!bench_inside(f->xy[2 * i], f->xy[2 * i + 1]))
            continue; /* the buffer: clip points slide along steep lines there */
        double best = INFINITY;
        for (size_t p = 0; p < g->nparts; p++) {
            size_t s = g->part[p], end = p + 1 < g->nparts ? g->part[p + 1] : g->n;
            if (end - s == 1)
                best = fmin(
                    best, hypot(f->xy[2 * i] - g->xy[2 * s], f->xy[2 * i + 1] - g->xy[2 * s + 1]));
            for (size_t k = s; k + 1 < end; k++)
                best = fmin(best, bench_seg_dist(f->xy[2 * i], f->xy[2 * i + 1], &g->xy[2 * k],
                                                 &g->xy[2 * k + 2]));
        }
        worst = fmax(worst, best);
    }
    return worst;
}

static int bench_compare(int argc, char **argv)
{
    if (argc < 6)
        return fprintf(stderr, "usage: bench_tiles compare LAYER TILELIST OURDIR PEERFILE\n"), 1;
    const char *layer = argv[2];
    if (bench_read_list(argv[3]))
        return 1;
    FILE *pf = fopen(argv[5], "r");
    if (pf == NULL)
        return fprintf(stderr, "bench_tiles: cannot read %s\n", argv[5]), 1;
    size_t cap = 1 << 20;
    char *line = malloc(cap);
    long tiles = 0, same_tiles = 0, feats = 0, only_ours = 0, only_peer = 0, far = 0, slivers = 0;
    double worst = 0;
    int z;
    long x, y;
    while (fgets(line, (int)cap, pf)) {
        size_t ll = strlen(line);
        while (ll == cap - 1 && line[ll - 1] != '\n') {
            line = realloc(line, cap * 2);
            if (fgets(line + ll, (int)(cap * 2 - ll), pf) == NULL)
                break;
            cap *= 2;
            ll = strlen(line);
        }
        int off = 0;
        if (sscanf(line, "%d %ld %ld %n", &z, &x, &y, &off) < 3)
            continue;
        const char *hex = line + off;
        size_t hl = 0;
        while (bench_hex(hex[hl]) >= 0)
            hl++;
        unsigned char *peer = malloc(hl / 2 + 1);
        for (size_t i = 0; i + 1 < hl; i += 2)
            peer[i / 2] = (unsigned char)(bench_hex(hex[i]) * 16 + bench_hex(hex[i + 1]));
        char path[4096];
        snprintf(path, sizeof path, "%s/%d_%ld_%ld.mvt", argv[4], z, x, y);
        unsigned char *ours = NULL;
        size_t olen = 0;
        FILE *f = fopen(path, "rb");
        if (f) {
            fseek(f, 0, SEEK_END);
            olen = (size_t)ftell(f);
            fseek(f, 0, SEEK_SET);
            ours = malloc(olen + 1);
            if (fread(ours, 1, olen, f) != olen)
                olen = 0;
            fclose(f);
        }
        struct bench_dec a, b;
        if (bench_decode(ours, olen, layer, &a) || bench_decode(peer, hl / 2, layer, &b)) {
            fprintf(stderr, "bench_tiles: tile %d/%ld/%ld does not decode\n", z, x, y);
            return 1;
        }
        tiles++;
        long diff = 0;
        for (size_t i = 0; i < a.n; i++) {
            size_t j = 0;
            while (j < b.n && b.f[j].id != a.f[i].id)
                j++;
            if (j == b.n && bench_sliver(&a.f[i])) {
                slivers++;
                continue;
            }
            if (j == b.n) {
                if (getenv("BENCH_VERBOSE"))
                    fprintf(stderr, "  feature %llu only in tsunagu's tile (%zu vertices)\n",
                            (unsigned long long)a.f[i].id, a.f[i].n);
                only_ours++, diff++;
                continue;
            }
            feats++;
            double d = fmax(bench_directed(&a.f[i], &b.f[j]), bench_directed(&b.f[j], &a.f[i]));
            worst = fmax(worst, d);
            if (d > BENCH_TOL) {
                far++, diff++;
                if (getenv("BENCH_VERBOSE"))
                    fprintf(stderr,
                            "  feature %llu: %.1f units apart (%zu/%zu vertices, %zu/%zu parts)\n",
                            (unsigned long long)a.f[i].id, d, a.f[i].n, b.f[j].n, a.f[i].nparts,
                            b.f[j].nparts);
            }
        }
        for (size_t j = 0; j < b.n; j++) {
            size_t i = 0;
            while (i < a.n && a.f[i].id != b.f[j].id)
                i++;
            if (i == a.n && bench_sliver(&b.f[j]))
                slivers++;
            else if (i == a.n)
                only_peer++, diff++;
        }
        if (diff == 0)
            same_tiles++;
        else if (getenv("BENCH_VERBOSE"))
            fprintf(stderr, "tile %d/%ld/%ld: %ld differences (ours %zu, peer %zu features)\n", z,
                    x, y, diff, a.n, b.n);
        bench_dec_free(&a);
        bench_dec_free(&b);
        free(ours);
        free(peer);
    }
    fclose(pf);
    free(line);
    printf("compare tiles=%ld same=%ld features_matched=%ld slivers_one_side=%ld only_tsunagu=%ld "
           "only_peer=%ld beyond_tol=%ld max_dist_units=%.3f tol=%.1f\n",
           tiles, same_tiles, feats, slivers, only_ours, only_peer, far, worst, BENCH_TOL);
    return same_tiles == tiles ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "build") == 0)
        return bench_build(argc, argv);
    if (argc > 1 && strcmp(argv[1], "compare") == 0)
        return bench_compare(argc, argv);
    fprintf(stderr, "usage: bench_tiles build|compare ...\n");
    return 1;
}
