#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench_walk.sh - tsunagu's walking engine against PostgreSQL + PostGIS +
# pgRouting on the same 宇部市 network, the same origins and the same snapping,
# in one run. Not run by ctest (timings are reported, never asserted).
#
#   bash tests/bench_walk.sh
#
# Steps: installs postgresql-15, postgresql-15-postgis-3,
# postgresql-15-pgrouting and gdal-bin with apt-get when missing; builds
# tsunagu and tests/bench_walk (build dir $BENCH_BUILD_DIR, default
# build-bench); imports ../shared/data/ube into a fresh tsunagu database;
# runs bench_walk (load, bytes per edge, walk_reachable and isochrone timings,
# each origin's snap and answer written to a TSV) and bench_walk --synthetic
# (query time on grids up to ~520k edges); starts a throw-away PostgreSQL
# cluster in a temp dir (as the postgres user when run as root; TCP on
# 127.0.0.1 only, on a free port; unix socket in the temp dir); copies
# net_edges from the tsunagu database with ogr2ogr (ids, source, target and
# length_m bit for bit, checked); runs pgr_withPointsDD for every origin with
# the origin and the resources as points on their edges, exactly where
# tsunagu snapped them; compares the reachable resource sets; prints a table.
#
# How pgRouting is timed: inside one PL/pgSQL function, clock_timestamp()
# before and after one statement per origin that runs pgr_withPointsDD (its
# edges SQL and points SQL included, as pgRouting always reads them) and
# turns its rows into the reachable resources with their walking distance.
# Server-side, so no client round trip is counted; the same for every origin;
# 5 untimed warm-up queries first. Because wall time suffers when other jobs
# share the cores, the mean CPU time per query is reported too: the server
# process's utime + stime over the timed pass, and bench_walk's thread CPU
# time over its timed pass. Two edges SQL are timed: the whole table,
# and the edges whose bounding box meets a square of half-side limit + 1 m
# around the origin (the usual pgRouting speed-up; it cannot change the
# answer because walking distance is never shorter than the straight line).
#
# pgRouting 3.4 drops or mishandles points at fraction 0 or 1 (they coincide
# with a vertex), so such origins start from that vertex and such resources
# are read at that vertex; every other point goes in as (edge_id, fraction).
#
# After the server-side passes, an interleaved pass: for each origin in
# turn, one tsunagu query (bench_walk in BENCH_WALK_SERVE mode), one
# pgRouting query on the whole table and one on the origin's box (p50 of
# each printed beside the tight-loop numbers).
#
# Environment: BENCH_DB (use this tsunagu database instead of importing
# 宇部市; tests/bench_scale.sh), BENCH_ORIGINS (200), BENCH_ISO_ORIGINS (50: isochrones are
# timed on the first ones only), BENCH_SEED (20240601), BENCH_MINUTES (30),
# BENCH_SYN_ROWS x BENCH_SYN_COLS (500 x 520; 0 rows: no synthetic run),
# TSUNAGU_SHARED.
# Exit status: 0 when both pgRouting variants agree with tsunagu on every
# origin, 1 when they disagree or a step fails, 77 when ../shared/data is
# absent (skip, as in the test suite).
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${TSUNAGU_SHARED:-$SRC/../shared/data}
BUILD=${BENCH_BUILD_DIR:-$SRC/build-bench}
N=${BENCH_ORIGINS:-200}
ISO_N=${BENCH_ISO_ORIGINS:-50}
SEED=${BENCH_SEED:-20240601}
MINUTES=${BENCH_MINUTES:-30}
SYN_ROWS=${BENCH_SYN_ROWS:-500}
SYN_COLS=${BENCH_SYN_COLS:-520}
NET=$SHARED/ube/ube_roads_osm_edges.gpkg
RES=$SHARED/ube/ube_shelters_P20.gpkg
TOL=0.1 # metres: distances may differ by float noise; sets only at the limit

# BENCH_DB: a tsunagu database with a network and resources already
# imported (tests/bench_scale.sh's grids) instead of 宇部市.
BENCH_DB=${BENCH_DB:-}
if [ -z "$BENCH_DB" ] && { [ ! -f "$NET" ] || [ ! -f "$RES" ]; }; then
  echo "SKIP: $SHARED/ube is absent; bench_walk.sh needs the real 宇部市 network"
  exit 77
