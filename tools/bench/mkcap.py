#!/usr/bin/env python3
"""mkcap.py: SYNTHETIC scale captures for the ikediag benchmark.

    mkcap.py dense  --packets N --out FILE SOURCE...
    mkcap.py mixed  --packets N --ike-percent P --out FILE SOURCE...

SOURCE: real captures (pcap, pcapng, .gz; Ethernet), e.g. test-captures/*/capture.pcap.
They are read through `editcap -F pcap` and written out again, copy after copy,
each copy rewritten so that it is a distinct negotiation for Wireshark and
ikediag:

  - IKE SPIs / IKEv1 cookies: XORed with a per-copy 64-bit mask (a zero
    responder SPI stays zero: "not known yet" is part of the negotiation);
  - ESP SPIs (raw and in UDP 4500): XORed with a per-copy 32-bit mask;
  - IPv4 addresses: last two octets XORed with the copy number (IPv6: the
    last four bytes), so peers differ between copies and stay consistent
    within one; ICMP errors get the same rewrite in the packet they quote;
  - the IPv4 header checksum is recomputed, the UDP checksum cleared (IPv4);
  - timestamps: copies follow each other (1 ms gap).

Encrypted payloads are left as they are: the keys of the originals no longer
match the rewritten SPIs, so benchmark runs go without keys.

'dense' is IKE/ESP only (the sources, copied until N packets).  'mixed' is
N packets of which about P percent come from the dense stream and the rest is
generated non-IKE traffic: TCP bulk flows (seq/ack consistent) and DNS
queries with answers over UDP.

Everything this writes is synthetic; name the files so (bench.sh does).
SPDX-License-Identifier: GPL-2.0-or-later
"""

import argparse
import os
import random
import struct
import subprocess
import sys
import tempfile

MASK64 = (1 << 64) - 1


def read_pcap(path):
    """Yields (ts_sec, ts_usec, data) of an Ethernet capture via editcap -F pcap."""
    with tempfile.NamedTemporaryFile(suffix=".pcap", delete=False) as tmp:
        tmpname = tmp.name
    try:
        subprocess.run(["editcap", "-F", "pcap", path, tmpname], check=True,
                       stderr=subprocess.DEVNULL)
        with open(tmpname, "rb") as f:
            raw = f.read()
    finally:
        os.unlink(tmpname)
    magic = struct.unpack("<I", raw[:4])[0]
    if magic in (0xa1b2c3d4, 0xa1b23c4d):
        end = "<"
    else:
        end = ">"
        magic = struct.unpack(">I", raw[:4])[0]
    nsec = magic == 0xa1b23c4d
    linktype = struct.unpack(end + "I", raw[20:24])[0]
    if linktype != 1:
        print(f"mkcap: {path}: link type {linktype}, only Ethernet is supported; skipped",
              file=sys.stderr)
        return []
    out = []
    off = 24
    while off + 16 <= len(raw):
        sec, frac, incl, _orig = struct.unpack(end + "IIII", raw[off:off + 16])
        data = raw[off + 16:off + 16 + incl]
        off += 16 + incl
        usec = frac // 1000 if nsec else frac
        out.append((sec + usec / 1e6, data))
    return out


def ip_checksum(hdr):
    s = 0
    for i in range(0, len(hdr), 2):
        s += (hdr[i] << 8) + (hdr[i + 1] if i + 1 < len(hdr) else 0)
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


