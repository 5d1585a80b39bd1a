#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_http.sh - drives the real `tsunagu serve` over loopback with curl and
# GDAL, on the demo town's database:
#   - /api/walk answers what `tsunagu walk --json` prints for the same query;
#   - bad parameters are 400s naming the parameter; 404, 405 (+Allow), 413,
#     414; Cache-Control no-cache on answers and no-store on errors;
#   - /api/districts/at agrees with GDAL's ST_Contains on data/'s GeoJSON;
#   - OGC API - Features: landing, conformance, collections, items with bbox
#     and limit, next links followed to the end (count = numberMatched = GDAL's
#     count on its own reading of the database), single items, `ogrinfo OAPIF:`;
#   - no household id or the word "households" in any answer, and no query
#     string in the request log;
#   - SIGTERM lets a request in flight finish and exits 0.
# The server listens on a port the kernel picks (--port 0), read from its
# "serving ..." line. Skips (77) only when curl or GDAL's tools are missing.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
DATA=$SRC/data
. "$(dirname "$0")/lib.sh"

for tool in curl ogrinfo ogr2ogr; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "SKIP: $tool is not installed (bash .ci/install installs it)"
    exit 77
  fi
done

tl_scratch
DB=$T/demo.db

TSUNAGU_DATA=$DATA "$BIN" --db "$DB" demo --no-serve >"$T/demo.out" 2>&1
check "demo --no-serve builds the database and returns" test $? -eq 0

"$BIN" --db "$DB" serve --port 0 --threads 3 >"$T/srv.out" 2>"$T/srv.err" &
SRV=$!
PORT=$(tl_port "$T/srv.out" "$SRV")
if [ -z "$PORT" ]; then
  echo "FAIL - the server did not start:"; cat "$T/srv.out" "$T/srv.err"; exit 1
fi
B=http://127.0.0.1:$PORT
ok "server listens on port $PORT"

# get PATH [curl options...]: body in $T/body, headers in $T/head, prints the
# status; every body is also appended to $T/all for the privacy checks.
get() {
  local path=$1; shift
  local code
  code=$(curl -s --max-time 60 -o "$T/body" -D "$T/head" -w '%{http_code}' "$@" "$B$path")
  cat "$T/body" >>"$T/all"; echo >>"$T/all"
  echo "$code"
}
header() { grep -i "^$1:" "$T/head" | tr -d '\r' | sed 's/^[^:]*: *//'; }
num() { grep -o "\"$1\":[0-9]*" "$T/body" | head -1 | cut -d: -f2; }

code=$(get /api/meta)
check "/api/meta 200" test "$code" = 200
check "/api/meta names the CRS" grep -q '"srid":6675' "$T/body"
check "/api/meta has a bbox and presets" grep -q '"bbox":\[136\..*"presets":\[{"key":"general"' "$T/body"
check "/api/meta: application/json" test "$(header Content-Type)" = application/json
check "/api/meta: Cache-Control no-cache" test "$(header Cache-Control)" = no-cache
check "HEAD /api/meta 200" test "$(curl -s -o /dev/null -I -w '%{http_code}' "$B/api/meta")" = 200

# ---- /api/walk equals `tsunagu walk --json` (whitespace aside) ----
walk_same() { # QUERY CLI-ARGS...
  local q=$1; shift
  local code
  code=$(get "/api/walk?$q")
  local http cli
  http=$(tr -d ' \n' <"$T/body")
  cli=$("$BIN" --db "$DB" walk --json "$@" | tr -d ' \n')
  [ "$code" = 200 ] && [ -n "$cli" ] && [ "$http" = "$cli" ]
}
check "walk 15 min = CLI" walk_same "lon=136.95&lat=34.95&minutes=15" --lon 136.95 --lat 34.95 --minutes 15
check "walk answer lists resources" grep -q '"resources":\[{"id":"R' "$T/body"
check "walk elderly consultation = CLI" walk_same "lon=136.94&lat=34.955&minutes=30&speed=elderly&kind=consultation" \
  --lon 136.94 --lat 34.955 --minutes 30 --speed elderly --kind consultation
check "walk speed 60, field children = CLI" walk_same "lon=136.965&lat=34.945&minutes=20&speed=60&field=children" \
  --lon 136.965 --lat 34.945 --minutes 20 --speed 60 --field children
