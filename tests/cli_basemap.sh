#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_basemap.sh - the offline base map (issue 15) on real OpenStreetMap
# data from ../shared/data, through the real program and server:
#   - `import basemap` of the raw Andorra extract keeps water, waterways,
#     roads, parks, buildings and places, says how many of each; again
#     replaces the source's rows instead of adding to them;
#   - `import network` of the raw Liechtenstein extract loads its base map
#     too (railways and stations among it); the 宇部市 road layer (an osmnx
#     edge export, each street once per direction) gives its roads once;
#   - bad input (a missing file, a file that is not geodata, a layer with
#     nothing for the base map) is one sentence, a non-zero exit, and the
#     database unchanged;
#   - the basemap tile layer read back by GDAL's MVT driver at zooms 10, 13
#     and 15 over Vaduz: major roads and railways from the town-wide view,
#     buildings only from zoom 15, places named in Japanese (name:ja);
#     TileJSON lists the fields;
#   - glyph ranges under /fonts/ (built by tools/glyphs): 200 protobuf,
#     400 for a bad range, 404 for an unknown font stack.
# Skips (77) when the real data or GDAL's tools are absent.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
SHARED=${TSUNAGU_SHARED:-$SRC/../shared/data}
. "$(dirname "$0")/lib.sh"
tl_need curl ogrinfo sqlite3
AND=$SHARED/osm/andorra-latest.osm.pbf
LIE=$SHARED/osm/liechtenstein-latest.osm.pbf
UBE=$SHARED/ube/ube_roads_osm_edges.gpkg
for f in "$AND" "$LIE" "$UBE"; do
  [ -f "$f" ] || { echo "SKIP: $f is absent (real data lives in ../shared/data)"; exit 77; }
done
tl_scratch

# count DB [CLASS]: base map rows (of CLASS).
count() {
  sqlite3 "$1" "SELECT COUNT(*) FROM basemap${2:+ WHERE class = '$2'}"
}
# state DB: what a failed import must leave as it was.
state() {
  sqlite3 "$1" "SELECT COUNT(*), COALESCE(SUM(id), 0), COALESCE(SUM(length(geom)), 0) FROM basemap;
                SELECT COUNT(*) FROM basemap_rtree; SELECT COUNT(*) FROM imports"
}

# ---- import basemap: raw OSM (Andorra) ----
A=$T/andorra.db
"$BIN" --db "$A" import basemap "$AND" >"$T/a.out" 2>"$T/a.err"
check "import basemap andorra-latest.osm.pbf succeeds" test $? -eq 0
line=$(grep '^imported basemap from andorra-latest.osm.pbf: ' "$T/a.out")
check "it says what it kept: $line" test -n "$line"
for c in water waterway road park building place; do
  n=$(count "$A" "$c")
  check "andorra: $n $c features kept" test "$n" -gt 0
done
check "andorra: the line's counts equal the table's" \
  grep -q "road $(count "$A" road), park $(count "$A" park), building $(count "$A" building)" "$T/a.out"
check "andorra: no building shows before zoom 15" \
  test "$(sqlite3 "$A" "SELECT COUNT(*) FROM basemap WHERE class = 'building' AND minzoom < 15")" -eq 0
check "andorra: every place has a name" \
  test "$(sqlite3 "$A" "SELECT COUNT(*) FROM basemap WHERE class = 'place' AND name IS NULL")" -eq 0
check "andorra: the R*Tree indexes every row" \
  test "$(sqlite3 "$A" "SELECT COUNT(*) FROM basemap_rtree")" -eq "$(count "$A")"
before=$(count "$A")
"$BIN" --db "$A" import basemap "$AND" >"$T/a2.out" 2>&1
check "importing the same file again replaces its rows ($before, then $(count "$A"))" test "$(count "$A")" -eq "$before"
"$BIN" --db "$A" import basemap "$AND" --source other >"$T/a3.out" 2>&1
check "another source adds its own rows" test "$(count "$A")" -eq $((before * 2))

# ---- bad input: one sentence, non-zero, database unchanged ----
s0=$(state "$A")
printf 'not geodata\n\001\002' >"$T/junk.osm"
for bad in "$T/missing.osm.pbf" "$T/junk.osm" "$SHARED/ube/ube_shelters_P20.gpkg"; do
  "$BIN" --db "$A" import basemap "$bad" >"$T/bad.out" 2>"$T/bad.err"
  rc=$?
  msg=$(cat "$T/bad.err")
  check "import basemap $(basename "$bad") fails (exit $rc)" test "$rc" -ne 0
  check "... with one sentence: $msg" test "$(wc -l <"$T/bad.err")" -eq 1
  check "... and the database unchanged" test "$(state "$A")" = "$s0"
done
grep -q "holds nothing for the base map" "$T/bad.err"
check "a layer with nothing for the base map says so" test $? -eq 0

# ---- import network: the OSM file's base map comes with it ----
L=$T/liechtenstein.db
"$BIN" --db "$L" import network "$LIE" >"$T/l.out" 2>"$T/l.err"
check "import network liechtenstein-latest.osm.pbf succeeds" test $? -eq 0
check "it loads the base map too: $(grep '^imported basemap' "$T/l.out")" \
  grep -q '^imported basemap from liechtenstein-latest.osm.pbf: ' "$T/l.out"
for c in rail station road water park building place; do
  n=$(count "$L" "$c")
  check "liechtenstein: $n $c features" test "$n" -gt 0
done

