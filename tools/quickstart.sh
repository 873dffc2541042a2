#!/bin/bash
# quickstart.sh
# One command from a fresh Debian 12 checkout to diagnoses on the screen:
# installs what is missing (apt), builds ikediag, installs the plugin (for
# this user, or system-wide when run as root, since Wireshark ignores
# personal plugins under root) and shows what ikediag finds in a bundled
# capture of a real failed negotiation.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
cmake --install build

demo=test-captures/ikev2-proposal-mismatch-ss6-ss6
cap=$(ls "$demo"/capture.* | head -n 1)
echo
echo "== tshark -G plugins | grep ikediag"
tshark -G plugins | grep ikediag || { echo "quickstart: tshark does not load the plugin" >&2; exit 1; }
echo
echo "== Diagnoses in $cap (a real strongSwan negotiation the responder refused):"
echo "   tshark -r $cap -Y ikediag.failure -T fields -e frame.number -e ikediag.cause -e ikediag.finding -e ikediag.hint"
tshark -r "$cap" -Y ikediag.failure -T fields -E header=y \
    -e frame.number -e ikediag.cause -e ikediag.finding -e ikediag.hint
echo
echo "Open any capture in Wireshark and filter on 'ikediag' or 'ikediag.failure'; see README.md."
