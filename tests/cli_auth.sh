#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_auth.sh - access control on the real server over loopback (demo town):
#   - `tsunagu user add|list|revoke`: the token is printed once, only its
#     SHA-256 is stored, the list shows no token; a v2 database migrates;
#   - every role (anonymous, official, admin, coordinator of 包括A, outreach
#     assigned elementary:E05, a revoked user) against every endpoint
#     (/api/walk, /api/isochrone, /api/coverage, /api/suggest, POST
#     /api/route, /api/households[/{id}], /api/me, /tiles/coverage,
#     /ogc/collections): the expected status, and no household id or
#     household coordinate in what the roles that may not see households get;
#   - another agency's household and a missing one answer alike (the same
#     404, by id and through a route), ids H0001..H0400 enumerated give one
#     answer for every id outside the assignment, and take about the same time;
#   - access is decided before parameters (no "district not found" for the
#     anonymous), tokens are refused in URLs, never logged; the log names
#     route patterns (/api/households/{}), never an id;
#   - candidate sites (/api/walk?kind=candidate) only for officials and admins;
#   - Cache-Control: private, no-store on signed-in answers, 401 with
#     WWW-Authenticate: Bearer, 429 with Retry-After after 10 bad tokens;
#   - the audit log: a record per household read (who, endpoint, ids), the
#     CLI's reads as cli:LOGIN, `tsunagu audit --since`, and UPDATE/DELETE
#     refused by sqlite3 itself.
# Skips (77) only when curl, jq or sqlite3 is missing.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
. "$(dirname "$0")/lib.sh"

for tool in curl jq sqlite3; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "SKIP: $tool is not installed (bash .ci/install installs it)"; exit 77
  fi
done

tl_scratch
DB=$T/demo.db
TSUNAGU_DATA=$SRC/data "$BIN" --db "$DB" demo --no-serve >"$T/demo.out" 2>&1
check "demo --no-serve builds the database" test $? -eq 0

# ---- users on the command line ----
add() { "$BIN" --db "$DB" user add "$@" 2>"$T/add.err"; }
OFF=$(add sato --role official)
ADM=$(add admin1 --role admin)
CO=$(add tanaka --role coordinator --agency 包括A)
OUT=$(add suzuki --role outreach --district elementary:E05)
REV=$(add gone --role official)
check "user add prints one token per user on stdout" \
  bash -c "for t in '$OFF' '$ADM' '$CO' '$OUT' '$REV'; do [[ \$t =~ ^tsu_[A-Za-z0-9_-]{43}\$ ]] || exit 1; done"
check "tokens differ" test "$(printf '%s\n' "$OFF" "$ADM" "$CO" "$OUT" "$REV" | sort -u | wc -l)" = 5
check "the notice goes to stderr, without the token" bash -c "grep -q 'shown only this once' '$T/add.err' && ! grep -q tsu_ '$T/add.err'"
check "the database holds no token, only 32-byte hashes" \
  bash -c "! sqlite3 '$DB' .dump | grep -q tsu_ && [ \"\$(sqlite3 '$DB' 'SELECT COUNT(*) FROM users WHERE length(token_hash) = 32')\" = 5 ]"
"$BIN" --db "$DB" user list >"$T/list" 2>&1
check "user list shows users and roles, no token" \
  bash -c "grep -q 'tanaka *coordinator *包括A' '$T/list' && grep -q 'elementary:E05' '$T/list' && ! grep -q tsu_ '$T/list'"
add nobody --role coordinator >/dev/null; rc=$?
check "a coordinator without --agency is refused" bash -c "[ $rc = 2 ] && grep -q 'needs --agency' '$T/add.err'"
add nobody --role outreach --district elementary:E99 >/dev/null; rc=$?
check "an unknown district is refused" test "$rc" = 3
add sato --role official >/dev/null; rc=$?
check "a taken name is refused" bash -c "[ $rc = 2 ] && grep -q 'exists already' '$T/add.err'"
add nobody --role root >/dev/null; rc=$?
check "an unknown role is refused" test "$rc" = 2
"$BIN" --db "$DB" user revoke gone >/dev/null 2>&1
check "user revoke" bash -c "'$BIN' --db '$DB' user list | grep gone | grep -q 'T.*Z *\$' && ! '$BIN' --db '$DB' user list | grep gone | grep -q active"
"$BIN" --db "$DB" user revoke nobody >/dev/null 2>&1; rc=$?
check "revoking an unknown user -> exit 3" test "$rc" = 3

