#!/bin/bash
# tshark-sanitized.sh: run tshark with an ASan+UBSan build of the plugin over
# every capture we have, clean and mutated, and fail on any sanitizer
# report, crash or hang.
#
#   tshark-sanitized.sh --plugin-dir DIR --source-dir SRC [options]
#
#   --plugin-dir DIR    <build>/plugins of a -DIKEDIAG_SANITIZE=ON build
#   --source-dir SRC    the repository (test-captures/*/ with their keys)
#   --shared-dir DIR    ../shared: captures/wireshark-tests and KEYS.md
#                       (skipped, with a message, when absent)
#   --preload "LIBS"    sanitizer runtimes to LD_PRELOAD (tshark itself is
#                       not instrumented); default: what `cc -print-file-name`
#                       gives for libasan.so and libubsan.so
#   --clean             run every capture as it is (default when no --mutate)
#   --mutate N          N rounds of mutated copies of every capture
#                       (editcap -E; every third round also truncated with
#                       -s); each copy runs in one pass and with -2
#   --seed SEED         first round (default 1); capture i of round r is
#                       mutated with editcap --seed r*1000+i
#   --alternate         each mutated copy runs once, in one pass or with -2
#                       by turns (CI: every capture gets a mutated run
#                       within the budget); default: both
#   --budget SECONDS    start no new run after this long (bounded CI runs);
#                       0 = no limit (default)
#   --timeout SECONDS   a single tshark run longer than this is a hang (60)
#   --artifacts DIR     where failing inputs and logs go (default: a
#                       temporary directory, kept when something failed)
#   --filter REGEX      only captures whose path matches
#
# A run fails on: a sanitizer report on stderr, a signal (crash), a timeout
# (hang), and for clean captures any non-zero exit.  When a mutated capture
# also crashes stock tshark (no ikediag), the crash is Wireshark's own and
# is listed as a warning, not a failure.
#
# Exit: 0 all good, 1 failures, 77 nothing to run.
# SPDX-License-Identifier: GPL-2.0-or-later
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
wrapper=$here/../lib/tshark-nobody.sh
plugin_dir= src= shared= preload= clean=0 mutate=0 seed=1 budget=0 tmo=60 artifacts= filter= alternate=0
while [ $# -gt 0 ]; do
    case $1 in
        --plugin-dir) plugin_dir=$2; shift 2 ;;
        --source-dir) src=$2; shift 2 ;;
        --shared-dir) shared=$2; shift 2 ;;
        --preload) preload=$2; shift 2 ;;
        --clean) clean=1; shift ;;
        --mutate) mutate=$2; shift 2 ;;
        --seed) seed=$2; shift 2 ;;
        --alternate) alternate=1; shift ;;
        --budget) budget=$2; shift 2 ;;
        --timeout) tmo=$2; shift 2 ;;
        --artifacts) artifacts=$2; shift 2 ;;
        --filter) filter=$2; shift 2 ;;
        *) echo "tshark-sanitized.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[ -n "$plugin_dir" ] && [ -n "$src" ] || { echo "usage: see the header of $0" >&2; exit 2; }
