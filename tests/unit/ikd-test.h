/* ikd-test.h
 * What the core unit tests share (tests/unit/test-<core file>.c, one
 * executable each): the constants, the builders of hand-made ikd_msg values
 * and the readers of the findings.
 *
 * The peers: an initiator (198.51.100.10, or 203.0.113.1 while 'natted' is
 * set) and a responder (203.0.113.20) talking on UDP 500, as the lab's
 * captures do; frame n is at T0 + n seconds.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IKD_TEST_H
#define IKD_TEST_H

#include <string.h>

#include <glib.h>

#include "core/model.h"
#include "core/diagnose.h"
#include "core/names.h"
#include "core/rules_nat.h"

/* ---------------------------------------------------------------- constants */

#define T0 G_GINT64_CONSTANT(1700000000)    /* 2023-11-14: frame n is at T0 + n */

static const guint8 SPI_A[8] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };
static const guint8 SPI_B[8] = { 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x01, 0x02 };
static const guint8 SPI_C[8] = { 0x0c, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c };
static const guint8 SPI_D[8] = { 0x0d, 0x0d, 0x0d, 0x0d, 0x0d, 0x0d, 0x0d, 0x0d };
static const guint8 ZERO[8];

/* From test-captures/ikev2-nat-ok-ss6-ss6 frame 1 (captured outside the
 * NAT: the initiator 198.51.100.10 appears as 203.0.113.1). */
static const guint8 NAT_SPII[8] = { 0x6b, 0x9f, 0xdb, 0x3f, 0x4e, 0x83, 0xe3, 0x8e };
static const guint8 NAT_SPIR[8] = { 0x80, 0x0a, 0x64, 0x0d, 0xce, 0xb3, 0x2b, 0xd1 };
/* test-captures/ikev1-nat-ok-ss6-ss6 frame 3 (MM3, SHA2-256 negotiated). */
static const guint8 V1_CKYI[8] = { 0x67, 0x67, 0x6d, 0x4e, 0xdc, 0xbd, 0x20, 0xca };
static const guint8 V1_CKYR[8] = { 0x2a, 0x8c, 0xd8, 0x79, 0xeb, 0x38, 0x8d, 0x29 };

/* The lab's certificate names. */
static const char LAB_CA[] = "C=ZZ, O=ikediag lab, CN=ikediag lab CA";
static const char OTHER_CA[] = "C=ZZ, O=ikediag lab, CN=ikediag untrusted CA";
static const char INI_DN[] = "C=ZZ, O=ikediag lab, CN=initiator.example";
static const char RES_DN[] = "C=ZZ, O=ikediag lab, CN=responder.example";

/* ---------------------------------------------------------------- addresses */

static inline void
set_addr(ikd_addr *a, guint8 x, guint8 y, guint8 z, guint8 w)
{
    memset(a, 0, sizeof *a);
    a->family = 4;
    a->bytes[0] = x; a->bytes[1] = y; a->bytes[2] = z; a->bytes[3] = w;
}

/* Set: the initiator appears as 203.0.113.1 (a capture taken outside the
 * initiator's NAT) in what ike(), esp() and peers() build. */
static gboolean natted;

/* The peers as captured, source and destination of a message. */
static inline void
peers(ikd_msg *m, gboolean from_init)
{
    ikd_addr i, r;
    if (natted)
        set_addr(&i, 203, 0, 113, 1);
    else
        set_addr(&i, 198, 51, 100, 10);
    set_addr(&r, 203, 0, 113, 20);
    m->src = from_init ? i : r;
    m->dst = from_init ? r : i;
}

/* ---------------------------------------------------------------- messages */

/* An IKE message on UDP 500 at T0 + frame. */
static inline void
ike(ikd_msg *m, guint32 frame, guint8 version, guint8 exch, gboolean from_init, gboolean response,
    const guint8 *ispi, const guint8 *rspi, guint32 msgid, guint64 hash)
{
    ikd_msg_init(m);
    m->kind = IKD_MSG_IKE;
    m->frame = frame;
    m->ts_sec = T0 + frame;
    m->version = version;
    m->exch_type = exch;
    memcpy(m->ispi, ispi, 8);
    memcpy(m->rspi, rspi, 8);
    m->msgid = msgid;
    m->content_hash = hash;
    m->content_len = 300;
    peers(m, from_init);
    m->sport = m->dport = 500;
    if (version == 2) {
        if (from_init)
            m->flags |= IKD_FLAG_V2_I;
        if (response)
            m->flags |= IKD_FLAG_V2_R;
    }
    /* An IKE client's first message announces itself with a vendor ID
     * (rules_scan.c takes a bare one for a scanner's probe); test_scan_*
     * clears it. */
    if (from_init && !response && msgid == 0 &&
        (exch == IKD_X1_MAIN || exch == IKD_X1_AGGRESSIVE || exch == IKD_X2_IKE_SA_INIT)) {
        ikd_blob *b = &IKD_VID(m)[m->n_vid++];
        memcpy(b->data, "ikd-test", 8);
        b->len = 8;
    }
}