# A version-2 database (before users) migrates when opened read-write.
cp "$DB" "$T/v2.db"
sqlite3 "$T/v2.db" "DROP TABLE users; DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;
  DROP TABLE audit; PRAGMA user_version = 2;"
"$BIN" --db "$T/v2.db" user add late --role official >/dev/null 2>&1
check "a version-2 database migrates to the current version with users and the audit log" \
  test "$(sqlite3 "$T/v2.db" "PRAGMA user_version; SELECT COUNT(*) FROM users; SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'audit_no_%'" | tr '\n' ,)" = "$(tl_schema),1,3,"

# ---- the server ----
"$BIN" --db "$DB" serve --port 0 --threads 2 >"$T/srv.out" 2>"$T/srv.err" &
SRV=$!
PORT=$(tl_port "$T/srv.out" "$SRV")
if [ -z "$PORT" ]; then echo "FAIL - the server did not start:"; cat "$T/srv.err"; exit 1; fi
B=http://127.0.0.1:$PORT

# req TOKEN METHOD PATH [BODY]: status; body in $T/body, headers in $T/head.
# TOKEN "-" sends no Authorization header. Requests leave from $FROM (a
# loopback address): the throttle counts failed sign-ins per address, so
# the tests that fail on purpose use addresses of their own.
FROM=127.0.0.1
req() {
  local tok=$1 method=$2 path=$3 body=${4:-}
  local args=(-s --max-time 120 --interface "$FROM" -o "$T/body" -D "$T/head" -w '%{http_code}' -X "$method")
  [ "$tok" != - ] && args+=(-H "Authorization: Bearer $tok")
  [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
  rm -f "$T/body"
  curl "${args[@]}" "$B$path"
}
header() { grep -i "^$1:" "$T/head" | tr -d '\r' | sed 's/^[^:]*: *//'; }

# Household ids and coordinates (as the answers print them) from the demo data.
tail -n +2 "$SRC/data/town_households.csv" | cut -d, -f1 >"$T/hh_ids"
# Each household's position as a JSON answer would write it (7 decimals,
# trailing zeros dropped): a GeoJSON pair "lon,lat" or "lon":..,"lat":...
tail -n +2 "$SRC/data/town_households.csv" | cut -d, -f2,3 | tr , ' ' |
  awk '{ for (i = 1; i <= 2; i++) { sub(/0+$/, "", $i); sub(/\.$/, "", $i) }
         print $1 "," $2; print $1 ",\"lat\":" $2 }' >"$T/hh_lons"
check "the demo holds 350 households" test "$(wc -l <"$T/hh_ids")" = 350
no_households() { ! grep -q -E '"H0[0-9]{3}"' "$1" && ! grep -q -F -f "$T/hh_lons" "$1"; }

ROUTE='{"start":{"lon":136.9490202,"lat":34.945617},"district":"E05","need":"高齢独居"}'
read -r TX TY < <(awk 'BEGIN { pi = 3.141592653589793; z = 14; n = 2 ^ z;
  printf "%d %d\n", (136.95 + 180) / 360 * n, (1 - log(sin(34.95 * pi / 180) / cos(34.95 * pi / 180) + 1 / cos(34.95 * pi / 180)) / pi) / 2 * n }')
