/* rules_notify.c
 * The fallback for error notifies: an error notify (type 1..16383) that no
 * more specific rule explained becomes a notify-error finding that names the
 * notify, who sent it and in answer to what, with a fix where the notify has
 * a usual one (INTERNAL_ADDRESS_FAILURE, FAILED_CP_REQUIRED, ...).
 *
 * It runs after every other family on a message (rules.c), so a refusal the
 * proposal, selector, authentication or version rules understood is never
 * reported twice; it is not a way to report those notifies when the specific
 * rules decided to stay silent (repeats of an explained refusal, the echo of
 * a failed IKE SA).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "rules_common.h"
#include "names.h"

/* names.c keeps one name per number; where IKEv1 (RFC 2408 3.14.1) and
 * IKEv2 (RFC 7296 3.10.1) name a number differently, say the version's own. */
static const char *
notify_name(guint8 version, guint16 type, char *buf, gsize len)
{
    if (version >= 2 && type == 1)
        return "UNSUPPORTED_CRITICAL_PAYLOAD";
    if (version >= 2 && type == 7)
        return "INVALID_SYNTAX";
    if (version == 1 && type == IKD_N_INVALID_COOKIE)
        return "INVALID_COOKIE";
    if (version == 1 && type == IKD_N_INVALID_KEY_INFORMATION)
        return "INVALID_KEY_INFORMATION";
    return ikd_notify_name(type, buf, len);
}

/* What the notify says, for the notifies seen in the field; NULL for the
 * others (the finding then points at the RFCs). */
static const char *
notify_meaning(guint8 version, guint16 type)
{
    switch (type) {
    case IKD_N_INTERNAL_ADDRESS_FAILURE:
        return "it could not assign the virtual IP (internal address) asked for in the configuration payload: "
               "its address pool is exhausted or has no address for this peer";
    case IKD_N_FAILED_CP_REQUIRED:
        return "it requires a configuration payload (a virtual IP request) that the initiator did not send";
    case IKD_N_TEMPORARY_FAILURE:
        return "it cannot process the request now, usually because a rekey or Delete collides with another "
               "exchange on the same SA, and expects the sender to retry later";
    case IKD_N_NO_ADDITIONAL_SAS:
        return "it accepts no further CHILD SAs on this IKE SA";
    case IKD_N_CHILD_SA_NOT_FOUND:
        return "it has no CHILD SA with the SPI the request names (already deleted, or never created): the "
               "peers' SA state is out of sync";
    case IKD_N_INVALID_SPI:
        return "it received a message for an SPI it does not know: the peers' SA state is out of sync (a "
               "restarted peer, or a Delete that got lost)";
    case IKD_N_INVALID_IKE_SPI:
        return "it does not know the IKE SA the message belongs to (it restarted, or deleted that SA)";
    case IKD_N_SINGLE_PAIR_REQUIRED:
        return "it accepts only a single pair of addresses as traffic selectors (those of the packet that "
               "triggered the negotiation)";
    case IKD_N_INVALID_SELECTORS:
        return "an ESP or AH packet arrived whose addresses do not match the CHILD SA's traffic selectors";
    case IKD_N_INVALID_MESSAGE_ID:
        return "the message ID is outside its window: the peers' exchange state is out of sync";
    case IKD_N_PAYLOAD_MALFORMED:
    case IKD_N_BAD_PROPOSAL_SYNTAX:
        return "it could not parse the message";
    case 1:
        return version >= 2 ? "it does not support a payload the sender marked critical" : NULL;
    case 7:
        return version >= 2 ? "it found the message malformed or out of protocol order" : NULL;
    default:
        return NULL;
    }
}

