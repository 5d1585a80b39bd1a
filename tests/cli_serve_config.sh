#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_serve_config.sh - `serve --config FILE` and `--log-format json`
# (issue 16):
#   - a configuration file alone (database, port, threads, log format) starts
#     the service, and the access log is one JSON object per line that jq
#     parses, with method, route pattern and status, and never the query
#     string or a path segment;
#   - a command-line option overrides the file (--log-format text);
#   - strict parsing: an unknown key, a repeated key, a line without '=', an
#     empty value, a bad yes/no, text that is not UTF-8 and an out-of-range
#     number are each refused (exit 2) with one sentence naming the file and
#     the line; a missing file exits 3.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
. "$(dirname "$0")/lib.sh"
tl_scratch
tl_need curl jq
tl_demo_db "$T/demo.db"
export TSUNAGU_WEB=$SRC/web
unset TSUNAGU_DB

CONF=$T/tsunagu.conf
cat >"$CONF" <<CONF
# test configuration
db = $T/demo.db
bind = 127.0.0.1
port = 0
threads = 2
log-format = json
quiet = no
CONF
(cd "$T" && exec "$BIN" serve --config "$CONF" >"$T/srv.out" 2>"$T/srv.err") &
SRV=$!
PORT=$(tl_port "$T/srv.out" "$SRV")
if [ -n "$PORT" ]; then
  ok "serve --config alone starts the service on the file's database"
  check "the file's database is served" grep -q "serving $T/demo.db" "$T/srv.out"
  curl -fsS "http://127.0.0.1:$PORT/api/meta" >/dev/null
  curl -sS -o /dev/null "http://127.0.0.1:$PORT/api/walk?lon=139.1234&lat=35.5678&minutes=5"
  curl -sS -o /dev/null "http://127.0.0.1:$PORT/api/households/H-SECRET-42"
  kill -TERM "$SRV"; wait "$SRV"; SRV=
  grep -v '^tsunagu:' "$T/srv.err" >"$T/log.json"
  check "every access log line is a JSON object (jq parses it)" jq -e -s 'length >= 3 and all(type == "object")' "$T/log.json"
  check "a line names method, route, status, ms and time" \
    jq -e -s 'any(.method == "GET" and .route == "/api/meta" and .status == 200 and (.ms|type) == "number" and (.time|test("Z$")))' "$T/log.json"
  check "the log holds no query string, coordinate or path segment" \
    test -z "$(grep -E 'lon=|139\.1234|35\.5678|H-SECRET-42|\?' "$T/log.json")"
else
  bad "serve --config did not start: $(cat "$T/srv.err")"
fi

(cd "$T" && exec "$BIN" serve --config "$CONF" --log-format text >"$T/srv2.out" 2>"$T/srv2.err") &
SRV=$!
PORT=$(tl_port "$T/srv2.out" "$SRV")
curl -fsS "http://127.0.0.1:$PORT/api/meta" >/dev/null 2>&1
kill -TERM "$SRV"; wait "$SRV"; SRV=
check "--log-format on the command line overrides the file (a text line)" grep -q '^GET /api/meta 200 ' "$T/srv2.err"

# refused FILE_BODY LINE WHAT: the file is refused, exit 2, naming file and line.
refused() {
  printf '%b' "$1" >"$T/bad.conf"
  out=$("$BIN" --db "$T/demo.db" serve --config "$T/bad.conf" 2>&1 </dev/null); rc=$?
  if [ "$rc" -eq 2 ] && grep -q "$T/bad.conf line $2" <<<"$out" && [ "$(wc -l <<<"$out")" -eq 1 ]; then
    ok "refused: $3 ($out)"
  else
    bad "$3: exit $rc: $out"
  fi
}
refused 'port = 0\nlisten = 1\n' 2 "an unknown key"
refused '# c\nport = 0\nport = 1\n' 3 "a repeated key"
refused 'port 8080\n' 1 "a line without ="
refused 'bind =\n' 1 "an empty value"
refused 'quiet = maybe\n' 1 "a yes/no that is neither"
refused 'port = 0\nbind = \xff\n' 2 "text that is not UTF-8"
refused '\n\nport = 99999\n' 3 "a port out of range"
refused 'threads = two\n' 1 "threads that are not a number"
out=$("$BIN" serve --config "$T/none.conf" 2>&1); rc=$?
check "a missing file exits 3 naming it" test "$rc" -eq 3 -a -n "$(grep "$T/none.conf" <<<"$out")"
printf 'port = 0\n' >"$T/ok.conf"
out=$("$BIN" --db "$T/demo.db" serve --config "$T/ok.conf" --port 99999 2>&1); rc=$?
check "a bad command-line value is not blamed on the file" \
  test "$rc" -eq 2 -a -z "$(grep 'ok.conf' <<<"$out")"
out=$("$BIN" --db "$T/demo.db" serve --log-format xml 2>&1); rc=$?
check "--log-format other than text or json is refused" test "$rc" -eq 2

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
