#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_geocode.sh - addresses end to end with the real program: `import
# addresses` on the real Geolonia town files of 生駒市 and 宇部市 and on the
# hand-written MLIT block-level (CP932) and ABR residence fixtures of
# tests/data; `geocode` (arguments, stdin, --json, exit 3); households and
# resources placed from an address column (stop by default with line
# numbers only and the database unchanged, or --unmatched skip with the
# lines in a file, each row keeping its level); bad reference files with
# one sentence and the database unchanged; GET /api/geocode on the real
# server, whose log never shows the address; the schema 3 -> 4 migration.
set -u
BIN=${TSUNAGU_BIN:?}
SHARED=${TSUNAGU_SHARED:-}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
. "$(dirname "$0")/lib.sh"

if [ -z "$SHARED" ] || [ ! -f "$SHARED/addresses/nara_ikoma_towns.json" ]; then
  echo "SKIP: ../shared/data is absent; cli_geocode.sh needs the real address files"
  exit 77
fi
tl_scratch
DB=$T/a.db
A=$SHARED/addresses
FX=$SRC/tests/data
run() { "$BIN" --db "$DB" "$@" >"$T/out" 2>"$T/err"; }
dump() { sqlite3 "$DB" .dump 2>/dev/null | md5sum; }

# ---- reference imports ----
run import addresses "$A/nara_ikoma_towns.json" --municipality 29209
check "Geolonia 生駒市 by code: 111 towns" grep -q "imported 111 address reference rows .*geolonia-town.*111 town" "$T/out"
run import addresses "$A/yamaguchi_ube_towns.json" --municipality 山口県宇部市
check "Geolonia 宇部市 by name: 286 towns stored" grep -q "imported 286 " "$T/out"
check "宇部市: the 2 towns without a position are reported" grep -q "2 without a town name or position" "$T/out"
run import addresses "$FX/mlit_block_handwritten.csv" --municipality 生駒市
check "MLIT block CSV (CP932): 6 blocks" grep -q "imported 6 .*mlit-block.*6 block" "$T/out"
check "superseded rows (更新前履歴フラグ) skipped" grep -q "2 superseded" "$T/out"
check "another municipality skipped" grep -q "1 in another municipality" "$T/out"
run import addresses "$FX/abr_residence_handwritten.csv"
check "ABR residence CSV: 2 residence numbers" grep -q "abr-residence.*2 residence" "$T/out"
run import addresses "$FX/mlit_block_handwritten.csv" --municipality 生駒市
check "re-importing a source replaces it" test "$(sqlite3 "$DB" "SELECT COUNT(*) FROM address_refs")" = 405

# ---- bad reference files: one sentence, database unchanged ----
before=$(dump)
printf 'a,b\n1,2\n' >"$T/other.csv"
run import addresses "$T/other.csv"
check "unknown CSV layout -> exit 2" test $? -eq 2
check "unknown layout: one sentence" grep -q "is not an address reference tsunagu knows" "$T/err"
run import addresses "$A/nara_ikoma_towns.json"
check "Geolonia without --municipality -> exit 2 naming the option" grep -q -- "--municipality" "$T/err"
printf '"都道府県名","市区町村名","大字・丁目名","小字・通称名","街区符号・地番","座標系番号","Ｘ座標","Ｙ座標","緯度","経度","住居表示フラグ","代表フラグ","更新前履歴フラグ","更新後履歴フラグ"\n"奈良県","生駒市","本町","","1","6","0","0","34.69","135.69","0","1","0","0"\n"奈良県","生駒市","本町","","2","6","0","0","4.69","135.69","0","1","0","0"\n' >"$T/far.csv"
run import addresses "$T/far.csv"
check "a position outside Japan names its line" grep -q "far.csv line 3: the longitude/latitude is not a position in Japan" "$T/err"
printf '"都道府県名","市区町村名","大字・丁目名","小字・通称名","街区符号・地番","座標系番号","Ｘ座標","Ｙ座標","緯度","経度","住居表示フラグ","代表フラグ","更新前履歴フラグ","更新後履歴フラグ"\n"奈良県","生駒市","本町","","1","6","0","0","34.69","135.69","0","1","0","0"\n"奈良県","生駒市\n' >"$T/quote.csv"
run import addresses "$T/quote.csv"
check "an unterminated quote names its line" grep -q "quote.csv line 3: a quoted field is not closed" "$T/err"
printf '\x80\x80\xff\xfe,x\n' >"$T/bin.csv"
run import addresses "$T/bin.csv"
check "neither UTF-8 nor CP932 -> exit 2" test $? -eq 2
check "bad reference files leave the database unchanged" test "$(dump)" = "$before"

