/* SPDX-License-Identifier: MIT */
/* import.c - the import pipeline for districts, resources, households and
 * census small areas (the network has its own in import_network.c): read
 * with source.c, transform with crs.c, validate, store in one transaction.
 * Entry points: import_run, import_kind_parse, and the shared import_xform_*
 * helpers. */
#include "import.h"

#include "consent.h"
#include "hours_ja.h"
#include "import_attrib.h"
#include "num.h"

#include "utf8.h"
#include "geocode.h"
#include "import_address.h"
#include "resfields.h"
#include "store_register.h"
#include "store_indicators.h"
#include "store_layers.h"
#include "vocab.h"
#include "wkb.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define IMPORT_WHERE_MAX 300

static int import_indicators(struct store *st, struct source *src, long area, const char *source,
                             const char *where, struct err *e);

int import_kind_parse(const char *word)
{
    static const struct {
        const char *word;
        int kind;
    } kinds[] = {{"districts", IMPORT_DISTRICTS},   {"resources", IMPORT_RESOURCES},
                 {"households", IMPORT_HOUSEHOLDS}, {"population", IMPORT_POPULATION},
                 {"network", IMPORT_NETWORK},       {"candidates", IMPORT_CANDIDATES}};
    for (size_t i = 0; word && i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(word, kinds[i].word) == 0)
            return kinds[i].kind;
    return 0;
}

