#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_tiles.sh - drives the real `tsunagu serve` over loopback with curl and
# GDAL's MVT driver (an independent reader) on the demo town's database:
#   - TileJSON 3.0.0 per layer, tile URLs built from the Host header;
#   - resources, districts, streets and coverage tiles read by `ogrinfo
#     /vsicurl/...` and `ogr2ogr`: the features equal what GDAL's own
#     SpatiaLite query finds in the tile's area, attributes equal the
#     database's, points within one tile unit of their true position,
#     polygons valid;
#   - ETag / If-None-Match -> 304, gzip with Vary, Cache-Control, 204 for an
#     empty tile, HEAD;
#   - an import while serving changes the tile and its ETag;
#   - 400 naming the bad part, 404 for unknown layers (households above
#     all), no household counts in coverage tiles, which need an official's
#     token (401 without, 403 for a coordinator) and whose shares equal
#     /api/coverage's, hidden where it hides a count;
#   - tile sizes stay small at every zoom asked.
# Skips (77) only when curl or GDAL's tools are missing.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
DATA=$SRC/data
. "$(dirname "$0")/lib.sh"

for tool in curl ogrinfo ogr2ogr jq gzip awk; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "SKIP: $tool is not installed (bash .ci/install installs it)"
    exit 77
  fi
done

tl_scratch
DB=$T/demo.db

TSUNAGU_DATA=$DATA "$BIN" --db "$DB" demo --no-serve >"$T/demo.out" 2>&1
check "demo --no-serve builds the database" test $? -eq 0
# The coverage layer is derived from households: an official's token reads it.
TOK=$("$BIN" --db "$DB" user add tiles-official --role official 2>/dev/null)
TOK_CO=$("$BIN" --db "$DB" user add tiles-coordinator --role coordinator --agency 社協 2>/dev/null)
check "user add prints tokens" test -n "$TOK" -a -n "$TOK_CO"

"$BIN" --db "$DB" serve --port 0 --threads 3 >"$T/srv.out" 2>"$T/srv.err" &
SRV=$!
PORT=$(tl_port "$T/srv.out" "$SRV")
if [ -z "$PORT" ]; then
  echo "FAIL - the server did not start:"; cat "$T/srv.out" "$T/srv.err"; exit 1
fi
B=http://127.0.0.1:$PORT
ok "server listens on port $PORT"

# get PATH [curl options...]: body in $T/body, headers in $T/head; prints the
# status. The coverage layer is asked with the official's token.
get() {
  local path=$1; shift
  case $path in /tiles/coverage*) set -- -H "Authorization: Bearer $TOK" "$@" ;; esac
  rm -f "$T/body"
  curl -s --max-time 60 -o "$T/body" -D "$T/head" -w '%{http_code}' "$@" "$B$path"
}
# GDAL reads the coverage layer with the token too (other layers without).
gdal_auth() { case $1 in */tiles/coverage*) echo "Authorization: Bearer $TOK" ;; esac; }
header() { grep -i "^$1:" "$T/head" | tr -d '\r' | sed 's/^[^:]*: *//'; }

