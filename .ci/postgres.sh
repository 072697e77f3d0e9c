#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the store/API tests, from Debian's binaries.
#
#   eval "$(.ci/postgres.sh start)"   # prints export lines: DEALCRAFT_TEST_PG_URL, DEALCRAFT_TEST_PG_DIR
#   .ci/postgres.sh stop               # stops it and deletes its directory
#
# initdb refuses to run as root, so as root the cluster belongs to the `postgres` user; data and
# socket live in one temporary directory, the port is a free loopback port, fsync is off.
set -euo pipefail

BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
[ -x "$BIN/initdb" ] || BIN=$(dirname "$(command -v initdb)")

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
start)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/dealcraft-pg.XXXXXX")
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_owner "$BIN/initdb" -D "$dir/data" --auth=trust --username=postgres -E UTF8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
        "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "export DEALCRAFT_TEST_PG_URL=postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
    echo "export DEALCRAFT_TEST_PG_DIR=$dir"
    ;;
stop)
    dir=${2:-${DEALCRAFT_TEST_PG_DIR:?give the directory or set DEALCRAFT_TEST_PG_DIR}}
    as_owner "$BIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start | stop [DIR]" >&2
    exit 2
    ;;
esac
