#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench_tiles.sh - first generation of streets vector tiles: tsunagu against
# PostGIS ST_AsMVT on the same tiles of the same network, in one run, with
# the features of both decoded and compared. Not run by ctest (timings are
# reported, never asserted).
#
#   bash tests/bench_tiles.sh
#
# Steps: installs postgresql-15, postgresql-15-postgis-3,
# postgresql-15-pgrouting (bench_lib.sh's cluster asks for it) and gdal-bin
# when missing; builds tsunagu and tests/bench_tiles (build dir
# $BENCH_BUILD_DIR, default build-bench); imports ../shared/data/ube into a
# fresh database unless BENCH_TILES_DB names one; makes the tile list (every
# tile of zooms BENCH_TILES_ZOOMS over the streets' extent) unless
# BENCH_TILES_LIST names one; runs bench_tiles build with 1 and 2 threads
# (BENCH_TILES_RUNS runs each, every run with a fresh tile service, so every
# tile is built; the streets index is loaded by the first tile of a run and
# reported apart as `index load`); starts a throw-away PostgreSQL cluster on
# 127.0.0.1 (bench_lib.sh), copies net_edges there with ogr2ogr (ids and
# coordinates exact), and times ST_AsMVT over the same list in two forms:
#   PostGIS, projected per tile  the geometry as tsunagu stores it (EPSG of
#                                the database, GiST index), ST_Transform to
#                                3857 per feature, as tsunagu did before
#   PostGIS, stored in 3857      a second column projected once (GiST
#                                index): PostGIS's best case
# each as ST_AsMVT(ST_AsMVTGeom(geom, ST_TileEnvelope(z, x, y), 4096, 64,
# true)) with the same attributes (id, highway, name, steps), timed
# server-side (clock_timestamp around the loop over the list in one
# PL/pgSQL function, no client round trip), in 1 and 2 sessions (each a
# half of the list, round robin; wall time from the first start to the last
# end). Medians over the runs. Then both tiles of every list entry are
# decoded and compared: the same feature ids, every vertex of one within 2
# tile units of the other's lines (both quantise to the 4096 grid; tsunagu
# also simplifies by one unit).
#
# Environment (for tests/bench_scale.sh and others):
#   BENCH_TILES_DB       a tsunagu database to read (default: 宇部市 imported)
#   BENCH_TILES_LIST     a file of "z x y" lines (default: zooms below)
#   BENCH_TILES_ZOOMS    zooms of the default list ("14 15 16")
#   BENCH_TILES_RUNS     runs per engine and thread count (3)
#   BENCH_TILES_THREADS  thread counts ("1 2")
#   BENCH_BUILD_DIR      build tree (build-bench)
#   BENCH_KEEP=1         keep the temp dir
# Output: a table, then key=value lines (tsunagu_tps_1, postgis_tps_1, ...,
# compare_*) for scripts. Exit status 0 when every tile's features agree, 1
# otherwise or when a step fails, 77 when ../shared/data is absent and no
# BENCH_TILES_DB is given.
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${TSUNAGU_SHARED:-$SRC/../shared/data}
BUILD=${BENCH_BUILD_DIR:-$SRC/build-bench}
RUNS=${BENCH_TILES_RUNS:-3}
THREADS=${BENCH_TILES_THREADS:-1 2}
ZOOMS=${BENCH_TILES_ZOOMS:-14 15 16}
NET=$SHARED/ube/ube_roads_osm_edges.gpkg

if [ -z "${BENCH_TILES_DB:-}" ] && [ ! -f "$NET" ]; then
  echo "SKIP: $SHARED/ube is absent and BENCH_TILES_DB is not set"
  exit 77
fi

say() { printf '== %s\n' "$*" >&2; }
die() {
  echo "bench_tiles.sh: $*" >&2
  exit 1
}

. "$SRC/tests/bench_lib.sh"
bench_pg_packages postgresql-15 postgresql-15-postgis-3 postgresql-15-pgrouting gdal-bin