# ---- the 宇部市 road layer: roads once, not once per direction ----
U=$T/ube.db
"$BIN" --db "$U" import network "$UBE" >"$T/u.out" 2>"$T/u.err"
check "import network of the 宇部市 edges succeeds" test $? -eq 0
roads=$(count "$U" road)
edges=$(sed -n 's/^imported network from [^:]*: \([0-9]*\) edges.*/\1/p' "$T/u.out")
check "宇部市: $roads roads in the base map, no more than the network's $edges undirected edges" \
  test "$roads" -gt 1000 -a "$roads" -le "$edges"
# The file holds each two-way street twice (once per direction) and a oneway
# once: the base map keeps half the two-way rows and every oneway.
rows=$(ogrinfo -ro -q -dialect SQLite "$UBE" -sql "SELECT COUNT(*) AS n FROM ube_roads WHERE highway IN
  ('motorway','trunk','primary','secondary','tertiary','motorway_link','trunk_link','primary_link',
   'secondary_link','tertiary_link','residential','unclassified','living_street','pedestrian')" |
  sed -n 's/^ *n (Integer) = //p')
check "宇部市: each street once ($roads kept of $rows rows of those classes, both directions)" \
  test $((2 * roads)) -ge "$rows" -a $((200 * roads)) -le $((205 * rows))
check "宇部市: major roads are named in Japanese" \
  test "$(sqlite3 "$U" "SELECT COUNT(*) FROM basemap WHERE subclass IN ('primary','secondary') AND name GLOB '*[号線通道]*'")" -gt 0

# ---- tiles, read back with GDAL's MVT driver ----
TSUNAGU_WEB=$SRC/web "$BIN" --db "$L" serve --port 0 --threads 2 >"$T/srv.out" 2>"$T/srv.err" &
SRV=$!
PORT=$(tl_port "$T/srv.out" "$SRV")
if [ -z "$PORT" ]; then
  echo "FAIL - the server did not start:"; cat "$T/srv.out" "$T/srv.err"; exit 1
fi
B=http://127.0.0.1:$PORT
# tile Z LON LAT -> "Z/X/Y"
tile() {
  awk -v z="$1" -v lon="$2" -v lat="$3" 'BEGIN { pi = 3.141592653589793; n = 2 ^ z;
    r = lat * pi / 180; printf "%d/%d/%d\n", z, (lon + 180) / 360 * n,
    (1 - log(sin(r) / cos(r) + 1 / cos(r)) / pi) / 2 * n }'
}
# classes Z/X/Y -> "class=n ..." of the tile's basemap layer
classes() {
  curl -s -o "$T/t.mvt" "$B/tiles/basemap/$1.mvt"
  [ -s "$T/t.mvt" ] || return 0
  ogrinfo -ro -q -oo CLIP=NO "$T/t.mvt" -dialect SQLite \
    -sql "SELECT class, COUNT(*) AS n FROM basemap GROUP BY class" 2>/dev/null |
    awk '/class \(String\)/ { c = $4 } /n \(Integer\)/ { printf "%s=%s ", c, $4 }'
}
has() { case " $1" in *" $2="*) return 0 ;; *) return 1 ;; esac; }
z10=$(classes "$(tile 10 9.5209 47.1410)")
z13=$(classes "$(tile 13 9.5209 47.1410)")
z15=$(classes "$(tile 15 9.5209 47.1410)")
echo "# Vaduz z10: $z10"; echo "# Vaduz z13: $z13"; echo "# Vaduz z15: $z15"
check "zoom 10 (the town-wide view) shows roads and railways" eval 'has "$z10" road && has "$z10" rail'
check "zoom 10 shows no building" eval '! has "$z10" building'
check "zoom 13 shows roads, parks and places but no building" \
  eval 'has "$z13" road && has "$z13" park && has "$z13" place && ! has "$z13" building'
check "zoom 15 shows buildings" eval 'has "$z15" building'
curl -s -o "$T/t.mvt" "$B/tiles/basemap/$(tile 13 9.5209 47.1410).mvt"
ja=$(ogrinfo -ro -q -oo CLIP=NO "$T/t.mvt" -dialect SQLite \
  -sql "SELECT name FROM basemap WHERE class = 'place' AND name = 'ファドゥーツ'" 2>/dev/null | grep -c 'ファドゥーツ')
check "Vaduz is named in Japanese (name:ja) in the tile" test "$ja" -gt 0
n10=$(curl -s -o /dev/null -w '%{size_download}' "$B/tiles/basemap/$(tile 10 9.5209 47.1410).mvt")
check "the zoom-10 tile stays small ($n10 bytes)" test "$n10" -lt 200000
tj=$(curl -s "$B/tiles/basemap.json")
check "TileJSON names the basemap fields" \
  test "$(jq -r '.vector_layers[0].fields | keys | join(",")' <<<"$tj")" = "class,name,subclass"

# ---- glyph ranges ----
code=$(curl -s -o "$T/g.pbf" -w '%{http_code} %{content_type}' "$B/fonts/IPAGothic/0-255.pbf")
if [ "${code%% *}" = 404 ]; then
  echo "# no glyph ranges in this build (FreeType or IPA Gothic absent): /fonts/ checks skipped"
else
  check "/fonts/IPAGothic/0-255.pbf is served as protobuf ($code)" test "$code" = "200 application/x-protobuf"
  check "... and holds the fontstack's name" grep -q IPAGothic "$T/g.pbf"
  check "a range not on a 256 boundary is refused (400)" \
    test "$(curl -s -o /dev/null -w '%{http_code}' "$B/fonts/IPAGothic/1-256.pbf")" = 400
  check "a range past 65535 is refused (400)" \
    test "$(curl -s -o /dev/null -w '%{http_code}' "$B/fonts/IPAGothic/65536-65791.pbf")" = 400
  check "an unknown font stack is 404" \
    test "$(curl -s -o /dev/null -w '%{http_code}' "$B/fonts/Unknown/0-255.pbf")" = 404
fi

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
