#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_http_plan.sh - the planning answers over the real server (http_plan.c)
# on the demo town, checked against the CLI that prints the same documents,
# each asked with the token of a role that may (an official for coverage
# and suggestions, outreach and coordinators for routes; cli_auth.sh tests
# the other roles):
#   - GET /api/coverage shows the figures of `tsunagu coverage --json`
#     without "uncovered", except counts of 1-4 households ("<5") and the
#     complementary figures that would give them away (null): no hidden
#     count can be worked out from a total, and no answer names a household;
#   - GET /api/suggest equals `tsunagu suggest --json` where it shows a figure,
#     names only candidate sites adding at least 5 households, with no
#     household figure per pick; network nodes are refused (403);
#   - POST /api/route (district + need, or household ids) equals
#     `tsunagu route --json`, with Cache-Control: no-store;
#   - bad input is a 400 naming the parameter or body member (type, range,
#     unknown member, nesting, JSON syntax, duplicate member, Content-Type),
#     ERR_LIMIT 413 past 200 ids, 404 for unknown districts, levels,
#     candidate kinds and households (a count), 405 for GET /api/route, and
#     no error sentence ever repeats an id the client sent.
# Skips (77) only when curl or jq is missing.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
. "$(dirname "$0")/lib.sh"

for tool in curl jq; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "SKIP: $tool is not installed (bash .ci/install installs it)"; exit 77
  fi
done

tl_scratch
DB=$T/demo.db
TSUNAGU_DATA=$SRC/data "$BIN" --db "$DB" demo --no-serve >"$T/demo.out" 2>&1
check "demo --no-serve builds the database" test $? -eq 0
OFF=$("$BIN" --db "$DB" user add plan-official --role official 2>/dev/null)
OUT=$("$BIN" --db "$DB" user add plan-outreach --role outreach --district elementary:E05 2>/dev/null)
CO=$("$BIN" --db "$DB" user add plan-shakyo --role coordinator --agency 社協 2>/dev/null)
COB=$("$BIN" --db "$DB" user add plan-houkatsu-b --role coordinator --agency 包括B 2>/dev/null)
check "user add prints a token per user" test -n "$OFF" -a -n "$OUT" -a -n "$CO" -a -n "$COB"
AS=$OFF # the token get and post send

"$BIN" --db "$DB" serve --port 0 --threads 2 >"$T/srv.out" 2>"$T/srv.err" &
SRV=$!
PORT=$(tl_port "$T/srv.out" "$SRV")
if [ -z "$PORT" ]; then echo "FAIL - the server did not start:"; cat "$T/srv.err"; exit 1; fi
B=http://127.0.0.1:$PORT

# get PATH [curl options...]: prints the status; body in $T/body, headers in
# $T/head; every body is kept in $T/all for the privacy check.
get() {
  local path=$1; shift
  rm -f "$T/body"
  local code
  code=$(curl -s --max-time 120 -o "$T/body" -D "$T/head" -w '%{http_code}' \
    -H "Authorization: Bearer $AS" "$@" "$B$path")
  cat "$T/body" >>"$T/all" 2>/dev/null; echo >>"$T/all"
  echo "$code"
}
header() { grep -i "^$1:" "$T/head" | tr -d '\r' | sed 's/^[^:]*: *//'; }
post() { get /api/route -X POST -H 'Content-Type: application/json' --data-binary "$1"; }
same() { cmp -s <(jq -S . "$1") <(jq -S . "$2"); }
says() { [ "$(jq -r .error "$T/body")" != null ] && jq -r .error "$T/body" | grep -q -- "$1"; }

