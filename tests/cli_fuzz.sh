#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_fuzz.sh - the fuzz targets of tests/fuzz/ (one per parser that sees
# outside data), as a ctest test and as the fuzz pass of tests/run.sh.
#
# Always: replays every kept crash input (tests/fuzz/crashes/<target>/) and
# every seed (tests/fuzz/corpus/<target>/) through the replay driver of the
# normal build (build/tests/fuzz/replay_<target>, gcc, no clang needed), so
# a regression fails CI on any machine.
#
# When TSUNAGU_FUZZ_DIR names a TSUNAGU_FUZZ build's tests/fuzz directory
# (clang, libFuzzer, ASan, UBSan), also runs each fuzzer for
# TSUNAGU_FUZZ_SECONDS (default 20; three times that for the targets that
# go through GDAL and a fresh database per input, which manage only 3-50
# inputs a second) with -rss_limit_mb=2048 -timeout=10,
# starting from the seeds (new corpus entries stay in a temporary
# directory; the repository keeps only seeds and crashes). A crash, leak,
# timeout or out-of-memory input is copied to tests/fuzz/crashes/<target>/
# and the test fails; the input is then replayed by every later run.
#
# Prints one line per target and a closing summary line. Exit 0 when
# everything passed, 1 otherwise.
set -u
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
FZ=$SRC/tests/fuzz
BIN=${TSUNAGU_BIN:-$SRC/build/tsunagu}
REPLAY_DIR=${TSUNAGU_REPLAY_DIR:-$(dirname "$BIN")/tests/fuzz}
FUZZ_DIR=${TSUNAGU_FUZZ_DIR:-}
SECS=${TSUNAGU_FUZZ_SECONDS:-20}
case $SECS in ''|*[!0-9]*) echo "TSUNAGU_FUZZ_SECONDS must be a whole number"; exit 2 ;; esac

T=$(mktemp -d)
cleanup() { rm -rf "$T"; }
trap cleanup EXIT
# libFuzzer and the targets write temporary files under TMPDIR.
export TMPDIR=$T
# Third-party leaks only (GDAL, PROJ, SpatiaLite initialisation); see the file.
export LSAN_OPTIONS=suppressions=$SRC/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
# GDAL and PROJ must never reach for the network from a fuzz input.
export GDAL_HTTP_TIMEOUT=1 PROJ_NETWORK=OFF CPL_DEBUG=OFF

fails=0
targets=()
for src in "$FZ"/fuzz_*.c; do
  t=$(basename "$src" .c)
  targets+=("$t")
done
if [ ${#targets[@]} -eq 0 ]; then
  echo "FAIL - no fuzz targets in $FZ"; exit 1
fi

# ---- replay: kept crashes and seeds through the normal build ----
replayed=0
for t in "${targets[@]}"; do
  r=$REPLAY_DIR/${t/fuzz_/replay_}
  if [ ! -x "$r" ]; then
    echo "FAIL - $r is missing (build the normal tree first)"; fails=$((fails+1)); continue
  fi
  dirs=()
  for d in "$FZ/crashes/$t" "$FZ/corpus/$t"; do
    [ -d "$d" ] && dirs+=("$d")
  done
  [ ${#dirs[@]} -eq 0 ] && { echo "FAIL - $t has no seed corpus"; fails=$((fails+1)); continue; }
  if out=$(timeout 600 "$r" "${dirs[@]}" 2>"$T/replay.err"); then
    n=$(echo "$out" | sed -n 's/^replayed \([0-9]*\) inputs$/\1/p')
    replayed=$((replayed + ${n:-0}))
    echo "ok - replay $t: ${n:-0} inputs (crashes and seeds)"
  else
    echo "FAIL - replay $t crashed or failed:"; tail -30 "$T/replay.err"; fails=$((fails+1))
  fi
done
echo "replay: $replayed inputs over ${#targets[@]} targets, $fails failures"

# ---- fuzzing: only with a TSUNAGU_FUZZ build ----
if [ -z "$FUZZ_DIR" ]; then
  echo "fuzz: skipped (set TSUNAGU_FUZZ_DIR to a TSUNAGU_FUZZ build's tests/fuzz to fuzz)"
  [ $fails -eq 0 ] && exit 0 || exit 1
fi

# Inputs larger than this are not tried: the import targets go through GDAL
# and SpatiaLite, where a few kilobytes already reach every code path.
# Seconds for one target: the GDAL-backed importers get three times more.
secs_of() {
  case $1 in
    fuzz_import_csv|fuzz_import_geojson|fuzz_osm) echo $((SECS * 3)) ;;
    *) echo "$SECS" ;;
  esac
}
max_len() {
  case $1 in
    fuzz_import_csv|fuzz_import_geojson) echo 4096 ;;
    fuzz_osm) echo 8192 ;;
    *) echo 4096 ;;
  esac
}

