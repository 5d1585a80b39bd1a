/* SPDX-License-Identifier: MIT */
/* bench_walk.c - timing program for the walking engine (not a ctest test;
 * tests/bench_walk.sh runs it next to pgRouting and compares the answers).
 *
 *   bench_walk DB N_ORIGINS MINUTES SEED OUTFILE [ISO_ORIGINS]
 *     Loads the walk_net of a tsunagu database, reports load time and graph
 *     bytes per directed edge, picks N deterministic origins (lon/lat near
 *     random network nodes, kept only when on the network), times every
 *     walk_reachable call (validation, projection, snapping, search, result
 *     assembly) and isochrone_geojson on the first ISO_ORIGINS of the same
 *     origins (default all), each after a warm-up, and prints
 *     p50/p95/p99/max. OUTFILE receives, as TSV, one
 *     R line per on-network resource (pid, ext_id, store edge id, fraction
 *     from source to target, access leg) and one O line per origin (index,
 *     lon/lat, database x/y, store edge id, fraction, access leg, limit, and
 *     the reachable resources as pid:walk_m), so the SQL side can use the
 *     very same snapping. pid is the resource's index + 1.
 *
 *   bench_walk --synthetic ROWS COLS N_ORIGINS
 *     Builds jittered grid networks with graph_builder at a quarter, half
 *     and full ROWS x COLS and times 30-minute bounded searches (graph_snap
 *     plus search_run with 300 targets) on each, with build time and bytes
 *     per directed edge, to show how query time grows with network size.
 *
 * Figures go to stdout as `key=value` lines (parsed by the script) after a
 * human-readable summary. Exit status 0, or 1 with a message on stderr.
 */
#include "graph.h"
#include "isochrone.h"
#include "search.h"
#include "store.h"
#include "walk.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BENCH_MAX_ORIGINS 100000L
#define BENCH_ORIGIN_JITTER_M 150.0 /* origins lie within this of a random node */
#define BENCH_SYN_SPACING_M 60.0    /* synthetic grid block size */
#define BENCH_SYN_TARGETS 300u      /* synthetic targets per search */
#define BENCH_SYN_MINUTES 30.0
#define BENCH_SPEED 80.0 /* m/min: the engine's default speed */
#define BENCH_PI 3.14159265358979323846

/* ---- small helpers ---- */

static double bench_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* CPU time of this thread: unlike wall time, not inflated when other jobs
 * share the cores. */
static double bench_cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* splitmix64: deterministic, seedable, good enough for picking origins. */
static uint64_t bench_rand(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform double in [0, 1). */
static double bench_unit(uint64_t *state)
{
    return (double)(bench_rand(state) >> 11) / 9007199254740992.0;
}

static _Noreturn void bench_die(const char *what, const struct err *e)
{
    fprintf(stderr, "bench_walk: %s: %s\n", what, e && e->msg[0] ? e->msg : "failed");
    exit(1);
}

static void *bench_alloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (p == NULL) {
        fprintf(stderr, "bench_walk: out of memory\n");
        exit(1);
    }
    return p;
}

/* Parses a whole decimal integer in [lo, hi]; exits on anything else. */
static long bench_long(const char *text, const char *name, long lo, long hi)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v < lo || v > hi) {
        fprintf(stderr, "bench_walk: %s must be an integer between %ld and %ld\n", name, lo, hi);
        exit(1);
    }
    return v;
}

static double bench_double(const char *text, const char *name, double lo, double hi)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (errno != 0 || end == text || *end != '\0' || !(v >= lo && v <= hi)) {
        fprintf(stderr, "bench_walk: %s must be a number between %g and %g\n", name, lo, hi);
        exit(1);
    }
    return v;
}

static int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of a sorted array (p in (0, 1]). */
static double bench_pct(const double *sorted, size_t n, double p)
{
    if (n == 0)
        return NAN;
    size_t k = (size_t)ceil(p * (double)n);
    return sorted[k == 0 ? 0 : k - 1];
}

