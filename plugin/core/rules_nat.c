/* rules_nat.c
 * The path between the peers: NAT detection (RFC 7296 2.23, RFC 3947),
 * NAT-T on UDP 4500, ESP encapsulation and direction, and IKE messages lost
 * to IP fragmentation.
 *
 * Everything here is judged "as seen from the capture point": a NAT-D hash
 * is recomputed over the addresses and ports of the packet as captured, so
 * a mismatch says a NAT sits between the sender (or receiver) and the
 * capture point, and ESP seen one way says the other way never reached the
 * capture point.
 *
 * These rules run before rules_reachability.c (rules.c): on the frame where
 * a request has been retransmitted often enough to be called unanswered, a
 * blocked UDP 4500 or a lost IP fragment is the better diagnosis, and
 * no-response stays silent once an SA has an explained failure.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <stdio.h>
#include <string.h>

#include "rules_common.h"
#include "rules_nat.h"
#include "sha1.h"
#include "names.h"

/* This family's state per IKE SA. */
typedef struct nat_state {
    gboolean nat_seen;
    guint32  nat_frame;             /* frame whose NAT-D hashes revealed the NAT */
    guint8   nat_behind;            /* IKD_NAT_BEHIND_* */
    guint8   nat_segments;          /* NAT_SEG_*: where the notes put a NAT */
    guint32  frag_first, frag_last, frag_orphans;   /* IP fragments not (yet) reassembled */
    guint32  frag_ike_last;         /* last IKE message reassembled from IP fragments */
    gint64   frag_first_ms;         /* capture time of frag_first, milliseconds */
    gint64   frag_last_ms;
    guint32  first_4500;            /* first IKE message on UDP 4500 */
    guint32  heard_4500[2];         /* first frame (IKE or ESP in UDP) on UDP 4500 from
                                       [0] the initiator, [1] the responder */
} nat_state;

static nat_state *
nat_of(const ikd_sa *sa)
{
    /* state is created on first use, also from a reading rule */
    return ikd_sa_family_state((ikd_sa *)sa, IKD_SLOT_NAT, sizeof(nat_state));
}
#define NAT(sa) nat_of(sa)

guint8
ikd_nat_behind(const ikd_sa *sa)
{
    return NAT(sa)->nat_behind;
}

/* The family's state for the whole capture: ESP flows without an IKE SA
 * that esp-one-way was reported on, and whether the capture's clock
 * advances at all (tcpdump's test captures, some converted or anonymised
 * ones, carry only zero timestamps). */
typedef struct nat_capture {
    GHashTable *reported;
    gboolean    have_first, clock_advances;
    gint64      first_ms;
} nat_capture;

static gpointer
nat_capture_new(void)
{
    nat_capture *nc = g_new0(nat_capture, 1);
    nc->reported = g_hash_table_new(g_direct_hash, g_direct_equal);
    return nc;
}

static void
nat_capture_free(gpointer p)
{
    nat_capture *nc = p;
    g_hash_table_destroy(nc->reported);
    g_free(nc);
}

static nat_capture *
capture_of(ikd_tracker *t)
{
    return ikd_tracker_family_state(t, IKD_SLOT_NAT, nat_capture_new, nat_capture_free);
}

static gint64
msg_ms(const ikd_msg *m)
{
    return m->ts_sec * 1000 + m->ts_nsec / 1000000;
}

static void
note_clock(ikd_tracker *t, const ikd_msg *m)
{
    nat_capture *nc = capture_of(t);
    if (!nc->have_first) {
        nc->have_first = TRUE;
        nc->first_ms = msg_ms(m);
    } else if (msg_ms(m) != nc->first_ms) {
        nc->clock_advances = TRUE;
    }
}


/* IKEv1 fragmentation vendor ID (strongSwan, Cisco, libreswan agree):
 * MD5("FRAGMENTATION"), followed by 4 bytes of flags. */
static const guint8 vid_v1_fragmentation[16] = {
    0x40, 0x48, 0xb7, 0xd5, 0x6e, 0xbc, 0xe8, 0x85, 0x25, 0xe7, 0xde, 0x7f, 0x00, 0xd6, 0xc2, 0xd3
};

/* ------------------------------------------------------------ helpers */

gsize
ikd_natd_hash(gsize hash_len, const guint8 ispi[8], const guint8 rspi[8],
              const ikd_addr *addr, guint16 port, guint8 out[64])
{
    GChecksumType type;
    GChecksum *ck;
    guint8 pb[2] = { (guint8)(port >> 8), (guint8)port };
    gsize len = 64;

    /* RFC 3947 uses the hash negotiated for phase 1; its output length
     * names it unambiguously among those IKEv1 negotiates. */
    switch (hash_len) {
    case 16: type = G_CHECKSUM_MD5; break;
    case IKD_SHA1_LEN: type = G_CHECKSUM_SHA1; break;
    case 32: type = G_CHECKSUM_SHA256; break;
    case 48: type = G_CHECKSUM_SHA384; break;
    case 64: type = G_CHECKSUM_SHA512; break;
    default: return 0;
    }
    if (addr->family != 4 && addr->family != 6)
        return 0;
    if (type == G_CHECKSUM_SHA1) {      /* IKEv2's, and IKEv1's with SHA-1: sha1.c */
        guint8 in[8 + 8 + 16 + 2];
        gsize alen = addr->family == 4 ? 4 : 16;
        memcpy(in, ispi, 8);
        memcpy(in + 8, rspi, 8);
        memcpy(in + 16, addr->bytes, alen);
        memcpy(in + 16 + alen, pb, 2);
        ikd_sha1(in, 16 + alen + 2, out);
        return IKD_SHA1_LEN;
    }
    ck = g_checksum_new(type);
    g_checksum_update(ck, ispi, 8);
    g_checksum_update(ck, rspi, 8);
    g_checksum_update(ck, addr->bytes, addr->family == 4 ? 4 : 16);
    g_checksum_update(ck, pb, 2);
    g_checksum_get_digest(ck, out, &len);
    g_checksum_free(ck);
    return len == hash_len ? len : 0;
}

