#!/bin/bash
# run-tests.sh
# The whole test suite from a fresh Debian 12 checkout: installs what is
# missing (apt), builds in build-test/ and runs every test through ctest.
# Tests that need ../shared (Wireshark's own captures) skip when it is
# absent.  With IKEDIAG_COMPAT=1 the Wireshark 4.4/4.6 compatibility runs
# join in (they need root for their chroots).
set -euo pipefail
cd "$(dirname "$0")/.."

tools/deps.sh --test
# CI (CI=true, root, ../shared beside the clone) also runs the Wireshark
# 4.4/4.6 chroot tests and the .deb tests; elsewhere they need
# IKEDIAG_COMPAT=1 and say they were skipped.
if [ "${CI:-}" = true ] && [ "$(id -u)" = 0 ] && [ -f ../shared/tools/chroot.sh ]; then
    export IKEDIAG_COMPAT=${IKEDIAG_COMPAT:-1}
fi
# Wireshark's own source checkers on plugin/ (ctest checkers.wireshark)
# need Wireshark's source tree: CI fetches the installed version's with
# tools/ws-source.sh (apt-get source, about 47 MB, 10 s here; cached);
# elsewhere IKEDIAG_WS_SOURCE=DIR uses a tree, IKEDIAG_WS_SOURCE=fetch
# fetches one, and without it the test says it skipped.
if [ "${IKEDIAG_WS_SOURCE:-}" = fetch ] || { [ "${CI:-}" = true ] && [ -z "${IKEDIAG_WS_SOURCE:-}" ]; }; then
    IKEDIAG_WS_SOURCE=$(tools/ws-source.sh)
    export IKEDIAG_WS_SOURCE
fi
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-test -j"$(nproc)"
cd build-test
ctest --output-on-failure -j"$(nproc)"