ENDPOINTS=(
  "GET /api/walk?lon=136.95&lat=34.95&minutes=15"
  "GET /api/walk?lon=136.95&lat=34.95&minutes=15&kind=candidate"
  "GET /api/isochrone?lon=136.95&lat=34.95&minutes=10"
  "GET /api/coverage?level=elementary&kind=consultation"
  "GET /api/suggest?kind=consultation&sites=1&candidates=candidate"
  "POST /api/route"
  "GET /api/households"
  "GET /api/households/H0003"
  "GET /api/me"
  "GET /tiles/coverage/14/$TX/$TY.mvt"
  "GET /tiles/coverage.json"
  "GET /ogc/collections"
)
# Expected status per role, in the order of ENDPOINTS.
declare -A WANT=(
  [anonymous]="200 401 200 401 401 401 401 401 401 401 401 200"
  [official]="200 200 200 200 200 403 403 403 200 200 200 200"
  [admin]="200 200 200 200 200 403 403 403 200 200 200 200"
  [coordinator]="200 403 200 403 403 200 200 200 200 403 403 200"
  [outreach]="200 403 200 403 403 200 403 403 200 403 403 200"
  [revoked]="401 401 401 401 401 401 401 401 401 401 401 401"
)
declare -A TOKEN=([anonymous]=- [official]=$OFF [admin]=$ADM [coordinator]=$CO [outreach]=$OUT [revoked]=$REV)
for role in anonymous official admin coordinator outreach revoked; do
  read -r -a want <<<"${WANT[$role]}"
  : >"$T/bodies.$role"
  for i in "${!ENDPOINTS[@]}"; do
    FROM=127.0.0.1
    [ "$role" = revoked ] && FROM=127.0.1.$((i + 1)) # one failure per address
    read -r method path <<<"${ENDPOINTS[$i]}"
    body=; [ "$method" = POST ] && body=$ROUTE
    code=$(req "${TOKEN[$role]}" "$method" "$path" "$body")
    # an empty coverage tile is 204: the same access decision as 200
    [ "$code" = 204 ] && [ "${want[$i]}" = 200 ] && code=200
    if [ "$code" = "${want[$i]}" ]; then ok "$role $method $path -> $code"; else bad "$role $method $path -> $code, want ${want[$i]}"; fi
    cc=$(header Cache-Control)
    if [ "$role" != anonymous ] && [ "$code" = 200 ] && [ "$cc" != "private, no-store" ]; then
      bad "$role $path: Cache-Control '$cc', want 'private, no-store'"
    fi
    if [ "$code" = 401 ] && ! grep -qi '^WWW-Authenticate: Bearer' "$T/head"; then
      bad "$role $path: 401 without WWW-Authenticate: Bearer"
    fi
    [ "$code" = 401 ] && [ "$role" = revoked ] && ! grep -qi 'error="invalid_token"' "$T/head" &&
      bad "$role $path: 401 without error=\"invalid_token\""
    if [ "$code" = 403 ] && ! jq -e '.error | test("the role [a-z]+ may not")' "$T/body" >/dev/null; then
      bad "$role $path: 403 without the sentence naming the role"
    fi
    if [ "$path" != "/api/households" ] && [ "$path" != "/api/households/H0003" ] && [ "$method" != POST ]; then
      cat "$T/body" >>"$T/bodies.$role" 2>/dev/null; echo >>"$T/bodies.$role"
    fi
  done
done
FROM=127.0.0.1
for role in anonymous official admin revoked; do
  check "$role: no household id or coordinate in any answer" no_households "$T/bodies.$role"
done
check "anonymous answers carry no private Cache-Control (cacheable public data)" \
  test "$(req - GET '/api/walk?lon=136.95&lat=34.95' >/dev/null; header Cache-Control)" = no-cache
check "/api/me names the user and its permissions" \
  test "$(req "$CO" GET /api/me >/dev/null; jq -c '[.name, .role, .agency, .can]' "$T/body")" = '["tanaka","coordinator","包括A",["households","route","visits","share"]]'

# ---- what the coordinator sees: its agency's households, no position ----
code=$(req "$CO" GET /api/households)
check "coordinator: /api/households lists 包括A's 108 households" \
  test "$code" = 200 -a "$(jq '.households | length' "$T/body")" = 108
check "coordinator: the list gives district, need tags and the sharing state (consent, commissioners' mark, protection), no coordinates" \
  bash -c "jq -e '.households[0] | keys == [\"commissioner\",\"consent\",\"district\",\"id\",\"needs\",\"protected\"]' '$T/body' >/dev/null && ! grep -q -F -f '$T/hh_lons' '$T/body'"
check "coordinator: each household's consent in the list is the stored one" \
  test "$(jq -r '.households | map(select(.consent == "yes")) | length' "$T/body")" = "$(sqlite3 "$DB" "SELECT COUNT(*) FROM households WHERE agency = '包括A' AND consent = 1")"
