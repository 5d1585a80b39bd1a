#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_http_input.sh - request validation at the HTTP edge, on the real server
# over loopback (issue 10 item 9): %00 in a query value, repeated
# Content-Length or Host, Host headers that are not host[:port] (400 JSON,
# never reflected into links), TileJSON and OGC links following the scheme a
# trusted proxy reports (serve --trusted-proxy) and only then, and a FIFO in
# the web root that must not hold the only worker.
set -u
BIN=${TSUNAGU_BIN:?}
. "$(dirname "$0")/lib.sh"
tl_scratch
DB=$T/http.db
printf 'id,name,kind,lon,lat\nR1,相談センター,相談窓口,136.95,34.95\n' >"$T/res.csv"
"$BIN" --db "$DB" import resources "$T/res.csv" >/dev/null 2>&1 || bad "import"

# start_server ARGS...: serves $DB on a free port (sets SRV and PORT).
start_server() {
  "$BIN" --db "$DB" serve --port 0 --threads 1 --quiet "$@" >"$T/srv" 2>"$T/srv.err" &
  SRV=$!
  PORT=$(tl_port "$T/srv" "$SRV")
  [ -n "$PORT" ] || { bad "server started"; echo "$passes passed, $fails failed"; exit 1; }
}
stop_server() { kill -TERM "$SRV"; wait "$SRV"; SRV=; }
# raw BYTES: sends a raw request, prints the answer (3 s at most).
raw() {
  ( exec 3<>"/dev/tcp/127.0.0.1/$PORT" || exit 1
    printf '%b' "$1" >&3
    timeout 3 cat <&3 ) 2>/dev/null
}
# json_400 TEXT: the answer is a 400 with a JSON error body.
json_400() { grep -q '^HTTP/1.1 400' <<<"$1" && grep -q 'Content-Type: application/json' <<<"$1" && grep -q '{"error":' <<<"$1"; }

start_server
U=http://127.0.0.1:$PORT

# %00 in a query value (decoding would cut the value short).
code=$(curl -s -o "$T/b" -w '%{http_code}' "$U/ogc/collections/resources/items?limit=1%00x")
check "%00 in a query value: 400" test "$code" = 400
check "... JSON naming the query string" grep -q '"error":"the query string holds an encoded NUL byte' "$T/b"
code=$(curl -s -o "$T/b" -w '%{http_code}' "$U/ogc/collections/resources/items?limit=1")
check "the same query without it: 200" test "$code" = 200

# Repeated Content-Length (equal or not) and repeated Host.
a=$(raw 'POST /api/route HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}')
check "two equal Content-Length headers: 400 JSON" json_400 "$a"
check "... saying why" grep -q 'more than one Content-Length header' <<<"$a"
a=$(raw 'POST /api/route HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 30\r\nConnection: close\r\n\r\n{}')
check "two different Content-Length headers: 400 JSON" json_400 "$a"
a=$(raw 'GET /api/meta HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\nConnection: close\r\n\r\n')
check "two Host headers: 400 JSON" json_400 "$a"

# Host: a host name or an address with an optional port, else 400.
for h in 'evil.example/<script>' 'a b' 'x:99999' 'x:0' 'x:' '[zz]:80' '[::1' '-a.example' \
  'a-.example' 'a..b' 'host"x' "$(printf 'a%.0s' $(seq 1 64)).example" \
  "$(printf 'abcdefghi.%.0s' $(seq 1 26))example"; do
  code=$(curl -s -o "$T/b" -w '%{http_code}' -H "Host: $h" "$U/ogc/collections")
  check "Host '$h': 400" test "$code" = 400
  check "... never reflected" sh -c "! grep -qF -- '$h' '$T/b'"
done
for h in 'map.example.lg.jp' 'map.example.lg.jp:8443' '127.0.0.1:8080' '[::1]:8080' 'localhost'; do
  code=$(curl -s -o "$T/b" -w '%{http_code}' -H "Host: $h" "$U/ogc/collections")
  check "Host '$h': 200 with links to http://$h" sh -c "test $code = 200 && grep -qF '\"http://$h/ogc/collections' '$T/b'"
done

# Without --trusted-proxy the forwarding headers are ignored.
curl -s -H 'X-Forwarded-Proto: https' -H 'Forwarded: proto=https' -H 'Host: map.example.lg.jp' \
  "$U/tiles/resources.json" >"$T/tj"
check "no trusted proxy: TileJSON tiles stay http" grep -qF '"tiles":["http://map.example.lg.jp/tiles/resources/' "$T/tj"
stop_server

# A trusted proxy elsewhere: a loopback client is not it.
start_server --trusted-proxy 192.0.2.7
U=http://127.0.0.1:$PORT
curl -s -H 'X-Forwarded-Proto: https' -H 'Host: map.example.lg.jp' "$U/tiles/resources.json" >"$T/tj"
check "an untrusted peer's X-Forwarded-Proto is ignored" grep -qF '"tiles":["http://map.example.lg.jp/' "$T/tj"
stop_server

# The loopback proxy is trusted: its scheme goes into TileJSON and OGC links.
start_server --trusted-proxy 192.0.2.7,127.0.0.1
U=http://127.0.0.1:$PORT
curl -s -H 'X-Forwarded-Proto: https' -H 'Host: map.example.lg.jp' "$U/tiles/resources.json" >"$T/tj"
check "trusted X-Forwarded-Proto: https tiles" grep -qF '"tiles":["https://map.example.lg.jp/tiles/resources/{z}/{x}/{y}.mvt"]' "$T/tj"
curl -s -H 'Forwarded: for=198.51.100.1;proto=https;host=map.example.lg.jp' -H 'Host: map.example.lg.jp' \
  "$U/tiles/resources.json" >"$T/tj"
check "trusted Forwarded: proto=https tiles" grep -qF '"tiles":["https://map.example.lg.jp/' "$T/tj"
curl -s -H 'X-Forwarded-Proto: https' -H 'Host: map.example.lg.jp' "$U/ogc/collections" >"$T/oc"
check "trusted proxy: OGC links are https" grep -qF '"https://map.example.lg.jp/ogc/collections' "$T/oc"
curl -s -H 'X-Forwarded-Proto: gopher' "$U/tiles/resources.json" >"$T/tj"
check "an unknown scheme falls back to http" grep -qF '"tiles":["http://127.0.0.1:' "$T/tj"
curl -s "$U/tiles/resources.json" >"$T/tj"
check "trusted proxy without the header: http" grep -qF '"tiles":["http://127.0.0.1:' "$T/tj"
stop_server
"$BIN" --db "$DB" serve --port 0 --trusted-proxy not-an-address >"$T/srv" 2>"$T/srv.err"
check "--trusted-proxy not-an-address: exit 2 with a sentence" sh -c "test $? -eq 2 && grep -q 'trusted-proxy takes' '$T/srv.err'"

# A FIFO in the web root: one worker, which must not wait for a writer.
mkdir -p "$T/web"
printf '<!doctype html><title>t</title>\n' >"$T/web/index.html"
mkfifo "$T/web/slow.txt"
TSUNAGU_WEB=$T/web start_server
U=http://127.0.0.1:$PORT
code=$(curl -s -m 5 -o "$T/b" -w '%{http_code}' "$U/web/slow.txt")
check "a FIFO in the web root: 404 at once" test "$code" = 404
check "... as JSON" grep -q '"error":' "$T/b"
code=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$U/")
check "the one worker still answers the page" test "$code" = 200
stop_server

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
