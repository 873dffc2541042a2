#!/bin/bash
# bench.sh: how much ikediag costs tshark, measured against the same tshark
# without the plugin, on SYNTHETIC scale captures made from the lab's real
# ones (tools/bench/mkcap.py).  A benchmark, not a test: it prints figures.
#
#   tools/bench/bench.sh [--build DIR] [--work DIR] [--runs N] [--growth "10000 100000 1000000"]
#                        [--dense N] [--mixed N] [--no-growth]
#
#   --build DIR   a (Release) build whose plugins/ holds ikediag.so
#                 (default build-bench; configure it with
#                 cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release)
#   --work DIR    where the synthetic captures go (default /tmp/ikediag-bench;
#                 kept between runs, ~600 MB with the 1M-packet capture)
#   --runs N      timed runs per case and side (default 5; medians)
#   --dense N     packets of the IKE-dense capture for the ratios (default 50000)
#   --mixed N     packets of the mixed capture (default 200000, ~2% IKE)
#   --no-core     leave out the core-alone series (core-scale.c; 1M SAs need ~3.5 GB)
#   --callgrind   instead of timing, count instructions (valgrind --tool=callgrind,
#                 one run per side, 10,000 IKE-dense and 20,000 mixed packets):
#                 deterministic, so it tells small changes apart on a noisy
#                 machine; instructions are not time (cache misses, allocator)
#   --growth LIST packet counts of the growth series (default 10000 100000 1000000;
#                 one run per size and side: the largest takes minutes)
#
# The ratio runs alternate four sides (stock, floor1, floorall, ikediag,
# stock, ...), so that a load change on the machine hits all alike; each
# figure is median(side) / median(stock), of wall-clock and of CPU time
# (user + sys, which the verdicts use).  "stock" is the same tshark with
# WIRESHARK_PLUGIN_DIR pointing at an empty directory; the floors are
# tools/bench/floor-plugin.c.  The verdicts at the end are issue 15's
# targets, from this run's figures.  Runs go
# under `nice`.  As root, tshark runs as nobody (Wireshark ignores
# WIRESHARK_PLUGIN_DIR for root).
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

cd "$(dirname "$0")/../.."
src=$(pwd)
build=$src/build-bench work=/tmp/ikediag-bench runs=5 dense=50000 mixed=200000
growth="10000 100000 1000000" core=1 callgrind=0 unit=s
while [ $# -gt 0 ]; do
    case $1 in
        --build) build=$(cd "$2" && pwd); shift 2 ;;
        --work) work=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --dense) dense=$2; shift 2 ;;
        --mixed) mixed=$2; shift 2 ;;
        --growth) growth=$2; shift 2 ;;
        --no-growth) growth=; shift ;;
        --no-core) core=0; shift ;;
        --callgrind) callgrind=1; shift ;;
        *) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[ -x /usr/bin/time ] || { echo "bench.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
if [ "$callgrind" = 1 ]; then
    command -v valgrind >/dev/null || { echo "bench.sh: --callgrind needs valgrind" >&2; exit 2; }
    runs=1 dense=10000 mixed=20000 growth= core=0 unit=G
fi
so=$(ls "$build"/plugins/*/epan/ikediag.so 2>/dev/null | head -1)
[ -n "$so" ] || { echo "no ikediag.so below $build/plugins (build it first)" >&2; exit 2; }

mkdir -p "$work"
chmod 755 "$work"
rm -rf "$work/plugins" "$work/noplugins" "$work/floor1" "$work/floorall" "$work/config" "$work/home"
mkdir -p "$work/plugins" "$work/noplugins" "$work/config" "$work/home"
cp -r "$build"/plugins/. "$work/plugins/"

# The floors (floor-plugin.c): a post-dissector that only wants one field,
# and one that wants exactly ikediag's fields (the names in extract.c's
# wanted_fields table) and does nothing with them.
epan_rel=${so#"$build"/plugins/}
epan_rel=${epan_rel%/ikediag.so}
floor_fields=$(sed -n '/^static const struct { field_key key; const char \*name; } wanted_fields/,/^};/p' \
    "$src/plugin/extract.c" | grep -o '"[^"]*"' | tr -d '"' | paste -sd, -)
[ -n "$floor_fields" ] || { echo "bench.sh: no wanted fields found in plugin/extract.c" >&2; exit 2; }
for f in floor1 floorall; do
    mkdir -p "$work/$f/$epan_rel"
    cc -O2 -fPIC -shared -DFLOOR_NAME="\"$f\"" $(pkg-config --cflags wireshark) \
        "$src/tools/bench/floor-plugin.c" -o "$work/$f/$epan_rel/$f.so" $(pkg-config --libs wireshark)
done
chmod -R a+rX "$work"
chmod 777 "$work/home"

sources=("$src"/test-captures/*/capture.pcap*)
mk() {  # mk MODE PACKETS FILE
    [ -s "$3" ] || nice python3 "$src/tools/bench/mkcap.py" "$1" --packets "$2" --out "$3" "${sources[@]}" >/dev/null
    chmod a+r "$3"
}

ikediag_args=()    # arguments of the ikediag side only (its tap: -z ikediag,sa)
as_user=()
[ "$(id -u)" = 0 ] && as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)

