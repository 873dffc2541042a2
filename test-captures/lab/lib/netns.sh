# shellcheck shell=bash
# Lab topology (documentation address ranges only; nothing is added to the root namespace):
#
#   ikdlab-ini                    ikdlab-gw                         ikdlab-res
#   initiator  eth0 ----- gw-ini | router, capture here | gw-res ----- eth0  responder
#   198.51.100.10/24   198.51.100.1/24         203.0.113.1/24      203.0.113.20/24
#   inner 192.0.2.1 (lo)                                        inner 192.0.2.129 (lo)
#
# With NAT=1 the router masquerades 198.51.100.0/24 behind 203.0.113.1.

NS_INI=ikdlab-ini NS_GW=ikdlab-gw NS_RES=ikdlab-res
INI_ADDR=198.51.100.10 RES_ADDR=203.0.113.20 INI_INNER=192.0.2.1 RES_INNER=192.0.2.129

topo_up() {
    local ns
    for ns in $NS_INI $NS_GW $NS_RES; do
        ip netns add "$ns"
        CREATED_NS+=("$ns")
        ip -n "$ns" link set lo up
    done
    ip link add ikdlab-i0 netns $NS_INI type veth peer name gw-ini netns $NS_GW
    ip link add ikdlab-r0 netns $NS_RES type veth peer name gw-res netns $NS_GW
    ip -n $NS_INI link set ikdlab-i0 name eth0
    ip -n $NS_RES link set ikdlab-r0 name eth0
    ip -n $NS_INI addr add $INI_ADDR/24 dev eth0
    ip -n $NS_INI addr add $INI_INNER/32 dev lo
    ip -n $NS_INI link set eth0 up
    ip -n $NS_INI route add default via 198.51.100.1
    ip -n $NS_GW addr add 198.51.100.1/24 dev gw-ini
    ip -n $NS_GW addr add 203.0.113.1/24 dev gw-res
    ip -n $NS_GW link set gw-ini up
    ip -n $NS_GW link set gw-res up
    ip netns exec $NS_GW sysctl -qw net.ipv4.ip_forward=1
    ip -n $NS_RES addr add $RES_ADDR/24 dev eth0
    ip -n $NS_RES addr add $RES_INNER/32 dev lo
    ip -n $NS_RES link set eth0 up
    ip -n $NS_RES route add default via 203.0.113.1
    # a second responder address (R_EXTRA_ADDR, e.g. the gateway an RFC 5685 REDIRECT points to)
    [[ -n ${R_EXTRA_ADDR:-} ]] && ip -n $NS_RES addr add "$R_EXTRA_ADDR/24" dev eth0
    if [[ ${IPV6:-0} == 1 ]]; then
        # IPv6 outer addresses (documentation prefix); the inner traffic selectors stay IPv4
        ip netns exec $NS_GW sysctl -qw net.ipv6.conf.all.forwarding=1
        local ns
        for ns in $NS_INI $NS_GW $NS_RES; do ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0; done
        ip -n $NS_INI addr add 2001:db8:1::10/64 dev eth0 nodad
        ip -n $NS_GW addr add 2001:db8:1::1/64 dev gw-ini nodad
        ip -n $NS_GW addr add 2001:db8:2::1/64 dev gw-res nodad
        ip -n $NS_RES addr add 2001:db8:2::20/64 dev eth0 nodad
        ip -n $NS_INI -6 route add default via 2001:db8:1::1
        ip -n $NS_RES -6 route add default via 2001:db8:2::1
        # warm the neighbour caches before the capture starts (else the first IKE packet is lost
        # while neighbour discovery runs, and every IPv6 capture starts with a retransmission)
        ip netns exec $NS_INI ping -6 -n -q -c 2 -i 0.3 -W 2 2001:db8:2::20 >/dev/null 2>&1 || true
    fi
    if [[ ${NAT:-0} == 1 ]]; then
        ip netns exec $NS_GW iptables -t nat -A POSTROUTING -o gw-res -s 198.51.100.0/24 -j MASQUERADE
    fi
    if [[ ${MTU:-} ]]; then
        ip -n $NS_INI link set eth0 mtu "$MTU"
        ip -n $NS_GW link set gw-ini mtu "$MTU"
        ip -n $NS_GW link set gw-res mtu "$MTU"
        ip -n $NS_RES link set eth0 mtu "$MTU"
    fi
}

topo_down() {
    local ns
    for ns in "${CREATED_NS[@]}"; do
        ip netns pids "$ns" 2>/dev/null | while read -r p; do kill "$p" 2>/dev/null; done
        ip netns del "$ns" 2>/dev/null
    done
    CREATED_NS=()
}

# run an iptables rule set (one rule per line, "ns: args"; "ns6:" for ip6tables) given in a scenario variable
apply_rules() {
    local line ns args
    while IFS= read -r line; do
        [[ -z ${line// } || $line == \#* ]] && continue
        ns=${line%%:*} args=${line#*:}
        local cmd=iptables
        [[ $ns == *6 ]] && { cmd=ip6tables; ns=${ns%6}; }
        case $ns in ini) ns=$NS_INI ;; gw) ns=$NS_GW ;; res) ns=$NS_RES ;; *) die "bad rule: $line" ;; esac
        # shellcheck disable=SC2086
        ip netns exec "$ns" $cmd $args
    done <<< "$1"
}

capture_start() {   # $1 = output pcap
    local ifc=${CAPTURE_IF:-gw-ini}
    # only IKE, NAT-T, ESP, ICMP and non-first IP fragments, so that frame numbers are stable
    ip netns exec $NS_GW tcpdump -i "$ifc" --immediate-mode -U -Z root -s 0 -w "$1" \
        'udp port 500 or udp port 4500 or esp or icmp or (ip[6:2] & 0x1fff != 0) or (icmp6 and ip6[40] < 128) or (ip6 and ip6[6] == 44)' 2>"$1.log" &
    TCPDUMP_PID=$!
    PIDS+=("$TCPDUMP_PID")
    local i
    for i in $(seq 50); do grep -q listening "$1.log" 2>/dev/null && break; sleep 0.1; done
}

capture_stop() {
    sleep 1
    kill -INT "$TCPDUMP_PID" 2>/dev/null
    wait "$TCPDUMP_PID" 2>/dev/null
}
