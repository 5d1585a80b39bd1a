/* SPDX-License-Identifier: MIT */
/* report_sections.c - the tables of a report (see report_sections.h): the
 * district coverage table, the equipment and needs tables (each with the
 * change since a snapshot when asked) and a district's own key figures.
 * Entry points:
 * report_sections, report_sections_district, report_sections_figure. */
#include "report_sections.h"

#include "vocab.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define REPORT_HIDDEN "–"            /* a figure not shown */
#define REPORT_NEEDS_HIDDEN "非表示" /* a needs figure not shown, as the page writes it */

void report_sections_figure(char *buf, size_t n, long v, int state)
{
    if (state == DISCLOSE_PRIMARY)
        snprintf(buf, n, "<%d", DISCLOSE_K);
    else if (state != DISCLOSE_SHOWN)
        snprintf(buf, n, "%s", REPORT_HIDDEN);
    else
        snprintf(buf, n, "%ld", v);
}

/* Minutes of a walk as the table shows them ("unreachable" for infinity). */
static void report_sections_minutes(char *buf, size_t n, double metres, double speed, int hidden)
{
    if (hidden || isnan(metres))
        snprintf(buf, n, "%s", REPORT_HIDDEN);
    else if (isinf(metres))
        snprintf(buf, n, "到達不可");
    else
        snprintf(buf, n, "%.1f", metres / speed);
}

/* The row of district `code` (NULL: the row outside every district) in a
 * comparison (http_snapshot_compare's form), or its total; NULL when absent. */
static const json_t *report_sections_then(const json_t *cmp, const char *code, int total)
{
    if (total)
        return json_object_get(cmp, "total");
    size_t i;
    const json_t *r;
    json_array_foreach(json_object_get(cmp, "districts"), i, r)
    {
        const json_t *c = json_object_get(r, "code");
        if ((code == NULL && json_is_null(c)) ||
            (code && json_is_string(c) && strcmp(json_string_value(c), code) == 0))
            return r;
    }
    return NULL;
}

/* The change of figure `path` of a row since the snapshot: "+3", "±0", with
 * `pt` a share in points ("+2.5pt"); `hidden` when the figure is hidden
 * then or now (the comparison's change is null or absent: never worked out
 * here from anything else), "記録なし" for a row the snapshot lacks. */
static void report_sections_change(char *buf, size_t n, const json_t *cmp, const char *code,
                                   int total, const char *path, int pt, const char *hidden)
{
    const json_t *row = report_sections_then(cmp, code, total);
    const json_t *ch =
        json_object_get(json_object_get(json_object_get(row, "changes"), path), "change");
    if (row == NULL)
        snprintf(buf, n, "記録なし");
    else if (!json_is_number(ch))
        snprintf(buf, n, "%s", hidden);
    else if (pt && fabs(100 * json_number_value(ch)) < 0.05)
        snprintf(buf, n, "±0pt");
    else if (pt)
        snprintf(buf, n, "%+.1fpt", 100 * json_number_value(ch));
    else if (fabs(json_number_value(ch)) < 0.005)
        snprintf(buf, n, "±0");
    else if (fabs(json_number_value(ch) - round(json_number_value(ch))) < 0.005)
        snprintf(buf, n, "%+.0f", json_number_value(ch));
    else
        snprintf(buf, n, "%+.2f", json_number_value(ch));
}

/* The sentence under a table with a change column. */
static void report_sections_since(const json_t *cmp, struct report_table *t, const char *hidden)
{
    size_t used = strlen(t->note);
    const char *label = json_string_value(json_object_get(cmp, "label"));
    snprintf(t->note + used, sizeof t->note - used,
             "変化 = スナップショット「%s」からの増減（その時点と今の両方で示せる数の差。"
             "どちらかで出せない数は%s）。",
             label ? label : "", hidden);
}

/* The cells of one district (i) or the total (COVERAGE_NONE) from column 2
 * on: households, covered, share, off network, median, worst, residents,
 * residents covered. */
