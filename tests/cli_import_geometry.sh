#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_import_geometry.sh - geometry that real files carry and the importer
# must not mangle silently (issue 10 item 9):
#   - a self-intersecting bow-tie district is repaired (ST_MakeValid: two
#     triangles, half the square's area, valid) and the repair is reported,
#     with no GEOS/RTTOPO warning carrying coordinates on stderr;
#   - a road line of 12,000 vertices is kept whole, as consecutive edges that
#     share their end vertices;
#   - an OSM way of 12,000 nodes, which GDAL's OSM reader cuts at 10,000, is
#     left out and counted rather than stored cut short.
set -u
BIN=${TSUNAGU_BIN:?}
. "$(dirname "$0")/lib.sh"
tl_scratch
run() { "$BIN" --db "$1" "${@:2}" >"$T/out" 2>"$T/err"; }
q() { ogrinfo -q -ro "$1" -sql "$2" 2>/dev/null | sed -n 's/^ *[a-z_]* ([A-Za-z]*) = //p'; }

cat >"$T/bowtie.geojson" <<'EOF'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"B1","name":"蝶ネクタイ学区"},"geometry":{"type":"Polygon","coordinates":[[[136.94,34.94],[136.96,34.96],[136.96,34.94],[136.94,34.96],[136.94,34.94]]]}},
{"type":"Feature","properties":{"code":"B2","name":"正方形学区"},"geometry":{"type":"Polygon","coordinates":[[[136.94,34.94],[136.96,34.94],[136.96,34.96],[136.94,34.96],[136.94,34.94]]]}}]}
EOF
run "$T/d.db" import districts --level elementary "$T/bowtie.geojson"
check "bow-tie district imports" test $? -eq 0
check "... the repair is reported" grep -q "1 polygon(s) were not valid" "$T/out"
check "... no GEOS/RTTOPO warning with coordinates" sh -c "! grep -q -e 'Self-intersection' -e 'GEOS' '$T/err'"
check "... stored valid, as two parts" test "$(q "$T/d.db" "SELECT ST_IsValid(geom) AS v, ST_NumGeometries(geom) AS n FROM districts WHERE code='B1'" | tr '\n' ,)" = "1,2,"
ratio=$(q "$T/d.db" "SELECT ROUND(100.0 * (SELECT ST_Area(geom) FROM districts WHERE code='B1') / (SELECT ST_Area(geom) FROM districts WHERE code='B2')) AS r")
check "... its area is half the square's (two triangles): $ratio%" test "${ratio%.0}" = "50"

python3 - "$T" <<'EOF'
import json, sys
t = sys.argv[1]
coords = [[136.95 + i * 0.00001, 34.95 + (i % 2) * 0.00001] for i in range(12000)]
json.dump({"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"highway": "footway", "name": "長い道"},
     "geometry": {"type": "LineString", "coordinates": coords}}]}, open(t + "/long.geojson", "w"))
nodes = "\n".join('<node id="%d" lat="%.7f" lon="%.7f"/>' % (i + 1, c[1], c[0]) for i, c in enumerate(coords))
short = '<node id="20001" lat="34.96" lon="136.95"/><node id="20002" lat="34.961" lon="136.95"/>'
way = '<way id="100">' + "".join('<nd ref="%d"/>' % (i + 1) for i in range(12000)) + '<tag k="highway" v="footway"/></way>'
way2 = '<way id="101"><nd ref="20001"/><nd ref="20002"/><tag k="highway" v="footway"/></way>'
open(t + "/long.osm", "w").write('<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6">\n'
    '<bounds minlat="34.9" minlon="136.9" maxlat="35.0" maxlon="137.1"/>\n'
    + nodes + "\n" + short + "\n" + way + "\n" + way2 + "\n</osm>\n")
EOF

run "$T/g.db" import network "$T/long.geojson"
check "a 12,000-vertex road line imports" test $? -eq 0
check "... as 2 edges and 3 nodes" grep -q "2 edges, 3 nodes (1 source lines read, 0 left out" "$T/out"
check "... with every vertex (12,000 + the shared one)" test "$(q "$T/g.db" "SELECT SUM(ST_NumPoints(geom)) AS n FROM net_edges")" = 12001
check "... end to end: the pieces meet at a node" test "$(q "$T/g.db" "SELECT COUNT(*) AS n FROM net_edges a JOIN net_edges b ON a.target = b.source")" = 1
len=$(q "$T/g.db" "SELECT ROUND(SUM(length_m) - SUM(ST_Length(geom)), 6) AS d FROM net_edges")
check "... lengths are those of the stored pieces" awk -v d="$len" 'BEGIN { exit !(d != "" && d + 0 == 0) }'
run "$T/o.db" import network "$T/long.osm"
check "an OSM file with a 12,000-node way imports the rest" test $? -eq 0
check "... the long way is left out and counted, not cut" grep -q "1 edges, 2 nodes (2 source lines read, 1 left out" "$T/out"
check "... and named in the summary" grep -q "1 streets of over 10,000 nodes" "$T/err"
check "... no edge of 10,000 points is stored" test "$(q "$T/o.db" "SELECT MAX(ST_NumPoints(geom)) AS n FROM net_edges")" = 2

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