grep -F ',包括A' "$SRC/data/town_households.csv" | cut -d, -f1 | sort >"$T/own"
check "coordinator: exactly its agency's ids" \
  test "$(jq -r '.households[].id' "$T/body" | sort)" = "$(cat "$T/own")"
code=$(req "$CO" GET '/api/households?need=高齢独居')
check "coordinator: need narrows the list" test "$code" = 200 -a "$(jq '.households | length' "$T/body")" -lt 108
code=$(req "$CO" GET '/api/households?need=nope')
check "coordinator: an unknown need -> 400" test "$code" = 400

# A route is where the positions are (README, roles): each stop carries the
# household's position, because the visit is made there; the list and the
# answer by id never do.
own3=$(head -3 "$T/own" | jq -R . | jq -sc .)
code=$(req "$CO" POST /api/route "{\"start\":{\"lon\":136.9490202,\"lat\":34.945617},\"households\":$own3}")
check "coordinator: a route's stops carry the households' positions (to walk there)" \
  bash -c "[ $code = 200 ] && jq -r '.days[].stops[] | \"\\(.household_id),\\(.lon),\\(.lat)\"' '$T/body' | sort >'$T/pos' &&
    [ -s '$T/pos' ] && while IFS=, read -r id lon lat; do
      grep -q \"^\$id,\$lon[0-9]*,\$lat\" '$SRC/data/town_households.csv' || exit 1; done <'$T/pos'"
code=$(req "$CO" GET "/api/households/$(head -1 "$T/own")")
check "coordinator: a household by id has no position (its sharing state beside district and needs)" \
  bash -c "[ $code = 200 ] && jq -e 'keys == [\"commissioner\",\"consent\",\"district\",\"id\",\"needs\",\"protected\"]' '$T/body' >/dev/null"

# ---- another agency's household, a missing one: the same answer ----
code=$(req "$CO" GET /api/households/H0001); cp "$T/body" "$T/foreign"
check "coordinator: another agency's household (H0001) -> 404" test "$code" = 404
code=$(req "$CO" GET /api/households/H9999)
check "... the same body as a missing one" cmp -s "$T/body" "$T/foreign"
check "... naming neither id" bash -c "! grep -q -e H0001 -e H9999 '$T/foreign'"
S='"start":{"lon":136.9490202,"lat":34.945617}'
code=$(req "$CO" POST /api/route "{$S,\"households\":[\"H0001\"]}"); cp "$T/body" "$T/rforeign"
code2=$(req "$CO" POST /api/route "{$S,\"households\":[\"H9999\"]}")
check "coordinator: routing another agency's household -> 404 like a missing one" \
  bash -c "[ $code = 404 ] && [ $code2 = 404 ] && cmp -s '$T/body' '$T/rforeign' && ! grep -q H0001 '$T/rforeign'"
code=$(req "$CO" POST /api/route "{$S,\"households\":[\"H0003\",\"H0001\"]}")
check "coordinator: one foreign id among its own -> 404, nothing planned" \
  bash -c "[ $code = 404 ] && grep -q '1 of the requested households is not known' '$T/body'"
code=$(req "$OUT" POST /api/route "{$S,\"households\":[\"H0003\"]}")
check "outreach (E05): a household outside E05 (H0003) -> 404" test "$code" = 404
code=$(req "$OUT" GET /api/households)
check "outreach (E05): no household list at all, so no sharing state (403 naming no household)" \
  bash -c "[ $code = 403 ] && ! grep -q -e H0 -e consent '$T/body'"
code=$(req "$OUT" POST /api/route "{$S,\"district\":\"E01\"}")
check "outreach (E05): a route in E01 is empty" \
  test "$code" = 200 -a "$(jq '[.days[].stops[]] | length' "$T/body")" = 0
code=$(req "$OUT" POST /api/route "$ROUTE")
check "outreach (E05): a route in E05 visits households" \
  test "$code" = 200 -a "$(jq '[.days[].stops[]] | length' "$T/body")" -gt 0
