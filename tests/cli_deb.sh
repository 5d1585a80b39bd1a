#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_deb.sh - the Debian package (issue 16), made by `cpack -G DEB` from
# this build tree (packaging/deb):
#   - dpkg-deb -I: Depends from dpkg-shlibdeps (libmicrohttpd12,
#     libspatialite7, ...) plus adduser; /etc/tsunagu/tsunagu.conf a conffile;
#     the maintainer scripts are there;
#   - dpkg-deb -c: the program, the unit, the configuration, the page, the
#     compressed man page, copyright generated from NOTICE (checked);
#   - lintian reports no error and no warning;
#   - unpacked into a scratch root: the shipped configuration parses and,
#     with the database and port given on the command line (which override
#     it), the unpacked program serves its unpacked page;
#   - systemd-analyze verifies the unit and rates its sandbox (exposure
#     below 2.0 of 10) offline against the scratch root;
#   - with CI=true or TSUNAGU_FULL=1 and root: `apt-get install ./tsunagu.deb`
#     for real (the tsunagu user, /var/lib/tsunagu owned by it, the
#     configuration readable by its group), the service's command run as
#     that user on a database in /var/lib/tsunagu answering a request, then
#     `apt-get purge` leaving the data. Without systemd as PID 1 the unit is
#     verified, not started.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=$(dirname "$BIN")
. "$(dirname "$0")/lib.sh"
tl_scratch
tl_need cpack dpkg-deb dpkg-shlibdeps curl

if (cd "$BUILD" && cpack -G DEB -B "$T/pkg") >"$T/cpack.out" 2>&1; then ok "cpack -G DEB builds the package"
else bad "cpack: $(tail -3 "$T/cpack.out")"; echo "$passes passed, $fails failed"; exit 1; fi
DEB=$(ls "$T"/pkg/tsunagu_*.deb)
info=$(dpkg-deb -I "$DEB")
depends=$(dpkg-deb -f "$DEB" Depends)
for lib in libmicrohttpd12 libspatialite7 libsqlite3-0 libgdal32 libproj25 libjansson4 libnettle8 adduser; do
  check "Depends names $lib" grep -q "$lib" <<<"$depends"
done
check "the configuration is a conffile" grep -qx "/etc/tsunagu/tsunagu.conf" <<<"$(dpkg-deb --ctrl-tarfile "$DEB" | tar -xO ./conffiles)"
for s in postinst prerm postrm; do check "the package has its $s" grep -q " $s " <<<"$info"; done
files=$(dpkg-deb -c "$DEB" | awk '{print $6}')
for f in ./usr/bin/tsunagu ./etc/tsunagu/tsunagu.conf ./lib/systemd/system/tsunagu.service \
  ./lib/systemd/system/tsunagu@.service \
  ./usr/share/tsunagu/web/index.html ./usr/share/tsunagu/web/node_modules/maplibre-gl/dist/maplibre-gl.mjs \
  ./usr/share/tsunagu/data/town_network.geojson ./usr/share/doc/tsunagu/copyright \
  ./usr/share/doc/tsunagu/changelog.Debian.gz ./usr/share/man/man1/tsunagu.1.gz; do
  check "the package holds $f" grep -qx "$f" <<<"$files"
done

R=$T/root
mkdir -p "$R" && dpkg-deb -x "$DEB" "$R"
C=$R/usr/share/doc/tsunagu/copyright
check "copyright is machine-readable (format 1.0)" grep -q '^Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' "$C"
check "copyright carries NOTICE (MapLibre GL JS and its licence)" grep -q 'MapLibre GL JS' "$C"
check "copyright gives the MIT licence text" grep -q 'Permission is hereby granted' "$C"

if command -v lintian >/dev/null 2>&1; then
  if lintian --fail-on error,warning "$DEB" >"$T/lintian.out" 2>&1; then ok "lintian: no error, no warning"
  else bad "lintian: $(grep -E '^(E|W):' "$T/lintian.out" | head -5)"; fi
else
  echo "SKIP (counted as neither): lintian is not installed (bash .ci/install installs it)"
fi

# The unpacked program with the shipped configuration.
tl_demo_db "$T/demo.db"
echo "<!-- unpacked-package-mark -->" >>"$R/usr/share/tsunagu/web/index.html"
(cd "$T" && exec env -u TSUNAGU_WEB -u TSUNAGU_DB "$R/usr/bin/tsunagu" --db "$T/demo.db" serve \
  --config "$R/etc/tsunagu/tsunagu.conf" --port 0 --threads 2 >"$T/srv.out" 2>"$T/srv.err") &
