/* rules_psk.c
 * The IKEv1 pre-shared key stalls.
 *
 * IKEv1 Main Mode with a pre-shared key fails earlier and more quietly: the
 * key that encrypts MM5 is derived from the PSK (RFC 2409 5: SKEYID =
 * prf(pre-shared-key, Ni_b | Nr_b)), so with different PSKs the responder
 * cannot decrypt MM5.  strongSwan and libreswan answer with an encrypted
 * PAYLOAD_MALFORMED Informational that the initiator cannot read either;
 * Cisco stays silent.  Either way MM5 is retransmitted and MM6 never comes
 * (Cisco's MM_KEY_EXCH stall).  That pattern is a psk-mismatch, and the
 * finding says how sure it is.
 *
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "rules_psk.h"
#include "rules_credentials.h"
#include "names.h"

/* ------------------------------------------------------------ IKEv1 MM5 stall */

/* The Main Mode pair that carries MM5/MM6 when the SA stalls there with a
 * pre-shared key: MM5 sent, MM6 never seen, MM4 answered (the responder is
 * reachable and computed the keys). */
static ikd_exchange *
mm5_stalled(const ikd_sa *sa)
{
    ikd_exchange *mm56 = NULL, *mm34 = NULL;

    if (sa->version != 1 || sa->mode != IKD_X1_MAIN || sa->ike_established)
        return NULL;
    for (ikd_exchange *ex = sa->exchanges; ex; ex = ex->next_in_sa) {
        if (ex->phase1_step == 2)
            mm34 = ex;
        else if (ex->phase1_step == 3)
            mm56 = ex;
    }
    if (!mm56 || !mm34 || !mm34->response.frame || !mm56->request.frame || mm56->response.frame)
        return NULL;
    if (!ikd_is_psk_v1(ikd_v1_auth_method(sa)))
        return NULL;
    return mm56;
}

static const char *
mm5_hint(void)
{
    return "set the same pre-shared key on both peers (strongSwan swanctl.conf secrets { ike-x { secret = ... } }, "
           "or ipsec.conf authby=secret with ipsec.secrets \"<left> <right> : PSK ...\"; libreswan authby=secret "
           "and ipsec.secrets; Cisco crypto isakmp key "
           "<key> address <peer>, or tunnel-group <peer> ipsec-attributes ikev1 pre-shared-key)";
}

/* The responder answered MM5 with an Informational instead of MM6. */
static gboolean
mm5_stall_on_reply(ikd_rule_ctx *c)
{
    const ikd_digest *d = c->d;
    ikd_exchange *mm = mm5_stalled(c->sa);
    const ikd_digest *mm5;
    gboolean unreadable, malformed_notify;
    char abuf[64];
    ikd_finding *f;

    if (!mm || !d || c->ex->from_initiator || c->m->exch_type != IKD_X1_INFORMATIONAL ||
        c->fi->frame < mm->request.frame)
        return FALSE;
    if (ikd_sa_has_cause(c->sa, IKD_CAUSE_PSK_MISMATCH))
        return TRUE;                /* a repeat of the reply already explained */
    mm5 = mm->request.msg;
    malformed_notify = !c->m->malformed && ikd_digest_notify(d, IKD_N_PAYLOAD_MALFORMED) != NULL;
    unreadable = c->m->malformed || (d->encrypted && !d->decrypted);
    if (!malformed_notify && !unreadable)
        return FALSE;

    f = ikd_report(c->fs, c->sa, mm, c->fi->frame, IKD_CAUSE_PSK_MISMATCH, TRUE);
    ikd_finding_evidence(f, mm->request.frame);
    ikd_finding_set(&f->mismatch, "pre-shared key");
    if (malformed_notify) {
        ikd_finding_message(f, "Responder %s answered Main Mode message 5 (frame %u) with PAYLOAD_MALFORMED in "
                            "frame %u instead of message 6: it could not decrypt MM5, whose key is derived from "
                            "the pre-shared key, so the pre-shared keys differ (very likely)",
                            ikd_peer_str(&c->m->src, abuf, sizeof abuf), mm->request.frame, c->fi->frame);
    } else if (mm5 && mm5->decrypted) {
        ikd_finding_message(f, "Responder %s answered Main Mode message 5 (frame %u) with an Informational in "
                            "frame %u that the key which decrypts MM5 cannot read, instead of message 6: the "
                            "peers derived different keys from their pre-shared keys, so the pre-shared keys "
                            "differ (very likely; the responder reports PAYLOAD_MALFORMED under its own key; "
                            "Cisco shows the SA stuck in MM_KEY_EXCH)",
                            ikd_peer_str(&c->m->src, abuf, sizeof abuf), mm->request.frame, c->fi->frame);
    } else {
        ikd_finding_message(f, "Responder %s answered Main Mode message 5 (frame %u) with an encrypted "
                            "Informational in frame %u instead of message 6: with pre-shared key authentication "
                            "this is what a responder does when it cannot decrypt MM5, so the pre-shared keys "
                            "likely differ (Cisco shows the SA stuck in MM_KEY_EXCH); the IKE SA's key would "
                            "confirm it", ikd_peer_str(&c->m->src, abuf, sizeof abuf), mm->request.frame,
                            c->fi->frame);
    }
    ikd_finding_hint(f, "%s", mm5_hint());
    return TRUE;
}

