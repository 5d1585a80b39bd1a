#!/usr/bin/env bash
# tests/run.sh - the README's second command: installs what is missing,
# builds tsunagu in build/ (warnings are errors), and runs every test with
# ctest. Tests that need ../shared/data skip with a message when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/install
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
cd build
ctest --output-on-failure -j"$(nproc)" "$@"
