/* test-rules-xauth.c
 * Unit tests of plugin/core/rules_xauth.c: XAUTH status FAIL, the
 * gateway's XAUTH request never answered (xauth-failed instead of
 * no-response), a Mode Config reply without an address (modecfg-failed).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include <glib.h>

#include "ikd-test.h"
#include "core/causes.h"

/* Aggressive Mode 1-3 with a PSK (frames 1-3): phase 1 is up. */
static ikd_diag *
phase1(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;

    ike(&m, 1, 1, IKD_X1_AGGRESSIVE, TRUE, FALSE, SPI_A, ZERO, 0, 4001);
    ike_proposal(&m, 1);
    m.has_ke = m.has_nonce = 1;
    ident(&m, TRUE, 11, "lab-group");
    ikd_diag_add(t, &m);
    ike(&m, 2, 1, IKD_X1_AGGRESSIVE, FALSE, TRUE, SPI_A, SPI_B, 0, 4002);
    ike_proposal(&m, 1);
    m.has_ke = m.has_nonce = m.has_hash = 1;
    ikd_diag_add(t, &m);
    ike(&m, 3, 1, IKD_X1_AGGRESSIVE, TRUE, FALSE, SPI_A, SPI_B, 0, 4003);
    m.flags = IKD_FLAG_V1_E;
    m.encrypted = m.decrypted = 1;
    m.has_hash = 1;
    ikd_diag_add(t, &m);
    g_assert_true(ikd_tracker_sas(ikd_diag_tracker(t))->ike_established);
    return t;
}

/* A decrypted Transaction message. */
static void
cfg(ikd_msg *m, guint32 frame, gboolean from_init, guint32 msgid, guint8 type, guint64 hash)
{
    ike(m, frame, 1, IKD_X1_TRANSACTION, from_init, FALSE, SPI_A, SPI_B, msgid, hash);
    m->flags = IKD_FLAG_V1_E;
    m->encrypted = m->decrypted = 1;
    m->has_hash = 1;
    m->cfg_type = type;
}

static void
test_xauth_status_fail(void)
{
    for (int ok = 0; ok < 2; ok++) {
        ikd_diag *t = phase1();
        ikd_msg m;

        cfg(&m, 4, FALSE, 0x11, 1, 5004);          /* CFG_REQUEST user, password */
        m.cfg_xauth = 1;
        ikd_diag_add(t, &m);
        cfg(&m, 5, TRUE, 0x11, 2, 5005);           /* CFG_REPLY alice, password */
        m.cfg_xauth = 1;
        ikd_diag_add(t, &m);
        cfg(&m, 6, FALSE, 0x22, 3, 5006);          /* CFG_SET XAUTH_STATUS */
        m.cfg_xauth = 1;
        m.xauth_status = ok ? 2 : 1;
        ikd_frame_info *fi = ikd_diag_add(t, &m);
        if (ok) {
            g_assert_null(fi->findings);
        } else {
            const ikd_finding *f = ikd_test_only_finding(fi);
            g_assert_cmpint(f->cause, ==, IKD_CAUSE_XAUTH_FAILED);
            g_assert_true(f->failure);
            g_assert_true(ikd_test_has_evidence(f, 5));
            g_assert_nonnull(strstr(f->message, "XAUTH_STATUS FAIL after the client's CFG_REPLY"));
            g_assert_nonnull(strstr(f->hint, "authentication-server-group"));
        }
        ikd_diag_free(t);
    }
}

/* The gateway's XAUTH request sent four times and never answered: one
 * xauth-failed at the threshold, no no-response; readable or not. */
static void
test_xauth_unanswered(void)
{
    for (int readable = 0; readable < 2; readable++) {
        ikd_diag *t = phase1();
        ikd_msg m;
        ikd_frame_info *fi = NULL;

        for (guint32 f = 4; f <= 7; f++) {
            cfg(&m, f, FALSE, 0x11, readable ? 1 : 0, 6004);
            m.decrypted = readable;
            m.cfg_xauth = readable;
            fi = ikd_diag_add(t, &m);
        }
        const ikd_finding *f = ikd_test_only_finding(fi);
        g_assert_cmpint(f->cause, ==, IKD_CAUSE_XAUTH_FAILED);
        g_assert_true(f->failure);
        g_assert_true(ikd_test_has_evidence(f, 4));
        g_assert_nonnull(strstr(f->message, "never answered the gateway's XAUTH request of frame 4"));
        g_assert_cmpint(f->possible[0].cause, ==, IKD_CAUSE_NO_RESPONSE);
        g_assert_cmpuint(f->n_possible, ==, readable ? 1 : 2);
        g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_NO_RESPONSE), ==, 0);
        ikd_diag_free(t);
    }
}

/* Mode Config: a reply with an address is fine; one without is not. */
static void
test_modecfg_no_address(void)
{
    for (int addr = 0; addr < 2; addr++) {
        ikd_diag *t = phase1();
        ikd_msg m;

        cfg(&m, 4, TRUE, 0x33, 1, 7004);           /* CFG_REQUEST INTERNAL_IP4_ADDRESS */
        ikd_diag_add(t, &m);
        cfg(&m, 5, FALSE, 0x33, 2, 7005);          /* CFG_REPLY */
        m.cfg_addr = addr;
        ikd_frame_info *fi = ikd_diag_add(t, &m);
        if (addr) {
            g_assert_null(fi->findings);
        } else {
            const ikd_finding *f = ikd_test_only_finding(fi);
            g_assert_cmpint(f->cause, ==, IKD_CAUSE_MODECFG_FAILED);
            g_assert_true(f->failure);
            g_assert_true(ikd_test_has_evidence(f, 4));
            g_assert_nonnull(strstr(f->message, "request of frame 4"));
            g_assert_nonnull(strstr(f->hint, "crypto isakmp client configuration group"));
        }
        ikd_diag_free(t);
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/xauth/status-fail", test_xauth_status_fail);
    g_test_add_func("/xauth/unanswered", test_xauth_unanswered);
    g_test_add_func("/xauth/modecfg-no-address", test_modecfg_no_address);
    return g_test_run();
}
