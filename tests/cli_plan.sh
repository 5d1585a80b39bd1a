#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_plan.sh - drives the real `tsunagu coverage`, `suggest` and `route` on
# the demo town's database:
#   - coverage --json parses and holds the documented keys; its counts add
#     up (uncovered list = households - covered; districts sum to the total);
#     the deliberate E05 gap shows; --csv is the district table; the text
#     table prints;
#   - suggest --json (candidate layer and network nodes) parses, the first
#     pick adds households and the share rises;
#   - route --json: every requested household once, the days' walks add up
#     to the total, each day's route is a GeoJSON LineString; the printed
#     sheet for a district and need tag;
#   - bad parameters exit 2 with one sentence on stderr; unknown households
#     exit 3 without naming any household.
# JSON is read with jq (skips with 77 when jq is missing).
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
DATA=$SRC/data
. "$(dirname "$0")/lib.sh"

if ! command -v jq >/dev/null 2>&1; then
  echo "SKIP: jq is not installed; cli_plan.sh reads the JSON answers with it"
  exit 77
fi
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
DB=$T/demo.db
run() { "$BIN" --db "$DB" "$@" >"$T/out" 2>"$T/err"; }
# jtrue FILTER: the filter over $T/out yields true.
jtrue() { [ "$(jq -e "$1" "$T/out" 2>/dev/null)" = "true" ]; }

TSUNAGU_DATA=$DATA "$BIN" --db "$DB" demo --no-serve >"$T/demo.out" 2>&1
check "demo --no-serve builds the database" test $? -eq 0
check "demo imports the candidate sites" grep -q "town_candidates.geojson *15 rows" "$T/demo.out"

# ---- coverage ----
run coverage --minutes 30 --level elementary --kind consultation --json
check "coverage --json exits 0" test $? -eq 0
check "coverage --json parses" jq -e . "$T/out" >/dev/null
check "coverage: top-level keys" jtrue '. as $doc | ["minutes","speed_m_per_min","kind","level","districts","total","resources","uncovered","off_network"] | all(. as $k | $doc | has($k))'
check "coverage: district keys" jtrue '. as $d | ["code","name","households","households_covered","share_covered","residents","residents_covered","median_min","max_min"] | all(. as $k | $d.districts | all(has($k)))'
check "coverage: resource keys" jtrue '.resources | length > 0 and all(has("id") and has("name") and has("households_nearest") and has("residents_nearest"))'
check "coverage: 6 districts, 350 households" jtrue '(.districts | length) == 6 and .total.households == 350'
check "coverage: districts add up to the total" jtrue '([.districts[].households] | add) == .total.households and ([.districts[].households_covered] | add) == .total.households_covered and ([.districts[].residents] | add) == .total.residents'
check "coverage: uncovered list = households - covered" jtrue '(.uncovered | length) == (.total.households - .total.households_covered)'
check "coverage: 3 households off the network, never covered" jtrue '.off_network.households == 3 and ([.uncovered[] | select(.reason == "off_network")] | length) == 3'
check "coverage: E05 is the gap" jtrue '(.districts[] | select(.code == "E05") | .share_covered) < 0.5 and ([.districts[] | select(.code != "E05") | .share_covered] | min) > 0.5'
check "coverage: speed and kind echoed" jtrue '.speed_m_per_min == 80 and .kind == "consultation" and .minutes == 30'

run coverage --minutes 30 --level elementary --kind consultation --csv
check "coverage --csv exits 0" test $? -eq 0
check "coverage --csv header" test "$(head -1 "$T/out")" = "code,name,households,households_covered,share_covered,households_off_network,households_unreachable,median_min,max_min,residents,residents_covered"
check "coverage --csv: header, 6 districts, total" test "$(wc -l <"$T/out")" -eq 8
check "coverage --csv: E05 row" grep -q '^E05,つなぐ丘小学校区,69,' "$T/out"
check "coverage --csv: total row" grep -q '^,total,350,' "$T/out"