# Web Mercator in awk (the formulas of EPSG:3857 on a sphere of 6378137 m).
AWKLIB='
function tan_(a) { return sin(a) / cos(a) }
function mx(lon) { return 6378137 * lon * 3.141592653589793 / 180 }
function my(lat) { return 6378137 * log(tan_(3.141592653589793 / 4 + lat * 3.141592653589793 / 360)) }
function lon_(x) { return x / 6378137 * 180 / 3.141592653589793 }
function lat_(y) { return (2 * atan2(exp(y / 6378137), 1) - 3.141592653589793 / 2) * 180 / 3.141592653589793 }
function size(z) { return 2 * 20037508.342789244 / 2 ^ z }
'
# tile_of LON LAT Z -> "X Y"
tile_of() {
  awk -v lon="$1" -v lat="$2" -v z="$3" "$AWKLIB"'BEGIN {
    printf "%d %d\n", (mx(lon) + 20037508.342789244) / size(z), (20037508.342789244 - my(lat)) / size(z) }'
}
# tile_ll Z X Y UNITS -> "W S E N": the tile grown by UNITS of 4096 (negative shrinks), lon/lat.
tile_ll() {
  awk -v z="$1" -v x="$2" -v y="$3" -v u="$4" "$AWKLIB"'BEGIN {
    s = size(z); pad = u * s / 4096
    x0 = -20037508.342789244 + x * s - pad; x1 = x0 + s + 2 * pad
    y1 = 20037508.342789244 - y * s + pad; y0 = y1 - s - 2 * pad
    printf "%.10f %.10f %.10f %.10f\n", lon_(x0), lat_(y0), lon_(x1), lat_(y1) }'
}
# db_count TABLE WHERE W S E N: rows of TABLE meeting the lon/lat box, by GDAL on the database.
db_count() {
  local table=$1 where=$2; shift 2
  ogrinfo -ro -q "$DB" -dialect SQLite -sql "SELECT COUNT(*) AS n FROM $table WHERE $where AND
      ST_Intersects(ST_Transform(geom, 4326), BuildMbr($1, $2, $3, $4, 4326))" \
    | sed -n 's/^ *n (Integer) = //p'
}
# mvt_count URL LAYER [WHERE]: features in a tile as GDAL reads it from the server.
mvt_count() {
  GDAL_HTTP_HEADERS=$(gdal_auth "$1") ogrinfo -ro -q -oo CLIP=NO "/vsicurl/$1" -dialect SQLite \
    -sql "SELECT COUNT(*) AS n FROM $2 WHERE ${3:-1}" 2>/dev/null | sed -n 's/^ *n (Integer) = //p'
}

# ---- TileJSON ----
code=$(get /tiles/resources.json -H 'Host: tiles.example:8443')
check "resources.json 200" test "$code" = 200
check "TileJSON 3.0.0" test "$(jq -r .tilejson "$T/body")" = 3.0.0
check "tile URL from the Host header" \
  test "$(jq -r '.tiles[0]' "$T/body")" = "http://tiles.example:8443/tiles/resources/{z}/{x}/{y}.mvt"
check "vector_layers lists resources with its fields" \
  test "$(jq -r '.vector_layers[0] | .id + " " + (.fields | keys | sort | join(","))' "$T/body")" = \
  "resources fields,hub_type,id,kind,name,schedule"
read -r W S E N < <(jq -r '.bounds | map(tostring) | join(" ")' "$T/body")
check "bounds hold the demo town (136.95 E, 34.95 N)" \
  awk -v w="$W" -v s="$S" -v e="$E" -v n="$N" 'BEGIN { exit !(w < 136.95 && e > 136.95 && s < 34.95 && n > 34.95 && e - w < 0.2) }'
check "streets.json starts at zoom 13" test "$(get /tiles/streets.json >/dev/null; jq .minzoom "$T/body")" = 13
for L in districts_elementary districts_junior_high coverage; do
  check "$L.json 200 naming $L" test "$(get "/tiles/$L.json" >/dev/null; jq -r '.vector_layers[0].id' "$T/body")" = "$L"
done
check "coverage.json carries its parameters into the tile URL" \
  test "$(get '/tiles/coverage.json?minutes=15&kind=salon' >/dev/null; jq -r '.tiles[0]' "$T/body")" = \
  "$B/tiles/coverage/{z}/{x}/{y}.mvt?kind=salon&minutes=15&level=elementary"

# ---- the tile at the town's centre, zoom 14 ----
read -r X Y < <(tile_of 136.95 34.95 14)
TILE=14/$X/$Y
code=$(get "/tiles/resources/$TILE.mvt")
check "resources $TILE 200" test "$code" = 200
check "Content-Type application/vnd.mapbox-vector-tile" test "$(header Content-Type)" = application/vnd.mapbox-vector-tile
check "Cache-Control: public, max-age=60, must-revalidate" test "$(header Cache-Control)" = "public, max-age=60, must-revalidate"
check "Vary: Accept-Encoding" test "$(header Vary)" = Accept-Encoding
check "no Content-Encoding without Accept-Encoding" test -z "$(header Content-Encoding)"
ETAG=$(header ETag)
check "a strong ETag" grep -q '^"[0-9a-f]*"$' <<<"$ETAG"
cp "$T/body" "$T/plain.mvt"

