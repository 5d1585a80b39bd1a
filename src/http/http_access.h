/* SPDX-License-Identifier: MIT */
/* http_access.h - the answers that depend on who asks (see server.h for the
 * handler contract and auth.h for the roles): who the signed-in user is,
 * and the households of a coordinator's assignment. Household answers list
 * ids, district codes and need tags, never a position, and each one is
 * recorded in the audit log (server_audit) before it leaves. A household
 * outside the caller's assignment and one that does not exist get the
 * same 404 after the same lookups.
 *
 * Entry points: http_access_me, http_access_households, http_access_household. */
#ifndef TSUNAGU_HTTP_ACCESS_H
#define TSUNAGU_HTTP_ACCESS_H

#include "server.h"

#define HTTP_ACCESS_LIST_MAX 5000 /* households in one list (ERR_LIMIT beyond) */
#define HTTP_ACCESS_ID_MAX 64     /* bytes of a household id in a path */

/* GET /api/me - {"name", "role", "agency", "district": {"level", "code"} or
 * null, "can": ["coverage", "suggest", "households", "route"] (the role's
 * permissions)}. ERR_UNAUTHORIZED when not signed in. */
int http_access_me(struct server_req *rq, struct err *e);

/* GET /api/households?level=&need= - {"level", "need", "households":
 * [{"id", "district", "needs": [...]}]}: the households of the caller's
 * assignment (AUTH_PERM_HOUSEHOLDS) in id order, with their district at
 * `level` (default the assignment's level, else "elementary" when it
 * exists) and only those carrying need tag `need` when given.
 * ERR_UNAUTHORIZED / ERR_FORBIDDEN by role, ERR_INPUT for an unknown need,
 * ERR_NOTFOUND for an unknown level, ERR_LIMIT past HTTP_ACCESS_LIST_MAX.
 * With overdue=true (roles that record visits, outreach included) the
 * answer is http_visits_overdue's. */
int http_access_households(struct server_req *rq, struct err *e);

/* GET /api/households/{id} - {"id", "district", "needs"} of one household
 * of the caller's assignment (default level as above). ERR_NOTFOUND with
 * one fixed sentence for an id outside the assignment or unknown. */
int http_access_household(struct server_req *rq, struct err *e);

#endif
