/* test-tracker.c
 * Unit tests of plugin/core/tracker.c: hand-made ikd_msg values placed in
 * IKE SAs and exchanges, requests paired with responses, retransmissions
 * recognised, IKEv1 Main and Quick Mode states, ICMP errors and IKEv2
 * fragments linked to their request, the frame index and the arena.  (Two
 * of them also read the finding the rules add on top: encrypted-outcome,
 * no-response.)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include <glib.h>

#include "ikd-test.h"
#include "core/names.h"
#include "core/causes.h"
#include "core/arena.h"

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

/* An IKEv2 message of SA SPI_A/SPI_B encrypted with no key configured. */
static void
opaque(ikd_msg *m, guint32 frame, guint8 exch, gboolean from_init, gboolean response, guint32 msgid)
{
    ike(m, frame, 2, exch, from_init, response, SPI_A, SPI_B, msgid, 1000 + frame);
    m->encrypted = 1;
    m->content_len = 200;
}

/* IKE_SA_INIT (frames 1, 2) and an encrypted IKE_AUTH (3, 4), no key. */
static void
v2_up_opaque(ikd_diag *t)
{
    ikd_msg m;
    v2_init(t, 1, SPI_A, SPI_B, 0);
    opaque(&m, 3, IKD_X2_IKE_AUTH, TRUE, FALSE, 1);
    ikd_test_add(t, &m);
    opaque(&m, 4, IKD_X2_IKE_AUTH, FALSE, TRUE, 1);
    ikd_test_add(t, &m);
}

static const ikd_finding *
encrypted_note(ikd_diag *t)
{
    const ikd_frame_info *fi = ikd_diag_lookup(t, 4);
    for (const ikd_finding *f = fi->findings; f; f = f->next_on_frame) {
        if (f->cause == IKD_CAUSE_ENCRYPTED_OUTCOME)
            return f;
    }
    g_assert_not_reached();
    return NULL;
}

/* Without keys an IKE_AUTH answer may hide AUTHENTICATION_FAILED; what
 * follows on the same SPIs proves the SA up (issue 13 point 2). */
