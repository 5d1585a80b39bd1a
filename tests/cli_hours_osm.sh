#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_hours_osm.sh - the opening_hours evaluator (src/hours) against real
# OSM values: every distinct opening_hours tag of the raw OSM extracts of
# Andorra and Liechtenstein in ../shared/data/osm (read at test time with
# GDAL's OSM driver; nothing is copied into the repository) is read by
# tests/hours_eval (our reader) and by opening_hours.js (the reference
# implementation, tests/web/hours_oracle.mjs) at 60 times in Japan: every
# day of the week 2026-12-07..13 at eight hours (00:30 tests spans past
# midnight), plus a public holiday, the 5th and the last weekday of a month
# and a summer day. Where our strict reader accepts a value, both must say
# the same at every time; values it refuses are listed with the count, and
# at least half must be accepted (the subset covers the usual forms).
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
SHARED=${TSUNAGU_SHARED:-$SRC/../shared}
EVAL=$(dirname "$BIN")/tests/hours_eval
. "$(dirname "$0")/lib.sh"
tl_need ogr2ogr python3 node
tl_scratch
# TSUNAGU_SHARED is ../shared/data under ctest (tests/CMakeLists.txt); the
# default here is ../shared: take whichever holds osm/.
OSM=$SHARED/osm
[ -d "$OSM" ] || OSM=$SHARED/data/osm
[ -f "$OSM/andorra-latest.osm.pbf" ] || { echo "SKIP: $OSM/*.osm.pbf not there"; exit 77; }
[ -d "$SRC/tests/web/node_modules/opening_hours" ] ||
  { echo "SKIP: opening_hours.js is not installed (bash .ci/install)"; exit 77; }
[ -x "$EVAL" ] || { bad "no $EVAL"; echo "$passes passed, $fails failed"; exit 1; }

# The tags of every point, line and area, as GDAL's OSM driver gives them
# (other_tags: "key"=>"value",... with \" inside values).
for f in andorra liechtenstein; do
  for layer in points lines multipolygons; do
    ogr2ogr -f CSV "$T/$f-$layer.csv" "$OSM/$f-latest.osm.pbf" "$layer" \
      -sql "SELECT other_tags FROM $layer WHERE other_tags LIKE '%\"opening_hours\"=>%'" 2>/dev/null
  done
done
python3 - "$T" >"$T/values.txt" <<'PY'
import csv, glob, re, sys
pair = re.compile(r'"((?:[^"\\]|\\.)*)"=>"((?:[^"\\]|\\.)*)"')
seen = set()
for path in sorted(glob.glob(sys.argv[1] + "/*.csv")):
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for k, v in pair.findall(row.get("other_tags") or ""):
                v = v.replace('\\"', '"').replace("\\\\", "\\")
                if k == "opening_hours" and "\t" not in v and "\n" not in v and v not in seen:
                    seen.add(v)
                    print(v)
PY
n=$(wc -l <"$T/values.txt")
check "GDAL's OSM driver finds opening_hours values in the two extracts ($n distinct)" test "$n" -ge 100

TIMES=()
for d in 07 08 09 10 11 12 13; do
  for h in 00:30 07:50 08:00 09:15 12:15 13:45 17:00 23:30; do TIMES+=("2026-12-${d}T$h"); done
done
TIMES+=(2026-11-23T10:00 2026-11-23T23:30 2026-12-30T10:00 2026-12-27T10:00)
while IFS= read -r v; do
  for t in "${TIMES[@]}"; do printf '%s\t%s\n' "$v" "$t"; done
done <"$T/values.txt" >"$T/q.txt"
"$EVAL" <"$T/q.txt" >"$T/ours.txt"
(cd "$SRC/tests/web" && TZ=Asia/Tokyo node hours_oracle.mjs) <"$T/q.txt" >"$T/ref.txt"
check "both readers answer every line" test "$(wc -l <"$T/ours.txt")" = "$(wc -l <"$T/q.txt")" -a \
  "$(wc -l <"$T/ref.txt")" = "$(wc -l <"$T/q.txt")"

paste "$T/q.txt" "$T/ours.txt" "$T/ref.txt" >"$T/all.txt"
accepted=$(awk -F'\t' '$3 != "refused"' "$T/all.txt" | cut -f1 | sort -u | wc -l)
refused=$(awk -F'\t' '$3 == "refused"' "$T/all.txt" | cut -f1 | sort -u)
compared=$(awk -F'\t' '$3 != "refused" && $4 != "error"' "$T/all.txt" | wc -l)
differ=$(awk -F'\t' '$3 != "refused" && $4 != "error" && $3 != $4' "$T/all.txt")
echo "# $accepted of $n values accepted; $compared answers set beside opening_hours.js"
echo "# refused ($(echo "$refused" | grep -c .)):"
echo "$refused" | sed 's/^/#   /' | head -40
check "at least half of the real values are in the subset ($accepted of $n)" test $((accepted * 2)) -ge "$n"
check "opening_hours.js answered for the accepted values ($compared answers)" test "$compared" -ge $((accepted * ${#TIMES[@]} * 9 / 10))
if [ -z "$differ" ]; then
  ok "every answer agrees with opening_hours.js"
else
  bad "answers that differ from opening_hours.js (value, time, ours, theirs):"
  echo "$differ" | head -20
fi
echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
