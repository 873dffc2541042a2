# shellcheck shell=bash
# Scenario steps: one per line in STEPS (scenario.env), run in order after both daemons are up.
#   initiate CHILD        the initiator brings up CHILD (and its IKE SA)
#   initiate-ike IKE [T]  the initiator brings up only the IKE SA (swanctl returns after T s, the
#                         daemon goes on)
#   ping [N]              N pings from the initiator's inner address to the responder's
#   rekey-child CHILD     the initiator rekeys CHILD
#   rekey-ike IKE         the initiator rekeys the IKE SA
#   rekey-child-res CHILD the RESPONDER rekeys CHILD (strongSwan responder)
#   terminate IKE         the initiator deletes the IKE SA
#   terminate-child CHILD the initiator deletes only CHILD (strongSwan initiator; the IKE SA stays)
#   initiate-res CHILD    the RESPONDER brings up CHILD (and its IKE SA) towards the initiator, so
#                         the capture shows what the responder offers (strongSwan responder)
#   terminate-res IKE     the RESPONDER deletes the IKE SA (strongSwan responder)
#   sleep S
#   rules NS:IPTABLES-ARGS   add a firewall rule (NS = ini, gw, res; ini6, gw6, res6 for ip6tables)
#   stop-responder        kill the responder's daemon (peer goes silent)
#   scan ARGS             run ike-scan ARGS against the responder (I_DAEMON=ikescan, lib/ikescan.sh)
#   redirect-res IKE GW   the strongSwan RESPONDER redirects the established IKE SA to gateway GW
#                         (RFC 5685, swanctl --redirect: an INFORMATIONAL with N(REDIRECT))
# With I_DAEMON=vpnc, "initiate NAME" starts a vpnc client (lib/vpnc.sh) and "terminate NAME"
# stops it (vpnc sends its DELETEs).

run_steps() {
    local line verb args
    while IFS= read -r line; do
        line=${line#"${line%%[![:space:]]*}"}
        [[ -z $line || $line == \#* ]] && continue
        verb=${line%% *}; args=${line#"$verb"}; args=${args# }
        log "step: $line"
        case $verb in
            initiate)      peer_initiate child "$args" ;;
            initiate-ike)  INITIATE_TIMEOUT=$(echo "$args" | awk '{print $2}') peer_initiate ike "${args%% *}" ;;
            rekey-child)   ss_swanctl ini --rekey --child "$args" >> "$2/steps.out" 2>&1; sleep 1 ;;
            rekey-ike)     ss_swanctl ini --rekey --ike "$args" >> "$2/steps.out" 2>&1; sleep 1 ;;
            rekey-child-res) ss_swanctl res --rekey --child "$args" >> "$2/steps.out" 2>&1; sleep 1 ;;
            terminate)     peer_terminate "$args" ;;
            terminate-child) ss_swanctl ini --terminate --child "$args" --timeout 5 >> "$2/steps.out" 2>&1; sleep 0.5 ;;
            initiate-res)  ss_swanctl res --initiate --child "$args" --timeout 15 >> "$2/steps.out" 2>&1 ;;
            terminate-res) ss_swanctl res --terminate --ike "$args" --timeout 5 >> "$2/steps.out" 2>&1; sleep 0.5 ;;
            # a vpnc client pings from its Mode Config address (the route through its TUN device picks it)
            ping)          local src=(-I "$INI_INNER"); [[ $I_DAEMON == vpnc ]] && src=()
                           ip netns exec $NS_INI ping -n -q -c "${args:-3}" -i 0.3 -W 1 "${src[@]}" $RES_INNER >> "$2/steps.out" 2>&1 ;;
            sleep)         sleep "$args" ;;
            rules)         apply_rules "$args" ;;
            stop-responder) stop_peer res "$R_DAEMON" ;;
            scan)          local sa; read -r -a sa <<< "$args"; ikescan_run "${sa[@]}" ;;
            redirect-res)  ss_swanctl res --redirect --ike "${args%% *}" --gateway "${args#* }" >> "$2/steps.out" 2>&1; sleep 1 ;;
            *) die "unknown step: $line" ;;
        esac
    done <<< "$1"
}

peer_initiate() {   # child|ike NAME
    case $I_DAEMON in
        ss|ss6) ss_swanctl ini --initiate "--$1" "$2" --timeout "${INITIATE_TIMEOUT:-15}" >> "$WORK_STEPS_OUT" 2>&1 ;;
        ls) ls_whack ini --name "$2" --initiate >> "$WORK_STEPS_OUT" 2>&1 ;;
        vpnc) vpnc_initiate "$2" "${INITIATE_TIMEOUT:-15}" ;;
    esac
    return 0
}

peer_terminate() {
    case $I_DAEMON in
        ss|ss6) ss_swanctl ini --terminate --ike "$1" --timeout 5 >> "$WORK_STEPS_OUT" 2>&1 ;;
        ls) ls_whack ini --name "$1" --terminate >> "$WORK_STEPS_OUT" 2>&1 ;;
        vpnc) vpnc_terminate "$1" ;;
    esac
    sleep 0.5
    return 0
}
