#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_grouped_levels.sh - levels built from levels on the real program:
#   - `import districts --level daily_life --from-level elementary --group
#     MAP.csv` on the demo town with the hand-written mapping
#     (tests/data/daily_life_groups_handwritten.csv, which says so in its
#     header): one district per group, each the union of its members (area
#     equal to the members' summed area), usable by coverage;
#   - `--dissolve-field F` on a copy of the demo's elementary file whose
#     features carry their group gives the same outlines;
#   - bad mappings (an unknown code, a code mapped twice, districts left in
#     no group, a group with two names, a wrong column count, an unknown
#     --from-level, a union with no area) are refused in one sentence
#     naming the line or the codes, with the database unchanged;
#   - real 生駒市 districts (../shared/data) when present: the 12 elementary
#     districts grouped into junior-high groups by a mapping derived here
#     (which junior-high district holds each elementary district's point on
#     surface, by SpatiaLite), each union's area checked against the source.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
SHARED=${TSUNAGU_SHARED:-$SRC/../shared/data}
. "$(dirname "$0")/lib.sh"
tl_need sqlite3 python3
tl_scratch
DB=$T/demo.db
tl_demo_db "$DB"
MAP=$SRC/tests/data/daily_life_groups_handwritten.csv
sql() { sqlite3 "$1" -cmd "SELECT load_extension('mod_spatialite');" "$2" | tail -n +2; }
# state DB: what a failed import must leave as it was.
state() { sqlite3 "$1" "SELECT (SELECT COUNT(*) FROM districts) || '/' || (SELECT COUNT(*) FROM levels) || '/' || (SELECT COUNT(*) FROM imports)"; }

# 1. the demo town grouped by the hand-written mapping
out=$("$BIN" --db "$DB" import districts --level daily_life --from-level elementary --group "$MAP" 2>&1)
check "grouped level built ($out)" grep -q "built 3 daily_life districts from 6 elementary districts grouped by daily_life_groups_handwritten.csv" <<<"$out"
check "codes and names from the mapping" test "$(sqlite3 "$DB" "SELECT group_concat(code || '=' || name, ' ') FROM (SELECT code, name FROM districts WHERE level = 'daily_life' ORDER BY code)")" = "D01=北・中央圏域 D02=南・川辺圏域 D03=丘・東圏域"
# Each union's area minus its members' summed area (the elementary districts do not overlap).
diffs=$(sql "$DB" "SELECT group_concat(d, ' ') FROM (SELECT ROUND(ST_Area(g.geom) - (SELECT SUM(ST_Area(e.geom)) FROM districts e WHERE e.level = 'elementary' AND e.code IN ('E0' || (2 * CAST(SUBSTR(g.code, 2) AS INTEGER) - 1), 'E0' || (2 * CAST(SUBSTR(g.code, 2) AS INTEGER)))), 0) AS d FROM districts g WHERE g.level = 'daily_life' ORDER BY g.code)")
check "each union's area is its members' summed area ($diffs)" test "$diffs" = "0.0 0.0 0.0"
check "the unions are valid" test "$(sql "$DB" "SELECT MIN(ST_IsValid(geom)) FROM districts WHERE level = 'daily_life'")" = 1
out=$("$BIN" --db "$DB" coverage --level daily_life --kind salon --minutes 10 2>&1)
check "coverage answers per grouped district" test "$(grep -c '圏域' <<<"$out")" = 3
out=$("$BIN" --db "$DB" import districts --level daily_life --from-level elementary --group "$MAP" 2>&1)
check "re-importing the mapping replaces its districts" test "$(sqlite3 "$DB" "SELECT COUNT(*) FROM districts WHERE level = 'daily_life'")" = 3

# 2. --dissolve-field on features that carry their group
python3 - "$SRC/data/town_districts_elementary.geojson" "$T/grp.geojson" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
g = {"E01": "北・中央圏域", "E02": "北・中央圏域", "E03": "南・川辺圏域", "E04": "南・川辺圏域", "E05": "丘・東圏域", "E06": "丘・東圏域"}
for f in d["features"]:
    p = f["properties"]
    p["圏域"] = g[p.get("code") or p.get("A27_003")]
json.dump(d, open(sys.argv[2], "w"), ensure_ascii=False)
PY
out=$("$BIN" --db "$DB" import districts --level dissolved --dissolve-field 圏域 "$T/grp.geojson" 2>&1)
check "dissolve-field builds one district per value ($out)" grep -q "built 3 dissolved districts from 6 features of grp.geojson dissolved by 圏域" <<<"$out"
check "... with the same outlines as the grouped level" test "$(sql "$DB" "SELECT SUM(COALESCE(ST_Area(ST_SymDifference(a.geom, b.geom)), 0) < 0.01) FROM districts a JOIN districts b ON b.level = 'daily_life' AND b.name = a.name WHERE a.level = 'dissolved'")" = 3

