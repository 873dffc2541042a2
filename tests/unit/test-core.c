/* test-core.c
 * Unit tests of the epan-free core: ikd_msg values built by hand go through
 * the tracker and the rules exactly as the plugin's extractor would feed
 * them.  These test the logic; the capture tests (tests/capture-test.py)
 * test it on what real daemons put on the wire.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include <glib.h>

#include "ikd-test.h"
#include "core/diagnose.h"
#include "core/names.h"
#include "core/causes.h"

/* ---------------------------------------------------------------- builders */

static const guint8 SPI_A[8] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };
static const guint8 SPI_B[8] = { 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x01, 0x02 };
static const guint8 SPI_C[8] = { 0x0c, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c };
static const guint8 ZERO[8];

static void
set_addr(ikd_addr *a, guint8 x, guint8 y, guint8 z, guint8 w)
{
    ikd_test_addr(a, x, y, z, w);
}

/* initiator 198.51.100.10:500 <-> responder 203.0.113.20:500 */
static void
ike(ikd_msg *m, guint32 frame, guint8 version, guint8 exch, gboolean from_init, gboolean response,
    const guint8 *ispi, const guint8 *rspi, guint32 msgid, guint64 hash)
{
    ikd_test_ike(m, frame, version, exch, from_init, response, ispi, rspi, msgid, hash, 1700000000, NULL);
}

static ikd_proposal *
prop(ikd_msg *m, guint8 protocol)
{
    ikd_proposal *p = &m->prop[m->n_prop++];
    memset(p, 0, sizeof *p);
    p->number = m->n_prop;
    p->protocol = protocol;
    p->first_tf = m->n_tf;
    m->has_sa = 1;
    return p;
}

static void
tf(ikd_msg *m, guint8 type, guint16 id, guint16 key_len)
{
    ikd_transform *t = &m->tf[m->n_tf++];
    t->type = type;
    t->id = id;
    t->key_len = key_len;
    m->prop[m->n_prop - 1].n_tf++;
}

/* aes256-sha256-modp2048 */
static void
offer_aes256_sha256_modp2048(ikd_msg *m)
{
    prop(m, IKD_PROTO_IKE);
    tf(m, IKD_TF_ENCR, 12, 256);
    tf(m, IKD_TF_INTEG, 12, 0);
    tf(m, IKD_TF_PRF, 5, 0);
    tf(m, IKD_TF_DH, 14, 0);
}

/* aes128gcm16-prfsha256-ecp256 */
static void
offer_aes128gcm_ecp256(ikd_msg *m)
{
    prop(m, IKD_PROTO_IKE);
    tf(m, IKD_TF_ENCR, 20, 128);
    tf(m, IKD_TF_PRF, 5, 0);
    tf(m, IKD_TF_DH, 19, 0);
}

static void
notify(ikd_msg *m, guint16 type, const guint8 *data, guint16 len)
{
    ikd_test_notify(m, type, data, len);
}


/* ---------------------------------------------------------------- names */

static void
test_notation(void)
{
    ikd_msg m;
    char *s;

    ikd_msg_init(&m);
    offer_aes256_sha256_modp2048(&m);
    s = ikd_proposal_to_config(&m.prop[0], m.tf);
    g_assert_cmpstr(s, ==, "aes256-sha256-modp2048");
    g_free(s);
    s = ikd_proposal_to_log(&m.prop[0], m.tf);
    g_assert_cmpstr(s, ==, "IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048");
    g_free(s);

    /* AEAD: no integrity, so the PRF must be spelled out. */
    ikd_msg_init(&m);
    offer_aes128gcm_ecp256(&m);
    s = ikd_proposal_to_config(&m.prop[0], m.tf);
    g_assert_cmpstr(s, ==, "aes128gcm16-prfsha256-ecp256");
    g_free(s);

    /* A PRF other than the integrity keyword's is written too. */
    ikd_msg_init(&m);
    prop(&m, IKD_PROTO_IKE);
    tf(&m, IKD_TF_ENCR, 3, 0);
    tf(&m, IKD_TF_INTEG, 7, 0);
    tf(&m, IKD_TF_PRF, 5, 0);
    tf(&m, IKD_TF_DH, 14, 0);
    s = ikd_proposal_to_config(&m.prop[0], m.tf);
    g_assert_cmpstr(s, ==, "3des-sha1_160-prfsha256-modp2048");
    g_free(s);

    /* ESP with PFS and ESN */
    ikd_msg_init(&m);
    prop(&m, IKD_PROTO_ESP);
    tf(&m, IKD_TF_ENCR, 12, 128);
    tf(&m, IKD_TF_INTEG, 12, 0);
    tf(&m, IKD_TF_DH, 14, 0);
    tf(&m, IKD_TF_ESN, 1, 0);
    s = ikd_proposal_to_config(&m.prop[0], m.tf);
    g_assert_cmpstr(s, ==, "aes128-sha256-modp2048-esn");
    g_free(s);
}

