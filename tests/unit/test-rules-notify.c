/* test-rules-notify.c
 * Unit tests of plugin/core/rules_notify.c, the notify-error fallback: an
 * error notify no specific rule explains is reported, named, with who sent
 * it in answer to what; one a specific rule explains, or that repeats or
 * echoes an explained failure, is not.  The real capture is
 * test-captures/ikev2-vip-pool-exhausted-ss6-ss6.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include <glib.h>

#include "ikd-test.h"
#include "core/causes.h"

/* As ikev2-vip-pool-exhausted-ss6-ss6 frames 5-8: the initiator asks for a
 * virtual IP (CP), the responder authenticates but its pool is full. */
static void
test_internal_address_failure(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    const ikd_finding *f;

    v2_init(t, 1, SPI_A, SPI_B, 0);
    ike(&m, 3, 2, IKD_X2_IKE_AUTH, TRUE, FALSE, SPI_A, SPI_B, 1, 103);
    m.has_auth = m.has_sa = m.has_cp = 1;
    m.encrypted = m.decrypted = 1;
    g_assert_null(ikd_test_add(t, &m)->findings);
    ike(&m, 4, 2, IKD_X2_IKE_AUTH, FALSE, TRUE, SPI_A, SPI_B, 1, 104);
    m.has_auth = 1;
    m.encrypted = m.decrypted = 1;
    notify(&m, IKD_N_INTERNAL_ADDRESS_FAILURE, NULL, 0);
    f = ikd_test_only_finding(ikd_test_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_NOTIFY_ERROR);
    g_assert_true(f->failure);
    g_assert_nonnull(strstr(f->message, "The responder 203.0.113.20 sent INTERNAL_ADDRESS_FAILURE in frame 4 "
                                        "in answer to the IKE_AUTH request of frame 3"));
    g_assert_nonnull(strstr(f->message, "pool is exhausted"));
    g_assert_nonnull(strstr(f->message, "no CHILD SA was set up"));
    g_assert_nonnull(strstr(f->hint, "pools"));
    g_assert_nonnull(strstr(f->hint, "rightaddresspool"));
    g_assert_true(ikd_test_has_evidence(f, 3));
    ikd_diag_finish(t);
    g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_NOTIFY_ERROR), ==, 1);
    ikd_diag_free(t);
}

/* A rekey collision: TEMPORARY_FAILURE in a CREATE_CHILD_SA answer is a
 * note (the sender retries), not a failure. */
static void
test_temporary_failure_is_a_note(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    const ikd_finding *f;

    v2_up(t, SPI_A, SPI_B, 500);
    ike(&m, 5, 2, IKD_X2_CREATE_CHILD_SA, FALSE, FALSE, SPI_A, SPI_B, 0, 105);   /* responder rekeys */
    m.has_sa = m.has_nonce = 1;
    notify(&m, IKD_N_REKEY_SA, NULL, 0);
    g_assert_null(ikd_test_add(t, &m)->findings);
    ike(&m, 6, 2, IKD_X2_CREATE_CHILD_SA, TRUE, TRUE, SPI_A, SPI_B, 0, 106);
    notify(&m, IKD_N_TEMPORARY_FAILURE, NULL, 0);
    f = ikd_test_only_finding(ikd_test_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_NOTIFY_ERROR);
    g_assert_false(f->failure);
    g_assert_nonnull(strstr(f->message, "The initiator 198.51.100.10 sent TEMPORARY_FAILURE in frame 6 in "
                                        "answer to the CREATE_CHILD_SA request of frame 5"));
    g_assert_nonnull(strstr(f->hint, "retries"));
    ikd_diag_free(t);
}

/* An error in an INFORMATIONAL request on a healthy SA: who sent it, after
 * what, version-specific name; not a failure (no SA set-up was refused). */
static void
test_informational_request(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    const ikd_finding *f;

    v2_up(t, SPI_A, SPI_B, 500);
    ike(&m, 5, 2, IKD_X2_INFORMATIONAL, FALSE, FALSE, SPI_A, SPI_B, 0, 105);
    notify(&m, 7, NULL, 0);
    f = ikd_test_only_finding(ikd_test_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_NOTIFY_ERROR);
    g_assert_false(f->failure);
    g_assert_nonnull(strstr(f->message, "The responder 203.0.113.20 sent INVALID_SYNTAX in frame 5 (in an "
                                        "INFORMATIONAL), after the IKE_AUTH request of frame 3"));
    g_assert_true(ikd_test_has_evidence(f, 3));
    g_assert_nonnull(strstr(f->hint, "RFC 7296 3.10.1"));
    ikd_diag_free(t);
}

