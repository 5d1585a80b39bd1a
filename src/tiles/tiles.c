/* SPDX-License-Identifier: MIT */
/* tiles.c - the map-tile service (see tiles.h): the layer catalogue, Web
 * Mercator tile math, the
 * coverage layer's district shares, an LRU cache of built tiles shared by
 * every server thread, gzip with zlib, strong ETags, and TileJSON 3.0.0.
 *
 * Entry points: tiles_lonlat_to_merc, tiles_merc_to_lonlat, tiles_bounds,
 * tiles_tile_of, tiles_parse_zxy (pure); tiles_new/free, tiles_background, tiles_background_wait,
 * tiles_background_builds, tiles_layer_walks,
 * tiles_get, tiles_tilejson.
 *
 * Thread safety: struct tiles is shared; one mutex guards the tile cache
 * and the coverage tables, and is never held while a tile is built (two
 * threads asking for the same new tile may both build it; the second
 * insert is dropped). Each build opens its own GEOS context; the store,
 * CRS and walking session belong to the calling thread (struct tiles_env).
 *
 * A tile itself is built by tiles_build.c (GEOS and mvt.h). */
#include "tiles.h"
#include "tiles_private.h"
#include "hash.h"

#include "disclose_plan.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define TILES_EARTH_RADIUS 6378137.0 /* metres, the sphere of EPSG:3857 */
#define TILES_PI 3.14159265358979323846
#define TILES_BUCKETS 4096 /* hash buckets of the tile cache */
#define TILES_KEY_MAX 256  /* bytes of a cache key */
#define TILES_DENSIFY 16   /* points per edge when projecting a box */

/* ---- Web Mercator math ---- */

void tiles_lonlat_to_merc(double lon, double lat, double *x, double *y)
{
    if (lat > TILES_MERC_LAT_MAX)
        lat = TILES_MERC_LAT_MAX;
    if (lat < -TILES_MERC_LAT_MAX)
        lat = -TILES_MERC_LAT_MAX;
    *x = TILES_EARTH_RADIUS * lon * TILES_PI / 180.0;
    *y = TILES_EARTH_RADIUS * log(tan(TILES_PI / 4.0 + lat * TILES_PI / 360.0));
}

void tiles_merc_to_lonlat(double x, double y, double *lon, double *lat)
{
    *lon = x / TILES_EARTH_RADIUS * 180.0 / TILES_PI;
    *lat = (2.0 * atan(exp(y / TILES_EARTH_RADIUS)) - TILES_PI / 2.0) * 180.0 / TILES_PI;
}

void tiles_bounds(int z, long x, long y, double b[4])
{
    double size = 2.0 * TILES_MERC_MAX / (double)(1L << z);
    b[0] = -TILES_MERC_MAX + (double)x * size;
    b[2] = b[0] + size;
    b[3] = TILES_MERC_MAX - (double)y * size;
    b[1] = b[3] - size;
}

int tiles_tile_of(double lon, double lat, int z, long *x, long *y, struct err *e)
{
    if (!isfinite(lon) || !isfinite(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90)
        return err_set(e, ERR_INPUT, "lon/lat %g, %g are not geographic coordinates", lon, lat);
    if (z < 0 || z > TILES_ZOOM_MAX)
        return err_set(e, ERR_INPUT, "zoom must be between 0 and %d", TILES_ZOOM_MAX);
    double mx, my, n = (double)(1L << z);
    tiles_lonlat_to_merc(lon, lat, &mx, &my);
    double fx = floor((mx + TILES_MERC_MAX) / (2 * TILES_MERC_MAX) * n);
    double fy = floor((TILES_MERC_MAX - my) / (2 * TILES_MERC_MAX) * n);
    *x = (long)(fx < 0 ? 0 : fx > n - 1 ? n - 1 : fx);
    *y = (long)(fy < 0 ? 0 : fy > n - 1 ? n - 1 : fy);
    return ERR_OK;
}

/* Parses a non-negative decimal number of at most 9 digits in text[0..len)
 * (digits only). */
static int tiles_digits(const char *text, size_t len, long *out)
{
    if (len == 0 || len > 9)
        return 0;
    long v = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] < '0' || text[i] > '9')
            return 0;
        v = v * 10 + (text[i] - '0');
    }
    *out = v;
    return 1;
}

