#!/bin/bash
# run-checkers.sh [--ws-source DIR] PLUGIN_DIR
#
# Wireshark's own source checkers on ikediag's plugin/, the way Wireshark
# runs them on its dissectors (tools/pre-commit, the checkAPI targets):
#
#   tools/checkAPIs.pl      forbidden, deprecated and non-portable APIs
#                           (default groups: g_snprintf -> snprintf, ...),
#                           hf/ett/value_string entries, shadowed names;
#                           plus the dissector groups (exit/abort/g_assert,
#                           printf/g_warning) on dissection code.  Wireshark
#                           4.0 calls those groups dissectors-prohibited and
#                           dissectors-restricted, older and some newer
#                           trees abort and termoutput; whichever the tree
#                           defines is used (an unknown group name is
#                           silently ignored by checkAPIs.pl, so it is
#                           looked up here, not guessed).
#   tools/checkhf.pl        per file: every hf_/ei_ declared is registered
#                           in an hf[]/ei[] array and used
#   tools/checkfiltername.pl  per file: field and expert names of
#                           packet-PROTO.c start with PROTO (ikediag.)
#
# DIR is an unpacked Wireshark source tree (tools/ws-source.sh fetches the
# one of the installed version); when it is empty or not given,
# $IKEDIAG_WS_SOURCE.  Without one
# the checks are skipped (exit 77).  Any line a checker prints, warning or
# error, fails the run (checkhf.pl exits 0 on "Unused" entries and
# checkAPIs.pl on warnings, so their exit codes alone are not enough).
#
# Exit: 0 clean, 1 findings (or a broken source tree), 77 skipped.
# SPDX-License-Identifier: GPL-2.0-or-later
set -uo pipefail

ws=${IKEDIAG_WS_SOURCE:-}
if [ "${1:-}" = --ws-source ]; then
    ws=${2:-$ws}        # empty (CMake cache unset): the environment's
    shift 2
fi
plugin=${1:?usage: run-checkers.sh [--ws-source DIR] PLUGIN_DIR}

if [ -z "$ws" ]; then
    echo "SKIPPED: no Wireshark source tree given; set IKEDIAG_WS_SOURCE (environment or"
    echo "  cmake -DIKEDIAG_WS_SOURCE=DIR) to an unpacked source, e.g. the one"
    echo "  tools/ws-source.sh prints (apt-get source wireshark)"
    exit 77
fi
tools=$ws/tools
for t in checkAPIs.pl checkhf.pl checkfiltername.pl; do
    if [ ! -f "$tools/$t" ]; then
        echo "FAIL: IKEDIAG_WS_SOURCE=$ws is not a Wireshark source tree (no tools/$t)"
        exit 1
    fi
done
command -v perl >/dev/null || { echo "FAIL: perl is needed for Wireshark's checkers"; exit 1; }

# The dissector groups, by the names this tree gives them.
groups=()
for pair in dissectors-prohibited:abort dissectors-restricted:termoutput; do
    for g in ${pair%%:*} ${pair##*:}; do
        if grep -q "^[[:space:]]*'$g'[[:space:]]*=>" "$tools/checkAPIs.pl"; then
            groups+=(--group "$g")
            break
        fi
    done
done
if [ ${#groups[@]} -ne 4 ]; then
    echo "FAIL: $tools/checkAPIs.pl defines neither dissectors-prohibited/-restricted nor abort/termoutput"
    exit 1
fi

# stats.c is the -z ikediag,sa / ikediag,tree tap user interface: printing
# the table (printf) and ending tshark on a bad -z argument before 4.6
# (exit, as tshark's own ui/cli/tap-*.c do) are its job.  Wireshark checks
# such code (ui/cli, plugins/epan/stats_tree) with the default groups only.
ui_files=" stats.c "

cd "$plugin" || exit 1
shopt -s nullglob
sources=(*.c core/*.c)
headers=(*.h core/*.h)
if [ ${#sources[@]} -eq 0 ]; then
    echo "FAIL: no C sources in $plugin"
    exit 1
fi

out=$(mktemp)
trap 'rm -f "$out"' EXIT
findings=0
run() {   # run CHECKER-LABEL FILE COMMAND...: any output or failure is a finding
    local label=$1 file=$2 rc
    shift 2
    "$@" >"$out" 2>&1
    rc=$?
    # checkAPIs.pl prints nothing when clean; checkfiltername.pl may print
    # blank lines around a report.
    if [ $rc -ne 0 ] || grep -q '[^[:space:]]' "$out"; then
        findings=$((findings + 1))
        echo "--- $label $file (exit $rc)"
        grep '[^[:space:]]' "$out"
    fi
}

for f in "${sources[@]}" "${headers[@]}"; do
    if [[ $ui_files == *" $f "* ]]; then
        run checkAPIs.pl "$f" perl "$tools/checkAPIs.pl" "$f"
    else
        run "checkAPIs.pl ${groups[*]}" "$f" perl "$tools/checkAPIs.pl" "${groups[@]}" "$f"
    fi
done
for f in "${sources[@]}"; do
    run checkhf.pl "$f" perl "$tools/checkhf.pl" "$f"
    # One file per run: checkfiltername.pl keeps the previous file's protocol
    # for files that are not packet-*.c when given several at once.
    run checkfiltername.pl "$f" perl "$tools/checkfiltername.pl" "$f"
done

n=$(( ${#sources[@]} + ${#headers[@]} ))
if [ $findings -ne 0 ]; then
    echo "FAIL: Wireshark's checkers ($ws) report on $findings of the checks of $n files in $plugin"
    exit 1
fi
echo "OK: checkAPIs.pl (default groups, ${groups[*]}), checkhf.pl, checkfiltername.pl clean on $n files ($ws)"
exit 0
