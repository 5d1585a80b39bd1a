#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_needs.sh - indicators and `tsunagu needs` on the real program and
# server: `import population` keeps every numeric column, `import
# statistics` joins an e-Stat small-area CSV (the hand-written fixture in
# e-Stat's layout, CP932, two header rows) by KEY_CODE and refuses bad
# files leaving the database unchanged; `needs` per district (table, --json,
# --csv), the demo town's deliberately under-identified district (E04) is
# flagged and no other; GET /api/needs is for officials and admins only;
# and an official who asks every level, need tag and indicator, with
# coverage beside, can count no household figure below 5 (needs_solve.mjs).
# The real 生駒市 census areas when ../shared/data is there.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
SHARED=${TSUNAGU_SHARED:-$SRC/../shared/data}
. "$(dirname "$0")/lib.sh"
passes=0 fails=0
tl_need curl jq node sqlite3
tl_scratch
DB=$T/demo.db
tl_demo_db "$DB"
FX=$SRC/tests/data/estat_small_area_handwritten.csv

# 1. indicators from the population file
check "import population keeps the demo's numeric columns as indicators" \
  test "$(sqlite3 "$DB" "SELECT group_concat(name, ',') FROM (SELECT DISTINCT name FROM area_indicators ORDER BY name)")" = \
  "0〜14歳人口,65歳以上人口,75歳以上人口,households,residents,母子世帯,高齢単身世帯"
check "... one value per area and column (22 areas x 7)" \
  test "$(sqlite3 "$DB" "SELECT COUNT(*) FROM area_indicators")" = 154

# 2. e-Stat statistics
cp "$DB" "$T/before.db"
out=$("$BIN" --db "$DB" import statistics "$FX" 2>&1)
check "import statistics reads the CP932 fixture with its names row ($out)" \
  grep -q "imported 84 indicator values .* 4 columns named by e-Stat's second row; 21 of 23 rows .* 4 values secret" <<<"$out"
check "e-Stat's own column names are the indicators' names" \
  test "$(sqlite3 "$DB" "SELECT code || '=' || name FROM area_indicators WHERE code = 'T001082019' LIMIT 1")" = "T001082019=総数６５歳以上"
check "'-' is a true zero" test "$(sqlite3 "$DB" "SELECT value FROM area_indicators i JOIN areas a ON a.id = i.area WHERE a.code = 'T09' AND i.code = 'T001082017'")" = 0.0
check "'X' (secret) is no value" test "$(sqlite3 "$DB" "SELECT COUNT(*) FROM area_indicators i JOIN areas a ON a.id = i.area WHERE a.code = 'T05' AND i.code LIKE 'T0010%'")" = 0
sum0=$(sqlite3 "$T/before.db" "SELECT COUNT(*) FROM area_indicators")
"$BIN" --db "$T/before.db" import statistics "$FX" --key CODE >"$T/o" 2>&1
check "a missing --key column is refused naming it" grep -q "has no key column CODE; name it with --key" "$T/o"
iconv -f CP932 -t UTF-8 "$FX" | tr -d '\r' | sed '5s/,[0-9]*$/,12a/' >"$T/bad.csv"
"$BIN" --db "$T/before.db" import statistics "$T/bad.csv" >"$T/o" 2>&1
check "a value that is not a number is refused with line and column" grep -q "bad.csv line 5, column T001082017: the value is not a number" "$T/o"
sed 's/^T\([0-9]\)/Z\1/' "$T/bad.csv" >"$T/none.csv"
"$BIN" --db "$T/before.db" import statistics "$T/none.csv" >"$T/o" 2>&1
check "a file matching no small area is refused" grep -q "no row's key matches the code of an imported small area" "$T/o"
check "... and the database is unchanged" test "$(sqlite3 "$T/before.db" "SELECT COUNT(*) FROM area_indicators")" = "$sum0"
"$BIN" --db "$DB" import population "$SRC/data/town_population.geojson" --source town_population.geojson >/dev/null
check "re-importing the areas drops the old areas' values" \
  test "$(sqlite3 "$DB" "SELECT COUNT(*) FROM area_indicators WHERE area NOT IN (SELECT id FROM areas)")" = 0
"$BIN" --db "$DB" import statistics "$FX" >/dev/null

# 3. needs
"$BIN" --db "$DB" needs --level elementary --need 高齢独居 --per 高齢単身世帯 --csv >"$T/needs.csv"
check "needs --csv: 6 districts and the total" test "$(wc -l <"$T/needs.csv")" = 8
check "the under-identified district E04 is flagged, and only it" \
  test "$(awk -F, '$NF == "yes" {print $1}' "$T/needs.csv" | tr '\n' ,)" = "E04,"
"$BIN" --db "$DB" needs --level elementary --need elderly_alone --per 高齢単身世帯 --json >"$T/needs.json" 2>&1 ||
  "$BIN" --db "$DB" needs --level elementary --need 高齢独居 --per 高齢単身世帯 --json >"$T/needs.json"
check "needs --json: E04's test (known < half of expected, p < 0.05)" \
  jq -e '.districts[] | select(.code == "E04") | .under_identified and .p_value < 0.05 and (.needs["高齢独居"] < .expected / 2)' "$T/needs.json"
check "indicators are summed over the areas of each district (total = the file's)" \
  jq -e '.total.indicators.residents == 15000 and ([.districts[].indicators.residents] | add) == 15000' "$T/needs.json"
