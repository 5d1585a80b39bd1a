/* SPDX-License-Identifier: MIT */
/* geocode.c - the address matcher (see geocode.h): the towns of the
 * reference in an open-addressing hash keyed by (municipality, normal
 * form), so one address costs a few dozen hash probes and at most two
 * indexed lookups in the store. Hand-written because no Debian library
 * geocodes Japanese addresses (the online geocoders are ruled out: the
 * addresses are 要配慮個人情報).
 *
 * Entry points: geocode_open, geocode_find, geocode_close,
 * geocode_level_name, geocode_result_json, geocode_pref_of_code,
 * geocode_pref_prefix. */
#include "geocode.h"

#include "addrnorm.h"
#include "store_address.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GEOCODE_MUNI_MAX 2000     /* municipalities one reference may hold */
#define GEOCODE_TOWN_MAX 2000000L /* towns one reference may hold */
#define GEOCODE_NUM_MAX 9         /* digits of a block or residence number */

/* The prefectures by JIS X 0401 code (index = code - 1). */
static const char *const GEOCODE_PREFS[47] = {
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県",   "福島県", "茨城県",
    "栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県",
    "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県",   "愛知県", "三重県",
    "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県",
    "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県",   "高知県", "福岡県",
    "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県"};

/* A municipality of the reference. */
struct geocode_muni {
    char *name;      /* as stored (the store's lookup key), may be "" */
    char *norm;      /* normal form of name, "" when unknown */
    char *alias;     /* normal form without its 郡 (平群町 for 生駒郡平群町) or NULL */
    char *pref_norm; /* normal form of the prefecture, may be "" */
    char code[6];    /* 5-digit code, "" when unknown */
    double lon, lat; /* mean of its towns */
    double radius_m; /* farthest town from that mean */
    long towns;      /* towns counted */
};

/* A town of the reference. */
struct geocode_town {
    int muni;          /* index into munis */
    char *key;         /* normal form of 大字・町丁目 + 小字 */
    double lon, lat;   /* representative point */
    int has_block;     /* block rows exist */
    int has_residence; /* residence rows exist */
    int has_town;      /* the position is a town row's */
    int merged;        /* 1 when merged into another entry of the same town */
};

struct geocoder {
    struct store_address_lookup *lookup; /* owned */
    struct geocode_muni *munis;          /* owned, nmunis */
    int nmunis;
    struct geocode_town *towns; /* owned, ntowns of cap */
    long ntowns, cap;
    long *slots; /* hash: town index + 1, 0 = empty; nslots a power of 2 */
    size_t nslots;
};

const char *geocode_pref_of_code(int code)
{
    return code >= 1 && code <= 47 ? GEOCODE_PREFS[code - 1] : NULL;
}

size_t geocode_pref_prefix(const char *s)
{
    for (int i = 0; i < 47; i++) {
        size_t n = strlen(GEOCODE_PREFS[i]);
        if (strncmp(s, GEOCODE_PREFS[i], n) == 0)
            return n;
    }
    return 0;
}

const char *geocode_level_name(int level)
{
    static const char *const names[] = {NULL, "municipality", "town", "block", "residence"};
    return level > 0 && level <= GEOCODE_RESIDENCE ? names[level] : NULL;
}

static uint64_t geocode_hash(int muni, const char *key, size_t len)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)muni;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)key[i]) * 1099511628211ULL;
    return h;
}

/* Index of town (muni, key[0..len)) or -1. */
static long geocode_town_find(const struct geocoder *g, int muni, const char *key, size_t len)
{
    if (g->nslots == 0)
        return -1;
    size_t i = (size_t)geocode_hash(muni, key, len) & (g->nslots - 1);
    for (;;) {
        long v = g->slots[i];
        if (v == 0)
            return -1;
        const struct geocode_town *t = &g->towns[v - 1];
        if (t->muni == muni && strncmp(t->key, key, len) == 0 && t->key[len] == '\0')
            return v - 1;
        i = (i + 1) & (g->nslots - 1);
    }
}

static char *geocode_norm_dup(const char *s)
{
    char buf[ADDRNORM_OUT_MAX];
    if (addrnorm_normalise(s, strlen(s), buf, sizeof buf, NULL) != ERR_OK)
        buf[0] = '\0';
    return strdup(buf);
}

