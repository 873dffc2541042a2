/* extract.c
 * Reads the fields the rules need from the stock dissectors' tree into an
 * ikd_msg.  Nothing here decodes IKE bytes: the ISAKMP dissector has done
 * that (and decrypted what the user's keys open); we only read its fields.
 *
 * Why a tree walk rather than one proto_get_finfo_ptr_array() per field:
 * the rules need the hierarchy (which transform belongs to which proposal,
 * which notify data to which notify).  When the tree is not visible (tshark
 * without -V), only wanted fields become real items and each attaches to
 * its nearest real ancestor, so the hierarchy of the tree is lost, but the
 * order of items is the order the dissector added them, which is wire
 * order, payload header first.  A depth-first walk therefore sees
 * "payload type 2, proposal number, protocol, transform type, id, ..." in
 * sequence, visible tree or not, clear or decrypted payloads alike.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include <epan/packet.h>
#include <epan/proto.h>
#include <epan/oids.h>
#include <epan/proto_data.h>
#include <wsutil/wslog.h>

#include "ws-compat.h"
#include "extract.h"
#include "core/names.h"

/* Grouped by payload family, in the order on_field() dispatches by. */
typedef enum {
    F_NONE = 0,
    F_ICMP_TYPE, F_ICMP_CODE, F_ICMP6_TYPE, F_ICMP6_CODE,
    F_ESP_SPI, F_ESP_SEQ,
    F_MALFORMED,
    F_ISAKMP, F_ISPI, F_RSPI, F_VERSION, F_EXCHTYPE, F_FLAGS, F_MSGID, F_LENGTH,
    F_TYPEPAYLOAD,
    F_PROP_NUMBER, F_PROP_PROTOID, F_SPI,
    F_TRANS_ID,                     /* IKEv1 transform id */
    F_IKE_ATTR_ENC, F_IKE_ATTR_HASH, F_IKE_ATTR_AUTH, F_IKE_ATTR_GROUP, F_IKE_ATTR_KEYLEN,
    F_IKE_ATTR_LIFE,
    F_IPSEC_ATTR_AUTH, F_IPSEC_ATTR_GROUP, F_IPSEC_ATTR_KEYLEN, F_IPSEC_ATTR_ENCAP,
    F_IPSEC_ATTR_LIFE,
    F_TF_TYPE, F_TF_ID,             /* IKEv2 transforms */
    F_IKE2_ATTR_KEYLEN,
    F_KE_GROUP, F_KE_DATA,
    F_NOTIFY_PROTOID, F_NOTIFY_MSGTYPE, F_NOTIFY_DATA,
    F_ID_TYPE, F_ID_PROTOID, F_ID_PORT, F_ID_DATA,
    F_TS_TYPE, F_TS_PROTOID, F_TS_START_PORT, F_TS_END_PORT,
    F_TS_START_V4, F_TS_END_V4, F_TS_START_V6, F_TS_END_V6,
    F_VID, F_NAT_HASH, F_AUTH_METHOD,
    F_DELETE_PROTOID, F_DELETE_SPI, F_SPINUM,
    F_ENC_DECRYPTED, F_FRAG_NUMBER, F_FRAG_TOTAL,
    /* certificates (CERT, CERTREQ) as the X.509 dissectors read them */
    F_CERT_ENCODING, F_CERTREQ_TYPE, F_CERTREQ_AUTHORITY,
    F_X509_CERT, F_X509_ISSUER, F_X509_SUBJECT, F_X509_NOTBEFORE, F_X509_NOTAFTER,
    F_X509_UTCTIME, F_X509_GENTIME, F_X509_AVA_TYPE, F_X509_AVA_STRING, F_X509_SPKI,
    F_X509_EXT_ID, F_X509_AKI, F_X509_SAN_NAME, F_X509_SAN_IP,
    F_EAP_CODE, F_EAP_TYPE,         /* the EAP packet inside an IKEv2 EAP payload */
    /* IKEv1 Transaction: XAUTH and Mode Config (rules_xauth.c) */
    F_CFG_TYPE, F_CFG_ATTR_TYPE, F_CFG_XAUTH_STATUS, F_CFG_ADDR,
    F_COUNT
} field_key;

/* The fields the rules need, and nothing more (docs/performance.md):
 * - tshark primes every wanted field before every packet, so each one costs
 *   a little on every packet of the capture;
 * - a wanted field is a real tree item wherever it occurs, so no field that
 *   every packet carries;
 * - wanting any ip.* field makes the IP dissector build its whole subtree
 *   for every packet (it checks proto_field_is_referenced(proto_ip)).
 * Hence no IP or UDP field: the outer addresses and ports, IP fragments
 * and reassembly come from the IP and UDP protocol items, which are real
 * anyway (read_outer_header()). */
