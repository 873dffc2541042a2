/* causes.h
 * The catalogue of diagnoses, made from the one list in causes.def.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IKD_CAUSES_H
#define IKD_CAUSES_H

#include <glib.h>

typedef enum {
#define IKD_CAUSE(id, keyword, title, group, sev, rec) IKD_CAUSE_##id,
#include "causes.def"
#undef IKD_CAUSE
    IKD_CAUSE_COUNT
} ikd_cause;

/* Severity as Wireshark's expert levels use it: error for a failed SA,
 * warning for a likely problem, note for an expected or recovered event,
 * chat for normal progress. */
typedef enum {
    IKD_SEV_CHAT,
    IKD_SEV_NOTE,
    IKD_SEV_WARN,
    IKD_SEV_ERROR
} ikd_severity;

/* Wireshark's expert groups that causes fall into (the epan edge maps them
 * to PI_*: the core includes no epan header). */
typedef enum {
    IKD_GROUP_PROTOCOL,
    IKD_GROUP_SEQUENCE,
    IKD_GROUP_SECURITY,
    IKD_GROUP_MALFORMED,
    IKD_GROUP_DECRYPTION
} ikd_group;

typedef struct ikd_cause_info {
    ikd_cause    cause;
    const char  *keyword;           /* value of ikediag.cause; a public contract */
    const char  *title;             /* short human summary */
    ikd_group    group;
    ikd_severity severity;          /* when the finding is a failure */
    ikd_severity recovered_severity;/* when it is not (recovered, informational) */
} ikd_cause_info;

/* Never NULL (a cause outside the list is a bug: a GLib critical). */
const ikd_cause_info *ikd_cause_get(ikd_cause cause);
/* NULL when the keyword is unknown (it comes from users and tests). */
const ikd_cause_info *ikd_cause_by_keyword(const char *keyword);

#endif /* IKD_CAUSES_H */