const char *import_base(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

const char *import_key(const struct import_opts *o, char *buf, size_t n)
{
    if (o->source_name)
        return o->source_name;
    snprintf(buf, n, "%s", import_base(o->src.path));
    utf8_sanitize(buf, 0);
    return buf;
}

void import_progress(const struct import_opts *o, const char *what, long done, long total)
{
    /* isatty is a system call: asked only when a line would be printed. */
    if (!o->progress || (done >= 0 && done % 1000 != 0 && done != total) || !isatty(STDERR_FILENO))
        return;
    if (done < 0) {
        fputc('\n', stderr);
        return;
    }
    if (total > 0)
        fprintf(stderr, "\r%s %ld/%ld (%ld%%)", what, done, total, done * 100 / total);
    else
        fprintf(stderr, "\r%s %ld", what, done);
}

/* Picks a prefecture code from a municipality code such as "29209". */
static int import_pref_code(const char *muni)
{
    if (muni == NULL || strlen(muni) < 2 || muni[0] < '0' || muni[0] > '9' || muni[1] < '0' ||
        muni[1] > '9')
        return 0;
    return (muni[0] - '0') * 10 + (muni[1] - '0');
}

/* wkb_visit callback keeping the first coordinate of a geometry. */
static int import_first_xy(void *ctx, int kind, double *xy, size_t n)
{
    double *out = ctx;
    (void)kind;
    if (n > 0 && isnan(out[0])) {
        out[0] = xy[0];
        out[1] = xy[1];
    }
    return ERR_OK;
}

/* Finds a representative lon/lat of the data to pick the CRS from. */
static int import_locate(struct source *src, struct crs_src *to_ll, double *lon, double *lat,
                         struct err *e)
{
    double bb[4];
    if (source_extent(src, bb) == ERR_OK) {
        double c[2] = {(bb[0] + bb[2]) / 2, (bb[1] + bb[3]) / 2};
        double ll[2];
        if (crs_src_to_lonlat(to_ll, c, ll, 1) == ERR_OK) {
            *lon = ll[0];
            *lat = ll[1];
            return ERR_OK;
        }
    }
    return err_set(e, ERR_INPUT, "the file's location cannot be determined to choose a CRS");
}

int import_xform_open(struct store *st, struct source *src, const struct import_opts *o,
                      struct import_xform *x, struct import_report *rep, struct err *e)
{
    memset(x, 0, sizeof *x);
    const char *def = source_crs(src);
    const char *file = import_base(o->src.path);
    if (def == NULL)
        return err_set(e, ERR_INPUT,
                       "%s declares no coordinate reference system; name it with --s-srs "
                       "(e.g. --s-srs EPSG:4612 for JGD2000 longitude/latitude)",
                       file);
    int srid = store_srid(st);
    rep->srid_new = 0;
    if (srid == 0) {
        if (o->crs) {
            const char *num = strncasecmp(o->crs, "EPSG:", 5) == 0 ? o->crs + 5 : o->crs;
            long v;
            if (num_long(num, NUM_BLANKS, "--crs", 1, INT_MAX, &v, NULL) != ERR_OK)
                return err_set(e, ERR_INPUT, "--crs '%s' is not an EPSG code", o->crs);
            srid = (int)v;
            if (crs_area_of(srid, &x->area, e) != ERR_OK)
                return ERR_INPUT;
        } else {
            struct crs_src *probe = crs_src_open(def, 4326, e);
            if (probe == NULL)
                return err_prefix(e, "%s: ", file), ERR_INPUT;
            double lon = 0, lat = 0;
            int rc = import_locate(src, probe, &lon, &lat, e);
            crs_src_close(probe);
            if (rc == ERR_OK && !isfinite(lon))
                rc = err_set(e, ERR_INPUT, "the data's location is not finite");
            if (rc != ERR_OK) {
                /* CSV points have no layer extent: take the first point. */
                err_clear(e);
                struct source_feature f;
                int got = source_next(src, &f, e);
                if (got < 0)
                    return ERR_INPUT;
                if (got == 0)
                    return err_set(e, ERR_INPUT, "%s contains no features", file);
                struct crs_src *p2 = crs_src_open(def, 4326, e);
                if (p2 == NULL)
                    return ERR_INPUT;
                double ll[2] = {NAN, NAN};
                double xy[2] = {NAN, NAN};
                if (f.wkb_len > 0 &&
                    wkb_visit(f.wkb, f.wkb_len, import_first_xy, xy, NULL) == ERR_OK)
                    crs_src_to_lonlat(p2, xy, ll, 1);
                crs_src_close(p2);
                lon = ll[0];
                lat = ll[1];
                if (!isfinite(lon) || !isfinite(lat))
                    return err_set(e, ERR_INPUT,
                                   "%s: the first feature's location cannot be "
                                   "read to choose a CRS",
                                   file);
                /* The reader restarts below through a reopen by the caller. */
            }
            if (crs_pick(lon, lat, import_pref_code(o->municipality), &srid, e) != ERR_OK)
                return err_prefix(e, "%s: ", file), ERR_INPUT;
        }
        char name[96];
        crs_name(srid, name, sizeof name);
        if (store_init_srid(st, srid, name, e) != ERR_OK)
            return ERR_IO;
        rep->srid_new = 1;
    }
    rep->srid = srid;
    if (crs_area_of(srid, &x->area, e) != ERR_OK)
        return ERR_INPUT;
    x->src = crs_src_open(def, srid, e);
    if (x->src == NULL)
        return err_prefix(e, "%s: ", file), ERR_INPUT;
    return ERR_OK;
}

void import_xform_close(struct import_xform *x)
{
    crs_src_close(x->src);
    x->src = NULL;
}

static int import_xform_seq(void *ctx, int kind, double *xy, size_t n)
{
    struct import_xform *x = ctx;
    double stack[64];
    double *ll = n <= 32 ? stack : malloc(2 * n * sizeof *ll);
    (void)kind;
    if (ll == NULL)
        return ERR_NOMEM;
    int rc = crs_src_transform(x->src, xy, ll, n);
    if (rc != ERR_OK)
        x->failed = 1;
    for (size_t i = 0; rc == ERR_OK && i < n; i++)
        if (!crs_area_contains(&x->area, ll[2 * i], ll[2 * i + 1])) {
            x->outside = 1;
            rc = ERR_INPUT;
        }
    if (ll != stack)
        free(ll);
    return rc;
}

int import_xform_wkb(struct import_xform *x, unsigned char *wkb, size_t len, const char *where,
                     struct err *e)
{
    x->outside = x->failed = 0;
    struct err inner = {0};
    int rc = wkb_walk(wkb, len, import_xform_seq, x, &inner);
    if (rc == ERR_OK)
        return ERR_OK;
    if (x->outside)
        return err_set(e, ERR_INPUT,
                       "%s: a coordinate lies outside the database's area (%.0f-%.0f E, "
                       "%.0f-%.0f N); check the file's CRS or pass --s-srs",
                       where, x->area.min_lon, x->area.max_lon, x->area.min_lat, x->area.max_lat);
    if (x->failed)
        return err_set(e, ERR_INPUT,
                       "%s: a coordinate cannot be transformed from the file's "
                       "CRS",
                       where);
    if (rc == ERR_NOMEM)
        return err_nomem(e);
    return err_set(e, rc, "%s: %s", where, inner.msg);
}

/* Attribute lookup with a fallback list of conventional names. */
static int import_field(struct source *src, const char *given, const char *const *names,
                        const char *option, const char *file, struct err *e, int *idx)
{
    *idx = -1;
    if (given) {
        *idx = source_field(src, given);
        if (*idx < 0) {
            char list[400];
            source_field_list(src, list, sizeof list);
            return err_set(e, ERR_INPUT, "%s has no field '%s' (%s); its fields are: %s", file,
                           given, option, list);
        }
        return ERR_OK;
    }
    for (int i = 0; names && names[i] && *idx < 0; i++)
        *idx = source_field(src, names[i]);
    return ERR_OK;
}

/* Names recognised without options: generic first, then 国土数値情報. */
static const char *const NAME_FIELDS[] = {"name",    "名称",   "A27_004", "A32_004", "P14_007",
                                          "P20_002", "S_NAME", "P29_004", NULL};
static const char *const CODE_FIELDS[] = {"code", "A27_003", "A32_003", "KEY_CODE", NULL};
static const char *const MUNI_FIELDS[] = {"municipality", "A27_001",   "A32_001",
                                          "P20_001",      "CITY_CODE", NULL};
static const char *const OPER_FIELDS[] = {"operator", "A27_002", "A32_002", NULL};
static const char *const ADDR_FIELDS[] = {"address", "住所",    "A27_005", "A32_005",
                                          "P14_003", "P20_003", NULL};
static const char *const ID_FIELDS[] = {"id", "ID", NULL};
static const char *const KIND_FIELDS[] = {"kind", "種別", NULL};
static const char *const FIELDS_FIELDS[] = {"fields", "分野", NULL};
static const char *const MEMBERS_FIELDS[] = {"members", "世帯人数", NULL};
static const char *const NEEDS_FIELDS[] = {"needs", "ニーズ", NULL};
static const char *const CONSENT_FIELDS[] = {"consent", "同意", NULL};
static const char *const AGENCY_FIELDS[] = {"agency", "担当機関", NULL};
static const char *const PROTECTED_FIELDS[] = {"protected", "支援措置", NULL};
static const char *const POP_FIELDS[] = {"residents", "population", "JINKO", NULL};
static const char *const HH_FIELDS[] = {"households", "SETAI", NULL};
static const char *const MUNI_NAME_FIELDS[] = {"P14_002", NULL};

/* Column indexes for one import. */
struct import_cols {
    int name, code, muni, muni_name, oper, addr, id, kind, fields, hub, schedule, contact, target,
        members, needs, consent, agency, protected_, pop, hh, kind_hint, url, langs, barrier, cost,
        notes, dissolve;
};

static int import_cols_find(struct source *src, const struct import_opts *o, struct import_cols *c,
                            struct err *e)
{
    const char *f = import_base(o->src.path);
    int rc = ERR_OK;
    static const char *const HUB[] = {"hub_type", "拠点類型", NULL};
    static const char *const SCHED[] = {"schedule", "opening_hours", "開催日時", NULL};
    static const char *const CONTACT[] = {"contact", "連絡先", "phone", NULL};
    static const char *const TARGET[] = {"target", "対象", NULL};
    static const char *const HINT[] = {"kind_hint", "kind", NULL};
    static const char *const URL[] = {"url", "URL", "ホームページ", NULL};
    static const char *const LANGS[] = {"languages", "言語", "対応言語", NULL};
    static const char *const BARRIER[] = {"barrier_free", "バリアフリー", NULL};
    static const char *const COST[] = {"cost", "費用", "参加費", "利用料", NULL};
    static const char *const NOTES[] = {"notes", "備考", NULL};
    rc |= import_field(src, o->name_field, NAME_FIELDS, "--name-field", f, e, &c->name);
    rc |= import_field(src, o->code_field, CODE_FIELDS, "--code-field", f, e, &c->code);
    rc |= import_field(src, NULL, MUNI_FIELDS, NULL, f, e, &c->muni);
    rc |= import_field(src, NULL, MUNI_NAME_FIELDS, NULL, f, e, &c->muni_name);
    rc |= import_field(src, NULL, OPER_FIELDS, NULL, f, e, &c->oper);
    rc |= import_field(src, o->address_field, ADDR_FIELDS, "--address-field", f, e, &c->addr);
    rc |= import_field(src, o->id_field, ID_FIELDS, "--id-field", f, e, &c->id);
    rc |= import_field(src, o->kind_field, KIND_FIELDS, "--kind-field", f, e, &c->kind);
    rc |= import_field(src, o->fields_field, FIELDS_FIELDS, "--fields-field", f, e, &c->fields);
    rc |= import_field(src, NULL, HUB, NULL, f, e, &c->hub);
    rc |= import_field(src, NULL, SCHED, NULL, f, e, &c->schedule);
    rc |= import_field(src, NULL, CONTACT, NULL, f, e, &c->contact);
    rc |= import_field(src, NULL, TARGET, NULL, f, e, &c->target);
    rc |= import_field(src, NULL, HINT, NULL, f, e, &c->kind_hint);
    rc |= import_field(src, NULL, URL, NULL, f, e, &c->url);
    rc |= import_field(src, NULL, LANGS, NULL, f, e, &c->langs);
    rc |= import_field(src, NULL, BARRIER, NULL, f, e, &c->barrier);
    rc |= import_field(src, NULL, COST, NULL, f, e, &c->cost);
    rc |= import_field(src, NULL, NOTES, NULL, f, e, &c->notes);
    rc |= import_field(src, o->members_field, MEMBERS_FIELDS, "--members-field", f, e, &c->members);
    rc |= import_field(src, o->needs_field, NEEDS_FIELDS, "--needs-field", f, e, &c->needs);
    rc |= import_field(src, o->consent_field, CONSENT_FIELDS, "--consent-field", f, e, &c->consent);
    rc |= import_field(src, o->agency_field, AGENCY_FIELDS, "--agency-field", f, e, &c->agency);
    rc |= import_field(src, o->protected_field, PROTECTED_FIELDS, "--protected-field", f, e,
                       &c->protected_);
    rc |= import_field(src, o->pop_field, POP_FIELDS, "--pop-field", f, e, &c->pop);
    rc |= import_field(src, o->households_field, HH_FIELDS, "--households-field", f, e, &c->hh);
    rc |= import_field(src, o->dissolve_field, NULL, "--dissolve-field", f, e, &c->dissolve);
    if (rc != ERR_OK)
        return ERR_INPUT;
    char list[400];
    source_field_list(src, list, sizeof list);
    switch (o->kind) {
    case IMPORT_DISTRICTS:
    case IMPORT_RESOURCES:
    case IMPORT_CANDIDATES:
        if (c->name < 0)
            return err_set(e, ERR_INPUT,
                           "%s has no name field (looked for name, 名称, A27_004, "
                           "A32_004, P14_007, P20_002); name it with --name-field. "
                           "Its fields are: %s",
                           f, list);
        break;
    case IMPORT_HOUSEHOLDS:
        if (c->id < 0)
            return err_set(e, ERR_INPUT, "%s has no id column; name it with --id-field", f);
        if (c->needs < 0)
            return err_set(e, ERR_INPUT, "%s has no needs column; name it with --needs-field", f);
        break;
    case IMPORT_POPULATION:
        if (c->pop < 0)
            return err_set(e, ERR_INPUT,
                           "%s has no population field (residents, population, "
                           "JINKO); name it with --pop-field. Its fields are: %s",
                           f, list);
        break;
    }
    if (o->municipality && o->kind != IMPORT_HOUSEHOLDS && c->muni < 0 && c->muni_name < 0)
        return err_set(e, ERR_INPUT,
                       "%s has no municipality field to apply --municipality to "
                       "(looked for A27_001, A32_001, P20_001, municipality); use "
                       "--where instead",
                       f);
    return ERR_OK;
}

static const char *import_str(struct source *src, int idx)
{
    const char *v = idx >= 0 ? source_str(src, idx) : NULL;
    return v && *v ? v : NULL;
}

/* Parses a non-negative integer attribute strictly; ERR_INPUT otherwise. */
static int import_long(const char *t, long *v)
{
    double d;
    if (num_double(t, NUM_BLANKS, "", 0, 1e12, &d, NULL) != ERR_OK || d != floor(d))
        return ERR_INPUT;
    *v = (long)d;
    return ERR_OK;
}

static int import_yesno(const char *t, int *v)
{
    static const char *const yes[] = {"yes", "y", "true", "1", "あり", "有", "同意", "済"};
    static const char *const no[] = {"no", "n", "false", "0", "なし", "無", "未", "不同意"};
    if (t == NULL)
        return ERR_INPUT;
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcasecmp(t, yes[i]) == 0)
            return *v = 1, ERR_OK;
        if (strcasecmp(t, no[i]) == 0)
            return *v = 0, ERR_OK;
    }
    return ERR_INPUT;
}

