/* rules_auth.c
 * Authentication, identities and certificates.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include "rules.h"
#include "names.h"

/* The phase 1 authentication method an IKEv1 SA agreed on (or offered). */
static guint16
v1_auth_method(const ikd_sa *sa)
{
    guint16 offered = 0;
    for (const ikd_exchange *ex = sa->exchanges; ex; ex = ex->next_in_sa) {
        if (!ex->phase1_step)
            continue;
        if (ex->response.msg && ex->response.msg->n_prop)
            return ex->response.msg->prop[0].auth_method;
        if (ex->request.msg && ex->request.msg->n_prop && !offered)
            offered = ex->request.msg->prop[0].auth_method;
    }
    return offered;
}

static gboolean
is_psk_v1(guint16 method)
{
    return method == 1 || method == 65001 || method == 65002;
}

void
ikd_rules_auth(ikd_rule_ctx *c)
{
    const ikd_msg *m = c->m;
    const ikd_notify *n = NULL;
    char abuf[64], nbuf[32];

    if (!c->ex || c->fi->retransmission_of)
        return;

    if (m->version >= 2) {
        /* AUTHENTICATION_FAILED in the IKE_AUTH response (responder refuses)
         * or in a following INFORMATIONAL (initiator refuses). */
        if (!(n = ikd_msg_notify(m, IKD_N_AUTHENTICATION_FAILED)))
            return;
        const ikd_digest *auth_rq = NULL;
        for (ikd_exchange *ex = c->sa->exchanges; ex; ex = ex->next_in_sa) {
            if (ex->exch_type == IKD_X2_IKE_AUTH && ex->request.msg)
                auth_rq = ex->request.msg;
        }
        gboolean psk = auth_rq && auth_rq->has_auth && auth_rq->auth_method == 2;
        ikd_finding *f = ikd_report(c->t, c->sa, c->ex, c->fi->frame,
                                    psk ? IKD_CAUSE_PSK_MISMATCH : IKD_CAUSE_AUTH_FAILED, TRUE);
        if (auth_rq)
            ikd_finding_evidence(f, auth_rq->frame);
        ikd_finding_set(&f->mismatch, "authentication");
        if (psk) {
            ikd_finding_message(f, "%s rejected the IKE_AUTH of frame %u with AUTHENTICATION_FAILED; the initiator "
                                "authenticated with a pre-shared key, so the two PSKs (or the identities they are "
                                "looked up by) differ",
                                ikd_peer_str(&m->src, abuf, sizeof abuf), auth_rq->frame);
            ikd_finding_set(&f->hint, "set the same secret on both peers for these identities (swanctl.conf "
                            "secrets { ike-x { id = ...; secret = ... } }; ipsec.secrets; libreswan ipsec.secrets; "
                            "Cisco pre-shared-key in the keyring)");
        } else {
            ikd_finding_message(f, "%s reported AUTHENTICATION_FAILED%s%s",
                                ikd_peer_str(&m->src, abuf, sizeof abuf),
                                auth_rq ? " for the IKE_AUTH of frame " : "",
                                auth_rq ? "" : "");
            if (auth_rq) {
                char *msg = g_strdup_printf("%s%u (method: %s)", f->message, auth_rq->frame,
                                            auth_rq->has_auth ? ikd_auth_method_name(2, auth_rq->auth_method) : "not visible");
                g_free(f->message);
                f->message = msg;
            }
            ikd_finding_set(&f->hint, "check the credentials and the identities both peers expect "
                            "(swanctl.conf local/remote auth and id; libreswan leftid/rightid, leftcert; "
                            "Cisco identity and trustpoint)");
        }
        return;
    }

    /* IKEv1 (RFC 2408 3.14.1) */
    if (m->exch_type != IKD_X1_INFORMATIONAL)
        return;
    if (!(n = ikd_msg_notify(m, IKD_N_AUTHENTICATION_FAILED)) &&
        !(n = ikd_msg_notify(m, IKD_N_INVALID_HASH_INFORMATION)) &&
        !(n = ikd_msg_notify(m, IKD_N_INVALID_SIGNATURE)))
        return;
    guint16 method = v1_auth_method(c->sa);
    gboolean psk = is_psk_v1(method);
    ikd_finding *f = ikd_report(c->t, c->sa, c->ex, c->fi->frame,
                                psk ? IKD_CAUSE_PSK_MISMATCH : IKD_CAUSE_AUTH_FAILED, TRUE);
    ikd_finding_set(&f->mismatch, "authentication");
    ikd_finding_message(f, "%s reported %s (authentication method: %s)%s",
                        ikd_peer_str(&m->src, abuf, sizeof abuf), ikd_notify_name(n->type, nbuf, sizeof nbuf),
                        ikd_auth_method_name(1, method),
                        psk ? ": the pre-shared keys differ" : "");
    ikd_finding_set(&f->hint, psk ? "set the same pre-shared key on both peers (ipsec.secrets / swanctl.conf secrets; "
                                    "libreswan ipsec.secrets; Cisco crypto isakmp key)"
                                  : "check certificates, trust anchors and identities on both peers");
}
