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
tl_need node pdftotext
[ -x "$CHROMIUM" ] || { echo "SKIP: $CHROMIUM is not installed (bash .ci/install installs Debian's chromium)"; exit 77; }
[ -d "$SRC/tests/web/node_modules/playwright-core" ] ||
  { echo "FAIL - tests/web/node_modules is missing: run bash .ci/install"; exit 1; }

tl_scratch
DB=$T/demo.db
tl_demo_db "$DB"
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
