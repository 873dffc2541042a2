/* test-rules-auth.c
 * Unit tests of plugin/core/rules_auth.c: authentication refusals explained
 * by the pre-shared key, the identities or EAP (psk-mismatch, id-mismatch,
 * auth-failed); hand-built ikd_msg values shaped like what the lab's
 * strongSwan and libreswan peers put on the wire.  The tests assert the
 * cause, the frame that carries it, its evidence and the words of its
 * message.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include <glib.h>

#include "ikd-test.h"
#include "core/causes.h"

/* ---------------------------------------------------------------- IKEv2 */

static void
test_v2_psk_mismatch(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    const ikd_finding *f;

    v2_init(t, 1, SPI_A, SPI_B, 0);
    v2_auth_request(&m, 3, SPI_A, SPI_B, "initiator.example", "responder.example", 2);
    g_assert_null(ikd_diag_add(t, &m)->findings);
    v2_auth_failed(&m, 4, SPI_A, SPI_B);
    f = ikd_test_only_finding(ikd_diag_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_PSK_MISMATCH);
    g_assert_true(f->failure);
    g_assert_cmpuint(f->frame, ==, 4);
    g_assert_true(ikd_test_has_evidence(f, 3));
    g_assert_nonnull(strstr(f->message, "Responder 203.0.113.20"));
    g_assert_nonnull(strstr(f->message, "\"initiator.example\""));
    g_assert_nonnull(strstr(f->message, "AUTH in frame 3"));
    g_assert_cmpstr(f->offered, ==, "initiator.example");
    g_assert_nonnull(strstr(f->hint, "swanctl.conf"));
    g_assert_nonnull(strstr(f->hint, "ipsec.secrets"));
    g_assert_nonnull(strstr(f->hint, "Cisco"));
    ikd_diag_free(t);
}

/* EAP (RFC 7296 2.16): the first IKE_AUTH request has no AUTH; the AUTH
 * after EAP is method 2 over the MSK, which is no configured PSK. */
static void
test_v2_eap_failed(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    const ikd_finding *f;

    v2_init(t, 1, SPI_A, SPI_B, 0);
    ike(&m, 3, 2, IKD_X2_IKE_AUTH, TRUE, FALSE, SPI_A, SPI_B, 1, 303);
    m.encrypted = m.decrypted = 1;
    ident(&m, TRUE, 2, "carol@example");
    ikd_diag_add(t, &m);
    ike(&m, 4, 2, IKD_X2_IKE_AUTH, FALSE, TRUE, SPI_A, SPI_B, 1, 404);
    m.encrypted = m.decrypted = 1;
    ident(&m, FALSE, 2, "responder.example");
    m.has_auth = 1;
    m.auth_method = 14;
    m.has_eap = 1;
    ikd_diag_add(t, &m);
    ike(&m, 5, 2, IKD_X2_IKE_AUTH, TRUE, FALSE, SPI_A, SPI_B, 2, 505);
    m.encrypted = m.decrypted = 1;
    m.has_auth = 1;
    m.auth_method = 2;
    ikd_diag_add(t, &m);
    v2_auth_failed(&m, 6, SPI_A, SPI_B);
    m.msgid = 2;
    f = ikd_test_only_finding(ikd_diag_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_AUTH_FAILED);
    g_assert_nonnull(strstr(f->message, "EAP authentication"));
    g_assert_nonnull(strstr(f->hint, "eap_id"));
    ikd_diag_free(t);
}

/* EAP-Failure in the IKE_AUTH response (lab capture
 * ikev2-eap-md5-wrong-password-ss6-ss6); the initiator's AUTHENTICATION_FAILED
 * that follows is its consequence, not a second finding. */
