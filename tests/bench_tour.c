/* SPDX-License-Identifier: MIT */
/* bench_tour.c - tour quality and speed on the real 宇部市 network (not a
 * ctest test; tests/bench_tour.sh runs it beside pgRouting's pgr_TSP on the
 * same matrices and prints the table).
 *
 *   bench_tour gen DB DIR
 *     Deterministic instances on the walking network of the tsunagu
 *     database DB: for each size in 10 20 50 100 200 stops,
 *     BENCH_TOUR_INSTANCES instances; instance k of size m takes the seed
 *     BENCH_TOUR_SEED + 1000 m + k, a depot and m stops at random offsets of
 *     random edges of the largest connected part of the network, and the
 *     walking distance matrix by search_matrix, made symmetric as route.c
 *     does (the smaller of the two directions). Writes DIR/NAME.bin (n x n
 *     doubles, native order) per instance, DIR/instances.tsv (name, size,
 *     index, n) and DIR/matrices.tsv (name, i + 1, j + 1, cost %.17g; the
 *     pgr_TSP input, ids from 1).
 *
 *   bench_tour run DIR BEST REPS
 *     Solves every instance with tour_solve REPS times (the answer is
 *     deterministic; the times are each call's wall time with
 *     CLOCK_MONOTONIC and thread CPU time, the minimum and the median kept)
 *     and prints one line per instance: `T name size index length best
 *     median_ms min_ms cpu_median_ms jitter_length`, where best comes from
 *     the file BEST (lines `size index length`; `-` when absent) and
 *     jitter_length is the length (on the instance) of the tour solved on
 *     a copy with every distance moved by up to +-0.05 m.
 *
 *   bench_tour best DIR RUNS MULT
 *     Best-known lengths for BEST: Held-Karp up to TOUR_EXACT_MAX_STOPS
 *     stops, else the shortest of RUNS runs of tour_search with MULT times
 *     the default kicks and the seeds 1..RUNS. Prints `size index length`.
 *
 * Exit status 0, or 1 with a message on stderr.
 */
#include "graph.h"
#include "search.h"
#include "store.h"
#include "tour.h"
#include "walk.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BENCH_TOUR_INSTANCES 10 /* instances per size */
#define BENCH_TOUR_SEED 20240601u
#define BENCH_TOUR_MAX_INST 64

static const size_t bench_sizes[] = {10, 20, 50, 100, 200};
#define BENCH_NSIZES (sizeof bench_sizes / sizeof bench_sizes[0])

static void bench_die(const char *what, const struct err *e)
{
    fprintf(stderr, "bench_tour: %s: %s\n", what, e ? e->msg : "failed");
    exit(1);
}

/* PCG-style step: deterministic numbers for the instances. */
static uint64_t bench_next(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    uint64_t x = *s;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    return x ^ (x >> 33);
}

static double bench_ms(clockid_t clk)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void bench_name(char *buf, size_t cap, size_t size, size_t k)
{
    snprintf(buf, cap, "s%03zu_%02zu", size, k);
}

/* ---- gen ---- */

/* Marks the nodes of the largest connected part (breadth first over the
 * view); returns a new array of 0/1 per node. */
static unsigned char *bench_main_part(const struct graph_view *v)
{
    unsigned char *best = calloc(v->nnodes, 1), *mark = calloc(v->nnodes, 1);
    uint32_t *queue = malloc(v->nnodes * sizeof *queue);
    if (best == NULL || mark == NULL || queue == NULL)
        bench_die("memory", NULL);
    size_t best_n = 0;
    for (uint32_t s = 0; s < v->nnodes; s++) {
        if (mark[s])
            continue;
        size_t head = 0, tail = 0;
        queue[tail++] = s;
        mark[s] = 1;
        while (head < tail) {
            uint32_t u = queue[head++];
            for (uint32_t a = v->adj_off[u]; a < v->adj_off[u + 1]; a++)
                if (!mark[v->adj_to[a]]) {
                    mark[v->adj_to[a]] = 1;
                    queue[tail++] = v->adj_to[a];
                }
        }
        if (tail > best_n) {
            best_n = tail;
            memset(best, 0, v->nnodes);
            for (size_t i = 0; i < tail; i++)
                best[queue[i]] = 1;
        }
    }
    free(mark);
    free(queue);
    return best;
}