# run SIDE OUTFILE tshark-args...: prints "wall_s max_rss_kB cpu_s" (cpu = user + sys)
run() {
    local side=$1 out=$2
    shift 2
    local pdir=$work/noplugins fields= extra=()
    case $side in
        ikediag) pdir=$work/plugins extra=("${ikediag_args[@]}") ;;
        floor1) pdir=$work/floor1 ;;
        floorall) pdir=$work/floorall fields=$floor_fields ;;
    esac
    if [ "$callgrind" = 1 ]; then
        # instructions in place of both wall and CPU time (ratio() and the
        # verdicts read them alike)
        nice "${as_user[@]}" env HOME="$work/home" WIRESHARK_PLUGIN_DIR="$pdir" \
            IKEDIAG_FLOOR_FIELDS="$fields" WIRESHARK_CONFIG_DIR="$work/config" LC_ALL=C.UTF-8 \
            valgrind --tool=callgrind --callgrind-out-file=/dev/null tshark "$@" "${extra[@]}" \
            2> "$work/callgrind.err" > "$out"
        awk '/refs:/ { gsub(",", "", $NF); print $NF / 1e9, 0, $NF / 1e9 }' "$work/callgrind.err"
        return
    fi
    /usr/bin/time -f '%e %M %U %S' -o "$work/time.out" \
        nice "${as_user[@]}" env HOME="$work/home" WIRESHARK_PLUGIN_DIR="$pdir" \
        IKEDIAG_FLOOR_FIELDS="$fields" \
        WIRESHARK_CONFIG_DIR="$work/config" LC_ALL=C.UTF-8 tshark "$@" "${extra[@]}" > "$out" 2>/dev/null
    tail -1 "$work/time.out" | awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }'
}