/* The responder repeats MM4 after MM5 arrived (libreswan: "probable
 * authentication failure (mismatch of preshared secrets?): malformed
 * payload", then its MM4 retransmission timer fires): it did not accept
 * MM5. */
static void
mm4_repeated(ikd_rule_ctx *c)
{
    ikd_exchange *mm = mm5_stalled(c->sa);
    char abuf[64];
    ikd_finding *f;

    if (!mm || c->fi->frame < mm->request.frame || ikd_sa_has_cause(c->sa, IKD_CAUSE_PSK_MISMATCH))
        return;
    f = ikd_report(c->fs, c->sa, mm, c->fi->frame, IKD_CAUSE_PSK_MISMATCH, TRUE);
    ikd_finding_evidence(f, mm->request.frame);
    ikd_finding_evidence(f, c->fi->retransmission_of);
    ikd_finding_set(&f->mismatch, "pre-shared key");
    ikd_finding_message(f, "Responder %s repeated Main Mode message 4 (first sent in frame %u) in frame %u after "
                        "the initiator's message 5 (frame %u), instead of answering with message 6: it did not "
                        "accept MM5, which it cannot decrypt when its pre-shared key differs, so the pre-shared "
                        "keys likely differ (libreswan logs \"probable authentication failure (mismatch of "
                        "preshared secrets?)\"; an MM5 lost between the capture point and the responder would "
                        "look the same)",
                        ikd_peer_str(&c->m->src, abuf, sizeof abuf), c->fi->retransmission_of, c->fi->frame,
                        mm->request.frame);
    ikd_finding_hint(f, "%s; if the keys are equal, check that MM5 reaches the responder", mm5_hint());
}

gboolean
ikd_rules_psk_stall(ikd_rule_ctx *c, ikd_sa *sa, ikd_exchange *ex, guint32 frame, gboolean at_end)
{
    ikd_exchange *mm = sa ? mm5_stalled(sa) : NULL;
    ikd_exchange *mm34 = NULL;
    char abuf[64];
    ikd_finding *f;

    if (!mm || mm != ex)
        return FALSE;
    /* Already explained: by this rule, or by a path rule that ran first
     * (MM5 floated to UDP 4500 behind a NAT and nothing came back there:
     * udp-4500-blocked, rules_nat.c). The silence is then the blocked
     * port's doing, not evidence about the keys. */
    if (ikd_sa_has_cause(sa, IKD_CAUSE_PSK_MISMATCH) || ikd_sa_has_failure(sa))
        return TRUE;
    for (ikd_exchange *e = sa->exchanges; e; e = e->next_in_sa) {
        if (e->phase1_step == 2)
            mm34 = e;
    }
    f = ikd_report(c->fs, sa, mm, frame, IKD_CAUSE_PSK_MISMATCH, TRUE);
    ikd_finding_evidence(f, mm->request.frame);
    if (mm34)
        ikd_finding_evidence(f, mm34->response.frame);
    ikd_finding_set(&f->mismatch, "pre-shared key");
    ikd_finding_message(f, "Main Mode message 5 (frame %u) to %s was sent %u times and never answered%s, while "
                        "the responder answered message 3 (MM4 in frame %u): with pre-shared key authentication "
                        "this is the stall a PSK mismatch causes (the responder cannot decrypt MM5; Cisco: stuck "
                        "in MM_KEY_EXCH). Likely, inferred from retransmissions only",
                        mm->request.frame, ikd_peer_str(&sa->resp_addr, abuf, sizeof abuf), mm->request.n_sent,
                        at_end ? " before the capture ended" : "", mm34 ? mm34->response.frame : 0);
    ikd_finding_hint(f, "%s; if the keys are equal, check that UDP 500/4500 passes both ways", mm5_hint());
    return TRUE;
}