# Features: GDAL on the tile = GDAL on the database within the buffered tile.
read -r W S E N < <(tile_ll 14 "$X" "$Y" 64)
want=$(db_count resources 1 "$W" "$S" "$E" "$N")
got=$(ogrinfo -ro -so -oo CLIP=NO "/vsicurl/$B/tiles/resources/$TILE.mvt" resources | sed -n 's/^Feature Count: //p')
check "resources: $got features in the tile = $want in the database's tile area" test -n "$want" -a "$got" = "$want" -a "$want" -gt 5
ogr2ogr -f CSV "$T/tile.csv" -oo CLIP=NO "/vsicurl/$B/tiles/resources/$TILE.mvt" -dialect SQLite \
  -sql "SELECT mvt_id, name, kind, ST_X(geometry) AS x, ST_Y(geometry) AS y FROM resources ORDER BY mvt_id" 2>/dev/null
ogr2ogr -f CSV "$T/db.csv" "$DB" -dialect SQLite \
  -sql "SELECT id, name, kind, ST_X(ST_Transform(geom, 4326)) AS lon, ST_Y(ST_Transform(geom, 4326)) AS lat
        FROM resources WHERE ST_Intersects(ST_Transform(geom, 4326), BuildMbr($W, $S, $E, $N, 4326)) ORDER BY id"
check "resources: ids, names and kinds equal the database's" \
  test "$(cut -d, -f1-3 "$T/tile.csv" | tail -n +2)" = "$(cut -d, -f1-3 "$T/db.csv" | tail -n +2)"
worst=$(paste -d, <(tail -n +2 "$T/tile.csv" | awk -F, '{print $(NF-1) "," $NF}') \
                  <(tail -n +2 "$T/db.csv" | awk -F, '{print $(NF-1) "," $NF}') |
  awk -F, -v z=14 "$AWKLIB"'{ dx = $1 - mx($3); dy = $2 - my($4); if (dx < 0) dx = -dx; if (dy < 0) dy = -dy
    d = dx > dy ? dx : dy; if (d > m) m = d } END { printf "%.3f %.3f\n", m, size(z) / 4096 }')
read -r off unit <<<"$worst"
check "resources: every point within one tile unit ($off m of $unit m)" awk -v o="$off" -v u="$unit" 'BEGIN { exit !(o <= u) }'

# ---- districts, coverage and streets against the database ----
for L in districts_elementary coverage; do
  for zt in "12 $(tile_of 136.95 34.95 12)" "14 $X $Y" "15 $(tile_of 136.94 34.955 15)"; do
    read -r z x y <<<"$zt"
    url="$B/tiles/$L/$z/$x/$y.mvt"
    n=$(mvt_count "$url" "$L")
    invalid=$(mvt_count "$url" "$L" "NOT ST_IsValid(geometry)")
    read -r W S E N < <(tile_ll "$z" "$x" "$y" 64)
    outer=$(db_count districts "level = 'elementary'" "$W" "$S" "$E" "$N")
    read -r W S E N < <(tile_ll "$z" "$x" "$y" -2)
    inner=$(db_count districts "level = 'elementary'" "$W" "$S" "$E" "$N")
    check "$L $z/$x/$y: $n districts (database: $inner inside, $outer with the buffer), all valid" \
      test -n "$n" -a "$n" -ge "${inner:-99}" -a "$n" -le "${outer:--1}" -a "$n" -gt 0 -a "$invalid" = 0
  done