int tiles_parse_zxy(const char *z_part, const char *x_part, const char *y_part, int *z, long *x,
                    long *y, struct err *e)
{
    long zl, xl, yl;
    size_t ylen = strlen(y_part);
    if (!tiles_digits(z_part, strlen(z_part), &zl) || zl > TILES_ZOOM_MAX)
        return err_set(e, ERR_INPUT, "zoom '%.20s' must be a whole number between 0 and %d", z_part,
                       TILES_ZOOM_MAX);
    long last = (1L << zl) - 1;
    if (!tiles_digits(x_part, strlen(x_part), &xl) || xl > last)
        return err_set(e, ERR_INPUT,
                       "x '%.20s' must be a whole number between 0 and %ld at zoom %ld", x_part,
                       last, zl);
    if (ylen < 5 || strcmp(y_part + ylen - 4, ".mvt") != 0)
        return err_set(e, ERR_INPUT, "the tile '%.20s' must be named {y}.mvt", y_part);
    if (!tiles_digits(y_part, ylen - 4, &yl) || yl > last)
        return err_set(e, ERR_INPUT,
                       "y '%.*s' must be a whole number between 0 and %ld at zoom %ld",
                       (int)(ylen - 4 > 20 ? 20 : ylen - 4), y_part, last, zl);
    *z = (int)zl;
    *x = xl;
    *y = yl;
    return ERR_OK;
}

/* ---- the layer catalogue ---- */

static const struct tiles_field tiles_district_fields[] = {
    {"code", "String"}, {"name", "String"}, {"level", "String"}, {NULL, NULL}};
static const struct tiles_field tiles_resource_fields[] = {
    {"id", "String"},       {"name", "String"},     {"kind", "String"}, {"fields", "String"},
    {"hub_type", "String"}, {"schedule", "String"}, {NULL, NULL}};
static const struct tiles_field tiles_street_fields[] = {
    {"highway", "String"}, {"name", "String"}, {"steps", "Boolean"}, {NULL, NULL}};
static const struct tiles_field tiles_coverage_fields[] = {
    {"code", "String"},        {"name", "String"},    {"level", "String"},
    {"kind", "String"},        {"minutes", "Number"}, {"share_covered", "Number"},
    {"suppressed", "Boolean"}, {NULL, NULL}};

const struct tiles_field *tiles_fields(int kind)
{
    switch (kind) {
    case TILES_DISTRICTS:
        return tiles_district_fields;
    case TILES_RESOURCES:
        return tiles_resource_fields;
    case TILES_STREETS:
        return tiles_street_fields;
    case TILES_BASEMAP:
        return tiles_basemap_fields();
    default:
        return tiles_coverage_fields;
    }
}

int tiles_layer_walks(const char *layer)
{
    return strcmp(layer, "coverage") == 0;
}

/* Collects "districts_<level>" names for the unknown-layer sentence. */
struct tiles_names {
    char text[300]; /* comma-separated layer ids */
    size_t used;    /* bytes in text */
};

static void tiles_add_level_name(void *ctx, const char *level, const char *label, long count)
{
    struct tiles_names *n = ctx;
    if (n->used >= sizeof n->text)
        return;
    int w = snprintf(n->text + n->used, sizeof n->text - n->used, "districts_%s, ", level);
    n->used += w > 0 ? (size_t)w : 0;
}

/* Resolves layer id `layer` (with the coverage parameters p) into d.
 * ERR_NOTFOUND naming the layers there are; ERR_INPUT for a bad coverage
 * parameter or parameters given to another layer. */
