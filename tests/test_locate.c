/* SPDX-License-Identifier: MIT */
/* test_locate.c - tests src/walk/locate.c, the in-process district matcher
 * coverage uses instead of one spatial SQL query per household: a point on
 * a boundary or a corner is inside (ST_Intersects), the first polygon added
 * wins where polygons overlap (the store's ORDER BY code, id), a hole is
 * outside, and unreadable WKB is refused without changing the locator. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "locate.h"

#include <string.h>

/* WKB (little-endian) of a polygon of `nrings` closed rings of 5 points. */
static size_t wkb_polygon(unsigned char *out, const double (*rings)[5][2], uint32_t nrings)
{
    size_t n = 0;
    out[n++] = 1;
    uint32_t type = 3, npts = 5;
    memcpy(out + n, &type, 4);
    n += 4;
    memcpy(out + n, &nrings, 4);
    n += 4;
    for (uint32_t r = 0; r < nrings; r++) {
        memcpy(out + n, &npts, 4);
        n += 4;
        for (int i = 0; i < 5; i++) {
            memcpy(out + n, &rings[r][i][0], 8);
            memcpy(out + n + 8, &rings[r][i][1], 8);
            n += 16;
        }
    }
    return n;
}

static void add_square(struct locate *l, long id, double x0, double y0, double x1, double y1)
{
    const double ring[1][5][2] = {{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}};
    unsigned char wkb[256];
    size_t n = wkb_polygon(wkb, ring, 1);
    struct err e = {0};
    assert_int_equal(locate_add(l, id, wkb, n, &e), ERR_OK);
}

static void test_boundary_order_and_holes(void **state)
{
    (void)state;
    struct err e = {0};
    struct locate *l = locate_new(&e);
    assert_non_null(l);
    assert_int_equal(locate_find(l, 1, 1), 0); /* empty */
    add_square(l, 7, 0, 0, 10, 10);
    add_square(l, 3, 5, 5, 15, 15); /* overlaps 7; added after it */
    /* a square with a square hole */
    const double holed[2][5][2] = {{{20, 0}, {30, 0}, {30, 10}, {20, 10}, {20, 0}},
                                   {{22, 2}, {28, 2}, {28, 8}, {22, 8}, {22, 2}}};
    unsigned char wkb[512];
    size_t n = wkb_polygon(wkb, holed, 2);
    assert_int_equal(locate_add(l, 9, wkb, n, &e), ERR_OK);
    assert_int_equal(locate_find(l, 5, 5), 7);    /* in both: the first added */
    assert_int_equal(locate_find(l, 2, 3), 7);    /* inside */
    assert_int_equal(locate_find(l, 10, 3), 7);   /* on an edge */
    assert_int_equal(locate_find(l, 0, 0), 7);    /* a corner */
    assert_int_equal(locate_find(l, 12, 12), 3);  /* only in the second */
    assert_int_equal(locate_find(l, 15, 15), 3);  /* its far corner */
    assert_int_equal(locate_find(l, 16, 3), 0);   /* in no polygon */
    assert_int_equal(locate_find(l, 25, 5), 0);   /* in the hole */
    assert_int_equal(locate_find(l, 22, 5), 9);   /* on the hole's edge */
    assert_int_equal(locate_find(l, 21, 5), 9);   /* between hole and outline */
    assert_int_equal(locate_find(l, 12.5, 3), 0); /* in a box gap */
    /* unreadable WKB: refused, nothing added */
    unsigned char bad[9] = {1, 3, 0, 0, 0, 9, 0, 0, 0};
    assert_int_equal(locate_add(l, 11, bad, sizeof bad, &e), ERR_INPUT);
    assert_int_equal(locate_find(l, 2, 3), 7);
    assert_int_equal(locate_find(l, 16, 3), 0);
    locate_free(l);
    locate_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boundary_order_and_holes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
