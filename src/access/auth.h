/* SPDX-License-Identifier: MIT */
/* auth.h - who may see what: roles and their permissions (the policy
 * table), users and their assignment (an agency and/or a district), bearer
 * tokens (made from the kernel's random bytes, kept only as a SHA-256 hash,
 * compared in constant time) and a throttle on failed sign-ins per client.
 *
 * Pure policy: no SQL, no HTTP. The store keeps users and hashes
 * (store_auth.c), the server reads the Authorization header and asks
 * auth_require before a handler touches anything derived from households.
 *
 * Roles (least privilege; see README "Security"):
 *   anonymous    no token: public layers only (districts, resources,
 *                streets, walking answers and isochrones)
 *   official     + coverage figures and new-site suggestions, small counts
 *                suppressed (disclose.h); never individual households
 *   admin        what an official sees; users are managed with the CLI only
 *   coordinator  + the households of its agency (list, by id) and outreach
 *                routes over them
 *   outreach     + outreach routes over the households of its assignment
 *   (coordinator and outreach also record and read visits and list the
 *   overdue households of their assignment)
 *   editor       public layers + adds, changes and retires resources and
 *                reads their history (the register); no household, no figure
 *   commissioner (民生委員) the households of its district shared with
 *                the agency 民生委員 or marked for commissioners: id,
 *                district, need tags and last visit only; a route over
 *                them as stop order only (AUTH_PERM_ROUTE_ORDER); records its
 *                own visits to them without reading others' (AUTH_PERM_VISIT_RECORD)
 * "Households of the assignment" follow store_households.h: held by or
 * shared with the agency, protected ones only for the holding agency.
 *
 * Entry points: auth_role_parse/name, auth_role_perms, auth_require,
 * auth_user_check, auth_district_parse, auth_token_new, auth_token_check,
 * auth_token_hash, auth_bearer, auth_user_scoped, auth_limiter_*. */
#ifndef TSUNAGU_AUTH_H
#define TSUNAGU_AUTH_H

#include "err.h"

#include <stddef.h>

#define AUTH_NAME_MAX 64                 /* bytes of a user name: [A-Za-z0-9._@-] */
#define AUTH_TEXT_MAX 128                /* bytes of an agency, level or district code */
#define AUTH_TOKEN_PREFIX "tsu_"         /* marks a tsunagu token (for secret scanners) */
#define AUTH_TOKEN_BYTES 32              /* random bytes in a token */
#define AUTH_TOKEN_LEN (4 + 43)          /* prefix + base64url of 32 bytes, no padding */
#define AUTH_HASH_BYTES 32               /* SHA-256 */
#define AUTH_FAIL_BURST 10.0             /* failed sign-ins a client may make at once */
#define AUTH_FAIL_PER_SECOND (1.0 / 6.0) /* ... and then one every 6 seconds */
#define AUTH_LIMITER_SLOTS 1024          /* clients the throttle remembers */
#define AUTH_LIMITER_KEY_MAX 47          /* bytes of a client key (an address) */

/* Roles. */
enum auth_role {
    AUTH_ROLE_ANONYMOUS = 0, /* no token */
    AUTH_ROLE_ADMIN = 1,
    AUTH_ROLE_COORDINATOR = 2,
    AUTH_ROLE_OUTREACH = 3,
    AUTH_ROLE_OFFICIAL = 4,
    AUTH_ROLE_EDITOR = 5,      /* keeps the resource register (issue 12) */
    AUTH_ROLE_COMMISSIONER = 6 /* 民生委員・児童委員: a district, least detail */
};
#define AUTH_ROLE_COUNT 7

/* Permissions, as bits. */
enum auth_perm {
    AUTH_PERM_PUBLIC = 0x1,     /* districts, resources, streets, walks, isochrones */
    AUTH_PERM_COVERAGE = 0x2,   /* coverage figures (API and tiles), small counts suppressed */
    AUTH_PERM_SUGGEST = 0x4,    /* new-site suggestions, small counts suppressed */
    AUTH_PERM_HOUSEHOLDS = 0x8, /* households of the own assignment: list and by id */
    AUTH_PERM_ROUTE = 0x10,     /* outreach routes over households of the own assignment */
    AUTH_PERM_VISITS = 0x20,    /* record and read visits to households of the own assignment */
    AUTH_PERM_REGISTER = 0x40,  /* add, change and retire resources; read their history */
    AUTH_PERM_SHARE = 0x80,     /* share, unshare and protect households (a coordinator: those its
                                   agency holds; an admin: any) */
    AUTH_PERM_ROUTE_ORDER = 0x100, /* a route over households of the own assignment answered as
                                     stop order only (route_order.h): no position, no path */
    AUTH_PERM_VISIT_RECORD = 0x200 /* record a visit to a household of the own assignment, without
                                      reading the visits recorded by others */
};

