/* names.c
 * Number <-> name tables.  Keywords follow strongSwan's proposal keywords
 * (swanctl.conf "proposals", ipsec.conf "ike="/"esp="), which libreswan
 * accepts in nearly the same form; log names follow strongSwan's
 * "received proposals:" log lines, which analysts paste into tickets.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <stdio.h>
#include <string.h>

#include "names.h"

typedef struct {
    guint16 id;
    const char *keyword;            /* without key length for keyed ciphers */
    const char *logname;
    gboolean keyed;                 /* keyword takes the key length: aes + 256 */
} alg_name;

/* IKEv2 Transform Type 1 (IANA) */
static const alg_name encr_names[] = {
    { 1,  "des64",     "DES_IV64",     FALSE },
    { 2,  "des",       "DES_CBC",      FALSE },
    { 3,  "3des",      "3DES_CBC",     FALSE },
    { 4,  "rc5",       "RC5_CBC",      FALSE },
    { 5,  "idea",      "IDEA_CBC",     FALSE },
    { 6,  "cast",      "CAST_CBC",     TRUE  },
    { 7,  "blowfish",  "BLOWFISH_CBC", TRUE  },
    { 8,  "3idea",     "3IDEA",        FALSE },
    { 9,  "des32",     "DES_IV32",     FALSE },
    { 11, "null",      "NULL",         FALSE },
    { 12, "aes",       "AES_CBC",      TRUE  },
    { 13, "aes",       "AES_CTR",      TRUE  },   /* + "ctr" suffix */
    { 14, "aes",       "AES_CCM_8",    TRUE  },
    { 15, "aes",       "AES_CCM_12",   TRUE  },
    { 16, "aes",       "AES_CCM_16",   TRUE  },
    { 18, "aes",       "AES_GCM_8",    TRUE  },
    { 19, "aes",       "AES_GCM_12",   TRUE  },
    { 20, "aes",       "AES_GCM_16",   TRUE  },
    { 21, "aes",       "NULL_AES_GMAC", TRUE },
    { 23, "camellia",  "CAMELLIA_CBC", TRUE  },
    { 24, "camellia",  "CAMELLIA_CTR", TRUE  },
    { 25, "camellia",  "CAMELLIA_CCM_8", TRUE },
    { 26, "camellia",  "CAMELLIA_CCM_12", TRUE },
    { 27, "camellia",  "CAMELLIA_CCM_16", TRUE },
    { 28, "chacha20poly1305", "CHACHA20_POLY1305", FALSE },
};

/* Keyword suffixes after "aes<len>" / "camellia<len>" by mode. */
static const char *
encr_mode_suffix(guint16 id)
{
    switch (id) {
    case 13: case 24: return "ctr";
    case 14: case 25: return "ccm8";
    case 15: case 26: return "ccm12";
    case 16: case 27: return "ccm16";
    case 18: return "gcm8";
    case 19: return "gcm12";
    case 20: return "gcm16";
    case 21: return "gmac";
    default: return "";
    }
}

/* Transform Type 2 */
static const alg_name prf_names[] = {
    { 1, "prfmd5",    "PRF_HMAC_MD5",      FALSE },
    { 2, "prfsha1",   "PRF_HMAC_SHA1",     FALSE },
    { 3, "prftiger",  "PRF_HMAC_TIGER",    FALSE },
    { 4, "prfaesxcbc", "PRF_AES128_XCBC",  FALSE },
    { 5, "prfsha256", "PRF_HMAC_SHA2_256", FALSE },
    { 6, "prfsha384", "PRF_HMAC_SHA2_384", FALSE },
    { 7, "prfsha512", "PRF_HMAC_SHA2_512", FALSE },
    { 8, "prfaescmac", "PRF_AES128_CMAC",  FALSE },
};

