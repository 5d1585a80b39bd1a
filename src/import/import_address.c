/* SPDX-License-Identifier: MIT */
/* import_address.c - `tsunagu import addresses FILE` (see import_address.h)
 * and the placing of rows from their addresses for import.c.
 *
 * The reference CSVs are read by the small RFC 4180 reader below rather
 * than through GDAL: MLIT ships them in CP932 and GDAL's CSV driver has no
 * encoding option, so the file is converted to UTF-8 once with the core's
 * strict decoder (utf8.h) and split here. (geo/source.c now decodes CP932
 * CSVs for GDAL too; moving this reader onto it is a follow-up.) Geolonia's JSON goes through
 * jansson.
 *
 * Entry points: import_addresses, import_address_csv_field,
 * import_place_open, _row, _level, _finish, _close, import_place_fix_crs. */
#include "import_address.h"

#include "addrnorm.h"
#include "crs.h"
#include "geocode.h"
#include "import.h"
#include "num.h"
#include "store_address.h"
#include "utf8.h"
#include "vec.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define IMPORT_ADDRESS_FILE_MAX (1L << 30) /* bytes of a reference CSV */
#define IMPORT_ADDRESS_COLS 64             /* columns of a reference CSV */
#define IMPORT_ADDRESS_MUNIS 2000          /* municipalities counted per file */
#define IMPORT_ADDRESS_ABR_IDS 5           /* id columns joining an ABR table to its positions */

/* ---- reading ---- */

/* Reads the whole file (at most `max` bytes) into a NUL-terminated buffer. */
static char *import_address_slurp(const char *path, long max, size_t *len, struct err *e)
{
    const char *base = import_base(path);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return err_set(e, errno == ENOENT ? ERR_NOTFOUND : ERR_IO, "%s: cannot be opened (%s)",
                       base, strerror(errno)),
               NULL;
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        fclose(f);
        return err_set(e, ERR_INPUT, "%s: not a regular file", base), NULL;
    }
    if (sb.st_size > max) {
        fclose(f);
        return err_set(e, ERR_LIMIT, "%s: is larger than %ld bytes", base, max), NULL;
    }
    char *buf = malloc((size_t)sb.st_size + 1);
    if (buf == NULL) {
        fclose(f);
        return err_nomem(e), NULL;
    }
    size_t n = fread(buf, 1, (size_t)sb.st_size, f);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return err_set(e, ERR_IO, "%s: cannot be read", base), NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Converts CP932 text to a new UTF-8 buffer with the core's strict
 * decoder (utf8.h). */
static char *import_address_cp932(const char *in, size_t len, size_t *out_len, const char *base,
                                  struct err *e)
{
    struct utf8_decoder *d = utf8_decoder_open("CP932", e);
    if (d == NULL)
        return NULL;
    size_t cap = len * 3 / 2 + 16, bad = 0;
    char *out = NULL;
    int rc = ERR_LIMIT;
    while (rc == ERR_LIMIT) {
        char *grown = realloc(out, cap + 1);
        if (grown == NULL) {
            rc = err_nomem(e);
            break;
        }
        out = grown;
        rc = utf8_decode(d, in, len, out, cap + 1, out_len, &bad);
        cap *= 2;
    }
    utf8_decoder_close(d);
    if (rc == ERR_INPUT) {
        long line = 1;
        for (const char *q = in; q < in + bad; q++)
            line += *q == '\n';
        err_set(e, ERR_INPUT, "%s line %ld: is neither UTF-8 nor Shift_JIS (CP932)", base, line);
    }
    if (rc != ERR_OK) {
        free(out);
        return NULL;
    }
    return out;
}

/* Splits one CSV record starting at *p (RFC 4180: quoted fields with ""
 * for a quote; CRLF or LF) in place: fields[] point into the buffer, which
 * is rewritten (quotes removed, separators become NUL). Fields past `max`
 * are read and dropped. */
int import_address_csv_field(char **p, char *end, char **fields, int max)
{
    char *s = *p;
    if (s >= end || max <= 0)
        return 0;
    int n = 0;
    for (;;) {
        char *w = s, *start = s;
        if (s < end && *s == '"') {
            s++;
            for (;;) {
                if (s >= end)
                    return -1;
                if (*s == '"') {
                    if (s + 1 < end && s[1] == '"') {
                        *w++ = '"';
                        s += 2;
                        continue;
                    }
                    s++;
                    break;
                }
                *w++ = *s++;
            }
            while (s < end && *s != ',' && *s != '\n' && *s != '\r')
                *w++ = *s++; /* text after the closing quote is kept */
        } else {
            while (s < end && *s != ',' && *s != '\n' && *s != '\r')
                s++;
            w = s;
        }
        char sep = s < end ? *s : '\n';
        if (n < max)
            fields[n++] = start;
        *w = '\0';
        if (s < end)
            s++;
        if (sep == ',')
            continue;
        if (sep == '\r' && s < end && *s == '\n')
            s++;
        break;
    }
    *p = s;
    return n;
}

