/* SPDX-License-Identifier: MIT */
/* store_commissioner.h - the per-household "commissioners may see" flag
 * (issue 13, "Sharing" 4): the holding agency's statement that the
 * household's consent covers the welfare commissioners (民生委員) of its
 * district, beside a share to the agency STORE_SHARE_COMMISSIONERS. A
 * commissioner's scope (store_households.h) reaches a flagged household
 * while its consent is yes and it is not protected; a protected household
 * can never carry the flag (protecting one removes it, store_shares.c).
 * The flag is keyed by the household's id, so re-importing the households
 * file keeps it. Written by store_commissioner.c (schema version 12).
 *
 * Entry points: store_household_commissioner, store_household_sharing. */
#ifndef TSUNAGU_STORE_COMMISSIONER_H
#define TSUNAGU_STORE_COMMISSIONER_H

#include "store.h"

/* Sets (on = 1) or clears (on = 0) the flag of household ext_id, recording
 * `by` (a user name or "cli:LOGIN"), in one write transaction, the
 * database unchanged on any failure. ERR_NOTFOUND as store_share_add (with
 * `holder` not NULL, only households that agency holds; the same sentence
 * for a missing id); ERR_INPUT for a protected household (setting or
 * clearing) and when the flag is already in that state; ERR_FORBIDDEN when
 * setting it on a household whose consent is not yes. */
int store_household_commissioner(struct store *s, const char *ext_id, int on, const char *by,
                                 const char *holder, struct err *e);

/* What the holder sees of a household's sharing state. */
struct store_sharing_state {
    int consent;      /* CONSENT_YES, CONSENT_NO or CONSENT_UNKNOWN (consent.h) */
    int protected_;   /* 1 when protected */
    int commissioner; /* 1 when the "commissioners may see" flag is set */
};

/* Reads the sharing state of household ext_id into *out. ERR_NOTFOUND as
 * store_household_commissioner. */
int store_household_sharing(struct store *s, const char *ext_id, const char *holder,
                            struct store_sharing_state *out, struct err *e);

#endif
