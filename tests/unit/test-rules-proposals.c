/* test-rules-proposals.c
 * Unit tests of plugin/core/rules_proposals.c: NO_PROPOSAL_CHOSEN and
 * INVALID_KE_PAYLOAD pinpointed against what the same responder accepted
 * elsewhere in the capture (ike-proposal-mismatch, dh-group-mismatch).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include <glib.h>

#include "ikd-test.h"
#include "core/names.h"
#include "core/causes.h"

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

/* zs_ipsec.cap's pattern: the initiator itself sends NO_PROPOSAL_CHOSEN
 * after MM2 (a refusal of an offer comes from the peer that did not make
 * it), then Main Mode completes: a recovered note (issue 13 point 4). */
static void
test_v1_notify_from_offerer_recovered(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    ikd_frame_info *fi;
    const ikd_finding *f;

    ike(&m, 1, 1, IKD_X1_MAIN, TRUE, FALSE, SPI_A, ZERO, 0, 1001);
    ike_proposal(&m, 1);
    ikd_diag_add(t, &m);
    ike(&m, 2, 1, IKD_X1_MAIN, FALSE, TRUE, SPI_A, SPI_B, 0, 1002);
    ike_proposal(&m, 1);
    ikd_diag_add(t, &m);
    ike(&m, 3, 1, IKD_X1_INFORMATIONAL, TRUE, FALSE, SPI_A, ZERO, 0, 1003);
    notify(&m, IKD_N_NO_PROPOSAL_CHOSEN, NULL, 0);
    fi = ikd_test_add(t, &m);
    f = ikd_test_only_finding(fi);
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_IKE_PROPOSAL_MISMATCH);
    g_assert_true(f->failure);
    g_assert_nonnull(strstr(f->message, "Initiator 198.51.100.10 sent NO_PROPOSAL_CHOSEN in Main Mode, but it made "
                                        "the IKE offer of frame 1"));
    g_assert_nonnull(strstr(f->message, "it rejects the answer of frame 2"));
    g_assert_null(strstr(f->hint, "responder's proposals"));
    g_assert_true(ikd_test_has_evidence(f, 2));
    g_assert_cmpint(fi->sa->outcome, ==, IKD_OUTCOME_FAILED);
    ike(&m, 4, 1, IKD_X1_MAIN, TRUE, FALSE, SPI_A, SPI_B, 0, 1004);
    m.has_ke = m.has_nonce = 1;
    ikd_diag_add(t, &m);
    ike(&m, 5, 1, IKD_X1_MAIN, FALSE, TRUE, SPI_A, SPI_B, 0, 1005);
    m.has_ke = m.has_nonce = 1;
    ikd_diag_add(t, &m);
    v1_mm5(t, 6, FALSE, FALSE);
    g_assert_true(f->failure);
    ike(&m, 7, 1, IKD_X1_MAIN, FALSE, TRUE, SPI_A, SPI_B, 0, 1007);
    m.flags = IKD_FLAG_V1_E;
    m.encrypted = 1;
    fi = ikd_test_add(t, &m);
    g_assert_cmpuint(fi->phase1_msg, ==, 6);
    g_assert_false(f->failure);
    g_assert_cmpuint(f->recovered_in, ==, 7);
    g_assert_true(ikd_test_has_evidence(f, 7));
    g_assert_nonnull(strstr(f->message, "the negotiation went on past it: the same IKE SA was established in frame 7"));
    g_assert_cmpint(fi->sa->outcome, ==, IKD_OUTCOME_ESTABLISHED);
    ikd_diag_free(t);

    /* the responder's NO_PROPOSAL_CHOSEN to MM1 is still the refusal of the offer */
    t = ikd_diag_new(NULL);
    ike(&m, 1, 1, IKD_X1_MAIN, TRUE, FALSE, SPI_A, ZERO, 0, 1001);
    ike_proposal(&m, 1);
    ikd_diag_add(t, &m);
    ike(&m, 2, 1, IKD_X1_INFORMATIONAL, FALSE, FALSE, SPI_A, ZERO, 0, 1002);
    notify(&m, IKD_N_NO_PROPOSAL_CHOSEN, NULL, 0);
    f = ikd_test_only_finding(ikd_test_add(t, &m));
    g_assert_true(f->failure);
    g_assert_nonnull(strstr(f->message, "refused the only IKE proposal offered in frame 1"));
    ikd_diag_free(t);
}

/* INVALID_KE_PAYLOAD for a group not offered, then a retry under a new SPI
 * with that group that the responder accepts: linked, and a recovered note
 * (issue 13 point 11; nDPI's ipsec_isakmp_esp.pcap has three). */
