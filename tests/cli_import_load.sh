#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_import_load.sh - reads are not held up by an import (README
# "Robustness"): the real server on a copy of the demo town while
# `tsunagu import households` writes 60,000 generated households (fictional
# ids) in one transaction, holding the database's write lock for seconds.
# Meanwhile one client walks and another reads a household as a coordinator,
# over and over:
#   - every walk is answered 200 within 2 s (a generous bound: before, a walk
#     queued behind household reads that waited up to 10 s for the audit
#     log's write lock);
#   - every household read is 200 (its audit record committed) or 503 with
#     Retry-After (its record could not be written in time: refused, and
#     never written later), within 3 s; nothing else;
#   - afterwards the audit log holds exactly one record per 200 answer and
#     its hash chain verifies.
# Bounded: the import's duration plus a few seconds. Skips (77) when curl or
# sqlite3 is missing.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
DATA=$SRC/data
. "$(dirname "$0")/lib.sh"

tl_need curl sqlite3

tl_scratch
DB=$T/demo.db
tl_demo_db "$DB"
CO=$("$BIN" --db "$DB" user add load_coordinator --role coordinator --agency 包括A 2>/dev/null)
check "a coordinator of 包括A" test -n "$CO"

awk 'BEGIN { srand(11); print "id,lon,lat,members,needs,consent,agency";
  split("高齢独居;認知症;要介護;8050;ひきこもり;孤立;生活困窮", n, ";");
  for (i = 1; i <= 60000; i++)
    printf "L%06d,%.7f,%.7f,%d,%s,yes,包括B\n", i, 136.93 + rand() * 0.04,
           34.93 + rand() * 0.04, 1 + int(rand() * 5), n[1 + int(rand() * 7)] }' >"$T/big.csv"

"$BIN" --db "$DB" serve --port 0 --threads 2 --quiet >"$T/srv.out" 2>"$T/srv.err" &
SRV=$!
PORT=$(tl_port "$T/srv.out" "$SRV")
if [ -z "$PORT" ]; then
  echo "FAIL - the server did not start:"; cat "$T/srv.out" "$T/srv.err"; exit 1
fi
B=http://127.0.0.1:$PORT
ok "server listens on port $PORT"
n0=$(sqlite3 "$DB" 'SELECT COUNT(*) FROM audit')

# Clients until $T/stop appears: one line "status seconds" per request.
walker() {
  while [ ! -f "$T/stop" ]; do
    curl -s --max-time 20 -o /dev/null -w '%{http_code} %{time_total}\n' \
      "$B/api/walk?lon=136.95&lat=34.95&minutes=10" >>"$T/walks"
  done
}
reader() {
  local r
  while [ ! -f "$T/stop" ]; do
    r=$(curl -s --max-time 20 -o /dev/null -D "$T/rh.$1" -w '%{http_code} %{time_total}' \
      -H "Authorization: Bearer $CO" "$B/api/households/H0008")
    echo "$r" >>"$T/reads.$1"
    case $r in 503*) grep -qi '^retry-after:' "$T/rh.$1" && echo retry >>"$T/retry" ;; esac
  done
}
: >"$T/walks"; : >"$T/reads.1"; : >"$T/reads.2"; : >"$T/retry"
walker & W1=$!
reader 1 & R1=$!
reader 2 & R2=$!
sleep 1
"$BIN" --db "$DB" import households "$T/big.csv" >"$T/imp.out" 2>&1 &
IMP=$!
# Only what was answered while the import ran counts.
while kill -0 "$IMP" 2>/dev/null; do sleep 0.2; done
wait "$IMP"; irc=$?
touch "$T/stop"
wait "$W1" "$R1" "$R2"
cat "$T/reads.1" "$T/reads.2" >"$T/reads"
check "the import of 60,000 households succeeds" test "$irc" -eq 0

walks=$(wc -l <"$T/walks")
wok=$(grep -c '^200 ' "$T/walks")
wslow=$(awk '$2 > 2 { n++ } END { print n + 0 }' "$T/walks")
wworst=$(awk '{ if ($2 > w) w = $2 } END { printf "%d", w * 1000 }' "$T/walks")
check "$walks walks during and around the import: all 200 ($wok), none over 2 s (slowest ${wworst} ms)" \
  test "$walks" -ge 5 -a "$wok" -eq "$walks" -a "$wslow" -eq 0
reads=$(wc -l <"$T/reads")
r200=$(grep -c '^200 ' "$T/reads")
r503=$(grep -c '^503 ' "$T/reads")
rslow=$(awk '$2 > 3 { n++ } END { print n + 0 }' "$T/reads")
rworst=$(awk '{ if ($2 > w) w = $2 } END { printf "%d", w * 1000 }' "$T/reads")
check "$reads household reads: $r200 answered, $r503 refused 503 while the log was locked, nothing else" \
  test "$reads" -ge 5 -a $((r200 + r503)) -eq "$reads"
check "every refusal carries Retry-After" test "$(wc -l <"$T/retry")" -eq "$r503"
check "no household read took over 3 s (slowest ${rworst} ms)" test "$rslow" -eq 0
n1=$(sqlite3 "$DB" 'SELECT COUNT(*) FROM audit')
check "one audit record per answered read ($((n1 - n0)) records, $r200 answers)" test $((n1 - n0)) -eq "$r200"
check "the audit log's hash chain verifies" "$BIN" --db "$DB" audit --verify
check "after the import a household read is answered" \
  test "$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $CO" "$B/api/households/H0008")" = 200

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
