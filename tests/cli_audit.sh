#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_audit.sh - the audit log is append-only and tamper-evident (README
# "The audit log"), on copies of the demo town's database with records
# written by the CLI's route and coverage:
#   - `tsunagu audit --verify` accepts the log the program wrote (exit 0,
#     the record count and the last hash);
#   - from sqlite3: INSERT OR REPLACE over an old record, a back-dated
#     INSERT, an INSERT with an id of its own choosing, UPDATE and DELETE
#     are refused and leave the log as it was;
#   - a record added by hand with the database's id and time, a record
#     edited and a record deleted after dropping the triggers: --verify
#     exits 1 naming the first record that breaks the chain;
#   - a version-3 database (no chain) migrates: its records kept as they
#     were, the chain computed over them, new records chained on.
# Skips (77) when sqlite3 or jq is missing.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
DATA=$SRC/data
. "$(dirname "$0")/lib.sh"

tl_need sqlite3 jq

tl_scratch
DB=$T/demo.db
tl_demo_db "$DB"
"$BIN" --db "$DB" route --start-lon 136.9490202 --start-lat 34.945617 --households H0003,H0010 >/dev/null 2>&1
"$BIN" --db "$DB" coverage --level elementary --kind consultation --json >/dev/null 2>&1
"$BIN" --db "$DB" route --start-lon 136.9490202 --start-lat 34.945617 --households H0001 >/dev/null 2>&1
check "three records written by the CLI" test "$(sqlite3 "$DB" 'SELECT COUNT(*) FROM audit')" = 3

"$BIN" --db "$DB" audit --verify >"$T/v.out" 2>&1; rc=$?
check "audit --verify accepts the log the program wrote (exit $rc: $(cat "$T/v.out"))" \
  bash -c "[ $rc -eq 0 ] && grep -q \"3 records form an unbroken hash chain; the last, record 3, has hash [0-9a-f]\{64\}\" '$T/v.out'"
"$BIN" --db "$DB" audit --verify --since 2000-01-01 >/dev/null 2>&1
check "audit --verify with --since -> exit 2" test $? -eq 2

dump() { sqlite3 "$1" "SELECT id, at, user, role, endpoint, client, households, ids, hex(hash) FROM audit ORDER BY id" | sha256sum; }
before=$(dump "$DB")
# refused SQL: exit status non-zero, the message in stderr, the log as it was
refused() {
  local what=$1 sql=$2 msg=$3
  sqlite3 "$DB" "$sql" 2>"$T/sq.err"; local rc=$?
  if [ $rc -ne 0 ] && grep -q "$msg" "$T/sq.err" && [ "$(dump "$DB")" = "$before" ]; then
    ok "$what is refused ($(head -c 100 "$T/sq.err"))"
  else
    bad "$what is refused (sqlite3 exit $rc: $(cat "$T/sq.err"))"
  fi
}
refused "INSERT OR REPLACE over record 1" \
  "INSERT OR REPLACE INTO audit(id, at, user, role, endpoint, client, households, ids, hash)
   SELECT id, at, 'nobody', role, endpoint, client, 0, '[]', hash FROM audit WHERE id = 1" \
  'a record cannot be replaced\|time from the database clock'
refused "REPLACE INTO the last record" \
  "REPLACE INTO audit(id, user, role, endpoint, households, ids, hash)
   VALUES(3, 'nobody', 'operator', 'cli route', 0, '[]', zeroblob(32))" \
  'a record cannot be replaced'
refused "a back-dated INSERT" \
  "INSERT INTO audit(at, user, role, endpoint, client, households, ids, hash)
   VALUES('2020-01-01T00:00:00.000Z', 'nobody', 'coordinator', '/api/households', '10.0.0.1', 1, '[\"H0001\"]', zeroblob(32))" \
  'time from the database clock'