/* Index of municipality `name` in g, adding it (with its prefecture) when new. */
static int geocode_muni_of(struct geocoder *g, const char *pref, const char *name, const char *code,
                           struct err *e)
{
    for (int i = 0; i < g->nmunis; i++)
        if (strcmp(g->munis[i].name, name) == 0) {
            if (g->munis[i].code[0] == '\0' && code[0] != '\0')
                snprintf(g->munis[i].code, sizeof g->munis[i].code, "%.5s", code);
            return i;
        }
    if (g->nmunis >= GEOCODE_MUNI_MAX)
        return err_set(e, ERR_LIMIT, "the address reference holds more than %d municipalities",
                       GEOCODE_MUNI_MAX),
               -1;
    struct geocode_muni *m = realloc(g->munis, (size_t)(g->nmunis + 1) * sizeof *m);
    if (m == NULL)
        return err_nomem(e), -1;
    g->munis = m;
    m = &g->munis[g->nmunis];
    memset(m, 0, sizeof *m);
    if (*pref == '\0' && strlen(code) >= 2)
        pref = geocode_pref_of_code((code[0] - '0') * 10 + (code[1] - '0'));
    snprintf(m->code, sizeof m->code, "%.5s", code);
    m->name = strdup(name);
    m->norm = geocode_norm_dup(name);
    m->pref_norm = geocode_norm_dup(pref ? pref : "");
    if (m->name == NULL || m->norm == NULL || m->pref_norm == NULL)
        return err_nomem(e), -1;
    const char *gun = strstr(m->norm, "郡");
    if (gun && gun[strlen("郡")] != '\0' && (m->alias = strdup(gun + strlen("郡"))) == NULL)
        return err_nomem(e), -1;
    return g->nmunis++;
}

/* store_address_towns callback: appends one town. */
static int geocode_add_town(void *ctx, const struct store_address_town *st)
{
    void **c = ctx;
    struct geocoder *g = c[0];
    struct err *e = c[1];
    if (g->ntowns >= GEOCODE_TOWN_MAX)
        return err_set(e, ERR_LIMIT, "the address reference holds more than %ld towns",
                       GEOCODE_TOWN_MAX);
    int mi = geocode_muni_of(g, st->pref, st->muni, st->muni_code, e);
    if (mi < 0)
        return e->code;
    if (g->ntowns == g->cap) {
        long cap = g->cap ? 2 * g->cap : 256;
        struct geocode_town *t = realloc(g->towns, (size_t)cap * sizeof *t);
        if (t == NULL)
            return err_nomem(e);
        g->towns = t;
        g->cap = cap;
    }
    struct geocode_town *t = &g->towns[g->ntowns];
    t->muni = mi;
    t->key = strdup(st->town_key);
    if (t->key == NULL)
        return err_nomem(e);
    t->lon = st->lon;
    t->lat = st->lat;
    t->has_block = st->has_block;
    t->has_residence = st->has_residence;
    t->has_town = st->has_town;
    t->merged = 0;
    g->ntowns++;
    return ERR_OK;
}

/* Metres between two lon/lat points (equirectangular: exact enough within
 * a municipality). */
static double geocode_dist(double lon1, double lat1, double lon2, double lat2)
{
    double k = 3.14159265358979323846 / 180, x = (lon2 - lon1) * k * cos((lat1 + lat2) / 2 * k),
           y = (lat2 - lat1) * k;
    return 6371008.8 * sqrt(x * x + y * y);
}

/* One municipality loaded twice, once by name (an MLIT or ABR file) and
 * once by code alone (a Geolonia file loaded with --municipality CODE):
 * the unnamed one's towns move to the one named municipality with its
 * code, or else to the one named municipality of its prefecture without a
 * code; they stay apart when that is not exactly one. */