# ---- coverage ----
code=$(get "/api/coverage?minutes=30&level=elementary&kind=consultation")
check "/api/coverage 200" test "$code" = 200
cp "$T/body" "$T/cov.http"
"$BIN" --db "$DB" coverage --minutes 30 --level elementary --kind consultation --json | jq 'del(.uncovered)' >"$T/cov.cli"
# shown FILE_HTTP FILE_CLI: every number the answer shows equals the CLI's;
# "<5" stands for 1-4 in the CLI and null for a hidden figure (never a
# shown one the CLI has as null); the rest of the document is equal.
shown() {
  jq -n --slurpfile h "$1" --slurpfile c "$2" '
    [$h[0] | paths(scalars or . == null)] as $ps
    | [$ps[] | . as $p | ($h[0] | getpath($p)) as $a | ($c[0] | getpath($p)) as $b
       | select($p[-1] != "suppressed")
       | select(if $a == "<5" then ($b | type) != "number" or $b < 1 or $b > 4
                elif $a == null then false else $a != $b end)] | length == 0' | grep -q true
}
check "/api/coverage = coverage --json where it shows a figure" shown "$T/cov.http" "$T/cov.cli"
check "/api/coverage: the same rows and keys as the CLI" \
  test "$(jq -c '[.districts[].code], (.districts[0] | del(.suppressed) | keys)' "$T/cov.http")" = \
       "$(jq -c '[.districts[].code], (.districts[0] | keys)' "$T/cov.cli")"
check "/api/coverage has no uncovered list" test "$(jq 'has("uncovered")' "$T/cov.http")" = false
check "/api/coverage: E05 10.1% covered" test "$(jq '.districts[] | select(.code=="E05") | .share_covered' "$T/cov.http")" = 0.1014
check "/api/coverage: E06's 3 off-network households read <5" \
  test "$(jq -r '.districts[] | select(.code=="E06") | .households_off_network' "$T/cov.http")" = "<5"
check "/api/coverage: E04's 4 uncovered households are not derivable (households or covered hidden)" \
  test "$(jq -c '.districts[] | select(.code=="E04") | [(.households == null or .households_covered == null), .share_covered, .suppressed]' "$T/cov.http")" = '[true,null,true]'
check "/api/coverage: Cache-Control private, no-store" test "$(header Cache-Control)" = "private, no-store"
# An attack on the totals: in each column whose total is shown, a lone
# hidden district would be the total minus the others.
check "/api/coverage: no column has exactly one hidden district under a shown total" \
  test "$(jq '[ "households", "households_covered", "households_off_network", "households_unreachable" ] as $ks
    | . as $d | [ $ks[] as $k | select(($d.total[$k] | type) == "number")
      | [ $d.districts[] | select((.[$k] | type) != "number") ] | length | select(. == 1) ] | length' "$T/cov.http")" = 0
check "/api/coverage: the loads hide no lone covered count under the shown total" \
  test "$(jq 'if (.total.households_covered | type) == "number"
    then [ .resources[] | select((.households_nearest_covered | type) != "number") ] | length != 1 else true end' "$T/cov.http")" = true
code=$(get "/api/coverage?minutes=20&speed=elderly&field=elderly")
check "/api/coverage without level: total only" sh -c "[ $code = 200 ] && [ \"\$(jq '.districts | length' '$T/body')\" = 0 ]"
check "minutes=0 -> 400 minutes" sh -c "[ \"\$(curl -s -o '$T/e' -w '%{http_code}' -H 'Authorization: Bearer $AS' '$B/api/coverage?minutes=0')\" = 400 ] && grep -q minutes '$T/e'"
code=$(get "/api/coverage?field=children&level=elementary")
check "/api/coverage: a load on 1-4 households reads <5" test "$(jq '[.resources[] | select(.suppressed and (.households_nearest == "<5" or .households_nearest_covered == "<5"))] | length' "$T/body")" -ge 1
check "/api/coverage: no figure of 1-4 households is shown" test "$(jq '[.districts[], .total | .households, .households_covered, .households_off_network, .households_unreachable] + [.resources[] | .households_nearest, .households_nearest_covered] | map(select(type == "number" and . > 0 and . < 5)) | length' "$T/body")" = 0
code=$(get "/api/coverage?level=nope")
check "unknown level -> 404" test "$code" = 404
code=$(get "/api/coverage?level=elementary&uncovered=1")
check "unknown parameter -> 400 naming it" sh -c "[ $code = 400 ] && grep -q \"unknown parameter 'uncovered'\" '$T/body'"

# ---- suggest ----
code=$(get "/api/suggest?minutes=30&kind=consultation&sites=3&candidates=candidate")
check "/api/suggest 200" test "$code" = 200
jq 'del(.min_households_added)' "$T/body" >"$T/sug.http"
"$BIN" --db "$DB" suggest --minutes 30 --kind consultation --sites 3 --candidates candidate --json >"$T/sug.cli"
check "/api/suggest = suggest --json where it shows a figure" shown "$T/sug.http" "$T/sug.cli"
check "/api/suggest picks C05 first" test "$(jq -r '.picks[0].id' "$T/body")" = C05
check "/api/suggest: the 3 off-network households read <5" test "$(jq -r '.before.households_off_network' "$T/body")" = "<5"
check "/api/suggest: a pick shows no household figure, only that it adds at least 5" \
  test "$(jq -c '[.min_households_added, (.picks[] | .households_added, .households_covered, .share_covered)] | unique' "$T/body")" = '[null,5]'
