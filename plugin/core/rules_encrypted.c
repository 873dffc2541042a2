/* rules_encrypted.c
 * What can be said about an exchange whose answer is encrypted and for which
 * no key is configured: that it was answered, what its size suggests, and
 * which key would tell the rest.  Never a failure: the evidence is hidden.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "rules_common.h"
#include "rules_certs.h"
#include "names.h"

/* A successful IKE_AUTH response carries at least IDr, AUTH, SA, TSi and
 * TSr inside SK {}: with the IKE header, SK header, IV and ICV that is well
 * over 150 bytes for any cipher.  A lone error notify (AUTHENTICATION_FAILED,
 * NO_PROPOSAL_CHOSEN, TS_UNACCEPTABLE) fits in about 100. */
#define IKD_SMALL_IKE_AUTH_RESPONSE 120

void
ikd_rules_encrypted(ikd_rule_ctx *c)
{
    const ikd_digest *d = c->d;
    const ikd_exchange *ex = c->ex;
    char abuf[64];

    if (!ex || !d || c->fi->retransmission_of || c->fi->role != IKD_ROLE_RESPONSE)
        return;
    if (!d->encrypted || d->decrypted)
        return;
    if (!((c->m->version >= 2 && (ex->exch_type == IKD_X2_IKE_AUTH || ex->exch_type == IKD_X2_CREATE_CHILD_SA)) ||
          (c->m->version == 1 && ex->exch_type == IKD_X1_QUICK)))
        return;
    if (ikd_sa_has_cause(c->sa, IKD_CAUSE_ENCRYPTED_OUTCOME))
        return;

    ikd_finding *f = ikd_report(c->fs, c->sa, c->ex, c->fi->frame, IKD_CAUSE_ENCRYPTED_OUTCOME, FALSE);
    if (ex->request.frame)
        ikd_finding_evidence(f, ex->request.frame);
    if (ikd_sa_has_cause(c->sa, IKD_CAUSE_MALFORMED)) {
        /* Keys may well be configured: Wireshark decrypts a message only
         * when it has read the ones before it (IKEv1 takes its IV from the
         * Main Mode key exchange), and one of them is cut or malformed. */
        ikd_finding_message(f, "%s answered the %s of frame %u, but Wireshark could not decrypt the answer: "
                            "an earlier message of this IKE SA is truncated or malformed, and decryption "
                            "needs it; the outcome is unknown",
                            ikd_peer_str(&c->m->src, abuf, sizeof abuf), ikd_exchange_name(ex->version, ex->exch_type),
                            ex->request.frame);
        ikd_finding_set(&f->hint, "if frames were cut by the capture's snapshot length, capture with "
                        "tcpdump -s 0 (dumpcap -s 0) so that whole IKE messages are kept");
        return;
    }
    char *key = ikd_key_hint(c->sa);
    if (c->m->version >= 2 && ex->exch_type == IKD_X2_IKE_AUTH && c->m->content_len &&
        c->m->content_len < IKD_SMALL_IKE_AUTH_RESPONSE)
        ikd_finding_message(f, "%s answered the %s of frame %u, but the answer is encrypted and no key is "
                            "configured; at %u bytes it is too small for a successful IKE_AUTH (IDr, AUTH, SA, "
                            "TSi, TSr) and most likely holds only an error notify such as AUTHENTICATION_FAILED",
                            ikd_peer_str(&c->m->src, abuf, sizeof abuf), ikd_exchange_name(ex->version, ex->exch_type),
                            ex->request.frame, c->m->content_len);
    else
        ikd_finding_message(f, "%s answered the %s of frame %u; the outcome is encrypted and no key is configured",
                            ikd_peer_str(&c->m->src, abuf, sizeof abuf), ikd_exchange_name(ex->version, ex->exch_type),
                            ex->request.frame);
    if (c->m->version >= 2 && ex->exch_type == IKD_X2_IKE_AUTH) {
        /* What the clear IKE_SA_INIT tells about the authentication. */
        guint32 ev = 0;
        char *known = ikd_auth_known(c->sa, &ev);
        char *msg = g_strdup_printf("%s; %s", f->message, known);
        g_free(f->message);
        f->message = msg;
        ikd_finding_evidence(f, ev);
        g_free(known);
    }
    ikd_finding_set(&f->hint, "to see the outcome, %s", key);
    g_free(key);
}