/* ------------------------------------------------------------ IKEv1 AM */

/* Aggressive Mode with a pre-shared key: AM2 carries the responder's
 * HASH_R, which the initiator checks with its own PSK (RFC 2409 5.4).  A
 * wrong PSK shows as an initiator that never sends AM3 and answers AM2 with
 * an Informational the responder's key cannot open, or not at all (then the
 * responder repeats AM2). */
static ikd_exchange *
am3_missing(const ikd_sa *sa)
{
    ikd_exchange *am = sa->exchanges;

    if (sa->version != 1 || sa->mode != IKD_X1_AGGRESSIVE || sa->ike_established || !am ||
        am->exch_type != IKD_X1_AGGRESSIVE || !am->response.frame || am->final.frame)
        return NULL;
    if (!ikd_is_psk_v1(ikd_v1_auth_method(sa)))
        return NULL;
    return am;
}

static gboolean
am_refusal(ikd_rule_ctx *c, gboolean repeated_am2)
{
    ikd_exchange *am = am3_missing(c->sa);
    const ikd_digest *d = c->d;
    char abuf[64];
    ikd_finding *f;

    if (!am || c->fi->frame < am->response.frame)
        return FALSE;
    if (ikd_sa_has_cause(c->sa, IKD_CAUSE_PSK_MISMATCH))
        return TRUE;
    /* a scanner collecting HASH_R (rules_scan.c) stops there by design */
    if (ikd_sa_has_cause(c->sa, IKD_CAUSE_SCAN_PROBE))
        return TRUE;
    if (!repeated_am2 && (!d || !c->ex->from_initiator || c->m->exch_type != IKD_X1_INFORMATIONAL ||
                          !(c->m->malformed || (d->encrypted && !d->decrypted))))
        return FALSE;
    f = ikd_report(c->fs, c->sa, am, c->fi->frame, IKD_CAUSE_PSK_MISMATCH, TRUE);
    ikd_finding_evidence(f, am->response.frame);
    ikd_finding_set(&f->mismatch, "pre-shared key");
    if (repeated_am2)
        ikd_finding_message(f, "Responder %s repeated Aggressive Mode message 2 (first sent in frame %u) in frame "
                            "%u: the initiator never completed with message 3, which it does not send when the "
                            "responder's HASH_R does not verify with its own pre-shared key, so the pre-shared "
                            "keys (or the identities they are looked up by) likely differ",
                            ikd_peer_str(&c->m->src, abuf, sizeof abuf), am->response.frame, c->fi->frame);
    else
        ikd_finding_message(f, "Initiator %s answered Aggressive Mode message 2 (frame %u) with an unreadable "
                            "Informational in frame %u instead of message 3: it could not verify the responder's "
                            "HASH_R with its pre-shared key, so the pre-shared keys (or the identities they are "
                            "looked up by) likely differ",
                            ikd_peer_str(&c->m->src, abuf, sizeof abuf), am->response.frame, c->fi->frame);
    ikd_finding_hint(f, "%s; better, leave Aggressive Mode with pre-shared keys (its hash can be cracked "
                     "offline): use Main Mode or IKEv2", mm5_hint());
    if (repeated_am2 && am->request.msg)
        ikd_finding_possible(f, IKD_CAUSE_SCAN_PROBE, "a scanner (ike-scan -A) also stops after message 2, having "
                             "collected HASH_R; the %u vendor ID%s of the first message (frame %u) point to an IKE "
                             "client instead", am->request.msg->n_vid, am->request.msg->n_vid == 1 ? "" : "s",
                             am->request.msg->frame);
    return TRUE;
}

gboolean
ikd_rules_psk_unreadable(ikd_rule_ctx *c)
{
    if (!c->sa || !c->ex || c->m->version != 1)
        return FALSE;
    return ikd_rules_psk_reply(c);
}

gboolean
ikd_rules_psk_reply(ikd_rule_ctx *c)
{
    return mm5_stall_on_reply(c) || am_refusal(c, FALSE);
}

void
ikd_rules_psk_repeat(ikd_rule_ctx *c)
{
    if (c->ex->phase1_step == 2)
        mm4_repeated(c);
    else if (c->ex->exch_type == IKD_X1_AGGRESSIVE)
        am_refusal(c, TRUE);
}
