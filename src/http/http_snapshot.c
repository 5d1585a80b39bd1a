/* SPDX-License-Identifier: MIT */
/* http_snapshot.c - the snapshots' documents answered again and compared
 * (see http_snapshot.h). Entry points: http_snapshot_part_name,
 * http_snapshot_docs, http_snapshot_compare, http_snapshot_report. */
#include "http_snapshot.h"

#include "coverage_kinds.h"
#include "disclose.h"
#include "disclose_needs.h"
#include "equipment.h"
#include "equipment_json.h"
#include "http_coverage_kinds.h"
#include "needs.h"
#include "needs_json.h"
#include "store_snapshots.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define HTTP_SNAPSHOT_PATH_MAX 160 /* bytes of a figure's path ("by_kind.salon.households") */

static const char *const HTTP_SNAPSHOT_PARTS[] = {"coverage", "needs", "equipment"};

const char *http_snapshot_part_name(int part)
{
    return part >= 0 && part < HTTP_SNAPSHOT_NPARTS ? HTTP_SNAPSHOT_PARTS[part] : "";
}

int http_snapshot_docs(struct store *st, const struct walk_net *net, struct walk_session *ws,
                       const struct http_snapshot_params *sp, unsigned mask,
                       json_t *doc[HTTP_SNAPSHOT_NPARTS], unsigned long long *version,
                       struct err *e)
{
    doc[0] = doc[1] = doc[2] = NULL;
    int rc = store_tiles_version(st, version, e);
    if (rc == ERR_OK && (mask & 1u << HTTP_SNAPSHOT_COVERAGE)) {
        struct coverage_text t = {0};
        t.minutes = sp->minutes;
        t.kind = sp->kinds;
        t.level = sp->level;
        rc = http_coverage_kinds_doc(st, net, ws, &t, "--", 1, &doc[HTTP_SNAPSHOT_COVERAGE], e);
    }
    if (rc == ERR_OK && (mask & 1u << HTTP_SNAPSHOT_NEEDS)) {
        struct needs_text t = {sp->level, sp->need, sp->per};
        struct needs_params p;
        struct needs_result *r = NULL;
        struct needs_view v = {0};
        rc = needs_params_parse(&t, "--", &p, e);
        if (rc == ERR_OK)
            rc = disclose_needs_answer(st, net, ws, &p, DISCLOSE_K, &r, &v, e);
        if (rc == ERR_OK && (doc[HTTP_SNAPSHOT_NEEDS] = needs_json(r, &v)) == NULL)
            rc = err_nomem(e);
        needs_view_free(&v);
        needs_result_free(r);
    }
    if (rc == ERR_OK && (mask & 1u << HTTP_SNAPSHOT_EQUIPMENT)) {
        struct equipment_text t = {sp->level, sp->kinds, sp->minutes};
        struct equipment_params p;
        struct equipment_result *r = NULL;
        rc = equipment_params_parse(&t, "--", &p, e);
        if (rc == ERR_OK)
            rc = equipment_run(st, net, ws, &p, &r, e);
        if (rc == ERR_OK && (doc[HTTP_SNAPSHOT_EQUIPMENT] = equipment_json(r)) == NULL)
            rc = err_nomem(e);
        equipment_result_free(r);
    }
    if (rc != ERR_OK)
        for (int i = 0; i < HTTP_SNAPSHOT_NPARTS; i++) {
            json_decref(doc[i]);
            doc[i] = NULL;
        }
    return rc;
}

/* A copy of what a compare needs from the stored snapshot. */
struct http_snapshot_then {
    int part;
    json_t *params, *doc;
    char taken_at[32];
    unsigned long long version;
};

static int http_snapshot_then(void *ctx, const struct store_snapshot *s)
{
    struct http_snapshot_then *t = ctx;
    const char *docs[] = {s->coverage, s->needs, s->equipment};
    t->params = json_loads(s->params, 0, NULL);
    t->doc = docs[t->part] ? json_loads(docs[t->part], 0, NULL) : NULL;
    snprintf(t->taken_at, sizeof t->taken_at, "%s", s->taken_at);
    t->version = s->data_version;
    return ERR_OK;
}

