# shellcheck shell=bash
# strongSwan peers: one charon per peer, each in its own mount namespace (private tmpfs on /run,
# the peer's config bind-mounted on /etc/swanctl, its own STRONGSWAN_CONF). swanctl runs via
# nsenter into that charon's namespaces.

SS_PLUGINS_5="random nonce openssl pem pkcs1 pkcs8 x509 pubkey revocation constraints kdf kernel-libipsec kernel-netlink socket-default vici"
SS_PLUGINS_6="random nonce openssl pem pkcs1 pkcs8 x509 pubkey revocation constraints kernel-libipsec kernel-netlink socket-default vici eap-identity eap-md5"

# $1 role (ini|res), $2 daemon (ss|ss6), $3 peer work dir (holds swanctl/ and gets the logs)
ss_write_conf() {
    local role=$1 daemon=$2 dir=$3 plugins extra
    if [[ $daemon == ss6 ]]; then plugins=$SS_PLUGINS_6; else plugins=$SS_PLUGINS_5; fi
    if [[ $role == ini ]]; then extra=${I_CHARON:-}; else extra=${R_CHARON:-}; fi
    # extra plugins a scenario needs (I_PLUGINS / R_PLUGINS, e.g. xauth-generic)
    if [[ $role == ini ]]; then plugins="$plugins ${I_PLUGINS:-}"; else plugins="$plugins ${R_PLUGINS:-}"; fi
    cat > "$dir/strongswan.conf" <<CONF
charon {
    load = $plugins
    # short timers: a request that is never answered is given up after a few seconds
    retransmit_tries = ${RETRANSMIT_TRIES:-3}
    retransmit_timeout = ${RETRANSMIT_TIMEOUT:-1.0}
    retransmit_base = ${RETRANSMIT_BASE:-1.4}
    retransmit_jitter = 0
    install_routes = yes
    install_virtual_ip = no
    # 5.9.x: allow group guessing to show INVALID_KE_PAYLOAD as on a real first contact
    plugins {
        kernel-libipsec {
            raw_esp = yes
        }
        socket-default {
            set_source = yes
        }
    }
    syslog {
        daemon {
            default = -1
        }
    }
    filelog {
        keys {
            path = $dir/keys.log
            default = 0
            ike = 4
            cfg = 1
            chd = 4
            flush_line = yes
        }
        review {
            path = $dir/charon.log
            time_format = %H:%M:%S
            default = 1
            ike = 2
            cfg = 2
            chd = 1
            net = 1
            enc = 1
            flush_line = yes
        }
    }
$extra
}
swanctl {
    load = pem pkcs1 pkcs8 x509 revocation constraints pubkey openssl random
}
CONF
}

# starts charon, sets the global <role>_PID
ss_start() {
    local role=$1 daemon=$2 dir=$3 ns pid charon pre=""
    [[ $role == ini ]] && ns=$NS_INI || ns=$NS_RES
    ss_write_conf "$@"
    if [[ $daemon == ss6 ]]; then
        # trixie's own loader and libraries; its plugin directory is bind-mounted on the
        # compiled-in /usr/lib/ipsec inside this charon's private mount namespace
        pre="mount --bind $SS6_ROOT/usr/lib/ipsec /usr/lib/ipsec;"
        charon="$SS6_ROOT/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 --library-path $SS6_ROOT/usr/lib/x86_64-linux-gnu:$SS6_ROOT/usr/lib/ipsec $SS6_ROOT/usr/lib/ipsec/charon"
    else
        charon=/usr/lib/ipsec/charon
    fi
    ip netns exec "$ns" unshare --mount --propagation private sh -c \
        "mount -t tmpfs ikdlab /run && mount --bind $dir/swanctl /etc/swanctl && $pre
         export STRONGSWAN_CONF=$dir/strongswan.conf; exec $charon" \
        > "$dir/charon.stdout" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    eval "${role}_PID=$pid"
    local i
    for i in $(seq 100); do
        [[ -S /proc/$pid/root/run/charon.vici ]] && break
        kill -0 "$pid" 2>/dev/null || die "charon ($role) died: $(tail -5 "$dir/charon.stdout")"
        sleep 0.1
    done
    [[ -S /proc/$pid/root/run/charon.vici ]] || die "charon ($role) has no vici socket"
    ss_swanctl "$role" --load-all >> "$dir/swanctl.out" 2>&1 || die "swanctl --load-all ($role) failed: $(tail -5 "$dir/swanctl.out")"
}

ss_swanctl() {
    local role=$1; shift
    local pid daemon
    pid=$(eval "echo \$${role}_PID")
    [[ $role == ini ]] && daemon=$I_DAEMON || daemon=$R_DAEMON
    if [[ $daemon == ss6 ]]; then
        STRONGSWAN_CONF=$WORK/$SCEN/$role/strongswan.conf nsenter -t "$pid" -n -m -- "$SS6_ROOT/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" \
            --library-path "$SS6_ROOT/usr/lib/x86_64-linux-gnu:$SS6_ROOT/usr/lib/ipsec" \
            "$SS6_ROOT/usr/sbin/swanctl" "$@"
    else
        STRONGSWAN_CONF=$WORK/$SCEN/$role/strongswan.conf nsenter -t "$pid" -n -m -- swanctl "$@"
    fi
}

ss_stop() {
    local role=$1 pid
    pid=$(eval "echo \${${role}_PID:-}")
    [[ -n $pid ]] || return 0
    kill "$pid" 2>/dev/null
    local i
    for i in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    eval "${role}_PID="
}