static int tiles_resolve(const struct tiles_env *env, const char *layer,
                         const struct tiles_params *p, struct tiles_def *d, struct err *e)
{
    memset(d, 0, sizeof *d);
    static const struct tiles_params none = {NULL, NULL, NULL};
    if (p == NULL)
        p = &none;
    size_t len = strlen(layer);
    if (len >= sizeof d->id)
        goto unknown;
    memcpy(d->id, layer, len + 1);
    if (strcmp(layer, "resources") == 0) {
        d->kind = TILES_RESOURCES;
    } else if (strcmp(layer, "streets") == 0) {
        d->kind = TILES_STREETS;
        d->minzoom = TILES_STREETS_MINZOOM;
    } else if (strcmp(layer, "basemap") == 0) {
        d->kind = TILES_BASEMAP; /* minzoom per feature (tiles_basemap.c) */
    } else if (strcmp(layer, "coverage") == 0) {
        d->kind = TILES_COVERAGE;
        struct coverage_text t = {.minutes = p->minutes ? p->minutes : "30",
                                  .kind = p->kind ? p->kind : "consultation",
                                  .level = p->level ? p->level : "elementary"};
        if (coverage_params_parse(&t, "", &d->cov, e) != ERR_OK)
            return ERR_INPUT;
        if (!store_level_exists(env->st, d->cov.level))
            return err_set(e, ERR_NOTFOUND,
                           "there is no district level '%s' for the coverage "
                           "layer",
                           d->cov.level);
        snprintf(d->level, sizeof d->level, "%s", d->cov.level);
        snprintf(d->res_kind, sizeof d->res_kind, "%s", d->cov.walk.kind);
        snprintf(d->cov_query, sizeof d->cov_query, "kind=%s&minutes=%.10g&level=%s", d->res_kind,
                 d->cov.walk.minutes, d->level);
        d->cov.level = NULL;     /* both borrowed the caller's text: the copies above */
        d->cov.walk.kind = NULL; /* are what the audit uses (tiles_cov_compute) */
        return ERR_OK;
    } else if (strncmp(layer, "districts_", 10) == 0 && len - 10 <= STORE_LEVEL_MAX &&
               store_level_exists(env->st, layer + 10)) {
        d->kind = TILES_DISTRICTS;
        memcpy(d->level, layer + 10, len - 10 + 1);
    } else {
        goto unknown;
    }
    if (p->kind || p->minutes || p->level)
        return err_set(e, ERR_INPUT, "kind, minutes and level apply to the coverage layer only");
    return ERR_OK;
unknown:;
    struct tiles_names n = {"", 0};
    struct err ignored = {0};
    store_levels_each(env->st, tiles_add_level_name, &n, &ignored);
    return err_set(e, ERR_NOTFOUND,
                   "there is no tile layer '%.60s'; the layers are %sresources, streets, basemap "
                   "and coverage",
                   layer, n.text);
}

/* ---- coverage shares ---- */

static void tiles_cov_free(struct tiles_cov *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->n; i++)
        free(c->codes[i]);
    free(c->codes);
    free(c->share);
    free(c);
}

/* A deep copy of c, or NULL when out of memory. */
static struct tiles_cov *tiles_cov_dup(const struct tiles_cov *c)
{
    struct tiles_cov *d = calloc(1, sizeof *d);
    if (d == NULL)
        return NULL;
    memcpy(d->key, c->key, sizeof d->key);
    d->codes = calloc(c->n ? c->n : 1, sizeof *d->codes);
    d->share = calloc(c->n ? c->n : 1, sizeof *d->share);
    if (d->codes == NULL || d->share == NULL) {
        tiles_cov_free(d);
        return NULL;
    }
    for (; d->n < c->n; d->n++) {
        d->share[d->n] = c->share[d->n];
        if ((d->codes[d->n] = strdup(c->codes[d->n])) == NULL) {
            tiles_cov_free(d);
            return NULL;
        }
    }
    return d;
}

/* Runs the audit and keeps only each district's share, hidden wherever the
 * coverage answer hides the district's households or covered count
 * (disclose_plan_answer: small counts and the complementary cells
 * protecting them, decided jointly with every other answer an official
 * can ask for), so a tile never shows what /api/coverage hides. Every household-level
 * part of the result is freed here. */
static struct tiles_cov *tiles_cov_compute(const struct tiles_env *env, struct tiles_def *d,
                                           const char *key, struct err *e)
{
    struct coverage_params p = d->cov;
    p.walk.kind = d->res_kind;
    p.level = d->level;
    struct coverage_result *r = NULL;
    struct disclose_plan_coverage dc;
    if (disclose_plan_answer(env->st, env->net, env->ws, &p, DISCLOSE_K, &r, &dc, e) != ERR_OK)
        return NULL;
    struct tiles_cov *c = calloc(1, sizeof *c);
    if (c == NULL)
        goto nomem;
    snprintf(c->key, sizeof c->key, "%s", key);
    c->codes = calloc(r->ndistricts ? r->ndistricts : 1, sizeof *c->codes);
    c->share = calloc(r->ndistricts ? r->ndistricts : 1, sizeof *c->share);
    if (c->codes == NULL || c->share == NULL)
        goto nomem;
    for (size_t i = 0; i < r->ndistricts; i++) {
        const struct coverage_district *cd = &r->districts[i];
        if (cd->code == NULL)
            continue; /* the "(no district)" row has no shape to draw */
        if ((c->codes[c->n] = strdup(cd->code)) == NULL)
            goto nomem;
        int hidden = dc.districts[i].households || dc.districts[i].covered;
        c->share[c->n++] = !hidden && cd->households > 0
                               ? (double)cd->households_covered / (double)cd->households
                               : -1.0;
    }
    disclose_plan_coverage_clear(&dc);
    coverage_result_free(r);
    return c;
nomem:
    disclose_plan_coverage_clear(&dc);
    coverage_result_free(r);
    tiles_cov_free(c);
    return err_nomem(e), NULL;
}