/* Reads the snapshot `label` (part `part`) into *t (http_snapshot_then_clear). */
static int http_snapshot_read(struct store *st, const char *label, int part,
                              struct http_snapshot_then *t, struct err *e)
{
    memset(t, 0, sizeof *t);
    t->part = part;
    int rc = store_snapshot_get(st, label, http_snapshot_then, t, e);
    if (rc == ERR_OK && (t->params == NULL || t->doc == NULL))
        rc = err_set(e, ERR_IO, "the snapshot '%.64s' cannot be read", label);
    return rc;
}

static void http_snapshot_then_clear(struct http_snapshot_then *t)
{
    json_decref(t->params);
    json_decref(t->doc);
    memset(t, 0, sizeof *t);
}

/* The snapshot's parameters (borrowed from t->params). */
static struct http_snapshot_params http_snapshot_params_of(const struct http_snapshot_then *t)
{
    struct http_snapshot_params sp = {json_string_value(json_object_get(t->params, "level")),
                                      json_string_value(json_object_get(t->params, "kind")),
                                      json_string_value(json_object_get(t->params, "minutes")),
                                      json_string_value(json_object_get(t->params, "need")),
                                      json_string_value(json_object_get(t->params, "per"))};
    return sp;
}

/* Adds to `changes` every number under `now` (an object, path prefix
 * `path`) with the figure at the same path under `then`: {"then", "now",
 * "change"}, change null unless both are numbers. */
static int http_snapshot_diff(const json_t *then, const json_t *now, const char *path,
                              json_t *changes)
{
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)now, key, v)
    {
        char p[HTTP_SNAPSHOT_PATH_MAX];
        snprintf(p, sizeof p, "%s%s%s", path, path[0] ? "." : "", key);
        const json_t *w = json_object_get(then, key);
        if (json_is_object(v)) {
            if (http_snapshot_diff(w, v, p, changes) != ERR_OK)
                return ERR_NOMEM;
            continue;
        }
        if (!json_is_number(v) && !json_is_number(w) && !json_is_string(v))
            continue; /* texts, flags and lists are no figures */
        if (strcmp(key, "code") == 0 || strcmp(key, "name") == 0)
            continue;
        json_t *ch = json_is_number(v) && json_is_number(w)
                         ? json_real(json_number_value(v) - json_number_value(w))
                         : json_null();
        json_t *o = json_pack("{s:O?, s:O?, s:o}", "then", w, "now", v, "change", ch);
        if (o == NULL || json_object_set_new(changes, p, o) != 0)
            return ERR_NOMEM;
    }
    return ERR_OK;
}

/* The row of `rows` with code `code` (json null for "(no district)"). */
static const json_t *http_snapshot_row(const json_t *rows, const json_t *code)
{
    size_t i;
    const json_t *r;
    json_array_foreach(rows, i, r) if (json_equal(json_object_get(r, "code"), code)) return r;
    return NULL;
}

/* The compare document of then (read) against now (answered again). */
static int http_snapshot_changes(const char *label, const struct http_snapshot_then *then,
                                 const json_t *now, unsigned long long version, json_t **out,
                                 struct err *e)
{
    json_t *rows = json_array();
    char v0[24], v1[24];
    snprintf(v0, sizeof v0, "%016llx", then->version);
    snprintf(v1, sizeof v1, "%016llx", version);
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:O, s:o}", "label", label, "part",
                          http_snapshot_part_name(then->part), "taken_at", then->taken_at,
                          "data_version_then", v0, "data_version_now", v1, "params", then->params,
                          "districts", rows);
    int rc = o ? ERR_OK : err_nomem(e);
    size_t i;
    const json_t *r;
    json_array_foreach(json_object_get(now, "districts"), i, r)
    {
        if (rc != ERR_OK)
            break;
        const json_t *code = json_object_get(r, "code");
        json_t *ch = json_object();
        json_t *row = json_pack("{s:O, s:O, s:o}", "code", code, "name", json_object_get(r, "name"),
                                "changes", ch);
        if (row == NULL ||
            http_snapshot_diff(http_snapshot_row(json_object_get(then->doc, "districts"), code), r,
                               "", ch) != ERR_OK ||
            json_array_append_new(rows, row) != 0)
            rc = err_nomem(e);
    }
    json_t *tch = json_object();
    if (rc == ERR_OK && (json_object_set_new(o, "total", json_pack("{s:o}", "changes", tch)) != 0 ||
                         http_snapshot_diff(json_object_get(then->doc, "total"),
                                            json_object_get(now, "total"), "", tch) != ERR_OK))
        rc = err_nomem(e);
    if (rc != ERR_OK) {
        json_decref(o);
        o = NULL;
    }
    *out = o;
    return rc;
}

