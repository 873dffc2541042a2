/* test-rules-liveness.c
 * Unit tests of plugin/core/rules_liveness.c: dpd-unanswered (IKEv2 empty
 * INFORMATIONAL, IKEv1 R-U-THERE), peer-unresponsive, quick-mode-incomplete,
 * sa-deleted and cookie-challenge, each on the frame where it becomes
 * evident, and silence when the peer answers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include <glib.h>

#include "ikd-test.h"
#include "core/causes.h"

static void
test_dpd_v2(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    ikd_frame_info *fi = NULL;
    const ikd_finding *f;

    /* As ikev2-dpd-fail-ss6-ss6: up, ESP both ways, then an empty
     * INFORMATIONAL sent 4 times. */
    v2_up(t, NAT_SPII, NAT_SPIR, 500);
    esp(&m, 5, TRUE, FALSE);
    ikd_test_add(t, &m);
    esp(&m, 6, FALSE, FALSE);
    ikd_test_add(t, &m);
    for (guint32 frame = 7; frame <= 10; frame++) {
        ike(&m, frame, 2, IKD_X2_INFORMATIONAL, TRUE, FALSE, NAT_SPII, NAT_SPIR, 2, 107);
        m.encrypted = m.decrypted = 1;
        m.content_len = 80;
        fi = ikd_test_add(t, &m);
        if (frame < 10)
            g_assert_null(fi->findings);
    }
    f = ikd_test_only_finding(fi);
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_DPD_UNANSWERED);
    g_assert_true(f->failure);
    g_assert_true(ikd_test_has_evidence(f, 7));
    g_assert_true(ikd_test_has_evidence(f, 6));      /* last heard */
    g_assert_nonnull(strstr(f->message, "last heard in frame 6"));
    g_assert_nonnull(strstr(f->hint, "dpd_action"));
    ikd_diag_finish(t);
    g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_NO_RESPONSE), ==, 0);
    ikd_diag_free(t);

    /* An answered liveness check is silent; an INFORMATIONAL that carries
     * a Delete is no liveness check: the peer that answered the first one
     * stopped answering (peer-unresponsive). */
    t = ikd_diag_new(NULL);
    v2_up(t, NAT_SPII, NAT_SPIR, 500);
    ike(&m, 5, 2, IKD_X2_INFORMATIONAL, TRUE, FALSE, NAT_SPII, NAT_SPIR, 2, 105);
    ikd_test_add(t, &m);
    ike(&m, 6, 2, IKD_X2_INFORMATIONAL, FALSE, TRUE, NAT_SPII, NAT_SPIR, 2, 106);
    g_assert_null(ikd_test_add(t, &m)->findings);
    for (guint32 frame = 7; frame <= 10; frame++) {
        ike(&m, frame, 2, IKD_X2_INFORMATIONAL, TRUE, FALSE, NAT_SPII, NAT_SPIR, 3, 107);
        m.n_delete = 1;
        m.has_delete = 1;
        m.del[0].protocol = IKD_PROTO_IKE;
        fi = ikd_test_add(t, &m);
    }
    f = ikd_test_only_finding(fi);
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_PEER_UNRESPONSIVE);
    g_assert_true(f->failure);
    g_assert_true(ikd_test_has_evidence(f, 7));
    g_assert_true(ikd_test_has_evidence(f, 6));      /* last heard */
    g_assert_nonnull(strstr(f->message, "INFORMATIONAL request of frame 7"));
    g_assert_nonnull(strstr(f->message, "last heard in frame 6"));
    g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_DPD_UNANSWERED), ==, 0);
    g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_NO_RESPONSE), ==, 0);
    ikd_diag_free(t);
}

/* A CHILD SA request the peer leaves unanswered: a live peer that fails
 * to set the SA up locally may stay silent (ikev1-psk-esp-install-fails-
 * ss6-ls), so that alone is a no-response; when the peer's ESP, flowing
 * before, stopped too, the peer stopped answering. */