/* Sorts ms[0..n) and prints a summary line plus key=value lines under `key`. */
static void bench_report(const char *key, const char *label, double *ms, size_t n)
{
    qsort(ms, n, sizeof *ms, bench_cmp_double);
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += ms[i];
    double p50 = bench_pct(ms, n, 0.50), p95 = bench_pct(ms, n, 0.95);
    double p99 = bench_pct(ms, n, 0.99), max = n ? ms[n - 1] : NAN;
    printf("# %-34s n=%zu  p50 %.3f ms  p95 %.3f ms  p99 %.3f ms  max %.3f ms  mean %.3f ms\n",
           label, n, p50, p95, p99, max, n ? sum / (double)n : NAN);
    printf("%s_n=%zu\n%s_p50_ms=%.4f\n%s_p95_ms=%.4f\n%s_p99_ms=%.4f\n%s_max_ms=%.4f\n", key, n,
           key, p50, key, p95, key, p99, key, max);
}

/* ---- store edge ids in graph order ---- */

/* walk_net_load adds the stored edges to its graph in store id order, so
 * graph edge i is the i-th edge store_network_load streams; reading the
 * store the same way recovers the ids without widening walk.h. */
struct bench_ids {
    long *edge_id;                            /* store id of graph edge i */
    size_t n, cap;                            /* edges read, capacity */
    double sum_len;                           /* sum of length_m, to check the SQL copy */
    long long sum_id, sum_source, sum_target; /* sums of ids and ends, likewise */
};

static int bench_ids_node(void *ctx, long id, double x, double y)
{
    (void)ctx;
    (void)id;
    (void)x;
    (void)y;
    return 0;
}

static int bench_ids_edge(void *ctx, long id, long source, long target, double length_m, int flags,
                          const double *xy, size_t npts)
{
    struct bench_ids *b = ctx;
    (void)flags;
    (void)xy;
    (void)npts;
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 4096;
        long *ids = realloc(b->edge_id, cap * sizeof *ids);
        if (ids == NULL)
            return ERR_NOMEM;
        b->edge_id = ids;
        b->cap = cap;
    }
    b->edge_id[b->n++] = id;
    b->sum_len += length_m;
    b->sum_id += id;
    b->sum_source += source;
    b->sum_target += target;
    return 0;
}

/* Fraction of a place along its edge from source to target. */
static double bench_fraction(const struct graph *g, const struct graph_place *p)
{
    double len = graph_edge_length(g, p->edge);
    if (len <= 0)
        return 0;
    double f = p->offset_m / len;
    return f < 0 ? 0 : f > 1 ? 1 : f;
}

/* Text safe for one TSV field (tabs and newlines become '_'). */
static void bench_put_field(FILE *f, const char *s)
{
    for (; s && *s; s++)
        fputc(*s == '\t' || *s == '\n' || *s == '\r' ? '_' : *s, f);
    if (s == NULL)
        fputc('-', f);
}

/* ---- database mode ---- */

struct bench_origin {
    double lon, lat;          /* WGS84 */
    double x, y;              /* database CRS */
    struct graph_place place; /* where it joins the network */
};

/* Picks n origins: a random node, a random offset within the jitter, kept
 * when the point lies within the default snapping distance of a street. */
static void bench_pick_origins(struct walk_session *s, const struct graph *g, size_t n,
                               uint64_t seed, struct bench_origin *o)
{
    uint64_t st = seed;
    uint32_t nn = graph_node_count(g);
    size_t got = 0, tries = 0;
    while (got < n) {
        if (++tries > 100 * n + 1000) {
            fprintf(stderr, "bench_walk: could not place %zu origins on the network\n", n);
            exit(1);
        }
        uint32_t node = (uint32_t)(bench_rand(&st) % nn);
        double nx, ny;
        graph_node_xy(g, node, &nx, &ny);
        double ang = 2 * BENCH_PI * bench_unit(&st), rad = BENCH_ORIGIN_JITTER_M * bench_unit(&st);
        double x = nx + rad * cos(ang), y = ny + rad * sin(ang);
        struct bench_origin *b = &o[got];
        if (walk_session_to_lonlat(s, x, y, &b->lon, &b->lat) != ERR_OK)
            continue;
        /* Round to 7 decimals as a client would send, then see the point as
         * the engine will: projected from lon/lat and snapped. */
        b->lon = round(b->lon * 1e7) / 1e7;
        b->lat = round(b->lat * 1e7) / 1e7;
        struct err e = {0};
        if (walk_session_to_xy(s, b->lon, b->lat, &b->x, &b->y, &e) != ERR_OK)
            continue;
        if (graph_snap(g, b->x, b->y, WALK_DEFAULT_SNAP_M, &b->place, &e) != ERR_OK)
            continue;
        got++;
    }
}

