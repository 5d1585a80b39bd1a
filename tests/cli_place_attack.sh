#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_place_attack.sh - issue 11, "Matching" 4: coverage says per district
# how many households are placed only at town or municipality level (their
# walks are those of a representative point), and routes mark such stops;
# for an official that count is one more small count, so an attacker with
# many answers must not recover any count below 5:
#   - the demo town with 37 households set to place_level town or
#     municipality (districts with 0, 1-4 and 5+ of them; a small count
#     alone in its junior-high district);
#   - the operator's `coverage` prints the exact counts, `route` marks the
#     stops ("位置は町丁目の代表点", text and JSON), the API's route too;
#   - an official asks /api/coverage at every level (and none), every kind,
#     many minutes and speeds; no households_approx of 1-4 is shown, and
#     tests/attack_solve.mjs, told which districts nest in which (the public
#     district layers: a junior-high district is whole elementary ones),
#     recovers no hidden figure from all answers together.
# Skips (77) when curl, jq, node or sqlite3 is missing.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
. "$(dirname "$0")/lib.sh"
tl_need curl jq node sqlite3

tl_scratch
DB=$T/demo.db
tl_demo_db "$DB"
q() { sqlite3 "$DB" "$1"; }
# place CODE N: the first N households of elementary district CODE are
# placed at town level. E03 and E05 get a small count each, alone in their
# junior-high district (J01 = E01 + E02 + E03, J02 = E04 + E05 + E06), so
# the nesting would give them away (J01 - E01 - E02) unless it is decided
# jointly.
place() {
  sqlite3 "$DB" "SELECT load_extension('mod_spatialite');
    UPDATE households SET place_level = 'town' WHERE id IN (SELECT h.id FROM households h, districts d
      WHERE d.level = 'elementary' AND d.code = '$1' AND ST_Within(h.geom, d.geom) ORDER BY h.id LIMIT $2)" >/dev/null
}
place E01 9; place E02 9; place E03 2; place E04 13; place E05 4
q "UPDATE households SET place_level = 'municipality' WHERE id = (SELECT MAX(id) FROM households WHERE place_level = 'town')"
q "UPDATE households SET place_level = 'block' WHERE id = (SELECT MIN(id) FROM households WHERE place_level IS NULL)"
check "37 households placed at town or municipality level" \
  test "$(q "SELECT COUNT(*) FROM households WHERE place_level IN ('town', 'municipality')")" = 37
KINDS=$(grep -o '"kind": *"[a-z_]*"' "$SRC/data/town_resources.geojson" | sed 's/.*"\([a-z_]*\)"$/\1/' | sort -u | tr '\n' ' ')
K0=${KINDS%% *}

# ---- the operator: exact counts, marked stops ----
"$BIN" --db "$DB" coverage --kind "$K0" --minutes 10 --level elementary >"$T/cov.txt" 2>&1
check "coverage names the count per district ($(grep Placed "$T/cov.txt"))" \
  grep -q '^Placed only at town or municipality level (walking times approximate): 37 households; E01 9, E02 9, E03 2, E04 13, E05 4\.$' "$T/cov.txt"
"$BIN" --db "$DB" coverage --kind "$K0" --minutes 10 --level elementary --json >"$T/cov.json" 2>&1
check "coverage --json: households_approx per district and in total" \
  test "$(jq -c '[.districts[].households_approx, .total.households_approx]' "$T/cov.json")" = '[9,9,2,13,4,0,37]'
A=$(q "SELECT ext_id FROM households WHERE place_level = 'town' ORDER BY id LIMIT 1")
M=$(q "SELECT ext_id FROM households WHERE place_level = 'municipality'")
P=$(q "SELECT ext_id FROM households WHERE place_level IS NULL ORDER BY id LIMIT 1")
BL=$(q "SELECT ext_id FROM households WHERE place_level = 'block'")
"$BIN" --db "$DB" route --start-lon 136.9490202 --start-lat 34.945617 --households "$A,$P,$M,$BL" >"$T/route.txt" 2>&1
check "route marks the stops placed at town or municipality level, and only those" \
  bash -c "grep -q ' $A .*\\[位置は町丁目の代表点\\]' '$T/route.txt' && grep -q ' $M .*\\[位置は町丁目の代表点\\]' '$T/route.txt' &&
    ! grep -q ' $P .*代表点' '$T/route.txt' && ! grep -q ' $BL .*代表点' '$T/route.txt'"