/* A refusal a specific rule explains is not reported twice. */
static void
test_specific_rule_wins(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    const ikd_finding *f;

    ike(&m, 1, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, SPI_A, ZERO, 0, 101);
    m.has_sa = m.has_ke = 1;
    ikd_test_add(t, &m);
    ike(&m, 2, 2, IKD_X2_IKE_SA_INIT, FALSE, TRUE, SPI_A, ZERO, 0, 102);
    notify(&m, IKD_N_NO_PROPOSAL_CHOSEN, NULL, 0);
    f = ikd_test_only_finding(ikd_test_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_IKE_PROPOSAL_MISMATCH);
    ikd_diag_finish(t);
    g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_NOTIFY_ERROR), ==, 0);
    ikd_diag_free(t);
}

/* As ikev1-proposal-mismatch-ls-ss6: libreswan ignores strongSwan's
 * NO_PROPOSAL_CHOSEN Informational and retransmits MM1; strongSwan answers
 * each copy with a new Informational (a new responder cookie).  The repeats
 * are the same explained refusal, not notify-errors. */
static void
test_repeated_refusal_v1(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;

    for (guint32 frame = 1; frame <= 6; frame += 2) {
        ike(&m, frame, 1, IKD_X1_MAIN, TRUE, FALSE, SPI_A, ZERO, 0, 101);
        m.has_sa = 1;
        ikd_test_add(t, &m);
        ike(&m, frame + 1, 1, IKD_X1_INFORMATIONAL, FALSE, FALSE, SPI_A, frame == 1 ? SPI_B : SPI_D,
            0x1000 + frame, 200 + frame);
        notify(&m, IKD_N_NO_PROPOSAL_CHOSEN, NULL, 0);
        ikd_test_add(t, &m);
    }
    ikd_diag_finish(t);
    g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_NOTIFY_ERROR), ==, 0);
    g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_IKE_PROPOSAL_MISMATCH), >=, 1);
    ikd_diag_free(t);
}

/* The IKE SA failed for an explained reason: the initiator's own
 * AUTHENTICATION_FAILED afterwards is its echo. */
static void
test_echo_of_explained_failure(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;

    v2_init(t, 1, SPI_A, SPI_B, 0);
    ike(&m, 3, 2, IKD_X2_IKE_AUTH, TRUE, FALSE, SPI_A, SPI_B, 1, 103);
    m.has_auth = m.has_sa = 1;
    m.encrypted = m.decrypted = 1;
    ikd_test_add(t, &m);
    ike(&m, 4, 2, IKD_X2_IKE_AUTH, FALSE, TRUE, SPI_A, SPI_B, 1, 104);
    m.encrypted = m.decrypted = 1;
    notify(&m, IKD_N_AUTHENTICATION_FAILED, NULL, 0);
    g_assert_nonnull(ikd_test_add(t, &m)->findings);
    ike(&m, 5, 2, IKD_X2_INFORMATIONAL, TRUE, FALSE, SPI_A, SPI_B, 2, 105);
    m.encrypted = m.decrypted = 1;
    notify(&m, IKD_N_AUTHENTICATION_FAILED, NULL, 0);
    g_assert_null(ikd_test_add(t, &m)->findings);
    ikd_diag_finish(t);
    g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_NOTIFY_ERROR), ==, 0);
    ikd_diag_free(t);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/notify/internal-address-failure", test_internal_address_failure);
    g_test_add_func("/notify/temporary-failure-note", test_temporary_failure_is_a_note);
    g_test_add_func("/notify/informational-request", test_informational_request);
    g_test_add_func("/notify/specific-rule-wins", test_specific_rule_wins);
    g_test_add_func("/notify/repeated-refusal-v1", test_repeated_refusal_v1);
    g_test_add_func("/notify/echo-of-explained-failure", test_echo_of_explained_failure);
    return g_test_run();
}
