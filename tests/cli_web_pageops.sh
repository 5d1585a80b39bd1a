#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_web_pageops.sh - the page's sign-in session across tabs, the
# official's tab and the editor's address placing and district list (issues
# 15, 14, 12) in Debian's Chromium against the real server on loopback
# (demo town): runs tests/web/session.test.mjs, tests/web/official.test.mjs
# and tests/web/district_list.test.mjs when they exist, and checks the server
# log holds no token or session id.
# Skips (77) when node, pdftotext or Chromium is missing.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
. "$(dirname "$0")/lib.sh"
tl_need node pdftotext pdfinfo
[ -x "$CHROMIUM" ] || { echo "SKIP: $CHROMIUM is not installed (bash .ci/install installs Debian's chromium)"; exit 77; }
[ -d "$SRC/tests/web/node_modules/playwright-core" ] ||
  { echo "FAIL - tests/web/node_modules is missing: run bash .ci/install"; exit 1; }

tl_scratch
DB=$T/demo.db
tl_demo_db "$DB"
# A hand-made address reference for the demo town, written here (not real
# data): つなぐ町三丁目 block 25 (block level) and 南つなぐ二丁目 (town level).
printf '%s\n' '[{"town":"南つなぐ二丁目","koaza":"","lat":34.9520,"lng":136.9550}]' >"$T/towns.json"
printf '%s\n' '"都道府県名","市区町村名","大字・丁目名","小字・通称名","街区符号・地番","座標系番号","Ｘ座標","Ｙ座標","緯度","経度","住居表示フラグ","代表フラグ","更新前履歴フラグ","更新後履歴フラグ"' \
  '"愛知県","架空市","つなぐ町三丁目","","25","7","0","0","34.9561","136.9501","1","1","0","0"' >"$T/blocks.csv"
"$BIN" --db "$DB" import addresses "$T/towns.json" --municipality 架空市 >/dev/null 2>&1 &&
  "$BIN" --db "$DB" import addresses "$T/blocks.csv" --municipality 架空市 >/dev/null 2>&1
check "the hand-made address reference loads" test $? -eq 0
# A snapshot for the official's report compared with it (the page's 30 minutes).
"$BIN" --db "$DB" snapshot --label 2026年度 --level elementary --kind consultation,salon --minutes 30 >/dev/null
OFF=$("$BIN" --db "$DB" user add web-official --role official 2>/dev/null)
ED=$("$BIN" --db "$DB" user add web-editor --role editor 2>/dev/null)
TSUNAGU_WEB=$SRC/web "$BIN" --db "$DB" serve --port 0 --threads 2 >"$T/srv.out" 2>"$T/srv.err" &
SRV=$!
PORT=$(tl_port "$T/srv.out" "$SRV")
if [ -z "$PORT" ]; then echo "FAIL - the server did not start:"; cat "$T/srv.err"; exit 1; fi
U=http://127.0.0.1:$PORT

# run NAME ARGS...: one browser test, its lines counted here.
run() {
  local name=$1; shift
  [ -f "$SRC/tests/web/$name.test.mjs" ] || return 0
  CHROMIUM=$CHROMIUM CHROMIUM_PROFILE=$T/profile-$name TSUNAGU_OUT=$T \
    timeout 600 node "$SRC/tests/web/$name.test.mjs" "$@" >"$T/$name.out" 2>&1
  local rc=$?
  cat "$T/$name.out"
  passes=$((passes + $(grep -c '^ok - ' "$T/$name.out")))
  fails=$((fails + $(grep -c '^FAIL - ' "$T/$name.out")))
  check "$name.test.mjs ends cleanly (exit $rc)" test "$rc" -eq 0
}
run session "$U" "$OFF"
run official "$U" "$OFF"
run district_list "$U" "$ED"
check "the server log holds no token or session id" bash -c "! grep -q 'tsu_' '$T/srv.err'"
echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
