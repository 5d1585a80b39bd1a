#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_register.sh - the resource register (issue 12) against the real
# program and the real server on the demo town:
#   - roles: editors and admins write; officials, coordinators, outreach
#     workers get 403, anonymous callers 401;
#   - POST/PATCH/DELETE/GET /api/resources/{id}: ETag on every answer,
#     If-Match required (428), a stale one refused with 409 and the current
#     version, history (API and `tsunagu resources history`);
#   - every bad input (JSON, members, limits, UTF-8, area, methods) is one
#     sentence and leaves the database byte for byte as it was (sqlite3
#     .dump before and after);
#   - a change reaches the next walk, OGC, tile and export answer; a
#     retired resource leaves them all while its record stays;
#   - walk and coverage filter by target; exports read back with Python's
#     csv module (BOM, CRLF, Japanese intact) and as GeoJSON;
#   - import --merge [--retire-missing] changes by stable id and says what;
#   - the page's 地域資源の編集 view saves an edit and reports a conflict
#     (tests/web/editor.test.mjs, when node and Chromium are installed).
# Skips (77) when curl, jq, sqlite3 or python3 is missing.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
. "$(dirname "$0")/lib.sh"

tl_need curl jq sqlite3 python3

tl_scratch
DB=$T/demo.db
tl_demo_db "$DB"
tok() { "$BIN" --db "$DB" user add "$@" 2>/dev/null; }
ED=$(tok ed1 --role editor)
ED2=$(tok ed2 --role editor)
ADM=$(tok adm --role admin)
OFF=$(tok off --role official)
COO=$(tok coo --role coordinator --agency 包括A)
OUT=$(tok outr --role outreach --agency 包括A)
check "user add --role editor makes an editor" bash -c "'$BIN' --db '$DB' user list | grep -q 'ed1 *editor'"

"$BIN" --db "$DB" serve --port 0 --threads 2 >"$T/srv.out" 2>"$T/srv.err" &
SRV=$!
PORT=$(tl_port "$T/srv.out" "$SRV")
if [ -z "$PORT" ]; then
  echo "FAIL - the server did not start:"; cat "$T/srv.out" "$T/srv.err"; exit 1
fi
B=http://127.0.0.1:$PORT
ok "server listens on port $PORT"

# req METHOD PATH TOKEN [curl args...]: status in $code, body in $T/body,
# headers in $T/hdr.
req() {
  local m=$1 p=$2 t=$3; shift 3
  local auth=()
  [ -n "$t" ] && auth=(-H "Authorization: Bearer $t")
  code=$(curl -s --max-time 30 -X "$m" "${auth[@]}" -D "$T/hdr" -o "$T/body" -w '%{http_code}' "$@" "$B$p")
}
etag() { sed -n 's/^ETag: *\(.*\)\r$/\1/Ip' "$T/hdr"; }
dump() { sqlite3 "$DB" .dump | md5sum; }

NEW='{"name":"みんなの居場所 ひだまり","kind":"居場所","fields":["elderly","children"],"target":"高齢者・子育て家庭","languages":["ja","en","vi"],"barrier_free":"yes","cost":"無料","contact":"0569-00-0000","url":"https://example.org/hidamari","schedule":"We 10:00-12:00","notes":"送迎あり","lon":136.9502,"lat":34.9502}'

# ---- roles ----
req POST /api/resources "" -d "$NEW"
check "anonymous POST: 401 ($code)" test "$code" = 401
for who in OFF COO OUT; do
  req POST /api/resources "${!who}" -d "$NEW"
  check "$who POST: 403 ($code $(cat "$T/body"))" test "$code" = 403
done
req GET /api/resources/R001 ""
check "anonymous GET of one resource: 401" test "$code" = 401
req GET /api/resources/R001/history "$OFF"
check "official history: 403" test "$code" = 403

