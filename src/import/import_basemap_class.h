/* SPDX-License-Identifier: MIT */
/* import_basemap_class.h - which OpenStreetMap features the offline base
 * map keeps, as what, and from which zoom (pure; no GDAL, no SQL).
 *
 * Classes: water (areas: natural=water, landuse=reservoir/basin,
 * waterway=riverbank/dock), waterway (river, canal, stream, drain lines),
 * rail (rail, light_rail, subway, narrow_gauge, monorail, tram, funicular),
 * station (railway=station/halt points), road (motorway to tertiary with
 * their links, residential, unclassified, living_street, pedestrian),
 * park (leisure=park/garden/playground/nature_reserve/recreation_ground,
 * landuse=recreation_ground/village_green/grass), building (building=*
 * except no), place (place=city ... locality points).
 *
 * minzoom is the first tile zoom a feature shows at: major roads and rivers
 * from 8-11 (a town-wide view), residential streets from 13, buildings
 * from 15 (IMPORT_BASEMAP_BUILDING_MINZOOM); areas are further filtered by
 * size per zoom when tiles are built.
 *
 * Entry points: import_basemap_classify, import_basemap_class_name. */
#ifndef TSUNAGU_IMPORT_BASEMAP_CLASS_H
#define TSUNAGU_IMPORT_BASEMAP_CLASS_H

#define IMPORT_BASEMAP_BUILDING_MINZOOM 15 /* no buildings below this zoom */

enum import_basemap_class {
    IMPORT_BASEMAP_WATER,
    IMPORT_BASEMAP_WATERWAY,
    IMPORT_BASEMAP_RAIL,
    IMPORT_BASEMAP_STATION,
    IMPORT_BASEMAP_ROAD,
    IMPORT_BASEMAP_PARK,
    IMPORT_BASEMAP_BUILDING,
    IMPORT_BASEMAP_PLACE,
    IMPORT_BASEMAP_CLASSES
};

/* Geometry kinds a feature arrives as. */
enum import_basemap_geom { IMPORT_BASEMAP_POINT, IMPORT_BASEMAP_LINE, IMPORT_BASEMAP_AREA };

/* The tags the classifier reads; NULL = absent. */
struct import_basemap_tags {
    const char *highway, *railway, *waterway, *natural, *water, *landuse, *leisure, *building,
        *place;
};

/* The class of a feature with tags t arriving as geometry kind `geom`
 * (enum import_basemap_geom), or -1 when the base map leaves it out; on a
 * class, *subclass is the OSM value that decided it (borrowed from t) and
 * *minzoom its first zoom. */
int import_basemap_classify(const struct import_basemap_tags *t, int geom, const char **subclass,
                            int *minzoom);

/* The class's name as stored and served ("water", "road", ...); "" for an
 * unknown class. */
const char *import_basemap_class_name(int cls);

#endif
