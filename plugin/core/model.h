/* model.h
 * What ikediag knows about one frame, in plain C.
 *
 * The epan glue (extract.c) fills an ikd_msg from the stock ISAKMP, IP, UDP,
 * ESP and ICMP dissectors' fields; the tracker and the rules read nothing
 * else.  Nothing here includes an epan header, so unit tests and fuzzers can
 * build ikd_msg values by hand.
 *
 * Algorithm numbers are kept in IKEv2 terms (RFC 7296 transform IDs, IANA
 * "Transform Type" registries) for both IKE versions: extract.c maps IKEv1
 * attribute values on the way in (names.c), so one comparison and one
 * notation serve both versions.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IKD_MODEL_H
#define IKD_MODEL_H

#include <glib.h>

/* Caps on what one message may carry into the model.  A real negotiation
 * stays far below them (strongSwan's default IKE offer is 1 proposal of
 * ~20 transforms); anything beyond is counted in ikd_msg.dropped and
 * ignored, so a hostile capture cannot grow state without bound. */
#define IKD_MAX_PROPOSALS   16
#define IKD_MAX_TRANSFORMS  96      /* all proposals of a message together */
#define IKD_MAX_NOTIFIES    24
#define IKD_MAX_TS          16
#define IKD_MAX_IDS          4
#define IKD_MAX_VIDS        12
#define IKD_MAX_NATD         6
#define IKD_MAX_CERTS        6
#define IKD_MAX_BLOB        64      /* notify data, NAT-D hash, VID kept */
#define IKD_MAX_ID_TEXT    128
#define IKD_MAX_DELETES      8
#define IKD_MAX_CERTREQ      8

/* Numbers of the wire that several files name. */
#define IKD_PORT_NAT_T         4500 /* IKE and ESP after NAT traversal (RFC 3948) */
#define IKD_IPPROTO_UDP        17
#define IKD_IPV4_HEADER_MIN    20
#define IKD_SHA1_LEN           20   /* IKEv2 NAT-D hashes, CERTREQ CA hashes (RFC 7296 2.23, 3.7) */
/* ICMP errors that quote the offending packet (RFC 792, RFC 4443) */
#define IKD_ICMP_DEST_UNREACH   3
#define IKD_ICMP_TIME_EXCEEDED  11
#define IKD_ICMP_PARAM_PROBLEM  12
#define IKD_ICMP6_DEST_UNREACH  1
#define IKD_ICMP6_PARAM_PROBLEM 4   /* 1..4: the ICMPv6 error messages */

typedef struct ikd_addr {
    guint8 family;                  /* 0 (none), 4 or 6 */
    guint8 bytes[16];
} ikd_addr;

/* IKEv2 transform types (RFC 7296 3.3.2). */
typedef enum {
    IKD_TF_ENCR  = 1,
    IKD_TF_PRF   = 2,
    IKD_TF_INTEG = 3,
    IKD_TF_DH    = 4,
    IKD_TF_ESN   = 5
} ikd_tf_type;

typedef struct ikd_transform {
    guint8  type;                   /* ikd_tf_type */
    guint16 id;                     /* IKEv2 transform ID */
    guint16 key_len;                /* bits; 0 when not given */
} ikd_transform;

/* Protocol IDs of SA proposals (IKEv1 DOI and IKEv2 agree on 1..3). */
typedef enum {
    IKD_PROTO_NONE  = 0,
    IKD_PROTO_IKE   = 1,
    IKD_PROTO_AH    = 2,
    IKD_PROTO_ESP   = 3,
    IKD_PROTO_IPCOMP = 4
} ikd_proto;

/* One alternative the sender offers (or, in a response, the one chosen).
 * IKEv2: one proposal substructure.  IKEv1: one transform of a proposal,
 * since each IKEv1 transform is a complete alternative. */
typedef struct ikd_proposal {
    guint8  number;
    guint8  protocol;               /* ikd_proto */
    guint8  v1_transform_id;        /* IKEv1 only: KEY_IKE(1) or ESP_* */
    guint8  first_tf, n_tf;         /* its transforms: tf[first_tf ..] of the
                                       message (or digest) that holds it */
    guint16 auth_method;            /* IKEv1 phase 1 attribute; 0 = none */
    guint16 encap_mode;             /* IKEv1 IPsec attribute; 0 = none */
    guint32 spi;                    /* ESP/AH SPI, 0 for IKE */
    guint32 lifetime;               /* seconds, 0 = not given */
} ikd_proposal;