/* An ESP packet at T0 + frame (a ping a second), in UDP 4500 or raw. */
static inline void
esp(ikd_msg *m, guint32 frame, gboolean from_init, gboolean in_udp)
{
    ikd_msg_init(m);
    m->kind = IKD_MSG_ESP;
    m->frame = frame;
    m->ts_sec = T0 + frame;
    peers(m, from_init);
    m->esp_spi = from_init ? 0xb6fad296 : 0xc0ffee01;
    m->esp_seq = frame;
    if (in_udp)
        m->sport = m->dport = 4500;
}

static inline ikd_notify *
notify(ikd_msg *m, guint16 type, const guint8 *data, guint16 len)
{
    /* zeroed by ikd_msg_init(), its data pointing at the message's storage */
    ikd_notify *n = &IKD_NOTIFY(m)[m->n_notify++];

    n->type = type;
    n->data_len = len;
    if (data)
        memcpy(n->data, data, MIN(len, IKD_MAX_BLOB));
    return n;
}

/* IKEv2 NAT-D notifies (RFC 7296 2.23) over the given source and
 * destination. */
static inline void
natd_v2(ikd_msg *m, const ikd_addr *src, guint16 sport, const ikd_addr *dst, guint16 dport)
{
    guint8 h[64];
    g_assert_cmpuint(ikd_natd_hash(20, m->ispi, m->rspi, src, sport, h), ==, 20);
    notify(m, IKD_N_NAT_DETECTION_SOURCE_IP, h, 20);
    g_assert_cmpuint(ikd_natd_hash(20, m->ispi, m->rspi, dst, dport, h), ==, 20);
    notify(m, IKD_N_NAT_DETECTION_DESTINATION_IP, h, 20);
}

/* ---------------------------------------------------------------- proposals */

static inline ikd_proposal *
prop(ikd_msg *m, guint8 protocol)
{
    ikd_proposal *p = &IKD_PROP(m)[m->n_prop++];
    memset(p, 0, sizeof *p);
    p->number = m->n_prop;
    p->protocol = protocol;
    p->first_tf = m->n_tf;
    m->has_sa = 1;
    return p;
}

/* A transform of the last proposal. */
static inline void
tf(ikd_msg *m, guint8 type, guint16 id, guint16 key_len)
{
    ikd_transform *t = &IKD_TF(m)[m->n_tf++];
    t->type = type;
    t->id = id;
    t->key_len = key_len;
    IKD_PROP(m)[m->n_prop - 1].n_tf++;
}

/* aes256-sha256-modp2048 */
static inline void
offer_aes256_sha256_modp2048(ikd_msg *m)
{
    prop(m, IKD_PROTO_IKE);
    tf(m, IKD_TF_ENCR, 12, 256);
    tf(m, IKD_TF_INTEG, 12, 0);
    tf(m, IKD_TF_PRF, 5, 0);
    tf(m, IKD_TF_DH, 14, 0);
}

/* aes128gcm16-prfsha256-ecp256 */
static inline void
offer_aes128gcm_ecp256(ikd_msg *m)
{
    prop(m, IKD_PROTO_IKE);
    tf(m, IKD_TF_ENCR, 20, 128);
    tf(m, IKD_TF_PRF, 5, 0);
    tf(m, IKD_TF_DH, 19, 0);
}

/* The one IKE proposal aes256-sha256-modp2048, with the IKEv1 phase 1
 * authentication method v1_auth (1: pre-shared key, 3: RSA signatures; 0
 * for IKEv2). */
static inline void
ike_proposal(ikd_msg *m, guint16 v1_auth)
{
    offer_aes256_sha256_modp2048(m);
    IKD_PROP(m)[m->n_prop - 1].auth_method = v1_auth;
}

/* ---------------------------------------------------------------- identities, certificates */

static inline void
ident(ikd_msg *m, gboolean initiator_side, guint8 type, const char *text)
{
    ikd_ident *id = &IKD_ID(m)[m->n_id++];
    memset(id, 0, sizeof *id);
    id->initiator_side = initiator_side;
    id->type = type;
    g_strlcpy(id->text, text, sizeof id->text);
}

