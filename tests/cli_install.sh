#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_install.sh - the program installed as a packager installs it
# (issue 16): `cmake --install` into a scratch prefix puts the program, the
# page with MapLibre GL JS, the demo town's data, the documents and the man
# page in their usual places; the installed program, run from another
# directory, finds its page and data beside its own prefix (proved by
# marking the installed page and seeing the mark served); `tsunagu
# --version` and `tsunagu COMMAND --help` answer for every command; a
# Release build of the whole tree builds with warnings as errors.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=$(dirname "$BIN")
. "$(dirname "$0")/lib.sh"
tl_scratch

P=$T/prefix
if cmake --install "$BUILD" --prefix "$P" >"$T/install.out" 2>&1; then ok "cmake --install into a scratch prefix"
else bad "cmake --install: $(tail -3 "$T/install.out")"; fi
for f in bin/tsunagu share/tsunagu/web/index.html share/tsunagu/web/app.js \
  share/tsunagu/web/node_modules/maplibre-gl/dist/maplibre-gl.mjs \
  share/tsunagu/web/node_modules/maplibre-gl/LICENSE.txt \
  share/tsunagu/data/town_network.geojson share/doc/tsunagu/LICENSE share/doc/tsunagu/NOTICE; do
  check "installed $f" test -s "$P/$f"
done
if command -v help2man >/dev/null 2>&1; then
  check "installed the man page" test -s "$P/share/man/man1/tsunagu.1"
  check "the man page describes every command" \
    test "$(grep -c '^\.SS ' "$P/share/man/man1/tsunagu.1")" -ge 16
else
  echo "SKIP (counted as neither): help2man is not installed, so no man page is made"
fi

I=$P/bin/tsunagu
check "--version names the licence" grep -q "MIT" <<<"$("$I" --version)"
for c in import geocode info walk isochrone coverage suggest needs equipment snapshot route report serve user audit visits households resources export backup check restore demo generate-demo; do
  out=$("$I" "$c" --help 2>&1); rc=$?
  check "tsunagu $c --help answers (exit 0, a usage line)" test "$rc" -eq 0 -a -n "$(grep '^usage: tsunagu' <<<"$out")"
done

# The installed program finds its own files: mark the installed page.
echo "<!-- installed-copy-mark -->" >> "$P/share/tsunagu/web/index.html"
mkdir -p "$T/elsewhere"
(cd "$T/elsewhere" && env -u TSUNAGU_WEB -u TSUNAGU_DATA "$I" --db "$T/elsewhere/demo.db" demo --no-serve >"$T/demo.out" 2>&1) &&
  ok "the installed program builds the demo from its installed data" ||
  bad "installed demo: $(tail -2 "$T/demo.out")"
check "the demo came from share/tsunagu/data" grep -q "$P/share/tsunagu/data" "$T/demo.out"
(cd "$T/elsewhere" && exec env -u TSUNAGU_WEB "$I" --db "$T/elsewhere/demo.db" serve --port 0 --threads 2 \
  >"$T/srv.out" 2>"$T/srv.err") &
SRV=$!
PORT=$(tl_port "$T/srv.out" "$SRV")
if [ -n "$PORT" ]; then
  check "the installed program serves its installed page" \
    grep -q "installed-copy-mark" <<<"$(curl -fsS "http://127.0.0.1:$PORT/")"
  check "the installed program serves MapLibre GL JS" \
    curl -fsS -o /dev/null "http://127.0.0.1:$PORT/lib/maplibre-gl/maplibre-gl.mjs"
else
  bad "the installed server did not start: $(cat "$T/srv.err")"
fi

if [ "${CI:-}" = true ] || [ "${TSUNAGU_FULL:-0}" = 1 ]; then
  # Release: every warning is still an error; -O2/-O3 warns about things
  # RelWithDebInfo does not (e.g. maybe-uninitialized).
  if cmake -S "$SRC" -B "$T/release" -DCMAKE_BUILD_TYPE=Release >"$T/rel.out" 2>&1 &&
     cmake --build "$T/release" -j"$(nproc)" --target tsunagu >>"$T/rel.out" 2>&1; then
    ok "a Release build of the program builds with warnings as errors"
  else
    bad "Release build: $(grep -m3 -E 'error|warning' "$T/rel.out")"
  fi
else
  echo "SKIP (counted as neither): the Release build runs with CI=true or TSUNAGU_FULL=1"
fi

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
