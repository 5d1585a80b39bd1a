/* SPDX-License-Identifier: MIT */
/* tiles_index.c - the streets layer in memory, projected once per data
 * version (see tiles_private.h): every edge's vertices in Web Mercator
 * metres in one packed array, its attributes (strings interned once) and a
 * uniform grid over the edges' boxes, so a tile finds its streets without
 * SQL and without projecting anything. Before it, every tile asked the
 * store for its edges with ST_Transform(geom, 4326), which cost SpatiaLite
 * about 12 µs per edge (a spatial_ref_sys look-up and a PROJ set-up per
 * row) and took most of a tile's time.
 *
 * The coordinates are those the per-tile query gave: the store's x/y
 * (ST_AsBinary, no transform) to lon/lat by PROJ in src/geo
 * (crs_to_lonlat_n, the same operation SpatiaLite's ST_Transform runs),
 * then tiles_lonlat_to_merc, so tiles stay byte for byte what they were.
 *
 * Entry points: tiles_index_slot_init, tiles_index_slot_clear,
 * tiles_index_acquire, tiles_index_background, tiles_index_notice,
 * tiles_index_wait, tiles_index_release, tiles_index_query.
 *
 * Thread safety: the slot hands out one index per data version, reference
 * counted; a loaded index is read-only, so any number of threads build
 * tiles from it at once without a lock. Loading is serialised by the
 * slot's load mutex (the other threads wait for the one index rather than
 * load it twice). A server builds it in the background instead
 * (tiles_index_background): a thread of the slot's own, with its own
 * read-only store and CRS, loads the index at start and after each change
 * of the data version and publishes it under the slot's lock; until then
 * tiles take the store path, which gives the same bytes, and never wait. */
#include "tiles_private.h"

#include "hash.h"
#include "vec.h"

#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define TILES_INDEX_EDGES_MAX 16000000L    /* edges held; more: tiles read the store per tile */
#define TILES_INDEX_POINTS_MAX 200000000UL /* vertices held */
#define TILES_INDEX_CELL_EDGES 8.0         /* edges per grid cell aimed at */
#define TILES_INDEX_CELL_MIN 50.0          /* smallest cell side, Web Mercator metres */
#define TILES_INDEX_CELLS_MAX 4000000L     /* grid cells at most */
#define TILES_INDEX_NOSTR UINT32_MAX       /* a NULL string */

/* ---- building ---- */

/* What a load gathers before the grid is made. */
struct tiles_index_load {
    struct tiles_index *ix;
    size_t cap_edges, cap_pts, cap_strs;
    uint32_t *strset; /* open-addressing set of string indexes + 1 */
    size_t strset_cap;
    size_t strs_bytes;
    int unusable;            /* a geometry the index does not hold (not a 2D LineString) */
    const _Atomic int *stop; /* the background builder is asked to end, or NULL */
};

/* Index of string s in the interned strings (added when new). */
static int tiles_index_intern(struct tiles_index_load *L, const char *s, uint32_t *out)
{
    struct tiles_index *ix = L->ix;
    if (s == NULL) {
        *out = TILES_INDEX_NOSTR;
        return ERR_OK;
    }
    if ((ix->nstrs + 1) * 2 > L->strset_cap) { /* grow and rehash: load factor <= 1/2 */
        size_t cap = L->strset_cap ? L->strset_cap * 2 : 1024;
        uint32_t *set = calloc(cap, sizeof *set);
        if (set == NULL)
            return ERR_NOMEM;
        for (size_t i = 0; i < ix->nstrs; i++) {
            size_t j = (size_t)hash_fnv_str(HASH_FNV_SEED, ix->strs[i]) & (cap - 1);
            while (set[j])
                j = (j + 1) & (cap - 1);
            set[j] = (uint32_t)i + 1;
        }
        free(L->strset);
        L->strset = set;
        L->strset_cap = cap;
    }
    size_t j = (size_t)hash_fnv_str(HASH_FNV_SEED, s) & (L->strset_cap - 1);
    for (; L->strset[j]; j = (j + 1) & (L->strset_cap - 1))
        if (strcmp(ix->strs[L->strset[j] - 1], s) == 0) {
            *out = L->strset[j] - 1;
            return ERR_OK;
        }
    char *copy = strdup(s);
    if (copy == NULL ||
        vec_reserve((void **)&ix->strs, &L->cap_strs, ix->nstrs + 1, sizeof *ix->strs) != ERR_OK) {
        free(copy);
        return ERR_NOMEM;
    }
    ix->strs[ix->nstrs] = copy;
    L->strset[j] = (uint32_t)++ix->nstrs;
    *out = (uint32_t)(ix->nstrs - 1);
    return ERR_OK;
}

