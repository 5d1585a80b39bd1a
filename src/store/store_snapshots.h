/* SPDX-License-Identifier: MIT */
/* store_snapshots.h - the officials' snapshots (`tsunagu snapshot --label
 * L`): named, dated copies of the coverage, needs and equipment answers as
 * an official saw them (aggregates only, small counts already hidden),
 * with the data version they were made from, to compare later answers
 * with. The store keeps the documents as given (JSON text); it never sees
 * a household.
 *
 * Entry points: store_snapshot_insert, store_snapshot_get, store_snapshots_each.
 */
#ifndef TSUNAGU_STORE_SNAPSHOTS_H
#define TSUNAGU_STORE_SNAPSHOTS_H

#include "err.h"
#include "store.h"

#define STORE_SNAPSHOT_LABEL_MAX 64      /* bytes of a label */
#define STORE_SNAPSHOT_DOC_MAX (8 << 20) /* bytes of one stored document */

/* One snapshot; strings borrowed (NULL: not stored). */
struct store_snapshot {
    const char *label;               /* unique name, e.g. "2026年度" */
    const char *taken_at;            /* UTC "YYYY-MM-DDTHH:MM:SSZ" (set by the store) */
    unsigned long long data_version; /* store_tiles_version when taken */
    const char *params;              /* JSON: level, kinds, minutes, need, per */
    const char *coverage;            /* JSON: the official's coverage answer */
    const char *needs;               /* JSON: the official's needs answer */
    const char *equipment;           /* JSON: the equipment answer */
};

/* Stores s (taken_at is now). ERR_INPUT "a snapshot named L exists
 * already" when the label is taken; ERR_LIMIT for a document over
 * STORE_SNAPSHOT_DOC_MAX; ERR_IO otherwise. One statement: stored whole or
 * not at all. */
int store_snapshot_insert(struct store *st, const struct store_snapshot *s, struct err *e);

/* Calls fn with the snapshot named `label` (strings valid during the
 * call). ERR_NOTFOUND "there is no snapshot named L" when none. fn's
 * non-zero return is returned. */
int store_snapshot_get(struct store *st, const char *label,
                       int (*fn)(void *ctx, const struct store_snapshot *s), void *ctx,
                       struct err *e);

/* Calls fn for every snapshot, oldest first, without the documents
 * (coverage, needs, equipment NULL). */
int store_snapshots_each(struct store *st, int (*fn)(void *ctx, const struct store_snapshot *s),
                         void *ctx, struct err *e);

#endif
