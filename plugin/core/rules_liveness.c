/* rules_liveness.c
 * What happens to an IKE SA after it is up: liveness checks (IKEv2 empty
 * INFORMATIONAL, IKEv1 DPD R-U-THERE, RFC 3706) that nobody answers,
 * Delete payloads (which SA, who deleted it), and the anti-DoS cookie round
 * trip of IKE_SA_INIT (RFC 7296 2.6).
 *
 * Like rules_nat.c these run before rules_reachability.c: an unanswered
 * liveness check on an established SA is a dead peer (dpd-unanswered), a
 * more precise diagnosis than no-response.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include "rules_common.h"
#include "names.h"

/* This family's state per IKE SA. */
typedef struct liveness_state {
    guint32 dpd_first[2], dpd_last[2], dpd_unacked[2];  /* IKEv1 R-U-THERE by sender */
    guint32 liveness_frame;         /* last IKEv2 liveness check (empty INFORMATIONAL) */
} liveness_state;

static liveness_state *
liveness_of(const ikd_sa *sa)
{
    /* state is created on first use, also from a reading rule */
    return ikd_sa_family_state((ikd_sa *)sa, IKD_SLOT_LIVENESS, sizeof(liveness_state));
}
#define LIVE(sa) liveness_of(sa)

/* The last frame before 'before' that the side answering 'from_init's
 * requests sent on this SA (IKE or ESP). */
static guint32
peer_last_before(const ikd_sa *sa, gboolean from_init, guint32 before)
{
    guint32 last = 0;
    int peer_dir = from_init ? 1 : 0;

    for (const ikd_exchange *o = sa->exchanges; o; o = o->next_in_sa) {
        if (o->from_initiator == from_init && o->response.frame && o->response.frame < before)
            last = MAX(last, o->response.frame);
        if (o->from_initiator != from_init && o->request.frame && o->request.frame < before)
            last = MAX(last, o->request.frame);
    }
    if (sa->esp[peer_dir].last && sa->esp[peer_dir].last < before)
        last = MAX(last, sa->esp[peer_dir].last);
    return last;
}

static void
dpd_hint(ikd_finding *f, const ikd_addr *peer, guint32 last)
{
    char abuf[64];
    ikd_finding_hint(f, "check that %s is up and reachable: it stopped answering after frame %u "
                     "(reboot, address change, firewall, or a NAT mapping that timed out: keep it alive with "
                     "strongSwan charon.keep_alive, libreswan nat-keepalive); to bring the tunnel back by "
                     "itself use strongSwan dpd_action = restart (or start_action = trap), libreswan "
                     "dpdaction=restart, Cisco crypto isakmp keepalive with an auto-reconnecting crypto map",
                     ikd_peer_str(peer, abuf, sizeof abuf), last);
}

/* ------------------------------------------------------------ IKEv2 liveness */

/* An INFORMATIONAL request with nothing in it (RFC 7296 1.4, 2.4): the
 * liveness check strongSwan calls DPD.  Without keys the size tells: an
 * empty SK payload is IV + padding + ICV, well under 128 bytes. */
static gboolean
is_liveness_check(const ikd_msg *m)
{
    if (m->version < 2 || m->exch_type != IKD_X2_INFORMATIONAL || (m->flags & IKD_FLAG_V2_R))
        return FALSE;
    if (m->encrypted && !m->decrypted)
        return m->content_len > 0 && m->content_len <= 128;
    return m->n_notify == 0 && m->n_delete == 0 && !m->has_cp;
}

static void
report_dpd_v2(ikd_rule_ctx *c, ikd_sa *sa, ikd_exchange *ex, guint32 frame, gboolean opaque, gboolean at_end)
{
    char abuf[64], bbuf[64];
    const ikd_addr *peer = ex->from_initiator ? &sa->resp_addr : &sa->init_addr;
    const ikd_addr *self = ex->from_initiator ? &sa->init_addr : &sa->resp_addr;
    guint32 last = peer_last_before(sa, ex->from_initiator, ex->request.frame);
    ikd_finding *f = ikd_report(c->fs, sa, ex, frame, IKD_CAUSE_DPD_UNANSWERED, TRUE);

    ikd_finding_evidence(f, ex->request.frame);
    ikd_finding_evidence(f, last);
    ikd_finding_message(f, "Liveness check (%sempty INFORMATIONAL request, DPD) of frame %u from the %s %s "
                        "to %s was sent %u times and never answered%s: the peer, last heard in frame %u, is "
                        "gone or unreachable, and the %s will delete the IKE SA and its CHILD SAs",
                        opaque ? "by its size an " : "", ex->request.frame, ikd_side_name(ex->from_initiator),
                        ikd_peer_str(self, bbuf, sizeof bbuf), ikd_peer_str(peer, abuf, sizeof abuf),
                        ex->request.n_sent, at_end ? " before the capture ended" : "", last,
                        ikd_side_name(ex->from_initiator));
    dpd_hint(f, peer, last);
}

