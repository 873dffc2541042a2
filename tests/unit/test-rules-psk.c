/* test-rules-psk.c
 * Unit tests of plugin/core/rules_psk.c: the IKEv1 pre-shared key stalls
 * (Main Mode 5 answered by something unreadable, retransmitted into silence,
 * or answered by a repeated MM4; Aggressive Mode 2 refused), each a
 * psk-mismatch on the frame where it becomes evident, and silence on a
 * healthy Main Mode.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include <glib.h>

#include "ikd-test.h"
#include "core/causes.h"

/* An encrypted Informational from the responder, unreadable (malformed, as
 * Wireshark 4.0 shows one encrypted under a different key). */
static ikd_frame_info *
v1_unreadable_info(ikd_diag *t, guint32 frame, gboolean malformed)
{
    ikd_msg m;
    ike(&m, frame, 1, IKD_X1_INFORMATIONAL, FALSE, FALSE, SPI_A, SPI_B, 0x5d000000 + frame, 2000 + frame);
    m.flags = IKD_FLAG_V1_E;
    m.encrypted = 1;
    m.decrypted = malformed;        /* garbage "payloads" were shown */
    m.malformed = malformed;
    return ikd_diag_add(t, &m);
}

/* strongSwan: MM5 answered by PAYLOAD_MALFORMED under the responder's key,
 * unreadable with the initiator's; MM5 retransmitted (unreadable in
 * Wireshark 4.0 too) until the initiator gives up. */
static void
test_v1_mm5_stall_unreadable_reply(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    const ikd_finding *f;
    ikd_frame_info *fi;

    v1_mm_1_to_4(t, 1);
    g_assert_null(v1_mm5(t, 5, TRUE, FALSE)->findings);
    f = ikd_test_only_finding(v1_unreadable_info(t, 6, TRUE));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_PSK_MISMATCH);
    g_assert_true(f->failure);
    g_assert_true(ikd_test_has_evidence(f, 5));
    g_assert_nonnull(strstr(f->message, "very likely"));
    g_assert_nonnull(strstr(f->message, "Main Mode message 5 (frame 5)"));
    for (guint32 fr = 7; fr <= 12; fr += 2) {
        fi = v1_mm5(t, fr, TRUE, TRUE);                 /* retransmission */
        g_assert_cmpuint(fi->retransmission_of, ==, 5);
        g_assert_null(fi->findings);
        /* the repeated reply is explained: no "malformed" note */
        g_assert_null(v1_unreadable_info(t, fr + 1, TRUE)->findings);
    }
    ikd_diag_finish(t);
    g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_PSK_MISMATCH), ==, 1);
    g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_NO_RESPONSE), ==, 0);
    g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_MALFORMED), ==, 0);
    ikd_diag_free(t);

    /* Without keys the reply is just encrypted: likely, not very likely. */
    t = ikd_diag_new(NULL);
    v1_mm_1_to_4(t, 1);
    v1_mm5(t, 5, FALSE, FALSE);
    f = ikd_test_only_finding(v1_unreadable_info(t, 6, FALSE));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_PSK_MISMATCH);
    g_assert_nonnull(strstr(f->message, "likely differ"));
    g_assert_null(strstr(f->message, "very likely"));
    ikd_diag_free(t);
}

/* Cisco: MM5 retransmitted, nothing comes back.  Said at the no-response
 * threshold, instead of no-response, and only with a PSK. */
static void
test_v1_mm5_stall_retransmissions(void)
{
    for (int psk = 0; psk < 2; psk++) {
        ikd_diag *t = ikd_diag_new(NULL);
        const ikd_config *cfg = ikd_tracker_config(ikd_diag_tracker(t));
        guint32 last = 5 + cfg->no_response_retransmits;
        const ikd_finding *f;

        v1_mm_1_to_4(t, psk ? 1 : 3);
        v1_mm5(t, 5, FALSE, FALSE);
        for (guint32 fr = 6; fr < last; fr++)
            g_assert_null(v1_mm5(t, fr, FALSE, FALSE)->findings);
        f = ikd_test_only_finding(v1_mm5(t, last, FALSE, FALSE));
        if (psk) {
            g_assert_cmpint(f->cause, ==, IKD_CAUSE_PSK_MISMATCH);
            g_assert_nonnull(strstr(f->message, "Likely, inferred from retransmissions only"));
            g_assert_nonnull(strstr(f->message, "MM4 in frame 4"));
            g_assert_true(ikd_test_has_evidence(f, 4));
        } else {
            g_assert_cmpint(f->cause, ==, IKD_CAUSE_NO_RESPONSE);
        }
        ikd_diag_finish(t);
        g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_NO_RESPONSE), ==, psk ? 0 : 1);
        ikd_diag_free(t);
    }
}

