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
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-test -j"$(nproc)"
cd build-test
ctest --output-on-failure -j"$(nproc)"
