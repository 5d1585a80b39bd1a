#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tools/man/make-man.sh BIN OUT - writes the man page tsunagu(1) to OUT with
# help2man (Debian's help2man: the kept tool that turns a program's --help
# and --version into a man page), from `BIN --help` and, as a COMMANDS
# section, each `BIN COMMAND --help` (src/cli/cli_help.c). Run by the build
# (CMakeLists.txt), so the page cannot drift from the program.
set -euo pipefail
BIN=$1
OUT=$2
inc=$(mktemp)
trap 'rm -f "$inc"' EXIT
{
  echo "[COMMANDS]"
  for c in import geocode info walk isochrone coverage suggest needs equipment snapshot route report serve user audit visits households resources export backup check restore demo generate-demo; do
    echo ".SS $c"
    echo ".nf"
    "$BIN" "$c" --help | sed 's/\\/\\\\/g; s/^\./\\\&./'
    echo ".fi"
  done
  echo "[FILES]"
  echo "PREFIX/share/tsunagu/web (the web page and MapLibre GL JS), PREFIX/share/tsunagu/data"
  echo "(the demo town); TSUNAGU_WEB and TSUNAGU_DATA override them."
  echo "[ENVIRONMENT]"
  echo "TSUNAGU_DB names the database when --db is not given (default tsunagu.db)."
  echo "[SEE ALSO]"
  echo "README.md and NOTICE in PREFIX/share/doc/tsunagu."
} > "$inc"
help2man --no-info --no-discard-stderr --section 1 \
  --name "walking-distance support for community-based welfare (つなぐ)" \
  --include "$inc" --output "$OUT" "$BIN"