static const struct { field_key key; const char *name; } wanted_fields[] = {
    { F_ICMP_TYPE, "icmp.type" }, { F_ICMP_CODE, "icmp.code" },
    { F_ICMP6_TYPE, "icmpv6.type" }, { F_ICMP6_CODE, "icmpv6.code" },
    { F_ESP_SPI, "esp.spi" }, { F_ESP_SEQ, "esp.sequence" },
    /* a malformed payload, or a frame cut short by the capture's snapshot
     * length: either way half a message, from which no rule may conclude */
    { F_MALFORMED, "_ws.malformed" }, { F_MALFORMED, "_ws.short" },
    { F_ISAKMP, "isakmp" },
    { F_ISPI, "isakmp.ispi" }, { F_RSPI, "isakmp.rspi" },
    { F_VERSION, "isakmp.version" }, { F_EXCHTYPE, "isakmp.exchangetype" },
    { F_FLAGS, "isakmp.flags" }, { F_MSGID, "isakmp.messageid" }, { F_LENGTH, "isakmp.length" },
    { F_TYPEPAYLOAD, "isakmp.typepayload" },
    { F_PROP_NUMBER, "isakmp.prop.number" }, { F_PROP_PROTOID, "isakmp.prop.protoid" },
    { F_SPI, "isakmp.spi" },
    { F_TRANS_ID, "isakmp.trans.id" },
    { F_IKE_ATTR_ENC, "isakmp.ike.attr.encryption_algorithm" },
    { F_IKE_ATTR_HASH, "isakmp.ike.attr.hash_algorithm" },
    { F_IKE_ATTR_AUTH, "isakmp.ike.attr.authentication_method" },
    { F_IKE_ATTR_GROUP, "isakmp.ike.attr.group_description" },
    { F_IKE_ATTR_KEYLEN, "isakmp.ike.attr.key_length" },
    { F_IKE_ATTR_LIFE, "isakmp.ike.attr.life_duration" },
    { F_IPSEC_ATTR_AUTH, "isakmp.ipsec.attr.auth_algorithm" },
    { F_IPSEC_ATTR_GROUP, "isakmp.ipsec.attr.group_description" },
    { F_IPSEC_ATTR_KEYLEN, "isakmp.ipsec.attr.key_length" },
    { F_IPSEC_ATTR_ENCAP, "isakmp.ipsec.attr.encap_mode" },
    { F_IPSEC_ATTR_LIFE, "isakmp.ipsec.attr.life_duration" },
    { F_TF_TYPE, "isakmp.tf.type" },
    { F_TF_ID, "isakmp.tf.id.encr" }, { F_TF_ID, "isakmp.tf.id.prf" },
    { F_TF_ID, "isakmp.tf.id.integ" }, { F_TF_ID, "isakmp.tf.id.dh" },
    { F_TF_ID, "isakmp.tf.id.esn" }, { F_TF_ID, "isakmp.tf.id" },
    { F_IKE2_ATTR_KEYLEN, "isakmp.ike2.attr.key_length" },
    { F_KE_GROUP, "isakmp.key_exchange.dh_group" }, { F_KE_DATA, "isakmp.key_exchange.data" },
    { F_NOTIFY_PROTOID, "isakmp.notify.protoid" }, { F_NOTIFY_MSGTYPE, "isakmp.notify.msgtype" },
    { F_NOTIFY_DATA, "isakmp.notify.data" },
    { F_ID_TYPE, "isakmp.id.type" }, { F_ID_PROTOID, "isakmp.id.protoid" },
    { F_ID_PORT, "isakmp.id.port" }, { F_ID_DATA, "isakmp.id.data" },
    { F_TS_TYPE, "isakmp.ts.type" }, { F_TS_PROTOID, "isakmp.ts.protoid" },
    { F_TS_START_PORT, "isakmp.ts.start_port" }, { F_TS_END_PORT, "isakmp.ts.end_port" },
    { F_TS_START_V4, "isakmp.ts.start_ipv4" }, { F_TS_END_V4, "isakmp.ts.end_ipv4" },
    { F_TS_START_V6, "isakmp.ts.start_ipv6" }, { F_TS_END_V6, "isakmp.ts.end_ipv6" },
    { F_VID, "isakmp.vid_bytes" }, { F_NAT_HASH, "isakmp.ike.nat_hash" },
    { F_AUTH_METHOD, "isakmp.auth.method" },
    { F_DELETE_PROTOID, "isakmp.delete.protoid" }, { F_DELETE_SPI, "isakmp.delete.spi" },
    { F_SPINUM, "isakmp.spinum" },
    { F_ENC_DECRYPTED, "isakmp.enc.decrypted" },
    { F_FRAG_NUMBER, "isakmp.frag.number" }, { F_FRAG_TOTAL, "isakmp.frag.total" },
    /* Certificates: the X.509 dissectors' own fields (rules_auth.c).  The
     * payload header comes first, then its certificate's items in DER
     * order: issuer, validity, subject, public key info, extensions. */
    { F_CERT_ENCODING, "isakmp.cert.encoding" },
    { F_CERTREQ_TYPE, "isakmp.certreq.type" }, { F_CERTREQ_AUTHORITY, "isakmp.ike.certreq.authority" },
    { F_X509_CERT, "x509af.signedCertificate_element" },
    { F_X509_ISSUER, "x509af.issuer" }, { F_X509_SUBJECT, "x509af.subject" },
    { F_X509_NOTBEFORE, "x509af.notBefore" }, { F_X509_NOTAFTER, "x509af.notAfter" },
    { F_X509_UTCTIME, "x509af.utcTime" }, { F_X509_GENTIME, "x509af.generalizedTime" },
    { F_X509_AVA_TYPE, "x509if.oid" },
    { F_X509_AVA_STRING, "x509sat.CountryName" }, { F_X509_AVA_STRING, "x509sat.PrintableString" },
    { F_X509_AVA_STRING, "x509sat.IA5String" }, { F_X509_AVA_STRING, "x509sat.UTF8String" },
    { F_X509_AVA_STRING, "x509sat.BMPString" }, { F_X509_AVA_STRING, "x509sat.UniversalString" },
    { F_X509_AVA_STRING, "x509sat.TeletexString" }, { F_X509_AVA_STRING, "x509sat.NumericString" },
    { F_X509_AVA_STRING, "x509sat.VisibleString" },
    { F_X509_AVA_STRING, "x509sat.printableString" }, { F_X509_AVA_STRING, "x509sat.uTF8String" },
    { F_X509_AVA_STRING, "x509sat.teletexString" }, { F_X509_AVA_STRING, "x509sat.universalString" },
    { F_X509_AVA_STRING, "x509sat.bmpString" },
    { F_X509_SPKI, "x509af.subjectPublicKeyInfo_element" },
    { F_X509_EXT_ID, "x509af.extension.id" },
    { F_X509_AKI, "x509ce.keyIdentifier" },
    { F_X509_SAN_NAME, "x509ce.dNSName" }, { F_X509_SAN_NAME, "x509ce.rfc822Name" },
    { F_X509_SAN_IP, "x509ce.iPAddress" },
    { F_EAP_CODE, "eap.code" }, { F_EAP_TYPE, "eap.type" },
    /* XAUTH / Mode Config: the message type, which attributes, the status,
     * whether an address was given (rules_xauth.c); nothing else. */
    { F_CFG_TYPE, "isakmp.cfg.type" }, { F_CFG_ATTR_TYPE, "isakmp.cfg.attr.type" },
    { F_CFG_XAUTH_STATUS, "isakmp.cfg.attr.xauth.status" },
    { F_CFG_ADDR, "isakmp.cfg.attr.internal_ip4_address" },
    { F_CFG_ADDR, "isakmp.cfg.attr.internal_ip6_address" },
};

/* hfid -> field_key, for every id of every wanted name (several ISAKMP
 * names are registered twice, once per IKE version).  An array indexed by
 * hfid: the walk looks up every item of every IKE frame. */
static guint8 *key_by_hfid;
static int key_by_hfid_len;
static GArray *wanted_ids;
static int proto_isakmp = -1, proto_esp = -1, proto_icmp = -1, proto_icmpv6 = -1;
static int proto_udp = -1, proto_ip = -1, proto_ipv6 = -1, proto_ipv6_frag = -1, proto_data = -1;

void
ikd_extract_init(void)
{
    if (key_by_hfid)
        return;
    G_STATIC_ASSERT(F_COUNT <= G_MAXUINT8);
    wanted_ids = g_array_new(FALSE, FALSE, sizeof(int));
    for (gsize i = 0; i < G_N_ELEMENTS(wanted_fields); i++) {
        header_field_info *hfi = proto_registrar_get_byname(wanted_fields[i].name);
        if (!hfi) {
            ws_warning("ikediag: field %s is unknown to this Wireshark; "
                       "diagnoses that need it are disabled", wanted_fields[i].name);
            continue;
        }
        /* Walk back to the first registration of this name, then forward. */
        while (hfi->same_name_prev_id != -1)
            hfi = proto_registrar_get_nth(hfi->same_name_prev_id);
        for (; hfi; hfi = hfi->same_name_next) {
            g_array_append_val(wanted_ids, hfi->id);
            key_by_hfid_len = MAX(key_by_hfid_len, hfi->id + 1);
        }
    }
    key_by_hfid = g_new0(guint8, key_by_hfid_len + 1);
    for (gsize i = 0; i < G_N_ELEMENTS(wanted_fields); i++) {
        header_field_info *hfi = proto_registrar_get_byname(wanted_fields[i].name);
        if (!hfi)
            continue;
        while (hfi->same_name_prev_id != -1)
            hfi = proto_registrar_get_nth(hfi->same_name_prev_id);
        for (; hfi; hfi = hfi->same_name_next)
            key_by_hfid[hfi->id] = (guint8)wanted_fields[i].key;
    }
    proto_isakmp = proto_get_id_by_filter_name("isakmp");
    proto_esp = proto_get_id_by_filter_name("esp");
    proto_udp = proto_get_id_by_filter_name("udp");
    proto_ip = proto_get_id_by_filter_name("ip");
    proto_ipv6 = proto_get_id_by_filter_name("ipv6");
    proto_ipv6_frag = proto_get_id_by_filter_name("ipv6.fraghdr");
    proto_data = proto_get_id_by_filter_name("data");
    proto_icmp = proto_get_id_by_filter_name("icmp");
    proto_icmpv6 = proto_get_id_by_filter_name("icmpv6");
}

GArray *
ikd_extract_wanted_hfids(void)
{
    GArray *a = g_array_new(FALSE, FALSE, sizeof(int));
    if (wanted_ids)
        g_array_append_vals(a, wanted_ids->data, wanted_ids->len);
    return a;
}

gboolean
ikd_extract_frame_is_relevant(packet_info *pinfo)
{
    /* pinfo->layers holds the protocol ids of this frame; a cheap scan
     * that lets non-IKE traffic leave before any tree is looked at. */
    for (wmem_list_frame_t *f = wmem_list_head(pinfo->layers); f; f = wmem_list_frame_next(f)) {
        int id = GPOINTER_TO_INT(wmem_list_frame_data(f));
        if (id == proto_isakmp || id == proto_esp)
            return TRUE;
    }
    return ikd_extract_is_ip_fragment(pinfo);
}

/* An IP fragment that was not reassembled in this frame: the IP dissector
 * handed its bytes straight to "data" ("ip:data", "ipv6:ipv6.fraghdr:data",
 * no UDP).  IKE messages
 * too large for the path MTU look like this when a fragment is lost
 * (rules_nat.c); whether it is UDP (ip.proto) is read in the walk.  Only
 * the layer list is read here: other traffic stays as cheap as before (a
 * TCP payload is "ip:tcp:data", not "ip:data"). */
gboolean
ikd_extract_is_ip_fragment(packet_info *pinfo)
{
    int prev = -1;

    for (wmem_list_frame_t *f = wmem_list_head(pinfo->layers); f; f = wmem_list_frame_next(f)) {
        int id = GPOINTER_TO_INT(wmem_list_frame_data(f));
        if (id == proto_udp)
            return FALSE;
        if (id == proto_data && (prev == proto_ip || prev == proto_ipv6 || prev == proto_ipv6_frag))
            return TRUE;
        prev = id;
    }
    return FALSE;
}