fi

say() { printf '== %s\n' "$*" >&2; }

# ---- packages ----
. "$SRC/tests/bench_lib.sh"
bench_pg_packages postgresql-15 postgresql-15-postgis-3 postgresql-15-pgrouting gdal-bin

# ---- build ----
bench_build "$BUILD" tsunagu bench_walk
BENCH=$BUILD/tests/bench_walk

# ---- temp dir, cluster, cleanup ----
bench_workdir tsunagu-bench
cleanup() {
  bench_pg_stop
  rm -rf "$T"
}
trap cleanup EXIT
[ "$(id -u)" -ne 0 ] || chown postgres "$T"

# ---- tsunagu side ----
if [ -n "$BENCH_DB" ]; then
  DB=$BENCH_DB
else
  DB=$W/ube.db
  say "importing 宇部市 into $DB"
  "$TSUNAGU" --db "$DB" import network "$NET" >"$W/import.txt" 2>&1
  "$TSUNAGU" --db "$DB" import resources "$RES" --kind shelter >>"$W/import.txt" 2>&1
fi
say "bench_walk: $N origins, $MINUTES minutes, seed $SEED (isochrones on $ISO_N)"
"$BENCH" "$DB" "$N" "$MINUTES" "$SEED" "$W/answers.tsv" "$ISO_N" >"$W/bench.txt"
: >"$W/synthetic.txt"
if [ "$SYN_ROWS" -gt 0 ]; then
  say "bench_walk --synthetic $SYN_ROWS $SYN_COLS"
  "$BENCH" --synthetic "$SYN_ROWS" "$SYN_COLS" "$N" >"$W/synthetic.txt"
fi
declare -A K
while IFS='=' read -r k v; do K[$k]=$v; done < <(grep -h '^[a-z0-9_]*=' "$W/bench.txt" "$W/synthetic.txt")

awk -F'\t' -v OFS='\t' '$1 == "R" { print $2, $3, $4, $5, $6 }' "$W/answers.tsv" >"$W/res.tsv"
awk -F'\t' -v OFS='\t' '$1 == "O" { print $2, $3, $4, $5, $6, $7, $8, $9, $10 }' \
  "$W/answers.tsv" >"$W/origins.tsv"
awk -F'\t' -v OFS='\t' '$1 == "O" && $11 != "-" {
    n = split($11, h, ",")
    for (i = 1; i <= n; i++) { split(h[i], pw, ":"); print $2, pw[1], pw[2] }
  }' "$W/answers.tsv" >"$W/ts_hits.tsv"

# ---- PostgreSQL side ----
bench_pg_start "$T" bench_walk.sh postgis pgrouting
POSTGIS_VERSION=$("${PSQL[@]}" -At -c "SELECT postgis_lib_version()")
"${PSQL[@]}" -c '\df pgr_withPointsDD' >"$W/signature.txt"

say "copying net_edges into PostGIS with ogr2ogr"
PG="PG:host=$T port=$PORT dbname=bench user=postgres"
ogr2ogr -f PostgreSQL "$PG" "$DB" net_edges -nln net_edges -lco GEOMETRY_NAME=geom \
  -lco FID=id -preserve_fid
# ogr2ogr writes doubles with 15 significant digits: carry length_m over as
# exact text too and restore every bit.
ogr2ogr -f PostgreSQL "$PG" "$DB" -nln net_edges_len \
  -sql "SELECT id AS edge_id, printf('%.17g', length_m) AS len17 FROM net_edges"

"${PSQL[@]}" <<'SQL'
UPDATE net_edges e SET length_m = l.len17::float8 FROM net_edges_len l WHERE l.edge_id = e.id;
DROP TABLE net_edges_len;
ANALYZE net_edges;
CREATE TABLE bench_conf AS SELECT Find_SRID('public', 'net_edges', 'geom') AS srid;
CREATE TABLE res_points(pid int PRIMARY KEY, ext_id text, edge_id bigint, fraction float8,
                        access_m float8);
CREATE TABLE origins(idx int PRIMARY KEY, lon float8, lat float8, x float8, y float8,
                     edge_id bigint, fraction float8, access_m float8, limit_m float8);
