#!/usr/bin/env bash
# A real PostgreSQL and a real Chroma server for the server-variant tests
# (tests/servers.py), in a temporary folder, on this machine only:
#
#   eval "$(bash scripts/test-servers.sh start)"   # exports JUESUAN_TEST_DATABASE_URL,
#                                                  # JUESUAN_TEST_CHROMA, JUESUAN_TEST_SERVERS
#   .venv/bin/python -m pytest -q                  # the server tests now run
#   bash scripts/test-servers.sh stop              # stops both, removes the folder
#
# PostgreSQL comes from Debian's package (installed with apt-get when missing
# and run as root), initialised with initdb into the folder and reachable only
# through a Unix socket there: no port to collide with. It refuses to run as
# root, so as root it runs as the package's `postgres` user. Chroma is
# `chroma run` from the chromadb package in .venv, on a free localhost port.
# `start` fails (non-zero, with the server's log, nothing left running) when
# either does not answer. VENV names another virtualenv than .venv.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PY=$VENV/bin/python

log() { echo "test-servers: $*" >&2; }

# Show a log, stop what was started, fail.
fail() {
  cat "$2" >&2 || true
  JUESUAN_TEST_SERVERS=$1 stop
  exit 1
}

pg_bindir() {
  if command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir
    return
  fi
  # Debian installs the server binaries outside PATH, one folder per major version.
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

install_postgres() {
  if [ -n "$(pg_bindir)" ]; then return; fi
  if [ "$(id -u)" != 0 ]; then
    log "PostgreSQL is not installed and only root may install it: apt-get install postgresql"
    exit 1
  fi
  log "installing PostgreSQL from Debian's package"
  # No cluster of its own: the tests initialise theirs.
  mkdir -p /etc/postgresql-common/createcluster.d
  echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.d/juesuan-ci.conf
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2
}

free_port() {
  "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  install_postgres
  local bin dir runas=() port
  bin=$(pg_bindir)
  dir=$(mktemp -d "${TMPDIR:-/tmp}/juesuan-test-servers.XXXXXX")
  chmod 755 "$dir"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    mkdir "$dir/pg"
    chown postgres "$dir/pg"
    runas=(runuser -u postgres --)
  fi
  "${runas[@]}" "$bin/initdb" -D "$dir/pg/data" -U juesuan --auth=trust -E UTF8 \
    --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || fail "$dir" "$dir/initdb.log"
  # Durability is not tested here: no fsync, so CI's writes cost less.
  "${runas[@]}" "$bin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -w -t 60 \
    -o "-c listen_addresses='' -k $dir/pg -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >&2 || fail "$dir" "$dir/pg/server.log"
  local url="postgresql://juesuan@/postgres?host=$dir/pg"
  "$PY" -c 'import sys, psycopg; psycopg.connect(sys.argv[1], connect_timeout=10).close()' "$url" \
    || fail "$dir" "$dir/pg/server.log"
  log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on $dir/pg"

  port=$(free_port)
  setsid "$VENV/bin/chroma" run --path "$dir/chroma" --host 127.0.0.1 --port "$port" \
    >"$dir/chroma.log" 2>&1 </dev/null &
  echo $! >"$dir/chroma.pid"
  if ! "$PY" - "$port" <<'EOF'; then
import sys, time, urllib.request
url = f"http://127.0.0.1:{sys.argv[1]}/api/v2/heartbeat"
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    try:
        urllib.request.urlopen(url, timeout=1).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.3)
sys.exit(1)
EOF
    log "the Chroma server did not answer on port $port within 60 s:"
    fail "$dir" "$dir/chroma.log"
  fi
  log "Chroma server on 127.0.0.1:$port"
  echo "export JUESUAN_TEST_SERVERS='$dir'"
  echo "export JUESUAN_TEST_DATABASE_URL='$url'"
  echo "export JUESUAN_TEST_CHROMA='127.0.0.1:$port'"
}

stop() {
  local dir=${JUESUAN_TEST_SERVERS:?run start first (it exports JUESUAN_TEST_SERVERS)}
  if [ -f "$dir/chroma.pid" ]; then
    kill "$(cat "$dir/chroma.pid")" 2>/dev/null || true
  fi
  if [ -f "$dir/pg/data/postmaster.pid" ]; then
    local runas=()
    [ "$(id -u)" = 0 ] && runas=(runuser -u postgres --)
    "${runas[@]}" "$(pg_bindir)/pg_ctl" -D "$dir/pg/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
