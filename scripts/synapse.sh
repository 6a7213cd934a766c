#!/usr/bin/env bash
# A throwaway Synapse homeserver for end-to-end tests and benchmarks, on 127.0.0.1 only.
#   scripts/synapse.sh start DIR [--strict-rate-limits]
#       First call: installs matrix-synapse (cached venv), generates a config in DIR, overrides it
#       for tests, starts the server and waits for it. Later calls on the same DIR restart it with
#       the same port, keys and data. Prints KEY=VALUE lines on stdout (TEST_SYNAPSE_URL,
#       TEST_SYNAPSE_SERVER_NAME, TEST_SYNAPSE_SECRET, TEST_SYNAPSE_DIR); logs go to stderr.
#       --strict-rate-limits (first call only): a server that allows 1 message every 2 s per user.
#   scripts/synapse.sh stop DIR     stops the server; DIR keeps its data (delete it to forget it)
#   scripts/synapse.sh venv         installs the cached venv if needed and prints its python
# The venv lives in ${XDG_CACHE_HOME:-$HOME/.cache}/bureau-volant/synapse-venv, outside the
# project's own venv: Synapse pins its own dependencies. SYNAPSE_VERSION picks another release;
# SYNAPSE_LOG_LEVEL=INFO makes DIR/homeserver.log verbose (WARNING by default: less I/O).
set -euo pipefail

SYNAPSE_VERSION=${SYNAPSE_VERSION:-1.163.2}
SERVER_NAME=${SYNAPSE_SERVER_NAME:-bureau-volant.test}
cache_dir=${XDG_CACHE_HOME:-$HOME/.cache}/bureau-volant
venv=$cache_dir/synapse-venv

log() { echo "synapse.sh: $*" >&2; }

