/* SPDX-License-Identifier: MIT */
/* report_sections.c - the tables of a report (see report_sections.h): the
 * district coverage table and a district's own key figures. Entry points:
 * report_sections, report_sections_district, report_sections_figure. */
#include "report_sections.h"

#include "vocab.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define REPORT_HIDDEN "–" /* a figure not shown */

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

static int report_sections_coverage(const struct report_data *d, struct report_table **out,
                                    struct err *e)
{
    const struct coverage_result *r = d->cov;
    size_t ncols = r->have_areas ? 10 : 8;
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
        t->head[c] = head[c];
        t->width[c] = (r->have_areas ? w10[c] : w8[c]) + (c == 0 ? wide : c == 1 ? -wide : 0);
        t->right[c] = c >= 2;
    }
    char cell[8][64];
    for (size_t i = 0; i <= r->ndistricts; i++) {
        size_t di = i < r->ndistricts ? i : COVERAGE_NONE;
        const struct coverage_district *c = di == COVERAGE_NONE ? &r->total : &r->districts[di];
        report_sections_cells(d, di, cell);
        report_table_set(t, i, 0, c->code ? c->code : "");
        report_table_set(t, i, 1, di == COVERAGE_NONE ? "全体" : c->code ? c->name : "(区域外)");
        for (size_t k = 0; k + 2 < ncols; k++)
            report_table_set(t, i, k + 2, cell[k]);
        t->strong[i] = di == COVERAGE_NONE;
    }
    report_sections_note(d, t);
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

/* Resources of each kind per district (equipment.h), with residents and
 * the kinds a district has none of, when the report asks for it. Counts
 * of resources are public: nothing is hidden. */
static int report_sections_equipment(const struct report_data *d, struct report_table **out,
                                     struct err *e)
{
    const struct equipment_result *q = d->eq;
    *out = NULL;
    if (q == NULL)
        return ERR_OK;
    size_t nk = q->nkinds < REPORT_TABLE_COLS - 4 ? q->nkinds : REPORT_TABLE_COLS - 4;
    size_t ncols = 4 + nk;
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
    double rest = 1.0 - 0.10 - 0.22 - 0.09 - 0.17;
    t->width[0] = 0.10;
    t->width[1] = 0.22;
    t->width[2] = 0.09;
    for (size_t k = 0; k < nk; k++)
        t->width[3 + k] = rest / (double)(nk ? nk : 1);
    t->width[3 + nk] = 0.17 + (nk ? 0 : rest);
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
        t->strong[i] = i == q->nrows;
    }
    *out = t;
    return ERR_OK;
}

const struct report_section report_sections[] = {
    {"coverage", report_sections_coverage},
    {"equipment", report_sections_equipment},
    {NULL, NULL},
};
