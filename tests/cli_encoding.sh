#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_encoding.sh - text encodings of real office files, end to end (issue 10
# item 8). Files are made here with iconv from UTF-8 text: CP932 (Excel's
# default in Japan) resource and household CSVs with Japanese names and need
# tags, CP932 GeoJSON (表 and ソ carry 0x5C, JSON's backslash, as their second
# byte), EUC-JP and UTF-16 CSVs, a UTF-8 CSV with Excel's byte order mark,
# and broken text. Checks: what lands in the database is the same UTF-8 text
# (sqlite3), the server then answers /api/resources and OGC items with it
# (before the fix: 503 "out of memory" for everyone), --encoding is obeyed,
# and invalid text is refused with file, line and field - never the value -
# leaving the database unchanged. The real P14 .dbf (CP932, no .cpg) is read
# when ../shared/data is there.
set -u
BIN=${TSUNAGU_BIN:?}
SHARED=${TSUNAGU_SHARED:-}
. "$(dirname "$0")/lib.sh"
tl_scratch
DB=$T/enc.db
run() { "$BIN" --db "$DB" "$@" >"$T/out" 2>"$T/err"; }
dump() { sqlite3 "$DB" .dump | md5sum; }

cat >"$T/res.csv" <<'EOF'
id,name,kind,address,lon,lat
R1,表示相談センター,相談窓口,駅前通り1-2,136.95,34.95
R2,ソフト①㈱サロン,サロン,ｱｲｳ町3,136.951,34.951
EOF
iconv -f UTF-8 -t CP932 "$T/res.csv" >"$T/res_sj.csv"
cmp -s "$T/res.csv" "$T/res_sj.csv" && bad "iconv made a different file"

run import resources "$T/res_sj.csv"
check "CP932 CSV (detected) imports" test $? -eq 0
names=$(sqlite3 "$DB" "SELECT group_concat(name, '|') FROM resources ORDER BY ext_id")
check "names stored as UTF-8 text" test "$names" = "表示相談センター|ソフト①㈱サロン"
check "Japanese kinds recognised" test "$(sqlite3 "$DB" "SELECT group_concat(kind) FROM resources ORDER BY ext_id")" = "consultation,salon"
check "the whole database is valid UTF-8 (sqlite3 .dump | iconv)" sh -c "sqlite3 '$DB' .dump | iconv -f UTF-8 -t UTF-8 >/dev/null"

# The server answers with the text (before the fix: 503 for everyone).
"$BIN" --db "$DB" serve --port 0 --quiet >"$T/srv" 2>"$T/srv.err" &
SRV=$!
PORT=$(tl_port "$T/srv" "$SRV")
if [ -z "$PORT" ]; then
  bad "server started"
else
  code=$(curl -s -o "$T/r.json" -w '%{http_code}' "http://127.0.0.1:$PORT/api/resources")
  check "/api/resources answers 200 after a CP932 import" test "$code" = 200
  check "/api/resources carries the UTF-8 name" grep -q "表示相談センター" "$T/r.json"
  code=$(curl -s -o "$T/o.json" -w '%{http_code}' "http://127.0.0.1:$PORT/ogc/collections/resources/items")
  check "OGC items answer 200" test "$code" = 200
  check "OGC items carry ①㈱" grep -q "ソフト①㈱サロン" "$T/o.json"
  kill -TERM "$SRV"
  wait "$SRV"
  SRV=
fi

run import resources "$T/res_sj.csv" --encoding Shift_JIS --source given
check "--encoding Shift_JIS is taken for CSV" test $? -eq 0
check "... same names" test "$(sqlite3 "$DB" "SELECT count(*) FROM resources WHERE source='given' AND name IN ('表示相談センター','ソフト①㈱サロン')")" = 2

before=$(dump)
run import resources "$T/res_sj.csv" --encoding UTF-8 --source wrong
check "--encoding UTF-8 on a CP932 file: exit 2" test $? -eq 2
check "... names line 2 and field name" grep -q "res_sj.csv line 2, field name: the text is not valid UTF-8" "$T/err"
check "... database unchanged" test "$(dump)" = "$before"
run import resources "$T/res_sj.csv" --encoding KLINGON --source wrong
check "unknown --encoding: exit 2 with a sentence" grep -q "not an encoding this system can read" "$T/err"

