/* test-rules-auth.c
 * Unit tests of the authentication, identity and certificate rules
 * (plugin/core/rules_auth.c): hand-built ikd_msg values, shaped like what
 * the lab's strongSwan and libreswan peers put on the wire, go through the
 * tracker; the tests assert the cause, the frame that carries it, its
 * evidence and the words of its message.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include <glib.h>

#include "ikd-test.h"
#include "core/diagnose.h"
#include "core/names.h"
#include "core/causes.h"

/* ---------------------------------------------------------------- builders */

static const guint8 SPI_A[8] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };
static const guint8 SPI_B[8] = { 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x01, 0x02 };
static const guint8 SPI_C[8] = { 0x0c, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c };
static const guint8 SPI_D[8] = { 0x0d, 0x0d, 0x0d, 0x0d, 0x0d, 0x0d, 0x0d, 0x0d };
static const guint8 ZERO[8];

#define T0 G_GINT64_CONSTANT(1700000000)    /* 2023-11-14: frame n is at T0 + n */

static const char *LAB_CA = "C=ZZ, O=ikediag lab, CN=ikediag lab CA";
static const char *OTHER_CA = "C=ZZ, O=ikediag lab, CN=ikediag untrusted CA";
static const char *INI_DN = "C=ZZ, O=ikediag lab, CN=initiator.example";
static const char *RES_DN = "C=ZZ, O=ikediag lab, CN=responder.example";

/* initiator 198.51.100.10:500 <-> responder 203.0.113.20:500 */
static void
ike(ikd_msg *m, guint32 frame, guint8 version, guint8 exch, gboolean from_init, gboolean response,
    const guint8 *ispi, const guint8 *rspi, guint32 msgid, guint64 hash)
{
    ikd_test_ike(m, frame, version, exch, from_init, response, ispi, rspi, msgid, hash, T0, NULL);
}

static void
notify(ikd_msg *m, guint16 type)
{
    ikd_notify *n = &m->notify[m->n_notify++];
    memset(n, 0, sizeof *n);
    n->type = type;
}

static void
ident(ikd_msg *m, gboolean initiator_side, guint8 type, const char *text)
{
    ikd_ident *id = &m->id[m->n_id++];
    memset(id, 0, sizeof *id);
    id->initiator_side = initiator_side;
    id->type = type;
    g_strlcpy(id->text, text, sizeof id->text);
}

static ikd_cert *
cert(ikd_msg *m, const char *subject, const char *issuer, const char *alt, gint64 nb, gint64 na, guint8 spki_byte)
{
    ikd_cert *c = &m->cert[m->n_cert++];
    memset(c, 0, sizeof *c);
    m->has_cert = 1;
    c->encoding = 4;
    g_strlcpy(c->subject, subject, sizeof c->subject);
    g_strlcpy(c->issuer, issuer, sizeof c->issuer);
    if (alt)
        g_strlcpy(c->alt_names, alt, sizeof c->alt_names);
    c->not_before = nb;
    c->not_after = na;
    c->has_spki = 1;
    memset(c->spki_sha1, spki_byte, sizeof c->spki_sha1);
    return c;
}

static void
certreq_hash(ikd_msg *m, guint8 byte)
{
    ikd_certreq *r = &m->certreq[m->n_certreq++];
    memset(r, 0, sizeof *r);
    m->has_certreq = 1;
    r->cert_type = 4;
    r->hash_len = 20;
    memset(r->hash, byte, 20);
}

static void
certreq_dn(ikd_msg *m, const char *dn)
{
    ikd_certreq *r = &m->certreq[m->n_certreq++];
    memset(r, 0, sizeof *r);
    m->has_certreq = 1;
    r->cert_type = 4;
    g_strlcpy(r->dn, dn, sizeof r->dn);
}

