/* SPDX-License-Identifier: MIT */
/* testutil.h - helpers shared by the cmocka tests: temporary directories,
 * writing small input files, and locating ../shared/data (tests that need it
 * skip with a message when it is absent). */
#ifndef TSUNAGU_TESTUTIL_H
#define TSUNAGU_TESTUTIL_H

#include <stddef.h>

/* Creates a fresh temporary directory; returns a malloc'd path (the test
 * process removes nothing: the OS temp dir is cleaned by the system). */
char *tu_tmpdir(void);

/* Writes text to dir/name and returns a malloc'd path to it. */
char *tu_write(const char *dir, const char *name, const char *text);

/* Path of a file under $TSUNAGU_SHARED (malloc'd), or NULL when absent. */
char *tu_shared(const char *rel);

/* Like tu_shared but skips the current test with a message when absent. */
char *tu_require_shared(const char *rel);

/* Joins dir and name into a malloc'd path. */
char *tu_path(const char *dir, const char *name);

#endif
