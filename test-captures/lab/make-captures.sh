#!/bin/bash
# Regenerates the ikediag capture corpus from real IKE daemons talking across network namespaces.
#
#   sudo test-captures/lab/make-captures.sh              # every scenario
#   sudo test-captures/lab/make-captures.sh NAME...      # some scenarios (names as in lab/scenarios/)
#   sudo test-captures/lab/make-captures.sh --list
#   test-captures/lab/make-captures.sh --manifest        # markdown table for docs/captures.md
#   sudo test-captures/lab/make-captures.sh --expected-only [NAME...]   # re-copy reviewed expected.txt
#
# Environment: IKD_OUT=DIR writes the scenarios there instead of test-captures/; IKD_KEYLOGS=1 also
# keeps the raw key logs (<role>-keys.log: charon's ike=4 filelog; <role>-pluto.log), the fixtures
# of tests/keys; IKD_PLUTO_DEBUG=all,private is passed to pluto as --debug.
# Root only, takes minutes, not part of CI. Downloads (strongSwan 6 from trixie, libreswan) go to
# /var/tmp/ikediag-lab. Each scenario writes test-captures/<name>/: capture.pcap, the Wireshark
# key tables, the daemons' logs, and expected.txt (copied from the hand-reviewed
# lab/scenarios/<name>/expected.txt: re-review it when a regenerated capture changes).
set -u -o pipefail

LAB=$(cd "$(dirname "$0")" && pwd)
OUT=${IKD_OUT:-$(cd "$LAB/.." && pwd)}   # IKD_OUT: write elsewhere (e.g. to compare a fresh run)
# shellcheck source=lib/setup.sh
. "$LAB/lib/setup.sh"
. "$LAB/lib/netns.sh"
. "$LAB/lib/strongswan.sh"
. "$LAB/lib/libreswan.sh"
. "$LAB/lib/vpnc.sh"
. "$LAB/lib/ikescan.sh"
. "$LAB/lib/pki.sh"
. "$LAB/lib/keys.sh"
. "$LAB/lib/steps.sh"
. "$LAB/lib/manifest.sh"

log() { echo "[lab $(date +%T)] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

PIDS=() CREATED_NS=() ini_PID= res_PID=
cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
    PIDS=()
    topo_down
}
trap cleanup EXIT
trap 'exit 130' INT TERM

list_scenarios() { (cd "$LAB/scenarios" && ls -d */ | tr -d /); }

if [[ ${1:-} == --list ]]; then list_scenarios; exit 0; fi
if [[ ${1:-} == --manifest ]]; then print_manifest; exit 0; fi
[[ $(id -u) == 0 ]] || die "run as root"
for ns in $NS_INI $NS_GW $NS_RES; do
    grep -qw "$ns" <<<"$(ip netns list)" && die "namespace $ns exists (another lab run?)"
done

setup_system_packages
setup_ss6
setup_libreswan

WORK=$CACHE/work
mkdir -p "$WORK"
pki_setup "$WORK/pki"

start_peer() {   # role daemon dir
    case $2 in
        ss|ss6) ss_start "$@" ;;
        ls) ls_start "$@" ;;
        vpnc|ikescan|none) ;;   # started by the steps (initiate / scan)
        *) die "unknown daemon $2" ;;
    esac
}
stop_peer() {
    case $2 in ss|ss6) ss_stop "$1" ;; ls) ls_stop "$1" ;; vpnc) vpnc_stop_all ;; esac
}

run_scenario() {
    local name=$1 src=$LAB/scenarios/$1 w=$WORK/$1 dst=$OUT/$1
    SCEN=$name
    [[ -f $src/scenario.env ]] || die "no scenario $name"
    log "=== $name"
    (
        trap cleanup EXIT
        DESC= I_DAEMON= R_DAEMON= NAT=0 IPV6=0 GW_RULES= STEPS= I_CHARON= R_CHARON= CAPTURE_IF= MTU=
        I_CERT= R_CERT= I_CA=default R_CA=default I_PLUGINS= R_PLUGINS= R_EXTRA_ADDR=
        # shellcheck disable=SC1091
        . "$src/scenario.env"
        rm -rf "$w"; mkdir -p "$w"
        local role daemon
        for role in ini res; do
            [[ $role == ini ]] && daemon=$I_DAEMON || daemon=$R_DAEMON
            [[ $daemon == none ]] && continue
            mkdir -p "$w/$role"
            chmod 755 "$w" "$w/$role"
            prepare_peer_conf "$role" "$daemon" "$src" "$w/$role"
        done
        topo_up
        [[ -n $GW_RULES ]] && apply_rules "$GW_RULES"
        capture_start "$w/capture.pcap"
        start_peer res "$R_DAEMON" "$w/res"
        start_peer ini "$I_DAEMON" "$w/ini"
        WORK_STEPS_OUT=$w/steps.out
        run_steps "$STEPS" "$w"
        capture_stop
        stop_peer ini "$I_DAEMON"
        stop_peer res "$R_DAEMON"
        cleanup
        publish "$name" "$src" "$w" "$dst"
    ) || { log "scenario $name FAILED"; return 1; }
}