static void
test_v2_invalid_ke_retry_new_spi(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    ikd_frame_info *fi;
    const ikd_finding *f;
    static const guint8 group14[2] = { 0, 14 };

    ike(&m, 1, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, SPI_A, ZERO, 0, 100);
    prop(&m, IKD_PROTO_IKE);
    tf(&m, IKD_TF_ENCR, 12, 256);
    tf(&m, IKD_TF_INTEG, 12, 0);
    tf(&m, IKD_TF_PRF, 5, 0);
    tf(&m, IKD_TF_DH, 2, 0);
    m.has_ke = 1;
    m.ke_group = 2;
    ikd_diag_add(t, &m);
    ike(&m, 2, 2, IKD_X2_IKE_SA_INIT, FALSE, TRUE, SPI_A, ZERO, 0, 200);
    notify(&m, IKD_N_INVALID_KE_PAYLOAD, group14, 2);
    fi = ikd_diag_add(t, &m);
    f = ikd_test_only_finding(fi);
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_DH_GROUP_MISMATCH);
    g_assert_true(f->failure);              /* modp2048 was not offered */
    g_assert_cmpint(fi->sa->outcome, ==, IKD_OUTCOME_FAILED);

    /* a new SPI, modp2048 */
    ike(&m, 3, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, SPI_C, ZERO, 0, 300);
    ike_proposal(&m, 0);
    m.has_ke = 1;
    m.ke_group = 14;
    g_assert_cmpuint(ikd_test_add(t, &m)->sa->number, ==, 2);
    g_assert_true(f->failure);
    ike(&m, 4, 2, IKD_X2_IKE_SA_INIT, FALSE, TRUE, SPI_C, SPI_D, 0, 400);
    ike_proposal(&m, 0);
    m.has_ke = 1;
    m.ke_group = 14;
    ikd_test_add(t, &m);
    g_assert_false(f->failure);
    g_assert_cmpuint(f->recovered_in, ==, 4);
    g_assert_true(ikd_test_has_evidence(f, 3));
    g_assert_true(ikd_test_has_evidence(f, 4));
    g_assert_nonnull(strstr(f->message, "retried with modp2048 in frame 3 (IKE SA 2) and succeeded"));
    g_assert_cmpint(fi->sa->outcome, ==, IKD_OUTCOME_INCOMPLETE);
    ikd_diag_free(t);

    /* a retry towards another responder recovers nothing */
    t = ikd_diag_new(NULL);
    ike(&m, 1, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, SPI_A, ZERO, 0, 100);
    ike_proposal(&m, 0);
    ikd_diag_add(t, &m);
    ike(&m, 2, 2, IKD_X2_IKE_SA_INIT, FALSE, TRUE, SPI_A, ZERO, 0, 200);
    notify(&m, IKD_N_NO_PROPOSAL_CHOSEN, NULL, 0);
    f = ikd_test_only_finding(ikd_diag_add(t, &m));
    g_assert_true(f->failure);
    ike(&m, 3, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, SPI_C, ZERO, 0, 300);
    ike_proposal(&m, 0);
    set_addr(&m.dst, 203, 0, 113, 99);
    ikd_test_add(t, &m);
    ike(&m, 4, 2, IKD_X2_IKE_SA_INIT, FALSE, TRUE, SPI_C, SPI_D, 0, 400);
    ike_proposal(&m, 0);
    set_addr(&m.src, 203, 0, 113, 99);
    ikd_test_add(t, &m);
    g_assert_true(f->failure);
    /* the same responder accepting another offer does */
    ike(&m, 5, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, SPI_B, ZERO, 0, 500);
    offer_aes128gcm_ecp256(&m);
    ikd_test_add(t, &m);
    ike(&m, 6, 2, IKD_X2_IKE_SA_INIT, FALSE, TRUE, SPI_B, SPI_D, 0, 600);
    offer_aes128gcm_ecp256(&m);
    ikd_test_add(t, &m);
    g_assert_false(f->failure);
    g_assert_nonnull(strstr(f->message, "the initiator retried with aes128gcm16-prfsha256-ecp256 in frame 5 (IKE SA 3) "
                                        "and succeeded"));
    ikd_diag_free(t);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/proposals/v2-invalid-ke-recovered", test_v2_invalid_ke_recovered);
    g_test_add_func("/proposals/v2-no-proposal-pinpointed", test_v2_no_proposal_pinpointed);
    g_test_add_func("/proposals/pinpoint-dh-only", test_pinpoint_dh_only);
    g_test_add_func("/proposals/pinpoint-v1-vs-v2-aead", test_pinpoint_v1_vs_v2_aead);
    g_test_add_func("/proposals/v1-notify-from-offerer-recovered", test_v1_notify_from_offerer_recovered);
    g_test_add_func("/proposals/v2-invalid-ke-retry-new-spi", test_v2_invalid_ke_retry_new_spi);
    return g_test_run();
}