# ---- bad input leaves the database unchanged ----
before=$(dump)
bad_post() { # NAME BODY [STATUS]
  req POST /api/resources "$ED" --data-binary "$2"
  check "refused: $1 (${3:-400}, got $code: $(jq -r .error "$T/body" 2>/dev/null))" test "$code" = "${3:-400}"
}
bad_post "not JSON" '{"name":'
bad_post "not an object" '[1,2]'
bad_post "member twice" '{"name":"a","name":"b","kind":"hub","lon":136.95,"lat":34.95}'
bad_post "unknown member" '{"name":"a","kind":"hub","lon":136.95,"lat":34.95,"colour":"red"}'
bad_post "no name" '{"kind":"hub","lon":136.95,"lat":34.95}'
bad_post "empty name" '{"name":"  ","kind":"hub","lon":136.95,"lat":34.95}'
bad_post "unknown kind" '{"name":"a","kind":"謎の施設","lon":136.95,"lat":34.95}'
bad_post "unknown field" '{"name":"a","kind":"hub","fields":["pets"],"lon":136.95,"lat":34.95}'
bad_post "bad language" '{"name":"a","kind":"hub","languages":["english!"],"lon":136.95,"lat":34.95}'
bad_post "bad barrier_free" '{"name":"a","kind":"hub","barrier_free":"maybe","lon":136.95,"lat":34.95}'
bad_post "bad url" '{"name":"a","kind":"hub","url":"ftp://x.example","lon":136.95,"lat":34.95}'
bad_post "bad contact" '{"name":"a","kind":"hub","contact":"call me","lon":136.95,"lat":34.95}'
bad_post "bad target" '{"name":"a","kind":"hub","target":"謎","lon":136.95,"lat":34.95}'
bad_post "lat as text" '{"name":"a","kind":"hub","lon":136.95,"lat":"34.95"}'
bad_post "outside the data's area" '{"name":"a","kind":"hub","lon":2.35,"lat":48.85}'
bad_post "control character" '{"name":"a\u0001b","kind":"hub","lon":136.95,"lat":34.95}'
bad_post "NUL escape" '{"name":"a\u0000b","kind":"hub","lon":136.95,"lat":34.95}'
bad_post "invalid UTF-8" "$(printf '{"name":"a\xff\xfeb","kind":"hub","lon":136.95,"lat":34.95}')"
bad_post "too deep" "$(printf '{"name":%s1%s}' "$(printf '[%.0s' $(seq 40))" "$(printf ']%.0s' $(seq 40))")"
bad_post "name over 256 bytes" "{\"name\":\"$(printf 'あ%.0s' $(seq 100))\",\"kind\":\"hub\",\"lon\":136.95,\"lat\":34.95}"
head -c 70000 /dev/zero | tr '\0' ' ' >"$T/big"
req POST /api/resources "$ED" --data-binary @"$T/big"
check "body over 64 KiB: 413 ($code)" test "$code" = 413
req PATCH /api/resources/R001 "$ED" -d '{"cost":"100円"}'
check "PATCH without If-Match: 428 ($code)" test "$code" = 428
req PATCH /api/resources/R001 "$ED" -H 'If-Match: "abc"' -d '{"cost":"100円"}'
check "PATCH with a malformed If-Match: 400 ($code)" test "$code" = 400
req PATCH /api/resources/R001 "$ED" -H 'If-Match: "1"' -d '{"lon":100.0}'
check "PATCH moving outside the area: 400 ($code)" test "$code" = 400
req PATCH /api/resources/R001 "$ED" -H 'If-Match: "1"' -d '{"name":null}'
check "PATCH clearing the name: 400 ($code)" test "$code" = 400
req PATCH /api/resources/NOPE "$ED" -H 'If-Match: "1"' -d '{"cost":"1"}'
check "PATCH of an unknown id: 404 ($code)" test "$code" = 404
req DELETE /api/resources/R001 "$ED"
check "DELETE without If-Match: 428 ($code)" test "$code" = 428
req PUT /api/resources/R001 "$ED" -d '{}'
check "PUT: 405 with Allow ($code)" bash -c "test '$code' = 405 && grep -qi '^Allow: GET, HEAD, PATCH, DELETE' '$T/hdr'"
after=$(dump)
check "the database is unchanged after every refusal" test "$before" = "$after"

