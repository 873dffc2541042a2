/* fuzz-core.c
 * libFuzzer target for the epan-free core: the tracker and every rule.
 *
 * The fuzz input is read as a stream of ikd_msg values (decoder below) that
 * respect what extract.c guarantees about the model -- counts within the
 * IKD_MAX_* caps, each proposal's transforms contiguous and inside the
 * message's transform array, blob lengths within IKD_MAX_BLOB, strings
 * NUL-terminated -- and are otherwise arbitrary: any exchange type, flags,
 * message IDs, SPIs, notify types, retransmissions, fragments, frame
 * numbers that repeat, ESP and ICMP frames for SAs that do or do not exist.
 * SPIs, addresses and content hashes come from small pools, so that
 * messages collide into the same SA, exchange and slot often enough to
 * reach the pairing, retransmission and rule code rather than only ever
 * creating fresh SAs.
 *
 * After the stream, the tracker is finished (as tshark -2 does), more
 * messages may follow (the GUI reopens a finished tracker when a file is
 * still being read), and everything the rendering reads is touched, so
 * that dangling pointers and unterminated strings show under ASan.
 *
 * Built with clang -fsanitize=fuzzer,address,undefined as fuzz-core, and
 * with any compiler as fuzz-core-replay (replay-main.c), which runs saved
 * inputs (the corpus in tests/fuzz/corpus/) without libFuzzer.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <stdint.h>
#include <stddef.h>
#include <string.h>

#include "core/model.h"
#include "core/diagnose.h"
#include "core/names.h"
#include "core/causes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    const uint8_t *p;
    size_t n;
} reader;

static guint8
u8(reader *r)
{
    if (!r->n)
        return 0;
    r->n--;
    return *r->p++;
}

static guint16
u16(reader *r)
{
    guint16 v = u8(r);
    return (guint16)(v << 8 | u8(r));
}

static guint32
u32(reader *r)
{
    guint32 v = u16(r);
    return v << 16 | u16(r);
}

static void
bytes(reader *r, guint8 *dst, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = u8(r);
}

/* A short NUL-terminated string from a few printable characters. */
static void
text(reader *r, char *dst, size_t cap)
{
    static const char alphabet[] = "CN=ab.example, O=Lab@1:";
    size_t len = u8(r) % 12;
    if (len >= cap)
        len = cap - 1;
    for (size_t i = 0; i < len; i++)
        dst[i] = alphabet[u8(r) % (sizeof alphabet - 1)];
    dst[len] = '\0';
}

static void
addr(reader *r, ikd_addr *a)
{
    guint8 sel = u8(r);
    memset(a, 0, sizeof *a);
    switch (sel & 7) {
    case 0: case 1: case 2: case 3:      /* a pool of four IPv4 peers */
        a->family = 4;
        a->bytes[0] = 192; a->bytes[1] = 0; a->bytes[2] = 2; a->bytes[3] = (guint8)(1 + (sel & 3));
        break;
    case 4: case 5:                      /* two IPv6 peers */
        a->family = 6;
        a->bytes[0] = 0x20; a->bytes[1] = 0x01; a->bytes[2] = 0x0d; a->bytes[3] = 0xb8;
        a->bytes[15] = (guint8)(sel & 1);
        break;
    case 6:                              /* anything */
        a->family = (u8(r) & 1) ? 6 : 4;
        bytes(r, a->bytes, 16);
        if (a->family == 4)
            memset(a->bytes + 4, 0, 12);
        break;
    default:                             /* none (family 0) */
        break;
    }
}

static void
spi8(reader *r, guint8 spi[8])
{
    guint8 sel = u8(r);
    memset(spi, 0, 8);
    if ((sel & 7) == 7)
        bytes(r, spi, 8);
    else if (sel & 4)
        spi[7] = (guint8)(1 + (sel & 3));   /* pool of four, 0 excluded */
    /* else zero (an IKEv2 responder SPI before the response, or garbage) */
}

static guint8
exch_type(reader *r)
{
    static const guint8 types[] = {
        IKD_X1_BASE, IKD_X1_MAIN, IKD_X1_AUTH_ONLY, IKD_X1_AGGRESSIVE, IKD_X1_INFORMATIONAL,
        IKD_X1_TRANSACTION, IKD_X1_QUICK, IKD_X1_NEW_GROUP, IKD_X2_IKE_SA_INIT, IKD_X2_IKE_AUTH,
        IKD_X2_CREATE_CHILD_SA, IKD_X2_INFORMATIONAL, IKD_X2_IKE_SESSION_RESUME,
        IKD_X2_IKE_INTERMEDIATE,
    };
    guint8 v = u8(r);
    return v < 0xf0 ? types[v % G_N_ELEMENTS(types)] : u8(r);
}