SRV=$!
PORT=$(tl_port "$T/srv.out" "$SRV")
if [ -n "$PORT" ]; then
  ok "the unpacked program starts with the shipped /etc/tsunagu/tsunagu.conf"
  check "it serves its unpacked page" grep -q unpacked-package-mark <<<"$(curl -fsS "http://127.0.0.1:$PORT/")"
  check "it answers the API" curl -fsS -o /dev/null "http://127.0.0.1:$PORT/api/meta"
  kill -TERM "$SRV"; wait "$SRV"; SRV=
else
  bad "the unpacked program did not start: $(cat "$T/srv.err")"
fi

if command -v systemd-analyze >/dev/null 2>&1; then
  U=/lib/systemd/system/tsunagu.service
  if systemd-analyze verify --man=no --recursive-errors=no --root="$R" "$U" >"$T/verify.out" 2>&1; then
    ok "systemd-analyze verify accepts the unit"
  else bad "systemd-analyze verify: $(head -3 "$T/verify.out")"; fi
  # The per-municipality template, as the instance tsunagu@demo.
  cp "$R/lib/systemd/system/tsunagu@.service" "$R/lib/systemd/system/tsunagu@demo.service"
  if systemd-analyze verify --man=no --recursive-errors=no --root="$R" /lib/systemd/system/tsunagu@demo.service \
    >"$T/verify2.out" 2>&1; then ok "systemd-analyze verify accepts tsunagu@demo.service"
  else bad "systemd-analyze verify tsunagu@: $(head -3 "$T/verify2.out")"; fi
  systemd-analyze security --offline=true --root="$R" "$U" >"$T/security.out" 2>&1
  score=$(sed -n 's/.*Overall exposure level for tsunagu.service: \([0-9.]*\).*/\1/p' "$T/security.out")
  check "the sandbox's exposure is below 2.0 (systemd-analyze security: ${score:-none})" \
    awk -v s="${score:-99}" 'BEGIN { exit !(s < 2.0) }'
  for d in "ProtectSystem=strict" "NoNewPrivileges=yes" "PrivateTmp=yes" "ReadWritePaths=/var/lib/tsunagu" \
    "CapabilityBoundingSet=" "User=tsunagu" "Restart=on-failure"; do
    check "the unit sets $d" grep -qx "$d" "$R$U"
  done
else
  echo "SKIP (counted as neither): systemd-analyze is not installed"
fi

if { [ "${CI:-}" = true ] || [ "${TSUNAGU_FULL:-0}" = 1 ]; } && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$DEB" >"$T/apt.out" 2>&1; then
    ok "apt-get install ./tsunagu.deb"
    check "the system user tsunagu exists" getent passwd tsunagu
    check "/var/lib/tsunagu belongs to tsunagu, mode 750" test "$(stat -c '%U %a' /var/lib/tsunagu)" = "tsunagu 750"
    check "/etc/tsunagu/tsunagu.conf is root:tsunagu 640" test "$(stat -c '%U:%G %a' /etc/tsunagu/tsunagu.conf)" = "root:tsunagu 640"
    cp "$T/demo.db" /var/lib/tsunagu/tsunagu.db && chown tsunagu:tsunagu /var/lib/tsunagu/tsunagu.db
    (cd / && exec runuser -u tsunagu -- /usr/bin/tsunagu serve --config /etc/tsunagu/tsunagu.conf --port 0 \
      >"$T/sys.out" 2>"$T/sys.err") &
    SRV=$!
    PORT=$(tl_port "$T/sys.out" "$SRV")
    check "the service's command, as user tsunagu, serves /var/lib/tsunagu/tsunagu.db" \
      curl -fsS -o /dev/null "http://127.0.0.1:${PORT:-1}/api/meta"
    kill -TERM "$SRV" 2>/dev/null; wait "$SRV"; SRV=
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq tsunagu >"$T/purge.out" 2>&1
    check "apt-get purge removes the program" test ! -e /usr/bin/tsunagu
    check "purge leaves the municipality's database" test -s /var/lib/tsunagu/tsunagu.db
    rm -f /var/lib/tsunagu/tsunagu.db*
    rmdir /var/lib/tsunagu 2>/dev/null
  else
    bad "apt-get install: $(tail -3 "$T/apt.out")"
  fi
else
  echo "SKIP (counted as neither): the real apt-get install runs as root with CI=true or TSUNAGU_FULL=1"
fi

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
