#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL (TEST_DATABASE_URL) and, when asked, a throwaway
# Synapse (TEST_SYNAPSE_URL ...), and stops them whatever the outcome. Exits with the command's status.
#   scripts/with-services.sh [--synapse] -- COMMAND...
set -uo pipefail

want_synapse=0
while [ $# -gt 0 ]; do
    case "$1" in
        --synapse) want_synapse=1; shift ;;
        --) shift; break ;;
        *) break ;;
    esac
done

here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/bureau-volant-services.XXXXXX")
cleanup() {
    [ -f "$work/synapse/pid" ] && "$here/synapse.sh" stop "$work/synapse"
    "$here/postgres.sh" stop "$work/pg"
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

TEST_DATABASE_URL=$("$here/postgres.sh" start "$work/pg") || { echo "PostgreSQL did not start" >&2; exit 1; }
export TEST_DATABASE_URL
echo "PostgreSQL: $TEST_DATABASE_URL" >&2

if [ "$want_synapse" = 1 ] && [ -x "$here/synapse.sh" ]; then
    # synapse.sh start prints KEY=VALUE lines (TEST_SYNAPSE_URL, TEST_SYNAPSE_SECRET, ...).
    env_lines=$("$here/synapse.sh" start "$work/synapse") || { echo "Synapse did not start" >&2; exit 1; }
    while IFS= read -r line; do [ -n "$line" ] && export "${line?}"; done <<<"$env_lines"
    echo "Synapse: ${TEST_SYNAPSE_URL:-?}" >&2
fi

"$@"