# fuzz_one TARGET: runs one fuzzer; writes its report lines to
# $T/TARGET.out and "EXECS CRASHES" to $T/TARGET.res.
fuzz_one() {
  local t=$1 s f rc execs found
  s=$(secs_of "$t")
  f=$FUZZ_DIR/$t
  if [ ! -x "$f" ]; then
    echo "FAIL - $f is missing" >"$T/$t.out"
    echo "0 1" >"$T/$t.res"
    return
  fi
  mkdir -p "$T/corpus_$t" "$T/art_$t"
  local dict=() seeds=("$FZ/corpus/$t")
  [ -f "$FZ/$t.dict" ] && dict=(-dict="$FZ/$t.dict")
  [ -d "$FZ/crashes/$t" ] && seeds+=("$FZ/crashes/$t")
  timeout $((s + 120)) "$f" -max_total_time="$s" -rss_limit_mb=2048 -timeout=10 \
    -max_len="$(max_len "$t")" -print_final_stats=1 -artifact_prefix="$T/art_$t/" \
    "${dict[@]}" "$T/corpus_$t" "${seeds[@]}" >"$T/$t.log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\)/\1/p' "$T/$t.log" | tail -1)
  execs=${execs:-0}
  found=$(find "$T/art_$t" -type f | wc -l)
  {
    if [ "$rc" -ne 0 ] || [ "$found" -gt 0 ]; then
      mkdir -p "$FZ/crashes/$t"
      for a in "$T/art_$t"/*; do
        [ -f "$a" ] && cp "$a" "$FZ/crashes/$t/" && echo "  kept $FZ/crashes/$t/$(basename "$a")"
      done
      echo "FAIL - $t: $execs inputs in $s s, exit $rc, $found crashing input(s):"
      grep -E "ERROR|invariant|SUMMARY|runtime error|Timeout|out-of-memory" "$T/$t.log" | head -10
      echo "$execs $((found > 0 ? found : 1))" >"$T/$t.res"
    else
      echo "ok - $t: $execs inputs in $s s, no crash"
      echo "$execs 0" >"$T/$t.res"
    fi
  } >"$T/$t.out"
}

# The fuzzers run side by side, one per core (each libFuzzer process is
# single-threaded), so the pass takes about half the time on two cores
# with the same seconds per target.
JOBS=${TSUNAGU_JOBS:-$(nproc)}
total_execs=0; total_crashes=0; total_secs=0
for t in "${targets[@]}"; do
  total_secs=$((total_secs + $(secs_of "$t")))
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n; done
  fuzz_one "$t" &
done
wait
for t in "${targets[@]}"; do
  cat "$T/$t.out"
  read -r execs crashes <"$T/$t.res"
  total_execs=$((total_execs + execs))
  total_crashes=$((total_crashes + crashes))
  [ "$crashes" -eq 0 ] || fails=$((fails+1))
done
echo "fuzz: $total_execs inputs over ${#targets[@]} targets in $total_secs s, $total_crashes crashing inputs"
[ $fails -eq 0 ] && exit 0 || exit 1
