#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_upgrade.sh - an upgrade backs the database up before migrating it
# (issue 16): a database made at the previous schema version (the demo town
# with version 5's address table and place_level columns taken out and
# user_version set to 4, as tsunagu 4 left it) is opened by the service as
# the package's first start does; it prints the backup's path, the backup
# exists beside the database, passes `check` at version 4 and has the old
# data's resource count; the database is migrated to the current version
# with its data; a second start takes no second backup; and a backup that
# cannot be written (read-only directory) leaves the database unmigrated.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
. "$(dirname "$0")/lib.sh"
tl_scratch
tl_need sqlite3 curl
export TSUNAGU_WEB=$SRC/web
mkdir -p "$T/lib"
DB=$T/lib/tsunagu.db
tl_demo_db "$DB"
sqlite3 "$DB" "DROP TABLE address_refs; ALTER TABLE households DROP COLUMN place_level;
  ALTER TABLE resources DROP COLUMN place_level; PRAGMA user_version = 4;"
check "the old database is at schema version 4" test "$(sqlite3 "$DB" 'PRAGMA user_version')" = 4
cp "$DB" "$T/old-copy.db"
res=$(sqlite3 "$DB" "SELECT count(*) FROM resources")

"$BIN" --db "$DB" serve --port 0 --threads 2 >"$T/srv.out" 2>"$T/srv.err" &
SRV=$!
PORT=$(tl_port "$T/srv.out" "$SRV")
check "the service starts on the old database" curl -fsS -o /dev/null "http://127.0.0.1:${PORT:-1}/api/meta"
kill -TERM "$SRV"; wait "$SRV"; SRV=
bak=$(sed -n 's/^tsunagu: backed up .* to \(.*\) before migrating it to [0-9]*$/\1/p' "$T/srv.err")
check "the start printed the backup's path ($bak)" test -n "$bak"
check "the backup is beside the database, named for the version" grep -q "^$DB\.pre-v[0-9]*-[0-9]*T[0-9]*Z\.bak$" <<<"$bak"
check "the backup exists" test -s "$bak"
check "tsunagu check passes on the backup" "$BIN" --db "$bak" check
check "the backup holds schema version 4" test "$(sqlite3 "$bak" 'PRAGMA user_version')" = 4
check "the backup holds the old data" test "$(sqlite3 "$bak" 'SELECT count(*) FROM resources')" = "$res"
check "the database was migrated past 4" test "$(sqlite3 "$DB" 'PRAGMA user_version')" -gt 4
check "the migrated database kept its data" test "$(sqlite3 "$DB" 'SELECT count(*) FROM resources')" = "$res"

"$BIN" --db "$DB" user list >/dev/null 2>"$T/again.err"
check "a second open takes no second backup" test "$(ls "$DB".pre-v*.bak | wc -l)" -eq 1 -a ! -s "$T/again.err"

# A backup that cannot be written: the database stays at version 4.
if [ "$(id -u)" -ne 0 ]; then
  mkdir "$T/ro" && cp "$T/old-copy.db" "$T/ro/t.db" && chmod 555 "$T/ro"
  out=$("$BIN" --db "$T/ro/t.db" user list 2>&1); rc=$?
  chmod 755 "$T/ro"
  check "a failed backup stops the migration (exit $rc: $out)" test "$rc" -ne 0
  check "and leaves the database at version 4" test "$(sqlite3 "$T/ro/t.db" 'PRAGMA user_version')" = 4
else
  echo "SKIP (counted as neither): as root a read-only directory does not stop the backup"
fi

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
