#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_share.sh - households shared, protected and seen by commissioners
# (issue 13, "Sharing"), on the real program and server (demo town):
#   - `households share|unshare|shares|protect|unprotect` and the same through
#     POST /api/households/{id}/shares|unshare|protection: the consent rule,
#     no share of a protected household, the holder only, refusals as one
#     sentence with a non-zero exit / 4xx and the database unchanged;
#   - import recognises `protected` (and --protected-field), keeps a
#     protection set later and the shares across a re-import;
#   - every role (coordinator of 包括A and of 社協, outreach of 包括A and of a
#     district, commissioner of a district, official, admin) against every
#     kind of household (own, shared by consent, shared by meeting, expired
#     share, consent withdrawn, unshared, protected of another agency,
#     protected own);
#   - the audit record of each read names the share it came through;
#   - an attacker trying every path for a protected household: lists with
#     every need, /api/households/{id} and the share endpoints against
#     missing ids (bodies, and 120 timings each compared as distributions),
#     routes with it as a stop and by its district, coverage, suggestions
#     and tiles before and after protection, error sentences: no trace.
# Skips (77) when curl, jq or sqlite3 is missing.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
. "$(dirname "$0")/lib.sh"
tl_need curl jq sqlite3

tl_scratch
DB=$T/demo.db
tl_demo_db "$DB"
add() { "$BIN" --db "$DB" user add "$@" 2>"$T/add.err"; }
q() { sqlite3 "$DB" "$1"; }
state() { q "SELECT COUNT(*), COALESCE(group_concat(ext_id || agency || basis || reason || COALESCE(until_date, '')), '') FROM household_shares; SELECT group_concat(ext_id) FROM households WHERE protected = 1"; }

# ---- the households of each kind (from the demo data, by query) ----
pick() { q "SELECT ext_id FROM households WHERE $1 ORDER BY id LIMIT 1 OFFSET ${2:-0}"; }
OWN=$(pick "agency = '包括A' AND consent = 1")
OWN_NC=$(pick "agency = '包括A' AND consent = 0")
PROT_OWN=$(pick "agency = '包括A' AND consent = 1" 1)
SC=$(pick "agency = '社協' AND consent = 1")
SM=$(pick "agency = '社協' AND consent = 0")
EXP=$(pick "agency = '社協' AND consent = 1" 1)
CW=$(pick "agency = '社協' AND consent = 1" 2)
UN=$(pick "agency = '社協' AND consent = 1" 3)
PROT=$(pick "agency = '社協' AND consent = 1" 4)
COM=$(pick "agency = '社協' AND consent = 1" 5)
MISSING=H0999
check "households of every kind found ($OWN $OWN_NC $PROT_OWN $SC $SM $EXP $CW $UN $PROT $COM)" \
  test "$(printf '%s\n' "$OWN" "$OWN_NC" "$PROT_OWN" "$SC" "$SM" "$EXP" "$CW" "$UN" "$PROT" "$COM" | sort -u | grep -c .)" = 10

# ---- the command line: shares and their rules ----
sh_() { "$BIN" --db "$DB" households "$@" >"$T/out" 2>"$T/err"; }
sh_ share "$SC" --agency 包括A --basis consent --reason "本人同意 2026-11-20"
check "share by consent of a household that consented (exit 0)" grep -q "shared with 包括A (consent) as share" "$T/out"
sh_ share "$SM" --agency 包括A --basis meeting --reason "支援会議 2026-12-01"
check "share by a support meeting without consent (exit 0)" test $? -eq 0
sh_ share "$EXP" --agency 包括A --basis meeting --reason "支援会議 2026-10-01" --until 2099-12-31
sh_ share "$CW" --agency 包括A --basis consent --reason "本人同意"
sh_ share "$PROT" --agency 包括A --basis meeting --reason "支援会議"
sh_ share "$COM" --agency 民生委員 --basis meeting --reason "支援会議 民生委員と共有"
check "shares are listed with basis, days and state" \
  bash -c "'$BIN' --db '$DB' households shares '$SC' | grep -q '包括A.*consent.*active.*本人同意 2026-11-20'"