static void report_sections_cells(const struct report_data *d, size_t i, char cell[8][64])
{
    const struct coverage_district *c = i == COVERAGE_NONE ? &d->cov->total : &d->cov->districts[i];
    struct disclose_row s = report_data_hidden(d, i);
    double share = report_data_share(d, i);
    report_sections_figure(cell[0], 64, c->households, s.households);
    report_sections_figure(cell[1], 64, c->households_covered, s.covered);
    if (share >= 0)
        snprintf(cell[2], 64, "%.1f%%", 100 * share);
    else
        snprintf(cell[2], 64, "%s", REPORT_HIDDEN);
    report_sections_figure(cell[3], 64, c->households_off_network, s.off_network);
    report_sections_minutes(cell[4], 64, c->median_m, d->cov->speed, s.households != 0);
    report_sections_minutes(cell[5], 64, c->max_m, d->cov->speed, s.households != 0);
    snprintf(cell[6], 64, "%ld", c->residents);
    snprintf(cell[7], 64, "%ld", c->residents_covered);
}

/* The note under a table with hidden figures. */
static void report_sections_note(const struct report_data *d, struct report_table *t)
{
    snprintf(t->note, sizeof t->note,
             "世帯 = 登録された支援対象の世帯。道路外 = 道路から離れすぎていてカバーに数えない"
             "世帯。中央値・最遠 = 最寄りの資源までの徒歩分。%s",
             d->suppress ? "<5：5世帯未満の数は出しません。–：そこから差し引きで分かってしまう数も"
                           "出しません（not shown。個人が特定されないように）。"
                         : "全件表示（ローカル操作者向け。配布しないでください）。");
}

static int report_sections_coverage(const struct report_data *d, size_t part,
                                    struct report_table **out, struct err *e)
{
    *out = NULL;
    if (part > 0)
        return ERR_OK;
    const struct coverage_result *r = d->cov;
    const json_t *cmp = d->compare[0];
    size_t nfig = r->have_areas ? 10 : 8, ncols = nfig + (cmp != NULL);
    struct report_table *t = report_table_new(ncols, r->ndistricts + 1, e);
    if (t == NULL)
        return e->code;
    snprintf(t->title, sizeof t->title, "区域別のカバー率（%s、徒歩 %g 分）", r->level, r->minutes);
    static const char *const head[] = {"コード", "区域",   "世帯", "カバー", "割合",
                                       "道路外", "中央値", "最遠", "人口",   "うちカバー"};
    static const double w10[] = {.08, .24, .08, .08, .08, .07, .08, .08, .10, .11};
    static const double w8[] = {.10, .30, .09, .09, .09, .09, .12, .12};
    size_t code_len = 0; /* long codes (e.g. 国土数値情報's 13 digits) widen their column */
    for (size_t i = 0; i < r->ndistricts; i++)
        if (r->districts[i].code && strlen(r->districts[i].code) > code_len)
            code_len = strlen(r->districts[i].code);
    double wide = code_len > 6 ? 0.08 : 0;
    for (size_t c = 0; c < ncols; c++) {
        double scale = cmp ? 0.91 : 1; /* room for the change column */
        t->head[c] = c < nfig ? head[c] : "変化";
        t->width[c] = c < nfig ? scale * ((r->have_areas ? w10[c] : w8[c]) + (c == 0   ? wide
                                                                              : c == 1 ? -wide
                                                                                       : 0))
                               : 0.09;
        t->right[c] = c >= 2;
    }
    char path[128];
    snprintf(path, sizeof path, "by_kind.%s.share_covered", r->kind ? r->kind : "");
    char cell[8][64];
    for (size_t i = 0; i <= r->ndistricts; i++) {
        size_t di = i < r->ndistricts ? i : COVERAGE_NONE;
        const struct coverage_district *c = di == COVERAGE_NONE ? &r->total : &r->districts[di];
        report_sections_cells(d, di, cell);
        report_table_set(t, i, 0, c->code ? c->code : "");
        report_table_set(t, i, 1, di == COVERAGE_NONE ? "全体" : c->code ? c->name : "(区域外)");
        for (size_t k = 0; k + 2 < nfig; k++)
            report_table_set(t, i, k + 2, cell[k]);
        if (cmp) {
            char ch[64];
            report_sections_change(ch, sizeof ch, cmp, c->code, di == COVERAGE_NONE, path, 1,
                                   REPORT_HIDDEN);
            report_table_set(t, i, nfig, ch);
        }
        t->strong[i] = di == COVERAGE_NONE;
    }
    report_sections_note(d, t);
    if (cmp)
        report_sections_since(cmp, t, "「" REPORT_HIDDEN "」");
    *out = t;
    return ERR_OK;
}

