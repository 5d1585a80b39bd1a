#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_web_share.sh - the page's share controls (web/share.js) in a real
# browser: builds the demo database, adds a coordinator of 包括A and an
# outreach worker, serves it on a free loopback port and runs
# tests/web/share.test.mjs (share by meeting, refusals shown as the server's
# sentence, unshare; no controls for outreach). Then checks the database
# holds no share left and the audit log recorded the changes. Skips (77)
# when node or Chromium is missing.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
. "$(dirname "$0")/lib.sh"
tl_need node sqlite3
[ -x "$CHROMIUM" ] || { echo "SKIP: $CHROMIUM is not installed (bash .ci/install installs Debian's chromium)"; exit 77; }
[ -d "$SRC/tests/web/node_modules/playwright-core" ] ||
  { echo "FAIL - tests/web/node_modules is missing: run bash .ci/install"; exit 1; }

tl_scratch
DB=$T/demo.db
tl_demo_db "$DB"
CO=$("$BIN" --db "$DB" user add web-co --role coordinator --agency 包括A 2>/dev/null)
OUT=$("$BIN" --db "$DB" user add web-out --role outreach --district elementary:E05 2>/dev/null)
OWN=$(sqlite3 "$DB" "SELECT ext_id FROM households WHERE agency = '包括A' ORDER BY id LIMIT 1")
NOC=$(sqlite3 "$DB" "SELECT ext_id FROM households WHERE agency = '包括A' AND consent = 0 ORDER BY id LIMIT 1")
FOR=$(sqlite3 "$DB" "SELECT ext_id FROM households WHERE agency = '社協' ORDER BY id LIMIT 1")
TSUNAGU_WEB=$SRC/web "$BIN" --db "$DB" serve --port 0 --threads 2 >"$T/srv.out" 2>"$T/srv.err" &
SRV=$!
PORT=$(tl_port "$T/srv.out" "$SRV")
if [ -z "$PORT" ]; then echo "FAIL - the server did not start:"; cat "$T/srv.err"; exit 1; fi
TSUNAGU_TOKEN_COORDINATOR=$CO TSUNAGU_TOKEN_OUTREACH=$OUT TSUNAGU_SHARE_OWN=$OWN \
TSUNAGU_SHARE_NOCONSENT=$NOC TSUNAGU_SHARE_FOREIGN=$FOR CHROMIUM=$CHROMIUM CHROMIUM_PROFILE=$T/profile \
  timeout 600 node "$SRC/tests/web/share.test.mjs" "http://127.0.0.1:$PORT" >"$T/node.out" 2>&1
rc=$?
cat "$T/node.out"
passes=$(grep -c '^ok - ' "$T/node.out"); fails=$(grep -c '^FAIL - ' "$T/node.out")
check "the browser test ends cleanly (exit $rc)" test "$rc" -eq 0
check "after share and unshare the database holds no share" test "$(sqlite3 "$DB" 'SELECT COUNT(*) FROM household_shares')" = 0
check "the audit log recorded the page's share and unshare" \
  test "$(sqlite3 "$DB" "SELECT COUNT(*) FROM audit WHERE user = 'web-co' AND endpoint IN ('/api/households/{}/shares', '/api/households/{}/unshare') AND ids LIKE '%$OWN%'")" -ge 2
echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
