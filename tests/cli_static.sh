#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_static.sh - the web page's files over the real server (static.c):
#   - content types of the page, its scripts, styles and style JSON and of
#     MapLibre's files; ETag, Cache-Control, nosniff, the page's CSP;
#   - 304 for a matching If-None-Match (strong, weak, in a list, "*"), 200
#     otherwise; HEAD without a body; ?v= accepted, other parameters 400;
#   - path traversal refused: "..", ".", hidden files, %2e%2e and %2f in any
#     case, double encoding (%252e), %00, backslashes, over-long names,
#     absolute paths - and no answer ever carries a file from outside;
#   - a web root of its own (TSUNAGU_WEB) with a symlink leading outside
#     (403), a symlink inside (200), a directory and an unknown extension
#     (404), a file over the size limit (500), and no MapLibre (404 saying
#     how to install it).
# Runs two servers on ports the kernel picks. Skips (77) only when curl is
# missing.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
. "$(dirname "$0")/lib.sh"

if ! command -v curl >/dev/null 2>&1; then
  echo "SKIP: curl is not installed (bash .ci/install installs it)"; exit 77
fi

T=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null && wait "$p"; done
  rm -rf "$T"
}
trap cleanup EXIT

TSUNAGU_DATA=$SRC/data "$BIN" --db "$T/demo.db" demo --no-serve >"$T/demo.out" 2>&1
check "demo --no-serve builds the database" test $? -eq 0

# start NAME [env...]: serves the demo database, sets $B to its base URL.
start() {
  local name=$1; shift
  env "$@" "$BIN" --db "$T/demo.db" serve --port 0 --threads 2 >"$T/$name.out" 2>"$T/$name.err" &
  PIDS+=($!)
  local port=
  for _ in $(seq 1 300); do
    port=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9][0-9]*\)/.*|\1|p' "$T/$name.out" 2>/dev/null)
    [ -n "$port" ] && break
    sleep 0.1
  done
  if [ -z "$port" ]; then echo "FAIL - server $name did not start"; cat "$T/$name.err"; exit 1; fi
  B=http://127.0.0.1:$port
}

# get PATH [curl options...]: prints the status; body in $T/body, headers in
# $T/head. The path is sent as written (no normalisation of "..").
get() {
  local path=$1; shift
  rm -f "$T/body" "$T/head" # curl writes no file for an empty body
  curl -s --path-as-is --max-time 30 -o "$T/body" -D "$T/head" -w '%{http_code}' "$@" "$B$path"
}
header() { grep -i "^$1:" "$T/head" | tr -d '\r' | sed 's/^[^:]*: *//'; }

start main TSUNAGU_WEB="$SRC/web"
ok "server listens at $B"

# ---- content types and headers ----
type_is() { # PATH TYPE
  [ "$(get "$1")" = 200 ] && [ "$(header Content-Type)" = "$2" ] && [ "$(header X-Content-Type-Options)" = nosniff ]
}
check "/ is the page (text/html)" type_is / "text/html; charset=utf-8"
check "the page is web/index.html" cmp -s "$T/body" "$SRC/web/index.html"
check "the page has a CSP limiting it to its origin" sh -c "grep -qi \"^content-security-policy: default-src 'self';.*connect-src 'self'\" '$T/head'"
check "the page has an ETag" sh -c "grep -qi '^etag: \"[0-9a-f]\{16\}-[0-9a-f]*\"' '$T/head'"
check "the page has Cache-Control: no-cache" test "$(header Cache-Control)" = no-cache
check "web/app.js is text/javascript" type_is /web/app.js "text/javascript; charset=utf-8"
check "web/app.js is served byte for byte" cmp -s "$T/body" "$SRC/web/app.js"
check "web/style.css is text/css" type_is /web/style.css "text/css; charset=utf-8"
check "web/style.json is application/json" type_is /web/style.json application/json
check "web/i18n.js is text/javascript" type_is /web/i18n.js "text/javascript; charset=utf-8"
if [ -d "$SRC/web/node_modules/maplibre-gl/dist" ]; then
  check "maplibre-gl.mjs is text/javascript" type_is /lib/maplibre-gl/maplibre-gl.mjs "text/javascript; charset=utf-8"
  check "maplibre-gl.mjs is npm's file" cmp -s "$T/body" "$SRC/web/node_modules/maplibre-gl/dist/maplibre-gl.mjs"
  check "maplibre-gl.css is text/css" type_is /lib/maplibre-gl/maplibre-gl.css "text/css; charset=utf-8"
  check "the worker with MapLibre's ?v= is served" type_is "/lib/maplibre-gl/maplibre-gl-worker.mjs?v=1" "text/javascript; charset=utf-8"
  check "a source map is application/json" type_is /lib/maplibre-gl/maplibre-gl.mjs.map application/json
  check "no CSP on assets" test -z "$(header Content-Security-Policy)"
else
  bad "web/node_modules/maplibre-gl is missing: run bash .ci/install"
fi