static guint16
notify_type(reader *r)
{
    static const guint16 types[] = {
        IKD_N_NO_PROPOSAL_CHOSEN, IKD_N_INVALID_KE_PAYLOAD, IKD_N_AUTHENTICATION_FAILED,
        IKD_N_TS_UNACCEPTABLE, IKD_N_INVALID_ID_INFORMATION, IKD_N_INVALID_CERTIFICATE,
        IKD_N_COOKIE, IKD_N_NAT_DETECTION_SOURCE_IP, IKD_N_NAT_DETECTION_DESTINATION_IP,
        IKD_N_INITIAL_CONTACT, IKD_N_REKEY_SA, IKD_N_FRAGMENTATION_SUPPORTED,
        IKD_N_V1_R_U_THERE, IKD_N_V1_R_U_THERE_ACK, IKD_N_INVALID_IKE_SPI,
        IKD_N_INVALID_MAJOR_VERSION, IKD_N_CHILD_SA_NOT_FOUND, IKD_N_TEMPORARY_FAILURE,
        IKD_N_SINGLE_PAIR_REQUIRED, IKD_N_USE_TRANSPORT_MODE, IKD_N_INVALID_CERT_AUTHORITY,
        IKD_N_INVALID_HASH_INFORMATION, IKD_N_PAYLOAD_MALFORMED, IKD_N_V1_RESPONDER_LIFETIME,
    };
    guint8 v = u8(r);
    return v < 0xf0 ? types[v % G_N_ELEMENTS(types)] : u16(r);
}

