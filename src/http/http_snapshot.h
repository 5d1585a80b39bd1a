/* SPDX-License-Identifier: MIT */
/* http_snapshot.h - the officials' snapshots answered again: the
 * official's coverage (http_coverage_kinds.h), needs (disclose_needs.h)
 * and equipment documents for a snapshot's parameters, and the change of
 * every figure of each district since a stored snapshot (store_snapshots.h)
 * for `coverage|needs|equipment --compare L` and for the report's change
 * column (`report --compare L`, GET /api/report.pdf?compare=L).
 *
 * A change is a number only between two figures that are both shown;
 * anything hidden then or now has a null change, so a comparison never
 * gives away a figure an official's answer hides.
 *
 * Entry points: http_snapshot_part_name, http_snapshot_docs, http_snapshot_compare,
 * http_snapshot_report. */
#ifndef TSUNAGU_HTTP_SNAPSHOT_H
#define TSUNAGU_HTTP_SNAPSHOT_H

#include "err.h"
#include "report.h"
#include "store.h"
#include "walk.h"

#include <jansson.h>

/* Parts of a snapshot, in the order of the stored documents. */
enum http_snapshot_part {
    HTTP_SNAPSHOT_COVERAGE = 0,
    HTTP_SNAPSHOT_NEEDS = 1,
    HTTP_SNAPSHOT_EQUIPMENT = 2,
    HTTP_SNAPSHOT_NPARTS = REPORT_COMPARE_PARTS
};

/* The parameters a snapshot is made with (borrowed strings, NULL: none). */
struct http_snapshot_params {
    const char *level, *kinds, *minutes, *need, *per;
};

/* The part's key ("coverage", "needs", "equipment"). */
const char *http_snapshot_part_name(int part);

/* Makes the official's answers of the parts in `mask` (bit per part) for
 * sp into doc[] (new references, NULL for parts not asked) and the data
 * version into *version. On failure every doc[] is NULL. */
int http_snapshot_docs(struct store *st, const struct walk_net *net, struct walk_session *ws,
                       const struct http_snapshot_params *sp, unsigned mask,
                       json_t *doc[HTTP_SNAPSHOT_NPARTS], unsigned long long *version,
                       struct err *e);

/* The changes of `part` since the snapshot `label`, answered again now
 * with the snapshot's own parameters: {"label", "part", "taken_at",
 * "data_version_then", "data_version_now", "params", "districts": [{"code",
 * "name", "changes": {PATH: {"then", "now", "change"}}}], "total":
 * {"changes"}} (PATH as "by_kind.salon.households"). ERR_NOTFOUND "there is
 * no snapshot named L"; the answers' failures otherwise. New reference in
 * *out, NULL on failure. */
int http_snapshot_compare(struct store *st, const struct walk_net *net, struct walk_session *ws,
                          const char *label, int part, json_t **out, struct err *e);

/* The comparisons a report p asks for with `--compare label`: coverage
 * always, needs and equipment when p has those tables, into out[] (new
 * references, NULL for parts not asked). The snapshot must have been taken
 * for the report's level, one of its kinds the report's kind, its minutes
 * and speed the report's, and no field: ERR_INPUT saying so otherwise.
 * Fails as http_snapshot_compare. */
int http_snapshot_report(struct store *st, const struct walk_net *net, struct walk_session *ws,
                         const char *label, const struct report_params *p,
                         json_t *out[HTTP_SNAPSHOT_NPARTS], struct err *e);

#endif
