/* rules_proposals.c
 * Proposal, DH group and PFS mismatches (IKEv1 and IKEv2).
 *
 * A NO_PROPOSAL_CHOSEN only says "nothing you offered fits".  What the
 * responder would have accepted is often visible elsewhere in the same
 * capture: what it chose in another negotiation, or what it offered when it
 * was the initiator.  pinpoint() compares the refused offer with that, one
 * transform type at a time.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <stdio.h>
#include <string.h>

#include "rules_common.h"
#include "names.h"

static const char *tf_type_words[] = { "?", "encryption", "PRF", "integrity", "DH group", "ESN" };

/* Does any proposal of 'offer' carry this transform? */
static gboolean
offer_has(const ikd_digest *offer, guint8 protocol, const ikd_transform *want)
{
    for (guint p = 0; p < offer->n_prop; p++) {
        const ikd_proposal *pr = &IKD_PROP(offer)[p];
        if (protocol && pr->protocol != protocol)
            continue;
        for (guint i = 0; i < pr->n_tf; i++) {
            const ikd_transform *t = &IKD_TF(offer)[pr->first_tf + i];
            if (t->type == want->type && t->id == want->id && t->key_len == want->key_len)
                return TRUE;
        }
    }
    return FALSE;
}

static gboolean
offer_has_type(const ikd_digest *offer, guint8 protocol, guint8 type)
{
    for (guint p = 0; p < offer->n_prop; p++) {
        const ikd_proposal *pr = &IKD_PROP(offer)[p];
        if (protocol && pr->protocol != protocol)
            continue;
        for (guint i = 0; i < pr->n_tf; i++) {
            if (IKD_TF(offer)[pr->first_tf + i].type == type)
                return TRUE;
        }
    }
    return FALSE;
}

/* Compares a refused offer with a proposal the refusing peer is known to
 * accept.  Writes the transform types with no overlap into 'mismatch' and
 * what the peer wants into 'wanted' (config keywords).  Returns FALSE when
 * nothing is known about the peer. */
static gboolean
pinpoint(const ikd_digest *refused, const ikd_digest *known, guint8 protocol,
         GString *mismatch, GString *wanted)
{
    static const guint8 order[] = { IKD_TF_ENCR, IKD_TF_INTEG, IKD_TF_PRF, IKD_TF_DH, IKD_TF_ESN };
    char buf[32];
    gboolean any = FALSE;

    if (!known || !known->n_prop)
        return FALSE;
    for (gsize o = 0; o < G_N_ELEMENTS(order); o++) {
        guint8 type = order[o];
        gboolean overlap = FALSE, known_has = FALSE;
        GString *kw = g_string_new(NULL);

        for (guint p = 0; p < known->n_prop; p++) {
            const ikd_proposal *pr = &IKD_PROP(known)[p];
            if (protocol && pr->protocol != protocol)
                continue;
            for (guint i = 0; i < pr->n_tf; i++) {
                const ikd_transform *t = &IKD_TF(known)[pr->first_tf + i];
                if (t->type != type)
                    continue;
                /* "no DH" in a child proposal and a missing DH transform
                 * are the same thing. */
                if (type == IKD_TF_DH && t->id == 0)
                    continue;
                known_has = TRUE;
                if (offer_has(refused, protocol, t))
                    overlap = TRUE;
                const char *k = ikd_keyword(t->type, t->id, t->key_len, buf, sizeof buf);
                if (!strstr(kw->str, k)) {
                    if (kw->len)
                        g_string_append(kw, "/");
                    g_string_append(kw, k);
                }
            }
        }
        if (type == IKD_TF_DH && !known_has && offer_has_type(refused, protocol, IKD_TF_DH)) {
            /* The peer accepts this child SA without a DH group (no PFS). */
            gboolean refused_all_dh = TRUE;
            for (guint p = 0; p < refused->n_prop; p++) {
                const ikd_proposal *pr = &IKD_PROP(refused)[p];
                gboolean has = FALSE;
                for (guint i = 0; i < pr->n_tf; i++) {
                    const ikd_transform *t = &IKD_TF(refused)[pr->first_tf + i];
                    if (t->type == IKD_TF_DH && t->id != 0)
                        has = TRUE;
                }
                if (!has)
                    refused_all_dh = FALSE;
            }
            if (refused_all_dh && protocol != IKD_PROTO_IKE) {
                if (mismatch->len)
                    g_string_append(mismatch, ", ");
                g_string_append(mismatch, "PFS");
                if (wanted->len)
                    g_string_append(wanted, ", ");
                g_string_append(wanted, "no PFS group");
                any = TRUE;
            }
        }
        /* AEAD ciphers (GCM, CCM, ChaCha20-Poly1305) carry no integrity
         * transform: when one side is AEAD the difference is the cipher,
         * not a missing integrity algorithm. */
        if (type == IKD_TF_INTEG && !offer_has_type(refused, protocol, IKD_TF_INTEG))
            known_has = FALSE;
        if (known_has && !overlap && (type != IKD_TF_ESN || offer_has_type(refused, protocol, type))) {
            if (mismatch->len)
                g_string_append(mismatch, ", ");
            g_string_append(mismatch, tf_type_words[type]);
            if (wanted->len)
                g_string_append(wanted, ", ");
            g_string_append(wanted, kw->str);
            any = TRUE;
        }
        g_string_free(kw, TRUE);
    }
    return any || TRUE;
}

