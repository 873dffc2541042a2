# shellcheck shell=bash
# Throwaway PKI made with strongSwan's pki at lab time (never committed):
#   ca        "CN=ikediag lab CA"            trusted by default
#   otherca   "CN=ikediag untrusted CA"      trusted by nobody
# end-entity profiles for a peer (ROLE = ini|res, identity ROLE.example):
#   good      issued by ca, valid now                     (ECDSA P-256)
#   big       issued by ca, valid now, RSA 4096 and long  (large IKE_AUTH -> IP fragments)
#   expired   issued by ca, valid 2020-01-01 .. 2021-01-01
#   notyet    issued by ca, valid 2035-01-01 .. 2036-01-01
#   untrusted issued by otherca, valid now
# A scenario picks with I_CERT= / R_CERT= (empty: no certificate, PSK only) and the CAs a peer
# trusts with I_CA= / R_CA= (space separated; default: "ca" when the peer has a certificate).

PKI_DIR=

pki() { command pki "$@" 2>/dev/null; }

pki_setup() {
    PKI_DIR=$1
    [[ -f $PKI_DIR/done ]] && return 0
    rm -rf "$PKI_DIR"; mkdir -p "$PKI_DIR"; chmod 755 "$PKI_DIR"
    local d=$PKI_DIR ca role
    for ca in ca otherca; do
        pki --gen --type ecdsa --size 256 --outform pem > "$d/$ca.key"
    done
    pki --self --ca --lifetime 3650 --in "$d/ca.key" --dn "C=ZZ, O=ikediag lab, CN=ikediag lab CA" --outform pem > "$d/ca.crt"
    pki --self --ca --lifetime 3650 --in "$d/otherca.key" --dn "C=ZZ, O=ikediag lab, CN=ikediag untrusted CA" --outform pem > "$d/otherca.crt"
    for role in ini res; do
        local id=$role.example
        [[ $role == ini ]] && id=initiator.example || id=responder.example
        pki --gen --type ecdsa --size 256 --outform pem > "$d/$role.key"
        pki --gen --type rsa --size 4096 --outform pem > "$d/$role-big.key"
        _issue ca "$d/$role.key" "$id" "$d/$role-good.crt" --lifetime 3650
        _issue ca "$d/$role-big.key" "$id" "$d/$role-big.crt" --lifetime 3650 --san "long-name-to-make-the-certificate-larger.$id"
        _issue ca "$d/$role.key" "$id" "$d/$role-expired.crt" --dateform %Y-%m-%d --not-before 2020-01-01 --not-after 2021-01-01
        _issue ca "$d/$role.key" "$id" "$d/$role-notyet.crt" --dateform %Y-%m-%d --not-before 2035-01-01 --not-after 2036-01-01
        _issue otherca "$d/$role.key" "$id" "$d/$role-untrusted.crt" --lifetime 3650
    done
    chmod 644 "$d"/*
    touch "$d/done"
}

_issue() {   # ca key id out [pki options]
    local ca=$1 key=$2 id=$3 out=$4; shift 4
    pki --pub --in "$key" | pki --issue --cacert "$PKI_DIR/$ca.crt" --cakey "$PKI_DIR/$ca.key" \
        --dn "C=ZZ, O=ikediag lab, CN=$id" --san "$id" "$@" --outform pem > "$out"
}

# installs the peer's certificate as x509/peer.crt + private/peer.key, and its trusted CAs in x509ca/
pki_install_ss() {   # role swanctl-dir
    local role=$1 d=$2 prof cas ca
    [[ $role == ini ]] && prof=$I_CERT cas=$I_CA || prof=$R_CERT cas=$R_CA
    # trusted CAs: by default the lab CA for peers with a certificate and none for PSK peers (a
    # loaded CA makes strongSwan send CERTREQ); a scenario may name them (EAP clients: I_CA=ca)
    if [[ $cas == default ]]; then [[ -n $prof ]] && cas=ca || cas=; fi
    for ca in $cas; do cp "$PKI_DIR/$ca.crt" "$d/x509ca/$ca.crt"; done
    [[ -z $prof ]] && return 0
    cp "$PKI_DIR/$role-$prof.crt" "$d/x509/peer.crt"
    if [[ $prof == big ]]; then cp "$PKI_DIR/$role-big.key" "$d/private/peer.key"
    else cp "$PKI_DIR/$role.key" "$d/private/peer.key"; fi
}
