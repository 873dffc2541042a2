# shellcheck shell=bash
# vpnc peers (Debian package vpnc): an IKEv1 remote-access client (Aggressive Mode with a group PSK,
# XAUTH, Mode Config, userspace ESP through a TUN device). It is the initiator only; a scenario
# gives its config file(s):
#   initiator.conf         vpnc.conf syntax, used by "initiate lab"
#   vpnc-NAME.conf         used by "initiate NAME" (a second client, e.g. to exhaust a pool)
# Each client runs in the initiator namespace with --no-detach and the lab's own vpnc-script
# (lib/vpnc-script: TUN address and one route, never /etc/resolv.conf or the default route).
# Its log (--debug 1, plus what the script saw) goes to the scenario's initiator.log.

VPNC_SCRIPT=$LAB/lib/vpnc-script
VPNC_PIDS=()

vpnc_prepare() {   # src peerdir
    local src=$1 d=$2 f n
    cp "$src/initiator.conf" "$d/lab.conf"
    for f in "$src"/vpnc-*.conf; do
        [[ -f $f ]] || continue
        n=${f##*/vpnc-}; n=${n%.conf}
        cp "$f" "$d/$n.conf"
    done
    chmod 600 "$d"/*.conf
}

# starts one client and waits until its script reports the tunnel up or vpnc exits (wrong group
# password, XAUTH refused, no address) or T seconds pass
vpnc_initiate() {   # name [timeout]
    local name=$1 t=${2:-15} d=$WORK/$SCEN/ini pid _
    [[ -f $d/$name.conf ]] || die "vpnc: no config $name (initiator.conf or vpnc-$name.conf)"
    rm -f "$d/$name.up"
    {
        echo "### vpnc client '$name': vpnc --no-detach --debug 1 $name.conf"
        sed 's/^\(IPSec secret\|Xauth password\) .*/\1 (see the scenario config)/' "$d/$name.conf" | sed 's/^/### conf: /'
    } >> "$d/client.log"
    ip netns exec "$NS_INI" env VPNC_LAB_UP="$d/$name.up" VPNC_LAB_LOG="$d/client.log" \
        vpnc --no-detach --debug 1 --pid-file "$d/$name.pid" --script "$VPNC_SCRIPT" \
        --ifname "vpnc-$name" "$d/$name.conf" >> "$d/client.log" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    VPNC_PIDS+=("$pid")
    eval "VPNC_PID_${name//-/_}=$pid"
    for _ in $(seq $((t * 10))); do
        [[ -f $d/$name.up ]] && { sleep 0.3; return 0; }
        kill -0 "$pid" 2>/dev/null || { wait "$pid"; echo "### vpnc '$name' exited with status $?" >> "$d/client.log"; return 0; }
        sleep 0.1
    done
    echo "### vpnc '$name' still negotiating after ${t}s" >> "$WORK/$SCEN/ini/client.log"
    return 0
}

# SIGTERM: vpnc deletes its SAs (Informational DELETE) and exits
vpnc_terminate() {   # name
    local pid d=$WORK/$SCEN/ini _
    pid=$(eval "echo \${VPNC_PID_${1//-/_}:-}")
    [[ -n $pid ]] || return 0
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    echo "### vpnc '$1' terminated" >> "$d/client.log"
    sleep 0.5
}

vpnc_stop_all() {
    local p
    for p in "${VPNC_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
    sleep 1
    for p in "${VPNC_PIDS[@]}"; do kill -9 "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    VPNC_PIDS=()
}