static void
check_dpd_v2(ikd_rule_ctx *c)
{
    ikd_exchange *ex = c->ex;

    if (!ikd_unanswered_at_threshold(c) || !c->sa->ike_established ||
        !is_liveness_check(c->m) || ikd_sa_has_failure(c->sa))
        return;
    report_dpd_v2(c, c->sa, ex, c->fi->frame, c->m->encrypted && !c->m->decrypted, FALSE);
}

/* ------------------------------------------------------------ a peer that stops answering */

/* A request on an IKE SA that is up goes unanswered, and the peer that
 * answered this SA before (on the port this request uses: rules_nat.c has
 * already called a UDP 4500 that never carried anything back blocked) has
 * sent nothing since: the peer stopped answering.  Only where the request
 * needs no local work from a live peer, an IKEv2 INFORMATIONAL (RFC 7296
 * 1.4: every request is answered), or where the peer's ESP, which was
 * flowing, stopped as well.  A CHILD SA request a live peer fails to set up
 * locally may go unanswered too (libreswan's kernel errors:
 * test-captures/ikev1-psk-esp-install-fails-ss6-ls), so that silence alone
 * stays a no-response (rules_reachability.c).  Empty INFORMATIONALs are
 * liveness checks: dpd-unanswered. */
static gboolean
peer_unresponsive(const ikd_sa *sa, const ikd_exchange *ex)
{
    int peer_dir = ex->from_initiator ? 1 : 0;
    const ikd_digest *d = ex->request.msg;

    if (!sa->ike_established || !d || ex->response.frame || ikd_sa_has_failure(sa) ||
        !peer_last_before(sa, ex->from_initiator, ex->request.frame) ||
        ikd_peer_heard_after(sa, ex, ex->request.frame))
        return FALSE;
    if (ex->version >= 2 && ex->exch_type == IKD_X2_INFORMATIONAL)
        return ex->request.frame != LIVE(sa)->liveness_frame;
    return sa->esp[peer_dir].count && sa->esp[peer_dir].last < ex->request.frame;
}

static void
report_peer_unresponsive(ikd_rule_ctx *c, ikd_sa *sa, ikd_exchange *ex, guint32 frame, gboolean at_end)
{
    char abuf[64], bbuf[64];
    int peer_dir = ex->from_initiator ? 1 : 0;
    const ikd_addr *peer = ex->from_initiator ? &sa->resp_addr : &sa->init_addr;
    const ikd_addr *self = ex->from_initiator ? &sa->init_addr : &sa->resp_addr;
    guint32 last = peer_last_before(sa, ex->from_initiator, ex->request.frame);
    ikd_finding *f = ikd_report(c->fs, sa, ex, frame, IKD_CAUSE_PEER_UNRESPONSIVE, TRUE);
    GString *s = g_string_new(NULL);

    ikd_finding_evidence(f, ex->request.frame);
    ikd_finding_evidence(f, last);
    g_string_append_printf(s, "%s request of frame %u from the %s %s to %s was sent %u times and never "
                           "answered%s, although %s answered this IKE SA before (last heard in frame %u",
                           ikd_exchange_name(ex->version, ex->exch_type), ex->request.frame,
                           ikd_side_name(ex->from_initiator), ikd_peer_str(self, bbuf, sizeof bbuf),
                           ikd_peer_str(peer, abuf, sizeof abuf), ex->request.n_sent,
                           at_end ? " before the capture ended" : "", abuf, last);
    if (sa->esp[peer_dir].count) {
        ikd_finding_evidence(f, sa->esp[peer_dir].last);
        g_string_append_printf(s, "; its ESP stopped after frame %u", sa->esp[peer_dir].last);
    }
    g_string_append_printf(s, ") on the same path: the peer stopped answering (it is down or restarted and "
                           "lost the SA, or the path to it broke), the port is not blocked; the %s will "
                           "delete the IKE SA", ikd_side_name(ex->from_initiator));
    ikd_finding_message(f, "%s", s->str);
    g_string_free(s, TRUE);
    dpd_hint(f, peer, last);
}