static void geocode_merge_unnamed(struct geocoder *g)
{
    for (int u = 0; u < g->nmunis; u++) {
        struct geocode_muni *um = &g->munis[u];
        if (um->name[0] != '\0')
            continue;
        int by_code = -1, n_code = 0, by_pref = -1, n_pref = 0;
        for (int i = 0; i < g->nmunis; i++) {
            const struct geocode_muni *m = &g->munis[i];
            if (m->name[0] == '\0')
                continue;
            if (um->code[0] && strcmp(m->code, um->code) == 0)
                by_code = i, n_code++;
            else if (m->code[0] == '\0' && (um->pref_norm[0] == '\0' || m->pref_norm[0] == '\0' ||
                                            strcmp(m->pref_norm, um->pref_norm) == 0))
                by_pref = i, n_pref++;
        }
        int to = n_code == 1 ? by_code : n_code == 0 && n_pref == 1 ? by_pref : -1;
        if (to < 0)
            continue;
        struct geocode_muni *n = &g->munis[to];
        for (long i = 0; i < g->ntowns; i++)
            if (g->towns[i].muni == u)
                g->towns[i].muni = to;
        if (n->code[0] == '\0')
            memcpy(n->code, um->code, sizeof n->code);
        if (n->pref_norm[0] == '\0' && um->pref_norm[0] != '\0') {
            char *p = strdup(um->pref_norm);
            if (p) {
                free(n->pref_norm);
                n->pref_norm = p;
            }
        }
    }
}

/* Builds the hash and each municipality's mean point and radius. Two
 * entries of one town (from two sources) become one: its flags joined, its
 * position a town row's where either has one. */
static int geocode_index(struct geocoder *g, struct err *e)
{
    geocode_merge_unnamed(g);
    size_t n = 16;
    while (n < (size_t)g->ntowns * 2)
        n *= 2;
    g->slots = calloc(n, sizeof *g->slots);
    if (g->slots == NULL)
        return err_nomem(e);
    g->nslots = n;
    for (long i = 0; i < g->ntowns; i++) {
        struct geocode_town *t = &g->towns[i];
        long dup = geocode_town_find(g, t->muni, t->key, strlen(t->key));
        if (dup >= 0) {
            struct geocode_town *d = &g->towns[dup];
            d->has_block |= t->has_block;
            d->has_residence |= t->has_residence;
            if (!d->has_town && t->has_town) {
                d->lon = t->lon, d->lat = t->lat;
                d->has_town = 1;
            }
            t->merged = 1;
            continue;
        }
        struct geocode_muni *m = &g->munis[t->muni];
        m->lon += t->lon;
        m->lat += t->lat;
        m->towns++;
        size_t k = (size_t)geocode_hash(t->muni, t->key, strlen(t->key)) & (n - 1);
        while (g->slots[k] != 0)
            k = (k + 1) & (n - 1);
        g->slots[k] = i + 1;
    }
    for (int i = 0; i < g->nmunis; i++) {
        struct geocode_muni *m = &g->munis[i];
        if (m->towns > 0) {
            m->lon /= (double)m->towns;
            m->lat /= (double)m->towns;
        }
    }
    for (long i = 0; i < g->ntowns; i++) {
        if (g->towns[i].merged)
            continue;
        struct geocode_muni *m = &g->munis[g->towns[i].muni];
        double d = geocode_dist(m->lon, m->lat, g->towns[i].lon, g->towns[i].lat);
        if (d > m->radius_m)
            m->radius_m = d;
    }
    return ERR_OK;
}

void geocode_close(struct geocoder *g)
{
    if (g == NULL)
        return;
    store_address_lookup_close(g->lookup);
    for (int i = 0; i < g->nmunis; i++) {
        free(g->munis[i].name);
        free(g->munis[i].norm);
        free(g->munis[i].alias);
        free(g->munis[i].pref_norm);
    }
    free(g->munis);
    for (long i = 0; i < g->ntowns; i++)
        free(g->towns[i].key);
    free(g->towns);
    free(g->slots);
    free(g);
}

struct geocoder *geocode_open(struct store *st, struct err *e)
{
    struct geocoder *g = calloc(1, sizeof *g);
    if (g == NULL)
        return err_nomem(e), NULL;
    void *ctx[2] = {g, e};
    if (store_address_towns(st, geocode_add_town, ctx, e) != ERR_OK)
        goto fail;
    if (g->ntowns == 0) {
        err_set(e, ERR_NOTFOUND,
                "the database holds no address reference; load one with `tsunagu import "
                "addresses FILE`");
        goto fail;
    }
    if (geocode_index(g, e) != ERR_OK)
        goto fail;
    g->lookup = store_address_lookup_open(st, e);
    if (g->lookup == NULL)
        goto fail;
    return g;
fail:
    geocode_close(g);
    return NULL;
}