static uint32_t tiles_index_u32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* Store callback: one edge (WKB in the database SRID) into the index. */
static int tiles_index_add_row(void *ctx, const struct store_tiles_row *r)
{
    struct tiles_index_load *L = ctx;
    struct tiles_index *ix = L->ix;
    const unsigned char *w = r->wkb;
    if (L->stop && atomic_load_explicit(L->stop, memory_order_relaxed))
        return ERR_LIMIT; /* the service is stopping: the load is dropped */
    /* Little-endian 2D LineString only (what SpatiaLite's ST_AsBinary
     * writes for net_edges on this machine); anything else: no index. */
    if (r->wkb_len < 9 || w[0] != 1 || tiles_index_u32(w + 1) != 2) {
        L->unusable = 1;
        return ERR_LIMIT;
    }
    uint32_t npts = tiles_index_u32(w + 5);
    if (r->wkb_len != 9 + (size_t)npts * 16 || ix->npts + npts > TILES_INDEX_POINTS_MAX) {
        L->unusable = 1;
        return ERR_LIMIT;
    }
    if (vec_reserve((void **)&ix->edge, &L->cap_edges, ix->n + 1, sizeof *ix->edge) != ERR_OK ||
        vec_reserve((void **)&ix->xy, &L->cap_pts, ix->npts + npts, 2 * sizeof *ix->xy) != ERR_OK)
        return ERR_NOMEM;
    struct tiles_index_edge *ed = &ix->edge[ix->n];
    memset(ed, 0, sizeof *ed);
    ed->id = r->id;
    ed->first = (uint32_t)ix->npts;
    ed->npts = npts;
    ed->flags = (uint32_t)(r->flags & 0xFFFF);
    if (tiles_index_intern(L, r->text[0], &ed->highway) != ERR_OK ||
        tiles_index_intern(L, r->text[1], &ed->name) != ERR_OK)
        return ERR_NOMEM;
    memcpy(ix->xy + 2 * ix->npts, w + 9, (size_t)npts * 16);
    ix->npts += npts;
    ix->n++;
    return ERR_OK;
}

/* The grid cell column (or row) of Mercator coordinate v on axis a. */
static long tiles_index_cell(const struct tiles_index *ix, double v, int a)
{
    double f = floor((v - (a ? ix->gy0 : ix->gx0)) / ix->cell);
    long last = (a ? ix->gh : ix->gw) - 1;
    return f < 0 ? 0 : f > (double)last ? last : (long)f;
}