static void
check_peer_unresponsive(ikd_rule_ctx *c)
{
    if (!ikd_unanswered_at_threshold(c) || is_liveness_check(c->m) || !peer_unresponsive(c->sa, c->ex))
        return;
    report_peer_unresponsive(c, c->sa, c->ex, c->fi->frame, FALSE);
}

/* ------------------------------------------------------------ Quick Mode not completed */

static gint64
digest_us(const ikd_digest *d)
{
    return d->ts_sec * G_GINT64_CONSTANT(1000000) + d->ts_nsec / 1000;
}

/* IKEv1 Quick Mode: the responder re-sends QM2 after the initiator's QM3
 * (RFC 2409 5.5: QM3 completes the exchange; a responder that gets it
 * stops re-sending).  Evident when the re-sent QM2 left the responder after
 * the QM3 would have reached it: it comes later after the first QM3 than
 * QM2 came after QM1 (which bounds the round trip from the capture point to
 * the responder).  When the capture's clock does not advance (all
 * timestamps equal), the packet count tells instead: the initiator has
 * already sent QM3 again in answer to a re-sent QM2, and QM2 still comes.
 * Without keys as with them: the frames are told by their place in the
 * exchange, not by their content.  Returns the way it was shown, or NULL. */
static const char *
qm3_not_accepted(const ikd_exchange *ex, const ikd_digest *retx)
{
    const ikd_digest *q1 = ex->request.msg, *q2 = ex->response.msg, *q3 = ex->final.msg;

    if (!q1 || !q2 || !q3 || !ex->final.frame || ex->final.frame > retx->frame)
        return NULL;
    gint64 rtt = digest_us(q2) - digest_us(q1);
    gint64 after = digest_us(retx) - digest_us(q3);
    if (after > 0 && after > rtt)
        return "time";
    if (after == 0 && rtt == 0 && ex->final.n_sent >= 2)
        return "count";
    return NULL;
}

static void
check_quick_mode(ikd_rule_ctx *c)
{
    ikd_sa *sa = c->sa;
    ikd_exchange *ex = c->ex;
    char abuf[64], bbuf[64];
    const char *how;

    if (!ex || ex->version != 1 || ex->exch_type != IKD_X1_QUICK || c->fi->role != IKD_ROLE_RESPONSE ||
        !c->fi->retransmission_of || ex->failed || ikd_sa_has_cause(sa, IKD_CAUSE_QUICK_MODE_INCOMPLETE) ||
        !(how = qm3_not_accepted(ex, &c->m->digest)))
        return;
    /* the QM responder's ESP would show it has its SAs */
    int resp_dir = ex->from_initiator ? 1 : 0;
    if (sa->esp[resp_dir].last > ex->final.frame)
        return;

    gboolean init = ex->from_initiator;
    const ikd_addr *responder = init ? &sa->resp_addr : &sa->init_addr;
    const ikd_addr *initiator = init ? &sa->init_addr : &sa->resp_addr;
    const ikd_esp_dir *esp = &sa->esp[!resp_dir];
    ikd_finding *f = ikd_report(c->fs, sa, ex, c->fi->frame, IKD_CAUSE_QUICK_MODE_INCOMPLETE, TRUE);
    GString *s = g_string_new(NULL);

    ikd_finding_evidence(f, ex->request.frame);
    ikd_finding_evidence(f, ex->response.frame);
    ikd_finding_evidence(f, ex->final.frame);
    ikd_finding_evidence(f, ex->final.last_frame);
    ikd_peer_str(responder, abuf, sizeof abuf);
    ikd_peer_str(initiator, bbuf, sizeof bbuf);
    g_string_append_printf(s, "Quick Mode of frame %u did not complete: its responder %s re-sent QM2 (frame %u) "
                           "in frame %u, ", ex->request.frame, abuf, ex->response.frame, c->fi->frame);
    if (strcmp(how, "time") == 0)
        g_string_append_printf(s, "%.3f s after the QM3 of frame %u, when that QM3 would long have reached it "
                               "(QM2 answered QM1 in %.1f ms)",
                               (digest_us(&c->m->digest) - digest_us(ex->final.msg)) / 1e6,
                               ex->final.frame,
                               (digest_us(ex->response.msg) - digest_us(ex->request.msg)) / 1e3);
    else
        g_string_append_printf(s, "after the initiator %s had sent QM3 %u times (frames %u to %u), again in "
                               "answer to a re-sent QM2 (the capture's timestamps do not advance: the packets "
                               "tell)", bbuf, ex->final.n_sent, ex->final.frame, ex->final.last_frame);
    g_string_append(s, ": the responder did not accept QM3 (lost after the capture point, or its HASH(3) "
                    "rejected), so it never installs the IPsec SAs");
    if (esp->count) {
        ikd_finding_evidence(f, esp->first);
        g_string_append_printf(s, "; the initiator did, after its QM3, and sends ESP (SPI 0x%08x, frames %u to %u) "
                               "that the responder has no SA for", esp->spi, esp->first, esp->last);
    }
    ikd_finding_message(f, "%s", s->str);
    g_string_free(s, TRUE);
    ikd_finding_hint(f, "make QM3 reach %s: a firewall or NAT between the peers that drops small UDP "
                     "500/4500 packets (or this one), a NAT mapping that changed; the responder's log says it "
                     "gave up on the Quick Mode (strongSwan \"sending retransmit ... of response\", \"giving up after "
                     "... retransmits\"; libreswan STATE_QUICK_R1 timing out; Cisco debug crypto isakmp: QM_IDLE "
                     "never reached); if QM3 arrives but is refused, compare both peers' logs for a hash "
                     "or decryption error", abuf);
}

