/* SPDX-License-Identifier: MIT */
/* tiles_basemap.c - the basemap tile layer (see tiles_private.h): the
 * offline base map of store_basemap.h with class (water, waterway, rail,
 * station, road, park, building, place), subclass (the OSM value) and
 * name (Japanese where OSM has it). Points, lines and areas share the
 * layer; each feature keeps its own geometry type.
 *
 * What a zoom shows: a row's minzoom (set at import: major roads from 7-11,
 * residential streets from 13, buildings from 15), and areas only when at
 * least TILES_BASEMAP_MIN_PIXELS pixels wide at that zoom (their area at
 * least the square of that), so a low-zoom tile does not carry thousands
 * of invisible ponds and parks. Lines and areas are simplified per zoom by
 * the shared builder (one tile unit, tiles_build.c).
 *
 * Entry points: tiles_basemap_fields, tiles_basemap_description,
 * tiles_basemap_each, tiles_basemap_props, tiles_basemap_extent. */
#include "tiles_private.h"

#include "store_basemap.h"

#include <math.h>

#define TILES_BASEMAP_MIN_PIXELS 2.0     /* narrowest area shown, in 256-pixel tile pixels */
#define TILES_BASEMAP_EQUATOR 40075016.7 /* metres around the equator */
#define TILES_BASEMAP_COS_LAT 0.8        /* cos(latitude) for Japan's 30-45 N: metres per pixel */

static const struct tiles_field tiles_basemap_field_list[] = {
    {"class", "String"}, {"subclass", "String"}, {"name", "String"}, {NULL, NULL}};

const struct tiles_field *tiles_basemap_fields(void)
{
    return tiles_basemap_field_list;
}

const char *tiles_basemap_description(void)
{
    return "the offline base map from OpenStreetMap: water, railways and stations, roads, "
           "parks, buildings (from zoom 15) and place names";
}

int tiles_basemap_each(const struct tiles_env *env, int z, const double xy_box[4], long limit,
                       int (*fn)(void *ctx, const struct store_tiles_row *r), void *ctx,
                       struct err *e)
{
    double px = TILES_BASEMAP_EQUATOR * TILES_BASEMAP_COS_LAT / (256.0 * ldexp(1.0, z));
    double side = TILES_BASEMAP_MIN_PIXELS * px;
    return store_basemap_each(env->st, z, side * side, xy_box, limit, fn, ctx, e);
}

size_t tiles_basemap_props(const struct store_tiles_row *r, struct mvt_prop *props)
{
    static const char *const keys[3] = {"class", "subclass", "name"};
    size_t n = 0;
    for (int i = 0; i < 3; i++)
        if (r->text[i])
            props[n++] =
                (struct mvt_prop){.key = keys[i], .type = MVT_VALUE_STRING, .s = r->text[i]};
    return n;
}

int tiles_basemap_extent(const struct tiles_env *env, double box[4], struct err *e)
{
    return store_basemap_extent(env->st, box, e);
}