static void
test_v2_proven_established(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    ikd_frame_info *fi;
    const ikd_finding *f;

    /* a CREATE_CHILD_SA answered */
    v2_up_opaque(t);
    fi = ikd_diag_lookup(t, 4);
    g_assert_false(fi->sa->ike_established);
    ikd_diag_finish(t);
    g_assert_cmpint(fi->sa->outcome, ==, IKD_OUTCOME_ENCRYPTED);
    opaque(&m, 5, IKD_X2_CREATE_CHILD_SA, TRUE, FALSE, 2);
    ikd_test_add(t, &m);
    g_assert_false(fi->sa->ike_established);
    opaque(&m, 6, IKD_X2_CREATE_CHILD_SA, FALSE, TRUE, 2);
    ikd_test_add(t, &m);
    g_assert_true(fi->sa->ike_established);
    g_assert_cmpint(fi->sa->proof, ==, IKD_PROOF_CHILD_EXCHANGE);
    g_assert_cmpint(fi->sa->outcome, ==, IKD_OUTCOME_ESTABLISHED);
    ikd_diag_finish(t);
    g_assert_cmpint(fi->sa->outcome, ==, IKD_OUTCOME_ESTABLISHED);
    f = encrypted_note(t);
    g_assert_false(f->failure);
    g_assert_nonnull(strstr(f->message, "established nonetheless: the CREATE_CHILD_SA of frame 5 was "
                                        "answered in frame 6"));
    g_assert_true(ikd_test_has_evidence(f, 6));
    ikd_diag_free(t);

    /* INFORMATIONAL: the initiator's first one may carry AUTHENTICATION_FAILED
     * about the responder's AUTH, so only the second proves it */
    t = ikd_diag_new(NULL);
    v2_up_opaque(t);
    opaque(&m, 5, IKD_X2_INFORMATIONAL, TRUE, FALSE, 2);
    ikd_test_add(t, &m);
    opaque(&m, 6, IKD_X2_INFORMATIONAL, FALSE, TRUE, 2);
    fi = ikd_test_add(t, &m);
    g_assert_false(fi->sa->ike_established);
    opaque(&m, 7, IKD_X2_INFORMATIONAL, TRUE, FALSE, 3);
    ikd_test_add(t, &m);
    opaque(&m, 8, IKD_X2_INFORMATIONAL, FALSE, TRUE, 3);
    ikd_test_add(t, &m);
    g_assert_true(fi->sa->ike_established);
    g_assert_cmpint(fi->sa->proof, ==, IKD_PROOF_LATER_EXCHANGE);
    ikd_diag_free(t);
    /* ... but one the responder asks is enough */
    t = ikd_diag_new(NULL);
    v2_up_opaque(t);
    opaque(&m, 5, IKD_X2_INFORMATIONAL, FALSE, FALSE, 0);
    ikd_test_add(t, &m);
    opaque(&m, 6, IKD_X2_INFORMATIONAL, TRUE, TRUE, 0);
    fi = ikd_test_add(t, &m);
    g_assert_true(fi->sa->ike_established);
    g_assert_cmpuint(fi->exchange->request.frame, ==, 5);
    ikd_diag_free(t);

    /* ESP both ways on SPIs new since the IKE_AUTH answer */
    t = ikd_diag_new(NULL);
    v2_up_opaque(t);
    esp(&m, 5, TRUE, FALSE);
    fi = ikd_test_add(t, &m);
    g_assert_false(fi->sa->ike_established);
    esp(&m, 6, FALSE, FALSE);
    fi = ikd_test_add(t, &m);
    g_assert_true(fi->sa->ike_established);
    g_assert_true(fi->sa->child_established);
    g_assert_cmpint(fi->sa->proof, ==, IKD_PROOF_ESP);
    g_assert_cmpint(fi->sa->outcome, ==, IKD_OUTCOME_ESTABLISHED);
    g_assert_nonnull(strstr(encrypted_note(t)->message, "ESP flows both ways between the peers on SPIs new "
                                                        "since the authentication answer (frames 5 and 6)"));
    ikd_diag_free(t);
    /* ... not the ESP of an older SA between the same hosts */
    t = ikd_diag_new(NULL);
    esp(&m, 1, TRUE, FALSE);
    ikd_diag_add(t, &m);
    esp(&m, 2, FALSE, FALSE);
    ikd_diag_add(t, &m);
    v2_init(t, 3, SPI_A, SPI_B, 0);
    opaque(&m, 5, IKD_X2_IKE_AUTH, TRUE, FALSE, 1);
    ikd_test_add(t, &m);
    opaque(&m, 6, IKD_X2_IKE_AUTH, FALSE, TRUE, 1);
    ikd_test_add(t, &m);
    esp(&m, 7, TRUE, FALSE);
    ikd_diag_add(t, &m);
    esp(&m, 8, FALSE, FALSE);
    fi = ikd_test_add(t, &m);
    g_assert_nonnull(fi->sa);
    g_assert_false(fi->sa->ike_established);
    ikd_diag_finish(t);
    g_assert_cmpint(fi->sa->outcome, ==, IKD_OUTCOME_ENCRYPTED);
    ikd_diag_free(t);
}

/* IKEv1: a Quick Mode answered proves phase 1 even when MM6 is not in the
 * capture (one rule for both versions). */