/* ---- the cache ---- */

/* One built tile. */
struct tiles_entry {
    char *key;                       /* layer/z/x/y?params#version (owned) */
    uint64_t hash;                   /* of key */
    unsigned char *raw;              /* the tile (owned), NULL when empty */
    size_t raw_len;                  /* bytes in raw */
    unsigned char *gz;               /* raw gzip-compressed (owned), NULL when empty or
                                        not yet asked for */
    size_t gz_len;                   /* bytes in gz */
    int gz_done;                     /* 1 once gz is made (or raw is empty) */
    char etag_raw[48];               /* strong ETag of raw, quoted */
    char etag_gz[48];                /* strong ETag of gz, quoted */
    size_t bytes;                    /* memory accounted to the entry */
    struct tiles_entry *chain;       /* next in the hash bucket */
    struct tiles_entry *prev, *next; /* LRU list: head is the most recent */
};

struct tiles {
    pthread_mutex_t lock;                            /* guards everything below */
    struct tiles_entry *bucket[TILES_BUCKETS];       /* hash chains */
    struct tiles_entry *head, *tail;                 /* LRU list */
    size_t bytes;                                    /* accounted bytes of all entries */
    struct tiles_cov *cov[TILES_COVERAGE_CACHE_MAX]; /* coverage tables, NULL = free */
    unsigned long clock;                             /* use counter for coverage eviction */
    struct tiles_index_slot streets;                 /* the streets in memory (own locks) */
};

struct tiles *tiles_new(struct err *e)
{
    struct tiles *t = calloc(1, sizeof *t);
    if (t == NULL)
        return err_nomem(e), NULL;
    if (pthread_mutex_init(&t->lock, NULL) != 0) {
        free(t);
        return err_set(e, ERR_INTERNAL, "cannot create the tile cache's mutex"), NULL;
    }
    if (tiles_index_slot_init(&t->streets) != ERR_OK) {
        pthread_mutex_destroy(&t->lock);
        free(t);
        return err_set(e, ERR_INTERNAL, "cannot create the streets index's mutexes"), NULL;
    }
    return t;
}

int tiles_background(struct tiles *t, const char *db_path, struct err *e)
{
    return tiles_index_background(&t->streets, db_path, e);
}

int tiles_background_wait(struct tiles *t, unsigned long long version, long timeout_ms)
{
    return tiles_index_wait(&t->streets, version, timeout_ms);
}

unsigned long tiles_background_builds(struct tiles *t)
{
    pthread_mutex_lock(&t->streets.lock);
    unsigned long n = t->streets.builds;
    pthread_mutex_unlock(&t->streets.lock);
    return n;
}

static void tiles_entry_free(struct tiles_entry *en)
{
    if (en == NULL)
        return;
    free(en->key);
    free(en->raw);
    free(en->gz);
    free(en);
}

void tiles_free(struct tiles *t)
{
    if (t == NULL)
        return;
    for (struct tiles_entry *en = t->head, *next; en; en = next) {
        next = en->next;
        tiles_entry_free(en);
    }
    for (int i = 0; i < TILES_COVERAGE_CACHE_MAX; i++)
        tiles_cov_free(t->cov[i]);
    tiles_index_slot_clear(&t->streets);
    pthread_mutex_destroy(&t->lock);
    free(t);
}

/* Unlinks en from the LRU list (lock held). */
static void tiles_lru_unlink(struct tiles *t, struct tiles_entry *en)
{
    if (en->prev)
        en->prev->next = en->next;
    else
        t->head = en->next;
    if (en->next)
        en->next->prev = en->prev;
    else
        t->tail = en->prev;
    en->prev = en->next = NULL;
}

