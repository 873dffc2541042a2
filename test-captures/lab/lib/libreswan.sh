# shellcheck shell=bash
# libreswan peers: pluto from the unpacked Debian package, in its own mount namespace (private tmpfs
# on /run), every path given on the command line (no /etc/ipsec.* on the host). The kernel here has
# no ESP, so pluto cannot install its IPsec SAs: its CHILD SAs fail LOCALLY after a successful
# negotiation (the scenarios say so; that is not a mismatch).

LS_BIN=$LS_ROOT/usr/libexec/ipsec

ls_prepare() {   # role conf peerdir
    local role=$1 conf=$2 d=$3 sec
    mkdir -p "$d/nss"
    { cat "$conf"; } > "$d/ipsec.conf"
    sec=${conf%.conf}.secrets
    if [[ -f $sec ]]; then cp "$sec" "$d/ipsec.secrets"
    else echo '@initiator.example @responder.example : PSK "lab-secret-0123456789"' > "$d/ipsec.secrets"; fi
    chmod 600 "$d/ipsec.secrets"
    certutil -N -d "sql:$d/nss" --empty-password >/dev/null 2>&1
    ls_install_cert "$role" "$d"
}

# certificate profile (I_CERT / R_CERT, see pki.sh) into pluto's NSS database: the peer's
# certificate and key as nickname "peer", the trusted CAs (I_CA / R_CA) as trusted CA certificates
ls_install_cert() {   # role peerdir
    local role=$1 d=$2 prof cas ca key
    [[ $role == ini ]] && prof=$I_CERT cas=$I_CA || prof=$R_CERT cas=$R_CA
    [[ -z $prof ]] && return 0
    [[ $cas == default ]] && cas=ca
    key=$PKI_DIR/$role.key
    [[ $prof == big ]] && key=$PKI_DIR/$role-big.key
    openssl pkcs12 -export -inkey "$key" -in "$PKI_DIR/$role-$prof.crt" -name peer \
        -passout pass: -out "$d/peer.p12" 2>/dev/null || die "openssl pkcs12 failed"
    pk12util -i "$d/peer.p12" -d "sql:$d/nss" -W "" >/dev/null || die "pk12util failed"
    for ca in $cas; do
        certutil -A -d "sql:$d/nss" -n "$ca" -t "CT,," -i "$PKI_DIR/$ca.crt" || die "certutil -A $ca failed"
    done
}

ls_start() {   # role daemon peerdir
    local role=$1 d=$3 ns pid
    [[ $role == ini ]] && ns=$NS_INI || ns=$NS_RES
    ip netns exec "$ns" unshare --mount --propagation private sh -c \
        "mount -t tmpfs ikdlab /run && mkdir -p /run/pluto &&
         mount -t tmpfs ikdlab /usr/libexec && mkdir /usr/libexec/ipsec && mount --bind $LS_BIN /usr/libexec/ipsec &&
         exec $LS_BIN/pluto --nofork \
         --config $d/ipsec.conf --secretsfile $d/ipsec.secrets --ipsecdir $d --nssdir $d/nss \
         --rundir /run/pluto --logfile $d/pluto.log --use-xfrm --nhelpers 1 ${IKD_PLUTO_DEBUG:+--debug $IKD_PLUTO_DEBUG}" \
        > "$d/pluto.stdout" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    eval "${role}_PID=$pid"
    local i
    for i in $(seq 100); do
        [[ -S /proc/$pid/root/run/pluto/pluto.ctl ]] && break
        kill -0 "$pid" 2>/dev/null || die "pluto ($role) died: $(cat "$d/pluto.stdout"; grep -E 'FATAL|ERROR' "$d/pluto.log")"
        sleep 0.1
    done
    [[ -S /proc/$pid/root/run/pluto/pluto.ctl ]] || die "pluto ($role) has no control socket"
    nsenter -t "$pid" -n -m -- "$LS_BIN/addconn" --config "$d/ipsec.conf" --ctlsocket /run/pluto/pluto.ctl --autoall \
        >> "$d/whack.out" 2>&1 || die "addconn ($role) failed: $(tail -5 "$d/whack.out")"
    ls_whack "$role" --listen >> "$d/whack.out" 2>&1
}

ls_whack() {
    local role=$1; shift
    local pid
    pid=$(eval "echo \$${role}_PID")
    timeout "${INITIATE_TIMEOUT:-15}" nsenter -t "$pid" -n -m -- "$LS_BIN/whack" --ctlsocket /run/pluto/pluto.ctl "$@"
}

ls_stop() { ss_stop "$1"; }

# pluto needs its helpers (addconn, _updown) at the compiled-in /usr/libexec/ipsec: a tmpfs over
# /usr/libexec in pluto's private mount namespace holds a bind mount of the unpacked directory.

# the part of pluto's log worth reviewing (it is short already)
# (drops the start-up self tests and algorithm tables)
ls_review_log() {
    grep -E 'Starting Pluto|"lab"|ERROR|FATAL|packet from|listening for IKE|Pluto is shutting down' "$1"
}