static void
test_peer_unresponsive_child(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    ikd_frame_info *fi = NULL;
    const ikd_finding *f;

    v2_up(t, NAT_SPII, NAT_SPIR, 500);
    for (guint32 frame = 5; frame <= 8; frame++) {
        ike(&m, frame, 2, IKD_X2_CREATE_CHILD_SA, TRUE, FALSE, NAT_SPII, NAT_SPIR, 2, 105);
        m.encrypted = 1;
        m.content_len = 400;
        fi = ikd_test_add(t, &m);
    }
    g_assert_cmpint(ikd_test_only_finding(fi)->cause, ==, IKD_CAUSE_NO_RESPONSE);
    ikd_diag_free(t);

    t = ikd_diag_new(NULL);
    v2_up(t, NAT_SPII, NAT_SPIR, 500);
    esp(&m, 5, TRUE, FALSE);
    ikd_test_add(t, &m);
    esp(&m, 6, FALSE, FALSE);
    ikd_test_add(t, &m);
    for (guint32 frame = 7; frame <= 10; frame++) {
        ike(&m, frame, 2, IKD_X2_CREATE_CHILD_SA, TRUE, FALSE, NAT_SPII, NAT_SPIR, 2, 107);
        m.encrypted = 1;
        m.content_len = 400;
        fi = ikd_test_add(t, &m);
        if (frame < 10)
            g_assert_null(fi->findings);
    }
    f = ikd_test_only_finding(fi);
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_PEER_UNRESPONSIVE);
    g_assert_nonnull(strstr(f->message, "CREATE_CHILD_SA request of frame 7"));
    g_assert_nonnull(strstr(f->message, "its ESP stopped after frame 6"));
    g_assert_true(ikd_test_has_evidence(f, 6));
    ikd_diag_finish(t);
    g_assert_cmpuint(ikd_test_count_all(t), ==, 1);
    ikd_diag_free(t);

    /* Sent twice, then the capture ends: said with -2 only. */
    t = ikd_diag_new(NULL);
    v2_up(t, NAT_SPII, NAT_SPIR, 500);
    esp(&m, 5, FALSE, FALSE);
    ikd_test_add(t, &m);
    for (guint32 frame = 6; frame <= 7; frame++) {
        ike(&m, frame, 2, IKD_X2_CREATE_CHILD_SA, TRUE, FALSE, NAT_SPII, NAT_SPIR, 2, 106);
        m.encrypted = 1;
        m.content_len = 400;
        g_assert_null(ikd_test_add(t, &m)->findings);
    }
    ikd_diag_finish(t);
    f = ikd_test_only_finding(ikd_diag_lookup(t, 7));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_PEER_UNRESPONSIVE);
    g_assert_nonnull(strstr(f->message, "before the capture ended"));
    ikd_diag_free(t);
}

static void
zero_time(ikd_msg *m)
{
    m->ts_sec = 0;
    m->ts_nsec = 0;
}

static void
v1_up(ikd_diag *t)
{
    ikd_msg m;
    for (guint32 frame = 1; frame <= 6; frame++) {
        ike(&m, frame, 1, IKD_X1_MAIN, frame % 2, FALSE, V1_CKYI, frame == 1 ? ZERO : V1_CKYR, 0, 300 + frame);
        ikd_test_add(t, &m);
    }
}

static void
r_u_there(ikd_msg *m, guint32 frame, gboolean from_init, guint16 type, guint32 seq)
{
    guint8 data[4] = { (guint8)(seq >> 24), (guint8)(seq >> 16), (guint8)(seq >> 8), (guint8)seq };
    ike(m, frame, 1, IKD_X1_INFORMATIONAL, from_init, FALSE, V1_CKYI, V1_CKYR, 0x1000 + frame, 400 + frame);
    m->flags |= IKD_FLAG_V1_E;
    m->encrypted = m->decrypted = 1;
    notify(m, type, data, 4);
}

