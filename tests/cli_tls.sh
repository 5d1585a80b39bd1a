#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_tls.sh - HTTPS through libmicrohttpd's GnuTLS support (issue 16):
#   - with a self-signed certificate made here by openssl, `serve --tls-cert
#     --tls-key` answers the API and the page over HTTPS that curl verifies
#     with --cacert, and says https:// in its first line; plain HTTP to that
#     port gets no answer;
#   - refused at start (exit 2, one sentence): only one of the two files, a
#     file that is not PEM, a key that does not match the certificate;
#   - plain HTTP on an address other than loopback is refused unless
#     --insecure-http; with TLS it is allowed; loopback (the demo) stays HTTP.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
. "$(dirname "$0")/lib.sh"
tl_scratch
tl_need curl openssl
tl_demo_db "$T/demo.db"
export TSUNAGU_WEB=$SRC/web

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1" -keyout "$T/key.pem" -out "$T/cert.pem" >/dev/null 2>&1
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=other" \
  -keyout "$T/other.key" -out "$T/other.pem" >/dev/null 2>&1
check "openssl made a self-signed test certificate" test -s "$T/cert.pem" -a -s "$T/key.pem"

"$BIN" --db "$T/demo.db" serve --port 0 --threads 2 --tls-cert "$T/cert.pem" --tls-key "$T/key.pem" \
  >"$T/srv.out" 2>"$T/srv.err" &
SRV=$!
PORT=$(tl_port "$T/srv.out" "$SRV")
if [ -n "$PORT" ]; then
  ok "serve --tls-cert --tls-key starts and prints an https:// address"
  check "the API answers over HTTPS, verified with --cacert" \
    curl -fsS --cacert "$T/cert.pem" -o "$T/meta.json" "https://127.0.0.1:$PORT/api/meta"
  check "the answer is the service's metadata" grep -q '"srid"' "$T/meta.json"
  check "the page is served over HTTPS" \
    grep -q "<html" <<<"$(curl -fsS --cacert "$T/cert.pem" "https://127.0.0.1:$PORT/")"
  check "curl without the certificate refuses the server (self-signed)" \
    test -z "$(curl -fsS "https://127.0.0.1:$PORT/api/meta" 2>/dev/null)"
  check "plain HTTP to the HTTPS port gets no HTTP answer" \
    test -z "$(curl -fsS --max-time 5 "http://127.0.0.1:$PORT/api/meta" 2>/dev/null)"
  kill -TERM "$SRV"; wait "$SRV"; SRV=
else
  bad "the HTTPS server did not start: $(cat "$T/srv.err")"
fi

# refused WHAT ARGS...: serve exits 2 with one sentence (besides the line in
# which libmicrohttpd's own log may give GnuTLS's reason).
refused() {
  local what=$1; shift
  out=$(timeout 20 "$BIN" --db "$T/demo.db" serve --port 0 --threads 1 "$@" 2>&1 </dev/null); rc=$?
  if [ "$rc" -eq 2 ] && [ "$(grep -vc '^tsunagu: http: ' <<<"$out")" -eq 1 ]; then ok "refused: $what ($out)"
  else bad "$what: exit $rc: $out"; fi
}
refused "--tls-cert without --tls-key" --tls-cert "$T/cert.pem"
printf 'not a certificate\n' >"$T/junk.pem"
refused "a certificate file that is not PEM" --tls-cert "$T/junk.pem" --tls-key "$T/key.pem"
refused "a key that does not match the certificate" --tls-cert "$T/cert.pem" --tls-key "$T/other.key"
refused "plain HTTP on 0.0.0.0 without --insecure-http" --bind 0.0.0.0
grep -q -- "--insecure-http" <<<"$out" && ok "the refusal names --tls-cert and --insecure-http" ||
  bad "the refusal does not say what to do: $out"

# started WHAT ADDR ARGS...: serve starts on ADDR (then is stopped).
started() {
  local what=$1 addr=$2 shown=$2; shift 2
  case $addr in *:*) shown="[$addr]" ;; esac
  "$BIN" --db "$T/demo.db" serve --port 0 --threads 1 --bind "$addr" "$@" >"$T/s.out" 2>"$T/s.err" &
  SRV=$!
  if [ -n "$(tl_port "$T/s.out" "$SRV" "$shown")" ]; then ok "started: $what"; else bad "$what: $(cat "$T/s.err")"; fi
  kill -TERM "$SRV" 2>/dev/null; wait "$SRV"; SRV=
}
started "plain HTTP on 0.0.0.0 with --insecure-http" 0.0.0.0 --insecure-http
started "HTTPS on 0.0.0.0" 0.0.0.0 --tls-cert "$T/cert.pem" --tls-key "$T/key.pem"
started "plain HTTP on loopback ::1 (the demo's case)" ::1

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
