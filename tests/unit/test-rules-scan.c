/* test-rules-scan.c
 * Unit tests of plugin/core/rules_scan.c: a scanner's bare first message
 * answered by the responder is scan-probe (never a failure), and the
 * families that would read the silence after it as a failure stay quiet; a
 * client (with vendor IDs) is not a probe.  Also the possible-cause helper
 * of findings.c that the finding carries.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include <glib.h>

#include "ikd-test.h"
#include "core/causes.h"

/* Aggressive Mode 1 (bare like ike-scan -A, or a client's with a vendor
 * ID) and 2, then the responder repeats AM2 twice. */
static ikd_diag *
am_probe(gboolean bare)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;

    ike(&m, 1, 1, IKD_X1_AGGRESSIVE, TRUE, FALSE, SPI_A, ZERO, 0, 2001);
    ike_proposal(&m, 1);
    m.has_ke = m.has_nonce = 1;
    ident(&m, TRUE, 2, "initiator.example");
    if (bare)
        m.n_vid = 0;
    ikd_diag_add(t, &m);
    for (guint32 f = 2; f <= 4; f++) {
        ike(&m, f, 1, IKD_X1_AGGRESSIVE, FALSE, TRUE, SPI_A, SPI_B, 0, 2002);
        ike_proposal(&m, 1);
        m.has_ke = m.has_nonce = m.has_hash = 1;
        ident(&m, FALSE, 2, "responder.example");
        ikd_diag_add(t, &m);
    }
    return t;
}

static void
test_am_probe(void)
{
    ikd_diag *t = am_probe(TRUE);
    const ikd_frame_info *fi = ikd_diag_lookup(t, 2);
    const ikd_finding *f = NULL;

    for (const ikd_finding *x = fi->findings; x; x = x->next_on_frame) {
        if (x->cause == IKD_CAUSE_SCAN_PROBE)
            f = x;
    }
    g_assert_nonnull(f);
    g_assert_false(f->failure);
    g_assert_true(ikd_test_has_evidence(f, 1));
    g_assert_nonnull(strstr(f->message, "HASH_R"));
    g_assert_nonnull(strstr(f->message, "most likely a scan"));
    g_assert_cmpuint(f->n_possible, ==, 1);
    g_assert_cmpint(f->possible[0].cause, ==, IKD_CAUSE_PSK_MISMATCH);
    g_assert_nonnull(strstr(f->possible[0].why, "vendor ID"));
    /* the repeated AM2 is not a psk-mismatch for a probe */
    g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_PSK_MISMATCH), ==, 0);
    g_assert_false(ikd_sa_has_failure(ikd_tracker_sas(ikd_diag_tracker(t))));
    ikd_diag_free(t);
}

/* The same exchange from a client (vendor ID in AM1): psk-mismatch on the
 * repeated AM2, with scan-probe as the possible alternative. */
static void
test_am_client(void)
{
    ikd_diag *t = am_probe(FALSE);
    const ikd_finding *f;

    g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_SCAN_PROBE), ==, 0);
    g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_PSK_MISMATCH), ==, 1);
    f = ikd_test_only_finding(ikd_diag_lookup(t, 3));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_PSK_MISMATCH);
    g_assert_true(f->failure);
    g_assert_true(ikd_finding_has_possible(f, IKD_CAUSE_SCAN_PROBE));
    ikd_diag_free(t);
}

/* IKEv2: a bare IKE_SA_INIT refused with NO_PROPOSAL_CHOSEN is a probe,
 * not an ike-proposal-mismatch; answered with an SA it proves nothing. */
static void
test_v2_probe(void)
{
    for (int refused = 0; refused < 2; refused++) {
        ikd_diag *t = ikd_diag_new(NULL);
        ikd_msg m;

        ike(&m, 1, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, SPI_A, ZERO, 0, 3001);
        offer_aes256_sha256_modp2048(&m);
        m.n_vid = 0;
        ikd_diag_add(t, &m);
        ike(&m, 2, 2, IKD_X2_IKE_SA_INIT, FALSE, TRUE, SPI_A, refused ? ZERO : SPI_B, 0, 3002);
        if (refused)
            notify(&m, IKD_N_NO_PROPOSAL_CHOSEN, NULL, 0);
        else
            offer_aes256_sha256_modp2048(&m);
        ikd_diag_add(t, &m);
        g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_SCAN_PROBE), ==, refused ? 1 : 0);
        g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_IKE_PROPOSAL_MISMATCH), ==, 0);
        ikd_diag_free(t);
    }
}

/* A client's IKE_SA_INIT (with a vendor ID) refused: a proposal mismatch,
 * with the IKE version as the possible alternative. */
static void
test_v2_client_refused(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    const ikd_finding *f;

    ike(&m, 1, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, SPI_A, ZERO, 0, 3001);
    offer_aes256_sha256_modp2048(&m);
    ikd_diag_add(t, &m);
    ike(&m, 2, 2, IKD_X2_IKE_SA_INIT, FALSE, TRUE, SPI_A, ZERO, 0, 3002);
    notify(&m, IKD_N_NO_PROPOSAL_CHOSEN, NULL, 0);
    f = ikd_test_only_finding(ikd_diag_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_IKE_PROPOSAL_MISMATCH);
    g_assert_cmpuint(f->n_possible, ==, 1);
    g_assert_cmpint(f->possible[0].cause, ==, IKD_CAUSE_IKE_VERSION_MISMATCH);
    g_assert_nonnull(strstr(f->possible[0].why, "IKEv1"));
    ikd_diag_free(t);
}

/* ikd_finding_possible(): causes of causes.def only, not the finding's own,
 * not twice, most likely first. */
static void
test_possible_helper(void)
{
    ikd_finding f;

    memset(&f, 0, sizeof f);
    f.cause = IKD_CAUSE_PSK_MISMATCH;
    g_assert_false(ikd_finding_possible(&f, IKD_CAUSE_PSK_MISMATCH, "own"));
    g_assert_true(ikd_finding_possible(&f, IKD_CAUSE_ID_MISMATCH, "first %d", 1));
    g_assert_false(ikd_finding_possible(&f, IKD_CAUSE_ID_MISMATCH, "again"));
    g_assert_true(ikd_finding_possible(&f, IKD_CAUSE_SCAN_PROBE, "second"));
    if (g_test_subprocess()) {
        ikd_finding_possible(&f, (ikd_cause)IKD_CAUSE_COUNT, "not a cause");
        return;
    }
    g_assert_cmpuint(f.n_possible, ==, 2);
    g_assert_cmpint(f.possible[0].cause, ==, IKD_CAUSE_ID_MISMATCH);
    g_assert_cmpstr(f.possible[0].why, ==, "first 1");
    g_assert_cmpint(f.possible[1].cause, ==, IKD_CAUSE_SCAN_PROBE);
    g_free(f.possible[0].why);
    g_free(f.possible[1].why);
    g_free(f.possible);
    /* a keyword outside causes.def is refused loudly */
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*not a cause of causes.def*");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/scan/am-probe", test_am_probe);
    g_test_add_func("/scan/am-client", test_am_client);
    g_test_add_func("/scan/v2-probe", test_v2_probe);
    g_test_add_func("/scan/v2-client-refused", test_v2_client_refused);
    g_test_add_func("/scan/possible-helper", test_possible_helper);
    return g_test_run();
}