int http_snapshot_compare(struct store *st, const struct walk_net *net, struct walk_session *ws,
                          const char *label, int part, json_t **out, struct err *e)
{
    *out = NULL;
    struct http_snapshot_then then;
    json_t *doc[HTTP_SNAPSHOT_NPARTS] = {NULL, NULL, NULL};
    unsigned long long version = 0;
    int rc = http_snapshot_read(st, label, part, &then, e);
    if (rc == ERR_OK) {
        struct http_snapshot_params sp = http_snapshot_params_of(&then);
        rc = http_snapshot_docs(st, net, ws, &sp, 1u << part, doc, &version, e);
    }
    if (rc == ERR_OK)
        rc = http_snapshot_changes(label, &then, doc[part], version, out, e);
    for (int i = 0; i < HTTP_SNAPSHOT_NPARTS; i++)
        json_decref(doc[i]);
    http_snapshot_then_clear(&then);
    return rc;
}

/* A walk's speed in m/min (0 is the default speed). */
static double http_snapshot_speed(double speed)
{
    return speed > 0 ? speed : WALK_DEFAULT_SPEED;
}

/* Whether the snapshot's parameters sp match the report's p (see
 * http_snapshot_report); ERR_INPUT naming both otherwise. */
static int http_snapshot_matches(const char *label, const struct http_snapshot_params *sp,
                                 const struct report_params *p, struct err *e)
{
    struct coverage_kinds k;
    struct err ignore = {0};
    int ok = sp->level && sp->kinds && p->cov.level && strcmp(sp->level, p->cov.level) == 0 &&
             coverage_kinds_parse(sp->kinds, "kind", &k, &ignore) == ERR_OK;
    int kind = 0;
    for (size_t i = 0; ok && i < k.n; i++)
        kind |= p->cov.walk.kind && strcmp(k.kind[i], p->cov.walk.kind) == 0;
    struct coverage_text t = {0};
    t.minutes = sp->minutes;
    t.kind = p->cov.walk.kind;
    t.level = sp->level;
    struct coverage_params then;
    ok = ok && kind && coverage_params_parse(&t, "", &then, &ignore) == ERR_OK &&
         fabs(then.walk.minutes - p->cov.walk.minutes) < 1e-9 &&
         fabs(http_snapshot_speed(then.walk.speed) - http_snapshot_speed(p->cov.walk.speed)) <
             1e-9 &&
         p->cov.walk.field_mask == 0;
    if (ok)
        return ERR_OK;
    return err_set(
        e, ERR_INPUT,
        "the snapshot '%.64s' was taken for level %s, kinds %s and %s minutes at the "
        "usual speed (%g m/min) without a field; a report compared with it must ask the same "
        "level, one of those kinds, the same minutes and speed and no field",
        label, sp->level ? sp->level : "-", sp->kinds ? sp->kinds : "-",
        sp->minutes ? sp->minutes : "the default", WALK_DEFAULT_SPEED);
}

int http_snapshot_report(struct store *st, const struct walk_net *net, struct walk_session *ws,
                         const char *label, const struct report_params *p,
                         json_t *out[HTTP_SNAPSHOT_NPARTS], struct err *e)
{
    out[0] = out[1] = out[2] = NULL;
    struct http_snapshot_then then;
    int rc = http_snapshot_read(st, label, HTTP_SNAPSHOT_COVERAGE, &then, e);
    if (rc == ERR_OK) {
        struct http_snapshot_params sp = http_snapshot_params_of(&then);
        rc = http_snapshot_matches(label, &sp, p, e);
    }
    http_snapshot_then_clear(&then);
    int want[HTTP_SNAPSHOT_NPARTS] = {1, p->needs, p->equipment};
    for (int i = 0; rc == ERR_OK && i < HTTP_SNAPSHOT_NPARTS; i++)
        if (want[i])
            rc = http_snapshot_compare(st, net, ws, label, i, &out[i], e);
    if (rc != ERR_OK)
        for (int i = 0; i < HTTP_SNAPSHOT_NPARTS; i++) {
            json_decref(out[i]);
            out[i] = NULL;
        }
    return rc;
}
