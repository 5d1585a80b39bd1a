#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_web_share.sh - the page's share controls (web/share.js) in a real
# browser: builds the demo database, adds a coordinator of 包括A and an
# outreach worker, serves it on a free loopback port and runs
# tests/web/share.test.mjs (share by meeting, refusals shown as the server's
# sentence, unshare; no controls for outreach; the 世帯 view's consent and
# commissioners' mark, set from the page and then seen by a commissioner,
# none of it for an official or an editor). Then checks the database holds
# no share left, the mark, and the audit log's records of the changes and
# reads. A second commissioner, with three households of its district
# marked beforehand, plans its visit round on the page (order and rounded
# walks only; the page never asks for or shows a household's position) and
# its rounds are audited. Skips (77) when node, curl, jq or Chromium is
# missing.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
. "$(dirname "$0")/lib.sh"
tl_need node sqlite3 curl jq
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
# For the 世帯 view: a consenting household to mark for the commissioners,
# a protected one, one whose consent is unknown (set here: the demo file
# has none).
MARK=$(sqlite3 "$DB" "SELECT ext_id FROM households WHERE agency = '包括A' AND consent = 1 AND ext_id <> '$OWN' ORDER BY id LIMIT 1")
PROT=$(sqlite3 "$DB" "SELECT ext_id FROM households WHERE agency = '包括A' AND consent = 1 AND ext_id NOT IN ('$OWN', '$MARK') ORDER BY id LIMIT 1")
UNK=$(sqlite3 "$DB" "SELECT ext_id FROM households WHERE agency = '包括A' AND consent = 1 AND ext_id NOT IN ('$OWN', '$MARK', '$PROT') ORDER BY id LIMIT 1")
sqlite3 "$DB" "UPDATE households SET consent = 2 WHERE ext_id = '$UNK'"
"$BIN" --db "$DB" households protect "$PROT" >/dev/null 2>&1
check "a household of 包括A is protected for the test" test "$(sqlite3 "$DB" "SELECT protected FROM households WHERE ext_id = '$PROT'")" = 1
OFF=$("$BIN" --db "$DB" user add web-off --role official 2>/dev/null)
ED=$("$BIN" --db "$DB" user add web-ed --role editor 2>/dev/null)
TSUNAGU_WEB=$SRC/web "$BIN" --db "$DB" serve --port 0 --threads 2 >"$T/srv.out" 2>"$T/srv.err" &
SRV=$!
PORT=$(tl_port "$T/srv.out" "$SRV")
if [ -z "$PORT" ]; then echo "FAIL - the server did not start:"; cat "$T/srv.err"; exit 1; fi
# The commissioner serves the elementary district the marked household
# lies in (as the coordinator's list gives it).
DIST=$(curl -s -H "Authorization: Bearer $CO" "http://127.0.0.1:$PORT/api/households" |
  jq -r --arg id "$MARK" '.households[] | select(.id == $id) | .district')
COMM=$("$BIN" --db "$DB" user add web-comm --role commissioner --district "elementary:$DIST" 2>/dev/null)
check "households and a commissioner for the 世帯 view (mark $MARK in $DIST, protected $PROT, unknown $UNK)" \
  test -n "$MARK" -a -n "$PROT" -a -n "$UNK" -a -n "$DIST" -a -n "$COMM"
# A second commissioner, of another elementary district, for its visit
# round: three consenting, unprotected households of 包括A there are marked
# for commissioners beforehand (the CLI), none of those the test uses above.
curl -s -H "Authorization: Bearer $CO" "http://127.0.0.1:$PORT/api/households" >"$T/hh.json"
DIST2=$(jq -r --arg d "$DIST" --arg x "$OWN $NOC $MARK $PROT $UNK" '[.households[] | select(.consent == "yes" and (.protected | not)
  and .district != $d and (.id as $i | $x | split(" ") | index($i) | not)) | .district] | group_by(.) | map(select(length >= 3)) |
  max_by(length) | .[0] // empty' "$T/hh.json")
ROUND=$(jq -r --arg d "$DIST2" --arg x "$OWN $NOC $MARK $PROT $UNK" '[.households[] | select(.consent == "yes" and (.protected | not)
  and .district == $d and (.id as $i | $x | split(" ") | index($i) | not)) | .id] | .[:3] | join(",")' "$T/hh.json")
