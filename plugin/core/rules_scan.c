/* rules_scan.c
 * Scanner probes (scan-probe): ike-scan's Main Mode, Aggressive Mode and
 * IKEv2 probes.  A probe is one first message and then silence from the
 * initiator; what it finds is about the responder (a weak proposal it
 * accepts, the Aggressive Mode PSK hash it sends in clear), not a tunnel that
 * failed.
 *
 * The wire's sign of a scanner is the first message itself: ike-scan sends
 * a bare SA (Main Mode), SA KE Nonce ID (Aggressive Mode) or SA KE Nonce
 * (IKEv2), with no vendor ID and no notify, while IKE clients announce
 * something: IKEv1 clients NAT-T, DPD, XAUTH or Cisco Unity vendor IDs
 * (vpnc, strongSwan, libreswan, Cisco), IKEv2 clients usually NAT_DETECTION_*
 * and the like (RFC 7296 2.23 makes NAT detection a SHOULD; not all do, so
 * IKEv2 needs a refusal too, below).  So the probe is recognized when the
 * responder answers such a message; the families that
 * would read the silence after it as a failure (psk-mismatch after AM2,
 * no-response for ICMP from the gone scanner, ike-proposal-mismatch) stay
 * quiet for that SA.  A client that stops after AM2 (a wrong group password)
 * looks the same but for its vendor IDs: rules_psk.c lists scan-probe as
 * possible there.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "rules_common.h"
#include "names.h"

/* Does the first message look like a scanner's (see above)? */
static gboolean
bare_first_message(const ikd_digest *rq)
{
    if (!rq || rq->encrypted || !rq->has_sa)
        return FALSE;
    if (rq->version == 1)
        return rq->n_vid == 0 && rq->n_natd == 0 && rq->n_notify == 0 && !rq->has_cert && !rq->has_certreq;
    return rq->n_notify == 0 && rq->n_vid == 0 && !rq->has_certreq;
}

void
ikd_rules_scan(ikd_rule_ctx *c)
{
    const ikd_digest *rq, *d = c->d;
    ikd_finding *f;
    char abuf[64], bbuf[64];

    if (!c->sa || !c->ex || !d || c->fi->role != IKD_ROLE_RESPONSE || c->fi->retransmission_of)
        return;
    if (c->ex != c->sa->exchanges || ikd_sa_has_cause(c->sa, IKD_CAUSE_SCAN_PROBE))
        return;
    if (c->sa->version == 1 ? !(c->ex->exch_type == IKD_X1_MAIN || c->ex->exch_type == IKD_X1_AGGRESSIVE)
                            : c->ex->exch_type != IKD_X2_IKE_SA_INIT)
        return;
    rq = c->ex->request.msg;
    if (!bare_first_message(rq))
        return;
    /* The tracker sets up IKE SA states; a cookie challenge is answered by
     * a scanner's retry like any other, so only real answers count. */
    if (ikd_digest_notify(d, IKD_N_COOKIE))
        return;
    /* IKEv2: some real stacks send IKE_SA_INIT without any notify (arkime's
     * IKEv2.pcap, ../shared/captures/external), so an answered one proves
     * nothing at this frame; only a refusal (NO_PROPOSAL_CHOSEN: ike-scan's
     * default offer) that a client would follow up with a log line, not a
     * retry, is taken for a probe.  INVALID_KE is retried by clients. */
    if (c->sa->version >= 2 && (!ikd_digest_notify(d, IKD_N_NO_PROPOSAL_CHOSEN) ||
                                ikd_digest_notify(d, IKD_N_INVALID_KE_PAYLOAD)))
        return;

    gboolean am = c->sa->version == 1 && c->ex->exch_type == IKD_X1_AGGRESSIVE;
    gboolean refused = ikd_digest_error(d) != NULL;
    char *chosen = d->n_prop ? ikd_proposals_to_config(IKD_PROP(d), 1, IKD_TF(d)) : NULL;
    const char *what = c->sa->version == 1 ? (am ? "Aggressive Mode" : "Main Mode") : "IKE_SA_INIT";

    f = ikd_report(c->fs, c->sa, c->ex, c->fi->frame, IKD_CAUSE_SCAN_PROBE, FALSE);
    ikd_finding_evidence(f, rq->frame);
    if (chosen)
        ikd_finding_set(&f->chosen, "%s", chosen);
    ikd_finding_message(f, "Probe answered: %s %s sent a bare %s first message in frame %u (%s, no %s), as "
                        "ike-scan does and IKE clients do not; responder %s answered it in frame %u%s%s%s. "
                        "This is most likely a scan, a finding about the responder, not a failed tunnel",
                        c->sa->version == 1 ? "IKEv1" : "IKEv2",
                        ikd_peer_str(&c->sa->init_addr, abuf, sizeof abuf), what, rq->frame,
                        c->sa->version == 1 ? (am ? "SA, KE, Nonce, ID" : "SA only") : "SA, KE, Nonce",
                        c->sa->version == 1 ? "vendor ID" : "notify", ikd_peer_str(&c->m->src, bbuf, sizeof bbuf),
                        c->fi->frame,
                        refused ? " with an error notify (it refused every proposal)" : chosen ? ", accepting " : "",
                        !refused && chosen ? chosen : "",
                        am && !refused ? ", and sent its PSK hash (HASH_R) in clear: it can be cracked offline "
                                         "(psk-crack)" : "");
    if (am && !refused)
        ikd_finding_hint(f, "do not answer Aggressive Mode with pre-shared keys (strongSwan aggressive = no "
                         "and charon.i_dont_care_about_security_and_use_aggressive_mode_psk = no; libreswan "
                         "aggressive=no; Cisco crypto isakmp aggressive-mode disable), or use a long random PSK");
    else
        ikd_finding_hint(f, "limit who may reach UDP 500/4500 (firewall), and accept only strong "
                         "proposals (strongSwan ike= / proposals, libreswan ike=, Cisco crypto ikev2 proposal / "
                         "crypto isakmp policy)");
    if (am && !refused)
        ikd_finding_possible(f, IKD_CAUSE_PSK_MISMATCH, "a client whose group password differs also stops after "
                             "Aggressive Mode message 2 (vpnc: \"check group password\"), but it announces vendor "
                             "IDs (XAUTH, Cisco Unity, DPD) in its first message, which frame %u has none of",
                             rq->frame);
    else if (refused && c->sa->version >= 2)
        ikd_finding_possible(f, IKD_CAUSE_IKE_PROPOSAL_MISMATCH, "a client with no proposal in common is refused "
                             "the same way, but it would send NAT detection notifies (frame %u has none) and "
                             "retry or give up with a log line", rq->frame);
    else
        ikd_finding_possible(f, IKD_CAUSE_NO_RESPONSE, "a client that never continues after the responder's "
                             "answer looks the same; a client announces vendor IDs or notifies, which frame %u "
                             "has none of", rq->frame);
    g_free(chosen);
}
