/* SPDX-License-Identifier: MIT */
/* http_visits.h - home visits over HTTP (see server.h for the handler
 * contract): recording a visit, listing a household's visits, and the
 * households whose next visit is due. Coordinators and outreach workers
 * (AUTH_PERM_VISITS) reach only the households of their assignment,
 * decided by store_scope_check - the same test every household answer
 * uses - and a household outside it gets the same 404 as one that does
 * not exist. Every answer naming a household is recorded in the audit log
 * first (server_audit); a visit is recorded in the log before it is
 * written, so a visit that cannot be recorded there is not stored.
 *
 * Entry points: http_visits_add, http_visits_list, http_visits_overdue. */
#ifndef TSUNAGU_HTTP_VISITS_H
#define TSUNAGU_HTTP_VISITS_H

#include "server.h"

#define HTTP_VISITS_LIST_MAX 1000 /* visits listed for one household */

/* POST /api/visits with a JSON object {"household", "at", "visitors":
 * "NAME" or ["NAME", "NAME"], "outcome", "note"?, "next_due"?} (visit.h)
 * - 201 {"id", "household", "at", "outcome", "next_due"}. ERR_INPUT with
 * one sentence for a bad body (nothing stored), ERR_NOTFOUND for a
 * household outside the assignment or unknown. */
int http_visits_add(struct server_req *rq, struct err *e);

/* GET /api/households/{id}/visits - {"household", "visits": [{"id", "at",
 * "visitors", "outcome", "note", "next_due", "recorded_by"}]}, newest
 * first. */
int http_visits_list(struct server_req *rq, struct err *e);

/* GET /api/households?overdue=true[&level=L] - {"today", "level",
 * "households": [{"id", "district", "due", "days_late", "last_visit",
 * "last_outcome"}]}, the most overdue first. Called by
 * http_access_households when the query names overdue; `level` is the
 * query's level (NULL when absent). */
int http_visits_overdue(struct server_req *rq, const char *level, struct err *e);

#endif
