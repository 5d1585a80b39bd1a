#!/usr/bin/env bash
# tests/sanitize.sh - the whole ctest suite under AddressSanitizer (with
# LeakSanitizer) and UndefinedBehaviorSanitizer: configures build-asan with
# -DTSUNAGU_SANITIZE=ON (Debug), builds it and runs ctest there. Any
# sanitizer report fails the test that triggered it (halt_on_error,
# -fno-sanitize-recover). Leaks are reported except the third-party ones
# listed, with reasons, in tests/lsan.supp.
#
# TSUNAGU_SANITIZE_FAST=1 skips the cases that only repeat, much slower
# under the sanitizers, what the plain suite already runs on the real open
# data (../shared/data): the tests then run without TSUNAGU_SHARED and skip
# those cases with a message. tests/run.sh sets it in CI to keep the full
# pass well under 30 minutes; run without it for the complete suite.
# Extra arguments go to ctest (e.g. -R test_wkb). Prints a closing summary.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${TSUNAGU_ASAN_DIR:-build-asan}
JOBS=${TSUNAGU_JOBS:-$(nproc)}
cmake -S . -B "$DIR" -DTSUNAGU_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$DIR" -j"$JOBS"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
if [ "${TSUNAGU_SANITIZE_FAST:-0}" = 1 ]; then
  # The tests read TSUNAGU_SHARED from their ctest environment, which the
  # build fixed at configure time: point it at an empty directory.
  EMPTY=$(mktemp -d)
  trap 'rm -rf "$EMPTY"' EXIT
  cmake -S . -B "$DIR" -DTSUNAGU_SHARED="$EMPTY" >/dev/null
  echo "sanitize: TSUNAGU_SANITIZE_FAST=1, real-data cases skip (../shared/data hidden)"
fi
cd "$DIR"
start=$(date +%s)
rc=0
ctest --output-on-failure -j"$JOBS" "$@" || rc=$?
if [ "${TSUNAGU_SANITIZE_FAST:-0}" = 1 ]; then
  # Leave the tree pointing at the real data again for later runs.
  cmake -S .. -B . -UTSUNAGU_SHARED >/dev/null || true
fi
echo "sanitize: ctest under ASan+LSan+UBSan $([ $rc -eq 0 ] && echo passed || echo FAILED) in $(( $(date +%s) - start )) s"
exit $rc