/* ------------------------------------------------------------ IKEv1 DPD */

static void
report_dpd_v1(ikd_rule_ctx *c, ikd_sa *sa, int dir, guint32 frame)
{
    char abuf[64], bbuf[64];
    gboolean from_init = dir == 0;
    const ikd_addr *peer = from_init ? &sa->resp_addr : &sa->init_addr;
    const ikd_addr *self = from_init ? &sa->init_addr : &sa->resp_addr;
    guint32 last = peer_last_before(sa, from_init, LIVE(sa)->dpd_first[dir]);
    ikd_finding *f = ikd_report(c->fs, sa, NULL, frame, IKD_CAUSE_DPD_UNANSWERED, TRUE);

    ikd_finding_evidence(f, LIVE(sa)->dpd_first[dir]);
    ikd_finding_evidence(f, last);
    ikd_finding_message(f, "%u DPD R-U-THERE notifications from the %s %s to %s (frames %u to %u) got no "
                        "R-U-THERE-ACK: the peer, last heard in frame %u, is gone or unreachable, and the "
                        "%s will delete its SAs (RFC 3706)",
                        LIVE(sa)->dpd_unacked[dir], ikd_side_name(from_init), ikd_peer_str(self, bbuf, sizeof bbuf),
                        ikd_peer_str(peer, abuf, sizeof abuf), LIVE(sa)->dpd_first[dir], frame, last,
                        ikd_side_name(from_init));
    dpd_hint(f, peer, last);
}

/* An IKEv1 peer sends R-U-THERE only after dpd_delay of silence and
 * re-sends it (with a new sequence number) until dpd_timeout: the ACK of a
 * live peer comes within a round trip, so two in a row without one mean
 * the peer is not answering (strongSwan's dpd_timeout = 3 x dpd_delay gives
 * just two or three before it gives up). */
#define V1_DPD_UNACKED 2

static void
check_dpd_v1(ikd_rule_ctx *c)
{
    ikd_sa *sa = c->sa;
    const ikd_msg *m = c->m;
    int dir;

    if (m->version != 1 || m->exch_type != IKD_X1_INFORMATIONAL || !c->ex || c->fi->retransmission_of)
        return;
    dir = c->ex->from_initiator ? 0 : 1;
    if (ikd_digest_notify(&m->digest, IKD_N_V1_R_U_THERE_ACK))
        LIVE(sa)->dpd_unacked[!dir] = 0;      /* the peer is alive */
    if (!ikd_digest_notify(&m->digest, IKD_N_V1_R_U_THERE))
        return;
    /* Each R-U-THERE carries a new sequence number (RFC 3706 5.5), so
     * unanswered ones are counted rather than matched one by one. */
    if (!LIVE(sa)->dpd_unacked[dir])
        LIVE(sa)->dpd_first[dir] = c->fi->frame;
    LIVE(sa)->dpd_last[dir] = c->fi->frame;
    LIVE(sa)->dpd_unacked[dir]++;
    if (LIVE(sa)->dpd_unacked[dir] == V1_DPD_UNACKED && !ikd_sa_has_failure(sa))
        report_dpd_v1(c, sa, dir, c->fi->frame);
}

