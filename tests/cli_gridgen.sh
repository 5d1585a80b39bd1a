#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_gridgen.sh - smoke run of the scale benchmark's grid generator
# (tools/gridgen, run by tests/bench_scale.sh) on a tiny grid, so the tool
# and its import path cannot rot:
#   - the same seed writes the same grid, households and resources, another
#     seed other ones;
#   - every file imports with the real program (network, households,
#     resources, both district levels) and the counts are the grid's
#     (2 s (s - 1) edges, s^2 nodes);
#   - the stored network is the file's, checked independently of the
#     import: SpatiaLite reads the GeoPackage blobs itself (GeomFromGPB),
#     transforms them into the database CRS and sums their lengths, which
#     must equal the sum of net_edges.length_m to 1 mm;
#   - coverage and suggest answer on it; bad options exit 2.
set -u
BIN=${TSUNAGU_BIN:?}
GEN=$(dirname "$BIN")/gridgen
. "$(dirname "$0")/lib.sh"
tl_need sqlite3
[ -x "$GEN" ] || { echo "SKIP: $GEN is not built"; exit 77; }
tl_scratch

"$GEN" --edges 3000 --households 400 --resources 24 --seed 7 "$T/a" >"$T/a.out" 2>&1
check "gridgen writes a tiny grid (exit 0)" test $? -eq 0
check "the grid has 40 x 40 intersections and 3120 edges" \
  grep -q "^side=40 edges=3120 nodes=1600 households=400 resources=24 seed=7" "$T/a.out"
"$GEN" --edges 3000 --households 400 --resources 24 --seed 7 "$T/b" >/dev/null 2>&1
"$GEN" --edges 3000 --households 400 --resources 24 --seed 8 "$T/c" >/dev/null 2>&1
dump() { sqlite3 "$1/grid_network.gpkg" "SELECT fid, hex(geom), highway, name FROM grid_network"; }
check "the same seed gives the same network" cmp -s <(dump "$T/a") <(dump "$T/b")
check "the same seed gives the same households" \
  cmp -s "$T/a/grid_households.csv" "$T/b/grid_households.csv"
check "the same seed gives the same resources" \
  cmp -s "$T/a/grid_resources.csv" "$T/b/grid_resources.csv"
check "another seed gives another network" test "$(dump "$T/a")" != "$(dump "$T/c")"

DB=$T/grid.db
run() { "$BIN" --db "$DB" "$@" >"$T/out" 2>"$T/err"; }
run import network "$T/a/grid_network.gpkg"
check "the network imports (exit 0)" test $? -eq 0
check "3120 edges and 1600 nodes are stored" grep -q "3120 edges, 1600 nodes" "$T/out"
run import households "$T/a/grid_households.csv"
check "400 households import" grep -q "imported 400 households" "$T/out"
run import resources "$T/a/grid_resources.csv"
check "24 resources import" grep -q "imported 24 resources" "$T/out"
run import districts --level elementary "$T/a/grid_districts_elementary.geojson"
check "144 elementary districts import" grep -q "imported 144 districts" "$T/out"
run import districts --level junior_high "$T/a/grid_districts_junior_high.geojson"
check "16 junior-high districts import" grep -q "imported 16 districts" "$T/out"

srid=$(sqlite3 "$DB" "SELECT value FROM meta WHERE key = 'srid'")
stored=$(sqlite3 "$DB" "SELECT count(*) || ' ' || printf('%.3f', sum(length_m)) FROM net_edges")
# Read-only use of the database's spatial_ref_sys; the GeoPackage attached.
ref=$(sqlite3 -readonly -cmd "SELECT load_extension('mod_spatialite')" "$DB" \
  "ATTACH '$T/a/grid_network.gpkg' AS g;
   SELECT count(*) || ' ' || printf('%.3f', sum(ST_Length(Transform(
     SetSRID(GeomFromGPB(geom), 4326), $srid)))) FROM g.grid_network" 2>/dev/null | tail -1)
check "net_edges holds the file's lines and lengths ($stored vs SpatiaLite's $ref)" \
  test -n "$ref" -a "$stored" = "$ref"

run coverage --minutes 15 --level elementary --kind consultation
check "coverage answers on the grid" test $? -eq 0
run suggest --minutes 15 --kind consultation --sites 2
check "suggest answers on the grid" test $? -eq 0

"$GEN" --edges 2 "$T/d" >/dev/null 2>&1
check "too few edges is refused (exit 2)" test $? -eq 2
"$GEN" --edges 1000 >/dev/null 2>&1
check "a missing directory is refused (exit 2)" test $? -eq 2

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
