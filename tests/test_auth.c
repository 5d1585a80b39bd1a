/* SPDX-License-Identifier: MIT */
/* test_auth.c - access control (src/auth.c, src/store_auth.c, src/audit.c):
 * token shape and randomness, SHA-256 against the FIPS 180-2 vectors,
 * constant-time comparison, the Authorization header reader, the role
 * policy table and its 401/403 sentences, user checks, the sign-in
 * throttle (with a fake clock), users and tokens in the store (revocation,
 * duplicates, constant-work lookup), the audit log, and households by
 * assignment on the demo town (a foreign household and a missing one
 * answer alike). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "audit.h"
#include "auth.h"
#include "secure.h"
#include "plan_fixture.h"
#include "store.h"
#include "testutil.h"
#include "store_households.h"
#include "store_audit.h"

/* ---- tokens ---- */

static void test_tokens(void **state)
{
    char a[AUTH_TOKEN_LEN + 1], b[AUTH_TOKEN_LEN + 1];
    struct err e = {0};
    assert_int_equal(auth_token_new(a, &e), ERR_OK);
    assert_int_equal(auth_token_new(b, &e), ERR_OK);
    assert_int_equal(strlen(a), AUTH_TOKEN_LEN);
    assert_memory_equal(a, AUTH_TOKEN_PREFIX, 4);
    assert_int_equal(
        strspn(a + 4, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        AUTH_TOKEN_LEN - 4);
    assert_string_not_equal(a, b);
    assert_true(auth_token_check(a));
    /* 64 tokens: every base64url position varies (no stuck bytes). */
    char seen[43][64] = {{0}};
    int distinct[43] = {0};
    for (int i = 0; i < 64; i++) {
        assert_int_equal(auth_token_new(a, &e), ERR_OK);
        for (int k = 0; k < 42; k++) {
            if (memchr(seen[k], a[4 + k], (size_t)distinct[k]) == NULL)
                seen[k][distinct[k]++] = a[4 + k];
        }
    }
    for (int k = 0; k < 42; k++)
        assert_true(distinct[k] >= 16);
    /* Shapes that are not tokens. */
    assert_false(auth_token_check(NULL));
    assert_false(auth_token_check(""));
    assert_false(auth_token_check("tsu_"));
    memcpy(b, a, sizeof b);
    b[0] = 'x';
    assert_false(auth_token_check(b)); /* prefix */
    memcpy(b, a, sizeof b);
    b[10] = '+';
    assert_false(auth_token_check(b)); /* not base64url */
    memcpy(b, a, sizeof b);
    b[AUTH_TOKEN_LEN - 1] = 'B'; /* low bits set: not the canonical encoding of 32 bytes */
    assert_false(auth_token_check(b));
    char longer[AUTH_TOKEN_LEN + 2];
    memcpy(longer, a, AUTH_TOKEN_LEN);
    longer[AUTH_TOKEN_LEN] = 'A';
    longer[AUTH_TOKEN_LEN + 1] = '\0';
    assert_false(auth_token_check(longer));
}

static void hex(const unsigned char *h, char *out)
{
    for (int i = 0; i < AUTH_HASH_BYTES; i++)
        snprintf(out + 2 * i, 3, "%02x", h[i]);
}

static void test_hash(void **state)
{
    unsigned char h[AUTH_HASH_BYTES];
    char x[2 * AUTH_HASH_BYTES + 1];
    /* FIPS 180-2 appendix B vectors. */
    auth_token_hash("abc", h);
    hex(h, x);
    assert_string_equal(x, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    auth_token_hash("", h);
    hex(h, x);
    assert_string_equal(x, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    auth_token_hash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", h);
    hex(h, x);
    assert_string_equal(x, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_equal(void **state)
{
    unsigned char a[32], b[32];
    for (int i = 0; i < 32; i++)
        a[i] = b[i] = (unsigned char)(i * 7);
    assert_true(secure_equal(a, b, 32));
    assert_true(secure_equal(a, b, 0));
    for (int i = 0; i < 32; i++) { /* a difference anywhere, by one bit */
        b[i] ^= 1;
        assert_false(secure_equal(a, b, 32));
        b[i] ^= 1;
    }
    b[31] ^= 0x80;
    assert_false(secure_equal(a, b, 32));
    assert_true(secure_equal(a, b, 31));
}

static void test_bearer(void **state)
{
    char tok[AUTH_TOKEN_LEN + 1], t[AUTH_TOKEN_LEN + 1], header[128];
    struct err e = {0};
    assert_int_equal(auth_token_new(tok, &e), ERR_OK);
    snprintf(header, sizeof header, "Bearer %s", tok);
    assert_int_equal(auth_bearer(header, t, &e), ERR_OK);
    assert_string_equal(t, tok);
    snprintf(header, sizeof header, "bearer   %s  ", tok);
    assert_int_equal(auth_bearer(header, t, &e), ERR_OK);
    assert_string_equal(t, tok);
    const char *bad[] = {NULL,
                         "",
                         "Bearer",
                         "Bearer ",
                         "Basic dXNlcjpwYXNz",
                         "Token x",
                         "Bearer tsu_short",
                         "Bearer tsu_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA!"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err_clear(&e);
        assert_int_equal(auth_bearer(bad[i], t, &e), ERR_UNAUTHORIZED);
        assert_string_equal(t, "");
        assert_null(strstr(e.msg, "tsu_AAAA")); /* never echoes what was sent */
        assert_null(strstr(e.msg, "dXNl"));
    }
    /* A well-formed token is read in full; a longer one is refused. */
    snprintf(header, sizeof header, "Bearer %sA", tok);
    err_clear(&e);
    assert_int_equal(auth_bearer(header, t, &e), ERR_UNAUTHORIZED);
}

/* ---- roles ---- */

static void test_policy(void **state)
{
    int role0 = -1;
    /* The policy table, permission by permission (README "Security"). */
    static const struct {
        int role;
        unsigned perms;
    } want[] = {
        {AUTH_ROLE_ANONYMOUS, AUTH_PERM_PUBLIC},
        {AUTH_ROLE_OFFICIAL, AUTH_PERM_PUBLIC | AUTH_PERM_COVERAGE | AUTH_PERM_SUGGEST},
        {AUTH_ROLE_ADMIN, AUTH_PERM_PUBLIC | AUTH_PERM_COVERAGE | AUTH_PERM_SUGGEST |
                              AUTH_PERM_REGISTER | AUTH_PERM_SHARE},
        {AUTH_ROLE_COORDINATOR, AUTH_PERM_PUBLIC | AUTH_PERM_HOUSEHOLDS | AUTH_PERM_ROUTE |
                                    AUTH_PERM_VISITS | AUTH_PERM_SHARE},
        {AUTH_ROLE_OUTREACH, AUTH_PERM_PUBLIC | AUTH_PERM_ROUTE | AUTH_PERM_VISITS},
        {AUTH_ROLE_EDITOR, AUTH_PERM_PUBLIC | AUTH_PERM_REGISTER},
        {AUTH_ROLE_COMMISSIONER,
         AUTH_PERM_PUBLIC | AUTH_PERM_HOUSEHOLDS | AUTH_PERM_ROUTE_ORDER | AUTH_PERM_VISIT_RECORD},
    };
    static const unsigned all[] = {AUTH_PERM_PUBLIC,      AUTH_PERM_COVERAGE, AUTH_PERM_SUGGEST,
                                   AUTH_PERM_HOUSEHOLDS,  AUTH_PERM_ROUTE,    AUTH_PERM_VISITS,
                                   AUTH_PERM_REGISTER,    AUTH_PERM_SHARE,    AUTH_PERM_ROUTE_ORDER,
                                   AUTH_PERM_VISIT_RECORD};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        assert_int_equal(auth_role_perms(want[i].role), want[i].perms);
        struct auth_user u;
        memset(&u, 0, sizeof u);
        u.role = want[i].role;
        for (size_t k = 0; k < sizeof all / sizeof all[0]; k++) {
            struct err e = {0};
            int rc = auth_require(&u, all[k], &e);
            int expect = (want[i].perms & all[k])        ? ERR_OK
                         : u.role == AUTH_ROLE_ANONYMOUS ? ERR_UNAUTHORIZED
                                                         : ERR_FORBIDDEN;
            assert_int_equal(rc, expect);
            if (rc == ERR_FORBIDDEN)
                assert_non_null(strstr(e.msg, auth_role_name(u.role)));
        }
    }
    struct err e = {0};
    assert_int_equal(auth_require(NULL, AUTH_PERM_PUBLIC, &e), ERR_OK);
    assert_int_equal(auth_require(NULL, AUTH_PERM_ROUTE, &e), ERR_UNAUTHORIZED);
    assert_int_equal(err_http_status(ERR_UNAUTHORIZED), 401);
    assert_int_equal(err_http_status(ERR_FORBIDDEN), 403);
    /* Nobody manages users over HTTP: no role has a permission beyond
     * those listed above. */
    unsigned known = 0;
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        known |= all[k];
    for (int r = 0; r < AUTH_ROLE_COUNT; r++)
        assert_int_equal(auth_role_perms(r) & ~known, 0);
    assert_int_equal(auth_role_parse("commissioner", &role0, &e), ERR_OK);
    assert_int_equal(role0, AUTH_ROLE_COMMISSIONER);
    struct auth_user cu;
    memset(&cu, 0, sizeof cu);
    snprintf(cu.name, sizeof cu.name, "%s", "yamada");
    cu.role = AUTH_ROLE_COMMISSIONER;
    assert_int_equal(auth_user_check(&cu, &e), ERR_INPUT); /* a district is needed */
    snprintf(cu.level, sizeof cu.level, "%s", "elementary");
    snprintf(cu.district, sizeof cu.district, "%s", "E03");
    assert_int_equal(auth_user_check(&cu, &e), ERR_OK);
    snprintf(cu.agency, sizeof cu.agency, "%s", "民生委員");
    assert_int_equal(auth_user_check(&cu, &e), ERR_INPUT); /* and no agency */
    int role = -1;
    assert_int_equal(auth_role_parse("outreach", &role, &e), ERR_OK);
    assert_string_equal(auth_role_name(AUTH_ROLE_EDITOR), "editor");
    assert_int_equal(role, AUTH_ROLE_OUTREACH);
    assert_int_equal(auth_role_parse("anonymous", &role, &e), ERR_INPUT);
    assert_int_equal(auth_role_parse("Admin", &role, &e), ERR_INPUT);
    assert_int_equal(auth_role_perms(99), 0);
}

static void test_user_check(void **state)
{
    struct auth_user u;
    struct err e = {0};
    memset(&u, 0, sizeof u);
    snprintf(u.name, sizeof u.name, "tanaka");
    u.role = AUTH_ROLE_COORDINATOR;
    assert_int_equal(auth_user_check(&u, &e), ERR_INPUT); /* no agency */
    snprintf(u.agency, sizeof u.agency, "包括A");
    err_clear(&e);
    assert_int_equal(auth_user_check(&u, &e), ERR_OK);
    u.role = AUTH_ROLE_OFFICIAL;
    assert_int_equal(auth_user_check(&u, &e), ERR_INPUT); /* an official has no assignment */
    u.role = AUTH_ROLE_OUTREACH;
    u.agency[0] = '\0';
    assert_int_equal(auth_user_check(&u, &e), ERR_INPUT); /* no assignment at all */
    err_clear(&e);
    assert_int_equal(auth_district_parse("elementary:E05", u.level, u.district, &e), ERR_OK);
    assert_string_equal(u.level, "elementary");
    assert_string_equal(u.district, "E05");
    assert_int_equal(auth_user_check(&u, &e), ERR_OK);
    assert_true(auth_user_scoped(&u));
    const char *bad_district[] = {"E05", ":E05", "elementary:", ""};
    for (size_t i = 0; i < sizeof bad_district / sizeof bad_district[0]; i++)
        assert_int_equal(auth_district_parse(bad_district[i], u.level, u.district, &e), ERR_INPUT);
    const char *bad_names[] = {"", "cli:root", "a b", "名前", "x\n"};
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        struct auth_user v;
        memset(&v, 0, sizeof v);
        snprintf(v.name, sizeof v.name, "%s", bad_names[i]);
        v.role = AUTH_ROLE_OFFICIAL;
        assert_int_equal(auth_user_check(&v, &e), ERR_INPUT);
    }
}

/* ---- the throttle ---- */

static void test_limiter(void **state)
{
    struct err e = {0};
    struct auth_limiter *l = auth_limiter_new(3, 0.5, &e); /* 3 at once, then one per 2 s */
    assert_non_null(l);
    double t = 1000;
    for (int i = 0; i < 3; i++)
        assert_true(auth_limiter_take(l, "10.0.0.1", t) == 0);
    double wait = auth_limiter_take(l, "10.0.0.1", t);
    assert_true(wait > 1.9 && wait <= 2.0);
    assert_true(auth_limiter_take(l, "10.0.0.2", t) == 0); /* another client is not affected */
    assert_true(auth_limiter_take(l, "10.0.0.1", t + 1.0) > 0);
    assert_true(auth_limiter_take(l, "10.0.0.1", t + 2.0) == 0); /* refilled one */
    assert_true(auth_limiter_take(l, "10.0.0.1", t + 2.0) > 0);
    /* A success gives its attempt back. */
    auth_limiter_refund(l, "10.0.0.1", t + 2.0);
    assert_true(auth_limiter_take(l, "10.0.0.1", t + 2.0) == 0);
    /* Many other clients do not push a throttled one out of the table. */
    char key[32];
    for (int i = 0; i < 3 * AUTH_LIMITER_SLOTS; i++) {
        snprintf(key, sizeof key, "192.168.%d.%d", i / 256, i % 256);
        auth_limiter_take(l, key, t + 2.5);
    }
    assert_true(auth_limiter_take(l, "10.0.0.1", t + 2.5) > 0);
    /* After a long quiet spell the bucket is full again, never fuller. */
    for (int i = 0; i < 3; i++)
        assert_true(auth_limiter_take(l, "10.0.0.1", t + 1000) == 0);
    assert_true(auth_limiter_take(l, "10.0.0.1", t + 1000) > 0);
    auth_limiter_free(l);
}

/* ---- users, tokens and the audit log in the store ---- */

/* Copies the user found (store_user_by_token's callback). */
static int take_user(void *ctx, const struct store_user *u)
{
    snprintf(ctx, AUTH_NAME_MAX + 1, "%s", u->name);
    return ERR_OK;
}

static int count_users(void *ctx, const struct store_user *u)
{
    (*(int *)ctx)++;
    return ERR_OK;
}

/* The records seen by store_audit_each. */
struct seen {
    int n;           /* records */
    char first[256]; /* the first record's ids, endpoint and client */
    char ids[256];   /* the last record's ids */
    char user[64];   /* its user */
};

static int take_audit(void *ctx, const struct store_audit *a)
{
    struct seen *s = ctx;
    if (s->n++ == 0)
        snprintf(s->first, sizeof s->first, "%s %s %s %ld %s", a->user, a->endpoint, a->client,
                 a->households, a->ids);
    snprintf(s->ids, sizeof s->ids, "%s", a->ids);
    snprintf(s->user, sizeof s->user, "%s", a->user);
    return ERR_OK;
}

static void test_store_users(void **state)
{
    char *dir = tu_tmpdir();
    char *path = tu_path(dir, "users.db");
    struct err e = {0};
    struct store *st = store_open(path, &e);
    assert_non_null(st);
    char tok[AUTH_TOKEN_LEN + 1], other[AUTH_TOKEN_LEN + 1];
    unsigned char h[AUTH_HASH_BYTES], h2[AUTH_HASH_BYTES];
    assert_int_equal(auth_token_new(tok, &e), ERR_OK);
    assert_int_equal(auth_token_new(other, &e), ERR_OK);
    auth_token_hash(tok, h);
    auth_token_hash(other, h2);
    struct store_user u = {.name = "sato", .role = "official"};
    assert_int_equal(store_user_add(st, &u, h, &e), ERR_OK);
    struct store_user v = {
        .name = "suzuki", .role = "outreach", .level = "elementary", .district = "E05"};
    assert_int_equal(store_user_add(st, &v, h2, &e), ERR_OK);
    err_clear(&e);
    unsigned char h3[AUTH_HASH_BYTES];
    auth_token_hash("another token", h3);
    assert_int_equal(store_user_add(st, &u, h3, &e), ERR_INPUT); /* the name is taken */
    assert_non_null(strstr(e.msg, "sato"));
    char name[AUTH_NAME_MAX + 1] = "";
    assert_int_equal(store_user_by_token(st, h, take_user, name, &e), ERR_OK);
    assert_string_equal(name, "sato");
    assert_int_equal(store_user_by_token(st, h2, take_user, name, &e), ERR_OK);
    assert_string_equal(name, "suzuki");
    unsigned char wrong[AUTH_HASH_BYTES];
    memcpy(wrong, h, sizeof wrong);
    wrong[AUTH_HASH_BYTES - 1] ^= 1; /* a hash one bit away from a real one */
    err_clear(&e);
    assert_int_equal(store_user_by_token(st, wrong, take_user, name, &e), ERR_NOTFOUND);
    /* Revoked: the token no longer finds anyone; the name stays taken. */
    assert_int_equal(store_user_revoke(st, "sato", &e), ERR_OK);
    err_clear(&e);
    assert_int_equal(store_user_by_token(st, h, take_user, name, &e), ERR_NOTFOUND);
    assert_int_equal(store_user_revoke(st, "sato", &e), ERR_INPUT);
    err_clear(&e);
    assert_int_equal(store_user_revoke(st, "nobody", &e), ERR_NOTFOUND);
    int n = 0;
    assert_int_equal(store_users_each(st, count_users, &n, &e), ERR_OK);
    assert_int_equal(n, 2);
    store_close(st);

    /* The audit log: records with ids, read back since a date. */
    struct audit_log *log = audit_open(path, &e);
    assert_non_null(log);
    const char *ids[] = {"H0001", "H\"2"};
    struct audit_read r = {"suzuki", "outreach", "/api/route", "127.0.0.1", 2, ids, NULL};
    assert_int_equal(audit_record(log, &r, &e), ERR_OK);
    char who[AUDIT_OPERATOR_MAX];
    audit_operator(who, sizeof who);
    assert_memory_equal(who, "cli:", 4);
    assert_true(strlen(who) > 4);
    struct audit_read r2 = {who, "operator", "cli route", "local", 0, NULL, NULL};
    assert_int_equal(audit_record(log, &r2, &e), ERR_OK);
    audit_close(log);
    st = store_open_readonly(path, &e);
    assert_non_null(st);
    struct seen s = {0};
    assert_int_equal(store_audit_each(st, "2000-01-01", take_audit, &s, &e), ERR_OK);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.user, who);
    assert_string_equal(s.ids, "[]");
    assert_string_equal(s.first, "suzuki /api/route 127.0.0.1 2 [\"H0001\",\"H\\\"2\"]");
    memset(&s, 0, sizeof s);
    assert_int_equal(store_audit_each(st, "9999-01-01", take_audit, &s, &e), ERR_OK);
    assert_int_equal(s.n, 0);
    store_close(st);

    /* One salt per id however the ids are escaped (store_audit_salts counts
     * them without parsing), and the chain verifies. */
    log = audit_open(path, &e);
    assert_non_null(log);
    const char *odd[] = {"a\\b", "\"", "世帯3", "", "x,y", "]", "H\n"};
    struct audit_read r3 = {who, "operator", "cli coverage", "local", 7, odd, NULL};
    assert_int_equal(audit_record(log, &r3, &e), ERR_OK);
    audit_close(log);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT households, length(salts) FROM audit ORDER BY id",
                                        -1, &q, NULL),
                     SQLITE_OK);
    int rows = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        rows++;
        assert_int_equal(sqlite3_column_int(q, 1), 16 * sqlite3_column_int(q, 0));
    }
    assert_int_equal(rows, 3);
    sqlite3_finalize(q);
    sqlite3_close(db);
    st = store_open_readonly(path, &e);
    assert_non_null(st);
    struct store_audit_check k;
    assert_int_equal(store_audit_verify(st, &k, &e), ERR_OK);
    assert_int_equal(k.records, 3);
    assert_int_equal(k.broken_id, 0);
    store_close(st);
    free(path);
    free(dir);
}