before=$(state)
refuse() { # refuse TEXT EXIT PATTERN ARGS...: exit and sentence, database unchanged
  local what=$1 want=$2 pat=$3; shift 3
  "$BIN" --db "$DB" households "$@" >"$T/out" 2>"$T/err"; local rc=$?
  check "refused: $what (exit $rc, $(head -c 150 "$T/err"))" \
    bash -c "[ $rc = $want ] && [ \$(wc -l <'$T/err') = 1 ] && grep -q -- '$pat' '$T/err' && [ ! -s '$T/out' ] && [ \"\$(sqlite3 '$DB' \"SELECT COUNT(*), COALESCE(group_concat(ext_id || agency || basis || reason || COALESCE(until_date, '')), '') FROM household_shares; SELECT group_concat(ext_id) FROM households WHERE protected = 1\")\" = '$before' ]"
}
refuse "share by consent without consent" 2 "has not consented" share "$OWN_NC" --agency 社協 --basis consent --reason x
refuse "an unknown basis" 2 "--basis must be" share "$OWN" --agency 社協 --basis hearsay --reason x
refuse "no reason" 2 "--reason takes" share "$OWN" --agency 社協 --basis meeting --reason ""
refuse "a reason of 201 bytes" 2 "--reason takes" share "$OWN" --agency 社協 --basis meeting --reason "$(printf 'x%.0s' $(seq 201))"
refuse "a reason that is not UTF-8" 2 "--reason takes" share "$OWN" --agency 社協 --basis meeting --reason $'\xff\xfe'
refuse "an until in the past" 2 "in the past" share "$OWN" --agency 社協 --basis meeting --reason x --until 2020-01-01
refuse "an until that is not a date" 2 "YYYY-MM-DD" share "$OWN" --agency 社協 --basis meeting --reason x --until 2026-02-30
refuse "a share to the holding agency" 2 "held by 包括A already" share "$OWN" --agency 包括A --basis meeting --reason x
refuse "a missing household (the id is not repeated)" 3 "no household with this id" share "$MISSING" --agency 社協 --basis meeting --reason x
refuse "unsharing what is not shared" 3 "not shared with" unshare "$OWN" --agency 社協
refuse "unprotecting what is not protected" 2 "not protected" unprotect "$OWN"
check "no refusal names a household id" bash -c "! grep -q -E 'H0[0-9]{3}' '$T/err'"

# Time passes and consent changes (as a re-import would): the share to
# 包括A of $EXP ended yesterday, $CW's household withdrew its consent.
q "UPDATE household_shares SET until_date = date('now', '-1 day') WHERE ext_id = '$EXP'; UPDATE households SET consent = 0 WHERE ext_id = '$CW'"

# Protection: protecting removes the shares; sharing it is refused after.
sh_ protect "$PROT"
check "protect removes the household's shares" grep -q "protected; 1 share(s) removed" "$T/out"
sh_ protect "$PROT_OWN"
before=$(state)
refuse "a share of a protected household" 2 "never shared" share "$PROT" --agency 包括A --basis meeting --reason x
refuse "protecting twice" 2 "protected already" protect "$PROT"

# ---- import: the protected column, --protected-field, re-import ----
printf 'id,lon,lat,members,needs,consent,agency,protected\nH9001,136.95,34.95,1,DV,no,包括B,yes\nH9002,136.951,34.951,2,孤立,yes,包括B,no\nH9003,136.952,34.952,1,孤立,yes,包括B,\n' >"$T/p.csv"
"$BIN" --db "$DB" import households "$T/p.csv" >"$T/out" 2>&1
check "import recognises protected (yes, no, empty = no)" test "$(q "SELECT group_concat(ext_id || ':' || protected) FROM households WHERE ext_id > 'H9000'")" = "H9001:1,H9002:0,H9003:0"
printf 'id,lon,lat,members,needs,consent,agency,支援\nH9101,136.95,34.95,1,DV,no,包括B,あり\n' >"$T/p2.csv"
"$BIN" --db "$DB" import households "$T/p2.csv" >"$T/out" 2>&1
"$BIN" --db "$DB" import households "$T/p2.csv" --protected-field 支援 >"$T/out" 2>&1
check "--protected-field names the column" test "$(q "SELECT protected FROM households WHERE ext_id = 'H9101'")" = 1
printf 'id,lon,lat,members,needs,consent,agency,protected\nH9201,136.95,34.95,1,DV,no,包括B,maybe\n' >"$T/p3.csv"
n0=$(q "SELECT COUNT(*) FROM households")
"$BIN" --db "$DB" import households "$T/p3.csv" >"$T/out" 2>"$T/err"; rc=$?
check "a protected value that is not yes/no is refused, naming line and column ($(cat "$T/err"))" \
  bash -c "[ $rc = 2 ] && grep -q 'line 2.*protected must be yes or no' '$T/err' && ! grep -q maybe '$T/err' && [ \$(sqlite3 '$DB' 'SELECT COUNT(*) FROM households') = $n0 ]"
