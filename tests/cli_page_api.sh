#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_page_api.sh - what the map page asks of the server beyond walking
# answers (issue 15): every error carries a stable `code` beside its
# sentence; /api/meta names the place (demo flag, municipality from the
# address reference); /api/resources carries operator and target;
# /api/walk and /api/isochrone take steps-factor; /api/path traces the
# walking path from the origin to a resource (a LineString starting at the
# origin and ending at the resource, with its length), refuses bad or
# missing points and answers 404 beyond the minutes.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
. "$(dirname "$0")/lib.sh"
tl_need curl jq
tl_scratch
tl_demo_db "$T/demo.db"
"$BIN" --db "$T/demo.db" serve --port 0 >"$T/srv.out" 2>"$T/srv.err" &
SRV=$!
PORT=$(tl_port "$T/srv.out" "$SRV")
[ -n "$PORT" ] || { echo "FAIL - the server did not start"; cat "$T/srv.err"; exit 1; }
U=http://127.0.0.1:$PORT
get() { curl -s -o "$T/body" -w '%{http_code}' "$U$1"; }

st=$(get '/api/walk?lon=1&lat=2')
check "a bad walk query answers 400 with code bad_input and a sentence" \
  test "$st" = 400 -a "$(jq -r .code "$T/body")" = bad_input -a -n "$(jq -r .error "$T/body")"
st=$(get '/nothing')
check "an unknown path answers 404 with code not_found" test "$st" = 404 -a "$(jq -r .code "$T/body")" = not_found
st=$(get '/api/coverage?kind=consultation')
check "coverage without a token answers 401 with code unauthorized" \
  test "$st" = 401 -a "$(jq -r .code "$T/body")" = unauthorized

get /api/meta >/dev/null
check "/api/meta says the demo town is the demo" test "$(jq -r .demo "$T/body")" = true
check "/api/meta names the demo town's fictional municipality" test "$(jq -r .municipality "$T/body")" = 架空市（デモの町）
get /api/resources >/dev/null
check "/api/resources carries target and operator" \
  test "$(jq -r '.resources[0].target' "$T/body")" = everyone -a \
  "$(jq -r '.resources[0].operator' "$T/body")" = 架空市

O='lon=136.9490&lat=34.9456'
st=$(get "/api/walk?$O&steps-factor=3")
check "/api/walk takes steps-factor" test "$st" = 200
st=$(get "/api/isochrone?$O&steps-factor=101")
check "/api/isochrone refuses a steps factor above 100" test "$st" = 400
st=$(get "/api/walk?$O&minutes=30")
TO=$(jq -r '.resources[-1] | "to_lon=\(.lon)&to_lat=\(.lat)"' "$T/body")
FARM=$(jq -r '.resources[-1].walk_min' "$T/body")
st=$(get "/api/path?$O&minutes=30&$TO")
check "/api/path answers a LineString" test "$st" = 200 -a "$(jq -r .geometry.type "$T/body")" = LineString
check "the path starts at the origin" test "$(jq -c '.geometry.coordinates[0]' "$T/body")" = '[136.949,34.9456]'
want=$(echo "$TO" | sed 's/to_lon=\(.*\)&to_lat=\(.*\)/[\1,\2]/')
check "the path ends at the resource" test "$(jq -c '.geometry.coordinates[-1]' "$T/body")" = "$want"
check "the path is as long as the walk answer says ($FARM min)" \
  test "$(jq -r ".properties.walk_min - $FARM | fabs < 0.11" "$T/body")" = true
st=$(get "/api/path?$O&minutes=5&$TO")
check "beyond the minutes: 404 not_found" test "$st" = 404 -a "$(jq -r .code "$T/body")" = not_found
st=$(get "/api/path?$O")
check "no destination: 400 naming to_lon" test "$st" = 400 -a -n "$(jq -r '.error | select(test("to_lon"))' "$T/body")"
st=$(get "/api/path?$O&to_lon=abc&to_lat=34.9")
check "a bad destination number: 400" test "$st" = 400

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
