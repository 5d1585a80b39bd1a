/* SPDX-License-Identifier: MIT */
/* import_basemap_class.c - the base map's choice of OSM features (see
 * import_basemap_class.h): table lookups of tag values. Entry points:
 * import_basemap_classify, import_basemap_class_name. */
#include "import_basemap_class.h"

#include <stddef.h>
#include <string.h>

/* A tag value and the zoom it shows from. */
struct import_basemap_rule {
    const char *value; /* the OSM value */
    int minzoom;       /* first tile zoom */
};

static const struct import_basemap_rule import_basemap_roads[] = {
    {"motorway", 7},       {"trunk", 8},         {"primary", 9},
    {"secondary", 10},     {"tertiary", 11},     {"motorway_link", 12},
    {"trunk_link", 12},    {"primary_link", 13}, {"secondary_link", 13},
    {"tertiary_link", 14}, {"residential", 13},  {"unclassified", 13},
    {"living_street", 14}, {"pedestrian", 14},   {NULL, 0}};
static const struct import_basemap_rule import_basemap_rails[] = {
    {"rail", 9},      {"subway", 11}, {"light_rail", 11}, {"narrow_gauge", 11},
    {"monorail", 11}, {"tram", 12},   {"funicular", 12},  {NULL, 0}};
static const struct import_basemap_rule import_basemap_stations[] = {
    {"station", 11}, {"halt", 13}, {NULL, 0}};
static const struct import_basemap_rule import_basemap_waterways[] = {
    {"river", 8}, {"canal", 10}, {"stream", 13}, {"drain", 15}, {"ditch", 15}, {NULL, 0}};
static const struct import_basemap_rule import_basemap_places[] = {
    {"city", 8},    {"town", 10},     {"village", 11},
    {"suburb", 11}, {"quarter", 12},  {"neighbourhood", 13},
    {"hamlet", 13}, {"locality", 14}, {"isolated_dwelling", 15},
    {NULL, 0}};
static const struct import_basemap_rule import_basemap_parks[] = {{"park", 10},
                                                                  {"garden", 12},
                                                                  {"playground", 14},
                                                                  {"nature_reserve", 10},
                                                                  {"recreation_ground", 11},
                                                                  {"village_green", 12},
                                                                  {"grass", 13},
                                                                  {NULL, 0}};
static const struct import_basemap_rule import_basemap_waters[] = {
    {"water", 6}, {"reservoir", 8}, {"basin", 12}, {"riverbank", 8}, {"dock", 10}, {NULL, 0}};

/* The rule for `value` in `rules`, or NULL. */
static const struct import_basemap_rule *
import_basemap_find(const struct import_basemap_rule *rules, const char *value)
{
    for (; value && rules->value; rules++)
        if (strcmp(rules->value, value) == 0)
            return rules;
    return NULL;
}

/* Sets the outputs from rule r (value v) and returns cls, or -1 without r. */
static int import_basemap_take(const struct import_basemap_rule *r, int cls, const char *v,
                               const char **subclass, int *minzoom)
{
    if (r == NULL)
        return -1;
    *subclass = v;
    *minzoom = r->minzoom;
    return cls;
}

int import_basemap_classify(const struct import_basemap_tags *t, int geom, const char **subclass,
                            int *minzoom)
{
    const struct import_basemap_rule *r;
    *subclass = NULL;
    *minzoom = 0;
    switch (geom) {
    case IMPORT_BASEMAP_POINT:
        if ((r = import_basemap_find(import_basemap_stations, t->railway)))
            return import_basemap_take(r, IMPORT_BASEMAP_STATION, t->railway, subclass, minzoom);
        return import_basemap_take(import_basemap_find(import_basemap_places, t->place),
                                   IMPORT_BASEMAP_PLACE, t->place, subclass, minzoom);
    case IMPORT_BASEMAP_LINE:
        if ((r = import_basemap_find(import_basemap_roads, t->highway)))
            return import_basemap_take(r, IMPORT_BASEMAP_ROAD, t->highway, subclass, minzoom);
        if ((r = import_basemap_find(import_basemap_rails, t->railway)))
            return import_basemap_take(r, IMPORT_BASEMAP_RAIL, t->railway, subclass, minzoom);
        return import_basemap_take(import_basemap_find(import_basemap_waterways, t->waterway),
                                   IMPORT_BASEMAP_WATERWAY, t->waterway, subclass, minzoom);
    case IMPORT_BASEMAP_AREA:
        if ((r = import_basemap_find(import_basemap_waters, t->natural)))
            return import_basemap_take(r, IMPORT_BASEMAP_WATER, t->natural, subclass, minzoom);
        if ((r = import_basemap_find(import_basemap_waters, t->landuse)))
            return import_basemap_take(r, IMPORT_BASEMAP_WATER, t->landuse, subclass, minzoom);
        if ((r = import_basemap_find(import_basemap_waters, t->waterway)))
            return import_basemap_take(r, IMPORT_BASEMAP_WATER, t->waterway, subclass, minzoom);
        if ((r = import_basemap_find(import_basemap_parks, t->leisure)))
            return import_basemap_take(r, IMPORT_BASEMAP_PARK, t->leisure, subclass, minzoom);
        if ((r = import_basemap_find(import_basemap_parks, t->landuse)))
            return import_basemap_take(r, IMPORT_BASEMAP_PARK, t->landuse, subclass, minzoom);
        if (t->building && strcmp(t->building, "no") != 0) {
            *subclass = t->building;
            *minzoom = IMPORT_BASEMAP_BUILDING_MINZOOM;
            return IMPORT_BASEMAP_BUILDING;
        }
        return -1;
    default:
        return -1;
    }
}

const char *import_basemap_class_name(int cls)
{
    static const char *const names[IMPORT_BASEMAP_CLASSES] = {
        "water", "waterway", "rail", "station", "road", "park", "building", "place"};
    return cls >= 0 && cls < IMPORT_BASEMAP_CLASSES ? names[cls] : "";
}
