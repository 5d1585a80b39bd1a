/* SPDX-License-Identifier: MIT */
/* locate.c - implements locate.h: polygons kept with their bounding boxes
 * and GEOS prepared geometries; a point is tested against the boxes in
 * the order added and, inside a box, by GEOSPreparedIntersects. A linear
 * scan of boxes is enough for the few hundred districts of a level (a
 * spatial index would pay off only for thousands). Entry points:
 * locate_new, locate_add, locate_find, locate_free. */
#define GEOS_USE_ONLY_R_API
#include "locate.h"

#include "vec.h"

#include <geos_c.h>
#include <stdarg.h>
#include <stdlib.h>

/* One polygon. */
struct locate_poly {
    long id;                          /* caller's id */
    double minx, miny, maxx, maxy;    /* bounding box */
    GEOSGeometry *geom;               /* owned */
    const GEOSPreparedGeometry *prep; /* owned, prepared from geom */
};

struct locate {
    GEOSContextHandle_t h;     /* this locator's GEOS context */
    GEOSWKBReader *reader;     /* WKB reader */
    struct locate_poly *polys; /* in the order added */
    size_t n, cap;             /* polygons and capacity */
};

/* GEOS messages are not ours to print (they could carry coordinates). */
static void locate_quiet(const char *fmt, ...)
{
    (void)fmt;
}

struct locate *locate_new(struct err *e)
{
    struct locate *l = calloc(1, sizeof *l);
    if (l == NULL || (l->h = GEOS_init_r()) == NULL) {
        free(l);
        err_nomem(e);
        return NULL;
    }
    GEOSContext_setErrorHandler_r(l->h, locate_quiet);
    GEOSContext_setNoticeHandler_r(l->h, locate_quiet);
    if ((l->reader = GEOSWKBReader_create_r(l->h)) == NULL) {
        locate_free(l);
        err_nomem(e);
        return NULL;
    }
    return l;
}

int locate_add(struct locate *l, long id, const unsigned char *wkb, size_t len, struct err *e)
{
    if (l->n >= LOCATE_MAX_POLYGONS)
        return err_set(e, ERR_LIMIT, "at most %d districts can be matched to points at once",
                       LOCATE_MAX_POLYGONS);
    if (vec_reserve((void **)&l->polys, &l->cap, l->n + 1, sizeof *l->polys) != ERR_OK)
        return err_nomem(e);
    GEOSGeometry *g = GEOSWKBReader_read_r(l->h, l->reader, wkb, len);
    if (g == NULL)
        return err_set(e, ERR_INPUT, "a district's geometry cannot be read");
    struct locate_poly *p = &l->polys[l->n];
    p->id = id;
    p->geom = g;
    if (GEOSGeom_getXMin_r(l->h, g, &p->minx) != 1 || GEOSGeom_getYMin_r(l->h, g, &p->miny) != 1 ||
        GEOSGeom_getXMax_r(l->h, g, &p->maxx) != 1 || GEOSGeom_getYMax_r(l->h, g, &p->maxy) != 1) {
        /* An empty geometry intersects nothing (and has no index row). */
        GEOSGeom_destroy_r(l->h, g);
        return ERR_OK;
    }
    if ((p->prep = GEOSPrepare_r(l->h, g)) == NULL) {
        GEOSGeom_destroy_r(l->h, g);
        return err_nomem(e);
    }
    l->n++;
    return ERR_OK;
}

long locate_find(struct locate *l, double x, double y)
{
    GEOSGeometry *pt = NULL;
    long found = 0;
    for (size_t i = 0; i < l->n && found == 0; i++) {
        const struct locate_poly *p = &l->polys[i];
        if (x < p->minx || x > p->maxx || y < p->miny || y > p->maxy)
            continue;
        if (pt == NULL && (pt = GEOSGeom_createPointFromXY_r(l->h, x, y)) == NULL)
            return -1;
        if (GEOSPreparedIntersects_r(l->h, p->prep, pt) != 0) /* 1, or 2 on error */
            found = p->id;
    }
    if (pt != NULL)
        GEOSGeom_destroy_r(l->h, pt);
    return found;
}

void locate_free(struct locate *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->n; i++) {
        GEOSPreparedGeom_destroy_r(l->h, l->polys[i].prep);
        GEOSGeom_destroy_r(l->h, l->polys[i].geom);
    }
    free(l->polys);
    if (l->reader != NULL)
        GEOSWKBReader_destroy_r(l->h, l->reader);
    GEOS_finish_r(l->h);
    free(l);
}