CREATE TABLE ts_hits(origin int, pid int, walk_m float8, PRIMARY KEY (origin, pid));
SQL
"${PSQL[@]}" -c "COPY res_points FROM STDIN" <"$W/res.tsv"
"${PSQL[@]}" -c "COPY origins FROM STDIN" <"$W/origins.tsv"
"${PSQL[@]}" -c "COPY ts_hits FROM STDIN" <"$W/ts_hits.tsv"

# The copy must be the engine's network: same ids, ends and lengths (the
# length sum is taken in id order on both sides, so it matches bit for bit).
same=$("${PSQL[@]}" -At -c "SELECT count(*) = ${K[edges]} AND sum(id) = ${K[edges_sum_id]}
    AND sum(source) = ${K[edges_sum_source]} AND sum(target) = ${K[edges_sum_target]}
    AND sum(length_m ORDER BY id) = '${K[edges_sum_length_m]}'::float8 FROM net_edges")
if [ "$same" != t ]; then
  echo "bench_walk.sh: the PostGIS copy of net_edges differs from the tsunagu database" >&2
  exit 1
fi

"${PSQL[@]}" <<'SQL'
-- Where pgRouting reports each resource: its point (-pid), or the vertex
-- when it lies at an end of its edge; same for where each origin starts.
ALTER TABLE res_points ADD COLUMN node_key bigint;
UPDATE res_points p
   SET node_key = CASE WHEN p.fraction <= 0 THEN e.source
                       WHEN p.fraction >= 1 THEN e.target ELSE -p.pid END
  FROM net_edges e WHERE e.id = p.edge_id;
ALTER TABLE origins ADD COLUMN start_node bigint;
UPDATE origins o
   SET start_node = CASE WHEN o.fraction <= 0 THEN e.source
                         WHEN o.fraction >= 1 THEN e.target ELSE -1000000 END
  FROM net_edges e WHERE e.id = o.edge_id;
ALTER TABLE res_points ALTER COLUMN node_key SET NOT NULL;
ALTER TABLE origins ALTER COLUMN start_node SET NOT NULL;

CREATE TABLE pg_hits(variant text, origin int, pid int, walk_m float8);
CREATE TABLE pg_times(variant text, origin int, ms float8);

-- One origin, one timed statement: pgr_withPointsDD from the origin's point
-- (pid 1000000) over distance = limit - origin's access leg, undirected,
-- with every resource as a point; a resource is within reach when its
-- agg_cost plus its own access leg fits in that distance.
CREATE FUNCTION bench_query(v text, o origins) RETURNS float8 LANGUAGE plpgsql AS $f$
DECLARE
  edges text := 'SELECT id, source, target, length_m AS cost, length_m AS reverse_cost'
                ' FROM net_edges';
  pts text := 'SELECT pid, edge_id, fraction, ''b''::char AS side FROM res_points'
              ' WHERE fraction > 0 AND fraction < 1';
  d float8 := greatest(o.limit_m - o.access_m, 0);
  half float8 := o.limit_m + 1;
  t0 timestamptz;
BEGIN
  IF v = 'bbox' THEN
    edges := edges || format(' WHERE geom && ST_MakeEnvelope(%s, %s, %s, %s, %s)',
                             o.x - half, o.y - half, o.x + half, o.y + half,
                             (SELECT srid FROM bench_conf));
  END IF;
  IF o.start_node = -1000000 THEN
    pts := pts || format(' UNION ALL SELECT 1000000, %s, %s::float8, ''b''::char',
                         o.edge_id, o.fraction);
  END IF;
  t0 := clock_timestamp();
  INSERT INTO pg_hits(variant, origin, pid, walk_m)
  SELECT v, o.idx, p.pid, min(dd.agg_cost) + o.access_m + p.access_m
    FROM pgr_withPointsDD(edges, pts, o.start_node, d, directed => false,
                          details => true) AS dd
    JOIN res_points p ON dd.node = p.node_key
   GROUP BY p.pid, p.access_m
  HAVING min(dd.agg_cost) + p.access_m <= d;
  RETURN extract(epoch FROM clock_timestamp() - t0) * 1000;
END
$f$;
SQL

# CPU time of the server process over the timed pass (utime + stime of
# /proc/PID/stat in clock ticks), for a mean per query that other jobs on
# the machine do not inflate.
declare -A PG_CPU
TICK=$(getconf CLK_TCK)
for v in full bbox; do
  say "pgRouting ($v edges SQL): $N origins"
  CPUFILE="$W/cpu_$v.txt" "${PSQL[@]}" -v v="$v" <<'SQL'
SELECT bench_query(:'v', o) FROM origins o ORDER BY idx LIMIT 5 \g /dev/null
DELETE FROM pg_hits WHERE variant = :'v';
SELECT pg_backend_pid() AS backend \gset
\setenv BACKEND :backend
\! awk '{ print $14 + $15 }' "/proc/$BACKEND/stat" > "$CPUFILE"
INSERT INTO pg_times SELECT :'v', o.idx, bench_query(:'v', o) FROM origins o ORDER BY o.idx;
\! awk '{ print $14 + $15 }' "/proc/$BACKEND/stat" >> "$CPUFILE"
SQL
  PG_CPU[$v]=$(awk -v n="$N" -v tick="$TICK" 'NR == 1 { a = $1 } NR == 2 { printf "%.3f", ($1 - a) * 1000 / tick / n }' "$W/cpu_$v.txt")
done

# ---- agreement ----
"${PSQL[@]}" -v tol="$TOL" <<'SQL' >"$W/diff.txt"
CREATE TABLE diffs AS
WITH tv AS (SELECT v.variant, t.* FROM ts_hits t CROSS JOIN (VALUES ('full'), ('bbox')) v(variant)),
j AS (
  SELECT coalesce(tv.variant, p.variant) AS variant, coalesce(tv.origin, p.origin) AS origin,
         coalesce(tv.pid, p.pid) AS pid, tv.walk_m AS tsunagu_m, p.walk_m AS pgrouting_m
    FROM tv FULL JOIN pg_hits p
      ON p.variant = tv.variant AND p.origin = tv.origin AND p.pid = tv.pid)
SELECT j.*, o.limit_m,
       (j.tsunagu_m IS NULL OR j.pgrouting_m IS NULL) AS set_differs,
       CASE WHEN j.tsunagu_m IS NOT NULL AND j.pgrouting_m IS NOT NULL
            THEN abs(j.tsunagu_m - j.pgrouting_m) <= :tol
            ELSE coalesce(j.tsunagu_m, j.pgrouting_m) >= o.limit_m - :tol END AS tolerated
  FROM j JOIN origins o ON o.idx = j.origin;
\pset format unaligned
\pset tuples_only on
\pset fieldsep ' '
SELECT 'DIFF', variant, origin, pid, coalesce(round(tsunagu_m::numeric, 3)::text, 'absent'),
       coalesce(round(pgrouting_m::numeric, 3)::text, 'absent'), limit_m,
       CASE WHEN tolerated THEN 'within tolerance' ELSE 'MISMATCH' END
  FROM diffs WHERE set_differs OR NOT tolerated ORDER BY variant, origin, pid;
SELECT 'AGREE', v.variant,
       (SELECT count(*) FROM origins o WHERE NOT EXISTS
          (SELECT 1 FROM diffs d WHERE d.variant = v.variant AND d.origin = o.idx
              AND d.set_differs)),
       (SELECT count(*) FROM origins o WHERE NOT EXISTS
          (SELECT 1 FROM diffs d WHERE d.variant = v.variant AND d.origin = o.idx
              AND NOT d.tolerated)),
       (SELECT count(*) FROM diffs d WHERE d.variant = v.variant AND NOT d.set_differs),
       (SELECT coalesce(max(abs(d.tsunagu_m - d.pgrouting_m)), 0) FROM diffs d
         WHERE d.variant = v.variant AND NOT d.set_differs)
  FROM (VALUES ('full'), ('bbox')) AS v(variant);
SELECT 'TIME', variant, percentile_disc(0.5) WITHIN GROUP (ORDER BY ms),
       percentile_disc(0.99) WITHIN GROUP (ORDER BY ms), max(ms), count(*)
  FROM pg_times GROUP BY variant;
SQL

# ---- interleaved pass: the engines take turns, origin by origin ----
# tsunagu (bench_walk in BENCH_WALK_SERVE mode, the same origins), then
# pgRouting with the whole edges table, then with the origin's box, for
# origin 0, 1, ...: each engine's caches are disturbed by the others, as in
# a server doing more than one thing. Same per-query clocks as above.
say "interleaved pass: tsunagu, pgRouting (whole table), pgRouting (box) in turn"
coproc TSW { BENCH_WALK_SERVE=1 "$BENCH" "$DB" "$N" "$MINUTES" "$SEED" /dev/null 0; }
while read -r line <&"${TSW[0]}"; do [ "$line" = ready ] && break; done
coproc PGQ { stdbuf -oL "${PSQL[@]}" -At; }
: >"$W/inter.txt"
for ((i = 0; i < N; i++)); do
  echo "$i" >&"${TSW[1]}"
  read -r tms _ tcpu <&"${TSW[0]}"
  echo "SELECT bench_query('full', o) FROM origins o WHERE idx = $i;" >&"${PGQ[1]}"
  read -r fms <&"${PGQ[0]}"
  echo "SELECT bench_query('bbox', o) FROM origins o WHERE idx = $i;" >&"${PGQ[1]}"
  read -r bms <&"${PGQ[0]}"
  echo "$tms $fms $bms $tcpu" >>"$W/inter.txt"
done
echo '\q' >&"${PGQ[1]}"
eval "exec ${TSW[1]}>&-"
wait
p50() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
IL_TS=$(awk '{ print $1 }' "$W/inter.txt" | p50)
IL_FULL=$(awk '{ print $2 }' "$W/inter.txt" | p50)
IL_BBOX=$(awk '{ print $3 }' "$W/inter.txt" | p50)
IL_TS_CPU=$(awk '{ print $4 }' "$W/inter.txt" | p50)

declare -A AG_SAME AG_OK AG_PAIRS AG_MAXD PG_P50 PG_P99 PG_MAX
while read -r tag v a b c d; do
  case $tag in
    AGREE) AG_SAME[$v]=$a; AG_OK[$v]=$b; AG_PAIRS[$v]=$c; AG_MAXD[$v]=$d ;;
    TIME) PG_P50[$v]=$a; PG_P99[$v]=$b; PG_MAX[$v]=$c ;;
  esac