/* Decodes one message.  Returns FALSE when the input is exhausted. */
static gboolean
next_msg(reader *r, ikd_msg *m, guint32 *frame, gint64 *now)
{
    guint8 head, b;

    if (!r->n)
        return FALSE;
    ikd_msg_init(m);
    head = u8(r);
    switch (head & 7) {
    case 5: m->kind = IKD_MSG_ESP; break;
    case 6: m->kind = IKD_MSG_ICMP_ERROR; break;
    case 7: m->kind = (ikd_msg_kind)(head >> 3 & 7); break;   /* any kind, also later ones */
    default: m->kind = IKD_MSG_IKE; break;
    }
    /* Frame numbers mostly grow; now and then one repeats (a first pass
     * that runs twice over a frame) or jumps. */
    b = u8(r);
    if ((b & 0x0f) == 0x0f)
        *frame += u8(r);
    else if ((b & 0x0f) != 0x0e)
        *frame += 1;
    m->frame = *frame;
    *now += (b >> 4) * (gint64)(1 + (u8(r) & 31));
    m->ts_sec = *now;
    m->ts_nsec = (gint32)(u8(r) * 3906250);

    addr(r, &m->src);
    addr(r, &m->dst);
    b = u8(r);
    m->sport = (b & 3) == 0 ? 500 : (b & 3) == 1 ? 4500 : (b & 3) == 2 ? 1024 + (b >> 2) : u16(r);
    b = u8(r);
    m->dport = (b & 3) == 0 ? 500 : (b & 3) == 1 ? 4500 : (b & 3) == 2 ? 1024 + (b >> 2) : u16(r);
    b = u8(r);
    m->udp_encap = b & 1;
    m->ip_fragmented = b >> 1 & 1;
    m->malformed = b >> 2 & 1;
    m->encrypted = b >> 3 & 1;
    m->decrypted = b >> 4 & 1;

    if (m->kind == IKD_MSG_ESP) {
        m->esp_spi = (u8(r) & 0x80) ? u32(r) : 0xc0000000u | (u8(r) & 3);
        m->esp_seq = u32(r);
        return TRUE;
    }

    b = u8(r);
    m->version = (b & 0x0f) < 7 ? 2 : (b & 0x0f) < 14 ? 1 : (guint8)(b >> 4);
    m->minor_version = (b & 0x40) ? (b >> 4) : 0;
    m->exch_type = exch_type(r);
    m->flags = u8(r);
    spi8(r, m->ispi);
    spi8(r, m->rspi);
    b = u8(r);
    m->msgid = (b & 0x80) ? u32(r) : (guint32)(b & 3);
    m->length = u16(r);
    b = u8(r);
    m->content_hash = (b & 0x80) ? ((guint64)u32(r) << 32 | u32(r)) : (guint64)(b & 7);
    m->content_len = u16(r);
    b = u8(r);
    if (b & 0x80) {
        m->frag_total = (guint16)(1 + (u8(r) & 7));
        m->frag_number = (guint16)(1 + (u8(r) & 7));
    }

    if (m->kind == IKD_MSG_ICMP_ERROR) {
        b = u8(r);
        m->icmp_v6 = b & 1;
        m->icmp_type = u8(r);
        m->icmp_code = u8(r);
        addr(r, &m->quoted_src);
        addr(r, &m->quoted_dst);
        m->quoted_sport = (b & 2) ? 500 : 4500;
        m->quoted_dport = (b & 4) ? 500 : 4500;
        return TRUE;
    }

    b = u8(r);
    m->has_sa = b & 1; m->has_ke = b >> 1 & 1; m->has_nonce = b >> 2 & 1; m->has_auth = b >> 3 & 1;
    m->has_hash = b >> 4 & 1; m->has_sig = b >> 5 & 1; m->has_cert = b >> 6 & 1; m->has_certreq = b >> 7;
    b = u8(r);
    m->has_delete = b & 1; m->has_cp = b >> 1 & 1; m->has_eap = b >> 2 & 1;
    if (m->has_ke) {
        m->ke_group = (b & 0x80) ? u16(r) : (guint16)(u8(r) % 35);
        m->ke_len = u16(r);
    }
    m->auth_method = u8(r);
    m->dropped = u8(r) & 3;

    /* Payload items, in the order extract.c fills them: each item is
     * introduced by a selector byte; 0xff ends the list. */
    for (int items = 0; items < 64 && r->n; items++) {
        guint8 sel = u8(r);
        if (sel == 0xff)
            break;
        switch (sel % 10) {
        case 0:
        case 1: {               /* a proposal and its transforms */
            if (m->n_prop >= IKD_MAX_PROPOSALS)
                break;
            ikd_proposal *p = &IKD_PROP(m)[m->n_prop++];
            p->number = u8(r) & 7;
            p->protocol = u8(r) & 7;
            p->v1_transform_id = u8(r);
            p->auth_method = (u8(r) & 0x80) ? u16(r) : (guint16)(u8(r) & 7);
            p->encap_mode = u8(r) & 7;
            p->spi = u32(r);
            p->lifetime = u32(r);
            p->first_tf = m->n_tf;
            guint8 k = u8(r) % 12;
            for (guint8 i = 0; i < k && m->n_tf < IKD_MAX_TRANSFORMS; i++) {
                ikd_transform *t = &IKD_TF(m)[m->n_tf++];
                guint8 tb = u8(r);
                t->type = (tb & 7) <= 5 ? (guint8)(tb & 7) : u8(r);
                t->id = (tb & 0x80) ? u16(r) : (guint16)(u8(r) % 36);
                t->key_len = (tb & 0x40) ? u16(r) : (guint16)((tb >> 3 & 3) * 128);
                p->n_tf++;
            }
            break;
        }
        case 2: {
            if (m->n_notify >= IKD_MAX_NOTIFIES)
                break;
            ikd_notify *n = &IKD_NOTIFY(m)[m->n_notify++];
            n->type = notify_type(r);
            n->protocol = u8(r) & 3;
            n->spi_len = u8(r) % 17;
            bytes(r, n->spi, n->spi_len);
            n->data_len = (u8(r) & 0x80) ? u16(r) : (guint16)(u8(r) % 9);
            bytes(r, n->data, MIN(n->data_len, IKD_MAX_BLOB));
            break;
        }
        case 3: {
            if (m->n_ts >= IKD_MAX_TS)
                break;
            ikd_ts *ts = &IKD_TS(m)[m->n_ts++];
            ts->initiator_side = u8(r) & 1;
            ts->ip_proto = u8(r);
            ts->start_port = u16(r);
            ts->end_port = u16(r);
            addr(r, &ts->start);
            addr(r, &ts->end);
            break;
        }
        case 4: {
            if (m->n_id >= IKD_MAX_IDS)
                break;
            ikd_ident *id = &IKD_ID(m)[m->n_id++];
            id->initiator_side = u8(r) & 1;
            id->type = u8(r) % 12;
            text(r, id->text, sizeof id->text);
            break;
        }
        case 5: {
            ikd_blob *bl;
            if (sel & 0x10) {
                if (m->n_vid >= IKD_MAX_VIDS)
                    break;
                bl = &IKD_VID(m)[m->n_vid++];
            } else {
                if (m->n_natd >= IKD_MAX_NATD)
                    break;
                bl = &IKD_NATD(m)[m->n_natd++];
            }
            bl->len = u8(r) % (IKD_MAX_BLOB + 1);
            bytes(r, bl->data, bl->len > 4 ? 4 : bl->len);   /* rest stays 0 */
            break;
        }
        case 6: {
            if (m->n_cert >= IKD_MAX_CERTS)
                break;
            ikd_cert *c = &IKD_CERT(m)[m->n_cert++];
            c->encoding = u8(r);
            c->not_before = (gint64)(gint32)u32(r);
            c->not_after = (gint64)(gint32)u32(r);
            text(r, c->subject, sizeof c->subject);
            text(r, c->issuer, sizeof c->issuer);
            c->has_spki = u8(r) & 1;
            c->spki_sha1[0] = u8(r) & 3;
            c->aki_len = u8(r) % 21;
            c->aki[0] = u8(r) & 3;
            text(r, c->alt_names, sizeof c->alt_names);
            break;
        }
        case 7: {
            if (m->n_certreq >= IKD_MAX_CERTREQ)
                break;
            ikd_certreq *q = &IKD_CERTREQ(m)[m->n_certreq++];
            q->cert_type = u8(r);
            q->hash_len = (u8(r) & 1) ? 20 : 0;
            q->hash[0] = u8(r) & 3;
            text(r, q->dn, sizeof q->dn);
            break;
        }
        case 8: {
            if (m->n_delete >= IKD_MAX_DELETES)
                break;
            ikd_delete *d = &m->del[m->n_delete++];
            d->protocol = u8(r) & 3;
            d->spi_len = u8(r) % 17;
            d->n_spi = u16(r);
            bytes(r, d->first_spi, d->spi_len);
            break;
        }
        default:
            m->dropped++;
            break;
        }
    }
    return TRUE;
}

