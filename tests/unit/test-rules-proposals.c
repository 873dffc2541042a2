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

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/proposals/v2-invalid-ke-recovered", test_v2_invalid_ke_recovered);
    g_test_add_func("/proposals/v2-no-proposal-pinpointed", test_v2_no_proposal_pinpointed);
    g_test_add_func("/proposals/pinpoint-dh-only", test_pinpoint_dh_only);
    g_test_add_func("/proposals/pinpoint-v1-vs-v2-aead", test_pinpoint_v1_vs_v2_aead);
    return g_test_run();
}