/* True when this feature belongs to --municipality (code or, for P14, name). */
static int import_muni_match(struct source *src, const struct import_opts *o,
                             const struct import_cols *c)
{
    if (o->municipality == NULL)
        return 1;
    const char *code = import_str(src, c->muni);
    if (code && strcmp(code, o->municipality) == 0)
        return 1;
    const char *name = import_str(src, c->muni_name);
    return name && strcmp(name, o->municipality) == 0;
}

static int import_geom_ok(int kind, int type)
{
    switch (kind) {
    case IMPORT_DISTRICTS:
    case IMPORT_POPULATION:
        return type == WKB_POLYGON || type == WKB_MULTIPOLYGON;
    case IMPORT_RESOURCES:
    case IMPORT_HOUSEHOLDS:
    case IMPORT_CANDIDATES:
        return type == WKB_POINT || type == WKB_MULTIPOINT;
    default:
        return 0;
    }
}

static const char *import_kind_word(int kind)
{
    static const char *const w[] = {"",           "districts", "resources", "households",
                                    "population", "network",   "candidates"};
    return kind >= 1 && kind <= IMPORT_CANDIDATES ? w[kind] : "";
}

static const char *import_geom_word(int kind)
{
    return kind == IMPORT_DISTRICTS || kind == IMPORT_POPULATION ? "polygons" : "points";
}