/* What the capture shows 'peer' accepting: a response it sent that chose
 * an SA of this protocol, else an offer it made as an initiator. */
static const ikd_digest *
known_acceptable(ikd_rule_ctx *c, const ikd_addr *peer, guint8 protocol, guint32 before_frame,
                 const char **how)
{
    const ikd_digest *chosen = NULL, *offered = NULL;
    const GPtrArray *sas = ikd_tracker_sas_at(c->t, peer);   /* the peer's SAs only */

    for (guint s = ikd_peer_scan_start(sas); sas && s < sas->len; s++) {
        const ikd_sa *sa = g_ptr_array_index(sas, s);
        for (ikd_exchange *ex = sa->exchanges; ex; ex = ex->next_in_sa) {
            const ikd_digest *rq = ex->request.msg, *rs = ex->response.msg;
            gboolean peer_is_responder = ex->from_initiator ? ikd_addr_equal(&sa->resp_addr, peer)
                                                            : ikd_addr_equal(&sa->init_addr, peer);
            if (rs && peer_is_responder && rs->has_sa && !ikd_digest_error(rs) &&
                rs->n_prop && IKD_PROP(rs)[0].protocol == protocol && rs->frame != before_frame)
                chosen = rs;
            if (rq && !peer_is_responder && rq->has_sa && rq->n_prop &&
                IKD_PROP(rq)[0].protocol == protocol && rq->frame != before_frame && !offered)
                offered = rq;
        }
    }
    if (chosen) {
        *how = "chose";
        return chosen;
    }
    if (offered) {
        *how = "offered";
        return offered;
    }
    return NULL;
}

/* Copies the first proposal of 'offer' with the DH transforms replaced by
 * 'group' first: the hint for an INVALID_KE_PAYLOAD. */
static char *
config_with_group_first(const ikd_digest *offer, guint16 group)
{
    if (!offer || !offer->n_prop)
        return g_strdup(ikd_group_keyword(group) ? ikd_group_keyword(group) : "");
    char *s = ikd_proposal_to_config(&IKD_PROP(offer)[0], IKD_TF(offer));
    const char *kw = ikd_group_keyword(group);
    char *r;
    if (kw && !strstr(s, kw)) {
        r = g_strdup_printf("%s-%s", s, kw);
    } else {
        r = g_strdup(s);
    }
    g_free(s);
    return r;
}

static const char *
proto_word(guint8 protocol)
{
    return protocol == IKD_PROTO_IKE ? "IKE" : protocol == IKD_PROTO_AH ? "AH" : "ESP";
}

/* An earlier IKE SA to the same responder that got the same refusal of the
 * same offer (daemons retry with a fresh SPI: libreswan does, ignoring the
 * notify), or NULL. */
static const ikd_finding *
same_refusal_before(const ikd_rule_ctx *c, ikd_cause cause, const char *offered)
{
    const GPtrArray *same_resp = ikd_tracker_sas_at(c->t, &c->sa->resp_addr);

    for (guint s = ikd_peer_scan_start(same_resp); same_resp && s < same_resp->len; s++) {
        const ikd_sa *other = g_ptr_array_index(same_resp, s);
        if (other == c->sa)
            break;
        for (guint32 i = 0; i < other->n_findings; i++) {
            const ikd_finding *g = other->findings[i];
            if (g->cause == cause && g->offered && g_strcmp0(g->offered, offered) == 0 &&
                ikd_addr_equal(&other->resp_addr, &c->sa->resp_addr))
                return g;
        }
    }
    return NULL;
}

/* The other causes a NO_PROPOSAL_CHOSEN fits when the wire cannot single
 * out the transform (ikediag.possible): a responder set up only for the
 * other IKE version refuses the first message the same way (strongSwan
 * keyexchange= / version =), and one with another PFS setting refuses a
 * child offer the same way. */