int report_sections_district(const struct report_data *d, size_t i, struct report_table **out,
                             struct err *e)
{
    static const char *const label[] = {"世帯",
                                        "うち徒歩圏内（カバー）",
                                        "カバー率",
                                        "うち道路外",
                                        "最寄りまでの中央値（分）",
                                        "最寄りまでの最遠（分）",
                                        "人口（国勢調査）",
                                        "うち徒歩圏内"};
    size_t nrows = d->cov->have_areas ? 8 : 6;
    struct report_table *t = report_table_new(2, nrows, e);
    if (t == NULL)
        return e->code;
    snprintf(t->title, sizeof t->title, "主な数字");
    t->head[0] = "項目";
    t->head[1] = "値";
    t->width[0] = 0.6;
    t->width[1] = 0.4;
    t->right[1] = 1;
    char cell[8][64];
    report_sections_cells(d, i, cell);
    for (size_t k = 0; k < nrows; k++) {
        report_table_set(t, k, 0, label[k]);
        report_table_set(t, k, 1, cell[k]);
    }
    report_sections_note(d, t);
    *out = t;
    return ERR_OK;
}

/* Row i's change cell of the equipment table: the kinds whose count
 * changed since the snapshot ("サロン +1、子ども食堂 -1"), "±0" when none
 * did; resources are public, so nothing is hidden. */
static void report_sections_equipment_change(struct report_table *t, size_t i, const json_t *cmp,
                                             const char *code, int total,
                                             const struct equipment_result *q)
{
    char cell[REPORT_TABLE_CELL] = "", ch[64], path[128];
    size_t used = 0;
    if (report_sections_then(cmp, code, total) == NULL) {
        report_table_set(t, i, t->ncols - 1, "記録なし");
        return;
    }
    for (size_t k = 0; k < q->nkinds; k++) {
        snprintf(path, sizeof path, "resources.%s", q->kinds[k]);
        report_sections_change(ch, sizeof ch, cmp, code, total, path, 0, "");
        if (ch[0] == '\0' || strcmp(ch, "±0") == 0)
            continue;
        const char *label = vocab_kind_label(q->kinds[k]);
        if (used + strlen(label) + strlen(ch) + 5 < sizeof cell)
            used += (size_t)snprintf(cell + used, sizeof cell - used, "%s%s %s", used ? "、" : "",
                                     label, ch);
    }
    report_table_set(t, i, t->ncols - 1, used ? cell : "±0");
}

/* Resources of each kind per district (equipment.h), with residents and
 * the kinds a district has none of, when the report asks for it. Counts
 * of resources are public: nothing is hidden. */
