/* SPDX-License-Identifier: MIT */
/* equipment_json.h - the equipment answer (equipment.h) as a JSON
 * document, a CSV table and a text table. Entry points: equipment_json,
 * equipment_csv, equipment_text. */
#ifndef TSUNAGU_EQUIPMENT_JSON_H
#define TSUNAGU_EQUIPMENT_JSON_H

#include "equipment.h"

#include <jansson.h>
#include <stdio.h>

/* {level, kinds, minutes, speed, districts: [{code, name, residents,
 * resources {kind: n}, per_1000 {kind: x}, none [kinds], within {kind:
 * mean}}], total}; NULL when out of memory. */
json_t *equipment_json(const struct equipment_result *r);

/* CSV: code,name,residents, then per kind n_KIND, per1000_KIND and, with
 * reach, within_KIND. ERR_IO. */
int equipment_csv(FILE *out, const struct equipment_result *r);

/* The table a person reads, and the districts with none of a kind. */
void equipment_text(FILE *out, const struct equipment_result *r);

#endif
