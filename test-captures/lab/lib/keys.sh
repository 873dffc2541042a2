# shellcheck shell=bash
# Key tables from the strongSwan peers' own logs ('ike = 4' filelog keys.log) by tools/ikediag-keys,
# the one implementation (it pairs keys with SPIs, takes missing IKEv1 cookies and rekeyed IKE SAs'
# SPIs from the capture), checked by decrypting with tshark.

write_key_tables() {   # workdir dst
    local w=$1 dst=$2 logs=() r rc=0
    for r in ini res; do [[ -f $w/$r/keys.log ]] && logs+=("$w/$r/keys.log"); done
    ((${#logs[@]})) || return 0
    # the initiator's log first: IKEv1 keeps the first key found per cookie
    "$LAB/../../tools/ikediag-keys" --out "$dst" --pcap "$w/capture.pcap" "${logs[@]}" 2> "$w/keys.err" || rc=$?
    # 2: no key lines (a peer that never derived keys); 1: some key sets not written, say which
    ((rc == 1)) && log "WARNING: ikediag-keys: $(grep -v 'key sets;' "$w/keys.err" | tr '\n' ' ')"
    return 0
}

# fails the scenario if a table exists and some encrypted IKE message still does not decrypt
verify_decryption() {   # dst
    local dst=$1 conf=$1 total ok
    total=$(tshark -r "$dst/capture.pcap" -Y 'isakmp.enc.data || (isakmp.version == 0x10 && isakmp.flags & 1)' 2>/dev/null | wc -l)
    ok=$(WIRESHARK_CONFIG_DIR=$conf tshark -r "$dst/capture.pcap" -Y '(isakmp.enc.decrypted && !_ws.malformed) || (isakmp.version == 0x10 && isakmp.flags & 1 && isakmp.typepayload && !_ws.malformed)' 2>/dev/null | wc -l)
    log "$(basename "$dst"): $ok of $total encrypted IKE messages decrypt"
    echo "$(basename "$dst") $ok/$total" >> "$WORK/decrypt-summary"
}