static void
test_v2_eap_failure(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    const ikd_finding *f;

    v2_init(t, 1, SPI_A, SPI_B, 0xca);
    ike(&m, 3, 2, IKD_X2_IKE_AUTH, TRUE, FALSE, SPI_A, SPI_B, 1, 303);
    m.encrypted = m.decrypted = 1;
    ident(&m, TRUE, 2, "initiator.example");
    certreq_hash(&m, 0xca);
    ikd_diag_add(t, &m);
    v2_auth_ok(&m, 4, SPI_A, SPI_B, "responder.example", 14);
    cert(&m, RES_DN, LAB_CA, "responder.example", T0 - 86400, T0 + 86400, 0x02);
    m.has_sa = 0;
    m.has_eap = 1;
    m.eap_code = 1;                 /* Request, MD5-Challenge */
    m.eap_type = 4;
    ikd_diag_add(t, &m);
    ike(&m, 5, 2, IKD_X2_IKE_AUTH, TRUE, FALSE, SPI_A, SPI_B, 2, 505);
    m.encrypted = m.decrypted = 1;
    m.has_eap = 1;
    m.eap_code = 2;
    m.eap_type = 4;
    g_assert_null(ikd_diag_add(t, &m)->findings);
    ike(&m, 6, 2, IKD_X2_IKE_AUTH, FALSE, TRUE, SPI_A, SPI_B, 2, 606);
    m.encrypted = m.decrypted = 1;
    m.has_eap = 1;
    m.eap_code = 4;                 /* Failure */
    f = ikd_test_only_finding(ikd_diag_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_AUTH_FAILED);
    g_assert_true(f->failure);
    g_assert_true(ikd_test_has_evidence(f, 5));
    g_assert_cmpstr(f->mismatch, ==, "EAP credentials");
    g_assert_nonnull(strstr(f->message, "EAP-Failure in frame 6 (EAP method MD5-Challenge, identity "
                                        "\"initiator.example\", the initiator's last EAP response in frame 5)"));
    ike(&m, 7, 2, IKD_X2_INFORMATIONAL, TRUE, FALSE, SPI_A, SPI_B, 3, 707);
    m.encrypted = m.decrypted = 1;
    notify(&m, IKD_N_AUTHENTICATION_FAILED, NULL, 0);
    g_assert_null(ikd_diag_add(t, &m)->findings);
    ikd_diag_free(t);
}

static void
test_v2_id_not_in_cert(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    const ikd_finding *f;

    v2_init(t, 1, SPI_A, SPI_B, 0xca);
    v2_auth_request(&m, 3, SPI_A, SPI_B, "road.example", NULL, 14);
    cert(&m, INI_DN, LAB_CA, "initiator.example", T0 - 86400, T0 + 86400, 0x01);
    ikd_diag_add(t, &m);
    v2_auth_failed(&m, 4, SPI_A, SPI_B);
    f = ikd_test_only_finding(ikd_diag_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_ID_MISMATCH);
    g_assert_nonnull(strstr(f->message, "FQDN \"road.example\""));
    g_assert_nonnull(strstr(f->message, "subjectAltName initiator.example"));
    g_assert_cmpstr(f->offered, ==, "road.example");
    ikd_diag_free(t);

    /* An address ID against a certificate without addresses: many
     * implementations do not bind them (Openswan, Juniper SRX). */
    t = ikd_diag_new(NULL);
    v2_init(t, 1, SPI_A, SPI_B, 0);
    ike(&m, 3, 2, IKD_X2_IKE_AUTH, TRUE, FALSE, SPI_A, SPI_B, 1, 303);
    m.encrypted = m.decrypted = 1;
    ident(&m, TRUE, 1, "198.51.100.10");
    m.has_auth = 1;
    m.auth_method = 1;
    cert(&m, INI_DN, LAB_CA, "initiator.example", T0 - 86400, T0 + 86400, 0x01);
    ikd_diag_add(t, &m);
    v2_auth_failed(&m, 4, SPI_A, SPI_B);
    g_assert_cmpint(ikd_test_only_finding(ikd_diag_add(t, &m))->cause, ==, IKD_CAUSE_AUTH_FAILED);
    ikd_diag_free(t);

    /* ... but one that lists other addresses contradicts it. */
    t = ikd_diag_new(NULL);
    v2_init(t, 1, SPI_A, SPI_B, 0);
    ike(&m, 3, 2, IKD_X2_IKE_AUTH, TRUE, FALSE, SPI_A, SPI_B, 1, 303);
    m.encrypted = m.decrypted = 1;
    ident(&m, TRUE, 1, "198.51.100.10");
    m.has_auth = 1;
    m.auth_method = 1;
    cert(&m, INI_DN, LAB_CA, "initiator.example, 198.51.100.99", T0 - 86400, T0 + 86400, 0x01);
    ikd_diag_add(t, &m);
    v2_auth_failed(&m, 4, SPI_A, SPI_B);
    g_assert_cmpint(ikd_test_only_finding(ikd_diag_add(t, &m))->cause, ==, IKD_CAUSE_ID_MISMATCH);
    ikd_diag_free(t);

    /* The CN stands for the FQDN when there is no subjectAltName. */
    t = ikd_diag_new(NULL);
    v2_init(t, 1, SPI_A, SPI_B, 0);
    v2_auth_request(&m, 3, SPI_A, SPI_B, "initiator.example", NULL, 14);
    cert(&m, INI_DN, LAB_CA, NULL, T0 - 86400, T0 + 86400, 0x01);
    ikd_diag_add(t, &m);
    v2_auth_failed(&m, 4, SPI_A, SPI_B);
    g_assert_cmpint(ikd_test_only_finding(ikd_diag_add(t, &m))->cause, ==, IKD_CAUSE_AUTH_FAILED);
    ikd_diag_free(t);
}

/* The same initiator address authenticated as initiator.example before and
 * is refused as road.example now. */