static void
possible_behind_no_proposal(ikd_rule_ctx *c, ikd_finding *f, const ikd_digest *offer, guint8 protocol,
                            const ikd_digest *known)
{
    gboolean v2 = c->sa->version >= 2;
    if (known || !offer)
        return;
    if (protocol == IKD_PROTO_IKE && (v2 ? offer->exch_type == IKD_X2_IKE_SA_INIT : !c->sa->ike_established))
        ikd_finding_possible(f, IKD_CAUSE_IKE_VERSION_MISMATCH, "a responder configured only for IKEv%d "
                             "refuses the IKEv%d offer of frame %u with this same notify (strongSwan "
                             "keyexchange=ikev%d / swanctl.conf version = %d, libreswan ikev2=%s); an IKEv%d "
                             "negotiation with this peer elsewhere in the capture, or the responder's log "
                             "(\"no IKE config found\"), tells it apart", v2 ? 1 : 2, v2 ? 2 : 1, offer->frame,
                             v2 ? 1 : 2, v2 ? 1 : 2, v2 ? "no" : "insist", v2 ? 1 : 2);
    if (protocol != IKD_PROTO_IKE && f->cause != IKD_CAUSE_PFS_MISMATCH) {
        gboolean ke = FALSE;
        for (guint i = 0; i < offer->n_tf && !ke; i++)
            ke = IKD_TF(offer)[i].type == IKD_TF_DH && IKD_TF(offer)[i].id;
        ke = ke || offer->has_ke;
        ikd_finding_possible(f, IKD_CAUSE_PFS_MISMATCH, ke ? "the offer of frame %u asks for PFS (a KE payload / DH "
                             "group): a responder configured without PFS or with another group refuses it the same "
                             "way; the same algorithms accepted without KE elsewhere in the capture would make it "
                             "certain" : "the offer of frame %u has no PFS group: a responder that requires PFS "
                             "(libreswan pfs=yes, Cisco set pfs) refuses it the same way; the responder's "
                             "proposals (its log) tell it apart", offer->frame);
    }
}

