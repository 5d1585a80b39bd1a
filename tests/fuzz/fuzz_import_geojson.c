/* SPDX-License-Identifier: MIT */
/* fuzz_import_geojson.c - fuzz target for GeoJSON (and whatever else GDAL
 * recognises in the bytes) through the real import pipeline: the input is
 * written to a .geojson file and imported into a fresh database as the
 * layer its first geometry suggests: districts (and census small areas)
 * for polygons, the walking network for lines, resources for points and
 * anything else. One input in four (size % 4 == 0) starts from an empty
 * database, so the import also picks and fixes the CRS; the others start
 * with FZ_SRID fixed (fuzzutil.h says why). Invariants (fz_import): each
 * import succeeds, or fails with a sentence and leaves the database
 * exactly as it was. */
#include "fuzzutil.h"
#include "import.h"

#include <stdlib.h>
#include <string.h>

#define FUZZ_GEOJSON_MAX 16384 /* bytes of input looked at */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || size > FUZZ_GEOJSON_MAX)
        return 0;
    char *text = fz_text(data, size);
    const char *poly = strstr(text, "Polygon");
    const char *line = strstr(text, "LineString");
    const char *point = strstr(text, "Point");
    /* The first geometry type named in the text picks the layer. */
    const char *first = poly;
    if (line && (!first || line < first))
        first = line;
    if (point && (!first || point < first))
        first = point;
    const char *path = fz_write("in.geojson", data, size);
    struct store *st = fz_store_fresh(size % 4 == 0);
    if (first != NULL && first == poly) {
        fz_import(st, IMPORT_DISTRICTS, path);
        fz_import(st, IMPORT_POPULATION, path);
    } else if (first != NULL && first == line) {
        fz_import(st, IMPORT_NETWORK, path);
    } else {
        fz_import(st, IMPORT_RESOURCES, path);
    }
    store_close(st);
    free(text);
    return 0;
}
