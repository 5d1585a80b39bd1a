/* SPDX-License-Identifier: MIT */
/* mvt_gdal.h - an independent reader for the tile tests: hands tile bytes
 * to GDAL's MVT driver through /vsimem, georeferenced as tile z/x/y in
 * EPSG:3857 (or in tile units with y pointing up, GDAL's choice, when z < 0), so the tests check
 * what tsunagu writes against a decoder it did not write. Include after
 * cmocka.h; functions are static inline. */
#ifndef TSUNAGU_MVT_GDAL_H
#define TSUNAGU_MVT_GDAL_H

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <cpl_vsi.h>

#include <stdio.h>

/* Opens bytes[0..len) as a tile; close with mg_close. */
static inline GDALDatasetH mg_open(const unsigned char *bytes, size_t len, int z, long x, long y,
                                   char *name, size_t name_n)
{
    static int serial;
    GDALAllRegister();
    snprintf(name, name_n, "/vsimem/mvt_gdal_%d.mvt", ++serial);
    VSILFILE *f = VSIFileFromMemBuffer(name, (GByte *)bytes, (vsi_l_offset)len, FALSE);
    assert_non_null(f);
    VSIFCloseL(f);
    char zs[32], xs[32], ys[32];
    snprintf(zs, sizeof zs, "Z=%d", z);
    snprintf(xs, sizeof xs, "X=%ld", x);
    snprintf(ys, sizeof ys, "Y=%ld", y);
    const char *const drivers[] = {"MVT", NULL};
    /* CLIP=NO: GDAL would otherwise cut away the buffer tsunagu writes. */
    const char *const georef[] = {zs, xs, ys, "CLIP=NO", NULL};
    const char *const raw[] = {"CLIP=NO", NULL};
    GDALDatasetH ds =
        GDALOpenEx(name, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, z >= 0 ? georef : raw, NULL);
    if (ds == NULL)
        fail_msg("GDAL cannot open the tile: %s", CPLGetLastErrorMsg());
    return ds;
}

static inline void mg_close(GDALDatasetH ds, const char *name)
{
    GDALClose(ds);
    VSIUnlink(name);
}

/* Feature count of layer `layer` (0 when the tile has no such layer). */
static inline long mg_count(GDALDatasetH ds, const char *layer)
{
    OGRLayerH l = GDALDatasetGetLayerByName(ds, layer);
    return l ? (long)OGR_L_GetFeatureCount(l, TRUE) : 0;
}

#endif