static void
ike_proposal(ikd_msg *m, guint16 v1_auth)
{
    ikd_proposal *p = &m->prop[m->n_prop++];
    memset(p, 0, sizeof *p);
    p->number = 1;
    p->protocol = IKD_PROTO_IKE;
    p->first_tf = m->n_tf;
    p->auth_method = v1_auth;
    m->has_sa = 1;
    ikd_transform *t = &m->tf[m->n_tf++];
    t->type = IKD_TF_ENCR; t->id = 12; t->key_len = 256;
    t = &m->tf[m->n_tf++];
    t->type = IKD_TF_INTEG; t->id = 12;
    t = &m->tf[m->n_tf++];
    t->type = IKD_TF_PRF; t->id = 5;
    t = &m->tf[m->n_tf++];
    t->type = IKD_TF_DH; t->id = 14;
    p->n_tf = 4;
}

/* IKE_SA_INIT request and response (frames f, f+1); 'creq' > 0 adds a
 * CERTREQ for the CA key hash of that byte to the response. */
static void
v2_init(ikd_diag *t, guint32 f, const guint8 *ispi, const guint8 *rspi, guint8 creq)
{
    ikd_msg m;
    ike(&m, f, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, ispi, ZERO, 0, 100 + f);
    ike_proposal(&m, 0);
    m.has_ke = m.has_nonce = 1;
    m.ke_group = 14;
    g_assert_nonnull(ikd_diag_add(t, &m));
    ike(&m, f + 1, 2, IKD_X2_IKE_SA_INIT, FALSE, TRUE, ispi, rspi, 0, 200 + f);
    ike_proposal(&m, 0);
    m.has_ke = m.has_nonce = 1;
    m.ke_group = 14;
    if (creq)
        certreq_hash(&m, creq);
    g_assert_nonnull(ikd_diag_add(t, &m));
}

/* A decrypted IKE_AUTH request (IDi, IDr unless NULL, AUTH 'method'). */
static void
v2_auth_request(ikd_msg *m, guint32 f, const guint8 *ispi, const guint8 *rspi, const char *idi,
                const char *idr, guint8 method)
{
    ike(m, f, 2, IKD_X2_IKE_AUTH, TRUE, FALSE, ispi, rspi, 1, 300 + f);
    m->encrypted = m->decrypted = 1;
    ident(m, TRUE, 2, idi);
    if (idr)
        ident(m, FALSE, 2, idr);
    m->has_auth = 1;
    m->auth_method = method;
}

static void
v2_auth_failed(ikd_msg *m, guint32 f, const guint8 *ispi, const guint8 *rspi)
{
    ike(m, f, 2, IKD_X2_IKE_AUTH, FALSE, TRUE, ispi, rspi, 1, 400 + f);
    m->encrypted = m->decrypted = 1;
    notify(m, IKD_N_AUTHENTICATION_FAILED);
}

/* A successful decrypted IKE_AUTH response (IDr, AUTH, SA). */
static void
v2_auth_ok(ikd_msg *m, guint32 f, const guint8 *ispi, const guint8 *rspi, const char *idr, guint8 method)
{
    ike(m, f, 2, IKD_X2_IKE_AUTH, FALSE, TRUE, ispi, rspi, 1, 400 + f);
    m->encrypted = m->decrypted = 1;
    ident(m, FALSE, 2, idr);
    m->has_auth = 1;
    m->auth_method = method;
    m->has_sa = 1;
}




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
    notify(&m, IKD_N_AUTHENTICATION_FAILED);
    g_assert_null(ikd_diag_add(t, &m)->findings);
    ikd_diag_free(t);
}

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
    g_assert_nonnull(strstr(f->message, "likely reason"));
    g_assert_cmpstr(f->offered, ==, OTHER_CA);
    g_assert_nonnull(strstr(f->hint, "x509ca"));
    ikd_diag_free(t);
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
    notify(&m, IKD_N_AUTHENTICATION_FAILED);
    /* the initiator's refusal confirms it: no second finding */
    g_assert_null(ikd_diag_add(t, &m)->findings);
    g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_CERT_EXPIRED), ==, 1);
    ikd_diag_free(t);
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
        notify(&m, IKD_N_AUTHENTICATION_FAILED);
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

/* Without keys: the encrypted-outcome finding says what the clear
 * IKE_SA_INIT tells about the authentication. */