/* Shared text for NO_PROPOSAL_CHOSEN; 'offer' is the refused request. */
static void
report_no_proposal(ikd_rule_ctx *c, const ikd_digest *offer, guint8 protocol,
                   ikd_cause cause, const ikd_addr *refuser, const char *where)
{
    /* A refusal already explained by the IKE version (rules_reachability.c
     * runs first) is not also a proposal mismatch. */
    if (ikd_sa_has_cause(c->sa, IKD_CAUSE_IKE_VERSION_MISMATCH))
        return;
    /* ... nor is a scanner's probe (rules_scan.c runs first). */
    if (ikd_sa_has_cause(c->sa, IKD_CAUSE_SCAN_PROBE))
        return;
    char abuf[64];
    char *offered = offer ? ikd_proposals_to_config(IKD_PROP(offer), offer->n_prop, IKD_TF(offer)) : g_strdup("(not captured)");
    const char *how = NULL;
    const ikd_digest *known = known_acceptable(c, refuser, protocol, offer ? offer->frame : 0, &how);
    GString *mismatch = g_string_new(NULL), *wanted = g_string_new(NULL);
    ikd_finding *f = ikd_report(c->fs, c->sa, c->ex, c->fi->frame, cause, TRUE);
    guint n = offer ? offer->n_prop : 0;

    if (offer)
        ikd_finding_evidence(f, offer->frame);
    ikd_finding_set(&f->offered, "%s", offered);
    if (known && offer)
        pinpoint(offer, known, protocol, mismatch, wanted);
    if (known) {
        char *k = ikd_proposals_to_config(IKD_PROP(known), MIN(known->n_prop, 3), IKD_TF(known));
        ikd_finding_evidence(f, known->frame);
        ikd_finding_set(&f->chosen, "%s", k);
        g_free(k);
    }
    if (mismatch->len)
        ikd_finding_set(&f->mismatch, "%s", mismatch->str);

    GString *msg = g_string_new(NULL);
    const char *who = ikd_addr_equal(refuser, &c->sa->resp_addr) ? "Responder" : "Peer";
    const char *pw = proto_word(protocol);
    if (!offer)
        g_string_append_printf(msg, "%s %s refused the %s proposals of a request that is not in the capture%s: "
                               "no proposal chosen", who, ikd_peer_str(refuser, abuf, sizeof abuf), pw, where);
    else if (n == 1)
        g_string_append_printf(msg, "%s %s refused the only %s proposal offered in frame %u (%s)%s: "
                               "no proposal chosen", who, ikd_peer_str(refuser, abuf, sizeof abuf), pw,
                               offer->frame, offered, where);
    else
        g_string_append_printf(msg, "%s %s refused all %u %s proposals offered in frame %u (%s)%s: "
                               "no proposal chosen", who, ikd_peer_str(refuser, abuf, sizeof abuf), n, pw,
                               offer->frame, offered, where);
    if (known) {
        g_string_append_printf(msg, "; in frame %u the same peer %s %s", known->frame, how, f->chosen);
        if (strcmp(mismatch->str, "PFS") == 0)
            g_string_append(msg, ", so only PFS differs: it accepts the same algorithms without PFS");
        else if (mismatch->len)
            g_string_append_printf(msg, ", so the %s differ%s (it wants %s)", mismatch->str,
                                   strchr(mismatch->str, ',') ? "" : "s", wanted->str);
    } else {
        guint16 pfs_group = 0;
        if (offer && protocol != IKD_PROTO_IKE) {
            for (guint i = 0; i < offer->n_tf && !pfs_group; i++) {
                if (IKD_TF(offer)[i].type == IKD_TF_DH && IKD_TF(offer)[i].id)
                    pfs_group = IKD_TF(offer)[i].id;
            }
        }
        if (pfs_group) {
            /* A responder without PFS refuses such an offer with the very same
             * notify, so say so rather than guess. */
            const char *g = ikd_group_keyword(pfs_group);
            g_string_append_printf(msg, "; the offer asks for PFS with %s, and a responder configured "
                                   "without PFS (or with another group) refuses it the same way", g ? g : "a DH group");
            ikd_finding_set(&f->mismatch, "unknown (PFS or algorithms)");
        } else if (offer && protocol != IKD_PROTO_IKE) {
            /* ... and one that requires PFS (libreswan's default) refuses an
             * offer without a group the same way. */
            g_string_append(msg, "; the offer has no PFS group, and a responder that requires PFS "
                            "(libreswan's default pfs=yes, Cisco set pfs) refuses it the same way");
            ikd_finding_set(&f->mismatch, "unknown (PFS or algorithms)");
        }
        g_string_append(msg, "; the peer's own proposals are not in this capture, so which transform "
                        "differs cannot be told from the wire (its log names it, e.g. strongSwan's "
                        "\"no acceptable ENCRYPTION_ALGORITHM found\")");
    }
    /* say it is the same refusal rather than leave the analyst to compare */
    const ikd_finding *same = same_refusal_before(c, cause, f->offered);
    if (same) {
        g_string_append_printf(msg, "; the same refusal as in frame %u (IKE SA %u)", same->frame,
                               same->sa->number);
        ikd_finding_evidence(f, same->frame);
    }
    ikd_finding_take_message(f, g_string_free(msg, FALSE));

    if (cause == IKD_CAUSE_PFS_MISMATCH)
        ikd_finding_hint(f, "configure PFS the same on both peers: either drop the group from the "
                         "initiator's ESP proposal (esp=%s) or add it to the responder's (strongSwan esp_proposals / "
                         "ipsec.conf esp= with the group, e.g. %s-modp2048; libreswan pfs=yes; Cisco set pfs)",
                         known ? f->chosen : offered, known ? f->chosen : offered);
    else if (known && protocol == IKD_PROTO_IKE)
        ikd_finding_hint(f, "use a proposal the responder accepts on the initiator, e.g. ike=%s "
                         "(swanctl.conf: proposals = %s; libreswan: ike=%s; Cisco: crypto ikev2 proposal)",
                         f->chosen, f->chosen, f->chosen);
    else if (protocol == IKD_PROTO_IKE)
        ikd_finding_hint(f, "give both peers one common IKE proposal: add %s to the responder's "
                         "proposals (strongSwan ike= / swanctl.conf proposals; libreswan ike=; Cisco crypto "
                         "ikev2 proposal / crypto isakmp policy) or change the initiator's to one the responder has",
                         offered);
    else if (known)
        ikd_finding_hint(f, "use an %s proposal the responder accepts, e.g. esp=%s (swanctl.conf "
                         "children.<name>.esp_proposals; libreswan esp= / phase2alg=; Cisco crypto ipsec "
                         "transform-set / ikev2 ipsec-proposal)", pw, f->chosen);
    else
        ikd_finding_hint(f, "give both peers one common %s proposal: add %s to the responder's "
                         "esp proposals (swanctl.conf children.<name>.esp_proposals; libreswan esp= / "
                         "phase2alg=; Cisco crypto ipsec transform-set / ikev2 ipsec-proposal)", pw, offered);
    possible_behind_no_proposal(c, f, offer, protocol, known);
    g_free(offered);
    g_string_free(mismatch, TRUE);
    g_string_free(wanted, TRUE);
}

