/* SPDX-License-Identifier: MIT */
/* import_attrib.h - the credit an imported file's publisher requires,
 * recognised from the file's own layout (the field names each publisher
 * uses), recorded with the import so that the page and reports can show
 * it. Recognised: OpenStreetMap (GDAL's OSM driver, or osm_id/osmid or
 * osmnx's u/v fields), 国土数値情報 A27/A32/P14/P20/P29 (by their field
 * prefixes), census small areas (KEY_CODE with JINKO or SETAI). Other files
 * carry no credit.
 *
 * Entry points: import_attrib_detect, import_attrib_record. */
#ifndef TSUNAGU_IMPORT_ATTRIB_H
#define TSUNAGU_IMPORT_ATTRIB_H

#include "err.h"
#include "source.h"
#include "store.h"

/* The credit of the file open in src (osm: read through GDAL's OSM driver),
 * static text, or NULL when its layout names no publisher. */
const char *import_attrib_detect(const struct source *src, int osm);

/* Records the credit of source `key` of import kind `kind`
 * (import_attrib_detect's; none removes an older one) inside the import's
 * transaction. */
int import_attrib_record(struct store *st, const char *kind, const char *key,
                         const struct source *src, int osm, struct err *e);

#endif