/* ------------------------------------------------------------ the walk */

typedef struct {
    packet_info *pinfo;
    ikd_msg     *m;
    gboolean     in_ike;            /* inside the (first) ISAKMP message */
    gboolean     ike_done;          /* a second message in the frame is ignored */
    gboolean     icmp;
    int          depth;             /* 0: the protocol items at the top of the tree */
    gboolean     outer_done;        /* past the IP/UDP headers that carry IKE or ESP */
    field_info  *icmp_item;         /* icmp.type / icmpv6.type: where the ICMP header starts */
    tvbuff_t    *frame_tvb;         /* the frame's own data source */
    guint8       ip_proto;          /* that IP header's protocol (IP fragments) */
    guint8       payload;           /* current payload type */
    /* IKEv1 proposal header, copied into each transform's ikd_proposal */
    guint8       v1_prop_number, v1_prop_protocol;
    guint32      v1_prop_spi;
    guint8       v2_prop_protocol;
    ikd_proposal *prop;             /* current proposal, NULL if none */
    ikd_transform *tf;              /* current transform */
    ikd_notify  *notify;
    ikd_ident   *ident;
    ikd_ts      *ts;
    guint8       ts_side;
    guint8       qm_ids;            /* IKEv1 Quick Mode IDs seen (IDci, IDcr) */
    guint8       v1_id_type, v1_id_proto;
    guint16      v1_id_port;
    ikd_delete  *del;
    gboolean     v1_has_payload_after_enc;
    /* certificates */
    ikd_cert    *cert;              /* the CERT payload's (current) certificate */
    ikd_certreq *certreq;           /* the CERTREQ payload's first CA */
    char        *dn;                /* the DN being written, NULL if none */
    gboolean     dn_fresh;          /* its first attribute clears it */
    const char  *ava_type;          /* short name of the attribute type read last */
    char         ava_buf[64];       /* ... when it has none: the dotted OID */
    guint8       x509_time;         /* 1 notBefore, 2 notAfter */
    gboolean     in_san;            /* inside a subjectAltName extension */
} walk_ctx;

/* Payload types (RFC 2408 3.1 / RFC 7296 3.2) */
enum {
    P1_SA = 1, P1_P = 2, P1_T = 3, P1_KE = 4, P1_ID = 5, P1_CERT = 6, P1_CR = 7, P1_HASH = 8,
    P1_SIG = 9, P1_NONCE = 10, P1_N = 11, P1_D = 12, P1_VID = 13, P1_ATTR = 14,
    P1_NAT_D = 20, P1_NAT_D_DRAFT = 130,
    P2_SA = 33, P2_KE = 34, P2_IDI = 35, P2_IDR = 36, P2_CERT = 37, P2_CERTREQ = 38,
    P2_AUTH = 39, P2_NONCE = 40, P2_N = 41, P2_D = 42, P2_V = 43, P2_TSI = 44, P2_TSR = 45,
    P2_SK = 46, P2_CP = 47, P2_EAP = 48, P2_SKF = 53
};

static void
read_bytes(field_info *fi, guint8 *out, gsize max, gsize *len_out)
{
    gint avail;
    gsize n = 0;

    if (fi->ds_tvb && fi->length > 0) {
        avail = tvb_captured_length_remaining(fi->ds_tvb, fi->start);
        if (avail > 0) {
            n = MIN((gsize)fi->length, (gsize)avail);
            n = MIN(n, max);
            tvb_memcpy(fi->ds_tvb, out, fi->start, n);
        }
    }
    if (len_out)
        *len_out = n;
}

static void
read_addr(field_info *fi, ikd_addr *a, guint8 family)
{
    gsize n = 0;
    memset(a, 0, sizeof *a);
    read_bytes(fi, a->bytes, family == 6 ? 16 : 4, &n);
    if (n == (family == 6 ? 16u : 4u))
        a->family = family;
}

static ikd_proposal *
new_proposal(walk_ctx *c)
{
    ikd_msg *m = c->m;
    if (m->n_prop >= IKD_MAX_PROPOSALS) {
        m->dropped++;
        return NULL;
    }
    ikd_proposal *p = &IKD_PROP(m)[m->n_prop++];
    memset(p, 0, sizeof *p);
    p->first_tf = m->n_tf;
    return p;
}

static ikd_transform *
add_tf(walk_ctx *c, guint8 type, guint16 id)
{
    ikd_msg *m = c->m;
    if (!c->prop || m->n_tf >= IKD_MAX_TRANSFORMS || c->prop->first_tf + c->prop->n_tf != m->n_tf) {
        m->dropped++;
        return NULL;
    }
    ikd_transform *t = &IKD_TF(m)[m->n_tf++];
    c->prop->n_tf++;
    t->type = type;
    t->id = id;
    t->key_len = 0;
    return t;
}

static ikd_transform *
find_tf(walk_ctx *c, guint8 type)
{
    if (!c->prop)
        return NULL;
    for (guint i = 0; i < c->prop->n_tf; i++) {
        ikd_transform *t = &IKD_TF(c->m)[c->prop->first_tf + i];
        if (t->type == type)
            return t;
    }
    return NULL;
}

/* IKEv1 Quick Mode client IDs (RFC 2407 4.6.2) as traffic selectors. */
static void
v1_id_to_ts(walk_ctx *c, field_info *fi)
{
    ikd_msg *m = c->m;
    guint8 buf[32];
    gsize n = 0;
    ikd_ts *ts;

    if (m->n_ts >= IKD_MAX_TS) {
        m->dropped++;
        return;
    }
    read_bytes(fi, buf, sizeof buf, &n);
    ts = &IKD_TS(m)[m->n_ts];
    memset(ts, 0, sizeof *ts);
    ts->initiator_side = c->qm_ids == 0;
    ts->ip_proto = c->v1_id_proto;
    ts->start_port = c->v1_id_port;
    ts->end_port = c->v1_id_port ? c->v1_id_port : 65535;
    switch (c->v1_id_type) {
    case 1:     /* ID_IPV4_ADDR */
        if (n < 4) return;
        ts->start.family = ts->end.family = 4;
        memcpy(ts->start.bytes, buf, 4);
        memcpy(ts->end.bytes, buf, 4);
        break;
    case 4:     /* ID_IPV4_ADDR_SUBNET: address, mask */
        if (n < 8) return;
        ts->start.family = ts->end.family = 4;
        for (int i = 0; i < 4; i++) {
            ts->start.bytes[i] = buf[i] & buf[4 + i];
            ts->end.bytes[i] = (guint8)(buf[i] | (guint8)~buf[4 + i]);
        }
        break;
    case 7:     /* ID_IPV4_ADDR_RANGE */
        if (n < 8) return;
        ts->start.family = ts->end.family = 4;
        memcpy(ts->start.bytes, buf, 4);
        memcpy(ts->end.bytes, buf + 4, 4);
        break;
    case 5:     /* ID_IPV6_ADDR */
        if (n < 16) return;
        ts->start.family = ts->end.family = 6;
        memcpy(ts->start.bytes, buf, 16);
        memcpy(ts->end.bytes, buf, 16);
        break;
    case 6:     /* ID_IPV6_ADDR_SUBNET */
        if (n < 32) return;
        ts->start.family = ts->end.family = 6;
        for (int i = 0; i < 16; i++) {
            ts->start.bytes[i] = buf[i] & buf[16 + i];
            ts->end.bytes[i] = (guint8)(buf[i] | (guint8)~buf[16 + i]);
        }
        break;
    case 8:     /* ID_IPV6_ADDR_RANGE */
        if (n < 32) return;
        ts->start.family = ts->end.family = 6;
        memcpy(ts->start.bytes, buf, 16);
        memcpy(ts->end.bytes, buf + 16, 16);
        break;
    default:
        return;
    }
    m->n_ts++;
    c->qm_ids++;
}

/* An identity as text: FQDN and e-mail as they are, addresses formatted,
 * anything else (DN, key id) in hex. */