static const char *
notify_hint(guint16 type)
{
    switch (type) {
    case IKD_N_INTERNAL_ADDRESS_FAILURE:
        return "give the responder's address pool more addresses or free stale leases (strongSwan swanctl.conf "
               "pools { <name> { addrs = <range> } } with connections.<conn>.pools = <name>, swanctl --list-pools "
               "--leases; ipsec.conf rightsourceip=<range>; libreswan rightaddresspool=<range>; Cisco ip local "
               "pool / ASA address-pool in the tunnel-group or group-policy)";
    case IKD_N_FAILED_CP_REQUIRED:
        return "let the initiator request a virtual IP (strongSwan swanctl.conf connections.<conn>.vips = 0.0.0.0, "
               "ipsec.conf leftsourceip=%config; libreswan leftmodecfgclient=yes, modecfgpull=yes; Cisco: the "
               "client configuration of the profile) or drop the requirement on the responder (its pools, "
               "rightaddresspool, address-pool)";
    case IKD_N_TEMPORARY_FAILURE:
        return "usually nothing: the sender retries. If it repeats, both peers rekey at the same moment: spread "
               "the rekeying (strongSwan rekey_time with rand_time, libreswan rekeymargin/rekeyfuzz, Cisco "
               "lifetimes that differ between the peers)";
    case IKD_N_NO_ADDITIONAL_SAS:
        return "the peer limits the CHILD SAs per IKE SA: combine the traffic selectors into fewer CHILD SAs or "
               "raise the peer's limit; its log names the limit";
    case IKD_N_CHILD_SA_NOT_FOUND:
    case IKD_N_INVALID_SPI:
    case IKD_N_INVALID_IKE_SPI:
        return "bring the peers' state back in line: enable DPD on both peers (strongSwan dpd_delay, libreswan "
               "dpddelay/dpdaction, Cisco dpd / isakmp keepalive) and INITIAL_CONTACT, so a restarted peer's "
               "stale SAs are cleared, then re-initiate the tunnel";
    default:
        return "the sending peer's log says why it sent it (strongSwan charon log, libreswan pluto log, Cisco "
               "debug crypto ikev2 / debug crypto isakmp); RFC 7296 3.10.1 (IKEv2) and RFC 2408 3.14.1 (IKEv1) "
               "describe the notify";
    }
}

static gboolean
is_informational(const ikd_exchange *ex)
{
    return ex->version >= 2 ? ex->exch_type == IKD_X2_INFORMATIONAL : ex->exch_type == IKD_X1_INFORMATIONAL;
}

/* Findings that only add context to a frame (notes on a healthy exchange)
 * do not explain an error notify it carries. */
static gboolean
frame_explained(const ikd_frame_info *fi)
{
    for (const ikd_finding *f = fi->findings; f; f = f->next_on_frame) {
        if (f->failure)
            return TRUE;
        switch (f->cause) {
        case IKD_CAUSE_NAT_DETECTED:
        case IKD_CAUSE_WEAK_CRYPTO:
        case IKD_CAUSE_TS_NARROWED:
        case IKD_CAUSE_AGGRESSIVE_MODE_PSK:
        case IKD_CAUSE_SA_DELETED:
            break;
        default:
            return TRUE;        /* e.g. dh-group-mismatch (ok) explains INVALID_KE_PAYLOAD */
        }
    }
    return FALSE;
}

/* The same notify in an earlier frame of this SA that carries a finding:
 * this one repeats an error already explained (strongSwan answers each of
 * libreswan's retransmissions with a new NO_PROPOSAL_CHOSEN Informational). */
static gboolean
repeats_explained(const ikd_sa *sa, guint16 type, guint32 frame)
{
    for (guint32 i = 0; i < sa->n_findings; i++) {
        const ikd_finding *f = sa->findings[i];
        const ikd_exchange *ex = f->exchange;
        if (f->frame >= frame || !ex)
            continue;
        const ikd_slot *slots[3] = { &ex->request, &ex->response, &ex->final };
        for (guint s = 0; s < 3; s++) {
            if (slots[s]->frame == f->frame && ikd_digest_notify(slots[s]->msg, type))
                return TRUE;
        }
    }
    return FALSE;
}

/* The exchange a notify sent outside a response is about: the latest other
 * exchange of the SA begun before it. */
static ikd_exchange *
exchange_before(const ikd_sa *sa, const ikd_exchange *self, guint32 frame)
{
    ikd_exchange *about = NULL;

    for (ikd_exchange *o = sa->exchanges; o; o = o->next_in_sa) {
        if (o != self && o->request.frame && o->request.frame < frame &&
            (!about || o->request.frame > about->request.frame))
            about = o;
    }
    return about;
}