/* An X.509 certificate valid from nb to na whose key's SHA-1 is 20 times
 * spki_byte. */
static inline ikd_cert *
cert(ikd_msg *m, const char *subject, const char *issuer, const char *alt, gint64 nb, gint64 na, guint8 spki_byte)
{
    ikd_cert *c = &IKD_CERT(m)[m->n_cert++];
    memset(c, 0, sizeof *c);
    m->has_cert = 1;
    c->encoding = 4;
    g_strlcpy(c->subject, subject, sizeof c->subject);
    g_strlcpy(c->issuer, issuer, sizeof c->issuer);
    if (alt)
        g_strlcpy(c->alt_names, alt, sizeof c->alt_names);
    c->not_before = nb;
    c->not_after = na;
    c->has_spki = 1;
    memset(c->spki_sha1, spki_byte, sizeof c->spki_sha1);
    return c;
}

/* A CERTREQ for the CA whose key's SHA-1 is 20 times byte. */
static inline void
certreq_hash(ikd_msg *m, guint8 byte)
{
    ikd_certreq *r = &IKD_CERTREQ(m)[m->n_certreq++];
    memset(r, 0, sizeof *r);
    m->has_certreq = 1;
    r->cert_type = 4;
    r->hash_len = 20;
    memset(r->hash, byte, 20);
}

/* ------------------------------------------------- reading the findings */

static inline ikd_frame_info *
ikd_test_add(ikd_diag *t, const ikd_msg *m)
{
    ikd_frame_info *fi = ikd_diag_add(t, m);
    g_assert_nonnull(fi);
    return fi;
}

/* The frame's one and only finding. */
static inline const ikd_finding *
ikd_test_only_finding(const ikd_frame_info *fi)
{
    g_assert_nonnull(fi);
    g_assert_nonnull(fi->findings);
    g_assert_null(fi->findings->next_on_frame);
    return fi->findings;
}

static inline gboolean
ikd_test_has_evidence(const ikd_finding *f, guint32 frame)
{
    for (guint i = 0; i < f->n_evidence; i++) {
        if (f->evidence[i] == frame)
            return TRUE;
    }
    return FALSE;
}

/* Findings of one cause over every SA of the tracker. */
static inline guint
ikd_test_count_cause(ikd_diag *t, ikd_cause cause)
{
    guint n = 0;
    for (ikd_sa *sa = ikd_tracker_sas(ikd_diag_tracker(t)); sa; sa = sa->next) {
        for (guint32 i = 0; i < sa->n_findings; i++)
            n += sa->findings[i]->cause == cause;
    }
    return n;
}

/* Findings of any cause over every SA of the tracker. */
static inline guint
ikd_test_count_all(ikd_diag *t)
{
    guint n = 0;
    for (ikd_sa *sa = ikd_tracker_sas(ikd_diag_tracker(t)); sa; sa = sa->next)
        n += sa->n_findings;
    return n;
}

/* ---------------------------------------------------------------- IKEv2 SAs */

/* IKE_SA_INIT request and response (frames f, f+1) of IKE SA ispi/rspi:
 * aes256-sha256-modp2048, KE and nonces, NAT-D hashes over the addresses as
 * captured (they match: no NAT); 'creq' > 0 adds a CERTREQ for the CA key
 * hash of that byte to the response.  Nothing is said on either. */
static inline void
v2_init(ikd_diag *t, guint32 f, const guint8 *ispi, const guint8 *rspi, guint8 creq)
{
    ikd_msg m;
    ike(&m, f, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, ispi, ZERO, 0, 100 + f);
    ike_proposal(&m, 0);
    m.has_ke = m.has_nonce = 1;
    m.ke_group = 14;
    natd_v2(&m, &m.src, 500, &m.dst, 500);
    g_assert_null(ikd_test_add(t, &m)->findings);
    ike(&m, f + 1, 2, IKD_X2_IKE_SA_INIT, FALSE, TRUE, ispi, rspi, 0, 200 + f);
    ike_proposal(&m, 0);
    m.has_ke = m.has_nonce = 1;
    m.ke_group = 14;
    natd_v2(&m, &m.src, 500, &m.dst, 500);
    if (creq)
        certreq_hash(&m, creq);
    g_assert_null(ikd_test_add(t, &m)->findings);
}

/* A healthy IKEv2 SA: v2_init (frames 1, 2) and IKE_AUTH (3, 4) on
 * 'auth_port' (500, or 4500 after NAT-T's port change), not decrypted; the
 * IKE_AUTH response sets up a CHILD SA.  Nothing is said on any of them. */
