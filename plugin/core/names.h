/* names.h
 * Algorithm, group, notify and exchange names, the IKEv1 -> IKEv2 number
 * mapping, and proposals written the way admins and daemons write them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IKD_NAMES_H
#define IKD_NAMES_H

#include <glib.h>

#include "model.h"

/* Notify message types used by the rules (RFC 7296 3.10.1, RFC 2408 3.14.1). */
enum {
    IKD_N_INVALID_PAYLOAD_TYPE   = 1,
    IKD_N_DOI_NOT_SUPPORTED      = 2,
    IKD_N_SITUATION_NOT_SUPPORTED = 3,
    IKD_N_INVALID_COOKIE         = 4,   /* v1; INVALID_IKE_SPI in v2 */
    IKD_N_INVALID_MAJOR_VERSION  = 5,
    IKD_N_INVALID_MINOR_VERSION  = 6,
    IKD_N_INVALID_EXCHANGE_TYPE  = 7,
    IKD_N_INVALID_FLAGS          = 8,
    IKD_N_INVALID_MESSAGE_ID     = 9,
    IKD_N_INVALID_PROTOCOL_ID    = 10,
    IKD_N_INVALID_SPI            = 11,
    IKD_N_INVALID_TRANSFORM_ID   = 12,
    IKD_N_ATTRIBUTES_NOT_SUPPORTED = 13,
    IKD_N_NO_PROPOSAL_CHOSEN     = 14,
    IKD_N_BAD_PROPOSAL_SYNTAX    = 15,
    IKD_N_PAYLOAD_MALFORMED      = 16,
    IKD_N_INVALID_KEY_INFORMATION = 17,  /* v1; INVALID_KE_PAYLOAD in v2 */
    IKD_N_INVALID_ID_INFORMATION = 18,
    IKD_N_INVALID_CERT_ENCODING  = 19,
    IKD_N_INVALID_CERTIFICATE    = 20,
    IKD_N_CERT_TYPE_UNSUPPORTED  = 21,
    IKD_N_INVALID_CERT_AUTHORITY = 22,
    IKD_N_INVALID_HASH_INFORMATION = 23,
    IKD_N_AUTHENTICATION_FAILED  = 24,
    IKD_N_INVALID_SIGNATURE      = 25,
    IKD_N_ADDRESS_NOTIFICATION   = 26,
    IKD_N_NOTIFY_SA_LIFETIME     = 27,
    IKD_N_CERTIFICATE_UNAVAILABLE = 28,
    IKD_N_UNSUPPORTED_EXCHANGE_TYPE = 29,
    IKD_N_UNEQUAL_PAYLOAD_LENGTHS = 30,
    IKD_N_SINGLE_PAIR_REQUIRED   = 34,
    IKD_N_NO_ADDITIONAL_SAS      = 35,
    IKD_N_INTERNAL_ADDRESS_FAILURE = 36,
    IKD_N_FAILED_CP_REQUIRED     = 37,
    IKD_N_TS_UNACCEPTABLE        = 38,
    IKD_N_INVALID_SELECTORS      = 39,
    IKD_N_TEMPORARY_FAILURE      = 43,
    IKD_N_CHILD_SA_NOT_FOUND     = 44,
    IKD_N_INITIAL_CONTACT        = 16384,
    IKD_N_NAT_DETECTION_SOURCE_IP = 16388,
    IKD_N_NAT_DETECTION_DESTINATION_IP = 16389,
    IKD_N_COOKIE                 = 16390,
    IKD_N_USE_TRANSPORT_MODE     = 16391,
    IKD_N_REKEY_SA               = 16393,
    IKD_N_REDIRECT_SUPPORTED     = 16406,   /* RFC 5685 */
    IKD_N_REDIRECT               = 16407,
    IKD_N_REDIRECTED_FROM        = 16408,
    IKD_N_FRAGMENTATION_SUPPORTED = 16430,
    IKD_N_V1_RESPONDER_LIFETIME  = 24576,
    IKD_N_V1_INITIAL_CONTACT     = 24578,
    IKD_N_V1_R_U_THERE           = 36136,
    IKD_N_V1_R_U_THERE_ACK       = 36137
};
/* The IKEv2 names of two codes shared with IKEv1. */
#define IKD_N_INVALID_IKE_SPI      IKD_N_INVALID_COOKIE
#define IKD_N_INVALID_KE_PAYLOAD   IKD_N_INVALID_KEY_INFORMATION

/* "IKE_SA_INIT", "Main Mode", ... ; never NULL. */
const char *ikd_exchange_name(guint8 version, guint8 exch_type);
/* "NO_PROPOSAL_CHOSEN", ...; "notify 12345" for unknown (static buffer per
 * call site is not used: the result is either a literal or written to buf). */
const char *ikd_notify_name(guint16 type, char *buf, gsize len);
/* Error notifies are below 16384 (RFC 7296 3.10.1); IKEv1 uses 1..8191. */
gboolean    ikd_notify_is_error(guint16 type);

/* IKEv1 -> IKEv2 numbers.  Return 0 when there is no counterpart. */
guint16 ikd_v1_encr_to_v2(guint16 v1_ike_encr);       /* phase 1 attribute */
guint16 ikd_v1_hash_to_prf(guint16 v1_hash);
guint16 ikd_v1_hash_to_integ(guint16 v1_hash);
guint16 ikd_v1_esp_to_v2(guint8 v1_esp_transform_id); /* ESP_AES -> ENCR_AES_CBC */
guint16 ikd_v1_auth_alg_to_integ(guint16 v1_auth_alg);

/* Config keywords as strongSwan writes them ("aes256", "sha256",
 * "prfsha256", "modp2048", "esn"); NULL when none is known. */
const char *ikd_keyword(guint8 tf_type, guint16 id, guint16 key_len, char *buf, gsize len);
/* Names as strongSwan logs them ("AES_CBC_256", "HMAC_SHA2_256_128",
 * "PRF_HMAC_SHA2_256", "MODP_2048"). */
const char *ikd_logname(guint8 tf_type, guint16 id, guint16 key_len, char *buf, gsize len);
const char *ikd_group_keyword(guint16 group);   /* "modp2048", "ecp256", or NULL */
const char *ikd_auth_method_name(guint8 version, guint16 method);

/* tf is the transform array the proposal's first_tf indexes. */
/* Writes one proposal in config notation: "aes256-sha256-modp2048",
 * "aes128gcm16-prfsha256-ecp256", ESP "aes128-sha256-modp2048" (PFS) or
 * "aes128-sha256" (no PFS).  Returns a newly allocated string. */
char *ikd_proposal_to_config(const ikd_proposal *p, const ikd_transform *tf);
/* strongSwan's log notation: "IKE:AES_CBC_256/HMAC_SHA2_256_128/...". */
char *ikd_proposal_to_log(const ikd_proposal *p, const ikd_transform *tf);
/* All proposals joined with ", ". */
char *ikd_proposals_to_config(const ikd_proposal *p, guint n, const ikd_transform *tf);

/* RFC 8247 / RFC 8221 verdicts: NULL when acceptable, else the reason
 * ("3DES is SHOULD NOT (RFC 8221)"). */
const char *ikd_transform_weakness(guint8 proto, guint8 tf_type, guint16 id, guint16 key_len);

#endif /* IKD_NAMES_H */
