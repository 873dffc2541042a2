#!/bin/bash
# in-chroot.sh test|deb
# Runs INSIDE a fresh Debian chroot (see run-compat.sh, test-deb.sh), in the
# project's root.  Installs the build and test dependencies, prints the
# versions, builds with -Werror and then
#   test  runs the ctest suite (unit, capture, stats, docs tests; not the
#         compat tests themselves, no chroots inside chroots, nor by default
#         the fuzz/sanitize runs: IKEDIAG_COMPAT_CTEST_EXCLUDE), then with
#         IKEDIAG_FINDINGS=1 prints every finding (findings.sh) between
#         "=== ikediag findings" markers for run-compat.sh to compare;
#   deb   builds the .deb with cpack and writes it, as a tar stream, to
#         stdout (everything else goes to stderr).
# Exit status: the suite's (test) or cpack's (deb).
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

mode=${1:?usage: in-chroot.sh test|deb}
jobs=${IKEDIAG_JOBS:-2}
build=/tmp/ikediag-build
src=$(pwd)
say() { printf 'compat: %s\n' "$*" >&2; }
t() { date +%s; }
t0=$(t)

# Quietly, showing the log only on failure.  chroot.sh shares one .deb
# cache per suite between runs; a run of the same suite at the same time
# (a developer machine; CI runs them one by one) holds its lock for a
# while, so wait for it rather than fail.
quiet_retry() {   # LOG COMMAND...
    local log=$1 i
    shift
    for i in $(seq 1 60); do
        "$@" >"$log" 2>&1 && return 0
        grep -q 'Could not get lock' "$log" || break
        [ "$i" = 1 ] && say "  the suite's .deb cache is busy (another chroot run); waiting"
        sleep 10
    done
    tail -n 30 "$log" >&2
    return 1
}
quiet_retry /tmp/apt.log apt-get update -q || exit 1
# The project's own dependency script, so that it is tested on every suite
# too; its list is what a user on that Debian release installs.
if [ -x tools/deps.sh ]; then
    quiet_retry /tmp/deps.log tools/deps.sh --test || exit 1
else
    quiet_retry /tmp/apt.log apt-get install -y -q --no-install-recommends \
        cmake gcc libc6-dev make pkg-config libglib2.0-dev wireshark-dev tshark python3 || exit 1
fi
t1=$(t)

ws_version=$(tshark --version 2>/dev/null | head -n 1)
say "Debian $(cat /etc/debian_version) ($(. /etc/os-release && echo "${VERSION_CODENAME:-sid}")): ${ws_version}"
say "  libwireshark-dev $(dpkg-query -W -f='${Version}' libwireshark-dev), gcc $(gcc -dumpfullversion)," \
    "cmake $(cmake --version | awk 'NR == 1 { print $3 }'), glib $(pkg-config --modversion glib-2.0)"
say "  dependencies installed in $((t1 - t0)) s"

cmake_args=(-S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIKEDIAG_WERROR=ON)
[ "$mode" = deb ] && cmake_args+=(-DIKEDIAG_INSTALL_MODE=global -DCMAKE_INSTALL_PREFIX=/usr)
cmake "${cmake_args[@]}" >/tmp/cmake.log 2>&1 || { cat /tmp/cmake.log >&2; exit 1; }
if ! cmake --build "$build" -j"$jobs" >/tmp/build.log 2>&1; then
    grep -E 'error|warning' /tmp/build.log >&2 || tail -n 40 /tmp/build.log >&2
    say "BUILD FAILED with -Werror against ${ws_version}"
    exit 1
fi
# -Werror turns warnings into errors, but say so if any slipped through
# (e.g. a compiler that only notes something).
if grep -q 'warning:' /tmp/build.log; then
    grep 'warning:' /tmp/build.log >&2
    say "BUILD WARNINGS against ${ws_version}"
    exit 1
fi
t2=$(t)
say "  built warning-free (-Wall -Wextra -Werror) in $((t2 - t1)) s"

if [ "$mode" = deb ]; then
    (cd "$build" && cpack -G DEB >/tmp/cpack.log 2>&1) || { cat /tmp/cpack.log >&2; exit 1; }
    deb=$(cd "$build" && ls wireshark-ikediag_*.deb)
    say "  built $deb in $(($(t) - t2)) s"
    dpkg-deb -f "$build/$deb" Package Version Architecture Depends >&2
    tar -C "$build" -cf - "$deb"
    exit 0
fi

# The plugin loads, and says what it is (plugin_describe(), 4.4 and later).
plugins=$(tests/lib/tshark-nobody.sh "$build/plugins" - -G plugins 2>/dev/null | grep '^ikediag\.so' || true)
if [ -z "$plugins" ]; then
    say "tshark -G plugins does not list ikediag.so"
    exit 1
fi
say "  tshark -G plugins: $(echo "$plugins" | tr -s ' \t' ' ')"
ws_minor=$(tshark --version 2>/dev/null | awk 'NR == 1 { split($3, v, "."); print v[1] * 100 + v[2] }')
if [ "$ws_minor" -ge 404 ] && ! grep -qw dissector <<<"$plugins"; then
    say "ikediag.so is not listed as type 'dissector' (plugin_describe() missing?)"
    exit 1
fi

cd "$build"
rc=0
# Every label but the compat tests themselves (no chroots in chroots) and,
# unless asked for, the robustness runs (ASan over mutated captures, fuzzing:
# ~6 minutes, about our code, not about Wireshark versions; the host's own
# run has them).  IKEDIAG_COMPAT_CTEST_EXCLUDE=compat runs them too.
exclude=${IKEDIAG_COMPAT_CTEST_EXCLUDE:-'^(compat|fuzz|sanitize)$'}
say "  ctest -LE '$exclude'"
ctest --output-on-failure -j"$jobs" -LE "$exclude" >/tmp/ctest.log 2>&1 || rc=$?
# The summary and the failures (with their output) only; the whole log is long.
sed -n '/tests passed/,$p' /tmp/ctest.log
if [ $rc != 0 ]; then
    echo "---- output of the failed tests ----"
    awk '/\*\*\*Failed|\*\*\*Exception|\*\*\*Timeout/ { show = 1 } /^ *[0-9]+\/[0-9]+ Test/ && !/\*\*\*/ { show = 0 } show' /tmp/ctest.log
fi
say "  ctest finished in $(($(t) - t2)) s (exit $rc): ${ws_version}"
# Every finding on every bundled capture, for run-compat.sh to compare with
# the host's Wireshark.
if [ "${IKEDIAG_FINDINGS:-0}" = 1 ]; then
    cd "$src"
    echo "=== ikediag findings: ${ws_version} ==="
    tests/compat/findings.sh "$build/plugins"
    echo "=== end of findings ==="
fi
exit $rc