static void
ident_text(field_info *fi, guint8 type, char *out, gsize outlen)
{
    guint8 buf[IKD_MAX_ID_TEXT];
    gsize n = 0;
    ikd_addr a;

    read_bytes(fi, buf, sizeof buf, &n);
    switch (type) {
    case 2: case 3:         /* FQDN, USER_FQDN (RFC822) in both versions */
        for (gsize i = 0; i < n && i + 1 < outlen; i++)
            out[i] = g_ascii_isprint(buf[i]) ? (char)buf[i] : '.';
        out[MIN(n, outlen - 1)] = '\0';
        return;
    case 1: case 5:         /* IPV4_ADDR, IPV6_ADDR */
        memset(&a, 0, sizeof a);
        if (type == 1 && n >= 4) {
            a.family = 4;
            memcpy(a.bytes, buf, 4);
        } else if (type == 5 && n >= 16) {
            a.family = 6;
            memcpy(a.bytes, buf, 16);
        }
        ikd_addr_to_str(&a, out, outlen);
        return;
    default: {
        GString *s = g_string_new(type == 9 ? "DN:" : "0x");
        for (gsize i = 0; i < n && s->len + 3 < outlen; i++)
            g_string_append_printf(s, "%02x", buf[i]);
        g_strlcpy(out, s->str, outlen);
        g_string_free(s, TRUE);
        return;
    }
    }
}

static void
on_payload(walk_ctx *c, guint8 type)
{
    ikd_msg *m = c->m;

    c->payload = type;
    c->notify = NULL;
    c->ident = NULL;
    c->ts = NULL;
    c->del = NULL;
    c->cert = NULL;
    c->certreq = NULL;
    c->dn = NULL;
    c->x509_time = 0;
    c->in_san = FALSE;
    if (m->version == 1 && (m->flags & IKD_FLAG_V1_E))
        c->v1_has_payload_after_enc = TRUE;

    switch (type) {
    case P1_SA: case P2_SA:
        m->has_sa = 1;
        c->prop = NULL;
        break;
    case P1_KE: case P2_KE: m->has_ke = 1; break;
    case P1_NONCE: case P2_NONCE: m->has_nonce = 1; break;
    case P1_HASH: m->has_hash = 1; break;
    case P1_SIG: m->has_sig = 1; break;
    case P2_AUTH: m->has_auth = 1; break;
    case P1_CERT: case P2_CERT:
        m->has_cert = 1;
        if (m->n_cert < IKD_MAX_CERTS) {
            c->cert = &IKD_CERT(m)[m->n_cert++];
            memset(c->cert, 0, sizeof *c->cert);
        } else {
            m->dropped++;
        }
        break;
    case P1_CR: case P2_CERTREQ:
        m->has_certreq = 1;
        if (m->n_certreq < IKD_MAX_CERTREQ) {
            c->certreq = &IKD_CERTREQ(m)[m->n_certreq++];
            memset(c->certreq, 0, sizeof *c->certreq);
            /* IKEv1: the CA's DN follows (RFC 2408 3.10) */
            c->dn = c->certreq->dn;
            c->dn_fresh = TRUE;
        } else {
            m->dropped++;
        }
        break;
    case P2_CP: m->has_cp = 1; break;
    case P2_EAP: m->has_eap = 1; break;
    case P1_N: case P2_N:
        if (m->n_notify < IKD_MAX_NOTIFIES) {
            /* ikd_msg_reset() left it zeroed, its data pointing at the
             * message's storage */
            c->notify = &IKD_NOTIFY(m)[m->n_notify++];
        } else {
            m->dropped++;
        }
        break;
    case P1_D: case P2_D:
        m->has_delete = 1;
        if (m->n_delete < IKD_MAX_DELETES) {
            c->del = &m->del[m->n_delete++];
            memset(c->del, 0, sizeof *c->del);
        } else {
            m->dropped++;
        }
        break;
    case P1_ID: case P2_IDI: case P2_IDR:
        c->v1_id_type = c->v1_id_proto = 0;
        c->v1_id_port = 0;
        if (m->version == 1 && m->exch_type == IKD_X1_QUICK)
            break;              /* client IDs become traffic selectors */
        if (m->n_id < IKD_MAX_IDS) {
            c->ident = &IKD_ID(m)[m->n_id++];
            memset(c->ident, 0, sizeof *c->ident);
            c->ident->initiator_side = type == P2_IDI || type == P1_ID;
        } else {
            m->dropped++;
        }
        break;
    case P2_TSI: case P2_TSR:
        c->ts_side = type == P2_TSI;
        break;
    case P2_SK:
        m->encrypted = 1;
        break;
    case P2_SKF:
        m->encrypted = 1;
        break;
    default:
        break;
    }
}

/* ------------------------------------------------------------ certificates */

/* Attribute types as strongSwan (and OpenSSL) print DNs, so a DN in a
 * finding reads like the daemon's log and like the config (leftid=,
 * remote.id). */
static const char *
ava_short_name(walk_ctx *c, field_info *fi)
{
    static const guint8 email[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01 };
    static const guint8 dc[] = { 0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19 };
    static const guint8 uid[] = { 0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x01 };
    guint8 oid[32];
    gsize n = 0;
    char *dotted;

    read_bytes(fi, oid, sizeof oid, &n);
    if (n == 3 && oid[0] == 0x55 && oid[1] == 0x04) {      /* 2.5.4.x */
        switch (oid[2]) {
        case 3: return "CN";
        case 4: return "SN";
        case 5: return "serialNumber";
        case 6: return "C";
        case 7: return "L";
        case 8: return "ST";
        case 9: return "street";
        case 10: return "O";
        case 11: return "OU";
        case 12: return "T";
        case 42: return "G";
        case 46: return "dnQualifier";
        default: break;
        }
    }
    if (n == sizeof email && memcmp(oid, email, n) == 0)
        return "E";
    if (n == sizeof dc && memcmp(oid, dc, n) == 0)
        return "DC";
    if (n == sizeof uid && memcmp(oid, uid, n) == 0)
        return "UID";
    dotted = n ? oid_encoded2string(NULL, oid, (guint)n) : NULL;
    g_strlcpy(c->ava_buf, dotted ? dotted : "?", sizeof c->ava_buf);
    wmem_free(NULL, dotted);
    return c->ava_buf;
}

/* A string field's value; NULL when a dissector changed the field's type
 * (fvalue_get_string() asserts on other types). */
static const char *
x509_string(field_info *fi)
{
    switch (fi->hfinfo->type) {
    case FT_STRING: case FT_STRINGZ: case FT_UINT_STRING: case FT_STRINGZPAD: case FT_STRINGZTRUNC:
        return fvalue_get_string(IKD_FI_FVALUE(fi));
    default:
        return NULL;
    }
}

static void
dn_append(walk_ctx *c, const char *value)
{
    if (!c->dn || !value)
        return;
    if (c->dn_fresh) {
        c->dn[0] = '\0';
        c->dn_fresh = FALSE;
    }
    if (c->dn[0])
        g_strlcat(c->dn, ", ", IKD_MAX_ID_TEXT);
    g_strlcat(c->dn, c->ava_type ? c->ava_type : "?", IKD_MAX_ID_TEXT);
    g_strlcat(c->dn, "=", IKD_MAX_ID_TEXT);
    g_strlcat(c->dn, value, IKD_MAX_ID_TEXT);
}

static void
alt_name_append(ikd_cert *cert, const char *value)
{
    if (cert->alt_names[0])
        g_strlcat(cert->alt_names, ", ", sizeof cert->alt_names);
    g_strlcat(cert->alt_names, value, sizeof cert->alt_names);
}

/* x509af.utcTime is a string the BER dissector has already decoded from
 * UTCTime: "2026-11-24 12:34:03 (UTC)", or "... (UTC+hhmm)" with an
 * offset.  Returns Unix seconds, 0 when the text is not of that form. */