check "outreach: every stop lies in E05 (the list of E05's households)" \
  bash -c "jq -r '.days[].stops[].household_id' '$T/body' | sort >'$T/stops' &&
    '$BIN' --db '$DB' route --start-lon 136.9490202 --start-lat 34.945617 --district E05 --need 高齢独居 --json 2>/dev/null |
    jq -r '.days[].stops[].household_id' | sort | cmp -s - '$T/stops'"
code=$(req "$CO" POST /api/route "{$S,\"district\":\"E03\",\"need\":\"高齢独居\"}")
jq -r '.days[].stops[].household_id, .unreachable[].household_id' "$T/body" | sort >"$T/co_stops"
check "coordinator: a route by district visits only its agency's households" \
  bash -c "[ $code = 200 ] && [ -s '$T/co_stops' ] && comm -23 '$T/co_stops' '$T/own' | wc -l | grep -qx 0"

# ---- enumeration: H0001..H0400 ----
# One curl sends the 400 requests in order (its config file: one transfer
# each, the body to a file of its own) and one sha256sum hashes the
# answers: a curl and a sha256sum per id took most of this section's time.
mkdir "$T/e"
for i in $(seq 1 400); do
  printf -v id 'H%04d' "$i"
  [ "$i" -gt 1 ] && echo next
  printf 'url = "%s"\noutput = "%s"\nheader = "Authorization: Bearer %s"\n' "$B/api/households/$id" "$T/e/$id" "$CO"
  echo 'write-out = "%{http_code} %{time_total}\n"'
done >"$T/enum.conf"
curl -s -K "$T/enum.conf" >"$T/enum.codes"
for i in $(seq 1 400); do printf 'H%04d\n' "$i"; done >"$T/enum.ids"
(cd "$T/e" && for id in $(cat "$T/enum.ids"); do [ -f "$id" ] || : >"$id"; done && sha256sum $(cat "$T/enum.ids")) |
  awk '{ print substr($1, 1, 16) }' >"$T/enum.sums"
# id, status, seconds, the answer's hash (a line per id, as before)
paste -d' ' "$T/enum.ids" "$T/enum.codes" "$T/enum.sums" >"$T/enum"
check "enumeration: 200 for exactly 包括A's ids" \
  test "$(awk '$2 == 200 { print $1 }' "$T/enum" | sort)" = "$(cat "$T/own")"
check "enumeration: one and the same 404 for every other id, foreign (H0001-H0350) or missing (H0351-H0400)" \
  test "$(awk '$2 != 200 { print $2, $4 }' "$T/enum" | sort -u | wc -l)" = 1
# median time of foreign and of missing ids, in ms
med() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] * 1000 }'; }
foreign=$(awk '$2 != 200 && $1 <= "H0350" { print $3 }' "$T/enum" | med)
missing=$(awk '$1 > "H0350" { print $3 }' "$T/enum" | med)
check "enumeration: foreign and missing ids take the same time (median $foreign ms vs $missing ms)" \
  awk -v a="$foreign" -v b="$missing" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d < 0.5 + 0.5 * (a > b ? a : b)) }'
: >"$T/renum"
for i in 1 2 4 5 6 7 351 352 353 354 355 356; do
  id=$(printf 'H%04d' "$i")
  grep -q "^$id\$" "$T/own" && continue
  req "$CO" POST /api/route "{$S,\"households\":[\"$id\"]}" >/dev/null
  sha256sum <"$T/body" | cut -c1-16 >>"$T/renum"
done
check "enumeration through routes: one answer for foreign and missing ids" test "$(sort -u "$T/renum" | wc -l)" = 1

# ---- access before parameters: nothing for the anonymous, not even "not found" ----
req - POST /api/route "{$S,\"district\":\"NOWHERE\"}" >/dev/null; cp "$T/body" "$T/a1"
req - POST /api/route "$ROUTE" >/dev/null
check "anonymous: a route to a missing and to a real district get the same 401" cmp -s "$T/body" "$T/a1"
req - GET '/api/coverage?level=nope' >/dev/null; cp "$T/body" "$T/a2"
req - GET '/api/coverage?level=elementary' >/dev/null
check "anonymous: coverage of a missing and of a real level get the same 401" cmp -s "$T/body" "$T/a2"
code=$(req "$CO" GET '/api/coverage?level=nope')
check "coordinator: coverage with a bad level -> 403, not 404" test "$code" = 403
code=$(req "$OFF" POST /api/route '{not json')
check "official: a route with a broken body -> 403, not 400" test "$code" = 403
code=$(req - GET /ogc/collections/households)
code2=$(req "$CO" GET /ogc/collections/households)
check "no households collection in OGC API for anyone (404)" test "$code" = 404 -a "$code2" = 404
code=$(req - GET /tiles/households/14/$TX/$TY.mvt)
check "no households tile layer (404)" test "$code" = 404