/* Stores one feature of a non-network import. */
/* The register's columns of one resource row, normalised (resfields.h). */
struct import_register_cols {
    const char *target;                     /* ";"-joined keys, or NULL */
    const char *languages;                  /* ";"-joined tags, or NULL */
    const char *barrier_free;               /* yes | no | unknown | NULL */
    const char *url;                        /* http(s) address, or NULL */
    const char *notes;                      /* notes, or NULL */
    char target_buf[RESFIELDS_LIST_BYTES];  /* storage of target */
    char lang_buf[RESFIELDS_LIST_BYTES];    /* storage of languages */
    char notes_buf[RESFIELDS_TEXT_MAX + 1]; /* notes with the target's prose */
};

/* Reads target, languages, barrier_free, url and notes. A target written
 * as prose ("おおむね65歳以上の方") becomes the groups its words name, and
 * the prose is kept in notes ("対象: ...") so nothing is lost. ERR_INPUT
 * naming the row and the column otherwise. */
static int import_register_cols(struct source *src, const struct import_cols *c, const char *where,
                                struct import_register_cols *rg, struct err *e)
{
    memset(rg, 0, sizeof *rg);
    const char *t = import_str(src, c->target), *notes = import_str(src, c->notes);
    rg->notes = notes;
    if (t && resfields_targets(t, rg->target_buf, sizeof rg->target_buf, NULL) != ERR_OK) {
        resfields_targets_infer(t, rg->target_buf, sizeof rg->target_buf);
        snprintf(rg->notes_buf, sizeof rg->notes_buf, "対象: %s%s%s", t, notes ? "\n" : "",
                 notes ? notes : "");
        rg->notes_buf[utf8_cut(rg->notes_buf, strlen(rg->notes_buf), RESFIELDS_TEXT_MAX)] = '\0';
        rg->notes = rg->notes_buf;
    }
    rg->target = rg->target_buf[0] ? rg->target_buf : NULL;
    const char *l = import_str(src, c->langs);
    if (l && resfields_languages(l, rg->lang_buf, sizeof rg->lang_buf, e) != ERR_OK)
        return err_prefix(e, "%s: ", where), ERR_INPUT;
    rg->languages = rg->lang_buf[0] ? rg->lang_buf : NULL;
    const char *b = import_str(src, c->barrier);
    rg->barrier_free = b ? resfields_barrier_free(b) : NULL;
    if (b && rg->barrier_free == NULL)
        return err_set(e, ERR_INPUT, "%s: barrier_free must be yes, no or unknown", where);
    rg->url = import_str(src, c->url);
    if (rg->url && strncmp(rg->url, "https://", 8) != 0 && strncmp(rg->url, "http://", 7) != 0)
        return err_set(e, ERR_INPUT, "%s: url must start with http:// or https://", where);
    return ERR_OK;
}