"$BIN" --db "$DB" households protect H9002 >/dev/null 2>&1
"$BIN" --db "$DB" households share H9003 --agency 社協 --basis consent --reason "本人同意" >/dev/null 2>&1
"$BIN" --db "$DB" import households "$T/p.csv" >"$T/out" 2>&1
check "a re-import keeps a protection set later and the shares (never guessed: none new)" \
  test "$(q "SELECT group_concat(ext_id || ':' || protected) FROM households WHERE ext_id > 'H9000' AND ext_id < 'H9100'"),$(q "SELECT group_concat(ext_id || agency) FROM household_shares WHERE ext_id > 'H9000'")" = "H9001:1,H9002:1,H9003:0,H9003社協"
check "import guesses no share" test "$(q "SELECT COUNT(*) FROM household_shares WHERE ext_id IN ('H9001', 'H9002', 'H9101')")" = 0

# ---- users ----
COA=$(add tanaka --role coordinator --agency 包括A)
COS=$(add kato --role coordinator --agency 社協)
OUTA=$(add suzuki --role outreach --agency 包括A)
OFF=$(add sato --role official)
ADM=$(add admin1 --role admin)
add bad --role commissioner >/dev/null; rc=$?
check "a commissioner without --district is refused" bash -c "[ $rc = 2 ] && grep -q 'commissioner needs --district' '$T/add.err'"
add bad --role commissioner --district elementary:E01 --agency 民生委員 >/dev/null; rc=$?
check "a commissioner with --agency is refused" test "$rc" = 2