static int report_sections_equipment(const struct report_data *d, size_t part,
                                     struct report_table **out, struct err *e)
{
    *out = NULL;
    if (part > 0)
        return ERR_OK;
    const struct equipment_result *q = d->eq;
    if (q == NULL)
        return ERR_OK;
    const json_t *cmp = d->compare[2];
    size_t room = REPORT_TABLE_COLS - 4 - (cmp != NULL);
    size_t nk = q->nkinds < room ? q->nkinds : room;
    size_t ncols = 4 + nk + (cmp != NULL);
    struct report_table *t = report_table_new(ncols, q->nrows + 1, e);
    if (t == NULL)
        return e->code;
    snprintf(t->title, sizeof t->title, "区域別の資源（%s、種類ごとの数）", q->level);
    t->head[0] = "コード";
    t->head[1] = "区域";
    t->head[2] = "人口";
    for (size_t k = 0; k < nk; k++)
        t->head[3 + k] = vocab_kind_label(q->kinds[k]);
    t->head[3 + nk] = "なし";
    double chw = cmp ? 0.12 : 0; /* the change column, its room taken from the names */
    double rest = 1.0 - 0.10 - (0.22 - chw / 4) - 0.09 - (0.17 - chw / 6) - chw;
    t->width[0] = 0.10;
    t->width[1] = 0.22 - chw / 4;
    t->width[2] = 0.09;
    for (size_t k = 0; k < nk; k++)
        t->width[3 + k] = rest / (double)(nk ? nk : 1);
    t->width[3 + nk] = 0.17 - chw / 6 + (nk ? 0 : rest);
    if (cmp) {
        t->head[4 + nk] = "変化";
        t->width[4 + nk] = chw;
    }
    for (size_t c = 2; c < 3 + nk; c++)
        t->right[c] = 1;
    char cell[REPORT_TABLE_CELL];
    for (size_t i = 0; i <= q->nrows; i++) {
        const struct equipment_row *r = i < q->nrows ? &q->rows[i] : &q->total;
        report_table_set(t, i, 0, r->code ? r->code : "");
        report_table_set(t, i, 1, i == q->nrows ? "全体" : r->name ? r->name : "(区域外)");
        snprintf(cell, sizeof cell, "%ld", r->residents);
        report_table_set(t, i, 2, q->have_areas ? cell : "");
        size_t used = 0;
        char none[REPORT_TABLE_CELL] = "";
        for (size_t k = 0; k < q->nkinds; k++) {
            if (k < nk) {
                snprintf(cell, sizeof cell, "%ld", r->count[k]);
                report_table_set(t, i, 3 + k, cell);
            }
            const char *label = vocab_kind_label(q->kinds[k]);
            /* "、" is 3 bytes; a name that would not fit in the cell is left out. */
            if (r->count[k] == 0 && i < q->nrows && used + strlen(label) + 4 < sizeof none)
                used += (size_t)snprintf(none + used, sizeof none - used, "%s%s", used ? "、" : "",
                                         label);
        }
        report_table_set(t, i, 3 + nk, none);
        if (cmp)
            report_sections_equipment_change(t, i, cmp, r->code, i == q->nrows, q);
        t->strong[i] = i == q->nrows;
    }
    if (cmp)
        report_sections_since(cmp, t, "示しません");
    *out = t;
    return ERR_OK;
}

/* A needs figure as the needs answer shows it (needs_json.h): the number,
 * "<5", or 非表示 for null (a figure hidden so that a small count cannot be
 * worked out); `digits` for a real. */
static void report_sections_json(char *buf, size_t n, const json_t *v, int digits)
{
    if (json_is_integer(v))
        snprintf(buf, n, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v) && digits == 0 &&
             fabs(json_real_value(v) - round(json_real_value(v))) < 0.005)
        snprintf(buf, n, "%.0f", json_real_value(v));
    else if (json_is_real(v))
        snprintf(buf, n, "%.*f", digits ? digits : 2, json_real_value(v));
    else if (json_is_string(v))
        snprintf(buf, n, "%s", json_string_value(v));
    else if (json_is_true(v))
        snprintf(buf, n, "はい");
    else if (json_is_false(v))
        snprintf(buf, n, "いいえ");
    else
        snprintf(buf, n, "%s", REPORT_NEEDS_HIDDEN);
}

/* The needs table (needs.h), when asked: per district the known households
 * and, with a need, those with it; with an indicator too, its sum, the rate
 * per 1,000 and the under-identified flag. Every figure is the document's
 * (d->needs: for an official exactly the answer of GET /api/needs, its
 * hidden figures as they are there), never computed again here. */
