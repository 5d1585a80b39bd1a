#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/run.sh - the README's second command: installs what is missing,
# builds tsunagu in build/ (warnings are errors), and runs every test with
# ctest. Tests that need ../shared/data skip with a message when it is absent.
#
# With CI=true (as CI runs it) or TSUNAGU_FULL=1, two more phases follow:
#   - the whole suite again under ASan, LeakSanitizer and UBSan
#     (tests/sanitize.sh, in build-asan);
#   - a fuzz pass: build-fuzz with clang and libFuzzer, each target of
#     tests/fuzz for TSUNAGU_FUZZ_SECONDS (default 20; the three GDAL-backed
#     importers three times that) via tests/cli_fuzz.sh;
#     crashing inputs are kept under tests/fuzz/crashes/ and fail the run.
# Each phase ends with a summary line; the exit status is non-zero when any
# phase failed. Extra arguments go to the first ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/install
JOBS=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$JOBS"

summary=()
status=0
# phase NAME COMMAND...: runs one phase, timing it and noting its outcome.
phase() {
  local name=$1; shift
  local t0 rc=0
  t0=$(date +%s)
  "$@" || rc=$?
  local line
  line="run.sh: $name $([ "$rc" -eq 0 ] && echo passed || echo "FAILED (exit $rc)") in $(( $(date +%s) - t0 )) s"
  echo "$line"
  summary+=("$line")
  [ "$rc" -eq 0 ] || status=1
}

plain_suite() { (cd build && ctest --output-on-failure -j"$JOBS" "$@"); }
phase "ctest (build/)" plain_suite "$@"

if [ "${CI:-}" = true ] || [ "${TSUNAGU_FULL:-0}" = 1 ]; then
  phase "ctest under ASan+LSan+UBSan (build-asan/)" bash tests/sanitize.sh
  fuzz_pass() {
    CC=clang cmake -S . -B build-fuzz -DTSUNAGU_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null &&
      cmake --build build-fuzz -j"$JOBS" &&
      TSUNAGU_FUZZ_DIR=$PWD/build-fuzz/tests/fuzz TSUNAGU_BIN=$PWD/build/tsunagu TSUNAGU_SRC=$PWD \
        bash tests/cli_fuzz.sh
  }
  phase "fuzz pass (build-fuzz/, ${TSUNAGU_FUZZ_SECONDS:-20} s per target, x3 for importers)" fuzz_pass
fi

printf '%s\n' "${summary[@]}"
exit "$status"