for h in ${ROUND//,/ }; do "$BIN" --db "$DB" households commissioner "$h" yes >/dev/null 2>&1; done
COMM2=$("$BIN" --db "$DB" user add web-comm2 --role commissioner --district "elementary:$DIST2" 2>/dev/null)
check "a second commissioner (district $DIST2) with three households marked for its round ($ROUND)" \
  test -n "$COMM2" -a "$(sqlite3 "$DB" 'SELECT COUNT(*) FROM household_commissioner')" = 3
TSUNAGU_TOKEN_COMMISSIONER2=$COMM2 TSUNAGU_ROUND_IDS=$ROUND TSUNAGU_HH_CSV=$SRC/data/town_households.csv TSUNAGU_OUT=$T \
TSUNAGU_TOKEN_COMMISSIONER=$COMM TSUNAGU_TOKEN_OFFICIAL=$OFF TSUNAGU_TOKEN_EDITOR=$ED \
TSUNAGU_HH_MARK=$MARK TSUNAGU_HH_PROTECTED=$PROT TSUNAGU_HH_UNKNOWN=$UNK \
TSUNAGU_TOKEN_COORDINATOR=$CO TSUNAGU_TOKEN_OUTREACH=$OUT TSUNAGU_SHARE_OWN=$OWN \
TSUNAGU_SHARE_NOCONSENT=$NOC TSUNAGU_SHARE_FOREIGN=$FOR CHROMIUM=$CHROMIUM CHROMIUM_PROFILE=$T/profile \
  timeout 600 node "$SRC/tests/web/share.test.mjs" "http://127.0.0.1:$PORT" >"$T/node.out" 2>&1
rc=$?
cat "$T/node.out"
passes=$((passes + $(grep -c '^ok - ' "$T/node.out"))); fails=$((fails + $(grep -c '^FAIL - ' "$T/node.out")))
check "the browser test ends cleanly (exit $rc)" test "$rc" -eq 0
check "after share and unshare the database holds no share" test "$(sqlite3 "$DB" 'SELECT COUNT(*) FROM household_shares')" = 0
check "the audit log recorded the page's share and unshare" \
  test "$(sqlite3 "$DB" "SELECT COUNT(*) FROM audit WHERE user = 'web-co' AND endpoint IN ('/api/households/{}/shares', '/api/households/{}/unshare') AND ids LIKE '%$OWN%'")" -ge 2
check "the page's mark is in the database (beside the second commissioner's three)" \
  test "$(sqlite3 "$DB" "SELECT COUNT(*) FROM household_commissioner WHERE ext_id = '$MARK'"),$(sqlite3 "$DB" 'SELECT COUNT(*) FROM household_commissioner')" = 1,4
check "the audit log recorded the page's mark by the coordinator" \
  test "$(sqlite3 "$DB" "SELECT COUNT(*) FROM audit WHERE user = 'web-co' AND endpoint = '/api/households/{}/commissioner' AND ids LIKE '%$MARK%'")" -ge 1
check "the commissioner's reads of its list are audited and reach only the marked household" \
  test "$(sqlite3 "$DB" "SELECT COUNT(*) FROM audit WHERE user = 'web-comm' AND endpoint = '/api/households' AND ids LIKE '%$MARK%'"),$(sqlite3 "$DB" "SELECT COUNT(*) FROM audit WHERE user = 'web-comm' AND ids LIKE '%$PROT%'")" = 1,0
check "the second commissioner's rounds are audited, reaching only its marked households" \
  test "$(sqlite3 "$DB" "SELECT COUNT(*) FROM audit WHERE user = 'web-comm2' AND endpoint = '/api/route'")" -ge 2 \
    -a "$(sqlite3 "$DB" "SELECT COUNT(*) FROM audit WHERE user = 'web-comm2' AND (ids LIKE '%$MARK%' OR ids LIKE '%$OWN%' OR ids LIKE '%$PROT%')")" = 0
check "... and at least one round read each of them" bash -c "for h in ${ROUND//,/ }; do [ \$(sqlite3 '$DB' \"SELECT COUNT(*) FROM audit WHERE user = 'web-comm2' AND endpoint = '/api/route' AND ids LIKE '%\$h%'\") -ge 1 ] || exit 1; done"
echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
