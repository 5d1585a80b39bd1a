/* SPDX-License-Identifier: MIT */
/* test_mvt.c - tests mvt.c: command and parameter integers, the exact
 * encodings of the MVT 2.1 specification's examples (section 4.3.5),
 * winding enforcement, degenerate parts, the reader, key and value
 * dictionaries, and whole tiles read back by GDAL's MVT driver. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mvt_gdal.h"
#include "mvt.h"

#include <stdlib.h>
#include <string.h>

/* Asserts that g's command stream is exactly want[0..n). */
static void expect_stream(const struct mvt_geom *g, const uint32_t *want, size_t n)
{
    if (g->n != n)
        fail_msg("stream has %zu integers, want %zu", g->n, n);
    for (size_t i = 0; i < n; i++)
        if (g->cmd[i] != want[i])
            fail_msg("integer %zu is %u, want %u", i, g->cmd[i], want[i]);
}

static void test_integers(void **state)
{
    (void)state;
    /* Section 4.3.1's table. */
    assert_int_equal(mvt_command(MVT_CMD_MOVE_TO, 1), 9);
    assert_int_equal(mvt_command(MVT_CMD_MOVE_TO, 120), 961);
    assert_int_equal(mvt_command(MVT_CMD_LINE_TO, 1), 10);
    assert_int_equal(mvt_command(MVT_CMD_LINE_TO, 3), 26);
    assert_int_equal(mvt_command(MVT_CMD_CLOSE_PATH, 1), 15);
    /* Zigzag, as protobuf's sint32. */
    const int32_t v[] = {0, -1, 1, -2, 2, 25, 17, -9, INT32_MAX, INT32_MIN};
    const uint32_t u[] = {0, 1, 2, 3, 4, 50, 34, 17, 4294967294u, 4294967295u};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        assert_int_equal(mvt_zigzag(v[i]), u[i]);
        assert_int_equal(mvt_unzigzag(u[i]), v[i]);
    }
}

static void test_spec_points_and_lines(void **state)
{
    (void)state;
    struct mvt_geom g;
    int added;
    /* 4.3.5.1 point (25,17). */
    mvt_geom_init(&g, MVT_POINT);
    struct mvt_point p1[] = {{25, 17}};
    assert_int_equal(mvt_geom_points(&g, p1, 1), ERR_OK);
    expect_stream(&g, (const uint32_t[]){9, 50, 34}, 3);
    /* 4.3.5.2 multipoint (5,7), (3,2). */
    mvt_geom_reset(&g, MVT_POINT);
    struct mvt_point p2[] = {{5, 7}, {3, 2}};
    assert_int_equal(mvt_geom_points(&g, p2, 2), ERR_OK);
    expect_stream(&g, (const uint32_t[]){17, 10, 14, 3, 9}, 5);
    /* A second MoveTo would break the POINT rule (one MoveTo). */
    assert_int_equal(mvt_geom_points(&g, p2, 1), ERR_INPUT);
    /* 4.3.5.3 line (2,2) (2,10) (10,10). */
    mvt_geom_reset(&g, MVT_LINESTRING);
    struct mvt_point l1[] = {{2, 2}, {2, 10}, {10, 10}};
    assert_int_equal(mvt_geom_line(&g, l1, 3, &added), ERR_OK);
    assert_int_equal(added, 1);
    expect_stream(&g, (const uint32_t[]){9, 4, 4, 18, 0, 16, 16, 0}, 8);
    /* 4.3.5.4 multiline: a second line (1,1) (3,5), relative to the cursor. */
    struct mvt_point l2[] = {{1, 1}, {3, 5}};
    assert_int_equal(mvt_geom_line(&g, l2, 2, &added), ERR_OK);
    expect_stream(&g, (const uint32_t[]){9, 4, 4, 18, 0, 16, 16, 0, 9, 17, 17, 10, 4, 8}, 14);
    assert_int_equal(g.parts, 2);
    mvt_geom_free(&g);
}