run coverage --minutes 20 --level junior_high --kind salon --speed slow
check "coverage text exits 0" test $? -eq 0
check "coverage text: table and total" grep -q "total" "$T/out"
check "coverage text: states the speed" grep -q "at 60 m/min" "$T/out"

# ---- suggest ----
run suggest --minutes 30 --kind consultation --sites 3 --candidates candidate --json
check "suggest --json exits 0" test $? -eq 0
check "suggest: keys" jtrue 'has("before") and has("picks") and has("candidates") and (.picks | length) >= 1 and (.picks | all(has("households_added") and has("residents_added") and has("share_covered") and has("lon") and has("lat")))'
check "suggest: first pick is a candidate site and adds households" jtrue '(.picks[0].id | startswith("C")) and .picks[0].households_added > 0'
check "suggest: share rises above the start" jtrue '.picks[0].share_covered > .before.share_covered'
run suggest --minutes 20 --kind consultation --sites 2 --json
check "suggest over network nodes" jtrue '.candidates == "network_nodes" and (.picks | length) == 2 and .picks[0].node != null and .picks[0].households_added >= .picks[1].households_added'

# ---- route ----
IDS=H0003,H0010,H0044,H0057,H0101,H0150,H0201,H0222,H0260,H0301,H0333,H0345
run route --start-lon 136.9466477 --start-lat 34.9592373 --households $IDS --json
check "route --json exits 0" test $? -eq 0
check "route: keys" jtrue 'has("start") and has("days") and has("total_walk_m") and has("unreachable") and has("speed_m_per_min")'
check "route: stop keys" jtrue '[.days[].stops[]] | all(has("household_id") and has("arrive") and has("leave") and has("walk_m") and has("walk_min"))'
check "route: every household once" jtrue "([.days[].stops[].household_id] + [.unreachable[].household_id] | sort) == (\"$IDS\" | split(\",\") | sort)"
check "route: days add up to the total walk" jtrue '(([.days[].walk_m] | add) - .total_walk_m | fabs) < 1'
check "route: GeoJSON LineString per day" jtrue '.days | all(.route.type == "LineString" and (.route.coordinates | length) >= 2)'
check "route: H0301 is off the network" jtrue '.unreachable | any(.household_id == "H0301" and .reason == "off_network")'
check "route: days within 240 minutes" jtrue '.days | all(.minutes <= 240)'

run route --start-lon 136.9466477 --start-lat 34.9592373 --district つなぐ丘小学校区 --need 高齢独居 --start-time 08:30
check "route sheet exits 0" test $? -eq 0
check "route sheet: days and return" grep -q "back at the start" "$T/out"
check "route sheet: starts 08:30" grep -q "Day 1: .*08:30-" "$T/out"