/* Transform Type 3 */
static const alg_name integ_names[] = {
    { 1,  "md5",      "HMAC_MD5_96",       FALSE },
    { 2,  "sha1",     "HMAC_SHA1_96",      FALSE },
    { 3,  "desmac",   "DES_MAC",           FALSE },
    { 4,  "kpdkmd5",  "KPDK_MD5",          FALSE },
    { 5,  "aesxcbc",  "AES_XCBC_96",       FALSE },
    { 6,  "md5_128",  "HMAC_MD5_128",      FALSE },
    { 7,  "sha1_160", "HMAC_SHA1_160",     FALSE },
    { 8,  "aescmac",  "AES_CMAC_96",       FALSE },
    { 9,  "aes128gmac", "AES_128_GMAC",    FALSE },
    { 10, "aes192gmac", "AES_192_GMAC",    FALSE },
    { 11, "aes256gmac", "AES_256_GMAC",    FALSE },
    { 12, "sha256",   "HMAC_SHA2_256_128", FALSE },
    { 13, "sha384",   "HMAC_SHA2_384_192", FALSE },
    { 14, "sha512",   "HMAC_SHA2_512_256", FALSE },
};

/* Transform Type 4 */
static const alg_name dh_names[] = {
    { 1,  "modp768",      "MODP_768",      FALSE },
    { 2,  "modp1024",     "MODP_1024",     FALSE },
    { 5,  "modp1536",     "MODP_1536",     FALSE },
    { 14, "modp2048",     "MODP_2048",     FALSE },
    { 15, "modp3072",     "MODP_3072",     FALSE },
    { 16, "modp4096",     "MODP_4096",     FALSE },
    { 17, "modp6144",     "MODP_6144",     FALSE },
    { 18, "modp8192",     "MODP_8192",     FALSE },
    { 19, "ecp256",       "ECP_256",       FALSE },
    { 20, "ecp384",       "ECP_384",       FALSE },
    { 21, "ecp521",       "ECP_521",       FALSE },
    { 22, "modp1024s160", "MODP_1024_160", FALSE },
    { 23, "modp2048s224", "MODP_2048_224", FALSE },
    { 24, "modp2048s256", "MODP_2048_256", FALSE },
    { 25, "ecp192",       "ECP_192",       FALSE },
    { 26, "ecp224",       "ECP_224",       FALSE },
    { 27, "ecp224bp",     "ECP_224_BP",    FALSE },
    { 28, "ecp256bp",     "ECP_256_BP",    FALSE },
    { 29, "ecp384bp",     "ECP_384_BP",    FALSE },
    { 30, "ecp512bp",     "ECP_512_BP",    FALSE },
    { 31, "curve25519",   "CURVE_25519",   FALSE },
    { 32, "curve448",     "CURVE_448",     FALSE },
};

/* Transform Type 5 */
static const alg_name esn_names[] = {
    { 0, "noesn", "NO_EXT_SEQ", FALSE },
    { 1, "esn",   "EXT_SEQ",    FALSE },
};

static const alg_name *
find_alg(guint8 tf_type, guint16 id)
{
    const alg_name *table;
    gsize n;

    switch (tf_type) {
    case IKD_TF_ENCR:  table = encr_names;  n = G_N_ELEMENTS(encr_names);  break;
    case IKD_TF_PRF:   table = prf_names;   n = G_N_ELEMENTS(prf_names);   break;
    case IKD_TF_INTEG: table = integ_names; n = G_N_ELEMENTS(integ_names); break;
    case IKD_TF_DH:    table = dh_names;    n = G_N_ELEMENTS(dh_names);    break;
    case IKD_TF_ESN:   table = esn_names;   n = G_N_ELEMENTS(esn_names);   break;
    default: return NULL;
    }
    for (gsize i = 0; i < n; i++) {
        if (table[i].id == id)
            return &table[i];
    }
    return NULL;
}

static const char *tf_type_short[] = { "?", "ENCR", "PRF", "INTEG", "DH", "ESN" };