"$BIN" --db "$DB" needs --level elementary --need 高齢独居 --per nothing >"$T/o" 2>&1
check "an unknown --per names the indicators there are" grep -q "no indicator is named 'nothing'; the small areas carry: 0〜14歳人口" "$T/o"
"$BIN" --db "$DB" needs --level elementary --per residents >"$T/o" 2>&1
check "--per without --need is refused" grep -q "per goes with --need" "$T/o"
check "per accepts e-Stat's name written with ASCII digits" \
  "$BIN" --db "$DB" needs --level elementary --need 高齢独居 --per 総数65歳以上 --csv

# 4. the API: roles
OFF=$("$BIN" --db "$DB" user add sato --role official 2>/dev/null)
COO=$("$BIN" --db "$DB" user add ito --role coordinator --agency 社協 2>/dev/null)
"$BIN" --db "$DB" serve --port 0 --threads 2 >"$T/srv.out" 2>"$T/srv.err" &
SRV=$!
PORT=$(tl_port "$T/srv.out" "$SRV")
B=http://127.0.0.1:$PORT
check "GET /api/needs anonymous: 401" test "$(curl -s -o /dev/null -w '%{http_code}' "$B/api/needs?level=elementary")" = 401
check "... coordinator: 403" test "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $COO" "$B/api/needs?level=elementary")" = 403
curl -s -H "Authorization: Bearer $OFF" "$B/api/needs?level=elementary&need=高齢独居&per=高齢単身世帯" >"$T/api.json"
check "... official: the answer with E04 flagged" jq -e '.districts[] | select(.code == "E04") | .under_identified' "$T/api.json"
check "... small counts read <5 or null, never 1-4" \
  jq -e '[.. | numbers] as $n | [.districts[], .total] | all(.households | (type != "number" or . == 0 or . >= 5))' "$T/api.json"
"$BIN" --db "$DB" needs --level elementary --need 高齢独居 --per 高齢単身世帯 --json --official >"$T/cli_off.json"
check "the CLI's --official answer is the API's" test "$(jq -S -c . "$T/cli_off.json")" = "$(jq -S -c . "$T/api.json")"

# 5. the attacker: every level, tag and indicator, coverage beside
qs=()
for l in elementary junior_high ""; do
  qs+=("/api/needs${l:+?level=$l}" "/api/coverage?kind=consultation&minutes=30${l:+&level=$l}")
  for t in $("$BIN" --db "$DB" needs --json | jq -r '.tags[] | @uri'); do
    qs+=("/api/needs?need=$t${l:+&level=$l}" "/api/needs?need=$t&per=residents${l:+&level=$l}")
  done
done
: >"$T/att.jsonl"
for q in "${qs[@]}"; do
  curl -s -H "Authorization: Bearer $OFF" "$B$q" | jq -c --arg q "$q" '{q: $q, a: .}' >>"$T/att.jsonl"
done
check "the attacker got every answer (${#qs[@]})" test "$(jq -s "[.[] | select(.a.total)] | length" "$T/att.jsonl")" = "${#qs[@]}"
echo '{"junior_high:J01": ["elementary:E01","elementary:E02","elementary:E03"], "junior_high:J02": ["elementary:E04","elementary:E05","elementary:E06"]}' >"$T/nests.json"
if node "$SRC/tests/needs_solve.mjs" "$T/att.jsonl" "$T/nests.json" >"$T/solve"; then
  ok "no household figure below 5 can be counted ($(head -1 "$T/solve"))"
else
  bad "the attacker counted something:"; sed 's/^/    /' "$T/solve"
fi
# 6. equipment (public)
"$BIN" --db "$DB" equipment --level elementary --kind 子ども食堂,consultation --csv >"$T/eq.csv"
check "equipment: cafeterias per district add up to the store's count" \
  test "$(awk -F, '$2 == "total" {print $4}' "$T/eq.csv")" = "$(sqlite3 "$DB" "SELECT COUNT(*) FROM resources WHERE kind = 'cafeteria'")"
check "equipment: E05 and E06 have no consultation desk (ある/なし)" \
  test "$(awk -F, '$1 ~ /^E/ && $6 == 0 {print $1}' "$T/eq.csv" | tr '\n' ,)" = "E05,E06,"
curl -s "$B/api/equipment?level=elementary&kind=consultation&minutes=30" >"$T/eq.json"
check "GET /api/equipment is public, with the reach within 30 min" \
  jq -e '.minutes == 30 and (.districts | length) == 6 and .total.resources.consultation == 8 and (.districts[] | select(.code == "E05") | .none == ["consultation"])' "$T/eq.json"
check "... an unknown kind word is refused (400)" \
  test "$(curl -s -o /dev/null -w '%{http_code}' "$B/api/equipment?level=elementary&kind=Bad%20Kind")" = 400
kill -TERM "$SRV"; wait "$SRV"; SRV=

# 7. real 生駒市 census areas
if [ -d "$SHARED/ikoma" ]; then
  R=$T/ikoma.db
  "$BIN" --db "$R" import districts --level elementary "$SHARED/ikoma/A27-23_29.shp" --municipality 29209 >/dev/null
  "$BIN" --db "$R" import population "$SHARED/ikoma/r2ka29209.topojson" --layer town >/dev/null
  check "生駒市: the census file's numeric columns are indicators (JINKO, SETAI, KBSUM, AREA)" \
    test "$(sqlite3 "$R" "SELECT group_concat(name) FROM (SELECT DISTINCT name FROM area_indicators ORDER BY name)")" = "AREA,JINKO,KBSUM,SETAI"
  "$BIN" --db "$R" needs --level elementary --csv >"$T/ik.csv"
  check "生駒市: needs per elementary district sums 116,675 residents (JINKO)" \
    test "$(awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == "JINKO") c = i} $2 == "total" {print $c}' "$T/ik.csv")" = 116675
else
  echo "SKIP: $SHARED/ikoma is absent (real 生駒市 checks)"
fi
echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