/* A signed-in user (or, with role AUTH_ROLE_ANONYMOUS, nobody). Empty
 * strings stand for "not set". */
struct auth_user {
    char name[AUTH_NAME_MAX + 1];     /* user name; "" when anonymous */
    int role;                         /* enum auth_role */
    char agency[AUTH_TEXT_MAX + 1];   /* assignment: households of this agency only */
    char level[AUTH_TEXT_MAX + 1];    /* assignment: district level ... */
    char district[AUTH_TEXT_MAX + 1]; /* ... and code: households inside it only */
};

/* ---- roles and the policy ---- */

/* Parses "admin", "coordinator", "outreach", "official", "editor" or "commissioner" into *role;
 * ERR_INPUT listing the roles otherwise. */
int auth_role_parse(const char *text, int *role, struct err *e);

/* The key of a role ("anonymous" for AUTH_ROLE_ANONYMOUS, "?" when out of range). */
const char *auth_role_name(int role);

/* The permissions of a role (enum auth_perm bits; the policy table). */
unsigned auth_role_perms(int role);

/* ERR_OK when u (NULL = anonymous) holds every permission of `perms`;
 * otherwise ERR_UNAUTHORIZED for an anonymous caller ("sign in ...") and
 * ERR_FORBIDDEN naming the role for one that lacks them. The sentences
 * never depend on data, only on the role and the permission. */
int auth_require(const struct auth_user *u, unsigned perms, struct err *e);

/* 1 when u's households are limited by an agency or a district. */
int auth_user_scoped(const struct auth_user *u);

/* Checks a user about to be stored: a valid name, a role other than
 * anonymous, an agency or district only where the role uses one
 * (coordinator: agency required, district optional; outreach: agency or
 * district or both; commissioner: district required, no agency; admin and
 * official: neither). ERR_INPUT with one
 * sentence otherwise. */
int auth_user_check(const struct auth_user *u, struct err *e);

/* Parses "LEVEL:CODE" (each 1..AUTH_TEXT_MAX bytes, no control
 * characters) into level and code (buffers of AUTH_TEXT_MAX + 1 bytes).
 * ERR_INPUT otherwise. */
int auth_district_parse(const char *text, char *level, char *code, struct err *e);

/* ---- tokens ---- */

/* Writes a new token, AUTH_TOKEN_PREFIX plus AUTH_TOKEN_BYTES bytes from
 * getrandom() in base64url without padding, into out (AUTH_TOKEN_LEN + 1
 * bytes). ERR_IO when the kernel gives no random bytes. */
int auth_token_new(char *out, struct err *e);

/* 1 when text has the shape of a token (prefix, 43 base64url characters),
 * else 0. */
int auth_token_check(const char *text);

/* SHA-256 of the token text into hash. */
void auth_token_hash(const char *token, unsigned char hash[AUTH_HASH_BYTES]);

/* Reads an Authorization header value "Bearer TOKEN" (scheme in any case,
 * one or more spaces) into token (AUTH_TOKEN_LEN + 1 bytes). ERR_UNAUTHORIZED
 * for another scheme or a malformed token; the sentence never repeats it. */
int auth_bearer(const char *header, char *token, struct err *e);

/* ---- throttling failed sign-ins ---- */

/* A token bucket per client key: `burst` attempts, refilled at
 * `per_second`. Thread-safe. */
struct auth_limiter;

/* A new throttle remembering up to AUTH_LIMITER_SLOTS clients (beyond,
 * the client whose bucket has refilled longest ago is forgotten). NULL
 * with ERR_NOMEM. Free with auth_limiter_free. */
struct auth_limiter *auth_limiter_new(double burst, double per_second, struct err *e);
void auth_limiter_free(struct auth_limiter *l);

/* Takes one attempt for `key` at time `now` (seconds, monotonic): 0 when
 * granted, else the seconds until the next attempt is allowed (nothing
 * taken). Keys longer than AUTH_LIMITER_KEY_MAX are cut. */
double auth_limiter_take(struct auth_limiter *l, const char *key, double now);

/* Gives back the attempt taken for a sign-in that succeeded. */
void auth_limiter_refund(struct auth_limiter *l, const char *key, double now);

#endif