static void test_spec_polygons(void **state)
{
    (void)state;
    struct mvt_geom g;
    int added;
    /* 4.3.5.5 polygon (3,6) (8,12) (20,34), closing point given. */
    mvt_geom_init(&g, MVT_POLYGON);
    struct mvt_point r[] = {{3, 6}, {8, 12}, {20, 34}, {3, 6}};
    assert_int_equal(mvt_geom_ring(&g, r, 4, 1, &added), ERR_OK);
    assert_int_equal(added, 1);
    expect_stream(&g, (const uint32_t[]){9, 6, 12, 18, 10, 12, 24, 44, 15}, 9);
    /* 4.3.5.6 multipolygon: two exteriors and one interior ring. */
    mvt_geom_reset(&g, MVT_POLYGON);
    struct mvt_point a[] = {{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}};
    struct mvt_point b[] = {{11, 11}, {20, 11}, {20, 20}, {11, 20}, {11, 11}};
    struct mvt_point h[] = {{13, 13}, {13, 17}, {17, 17}, {17, 13}, {13, 13}};
    assert_int_equal(mvt_geom_ring(&g, a, 5, 1, &added), ERR_OK);
    assert_int_equal(mvt_geom_ring(&g, b, 5, 1, &added), ERR_OK);
    assert_int_equal(mvt_geom_ring(&g, h, 5, 0, &added), ERR_OK);
    const uint32_t want[] = {9, 0,  0,  26, 20, 0, 0, 20, 19, 0, 15, 9, 22, 2, 26, 18, 0,
                             0, 18, 17, 0,  15, 9, 4, 13, 26, 0, 8,  8, 0,  0, 7,  15};
    expect_stream(&g, want, sizeof want / sizeof want[0]);
    mvt_geom_free(&g);
}

static void test_winding(void **state)
{
    (void)state;
    /* y points down: (0,0) (10,0) (10,10) is clockwise on screen, positive. */
    struct mvt_point cw[] = {{0, 0}, {10, 0}, {10, 10}, {0, 10}};
    assert_true(mvt_ring_area2(cw, 4) == 200);
    mvt_ring_reverse(cw, 4);
    assert_true(mvt_ring_area2(cw, 4) == -200);
    /* An exterior given counter-clockwise is reversed; a hole given
     * clockwise too; both then decode to the right signs. */
    struct mvt_geom g;
    int added;
    mvt_geom_init(&g, MVT_POLYGON);
    struct mvt_point ext[] = {{0, 0}, {0, 100}, {100, 100}, {100, 0}};
    struct mvt_point hole[] = {{10, 10}, {20, 10}, {20, 20}, {10, 20}};
    assert_int_equal(mvt_geom_ring(&g, ext, 4, 1, &added), ERR_OK);
    assert_true(mvt_ring_area2(ext, 4) > 0);
    assert_int_equal(mvt_geom_ring(&g, hole, 4, 0, &added), ERR_OK);
    assert_true(mvt_ring_area2(hole, 4) < 0);
    /* The written stream holds the reversed ring: MoveTo(100,0) then
     * LineTo(+0,+100) first. */
    assert_int_equal(g.cmd[0], 9);
    assert_int_equal(mvt_unzigzag(g.cmd[1]), 100);
    assert_int_equal(mvt_unzigzag(g.cmd[2]), 0);
    assert_int_equal(g.cmd[3], mvt_command(MVT_CMD_LINE_TO, 3));
    assert_int_equal(mvt_unzigzag(g.cmd[4]), 0);
    assert_int_equal(mvt_unzigzag(g.cmd[5]), 100);
    mvt_geom_free(&g);
}

