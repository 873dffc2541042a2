#!/bin/bash
# test-deb.sh [--ctest] SUITE          SUITE: bookworm (4.0), trixie (4.4), sid (4.6)
#
# The .deb, for real: builds wireshark-ikediag_<version>+ws<maj.min>_<arch>.deb
# with cpack in a fresh chroot of SUITE (tests/compat/in-chroot.sh deb),
# then, in ANOTHER fresh chroot of SUITE, installs it with
# "apt-get install ./….deb" and checks (tests/compat/deb-check.sh) that it
# brings its libwireshark, that "tshark -G plugins" lists ikediag from the
# global plugin dir, that bundled captures give their expected
# ikediag.cause, and that it removes cleanly.  The package is left in
# $IKEDIAG_DEB_OUT when that is set (e.g. to publish it).
#
# Scenarios: IKEDIAG_DEB_SCENARIOS (names in test-captures/), default one
# clear-text and one decrypted failure.  Each must have an expected.txt
# line with failure=1 (the first such line, without pass=2/xfail, is used).
#
# Exit: 0 pass, 1 fail, 77 skipped with a message (see run-compat.sh).
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/compat/lib.sh
. "$here/lib.sh"

ctest_mode=0
[ "${1:-}" = --ctest ] && { ctest_mode=1; shift; }
[ $# -eq 1 ] || { echo "usage: $0 [--ctest] bookworm|trixie|sid" >&2; exit 2; }
suite=$1
case $suite in bookworm|trixie|sid) ;; *) echo "unknown suite $suite" >&2; exit 2 ;; esac

[ $ctest_mode = 1 ] && compat_gate
compat_preflight

t0=$(date +%s)
compat_make "$suite"
work=$(mktemp -d /var/tmp/ikediag-deb.XXXXXX)
trap 'rm -rf --one-file-system "$work"' EXIT
compat_snapshot "$work/src"
mkdir -p "$work/pkg"

# 1. Build the package; in-chroot.sh writes it as a tar stream on stdout.
echo "compat-deb: $suite: building the .deb in a fresh chroot"
bash "$chroot_sh" run --plain --env "IKEDIAG_JOBS=${IKEDIAG_JOBS:-2}" "$suite" "$work/src" \
    'bash tests/compat/in-chroot.sh deb' >"$work/deb.tar" || { echo "compat-deb: $suite: building the .deb failed"; exit 1; }
tar -x -C "$work/pkg" -f "$work/deb.tar"
deb=$(cd "$work/pkg" && ls wireshark-ikediag_*.deb 2>/dev/null) || { echo "compat-deb: no .deb came out"; exit 1; }
t1=$(date +%s)
echo "compat-deb: $suite: $deb built in $((t1 - t0)) s"
if [ -n "${IKEDIAG_DEB_OUT:-}" ]; then
    mkdir -p "$IKEDIAG_DEB_OUT" && cp "$work/pkg/$deb" "$IKEDIAG_DEB_OUT/"
    echo "compat-deb: copied to $IKEDIAG_DEB_OUT/$deb"
fi

# 2. What to check it with: captures, their keys, the expected finding.
scenarios=${IKEDIAG_DEB_SCENARIOS:-"ikev2-proposal-mismatch-ss6-ss6 ikev2-psk-mismatch-ss6-ss6"}
n=0
for s in $scenarios; do
    d=$work/src/test-captures/$s
    [ -f "$d/expected.txt" ] || continue
    exp=$(awk '!/^#/ && / failure=1/ && !/pass=2/ && !/xfail/ {
                   f = c = ""; for (i = 1; i <= NF; i++) {
                       if ($i ~ /^frame=/) f = substr($i, 7); if ($i ~ /^cause=/) c = substr($i, 7) }
                   if (f != "" && c != "") { print f, c; exit } }' "$d/expected.txt")
    [ -n "$exp" ] || continue
    mkdir -p "$work/pkg/scenario-$s"
    cp "$d"/capture.* "$work/pkg/scenario-$s/"
    cp "$d"/*_decryption_table "$work/pkg/scenario-$s/" 2>/dev/null || true
    echo "$exp" >"$work/pkg/scenario-$s/expect"
    n=$((n + 1))
done
[ $n -gt 0 ] || { echo "compat-deb: none of the scenarios ($scenarios) has a failure to expect"; exit 1; }
cp "$here/deb-check.sh" "$work/pkg/"

# 3. Install and check it in a fresh chroot.
echo "compat-deb: $suite: installing $deb in a fresh chroot"
rc=0
bash "$chroot_sh" run --plain "$suite" "$work/pkg" 'bash deb-check.sh' || rc=$?
echo "compat-deb: $suite: exit $rc; build $((t1 - t0)) s, install and checks $(($(date +%s) - t1)) s"
[ $rc = 0 ] || exit 1
