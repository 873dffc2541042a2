/* test-rules-reachability.c
 * Unit tests of plugin/core/rules_reachability.c: requests nobody answers
 * (no-response) and peers that do not share an IKE version
 * (ike-version-mismatch).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include <glib.h>

#include "ikd-test.h"
#include "core/causes.h"

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

/* ---------------------------------------------------------------- versions */

/* The responder speaks IKEv1 with aes256-sha256-modp2048 (SA 1) and refuses
 * an IKEv2 offer of the same algorithms with NO_PROPOSAL_CHOSEN (SA 2): the
 * version is what differs, not the algorithms. */
static void
test_version_refused_by_v1_only_peer(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    const ikd_frame_info *fi;

    v1_mm_1_to_4(t, 1);
    ike(&m, 11, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, SPI_C, ZERO, 0, 11);
    ike_proposal(&m, 0);
    ikd_diag_add(t, &m);
    ike(&m, 12, 2, IKD_X2_IKE_SA_INIT, FALSE, TRUE, SPI_C, SPI_D, 0, 12);
    notify(&m, IKD_N_NO_PROPOSAL_CHOSEN, NULL, 0);
    fi = ikd_diag_add(t, &m);
    g_assert_nonnull(fi->findings);
    g_assert_cmpint(fi->findings->cause, ==, IKD_CAUSE_IKE_VERSION_MISMATCH);
    g_assert_true(fi->findings->failure);
    g_assert_true(ikd_test_has_evidence(fi->findings, 11));
    g_assert_true(ikd_test_has_evidence(fi->findings, 2));       /* MM2: it speaks IKEv1 */
    g_assert_nonnull(strstr(fi->findings->message, "speaks only IKEv1 elsewhere"));
    g_assert_nonnull(strstr(fi->findings->hint, "version = 1"));
    ikd_diag_free(t);

    /* The IKEv2 offer has other algorithms: not said to be the version. */
    t = ikd_diag_new(NULL);
    v1_mm_1_to_4(t, 1);
    ike(&m, 11, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, SPI_C, ZERO, 0, 11);
    ike_proposal(&m, 0);
    IKD_TF(&m)[0].id = 20;                /* AES-GCM instead of AES-CBC */
    ikd_diag_add(t, &m);
    ike(&m, 12, 2, IKD_X2_IKE_SA_INIT, FALSE, TRUE, SPI_C, SPI_D, 0, 12);
    notify(&m, IKD_N_NO_PROPOSAL_CHOSEN, NULL, 0);
    ikd_diag_add(t, &m);
    g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_IKE_VERSION_MISMATCH), ==, 0);
    ikd_diag_free(t);
}

/* INVALID_MAJOR_VERSION (libreswan with ikev1-policy=reject). */
static void
test_version_invalid_major(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    const ikd_finding *f;

    ike(&m, 1, 1, IKD_X1_MAIN, TRUE, FALSE, SPI_A, ZERO, 0, 1);
    ike_proposal(&m, 1);
    ikd_diag_add(t, &m);
    ike(&m, 2, 1, IKD_X1_INFORMATIONAL, FALSE, FALSE, SPI_A, ZERO, 0, 2);
    notify(&m, IKD_N_INVALID_MAJOR_VERSION, NULL, 0);
    f = ikd_test_only_finding(ikd_diag_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_IKE_VERSION_MISMATCH);
    g_assert_true(ikd_test_has_evidence(f, 1));
    g_assert_nonnull(strstr(f->message, "answered the IKEv1 request of frame 1 with INVALID_MAJOR_VERSION in frame 2"));
    ikd_diag_free(t);
}

/* A lone INVALID_MAJOR_VERSION, its request not in the capture
 * (td_isakmp-no-none-np.pcapng): it answers nothing shown, least of all
 * itself (issue 13 point 6). */
static void
test_version_lone_notify(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    const ikd_finding *f;

    ike(&m, 1, 1, IKD_X1_INFORMATIONAL, FALSE, FALSE, ZERO, ZERO, 0x5f724dc6, 101);
    notify(&m, IKD_N_INVALID_MAJOR_VERSION, NULL, 0);
    f = ikd_test_only_finding(ikd_test_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_IKE_VERSION_MISMATCH);
    g_assert_true(f->failure);
    g_assert_null(strstr(f->message, "request of frame 1"));
    g_assert_nonnull(strstr(f->message, "refusing a request that is not in the capture: the sender speaks IKEv1"));
    g_assert_cmpuint(f->n_evidence, ==, 1);
    ikd_diag_free(t);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/reachability/no-response", test_no_response);
    g_test_add_func("/reachability/version-refused-by-v1-only-peer", test_version_refused_by_v1_only_peer);
    g_test_add_func("/reachability/version-invalid-major", test_version_invalid_major);
    g_test_add_func("/reachability/version-lone-notify", test_version_lone_notify);
    return g_test_run();
}
