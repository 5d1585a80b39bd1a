#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_replace_history.sh - a plain `import resources FILE` (replace by
# source, issue 12) keeps the register's history as --merge does: the first
# import writes "create" for each resource; importing the same file again
# with one resource dropped, one changed and one added writes "retire",
# "import" (with the changed fields before and after, the version carried
# on: the ETag grows) and "create", and says so; importing it unchanged
# writes nothing and keeps every version. Runs on the demo town with a file
# made from its own export (ids renamed, so they are the file's stable ids).
# Skips (77) when jq, sqlite3 or python3 is missing.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
. "$(dirname "$0")/lib.sh"
tl_need jq sqlite3 python3

tl_scratch
DB=$T/demo.db
tl_demo_db "$DB"
hist() { sqlite3 "$DB" "SELECT COUNT(*) FROM resource_history WHERE rid LIKE 'P%'"; }
last() { sqlite3 "$DB" "SELECT action || '|' || who || '|' || version || '|' || fields FROM resource_history WHERE rid = '$1' ORDER BY id DESC LIMIT 1"; }
"$BIN" --db "$DB" export resources --format csv --output "$T/reg.csv"
mkdir -p "$T/in"
python3 - "$T/reg.csv" "$T/in/places.csv" "$T/in2.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
rows = [dict(r, id="P" + r["id"][1:]) for r in rows]
fields = list(rows[0].keys())
w = csv.DictWriter(open(sys.argv[2], "w", encoding="utf-8", newline=""), fieldnames=fields)
w.writeheader(); w.writerows(rows)
out = []
for r in rows:
    if r["id"] == "P002":
        continue
    if r["id"] == "P003":
        r = dict(r, schedule="Mo-Fr 09:00-16:00")
    out.append(r)
out.append(dict(rows[0], id="P950", name="新しい通いの場", kind="gathering_place"))
w = csv.DictWriter(open(sys.argv[3], "w", encoding="utf-8", newline=""), fieldnames=fields)
w.writeheader(); w.writerows(out)
PY
N=$(($(wc -l <"$T/in/places.csv") - 1))

"$BIN" --db "$DB" import resources "$T/in/places.csv" >"$T/out1" 2>&1
check "a first plain import succeeds" test $? -eq 0
check "... and says every resource was added ($(tail -1 "$T/out1"))" \
  grep -q "^resource history: $N added, 0 changed, 0 unchanged, 0 retired" "$T/out1"
check "... with one create row per resource ($(hist) of $N)" test "$(hist)" = "$N"
check "P003's history: create by the import at version 1 ($(last P003 | cut -d'|' -f1-3))" \
  test "$(last P003 | cut -d'|' -f1-3)" = "create|import places.csv|1"

cp "$T/in2.csv" "$T/in/places.csv"
"$BIN" --db "$DB" import resources "$T/in/places.csv" >"$T/out2" 2>&1
check "re-importing the changed file succeeds" test $? -eq 0
check "... and says what it did ($(tail -1 "$T/out2"))" \
  grep -q "^resource history: 1 added, 1 changed, $((N - 2)) unchanged, 1 retired" "$T/out2"
check "P003's change is recorded: import, version 2, schedule ($(last P003))" \
  test "$(last P003)" = 'import|import places.csv|2|["schedule"]'
check "... with the schedule before and after" \
  test "$(sqlite3 "$DB" "SELECT json_extract(before, '$.schedule') || ' -> ' || json_extract(after, '$.schedule') FROM resource_history WHERE rid = 'P003' ORDER BY id DESC LIMIT 1")" \
  = "$(sqlite3 "$DB" "SELECT schedule FROM resources WHERE rid = 'R003'") -> Mo-Fr 09:00-16:00"
check "P003 carries version 2 (its ETag grows)" test "$(sqlite3 "$DB" "SELECT version FROM resources WHERE rid = 'P003'")" = 2
check "the dropped P002 is recorded as retired ($(last P002))" \
  test "$(last P002)" = 'retire|import places.csv|2|["retired"]'
check "the new P950 is recorded as created" test "$(last P950 | cut -d'|' -f1,3)" = "create|1"
check "an unchanged resource gets no row and keeps version 1" \
  bash -c "[ \"\$(sqlite3 '$DB' \"SELECT COUNT(*) FROM resource_history WHERE rid = 'P004'\")\" = 1 ] && [ \"\$(sqlite3 '$DB' \"SELECT version FROM resources WHERE rid = 'P004'\")\" = 1 ]"
"$BIN" --db "$DB" resources history P003 >"$T/cli" 2>&1
check "tsunagu resources history P003 lists both rows" bash -c "[ \$(grep -c 'import places.csv' '$T/cli') -ge 2 ]"

rows=$(hist)
"$BIN" --db "$DB" import resources "$T/in/places.csv" >"$T/out3" 2>&1
check "importing the same file again changes nothing ($(tail -1 "$T/out3"))" \
  bash -c "grep -q '^resource history: 0 added, 0 changed, $N unchanged, 0 retired' '$T/out3' && [ \"\$(sqlite3 '$DB' \"SELECT COUNT(*) FROM resource_history WHERE rid LIKE 'P%'\")\" = $rows ]"
check "... and P003 stays at version 2" test "$(sqlite3 "$DB" "SELECT version FROM resources WHERE rid = 'P003'")" = 2

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
