/* SPDX-License-Identifier: MIT */
/* fuzz_netbuild.c - fuzz target for the network builder (src/netbuild.c),
 * which nodes and cuts every line of an imported road layer or OSM
 * extract. The input is a mode byte then lines: a vertex count byte c
 * (1 + c % 16 vertices) and, per vertex, two bytes placing it on a 16 x 16
 * grid (so lines share vertices, cross and repeat), with a steps flag from
 * the count's top bit. Invariants after netbuild_finish: every edge has 2+
 * vertices, a finite non-negative length, valid node indices whose
 * positions are its end vertices, and the attribute of an added line. */
#include "fuzzutil.h"
#include "netbuild.h"

#include <math.h>
#include <stdlib.h>

#define FUZZ_NB_MAX_LINES 256 /* lines read from one input */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 8192)
        return 0;
    int mode = data[0] & 1 ? NETBUILD_NODE_SHARED : NETBUILD_NODE_ENDPOINTS;
    struct err e = {0};
    struct netbuild *nb = netbuild_new(mode, &e);
    fz_check(nb != NULL, "netbuild_new");
    size_t pos = 1;
    uint32_t lines = 0;
    double xy[2 * 16];
    while (pos < size && lines < FUZZ_NB_MAX_LINES) {
        unsigned c = data[pos++];
        size_t n = 1 + (c & 15);
        size_t k = 0;
        for (; k < n && pos + 1 < size; k++, pos += 2) {
            xy[2 * k] = (data[pos] & 15) * 10.0;
            xy[2 * k + 1] = (data[pos + 1] & 15) * 10.0;
        }
        if (k == 0)
            break;
        struct err le = {0};
        int rc = netbuild_add_line(nb, xy, xy, k, lines, c & 0x80 ? NETBUILD_FLAG_STEPS : 0, &le);
        fz_check(rc == ERR_OK || le.msg[0] != '\0', "a refused line comes with a sentence");
        lines++;
    }
    struct netbuild_stats stats;
    if (netbuild_finish(nb, &stats, &e) == ERR_OK) {
        size_t nodes = netbuild_node_count(nb), edges = netbuild_edge_count(nb);
        fz_check(edges == stats.edges && nodes == stats.nodes, "counts agree with the stats");
        for (size_t i = 0; i < edges; i++) {
            const struct netbuild_edge *ed = netbuild_edge_at(nb, i);
            fz_check(ed->npoints >= 2, "an edge has two or more vertices");
            fz_check(isfinite(ed->length_m) && ed->length_m >= 0, "a finite length");
            fz_check(ed->source < nodes && ed->target < nodes, "node indices in range");
            fz_check(ed->attr < lines, "the attribute of an added line");
            double x, y;
            netbuild_node_xy(nb, ed->source, &x, &y);
            fz_check(x == ed->xy[0] && y == ed->xy[1], "the source node is the first vertex");
            netbuild_node_xy(nb, ed->target, &x, &y);
            fz_check(x == ed->xy[2 * ed->npoints - 2] && y == ed->xy[2 * ed->npoints - 1],
                     "the target node is the last vertex");
        }
    } else {
        fz_check(e.msg[0] != '\0', "a failed build comes with a sentence");
    }
    netbuild_free(nb);
    return 0;
}