bench_build "$BUILD" tsunagu bench_tiles
BENCH=$BUILD/tests/bench_tiles

bench_workdir tsunagu-bench-tiles
cleanup() {
  bench_pg_stop
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "kept $T" >&2; else rm -rf "$T"; fi
}
trap cleanup EXIT
[ "$(id -u)" -ne 0 ] || chown postgres "$T"

if [ -n "${BENCH_TILES_DB:-}" ]; then
  DB=$BENCH_TILES_DB
else
  DB=$W/ube.db
  say "importing 宇部市 into $DB"
  "$TSUNAGU" --db "$DB" import network "$NET" >"$W/import.txt" 2>&1
fi

# ---- the tile list ----
if [ -n "${BENCH_TILES_LIST:-}" ]; then
  cp "$BENCH_TILES_LIST" "$W/tiles.txt"
else
  read -r MINLON MINLAT MAXLON MAXLAT < <(ogr2ogr -f CSV /vsistdout/ "$DB" -sql \
    "SELECT MbrMinX(e), MbrMinY(e), MbrMaxX(e), MbrMaxY(e) FROM
       (SELECT Extent(ST_Transform(geom, 4326)) AS e FROM net_edges)" |
    tail -n 1 | tr -d '"' | tr ',' ' ')
  awk -v x0="$MINLON" -v y0="$MINLAT" -v x1="$MAXLON" -v y1="$MAXLAT" -v zooms="$ZOOMS" '
    function tx(lon, n) { return int((lon + 180) / 360 * n) }
    function ty(lat, n,   r) {
      r = lat * 3.14159265358979323846 / 180
      return int((1 - log(sin(r) / cos(r) + 1 / cos(r)) / 3.14159265358979323846) / 2 * n)
    }
    BEGIN {
      nz = split(zooms, zs, " ")
      for (i = 1; i <= nz; i++) {
        z = zs[i]; n = 2 ^ z
        for (x = tx(x0, n); x <= tx(x1, n); x++)
          for (y = ty(y1, n); y <= ty(y0, n); y++)
            printf "%d %d %d\n", z, x, y
      }
    }' >"$W/tiles.txt"
fi
NTILES=$(wc -l <"$W/tiles.txt")
[ "$NTILES" -gt 1 ] || die "the tile list holds fewer than 2 tiles"
EDGES=$(ogr2ogr -f CSV /vsistdout/ "$DB" -sql "SELECT count(*) FROM net_edges" | tail -n 1 | tr -d '"')

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# ---- tsunagu ----
mkdir -p "$W/ours"
declare -A TS_TPS TS_CPU TS_PREP
for th in $THREADS; do
  say "tsunagu: $NTILES tiles, $th thread(s), $RUNS runs"
  "$BENCH" build "$DB" streets "$W/tiles.txt" "$th" "$RUNS" "$W/ours" >"$W/ts_$th.txt"
  TS_TPS[$th]=$(sed -n 's/.*tiles_per_s=\([0-9.]*\).*/\1/p' "$W/ts_$th.txt" | median)
  TS_CPU[$th]=$(sed -n 's/.*cpu_us_per_tile=\([0-9.]*\).*/\1/p' "$W/ts_$th.txt" | median)
  TS_PREP[$th]=$(sed -n 's/.*prepare_ms=\([0-9.]*\).*/\1/p' "$W/ts_$th.txt" | median)
done
BUILT=$(sed -n '1s/.*tiles=\([0-9]*\).*empty=\([0-9]*\).*/\1 \2/p' "$W/ts_${THREADS%% *}.txt")

# ---- PostGIS ----
bench_pg_start "$T" bench_tiles.sh postgis pgrouting
POSTGIS_VERSION=$("${PSQL[@]}" -At -c "SELECT postgis_lib_version()")
SRID=$(ogr2ogr -f CSV /vsistdout/ "$DB" -sql "SELECT srid FROM geometry_columns WHERE f_table_name = 'net_edges'" | tail -n 1 | tr -d '"')
say "copying net_edges (EPSG:$SRID) into PostGIS with ogr2ogr"
PG="PG:host=$T port=$PORT dbname=bench user=postgres"
ogr2ogr -f PostgreSQL "$PG" "$DB" net_edges -nln net_edges -lco GEOMETRY_NAME=geom \
  -lco FID=id -preserve_fid -select highway,name,flags
