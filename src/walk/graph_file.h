/* SPDX-License-Identifier: MIT */
/* graph_file.h - the street network saved next to the database (DB.graph)
 * and mapped (or read) read-only at load, so that a command or a server start does not
 * rebuild the graph from SQLite (README "Performance").
 *
 * The file holds a header (magic, format version, byte-order and size
 * marks, the caller's key - the database's network version - counts, the
 * origin and bounding box, a table of sections, a checksum of the data and
 * one of the header) and the graph's arrays (graph_parts) at 64-byte aligned
 * offsets in the same compact form as in memory. Nothing in it is trusted:
 * the header, its checksum, every section's place and size, the data
 * checksum and every index (graph_from_parts) are checked before use, and
 * any mismatch makes graph_file_map refuse the file.
 *
 * A file is only ever replaced whole (written under a temporary name, then
 * renamed), never rewritten in place, so a mapping in use stays valid while
 * a newer file takes the name.
 *
 * Entry points: graph_file_path, graph_file_write, graph_file_map.
 */
#ifndef TSUNAGU_GRAPH_FILE_H
#define TSUNAGU_GRAPH_FILE_H

#include "err.h"
#include "graph.h"

#include <stddef.h>
#include <stdint.h>

/* Format version: bump whenever the layout or the compact form changes. */
#define GRAPH_FILE_FORMAT 1u

/* The graph file's path for database `db_path` (db_path + ".graph") into buf
 * (n bytes). ERR_LIMIT when it does not fit. */
int graph_file_path(const char *db_path, char *buf, size_t n, struct err *e);

/* Save g under `path` with `key`: written to a new temporary file in the same
 * directory and renamed over `path`. ERR_IO (read-only directory, disk
 * full, ...) with nothing left behind; `path` is unchanged on failure. */
int graph_file_write(const struct graph *g, const char *path, uint64_t key, struct err *e);

/* How graph_file_map holds the file's bytes. */
enum graph_file_hold {
    /* Mapped read-only from the page cache (4 KiB pages, shared with other
     * processes, nothing copied): quickest to load, for a command that
     * answers once and exits. */
    GRAPH_FILE_MAPPED,
    /* Read into private memory on huge pages (hugemem.h), then made
     * read-only: loading copies the file (~50 ms more CPU at 2M edges),
     * and every later query that starts with cold caches is several times
     * quicker (README "Prefecture scale"): for a server. */
    GRAPH_FILE_RESIDENT
};

/* Map the graph saved at `path` (held as `hold` says) and return a graph
 * borrowing those bytes (released by graph_free). ERR_NOTFOUND when there is no file;
 * ERR_INPUT when it is another format, byte order or key (stale: the network
 * changed, or it belongs to another database), truncated, or fails a
 * checksum or any consistency check; ERR_IO when it cannot be read;
 * ERR_NOMEM. */
struct graph *graph_file_map(const char *path, uint64_t key, enum graph_file_hold hold,
                             struct err *e);

#endif
