#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_db_dir.sh - `serve --db-dir DIR` (issue 16 item 8): one process serves
# every CODE.db in DIR under /m/CODE/, each with its own users and audit log.
#   - /api/municipalities and / list the municipalities; /m/CODE redirects to
#     /m/CODE/, which is the page, with the API, tiles and OGC API below it,
#     and their links (TileJSON tile URLs, OGC self links) stay under /m/CODE/;
#   - a token of one database is refused by the other (401), a household
#     read is audited in its own database only, and failed sign-ins are
#     counted across all (429 after the burst on the other one too);
#   - an unknown code and any path outside /m/CODE/ answer 404 with a
#     sentence; the log names the municipality and never the query;
#   - bad directories are refused with one sentence: missing (exit 3), no
#     database, a file not named by a valid code (a 6-digit code's check
#     digit is checked), two files for one municipality, and --db with
#     --db-dir (exit 2).
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
. "$(dirname "$0")/lib.sh"
tl_scratch
tl_need curl jq sqlite3
tl_demo_db "$T/demo.db"
export TSUNAGU_WEB=$SRC/web
unset TSUNAGU_DB
jqe() { jq -e "$@" >/dev/null; }

D=$T/munis
mkdir "$D"
# 生駒市 with its check digit (292095), 宇部市 without (35202).
cp "$T/demo.db" "$D/292095.db"
cp "$T/demo.db" "$D/35202.db"
touch "$D/35202.db.pre-v5-20261207T000000Z.bak" "$D/notes.txt"
H=$(sqlite3 "$D/292095.db" "SELECT ext_id FROM households WHERE protected = 0 AND agency IS NOT NULL ORDER BY id LIMIT 1")
AG=$(sqlite3 "$D/292095.db" "SELECT agency FROM households WHERE ext_id = '$H'")
check "the demo holds a household to read" test -n "$H" -a -n "$AG"
A=$("$BIN" --db "$D/292095.db" user add alice --role coordinator --agency "$AG" 2>/dev/null)
check "a user added to one database" test -n "$A"

(cd "$T" && exec "$BIN" serve --db-dir "$D" --port 0 >"$T/srv.out" 2>"$T/srv.err") &
SRV=$!
PORT=$(tl_port "$T/srv.out" "$SRV")
[ -n "$PORT" ] || { bad "serve --db-dir did not start: $(cat "$T/srv.err")"; echo "$passes passed, $fails failed"; exit 1; }
U=http://127.0.0.1:$PORT
check "the start names each municipality's path" grep -q '/m/292095/' "$T/srv.out"

curl -fsS "$U/api/municipalities" >"$T/list.json"
check "/api/municipalities lists both, sorted, with their paths" \
  jqe '[.municipalities[].code] == ["292095", "35202"] and .municipalities[0].url == "/m/292095/"' "$T/list.json"
curl -fsS "$U/" >"$T/index.html"
check "/ is a page linking each municipality" grep -q 'href="/m/35202/"' "$T/index.html"

code=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' "$U/m/35202")
check "/m/CODE redirects to /m/CODE/ ($code)" test "$code" = "308 $U/m/35202/"
curl -fsS "$U/m/35202/" >"$T/page.html"
check "/m/CODE/ is the page" grep -q 'web/app.js' "$T/page.html"
check "the page's relative assets load under /m/CODE/" curl -fsS -o /dev/null "$U/m/35202/web/app.js"
curl -fsS "$U/m/292095/api/meta" >"$T/meta.json"
check "/m/CODE/api/meta answers from that database" jqe '.counts.resources > 0' "$T/meta.json"
curl -fsS "$U/m/292095/tiles/resources.json" >"$T/tj.json"
check "TileJSON tile URLs stay under /m/CODE/" jqe --arg p "$U/m/292095/tiles/" '.tiles[0] | startswith($p)' "$T/tj.json"
tile=$(jq -r '.tiles[0]' "$T/tj.json" | sed 's/{z}/14/;s/{x}/14552/;s/{y}/6451/')
check "a tile of that URL answers" bash -c "test \"\$(curl -sS -o /dev/null -w '%{http_code}' '$tile')\" -lt 300"
curl -fsS "$U/m/35202/ogc/collections" >"$T/ogc.json"
check "OGC links stay under /m/CODE/" \
  jqe --arg p "$U/m/35202/ogc/" '[.. | objects | select(has("href")) | .href] | length > 0 and all(startswith($p))' "$T/ogc.json"
if command -v ogrinfo >/dev/null; then
  n=$(ogrinfo -ro -so -al "OAPIF:$U/m/35202/ogc" 2>/dev/null | grep -c '^Layer name')
  check "GDAL reads the OGC API under /m/CODE/ ($n layers)" test "$n" -ge 1
