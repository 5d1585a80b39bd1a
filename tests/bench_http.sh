#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench_http.sh - HTTP load on the running server: `tsunagu serve` driven by
# wrk over loopback with cached map tiles, /api/walk queries and a mix, on
# the real 宇部市 network. Reports requests/s, latency p50/p99 and errors per
# run, the server's memory and open files over a 60 s run, and a verdict per
# target of issue 5 (≥ 10,000 cached tiles/s, ≥ 2,000 walks/s at 30 minutes,
# zero errors, memory flat). Not run by ctest: figures are reported, only
# errors fail it.
#
#   bash tests/bench_http.sh
#
# Steps: installs wrk, gdal-bin and curl with apt-get when missing; builds
# tsunagu (build dir $BENCH_BUILD_DIR, default build-load); imports
# ../shared/data/ube (OSM network and P20 shelters) into a fresh database;
# starts `tsunagu serve --port 0 --quiet --threads $(nproc)` on 127.0.0.1
# and reads the port from its "serving ... on http://127.0.0.1:PORT/" line;
# lists the streets tiles at zooms 14-16 over the network's extent, fetches
# each once with Accept-Encoding: gzip (builds and caches it, keeps the
# non-empty ones with their ETag); picks 500 walk origins deterministically
# (net_nodes with id % 20 = 0 in id order, each moved by a fixed offset of at
# most about 20 m) and checks each answers 200; then runs wrk with
# tests/bench_http.lua (requests pre-formatted; statuses counted):
#   tiles      cached tiles, rotating, gzip                  BENCH_DURATION s
#   tiles 304  the same with If-None-Match (answers 304)     BENCH_DURATION s
#   walk       /api/walk?lon&lat&minutes=30, rotating        BENCH_DURATION s
#   mix        80 % tiles, 20 % walks, evenly interleaved    BENCH_DURATION s
#   mix 60 s   the mix for BENCH_SOAK s, sampling the server's VmRSS
#              (/proc/PID/status) and open descriptors (/proc/PID/fd) every
#              5 s from t = 5 s; RSS is "flat" when no sample exceeds the
#              first by more than BENCH_RSS_TOL_KB (default 4096 kB); the
#              descriptors must be back to the idle count after the run.
# wrk and the server share the machine's cores (2 on the reference machine):
# wrk's own CPU time is taken from the server, so the figures are a floor of
# what the server does with the cores to itself. The load average is printed
# at the start and the end.
#
# Environment: BENCH_DURATION (20), BENCH_SOAK (60), BENCH_WRK_THREADS (2),
# BENCH_CONNS (32), BENCH_SERVER_THREADS (nproc), BENCH_MINUTES (30),
# BENCH_WALK_PCT (20), BENCH_RSS_TOL_KB (4096), BENCH_KEEP (1 keeps the temp
# dir), TSUNAGU_SHARED.
# Exit status: 0 when every run completed without an error response or
# socket error and no descriptor leaked (throughput targets are reported,
# not asserted); 1 otherwise or when a step fails; 77 when ../shared/data is
# absent (skip, as in the test suite).
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${TSUNAGU_SHARED:-$SRC/../shared/data}
BUILD=${BENCH_BUILD_DIR:-$SRC/build-load}
DURATION=${BENCH_DURATION:-20}
SOAK=${BENCH_SOAK:-60}
WRK_THREADS=${BENCH_WRK_THREADS:-2}
CONNS=${BENCH_CONNS:-32}
SERVER_THREADS=${BENCH_SERVER_THREADS:-$(nproc)}
MINUTES=${BENCH_MINUTES:-30}
WALK_PCT=${BENCH_WALK_PCT:-20}
RSS_TOL_KB=${BENCH_RSS_TOL_KB:-4096}
LUA=$SRC/tests/bench_http.lua
NET=$SHARED/ube/ube_roads_osm_edges.gpkg
RES=$SHARED/ube/ube_shelters_P20.gpkg
TILE_TARGET=10000
WALK_TARGET=2000