static void
test_v2_id_elsewhere(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    const ikd_finding *f;

    v2_init(t, 1, SPI_C, SPI_D, 0);
    v2_auth_request(&m, 3, SPI_C, SPI_D, "initiator.example", NULL, 2);
    ikd_diag_add(t, &m);
    v2_auth_ok(&m, 4, SPI_C, SPI_D, "responder.example", 2);
    g_assert_null(ikd_diag_add(t, &m)->findings);

    v2_init(t, 11, SPI_A, SPI_B, 0);
    v2_auth_request(&m, 13, SPI_A, SPI_B, "road.example", NULL, 2);
    ikd_diag_add(t, &m);
    v2_auth_failed(&m, 14, SPI_A, SPI_B);
    f = ikd_test_only_finding(ikd_diag_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_ID_MISMATCH);
    g_assert_true(ikd_test_has_evidence(f, 3));
    g_assert_true(ikd_test_has_evidence(f, 13));
    g_assert_nonnull(strstr(f->message, "identified as \"road.example\" in frame 13"));
    g_assert_nonnull(strstr(f->message, "authenticated as \"initiator.example\" in frame 3 (IKE SA 1)"));
    ikd_diag_free(t);
}

/* The initiator asks for an IDr the responder does not use. */
static void
test_v2_asked_idr(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    const ikd_finding *f;

    v2_init(t, 1, SPI_C, SPI_D, 0);
    v2_auth_request(&m, 3, SPI_C, SPI_D, "initiator.example", NULL, 2);
    ikd_diag_add(t, &m);
    v2_auth_ok(&m, 4, SPI_C, SPI_D, "responder.example", 2);
    ikd_diag_add(t, &m);

    v2_init(t, 11, SPI_A, SPI_B, 0);
    v2_auth_request(&m, 13, SPI_A, SPI_B, "initiator.example", "gw.example", 2);
    ikd_diag_add(t, &m);
    v2_auth_failed(&m, 14, SPI_A, SPI_B);
    f = ikd_test_only_finding(ikd_diag_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_ID_MISMATCH);
    g_assert_nonnull(strstr(f->message, "responder identity (IDr) \"gw.example\""));
    g_assert_nonnull(strstr(f->message, "identifies as \"responder.example\" (frame 4"));
    g_assert_nonnull(strstr(f->hint, "remote { id = responder.example }"));
    ikd_diag_free(t);
}

/* The responder used a DN identity before (so its identity elsewhere
 * cannot be compared with an FQDN), but its certificate holds only
 * responder.example: an asked IDr gw.example is not its own.  Asking for
 * the certificate's SAN instead is not an identity problem. */
static void
test_v2_asked_idr_vs_cert(void)
{
    for (int owned = 0; owned < 2; owned++) {
        ikd_diag *t = ikd_diag_new(NULL);
        ikd_msg m;
        const ikd_finding *f;

        v2_init(t, 1, SPI_C, SPI_D, 0);
        v2_auth_request(&m, 3, SPI_C, SPI_D, "initiator.example", NULL, 14);
        ikd_diag_add(t, &m);
        v2_auth_ok(&m, 4, SPI_C, SPI_D, "responder.example", 14);
        IKD_ID(&m)[0].type = 9;
        g_strlcpy(IKD_ID(&m)[0].text, "C=ZZ, O=ikediag lab, CN=responder.example", sizeof IKD_ID(&m)[0].text);
        cert(&m, "C=ZZ, O=ikediag lab, CN=responder.example", LAB_CA, "responder.example", T0 - 86400,
             T0 + 86400, 0x02);
        ikd_diag_add(t, &m);

        v2_init(t, 11, SPI_A, SPI_B, 0);
        v2_auth_request(&m, 13, SPI_A, SPI_B, "initiator.example", owned ? "responder.example" : "gw.example", 14);
        ikd_diag_add(t, &m);
        v2_auth_failed(&m, 14, SPI_A, SPI_B);
        f = ikd_test_only_finding(ikd_diag_add(t, &m));
        if (owned) {
            g_assert_cmpint(f->cause, !=, IKD_CAUSE_ID_MISMATCH);
        } else {
            g_assert_cmpint(f->cause, ==, IKD_CAUSE_ID_MISMATCH);
            g_assert_true(ikd_test_has_evidence(f, 4));
            g_assert_true(ikd_test_has_evidence(f, 13));
            g_assert_nonnull(strstr(f->message, "the responder's certificate (frame 4, IKE SA 1)"));
            g_assert_cmpstr(f->offered, ==, "gw.example");
        }
        ikd_diag_free(t);
    }
}

/* PSK both ways: the responder accepted the initiator's key and answered
 * with its own AUTH; the initiator then refuses: the identity, not the key
 * (lab capture ikev2-id-rejected-by-initiator-ss6-ss6). */