check "percent-encoded parameters are decoded" walk_same "lon=%31%33%36.95&lat=34.95&minutes=15" --lon 136.95 --lat 34.95 --minutes 15

# ---- bad parameters: 400 naming the parameter, never cached ----
bad_param() { # QUERY WORD
  local code
  code=$(get "/api/walk?$1")
  [ "$code" = 400 ] && grep -q "^{\"error\":\".*$2" "$T/body" && [ "$(header Cache-Control)" = no-store ]
}
P="lon=136.95&lat=34.95"
check "minutes=0 -> 400 minutes" bad_param "$P&minutes=0" "minutes must be between 1 and 180"
check "minutes=181 -> 400 minutes" bad_param "$P&minutes=181" "minutes must be between 1 and 180"
check "speed=5 -> 400 speed" bad_param "$P&speed=5" "speed"
check "speed=fast -> 400 speed" bad_param "$P&speed=fast" "speed"
check "lon=abc -> 400 lon" bad_param "lon=abc&lat=34.95" "lon"
check "lon=NaN -> 400 lon" bad_param "lon=NaN&lat=34.95" "lon"
check "lon=inf -> 400 lon" bad_param "lon=inf&lat=34.95" "lon"
check "lon outside the area -> 400" bad_param "lon=10&lat=34.95" "outside the data's area"
check "missing lat -> 400" bad_param "lon=136.95" "lat"
check "unknown parameter -> 400 naming it" bad_param "$P&colour=red" "unknown parameter 'colour'"
check "duplicate parameter -> 400" bad_param "$P&lon=136.9" "'lon' is given more than once"
check "field=xyz -> 400 field" bad_param "$P&field=xyz" "field"
check "invalid UTF-8 -> 400" bad_param "$P&kind=%FF" "UTF-8"
check "point off the network -> 400" bad_param "lon=136.90&lat=34.99" "off the network"
many=$(for i in $(seq 1 20); do printf 'p%d=1&' "$i"; done)
check "too many parameters -> 400" bad_param "$many" "too many query parameters"
long=$(head -c 5000 /dev/zero | tr '\0' 'a')
check "over-long URL -> 414" test "$(get "/api/walk?lon=$long")" = 414
code=$(get "/api/districts/at?lon=136.95")
check "districts/at without lat -> 400" test "$code" = 400

# ---- paths, methods, bodies ----
check "/nope -> 404" test "$(get /nope)" = 404
check "404 is JSON" grep -q '^{"error":' "$T/body"
code=$(get /api/walk -X POST -d x=1)
check "POST /api/walk -> 405" test "$code" = 405
check "405 has Allow: GET, HEAD" test "$(header Allow)" = "GET, HEAD"
head -c 1048576 /dev/zero >"$T/1mb"
code=$(get /api/walk -X POST -H 'Content-Type: application/octet-stream' --data-binary @"$T/1mb")
check "1 MB POST -> 413" test "$code" = 413
check "413 is JSON" grep -q 'larger than 65536 bytes' "$T/body"

# ---- /api/districts/at against GDAL on the source GeoJSON ----
ogr2ogr -f CSV /vsistdout/ "$DATA/town_districts_elementary.geojson" -dialect SQLite \
  -sql "SELECT code, ST_X(ST_PointOnSurface(geometry)) AS x, ST_Y(ST_PointOnSurface(geometry)) AS y FROM town_districts_elementary ORDER BY code" \
  | tail -n +2 | tr -d '"' >"$T/points.csv"