static gint64
x509_utc_time(const char *s)
{
    int y, mo, d, h, mi, sec = 0;
    GDateTime *dt;
    gint64 v;
    const char *o;

    if (!s || sscanf(s, "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &sec) < 5)
        return 0;
    dt = g_date_time_new_utc(y, mo, d, h, mi, sec);
    if (!dt)
        return 0;
    v = g_date_time_to_unix(dt);
    g_date_time_unref(dt);
    o = strstr(s, "(UTC");
    if (o && (o[4] == '+' || o[4] == '-') && g_ascii_isdigit(o[5]) && g_ascii_isdigit(o[6]) &&
        g_ascii_isdigit(o[7]) && g_ascii_isdigit(o[8])) {
        gint64 off = ((o[5] - '0') * 10 + (o[6] - '0')) * 3600 + ((o[7] - '0') * 10 + (o[8] - '0')) * 60;
        v += o[4] == '+' ? -off : off;
    }
    return v;
}

static void
x509_set_time(walk_ctx *c, gint64 v)
{
    if (!c->cert || !v)
        return;
    if (c->x509_time == 1)
        c->cert->not_before = v;
    else if (c->x509_time == 2)
        c->cert->not_after = v;
}

static void
on_x509_field(walk_ctx *c, field_key key, field_info *fi)
{
    ikd_msg *m = c->m;

    switch (key) {
    case F_CERT_ENCODING:
        if (c->cert)
            c->cert->encoding = (guint8)ikd_fi_uint(fi);
        break;
    case F_CERTREQ_TYPE:
        if (c->certreq)
            c->certreq->cert_type = (guint8)ikd_fi_uint(fi);
        break;
    case F_CERTREQ_AUTHORITY: {
        /* IKEv2: concatenated SHA-1 hashes of the CAs' public key info. */
        guint8 buf[IKD_SHA1_LEN * IKD_MAX_CERTREQ];
        gsize n = 0;
        if (!c->certreq || m->version < 2)
            break;
        read_bytes(fi, buf, sizeof buf, &n);
        for (gsize off = 0; off + IKD_SHA1_LEN <= n; off += IKD_SHA1_LEN) {
            ikd_certreq *r = c->certreq;
            if (off) {
                if (m->n_certreq >= IKD_MAX_CERTREQ) {
                    m->dropped++;
                    break;
                }
                r = &IKD_CERTREQ(m)[m->n_certreq++];
                memset(r, 0, sizeof *r);
                r->cert_type = c->certreq->cert_type;
            }
            r->hash_len = IKD_SHA1_LEN;
            memcpy(r->hash, buf + off, IKD_SHA1_LEN);
        }
        break;
    }
    case F_X509_CERT:
        /* A second certificate in the same payload (PKCS #7 bundle). */
        if (c->cert && (c->cert->issuer[0] || c->cert->subject[0] || c->cert->has_spki)) {
            guint8 enc = c->cert->encoding;
            if (m->n_cert < IKD_MAX_CERTS) {
                c->cert = &IKD_CERT(m)[m->n_cert++];
                memset(c->cert, 0, sizeof *c->cert);
                c->cert->encoding = enc;
            } else {
                m->dropped++;
                c->cert = NULL;
            }
        }
        c->dn = NULL;
        c->x509_time = 0;
        c->in_san = FALSE;
        break;
    case F_X509_ISSUER:
        if (c->cert) {
            c->dn = c->cert->issuer;
            c->dn_fresh = TRUE;
        }
        break;
    case F_X509_SUBJECT:
        if (c->cert) {
            c->dn = c->cert->subject;
            c->dn_fresh = TRUE;
        }
        c->x509_time = 0;
        break;
    case F_X509_NOTBEFORE:
        c->dn = NULL;
        c->x509_time = 1;
        break;
    case F_X509_NOTAFTER:
        c->x509_time = 2;
        break;
    case F_X509_UTCTIME:
        x509_set_time(c, x509_utc_time(x509_string(fi)));
        break;
    case F_X509_GENTIME: {
        const nstime_t *t = fi->hfinfo->type == FT_ABSOLUTE_TIME ? fvalue_get_time(IKD_FI_FVALUE(fi)) : NULL;
        if (t)
            x509_set_time(c, (gint64)t->secs);
        break;
    }
    case F_X509_AVA_TYPE:
        /* An ID payload of type ID_DER_ASN1_DN is dissected as a Name too:
         * give it the same notation as certificate subjects. */
        if (!c->dn && c->ident && c->ident->type == 9) {
            c->dn = c->ident->text;
            c->dn_fresh = TRUE;
        }
        c->ava_type = ava_short_name(c, fi);
        break;
    case F_X509_AVA_STRING:
        dn_append(c, x509_string(fi));
        break;
    case F_X509_SPKI:
        c->dn = NULL;
        if (c->cert && fi->ds_tvb && fi->length > 0 &&
            tvb_captured_length_remaining(fi->ds_tvb, fi->start) >= fi->length) {
            GChecksum *ck = g_checksum_new(G_CHECKSUM_SHA1);
            gsize dlen = sizeof c->cert->spki_sha1;
            g_checksum_update(ck, tvb_get_ptr(fi->ds_tvb, fi->start, fi->length), (gssize)fi->length);
            g_checksum_get_digest(ck, c->cert->spki_sha1, &dlen);
            g_checksum_free(ck);
            c->cert->has_spki = dlen == sizeof c->cert->spki_sha1;
        }
        break;
    case F_X509_EXT_ID: {
        static const guint8 san[] = { 0x55, 0x1d, 0x11 };     /* 2.5.29.17 */
        guint8 oid[8];
        gsize n = 0;
        c->dn = NULL;
        read_bytes(fi, oid, sizeof oid, &n);
        c->in_san = n == sizeof san && memcmp(oid, san, n) == 0;
        break;
    }
    case F_X509_AKI:
        if (c->cert) {
            gsize n = 0;
            read_bytes(fi, c->cert->aki, sizeof c->cert->aki, &n);
            c->cert->aki_len = (guint8)n;
        }
        break;
    case F_X509_SAN_NAME:
        if (c->cert && c->in_san && x509_string(fi))
            alt_name_append(c->cert, x509_string(fi));
        break;
    case F_X509_SAN_IP:
        if (c->cert && c->in_san) {
            ikd_addr a;
            char buf[64];
            gsize n = 0;
            memset(&a, 0, sizeof a);
            read_bytes(fi, a.bytes, sizeof a.bytes, &n);
            if (n == 4 || n == 16) {
                a.family = n == 4 ? 4 : 6;
                alt_name_append(c->cert, ikd_addr_to_str(&a, buf, sizeof buf));
            }
        }
        break;
    default:
        break;
    }
}

/* Fields of the frame around the IKE message: ICMP errors, ESP, malformed marks, the ISAKMP item itself. */
static void
on_frame_field(walk_ctx *c, field_key key, field_info *fi)
{
    ikd_msg *m = c->m;
    guint32 v;

    switch (key) {
    case F_ICMP_TYPE: case F_ICMP6_TYPE:
        v = ikd_fi_uint(fi);
        m->icmp_v6 = key == F_ICMP6_TYPE;
        m->icmp_type = (guint8)v;
        if (!c->icmp_item)
            c->icmp_item = fi;
        /* Errors that quote the offending packet (RFC 792, RFC 4443). */
        c->icmp = m->icmp_v6 ? (v >= IKD_ICMP6_DEST_UNREACH && v <= IKD_ICMP6_PARAM_PROBLEM)
                             : (v == IKD_ICMP_DEST_UNREACH || v == IKD_ICMP_TIME_EXCEEDED ||
                                v == IKD_ICMP_PARAM_PROBLEM);
        break;
    case F_ICMP_CODE: case F_ICMP6_CODE:
        m->icmp_code = (guint8)ikd_fi_uint(fi);
        break;
    case F_ESP_SPI:
        if (m->kind == IKD_MSG_NONE) {
            m->kind = IKD_MSG_ESP;
            m->esp_spi = ikd_fi_uint(fi);
        }
        break;
    case F_ESP_SEQ:
        if (m->kind == IKD_MSG_ESP)
            m->esp_seq = ikd_fi_uint(fi);
        break;
    case F_MALFORMED:
        m->malformed = 1;
        break;
    case F_ISAKMP: {
        if (c->ike_done || c->in_ike)
            break;
        c->in_ike = TRUE;
        m->kind = c->icmp ? IKD_MSG_ICMP_ERROR : IKD_MSG_IKE;
        /* A datagram that Wireshark reassembled from IP fragments is
         * dissected from a data source of its own ("Reassembled IPv4"). */
        m->ip_fragmented = !c->icmp && c->pinfo->ptype == PT_UDP && fi->ds_tvb &&
                           fi->ds_tvb != c->frame_tvb;
        /* The content hash: retransmissions repeat the message byte for
         * byte, retries do not (see tracker.c). */
        if (fi->ds_tvb) {
            gint avail = tvb_captured_length_remaining(fi->ds_tvb, fi->start);
            gint wire = tvb_reported_length_remaining(fi->ds_tvb, fi->start);
            gint len = fi->length > 0 ? MIN(fi->length, avail) : avail;
            if (len > 0) {
                m->content_hash = ikd_hash_bytes(IKD_HASH_SEED, tvb_get_ptr(fi->ds_tvb, fi->start, len), (gsize)len);
                m->content_len = (guint32)len;
            }
            /* what the snapshot length cut off the datagram, if anything */
            m->wire_len = m->content_len + (guint32)(wire > avail ? wire - avail : 0);
        }
        break;
    }
    default:
        break;
    }
}

/* The IKE header, and what the encrypted and fragment payloads say of the message. */
static void
on_header_field(walk_ctx *c, field_key key, field_info *fi)
{
    ikd_msg *m = c->m;
    guint32 v;

    switch (key) {
    case F_ISPI:
        read_bytes(fi, m->ispi, 8, NULL);
        break;
    case F_RSPI:
        read_bytes(fi, m->rspi, 8, NULL);
        break;
    case F_VERSION:
        v = ikd_fi_uint(fi);
        m->version = (guint8)(v >> 4);
        m->minor_version = (guint8)(v & 0x0f);
        break;
    case F_EXCHTYPE:
        m->exch_type = (guint8)ikd_fi_uint(fi);
        break;
    case F_FLAGS:
        m->flags = (guint8)ikd_fi_uint(fi);
        if (m->version == 1 && (m->flags & IKD_FLAG_V1_E))
            m->encrypted = 1;
        break;
    case F_MSGID:
        m->msgid = ikd_fi_uint(fi);
        break;
    case F_LENGTH:
        m->length = ikd_fi_uint(fi);
        break;
    case F_TYPEPAYLOAD:
        on_payload(c, (guint8)ikd_fi_uint(fi));
        break;
    case F_ENC_DECRYPTED:
        m->decrypted = 1;
        break;
    case F_FRAG_NUMBER:
        m->frag_number = (guint16)ikd_fi_uint(fi);
        break;
    case F_FRAG_TOTAL:
        m->frag_total = (guint16)ikd_fi_uint(fi);
        break;
    default:
        break;
    }
}

/* SA payloads: proposals, transforms and their attributes (IKEv1 attributes mapped to IKEv2 transforms). */
static void
on_sa_field(walk_ctx *c, field_key key, field_info *fi)
{
    ikd_msg *m = c->m;
    guint32 v;

    switch (key) {
    case F_PROP_NUMBER:
        v = ikd_fi_uint(fi);
        if (m->version == 1) {
            c->v1_prop_number = (guint8)v;
            c->v1_prop_spi = 0;
            c->prop = NULL;
        } else {
            c->prop = new_proposal(c);
            if (c->prop)
                c->prop->number = (guint8)v;
        }
        break;
    case F_PROP_PROTOID:
        v = ikd_fi_uint(fi);
        if (m->version == 1)
            c->v1_prop_protocol = (guint8)v;
        else if (c->prop)
            c->prop->protocol = (guint8)v;
        break;
    case F_SPI: {
        guint8 b[16];
        gsize n = 0;
        read_bytes(fi, b, sizeof b, &n);
        if (c->notify) {
            memcpy(c->notify->spi, b, n);
            c->notify->spi_len = (guint8)n;
        } else if (n == 4) {
            guint32 spi = (guint32)b[0] << 24 | (guint32)b[1] << 16 | (guint32)b[2] << 8 | b[3];
            if (m->version == 1)
                c->v1_prop_spi = spi;
            else if (c->prop)
                c->prop->spi = spi;
        }
        break;
    }
    case F_TRANS_ID:
        /* IKEv1: each transform is one complete alternative. */
        if (m->version != 1)
            break;
        v = ikd_fi_uint(fi);
        c->prop = new_proposal(c);
        if (!c->prop)
            break;
        c->prop->number = c->v1_prop_number;
        c->prop->protocol = c->v1_prop_protocol;
        c->prop->spi = c->v1_prop_spi;
        c->prop->v1_transform_id = (guint8)v;
        if (c->v1_prop_protocol == IKD_PROTO_ESP) {
            guint16 id = ikd_v1_esp_to_v2((guint8)v);
            add_tf(c, IKD_TF_ENCR, id ? id : (guint16)(0x8000 | v));
        }
        break;
    case F_IKE_ATTR_ENC:
        v = ikd_fi_uint(fi);
        add_tf(c, IKD_TF_ENCR, ikd_v1_encr_to_v2((guint16)v) ? ikd_v1_encr_to_v2((guint16)v) : (guint16)(0x8000 | v));
        break;
    case F_IKE_ATTR_HASH:
        v = ikd_fi_uint(fi);
        add_tf(c, IKD_TF_INTEG, ikd_v1_hash_to_integ((guint16)v));
        add_tf(c, IKD_TF_PRF, ikd_v1_hash_to_prf((guint16)v));
        break;
    case F_IKE_ATTR_AUTH:
        if (c->prop)
            c->prop->auth_method = (guint16)ikd_fi_uint(fi);
        break;
    case F_IKE_ATTR_GROUP: case F_IPSEC_ATTR_GROUP:
        add_tf(c, IKD_TF_DH, (guint16)ikd_fi_uint(fi));
        break;
    case F_IKE_ATTR_KEYLEN: case F_IPSEC_ATTR_KEYLEN: {
        ikd_transform *t = find_tf(c, IKD_TF_ENCR);
        if (t)
            t->key_len = (guint16)ikd_fi_uint(fi);
        break;
    }
    case F_IKE_ATTR_LIFE: case F_IPSEC_ATTR_LIFE:
        if (c->prop)
            c->prop->lifetime = ikd_fi_uint(fi);
        break;
    case F_IPSEC_ATTR_AUTH:
        add_tf(c, IKD_TF_INTEG, ikd_v1_auth_alg_to_integ((guint16)ikd_fi_uint(fi)));
        break;
    case F_IPSEC_ATTR_ENCAP:
        if (c->prop)
            c->prop->encap_mode = (guint16)ikd_fi_uint(fi);
        break;
    case F_TF_TYPE:
        c->tf = add_tf(c, (guint8)ikd_fi_uint(fi), 0);
        break;
    case F_TF_ID:
        if (c->tf)
            c->tf->id = (guint16)ikd_fi_uint(fi);
        break;
    case F_IKE2_ATTR_KEYLEN:
        if (c->tf)
            c->tf->key_len = (guint16)ikd_fi_uint(fi);
        break;
    default:
        break;
    }
}

/* Key exchange, vendor IDs, NAT-D, AUTH, Delete and EAP payloads. */
static void
on_payload_field(walk_ctx *c, field_key key, field_info *fi)
{
    ikd_msg *m = c->m;

    switch (key) {
    case F_KE_GROUP:
        m->ke_group = (guint16)ikd_fi_uint(fi);
        break;
    case F_KE_DATA:
        m->ke_len = (guint16)MIN(fi->length, 65535);
        break;
    case F_VID:
        if (m->n_vid < IKD_MAX_VIDS) {
            gsize n = 0;
            ikd_blob *b = &IKD_VID(m)[m->n_vid++];
            read_bytes(fi, b->data, IKD_MAX_BLOB, &n);
            b->len = (guint16)n;
        } else {
            m->dropped++;
        }
        break;
    case F_NAT_HASH:
        if (m->n_natd < IKD_MAX_NATD) {
            gsize n = 0;
            ikd_blob *b = &IKD_NATD(m)[m->n_natd++];
            read_bytes(fi, b->data, IKD_MAX_BLOB, &n);
            b->len = (guint16)n;
        } else {
            m->dropped++;
        }
        break;
    case F_AUTH_METHOD:
        m->auth_method = (guint8)ikd_fi_uint(fi);
        break;
    case F_DELETE_PROTOID:
        if (c->del) c->del->protocol = (guint8)ikd_fi_uint(fi);
        break;
    case F_SPINUM:
        if (c->del) c->del->n_spi = (guint16)ikd_fi_uint(fi);
        break;
    case F_DELETE_SPI:
        if (c->del && c->del->spi_len == 0) {
            gsize n = 0;
            read_bytes(fi, c->del->first_spi, sizeof c->del->first_spi, &n);
            c->del->spi_len = (guint8)n;
        }
        break;
    case F_EAP_CODE:
        m->eap_code = (guint8)ikd_fi_uint(fi);
        break;
    case F_EAP_TYPE:
        /* the method; Success and Failure carry none (RFC 3748 4.2) */
        if (!m->eap_type)
            m->eap_type = (guint8)ikd_fi_uint(fi);
        break;
    default:
        break;
    }
}

/* Notify payloads. */
static void
on_notify_field(walk_ctx *c, field_key key, field_info *fi)
{

    switch (key) {
    case F_NOTIFY_PROTOID:
        if (c->notify)
            c->notify->protocol = (guint8)ikd_fi_uint(fi);
        break;
    case F_NOTIFY_MSGTYPE:
        if (c->notify)
            c->notify->type = (guint16)ikd_fi_uint(fi);
        break;
    case F_NOTIFY_DATA:
        if (c->notify) {
            gsize n = 0;
            read_bytes(fi, c->notify->data, IKD_MAX_BLOB, &n);
            c->notify->data_len = (guint16)MAX(fi->length, 0);
        }
        break;
    default:
        break;
    }
}

/* Identification payloads (IKEv1 Quick Mode IDs become traffic selectors). */
static void
on_id_field(walk_ctx *c, field_key key, field_info *fi)
{
    ikd_msg *m = c->m;
    guint32 v;

    switch (key) {
    case F_ID_TYPE:
        v = ikd_fi_uint(fi);
        c->v1_id_type = (guint8)v;
        if (c->ident)
            c->ident->type = (guint8)v;
        break;
    case F_ID_PROTOID:
        c->v1_id_proto = (guint8)ikd_fi_uint(fi);
        break;
    case F_ID_PORT:
        c->v1_id_port = (guint16)ikd_fi_uint(fi);
        break;
    case F_ID_DATA:
        if (m->version == 1 && m->exch_type == IKD_X1_QUICK)
            v1_id_to_ts(c, fi);
        else if (c->ident)
            ident_text(fi, c->ident->type, c->ident->text, sizeof c->ident->text);
        break;
    default:
        break;
    }
}

/* Traffic selector payloads. */
static void
on_ts_field(walk_ctx *c, field_key key, field_info *fi)
{
    ikd_msg *m = c->m;

    switch (key) {
    case F_TS_TYPE:
        if (m->n_ts < IKD_MAX_TS) {
            c->ts = &IKD_TS(m)[m->n_ts++];
            memset(c->ts, 0, sizeof *c->ts);
            c->ts->initiator_side = c->ts_side;
            c->ts->end_port = 65535;
        } else {
            c->ts = NULL;
            m->dropped++;
        }
        break;
    case F_TS_PROTOID:
        if (c->ts) c->ts->ip_proto = (guint8)ikd_fi_uint(fi);
        break;
    case F_TS_START_PORT:
        if (c->ts) c->ts->start_port = (guint16)ikd_fi_uint(fi);
        break;
    case F_TS_END_PORT:
        if (c->ts) c->ts->end_port = (guint16)ikd_fi_uint(fi);
        break;
    case F_TS_START_V4: case F_TS_START_V6:
        if (c->ts) read_addr(fi, &c->ts->start, key == F_TS_START_V6 ? 6 : 4);
        break;
    case F_TS_END_V4: case F_TS_END_V6:
        if (c->ts) read_addr(fi, &c->ts->end, key == F_TS_END_V6 ? 6 : 4);
        break;
    default:
        break;
    }
}

/* Attributes payload of an IKEv1 Transaction (XAUTH, Mode Config). */
static void
on_cfg_field(walk_ctx *c, field_key key, field_info *fi)
{
    ikd_msg *m = c->m;
    guint32 v;

    switch (key) {
    case F_CFG_TYPE:
        if (!m->cfg_type)
            m->cfg_type = (guint8)ikd_fi_uint(fi);
        break;
    case F_CFG_ATTR_TYPE:
        v = ikd_fi_uint(fi) & 0x7fff;
        if (v >= 16520 && v <= 16531)
            m->cfg_xauth = 1;
        break;
    case F_CFG_XAUTH_STATUS:
        m->xauth_status = ikd_fi_uint(fi) ? 2 : 1;
        break;
    case F_CFG_ADDR:
        if (fi->length > 0)
            m->cfg_addr = 1;
        break;
    default:
        break;
    }
}

/* One field of the walk, handed to its payload family. */
static void
on_field(walk_ctx *c, field_key key, field_info *fi)
{
    /* Fields that only matter inside the IKE message. */
    if (key >= F_ISPI && !c->in_ike)
        return;

    if (key <= F_ISAKMP)
        on_frame_field(c, key, fi);
    else if (key <= F_TYPEPAYLOAD || (key >= F_ENC_DECRYPTED && key <= F_FRAG_TOTAL))
        on_header_field(c, key, fi);
    else if (key <= F_IKE2_ATTR_KEYLEN)
        on_sa_field(c, key, fi);
    else if (key >= F_NOTIFY_PROTOID && key <= F_NOTIFY_DATA)
        on_notify_field(c, key, fi);
    else if (key >= F_ID_TYPE && key <= F_ID_DATA)
        on_id_field(c, key, fi);
    else if (key >= F_TS_TYPE && key <= F_TS_END_V6)
        on_ts_field(c, key, fi);
    else if (key >= F_CERT_ENCODING && key <= F_X509_SAN_IP)
        on_x509_field(c, key, fi);
    else if (key >= F_CFG_TYPE && key <= F_CFG_ADDR)
        on_cfg_field(c, key, fi);
    else
        on_payload_field(c, key, fi);
}

/* Copies 'len' bytes at 'offset' of a protocol item; FALSE when the item
 * or the capture is shorter. */
static gboolean
item_bytes(field_info *fi, gint offset, guint8 *out, gint len)
{
    if (!fi->ds_tvb || fi->length < offset + len ||
        tvb_captured_length_remaining(fi->ds_tvb, fi->start) < offset + len)
        return FALSE;
    tvb_memcpy(fi->ds_tvb, out, fi->start + offset, len);
    return TRUE;
}

/* The addresses and ports of the packet that carries the IKE message, the
 * ESP packet, the ICMP error or the IP fragment.
 *
 * Why not the ip.src / udp.srcport fields: see wanted_fields above.  Up to
 * Wireshark 4.4, the IP and UDP protocol items at the top of the tree are
 * real in any case (only items below them are faked), so the fixed fields
 * of their fixed headers are read from their bytes (RFC 791, RFC 8200,
 * RFC 768).  The last header before the ISAKMP, ESP or ICMP item counts:
 * in a tunnel that is the innermost one carrying IKE, and the IP packet
 * that a decrypted ESP payload holds comes after the ESP item.  Wireshark
 * 4.6 fakes top-level items too: there, pinfo's addresses and ports stand
 * in (outer_from_pinfo()). */
static void
read_ip_header(walk_ctx *c, field_info *fi, guint8 family)
{
    ikd_msg *m = c->m;
    /* source, destination and protocol (next header) offsets */
    gint alen = family == 6 ? 16 : 4, src = family == 6 ? 8 : 12, proto = family == 6 ? 6 : 9;
    guint8 b;

    memset(&m->src, 0, sizeof m->src);
    memset(&m->dst, 0, sizeof m->dst);
    if (item_bytes(fi, src, m->src.bytes, alen) && item_bytes(fi, src + alen, m->dst.bytes, alen))
        m->src.family = m->dst.family = family;
    if (item_bytes(fi, proto, &b, 1))
        c->ip_proto = b;
}

static void
read_outer_header(walk_ctx *c, field_info *fi, int id)
{
    ikd_msg *m = c->m;
    guint8 b[4];

    if (id == proto_ip) {
        read_ip_header(c, fi, 4);
    } else if (id == proto_ipv6) {
        read_ip_header(c, fi, 6);
    } else if (id == proto_ipv6_frag) {
        /* the fragment header's next header (RFC 8200 4.5) */
        if (item_bytes(fi, 0, b, 1))
            c->ip_proto = b[0];
    } else if (id == proto_udp) {
        if (item_bytes(fi, 0, b, 4)) {
            m->sport = (guint16)(b[0] << 8 | b[1]);
            m->dport = (guint16)(b[2] << 8 | b[3]);
        }
    } else if (id == proto_isakmp || id == proto_esp || id == proto_icmp || id == proto_icmpv6) {
        c->outer_done = TRUE;
    }
}

static gboolean
descend_from_top(const field_info *fi)
{
    int id;

    if (!fi || !fi->hfinfo)
        return TRUE;
    id = fi->hfinfo->id;
    /* ISAKMP (with the X.509 and EAP items of its payloads), ESP, ICMP
     * errors (with the quoted IKE header), and the malformed / short
     * items wherever an exception put them. */
    return id == proto_isakmp || id == proto_esp || id == proto_icmp || id == proto_icmpv6 ||
           (id < key_by_hfid_len && key_by_hfid[id] == F_MALFORMED) || fi->hfinfo->type != FT_PROTOCOL;
}

static void
visit(proto_node *node, gpointer data)
{
    walk_ctx *c = data;
    field_info *fi = PNODE_FINFO(node);
    field_key key = F_NONE;

    if (fi && fi->hfinfo) {
        int id = fi->hfinfo->id;
        if (c->depth == 0 && !c->outer_done)
            read_outer_header(c, fi, id);
        if (id >= 0 && id < key_by_hfid_len)
            key = (field_key)key_by_hfid[id];
        if (key != F_NONE)
            on_field(c, key, fi);
    }
    /* At the top of the tree, only the protocols that carry wanted fields
     * are worth descending into: with a visible tree (tshark -V, -T fields
     * in 4.0, the GUI's details), the frame, Ethernet, IP and UDP subtrees
     * hold about half of an IKE frame's items and none of ikediag's.  A
     * wanted field whose protocol item is faked (Wireshark 4.6) sits at the
     * top itself, and is read above. */
    if (c->depth == 0 && !descend_from_top(fi))
        return;
    c->depth++;
    /* proto_tree_children_foreach() without a call per item */
    for (proto_node *child = node->first_child; child; child = child->next)
        visit(child, c);
    c->depth--;
    /* Leaving the ISAKMP protocol item ends the message: a second IKE
     * message in the same datagram is not tracked. */
    if (key == F_ISAKMP && c->in_ike) {
        c->in_ike = FALSE;
        c->ike_done = TRUE;
    }
}

/* Copies 'len' bytes at 'offset' past the start of an item, within what
 * was captured of its data source (an item's own length may be shorter:
 * icmp.type is one byte, and the ICMP message starts there). */
static gboolean
bytes_after(field_info *fi, gint offset, guint8 *out, gint len)
{
    if (!fi || !fi->ds_tvb || tvb_captured_length_remaining(fi->ds_tvb, fi->start) < offset + len)
        return FALSE;
    tvb_memcpy(fi->ds_tvb, out, fi->start + offset, len);
    return TRUE;
}

/* An ICMP error quotes the IP header and the first bytes of the packet it
 * refuses (RFC 792, RFC 4443), from offset 8 of the ICMP message on.  The
 * quoted IP and UDP items sit below the ICMP item, where tshark fakes them
 * unless they are wanted, and Wireshark restores pinfo's addresses after
 * dissecting the quote (call_dissector_work_error()); so, as for the outer
 * header, the fixed header fields are read from the ICMP message's bytes,
 * which start at the icmp.type item. */
static void
read_quoted_header(field_info *icmp_type, ikd_msg *m)
{
    guint8 b[48];
    gint ip_len = 0;
    guint8 proto = 0;

    memset(&m->quoted_src, 0, sizeof m->quoted_src);
    memset(&m->quoted_dst, 0, sizeof m->quoted_dst);
    if (!bytes_after(icmp_type, 8, b, 1))
        return;
    if (b[0] >> 4 == 4 && bytes_after(icmp_type, 8, b, IKD_IPV4_HEADER_MIN)) {
        m->quoted_src.family = m->quoted_dst.family = 4;
        memcpy(m->quoted_src.bytes, b + 12, 4);
        memcpy(m->quoted_dst.bytes, b + 16, 4);
        ip_len = (b[0] & 0x0f) * 4;
        proto = b[9];
    } else if (b[0] >> 4 == 6 && bytes_after(icmp_type, 8, b, 40)) {
        m->quoted_src.family = m->quoted_dst.family = 6;
        memcpy(m->quoted_src.bytes, b + 8, 16);
        memcpy(m->quoted_dst.bytes, b + 24, 16);
        ip_len = 40;
        proto = b[6];
    }
    if (proto == IKD_IPPROTO_UDP && ip_len >= IKD_IPV4_HEADER_MIN && bytes_after(icmp_type, 8 + ip_len, b, 4)) {
        m->quoted_sport = (guint16)(b[0] << 8 | b[1]);
        m->quoted_dport = (guint16)(b[2] << 8 | b[3]);
    }
}

static void
addr_from_pinfo(ikd_addr *a, const address *w)
{
    memset(a, 0, sizeof *a);
    if (w->type == AT_IPv4 && w->len == 4) {
        a->family = 4;
        memcpy(a->bytes, w->data, 4);
    } else if (w->type == AT_IPv6 && w->len == 16) {
        a->family = 6;
        memcpy(a->bytes, w->data, 16);
    }
}

/* Wireshark 4.6: no IP item at the top of the tree (read_outer_header()).
 * pinfo holds the addresses of the last IP header dissected (for an ICMP
 * error, the outer one again: Wireshark restores them after the quote) and
 * the ports of the last UDP header (for an ICMP error, the quoted one). */
static void
outer_from_pinfo(packet_info *pinfo, ikd_msg *m)
{
    addr_from_pinfo(&m->src, &pinfo->src);
    addr_from_pinfo(&m->dst, &pinfo->dst);
    if (m->kind != IKD_MSG_ICMP_ERROR && pinfo->ptype == PT_UDP && !m->sport && !m->dport) {
        m->sport = (guint16)pinfo->srcport;
        m->dport = (guint16)pinfo->destport;
    }
}

/* The protocol of an IP fragment that was not reassembled: read from the
 * IP header item (up to 4.4), or else (4.6, no such item) from what the
 * IPv4 dissector leaves in pinfo for the layers above it: the protocol,
 * keyed by its layer number (packet-ip.c).  An IPv6 fragment on 4.6 stays
 * unknown and counts as UDP: rules_nat.c looks only at fragments between
 * the peers of an IKE SA, right after an IKE message they did not answer. */
static guint
fragment_protocol(packet_info *pinfo, walk_ctx *c)
{
    int layer = 0, ip_layer = 0, ipv6_layer = 0;

    if (c->ip_proto)
        return c->ip_proto;
    for (wmem_list_frame_t *f = wmem_list_head(pinfo->layers); f; f = wmem_list_frame_next(f)) {
        int id = GPOINTER_TO_INT(wmem_list_frame_data(f));
        layer++;
        if (id == proto_ip)
            ip_layer = layer;
        else if (id == proto_ipv6)
            ipv6_layer = layer;
    }
    if (ip_layer > ipv6_layer)
        return GPOINTER_TO_UINT(p_get_proto_data(pinfo->pool, pinfo, proto_ip, ip_layer));
    return ipv6_layer ? IKD_IPPROTO_UDP : 0;
}

gboolean
ikd_extract(packet_info *pinfo, tvbuff_t *frame_tvb, proto_tree *tree, ikd_msg *m)
{
    walk_ctx c;

    ikd_msg_reset(m);
    if (!tree || !key_by_hfid)
        return FALSE;
    memset(&c, 0, sizeof c);
    c.pinfo = pinfo;
    c.m = m;
    c.frame_tvb = frame_tvb;
    m->frame = pinfo->num;
    m->ts_sec = (gint64)pinfo->abs_ts.secs;
    m->ts_nsec = pinfo->abs_ts.nsecs;
    proto_tree_children_foreach(tree, visit, &c);
    if (!m->src.family)
        outer_from_pinfo(pinfo, m);

    if (m->kind == IKD_MSG_IKE) {
        m->udp_encap = m->sport == IKD_PORT_NAT_T || m->dport == IKD_PORT_NAT_T;
        /* Cut by the capture's snapshot length: the ISAKMP dissector may
         * stop without an exception (an encrypted payload it cannot
         * decrypt), so compare what was captured with what was sent. */
        if (m->content_len < m->wire_len)
            m->malformed = 1;
        /* IKEv1: Wireshark shows the payloads of an encrypted message only
         * when it could decrypt it. */
        if (m->version == 1 && m->encrypted)
            m->decrypted = c.v1_has_payload_after_enc;
        if (m->version == 0)
            return FALSE;
    } else if (m->kind == IKD_MSG_ICMP_ERROR) {
        if (m->version == 0 && m->ispi[0] == 0 && m->msgid == 0)
            return FALSE;
        read_quoted_header(c.icmp_item, m);
    } else if (m->kind == IKD_MSG_NONE && m->src.family && ikd_extract_is_ip_fragment(pinfo) &&
               fragment_protocol(pinfo, &c) == IKD_IPPROTO_UDP) {
        m->kind = IKD_MSG_IP_FRAGMENT;      /* the tracker keeps it only between IKE peers */
    }
    return m->kind != IKD_MSG_NONE;
}
