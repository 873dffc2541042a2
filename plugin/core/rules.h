/* rules.h
 * Diagnosis rules.  The tracker calls them after it has placed a frame in
 * its SA and exchange; they read the tracked state and report findings.
 * One family of causes per file (rules_*.c); this header is their common
 * entry point and the small helpers they share.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IKD_RULES_H
#define IKD_RULES_H

#include "tracker.h"

typedef struct ikd_rule_ctx {
    ikd_tracker    *t;
    ikd_sa         *sa;
    ikd_exchange   *ex;
    ikd_frame_info *fi;
    const ikd_msg  *m;
    ikd_digest     *d;              /* the digest of m kept by the exchange */
} ikd_rule_ctx;

/* Every rule family gets every IKE message ... */
void ikd_rules_message(ikd_rule_ctx *c);
/* ... ESP and ICMP frames ... */
void ikd_rules_other(ikd_rule_ctx *c);
/* ... and, once, the end of the capture. */
void ikd_rules_finish(ikd_tracker *t, ikd_sa *sa);

/* The families (rules_*.c). */
void ikd_rules_proposals(ikd_rule_ctx *c);      /* proposals, DH, PFS */
void ikd_rules_selectors(ikd_rule_ctx *c);      /* traffic selectors */
void ikd_rules_auth(ikd_rule_ctx *c);           /* authentication, identities, certs */
void ikd_rules_reachability(ikd_rule_ctx *c);   /* retransmissions, ICMP, version */
void ikd_rules_nat(ikd_rule_ctx *c);            /* NAT-D, NAT-T, ESP */
void ikd_rules_hygiene(ikd_rule_ctx *c);        /* weak crypto, aggressive mode */
void ikd_rules_encrypted(ikd_rule_ctx *c);      /* what is known without keys */
void ikd_rules_notify(ikd_rule_ctx *c);         /* error notifies no other rule explained */
gboolean ikd_rules_aggressive_refused(ikd_rule_ctx *c);   /* policy refusal of AM PSK */
void ikd_rules_reachability_finish(ikd_tracker *t, ikd_sa *sa);
/* rules_auth.c: an unreadable (malformed) IKEv1 message that the Main Mode
 * PSK-mismatch pattern explains; TRUE when it does (no "malformed" note). */
gboolean ikd_rules_auth_unreadable(ikd_rule_ctx *c);
/* rules_auth.c: called before reporting no-response on exchange 'ex'; TRUE
 * when the IKEv1 MM5 stall explains it as a psk-mismatch (reported). */
gboolean ikd_rules_auth_stall(ikd_tracker *t, ikd_sa *sa, ikd_exchange *ex, guint32 frame, gboolean at_end);
/* rules_auth.c: what the clear part of an IKEv2 SA says about its
 * authentication (CERTREQs), for an encrypted IKE_AUTH; g_free() it. */
char *ikd_auth_known(const ikd_sa *sa, guint32 *evidence_frame);
void ikd_rules_nat_finish(ikd_tracker *t, ikd_sa *sa);
/* rules_liveness.c: DPD / liveness checks, Deletes, anti-DoS cookies. */
void ikd_rules_liveness(ikd_rule_ctx *c);
void ikd_rules_liveness_finish(ikd_tracker *t, ikd_sa *sa);
/* rules_nat.c: the NAT-D hash HASH(SPIi | SPIr | address | port) of RFC 7296
 * 2.23 (SHA-1) and RFC 3947 (the negotiated hash, told by the payload's
 * length).  Writes it into out (64 bytes); returns its length, 0 when the
 * length names no known hash or the address is unset. */
gsize ikd_natd_hash(gsize hash_len, const guint8 ispi[8], const guint8 rspi[8],
                    const ikd_addr *addr, guint16 port, guint8 out[64]);

/* Shared helpers (rules.c). */
const ikd_notify *ikd_digest_notify(const ikd_digest *d, guint16 type);
/* The first error notify (type < 16384) of a digest, or NULL. */
const ikd_notify *ikd_digest_error(const ikd_digest *d);
const ikd_notify *ikd_msg_notify(const ikd_msg *m, guint16 type);
/* The last frame after 'after' in which the side that should answer 'ex'
 * sent anything for this SA (IKE or ESP), or 0: that peer is alive. */
guint32 ikd_peer_heard_after(const ikd_sa *sa, const ikd_exchange *ex, guint32 after);
/* This frame retransmits a request that is still unanswered and reaches
 * the no-response threshold (the preference): the frame where "nobody
 * answers" becomes evident, for every rule that explains why. */
gboolean ikd_unanswered_at_threshold(const ikd_rule_ctx *c);
/* "initiator" or "responder", for messages. */
const char *ikd_side_name(gboolean initiator);
/* The peer's address as text, for messages. */
const char *ikd_peer_str(const ikd_addr *a, char *buf, gsize len);
/* Hint on which key reveals an encrypted exchange (UAT and SPIs). */
char *ikd_key_hint(const ikd_sa *sa);

#endif /* IKD_RULES_H */