check "/api/suggest: the before figures are the coverage answer's (same hidden cells)" \
  test "$(jq -c '.before | [.households, .households_covered, .households_off_network]' "$T/body")" = \
       "$(jq -c '.total | [.households, .households_covered, .households_off_network]' "$T/cov.http")"
code=$(get "/api/suggest?minutes=1&speed=30&kind=consultation&sites=50&candidates=candidate")
check "/api/suggest at 30 m: no candidate adds 5 households, so none is named" \
  test "$code" = 200 -a "$(jq '.picks | length' "$T/body")" = 0
code=$(get "/api/suggest?minutes=20&kind=consultation&sites=2")
check "/api/suggest on network nodes -> 403 saying why" \
  sh -c "[ $code = 403 ] && grep -q 'single households' '$T/body'"
code=$(get "/api/suggest?kind=consultation&sites=0")
check "sites=0 -> 400 sites" sh -c "[ $code = 400 ] && grep -q sites '$T/body'"
code=$(get "/api/suggest?kind=consultation&candidates=nope")
check "unknown candidate kind -> 404" test "$code" = 404

# ---- route ----
AS=$OUT # an outreach worker assigned E05
S='"start":{"lon":136.9490202,"lat":34.945617}'
code=$(post "{$S,\"district\":\"E05\",\"need\":\"高齢独居\"}")
check "POST /api/route by district and need 200" test "$code" = 200
check "route: Cache-Control private, no-store" test "$(header Cache-Control)" = "private, no-store"
"$BIN" --db "$DB" route --start-lon 136.9490202 --start-lat 34.945617 --district E05 --need 高齢独居 --json >"$T/route.cli"
check "route = route --json" same "$T/body" "$T/route.cli"
AS=$CO # the coordinator of 社協, whose households these are
IDS='H0044,H0057,H0222,H0333,H0345'
code=$(post "{$S,\"households\":$(jq -cn --arg s "$IDS" '$s | split(",")'),\"dwell\":15,\"day_minutes\":300,\"speed\":\"slow\",\"start_time\":\"08:30\"}")
"$BIN" --db "$DB" route --start-lon 136.9490202 --start-lat 34.945617 --households "$IDS" --dwell 15 --day-minutes 300 --speed slow --start-time 08:30 --json >"$T/route2.cli"
check "route by ids with options 200" test "$code" = 200
check "route by ids with options = CLI" same "$T/body" "$T/route2.cli"
AS=$COB # 包括B's coordinator
code=$(post "{$S,\"households\":[\"H0301\"]}")
check "route by ids leaves H0301 out (off the network)" test "$(jq -r '.unreachable[0].household_id' "$T/body")" = H0301
AS=$OUT
: >"$T/all" # households are expected above; from here on no answer may name one