/* The data of a notify or blob is its first MIN(length, IKD_MAX_BLOB)
 * bytes, read no further: in an ikd_msg it points into the message's own
 * storage (ikd_msg_init()), in a kept digest at exactly those bytes (most
 * are far shorter than IKD_MAX_BLOB, and a capture keeps ~1 per message). */
typedef struct ikd_notify {
    guint8 *data;
    guint16 type;
    guint8  protocol;
    guint8  spi_len;
    guint8  spi[16];
    guint16 data_len;               /* length on the wire */
} ikd_notify;

/* A traffic selector (IKEv2 TSi/TSr) or an IKEv1 Quick Mode client ID
 * (IDci/IDcr), both reduced to an address range, a protocol and ports. */
typedef struct ikd_ts {
    guint8   initiator_side;        /* TSi / IDci */
    guint8   ip_proto;              /* 0 = any */
    guint16  start_port, end_port;
    ikd_addr start, end;
} ikd_ts;

typedef struct ikd_ident {
    guint8  initiator_side;         /* IDi (or IKEv1 phase 1 ID of sender) */
    guint8  type;                   /* ID type (RFC 7296 3.5 / RFC 2407 4.6.2.1) */
    char    text[IKD_MAX_ID_TEXT];
} ikd_ident;

typedef struct ikd_blob {
    guint8 *data;                   /* len bytes */
    guint16 len;                    /* at most IKD_MAX_BLOB */
} ikd_blob;

typedef struct ikd_cert {
    guint8  encoding;
    gint64  not_before, not_after;  /* Unix seconds; 0 = unknown */
    char    subject[IKD_MAX_ID_TEXT];
    char    issuer[IKD_MAX_ID_TEXT];
    /* What the certificate rules (rules_auth.c) compare, all read from
     * Wireshark's own X.509 dissection.  DNs are written as strongSwan logs
     * them ("C=ZZ, O=Lab, CN=host"), in wire order. */
    guint8  has_spki;
    guint8  spki_sha1[IKD_SHA1_LEN];          /* SHA-1 of the DER SubjectPublicKeyInfo: what an
                                       IKEv2 CERTREQ names a CA by (RFC 7296 3.7) */
    guint8  aki_len;
    guint8  aki[20];                /* authorityKeyIdentifier keyIdentifier */
    char    alt_names[IKD_MAX_ID_TEXT]; /* subjectAltName dNSName, rfc822Name, iPAddress;
                                           ", " between them */
} ikd_cert;

/* One CA a CERTREQ asks for: IKEv2 by the SHA-1 of its public key info,
 * IKEv1 by its DN (an empty CERTREQ means "any CA"). */
typedef struct ikd_certreq {
    guint8  cert_type;
    guint8  hash_len;               /* 20 for an IKEv2 CA hash, 0 otherwise */
    guint8  hash[IKD_SHA1_LEN];
    char    dn[IKD_MAX_ID_TEXT];
} ikd_certreq;

typedef struct ikd_delete {
    guint8  protocol;
    guint8  spi_len;
    guint16 n_spi;
    guint8  first_spi[16];
} ikd_delete;

typedef enum {
    IKD_MSG_NONE = 0,
    IKD_MSG_IKE,                    /* an IKE message (UDP 500/4500) */
    IKD_MSG_ESP,                    /* ESP, raw or UDP-encapsulated */
    IKD_MSG_ICMP_ERROR,             /* ICMP error quoting an IKE message */
    IKD_MSG_IP_FRAGMENT             /* an IP fragment of a UDP datagram that was not
                                       reassembled in this frame (rules_nat.c: IKE
                                       messages lost to fragmentation) */
} ikd_msg_kind;

/* Exchange types (IKEv1 RFC 2408/2409, IKEv2 RFC 7296). */
enum {
    IKD_X1_BASE = 1, IKD_X1_MAIN = 2, IKD_X1_AUTH_ONLY = 3, IKD_X1_AGGRESSIVE = 4,
    IKD_X1_INFORMATIONAL = 5, IKD_X1_TRANSACTION = 6, IKD_X1_QUICK = 32,
    IKD_X1_NEW_GROUP = 33,
    IKD_X2_IKE_SA_INIT = 34, IKD_X2_IKE_AUTH = 35, IKD_X2_CREATE_CHILD_SA = 36,
    IKD_X2_INFORMATIONAL = 37, IKD_X2_IKE_SESSION_RESUME = 38,
    IKD_X2_IKE_INTERMEDIATE = 43
};

