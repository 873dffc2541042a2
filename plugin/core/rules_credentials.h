/* rules_credentials.h
 * What an IKE SA shows of its credentials, for the authentication,
 * certificate and IKEv1 PSK families: the refused side's identity, AUTH
 * method and certificates, the verifier's CERTREQs, gathered over the SA's
 * exchanges (rules_credentials.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IKD_RULES_CREDENTIALS_H
#define IKD_RULES_CREDENTIALS_H

#include "rules_common.h"

#define MAX_VIEW_CERTS   (2 * IKD_MAX_CERTS)
#define MAX_VIEW_CERTREQ (2 * IKD_MAX_CERTREQ)

/* The refused side's credentials and the verifier's CERTREQs, gathered over
 * the SA's exchanges up to the frame of the refusal. */
typedef struct auth_view {
    gboolean refused_init;          /* the initiator's credentials were refused */
    const ikd_digest *cred;         /* the refused side's last AUTH (IKEv2) */
    guint8   v2_method;
    gboolean eap;                   /* IKEv2: an IKE_AUTH request with IDi and no AUTH
                                       asked for EAP (RFC 7296 2.16) */
    const ikd_ident *own_id;        /* the identity the refused side claimed */
    guint32  own_id_frame;
    const ikd_ident *asked_id;      /* IKEv2: the IDr the initiator asked for */
    guint32  asked_id_frame;
    const ikd_cert *cert[MAX_VIEW_CERTS];   /* the refused side's certificates */
    guint    n_cert;
    guint32  cert_frame;
    gint64   cert_time;
    const ikd_certreq *creq[MAX_VIEW_CERTREQ];  /* the verifier's CERTREQs */
    guint    n_creq;
    guint32  creq_frame;
} auth_view;

void ikd_collect_view(const ikd_sa *sa, gboolean refused_init, guint32 upto_frame, auth_view *v);
/* A failure finding on this frame about the refused credentials of v. */
ikd_finding *ikd_report_refusal(ikd_rule_ctx *c, ikd_cause cause, const auth_view *v, const char *mismatch);

/* IKEv1 pre-shared key methods (plain and XAUTH). */
gboolean ikd_is_psk_v1(guint16 method);
/* The phase 1 authentication method an IKEv1 SA agreed on (or offered). */
guint16 ikd_v1_auth_method(const ikd_sa *sa);
/* Does the SA have a failure of one of the authentication causes? */
gboolean ikd_sa_has_auth_failure(const ikd_sa *sa);
/* Unix seconds as "2026-01-02 03:04:05 UTC"; g_free() it. */
char *ikd_time_text(gint64 t);
void ikd_hex_append(GString *s, const guint8 *b, gsize n);

#endif /* IKD_RULES_CREDENTIALS_H */
