#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_licence.sh - what a municipality needs to adopt tsunagu (issue 18):
#   - LICENSE is the MIT licence, the npm package files say "MIT", NOTICE
#     exists and names MapLibre GL JS and every package its bundle holds
#     (web/node_modules/maplibre-gl/package.json's dependencies);
#   - every source file (C, headers, proto, CMake, shell, JavaScript, CSS,
#     HTML, Lua) carries "SPDX-License-Identifier: MIT" in its first lines;
#   - `tsunagu --version` prints the version and the licence;
#   - credits by import source: the demo database and one built from real
#     data (宇部市's OSM network and P20 shelters, ../shared/data; skipped
#     with a message when absent) list exactly their sources' credits in
#     /api/meta, and the page's attribution control shows them in Debian's
#     Chromium (tests/web/attribution.test.mjs; skipped with a message when
#     node or Chromium is missing).
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
DATA=${TSUNAGU_SHARED:-$SRC/../shared/data}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
. "$(dirname "$0")/lib.sh"
tl_scratch

check "LICENSE is the MIT licence" grep -q "^MIT License" "$SRC/LICENSE"
check "LICENSE grants the MIT permissions" grep -q "Permission is hereby granted, free of charge" "$SRC/LICENSE"
for f in web/package.json tests/web/package.json; do
  check "$f says MIT" test "$(jq -r .license "$SRC/$f")" = MIT
