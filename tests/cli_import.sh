#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_import.sh - drives the real `tsunagu import` on the real 生駒市 files and
# checks, with GDAL's own reading of the same files as the reference:
#   - counts (12 elementary, 8 junior-high districts, 207 P14 facilities,
#     123 census areas with 116,675 residents);
#   - positions: each district centroid and each facility within 1 m of
#     GDAL's reading after the round trip through the database;
#   - `ogrinfo` lists the database's layers;
#   - bad inputs exit non-zero with one sentence and leave the database
#     exactly as it was (`sqlite3 .dump` before and after).
set -u
BIN=${TSUNAGU_BIN:?}
SHARED=${TSUNAGU_SHARED:-}
. "$(dirname "$0")/lib.sh"

if [ -z "$SHARED" ] || [ ! -f "$SHARED/ikoma/A27-23_29.shp" ]; then
  echo "SKIP: ../shared/data is absent; cli_import.sh needs the real open data"
  exit 77
fi
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
DB=$T/ikoma.db
I=$SHARED/ikoma
run() { "$BIN" --db "$DB" "$@" >"$T/out" 2>"$T/err"; }

run import districts --level elementary "$I/A27-23_29.shp" --municipality 29209
check "A27 imports (exit 0)" test $? -eq 0
check "A27: 12 elementary districts" grep -q "imported 12 districts" "$T/out"
check "CRS fixed to zone VI" grep -q "EPSG:6674" "$T/out"
run import districts --level junior_high "$I/A32-23_29.shp" --municipality 29209
check "A32: 8 junior-high districts" grep -q "imported 8 districts" "$T/out"
run import resources "$I/P14-15_29.shp" --s-srs EPSG:4612 --municipality 生駒市
check "P14: 207 facilities" grep -q "imported 207 resources" "$T/out"
run import population "$I/r2ka29209.topojson" --layer town
check "census: 123 areas" grep -q "imported 123 population areas" "$T/out"

sum=$(sqlite3 "$DB" "SELECT SUM(residents) || ',' || SUM(households) FROM areas")
check "census sums 116675 residents, 47666 households" test "$sum" = "116675,47666"

layers=$(ogrinfo -ro -q "$DB" 2>/dev/null)
for l in districts resources households areas net_nodes net_edges; do
  check "ogrinfo lists layer $l" grep -q "$l" <<<"$layers"
done

# Largest distance in metres between two lon/lat lists joined on column 1.
maxdist() {
  awk -F, 'NR==FNR { x[$1]=$2; y[$1]=$3; next }
    ($1 in x) { n++; dl=($2-x[$1])*cos($3*3.14159265/180)*111320; dp=($3-y[$1])*110574;
                d=sqrt(dl*dl+dp*dp); if (d>m) m=d }
    END { printf "%d %.4f\n", n, m }' "$1" "$2"
}
# Districts: GDAL reads the source; the database is read back through GDAL's
# SQLite dialect with SpatiaLite's ST_Transform to WGS84.
ogr2ogr -f CSV /vsistdout/ "$I/A27-23_29.shp" -dialect SQLite \
  -sql "SELECT A27_003 AS code, ST_X(ST_Centroid(geometry)) AS x, ST_Y(ST_Centroid(geometry)) AS y FROM \"A27-23_29\" WHERE A27_001 = '29209'" \
  | tail -n +2 | tr -d '"' >"$T/src.csv"
ogr2ogr -f CSV /vsistdout/ "$DB" \
  -sql "SELECT code, ST_X(ST_Transform(ST_Centroid(geom), 4326)) AS x, ST_Y(ST_Transform(ST_Centroid(geom), 4326)) AS y FROM districts WHERE level = 'elementary'" \
  | tail -n +2 | tr -d '"' >"$T/db.csv"
read -r n m <<<"$(maxdist "$T/src.csv" "$T/db.csv")"
echo "# elementary centroids compared: $n, largest difference ${m} m"
check "12 district centroids within 1 m of GDAL's" awk -v n="$n" -v m="$m" 'BEGIN{exit !(n==12 && m<1.0)}'

player=$(ogrinfo -ro -q "$I/ikoma_P14-15_welfare_facilities.geojson" | sed -n 's/^1: \(.*\) (.*/\1/p')
ogr2ogr -f CSV /vsistdout/ "$I/ikoma_P14-15_welfare_facilities.geojson" -dialect SQLite \
  -sql "SELECT P14_007 || '|' || P14_003 AS k, ST_X(geometry) AS x, ST_Y(geometry) AS y FROM \"$player\"" \
  | tail -n +2 | tr -d '"' >"$T/fsrc.csv"
ogr2ogr -f CSV /vsistdout/ "$DB" \
  -sql "SELECT name || '|' || address AS k, ST_X(ST_Transform(geom, 4326)) AS x, ST_Y(ST_Transform(geom, 4326)) AS y FROM resources" \
  | tail -n +2 | tr -d '"' >"$T/fdb.csv"