check "GDAL gives a point in each of the 6 elementary districts" test "$(wc -l <"$T/points.csv")" -eq 6
while IFS=, read -r ecode x y; do
  want_e=$(ogr2ogr -f CSV /vsistdout/ "$DATA/town_districts_elementary.geojson" -dialect SQLite \
    -sql "SELECT code FROM town_districts_elementary WHERE ST_Contains(geometry, MakePoint($x, $y))" | tail -n +2 | tr -d '"\r')
  want_j=$(ogr2ogr -f CSV /vsistdout/ "$DATA/town_districts_junior_high.geojson" -dialect SQLite \
    -sql "SELECT code FROM town_districts_junior_high WHERE ST_Contains(geometry, MakePoint($x, $y))" | tail -n +2 | tr -d '"\r')
  code=$(get "/api/districts/at?lon=$x&lat=$y")
  got_e=$(grep -o '"level":"elementary","code":"[^"]*"' "$T/body" | sed 's/.*"code":"//; s/"$//')
  got_j=$(grep -o '"level":"junior_high","code":"[^"]*"' "$T/body" | sed 's/.*"code":"//; s/"$//')
  check "districts/at in $ecode: elementary $want_e, junior high $want_j" \
    test "$code" = 200 -a -n "$want_e" -a "$got_e" = "$want_e" -a -n "$want_j" -a "$got_j" = "$want_j"
done <"$T/points.csv"

check "/api/levels lists both levels" test "$(get /api/levels)" = 200
check "/api/levels content" grep -q '"level":"junior_high".*"level":"elementary"' "$T/body"
# The reference for counts: GDAL's own reading of the database's resources
# layer, in WGS84 (the demo may import more than data/town_resources.geojson).
ogr2ogr -f GeoJSON -t_srs EPSG:4326 "$T/res.geojson" "$DB" resources 2>/dev/null
nres=$(ogrinfo -ro -so "$T/res.geojson" resources | sed -n 's/^Feature Count: //p')
check "GDAL reads the resources layer of the database" test -n "$nres"
code=$(get /api/resources)
check "/api/resources lists all $nres resources" test "$code" = 200 -a "$(grep -o '"kind":' "$T/body" | wc -l)" = "$nres"
check "/api/resources has lon/lat" grep -q '"lon":136\.[0-9]*,"lat":34\.' "$T/body"
code=$(get "/api/isochrone?lon=136.95&lat=34.95&minutes=10")
check "/api/isochrone 200 GeoJSON" test "$code" = 200 -a "$(header Content-Type)" = application/geo+json
check "/api/isochrone is a polygon Feature" grep -q '"type":"Feature".*Polygon' "$T/body"
check "/api/isochrone takes no kind" test "$(get "/api/isochrone?lon=136.95&lat=34.95&kind=salon")" = 400

# ---- OGC API - Features ----
check "/ogc 200" test "$(get /ogc)" = 200
check "landing links conformance and data" grep -q '"rel":"conformance".*"rel":"data"' "$T/body"
check "/ogc/ (trailing slash) 200" test "$(get /ogc/)" = 200
check "/ogc/conformance 200" test "$(get /ogc/conformance)" = 200
check "conformance: core and geojson" grep -q 'conf/core".*conf/geojson"' "$T/body"
check "conformance claims no OpenAPI" test "$(grep -c oas30 "$T/body")" = 0
check "/ogc/collections 200" test "$(get /ogc/collections)" = 200
for c in districts_elementary districts_junior_high resources; do
  check "collections list $c" grep -q "\"id\":\"$c\"" "$T/body"
done
check "collections list exactly 3" test "$(grep -o '"itemType"' "$T/body" | wc -l)" = 3
check "/ogc/collections/resources 200" test "$(get /ogc/collections/resources)" = 200
check "collection has a CRS84 extent" grep -q '"extent":{"spatial":{"bbox":\[\[136\.' "$T/body"
check "unknown collection -> 404" test "$(curl -s -o /dev/null -w '%{http_code}' "$B/ogc/collections/households/items")" = 404
check "bad limit -> 400" test "$(get "/ogc/collections/resources/items?limit=0")" = 400
check "bad bbox -> 400" test "$(get "/ogc/collections/resources/items?bbox=1,2,3")" = 400
check "hex-float bbox (0x88) -> 400" test "$(get "/ogc/collections/resources/items?bbox=0x88,34,137,35")" = 400
check "limit above 1000 is served as 1000" test "$(get "/ogc/collections/resources/items?limit=5000")" = 200
check "items: application/geo+json" test "$(header Content-Type)" = application/geo+json
check "items default page has all $nres" test "$(num numberReturned)" = "$nres"

# Follows next links from a bbox query with a small limit to the end.
BBOX=136.935,34.94,136.965,34.96
want=$(ogrinfo -ro -so -spat 136.935 34.94 136.965 34.96 "$T/res.geojson" resources \
  | sed -n 's/^Feature Count: //p')
