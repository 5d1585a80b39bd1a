# SPDX-License-Identifier: MIT
# bench_lib.sh - sourced by the tests/bench_*.sh scripts: builds the
# benchmark programs, installs missing Debian packages and runs a throw-away
# PostgreSQL cluster (for a peer) in a temp dir, TCP on 127.0.0.1 only (on a
# free port), unix socket in the temp dir, as the postgres user when run as
# root.
#
#   bench_build DIR TARGET... configures DIR (RelWithDebInfo) if it is not a
#                             build tree yet, builds the targets there and
#                             sets TSUNAGU to the program in DIR
#   bench_workdir PREFIX      notes the load average in LOAD_START and makes
#                             a temp dir T (PREFIX.XXXXXX) with W=$T/work
#   bench_pg_packages PKG...  apt-get installs the packages not installed yet
#   bench_pg_as CMD...        runs CMD as the cluster's owner
#   bench_pg_start DIR NAME EXT...
#                             initdb in DIR/pgdata, starts the server, creates
#                             the database bench with the extensions EXT...
#                             (CASCADE), sets PGDATA, PORT, PSQL (an array:
#                             psql on bench as postgres, stopping on errors),
#                             PG_VERSION and PGR_VERSION (pgRouting's); NAME
#                             is the script's name for messages
#   bench_pg_stop             stops the server if it runs (for EXIT traps)
# SRC must name the source tree. Besides one progress line each from
# bench_build and bench_pg_start, these functions print only failures.

PGBIN=/usr/lib/postgresql/15/bin
PGDATA=
PORT=

bench_build() {
  local dir=$1
  shift
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    cmake -S "$SRC" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  fi
  printf '== building %s in %s\n' "$*" "$dir" >&2
  cmake --build "$dir" -j2 --target "$@" >/dev/null
  TSUNAGU=$dir/tsunagu
}

bench_workdir() {
  LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
  T=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
  W=$T/work
  mkdir "$W"
}

bench_pg_packages() {
  local need=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
  done
  if [ ${#need[@]} -gt 0 ]; then
    printf '== installing %s\n' "${need[*]}" >&2
    local sudo=
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -q
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
  fi
}

bench_pg_as() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

bench_pg_stop() {
  if [ -n "$PGDATA" ] && [ -f "$PGDATA/postmaster.pid" ]; then
    bench_pg_as "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1 || true
  fi
}

bench_pg_start() {
  local dir=$1 name=$2 try ext
  shift 2
  PGDATA=$dir/pgdata
  [ "$(id -u)" -ne 0 ] || chown postgres "$dir"
  bench_pg_as "$PGBIN/initdb" -D "$PGDATA" -A trust -U postgres -E UTF8 --no-locale \
    >"$dir/initdb.txt"
  for try in $(seq 1 20); do
    PORT=$((20000 + RANDOM % 40000))
    : >"$dir/pg.log"
    [ "$(id -u)" -ne 0 ] || chown postgres "$dir/pg.log"
    if bench_pg_as "$PGBIN/pg_ctl" -D "$PGDATA" -l "$dir/pg.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $dir" start >/dev/null; then
      break
    fi
    if ! grep -q "could not bind\|already in use" "$dir/pg.log" || [ "$try" -eq 20 ]; then
      cat "$dir/pg.log" >&2
      echo "$name: the PostgreSQL cluster did not start" >&2
      exit 1
    fi
  done
  printf '== cluster on 127.0.0.1:%s (socket in %s)\n' "$PORT" "$dir" >&2
  PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$PORT" -U postgres)
  "${PSQL[@]}" -d postgres -c "CREATE DATABASE bench"
  PSQL+=(-d bench)
  for ext in "$@"; do
    "${PSQL[@]}" -c "SET client_min_messages = warning; CREATE EXTENSION $ext CASCADE"
  done
  PG_VERSION=$("${PSQL[@]}" -At -c "SHOW server_version")
  PGR_VERSION=$("${PSQL[@]}" -At -c "SELECT pgr_version()")
}