static void test_degenerate(void **state)
{
    (void)state;
    struct mvt_geom g;
    int added = -1;
    mvt_geom_init(&g, MVT_LINESTRING);
    /* Every point in one place: no line; the stream stays empty. */
    struct mvt_point same[] = {{5, 5}, {5, 5}, {5, 5}};
    assert_int_equal(mvt_geom_line(&g, same, 3, &added), ERR_OK);
    assert_int_equal(added, 0);
    assert_int_equal(g.n, 0);
    /* Repeated points are left out (no zero-length LineTo). */
    struct mvt_point rep[] = {{0, 0}, {0, 0}, {3, 0}, {3, 0}, {3, 4}};
    assert_int_equal(mvt_geom_line(&g, rep, 5, &added), ERR_OK);
    expect_stream(&g, (const uint32_t[]){9, 0, 0, 18, 6, 0, 0, 8}, 8);
    mvt_geom_reset(&g, MVT_POLYGON);
    /* Two distinct points, a collinear ring: no ring. */
    struct mvt_point two[] = {{0, 0}, {4, 4}, {0, 0}};
    struct mvt_point flat[] = {{0, 0}, {4, 0}, {8, 0}, {0, 0}};
    assert_int_equal(mvt_geom_ring(&g, two, 3, 1, &added), ERR_OK);
    assert_int_equal(added, 0);
    assert_int_equal(mvt_geom_ring(&g, flat, 4, 1, &added), ERR_OK);
    assert_int_equal(added, 0);
    assert_int_equal(g.n, 0);
    /* Wrong type, out-of-range coordinates. */
    struct mvt_point far[] = {{MVT_COORD_MAX + 1, 0}, {0, 0}, {1, 1}};
    assert_int_equal(mvt_geom_ring(&g, far, 3, 1, &added), ERR_INPUT);
    assert_int_equal(mvt_geom_line(&g, rep, 5, &added), ERR_INPUT);
    mvt_geom_free(&g);
}

/* Collects decoded vertices. */
struct collect {
    uint32_t id[64];
    int32_t x[64], y[64];
    size_t n;
};

static int collect_vertex(void *ctx, uint32_t id, int32_t x, int32_t y)
{
    struct collect *c = ctx;
    if (c->n == 64)
        return ERR_LIMIT;
    c->id[c->n] = id;
    c->x[c->n] = x;
    c->y[c->n++] = y;
    return ERR_OK;
}

static void test_decode(void **state)
{
    (void)state;
    /* The specification's multipolygon decodes to its points. */
    const uint32_t mp[] = {9, 0,  0,  26, 20, 0, 0, 20, 19, 0, 15, 9, 22, 2, 26, 18, 0,
                           0, 18, 17, 0,  15, 9, 4, 13, 26, 0, 8,  8, 0,  0, 7,  15};
    struct collect c = {0};
    assert_int_equal(mvt_geom_decode(mp, sizeof mp / sizeof mp[0], collect_vertex, &c), ERR_OK);
    assert_int_equal(c.n, 15); /* 3 rings x (4 vertices + ClosePath) */
    assert_int_equal(c.x[5], 11);
    assert_int_equal(c.y[5], 11);
    assert_int_equal(c.x[10], 13);
    assert_int_equal(c.y[10], 13);
    assert_int_equal(c.id[14], MVT_CMD_CLOSE_PATH);
    /* Malformed streams are refused. */
    const uint32_t short_move[] = {9, 4};
    const uint32_t bad_cmd[] = {mvt_command(3, 1), 0, 0};
    const uint32_t bad_close[] = {mvt_command(MVT_CMD_CLOSE_PATH, 2)};
    memset(&c, 0, sizeof c);
    assert_int_equal(mvt_geom_decode(short_move, 2, collect_vertex, &c), ERR_INPUT);
    assert_int_equal(mvt_geom_decode(bad_cmd, 3, collect_vertex, &c), ERR_INPUT);
    assert_int_equal(mvt_geom_decode(bad_close, 1, collect_vertex, &c), ERR_INPUT);
}

/* Encodes one layer `name` with the features of section 4.5 (hello/h/count)
 * and returns the tile. */
