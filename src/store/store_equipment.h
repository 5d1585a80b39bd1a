/* SPDX-License-Identifier: MIT */
/* store_equipment.h - the public resources as the equipment answer reads
 * them: each resource's kind and the district of a level holding its
 * point. Public data only. Entry points: store_equipment_each. */
#ifndef TSUNAGU_STORE_EQUIPMENT_H
#define TSUNAGU_STORE_EQUIPMENT_H

#include "err.h"
#include "store.h"

/* One resource; strings borrowed for the callback. */
struct store_equipment_row {
    long id;          /* resources rowid */
    const char *kind; /* kind key */
    long district;    /* rowid of the district of the level asked holding it, 0 if none */
};

/* Calls fn for every resource in id order. Non-zero from fn stops the walk
 * and is returned. */
int store_equipment_each(struct store *s, const char *level,
                         int (*fn)(void *ctx, const struct store_equipment_row *r), void *ctx,
                         struct err *e);

#endif