"${PSQL[@]}" <<SQL
ALTER TABLE net_edges ADD COLUMN g3857 geometry(LineString, 3857);
UPDATE net_edges SET g3857 = ST_Transform(geom, 3857);
CREATE INDEX ON net_edges USING gist (g3857);
CREATE TABLE tiles (n int, z int, x int, y int);
\copy tiles (z, x, y) FROM '$W/tiles.txt' WITH (DELIMITER ' ')
UPDATE tiles t SET n = s.n FROM (SELECT ctid, row_number() OVER () - 1 AS n FROM tiles) s
  WHERE s.ctid = t.ctid;
VACUUM ANALYZE net_edges;
VACUUM ANALYZE tiles;

-- One tile from the stored geometry, projected per feature.
CREATE FUNCTION tile_transform(tz int, tx int, ty int) RETURNS bytea LANGUAGE sql STABLE AS \$\$
  SELECT ST_AsMVT(q, 'streets', 4096, 'geom', 'id') FROM (
    SELECT id, highway, name, (flags & 1) = 1 AS steps,
           ST_AsMVTGeom(ST_Transform(geom, 3857), ST_TileEnvelope(tz, tx, ty), 4096, 64, true) AS geom
      FROM net_edges
     WHERE geom && ST_Transform(ST_TileEnvelope(tz, tx, ty, margin => 64.0 / 4096), $SRID)) q
   WHERE geom IS NOT NULL
\$\$;
-- One tile from the column projected once.
CREATE FUNCTION tile_3857(tz int, tx int, ty int) RETURNS bytea LANGUAGE sql STABLE AS \$\$
  SELECT ST_AsMVT(q, 'streets', 4096, 'geom', 'id') FROM (
    SELECT id, highway, name, (flags & 1) = 1 AS steps,
           ST_AsMVTGeom(g3857, ST_TileEnvelope(tz, tx, ty), 4096, 64, true) AS geom
      FROM net_edges
     WHERE g3857 && ST_TileEnvelope(tz, tx, ty, margin => 64.0 / 4096)) q
   WHERE geom IS NOT NULL
\$\$;
-- Every k-th tile of the list from the m-th, timed inside the server.
CREATE FUNCTION bench_run(variant text, m int, k int, OUT t0 float8, OUT t1 float8, OUT tiles int,
                          OUT bytes bigint) LANGUAGE plpgsql AS \$\$
DECLARE r record; b bytea;
BEGIN
  tiles := 0; bytes := 0;
  t0 := extract(epoch FROM clock_timestamp());
  FOR r IN SELECT z, x, y FROM tiles WHERE n % k = m ORDER BY n LOOP
    IF variant = 'transform' THEN b := tile_transform(r.z, r.x, r.y);
    ELSE b := tile_3857(r.z, r.x, r.y); END IF;
    tiles := tiles + 1;
    bytes := bytes + coalesce(octet_length(b), 0);
  END LOOP;
  t1 := extract(epoch FROM clock_timestamp());
END \$\$;
SQL

declare -A PG_TPS
for variant in transform 3857; do
  "${PSQL[@]}" -At -c "SELECT bench_run('$variant', 0, 1)" >/dev/null # warm-up: caches, plans
  for th in $THREADS; do
    say "PostGIS ($variant): $NTILES tiles, $th session(s), $RUNS runs"
    : >"$W/pg_${variant}_$th.txt"
    for run in $(seq 1 "$RUNS"); do
      for m in $(seq 0 $((th - 1))); do
        "${PSQL[@]}" -At -F ' ' -c "SELECT t0, t1, tiles, bytes FROM bench_run('$variant', $m, $th)" \
          >"$W/pg_part_$m.txt" &
      done
      wait
      cat "$W"/pg_part_*.txt | awk -v n="$NTILES" '
        NR == 1 || $1 < s { s = $1 } NR == 1 || $2 > e { e = $2 } { t += $3 }
        END { printf "%.1f\n", t / (e - s) }' >>"$W/pg_${variant}_$th.txt"
      rm -f "$W"/pg_part_*.txt
    done
    PG_TPS[$variant,$th]=$(median <"$W/pg_${variant}_$th.txt")
  done
