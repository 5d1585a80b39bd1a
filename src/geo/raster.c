/* SPDX-License-Identifier: MIT */
/* raster.c - the area within a distance of lines, traced on a grid with GDAL
 * (see raster.h). Entry point: raster_line_area. Everything lives in GDAL's
 * in-memory drivers (MEM raster, Memory vector); nothing touches disk. */
#include "raster.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>
#include <gdal_alg.h>
#include <ogr_api.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void raster_init(void)
{
    static int done;
    if (!done) {
        GDALAllRegister();
        CPLSetErrorHandler(CPLQuietErrorHandler);
        done = 1;
    }
}

int raster_line_area(const struct raster_line *lines, size_t nlines, double margin, double cell,
                     unsigned char **wkb, size_t *len, struct err *e)
{
    *wkb = NULL;
    *len = 0;
    if (nlines == 0 || !(margin > 0) || !(cell > 0) || !isfinite(margin) || !isfinite(cell))
        return err_set(e, ERR_INPUT, "an area needs lines and a positive margin and cell size");
    raster_init();
    double minx = INFINITY, miny = INFINITY, maxx = -INFINITY, maxy = -INFINITY;
    for (size_t i = 0; i < nlines; i++)
        for (size_t k = 0; k < lines[i].n; k++) {
            double x = lines[i].xy[2 * k], y = lines[i].xy[2 * k + 1];
            minx = x < minx ? x : minx;
            maxx = x > maxx ? x : maxx;
            miny = y < miny ? y : miny;
            maxy = y > maxy ? y : maxy;
        }
    if (!isfinite(minx))
        return err_set(e, ERR_INPUT, "an area needs lines with points");
    /* Two margins of room so every contour closes inside the grid. */
    minx -= 2 * margin + cell;
    miny -= 2 * margin + cell;
    maxx += 2 * margin + cell;
    maxy += 2 * margin + cell;
    double w = ceil((maxx - minx) / cell), h = ceil((maxy - miny) / cell);
    if (w * h > RASTER_MAX_CELLS)
        return err_set(e, ERR_LIMIT, "the area is too large for a %g m grid", cell);

    int rc = ERR_INTERNAL;
    GDALDatasetH grid = NULL, vec = NULL;
    OGRGeometryH *geoms = calloc(nlines, sizeof *geoms);
    double *burn = malloc(nlines * sizeof *burn);
    OGRGeometryH multi = NULL;
    char **opts = NULL;
    if (geoms == NULL || burn == NULL) {
        rc = err_nomem(e);
        goto done;
    }
    for (size_t i = 0; i < nlines; i++) {
        geoms[i] = OGR_G_CreateGeometry(lines[i].n == 1 ? wkbPoint : wkbLineString);
        if (geoms[i] == NULL) {
            rc = err_nomem(e);
            goto done;
        }
        OGR_G_SetPointCount(geoms[i], (int)lines[i].n);
        for (size_t k = 0; k < lines[i].n; k++)
            OGR_G_SetPoint_2D(geoms[i], (int)k, lines[i].xy[2 * k], lines[i].xy[2 * k + 1]);
        burn[i] = 1.0; /* one value per geometry and band */
    }
    /* Band 1: the burned lines; band 2: distance to them in metres. */
    grid = GDALCreate(GDALGetDriverByName("MEM"), "", (int)w, (int)h, 2, GDT_Float32, NULL);
    if (grid == NULL)
        goto done;
    double gt[6] = {minx, cell, 0, maxy, 0, -cell};
    GDALSetGeoTransform(grid, gt);
    int band1 = 1;
    opts = CSLSetNameValue(opts, "ALL_TOUCHED", "TRUE");
    if (GDALRasterizeGeometries(grid, 1, &band1, (int)nlines, geoms, NULL, NULL, burn, opts, NULL,
                                NULL) != CE_None)
        goto done;
    CSLDestroy(opts);
    opts = NULL;
    char cap[32];
    snprintf(cap, sizeof cap, "%.3f", 2 * margin);
    opts = CSLSetNameValue(opts, "VALUES", "1");
    opts = CSLSetNameValue(opts, "DISTUNITS", "GEO");
    opts = CSLSetNameValue(opts, "MAXDIST", cap);
    opts = CSLSetNameValue(opts, "NODATA", cap);
    GDALRasterBandH dist = GDALGetRasterBand(grid, 2);
    if (GDALComputeProximity(GDALGetRasterBand(grid, 1), dist, opts, NULL, NULL) != CE_None)
        goto done;
    CSLDestroy(opts);
    opts = NULL;
    /* Touched cells widen every line by up to half a cell on each side: the
     * contour is drawn half a cell inside the margin to compensate. */
    vec = GDALCreate(GDALGetDriverByName("Memory"), "", 0, 0, 0, GDT_Unknown, NULL);
    OGRLayerH layer = vec ? GDALDatasetCreateLayer(vec, "area", NULL, wkbMultiPolygon, NULL) : NULL;
    if (layer == NULL)
        goto done;
    OGRFieldDefnH lo = OGR_Fld_Create("lo", OFTReal), hi = OGR_Fld_Create("hi", OFTReal);
    OGR_L_CreateField(layer, lo, 1);
    OGR_L_CreateField(layer, hi, 1);
    OGR_Fld_Destroy(lo);
    OGR_Fld_Destroy(hi);
    char level[32];
    snprintf(level, sizeof level, "%.3f", margin - cell / 2);
    opts = CSLSetNameValue(opts, "FIXED_LEVELS", level);
    opts = CSLSetNameValue(opts, "POLYGONIZE", "YES");
    opts = CSLSetNameValue(opts, "ELEV_FIELD_MIN", "0");
    opts = CSLSetNameValue(opts, "ELEV_FIELD_MAX", "1");
    if (GDALContourGenerateEx(dist, layer, opts, NULL, NULL) != CE_None)
        goto done;
    multi = OGR_G_CreateGeometry(wkbMultiPolygon);
    if (multi == NULL) {
        rc = err_nomem(e);
        goto done;
    }
    OGR_L_ResetReading(layer);
    OGRFeatureH f;
    double cut = margin - cell / 2;
    while ((f = OGR_L_GetNextFeature(layer)) != NULL) {
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        if (g != NULL && OGR_F_GetFieldAsDouble(f, 1) <= cut + 1e-6) {
            for (int k = 0; k < OGR_G_GetGeometryCount(g); k++)
                OGR_G_AddGeometry(multi, OGR_G_GetGeometryRef(g, k));
        }
        OGR_F_Destroy(f);
    }
    size_t n = (size_t)OGR_G_WkbSizeEx(multi);
    *wkb = malloc(n);
    if (*wkb == NULL) {
        rc = err_nomem(e);
        goto done;
    }
    if (OGR_G_ExportToIsoWkb(multi, wkbNDR, *wkb) != OGRERR_NONE) {
        free(*wkb);
        *wkb = NULL;
        goto done;
    }
    *len = n;
    rc = ERR_OK;
done:
    if (rc == ERR_INTERNAL)
        err_set(e, ERR_INTERNAL, "GDAL could not trace the area (%s)", CPLGetLastErrorMsg());
    CSLDestroy(opts);
    if (multi)
        OGR_G_DestroyGeometry(multi);
    for (size_t i = 0; geoms && i < nlines; i++)
        if (geoms[i])
            OGR_G_DestroyGeometry(geoms[i]);
    free(geoms);
    free(burn);
    if (vec)
        GDALClose(vec);
    if (grid)
        GDALClose(grid);
    return rc;
}
