/* rules_reachability.c
 * Requests nobody answers: retransmissions, ICMP errors quoting IKE, and IKE
 * version mismatches.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include "rules_common.h"
#include "rules_psk.h"
#include "rules_xauth.h"
#include "names.h"

static const char *
icmp_meaning(guint8 v6, guint8 type, guint8 code)
{
    if (!v6 && type == 3) {
        switch (code) {
        case 3: return "port unreachable: nothing listens on the IKE port there (daemon down or not bound to that address)";
        case 1: return "host unreachable";
        case 0: return "network unreachable";
        case 9: case 10: case 13: return "administratively prohibited: a firewall rejects IKE";
        case 4: return "fragmentation needed: the IKE message is larger than the path MTU";
        default: return "destination unreachable";
        }
    }
    if (v6 && type == 1) {
        switch (code) {
        case 4: return "port unreachable: nothing listens on the IKE port there (daemon down or not bound to that address)";
        case 1: return "administratively prohibited: a firewall rejects IKE";
        case 3: return "address unreachable";
        default: return "destination unreachable";
        }
    }
    if (v6 && type == 2)
        return "packet too big: the IKE message is larger than the path MTU";
    if ((!v6 && type == 11) || (v6 && type == 3))
        return "time exceeded (routing loop)";
    return "ICMP error";
}

static void
report_no_response(ikd_rule_ctx *c, ikd_sa *sa, ikd_exchange *ex, guint32 frame, gboolean at_end)
{
    char abuf[64];
    const ikd_slot *s = &ex->request;
    const ikd_addr *peer = ex->from_initiator ? &sa->resp_addr : &sa->init_addr;
    guint16 port = ex->from_initiator ? sa->resp_port : sa->init_port;
    ikd_cause cause = IKD_CAUSE_NO_RESPONSE;
    const char *why;
    ikd_finding *f;

    /* One diagnosis per SA: once a failure is explained (a refusal the
     * initiator ignores and retries, a PSK mismatch, a blocked port), its
     * retransmissions are a consequence, not another cause. */
    if (ikd_sa_has_cause(sa, IKD_CAUSE_NO_RESPONSE) || ikd_sa_has_failure(sa))
        return;
    f = ikd_report(c->fs, sa, ex, frame, cause, TRUE);
    ikd_finding_evidence(f, s->frame);
    why = NULL;
    guint32 heard = ikd_peer_heard_after(sa, ex, s->frame);
    if (heard) {
        ikd_finding_evidence(f, heard);
        why = "the peer is alive (it kept sending other messages of this SA, e.g. re-sending its previous "
              "answer) but cannot process this one, which usually means it cannot decrypt or verify it: "
              "different keys (pre-shared key) or a malformed message";
    } else if (ex->request.msg && ex->request.msg->content_len > 1400) {
        why = "the message is large; if IP fragments are dropped on the path, use IKEv2 fragmentation (RFC 7383)";
    }
    ikd_finding_message(f, "%s request of frame %u to %s port %u was sent %u time%s%s and never answered%s%s",
                        ikd_exchange_name(ex->version, ex->exch_type), s->frame,
                        ikd_peer_str(peer, abuf, sizeof abuf), port, s->n_sent,
                        s->n_sent == 1 ? "" : "s", at_end ? " before the capture ended" : "",
                        why ? "; " : "", why ? why : "");
    ikd_finding_hint(f, "check that the peer's IKE daemon runs and listens on %s (UDP %u), "
                     "that no firewall drops UDP 500/4500 on the way, and that the configured remote "
                     "address (strongSwan remote_addrs / right=, libreswan right=, Cisco set peer) is right",
                     ikd_peer_str(peer, abuf, sizeof abuf), port);
}

