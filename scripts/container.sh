#!/usr/bin/env bash
# Builds the image from the repository's Dockerfile with podman and runs its smoke test against a
# throwaway PostgreSQL and Synapse (scripts/with-services.sh --synapse).
#   scripts/container.sh            build, then test (what `make container-test` runs)
#   scripts/container.sh build      build only; prints the image's name and size
# Podman is Debian's (installed with apt-get when missing; CI runs on a clean machine as root),
# with the runc runtime and the host's network, for the build and for the containers.
#
# Without an image registry (this machine reaches PyPI and Debian's mirrors only), the base image
# the Dockerfile names (python:3.11-slim) cannot be pulled: a stand-in is made from Debian
# packages with debootstrap (bookworm, Debian's own Python 3.11) and tagged with the very same
# name, so the Dockerfile builds unchanged. Podman's storage keeps it: it is made once per machine.
# pip inside the build uses the host's pip settings (index, certificate bundle, timeout), given
# to the build as bind mounts, never baked into the image.
#
# Settings: IMAGE (bureau-volant:test), BASE_PULL_TIMEOUT (60 s), DEBIAN_MIRROR
# (the mirror of this machine's apt sources), STANDIN=1 makes the stand-in even when a pull would work.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
IMAGE=${IMAGE:-bureau-volant:test}
# The Debian mirror this machine's apt already uses (first "URIs:" or "deb" line of its sources).
apt_mirror() {
    { grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' || true
      grep -hE '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' || true; } |
        { grep -v -- '-security' || true; } | head -n 1
}
DEBIAN_MIRROR=${DEBIAN_MIRROR:-$(apt_mirror)}
BASE_PULL_TIMEOUT=${BASE_PULL_TIMEOUT:-60}
STANDIN_LABEL=org.bureau-volant.stand-in

log() { echo "container.sh: $*" >&2; }
podman_() { podman --runtime runc "$@"; }

apt_install() {
    if [ "$(id -u)" != 0 ]; then
        log "missing $*: install it (apt-get install $*) or run this as root"
        exit 1
    fi
    log "installing $* with apt-get"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

ensure_podman() {
    command -v podman >/dev/null && command -v runc >/dev/null || apt_install podman runc
}

# The images the Dockerfile builds FROM (stage names excluded), in order, without duplicates.
base_images() {
    awk 'toupper($1) == "FROM" {
            image = ""
            for (i = 2; i <= NF; i++) if ($i !~ /^--/) { image = $i; break }
            if (tolower($(NF - 1)) == "as") stage[tolower($NF)] = 1
            if (image != "" && !(tolower(image) in stage) && !(image in seen)) {
                seen[image] = 1; print image
            }
        }' "$root/Dockerfile"
}

