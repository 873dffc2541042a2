/* causes.h
 * The catalogue of diagnoses: one row per cause keyword.  Registration
 * (expert infos, value strings), the docs check and the tests all read this
 * one table (causes.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IKD_CAUSES_H
#define IKD_CAUSES_H

#include <glib.h>

typedef enum {
    IKD_CAUSE_IKE_PROPOSAL_MISMATCH,
    IKD_CAUSE_CHILD_PROPOSAL_MISMATCH,
    IKD_CAUSE_DH_GROUP_MISMATCH,
    IKD_CAUSE_PFS_MISMATCH,
    IKD_CAUSE_TS_MISMATCH,
    IKD_CAUSE_TS_NARROWED,
    IKD_CAUSE_AUTH_FAILED,
    IKD_CAUSE_PSK_MISMATCH,
    IKD_CAUSE_ID_MISMATCH,
    IKD_CAUSE_CERT_EXPIRED,
    IKD_CAUSE_CERT_NOT_YET_VALID,
    IKD_CAUSE_CERT_UNTRUSTED,
    IKD_CAUSE_NO_RESPONSE,
    IKD_CAUSE_IKE_VERSION_MISMATCH,
    IKD_CAUSE_NAT_DETECTED,
    IKD_CAUSE_UDP_4500_BLOCKED,
    IKD_CAUSE_ESP_NOT_ENCAPSULATED,
    IKD_CAUSE_ESP_ONE_WAY,
    IKD_CAUSE_IP_FRAGMENTATION,
    IKD_CAUSE_WEAK_CRYPTO,
    IKD_CAUSE_AGGRESSIVE_MODE_PSK,
    IKD_CAUSE_COOKIE_CHALLENGE,
    IKD_CAUSE_DPD_UNANSWERED,
    IKD_CAUSE_SA_DELETED,
    IKD_CAUSE_NOTIFY_ERROR,
    IKD_CAUSE_ENCRYPTED_OUTCOME,
    IKD_CAUSE_MALFORMED,
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

typedef struct ikd_cause_info {
    ikd_cause    cause;
    const char  *keyword;           /* value of ikediag.cause; a public contract */
    const char  *expert_name;       /* ikediag.expert.<name> */
    const char  *title;             /* short human summary */
    ikd_severity severity;          /* when the finding is a failure */
    ikd_severity recovered_severity;/* when it is not (recovered, informational) */
    gboolean     usually_failure;
} ikd_cause_info;

const ikd_cause_info *ikd_cause_get(ikd_cause cause);
/* NULL when the keyword is unknown. */
const ikd_cause_info *ikd_cause_by_keyword(const char *keyword);

#endif /* IKD_CAUSES_H */