# ---- create, read, change, conflict ----
req GET /api/walk?lon=136.9502\&lat=34.9502\&minutes=10 ""
walk_before=$(jq -r '[.resources[].name] | join(",")' "$T/body")
req GET "/ogc/collections/resources/items?limit=1" ""
n_before=$(jq .numberMatched "$T/body")
req POST /api/resources "$ED" -d "$NEW"
check "editor POST: 201 ($code $(head -c 200 "$T/body"))" test "$code" = 201
RID=$(jq -r .id "$T/body")
check "the answer has the new id ($RID), ETag \"1\" and Location" \
  bash -c "test -n '$RID' && test '$(etag)' = '\"1\"' && grep -qi '^Location: /api/resources/$RID' '$T/hdr'"
check "... normalised: kind hub, fields, target keys, languages" \
  test "$(jq -r '[.kind,.fields,.target,.languages,.barrier_free] | join("|")' "$T/body")" = \
  "hub|elderly;children|elderly;families|ja;en;vi|yes"
req POST /api/resources "$ADM" -d '{"name":"管理者の追加","kind":"salon","lon":136.951,"lat":34.951}'
check "admin POST: 201 ($code)" test "$code" = 201
req GET "/api/walk?lon=136.9502&lat=34.9502&minutes=10" ""
check "the next walk offers the new resource" bash -c "jq -e '.resources[] | select(.id == \"$RID\")' '$T/body' >/dev/null"
req GET "/ogc/collections/resources/items?limit=1" ""
check "OGC counts it ($n_before -> $(jq .numberMatched "$T/body"))" test "$(jq .numberMatched "$T/body")" = $((n_before + 2))

req GET "/api/resources/$RID" "$ED"
check "GET one resource: 200 with ETag \"1\"" bash -c "test '$code' = 200 && test '$(etag)' = '\"1\"'"
req PATCH "/api/resources/$RID" "$ED" -H 'If-Match: "1"' -d '{"schedule":"We[2,4] 10:00-12:00","name":"ひだまり（移転）"}'
check "editor 1 PATCH with ETag \"1\": 200, ETag \"2\" ($code)" bash -c "test '$code' = 200 && test '$(etag)' = '\"2\"'"
req PATCH "/api/resources/$RID" "$ED2" -H 'If-Match: "1"' -d '{"cost":"300円"}'
check "editor 2 PATCH with the same ETag: 409 ($code)" test "$code" = 409
check "... naming the current version, with its record and ETag" \
  bash -c "jq -e '.current.version == 2 and (.error | test(\"version 2\"))' '$T/body' >/dev/null && test '$(etag)' = '\"2\"'"
req PATCH "/api/resources/$RID" "$ED2" -H 'If-Match: "2"' -d '{"cost":"300円"}'
check "editor 2 again with ETag \"2\": 200 ($code)" test "$code" = 200
req PATCH "/api/resources/$RID" "$ED2" -H 'If-Match: "3"' -d '{"cost":"300円"}'
check "a PATCH changing nothing keeps version 3" bash -c "test '$code' = 200 && test '$(etag)' = '\"3\"'"
req GET "/api/walk?lon=136.9502&lat=34.9502&minutes=10" ""
check "the next walk shows the new name" bash -c "jq -e '.resources[] | select(.name == \"ひだまり（移転）\")' '$T/body' >/dev/null"

req GET "/api/resources/$RID/history" "$ADM"
check "history: create, update, update by whom" \
  test "$(jq -r '[.history[] | .action + ":" + .who] | join(",")' "$T/body")" = \
  "create:ed1 (editor),update:ed1 (editor),update:ed2 (editor)"
check "... with the fields before and after" \
  test "$(jq -r '.history[1] | (.fields | join(",")) + "|" + .before.schedule + "|" + .after.schedule' "$T/body")" = \
  "name,schedule|We 10:00-12:00|We[2,4] 10:00-12:00"
"$BIN" --db "$DB" resources history "$RID" >"$T/hist.out" 2>&1
check "tsunagu resources history prints each change" \
  bash -c "grep -q 'version 3' '$T/hist.out' && grep -q 'ed2 (editor)  update' '$T/hist.out' && grep -q 'cost.*\"無料\" -> \"300円\"' '$T/hist.out'"