prepare_peer_conf() {   # role daemon src peerdir
    local role=$1 daemon=$2 src=$3 d=$4 conf
    [[ $role == ini ]] && conf=$src/initiator.conf || conf=$src/responder.conf
    case $daemon in
        ss|ss6)
            mkdir -p "$d/swanctl"/{x509,x509ca,private,conf.d}
            cp "$conf" "$d/swanctl/swanctl.conf"
            pki_install_ss "$role" "$d/swanctl" ;;
        ls) ls_prepare "$role" "$conf" "$d" ;;
        vpnc) vpnc_prepare "$src" "$d" ;;
        ikescan) ;;
    esac
}

publish() {   # name src work dst
    local name=$1 src=$2 w=$3 dst=$4
    # replace only what the lab writes: other files in the directory (e.g. the rules' tracking.txt
    # goldens) stay, and must be re-checked against the new capture
    mkdir -p "$dst"
    rm -f "$dst/capture.pcap" "$dst/ikev1_decryption_table" "$dst/ikev2_decryption_table" \
          "$dst/initiator.log" "$dst/responder.log" "$dst/expected.txt"
    [[ -f $dst/tracking.txt ]] && log "NOTE: $name has a tracking.txt golden: re-check it against the new capture"
    cp "$w/capture.pcap" "$dst/capture.pcap"
    write_key_tables "$w" "$dst"
    local role
    for role in ini res; do
        [[ -f $w/$role/charon.log ]] && cp "$w/$role/charon.log" "$dst/${role/ini/initiator}.log"
        [[ -f $w/$role/pluto.log ]] && ls_review_log "$w/$role/pluto.log" > "$dst/${role/ini/initiator}.log"
        [[ $role == ini && -f $w/ini/client.log ]] && cp "$w/ini/client.log" "$dst/initiator.log"
        # IKD_KEYLOGS=1: also the raw key logs (charon ike=4 filelog, pluto's whole log), the
        # fixtures of tests/keys (tools/ikediag-keys reads them)
        if [[ ${IKD_KEYLOGS:-0} == 1 ]]; then
            [[ -f $w/$role/keys.log ]] && cp "$w/$role/keys.log" "$dst/${role/ini/initiator}-keys.log"
            [[ -f $w/$role/pluto.log ]] && cp "$w/$role/pluto.log" "$dst/${role/ini/initiator}-pluto.log"
        fi
    done
    [[ -f $dst/res-keys.log ]] && mv "$dst/res-keys.log" "$dst/responder-keys.log"
    [[ -f $dst/res-pluto.log ]] && mv "$dst/res-pluto.log" "$dst/responder-pluto.log"
    [[ -f $dst/res.log ]] && mv "$dst/res.log" "$dst/responder.log"
    write_expected "$name" "$src" "$dst"
    verify_decryption "$dst"
}

# expected.txt = header (versions, command) + the hand-reviewed lab/scenarios/<name>/expected.txt
write_expected() {   # name src dst
    local name=$1 src=$2 dst=$3
    {
        echo "# scenario: $DESC"
        echo "# initiator: $(daemon_version "$I_DAEMON")"
        echo "# responder: $( [[ $R_DAEMON == none ]] && echo "none (no IKE daemon runs on the responder)" || daemon_version "$R_DAEMON")"
        echo "# made by: sudo test-captures/lab/make-captures.sh $name   (configs: test-captures/lab/scenarios/$name/)"
        echo "# capture: $(capinfos -c -M "$dst/capture.pcap" 2>/dev/null | awk '/Number of packets/ {print $NF}') frames, tcpdump on the router's ${CAPTURE_IF:-gw-ini} interface (filter: udp port 500/4500, esp, icmp, non-first IP fragments)"
        [[ -f $src/expected.txt ]] && cat "$src/expected.txt" || echo "# NOT YET REVIEWED"
    } > "$dst/expected.txt"
}

if [[ ${1:-} == --expected-only ]]; then
    # re-writes test-captures/<name>/expected.txt from the reviewed file without capturing again
    shift
    mapfile -t ALL < <(list_scenarios)
    (($#)) && ALL=("$@")
    for s in "${ALL[@]}"; do
        [[ -f $OUT/$s/capture.pcap ]] || continue
        ( DESC= I_DAEMON= R_DAEMON= CAPTURE_IF=; . "$LAB/scenarios/$s/scenario.env"; write_expected "$s" "$LAB/scenarios/$s" "$OUT/$s" )
    done
    exit 0
fi

mapfile -t ALL < <(list_scenarios)
(($#)) && ALL=("$@")
rc=0
for s in "${ALL[@]}"; do run_scenario "$s" || rc=1; done
exit $rc