refused "an INSERT with a time one second ahead" \
  "INSERT INTO audit(at, user, role, endpoint, households, ids, hash)
   VALUES(strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+1 second'), 'nobody', 'operator', 'cli route', 0, '[]', zeroblob(32))" \
  'time from the database clock'
refused "an INSERT with an id of its own (1000)" \
  "INSERT INTO audit(id, user, role, endpoint, households, ids, hash)
   VALUES(1000, 'nobody', 'operator', 'cli route', 0, '[]', zeroblob(32))" \
  'the next id'
refused "an INSERT with an id of its own (0)" \
  "INSERT INTO audit(id, user, role, endpoint, households, ids, hash)
   VALUES(0, 'nobody', 'operator', 'cli route', 0, '[]', zeroblob(32))" \
  'the next id'
refused "UPDATE" "UPDATE audit SET user = 'nobody' WHERE id = 2" 'append-only'
refused "DELETE" "DELETE FROM audit WHERE id = 2" 'append-only'
refused "an UPSERT" \
  "INSERT INTO audit(id, user, role, endpoint, households, ids, hash)
   VALUES(2, 'nobody', 'operator', 'cli route', 0, '[]', zeroblob(32))
   ON CONFLICT(id) DO UPDATE SET user = 'nobody'" \
  'a record cannot be replaced'
"$BIN" --db "$DB" audit --verify >/dev/null 2>&1
check "after the refusals the log still verifies" test $? -eq 0

# verify_breaks DB ID: --verify exits 1 naming record ID.
verify_breaks() {
  "$BIN" --db "$1" audit --verify >"$T/v.out" 2>&1; local rc=$?
  [ $rc -eq 1 ] && grep -q "audit record $2 breaks the hash chain" "$T/v.out"
}
cp "$DB" "$T/hand.db"
sqlite3 "$T/hand.db" "INSERT INTO audit(user, role, endpoint, client, households, ids, hash)
  VALUES('nobody', 'coordinator', '/api/households', '10.0.0.1', 1, '[\"H0001\"]', zeroblob(32))"
check "a record added by hand with the database's id and time is accepted by the triggers" \
  test "$(sqlite3 "$T/hand.db" 'SELECT COUNT(*) FROM audit')" = 4
check "... and --verify exits 1 naming record 4" verify_breaks "$T/hand.db" 4

cp "$DB" "$T/edit.db"
sqlite3 "$T/edit.db" "DROP TRIGGER audit_no_update; UPDATE audit SET ids = '[\"H0003\"]', households = 1 WHERE id = 1"
check "a record edited with the triggers dropped: --verify names record 1" verify_breaks "$T/edit.db" 1
cp "$DB" "$T/del.db"
sqlite3 "$T/del.db" "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 2"
check "a record deleted with the triggers dropped: --verify names record 3" verify_breaks "$T/del.db" 3
cp "$DB" "$T/ins.db"
sqlite3 "$T/ins.db" "DROP TRIGGER audit_db_time; DROP TRIGGER audit_no_replace; DROP TRIGGER audit_no_delete;
  DELETE FROM audit WHERE id = 3;
  INSERT INTO audit(id, at, user, role, endpoint, client, households, ids, hash)
  SELECT 3, '2020-01-01T00:00:00.000Z', 'nobody', 'operator', 'cli route', NULL, 0, '[]', hash FROM
  (SELECT hash FROM audit WHERE id = 2)"
check "a record replaced with the triggers dropped: --verify names record 3" verify_breaks "$T/ins.db" 3

# A version-3 database: the old table and triggers, records without hashes.
cp "$DB" "$T/v3.db"
sqlite3 "$T/v3.db" "DROP TABLE audit;
  CREATE TABLE audit(id INTEGER PRIMARY KEY,
   at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
   user TEXT NOT NULL, role TEXT NOT NULL, endpoint TEXT NOT NULL, client TEXT,
   households INTEGER NOT NULL CHECK(households >= 0), ids TEXT NOT NULL);
  CREATE INDEX audit_at ON audit(at);
  CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  INSERT INTO audit(at, user, role, endpoint, client, households, ids) VALUES
   ('2024-06-01T09:00:00.000Z', 'sato', 'coordinator', '/api/households', '127.0.0.1', 2, '[\"H0001\",\"H0002\"]'),
   ('2024-06-02T10:30:00.123Z', 'cli:ops', 'operator', 'cli route', NULL, 1, '[\"H0003\"]');
  PRAGMA user_version = 3;"
old=$(sqlite3 "$T/v3.db" "SELECT id, at, user, role, endpoint, client, households, ids FROM audit ORDER BY id")
"$BIN" --db "$T/v3.db" audit --verify >"$T/v.out" 2>&1; rc=$?
check "a version-3 log migrates and verifies ($(cat "$T/v.out"))" \
  bash -c "[ $rc -eq 0 ] && grep -q '2 records form an unbroken' '$T/v.out'"
check "... at the current schema version (5), its records unchanged" \
  test "$(sqlite3 "$T/v3.db" 'PRAGMA user_version')" = 6 -a \
       "$(sqlite3 "$T/v3.db" "SELECT id, at, user, role, endpoint, client, households, ids FROM audit ORDER BY id")" = "$old"
"$BIN" --db "$T/v3.db" route --start-lon 136.9490202 --start-lat 34.945617 --households H0003 >/dev/null 2>&1
"$BIN" --db "$T/v3.db" audit --verify >"$T/v.out" 2>&1; rc=$?
check "a new record chains on the migrated ones" \
  bash -c "[ $rc -eq 0 ] && grep -q '3 records form an unbroken' '$T/v.out'"
before=$(dump "$T/v3.db")
sqlite3 "$T/v3.db" "REPLACE INTO audit(id, user, role, endpoint, households, ids, hash) VALUES(1, 'x', 'x', 'x', 0, '[]', zeroblob(32))" 2>/dev/null
check "the migrated log refuses REPLACE too" test "$(dump "$T/v3.db")" = "$before"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