static void
test_v2_initiator_refuses_psk_identity(void)
{
    for (int asked = 0; asked < 2; asked++) {
        ikd_diag *t = ikd_diag_new(NULL);
        ikd_msg m;
        const ikd_finding *f;

        v2_init(t, 1, SPI_A, SPI_B, 0);
        v2_auth_request(&m, 3, SPI_A, SPI_B, "initiator.example", asked ? "responder.example" : NULL, 2);
        ikd_diag_add(t, &m);
        v2_auth_ok(&m, 4, SPI_A, SPI_B, "responder.example", 2);
        g_assert_null(ikd_diag_add(t, &m)->findings);
        ike(&m, 5, 2, IKD_X2_INFORMATIONAL, TRUE, FALSE, SPI_A, SPI_B, 2, 555);
        m.encrypted = m.decrypted = 1;
        notify(&m, IKD_N_AUTHENTICATION_FAILED, NULL, 0);
        f = ikd_test_only_finding(ikd_diag_add(t, &m));
        if (asked) {
            /* it got the identity it asked for: then the keys differ */
            g_assert_cmpint(f->cause, ==, IKD_CAUSE_PSK_MISMATCH);
        } else {
            g_assert_cmpint(f->cause, ==, IKD_CAUSE_ID_MISMATCH);
            g_assert_cmpstr(f->offered, ==, "responder.example");
            g_assert_true(ikd_test_has_evidence(f, 3));
            g_assert_true(ikd_test_has_evidence(f, 4));
            g_assert_nonnull(strstr(f->message, "Initiator 198.51.100.10 refused the responder's authentication"));
            g_assert_nonnull(strstr(f->hint, "remote { id = responder.example }"));
        }
        ikd_diag_free(t);
    }
}

/* ---------------------------------------------------------------- IKEv1 */

static void
test_v1_notify_refusals(void)
{
    /* INVALID_HASH_INFORMATION with a PSK proposal: psk-mismatch */
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    const ikd_finding *f;

    v1_mm_1_to_4(t, 1);
    v1_mm5(t, 5, TRUE, FALSE);
    ike(&m, 6, 1, IKD_X1_INFORMATIONAL, FALSE, FALSE, SPI_A, SPI_B, 77, 6006);
    notify(&m, IKD_N_INVALID_HASH_INFORMATION, NULL, 0);
    f = ikd_test_only_finding(ikd_diag_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_PSK_MISMATCH);
    g_assert_nonnull(strstr(f->message, "INVALID_HASH_INFORMATION"));
    g_assert_nonnull(strstr(f->message, "\"initiator.example\""));
    g_assert_true(ikd_test_has_evidence(f, 5));
    ikd_diag_free(t);

    /* INVALID_SIGNATURE with RSA signatures: auth-failed */
    t = ikd_diag_new(NULL);
    v1_mm_1_to_4(t, 3);
    v1_mm5(t, 5, TRUE, FALSE);
    ike(&m, 6, 1, IKD_X1_INFORMATIONAL, FALSE, FALSE, SPI_A, SPI_B, 77, 6006);
    notify(&m, IKD_N_INVALID_SIGNATURE, NULL, 0);
    f = ikd_test_only_finding(ikd_diag_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_AUTH_FAILED);
    g_assert_nonnull(strstr(f->message, "RSA signature"));
    ikd_diag_free(t);

    /* INVALID_ID_INFORMATION in phase 1: id-mismatch */
    t = ikd_diag_new(NULL);
    v1_mm_1_to_4(t, 1);
    v1_mm5(t, 5, TRUE, FALSE);
    ike(&m, 6, 1, IKD_X1_INFORMATIONAL, FALSE, FALSE, SPI_A, SPI_B, 77, 6006);
    notify(&m, IKD_N_INVALID_ID_INFORMATION, NULL, 0);
    f = ikd_test_only_finding(ikd_diag_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_ID_MISMATCH);
    ikd_diag_free(t);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/auth/v2-psk-mismatch", test_v2_psk_mismatch);
    g_test_add_func("/auth/v2-eap-failed", test_v2_eap_failed);
    g_test_add_func("/auth/v2-eap-failure", test_v2_eap_failure);
    g_test_add_func("/auth/v2-id-not-in-cert", test_v2_id_not_in_cert);
    g_test_add_func("/auth/v2-id-elsewhere", test_v2_id_elsewhere);
    g_test_add_func("/auth/v2-asked-idr", test_v2_asked_idr);
    g_test_add_func("/auth/v2-asked-idr-vs-cert", test_v2_asked_idr_vs_cert);
    g_test_add_func("/auth/v2-initiator-refuses-psk-identity", test_v2_initiator_refuses_psk_identity);
    g_test_add_func("/auth/v1-notify-refusals", test_v1_notify_refusals);
    return g_test_run();
}
