/* test-rules-certs.c
 * Unit tests of plugin/core/rules_certs.c: certificates out of date at
 * capture time (cert-expired, cert-not-yet-valid, refused or accepted) and
 * issuers the verifier does not trust (cert-untrusted), judged against the
 * CERTREQs and against what the verifier accepted elsewhere in the capture.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include <glib.h>

#include "ikd-test.h"
#include "core/causes.h"

/* ---------------------------------------------------------------- IKEv2 */

static void
test_v2_cert_expired(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    const ikd_finding *f;

    v2_init(t, 1, SPI_A, SPI_B, 0xca);
    v2_auth_request(&m, 3, SPI_A, SPI_B, "initiator.example", NULL, 14);
    /* valid 2020-01-01 .. 2021-01-01, presented in 2023 */
    cert(&m, INI_DN, LAB_CA, "initiator.example", 1577836800, 1609459200, 0x01);
    ikd_diag_add(t, &m);
    v2_auth_failed(&m, 4, SPI_A, SPI_B);
    f = ikd_test_only_finding(ikd_diag_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_CERT_EXPIRED);
    g_assert_true(f->failure);
    g_assert_true(ikd_test_has_evidence(f, 3));
    g_assert_nonnull(strstr(f->message, "expired on 2021-01-01 00:00:00 UTC"));
    g_assert_nonnull(strstr(f->message, "the initiator sent in frame 3"));
    g_assert_nonnull(strstr(f->message, INI_DN));
    g_assert_nonnull(strstr(f->hint, "renew"));
    ikd_diag_free(t);
}

static void
test_v2_cert_not_yet_valid(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    const ikd_finding *f;

    v2_init(t, 1, SPI_A, SPI_B, 0xca);
    v2_auth_request(&m, 3, SPI_A, SPI_B, "initiator.example", NULL, 14);
    /* valid 2035-01-01 .. 2036-01-01 */
    cert(&m, INI_DN, LAB_CA, "initiator.example", 2051222400, 2082758400, 0x01);
    ikd_diag_add(t, &m);
    v2_auth_failed(&m, 4, SPI_A, SPI_B);
    f = ikd_test_only_finding(ikd_diag_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_CERT_NOT_YET_VALID);
    g_assert_nonnull(strstr(f->message, "not valid before 2035-01-01 00:00:00 UTC"));
    ikd_diag_free(t);

    /* The same certificate judged at a time inside its validity (the
     * tests' clock override) is not the reason any more. */
    ikd_config cfg;
    ikd_config_defaults(&cfg);
    cfg.now_override_sec = 2060000000;
    t = ikd_diag_new(&cfg);
    v2_init(t, 1, SPI_A, SPI_B, 0);
    v2_auth_request(&m, 3, SPI_A, SPI_B, "initiator.example", NULL, 14);
    cert(&m, INI_DN, LAB_CA, "initiator.example", 2051222400, 2082758400, 0x01);
    ikd_diag_add(t, &m);
    v2_auth_failed(&m, 4, SPI_A, SPI_B);
    f = ikd_test_only_finding(ikd_diag_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_AUTH_FAILED);
    g_assert_nonnull(strstr(f->message, "digital signature"));
    ikd_diag_free(t);
}

/* The issuer's key is not in the capture: CERTREQ cannot be tied to it. */
static void
test_v2_cert_untrusted_likely(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    const ikd_finding *f;

    v2_init(t, 1, SPI_A, SPI_B, 0xca);
    v2_auth_request(&m, 3, SPI_A, SPI_B, "initiator.example", NULL, 14);
    cert(&m, INI_DN, OTHER_CA, "initiator.example", T0 - 86400, T0 + 86400, 0x01);
    ikd_diag_add(t, &m);
    v2_auth_failed(&m, 4, SPI_A, SPI_B);
    f = ikd_test_only_finding(ikd_diag_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_CERT_UNTRUSTED);
    g_assert_true(ikd_test_has_evidence(f, 2));      /* the CERTREQ */
    g_assert_true(ikd_test_has_evidence(f, 3));      /* the CERT */
    g_assert_nonnull(strstr(f->message, OTHER_CA));
    g_assert_nonnull(strstr(f->message, "cacacacaca"));
    /* the CERTREQ hash and the authorityKeyIdentifier cannot be
     * compared: the trust is not proven, and the identity stays possible */
    g_assert_nonnull(strstr(f->message, "likely, not proven"));
    g_assert_cmpstr(f->offered, ==, OTHER_CA);
    g_assert_nonnull(strstr(f->hint, "x509ca"));
    g_assert_cmpuint(f->n_possible, ==, 1);
    g_assert_cmpint(f->possible[0].cause, ==, IKD_CAUSE_ID_MISMATCH);
    g_assert_nonnull(strstr(f->possible[0].why, "initiator.example"));
    ikd_diag_free(t);
}