const char *
ikd_keyword(guint8 tf_type, guint16 id, guint16 key_len, char *buf, gsize len)
{
    const alg_name *a = find_alg(tf_type, id);

    if (!a) {
        snprintf(buf, len, "%s%u", tf_type <= IKD_TF_ESN ? tf_type_short[tf_type] : "T", id);
        return buf;
    }
    if (tf_type == IKD_TF_ENCR && a->keyed) {
        /* strongSwan: "aes" alone means aes128; write the length always. */
        guint16 bits = key_len ? key_len : 128;
        snprintf(buf, len, "%s%u%s", a->keyword, bits, encr_mode_suffix(id));
        return buf;
    }
    snprintf(buf, len, "%s", a->keyword);
    return buf;
}

const char *
ikd_logname(guint8 tf_type, guint16 id, guint16 key_len, char *buf, gsize len)
{
    const alg_name *a = find_alg(tf_type, id);

    if (!a) {
        snprintf(buf, len, "%s_%u", tf_type <= IKD_TF_ESN ? tf_type_short[tf_type] : "T", id);
        return buf;
    }
    if (tf_type == IKD_TF_ENCR && a->keyed && key_len)
        snprintf(buf, len, "%s_%u", a->logname, key_len);
    else
        snprintf(buf, len, "%s", a->logname);
    return buf;
}

const char *
ikd_group_keyword(guint16 group)
{
    const alg_name *a = find_alg(IKD_TF_DH, group);
    return a ? a->keyword : NULL;
}

const char *
ikd_auth_method_name(guint8 version, guint16 method)
{
    if (version == 1) {
        switch (method) {
        case 1: return "pre-shared key";
        case 2: return "DSS signature";
        case 3: return "RSA signature";
        case 4: return "RSA encryption";
        case 5: return "revised RSA encryption";
        case 9: case 10: case 11: return "ECDSA signature";
        case 64221: case 64222: return "hybrid RSA";
        case 65001: case 65002: return "XAUTH with pre-shared key";
        case 65005: case 65006: return "XAUTH with RSA signature";
        default: return "unknown method";
        }
    }
    switch (method) {
    case 1: return "RSA signature";
    case 2: return "pre-shared key";
    case 3: return "DSS signature";
    case 9: case 10: case 11: return "ECDSA signature";
    case 12: return "generic secure password";
    case 13: return "NULL authentication";
    case 14: return "digital signature";
    default: return "unknown method";
    }
}

const char *
ikd_exchange_name(guint8 version, guint8 exch_type)
{
    if (version == 1) {
        switch (exch_type) {
        case IKD_X1_BASE: return "Base";
        case IKD_X1_MAIN: return "Main Mode";
        case IKD_X1_AUTH_ONLY: return "Authentication Only";
        case IKD_X1_AGGRESSIVE: return "Aggressive Mode";
        case IKD_X1_INFORMATIONAL: return "Informational";
        case IKD_X1_TRANSACTION: return "Transaction (Mode Config)";
        case IKD_X1_QUICK: return "Quick Mode";
        case IKD_X1_NEW_GROUP: return "New Group Mode";
        default: return "IKEv1 exchange";
        }
    }
    switch (exch_type) {
    case IKD_X2_IKE_SA_INIT: return "IKE_SA_INIT";
    case IKD_X2_IKE_AUTH: return "IKE_AUTH";
    case IKD_X2_CREATE_CHILD_SA: return "CREATE_CHILD_SA";
    case IKD_X2_INFORMATIONAL: return "INFORMATIONAL";
    case IKD_X2_IKE_SESSION_RESUME: return "IKE_SESSION_RESUME";
    case IKD_X2_IKE_INTERMEDIATE: return "IKE_INTERMEDIATE";
    default: return "IKEv2 exchange";
    }
}