/* `--merge`: the row's resource is changed in place when its stable id
 * (the file's id) is known, else added; either way marked as seen. */
static int import_merge_row(struct store *st, const struct import_opts *o,
                            const struct store_resource *r, const char *file_id,
                            const struct source_feature *f, const char *where,
                            struct import_report *rep, struct err *e)
{
    char who[STORE_REGISTER_WHO_MAX];
    snprintf(who, sizeof who, "import %s", import_base(o->src.path));
    utf8_sanitize(who, 0);
    json_t *rec = store_register_from_row(st, r, f->wkb, f->wkb_len, e);
    if (rec == NULL)
        return err_prefix(e, "%s: ", where), e->code;
    struct err nf = {0};
    json_t *cur = file_id ? store_register_get(st, file_id, &nf) : NULL;
    int rc = ERR_OK;
    json_t *out = NULL;
    if (cur == NULL && nf.code != ERR_OK && nf.code != ERR_NOTFOUND) {
        rc = err_set(e, nf.code, "%s", nf.msg);
    } else if (cur == NULL) {
        rc = store_register_create(st, file_id, rec, r->source, who, &out, e);
        if (rc == ERR_OK) {
            rep->added++;
            if (o->changes)
                fprintf(o->changes, "added %s %s\n", json_string_value(json_object_get(out, "id")),
                        r->name);
        }
    } else {
        json_t *next = json_deep_copy(cur);
        const char *k;
        json_t *v;
        json_object_foreach(rec, k, v) json_object_set(next, k, v);
        json_object_set_new(next, "retired", json_null()); /* in the file: in the register */
        char changed[300];
        rc = store_register_update(st, cur, next, who, "merge", changed, sizeof changed, NULL, e);
        json_decref(next);
        if (rc == ERR_OK && changed[0]) {
            rep->changed++;
            if (o->changes)
                fprintf(o->changes, "changed %s: %s\n", file_id, changed);
        } else if (rc == ERR_OK) {
            rep->unchanged++;
        }
    }
    if (rc == ERR_OK)
        rc = store_register_seen(
            st, file_id ? file_id : json_string_value(json_object_get(out, "id")), e);
    json_decref(out);
    json_decref(cur);
    json_decref(rec);
    if (rc != ERR_OK)
        err_prefix(e, "%s: ", where);
    return rc;
}