/* ------------------------------------------------------------ Deletes */

static const char *
proto_label(guint8 p)
{
    switch (p) {
    case IKD_PROTO_IKE: return "IKE";
    case IKD_PROTO_AH: return "AH";
    case IKD_PROTO_ESP: return "ESP";
    case IKD_PROTO_IPCOMP: return "IPComp";
    default: return "?";
    }
}

static void
append_hex(GString *s, const guint8 *b, gsize n)
{
    for (gsize i = 0; i < n; i++)
        g_string_append_printf(s, "%02x", b[i]);
}

/* What a Delete is part of: retiring an SA after a rekey, the teardown
 * after a failure, or a teardown (by the admin, a lifetime, DPD). */
static const char *
delete_context(const ikd_sa *sa, const ikd_exchange *ex, guint32 *ctx_frame)
{
    for (guint32 i = 0; i < sa->n_findings; i++) {
        if (sa->findings[i]->failure && sa->findings[i]->frame < ex->request.frame) {
            *ctx_frame = sa->findings[i]->frame;
            return "after the failure diagnosed in frame";
        }
    }
    for (const ikd_exchange *o = sa->exchanges; o && o != ex; o = o->next_in_sa) {
        if (o->exch_type == IKD_X2_CREATE_CHILD_SA && o->response.frame) {
            *ctx_frame = o->response.frame;
            return "retiring the SA replaced by the rekey answered in frame";
        }
    }
    *ctx_frame = 0;
    return NULL;
}

static void
check_delete(ikd_rule_ctx *c)
{
    const ikd_msg *m = c->m;
    ikd_sa *sa = c->sa;
    char abuf[64];
    guint32 ctx_frame = 0;
    const char *ctx;
    GString *s;
    ikd_finding *f;

    if (!m->n_delete || c->fi->retransmission_of || !c->ex || !ikd_tracker_config(c->t)->report_deletes)
        return;
    gboolean from_init = m->version >= 2 ? (m->flags & IKD_FLAG_V2_I) != 0
                                         : ikd_addr_equal(&m->src, &sa->init_addr);
    s = g_string_new(NULL);
    g_string_append_printf(s, "The %s %s deletes ", ikd_side_name(from_init),
                           ikd_peer_str(&m->src, abuf, sizeof abuf));
    for (guint i = 0; i < m->n_delete; i++) {
        const ikd_delete *d = &m->del[i];
        if (i)
            g_string_append(s, i + 1 == m->n_delete ? " and " : ", ");
        if (d->protocol == IKD_PROTO_IKE) {
            g_string_append(s, "the IKE SA (");
            if (m->version >= 2 || d->spi_len < 16) {
                append_hex(s, m->ispi, 8);
                g_string_append_c(s, '/');
                append_hex(s, m->rspi, 8);
            } else {
                append_hex(s, d->first_spi, 8);
                g_string_append_c(s, '/');
                append_hex(s, d->first_spi + 8, 8);
            }
            g_string_append_c(s, ')');
        } else {
            g_string_append_printf(s, "%s SA%s with SPI 0x", proto_label(d->protocol),
                                   d->n_spi > 1 ? "s" : "");
            append_hex(s, d->first_spi, MIN(d->spi_len, 4));
            if (d->n_spi > 1)
                g_string_append_printf(s, " (and %u more)", d->n_spi - 1);
        }
    }
    g_string_append_printf(s, " in frame %u", c->fi->frame);
    ctx = delete_context(sa, c->ex, &ctx_frame);
    if (ctx)
        g_string_append_printf(s, ", %s %u", ctx, ctx_frame);
    else
        g_string_append(s, ": the tunnel is torn down (administrator, lifetime or DPD)");
    f = ikd_report(c->fs, sa, NULL, c->fi->frame, IKD_CAUSE_SA_DELETED, FALSE);
    ikd_finding_evidence(f, ctx_frame);
    ikd_finding_message(f, "%s", s->str);
    g_string_free(s, TRUE);
    ikd_finding_hint(f, "a Delete is normal at teardown and after a rekey; if the tunnel should have "
                     "stayed up, the deleting peer's log says why (strongSwan \"deleting IKE_SA\"/"
                     "\"closing CHILD_SA\", libreswan \"deleting state\", Cisco debug crypto isakmp), and its "
                     "lifetimes (strongSwan rekey_time/life_time, libreswan ikelifetime/salifetime, Cisco "
                     "lifetime) and DPD settings");
}