fi

s=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $A" "$U/m/292095/api/me")
check "the token works on its own database ($s)" test "$s" = 200
s=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $A" "$U/m/35202/api/me")
check "the token is refused by the other database ($s)" test "$s" = 401
curl -s -D "$T/sh" -o /dev/null -X POST -H "Authorization: Bearer $A" "$U/m/292095/api/session"
cookie=$(tr -d '\r' <"$T/sh" | sed -n 's/^[Ss]et-[Cc]ookie: //p')
SID=$(sed -n 's/^tsunagu_session=\([^;]*\);.*/\1/p' <<<"$cookie")
check "the page's session cookie is for its municipality's tree ($cookie)" grep -q 'Path=/m/292095/' <<<"$cookie"
s=$(curl -sS -o /dev/null -w '%{http_code}' -H "Cookie: tsunagu_session=$SID" "$U/m/292095/api/me")
check "the session signs in on its own database ($s)" test "$s" = 200
s=$(curl -sS -o /dev/null -w '%{http_code}' -H "Cookie: tsunagu_session=$SID" "$U/m/35202/api/me")
check "and is anonymous on the other ($s)" test "$s" = 401
a0=$(sqlite3 "$D/35202.db" 'SELECT COUNT(*) FROM audit')
s=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $A" "$U/m/292095/api/households/$H")
check "a household read on its own database ($s)" test "$s" = 200
check "the read is audited in that database" test "$(sqlite3 "$D/292095.db" 'SELECT COUNT(*) FROM audit')" -ge 1
check "and not in the other" test "$(sqlite3 "$D/35202.db" 'SELECT COUNT(*) FROM audit')" = "$a0"

body=$(curl -sS "$U/m/99999/api/meta"); s=$(curl -sS -o /dev/null -w '%{http_code}' "$U/m/99999/api/meta")
check "an unknown code is a 404 with a sentence ($s: $body)" bash -c "test '$s' = 404 && jq -e '.error | test(\"no municipality\")' <<<'$body' >/dev/null"
s=$(curl -sS -o /dev/null -w '%{http_code}' "$U/api/meta")
check "the API outside /m/CODE/ is a 404 ($s)" test "$s" = 404
check "which says where the API is" bash -c "curl -sS '$U/api/walk' | jq -e '.error | test(\"/m/\")' >/dev/null"
s=$(curl -sS -o /dev/null -w '%{http_code}' "$U/m/292095x/api/meta")
check "a code with a suffix is not a prefix match ($s)" test "$s" = 404

for i in $(seq 1 12); do
  curl -sS -o /dev/null -H "Authorization: Bearer tsu_$(printf '%064d' "$i")" "$U/m/292095/api/me"
done
s=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer tsu_$(printf '%064d' 99)" "$U/m/35202/api/me")
check "failed sign-ins on one database count on the other (429: $s)" test "$s" = 429

curl -sS -o /dev/null "$U/m/35202/api/walk?lon=131.2468&lat=33.9512&minutes=5"
kill -TERM "$SRV"; wait "$SRV"; SRV=
check "the log names the municipality and the route" grep -q '^GET /m/292095/api/meta 200' "$T/srv.err"
check "the log holds no query string or household id" test -z "$(grep -E 'lon=|131\.2468|\?|'"$H" "$T/srv.err")"

# refused DIR EXIT PATTERN WHAT
refused() {
  out=$("$BIN" serve --db-dir "$1" --port 0 2>&1 </dev/null); rc=$?
  if [ "$rc" -eq "$2" ] && grep -q -- "$3" <<<"$out" && [ "$(wc -l <<<"$out")" -eq 1 ]; then
    ok "refused: $4 ($out)"
  else
    bad "$4: exit $rc: $out"
  fi
}
refused "$T/none" 3 "cannot read the directory" "a missing directory"
mkdir "$T/empty"; refused "$T/empty" 2 "no database" "a directory without databases"
mkdir "$T/named"; cp "$T/demo.db" "$T/named/tsunagu.db"; refused "$T/named" 2 "tsunagu.db" "a file not named by a code"
mkdir "$T/digit"; cp "$T/demo.db" "$T/digit/292094.db"; refused "$T/digit" 2 "292094.db" "a 6-digit code with a wrong check digit"
mkdir "$T/twice"; cp "$T/demo.db" "$T/twice/29209.db"; cp "$T/demo.db" "$T/twice/292095.db"; refused "$T/twice" 2 "two databases" "one municipality twice"
out=$("$BIN" --db "$T/demo.db" serve --db-dir "$D" --port 0 2>&1); rc=$?
check "--db with --db-dir is refused (exit $rc: $out)" test "$rc" -eq 2

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