if [ ! -f "$NET" ] || [ ! -f "$RES" ]; then
  echo "SKIP: $SHARED/ube is absent; bench_http.sh needs the real 宇部市 network"
  exit 77
fi

say() { printf '== %s\n' "$*" >&2; }
die() {
  echo "bench_http.sh: $*" >&2
  exit 1
}

# ---- packages ----
need=()
for p in wrk gdal-bin curl; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]}"
  SUDO=
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
fi

# ---- build ----
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
  cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
say "building tsunagu in $BUILD"
cmake --build "$BUILD" -j2 --target tsunagu >/dev/null
TSUNAGU=$BUILD/tsunagu

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- temp dir, server, cleanup ----
T=$(mktemp -d "${TMPDIR:-/tmp}/tsunagu-bench-http.XXXXXX")
SERVER_PID=
SAMPLER_PID=
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  if [ -n "$SAMPLER_PID" ]; then kill "$SAMPLER_PID" 2>/dev/null || true; fi
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  if [ "${BENCH_KEEP:-0}" = 1 ]; then
    echo "bench_http.sh: kept $T" >&2
  else
    rm -rf "$T"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

DB=$T/ube.db
say "importing 宇部市 into $DB"
"$TSUNAGU" --db "$DB" import network "$NET" >"$T/import.txt" 2>&1
"$TSUNAGU" --db "$DB" import resources "$RES" --kind shelter >>"$T/import.txt" 2>&1

# ---- tile and walk lists ----
# The network's extent in lon/lat, then every zoom 14-16 tile over it.
read -r MINLON MINLAT MAXLON MAXLAT < <(ogr2ogr -f CSV /vsistdout/ "$DB" -sql \
  "SELECT MbrMinX(e), MbrMinY(e), MbrMaxX(e), MbrMaxY(e) FROM
     (SELECT Extent(ST_Transform(geom, 4326)) AS e FROM net_edges)" |
  tail -n 1 | tr -d '"' | tr ',' ' ')
awk -v x0="$MINLON" -v y0="$MINLAT" -v x1="$MAXLON" -v y1="$MAXLAT" '
  function tx(lon, n) { return int((lon + 180) / 360 * n) }
  function ty(lat, n,   r) {
    r = lat * 3.14159265358979323846 / 180
    return int((1 - log(sin(r) / cos(r) + 1 / cos(r)) / 3.14159265358979323846) / 2 * n)
  }
  BEGIN {
    for (z = 14; z <= 16; z++) {
      n = 2 ^ z
      for (x = tx(x0, n); x <= tx(x1, n); x++)
        for (y = ty(y1, n); y <= ty(y0, n); y++)
          printf "/tiles/streets/%d/%d/%d.mvt\n", z, x, y
    }
  }' >"$T/tiles_all.txt"

# 500 origins: every 20th network node, moved by a fixed offset of at most
# ±10 × 2e-5 degrees (about 20 m) so that snapping is exercised.
ogr2ogr -f CSV /vsistdout/ "$DB" -sql \
  "SELECT ST_X(ST_Transform(geom, 4326)), ST_Y(ST_Transform(geom, 4326)) FROM net_nodes
    WHERE id % 20 = 0 ORDER BY id" |
  tail -n +2 | tr -d '"' | head -n 500 |
  awk -F, -v m="$MINUTES" '{
      i = NR
      lon = $1 + ((i * 37) % 21 - 10) * 2e-5
      lat = $2 + ((i * 53) % 21 - 10) * 2e-5
      printf "/api/walk?lon=%.7f&lat=%.7f&minutes=%s\n", lon, lat, m
    }' >"$T/walks.txt"
[ "$(wc -l <"$T/walks.txt")" -eq 500 ] || die "fewer than 500 walk origins"

# ---- server ----
say "starting tsunagu serve (--threads $SERVER_THREADS)"
"$TSUNAGU" --db "$DB" serve --port 0 --quiet --threads "$SERVER_THREADS" \
  >"$T/serve.out" 2>"$T/serve.err" &
