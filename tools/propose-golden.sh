#!/bin/bash
# propose-golden.sh PLUGIN_DIR KEYS_DIR CAPTURE
#
# Prints, on stdout, what ikediag reports today for CAPTURE with tshark -2:
# the tracking fields (tracking.txt format) and the findings (expected.txt
# format).  It writes nothing: a golden file is only ever made by a person
# who compares this proposal with the daemons' logs and the packets, and
# copies what is right.
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 PLUGIN_DIR KEYS_DIR|- CAPTURE" >&2; exit 2; }
here=$(cd "$(dirname "$0")/.." && pwd)
wrap=$here/tests/lib/tshark-nobody.sh
echo "# tracking (tracking.txt): frame sa exchange message state request_in response_in retransmission_of icmp_for"
"$wrap" "$1" "$2" -2 -r "$3" -T fields -E occurrence=a -E aggregator=, \
    -e frame.number -e ikediag.sa -e ikediag.exchange -e ikediag.message -e ikediag.state \
    -e ikediag.request_in -e ikediag.response_in -e ikediag.retransmission_of -e ikediag.icmp_for |
    awk -F'\t' '$2 != ""'
echo "# findings (expected.txt)"
"$wrap" "$1" "$2" -2 -r "$3" -T fields -E occurrence=a -E aggregator='|' \
    -e frame.number -e ikediag.cause -e ikediag.verdict |
    awk -F'\t' '$2 != "" { n = split($2, c, "|"); split($3, f, "|");
        for (i = 1; i <= n; i++) printf "frame=%s cause=%s failure=%s\n", $1, c[i], f[i] == "failure" ? 1 : 0 }'
