#!/bin/bash
# long-run.sh: the long fuzzing run (not part of ctest), documented in
# docs/performance.md.  Both halves use the sanitizer builds that ctest makes.
#
#   tests/fuzz/long-run.sh BUILD [HOURS]
#
#   BUILD  a configured build directory (e.g. build-test); its asan/ and
#          fuzz-clang/ sub-builds are made when missing
#   HOURS  wall-clock budget split between the two halves (default 1)
#
# 1. libFuzzer on the core for half the budget (corpus kept in
#    BUILD/tests/fuzz/libfuzzer-long/corpus; crashes land there as crash-*).
# 2. Mutated captures through tshark with the ASan+UBSan plugin for the other
#    half: seeds from $SEED (default: the date, so that every run explores
#    new mutations; the seed of a failure is in its label), every capture,
#    one pass and -2, with keys.
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
build=$(cd "$1" && pwd)
hours=${2:-1}
src=$(cd "$(dirname "$0")/../.." && pwd)
half=$(awk -v h="$hours" 'BEGIN { printf "%d", h * 1800 }')
seed=${SEED:-$(( $(date +%s) / 86400 % 100000 ))}   # days since 1970: new mutations each day
cc=$(awk -F= '/^CMAKE_C_COMPILER:/ { print $2 }' "$build/CMakeCache.txt")

"$src/tests/fuzz/run-libfuzzer.sh" --build "$build/fuzz-clang" --source "$src" \
    --clang "$(command -v clang)" --seconds "$half" --work "$build/tests/fuzz/libfuzzer-long"

"$src/tests/sanitize/build-asan.sh" "$src" "$build/asan" "$cc" >/dev/null
"$src/tests/sanitize/tshark-sanitized.sh" --plugin-dir "$build/asan/plugins" --source-dir "$src" \
    --shared-dir "$src/../shared" \
    --preload "$("$cc" -print-file-name=libasan.so) $("$cc" -print-file-name=libubsan.so)" \
    --mutate 100000 --seed "$seed" --budget "$half" --timeout 120 \
    --artifacts "$build/tests/fuzz/captures-long"
