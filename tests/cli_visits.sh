#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_visits.sh - home visits, overdue rounds, realistic days and retention
# (issue 13) against the real program and the real server on loopback
# (demo town):
#   - `tsunagu visits add|list`: a visit recorded and listed, audited; every
#     kind of bad input (outcome, note too long or not UTF-8, three
#     visitors, a future time, a due date before the visit, a malformed
#     time, an unknown household) exits non-zero with one sentence naming
#     no household and leaves the database unchanged;
#   - `households overdue [--district]`: the most overdue first, a newer
#     visit replacing an older due date, closed cases left out;
#   - each role over HTTP: POST /api/visits and GET /api/households/{id}/visits
#     for a coordinator and an outreach worker within their assignment,
#     the same 404 outside it as for a missing id, 403 for an official, 401
#     anonymous, 400 for a bad body with nothing stored; overdue=true
#     narrowed to the assignment; no household id in the server's log;
#   - route --overdue and overdue: true; an appointment that forces the
#     order, one that cannot be kept (one sentence, no id), --end, --lunch,
#     --max-visits;
#   - `households purge`: rows and visits gone, the audit log keeps no
#     trace of the ids (only commitments) and its hash chain verifies, also
#     after new records; `export households --agency` lists that agency's
#     households only and is audited.
# Skips (77) only when curl, jq or sqlite3 is missing.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
. "$(dirname "$0")/lib.sh"
tl_need curl jq sqlite3
tl_scratch
DB=$T/demo.db
tl_demo_db "$DB"
START="--start-lon 136.9490202 --start-lat 34.945617"

