/* SPDX-License-Identifier: MIT */
/* raster.c - the area within a distance of lines, traced on a grid with GDAL
 * (see raster.h). Entry point: raster_line_area. The distance field is
 * computed here (exact point-to-segment distances at cell centres); GDAL's
 * contour generator traces it. Everything lives in memory (a MEM raster and
 * a Memory vector layer); nothing touches disk. */
#include "raster.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>
#include <gdal_alg.h>
#include <ogr_api.h>

#include <math.h>
#include <stdint.h>
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

/* The distance field: cell centres of a w x h grid whose top-left corner is
 * (x0, y0), every value the squared distance to the nearest line, capped. */
struct raster_field {
    float *d;      /* w * h values, row 0 at the top */
    double *seg;   /* segments as ax, ay, bx, by (a point when a == b) */
    size_t nseg;   /* segments */
    size_t w, h;   /* columns, rows */
    double x0, y0; /* top-left corner of the grid */
    double cell;   /* cell size */
    double reach;  /* distances are exact up to this; cells farther keep cap2 */
};

/* Squared distance from (x, y) to segment s, and the nearest point. */
static double raster_seg_d2(const struct raster_field *f, uint32_t s, double x, double y,
                            double *qx, double *qy)
{
    const double *p = f->seg + 4 * (size_t)s;
    double dx = p[2] - p[0], dy = p[3] - p[1], l2 = dx * dx + dy * dy;
    double t = l2 > 0 ? ((x - p[0]) * dx + (y - p[1]) * dy) / l2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    *qx = p[0] + t * dx;
    *qy = p[1] + t * dy;
    return (x - *qx) * (x - *qx) + (y - *qy) * (y - *qy);
}

/* Lowers the cells within f->reach of segment s to their squared distance
 * to it. The segment is visited in pieces at most two reaches long, so a
 * long diagonal street costs cells along its path rather than its whole
 * bounding box. */