static int geocode_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int geocode_starts(const char *s, const char *prefix)
{
    return *prefix && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Longest town of municipality mi starting s: returns the bytes of s it
 * took (0 when none) and sets *town. Tries at each cut, longest first: the
 * cut followed by "N丁目" when s goes on with a bare number N (丁目
 * written as 2-6-1), the cut itself, and the cut with 町 inserted before
 * "N丁目" (恩田4丁目 for 恩田町4丁目). */
static size_t geocode_town_match(const struct geocoder *g, int mi, const char *s, long *town)
{
    static const char CHOME[] = "丁目", MACHI[] = "町";
    size_t len = strlen(s);
    char buf[ADDRNORM_OUT_MAX + 32];
    for (size_t k = len; k > 0; k--) {
        if (((unsigned char)s[k] & 0xC0) == 0x80 && k < len)
            continue; /* inside a character */
        size_t d = k;
        while (d < len && d - k < GEOCODE_NUM_MAX && geocode_is_digit(s[d]))
            d++;
        int chome = d > k && strncmp(s + d, CHOME, strlen(CHOME)) == 0;
        if (d > k && !chome && k + (d - k) + sizeof CHOME < sizeof buf) {
            memcpy(buf, s, d);
            memcpy(buf + d, CHOME, sizeof CHOME);
            long t = geocode_town_find(g, mi, buf, strlen(buf));
            if (t >= 0) {
                *town = t;
                return s[d] == '-' ? d + 1 : d;
            }
        }
        long t = geocode_town_find(g, mi, s, k);
        if (t >= 0) {
            *town = t;
            return k;
        }
        if (chome && d + sizeof MACHI + sizeof CHOME < sizeof buf) {
            memcpy(buf, s, k);
            memcpy(buf + k, MACHI, strlen(MACHI));
            memcpy(buf + k + strlen(MACHI), s + k, d - k + strlen(CHOME));
            size_t blen = d + strlen(MACHI) + strlen(CHOME);
            t = geocode_town_find(g, mi, buf, blen);
            if (t >= 0) {
                *town = t;
                return d + strlen(CHOME);
            }
        }
    }
    return 0;
}

/* Copies the digits starting *p (at most GEOCODE_NUM_MAX) into out,
 * advancing *p; "" when none. */
static void geocode_number(const char **p, char out[GEOCODE_NUM_MAX + 1])
{
    size_t n = 0;
    while (geocode_is_digit(**p) && n < GEOCODE_NUM_MAX)
        out[n++] = *(*p)++;
    out[n] = '\0';
    while (geocode_is_digit(**p))
        (*p)++;
}

/* Fills r with a municipality-level answer for mi. */
static void geocode_answer_muni(const struct geocoder *g, int mi, struct geocode_result *r)
{
    const struct geocode_muni *m = &g->munis[mi];
    r->level = GEOCODE_MUNICIPALITY;
    r->lon = m->lon;
    r->lat = m->lat;
    r->precision_m = ceil((m->radius_m > 2000 ? m->radius_m : 2000) / 100) * 100;
    snprintf(r->matched, sizeof r->matched, "%s%s", m->pref_norm, m->norm);
}

int geocode_find(struct geocoder *g, const char *addr, size_t len, struct geocode_result *r,
                 struct err *e)
{
    char q[ADDRNORM_OUT_MAX];
    memset(r, 0, sizeof *r);
    r->lon = r->lat = NAN;
    int rc = addrnorm_normalise(addr, len, q, sizeof q, e);
    if (rc != ERR_OK)
        return rc;
    const char *p = q + geocode_pref_prefix(q);
    int explicit = -1;
    for (int i = 0; i < g->nmunis && explicit < 0; i++) {
        const struct geocode_muni *m = &g->munis[i];
        if (geocode_starts(p, m->norm))
            explicit = i, p += strlen(m->norm);
        else if (m->alias && geocode_starts(p, m->alias))
            explicit = i, p += strlen(m->alias);
    }
    /* A municipality the reference does not name (a file loaded with
     * --municipality CODE): skip a leading "...市" when it is the only one. */
    if (explicit < 0 && g->nmunis == 1 && g->munis[0].norm[0] == '\0') {
        const char *shi = strstr(p, "市");
        if (shi && shi - p <= 15)
            p = shi + strlen("市");
    }
    long town = -1;
    size_t took = 0;
    int ambiguous = 0;
    for (int i = 0; i < g->nmunis; i++) {
        if (explicit >= 0 && i != explicit)
            continue;
        const char *s = p;
        if (strncmp(s, "字", strlen("字")) == 0)
            s += strlen("字");
        long t = -1;
        size_t n = geocode_town_match(g, i, s, &t);
        if (n == 0)
            continue;
        n += (size_t)(s - p);
        if (n > took) {
            took = n, town = t, ambiguous = 0;
        } else if (n == took) {
            ambiguous = 1;
        }
    }
    if (town < 0 || ambiguous) {
        if (explicit >= 0)
            geocode_answer_muni(g, explicit, r);
        return ERR_OK;
    }
    const struct geocode_town *t = &g->towns[town];
    const char *rest = p + took;
    /* 字 before a 小字 that the reference lists under the town. */
    if (strncmp(rest, "字", strlen("字")) == 0) {
        char buf[ADDRNORM_OUT_MAX * 2];
        int w = snprintf(buf, sizeof buf, "%s%s", t->key, rest + strlen("字"));
        long t2 = -1;
        size_t n = w > 0 && (size_t)w < sizeof buf ? geocode_town_match(g, t->muni, buf, &t2) : 0;
        if (n > strlen(t->key)) {
            rest += strlen("字") + (n - strlen(t->key));
            t = &g->towns[t2];
        }
    }
    const struct geocode_muni *m = &g->munis[t->muni];
    r->level = GEOCODE_TOWN;
    r->lon = t->lon;
    r->lat = t->lat;
    r->precision_m = GEOCODE_PRECISION_TOWN;
    snprintf(r->matched, sizeof r->matched, "%s%s%s", m->pref_norm, m->norm, t->key);
    if (!t->has_block && !t->has_residence) /* an ABR 住居表示 table alone has no block rows */
        return ERR_OK;
    char b1[GEOCODE_NUM_MAX + 1], b2[GEOCODE_NUM_MAX + 1] = "";
    while (*rest == '-')
        rest++;
    geocode_number(&rest, b1);
    if (*rest == '-' && geocode_is_digit(rest[1])) {
        rest++;
        geocode_number(&rest, b2);
    }
    if (b1[0] == '\0')
        return ERR_OK;
    double lon, lat;
    const char *sep = strlen(t->key) > 0 && geocode_is_digit(t->key[strlen(t->key) - 1]) ? "-" : "";
    if (t->has_residence && b2[0]) {
        int found = store_address_lookup_find(g->lookup, m->name, t->key, b1, b2, &lon, &lat, e);
        if (found < 0)
            return ERR_IO;
        if (found) {
            r->level = GEOCODE_RESIDENCE;
            r->lon = lon, r->lat = lat;
            r->precision_m = GEOCODE_PRECISION_RESIDENCE;
            snprintf(r->matched, sizeof r->matched, "%s%s%s%s%s-%s", m->pref_norm, m->norm, t->key,
                     sep, b1, b2);
            return ERR_OK;
        }
    }
    int found = store_address_lookup_find(g->lookup, m->name, t->key, b1, "", &lon, &lat, e);
    if (found < 0)
        return ERR_IO;
    if (found) {
        r->level = GEOCODE_BLOCK;
        r->lon = lon, r->lat = lat;
        r->precision_m = GEOCODE_PRECISION_BLOCK;
        snprintf(r->matched, sizeof r->matched, "%s%s%s%s%s", m->pref_norm, m->norm, t->key, sep,
                 b1);
    }
    return ERR_OK;
}

json_t *geocode_result_json(const char *query, const struct geocode_result *r)
{
    const char *level = geocode_level_name(r->level);
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    int bad = json_object_set_new(o, "query", json_string(query ? query : ""));
    if (level) {
        bad |= json_object_set_new(o, "lon", json_real(round(r->lon * 1e6) / 1e6));
        bad |= json_object_set_new(o, "lat", json_real(round(r->lat * 1e6) / 1e6));
        bad |= json_object_set_new(o, "level", json_string(level));
        bad |= json_object_set_new(o, "matched", json_string(r->matched));
        bad |= json_object_set_new(o, "precision_m", json_integer((json_int_t)r->precision_m));
    } else {
        bad |= json_object_set_new(o, "lon", json_null());
        bad |= json_object_set_new(o, "lat", json_null());
        bad |= json_object_set_new(o, "level", json_null());
        bad |= json_object_set_new(o, "matched", json_null());
        bad |= json_object_set_new(o, "precision_m", json_null());
    }
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}