done
ogr2ogr -f CSV "$T/dt.csv" -oo CLIP=NO "/vsicurl/$B/tiles/districts_elementary/12/$(tile_of 136.95 34.95 12 | tr ' ' /).mvt" \
  -dialect SQLite -sql "SELECT mvt_id, code, name, level FROM districts_elementary ORDER BY mvt_id" 2>/dev/null
ogr2ogr -f CSV "$T/dd.csv" "$DB" -sql "SELECT id, code, name, level FROM districts WHERE level = 'elementary' ORDER BY id"
check "districts: ids, codes, names and levels equal the database's" \
  test "$(tail -n +2 "$T/dt.csv")" = "$(tail -n +2 "$T/dd.csv")"

# The town's centre, and the hill in the north-east where its steps are.
for zt in "14 $X $Y" "15 $(tile_of 136.9615 34.9595 15)"; do
  read -r z x y <<<"$zt"
  url="$B/tiles/streets/$z/$x/$y.mvt"
  n=$(mvt_count "$url" streets); steps=$(mvt_count "$url" streets "steps = 1")
  read -r W S E N < <(tile_ll "$z" "$x" "$y" 64)
  outer=$(db_count net_edges 1 "$W" "$S" "$E" "$N"); outer_steps=$(db_count net_edges "flags & 1 = 1" "$W" "$S" "$E" "$N")
  read -r W S E N < <(tile_ll "$z" "$x" "$y" -2)
  inner=$(db_count net_edges 1 "$W" "$S" "$E" "$N"); inner_steps=$(db_count net_edges "flags & 1 = 1" "$W" "$S" "$E" "$N")
  check "streets $z/$x/$y: $n edges (database: $inner inside, $outer with the buffer)" \
    test -n "$n" -a "$n" -ge "${inner:-99999}" -a "$n" -le "${outer:--1}" -a "$n" -gt 50
  check "streets $z/$x/$y: steps flagged ($steps; database $inner_steps-$outer_steps)" \
    test -n "$steps" -a "$steps" -ge "${inner_steps:-99}" -a "$steps" -le "${outer_steps:--1}"
done
check "the steps of the demo town are in the tiles" test "$steps" -ge 1
check "streets below zoom 13: 204 No Content" test "$(get "/tiles/streets/12/$(tile_of 136.95 34.95 12 | tr ' ' /).mvt")" = 204
check "coverage tiles carry no household count" \
  test -z "$(GDAL_HTTP_HEADERS="Authorization: Bearer $TOK" ogrinfo -ro -so -oo CLIP=NO "/vsicurl/$B/tiles/coverage/$TILE.mvt" coverage | grep -i household)"
check "coverage: a share or a suppression flag per district" \
  test "$(mvt_count "$B/tiles/coverage/$TILE.mvt" coverage "share_covered IS NOT NULL OR suppressed = 1")" = \
       "$(mvt_count "$B/tiles/coverage/$TILE.mvt" coverage)"

# The shares shown equal /api/coverage's, and hidden where it hides a count.
curl -s -H "Authorization: Bearer $TOK" "$B/api/coverage?kind=consultation&minutes=30&level=elementary" >"$T/cov.json"
GDAL_HTTP_HEADERS="Authorization: Bearer $TOK" ogr2ogr -f CSV "$T/ct.csv" -oo CLIP=NO \
  "/vsicurl/$B/tiles/coverage/12/$(tile_of 136.95 34.95 12 | tr ' ' /).mvt" -dialect SQLite \
  -sql "SELECT code, CASE WHEN share_covered IS NULL THEN 'hidden' ELSE printf('%.4f', share_covered) END AS s
        FROM coverage ORDER BY code" 2>/dev/null
tile_shares=$(tail -n +2 "$T/ct.csv" | tr -d '"' | tr '\n' ' ')
api_shares=$(jq -r '.districts | sort_by(.code)[] | "\(.code) \(.share_covered // "hidden")"' "$T/cov.json" |
  awk '{ if ($2 == "hidden") printf "%s,hidden ", $1; else printf "%s,%.4f ", $1, $2 }')