static void
test_v1_mapping(void)
{
    /* RFC 2409 appendix A numbers onto IKEv2 transform IDs */
    g_assert_cmpuint(ikd_v1_encr_to_v2(7), ==, 12);      /* AES-CBC */
    g_assert_cmpuint(ikd_v1_encr_to_v2(5), ==, 3);       /* 3DES */
    g_assert_cmpuint(ikd_v1_hash_to_integ(4), ==, 12);   /* SHA2-256 */
    g_assert_cmpuint(ikd_v1_hash_to_prf(2), ==, 2);      /* SHA1 */
    g_assert_cmpuint(ikd_v1_esp_to_v2(12), ==, 12);      /* ESP_AES */
    g_assert_cmpuint(ikd_v1_esp_to_v2(22), ==, 23);      /* Camellia */
    g_assert_cmpuint(ikd_v1_auth_alg_to_integ(5), ==, 12);
    g_assert_cmpuint(ikd_v1_esp_to_v2(10), ==, 0);       /* unassigned */
}

static void
test_weakness(void)
{
    g_assert_nonnull(ikd_transform_weakness(IKD_PROTO_IKE, IKD_TF_DH, 2, 0));
    g_assert_nonnull(ikd_transform_weakness(IKD_PROTO_ESP, IKD_TF_ENCR, 2, 0));
    g_assert_nonnull(ikd_transform_weakness(IKD_PROTO_ESP, IKD_TF_ENCR, 11, 0));
    g_assert_null(ikd_transform_weakness(IKD_PROTO_IKE, IKD_TF_ENCR, 11, 0));
    g_assert_null(ikd_transform_weakness(IKD_PROTO_IKE, IKD_TF_ENCR, 20, 256));
    g_assert_null(ikd_transform_weakness(IKD_PROTO_IKE, IKD_TF_DH, 19, 0));
    g_assert_null(ikd_transform_weakness(IKD_PROTO_IKE, IKD_TF_INTEG, 12, 0));
}

static void
test_causes_table(void)
{
    for (int i = 0; i < IKD_CAUSE_COUNT; i++) {
        const ikd_cause_info *ci = ikd_cause_get((ikd_cause)i);
        g_assert_nonnull(ci);
        g_assert_cmpint(ci->cause, ==, i);
        g_assert_true(ikd_cause_by_keyword(ci->keyword) == ci);
    }
    g_assert_null(ikd_cause_by_keyword("no-such-cause"));
}

/* ---------------------------------------------------------------- tracker */