# Households: Japanese need tags and agencies in CP932.
cat >"$T/hh.csv" <<'EOF'
id,lon,lat,members,needs,consent,agency
H0001,136.9466,34.9592,4,要介護;ヤングケアラー,yes,子ども家庭課
H0002,136.9693,34.9475,1,高齢独居;認知症,同意,地域包括支援センター
EOF
iconv -f UTF-8 -t CP932 "$T/hh.csv" >"$T/hh_sj.csv"
run import households "$T/hh_sj.csv"
check "CP932 households with need tags import" test $? -eq 0
check "need tags stored as UTF-8" test "$(sqlite3 "$DB" "SELECT group_concat(needs, '|') FROM households ORDER BY ext_id")" = "要介護;ヤングケアラー|高齢独居;認知症"
check "agency stored as UTF-8" test "$(sqlite3 "$DB" "SELECT agency FROM households WHERE ext_id='H0002'")" = "地域包括支援センター"

# One byte that is not CP932 on line 4 (0x85 0x40 is unassigned).
cp "$T/hh_sj.csv" "$T/hh_bad.csv"
printf 'H0003,136.95,34.95,2,\x8d\x82\x97\xee\x93\xc6\x8b\x8f\x85\x40,yes,x\n' >>"$T/hh_bad.csv"
before=$(dump)
run import households "$T/hh_bad.csv" --source bad
check "invalid CP932 (detected): exit 2" test $? -eq 2
check "... names line 4, column 5 (needs)" grep -q "hh_bad.csv line 4, column 5 (needs): the text is not valid CP932" "$T/err"
run import households "$T/hh_bad.csv" --encoding CP932 --source bad
check "invalid CP932 (--encoding): line 4, column 5 (needs)" grep -q "hh_bad.csv line 4, column 5 (needs): the text is not valid CP932" "$T/err"
check "... never the value or an id" sh -c "! grep -q -e H0003 -e 高齢 '$T/err'"
check "... database unchanged" test "$(dump)" = "$before"

# Broken UTF-8: a surrogate in an otherwise UTF-8 file.
printf 'id,name,lon,lat\nR1,ab\xed\xa0\x80c,136.95,34.95\nR2,あいうえおかきくけこ,136.95,34.95\n' >"$T/broken.csv"
run import resources "$T/broken.csv"
check "a UTF-16 surrogate in UTF-8: exit 2, line 2, field name" grep -q "broken.csv line 2, field name: the text is not valid UTF-8" "$T/err"
check "... database unchanged" test "$(dump)" = "$before"

# Excel's UTF-8 with a byte order mark: the first column is still 'id'.
printf '\xef\xbb\xbf' | cat - "$T/res.csv" >"$T/res_bom.csv"
run import resources "$T/res_bom.csv"
check "UTF-8 CSV with a BOM imports" test $? -eq 0
check "... its first column is id" test "$(sqlite3 "$DB" "SELECT group_concat(ext_id) FROM resources WHERE source='res_bom.csv' ORDER BY ext_id")" = "R1,R2"
run import resources "$T/res_bom.csv" --encoding CP932 --source bomcp
check "a BOM with --encoding CP932 is refused" grep -q "byte order mark" "$T/err"

# UTF-16 with a BOM (Excel's "Unicode text") and EUC-JP.
iconv -f UTF-8 -t UTF-16 "$T/res.csv" >"$T/res_u16.csv"
run import resources "$T/res_u16.csv"
check "UTF-16 CSV imports" test "$(sqlite3 "$DB" "SELECT count(*) FROM resources WHERE source='res_u16.csv' AND name='表示相談センター'")" = 1
printf 'id,name,lon,lat\nR1,高齢者相談窓口あいうえお,136.95,34.95\n' | iconv -f UTF-8 -t EUC-JP >"$T/res_euc.csv"
run import resources "$T/res_euc.csv"
check "EUC-JP CSV (detected) imports" test "$(sqlite3 "$DB" "SELECT name FROM resources WHERE source='res_euc.csv'")" = "高齢者相談窓口あいうえお"