static const struct { guint16 type; const char *name; } notify_names[] = {
    { 1, "INVALID_PAYLOAD_TYPE" }, { 2, "DOI_NOT_SUPPORTED" },
    { 3, "SITUATION_NOT_SUPPORTED" }, { 4, "INVALID_IKE_SPI" },
    { 5, "INVALID_MAJOR_VERSION" }, { 6, "INVALID_MINOR_VERSION" },
    { 7, "INVALID_EXCHANGE_TYPE" }, { 8, "INVALID_FLAGS" },
    { 9, "INVALID_MESSAGE_ID" }, { 10, "INVALID_PROTOCOL_ID" },
    { 11, "INVALID_SPI" }, { 12, "INVALID_TRANSFORM_ID" },
    { 13, "ATTRIBUTES_NOT_SUPPORTED" }, { 14, "NO_PROPOSAL_CHOSEN" },
    { 15, "BAD_PROPOSAL_SYNTAX" }, { 16, "PAYLOAD_MALFORMED" },
    { 17, "INVALID_KE_PAYLOAD" }, { 18, "INVALID_ID_INFORMATION" },
    { 19, "INVALID_CERT_ENCODING" }, { 20, "INVALID_CERTIFICATE" },
    { 21, "CERT_TYPE_UNSUPPORTED" }, { 22, "INVALID_CERT_AUTHORITY" },
    { 23, "INVALID_HASH_INFORMATION" }, { 24, "AUTHENTICATION_FAILED" },
    { 25, "INVALID_SIGNATURE" }, { 26, "ADDRESS_NOTIFICATION" },
    { 27, "NOTIFY_SA_LIFETIME" }, { 28, "CERTIFICATE_UNAVAILABLE" },
    { 29, "UNSUPPORTED_EXCHANGE_TYPE" }, { 30, "UNEQUAL_PAYLOAD_LENGTHS" },
    { 34, "SINGLE_PAIR_REQUIRED" }, { 35, "NO_ADDITIONAL_SAS" },
    { 36, "INTERNAL_ADDRESS_FAILURE" }, { 37, "FAILED_CP_REQUIRED" },
    { 38, "TS_UNACCEPTABLE" }, { 39, "INVALID_SELECTORS" },
    { 43, "TEMPORARY_FAILURE" }, { 44, "CHILD_SA_NOT_FOUND" },
    { 16384, "INITIAL_CONTACT" }, { 16388, "NAT_DETECTION_SOURCE_IP" },
    { 16389, "NAT_DETECTION_DESTINATION_IP" }, { 16390, "COOKIE" },
    { 16391, "USE_TRANSPORT_MODE" }, { 16393, "REKEY_SA" },
    { 16430, "IKEV2_FRAGMENTATION_SUPPORTED" },
    { 24576, "RESPONDER-LIFETIME" }, { 24578, "INITIAL-CONTACT" },
    { 36136, "R-U-THERE" }, { 36137, "R-U-THERE-ACK" },
};

const char *
ikd_notify_name(guint16 type, char *buf, gsize len)
{
    for (gsize i = 0; i < G_N_ELEMENTS(notify_names); i++) {
        if (notify_names[i].type == type)
            return notify_names[i].name;
    }
    snprintf(buf, len, "notify %u", type);
    return buf;
}

gboolean
ikd_notify_is_error(guint16 type)
{
    return type > 0 && type < 16384;
}

/* RFC 2409 appendix A, mapped onto the IKEv2 registries. */
guint16
ikd_v1_encr_to_v2(guint16 v)
{
    switch (v) {
    case 1: return 2;   /* DES-CBC */
    case 2: return 5;   /* IDEA */
    case 3: return 7;   /* Blowfish */
    case 4: return 4;   /* RC5 */
    case 5: return 3;   /* 3DES */
    case 6: return 6;   /* CAST */
    case 7: return 12;  /* AES-CBC */
    case 8: return 23;  /* Camellia-CBC */
    default: return 0;
    }
}

guint16
ikd_v1_hash_to_prf(guint16 v)
{
    switch (v) {
    case 1: return 1; case 2: return 2; case 3: return 3;
    case 4: return 5; case 5: return 6; case 6: return 7;
    default: return 0;
    }
}

