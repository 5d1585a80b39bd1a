#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_coverage_kinds.sh - coverage of several kinds at once on the real
# program and server (demo town):
#   - `coverage --kind a,b,c` (--csv, --json, the table) gives one column
#     group per kind whose figures are those of `coverage --kind a` etc.,
#     and --field filters each kind as it filters one;
#   - bad lists (a kind twice, an unknown kind, an empty item, more than 8
#     kinds) are refused in one sentence;
#   - GET /api/coverage?kind=a,b: 401 anonymous; for an official each
#     kind's answer is byte for byte the single-kind /api/coverage answer,
#     and the merged rows copy those figures and nothing else;
#   - the attack: an official collects multi-kind answers over every level,
#     pair and triple of kinds and many limits, and tests/attack_solve.mjs
#     (the solver of cli_attack.sh) tries to recover a hidden household
#     figure from them all together, with single-kind answers beside.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
. "$(dirname "$0")/lib.sh"
tl_need curl jq node
tl_scratch
DB=$T/demo.db
tl_demo_db "$DB"

# 1. the CLI: each column group is the single-kind answer
"$BIN" --db "$DB" coverage --level elementary --minutes 10 --kind consultation,salon,cafeteria --csv >"$T/multi.csv"
check "--csv: a header, 6 districts and the total" test "$(wc -l <"$T/multi.csv")" = 8
check "--csv: one column group per kind" grep -q "^code,name,households,residents,consultation_covered,.*salon_covered,.*cafeteria_covered," "$T/multi.csv"
col() { head -1 "$1" | tr ',' '\n' | grep -n -x "$2" | cut -d: -f1; }
same=1
for k in consultation salon cafeteria; do
  "$BIN" --db "$DB" coverage --level elementary --minutes 10 --kind $k --csv >"$T/$k.csv"
  a=$(cut -d, -f"$(col "$T/multi.csv" ${k}_covered)" "$T/multi.csv" | tail -n +2 | tr '\n' ' ')
  b=$(cut -d, -f"$(col "$T/$k.csv" households_covered)" "$T/$k.csv" | tail -n +2 | tr '\n' ' ')
  [ "$a" = "$b" ] || { same=0; echo "  $k: $a vs $b"; }
done
check "each kind's covered counts are those of coverage --kind K" test $same = 1
"$BIN" --db "$DB" coverage --level elementary --minutes 10 --kind consultation,salon --field 高齢 --csv >"$T/f.csv"
"$BIN" --db "$DB" coverage --level elementary --minutes 10 --kind salon --field 高齢 --csv >"$T/fs.csv"
check "--field filters each kind as it filters one" test \
  "$(cut -d, -f"$(col "$T/f.csv" salon_covered)" "$T/f.csv" | tr '\n' ' ')" = "salon_covered $(cut -d, -f4 "$T/fs.csv" | tail -n +2 | tr '\n' ' ')"
check "--field changes the answer" test "$(cut -d, -f"$(col "$T/f.csv" salon_covered)" "$T/f.csv" | tail -1)" != "$(cut -d, -f"$(col "$T/multi.csv" salon_covered)" "$T/multi.csv" | tail -1)"
"$BIN" --db "$DB" coverage --level elementary --minutes 10 --kind consultation,salon --json >"$T/m.json"
check "--json: kinds, one answer per kind, rows by kind" test "$(jq -c '[.kinds, (.answers | length), (.districts[0].by_kind | keys)]' "$T/m.json")" = '[["consultation","salon"],2,["consultation","salon"]]'
"$BIN" --db "$DB" coverage --level elementary --minutes 10 --kind consultation,salon >"$T/table"
check "the table has a column group per kind" grep -q "| consultation .*| salon" "$T/table"
refuse() { # WHAT PATTERN KINDS
  "$BIN" --db "$DB" coverage --level elementary --kind "$3" >"$T/o" 2>&1; local rc=$?
  check "$1: refused in one sentence ($(head -c 120 "$T/o"))" test $rc -ne 0 -a "$(wc -l <"$T/o")" = 1
  check "... naming it" grep -q -- "$2" "$T/o"
}
refuse "a kind twice" "names the kind salon twice" salon,consultation,salon
refuse "a malformed kind" "^tsunagu: --kind: " "salon,No Such"
refuse "an empty item" "has an empty kind" salon,,consultation
refuse "nine kinds" "names more than 8 kinds" salon,consultation,cafeteria,hub,health_room,dementia_cafe,gathering_place,learning_support,work_support

