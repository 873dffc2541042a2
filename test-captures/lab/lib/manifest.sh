# shellcheck shell=bash
# Markdown manifest of the committed captures (make-captures.sh --manifest), pasted into docs/captures.md

daemon_short() {
    case $1 in ss) echo "strongSwan 5.9.8" ;; ss6) echo "strongSwan 6.0.1" ;; ls) echo "libreswan 4.10" ;; vpnc) echo "vpnc 0.5.3" ;; ikescan) echo "ike-scan 1.9.5" ;; none) echo "(none)" ;; esac
}

# "IKE_SA_INIT×2 IKE_AUTH×2 ESP×6 ..." in order of first appearance
wire_summary() {
    tshark -r "$1" -T fields -e udp.srcport -e _ws.col.Protocol -e _ws.col.Info 2>/dev/null |
    awk -F'\t' '{
        x = $3
        if ($2 == "ESP") { k = ($1 != "") ? "ESP-in-UDP" : "ESP" }
        else if ($2 == "ICMP") { k = "ICMP " ($3 ~ /Port unreachable/ ? "port-unreach" : "error") }
        else if ($3 ~ /Fragmented IP/) { k = "IP-fragment" }
        else if ($3 ~ /^IKE_SA_INIT/) k = "IKE_SA_INIT"
        else if ($3 ~ /^IKE_AUTH/) k = "IKE_AUTH"
        else if ($3 ~ /^CREATE_CHILD_SA/) k = "CREATE_CHILD_SA"
        else if ($3 ~ /^INFORMATIONAL/) k = "INFORMATIONAL"
        else if ($3 ~ /Identity Protection/) k = "MainMode"
        else if ($3 ~ /^Aggressive/) k = "Aggressive"
        else if ($3 ~ /^Quick Mode/) k = "QuickMode"
        else if ($3 ~ /^Informational/) k = "Informational(v1)"
        else if ($3 ~ /^Transaction/) k = "Transaction(v1)"
        else k = $2
        if (!(k in n)) order[++m] = k
        n[k]++
    } END { for (i = 1; i <= m; i++) printf "%s%s×%d", (i > 1 ? " " : ""), order[i], n[order[i]] }'
}

print_manifest() {
    echo "| scenario dir | IKE | initiator → responder | scenario | on the wire | frames | expected findings (frame: cause) |"
    echo "|---|---|---|---|---|---|---|"
    local s d v frames causes
    for s in $(list_scenarios); do
        d=$OUT/$s
        [[ -f $d/capture.pcap ]] || continue
        ( DESC= I_DAEMON= R_DAEMON=; . "$LAB/scenarios/$s/scenario.env"
          v=${s%%-*}; v=${v#ikev}
          frames=$(capinfos -c -M "$d/capture.pcap" 2>/dev/null | awk '/Number of packets/ {print $NF}')
          # 'wrong' lines (what ikediag reports today without support) are not expected findings
          causes=$(awk '/^frame=/ && !/ wrong( |$)/ { f=$1; c=$2; fl=$3; sub("frame=","",f); sub("cause=","",c); sub("failure=","",fl)
                                    printf "%s%s: %s%s%s", (n++ ? "; " : ""), f, c, (fl == "0" ? " (ok)" : ""), (/ xfail( |$)/ ? " (no rule yet)" : "") }' "$d/expected.txt")
          echo "| \`$s\` | $v | $(daemon_short "$I_DAEMON") → $(daemon_short "$R_DAEMON") | ${DESC//|/\\|} | $(wire_summary "$d/capture.pcap") | $frames | ${causes:-none (healthy)} |"
        )
    done
}