/* IKEv2 header flags (RFC 7296 3.1) and IKEv1 flags (RFC 2408 3.1). */
#define IKD_FLAG_V1_E 0x01
#define IKD_FLAG_V1_C 0x02
#define IKD_FLAG_V1_A 0x04
#define IKD_FLAG_V2_I 0x08
#define IKD_FLAG_V2_V 0x10
#define IKD_FLAG_V2_R 0x20

/* What a message says that the rules compare later.  The same fields are
 * the head of an ikd_msg (below) and the digest the tracker keeps of each
 * message in its exchange (tracker.h), so a rule reads one shape for the
 * message at hand and for earlier ones.  The arrays lie in the ikd_msg's
 * own storage, or in a kept digest in the block after it; the off_* fields
 * say where, from the start of either (IKD_PROP() and the others, below).
 * A copy of a digest by value therefore loses its arrays: make_digest()
 * is the one place that copies one, and sets them anew. */
#define IKD_DIGEST_FIELDS \
    gint64   ts_sec;                /* capture time */ \
    gint32   ts_nsec; \
    guint32  frame;                 /* after ts_nsec: no padding (a digest is 72 B) */ \
    guint8   version;               /* 1 or 2 (major version) */ \
    guint8   exch_type; \
    guint8   flags; \
    /* encryption: IKEv1 E flag or IKEv2 SK/SKF payload present */ \
    guint8   encrypted; \
    guint8   decrypted;             /* Wireshark decrypted it (keys given) */ \
    guint8   has_sa, has_ke, has_auth, has_cert, has_certreq, has_hash, has_eap; \
    guint8   auth_method;           /* IKEv2 AUTH payload method */ \
    guint8   eap_code, eap_type;    /* the EAP packet in an EAP payload (RFC 3748: \
                                       code 3 Success, 4 Failure; type = method) */ \
    guint16  ke_group;              /* IKEv2 KE payload's group; 0 if none */ \
    guint16  ke_len;                /* KE data length (IKEv1 has no group field) */ \
    guint32  content_len;           /* bytes of the message captured */ \
    /* IKEv1 Transaction (XAUTH, Mode Config) attributes payload */ \
    guint8   cfg_type;              /* 1 REQUEST, 2 REPLY, 3 SET, 4 ACK; 0 none */ \
    guint8   cfg_xauth;             /* an XAUTH attribute (16520..16531) is in it */ \
    guint8   cfg_addr;              /* an INTERNAL_IP4/IP6_ADDRESS with a value */ \
    guint8   xauth_status;          /* XAUTH_STATUS: 0 absent, 1 FAIL, 2 OK */ \
    guint8   n_prop, n_tf, n_notify, n_ts, n_id, n_natd, n_vid, n_cert, n_certreq; \
    /* Offsets, not pointers: 18 bytes for the nine in place of 72, in \
     * every message the tracker keeps (docs/performance.md). */ \
    guint16  off_prop, off_tf, off_notify, off_ts, off_id, \
             off_natd,              /* IKEv1 NAT-D payloads */ \
             off_vid, off_cert, \
             off_certreq;           /* CAs named by CERTREQ payloads */

typedef struct ikd_digest {
    IKD_DIGEST_FIELDS
} ikd_digest;

/* The arrays of a digest or of an ikd_msg: d->n_prop proposals at
 * IKD_PROP(d), and so on. */
#define IKD_ARRAY_AT(d, off, type) ((type *)(void *)((guint8 *)(d) + (d)->off))
#define IKD_PROP(d)    IKD_ARRAY_AT(d, off_prop, ikd_proposal)
#define IKD_TF(d)      IKD_ARRAY_AT(d, off_tf, ikd_transform)
#define IKD_NOTIFY(d)  IKD_ARRAY_AT(d, off_notify, ikd_notify)
#define IKD_TS(d)      IKD_ARRAY_AT(d, off_ts, ikd_ts)
#define IKD_ID(d)      IKD_ARRAY_AT(d, off_id, ikd_ident)
#define IKD_NATD(d)    IKD_ARRAY_AT(d, off_natd, ikd_blob)
#define IKD_VID(d)     IKD_ARRAY_AT(d, off_vid, ikd_blob)
#define IKD_CERT(d)    IKD_ARRAY_AT(d, off_cert, ikd_cert)
#define IKD_CERTREQ(d) IKD_ARRAY_AT(d, off_certreq, ikd_certreq)