/* IKEv2 (RFC 7296 1.2, 1.3, 2.7, 3.10.1) */
static void
rules_v2(ikd_rule_ctx *c)
{
    const ikd_digest *d = c->d;
    const ikd_exchange *ex = c->ex;
    const ikd_digest *rq = ex->request.msg;
    const ikd_notify *n;
    char abuf[64];
    const ikd_addr *responder = &c->m->src;

    if (c->fi->role != IKD_ROLE_RESPONSE || c->fi->retransmission_of || !d)
        return;

    if ((n = ikd_digest_notify(d, IKD_N_INVALID_KE_PAYLOAD))) {
        guint16 want = n->data_len >= 2 ? (guint16)(n->data[0] << 8 | n->data[1]) : 0;
        guint16 sent = rq ? rq->ke_group : 0;
        gboolean offered = FALSE;
        if (rq) {
            ikd_transform tfw = { IKD_TF_DH, want, 0 };
            offered = offer_has(rq, 0, &tfw);
        }
        /* The initiator retries with the group asked for when it offered
         * that group (strongSwan and libreswan do): recoverable.  A group it
         * never offered cannot be agreed on. */
        ikd_finding *f = ikd_report(c->fs, c->sa, c->ex, c->fi->frame, IKD_CAUSE_DH_GROUP_MISMATCH, !offered);
        const char *sent_kw = ikd_group_keyword(sent), *want_kw = ikd_group_keyword(want);
        if (rq)
            ikd_finding_evidence(f, rq->frame);
        ikd_finding_set(&f->offered, "%s", sent_kw ? sent_kw : "?");
        ikd_finding_set(&f->chosen, "%s", want_kw ? want_kw : "?");
        ikd_finding_set(&f->mismatch, "DH group");
        ikd_finding_message(f, "%s %s refused the KE payload of frame %u (DH group %u, %s) and asks for "
                            "group %u (%s)%s",
                            ex->exch_type == IKD_X2_IKE_SA_INIT ? "Responder" : "Peer",
                            ikd_peer_str(responder, abuf, sizeof abuf), rq ? rq->frame : 0,
                            sent, sent_kw ? sent_kw : "?", want, want_kw ? want_kw : "?",
                            offered ? "; the initiator offered that group, so a retry with it should follow"
                                    : "; the initiator did not offer that group, so they cannot agree");
        char *cfg = config_with_group_first(rq, want);
        ikd_finding_hint(f, "put %s first in the initiator's proposal (%s=%s) so its first KE "
                         "payload uses it and saves a round trip",
                         want_kw ? want_kw : "the requested group",
                         ex->exch_type == IKD_X2_IKE_SA_INIT ? "ike" : "esp", cfg);
        g_free(cfg);
        return;
    }

    if ((n = ikd_digest_notify(d, IKD_N_NO_PROPOSAL_CHOSEN))) {
        if (ex->exch_type == IKD_X2_IKE_SA_INIT) {
            report_no_proposal(c, rq, IKD_PROTO_IKE, IKD_CAUSE_IKE_PROPOSAL_MISMATCH, responder, "");
        } else if (ex->exch_type == IKD_X2_IKE_AUTH) {
            report_no_proposal(c, rq, IKD_PROTO_ESP, IKD_CAUSE_CHILD_PROPOSAL_MISMATCH, responder,
                               " in IKE_AUTH (the IKE SA itself is up)");
        } else if (ex->exch_type == IKD_X2_CREATE_CHILD_SA) {
            /* A refused CREATE_CHILD_SA that carried KE, whose algorithms the
             * peer accepted without KE before, is a PFS mismatch. */
            gboolean is_ike_rekey = rq && rq->n_prop && IKD_PROP(rq)[0].protocol == IKD_PROTO_IKE;
            const char *how = NULL;
            const ikd_digest *known = rq ? known_acceptable(c, responder, IKD_PROTO_ESP, rq->frame, &how) : NULL;
            if (!is_ike_rekey && rq && rq->has_ke && known) {
                gboolean same_algs = TRUE;
                const ikd_proposal *kp = &IKD_PROP(known)[0];
                for (guint i = 0; i < kp->n_tf; i++) {
                    const ikd_transform *t = &IKD_TF(known)[kp->first_tf + i];
                    if ((t->type == IKD_TF_ENCR || t->type == IKD_TF_INTEG) && !offer_has(rq, IKD_PROTO_ESP, t))
                        same_algs = FALSE;
                }
                gboolean known_pfs = FALSE;
                for (guint i = 0; i < kp->n_tf; i++) {
                    const ikd_transform *t = &IKD_TF(known)[kp->first_tf + i];
                    if (t->type == IKD_TF_DH && t->id)
                        known_pfs = TRUE;
                }
                if (same_algs && !known_pfs) {
                    char *offered = ikd_proposals_to_config(IKD_PROP(rq), rq->n_prop, IKD_TF(rq));
                    char *k = ikd_proposal_to_config(&IKD_PROP(known)[0], IKD_TF(known));
                    ikd_finding *f = ikd_report(c->fs, c->sa, c->ex, c->fi->frame, IKD_CAUSE_PFS_MISMATCH, TRUE);
                    ikd_finding_evidence(f, rq->frame);
                    ikd_finding_evidence(f, known->frame);
                    ikd_finding_set(&f->offered, "%s", offered);
                    ikd_finding_set(&f->chosen, "%s", k);
                    ikd_finding_set(&f->mismatch, "PFS");
                    ikd_finding_message(f, "Peer %s refused the CREATE_CHILD_SA of frame %u, which asked for PFS "
                                        "(KE payload, DH group %u: %s); the same peer accepted %s without PFS in frame %u",
                                        ikd_peer_str(responder, abuf, sizeof abuf), rq->frame, rq->ke_group,
                                        offered, k, known->frame);
                    const char *g = ikd_group_keyword(rq->ke_group) ? ikd_group_keyword(rq->ke_group) : "modp2048";
                    ikd_finding_hint(f, "configure PFS the same on both peers: either add the group to the "
                                     "responder's ESP proposal (strongSwan esp_proposals = %s-%s, ipsec.conf esp=%s-%s; "
                                     "libreswan pfs=yes; Cisco set pfs) or drop it from the initiator's (esp=%s)",
                                     k, g, k, g, k);
                    g_free(offered);
                    g_free(k);
                    return;
                }
            }
            report_no_proposal(c, rq, is_ike_rekey ? IKD_PROTO_IKE : IKD_PROTO_ESP,
                               is_ike_rekey ? IKD_CAUSE_IKE_PROPOSAL_MISMATCH : IKD_CAUSE_CHILD_PROPOSAL_MISMATCH,
                               responder, " in CREATE_CHILD_SA");
        }
    }
}

