/* SPDX-License-Identifier: MIT */
/* store_shares.h - who else may work a household (issue 13, "Sharing"): a
 * household has one holding agency (from its import file) and any number of
 * shares, each to one agency, on a basis (`consent`, `meeting` for a
 * support-meeting decision, `referral`), with a reason, a first day and an
 * optional last day; and a `protected` flag (DV and stalking victims,
 * 住民基本台帳事務における支援措置) under which it is never shared.
 *
 * The rules live here, in one transaction per change, so the CLI and the
 * HTTP API cannot differ: a share by consent needs the household's consent;
 * a protected household takes no share, and protecting one removes its
 * shares; a share to the holding agency is refused. Who reads what through
 * the shares is decided by store_scope_check / store_scope_households
 * (store_households.h, store_auth.c). A caller limited to one agency
 * (`holder`, a coordinator's agency) acts only on households that agency
 * holds; any other id, existing or not, is the same ERR_NOTFOUND, so the
 * sentence tells nothing about households held elsewhere. Written by
 * store_shares.c; shares are keyed by the household's id, so re-importing
 * the households file keeps them.
 *
 * Entry points: store_share_add, store_share_remove, store_shares_each,
 * store_household_protect. */
#ifndef TSUNAGU_STORE_SHARES_H
#define TSUNAGU_STORE_SHARES_H

#include "store.h"

#define STORE_SHARE_REASON_MAX 200           /* bytes of a share's reason */
#define STORE_SHARE_AGENCY_MAX 128           /* bytes of an agency name (AUTH_TEXT_MAX) */
#define STORE_SHARE_ID_MAX 64                /* bytes of a household id */
#define STORE_SHARE_COMMISSIONERS "民生委員" /* the agency whose share lets commissioners see */

/* One share (strings borrowed for the callback, or the caller's). */
struct store_share {
    long id;            /* rowid (read back only) */
    const char *ext_id; /* household id */
    const char *agency; /* agency it is shared with */
    const char *basis;  /* "consent", "meeting" or "referral" */
    const char *reason; /* 1..STORE_SHARE_REASON_MAX bytes of text, e.g. "支援会議 2026-12-01" */
    const char *from;   /* first day, YYYY-MM-DD (read back only: the day it was made) */
    const char *until;  /* last day, YYYY-MM-DD, or NULL for no end */
    const char *by;     /* who made it: a user name or "cli:LOGIN" */
};

/* Shares household sh->ext_id with sh->agency (or, when a share to that
 * agency exists, replaces its basis, reason and last day). Checks, in one
 * write transaction, leaving the database unchanged on any failure:
 * ERR_INPUT for a basis outside the three, a reason or agency that is empty,
 * too long or not UTF-8 text, an `until` that is not a date or is in the
 * past, a share to the holding agency, a protected household;
 * ERR_FORBIDDEN for basis consent when the household's consent is not yes;
 * ERR_NOTFOUND when there is no such household (or, with `holder` not NULL,
 * none held by that agency). *id gets the share's rowid. */
int store_share_add(struct store *s, const struct store_share *sh, const char *holder, long *id,
                    struct err *e);

/* Removes the share of household ext_id with `agency`. ERR_NOTFOUND as
 * store_share_add, or when it has no share with that agency. */
int store_share_remove(struct store *s, const char *ext_id, const char *agency, const char *holder,
                       struct err *e);

/* Calls fn for each share of household ext_id (expired ones too; `active`
 * says whether it lets its agency read now: started, not past its last
 * day, and for basis consent the household's consent is yes), by agency.
 * ERR_NOTFOUND as store_share_add. */
int store_shares_each(struct store *s, const char *ext_id, const char *holder,
                      int (*fn)(void *ctx, const struct store_share *sh, int active), void *ctx,
                      struct err *e);

/* Sets (on = 1) or clears (on = 0) the protection of household ext_id;
 * setting it removes every share of it (their number in *removed). The
 * protection outlives a re-import of the households file (a file's own
 * `protected` column can only add it). ERR_NOTFOUND as store_share_add;
 * ERR_INPUT when it is already in that state. */
int store_household_protect(struct store *s, const char *ext_id, int on, const char *by,
                            const char *holder, long *removed, struct err *e);

#endif