/* The audit writer while another connection holds the write lock (an
 * import): the read is refused with ERR_BUSY, its record is withdrawn and
 * never written later; once the lock is free, records are written and the
 * chain verifies. */
static void test_audit_busy(void **state)
{
    (void)state;
    char *dir = tu_tmpdir();
    char *path = tu_path(dir, "busy.db");
    struct err e = {0};
    struct store *importer = store_open(path, &e);
    assert_non_null(importer);
    struct audit_log *log = audit_open(path, &e);
    assert_non_null(log);
    audit_set_wait(log, 300);
    assert_int_equal(store_begin(importer, &e), ERR_OK);
    const char *ids[] = {"H0001"};
    struct audit_read r = {"sato", "coordinator", "/api/households/H0001", "127.0.0.1", 1,
                           ids,    NULL};
    assert_int_equal(audit_record(log, &r, &e), ERR_BUSY);
    assert_int_equal(err_http_status(e.code), 503);
    store_rollback(importer);
    store_close(importer);
    err_clear(&e);
    struct audit_read r2 = {"sato", "coordinator", "/api/households", "127.0.0.1", 0, NULL, NULL};
    assert_int_equal(audit_record(log, &r2, &e), ERR_OK);
    assert_int_equal(audit_record(log, &r2, &e), ERR_OK);
    audit_close(log);
    struct store *st = store_open(path, &e);
    assert_non_null(st);
    struct seen s = {0};
    assert_int_equal(store_audit_each(st, "2000-01-01", take_audit, &s, &e), ERR_OK);
    assert_int_equal(s.n, 2); /* the refused read left no record */
    struct store_audit_check k;
    assert_int_equal(store_audit_verify(st, &k, &e), ERR_OK);
    assert_int_equal(k.records, 2);
    assert_int_equal(k.broken_id, 0);
    store_close(st);
    free(path);
    free(dir);
}

