#!/bin/bash
# check-plugin-loads.sh WRAPPER PLUGIN_DIR
# The build-tree plugin loads into the installed tshark and registers its
# protocol and fields.
set -euo pipefail
wrap=$1 plugins=$2
out=$("$wrap" "$plugins" - -G plugins)
echo "$out" | grep -E '^ikediag\.so' || { echo "ikediag.so not listed by tshark -G plugins:"; echo "$out"; exit 1; }
fields=$("$wrap" "$plugins" - -G fields | awk -F'\t' '$1 == "F" && $3 ~ /^ikediag\./ { print $3 }' | sort)
for f in ikediag.sa ikediag.exchange ikediag.state ikediag.request_in ikediag.response_in \
         ikediag.retransmission_of ikediag.icmp_for ikediag.cause ikediag.failure ikediag.verdict ikediag.offered \
         ikediag.chosen ikediag.mismatch ikediag.hint; do
    grep -qx "$f" <<<"$fields" || { echo "field $f is not registered"; exit 1; }
done
echo "ikediag loads; $(echo "$fields" | wc -l) ikediag.* fields registered"