done

# ---- the features of both ----
say "comparing the features of every tile"
"${PSQL[@]}" -At -F ' ' -c "SELECT z, x, y, coalesce(encode(tile_3857(z, x, y), 'hex'), '-')
                              FROM tiles ORDER BY n" >"$W/peer.txt"
set +e
"$BENCH" compare streets "$W/tiles.txt" "$W/ours" "$W/peer.txt" >"$W/compare.txt"
SAME=$?
"${PSQL[@]}" -At -F ' ' -c "SELECT z, x, y, coalesce(encode(tile_transform(z, x, y), 'hex'), '-')
                              FROM tiles ORDER BY n" >"$W/peer_t.txt"
"$BENCH" compare streets "$W/tiles.txt" "$W/ours" "$W/peer_t.txt" >"$W/compare_t.txt"
SAME_T=$?
set -e

# ---- report ----
printf '\nnetwork: %s edges; %s tiles (zooms %s), %s built non-empty by tsunagu\n' \
  "$EDGES" "$NTILES" "$(cut -d' ' -f1 "$W/tiles.txt" | sort -un | tr '\n' ' ' | sed 's/ $//')" \
  "$(awk '{ print $1 - $2 }' <<<"$BUILT")"
printf 'machine: %s cores, %s; load average at start %s, at end %s\n' "$(nproc)" \
  "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" "$LOAD_START" \
  "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'PostgreSQL %s, PostGIS %s; medians of %s runs\n\n' "$PG_VERSION" "$POSTGIS_VERSION" "$RUNS"
printf '%-40s %8s %12s %14s\n' "first generation (tiles/s)" threads tiles/s "tsunagu ratio"
for th in $THREADS; do
  printf '%-40s %8s %12s %14s\n' "tsunagu (index load ${TS_PREP[$th]} ms apart)" "$th" \
    "${TS_TPS[$th]}" "1.00"
  for variant in transform 3857; do
    label="PostGIS ST_AsMVT, projected per tile"
    [ "$variant" = 3857 ] && label="PostGIS ST_AsMVT, stored in 3857"
    printf '%-40s %8s %12s %13.2fx\n' "$label" "$th" "${PG_TPS[$variant,$th]}" \
      "$(awk -v a="${TS_TPS[$th]}" -v b="${PG_TPS[$variant,$th]}" 'BEGIN { print a / b }')"
  done
done
printf '\ntsunagu thread CPU time per tile (µs): %s\n' \
  "$(for th in $THREADS; do printf '%s threads %s; ' "$th" "${TS_CPU[$th]}"; done | sed 's/; $//')"
printf 'features vs PostGIS (stored in 3857): %s\n' "$(cat "$W/compare.txt")"
printf 'features vs PostGIS (projected per tile): %s\n\n' "$(cat "$W/compare_t.txt")"
for th in $THREADS; do
  echo "tsunagu_tps_$th=${TS_TPS[$th]}"
  echo "tsunagu_cpu_us_$th=${TS_CPU[$th]}"
  echo "tsunagu_index_ms_$th=${TS_PREP[$th]}"
  echo "postgis_transform_tps_$th=${PG_TPS[transform,$th]}"
  echo "postgis_3857_tps_$th=${PG_TPS[3857,$th]}"
done
echo "compare_same=$([ "$SAME" -eq 0 ] && [ "$SAME_T" -eq 0 ] && echo 1 || echo 0)"
[ "$SAME" -eq 0 ] && [ "$SAME_T" -eq 0 ]