static inline void
v2_up(ikd_diag *t, const guint8 *ispi, const guint8 *rspi, guint16 auth_port)
{
    ikd_msg m;
    v2_init(t, 1, ispi, rspi, 0);
    ike(&m, 3, 2, IKD_X2_IKE_AUTH, TRUE, FALSE, ispi, rspi, 1, 103);
    m.sport = m.dport = auth_port;
    m.has_auth = m.has_sa = 1;
    g_assert_null(ikd_test_add(t, &m)->findings);
    ike(&m, 4, 2, IKD_X2_IKE_AUTH, FALSE, TRUE, ispi, rspi, 1, 104);
    m.sport = m.dport = auth_port;
    m.has_auth = m.has_sa = 1;
    g_assert_null(ikd_test_add(t, &m)->findings);
}

/* A decrypted IKE_AUTH request (IDi, IDr unless NULL, AUTH 'method'). */
static inline void
v2_auth_request(ikd_msg *m, guint32 f, const guint8 *ispi, const guint8 *rspi, const char *idi,
                const char *idr, guint8 method)
{
    ike(m, f, 2, IKD_X2_IKE_AUTH, TRUE, FALSE, ispi, rspi, 1, 300 + f);
    m->encrypted = m->decrypted = 1;
    ident(m, TRUE, 2, idi);
    if (idr)
        ident(m, FALSE, 2, idr);
    m->has_auth = 1;
    m->auth_method = method;
}

/* A decrypted IKE_AUTH response with AUTHENTICATION_FAILED. */
static inline void
v2_auth_failed(ikd_msg *m, guint32 f, const guint8 *ispi, const guint8 *rspi)
{
    ike(m, f, 2, IKD_X2_IKE_AUTH, FALSE, TRUE, ispi, rspi, 1, 400 + f);
    m->encrypted = m->decrypted = 1;
    notify(m, IKD_N_AUTHENTICATION_FAILED, NULL, 0);
}

/* A successful decrypted IKE_AUTH response (IDr, AUTH, SA). */
static inline void
v2_auth_ok(ikd_msg *m, guint32 f, const guint8 *ispi, const guint8 *rspi, const char *idr, guint8 method)
{
    ike(m, f, 2, IKD_X2_IKE_AUTH, FALSE, TRUE, ispi, rspi, 1, 400 + f);
    m->encrypted = m->decrypted = 1;
    ident(m, FALSE, 2, idr);
    m->has_auth = 1;
    m->auth_method = method;
    m->has_sa = 1;
}

/* ---------------------------------------------------------------- IKEv1 SAs */

/* Main Mode 1..4 (frames 1-4) of SPI_A/SPI_B with phase 1 auth method
 * 'auth'. */
static inline void
v1_mm_1_to_4(ikd_diag *t, guint16 auth)
{
    ikd_msg m;
    ike(&m, 1, 1, IKD_X1_MAIN, TRUE, FALSE, SPI_A, ZERO, 0, 1001);
    ike_proposal(&m, auth);
    ikd_diag_add(t, &m);
    ike(&m, 2, 1, IKD_X1_MAIN, FALSE, TRUE, SPI_A, SPI_B, 0, 1002);
    ike_proposal(&m, auth);
    ikd_diag_add(t, &m);
    ike(&m, 3, 1, IKD_X1_MAIN, TRUE, FALSE, SPI_A, SPI_B, 0, 1003);
    m.has_ke = m.has_nonce = 1;
    ikd_diag_add(t, &m);
    ike(&m, 4, 1, IKD_X1_MAIN, FALSE, TRUE, SPI_A, SPI_B, 0, 1004);
    m.has_ke = m.has_nonce = 1;
    ikd_diag_add(t, &m);
}

/* MM5 (always the same bytes: a copy is a retransmission), decrypted
 * (IDii, HASH_I) or not, or shown malformed. */
static inline ikd_frame_info *
v1_mm5(ikd_diag *t, guint32 frame, gboolean decrypted, gboolean malformed)
{
    ikd_msg m;
    ike(&m, frame, 1, IKD_X1_MAIN, TRUE, FALSE, SPI_A, SPI_B, 0, 1005);
    m.flags = IKD_FLAG_V1_E;
    m.encrypted = 1;
    m.decrypted = decrypted;
    m.malformed = malformed;
    if (decrypted && !malformed) {
        ident(&m, TRUE, 2, "initiator.example");
        m.has_hash = 1;
    }
    return ikd_diag_add(t, &m);
}

#endif /* IKD_TEST_H */