# python:3.11-slim → docker.io/library/python:3.11-slim (what the build resolves the name to).
qualified() {
    local name=$1
    case "${name%%/*}" in
        *.*|*:*|localhost) [ "${name#*/}" != "$name" ] && { echo "$name"; return; } ;;
    esac
    case "$name" in
        */*) echo "docker.io/$name" ;;
        *) echo "docker.io/library/$name" ;;
    esac
}

ensure_base() {
    local name=$1 full
    full=$(qualified "$name")
    if podman_ image exists "$full"; then
        return
    fi
    if [ "${STANDIN:-0}" != 1 ]; then
        log "pulling $full (at most ${BASE_PULL_TIMEOUT} s)"
        if timeout "$BASE_PULL_TIMEOUT" podman_ pull -q "$full" >/dev/null 2>&1; then
            return
        fi
        log "$full cannot be pulled: making a stand-in from Debian packages"
    fi
    make_standin "$name" "$full"
}

# A local image under the base image's own name: Debian bookworm with Debian's Python 3.11 and
# pip/venv, laid out like the official python:3.11-slim where the Dockerfile relies on it
# (`python` on the PATH, LANG=C.UTF-8, useradd, CA certificates).
make_standin() {
    local name=$1 full=$2 rootfs started
    case "$name" in
        python:3.11|python:3.11-*|*/python:3.11|*/python:3.11-*) ;;
        *) log "no stand-in for $name: only python:3.11* is made from Debian bookworm"; exit 1 ;;
    esac
    command -v debootstrap >/dev/null || apt_install debootstrap
    started=$(date +%s)
    rootfs=$(mktemp -d "${TMPDIR:-/var/tmp}/bureau-volant-standin.XXXXXX")
    # shellcheck disable=SC2064  # expand now: the variable is local
    trap "rm -rf '$rootfs'" EXIT
    log "debootstrap bookworm into $rootfs (from $DEBIAN_MIRROR)"
    debootstrap --variant=minbase \
        --include=python3.11,python3-venv,python-is-python3,ca-certificates \
        bookworm "$rootfs" "$DEBIAN_MIRROR" >&2
    chroot "$rootfs" python --version >&2
    # What python:3.11-slim leaves out too: package lists, caches, documentation.
    rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin \
        "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/log/* "$rootfs"/tmp/* \
        "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/*
    tar --numeric-owner --xattrs -C "$rootfs" -c . | podman_ import \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'ENV LANG=C.UTF-8' \
        --change 'CMD ["python3"]' \
        --change "LABEL $STANDIN_LABEL=debootstrap-bookworm-python3.11" \
        --message "stand-in for $name made by scripts/container.sh" \
        - "$full" >/dev/null
    rm -rf "$rootfs"
    trap - EXIT
    log "stand-in $full made in $(($(date +%s) - started)) s"
}

# pip inside the build: the host's network settings (index URLs, certificate bundle, trusted
# hosts, timeout, proxy) in a pip.conf mounted as /etc/pip.conf, and the bundle mounted beside
# it. Local-only settings (file:// indexes, find-links, constraints) stay on the host.
pip_mounts() {
    local dir=$1
    local pip=(python3 -m pip)
    [ -x "$root/.venv/bin/pip" ] && pip=("$root/.venv/bin/pip")
    "${pip[@]}" config list 2>/dev/null | python3 -c '
import re, sys

out_dir = sys.argv[1]
keys = {"index-url", "extra-index-url", "trusted-host", "cert", "timeout",
        "default-timeout", "retries", "proxy"}
values = {}
for line in sys.stdin:
    match = re.match(r"^([^=]+)=(.*)$", line.strip())
    if not match:
        continue
    key = match.group(1).rsplit(".", 1)[-1]
    if key in keys:
        # Later lines (environment, PIP_*) win over config files, as in pip itself.
        values[key] = match.group(2).strip().strip("\x27\"")
lines = ["[global]"]
cert = values.pop("cert", None)
for key in ("index-url", "extra-index-url"):
    if key in values:
        urls = [u for u in values.pop(key).split() if u.startswith(("http://", "https://"))]
        if urls:
            lines.append(key + " = " + " ".join(urls))
lines += [f"{key} = {value}" for key, value in values.items()]
if cert:
    lines.append("cert = /etc/bureau-volant-build/ca-bundle.crt")
with open(f"{out_dir}/pip.conf", "w") as conf:
    conf.write("\n".join(lines) + "\n")
print(cert or "")
' "$dir"
}

build() {
    local work cert mounts=() started size
    ensure_podman
    while IFS= read -r base; do
        ensure_base "$base"
    done < <(base_images)
    work=$(mktemp -d "${TMPDIR:-/tmp}/bureau-volant-build.XXXXXX")
    # shellcheck disable=SC2064
    trap "rm -rf '$work'" EXIT
    cert=$(pip_mounts "$work")
    mounts+=(--volume "$work/pip.conf:/etc/pip.conf:ro")
    if [ -n "$cert" ]; then
        [ -r "$cert" ] || { log "the pip certificate bundle $cert is not readable"; exit 1; }
        mounts+=(--volume "$cert:/etc/bureau-volant-build/ca-bundle.crt:ro")
    fi
    log "building $IMAGE from $root/Dockerfile (pip settings: $(grep -c = "$work/pip.conf"))"
    started=$(date +%s)
    # --format docker keeps the Dockerfile's HEALTHCHECK (the OCI format has none);
    # --pull=never: the base images are in podman's storage now (pulled or stand-in).
    podman_ build --network host --format docker --pull=never "${mounts[@]}" \
        --tag "$IMAGE" "$root" >&2
    rm -rf "$work"
    trap - EXIT
    size=$(podman_ image inspect --format '{{.Size}}' "$IMAGE")
    log "built $IMAGE in $(($(date +%s) - started)) s: $((size / 1000000)) MB"
    echo "$IMAGE $size"
}

# Without CAP_SYS_RESOURCE (a sandboxed CI runner), runc cannot raise the open-files and
# processes limits podman asks for by default: ask for what this process already has instead.
run_args() {
    local capeff nofile nproc
    capeff=$(awk '/^CapEff:/ {print $2}' /proc/self/status)
    if [ $(((0x$capeff >> 24) & 1)) = 0 ]; then
        nofile=$(ulimit -Hn)
        nproc=$(ulimit -Hu)
        # podman itself runs with at most 32768 processes: runc inherits that.
        [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ] && nproc=32768
        echo "--ulimit nofile=$nofile:$nofile --ulimit nproc=$nproc:$nproc"
    fi
}

PYTEST=(.venv/bin/python -m pytest -q -p no:cacheprovider -m container tests/container)

# The smoke test under with-services.sh; with a status file, it first waits for the build that
# runs meanwhile (PostgreSQL and Synapse start while the image builds).
smoke_test() {
    local status=${1:-}
    [ -x "$root/.venv/bin/python" ] || make -C "$root" install >&2
    cd "$root"
    BUREAU_VOLANT_IMAGE=$IMAGE BUREAU_VOLANT_PODMAN="podman --runtime runc" \
        BUREAU_VOLANT_RUN_ARGS="$(run_args)" \
        "$here/with-services.sh" --synapse -- "$0" _after-build "$status"
}

after_build() {
    local status=$1
    if [ -n "$status" ]; then
        while [ ! -s "$status" ]; do sleep 1; done
        [ "$(cat "$status")" = 0 ] || { log "the build failed"; exit 1; }
    fi
    log "smoke test of $IMAGE"
    exec "${PYTEST[@]}"
}

case "${1:-all}" in
    build) build ;;
    test) smoke_test ;;
    _after-build) after_build "${2:-}" ;;
    all)
        started=$(date +%s)
        # Installers first, one at a time (apt-get takes a lock); then build and services together.
        ensure_podman
        command -v debootstrap >/dev/null || apt_install debootstrap
        status=$(mktemp "${TMPDIR:-/tmp}/bureau-volant-build-status.XXXXXX")
        { "$0" build >/dev/null && echo 0 >"$status" || echo 1 >"$status"; } &
        build_pid=$!
        # shellcheck disable=SC2064
        trap "wait $build_pid; rm -f '$status'" EXIT
        smoke_test "$status"
        log "container test passed in $(($(date +%s) - started)) s"
        ;;
    *) echo "usage: $0 [build|test|all]" >&2; exit 2 ;;
esac