static void
test_v1_quick_mode_proves_phase1(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    ikd_frame_info *fi;

    v1_mm_1_to_4(t, 1);
    v1_mm5(t, 5, FALSE, FALSE);
    ike(&m, 6, 1, IKD_X1_QUICK, TRUE, FALSE, SPI_A, SPI_B, 77, 2001);
    m.flags = IKD_FLAG_V1_E;
    m.encrypted = 1;
    fi = ikd_test_add(t, &m);
    g_assert_false(fi->sa->ike_established);
    ike(&m, 7, 1, IKD_X1_QUICK, FALSE, TRUE, SPI_A, SPI_B, 77, 2002);
    m.flags = IKD_FLAG_V1_E;
    m.encrypted = 1;
    fi = ikd_test_add(t, &m);
    g_assert_cmpint(fi->quick_msg, ==, 2);
    g_assert_true(fi->sa->ike_established);
    g_assert_cmpint(fi->sa->proof, ==, IKD_PROOF_CHILD_EXCHANGE);
    g_assert_cmpint(fi->sa->outcome, ==, IKD_OUTCOME_ESTABLISHED);
    ikd_diag_free(t);
}

/* Roles from SPIs and state as well as flags (issue 13 point 5, nDPI's
 * ipsec_isakmp_esp.pcap f207-f225). */
