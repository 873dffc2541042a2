#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ikediag-fleet.sh: every capture below some directories -> Elasticsearch/OpenSearch bulk input
# (NDJSON: an index line, then one document per frame), the ikediag findings with the frame and
# peer fields that matter.  docs/fleet.md has the mapping and queries.
#
#   ikediag-fleet.sh [-i INDEX] [-a] [-k KEYDIR] [-Y FILTER] DIR|FILE... > bulk.ndjson
#   curl -s -H 'Content-Type: application/x-ndjson' --data-binary @bulk.ndjson localhost:9200/_bulk
#
#   -i INDEX   index name (default ikediag)
#   -a         every frame ikediag annotates (default: only frames with a finding, ikediag.cause)
#   -Y FILTER  another display filter instead
#   -k KEYDIR  a Wireshark configuration directory with decryption tables (tools/ikediag-keys --out)
#
# Each document: "timestamp" (epoch ms, from tshark), "capture" (the file's path), and the fields
# below as arrays of strings, named with "_" for "." (ikediag.cause -> ikediag_cause), as tshark's
# -T ek -e writes them.  The ikediag fields are the ones the installed plugin registers (tshark -G
# fields), so new ones travel without editing this script.  Progress goes to stderr.
# IKEDIAG_TSHARK: the tshark to run (default tshark).
set -u -o pipefail

index=ikediag filter=ikediag.cause keydir=
usage() { sed -n '2,19s/^# \{0,1\}//p' "$0" >&2; exit 2; }
while getopts 'i:ak:Y:h' o; do
    case $o in
        i) index=$OPTARG ;;
        a) filter=ikediag ;;
        k) keydir=$OPTARG ;;
        Y) filter=$OPTARG ;;
        *) usage ;;
    esac
done
shift $((OPTIND - 1))
(($#)) || usage
tshark=${IKEDIAG_TSHARK:-tshark}   # (not $TSHARK: tests/lib/tshark-nobody.sh reads that one)
command -v "$tshark" >/dev/null || { echo "ikediag-fleet: $tshark not found" >&2; exit 2; }
[[ -z $keydir || -d $keydir ]] || { echo "ikediag-fleet: -k $keydir: not a directory" >&2; exit 2; }

# frame and peer fields: where and when, who talked to whom, which IKE SA
base=(frame.number frame.time_epoch frame.len ip.src ip.dst ipv6.src ipv6.dst udp.srcport udp.dstport
      isakmp.ispi isakmp.rspi isakmp.version isakmp.exchangetype)
mapfile -t ikd < <("$tshark" -G fields 2>/dev/null |
    awk -F'\t' '$1 == "F" && $3 ~ /^ikediag\./ && $3 !~ /^ikediag\.expert/ && $4 != "FT_NONE" { print $3 }')
((${#ikd[@]})) || { echo "ikediag-fleet: tshark knows no ikediag.* field: is the plugin installed?" >&2; exit 2; }
args=()
for f in "${base[@]}" "${ikd[@]}"; do args+=(-e "$f"); done

mapfile -d '' files < <(find "$@" -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' \
                        -o -name '*.pcap.gz' -o -name '*.pcapng.gz' \) -print0 | sort -z)
n=${#files[@]} i=0 docs=0 bad=0
((n)) || { echo "ikediag-fleet: no capture (*.pcap, *.pcapng, *.cap, *.gz) in $*" >&2; exit 1; }
json_str() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }
for f in "${files[@]}"; do
    i=$((i + 1))
    cap=$(json_str "$f")
    # -2: the fields that look forward (ikediag.outcome, ikediag.response_in) are filled in too
    out=$(if [[ -n $keydir ]]; then export WIRESHARK_CONFIG_DIR=$keydir; fi
          "$tshark" -n -2 -r "$f" -Y "$filter" -T ek "${args[@]}" 2>/dev/null)
    rc=$?
    if ((rc)); then
        bad=$((bad + 1))
        echo "ikediag-fleet: [$i/$n] $f: tshark exit $rc, skipped" >&2
        continue
    fi
    # tshark's own index lines carry its date-based index (and "_type" on 4.0, which Elasticsearch 8
    # refuses): write ours, and the capture's path into every document
    k=$(printf '%s\n' "$out" | grep -c '^{"timestamp"')
    printf '%s\n' "$out" | awk -v idx="$index" -v cap="$cap" '
        /^\{"index"/ { next }
        /^\{"timestamp"/ { print "{\"index\":{\"_index\":\"" idx "\"}}"; sub(/^\{/, "{\"capture\":" cap ","); print }'
    docs=$((docs + k))
    echo "ikediag-fleet: [$i/$n] $f: $k documents" >&2
done
echo "ikediag-fleet: $n captures, $docs documents, $bad unreadable" >&2
((bad == 0))
