/* SPDX-License-Identifier: MIT */
/* test_import_basemap_class.c - tests import_basemap_class.c: which OSM
 * features the offline base map keeps, as which class, from which zoom
 * (major roads before streets, buildings only from zoom 15), and what it
 * leaves out (footways, unnamed-class areas, a building=no). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "import_basemap_class.h"

#include <string.h>

/* The class of tags t as geometry kind g; *zoom and *sub set. */
static int classify(struct import_basemap_tags t, int g, int *zoom, const char **sub)
{
    return import_basemap_classify(&t, g, sub, zoom);
}

static void test_roads(void **state)
{
    (void)state;
    int z1, z2;
    const char *sub;
    assert_int_equal(classify((struct import_basemap_tags){.highway = "primary"},
                              IMPORT_BASEMAP_LINE, &z1, &sub),
                     IMPORT_BASEMAP_ROAD);
    assert_string_equal(sub, "primary");
    assert_int_equal(classify((struct import_basemap_tags){.highway = "residential"},
                              IMPORT_BASEMAP_LINE, &z2, &sub),
                     IMPORT_BASEMAP_ROAD);
    assert_true(z1 <= 10); /* a town-wide view shows major roads */
    assert_true(z2 >= 13); /* streets only closer in */
    assert_int_equal(classify((struct import_basemap_tags){.highway = "footway"},
                              IMPORT_BASEMAP_LINE, &z1, &sub),
                     -1); /* the walking network's streets layer draws footways */
    assert_int_equal(classify((struct import_basemap_tags){.highway = "primary"},
                              IMPORT_BASEMAP_AREA, &z1, &sub),
                     -1);
}

static void test_rail_water_places(void **state)
{
    (void)state;
    int z;
    const char *sub;
    assert_int_equal(
        classify((struct import_basemap_tags){.railway = "rail"}, IMPORT_BASEMAP_LINE, &z, &sub),
        IMPORT_BASEMAP_RAIL);
    assert_int_equal(classify((struct import_basemap_tags){.railway = "abandoned"},
                              IMPORT_BASEMAP_LINE, &z, &sub),
                     -1);
    assert_int_equal(classify((struct import_basemap_tags){.railway = "station"},
                              IMPORT_BASEMAP_POINT, &z, &sub),
                     IMPORT_BASEMAP_STATION);
    assert_int_equal(
        classify((struct import_basemap_tags){.waterway = "river"}, IMPORT_BASEMAP_LINE, &z, &sub),
        IMPORT_BASEMAP_WATERWAY);
    assert_int_equal(
        classify((struct import_basemap_tags){.natural = "water"}, IMPORT_BASEMAP_AREA, &z, &sub),
        IMPORT_BASEMAP_WATER);
    assert_int_equal(
        classify((struct import_basemap_tags){.leisure = "park"}, IMPORT_BASEMAP_AREA, &z, &sub),
        IMPORT_BASEMAP_PARK);
    assert_int_equal(
        classify((struct import_basemap_tags){.place = "town"}, IMPORT_BASEMAP_POINT, &z, &sub),
        IMPORT_BASEMAP_PLACE);
    assert_string_equal(sub, "town");
    assert_string_equal(import_basemap_class_name(IMPORT_BASEMAP_PLACE), "place");
    assert_string_equal(import_basemap_class_name(99), "");
}

static void test_buildings(void **state)
{
    (void)state;
    int z;
    const char *sub;
    assert_int_equal(
        classify((struct import_basemap_tags){.building = "yes"}, IMPORT_BASEMAP_AREA, &z, &sub),
        IMPORT_BASEMAP_BUILDING);
    assert_int_equal(z, IMPORT_BASEMAP_BUILDING_MINZOOM);
    assert_int_equal(
        classify((struct import_basemap_tags){.building = "no"}, IMPORT_BASEMAP_AREA, &z, &sub),
        -1);
    /* Water wins over a building tag on the same area (a covered reservoir). */
    assert_int_equal(
        classify((struct import_basemap_tags){.building = "yes", .landuse = "reservoir"},
                 IMPORT_BASEMAP_AREA, &z, &sub),
        IMPORT_BASEMAP_WATER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roads),
        cmocka_unit_test(test_rail_water_places),
        cmocka_unit_test(test_buildings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