static void
on_icmp(ikd_rule_ctx *c)
{
    const ikd_msg *m = c->m;
    char abuf[64];
    ikd_finding *f;

    if (!c->sa || !c->ex || !c->fi->icmp_for)
        return;
    if (ikd_sa_has_cause(c->sa, IKD_CAUSE_NO_RESPONSE))
        return;
    /* The initiator's port unreachable for the responder's repeated answer
     * after the negotiation already failed, or after a scanner's probe:
     * the initiator gave up (or exited), which the earlier finding says. */
    if (ikd_addr_equal(&m->src, &c->sa->init_addr) &&
        (ikd_sa_has_failure(c->sa) || ikd_sa_has_cause(c->sa, IKD_CAUSE_SCAN_PROBE) ||
         ikd_sa_has_cause(c->sa, IKD_CAUSE_XAUTH_FAILED)))
        return;
    const char *meaning = icmp_meaning(m->icmp_v6, m->icmp_type, m->icmp_code);
    f = ikd_report(c->fs, c->sa, c->ex, c->fi->frame, IKD_CAUSE_NO_RESPONSE, TRUE);
    ikd_finding_evidence(f, c->fi->icmp_for);
    ikd_finding_message(f, "%s answered the IKE message of frame %u with ICMP%s type %u code %u: %s",
                        ikd_peer_str(&m->src, abuf, sizeof abuf), c->fi->icmp_for,
                        m->icmp_v6 ? "v6" : "", m->icmp_type, m->icmp_code, meaning);
    if (strstr(meaning, "port unreachable"))
        ikd_finding_hint(f, "start the IKE daemon on %s or make it listen on that address "
                         "(strongSwan: charon.interfaces_use / listen; libreswan: listen=)",
                         ikd_peer_str(&m->quoted_dst, abuf, sizeof abuf));
    else if (strstr(meaning, "prohibited"))
        ikd_finding_hint(f, "allow UDP 500 and 4500 (and ESP, IP protocol 50) through the firewall "
                         "that sent this ICMP error (%s)", ikd_peer_str(&m->src, abuf, sizeof abuf));
    else if (strstr(meaning, "MTU"))
        ikd_finding_hint(f, "enable IKEv2 fragmentation (strongSwan fragmentation=yes, libreswan "
                         "fragmentation=yes, Cisco crypto ikev2 fragmentation) or raise the path MTU");
    else
        ikd_finding_hint(f, "check routing towards %s", ikd_peer_str(&m->quoted_dst, abuf, sizeof abuf));
}

/* Every transform of proposal 'p' (of digest 'pd') is in proposal 'q' (of
 * 'qd'): 'q' offers what 'p' is.  IKEv1 transforms arrive in IKEv2 numbers
 * (model.h), so the two versions compare directly. */
static gboolean
proposal_within(const ikd_digest *pd, const ikd_proposal *p, const ikd_digest *qd, const ikd_proposal *q)
{
    if (!p->n_tf)
        return FALSE;
    for (guint i = 0; i < p->n_tf; i++) {
        const ikd_transform *a = &IKD_TF(pd)[p->first_tf + i];
        gboolean found = FALSE;
        for (guint j = 0; j < q->n_tf && !found; j++) {
            const ikd_transform *b = &IKD_TF(qd)[q->first_tf + j];
            found = a->type == b->type && a->id == b->id && (!a->key_len || !b->key_len || a->key_len == b->key_len);
        }
        if (!found)
            return FALSE;
    }
    return TRUE;
}

/* Would the IKE proposal 'peer' used in 'sa' (the one it chose as
 * responder, or one it offered as initiator) have fitted the refused offer
 * 'offer'?  Then the algorithms are not what was refused. */
static gboolean
peer_proposal_fits(const ikd_sa *sa, const ikd_addr *peer, const ikd_digest *offer)
{
    for (const ikd_exchange *ex = sa->exchanges; ex; ex = ex->next_in_sa) {
        const ikd_slot *slot[2] = { &ex->request, &ex->response };
        const gboolean by_init[2] = { ex->from_initiator, !ex->from_initiator };
        for (int i = 0; i < 2; i++) {
            const ikd_digest *d = slot[i]->msg;
            if (!d || !ikd_addr_equal(by_init[i] ? &sa->init_addr : &sa->resp_addr, peer))
                continue;
            for (guint k = 0; k < d->n_prop; k++) {
                if (IKD_PROP(d)[k].protocol != IKD_PROTO_IKE)
                    continue;
                for (guint o = 0; o < offer->n_prop; o++) {
                    if (IKD_PROP(offer)[o].protocol == IKD_PROTO_IKE &&
                        proposal_within(d, &IKD_PROP(d)[k], offer, &IKD_PROP(offer)[o]))
                        return TRUE;
                }
            }
        }
    }
    return FALSE;
}

/* The first frame 'peer' sent in 'sa' other than a NO_PROPOSAL_CHOSEN
 * refusal, or 0: a peer that only refuses has not shown what it speaks. */
static guint32
peer_spoke_in(const ikd_sa *sa, const ikd_addr *peer)
{
    for (const ikd_exchange *ex = sa->exchanges; ex; ex = ex->next_in_sa) {
        const ikd_slot *slot[3] = { &ex->request, &ex->response, &ex->final };
        const gboolean by_init[3] = { ex->from_initiator, !ex->from_initiator, ex->from_initiator };
        for (int i = 0; i < 3; i++) {
            if (!slot[i]->msg || !ikd_addr_equal(by_init[i] ? &sa->init_addr : &sa->resp_addr, peer))
                continue;
            if (!ikd_digest_notify(slot[i]->msg, IKD_N_NO_PROPOSAL_CHOSEN))
                return slot[i]->frame;
        }
    }
    return 0;
}

