#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tools/screenshots/screenshots.sh - retakes the README's pictures of the web
# page (docs/screenshots/*.jpg), one per view, reproducibly:
#   bash tools/screenshots/screenshots.sh [BUILD_DIR] [OUT_DIR]
# (defaults build/ and docs/screenshots/); TSUNAGU_SHOTS=official,editor
# retakes only the pictures named, leaving the others. Builds the demo town's database
# with an official, an editor, a coordinator of 包括A and a welfare
# commissioner, gives two of 包括A's households an overdue visit, protects
# a third, and marks
# the consenting ones of the commissioner's district for commissioners
# (all in a scratch directory, never the repository), and, when
# ../shared/data holds 宇部市's OSM roads and P20 shelters, a second
# database of them (network, offline base map, shelters); serves both on
# free loopback ports and runs tests/web/screenshots.mjs in Debian's
# Chromium (playwright-core, off the network). Needs node, sqlite3, curl,
# jq, pdftoppm and tests/web/node_modules (bash .ci/install).
set -u
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$SRC/build}
OUT=${2:-$SRC/docs/screenshots}
BIN=$BUILD/tsunagu
SHARED=${TSUNAGU_SHARED:-$SRC/../shared/data}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
for tool in node sqlite3 curl jq pdftoppm; do
  command -v "$tool" >/dev/null || { echo "screenshots: $tool is not installed" >&2; exit 1; }
done
[ -x "$BIN" ] || { echo "screenshots: $BIN is missing: build first (cmake --build build)" >&2; exit 1; }
[ -x "$CHROMIUM" ] || { echo "screenshots: $CHROMIUM is not installed" >&2; exit 1; }
[ -d "$SRC/tests/web/node_modules/playwright-core" ] ||
  { echo "screenshots: tests/web/node_modules is missing: run bash .ci/install" >&2; exit 1; }
mkdir -p "$OUT"
T=$(mktemp -d)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$T"' EXIT

# serve DB NAME: starts tsunagu serve on a free port; echoes the port.
serve() {
  TSUNAGU_WEB=$SRC/web "$BIN" --db "$1" serve --port 0 --threads 2 >"$T/$2.out" 2>"$T/$2.err" &
  PIDS+=($!)
  for _ in $(seq 300); do
    port=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$T/$2.out" | head -1)
    [ -n "$port" ] && { echo "$port"; return; }
    sleep 0.1
  done
  echo "screenshots: the $2 server did not start: $(cat "$T/$2.err")" >&2
  exit 1
}

DB=$T/demo.db
TSUNAGU_DATA=$SRC/data "$BIN" --db "$DB" demo --no-serve >"$T/demo.log" 2>&1 ||
  { echo "screenshots: building the demo town failed:" >&2; cat "$T/demo.log" >&2; exit 1; }
user() { "$BIN" --db "$DB" user add "$@" 2>/dev/null; }
OFF=$(user shot-official --role official)
ED=$(user shot-editor --role editor)
CO=$(user shot-coordinator --role coordinator --agency 包括A)
# Two of 包括A's households visited in the spring, due again since.
for h in $(sqlite3 "$DB" "SELECT ext_id FROM households WHERE agency = '包括A' ORDER BY id LIMIT 2"); do
  "$BIN" --db "$DB" visits add "$h" --at 2026-10-01T10:00 --visitors 佐藤 --outcome 不在 --next-due 2026-11-01 >/dev/null
done
# One of them protected (支援措置), so the 世帯 view shows that state too.
"$BIN" --db "$DB" households protect "$(sqlite3 "$DB" "SELECT ext_id FROM households WHERE agency = '包括A' ORDER BY id LIMIT 1 OFFSET 3")" >/dev/null
PORT=$(serve "$DB" demo)
# The commissioner serves the district holding most of 包括A's consenting
# households; all but one of them there are marked (the page's 世帯 view
# shows the last one with its 表示する control).
curl -s -H "Authorization: Bearer $CO" "http://127.0.0.1:$PORT/api/households" >"$T/hh.json"
DIST=$(jq -r '[.households[] | select(.consent == "yes" and (.protected | not)) | .district] | group_by(.) |
  max_by(length) | .[0]' "$T/hh.json")
COMM=$(user shot-commissioner --role commissioner --district "elementary:$DIST")
for h in $(jq -r --arg d "$DIST" '[.households[] | select(.district == $d and .consent == "yes" and (.protected | not)) | .id] | .[1:] | .[]' "$T/hh.json"); do
  "$BIN" --db "$DB" households commissioner "$h" yes >/dev/null
done

UBE_URL=
if [ -f "$SHARED/ube/ube_roads_osm_edges.gpkg" ] && [ -f "$SHARED/ube/ube_shelters_P20.gpkg" ]; then
  "$BIN" --db "$T/ube.db" import network "$SHARED/ube/ube_roads_osm_edges.gpkg" >"$T/ube.log" 2>&1 &&
    "$BIN" --db "$T/ube.db" import resources "$SHARED/ube/ube_shelters_P20.gpkg" --kind shelter >>"$T/ube.log" 2>&1 ||
    { echo "screenshots: building the 宇部市 database failed:" >&2; cat "$T/ube.log" >&2; exit 1; }
  if [ -f "$SHARED/addresses/yamaguchi_ube_towns.json" ]; then
    "$BIN" --db "$T/ube.db" import addresses "$SHARED/addresses/yamaguchi_ube_towns.json" --municipality 宇部市 >>"$T/ube.log" 2>&1
  fi
  UBE_URL=http://127.0.0.1:$(serve "$T/ube.db" ube)
else
  echo "screenshots: no 宇部市 data in $SHARED: the on-foot view and its print come from the demo town" >&2
fi

TSUNAGU_SHOTS=${TSUNAGU_SHOTS:-} TSUNAGU_ROUTE_DISTRICT=$DIST TSUNAGU_TOKEN_OFFICIAL=$OFF TSUNAGU_TOKEN_EDITOR=$ED TSUNAGU_TOKEN_COORDINATOR=$CO TSUNAGU_TOKEN_COMMISSIONER=$COMM \
CHROMIUM=$CHROMIUM CHROMIUM_PROFILE=$T/profile \
  node "$SRC/tests/web/screenshots.mjs" "http://127.0.0.1:$PORT" "$OUT" $UBE_URL
