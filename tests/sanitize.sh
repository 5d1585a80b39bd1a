#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/sanitize.sh - the ctest suite under AddressSanitizer (with
# LeakSanitizer) and UndefinedBehaviorSanitizer: configures build-asan with
# -DTSUNAGU_SANITIZE=ON (Debug with -O1: assertions kept, and the -O1
# that the AddressSanitizer documentation recommends for speed, where -O0
# made the sanitized suite the longest phase of CI; gcc's runtimes;
# warnings not errors: gcc's flow-based warnings depend on the optimisation
# level and the sanitizers' instrumentation, and at -O1 with ASan it reports
# buffers that cannot overflow, e.g. a 259-byte rule into 280 bytes in
# src/hours/hours_ja.c, which the plain build, the warnings' gate, does
# not), builds it and runs every
# test there, the real-data cases included, but those labelled "once"
# (tests/CMakeLists.txt says which and why: they would not test the
# sanitized program again). TSUNAGU_SANITIZE_ALL=1 runs those too. Any sanitizer report fails the
# test that triggered it (halt_on_error, -fno-sanitize-recover). Leaks are
# all reported except third-party ones listed, with reasons, in
# tests/lsan.supp. Extra arguments go to ctest (e.g. -R test_wkb); the
# build directory is $TSUNAGU_ASAN_DIR (default build-asan). Prints a
# closing summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${TSUNAGU_ASAN_DIR:-build-asan}
JOBS=${TSUNAGU_JOBS:-$(nproc)}
cmake -S . -B "$DIR" -DTSUNAGU_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG="-g -O1" \
  -DTSUNAGU_WERROR=OFF >/dev/null
cmake --build "$DIR" -j"$JOBS"
export ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
cd "$DIR"
start=$(date +%s)
rc=0
skip=(-LE once)
[ "${TSUNAGU_SANITIZE_ALL:-0}" = 1 ] && skip=()
ctest --output-on-failure -j"$JOBS" "${skip[@]}" "$@" || rc=$?
echo "sanitize: ctest under ASan+LSan+UBSan $([ $rc -eq 0 ] && echo passed || echo FAILED) in $(( $(date +%s) - start )) s"
exit $rc