# ---- geocode ----
run geocode --json さつき台2-6-1 "生駒市本町9-12-201" "山﨑町１０番地" "西旭ヶ丘1-54" "山口県宇部市草江一丁目6番7号" 山口県宇部市 どこにもない町
check "some unmatched -> exit 3" test $? -eq 3
check "one JSON line per address, in order" test "$(wc -l <"$T/out")" = 7
lv() { sed -n "${1}p" "$T/out" | jq -r .level; }
check "ABR residence level (さつき台2-6-1)" test "$(lv 1)" = residence
check "block level (本町9-12-201)" test "$(lv 2)" = block
check "old kanji and full-width digits (山﨑町１０番地) -> block" test "$(lv 3)" = block
check "town level (西旭ヶ丘1-54 = 西旭ケ丘)" test "$(lv 4)" = town
check "kanji chome (草江一丁目) -> town" test "$(sed -n 5p "$T/out" | jq -r .matched)" = "山口県宇部市草江1丁目"
check "municipality only -> municipality level" test "$(lv 6)" = municipality
check "unmatched: lon/lat/level null" test "$(sed -n 7p "$T/out" | jq -c '[.lon,.lat,.level]')" = "[null,null,null]"
check "JSON keys" test "$(sed -n 1p "$T/out" | jq -c 'keys')" = '["lat","level","lon","matched","precision_m","query"]'
check "residence position from the ABR file" test "$(sed -n 1p "$T/out" | jq -c '[.lon,.lat,.precision_m]')" = "[135.71999,34.67718,15]"
printf '奈良県生駒市元町2-14-8\n生駒市さつき台二丁目6番3号 2F\n' | "$BIN" --db "$DB" geocode --json >"$T/out"
check "stdin lines, all matched -> exit 0" test $? -eq 0
check "stdin: building and floor ignored" test "$(sed -n 2p "$T/out" | jq -r .matched)" = "奈良県生駒市さつき台2丁目6-3"

# ---- households and resources placed from addresses ----
printf 'name,kind,address\n相談センター,consultation,奈良県生駒市元町2-14-8\n' >"$T/res.csv"
run import resources "$T/res.csv" --address-field address
check "resources placed from addresses" grep -q "1 placed from their address" "$T/out"
printf 'id,needs,住所\nH1,要介護,さつき台2-6-1\nH2,要介護,"生駒市本町9-12"\nH3,要介護,どこにもない町1-1\nH4,要介護,西旭ヶ丘1-54\nH5,要介護,存在しない村9\n' >"$T/hh.csv"
before=$(dump)
run import households "$T/hh.csv" --address-field 住所
check "unmatched households stop the import (exit 2)" test $? -eq 2
check "the sentence names the lines" grep -q "2 rows have an address that matches nothing .*(lines 4, 6)" "$T/err"
check "the sentence never quotes an address" bash -c "! grep -q 'どこにもない\|存在しない' '$T/err'"
check "stopped import leaves the database unchanged" test "$(dump)" = "$before"
run import households "$T/hh.csv" --address-field 住所 --unmatched skip
check "--unmatched skip needs --unmatched-file" grep -q -- "--unmatched-file" "$T/err"
run import households "$T/hh.csv" --address-field 住所 --unmatched skip --unmatched-file "$T/um.txt"
check "--unmatched skip imports the rest" grep -q "imported 3 households" "$T/out"
check "the unmatched lines are in the file" test "$(tr '\n' , <"$T/um.txt")" = "line,4,6,"
check "each household keeps its match level" \
  test "$(sqlite3 "$DB" "SELECT group_concat(ext_id || ':' || place_level) FROM (SELECT * FROM households ORDER BY ext_id)")" = "H1:residence,H2:block,H4:town"
check "household output names no address" bash -c "! grep -q 'さつき台\|本町' '$T/out'"

# ---- GET /api/geocode on the real server ----
"$BIN" --db "$DB" serve --port 0 --threads 2 >"$T/srv.out" 2>"$T/srv.err" &
SRV=$!
PORT=$(tl_port "$T/srv.out" "$SRV")
if [ -z "$PORT" ]; then
  bad "the server did not start: $(cat "$T/srv.err")"
else
  U=http://127.0.0.1:$PORT
  Q=$(jq -rn --arg q "生駒市本町9-12" '$q|@uri')
  code=$(curl -s -o "$T/g.json" -w '%{http_code}' "$U/api/geocode?q=$Q")
  check "GET /api/geocode -> 200" test "$code" = 200
  check "GET /api/geocode answers the block" test "$(jq -r .level "$T/g.json")" = block
  check "GET /api/geocode without q -> 400" test "$(curl -s -o /dev/null -w '%{http_code}' "$U/api/geocode")" = 400
  Q=$(jq -rn --arg q "どこにもない町" '$q|@uri')
  check "GET /api/geocode unmatched -> level null" test "$(curl -s "$U/api/geocode?q=$Q" | jq -r .level)" = null
  check "GET /api/geocode not-UTF-8 -> 400" test "$(curl -s -o /dev/null -w '%{http_code}' "$U/api/geocode?q=%FF%FE")" = 400
  kill -TERM "$SRV"; wait "$SRV"; SRV=
  check "the server log has the path" grep -q "GET /api/geocode 200" "$T/srv.err"
  check "the server log never has the address" bash -c "! grep -q 'q=\|本町\|%E' '$T/srv.err'"
fi

# ---- schema 4 -> 5: the reference table and place_level appear ----
M=$T/v4.db
cp "$DB" "$M"
sqlite3 "$M" "DROP TABLE address_refs; ALTER TABLE households DROP COLUMN place_level;
  ALTER TABLE resources DROP COLUMN place_level; PRAGMA user_version = 4;" 2>/dev/null
"$BIN" --db "$M" import addresses "$A/nara_ikoma_towns.json" --municipality 生駒市 >/dev/null 2>&1
check "a version-4 database migrates to 6" test "$(sqlite3 "$M" "PRAGMA user_version")" = 6
check "with place_level on households and resources" \
  test "$(sqlite3 "$M" "SELECT COUNT(*) FROM pragma_table_info('households') WHERE name = 'place_level'; SELECT COUNT(*) FROM pragma_table_info('resources') WHERE name = 'place_level'" | tr '\n' ,)" = "1,1,"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