static void
test_v2_pairing_and_retransmission(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    ikd_frame_info *fi;

    ike(&m, 1, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, SPI_A, ZERO, 0, 100);
    offer_aes256_sha256_modp2048(&m);
    fi = ikd_diag_add(t, &m);
    g_assert_cmpuint(fi->sa->number, ==, 1);
    g_assert_cmpint(fi->role, ==, IKD_ROLE_REQUEST);
    g_assert_cmpuint(fi->retransmission_of, ==, 0);

    /* the same bytes again: a retransmission of frame 1 */
    ike(&m, 2, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, SPI_A, ZERO, 0, 100);
    offer_aes256_sha256_modp2048(&m);
    fi = ikd_diag_add(t, &m);
    g_assert_cmpuint(fi->retransmission_of, ==, 1);
    g_assert_null(fi->findings);

    ike(&m, 3, 2, IKD_X2_IKE_SA_INIT, FALSE, TRUE, SPI_A, SPI_B, 0, 200);
    offer_aes256_sha256_modp2048(&m);
    fi = ikd_diag_add(t, &m);
    g_assert_cmpint(fi->role, ==, IKD_ROLE_RESPONSE);
    g_assert_cmpuint(fi->exchange->request.frame, ==, 1);
    g_assert_cmpuint(fi->exchange->request.n_sent, ==, 2);
    g_assert_cmpstr(fi->state, ==, "IKE_SA_INIT done");

    /* IKE_AUTH, encrypted and not decrypted */
    ike(&m, 4, 2, IKD_X2_IKE_AUTH, TRUE, FALSE, SPI_A, SPI_B, 1, 300);
    m.encrypted = 1;
    fi = ikd_diag_add(t, &m);
    g_assert_cmpstr(ikd_exchange_name(2, fi->exchange->exch_type), ==, "IKE_AUTH");
    ike(&m, 5, 2, IKD_X2_IKE_AUTH, FALSE, TRUE, SPI_A, SPI_B, 1, 400);
    m.encrypted = 1;
    fi = ikd_diag_add(t, &m);
    g_assert_cmpuint(fi->exchange->request.frame, ==, 4);
    g_assert_cmpstr(fi->state, ==, "IKE_AUTH answered (encrypted)");
    g_assert_cmpuint(fi->sa->number, ==, 1);
    /* no key: a note that says so and names the SPIs for the UAT */
    g_assert_cmpint(ikd_test_only_finding(fi)->cause, ==, IKD_CAUSE_ENCRYPTED_OUTCOME);
    g_assert_false(fi->findings->failure);
    g_assert_nonnull(strstr(fi->findings->hint, "1122334455667788"));

    /* a second IKE SA */
    ike(&m, 6, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, SPI_C, ZERO, 0, 500);
    fi = ikd_diag_add(t, &m);
    g_assert_cmpuint(fi->sa->number, ==, 2);
    g_assert_cmpuint(ikd_tracker_sa_count(ikd_diag_tracker(t)), ==, 2);

    ikd_diag_finish(t);
    g_assert_cmpint(ikd_diag_lookup(t, 5)->sa->outcome, ==, IKD_OUTCOME_ENCRYPTED);
    ikd_diag_free(t);
}

static void
test_v2_invalid_ke_recovered(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    ikd_frame_info *fi;
    const ikd_finding *f;
    static const guint8 group14[2] = { 0, 14 };

    /* offer ecp256 and modp2048, KE for ecp256 */
    ike(&m, 1, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, SPI_A, ZERO, 0, 100);
    prop(&m, IKD_PROTO_IKE);
    tf(&m, IKD_TF_ENCR, 12, 256);
    tf(&m, IKD_TF_INTEG, 12, 0);
    tf(&m, IKD_TF_PRF, 5, 0);
    tf(&m, IKD_TF_DH, 19, 0);
    tf(&m, IKD_TF_DH, 14, 0);
    m.has_ke = 1;
    m.ke_group = 19;
    ikd_diag_add(t, &m);

    ike(&m, 2, 2, IKD_X2_IKE_SA_INIT, FALSE, TRUE, SPI_A, ZERO, 0, 200);
    notify(&m, IKD_N_INVALID_KE_PAYLOAD, group14, 2);
    fi = ikd_diag_add(t, &m);
    f = ikd_test_only_finding(fi);
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_DH_GROUP_MISMATCH);
    g_assert_false(f->failure);             /* modp2048 was offered: recoverable */
    g_assert_cmpstr(f->offered, ==, "ecp256");
    g_assert_cmpstr(f->chosen, ==, "modp2048");
    g_assert_nonnull(strstr(f->hint, "modp2048"));

    /* the retry reuses SPIi and message ID 0 but differs: not a retransmission */
    ike(&m, 3, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, SPI_A, ZERO, 0, 300);
    m.has_ke = 1;
    m.ke_group = 14;
    fi = ikd_diag_add(t, &m);
    g_assert_cmpuint(fi->retransmission_of, ==, 0);
    g_assert_cmpint(fi->role, ==, IKD_ROLE_REQUEST);
    g_assert_cmpuint(fi->sa->number, ==, 1);
    ike(&m, 4, 2, IKD_X2_IKE_SA_INIT, FALSE, TRUE, SPI_A, SPI_B, 0, 400);
    fi = ikd_diag_add(t, &m);
    g_assert_cmpuint(fi->exchange->request.frame, ==, 3);
    g_assert_null(fi->findings);
    ikd_diag_free(t);
}

