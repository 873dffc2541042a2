/* rules_xauth.c
 * IKEv1 remote access: XAUTH (draft-beaulieu-ike-xauth-02) and Mode Config
 * (draft-dukes-ike-mode-cfg-02), both in Transaction exchanges (type 6)
 * after phase 1, Cisco style (Aggressive Mode + XAUTH + Mode Config).
 *
 * With keys the attributes payload says it all (extract.c on_cfg_field):
 *   - the gateway's CFG_SET with XAUTH_STATUS = FAIL: the user's XAUTH
 *     credentials were refused (xauth-failed);
 *   - a Mode Config CFG_REPLY (no XAUTH attribute) without an
 *     INTERNAL_IP4/IP6_ADDRESS: the client gets no address (modecfg-failed:
 *     an empty pool, or no pool for this group/user).
 * Without keys (or with): the gateway's Transaction request, sent right
 * after phase 1 and retransmitted without an answer, is its XAUTH request
 * the client never answered (xauth-failed, called by rules_reachability.c
 * instead of no-response).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <stdio.h>

#include "rules_xauth.h"
#include "rules_common.h"
#include "names.h"

static const char *
xauth_hint(void)
{
    return "check the user's XAUTH name and password and where the gateway looks them up (strongSwan: "
           "swanctl.conf remote-access connection with remote { auth = xauth } (or xauth-generic / xauth-eap / "
           "xauth-pam) and secrets { xauth-<user> { id = <user>; secret = ... } }, ipsec.conf rightauth2=xauth "
           "with ipsec.secrets \"<user> : XAUTH ...\"; libreswan: leftxauthserver=yes / rightxauthclient=yes and "
           "/etc/ipsec.d/passwd or PAM (xauthby=file|pam|alwaysok); Cisco: crypto map client authentication list "
           "<aaa-list> with aaa authentication login, or tunnel-group <group> general-attributes / "
           "authentication-server-group <server>; the client: vpnc Xauth username / Xauth password)";
}

static const char *
modecfg_hint(void)
{
    return "give the gateway a free address for this client (strongSwan: pools { <name> { addrs = ... } } and "
           "children/connection pools = <name>, ipsec.conf rightsourceip=<range>, and check "
           "swanctl --list-pools for a full pool; libreswan: rightaddresspool=<range> with modecfgpull=yes; "
           "Cisco: crypto isakmp client configuration group <group> with pool <name> and ip local pool, or "
           "tunnel-group <group> general-attributes / address-pool <name>)";
}

/* The Transaction request this message answers, if decrypted. */
static const ikd_digest *
request_of(const ikd_rule_ctx *c)
{
    const ikd_digest *rq = c->ex->request.msg;
    return rq && rq->frame != c->fi->frame ? rq : NULL;
}

