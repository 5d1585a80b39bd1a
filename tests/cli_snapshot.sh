#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_snapshot.sh - snapshots and --compare on the real program (demo town):
#   - `snapshot --label 2026年度` stores the official's coverage (two kinds),
#     needs and equipment answers with the data version and date, in the
#     snapshots table (schema version 13); `snapshot --list` lists it;
#   - the stored coverage is the official's answer (`coverage --official
#     --json`), with "<5" where small, and no household id appears in any
#     stored answer;
#   - bad labels (empty, taken, a control character, a leading '-', too
#     long) and an unknown label for --compare are refused in one sentence,
#     the snapshots unchanged;
#   - after 12 more households and one more salon are imported,
#     `coverage|needs|equipment --compare 2026年度` show the changes (the
#     total's households +12, salons +1), and a figure hidden then or now
#     has no change.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
. "$(dirname "$0")/lib.sh"
tl_need jq sqlite3
tl_scratch
DB=$T/demo.db
tl_demo_db "$DB"
S="--level elementary --kind consultation,salon --minutes 10 --need 高齢独居 --per 高齢単身世帯"

out=$("$BIN" --db "$DB" snapshot --label 2026年度 $S 2>&1)
check "snapshot stored ($out)" grep -q "snapshot '2026年度' stored: .* data version [0-9a-f]" <<<"$out"
check "the current schema version with the snapshots table" test "$(sqlite3 "$DB" "PRAGMA user_version")/$(sqlite3 "$DB" "SELECT COUNT(*) FROM snapshots")" = "$(tl_schema)/1"
check "snapshot --list shows it with date and data version" grep -q "^2026年度 .*20[0-9-]*T[0-9:]*Z  data version [0-9a-f]*  level elementary  kinds consultation,salon" <<<"$("$BIN" --db "$DB" snapshot --list)"
"$BIN" --db "$DB" coverage --level elementary --kind consultation,salon --minutes 10 --official --json | jq -S . >"$T/off.json"
sqlite3 "$DB" "SELECT coverage FROM snapshots" | jq -S . >"$T/snap.json"
check "the stored coverage is the official's answer" cmp -s "$T/off.json" "$T/snap.json"
check "... small counts hidden in it" grep -q '"<5"' "$T/snap.json"
ids=$(cut -d, -f1 "$SRC/data/town_households.csv" | tail -n +2 | tr '\n' '|' | sed 's/|$//')
check "no household id in any stored answer" test "$(sqlite3 "$DB" "SELECT params || coverage || needs || equipment FROM snapshots" | grep -c -E "\"($ids)\"")" = 0

refuse() { # WHAT PATTERN LABEL
  "$BIN" --db "$DB" snapshot --label "$3" $S >"$T/o" 2>&1; local rc=$?
  check "$1: refused in one sentence ($(head -c 120 "$T/o"))" test $rc -ne 0 -a "$(wc -l <"$T/o")" = 1
  check "... naming it" grep -q -- "$2" "$T/o"
  check "... snapshots unchanged" test "$(sqlite3 "$DB" "SELECT COUNT(*) FROM snapshots")" = 1
}
refuse "a taken label" "a snapshot named '2026年度' exists already" 2026年度
refuse "an empty label" "snapshot needs --label" ""
refuse "a control character" "label must be UTF-8 text without control characters" "$(printf 'a\tb')"
refuse "a leading '-'" "not starting with '-'" "-x"
refuse "a label of 65 bytes" "label is longer than 64 bytes" "$(printf 'x%.0s' $(seq 65))"
"$BIN" --db "$DB" coverage --compare 2025年度 >"$T/o" 2>&1
check "an unknown label for --compare is refused" grep -q "there is no snapshot named '2025年度'" "$T/o"

# Data change: 12 more households (copies of the first 12, new ids) and one more salon.
{ head -1 "$SRC/data/town_households.csv"; sed -n 2,13p "$SRC/data/town_households.csv" | sed 's/^H/Z/'; } >"$T/more.csv"
"$BIN" --db "$DB" import households "$T/more.csv" >/dev/null
printf 'name,kind,lon,lat\n新しいサロン,salon,%s\n' "$(sed -n 2p "$SRC/data/town_households.csv" | cut -d, -f2,3)" >"$T/salon.csv"
"$BIN" --db "$DB" import resources "$T/salon.csv" >/dev/null
"$BIN" --db "$DB" coverage --compare 2026年度 --json >"$T/cmp.json"
check "coverage --compare: the total's households +12" test "$(jq '.total.changes.households.change' "$T/cmp.json")" = 12
check "... with the data versions then and now" test "$(jq '.data_version_now != .data_version_then' "$T/cmp.json")" = true
check "... a figure hidden then or now has no change" test "$(jq '[.. | objects | select(has("then") and has("change")) | select(((.then | type) != "number" or (.now | type) != "number") and .change != null)] | length' "$T/cmp.json")" = 0
check "... and some figures are hidden" test "$(jq '[.. | objects | select(has("then") and has("change")) | select(.change == null)] | length > 0' "$T/cmp.json")" = true
"$BIN" --db "$DB" coverage --compare 2026年度 >"$T/cmp.txt"
check "coverage --compare prints the changes" grep -q "households .* 350 -> 362  (+12)" "$T/cmp.txt"
"$BIN" --db "$DB" needs --compare 2026年度 --json >"$T/ncmp.json"
check "needs --compare: the total's households +12" test "$(jq '.total.changes.households.change' "$T/ncmp.json")" = 12
"$BIN" --db "$DB" equipment --compare 2026年度 --json >"$T/ecmp.json"
check "equipment --compare: salons +1 in total" test "$(jq '.total.changes["resources.salon"].change' "$T/ecmp.json")" = 1
echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
