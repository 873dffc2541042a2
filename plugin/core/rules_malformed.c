/* rules_malformed.c
 * A truncated or malformed IKE message proves nothing: say so, and let no
 * rule conclude from what may be half a payload.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "rules.h"

void
ikd_rules_malformed(ikd_rule_ctx *c)
{
    ikd_finding *f = ikd_report(c->fs, c->sa, c->ex, c->fi->frame, IKD_CAUSE_MALFORMED, FALSE);

    if (c->m->content_len < c->m->wire_len) {
        ikd_finding_message(f, "IKE message in frame %u is cut short by the capture (%u of %u bytes "
                            "captured); ikediag draws no conclusion from it",
                            c->fi->frame, c->m->content_len, c->m->wire_len);
        ikd_finding_hint(f, "capture with a larger snapshot length (tcpdump -s 0, dumpcap -s 0) "
                         "so that whole IKE messages are kept");
    } else {
        ikd_finding_message(f, "IKE message in frame %u is truncated or malformed; "
                            "ikediag draws no conclusion from it", c->fi->frame);
    }
}