done <"$W/diff.txt"

# ---- report ----
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
mem=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0fx", a / b }'; }
echo
echo "machine: $(nproc) cores, $cpu, $mem RAM; load average $LOAD_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
echo "peers: PostgreSQL $PG_VERSION, PostGIS $POSTGIS_VERSION, pgRouting $PGR_VERSION"
echo "network: ${BENCH_DB:-宇部市 OSM}, ${K[nodes]} nodes, ${K[edges]} edges (${K[directed_edges]} directed); ${K[resources]} shelters (${K[resources_off]} off the network)"
echo "query: $MINUTES min at 80 m/min (limit $((MINUTES * 80)) m), $N origins (seed $SEED), mean ${K[mean_hits]} reachable shelters per origin"
echo
printf '%-44s %10s %10s %10s\n' "per query (ms)" p50 p99 max
printf '%-44s %10.3f %10.3f %10.3f\n' "tsunagu walk_reachable (whole call)" \
  "${K[walk_p50_ms]}" "${K[walk_p99_ms]}" "${K[walk_max_ms]}"
printf '%-44s %10.4f %10.4f %10.4f\n' "  of which lon/lat -> x/y (PROJ)" \
  "${K[proj_p50_ms]}" "${K[proj_p99_ms]}" "${K[proj_max_ms]}"