static const char *
hash_name(gsize len)
{
    switch (len) {
    case 16: return "MD5";
    case 20: return "SHA-1";
    case 32: return "SHA2-256";
    case 48: return "SHA2-384";
    case 64: return "SHA2-512";
    default: return "?";
    }
}

/* The last response from the peer of 'ex' before 'before' (it was alive
 * then), or 0. */
static guint32
last_answer_before(const ikd_sa *sa, const ikd_exchange *ex, guint32 before)
{
    guint32 last = 0;
    for (const ikd_exchange *o = sa->exchanges; o; o = o->next_in_sa) {
        if (o->from_initiator == ex->from_initiator && o->response.frame && o->response.frame < before)
            last = MAX(last, o->response.frame);
    }
    return last;
}

/* ------------------------------------------------------------ NAT detection */

/* Where the NAT-D hashes put a NAT: a mismatch in a message says a NAT
 * sits between its sender and the capture point (the hash was computed
 * before the NAT rewrote the packet), whichever address it hides.  Two
 * segments of the path, each reported once: a capture taken between two
 * NATs (the initiator's own NAT and the home router's, say) shows a
 * mismatch from each side. */
#define NAT_SEG_INITIATOR 0x01      /* between the initiator and the capture point */
#define NAT_SEG_RESPONDER 0x02      /* between the capture point and the responder */

static void
report_nat(ikd_rule_ctx *c, gboolean sender_init, gboolean src_mismatch, gboolean dst_mismatch,
           const char *how)
{
    ikd_sa *sa = c->sa;
    const ikd_msg *m = c->m;
    char sbuf[64], dbuf[64];
    GString *s;
    ikd_finding *f;
    guint8 seg = sender_init ? NAT_SEG_INITIATOR : NAT_SEG_RESPONDER;
    guint32 other = NAT(sa)->nat_frame;

    if (src_mismatch)
        NAT(sa)->nat_behind |= sender_init ? IKD_NAT_BEHIND_INITIATOR : IKD_NAT_BEHIND_RESPONDER;
    if (dst_mismatch)
        NAT(sa)->nat_behind |= sender_init ? IKD_NAT_BEHIND_RESPONDER : IKD_NAT_BEHIND_INITIATOR;
    if (NAT(sa)->nat_segments & seg)
        return;                 /* one note per segment: the first frame that shows it */
    NAT(sa)->nat_segments |= seg;
    if (!NAT(sa)->nat_seen) {
        NAT(sa)->nat_seen = TRUE;
        NAT(sa)->nat_frame = c->fi->frame;
    }

    f = ikd_report(c->fs, sa, NULL, c->fi->frame, IKD_CAUSE_NAT_DETECTED, FALSE);
    ikd_finding_evidence(f, other);
    if (f->no_texts)
        return;
    ikd_addr_to_str(&m->src, sbuf, sizeof sbuf);
    ikd_addr_to_str(&m->dst, dbuf, sizeof dbuf);
    /* Appended piece by piece: a printf walks each character of its long
     * format, and this note is made for every SA behind a NAT. */
    s = g_string_sized_new(1024);
    g_string_append(s, "NAT detected in frame ");
    ikd_append_u32(s, c->fi->frame);
    g_string_append(s, " (");
    g_string_append(s, how);
    g_string_append(s, "): ");
    if (src_mismatch) {
        g_string_append(s, "the ");
        g_string_append(s, ikd_side_name(sender_init));
        g_string_append(s, " hashed a source address or port other than ");
        g_string_append(s, sbuf);
        g_string_append_c(s, ':');
        ikd_append_u32(s, m->sport);
        g_string_append(s, ", which the capture shows, so the ");
        g_string_append(s, ikd_side_name(sender_init));
        g_string_append(s, " is behind a NAT between it and the capture point (or forces UDP "
                        "encapsulation with a deliberately wrong hash, as strongSwan does with "
                        "encap = yes)");
    }
    if (src_mismatch && dst_mismatch)
        g_string_append(s, "; and ");
    if (dst_mismatch) {
        g_string_append(s, "the ");
        g_string_append(s, ikd_side_name(sender_init));
        g_string_append(s, " (");
        g_string_append(s, sbuf);
        g_string_append(s, ") expected its peer at an address or port other than ");
        g_string_append(s, dbuf);
        g_string_append_c(s, ':');
        ikd_append_u32(s, m->dport);
        g_string_append(s, ", where the capture shows the packet going, so the ");
        g_string_append(s, ikd_side_name(!sender_init));
        g_string_append(s, " is behind a NAT and the capture was taken on its side of that NAT");
    }
    if (NAT(sa)->nat_segments == (NAT_SEG_INITIATOR | NAT_SEG_RESPONDER)) {
        g_string_append(s, ". With the NAT the ");
        g_string_append(s, ikd_side_name(!sender_init));
        g_string_append(s, "'s hashes showed in frame ");
        ikd_append_u32(s, other);
        g_string_append(s, ", there is a NAT on each side of the capture point: one between the "
                        "initiator and the capture point, one between the capture point and the "
                        "responder (a client behind its own NAT, in a VM or container, behind a home "
                        "router, say; or a peer that fakes its source hash to force UDP "
                        "encapsulation, with one real NAT)");
    }
    ikd_finding_take_message(f, g_string_free(s, FALSE));
    ikd_finding_hint(f, "NAT traversal is needed: UDP 500 and 4500 must pass between the peers, "
                     "IKE moves to UDP 4500 and ESP travels inside it (RFC 3948); keep the NAT mapping "
                     "alive (strongSwan charon.keep_alive, libreswan nat-keepalive=yes, Cisco crypto "
                     "isakmp nat keepalive) and do not disable NAT-T (libreswan encapsulation=auto, "
                     "Cisco crypto isakmp nat-traversal)");
}