static int import_feature(struct store *st, struct source *src, const struct import_opts *o,
                          const struct import_cols *c, const struct source_feature *f,
                          const char *source_key, const char *where, const char *place_level,
                          struct import_report *rep, struct err *e)
{
    const char *file = import_base(o->src.path);
    switch (o->kind) {
    case IMPORT_DISTRICTS: {
        char code[32];
        const char *cv = import_str(src, c->code);
        if (cv == NULL) {
            snprintf(code, sizeof code, "%ld", f->index);
            cv = code;
        }
        if (o->dissolve_field) {
            /* One part of the group the feature carries (store_layers.h). */
            const char *grp = import_str(src, c->dissolve);
            if (grp == NULL || grp[0] == '\0')
                return err_set(e, ERR_INPUT, "%s: the feature has no value in %s", where,
                               o->dissolve_field);
            if (store_layers_add(st, grp, grp, NULL, f->index, f->wkb, f->wkb_len, e) != ERR_OK)
                return err_prefix(e, "%s: ", where), e->code;
            return ERR_OK;
        }
        const char *name = import_str(src, c->name);
        if (name == NULL)
            return err_set(e, ERR_INPUT, "%s: the district has no name", where);
        struct store_district d = {o->level,
                                   cv,
                                   name,
                                   import_str(src, c->muni),
                                   import_str(src, c->oper),
                                   import_str(src, c->addr),
                                   source_key};
        if (store_district_insert(st, &d, f->wkb, f->wkb_len, e) != ERR_OK)
            return err_prefix(e, "%s: ", where), e->code;
        return ERR_OK;
    }
    case IMPORT_RESOURCES: {
        const char *name = import_str(src, c->name);
        if (name == NULL)
            return err_set(e, ERR_INPUT, "%s: the resource has no name", where);
        char kind[VOCAB_KEY_MAX + 1];
        const char *kv = o->kind_value ? o->kind_value : import_str(src, c->kind);
        if (kv == NULL)
            kv = vocab_kind_from_name(name);
        if (vocab_kind(kv, kind, sizeof kind, e) != ERR_OK)
            return err_prefix(e, "%s: ", where), ERR_INPUT;
        int mask = 0;
        const char *fv = o->fields_value ? o->fields_value : import_str(src, c->fields);
        if (fv != NULL && strcmp(fv, "unspecified") == 0) {
            mask = 0; /* as tsunagu writes it (export resources): no field known */
        } else if (fv != NULL) {
            if (vocab_fields(fv, &mask, e) != ERR_OK)
                return err_prefix(e, "%s: ", where), ERR_INPUT;
        } else {
            mask = vocab_fields_from_name(name);
        }
        char fields[64];
        vocab_fields_format(mask, fields, sizeof fields);
        const char *hub_text = import_str(src, c->hub);
        const char *hub = vocab_hub_type(hub_text);
        if (hub_text && hub == NULL)
            return err_set(e, ERR_INPUT,
                           "%s: the hub type '%.40s' is not basic, integrated or "
                           "community (基本型, 統合型, 地域型)",
                           where, hub_text);
        char ext[32];
        const char *id = import_str(src, c->id);
        const char *file_id = id;
        if (id == NULL) {
            snprintf(ext, sizeof ext, "%ld", f->index);
            id = ext;
        }
        struct import_register_cols rg;
        if (import_register_cols(src, c, where, &rg, e) != ERR_OK)
            return ERR_INPUT;
        /* The schedule as opening_hours when it is that or a Japanese form
         * hours_ja reads; else the original text, kept as it is (it stays
         * "unparsed", which `tsunagu info` lists). */
        const char *sched = import_str(src, c->schedule);
        char sched_osm[HOURS_JA_OUT];
        if (sched && hours_ja_schedule(sched, sched_osm, sizeof sched_osm) == 1)
            sched = sched_osm;
        struct store_resource r = {id,
                                   name,
                                   kind,
                                   fields,
                                   mask,
                                   hub,
                                   import_str(src, c->addr),
                                   sched,
                                   import_str(src, c->contact),
                                   import_str(src, c->oper),
                                   rg.target,
                                   source_key,
                                   place_level,
                                   rg.url,
                                   rg.languages,
                                   rg.barrier_free,
                                   import_str(src, c->cost),
                                   rg.notes};
        if (o->merge)
            return import_merge_row(st, o, &r, file_id, f, where, rep, e);
        if (store_resource_insert(st, &r, f->wkb, f->wkb_len, e) != ERR_OK)
            return err_prefix(e, "%s: ", where), e->code;
        return ERR_OK;
    }
    case IMPORT_HOUSEHOLDS: {
        /* Sentences here name the column, never the value. */
        const char *id = import_str(src, c->id);
        if (id == NULL)
            return err_set(e, ERR_INPUT, "%s: the id is missing", where);
        long members = 1;
        if (c->members >= 0 && (import_long(import_str(src, c->members), &members) != ERR_OK ||
                                members < 1 || members > 99))
            return err_set(e, ERR_INPUT, "%s: members must be a whole number from 1 to 99", where);
        char needs[512];
        if (vocab_needs(import_str(src, c->needs), needs, sizeof needs, e) != ERR_OK)
            return err_prefix(e, "%s: ", where), ERR_INPUT;
        /* No consent column, or an empty cell, is unknown (consent.h). */
        int consent = CONSENT_UNKNOWN;
        if (c->consent >= 0 && consent_parse(import_str(src, c->consent), &consent) != ERR_OK)
            return err_set(e, ERR_INPUT, "%s: consent must be yes, no or unknown", where);
        /* Protection is yes/no like consent; an empty cell is no. */
        int prot = 0;
        const char *prot_text = import_str(src, c->protected_);
        if (c->protected_ >= 0 && prot_text && prot_text[0] &&
            import_yesno(prot_text, &prot) != ERR_OK)
            return err_set(e, ERR_INPUT, "%s: protected must be yes or no", where);
        struct store_household h = {
            id,         (int)members, needs, consent, import_str(src, c->agency),
            source_key, place_level,  prot};
        if (store_household_insert(st, &h, f->wkb, f->wkb_len, e) != ERR_OK)
            return err_prefix(e, "%s: ", where), e->code;
        return ERR_OK;
    }
    case IMPORT_CANDIDATES: {
        const char *name = import_str(src, c->name);
        if (name == NULL)
            return err_set(e, ERR_INPUT, "%s: the candidate site has no name", where);
        char ext[32];
        const char *id = import_str(src, c->id);
        if (id == NULL) {
            snprintf(ext, sizeof ext, "%ld", f->index);
            id = ext;
        }
        struct store_candidate cand = {id, name, import_str(src, c->kind_hint), source_key};
        if (store_candidate_insert(st, &cand, f->wkb, f->wkb_len, e) != ERR_OK)
            return err_prefix(e, "%s: ", where), e->code;
        return ERR_OK;
    }
    case IMPORT_POPULATION: {
        long pop = 0, hh = -1;
        if (import_long(import_str(src, c->pop), &pop) != ERR_OK)
            return err_set(e, ERR_INPUT, "%s: the population value is not a whole number >= 0",
                           where);
        if (c->hh >= 0 && import_long(import_str(src, c->hh), &hh) != ERR_OK)
            return err_set(e, ERR_INPUT, "%s: the households value is not a whole number >= 0",
                           where);
        struct store_area a = {import_str(src, c->code), import_str(src, c->name), pop, hh,
                               source_key};
        if (store_area_insert(st, &a, f->wkb, f->wkb_len, e) != ERR_OK)
            return err_prefix(e, "%s: ", where), e->code;
        return import_indicators(st, src, store_indicators_last_area(st), source_key, where, e);
    }
    }
    (void)file;
    return err_set(e, ERR_INTERNAL, "unknown import kind");
}

/* Columns of census boundary files that are numbers but no indicator:
 * identifiers and positions (r2ka: HCODE, R2KAxx, R2KAxx_ID, X_CODE,
 * Y_CODE) and the outline's length. */
static int import_indicator_skip(const char *name)
{
    static const char *const skip[] = {"HCODE",  "R2KAxx",    "R2KAxx_ID", "X_CODE",
                                       "Y_CODE", "PERIMETER", "fid",       "id"};
    for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++)
        if (strcasecmp(name, skip[i]) == 0)
            return 1;
    return 0;
}

/* Keeps every numeric column of the current small area (a field the file
 * types as a number) as a named indicator of area `area`; an empty value
 * is no value. ERR_INPUT naming the field for a number out of range. */
