/* SPDX-License-Identifier: MIT */
/* auth.c - roles, the policy table, users' assignments, bearer tokens and
 * the throttle on failed sign-ins (see auth.h). Tokens come from
 * secure_random (core); their hashes from nettle's SHA-256; constant-time comparisons
 * are secure_equal (core). Entry points are those of auth.h. */
#include "auth.h"

#include "hash.h"
#include "secure.h"

#include <nettle/sha2.h>

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- roles and the policy ---- */

/* The policy: one row per role, the single place that says who sees what. */
static const struct {
    const char *name; /* role key */
    unsigned perms;   /* enum auth_perm bits */
} auth_policy[AUTH_ROLE_COUNT] = {
    [AUTH_ROLE_ANONYMOUS] = {"anonymous", AUTH_PERM_PUBLIC},
    [AUTH_ROLE_ADMIN] = {"admin", AUTH_PERM_PUBLIC | AUTH_PERM_COVERAGE | AUTH_PERM_SUGGEST |
                                      AUTH_PERM_REGISTER | AUTH_PERM_SHARE},
    [AUTH_ROLE_COORDINATOR] = {"coordinator", AUTH_PERM_PUBLIC | AUTH_PERM_HOUSEHOLDS |
                                                  AUTH_PERM_ROUTE | AUTH_PERM_VISITS |
                                                  AUTH_PERM_SHARE},
    [AUTH_ROLE_OUTREACH] = {"outreach", AUTH_PERM_PUBLIC | AUTH_PERM_ROUTE | AUTH_PERM_VISITS},
    [AUTH_ROLE_OFFICIAL] = {"official", AUTH_PERM_PUBLIC | AUTH_PERM_COVERAGE | AUTH_PERM_SUGGEST},
    [AUTH_ROLE_EDITOR] = {"editor", AUTH_PERM_PUBLIC | AUTH_PERM_REGISTER},
    [AUTH_ROLE_COMMISSIONER] = {"commissioner", AUTH_PERM_PUBLIC | AUTH_PERM_HOUSEHOLDS |
                                                    AUTH_PERM_ROUTE_ORDER | AUTH_PERM_VISIT_RECORD},
};

int auth_role_parse(const char *text, int *role, struct err *e)
{
    for (int r = AUTH_ROLE_ADMIN; text && r < AUTH_ROLE_COUNT; r++)
        if (auth_policy[r].name && strcmp(text, auth_policy[r].name) == 0) {
            *role = r;
            return ERR_OK;
        }
    return err_set(e, ERR_INPUT,
                   "--role must be admin, coordinator, outreach, official, editor or commissioner");
}

const char *auth_role_name(int role)
{
    return role >= 0 && role < AUTH_ROLE_COUNT && auth_policy[role].name ? auth_policy[role].name
                                                                         : "?";
}

unsigned auth_role_perms(int role)
{
    return role >= 0 && role < AUTH_ROLE_COUNT ? auth_policy[role].perms : 0;
}

/* What a permission lets one do, for the 401/403 sentences. */
static const char *auth_perm_words(unsigned perms)
{
    if (perms & AUTH_PERM_SHARE)
        return "share or protect households";
    if (perms & AUTH_PERM_HOUSEHOLDS)
        return "see households";
    if (perms & AUTH_PERM_REGISTER)
        return "change the resource register";
    if (perms & AUTH_PERM_ROUTE)
        return "plan outreach routes";
    if (perms & AUTH_PERM_VISITS)
        return "record or read visits";
    if (perms & AUTH_PERM_SUGGEST)
        return "see new-site suggestions";
    if (perms & AUTH_PERM_COVERAGE)
        return "see coverage figures";
    return "see this";
}

int auth_require(const struct auth_user *u, unsigned perms, struct err *e)
{
    int role = u ? u->role : AUTH_ROLE_ANONYMOUS;
    if ((auth_role_perms(role) & perms) == perms)
        return ERR_OK;
    if (role == AUTH_ROLE_ANONYMOUS)
        return err_set(e, ERR_UNAUTHORIZED,
                       "sign in to %s: send Authorization: Bearer TOKEN with a token from "
                       "`tsunagu user add`",
                       auth_perm_words(perms));
    return err_set(e, ERR_FORBIDDEN, "the role %s may not %s", auth_role_name(role),
                   auth_perm_words(perms));
}

int auth_user_scoped(const struct auth_user *u)
{
    return u != NULL && (u->agency[0] != '\0' || u->district[0] != '\0');
}

/* 1 when s is 1..max bytes of printable text (no control characters). */
static int auth_text_ok(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > max)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
            return 0;
    return 1;
}