/* Projects every vertex, computes the boxes and fills the grid. */
static int tiles_index_finish(struct tiles_index *ix, struct crs *crs, struct err *e)
{
    if (crs_to_lonlat_n(crs, ix->xy, ix->npts) != ERR_OK)
        return err_set(e, ERR_INTERNAL, "a street of the database cannot be projected to lon/lat");
    double ext[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (size_t i = 0; i < ix->npts; i++)
        tiles_lonlat_to_merc(ix->xy[2 * i], ix->xy[2 * i + 1], &ix->xy[2 * i], &ix->xy[2 * i + 1]);
    for (size_t k = 0; k < ix->n; k++) {
        struct tiles_index_edge *ed = &ix->edge[k];
        double box[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
        for (uint32_t i = 0; i < ed->npts; i++) {
            const double *p = &ix->xy[2 * ((size_t)ed->first + i)];
            box[0] = fmin(box[0], p[0]);
            box[1] = fmin(box[1], p[1]);
            box[2] = fmax(box[2], p[0]);
            box[3] = fmax(box[3], p[1]);
        }
        if (ed->npts == 0)
            continue; /* an empty line: never drawn */
        for (int a = 0; a < 2; a++) {
            /* floats rounded outward: the box still encloses the edge */
            float lo = (float)box[a], hi = (float)box[a + 2];
            ed->box[a] = (double)lo > box[a] ? nextafterf(lo, -INFINITY) : lo;
            ed->box[a + 2] = (double)hi < box[a + 2] ? nextafterf(hi, INFINITY) : hi;
            ext[a] = fmin(ext[a], box[a]);
            ext[a + 2] = fmax(ext[a + 2], box[a + 2]);
        }
    }
    if (!(ext[0] <= ext[2])) { /* no vertex at all */
        ext[0] = ext[1] = 0;
        ext[2] = ext[3] = 1;
    }
    double w = ext[2] - ext[0], h = ext[3] - ext[1];
    double cells = fmin((double)ix->n / TILES_INDEX_CELL_EDGES + 1, TILES_INDEX_CELLS_MAX);
    ix->cell = fmax(sqrt(fmax(w * h, 1.0) / cells), TILES_INDEX_CELL_MIN);
    while ((floor(w / ix->cell) + 1) * (floor(h / ix->cell) + 1) > TILES_INDEX_CELLS_MAX)
        ix->cell *= 1.5; /* a long thin extent */
    ix->gx0 = ext[0];
    ix->gy0 = ext[1];
    ix->gw = (long)floor(w / ix->cell) + 1;
    ix->gh = (long)floor(h / ix->cell) + 1;
    size_t ncells = (size_t)(ix->gw * ix->gh);
    ix->cell_start = calloc(ncells + 1, sizeof *ix->cell_start);
    if (ix->cell_start == NULL)
        return err_nomem(e);
    /* Two passes (count, then place): CSR lists of edge indexes per cell,
     * in ascending index (= id) order within a cell. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t k = 0; k < ix->n; k++) {
            const struct tiles_index_edge *ed = &ix->edge[k];
            if (ed->npts == 0)
                continue;
            long cx0 = tiles_index_cell(ix, ed->box[0], 0),
                 cx1 = tiles_index_cell(ix, ed->box[2], 0);
            long cy0 = tiles_index_cell(ix, ed->box[1], 1),
                 cy1 = tiles_index_cell(ix, ed->box[3], 1);
            for (long cy = cy0; cy <= cy1; cy++)
                for (long cx = cx0; cx <= cx1; cx++) {
                    size_t c = (size_t)(cy * ix->gw + cx);
                    if (pass == 0)
                        ix->cell_start[c + 1]++;
                    else
                        ix->cell_edge[ix->cell_start[c] + ix->fill[c]++] = (uint32_t)k;
                }
        }
        if (pass == 0) {
            for (size_t c = 0; c < ncells; c++)
                ix->cell_start[c + 1] += ix->cell_start[c];
            if (ix->cell_start[ncells] > UINT32_MAX / 2)
                return err_set(e, ERR_LIMIT, "the streets span too many index cells");
            ix->cell_edge = malloc((ix->cell_start[ncells] + 1) * sizeof *ix->cell_edge);
            ix->fill = calloc(ncells, sizeof *ix->fill);
            if (ix->cell_edge == NULL || ix->fill == NULL)
                return err_nomem(e);
        }
    }
    free(ix->fill);
    ix->fill = NULL;
    return ERR_OK;
}

static void tiles_index_free(struct tiles_index *ix)
{
    if (ix == NULL)
        return;
    for (size_t i = 0; i < ix->nstrs; i++)
        free(ix->strs[i]);
    free(ix->strs);
    free(ix->edge);
    free(ix->xy);
    free(ix->cell_start);
    free(ix->cell_edge);
    free(ix->fill);
    free(ix);
}

/* Loads the streets of env's store at `version`; NULL with e set, or NULL
 * with e clear when the layer cannot be indexed (too big, or geometry the
 * index does not hold): tiles then read the store per tile. */
static struct tiles_index *tiles_index_load(const struct tiles_env *env, unsigned long long version,
                                            const _Atomic int *stop, struct err *e)
{
    struct tiles_index_load L = {.stop = stop};
    struct tiles_index *ix = calloc(1, sizeof *ix);
    if (ix == NULL)
        return err_nomem(e), NULL;
    ix->version = version;
    ix->refs = 1;
    L.ix = ix;
    struct err le = {0};
    int rc = store_tiles_native_each(env->st, STORE_TILES_STREETS, TILES_INDEX_EDGES_MAX,
                                     tiles_index_add_row, &L, &le);
    free(L.strset);
    if (rc == ERR_LIMIT || L.unusable) {
        tiles_index_free(ix);
        return NULL; /* e stays clear: the caller falls back */
    }
    if (rc == ERR_NOMEM)
        err_nomem(e);
    else if (rc != ERR_OK)
        err_set(e, rc, "%s", le.msg);
    if (rc != ERR_OK || tiles_index_finish(ix, env->crs, e) != ERR_OK) {
        tiles_index_free(ix);
        return NULL;
    }
    return ix;
}

/* ---- the slot ---- */

int tiles_index_slot_init(struct tiles_index_slot *s)
{
    memset(s, 0, sizeof *s);
    atomic_init(&s->stop, 0);
    if (pthread_mutex_init(&s->lock, NULL) != 0)
        return ERR_INTERNAL;
    if (pthread_mutex_init(&s->load_lock, NULL) != 0) {
        pthread_mutex_destroy(&s->lock);
        return ERR_INTERNAL;
    }
    if (pthread_cond_init(&s->wake, NULL) != 0) {
        pthread_mutex_destroy(&s->lock);
        pthread_mutex_destroy(&s->load_lock);
        return ERR_INTERNAL;
    }
    if (pthread_cond_init(&s->done, NULL) != 0) {
        pthread_cond_destroy(&s->wake);
        pthread_mutex_destroy(&s->lock);
        pthread_mutex_destroy(&s->load_lock);
        return ERR_INTERNAL;
    }
    return ERR_OK;
}

void tiles_index_slot_clear(struct tiles_index_slot *s)
{
    if (s->background) {
        pthread_mutex_lock(&s->lock);
        atomic_store(&s->stop, 1);
        pthread_cond_signal(&s->wake);
        pthread_mutex_unlock(&s->lock);
        pthread_join(s->builder, NULL);
        s->background = 0;
    }
    free(s->path);
    s->path = NULL;
    tiles_index_release(s, s->cur);
    s->cur = NULL;
    pthread_cond_destroy(&s->wake);
    pthread_cond_destroy(&s->done);
    pthread_mutex_destroy(&s->lock);
    pthread_mutex_destroy(&s->load_lock);
}

/* Publishes ix (NULL: the layer cannot be indexed) as the index of
 * `version`, ix with one reference for the slot; drops the old one. */
static void tiles_index_publish(struct tiles_index_slot *s, struct tiles_index *ix,
                                unsigned long long version)
{
    pthread_mutex_lock(&s->lock);
    struct tiles_index *old = s->cur;
    s->cur = ix;
    s->failed = ix == NULL;
    s->failed_version = version;
    pthread_mutex_unlock(&s->lock);
    tiles_index_release(s, old);
}

/* The slot's index when it is of `version` (a reference taken), else NULL. */
static struct tiles_index *tiles_index_take(struct tiles_index_slot *s, unsigned long long version)
{
    struct tiles_index *ix = NULL;
    pthread_mutex_lock(&s->lock);
    if (s->cur && s->cur->version == version) {
        ix = s->cur;
        ix->refs++;
    }
    pthread_mutex_unlock(&s->lock);
    return ix;
}

struct tiles_index *tiles_index_acquire(struct tiles_index_slot *s, const struct tiles_env *env,
                                        unsigned long long version, struct err *e)
{
    struct tiles_index *ix = tiles_index_take(s, version);
    if (ix)
        return ix;
    if (s->background) { /* set before any request: never changes while they run */
        tiles_index_notice(s, version);
        return NULL; /* the store path, byte for byte the same tile */
    }
    pthread_mutex_lock(&s->load_lock);
    ix = tiles_index_take(s, version); /* loaded while this thread waited */
    if (ix == NULL && !(s->failed && s->failed_version == version)) {
        ix = tiles_index_load(env, version, NULL, e);
        if (ix == NULL && e->code != ERR_OK) {
            pthread_mutex_unlock(&s->load_lock);
            return NULL;
        }
        if (ix)
            ix->refs++; /* the slot's reference and the caller's */
        tiles_index_publish(s, ix, version);
    }
    pthread_mutex_unlock(&s->load_lock);
    return ix;
}

/* ---- the background builder ---- */

/* One attempt: the index of the database's current data version, unless
 * the slot holds it already. The version is read again after the load: a
 * load read in one statement (one read transaction) between two equal
 * versions saw exactly that version's rows (every import appends to the
 * log in its own transaction); otherwise the builder tries again. */
static void tiles_index_build_once(struct tiles_index_slot *s)
{
    struct err e = {0};
    struct store *st = store_open_readonly(s->path, &e);
    struct crs *crs = st ? crs_open(store_srid(st), &e) : NULL;
    unsigned long long v0 = 0, v1 = 0;
    int again = 0, tried = 0;
    if (crs && store_tiles_version(st, &v0, &e) == ERR_OK) {
        pthread_mutex_lock(&s->lock);
        int have = (s->cur && s->cur->version == v0) || (s->failed && s->failed_version == v0);
        pthread_mutex_unlock(&s->lock);
        if (!have) {
            struct tiles_env env = {.st = st, .crs = crs};
            pthread_mutex_lock(&s->load_lock);
            struct tiles_index *ix = tiles_index_load(&env, v0, &s->stop, &e);
            tried = 1;
            if (atomic_load(&s->stop)) {
                tiles_index_release(s, ix);
            } else if (e.code != ERR_OK || store_tiles_version(st, &v1, &e) != ERR_OK) {
                /* A read error: this version's tiles keep the store path
                 * (not one retry per request); a new version tries again. */
                tiles_index_release(s, ix);
                tiles_index_publish(s, NULL, v0);
            } else if (v1 != v0) {
                tiles_index_release(s, ix);
                again = 1;
            } else {
                tiles_index_publish(s, ix, v0);
            }
            pthread_mutex_unlock(&s->load_lock);
        }
    }
    crs_close(crs);
    store_close(st);
    pthread_mutex_lock(&s->lock);
    if (again)
        s->kicked = 1;
    if (tried && !again && e.code == ERR_OK && !atomic_load(&s->stop))
        s->builds++;
    pthread_cond_broadcast(&s->done);
    pthread_mutex_unlock(&s->lock);
}

static void *tiles_index_builder(void *arg)
{
    struct tiles_index_slot *s = arg;
    pthread_mutex_lock(&s->lock);
    for (;;) {
        while (!s->kicked && !atomic_load(&s->stop))
            pthread_cond_wait(&s->wake, &s->lock);
        if (atomic_load(&s->stop))
            break;
        s->kicked = 0;
        pthread_mutex_unlock(&s->lock);
        tiles_index_build_once(s);
        pthread_mutex_lock(&s->lock);
    }
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

int tiles_index_background(struct tiles_index_slot *s, const char *path, struct err *e)
{
    if (s->background)
        return ERR_OK;
    if ((s->path = strdup(path)) == NULL)
        return err_nomem(e);
    s->kicked = 1; /* the first build starts at once */
    if (pthread_create(&s->builder, NULL, tiles_index_builder, s) != 0) {
        free(s->path);
        s->path = NULL;
        s->kicked = 0;
        return err_set(e, ERR_INTERNAL, "cannot start the thread that indexes the streets");
    }
    s->background = 1;
    return ERR_OK;
}

void tiles_index_notice(struct tiles_index_slot *s, unsigned long long version)
{
    if (!s->background)
        return;
    pthread_mutex_lock(&s->lock);
    int have =
        (s->cur && s->cur->version == version) || (s->failed && s->failed_version == version);
    if (!have && !s->kicked) {
        s->kicked = 1;
        pthread_cond_signal(&s->wake);
    }
    pthread_mutex_unlock(&s->lock);
}

int tiles_index_wait(struct tiles_index_slot *s, unsigned long long version, long timeout_ms)
{
    if (!s->background)
        return 0;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    int have = 0, rc = 0;
    pthread_mutex_lock(&s->lock);
    for (;;) {
        have =
            (s->cur && s->cur->version == version) || (s->failed && s->failed_version == version);
        if (have || rc != 0)
            break;
        rc = pthread_cond_timedwait(&s->done, &s->lock, &until);
    }
    pthread_mutex_unlock(&s->lock);
    return have;
}

void tiles_index_release(struct tiles_index_slot *s, struct tiles_index *ix)
{
    if (ix == NULL)
        return;
    pthread_mutex_lock(&s->lock);
    int last = --ix->refs == 0;
    pthread_mutex_unlock(&s->lock);
    if (last)
        tiles_index_free(ix);
}

/* ---- queries ---- */

static int tiles_index_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

int tiles_index_query(const struct tiles_index *ix, const double box[4], uint32_t **out,
                      size_t *cap, size_t *n)
{
    *n = 0;
    if (ix->n == 0 || box[2] < ix->gx0 || box[3] < ix->gy0 ||
        box[0] > ix->gx0 + (double)ix->gw * ix->cell ||
        box[1] > ix->gy0 + (double)ix->gh * ix->cell)
        return ERR_OK;
    long qx0 = tiles_index_cell(ix, box[0], 0), qx1 = tiles_index_cell(ix, box[2], 0);
    long qy0 = tiles_index_cell(ix, box[1], 1), qy1 = tiles_index_cell(ix, box[3], 1);
    for (long cy = qy0; cy <= qy1; cy++)
        for (long cx = qx0; cx <= qx1; cx++) {
            size_t c = (size_t)(cy * ix->gw + cx);
            for (uint32_t i = ix->cell_start[c]; i < ix->cell_start[c + 1]; i++) {
                uint32_t k = ix->cell_edge[i];
                const struct tiles_index_edge *ed = &ix->edge[k];
                if (ed->box[0] > box[2] || ed->box[2] < box[0] || ed->box[1] > box[3] ||
                    ed->box[3] < box[1])
                    continue;
                /* An edge spanning several cells is reported by the first
                 * cell of the query it lies in, so once. */
                long ex = tiles_index_cell(ix, ed->box[0], 0),
                     ey = tiles_index_cell(ix, ed->box[1], 1);
                if (cx != (ex > qx0 ? ex : qx0) || cy != (ey > qy0 ? ey : qy0))
                    continue;
                if (vec_reserve((void **)out, cap, *n + 1, sizeof **out) != ERR_OK)
                    return ERR_NOMEM;
                (*out)[(*n)++] = k;
            }
        }
    if (*n > 1) /* (qsort of an empty, NULL list is undefined) */
        qsort(*out, *n, sizeof **out, tiles_index_cmp); /* id order, as the store's query gave */
    return ERR_OK;
}
