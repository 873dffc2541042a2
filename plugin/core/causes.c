/* causes.c
 * The cause table.  Keywords are the values of ikediag.cause and appear in
 * users' display filters and training material: never rename one.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include "causes.h"

static const ikd_cause_info cause_table[IKD_CAUSE_COUNT] = {
    { IKD_CAUSE_IKE_PROPOSAL_MISMATCH, "ike-proposal-mismatch", "ike_proposal_mismatch",
      "IKE proposal mismatch", IKD_SEV_ERROR, IKD_SEV_NOTE, TRUE },
    { IKD_CAUSE_CHILD_PROPOSAL_MISMATCH, "child-proposal-mismatch", "child_proposal_mismatch",
      "Child SA (ESP/AH) proposal mismatch", IKD_SEV_ERROR, IKD_SEV_NOTE, TRUE },
    { IKD_CAUSE_DH_GROUP_MISMATCH, "dh-group-mismatch", "dh_group_mismatch",
      "DH group refused", IKD_SEV_ERROR, IKD_SEV_NOTE, FALSE },
    { IKD_CAUSE_PFS_MISMATCH, "pfs-mismatch", "pfs_mismatch",
      "PFS mismatch", IKD_SEV_ERROR, IKD_SEV_NOTE, TRUE },
    { IKD_CAUSE_TS_MISMATCH, "ts-mismatch", "ts_mismatch",
      "Traffic selector mismatch", IKD_SEV_ERROR, IKD_SEV_NOTE, TRUE },
    { IKD_CAUSE_TS_NARROWED, "ts-narrowed", "ts_narrowed",
      "Traffic selectors narrowed", IKD_SEV_WARN, IKD_SEV_NOTE, FALSE },
    { IKD_CAUSE_AUTH_FAILED, "auth-failed", "auth_failed",
      "Authentication failed", IKD_SEV_ERROR, IKD_SEV_WARN, TRUE },
    { IKD_CAUSE_PSK_MISMATCH, "psk-mismatch", "psk_mismatch",
      "Pre-shared key mismatch", IKD_SEV_ERROR, IKD_SEV_WARN, TRUE },
    { IKD_CAUSE_ID_MISMATCH, "id-mismatch", "id_mismatch",
      "Identity mismatch", IKD_SEV_ERROR, IKD_SEV_WARN, TRUE },
    { IKD_CAUSE_CERT_EXPIRED, "cert-expired", "cert_expired",
      "Certificate expired", IKD_SEV_ERROR, IKD_SEV_WARN, TRUE },
    { IKD_CAUSE_CERT_NOT_YET_VALID, "cert-not-yet-valid", "cert_not_yet_valid",
      "Certificate not yet valid", IKD_SEV_ERROR, IKD_SEV_WARN, TRUE },
    { IKD_CAUSE_CERT_UNTRUSTED, "cert-untrusted", "cert_untrusted",
      "Certificate issuer not trusted", IKD_SEV_ERROR, IKD_SEV_WARN, TRUE },
    { IKD_CAUSE_NO_RESPONSE, "no-response", "no_response",
      "No response from peer", IKD_SEV_ERROR, IKD_SEV_WARN, TRUE },
    { IKD_CAUSE_IKE_VERSION_MISMATCH, "ike-version-mismatch", "ike_version_mismatch",
      "IKE version mismatch", IKD_SEV_ERROR, IKD_SEV_WARN, TRUE },
    { IKD_CAUSE_NAT_DETECTED, "nat-detected", "nat_detected",
      "NAT detected in the path", IKD_SEV_NOTE, IKD_SEV_NOTE, FALSE },
    { IKD_CAUSE_UDP_4500_BLOCKED, "udp-4500-blocked", "udp_4500_blocked",
      "UDP 4500 blocked", IKD_SEV_ERROR, IKD_SEV_WARN, TRUE },
    { IKD_CAUSE_ESP_NOT_ENCAPSULATED, "esp-not-encapsulated", "esp_not_encapsulated",
      "ESP not UDP-encapsulated behind NAT", IKD_SEV_ERROR, IKD_SEV_WARN, TRUE },
    { IKD_CAUSE_ESP_ONE_WAY, "esp-one-way", "esp_one_way",
      "ESP flows one way only", IKD_SEV_ERROR, IKD_SEV_WARN, TRUE },
    { IKD_CAUSE_IP_FRAGMENTATION, "ip-fragmentation", "ip_fragmentation",
      "IKE message lost to IP fragmentation", IKD_SEV_ERROR, IKD_SEV_WARN, TRUE },
    { IKD_CAUSE_WEAK_CRYPTO, "weak-crypto", "weak_crypto",
      "Weak cryptography", IKD_SEV_WARN, IKD_SEV_WARN, FALSE },
    { IKD_CAUSE_AGGRESSIVE_MODE_PSK, "aggressive-mode-psk", "aggressive_mode_psk",
      "Aggressive Mode with pre-shared key", IKD_SEV_WARN, IKD_SEV_WARN, FALSE },
    { IKD_CAUSE_COOKIE_CHALLENGE, "cookie-challenge", "cookie_challenge",
      "Anti-DoS cookie round trip", IKD_SEV_NOTE, IKD_SEV_NOTE, FALSE },
    { IKD_CAUSE_DPD_UNANSWERED, "dpd-unanswered", "dpd_unanswered",
      "Liveness check (DPD) unanswered", IKD_SEV_ERROR, IKD_SEV_WARN, FALSE },
    { IKD_CAUSE_SA_DELETED, "sa-deleted", "sa_deleted",
      "SA deleted", IKD_SEV_NOTE, IKD_SEV_CHAT, FALSE },
    { IKD_CAUSE_NOTIFY_ERROR, "notify-error", "notify_error",
      "Peer reported an error", IKD_SEV_ERROR, IKD_SEV_WARN, TRUE },
    { IKD_CAUSE_ENCRYPTED_OUTCOME, "encrypted-outcome", "encrypted_outcome",
      "Outcome hidden by encryption", IKD_SEV_NOTE, IKD_SEV_NOTE, FALSE },
    { IKD_CAUSE_MALFORMED, "malformed", "malformed",
      "Malformed or truncated IKE message", IKD_SEV_NOTE, IKD_SEV_NOTE, FALSE },
};

const ikd_cause_info *
ikd_cause_get(ikd_cause cause)
{
    if ((unsigned)cause >= IKD_CAUSE_COUNT)
        return NULL;
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