/* Interleaved mode (BENCH_WALK_SERVE set; tests/bench_walk.sh's
 * round-robin pass): prints "ready", then for each origin index read from
 * stdin answers one walk_reachable from that origin and prints
 * "<wall ms> <reachable count> <thread CPU ms>", flushed, so another engine's query can run
 * between any two of ours. Ends at end of input. */
static int bench_serve(struct walk_session *s, const struct bench_origin *o, size_t n,
                       double minutes)
{
    struct walk_result r;
    struct err e = {0};
    char line[64];
    printf("ready\n");
    fflush(stdout);
    while (fgets(line, sizeof line, stdin)) {
        long i = bench_long(strtok(line, " \n"), "ORIGIN", 0, (long)n - 1);
        struct walk_query q = {.lon = o[i].lon, .lat = o[i].lat, .minutes = minutes};
        double t0 = bench_now_ms(), c0 = bench_cpu_ms();
        if (walk_reachable(s, &q, &r, &e) != ERR_OK)
            bench_die("walk_reachable", &e);
        double c1 = bench_cpu_ms();
        printf("%.4f %zu %.4f\n", bench_now_ms() - t0, r.n, c1 - c0);
        fflush(stdout);
    }
    return 0;
}

static int bench_db(const char *db, size_t n, double minutes, uint64_t seed, const char *outfile,
                    size_t niso)
{
    struct err e = {0};
    struct store *st = store_open_readonly(db, &e);
    if (st == NULL)
        bench_die(db, &e);
    struct walk_net *net = walk_net_load_resident(st, 0, &e);
    if (net == NULL)
        bench_die("walk_net_load", &e);
    struct walk_net_stats ns;
    walk_net_stats(net, &ns);
    struct bench_ids ids = {0};
    struct store_net_cb cb = {&ids, bench_ids_node, bench_ids_edge};
    if (store_network_load(st, &cb, &e) != ERR_OK)
        bench_die("reading edge ids", &e);
    store_close(st);
    const struct graph *g = walk_net_graph(net);
    if (ids.n != graph_edge_count(g)) {
        fprintf(stderr, "bench_walk: %zu stored edges but %u graph edges\n", ids.n,
                graph_edge_count(g));
        return 1;
    }
    struct walk_session *s = walk_session_new(net, &e);
    if (s == NULL)
        bench_die("walk_session_new", &e);

    double bpe = (double)ns.graph_bytes / (2.0 * ns.edges);
    printf("# network: %u nodes, %u edges (%u directed), graph %zu bytes = %.1f bytes per "
           "directed edge, loaded in %.1f ms; %zu resources (%zu off the network)\n",
           ns.nodes, ns.edges, 2 * ns.edges, ns.graph_bytes, bpe, ns.load_ms, ns.resources,
           ns.resources_off);
    printf("nodes=%u\nedges=%u\ndirected_edges=%u\ngraph_bytes=%zu\nbytes_per_directed_edge=%.2f\n"
           "load_ms=%.2f\nresources=%zu\nresources_off=%zu\nedges_sum_length_m=%.17g\n"
           "edges_sum_id=%lld\nedges_sum_source=%lld\nedges_sum_target=%lld\n",
           ns.nodes, ns.edges, 2 * ns.edges, ns.graph_bytes, bpe, ns.load_ms, ns.resources,
           ns.resources_off, ids.sum_len, ids.sum_id, ids.sum_source, ids.sum_target);

    struct bench_origin *o = bench_alloc(n, sizeof *o);
    bench_pick_origins(s, g, n, seed, o);

    /* Warm-up pass (caches, page faults), then the timed pass. */
    struct walk_result r;
    for (size_t i = 0; i < n; i++) {
        struct walk_query q = {.lon = o[i].lon, .lat = o[i].lat, .minutes = minutes};
        if (walk_reachable(s, &q, &r, &e) != ERR_OK)
            bench_die("walk_reachable (warm-up)", &e);
    }
    if (getenv("BENCH_WALK_SERVE"))
        return bench_serve(s, o, n, minutes);
    double *walk_ms = bench_alloc(n, sizeof *walk_ms);
    size_t hits_total = 0;
    double cpu0 = bench_cpu_ms();
    for (size_t i = 0; i < n; i++) {
        struct walk_query q = {.lon = o[i].lon, .lat = o[i].lat, .minutes = minutes};
        double t0 = bench_now_ms();
        int rc = walk_reachable(s, &q, &r, &e);
        walk_ms[i] = bench_now_ms() - t0;
        if (rc != ERR_OK)
            bench_die("walk_reachable", &e);
        hits_total += r.n;
    }
    double walk_cpu_ms = bench_cpu_ms() - cpu0;

    /* Two parts of that call on their own, to show where the time goes:
     * lon/lat -> database CRS (PROJ) and snapping to the nearest edge. */
    double *proj_ms = bench_alloc(n, sizeof *proj_ms);
    double *snap_ms = bench_alloc(n, sizeof *snap_ms);
    for (size_t i = 0; i < n; i++) {
        double x, y, t0 = bench_now_ms();
        if (walk_session_to_xy(s, o[i].lon, o[i].lat, &x, &y, &e) != ERR_OK)
            bench_die("walk_session_to_xy", &e);
        double t1 = bench_now_ms();
        struct graph_place p;
        if (graph_snap(g, x, y, WALK_DEFAULT_SNAP_M, &p, &e) != ERR_OK)
            bench_die("graph_snap", &e);
        snap_ms[i] = bench_now_ms() - t1;
        proj_ms[i] = t1 - t0;
    }

    /* The answers, written after timing (untimed; same queries again). */
    FILE *f = fopen(outfile, "w");
    if (f == NULL) {
        fprintf(stderr, "bench_walk: cannot write %s: %s\n", outfile, strerror(errno));
        return 1;
    }
    fprintf(f, "# R pid ext_id edge_id fraction access_m\n"
               "# O idx lon lat x y edge_id fraction access_m limit_m hits(pid:walk_m,...)\n");
    for (size_t i = 0; i < walk_net_resource_count(net); i++) {
        const struct walk_resource *w = walk_net_resource(net, i);
        if (!w->on_network)
            continue;
        fprintf(f, "R\t%zu\t", i + 1);
        bench_put_field(f, w->ext_id);
        fprintf(f, "\t%ld\t%.17g\t%.17g\n", ids.edge_id[w->place.edge],
                bench_fraction(g, &w->place), w->place.access_m);
    }
    for (size_t i = 0; i < n; i++) {
        struct walk_query q = {.lon = o[i].lon, .lat = o[i].lat, .minutes = minutes};
        if (walk_reachable(s, &q, &r, &e) != ERR_OK)
            bench_die("walk_reachable", &e);
        if (fabs(r.snap_m - o[i].place.access_m) > 1e-9 || r.origin_x != o[i].x) {
            fprintf(stderr, "bench_walk: origin %zu snapped differently than the engine\n", i);
            return 1;
        }
        fprintf(f, "O\t%zu\t%.7f\t%.7f\t%.17g\t%.17g\t%ld\t%.17g\t%.17g\t%.17g\t", i, o[i].lon,
                o[i].lat, o[i].x, o[i].y, ids.edge_id[o[i].place.edge],
                bench_fraction(g, &o[i].place), o[i].place.access_m, r.limit_m);
        if (r.n == 0)
            fputc('-', f);
        for (size_t k = 0; k < r.n; k++)
            fprintf(f, "%s%zu:%.17g", k ? "," : "", r.hits[k].resource + 1, r.hits[k].walk_m);
        fputc('\n', f);
    }
    if (fclose(f) != 0) {
        fprintf(stderr, "bench_walk: writing %s failed\n", outfile);
        return 1;
    }

    /* Isochrones on the first niso origins: a short warm-up, then timed. */
    niso = niso < n ? niso : n;
    size_t warm = niso < 5 ? niso : 5;
    double *iso_ms = bench_alloc(niso, sizeof *iso_ms);
    /* CPU time too: wall time on a shared machine includes other jobs. */
    double *iso_cpu = bench_alloc(niso, sizeof *iso_cpu);
    for (size_t i = 0; i < warm + niso; i++) {
        size_t k = i < warm ? i : i - warm;
        struct walk_query q = {.lon = o[k].lon, .lat = o[k].lat, .minutes = minutes};
        double t0 = bench_now_ms(), c0 = bench_cpu_ms();
        json_t *j = isochrone_geojson(s, net, &q, 0, &e);
        double t = bench_now_ms() - t0, c = bench_cpu_ms() - c0;
        if (j == NULL)
            bench_die("isochrone_geojson", &e);
        json_decref(j);
        if (i >= warm) {
            iso_ms[k] = t;
            iso_cpu[k] = c;
        }
    }

    printf("# %zu origins, %.0f minutes at %.0f m/min (%.0f m), seed %llu: %.1f reachable "
           "resources per origin on average\n",
           n, minutes, BENCH_SPEED, minutes * BENCH_SPEED, (unsigned long long)seed,
           (double)hits_total / (double)n);
    printf("origins=%zu\nminutes=%g\nmean_hits=%.2f\n", n, minutes, (double)hits_total / (double)n);
    bench_report("walk", "walk_reachable (whole call)", walk_ms, n);
    printf("# %-34s %.4f ms per query (mean thread CPU time of the timed pass)\n",
           "walk_reachable CPU", walk_cpu_ms / (double)n);
    printf("walk_cpu_mean_ms=%.4f\n", walk_cpu_ms / (double)n);
    bench_report("proj", "  of which projection", proj_ms, n);
    bench_report("snap", "  of which snapping", snap_ms, n);
    bench_report("iso", "isochrone_geojson", iso_ms, niso);
    bench_report("iso_cpu", "isochrone_geojson, thread CPU time", iso_cpu, niso);

    free(iso_cpu);
    free(iso_ms);
    free(snap_ms);
    free(proj_ms);
    free(walk_ms);
    free(o);
    free(ids.edge_id);
    walk_session_free(s);
    walk_net_free(net);
    return 0;
}