/* The phase 1 offer (MM1/AM1) of an IKEv1 SA. */
static const ikd_exchange *
v1_first_offer_ex(const ikd_sa *sa)
{
    for (const ikd_exchange *ex = sa->exchanges; ex; ex = ex->next_in_sa) {
        if (ex->phase1_step == 1 && ex->request.msg)
            return ex;
    }
    return NULL;
}

static const ikd_digest *
v1_first_offer(const ikd_sa *sa)
{
    const ikd_exchange *ex = v1_first_offer_ex(sa);
    return ex ? ex->request.msg : NULL;
}

/* The latest Quick Mode not completed whose responder (refuser_answers)
 * or requester (!refuser_answers) sent the notify: 'by_init' says whether
 * the notify's sender is the IKE SA's initiator. */
static ikd_exchange *
v1_pending_quick(const ikd_sa *sa, gboolean by_init, gboolean refuser_answers)
{
    ikd_exchange *found = NULL;
    for (ikd_exchange *ex = sa->exchanges; ex; ex = ex->next_in_sa) {
        if (ex->exch_type != IKD_X1_QUICK || ex->final.frame)
            continue;
        gboolean refuser_is_responder = ex->from_initiator != by_init;
        if (refuser_is_responder == refuser_answers)
            found = ex;
    }
    return found;
}

/* A NO_PROPOSAL_CHOSEN from the peer that made the offer (RFC 2408 5.x: a
 * refusal of an offer comes from the peer that received it).  The offerer
 * cannot refuse its own offer: it rejects the answer it got, or the notify
 * is stray (zs_ipsec.cap: the initiator sends one after MM2, then Main Mode
 * completes).  A failure until later success makes it a recovered note
 * (ikd_rules_proposals_recovered()). */
static void
report_answer_rejected(ikd_rule_ctx *c, const ikd_exchange *offer_ex, guint8 protocol, ikd_cause cause,
                       const char *where)
{
    const ikd_digest *offer = offer_ex ? offer_ex->request.msg : NULL;
    const ikd_digest *answer = offer_ex ? offer_ex->response.msg : NULL;
    const char *pw = proto_word(protocol);
    const char *who = c->ex->from_initiator ? "Initiator" : "Responder";
    char abuf[64], bbuf[64];
    ikd_finding *f = ikd_report(c->fs, c->sa, c->ex, c->fi->frame, cause, TRUE);
    char *offered = offer ? ikd_proposals_to_config(IKD_PROP(offer), offer->n_prop, IKD_TF(offer)) : NULL;
    GString *msg = g_string_new(NULL);

    if (offered)
        ikd_finding_set(&f->offered, "%s", offered);
    g_string_append_printf(msg, "%s %s sent NO_PROPOSAL_CHOSEN%s, but it made the %s offer", who,
                           ikd_peer_str(&c->m->src, abuf, sizeof abuf), where, pw);
    if (offer) {
        ikd_finding_evidence(f, offer->frame);
        g_string_append_printf(msg, " of frame %u (%s)", offer->frame, offered);
    }
    g_string_append(msg, " itself, so this is not a refusal of its offer");
    if (answer && answer->n_prop) {
        char *k = ikd_proposals_to_config(IKD_PROP(answer), MIN(answer->n_prop, 1), IKD_TF(answer));
        ikd_finding_evidence(f, answer->frame);
        ikd_finding_set(&f->chosen, "%s", k);
        g_string_append_printf(msg, ": it rejects the answer of frame %u, in which %s chose %s", answer->frame,
                               ikd_peer_str(&c->m->dst, bbuf, sizeof bbuf), k);
        ikd_finding_hint(f, "the %s rejects the proposal its peer chose from its own offer: compare the "
                         "answer of frame %u with the offer attribute by attribute (lifetime, key length, "
                         "authentication method); the %s's log names the reason",
                         c->ex->from_initiator ? "initiator" : "responder", answer->frame,
                         c->ex->from_initiator ? "initiator" : "responder");
        g_free(k);
    } else {
        g_string_append(msg, "; no answer to that offer is in the capture, so what it rejects cannot be told");
        ikd_finding_hint(f, "the %s's log names the reason for its notify",
                         c->ex->from_initiator ? "initiator" : "responder");
    }
    ikd_finding_take_message(f, g_string_free(msg, FALSE));
    g_free(offered);
}