/* IKEv2 (RFC 7296 2.23): NAT_DETECTION_SOURCE_IP and _DESTINATION_IP in
 * IKE_SA_INIT, SHA-1 over SPIi | SPIr | address | port with SPIr zero in
 * the request, exactly as the header of the message carries them. */
static void
check_natd_v2(ikd_rule_ctx *c)
{
    const ikd_msg *m = c->m;
    guint8 h_src[64], h_dst[64];
    gboolean have_src = FALSE, have_dst = FALSE, src_ok = FALSE, dst_ok = FALSE;

    if (!ikd_natd_hash(IKD_SHA1_LEN, m->ispi, m->rspi, &m->src, m->sport, h_src) ||
        !ikd_natd_hash(IKD_SHA1_LEN, m->ispi, m->rspi, &m->dst, m->dport, h_dst))
        return;
    for (guint i = 0; i < m->n_notify; i++) {
        const ikd_notify *n = &IKD_NOTIFY(m)[i];
        if (n->data_len != IKD_SHA1_LEN)
            continue;
        if (n->type == IKD_N_NAT_DETECTION_SOURCE_IP) {
            /* several are allowed, one per local address: any may match */
            have_src = TRUE;
            src_ok |= memcmp(n->data, h_src, IKD_SHA1_LEN) == 0;
        } else if (n->type == IKD_N_NAT_DETECTION_DESTINATION_IP) {
            have_dst = TRUE;
            dst_ok |= memcmp(n->data, h_dst, IKD_SHA1_LEN) == 0;
        }
    }
    if ((have_src && !src_ok) || (have_dst && !dst_ok))
        report_nat(c, (m->flags & IKD_FLAG_V2_I) != 0, have_src && !src_ok, have_dst && !dst_ok,
                   "NAT_DETECTION hashes recomputed with SHA-1");
}

/* The output length of the phase 1 hash the responder chose (Main/
 * Aggressive Mode message 2), 0 when not seen. */
static gsize
v1_negotiated_hash_len(const ikd_sa *sa)
{
    for (const ikd_exchange *ex = sa->exchanges; ex; ex = ex->next_in_sa) {
        const ikd_digest *d = ex->response.msg;
        if (ex->version != 1 || ex->phase1_step != 1 || !d || d->n_prop != 1)
            continue;
        for (guint i = 0; i < IKD_PROP(d)[0].n_tf; i++) {
            const ikd_transform *t = &IKD_TF(d)[IKD_PROP(d)[0].first_tf + i];
            if (t->type != IKD_TF_PRF)
                continue;
            switch (t->id) {    /* IKEv2 PRF ids, as extract.c maps IKEv1 hashes */
            case 1: return 16;  /* HMAC_MD5 */
            case 2: return IKD_SHA1_LEN;  /* HMAC_SHA1 */
            case 5: return 32;  /* HMAC_SHA2_256 */
            case 6: return 48;  /* HMAC_SHA2_384 */
            case 7: return 64;  /* HMAC_SHA2_512 */
            default: return 0;
            }
        }
    }
    return 0;
}

/* Does one of the n NAT-D payloads at 'natd' hash addr:port?  A message
 * already floated to UDP 4500 (Aggressive Mode's third message, which
 * carries NAT-D) may hash the port the exchange began on, 500: vpnc does,
 * and the NAT it would otherwise suggest is not there
 * (ikev1-xauth-nat-ok-vpnc-ss6). */
static gboolean
v1_natd_matches(const ikd_msg *m, gsize len, const ikd_blob *natd, guint n, const ikd_addr *addr,
                guint16 port)
{
    guint8 h[64];

    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            if (port != IKD_PORT_NAT_T)
                break;
            port = 500;
        }
        if (!ikd_natd_hash(len, m->ispi, m->rspi, addr, port, h))
            return TRUE;        /* nothing to compare with: no claim */
        for (guint i = 0; i < n; i++) {
            if (natd[i].len == len && memcmp(natd[i].data, h, len) == 0)
                return TRUE;
        }
    }
    return FALSE;
}

/* IKEv1 (RFC 3947 3.2): the first NAT-D payload hashes the receiver's
 * address and port, the following ones the sender's, with the negotiated
 * hash; when its choice is not in the capture, the payload's length names
 * the hash. */