# 2. the API
OFF=$("$BIN" --db "$DB" user add kato --role official 2>/dev/null)
"$BIN" --db "$DB" serve --port 0 --threads 2 >"$T/srv.out" 2>"$T/srv.err" &
SRV=$!
PORT=$(tl_port "$T/srv.out" "$SRV")
B=http://127.0.0.1:$PORT
get() { curl -s -H "Authorization: Bearer $OFF" "$B$1"; }
check "anonymous: 401" test "$(curl -s -o /dev/null -w '%{http_code}' "$B/api/coverage?kind=salon,consultation")" = 401
get "/api/coverage?kind=consultation,salon,cafeteria&level=elementary&minutes=10" >"$T/api.json"
same=1
for i in 0 1 2; do
  k=$(jq -r ".kinds[$i]" "$T/api.json")
  get "/api/coverage?kind=$k&level=elementary&minutes=10" | jq -S . >"$T/one.json"
  jq -S ".answers[$i]" "$T/api.json" >"$T/part.json"
  cmp -s "$T/one.json" "$T/part.json" || { same=0; echo "  $k differs"; }
done
check "each kind's answer is the single-kind /api/coverage answer" test $same = 1
check "the official's answer hides small counts" grep -q '"<5"' "$T/api.json"
check "the merged rows copy the answers' figures and nothing else" test "$(jq '[.kinds as $k | range(0; .districts | length) as $i | range(0; $k | length) as $j | .districts[$i] as $d | .answers[$j].districts[$i] as $a | ($d.households == $a.households) and ($d.by_kind[$k[$j]] | to_entries | all(.value == $a[.key]))] | all' "$T/api.json")" = true
check "a bad list is a 400 naming kind" test "$(curl -s -w ' %{http_code}' -H "Authorization: Bearer $OFF" "$B/api/coverage?kind=salon,salon" | jq -Rr 'split(" ") | .[-1]')" = 400

# 3. the attack: every level, kinds in pairs and triples, many limits
KINDS="consultation salon cafeteria hub dementia_cafe"
qs=()
for l in "" elementary junior_high; do
  for m in 1 3 5 10 15 30 60; do
    qs+=("/api/coverage?kind=consultation,salon&minutes=$m${l:+&level=$l}"
         "/api/coverage?kind=salon,cafeteria,hub&minutes=$m${l:+&level=$l}"
         "/api/coverage?kind=dementia_cafe,consultation,cafeteria&minutes=$m${l:+&level=$l}")
  done
  for s in 30 elderly; do qs+=("/api/coverage?kind=consultation,salon,hub&minutes=2&speed=$s${l:+&level=$l}"); done
  for k in $KINDS; do qs+=("/api/coverage?kind=$k&minutes=5${l:+&level=$l}"); done
done
: >"$T/att.jsonl"
for q in "${qs[@]}"; do
  # each multi-kind answer read as the single-kind answers it holds, and its
  # merged rows as one more answer per kind (so a figure the rows showed
  # and an answer hid would count as recovered)
  get "$q" | jq -c --arg q "$q" 'if .answers then (.answers[] | {q: $q, a: .}), (. as $m | .kinds[] as $k | {q: ($q + " rows " + $k), a: ($m.answers[0] | {minutes, speed_m_per_min, limit_m, field, level, kind: $k, off_network: {households: ($m.answers[0].off_network.households)}, districts: [$m.districts[] | {code, name, households} + .by_kind[$k]], total: ($m.total | {code, name, households} + .by_kind[$k])})}) else {q: $q, a: .} end' >>"$T/att.jsonl"
done
check "the attacker got every answer (${#qs[@]} queries, $(wc -l <"$T/att.jsonl") answers)" \
  test "$(jq -s '[.[] | select(.a.error)] | length' "$T/att.jsonl")" = 0
if node "$SRC/tests/attack_solve.mjs" "$T/att.jsonl" "$SRC/data/town_households.csv" >"$T/solve"; then
  ok "no hidden figure recovered from the multi-kind answers ($(head -1 "$T/solve"))"
else
  bad "the attacker recovered something:"; sed 's/^/    /' "$T/solve" | head -20
fi
echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
