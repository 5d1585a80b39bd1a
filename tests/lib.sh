# SPDX-License-Identifier: MIT
# tests/lib.sh - helpers shared by the shell tests (tests/cli_*.sh), sourced
# by each: TAP-like result counting and starting the real server on a free
# loopback port. Nothing here runs on its own.

fails=0
passes=0
# ok TEXT / bad TEXT: one passing or failing check, printed as it happens.
ok() { passes=$((passes + 1)); echo "ok - $*"; }
bad() { fails=$((fails + 1)); echo "FAIL - $*"; }
# check TEXT COMMAND...: runs COMMAND; ok when it succeeds, bad otherwise.
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }

# tl_port OUTFILE PID [ADDR]: waits (up to 30 s) for `tsunagu serve --port 0` to
# print the URL (http:// or https://) it listens on at ADDR (default
# 127.0.0.1) into OUTFILE and echoes the port, or nothing when the server PID
# died or never said.
tl_port() {
  local out=$1 pid=$2 addr port=
  addr=$(sed 's/[].[]/\\&/g' <<<"${3:-127.0.0.1}")
  for _ in $(seq 1 300); do
    port=$(sed -n "s|.*https\\{0,1\\}://$addr:\\([0-9][0-9]*\\)/.*|\\1|p" "$out" 2>/dev/null)
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "$port"
}

# tl_scratch: makes the scratch directory $T and arranges that on exit the
# server $SRV (when a test started one) gets SIGTERM and $T is removed.
tl_scratch() {
  T=$(mktemp -d)
  SRV=
  trap 'if [ -n "$SRV" ] && kill -0 "$SRV" 2>/dev/null; then kill -TERM "$SRV"; wait "$SRV"; fi; rm -rf "$T"' EXIT
}

# tl_need TOOL...: skips the test (exit 77, saying which) when a tool is missing.
tl_need() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 ||
      { echo "SKIP: $tool is not installed (bash .ci/install installs it)"; exit 77; }
  done
}

# tl_demo_db DB: builds the demo town from $SRC/data into DB (output in
# $T/demo.out) as one check.
tl_demo_db() {
  TSUNAGU_DATA=$SRC/data "$BIN" --db "$1" demo --no-serve >"$T/demo.out" 2>&1
  check "demo --no-serve builds the database" test $? -eq 0
}

# tl_schema: the schema version this tsunagu writes (STORE_SCHEMA_VERSION in
# the source), so migration tests need no edit when a version is added.
tl_schema() {
  sed -n 's/^#define STORE_SCHEMA_VERSION \([0-9][0-9]*\).*/\1/p' \
    "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/src/store/store.h"
}

# tl_ask OUT TOKEN BASE QUERY...: GETs BASE+QUERY (path?params) with the
# bearer TOKEN, two at a time, and appends one {"q", "a"} line per answer to
# OUT. Each answer goes to a file of its own first: two jq writing one file
# interleave lines longer than a pipe buffer (an answer cut in two).
tl_ask() {
  local out=$1 token=$2 base=$3 d
  shift 3
  d=$(mktemp -d "${TMPDIR:-/tmp}/tl_ask.XXXXXX")
  printf '%s\n' "$@" | xargs -P 2 -I{} sh -c \
    'curl -s --max-time 120 -H "Authorization: Bearer $0" "$1{}" | jq -c --arg q "{}" "{q: \$q, a: .}" >"$(mktemp "$2/a.XXXXXX")"' \
    "$token" "$base" "$d"
  cat "$d"/a.* >>"$out" 2>/dev/null || true
  rm -rf "$d"
}
