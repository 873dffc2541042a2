/* test-rules-selectors.c
 * Unit test of plugin/core/rules_selectors.c: a responder that narrows
 * the traffic selectors to the virtual IP it assigns (the other finding of
 * test-captures/ikev2-vip-pool-exhausted-ss6-ss6) says no ts-narrowed; the
 * same narrowing without a CP is one.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include <glib.h>

#include "ikd-test.h"
#include "core/causes.h"

/* The other finding of the virtual IP capture, in rules_selectors.c: with a
 * virtual IP the initiator offers TSi 0.0.0.0/0 and the responder narrows it
 * to the address it assigns; that is no ts-narrowed note.  Without a CP in
 * the answer the same narrowing is one. */
static void
ts_set(ikd_msg *m, gboolean initiator_side, guint8 a0, guint8 a1, guint8 a2, guint8 a3,
       guint8 b0, guint8 b1, guint8 b2, guint8 b3)
{
    ikd_ts *ts = &IKD_TS(m)[m->n_ts++];
    memset(ts, 0, sizeof *ts);
    ts->initiator_side = initiator_side;
    ts->end_port = 65535;
    set_addr(&ts->start, a0, a1, a2, a3);
    set_addr(&ts->end, b0, b1, b2, b3);
}

static void
test_vip_is_not_narrowing(void)
{
    for (int cp = 0; cp < 2; cp++) {
        ikd_diag *t = ikd_diag_new(NULL);
        ikd_msg m;
        ikd_frame_info *fi;

        v2_init(t, 1, SPI_A, SPI_B, 0);
        ike(&m, 3, 2, IKD_X2_IKE_AUTH, TRUE, FALSE, SPI_A, SPI_B, 1, 103);
        m.has_auth = m.has_sa = 1;
        m.has_cp = cp;
        ts_set(&m, TRUE, 0, 0, 0, 0, 255, 255, 255, 255);
        ts_set(&m, FALSE, 192, 0, 2, 128, 192, 0, 2, 143);
        ikd_test_add(t, &m);
        ike(&m, 4, 2, IKD_X2_IKE_AUTH, FALSE, TRUE, SPI_A, SPI_B, 1, 104);
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

/* The silent selector refusal (issue 14): the responder answers the child
 * SA's selectors with others outside them, no TS_UNACCEPTABLE, and the
 * initiator deletes that child SA at once.  No Debian daemon answers so
 * (docs/captures.md), hence a unit test only. */
static void
test_outside_then_deleted(void)
{
    for (int del = 0; del < 2; del++) {
        ikd_diag *t = ikd_diag_new(NULL);
        ikd_msg m;
        ikd_frame_info *fi;
        const ikd_finding *f;

        v2_init(t, 1, SPI_A, SPI_B, 0);
        ike(&m, 3, 2, IKD_X2_IKE_AUTH, TRUE, FALSE, SPI_A, SPI_B, 1, 103);
        m.has_auth = m.has_sa = 1;
        prop(&m, IKD_PROTO_ESP)->spi = 0xc0000001;
        ts_set(&m, TRUE, 192, 0, 2, 1, 192, 0, 2, 1);
        ts_set(&m, FALSE, 192, 0, 2, 128, 192, 0, 2, 143);
        ikd_test_add(t, &m);
        ike(&m, 4, 2, IKD_X2_IKE_AUTH, FALSE, TRUE, SPI_A, SPI_B, 1, 104);
        m.has_auth = m.has_sa = 1;
        prop(&m, IKD_PROTO_ESP)->spi = 0xc0000002;
        ts_set(&m, TRUE, 192, 0, 2, 1, 192, 0, 2, 1);
        ts_set(&m, FALSE, 198, 51, 100, 0, 198, 51, 100, 255);    /* not what was asked */
        g_assert_null(ikd_test_add(t, &m)->findings);
        ike(&m, 5, 2, IKD_X2_INFORMATIONAL, TRUE, FALSE, SPI_A, SPI_B, 2, 105);
        m.has_delete = 1;
        m.n_delete = 1;
        m.del[0].protocol = del ? IKD_PROTO_ESP : IKD_PROTO_IKE;
        m.del[0].spi_len = del ? 4 : 0;
        m.del[0].n_spi = 1;
        memcpy(m.del[0].first_spi, (const guint8[]){ 0xc0, 0, 0, 2 }, 4);
        fi = ikd_test_add(t, &m);
        if (!del) {
            g_assert_null(fi->findings);    /* an IKE SA delete is no refusal of the child */
        } else {
            f = ikd_test_only_finding(fi);
            g_assert_cmpint(f->cause, ==, IKD_CAUSE_TS_MISMATCH);
            g_assert_true(f->failure);
            g_assert_true(ikd_test_has_evidence(f, 3));
            g_assert_true(ikd_test_has_evidence(f, 4));
            g_assert_nonnull(strstr(f->message, "outside them"));
            g_assert_nonnull(strstr(f->message, "0xc0000002"));
            g_assert_nonnull(strstr(f->chosen, "198.51.100.0/24"));
        }
        ikd_diag_free(t);
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/selectors/vip-is-not-narrowing", test_vip_is_not_narrowing);
    g_test_add_func("/selectors/outside-then-deleted", test_outside_then_deleted);
    return g_test_run();
}
