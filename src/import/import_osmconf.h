/* SPDX-License-Identifier: MIT */
/* import_osmconf.h - GDAL's OSM reader takes its tag-to-attribute settings
 * from an osmconf.ini file only, so the importers that read raw OSM
 * (import_network.c, import_basemap.c) write their own settings into a
 * temporary file for the import's duration.
 *
 * Entry points: import_osmconf_write. */
#ifndef TSUNAGU_IMPORT_OSMCONF_H
#define TSUNAGU_IMPORT_OSMCONF_H

#include "err.h"

#include <stddef.h>

/* Writes `text` into a new temporary file under $TMPDIR (else /tmp); its
 * path goes to path (n bytes), which the caller unlinks when done. ERR_IO
 * with a sentence naming the directory when it cannot (path is then "" or
 * the file to unlink). */
int import_osmconf_write(const char *text, char *path, size_t n, struct err *e);

#endif
