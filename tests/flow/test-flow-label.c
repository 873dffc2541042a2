/* test-flow-label.c
 * The flow graph's arrow labels (ikd_flow_label, ikd_message_label in
 * plugin/flow.c) in full: tshark's text graph shows only their first 20
 * characters, so tests/flow/test-flow.py cannot see the end of
 * "INFORMATIONAL response" or of "IKE_AUTH response [psk-mismatch]".
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <glib.h>

#include "flow.h"
#include "core/model.h"
#include "core/causes.h"

static void
check_label(guint8 version, guint8 exch, ikd_role role, guint8 p1, guint8 qm,
            const ikd_finding *f, const char *want)
{
    char *got = ikd_flow_label(version, exch, role, p1, qm, f);

    g_assert_cmpstr(got, ==, want);
    g_free(got);
}

static void
test_labels(void)
{
    ikd_finding psk = { 0 }, nat = { 0 }, again = { 0 }, noresp = { 0 };
    char buf[16];

    psk.cause = IKD_CAUSE_PSK_MISMATCH;
    nat.cause = IKD_CAUSE_NAT_DETECTED;
    again.cause = IKD_CAUSE_PSK_MISMATCH;   /* the same cause twice: one tag */
    psk.next_on_frame = &nat;
    nat.next_on_frame = &again;
    noresp.cause = IKD_CAUSE_NO_RESPONSE;

    check_label(2, IKD_X2_IKE_SA_INIT, IKD_ROLE_REQUEST, 0, 0, NULL, "IKE_SA_INIT request");
    check_label(2, IKD_X2_INFORMATIONAL, IKD_ROLE_RESPONSE, 0, 0, NULL, "INFORMATIONAL response");
    check_label(2, IKD_X2_IKE_AUTH, IKD_ROLE_RESPONSE, 0, 0, &psk,
                "IKE_AUTH response [psk-mismatch] [nat-detected]");
    check_label(2, IKD_X2_CREATE_CHILD_SA, IKD_ROLE_REQUEST, 0, 0, NULL, "CREATE_CHILD_SA request");
    check_label(1, IKD_X1_MAIN, IKD_ROLE_REQUEST, 5, 0, NULL, "MM5");
    check_label(1, IKD_X1_AGGRESSIVE, IKD_ROLE_FINAL, 3, 0, NULL, "AM3");
    check_label(1, IKD_X1_QUICK, IKD_ROLE_RESPONSE, 0, 2, NULL, "QM2");
    check_label(1, IKD_X1_INFORMATIONAL, IKD_ROLE_ONEWAY, 0, 0, NULL, "Informational");
    check_label(2, IKD_X2_IKE_SA_INIT, IKD_ROLE_ICMP, 0, 0, &noresp, "ICMP (IKE_SA_INIT) [no-response]");
    check_label(0, 0, IKD_ROLE_ICMP, 0, 0, NULL, "ICMP error");
    check_label(2, IKD_X2_IKE_AUTH, IKD_ROLE_IP_FRAGMENT, 0, 0, NULL, "IP fragment (IKE_AUTH)");
    /* ESP is drawn once per SPI and direction, not by this function. */
    check_label(2, 0, IKD_ROLE_ESP, 0, 0, NULL, NULL);
    /* A frame of no exchange gets an arrow only for a finding. */
    check_label(0, 0, IKD_ROLE_NONE, 0, 0, NULL, NULL);
    check_label(0, 0, IKD_ROLE_NONE, 0, 0, &noresp, "IKE [no-response]");

    /* ikediag.message (the tree) says the same as before the move. */
    g_assert_cmpstr(ikd_message_label(IKD_X1_MAIN, IKD_ROLE_RESPONSE, 6, 0, buf, sizeof buf), ==, "MM6");
    g_assert_cmpstr(ikd_message_label(IKD_X2_IKE_AUTH, IKD_ROLE_REQUEST, 0, 0, buf, sizeof buf), ==, "request");
    g_assert_cmpstr(ikd_message_label(0, IKD_ROLE_REQUEST, 0, 0, buf, sizeof buf), ==, "");
    g_assert_cmpstr(ikd_message_label(0, IKD_ROLE_ESP, 0, 0, buf, sizeof buf), ==, "ESP");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/flow/labels", test_labels);
    return g_test_run();
}
