/* SPDX-License-Identifier: MIT */
/* import_basemap.h - the offline base map import (`tsunagu import basemap
 * FILE`, and the network import of an OpenStreetMap file): keeps water,
 * waterways, railways, stations, roads, parks, buildings and place names
 * (import_basemap_class.h) in the store's basemap table (store_basemap.h),
 * replacing the rows of the same source.
 *
 * Raw OSM (.osm, .osm.pbf) is read through GDAL's OSM driver (src/geo)
 * with an osmconf of our own, layer by layer: points (stations, places),
 * lines (roads, railways, waterways) and multipolygons (water, parks,
 * buildings). Any other vector layer is read as it is, with whatever of
 * the tags (highway, railway, waterway, natural, landuse, leisure,
 * building, place, name, name:ja) it has as fields: a road layer such as
 * an osmnx edge export gives its roads (each street once, though such
 * layers hold it once per direction: the row osmnx marks reversed, or
 * where it does not say, the one with u > v that is not oneway, is left
 * out). Names: name:ja, else name.
 *
 * One transaction: the source's old rows go and the new ones land, or on
 * any failure the database stays as it was. Bad input is one sentence
 * naming the file and feature.
 *
 * Entry points: import_basemap. */
#ifndef TSUNAGU_IMPORT_BASEMAP_H
#define TSUNAGU_IMPORT_BASEMAP_H

#include "import.h"
#include "import_basemap_class.h"

/* What a base map import kept. */
struct import_basemap_report {
    long read;                         /* features read, every layer */
    long stored;                       /* rows stored */
    long kept[IMPORT_BASEMAP_CLASSES]; /* rows per class (enum import_basemap_class) */
    int osm;                           /* 1 when read as raw OSM */
    int srid;                          /* the database CRS */
    int srid_new;                      /* 1 when this import fixed the CRS */
};

/* Imports the base map of o->src.path (o->src.layer: one layer only;
 * o->source_name: the key, default the file's base name). ERR_INPUT with
 * one sentence when the file cannot be read or holds nothing for the base
 * map; the database is then unchanged. */
int import_basemap(struct store *st, const struct import_opts *o, struct import_basemap_report *rep,
                   struct err *e);

#endif