static void
test_dpd_v1(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    const ikd_finding *f;

    /* answered: nothing */
    v1_up(t);
    r_u_there(&m, 7, TRUE, IKD_N_V1_R_U_THERE, 1);
    g_assert_null(ikd_test_add(t, &m)->findings);
    r_u_there(&m, 8, FALSE, IKD_N_V1_R_U_THERE_ACK, 1);
    g_assert_null(ikd_test_add(t, &m)->findings);
    r_u_there(&m, 9, TRUE, IKD_N_V1_R_U_THERE, 2);
    g_assert_null(ikd_test_add(t, &m)->findings);
    r_u_there(&m, 10, FALSE, IKD_N_V1_R_U_THERE_ACK, 2);
    g_assert_null(ikd_test_add(t, &m)->findings);
    /* then twice without an ACK */
    r_u_there(&m, 11, TRUE, IKD_N_V1_R_U_THERE, 3);
    g_assert_null(ikd_test_add(t, &m)->findings);
    r_u_there(&m, 12, TRUE, IKD_N_V1_R_U_THERE, 4);
    f = ikd_test_only_finding(ikd_test_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_DPD_UNANSWERED);
    g_assert_true(f->failure);
    g_assert_true(ikd_test_has_evidence(f, 11));
    g_assert_true(ikd_test_has_evidence(f, 10));
    g_assert_nonnull(strstr(f->message, "frames 11 to 12"));
    g_assert_nonnull(strstr(f->message, "R-U-THERE-ACK"));
    ikd_diag_finish(t);
    g_assert_cmpuint(ikd_test_count_all(t), ==, 1);
    ikd_diag_free(t);
}

/* IKEv1 Quick Mode 1-3 on the SA v1_up() set up (frames 7-9), at the
 * given capture times (microseconds after T0). */
static void
qm_at(ikd_diag *t, ikd_msg *m, guint32 frame, int which, gint64 us)
{
    static const guint64 hash[4] = { 0, 701, 702, 703 };
    ike(m, frame, 1, IKD_X1_QUICK, which != 2, FALSE, V1_CKYI, V1_CKYR, 0x8b7e8947, hash[which]);
    m->flags |= IKD_FLAG_V1_E;
    m->encrypted = m->decrypted = 1;    /* (the rule reads no payload) */
    m->ts_sec = T0 + us / 1000000;
    m->ts_nsec = (gint32)(us % 1000000) * 1000;
    m->content_len = which == 3 ? 52 : 300;
    ikd_test_add(t, m);
}

