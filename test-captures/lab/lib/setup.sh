# shellcheck shell=bash
# Installs/unpacks the daemons the lab needs. Everything downloaded goes to $CACHE (under /var/tmp),
# never into the repository.

CACHE=${IKD_CACHE:-/var/tmp/ikediag-lab}
SS6_ROOT=$CACHE/ss6            # strongSwan 6.0.1 from Debian trixie, unpacked with dpkg -x
LS_ROOT=$CACHE/libreswan       # libreswan unpacked with dpkg -x (conflicts with strongswan in apt)

# apt options for a private trixie package list that never touches the system's apt state
trixie_apt_opts() {
    local t=$CACHE/trixie
    echo "-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$t/etc/apt/sources.list.d" \
         "-o Dir::State::Lists=$t/var/lib/apt/lists -o Dir::Cache=$t/var/cache/apt" \
         "-o Dir::State::status=$t/var/lib/dpkg-status -o Dir::Etc::Preferences=/dev/null" \
         "-o Dir::Etc::PreferencesParts=$t/etc/apt/preferences.d -o APT::Sandbox::User=root"
}

setup_system_packages() {
    local need=()
    for p in strongswan-charon strongswan-swanctl strongswan-pki libcharon-extra-plugins \
             libstrongswan-standard-plugins tcpdump tshark iptables iproute2 iputils-ping \
             libnss3-tools openssl vpnc ike-scan; do
        dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
    done
    if ((${#need[@]})); then
        log "apt-get install ${need[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
    fi
}

setup_ss6() {
    if [[ -x $SS6_ROOT/usr/lib/ipsec/charon ]]; then
        # xauth-generic (IKEv1 XAUTH responder for the vpnc scenarios) came later: add it to an
        # older cache
        [[ -f $SS6_ROOT/usr/lib/ipsec/plugins/libstrongswan-xauth-generic.so ]] && return 0
        log "downloading strongSwan 6 libcharon-extauth-plugins (Debian trixie) into $CACHE"
        # shellcheck disable=SC2046
        [[ -f $CACHE/trixie/var/lib/apt/lists/lock ]] || apt-get $(trixie_apt_opts) update -qq
        # shellcheck disable=SC2046
        (cd "$CACHE/debs-ss6" && apt-get $(trixie_apt_opts) download libcharon-extauth-plugins >/dev/null)
        dpkg -x "$CACHE"/debs-ss6/libcharon-extauth-plugins_*.deb "$SS6_ROOT"
        return 0
    fi
    log "downloading strongSwan 6 (Debian trixie) into $CACHE"
    local t=$CACHE/trixie
    mkdir -p "$t"/etc/apt/sources.list.d "$t"/var/lib/apt/lists/partial \
             "$t"/var/cache/apt/archives/partial "$t"/etc/apt/preferences.d "$CACHE/debs-ss6"
    touch "$t/var/lib/dpkg-status"
    cat > "$t/etc/apt/sources.list.d/trixie.sources" <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    # shellcheck disable=SC2046
    apt-get $(trixie_apt_opts) update -qq
    # strongSwan plus the libraries that must come from trixie (glibc 2.41, OpenSSL 3.5); it runs
    # with trixie's own dynamic loader so the system libraries are never touched.
    (cd "$CACHE/debs-ss6" && apt-get $(trixie_apt_opts) download \
        strongswan-charon strongswan-libcharon libstrongswan libstrongswan-standard-plugins \
        libcharon-extra-plugins libcharon-extauth-plugins strongswan-swanctl libssl3t64 libc6 libcap2 libsystemd0 libip4tc2 \
        libzstd1 zlib1g openssl-provider-legacy libgcc-s1 libgmp10 libpam0g libaudit1 libcap-ng0 \
        liblz4-1 liblzma5 libgcrypt20 libgpg-error0 >/dev/null)
    local f
    for f in "$CACHE"/debs-ss6/*.deb; do dpkg -x "$f" "$SS6_ROOT"; done
}

setup_libreswan() {
    [[ -x $LS_ROOT/usr/libexec/ipsec/pluto ]] && return 0
    log "downloading libreswan into $CACHE"
    mkdir -p "$CACHE/debs-ls"
    apt-get update -qq
    # its run-time libraries do not conflict with strongSwan: install those, unpack libreswan itself
    local deps
    deps=$(apt-cache depends libreswan | awk '/Depends:/ {print $2}' | grep -v -E '^<|iproute|debconf|init-system' | sort -u)
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $deps >/dev/null
    (cd "$CACHE/debs-ls" && apt-get download libreswan >/dev/null)
    dpkg -x "$CACHE"/debs-ls/libreswan_*.deb "$LS_ROOT"
}

daemon_version() {
    case $1 in
        ss)  dpkg-query -W -f='strongSwan ${Version} (Debian 12 package strongswan-charon)' strongswan-charon ;;
        ss6) echo "strongSwan $(dpkg-deb -f "$CACHE"/debs-ss6/strongswan-charon_*.deb Version) (Debian 13 package strongswan-charon, unpacked)" ;;
        vpnc) dpkg-query -W -f='vpnc ${Version} (Debian 12 package vpnc)' vpnc ;;
        ikescan) dpkg-query -W -f='ike-scan ${Version} (Debian 12 package ike-scan)' ike-scan ;;
        ls)  echo "libreswan $(dpkg-deb -f "$CACHE"/debs-ls/libreswan_*.deb Version) (Debian package libreswan, unpacked)" ;;
    esac
}