/* The initiator's own CERTREQ: the same CA key hash as the responder's
 * (the peers share a CA: the identity is the likelier cause, the trust
 * possible), or only other CAs (the peers do not share one: untrusted). */
static void
test_v2_cert_initiator_certreq(void)
{
    for (int shared = 0; shared < 2; shared++) {
        ikd_diag *t = ikd_diag_new(NULL);
        ikd_msg m;
        const ikd_finding *f;

        v2_init(t, 1, SPI_A, SPI_B, 0xca);
        v2_auth_request(&m, 3, SPI_A, SPI_B, "initiator.example", "responder.example", 14);
        cert(&m, INI_DN, LAB_CA, "initiator.example", T0 - 86400, T0 + 86400, 0x01);
        certreq_hash(&m, shared ? 0xca : 0x55);
        ikd_diag_add(t, &m);
        v2_auth_failed(&m, 4, SPI_A, SPI_B);
        f = ikd_test_only_finding(ikd_diag_add(t, &m));
        g_assert_true(f->failure);
        g_assert_cmpuint(f->n_possible, ==, 1);
        if (shared) {
            g_assert_cmpint(f->cause, ==, IKD_CAUSE_ID_MISMATCH);
            g_assert_nonnull(strstr(f->message, "most likely because it has no connection"));
            g_assert_nonnull(strstr(f->message, "responder.example"));
            g_assert_cmpint(f->possible[0].cause, ==, IKD_CAUSE_CERT_UNTRUSTED);
            g_assert_nonnull(strstr(f->possible[0].why, LAB_CA));
        } else {
            g_assert_cmpint(f->cause, ==, IKD_CAUSE_CERT_UNTRUSTED);
            g_assert_nonnull(strstr(f->message, "do not share a CA"));
            g_assert_nonnull(strstr(f->message, "the most likely reason"));
            g_assert_cmpint(f->possible[0].cause, ==, IKD_CAUSE_ID_MISMATCH);
        }
        ikd_diag_free(t);
    }
}

/* The chain reaches a root whose key hash was not asked for: sure.  And a
 * root whose key hash was asked for: trusted, so something else failed. */
static void
test_v2_cert_untrusted_chain(void)
{
    for (int trusted = 0; trusted < 2; trusted++) {
        ikd_diag *t = ikd_diag_new(NULL);
        ikd_msg m;
        const ikd_finding *f;

        v2_init(t, 1, SPI_A, SPI_B, 0xca);
        v2_auth_request(&m, 3, SPI_A, SPI_B, "initiator.example", NULL, 14);
        cert(&m, INI_DN, OTHER_CA, "initiator.example", T0 - 86400, T0 + 86400, 0x01);
        cert(&m, OTHER_CA, OTHER_CA, NULL, T0 - 86400, T0 + 86400, trusted ? 0xca : 0x77);
        ikd_diag_add(t, &m);
        v2_auth_failed(&m, 4, SPI_A, SPI_B);
        f = ikd_test_only_finding(ikd_diag_add(t, &m));
        if (trusted) {
            g_assert_cmpint(f->cause, ==, IKD_CAUSE_AUTH_FAILED);
        } else {
            g_assert_cmpint(f->cause, ==, IKD_CAUSE_CERT_UNTRUSTED);
            g_assert_nonnull(strstr(f->message, "which is not among the CAs the responder asked for"));
        }
        ikd_diag_free(t);
    }
}

/* The verifier's own certificate (another SA) comes from the same CA as the
 * refused one: the CA is trusted, do not blame it. */
