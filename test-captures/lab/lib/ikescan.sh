# shellcheck shell=bash
# ike-scan (Debian package ike-scan) as the "initiator": one probe per "scan ARGS" step, from the
# initiator namespace to the responder (203.0.113.20 unless ARGS name a target). ike-scan sends one
# IKE message (Main Mode or Aggressive Mode message 1, or IKEv2 IKE_SA_INIT) and listens for the
# answer; it never sends a second message. Its output goes to the scenario's initiator.log.

ikescan_run() {   # args...
    local d=$WORK/$SCEN/ini target=$RES_ADDR a
    for a in "$@"; do [[ $a =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]] && target=; done
    {
        echo "### ike-scan $* $target"
        # shellcheck disable=SC2086
        timeout 30 ip netns exec "$NS_INI" ike-scan "$@" $target 2>&1
        echo "### ike-scan exit status $?"
    } >> "$d/client.log"
}