static void
check_natd_v1(ikd_rule_ctx *c)
{
    const ikd_msg *m = c->m;
    guint8 h[64];
    gsize len = IKD_NATD(m)[0].len;
    gsize negotiated = v1_negotiated_hash_len(c->sa);
    gboolean dst_ok, src_ok;
    char how[96];

    if (negotiated && negotiated != len)
        return;                 /* not the hash we know how to recompute */
    if (m->n_natd < 2 || !ikd_natd_hash(len, m->ispi, m->rspi, &m->dst, m->dport, h))
        return;
    dst_ok = v1_natd_matches(m, len, &IKD_NATD(m)[0], 1, &m->dst, m->dport);
    src_ok = v1_natd_matches(m, len, &IKD_NATD(m)[1], m->n_natd - 1, &m->src, m->sport);
    snprintf(how, sizeof how, "NAT-D payloads recomputed with %s", hash_name(len));
    if (!src_ok || !dst_ok)
        report_nat(c, c->fi->role != IKD_ROLE_RESPONSE, !src_ok, !dst_ok, how);
}

/* ------------------------------------------------------------ UDP 4500 */

static gboolean
on_4500(const ikd_msg *m)
{
    return m->sport == IKD_PORT_NAT_T || m->dport == IKD_PORT_NAT_T;
}

static void
report_4500_blocked(ikd_rule_ctx *c, ikd_sa *sa, ikd_exchange *ex, guint32 frame, gboolean at_end)
{
    char abuf[64], bbuf[64];
    const ikd_addr *peer = ex->from_initiator ? &sa->resp_addr : &sa->init_addr;
    const ikd_addr *self = ex->from_initiator ? &sa->init_addr : &sa->resp_addr;
    guint32 answered = last_answer_before(sa, ex, NAT(sa)->first_4500);
    ikd_finding *f = ikd_report(c->fs, sa, ex, frame, IKD_CAUSE_UDP_4500_BLOCKED, TRUE);

    ikd_finding_evidence(f, ex->request.frame);
    ikd_finding_evidence(f, NAT(sa)->nat_frame);
    ikd_finding_evidence(f, answered);
    ikd_peer_str(self, bbuf, sizeof bbuf);
    ikd_peer_str(peer, abuf, sizeof abuf);
    if (NAT(sa)->nat_frame)
        ikd_finding_message(f, "%s request of frame %u from %s to %s on UDP 4500 was sent %u times and "
                            "never answered%s, although %s answered on UDP 500 (frame %u): UDP 4500 is "
                            "blocked on the path; the peers moved to it because of the NAT detected in "
                            "frame %u", ikd_exchange_name(ex->version, ex->exch_type), ex->request.frame,
                            bbuf, abuf, ex->request.n_sent, at_end ? " before the capture ended" : "",
                            abuf, answered, NAT(sa)->nat_frame);
    else
        ikd_finding_message(f, "%s request of frame %u from %s to %s on UDP 4500 was sent %u times and "
                            "never answered%s, although %s answered on UDP 500 (frame %u): UDP 4500 is "
                            "blocked on the path", ikd_exchange_name(ex->version, ex->exch_type),
                            ex->request.frame, bbuf, abuf, ex->request.n_sent,
                            at_end ? " before the capture ended" : "", abuf, answered);
    ikd_finding_hint(f, "allow UDP 4500 in both directions between %s and %s on every firewall "
                     "and on the NAT device (it carries IKE and ESP once NAT-T is in use); a peer cannot "
                     "stay on UDP 500 behind a NAT (strongSwan, libreswan and Cisco all move to 4500; "
                     "Cisco ASA: permit udp any any eq 4500 in the outside ACL)",
                     ikd_peer_str(self, bbuf, sizeof bbuf), ikd_peer_str(peer, abuf, sizeof abuf));
}

/* Blocked means nothing ever came back on UDP 4500: a peer that answered
 * there before (IKE, ESP in UDP) and then falls silent has stopped
 * answering (dead, restarted, path lost), which rules_liveness.c tells
 * (dpd-unanswered, peer-unresponsive) and rules_reachability.c otherwise. */
static gboolean
heard_on_4500(const ikd_sa *sa, const ikd_exchange *ex)
{
    return NAT(sa)->heard_4500[ex->from_initiator ? 1 : 0] != 0;
}

static void
note_4500(ikd_rule_ctx *c)
{
    const ikd_msg *m = c->m;
    int side = ikd_addr_equal(&m->src, &c->sa->init_addr) ? 0 : 1;   /* as tracker.c counts ESP */

    if (on_4500(m) && !NAT(c->sa)->heard_4500[side])
        NAT(c->sa)->heard_4500[side] = c->fi->frame;
}

/* The n-th retransmission on UDP 4500 of a request the peer answered on
 * UDP 500 before, with nothing at all from the peer on UDP 4500, ever. */
static gboolean
check_4500_blocked(ikd_rule_ctx *c)
{
    ikd_exchange *ex = c->ex;

    if (!ikd_unanswered_at_threshold(c) || !on_4500(c->m))
        return FALSE;
    if (!NAT(c->sa)->first_4500 || !last_answer_before(c->sa, ex, NAT(c->sa)->first_4500) ||
        heard_on_4500(c->sa, ex) ||
        ikd_peer_heard_after(c->sa, ex, ex->request.frame) || ikd_sa_has_failure(c->sa))
        return FALSE;
    report_4500_blocked(c, c->sa, ex, c->fi->frame, FALSE);
    return TRUE;
}

/* ------------------------------------------------------------ IP fragmentation */

