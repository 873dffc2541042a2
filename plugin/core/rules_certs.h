/* rules_certs.h
 * What the certificate rules offer the authentication family and the
 * no-keys family (rules_certs.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IKD_RULES_CERTS_H
#define IKD_RULES_CERTS_H

#include "rules_credentials.h"

/* A refusal explained by a certificate out of its validity at capture time;
 * TRUE when reported.  'refusal' describes the notify: "AUTHENTICATION_FAILED
 * in frame 4". */
gboolean ikd_diagnose_cert_validity(ikd_rule_ctx *c, const auth_view *v, const char *verifier,
                                    const char *refusal);
/* A refusal explained by an issuer the verifier does not trust. */
gboolean ikd_diagnose_cert_trust(ikd_rule_ctx *c, const auth_view *v, const ikd_notify *n,
                                 const char *verifier, const char *refusal);
/* The refused side's own CERTREQ names a CA (by key hash) that the
 * verifier's CERTREQ names too: both peers trust that CA, and the refused
 * side's certificate most likely comes from it.  The CERTREQ hash (SHA-1 of
 * the CA's SubjectPublicKeyInfo, RFC 7296 3.7) cannot be compared with the
 * certificate's authorityKeyIdentifier (SHA-1 of the key bit string, RFC
 * 5280 4.2.1.2), so this is the wire's best evidence of trust when the CA's
 * certificate is not in the capture.  *frame: the refused side's CERTREQ. */
gboolean ikd_cert_ca_shared(const ikd_rule_ctx *c, const auth_view *v, guint32 *frame);
/* An IKE_AUTH accepted although a certificate is out of date; the
 * responder's own out-of-date certificate in its IKE_AUTH response (TRUE
 * when reported). */
void ikd_cert_accepted_out_of_date(ikd_rule_ctx *c);
gboolean ikd_cert_responder_out_of_date(ikd_rule_ctx *c);
/* What the clear part of an IKEv2 SA says about its authentication
 * (CERTREQs), for an encrypted IKE_AUTH; g_free() it.  Without 'text', only
 * *evidence_frame (a finding without texts), and NULL. */
char *ikd_auth_known(const ikd_sa *sa, guint32 *evidence_frame, gboolean text);

#endif /* IKD_RULES_CERTS_H */
