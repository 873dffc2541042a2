/* rules_selectors.c
 * Traffic selectors (IKEv2 TSi/TSr, RFC 7296 2.9) and IKEv1 Quick Mode
 * client identities (IDci/IDcr, RFC 2409 5.5).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include "rules_common.h"
#include "names.h"

/* The prefix length if start..end is one CIDR block, else -1. */
static int
prefix_len(const ikd_addr *start, const ikd_addr *end)
{
    int bytes = start->family == 6 ? 16 : 4, len = 0, i = 0;

    for (; i < bytes && start->bytes[i] == end->bytes[i]; i++)
        len += 8;
    if (i < bytes) {
        guint8 diff = start->bytes[i] ^ end->bytes[i];
        int host_bits = 0;
        while (diff) {
            host_bits++;
            diff >>= 1;
        }
        guint8 mask = (guint8)(0xff >> (8 - host_bits));
        if ((start->bytes[i] & mask) != 0 || (end->bytes[i] & mask) != mask)
            return -1;
        len += 8 - host_bits;
        for (i++; i < bytes; i++) {
            if (start->bytes[i] != 0 || end->bytes[i] != 0xff)
                return -1;
        }
    }
    return len;
}

/* strongSwan's notation: 192.0.2.0/24, 10.1.0.5/32[tcp/443], a..b */
static void
append_ts(GString *s, const ikd_ts *ts)
{
    char a[64], b[64];
    int plen = prefix_len(&ts->start, &ts->end);

    ikd_addr_to_str(&ts->start, a, sizeof a);
    ikd_addr_to_str(&ts->end, b, sizeof b);
    if (s->len)
        g_string_append(s, " ");
    if (plen >= 0)
        g_string_append_printf(s, "%s/%d", a, plen);
    else
        g_string_append_printf(s, "%s..%s", a, b);
    if (ts->ip_proto || ts->start_port != 0 || ts->end_port != 65535) {
        const char *pn = ts->ip_proto == 6 ? "tcp" : ts->ip_proto == 17 ? "udp" :
                         ts->ip_proto == 1 ? "icmp" : NULL;
        g_string_append_c(s, '[');
        if (pn)
            g_string_append(s, pn);
        else
            g_string_append_printf(s, "%u", ts->ip_proto);
        if (ts->start_port == ts->end_port)
            g_string_append_printf(s, "/%u", ts->start_port);
        else if (!(ts->start_port == 0 && ts->end_port == 65535))
            g_string_append_printf(s, "/%u-%u", ts->start_port, ts->end_port);
        g_string_append_c(s, ']');
    }
}

/* "198.51.100.0/24 === 203.0.113.0/24", as strongSwan logs a CHILD_SA's
 * selectors (TSi === TSr). */
static char *
ts_text(const ikd_digest *d)
{
    GString *i = g_string_new(NULL), *r = g_string_new(NULL);
    for (guint k = 0; k < d->n_ts; k++)
        append_ts(IKD_TS(d)[k].initiator_side ? i : r, &IKD_TS(d)[k]);
    char *s = g_strdup_printf("%s === %s", i->len ? i->str : "(none)", r->len ? r->str : "(none)");
    g_string_free(i, TRUE);
    g_string_free(r, TRUE);
    return s;
}

static int
addr_cmp(const ikd_addr *a, const ikd_addr *b)
{
    if (a->family != b->family)
        return a->family - b->family;
    return memcmp(a->bytes, b->bytes, 16);
}

/* Is 'inner' inside 'outer'? */
static gboolean
ts_within(const ikd_ts *inner, const ikd_ts *outer)
{
    return inner->start.family == outer->start.family &&
           addr_cmp(&inner->start, &outer->start) >= 0 && addr_cmp(&inner->end, &outer->end) <= 0 &&
           (outer->ip_proto == 0 || inner->ip_proto == outer->ip_proto) &&
           inner->start_port >= outer->start_port && inner->end_port <= outer->end_port;
}

static gboolean
ts_same(const ikd_ts *a, const ikd_ts *b)
{
    return ikd_addr_equal(&a->start, &b->start) && ikd_addr_equal(&a->end, &b->end) &&
           a->ip_proto == b->ip_proto && a->start_port == b->start_port && a->end_port == b->end_port;
}

/* A child SA whose answered selectors lie outside the ones asked for
 * (some IKEv2 stacks answer so instead of TS_UNACCEPTABLE): the family's
 * state per IKE SA, until the initiator deletes that child SA (the
 * initiator's way of refusing it, RFC 7296 2.9) or the SA ends. */
typedef struct selectors_state {
    ikd_exchange *outside;          /* the exchange whose answer went outside */
    guint32  spi_i, spi_r;          /* its child SA's SPIs (request, answer) */
} selectors_state;