# GeoJSON in CP932: 表 is 95 5C, a backslash to a JSON parser.
cat >"$T/res.geojson" <<'EOF'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"G1","name":"表示ソフト窓口","kind":"相談窓口"},"geometry":{"type":"Point","coordinates":[136.95,34.95]}}]}
EOF
iconv -f UTF-8 -t CP932 "$T/res.geojson" >"$T/res_sj.geojson"
run import resources "$T/res_sj.geojson"
check "CP932 GeoJSON (detected) imports" test "$(sqlite3 "$DB" "SELECT name FROM resources WHERE source='res_sj.geojson'")" = "表示ソフト窓口"
run import resources "$T/res_sj.geojson" --encoding CP932 --source gj2
check "CP932 GeoJSON (--encoding) imports" test "$(sqlite3 "$DB" "SELECT name FROM resources WHERE source='gj2'")" = "表示ソフト窓口"

# A shapefile .dbf in CP932 with its .cpg, written by GDAL from UTF-8.
ogr2ogr -q -f "ESRI Shapefile" -lco ENCODING=CP932 "$T/shp" "$T/res.geojson" 2>/dev/null
if [ -f "$T/shp/res.dbf" ]; then
  run import resources "$T/shp/res.shp"
  check ".dbf in CP932 with .cpg imports" test "$(sqlite3 "$DB" "SELECT name FROM resources WHERE source='res.shp'")" = "表示ソフト窓口"
  rm -f "$T/shp/res.cpg"
  printf '\x00' | dd of="$T/shp/res.dbf" bs=1 seek=29 conv=notrunc 2>/dev/null
  run import resources "$T/shp/res.shp" --source nocpg
  check ".dbf in CP932 without .cpg or language id (detected) imports" test "$(sqlite3 "$DB" "SELECT name FROM resources WHERE source='nocpg'")" = "表示ソフト窓口"
else
  bad "ogr2ogr wrote a CP932 shapefile"
fi

# A file name in CP932 bytes (an archive unpacked on Linux) and a CP932
# agency typed into a Shift_JIS terminal: nothing invalid is stored.
cp "$T/res.csv" "$T/$(printf 'r\x82\xa0.csv')"
run import resources "$T/$(printf 'r\x82\xa0.csv')"
check "a CP932 file name: imports, key and log as 'r??.csv'" \
  test "$(sqlite3 "$DB" "SELECT COUNT(*) FROM resources WHERE source='r??.csv'")/$(sqlite3 "$DB" "SELECT COUNT(*) FROM imports WHERE file LIKE '%/r??.csv'")" = "2/1"
run user add worker1 --role outreach --agency "$(printf '\x92\x6e\x88\xe6')"
check "user add with a CP932 agency: exit 2" grep -q "must be UTF-8 text" "$T/err"
run import resources "$T/res.csv" --source "$(printf 'a\xff')"
check "--source that is not UTF-8: exit 2" grep -q "source must be UTF-8 text" "$T/err"
check "... the whole database is still valid UTF-8" sh -c "sqlite3 '$DB' .dump | iconv -f UTF-8 -t UTF-8 >/dev/null"

# The real P14 .dbf: CP932, no .cpg, language id 0.
if [ -n "$SHARED" ] && [ -f "$SHARED/ikoma/P14-15_29.dbf" ]; then
  run import resources "$SHARED/ikoma/P14-15_29.shp" --s-srs EPSG:4612 --municipality 生駒市
  check "P14 (real CP932 .dbf): 207 facilities of 生駒市" grep -q "imported 207 resources" "$T/out"
  check "P14 names are UTF-8" test "$(sqlite3 "$DB" "SELECT count(*) FROM resources WHERE source='P14-15_29.shp' AND name LIKE '%いこま%'")" -ge 1
else
  echo "skip - P14 (../shared/data absent)"
fi

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
