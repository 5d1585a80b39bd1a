/* SPDX-License-Identifier: MIT */
/* isochrone.h - the area reachable on foot within N minutes, as a polygon:
 * the reached streets (including partly reached edges and the origin's
 * access leg) widened by a walking margin and dissolved, traced on a grid of
 * margin/4 cells. Rivers, rail yards and blocks without a reached street
 * stay outside, and holes stay holes, unlike a convex hull.
 *
 * Entry points: isochrone_geojson.
 */
#ifndef TSUNAGU_ISOCHRONE_H
#define TSUNAGU_ISOCHRONE_H

#include "walk.h"
#include <jansson.h>

#define ISOCHRONE_DEFAULT_MARGIN_M 40.0 /* buffer either side of a reached street */
#define ISOCHRONE_MAX_MARGIN_M 200.0

/* Computes the isochrone of q and returns a GeoJSON Feature in WGS84
 * (RFC 7946, 7 decimals) with properties minutes, speed_m_per_min, limit_m,
 * margin_m, grid_m, area_m2, snap_m and the origin; a new reference the caller
 * releases with json_decref. margin_m 0 = default. Fails like walk_reachable
 * (ERR_INPUT for bad parameters or an off-network origin), or ERR_INTERNAL
 * when GEOS fails. */
json_t *isochrone_geojson(struct walk_session *s, const struct walk_net *n,
                          const struct walk_query *q, double margin_m, struct err *e);

#endif