# ---- the server ----
"$BIN" --db "$DB" serve --port 0 --threads 2 >"$T/srv.out" 2>"$T/srv.err" &
SRV=$!
PORT=$(tl_port "$T/srv.out" "$SRV")
if [ -z "$PORT" ]; then echo "FAIL - the server did not start:"; cat "$T/srv.err"; exit 1; fi
B=http://127.0.0.1:$PORT
req() { # req TOKEN METHOD PATH [BODY]: status; body in $T/body
  local tok=$1 method=$2 path=$3 body=${4:-}
  local args=(-s --max-time 120 -o "$T/body" -w '%{http_code}' -X "$method")
  [ "$tok" != - ] && args+=(-H "Authorization: Bearer $tok")
  [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
  rm -f "$T/body"; curl "${args[@]}" "$B$path"
}
dist() { # the elementary district of household $1 as its holder sees it
  local tok=$2; req "$tok" GET "/api/households/$1" >/dev/null; jq -r .district "$T/body"; }
# The districts of the protected household and of the commissioners' one.
q "UPDATE households SET protected = 0 WHERE ext_id = '$PROT'"
DPROT=$(dist "$PROT" "$COS")
q "UPDATE households SET protected = 1 WHERE ext_id = '$PROT'"
DCOM=$(dist "$COM" "$COS")
OUTD=$(add ito --role outreach --district "elementary:$DPROT")
COMM=$(add yamada --role commissioner --district "elementary:$DCOM")
COMP=$(add mori --role commissioner --district "elementary:$DPROT")
check "districts found ($DPROT, $DCOM)" test -n "$DPROT" -a "$DPROT" != null -a -n "$DCOM" -a "$DCOM" != null
UN_D=$(dist "$UN" "$COS")

# ---- each role against each kind of household: /api/households/{id} ----
KINDS=(OWN SC SM EXP CW UN PROT PROT_OWN COM MISSING)
declare -A WANT=(
  [COA]="200 200 200 404 404 404 404 200 404 404"
  [COS]="404 200 200 200 200 200 200 404 200 404"
  [COMM]="404 404 404 404 404 404 404 404 200 404"
  [OFF]="403 403 403 403 403 403 403 403 403 403"
  [ADM]="403 403 403 403 403 403 403 403 403 403"
  [OUTA]="403 403 403 403 403 403 403 403 403 403"
)
for role in COA COS COMM OFF ADM OUTA; do
  got=
  for k in "${KINDS[@]}"; do got="$got $(req "${!role}" GET "/api/households/${!k}")"; done
  check "$role by id: ${KINDS[*]} -> ${got# }" test "${got# }" = "${WANT[$role]}"
done
# Outreach sees households only through routes: a route of one stop.
S='"start":{"lon":136.9490202,"lat":34.945617}'
declare -A RWANT=(
  [OUTA]="200 200 200 404 404 404 404 200 404 404"
  [COA]="200 200 200 404 404 404 404 200 404 404"
  [COMM]="404 404 404 404 404 404 404 404 200 404"
)
for role in OUTA COA COMM; do
  got=
  for k in "${KINDS[@]}"; do got="$got $(req "${!role}" POST /api/route "{$S,\"households\":[\"${!k}\"]}")"; done
  check "$role route of one stop: ${KINDS[*]} -> ${got# }" test "${got# }" = "${RWANT[$role]}"
done
code=$(req "$OUTD" POST /api/route "{$S,\"households\":[\"$UN\"]}")
check "outreach of a district: an unprotected household there is a stop ($UN in $UN_D: $code)" \
  bash -c "[ '$UN_D' != '$DPROT' ] || [ $code = 200 ]"

# ---- lists: own and shared, least detail for the commissioner ----
req "$COA" GET /api/households >/dev/null
jq -r '.households[].id' "$T/body" | sort >"$T/coa_list"
check "coordinator 包括A's list: held (protected own too) and actively shared, nothing else" \
  bash -c "grep -qx '$OWN' '$T/coa_list' && grep -qx '$PROT_OWN' '$T/coa_list' && grep -qx '$SC' '$T/coa_list' && grep -qx '$SM' '$T/coa_list' &&
    ! grep -q -x -e '$EXP' -e '$CW' -e '$UN' -e '$PROT' -e '$COM' '$T/coa_list' &&
    [ \$(wc -l <'$T/coa_list') = \$((\$(sqlite3 '$DB' \"SELECT COUNT(*) FROM households WHERE agency = '包括A'\") + 2)) ]"
req "$COMM" GET /api/households >/dev/null
check "commissioner's list: the households of its district shared with 民生委員, id/district/needs only" \
  test "$(jq -c '[.households[] | keys] | unique' "$T/body"),$(jq -r '[.households[].id] | join(" ")' "$T/body")" = '[["district","id","needs"]],'"$COM"
req "$COMP" GET /api/households >/dev/null
check "a commissioner of another district sees none of them" \
  bash -c "[ '$DPROT' = '$DCOM' ] || [ \"\$(jq '.households | length' '$T/body')\" = 0 ]"

# ---- the audit log names the share each read used ----
req "$COA" GET "/api/households/$SC" >/dev/null
"$BIN" --db "$DB" audit --since 2000-01-01 --json >"$T/audit.json"
SCID=$(q "SELECT id FROM household_shares WHERE ext_id = '$SC' AND agency = '包括A'")
check "audit: a read through a share names it (share $SCID (consent, 包括A))" \
  test "$(jq -r '.[-1] | [.user, .ids[0], .via[0]] | join("|")' "$T/audit.json")" = "tanaka|$SC|share $SCID (consent, 包括A)"
check "audit: a list names, per household, held or the share" \
  bash -c "jq -e '[.[] | select(.user == \"tanaka\" and .endpoint == \"/api/households\")][0] as \$r |
    ([\$r.ids, \$r.via] | transpose | map(select(.[0] == \"$OWN\"))[0][1]) == \"held\" and
    ([\$r.ids, \$r.via] | transpose | map(select(.[0] == \"$SM\"))[0][1] | startswith(\"share \"))' '$T/audit.json' >/dev/null"
check "audit: the commissioner's read names the 民生委員 share" \
  bash -c "jq -e '[.[] | select(.user == \"yamada\")][0].via[0] | test(\"^share [0-9]+ \\\\(meeting, 民生委員\\\\)\$\")' '$T/audit.json' >/dev/null"
check "audit: the chain still verifies with via" bash -c "'$BIN' --db '$DB' audit --verify >/dev/null"

# ---- the API: who may share ----
body='{"agency":"社協","basis":"meeting","reason":"支援会議 2026-12-07"}'
check "anonymous may not share (401)" test "$(req - POST "/api/households/$OWN/shares" "$body")" = 401
check "an official may not share (403)" test "$(req "$OFF" POST "/api/households/$OWN/shares" "$body")" = 403
check "an outreach worker may not share (403)" test "$(req "$OUTA" POST "/api/households/$OWN/shares" "$body")" = 403
check "a commissioner may not share (403)" test "$(req "$COMM" POST "/api/households/$OWN/shares" "$body")" = 403
code=$(req "$COA" POST "/api/households/$OWN/shares" "$body")
check "the holding agency's coordinator shares its household (201)" \
  test "$code,$(jq -r .agency "$T/body")" = "201,社協"
check "... and 社協's coordinator sees it at once" test "$(req "$COS" GET "/api/households/$OWN")" = 200
before=$(state)
apirefuse() { # apirefuse TEXT STATUS PATTERN TOKEN METHOD PATH BODY
  local what=$1 want=$2 pat=$3; shift 3
  local code; code=$(req "$@")
  check "API refuses: $what ($code $(head -c 150 "$T/body"))" \
    bash -c "[ $code = $want ] && jq -e '.error | test(\"$pat\")' '$T/body' >/dev/null && [ \"\$(sqlite3 '$DB' \"SELECT COUNT(*), COALESCE(group_concat(ext_id || agency || basis || reason || COALESCE(until_date, '')), '') FROM household_shares; SELECT group_concat(ext_id) FROM households WHERE protected = 1\")\" = '$before' ]"
}
apirefuse "a share of a household another agency holds (as if missing)" 404 "no household with this id held by 包括A" "$COA" POST "/api/households/$SC/shares" "$body"
apirefuse "a share by consent without consent" 403 "has not consented" "$COA" POST "/api/households/$OWN_NC/shares" '{"agency":"社協","basis":"consent","reason":"x"}'
apirefuse "a share of a protected household, to its holder" 400 "never shared" "$COS" POST "/api/households/$PROT/shares" '{"agency":"包括A","basis":"meeting","reason":"x"}'
apirefuse "a share of a protected household, to an admin" 400 "never shared" "$ADM" POST "/api/households/$PROT/shares" '{"agency":"包括A","basis":"meeting","reason":"x"}'
apirefuse "an unknown member" 400 "unknown member" "$COA" POST "/api/households/$OWN/shares" '{"agency":"社協","basis":"meeting","reason":"x","by":"me"}'
apirefuse "a basis that is not a string" 400 "basis must be a string" "$COA" POST "/api/households/$OWN/shares" '{"agency":"社協","basis":1,"reason":"x"}'
apirefuse "a body that is not JSON" 400 "JSON object" "$COA" POST "/api/households/$OWN/shares" 'agency=社協'
apirefuse "protection not a boolean" 400 "true or false" "$COA" POST "/api/households/$OWN/protection" '{"protected":"yes"}'
apirefuse "another agency protecting a household" 404 "no household with this id held by 包括A" "$COA" POST "/api/households/$SC/protection" '{"protected":true}'
code=$(req "$COA" POST "/api/households/$OWN/unshare" '{"agency":"社協"}')
check "the holder unshares (200) and 社協 no longer sees it" test "$code,$(req "$COS" GET "/api/households/$OWN")" = "200,404"
code=$(req "$ADM" POST "/api/households/$UN/shares" '{"agency":"包括B","basis":"referral","reason":"紹介","until":"2099-01-01"}')
check "an admin shares any household (201)" test "$code" = 201
check "the holder lists its shares" \
  bash -c "[ \$(curl -s -H 'Authorization: Bearer $COS' '$B/api/households/$UN/shares' | jq -r '.shares[0] | [.agency, .basis, .until, .active] | join(\",\")') = '包括B,referral,2099-01-01,true' ]"

# ==== the attacker: a protected household leaves no trace ====
# Attackers: 包括A's coordinator and outreach, the outreach worker and the
# commissioner of the protected household's district.
NEEDS=$(q "SELECT needs FROM households WHERE ext_id = '$PROT'" | tr ';' ' ')
trace=0
: >"$T/attack"
for role in COA COMP; do
  req "${!role}" GET /api/households >/dev/null; cat "$T/body" >>"$T/attack"
  for n in $NEEDS; do req "${!role}" GET "/api/households?need=$n" >/dev/null; cat "$T/body" >>"$T/attack"; done
  for l in elementary junior_high; do req "${!role}" GET "/api/households?level=$l" >/dev/null; cat "$T/body" >>"$T/attack"; done
done
check "lists (every need, every level) never name it" bash -c "! grep -q '\"$PROT\"' '$T/attack'"

# By id, and the share endpoints: the very answer a missing id gets.
same() { # same TOKEN METHOD PATH_WITH_@ BODY: the answers for $PROT and $MISSING agree
  local c1 c2 b1 b2
  c1=$(req "$1" "$2" "${3//@/$PROT}" "${4:-}"); b1=$(cat "$T/body")
  c2=$(req "$1" "$2" "${3//@/$MISSING}" "${4:-}"); b2=$(cat "$T/body")
  [ "$c1" = "$c2" ] && [ "$b1" = "$b2" ] && [[ $c1 == 4* ]]
}
for role in COA COMP OUTA OUTD; do
  for p in "GET /api/households/@" "GET /api/households/@/shares" "POST /api/households/@/shares $body" \
           "POST /api/households/@/unshare {\"agency\":\"包括A\"}" "POST /api/households/@/protection {\"protected\":false}"; do
    read -r m path b <<<"$p"
    check "$role $m $path: the same status and sentence as a missing id" same "${!role}" "$m" "$path" "${b:-}"
  done
done
check "error sentences never name it" bash -c "! grep -q '$PROT' '$T/body'"

# Routes: as a stop, with others, and by its district.
for role in COA OUTA OUTD; do
  check "$role route [protected] answers as [missing]" same "${!role}" POST /api/route "{$S,\"households\":[\"@\"]}"
  check "$role route [own, protected] answers as [own, missing]" same "${!role}" POST /api/route "{$S,\"households\":[\"$OWN\",\"@\"]}"
done
req "$OUTD" POST /api/route "{$S,\"households\":[\"$PROT\",\"$MISSING\"]}" >/dev/null
check "the count of ids not known treats it as missing" \
  bash -c "jq -e '.error == \"2 of the requested households are not known\"' '$T/body' >/dev/null"
: >"$T/routes"
for n in "" $NEEDS; do
  req "$OUTD" POST /api/route "{$S,\"district\":\"$DPROT\"${n:+,\"need\":\"$n\"}}" >/dev/null; cat "$T/body" >>"$T/routes"
done
check "routes by its district (every need) never stop there" bash -c "! grep -q '\"$PROT\"' '$T/routes' && grep -q days '$T/routes'"

# Timing: existing protected vs missing ids, 120 each, interleaved; the two
# distributions compared (medians, and a Mann-Whitney rank test).
# One curl sends the 240 requests in this order (a config file, one
# transfer each) instead of a curl process per request.
: >"$T/times.conf"; : >"$T/times.kind"
for i in $(seq 1 120); do
  printf -v miss 'H%04d' $((900 + i % 90))
  for id in "$PROT" "$miss"; do
    [ -s "$T/times.conf" ] && echo next >>"$T/times.conf"
    printf 'url = "%s"\noutput = "/dev/null"\nheader = "Authorization: Bearer %s"\nwrite-out = "%%{time_total}\\n"\n' \
      "$B/api/households/$id" "$COA" >>"$T/times.conf"
    [ "$id" = "$PROT" ] && echo p >>"$T/times.kind" || echo m >>"$T/times.kind"
  done
done
curl -s -K "$T/times.conf" | paste -d' ' "$T/times.kind" - >"$T/times"
read -r mp mm z < <(sort -k2 -g "$T/times" | awk '
  { n++; g[n] = $1; v[n] = $2 }
  END {
    # ranks with ties averaged
    i = 1
    while (i <= n) { j = i; while (j < n && v[j + 1] == v[i]) j++; for (k = i; k <= j; k++) r[k] = (i + j) / 2; i = j + 1 }
    for (k = 1; k <= n; k++) if (g[k] == "p") { np++; rp += r[k]; P[np] = v[k] } else { nm++; M[nm] = v[k] }
    u = rp - np * (np + 1) / 2; mu = np * nm / 2; sd = sqrt(np * nm * (n + 1) / 12)
    printf "%.3f %.3f %.2f\n", P[int((np + 1) / 2)] * 1000, M[int((nm + 1) / 2)] * 1000, (u - mu) / sd }')
check "timing: protected and missing ids answer alike (median $mp ms vs $mm ms, rank test z = $z over 120 each)" \
  awk -v a="$mp" -v b="$mm" -v z="$z" 'BEGIN { d = a - b; if (d < 0) d = -d; if (z < 0) z = -z
    exit !(d < 0.5 + 0.5 * (a > b ? a : b) && z < 5) }'

# Aggregates: coverage, suggestions and coverage tiles for an official are
# the same whether the household is protected or not (it is counted, with
# small counts hidden as always; protection itself leaves no mark).
read -r TX TY < <(awk 'BEGIN { pi = 3.141592653589793; z = 14; n = 2 ^ z;
  printf "%d %d\n", (136.95 + 180) / 360 * n, (1 - log(sin(34.95 * pi / 180) / cos(34.95 * pi / 180) + 1 / cos(34.95 * pi / 180)) / pi) / 2 * n }')
AGG=()
for k in consultation salon; do for m in 5 10 20 30; do for l in elementary junior_high; do
  AGG+=("/api/coverage?kind=$k&minutes=$m&level=$l"); done; done; done
for m in 10 30; do AGG+=("/api/suggest?kind=consultation&minutes=$m&sites=3&candidates=candidate"); done
for z in 13 14; do AGG+=("/tiles/coverage/14/$TX/$TY.mvt"); done
aggs() { for p in "${AGG[@]}"; do req "$OFF" GET "$p" >/dev/null; sha256sum <"$T/body" | cut -c1-16; done; }
aggs >"$T/agg_protected"
"$BIN" --db "$DB" households unprotect "$PROT" >/dev/null 2>&1
aggs >"$T/agg_open"
"$BIN" --db "$DB" households protect "$PROT" >/dev/null 2>&1
check "coverage, suggestions and tiles (${#AGG[@]} answers) are the same protected or not" \
  cmp -s "$T/agg_protected" "$T/agg_open"
check "the aggregates came back (not errors)" bash -c "[ \$(sort -u '$T/agg_open' | wc -l) -gt 5 ]"
for role in COA OUTA OUTD COMP; do
  check "$role: no coverage, suggestion or coverage tile at all (403)" \
    test "$(req "${!role}" GET "${AGG[0]}"),$(req "${!role}" GET "/tiles/coverage/14/$TX/$TY.mvt")" = "403,403"
done
check "the holder's coordinator sees it" test "$(req "$COS" GET "/api/households/$PROT")" = 200
check "no attacker's audit record names it as read" \
  bash -c "'$BIN' --db '$DB' audit --since 2000-01-01 --json | jq -e '[.[] | select(.user != \"kato\" and .role != \"operator\" and .endpoint != \"/api/households/{}/shares\" and .endpoint != \"/api/households/{}/unshare\" and .endpoint != \"/api/households/{}/protection\" and (.ids | index(\"$PROT\")))] | length == 0' >/dev/null"
check "the server log holds no household id" bash -c "! grep -q -E 'H0[0-9]{3}' '$T/srv.err'"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