/* IKEv1 (RFC 2408 5.x, RFC 2409 5, 5.5) */
static void
rules_v1(ikd_rule_ctx *c)
{
    const ikd_msg *m = c->m;
    const ikd_notify *n;

    if (c->fi->retransmission_of)
        return;

    if (m->exch_type == IKD_X1_INFORMATIONAL && (n = ikd_digest_notify(&m->digest, IKD_N_NO_PROPOSAL_CHOSEN)) &&
        !c->sa->ike_established && ikd_sa_has_cause(c->sa, IKD_CAUSE_IKE_PROPOSAL_MISMATCH)) {
        /* The same refusal of a retransmitted offer (libreswan re-sends MM1
         * after NO_PROPOSAL_CHOSEN; each refusal has a new message ID). */
        return;
    }
    if (m->exch_type == IKD_X1_INFORMATIONAL && (n = ikd_digest_notify(&m->digest, IKD_N_NO_PROPOSAL_CHOSEN))) {
        gboolean by_init = c->ex->from_initiator;
        ikd_exchange *qm = v1_pending_quick(c->sa, by_init, TRUE);
        ikd_exchange *own_qm = qm ? NULL : v1_pending_quick(c->sa, by_init, FALSE);
        const ikd_exchange *p1 = v1_first_offer_ex(c->sa);
        if (c->sa->ike_established && own_qm) {
            report_answer_rejected(c, own_qm, IKD_PROTO_ESP, IKD_CAUSE_CHILD_PROPOSAL_MISMATCH, " in Quick Mode");
        } else if ((!c->sa->ike_established || !qm) && p1 && by_init == p1->from_initiator) {
            report_answer_rejected(c, p1, IKD_PROTO_IKE, IKD_CAUSE_IKE_PROPOSAL_MISMATCH,
                                   c->sa->mode == IKD_X1_AGGRESSIVE ? " in Aggressive Mode" : " in Main Mode");
        } else if (!c->sa->ike_established || !qm) {
            report_no_proposal(c, v1_first_offer(c->sa), IKD_PROTO_IKE, IKD_CAUSE_IKE_PROPOSAL_MISMATCH,
                               &m->src, c->sa->mode == IKD_X1_AGGRESSIVE ? " in Aggressive Mode" : " in Main Mode");
        } else {
            const ikd_digest *rq = qm->request.msg;
            const char *how = NULL;
            const ikd_digest *known = rq ? known_acceptable(c, &m->src, IKD_PROTO_ESP, rq->frame, &how) : NULL;
            GString *mm = g_string_new(NULL), *wanted = g_string_new(NULL);
            if (known && rq)
                pinpoint(rq, known, IKD_PROTO_ESP, mm, wanted);
            gboolean pfs = strcmp(mm->str, "PFS") == 0 || strcmp(mm->str, "DH group") == 0;
            g_string_free(mm, TRUE);
            g_string_free(wanted, TRUE);
            report_no_proposal(c, rq, IKD_PROTO_ESP,
                               pfs ? IKD_CAUSE_PFS_MISMATCH : IKD_CAUSE_CHILD_PROPOSAL_MISMATCH,
                               &m->src, " in Quick Mode");
        }
        return;
    }

    /* Quick Mode answered without the KE that PFS requires, or with a KE
     * nobody asked for (RFC 2409 5.5). */
    if (m->exch_type == IKD_X1_QUICK && c->fi->role == IKD_ROLE_RESPONSE && c->d && c->ex->request.msg) {
        const ikd_digest *rq = c->ex->request.msg;
        if ((rq->decrypted || !rq->encrypted) && (c->d->decrypted || !c->d->encrypted) &&
            rq->has_ke != c->d->has_ke) {
            char abuf[64];
            ikd_finding *f = ikd_report(c->fs, c->sa, c->ex, c->fi->frame, IKD_CAUSE_PFS_MISMATCH, TRUE);
            ikd_finding_evidence(f, rq->frame);
            ikd_finding_set(&f->mismatch, "PFS");
            ikd_finding_message(f, "Quick Mode %s in frame %u %s a KE payload but the answer from %s %s one: "
                                "the peers disagree on PFS",
                                "request", rq->frame, rq->has_ke ? "carries" : "lacks",
                                ikd_peer_str(&m->src, abuf, sizeof abuf), c->d->has_ke ? "carries" : "lacks");
            ikd_finding_hint(f, "enable PFS with the same group on both peers (strongSwan esp=...-modp2048; "
                             "libreswan pfs=yes; Cisco set pfs group14) or disable it on both");
        }
    }
}

void
ikd_rules_proposals(ikd_rule_ctx *c)
{
    if (!c->ex)
        return;
    if (c->m->version >= 2)
        rules_v2(c);
    else
        rules_v1(c);
}

/* ------------------------------------------------------------ recovery */

