#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_faults.sh - faults, load and hostile input against the real program,
# on copies of the demo town's database, over loopback only:
#   1. imports killed with SIGKILL at random moments (TSUNAGU_KILL_LOOPS,
#      default 25): the database is byte-for-byte what it was before (its
#      `sqlite3 .dump` hash), or, when the import had committed (one more
#      row in the imports log; a network's base map may add a second),
#      holds the whole import; integrity_check ok;
#   2. readers keep answering while an import writes (WAL): the server and
#      `tsunagu walk` on the same file;
#   3. a server killed with SIGKILL restarts on the same port and database;
#      SIGTERM with several slow requests in flight and an idle client
#      answers them all and exits 0 within the drain time (cli_http.sh
#      covers the single-request case);
#   4. slow clients: one trickling its headers byte by byte and 24 idle
#      connections (all from 127.0.0.1, within its 32 connections:
#      cli_conn_limits.sh tests the limit) do not delay other requests; a client that stalls in
#      its headers is dropped after the connection timeout (30 s);
#   5. 10 MB bodies (with Content-Length and chunked) are 413 and the server
#      keeps serving;
#   6. SQL metacharacters in every text parameter of every endpoint answer
#      a 4xx or a normal answer, never 5xx, and the resources table is
#      unchanged; path traversal on static files (/../, %2e%2e, %2f, double
#      encoding, overlong UTF-8, backslashes, NUL) is a 4xx that shows no
#      file; huge numbers, NaN, inf, negative zoom and tiles off the grid
#      are 400.
# Uses ../shared/data/ube/ube_roads_osm_edges.gpkg as the larger network
# when present (else data/town_network.geojson) and a generated households
# file (fictional ids). TSUNAGU_FAULT_SEED fixes the random delays.
# Skips (77) only when curl or sqlite3 is missing.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
SHARED=${TSUNAGU_SHARED:-$SRC/../shared/data}
DATA=$SRC/data
LOOPS=${TSUNAGU_KILL_LOOPS:-25}
SEED=${TSUNAGU_FAULT_SEED:-$$}
RANDOM=$SEED
. "$(dirname "$0")/lib.sh"

for tool in curl sqlite3 sha256sum; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "SKIP: $tool is not installed (bash .ci/install installs it)"; exit 77
  fi
done

T=$(mktemp -d)
PIDS=()   # background processes to stop on exit (servers, clients, imports)
cleanup() {
  exec 2>/dev/null # no "Killed" job notices for the clients stopped here
  for p in "${PIDS[@]}"; do
    kill -KILL "$p" 2>/dev/null
  done
  wait 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
echo "# seed $SEED (TSUNAGU_FAULT_SEED=$SEED repeats the random delays)"

TSUNAGU_DATA=$DATA "$BIN" --db "$T/demo.db" demo --no-serve >"$T/demo.out" 2>&1
check "the demo database builds" test $? -eq 0

# A households file large enough that an import runs for seconds.
awk 'BEGIN { srand(7); print "id,lon,lat,members,needs,consent,agency";
  split("高齢独居;認知症;要介護;8050;ひきこもり;孤立;生活困窮", n, ";");
  for (i = 1; i <= 60000; i++)
    printf "F%06d,%.7f,%.7f,%d,%s,yes,包括A\n", i, 136.93 + rand() * 0.04,
           34.93 + rand() * 0.04, 1 + int(rand() * 5), n[1 + int(rand() * 7)] }' >"$T/big.csv"
NET=$SHARED/ube/ube_roads_osm_edges.gpkg
[ -f "$NET" ] || NET=$DATA/town_network.geojson
echo "# network input: $NET"

dump_hash() { sqlite3 "$1" .dump | sha256sum | cut -d' ' -f1; }
scalar() { sqlite3 "$1" "$2"; }