# The state a refused input must leave alone.
state() { sqlite3 "$DB" "SELECT * FROM visits ORDER BY id; SELECT COUNT(*) FROM audit;
  SELECT ext_id, closed FROM households ORDER BY id" | sha256sum; }
# refused TEXT EXIT ARGS...: the command exits EXIT, says one line without
# a household id, and the database is unchanged.
refused() {
  local what=$1 want=$2
  shift 2
  local before
  before=$(state)
  "$BIN" --db "$DB" "$@" >"$T/out" 2>"$T/err"
  local rc=$?
  if [ "$rc" = "$want" ] && [ "$(wc -l <"$T/err")" = 1 ] && ! grep -q 'H00' "$T/err" &&
    [ "$(state)" = "$before" ]; then
    ok "$what: exit $rc, '$(cat "$T/err")', database unchanged"
  else
    bad "$what: exit $rc (want $want), '$(cat "$T/err")', unchanged: $([ "$(state)" = "$before" ] && echo yes || echo no)"
  fi
}

# ---- visits on the command line ----
"$BIN" --db "$DB" visits add H0003 --at 2024-05-01T10:00 --visitors 佐藤,鈴木 --outcome 不在 \
  --note "留守。ポストに連絡票" --next-due 2024-05-08 >"$T/out" 2>&1
check "visits add records a joint visit ($(cat "$T/out"))" grep -q "recorded visit 1 (不在); next visit due 2024-05-08" "$T/out"
"$BIN" --db "$DB" visits list H0003 --json >"$T/list.json"
check "visits list --json shows it (two visitors, the note, the operator)" \
  test "$(jq -c '.[0] | [.visitors, .outcome, .note, .next_due, (.recorded_by | startswith("cli:"))]' "$T/list.json")" = \
  '[["佐藤","鈴木"],"不在","留守。ポストに連絡票","2024-05-08",true]'
check "both were audited with the household's id" \
  test "$(sqlite3 "$DB" "SELECT endpoint || ' ' || ids FROM audit ORDER BY id" | tr '\n' '|')" = \
  'cli visits add ["H0003"]|cli visits list ["H0003"]|'

long=$(printf 'あ%.0s' $(seq 1 201))
refused "an unknown outcome" 2 visits add H0003 --at 2024-05-02T10:00 --visitors 佐藤 --outcome 元気
refused "a note of 201 characters" 2 visits add H0003 --at 2024-05-02T10:00 --visitors 佐藤 --outcome met --note "$long"
refused "a note that is not UTF-8" 2 visits add H0003 --at 2024-05-02T10:00 --visitors 佐藤 --outcome met --note "$(printf 'ok\xff')"
refused "three visitors" 2 visits add H0003 --at 2024-05-02T10:00 --visitors a,b,c --outcome met
refused "the same visitor twice" 2 visits add H0003 --at 2024-05-02T10:00 --visitors a,a --outcome met
refused "a visit in the future" 2 visits add H0003 --at 2099-05-02T10:00 --visitors a --outcome met
refused "a due date before the visit" 2 visits add H0003 --at 2024-05-02T10:00 --visitors a --outcome met --next-due 2024-05-01
refused "a malformed time" 2 visits add H0003 --at 2024-02-30T10:00 --visitors a --outcome met
refused "a control character in a visitor" 2 visits add H0003 --at 2024-05-02T10:00 --visitors "$(printf 'a\tb')" --outcome met
refused "an unknown household (no audit record either)" 3 visits add H9999 --at 2024-05-02T10:00 --visitors a --outcome met
refused "listing an unknown household" 3 visits list H9999

# ---- overdue ----
add() { "$BIN" --db "$DB" visits add "$@" >/dev/null 2>"$T/add.err" || bad "visits add $*: $(cat "$T/add.err")"; }
add H0010 --at 2024-01-05T09:00 --visitors 佐藤 --outcome met --next-due 2024-02-01
add H0044 --at 2023-11-01T09:00 --visitors 田中 --outcome 拒否 --next-due 2023-12-01
# Not yet due: a visit a month ago, due in 300 days (relative to today).
RECENT=$(date -d '-30 days' +%F)T09:00
LATER=$(date -d '+300 days' +%F)
add H0101 --at "$RECENT" --visitors 田中 --outcome met --next-due "$LATER"
add H0260 --at 2024-01-01T09:00 --visitors 田中 --outcome met --next-due 2024-01-15
add H0260 --at "$RECENT" --visitors 田中 --outcome connected --next-due "$LATER"
"$BIN" --db "$DB" households overdue --json >"$T/od.json"
check "overdue: most overdue first, future due dates and replaced due dates left out ($(jq -c '[.households[].id]' "$T/od.json"))" \
  test "$(jq -c '[.households[].id]' "$T/od.json")" = '["H0044","H0010","H0003"]'
check "... each with its due date, days late and last outcome" \
  test "$(jq -c '.households[0] | [.due, .last_outcome, .days_late > 365]' "$T/od.json")" = '["2023-12-01","拒否",true]'
"$BIN" --db "$DB" households overdue --district elementary:E03 --json >"$T/od3.json"
check "overdue --district elementary:E03 keeps that district's ($(jq -c '[.households[].id]' "$T/od3.json"))" \
  test "$(jq -c '[.households[] | .district] | unique' "$T/od3.json")" = '["E03"]'
refused "overdue in an unknown district" 3 households overdue --district elementary:E99

# ---- routes over overdue households, realistic days ----
"$BIN" --db "$DB" route $START --overdue --json >"$T/r.json" 2>"$T/r.err"
check "route --overdue visits exactly the overdue households" \
  test "$(jq -c '[.days[].stops[].household_id] | sort' "$T/r.json")" = '["H0003","H0010","H0044"]'
# H0044 is the farthest (28 min): with an appointment 09:00-09:40 it comes first.
"$BIN" --db "$DB" route $START --households H0003,H0010,H0101,H0044@09:00-09:40 --json >"$T/a.json" 2>&1
"$BIN" --db "$DB" route $START --households H0003,H0010,H0101,H0044 --json >"$T/na.json" 2>&1
check "without the appointment H0044 is not first ($(jq -c '[.days[0].stops[].household_id]' "$T/na.json"))" \
  test "$(jq -r '.days[0].stops[0].household_id' "$T/na.json")" != H0044
check "with it, the appointment forces H0044 first, inside its window ($(jq -c '.days[0].stops[0] | [.household_id, .arrive, .appointment]' "$T/a.json"))" \
  test "$(jq -c '.days[0].stops[0] | [.household_id, .appointment.from, .appointment.to, .arrive <= "09:40"]' "$T/a.json")" = '["H0044","09:00","09:40",true]'
check "... and the day is longer than the shortest tour" \
  test "$(jq -n --slurpfile a "$T/a.json" --slurpfile b "$T/na.json" '$a[0].total_walk_m > $b[0].total_walk_m')" = true
refused "an appointment no day can keep" 2 route $START --households H0003,H0044@09:00-09:05
check "... names the appointment by its place and window" grep -q "appointment 1 of 1 (09:00-09:05) cannot be kept" "$T/err"
refused "a window that ends before it starts" 2 route $START --households H0003@10:00-09:00
"$BIN" --db "$DB" route $START --households H0003,H0010,H0101,H0044,H0260,H0005,H0007 \
  --end 136.9604,34.9512 --lunch 12:00-13:00 --max-visits 3 --json >"$T/d.json" 2>&1
check "--max-visits 3 gives days of at most 3 visits" test "$(jq '[.days[].stops | length] | max' "$T/d.json")" -le 3
check "--lunch: no visit overlaps 12:00-13:00" \
  test "$(jq '[.days[].stops[] | select(.arrive < "13:00" and .leave > "12:00")] | length' "$T/d.json")" = 0
check "--end: each day's line ends at the end place" \
  test "$(jq -c '[.days[].route.coordinates[-1] | map(. * 1000 | round)] | unique' "$T/d.json")" = '[[136960,34951]]'

# ---- each role over HTTP ----
uadd() { "$BIN" --db "$DB" user add "$@" 2>/dev/null; }
CO=$(uadd co --role coordinator --agency 包括A)
CO2=$(uadd co2 --role coordinator --agency 社協)
OU=$(uadd ou --role outreach --district elementary:E03)
OFF=$(uadd off --role official)
"$BIN" --db "$DB" serve --port 0 --threads 2 >"$T/srv.out" 2>"$T/srv.err" &
SRV=$!
PORT=$(tl_port "$T/srv.out" "$SRV")
if [ -z "$PORT" ]; then echo "FAIL - the server did not start:"; cat "$T/srv.err"; exit 1; fi
B=http://127.0.0.1:$PORT
# req TOKEN METHOD PATH [BODY]: status; body in $T/body.
req() {
  local tok=$1 m=$2 p=$3 body=${4:-}
  local a=()
  [ -n "$tok" ] && a=(-H "Authorization: Bearer $tok")
  [ -n "$body" ] && a+=(-H 'Content-Type: application/json' --data-binary "$body")
  curl -s -o "$T/body" -w '%{http_code}' -X "$m" "${a[@]}" "$B$p"
}
V='"at":"2024-07-01T10:00","visitors":["佐藤","田中"],"outcome":"会えた","next_due":"2024-08-01"'
check "an outreach worker records a visit in its district (201)" test "$(req "$OU" POST /api/visits "{\"household\":\"H0003\",$V}")" = 201
check "... a coordinator for its agency (201)" test "$(req "$CO" POST /api/visits "{\"household\":\"H0010\",$V}")" = 201
s1=$(req "$OU" POST /api/visits "{\"household\":\"H0010\",$V}"); b1=$(cat "$T/body")
s2=$(req "$OU" POST /api/visits "{\"household\":\"H9999\",$V}"); b2=$(cat "$T/body")
check "outside the assignment and missing answer alike ($s1 $b1)" test "$s1 $b1" = "$s2 $b2" -a "$s1" = 404
check "... for another agency's coordinator too" test "$(req "$CO2" GET /api/households/H0003/visits)" = 404
check "an official may not record visits (403)" test "$(req "$OFF" POST /api/visits "{\"household\":\"H0003\",$V}")" = 403
check "anonymous: 401" test "$(req "" POST /api/visits "{\"household\":\"H0003\",$V}")" = 401
before=$(state)
for body in '{"household":"H0003"}' "{\"household\":\"H0003\",$V,\"extra\":1}" \
  '{"household":"H0003","at":"2024-07-01T10:00","visitors":["a","b","c"],"outcome":"met"}' \
  '{"household":"H0003","at":"2024-07-01T10:00","visitors":"a","outcome":"met","note":7}' '[1]' 'nope'; do
  s=$(req "$OU" POST /api/visits "$body")
  [ "$s" = 400 ] && ! grep -q H0003 "$T/body" || bad "bad body $body: $s $(cat "$T/body")"
done
check "bad bodies: 400 with a sentence naming no household, nothing stored" test "$(state)" = "$before"
check "GET visits as the coordinator: newest first, both visitors" \
  bash -c "[ \"\$(curl -s -H 'Authorization: Bearer $CO' $B/api/households/H0003/visits | jq -c '[.visits[0].at, .visits[0].visitors, .visits[0].recorded_by]')\" = '[\"2024-07-01T10:00\",[\"佐藤\",\"田中\"],\"ou\"]' ]"
check "overdue=true for the outreach worker: its district only" \
  bash -c "curl -s -H 'Authorization: Bearer $OU' '$B/api/households?overdue=true' | jq -e '[.households[].district] | unique == [\"E03\"]' >/dev/null"
check "overdue=true for the 包括A coordinator: no other agency's household (H0044)" \
  bash -c "curl -s -H 'Authorization: Bearer $CO' '$B/api/households?overdue=true' | jq -e '[.households[].id] | index(\"H0044\") == null and length > 0' >/dev/null"
check "overdue=true for an official: 403" test "$(req "$OFF" GET '/api/households?overdue=true')" = 403
check "POST /api/route with overdue: true plans the outreach worker's overdue households" \
  bash -c "[ \"\$(curl -s -H 'Authorization: Bearer $OU' -H 'Content-Type: application/json' -d '{\"start\":{\"lon\":136.9490202,\"lat\":34.945617},\"overdue\":true,\"appointments\":{\"H0003\":\"10:00-11:00\"},\"lunch\":\"12:00-13:00\"}' $B/api/route | jq -c '[.days[].stops[] | [.household_id, .appointment.from]]')\" = '[[\"H0003\",\"10:00\"]]' ]"
check "the server's log names no household" bash -c "! grep -q 'H0[0-9]' '$T/srv.err'"
kill -TERM "$SRV"; wait "$SRV"; SRV=

# ---- retention ----
"$BIN" --db "$DB" households close H0044 --date 2020-01-31 >/dev/null
"$BIN" --db "$DB" households close H0010 --date 2026-01-31 >/dev/null
check "a closed case leaves the overdue list" \
  bash -c "! '$BIN' --db '$DB' households overdue | grep -q H0044"
check "audit records name H0044 before the purge" test "$(sqlite3 "$DB" "SELECT COUNT(*) FROM audit WHERE ids LIKE '%H0044%'")" -gt 2
"$BIN" --db "$DB" households purge --closed-before 2021-01-01 >"$T/p.out" 2>&1
check "purge --closed-before removes the household closed before it ($(cat "$T/p.out"))" grep -q "purged 1 household closed before 2021-01-01, 1 visit" "$T/p.out"
check "... its row and visits are gone, the later-closed one stays" \
  test "$(sqlite3 "$DB" "SELECT (SELECT COUNT(*) FROM households WHERE ext_id = 'H0044') || (SELECT COUNT(*) FROM visits WHERE household = 'H0044') || (SELECT COUNT(*) FROM households WHERE ext_id = 'H0010')")" = 001
check "... no audit record names it any more (ids, endpoints)" \
  test "$(sqlite3 "$DB" "SELECT COUNT(*) FROM audit WHERE ids LIKE '%H0044%' OR endpoint LIKE '%H0044%'")" = 0
check "... commitments stand in its place" test "$(sqlite3 "$DB" "SELECT COUNT(*) FROM audit WHERE ids LIKE '%\"#%'")" -gt 2
"$BIN" --db "$DB" audit --verify >"$T/v.out" 2>&1
check "... and the hash chain verifies ($(cat "$T/v.out"))" grep -q "unbroken hash chain" "$T/v.out"
"$BIN" --db "$DB" visits list H0003 >/dev/null
check "... also with new records after it" bash -c "'$BIN' --db '$DB' audit --verify | grep -q unbroken"
cp "$DB" "$T/t.db"
sqlite3 "$T/t.db" "DROP TRIGGER audit_no_update; UPDATE audit SET ids = replace(ids, '\"#', '\"#0') WHERE ids LIKE '%\"#%' AND id = (SELECT MIN(id) FROM audit WHERE ids LIKE '%\"#%')"
"$BIN" --db "$T/t.db" audit --verify >/dev/null 2>&1
check "a commitment changed by hand breaks the chain" test $? = 1
refused "purge with a malformed date" 2 households purge --closed-before 2021-13-01
"$BIN" --db "$DB" export households --agency 包括A >"$T/x.csv"
check "export --agency 包括A: a header and only 包括A's households" \
  bash -c "head -1 '$T/x.csv' | grep -q '^id,members,needs,consent,agency,closed,lon,lat,last_visit$' && [ \"\$(tail -n +2 '$T/x.csv' | cut -d, -f5 | sort -u)\" = 包括A ] && grep -q '^H0003,' '$T/x.csv'"
check "... audited with the ids it wrote" \
  test "$(sqlite3 "$DB" "SELECT households FROM audit WHERE endpoint = 'cli export households'")" = "$(($(wc -l <"$T/x.csv") - 1))"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