# ---- bad parameters: exit 2, one sentence ----
expect() { # expect CODE WHAT ARGS...: exit CODE and one line "tsunagu: ..." on stderr
  local code=$1 what=$2; shift 2
  "$BIN" --db "$DB" "$@" >"$T/out" 2>"$T/err"
  local rc=$?
  if [ $rc -eq "$code" ] && [ "$(wc -l <"$T/err")" -eq 1 ] && grep -q '^tsunagu: ' "$T/err"; then
    ok "$what (exit $code: $(cat "$T/err"))"
  else
    bad "$what: exit $rc, stderr: $(cat "$T/err")"
  fi
}
expect 2 "coverage --minutes 0" coverage --minutes 0 --kind consultation
expect 2 "coverage --minutes abc" coverage --minutes abc
expect 2 "coverage --minutes 181" coverage --minutes 181
expect 2 "coverage --speed 500" coverage --speed 500
expect 2 "coverage --field nothing" coverage --field nothing
expect 2 "coverage --level 'Bad Level'" coverage --level "Bad Level"
expect 2 "coverage --json --csv" coverage --json --csv
expect 2 "coverage --bogus" coverage --bogus
expect 3 "coverage of a level not imported" coverage --level chiku --kind consultation
expect 2 "suggest --sites 0" suggest --sites 0 --kind consultation
expect 2 "suggest --sites 51" suggest --sites 51 --kind consultation
expect 3 "suggest with an unknown candidate kind" suggest --kind consultation --candidates school
expect 2 "route without a start" route --households H0001
expect 2 "route without households" route --start-lon 136.95 --start-lat 34.95
expect 2 "route with households and district" route --start-lon 136.95 --start-lat 34.95 --households H0001 --district E05
expect 2 "route --dwell 300" route --start-lon 136.95 --start-lat 34.95 --households H0001 --dwell 300
expect 2 "route --day-minutes 10" route --start-lon 136.95 --start-lat 34.95 --households H0001 --day-minutes 10
expect 2 "route --start-time 25:00" route --start-lon 136.95 --start-lat 34.95 --households H0001 --start-time 25:00
expect 2 "route --need unknown" route --start-lon 136.95 --start-lat 34.95 --district E05 --need nothing
expect 2 "route start off the map" route --start-lon 2.0 --start-lat 42.5 --households H0001
expect 3 "route with unknown households" route --start-lon 136.9466477 --start-lat 34.9592373 --households H0001,ZZ-NOT-1,ZZ-NOT-2
check "unknown households are counted, never named" grep -qx "tsunagu: 2 of the requested households are not known" "$T/err"
check "the message names no household" sh -c "! grep -q 'H0001\|ZZ-NOT' '$T/err'"
expect 3 "route in a district that does not exist" route --start-lon 136.9466477 --start-lat 34.9592373 --district nowhere

# ---- hostile names in tables and CSV (issue 10 item 9) ----
# A resource named as a spreadsheet formula and a district whose name holds a
# terminal escape: every table and CSV shows them inert (\x1b, a leading ').
cp "$DB" "$T/hostile.db"
jq '.features |= [.[0] | .properties.id = "R999" | .properties.name = "=HYPERLINK(\"http://evil.example\",\"x\")"]' \
  "$DATA/town_resources.geojson" >"$T/hostile_res.geojson"
jq '.features |= map(.properties.code = ("\u001b[31m" + .properties.code) | .properties.name = ("\u001b[31m" + .properties.name + "\u001b[0m"))' \
  "$DATA/town_districts_elementary.geojson" >"$T/hostile_dist.geojson"
H() { "$BIN" --db "$T/hostile.db" "$@" >"$T/out" 2>"$T/err"; }
H import resources "$T/hostile_res.geojson" --source hostile
check "hostile resource imported" test $? -eq 0
H import districts "$T/hostile_dist.geojson" --level hostile --source hostile_d
check "hostile districts imported" test $? -eq 0
ESC=$(printf '\033')
clean() { ! grep -q "$ESC" "$T/out"; }
H walk --lon 136.9466477 --lat 34.9592373 --minutes 60 --kind consultation
check "walk table: the formula is defused" grep -qF "'=HYPERLINK(" "$T/out"
check "walk table: no line starts a formula" sh -c "! grep -q '^ *[0-9.]* *[0-9]*  consultation *[a-z,]* *=' '$T/out'"
H coverage --minutes 30 --level hostile --kind consultation
check "coverage table: no escape byte reaches the terminal" clean
check "coverage table: the escape is shown as \\x1b" grep -qF '\x1b[31m' "$T/out"
check "coverage table: the formula is defused" grep -qF "'=HYPERLINK(" "$T/out"
H coverage --minutes 30 --level hostile --kind consultation --csv
check "coverage --csv: no escape byte" clean
check "coverage --csv: the escape is shown as \\x1b" grep -qF '\x1b[31m' "$T/out"
check "coverage --csv: one line per district and the total (no forged rows)" test "$(wc -l <"$T/out")" -eq 8
H info
check "info: no escape byte" clean

echo "cli_plan: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
