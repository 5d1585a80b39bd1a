#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_commissioner.sh - what issue 13 left open, on the real program and
# server (demo town), every role against every kind of household:
#   - consent `unknown` as its own value: import (unknown, 不明, an empty
#     cell, no column), the CLI's share list and export, the API's share
#     list; it counts as not given for a share by consent, a meeting still
#     shares;
#   - the per-household "commissioners may see" flag (`households
#     commissioner ID yes|no`, POST /api/households/{id}/commissioner): the
#     holder (and an admin) only, consent yes only, never on a protected
#     household (protecting removes it), lets the commissioners of its
#     district see it, names itself in the audit record;
#   - the CLI's share changes are audited in the API's chain (`audit
#     --verify` still passes);
#   - last_visit in the lists: every visit for an agency's worker, for a
#     commissioner only visits since the household became visible to them;
#   - a commissioner's route: stop order only (no coordinates, no path,
#     walks rounded), over the households it may see and no other (the same
#     404 as a missing id).
# Skips (77) when curl, jq or sqlite3 is missing.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
. "$(dirname "$0")/lib.sh"
tl_need curl jq sqlite3

tl_scratch
DB=$T/demo.db
tl_demo_db "$DB"
add() { "$BIN" --db "$DB" user add "$@" 2>"$T/add.err"; }
q() { sqlite3 "$DB" "$1"; }
hh() { "$BIN" --db "$DB" households "$@" >"$T/out" 2>"$T/err"; }

# ---- consent unknown: import ----
printf 'id,lon,lat,members,needs,consent,agency\nU1,136.95,34.95,1,孤立,unknown,包括A\nU2,136.951,34.951,1,孤立,不明,包括A\nU3,136.952,34.952,1,孤立,,包括A\nU4,136.953,34.953,1,孤立,yes,包括A\nU5,136.954,34.954,1,孤立,no,包括A\n' >"$T/u.csv"
"$BIN" --db "$DB" import households "$T/u.csv" >"$T/out" 2>&1
check "import: unknown, 不明 and an empty cell are unknown (2), yes 1, no 0" \
  test "$(q "SELECT group_concat(ext_id || ':' || consent) FROM households WHERE ext_id LIKE 'U_'")" = "U1:2,U2:2,U3:2,U4:1,U5:0"
printf 'id,lon,lat,members,needs,agency\nV1,136.95,34.95,1,孤立,包括B\n' >"$T/v.csv"
"$BIN" --db "$DB" import households "$T/v.csv" >"$T/out" 2>&1
check "import: a file without a consent column is unknown, not no" test "$(q "SELECT consent FROM households WHERE ext_id = 'V1'")" = 2
printf 'id,lon,lat,members,needs,consent,agency\nW1,136.95,34.95,1,孤立,maybe,包括A\n' >"$T/w.csv"
n0=$(q "SELECT COUNT(*) FROM households")
"$BIN" --db "$DB" import households "$T/w.csv" >"$T/out" 2>"$T/err"; rc=$?
check "import: another consent value is refused naming line and column, not the value ($(cat "$T/err"))" \
  bash -c "[ $rc = 2 ] && grep -q 'line 2.*consent must be yes, no or unknown' '$T/err' && ! grep -q maybe '$T/err' && [ \$(sqlite3 '$DB' 'SELECT COUNT(*) FROM households') = $n0 ]"

# ---- consent unknown: the CLI ----
hh shares U1
check "households shares shows consent unknown" grep -q '^consent: unknown; protected: no; commissioners may see: no' "$T/out"
"$BIN" --db "$DB" households shares U4 --json >"$T/out"
check "households shares --json: consent yes, no mark" test "$(jq -c '[.consent, .protected, .commissioner]' "$T/out")" = '["yes",false,false]'
hh share U1 --agency 社協 --basis consent --reason "本人同意"; rc=$?
check "a share by consent of an unknown consent is refused, saying so (exit $rc)" \
  bash -c "[ $rc = 2 ] && grep -q 'consent is unknown, which counts as not given' '$T/err' && [ \$(sqlite3 '$DB' \"SELECT COUNT(*) FROM household_shares WHERE ext_id = 'U1'\") = 0 ]"
