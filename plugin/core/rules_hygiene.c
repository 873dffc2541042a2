/* rules_hygiene.c
 * Crypto hygiene on healthy tunnels: weak algorithms (RFC 8247 for IKEv2,
 * RFC 8221 for ESP) and Aggressive Mode with pre-shared keys.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include "rules_common.h"
#include "names.h"

/* Reasons a proposal is weak, joined; NULL if none. */
static char *
weaknesses(const ikd_digest *d, const ikd_proposal *p)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < p->n_tf; i++) {
        const ikd_transform *t = &IKD_TF(d)[p->first_tf + i];
        const char *w = ikd_transform_weakness(p->protocol, t->type, t->id, t->key_len);
        if (w && !strstr(s->str, w)) {
            if (s->len)
                g_string_append(s, "; ");
            g_string_append(s, w);
        }
    }
    if (!s->len) {
        g_string_free(s, TRUE);
        return NULL;
    }
    return g_string_free(s, FALSE);
}

/* A responder that refuses Aggressive Mode with PSK by policy answers the
 * first message with AUTHENTICATION_FAILED (strongSwan: "Aggressive Mode PSK
 * disabled for security reasons").  No HASH has been exchanged by then, so
 * this cannot be a wrong key: it is the policy.  Returns TRUE when it
 * reported that, so the authentication rules stay quiet. */
gboolean
ikd_rules_aggressive_refused(ikd_rule_ctx *c)
{
    const ikd_msg *m = c->m;
    char abuf[64];

    if (m->version != 1 || m->exch_type != IKD_X1_INFORMATIONAL || c->fi->retransmission_of ||
        c->sa->mode != IKD_X1_AGGRESSIVE || !ikd_digest_notify(&m->digest, IKD_N_AUTHENTICATION_FAILED))
        return FALSE;
    const ikd_exchange *am = c->sa->phase1_current;
    if (!am || am->response.frame || !am->request.msg || !am->request.msg->n_prop)
        return FALSE;
    guint16 method = IKD_PROP(am->request.msg)[0].auth_method;
    if (method != 1 && method != 65001 && method != 65002)
        return FALSE;
    ikd_finding *f = ikd_report(c->fs, c->sa, c->ex, c->fi->frame, IKD_CAUSE_AGGRESSIVE_MODE_PSK, TRUE);
    ikd_finding_evidence(f, am->request.frame);
    ikd_finding_set(&f->offered, "Aggressive Mode, pre-shared key");
    ikd_finding_set(&f->mismatch, "exchange mode / authentication policy");
    ikd_finding_message(f, "%s answered the Aggressive Mode offer of frame %u with AUTHENTICATION_FAILED before any "
                        "hash was exchanged: it refuses Aggressive Mode with a pre-shared key by policy, not because "
                        "of a wrong key (Aggressive Mode exposes a PSK hash to offline cracking)",
                        ikd_peer_str(&m->src, abuf, sizeof abuf), am->request.frame);
    ikd_finding_hint(f, "use Main Mode (strongSwan aggressive = no; libreswan aggressive=no; Cisco: no crypto "
                     "isakmp aggressive-mode) or better IKEv2; strongSwan accepts Aggressive Mode PSK as responder only with "
                     "charon.i_dont_care_about_security_and_use_aggressive_mode_psk = yes");
    return TRUE;
}

void
ikd_rules_hygiene(ikd_rule_ctx *c)
{
    const ikd_digest *d = c->d;
    char abuf[64];

    if (!c->ex || !d || c->fi->retransmission_of || !d->has_sa || !d->n_prop)
        return;

    /* The chosen SA: a response with exactly one proposal, no error. */
    if (ikd_tracker_config(c->t)->weak_crypto && c->fi->role == IKD_ROLE_RESPONSE && !ikd_digest_error(d)) {
        char *w = weaknesses(d, &IKD_PROP(d)[0]);
        if (w) {
            char *chosen = ikd_proposal_to_config(&IKD_PROP(d)[0], IKD_TF(d));
            ikd_finding *f = ikd_report(c->fs, c->sa, c->ex, c->fi->frame, IKD_CAUSE_WEAK_CRYPTO, FALSE);
            ikd_finding_set(&f->chosen, "%s", chosen);
            ikd_finding_message(f, "%s chose a weak %s proposal %s: %s",
                                ikd_peer_str(&c->m->src, abuf, sizeof abuf),
                                IKD_PROP(d)[0].protocol == IKD_PROTO_IKE ? "IKE" : "ESP", chosen, w);
            ikd_finding_hint(f, "prefer AEAD or SHA-2 with a strong group, e.g. %s=aes256gcm16-prfsha384-ecp384 "
                             "or aes256-sha256-modp3072, and remove the weak algorithms from both peers",
                             IKD_PROP(d)[0].protocol == IKD_PROTO_IKE ? "ike" : "esp");
            g_free(chosen);
            g_free(w);
        }
    }

    /* Aggressive Mode with PSK: the responder's hash can be cracked offline. */
    if (c->m->version == 1 && c->m->exch_type == IKD_X1_AGGRESSIVE && c->fi->role == IKD_ROLE_RESPONSE) {
        const ikd_proposal *p = &IKD_PROP(d)[0];
        if (p->auth_method == 1 || p->auth_method == 65001 || p->auth_method == 65002) {
            ikd_finding *f = ikd_report(c->fs, c->sa, c->ex, c->fi->frame, IKD_CAUSE_AGGRESSIVE_MODE_PSK, FALSE);
            ikd_finding_message(f, "Aggressive Mode with a pre-shared key: frame %u carries the responder's HASH in "
                                "clear text, which lets anyone who captured it test PSK guesses offline "
                                "(ike-scan/psk-crack); IKEv1 itself is deprecated (RFC 9395)", c->fi->frame);
            ikd_finding_hint(f, "use Main Mode or, better, IKEv2 (strongSwan aggressive=no / keyexchange=ikev2; "
                             "libreswan aggressive=no; Cisco crypto isakmp aggressive-mode disable)");
        }
    }
}