static unsigned char *spec_example_tile(const char *second_world, size_t *len)
{
    struct err e = {0};
    struct mvt_layer *l = mvt_layer_new("points", 4096, &e);
    assert_non_null(l);
    struct mvt_geom g;
    mvt_geom_init(&g, MVT_POINT);
    struct mvt_point p[] = {{1205, 1540}};
    assert_int_equal(mvt_geom_points(&g, p, 1), ERR_OK);
    struct mvt_prop f1[] = {{.key = "hello", .type = MVT_VALUE_STRING, .s = "world"},
                            {.key = "h", .type = MVT_VALUE_STRING, .s = second_world},
                            {.key = "count", .type = MVT_VALUE_DOUBLE, .d = 1.23}};
    struct mvt_prop f2[] = {{.key = "hello", .type = MVT_VALUE_STRING, .s = "again"},
                            {.key = "count", .type = MVT_VALUE_INT, .i = 2},
                            {.key = "absent", .type = MVT_VALUE_STRING, .s = NULL}};
    assert_int_equal(mvt_layer_add(l, 1, &g, f1, 3, &e), ERR_OK);
    assert_int_equal(mvt_layer_add(l, 2, &g, f2, 3, &e), ERR_OK);
    assert_int_equal(mvt_layer_count(l), 2);
    unsigned char *out;
    struct mvt_layer *layers[] = {l};
    assert_int_equal(mvt_encode(layers, 1, &out, len, &e), ERR_OK);
    assert_non_null(out);
    mvt_layer_free(l);
    mvt_geom_free(&g);
    return out;
}

static void test_layer_read_by_gdal(void **state)
{
    (void)state;
    size_t len, len2;
    unsigned char *t = spec_example_tile("world", &len);
    /* The same value twice is stored once: a distinct second string costs
     * exactly one more Value message (1 tag + 1 length + 5 bytes, wrapped in
     * 1 tag + 1 length byte of the layer). */
    unsigned char *t2 = spec_example_tile("worle", &len2);
    assert_int_equal(len2 - len, 9);
    free(t2);
    char name[64];
    GDALDatasetH ds = mg_open(t, len, -1, 0, 0, name, sizeof name);
    OGRLayerH l = GDALDatasetGetLayerByName(ds, "points");
    assert_non_null(l);
    assert_int_equal(OGR_L_GetFeatureCount(l, TRUE), 2);
    OGR_L_ResetReading(l);
    OGRFeatureH f = OGR_L_GetNextFeature(l);
    assert_non_null(f);
    assert_int_equal(OGR_F_GetFieldAsInteger64(f, OGR_F_GetFieldIndex(f, "mvt_id")), 1);
    assert_string_equal(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "hello")), "world");
    assert_string_equal(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "h")), "world");
    assert_true(OGR_F_GetFieldAsDouble(f, OGR_F_GetFieldIndex(f, "count")) == 1.23);
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    /* Without georeferencing GDAL gives tile units with y pointing up. */
    assert_true(OGR_G_GetX(g, 0) == 1205 && OGR_G_GetY(g, 0) == 4096 - 1540);
    OGR_F_Destroy(f);
    f = OGR_L_GetNextFeature(l);
    assert_string_equal(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "hello")), "again");
    assert_int_equal(OGR_F_GetFieldAsInteger(f, OGR_F_GetFieldIndex(f, "count")), 2);
    /* A NULL string is an absent property, not a key. */
    assert_int_equal(OGR_F_GetFieldIndex(f, "absent"), -1);
    OGR_F_Destroy(f);
    mg_close(ds, name);
    free(t);
}