static void
test_v2_no_keys_certreq(void)
{
    for (int creq = 0; creq < 2; creq++) {
        ikd_diag *t = ikd_diag_new(NULL);
        ikd_msg m;
        const ikd_finding *f;

        v2_init(t, 1, SPI_A, SPI_B, creq ? 0x2e : 0);
        ike(&m, 3, 2, IKD_X2_IKE_AUTH, TRUE, FALSE, SPI_A, SPI_B, 1, 303);
        m.encrypted = 1;
        ikd_diag_add(t, &m);
        ike(&m, 4, 2, IKD_X2_IKE_AUTH, FALSE, TRUE, SPI_A, SPI_B, 1, 404);
        m.encrypted = 1;
        m.content_len = 80;
        f = ikd_test_only_finding(ikd_diag_add(t, &m));
        g_assert_cmpint(f->cause, ==, IKD_CAUSE_ENCRYPTED_OUTCOME);
        g_assert_false(f->failure);
        g_assert_nonnull(strstr(f->message, "inside the encrypted IKE_AUTH (frames 3 and 4)"));
        if (creq) {
            g_assert_nonnull(strstr(f->message, "certificate authentication is expected: the responder asked in "
                                                "frame 2 for certificates from CA key SHA-1 2e2e2e"));
            g_assert_true(ikd_test_has_evidence(f, 2));
        } else {
            g_assert_nonnull(strstr(f->message, "neither peer sent a CERTREQ"));
        }
        ikd_diag_free(t);
    }
}

/* ---------------------------------------------------------------- IKEv1 */

/* Main Mode 1..4 (frames 1-4) with phase 1 auth method 'auth'. */
static void
v1_mm_1_to_4(ikd_diag *t, guint16 auth)
{
    ikd_msg m;
    ike(&m, 1, 1, IKD_X1_MAIN, TRUE, FALSE, SPI_A, ZERO, 0, 1001);
    ike_proposal(&m, auth);
    ikd_diag_add(t, &m);
    ike(&m, 2, 1, IKD_X1_MAIN, FALSE, TRUE, SPI_A, SPI_B, 0, 1002);
    ike_proposal(&m, auth);
    ikd_diag_add(t, &m);
    ike(&m, 3, 1, IKD_X1_MAIN, TRUE, FALSE, SPI_A, SPI_B, 0, 1003);
    m.has_ke = m.has_nonce = 1;
    ikd_diag_add(t, &m);
    ike(&m, 4, 1, IKD_X1_MAIN, FALSE, TRUE, SPI_A, SPI_B, 0, 1004);
    m.has_ke = m.has_nonce = 1;
    ikd_diag_add(t, &m);
}

static ikd_frame_info *
v1_mm5(ikd_diag *t, guint32 frame, gboolean decrypted, gboolean malformed)
{
    ikd_msg m;
    ike(&m, frame, 1, IKD_X1_MAIN, TRUE, FALSE, SPI_A, SPI_B, 0, 1005);
    m.flags = IKD_FLAG_V1_E;
    m.encrypted = 1;
    m.decrypted = decrypted;
    m.malformed = malformed;
    if (decrypted && !malformed) {
        ident(&m, TRUE, 2, "initiator.example");
        m.has_hash = 1;
    }
    return ikd_diag_add(t, &m);
}

/* An encrypted Informational from the responder, unreadable (malformed, as
 * Wireshark 4.0 shows one encrypted under a different key). */
