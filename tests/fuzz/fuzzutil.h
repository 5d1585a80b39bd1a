/* SPDX-License-Identifier: MIT */
/* fuzzutil.h - helpers shared by the fuzz targets (tests/fuzz/fuzz_*.c),
 * which libFuzzer drives in a TSUNAGU_FUZZ build and tests/fuzz/replay.c
 * drives in every other build: text copies of the input, splitting it into
 * fields, a private temporary directory (removed at exit) for targets that
 * go through files, a fresh database per input, and a failing check that
 * aborts so both drivers report it as a crash.
 *
 * Every target defines LLVMFuzzerTestOneInput and may define
 * LLVMFuzzerInitialize; both drivers call them the same way. */
#ifndef TSUNAGU_FUZZUTIL_H
#define TSUNAGU_FUZZUTIL_H

#include "err.h"
#include "store.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A NUL-terminated copy of data[0..n) (malloc'd; the caller frees). A NUL
 * byte inside the input ends the string early, as it would in C text.
 * Aborts when out of memory. */
char *fz_text(const uint8_t *data, size_t n);

/* Cuts s in place at every `sep`, storing up to `max` field starts in
 * fields; returns how many were stored (the rest stays in the last). */
size_t fz_split(char *s, char sep, char **fields, size_t max);

/* Aborts with "fuzz invariant failed: what" when cond is 0. */
void fz_check(int cond, const char *what);

/* This process's private temporary directory (created on first use under
 * $TMPDIR, removed with its files at exit). TMPDIR and CPL_TMPDIR point
 * into it afterwards, so the libraries' temporary files land there too. */
const char *fz_tmpdir(void);

/* Writes data[0..n) to fz_tmpdir()/name, replacing the file, and returns
 * the path (static storage, valid until the next call). Aborts on I/O
 * failure. */
const char *fz_write(const char *name, const uint8_t *data, size_t n);

/* The CRS of fz_store_fresh's prepared database: JGD2011 / Japan Plane
 * Rectangular CS VII, the demo town's. */
#define FZ_SRID 6675

/* Opens a fresh tsunagu database in fz_tmpdir(), a copy of a template made
 * once so each input starts from the same state: empty when `empty`, else
 * with its CRS already fixed to FZ_SRID, as after a first import (fixing
 * the CRS creates every spatial table, ~100 ms, which would otherwise
 * dominate each input). The caller closes it with store_close. Aborts when
 * it cannot be made. */
struct store *fz_store_fresh(int empty);

/* Runs one import of `kind` (enum import_kind) of the file at `path` into
 * st, as `tsunagu import` would (districts at level "elementary"), and
 * checks the contract every import keeps: success, or a failure with a
 * sentence that leaves the database exactly as it was (store_fingerprint).
 * Returns the import's status. */
int fz_import(struct store *st, int kind, const char *path);

/* As fz_import, leaving the import's error in e for further checks. */
int fz_import_err(struct store *st, int kind, const char *path, struct err *e);

/* 1 when s is valid UTF-8 (no overlong forms, no surrogates). */
int fz_utf8_ok(const char *s);

#endif
