/* SPDX-License-Identifier: MIT */
/* paths.h - where the program's own files are: the web page and the demo
 * town's data. An installed program finds them beside its own prefix
 * (PREFIX/bin/tsunagu -> PREFIX/share/tsunagu/web, .../data), so a package
 * or `cmake --install --prefix P` works wherever it is put; a build tree
 * falls back to the source tree it was built from. An environment variable
 * (TSUNAGU_WEB, TSUNAGU_DATA) overrides both.
 *
 * Entry points: paths_share. */
#ifndef TSUNAGU_PATHS_H
#define TSUNAGU_PATHS_H

#include "err.h"

#include <stddef.h>

#define PATHS_MAX 4096 /* bytes of a path this module returns */

/* Finds the directory `what` ("web" or "data") that holds the file `probe`
 * (e.g. "index.html"): $env (when env is not NULL and set; ERR_NOTFOUND when
 * it lacks probe), else ./what, else PREFIX/share/tsunagu/what beside the
 * running executable, else the source tree's what/. Copies it into buf (n
 * bytes). ERR_NOTFOUND naming the places looked at when none holds it. */
int paths_share(const char *what, const char *probe, const char *env, char *buf, size_t n,
                struct err *e);

#endif