static void
fragmentation_support(const ikd_sa *sa, GString *s)
{
    const ikd_digest *req = NULL, *resp = NULL;
    gboolean i_ok = FALSE, r_ok = FALSE;

    for (const ikd_exchange *ex = sa->exchanges; ex; ex = ex->next_in_sa) {
        if ((ex->version >= 2 && ex->exch_type == IKD_X2_IKE_SA_INIT) ||
            (ex->version == 1 && ex->phase1_step == 1)) {
            req = ex->request.msg;
            resp = ex->response.msg;    /* the last attempt counts */
        }
    }
    if (sa->version >= 2) {
        i_ok = req && ikd_digest_notify(req, IKD_N_FRAGMENTATION_SUPPORTED);
        r_ok = resp && ikd_digest_notify(resp, IKD_N_FRAGMENTATION_SUPPORTED);
    } else {
        for (guint i = 0; req && i < req->n_vid; i++)
            i_ok |= IKD_VID(req)[i].len >= 16 && memcmp(IKD_VID(req)[i].data, vid_v1_fragmentation, 16) == 0;
        for (guint i = 0; resp && i < resp->n_vid; i++)
            r_ok |= IKD_VID(resp)[i].len >= 16 && memcmp(IKD_VID(resp)[i].data, vid_v1_fragmentation, 16) == 0;
    }
    const char *what = sa->version >= 2 ? "IKEv2 fragmentation (IKEV2_FRAGMENTATION_SUPPORTED, RFC 7383)"
                                        : "IKE fragmentation (the FRAGMENTATION vendor ID)";
    if (!req && !resp)
        g_string_append_printf(s, "; whether the peers announced %s is not in the capture", what);
    else if (!i_ok && !r_ok)
        g_string_append_printf(s, "; neither peer announced %s (frames %u and %u)", what,
                               req ? req->frame : 0, resp ? resp->frame : 0);
    else if (i_ok && r_ok)
        g_string_append_printf(s, "; both peers announced %s (frames %u and %u), yet the message was "
                               "sent whole: the sender's fragment size is above the path MTU", what,
                               req->frame, resp->frame);
    else
        g_string_append_printf(s, "; only the %s announced %s (frame %u), the %s did not, so it is "
                               "not used", i_ok ? "initiator" : "responder", what,
                               i_ok ? req->frame : resp->frame, i_ok ? "responder" : "initiator");
}

static void
fragmentation_hint(ikd_finding *f, const ikd_sa *sa)
{
    if (sa->version >= 2)
        ikd_finding_hint(f, "enable IKEv2 fragmentation (RFC 7383) on both peers (strongSwan "
                         "swanctl.conf connections.<conn>.fragmentation = yes, libreswan fragmentation=yes, "
                         "Cisco crypto ikev2 fragmentation mtu 1400), or let IP fragments through the "
                         "firewalls/NAT on the path, or make the message smaller (ECDSA instead of large "
                         "RSA certificates, no certificate chain, fewer proposals)");
    else
        ikd_finding_hint(f, "enable IKEv1 fragmentation on both peers (strongSwan fragmentation = "
                         "yes or force, libreswan fragmentation=yes, Cisco crypto isakmp fragmentation), or "
                         "let IP fragments through the firewalls/NAT on the path, or make the message "
                         "smaller (ECDSA certificates, no chain)");
}

static void
report_fragmented_request(ikd_rule_ctx *c, ikd_sa *sa, ikd_exchange *ex, guint32 frame, gboolean at_end)
{
    char abuf[64];
    const ikd_addr *peer = ex->from_initiator ? &sa->resp_addr : &sa->init_addr;
    ikd_finding *f = ikd_report(c->fs, sa, ex, frame, IKD_CAUSE_IP_FRAGMENTATION, TRUE);
    GString *s = g_string_new(NULL);

    ikd_finding_evidence(f, ex->request.frame);
    ikd_finding_evidence(f, NAT(sa)->frag_last);
    g_string_append_printf(s, "%s request of frame %u to %s (%u bytes of IKE) was sent %u times in IP "
                           "fragments and never answered%s: a fragment is lost on the path (firewalls and "
                           "NATs often drop non-first fragments), so the peer never gets the whole datagram",
                           ikd_exchange_name(ex->version, ex->exch_type), ex->request.frame,
                           ikd_peer_str(peer, abuf, sizeof abuf),
                           ex->request.msg ? ex->request.msg->content_len : 0, ex->request.n_sent,
                           at_end ? " before the capture ended" : "");
    fragmentation_support(sa, s);
    ikd_finding_message(f, "%s", s->str);
    g_string_free(s, TRUE);
    fragmentation_hint(f, sa);
}

static gboolean
check_fragmented_request(ikd_rule_ctx *c)
{
    ikd_exchange *ex = c->ex;

    if (!ikd_unanswered_at_threshold(c) || !c->m->ip_fragmented || ikd_sa_has_failure(c->sa))
        return FALSE;
    report_fragmented_request(c, c->sa, ex, c->fi->frame, FALSE);
    return TRUE;
}

/* IP fragments between the peers that no reassembled datagram followed:
 * the capture point saw only part of each (e.g. behind the device that
 * drops the others), and Wireshark shows no UDP, let alone IKE. */