bad_body() { # BODY WORD [STATUS]
  local code
  code=$(post "$1")
  [ "$code" = "${3:-400}" ] && says "$2" && [ "$(header Cache-Control)" = "private, no-store" ]
}
check "no start -> 400 start" bad_body '{"district":"E05"}' "start"
check "start.lon text -> 400 start.lon" bad_body '{"start":{"lon":"x","lat":34.95},"district":"E05"}' "start.lon"
check "start with a third member -> 400 start" bad_body '{"start":{"lon":136.95,"lat":34.95,"z":1},"district":"E05"}' "start must be"
check "start outside the area -> 400" bad_body '{"start":{"lon":10,"lat":34.95},"district":"E05"}' "outside"
check "unknown member -> 400 naming it" bad_body "{$S,\"district\":\"E05\",\"colour\":1}" "unknown member 'colour'"
check "households not an array -> 400" bad_body "{$S,\"households\":\"H0001\"}" "households must be"
check "households empty -> 400" bad_body "{$S,\"households\":[]}" "households must be"
check "an id with a comma -> 400 households[1]" bad_body "{$S,\"households\":[\"H0001\",\"H0002,H0003\"]}" 'households\[1\]'
check "an id that is a number -> 400 households[0]" bad_body "{$S,\"households\":[7]}" 'households\[0\]'
many=$(jq -cn '[range(201) | "X\(.)"]')
check "201 ids -> 413" bad_body "{$S,\"households\":$many}" "at most 200" 413
check "households and district -> 400" bad_body "{$S,\"households\":[\"H0001\"],\"district\":\"E05\"}" "one of households"
check "need without district -> 400" bad_body "{$S,\"households\":[\"H0001\"],\"need\":\"DV\"}" "need goes with district"
check "unknown need -> 400 need" bad_body "{$S,\"district\":\"E05\",\"need\":\"xyz\"}" "need 'xyz'"
check "dwell 999 -> 400 dwell" bad_body "{$S,\"district\":\"E05\",\"dwell\":999}" "dwell must be between"
check "dwell as text -> 400 dwell" bad_body "{$S,\"district\":\"E05\",\"dwell\":\"20\"}" "dwell must be a number"
check "day_minutes 10 -> 400 day_minutes" bad_body "{$S,\"district\":\"E05\",\"day_minutes\":10}" "day_minutes must be between"
check "start_time 25:00 -> 400 start_time" bad_body "{$S,\"district\":\"E05\",\"start_time\":\"25:00\"}" "start_time"
check "past midnight -> 400" bad_body "{$S,\"district\":\"E05\",\"start_time\":\"22:00\"}" "past midnight"
check "speed 5 -> 400 speed" bad_body "{$S,\"district\":\"E05\",\"speed\":5}" "speed"
check "speed fast -> 400 speed" bad_body "{$S,\"district\":\"E05\",\"speed\":\"fast\"}" "speed"
check "nesting 5 deep -> 400" bad_body "{$S,\"district\":\"E05\",\"x\":[[[[1]]]]}" "deeper than 4"
check "deep nesting inside a string is fine" bad_body "{$S,\"district\":\"[[[[[[\"}" "no district is named" 404
check "invalid JSON -> 400 with the position only" bad_body "{$S,\"households\":[\"SECRET1\" \"SECRET2\"]}" "not valid JSON (line 1, column"
check "a duplicate member -> 400" bad_body "{$S,\"district\":\"E05\",\"district\":\"E04\"}" "names a member twice"
check "an array body -> 400" bad_body '[1,2]' "must be a JSON object"
check "an empty body -> 400" bad_body '' "needs a JSON object body"
check "unknown households -> 404 with a count (H0001 is outside E05: counted too)" bad_body "{$S,\"households\":[\"H0001\",\"SECRET3\",\"SECRET4\"]}" "3 of the requested households are not known" 404
check "unknown district -> 404" bad_body "{$S,\"district\":\"NOWHERE\"}" "no district" 404
code=$(get /api/route -X POST -H 'Content-Type: text/plain' --data-binary "{$S,\"district\":\"E05\"}")
check "text/plain body -> 400 Content-Type" sh -c "[ $code = 400 ] && grep -q 'Content-Type: application/json' '$T/body'"
code=$(get /api/route -X POST --data-binary "{$S,\"district\":\"E05\"}" -H 'Content-Type:')
check "no Content-Type -> 400" test "$code" = 400
code=$(get /api/route -X POST -H 'Content-Type: application/json; charset=utf-8' --data-binary "{$S,\"district\":\"E05\",\"need\":\"DV\"}")
check "application/json; charset=utf-8 is accepted" test "$code" = 200
: >"$T/all"
head -c 70000 /dev/zero | tr '\0' ' ' >"$T/big"
code=$(get /api/route -X POST -H 'Content-Type: application/json' --data-binary @"$T/big")
check "a 70 kB body -> 413" test "$code" = 413
code=$(get /api/route)
check "GET /api/route -> 405 Allow: POST" sh -c "[ $code = 405 ] && [ \"\$(grep -i '^allow:' '$T/head' | tr -d '\r')\" = 'Allow: POST' ]"
check "no error sentence repeats an id sent" sh -c "! grep -q -e SECRET -e H0001 -e X199 '$T/all'"
check "the request log holds no query string or body" sh -c "! grep -q -e '?' -e SECRET '$T/srv.err'"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