# ---- revalidation ----
get /web/app.js >/dev/null
ETAG=$(header ETag)
check "If-None-Match with the ETag -> 304" test "$(get /web/app.js -H "If-None-Match: $ETAG")" = 304
check "304 has no body" test ! -s "$T/body"
check "304 repeats the ETag" test "$(header ETag)" = "$ETAG"
check "weak If-None-Match -> 304" test "$(get /web/app.js -H "If-None-Match: W/$ETAG")" = 304
check "ETag in a list -> 304" test "$(get /web/app.js -H "If-None-Match: \"x\", $ETAG")" = 304
check "If-None-Match: * -> 304" test "$(get /web/app.js -H 'If-None-Match: *')" = 304
check "another ETag -> 200" test "$(get /web/app.js -H 'If-None-Match: "0000000000000000-1"')" = 200
check "files differ -> ETags differ" sh -c "test \"$ETAG\" != \"\$(curl -sI '$B/web/style.css' | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')\""
# The ETag is FNV-1a 64 (offset basis 14695981039346656037, written here as
# bash's signed 64-bit -3750763034362895579) of the bytes, then the length.
fnv1a() {
  local h=-3750763034362895579 b
  for b in $(od -An -v -tu1 "$1"); do h=$(((h ^ b) * 1099511628211)); done
  printf '"%016x-%x"' "$h" "$(stat -c %s "$1")"
}
get /web/style.css >/dev/null
check "the ETag is FNV-1a 64 of the file and its length" test "$(header ETag)" = "$(fnv1a "$SRC/web/style.css")"
LEN=$(stat -c %s "$SRC/web/app.js")
check "HEAD /web/app.js -> 200" test "$(get /web/app.js -I)" = 200
check "HEAD gives the file's length" test "$(header Content-Length)" = "$LEN"
check "?v= is accepted" test "$(get '/web/app.js?v=6.17.0')" = 200
check "other parameters -> 400" test "$(get '/web/app.js?x=1')" = 400
check "POST / -> 405" test "$(get / -X POST -d x=1)" = 405

# ---- traversal and odd names: never 200, never a file from outside ----
refused() { # PATH
  local code
  code=$(get "$1")
  case $code in 400|403|404) ;; *) return 1 ;; esac
  ! grep -q -e 'cmake_minimum_required' -e 'int main' -e 'root:' -e '"name": "tsunagu-web"' "$T/body"
}
for p in /web/.. /web/. /web/.gitignore /web/%2e%2e /web/%2E%2E /web/.%2e /web/%2e. \
         /web/..%2fCMakeLists.txt /web/..%2F..%2Fetc%2Fpasswd /web/%2e%2e%2fsrc%2fmain.c \
         /web/%252e%252e /web/%252e%252e%252fCMakeLists.txt /web/app.js%00.png /web/%00 \
         /web/a%5cb.js /web/..%5c..%5cCMakeLists.txt /web/%2fetc%2fpasswd /web//etc/passwd \
         /web/node_modules /lib/maplibre-gl/.. /lib/maplibre-gl/..%2f..%2fpackage.json \
         /lib/maplibre-gl/%2e%2e%2f%2e%2e%2f%2e%2e%2fCMakeLists.txt /web/%C3%A9.js /web/a%20b.js \
         /web/app.js%3f /web/app.js%23 /../CMakeLists.txt /web/../../CMakeLists.txt; do
  check "$p is refused" refused "$p"
done
check "%2e%2e is a 400 naming the rule" sh -c "[ \"\$(curl -s --path-as-is -o '$T/b2' -w '%{http_code}' '$B/web/%2e%2e')\" = 400 ] && grep -q 'does not start with' '$T/b2'"
check "%00 is a 400" test "$(get /web/app.js%00.png)" = 400
long=$(head -c 200 /dev/zero | tr '\0' a)
check "a 204-byte name is a 400" test "$(get "/web/$long.js")" = 400
check "an unknown file is a 404" test "$(get /web/nothere.js)" = 404
check "an unserved extension is a 404" test "$(get /web/package-lock.jsonx)" = 404

# ---- a web root of its own: symlinks, directories, size limit ----
W=$T/webroot
mkdir -p "$W/dir.js" "$T/outside"
echo '<!doctype html><title>t</title>' >"$W/index.html"
echo 'export const x = 1;' >"$W/real.js"
echo 'secret-outside' >"$T/outside/secret.js"
ln -s "$T/outside/secret.js" "$W/evil.js"
ln -s "$W/real.js" "$W/alias.js"
ln -s "$T/outside" "$W/out"
truncate -s 17M "$W/big.txt"
start own TSUNAGU_WEB="$W"
check "TSUNAGU_WEB chooses the web root" sh -c "[ \"\$(curl -s '$B/')\" = '<!doctype html><title>t</title>' ]"
check "a symlink leading outside -> 403" test "$(get /web/evil.js)" = 403
check "403 carries nothing of the file" sh -c "! grep -q secret-outside '$T/body'"
check "a symlink inside the root -> 200" test "$(get /web/alias.js)" = 200
check "a directory -> 404" test "$(get /web/dir.js)" = 404
check "a file over 16 MiB -> 500, not served" test "$(get /web/big.txt)" = 500
check "without MapLibre -> 404 saying how to install it" sh -c "[ \"\$(curl -s -o '$T/b3' -w '%{http_code}' '$B/lib/maplibre-gl/maplibre-gl.mjs')\" = 404 ] && grep -q 'npm ci --prefix web' '$T/b3'"
start nowhere TSUNAGU_WEB="$T/nowhere"
check "a TSUNAGU_WEB without index.html -> 404 naming it" sh -c "[ \"\$(curl -s -o '$T/b4' -w '%{http_code}' '$B/')\" = 404 ] && grep -q 'TSUNAGU_WEB' '$T/b4'"
check "the request log holds no query string" sh -c "! grep -q '?v=' '$T/main.err'"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
