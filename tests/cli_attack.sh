#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_attack.sh - an official attacks the aggregate answers over the real
# server, on the demo town and on a 宇部市 set (the real OSM network and P20
# shelters, synthetic households and grid districts at two levels; skipped
# when ../shared/data is absent):
#   - asks /api/coverage for every level (and none), every resource kind and
#     the candidate layer, minutes 1..60 and three speeds, and /api/suggest
#     with the smallest limits and many sites;
#   - tests/attack_solve.mjs then tries to recover any hidden household
#     figure: the same figure hidden in one answer and shown in another, or
#     pinned to one value by all answers together (interval propagation
#     over every line of every answer, covered counts growing with the
#     limit), and checks that no suggested site has fewer than 5 households
#     within its limit or shows a count of 1-4;
#   - /api/suggest on network nodes is refused (403) to officials (were it
#     answered, the solver would check its picks like the others).
# Skips (77) when curl, jq or node is missing.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
SHARED=${TSUNAGU_SHARED:-$SRC/../shared/data}
. "$(dirname "$0")/lib.sh"

tl_need curl jq node
tl_scratch

# serve DB: starts the server on DB (stopping the one before); sets B.
serve() {
  if [ -n "$SRV" ]; then kill -TERM "$SRV"; wait "$SRV"; SRV=; fi
  "$BIN" --db "$1" serve --port 0 --threads 2 >"$T/srv.out" 2>"$T/srv.err" &
  SRV=$!
  PORT=$(tl_port "$T/srv.out" "$SRV")
  if [ -z "$PORT" ]; then echo "FAIL - the server did not start:"; cat "$T/srv.err"; exit 1; fi
  B=http://127.0.0.1:$PORT
}

# ask OUT QUERY...: each query as the official, appended to OUT (tl_ask).
ask() {
  local out=$1; shift
  tl_ask "$out" "$OFF" "$B" "$@"
}

# attack NAME DB HOUSEHOLDS_CSV KINDS LEVELS CANDIDATES
attack() {
  local name=$1 db=$2 csv=$3 kinds=$4 levels=$5 cand=$6 qs=() k l m s
  OFF=$("$BIN" --db "$db" user add "attacker-$name" --role official 2>/dev/null)
  serve "$db"
  for k in $kinds; do
    for l in $levels; do
      for m in 1 3 5 10 15 20 30 45 60; do
        qs+=("/api/coverage?kind=$k&minutes=$m${l:+&level=$l}")
      done
    done
  done
  local k0=${kinds%% *}
  for s in 30 elderly 150; do
    for m in 1 2 5 10 20 40 60; do
      for l in $levels; do qs+=("/api/coverage?kind=$k0&minutes=$m&speed=$s${l:+&level=$l}"); done
    done
  done
  for k in ${kinds% candidate}; do
    for m in 1 2 5 10 30; do
      qs+=("/api/suggest?kind=$k&minutes=$m&speed=30&sites=50&candidates=$cand")
    done
    # network nodes: refused to officials (a 403 the solver skips)
    for m in 1 2 5; do qs+=("/api/suggest?kind=$k&minutes=$m&speed=30&sites=50"); done
  done
  : >"$T/$name.jsonl"
  ask "$T/$name.jsonl" "${qs[@]}"
  check "$name: every answer came (${#qs[@]} queries)" test "$(wc -l <"$T/$name.jsonl")" = "${#qs[@]}"
  check "$name: the answers are 200s (but suggestions on nodes)" \
    test "$(jq -s '[.[] | select(.a.error and (.q | test("coverage|candidates=")))] | length' "$T/$name.jsonl")" = 0
  if node "$SRC/tests/attack_solve.mjs" "$T/$name.jsonl" "$csv" >"$T/$name.solve"; then
    ok "$name: no hidden figure recovered, no pick points at fewer than 5 households ($(head -1 "$T/$name.solve"))"
  else
    bad "$name: the attacker recovered or located something:"; sed 's/^/    /' "$T/$name.solve"
  fi
  code=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $OFF" \
    "$B/api/suggest?kind=$k0&minutes=1&speed=30&sites=50")
  check "$name: suggestions on network nodes are refused to officials (403)" test "$code" = 403
}

