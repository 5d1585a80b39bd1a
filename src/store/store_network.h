/* SPDX-License-Identifier: MIT */
/* store_network.h - replacing the whole walking network in one bulk write
 * (`tsunagu import network`): the old nodes and edges go, the new ones are
 * appended with statements prepared once and geometry blobs built in C, and
 * the spatial indexes are built once at the end instead of row by row.
 *
 * Entry points: store_network_bulk_begin, store_network_bulk_node,
 * store_network_bulk_edge, store_network_bulk_end, store_network_bulk_free.
 *
 * Use, inside the caller's transaction (store_begin):
 *   b = store_network_bulk_begin(s, e);
 *   store_network_bulk_node(b, ...) for ids 1, 2, ...;
 *   store_network_bulk_edge(b, ...) for each edge;
 *   store_network_bulk_end(b, e);     (frees b)
 * On any failure the caller rolls the transaction back (which restores the
 * schema this file changes) and calls store_network_bulk_free(b).
 */
#ifndef TSUNAGU_STORE_NETWORK_H
#define TSUNAGU_STORE_NETWORK_H

#include "store.h"

#include <stddef.h>

struct store_network_bulk;

/* Starts replacing the network: deletes every node and edge and sets the
 * tables' triggers and spatial indexes aside until store_network_bulk_end.
 * Must run inside a transaction (ERR_INTERNAL otherwise) of a database with
 * a CRS. Returns NULL with ERR_IO or ERR_NOMEM in e on failure (the caller
 * then rolls back). */
struct store_network_bulk *store_network_bulk_begin(struct store *s, struct err *e);

/* Appends node `id` at (x, y) in the database CRS. ERR_IO (e.g. the id
 * repeats) or ERR_NOMEM. */
int store_network_bulk_node(struct store_network_bulk *b, long id, double x, double y,
                            struct err *e);

/* Appends an edge whose line is xy[0..2n) (x0, y0, x1, y1, ...; n >= 2) in
 * the database CRS; its id is the next rowid. ERR_INPUT when n < 2 or a
 * coordinate is not finite ("a network edge has no valid line geometry"),
 * ERR_IO, ERR_NOMEM. */
int store_network_bulk_edge(struct store_network_bulk *b, const struct store_edge *ed,
                            const double *xy, size_t n, struct err *e);

/* Finishes: builds the spatial indexes of both tables (rows in id order, the
 * same index the row-by-row triggers build), puts the triggers back and
 * records the change times. Frees b whatever happens; ERR_IO on failure
 * (the caller rolls back). */
int store_network_bulk_end(struct store_network_bulk *b, struct err *e);

/* Frees b after a failure (NULL is fine); the caller rolls back. */
void store_network_bulk_free(struct store_network_bulk *b);

#endif
