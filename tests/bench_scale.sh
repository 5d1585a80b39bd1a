#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench_scale.sh - issue 17's scale table in one command: synthetic street
# grids (tools/gridgen: jittered 60 m blocks near 宇部市, 4 vertices per
# edge) imported with households, resources and two district levels, then
# every row of the table with the peer beside it. Not run by ctest (timings
# are reported, never asserted; tests/cli_gridgen.sh is the smoke test).
#
#   bash tests/bench_scale.sh                                 # 125k edges, 10k households
#   BENCH_SCALE_SIZES="125k 500k 2m" BENCH_SCALE_HOUSEHOLDS=100000 bash tests/bench_scale.sh
#
# Per size: gridgen writes the grid; `import network` is timed (wall and
# CPU, /usr/bin/time; with BENCH_BEFORE_BIN=/path/to/an/older/tsunagu the
# same file is imported by it too, for a before/after row); households,
# resources and districts are imported; tests/bench_walk.sh runs on the
# database (BENCH_DB): network load time, bytes per directed edge, the
# 30-minute walk p50 in a tight loop and interleaved round robin with
# pgRouting (PostgreSQL + PostGIS + pgRouting on loopback, installed by
# bench_lib.sh when missing), and its check that pgRouting's reachable sets
# and distances (0.1 m) equal tsunagu's; then `suggest` (3 sites,
# network-node candidates), `route` (the 200 households nearest the centre)
# and `coverage` (100% of households, elementary districts) through the CLI,
# wall and CPU time each, load included; tiles through tests/bench_tiles.sh
# when that script exists ("not measured" otherwise).
#
# Environment: BENCH_SCALE_SIZES (125k; any of 125k 500k 2m or an edge
# count), BENCH_SCALE_HOUSEHOLDS (10000), BENCH_SCALE_RESOURCES (300),
# BENCH_SCALE_PEERS (1; 0 skips bench_walk.sh and its PostgreSQL),
# BENCH_SCALE_DIR (keep the grids and databases there instead of a temp
# dir), BENCH_SCALE_REUSE (1: a size whose grid and imports are already in
# BENCH_SCALE_DIR is not generated and imported again; its recorded import
# times are reported), BENCH_BEFORE_BIN, BENCH_BUILD_DIR (build-bench),
# BENCH_SCALE_TILE_ZOOMS (tile zooms for bench_tiles.sh: "13 14"),
# BENCH_ORIGINS (200; pgRouting over the whole 2M-edge table takes tens of
# seconds per origin, so use about 12 there).
# Exit status: 0, or 1 when a step fails or a peer disagrees.
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BENCH_BUILD_DIR:-$SRC/build-bench}
SIZES=${BENCH_SCALE_SIZES:-125k}
HH=${BENCH_SCALE_HOUSEHOLDS:-10000}
NRES=${BENCH_SCALE_RESOURCES:-300}
PEERS=${BENCH_SCALE_PEERS:-1}
BEFORE=${BENCH_BEFORE_BIN:-}

say() { printf '== %s\n' "$*" >&2; }

. "$SRC/tests/bench_lib.sh"
bench_build "$BUILD" tsunagu gridgen bench_walk
GEN=$BUILD/gridgen
if [ -n "${BENCH_SCALE_DIR:-}" ]; then
  mkdir -p "$BENCH_SCALE_DIR"
  T=$BENCH_SCALE_DIR
  LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
else
  bench_workdir tsunagu-scale
  trap 'rm -rf "$T"' EXIT
fi

# timed OUT CMD...: runs CMD with /usr/bin/time; OUT gets "wall user sys maxKB".
timed() {
  local out=$1
  shift
  /usr/bin/time -f '%e %U %S %M' -o "$out.time" "$@" >"$out" 2>"$out.err" || {
    echo "bench_scale.sh: failed: $*" >&2
    cat "$out.err" >&2
    return 1
  }
}
# (the last line of a time file: a failed command's has a status line first)
wall() { tail -n1 "$1.time" | cut -d' ' -f1; }
cpu() { tail -n1 "$1.time" | awk '{ printf "%.2f", $2 + $3 }'; }
rss_mb() { tail -n1 "$1.time" | awk '{ printf "%.0f", $4 / 1024 }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.1fk", n / s / 1000 }'; }

