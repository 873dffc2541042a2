/* rules_redirect.c
 * IKEv2 redirect (RFC 5685): a gateway sends the client to another gateway
 * with N(REDIRECT), in its IKE_SA_INIT answer (4.2), its IKE_AUTH answer
 * (5) or an INFORMATIONAL request on an established IKE SA (6); the client
 * starts over there with an IKE_SA_INIT carrying N(REDIRECTED_FROM) and the
 * first gateway's address.
 *
 * A redirect is not a failure: a note on the REDIRECT, and one on the
 * IKE_SA_INIT that follows it (the two SAs linked both ways by evidence).
 * What goes wrong afterwards goes wrong with the new gateway, so a failure
 * on the SA that follows says where the client was sent from; only a
 * redirect of IKE_SA_INIT or IKE_AUTH that nothing follows by the end of
 * the capture leaves the client without an IKE SA, a failure.
 *
 * This family runs after every other one on each frame (IKE, ICMP, ESP)
 * and after their end-of-capture rules: it only adds to their findings.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <stdio.h>
#include <string.h>

#include "rules_common.h"
#include "names.h"

/* One REDIRECT seen in the capture. */
typedef struct redirect_rec {
    guint32  frame;
    guint8   exch_type;             /* where it came: IKE_SA_INIT, IKE_AUTH, INFORMATIONAL */
    ikd_sa  *sa;                    /* the SA it was sent on */
    ikd_addr client, gateway;       /* who was redirected, who redirected */
    ikd_addr target_addr;           /* the new gateway when given as an address */
    char     target[96];            /* the new gateway as text */
    ikd_finding *note;
    guint32  n_followers;
} redirect_rec;

/* Per capture: every REDIRECT, in frame order. */
static gpointer
records_new(void)
{
    return g_ptr_array_new_with_free_func(g_free);
}

/* Per IKE SA: the REDIRECT it received, the one it follows, and how many of
 * its findings have been looked at already. */
typedef struct redirect_state {
    redirect_rec *sent;             /* a REDIRECT was sent on this SA */
    redirect_rec *follows;          /* this SA follows a REDIRECT */
    ikd_addr from;                  /* REDIRECTED_FROM, when the REDIRECT is not in the capture */
    guint32  follow_frame;          /* its IKE_SA_INIT carrying REDIRECTED_FROM */
    guint32  checked;
} redirect_state;

static redirect_state *
redirect_of(ikd_sa *sa)
{
    return ikd_sa_family_state(sa, IKD_SLOT_REDIRECT, sizeof(redirect_state));
}

/* The state only where a redirect made it: every other SA (nearly all)
 * costs nothing. */
static redirect_state *
redirect_peek(const ikd_sa *sa)
{
    return sa->family_state[IKD_SLOT_REDIRECT];
}

/* Reads the gateway identity of N(REDIRECT) / N(REDIRECTED_FROM) (RFC 5685
 * 9.1 and 9.2): GW Ident Type (1 IPv4, 2 IPv6, 3 FQDN), GW Ident Len, the
 * identity, then (REDIRECT in IKE_SA_INIT) the initiator's nonce.  FALSE
 * when the data cannot hold what its length says. */
static gboolean
decode_gw_ident(const ikd_notify *n, char *buf, gsize len, ikd_addr *addr)
{
    guint avail = MIN(n->data_len, IKD_MAX_BLOB);
    guint8 type, glen;

    memset(addr, 0, sizeof *addr);
    if (avail < 2)
        return FALSE;
    type = n->data[0];
    glen = n->data[1];
    if (2u + glen > n->data_len)
        return FALSE;
    switch (type) {
    case 1:
    case 2:
        if (glen != (type == 1 ? 4 : 16) || 2u + glen > avail)
            return FALSE;
        addr->family = type == 1 ? 4 : 6;
        memcpy(addr->bytes, n->data + 2, glen);
        ikd_addr_to_str(addr, buf, len);
        return TRUE;
    case 3: {
        GString *s = g_string_new(NULL);
        guint shown = MIN((guint)glen, avail - 2);
        for (guint i = 0; i < shown; i++) {
            guint8 ch = n->data[2 + i];
            g_string_append_c(s, g_ascii_isgraph(ch) ? (char)ch : '?');
        }
        if (shown < glen)
            g_string_append(s, "...");
        g_strlcpy(buf, s->str, len);
        g_string_free(s, TRUE);
        return glen > 0;
    }
    default:
        snprintf(buf, len, "(gateway identity of type %u)", type);
        return TRUE;
    }
}

static const char *
where_name(guint8 exch_type)
{
    switch (exch_type) {
    case IKD_X2_IKE_SA_INIT: return "IKE_SA_INIT answer";
    case IKD_X2_IKE_AUTH: return "IKE_AUTH answer";
    case IKD_X2_INFORMATIONAL: return "INFORMATIONAL request on the established IKE SA";
    default: return "message";
    }
}