/* ---- layouts ---- */

enum import_address_layout { LAYOUT_NONE, LAYOUT_MLIT_BLOCK, LAYOUT_MLIT_TOWN, LAYOUT_ABR };

/* Column indexes of a CSV layout; -1 when absent. */
struct import_address_cols {
    int pref, county, muni, ward, code, town, chome, koaza, block, residence, lon, lat, before;
    int abolished;                   /* ABR 廃止日 / ablt_date: set on abolished rows */
    int ids[IMPORT_ADDRESS_ABR_IDS]; /* ABR id columns (lg_code, machiaza_id, ...) or -1 */
};

static int import_address_col(char **h, int n, const char *const *names)
{
    for (int i = 0; i < n; i++)
        for (int k = 0; names[k]; k++)
            if (strcmp(h[i], names[k]) == 0)
                return i;
    return -1;
}

/* The ABR id columns, in both the old (Japanese) and the new header names:
 * a table and its position file (…_pos_…) share them, and a row's position
 * is the one whose ids are all equal. */
static void import_address_abr_ids(char **h, int n, int *ids)
{
#define COL(...) import_address_col(h, n, (const char *const[]){__VA_ARGS__, NULL})
    ids[0] = COL("全国地方公共団体コード", "lg_code");
    ids[1] = COL("町字id", "machiaza_id");
    ids[2] = COL("街区id", "blk_id");
    ids[3] = COL("住居id", "rsdt_id");
    ids[4] = COL("住居2id", "rsdt2_id");
#undef COL
}

/* Recognises a reference CSV's layout from its header. With `positions`
 * set (an ABR position file is joined), lon/lat may be absent. */
static int import_address_layout(char **h, int n, int positions, struct import_address_cols *c)
{
#define COL(...) import_address_col(h, n, (const char *const[]){__VA_ARGS__, NULL})
    import_address_abr_ids(h, n, c->ids);
    c->abolished = COL("廃止日", "ablt_date");
    c->pref = COL("都道府県名", "pref");
    c->county = COL("郡名", "county");
    c->muni = COL("市区町村名", "city");
    c->ward = COL("政令市区名", "ward");
    c->code = COL("市区町村コード", "全国地方公共団体コード", "lg_code");
    c->koaza = COL("小字・通称名", "小字名", "koaza");
    c->chome = COL("丁目名", "chome");
    c->residence = COL("住居番号", "rsdt_num");
    c->lon = COL("経度", "代表点_経度", "rep_lon", "rep_pnt_lon");
    c->lat = COL("緯度", "代表点_緯度", "rep_lat", "rep_pnt_lat");
    c->before = COL("更新前履歴フラグ");
    int block = COL("街区符号・地番");
    if (block >= 0) {
        c->block = block;
        c->town = COL("大字・丁目名", "大字・町丁目名");
        return c->town >= 0 && c->lon >= 0 && c->lat >= 0 ? LAYOUT_MLIT_BLOCK : LAYOUT_NONE;
    }
    c->block = COL("街区符号", "blk_num");
    c->town = COL("大字町丁目名");
    if (c->town >= 0)
        return c->lon >= 0 && c->lat >= 0 ? LAYOUT_MLIT_TOWN : LAYOUT_NONE;
    c->town = COL("大字・町名", "oaza_cho");
    if (c->town >= 0 && c->muni >= 0 && ((c->lon >= 0 && c->lat >= 0) || positions))
        return LAYOUT_ABR;
    return LAYOUT_NONE;
#undef COL
}

/* ---- storing ---- */

/* State of one address import. */
struct import_address_ctx {
    struct store_address_writer *w;    /* owned */
    struct import_address_report *rep; /* borrowed */
    const char *source;                /* dataset key */
    const char *want;                  /* --municipality (name or code) or NULL */
    const char *base;                  /* file base name for messages */
    char *munis[IMPORT_ADDRESS_MUNIS]; /* distinct municipalities stored, owned */
};

