/* rules_psk.h
 * The IKEv1 pre-shared key stalls (rules_psk.c), for diagnose.c, the
 * authentication family and the reachability family.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IKD_RULES_PSK_H
#define IKD_RULES_PSK_H

#include "rules.h"

/* An unreadable (malformed) IKEv1 message that the Main or Aggressive Mode
 * PSK-mismatch pattern explains; TRUE when it does (no "malformed" note). */
gboolean ikd_rules_psk_unreadable(ikd_rule_ctx *c);
/* An IKEv1 Informational answering MM5 or AM2: TRUE when the PSK pattern
 * explains it (reported). */
gboolean ikd_rules_psk_reply(ikd_rule_ctx *c);
/* A retransmitted MM4 or AM2 response. */
void ikd_rules_psk_repeat(ikd_rule_ctx *c);
/* Called before reporting no-response on exchange 'ex'; TRUE when the IKEv1
 * MM5 stall explains it as a psk-mismatch (reported). */
gboolean ikd_rules_psk_stall(ikd_rule_ctx *c, ikd_sa *sa, ikd_exchange *ex, guint32 frame, gboolean at_end);

#endif /* IKD_RULES_PSK_H */