/* Puts en at the head of the LRU list (lock held). */
static void tiles_lru_front(struct tiles *t, struct tiles_entry *en)
{
    en->next = t->head;
    en->prev = NULL;
    if (t->head)
        t->head->prev = en;
    t->head = en;
    if (t->tail == NULL)
        t->tail = en;
}

/* The entry with `key`, or NULL (lock held). */
static struct tiles_entry *tiles_find(struct tiles *t, const char *key, uint64_t hash)
{
    for (struct tiles_entry *en = t->bucket[hash % TILES_BUCKETS]; en; en = en->chain)
        if (en->hash == hash && strcmp(en->key, key) == 0)
            return en;
    return NULL;
}

/* Removes en from the cache and frees it (lock held). */
static void tiles_evict(struct tiles *t, struct tiles_entry *en)
{
    struct tiles_entry **pp = &t->bucket[en->hash % TILES_BUCKETS];
    while (*pp != en)
        pp = &(*pp)->chain;
    *pp = en->chain;
    tiles_lru_unlink(t, en);
    t->bytes -= en->bytes;
    tiles_entry_free(en);
}

/* Copies the representation asked for out of en into out (lock held). */
static int tiles_copy_out(const struct tiles_entry *en, int gzip, struct tiles_result *out,
                          struct err *e)
{
    memset(out, 0, sizeof *out);
    out->empty = en->raw == NULL;
    /* gzip only when it saves bytes: tiny tiles may grow. */
    int use_gz = gzip && en->gz && en->gz_len < en->raw_len;
    snprintf(out->etag, sizeof out->etag, "%s", use_gz ? en->etag_gz : en->etag_raw);
    if (out->empty)
        return ERR_OK;
    size_t len = use_gz ? en->gz_len : en->raw_len;
    out->body = malloc(len);
    if (out->body == NULL)
        return err_nomem(e);
    memcpy(out->body, use_gz ? en->gz : en->raw, len);
    out->len = len;
    out->gzip = use_gz;
    return ERR_OK;
}

/* gzip of data[0..len) into a new buffer (*out, *out_len); ERR_NOMEM. */
static int tiles_gzip(const unsigned char *data, size_t len, unsigned char **out, size_t *out_len)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    /* windowBits 15 + 16: a gzip wrapper rather than zlib's. */
    if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return ERR_NOMEM;
    uLong bound = deflateBound(&zs, (uLong)len) + 32;
    unsigned char *buf = malloc(bound);
    if (buf == NULL) {
        deflateEnd(&zs);
        return ERR_NOMEM;
    }
    zs.next_in = (Bytef *)(uintptr_t)data; /* zlib does not write through next_in */
    zs.avail_in = (uInt)len;
    zs.next_out = buf;
    zs.avail_out = (uInt)bound;
    int zrc = deflate(&zs, Z_FINISH);
    size_t n = zs.total_out;
    deflateEnd(&zs);
    if (zrc != Z_STREAM_END) {
        free(buf);
        return ERR_NOMEM;
    }
    *out = buf;
    *out_len = n;
    return ERR_OK;
}

/* Strong ETag of bytes: FNV-1a 64 and CRC-32 of the content and its length. */
static void tiles_etag(const unsigned char *data, size_t len, const char *suffix, char *out,
                       size_t n)
{
    uint64_t h = hash_fnv(HASH_FNV_SEED, &len, sizeof len);
    h = hash_fnv(h, data, data ? len : 0);
    unsigned long crc = crc32(0L, Z_NULL, 0);
    if (data)
        crc = crc32(crc, data, (uInt)len);
    snprintf(out, n, "\"%016llx%08lx%s\"", (unsigned long long)h, crc & 0xFFFFFFFFUL, suffix);
}

/* Serves a cached tile whose raw bytes (raw, raw_len: a copy, freed here)
 * had no gzip yet to a client that takes gzip: compresses outside the
 * lock, then keeps the result in the entry when it is still cached (and
 * no other thread did it first). */