/* ------------------------------------------------------------ cookies */

static void
check_cookie(ikd_rule_ctx *c)
{
    const ikd_msg *m = c->m;
    char abuf[64];
    ikd_finding *f;

    if (m->version < 2 || m->exch_type != IKD_X2_IKE_SA_INIT || c->fi->role != IKD_ROLE_RESPONSE ||
        c->fi->retransmission_of || !c->ex || !ikd_digest_notify(&m->digest, IKD_N_COOKIE))
        return;
    f = ikd_report(c->fs, c->sa, NULL, c->fi->frame, IKD_CAUSE_COOKIE_CHALLENGE, FALSE);
    ikd_finding_evidence(f, c->ex->request.frame);
    ikd_finding_message(f, "The responder %s answered the IKE_SA_INIT request of frame %u with a COOKIE "
                        "(anti-DoS, RFC 7296 2.6) instead of its proposal: it has many half-open IKE SAs "
                        "or always asks for cookies; the initiator must repeat IKE_SA_INIT with the cookie, "
                        "which costs one round trip",
                        ikd_peer_str(&m->src, abuf, sizeof abuf), c->ex->request.frame);
    ikd_finding_hint(f, "nothing to fix if the repeated IKE_SA_INIT succeeds; the threshold is "
                     "strongSwan charon.cookie_threshold (and charon.dos_protection), libreswan "
                     "ddos-mode= / ddos-ike-threshold=, Cisco crypto ikev2 cookie-challenge; many half-open "
                     "SAs may also mean a flood of IKE_SA_INIT requests");
}

/* ------------------------------------------------------------ entry points */

void
ikd_rules_liveness(ikd_rule_ctx *c)
{
    const ikd_msg *m = c->m;

    if (!c->sa || !m || m->kind != IKD_MSG_IKE)
        return;
    if (c->ex && c->fi->role == IKD_ROLE_REQUEST && !c->fi->retransmission_of && is_liveness_check(m))
        LIVE(c->sa)->liveness_frame = c->fi->frame;
    check_dpd_v2(c);
    check_peer_unresponsive(c);
    check_quick_mode(c);
    if (m->malformed)
        return;
    check_dpd_v1(c);
    check_delete(c);
    check_cookie(c);
}

void
ikd_rules_liveness_finish(ikd_rule_ctx *c)
{
    ikd_sa *sa = c->sa;
    /* A liveness check still unanswered at the end, retransmitted fewer
     * times than the one-pass rule waits for: the peer may be dead, the
     * capture simply ended first. */
    for (ikd_exchange *ex = sa->exchanges; ex; ex = ex->next_in_sa) {
        const ikd_digest *d = ex->request.msg;
        if (!ex->request.frame || ex->request.frame != LIVE(sa)->liveness_frame || ex->response.frame ||
            ex->request.n_sent < 2 || ex->diagnosed_in || !d || !sa->ike_established || ikd_sa_has_failure(sa))
            continue;
        report_dpd_v2(c, sa, ex, ex->request.last_frame, d->encrypted && !d->decrypted, TRUE);
    }
    /* any other request the peer stopped answering, likewise */
    for (ikd_exchange *ex = sa->exchanges; ex; ex = ex->next_in_sa) {
        if (!ex->request.frame || ex->request.n_sent < 2 || ex->diagnosed_in ||
            ex->exch_type == IKD_X1_INFORMATIONAL || ex->request.frame == LIVE(sa)->liveness_frame ||
            !peer_unresponsive(sa, ex))
            continue;
        report_peer_unresponsive(c, sa, ex, ex->request.last_frame, TRUE);
    }
    for (int dir = 0; dir < 2; dir++) {
        if (LIVE(sa)->dpd_unacked[dir] >= 2 && !ikd_sa_has_failure(sa))
            report_dpd_v1(c, sa, dir, LIVE(sa)->dpd_last[dir]);
    }
}
