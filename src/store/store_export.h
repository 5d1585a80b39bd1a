/* SPDX-License-Identifier: MIT */
/* store_export.h - the printed 地域資源リスト: the active resources of the
 * register with their public fields and the name of the district of each
 * level containing them, as CSV that Excel opens correctly in Japanese
 * (UTF-8 with a byte order mark, CRLF line ends, values made safe by
 * escape_csv) or as a GeoJSON FeatureCollection (CRS84). Nothing here
 * reads households; retired resources are left out.
 *
 * Entry points: store_export_resources.
 */
#ifndef TSUNAGU_STORE_EXPORT_H
#define TSUNAGU_STORE_EXPORT_H

#include "store.h"

#include <stdio.h>

/* Export formats. */
enum store_export_format { STORE_EXPORT_CSV = 1, STORE_EXPORT_GEOJSON = 2 };

/* Writes the resources to `out` in `format`. With `level` (a district
 * level key) only that level's district is named and rows are sorted by
 * that district, kind and name; without, every level gets a column and
 * rows keep their id order. ERR_INPUT when the level does not exist,
 * ERR_IO on a database or write error. */
int store_export_resources(struct store *s, int format, const char *level, FILE *out,
                           struct err *e);

#endif