done
check "NOTICE names MapLibre GL JS and its licence" grep -q "MapLibre GL JS.*" "$SRC/NOTICE"
missing=()
for dep in $(jq -r '.dependencies | keys[]' "$SRC/web/node_modules/maplibre-gl/package.json" 2>/dev/null); do
  case $dep in @types/*) continue ;; esac # type declarations: not in the bundle
  grep -qF "$dep " "$SRC/NOTICE" || missing+=("$dep")
done
[ ${#missing[@]} -eq 0 ] && ok "NOTICE lists every package MapLibre's bundle holds" ||
  bad "NOTICE does not list: ${missing[*]}"

# One awk over every file (a head and a grep per file took 20 s): the files
# without the line among their first 3, an unreadable one among them.
mapfile -t files < <(cd "$SRC" && git ls-files -- '*.c' '*.h' '*.proto' '*.sh' '*.mjs' '*.js' '*.css' '*.html' \
           '*.lua' 'CMakeLists.txt' '*/CMakeLists.txt' '.ci/*')
nospdx=() readable=()
for f in "${files[@]}"; do
  if [ -r "$SRC/$f" ]; then readable+=("$f"); else nospdx+=("$f"); fi
done
[ ${#readable[@]} -gt 0 ] && mapfile -t -O ${#nospdx[@]} nospdx < <(cd "$SRC" && {
  awk 'FNR <= 3 && /SPDX-License-Identifier: MIT/ { ok[FILENAME] = 1 }
       END { for (i = 1; i < ARGC; i++) if (!(ARGV[i] in ok)) print ARGV[i] }' "${readable[@]}" ||
    echo "(awk failed)"; })
[ ${#nospdx[@]} -eq 0 ] && ok "every source file carries SPDX-License-Identifier: MIT" ||
  bad "no SPDX line in ${#nospdx[@]} files: ${nospdx[*]:0:20}"

v=$("$BIN" --version)
check "--version prints the version" grep -q "^tsunagu [0-9]" <<<"$v"
check "--version prints the licence" grep -q "MIT" <<<"$v"

# serve DB: starts the real server on DB ($SRV, $PORT).
serve() {
  TSUNAGU_WEB=$SRC/web "$BIN" --db "$1" serve --port 0 --threads 2 >"$T/srv.out" 2>"$T/srv.err" &
  SRV=$!
  PORT=$(tl_port "$T/srv.out" "$SRV")
  [ -n "$PORT" ] || bad "the server did not start on $1: $(cat "$T/srv.err")"
}
# credits: the attribution array of the served database's /api/meta, one per line.
credits() { curl -fsS "http://127.0.0.1:${PORT:-0}/api/meta" | jq -r '.attribution[]'; }
stop() { kill -TERM "$SRV" 2>/dev/null && wait "$SRV"; SRV=; }
# page DB WANT... -- NOT...: the page of a served DB shows the credits.
page() {
  local db=$1; shift
  if ! command -v node >/dev/null 2>&1 || [ ! -x "$CHROMIUM" ] ||
     [ ! -d "$SRC/tests/web/node_modules/playwright-core" ]; then
    echo "SKIP (counted as neither): node, $CHROMIUM or playwright-core is missing for the page check"
    return
  fi
  local out
  out=$(CHROMIUM=$CHROMIUM CHROMIUM_PROFILE=$T/profile-$RANDOM \
    timeout 300 node "$SRC/tests/web/attribution.test.mjs" "http://127.0.0.1:$PORT/" "$@" 2>&1)
  while IFS= read -r line; do
    case $line in ok\ -*) ok "${line#ok - } ($(basename "$db"))" ;; FAIL\ -*) bad "${line#FAIL - } ($(basename "$db"))" ;; esac
  done <<<"$out"
  grep -qE "^[0-9]+ passed" <<<"$out" || bad "attribution.test.mjs did not finish: $(tail -3 <<<"$out")"
}

"$BIN" --db "$T/demo.db" demo --no-serve >"$T/demo.out" 2>&1 || { bad "demo --no-serve: $(tail -2 "$T/demo.out")"; }
serve "$T/demo.db"
c=$(credits)
check "the demo database credits the invented town" grep -q "架空のデータ" <<<"$c"
check "the demo database credits nothing else" test "$(wc -l <<<"$c")" -eq 1
page "$T/demo.db" "架空のデータ（tsunagu デモの町）" -- "OpenStreetMap" "国土数値情報"
stop

if [ -f "$DATA/ube/ube_roads_osm_edges.gpkg" ] && [ -f "$DATA/ube/ube_shelters_P20.gpkg" ]; then
  "$BIN" --db "$T/ube.db" import network "$DATA/ube/ube_roads_osm_edges.gpkg" >/dev/null 2>&1 &&
    "$BIN" --db "$T/ube.db" import resources "$DATA/ube/ube_shelters_P20.gpkg" --kind shelter >/dev/null 2>&1 ||
    bad "importing 宇部市's network and shelters"
  serve "$T/ube.db"
  c=$(credits)
  check "宇部市's network credits OpenStreetMap" grep -qx "© OpenStreetMap contributors (ODbL)" <<<"$c"
  check "宇部市's shelters credit 国土数値情報 P20" grep -qx "国土数値情報（避難施設データ）国土交通省" <<<"$c"
  check "宇部市's database credits only its two sources" test "$(wc -l <<<"$c")" -eq 2
  page "$T/ube.db" "© OpenStreetMap contributors (ODbL)" "国土数値情報（避難施設データ）国土交通省" -- "架空のデータ"
  stop
  # Re-importing a source replaces its credit: shelters from a file without
  # a publisher's layout (GeoJSON with plain fields) leave only OSM.
  ogr2ogr -f GeoJSON "$T/shelters.geojson" "$DATA/ube/ube_shelters_P20.gpkg" -sql \
    "SELECT P20_002 AS name FROM ube_shelters" -dialect OGRSQL >/dev/null 2>&1
  "$BIN" --db "$T/ube.db" import resources "$T/shelters.geojson" --kind shelter \
    --source ube_shelters_P20.gpkg >"$T/reimport.out" 2>&1 || bad "re-import: $(cat "$T/reimport.out")"
  serve "$T/ube.db"
  c=$(credits)
  check "re-importing a source without a publisher's layout drops its credit" test "$c" = "© OpenStreetMap contributors (ODbL)"
  stop
else
  echo "SKIP (counted as neither): $DATA/ube is absent, so the real-data credits are not checked"
fi

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
