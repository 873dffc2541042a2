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
    local missing spis="" i
    missing=$(python3 "$LAB/lib/keys.py" "$dst" "${logs[@]}" --v1-cookies "$cookies")
    # IKE SAs made by a CREATE_CHILD_SA rekey: their SPIs are the proposal SPIs of that exchange,
    # readable once the parent SA decrypts; repeat for rekeys of rekeyed SAs
    for i in 1 2 3; do
        [[ $missing == 0 ]] && break
        spis=$(ike_rekey_spis "$dst")
        missing=$(python3 "$LAB/lib/keys.py" "$dst" "${logs[@]}" --v1-cookies "$cookies" --v2-spis "$spis")
    done
    [[ $missing == 0 ]] || log "WARNING: $missing IKE SA key sets without SPIs"
}

# "newSPIi:newSPIr,..." of the IKE SA rekeys (CREATE_CHILD_SA with an IKE proposal), in capture order
ike_rekey_spis() {
    WIRESHARK_CONFIG_DIR=$1 tshark -r "$1/capture.pcap" \
        -Y 'isakmp.exchangetype == 36 && isakmp.prop.protoid == 1 && isakmp.spisize == 8' \
        -T fields -e isakmp.ispi -e isakmp.messageid -e isakmp.flags -e isakmp.spi 2>/dev/null |
    awk -F'\t' '{ key = $1 "/" $2; spi = $4; gsub(/:/, "", spi)
                  # flags 0x.. : the Response bit is 0x20 (no gawk bit functions in mawk)
                  if (index("2367abefABEF", substr($3, 3, 1))) resp[key] = spi; else { req[key] = spi; order[++n] = key } }
                 END { for (i = 1; i <= n; i++) if (order[i] in resp) printf "%s%s:%s", (c++ ? "," : ""), req[order[i]], resp[order[i]] }'
}

# fails the scenario if a table exists and some encrypted IKE message still does not decrypt
verify_decryption() {   # dst
    local dst=$1 conf=$1 total ok
    total=$(tshark -r "$dst/capture.pcap" -Y 'isakmp.enc.data || (isakmp.version == 0x10 && isakmp.flags & 1)' 2>/dev/null | wc -l)
    ok=$(WIRESHARK_CONFIG_DIR=$conf tshark -r "$dst/capture.pcap" -Y '(isakmp.enc.decrypted && !_ws.malformed) || (isakmp.version == 0x10 && isakmp.flags & 1 && isakmp.typepayload && !_ws.malformed)' 2>/dev/null | wc -l)
    log "$(basename "$dst"): $ok of $total encrypted IKE messages decrypt"
    echo "$(basename "$dst") $ok/$total" >> "$WORK/decrypt-summary"
}