check "coverage tile shares = /api/coverage's shares, hidden alike ($tile_shares)" \
  test -n "$tile_shares" -a "$tile_shares" = "$api_shares"
check "coverage tile: some district shown, some hidden" \
  bash -c "grep -q hidden <<<'$tile_shares' && grep -q ',1.0000' <<<'$tile_shares'"

# ---- access: the coverage layer needs a role that may see coverage ----
code=$(curl -s -o "$T/body" -D "$T/head" -w '%{http_code}' "$B/tiles/coverage/$TILE.mvt")
check "coverage tile without a token -> 401 with WWW-Authenticate: Bearer" \
  bash -c "[ $code = 401 ] && grep -qi '^WWW-Authenticate: Bearer' '$T/head' && ! grep -q share '$T/body'"
code=$(curl -s -o /dev/null -w '%{http_code}' "$B/tiles/coverage.json")
check "coverage TileJSON without a token -> 401" test "$code" = 401
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOK_CO" "$B/tiles/coverage/$TILE.mvt")
check "coverage tile for a coordinator -> 403" test "$code" = 403
code=$(curl -s -o /dev/null -w '%{http_code}' "$B/tiles/coverage/$TILE.mvt?minutes=abc")
check "anonymous coverage with a bad parameter -> 401 (access before parameters)" test "$code" = 401
code=$(get "/tiles/coverage/$TILE.mvt")
check "coverage tile for the official: 200, Cache-Control: private, no-store" \
  test "$code" = 200 -a "$(header Cache-Control)" = "private, no-store"
code=$(get "/tiles/resources/$TILE.mvt" -H "Authorization: Bearer $TOK")
check "a public tile asked with a token is private too" test "$code" = 200 -a "$(header Cache-Control)" = "private, no-store"

# ---- caching, compression, conditional requests ----
code=$(get "/tiles/resources/$TILE.mvt" -H "If-None-Match: $ETAG")
check "If-None-Match with the ETag -> 304" test "$code" = 304
check "304 has no body" test ! -s "$T/body"
check "304 repeats the ETag" test "$(header ETag)" = "$ETAG"
check "If-None-Match with another ETag -> 200" test "$(get "/tiles/resources/$TILE.mvt" -H 'If-None-Match: "other"')" = 200
code=$(get "/tiles/resources/$TILE.mvt" -H 'Accept-Encoding: gzip, deflate')
check "Accept-Encoding: gzip -> Content-Encoding: gzip" test "$code" = 200 -a "$(header Content-Encoding)" = gzip
GZTAG=$(header ETag)
check "the gzip body has its own ETag" test "$GZTAG" != "$ETAG" -a -n "$GZTAG"
check "the gzip body unzips to the plain tile" cmp -s <(gzip -dc "$T/body") "$T/plain.mvt"
check "gzip;q=0 -> no Content-Encoding" \
  test "$(get "/tiles/resources/$TILE.mvt" -H 'Accept-Encoding: gzip;q=0, br' >/dev/null; header Content-Encoding)" = ""
check "If-None-Match with the gzip ETag -> 304" \
  test "$(get "/tiles/resources/$TILE.mvt" -H 'Accept-Encoding: gzip' -H "If-None-Match: W/$GZTAG")" = 304
check "HEAD of a tile -> 200" test "$(curl -s -o /dev/null -I -w '%{http_code}' "$B/tiles/resources/$TILE.mvt")" = 200
code=$(get /tiles/resources/14/0/0.mvt)
check "a tile far from the data -> 204" test "$code" = 204 -a ! -s "$T/body"

# ---- an import while serving regenerates the tile ----
read -r CLON CLAT _ < <(tile_ll 14 "$X" "$Y" -2048)
cat >"$T/more.geojson" <<EOF
{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"X1","name":"新しいサロン","kind":"salon"},
 "geometry":{"type":"Point","coordinates":[$CLON,$CLAT]}}]}
EOF
if "$BIN" --db "$DB" import resources "$T/more.geojson" >"$T/import.out" 2>&1; then
  ok "import resources while serving"
