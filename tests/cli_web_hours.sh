#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_web_hours.sh - the page's opening-time filter in a real browser: builds
# the demo town, serves it with `tsunagu serve` on a free loopback port and
# runs tests/web/hours.test.mjs (Debian's Chromium through playwright-core,
# headless and off the network): the result list of the reach view changes
# with the chosen day and time. Skips (77) when node or Chromium is missing.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
. "$(dirname "$0")/lib.sh"
tl_need node
[ -x "$CHROMIUM" ] || { echo "SKIP: $CHROMIUM is not installed (bash .ci/install)"; exit 77; }
[ -d "$SRC/tests/web/node_modules/playwright-core" ] ||
  { echo "FAIL - tests/web/node_modules is missing: run bash .ci/install"; exit 1; }
tl_scratch
tl_demo_db "$T/demo.db"
TSUNAGU_WEB=$SRC/web "$BIN" --db "$T/demo.db" serve --port 0 --threads 4 >"$T/srv.out" 2>"$T/srv.err" &
SRV=$!
PORT=$(tl_port "$T/srv.out" "$SRV")
if [ -z "$PORT" ]; then
  bad "the server did not start: $(cat "$T/srv.err")"
else
  CHROMIUM=$CHROMIUM CHROMIUM_PROFILE=$T/profile \
    timeout 300 node "$SRC/tests/web/hours.test.mjs" "http://127.0.0.1:$PORT" >"$T/node.out" 2>&1
  rc=$?
  cat "$T/node.out"
  check "hours.test.mjs passed" test "$rc" -eq 0
fi
echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