guint16
ikd_v1_hash_to_integ(guint16 v)
{
    switch (v) {
    case 1: return 1; case 2: return 2;
    case 4: return 12; case 5: return 13; case 6: return 14;
    default: return 0;
    }
}

/* RFC 2407 4.4.4 ESP transform IDs equal the IKEv2 ENCR numbers up to 21;
 * Camellia is 22 in IKEv1 (RFC 4312) and 23 in IKEv2. */
guint16
ikd_v1_esp_to_v2(guint8 v)
{
    if (v == 22)
        return 23;
    if (v >= 1 && v <= 21 && v != 10 && v != 17)
        return v;
    return 0;
}

/* RFC 2407 4.5 "Authentication Algorithm" (plus RFC 4868, RFC 3566). */
guint16
ikd_v1_auth_alg_to_integ(guint16 v)
{
    switch (v) {
    case 1: return 1;   /* HMAC-MD5 */
    case 2: return 2;   /* HMAC-SHA */
    case 3: return 3;   /* DES-MAC */
    case 4: return 4;   /* KPDK */
    case 5: return 12;  /* HMAC-SHA2-256 */
    case 6: return 13;
    case 7: return 14;
    case 9: return 5;   /* AES-XCBC-MAC */
    default: return 0;
    }
}

static gboolean
encr_is_aead(guint16 id)
{
    return (id >= 14 && id <= 16) || (id >= 18 && id <= 20) ||
           (id >= 25 && id <= 28);
}

static void
append_kw(GString *s, const char *kw)
{
    if (s->len)
        g_string_append_c(s, '-');
    g_string_append(s, kw);
}

char *
ikd_proposal_to_config(const ikd_proposal *p, const ikd_transform *tfs)
{
    const ikd_transform *tf = tfs + p->first_tf;
    GString *s = g_string_new(NULL);
    char buf[32];
    guint16 integ_prf = 0;          /* PRF implied by the integrity keyword */
    gboolean aead = FALSE;

    for (guint i = 0; i < p->n_tf; i++) {
        const ikd_transform *t = &tf[i];
        if (t->type == IKD_TF_ENCR) {
            append_kw(s, ikd_keyword(t->type, t->id, t->key_len, buf, sizeof buf));
            aead = aead || encr_is_aead(t->id);
        }
    }
    for (guint i = 0; i < p->n_tf; i++) {
        const ikd_transform *t = &tf[i];
        if (t->type == IKD_TF_INTEG) {
            append_kw(s, ikd_keyword(t->type, t->id, t->key_len, buf, sizeof buf));
            if (!integ_prf) {
                switch (t->id) {
                case 1: integ_prf = 1; break;
                case 2: integ_prf = 2; break;
                case 5: integ_prf = 4; break;
                case 8: integ_prf = 8; break;
                case 12: integ_prf = 5; break;
                case 13: integ_prf = 6; break;
                case 14: integ_prf = 7; break;
                default: break;
                }
            }
        }
    }
    /* strongSwan derives the PRF from the integrity keyword ("sha256" means
     * HMAC_SHA2_256_128 and PRF_HMAC_SHA2_256); write "prf..." only where
     * that would not give the PRF on the wire. */
    for (guint i = 0; i < p->n_tf; i++) {
        const ikd_transform *t = &tf[i];
        if (t->type == IKD_TF_PRF && (aead || t->id != integ_prf))
            append_kw(s, ikd_keyword(t->type, t->id, t->key_len, buf, sizeof buf));
    }
    for (guint i = 0; i < p->n_tf; i++) {
        const ikd_transform *t = &tf[i];
        if (t->type == IKD_TF_DH && t->id != 0)
            append_kw(s, ikd_keyword(t->type, t->id, t->key_len, buf, sizeof buf));
    }
    /* "noesn" is the default: write ESN only where it is asked for. */
    for (guint i = 0; i < p->n_tf; i++) {
        const ikd_transform *t = &tf[i];
        if (t->type == IKD_TF_ESN && t->id == 1)
            append_kw(s, "esn");
    }
    if (s->len == 0)
        g_string_append(s, "(empty)");
    return g_string_free(s, FALSE);
}