"$BIN" --db "$DB" resources history NOPE >/dev/null 2>"$T/err"
check "history of an unknown id: exit 3" test $? -eq 3

# ---- target filter ----
req GET "/api/walk?lon=136.95&lat=34.95&minutes=20&target=children" ""
check "walk target=children lists only resources for children or everyone" \
  bash -c "jq -e '(.resources | length) > 0 and all(.resources[]; (.target // \"\") | test(\"children|everyone\"))' '$T/body' >/dev/null"
all=$(curl -s "$B/api/walk?lon=136.95&lat=34.95&minutes=20" | jq '.resources | length')
check "... fewer than without ($(jq '.resources | length' "$T/body") < $all)" test "$(jq '.resources | length' "$T/body")" -lt "$all"
req GET "/api/walk?lon=136.95&lat=34.95&minutes=20&target=謎" ""
check "an unknown target: 400 ($code)" test "$code" = 400
req GET "/api/coverage?minutes=10&level=elementary&target=dementia" "$OFF"
cov_t=$(jq .total.households_covered "$T/body" 2>/dev/null)
req GET "/api/coverage?minutes=10&level=elementary" "$OFF"
check "coverage target=dementia covers fewer households ($cov_t < $(jq .total.households_covered "$T/body"))" \
  test "$cov_t" -lt "$(jq .total.households_covered "$T/body")"
"$BIN" --db "$DB" coverage --minutes 10 --level elementary --target dementia --json >"$T/cov.json" 2>&1
check "tsunagu coverage --target answers" bash -c "jq -e .total '$T/cov.json' >/dev/null"

