/* rules_nat.c
 * NAT detection (RFC 7296 2.23, RFC 3947), NAT-T and ESP flow checks.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "rules.h"
#include "names.h"

void
ikd_rules_nat(ikd_rule_ctx *c)
{
    (void)c;
}

void
ikd_rules_nat_finish(ikd_tracker *t, ikd_sa *sa)
{
    (void)t;
    (void)sa;
}