static ikd_frame_info *
v1_unreadable_info(ikd_diag *t, guint32 frame, gboolean malformed)
{
    ikd_msg m;
    ike(&m, frame, 1, IKD_X1_INFORMATIONAL, FALSE, FALSE, SPI_A, SPI_B, 0x5d000000 + frame, 2000 + frame);
    m.flags = IKD_FLAG_V1_E;
    m.encrypted = 1;
    m.decrypted = malformed;        /* garbage "payloads" were shown */
    m.malformed = malformed;
    return ikd_diag_add(t, &m);
}

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
    notify(&m, IKD_N_INVALID_HASH_INFORMATION);
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
    notify(&m, IKD_N_INVALID_SIGNATURE);
    f = ikd_test_only_finding(ikd_diag_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_AUTH_FAILED);
    g_assert_nonnull(strstr(f->message, "RSA signature"));
    ikd_diag_free(t);

    /* INVALID_ID_INFORMATION in phase 1: id-mismatch */
    t = ikd_diag_new(NULL);
    v1_mm_1_to_4(t, 1);
    v1_mm5(t, 5, TRUE, FALSE);
    ike(&m, 6, 1, IKD_X1_INFORMATIONAL, FALSE, FALSE, SPI_A, SPI_B, 77, 6006);
    notify(&m, IKD_N_INVALID_ID_INFORMATION);
    f = ikd_test_only_finding(ikd_diag_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_ID_MISMATCH);
    ikd_diag_free(t);
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
    notify(&m, IKD_N_AUTHENTICATION_FAILED);
    f = ikd_test_only_finding(ikd_diag_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_CERT_UNTRUSTED);
    g_assert_nonnull(strstr(f->message, "which is not among the CAs"));
    g_assert_nonnull(strstr(f->message, LAB_CA));
    ikd_diag_free(t);
}

/* strongSwan: MM5 answered by PAYLOAD_MALFORMED under the responder's key,
 * unreadable with the initiator's; MM5 retransmitted (unreadable in
 * Wireshark 4.0 too) until the initiator gives up. */
static void
test_v1_mm5_stall_unreadable_reply(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    const ikd_finding *f;
    ikd_frame_info *fi;

    v1_mm_1_to_4(t, 1);
    g_assert_null(v1_mm5(t, 5, TRUE, FALSE)->findings);
    f = ikd_test_only_finding(v1_unreadable_info(t, 6, TRUE));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_PSK_MISMATCH);
    g_assert_true(f->failure);
    g_assert_true(ikd_test_has_evidence(f, 5));
    g_assert_nonnull(strstr(f->message, "very likely"));
    g_assert_nonnull(strstr(f->message, "Main Mode message 5 (frame 5)"));
    for (guint32 fr = 7; fr <= 12; fr += 2) {
        fi = v1_mm5(t, fr, TRUE, TRUE);                 /* retransmission */
        g_assert_cmpuint(fi->retransmission_of, ==, 5);
        g_assert_null(fi->findings);
        /* the repeated reply is explained: no "malformed" note */
        g_assert_null(v1_unreadable_info(t, fr + 1, TRUE)->findings);
    }
    ikd_diag_finish(t);
    g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_PSK_MISMATCH), ==, 1);
    g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_NO_RESPONSE), ==, 0);
    g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_MALFORMED), ==, 0);
    ikd_diag_free(t);

    /* Without keys the reply is just encrypted: likely, not very likely. */
    t = ikd_diag_new(NULL);
    v1_mm_1_to_4(t, 1);
    v1_mm5(t, 5, FALSE, FALSE);
    f = ikd_test_only_finding(v1_unreadable_info(t, 6, FALSE));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_PSK_MISMATCH);
    g_assert_nonnull(strstr(f->message, "likely differ"));
    g_assert_null(strstr(f->message, "very likely"));
    ikd_diag_free(t);
}

/* Cisco: MM5 retransmitted, nothing comes back.  Said at the no-response
 * threshold, instead of no-response, and only with a PSK. */
static void
test_v1_mm5_stall_retransmissions(void)
{
    for (int psk = 0; psk < 2; psk++) {
        ikd_diag *t = ikd_diag_new(NULL);
        const ikd_config *cfg = ikd_tracker_config(ikd_diag_tracker(t));
        guint32 last = 5 + cfg->no_response_retransmits;
        const ikd_finding *f;

        v1_mm_1_to_4(t, psk ? 1 : 3);
        v1_mm5(t, 5, FALSE, FALSE);
        for (guint32 fr = 6; fr < last; fr++)
            g_assert_null(v1_mm5(t, fr, FALSE, FALSE)->findings);
        f = ikd_test_only_finding(v1_mm5(t, last, FALSE, FALSE));
        if (psk) {
            g_assert_cmpint(f->cause, ==, IKD_CAUSE_PSK_MISMATCH);
            g_assert_nonnull(strstr(f->message, "Likely, inferred from retransmissions only"));
            g_assert_nonnull(strstr(f->message, "MM4 in frame 4"));
            g_assert_true(ikd_test_has_evidence(f, 4));
        } else {
            g_assert_cmpint(f->cause, ==, IKD_CAUSE_NO_RESPONSE);
        }
        ikd_diag_finish(t);
        g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_NO_RESPONSE), ==, psk ? 0 : 1);
        ikd_diag_free(t);
    }
}

