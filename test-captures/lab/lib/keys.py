#!/usr/bin/env python3
"""Builds Wireshark's ikev1/ikev2 decryption tables (UAT records as Wireshark's test suite writes
them) from strongSwan filelogs at 'ike = 4, cfg = 1'.

IKEv2: every derivation of IKE SA keys ('Sk_ei secret' ... 'Sk_pr secret') is paired with the SPIs
logged in the same thread's last 'natd_chunk' (SPIi|SPIr|address|port, hashed for NAT-D while the
IKE_SA_INIT response is processed) and the same thread's last 'selected proposal: IKE:...'.
IKEv1: 'encryption key Ka' is paired with the cookies of the same thread's last 'natd_chunk' or, where
no NAT-D was exchanged, with the cookies passed as --v1-cookies (taken from the capture, in order).

usage: keys.py OUTDIR LOG... [--v1-cookies CKY-I,...] [--v2-spis SPIi:SPIr,...]
"""
import re, sys

ENCR = {
    'AES_CBC_128': 'AES-CBC-128 [RFC3602]', 'AES_CBC_192': 'AES-CBC-192 [RFC3602]',
    'AES_CBC_256': 'AES-CBC-256 [RFC3602]', '3DES_CBC': '3DES [RFC2451]',
    'AES_CTR_128': 'AES-CTR-128 [RFC5930]', 'AES_CTR_192': 'AES-CTR-192 [RFC5930]',
    'AES_CTR_256': 'AES-CTR-256 [RFC5930]',
}
for bits in (128, 192, 256):
    for icv in (8, 12, 16):
        ENCR['AES_GCM_%d_%d' % (icv, bits)] = 'AES-GCM-%d with %d octet ICV [RFC5282]' % (bits, icv)
        ENCR['AES_CCM_%d_%d' % (icv, bits)] = 'AES-CCM-%d with %d octet ICV [RFC5282]' % (bits, icv)
INTEG = {
    'HMAC_SHA2_256_128': 'HMAC_SHA2_256_128 [RFC4868]', 'HMAC_SHA2_384_192': 'HMAC_SHA2_384_192 [RFC4868]',
    'HMAC_SHA2_512_256': 'HMAC_SHA2_512_256 [RFC4868]', 'HMAC_SHA1_96': 'HMAC_SHA1_96 [RFC2404]',
    'HMAC_MD5_96': 'HMAC_MD5_96 [RFC2403]', 'HMAC_SHA1_160': 'HMAC_SHA1_160 [RFC4595]',
}

LINE = re.compile(r'^(?:\S+ )?(\d+)\[(\w+)\] (.*)$')
DUMP = re.compile(r'^\s*\d+: ((?:[0-9A-F]{2} ?)+)')


def parse(path):
    """yields (thread, text, bytes-or-None) with hex dumps attached to their '=> n bytes' line"""
    out = []
    for raw in open(path, errors='replace'):
        m = LINE.match(raw.rstrip('\n'))
        if not m:
            continue
        th, text = m.group(1), m.group(3)
        d = DUMP.match(text)
        if d and out and out[-1][0] == th and out[-1][2] is not None and out[-1][3]:
            out[-1][2].extend(bytes.fromhex(d.group(1).replace(' ', '')[:32]))
            continue
        mb = re.search(r'=> (\d+) bytes', text)
        out.append([th, text, bytearray() if mb else None, bool(mb and int(mb.group(1)))])
    return [(t, x, bytes(b) if b is not None else None) for t, x, b, _ in out]


def main():
    args = sys.argv[1:]
    v1_cookies, v2_spis = [], []
    if '--v1-cookies' in args:
        i = args.index('--v1-cookies'); v1_cookies = [c for c in args[i + 1].split(',') if c]; del args[i:i + 2]
    if '--v2-spis' in args:
        i = args.index('--v2-spis'); v2_spis = [c for c in args[i + 1].split(',') if c]; del args[i:i + 2]
    outdir, logs = args[0], args[1:]
    v1, rows, missing = [], [], 0
    for log in logs:
        v2 = []
        natd, prop, cur, pending1 = {}, {}, {}, {}
        for th, text, data in parse(log):
            if text.startswith('natd_chunk') and data:
                natd[th] = natd['last'] = data[:16]
                if th in pending1:
                    # an Aggressive Mode responder derives Ka first and logs the NAT-D input after
                    i = pending1.pop(th)
                    v1[i] = (natd.pop(th), v1[i][1])
            elif 'selected proposal: IKE:' in text:
                prop[th] = prop['last'] = text.split('selected proposal: IKE:')[1].split('/')
            elif text.startswith('selected proposal: ') and 'IKE:' not in text and 'ESP:' not in text:
                pass
            for name in ('Sk_ei', 'Sk_er', 'Sk_ai', 'Sk_ar', 'Sk_pr'):
                if text.startswith(name + ' secret'):
                    cur.setdefault(th, {})[name] = data or b''
            if text.startswith('Sk_pr secret'):
                k = cur.pop(th)
                # SPIs: this thread's NAT-D chunk, else the latest unused one (the responder derives
                # its keys in another thread); an IKE SA rekeyed with CREATE_CHILD_SA has none:
                # its SPIs come from the capture (--v2-spis, in order)
                spis = natd.pop(th, None) or natd.pop('last', None)
                if spis is not None:
                    natd.pop('last', None)
                p = prop.get(th) or prop.get('last', [])
                enc = next((ENCR[x] for x in p if x in ENCR), None)
                integ = next((INTEG[x] for x in p if x in INTEG), 'NONE [RFC4306]')
                if enc is None:
                    sys.stderr.write('keys.py: unknown encryption in %s\n' % p)
                    continue
                v2.append((spis, k, enc, integ))
            if text.startswith('encryption key Ka'):
                cky = natd.pop(th, None)
                if cky is None:
                    pending1[th] = len(v1)
                    cky = natd.get('last')
                v1.append((cky, data))
        # SPIs not found in the log come from the capture, in order
        fill = iter(v2_spis)
        for spis, k, enc, integ in v2:
            if spis is None:
                s = next(fill, None)
                if s is None:
                    missing += 1
                    continue
                spi_i, spi_r = s.split(':')
            else:
                spi_i, spi_r = spis[:8].hex(), spis[8:16].hex()
            aead = integ == 'NONE [RFC4306]'
            rows.append('%s,%s,%s,%s,"%s",%s,%s,"%s"' % (
                spi_i, spi_r, k['Sk_ei'].hex(), k['Sk_er'].hex(), enc,
                '' if aead else k.get('Sk_ai', b'').hex(), '' if aead else k.get('Sk_ar', b'').hex(), integ))
    # Wireshark keys IKEv1 by initiator cookie only and uses the LAST matching row: keep one key per
    # cookie, the first found (the initiator's log comes first), e.g. after a PSK mismatch the two
    # peers derive different keys and only the initiator's messages can be decrypted.
    rows1, seen = [], set()
    fill = iter(v1_cookies)
    for cky, ka in v1:
        c = cky[:8].hex() if cky else next(fill, None)
        if c and c not in seen:
            seen.add(c)
            rows1.append('%s,%s' % (c, ka.hex()))
    for name, r in (('ikev2_decryption_table', rows), ('ikev1_decryption_table', rows1)):
        if r:
            with open('%s/%s' % (outdir, name), 'w') as f:
                f.write(''.join(x + '\n' for x in dict.fromkeys(r)))
    print(missing)


main()