# ---- tokens: not in URLs, not in logs ----
code=$(req - GET "/api/coverage?access_token=$OFF")
check "a token in the query string is not accepted (401)" test "$code" = 401
code=$(req - GET "/api/walk?lon=136.95&lat=34.95&access_token=$OFF")
check "a token in the query string of a public path -> 400 unknown parameter" \
  bash -c "[ $code = 400 ] && ! grep -q '$OFF' '$T/body'"
code=$(curl -s --interface 127.0.2.1 -o /dev/null -w '%{http_code}' -H "Authorization: Basic $(printf 'sato:%s' "$OFF" | base64 -w0)" "$B/api/meta")
check "another scheme (Basic) -> 401" test "$code" = 401
code=$(curl -s --interface 127.0.2.2 -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer ${OFF}x" "$B/api/meta")
check "a malformed token -> 401, not echoed" bash -c "[ $code = 401 ] && ! grep -q tsu_ '$T/body'"

# ---- the audit log ----
audit_count() { "$BIN" --db "$DB" audit --since 2000-01-01 --json | jq 'length'; }
n0=$(audit_count)
req "$CO" GET /api/households/H0003 >/dev/null
n1=$(audit_count)
"$BIN" --db "$DB" audit --since 2000-01-01 --json >"$T/audit.json"
check "a household read by id adds one record" test "$n1" = $((n0 + 1))
check "the record: user, role, endpoint (the route's pattern: no id to outlive a purge), ids, client, UTC time" \
  test "$(jq -c '.[-1] | [.user, .role, .endpoint, .households, .ids, .client, (.at | test("^20[0-9-]+T[0-9:.]+Z$"))]' "$T/audit.json")" = \
       '["tanaka","coordinator","/api/households/{}",1,["H0003"],"127.0.0.1",true]'
req "$CO" GET '/api/households?need=高齢独居' >/dev/null
check "a list read is recorded with its ids and no query string" \
  test "$("$BIN" --db "$DB" audit --since 2000-01-01 --json | jq -c '.[-1] | [.endpoint, .households == (.ids | length), .households > 0]')" = '["/api/households",true,true]'
req "$OUT" POST /api/route "$ROUTE" >/dev/null
jq -r '[.days[].stops[].household_id, .unreachable[].household_id] | sort | .[]' "$T/body" >"$T/route_ids"
check "a route is recorded with the households it names" \
  test "$("$BIN" --db "$DB" audit --since 2000-01-01 --json | jq -r '.[-1] | select(.user == "suzuki" and .endpoint == "/api/route") | .ids | sort | .[]')" = "$(cat "$T/route_ids")"
n2=$(audit_count)
req "$CO" GET /api/households/H0001 >/dev/null
req "$OFF" GET '/api/coverage?level=elementary' >/dev/null
req - GET '/api/walk?lon=136.95&lat=34.95' >/dev/null
check "refused reads, aggregates and public answers add no record" test "$(audit_count)" = "$n2"
"$BIN" --db "$DB" route --start-lon 136.9490202 --start-lat 34.945617 --households H0003,H0010 >/dev/null 2>&1
check "the CLI's route is recorded as cli:LOGIN, operator" \
  test "$("$BIN" --db "$DB" audit --since 2000-01-01 --json | jq -c '.[-1] | [(.user | startswith("cli:")), .role, .endpoint, .ids]')" = \
       '[true,"operator","cli route",["H0003","H0010"]]'
"$BIN" --db "$DB" coverage --level elementary --kind consultation --json >/dev/null 2>&1
check "the CLI's coverage (with its uncovered list) is recorded" \
  test "$("$BIN" --db "$DB" audit --since 2000-01-01 --json | jq -c '.[-1] | [.endpoint, .households > 0]')" = '["cli coverage",true]'
n3=$(audit_count)
"$BIN" --db "$DB" coverage --level elementary --kind consultation --csv >/dev/null 2>&1
check "coverage --csv (no household named) is not" test "$(audit_count)" = "$n3"
"$BIN" --db "$DB" audit --since 2000-01-01 >"$T/audit.txt"
check "tsunagu audit prints a table with a count" bash -c "grep -q '/api/households/{} .*\\[\"H0003\"\\]' '$T/audit.txt' && grep -q 'records since 2000-01-01' '$T/audit.txt'"
check "audit --since a future date: nothing" test "$("$BIN" --db "$DB" audit --since 2999-01-01 --json | jq length)" = 0
"$BIN" --db "$DB" audit --since yesterday >/dev/null 2>&1; rc=$?
check "audit --since with a bad date -> exit 2" test "$rc" = 2
before=$(sqlite3 "$DB" "SELECT COUNT(*), MAX(id) FROM audit")
sqlite3 "$DB" "UPDATE audit SET user = 'x'" 2>"$T/sq1"; rc1=$?
sqlite3 "$DB" "DELETE FROM audit" 2>"$T/sq2"; rc2=$?
check "UPDATE on the audit table fails (append-only)" bash -c "[ $rc1 -ne 0 ] && grep -q 'append-only' '$T/sq1'"
check "DELETE on the audit table fails (append-only)" bash -c "[ $rc2 -ne 0 ] && grep -q 'append-only' '$T/sq2'"
check "the audit log is unchanged" test "$(sqlite3 "$DB" "SELECT COUNT(*), MAX(id) FROM audit")" = "$before"
check "the records of the server and the CLI form an unbroken hash chain (audit --verify)" \
  "$BIN" --db "$DB" audit --verify
check "no tsunagu user reaches the audit log over HTTP" \
  bash -c "for p in /api/audit /api/users /audit; do c=\$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer $ADM' '$B'\$p); [ \$c = 404 ] || exit 1; done"

# ---- revocation while serving, brute force ----
code=$(req "$OUT" GET /api/me)
"$BIN" --db "$DB" user revoke suzuki >/dev/null 2>&1
FROM=127.0.3.1
code2=$(req "$OUT" GET /api/me)
check "a token revoked while the server runs stops at once (200 -> 401)" test "$code" = 200 -a "$code2" = 401
FROM=127.0.4.1 # the attacker
codes=
for i in $(seq 1 12); do
  codes="$codes $(curl -s --interface "$FROM" -o /dev/null -w '%{http_code}' -H "Authorization: Bearer tsu_$(head -c 32 /dev/urandom | base64 -w0 | tr '+/' '-_' | cut -c1-42)A" "$B/api/meta")"
done
check "brute force: 401 until the bucket is empty, then 429 ($codes)" \
  bash -c "[[ '$codes' == *401* ]] && [[ '$codes' == *' 429 429' ]]"
code=$(req "$OFF" GET /api/me)
check "while throttled, even a good token from that address waits (429 with Retry-After)" \
  bash -c "[ $code = 429 ] && [ \"\$(grep -i '^Retry-After:' '$T/head' | tr -dc 0-9)\" -ge 1 ]"
check "anonymous requests are not throttled" test "$(req - GET /api/meta)" = 200
FROM=127.0.0.1
check "other addresses are not throttled" test "$(req "$OFF" GET /api/me)" = 200

# ---- the log ----
check "the server log holds no token" bash -c "! grep -q -e tsu_ -e '$OFF' -e '$CO' '$T/srv.err'"
check "the server log holds no query string" bash -c "! grep -q '?' '$T/srv.err'"
check "the server log holds no household id (the route's pattern instead)" \
  bash -c "! grep -q -E 'H0[0-9]{3}' '$T/srv.err' && grep -q '^GET /api/households/{} 404 ' '$T/srv.err'"
check "every request line of the log names a route pattern or (no route)" \
  bash -c "! grep -v '^tsunagu: ' '$T/srv.err' | grep -v -E '^[A-Z]+ (/[a-z/_{}-]*|\(no route\)) ([0-9]{3}|-) [0-9.]+ ms' | grep -q ."

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
