#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_address_abr.sh - the Address Base Registry's tables whose positions
# live in a file of their own (issue 11): `import addresses` joins an ABR
# table to its position file by the id columns, found beside it by the
# registry's file names (mt_rsdtdsp_rsdt_… -> mt_rsdtdsp_rsdt_pos_…) or
# named with --positions; abolished rows (廃止日) and rows the position file
# lacks are counted, not stored; `geocode` then answers at residence level
# from the joined positions; a missing, wrong or mismatched position file
# gets one sentence and leaves the database unchanged. Fixtures are
# hand-written in the registry's layouts (tests/data/abr, each says so).
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
. "$(dirname "$0")/lib.sh"
tl_need sqlite3 jq
tl_scratch
DB=$T/a.db
FX=$SRC/tests/data/abr
run() { "$BIN" --db "$DB" "$@" >"$T/out" 2>"$T/err"; }
dump() { sqlite3 "$DB" .dump 2>/dev/null | md5sum; }

# ---- the position file found beside the table ----
run import addresses "$FX/mt_rsdtdsp_rsdt_city292095.csv"
check "table + sibling position file: exit 0" test $? -eq 0
check "2 residences stored" grep -q "imported 2 address reference rows .*abr-residence.*2 residence" "$T/out"
check "the position file is named" grep -q "positions joined from mt_rsdtdsp_rsdt_pos_city292095.csv" "$T/out"
check "the abolished row (廃止日) is skipped" grep -q "1 superseded" "$T/out"
check "the row without a position is counted" grep -q "1 without a town name or position" "$T/out"
run geocode --json 生駒市さつき台二丁目6番3号 さつき台2-6-5
check "geocode: one matched, the abolished one not at residence level" test "$(jq -r .level "$T/out" | tr '\n' ,)" = "residence,town,"
check "the joined position of 6-3" test "$(sed -n 1p "$T/out" | jq -c '[.lon,.lat]')" = "[135.7201,34.6773]"

# ---- --positions for a file not named as the registry names it ----
run import addresses "$FX/town_old_format.csv" --positions "$FX/town_old_format_pos.csv"
check "old-format town table + --positions: 2 towns" grep -q "imported 2 .*abr-town.*2 town" "$T/out"
run geocode --json 生駒市元町一丁目
check "town position from the old-format position file" test "$(jq -c '[.level,.lon,.lat]' "$T/out")" = '["town",135.7019,34.6918]'

# ---- bad input: one sentence, database unchanged ----
before=$(dump)
run import addresses "$FX/town_old_format.csv"
check "table without positions and no position file -> exit 2" test $? -eq 2
check "... naming --positions" grep -q -- "give its position file with --positions" "$T/err"
run import addresses "$FX/town_old_format.csv" --positions "$FX/town_old_format.csv"
check "a table given as its own position file -> one sentence" grep -q "is not an ABR position file" "$T/err"
run import addresses "$FX/mt_rsdtdsp_rsdt_city292095.csv" --positions "$FX/town_old_format_pos.csv"
check "a town position file for a residence table -> one sentence" grep -q "are not those of the position file town_old_format_pos.csv" "$T/err"
run import addresses "$FX/town_old_format.csv" --positions "$FX/mt_rsdtdsp_rsdt_pos_city292095.csv"
check "a residence position file for a town table -> one sentence" grep -q "are not those of the position file" "$T/err"
sed 's/^292095,0042002,/292095,0099999,/' "$FX/town_old_format_pos.csv" | grep -v 0001001 >"$T/other_pos.csv"
run import addresses "$FX/town_old_format.csv" --positions "$T/other_pos.csv"
check "a position file that places no row -> exit 2" test $? -eq 2
check "... saying no row has a position" grep -q "no row has a town name and a position" "$T/err"
run import addresses "$FX/town_old_format_pos.csv" --positions "$FX/town_old_format_pos.csv"
check "--positions with a file that is not an ABR table" grep -q -e "--positions is for an ABR table" -e "is not an address reference" "$T/err"
run import addresses "$FX/town_old_format.csv" --positions "$T/absent.csv"
check "a missing position file -> one sentence naming it" grep -q "absent.csv: cannot be opened" "$T/err"
for f in "$T/err"; do check "every refusal is one line" test "$(wc -l <"$f")" -le 1; done
check "refusals leave the database unchanged" test "$(dump)" = "$before"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
