/* test-tracker.c
 * Unit tests of plugin/core/tracker.c: hand-made ikd_msg values placed in
 * IKE SAs and exchanges, requests paired with responses, retransmissions
 * recognised, IKEv1 Main and Quick Mode states, ICMP errors and IKEv2
 * fragments linked to their request.  (Two of them also read the finding
 * the rules add on top: encrypted-outcome, no-response.)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include <glib.h>

#include "ikd-test.h"
#include "core/names.h"
#include "core/causes.h"

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

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/tracker/v2-pairing-retransmission", test_v2_pairing_and_retransmission);
    g_test_add_func("/tracker/v1-main-mode-states", test_v1_main_mode_states);
    g_test_add_func("/tracker/icmp-link", test_icmp_link);
    g_test_add_func("/tracker/v2-fragments", test_v2_fragments);
    return g_test_run();
}
