#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_web.sh - the web page in a real browser: builds the demo database
# (demo --no-serve), serves it with `tsunagu serve` on a free loopback port,
# and runs tests/web/page.test.mjs, which drives Debian's Chromium (headless,
# with the flags that keep it off the network) through playwright-core:
# map drawn, click on a street -> reachable resources with minutes and the
# isochrone, sign-in (an official for coverage shading and suggested sites,
# an outreach worker assigned E05 for a route by district and need; the
# users are made here with `tsunagu user add`), English, print media,
# tablet width, and no request leaving the server's origin or carrying a
# token; the server log holds no token. Issue 15 (details, path, search,
# 一覧, filters, accessibility, phone, printing through page.pdf() checked
# with poppler's pdftoppm): see page.test.mjs. When the real data is there
# ($TSUNAGU_SHARED, default ../shared/data), the same page runs again on a
# second database built from 宇部市's network, shelters and address
# reference (TSUNAGU_PAGE_DATA=real); otherwise that part is skipped with a
# message. Screenshots stay in $TSUNAGU_SHOTS (default
# ./web-shots, i.e. build/tests/web-shots under ctest) and are checked here
# for size. Skips (77) only when node or Chromium is missing; .ci/install
# installs both, MapLibre (web/node_modules) and playwright-core
# (tests/web/node_modules).
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
SHOTS=${TSUNAGU_SHOTS:-$PWD/web-shots}
. "$(dirname "$0")/lib.sh"

if ! command -v node >/dev/null 2>&1; then
  echo "SKIP: node is not installed (bash .ci/install installs it)"; exit 77
fi
if ! command -v pdftoppm >/dev/null 2>&1; then
  echo "SKIP: pdftoppm is not installed (bash .ci/install installs poppler-utils)"; exit 77
fi
if [ ! -x "$CHROMIUM" ]; then
  echo "SKIP: $CHROMIUM is not installed (bash .ci/install installs Debian's chromium)"; exit 77
fi
for dir in "$SRC/web/node_modules/maplibre-gl/dist" "$SRC/tests/web/node_modules/playwright-core"; do
  if [ ! -d "$dir" ]; then
    echo "FAIL - $dir is missing: run bash .ci/install (npm ci --prefix web and --prefix tests/web)"
    exit 1
  fi
done

tl_scratch

if ! TSUNAGU_DATA=$SRC/data "$BIN" --db "$T/demo.db" demo --no-serve >"$T/demo.out" 2>&1; then
  echo "FAIL - demo --no-serve:"; cat "$T/demo.out"; exit 1
fi
TOK_OFFICIAL=$("$BIN" --db "$T/demo.db" user add web-official --role official 2>/dev/null)
TOK_OUTREACH=$("$BIN" --db "$T/demo.db" user add web-outreach --role outreach --district elementary:E05 2>/dev/null)
if [ -z "$TOK_OFFICIAL" ] || [ -z "$TOK_OUTREACH" ]; then
  echo "FAIL - tsunagu user add made no token"; exit 1
fi
TSUNAGU_WEB=$SRC/web "$BIN" --db "$T/demo.db" serve --port 0 --threads 4 >"$T/srv.out" 2>"$T/srv.err" &
SRV=$!
PORT=$(tl_port "$T/srv.out" "$SRV")
if [ -z "$PORT" ]; then
  echo "FAIL - the server did not start:"; cat "$T/srv.out" "$T/srv.err"; exit 1
fi
echo "ok - server listens on port $PORT"

rm -rf "$SHOTS"
mkdir -p "$SHOTS"
TSUNAGU_TOKEN_OFFICIAL=$TOK_OFFICIAL TSUNAGU_TOKEN_OUTREACH=$TOK_OUTREACH \
CHROMIUM=$CHROMIUM CHROMIUM_PROFILE=$T/profile \
  timeout 600 node "$SRC/tests/web/page.test.mjs" "http://127.0.0.1:$PORT" "$SHOTS"
rc=$?

fails=0
for name in load reach reach-path list coverage route route-print tablet phone \
  reach-print-portrait reach-print-landscape coverage-print-portrait route-print-landscape; do
  f=$SHOTS/$name.png
  size=$(stat -c %s "$f" 2>/dev/null || echo 0)
  if [ "$size" -gt 20000 ]; then echo "ok - screenshot $f ($size bytes)"; else echo "FAIL - screenshot $f missing or tiny ($size bytes)"; fails=$((fails+1)); fi
done
if grep -q -e "$TOK_OFFICIAL" -e "$TOK_OUTREACH" -e 'tsu_' "$T/srv.err"; then
  echo "FAIL - the server log holds a token"; fails=$((fails+1))
else
  echo "ok - the server log holds no token"
fi
if grep -q '?' "$T/srv.err"; then
  echo "FAIL - the request log holds a query string"; fails=$((fails+1))
else
  echo "ok - the request log holds no query string"
fi
# The second database: real 宇部市 data, when present.
SHARED=${TSUNAGU_SHARED:-$SRC/../shared/data}
UBE=$SHARED/ube
rc_real=0
if [ -f "$UBE/ube_roads_osm_edges.gpkg" ] && [ -f "$UBE/ube_shelters_P20.gpkg" ] &&
  [ -f "$SHARED/addresses/yamaguchi_ube_towns.json" ]; then
  if "$BIN" --db "$T/ube.db" import network "$UBE/ube_roads_osm_edges.gpkg" >"$T/ube.out" 2>&1 &&
    "$BIN" --db "$T/ube.db" import resources "$UBE/ube_shelters_P20.gpkg" --kind shelter >>"$T/ube.out" 2>&1 &&
    "$BIN" --db "$T/ube.db" import addresses "$SHARED/addresses/yamaguchi_ube_towns.json" \
      --municipality 宇部市 >>"$T/ube.out" 2>&1; then
    echo "ok - the 宇部市 database is built from the real network, shelters and addresses"
  else
    echo "FAIL - building the 宇部市 database:"; cat "$T/ube.out"; fails=$((fails+1))
  fi
  TSUNAGU_WEB=$SRC/web "$BIN" --db "$T/ube.db" serve --port 0 --threads 4 >"$T/srv2.out" 2>"$T/srv2.err" &
  SRV2=$!
  PORT2=$(tl_port "$T/srv2.out" "$SRV2")
  if [ -z "$PORT2" ]; then
    echo "FAIL - the 宇部市 server did not start"; cat "$T/srv2.err"; fails=$((fails+1))
  else
    TSUNAGU_PAGE_DATA=real CHROMIUM=$CHROMIUM CHROMIUM_PROFILE=$T/profile2 \
      timeout 600 node "$SRC/tests/web/page.test.mjs" "http://127.0.0.1:$PORT2" "$SHOTS/ube"
    rc_real=$?
    for name in load reach reach-path real-list real-phone real-reach-print-portrait real-reach-print-landscape; do
      [ -s "$SHOTS/ube/$name.png" ] || { echo "FAIL - screenshot $SHOTS/ube/$name.png missing"; fails=$((fails+1)); }
    done
  fi
  kill -TERM "$SRV2" 2>/dev/null; wait "$SRV2" 2>/dev/null
else
  echo "SKIP - no real 宇部市 data under $SHARED (ube/, addresses/): the real-data part is not run"
fi
[ "$rc_real" -eq 0 ] || fails=$((fails+1))

if [ "$rc" -ne 0 ] || [ "$fails" -ne 0 ]; then
  echo "server log (last lines):"; tail -20 "$T/srv.err"
  exit 1
fi
exit 0