static void
test_quick_mode_incomplete(void)
{
    ikd_diag *t;
    ikd_msg m;
    ikd_frame_info *fi;
    const ikd_finding *f;
    const gint64 s0 = 10 * G_GINT64_CONSTANT(1000000);

    /* As ikev1-qm3-lost-ss6-ss6: QM2 answers QM1 in 0.3 ms, QM3 follows,
     * the initiator sends ESP, and 1 s later the responder re-sends QM2. */
    t = ikd_diag_new(NULL);
    v1_up(t);
    qm_at(t, &m, 7, 1, s0);
    qm_at(t, &m, 8, 2, s0 + 300);
    qm_at(t, &m, 9, 3, s0 + 700);
    for (guint32 frame = 10; frame <= 12; frame++) {
        esp(&m, frame, TRUE, FALSE);
        m.ts_sec = T0 + 10;
        m.ts_nsec = (gint32)(frame - 9) * 300000000;
        g_assert_null(ikd_test_add(t, &m)->findings);
    }
    qm_at(t, &m, 13, 2, s0 + 1000000);
    fi = ikd_diag_lookup(t, 13);
    f = ikd_test_only_finding(fi);
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_QUICK_MODE_INCOMPLETE);
    g_assert_true(f->failure);
    g_assert_true(ikd_test_has_evidence(f, 9));
    g_assert_true(ikd_test_has_evidence(f, 10));
    g_assert_nonnull(strstr(f->message, "re-sent QM2 (frame 8) in frame 13, 0.999 s after the QM3 of frame 9"));
    g_assert_nonnull(strstr(f->message, "QM2 answered QM1 in 0.3 ms"));
    g_assert_nonnull(strstr(f->message, "SPI 0xb6fad296, frames 10 to 12"));
    g_assert_cmpint(fi->sa->outcome, ==, IKD_OUTCOME_CHILD_FAILED);
    /* the QM3 again, QM2 again: said once */
    qm_at(t, &m, 14, 3, s0 + 1000200);
    qm_at(t, &m, 15, 2, s0 + 2400000);
    g_assert_null(ikd_diag_lookup(t, 15)->findings);
    /* the one-way ESP is its consequence (with -2: 3 packets) */
    ikd_diag_finish(t);
    f = ikd_test_only_finding(ikd_diag_lookup(t, 12));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_ESP_ONE_WAY);
    g_assert_false(f->failure);
    g_assert_nonnull(strstr(f->message, "never completed the Quick Mode (frame 13)"));
    g_assert_true(ikd_test_has_evidence(f, 13));
    g_assert_cmpuint(ikd_test_count_all(t), ==, 2);
    ikd_diag_free(t);

    /* A QM2 retransmission that crossed the QM3 (it comes sooner after it
     * than QM2 came after QM1), and nothing after: no finding. */
    t = ikd_diag_new(NULL);
    v1_up(t);
    qm_at(t, &m, 7, 1, s0);
    qm_at(t, &m, 8, 2, s0 + 500000);
    qm_at(t, &m, 9, 3, s0 + 600000);
    qm_at(t, &m, 10, 2, s0 + 900000);
    g_assert_null(ikd_diag_lookup(t, 10)->findings);
    qm_at(t, &m, 11, 3, s0 + 900100);
    ikd_diag_finish(t);
    g_assert_cmpuint(ikd_test_count_all(t), ==, 0);
    ikd_diag_free(t);

    /* The responder's ESP after QM3 shows it has its SAs: no finding. */
    t = ikd_diag_new(NULL);
    v1_up(t);
    qm_at(t, &m, 7, 1, s0);
    qm_at(t, &m, 8, 2, s0 + 300);
    qm_at(t, &m, 9, 3, s0 + 700);
    esp(&m, 10, FALSE, FALSE);
    ikd_test_add(t, &m);
    qm_at(t, &m, 11, 2, s0 + 3000000);
    g_assert_null(ikd_diag_lookup(t, 11)->findings);
    ikd_diag_free(t);

    /* As td_isakmp4500.pcap: every timestamp 0.  The first re-sent QM2 may
     * have crossed the QM3; after the QM3 sent again in answer to it, a
     * third QM2 tells. */
    t = ikd_diag_new(NULL);
    for (guint32 frame = 1; frame <= 6; frame++) {
        ike(&m, frame, 1, IKD_X1_MAIN, frame % 2, FALSE, V1_CKYI, frame == 1 ? ZERO : V1_CKYR, 0, 300 + frame);
        zero_time(&m);
        ikd_test_add(t, &m);
    }
    qm_at(t, &m, 7, 1, -T0 * G_GINT64_CONSTANT(1000000));
    qm_at(t, &m, 8, 2, -T0 * G_GINT64_CONSTANT(1000000));
    qm_at(t, &m, 9, 3, -T0 * G_GINT64_CONSTANT(1000000));
    qm_at(t, &m, 10, 2, -T0 * G_GINT64_CONSTANT(1000000));
    g_assert_null(ikd_diag_lookup(t, 10)->findings);
    qm_at(t, &m, 11, 3, -T0 * G_GINT64_CONSTANT(1000000));
    qm_at(t, &m, 12, 2, -T0 * G_GINT64_CONSTANT(1000000));
    f = ikd_test_only_finding(ikd_diag_lookup(t, 12));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_QUICK_MODE_INCOMPLETE);
    g_assert_nonnull(strstr(f->message, "had sent QM3 2 times (frames 9 to 11)"));
    g_assert_nonnull(strstr(f->message, "timestamps do not advance"));
    ikd_diag_free(t);
}