static void
report_orphan_fragments(ikd_rule_ctx *c, ikd_sa *sa, guint32 frame)
{
    char abuf[64], bbuf[64];
    ikd_finding *f = ikd_report(c->fs, sa, NULL, frame, IKD_CAUSE_IP_FRAGMENTATION, TRUE);
    GString *s = g_string_new(NULL);

    ikd_finding_evidence(f, NAT(sa)->frag_first);
    g_string_append_printf(s, "%u IP fragments of UDP datagrams between %s and %s (frames %u to %u) were "
                           "never completed: the other fragments did not reach the capture point, so an "
                           "IKE message too large for the path MTU (typically IKE_AUTH with certificates) "
                           "is lost on the way",
                           NAT(sa)->frag_orphans, ikd_peer_str(&sa->init_addr, abuf, sizeof abuf),
                           ikd_peer_str(&sa->resp_addr, bbuf, sizeof bbuf), NAT(sa)->frag_first, frame);
    fragmentation_support(sa, s);
    ikd_finding_message(f, "%s", s->str);
    g_string_free(s, TRUE);
    fragmentation_hint(f, sa);
}

/* Orphan fragments say "lost IKE message" only while the IKE SA is being
 * set up (later, large ESP in UDP is fragmented too), and only when they
 * span a retransmission: the fragments of one datagram arrive together,
 * the sender's retransmissions come a second or more apart (RFC 7296 2.1;
 * strongSwan's first timeout is 4 s by default, 1 s in the lab). */
#define ORPHAN_SPAN_MS 900

static gboolean
orphans_evident(const ikd_sa *sa, guint32 min_count)
{
    return NAT(sa)->frag_orphans >= min_count && !sa->ike_established && !ikd_sa_has_failure(sa) &&
           NAT(sa)->frag_last_ms - NAT(sa)->frag_first_ms >= ORPHAN_SPAN_MS &&
           !ikd_sa_has_cause(sa, IKD_CAUSE_IP_FRAGMENTATION);
}

static void
on_fragment(ikd_rule_ctx *c)
{
    ikd_sa *sa = c->sa;
    const ikd_config *cfg = ikd_tracker_config(c->t);
    gint64 ms = c->m->ts_sec * 1000 + c->m->ts_nsec / 1000000;

    if (!NAT(sa)->frag_orphans) {
        NAT(sa)->frag_first = c->fi->frame;
        NAT(sa)->frag_first_ms = ms;
    }
    NAT(sa)->frag_last = c->fi->frame;
    NAT(sa)->frag_last_ms = ms;
    NAT(sa)->frag_orphans++;
    if (orphans_evident(sa, cfg->no_response_retransmits + 1))
        report_orphan_fragments(c, sa, c->fi->frame);
}

/* ------------------------------------------------------------ ESP */

static void
report_not_encapsulated(ikd_rule_ctx *c, int dir)
{
    ikd_sa *sa = c->sa;
    const ikd_msg *m = c->m;
    char sbuf[64], dbuf[64];
    /* Raw ESP seen both ways through a NAT works (a 1:1 NAT passes it); one
     * way only, it is what keeps the tunnel from carrying traffic. */
    gboolean back = sa->esp[!dir].count > 0;
    ikd_finding *f = ikd_report(c->fs, sa, NULL, c->fi->frame, IKD_CAUSE_ESP_NOT_ENCAPSULATED, !back);

    ikd_finding_evidence(f, NAT(sa)->nat_frame);
    ikd_finding_message(f, "ESP in frame %u from %s to %s (SPI 0x%08x) is sent raw (IP protocol 50), "
                        "although a NAT was detected in frame %u: a NAT that translates ports cannot "
                        "forward raw ESP, it must be UDP-encapsulated on port 4500 (RFC 3948)%s",
                        c->fi->frame, ikd_addr_to_str(&m->src, sbuf, sizeof sbuf),
                        ikd_addr_to_str(&m->dst, dbuf, sizeof dbuf), m->esp_spi, NAT(sa)->nat_frame,
                        back ? "; raw ESP also flows back, so this NAT passes it" : "");
    ikd_finding_hint(f, "make both peers use UDP encapsulation: NAT-T enabled (libreswan "
                     "encapsulation=auto or yes, Cisco crypto isakmp nat-traversal and crypto ipsec "
                     "nat-transparency udp-encapsulation), strongSwan encap = yes forces it, and an "
                     "IPsec stack that supports ESP-in-UDP (Linux XFRM does)");
}

/* The frame of the SA's finding of 'cause', or 0. */
static guint32
cause_frame(const ikd_sa *sa, ikd_cause cause)
{
    for (guint32 i = 0; i < ikd_sa_finding_count(sa); i++) {
        if (ikd_sa_finding(sa, i)->cause == cause)
            return ikd_sa_finding(sa, i)->frame;
    }
    return 0;
}