int auth_user_check(const struct auth_user *u, struct err *e)
{
    size_t n = strlen(u->name);
    if (n == 0 || n > AUTH_NAME_MAX ||
        strspn(u->name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@-") != n)
        return err_set(e, ERR_INPUT,
                       "a user name is 1 to %d letters, digits or . _ @ - (no spaces or colons)",
                       AUTH_NAME_MAX);
    if (u->role <= AUTH_ROLE_ANONYMOUS || u->role >= AUTH_ROLE_COUNT ||
        auth_policy[u->role].name == NULL)
        return err_set(e, ERR_INPUT,
                       "--role must be admin, coordinator, outreach, official, editor or "
                       "commissioner");
    int agency = u->agency[0] != '\0', district = u->district[0] != '\0';
    if ((agency && !auth_text_ok(u->agency, AUTH_TEXT_MAX)) ||
        (district &&
         (!auth_text_ok(u->district, AUTH_TEXT_MAX) || !auth_text_ok(u->level, AUTH_TEXT_MAX))))
        return err_set(e, ERR_INPUT, "--agency and --district take 1 to %d bytes of text",
                       AUTH_TEXT_MAX);
    switch (u->role) {
    case AUTH_ROLE_COORDINATOR:
        if (!agency)
            return err_set(e, ERR_INPUT, "a coordinator needs --agency (the agency it works for)");
        return ERR_OK;
    case AUTH_ROLE_OUTREACH:
        if (!agency && !district)
            return err_set(e, ERR_INPUT,
                           "an outreach worker needs --agency or --district LEVEL:CODE (its "
                           "assignment)");
        return ERR_OK;
    case AUTH_ROLE_COMMISSIONER:
        if (agency || !district)
            return err_set(e, ERR_INPUT,
                           "a commissioner needs --district LEVEL:CODE (the district it serves) "
                           "and no --agency");
        return ERR_OK;
    default:
        if (agency || district)
            return err_set(e, ERR_INPUT,
                           "--agency and --district apply to coordinator, outreach and "
                           "commissioner users only; the %s role sees no household",
                           auth_role_name(u->role));
        return ERR_OK;
    }
}

int auth_district_parse(const char *text, char *level, char *code, struct err *e)
{
    const char *colon = text ? strchr(text, ':') : NULL;
    size_t nl = colon ? (size_t)(colon - text) : 0;
    if (colon == NULL || nl == 0 || nl > AUTH_TEXT_MAX || !auth_text_ok(colon + 1, AUTH_TEXT_MAX))
        return err_set(e, ERR_INPUT,
                       "--district must be LEVEL:CODE, e.g. elementary:E05 (each 1 to %d bytes)",
                       AUTH_TEXT_MAX);
    memcpy(level, text, nl);
    level[nl] = '\0';
    if (!auth_text_ok(level, AUTH_TEXT_MAX))
        return err_set(e, ERR_INPUT, "--district must be LEVEL:CODE, e.g. elementary:E05");
    memcpy(code, colon + 1, strlen(colon + 1) + 1);
    return ERR_OK;
}

/* ---- tokens ---- */

static const char auth_b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* base64url of n bytes without padding into out (4 * ceil(n / 3) + 1 bytes
 * suffice); returns the characters written. */
static size_t auth_base64url(const unsigned char *in, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < n)
            v |= in[i + 2];
        size_t chars = n - i >= 3 ? 4 : n - i + 1;
        for (size_t k = 0; k < chars; k++)
            out[o++] = auth_b64url[(v >> (18 - 6 * k)) & 0x3F];
    }
    out[o] = '\0';
    return o;
}

int auth_token_new(char *out, struct err *e)
{
    unsigned char raw[AUTH_TOKEN_BYTES];
    if (!secure_random(raw, sizeof raw))
        return err_set(e, ERR_IO, "the kernel gave no random bytes for a token");
    memcpy(out, AUTH_TOKEN_PREFIX, 4);
    size_t len = 4 + auth_base64url(raw, sizeof raw, out + 4);
    memset(raw, 0, sizeof raw);
    return len == AUTH_TOKEN_LEN ? ERR_OK : err_set(e, ERR_INTERNAL, "token length %zu", len);
}

int auth_token_check(const char *text)
{
    if (text == NULL || strncmp(text, AUTH_TOKEN_PREFIX, 4) != 0)
        return 0;
    size_t n = strlen(text);
    if (n != AUTH_TOKEN_LEN || strspn(text + 4, auth_b64url) != n - 4)
        return 0;
    /* 32 bytes leave 2 unused low bits in the last character: only the
     * canonical encoding is a token. */
    const char *last = strchr(auth_b64url, text[n - 1]);
    return last && ((last - auth_b64url) & 0x3) == 0;
}

void auth_token_hash(const char *token, unsigned char hash[AUTH_HASH_BYTES])
{
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, strlen(token), (const uint8_t *)token);
    sha256_digest(&ctx, AUTH_HASH_BYTES, hash);
}

