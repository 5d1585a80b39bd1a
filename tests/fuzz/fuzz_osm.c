/* SPDX-License-Identifier: MIT */
/* fuzz_osm.c - fuzz target for the walking-network import of raw
 * OpenStreetMap XML: the input is written to a .osm file and imported with
 * `import network` (GDAL's OSM driver with tsunagu's osmconf, the
 * pedestrian rules of osmtags.c, noding in netbuild.c, the store) into a
 * fresh database (empty for one input in four, size % 4 == 0, else with
 * FZ_SRID fixed, see fuzzutil.h). Invariants (fz_import): the import succeeds, or fails
 * with a sentence and leaves the database exactly as it was. */
#include "fuzzutil.h"
#include "import.h"

#define FUZZ_OSM_MAX 32768 /* bytes of input looked at */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || size > FUZZ_OSM_MAX)
        return 0;
    const char *path = fz_write("in.osm", data, size);
    struct store *st = fz_store_fresh(size % 4 == 0);
    fz_import(st, IMPORT_NETWORK, path);
    store_close(st);
    return 0;
}
