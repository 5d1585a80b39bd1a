#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_web_visits.sh - the page's visits view in a real browser: builds the
# demo database, adds an outreach worker assigned elementary:E03, serves it
# on a free loopback port and runs tests/web/visits.test.mjs (Debian's
# Chromium, headless, off the network, through playwright-core): record a
# visit, be refused for another district's household, list the overdue
# households and plan a round over them with an appointment and lunch.
# The server's log must hold no household id and no token. Skips (77) only
# when node or Chromium is missing.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
SHOTS=${TSUNAGU_SHOTS:-$PWD/web-shots}
. "$(dirname "$0")/lib.sh"
tl_need node
[ -x "$CHROMIUM" ] || { echo "SKIP: $CHROMIUM is not installed (bash .ci/install installs it)"; exit 77; }
for dir in "$SRC/web/node_modules/maplibre-gl/dist" "$SRC/tests/web/node_modules/playwright-core"; do
  [ -d "$dir" ] || { echo "FAIL - $dir is missing: run bash .ci/install"; exit 1; }
done
tl_scratch
tl_demo_db "$T/demo.db"
TOK=$("$BIN" --db "$T/demo.db" user add web-visits --role outreach --district elementary:E03 2>/dev/null)
TSUNAGU_WEB=$SRC/web "$BIN" --db "$T/demo.db" serve --port 0 --threads 4 >"$T/srv.out" 2>"$T/srv.err" &
SRV=$!
PORT=$(tl_port "$T/srv.out" "$SRV")
[ -n "$PORT" ] || { echo "FAIL - the server did not start:"; cat "$T/srv.err"; exit 1; }
mkdir -p "$SHOTS"
TSUNAGU_TOKEN_OUTREACH=$TOK CHROMIUM=$CHROMIUM \
  timeout 600 node "$SRC/tests/web/visits.test.mjs" "http://127.0.0.1:$PORT" "$T/shots" | tee "$T/node.out"
check "the browser test passes" grep -q ' 0 failed' "$T/node.out"
cp "$T/shots/visits.png" "$SHOTS/visits.png" 2>/dev/null
check "the server log holds no household id and no token" bash -c "! grep -q -e 'H0[0-9]' -e tsu_ '$T/srv.err'"
echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
