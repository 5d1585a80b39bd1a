#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_session.sh - the page's server-side session over loopback (demo town):
#   - POST /api/session with a bearer token answers 201 and a cookie that is
#     HttpOnly, SameSite=Strict, Path=/, with no Max-Age or Expires (it ends
#     with the browser) and no Secure over plain HTTP; the id is not the
#     token, and the server keeps neither in the database;
#   - the cookie alone signs requests in (/api/me, coverage); a cookie
#     cannot open another session; an unknown cookie is anonymous;
#   - changes signed in by the cookie need X-Tsunagu-Request and this
#     server's Origin (403 otherwise), bearer requests need neither;
#   - DELETE /api/session ends it on the server: the old cookie is
#     anonymous afterwards, even when replayed; revoking the token ends the
#     sessions it opened;
#   - bearer tokens keep working, and the id never reaches the log.
# Skips (77) only when curl or jq is missing.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
. "$(dirname "$0")/lib.sh"
tl_need curl jq

tl_scratch
DB=$T/demo.db
tl_demo_db "$DB"
OFF=$("$BIN" --db "$DB" user add sato --role official 2>/dev/null)
ED=$("$BIN" --db "$DB" user add kato --role editor 2>/dev/null)
"$BIN" --db "$DB" serve --port 0 --threads 2 >"$T/srv.out" 2>"$T/srv.err" &
SRV=$!
PORT=$(tl_port "$T/srv.out" "$SRV")
[ -n "$PORT" ] || { echo "FAIL - the server did not start"; cat "$T/srv.err"; exit 1; }
U=http://127.0.0.1:$PORT

# status METHOD PATH [curl args...]: the HTTP status only.
status() { local m=$1 p=$2; shift 2; curl -s -o /dev/null -w '%{http_code}' -X "$m" "$@" "$U$p"; }

code=$(curl -s -D "$T/h1" -o "$T/b1" -w '%{http_code}' -X POST -H "Authorization: Bearer $OFF" "$U/api/session")
check "POST /api/session with a token answers 201" test "$code" = 201
check "... naming the user and the timeouts" \
  bash -c "jq -e '.name == \"sato\" and .role == \"official\" and .idle_minutes == 30 and .max_hours == 8' '$T/b1' >/dev/null"
cookie=$(tr -d '\r' <"$T/h1" | sed -n 's/^[Ss]et-[Cc]ookie: //p')
ID=$(sed -n 's/^tsunagu_session=\([^;]*\);.*/\1/p' <<<"$cookie")
check "the cookie carries a session id that is not the token" bash -c "[[ '$ID' =~ ^tsu_[A-Za-z0-9_-]{43}\$ ]] && [ '$ID' != '$OFF' ]"
check "the cookie is HttpOnly, SameSite=Strict, Path=/" \
  bash -c "grep -q 'HttpOnly' <<<'$cookie' && grep -q 'SameSite=Strict' <<<'$cookie' && grep -q 'Path=/' <<<'$cookie'"
check "the cookie has no Max-Age or Expires (ends with the browser), no Secure over HTTP" \
  bash -c "! grep -qiE 'max-age|expires|secure' <<<'$cookie'"
check "the database holds neither the session id nor the token" bash -c "! grep -qa -e '$ID' -e '$OFF' '$DB'"

C=(-H "Cookie: tsunagu_session=$ID")
check "the cookie alone signs in (/api/me)" \
  bash -c "curl -s $(printf '%q ' "${C[@]}") '$U/api/me' | jq -e '.name == \"sato\"' >/dev/null"
check "the cookie alone opens coverage to the official" \
  test "$(status GET '/api/coverage?level=elementary&kind=consultation' "${C[@]}")" = 200
check "a signed-in answer is private, no-store" \
  bash -c "curl -s -D - -o /dev/null $(printf '%q ' "${C[@]}") '$U/api/me' | tr -d '\r' | grep -qi '^cache-control: private, no-store'"
check "a cookie cannot open another session (401)" \
  test "$(status POST /api/session "${C[@]}" -H 'X-Tsunagu-Request: 1')" = 401
check "an unknown cookie is anonymous (401 on /api/me)" \
  test "$(status GET /api/me -H "Cookie: tsunagu_session=tsu_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")" = 401
check "GET /api/session tells the anonymous apart without an error (200, signed_in false)" \
  bash -c "[ \"\$(curl -s '$U/api/session' | jq -c .)\" = '{\"signed_in\":false}' ]"
check "GET /api/session names the cookie's user" \
  bash -c "curl -s $(printf '%q ' "${C[@]}") '$U/api/session' | jq -e '.name == \"sato\"' >/dev/null"
check "a bearer token still works beside sessions" \
  test "$(status GET /api/me -H "Authorization: Bearer $OFF")" = 200

# ---- cross-site request forgery: changes by cookie ----
curl -s -D "$T/h2" -o /dev/null -X POST -H "Authorization: Bearer $ED" "$U/api/session"
EID=$(tr -d '\r' <"$T/h2" | sed -n 's/^[Ss]et-[Cc]ookie: tsunagu_session=\([^;]*\);.*/\1/p')
E=(-H "Cookie: tsunagu_session=$EID" -H 'Content-Type: application/json')
NEW='{"name":"つなぐテストサロン","kind":"salon","lon":135.0,"lat":35.0}'
check "a cookie change without the page's header is refused (403)" \
  test "$(status POST /api/resources "${E[@]}" -d "$NEW")" = 403
check "... and with the header but another site's Origin (403)" \
  test "$(status POST /api/resources "${E[@]}" -H 'X-Tsunagu-Request: 1' -H 'Origin: http://evil.example' -d "$NEW")" = 403
curl -s -o "$T/csrf" -X POST "${E[@]}" -d "$NEW" "$U/api/resources"
check "... with a sentence naming the header" bash -c "jq -e '.code == \"forbidden\" and (.error | test(\"X-Tsunagu-Request\"))' '$T/csrf' >/dev/null"
code=$(status POST /api/resources "${E[@]}" -H 'X-Tsunagu-Request: 1' -H "Origin: $U" -d "$NEW")
check "with the header and this server's Origin the change goes through (not 401/403)" \
  bash -c "[ '$code' != 401 ] && [ '$code' != 403 ]"
code=$(status POST /api/resources -H "Authorization: Bearer $ED" -H 'Content-Type: application/json' -d "$NEW")
check "a bearer change needs neither header nor Origin (not 401/403)" \
  bash -c "[ '$code' != 401 ] && [ '$code' != 403 ]"
check "a GET by cookie needs no header" test "$(status GET /api/me "${E[@]}")" = 200

# ---- sign-out and revocation ----
curl -s -D "$T/h3" -o /dev/null -X DELETE -H 'X-Tsunagu-Request: 1' "${C[@]}" "$U/api/session"
check "DELETE /api/session clears the cookie" \
  bash -c "tr -d '\r' <'$T/h3' | grep -qi '^set-cookie: tsunagu_session=; Max-Age=0'"
check "after sign-out the old cookie, replayed, is anonymous" test "$(status GET /api/me "${C[@]}")" = 401
check "signing out twice is not an error (204)" \
  test "$(status DELETE /api/session -H 'X-Tsunagu-Request: 1' "${C[@]}")" = 204
"$BIN" --db "$DB" user revoke kato >/dev/null 2>&1
check "revoking the token ends the sessions it opened" test "$(status GET /api/me "${E[@]}")" = 401
check "no session id or token in the server log" bash -c "! grep -q -e '$ID' -e '$EID' -e '$OFF' '$T/srv.err'"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