# ---- the demo town ----
DB=$T/demo.db
tl_demo_db "$DB"
KINDS=$(grep -o '"kind": *"[a-z_]*"' "$SRC/data/town_resources.geojson" | sed 's/.*"\([a-z_]*\)"$/\1/' | sort -u | tr '\n' ' ')
attack demo "$DB" "$SRC/data/town_households.csv" "$KINDS candidate" " elementary junior_high" candidate

# ---- 宇部市: real network and shelters, synthetic households ----
ROADS=$SHARED/ube/ube_roads_osm_edges.gpkg
SHELTERS=$SHARED/ube/ube_shelters_P20.gpkg
if [ ! -f "$ROADS" ] || [ ! -f "$SHELTERS" ]; then
  echo "SKIP (宇部市 part): $SHARED/ube is absent"
else
  U=$T/ube.db
  # 400 households at fixed pseudo-random points of the shelters' extent
  # (131.227-131.312 E, 33.931-33.980 N), a few in clusters.
  awk 'BEGIN { srand(7); print "id,lon,lat,members,needs";
    for (i = 1; i <= 400; i++) {
      lon = 131.227 + rand() * 0.085; lat = 33.931 + rand() * 0.049
      if (i % 10 == 0) { lon = plon + (rand() - 0.5) * 0.0004; lat = plat + (rand() - 0.5) * 0.0004 }
      plon = lon; plat = lat
      printf "U%04d,%.7f,%.7f,1,%s\n", i, lon, lat, (i % 3 ? "高齢独居" : "孤立") } }' >"$T/ube_hh.csv"
  # Districts: a 3 x 3 grid ("grid") and a 2 x 1 split ("half") of the extent.
  awk 'BEGIN { x0 = 131.218; x1 = 131.327; y0 = 33.922; y1 = 34.002
    printf "{\"type\":\"FeatureCollection\",\"features\":["
    for (i = 0; i < 3; i++) for (j = 0; j < 3; j++) {
      a = x0 + (x1 - x0) * i / 3; b = x0 + (x1 - x0) * (i + 1) / 3
      c = y0 + (y1 - y0) * j / 3; d = y0 + (y1 - y0) * (j + 1) / 3
      printf "%s{\"type\":\"Feature\",\"properties\":{\"code\":\"G%d%d\",\"name\":\"grid %d%d\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%f,%f],[%f,%f],[%f,%f],[%f,%f],[%f,%f]]]}}", (i + j ? "," : ""), i, j, i, j, a, c, b, c, b, d, a, d, a, c }
    print "]}" }' >"$T/grid.geojson"
  awk 'BEGIN { x0 = 131.218; x1 = 131.327; y0 = 33.922; y1 = 34.002; xm = (x0 + x1) / 2
    printf "{\"type\":\"FeatureCollection\",\"features\":["
    printf "{\"type\":\"Feature\",\"properties\":{\"code\":\"W\",\"name\":\"west\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%f,%f],[%f,%f],[%f,%f],[%f,%f],[%f,%f]]]}},", x0, y0, xm, y0, xm, y1, x0, y1, x0, y0
    printf "{\"type\":\"Feature\",\"properties\":{\"code\":\"E\",\"name\":\"east\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%f,%f],[%f,%f],[%f,%f],[%f,%f],[%f,%f]]]}}", xm, y0, x1, y0, x1, y1, xm, y1, xm, y0
    print "]}" }' >"$T/half.geojson"
  im() { "$BIN" --db "$U" import "$@" >>"$T/ube.imp" 2>&1 || echo "import $* failed"; }
  r=$( { im network "$ROADS"
         im resources "$SHELTERS" --kind shelter --where 'fid % 2 = 0'
         im candidates "$SHELTERS" --where 'fid % 2 = 1'
         im households "$T/ube_hh.csv"
         im districts "$T/grid.geojson" --level grid
         im districts "$T/half.geojson" --level half; } )
  if [ -z "$r" ]; then ok "宇部市: the set imports"; else bad "宇部市: $r"; cat "$T/ube.imp"; fi
  attack ube "$U" "$T/ube_hh.csv" "shelter" " grid half" candidate
fi

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