class Rewriter:
    """The per-copy rewrite of one packet (bytearray, in place)."""

    def __init__(self, copy):
        rnd = random.Random(copy * 7919 + 1)
        self.copy = copy
        self.ispi_mask = rnd.getrandbits(64) | 1
        self.rspi_mask = rnd.getrandbits(64) | 1
        self.esp_mask = rnd.getrandbits(32) | 1
        self.a_hi = (copy >> 8) & 0xff
        self.a_lo = copy & 0xff

    def _spi(self, b, off, mask):
        if off + 8 > len(b):
            return
        v = int.from_bytes(b[off:off + 8], "big")
        if v:
            b[off:off + 8] = (v ^ mask).to_bytes(8, "big")

    def ike(self, b, off):
        self._spi(b, off, self.ispi_mask)
        self._spi(b, off + 8, self.rspi_mask)

    def esp(self, b, off):
        if off + 4 <= len(b):
            v = int.from_bytes(b[off:off + 4], "big")
            b[off:off + 4] = ((v ^ self.esp_mask) or 1).to_bytes(4, "big")

    def udp_payload(self, b, off, sport, dport):
        if 500 in (sport, dport):
            self.ike(b, off)
        elif 4500 in (sport, dport):
            if off + 4 <= len(b) and b[off:off + 4] == b"\0\0\0\0":
                self.ike(b, off + 4)
            elif off + 1 < len(b):
                self.esp(b, off)

    def ipv4(self, b, off, quoted=False):
        if off + 20 > len(b):
            return
        ihl = (b[off] & 0x0f) * 4
        proto = b[off + 9]
        for a in (off + 12, off + 16):
            b[a + 2] ^= self.a_hi
            b[a + 3] ^= self.a_lo
        b[off + 10:off + 12] = b"\0\0"
        if off + ihl <= len(b):
            b[off + 10:off + 12] = ip_checksum(b[off:off + ihl]).to_bytes(2, "big")
        frag_off = int.from_bytes(b[off + 6:off + 8], "big") & 0x1fff
        if frag_off:
            return              # a later fragment: no transport header
        self.transport(b, off + ihl, proto, quoted, v6=False)

    def ipv6(self, b, off, quoted=False):
        if off + 40 > len(b):
            return
        nxt = b[off + 6]
        for a in (off + 8, off + 24):
            for i in range(12, 16):
                b[a + i] ^= (self.copy >> (8 * (15 - i))) & 0xff
        self.transport(b, off + 40, nxt, quoted, v6=True)

    def transport(self, b, off, proto, quoted, v6):
        if proto == 17 and off + 8 <= len(b):
            sport, dport = struct.unpack(">HH", b[off:off + 4])
            if not v6:
                b[off + 6:off + 8] = b"\0\0"
            self.udp_payload(b, off + 8, sport, dport)
        elif proto == 50:
            self.esp(b, off)
        elif proto == 1 and not quoted and off + 8 <= len(b) and b[off] in (3, 11, 12):
            self.ipv4(b, off + 8, quoted=True)
            b[off + 2:off + 4] = b"\0\0"
            b[off + 2:off + 4] = ip_checksum(b[off:]).to_bytes(2, "big")
        elif proto == 58 and not quoted and off + 8 <= len(b) and b[off] in (1, 2, 3, 4):
            self.ipv6(b, off + 8, quoted=True)

    def frame(self, data):
        b = bytearray(data)
        off = 12
        etype = int.from_bytes(b[off:off + 2], "big")
        while etype in (0x8100, 0x88a8):
            off += 4
            etype = int.from_bytes(b[off:off + 2], "big")
        if etype == 0x0800:
            self.ipv4(b, off + 2)
        elif etype == 0x86dd:
            self.ipv6(b, off + 2)
        return bytes(b)


def dense_stream(sources):
    """Endless (ts, data) of rewritten copies of all source captures."""
    caps = [c for c in (read_pcap(s) for s in sources) if c]
    if not caps:
        sys.exit("mkcap: no usable source capture")
    t = 1700000000.0
    copy = 0
    while True:
        for cap in caps:
            copy += 1
            rw = Rewriter(copy)
            t0 = cap[0][0]
            for ts, data in cap:
                yield t + (ts - t0), rw.frame(data)
            t += (cap[-1][0] - t0) + 0.001


def eth_ipv4(src, dst, proto, payload, ident):
    ip = bytearray(struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident & 0xffff, 0x4000,
                               64, proto, 0, bytes(src), bytes(dst)))
    ip[10:12] = ip_checksum(ip).to_bytes(2, "big")
    return (b"\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02\x08\x00" + bytes(ip) + payload)