/* ---- synthetic mode ---- */

/* A rows x cols grid, `spacing` metres apart, nodes jittered by up to 15 % of
 * the spacing and each edge bent at its middle by up to 10 %: the edge
 * lengths and polylines of a real street grid without its regularity. */
static struct graph *bench_grid(uint32_t rows, uint32_t cols, uint64_t seed, double *build_ms)
{
    struct err e = {0};
    uint64_t st = seed;
    double t0 = bench_now_ms();
    struct graph_builder *b = graph_builder_new(&e);
    if (b == NULL)
        bench_die("graph_builder_new", &e);
    double *nx = bench_alloc((size_t)rows * cols, sizeof *nx);
    double *ny = bench_alloc((size_t)rows * cols, sizeof *ny);
    const double s = BENCH_SYN_SPACING_M, x0 = -0.5 * s * cols, y0 = -0.5 * s * rows;
    for (uint32_t r = 0; r < rows; r++)
        for (uint32_t c = 0; c < cols; c++) {
            size_t k = (size_t)r * cols + c;
            nx[k] = x0 + s * c + 0.3 * s * (bench_unit(&st) - 0.5);
            ny[k] = y0 + s * r + 0.3 * s * (bench_unit(&st) - 0.5);
            if (graph_builder_add_node(b, nx[k], ny[k], NULL, &e) != ERR_OK)
                bench_die("graph_builder_add_node", &e);
        }
    for (uint32_t r = 0; r < rows; r++)
        for (uint32_t c = 0; c < cols; c++)
            for (int dir = 0; dir < 2; dir++) {
                uint32_t r2 = r + (dir == 1), c2 = c + (dir == 0);
                if (r2 >= rows || c2 >= cols)
                    continue;
                uint32_t u = r * cols + c, v = r2 * cols + c2;
                double xy[6] = {nx[u], ny[u], 0, 0, nx[v], ny[v]};
                double dx = nx[v] - nx[u], dy = ny[v] - ny[u], d = hypot(dx, dy);
                double bend = 0.2 * s * (bench_unit(&st) - 0.5);
                xy[2] = 0.5 * (nx[u] + nx[v]) - dy / d * bend;
                xy[3] = 0.5 * (ny[u] + ny[v]) + dx / d * bend;
                double len =
                    hypot(xy[2] - xy[0], xy[3] - xy[1]) + hypot(xy[4] - xy[2], xy[5] - xy[3]);
                if (graph_builder_add_edge(b, u, v, len, 0, xy, 3, NULL, &e) != ERR_OK)
                    bench_die("graph_builder_add_edge", &e);
            }
    free(nx);
    free(ny);
    struct graph *g = graph_builder_finish(b, &e);
    if (g == NULL)
        bench_die("graph_builder_finish", &e);
    *build_ms = bench_now_ms() - t0;
    return g;
}