static void
report_one_way(ikd_rule_ctx *c, ikd_sa *sa, int dir, guint32 frame)
{
    char sbuf[64], dbuf[64];
    const ikd_addr *from = dir == 0 ? &sa->init_addr : &sa->resp_addr;
    const ikd_addr *to = dir == 0 ? &sa->resp_addr : &sa->init_addr;
    /* A Quick Mode the silent side never completed explains the silence:
     * it has no SA for this ESP.  The one-way ESP is that failure's
     * consequence, told as a warning, not a second failure. */
    guint32 qm = cause_frame(sa, IKD_CAUSE_QUICK_MODE_INCOMPLETE);
    ikd_finding *f = ikd_report(c->fs, sa, NULL, frame, IKD_CAUSE_ESP_ONE_WAY, qm == 0);

    ikd_addr_to_str(from, sbuf, sizeof sbuf);
    ikd_addr_to_str(to, dbuf, sizeof dbuf);
    ikd_finding_evidence(f, sa->esp[dir].first);
    ikd_finding_evidence(f, qm);
    if (qm) {
        ikd_finding_message(f, "ESP flows one way only: %u packets from the %s %s to the %s %s (frames %u to %u, "
                            "SPI 0x%08x, %s) and none back from %s, which never completed the Quick Mode "
                            "(frame %u): it has no SA for this traffic",
                            sa->esp[dir].count, ikd_side_name(dir == 0), sbuf, ikd_side_name(dir != 0), dbuf,
                            sa->esp[dir].first, frame, sa->esp[dir].spi,
                            sa->esp_first_raw ? "raw ESP" : "ESP in UDP 4500", dbuf, qm);
        ikd_finding_hint(f, "see the quick-mode-incomplete finding of frame %u: once %s accepts QM3, "
                         "it installs the SAs and answers", qm, dbuf);
        return;
    }
    ikd_finding_message(f, "ESP flows one way only: %u packets from the %s %s to the %s %s (frames %u to %u, "
                        "SPI 0x%08x, %s) and none back from %s%s: the tunnel is up but carries no "
                        "traffic in return",
                        sa->esp[dir].count, ikd_side_name(dir == 0), sbuf, ikd_side_name(dir != 0), dbuf,
                        sa->esp[dir].first, frame, sa->esp[dir].spi,
                        sa->esp_first_raw ? "raw ESP" : "ESP in UDP 4500", dbuf,
                        sa->child_established ? " although the CHILD SA was set up" : "");
    ikd_finding_hint(f, "%s sends no ESP back or it is dropped before the capture point: check on %s "
                     "that the packets arrive and decrypt (ip -s xfrm state, swanctl --list-sas byte "
                     "counters; Cisco show crypto ipsec sa: #pkts decaps), that replies are routed into the "
                     "tunnel (strongSwan local_ts/remote_ts, libreswan leftsubnet/rightsubnet, Cisco crypto "
                     "map ACL mirrored on both sides), and that firewalls pass %s from %s to %s",
                     dbuf, dbuf, sa->esp_first_raw ? "ESP (IP protocol 50)" : "UDP 4500", dbuf, sbuf);
}

/* ESP one way only is evident after enough packets over enough time: a
 * burst (parallel DNS queries, a TCP window) legitimately precedes the
 * first answer by a round trip, never by half a second. */
#define ONE_WAY_SPAN_MS 500
/* Where the capture's clock does not advance, packets stand in for time:
 * the silent side's own IKE messages reaching the capture point while the
 * ESP flowed (the path back works, and it had the time to answer), or,
 * with nothing else from it, more packets than one burst holds (TCP's
 * initial window is 10 segments, RFC 6928). */
#define ONE_WAY_NO_CLOCK_PACKETS 16

/* At least min_count packets one way over ONE_WAY_SPAN_MS, none back;
 * without a clock, 'heard_back' (the other side was heard after the first
 * packet) or ONE_WAY_NO_CLOCK_PACKETS. */
static gboolean
one_way(const ikd_esp_dir esp[2], int dir, guint32 min_count, gboolean clock, gboolean heard_back)
{
    if (esp[dir].count < min_count || esp[!dir].count)
        return FALSE;
    if (clock)
        return esp[dir].last_ms - esp[dir].first_ms >= ONE_WAY_SPAN_MS;
    return heard_back || esp[dir].count >= MAX(min_count, ONE_WAY_NO_CLOCK_PACKETS);
}

/* The last IKE frame of this SA after 'after' from the side that sends ESP
 * in direction !dir, or 0. */
static guint32
ike_heard_after(const ikd_sa *sa, int dir, guint32 after)
{
    gboolean silent_init = dir == 1;    /* dir 0 is initiator->responder: the responder is silent */
    guint32 last = 0;

    for (const ikd_exchange *o = sa->exchanges; o; o = o->next_in_sa) {
        if (o->from_initiator == silent_init && o->request.last_frame > after)
            last = MAX(last, o->request.last_frame);
        if (o->from_initiator != silent_init && o->response.last_frame > after)
            last = MAX(last, o->response.last_frame);
    }
    return last;
}

static gboolean
one_way_evident(ikd_tracker *t, const ikd_sa *sa, int dir, guint32 min_count)
{
    return one_way(sa->esp, dir, min_count, capture_of(t)->clock_advances,
                   ike_heard_after(sa, dir, sa->esp[dir].first) != 0) &&
           !ikd_sa_has_cause(sa, IKD_CAUSE_ESP_ONE_WAY) &&
           !ikd_sa_has_cause(sa, IKD_CAUSE_ESP_NOT_ENCAPSULATED);
}

static void
on_esp(ikd_rule_ctx *c)
{
    ikd_sa *sa = c->sa;
    const ikd_msg *m = c->m;
    const ikd_config *cfg = ikd_tracker_config(c->t);
    int dir = ikd_addr_equal(&m->src, &sa->init_addr) ? 0 : 1;   /* as tracker.c counts */
    gboolean raw = m->sport == 0 && m->dport == 0;

    /* Large ESP-in-UDP packets are fragmented too: the fragments seen so far
     * belonged to this datagram, not to a lost IKE message. */
    if (m->ip_fragmented)
        NAT(sa)->frag_orphans = 0;

    if (raw && NAT(sa)->nat_seen && !ikd_sa_has_cause(sa, IKD_CAUSE_ESP_NOT_ENCAPSULATED)) {
        report_not_encapsulated(c, dir);
        return;
    }
    if (one_way_evident(c->t, sa, dir, cfg->esp_one_way_packets))
        report_one_way(c, sa, dir, c->fi->frame);
}