/* libreswan: the responder repeats MM4 instead of answering MM5. */
static void
test_v1_mm4_repeated(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    const ikd_finding *f;

    v1_mm_1_to_4(t, 1);
    v1_mm5(t, 5, TRUE, FALSE);
    ike(&m, 6, 1, IKD_X1_MAIN, FALSE, TRUE, SPI_A, SPI_B, 0, 1004);   /* MM4 again */
    m.has_ke = m.has_nonce = 1;
    f = ikd_test_only_finding(ikd_diag_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_PSK_MISMATCH);
    g_assert_true(ikd_test_has_evidence(f, 4));
    g_assert_true(ikd_test_has_evidence(f, 5));
    g_assert_nonnull(strstr(f->message, "repeated Main Mode message 4 (first sent in frame 4) in frame 6"));
    g_assert_nonnull(v1_mm5(t, 7, TRUE, TRUE));
    ikd_diag_finish(t);
    g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_PSK_MISMATCH), ==, 1);
    g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_NO_RESPONSE), ==, 0);
    ikd_diag_free(t);
}

/* Aggressive Mode with a PSK: the initiator cannot verify HASH_R in AM2;
 * it sends an unreadable Informational, or nothing (AM2 repeated). */
static void
test_v1_am_refusal(void)
{
    for (int variant = 0; variant < 2; variant++) {
        ikd_diag *t = ikd_diag_new(NULL);
        ikd_msg m;
        const ikd_finding *f;

        ike(&m, 1, 1, IKD_X1_AGGRESSIVE, TRUE, FALSE, SPI_A, ZERO, 0, 1);
        ike_proposal(&m, 1);
        ident(&m, TRUE, 2, "initiator.example");
        ikd_diag_add(t, &m);
        ike(&m, 2, 1, IKD_X1_AGGRESSIVE, FALSE, TRUE, SPI_A, SPI_B, 0, 2);
        ike_proposal(&m, 1);
        ident(&m, TRUE, 2, "responder.example");
        m.has_hash = 1;
        /* (AM2 may carry the aggressive-mode-psk warning: rules_hygiene.c) */
        ikd_diag_add(t, &m);
        g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_PSK_MISMATCH), ==, 0);
        if (variant == 0) {
            ike(&m, 3, 1, IKD_X1_INFORMATIONAL, TRUE, FALSE, SPI_A, SPI_B, 99, 3);
            m.flags = IKD_FLAG_V1_E;
            m.encrypted = 1;
            m.decrypted = 1;
            m.malformed = 1;
        } else {
            ike(&m, 3, 1, IKD_X1_AGGRESSIVE, FALSE, TRUE, SPI_A, SPI_B, 0, 2);    /* AM2 again */
            ike_proposal(&m, 1);
            ident(&m, TRUE, 2, "responder.example");
            m.has_hash = 1;
        }
        f = ikd_test_only_finding(ikd_diag_add(t, &m));
        g_assert_cmpint(f->cause, ==, IKD_CAUSE_PSK_MISMATCH);
        g_assert_true(ikd_test_has_evidence(f, 2));
        g_assert_nonnull(strstr(f->message, variant == 0 ? "unreadable Informational in frame 3"
                                                         : "repeated Aggressive Mode message 2"));
        g_assert_nonnull(strstr(f->message, "likely differ"));
        ikd_diag_free(t);
    }
}

/* A healthy Main Mode: MM6 comes, nothing said. */
static void
test_v1_healthy(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;

    v1_mm_1_to_4(t, 1);
    v1_mm5(t, 5, TRUE, FALSE);
    ike(&m, 6, 1, IKD_X1_MAIN, FALSE, TRUE, SPI_A, SPI_B, 0, 1006);
    m.flags = IKD_FLAG_V1_E;
    m.encrypted = m.decrypted = 1;
    ident(&m, TRUE, 2, "responder.example");
    m.has_hash = 1;
    g_assert_null(ikd_diag_add(t, &m)->findings);
    ikd_diag_finish(t);
    g_assert_cmpuint(ikd_tracker_sas(ikd_diag_tracker(t))->n_findings, ==, 0);
    ikd_diag_free(t);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/psk/v1-mm5-stall-unreadable-reply", test_v1_mm5_stall_unreadable_reply);
    g_test_add_func("/psk/v1-mm5-stall-retransmissions", test_v1_mm5_stall_retransmissions);
    g_test_add_func("/psk/v1-mm4-repeated", test_v1_mm4_repeated);
    g_test_add_func("/psk/v1-am-refusal", test_v1_am_refusal);
    g_test_add_func("/psk/v1-healthy", test_v1_healthy);
    return g_test_run();
}