static void
test_sa_deleted(void)
{
    ikd_config cfg;
    ikd_diag *t;
    ikd_msg m;
    const ikd_finding *f;

    /* Off by default: every healthy tunnel ends with a Delete. */
    t = ikd_diag_new(NULL);
    v2_up(t, NAT_SPII, NAT_SPIR, 500);
    ike(&m, 5, 2, IKD_X2_INFORMATIONAL, TRUE, FALSE, NAT_SPII, NAT_SPIR, 2, 105);
    m.n_delete = 1;
    m.has_delete = 1;
    m.del[0].protocol = IKD_PROTO_IKE;
    g_assert_null(ikd_test_add(t, &m)->findings);
    ikd_diag_free(t);

    ikd_config_defaults(&cfg);
    cfg.report_deletes = TRUE;
    t = ikd_diag_new(&cfg);
    v2_up(t, NAT_SPII, NAT_SPIR, 500);
    ike(&m, 5, 2, IKD_X2_INFORMATIONAL, FALSE, FALSE, NAT_SPII, NAT_SPIR, 0, 105);
    m.n_delete = 2;
    m.has_delete = 1;
    m.del[0].protocol = IKD_PROTO_ESP;
    m.del[0].spi_len = 4;
    m.del[0].n_spi = 1;
    memcpy(m.del[0].first_spi, "\xc0\xff\xee\x01", 4);
    m.del[1].protocol = IKD_PROTO_IKE;
    f = ikd_test_only_finding(ikd_test_add(t, &m));           /* one finding for the message */
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_SA_DELETED);
    g_assert_false(f->failure);
    g_assert_cmpstr(f->message, ==, "The responder 203.0.113.20 deletes ESP SA with SPI 0xc0ffee01 and "
                    "the IKE SA (6b9fdb3f4e83e38e/800a640dceb32bd1) in frame 5: the tunnel is torn "
                    "down (administrator, lifetime or DPD)");
    g_assert_nonnull(f->hint);
    ikd_diag_free(t);
}

static void
test_cookie(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    const ikd_finding *f;
    static const guint8 cookie[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

    ike(&m, 1, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, NAT_SPII, ZERO, 0, 101);
    ikd_test_add(t, &m);
    ike(&m, 2, 2, IKD_X2_IKE_SA_INIT, FALSE, TRUE, NAT_SPII, ZERO, 0, 102);
    notify(&m, IKD_N_COOKIE, cookie, 8);
    f = ikd_test_only_finding(ikd_test_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_COOKIE_CHALLENGE);
    g_assert_false(f->failure);
    g_assert_true(ikd_test_has_evidence(f, 1));
    g_assert_nonnull(strstr(f->message, "frame 1 with a COOKIE"));
    g_assert_nonnull(strstr(f->hint, "cookie_threshold"));
    /* the retry with the cookie, answered: nothing more */
    ike(&m, 3, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, NAT_SPII, ZERO, 0, 103);
    notify(&m, IKD_N_COOKIE, cookie, 8);
    g_assert_null(ikd_test_add(t, &m)->findings);
    ike(&m, 4, 2, IKD_X2_IKE_SA_INIT, FALSE, TRUE, NAT_SPII, NAT_SPIR, 0, 104);
    g_assert_null(ikd_test_add(t, &m)->findings);
    ikd_diag_free(t);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/liveness/dpd-v2", test_dpd_v2);
    g_test_add_func("/liveness/dpd-v1", test_dpd_v1);
    g_test_add_func("/liveness/peer-unresponsive-child", test_peer_unresponsive_child);
    g_test_add_func("/liveness/quick-mode-incomplete", test_quick_mode_incomplete);
    g_test_add_func("/liveness/sa-deleted", test_sa_deleted);
    g_test_add_func("/liveness/cookie", test_cookie);
    return g_test_run();
}