url="/ogc/collections/resources/items?bbox=$BBOX&limit=7"
total=0; pages=0; matched=
while [ -n "$url" ] && [ $pages -lt 50 ]; do
  code=$(get "$url")
  [ "$code" = 200 ] || break
  pages=$((pages+1))
  matched=$(num numberMatched)
  total=$((total + $(num numberReturned)))
  url=$(grep -o '"href":"[^"]*","rel":"next"' "$T/body" | sed 's/^"href":"//; s/","rel":"next"$//; s|^http://[^/]*||')
done
check "bbox paging: numberMatched = GDAL's count ($want)" test -n "$want" -a "$matched" = "$want"
check "bbox paging: pages add up to numberMatched ($total in $pages pages)" test "$total" = "$matched" -a "$pages" -gt 1
check "bbox outside the area -> empty" test "$(get "/ogc/collections/resources/items?bbox=0,0,1,1")" = 200 -a "$(num numberMatched)" = 0
check "districts items" test "$(get "/ogc/collections/districts_elementary/items?limit=2")" = 200 -a "$(num numberMatched)" = 6
check "districts geometry has 7 decimals at most" test "$(grep -Eo '[0-9]+\.[0-9]{8,}' "$T/body" | wc -l)" = 0
check "single item" test "$(get /ogc/collections/resources/items/1)" = 200
check "single item is a Feature with links" grep -q '^{"type":"Feature","id":1,.*"rel":"collection"' "$T/body"
check "missing item -> 404" test "$(get /ogc/collections/resources/items/99999)" = 404
check "bad item id -> 404" test "$(get /ogc/collections/resources/items/abc)" = 404

layers=$(ogrinfo -ro -q "OAPIF:$B/ogc" 2>&1)
for c in districts_elementary districts_junior_high resources; do
  check "ogrinfo OAPIF lists $c" grep -q "$c" <<<"$layers"
done
check "ogrinfo OAPIF lists 3 layers" test "$(grep -c '^[0-9]*: ' <<<"$layers")" = 3
got=$(ogrinfo -ro -al -so "OAPIF:$B/ogc" resources 2>&1 | sed -n 's/^Feature Count: //p')
check "ogrinfo OAPIF resources: $nres features" test -n "$got" -a "$got" = "$nres"

# ---- concurrency: parallel walks all answer the same ----
for i in $(seq 1 24); do
  curl -s --max-time 60 "$B/api/walk?lon=136.95&lat=34.95&minutes=$((10 + i % 3))" >"$T/par.$i" &
done
wait $(jobs -p | grep -v "^$SRV$") 2>/dev/null
same=1
for i in $(seq 1 24); do
  cmp -s "$T/par.$i" "$T/par.$(( (i % 3) == 0 ? 3 : (i % 3) ))" || same=0
  grep -q '"resources":\[' "$T/par.$i" || same=0
done
check "24 parallel walks answer consistently" test "$same" = 1

# ---- privacy ----
check "no household id in any answer" test "$(grep -c 'H0[0-9][0-9][0-9]' "$T/all")" = 0
check "no 'households' in any answer" test "$(grep -c 'households' "$T/all")" = 0
check "the log has one line per request" grep -q '^GET /api/walk 200 [0-9.]* ms$' "$T/srv.err"
check "the log holds no query string" test "$(grep -c -e '?' -e 'lon=' -e '136\.9' "$T/srv.err")" = 0

# ---- SIGTERM: a request in flight finishes, exit 0 ----
curl -s --max-time 60 -o "$T/inflight" -w '%{http_code}' \
  "$B/api/isochrone?lon=136.95&lat=34.95&minutes=180&speed=150" >"$T/inflight.code" &
CURL=$!
sleep 0.3
kill -TERM "$SRV"
wait "$SRV"; rc=$?
SRV=
wait "$CURL"
check "SIGTERM: exit status 0" test "$rc" = 0
check "SIGTERM: the request in flight got its answer" test "$(cat "$T/inflight.code")" = 200
check "SIGTERM: the port is closed" test "$(curl -s -o /dev/null -w '%{http_code}' "$B/api/meta")" = 000

echo "# $passes passed, $fails failed"
[ "$fails" -eq 0 ]
