/* rules_common.h
 * Small helpers every rule family uses (rules_common.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IKD_RULES_COMMON_H
#define IKD_RULES_COMMON_H

#include "rules.h"

/* The last frame after 'after' in which the side that should answer 'ex'
 * sent anything for this SA (IKE or ESP), or 0: that peer is alive. */
guint32 ikd_peer_heard_after(const ikd_sa *sa, const ikd_exchange *ex, guint32 after);
/* This frame retransmits a request that is still unanswered and reaches
 * the no-response threshold (the preference): the frame where "nobody
 * answers" becomes evident, for every rule that explains why. */
gboolean ikd_unanswered_at_threshold(const ikd_rule_ctx *c);
/* "initiator" or "responder", for messages. */
const char *ikd_side_name(gboolean initiator);
/* Appends v in decimal: sentences are assembled with appends, not printf. */
void ikd_append_u32(GString *s, guint32 v);
/* The peer's address as text, for messages. */
const char *ikd_peer_str(const ikd_addr *a, char *buf, gsize len);
/* Hint on which key reveals an encrypted exchange (UAT and SPIs); g_free() it. */
char *ikd_key_hint(const ikd_sa *sa);

#endif /* IKD_RULES_COMMON_H */
