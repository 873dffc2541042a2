#!/bin/bash
# run-compat.sh [--ctest] [--no-diff] SUITE     SUITE: bookworm (4.0), trixie (4.4), sid (4.6)
#
# Builds ikediag with -Werror against the Wireshark of a fresh Debian SUITE
# and runs the project's ctest suite there (unit tests, every capture test,
# stats, docs; the fuzz/sanitize robustness runs only with
# IKEDIAG_COMPAT_CTEST_EXCLUDE=compat), printing the Wireshark version.
# Then compares every finding on every bundled capture with the host's
# Wireshark (tests/compat/findings.sh):
# the same capture must give the same findings on every version.
#
# The chroot comes from ../shared/tools/chroot.sh (cached in
# /var/tmp/ikd-chroots; made on first use with debootstrap, ~30 s); each run
# starts from a clean copy and leaves nothing behind.  The project goes in
# as a snapshot of its working tree (committed files, uncommitted edits and
# new files that are not ignored), so a fresh clone and a developer's
# checkout both work, and the host comparison sees the very same source.
# ../shared, when present, is mounted read-only, so that the tests on
# Wireshark's own captures run too.
#
# Exit: 0 pass, 1 fail, 77 skipped with a message (not root; no
# ../shared/tools/chroot.sh; with --ctest, IKEDIAG_COMPAT is not 1).
#
# Environment: IKEDIAG_SHARED_DIR (default <repo>/../shared), CHROOT_SH
# (default $IKEDIAG_SHARED_DIR/tools/chroot.sh), CHROOT_CACHE (chroot.sh's),
# IKEDIAG_COMPAT, IKEDIAG_COMPAT_CONFIGURED (set by tests/compat/CMakeLists.txt),
# IKEDIAG_JOBS (default 2), IKEDIAG_COMPAT_CTEST_EXCLUDE (ctest -LE regex,
# default '^(compat|fuzz|sanitize)$').
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/compat/lib.sh
. "$here/lib.sh"

ctest_mode=0 diff_mode=1
while [ $# -gt 1 ]; do
    case $1 in
        --ctest) ctest_mode=1; shift ;;
        --no-diff) diff_mode=0; shift ;;
        *) break ;;
    esac
done
[ $# -eq 1 ] || { echo "usage: $0 [--ctest] [--no-diff] bookworm|trixie|sid" >&2; exit 2; }
suite=$1
case $suite in bookworm|trixie|sid) ;; *) echo "unknown suite $suite" >&2; exit 2 ;; esac

[ $ctest_mode = 1 ] && compat_gate
compat_preflight

t0=$(date +%s)
compat_make "$suite"
work=$(mktemp -d /var/tmp/ikediag-compat.XXXXXX)
trap 'rm -rf --one-file-system "$work"' EXIT
compat_snapshot "$work/src"

# The host's findings on the same snapshot, the reference to compare with.
host_ref=""
if [ $diff_mode = 1 ]; then
    host_ref=$(compat_host_findings "$work") || host_ref=""
fi

echo "compat: $suite: full test suite in a fresh chroot (source: $root)"
cmd=(run --plain --env IKEDIAG_FINDINGS=1 --env "IKEDIAG_JOBS=${IKEDIAG_JOBS:-2}")
[ -n "${IKEDIAG_COMPAT_CTEST_EXCLUDE:-}" ] && cmd+=(--env "IKEDIAG_COMPAT_CTEST_EXCLUDE=$IKEDIAG_COMPAT_CTEST_EXCLUDE")
[ -n "$shared_mount" ] && cmd+=(--shared "$shared_mount")
rc=0
bash "$chroot_sh" "${cmd[@]}" "$suite" "$work/src" 'bash tests/compat/in-chroot.sh test' 2>&1 |
    tee "$work/out.log" | sed '/^=== ikediag findings/,/^=== end of findings/d' || true
rc=$(sed -n 's/^chroot\.sh: [a-z]*: exit \([0-9]*\) after .*/\1/p' "$work/out.log" | tail -n 1)
rc=${rc:-1}
version=$(sed -n 's/^=== ikediag findings: \(.*\) ===$/\1/p' "$work/out.log")

diff_rc=0
if [ -n "$host_ref" ] && [ -n "$version" ]; then
    sed -n '/^=== ikediag findings/,/^=== end of findings/p' "$work/out.log" | sed '1d;$d' >"$work/findings.txt"
    host_version=$(tshark --version 2>/dev/null | head -n 1)
    if diff -u --label "$host_version (host)" --label "$version ($suite)" "$host_ref" "$work/findings.txt" >"$work/diff.txt"; then
        echo "compat: $suite: all $(wc -l <"$work/findings.txt") findings on $(ls -d "$work"/src/test-captures/*/capture.* | wc -l)" \
             "captures are the same as with $host_version"
    else
        diff_rc=1
        echo "compat: $suite: FINDINGS DIFFER between $host_version and $version:"
        cat "$work/diff.txt"
    fi
elif [ $diff_mode = 1 ]; then
    echo "compat: $suite: no comparison with the host (no host build or no findings from the chroot)"
fi
if [ -z "$host_ref" ] || [ -z "$version" ]; then findings="not compared"
elif [ $diff_rc = 0 ]; then findings=same; else findings=DIFFERENT; fi
echo "compat: $suite: ctest exit $rc, findings $findings;" \
     "$(($(date +%s) - t0)) s in all"
[ "$rc" = 0 ] && [ $diff_rc = 0 ] || exit 1