"$BIN" --db "$DB" route --start-lon 136.9490202 --start-lat 34.945617 --households "$A,$P,$M,$BL" --json >"$T/route.json" 2>&1
check "route --json: \"position\" on those stops alone" \
  test "$(jq -r '[.days[].stops[] | select(.position == "位置は町丁目の代表点") | .household_id] | sort | join(" ")' "$T/route.json")" = "$(printf '%s\n' "$A" "$M" | sort | tr '\n' ' ' | sed 's/ $//')"

# ---- the official ----
OFF=$("$BIN" --db "$DB" user add attacker --role official 2>/dev/null)
COA=$("$BIN" --db "$DB" user add tanaka --role coordinator --agency "$(q "SELECT agency FROM households WHERE ext_id = '$A'")" 2>/dev/null)
"$BIN" --db "$DB" serve --port 0 --threads 2 >"$T/srv.out" 2>"$T/srv.err" &
SRV=$!
PORT=$(tl_port "$T/srv.out" "$SRV")
if [ -z "$PORT" ]; then echo "FAIL - the server did not start:"; cat "$T/srv.err"; exit 1; fi
B=http://127.0.0.1:$PORT
code=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $COA" -H 'Content-Type: application/json' \
  --data-binary "{\"start\":{\"lon\":136.9490202,\"lat\":34.945617},\"households\":[\"$A\"]}" "$B/api/route")
check "the API's route marks the stop too ($code)" test "$code,$(jq -r '.days[0].stops[0].position' "$T/body")" = "200,位置は町丁目の代表点"

qs=()
for k in $KINDS candidate; do
  for l in "" elementary junior_high; do
    for m in 1 5 10 20 45; do qs+=("/api/coverage?kind=$k&minutes=$m${l:+&level=$l}"); done
  done
done
for s in 30 150; do
  for l in "" elementary junior_high; do
    for m in 2 10 30; do qs+=("/api/coverage?kind=$K0&minutes=$m&speed=$s${l:+&level=$l}"); done
  done
done
: >"$T/a.jsonl"
tl_ask "$T/a.jsonl" "$OFF" "$B" "${qs[@]}"
check "every answer came, all 200s (${#qs[@]} queries)" \
  test "$(wc -l <"$T/a.jsonl"),$(jq -s '[.[] | select(.a.error)] | length' "$T/a.jsonl")" = "${#qs[@]},0"
check "every answer has households_approx per district and in total" \
  test "$(jq -s '[.[].a | select(.level != null) | .districts[], .total | has("households_approx")] | all' "$T/a.jsonl")" = true
check "no households_approx of 1-4 is shown" \
  test "$(jq -s '[.. | objects | .households_approx? | numbers | select(. >= 1 and . < 5)] | length' "$T/a.jsonl")" = 0
check "larger counts are shown (E01 9 somewhere)" \
  test "$(jq -s '[.[].a | .districts[]? | select(.code == "E01") | .households_approx] | map(select(. == 9)) | length > 0' "$T/a.jsonl")" = true
check "the small ones are hidden (E03, E05: \"<5\" or null)" \
  test "$(jq -s '[.[].a | .districts[]? | select(.code == "E03" or .code == "E05") | .households_approx] | map(select(type == "number")) | length' "$T/a.jsonl")" = 0
# The nesting anyone can read off the public district layers: each
# elementary district lies in one junior-high district.
sqlite3 "$DB" "SELECT load_extension('mod_spatialite');
  SELECT 'junior_high/' || j.code || ' ' || group_concat('elementary/' || e.code, ' ') FROM districts j
  JOIN districts e ON e.level = 'elementary' AND ST_Within(ST_PointOnSurface(e.geom), j.geom)
  WHERE j.level = 'junior_high' GROUP BY j.code ORDER BY j.code" 2>/dev/null | grep junior >"$T/nest.txt"
check "the nesting read from the district layers ($(tr '\n' ';' <"$T/nest.txt"))" test "$(wc -l <"$T/nest.txt")" -ge 2
if node "$SRC/tests/attack_solve.mjs" "$T/a.jsonl" "$SRC/data/town_households.csv" "$T/nest.txt" >"$T/solve"; then
  ok "no hidden figure recovered, approx counts and nest lines included ($(head -1 "$T/solve"))"
else
  bad "the attacker recovered something:"; sed 's/^/    /' "$T/solve"
fi

kill "$SRV" 2>/dev/null; wait "$SRV" 2>/dev/null
echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
