/* causes.c
 * The cause table, made from causes.def.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include "causes.h"

static const ikd_cause_info cause_table[IKD_CAUSE_COUNT] = {
#define IKD_CAUSE(id, kw, ttl, grp, sev, rec) \
    [IKD_CAUSE_##id] = { .cause = IKD_CAUSE_##id, .keyword = kw, .title = ttl, \
                         .group = IKD_GROUP_##grp, .severity = IKD_SEV_##sev, \
                         .recovered_severity = IKD_SEV_##rec },
#include "causes.def"
#undef IKD_CAUSE
};

const ikd_cause_info *
ikd_cause_get(ikd_cause cause)
{
    /* Every caller passes an ikd_cause: one outside the list is a bug,
     * reported loudly (GLib critical) rather than handed on as NULL. */
    g_return_val_if_fail((unsigned)cause < IKD_CAUSE_COUNT, &cause_table[IKD_CAUSE_MALFORMED]);
    return &cause_table[cause];
}

const ikd_cause_info *
ikd_cause_by_keyword(const char *keyword)
{
    for (unsigned i = 0; i < IKD_CAUSE_COUNT; i++) {
        if (strcmp(cause_table[i].keyword, keyword) == 0)
            return &cause_table[i];
    }
    return NULL;
}