int auth_bearer(const char *header, char *token, struct err *e)
{
    token[0] = '\0';
    if (header == NULL || strncasecmp(header, "Bearer ", 7) != 0)
        return err_set(e, ERR_UNAUTHORIZED,
                       "the Authorization header must be \"Bearer TOKEN\" with a token from "
                       "`tsunagu user add`");
    const char *t = header + 7;
    while (*t == ' ')
        t++;
    size_t n = strlen(t);
    while (n > 0 && t[n - 1] == ' ')
        n--;
    if (n != AUTH_TOKEN_LEN)
        return err_set(e, ERR_UNAUTHORIZED, "the token is not valid");
    memcpy(token, t, n);
    token[n] = '\0';
    if (!auth_token_check(token)) {
        token[0] = '\0';
        return err_set(e, ERR_UNAUTHORIZED, "the token is not valid");
    }
    return ERR_OK;
}

/* ---- throttling failed sign-ins ---- */

/* One client's bucket. */
struct auth_bucket {
    char key[AUTH_LIMITER_KEY_MAX + 1]; /* client key; "" = free slot */
    double tokens;                      /* attempts left at `updated` */
    double updated;                     /* when tokens was computed */
};

struct auth_limiter {
    pthread_mutex_t lock;                        /* guards slot */
    double burst;                                /* bucket size */
    double rate;                                 /* attempts regained per second */
    struct auth_bucket slot[AUTH_LIMITER_SLOTS]; /* open addressing by key hash */
};

struct auth_limiter *auth_limiter_new(double burst, double per_second, struct err *e)
{
    struct auth_limiter *l = calloc(1, sizeof *l);
    if (l == NULL)
        return err_nomem(e), NULL;
    if (pthread_mutex_init(&l->lock, NULL) != 0) {
        free(l);
        return err_set(e, ERR_INTERNAL, "cannot create a mutex"), NULL;
    }
    l->burst = burst;
    l->rate = per_second;
    return l;
}

void auth_limiter_free(struct auth_limiter *l)
{
    if (l == NULL)
        return;
    pthread_mutex_destroy(&l->lock);
    free(l);
}

/* Refills b to `now`. */
static void auth_bucket_refill(const struct auth_limiter *l, struct auth_bucket *b, double now)
{
    if (now > b->updated) {
        b->tokens += (now - b->updated) * l->rate;
        if (b->tokens > l->burst)
            b->tokens = l->burst;
        b->updated = now;
    }
}

/* The bucket of key (cut to fit), created full when new: linear probing
 * from the key's hash; when every slot is taken, the bucket that has been
 * full the longest (or else the least recently used) is reused. Called
 * with the lock held. */
static struct auth_bucket *auth_bucket_of(struct auth_limiter *l, const char *key, double now)
{
    char k[AUTH_LIMITER_KEY_MAX + 1];
    size_t n = strlen(key);
    if (n > AUTH_LIMITER_KEY_MAX)
        n = AUTH_LIMITER_KEY_MAX;
    memcpy(k, key, n);
    k[n] = '\0';
    uint64_t h = hash_fnv(HASH_FNV_SEED, k, n);
    struct auth_bucket *victim = &l->slot[h % AUTH_LIMITER_SLOTS];
    double victim_age = -1e300;
    for (size_t probe = 0; probe < AUTH_LIMITER_SLOTS; probe++) {
        struct auth_bucket *b = &l->slot[(h + probe) % AUTH_LIMITER_SLOTS];
        if (b->key[0] == '\0' || strcmp(b->key, k) == 0) {
            if (b->key[0] == '\0') {
                memcpy(b->key, k, n + 1);
                b->tokens = l->burst;
                b->updated = now;
            }
            return b;
        }
        /* Age since the bucket was (or will have been) full again. */
        double full_at = b->updated + (l->burst - b->tokens) / l->rate;
        if (now - full_at > victim_age) {
            victim_age = now - full_at;
            victim = b;
        }
    }
    memcpy(victim->key, k, n + 1);
    victim->tokens = l->burst;
    victim->updated = now;
    return victim;
}

double auth_limiter_take(struct auth_limiter *l, const char *key, double now)
{
    pthread_mutex_lock(&l->lock);
    struct auth_bucket *b = auth_bucket_of(l, key, now);
    auth_bucket_refill(l, b, now);
    double wait = 0;
    if (b->tokens >= 1.0)
        b->tokens -= 1.0;
    else
        wait = (1.0 - b->tokens) / l->rate;
    pthread_mutex_unlock(&l->lock);
    return wait;
}

void auth_limiter_refund(struct auth_limiter *l, const char *key, double now)
{
    pthread_mutex_lock(&l->lock);
    struct auth_bucket *b = auth_bucket_of(l, key, now);
    auth_bucket_refill(l, b, now);
    b->tokens = b->tokens + 1.0 > l->burst ? l->burst : b->tokens + 1.0;
    pthread_mutex_unlock(&l->lock);
}
