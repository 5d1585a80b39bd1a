/* SPDX-License-Identifier: MIT */
/* demogen.h - deterministic generator of the fictional demo town 架空市つなぐ町.
 *
 * Entry point: demogen_write(), which writes the demo data set (walking
 * network, school districts, census small areas, welfare resources, synthetic
 * at-risk households, candidate sites and a README) into one directory. The
 * CLI exposes it as `tsunagu generate-demo DIR`; the committed copy lives in
 * data/. Everything generated is fictional and contains no personal data.
 *
 * Entry points: demogen_write.
 */
#ifndef TSUNAGU_DEMOGEN_H
#define TSUNAGU_DEMOGEN_H

#include "err.h"

/* Number of files demogen_write() produces. */
#define DEMOGEN_NFILES 8

/* Names of the files demogen_write() produces, relative to its directory,
 * in the order it writes them. Borrowed, static storage. */
extern const char *const demogen_file_names[DEMOGEN_NFILES];

/* Origin of the town's local metric frame (degrees, WGS84/JGD2011). The town
 * spans about 2 km either side east-west and 1.5 km either side north-south. */
#define DEMOGEN_ORIGIN_LON 136.95
#define DEMOGEN_ORIGIN_LAT 34.95

/* Longest directory name demogen_write() accepts, in bytes. */
#define DEMOGEN_DIR_MAX 3000

/* Write the demo data set into `dir`, creating the directory (one level) if
 * it does not exist and overwriting files of the same names. Output is
 * byte-identical on every run and every platform with IEEE double arithmetic.
 * Each file is written to a temporary name and renamed into place, so no file
 * is ever left half-written; on failure, files written before the failing one
 * stay replaced and the rest are untouched.
 * Returns ERR_OK, or ERR_INPUT (dir NULL or empty), ERR_LIMIT (dir longer
 * than DEMOGEN_DIR_MAX), ERR_IO (a file could not be written; the message
 * names it), ERR_NOMEM or ERR_INTERNAL, with a sentence in `e`. */
int demogen_write(const char *dir, struct err *e);

#endif