static int import_indicators(struct store *st, struct source *src, long area, const char *source,
                             const char *where, struct err *e)
{
    int n = source_field_count(src);
    for (int i = 0; i < n; i++) {
        const char *name = source_field_name(src, i);
        if (!source_field_numeric(src, i) || import_indicator_skip(name) ||
            strlen(name) > STORE_INDICATOR_NAME_MAX)
            continue;
        const char *t = import_str(src, i);
        double v;
        if (t == NULL)
            continue;
        if (num_double(t, NUM_BLANKS, "", -1e15, 1e15, &v, NULL) != ERR_OK)
            return err_set(e, ERR_INPUT, "%s, field %s: the value is not a number within +-1e15",
                           where, name);
        if (store_indicator_set(st, area, name, name, v, source, e) != ERR_OK)
            return e->code;
    }
    return ERR_OK;
}

static int import_validate_opts(const struct import_opts *o, struct err *e)
{
    if (o->kind == IMPORT_DISTRICTS) {
        if (o->level == NULL)
            return err_set(e, ERR_INPUT,
                           "import districts needs --level (elementary, "
                           "junior_high, or a level of your own)");
        if (!vocab_level_ok(o->level))
            return err_set(e, ERR_INPUT,
                           "--level '%.40s' must be 1-32 lowercase letters, digits "
                           "or _",
                           o->level);
        if (o->from_level && o->dissolve_field)
            return err_set(e, ERR_INPUT, "--from-level and --dissolve-field cannot be combined");
    } else if (o->from_level || o->dissolve_field) {
        return err_set(e, ERR_INPUT, "--%s applies to import districts only",
                       o->from_level ? "from-level" : "dissolve-field");
    }
    if (o->kind_value) {
        char k[VOCAB_KEY_MAX + 1];
        if (vocab_kind(o->kind_value, k, sizeof k, e) != ERR_OK)
            return err_prefix(e, "--kind: "), ERR_INPUT;
    }
    if (o->fields_value) {
        int m;
        if (vocab_fields(o->fields_value, &m, e) != ERR_OK)
            return err_prefix(e, "--fields: "), ERR_INPUT;
    }
    if ((o->source_name && !utf8_text_ok(o->source_name)) ||
        (o->level_label && !utf8_text_ok(o->level_label)))
        return err_set(e, ERR_INPUT, "--%s must be UTF-8 text without control characters",
                       o->source_name && !utf8_text_ok(o->source_name) ? "source" : "level-label");
    if (o->src.where && strlen(o->src.where) > IMPORT_WHERE_MAX)
        return err_set(e, ERR_LIMIT, "--where is longer than %d bytes", IMPORT_WHERE_MAX);
    return ERR_OK;
}

int import_run(struct store *st, const struct import_opts *o, struct import_report *rep,
               struct err *e)
{
    memset(rep, 0, sizeof *rep);
    if (import_validate_opts(o, e) != ERR_OK)
        return e->code;
    if (o->kind == IMPORT_NETWORK)
        return import_network(st, o, rep, e);
    if (o->kind == IMPORT_DISTRICTS && o->from_level)
        return import_layers_group(st, o, rep, e);
    if (o->kind < IMPORT_DISTRICTS || o->kind > IMPORT_CANDIDATES)
        return err_set(e, ERR_INPUT, "unknown import kind");