typedef struct ikd_msg {
    /* The digest's fields, readable as m->field and as m->digest. */
    union {
        ikd_digest digest;
        struct { IKD_DIGEST_FIELDS };
    };
    ikd_msg_kind kind;

    ikd_addr src, dst;
    guint16  sport, dport;
    guint8   udp_encap;             /* IKE after the non-ESP marker / ESP in UDP */
    guint8   ip_fragmented;         /* reassembled from IP fragments */
    guint8   malformed;             /* a dissector reported malformed/truncated */

    /* IKE header */
    guint8   minor_version;
    guint8   ispi[8], rspi[8];
    guint32  msgid;
    guint32  length;                /* IKE header length field */
    guint64  content_hash;          /* ikd_hash_bytes() of the IKE message bytes seen */
    guint32  wire_len;              /* bytes sent (more than content_len when the
                                       capture cut the message) */
    guint16  frag_number, frag_total;   /* IKEv2 SKF (RFC 7383); 0 if none */

    /* payloads the digest does not keep */
    guint8   has_nonce, has_sig, has_delete, has_cp;
    guint8   n_delete;
    guint32  dropped;               /* items beyond the caps above */

    /* ESP */
    guint32  esp_spi;
    guint32  esp_seq;

    /* ICMP error: type/code, and the quoted IKE message's identity (the
     * header fields above describe the quoted message, src/dst the outer
     * packet). */
    guint8   icmp_v6;
    guint8   icmp_type, icmp_code;
    ikd_addr quoted_src, quoted_dst;
    guint16  quoted_sport, quoted_dport;

    /* Storage behind the digest's arrays, and the Deletes.  Last, and not
     * cleared for each frame: ikd_msg_reset() clears only the entries the
     * previous message used (the whole is about 10 KB). */
    ikd_delete   del[IKD_MAX_DELETES];
    ikd_proposal prop_store[IKD_MAX_PROPOSALS];
    ikd_transform tf_store[IKD_MAX_TRANSFORMS];
    ikd_notify   notify_store[IKD_MAX_NOTIFIES];
    ikd_ts       ts_store[IKD_MAX_TS];
    ikd_ident    id_store[IKD_MAX_IDS];
    ikd_blob     vid_store[IKD_MAX_VIDS];
    ikd_blob     natd_store[IKD_MAX_NATD];
    ikd_cert     cert_store[IKD_MAX_CERTS];
    ikd_certreq  certreq_store[IKD_MAX_CERTREQ];
    guint8       notify_bytes[IKD_MAX_NOTIFIES][IKD_MAX_BLOB];
    guint8       vid_bytes[IKD_MAX_VIDS][IKD_MAX_BLOB];
    guint8       natd_bytes[IKD_MAX_NATD][IKD_MAX_BLOB];
} ikd_msg;

/* The off_* fields of an ikd_msg count from its start, which is its digest,
 * and are 16 bits; a kept digest's arrays are never larger than the
 * message's storage for them. */
G_STATIC_ASSERT(G_STRUCT_OFFSET(ikd_msg, digest) == 0);
G_STATIC_ASSERT(sizeof(ikd_msg) <= G_MAXUINT16);

/* Helpers shared by the core and the glue. */
/* A new, empty message (clears all of it). */
void     ikd_msg_init(ikd_msg *m);
/* Empties a message that was filled before, clearing only what it used:
 * every array entry past the counts stays zero, as appenders expect. */
void     ikd_msg_reset(ikd_msg *m);
/* The first notify of a type in a message or digest, or NULL. */
const ikd_notify *ikd_digest_notify(const ikd_digest *d, guint16 type);
/* The first error notify (type < 16384), or NULL. */
const ikd_notify *ikd_digest_error(const ikd_digest *d);
gboolean ikd_addr_equal(const ikd_addr *a, const ikd_addr *b);
/* v in decimal into out (NUL-terminated; room for 11 bytes, or for the
 * digits of v and the NUL); returns the number of digits.  Sentences are
 * assembled with it, not with printf. */
gsize ikd_u32_to_dec(guint32 v, char *out);
/* Writes a printable address into buf (at least 46 bytes). */
const char *ikd_addr_to_str(const ikd_addr *a, char *buf, gsize len);
/* A 64-bit hash of bytes for equality tests (retransmissions, table keys);
 * not cryptographic. */
guint64  ikd_hash_bytes(guint64 h, const guint8 *data, gsize len);
#define  IKD_HASH_SEED G_GUINT64_CONSTANT(0xcbf29ce484222325)

#endif /* IKD_MODEL_H */