static int tiles_gzip_late(struct tiles *t, const char *key, uint64_t hash, unsigned char *raw,
                           size_t raw_len, struct tiles_result *out, struct err *e)
{
    struct tiles_entry tmp = {.raw = raw, .raw_len = raw_len, .gz_done = 1};
    if (tiles_gzip(raw, raw_len, &tmp.gz, &tmp.gz_len) != ERR_OK) {
        free(raw);
        return err_nomem(e);
    }
    tiles_etag(raw, raw_len, "", tmp.etag_raw, sizeof tmp.etag_raw);
    tiles_etag(raw, raw_len, "-gz", tmp.etag_gz, sizeof tmp.etag_gz);
    int rc = tiles_copy_out(&tmp, 1, out, e);
    pthread_mutex_lock(&t->lock);
    struct tiles_entry *en = tiles_find(t, key, hash);
    if (en && !en->gz_done) {
        en->gz = tmp.gz;
        en->gz_len = tmp.gz_len;
        en->gz_done = 1;
        en->bytes += tmp.gz_len;
        t->bytes += tmp.gz_len;
        tmp.gz = NULL;
        while (t->bytes > TILES_CACHE_MAX_BYTES && t->tail)
            tiles_evict(t, t->tail);
    }
    pthread_mutex_unlock(&t->lock);
    free(tmp.gz);
    free(raw);
    return rc;
}

/* The coverage table for d at `version`: from the cache, or computed (and
 * cached). The caller frees the copy it gets. */
static struct tiles_cov *tiles_cov_get(struct tiles *t, const struct tiles_env *env,
                                       struct tiles_def *d, unsigned long long version,
                                       struct err *e)
{
    if (env->net == NULL || env->ws == NULL)
        return err_set(e, ERR_NOTFOUND,
                       "the coverage layer needs a walking network; import "
                       "one first"),
               NULL;
    char key[200];
    snprintf(key, sizeof key, "%s#%llx", d->cov_query, version);
    struct tiles_cov *copy = NULL;
    pthread_mutex_lock(&t->lock);
    for (int i = 0; i < TILES_COVERAGE_CACHE_MAX; i++)
        if (t->cov[i] && strcmp(t->cov[i]->key, key) == 0) {
            t->cov[i]->stamp = ++t->clock;
            copy = tiles_cov_dup(t->cov[i]);
            if (copy == NULL) {
                pthread_mutex_unlock(&t->lock);
                return err_nomem(e), NULL;
            }
            break;
        }
    pthread_mutex_unlock(&t->lock);
    if (copy)
        return copy;
    struct tiles_cov *c = tiles_cov_compute(env, d, key, e);
    if (c == NULL)
        return NULL;
    struct tiles_cov *keep = tiles_cov_dup(c);
    if (keep == NULL)
        return c; /* served uncached */
    pthread_mutex_lock(&t->lock);
    int slot = 0;
    for (int i = 0; i < TILES_COVERAGE_CACHE_MAX; i++) {
        if (t->cov[i] == NULL) {
            slot = i;
            break;
        }
        if (t->cov[i]->stamp < t->cov[slot]->stamp)
            slot = i;
    }
    tiles_cov_free(t->cov[slot]);
    keep->stamp = ++t->clock;
    t->cov[slot] = keep;
    pthread_mutex_unlock(&t->lock);
    return c;
}

int tiles_get(struct tiles *t, const struct tiles_env *env, const char *layer, int z, long x,
              long y, const struct tiles_params *p, int gzip, struct tiles_result *out,
              struct err *e)
{
    memset(out, 0, sizeof *out);
    struct tiles_def d;
    unsigned long long version;
    if (tiles_resolve(env, layer, p, &d, e) != ERR_OK)
        return e->code;
    if (store_tiles_version(env->st, &version, e) != ERR_OK)
        return e->code;
    /* A reload or import changed the data: the background builder (if
     * any) starts on the new streets index before a streets tile asks. */
    tiles_index_notice(&t->streets, version);
    char key[TILES_KEY_MAX];
    snprintf(key, sizeof key, "%s/%d/%ld/%ld?%s#%llx", d.id, z, x, y, d.cov_query, version);
    uint64_t hash = hash_fnv(HASH_FNV_SEED, key, strlen(key));
    int rc = ERR_OK;
    pthread_mutex_lock(&t->lock);
    struct tiles_entry *hit = tiles_find(t, key, hash);
    unsigned char *raw = NULL;
    size_t raw_len = 0;
    int late = 0;
    if (hit) {
        tiles_lru_unlink(t, hit);
        tiles_lru_front(t, hit);
        if (gzip && !hit->gz_done) { /* built for a client without gzip: compress now */
            late = 1;
            raw_len = hit->raw_len;
            if ((raw = malloc(raw_len)) != NULL)
                memcpy(raw, hit->raw, raw_len);
        } else {
            rc = tiles_copy_out(hit, gzip, out, e);
        }
    }
    pthread_mutex_unlock(&t->lock);
    if (late)
        return raw ? tiles_gzip_late(t, key, hash, raw, raw_len, out, e) : err_nomem(e);
    if (hit)
        return rc;