/* Snaps a uniformly random point of the graph's box; retries off-network. */
static void bench_random_place(const struct graph *g, uint64_t *st, double *x, double *y,
                               struct graph_place *p)
{
    double minx, miny, maxx, maxy;
    graph_bbox(g, &minx, &miny, &maxx, &maxy);
    for (;;) {
        *x = minx + (maxx - minx) * bench_unit(st);
        *y = miny + (maxy - miny) * bench_unit(st);
        struct err e = {0};
        if (graph_snap(g, *x, *y, GRAPH_SNAP_DEFAULT_M, p, &e) == ERR_OK)
            return;
    }
}

static void bench_synthetic_size(uint32_t rows, uint32_t cols, size_t n, int idx)
{
    struct err e = {0};
    double build_ms;
    struct graph *g = bench_grid(rows, cols, 42 + (uint64_t)idx, &build_ms);
    uint32_t ne = graph_edge_count(g);
    double bpe = (double)graph_memory_bytes(g) / (2.0 * ne);
    struct search *s = search_new(g, &e);
    if (s == NULL)
        bench_die("search_new", &e);
    uint64_t st = 7 + (uint64_t)idx;
    struct graph_place *tp = bench_alloc(BENCH_SYN_TARGETS, sizeof *tp);
    struct search_hit *hits = bench_alloc(BENCH_SYN_TARGETS, sizeof *hits);
    double *ox = bench_alloc(n, sizeof *ox), *oy = bench_alloc(n, sizeof *oy);
    for (size_t i = 0; i < BENCH_SYN_TARGETS; i++) {
        double x, y;
        bench_random_place(g, &st, &x, &y, &tp[i]);
    }
    /* Origins keep the whole walking disc inside the grid, so every size
     * answers the same amount of work and only the graph size differs. */
    double minx, miny, maxx, maxy, lim = BENCH_SYN_MINUTES * BENCH_SPEED;
    graph_bbox(g, &minx, &miny, &maxx, &maxy);
    double mx = maxx - minx > 2 * lim + 100 ? lim : 0, my = maxy - miny > 2 * lim + 100 ? lim : 0;
    for (size_t i = 0; i < n; i++) {
        struct graph_place p;
        do {
            ox[i] = minx + mx + (maxx - minx - 2 * mx) * bench_unit(&st);
            oy[i] = miny + my + (maxy - miny - 2 * my) * bench_unit(&st);
        } while (graph_snap(g, ox[i], oy[i], GRAPH_SNAP_DEFAULT_M, &p, &e) != ERR_OK);
    }
    struct search_params sp = {BENCH_SYN_MINUTES * BENCH_SPEED, 1.0};
    double *ms = bench_alloc(n, sizeof *ms);
    size_t reached = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n; i++) {
            double t0 = bench_now_ms();
            struct graph_place o;
            if (graph_snap(g, ox[i], oy[i], GRAPH_SNAP_DEFAULT_M, &o, &e) != ERR_OK ||
                search_run(s, &sp, &o, NULL, 1, tp, BENCH_SYN_TARGETS, hits, &e) != ERR_OK)
                bench_die("synthetic query", &e);
            ms[i] = bench_now_ms() - t0;
            for (size_t k = 0; pass == 1 && k < BENCH_SYN_TARGETS; k++)
                reached += (size_t)hits[k].reached;
        }
    qsort(ms, n, sizeof *ms, bench_cmp_double);
    double p50 = bench_pct(ms, n, 0.5), p99 = bench_pct(ms, n, 0.99);
    printf("# grid %ux%u: %u nodes, %u edges (%u directed), built in %.0f ms, %.1f bytes per "
           "directed edge; snap+search 30 min: p50 %.3f ms, p99 %.3f ms, max %.3f ms (n=%zu)\n",
           rows, cols, graph_node_count(g), ne, 2 * ne, build_ms, bpe, p50, p99, ms[n - 1], n);
    printf("syn%d_rows=%u\nsyn%d_cols=%u\nsyn%d_edges=%u\nsyn%d_build_ms=%.1f\n"
           "syn%d_bytes_per_directed_edge=%.2f\nsyn%d_p50_ms=%.4f\nsyn%d_p99_ms=%.4f\n"
           "syn%d_mean_reached_targets=%.2f\n",
           idx, rows, idx, cols, idx, ne, idx, build_ms, idx, bpe, idx, p50, idx, p99, idx,
           (double)reached / (double)n);
    free(ms);
    free(ox);
    free(oy);
    free(hits);
    free(tp);
    search_free(s);
    graph_free(g);
}