/* ESP between hosts whose IKE negotiation is not in the capture (it began
 * after the tunnel came up, the usual way to look at "no traffic through
 * the tunnel"): the same one-way judgement, in one pass only, since there
 * is no IKE SA to close at the end. */
static void
on_esp_without_sa(ikd_rule_ctx *c)
{
    const ikd_msg *m = c->m;
    const ikd_config *cfg = ikd_tracker_config(c->t);
    ikd_esp_flow *fl = ikd_tracker_esp_flow(c->t, &m->src, &m->dst);
    nat_capture *nc = capture_of(c->t);
    GHashTable *reported = nc->reported;
    int dir = fl && ikd_addr_equal(&m->src, &fl->host[0]) ? 0 : 1;
    char sbuf[64], dbuf[64];
    ikd_finding *f;

    if (!fl || g_hash_table_contains(reported, fl) || !one_way(fl->dir, dir, cfg->esp_one_way_packets, nc->clock_advances, FALSE))
        return;
    g_hash_table_add(reported, fl);
    ikd_addr_to_str(&fl->host[dir], sbuf, sizeof sbuf);
    ikd_addr_to_str(&fl->host[!dir], dbuf, sizeof dbuf);
    f = ikd_report(c->fs, NULL, NULL, c->fi->frame, IKD_CAUSE_ESP_ONE_WAY, TRUE);
    ikd_finding_evidence(f, fl->dir[dir].first);
    ikd_finding_message(f, "ESP flows one way only: %u packets from %s to %s (frames %u to %u, SPI 0x%08x, "
                        "%s) and none back from %s; the IKE negotiation of this tunnel is not in the "
                        "capture", fl->dir[dir].count, sbuf, dbuf, fl->dir[dir].first, c->fi->frame, fl->dir[dir].spi,
                        fl->raw ? "raw ESP" : "ESP in UDP", dbuf);
    ikd_finding_hint(f, "%s sends no ESP back or it is dropped before the capture point: check on %s "
                     "that an SA with SPI 0x%08x exists and its packets decrypt (ip -s xfrm state, swanctl "
                     "--list-sas; Cisco show crypto ipsec sa: #pkts decaps), that replies are routed into the "
                     "tunnel, and that firewalls pass %s from %s to %s",
                     dbuf, dbuf, fl->dir[dir].spi, fl->raw ? "ESP (IP protocol 50)" : "UDP 4500", dbuf, sbuf);
}

/* ------------------------------------------------------------ entry points */

void
ikd_rules_nat(ikd_rule_ctx *c)
{
    const ikd_msg *m = c->m;

    if (m)
        note_clock(c->t, m);
    if (m && m->kind == IKD_MSG_ESP && !c->sa) {
        on_esp_without_sa(c);
        return;
    }
    if (!c->sa || !m)
        return;
    if (m->kind == IKD_MSG_ESP) {
        if (m->sport || m->dport)
            note_4500(c);
        on_esp(c);
        return;
    }
    if (m->kind == IKD_MSG_IP_FRAGMENT) {
        on_fragment(c);
        return;
    }
    if (m->kind != IKD_MSG_IKE)
        return;

    if (on_4500(m) && !NAT(c->sa)->first_4500)
        NAT(c->sa)->first_4500 = c->fi->frame;
    note_4500(c);
    if (m->ip_fragmented) {
        /* the fragments seen so far belonged to this message */
        NAT(c->sa)->frag_ike_last = c->fi->frame;
        NAT(c->sa)->frag_orphans = 0;
    }
    /* a fragmented request on 4500 is lost to fragmentation, not to a
     * blocked port: the more specific diagnosis first */
    if (check_fragmented_request(c) || check_4500_blocked(c))
        return;
    if (c->fi->retransmission_of || m->malformed)
        return;
    if (m->version >= 2 && m->exch_type == IKD_X2_IKE_SA_INIT)
        check_natd_v2(c);
    else if (m->version == 1 && m->n_natd)
        check_natd_v1(c);
}

void
ikd_rules_nat_finish(ikd_rule_ctx *c)
{
    ikd_sa *sa = c->sa;
    /* Requests still unanswered when the capture ended, retransmitted at
     * least once (fewer times than the one-pass rules wait for). */
    for (ikd_exchange *ex = sa->exchanges; ex; ex = ex->next_in_sa) {
        if (!ex->request.frame || ex->response.frame || ex->request.n_sent < 2 || ex->diagnosed_in ||
            ikd_sa_has_failure(sa) || ex->exch_type == IKD_X1_INFORMATIONAL)
            continue;
        if (NAT(sa)->frag_ike_last && NAT(sa)->frag_ike_last >= ex->request.frame &&
            NAT(sa)->frag_ike_last <= ex->request.last_frame)
            report_fragmented_request(c, sa, ex, ex->request.last_frame, TRUE);
        else if (NAT(sa)->first_4500 && ex->request.frame >= NAT(sa)->first_4500 &&
                 last_answer_before(sa, ex, NAT(sa)->first_4500) && !heard_on_4500(sa, ex) &&
                 !ikd_peer_heard_after(sa, ex, ex->request.frame))
            report_4500_blocked(c, sa, ex, ex->request.last_frame, TRUE);
    }
    if (orphans_evident(sa, 2))
        report_orphan_fragments(c, sa, NAT(sa)->frag_last);

    /* ESP one way, fewer packets than the one-pass rule waits for. */
    for (int dir = 0; dir < 2; dir++) {
        if (one_way_evident(c->t, sa, dir, 2))
            report_one_way(c, sa, dir, sa->esp[dir].last);
    }
}