static int import_address_is_code(const char *s)
{
    size_t n = strlen(s);
    if (n != 5 && n != 6)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* True when the row's municipality is the one asked for (or none was). */
static int import_address_wanted(const struct import_address_ctx *c, const char *muni,
                                 const char *code)
{
    if (c->want == NULL)
        return 1;
    if (import_address_is_code(c->want))
        return strncmp(code, c->want, 5) == 0;
    size_t a = strlen(muni), b = strlen(c->want);
    return strcmp(muni, c->want) == 0 || (a > b && strcmp(muni + a - b, c->want) == 0);
}

/* Digits of a block or residence number ("27", "２７", "27番" -> "27");
 * "" when it holds none. */
static void import_address_digits(const char *text, char *out, size_t n)
{
    char norm[ADDRNORM_OUT_MAX];
    size_t k = 0;
    if (addrnorm_normalise(text, strlen(text), norm, sizeof norm, NULL) == ERR_OK)
        for (const char *q = norm; *q >= '0' && *q <= '9' && k + 1 < n; q++)
            out[k++] = *q;
    out[k] = '\0';
}

static int import_address_store(struct import_address_ctx *c, struct store_address_row *r,
                                long line, struct err *e)
{
    char key_in[2 * ADDRNORM_IN_MAX], key[ADDRNORM_OUT_MAX];
    int w = snprintf(key_in, sizeof key_in, "%s%s", r->town, r->koaza);
    if (w < 0 || (size_t)w >= sizeof key_in ||
        addrnorm_normalise(key_in, (size_t)w, key, sizeof key, e) != ERR_OK) {
        err_clear(e);
        return err_set(e, ERR_INPUT, "%s line %ld: the town name is not valid UTF-8 or too long",
                       c->base, line);
    }
    if (!isfinite(r->lon) || !isfinite(r->lat) || r->lon < 120 || r->lon > 155 || r->lat < 20 ||
        r->lat > 46)
        return err_set(e, ERR_INPUT,
                       "%s line %ld: the longitude/latitude is not a position in Japan", c->base,
                       line);
    r->town_key = key;
    r->source = c->source;
    if (store_address_insert(c->w, r, e) != ERR_OK)
        return ERR_IO;
    c->rep->stored++;
    if (strcmp(r->level, "residence") == 0)
        c->rep->residences++;
    else if (strcmp(r->level, "block") == 0)
        c->rep->blocks++;
    else
        c->rep->towns++;
    int i = 0;
    while (i < IMPORT_ADDRESS_MUNIS && c->munis[i] && strcmp(c->munis[i], r->muni) != 0)
        i++;
    if (i < IMPORT_ADDRESS_MUNIS && c->munis[i] == NULL) {
        if ((c->munis[i] = strdup(r->muni)) == NULL)
            return err_nomem(e);
        c->rep->municipalities++;
    }
    return ERR_OK;
}

/* 1 when t is a decimal number (num.h: no hex, inf or nan), into *v. */
static int import_address_number(const char *t, double *v)
{
    return num_double(t, NUM_BLANKS, "coordinate", -1e9, 1e9, v, NULL) == ERR_OK;
}

/* Moves *p past a UTF-8 byte order mark and leading comment lines ("#",
 * which hand-written test fixtures use to say what they are); returns the
 * line number of the header that follows. */
static long import_address_csv_start(char **p, char *end)
{
    if (end - *p >= 3 && memcmp(*p, "\xEF\xBB\xBF", 3) == 0)
        *p += 3;
    long line = 1;
    while (*p < end && **p == '#') {
        while (*p < end && **p != '\n')
            (*p)++;
        *p += *p < end;
        line++;
    }
    return line;
}

/* ---- ABR position files ----
 *
 * The Address Base Registry ships each table (mt_town, mt_rsdtdsp_blk,
 * mt_rsdtdsp_rsdt) without coordinates and its positions in a second file
 * (mt_town_pos, mt_rsdtdsp_blk_pos, mt_rsdtdsp_rsdt_pos) keyed by the same
 * id columns. The position file is read first into a sorted array of keys
 * (the ids joined by U+001F) and each table row looks its key up. */

/* One position of an ABR position file. */
struct import_address_pos {
    char *key;       /* ids joined by \x1f, into the keys buffer */
    double lon, lat; /* 代表点 */
};

/* A loaded position file. */
struct import_address_positions {
    struct import_address_pos *pos;   /* sorted by key, owned */
    size_t n;                         /* positions */
    char *keys;                       /* the key text, owned */
    int used[IMPORT_ADDRESS_ABR_IDS]; /* 1 for each id column the file joins on */
    const char *base;                 /* file base name for messages */
};

static void import_address_positions_free(struct import_address_positions *P)
{
    free(P->pos);
    free(P->keys);
    memset(P, 0, sizeof *P);
}

static int import_address_pos_cmp(const void *a, const void *b)
{
    return strcmp(((const struct import_address_pos *)a)->key,
                  ((const struct import_address_pos *)b)->key);
}

/* Writes the key of a row (its id columns `ids` that the position file
 * uses) into out; 0 when it does not fit. */
static int import_address_pos_key(const struct import_address_positions *P, char **f,
                                  const int *ids, char *out, size_t n)
{
    size_t w = 0;
    for (int k = 0; k < IMPORT_ADDRESS_ABR_IDS; k++) {
        if (!P->used[k])
            continue;
        int c = snprintf(out + w, n - w, "%s%s", w ? "\x1f" : "", f[ids[k]]);
        if (c < 0 || (size_t)c >= n - w)
            return 0;
        w += (size_t)c;
    }
    return 1;
}

/* Reads the whole file at `path` as UTF-8 text (CP932 converted). */
static char *import_address_text(const char *path, const char *base, size_t *tlen, struct err *e)
{
    size_t len = 0;
    char *raw = import_address_slurp(path, IMPORT_ADDRESS_FILE_MAX, &len, e);
    if (raw == NULL || addrnorm_utf8_ok(raw, len)) {
        *tlen = len;
        return raw;
    }
    char *text = import_address_cp932(raw, len, tlen, base, e);
    free(raw);
    return text;
}

/* Loads the ABR position file at `path` into P. */
static int import_address_positions_load(struct import_address_positions *P, const char *path,
                                         struct err *e)
{
    memset(P, 0, sizeof *P);
    P->base = import_base(path);
    size_t len = 0;
    char *text = import_address_text(path, P->base, &len, e);
    if (text == NULL)
        return e->code;
    char *p = text, *end = text + len;
    long line = import_address_csv_start(&p, end);
    char *h[IMPORT_ADDRESS_COLS], *f[IMPORT_ADDRESS_COLS];
    int nh = import_address_csv_field(&p, end, h, IMPORT_ADDRESS_COLS);
    int ids[IMPORT_ADDRESS_ABR_IDS], nids = 0;
    import_address_abr_ids(h, nh > 0 ? nh : 0, ids);
    for (int k = 0; k < IMPORT_ADDRESS_ABR_IDS; k++)
        nids += P->used[k] = ids[k] >= 0;
    int lon = import_address_col(h, nh > 0 ? nh : 0,
                                 (const char *const[]){"代表点_経度", "rep_lon", NULL});
    int lat = import_address_col(h, nh > 0 ? nh : 0,
                                 (const char *const[]){"代表点_緯度", "rep_lat", NULL});
    int rc = ERR_OK;
    size_t cap = 0, kcap = 0, kused = 0;
    size_t *offs = NULL; /* key offsets while the key buffer grows */
    size_t ocap = 0;
    if (ids[0] < 0 || ids[1] < 0 || lon < 0 || lat < 0 || nids < 2) {
        rc = err_set(e, ERR_INPUT,
                     "%s: is not an ABR position file (it needs lg_code, machiaza_id and "
                     "rep_lon/rep_lat columns, or 全国地方公共団体コード, 町字id and "
                     "代表点_経度/代表点_緯度)",
                     P->base);
        goto done;
    }
    for (;;) {
        line++;
        int n = import_address_csv_field(&p, end, f, IMPORT_ADDRESS_COLS);
        if (n == 0)
            break;
        if (n < 0) {
            rc = err_set(e, ERR_INPUT, "%s line %ld: a quoted field is not closed", P->base, line);
            goto done;
        }
        if (n == 1 && f[0][0] == '\0')
            continue;
        if (n != nh) {
            rc = err_set(e, ERR_INPUT, "%s line %ld: has %d columns, the header %d", P->base, line,
                         n, nh);
            goto done;
        }
        if (P->n >= (size_t)IMPORT_ADDRESS_MAX_ROWS) {
            rc = err_set(e, ERR_LIMIT, "%s: has more than %ld rows", P->base,
                         IMPORT_ADDRESS_MAX_ROWS);
            goto done;
        }
        double x, y;
        if (!import_address_number(f[lon], &x) || !import_address_number(f[lat], &y))
            continue; /* a row without a position places nothing */
        char key[256];
        if (!import_address_pos_key(P, f, ids, key, sizeof key)) {
            rc = err_set(e, ERR_INPUT, "%s line %ld: its ids are too long", P->base, line);
            goto done;
        }
        size_t kl = strlen(key) + 1;
        if (vec_reserve((void **)&P->pos, &cap, P->n + 1, sizeof *P->pos) != ERR_OK ||
            vec_reserve((void **)&offs, &ocap, P->n + 1, sizeof *offs) != ERR_OK ||
            vec_reserve((void **)&P->keys, &kcap, kused + kl, 1) != ERR_OK) {
            rc = err_nomem(e);
            goto done;
        }
        memcpy(P->keys + kused, key, kl);
        offs[P->n] = kused;
        P->pos[P->n++] = (struct import_address_pos){NULL, x, y};
        kused += kl;
    }
    for (size_t i = 0; i < P->n; i++)
        P->pos[i].key = P->keys + offs[i];
    qsort(P->pos, P->n, sizeof *P->pos, import_address_pos_cmp);
done:
    free(offs);
    free(text);
    if (rc != ERR_OK)
        import_address_positions_free(P);
    return rc;
}

/* The position of a table row, or NULL when the position file has none. */
static const struct import_address_pos *
import_address_positions_find(const struct import_address_positions *P, char **f, const int *ids)
{
    char key[256];
    if (!import_address_pos_key(P, f, ids, key, sizeof key))
        return NULL;
    struct import_address_pos want = {key, 0, 0};
    return bsearch(&want, P->pos, P->n, sizeof *P->pos, import_address_pos_cmp);
}

/* The position file beside an ABR table, by the registry's naming
 * (mt_town_city292095.csv -> mt_town_pos_city292095.csv); NULL when the
 * name is not an ABR table's or no such file exists. Owned by the caller. */
static char *import_address_pos_sibling(const char *path)
{
    static const char *const tables[] = {"mt_town_", "mt_rsdtdsp_blk_", "mt_rsdtdsp_rsdt_", NULL};
    const char *base = import_base(path);
    for (int i = 0; tables[i]; i++) {
        size_t tl = strlen(tables[i]);
        if (strncmp(base, tables[i], tl) != 0 || strncmp(base + tl, "pos_", 4) == 0)
            continue;
        size_t dir = (size_t)(base - path), n = strlen(path) + 5;
        char *out = malloc(n);
        if (out == NULL)
            return NULL;
        snprintf(out, n, "%.*s%spos_%s", (int)(dir + tl), path, "", base + tl);
        struct stat sb;
        if (stat(out, &sb) == 0 && S_ISREG(sb.st_mode))
            return out;
        free(out);
        return NULL;
    }
    return NULL;
}

/* Loads a CSV reference (UTF-8 text in buf) read from `path`; an ABR table
 * without positions takes them from `positions` (--positions) or from the
 * position file beside it. */
static int import_address_csv(struct import_address_ctx *c, char *buf, size_t len, const char *path,
                              const char *positions, struct err *e)
{
    char *p = buf, *end = buf + len;
    long line = import_address_csv_start(&p, end);
    char *h[IMPORT_ADDRESS_COLS], *f[IMPORT_ADDRESS_COLS];
    int nh = import_address_csv_field(&p, end, h, IMPORT_ADDRESS_COLS);
    struct import_address_cols col;
    int layout = nh > 0 ? import_address_layout(h, nh, 1, &col) : LAYOUT_NONE;
    if (layout == LAYOUT_NONE)
        return err_set(e, ERR_INPUT,
                       "%s: is not an address reference tsunagu knows (MLIT 位置参照情報 block or "
                       "town level CSV, ABR town or 住居表示 CSV with positions or with their "
                       "position file, or Geolonia town JSON)",
                       c->base);
    c->rep->layout = layout == LAYOUT_MLIT_BLOCK  ? "mlit-block"
                     : layout == LAYOUT_MLIT_TOWN ? "mlit-town"
                     : col.residence >= 0         ? "abr-residence"
                     : col.block >= 0             ? "abr-block"
                                                  : "abr-town";
    int joined = layout == LAYOUT_ABR && (col.lon < 0 || col.lat < 0);
    if (positions && !joined)
        return err_set(e, ERR_INPUT,
                       "%s: --positions is for an ABR table whose positions are in a file of "
                       "their own, and this file %s",
                       c->base,
                       layout == LAYOUT_ABR ? "has its own positions" : "is not an ABR table");
    struct import_address_positions P = {0};
    if (joined) {
        char *sibling = positions ? NULL : import_address_pos_sibling(path);
        if (positions == NULL && sibling == NULL)
            return err_set(e, ERR_INPUT,
                           "%s: an ABR table without positions; give its position file with "
                           "--positions FILE (e.g. mt_town_pos_… beside mt_town_…)",
                           c->base);
        int rc = import_address_positions_load(&P, positions ? positions : sibling, e);
        if (rc == ERR_OK)
            snprintf(c->rep->positions, sizeof c->rep->positions, "%s", P.base);
        free(sibling);
        P.base = c->rep->positions;
        if (rc != ERR_OK)
            return rc;
        /* The same ids on both sides: a town position file would otherwise
         * give every house of a town the town's point. */
        for (int k = 0; k < IMPORT_ADDRESS_ABR_IDS; k++)
            if (P.used[k] != (col.ids[k] >= 0)) {
                err_set(e, ERR_INPUT,
                        "%s: its id columns (lg_code, machiaza_id, blk_id, rsdt_id, rsdt2_id) "
                        "are not those of the position file %s: is it the position file of "
                        "another table?",
                        c->base, P.base);
                import_address_positions_free(&P);
                return ERR_INPUT;
            }
    }
    int rc = ERR_OK;
    for (;;) {
        line++;
        int n = import_address_csv_field(&p, end, f, IMPORT_ADDRESS_COLS);
        if (n == 0)
            break;
        if (n < 0) {
            rc = err_set(e, ERR_INPUT, "%s line %ld: a quoted field is not closed", c->base, line);
            break;
        }
        if (n == 1 && f[0][0] == '\0')
            continue; /* blank line */
        if (++c->rep->rows > IMPORT_ADDRESS_MAX_ROWS) {
            rc = err_set(e, ERR_LIMIT, "%s: has more than %ld rows", c->base,
                         IMPORT_ADDRESS_MAX_ROWS);
            break;
        }
        if (n != nh) {
            rc = err_set(e, ERR_INPUT, "%s line %ld: has %d columns, the header %d", c->base, line,
                         n, nh);
            break;
        }
#define FIELD(i) ((i) >= 0 ? f[i] : "")
        /* Not current: 更新前履歴フラグ 1 (superseded, as issue 11 states) and 3
         * (削除, which MLIT's R3 data carries by mistake). MLIT's format page
         * (nlftp.mlit.go.jp/isj/data.html) documents 1 as 新規作成, so the
         * meaning of 1 is to be confirmed on a real file. */
        if (col.before >= 0 &&
            (strcmp(f[col.before], "1") == 0 || strcmp(f[col.before], "3") == 0)) {
            c->rep->superseded++;
            continue;
        }
        if (col.abolished >= 0 && f[col.abolished][0] != '\0') { /* ABR: 廃止日 set */
            c->rep->superseded++;
            continue;
        }
        char muni[512];
        snprintf(muni, sizeof muni, "%s%s%s", FIELD(col.county), FIELD(col.muni), FIELD(col.ward));
        char code[8];
        snprintf(code, sizeof code, "%.5s", FIELD(col.code));
        /* ABR's 住居表示 tables name no prefecture: it follows from the code. */
        const char *pref = FIELD(col.pref);
        if (*pref == '\0' && import_address_is_code(FIELD(col.code))) {
            const char *pp = geocode_pref_of_code((code[0] - '0') * 10 + (code[1] - '0'));
            pref = pp ? pp : "";
        }
        if (!import_address_wanted(c, muni, code)) {
            c->rep->other_muni++;
            continue;
        }
        char town[512];
        snprintf(town, sizeof town, "%s%s", FIELD(col.town), FIELD(col.chome));
        double lon = NAN, lat = NAN;
        if (joined) {
            const struct import_address_pos *q = import_address_positions_find(&P, f, col.ids);
            if (q) {
                lon = q->lon;
                lat = q->lat;
            }
        } else if (!import_address_number(f[col.lon], &lon) ||
                   !import_address_number(f[col.lat], &lat)) {
            lon = NAN;
        }
        if (town[0] == '\0' || !isfinite(lon) || !isfinite(lat)) {
            c->rep->unnamed++;
            continue;
        }
        char block[16] = "", rsdt[16] = "";
        if (col.block >= 0)
            import_address_digits(f[col.block], block, sizeof block);
        if (col.residence >= 0)
            import_address_digits(f[col.residence], rsdt, sizeof rsdt);
        const char *level = rsdt[0] && block[0] ? "residence" : block[0] ? "block" : "town";
        if (layout == LAYOUT_MLIT_BLOCK && block[0] == '\0') {
            c->rep->unnamed++;
            continue;
        }
        struct store_address_row r = {NULL, level, pref, muni, code, town, FIELD(col.koaza),
                                      NULL, block, rsdt, lon,  lat};
#undef FIELD
        if ((rc = import_address_store(c, &r, line, e)) != ERR_OK)
            break;
    }
    import_address_positions_free(&P);
    return rc;
}

/* Loads a Geolonia town JSON; `want` names its municipality. */
static int import_address_geolonia(struct import_address_ctx *c, const char *buf, size_t len,
                                   struct err *e)
{
    if (c->want == NULL)
        return err_set(e, ERR_INPUT,
                       "%s: a Geolonia town file names no municipality; say which with "
                       "--municipality NAME or CODE (e.g. --municipality 生駒市)",
                       c->base);
    json_error_t je;
    json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
    if (root == NULL || !json_is_array(root)) {
        json_decref(root);
        return err_set(e, ERR_INPUT, "%s line %d: is not a JSON array of towns (%s)", c->base,
                       root ? 1 : je.line, root ? "not an array" : je.text);
    }
    c->rep->layout = "geolonia-town";
    const char *muni = import_address_is_code(c->want) ? "" : c->want;
    char code[8] = "";
    if (import_address_is_code(c->want))
        snprintf(code, sizeof code, "%.5s", c->want);
    const char *pref = "";
    size_t pl = geocode_pref_prefix(muni);
    char pbuf[32] = "";
    if (pl > 0 && pl < sizeof pbuf) {
        memcpy(pbuf, muni, pl);
        pbuf[pl] = '\0';
        pref = pbuf;
        muni += pl;
    } else if (code[0]) {
        const char *p = geocode_pref_of_code((code[0] - '0') * 10 + (code[1] - '0'));
        pref = p ? p : "";
    }
    int rc = ERR_OK;
    size_t i;
    json_t *it;
    json_array_foreach(root, i, it)
    {
        c->rep->rows++;
        const char *town = json_string_value(json_object_get(it, "town"));
        const char *koaza = json_string_value(json_object_get(it, "koaza"));
        json_t *jlat = json_object_get(it, "lat"), *jlng = json_object_get(it, "lng");
        if (town == NULL || *town == '\0' || !json_is_number(jlat) || !json_is_number(jlng)) {
            c->rep->unnamed++;
            continue;
        }
        struct store_address_row r = {NULL,
                                      "town",
                                      pref,
                                      muni,
                                      code,
                                      town,
                                      koaza ? koaza : "",
                                      NULL,
                                      "",
                                      "",
                                      json_number_value(jlng),
                                      json_number_value(jlat)};
        rc = import_address_store(c, &r, (long)i + 1, e);
        if (rc != ERR_OK) {
            err_prefix(e, "(entry %zu) ", i + 1);
            break;
        }
    }
    json_decref(root);
    return rc;
}

int import_addresses(struct store *st, const char *path, const char *municipality,
                     const char *source_name, const char *positions,
                     struct import_address_report *rep, struct err *e)
{
    memset(rep, 0, sizeof *rep);
    struct import_address_ctx c = {0};
    c.rep = rep;
    c.base = import_base(path);
    c.source = source_name ? source_name : c.base;
    c.want = municipality && *municipality ? municipality : NULL;
    size_t tlen = 0;
    char *text = import_address_text(path, c.base, &tlen, e);
    if (text == NULL)
        return e->code;
    const char *q = text;
    while (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n')
        q++;
    int json = *q == '[' || *q == '{';
    if (json && tlen > (size_t)IMPORT_ADDRESS_JSON_MAX) {
        free(text);
        return err_set(e, ERR_LIMIT, "%s: is larger than %ld bytes", c.base,
                       IMPORT_ADDRESS_JSON_MAX);
    }
    if (json && positions) {
        free(text);
        return err_set(e, ERR_INPUT, "%s: --positions is for an ABR table, not a JSON file",
                       c.base);
    }
    int rc = store_begin(st, e);
    if (rc == ERR_OK)
        rc = store_addresses_delete_source(st, c.source, e);
    if (rc == ERR_OK && (c.w = store_address_writer_open(st, e)) == NULL)
        rc = e->code;
    if (rc == ERR_OK)
        rc = json ? import_address_geolonia(&c, text, tlen, e)
                  : import_address_csv(&c, text, tlen, path, positions, e);
    store_address_writer_close(c.w);
    if (rc == ERR_OK && rep->stored == 0)
        rc = err_set(e, ERR_INPUT, "%s: no address to import (%s)", c.base,
                     rep->other_muni ? "none in the municipality asked for"
                                     : "no row has a town name and a position");
    if (rc == ERR_OK)
        rc = store_import_log(st, "addresses", c.source, path, rep->stored, e);
    if (rc == ERR_OK)
        rc = store_commit(st, e);
    else if (rc != ERR_OK && st)
        store_rollback(st);
    for (int i = 0; i < IMPORT_ADDRESS_MUNIS && c.munis[i]; i++)
        free(c.munis[i]);
    free(text);
    return rc;
}

/* ---- placing rows ---- */

#define IMPORT_PLACE_LINES_SHOWN 10 /* line numbers named in the stop message */

struct import_place {
    struct geocoder *g;    /* owned */
    struct crs *crs;       /* lon/lat -> database CRS, owned */
    int skip;              /* 1 = --unmatched skip */
    const char *file;      /* --unmatched-file */
    long *lines;           /* unmatched lines, owned */
    long nlines, cap;      /* count and capacity of lines */
    unsigned char wkb[21]; /* the last point */
    const char *level;     /* level of the last point */
};

struct import_place *import_place_open(struct store *st, int srid, const char *unmatched,
                                       const char *unmatched_file, struct err *e)
{
    if (unmatched && strcmp(unmatched, "skip") != 0 && strcmp(unmatched, "stop") != 0)
        return err_set(e, ERR_INPUT, "--unmatched must be stop or skip, not '%.20s'", unmatched),
               NULL;
    int skip = unmatched && strcmp(unmatched, "skip") == 0;
    if (skip && unmatched_file == NULL)
        return err_set(e, ERR_INPUT,
                       "--unmatched skip needs --unmatched-file FILE for the line numbers of "
                       "the rows left out"),
               NULL;
    struct import_place *p = calloc(1, sizeof *p);
    if (p == NULL)
        return err_nomem(e), NULL;
    p->skip = skip;
    p->file = unmatched_file;
    p->g = geocode_open(st, e);
    if (p->g == NULL || (p->crs = crs_open(srid, e)) == NULL) {
        import_place_close(p);
        return NULL;
    }
    return p;
}

void import_place_close(struct import_place *p)
{
    if (p == NULL)
        return;
    geocode_close(p->g);
    crs_close(p->crs);
    free(p->lines);
    free(p);
}

const char *import_place_level(const struct import_place *p)
{
    return p->level;
}

int import_place_row(struct import_place *p, const char *addr, long line, const char *where,
                     const unsigned char **wkb, size_t *len, struct err *e)
{
    struct geocode_result r;
    r.level = GEOCODE_NONE;
    if (addr && *addr) {
        struct err inner = {0};
        if (geocode_find(p->g, addr, strlen(addr), &r, &inner) != ERR_OK) {
            if (inner.code == ERR_IO)
                return err_set(e, ERR_IO, "%s", inner.msg), -1;
            /* Not UTF-8 or too long: named by line, never quoted. */
            return err_set(e, ERR_INPUT, "%s: the address %s", where,
                           inner.code == ERR_LIMIT ? "is too long" : "is not valid UTF-8"),
                   -1;
        }
    }
    if (r.level == GEOCODE_NONE) {
        if (p->nlines == p->cap) {
            long cap = p->cap ? 2 * p->cap : 64;
            long *l = realloc(p->lines, (size_t)cap * sizeof *l);
            if (l == NULL)
                return err_nomem(e), -1;
            p->lines = l;
            p->cap = cap;
        }
        p->lines[p->nlines++] = line;
        return 0;
    }
    double x, y;
    if (crs_to_xy(p->crs, r.lon, r.lat, &x, &y) != ERR_OK)
        return err_set(e, ERR_INPUT, "%s: the matched place cannot be transformed", where), -1;
    p->wkb[0] = 1; /* little endian */
    unsigned type = 1;
    memcpy(p->wkb + 1, &type, 4);
    memcpy(p->wkb + 5, &x, 8);
    memcpy(p->wkb + 13, &y, 8);
    p->level = geocode_level_name(r.level);
    *wkb = p->wkb;
    *len = sizeof p->wkb;
    return 1;
}

int import_place_finish(struct import_place *p, const char *file, long *unmatched, struct err *e)
{
    *unmatched = p->nlines;
    if (p->nlines == 0 && !p->skip)
        return ERR_OK;
    if (!p->skip) {
        char list[200] = "";
        size_t w = 0;
        for (long i = 0; i < p->nlines && i < IMPORT_PLACE_LINES_SHOWN; i++) {
            int k = snprintf(list + w, sizeof list - w, "%s%ld", i ? ", " : "", p->lines[i]);
            if (k < 0 || (size_t)k >= sizeof list - w)
                break;
            w += (size_t)k;
        }
        return err_set(e, ERR_INPUT,
                       "%s: %ld row%s ha%s an address that matches nothing in the address "
                       "reference (line%s %s%s); nothing was imported. Correct %s, load a finer "
                       "reference, or pass --unmatched skip --unmatched-file FILE",
                       file, p->nlines, p->nlines == 1 ? "" : "s", p->nlines == 1 ? "s" : "ve",
                       p->nlines == 1 ? "" : "s", list,
                       p->nlines > IMPORT_PLACE_LINES_SHOWN ? ", ..." : "",
                       p->nlines == 1 ? "it" : "them");
    }
    FILE *f = fopen(p->file, "w");
    if (f == NULL)
        return err_set(e, ERR_IO, "--unmatched-file %s: cannot be written (%s)", p->file,
                       strerror(errno));
    fputs("line\n", f);
    for (long i = 0; i < p->nlines; i++)
        fprintf(f, "%ld\n", p->lines[i]);
    if (fclose(f) != 0)
        return err_set(e, ERR_IO, "--unmatched-file %s: cannot be written", p->file);
    return ERR_OK;
}

/* store_address_towns callback keeping the first town's position. */
static int import_place_first(void *ctx, const struct store_address_town *t)
{
    double *ll = ctx;
    ll[0] = t->lon;
    ll[1] = t->lat;
    ll[2] = (double)(strtol(t->muni_code, NULL, 10) / 1000);
    return ERR_INPUT; /* stop after one */
}

int import_place_fix_crs(struct store *st, struct err *e)
{
    double ll[3] = {NAN, NAN, 0};
    struct err ignore = {0};
    store_address_towns(st, import_place_first, ll, &ignore);
    if (!isfinite(ll[0]))
        return err_set(e, ERR_NOTFOUND,
                       "the database holds no address reference; load one with `tsunagu import "
                       "addresses FILE` first");
    int srid;
    if (crs_pick(ll[0], ll[1], (int)ll[2], &srid, e) != ERR_OK)
        return ERR_INPUT;
    char name[96];
    crs_name(srid, name, sizeof name);
    return store_init_srid(st, srid, name, e);
}