static int report_sections_needs(const struct report_data *d, size_t part,
                                 struct report_table **out, struct err *e)
{
    const json_t *doc = d->needs, *cmp = d->compare[1];
    *out = NULL;
    if (doc == NULL)
        return ERR_OK;
    const json_t *rows = json_object_get(doc, "districts");
    const char *need = json_string_value(json_object_get(doc, "need"));
    const char *per = json_string_value(json_object_get(doc, "per"));
    const json_t *tags = json_object_get(doc, "tags");
    /* Without a need, a column per tag: as many tables as the tags need,
     * each with the districts and households again. */
    size_t alltags = need ? 0 : json_array_size(tags);
    size_t room = REPORT_TABLE_COLS - 3 - (cmp != NULL), first = part * room;
    if (part > 0 && first >= alltags)
        return ERR_OK;
    size_t ntags = alltags - first < room ? alltags - first : room;
    /* Columns: code, name, [indicator], households, [need | tags...],
     * [rate, flag], [change]. */
    size_t ncols = 3 + (per ? 1 : 0) + (need ? 1 : ntags) + (per ? 2 : 0) + (cmp != NULL);
    size_t n = json_array_size(rows);
    struct report_table *t = report_table_new(ncols, n + 1, e);
    if (t == NULL)
        return e->code;
    snprintf(t->title, sizeof t->title, "区域別の把握状況（%s%s%s%s%s）",
             json_string_value(json_object_get(doc, "level")), need ? "、" : "", need ? need : "",
             per ? " / " : "", per ? per : "");
    size_t c = 0;
    t->head[c++] = "コード";
    t->head[c++] = "区域";
    if (per)
        t->head[c++] = per;
    t->head[c++] = "世帯";
    if (need)
        t->head[c++] = need;
    for (size_t j = 0; j < ntags; j++)
        t->head[c++] = json_string_value(json_array_get(tags, first + j));
    if (per) {
        t->head[c++] = "1,000あたり";
        t->head[c++] = "把握不足";
    }
    if (cmp)
        t->head[c++] = "変化";
    double fixed = 0.10 + 0.24;
    for (size_t k = 0; k < ncols; k++) {
        t->width[k] = k == 0 ? 0.10 : k == 1 ? 0.24 : (1 - fixed) / (double)(ncols - 2);
        t->right[k] = k >= 2;
    }
    char cell[REPORT_TABLE_CELL], path[128];
    snprintf(path, sizeof path, "%s%s", need ? "needs." : "households", need ? need : "");
    for (size_t i = 0; i <= n; i++) {
        const json_t *r = i < n ? json_array_get(rows, i) : json_object_get(doc, "total");
        const char *code = json_string_value(json_object_get(r, "code"));
        const json_t *tagv = json_object_get(r, "needs");
        report_table_set(t, i, 0, code ? code : "");
        report_table_set(t, i, 1,
                         i == n ? "全体"
                         : code ? json_string_value(json_object_get(r, "name"))
                                : "(区域外)");
        c = 2;
        if (per) {
            const json_t *v = json_object_get(json_object_get(r, "indicators"), per);
            if (v == NULL || json_is_null(v))
                snprintf(cell, sizeof cell, "不明");
            else
                report_sections_json(cell, sizeof cell, v, 0);
            report_table_set(t, i, c++, cell);
        }
        report_sections_json(cell, sizeof cell, json_object_get(r, "households"), 0);
        report_table_set(t, i, c++, cell);
        if (need) {
            report_sections_json(cell, sizeof cell, json_object_get(tagv, need), 0);
            report_table_set(t, i, c++, cell);
        }
        for (size_t j = 0; j < ntags; j++) {
            report_sections_json(
                cell, sizeof cell,
                json_object_get(tagv, json_string_value(json_array_get(tags, first + j))), 0);
            report_table_set(t, i, c++, cell);
        }
        if (per) {
            report_sections_json(cell, sizeof cell, json_object_get(r, "rate_per_1000"), 2);
            report_table_set(t, i, c++, cell);
            report_sections_json(cell, sizeof cell, json_object_get(r, "under_identified"), 0);
            report_table_set(t, i, c++, cell);
        }
        if (cmp) {
            report_sections_change(cell, sizeof cell, cmp, code, i == n, path, 0,
                                   REPORT_NEEDS_HIDDEN);
            report_table_set(t, i, c++, cell);
        }
        t->strong[i] = i == n;
    }
    snprintf(t->note, sizeof t->note, "世帯 = 登録された支援対象の世帯（ニーズを問わず）。%s%s",
             per ? "1,000あたり = 指標 1,000 あたりの把握世帯。把握不足 = 市全体の率の半分"
                   "未満で、ポアソン分布の片側検定（5%）でも少ない区域。"
                 : "",
             d->suppress ? "<5：5世帯未満。非表示：差し引きで分かってしまう数（担当職員向けの"
                           "把握状況の答えと同じ）。"
                         : "全件表示（ローカル操作者向け。配布しないでください）。");
    if (cmp)
        report_sections_since(cmp, t, REPORT_NEEDS_HIDDEN);
    *out = t;
    return ERR_OK;
}

const struct report_section report_sections[] = {
    {"coverage", report_sections_coverage},
    {"equipment", report_sections_equipment},
    {"needs", report_sections_needs},
    {NULL, NULL},
};