# ---------------------------------------------------------------- 1. kill loop
K=$T/kill.db
cp "$T/demo.db" "$K"
ref=$(dump_hash "$K")
logs=$(scalar "$K" "SELECT count(*) FROM imports")
rolled=0; landed=0; broken=0
for i in $(seq 1 "$LOOPS"); do
  if [ $((i % 2)) -eq 1 ]; then kind=households; file=$T/big.csv; else kind=network; file=$NET; fi
  ms=$((RANDOM % 1501))
  "$BIN" --db "$K" import "$kind" "$file" >"$T/imp.out" 2>&1 &
  imp=$!
  sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
  kill -KILL "$imp" 2>/dev/null
  wait "$imp" 2>/dev/null
  integ=$(scalar "$K" "PRAGMA integrity_check")
  now_logs=$(scalar "$K" "SELECT count(*) FROM imports")
  h=$(dump_hash "$K")
  if [ "$integ" != ok ]; then
    broken=$((broken+1)); bad "kill $i ($kind after $ms ms): integrity_check says $integ"
  elif [ "$now_logs" = "$logs" ]; then
    if [ "$h" = "$ref" ]; then rolled=$((rolled+1)); else
      broken=$((broken+1)); bad "kill $i ($kind after $ms ms): no import logged, yet the database changed"
    fi
  elif [ "$now_logs" = $((logs + 1)) ] ||
    { [ "$kind" = network ] && [ "$now_logs" = $((logs + 2)) ] &&
      [ "$(scalar "$K" "SELECT kind FROM imports ORDER BY id DESC LIMIT 1")" = basemap ]; }; then
    # (A network import is followed by its own base map's import, a
    # transaction of its own: the kill may land before or after it.)
    # Committed before the kill: the whole file must be there.
    if [ "$kind" = households ]; then
      whole=$(scalar "$K" "SELECT count(*) FROM households WHERE source = 'big.csv'")
      want=60000
    else
      whole=$(scalar "$K" "SELECT count(*) > 0 FROM net_edges"); want=1
    fi
    if [ "$whole" = "$want" ]; then landed=$((landed+1)); ref=$h; logs=$now_logs; else
      broken=$((broken+1)); bad "kill $i ($kind after $ms ms): committed but incomplete ($whole)"
    fi
  else
    broken=$((broken+1)); bad "kill $i: the imports log went from $logs to $now_logs rows"
  fi
done
check "SIGKILL x$LOOPS during imports: $rolled left the database as before, $landed had committed whole, $broken damaged" \
  test "$broken" -eq 0 -a $((rolled + landed)) -eq "$LOOPS"
check "the database still opens and imports after the kills" \
  "$BIN" --db "$K" import resources "$DATA/town_resources.geojson" >/dev/null

