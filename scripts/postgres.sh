#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks, on 127.0.0.1 only.
#   scripts/postgres.sh start DIR   -> prints the asyncpg URL on stdout
#   scripts/postgres.sh stop DIR
#   scripts/postgres.sh pause|resume DIR   -> stop / start the server again, data kept
# Runs the server as the `postgres` user (initdb refuses root); fsync is off: test data only.
set -euo pipefail

cmd=${1:?start|stop}
dir=${2:?cluster directory}

pg_bin() {
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -z "$bin" ] || [ ! -x "$bin/postgres" ]; then
        echo "postgres.sh: installing Debian's postgresql" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2
        apt-get install -y -qq postgresql >&2
        bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    fi
    echo "$bin"
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
    local bin port
    bin=$(pg_bin)
    port=$(free_port)
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
        chown postgres: "$dir"
        # mktemp makes 0700 folders: the postgres user must be able to reach its own.
        chmod a+x "$(dirname "$dir")"
    fi
    as_postgres "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 400
shared_buffers = 256MB
CONF
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >&2 \
        || { cat "$dir/server.log" >&2; exit 1; }
    "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres bureau_volant >&2
    echo "$port" >"$dir/port"
    echo "postgresql+asyncpg://postgres@127.0.0.1:$port/bureau_volant"
}

stop() {
    local bin
    [ -d "$dir/data" ] || return 0
    bin=$(pg_bin)
    as_postgres "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >&2 || true
    rm -rf "$dir"
}

# pause/resume: stop the server and start it again on the same port, data kept (tests of a
# database that goes away and comes back).
pause() {
    as_postgres "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >&2
}

resume() {
    as_postgres "$(pg_bin)/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >&2
}

case "$cmd" in
    start) start ;;
    stop) stop ;;
    pause) pause ;;
    resume) resume ;;
    *) echo "usage: $0 start|stop|pause|resume DIR" >&2; exit 2 ;;
esac
