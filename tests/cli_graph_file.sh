#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_graph_file.sh - the saved walking graph (README "Performance"):
# `import network` leaves DB.graph beside the database; the next command
# maps it (TSUNAGU_VERBOSE says which way the graph came) and answers
# exactly as a graph built from the database; a missing, corrupt,
# truncated, stale (re-import, restore) or other database's file is
# refused, the graph rebuilt and the file rewritten; a graph file that
# cannot be written (its name taken by a directory; a read-only directory
# when not root) still answers from memory.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
DATA=$SRC/data
. "$(dirname "$0")/lib.sh"

tl_scratch
DB=$T/town.db
G=$DB.graph
"$BIN" --db "$DB" import network "$DATA/town_network.geojson" >"$T/imp.out" 2>&1
check "import network succeeds" test $? -eq 0
"$BIN" --db "$DB" import resources "$DATA/town_resources.geojson" >>"$T/imp.out" 2>&1
check "import network leaves the graph file beside the database" test -s "$G"

# walk DB: the answer (stdout) into $T/walk.out, the load line into $T/walk.err.
# next_open counts from the current minute, so it is blanked before comparing.
walk() {
  TSUNAGU_VERBOSE=1 "$BIN" --db "$1" walk --lon 136.95 --lat 34.95 --minutes 15 --json \
    2>"$T/walk.err" | sed 's/"next_open": *"[^"]*"/"next_open": ""/g' >"$T/walk.out"
}
from() { sed -n 's/^walking network: \([^(]*\) (.*/\1/p' "$T/walk.err" | sed 's/ *$//'; }

walk "$DB"
check "the second command maps the graph file ($(from))" \
  test "$(from)" = "mapped from the graph file"
cp "$T/walk.out" "$T/mapped.json"
check "the answer lists resources" grep -q '"resources"' "$T/mapped.json"

rm -f "$G"
walk "$DB"
check "without the file the graph is built and saved ($(from))" \
  test "$(from)" = "built from the database and saved"
check "the built graph answers exactly as the mapped one" cmp -s "$T/walk.out" "$T/mapped.json"
check "the file is back" test -s "$G"

# refused DESCRIPTION: the next walk rebuilds, answers the same, and the one
# after maps the rewritten file again.
refused() {
  walk "$DB"
  check "$1: rebuilt ($(from))" test "$(from)" = "built from the database and saved"
  check "$1: same answer" cmp -s "$T/walk.out" "$T/mapped.json"
  walk "$DB"
  check "$1: the rewritten file maps" test "$(from)" = "mapped from the graph file"
  check "$1: same answer from the rewritten file" cmp -s "$T/walk.out" "$T/mapped.json"
}

size=$(stat -c %s "$G")
printf '\377' | dd of="$G" bs=1 seek=$((size / 2)) conv=notrunc status=none
refused "a corrupt byte in the data"
printf 'X' | dd of="$G" bs=1 seek=0 conv=notrunc status=none
refused "a damaged magic"
truncate -s $((size - 100)) "$G"
refused "a truncated file"

# Another database's file (another network) under this name.
jq '.features |= .[0:(length / 2)]' "$DATA/town_network.geojson" >"$T/half.geojson"
"$BIN" --db "$T/other.db" import network "$T/half.geojson" >/dev/null 2>&1
check "the other database has its own graph file" test -s "$T/other.db.graph"
cp "$T/other.db.graph" "$G"
refused "another database's graph file"

# Backup, a new network, restore: the restored network's graph is rebuilt.
"$BIN" --db "$DB" backup "$T/backup.db" >/dev/null 2>&1
check "backup succeeds" test -s "$T/backup.db"
"$BIN" --db "$DB" import network "$T/half.geojson" >/dev/null 2>&1
walk "$DB"
check "after a re-import the new file maps ($(from))" test "$(from)" = "mapped from the graph file"
check "after a re-import the answer follows the new network" \
  bash -c "! cmp -s '$T/walk.out' '$T/mapped.json'"
cp "$T/walk.out" "$T/half.json"
"$BIN" --db "$DB" restore "$T/backup.db" >/dev/null 2>&1
check "restore succeeds" test $? -eq 0
refused "the graph file of the network before a restore"

# The file cannot be written: the graph stays in memory, answers the same.
rm -f "$G"
mkdir "$G"
walk "$DB"
check "a graph file that cannot be written: built in memory ($(from))" \
  test "$(from)" = "built from the database"
check "a graph file that cannot be written: same answer" cmp -s "$T/walk.out" "$T/mapped.json"
rmdir "$G"
if [ "$(id -u)" != 0 ]; then
  mkdir "$T/ro"
  cp "$DB" "$T/ro/town.db"
  chmod 555 "$T/ro"
  walk "$T/ro/town.db"
  check "a read-only directory: built in memory ($(from))" test "$(from)" = "built from the database"
  check "a read-only directory: same answer" cmp -s "$T/walk.out" "$T/mapped.json"
  chmod 755 "$T/ro"
else
  echo "# running as root: the read-only directory case is covered by the directory-name case"
fi

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