static volatile size_t sink;

static void
touch(const char *s)
{
    if (s)
        sink += strlen(s);
}

/* Reads everything the rendering (packet-ikediag.c) and the statistics
 * (stats.c) read. */
static void
touch_all(ikd_diag *t, guint32 last_frame)
{
    char buf[64];

    for (guint32 f = 0; f <= last_frame; f++) {
        const ikd_frame_info *fi = ikd_diag_lookup(t, f);
        if (!fi)
            continue;
        touch(fi->state);
        sink += fi->retransmission_of + fi->icmp_for + fi->role;
        if (fi->sa) {
            touch(fi->sa->state);
            touch(ikd_outcome_name(fi->sa->outcome));
            sink += fi->sa->number;
        }
        if (fi->exchange) {
            const ikd_exchange *ex = fi->exchange;
            touch(ikd_exchange_name(ex->version, ex->exch_type));
            sink += ex->request.frame + ex->response.frame + ex->final.frame + ex->diagnosed_in;
            if (ex->request.msg)
                sink += ex->request.msg->ts_sec;
            if (ex->response.msg)
                sink += ex->response.msg->encrypted;
            if (ex->diagnosed_in)
                touch(ikd_cause_get(ex->diagnosed_cause)->keyword);
        }
        for (const ikd_finding *fd = fi->findings; fd; fd = fd->next_on_frame) {
            const ikd_cause_info *ci = ikd_cause_get(fd->cause);
            touch(ci->keyword);
            touch(ci->title);
            touch(fd->message);
            touch(fd->offered);
            touch(fd->chosen);
            touch(fd->mismatch);
            touch(fd->hint);
            for (guint i = 0; i < fd->n_evidence; i++)
                sink += fd->evidence[i];
        }
    }
    for (ikd_sa *sa = ikd_tracker_sas(ikd_diag_tracker(t)); sa; sa = sa->next) {
        for (guint32 i = 0; i < sa->n_findings; i++)
            touch(sa->findings[i]->message);
        sink += ikd_addr_to_str(&sa->init_addr, buf, sizeof buf)[0];
    }
    sink += ikd_diag_memory(t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    reader r = { data, size };
    ikd_config cfg;
    ikd_diag *t;
    ikd_msg *m = g_new(ikd_msg, 1);
    guint32 frame = 0;
    gint64 now = 1700000000;
    guint8 opts = u8(&r);

    ikd_config_defaults(&cfg);
    cfg.no_response_retransmits = opts & 7;
    cfg.weak_crypto = (opts & 8) == 0;
    if (opts & 0x10)
        cfg.now_override_sec = 1700000000 + (gint64)(opts >> 5) * 86400 * 365;
    t = ikd_diag_new(&cfg);

    /* A 0xfe message head finishes the tracker there (tshark -2 at the end
     * of the first pass; the GUI while a file is still loading); what
     * follows reopens it. */
    for (int n = 0; n < 4096; n++) {
        if (r.n && r.p[0] == 0xfe) {
            r.p++, r.n--;
            ikd_diag_finish(t);
            touch_all(t, frame);
            continue;
        }
        if (!next_msg(&r, m, &frame, &now))
            break;
        const ikd_frame_info *fi = ikd_diag_add(t, m);
        if (fi)
            touch(fi->state);
    }
    ikd_diag_finish(t);
    touch_all(t, frame);
    ikd_diag_finish(t);          /* idempotent */
    ikd_diag_free(t);
    g_free(m);
    return 0;
}