/* ---- households by assignment ---- */

static int demo_setup(void **state)
{
    *state = pf_demo_town();
    return 0;
}

static int demo_teardown(void **state)
{
    pf_free(*state);
    return 0;
}

/* Collects listed ids ("," separated) and checks no row lacks a district. */
struct listing {
    int n;           /* rows */
    char first[16];  /* the first id */
    int no_district; /* rows without a district code */
};

static int take_row(void *ctx, const struct store_scope_household *h)
{
    struct listing *l = ctx;
    if (l->n++ == 0)
        snprintf(l->first, sizeof l->first, "%s", h->ext_id);
    l->no_district += h->district == NULL;
    return ERR_OK;
}

static void test_scope(void **state)
{
    struct pf_db *d = *state;
    struct err e = {0};
    /* data/town_households.csv: H0003 (包括A, E03), H0001 (子ども家庭),
     * H0400 does not exist. */
    const char *ids[] = {"H0003", "H0001", "H0400", "", "H0003' OR '1'='1"};
    unsigned char in[5];
    struct store_scope agency = {"包括A", NULL, NULL, 0};
    assert_int_equal(store_scope_check(d->st, &agency, ids, 5, in, NULL, &e), ERR_OK);
    assert_int_equal(in[0], 1);
    assert_int_equal(in[1], 0); /* another agency's */
    assert_int_equal(in[2], 0); /* missing: the same answer */
    assert_int_equal(in[3], 0);
    assert_int_equal(in[4], 0);
    struct store_scope e03 = {NULL, "elementary", "E03", 0};
    assert_int_equal(store_scope_check(d->st, &e03, ids, 2, in, NULL, &e), ERR_OK);
    assert_int_equal(in[0], 1);
    assert_int_equal(in[1], 0);
    struct store_scope both = {"子ども家庭", "elementary", "E03", 0};
    assert_int_equal(store_scope_check(d->st, &both, ids, 2, in, NULL, &e), ERR_OK);
    assert_int_equal(in[0], 0); /* right district, wrong agency */
    struct store_scope gone = {NULL, "elementary", "E99", 0};
    assert_int_equal(store_scope_check(d->st, &gone, ids, 2, in, NULL, &e), ERR_OK);
    assert_int_equal(in[0] + in[1], 0); /* a district that is not there holds nothing */

    /* Listing: 包括A's households (108 in the demo), in id order, with
     * their elementary district; the need filter narrows. */
    struct listing l = {0};
    assert_int_equal(
        store_scope_households(d->st, &agency, "elementary", NULL, NULL, 5000, take_row, &l, &e),
        ERR_OK);
    assert_int_equal(l.n, 108);
    assert_string_equal(l.first, "H0003");
    struct listing need = {0};
    assert_int_equal(store_scope_households(d->st, &agency, "elementary", "高齢独居", NULL, 5000,
                                            take_row, &need, &e),
                     ERR_OK);
    assert_true(need.n > 0 && need.n < l.n);
    struct listing one = {0};
    assert_int_equal(
        store_scope_households(d->st, &agency, NULL, NULL, "H0001", 5000, take_row, &one, &e),
        ERR_OK);
    assert_int_equal(one.n, 0); /* not 包括A's */
    struct listing cut = {0};
    err_clear(&e);
    assert_int_equal(
        store_scope_households(d->st, &agency, NULL, NULL, NULL, 10, take_row, &cut, &e),
        ERR_LIMIT);
    assert_int_equal(cut.n, 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_hash),
        cmocka_unit_test(test_equal),
        cmocka_unit_test(test_bearer),
        cmocka_unit_test(test_policy),
        cmocka_unit_test(test_user_check),
        cmocka_unit_test(test_limiter),
        cmocka_unit_test(test_store_users),
        cmocka_unit_test(test_audit_busy),
        cmocka_unit_test_setup_teardown(test_scope, demo_setup, demo_teardown),
    };
    return cmocka_run_group_tests_name("auth", tests, NULL, NULL);
}
