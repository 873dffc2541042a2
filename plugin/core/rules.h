/* rules.h
 * What every rule family gets: the context of one frame, and the entry
 * points diagnose.c calls.  One family of causes per file (rules_*.c); what
 * a family offers another goes through that family's own small header.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IKD_RULES_H
#define IKD_RULES_H

#include "tracker.h"
#include "findings.h"

typedef struct ikd_rule_ctx {
    ikd_tracker    *t;
    ikd_findings   *fs;
    ikd_sa         *sa;             /* NULL for ESP without an IKE SA */
    ikd_exchange   *ex;
    ikd_frame_info *fi;             /* NULL at the end of the capture */
    const ikd_msg  *m;              /* NULL at the end of the capture */
    ikd_digest     *d;              /* the digest of m kept by the exchange */
} ikd_rule_ctx;

/* Slots of the families' per-SA and per-capture state (tracker.h). */
enum {
    IKD_SLOT_NAT,                   /* rules_nat.c */
    IKD_SLOT_LIVENESS,              /* rules_liveness.c */
    IKD_SLOT_CERTS,                 /* rules_certs.c */
    IKD_SLOT_REDIRECT,              /* rules_redirect.c */
    IKD_SLOT_SELECTORS,             /* rules_selectors.c */
    IKD_SLOT_COUNT
};
G_STATIC_ASSERT(IKD_SLOT_COUNT <= IKD_FAMILY_SLOTS);

/* The families, in the order diagnose.c runs them.  Each gets IKE messages
 * (and the ones named, ESP/ICMP/fragment frames); the *_finish ones get
 * each SA once at the end of the capture (c->sa set, c->fi and c->m NULL). */
void ikd_rules_certs_index(ikd_rule_ctx *c);    /* every IKE message first: its certificates
                                                   by subject (rules_certs.c) */
void ikd_rules_malformed(ikd_rule_ctx *c);      /* unreadable messages (rules_malformed.c) */
void ikd_rules_nat(ikd_rule_ctx *c);            /* NAT-D, NAT-T, ESP, fragments; all frames */
void ikd_rules_nat_finish(ikd_rule_ctx *c);
void ikd_rules_liveness(ikd_rule_ctx *c);       /* DPD, Deletes, cookies */
void ikd_rules_liveness_finish(ikd_rule_ctx *c);
void ikd_rules_reachability(ikd_rule_ctx *c);   /* retransmissions, ICMP, version; all frames */
void ikd_rules_reachability_finish(ikd_rule_ctx *c);
void ikd_rules_scan(ikd_rule_ctx *c);           /* scanner probes (rules_scan.c) */
void ikd_rules_xauth(ikd_rule_ctx *c);          /* XAUTH, Mode Config (rules_xauth.c) */
void ikd_rules_proposals(ikd_rule_ctx *c);      /* proposals, DH, PFS */
void ikd_rules_proposals_recovered(ikd_rule_ctx *c);  /* after every family, also on ESP: a refusal
                                                   that later success turns into a note */
void ikd_rules_selectors(ikd_rule_ctx *c);      /* traffic selectors */
gboolean ikd_rules_aggressive_refused(ikd_rule_ctx *c);   /* policy refusal of AM PSK (rules_hygiene.c) */
void ikd_rules_auth(ikd_rule_ctx *c);           /* authentication, identities, EAP */
void ikd_rules_hygiene(ikd_rule_ctx *c);        /* weak crypto, aggressive mode */
void ikd_rules_notify(ikd_rule_ctx *c);         /* error notifies no other rule explained */
void ikd_rules_encrypted(ikd_rule_ctx *c);      /* what is known without keys */
void ikd_rules_redirect(ikd_rule_ctx *c);       /* RFC 5685 REDIRECT; after every family, all frames:
                                                   carries a redirect into the failures of the SA
                                                   that follows it */
void ikd_rules_redirect_finish(ikd_rule_ctx *c);

#endif /* IKD_RULES_H */