/* libreswan: the responder repeats MM4 instead of answering MM5. */
static void
test_v1_mm4_repeated(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    const ikd_finding *f;

    v1_mm_1_to_4(t, 1);
    v1_mm5(t, 5, TRUE, FALSE);
    ike(&m, 6, 1, IKD_X1_MAIN, FALSE, TRUE, SPI_A, SPI_B, 0, 1004);   /* MM4 again */
    m.has_ke = m.has_nonce = 1;
    f = ikd_test_only_finding(ikd_diag_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_PSK_MISMATCH);
    g_assert_true(ikd_test_has_evidence(f, 4));
    g_assert_true(ikd_test_has_evidence(f, 5));
    g_assert_nonnull(strstr(f->message, "repeated Main Mode message 4 (first sent in frame 4) in frame 6"));
    g_assert_nonnull(v1_mm5(t, 7, TRUE, TRUE));
    ikd_diag_finish(t);
    g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_PSK_MISMATCH), ==, 1);
    g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_NO_RESPONSE), ==, 0);
    ikd_diag_free(t);
}

/* Aggressive Mode with a PSK: the initiator cannot verify HASH_R in AM2;
 * it sends an unreadable Informational, or nothing (AM2 repeated). */
static void
test_v1_am_refusal(void)
{
    for (int variant = 0; variant < 2; variant++) {
        ikd_diag *t = ikd_diag_new(NULL);
        ikd_msg m;
        const ikd_finding *f;

        ike(&m, 1, 1, IKD_X1_AGGRESSIVE, TRUE, FALSE, SPI_A, ZERO, 0, 1);
        ike_proposal(&m, 1);
        ident(&m, TRUE, 2, "initiator.example");
        ikd_diag_add(t, &m);
        ike(&m, 2, 1, IKD_X1_AGGRESSIVE, FALSE, TRUE, SPI_A, SPI_B, 0, 2);
        ike_proposal(&m, 1);
        ident(&m, TRUE, 2, "responder.example");
        m.has_hash = 1;
        /* (AM2 may carry the aggressive-mode-psk warning: rules_hygiene.c) */
        ikd_diag_add(t, &m);
        g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_PSK_MISMATCH), ==, 0);
        if (variant == 0) {
            ike(&m, 3, 1, IKD_X1_INFORMATIONAL, TRUE, FALSE, SPI_A, SPI_B, 99, 3);
            m.flags = IKD_FLAG_V1_E;
            m.encrypted = 1;
            m.decrypted = 1;
            m.malformed = 1;
        } else {
            ike(&m, 3, 1, IKD_X1_AGGRESSIVE, FALSE, TRUE, SPI_A, SPI_B, 0, 2);    /* AM2 again */
            ike_proposal(&m, 1);
            ident(&m, TRUE, 2, "responder.example");
            m.has_hash = 1;
        }
        f = ikd_test_only_finding(ikd_diag_add(t, &m));
        g_assert_cmpint(f->cause, ==, IKD_CAUSE_PSK_MISMATCH);
        g_assert_true(ikd_test_has_evidence(f, 2));
        g_assert_nonnull(strstr(f->message, variant == 0 ? "unreadable Informational in frame 3"
                                                         : "repeated Aggressive Mode message 2"));
        g_assert_nonnull(strstr(f->message, "likely differ"));
        ikd_diag_free(t);
    }
}