void
ikd_rules_xauth(ikd_rule_ctx *c)
{
    const ikd_digest *d = c->d;
    ikd_finding *f;
    char abuf[64];

    if (!c->sa || !c->ex || !d || c->sa->version != 1 || c->m->exch_type != IKD_X1_TRANSACTION ||
        c->fi->retransmission_of || (d->encrypted && !d->decrypted) || !d->cfg_type)
        return;
    if (ikd_sa_has_cause(c->sa, IKD_CAUSE_XAUTH_FAILED))
        return;

    /* XAUTH status FAIL in the gateway's CFG_SET. */
    if (d->cfg_type == 3 && d->xauth_status == 1) {
        const ikd_digest *reply = NULL;
        /* the client's CFG_REPLY with its credentials, if seen */
        for (const ikd_exchange *ex = c->sa->exchanges; ex; ex = ex->next_in_sa) {
            const ikd_digest *r = ex->response.msg;
            if (ex->exch_type == IKD_X1_TRANSACTION && r && r->frame < c->fi->frame && r->cfg_type == 2 &&
                r->cfg_xauth)
                reply = r;
        }
        f = ikd_report(c->fs, c->sa, c->ex, c->fi->frame, IKD_CAUSE_XAUTH_FAILED, TRUE);
        if (reply)
            ikd_finding_evidence(f, reply->frame);
        ikd_finding_set(&f->mismatch, "XAUTH credentials");
        char after[96] = "";
        if (reply)
            snprintf(after, sizeof after, " after the client's CFG_REPLY (user name and password) in frame %u",
                       reply->frame);
        ikd_finding_message(f, "Gateway %s refused the user's XAUTH credentials: its CFG_SET in frame %u says "
                            "XAUTH_STATUS FAIL%s; phase 1 (the group secret) was fine, so the user name or "
                            "password is wrong, or the user is not allowed on this gateway",
                            ikd_peer_str(&c->m->src, abuf, sizeof abuf), c->fi->frame, after);
        ikd_finding_hint(f, "%s", xauth_hint());
        return;
    }

    /* Mode Config reply without an address. */
    if (d->cfg_type == 2 && !d->cfg_xauth && !d->cfg_addr) {
        const ikd_digest *rq = request_of(c);
        if (rq && rq->cfg_xauth)
            return;
        f = ikd_report(c->fs, c->sa, c->ex, c->fi->frame, IKD_CAUSE_MODECFG_FAILED, TRUE);
        if (rq)
            ikd_finding_evidence(f, rq->frame);
        ikd_finding_set(&f->mismatch, "Mode Config address");
        char of[32] = "";
        if (rq)
            snprintf(of, sizeof of, " of frame %u", rq->frame);
        ikd_finding_message(f, "Gateway %s answered the client's Mode Config request%s with a CFG_REPLY in frame "
                            "%u that carries no INTERNAL_IP4_ADDRESS or INTERNAL_IP6_ADDRESS: the client gets no "
                            "virtual address and gives up (the gateway's address pool is exhausted, or none is "
                            "configured for this group or user)",
                            ikd_peer_str(&c->m->src, abuf, sizeof abuf), of, c->fi->frame);
        ikd_finding_hint(f, "%s", modecfg_hint());
        return;
    }
}

gboolean
ikd_rules_xauth_stall(ikd_rule_ctx *c, ikd_sa *sa, ikd_exchange *ex, guint32 frame, gboolean at_end)
{
    const ikd_digest *rq = ex->request.msg;
    ikd_finding *f;
    char abuf[64];

    if (!sa || sa->version != 1 || ex->exch_type != IKD_X1_TRANSACTION || !sa->ike_established ||
        ex->from_initiator || !rq)
        return FALSE;
    gboolean readable = !rq->encrypted || rq->decrypted;
    /* A readable request that is not XAUTH is a Mode Config push: not ours. */
    if (readable && !(rq->cfg_type == 1 && rq->cfg_xauth))
        return FALSE;
    if (ikd_sa_has_cause(sa, IKD_CAUSE_XAUTH_FAILED))
        return TRUE;
    f = ikd_report(c->fs, sa, ex, frame, IKD_CAUSE_XAUTH_FAILED, TRUE);
    ikd_finding_evidence(f, rq->frame);
    ikd_finding_set(&f->mismatch, "XAUTH not answered");
    ikd_finding_message(f, "The client %s never answered the gateway's XAUTH request of frame %u%s, sent %u "
                        "times up to frame %u%s: XAUTH did not complete, so the IKE SA is not usable (the client "
                        "had no user name or password to give, its user did not answer the prompt, or it does not "
                        "do XAUTH)", ikd_peer_str(&sa->init_addr, abuf, sizeof abuf), rq->frame,
                        readable ? " (CFG_REQUEST for the user name and password)"
                                 : " (a Transaction from the gateway right after phase 1: encrypted, most likely "
                                   "its XAUTH request)",
                        ex->request.n_sent, frame, at_end ? ", until the end of the capture" : "");
    ikd_finding_hint(f, "give the client its XAUTH user name and password (vpnc: Xauth username / Xauth "
                     "password, or answer its prompt; strongSwan client: rightauth2=xauth with the XAUTH secret; "
                     "Cisco client: the user's credentials), or, if the client does not do XAUTH, drop it on the "
                     "gateway (%s)", xauth_hint());
    ikd_finding_possible(f, IKD_CAUSE_NO_RESPONSE, "the client may have crashed or lost its path; ICMP port "
                         "unreachable from it for the retransmissions says its IKE socket is closed, a reachable "
                         "client that answered before (phase 1) rules out a path problem");
    if (!readable)
        ikd_finding_possible(f, IKD_CAUSE_MODECFG_FAILED, "an encrypted gateway Transaction may also be a Mode "
                             "Config push (CFG_SET) the client does not take; the keys tell XAUTH from Mode Config");
    return TRUE;
}