edges_of() {
  case $1 in
    125k) echo 125000 ;; 500k) echo 500000 ;; 2m | 2M) echo 2000000 ;; *) echo "$1" ;;
  esac
}

status=0
for size in $SIZES; do
  E=$(edges_of "$size")
  D=$T/grid_$size
  DB=$D/grid.db
  say "grid $size: gridgen --edges $E --households $HH --resources $NRES"
  before_row="not measured (set BENCH_BEFORE_BIN)"
  if [ "${BENCH_SCALE_REUSE:-0}" = 1 ] && [ -f "$D/imp_net.time" ] && [ -f "$D/imp_jh.time" ]; then
    say "reusing $D (BENCH_SCALE_REUSE=1): its grid, database and import times"
    edges=$(sed -n 's/.* edges=\([0-9]*\) .*/\1/p' "$D.gen.txt")
  else
  "$GEN" --edges "$E" --households "$HH" --resources "$NRES" "$D" >"$D.gen.txt"
  edges=$(sed -n 's/.* edges=\([0-9]*\) .*/\1/p' "$D.gen.txt")
  rm -f "$DB" "$DB"-*
  say "import network ($edges edges)"
  timed "$D/imp_net" "$TSUNAGU" --db "$DB" import network "$D/grid_network.gpkg"
  if [ -n "$BEFORE" ]; then
    say "import network with $BEFORE"
    rm -f "$D/before.db" "$D/before.db"-*
    timed "$D/imp_before" "$BEFORE" --db "$D/before.db" import network "$D/grid_network.gpkg"
    before_row="$(wall "$D/imp_before") s wall, $(cpu "$D/imp_before") s CPU: $(rate "$edges" "$(wall "$D/imp_before")") edges/s wall, $(rate "$edges" "$(cpu "$D/imp_before")") per CPU-s"
    rm -f "$D/before.db" "$D/before.db"-*
  fi
  timed "$D/imp_hh" "$TSUNAGU" --db "$DB" import households "$D/grid_households.csv"
  timed "$D/imp_res" "$TSUNAGU" --db "$DB" import resources "$D/grid_resources.csv"
  timed "$D/imp_el" "$TSUNAGU" --db "$DB" import districts --level elementary \
    "$D/grid_districts_elementary.geojson"
  timed "$D/imp_jh" "$TSUNAGU" --db "$DB" import districts --level junior_high \
    "$D/grid_districts_junior_high.geojson"
  fi

  walk_txt=$D/walk.txt
  : >"$walk_txt"
  if [ "$PEERS" = 1 ]; then
    say "tests/bench_walk.sh on the $size grid (pgRouting beside it)"
    BENCH_DB=$DB BENCH_SYN_ROWS=0 BENCH_ISO_ORIGINS=10 BENCH_BUILD_DIR=$BUILD \
      bash "$SRC/tests/bench_walk.sh" >"$walk_txt" 2>"$D/walk.err" || {
      status=1
      echo "bench_scale.sh: bench_walk.sh failed or disagreed on $size (see below)" >&2
      tail -20 "$D/walk.err" >&2
    }
  fi

  say "suggest, route, coverage"
  timed "$D/suggest" "$TSUNAGU" --db "$DB" suggest --minutes 30 --kind consultation --sites 3 ||
    status=1
  ids=$(awk -F, 'NR > 1 { dx = ($2 - 131.25) * 92436; dy = ($3 - 33.95) * 110921;
                          printf "%.3f %s\n", dx * dx + dy * dy, $1 }' "$D/grid_households.csv" |
    sort -g | awk 'NR <= 200 { print $2 }' | paste -sd,)
  timed "$D/route" "$TSUNAGU" --db "$DB" route --start-lon 131.25 --start-lat 33.95 \
    --households "$ids" || status=1
  timed "$D/coverage" "$TSUNAGU" --db "$DB" coverage --minutes 30 --level elementary \
    --kind consultation || status=1

  tiles_row="not measured (tests/bench_tiles.sh is absent)"
  if [ -f "$SRC/tests/bench_tiles.sh" ]; then
    say "tests/bench_tiles.sh on the $size grid"
    if BENCH_TILES_DB=$DB BENCH_TILES_ZOOMS=${BENCH_SCALE_TILE_ZOOMS:-13 14} BENCH_BUILD_DIR=$BUILD \
      bash "$SRC/tests/bench_tiles.sh" >"$D/tiles.txt" \
      2>"$D/tiles.err"; then
      tiles_row="see $D/tiles.txt: $(grep -m1 -i 'first' "$D/tiles.txt" || echo '(no summary line)')"
    else
      tiles_row="bench_tiles.sh failed (see $D/tiles.err)"
      status=1
    fi
  fi

  declare -A K=()
  while IFS='=' read -r k v; do K[$k]=$v; done < <(grep -h '^[a-z0-9_]*=' "$walk_txt" || true)
  il=$(grep -h '^interleaved_ts_p50_ms=' "$walk_txt" || true)
  for kv in $il; do K[${kv%%=*}]=${kv#*=}; done
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0fx", a / b; else print "-" }'; }
  pg_tight=$(awk '/^pgr_withPointsDD, whole edges table/ { print $(NF-2) }' "$walk_txt")
  pg_box=$(awk '/^pgr_withPointsDD, edges in the origin/ { print $(NF-2) }' "$walk_txt")
  agree=$(grep -h '^agreement' "$walk_txt" | tr '\n' ' ')

  echo
  echo "== grid $size: $edges edges, $HH households, $NRES resources (machine: $(nproc) cores," \
    "load average $LOAD_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) now)"
  printf '%-34s | %-58s | %s\n' "row" "tsunagu" "peer / before"
  printf '%-34s | %-58s | %s\n' "network import" \
    "$(wall "$D/imp_net") s wall, $(cpu "$D/imp_net") s CPU, $(rss_mb "$D/imp_net") MB: $(rate "$edges" "$(wall "$D/imp_net")") edges/s wall, $(rate "$edges" "$(cpu "$D/imp_net")") per CPU-s" \
    "before: $before_row"
  printf '%-34s | %-58s | %s\n' "households import ($HH)" "$(wall "$D/imp_hh") s wall, $(cpu "$D/imp_hh") s CPU" "-"
  if [ "$PEERS" = 1 ] && [ -n "${K[load_ms]:-}" ]; then
    printf '%-34s | %-58s | %s\n' "loading the network" "${K[load_ms]} ms (walk_net_load)" "-"
    printf '%-34s | %-58s | %s\n' "graph memory" "${K[bytes_per_directed_edge]} B per directed edge" "-"
    printf '%-34s | %-58s | %s\n' "walk 30 min p50, tight loop" "${K[walk_p50_ms]} ms" \
      "pgRouting ${pg_tight:-?} ms whole table ($(ratio "${pg_tight:-0}" "${K[walk_p50_ms]}")), ${pg_box:-?} ms box ($(ratio "${pg_box:-0}" "${K[walk_p50_ms]}"))"
    printf '%-34s | %-58s | %s\n' "walk 30 min p50, interleaved" "${K[interleaved_ts_p50_ms]:-?} ms (thread CPU ${K[interleaved_ts_cpu_p50_ms]:-?} ms)" \
      "pgRouting ${K[interleaved_full_p50_ms]:-?} ms whole table ($(ratio "${K[interleaved_full_p50_ms]:-0}" "${K[interleaved_ts_p50_ms]:-0}")), ${K[interleaved_bbox_p50_ms]:-?} ms box ($(ratio "${K[interleaved_bbox_p50_ms]:-0}" "${K[interleaved_ts_p50_ms]:-0}"))"
    printf '%-34s | %s\n' "peer agreement" "$agree"
  else
    printf '%-34s | %s\n' "load, memory, walk vs pgRouting" "not measured (BENCH_SCALE_PEERS=0 or bench_walk.sh failed)"
  fi
  printf '%-34s | %-58s | %s\n' "suggest 3 sites, $HH households" \
    "$(wall "$D/suggest") s wall, $(cpu "$D/suggest") s CPU, $(rss_mb "$D/suggest") MB (load included)" \
    "$(head -c 120 "$D/suggest.err" | tr '\n' ' ')"
  printf '%-34s | %-58s | %s\n' "route 200 stops" \
    "$(wall "$D/route") s wall, $(cpu "$D/route") s CPU (load included)" "-"
  printf '%-34s | %-58s | %s\n' "coverage, $HH households" \
    "$(wall "$D/coverage") s wall, $(cpu "$D/coverage") s CPU (load included)" "-"
  printf '%-34s | %s\n' "tile first generation" "$tiles_row"
done
exit "$status"
