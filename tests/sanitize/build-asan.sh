#!/bin/bash
# build-asan.sh SRC BUILD CC: configure (once) and build the ASan+UBSan plugin
# in BUILD for the sanitizer tests of a normal build (ctest fixture
# sanitize.build).  Only the plugin target is built; the nested build's own
# tests are not run from here.
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
src=$1 build=$2 cc=$3
if [ ! -f "$build/CMakeCache.txt" ]; then
    CC=$cc cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIKEDIAG_SANITIZE=ON \
        -DIKEDIAG_SANITIZE_TESTS=OFF >/dev/null
fi
nice cmake --build "$build" --target ikediag -j2