void
ikd_rules_notify(ikd_rule_ctx *c)
{
    const ikd_msg *m = c->m;
    ikd_sa *sa = c->sa;
    ikd_exchange *ex = c->ex, *about;
    const ikd_notify *n = NULL;
    char abuf[64], nbuf[32];
    gboolean response, from_init, failure;
    const char *name, *meaning;
    ikd_finding *f;

    if (!sa || !ex || m->kind != IKD_MSG_IKE || c->fi->retransmission_of)
        return;
    for (guint i = 0; i < m->n_notify && !n; i++) {
        if (ikd_notify_is_error(IKD_NOTIFY(m)[i].type))
            n = &IKD_NOTIFY(m)[i];
    }
    if (!n || frame_explained(c->fi))
        return;
    /* The exchange already has its diagnosis (a failure found before this
     * answer came), or the IKE SA failed for a reason already explained: its
     * later errors are echoes of that failure. */
    if ((ex->diagnosed_in && ex->failed) || (!sa->ike_established && ikd_sa_has_failure(sa)) ||
        repeats_explained(sa, n->type, c->fi->frame))
        return;

    response = c->fi->role == IKD_ROLE_RESPONSE && ex->request.frame;
    about = response ? ex : exchange_before(sa, ex, c->fi->frame);
    /* Sent on its own after an exchange whose failure is explained: the
     * echo of that failure (the initiator's INFORMATIONAL with
     * AUTHENTICATION_FAILED after the EAP Failure in the IKE_AUTH answer). */
    if (!response && about && about->failed && about->diagnosed_in)
        return;
    from_init = m->version >= 2 ? (m->flags & IKD_FLAG_V2_I) != 0 : ikd_addr_equal(&m->src, &sa->init_addr);
    /* A failure when it refuses an exchange that sets up an SA (IKE_SA_INIT,
     * IKE_AUTH, CREATE_CHILD_SA, Main/Aggressive/Quick Mode) or comes before
     * the IKE SA is up; TEMPORARY_FAILURE asks for a retry, which the capture
     * would show. */
    if (n->type == IKD_N_TEMPORARY_FAILURE)
        failure = FALSE;
    else if (response)
        failure = !is_informational(ex);
    else
        failure = !sa->ike_established || (about && !is_informational(about) && !about->response.frame);

    name = notify_name(m->version, n->type, nbuf, sizeof nbuf);
    meaning = notify_meaning(m->version, n->type);
    f = ikd_report(c->fs, sa, failure && !response && about ? about : ex, c->fi->frame, IKD_CAUSE_NOTIFY_ERROR,
                   failure);
    if (about)
        ikd_finding_evidence(f, about->request.frame);
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "The %s %s sent %s in frame %u", ikd_side_name(from_init),
                           ikd_peer_str(&m->src, abuf, sizeof abuf), name, c->fi->frame);
    if (response)
        g_string_append_printf(s, " in answer to the %s request of frame %u",
                               ikd_exchange_name(ex->version, ex->exch_type), ex->request.frame);
    else if (about)
        g_string_append_printf(s, " (in an %s), after the %s request of frame %u",
                               ikd_exchange_name(ex->version, ex->exch_type),
                               ikd_exchange_name(about->version, about->exch_type), about->request.frame);
    if (meaning)
        g_string_append_printf(s, ": %s", meaning);
    /* RFC 7296 1.2: an IKE_AUTH that fails only for the CHILD SA still
     * creates the IKE SA; say so when the answer carries no SA payload. */
    if (response && m->version >= 2 && ex->exch_type == IKD_X2_IKE_AUTH && !m->has_sa && m->has_auth)
        g_string_append(s, "; the IKE SA is up, but no CHILD SA was set up (the answer carries no SA payload)");
    ikd_finding_message(f, "%s", s->str);
    g_string_free(s, TRUE);
    ikd_finding_hint(f, "%s", notify_hint(n->type));
}