static void
test_v2_cert_same_ca_as_verifier(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    const ikd_finding *f;

    v2_init(t, 1, SPI_C, SPI_D, 0xca);
    v2_auth_request(&m, 3, SPI_C, SPI_D, "initiator.example", NULL, 14);
    cert(&m, INI_DN, LAB_CA, "initiator.example", T0 - 86400, T0 + 86400, 0x01);
    ikd_diag_add(t, &m);
    v2_auth_ok(&m, 4, SPI_C, SPI_D, "responder.example", 14);
    cert(&m, RES_DN, LAB_CA, "responder.example", T0 - 86400, T0 + 86400, 0x02);
    g_assert_null(ikd_diag_add(t, &m)->findings);

    v2_init(t, 11, SPI_A, SPI_B, 0xca);
    v2_auth_request(&m, 13, SPI_A, SPI_B, "initiator.example", NULL, 14);
    cert(&m, INI_DN, LAB_CA, "initiator.example", T0 - 86400, T0 + 86400, 0x01);
    ikd_diag_add(t, &m);
    v2_auth_failed(&m, 14, SPI_A, SPI_B);
    f = ikd_test_only_finding(ikd_diag_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_AUTH_FAILED);
    ikd_diag_free(t);
}

/* The verifier accepted a certificate from another CA in another SA: said,
 * as evidence that the refused issuer is not the one it trusts. */
static void
test_v2_cert_untrusted_other_ca_accepted(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    const ikd_finding *f;

    v2_init(t, 1, SPI_C, SPI_D, 0xca);
    v2_auth_request(&m, 3, SPI_C, SPI_D, "initiator.example", NULL, 14);
    cert(&m, INI_DN, LAB_CA, "initiator.example", T0 - 86400, T0 + 86400, 0x01);
    ikd_diag_add(t, &m);
    v2_auth_ok(&m, 4, SPI_C, SPI_D, "responder.example", 2);
    g_assert_null(ikd_diag_add(t, &m)->findings);

    v2_init(t, 11, SPI_A, SPI_B, 0xca);
    v2_auth_request(&m, 13, SPI_A, SPI_B, "initiator.example", NULL, 14);
    cert(&m, INI_DN, OTHER_CA, "initiator.example", T0 - 86400, T0 + 86400, 0x05);
    ikd_diag_add(t, &m);
    v2_auth_failed(&m, 14, SPI_A, SPI_B);
    f = ikd_test_only_finding(ikd_diag_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_CERT_UNTRUSTED);
    g_assert_true(ikd_test_has_evidence(f, 3));
    g_assert_nonnull(strstr(f->message, "while the verifier accepted a certificate from \"C=ZZ, O=ikediag lab, "
                                        "CN=ikediag lab CA\""));
    ikd_diag_free(t);
}

/* The initiator refuses the responder (RFC 7296 2.21.2: an INFORMATIONAL
 * with AUTHENTICATION_FAILED after the IKE_AUTH response). */
static void
test_v2_initiator_refuses(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    const ikd_finding *f;

    v2_init(t, 1, SPI_A, SPI_B, 0);
    v2_auth_request(&m, 3, SPI_A, SPI_B, "initiator.example", NULL, 14);
    m.has_certreq = 1;
    certreq_hash(&m, 0xca);
    ikd_diag_add(t, &m);
    v2_auth_ok(&m, 4, SPI_A, SPI_B, "responder.example", 14);
    cert(&m, RES_DN, LAB_CA, "responder.example", 1577836800, 1609459200, 0x02);
    /* The responder's certificate is out of date in its own IKE_AUTH
     * response: evident there, before the initiator says anything (a
     * libreswan initiator never does: ikev2-cert-expired-ls-ss6). */
    f = ikd_test_only_finding(ikd_diag_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_CERT_EXPIRED);
    g_assert_true(f->failure);
    g_assert_nonnull(strstr(f->message, "The responder's end-entity certificate"));
    ike(&m, 5, 2, IKD_X2_INFORMATIONAL, TRUE, FALSE, SPI_A, SPI_B, 2, 555);
    m.encrypted = m.decrypted = 1;
    notify(&m, IKD_N_AUTHENTICATION_FAILED, NULL, 0);
    /* the initiator's refusal confirms it: no second finding */
    g_assert_null(ikd_diag_add(t, &m)->findings);
    g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_CERT_EXPIRED), ==, 1);
    ikd_diag_free(t);
}