# ---- retire ----
TILE=$(python3 -c "
import math
lon,lat,z=136.9502,34.9502,14
n=2**z; x=int((lon+180)/360*n); y=int((1-math.asinh(math.tan(math.radians(lat)))/math.pi)/2*n)
print(f'/tiles/resources/{z}/{x}/{y}.mvt')")
tile_before=$(curl -s "$B$TILE" | md5sum)
req DELETE "/api/resources/$RID" "$ED" -H 'If-Match: "3"'
check "DELETE retires: 200, retired time, ETag \"4\"" \
  bash -c "test '$code' = 200 && jq -e '.retired != null' '$T/body' >/dev/null && test '$(etag)' = '\"4\"'"
req GET "/api/walk?lon=136.9502&lat=34.9502&minutes=10" ""
check "a retired resource leaves the walk" bash -c "! jq -e '.resources[] | select(.id == \"$RID\")' '$T/body' >/dev/null"
check "... /api/resources" bash -c "! curl -s '$B/api/resources' | jq -e '.resources[] | select(.id == \"$RID\")' >/dev/null"
req GET "/ogc/collections/resources/items?limit=1" ""
check "... the OGC count" test "$(jq .numberMatched "$T/body")" = $((n_before + 1))
check "... and its tile changed" test "$(curl -s "$B$TILE" | md5sum)" != "$tile_before"
req GET "/api/resources/$RID" "$ED"
check "its record stays (GET 200, retired)" bash -c "test '$code' = 200 && jq -e '.retired != null' '$T/body' >/dev/null"
req PATCH "/api/resources/$RID" "$ED" -H 'If-Match: "4"' -d '{"cost":"0円"}'
check "a retired resource cannot be changed: 409" test "$code" = 409
check "info counts active resources only" bash -c "'$BIN' --db '$DB' info | grep -q 'resources  *$((n_before + 1))'"

# ---- exports ----
req GET "/api/resources.csv?level=elementary" ""
check "/api/resources.csv: 200 text/csv" bash -c "test '$code' = 200 && grep -qi '^Content-Type: text/csv' '$T/hdr'"
check "... starts with the UTF-8 BOM and ends lines with CRLF" \
  bash -c "test \"\$(head -c 3 '$T/body' | od -An -tx1 | tr -d ' ')\" = efbbbf && head -1 '$T/body' | grep -q \$'\\r\$'"
python3 - "$T/body" "$((n_before + 1))" >"$T/csv.out" 2>&1 <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
assert len(rows) == int(sys.argv[2]), (len(rows), sys.argv[2])
names = {r["name"] for r in rows}
assert "架空市総合相談窓口「つなぐ相談ステーション」" in names
assert "管理者の追加" in names and "ひだまり（移転）" not in names
assert sum(1 for r in rows if r["小学校区"]) >= len(rows) - 2, "district names"
print("ok", len(rows))
EOF
check "Python's csv reads it back with the Japanese intact ($(cat "$T/csv.out" | tail -1))" grep -q '^ok' "$T/csv.out"
"$BIN" --db "$DB" export resources --format geojson --output "$T/res.geojson"
check "export --format geojson: a FeatureCollection GDAL-free readers parse" \
  test "$(jq '.features | length' "$T/res.geojson")" = $((n_before + 1))
"$BIN" --db "$DB" export resources --format csv --level nowhere >/dev/null 2>"$T/err"
check "export --level of an unknown level: exit 2" test $? -eq 2

# ---- import --merge ----
"$BIN" --db "$DB" export resources --format csv --output "$T/reg.csv"
python3 - "$T/reg.csv" "$T/merge.csv" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
out = []
for r in rows:
    if r["id"] == "R002":
        continue                      # missing: retired with --retire-missing
    if r["id"] == "R003":
        r["schedule"] = "Mo-Fr 09:00-16:00"
        r["languages"] = "ja;pt"
    out.append(r)
out.append(dict(rows[0], id="R950", name="新しい通いの場", kind="gathering_place"))
w = csv.DictWriter(open(sys.argv[2], "w", encoding="utf-8", newline=""), fieldnames=list(rows[0].keys()))
w.writeheader(); w.writerows(out)
EOF
"$BIN" --db "$DB" import resources "$T/merge.csv" --merge --retire-missing >"$T/merge.out" 2>&1
check "import --merge --retire-missing succeeds ($(tail -1 "$T/merge.out"))" test $? -eq 0
check "... says what changed ($(tail -1 "$T/merge.out"))" \
  bash -c "grep -q '^changed R003: schedule, languages' '$T/merge.out' && grep -q '^added R950 新しい通いの場' '$T/merge.out' && grep -q '1 added, 1 changed, .* 1 retired' '$T/merge.out'"
req GET "/api/resources/R002" "$ED"
check "R002 (missing from the file) is retired, its record kept" bash -c "jq -e '.retired != null' '$T/body' >/dev/null"
req GET "/api/resources/R003/history" "$ED"
check "R003's history names the import" test "$(jq -r '.history[-1].who' "$T/body")" = "import merge.csv"
"$BIN" --db "$DB" import resources "$T/merge.csv" --merge >"$T/merge2.out" 2>&1
check "merging the same file again changes nothing" grep -q '0 added, 0 changed' "$T/merge2.out"
before=$(dump)
sed 's/ja;pt/klingon!/' "$T/merge.csv" >"$T/badmerge.csv"
"$BIN" --db "$DB" import resources "$T/badmerge.csv" --merge >/dev/null 2>"$T/err"
check "a merge with a bad language fails with the line ($(cat "$T/err"))" \
  bash -c "grep -q 'line [0-9]*: the language' '$T/err'"
check "... and leaves the database unchanged" test "$before" = "$(dump)"
"$BIN" --db "$DB" import households "$T/merge.csv" --merge >/dev/null 2>"$T/err"
check "--merge is for resources only" grep -q 'apply to import resources only' "$T/err"

# ---- the page's editor view (web/editor.js) ----
if command -v node >/dev/null 2>&1 && [ -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  out=$(CHROMIUM_PROFILE="$T/profile" timeout 600 node "$SRC/tests/web/editor.test.mjs" "$B" "$ED" R010 2>&1)
  echo "$out" | sed 's/^/  /'
  check "the editor view: an edit, and a conflict the page reports (tests/web/editor.test.mjs)" \
    grep -q '^[0-9]* passed, 0 failed' <<<"$out"
else
  echo "note: node or Chromium missing, the editor view's browser test did not run"
fi

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