static void
test_v2_roles_from_state(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    ikd_frame_info *fi;
    static const guint8 cookie[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

    /* an IKE_SA_INIT request whose flags byte is 0xff */
    ike(&m, 1, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, SPI_A, ZERO, 0, 101);
    ike_proposal(&m, 0);
    m.has_ke = 1;
    m.ke_group = 14;
    m.flags = 0xff;
    fi = ikd_test_add(t, &m);
    g_assert_cmpint(fi->role, ==, IKD_ROLE_REQUEST);
    g_assert_true(ikd_addr_equal(&fi->sa->init_addr, &m.src));
    /* the COOKIE answer (responder SPI still 0) answers it */
    ike(&m, 2, 2, IKD_X2_IKE_SA_INIT, FALSE, TRUE, SPI_A, ZERO, 0, 102);
    notify(&m, IKD_N_COOKIE, cookie, 8);
    fi = ikd_test_add(t, &m);
    g_assert_cmpint(fi->role, ==, IKD_ROLE_RESPONSE);
    g_assert_cmpuint(fi->exchange->request.frame, ==, 1);
    /* the responder's INFORMATIONAL of message ID 0 is not the IKE_SA_INIT */
    ike(&m, 3, 2, IKD_X2_INFORMATIONAL, FALSE, FALSE, SPI_A, SPI_B, 0, 103);
    m.encrypted = 1;
    fi = ikd_test_add(t, &m);
    g_assert_cmpint(fi->role, ==, IKD_ROLE_REQUEST);
    g_assert_cmpint(fi->exchange->exch_type, ==, IKD_X2_INFORMATIONAL);
    g_assert_cmpuint(fi->exchange->response.frame, ==, 0);
    /* with corrupt flags, the initiator's answer to it follows from state */
    ike(&m, 4, 2, IKD_X2_INFORMATIONAL, TRUE, TRUE, SPI_A, SPI_B, 0, 104);
    m.encrypted = 1;
    m.flags = 0xc7;
    fi = ikd_test_add(t, &m);
    g_assert_cmpint(fi->role, ==, IKD_ROLE_RESPONSE);
    g_assert_cmpuint(fi->exchange->request.frame, ==, 3);
    ikd_diag_free(t);

    /* a response never precedes its request: an answer whose request is not
     * in the capture stays alone, the later request starts its own exchange */
    t = ikd_diag_new(NULL);
    ike(&m, 1, 2, IKD_X2_CREATE_CHILD_SA, FALSE, TRUE, SPI_A, SPI_B, 5, 201);
    m.encrypted = 1;
    fi = ikd_test_add(t, &m);
    g_assert_cmpint(fi->role, ==, IKD_ROLE_RESPONSE);
    ike(&m, 2, 2, IKD_X2_CREATE_CHILD_SA, TRUE, FALSE, SPI_A, SPI_B, 5, 202);
    m.encrypted = 1;
    fi = ikd_test_add(t, &m);
    g_assert_cmpint(fi->role, ==, IKD_ROLE_REQUEST);
    g_assert_cmpuint(fi->exchange->response.frame, ==, 0);
    g_assert_cmpuint(fi->exchange->number, ==, 2);
    ikd_diag_free(t);
}

static void
frame_spi(guint8 spi[8], guint8 tag, guint32 frame)
{
    memset(spi, 0, 8);
    spi[0] = tag;
    spi[4] = (guint8)(frame >> 24); spi[5] = (guint8)(frame >> 16);
    spi[6] = (guint8)(frame >> 8); spi[7] = (guint8)frame;
}

/* The frame index (tracker.c): frames in order go into chunks of 1024 and
 * are found by binary search; frames out of order go into a table beside
 * them.  Every frame must be found again, and no other. */
static void
test_frame_index(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    guint32 frame;
    guint8 spi[8];

    /* 2,500 packets in frame order (even numbers, past two chunk ends),
     * each an IKE_SA_INIT request of its own SA */
    for (frame = 2; frame <= 5000; frame += 2) {
        frame_spi(spi, 0x10, frame);
        ike(&m, frame, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, spi, ZERO, 0, frame);
        g_assert_cmpuint(ikd_diag_add(t, &m)->frame, ==, frame);
    }
    /* then some of the odd ones, late and backwards */
    for (frame = 4001; frame > 1000; frame -= 500) {
        frame_spi(spi, 0x20, frame);
        ike(&m, frame, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, spi, ZERO, 0, frame);
        g_assert_cmpuint(ikd_diag_add(t, &m)->frame, ==, frame);
    }
    for (frame = 1; frame <= 5002; frame++) {
        ikd_frame_info *fi = ikd_diag_lookup(t, frame);
        gboolean late = frame % 2 && frame > 1000 && frame <= 4001 && (4001 - frame) % 500 == 0;

        if ((frame % 2 == 0 && frame <= 5000) || late) {
            g_assert_nonnull(fi);
            g_assert_cmpuint(fi->frame, ==, frame);
            frame_spi(spi, late ? 0x20 : 0x10, frame);
            g_assert_cmpmem(fi->sa->ispi, 8, spi, 8);
        } else {
            g_assert_null(fi);
        }
    }
    ikd_diag_free(t);
}

/* The arena (arena.c): zeroed, 8-byte aligned memory, small and large. */
static void
test_arena(void)
{
    ikd_arena *a = ikd_arena_new();
    static const gsize sizes[] = { 1, 3, 8, 13, 48, 100, 4000, 20000, 70000, 5 };

    for (guint round = 0; round < 50; round++) {
        for (guint i = 0; i < G_N_ELEMENTS(sizes); i++) {
            guint8 *p = ikd_arena_alloc0(a, sizes[i]);

            g_assert_nonnull(p);
            g_assert_cmpuint(GPOINTER_TO_SIZE(p) % 8, ==, 0);
            for (gsize k = 0; k < sizes[i]; k++)
                g_assert_cmpuint(p[k], ==, 0);
            memset(p, 0xa5, sizes[i]);  /* ASan: within what was given */
        }
    }
    g_assert_cmpuint(ikd_arena_bytes(a), >=, 50 * (1 + 3 + 8 + 13 + 48 + 100 + 4000 + 20000 + 70000 + 5));
    ikd_arena_free(a);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/tracker/v2-pairing-retransmission", test_v2_pairing_and_retransmission);
    g_test_add_func("/tracker/v1-main-mode-states", test_v1_main_mode_states);
    g_test_add_func("/tracker/icmp-link", test_icmp_link);
    g_test_add_func("/tracker/v2-fragments", test_v2_fragments);
    g_test_add_func("/tracker/v2-proven-established", test_v2_proven_established);
    g_test_add_func("/tracker/v1-quick-mode-proves-phase1", test_v1_quick_mode_proves_phase1);
    g_test_add_func("/tracker/v2-roles-from-state", test_v2_roles_from_state);
    g_test_add_func("/tracker/frame-index", test_frame_index);
    g_test_add_func("/tracker/arena", test_arena);
    return g_test_run();
}
