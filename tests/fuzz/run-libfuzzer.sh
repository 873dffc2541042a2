#!/bin/bash
# run-libfuzzer.sh: a bounded libFuzzer run of fuzz-core over the saved corpus.
#
#   run-libfuzzer.sh --binary FUZZ_CORE [--seconds N] [--work DIR]
#   run-libfuzzer.sh --build DIR --source SRC --clang CLANG [--seconds N] [--work DIR]
#
# The second form first makes (or refreshes) a clang build of the core and
# the target in DIR: cmake -DCMAKE_C_COMPILER=clang -DIKEDIAG_FUZZ=ON, with
# the core instrumented for coverage; only the fuzz-core target is built.
# The run starts from tests/fuzz/corpus (read-only) and keeps what it learns
# in WORK/corpus; a crash leaves WORK/crash-* (a reproducer for
# fuzz-core-replay; copy it into tests/fuzz/corpus/ once fixed).
# Exit: 0 clean, 1 crash or build failure, 77 clang cannot build a fuzzer.
# SPDX-License-Identifier: GPL-2.0-or-later
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
binary= build= source= clang= seconds=45 work=
while [ $# -gt 0 ]; do
    case $1 in
        --binary) binary=$2; shift 2 ;;
        --build) build=$2; shift 2 ;;
        --source) source=$2; shift 2 ;;
        --clang) clang=$2; shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
        --work) work=$2; shift 2 ;;
        *) echo "run-libfuzzer.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[ -n "$work" ] || work=$(mktemp -d "${TMPDIR:-/tmp}/ikediag-libfuzzer.XXXXXX")
mkdir -p "$work/corpus"

if [ -z "$binary" ]; then
    [ -n "$build" ] && [ -n "$source" ] && [ -n "$clang" ] || { echo "need --binary or --build/--source/--clang" >&2; exit 2; }
    # Can this clang link a fuzzer at all (Debian: libclang-rt-NN-dev)?
    probe=$work/probe.c
    printf '#include <stdint.h>\n#include <stddef.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' > "$probe"
    if ! "$clang" -fsanitize=fuzzer,address,undefined "$probe" -o "$work/probe" 2>"$work/probe.log"; then
        echo "SKIP: $clang cannot build a libFuzzer target (install libclang-rt-dev for it):"
        sed 's/^/  /' "$work/probe.log" | head -5
        exit 77
    fi
    if [ ! -f "$build/CMakeCache.txt" ]; then
        CC=$clang cmake -S "$source" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIKEDIAG_FUZZ=ON \
            "-DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
            > "$work/configure.log" 2>&1 || { cat "$work/configure.log"; exit 1; }
    fi
    cmake --build "$build" --target fuzz-core -j2 > "$work/build.log" 2>&1 || { tail -40 "$work/build.log"; exit 1; }
    binary=$build/tests/fuzz/fuzz-core
fi
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")   # the run happens in $work

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
echo "libFuzzer: $binary for ${seconds}s, corpus $here/corpus + $work/corpus"
cd "$work" || exit 1
nice "$binary" -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$work/" "$work/corpus" "$here/corpus" > "$work/fuzz.log" 2>&1
rc=$?
grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)|^#[0-9]+.*DONE' "$work/fuzz.log"
if [ $rc != 0 ]; then
    echo "FAIL: libFuzzer exit $rc; reproducer(s):"
    ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* 2>/dev/null
    grep -E -A30 'ERROR|runtime error' "$work/fuzz.log" | head -60
    exit 1
fi
echo "libFuzzer: no crash"
