/* test-rules-redirect.c
 * Unit tests of plugin/core/rules_redirect.c: the REDIRECT note (RFC 5685,
 * the gateway identity decoded), the note on the IKE_SA_INIT that follows
 * it (REDIRECTED_FROM), the redirect carried into that SA's failure, and a
 * failure only when nothing follows.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include <glib.h>

#include "ikd-test.h"
#include "core/causes.h"

/* As scapy_ikev2_notify_redirect.pcap frame 2: FQDN, then the nonce. */
static const guint8 REDIRECT_FQDN[] = {
    3, 28, 'm', 'o', 'n', 'e', 'y', 'b', 'i', 'n', '.', 'd', 'u', 'c', 'k', 'b', 'u', 'r', 'g', '.',
    'd', 'i', 's', 'n', 'e', 'y', '.', 'c', 'o', 'm', 0x4b, 0xf3, 0xea, 0x6c };
static const guint8 REDIRECT_IPV4_21[] = { 1, 4, 203, 0, 113, 21 };
static const guint8 REDIRECT_IPV6[] = { 2, 16, 0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x21 };
static const guint8 FROM_203_0_113_20[] = { 1, 4, 203, 0, 113, 20 };

/* IKE_SA_INIT request (frame 1) and its answer with only N(REDIRECT)
 * (frame 2), responder SPI zero. */
static ikd_frame_info *
redirected(ikd_diag *t, const guint8 *data, guint16 len)
{
    ikd_msg m;
    ike(&m, 1, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, NAT_SPII, ZERO, 0, 101);
    ike_proposal(&m, 0);
    notify(&m, IKD_N_REDIRECT_SUPPORTED, NULL, 0);
    g_assert_null(ikd_test_add(t, &m)->findings);
    ike(&m, 2, 2, IKD_X2_IKE_SA_INIT, FALSE, TRUE, NAT_SPII, ZERO, 0, 102);
    notify(&m, IKD_N_REDIRECT, data, len);
    return ikd_test_add(t, &m);
}

/* The client's IKE_SA_INIT to the new gateway 203.0.113.21 (SPI_C). */
static ikd_frame_info *
follow(ikd_diag *t, guint32 frame, const guint8 *from, guint16 len)
{
    ikd_msg m;
    ike(&m, frame, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, SPI_C, ZERO, 0, 100 + frame);
    set_addr(&m.dst, 203, 0, 113, 21);
    ike_proposal(&m, 0);
    if (from)
        notify(&m, IKD_N_REDIRECTED_FROM, from, len);
    return ikd_test_add(t, &m);
}

static void
test_redirect_init(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_frame_info *fi;
    const ikd_finding *f, *note;
    ikd_msg m;

    fi = redirected(t, REDIRECT_FQDN, sizeof REDIRECT_FQDN);
    g_assert_cmpstr(fi->state, ==, "IKE_SA_INIT redirected");
    note = ikd_test_only_finding(fi);
    g_assert_cmpint(note->cause, ==, IKD_CAUSE_REDIRECT);
    g_assert_false(note->failure);
    g_assert_true(ikd_test_has_evidence(note, 1));
    g_assert_nonnull(strstr(note->message, "203.0.113.20 redirected the client 198.51.100.10 to the gateway "
                                           "moneybin.duckburg.disney.com (N(REDIRECT) in its IKE_SA_INIT answer, frame 2"));
    g_assert_nonnull(strstr(note->hint, "follow_redirects"));

    /* The follower: linked both ways. */
    f = ikd_test_only_finding(follow(t, 3, FROM_203_0_113_20, sizeof FROM_203_0_113_20));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_REDIRECT);
    g_assert_false(f->failure);
    g_assert_true(ikd_test_has_evidence(f, 2));
    g_assert_true(ikd_test_has_evidence(note, 3));
    g_assert_nonnull(strstr(f->message, "IKE SA 2 follows the REDIRECT of frame 2: the client 198.51.100.10 "
                                        "starts over with 203.0.113.21"));
    g_assert_nonnull(strstr(f->message, "moneybin.duckburg.disney.com (the name the REDIRECT gave)"));

    /* Its failure says where the client came from. */
    ike(&m, 4, 2, IKD_X2_IKE_SA_INIT, FALSE, TRUE, SPI_C, SPI_D, 0, 104);
    set_addr(&m.src, 203, 0, 113, 21);
    notify(&m, IKD_N_NO_PROPOSAL_CHOSEN, NULL, 0);
    f = ikd_test_only_finding(ikd_test_add(t, &m));
    g_assert_true(f->failure);
    g_assert_cmpint(f->cause, !=, IKD_CAUSE_REDIRECT);
    g_assert_nonnull(strstr(f->message, "; this IKE SA follows the REDIRECT of frame 2 (203.0.113.20 sent the "
                                        "client to moneybin.duckburg.disney.com): the failure is with the new "
                                        "gateway, not with 203.0.113.20"));
    g_assert_true(ikd_test_has_evidence(f, 2));
    g_assert_true(ikd_test_has_evidence(f, 3));
    /* said once, also after the end of the capture */
    ikd_diag_finish(t);
    g_assert_true(strstr(f->message, "follows the REDIRECT") == g_strrstr(f->message, "follows the REDIRECT"));
    g_assert_false(note->failure);
    g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_REDIRECT), ==, 2);
    ikd_diag_free(t);
}

