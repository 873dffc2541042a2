/* test-rules-notify.c
 * The notify-error fallback (rules_notify.c): an error notify no specific
 * rule explains is reported, named, with who sent it in answer to what; one
 * a specific rule explains, or that repeats or echoes an explained failure,
 * is not.  Messages are hand-made ikd_msg values (no Wireshark); the real
 * capture is test-captures/ikev2-vip-pool-exhausted-ss6-ss6.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include <glib.h>

#include "ikd-test.h"
#include "core/diagnose.h"
#include "core/rules.h"
#include "core/names.h"
#include "core/causes.h"

static const guint8 SPII[8] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };
static const guint8 SPIR[8] = { 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x01 };
static const guint8 SPIR2[8] = { 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09 };
static const guint8 ZERO[8];

static void
ike(ikd_msg *m, guint32 frame, guint8 version, guint8 exch, gboolean from_init, gboolean response,
    const guint8 *ispi, const guint8 *rspi, guint32 msgid, guint64 hash)
{
    ikd_test_ike(m, frame, version, exch, from_init, response, ispi, rspi, msgid, hash, 1700000000, NULL);
}





/* IKE_SA_INIT, frames 1 and 2. */
static void
v2_init(ikd_diag *t)
{
    ikd_msg m;
    ike(&m, 1, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, SPII, ZERO, 0, 101);
    m.has_sa = m.has_ke = 1;
    g_assert_null(ikd_test_add(t, &m)->findings);
    ike(&m, 2, 2, IKD_X2_IKE_SA_INIT, FALSE, TRUE, SPII, SPIR, 0, 102);
    m.has_sa = m.has_ke = 1;
    g_assert_null(ikd_test_add(t, &m)->findings);
}

/* ... and a healthy IKE_AUTH, frames 3 and 4: the IKE SA is up. */
static void
v2_up(ikd_diag *t)
{
    ikd_msg m;
    v2_init(t);
    ike(&m, 3, 2, IKD_X2_IKE_AUTH, TRUE, FALSE, SPII, SPIR, 1, 103);
    m.has_auth = m.has_sa = 1;
    g_assert_null(ikd_test_add(t, &m)->findings);
    ike(&m, 4, 2, IKD_X2_IKE_AUTH, FALSE, TRUE, SPII, SPIR, 1, 104);
    m.has_auth = m.has_sa = 1;
    g_assert_null(ikd_test_add(t, &m)->findings);
}

/* As ikev2-vip-pool-exhausted-ss6-ss6 frames 5-8: the initiator asks for a
 * virtual IP (CP), the responder authenticates but its pool is full. */