static void
test_v2_no_proposal_pinpointed(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    ikd_frame_info *fi;
    const ikd_finding *f;

    /* SA 1: the responder chooses aes128gcm16-prfsha256-ecp256 for someone */
    ike(&m, 1, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, SPI_C, ZERO, 0, 1);
    offer_aes128gcm_ecp256(&m);
    ikd_diag_add(t, &m);
    ike(&m, 2, 2, IKD_X2_IKE_SA_INIT, FALSE, TRUE, SPI_C, SPI_B, 0, 2);
    offer_aes128gcm_ecp256(&m);
    fi = ikd_diag_add(t, &m);
    g_assert_null(fi->findings);

    /* SA 2: aes256-sha256-modp2048 is refused */
    ike(&m, 3, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, SPI_A, ZERO, 0, 3);
    offer_aes256_sha256_modp2048(&m);
    ikd_diag_add(t, &m);
    ike(&m, 4, 2, IKD_X2_IKE_SA_INIT, FALSE, TRUE, SPI_A, ZERO, 0, 4);
    notify(&m, IKD_N_NO_PROPOSAL_CHOSEN, NULL, 0);
    fi = ikd_diag_add(t, &m);
    f = ikd_test_only_finding(fi);
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_IKE_PROPOSAL_MISMATCH);
    g_assert_true(f->failure);
    g_assert_cmpstr(f->offered, ==, "aes256-sha256-modp2048");
    g_assert_cmpstr(f->chosen, ==, "aes128gcm16-prfsha256-ecp256");
    /* every transform type differs; the DH group is among them */
    g_assert_nonnull(strstr(f->mismatch, "encryption"));
    g_assert_nonnull(strstr(f->mismatch, "DH group"));
    g_assert_nonnull(strstr(f->message, "203.0.113.20"));
    g_assert_nonnull(strstr(f->message, "frame 2"));
    g_assert_cmpint(fi->sa->outcome, ==, IKD_OUTCOME_FAILED);
    ikd_diag_free(t);
}

/* Only the DH group differs: the comparison must name it alone, across
 * key lengths and multiple proposals. */