median() { sort -n | awk '{a[NR] = $1} END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# The plugin must really load in the ikediag runs, and not in the stock ones.
check_load() {
    local n_with n_without
    run ikediag "$work/check.txt" -r "$1" -c 200 -Y ikediag -T fields -e ikediag.sa >/dev/null
    n_with=$(grep -c . "$work/check.txt" || true)
    run stock "$work/check.txt" -r "$1" -c 200 -Y 'frame' -T fields -e frame.number >/dev/null
    n_without=$(grep -c . "$work/check.txt" || true)
    if [ "$n_with" = 0 ] || [ "$n_without" = 0 ]; then
        echo "bench.sh: the plugin did not load (or the capture is empty): $n_with ikediag frames" >&2
        exit 1
    fi
    for k in floor1 floorall; do
        run "$k" "$work/check.txt" -G plugins >/dev/null
        grep -q "$k.so" "$work/check.txt" ||
            { echo "bench.sh: the $k plugin did not load" >&2; exit 1; }
    done
}

# ratio NAME FILE tshark-args...: alternating runs (stock, floor1, floorall,
# ikediag, stock, ...), medians, ratios to stock
ratio() {
    local name=$1 file=$2
    shift 2
    local sides=(stock floor1 floorall ikediag) i k w r c
    declare -A wall cpu
    for ((i = 0; i < runs; i++)); do
        for k in "${sides[@]}"; do
            read -r w r c < <(run "$k" "$work/out-$k.txt" -r "$file" "$@")
            wall[$k]="${wall[$k]:-} $w"
            cpu[$k]="${cpu[$k]:-} $c"
        done
    done
    local -A mw mc
    for k in "${sides[@]}"; do
        # shellcheck disable=SC2086
        mw[$k]=$(printf '%s\n' ${wall[$k]} | median)
        # shellcheck disable=SC2086
        mc[$k]=$(printf '%s\n' ${cpu[$k]} | median)
    done
    printf "%-34s %7s $unit %7s $unit %7s %7s %7s   %7s $unit %7s $unit %7s %7s %7s\n" "$name" \
        "${mw[stock]}" "${mw[ikediag]}" \
        "$(awk -v a="${mw[ikediag]}" -v b="${mw[stock]}" 'BEGIN { printf "%.2fx", a / b }')" \
        "$(awk -v a="${mw[floor1]}" -v b="${mw[stock]}" 'BEGIN { printf "%.2fx", a / b }')" \
        "$(awk -v a="${mw[floorall]}" -v b="${mw[stock]}" 'BEGIN { printf "%.2fx", a / b }')" \
        "${mc[stock]}" "${mc[ikediag]}" \
        "$(awk -v a="${mc[ikediag]}" -v b="${mc[stock]}" 'BEGIN { printf "%.2fx", a / b }')" \
        "$(awk -v a="${mc[floor1]}" -v b="${mc[stock]}" 'BEGIN { printf "%.2fx", a / b }')" \
        "$(awk -v a="${mc[floorall]}" -v b="${mc[stock]}" 'BEGIN { printf "%.2fx", a / b }')"
    { echo "$name"
      for k in "${sides[@]}"; do echo "   $k wall:${wall[$k]}  cpu:${cpu[$k]}"; done; } >> "$work/raw.txt"
    # CPU ratios of ikediag and floorall, for the verdicts
    last_ikd=$(awk -v a="${mc[ikediag]}" -v b="${mc[stock]}" 'BEGIN { printf "%.3f", a / b }')
    last_floor=$(awk -v a="${mc[floorall]}" -v b="${mc[stock]}" 'BEGIN { printf "%.3f", a / b }')
}

# verdict TEXT RATIO LIMIT: "met" when RATIO <= LIMIT
verdict() {
    awk -v t="$1" -v r="$2" -v l="$3" 'BEGIN { printf "  %-58s %6.2f  (target <= %.2f)  %s\n", t, r, l, (r <= l + 1e-9 ? "met" : "NOT met") }'
}

echo "ikediag benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(tshark -v 2>/dev/null | head -1)"
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "plugin: $so"
echo "captures: $work (synthetic, made from ${#sources[@]} lab captures by tools/bench/mkcap.py)"
: > "$work/raw.txt"

dense_f=$work/synthetic-ike-dense-$dense.pcap
mixed_f=$work/synthetic-mixed-2pct-ike-$mixed.pcap
mk dense "$dense" "$dense_f"
mk mixed "$mixed" "$mixed_f"
check_load "$dense_f"

echo
if [ "$callgrind" = 1 ]; then
    echo "Ratios of instructions (valgrind --tool=callgrind, one run per side; both column groups show"
    echo "the same count, in units of 10^9 instructions, and the verdicts read them as CPU)"
else
    echo "Ratios (median of $runs alternating runs; wall clock, and CPU = user + sys, which a busy machine disturbs less)"
fi
echo "floor1 = a post-dissector that wants one field and does nothing; floorall = one that wants"
echo "ikediag's $(tr ',' '\n' <<< "$floor_fields" | wc -l) fields and does nothing (tools/bench/floor-plugin.c): what Wireshark"
echo "charges any such plugin before it does any work"
printf '%-34s %9s %9s %7s %7s %7s   %9s %9s %7s %7s %7s\n' "case" "stock" "ikediag" "wall" "floor1" "floorall" \
    "stock" "ikediag" "CPU" "floor1" "floorall"
ratio "IKE-dense, -r ($dense pkts)" "$dense_f"
d_ikd=$last_ikd d_floor=$last_floor
ratio "mixed ~2% IKE, -r ($mixed pkts)" "$mixed_f"
m_ikd=$last_ikd m_floor=$last_floor
ratio "IKE-dense, -Y isakmp -T fields" "$dense_f" -Y isakmp -T fields -e isakmp.ispi
y_ikd=$last_ikd y_floor=$last_floor
# The statistics.  tshark -q without a tap reads the file and dissects
# nothing, so every side runs a cheap stock tap that makes it dissect
# (-z io,stat,0); only ikediag adds its own (stock and the floors do not
# know it), so floorall with io,stat is this case's floor.
ikediag_args=(-z ikediag,sa)
ratio "mixed, -q -z io,stat,0 (+ikediag,sa)" "$mixed_f" -q -z io,stat,0
ikediag_args=()
z_ikd=$last_ikd z_floor=$last_floor
echo
echo "Targets (issue 15; $([ "$callgrind" = 1 ] && echo instructions || echo CPU), this run; own = ikediag - floorall):"
verdict "IKE-dense -r, own cost (floorall $d_floor)" "$(awk -v a="$d_ikd" -v b="$d_floor" 'BEGIN { print a - b }')" 0.10
verdict "mixed -r, own cost (floorall $m_floor)" "$(awk -v a="$m_ikd" -v b="$m_floor" 'BEGIN { print a - b }')" 0.02
verdict "IKE-dense -Y isakmp -T fields, ratio to stock (floorall $y_floor)" "$y_ikd" 1.10
awk -v a="$z_ikd" -v b="$z_floor" 'BEGIN { printf "  %-58s %6.2f  (floor: floorall %.2f; no target)\n", "mixed -q -z ikediag,sa, ratio to stock -q -z io,stat,0", a, b }'

if [ -n "$growth" ]; then
    echo
    echo "Growth (one run per size and side; IKE-dense, -r; every copy a distinct negotiation)"
    printf '%-9s %8s %8s %9s %8s %8s %9s %11s %11s %9s %10s\n' packets "stock s" "CPU s" "MB" \
        "ikd s" "CPU s" "MB" "+CPU us/pk" "+MB" "+B/pk" "+B/IKE pk"
    # the share of IKE packets (the rest is ESP, ICMP, IP fragments), the
    # same in every size: each is made of whole copies of the lab captures
    run stock "$work/ike.txt" -r "$dense_f" -Y isakmp -T fields -e frame.number >/dev/null
    ike_share=$(awk -v n="$(grep -c . "$work/ike.txt")" -v d="$dense" 'BEGIN { printf "%.3f", n / d }')
    for n in $growth; do
        f=$work/synthetic-ike-dense-$n.pcap
        mk dense "$n" "$f"
        read -r ts ms tsc < <(run stock "$work/out-stock.txt" -r "$f")
        read -r tp mp tpc < <(run ikediag "$work/out-ikediag.txt" -r "$f")
        awk -v n="$n" -v ts="$ts" -v ms="$ms" -v tsc="$tsc" -v tp="$tp" -v mp="$mp" -v tpc="$tpc" \
            -v share="$ike_share" 'BEGIN {
            printf "%-9d %8.2f %8.2f %9.1f %8.2f %8.2f %9.1f %11.1f %11.1f %9.0f %10.0f\n",
                   n, ts, tsc, ms / 1024, tp, tpc, mp / 1024, (tpc - tsc) * 1e6 / n, (mp - ms) / 1024,
                   (mp - ms) * 1024 / n, (mp - ms) * 1024 / (n * share) }'
        [ "$n" -ge 1000000 ] && rm -f "$f"     # ~300 MB; made again when needed
    done
    echo "(IKE packets: $ike_share of the capture; target: at most 400 B per IKE packet at 1M packets)"
fi

if [ "$core" = 1 ]; then
    echo
    echo "Core alone (tools/bench/core-scale.c: synthetic ikd_msg streams, no Wireshark; CPU time)"
    cc -O2 -I"$src/plugin" $(pkg-config --cflags glib-2.0) "$src/tools/bench/core-scale.c" \
        "$src"/plugin/core/*.c $(pkg-config --libs glib-2.0) -o "$work/core-scale"
    for c in "sas 10000" "sas 100000" "sas 1000000" "hub 10000" "hub 100000" "exchanges 10000" "exchanges 100000"; do
        # shellcheck disable=SC2086
        nice "$work/core-scale" $c
    done
fi
echo
echo "raw timings: $work/raw.txt"