class Background:
    """Non-IKE traffic: TCP bulk flows and DNS over UDP (198.18.0.0/15, RFC 2544)."""

    def __init__(self, seed=1):
        self.rnd = random.Random(seed)
        self.flows = []
        for i in range(16):
            self.flows.append({"c": [198, 18, 1, 1 + i], "s": [198, 18, 2, 1 + (i % 4)],
                               "cp": 40000 + i, "sp": (80, 8080, 5001, 22)[i % 4],
                               "seq": self.rnd.getrandbits(32), "ack": self.rnd.getrandbits(32)})
        self.ident = 1
        self.dns_id = 1
        self.pending_dns = None
        self.payload = bytes(self.rnd.getrandbits(8) for _ in range(1400))

    def next(self):
        self.ident += 1
        if self.pending_dns:
            p, self.pending_dns = self.pending_dns, None
            return p
        r = self.rnd.random()
        if r < 0.15:
            # DNS query, its answer next
            self.dns_id += 1
            name = b"".join(bytes([len(x)]) + x for x in
                            (b"host%d" % (self.dns_id % 500), b"example", b"net")) + b"\0"
            q = struct.pack(">HHHHHH", self.dns_id & 0xffff, 0x0100, 1, 0, 0, 0) + name + b"\0\x01\0\x01"
            a = (struct.pack(">HHHHHH", self.dns_id & 0xffff, 0x8180, 1, 1, 0, 0) + name + b"\0\x01\0\x01"
                 + b"\xc0\x0c\0\x01\0\x01\0\0\x0e\x10\0\x04" + bytes([198, 18, 3, self.dns_id % 250 + 1]))
            cl, sv = [198, 18, 1, 100 + self.dns_id % 50], [198, 18, 0, 53]
            sport = 10000 + self.dns_id % 50000
            udp_q = struct.pack(">HHHH", sport, 53, 8 + len(q), 0) + q
            udp_a = struct.pack(">HHHH", 53, sport, 8 + len(a), 0) + a
            self.pending_dns = eth_ipv4(sv, cl, 17, udp_a, self.ident + 1)
            return eth_ipv4(cl, sv, 17, udp_q, self.ident)
        f = self.flows[self.rnd.randrange(len(self.flows))]
        if r < 0.60:
            # data segment client -> server
            n = self.rnd.choice((1400, 1400, 512, 100))
            tcp = struct.pack(">HHIIBBHHH", f["cp"], f["sp"], f["seq"], f["ack"], 0x50, 0x18, 65535, 0, 0)
            f["seq"] = (f["seq"] + n) & 0xffffffff
            return eth_ipv4(f["c"], f["s"], 6, tcp + self.payload[:n], self.ident)
        # pure ACK back
        tcp = struct.pack(">HHIIBBHHH", f["sp"], f["cp"], f["ack"], f["seq"], 0x50, 0x10, 65535, 0, 0)
        return eth_ipv4(f["s"], f["c"], 6, tcp, self.ident)


def write_pcap(path, packets):
    n = 0
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
        for ts, data in packets:
            sec = int(ts)
            usec = int(round((ts - sec) * 1e6))
            if usec >= 1000000:
                sec, usec = sec + 1, usec - 1000000
            f.write(struct.pack("<IIII", sec, usec, len(data), len(data)))
            f.write(data)
            n += 1
    return n


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mode", choices=("dense", "mixed"))
    ap.add_argument("--packets", type=int, required=True)
    ap.add_argument("--ike-percent", type=float, default=2.0)
    ap.add_argument("--out", required=True)
    ap.add_argument("sources", nargs="+")
    a = ap.parse_args()

    dense = dense_stream(a.sources)
    if a.mode == "dense":
        gen = (next(dense) for _ in range(a.packets))
    else:
        bg = Background()

        def mixed():
            every = 100.0 / a.ike_percent
            acc = 0.0
            t = 1700000000.0
            for _ in range(a.packets):
                acc += 1
                t += 0.0001
                if acc >= every:
                    acc -= every
                    _ts, data = next(dense)
                    yield t, data
                else:
                    yield t, bg.next()
        gen = mixed()
    n = write_pcap(a.out, gen)
    print(f"mkcap: wrote {n} packets to {a.out} (synthetic, {a.mode})")


if __name__ == "__main__":
    main()