[ "$mutate" = 0 ] && clean=1
[ -f "$plugin_dir"/*/epan/ikediag.so ] || { echo "no ikediag.so below $plugin_dir" >&2; exit 2; }

if [ -z "$preload" ]; then
    cc=${CC:-cc}
    preload="$($cc -print-file-name=libasan.so) $($cc -print-file-name=libubsan.so)"
fi
for lib in $preload; do
    [ -e "$lib" ] || { echo "sanitizer runtime $lib not found (pass --preload)" >&2; exit 2; }
done
export IKEDIAG_PRELOAD=$preload
# Leaks: tshark (not ours) frees little at exit.  The rest aborts on the
# first report so that it cannot be missed in the exit status either.
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:allocator_may_return_null=1:detect_odr_violation=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

work=$(mktemp -d "${TMPDIR:-/tmp}/ikediag-sanitize.XXXXXX")
chmod 755 "$work"
[ -n "$artifacts" ] || artifacts=$work/artifacts
mkdir -p "$artifacts"
keep_work=0
cleanup() { [ $keep_work = 1 ] || rm -rf "$work"; }
trap cleanup EXIT

# ---- the captures and their key directories -------------------------------
caps=() keys=()
for d in "$src"/test-captures/*/; do
    d=${d%/}
    for c in "$d"/capture.pcap "$d"/capture.pcapng; do
        [ -f "$c" ] || continue
        caps+=("$c"); keys+=("$d")
    done
done
if [ -n "$shared" ] && [ -f "$shared/captures/wireshark-tests/KEYS.md" ]; then
    wk=$work/wireshark-keys
    mkdir -p "$wk"
    # KEYS.md's "Full tables": the code block after each table's name.
    awk -v dir="$wk" '
        /^ikev1_decryption_table \(/ { want = dir "/ikev1_decryption_table"; next }
        /^ikev2_decryption_table \(/ { want = dir "/ikev2_decryption_table"; next }
        /^```/ { if (want && inblk) { want = ""; inblk = 0 } else if (want) inblk = 1; next }
        inblk && want { print > want }
    ' "$shared/captures/wireshark-tests/KEYS.md"
    if [ ! -s "$wk/ikev1_decryption_table" ] || [ ! -s "$wk/ikev2_decryption_table" ]; then
        echo "could not read the key tables from $shared/captures/wireshark-tests/KEYS.md" >&2
        exit 1
    fi
    for c in "$shared"/captures/wireshark-tests/*.pcap*; do
        caps+=("$c"); keys+=("$wk")
    done
else
    echo "SKIP part: no ${shared:-../shared}/captures/wireshark-tests (Wireshark's test captures); lab captures only"
fi
# Other projects' public captures (no keys): merged, crafted and fuzzed IKE.
if [ -n "$shared" ] && [ -d "$shared/captures/external" ]; then
    for c in "$shared"/captures/external/*.pcap "$shared"/captures/external/*.pcapng "$shared"/captures/external/*.cap; do
        [ -f "$c" ] && { caps+=("$c"); keys+=(-); }
    done
else
    echo "SKIP part: no ${shared:-../shared}/captures/external (other projects' public captures)"
fi
if [ -n "$filter" ]; then
    fc=() fk=()
    for i in "${!caps[@]}"; do
        [[ ${caps[$i]} =~ $filter ]] && { fc+=("${caps[$i]}"); fk+=("${keys[$i]}"); }
    done
    caps=("${fc[@]}") keys=("${fk[@]}")
fi
[ ${#caps[@]} -gt 0 ] || { echo "no captures found"; exit 77; }

# ---- one tshark run ----------------------------------------------------------
start=$SECONDS runs=0 fails=0 warns=0 stopped=0
failed_list=()

over_budget() { [ "$budget" != 0 ] && [ $((SECONDS - start)) -ge "$budget" ]; }

# check LABEL CAPTURE KEYDIR STRICT [tshark args]: STRICT=1 for clean captures
check() {
    local label=$1 cap=$2 keydir=$3 strict=$4
    shift 4
    local err=$work/stderr rc
    runs=$((runs + 1))
    timeout -k 5 "$tmo" "$wrapper" "$plugin_dir" "$keydir" -r "$cap" "$@" >/dev/null 2>"$err"
    rc=$?
    local why=
    if grep -qE 'AddressSanitizer|UndefinedBehaviorSanitizer|LeakSanitizer|runtime error:' "$err"; then
        why="sanitizer report"
    elif [ $rc = 124 ] || [ $rc = 137 ]; then
        why="hang (over ${tmo}s)"
    elif [ $rc -ge 128 ]; then
        why="crash (signal $((rc - 128)))"
    elif [ "$strict" = 1 ] && [ $rc != 0 ]; then
        why="exit status $rc"
    fi
    [ -z "$why" ] && return 0

    # Is it Wireshark's own?  Same input, stock tshark (an empty plugin dir).
    if [ "$why" != "sanitizer report" ]; then
        mkdir -p "$work/noplugins"
        timeout -k 5 "$tmo" "$wrapper" "$work/noplugins" "$keydir" -r "$cap" "$@" >/dev/null 2>&1
        local src_rc=$?
        if [ $src_rc = 124 ] || [ $src_rc = 137 ] || [ $src_rc -ge 128 ]; then
            warns=$((warns + 1))
            echo "WARN  $label: $why also without ikediag (stock tshark rc $src_rc): not ours"
            return 0
        fi
    fi
    fails=$((fails + 1))
    local n=$fails
    cp "$cap" "$artifacts/fail-$n-$(basename "$cap")"
    cp "$err" "$artifacts/fail-$n.stderr"
    printf '%s\n' "$wrapper $plugin_dir $keydir -r $artifacts/fail-$n-$(basename "$cap") $*" \
        > "$artifacts/fail-$n.command"
    failed_list+=("$label: $why")
    echo "FAIL  $label: $why (input, stderr and command in $artifacts/fail-$n.*)"
    sed -n '1,40p' "$err" | sed 's/^/      /'
}

# ---- clean captures -----------------------------------------------------------
if [ $clean = 1 ]; then
    for i in "${!caps[@]}"; do
        name=$(basename "$(dirname "${caps[$i]}")")/$(basename "${caps[$i]}")
        check "clean $name (1 pass)" "${caps[$i]}" "${keys[$i]}" 1 -V
        check "clean $name (-2)" "${caps[$i]}" "${keys[$i]}" 1 -2 -V
        over_budget && { stopped=1; break; }
    done
fi

# ---- mutated captures -----------------------------------------------------------
if [ "$mutate" -gt 0 ] && [ $stopped = 0 ]; then
    rates=(0.02 0.005 0.1 0.05)
    for ((s = seed; s < seed + mutate; s++)); do
        for i in "${!caps[@]}"; do
            cap=${caps[$i]}
            name=$(basename "$(dirname "$cap")")/$(basename "$cap")
            rate=${rates[$((s % ${#rates[@]}))]}
            # Mostly skip Ethernet+IPv4+UDP (42 bytes) so that the IKE bytes,
            # not the outer headers, take the damage; every fourth seed
            # mutates whole frames.
            off=42
            [ $((s % 4)) = 3 ] && off=0
            mut=$work/mut-s$s-$(basename "$cap" .gz)
            mut=${mut%.pcapng}; mut=${mut%.pcap}.pcapng
            eargs=(-E "$rate" -o "$off" --seed $((s * 1000 + i)))
            # Every third seed also truncates the frames (snaplen 60..379).
            [ $((s % 3)) = 0 ] && eargs+=(-s $((60 + (s * 37 + i * 11) % 320)))
            if ! editcap "${eargs[@]}" "$cap" "$mut" 2>/dev/null; then
                echo "editcap failed on $cap"; fails=$((fails + 1)); continue
            fi
            if [ $alternate = 0 ] || [ $(((s + i) % 2)) = 0 ]; then
                check "${eargs[*]} $name (1 pass)" "$mut" "${keys[$i]}" 0 -V
            fi
            if [ $alternate = 0 ] || [ $(((s + i) % 2)) = 1 ]; then
                check "${eargs[*]} $name (-2)" "$mut" "${keys[$i]}" 0 -2 -V
            fi
            rm -f "$mut"
            over_budget && { stopped=1; break 2; }
        done
    done
fi

echo "tshark-sanitized: ${#caps[@]} captures, $runs tshark runs in $((SECONDS - start))s," \
     "$fails failure(s), $warns warning(s) about stock tshark$([ $stopped = 1 ] && echo ", stopped at the ${budget}s budget")"
if [ $fails -gt 0 ]; then
    printf '  %s\n' "${failed_list[@]}"
    echo "  artifacts: $artifacts"
    keep_work=1
    exit 1
fi
exit 0