# 3. refusals, each one sentence, database unchanged
before=$(state "$DB")
refuse() { # WHAT PATTERN ARGS...: the import fails with PATTERN and changes nothing.
  local what=$1 pat=$2; shift 2
  "$BIN" --db "$DB" import districts "$@" >"$T/o" 2>&1; local rc=$?
  check "$what: refused ($(head -c 160 "$T/o"))" test $rc -ne 0
  check "... in one sentence naming it" grep -q -- "$pat" "$T/o"
  check "... one line" test "$(wc -l <"$T/o")" = 1
  check "... database unchanged" test "$(state "$DB")" = "$before"
}
G="--level dl2 --from-level elementary --group"
(cat "$MAP"; echo "E99,D04,x") >"$T/unknown.csv"
refuse "an unknown code" "unknown.csv: line 8: 'E99' is not a district code of level elementary" $G "$T/unknown.csv"
(cat "$MAP"; echo "E03,D01,北・中央圏域") >"$T/twice.csv"
refuse "a code mapped twice" "twice.csv line 8: code 'E03' is mapped twice (also on line 4)" $G "$T/twice.csv"
grep -v -e '^E02' -e '^E05' "$MAP" >"$T/unmapped.csv"
refuse "unmapped codes" "unmapped.csv: 2 district(s) of level elementary are in no group: E02 (つなぐ中央小学校区), E05 (つなぐ丘小学校区)" $G "$T/unmapped.csv"
sed 's/^E02,D01,.*/E02,D01,別の名前/' "$MAP" >"$T/names.csv"
refuse "a group with two names" "names.csv: group 'D01' is given more than one name" $G "$T/names.csv"
printf 'a,b,c,d\nE01,D01,x,y\n' >"$T/fourcol.csv"
refuse "four columns" "fourcol.csv must have two or three columns" $G "$T/fourcol.csv"
refuse "an unknown --from-level" "from-level nolevel: there is no such district level" --level dl2 --from-level nolevel --group "$MAP"
refuse "--group without --from-level" "from-level and --group go together" --level dl2 --group "$MAP"
cat >"$T/flat.geojson" <<'J'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"a","g":"A"},"geometry":{"type":"Polygon","coordinates":[[[131.30,34.00],[131.31,34.00],[131.31,34.01],[131.30,34.00]]]}},
{"type":"Feature","properties":{"name":"b","g":"B"},"geometry":{"type":"Polygon","coordinates":[[[131.30,34.00],[131.31,34.00],[131.30,34.00],[131.30,34.00]]]}}]}
J
refuse "a union with no area" "flat.geojson: the union of group 'B' (B) is not a valid polygon with area" --level dl2 --dissolve-field g "$T/flat.geojson"
refuse "a missing dissolve field" "grp.geojson has no field 'nofield' (--dissolve-field)" --level dl2 --dissolve-field nofield "$T/grp.geojson"

# 4. real 生駒市 districts
I=$SHARED/ikoma
if [ -f "$I/ikoma_A27-23_elementary_districts.geojson" ]; then
  IDB=$T/ikoma.db
  "$BIN" --db "$IDB" import districts --level elementary "$I/ikoma_A27-23_elementary_districts.geojson" >/dev/null 2>&1 &&
    "$BIN" --db "$IDB" import districts --level junior_high "$I/ikoma_A32-23_juniorhigh_districts.geojson" >/dev/null 2>&1
  check "生駒市 elementary and junior-high districts imported" test $? -eq 0
  { echo "elementary,junior_high,name"
    sql "$IDB" "SELECT e.code || ',' || j.code || ',' || j.name FROM districts e JOIN districts j ON j.level = 'junior_high' AND ST_Contains(j.geom, ST_PointOnSurface(e.geom)) WHERE e.level = 'elementary' ORDER BY e.code"
  } >"$T/ikoma_groups.csv"
  check "the derived mapping puts each of the 12 elementary districts in a group" test "$(wc -l <"$T/ikoma_groups.csv")" = 13
  out=$("$BIN" --db "$IDB" import districts --level daily_life --from-level elementary --group "$T/ikoma_groups.csv" 2>&1)
  check "生駒市: 8 groups of the 12 elementary districts ($out)" grep -q "built 8 daily_life districts from 12 elementary districts" <<<"$out"
  # Each union against the source: its area equals the summed area of the
  # elementary districts the mapping gives it (within 0.01 %), and it covers them.
  bad=$(sql "$IDB" "WITH m AS (SELECT e.code AS ec, j.code AS jc FROM districts e JOIN districts j ON j.level = 'junior_high' AND ST_Contains(j.geom, ST_PointOnSurface(e.geom)) WHERE e.level = 'elementary') SELECT COUNT(*) FROM districts g WHERE g.level = 'daily_life' AND (ABS(ST_Area(g.geom) - (SELECT SUM(ST_Area(e.geom)) FROM districts e JOIN m ON m.ec = e.code WHERE e.level = 'elementary' AND m.jc = g.code)) > 1e-4 * ST_Area(g.geom) OR (SELECT MIN(ST_Covers(ST_Buffer(g.geom, 0.01), e.geom)) FROM districts e JOIN m ON m.ec = e.code WHERE e.level = 'elementary' AND m.jc = g.code) != 1)")
  check "生駒市: every union has its members' area and covers them (mismatches: $bad)" test "$bad" = 0
  check "生駒市: names are the junior-high schools'" test "$(sqlite3 "$IDB" "SELECT name FROM districts WHERE level = 'daily_life' AND code = 'C129210000522'")" = 生駒中学校
  two=$(sqlite3 "$IDB" "SELECT COUNT(*) FROM districts WHERE level = 'daily_life'")
  tail -n +3 "$T/ikoma_groups.csv" | sed '1i elementary,junior_high,name' >"$T/ikoma_short.csv"
  "$BIN" --db "$IDB" import districts --level daily_life --from-level elementary --group "$T/ikoma_short.csv" >"$T/o" 2>&1
  check "生駒市: a mapping missing one district names it" grep -q "1 district(s) of level elementary are in no group: $(sed -n 2p "$T/ikoma_groups.csv" | cut -d, -f1)" "$T/o"
  check "... and the grouped level is as it was" test "$(sqlite3 "$IDB" "SELECT COUNT(*) FROM districts WHERE level = 'daily_life'")" = "$two"
else
  echo "skip - 生駒市 districts not found under $SHARED (real-data part)"
fi
echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