else
  bad "import resources while serving: $(cat "$T/import.out")"
fi
code=$(get "/tiles/resources/$TILE.mvt" -H "If-None-Match: $ETAG")
check "after the import: 200, not 304" test "$code" = 200
check "after the import: a new ETag" test "$(header ETag)" != "$ETAG"
check "after the import: one more feature" \
  test "$(ogrinfo -ro -so -oo CLIP=NO "/vsicurl/$B/tiles/resources/$TILE.mvt" resources | sed -n 's/^Feature Count: //p')" = $((want + 1))

# ---- bad requests ----
status() { # PATH STATUS WORD
  local code; code=$(get "$1")
  [ "$code" = "$2" ] && grep -q "^{\"error\":\".*$3" "$T/body" &&
    case $(header Cache-Control) in no-store | "private, no-store") true ;; *) false ;; esac
}
check "zoom abc -> 400 naming zoom" status /tiles/resources/abc/0/0.mvt 400 zoom
check "zoom -1 -> 400" status /tiles/resources/-1/0/0.mvt 400 zoom
check "zoom 23 -> 400" status /tiles/resources/23/0/0.mvt 400 zoom
check "huge zoom -> 400" status /tiles/resources/99999999999999999999/0/0.mvt 400 zoom
check "x beyond 2^z-1 -> 400 naming x" status /tiles/resources/2/4/0.mvt 400 "x '4'"
check "y not a number -> 400 naming y" status /tiles/resources/2/0/0x1.mvt 400 "y '0x1'"
check "huge y -> 400" status /tiles/resources/2/0/99999999999999999999.mvt 400 "y "
check "not .mvt -> 400" status /tiles/resources/2/0/0.png 400 "{y}.mvt"
check "unknown layer -> 404" status /tiles/nope/0/0/0.mvt 404 "no tile layer 'nope'"
check "no households layer -> 404" status /tiles/households/14/$X/$Y.mvt 404 "no tile layer 'households'"
check "no households TileJSON -> 404" status /tiles/households.json 404 "no tile layer"
check "coverage minutes=abc -> 400" status "/tiles/coverage/$TILE.mvt?minutes=abc" 400 minutes
check "coverage minutes=999 -> 400" status "/tiles/coverage/$TILE.mvt?minutes=999" 400 minutes
check "coverage level=nope -> 404" status "/tiles/coverage/$TILE.mvt?level=nope" 404 "level 'nope'"
check "parameters on another layer -> 400" status "/tiles/resources/$TILE.mvt?kind=salon" 400 "unknown parameter 'kind'"
check "POST a tile -> 405" test "$(get "/tiles/resources/$TILE.mvt" -X POST -d x)" = 405

# ---- sizes: every tile around the town at a few zooms ----
biggest=0
for z in 10 13 14 16; do
  read -r x0 y0 < <(tile_of 136.93 34.965 $z); read -r x1 y1 < <(tile_of 136.97 34.935 $z)
  for L in streets resources districts_elementary coverage; do
    for x in $(seq "$x0" "$x1"); do for y in $(seq "$y0" "$y1"); do
      s=$(curl -s -o /dev/null -w '%{size_download}' -H "Authorization: Bearer $TOK" "$B/tiles/$L/$z/$x/$y.mvt")
      [ "$s" -gt "$biggest" ] && biggest=$s
      if [ "$z" -le 10 ] && [ "$s" -gt 65536 ]; then bad "$L $z/$x/$y is $s bytes at a low zoom"; fi
    done; done
  done
done
check "every tile asked is under 500 KB (largest $biggest bytes)" test "$biggest" -lt 512000 -a "$biggest" -gt 0
check "the log holds no query string" test "$(grep -c -e '?' "$T/srv.err")" = 0
check "the log holds no token" test "$(grep -c -e tsu_ "$T/srv.err")" = 0

echo "# $passes passed, $fails failed"
[ "$fails" -eq 0 ]