read -r n m <<<"$(maxdist "$T/fsrc.csv" "$T/fdb.csv")"
echo "# facilities compared: $n, largest difference ${m} m"
check "facilities within 1 m of GDAL's (>= 200 matched by name+address)" \
  awk -v n="$n" -v m="$m" 'BEGIN{exit !(n>=200 && m<1.0)}'

# ---- bad inputs: one sentence, non-zero exit, database unchanged ----
printf 'id,lon,lat,members,needs,consent,agency\nH1,135.70,34.69,1,孤立,yes,A\nH2,135.70,abc,1,孤立,yes,A\n' >"$T/badrow.csv"
printf '' >"$T/empty.geojson"
printf 'hello\n' >"$T/unknown.xyz"
printf '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"p"},"geometry":{"type":"Point","coordinates":[135.7,34.7]}}]}' >"$T/point.geojson"
printf '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"x"},"geometry":{"type":"Point","coordinates":[-70.0,-30.0]}}]}' >"$T/chile.geojson"
printf '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"x"},"geometry":null}]}' >"$T/nogeom.geojson"
cases=(
  "missing file|import resources $T/none.geojson|no such file"
  "unknown format|import resources $T/unknown.xyz|not a vector format"
  "empty file|import resources $T/empty.geojson|empty"
  "no geometry|import resources $T/nogeom.geojson|has no geometry"
  "wrong geometry type|import districts --level elementary $T/point.geojson|need polygons"
  "outside Japan|import resources $T/chile.geojson|outside the database's area"
  "undeclared CRS|import resources $I/P14-15_29.shp|--s-srs"
  "malformed CSV coordinate|import households $T/badrow.csv|badrow.csv line 3"
  "unknown import kind|import parks $T/point.geojson|not something tsunagu imports"
  "unknown option|import resources --colour red $T/point.geojson|unknown option"
)
for c in "${cases[@]}"; do
  IFS='|' read -r name args needle <<<"$c"
  before=$(sqlite3 "$DB" .dump | sha256sum)
  # shellcheck disable=SC2086
  "$BIN" --db "$DB" $args >"$T/out" 2>"$T/err"; rc=$?
  after=$(sqlite3 "$DB" .dump | sha256sum)
  lines=$(grep -c . "$T/err")
  if [ "$rc" -ne 0 ] && grep -q -- "$needle" "$T/err" && [ "$before" = "$after" ]; then
    ok "bad input: $name -> exit $rc: $(grep -m1 tsunagu: "$T/err")"
  else
    bad "bad input: $name (exit $rc, stderr: $(cat "$T/err"), unchanged: $([ "$before" = "$after" ] && echo yes || echo no))"
  fi
  check "bad input: $name gives one sentence" grep -q '^tsunagu: ' "$T/err"
  [ "$lines" -ge 1 ] || bad "bad input: $name printed nothing"
done
# Household values never appear in messages.
check "household coordinates not echoed" bash -c "! $BIN --db $DB import households $T/badrow.csv 2>&1 | grep -q abc"

# ---- schema migration: a version-1 database (no candidates layer) is
# migrated forward on open; a newer schema is refused, not damaged ----
MDB=$T/v1.db
cp "$DB" "$MDB"
sqlite3 "$MDB" -cmd "SELECT load_extension('mod_spatialite');" \
  "SELECT DisableSpatialIndex('candidates', 'geom'); SELECT DiscardGeometryColumn('candidates', 'geom');
   DROP TABLE idx_candidates_geom; DROP TABLE candidates; PRAGMA user_version = 1;" >/dev/null 2>&1
check "downgraded copy is version 1 without candidates" \
  test "$(sqlite3 "$MDB" "PRAGMA user_version; SELECT COUNT(*) FROM sqlite_master WHERE name = 'candidates'" | tr '\n' ,)" = "1,0,"
printf '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"C1","name":"北小学校","kind_hint":"consultation"},"geometry":{"type":"Point","coordinates":[135.70,34.70]}}]}' >"$T/cand.geojson"
"$BIN" --db "$MDB" import candidates "$T/cand.geojson" >"$T/out" 2>"$T/err"
check "import into a version-1 database migrates it and lands" grep -q "imported 1 candidate sites" "$T/out"
check "migrated to the current version (5) with a registered candidates layer" \
  test "$(sqlite3 "$MDB" "PRAGMA user_version; SELECT COUNT(*) FROM geometry_columns WHERE f_table_name = 'candidates'" | tr '\n' ,)" = "6,1,"
check "resources untouched by the migration" test "$(sqlite3 "$MDB" "SELECT COUNT(*) FROM resources")" = 207
sqlite3 "$MDB" "PRAGMA user_version = 99"
before=$(sqlite3 "$MDB" .dump | sha256sum)
"$BIN" --db "$MDB" info >"$T/out" 2>"$T/err"; rc=$?
check "a newer schema is refused with a sentence" bash -c "[ $rc -ne 0 ] && grep -q 'schema version 99' '$T/err'"
"$BIN" --db "$MDB" import candidates "$T/cand.geojson" >"$T/out" 2>"$T/err"; rc=$?
check "a newer schema is not written to" bash -c "[ $rc -ne 0 ] && [ '$before' = '$(sqlite3 "$MDB" .dump | sha256sum)' ]"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