static void
redirect_hint(ikd_finding *f)
{
    ikd_finding_hint(f, "nothing to fix if the client reaches the new gateway: a load balancer or a "
                     "gateway being drained sends clients elsewhere (strongSwan redirect plugin or swanctl "
                     "--redirect, libreswan global-redirect= / redirect-to=, Cisco crypto ikev2 redirect gateway "
                     "init|auth); the client must announce REDIRECT_SUPPORTED and follow it (strongSwan "
                     "charon.follow_redirects = yes, the default; libreswan accept-redirect=yes; Cisco crypto "
                     "ikev2 redirect client), and the new gateway must be reachable and configured for it");
}

/* ------------------------------------------------------------ the REDIRECT */

static void
on_redirect(ikd_rule_ctx *c, const ikd_notify *n)
{
    const ikd_msg *m = c->m;
    GPtrArray *recs = ikd_tracker_family_state(c->t, IKD_SLOT_REDIRECT, records_new,
                                               (GDestroyNotify)g_ptr_array_unref);
    redirect_rec *r = g_new0(redirect_rec, 1);
    char cbuf[64], gbuf[64];
    ikd_finding *f;

    r->frame = c->fi->frame;
    r->exch_type = m->exch_type;
    r->sa = c->sa;
    r->client = m->dst;
    r->gateway = m->src;
    if (!decode_gw_ident(n, r->target, sizeof r->target, &r->target_addr))
        g_strlcpy(r->target, "a gateway the notify does not name readably", sizeof r->target);
    g_ptr_array_add(recs, r);
    ikd_tracker_account(c->t, sizeof *r);
    redirect_of(c->sa)->sent = r;

    f = ikd_report(c->fs, c->sa, c->ex, c->fi->frame, IKD_CAUSE_REDIRECT, FALSE);
    r->note = f;
    if (c->ex && c->ex->request.frame && c->ex->request.frame != c->fi->frame)
        ikd_finding_evidence(f, c->ex->request.frame);
    ikd_peer_str(&r->client, cbuf, sizeof cbuf);
    ikd_peer_str(&r->gateway, gbuf, sizeof gbuf);
    ikd_finding_message(f, "%s redirected the client %s to the gateway %s (N(REDIRECT) in its %s, frame %u, "
                        "RFC 5685)%s; the client is to start over there with an IKE_SA_INIT carrying "
                        "N(REDIRECTED_FROM %s)",
                        gbuf, cbuf, r->target, where_name(m->exch_type), c->fi->frame,
                        m->exch_type == IKD_X2_IKE_SA_INIT ? ": no IKE SA is set up with it" :
                        m->exch_type == IKD_X2_IKE_AUTH ? ": this IKE SA ends there" : "",
                        gbuf);
    redirect_hint(f);
}

/* ------------------------------------------------------------ the SA that follows */

static redirect_rec *
find_redirect(ikd_rule_ctx *c, const ikd_addr *client, const ikd_addr *from)
{
    GPtrArray *recs = ikd_tracker_family_state(c->t, IKD_SLOT_REDIRECT, records_new,
                                               (GDestroyNotify)g_ptr_array_unref);
    guint start = ikd_peer_scan_start(recs);

    for (guint i = recs->len; i-- > start;) {
        redirect_rec *r = g_ptr_array_index(recs, i);
        if (r->sa != c->sa && r->frame < c->fi->frame && ikd_addr_equal(&r->client, client) &&
            ikd_addr_equal(&r->gateway, from))
            return r;
    }
    return NULL;
}

static void
on_redirected_from(ikd_rule_ctx *c, const ikd_notify *n)
{
    const ikd_msg *m = c->m;
    redirect_state *st = redirect_of(c->sa);
    char fbuf[96], cbuf[64], dbuf[64];
    ikd_addr from;
    redirect_rec *r;
    ikd_finding *f;

    if (st->follow_frame || !decode_gw_ident(n, fbuf, sizeof fbuf, &from) || !from.family)
        return;
    st->follow_frame = c->fi->frame;
    st->from = from;
    r = find_redirect(c, &m->src, &from);
    ikd_peer_str(&m->src, cbuf, sizeof cbuf);
    ikd_peer_str(&m->dst, dbuf, sizeof dbuf);
    f = ikd_report(c->fs, c->sa, c->ex, c->fi->frame, IKD_CAUSE_REDIRECT, FALSE);
    if (!r) {
        ikd_finding_message(f, "IKE SA %u follows a redirect: its IKE_SA_INIT of frame %u from %s to %s carries "
                            "N(REDIRECTED_FROM %s) (RFC 5685), whose REDIRECT is not in the capture",
                            c->sa->number, c->fi->frame, cbuf, dbuf, fbuf);
        redirect_hint(f);
        return;
    }
    st->follows = r;
    r->n_followers++;
    ikd_finding_evidence(f, r->frame);
    ikd_finding_evidence(r->note, c->fi->frame);
    if (r->target_addr.family && !ikd_addr_equal(&r->target_addr, &m->dst))
        ikd_finding_message(f, "IKE SA %u follows the REDIRECT of frame %u: the client %s starts over with %s "
                            "(IKE_SA_INIT of frame %u with N(REDIRECTED_FROM %s)), although the REDIRECT named %s",
                            c->sa->number, r->frame, cbuf, dbuf, c->fi->frame, fbuf, r->target);
    else
        ikd_finding_message(f, "IKE SA %u follows the REDIRECT of frame %u: the client %s starts over with %s "
                            "(IKE_SA_INIT of frame %u with N(REDIRECTED_FROM %s)), %s %s%s",
                            c->sa->number, r->frame, cbuf, dbuf, c->fi->frame, fbuf,
                            r->target_addr.family ? "the gateway the REDIRECT named:" : "the address it found for",
                            r->target, r->target_addr.family ? "" : " (the name the REDIRECT gave)");
    redirect_hint(f);
}