    const char *file = import_base(o->src.path);
    char keybuf[256];
    const char *key = import_key(o, keybuf, sizeof keybuf);
    struct source_opts so = o->src;
    so.points_optional = o->address_field != NULL;
    struct source *src = source_open(&so, e);
    if (src == NULL)
        return e->code;
    struct import_cols cols;
    struct import_xform x = {0};
    struct import_place *place = NULL; /* rows placed from --address-field */
    int by_address =
        o->address_field && (o->kind == IMPORT_RESOURCES || o->kind == IMPORT_HOUSEHOLDS);
    int rc = import_cols_find(src, o, &cols, e);
    if (rc == ERR_OK)
        rc = store_begin(st, e);
    if (rc != ERR_OK) {
        source_close(src);
        return rc;
    }
    int crs_fixed = 0;
    if (by_address && store_srid(st) == 0 && o->crs == NULL) {
        rc = import_place_fix_crs(st, e);
        crs_fixed = rc == ERR_OK;
    }
    if (rc == ERR_OK)
        rc = import_xform_open(st, src, o, &x, rep, e);
    if (crs_fixed)
        rep->srid_new = 1;
    if (rc == ERR_OK && by_address &&
        (place = import_place_open(st, store_srid(st), o->unmatched, o->unmatched_file, e)) == NULL)
        rc = e->code;
    if (rc == ERR_OK && store_srid(st) != 0 && rep->srid_new) {
        /* The CRS probe may have consumed a feature: restart the reader. */
        source_close(src);
        src = source_open(&so, e);
        if (src == NULL)
            rc = e->code;
    }
    if (rc == ERR_OK && o->kind == IMPORT_DISTRICTS)
        rc = store_level_ensure(st, o->level, o->level_label, e);
    if (rc == ERR_OK) {
        switch (o->kind) {
        case IMPORT_DISTRICTS:
            rc = store_districts_delete_source(st, o->level, key, e);
            if (rc == ERR_OK && o->dissolve_field)
                rc = store_layers_start(st, e);
            break;
        case IMPORT_RESOURCES:
            rc = o->merge ? store_register_seen(st, NULL, e)
                          : store_register_replace_begin(st, key, e);
            if (rc == ERR_OK && !o->merge)
                rc = store_resources_delete_source(st, key, e);
            break;
        case IMPORT_HOUSEHOLDS:
            rc = store_households_delete_source(st, key, e);
            break;
        case IMPORT_CANDIDATES:
            rc = store_candidates_delete_source(st, key, e);
            break;
        default:
            rc = store_areas_delete_source(st, key, e);
            if (rc == ERR_OK)
                rc = store_indicators_ready(st, e);
        }
    }
    long total = rc == ERR_OK ? source_count(src) : 0;
    long repaired0 = store_repaired(st);
    while (rc == ERR_OK) {
        struct source_feature f;
        int got = source_next(src, &f, e);
        if (got < 0) {
            rc = e->code;
            break;
        }
        if (got == 0)
            break;
        rep->read++;
        import_progress(o, import_kind_word(o->kind), rep->read, total);
        char where[160];
        if (f.line > 0)
            snprintf(where, sizeof where, "%s line %ld", file, f.line);
        else
            snprintf(where, sizeof where, "%s feature %ld", file, f.index);
        if (!import_muni_match(src, o, &cols)) {
            rep->skipped++;
            continue;
        }
        if (f.wkb_len == 0 && place) {
            const unsigned char *pw;
            size_t pl;
            int got_place = import_place_row(place, import_str(src, cols.addr),
                                             f.line > 0 ? f.line : f.index, where, &pw, &pl, e);
            if (got_place < 0) {
                rc = e->code;
                break;
            }
            if (got_place == 0)
                continue;
            f.wkb = (unsigned char *)pw;
            f.wkb_len = pl;
            rc = import_feature(st, src, o, &cols, &f, key, where, import_place_level(place), rep,
                                e);
            if (rc == ERR_OK) {
                rep->stored++;
                rep->placed++;
            }
            continue;
        }
        struct wkb_info wi;
        if (f.wkb_len == 0) {
            rc = err_set(e, ERR_INPUT, "%s: has no geometry", where);
            break;
        }
        if (wkb_inspect(f.wkb, f.wkb_len, &wi, e) != ERR_OK) {
            err_prefix(e, "%s: ", where);
            rc = e->code;
            break;
        }
        if (!import_geom_ok(o->kind, wi.type) || wi.empty ||
            (wi.type == WKB_MULTIPOINT && wi.parts != 1)) {
            rc = err_set(e, ERR_INPUT, "%s: %s need %s, but this geometry is a %s", where,
                         import_kind_word(o->kind), import_geom_word(o->kind),
                         wi.empty               ? "empty geometry"
                         : wi.type == WKB_POINT ? "point"
                         : wi.type == WKB_LINESTRING || wi.type == WKB_MULTILINESTRING ? "line"
                         : wi.type == WKB_MULTIPOINT ? "multipoint"
                         : wi.type == WKB_COLLECTION ? "geometry collection"
                                                     : "polygon");
            break;
        }
        rc = import_xform_wkb(&x, f.wkb, f.wkb_len, where, e);
        if (rc == ERR_OK)
            rc = import_feature(st, src, o, &cols, &f, key, where, NULL, rep, e);
        if (rc == ERR_OK)
            rep->stored++;
    }
    if (rc == ERR_OK && place)
        rc = import_place_finish(place, file, &rep->unmatched, e);
    import_place_close(place);
    import_progress(o, "", -1, 0);
    if (rc == ERR_OK && rep->stored == 0)
        rc = err_set(e, ERR_INPUT, "%s: no %s to import%s", file, import_kind_word(o->kind),
                     rep->read ? " (every feature was filtered out)" : " (the file is empty)");
    if (rc == ERR_OK && o->dissolve_field &&
        (rc = store_layers_build(st, o->level, key, &rep->groups, e)) != ERR_OK)
        err_prefix(e, "%s: ", file);
    if (rc == ERR_OK && o->merge && o->retire_missing) {
        char who[STORE_REGISTER_WHO_MAX];
        snprintf(who, sizeof who, "import %s --retire-missing", file);
        utf8_sanitize(who, 0);
        rc = store_register_retire_unseen(st, who, &rep->retired, e);
        if (rc == ERR_OK && o->changes && rep->retired)
            fprintf(o->changes, "retired %ld resource(s) the file does not hold\n", rep->retired);
    }
    if (rc == ERR_OK && o->kind == IMPORT_RESOURCES && !o->merge) {
        /* Replace-by-source keeps history as --merge does. */
        char who[STORE_REGISTER_WHO_MAX];
        snprintf(who, sizeof who, "import %s", file);
        utf8_sanitize(who, 0);
        struct store_register_counts c;
        rc = store_register_replace_end(st, key, who, &c, e);
        rep->added = c.added;
        rep->changed = c.changed;
        rep->unchanged = c.unchanged;
        rep->retired = c.retired;
    }
    if (rc == ERR_OK)
        rc = import_attrib_record(st, import_kind_word(o->kind), key, src, 0, e);
    if (rc == ERR_OK)
        rc = store_import_log(st, import_kind_word(o->kind), key, o->src.path, rep->stored, e);
    if (rc == ERR_OK)
        rc = store_commit(st, e);
    else
        store_rollback(st);
    rep->repaired = rc == ERR_OK ? store_repaired(st) - repaired0 : 0;
    import_xform_close(&x);
    source_close(src);
    return rc;
}