/* Does 'peer' speak only the IKE version other than 'version' in the rest
 * of the capture, with IKE algorithms the refused 'offer' includes?
 * Returns a frame that shows it, or 0.  (When the algorithms differ, the
 * proposal is the better explanation: rules_proposals.c.) */
static guint32
peer_speaks_only_other(ikd_rule_ctx *c, const ikd_sa *self, const ikd_addr *peer, guint8 version,
                       const ikd_digest *offer)
{
    guint32 shown = 0;
    const GPtrArray *sas = ikd_tracker_sas_at(c->t, peer);   /* the peer's SAs only */
    for (guint s = ikd_peer_scan_start(sas); sas && s < sas->len; s++) {
        const ikd_sa *sa = g_ptr_array_index(sas, s);
        guint32 fr;
        if (sa == self || !(fr = peer_spoke_in(sa, peer)))
            continue;
        if (sa->version == version)
            return 0;
        if (!shown && offer && peer_proposal_fits(sa, peer, offer))
            shown = fr;
    }
    return shown;
}

/* IKE version mismatch (RFC 7296 2.5 and 1.5, RFC 2408 5.1): an
 * INVALID_MAJOR_VERSION, an answer in the other version, or the refusal of
 * the first exchange by a peer that speaks only the other version elsewhere
 * in the capture (strongSwan and libreswan answer an IKE_SA_INIT for which
 * they have only IKEv1 configs with NO_PROPOSAL_CHOSEN: nothing else on the
 * wire says "version"). */
static void
ikd_rules_version(ikd_rule_ctx *c)
{
    const ikd_msg *m = c->m;
    const ikd_notify *n = ikd_digest_notify(&m->digest, IKD_N_INVALID_MAJOR_VERSION);
    gboolean other_version = c->sa->version != m->version && c->fi->role != IKD_ROLE_REQUEST;
    guint32 shown = 0;
    guint8 v = c->sa->version, other = v == 1 ? 2 : 1;
    char abuf[64];

    if (c->fi->retransmission_of || ikd_sa_has_cause(c->sa, IKD_CAUSE_IKE_VERSION_MISMATCH))
        return;
    if (!n && !other_version) {
        /* The refusal of the very first exchange (IKE_SA_INIT, MM1, AM1). */
        gboolean first;
        if (m->version >= 2)
            first = c->ex->exch_type == IKD_X2_IKE_SA_INIT && c->fi->role == IKD_ROLE_RESPONSE;
        else
            first = m->exch_type == IKD_X1_INFORMATIONAL && !c->sa->ike_established && c->sa->exchanges &&
                    c->sa->exchanges->phase1_step == 1 && !c->sa->exchanges->response.frame;
        if (!first || !ikd_digest_notify(&m->digest, IKD_N_NO_PROPOSAL_CHOSEN) ||
            ikd_addr_equal(&m->src, &c->sa->init_addr) ||
            !(shown = peer_speaks_only_other(c, c->sa, &m->src, v,
                                             m->version >= 2 ? c->ex->request.msg
                                             : c->sa->exchanges ? c->sa->exchanges->request.msg : NULL)))
            return;
    }

    /* The request refused: the SA's first one, sent by the other peer
     * before this answer.  A lone notify (a capture that begins with it,
     * or td_isakmp-no-none-np.pcapng's crafted one) has none. */
    const ikd_exchange *first_ex = c->sa->exchanges;
    gboolean sender_init = !ikd_addr_equal(&c->sa->init_addr, &c->sa->resp_addr)
                           ? ikd_addr_equal(&m->src, &c->sa->init_addr) : m->sport == c->sa->init_port;
    guint32 rq = 0;
    if (c->fi->role == IKD_ROLE_RESPONSE && c->ex->request.frame && c->ex->request.frame < c->fi->frame)
        rq = c->ex->request.frame;
    else if (first_ex && first_ex->request.frame && first_ex->request.frame < c->fi->frame &&
             first_ex->from_initiator != sender_init)
        rq = first_ex->request.frame;
    ikd_finding *f = ikd_report(c->fs, c->sa, c->ex, c->fi->frame, IKD_CAUSE_IKE_VERSION_MISMATCH, TRUE);
    ikd_finding_evidence(f, rq);
    ikd_finding_evidence(f, shown);
    ikd_finding_set(&f->mismatch, "IKE version");
    if (n && !rq) {
        /* All the capture shows is the refusal, in the version its sender
         * speaks (RFC 2408 5.1, RFC 7296 2.5: the notify answers a major
         * version the sender does not support). */
        ikd_finding_set(&f->offered, "not IKEv%u (the request is not in the capture)", m->version);
        ikd_finding_message(f, "%s sent INVALID_MAJOR_VERSION in an IKEv%u message (frame %u), refusing a request "
                            "that is not in the capture: the sender speaks IKEv%u and does not support the major "
                            "version of that request (most likely IKEv%u), so the peers do not share an IKE version",
                            ikd_peer_str(&m->src, abuf, sizeof abuf), m->version, c->fi->frame, m->version,
                            m->version == 1 ? 2 : 1);
        ikd_finding_hint(f, "configure the same IKE version on both peers: %s speaks IKEv%u (strongSwan "
                         "swanctl.conf connections.<name>.version, ipsec.conf keyexchange=; libreswan ikev2= / "
                         "keyexchange=; Cisco crypto ikev2 vs crypto isakmp); capture the request as well to see "
                         "which version it used", ikd_peer_str(&m->src, abuf, sizeof abuf), m->version);
        return;
    }
    if (!rq)
        rq = c->sa->first_frame;
    ikd_finding_set(&f->offered, "IKEv%u", v);
    if (n)
        ikd_finding_message(f, "%s answered the IKEv%u request of frame %u with INVALID_MAJOR_VERSION in frame %u: "
                            "it does not speak IKEv%u (or refuses it by policy), so the peers do not share an IKE "
                            "version", ikd_peer_str(&m->src, abuf, sizeof abuf), v, rq, c->fi->frame, v);
    else if (other_version)
        ikd_finding_message(f, "%s answered the IKEv%u request of frame %u with an IKEv%u message in frame %u: the "
                            "peers do not speak the same IKE version", ikd_peer_str(&m->src, abuf, sizeof abuf),
                            v, rq, m->version, c->fi->frame);
    else
        ikd_finding_message(f, "%s refused the IKEv%u request of frame %u with NO_PROPOSAL_CHOSEN in frame %u, and "
                            "it speaks only IKEv%u elsewhere in this capture, with algorithms this offer includes "
                            "(frame %u): it most likely has no IKEv%u configuration for this peer, so the peers do not "
                            "share an IKE version",
                            ikd_peer_str(&m->src, abuf, sizeof abuf), v, rq, c->fi->frame, other, shown, v);
    ikd_finding_hint(f, "configure the same IKE version on both peers: strongSwan swanctl.conf "
                     "connections.<name>.version = %u (0 = both; ipsec.conf keyexchange=ikev%u or ike); libreswan "
                     "ikev2=yes/no or keyexchange=ikev1/ikev2 (and the global ikev1-policy=accept to allow IKEv1); "
                     "Cisco crypto ikev2 profile/policy vs crypto isakmp policy, ASA group-policy "
                     "vpn-tunnel-protocol ikev1/ikev2", other, other);
}

