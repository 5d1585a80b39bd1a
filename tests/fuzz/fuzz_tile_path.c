/* SPDX-License-Identifier: MIT */
/* fuzz_tile_path.c - fuzz target for tile addresses and the tile request
 * headers (src/tiles.c, src/http_tiles.c). The input is a tile path such as
 * "/tiles/resources/14/14338/6535.mvt" (decoded as libmicrohttpd decodes
 * it); its last three segments go to tiles_parse_zxy, and the whole text is
 * also tried as an Accept-Encoding and an If-None-Match header.
 * Invariants: an accepted address has 0 <= z <= TILES_ZOOM_MAX and
 * 0 <= x, y < 2^z; its Web Mercator bounds are finite, ordered and inside
 * the world; the tile that tiles_tile_of finds for its centre is itself. */
#include "fuzzutil.h"
#include "http_tiles.h"
#include "tiles.h"

#include <math.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_TILE_SEGMENTS 8 /* path segments looked at */

static void fuzz_tile_accepted(int z, long x, long y)
{
    fz_check(z >= 0 && z <= TILES_ZOOM_MAX, "zoom within 0..TILES_ZOOM_MAX");
    long last = (1L << z) - 1;
    fz_check(x >= 0 && x <= last && y >= 0 && y <= last, "x and y within 0..2^z-1");
    double b[4];
    tiles_bounds(z, x, y, b);
    for (int i = 0; i < 4; i++)
        fz_check(isfinite(b[i]) && fabs(b[i]) <= TILES_MERC_MAX * (1 + 1e-12),
                 "tile bounds are finite and inside the world");
    fz_check(b[0] < b[2] && b[1] < b[3], "tile bounds are ordered");
    double lon, lat;
    tiles_merc_to_lonlat((b[0] + b[2]) / 2, (b[1] + b[3]) / 2, &lon, &lat);
    long tx = -1, ty = -1;
    struct err e = {0};
    fz_check(tiles_tile_of(lon, lat, z, &tx, &ty, &e) == ERR_OK && tx == x && ty == y,
             "the tile holding a tile's centre is that tile");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 8192)
        return 0; /* the server refuses targets over SERVER_URL_MAX bytes */
    char *text = fz_text(data, size);
    char *path = fz_text(data, size);
    MHD_http_unescape(path);
    char *segs[FUZZ_TILE_SEGMENTS];
    size_t n = fz_split(path, '/', segs, FUZZ_TILE_SEGMENTS);
    if (n >= 3) {
        int z = -1;
        long x = -1, y = -1;
        struct err e = {0};
        int rc = tiles_parse_zxy(segs[n - 3], segs[n - 2], segs[n - 1], &z, &x, &y, &e);
        if (rc == ERR_OK)
            fuzz_tile_accepted(z, x, y);
        else
            fz_check(e.code == ERR_INPUT && e.msg[0] != '\0',
                     "a refused address is a 400 with a sentence");
    }
    /* Any decimal z with numbers taken from the input: tiles_tile_of must
     * refuse what it cannot place and place everything else. */
    if (size >= 17) {
        double lon, lat;
        memcpy(&lon, data, sizeof lon);
        memcpy(&lat, data + 8, sizeof lat);
        int z = (int)(signed char)data[16];
        long tx = -1, ty = -1;
        struct err e = {0};
        if (tiles_tile_of(lon, lat, z, &tx, &ty, &e) == ERR_OK) {
            fz_check(z >= 0 && z <= TILES_ZOOM_MAX, "tiles_tile_of takes zooms in range only");
            fz_check(tx >= 0 && tx < (1L << z) && ty >= 0 && ty < (1L << z),
                     "tiles_tile_of answers a tile of the grid");
        }
        double mx, my;
        if (isfinite(lon) && isfinite(lat) && fabs(lon) <= 180) {
            tiles_lonlat_to_merc(lon, lat, &mx, &my);
            fz_check(isfinite(mx) && isfinite(my), "finite lon/lat project to finite metres");
        }
    }
    int g = http_tiles_accepts_gzip(text);
    fz_check(g == 0 || g == 1, "http_tiles_accepts_gzip answers 0 or 1");
    int m = http_tiles_etag_matches(text, "\"0123456789abcdef\"");
    fz_check(m == 0 || m == 1, "http_tiles_etag_matches answers 0 or 1");
    free(path);
    free(text);
    return 0;
}
