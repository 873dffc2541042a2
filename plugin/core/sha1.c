/* sha1.c
 * SHA-1 (FIPS 180-4 section 6.1) of one buffer.
 *
 * Why not GChecksum: every IKE_SA_INIT message costs two NAT-D hashes, and
 * GChecksum's allocation, byte-wise loads and finalization cost about 3,600
 * instructions per 38-byte hash, 1% of a whole tshark run on IKE-dense
 * traffic (docs/performance.md).  This one is unrolled, keeps the message
 * schedule in 16 words and allocates nothing.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include "sha1.h"

#define ROL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))
/* word t of the schedule: the block's own for t < 16, then computed in place */
#define W0(t) (w[t] = (guint32)blk[4 * (t)] << 24 | (guint32)blk[4 * (t) + 1] << 16 | \
                      (guint32)blk[4 * (t) + 2] << 8 | blk[4 * (t) + 3])
#define W(t) (w[(t) & 15] = ROL(w[((t) + 13) & 15] ^ w[((t) + 8) & 15] ^ \
                                w[((t) + 2) & 15] ^ w[(t) & 15], 1))
/* one round; the caller rotates the names of a..e instead of moving values */
#define R0(v, w_, x, y, z, t) z += ((w_ & (x ^ y)) ^ y) + W0(t) + 0x5a827999 + ROL(v, 5); w_ = ROL(w_, 30)
#define R1(v, w_, x, y, z, t) z += ((w_ & (x ^ y)) ^ y) + W(t) + 0x5a827999 + ROL(v, 5); w_ = ROL(w_, 30)
#define R2(v, w_, x, y, z, t) z += (w_ ^ x ^ y) + W(t) + 0x6ed9eba1 + ROL(v, 5); w_ = ROL(w_, 30)
#define R3(v, w_, x, y, z, t) z += (((w_ | x) & y) | (w_ & x)) + W(t) + 0x8f1bbcdc + ROL(v, 5); w_ = ROL(w_, 30)
#define R4(v, w_, x, y, z, t) z += (w_ ^ x ^ y) + W(t) + 0xca62c1d6 + ROL(v, 5); w_ = ROL(w_, 30)

static void
compress(guint32 h[5], const guint8 *blk)
{
    guint32 w[16];
    guint32 a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];

    R0(a, b, c, d, e, 0);
    R0(e, a, b, c, d, 1);
    R0(d, e, a, b, c, 2);
    R0(c, d, e, a, b, 3);
    R0(b, c, d, e, a, 4);
    R0(a, b, c, d, e, 5);
    R0(e, a, b, c, d, 6);
    R0(d, e, a, b, c, 7);
    R0(c, d, e, a, b, 8);
    R0(b, c, d, e, a, 9);
    R0(a, b, c, d, e, 10);
    R0(e, a, b, c, d, 11);
    R0(d, e, a, b, c, 12);
    R0(c, d, e, a, b, 13);
    R0(b, c, d, e, a, 14);
    R0(a, b, c, d, e, 15);
    R1(e, a, b, c, d, 16);
    R1(d, e, a, b, c, 17);
    R1(c, d, e, a, b, 18);
    R1(b, c, d, e, a, 19);
    R2(a, b, c, d, e, 20);
    R2(e, a, b, c, d, 21);
    R2(d, e, a, b, c, 22);
    R2(c, d, e, a, b, 23);
    R2(b, c, d, e, a, 24);
    R2(a, b, c, d, e, 25);
    R2(e, a, b, c, d, 26);
    R2(d, e, a, b, c, 27);
    R2(c, d, e, a, b, 28);
    R2(b, c, d, e, a, 29);
    R2(a, b, c, d, e, 30);
    R2(e, a, b, c, d, 31);
    R2(d, e, a, b, c, 32);
    R2(c, d, e, a, b, 33);
    R2(b, c, d, e, a, 34);
    R2(a, b, c, d, e, 35);
    R2(e, a, b, c, d, 36);
    R2(d, e, a, b, c, 37);
    R2(c, d, e, a, b, 38);
    R2(b, c, d, e, a, 39);
    R3(a, b, c, d, e, 40);
    R3(e, a, b, c, d, 41);
    R3(d, e, a, b, c, 42);
    R3(c, d, e, a, b, 43);
    R3(b, c, d, e, a, 44);
    R3(a, b, c, d, e, 45);
    R3(e, a, b, c, d, 46);
    R3(d, e, a, b, c, 47);
    R3(c, d, e, a, b, 48);
    R3(b, c, d, e, a, 49);
    R3(a, b, c, d, e, 50);
    R3(e, a, b, c, d, 51);
    R3(d, e, a, b, c, 52);
    R3(c, d, e, a, b, 53);
    R3(b, c, d, e, a, 54);
    R3(a, b, c, d, e, 55);
    R3(e, a, b, c, d, 56);
    R3(d, e, a, b, c, 57);
    R3(c, d, e, a, b, 58);
    R3(b, c, d, e, a, 59);
    R4(a, b, c, d, e, 60);
    R4(e, a, b, c, d, 61);
    R4(d, e, a, b, c, 62);
    R4(c, d, e, a, b, 63);
    R4(b, c, d, e, a, 64);
    R4(a, b, c, d, e, 65);
    R4(e, a, b, c, d, 66);
    R4(d, e, a, b, c, 67);
    R4(c, d, e, a, b, 68);
    R4(b, c, d, e, a, 69);
    R4(a, b, c, d, e, 70);
    R4(e, a, b, c, d, 71);
    R4(d, e, a, b, c, 72);
    R4(c, d, e, a, b, 73);
    R4(b, c, d, e, a, 74);
    R4(a, b, c, d, e, 75);
    R4(e, a, b, c, d, 76);
    R4(d, e, a, b, c, 77);
    R4(c, d, e, a, b, 78);
    R4(b, c, d, e, a, 79);
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
}

void
ikd_sha1(const guint8 *data, gsize len, guint8 out[20])
{
    guint32 h[5] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0 };
    guint8 last[128];
    gsize rest = len % 64, tail = rest < 56 ? 64 : 128;
    guint64 bits = (guint64)len * 8;

    for (gsize off = 0; off + 64 <= len; off += 64)
        compress(h, data + off);
    /* the rest, a 1 bit, zeros, the length in bits: one block or two */
    memset(last + rest, 0, tail - rest);
    if (rest)
        memcpy(last, data + len - rest, rest);
    last[rest] = 0x80;
    for (int i = 0; i < 8; i++)
        last[tail - 1 - i] = (guint8)(bits >> (8 * i));
    compress(h, last);
    if (tail == 128)
        compress(h, last + 64);
    for (int i = 0; i < 5; i++) {
        out[4 * i] = (guint8)(h[i] >> 24);
        out[4 * i + 1] = (guint8)(h[i] >> 16);
        out[4 * i + 2] = (guint8)(h[i] >> 8);
        out[4 * i + 3] = (guint8)h[i];
    }
}
