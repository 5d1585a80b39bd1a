/* SPDX-License-Identifier: MIT */
/* equipment_json.c - implements equipment_json.h. Entry points:
 * equipment_json, equipment_csv, equipment_text. */
#include "equipment_json.h"

#include "escape.h"
#include "walk_json.h"

#include <math.h>
#include <string.h>

/* Resources per 1,000 residents, NAN without residents. */
static double equipment_per1000(const struct equipment_row *x, size_t k)
{
    return x->residents > 0 ? 1000.0 * (double)x->count[k] / (double)x->residents : NAN;
}

static json_t *equipment_num(double v, int digits)
{
    return isfinite(v) ? json_real(walk_json_round(v, digits)) : json_null();
}

static json_t *equipment_json_row(const struct equipment_result *r, const struct equipment_row *x)
{
    json_t *o = json_object(), *n = json_object(), *per = json_object(), *none = json_array(),
           *within = json_object();
    int bad = o == NULL || n == NULL || per == NULL || none == NULL || within == NULL;
    bad |= json_object_set_new(o, "code", x->code ? json_string(x->code) : json_null());
    bad |= json_object_set_new(o, "name", json_string(x->name ? x->name : ""));
    bad |= json_object_set_new(o, "residents",
                               r->have_areas ? json_integer(x->residents) : json_null());
    for (size_t k = 0; k < r->nkinds && !bad; k++) {
        bad |= json_object_set_new(n, r->kinds[k], json_integer(x->count[k]));
        bad |= json_object_set_new(per, r->kinds[k], equipment_num(equipment_per1000(x, k), 3));
        if (x->count[k] == 0)
            bad |= json_array_append_new(none, json_string(r->kinds[k]));
        if (r->minutes > 0)
            bad |= json_object_set_new(within, r->kinds[k], equipment_num(x->reach[k], 2));
    }
    bad |= json_object_set_new(o, "resources", n);
    bad |= json_object_set_new(o, "per_1000", per);
    bad |= json_object_set_new(o, "none", none);
    bad |= json_object_set_new(o, "within", within);
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *equipment_json(const struct equipment_result *r)
{
    json_t *doc = json_object(), *kinds = json_array(), *rows = json_array();
    int bad = doc == NULL || kinds == NULL || rows == NULL;
    for (size_t k = 0; k < r->nkinds && !bad; k++)
        bad |= json_array_append_new(kinds, json_string(r->kinds[k]));
    for (size_t i = 0; i < r->nrows && !bad; i++) {
        json_t *row = equipment_json_row(r, &r->rows[i]);
        bad |= row == NULL || json_array_append_new(rows, row);
    }
    json_t *total = bad ? NULL : equipment_json_row(r, &r->total);
    bad |= json_object_set_new(doc, "level", json_string(r->level));
    bad |= json_object_set_new(doc, "kinds", kinds);
    bad |=
        json_object_set_new(doc, "minutes", r->minutes > 0 ? json_real(r->minutes) : json_null());
    bad |= json_object_set_new(doc, "speed_m_per_min",
                               r->minutes > 0 ? json_real(r->speed) : json_null());
    bad |= json_object_set_new(doc, "districts", rows);
    bad |= total == NULL || json_object_set_new(doc, "total", total);
    if (bad) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

int equipment_csv(FILE *out, const struct equipment_result *r)
{
    fputs("code,name,residents", out);
    for (size_t k = 0; k < r->nkinds; k++) {
        fprintf(out, ",n_%s,per1000_%s", r->kinds[k], r->kinds[k]);
        if (r->minutes > 0)
            fprintf(out, ",within_%s", r->kinds[k]);
    }
    fputc('\n', out);
    for (size_t i = 0; i <= r->nrows; i++) {
        const struct equipment_row *x = i < r->nrows ? &r->rows[i] : &r->total;
        escape_csv(out, x->code);
        fputc(',', out);
        escape_csv(out, x->name);
        if (r->have_areas)
            fprintf(out, ",%ld", x->residents);
        else
            fputc(',', out);
        for (size_t k = 0; k < r->nkinds; k++) {
            double p = equipment_per1000(x, k);
            fprintf(out, ",%ld,", x->count[k]);
            if (isfinite(p))
                fprintf(out, "%.3f", p);
            if (r->minutes > 0) {
                fputc(',', out);
                if (isfinite(x->reach[k]))
                    fprintf(out, "%.2f", x->reach[k]);
            }
        }
        fputc('\n', out);
    }
    return ferror(out) ? ERR_IO : ERR_OK;
}

void equipment_text(FILE *out, const struct equipment_result *r)
{
    char name[ESCAPE_TEXT_MAX];
    fprintf(out, "Equipment by district level %s: resources per kind (n, per 1,000 residents",
            escape_text(name, sizeof name, r->level));
    if (r->minutes > 0)
        fprintf(out, ", mean number within %g min at %g m/min of the residents", r->minutes,
                r->speed);
    fputs(")\n", out);
    fprintf(out, "  %-14s %9s", "code", "residents");
    for (size_t k = 0; k < r->nkinds; k++)
        fprintf(out, " | %s", r->kinds[k]);
    fputs("  district\n", out);
    for (size_t i = 0; i <= r->nrows; i++) {
        const struct equipment_row *x = i < r->nrows ? &r->rows[i] : &r->total;
        char res[24] = "-";
        if (r->have_areas)
            snprintf(res, sizeof res, "%ld", x->residents);
        fprintf(out, "  %-14s %9s", escape_text(name, sizeof name, x->code), res);
        for (size_t k = 0; k < r->nkinds; k++) {
            double p = equipment_per1000(x, k);
            fprintf(out, " | %3ld", x->count[k]);
            if (isfinite(p))
                fprintf(out, " %5.2f", p);
            else
                fputs("     -", out);
            if (r->minutes > 0) {
                if (isfinite(x->reach[k]))
                    fprintf(out, " %5.1f", x->reach[k]);
                else
                    fputs("     -", out);
            }
        }
        fprintf(out, "  %s\n", escape_text(name, sizeof name, x->name));
    }
    for (size_t k = 0; k < r->nkinds; k++) {
        size_t none = 0;
        for (size_t i = 0; i < r->nrows; i++)
            none += r->rows[i].count[k] == 0 && r->rows[i].code != NULL;
        fprintf(out, "none of %s: %zu district(s)", r->kinds[k], none);
        for (size_t i = 0; i < r->nrows; i++)
            if (r->rows[i].count[k] == 0 && r->rows[i].code != NULL)
                fprintf(out, " %s", escape_text(name, sizeof name, r->rows[i].code));
        fputc('\n', out);
    }
}
