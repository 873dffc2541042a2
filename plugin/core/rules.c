/* rules.c
 * Dispatch to the rule families and the helpers they share.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include "rules.h"
#include "names.h"

void
ikd_rules_message(ikd_rule_ctx *c)
{
    if (c->m->malformed && c->fi->retransmission_of) {
        /* Wireshark 4.0 cannot decrypt a retransmitted IKEv1 message (the IV
         * chain has moved on), so its payloads look malformed; the bytes
         * equal the original, which the tracker has already read.  The path
         * rules go first: a blocked UDP 4500, a lost IP fragment or a dead
         * peer explains the retransmissions better than no-response. */
        ikd_rules_nat(c);
        ikd_rules_liveness(c);
        ikd_rules_reachability(c);
        return;
    }
    if (c->m->malformed) {
        /* ... unless it is the unreadable answer of the IKEv1 Main Mode
         * PSK-mismatch pattern, which says a lot (rules_auth.c). */
        if (ikd_rules_auth_unreadable(c))
            return;
        /* A truncated or malformed message proves nothing: say so, and let
         * no rule conclude from what may be half a payload. */
        ikd_finding *f = ikd_report(c->t, c->sa, c->ex, c->fi->frame, IKD_CAUSE_MALFORMED, FALSE);
        if (c->m->content_len < c->m->wire_len) {
            ikd_finding_message(f, "IKE message in frame %u is cut short by the capture (%u of %u bytes "
                                "captured); ikediag draws no conclusion from it",
                                c->fi->frame, c->m->content_len, c->m->wire_len);
            ikd_finding_set(&f->hint, "capture with a larger snapshot length (tcpdump -s 0, dumpcap -s 0) "
                            "so that whole IKE messages are kept");
        } else {
            ikd_finding_message(f, "IKE message in frame %u is truncated or malformed; "
                                "ikediag draws no conclusion from it", c->fi->frame);
        }
        return;
    }
    /* path and liveness before reachability: see above */
    ikd_rules_nat(c);
    ikd_rules_liveness(c);
    ikd_rules_reachability(c);
    ikd_rules_proposals(c);
    ikd_rules_selectors(c);
    if (!ikd_rules_aggressive_refused(c))
        ikd_rules_auth(c);
    ikd_rules_hygiene(c);
    /* after every family: an error notify none of them explained */
    ikd_rules_notify(c);
    /* last: only where no rule could read the answer */
    if (!c->fi->findings)
        ikd_rules_encrypted(c);
}

void
ikd_rules_other(ikd_rule_ctx *c)
{
    ikd_rules_nat(c);
    ikd_rules_reachability(c);
}

void
ikd_rules_finish(ikd_tracker *t, ikd_sa *sa)
{
    ikd_rules_nat_finish(t, sa);
    ikd_rules_liveness_finish(t, sa);
    ikd_rules_reachability_finish(t, sa);
}

const ikd_notify *
ikd_digest_notify(const ikd_digest *d, guint16 type)
{
    if (!d)
        return NULL;
    for (guint i = 0; i < d->n_notify; i++) {
        if (d->notify[i].type == type)
            return &d->notify[i];
    }
    return NULL;
}

const ikd_notify *
ikd_digest_error(const ikd_digest *d)
{
    if (!d)
        return NULL;
    for (guint i = 0; i < d->n_notify; i++) {
        if (ikd_notify_is_error(d->notify[i].type))
            return &d->notify[i];
    }
    return NULL;
}

const ikd_notify *
ikd_msg_notify(const ikd_msg *m, guint16 type)
{
    for (guint i = 0; i < m->n_notify; i++) {
        if (m->notify[i].type == type)
            return &m->notify[i];
    }
    return NULL;
}

/* The last frame after 'after' in which the side that should answer 'ex'
 * sent anything on this SA (IKE or ESP), or 0. */
guint32
ikd_peer_heard_after(const ikd_sa *sa, const ikd_exchange *ex, guint32 after)
{
    guint32 last = 0;
    int peer_dir = ex->from_initiator ? 1 : 0;

    for (const ikd_exchange *o = sa->exchanges; o; o = o->next_in_sa) {
        if (o->from_initiator == ex->from_initiator && o->response.last_frame > after)
            last = MAX(last, o->response.last_frame);
        if (o->from_initiator != ex->from_initiator && o->request.last_frame > after)
            last = MAX(last, o->request.last_frame);
    }
    if (sa->esp[peer_dir].last > after)
        last = MAX(last, sa->esp[peer_dir].last);
    return last;
}

gboolean
ikd_unanswered_at_threshold(const ikd_rule_ctx *c)
{
    const ikd_exchange *ex = c->ex;

    return ex && c->fi->role == IKD_ROLE_REQUEST && c->fi->retransmission_of && !ex->response.frame &&
           ex->request.n_sent == ikd_tracker_config(c->t)->no_response_retransmits + 1;
}

const char *
ikd_side_name(gboolean initiator)
{
    return initiator ? "initiator" : "responder";
}

const char *
ikd_peer_str(const ikd_addr *a, char *buf, gsize len)
{
    return ikd_addr_to_str(a, buf, len);
}

static void
append_hex(GString *s, const guint8 *b, gsize n)
{
    static const char digits[] = "0123456789abcdef";
    for (gsize i = 0; i < n; i++) {
        g_string_append_c(s, digits[b[i] >> 4]);
        g_string_append_c(s, digits[b[i] & 0x0f]);
    }
}

char *
ikd_key_hint(const ikd_sa *sa)
{
    GString *s = g_string_new(NULL);

    if (sa->version >= 2) {
        g_string_append(s, "add the IKE SA's keys to Edit > Preferences > Protocols > ISAKMP > "
                        "IKEv2 Decryption Table (ikev2_decryption_table): SPIi ");
        append_hex(s, sa->ispi, 8);
        g_string_append(s, ", SPIr ");
        append_hex(s, sa->rspi, 8);
        g_string_append(s, ", with SK_ei/SK_er/SK_ai/SK_ar from the daemon's log "
                        "(strongSwan: charondebug ike 4)");
    } else {
        g_string_append(s, "add the IKE SA's key to Edit > Preferences > Protocols > ISAKMP > "
                        "IKEv1 Decryption Table (ikev1_decryption_table): initiator cookie ");
        append_hex(s, sa->ispi, 8);
        g_string_append(s, " with the encryption key from the daemon's log");
    }
    return g_string_free(s, FALSE);
}