static int bench_gen(const char *db, const char *dir)
{
    struct err e = {0};
    struct store *st = store_open_readonly(db, &e);
    if (st == NULL)
        bench_die("store_open_readonly", &e);
    struct walk_net *net = walk_net_load_resident(st, 0, &e);
    if (net == NULL)
        bench_die("walk_net_load", &e);
    const struct graph *g = walk_net_graph(net);
    struct graph_view v;
    graph_view(g, &v);
    unsigned char *main_part = bench_main_part(&v);
    struct search *se = search_new(g, &e);
    if (se == NULL)
        bench_die("search_new", &e);
    char path[4096], name[32];
    snprintf(path, sizeof path, "%s/instances.tsv", dir);
    FILE *fi = fopen(path, "w");
    snprintf(path, sizeof path, "%s/matrices.tsv", dir);
    FILE *fm = fopen(path, "w");
    if (fi == NULL || fm == NULL)
        bench_die("cannot write into the output directory", NULL);
    struct graph_place *pl = malloc((TOUR_MAX_STOPS + 1) * sizeof *pl);
    double *mat = malloc((TOUR_MAX_STOPS + 1) * (TOUR_MAX_STOPS + 1) * sizeof *mat);
    if (pl == NULL || mat == NULL)
        bench_die("memory", NULL);
    for (size_t si = 0; si < BENCH_NSIZES; si++)
        for (size_t k = 0; k < BENCH_TOUR_INSTANCES; k++) {
            size_t m = bench_sizes[si], n = m + 1;
            uint64_t rs = BENCH_TOUR_SEED + 1000 * m + k;
            for (size_t i = 0; i < n;) {
                uint32_t edge = (uint32_t)(bench_next(&rs) % v.nedges);
                if (!main_part[v.edge_uv[2 * edge]])
                    continue;
                double off = v.length[edge] * (double)(bench_next(&rs) >> 11) / 9007199254740992.0;
                if (graph_place_at(g, edge, off, &pl[i], &e) != ERR_OK)
                    bench_die("graph_place_at", &e);
                i++;
            }
            struct search_params sp = {SEARCH_MAX_LIMIT_M, 1.0};
            if (search_matrix(se, &sp, pl, n, mat, &e) != ERR_OK)
                bench_die("search_matrix", &e);
            for (size_t i = 0; i < n; i++)
                for (size_t j = i + 1; j < n; j++) {
                    double c = fmin(mat[i * n + j], mat[j * n + i]);
                    if (!isfinite(c))
                        bench_die("two places of the main part are not connected", NULL);
                    mat[i * n + j] = mat[j * n + i] = c;
                }
            bench_name(name, sizeof name, m, k);
            snprintf(path, sizeof path, "%s/%s.bin", dir, name);
            FILE *fb = fopen(path, "wb");
            if (fb == NULL || fwrite(mat, sizeof *mat, n * n, fb) != n * n || fclose(fb) != 0)
                bench_die("cannot write a matrix", NULL);
            fprintf(fi, "%s\t%zu\t%zu\t%zu\n", name, m, k, n);
            for (size_t i = 0; i < n; i++)
                for (size_t j = 0; j < n; j++)
                    if (i != j)
                        fprintf(fm, "%s\t%zu\t%zu\t%.17g\n", name, i + 1, j + 1, mat[i * n + j]);
            fprintf(stderr, "bench_tour: %s done\n", name);
        }
    if (fclose(fi) != 0 || fclose(fm) != 0)
        bench_die("cannot write the instance lists", NULL);
    free(pl);
    free(mat);
    free(main_part);
    search_free(se);
    walk_net_free(net);
    store_close(st);
    return 0;
}

/* ---- run / best ---- */

struct bench_inst {
    char name[32];
    size_t size, index, n;
    double *d; /* n x n */
};

/* Reads DIR/instances.tsv and every matrix; returns the count. */
static size_t bench_load(const char *dir, struct bench_inst *in)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/instances.tsv", dir);
    FILE *fi = fopen(path, "r");
    if (fi == NULL)
        bench_die("no instances.tsv (run gen first)", NULL);
    size_t cnt = 0;
    char line[256];
    while (cnt < BENCH_TOUR_MAX_INST && fgets(line, sizeof line, fi)) {
        struct bench_inst *b = &in[cnt];
        char *tab = strchr(line, '\t');
        if (tab == NULL || (size_t)(tab - line) >= sizeof b->name)
            bench_die("bad instances.tsv line", NULL);
        memcpy(b->name, line, (size_t)(tab - line));
        b->name[tab - line] = '\0';
        char *p = tab + 1, *end;
        b->size = strtoul(p, &end, 10);
        b->index = strtoul(end, &end, 10);
        b->n = strtoul(end, &end, 10);
        if (b->n != b->size + 1 || b->n > TOUR_MAX_STOPS + 1)
            bench_die("bad instances.tsv line", NULL);
        snprintf(path, sizeof path, "%s/%s.bin", dir, b->name);
        FILE *fb = fopen(path, "rb");
        b->d = malloc(b->n * b->n * sizeof *b->d);
        if (fb == NULL || b->d == NULL || fread(b->d, sizeof *b->d, b->n * b->n, fb) != b->n * b->n)
            bench_die("cannot read a matrix", NULL);
        fclose(fb);
        cnt++;
    }
    fclose(fi);
    return cnt;
}

static double bench_best(const char *file, size_t size, size_t index)
{
    FILE *f = fopen(file, "r");
    if (f == NULL)
        return NAN;
    char line[256];
    double found = NAN;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        char *end;
        size_t s = strtoul(line, &end, 10), k = strtoul(end, &end, 10);
        double len = strtod(end, &end);
        if (s == size && k == index)
            found = len;
    }
    fclose(f);
    return found;
}