static void
test_pinpoint_dh_only(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    const ikd_finding *f;

    ike(&m, 1, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, SPI_C, ZERO, 0, 1);
    prop(&m, IKD_PROTO_IKE);
    tf(&m, IKD_TF_ENCR, 12, 256);
    tf(&m, IKD_TF_INTEG, 12, 0);
    tf(&m, IKD_TF_PRF, 5, 0);
    tf(&m, IKD_TF_DH, 19, 0);
    ikd_diag_add(t, &m);
    ike(&m, 2, 2, IKD_X2_IKE_SA_INIT, FALSE, TRUE, SPI_C, SPI_B, 0, 2);
    prop(&m, IKD_PROTO_IKE);
    tf(&m, IKD_TF_ENCR, 12, 256);
    tf(&m, IKD_TF_INTEG, 12, 0);
    tf(&m, IKD_TF_PRF, 5, 0);
    tf(&m, IKD_TF_DH, 19, 0);
    ikd_diag_add(t, &m);

    /* two proposals: aes128 (wrong key length) and aes256, both modp2048 */
    ike(&m, 3, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, SPI_A, ZERO, 0, 3);
    prop(&m, IKD_PROTO_IKE);
    tf(&m, IKD_TF_ENCR, 12, 128);
    tf(&m, IKD_TF_INTEG, 12, 0);
    tf(&m, IKD_TF_PRF, 5, 0);
    tf(&m, IKD_TF_DH, 14, 0);
    offer_aes256_sha256_modp2048(&m);
    ikd_diag_add(t, &m);
    ike(&m, 4, 2, IKD_X2_IKE_SA_INIT, FALSE, TRUE, SPI_A, ZERO, 0, 4);
    notify(&m, IKD_N_NO_PROPOSAL_CHOSEN, NULL, 0);
    f = ikd_test_only_finding(ikd_diag_add(t, &m));
    g_assert_cmpstr(f->offered, ==, "aes128-sha256-modp2048, aes256-sha256-modp2048");
    g_assert_cmpstr(f->mismatch, ==, "DH group");
    g_assert_nonnull(strstr(f->message, "ecp256"));
    ikd_diag_free(t);
}

static void
test_v1_main_mode_states(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    ikd_frame_info *fi;
    static const char *states[] = { NULL, "MM_NO_STATE", "MM_SA_SETUP", "MM_SA_SETUP",
                                    "MM_KEY_EXCH", "MM_KEY_EXCH", "QM_IDLE" };

    for (guint32 i = 1; i <= 6; i++) {
        gboolean from_init = i % 2 == 1;
        ike(&m, i, 1, IKD_X1_MAIN, from_init, FALSE, SPI_A, i == 1 ? ZERO : SPI_B, 0, 1000 + i);
        if (i == 1 || i == 2) {
            /* IKEv1: one transform = one alternative; PSK */
            prop(&m, IKD_PROTO_IKE)->auth_method = 1;
            tf(&m, IKD_TF_ENCR, 12, 256);
            tf(&m, IKD_TF_INTEG, 12, 0);
            tf(&m, IKD_TF_PRF, 5, 0);
            tf(&m, IKD_TF_DH, 14, 0);
        }
        if (i >= 5)
            m.encrypted = 1;
        fi = ikd_diag_add(t, &m);
        g_assert_cmpuint(fi->phase1_msg, ==, i);
        g_assert_cmpstr(fi->state, ==, states[i]);
        if (i % 2 == 0)
            g_assert_cmpuint(fi->exchange->request.frame, ==, i - 1);
    }
    /* MM5 again, identical: retransmission of frame 5 */
    ike(&m, 7, 1, IKD_X1_MAIN, TRUE, FALSE, SPI_A, SPI_B, 0, 1005);
    fi = ikd_diag_add(t, &m);
    g_assert_cmpuint(fi->retransmission_of, ==, 5);
    /* Quick Mode: QM1 from the initiator, QM2, QM3 */
    ike(&m, 8, 1, IKD_X1_QUICK, TRUE, FALSE, SPI_A, SPI_B, 77, 2001);
    fi = ikd_diag_add(t, &m);
    g_assert_cmpuint(fi->quick_msg, ==, 1);
    ike(&m, 9, 1, IKD_X1_QUICK, FALSE, FALSE, SPI_A, SPI_B, 77, 2002);
    fi = ikd_diag_add(t, &m);
    g_assert_cmpuint(fi->quick_msg, ==, 2);
    g_assert_cmpuint(fi->exchange->request.frame, ==, 8);
    ike(&m, 10, 1, IKD_X1_QUICK, TRUE, FALSE, SPI_A, SPI_B, 77, 2003);
    fi = ikd_diag_add(t, &m);
    g_assert_cmpuint(fi->quick_msg, ==, 3);
    g_assert_cmpstr(fi->state, ==, "QM_IDLE");
    g_assert_true(fi->sa->child_established);
    ikd_diag_free(t);
}

