#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_live_reload.sh - walking answers follow the data version (README
# "HTTP API"): the real server keeps running while `tsunagu import
# resources` replaces the demo town's resources with a changed copy (R033
# closed, R012 renamed, a new desk R900 beside the origin), then the next
#   - /api/walk no longer offers R033, shows R012's new name and R900;
#   - /api/isochrone still answers; /api/resources agrees with /api/walk;
#   - an official's /api/coverage counts the loads of the new resources;
# and after a household import (no walking data) the walk answers as before.
# Skips (77) when curl or jq is missing.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
DATA=$SRC/data
. "$(dirname "$0")/lib.sh"

tl_need curl jq

tl_scratch
DB=$T/demo.db
tl_demo_db "$DB"
OFF=$("$BIN" --db "$DB" user add reload_official --role official 2>/dev/null)

"$BIN" --db "$DB" serve --port 0 --threads 2 >"$T/srv.out" 2>"$T/srv.err" &
SRV=$!
PORT=$(tl_port "$T/srv.out" "$SRV")
if [ -z "$PORT" ]; then
  echo "FAIL - the server did not start:"; cat "$T/srv.out" "$T/srv.err"; exit 1
fi
B=http://127.0.0.1:$PORT
ok "server listens on port $PORT"

WALK="/api/walk?lon=136.95&lat=34.95&minutes=10"
walk_ids() { curl -s --max-time 30 "$B$WALK" | jq -r '[.resources[] | .id + "=" + .name] | join(",")'; }
before=$(walk_ids)
check "before: the walk offers R033 and R012 ($before)" \
  bash -c "grep -q 'R033=' <<<'$before' && grep -q 'R012=つなぐリビングルーム' <<<'$before'"
cov_ids() {
  curl -s --max-time 60 -H "Authorization: Bearer $OFF" "$B/api/coverage?minutes=10&level=elementary" |
    jq -r '[.. | objects | select(has("id") and (.id | type == "string") and (.id | startswith("R"))) | .id] | unique | join(",")'
}
cov_before=$(cov_ids)

# The changed file keeps the name (the same source, so its rows are replaced).
mkdir -p "$T/new"
jq '.features |= (map(select(.properties.id != "R033"))
     | map(if .properties.id == "R012" then .properties.name = "つなぐリビングルーム（移転）" else . end)
     + [{"type": "Feature", "properties": {"id": "R900", "name": "新しい相談窓口", "kind": "consultation",
         "fields": "all", "address": "架空市", "schedule": "Mo-Fr 09:00-17:00"},
         "geometry": {"type": "Point", "coordinates": [136.9501, 34.9501]}}])' \
  "$DATA/town_resources.geojson" >"$T/new/town_resources.geojson"
"$BIN" --db "$DB" import resources "$T/new/town_resources.geojson" >"$T/imp.out" 2>&1
check "the changed resources import while the server runs" test $? -eq 0

after=$(walk_ids)
check "after: the next walk no longer offers R033 ($after)" bash -c "! grep -q 'R033=' <<<'$after'"
check "... shows R012's new name" bash -c "grep -q 'R012=つなぐリビングルーム（移転）' <<<'$after'"
check "... and the new desk R900" bash -c "grep -q 'R900=新しい相談窓口' <<<'$after'"
check "/api/resources agrees (R900 listed, R033 gone)" \
  test "$(curl -s "$B/api/resources" | jq '[.resources[].id] | (index("R900") != null) and (index("R033") == null)')" = true
check "/api/isochrone still answers" \
  test "$(curl -s -o /dev/null -w '%{http_code}' "$B/api/isochrone?lon=136.95&lat=34.95&minutes=10")" = 200
cov_after=$(cov_ids)
if [ -n "$cov_before" ]; then
  check "coverage follows too (R033 gone, R900 in: $cov_after)" \
    bash -c "grep -q 'R033' <<<'$cov_before' && ! grep -q 'R033' <<<'$cov_after' && grep -q 'R900' <<<'$cov_after'"
else
  check "coverage answers after the import" test -n "$cov_after"
fi

# Households are not walking data (store_walk_version ignores them).
printf 'id,lon,lat,members,needs,consent,agency\nZ0001,136.951,34.951,1,高齢独居,yes,包括A\n' >"$T/new/extra.csv"
"$BIN" --db "$DB" import households "$T/new/extra.csv" >/dev/null 2>&1
curl -s -o /dev/null "$B$WALK"
check "the walk after a household import gives the same answer" test "$(walk_ids)" = "$after"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
