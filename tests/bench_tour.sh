#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench_tour.sh - outreach tour quality and speed on the real 宇部市 network:
# tsunagu's tour_solve against the best-known tour lengths and against
# pgRouting's pgr_TSP on the very same distance matrices. Not run by ctest
# (timings are reported, never asserted).
#
#   bash tests/bench_tour.sh
#
# Steps: installs postgresql-15, postgresql-15-postgis-3 (pgRouting needs it)
# and postgresql-15-pgrouting with apt-get when
# missing; builds tsunagu and tests/bench_tour (build dir $BENCH_BUILD_DIR,
# default build-bench); imports ../shared/data/ube's network into a fresh
# tsunagu database; `bench_tour gen` draws the instances (10 each of 10, 20,
# 50, 100 and 200 stops plus a depot, at random places on the streets of the
# network's largest connected part, from fixed seeds) and their walking
# distance matrices; `bench_tour run` solves each with tour_solve
# BENCH_TOUR_REPS times (5; the median wall time and thread CPU time are
# kept); starts a throw-away PostgreSQL cluster on 127.0.0.1 (tests/bench_lib.sh),
# copies the same matrices in (text with 17 significant digits, so every bit
# survives) and runs pgr_TSP(matrix, start_id => the depot) once per instance,
# timed server-side (clock_timestamp around the one statement in PL/pgSQL,
# after an untimed warm-up); its tour length is recomputed from its node
# sequence on the matrix, and its tour checked to visit every node once.
#
# Best-known lengths: tests/bench_tour_best.txt (`size index length`), from
# `bench_tour best DIR RUNS MULT` (Held-Karp up to 12 stops; beyond, the
# shortest of RUNS runs of tour_search with MULT times the default kicks and
# other seeds) - see the README, "Quality and speed".
#
# Environment: BENCH_TOUR_REPS (5), BENCH_BUILD_DIR, TSUNAGU_SHARED,
# BENCH_TOUR_KEEP (a directory: keep the instances and raw results there).
# Exit status: 0, 1 when a step fails, 77 when ../shared/data is absent.
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${TSUNAGU_SHARED:-$SRC/../shared/data}
BUILD=${BENCH_BUILD_DIR:-$SRC/build-bench}
REPS=${BENCH_TOUR_REPS:-5}
NET=$SHARED/ube/ube_roads_osm_edges.gpkg
BEST=$SRC/tests/bench_tour_best.txt

if [ ! -f "$NET" ]; then
  echo "SKIP: $SHARED/ube is absent; bench_tour.sh needs the real 宇部市 network"
  exit 77
fi

say() { printf '== %s\n' "$*" >&2; }

. "$SRC/tests/bench_lib.sh"
bench_pg_packages postgresql-15 postgresql-15-postgis-3 postgresql-15-pgrouting

bench_build "$BUILD" tsunagu bench_tour
BENCH=$BUILD/tests/bench_tour