static void
test_internal_address_failure(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    const ikd_finding *f;

    v2_init(t);
    ike(&m, 3, 2, IKD_X2_IKE_AUTH, TRUE, FALSE, SPII, SPIR, 1, 103);
    m.has_auth = m.has_sa = m.has_cp = 1;
    m.encrypted = m.decrypted = 1;
    g_assert_null(ikd_test_add(t, &m)->findings);
    ike(&m, 4, 2, IKD_X2_IKE_AUTH, FALSE, TRUE, SPII, SPIR, 1, 104);
    m.has_auth = 1;
    m.encrypted = m.decrypted = 1;
    ikd_test_notify(&m, IKD_N_INTERNAL_ADDRESS_FAILURE, NULL, 0);
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

    v2_up(t);
    ike(&m, 5, 2, IKD_X2_CREATE_CHILD_SA, FALSE, FALSE, SPII, SPIR, 0, 105);   /* responder rekeys */
    m.has_sa = m.has_nonce = 1;
    ikd_test_notify(&m, IKD_N_REKEY_SA, NULL, 0);
    g_assert_null(ikd_test_add(t, &m)->findings);
    ike(&m, 6, 2, IKD_X2_CREATE_CHILD_SA, TRUE, TRUE, SPII, SPIR, 0, 106);
    ikd_test_notify(&m, IKD_N_TEMPORARY_FAILURE, NULL, 0);
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

    v2_up(t);
    ike(&m, 5, 2, IKD_X2_INFORMATIONAL, FALSE, FALSE, SPII, SPIR, 0, 105);
    ikd_test_notify(&m, 7, NULL, 0);
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

    ike(&m, 1, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, SPII, ZERO, 0, 101);
    m.has_sa = m.has_ke = 1;
    ikd_test_add(t, &m);
    ike(&m, 2, 2, IKD_X2_IKE_SA_INIT, FALSE, TRUE, SPII, ZERO, 0, 102);
    ikd_test_notify(&m, IKD_N_NO_PROPOSAL_CHOSEN, NULL, 0);
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
        ike(&m, frame, 1, IKD_X1_MAIN, TRUE, FALSE, SPII, ZERO, 0, 101);
        m.has_sa = 1;
        ikd_test_add(t, &m);
        ike(&m, frame + 1, 1, IKD_X1_INFORMATIONAL, FALSE, FALSE, SPII, frame == 1 ? SPIR : SPIR2,
            0x1000 + frame, 200 + frame);
        ikd_test_notify(&m, IKD_N_NO_PROPOSAL_CHOSEN, NULL, 0);
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

    v2_init(t);
    ike(&m, 3, 2, IKD_X2_IKE_AUTH, TRUE, FALSE, SPII, SPIR, 1, 103);
    m.has_auth = m.has_sa = 1;
    m.encrypted = m.decrypted = 1;
    ikd_test_add(t, &m);
    ike(&m, 4, 2, IKD_X2_IKE_AUTH, FALSE, TRUE, SPII, SPIR, 1, 104);
    m.encrypted = m.decrypted = 1;
    ikd_test_notify(&m, IKD_N_AUTHENTICATION_FAILED, NULL, 0);
    g_assert_nonnull(ikd_test_add(t, &m)->findings);
    ike(&m, 5, 2, IKD_X2_INFORMATIONAL, TRUE, FALSE, SPII, SPIR, 2, 105);
    m.encrypted = m.decrypted = 1;
    ikd_test_notify(&m, IKD_N_AUTHENTICATION_FAILED, NULL, 0);
    g_assert_null(ikd_test_add(t, &m)->findings);
    ikd_diag_finish(t);
    g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_NOTIFY_ERROR), ==, 0);
    ikd_diag_free(t);
}

/* The other finding of the virtual IP capture, in rules_selectors.c: with a
 * virtual IP the initiator offers TSi 0.0.0.0/0 and the responder narrows it
 * to the address it assigns; that is no ts-narrowed note.  Without a CP in
 * the answer the same narrowing is one. */
static void
ts_set(ikd_msg *m, gboolean initiator_side, guint8 a0, guint8 a1, guint8 a2, guint8 a3,
       guint8 b0, guint8 b1, guint8 b2, guint8 b3)
{
    ikd_ts *ts = &m->ts[m->n_ts++];
    memset(ts, 0, sizeof *ts);
    ts->initiator_side = initiator_side;
    ts->end_port = 65535;
    ikd_test_addr(&ts->start, a0, a1, a2, a3);
    ikd_test_addr(&ts->end, b0, b1, b2, b3);
}

static void
test_vip_is_not_narrowing(void)
{
    for (int cp = 0; cp < 2; cp++) {
        ikd_diag *t = ikd_diag_new(NULL);
        ikd_msg m;
        ikd_frame_info *fi;

        v2_init(t);
        ike(&m, 3, 2, IKD_X2_IKE_AUTH, TRUE, FALSE, SPII, SPIR, 1, 103);
        m.has_auth = m.has_sa = 1;
        m.has_cp = cp;
        ts_set(&m, TRUE, 0, 0, 0, 0, 255, 255, 255, 255);
        ts_set(&m, FALSE, 192, 0, 2, 128, 192, 0, 2, 143);
        ikd_test_add(t, &m);
        ike(&m, 4, 2, IKD_X2_IKE_AUTH, FALSE, TRUE, SPII, SPIR, 1, 104);
        m.has_auth = m.has_sa = 1;
        m.has_cp = cp;
        ts_set(&m, TRUE, 192, 0, 2, 66, 192, 0, 2, 66);
        ts_set(&m, FALSE, 192, 0, 2, 128, 192, 0, 2, 143);
        fi = ikd_test_add(t, &m);
        if (cp)
            g_assert_null(fi->findings);
        else
            g_assert_cmpint(ikd_test_only_finding(fi)->cause, ==, IKD_CAUSE_TS_NARROWED);
        ikd_diag_free(t);
    }
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
    g_test_add_func("/selectors/vip-is-not-narrowing", test_vip_is_not_narrowing);
    return g_test_run();
}