static void
test_redirect_identities(void)
{
    ikd_diag *t;
    const ikd_finding *f;
    guint8 bad[] = { 1, 9, 203, 0 };    /* says 9 bytes, holds 2 */

    t = ikd_diag_new(NULL);
    f = ikd_test_only_finding(redirected(t, REDIRECT_IPV4_21, sizeof REDIRECT_IPV4_21));
    g_assert_nonnull(strstr(f->message, "to the gateway 203.0.113.21 ("));
    /* a follower to another address than the one named */
    f = ikd_test_only_finding(follow(t, 3, FROM_203_0_113_20, sizeof FROM_203_0_113_20));
    g_assert_null(strstr(f->message, "although"));
    ikd_diag_free(t);

    t = ikd_diag_new(NULL);
    f = ikd_test_only_finding(redirected(t, REDIRECT_IPV6, sizeof REDIRECT_IPV6));
    g_assert_nonnull(strstr(f->message, "to the gateway 2001:db8:2::21 ("));
    f = ikd_test_only_finding(follow(t, 3, FROM_203_0_113_20, sizeof FROM_203_0_113_20));
    g_assert_nonnull(strstr(f->message, "although the REDIRECT named 2001:db8:2::21"));
    ikd_diag_free(t);

    t = ikd_diag_new(NULL);
    f = ikd_test_only_finding(redirected(t, bad, sizeof bad));
    g_assert_nonnull(strstr(f->message, "a gateway the notify does not name readably"));
    ikd_diag_free(t);
}

static void
test_redirect_nothing_follows(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_frame_info *fi;
    const ikd_finding *f;
    ikd_msg m;

    fi = redirected(t, REDIRECT_IPV4_21, sizeof REDIRECT_IPV4_21);
    f = ikd_test_only_finding(fi);
    g_assert_false(f->failure);
    /* an IKE_SA_INIT to the new gateway without REDIRECTED_FROM is no follower */
    g_assert_null(follow(t, 3, NULL, 0)->findings);
    ikd_diag_finish(t);
    g_assert_true(f->failure);
    g_assert_cmpint(fi->sa->outcome, ==, IKD_OUTCOME_FAILED);
    g_assert_nonnull(strstr(f->message, "no IKE_SA_INIT with N(REDIRECTED_FROM) follows in the capture"));
    ikd_diag_free(t);

    /* An established SA redirected by an INFORMATIONAL: the SA goes on, a
     * note either way. */
    t = ikd_diag_new(NULL);
    v2_up(t, NAT_SPII, NAT_SPIR, 500);
    ike(&m, 5, 2, IKD_X2_INFORMATIONAL, FALSE, FALSE, NAT_SPII, NAT_SPIR, 0, 105);
    m.encrypted = m.decrypted = 1;
    notify(&m, IKD_N_REDIRECT, REDIRECT_IPV4_21, sizeof REDIRECT_IPV4_21);
    f = ikd_test_only_finding(ikd_test_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_REDIRECT);
    g_assert_nonnull(strstr(f->message, "INFORMATIONAL request on the established IKE SA, frame 5"));
    ikd_diag_finish(t);
    g_assert_false(f->failure);
    g_assert_nonnull(strstr(f->message, "no IKE_SA_INIT to the new gateway follows in the capture"));
    g_assert_cmpint(ikd_tracker_sas(ikd_diag_tracker(t))->outcome, !=, IKD_OUTCOME_FAILED);
    ikd_diag_free(t);
}

/* The REDIRECT is not in the capture (taken near the new gateway): the
 * follower is still told, and so is its failure. */
static void
test_redirected_from_only(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_frame_info *fi = NULL;
    const ikd_finding *f;
    ikd_msg m;

    /* sent four times, never answered */
    for (guint32 frame = 1; frame <= 4; frame++) {
        ike(&m, frame, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, SPI_C, ZERO, 0, 101);
        set_addr(&m.dst, 203, 0, 113, 21);
        notify(&m, IKD_N_REDIRECTED_FROM, FROM_203_0_113_20, sizeof FROM_203_0_113_20);
        fi = ikd_test_add(t, &m);
        if (frame == 1) {
            f = ikd_test_only_finding(fi);
            g_assert_cmpint(f->cause, ==, IKD_CAUSE_REDIRECT);
            g_assert_nonnull(strstr(f->message, "whose REDIRECT is not in the capture"));
        }
    }
    f = ikd_test_only_finding(fi);
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_NO_RESPONSE);
    g_assert_nonnull(strstr(f->message, "; this IKE SA follows a redirect from 203.0.113.20 "
                                        "(N(REDIRECTED_FROM) in frame 1)"));
    g_assert_true(ikd_test_has_evidence(f, 1));
    ikd_diag_free(t);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/redirect/init", test_redirect_init);
    g_test_add_func("/redirect/identities", test_redirect_identities);
    g_test_add_func("/redirect/nothing-follows", test_redirect_nothing_follows);
    g_test_add_func("/redirect/redirected-from-only", test_redirected_from_only);
    return g_test_run();
}