char *
ikd_proposal_to_log(const ikd_proposal *p, const ikd_transform *tfs)
{
    const ikd_transform *tf = tfs + p->first_tf;
    static const char *proto_names[] = { "?", "IKE", "AH", "ESP", "IPCOMP" };
    GString *s = g_string_new(p->protocol <= IKD_PROTO_IPCOMP ? proto_names[p->protocol] : "?");
    char buf[32];
    static const guint8 order[] = { IKD_TF_ENCR, IKD_TF_INTEG, IKD_TF_PRF, IKD_TF_DH, IKD_TF_ESN };

    g_string_append_c(s, ':');
    gboolean first = TRUE;
    for (gsize o = 0; o < G_N_ELEMENTS(order); o++) {
        for (guint i = 0; i < p->n_tf; i++) {
            const ikd_transform *t = &tf[i];
            if (t->type != order[o])
                continue;
            if (!first)
                g_string_append_c(s, '/');
            g_string_append(s, ikd_logname(t->type, t->id, t->key_len, buf, sizeof buf));
            first = FALSE;
        }
    }
    return g_string_free(s, FALSE);
}

char *
ikd_proposals_to_config(const ikd_proposal *p, guint n, const ikd_transform *tf)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < n; i++) {
        char *one = ikd_proposal_to_config(&p[i], tf);
        if (i)
            g_string_append(s, ", ");
        g_string_append(s, one);
        g_free(one);
    }
    return g_string_free(s, FALSE);
}

const char *
ikd_transform_weakness(guint8 proto, guint8 tf_type, guint16 id, guint16 key_len)
{
    (void)key_len;
    switch (tf_type) {
    case IKD_TF_ENCR:
        switch (id) {
        case 1: case 2: case 9: return "DES is MUST NOT (RFC 8247, RFC 8221)";
        case 3:
            return proto == IKD_PROTO_IKE ? "3DES has a 64-bit block (Sweet32); RFC 8247 keeps it only as MAY"
                                          : "3DES has a 64-bit block (Sweet32) and is SHOULD NOT (RFC 8221)";
        case 4: case 5: case 7: case 8: return "a legacy 64-bit block cipher, MUST NOT (RFC 8221)";
        case 6: return "CAST is not recommended (RFC 8247)";
        case 11:
            return proto == IKD_PROTO_ESP ? "NULL encryption gives no confidentiality" : NULL;
        default: return NULL;
        }
    case IKD_TF_PRF:
        switch (id) {
        case 1: return "PRF_HMAC_MD5 is MUST NOT (RFC 8247)";
        case 2: return "PRF_HMAC_SHA1 is being phased out (RFC 8247: MUST-)";
        case 3: return "PRF_HMAC_TIGER is MUST NOT (RFC 8247)";
        default: return NULL;
        }
    case IKD_TF_INTEG:
        switch (id) {
        case 1: case 6: return "HMAC-MD5 is MUST NOT (RFC 8247, RFC 8221)";
        case 2: case 7: return "HMAC-SHA1 is being phased out (RFC 8247, RFC 8221: MUST-, to be downgraded)";
        case 3: case 4: return "DES-MAC/KPDK-MD5 are MUST NOT (RFC 8247)";
        default: return NULL;
        }
    case IKD_TF_DH:
        switch (id) {
        case 1: return "MODP-768 (group 1) is MUST NOT (RFC 8247)";
        case 2: return "MODP-1024 (group 2) is SHOULD NOT (RFC 8247)";
        case 5: return "MODP-1536 (group 5) is SHOULD NOT (RFC 8247)";
        case 22: case 23: case 24:
            return "MODP groups 22-24 with small subgroups are SHOULD NOT (RFC 8247)";
        default: return NULL;
        }
    default:
        return NULL;
    }
}