hh share U1 --agency 社協 --basis meeting --reason "支援会議 2026-12-01"
check "a support meeting shares a household of unknown consent" grep -q "shared with 社協 (meeting)" "$T/out"
"$BIN" --db "$DB" export households --agency 包括A >"$T/x.csv" 2>/dev/null
check "export writes consent as yes, no or unknown" \
  test "$(grep -E '^U[1-5],' "$T/x.csv" | cut -d, -f4 | tr '\n' ' ')" = "unknown unknown unknown yes no "

# ---- the CLI's share changes are audited ----
before=$(q "SELECT COUNT(*) FROM audit")
hh share U4 --agency 社協 --basis consent --reason "本人同意"
hh unshare U4 --agency 社協
hh protect U5
hh unprotect U5
hh commissioner U4 yes
hh commissioner U4 no
hh share U5 --agency 社協 --basis consent --reason x # refused: an attempt is recorded too
check "every CLI share change leaves one record: command, operator, household id" \
  test "$(q "SELECT group_concat(endpoint || '|' || role || '|' || (user LIKE 'cli:%') || '|' || ids, ' ') FROM audit WHERE id > (SELECT MAX(id) FROM audit) - 7")" = \
  'cli households share|operator|1|["U4"] cli households unshare|operator|1|["U4"] cli households protect|operator|1|["U5"] cli households unprotect|operator|1|["U5"] cli households commissioner|operator|1|["U4"] cli households commissioner|operator|1|["U4"] cli households share|operator|1|["U5"]'
check "... seven records in all" test "$(q "SELECT COUNT(*) FROM audit")" = $((before + 7))
check "audit --verify still passes" bash -c "'$BIN' --db '$DB' audit --verify >/dev/null"

