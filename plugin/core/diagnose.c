/* diagnose.c
 * Tracker, then rules, for each frame; the rules' end-of-capture pass.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "diagnose.h"
#include "rules.h"
#include "rules_psk.h"
#include "names.h"

struct ikd_diag {
    ikd_tracker  *t;
    ikd_findings *fs;
    gboolean      finished;
};

ikd_diag *
ikd_diag_new(const ikd_config *cfg)
{
    ikd_diag *dg = g_new0(ikd_diag, 1);
    dg->t = ikd_tracker_new(cfg);
    dg->fs = ikd_findings_new(dg->t);
    return dg;
}

void
ikd_diag_free(ikd_diag *dg)
{
    if (!dg)
        return;
    ikd_findings_free(dg->fs);
    ikd_tracker_free(dg->t);
    g_free(dg);
}

ikd_tracker *ikd_diag_tracker(ikd_diag *dg) { return dg->t; }
gboolean ikd_diag_finished(const ikd_diag *dg) { return dg->finished; }
gsize ikd_diag_memory(const ikd_diag *dg) { return ikd_tracker_memory(dg->t); }

ikd_frame_info *
ikd_diag_lookup(ikd_diag *dg, guint32 frame)
{
    return ikd_tracker_lookup(dg->t, frame);
}

static void
message_rules(ikd_rule_ctx *c)
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
         * PSK-mismatch pattern, which says a lot. */
        if (!ikd_rules_psk_unreadable(c))
            ikd_rules_malformed(c);
        return;
    }
    /* path and liveness before reachability: see above */
    ikd_rules_nat(c);
    ikd_rules_liveness(c);
    ikd_rules_reachability(c);
    ikd_rules_scan(c);
    ikd_rules_proposals(c);
    ikd_rules_xauth(c);
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

/* The IKE SA is established by what followed its encrypted IKE_AUTH
 * answer (tracker.c: prove_established()): its encrypted-outcome note says
 * so and names the frames, whether the proof comes after the note (this
 * frame proved it) or before it (merged captures out of order). */
static void
note_proof(ikd_diag *dg, ikd_sa *sa, ikd_frame_info *fi)
{
    gboolean proven_now = sa->established_in == fi->frame;
    char *why = NULL;

    if (sa->proof != IKD_PROOF_CHILD_EXCHANGE && sa->proof != IKD_PROOF_LATER_EXCHANGE &&
        sa->proof != IKD_PROOF_ESP)
        return;
    for (guint32 i = 0; i < sa->n_findings; i++) {
        ikd_finding *f = sa->findings[i];
        if (f->cause != IKD_CAUSE_ENCRYPTED_OUTCOME || !f->exchange || f->exchange->version < 2 ||
            f->exchange->exch_type != IKD_X2_IKE_AUTH || (!proven_now && f->frame != fi->frame))
            continue;
        if (!why)
            why = ikd_sa_proof_text(dg->t, sa);
        if (f->message)
            ikd_finding_take_message(f, g_strdup_printf("%s; the IKE SA is established nonetheless: %s",
                                                        f->message, why));
        ikd_finding_evidence(f, sa->proof_frame);
        ikd_finding_evidence(f, sa->proof_other);
    }
    g_free(why);
}

/* The SA's outcome after this frame's rules. */
static void
update_outcome(ikd_diag *dg, ikd_rule_ctx *c)
{
    ikd_sa *sa = c->sa;

    if (!sa)
        return;
    ikd_rules_proposals_recovered(c);
    if (sa->ike_established)
        note_proof(dg, sa, c->fi);
    if (sa->outcome != IKD_OUTCOME_FAILED && sa->outcome != IKD_OUTCOME_CHILD_FAILED &&
        sa->ike_established)
        sa->outcome = IKD_OUTCOME_ESTABLISHED;
}

void
ikd_diag_set_texts(ikd_diag *dg, gboolean texts)
{
    ikd_findings_set_texts(dg->fs, texts);
}

ikd_frame_info *
ikd_diag_add(ikd_diag *dg, const ikd_msg *m)
{
    ikd_frame_info *fi = ikd_tracker_lookup(dg->t, m->frame);
    ikd_digest *d;

    if (fi)
        return fi;              /* seen already: the first pass ran twice */
    fi = ikd_tracker_add(dg->t, m, &d);
    if (!fi)
        return NULL;
    /* The GUI may draw rows (a later pass) while a file is still being read
     * or a live capture goes on: new frames reopen the end-of-capture rules
     * for the SAs they touch. */
    dg->finished = FALSE;

    ikd_rule_ctx c = { dg->t, dg->fs, fi->sa, fi->exchange, fi, m, d };
    if (m->kind == IKD_MSG_IKE) {
        ikd_rules_certs_index(&c);
        message_rules(&c);
    } else {
        ikd_rules_nat(&c);
        ikd_rules_reachability(&c);
    }
    /* after every family: a failure on an SA that follows a REDIRECT says so */
    ikd_rules_redirect(&c);
    /* ESP may prove an SA established too (tracker.c) */
    update_outcome(dg, &c);
    return fi;
}

void
ikd_diag_finish(ikd_diag *dg)
{
    if (dg->finished)
        return;
    dg->finished = TRUE;
    /* whoever finishes (a later pass, the statistics) reads the findings */
    ikd_findings_set_texts(dg->fs, TRUE);
    for (ikd_sa *sa = ikd_tracker_sas(dg->t); sa; sa = sa->next) {
        if (sa->finished_at && sa->finished_at == sa->touched)
            continue;           /* nothing new since the last time */
        sa->finished_at = sa->touched;
        ikd_rule_ctx c = { dg->t, dg->fs, sa, NULL, NULL, NULL, NULL };
        ikd_rules_nat_finish(&c);
        ikd_rules_liveness_finish(&c);
        ikd_rules_reachability_finish(&c);
        ikd_rules_redirect_finish(&c);
        if (sa->outcome == IKD_OUTCOME_INCOMPLETE && !sa->ike_established) {
            /* An answered but unreadable IKE_AUTH / MM5-6 is not "incomplete". */
            for (ikd_exchange *ex = sa->exchanges; ex; ex = ex->next_in_sa) {
                if (ex->response.msg && ex->response.msg->encrypted && !ex->response.msg->decrypted)
                    sa->outcome = IKD_OUTCOME_ENCRYPTED;
            }
        }
    }
}
