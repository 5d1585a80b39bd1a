#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_web_basemap.sh - the offline base map on the web page, in Debian's
# Chromium (tests/web/basemap.test.mjs): a database built from the raw
# Liechtenstein OSM extract (`import network`, which loads its base map)
# shows water, roads, parks, buildings and places over Vaduz at zoom 15,
# labels drawn with glyph ranges from the server's own /fonts/, and no
# request leaves the server; a database from the 宇部市 road layer shows
# its roads over central 宇部市. Screenshots in $TSUNAGU_SHOTS/basemap*/.
# Skips (77) without node, Chromium or the real data.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
SHARED=${TSUNAGU_SHARED:-$SRC/../shared/data}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
SHOTS=${TSUNAGU_SHOTS:-$PWD/web-shots}
. "$(dirname "$0")/lib.sh"
tl_need node
[ -x "$CHROMIUM" ] || { echo "SKIP: $CHROMIUM is not installed (bash .ci/install installs it)"; exit 77; }
[ -d "$SRC/tests/web/node_modules/playwright-core" ] ||
  { echo "FAIL - tests/web/node_modules is missing: run bash .ci/install"; exit 1; }
LIE=$SHARED/osm/liechtenstein-latest.osm.pbf
UBE=$SHARED/ube/ube_roads_osm_edges.gpkg
for f in "$LIE" "$UBE"; do
  [ -f "$f" ] || { echo "SKIP: $f is absent (real data lives in ../shared/data)"; exit 77; }
done
tl_scratch

# run NAME DB LON LAT ZOOM CLASSES [GLYPHS]: serves DB and runs the page test.
run() {
  local name=$1 db=$2 port
  TSUNAGU_WEB=$SRC/web "$BIN" --db "$db" serve --port 0 --threads 4 >"$T/$name.srv" 2>"$T/$name.err" &
  SRV=$!
  port=$(tl_port "$T/$name.srv" "$SRV")
  if [ -z "$port" ]; then
    bad "the server on $name did not start: $(cat "$T/$name.err")"
    return
  fi
  ok "the server on $name listens on port $port"
  if TSUNAGU_NEED_GLYPHS=${7:-1} CHROMIUM=$CHROMIUM CHROMIUM_PROFILE=$T/profile-$name \
    timeout 300 node "$SRC/tests/web/basemap.test.mjs" "http://127.0.0.1:$port" "$SHOTS/$name" "$3" "$4" "$5" "$6"; then
    ok "the page shows the base map of $name"
  else
    bad "the page shows the base map of $name"
  fi
  kill -TERM "$SRV"; wait "$SRV" 2>/dev/null; SRV=
}

"$BIN" --db "$T/lie.db" import network "$LIE" >"$T/lie.out" 2>&1
check "the Liechtenstein database is built (network and base map)" grep -q '^imported basemap' "$T/lie.out"
run basemap-liechtenstein "$T/lie.db" 9.5209 47.1410 15 water,waterway,road,park,building,place
"$BIN" --db "$T/ube.db" import network "$UBE" >"$T/ube.out" 2>&1
check "the 宇部市 database is built (network and its roads)" grep -q '^imported basemap' "$T/ube.out"
# 宇部新川 (central 宇部市): streets named in kanji are drawn with the browser's font.
run basemap-ube "$T/ube.db" 131.2466 33.9437 15 road 0

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
