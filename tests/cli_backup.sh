#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_backup.sh - backups a municipality's IT section can rely on (issue 16):
#   - `backup` while the server runs and a loop of imports writes: every
#     copy passes `check` and holds one whole state (the resource count of
#     one import or the other, never a mix);
#   - after the load, backup then restore into a fresh file: the restored
#     database has the source's fingerprint;
#   - refused, with the database unchanged: a backup onto an existing file,
#     restoring a damaged backup (bytes overwritten inside it), restoring a
#     backup from a newer schema, restoring a file that is not a database;
#   - `check` prints integrity, schema version and a fingerprint.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
. "$(dirname "$0")/lib.sh"
tl_scratch

tl_need sqlite3 ogr2ogr curl
DB=$T/town.db
"$BIN" --db "$DB" demo --no-serve >"$T/demo.out" 2>&1 || { echo "FAIL - demo: $(tail -2 "$T/demo.out")"; exit 1; }
fp() { "$BIN" --db "$1" check 2>/dev/null | sed -n 's/^  fingerprint //p'; }
resources() { sqlite3 "$1" "SELECT count(*) FROM resources"; }

# Two states of the resource list, imported in turn under one source name.
full=$(resources "$DB")
ogr2ogr -f GeoJSON "$T/fewer.geojson" "$SRC/data/town_resources.geojson" -where "kind <> 'salon'" >/dev/null 2>&1
"$BIN" --db "$DB" import resources "$T/fewer.geojson" --source town_resources.geojson >/dev/null 2>&1
fewer=$(resources "$DB")
check "the two states differ ($full and $fewer resources)" test "$full" != "$fewer"

TSUNAGU_WEB=$SRC/web "$BIN" --db "$DB" serve --port 0 --threads 2 >"$T/srv.out" 2>"$T/srv.err" &
SRV=$!
PORT=$(tl_port "$T/srv.out" "$SRV")
[ -n "$PORT" ] || { echo "FAIL - the server did not start: $(cat "$T/srv.err")"; exit 1; }

# The write load: 30 imports alternating the two states, bounded.
(
  for i in $(seq 1 30); do
    if [ $((i % 2)) -eq 0 ]; then f=$SRC/data/town_resources.geojson; else f=$T/fewer.geojson; fi
    "$BIN" --db "$DB" import resources "$f" --source town_resources.geojson >/dev/null 2>&1 || echo "import $i failed" >>"$T/load.err"
  done
) &
LOAD=$!
good=0 mixed=0 failed=0 served=0
for i in $(seq 1 8); do
  if "$BIN" --db "$DB" backup "$T/b$i.db" >/dev/null 2>"$T/b$i.err" && "$BIN" --db "$T/b$i.db" check >/dev/null 2>&1; then
    n=$(resources "$T/b$i.db")
    if [ "$n" = "$full" ] || [ "$n" = "$fewer" ]; then good=$((good + 1)); else mixed=$((mixed + 1)); fi
  else
    failed=$((failed + 1)); cat "$T/b$i.err"
  fi
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/api/resources" && served=$((served + 1))
done
wait "$LOAD"
check "8 backups under a write load all checked, each one whole state ($good whole, $mixed mixed, $failed failed)" \
  test "$good" -eq 8
check "the server answered during the backups ($served of 8)" test "$served" -eq 8
check "the imports under backup all succeeded" test ! -s "$T/load.err"

# After the load: back up, restore into a fresh file, compare.
"$BIN" --db "$DB" backup "$T/final.db" >/dev/null 2>&1 || bad "final backup"
"$BIN" --db "$T/restored.db" restore "$T/final.db" >/dev/null 2>&1 || bad "restore into a fresh file"
src_fp=$(fp "$DB")
check "the restored database has the source's fingerprint ($src_fp)" test -n "$src_fp" -a "$(fp "$T/restored.db")" = "$src_fp"
kill -TERM "$SRV" && wait "$SRV"; SRV=

# Refusals leave the database as it was.
before=$(fp "$DB")
out=$("$BIN" --db "$DB" backup "$T/final.db" 2>&1); rc=$?
check "a backup onto an existing file is refused (exit $rc): $out" test "$rc" -ne 0 -a -n "$(grep 'exists already' <<<"$out")"
cp "$T/final.db" "$T/damaged.db"
size=$(stat -c %s "$T/damaged.db")
# Overwrite 64 KiB in the middle of the file (b-tree pages) with a pattern.
head -c 65536 /dev/zero | tr '\0' '\125' | dd of="$T/damaged.db" bs=1 seek=$((size / 2)) conv=notrunc status=none
out=$("$BIN" --db "$DB" restore "$T/damaged.db" 2>&1); rc=$?
check "restoring a damaged backup is refused (exit $rc): $out" test "$rc" -ne 0
check "... and the database is unchanged" test "$(fp "$DB")" = "$before"
cp "$T/final.db" "$T/newer.db"
sqlite3 "$T/newer.db" "PRAGMA user_version = 99"
out=$("$BIN" --db "$DB" restore "$T/newer.db" 2>&1); rc=$?
check "restoring a newer-schema backup is refused (exit $rc): $out" test "$rc" -ne 0 -a -n "$(grep 'newer' <<<"$out")"
check "... and the database is unchanged" test "$(fp "$DB")" = "$before"
echo "not a database" >"$T/text.db"
out=$("$BIN" --db "$DB" restore "$T/text.db" 2>&1); rc=$?
check "restoring a file that is not a database is refused (exit $rc): $out" test "$rc" -ne 0
check "... and the database is unchanged" test "$(fp "$DB")" = "$before"
out=$("$BIN" --db "$DB" check)
check "check prints integrity, schema and fingerprint" grep -q "integrity ok, schema version" <<<"$out"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