printf '%-44s %10.4f %10.4f %10.4f\n' "  of which snapping (graph_snap)" \
  "${K[snap_p50_ms]}" "${K[snap_p99_ms]}" "${K[snap_max_ms]}"
printf '%-44s %10.3f %10.3f %10.3f\n' "tsunagu isochrone_geojson (${K[iso_n]} origins)" \
  "${K[iso_p50_ms]}" "${K[iso_p99_ms]}" "${K[iso_max_ms]}"
printf '%-44s %10.3f %10.3f %10.3f\n' "  the same, thread CPU time" \
  "${K[iso_cpu_p50_ms]}" "${K[iso_cpu_p99_ms]}" "${K[iso_cpu_max_ms]}"
printf '%-44s %10.3f %10.3f %10.3f\n' "pgr_withPointsDD, whole edges table" \
  "${PG_P50[full]}" "${PG_P99[full]}" "${PG_MAX[full]}"
printf '%-44s %10.3f %10.3f %10.3f\n' "pgr_withPointsDD, edges in the origin's box" \
  "${PG_P50[bbox]}" "${PG_P99[bbox]}" "${PG_MAX[bbox]}"
printf '%-44s %10s %10s\n' "ratio pgRouting (whole table) / tsunagu" \
  "$(ratio "${PG_P50[full]}" "${K[walk_p50_ms]}")" "$(ratio "${PG_P99[full]}" "${K[walk_p99_ms]}")"