/* Did this frame show the peers past an IKE proposal or DH refusal?  An
 * IKE_SA_INIT answer (MM2, AM2) that chose a proposal without an error, or
 * the IKE SA becoming established (tracker.c: prove_established()).
 * Returns the request that succeeded for the first, NULL otherwise. */
static gboolean
success_now(const ikd_rule_ctx *c, const ikd_digest **accepted_rq)
{
    const ikd_frame_info *fi = c->fi;

    *accepted_rq = NULL;
    if (c->m && c->m->kind == IKD_MSG_IKE && c->ex && c->d && fi->role == IKD_ROLE_RESPONSE &&
        !fi->retransmission_of && c->d->has_sa && c->d->n_prop && !ikd_digest_error(c->d) &&
        ((c->m->version >= 2 && c->ex->exch_type == IKD_X2_IKE_SA_INIT) ||
         (c->m->version == 1 && fi->phase1_msg == 2))) {
        *accepted_rq = c->ex->request.msg;
        return TRUE;
    }
    return c->sa->ike_established && c->sa->established_in == fi->frame;
}

/* A refusal is one of the peers' negotiation, not the end of it: the
 * initiator retries (after INVALID_KE_PAYLOAD with the group asked for,
 * often under a new SPI; after NO_PROPOSAL_CHOSEN with another proposal),
 * or the refusal was not what stopped the SA (zs_ipsec.cap: the initiator
 * itself sends NO_PROPOSAL_CHOSEN, then Main Mode completes).  Later success
 * on the same IKE SA, or on a later one from the same initiator to the same
 * responder, makes an earlier refusal a recovered note (failure=0) that
 * says how it was got past. */
void
ikd_rules_proposals_recovered(ikd_rule_ctx *c)
{
    const ikd_digest *rq = NULL;
    const GPtrArray *sas;
    ikd_sa *sa = c->sa;
    guint32 now = c->fi->frame;
    guint32 after;
    char *proof = NULL;

    if (!sa || !success_now(c, &rq))
        return;
    /* what succeeded must come after the refusal: a response never precedes its request */
    after = rq ? rq->frame : now;
    sas = ikd_tracker_sas_at(c->t, &sa->init_addr);
    for (guint s = ikd_peer_scan_start(sas); sas && s < sas->len; s++) {
        ikd_sa *other = g_ptr_array_index(sas, s);
        if (other != sa && (!ikd_addr_equal(&other->init_addr, &sa->init_addr) ||
                            !ikd_addr_equal(&other->resp_addr, &sa->resp_addr)))
            continue;
        for (guint32 i = 0; i < other->n_findings; i++) {
            ikd_finding *g = other->findings[i];
            char sa_words[32];
            if ((g->cause != IKD_CAUSE_IKE_PROPOSAL_MISMATCH && g->cause != IKD_CAUSE_DH_GROUP_MISMATCH) ||
                g->recovered_in || g->frame >= after)
                continue;
            if (other == sa)
                snprintf(sa_words, sizeof sa_words, "the same IKE SA");
            else
                snprintf(sa_words, sizeof sa_words, "IKE SA %u", sa->number);
            GString *msg = g_string_new(g->message);
            if (rq && g->cause == IKD_CAUSE_DH_GROUP_MISMATCH) {
                const char *kw = ikd_group_keyword(rq->ke_group);
                g_string_append_printf(msg, "; the initiator retried with %s in frame %u (%s) and succeeded: "
                                       "the responder accepted it in frame %u",
                                       kw ? kw : "another KE payload", rq->frame, sa_words, now);
            } else if (rq) {
                char *o = ikd_proposals_to_config(IKD_PROP(rq), rq->n_prop, IKD_TF(rq));
                char *k = ikd_proposals_to_config(IKD_PROP(c->d), MIN(c->d->n_prop, 1), IKD_TF(c->d));
                g_string_append_printf(msg, "; the initiator retried with %s in frame %u (%s) and succeeded: "
                                       "the responder chose %s in frame %u", o, rq->frame, sa_words, k, now);
                g_free(o);
                g_free(k);
            } else {
                if (!proof)
                    proof = ikd_sa_proof_text(c->t, sa);
                g_string_append_printf(msg, "; the negotiation went on past it: %s established in frame %u%s%s",
                                       other == sa ? "the same IKE SA was" : sa_words, now,
                                       proof ? " (" : "", proof ? proof : "");
                if (proof)
                    g_string_append(msg, ")");
                ikd_finding_evidence(g, sa->proof_frame);
            }
            if (g->failure)
                g_string_append(msg, ", so this refusal is recovered, not the failure of the SA");
            ikd_finding_take_message(g, g_string_free(msg, FALSE));
            if (rq)
                ikd_finding_evidence(g, rq->frame);
            ikd_finding_evidence(g, now);
            g->recovered_in = now;
            ikd_finding_recovered(g);
        }
    }
    g_free(proof);
}