static void raster_field_segment(struct raster_field *f, uint32_t s)
{
    const double *p = f->seg + 4 * (size_t)s;
    double ax = p[0], ay = p[1], dx = p[2] - ax, dy = p[3] - ay;
    size_t pieces = (size_t)ceil(hypot(dx, dy) / (2 * f->reach));
    pieces = pieces ? pieces : 1;
    for (size_t k = 0; k < pieces; k++) {
        double t0 = (double)k / pieces, t1 = (double)(k + 1) / pieces;
        double px0 = ax + t0 * dx, py0 = ay + t0 * dy, px1 = ax + t1 * dx, py1 = ay + t1 * dy;
        double lo_x = fmin(px0, px1) - f->reach, hi_x = fmax(px0, px1) + f->reach;
        double lo_y = fmin(py0, py1) - f->reach, hi_y = fmax(py0, py1) + f->reach;
        /* Column c has its centre at x0 + (c + 0.5) cell; row r at y0 - (r + 0.5) cell. */
        long c0 = (long)ceil((lo_x - f->x0) / f->cell - 0.5);
        long c1 = (long)floor((hi_x - f->x0) / f->cell - 0.5);
        long r0 = (long)ceil((f->y0 - hi_y) / f->cell - 0.5);
        long r1 = (long)floor((f->y0 - lo_y) / f->cell - 0.5);
        c0 = c0 < 0 ? 0 : c0;
        r0 = r0 < 0 ? 0 : r0;
        c1 = c1 >= (long)f->w ? (long)f->w - 1 : c1;
        r1 = r1 >= (long)f->h ? (long)f->h - 1 : r1;
        for (long r = r0; r <= r1; r++) {
            double y = f->y0 - (r + 0.5) * f->cell;
            size_t row = (size_t)r * f->w;
            for (long c = c0; c <= c1; c++) {
                /* Projection onto the whole segment: the exact distance,
                 * whichever piece the cell was reached from. */
                double qx, qy;
                float d2 = (float)raster_seg_d2(f, s, f->x0 + (c + 0.5) * f->cell, y, &qx, &qy);
                if (d2 < f->d[row + (size_t)c])
                    f->d[row + (size_t)c] = d2;
            }
        }
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
    if (!isfinite(minx) || !isfinite(maxx) || !isfinite(miny) || !isfinite(maxy))
        return err_set(e, ERR_INPUT, "an area needs lines with finite points");
    /* The grid: the westernmost and northernmost points at cell centres,
     * with the margin and two more cells of room on every side, so the
     * contour closes inside the grid wherever the lines lie. */
    double pad = ceil(margin / cell) + 2;
    double w = ceil((maxx - minx) / cell) + 2 * pad + 1;
    double h = ceil((maxy - miny) / cell) + 2 * pad + 1;
    if (w * h > RASTER_MAX_CELLS)
        return err_set(e, ERR_LIMIT, "the area is too large for a %g m grid", cell);
    size_t nseg = 0;
    for (size_t i = 0; i < nlines; i++)
        nseg += lines[i].n > 1 ? lines[i].n - 1 : 1;
    if (nseg >= UINT32_MAX)
        return err_set(e, ERR_LIMIT, "too many line segments for one area");
    struct raster_field f = {.nseg = nseg,
                             .w = (size_t)w,
                             .h = (size_t)h,
                             .x0 = minx - (pad + 0.5) * cell,
                             .y0 = maxy + (pad + 0.5) * cell,
                             .cell = cell,
                             .reach = margin + 1.5 * cell};

    int rc = ERR_INTERNAL;
    GDALDatasetH grid = NULL, vec = NULL;
    OGRGeometryH multi = NULL;
    char **opts = NULL;
    f.d = malloc(f.w * f.h * sizeof *f.d);
    f.seg = malloc(4 * nseg * sizeof *f.seg);
    if (f.d == NULL || f.seg == NULL) {
        rc = err_nomem(e);
        goto done;
    }
    /* The distance of every cell centre to the nearest line, computed here
     * rather than with GDAL: GDALComputeProximity measures from cell centre
     * to the centre of the nearest burned cell, which can be 0.7 cell away
     * from the street itself, and the outline moved by that much. Cells
     * beyond the reach keep a value past it; the contour only needs exact
     * values next to the margin line (one cell either side). */
    float cap = (float)(2 * f.reach), cap2 = cap * cap;
    for (size_t i = 0; i < f.w * f.h; i++)
        f.d[i] = cap2;
    double *sp = f.seg;
    for (size_t i = 0; i < nlines; i++) {
        const double *p = lines[i].xy;
        size_t last = lines[i].n > 1 ? lines[i].n - 1 : 1;
        for (size_t k = 0; k < last; k++, sp += 4) {
            size_t b = lines[i].n > 1 ? k + 1 : k;
            sp[0] = p[2 * k];
            sp[1] = p[2 * k + 1];
            sp[2] = p[2 * b];
            sp[3] = p[2 * b + 1];
        }
    }
    for (size_t s = 0; s < nseg; s++)
        raster_field_segment(&f, (uint32_t)s);
    for (size_t i = 0; i < f.w * f.h; i++)
        f.d[i] = f.d[i] < cap2 ? sqrtf(f.d[i]) : cap;
    /* GDAL's contour generator traces the margin line through the field. */
    grid = GDALCreate(GDALGetDriverByName("MEM"), "", (int)f.w, (int)f.h, 1, GDT_Float32, NULL);
    if (grid == NULL)
        goto done;
    double gt[6] = {f.x0, cell, 0, f.y0, 0, -cell};
    GDALSetGeoTransform(grid, gt);
    GDALRasterBandH dist = GDALGetRasterBand(grid, 1);
    if (GDALRasterIO(dist, GF_Write, 0, 0, (int)f.w, (int)f.h, f.d, (int)f.w, (int)f.h, GDT_Float32,
                     0, 0) != CE_None)
        goto done;
    free(f.d);
    f.d = NULL;
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
    snprintf(level, sizeof level, "%.6f", margin);
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
    OGRFeatureH feat;
    while ((feat = OGR_L_GetNextFeature(layer)) != NULL) {
        OGRGeometryH g = OGR_F_GetGeometryRef(feat);
        if (g != NULL && OGR_F_GetFieldAsDouble(feat, 1) <= margin + 1e-6) {
            for (int k = 0; k < OGR_G_GetGeometryCount(g); k++)
                OGR_G_AddGeometry(multi, OGR_G_GetGeometryRef(g, k));
        }
        OGR_F_Destroy(feat);
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
    free(f.seg);
    if (rc == ERR_INTERNAL)
        err_set(e, ERR_INTERNAL, "GDAL could not trace the area (%s)", CPLGetLastErrorMsg());
    CSLDestroy(opts);
    if (multi)
        OGR_G_DestroyGeometry(multi);
    free(f.d);
    if (vec)
        GDALClose(vec);
    if (grid)
        GDALClose(grid);
    return rc;
}
