# shellcheck shell=bash
# Key tables from the strongSwan peers' own logs (see keys.py), checked by decrypting with tshark.

write_key_tables() {   # workdir dst
    local w=$1 dst=$2 logs=() r
    for r in ini res; do [[ -f $w/$r/keys.log ]] && logs+=("$w/$r/keys.log"); done
    ((${#logs[@]})) || return 0
    # IKEv1 cookies where no NAT-D was exchanged: initiator cookies of Main/Aggressive Mode, in order
    local cookies
    cookies=$(tshark -r "$w/capture.pcap" -Y 'isakmp.version == 0x10 && isakmp.rspi != 00:00:00:00:00:00:00:00' \
              -T fields -e isakmp.ispi 2>/dev/null | tr -d : | awk '!s[$0]++' | paste -sd, -)
    python3 "$LAB/lib/keys.py" "$dst" "${logs[@]}" --v1-cookies "$cookies"
}

# fails the scenario if a table exists and some encrypted IKE message still does not decrypt
verify_decryption() {   # dst
    local dst=$1 conf=$1 total ok
    total=$(tshark -r "$dst/capture.pcap" -Y 'isakmp.enc.data || (isakmp.version == 0x10 && isakmp.flags & 1)' 2>/dev/null | wc -l)
    ok=$(WIRESHARK_CONFIG_DIR=$conf tshark -r "$dst/capture.pcap" -Y '(isakmp.enc.decrypted && !_ws.malformed) || (isakmp.version == 0x10 && isakmp.flags & 1 && isakmp.typepayload && !_ws.malformed)' 2>/dev/null | wc -l)
    log "$(basename "$dst"): $ok of $total encrypted IKE messages decrypt"
    echo "$(basename "$dst") $ok/$total" >> "$WORK/decrypt-summary"
}
