#!/bin/bash
# findings.sh PLUGIN_DIR [SCENARIO_DIR...]
# Prints every ikediag finding on every bundled capture, as
# "scenario frame=N cause failure=N", sorted.  Meant to be diffed between
# Wireshark versions (run-compat.sh does that against the host's): the
# goldens say what must be found; this shows any difference at all, also on
# captures whose goldens are not reviewed yet.  Two passes (-2) only: they
# hold every finding of one pass plus those that need the whole capture,
# and the capture tests already compare one pass with the goldens on every
# version.  Default scenarios: test-captures/*/ that hold a capture.
# Booleans are written 0/1 (tshark 4.0 prints 1/0, 4.4 and later True/False).
# Environment: IKEDIAG_JOBS (parallel tshark runs, default 2).
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
plugins=${1:?usage: findings.sh PLUGIN_DIR [SCENARIO_DIR...]}
shift
[ $# -gt 0 ] || set -- "$root"/test-captures/*/

one() {   # SCENARIO_DIR
    local d=${1%/} cap name
    cap=$(ls "$d"/capture.* 2>/dev/null | head -n 1)
    [ -n "$cap" ] || return 0
    name=$(basename "$d")
    "$root/tests/lib/tshark-nobody.sh" "$plugins" "$d" -2 -r "$cap" -T fields -E occurrence=a -E aggregator=, \
        -e frame.number -e ikediag.cause -e ikediag.verdict -Y ikediag.cause 2>/dev/null |
        awk -v n="$name" -F'\t' '{ print n, "frame=" $1, $2, "verdict=" $3 }'
}
export -f one
export root plugins
printf '%s\n' "$@" | xargs -P "${IKEDIAG_JOBS:-2}" -I{} bash -c 'one "$1"' _ {} | LC_ALL=C sort