static selectors_state *
selectors_of(ikd_sa *sa)
{
    return ikd_sa_family_state(sa, IKD_SLOT_SELECTORS, sizeof(selectors_state));
}

/* The initiator deletes the child SA of an answer outside its selectors:
 * the refusal, evident now. */
static void
outside_deleted(ikd_rule_ctx *c)
{
    selectors_state *st;
    const ikd_msg *m = c->m;
    char abuf[64];

    if (!c->sa->family_state[IKD_SLOT_SELECTORS] || m->version < 2 || c->fi->role != IKD_ROLE_REQUEST)
        return;
    st = selectors_of(c->sa);
    if (!st->outside)
        return;
    /* the Delete comes from the side that asked for the child SA */
    const ikd_addr *asker = st->outside->from_initiator ? &c->sa->init_addr : &c->sa->resp_addr;
    const ikd_addr *answerer = st->outside->from_initiator ? &c->sa->resp_addr : &c->sa->init_addr;
    if (!ikd_addr_equal(&m->src, asker))
        return;
    for (guint i = 0; i < m->n_delete; i++) {
        const ikd_delete *del = &m->del[i];
        guint32 spi;
        if ((del->protocol != IKD_PROTO_ESP && del->protocol != IKD_PROTO_AH) || del->spi_len != 4)
            continue;
        spi = (guint32)del->first_spi[0] << 24 | (guint32)del->first_spi[1] << 16 |
              (guint32)del->first_spi[2] << 8 | del->first_spi[3];
        if (spi != st->spi_i && spi != st->spi_r)
            continue;
        const ikd_digest *rq = st->outside->request.msg, *rs = st->outside->response.msg;
        char *o = ts_text(rq), *r = ts_text(rs);
        ikd_finding *f = ikd_report(c->fs, c->sa, st->outside, c->fi->frame, IKD_CAUSE_TS_MISMATCH, TRUE);
        ikd_finding_evidence(f, rq->frame);
        ikd_finding_evidence(f, rs->frame);
        ikd_finding_set(&f->offered, "%s", o);
        ikd_finding_set(&f->chosen, "%s", r);
        ikd_finding_set(&f->mismatch, "traffic selectors");
        ikd_finding_message(f, "Responder %s answered the traffic selectors of frame %u (%s) in frame %u with "
                            "selectors outside them (%s), without TS_UNACCEPTABLE, and the initiator "
                            "deleted that child SA (SPI 0x%08x) in frame %u: a traffic selector mismatch "
                            "refused in silence",
                            ikd_peer_str(answerer, abuf, sizeof abuf), rq->frame, o, rs->frame, r,
                            spi, c->fi->frame);
        ikd_finding_hint(f, "make the subnets mirror each other: the responder's local_ts/leftsubnet "
                         "must lie within what the initiator asks for as remote_ts/rightsubnet (and vice "
                         "versa); Cisco: the crypto ACL / traffic selector on both sides");
        g_free(o);
        g_free(r);
        st->outside = NULL;
        return;
    }
}