static void
test_no_response(void)
{
    ikd_config cfg;
    ikd_diag *t;
    ikd_msg m;
    ikd_frame_info *fi = NULL;

    ikd_config_defaults(&cfg);
    cfg.no_response_retransmits = 2;
    t = ikd_diag_new(&cfg);
    for (guint32 i = 1; i <= 4; i++) {
        ike(&m, i, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, SPI_A, ZERO, 0, 42);
        fi = ikd_diag_add(t, &m);
        if (i < 3)
            g_assert_null(fi->findings);
        if (i == 3) {
            const ikd_finding *f = ikd_test_only_finding(fi);
            g_assert_cmpint(f->cause, ==, IKD_CAUSE_NO_RESPONSE);
            g_assert_true(f->failure);
            g_assert_nonnull(strstr(f->message, "frame 1"));
        }
    }
    g_assert_null(fi->findings);        /* reported once */
    ikd_diag_finish(t);
    g_assert_cmpint(fi->sa->outcome, ==, IKD_OUTCOME_FAILED);
    ikd_diag_free(t);
}

/* An ICMP error quoting the request links to it. */
static void
test_icmp_link(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    ikd_frame_info *fi;

    ike(&m, 1, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, SPI_A, ZERO, 0, 42);
    ikd_diag_add(t, &m);
    ike(&m, 2, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, SPI_A, ZERO, 0, 42);
    m.kind = IKD_MSG_ICMP_ERROR;
    set_addr(&m.src, 203, 0, 113, 20);
    set_addr(&m.dst, 198, 51, 100, 10);
    set_addr(&m.quoted_src, 198, 51, 100, 10);
    set_addr(&m.quoted_dst, 203, 0, 113, 20);
    m.icmp_type = 3;
    m.icmp_code = 3;
    fi = ikd_diag_add(t, &m);
    g_assert_cmpint(fi->role, ==, IKD_ROLE_ICMP);
    g_assert_cmpuint(fi->icmp_for, ==, 1);
    g_assert_cmpint(ikd_test_only_finding(fi)->cause, ==, IKD_CAUSE_NO_RESPONSE);
    g_assert_nonnull(strstr(fi->findings->message, "port unreachable"));
    ikd_diag_free(t);
}

/* The peer accepted IKEv1 aes256/sha256/modp2048 in Main Mode (one
 * transform per alternative, mapped to IKEv2 numbers); an IKEv2 AEAD offer it
 * refuses differs in the cipher, not in a missing integrity algorithm. */
static void
test_pinpoint_v1_vs_v2_aead(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    const ikd_finding *f;

    ike(&m, 1, 1, IKD_X1_MAIN, TRUE, FALSE, SPI_C, ZERO, 0, 1);
    prop(&m, IKD_PROTO_IKE)->auth_method = 1;
    tf(&m, IKD_TF_ENCR, ikd_v1_encr_to_v2(7), 256);
    tf(&m, IKD_TF_INTEG, ikd_v1_hash_to_integ(4), 0);
    tf(&m, IKD_TF_PRF, ikd_v1_hash_to_prf(4), 0);
    tf(&m, IKD_TF_DH, 14, 0);
    ikd_diag_add(t, &m);
    ike(&m, 2, 1, IKD_X1_MAIN, FALSE, FALSE, SPI_C, SPI_B, 0, 2);
    prop(&m, IKD_PROTO_IKE)->auth_method = 1;
    tf(&m, IKD_TF_ENCR, 12, 256);
    tf(&m, IKD_TF_INTEG, 12, 0);
    tf(&m, IKD_TF_PRF, 5, 0);
    tf(&m, IKD_TF_DH, 14, 0);
    ikd_diag_add(t, &m);

    ike(&m, 3, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, SPI_A, ZERO, 0, 3);
    prop(&m, IKD_PROTO_IKE);
    tf(&m, IKD_TF_ENCR, 20, 256);
    tf(&m, IKD_TF_PRF, 5, 0);
    tf(&m, IKD_TF_DH, 14, 0);
    ikd_diag_add(t, &m);
    ike(&m, 4, 2, IKD_X2_IKE_SA_INIT, FALSE, TRUE, SPI_A, ZERO, 0, 4);
    notify(&m, IKD_N_NO_PROPOSAL_CHOSEN, NULL, 0);
    f = ikd_test_only_finding(ikd_diag_add(t, &m));
    g_assert_cmpstr(f->offered, ==, "aes256gcm16-prfsha256-modp2048");
    g_assert_cmpstr(f->chosen, ==, "aes256-sha256-modp2048");
    g_assert_cmpstr(f->mismatch, ==, "encryption");
    ikd_diag_free(t);
}