# ------------------------------------------------------------- server helpers
# start_server DB [PORT]: starts `tsunagu serve` in the background; sets SRV
# (pid) and B (base URL). Returns 1 when it does not come up.
SRV=; B=
start_server() {
  local db=$1 port=${2:-0} p=
  "$BIN" --db "$db" serve --port "$port" --threads 3 >"$T/srv.out" 2>"$T/srv.err" &
  SRV=$!; PIDS+=("$SRV")
  for _ in $(seq 1 300); do
    p=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9][0-9]*\)/.*|\1|p' "$T/srv.out" 2>/dev/null)
    [ -n "$p" ] && break
    kill -0 "$SRV" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$p" ] || { cat "$T/srv.out" "$T/srv.err"; return 1; }
  PORT=$p; B=http://127.0.0.1:$p
}
# who_of PATH: sets WHO to the Authorization header of the role PATH needs
# (empty for public paths): requests go signed in as that role.
who_of() {
  WHO=
  case $1 in
    /api/route*) [ -n "${CO:-}" ] && WHO="Authorization: Bearer $CO" ;;
    /api/coverage*|/api/suggest*|/tiles/coverage*) [ -n "${OFF:-}" ] && WHO="Authorization: Bearer $OFF" ;;
  esac
}
# code PATH [curl options...]: the status (000 when no answer), body in $T/body.
code() {
  local path=$1; shift
  local who=()
  who_of "$path"
  [ -n "$WHO" ] && who=(-H "$WHO")
  curl -s --max-time 30 -o "$T/body" -w '%{http_code}' "${who[@]}" "$@" "$B$path"
}
# Many requests, one curl: queue PATH [BODY] appends to $T/queue, in curl's
# config format, the request code() would send (a POST of the JSON BODY
# when given); codes_of_queue then sends them all, in order, over kept-alive
# connections and prints each status on a line (000 when no answer), where
# a curl process per request spent most of the time starting curl. (No
# command substitution per request: forks are slow on a loaded machine.)
# conf NAME VALUE: one line NAME = "VALUE" of the config, VALUE escaped.
conf() { local v=${2//\\/\\\\}; v=${v//\"/\\\"}; printf '%s = "%s"\n' "$1" "$v"; }
queue() {
  who_of "$1"
  {
    [ -s "$T/queue" ] && echo next
    conf url "$B$1"
    conf output /dev/null
    conf max-time 30
    echo 'write-out = "%{http_code}\n"'
    [ -n "$WHO" ] && conf header "$WHO"
    if [ $# -gt 1 ]; then
      conf request POST
      conf header 'Content-Type: application/json'
      conf data-binary "$2"
    fi
  } >>"$T/queue"
}
codes_of_queue() { curl -s -K "$T/queue"; rm -f "$T/queue"; }
# ms PATH: milliseconds one request takes (status must be 200).
ms_of() {
  local t
  t=$(curl -s --max-time 30 -o /dev/null -w '%{http_code} %{time_total}' "$B$1")
  [ "${t%% *}" = 200 ] || { echo 99999; return; }
  awk -v s="${t#* }" 'BEGIN { printf "%d", s * 1000 }'
}

# ------------------------------------------------ 2. readers during an import
S=$T/serve.db
cp "$T/demo.db" "$S"
# Signed-in roles for the endpoints that need them (README "Security"):
# an official (coverage, suggestions) and a coordinator (routes).
OFF=$("$BIN" --db "$S" user add fault_official --role official 2>/dev/null)
CO=$("$BIN" --db "$S" user add fault_coordinator --role coordinator --agency 包括A 2>/dev/null)
check "two users for the signed-in endpoints" test -n "$OFF" -a -n "$CO"
start_server "$S" || bad "the server starts"
"$BIN" --db "$S" import households "$T/big.csv" >"$T/imp2.out" 2>&1 &
imp=$!; PIDS+=("$imp")
answered=0; slow=0; failed=0; walks=0
while kill -0 "$imp" 2>/dev/null; do
  c=$(curl -s --max-time 5 -o /dev/null -w '%{http_code} %{time_total}' \
      "$B/api/walk?lon=136.95&lat=34.95&minutes=10")
  if kill -0 "$imp" 2>/dev/null; then
    if [ "${c%% *}" = 200 ]; then answered=$((answered+1)); else failed=$((failed+1)); fi
    awk -v s="${c#* }" 'BEGIN { exit !(s > 2) }' && slow=$((slow+1))
    if [ $walks -lt 3 ] && "$BIN" --db "$S" walk --lon 136.95 --lat 34.95 --minutes 10 >/dev/null 2>&1 \
       && kill -0 "$imp" 2>/dev/null; then
      walks=$((walks+1))
    fi
  fi
  sleep 0.05
done
wait "$imp"; irc=$?
check "the import next to the readers succeeds" test "$irc" -eq 0
check "the server answered $answered walks during the import (none failed, none over 2 s)" \
  test "$answered" -ge 3 -a "$failed" -eq 0 -a "$slow" -eq 0
check "tsunagu walk answered $walks times during the import" test "$walks" -ge 1

# ----------------------------------------------- 3. SIGKILL, restart, SIGTERM
kill -KILL "$SRV"; wait "$SRV" 2>/dev/null
OLDPORT=$PORT
start_server "$S" "$OLDPORT" || bad "restart after SIGKILL"
check "after SIGKILL the server restarts on the same port $OLDPORT" test "$PORT" = "$OLDPORT"
check "the restarted server answers" test "$(code /api/meta)" = 200
check "the database is sound after the kill" test "$(scalar "$S" 'PRAGMA integrity_check')" = ok

# ------------------------------------------------------------- 4. slow clients
# A client stalling in its headers: dropped by the server's timeout.
( exec 3<>"/dev/tcp/127.0.0.1/$PORT" || exit 1
  printf 'GET /api/meta HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ' >&3
  s=$(date +%s); cat <&3 >/dev/null; echo $(( $(date +%s) - s )) >"$T/stall.secs" ) &
STALL=$!; PIDS+=("$STALL")
# 24 idle connections that never send a byte (with the others from this
# address within the server's 32 per address).
for _ in $(seq 1 24); do
  ( exec 3<>"/dev/tcp/127.0.0.1/$PORT" && sleep 40 ) 2>/dev/null &
  PIDS+=("$!")
done
# A client sending its request one byte every 0.1 s.
( exec 3<>"/dev/tcp/127.0.0.1/$PORT" || exit 1
  req=$'GET /api/levels HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'
  for ((k = 0; k < ${#req}; k++)); do printf '%s' "${req:k:1}" >&3; sleep 0.1; done
  head -c 12 <&3 >"$T/trickle.status" ) &
TRICKLE=$!; PIDS+=("$TRICKLE")
sleep 0.5
worst=0
for _ in $(seq 1 20); do
  m=$(ms_of "/api/meta"); [ "$m" -gt "$worst" ] && worst=$m
  sleep 0.2
done
check "with a trickling, a stalled and 24 idle clients, /api/meta still answers (slowest ${worst} ms)" \
  test "$worst" -lt 1000
wait "$TRICKLE"
check "the trickling client is served in the end" grep -q '^HTTP/1.1 200' "$T/trickle.status"

# --------------------------------------------------------------- 5. big bodies
head -c $((10 * 1024 * 1024)) /dev/zero | tr '\0' ' ' >"$T/10mb"
check "10 MB JSON body -> 413" test "$(code /api/route -X POST -H 'Content-Type: application/json' \
  --data-binary @"$T/10mb")" = 413
check "10 MB chunked body -> 413" test "$(code /api/route -X POST -H 'Content-Type: application/json' \
  -H 'Transfer-Encoding: chunked' --data-binary @"$T/10mb")" = 413
check "10 MB body to a GET-only path -> 4xx" \
  test "$(code /api/meta -X POST --data-binary @"$T/10mb" | cut -c1)" = 4
check "after the big bodies the server still answers" test "$(code /api/meta)" = 200

# ------------------------------------------------- 6. hostile parameters
res_before=$(sqlite3 "$S" "SELECT count(*), group_concat(ext_id) FROM resources")
hh_before=$(scalar "$S" "SELECT count(*) FROM households")
PAYLOADS=("%27%3B%20DROP%20TABLE%20resources%3B--" "%27" "%22%20OR%201%3D1%20--"
          "1%29%20UNION%20SELECT%20ext_id%20FROM%20households--" "%E2%80%99%20OR%20%E2%80%991%E2%80%99%3D%E2%80%991"
          "%EF%BC%87%3B%20DROP%20TABLE%20resources" "%5C%27" "%25%27" "%00" "%FF%FE" "%C0%A7"
          "%27%27%27%27%27%27%27%27%27%27%27%27%27%27%27%27")
# path?query with @ where the payload goes
TARGETS=("/api/walk?lon=@&lat=34.95" "/api/walk?lon=136.95&lat=@" "/api/walk?lon=136.95&lat=34.95&minutes=@"
         "/api/walk?lon=136.95&lat=34.95&speed=@" "/api/walk?lon=136.95&lat=34.95&kind=@"
         "/api/walk?lon=136.95&lat=34.95&field=@" "/api/walk?lon=136.95&lat=34.95&@=1"
         "/api/isochrone?lon=136.95&lat=34.95&minutes=@" "/api/isochrone?lon=136.95&lat=34.95&speed=@"
         "/api/districts/at?lon=@&lat=34.95" "/api/districts/at?lon=136.95&lat=@"
         "/api/coverage?kind=@" "/api/coverage?level=@" "/api/coverage?field=@" "/api/coverage?minutes=@"
         "/api/coverage?speed=@" "/api/suggest?kind=@" "/api/suggest?candidates=@" "/api/suggest?sites=@"
         "/api/meta?@=1" "/api/levels?x=@" "/api/resources?kind=@"
         "/ogc/collections/@" "/ogc/collections/@/items" "/ogc/collections/resources/items?limit=@"
         "/ogc/collections/resources/items?offset=@" "/ogc/collections/resources/items?bbox=@"
         "/ogc/collections/resources/items?f=@" "/ogc/collections/resources/items/@"
         "/ogc/collections/districts_elementary/items/@"
         "/tiles/@.json" "/tiles/coverage.json?kind=@" "/tiles/coverage.json?level=@"
         "/tiles/coverage.json?minutes=@" "/tiles/@/14/14338/6535.mvt" "/tiles/resources/@/0/0.mvt"
         "/tiles/resources/0/@/0.mvt" "/tiles/resources/0/0/@.mvt"
         "/tiles/coverage/12/3584/1633.mvt?level=@" "/web/@" "/web/app.js?v=@" "/lib/maplibre-gl/@")
n5xx=0; n=0; list5xx=""
asked=()
for tg in "${TARGETS[@]}"; do
  for p in "${PAYLOADS[@]}"; do
    queue "${tg//@/$p}"
    asked+=("${tg//@/$p}")
  done
done
# The route body: every text member and the household ids.
BODY_MEMBERS=('"district":"@"' '"district":"E05","need":"@"' '"district":"E05","level":"@"'
              '"households":["@"]' '"households":["H0001","@"]' '"district":"E05","speed":"@"'
              '"district":"E05","start_time":"@"')
JPAYLOADS=("'; DROP TABLE resources;--" "' OR '1'='1" "\\\" OR 1=1 --" "’ OR ’1’=’1" "＇; DELETE FROM households; --"
           "1) UNION SELECT ext_id FROM households--" "%27" "\\u0000")
for m in "${BODY_MEMBERS[@]}"; do
  for p in "${JPAYLOADS[@]}"; do
    queue /api/route "{\"start\":{\"lon\":136.95,\"lat\":34.95},${m//@/$p}}"
    asked+=("route:$m/$p")
  done
done
mapfile -t codes < <(codes_of_queue)
for i in "${!asked[@]}"; do
  c=${codes[$i]:-000}
  n=$((n+1))
  case ${asked[$i]}=$c in
    route:*=2??|route:*=4??) ;;
    route:*) n5xx=$((n5xx+1)); list5xx="$list5xx ${asked[$i]}=$c" ;;
    *=2??|*=3??|*=4??) ;;
    *) n5xx=$((n5xx+1)); list5xx="$list5xx ${asked[$i]}=$c" ;;
  esac
done
check "SQL metacharacters in every text parameter: $n requests, none answered 5xx${list5xx:+ ($list5xx)}" \
  test "$n5xx" -eq 0
check "the resources table is unchanged" \
  test "$(sqlite3 "$S" "SELECT count(*), group_concat(ext_id) FROM resources")" = "$res_before"
check "the households table is unchanged" test "$(scalar "$S" "SELECT count(*) FROM households")" = "$hh_before"

# Path traversal on static files: a 4xx that shows no file.
TRAV=("/web/../README.md" "/web/%2e%2e/README.md" "/web/%2e%2e%2fREADME.md" "/web/..%2fREADME.md"
      "/web/..%2f..%2f..%2f..%2fetc%2fpasswd" "/web/%252e%252e%252fREADME.md" "/web/.%2e/README.md"
      "/web/%2fetc%2fpasswd" "/web//etc/passwd" "/web/..%5cREADME.md" "/web/%5c..%5cREADME.md"
      "/web/%c0%ae%c0%ae%c0%afREADME.md" "/web/%e0%80%ae%e0%80%ae/README.md" "/web/index.html%00.js"
      "/web/.git/config" "/web/%2e%2fapp.js" "/lib/maplibre-gl/..%2f..%2f..%2f..%2fREADME.md"
      "/lib/maplibre-gl/%2e%2e/package.json" "/web/node_modules%2f..%2f..%2fREADME.md"
      "/..%2fREADME.md" "/%2e%2e/README.md" "/web/%u002e%u002e/README.md")
tbad=""
for p in "${TRAV[@]}"; do
  c=$(code "$p" --path-as-is)
  if [ "${c:0:1}" != 4 ] || grep -q -e 'root:.*:0:0' -e 'tsunagu (つなぐ)' -e '\[core\]' "$T/body"; then
    tbad="$tbad $p=$c"
  fi
done
check "path traversal (${#TRAV[@]} variants) is always a 4xx showing no file${tbad:+ ($tbad)}" test -z "$tbad"

# Huge numbers, NaN, inf, zooms and tiles off the grid: 400.
NUMS=("/api/walk?lon=1e309&lat=34.95" "/api/walk?lon=NaN&lat=34.95" "/api/walk?lon=136.95&lat=-inf"
      "/api/walk?lon=136.95&lat=34.95&minutes=1e308" "/api/walk?lon=136.95&lat=34.95&minutes=nan"
      "/api/walk?lon=136.95&lat=34.95&minutes=-0" "/api/walk?lon=136.95&lat=34.95&speed=inf"
      "/api/walk?lon=136.95&lat=34.95&minutes=99999999999999999999999999999"
      "/api/isochrone?lon=136.95&lat=34.95&minutes=181"
      "/api/districts/at?lon=inf&lat=34.95" "/api/districts/at?lon=136.95&lat=1e-400"
      "/api/coverage?minutes=NaN" "/api/suggest?sites=99999999999999999999" "/api/suggest?sites=-1"
      "/ogc/collections/resources/items?limit=-1" "/ogc/collections/resources/items?offset=1e99"
      "/ogc/collections/resources/items?limit=99999999999999999999"
      "/ogc/collections/resources/items?bbox=nan,34,137,35" "/ogc/collections/resources/items?bbox=1e999,34,137,35"
      "/tiles/resources/-1/0/0.mvt" "/tiles/resources/23/0/0.mvt" "/tiles/resources/3/8/0.mvt"
      "/tiles/resources/3/0/-1.mvt" "/tiles/resources/22/4194304/0.mvt"
      "/tiles/resources/99999999999999999999/0/0.mvt" "/tiles/resources/1/0/99999999999999999999.mvt"
      "/tiles/resources/1.5/0/0.mvt" "/tiles/resources/1/0x1/0.mvt" "/tiles/coverage/3/0/0.mvt?minutes=inf")
nbad=""
for p in "${NUMS[@]}"; do
  c=$(code "$p"); [ "$c" = 400 ] || nbad="$nbad $p=$c"
done
check "huge numbers, NaN, inf, bad zooms and off-grid tiles (${#NUMS[@]}) are 400${nbad:+ ($nbad)}" test -z "$nbad"
for b in '{"start":{"lon":1e999,"lat":34.95},"households":["H0001"]}' \
         '{"start":{"lon":136.95,"lat":34.95},"households":["H0001"],"dwell":-1e308}' \
         '{"start":{"lon":136.95,"lat":34.95},"households":["H0001"],"day_minutes":1e308}'; do
  c=$(code /api/route -X POST -H 'Content-Type: application/json' --data-binary "$b")
  check "route body with an out-of-range number -> 400 ($b)" test "$c" = 400
done
check "after the hostile requests the server still answers" test "$(code /api/meta)" = 200

wait "$STALL"
st=$(cat "$T/stall.secs" 2>/dev/null || echo -1)
check "a client stalled in its headers is dropped after the timeout ($st s)" test "$st" -ge 20 -a "$st" -le 50

# SIGTERM with slow requests in flight and an idle connection.
CURLS=()
for k in 1 2 3; do
  curl -s --max-time 60 -o /dev/null -w '%{http_code}' \
    "$B/api/isochrone?lon=136.95&lat=34.95&minutes=$((177 + k))&speed=150" >"$T/term.$k" &
  CURLS+=("$!")
done
( exec 3<>"/dev/tcp/127.0.0.1/$PORT" && printf 'GET /api/meta HTTP/1.1\r\n' >&3 && sleep 30 ) 2>/dev/null &
PIDS+=("$!")
sleep 0.3
t0=$(date +%s)
kill -TERM "$SRV"
wait "$SRV"; rc=$?
took=$(( $(date +%s) - t0 ))
wait "${CURLS[@]}"
check "SIGTERM with 3 slow requests and an idle client: exit 0 after $took s (drain limit 10 s)" \
  test "$rc" -eq 0 -a "$took" -le 15
check "the 3 requests in flight got their answers" \
  test "$(cat "$T/term.1" "$T/term.2" "$T/term.3")" = 200200200
check "after SIGTERM the port is closed" test "$(code /api/meta)" = 000

echo "# $passes passed, $fails failed"
[ "$fails" -eq 0 ]
