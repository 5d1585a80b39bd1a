#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench_geocode.sh - how well and how fast `tsunagu geocode` places real
# addresses, from the town-level references of ../shared/data/addresses.
# Not run by ctest (figures are reported, never asserted).
#
#   bash tests/bench_geocode.sh            (TSUNAGU_BIN=build/tsunagu by default)
#
# Accuracy: the P14_003 addresses of 生駒市's 207 P14 welfare facilities
# (ikoma/) and the P20_003 addresses of 宇部市's 42 P20 shelters (ube/), each
# with its true position, are geocoded against the Geolonia town files;
# printed: the share matched per level and the median and 90th-percentile
# distance (m) from the true position of those matched at town level or
# finer (the great-circle distance on a sphere of radius 6,371,008.8 m).
# Speed: 100,000 addresses (the 249 real ones and spelling variants of them:
# kanji numerals, full-width digits, 番地/号, dashes, buildings) piped
# through `tsunagu geocode --json`, wall time of the whole process
# (loading the reference included), best of 3.
set -u
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
BIN=${TSUNAGU_BIN:-$SRC/build/tsunagu}
SHARED=${TSUNAGU_SHARED:-$SRC/../shared/data}
N=${BENCH_GEOCODE_N:-100000}
for tool in ogr2ogr jq awk; do
  command -v $tool >/dev/null || { echo "SKIP: $tool is needed"; exit 77; }
done
[ -f "$SHARED/addresses/nara_ikoma_towns.json" ] || { echo "SKIP: $SHARED is absent"; exit 77; }
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
DB=$T/g.db
"$BIN" --db "$DB" import addresses "$SHARED/addresses/nara_ikoma_towns.json" --municipality 生駒市 >/dev/null
"$BIN" --db "$DB" import addresses "$SHARED/addresses/yamaguchi_ube_towns.json" --municipality 宇部市 >/dev/null

# truth FILE FIELD OUT: "lon<TAB>lat<TAB>address" per feature.
truth() {
  ogr2ogr -f CSV /vsistdout/ "$1" -lco GEOMETRY=AS_XY -lco SEPARATOR=TAB -select "$2" 2>/dev/null |
    tail -n +2 | cut -f1-3 >"$3"
}
truth "$SHARED/ikoma/ikoma_P14-15_welfare_facilities.geojson" P14_003 "$T/p14.tsv"
truth "$SHARED/ube/ube_shelters_P20.gpkg" P20_003 "$T/p20.tsv"

# measure NAME TRUTH: geocodes the addresses and prints one line of figures.
measure() {
  cut -f3 "$2" | "$BIN" --db "$DB" geocode --json | jq -r '[.level // "none", .lon // "", .lat // ""] | @tsv' >"$T/got.tsv"
  paste "$2" "$T/got.tsv" | awk -F'\t' -v name="$1" '
    function rad(d) { return d * 3.14159265358979 / 180 }
    {
      n++; lv[$4]++
      if ($4 == "town" || $4 == "block" || $4 == "residence") {
        dl = rad($5 - $1) * cos(rad(($6 + $2) / 2)); dp = rad($6 - $2)
        d[++m] = 6371008.8 * sqrt(dl * dl + dp * dp)
      }
    }
    END {
      for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (d[j] < d[i]) { t = d[i]; d[i] = d[j]; d[j] = t }
      levels = ""
      for (k in lv) levels = levels sprintf(" %s %d", k, lv[k])
      printf "%s: %d addresses; matched %.1f%% (town or finer %.1f%%); by level:%s; distance to the true position (town or finer): median %.0f m, 90th percentile %.0f m\n",
        name, n, 100 * (n - lv["none"]) / n, 100 * m / n, levels, d[int((m + 1) / 2)], d[int(m * 0.9 + 0.5)]
    }'
}
measure "生駒市 P14_003" "$T/p14.tsv"
measure "宇部市 P20_003" "$T/p20.tsv"

# 100,000 addresses: the real ones and variants of how they are written.
cut -f3 "$T/p14.tsv" "$T/p20.tsv" >"$T/real.txt"
LC_ALL=C awk -v n="$N" '
  { a[NR] = $0 }
  END {
    split("一 二 三 四 五 六 七 八 九", k, " ")
    for (i = 0; i < n; i++) {
      s = a[i % NR + 1]; v = int(i / NR) % 5
      if (v == 1) gsub(/-/, "ー", s)
      else if (v == 2) { gsub(/1/, "１", s); gsub(/2/, "２", s); gsub(/3/, "３", s) }
      else if (v == 3) s = s " 2F 201号室"
      else if (v == 4 && match(s, /[1-9]-/) && substr(s, RSTART - 1, 1) !~ /[0-9]/)
        s = substr(s, 1, RSTART - 1) k[substr(s, RSTART, 1) + 0] "丁目" substr(s, RSTART + 2)
      print s
    }
  }' "$T/real.txt" >"$T/many.txt"
best=
for _ in 1 2 3; do
  start=$(date +%s.%N)
  "$BIN" --db "$DB" geocode --json <"$T/many.txt" >"$T/many.out"
  rc=$?
  end=$(date +%s.%N)
  t=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
  if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; fi
done
matched=$(jq -r 'select(.level != null) | 1' "$T/many.out" | wc -l)
echo "speed: $(wc -l <"$T/many.txt") addresses in ${best} s (best of 3, exit $rc); $matched matched; $(nproc) CPUs, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