/* A healthy Main Mode: MM6 comes, nothing said. */
static void
test_v1_healthy(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;

    v1_mm_1_to_4(t, 1);
    v1_mm5(t, 5, TRUE, FALSE);
    ike(&m, 6, 1, IKD_X1_MAIN, FALSE, TRUE, SPI_A, SPI_B, 0, 1006);
    m.flags = IKD_FLAG_V1_E;
    m.encrypted = m.decrypted = 1;
    ident(&m, TRUE, 2, "responder.example");
    m.has_hash = 1;
    g_assert_null(ikd_diag_add(t, &m)->findings);
    ikd_diag_finish(t);
    g_assert_cmpuint(ikd_tracker_sas(ikd_diag_tracker(t))->n_findings, ==, 0);
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
    notify(&m, IKD_N_NO_PROPOSAL_CHOSEN);
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
    m.tf[0].id = 20;                /* AES-GCM instead of AES-CBC */
    ikd_diag_add(t, &m);
    ike(&m, 12, 2, IKD_X2_IKE_SA_INIT, FALSE, TRUE, SPI_C, SPI_D, 0, 12);
    notify(&m, IKD_N_NO_PROPOSAL_CHOSEN);
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
    notify(&m, IKD_N_INVALID_MAJOR_VERSION);
    f = ikd_test_only_finding(ikd_diag_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_IKE_VERSION_MISMATCH);
    g_assert_true(ikd_test_has_evidence(f, 1));
    g_assert_nonnull(strstr(f->message, "answered the IKEv1 request of frame 1 with INVALID_MAJOR_VERSION in frame 2"));
    ikd_diag_free(t);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/auth/v2-psk-mismatch", test_v2_psk_mismatch);
    g_test_add_func("/auth/v2-eap-failed", test_v2_eap_failed);
    g_test_add_func("/auth/v2-eap-failure", test_v2_eap_failure);
    g_test_add_func("/auth/v2-cert-expired", test_v2_cert_expired);
    g_test_add_func("/auth/v2-cert-not-yet-valid", test_v2_cert_not_yet_valid);
    g_test_add_func("/auth/v2-cert-untrusted-likely", test_v2_cert_untrusted_likely);
    g_test_add_func("/auth/v2-cert-untrusted-chain", test_v2_cert_untrusted_chain);
    g_test_add_func("/auth/v2-cert-same-ca-as-verifier", test_v2_cert_same_ca_as_verifier);
    g_test_add_func("/auth/v2-cert-untrusted-other-ca-accepted", test_v2_cert_untrusted_other_ca_accepted);
    g_test_add_func("/auth/v2-id-not-in-cert", test_v2_id_not_in_cert);
    g_test_add_func("/auth/v2-id-elsewhere", test_v2_id_elsewhere);
    g_test_add_func("/auth/v2-asked-idr", test_v2_asked_idr);
    g_test_add_func("/auth/v2-initiator-refuses", test_v2_initiator_refuses);
    g_test_add_func("/auth/v2-initiator-refuses-psk-identity", test_v2_initiator_refuses_psk_identity);
    g_test_add_func("/auth/v2-healthy-certs", test_v2_healthy_certs);
    g_test_add_func("/auth/v2-no-keys-certreq", test_v2_no_keys_certreq);
    g_test_add_func("/auth/v1-notify-refusals", test_v1_notify_refusals);
    g_test_add_func("/auth/v1-cert-untrusted-by-dn", test_v1_cert_untrusted_by_dn);
    g_test_add_func("/auth/v1-mm5-stall-unreadable-reply", test_v1_mm5_stall_unreadable_reply);
    g_test_add_func("/auth/v1-mm5-stall-retransmissions", test_v1_mm5_stall_retransmissions);
    g_test_add_func("/auth/v1-mm4-repeated", test_v1_mm4_repeated);
    g_test_add_func("/auth/v1-am-refusal", test_v1_am_refusal);
    g_test_add_func("/auth/v1-healthy", test_v1_healthy);
    g_test_add_func("/version/refused-by-v1-only-peer", test_version_refused_by_v1_only_peer);
    g_test_add_func("/version/invalid-major", test_version_invalid_major);
    return g_test_run();
}