printf '%-44s %10s %10s\n' "ratio pgRouting (box) / tsunagu" \
  "$(ratio "${PG_P50[bbox]}" "${K[walk_p50_ms]}")" "$(ratio "${PG_P99[bbox]}" "${K[walk_p99_ms]}")"
printf '%-44s %10.3f\n' "interleaved p50: tsunagu walk_reachable" "$IL_TS"
printf '%-44s %10.3f\n' "  the same, thread CPU time" "$IL_TS_CPU"
printf '%-44s %10.3f   ratio %s\n' "interleaved p50: pgRouting, whole table" "$IL_FULL" \
  "$(ratio "$IL_FULL" "$IL_TS")"
printf '%-44s %10.3f   ratio %s\n' "interleaved p50: pgRouting, origin's box" "$IL_BBOX" \
  "$(ratio "$IL_BBOX" "$IL_TS")"
echo "interleaved_ts_p50_ms=$IL_TS interleaved_ts_cpu_p50_ms=$IL_TS_CPU interleaved_full_p50_ms=$IL_FULL interleaved_bbox_p50_ms=$IL_BBOX"
printf '%-44s %10s\n' "mean CPU time per query (ms)" ""
printf '%-44s %10.3f\n' "tsunagu walk_reachable" "${K[walk_cpu_mean_ms]}"
printf '%-44s %10.3f   ratio %s\n' "pgRouting server process, whole edges table" "${PG_CPU[full]}" \
  "$(ratio "${PG_CPU[full]}" "${K[walk_cpu_mean_ms]}")"
printf '%-44s %10.3f   ratio %s\n' "pgRouting server process, origin's box" "${PG_CPU[bbox]}" \
  "$(ratio "${PG_CPU[bbox]}" "${K[walk_cpu_mean_ms]}")"
echo
for v in full bbox; do
  echo "agreement ($v): identical reachable sets on ${AG_SAME[$v]} of $N origins;" \
    "${AG_OK[$v]} of $N within the ${TOL} m boundary tolerance;" \
    "max distance difference on ${AG_PAIRS[$v]} common pairs $(printf '%.2g' "${AG_MAXD[$v]}") m"
done
grep '^DIFF' "$W/diff.txt" | head -20 || true
echo
echo "graph: ${K[graph_bytes]} bytes = ${K[bytes_per_directed_edge]} bytes per directed edge; load (walk_net_load) ${K[load_ms]} ms"
echo
printf '%-32s %9s %9s %9s %10s %10s\n' "synthetic grid (30 min, snap+search)" edges "build ms" "B/dir.e" "p50 ms" "p99 ms"
for i in 0 1 2; do
  [ -n "${K[syn${i}_edges]:-}" ] || continue
  printf '%-36s %9s %9s %9s %10.3f %10.3f\n' "${K[syn${i}_rows]}x${K[syn${i}_cols]}" \
    "${K[syn${i}_edges]}" "${K[syn${i}_build_ms]}" "${K[syn${i}_bytes_per_directed_edge]}" \
    "${K[syn${i}_p50_ms]}" "${K[syn${i}_p99_ms]}"
done

if [ "${AG_OK[full]}" != "$N" ] || [ "${AG_OK[bbox]}" != "$N" ]; then
  echo "bench_walk.sh: tsunagu and pgRouting disagree (see MISMATCH lines above)" >&2
  exit 1
fi
