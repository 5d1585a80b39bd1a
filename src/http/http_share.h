/* SPDX-License-Identifier: MIT */
/* http_share.h - sharing and protecting households over HTTP (issue 13):
 * the store's rules (store_shares.h) for admins (any household) and for a
 * coordinator of the holding agency (AUTH_PERM_SHARE; a coordinator asking
 * about any other id, existing or not, gets the same 404). Each change is
 * recorded in the audit log before it is made, and made on a read-write
 * connection of its own (the workers' connections are read-only). The
 * server routes no DELETE or PATCH, so removing a share and changing
 * protection are POSTs to their own paths.
 *
 * Entry points: http_share_list, http_share_add, http_share_remove,
 * http_share_protect, http_share_commissioner. */
#ifndef TSUNAGU_HTTP_SHARE_H
#define TSUNAGU_HTTP_SHARE_H

#include "server.h"

/* GET /api/households/{id}/shares - {"id", "consent": "yes"|"no"|"unknown",
 * "protected", "commissioner" (the flag), "shares": [{"share", "agency",
 * "basis", "reason", "from", "until", "by", "active"}]}. */
int http_share_list(struct server_req *rq, struct err *e);

/* POST /api/households/{id}/shares, body {"agency", "basis", "reason",
 * "until"?} - 201 {"id", "share", "agency", "basis", "until"}. ERR_INPUT,
 * ERR_FORBIDDEN (consent), ERR_NOTFOUND as store_share_add. */
int http_share_add(struct server_req *rq, struct err *e);

/* POST /api/households/{id}/unshare, body {"agency"} - {"id", "agency",
 * "shared": false}. */
int http_share_remove(struct server_req *rq, struct err *e);

/* POST /api/households/{id}/protection, body {"protected": true|false} -
 * {"id", "protected", "shares_removed"}. */
int http_share_protect(struct server_req *rq, struct err *e);

/* POST /api/households/{id}/commissioner, body {"commissioner": true|false}
 * - {"id", "commissioner"}: the "commissioners may see" flag
 * (store_commissioner.h), audited before it is set. ERR_INPUT,
 * ERR_FORBIDDEN (consent), ERR_NOTFOUND as store_household_commissioner. */
int http_share_commissioner(struct server_req *rq, struct err *e);

#endif