/* IKEv2 fragments (RFC 7383) of one message fill one slot; their
 * retransmissions are recognised. */
static void
test_v2_fragments(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    ikd_frame_info *fi;

    ike(&m, 1, 2, IKD_X2_IKE_AUTH, TRUE, FALSE, SPI_A, SPI_B, 1, 10);
    m.frag_number = 1; m.frag_total = 2; m.encrypted = 1;
    fi = ikd_diag_add(t, &m);
    ikd_exchange *ex = fi->exchange;
    ike(&m, 2, 2, IKD_X2_IKE_AUTH, TRUE, FALSE, SPI_A, SPI_B, 1, 11);
    m.frag_number = 2; m.frag_total = 2; m.encrypted = 1; m.decrypted = 1; m.has_auth = 1;
    fi = ikd_diag_add(t, &m);
    g_assert_true(fi->exchange == ex);
    g_assert_cmpuint(fi->retransmission_of, ==, 0);
    g_assert_true(ex->request.msg->has_auth);       /* digest of the reassembling fragment */
    /* both fragments again */
    ike(&m, 3, 2, IKD_X2_IKE_AUTH, TRUE, FALSE, SPI_A, SPI_B, 1, 10);
    m.frag_number = 1; m.frag_total = 2;
    g_assert_cmpuint(ikd_diag_add(t, &m)->retransmission_of, ==, 1);
    ike(&m, 4, 2, IKD_X2_IKE_AUTH, TRUE, FALSE, SPI_A, SPI_B, 1, 11);
    m.frag_number = 2; m.frag_total = 2;
    g_assert_cmpuint(ikd_diag_add(t, &m)->retransmission_of, ==, 2);
    ike(&m, 5, 2, IKD_X2_IKE_AUTH, FALSE, TRUE, SPI_A, SPI_B, 1, 20);
    fi = ikd_diag_add(t, &m);
    g_assert_cmpuint(fi->exchange->request.frame, ==, 1);
    g_assert_cmpuint(ikd_tracker_sa_count(ikd_diag_tracker(t)), ==, 1);
    g_assert_cmpuint(fi->sa->n_exchanges, ==, 1);
    ikd_diag_free(t);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/names/notation", test_notation);
    g_test_add_func("/names/v1-mapping", test_v1_mapping);
    g_test_add_func("/names/weakness", test_weakness);
    g_test_add_func("/causes/table", test_causes_table);
    g_test_add_func("/tracker/v2-pairing-retransmission", test_v2_pairing_and_retransmission);
    g_test_add_func("/rules/v2-invalid-ke-recovered", test_v2_invalid_ke_recovered);
    g_test_add_func("/rules/v2-no-proposal-pinpointed", test_v2_no_proposal_pinpointed);
    g_test_add_func("/rules/pinpoint-dh-only", test_pinpoint_dh_only);
    g_test_add_func("/tracker/v1-main-mode-states", test_v1_main_mode_states);
    g_test_add_func("/rules/no-response", test_no_response);
    g_test_add_func("/tracker/icmp-link", test_icmp_link);
    g_test_add_func("/tracker/v2-fragments", test_v2_fragments);
    g_test_add_func("/rules/pinpoint-v1-vs-v2-aead", test_pinpoint_v1_vs_v2_aead);
    return g_test_run();
}