/* Appends 'tail' (taken) to a finding's message. */
static void
append_message(ikd_finding *f, char *tail)
{
    char *msg = f->no_texts ? NULL : g_strconcat(f->message ? f->message : "", tail, NULL);
    g_free(tail);
    ikd_finding_take_message(f, msg);
}

/* A failure on an SA that follows a redirect happened with the new
 * gateway: say so in it, once per finding. */
static void
carry_into_failures(ikd_sa *sa)
{
    redirect_state *st = redirect_peek(sa);
    char gbuf[64], fbuf[64];

    if (!st)
        return;
    if (!st->follow_frame) {
        st->checked = sa->n_findings;
        return;
    }
    for (; st->checked < sa->n_findings; st->checked++) {
        ikd_finding *f = sa->findings[st->checked];
        char *msg;
        if (!f->failure || f->cause == IKD_CAUSE_REDIRECT)
            continue;
        if (st->follows) {
            msg = g_strdup_printf("; this IKE SA follows the REDIRECT of frame %u (%s sent the client to %s): "
                                  "the failure is with the new gateway, not with %s", st->follows->frame,
                                  ikd_peer_str(&st->follows->gateway, gbuf, sizeof gbuf), st->follows->target, gbuf);
            ikd_finding_evidence(f, st->follows->frame);
        } else {
            msg = g_strdup_printf("; this IKE SA follows a redirect from %s (N(REDIRECTED_FROM) in frame %u): "
                                  "the failure is with the new gateway", ikd_peer_str(&st->from, fbuf, sizeof fbuf),
                                  st->follow_frame);
        }
        ikd_finding_evidence(f, st->follow_frame);
        append_message(f, msg);
    }
}

/* ------------------------------------------------------------ entry points */

void
ikd_rules_redirect(ikd_rule_ctx *c)
{
    const ikd_msg *m = c->m;

    if (!c->sa || !m)
        return;
    if (m->kind == IKD_MSG_IKE && m->version >= 2 && !c->fi->retransmission_of && !m->malformed) {
        const ikd_notify *n;
        gboolean from_init = (m->flags & IKD_FLAG_V2_I) != 0;
        /* RFC 5685: only the gateway (the SA's responder) redirects */
        if (!from_init && (n = ikd_digest_notify(&m->digest, IKD_N_REDIRECT)) != NULL &&
            !(redirect_peek(c->sa) && redirect_peek(c->sa)->sent))
            on_redirect(c, n);
        if (from_init && m->exch_type == IKD_X2_IKE_SA_INIT && c->fi->role == IKD_ROLE_REQUEST &&
            (n = ikd_digest_notify(&m->digest, IKD_N_REDIRECTED_FROM)) != NULL)
            on_redirected_from(c, n);
    }
    carry_into_failures(c->sa);
}

void
ikd_rules_redirect_finish(ikd_rule_ctx *c)
{
    ikd_sa *sa = c->sa;
    redirect_state *st = redirect_peek(sa);
    redirect_rec *r = st ? st->sent : NULL;

    carry_into_failures(sa);
    if (!r || r->n_followers || !r->note || r->note->failure)
        return;
    if (r->exch_type == IKD_X2_INFORMATIONAL) {
        /* the established SA goes on; the gateway may delete it later */
        if (!strstr(r->note->message, "no IKE_SA_INIT"))
            append_message(r->note, g_strdup("; no IKE_SA_INIT to the new gateway follows in the capture"));
        return;
    }
    /* Nothing follows the redirect of the SA's own set-up: the client has no
     * IKE SA (or the capture point does not see the path to the new gateway). */
    append_message(r->note, g_strdup_printf("; no IKE_SA_INIT with N(REDIRECTED_FROM) follows in the capture: "
                                            "the client did not follow the redirect (or its packets to %s do not "
                                            "pass the capture point), so it has no IKE SA", r->target));
    r->note->failure = TRUE;
    if (!sa->ike_established)
        sa->outcome = IKD_OUTCOME_FAILED;
    if (r->note->exchange)
        r->note->exchange->failed = TRUE;
}