    struct tiles_cov *cov = NULL;
    struct tiles_index *ix = NULL;
    if (d.kind == TILES_COVERAGE && z >= d.minzoom &&
        (cov = tiles_cov_get(t, env, &d, version, e)) == NULL)
        return e->code;
    struct tiles_entry *en = calloc(1, sizeof *en);
    if (en == NULL || (en->key = strdup(key)) == NULL) {
        rc = err_nomem(e);
        goto fail;
    }
    en->hash = hash;
    if (d.kind == TILES_STREETS && z >= d.minzoom) {
        /* Streets come from the index of this data version (loaded by the
         * first such tile); NULL with e clear: read from the store. */
        if ((ix = tiles_index_acquire(&t->streets, env, version, e)) == NULL && e->code != ERR_OK) {
            rc = e->code;
            goto fail;
        }
    }
    rc = tiles_build_tile(env, &d, cov, ix, z, x, y, &en->raw, &en->raw_len, e);
    tiles_index_release(&t->streets, ix);
    ix = NULL;
    if (rc != ERR_OK)
        goto fail;
    /* gzip only when a client asks for it (the first such request
     * compresses a tile built for another): a build costs no deflate. */
    if (gzip && en->raw && tiles_gzip(en->raw, en->raw_len, &en->gz, &en->gz_len) != ERR_OK) {
        rc = err_nomem(e);
        goto fail;
    }
    en->gz_done = gzip || en->raw == NULL;
    tiles_etag(en->raw, en->raw_len, "", en->etag_raw, sizeof en->etag_raw);
    tiles_etag(en->raw, en->raw_len, "-gz", en->etag_gz, sizeof en->etag_gz);
    en->bytes = sizeof *en + strlen(key) + 1 + en->raw_len + en->gz_len;
    tiles_cov_free(cov);
    cov = NULL;

    pthread_mutex_lock(&t->lock);
    rc = tiles_copy_out(en, gzip, out, e);
    if (rc == ERR_OK && tiles_find(t, key, hash) == NULL && en->bytes <= TILES_CACHE_MAX_BYTES) {
        en->chain = t->bucket[hash % TILES_BUCKETS];
        t->bucket[hash % TILES_BUCKETS] = en;
        tiles_lru_front(t, en);
        t->bytes += en->bytes;
        en = NULL;
        while (t->bytes > TILES_CACHE_MAX_BYTES && t->tail)
            tiles_evict(t, t->tail);
    }
    pthread_mutex_unlock(&t->lock);
    tiles_entry_free(en); /* not kept: another thread cached it first, or too big */
    return rc;
fail:
    tiles_cov_free(cov);
    tiles_entry_free(en);
    return rc;
}

/* ---- TileJSON ---- */

/* lon/lat box of the xy box of the database CRS (edges densified). */
static int tiles_box_to_lonlat(struct crs *c, const double xy[4], double ll[4])
{
    ll[0] = ll[1] = INFINITY;
    ll[2] = ll[3] = -INFINITY;
    for (int i = 0; i <= TILES_DENSIFY; i++) {
        double f = (double)i / TILES_DENSIFY;
        double pts[4][2] = {{xy[0] + f * (xy[2] - xy[0]), xy[1]},
                            {xy[0] + f * (xy[2] - xy[0]), xy[3]},
                            {xy[0], xy[1] + f * (xy[3] - xy[1])},
                            {xy[2], xy[1] + f * (xy[3] - xy[1])}};
        for (int k = 0; k < 4; k++) {
            double lon, lat;
            if (crs_to_lonlat(c, pts[k][0], pts[k][1], &lon, &lat) != ERR_OK)
                return ERR_INPUT;
            ll[0] = fmin(ll[0], lon);
            ll[1] = fmin(ll[1], lat);
            ll[2] = fmax(ll[2], lon);
            ll[3] = fmax(ll[3], lat);
        }
    }
    return ERR_OK;
}

