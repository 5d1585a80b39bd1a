/* SPDX-License-Identifier: MIT */
/* osmtags.h - which OpenStreetMap ways a pedestrian may use, and what the
 * network keeps of their tags.
 *
 * Pure: standard headers only. The rules (osmtags_walkable):
 *   - no highway tag (rivers, railways, power lines, boundaries): not a street;
 *   - highway values nobody walks on: motorway, motorway_link, construction,
 *     proposed, planned, abandoned, disused, razed, raceway, bus_guideway,
 *     escape (runaway-truck ramps), via_ferrata (needs climbing gear);
 *   - area=yes: a pedestrian area (a square or plaza: pedestrian, footway,
 *     path, living_street, corridor) is walkable, and the importer walks
 *     along its outline, as pedestrian routers do; any other area=yes (a
 *     car park's service area, a rest area) is excluded;
 *   - foot=no, foot=private, foot=use_sidepath (pedestrians must take the
 *     separately mapped sidewalk): excluded;
 *   - access=no or access=private: excluded unless foot=yes, designated or
 *     permissive;
 *   - motorroad=yes (自動車専用道路, e.g. bypasses tagged trunk): excluded
 *     unless foot=yes, designated or permissive.
 * cycleway, track, service, bridleway and the like stay: pedestrians may use
 * them unless a foot/access tag says otherwise.
 *
 * A highway value may list several classes (osmnx writes "['path', 'steps']"
 * or "path,steps" for a simplified edge; OSM uses "path;steps"). The way is
 * walkable when at least one listed class is; steps among them set the steps
 * flag (an edge containing steps is not step-free).
 *
 * Entry points: osmtags_walkable, osmtags_flags, osmtags_highway_normalize,
 * osmtags_verdict_word.
 */
#ifndef TSUNAGU_OSMTAGS_H
#define TSUNAGU_OSMTAGS_H

#include <stddef.h>

/* The tags of one way that decide walking; NULL when a tag is absent. */
struct osmtags_way {
    const char *highway;   /* highway=*, possibly a list (see above) */
    const char *foot;      /* foot=* */
    const char *access;    /* access=* */
    const char *area;      /* area=* */
    const char *motorroad; /* motorroad=* */
};

/* Verdicts of osmtags_walkable: OSMTAGS_WALKABLE or why the way is left out. */
enum osmtags_verdict {
    OSMTAGS_WALKABLE = 0,
    OSMTAGS_NOT_HIGHWAY,    /* no highway tag */
    OSMTAGS_CLASS_EXCLUDED, /* every highway class is one nobody walks on */
    OSMTAGS_AREA,           /* area=yes of a class nobody walks across */
    OSMTAGS_FOOT_NO,        /* foot=no/private/use_sidepath */
    OSMTAGS_PRIVATE,        /* access=no/private without a foot permission */
    OSMTAGS_MOTORROAD       /* motorroad=yes without a foot permission */
};

/* Bit 0 of an edge's flags: the way is or contains steps. */
#define OSMTAGS_FLAG_STEPS 0x01u

/* Longest highway text osmtags_highway_normalize writes, NUL included. */
#define OSMTAGS_HIGHWAY_MAX 256

/* Decides whether a pedestrian may use the way; returns enum osmtags_verdict. */
int osmtags_walkable(const struct osmtags_way *w);

/* Flags for a (normalised or raw) highway value: OSMTAGS_FLAG_STEPS when one
 * of its classes is "steps"; 0 for NULL. */
unsigned osmtags_flags(const char *highway);

/* Writes the highway value as OSM's ";"-separated list into out (n bytes):
 * "['path', 'steps']", "path,steps" and "path; steps" all become
 * "path;steps". Returns out, or NULL when highway is NULL or lists no class
 * (out then holds ""). Cut at n - 1 bytes on a class boundary. */
const char *osmtags_highway_normalize(const char *highway, char *out, size_t n);

/* A short English phrase for a verdict, e.g. "foot=no". */
const char *osmtags_verdict_word(int verdict);

#endif