static int bench_synthetic(uint32_t rows, uint32_t cols, size_t n)
{
    printf("# synthetic grids, %.0f m blocks, %u targets, limit %.0f m\n", BENCH_SYN_SPACING_M,
           BENCH_SYN_TARGETS, BENCH_SYN_MINUTES * BENCH_SPEED);
    const uint32_t div[3] = {4, 2, 1};
    for (int i = 0; i < 3; i++) {
        uint32_t r = rows / div[i], c = cols / div[i];
        if (r < 2 || c < 2)
            continue;
        bench_synthetic_size(r, c, n, i);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "--synthetic") == 0) {
        long rows = bench_long(argv[2], "ROWS", 2, 4000);
        long cols = bench_long(argv[3], "COLS", 2, 4000);
        long n = bench_long(argv[4], "N_ORIGINS", 1, BENCH_MAX_ORIGINS);
        return bench_synthetic((uint32_t)rows, (uint32_t)cols, (size_t)n);
    }
    if (argc == 6 || argc == 7) {
        long n = bench_long(argv[2], "N_ORIGINS", 1, BENCH_MAX_ORIGINS);
        double minutes = bench_double(argv[3], "MINUTES", WALK_MIN_MINUTES, WALK_MAX_MINUTES);
        long seed = bench_long(argv[4], "SEED", 0, 2147483647L);
        long niso = argc == 7 ? bench_long(argv[6], "ISO_ORIGINS", 0, BENCH_MAX_ORIGINS) : n;
        return bench_db(argv[1], (size_t)n, minutes, (uint64_t)seed, argv[5], (size_t)niso);
    }
    fprintf(stderr, "usage: bench_walk DB N_ORIGINS MINUTES SEED OUTFILE [ISO_ORIGINS]\n"
                    "       bench_walk --synthetic ROWS COLS N_ORIGINS\n");
    return 1;
}