SERVER_PID=$!
PORT=
for _ in $(seq 1 300); do
  PORT=$(sed -n 's|.*on http://127\.0\.0\.1:\([0-9][0-9]*\)/.*|\1|p' "$T/serve.out")
  [ -n "$PORT" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$PORT" ]; then
  cat "$T/serve.err" >&2
  die "the server did not start"
fi
BASE=http://127.0.0.1:$PORT

# ---- warm-up: build and cache every tile once; check every walk ----
# One curl process per list (keep-alive); a "config" line per URL.
say "warming the tile cache ($(wc -l <"$T/tiles_all.txt") streets tiles, z14-16)"
awk -v b="$BASE" '{ printf "url = \"%s%s\"\noutput = \"/dev/null\"\n", b, $0 }' \
  "$T/tiles_all.txt" >"$T/tiles.curl"
curl -s -H 'Accept-Encoding: gzip' --max-time 600 -K "$T/tiles.curl" \
  -w '%{http_code}\t%header{etag}\t%{size_download}\t%{url_effective}\n' >"$T/tiles_warm.tsv"
awk -F'\t' -v b="$BASE" '$1 == 200 { sub(b, "", $4); print $4 "\t" $2 }' \
  "$T/tiles_warm.tsv" >"$T/tiles.tsv"
awk -F'\t' '$1 != 200 && $1 != 204' "$T/tiles_warm.tsv" >"$T/tiles_bad.tsv"
[ -s "$T/tiles_bad.tsv" ] && die "tiles answered neither 200 nor 204: $(head -3 "$T/tiles_bad.tsv")"
NTILES=$(wc -l <"$T/tiles.tsv")
NEMPTY=$(awk -F'\t' '$1 == 204' "$T/tiles_warm.tsv" | wc -l)
[ "$NTILES" -ge 50 ] || die "only $NTILES non-empty tiles"
TILE_GZ_MEAN=$(awk -F'\t' '$1 == 200 { n++; s += $3 } END { printf "%.0f", s / n }' \
  "$T/tiles_warm.tsv")
say "checking the $(wc -l <"$T/walks.txt") walk origins"
awk -v b="$BASE" '{ printf "url = \"%s%s\"\noutput = \"/dev/null\"\n", b, $0 }' \
  "$T/walks.txt" >"$T/walks.curl"
curl -s --max-time 600 -K "$T/walks.curl" -w '%{http_code}\n' >"$T/walks_warm.txt"
NWALK_BAD=$(grep -vc '^200$' "$T/walks_warm.txt" || true)
[ "$NWALK_BAD" -eq 0 ] || die "$NWALK_BAD of the walk origins did not answer 200"

# ---- runs ----
declare -A R
# run NAME SECONDS WALK_PCT IF_NONE_MATCH: one wrk run; its RESULT fields
# land in R[NAME.field].
run() {
  local name=$1 secs=$2 pct=$3 inm=$4 cpu0
  say "wrk $name: -t$WRK_THREADS -c$CONNS -d${secs}s"
  cpu0=$(server_cpu_ticks)
  timeout $((secs + 60)) wrk -t"$WRK_THREADS" -c"$CONNS" -d"${secs}s" --timeout 5s --latency \
    -s "$LUA" "$BASE" -- "$T/tiles.tsv" "$T/walks.txt" "$pct" "$inm" >"$T/wrk_$name.txt" 2>&1 ||
    die "wrk $name failed: $(tail -5 "$T/wrk_$name.txt")"
  local line kv
  line=$(grep '^RESULT ' "$T/wrk_$name.txt") || die "wrk $name printed no RESULT line"
  for kv in ${line#RESULT }; do R[$name.${kv%%=*}]=${kv#*=}; done
  R[$name.cpu_us]=$(awk -v a="$cpu0" -v b="$(server_cpu_ticks)" -v t="$TICK" -v n="${R[$name.requests]}" \
    'BEGIN { printf "%.1f", (b - a) * 1e6 / t / n }')
}

TICK=$(getconf CLK_TCK)
# utime + stime of the server process (all threads), in clock ticks.
server_cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$SERVER_PID/status"; }
nfd() { find "/proc/$SERVER_PID/fd" -mindepth 1 -maxdepth 1 | wc -l; }

run tiles "$DURATION" 0 0
run tiles304 "$DURATION" 0 1
run walk "$DURATION" 100 0
run mix "$DURATION" "$WALK_PCT" 0

FD_IDLE_BEFORE=$(nfd)
RSS_IDLE_BEFORE=$(rss_kb)
(
  t=5
  while [ "$t" -lt "$SOAK" ]; do
    sleep 5
    printf '%s %s %s\n' "$t" "$(rss_kb)" "$(nfd)"
    t=$((t + 5))
  done
) >"$T/samples.txt" &
SAMPLER_PID=$!
run soak "$SOAK" "$WALK_PCT" 0
wait "$SAMPLER_PID" || true
SAMPLER_PID=
sleep 1
FD_IDLE_AFTER=$(nfd)
RSS_IDLE_AFTER=$(rss_kb)
kill -0 "$SERVER_PID" 2>/dev/null || die "the server died during the runs"

# RSS first/last/max, least-squares slope in kB per minute, fds min/max.
read -r RSS_FIRST RSS_LAST RSS_MAX RSS_SLOPE FD_MIN FD_MAX NSAMPLES < <(awk '
  { t[NR] = $1; r[NR] = $2; f[NR] = $3; st += $1; sr += $2 }
  END {
    n = NR; mt = st / n; mr = sr / n; max = r[1]; fmin = f[1]; fmax = f[1]
    for (i = 1; i <= n; i++) {
      num += (t[i] - mt) * (r[i] - mr); den += (t[i] - mt) ^ 2
      if (r[i] > max) max = r[i]
      if (f[i] < fmin) fmin = f[i]
      if (f[i] > fmax) fmax = f[i]
    }
    printf "%d %d %d %.1f %d %d %d\n", r[1], r[n], max, den ? num / den * 60 : 0, fmin, fmax, n
  }' "$T/samples.txt")

# ---- report ----
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
mem=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
fail=0
errs() { # non-2xx/3xx answers + socket errors of a run
  local n=$1
  echo $((R[$n.s4xx] + R[$n.s5xx] + R[$n.sother] + R[$n.connect] + R[$n.read] + R[$n.write] + R[$n.timeout]))
}
verdict() { # verdict MEASURED TARGET
  awk -v m="$1" -v t="$2" 'BEGIN {
    if (m >= t) printf "met (%+.0f %%)", (m / t - 1) * 100
    else printf "NOT met: short by %.0f %%", (1 - m / t) * 100 }'
}

echo
echo "machine: $(nproc) cores, $cpu, $mem RAM; load average $LOAD_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
echo "server: tsunagu serve --threads $SERVER_THREADS on 127.0.0.1; client: $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2) -t$WRK_THREADS -c$CONNS on the same cores (wrk's CPU is taken from the server)"
echo "data: 宇部市 OSM network ($(grep -o '[0-9]* edges and [0-9]* nodes' "$T/import.txt" | head -n 1)), 42 shelters"
echo "tiles: $NTILES non-empty streets tiles z14-16 ($NEMPTY empty ones left out), gzip, mean $TILE_GZ_MEAN bytes; walks: 500 origins, minutes=$MINUTES, 80 m/min"
echo
printf '%-22s %5s %9s %8s %8s %8s %8s %7s %8s %9s\n' run secs requests "req/s" "p50 ms" "p99 ms" \
  "max ms" errors sock.err "srv us/req"
for n in tiles tiles304 walk mix soak; do
  label=$n
  case $n in
    tiles) label="cached tiles (gzip)" ;;
    tiles304) label="tiles, If-None-Match" ;;
    walk) label="walk, ${MINUTES} min" ;;
    mix) label="mix ${WALK_PCT}% walk" ;;
    soak) label="mix, ${SOAK} s (memory)" ;;
  esac
  sock=$((R[$n.connect] + R[$n.read] + R[$n.write] + R[$n.timeout]))
  printf '%-22s %5.0f %9s %8.0f %8.2f %8.2f %8.1f %7s %8s %9s\n' "$label" \
    "$(awk -v d="${R[$n.duration_us]}" 'BEGIN { print d / 1e6 }')" "${R[$n.requests]}" \
    "${R[$n.rps]}" "${R[$n.p50_ms]}" "${R[$n.p99_ms]}" "${R[$n.max_ms]}" \
    $((R[$n.s4xx] + R[$n.s5xx] + R[$n.sother])) "$sock" "${R[$n.cpu_us]}"
