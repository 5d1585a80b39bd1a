/* SPDX-License-Identifier: MIT */
/* http_equipment.h - GET /api/equipment?level=L[&kind=K,K&minutes=M]: the
 * equipment answer (equipment.h) as equipment_json.h's document, public
 * (it counts resources and census residents, never households).
 *
 * Entry points: http_equipment. */
#ifndef TSUNAGU_HTTP_EQUIPMENT_H
#define TSUNAGU_HTTP_EQUIPMENT_H

#include "server.h"

/* The handler (see server.h for the contract). */
int http_equipment(struct server_req *rq, struct err *e);

#endif