void
ikd_rules_reachability(ikd_rule_ctx *c)
{
    if (c->fi->role == IKD_ROLE_ICMP) {
        on_icmp(c);
        return;
    }
    if (!c->ex || !c->m || c->m->kind != IKD_MSG_IKE)
        return;

    /* The n-th retransmission of an unanswered request. */
    if (ikd_unanswered_at_threshold(c) &&
        /* an IKEv1 MM5 stall with a PSK is a psk-mismatch (rules_auth.c) */
        !ikd_rules_psk_stall(c, c->sa, c->ex, c->fi->frame, FALSE) &&
        /* an unanswered XAUTH request is xauth-failed (rules_xauth.c) */
        !ikd_rules_xauth_stall(c, c->sa, c->ex, c->fi->frame, FALSE))
        report_no_response(c, c->sa, c->ex, c->fi->frame, FALSE);

    ikd_rules_version(c);
}

void
ikd_rules_reachability_finish(ikd_rule_ctx *c)
{
    ikd_sa *sa = c->sa;
    /* A request still unanswered at the end of the capture, retransmitted
     * at least once: the capture ended before the daemon gave up. */
    for (ikd_exchange *ex = sa->exchanges; ex; ex = ex->next_in_sa) {
        if (ex->request.frame && !ex->response.frame && ex->request.n_sent >= 2 &&
            ex->exch_type != IKD_X1_INFORMATIONAL && !ex->diagnosed_in &&
            !ikd_rules_psk_stall(c, sa, ex, ex->request.last_frame, TRUE) &&
            !ikd_rules_xauth_stall(c, sa, ex, ex->request.last_frame, TRUE))
            report_no_response(c, sa, ex, ex->request.last_frame, TRUE);
    }
}