done
echo "srv us/req: the server's CPU time (utime + stime, all threads) per request during the run;"
echo "  $(nproc) cores / that = the rate the server alone could sustain if wrk did not share the cores"
echo
for n in tiles tiles304 walk mix soak; do
  echo "statuses $n: 200=${R[$n.s200]} 204=${R[$n.s204]} 304=${R[$n.s304]} 4xx=${R[$n.s4xx]} 5xx=${R[$n.s5xx]} (wrk: >399=${R[$n.status_gt399]}, connect/read/write/timeout=${R[$n.connect]}/${R[$n.read]}/${R[$n.write]}/${R[$n.timeout]})"
done
echo
echo "memory over the ${SOAK} s mix ($NSAMPLES samples every 5 s from t=5 s): VmRSS first $RSS_FIRST kB, last $RSS_LAST kB, max $RSS_MAX kB, slope $RSS_SLOPE kB/min; idle before $RSS_IDLE_BEFORE kB, after $RSS_IDLE_AFTER kB"
echo "descriptors: idle $FD_IDLE_BEFORE before, $FD_IDLE_AFTER after; $FD_MIN-$FD_MAX under load"
echo
printf '%-44s %-26s %s\n' target measured verdict
printf '%-44s %-26s %s\n' ">= $TILE_TARGET cached tile responses/s" \
  "$(printf '%.0f/s (%s us CPU)' "${R[tiles.rps]}" "${R[tiles.cpu_us]}")" \
  "$(verdict "${R[tiles.rps]}" "$TILE_TARGET")"