void
ikd_rules_selectors(ikd_rule_ctx *c)
{
    const ikd_digest *d = c->d, *rq;
    const ikd_notify *n = NULL;
    char abuf[64];

    if (!c->ex || !d || c->fi->retransmission_of)
        return;

    if (c->m->version >= 2) {
        if (c->m->n_delete)
            outside_deleted(c);
        if (c->fi->role != IKD_ROLE_RESPONSE)
            return;
        rq = c->ex->request.msg;
        if (!(n = ikd_digest_notify(d, IKD_N_TS_UNACCEPTABLE)) &&
            !(n = ikd_digest_notify(d, IKD_N_INVALID_SELECTORS)) &&
            !(n = ikd_digest_notify(d, IKD_N_SINGLE_PAIR_REQUIRED))) {
            /* Narrowing: every selector the responder returns lies within
             * one offered, and at least one is smaller (RFC 7296 2.9). */
            if (rq && rq->n_ts && d->n_ts && !ikd_digest_error(d)) {
                gboolean narrowed = FALSE, inside = TRUE;
                /* A virtual IP (CP in the answer): the initiator offers TSi
                 * 0.0.0.0/0 and the responder narrows it to the address it
                 * assigned (RFC 7296 2.19): the assignment, not a narrowing. */
                gboolean vip = c->m->has_cp;
                for (guint k = 0; k < d->n_ts; k++) {
                    gboolean found = FALSE, same = FALSE;
                    for (guint j = 0; j < rq->n_ts; j++) {
                        if (IKD_TS(rq)[j].initiator_side != IKD_TS(d)[k].initiator_side)
                            continue;
                        if (ts_within(&IKD_TS(d)[k], &IKD_TS(rq)[j]))
                            found = TRUE;
                        if (ts_same(&IKD_TS(d)[k], &IKD_TS(rq)[j]))
                            same = TRUE;
                    }
                    if (!found)
                        inside = FALSE;
                    if (found && !same &&
                        !(vip && IKD_TS(d)[k].initiator_side && ikd_addr_equal(&IKD_TS(d)[k].start, &IKD_TS(d)[k].end)))
                        narrowed = TRUE;
                }
                if (!inside && rq->n_prop && d->n_prop && IKD_PROP(d)[0].protocol != IKD_PROTO_IKE) {
                    /* outside: wait for what the initiator does with it */
                    selectors_state *st = selectors_of(c->sa);
                    st->outside = c->ex;
                    st->spi_i = IKD_PROP(rq)[0].spi;
                    st->spi_r = IKD_PROP(d)[0].spi;
                }
                if (narrowed && inside) {
                    char *o = ts_text(rq), *r = ts_text(d);
                    ikd_finding *f = ikd_report(c->fs, c->sa, c->ex, c->fi->frame, IKD_CAUSE_TS_NARROWED, FALSE);
                    ikd_finding_evidence(f, rq->frame);
                    ikd_finding_set(&f->offered, "%s", o);
                    ikd_finding_set(&f->chosen, "%s", r);
                    ikd_finding_set(&f->mismatch, "traffic selectors");
                    ikd_finding_message(f, "Responder %s narrowed the traffic selectors of frame %u (%s) to %s: "
                                        "only part of the requested traffic will be protected",
                                        ikd_peer_str(&c->m->src, abuf, sizeof abuf), rq->frame, o, r);
                    ikd_finding_hint(f, "if the whole range is wanted, widen the responder's selectors "
                                     "(swanctl.conf local_ts/remote_ts; ipsec.conf leftsubnet/rightsubnet; "
                                     "Cisco crypto ACL) to match the initiator's");
                    g_free(o);
                    g_free(r);
                }
            }
            return;
        }
        char *o = rq ? ts_text(rq) : g_strdup("(request not captured)");
        char nbuf[32];
        ikd_finding *f = ikd_report(c->fs, c->sa, c->ex, c->fi->frame, IKD_CAUSE_TS_MISMATCH, TRUE);
        if (rq)
            ikd_finding_evidence(f, rq->frame);
        ikd_finding_set(&f->offered, "%s", o);
        ikd_finding_set(&f->mismatch, "traffic selectors");
        ikd_finding_message(f, "Responder %s refused the traffic selectors of frame %u with %s: %s",
                            ikd_peer_str(&c->m->src, abuf, sizeof abuf), rq ? rq->frame : 0,
                            ikd_notify_name(n->type, nbuf, sizeof nbuf), o);
        ikd_finding_hint(f, "make the subnets mirror each other: the initiator's local_ts/leftsubnet must be "
                         "inside the responder's remote_ts/rightsubnet and vice versa (libreswan leftsubnet/rightsubnet; "
                         "Cisco crypto ACL / traffic selector)");
        g_free(o);
        return;
    }

    /* IKEv1: INVALID_ID_INFORMATION about a Quick Mode. */
    if (c->m->exch_type == IKD_X1_INFORMATIONAL && (n = ikd_digest_notify(&c->m->digest, IKD_N_INVALID_ID_INFORMATION))) {
        const ikd_digest *qm = NULL;
        for (ikd_exchange *ex = c->sa->exchanges; ex; ex = ex->next_in_sa) {
            if (ex->exch_type == IKD_X1_QUICK && !ex->final.frame && ex->request.msg)
                qm = ex->request.msg;
        }
        if (!qm)
            return;
        char *o = ts_text(qm);
        ikd_finding *f = ikd_report(c->fs, c->sa, c->ex, c->fi->frame, IKD_CAUSE_TS_MISMATCH, TRUE);
        ikd_finding_evidence(f, qm->frame);
        ikd_finding_set(&f->offered, "%s", o);
        ikd_finding_set(&f->mismatch, "traffic selectors");
        ikd_finding_message(f, "Peer %s refused the Quick Mode client identities of frame %u with "
                            "INVALID_ID_INFORMATION: %s (IDci/IDcr)",
                            ikd_peer_str(&c->m->src, abuf, sizeof abuf), qm->frame, o);
        ikd_finding_hint(f, "make the protected subnets mirror each other (strongSwan leftsubnet/rightsubnet, "
                         "libreswan leftsubnet/rightsubnet, Cisco crypto ACL)");
        g_free(o);
    }
}
