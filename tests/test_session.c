/* SPDX-License-Identifier: MIT */
/* test_session.c - the server's browser sessions (src/access/session.c)
 * with a fake clock: an id finds its token hash, the idle and the absolute
 * timeouts end a session, sign-out ends it, unknown and malformed ids find
 * nothing, and a full table makes room by dropping the session idle
 * longest. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "session.h"

static void test_session_find(void **state)
{
    (void)state;
    struct err e = {0};
    struct session_table *t = session_table_new(&e);
    assert_non_null(t);
    unsigned char tok[AUTH_HASH_BYTES], got[AUTH_HASH_BYTES];
    auth_token_hash("tsu_someone", tok);
    char id[SESSION_ID_LEN + 1], id2[SESSION_ID_LEN + 1];
    assert_int_equal(session_open(t, tok, 100.0, id, &e), ERR_OK);
    assert_int_equal(strlen(id), SESSION_ID_LEN);
    assert_true(auth_token_check(id));
    assert_int_equal(session_open(t, tok, 100.0, id2, &e), ERR_OK);
    assert_string_not_equal(id, id2);
    memset(got, 0, sizeof got);
    assert_int_equal(session_find(t, id, 101.0, got), 1);
    assert_memory_equal(got, tok, sizeof tok);
    /* Unknown, malformed and altered ids find nothing. */
    char other[SESSION_ID_LEN + 1];
    assert_int_equal(auth_token_new(other, &e), ERR_OK);
    assert_int_equal(session_find(t, other, 101.0, got), 0);
    assert_int_equal(session_find(t, "", 101.0, got), 0);
    assert_int_equal(session_find(t, "tsu_short", 101.0, got), 0);
    /* Sign-out ends one session, not the other. */
    assert_int_equal(session_close(t, id), 1);
    assert_int_equal(session_close(t, id), 0);
    assert_int_equal(session_find(t, id, 102.0, got), 0);
    assert_int_equal(session_find(t, id2, 102.0, got), 1);
    assert_int_equal(session_count(t), 1);
    session_table_free(t);
}

static void test_session_timeouts(void **state)
{
    (void)state;
    struct err e = {0};
    struct session_table *t = session_table_new(&e);
    unsigned char tok[AUTH_HASH_BYTES], got[AUTH_HASH_BYTES];
    auth_token_hash("tsu_someone", tok);
    char id[SESSION_ID_LEN + 1];
    /* Idle: used every 29 minutes it lives on; 31 minutes idle ends it. */
    assert_int_equal(session_open(t, tok, 0.0, id, &e), ERR_OK);
    double now = 0;
    for (int i = 0; i < 10; i++) {
        now += SESSION_IDLE_SECONDS - 60;
        assert_int_equal(session_find(t, id, now, got), 1);
    }
    assert_int_equal(session_find(t, id, now + SESSION_IDLE_SECONDS + 60, got), 0);
    assert_int_equal(session_count(t), 0); /* forgotten when found expired */
    /* Absolute: even in constant use it ends SESSION_MAX_SECONDS after sign-in. */
    assert_int_equal(session_open(t, tok, 0.0, id, &e), ERR_OK);
    for (now = 600; now <= SESSION_MAX_SECONDS; now += 600)
        assert_int_equal(session_find(t, id, now, got), 1);
    assert_int_equal(session_find(t, id, SESSION_MAX_SECONDS + 1, got), 0);
    session_table_free(t);
}

static void test_session_full(void **state)
{
    (void)state;
    struct err e = {0};
    struct session_table *t = session_table_new(&e);
    unsigned char tok[AUTH_HASH_BYTES], got[AUTH_HASH_BYTES];
    auth_token_hash("tsu_someone", tok);
    char first[SESSION_ID_LEN + 1], id[SESSION_ID_LEN + 1], kept[SESSION_ID_LEN + 1];
    assert_int_equal(session_open(t, tok, 0.0, first, &e), ERR_OK);
    assert_int_equal(session_open(t, tok, 1.0, kept, &e), ERR_OK);
    for (int i = 2; i < SESSION_SLOTS; i++)
        assert_int_equal(session_open(t, tok, 2.0, id, &e), ERR_OK);
    assert_int_equal(session_count(t), SESSION_SLOTS);
    assert_int_equal(session_find(t, kept, 3.0, got), 1);
    /* One more: the one idle longest (first) makes room. */
    assert_int_equal(session_open(t, tok, 4.0, id, &e), ERR_OK);
    assert_int_equal(session_count(t), SESSION_SLOTS);
    assert_int_equal(session_find(t, first, 5.0, got), 0);
    assert_int_equal(session_find(t, kept, 5.0, got), 1);
    assert_int_equal(session_find(t, id, 5.0, got), 1);
    session_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_session_find),
        cmocka_unit_test(test_session_timeouts),
        cmocka_unit_test(test_session_full),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
