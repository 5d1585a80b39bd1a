/* SPDX-License-Identifier: MIT */
/* test_osmtags.c - tests osmtags.c: which ways a pedestrian may use, the
 * steps flag, and highway-list normalisation (osmnx and OSM spellings). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "osmtags.h"

#include <string.h>

static int verdict(const char *highway, const char *foot, const char *access, const char *area,
                   const char *motorroad)
{
    struct osmtags_way w = {highway, foot, access, area, motorroad};
    return osmtags_walkable(&w);
}

static void test_classes(void **state)
{
    (void)state;
    static const char *const walk[] = {"residential", "footway",       "path",         "steps",
                                       "service",     "track",         "trunk",        "cycleway",
                                       "pedestrian",  "living_street", "unclassified", "road"};
    for (size_t i = 0; i < sizeof walk / sizeof walk[0]; i++)
        assert_int_equal(verdict(walk[i], NULL, NULL, NULL, NULL), OSMTAGS_WALKABLE);
    static const char *const never[] = {"motorway", "motorway_link", "construction",
                                        "proposed", "raceway",       "bus_guideway",
                                        "escape",   "via_ferrata",   "abandoned"};
    for (size_t i = 0; i < sizeof never / sizeof never[0]; i++)
        assert_int_equal(verdict(never[i], NULL, NULL, NULL, NULL), OSMTAGS_CLASS_EXCLUDED);
    /* Not a street at all. */
    assert_int_equal(verdict(NULL, NULL, NULL, NULL, NULL), OSMTAGS_NOT_HIGHWAY);
    assert_int_equal(verdict("", NULL, NULL, NULL, NULL), OSMTAGS_NOT_HIGHWAY);
    assert_int_equal(verdict("[]", NULL, NULL, NULL, NULL), OSMTAGS_NOT_HIGHWAY);
    /* "motorway_junction" is not "motorway": only whole classes match. */
    assert_int_equal(verdict("motorway_junction", NULL, NULL, NULL, NULL), OSMTAGS_WALKABLE);
    /* Lists: walkable when one class is. */
    assert_int_equal(verdict("['motorway', 'motorway_link']", NULL, NULL, NULL, NULL),
                     OSMTAGS_CLASS_EXCLUDED);
    assert_int_equal(verdict("motorway_link,trunk_link", NULL, NULL, NULL, NULL), OSMTAGS_WALKABLE);
}

static void test_access(void **state)
{
    (void)state;
    assert_int_equal(verdict("footway", "no", NULL, NULL, NULL), OSMTAGS_FOOT_NO);
    assert_int_equal(verdict("footway", "no", "yes", NULL, NULL), OSMTAGS_FOOT_NO);
    assert_int_equal(verdict("primary", "use_sidepath", NULL, NULL, NULL), OSMTAGS_FOOT_NO);
    assert_int_equal(verdict("service", NULL, "private", NULL, NULL), OSMTAGS_PRIVATE);
    assert_int_equal(verdict("service", NULL, "no", NULL, NULL), OSMTAGS_PRIVATE);
    assert_int_equal(verdict("service", "yes", "private", NULL, NULL), OSMTAGS_WALKABLE);
    assert_int_equal(verdict("service", "designated", "no", NULL, NULL), OSMTAGS_WALKABLE);
    assert_int_equal(verdict("service", "permissive", "private", NULL, NULL), OSMTAGS_WALKABLE);
    assert_int_equal(verdict("service", "permit", "private", NULL, NULL), OSMTAGS_PRIVATE);
    assert_int_equal(verdict("service", NULL, "destination", NULL, NULL), OSMTAGS_WALKABLE);
    assert_int_equal(verdict("service", NULL, "customers", NULL, NULL), OSMTAGS_WALKABLE);
    /* Squares are walked along their outline; other areas are not streets. */
    assert_int_equal(verdict("pedestrian", NULL, NULL, "yes", NULL), OSMTAGS_WALKABLE);
    assert_int_equal(verdict("footway", NULL, NULL, "yes", NULL), OSMTAGS_WALKABLE);
    assert_int_equal(verdict("service", NULL, NULL, "yes", NULL), OSMTAGS_AREA);
    assert_int_equal(verdict("rest_area", NULL, NULL, "yes", NULL), OSMTAGS_AREA);
    assert_int_equal(verdict("pedestrian", "no", NULL, "yes", NULL), OSMTAGS_FOOT_NO);
    assert_int_equal(verdict("pedestrian", NULL, NULL, "no", NULL), OSMTAGS_WALKABLE);
    assert_int_equal(verdict("trunk", NULL, NULL, NULL, "yes"), OSMTAGS_MOTORROAD);
    assert_int_equal(verdict("trunk", "yes", NULL, NULL, "yes"), OSMTAGS_WALKABLE);
    assert_string_equal(osmtags_verdict_word(OSMTAGS_FOOT_NO), "foot=no");
    assert_string_equal(osmtags_verdict_word(99), "unknown");
}

static void test_steps(void **state)
{
    (void)state;
    assert_int_equal(osmtags_flags("steps"), OSMTAGS_FLAG_STEPS);
    assert_int_equal(osmtags_flags("footway,steps"), OSMTAGS_FLAG_STEPS);
    assert_int_equal(osmtags_flags("['path', 'steps']"), OSMTAGS_FLAG_STEPS);
    assert_int_equal(osmtags_flags("footway"), 0);
    assert_int_equal(osmtags_flags("stepsx"), 0);
    assert_int_equal(osmtags_flags(NULL), 0);
}

static void test_normalize(void **state)
{
    (void)state;
    char b[OSMTAGS_HIGHWAY_MAX];
    assert_string_equal(osmtags_highway_normalize("['residential', 'footway']", b, sizeof b),
                        "residential;footway");
    assert_string_equal(osmtags_highway_normalize("path,residential", b, sizeof b),
                        "path;residential");
    assert_string_equal(osmtags_highway_normalize("path; steps", b, sizeof b), "path;steps");
    assert_string_equal(osmtags_highway_normalize("footway", b, sizeof b), "footway");
    assert_null(osmtags_highway_normalize(NULL, b, sizeof b));
    assert_null(osmtags_highway_normalize("[ ]", b, sizeof b));
    assert_string_equal(b, "");
    /* Cut on a class boundary when the buffer is short. */
    char small[12];
    assert_string_equal(osmtags_highway_normalize("footway,residential", small, sizeof small),
                        "footway");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classes),
        cmocka_unit_test(test_access),
        cmocka_unit_test(test_steps),
        cmocka_unit_test(test_normalize),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