printf '%-44s %-26s %s\n' ">= $WALK_TARGET walk queries/s at $MINUTES minutes" \
  "$(printf '%.0f/s (%s us CPU)' "${R[walk.rps]}" "${R[walk.cpu_us]}")" \
  "$(verdict "${R[walk.rps]}" "$WALK_TARGET")"
total_errs=0
for n in tiles tiles304 walk mix soak; do total_errs=$((total_errs + $(errs "$n"))); done
total_reqs=$((${R[tiles.requests]} + ${R[tiles304.requests]} + ${R[walk.requests]} + ${R[mix.requests]} + ${R[soak.requests]}))
if [ "$total_errs" -eq 0 ]; then v=met; else v="NOT met"; fail=1; fi
printf '%-44s %-26s %s\n' "zero errors" "$total_errs in $total_reqs" "$v"
grow=$((RSS_MAX - RSS_FIRST))
if [ "$grow" -le "$RSS_TOL_KB" ]; then v="met (tolerance $RSS_TOL_KB kB)"; else v="NOT met (tolerance $RSS_TOL_KB kB)"; fi
printf '%-44s %-26s %s\n' "memory flat over ${SOAK} s" "max - first = $grow kB" "$v"
if [ "$FD_IDLE_AFTER" -le "$FD_IDLE_BEFORE" ]; then v=met; else v="NOT met"; fail=1; fi
printf '%-44s %-26s %s\n' "no descriptor leak" "$FD_IDLE_BEFORE -> $FD_IDLE_AFTER idle" "$v"
if [ "${R[tiles304.s304]}" -ne "${R[tiles304.requests]}" ]; then
  echo "bench_http.sh: the If-None-Match run got $((${R[tiles304.requests]} - ${R[tiles304.s304]})) answers other than 304" >&2
  fail=1
fi
exit "$fail"