# ---- users and the households of each kind ----
COA=$(add tanaka --role coordinator --agency 包括A)
COS=$(add kato --role coordinator --agency 社協)
OUTA=$(add suzuki --role outreach --agency 包括A)
OFF=$(add sato --role official)
ADM=$(add admin1 --role admin)
"$BIN" --db "$DB" serve --port 0 --threads 2 >"$T/srv.out" 2>"$T/srv.err" &
SRV=$!
PORT=$(tl_port "$T/srv.out" "$SRV")
if [ -z "$PORT" ]; then echo "FAIL - the server did not start:"; cat "$T/srv.err"; exit 1; fi
B=http://127.0.0.1:$PORT
req() { # req TOKEN METHOD PATH [BODY]: status; body in $T/body
  local tok=$1 method=$2 path=$3 body=${4:-}
  local args=(-s --max-time 120 -o "$T/body" -w '%{http_code}' -X "$method")
  [ "$tok" != - ] && args+=(-H "Authorization: Bearer $tok")
  [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
  rm -f "$T/body"; curl "${args[@]}" "$B$path"
}
# 社協's households with their elementary districts; the commissioners'
# district is the one with the most of them that consented.
req "$COS" GET "/api/households?level=elementary" >/dev/null
jq -r '.households[] | [.id, .district] | @tsv' "$T/body" >"$T/sc.tsv"
yes_ids=$(q "SELECT ext_id FROM households WHERE agency = '社協' AND consent = 1 AND protected = 0" | sort)
D=$(awk -F'\t' 'NR==FNR {y[$1]=1; next} ($1 in y) {n[$2]++} END {for (d in n) print n[d], d}' <(echo "$yes_ids") "$T/sc.tsv" | sort -rn | head -1 | cut -d' ' -f2)
inD() { awk -F'\t' -v d="$D" '$2 == d {print $1}' "$T/sc.tsv" | grep -xF -f <(echo "$1") | sed -n "${2}p"; }
F1=$(inD "$yes_ids" 1); F2=$(inD "$yes_ids" 2); F3=$(inD "$yes_ids" 3); F4=$(inD "$yes_ids" 4)
NO=$(awk -F'\t' -v d="$D" '$2 == d {print $1}' "$T/sc.tsv" | grep -xF -f <(q "SELECT ext_id FROM households WHERE agency = '社協' AND consent = 0") | head -1)
OTHER=$(awk -F'\t' -v d="$D" '$2 != d {print $1}' "$T/sc.tsv" | grep -xF -f <(echo "$yes_ids") | head -1)
COMM=$(add yamada --role commissioner --district "elementary:$D")
OD=$(awk -F'\t' -v d="$D" '$2 != d {print $2}' "$T/sc.tsv" | head -1)
COMX=$(add mori --role commissioner --district "elementary:$OD")
check "households found (district $D: $F1 $F2 $F3 $F4, no consent $NO; elsewhere $OTHER)" \
  test -n "$F4" -a -n "$NO" -a -n "$OTHER" -a -n "$D" -a "$D" != null

# ---- the flag: who may set it, and its rules ----
body='{"commissioner":true}'
declare -A FWANT=([-]=401 [OFF]=403 [OUTA]=403 [COMM]=403 [COA]=404)
for role in - OFF OUTA COMM COA; do
  tok=$([ "$role" = - ] && echo - || echo "${!role}")
  code=$(req "$tok" POST "/api/households/$F1/commissioner" "$body")
  check "flag by $role: $code (want ${FWANT[$role]}), nothing set" \
    test "$code,$(q "SELECT COUNT(*) FROM household_commissioner WHERE ext_id = '$F1'")" = "${FWANT[$role]},0"
done
check "a missing id answers as another agency's does (404, same body)" \
  bash -c "req() { curl -s -X POST -H 'Authorization: Bearer $COA' -H 'Content-Type: application/json' --data-binary '$body' '$B/api/households/'\$1'/commissioner'; }; [ \"\$(req H0999)\" = \"\$(req '$F1')\" ]"
code=$(req "$COS" POST "/api/households/$F1/commissioner" "$body")
check "the holding agency's coordinator sets the flag (200)" test "$code,$(jq -r .commissioner "$T/body")" = "200,true"
code=$(req "$COS" POST "/api/households/$NO/commissioner" "$body")
check "not without consent (403, says why)" bash -c "[ $code = 403 ] && jq -e '.error | test(\"consent is no\")' '$T/body' >/dev/null"
code=$(req "$ADM" POST "/api/households/U1/commissioner" "$body")
check "not with consent unknown, even for an admin (403)" bash -c "[ $code = 403 ] && jq -e '.error | test(\"consent is unknown\")' '$T/body' >/dev/null"
code=$(req "$ADM" POST "/api/households/$F2/commissioner" "$body")
check "an admin sets it on any household (200)" test "$code" = 200
hh commissioner "$F3" yes
check "the CLI sets it" grep -q "commissioners of its district may see" "$T/out"
hh commissioner "$F3" yes; rc=$?
check "twice is refused (exit $rc)" bash -c "[ $rc = 2 ] && grep -q 'already' '$T/err'"
req "$COS" GET "/api/households/$F1/shares" >/dev/null
check "the holder's share list shows the mark and the consent" test "$(jq -c '[.consent, .commissioner]' "$T/body")" = '["yes",true]'
hh protect "$F3"
check "protecting removes the mark" test "$(q "SELECT COUNT(*) FROM household_commissioner WHERE ext_id = '$F3'")" = 0
hh commissioner "$F3" yes; rc=$?
check "a protected household never gets it (exit $rc)" bash -c "[ $rc = 2 ] && grep -q 'protected' '$T/err' && [ \$(sqlite3 '$DB' \"SELECT COUNT(*) FROM household_commissioner WHERE ext_id = '$F3'\") = 0 ]"
code=$(req "$COS" POST "/api/households/$F3/commissioner" "$body")
check "... nor through the API (400)" test "$code" = 400
code=$(req "$COS" POST "/api/households/$OTHER/commissioner" "$body")
check "a household outside the district can be marked (200)" test "$code" = 200

# ---- every role against every kind: /api/households/{id} ----
# F1 marked, F2 marked, F3 protected (mark removed), F4 unmarked, NO no
# consent, OTHER marked in another district, U1 unknown consent shared by
# meeting with 社協.
KINDS=(F1 F2 F3 F4 NO OTHER)
declare -A WANT=(
  [COMM]="200 200 404 404 404 404"
  [COMX]="404 404 404 404 404 $([ "$(awk -F'\t' -v i="$OTHER" '$1 == i {print $2}' "$T/sc.tsv")" = "$OD" ] && echo 200 || echo 404)"
  [COS]="200 200 200 200 200 200"
  [COA]="404 404 404 404 404 404"
  [OFF]="403 403 403 403 403 403"
  [OUTA]="403 403 403 403 403 403"
)
for role in COMM COMX COS COA OFF OUTA; do
  got=
  for k in "${KINDS[@]}"; do got="$got $(req "${!role}" GET "/api/households/${!k}")"; done
  check "$role by id: ${KINDS[*]} -> ${got# }" test "${got# }" = "${WANT[$role]}"
done
req "$COMM" GET /api/households >/dev/null
check "the commissioner's list: the marked households of its district, least detail" \
  test "$(jq -c '[.households[] | keys] | unique' "$T/body"),$(jq -r '[.households[].id] | sort | join(" ")' "$T/body")" = "[[\"district\",\"id\",\"needs\"]],$(printf '%s\n' "$F1" "$F2" | sort | tr '\n' ' ' | sed 's/ $//')"
"$BIN" --db "$DB" audit --since 2000-01-01 --json >"$T/audit.json"
check "the audit record names the mark" \
  test "$(jq -r '[.[] | select(.user == "yamada")][-1].via | unique | join(",")' "$T/audit.json")" = "commissioner flag"
q "UPDATE households SET consent = 0 WHERE ext_id = '$F2'"
check "a withdrawn consent hides a marked household from the commissioner" test "$(req "$COMM" GET "/api/households/$F2")" = 404
q "UPDATE households SET consent = 1 WHERE ext_id = '$F2'"

# ---- last_visit ----
y=$(date -d yesterday +%F); t=$(date +%F)
"$BIN" --db "$DB" visits add "$F1" --at "${y}T10:00" --visitors 佐藤 --outcome 会えた >/dev/null
req "$COS" GET /api/households >/dev/null
check "an agency's list: last_visit from the visits table ($y)" \
  test "$(jq -r --arg i "$F1" '.households[] | select(.id == $i) | .last_visit' "$T/body")" = "$y"
q "UPDATE household_commissioner SET set_at = '${t}T00:00:00Z' WHERE ext_id = '$F1'"
req "$COMM" GET /api/households >/dev/null
check "the commissioner does not learn of a visit made before the household was visible to it" \
  test "$(jq -r --arg i "$F1" '.households[] | select(.id == $i) | .last_visit // "none"' "$T/body")" = none
"$BIN" --db "$DB" visits add "$F1" --at "${t}T00:01" --visitors 佐藤 --outcome 不在 >/dev/null
req "$COMM" GET /api/households >/dev/null
check "... and learns the day of one made since ($t), day only" \
  test "$(jq -r --arg i "$F1" '.households[] | select(.id == $i) | .last_visit' "$T/body")" = "$t"
req "$COS" GET /api/households >/dev/null
check "the agency sees the latest too" test "$(jq -r --arg i "$F1" '.households[] | select(.id == $i) | .last_visit' "$T/body")" = "$t"

# ---- the commissioner's route: stop order only ----
S='"start":{"lon":136.9490202,"lat":34.945617}'
code=$(req "$COMM" POST /api/route "{$S,\"households\":[\"$F1\",\"$F2\"]}")
cp "$T/body" "$T/route.json"
check "a commissioner plans a walk over the households it may see (200)" test "$code" = 200
check "... the answer is order only: ids in order, rounded walks, nothing else" \
  test "$(jq -c '[.order_only, (.days[0].stops | map(.household_id) | sort), (.days[0].stops | map(.order)), ([.. | objects | keys[]] | unique)]' "$T/route.json")" = \
  "[true,$(printf '"%s"\n' "$F1" "$F2" | sort | jq -sc .),[1,2],[\"day\",\"days\",\"household_id\",\"order\",\"order_only\",\"stops\",\"total_walk_m\",\"unreachable\",\"walk_m\",\"walk_min\"]]"
check "... no coordinate anywhere (no number with a fraction, no lon/lat/line)" \
  bash -c "! grep -q -E '[0-9]\\.[0-9]|lon|lat|line|geometry' '$T/route.json'"
check "... walks rounded up to 100 m and 5 min" \
  bash -c "jq -e '[.. | objects | (.walk_m // empty)] | all(. % 100 == 0)' '$T/route.json' >/dev/null && jq -e '[.. | objects | (.walk_min // empty)] | all(. % 5 == 0)' '$T/route.json' >/dev/null"
code=$(req "$COMM" POST /api/route "{$S,\"households\":[\"$F1\",\"$F4\"]}")
c2=$(req "$COMM" POST /api/route "{$S,\"households\":[\"$F1\",\"H0999\"]}")
check "a household it may not see answers as a missing one (404, same body)" \
  bash -c "[ $code = 404 ] && [ $c2 = 404 ]"
for k in F3 F4 NO OTHER; do
  code=$(req "$COMM" POST /api/route "{$S,\"households\":[\"${!k}\"]}"); b1=$(cat "$T/body")
  req "$COMM" POST /api/route "{$S,\"households\":[\"H0999\"]}" >/dev/null; b2=$(cat "$T/body")
  check "route with $k ($([ "$k" = F3 ] && echo protected || echo not visible)): 404 like a missing id" test "$code,$b1" = "404,$b2"
done
code=$(req "$COMM" POST /api/route "{$S,\"district\":\"$D\",\"level\":\"elementary\"}")
check "a route by its district has only the households it may see" \
  test "$code,$(jq -r '[.days[].stops[].household_id] | sort | join(" ")' "$T/body")" = "200,$(printf '%s\n' "$F1" "$F2" | sort | tr '\n' ' ' | sed 's/ $//')"
code=$(req "$COMM" POST /api/route "{$S,\"overdue\":true}")
check "no overdue round for a commissioner (400: it rests on the agencies' visits)" test "$code" = 400
code=$(req "$COMX" POST /api/route "{$S,\"households\":[\"$F1\"]}")
check "a commissioner of another district cannot route there (404)" test "$code" = 404
code=$(req "$COS" POST /api/route "{$S,\"households\":[\"$F1\"]}")
check "the coordinator still gets the full plan (positions, path)" \
  bash -c "[ $code = 200 ] && jq -e '.days[0].stops[0].lon' '$T/body' >/dev/null"
req "$COMM" GET /api/me >/dev/null
check "/api/me: the commissioner can route_order and visit_record, not route or visits" test "$(jq -c '.can' "$T/body")" = '["households","route_order","visit_record"]'

# ---- a commissioner records its own visits ----
V='"at":"'"$t"'T00:02","visitors":["山田"],"outcome":"会えた"'
code=$(req "$COMM" POST /api/visits "{\"household\":\"$F2\",$V}")
check "a commissioner records a visit to a household it may see (201)" \
  test "$code,$(q "SELECT COUNT(*) FROM visits WHERE household = '$F2' AND recorded_by = 'yamada'")" = "201,1"
for k in F3 F4 NO OTHER; do
  code=$(req "$COMM" POST /api/visits "{\"household\":\"${!k}\",$V}"); b1=$(cat "$T/body")
  req "$COMM" POST /api/visits "{\"household\":\"H0999\",$V}" >/dev/null; b2=$(cat "$T/body")
  check "a visit to $k ($([ "$k" = F3 ] && echo protected || echo not visible)): 404 like a missing id, nothing written" \
    test "$code,$b1,$(q "SELECT COUNT(*) FROM visits WHERE recorded_by = 'yamada'")" = "404,$b2,1"
done
check "it does not read the visits recorded by others (403)" test "$(req "$COMM" GET "/api/households/$F1/visits")" = 403
check "nor the overdue list (403)" test "$(req "$COMM" GET "/api/households?overdue=true")" = 403
req "$COMM" GET /api/households >/dev/null
check "its own visit is its list's last_visit ($t)" \
  test "$(jq -r --arg i "$F2" '.households[] | select(.id == $i) | .last_visit' "$T/body")" = "$t"
"$BIN" --db "$DB" audit --since 2000-01-01 --json >"$T/audit.json"
check "the commissioner's route is audited with the mark as its basis" \
  test "$(jq -r '[.[] | select(.user == "yamada" and .endpoint == "/api/route")][0] | .via | unique | join(",")' "$T/audit.json")" = "commissioner flag"
check "audit --verify passes at the end" bash -c "'$BIN' --db '$DB' audit --verify >/dev/null"

kill "$SRV" 2>/dev/null; wait "$SRV" 2>/dev/null
echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
