/* rules_xauth.c
 * IKEv1 remote access: XAUTH (draft-beaulieu-ike-xauth) and Mode Config
 * (draft-dukes-ike-mode-cfg) in Transaction exchanges (type 6).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "rules_common.h"
#include "names.h"

void
ikd_rules_xauth(ikd_rule_ctx *c)
{
    (void)c;
}

void
ikd_rules_xauth_finish(ikd_rule_ctx *c)
{
    (void)c;
}