static void test_encode_rules(void **state)
{
    (void)state;
    struct err e = {0};
    struct mvt_layer *a = mvt_layer_new("a", 4096, &e), *b = mvt_layer_new("a", 4096, &e),
                     *empty = mvt_layer_new("empty", 4096, &e);
    struct mvt_geom g;
    mvt_geom_init(&g, MVT_POINT);
    /* No geometry: refused. */
    assert_int_equal(mvt_layer_add(a, 0, &g, NULL, 0, &e), ERR_INPUT);
    struct mvt_point p[] = {{1, 1}};
    mvt_geom_points(&g, p, 1);
    struct mvt_prop dup[] = {{.key = "k", .type = MVT_VALUE_BOOL, .b = 1},
                             {.key = "k", .type = MVT_VALUE_BOOL, .b = 0}};
    err_clear(&e);
    assert_int_equal(mvt_layer_add(a, 0, &g, dup, 2, &e), ERR_INPUT);
    assert_int_equal(mvt_layer_add(a, 0, &g, dup, 1, &e), ERR_OK);
    assert_int_equal(mvt_layer_add(b, 0, &g, NULL, 0, &e), ERR_OK);
    unsigned char *out;
    size_t len;
    /* Only empty layers: an empty tile (no bytes). */
    struct mvt_layer *only_empty[] = {empty};
    assert_int_equal(mvt_encode(only_empty, 1, &out, &len, &e), ERR_OK);
    assert_null(out);
    assert_int_equal(len, 0);
    /* Two layers of one name: refused. */
    struct mvt_layer *twice[] = {a, empty, b};
    err_clear(&e);
    assert_int_equal(mvt_encode(twice, 3, &out, &len, &e), ERR_INPUT);
    assert_null(out);
    mvt_layer_free(a);
    mvt_layer_free(b);
    mvt_layer_free(empty);
    mvt_geom_free(&g);
}

/* Many features with many distinct values: the dictionaries grow and the
 * tile still reads back whole. */
static void test_many_values(void **state)
{
    (void)state;
    struct err e = {0};
    struct mvt_layer *l = mvt_layer_new("many", 4096, &e);
    struct mvt_geom g;
    mvt_geom_init(&g, MVT_LINESTRING);
    for (int i = 0; i < 2000; i++) {
        mvt_geom_reset(&g, MVT_LINESTRING);
        struct mvt_point p[] = {{i % 4096, 0}, {i % 4096, 100 + i % 7}};
        int added;
        assert_int_equal(mvt_geom_line(&g, p, 2, &added), ERR_OK);
        char name[32];
        snprintf(name, sizeof name, "street %d", i);
        struct mvt_prop props[] = {{.key = "name", .type = MVT_VALUE_STRING, .s = name},
                                   {.key = "n", .type = MVT_VALUE_INT, .i = i % 10},
                                   {.key = "steps", .type = MVT_VALUE_BOOL, .b = i % 2}};
        assert_int_equal(mvt_layer_add(l, (uint64_t)i + 1, &g, props, 3, &e), ERR_OK);
    }
    unsigned char *out;
    size_t len;
    struct mvt_layer *layers[] = {l};
    assert_int_equal(mvt_encode(layers, 1, &out, &len, &e), ERR_OK);
    char name[64];
    GDALDatasetH ds = mg_open(out, len, -1, 0, 0, name, sizeof name);
    assert_int_equal(mg_count(ds, "many"), 2000);
    OGRLayerH ol = GDALDatasetGetLayerByName(ds, "many");
    OGRFeatureH f;
    long seen = 0;
    OGR_L_ResetReading(ol);
    while ((f = OGR_L_GetNextFeature(ol)) != NULL) {
        long long id = OGR_F_GetFieldAsInteger64(f, OGR_F_GetFieldIndex(f, "mvt_id"));
        char want[32];
        snprintf(want, sizeof want, "street %lld", id - 1);
        assert_string_equal(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "name")), want);
        assert_int_equal(OGR_F_GetFieldAsInteger(f, OGR_F_GetFieldIndex(f, "n")), (id - 1) % 10);
        OGR_F_Destroy(f);
        seen++;
    }
    assert_int_equal(seen, 2000);
    mg_close(ds, name);
    free(out);
    mvt_layer_free(l);
    mvt_geom_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_integers),           cmocka_unit_test(test_spec_points_and_lines),
        cmocka_unit_test(test_spec_polygons),      cmocka_unit_test(test_winding),
        cmocka_unit_test(test_degenerate),         cmocka_unit_test(test_decode),
        cmocka_unit_test(test_layer_read_by_gdal), cmocka_unit_test(test_encode_rules),
        cmocka_unit_test(test_many_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
