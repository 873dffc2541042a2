/* rules_xauth.h
 * What the XAUTH / Mode Config family offers the reachability family
 * (rules_xauth.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IKD_RULES_XAUTH_H
#define IKD_RULES_XAUTH_H

#include "rules.h"

/* Called before reporting no-response on exchange 'ex' (at 'frame', the
 * last send): TRUE when it is the gateway's XAUTH request the client never
 * answered, reported as xauth-failed. */
gboolean ikd_rules_xauth_stall(ikd_rule_ctx *c, ikd_sa *sa, ikd_exchange *ex, guint32 frame, gboolean at_end);

#endif /* IKD_RULES_XAUTH_H */