ensure_venv() {
    mkdir -p "$cache_dir"
    # One installer at a time: two test runs may start on a fresh machine together.
    exec 9>"$cache_dir/synapse-venv.lock"
    flock 9
    if [ "$(cat "$venv/.installed" 2>/dev/null || true)" != "$SYNAPSE_VERSION" ]; then
        log "installing matrix-synapse $SYNAPSE_VERSION into $venv (once per machine)"
        rm -rf "$venv"
        "${PYTHON:-python3}" -m venv "$venv"
        "$venv/bin/pip" install --quiet --disable-pip-version-check \
            "matrix-synapse==$SYNAPSE_VERSION" >&2
        echo "$SYNAPSE_VERSION" >"$venv/.installed"
    fi
    flock -u 9
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Writes DIR/homeserver.yaml (generated) and DIR/overrides.yaml (ours, read after it).
configure() {
    local dir=$1 strict=$2 port
    mkdir -p "$dir"
    (cd "$dir" && "$venv/bin/python" -m synapse.app.homeserver --server-name "$SERVER_NAME" \
        --config-path "$dir/homeserver.yaml" --data-directory "$dir" \
        --generate-config --report-stats=no >/dev/null)
    port=$(free_port)
    # Our own secret (hex): it travels through environment variables and shell lines.
    python3 -c 'import secrets; print(secrets.token_hex(24))' >"$dir/secret"
    local message_rate="per_second: 1000
  burst_count: 1000"
    if [ "$strict" = 1 ]; then
        message_rate="per_second: 0.5
  burst_count: 2"
    fi
    cat >"$dir/log.yaml" <<YAML
version: 1
formatters:
  precise:
    format: '%(asctime)s - %(name)s - %(levelname)s - %(request)s - %(message)s'
handlers:
  file:
    class: logging.FileHandler
    formatter: precise
    filename: $dir/homeserver.log
root:
  level: ${SYNAPSE_LOG_LEVEL:-WARNING}
  handlers: [file]
disable_existing_loggers: false
YAML
    # Later config files override top-level keys of earlier ones.
    cat >"$dir/overrides.yaml" <<YAML
public_baseurl: http://127.0.0.1:$port/
pid_file: $dir/homeserver.pid
log_config: $dir/log.yaml
listeners:
  - port: $port
    bind_addresses: ['127.0.0.1']
    type: http
    tls: false
    x_forwarded: false
    resources:
      - names: [client]
        compress: false
database:
  name: sqlite3
  args:
    database: $dir/homeserver.db
registration_shared_secret: $(cat "$dir/secret")
enable_registration: false
report_stats: false
presence:
  enabled: false
trusted_key_servers: []
suppress_key_server_warning: true
federation_domain_whitelist: []
url_preview_enabled: false
enable_metrics: false
# Test accounts only: the cheapest password hashing (12 rounds cost seconds per test under load).
bcrypt_rounds: 4
# Accounts expire after a year, as on Tchap: a test expires the bot's account through the admin
# API to see it answer 403 ORG_MATRIX_EXPIRED_ACCOUNT.
account_validity:
  enabled: true
  period: 365d
rc_message:
  $message_rate
rc_registration: {per_second: 1000, burst_count: 1000}
rc_login:
  address: {per_second: 1000, burst_count: 1000}
  account: {per_second: 1000, burst_count: 1000}
  failed_attempts: {per_second: 1000, burst_count: 1000}
rc_joins:
  local: {per_second: 1000, burst_count: 1000}
  remote: {per_second: 1000, burst_count: 1000}
rc_joins_per_room: {per_second: 1000, burst_count: 1000}
rc_invites:
  per_room: {per_second: 1000, burst_count: 1000}
  per_user: {per_second: 1000, burst_count: 1000}
  per_issuer: {per_second: 1000, burst_count: 1000}
rc_room_creation: {per_second: 1000, burst_count: 1000}
rc_key_requests: {per_second: 1000, burst_count: 1000}
rc_admin_redaction: {per_second: 1000, burst_count: 1000}
rc_presence:
  per_user: {per_second: 1000, burst_count: 1000}
YAML
    echo "$port" >"$dir/port"
}

wait_ready() {
    local dir=$1 url=$2 pid=$3
    for _ in $(seq 1 240); do
        if ! kill -0 "$pid" 2>/dev/null; then
            log "Synapse exited during start-up"
            tail -n 40 "$dir/homeserver.log" "$dir/stdout.log" >&2 2>/dev/null || true
            return 1
        fi
        if python3 - "$url/_matrix/client/versions" <<'PY' 2>/dev/null; then return 0; fi
import sys, urllib.request
urllib.request.urlopen(sys.argv[1], timeout=2).read()
PY
        sleep 0.25
    done
    log "Synapse did not answer within 60 s"
    tail -n 40 "$dir/homeserver.log" >&2 || true
    return 1
}

start() {
    local dir strict=0 port url pid secret
    dir=$(realpath -m "$1")
    [ "${2:-}" = "--strict-rate-limits" ] && strict=1
    ensure_venv
    if [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
        log "already running in $dir"
    else
        [ -f "$dir/overrides.yaml" ] || configure "$dir" "$strict"
        port=$(cat "$dir/port")
        # setsid: the server outlives this script and gets no terminal signals meant for it.
        setsid "$venv/bin/python" -m synapse.app.homeserver \
            -c "$dir/homeserver.yaml" -c "$dir/overrides.yaml" \
            </dev/null >>"$dir/stdout.log" 2>&1 &
        pid=$!
        echo "$pid" >"$dir/pid"
        wait_ready "$dir" "http://127.0.0.1:$port" "$pid" || { stop "$dir"; exit 1; }
        log "Synapse $SYNAPSE_VERSION ready on http://127.0.0.1:$port (pid $pid, $dir)"
    fi
    port=$(cat "$dir/port")
    secret=$(cat "$dir/secret")
    echo "TEST_SYNAPSE_URL=http://127.0.0.1:$port"
    echo "TEST_SYNAPSE_SERVER_NAME=$SERVER_NAME"
    echo "TEST_SYNAPSE_SECRET=$secret"
    echo "TEST_SYNAPSE_DIR=$dir"
}

stop() {
    local dir pid
    dir=$(realpath -m "$1")
    [ -f "$dir/pid" ] || return 0
    pid=$(cat "$dir/pid")
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/pid"
}

case "${1:-}" in
    start) start "${2:?usage: $0 start DIR [--strict-rate-limits]}" "${3:-}" ;;
    stop) stop "${2:?usage: $0 stop DIR}" ;;
    venv) ensure_venv; echo "$venv/bin/python" ;;
    *) echo "usage: $0 start DIR [--strict-rate-limits] | stop DIR | venv" >&2; exit 2 ;;
esac
