# lib.sh - shared by run-compat.sh and test-deb.sh (sourced; expects $root).
# SPDX-License-Identifier: GPL-2.0-or-later

skip() { echo "SKIP: $*"; exit 77; }

# ctest runs the compat tests only on request: they need root, make Debian
# chroots and take minutes.
compat_gate() {
    if [ "${IKEDIAG_COMPAT:-0}" != 1 ] && [ "${IKEDIAG_COMPAT_CONFIGURED:-0}" != 1 ]; then
        skip "Wireshark 4.0/4.4/4.6 compatibility tests run only with IKEDIAG_COMPAT=1" \
             "(cmake -DIKEDIAG_COMPAT=1, or IKEDIAG_COMPAT=1 ctest -L compat)"
    fi
}

# Sets chroot_sh and shared_mount, or skips.  Call chroot.sh as
# "bash $chroot_sh" (it need not be executable in a copied shared/).
compat_preflight() {
    local shared=${IKEDIAG_SHARED_DIR:-$root/../shared}
    chroot_sh=${CHROOT_SH:-$shared/tools/chroot.sh}
    shared_mount=""
    [ -f "$chroot_sh" ] ||
        skip "$chroot_sh is absent (../shared is not beside this clone): no chroots to test in"
    [ -d "$shared" ] && shared_mount=$(cd "$shared" && pwd -P)
    [ "$(id -u)" = 0 ] || skip "the chroots need root (debootstrap, mount namespaces)"
    command -v unshare >/dev/null || skip "unshare (util-linux) is missing"
    if ! command -v debootstrap >/dev/null; then
        # Only needed to make the cached base system the first time; CI
        # machines are fresh, so install it the ordinary way.
        echo "compat: installing debootstrap"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap >/dev/null ||
            { DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null &&
              DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap >/dev/null; } ||
            skip "debootstrap is missing and could not be installed"
    fi
}

# chroot SUITE: make the cached base system of SUITE unless it is there
# (chroot.sh re-runs itself for that, which needs an executable path).
compat_make() {
    local t0
    t0=$(date +%s)
    bash "$chroot_sh" make "$1" >&2
    echo "compat: $1: base system ready ($(($(date +%s) - t0)) s)" >&2
}

# compat_snapshot DEST: the working tree as git sees it (tracked files with
# their uncommitted edits, plus untracked files that are not ignored), or a
# plain copy without build directories when this is not a git checkout.
compat_snapshot() {
    local dest=$1
    mkdir -p "$dest"
    if [ "$(git -C "$root" rev-parse --show-toplevel 2>/dev/null)" = "$root" ]; then
        (cd "$root" && git ls-files -z -c -o --exclude-standard |
            tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -x -C "$dest"
    else
        tar -C "$root" --exclude=./.git --exclude='./build' --exclude='./build-*' \
            --exclude=./_build -cf - . | tar -x -C "$dest"
    fi
}

# compat_host_findings WORK: builds the snapshot WORK/src against the host's
# Wireshark and prints the path of a file with its findings (cached per
# snapshot content and tshark version, so that several suites share it).
# Fails when the host cannot build it (no wireshark-dev, no tshark).
compat_host_findings() {
    local work=$1 key cache=/var/tmp/ikediag-compat-host
    command -v tshark >/dev/null && command -v cmake >/dev/null || return 1
    key=$( { tshark --version 2>/dev/null | head -n 1
             cd "$work/src" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum; } |
           sha256sum | cut -c1-16)
    mkdir -p "$cache"
    find "$cache" -name '*.txt' -mtime +1 -delete 2>/dev/null || true
    if [ -s "$cache/$key.txt" ]; then
        echo "compat: host findings for this source: cached" >&2
        echo "$cache/$key.txt"
        return 0
    fi
    local t0
    t0=$(date +%s)
    if ! { cmake -S "$work/src" -B "$work/host-build" &&
           cmake --build "$work/host-build" -j"${IKEDIAG_JOBS:-2}" --target ikediag; } >"$work/host-build.log" 2>&1; then
        echo "compat: the snapshot does not build on the host (see below); no comparison" >&2
        tail -n 20 "$work/host-build.log" >&2
        return 1
    fi
    bash "$work/src/tests/compat/findings.sh" "$work/host-build/plugins" >"$cache/$key.tmp" &&
        mv "$cache/$key.tmp" "$cache/$key.txt" || return 1
    echo "compat: host findings ($(tshark --version 2>/dev/null | head -n 1)) in $(($(date +%s) - t0)) s" >&2
    echo "$cache/$key.txt"
}