static double tiles_round7(double v)
{
    return round(v * 1e7) / 1e7;
}

/* Descriptions of the layers for TileJSON. */
static const char *tiles_description(int kind)
{
    switch (kind) {
    case TILES_DISTRICTS:
        return "districts of one level (school districts or areas of your own)";
    case TILES_RESOURCES:
        return "resource points: consultation desks, hubs, salons and other places of support";
    case TILES_STREETS:
        return "the walking network tsunagu measures walks on (steps flagged)";
    case TILES_BASEMAP:
        return tiles_basemap_description();
    default:
        return "districts with the share of at-risk households that have a matching resource "
               "within the walk (no share where fewer than 5 households live)";
    }
}

json_t *tiles_tilejson(struct tiles *t, const struct tiles_env *env, const char *layer,
                       const struct tiles_params *p, const char *origin, struct err *e)
{
    struct tiles_def d;
    if (tiles_resolve(env, layer, p, &d, e) != ERR_OK)
        return NULL;
    int slayer = d.kind == TILES_RESOURCES ? STORE_TILES_RESOURCES
                 : d.kind == TILES_STREETS ? STORE_TILES_STREETS
                                           : STORE_TILES_DISTRICTS;
    double xy[4],
        ll[4] = {env->area.min_lon, env->area.min_lat, env->area.max_lon, env->area.max_lat};
    struct err ee = {0};
    int rc = d.kind == TILES_BASEMAP
                 ? tiles_basemap_extent(env, xy, &ee)
                 : store_tiles_extent(env->st, slayer, d.level[0] ? d.level : NULL, xy, &ee);
    if (rc == ERR_OK && tiles_box_to_lonlat(env->crs, xy, ll) != ERR_OK)
        return err_set(e, ERR_INTERNAL, "the extent of %s cannot be projected to lon/lat", d.id),
               NULL;
    if (rc != ERR_OK && rc != ERR_NOTFOUND)
        return err_set(e, rc, "%s", ee.msg), NULL;
    /* Center zoom: the data's width fits about one 256-pixel tile. */
    double width = fmax(ll[2] - ll[0], 1e-6);
    int cz = (int)floor(log2(360.0 / width));
    cz = cz < d.minzoom ? d.minzoom : cz > 16 ? 16 : cz < 0 ? 0 : cz;
    char url[600];
    snprintf(url, sizeof url, "%s/tiles/%s/{z}/{x}/{y}.mvt%s%s", origin, d.id,
             d.cov_query[0] ? "?" : "", d.cov_query);
    json_t *fields = json_object();
    for (const struct tiles_field *f = tiles_fields(d.kind); fields && f->name; f++)
        if (json_object_set_new(fields, f->name, json_string(f->type)) != 0) {
            json_decref(fields);
            fields = NULL;
        }
    char name[120];
    snprintf(name, sizeof name, "tsunagu %s", d.id);
    json_t *doc = json_pack(
        "{s:s,s:s,s:s,s:[s],s:s,s:i,s:i,s:[f,f,f,f],s:[f,f,i],s:s,"
        "s:[{s:s,s:s,s:i,s:i,s:o}]}",
        "tilejson", "3.0.0", "name", name, "description", tiles_description(d.kind), "tiles", url,
        "scheme", "xyz", "minzoom", d.minzoom, "maxzoom", TILES_TILEJSON_MAXZOOM, "bounds",
        tiles_round7(ll[0]), tiles_round7(ll[1]), tiles_round7(ll[2]), tiles_round7(ll[3]),
        "center", tiles_round7((ll[0] + ll[2]) / 2), tiles_round7((ll[1] + ll[3]) / 2), cz,
        "attribution", "tsunagu", "vector_layers", "id", d.id, "description",
        tiles_description(d.kind), "minzoom", d.minzoom, "maxzoom", TILES_TILEJSON_MAXZOOM,
        "fields", fields);
    if (doc && d.kind == TILES_COVERAGE &&
        json_object_set_new(doc, "coverage",
                            json_pack("{s:s,s:f,s:s,s:i}", "kind", d.res_kind, "minutes",
                                      d.cov.walk.minutes, "level", d.level, "min_households",
                                      TILES_MIN_HOUSEHOLDS)) != 0) {
        json_decref(doc);
        doc = NULL;
    }
    if (doc == NULL)
        err_nomem(e);
    return doc;
}