static void
test_v2_healthy_certs(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;

    v2_init(t, 1, SPI_A, SPI_B, 0xca);
    v2_auth_request(&m, 3, SPI_A, SPI_B, "initiator.example", "responder.example", 14);
    cert(&m, INI_DN, LAB_CA, "initiator.example", T0 - 86400, T0 + 86400, 0x01);
    certreq_hash(&m, 0xca);
    g_assert_null(ikd_diag_add(t, &m)->findings);
    v2_auth_ok(&m, 4, SPI_A, SPI_B, "responder.example", 14);
    cert(&m, RES_DN, LAB_CA, "responder.example", T0 - 86400, T0 + 86400, 0x02);
    g_assert_null(ikd_diag_add(t, &m)->findings);
    ikd_diag_finish(t);
    g_assert_cmpuint(ikd_tracker_sas(ikd_diag_tracker(t))->n_findings, ==, 0);
    ikd_diag_free(t);

    /* Accepted although expired at capture time: a warning, not a failure. */
    t = ikd_diag_new(NULL);
    v2_init(t, 1, SPI_A, SPI_B, 0);
    v2_auth_request(&m, 3, SPI_A, SPI_B, "initiator.example", NULL, 14);
    cert(&m, INI_DN, LAB_CA, "initiator.example", 1577836800, 1609459200, 0x01);
    ikd_diag_add(t, &m);
    v2_auth_ok(&m, 4, SPI_A, SPI_B, "responder.example", 14);
    const ikd_finding *f = ikd_test_only_finding(ikd_diag_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_CERT_EXPIRED);
    g_assert_false(f->failure);
    g_assert_nonnull(strstr(f->message, "yet the authentication succeeded"));
    ikd_diag_free(t);
}

/* ---------------------------------------------------------------- IKEv1 */

static void
certreq_dn(ikd_msg *m, const char *dn)
{
    ikd_certreq *r = &IKD_CERTREQ(m)[m->n_certreq++];
    memset(r, 0, sizeof *r);
    m->has_certreq = 1;
    r->cert_type = 4;
    g_strlcpy(r->dn, dn, sizeof r->dn);
}

/* IKEv1 CERTREQ names CAs by DN (RFC 2408 3.10). */
static void
test_v1_cert_untrusted_by_dn(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    const ikd_finding *f;

    v1_mm_1_to_4(t, 3);
    /* the responder's CERTREQ rides in MM4: add a second MM4-like answer is
     * not possible, so put it in an extra readable message of the responder */
    ike(&m, 5, 1, IKD_X1_MAIN, TRUE, FALSE, SPI_A, SPI_B, 0, 1005);
    m.flags = IKD_FLAG_V1_E;
    m.encrypted = m.decrypted = 1;
    ident(&m, TRUE, 9, INI_DN);
    cert(&m, INI_DN, OTHER_CA, NULL, T0 - 86400, T0 + 86400, 0x01);
    m.has_sig = 1;
    ikd_diag_add(t, &m);
    ike(&m, 6, 1, IKD_X1_INFORMATIONAL, FALSE, FALSE, SPI_A, SPI_B, 77, 6006);
    certreq_dn(&m, LAB_CA);
    notify(&m, IKD_N_AUTHENTICATION_FAILED, NULL, 0);
    f = ikd_test_only_finding(ikd_diag_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_CERT_UNTRUSTED);
    g_assert_nonnull(strstr(f->message, "which is not among the CAs"));
    g_assert_nonnull(strstr(f->message, LAB_CA));
    ikd_diag_free(t);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/certs/v2-cert-expired", test_v2_cert_expired);
    g_test_add_func("/certs/v2-cert-not-yet-valid", test_v2_cert_not_yet_valid);
    g_test_add_func("/certs/v2-cert-untrusted-likely", test_v2_cert_untrusted_likely);
    g_test_add_func("/certs/v2-cert-initiator-certreq", test_v2_cert_initiator_certreq);
    g_test_add_func("/certs/v2-cert-untrusted-chain", test_v2_cert_untrusted_chain);
    g_test_add_func("/certs/v2-cert-same-ca-as-verifier", test_v2_cert_same_ca_as_verifier);
    g_test_add_func("/certs/v2-cert-untrusted-other-ca-accepted", test_v2_cert_untrusted_other_ca_accepted);
    g_test_add_func("/certs/v2-initiator-refuses", test_v2_initiator_refuses);
    g_test_add_func("/certs/v2-healthy-certs", test_v2_healthy_certs);
    g_test_add_func("/certs/v1-cert-untrusted-by-dn", test_v1_cert_untrusted_by_dn);
    return g_test_run();
}