bench_workdir tsunagu-tour
cleanup() {
  bench_pg_stop
  if [ -n "${BENCH_TOUR_KEEP:-}" ]; then
    mkdir -p "$BENCH_TOUR_KEEP"
    cp "$W"/*.tsv "$W"/*.txt "$W"/*.bin "$BENCH_TOUR_KEEP"/ 2>/dev/null || true
  fi
  rm -rf "$T"
}
trap cleanup EXIT

say "importing the 宇部市 network"
"$TSUNAGU" --db "$W/ube.db" import network "$NET" >"$W/import.txt" 2>&1
say "drawing the instances and their walking distance matrices"
"$BENCH" gen "$W/ube.db" "$W" 2>"$W/gen.txt"
say "tour_solve, $REPS times per instance"
"$BENCH" run "$W" "$BEST" "$REPS" >"$W/tsunagu.txt"

bench_pg_start "$T" bench_tour.sh pgrouting
"${PSQL[@]}" <<'SQL'
CREATE TABLE m(inst text, i int, j int, cost float8);
CREATE TABLE inst(inst text PRIMARY KEY, size int, idx int, n int);
SQL
"${PSQL[@]}" -c "COPY m FROM STDIN" <"$W/matrices.tsv"
"${PSQL[@]}" -c "COPY inst FROM STDIN" <"$W/instances.tsv"
"${PSQL[@]}" <<'SQL' >"$W/pgr.txt"
SET client_min_messages = warning; -- pgr_TSP notes once per call that it ignores annealing
CREATE INDEX ON m(inst);
ANALYZE m;
CREATE TABLE tsp(inst text, seq int, node bigint);
CREATE TABLE tsp_time(inst text, ms float8);
-- One instance, one timed statement: pgr_TSP over the instance's matrix
-- from the depot (id 1), its rows kept for checking.
CREATE FUNCTION bench_tsp(k text) RETURNS float8 LANGUAGE plpgsql AS $f$
DECLARE
  t0 timestamptz;
BEGIN
  t0 := clock_timestamp();
  INSERT INTO tsp SELECT k, r.seq, r.node
    FROM pgr_TSP(format('SELECT i AS start_vid, j AS end_vid, cost AS agg_cost'
                        ' FROM m WHERE inst = %L', k), 1) AS r;
  RETURN extract(epoch FROM clock_timestamp() - t0) * 1000;
END
$f$;
SELECT bench_tsp(inst) FROM inst ORDER BY inst LIMIT 3 \g /dev/null
TRUNCATE tsp;
INSERT INTO tsp_time SELECT inst, bench_tsp(inst) FROM inst ORDER BY inst;
\pset format unaligned
\pset tuples_only on
\pset fieldsep '\t'
-- The length on the matrix along pgr_TSP's closed walk, and how many
-- distinct nodes it visits (n when valid; it starts and ends at the depot).
WITH legs AS (
  SELECT inst, node, lag(node) OVER (PARTITION BY inst ORDER BY seq) AS prev FROM tsp)
SELECT 'P', i.inst, t.ms,
       (SELECT sum(m.cost) FROM legs l JOIN m ON m.inst = l.inst AND m.i = l.prev AND m.j = l.node
         WHERE l.inst = i.inst),
       (SELECT count(DISTINCT node) FROM tsp WHERE tsp.inst = i.inst),
       (SELECT count(*) FROM tsp WHERE tsp.inst = i.inst), i.n
  FROM inst i JOIN tsp_time t ON t.inst = i.inst ORDER BY i.inst;
SQL

if awk -F'\t' '$1 == "P" && ($5 != $7 || $6 != $7 + 1) { bad = 1 } END { exit !bad }' "$W/pgr.txt"; then
  echo "bench_tour.sh: a pgr_TSP tour does not visit every node exactly once" >&2
  exit 1
fi

# ---- report ----
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
echo
echo "machine: $(nproc) cores, $cpu; load average $LOAD_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
echo "peer: PostgreSQL $PG_VERSION, pgRouting $PGR_VERSION (pgr_TSP)"
echo "instances: 宇部市 OSM walking network, 10 per size, stops at random street places; lengths vs tests/bench_tour_best.txt"
echo
awk -F'\t' '
  FNR == NR { if ($1 == "P") { pl[$2] = $4; pm[$2] = $3 } next }
  $1 == "T" {
    s = $3; n[s]++
    if ($6 == "-") { nobest = 1; next }
    g = 100 * ($5 / $6 - 1); tg[s] += g; if (g > tx[s]) tx[s] = g; if (g < 1e-7) at[s]++
    tm[s] += $7; if ($7 > tmx[s]) tmx[s] = $7; tc[s] += $9
    j = 100 * ($10 / $6 - 1); tj[s] += j; if (j > jx[s]) jx[s] = j
    q = 100 * (pl[$2] / $6 - 1); pg[s] += q; if (!(s in px) || q > px[s]) px[s] = q
    pt[s] += pm[$2]
    if (s >= 100) { big += g; nbig++; if (g > bigmax) bigmax = g }
  }
  END {
    if (nobest) { print "bench_tour.sh: some instances have no best-known length" > "/dev/stderr"; exit 1 }
    printf "%5s %4s | %-44s | %-15s | %-26s\n", "", "", "tsunagu tour_solve", "+-0.05 m jitter", "pgRouting pgr_TSP"
    printf "%5s %4s | %7s %7s %7s %6s %6s %6s | %7s %7s | %7s %7s %8s\n", "stops", "inst",
      "mean %", "max %", "at best", "ms", "max ms", "cpu ms", "mean %", "max %", "mean %", "max %", "ms"
    for (s = 1; s <= 200; s++) if (s in n)
      printf "%5d %4d | %7.3f %7.3f %4d/%-2d %6.1f %6.1f %6.1f | %7.3f %7.3f | %7.2f %7.2f %8.1f\n", s, n[s],
        tg[s] / n[s], tx[s], at[s], n[s], tm[s] / n[s], tmx[s], tc[s] / n[s],
        tj[s] / n[s], jx[s], pg[s] / n[s], px[s], pt[s] / n[s]
    printf "\n%% = length above the best known; ms = median wall time of one call (mean over the instances), max ms its largest, cpu ms thread CPU time;\n"
    printf "jitter = the tour solved with every distance moved by up to 0.05 m, measured on the real distances\n"
    printf "100-200 stops: mean %.3f %%, max %.3f %% above the best known (goal: mean <= 0.3 %%, max <= 1 %%)\n", big / nbig, bigmax
  }' "$W/pgr.txt" "$W/tsunagu.txt"