static int bench_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int bench_run(const char *dir, const char *best_file, size_t reps)
{
    static struct bench_inst in[BENCH_TOUR_MAX_INST];
    size_t cnt = bench_load(dir, in);
    size_t order[TOUR_MAX_STOPS + 1];
    double *wall = malloc(reps * sizeof *wall), *cpu = malloc(reps * sizeof *cpu);
    if (wall == NULL || cpu == NULL)
        bench_die("memory", NULL);
    for (size_t i = 0; i < cnt; i++) {
        struct bench_inst *b = &in[i];
        double len = 0;
        struct err e = {0};
        for (size_t r = 0; r < reps; r++) {
            double w0 = bench_ms(CLOCK_MONOTONIC), c0 = bench_ms(CLOCK_THREAD_CPUTIME_ID);
            if (tour_solve(b->d, b->n, order, &len, &e) != ERR_OK)
                bench_die("tour_solve", &e);
            cpu[r] = bench_ms(CLOCK_THREAD_CPUTIME_ID) - c0;
            wall[r] = bench_ms(CLOCK_MONOTONIC) - w0;
        }
        /* The same instance with every distance moved by up to 0.05 m (the
         * same both ways): a robust search lands as close to the best. */
        double *jd = malloc(b->n * b->n * sizeof *jd);
        if (jd == NULL)
            bench_die("memory", NULL);
        uint64_t rs = BENCH_TOUR_SEED + i;
        for (size_t u = 0; u < b->n; u++)
            for (size_t v = u; v < b->n; v++) {
                double j = 0.1 * ((double)(bench_next(&rs) >> 11) / 9007199254740992.0 - 0.5);
                jd[u * b->n + v] = jd[v * b->n + u] =
                    u == v ? 0.0 : fmax(0.0, b->d[u * b->n + v] + j);
            }
        double jlen;
        if (tour_solve(jd, b->n, order, &jlen, &e) != ERR_OK)
            bench_die("tour_solve", &e);
        jlen = tour_length(b->d, b->n, order, b->n);
        free(jd);
        qsort(wall, reps, sizeof *wall, bench_cmp);
        qsort(cpu, reps, sizeof *cpu, bench_cmp);
        double best = bench_best(best_file, b->size, b->index);
        printf("T\t%s\t%zu\t%zu\t%.3f\t", b->name, b->size, b->index, len);
        if (isnan(best))
            printf("-");
        else
            printf("%.3f", best);
        printf("\t%.3f\t%.3f\t%.3f\t%.3f\n", wall[reps / 2], wall[0], cpu[reps / 2], jlen);
        fflush(stdout);
        free(b->d);
    }
    free(wall);
    free(cpu);
    return 0;
}

static int bench_best_known(const char *dir, size_t runs, double mult)
{
    static struct bench_inst in[BENCH_TOUR_MAX_INST];
    size_t cnt = bench_load(dir, in);
    size_t order[TOUR_MAX_STOPS + 1];
    printf("# best-known tour lengths (m) of the bench_tour instances: size index length\n");
    for (size_t i = 0; i < cnt; i++) {
        struct bench_inst *b = &in[i];
        struct err e = {0};
        double best = INFINITY, len;
        if (b->size <= TOUR_EXACT_MAX_STOPS) {
            if (tour_exact(b->d, b->n, order, &best, &e) != ERR_OK)
                bench_die("tour_exact", &e);
        } else {
            size_t kicks = (size_t)(mult * (double)tour_default_kicks(b->n));
            for (size_t r = 1; r <= runs; r++) {
                if (tour_search(b->d, b->n, kicks, r, order, &len, &e) != ERR_OK)
                    bench_die("tour_search", &e);
                best = fmin(best, len);
            }
        }
        printf("%zu %zu %.3f\n", b->size, b->index, best);
        fflush(stdout);
        free(b->d);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "gen") == 0)
        return bench_gen(argv[2], argv[3]);
    if (argc == 5 && strcmp(argv[1], "run") == 0) {
        long reps = strtol(argv[4], NULL, 10);
        if (reps < 1 || reps > 1000)
            bench_die("REPS must be 1-1000", NULL);
        return bench_run(argv[2], argv[3], (size_t)reps);
    }
    if (argc == 5 && strcmp(argv[1], "best") == 0) {
        long runs = strtol(argv[3], NULL, 10);
        double mult = strtod(argv[4], NULL);
        if (runs < 1 || runs > 100000 || !(mult > 0 && mult <= 10000))
            bench_die("RUNS must be 1-100000 and MULT in (0, 10000]", NULL);
        return bench_best_known(argv[2], (size_t)runs, mult);
    }
    fprintf(stderr, "usage: bench_tour gen DB DIR | run DIR BEST REPS | best DIR RUNS MULT\n");
    return 1;
}
