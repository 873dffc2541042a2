/* tracker.c
 * IKE SA and exchange tables.
 *
 * An IKE SA is found by the initiator's SPI (IKEv1: initiator cookie), the
 * one value every message of the SA carries from the first packet on, even
 * the responder's refusals (whose responder SPI may be 0).  Exchanges are
 * found by (SA, message ID, who asked).  IKEv1 phase 1 uses message ID 0 for
 * all of Main/Aggressive Mode, so its request/response pairs are told apart
 * by order.  A retransmission is a message whose bytes equal an earlier one
 * of the same exchange and sender: RFC 7296 2.1 and RFC 2408 require
 * retransmitting the identical message, and a retried IKE_SA_INIT (after
 * INVALID_KE_PAYLOAD or COOKIE) differs, so the content hash separates the
 * two cases that share a message ID.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include "arena.h"
#include "tracker.h"
#include "names.h"

/* Frame number -> ikd_frame_info, for every frame the tracker keeps.  A
 * hash table cost ~100 B a frame (entry, malloc header, growth); a first
 * pass adds frames in order, so their numbers make a sorted array that a
 * binary search reads, and their infos sit in chunks beside it. */
#define IKD_FRAME_CHUNK 1024
typedef struct ikd_frame_index {
    GArray     *order;              /* guint32 frame numbers, ascending */
    GPtrArray  *infos;              /* chunks of IKD_FRAME_CHUNK ikd_frame_info */
    GHashTable *late;               /* frames that came out of order; NULL if none */
} ikd_frame_index;

struct ikd_tracker {
    ikd_config   cfg;
    GHashTable  *sa_by_spi;         /* guint64 ispi -> ikd_sa */
    GHashTable  *exchange_by_key;   /* guint64 key -> ikd_exchange */
    ikd_frame_index frames;         /* frame number -> ikd_frame_info */
    GHashTable  *sa_by_peers;       /* peer pair -> latest ikd_sa (ESP, ICMP) */
    GHashTable  *esp_flows;         /* peer pair -> ikd_esp_flow, ESP without IKE SA */
    GHashTable  *esp_spi_first;     /* hash of (peer pair, ESP SPI) -> first frame: ESP on
                                       an SPI new since an SA's authentication proves it */
    GHashTable  *sas_by_addr;       /* endpoint address -> GPtrArray of ikd_sa (rules
                                       that compare a peer's SAs; bench: no scan of
                                       every SA per failure) */
    ikd_arena   *arena;             /* frame infos, exchanges, digests */
    ikd_sa      *sas, *last_sa;
    guint32      n_sas;
    gpointer     family_state[IKD_FAMILY_SLOTS];
    GDestroyNotify family_destroy[IKD_FAMILY_SLOTS];
    gsize        bytes;
};

void
ikd_config_defaults(ikd_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    /* strongSwan retransmits 5 times, libreswan and Cisco about as often;
     * three unanswered retransmissions rule out an occasional lost packet. */
    cfg->no_response_retransmits = 3;
    cfg->weak_crypto = TRUE;
    /* As many one-way ESP packets as requests before no-response: four
     * packets without a single one back rule out an occasional loss (and a
     * default ping's first four echo requests show it). */
    cfg->esp_one_way_packets = 4;
    /* Every tunnel ends with a Delete: the sa-deleted note is off by
     * default, so a healthy capture stays free of findings. */
    cfg->report_deletes = FALSE;
}

static void
free_sa(ikd_sa *sa)
{
    for (guint i = 0; i < IKD_FAMILY_SLOTS; i++)
        g_free(sa->family_state[i]);
    g_free(sa->findings);
}

/* g_int64_hash() folds the halves (low ^ high): exchange keys (SA number
 * << 33 | message ID << 1 | side) then share a hash whenever SA ^ message
 * ID agree, so every SA with a few exchanges lengthens the chains of all
 * others (a quarter of tshark's time on 50k IKE packets; docs/performance.md).
 * A multiplicative mix spreads them. */
static guint
u64_hash(gconstpointer p)
{
    guint64 v = *(const guint64 *)p * G_GUINT64_CONSTANT(0x9E3779B97F4A7C15);
    return (guint)(v >> 32);
}

/* Keys of sas_by_addr: an ikd_addr with the bytes ikd_addr_equal() does not
 * compare zeroed, so that memcmp agrees with it. */
static void
addr_key(ikd_addr *k, const ikd_addr *a)
{
    memset(k, 0, sizeof *k);
    k->family = a->family;
    memcpy(k->bytes, a->bytes, a->family == 6 ? 16 : 4);
}

static guint
addr_key_hash(gconstpointer p)
{
    return (guint)ikd_hash_bytes(IKD_HASH_SEED, p, sizeof(ikd_addr));
}

static gboolean
addr_key_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, sizeof(ikd_addr)) == 0;
}

typedef struct {
    ikd_addr lo, hi;
} ikd_peers_key;

/* sa_by_peers' values, which hold their own keys. */
typedef struct {
    ikd_peers_key key;
    ikd_sa *sa;
} ikd_latest_sa;

static guint
peers_key_hash(gconstpointer p)
{
    return (guint)ikd_hash_bytes(IKD_HASH_SEED, p, sizeof(ikd_peers_key));
}

static gboolean
peers_key_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, sizeof(ikd_peers_key)) == 0;
}

ikd_tracker *
ikd_tracker_new(const ikd_config *cfg)
{
    ikd_tracker *t = g_new0(ikd_tracker, 1);

    if (cfg)
        t->cfg = *cfg;
    else
        ikd_config_defaults(&t->cfg);
    t->sa_by_spi = g_hash_table_new(u64_hash, g_int64_equal);
    t->exchange_by_key = g_hash_table_new(u64_hash, g_int64_equal);
    t->frames.order = g_array_new(FALSE, FALSE, sizeof(guint32));
    t->frames.infos = g_ptr_array_new_with_free_func(g_free);
    t->sa_by_peers = g_hash_table_new_full(peers_key_hash, peers_key_equal, NULL, g_free);
    t->esp_flows = g_hash_table_new_full(peers_key_hash, peers_key_equal, g_free, g_free);
    t->esp_spi_first = g_hash_table_new_full(u64_hash, g_int64_equal, g_free, NULL);
    t->sas_by_addr = g_hash_table_new_full(addr_key_hash, addr_key_equal, g_free,
                                           (GDestroyNotify)g_ptr_array_unref);
    t->arena = ikd_arena_new();
    return t;
}

void
ikd_tracker_free(ikd_tracker *t)
{
    if (!t)
        return;
    g_hash_table_destroy(t->sa_by_spi);
    g_hash_table_destroy(t->exchange_by_key);
    g_array_free(t->frames.order, TRUE);
    g_ptr_array_free(t->frames.infos, TRUE);
    if (t->frames.late)
        g_hash_table_destroy(t->frames.late);
    g_hash_table_destroy(t->sa_by_peers);
    g_hash_table_destroy(t->esp_flows);
    g_hash_table_destroy(t->esp_spi_first);
    g_hash_table_destroy(t->sas_by_addr);
    for (guint i = 0; i < IKD_FAMILY_SLOTS; i++) {
        if (t->family_state[i] && t->family_destroy[i])
            t->family_destroy[i](t->family_state[i]);
    }
    for (ikd_sa *sa = t->sas; sa; sa = sa->next)
        free_sa(sa);
    ikd_arena_free(t->arena);
    g_free(t);
}

const ikd_config *ikd_tracker_config(const ikd_tracker *t) { return &t->cfg; }
ikd_sa *ikd_tracker_sas(ikd_tracker *t) { return t->sas; }
guint32 ikd_tracker_sa_count(const ikd_tracker *t) { return t->n_sas; }
gsize ikd_tracker_memory(const ikd_tracker *t) { return t->bytes; }

const GPtrArray *
ikd_tracker_sas_at(ikd_tracker *t, const ikd_addr *addr)
{
    ikd_addr k;
    addr_key(&k, addr);
    return g_hash_table_lookup(t->sas_by_addr, &k);
}

static void
index_sa_at(ikd_tracker *t, ikd_sa *sa, const ikd_addr *addr)
{
    ikd_addr k;
    GPtrArray *a;

    addr_key(&k, addr);
    a = g_hash_table_lookup(t->sas_by_addr, &k);
    if (!a) {
        a = g_ptr_array_new();
        g_hash_table_insert(t->sas_by_addr, g_memdup2(&k, sizeof k), a);
        t->bytes += sizeof k + 64;
    }
    g_ptr_array_add(a, sa);
    t->bytes += sizeof(gpointer);
}

const char *
ikd_outcome_name(ikd_outcome o)
{
    switch (o) {
    case IKD_OUTCOME_ESTABLISHED: return "established";
    case IKD_OUTCOME_FAILED: return "failed";
    case IKD_OUTCOME_CHILD_FAILED: return "child-failed";
    case IKD_OUTCOME_ENCRYPTED: return "unknown (encrypted)";
    case IKD_OUTCOME_INCOMPLETE:
    default: return "incomplete";
    }
}

/* ------------------------------------------------------------ helpers */

static guint64
spi_key(const guint8 spi[8])
{
    guint64 k = 0;
    for (int i = 0; i < 8; i++)
        k = (k << 8) | spi[i];
    return k;
}

static gboolean
spi_is_zero(const guint8 spi[8])
{
    static const guint8 zero[8];
    return memcmp(spi, zero, 8) == 0;
}

/* Peer pair key, independent of direction: built on the stack for a
 * lookup, copied to the heap only when a new pair is inserted. */
static void
peers_key(ikd_peers_key *k, const ikd_addr *a, const ikd_addr *b)
{
    if (memcmp(a, b, sizeof *a) > 0) {
        const ikd_addr *x = a;
        a = b;
        b = x;
    }
    k->lo = *a;
    k->hi = *b;
}

/* Copies 'len' bytes from *data to p, points *data at the copy and returns
 * the byte after it. */
static guint8 *
keep_bytes(guint8 **data, gsize len, guint8 *p)
{
    memcpy(p, *data, len);
    *data = p;
    return p + len;
}

static ikd_digest *
make_digest(ikd_tracker *t, const ikd_msg *m)
{
    /* The arrays share one block; each starts on an 8-byte boundary, since
     * ikd_cert holds gint64s and the arrays before it have odd sizes
     * (found by tests/fuzz: UBSan "misaligned address" in rules_auth.c). */
#define IKD_ALIGN8(n) (((n) + 7) & ~(gsize)7)
#define IKD_NOTIFY_KEPT(n) MIN((gsize)(n)->data_len, (gsize)IKD_MAX_BLOB)
#define IKD_BLOB_KEPT(b) MIN((gsize)(b)->len, (gsize)IKD_MAX_BLOB)
    gsize sz = IKD_ALIGN8(sizeof(ikd_digest))
        + IKD_ALIGN8(m->n_prop * sizeof(ikd_proposal)) + IKD_ALIGN8(m->n_tf * sizeof(ikd_transform))
        + IKD_ALIGN8(m->n_notify * sizeof(ikd_notify)) + IKD_ALIGN8(m->n_ts * sizeof(ikd_ts))
        + IKD_ALIGN8(m->n_id * sizeof(ikd_ident)) + IKD_ALIGN8(m->n_natd * sizeof(ikd_blob))
        + IKD_ALIGN8(m->n_vid * sizeof(ikd_blob)) + IKD_ALIGN8(m->n_cert * sizeof(ikd_cert))
        + IKD_ALIGN8(m->n_certreq * sizeof(ikd_certreq));
    gsize data_sz = 0;
    guint8 *block;

    /* then the notify, NAT-D and VID bytes, each as long as it is */
    for (guint i = 0; i < m->n_notify; i++)
        data_sz += IKD_NOTIFY_KEPT(&IKD_NOTIFY(m)[i]);
    for (guint i = 0; i < m->n_natd; i++)
        data_sz += IKD_BLOB_KEPT(&IKD_NATD(m)[i]);
    for (guint i = 0; i < m->n_vid; i++)
        data_sz += IKD_BLOB_KEPT(&IKD_VID(m)[i]);
    sz += data_sz;
    block = ikd_arena_alloc0(t->arena, sz);
    ikd_digest *d = (ikd_digest *)block;
    guint8 *p = block + IKD_ALIGN8(sizeof(ikd_digest));

#define IKD_COPY_ARRAY(off, arr, n, type) \
    do { d->off = (guint16)(p - block); memcpy(p, arr(m), (n) * sizeof(type)); \
         p += IKD_ALIGN8((n) * sizeof(type)); } while (0)

    *d = m->digest;
    IKD_COPY_ARRAY(off_prop, IKD_PROP, m->n_prop, ikd_proposal);
    IKD_COPY_ARRAY(off_tf, IKD_TF, m->n_tf, ikd_transform);
    IKD_COPY_ARRAY(off_notify, IKD_NOTIFY, m->n_notify, ikd_notify);
    IKD_COPY_ARRAY(off_ts, IKD_TS, m->n_ts, ikd_ts);
    IKD_COPY_ARRAY(off_id, IKD_ID, m->n_id, ikd_ident);
    IKD_COPY_ARRAY(off_natd, IKD_NATD, m->n_natd, ikd_blob);
    IKD_COPY_ARRAY(off_vid, IKD_VID, m->n_vid, ikd_blob);
    IKD_COPY_ARRAY(off_cert, IKD_CERT, m->n_cert, ikd_cert);
    IKD_COPY_ARRAY(off_certreq, IKD_CERTREQ, m->n_certreq, ikd_certreq);
    /* the copied entries still point into the message: move their bytes */
    for (guint i = 0; i < m->n_notify; i++)
        p = keep_bytes(&IKD_NOTIFY(d)[i].data, IKD_NOTIFY_KEPT(&IKD_NOTIFY(m)[i]), p);
    for (guint i = 0; i < m->n_natd; i++)
        p = keep_bytes(&IKD_NATD(d)[i].data, IKD_BLOB_KEPT(&IKD_NATD(m)[i]), p);
    for (guint i = 0; i < m->n_vid; i++)
        p = keep_bytes(&IKD_VID(d)[i].data, IKD_BLOB_KEPT(&IKD_VID(m)[i]), p);
#undef IKD_COPY_ARRAY
#undef IKD_BLOB_KEPT
#undef IKD_NOTIFY_KEPT
#undef IKD_ALIGN8

    t->bytes += sz;
    return d;
}

static ikd_frame_info *
new_frame_info(ikd_tracker *t, const ikd_msg *m)
{
    ikd_frame_index *ix = &t->frames;
    ikd_frame_info *fi;
    guint n = ix->order->len;

    if (n == 0 || m->frame > g_array_index(ix->order, guint32, n - 1)) {
        /* A first pass goes in frame order: append. */
        if (n % IKD_FRAME_CHUNK == 0)
            g_ptr_array_add(ix->infos, g_new0(ikd_frame_info, IKD_FRAME_CHUNK));
        fi = (ikd_frame_info *)g_ptr_array_index(ix->infos, n / IKD_FRAME_CHUNK) + n % IKD_FRAME_CHUNK;
        g_array_append_val(ix->order, m->frame);
        t->bytes += sizeof *fi + sizeof(guint32);
    } else {
        /* Frames out of order (the core's tests and fuzzers feed them so):
         * a table beside the ordered run.  ikd_tracker_add() is called
         * only for frames not looked up before, so no frame is in both. */
        if (!ix->late)
            ix->late = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, NULL);
        fi = ikd_arena_new0(t->arena, ikd_frame_info);
        g_hash_table_insert(ix->late, GUINT_TO_POINTER(m->frame), fi);
        t->bytes += sizeof *fi + 32;
    }
    fi->frame = m->frame;
    fi->malformed = m->malformed;
    return fi;
}

ikd_frame_info *
ikd_tracker_lookup(ikd_tracker *t, guint32 frame)
{
    ikd_frame_index *ix = &t->frames;
    const guint32 *order = (const guint32 *)(void *)ix->order->data;
    guint lo = 0, hi = ix->order->len;

    if (hi && frame <= order[hi - 1]) {
        while (lo < hi) {
            guint mid = lo + (hi - lo) / 2;
            if (order[mid] < frame)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (order[lo] == frame)
            return (ikd_frame_info *)g_ptr_array_index(ix->infos, lo / IKD_FRAME_CHUNK) + lo % IKD_FRAME_CHUNK;
    }
    return ix->late ? g_hash_table_lookup(ix->late, GUINT_TO_POINTER(frame)) : NULL;
}

/* ------------------------------------------------------------ family state */

gpointer
ikd_sa_family_state(ikd_sa *sa, guint slot, gsize size)
{
    g_return_val_if_fail(slot < IKD_FAMILY_SLOTS, NULL);
    if (!sa->family_state[slot])
        sa->family_state[slot] = g_malloc0(size);
    return sa->family_state[slot];
}

gpointer
ikd_tracker_family_state(ikd_tracker *t, guint slot, gpointer (*create)(void), GDestroyNotify destroy)
{
    g_return_val_if_fail(slot < IKD_FAMILY_SLOTS, NULL);
    if (!t->family_state[slot]) {
        t->family_state[slot] = create();
        t->family_destroy[slot] = destroy;
    }
    return t->family_state[slot];
}

void
ikd_tracker_account(ikd_tracker *t, gsize bytes)
{
    t->bytes += bytes;
}

/* ------------------------------------------------------------ SAs */

static ikd_sa *
new_sa(ikd_tracker *t, const ikd_msg *m, gboolean v2_sender_init)
{
    ikd_sa *sa = ikd_arena_new0(t->arena, ikd_sa);
    gboolean sender_is_initiator;

    sa->number = ++t->n_sas;
    sa->version = m->version;
    memcpy(sa->ispi, m->ispi, 8);
    if (!spi_is_zero(m->rspi)) {
        memcpy(sa->rspi, m->rspi, 8);
        sa->have_rspi = TRUE;
    }
    if (m->version >= 2) {
        sender_is_initiator = v2_sender_init;
        sa->initiator_known = TRUE;
    } else {
        /* IKEv1 has no initiator flag; a message without a responder
         * cookie can only come from the initiator.  Otherwise the capture
         * began mid-SA and the first sender is the best guess. */
        sender_is_initiator = TRUE;
        sa->initiator_known = spi_is_zero(m->rspi);
    }
    if (sender_is_initiator) {
        sa->init_addr = m->src; sa->init_port = m->sport;
        sa->resp_addr = m->dst; sa->resp_port = m->dport;
    } else {
        sa->init_addr = m->dst; sa->init_port = m->dport;
        sa->resp_addr = m->src; sa->resp_port = m->sport;
    }
    sa->first_frame = m->frame;
    sa->state = "";
    sa->outcome = IKD_OUTCOME_INCOMPLETE;

    if (t->last_sa)
        t->last_sa->next = sa;
    else
        t->sas = sa;
    t->last_sa = sa;
    index_sa_at(t, sa, &sa->init_addr);
    if (!ikd_addr_equal(&sa->init_addr, &sa->resp_addr))
        index_sa_at(t, sa, &sa->resp_addr);
    t->bytes += sizeof *sa + 64;
    return sa;
}

static ikd_sa *
find_or_create_sa(ikd_tracker *t, const ikd_msg *m, gboolean v2_sender_init)
{
    guint64 k = spi_key(m->ispi);
    ikd_sa *sa = g_hash_table_lookup(t->sa_by_spi, &k);
    ikd_peers_key pk;
    ikd_latest_sa *latest;

    if (!sa) {
        sa = new_sa(t, m, v2_sender_init);
        /* The table's key lives in the SA. */
        sa->spi_key = k;
        g_hash_table_insert(t->sa_by_spi, &sa->spi_key, sa);
    }
    if (!sa->have_rspi && !spi_is_zero(m->rspi)) {
        memcpy(sa->rspi, m->rspi, 8);
        sa->have_rspi = TRUE;
    }
    /* The latest SA between the two hosts (sa_between()). */
    peers_key(&pk, &m->src, &m->dst);
    latest = g_hash_table_lookup(t->sa_by_peers, &pk);
    if (!latest) {
        latest = g_new(ikd_latest_sa, 1);
        latest->key = pk;
        g_hash_table_insert(t->sa_by_peers, &latest->key, latest);
        t->bytes += sizeof *latest + 32;
    }
    latest->sa = sa;
    return sa;
}

static gboolean
from_initiator(const ikd_sa *sa, const ikd_msg *m)
{
    if (m->version >= 2)
        return (m->flags & IKD_FLAG_V2_I) != 0;
    if (!ikd_addr_equal(&sa->init_addr, &sa->resp_addr))
        return ikd_addr_equal(&m->src, &sa->init_addr);
    return m->sport == sa->init_port;
}

/* ------------------------------------------------------------ exchanges */

static guint64
exchange_key(guint32 sa_number, guint32 msgid, gboolean from_init)
{
    return ((guint64)sa_number << 33) | ((guint64)msgid << 1) | (from_init ? 1 : 0);
}

static ikd_exchange *
new_exchange(ikd_tracker *t, ikd_sa *sa, const ikd_msg *m, gboolean requester_is_init,
             gboolean index_it)
{
    ikd_exchange *ex = ikd_arena_new0(t->arena, ikd_exchange);

    ex->sa = sa;
    ex->number = ++sa->n_exchanges;
    ex->version = m->version;
    ex->exch_type = m->exch_type;
    ex->msgid = m->msgid;
    ex->from_initiator = requester_is_init;
    if (sa->last_exchange)
        sa->last_exchange->next_in_sa = ex;
    else
        sa->exchanges = ex;
    sa->last_exchange = ex;
    t->bytes += sizeof *ex;
    if (index_it) {
        /* The table's key lives in the exchange; a newer attempt under the
         * same key takes the entry over. */
        ex->key = exchange_key(sa->number, m->msgid, requester_is_init);
        g_hash_table_replace(t->exchange_by_key, &ex->key, ex);
    }
    return ex;
}

static ikd_exchange *
lookup_exchange(ikd_tracker *t, const ikd_sa *sa, guint32 msgid, gboolean requester_is_init)
{
    guint64 k = exchange_key(sa->number, msgid, requester_is_init);
    return g_hash_table_lookup(t->exchange_by_key, &k);
}

/* Puts a message into a slot; returns the frame it repeats, or 0. */
static guint32
fill_slot(ikd_tracker *t, ikd_slot *s, const ikd_msg *m, ikd_digest **digest_out)
{
    if (s->frame && s->hash == m->content_hash) {
        s->n_sent++;
        s->last_frame = m->frame;
        *digest_out = s->msg;
        return s->frame;
    }
    s->frame = s->last_frame = m->frame;
    s->n_sent = 1;
    s->hash = m->content_hash;
    s->msg = make_digest(t, m);
    *digest_out = s->msg;
    return 0;
}

static gboolean
slot_matches(const ikd_slot *s, const ikd_msg *m)
{
    if (!s->frame)
        return FALSE;
    if (s->hash == m->content_hash)
        return TRUE;
    for (guint i = 0; s->frags && i < s->frags->n; i++) {
        if (s->frags->hash[i] == m->content_hash)
            return TRUE;
    }
    return FALSE;
}

/* A later fragment of the message in slot s (RFC 7383): not a new message.
 * Returns the frame it repeats when it is a retransmitted fragment. */
static guint32
add_fragment(ikd_tracker *t, ikd_slot *s, const ikd_msg *m, ikd_digest **digest_out)
{
    ikd_slot_frags *fr = s->frags;

    for (guint i = 0; fr && i < fr->n; i++) {
        if (fr->hash[i] == m->content_hash) {
            s->last_frame = m->frame;
            *digest_out = s->msg;
            return fr->frame[i];
        }
    }
    if (!fr) {
        fr = s->frags = ikd_arena_new0(t->arena, ikd_slot_frags);
        t->bytes += sizeof *fr;
    }
    if (fr->n < IKD_MAX_FRAGMENTS) {
        fr->hash[fr->n] = m->content_hash;
        fr->frame[fr->n] = m->frame;
        fr->n++;
    }
    s->last_frame = m->frame;
    /* The fragment that completed the reassembly carries the payloads. */
    if (m->n_prop || m->n_notify || m->n_ts || m->n_id || m->decrypted || m->has_auth)
        s->msg = make_digest(t, m);
    *digest_out = s->msg;
    return 0;
}

static gboolean
is_later_fragment(const ikd_msg *m)
{
    return m->frag_total > 1 && m->frag_number > 1;
}

/* RFC 7296 3.1: the flag bits other than I, V and R MUST be cleared.  A
 * header with any of them set is corrupt or crafted, and its I and R bits
 * tell nothing (nDPI's ipsec_isakmp_esp.pcap: an IKE_SA_INIT request with
 * flags 0xff, "Initiator, Response"). */
static gboolean
v2_flags_sane(guint8 flags)
{
    return (flags & ~(IKD_FLAG_V2_I | IKD_FLAG_V2_V | IKD_FLAG_V2_R)) == 0;
}

/* Who sent an IKEv2 message (the IKE SA's initiator or responder) and
 * whether it answers a request: from the SPIs and the tracker's state as
 * well as the flags.  An IKE_SA_INIT with an SA payload and a zero
 * responder SPI is the initiator's request whatever the flags say (3.1:
 * the responder's answer carries its SPI, or refusing with COOKIE,
 * INVALID_KE_PAYLOAD or NO_PROPOSAL_CHOSEN only a notify).  When the flags
 * are corrupt, those two kinds of IKE_SA_INIT answers are responses, and
 * in other exchanges the sender follows from its address in the SA and the
 * role from the exchanges open: a message answers a request of the other
 * side still unanswered under its message ID, and the first message of a
 * new SA is a request. */
static void
v2_roles(ikd_tracker *t, const ikd_sa *sa, const ikd_msg *m, gboolean *sender_init, gboolean *is_response)
{
    *sender_init = (m->flags & IKD_FLAG_V2_I) != 0;
    *is_response = (m->flags & IKD_FLAG_V2_R) != 0;
    if (m->exch_type == IKD_X2_IKE_SA_INIT && m->has_sa && spi_is_zero(m->rspi)) {
        *sender_init = TRUE;
        *is_response = FALSE;
        return;
    }
    if (v2_flags_sane(m->flags))
        return;
    if (m->exch_type == IKD_X2_IKE_SA_INIT && (!spi_is_zero(m->rspi) || (!m->has_sa && m->n_notify))) {
        *sender_init = FALSE;
        *is_response = TRUE;
        return;
    }
    if (!sa) {
        *sender_init = TRUE;
        *is_response = FALSE;
        return;
    }
    if (!ikd_addr_equal(&sa->init_addr, &sa->resp_addr))
        *sender_init = ikd_addr_equal(&m->src, &sa->init_addr);
    else
        *sender_init = m->sport == sa->init_port;
    const ikd_exchange *open = lookup_exchange(t, sa, m->msgid, !*sender_init);
    *is_response = open && open->exch_type == m->exch_type && open->request.frame && !open->response.frame;
}

/* IKEv2: every exchange is one request and one response (RFC 7296 1.2).
 * An exchange is of one type: a message of another type under the same
 * message ID and side (a responder's INFORMATIONAL of message ID 0 after
 * the initiator's IKE_SA_INIT) is another exchange.  A response never
 * precedes its request: a request that comes after an answer with no
 * request before it (the capture missed that request, or merged captures
 * put frames out of order) starts an exchange of its own. */
static ikd_exchange *
place_v2(ikd_tracker *t, ikd_sa *sa, const ikd_msg *m, ikd_frame_info *fi, ikd_digest **d,
         gboolean sender_init, gboolean is_response)
{
    gboolean requester_init = is_response ? !sender_init : sender_init;
    ikd_exchange *ex = lookup_exchange(t, sa, m->msgid, requester_init);

    if (ex && ex->exch_type != m->exch_type)
        ex = NULL;
    if (!is_response) {
        if (ex && !ex->request.frame && ex->response.frame)
            ex = NULL;
        fi->role = IKD_ROLE_REQUEST;
        if (ex && ex->request.frame && is_later_fragment(m) && !slot_matches(&ex->request, m)) {
            fi->retransmission_of = add_fragment(t, &ex->request, m, d);
            return ex;
        }
        /* A request with new content under a known message ID is a new
         * attempt (IKE_SA_INIT after INVALID_KE_PAYLOAD or COOKIE). */
        if (!ex || (ex->request.frame && !slot_matches(&ex->request, m)))
            ex = new_exchange(t, sa, m, requester_init, TRUE);
        if (slot_matches(&ex->request, m) && ex->request.hash != m->content_hash)
            fi->retransmission_of = add_fragment(t, &ex->request, m, d);
        else
            fi->retransmission_of = fill_slot(t, &ex->request, m, d);
    } else {
        if (!ex)
            ex = new_exchange(t, sa, m, requester_init, TRUE);
        fi->role = IKD_ROLE_RESPONSE;
        if (ex->response.frame && (is_later_fragment(m) || slot_matches(&ex->response, m)) &&
            ex->response.hash != m->content_hash)
            fi->retransmission_of = add_fragment(t, &ex->response, m, d);
        else
            fi->retransmission_of = fill_slot(t, &ex->response, m, d);
    }
    return ex;
}

/* IKEv1 phase 1: message ID 0 throughout; pairs follow one another. */
static ikd_exchange *
place_v1_phase1(ikd_tracker *t, ikd_sa *sa, const ikd_msg *m, ikd_frame_info *fi,
                ikd_digest **d, gboolean sender_init)
{
    ikd_exchange *ex;

    /* A repeat of any earlier phase 1 message of this sender? */
    for (ex = sa->exchanges; ex; ex = ex->next_in_sa) {
        if (!ex->phase1_step)
            continue;
        ikd_slot *s = sender_init ? &ex->request : &ex->response;
        if (slot_matches(s, m)) {
            fi->role = sender_init ? IKD_ROLE_REQUEST : IKD_ROLE_RESPONSE;
            fi->retransmission_of = fill_slot(t, s, m, d);
            break;
        }
        if (sender_init && slot_matches(&ex->final, m)) {
            fi->role = IKD_ROLE_FINAL;
            fi->retransmission_of = fill_slot(t, &ex->final, m, d);
            break;
        }
    }
    if (!ex) {
        ex = sa->phase1_current;
        if (sender_init) {
            if (ex && ex->exch_type == IKD_X1_AGGRESSIVE && ex->response.frame && !ex->final.frame) {
                fi->role = IKD_ROLE_FINAL;          /* AM3 */
                fill_slot(t, &ex->final, m, d);
            } else {
                guint8 step = ex ? ex->phase1_step + 1 : 1;
                ex = new_exchange(t, sa, m, TRUE, FALSE);
                ex->phase1_step = step;
                sa->phase1_current = ex;
                fi->role = IKD_ROLE_REQUEST;
                fill_slot(t, &ex->request, m, d);
            }
        } else {
            if (!ex || ex->response.frame) {
                /* The request was not captured. */
                guint8 step = ex ? ex->phase1_step + 1 : 1;
                ex = new_exchange(t, sa, m, TRUE, FALSE);
                ex->phase1_step = step;
                sa->phase1_current = ex;
            }
            fi->role = IKD_ROLE_RESPONSE;
            fill_slot(t, &ex->response, m, d);
        }
    }
    if (ex->exch_type == IKD_X1_AGGRESSIVE)
        fi->phase1_msg = fi->role == IKD_ROLE_REQUEST ? 1 : fi->role == IKD_ROLE_RESPONSE ? 2 : 3;
    else
        fi->phase1_msg = (guint8)(2 * ex->phase1_step - (fi->role == IKD_ROLE_REQUEST ? 1 : 0));
    return ex;
}

/* IKEv1 Quick Mode and Transaction: the first sender of a message ID asks,
 * the other answers, and the asker may close with a third message. */
static ikd_exchange *
place_v1_by_msgid(ikd_tracker *t, ikd_sa *sa, const ikd_msg *m, ikd_frame_info *fi,
                  ikd_digest **d, gboolean sender_init)
{
    ikd_exchange *ex = lookup_exchange(t, sa, m->msgid, sender_init);
    ikd_exchange *other = lookup_exchange(t, sa, m->msgid, !sender_init);

    if (ex && ex->exch_type == m->exch_type) {
        /* We asked under this message ID before. */
        if (slot_matches(&ex->request, m)) {
            fi->role = IKD_ROLE_REQUEST;
            fi->retransmission_of = fill_slot(t, &ex->request, m, d);
        } else {
            fi->role = IKD_ROLE_FINAL;
            fi->retransmission_of = fill_slot(t, &ex->final, m, d);
        }
    } else if (other && other->exch_type == m->exch_type) {
        ex = other;
        fi->role = IKD_ROLE_RESPONSE;
        fi->retransmission_of = fill_slot(t, &ex->response, m, d);
    } else {
        ex = new_exchange(t, sa, m, sender_init, TRUE);
        fi->role = IKD_ROLE_REQUEST;
        fill_slot(t, &ex->request, m, d);
    }
    if (m->exch_type == IKD_X1_QUICK)
        fi->quick_msg = fi->role == IKD_ROLE_REQUEST ? 1 : fi->role == IKD_ROLE_RESPONSE ? 2 : 3;
    return ex;
}

/* IKEv1 Informational: one message, nothing answers it (RFC 2408 4.8);
 * DPD's R-U-THERE-ACK is another Informational with its own message ID. */
static ikd_exchange *
place_v1_informational(ikd_tracker *t, ikd_sa *sa, const ikd_msg *m, ikd_frame_info *fi,
                       ikd_digest **d, gboolean sender_init)
{
    ikd_exchange *ex = lookup_exchange(t, sa, m->msgid, sender_init);

    if (!ex || !slot_matches(&ex->request, m))
        ex = new_exchange(t, sa, m, sender_init, TRUE);
    fi->role = IKD_ROLE_ONEWAY;
    fi->retransmission_of = fill_slot(t, &ex->request, m, d);
    return ex;
}

/* ------------------------------------------------------------ states */

static const char *
v1_state(const ikd_exchange *ex, const ikd_frame_info *fi)
{
    if (ex->exch_type == IKD_X1_MAIN) {
        /* Cisco's "show crypto isakmp sa" names, which analysts know. */
        switch (fi->phase1_msg) {
        case 1: return "MM_NO_STATE";
        case 2: case 3: return "MM_SA_SETUP";
        case 4: case 5: return "MM_KEY_EXCH";
        case 6: return "QM_IDLE";
        default: return "MM_NO_STATE";
        }
    }
    if (ex->exch_type == IKD_X1_AGGRESSIVE) {
        switch (fi->phase1_msg) {
        case 1: return "AG_INIT_EXCH";
        case 2: return "AG_AUTH";
        default: return "QM_IDLE";
        }
    }
    if (ex->exch_type == IKD_X1_QUICK) {
        switch (fi->quick_msg) {
        case 1: return "QM_WAIT_MSG2";
        case 2: return "QM_WAIT_MSG3";
        default: return "QM_IDLE";
        }
    }
    return ex->sa->state && *ex->sa->state ? ex->sa->state : "";
}

static const char *
v2_state(const ikd_exchange *ex, const ikd_frame_info *fi, const ikd_digest *d)
{
    gboolean error = FALSE;
    gboolean opaque = d->encrypted && !d->decrypted;

    for (guint i = 0; i < d->n_notify; i++) {
        if (ikd_notify_is_error(IKD_NOTIFY(d)[i].type))
            error = TRUE;
    }
    switch (ex->exch_type) {
    case IKD_X2_IKE_SA_INIT:
        if (fi->role == IKD_ROLE_REQUEST) return "IKE_SA_INIT sent";
        if (ikd_digest_notify(d, IKD_N_COOKIE)) return "IKE_SA_INIT cookie requested";
        if (ikd_digest_notify(d, IKD_N_INVALID_KE_PAYLOAD)) return "IKE_SA_INIT other DH group requested";
        if (ikd_digest_notify(d, IKD_N_REDIRECT)) return "IKE_SA_INIT redirected";
        return error ? "IKE_SA_INIT failed" : "IKE_SA_INIT done";
    case IKD_X2_IKE_AUTH:
        if (fi->role == IKD_ROLE_REQUEST) return "IKE_AUTH sent";
        if (opaque) return "IKE_AUTH answered (encrypted)";
        return error ? "IKE_AUTH failed" : "IKE_AUTH done";
    case IKD_X2_CREATE_CHILD_SA:
        if (fi->role == IKD_ROLE_REQUEST) return "CREATE_CHILD_SA sent";
        if (opaque) return "CREATE_CHILD_SA answered (encrypted)";
        return error ? "CREATE_CHILD_SA failed" : "CREATE_CHILD_SA done";
    case IKD_X2_INFORMATIONAL:
        if (fi->role == IKD_ROLE_REQUEST) return "INFORMATIONAL sent";
        return "INFORMATIONAL done";
    default:
        return fi->role == IKD_ROLE_REQUEST ? "request sent" : "answered";
    }
}

/* ------------------------------------------------------------ entry */

/* The capture proves the IKE SA established (the same rule for both IKE
 * versions, with or without keys): an authentication answer read without
 * error; IKEv1's MM6 or AM3, which only a peer that verified the other's
 * authentication sends; or, when the answer is encrypted and no key is
 * configured, what follows it on the same SPIs.  A CREATE_CHILD_SA or a
 * Quick Mode answered is protected by the IKE SA's keys at both ends.  An
 * INFORMATIONAL answered proves it only when the responder asked, or at
 * the second one: the initiator's first INFORMATIONAL after IKE_AUTH may
 * carry AUTHENTICATION_FAILED about the responder's AUTH (RFC 7296
 * 2.21.2), which the responder answers too.  ESP both ways on SPIs not
 * seen between the peers before the authentication answer proves a child
 * SA, so the IKE SA too (count_esp_proof()). */
static void
prove_established(ikd_sa *sa, ikd_proof how, guint32 frame, guint32 other, guint32 now)
{
    if (!sa->ike_established)
        sa->established_in = now;
    sa->ike_established = TRUE;
    if (sa->proof)
        return;
    sa->proof = how;
    sa->proof_frame = frame;
    sa->proof_other = other;
}

static void
progress_v2(ikd_sa *sa, const ikd_exchange *ex, const ikd_frame_info *fi, const ikd_digest *d)
{
    gboolean opaque = d->encrypted && !d->decrypted;

    if (fi->role != IKD_ROLE_RESPONSE)
        return;
    if (ex->exch_type == IKD_X2_IKE_AUTH) {
        if (!sa->auth_answered)
            sa->auth_answered = fi->frame;
        if (!opaque && !ikd_digest_error(d)) {
            prove_established(sa, IKD_PROOF_READ, fi->frame, ex->request.frame, fi->frame);
            if (d->has_sa)
                sa->child_established = TRUE;
        }
        return;
    }
    if (!ex->request.frame || !d->encrypted || !ex->request.msg || !ex->request.msg->encrypted)
        return;
    if (ex->exch_type == IKD_X2_CREATE_CHILD_SA) {
        prove_established(sa, IKD_PROOF_CHILD_EXCHANGE, fi->frame, ex->request.frame, fi->frame);
    } else if (ex->exch_type == IKD_X2_INFORMATIONAL) {
        sa->n_info_answered++;
        if (!ex->from_initiator || sa->n_info_answered >= 2)
            prove_established(sa, IKD_PROOF_LATER_EXCHANGE, fi->frame, ex->request.frame, fi->frame);
    }
}

static void
progress_v1(ikd_sa *sa, const ikd_exchange *ex, const ikd_frame_info *fi, const ikd_msg *m)
{
    if ((fi->phase1_msg == 6 && ex->exch_type == IKD_X1_MAIN) ||
        (fi->phase1_msg == 2 && ex->exch_type == IKD_X1_AGGRESSIVE) || fi->quick_msg == 2) {
        if (!sa->auth_answered)
            sa->auth_answered = fi->frame;
    }
    if (ex->exch_type == IKD_X1_AGGRESSIVE && fi->phase1_msg == 3)
        prove_established(sa, IKD_PROOF_PHASE1, fi->frame, ex->response.frame, fi->frame);
    if (m->malformed)
        return;
    if (fi->phase1_msg == 6 && ex->exch_type == IKD_X1_MAIN)
        prove_established(sa, IKD_PROOF_PHASE1, fi->frame, ex->request.frame, fi->frame);
    if (fi->quick_msg == 2 && ex->request.frame)
        prove_established(sa, IKD_PROOF_CHILD_EXCHANGE, fi->frame, ex->request.frame, fi->frame);
    if (fi->quick_msg == 3)
        sa->child_established = TRUE;
}

static ikd_frame_info *
add_ike(ikd_tracker *t, const ikd_msg *m, ikd_digest **digest)
{
    guint64 k = spi_key(m->ispi);
    ikd_sa *sa = g_hash_table_lookup(t->sa_by_spi, &k);
    gboolean v2_sender_init = FALSE, v2_response = FALSE;
    if (m->version >= 2)
        v2_roles(t, sa && sa->version >= 2 ? sa : NULL, m, &v2_sender_init, &v2_response);
    sa = find_or_create_sa(t, m, v2_sender_init);
    ikd_frame_info *fi = new_frame_info(t, m);
    ikd_digest *d = NULL;
    ikd_exchange *ex;
    gboolean sender_init = m->version >= 2 ? v2_sender_init : from_initiator(sa, m);

    fi->sa = sa;
    sa->last_frame = m->frame;
    sa->n_frames++;

    if (m->version >= 2 || sa->version >= 2) {
        if (m->version == 1) {
            /* IKEv1 inside an IKEv2 SA (version mismatch): its own exchange. */
            ex = place_v1_informational(t, sa, m, fi, &d, sender_init);
            fi->role = sender_init ? IKD_ROLE_REQUEST : IKD_ROLE_RESPONSE;
        } else {
            ex = place_v2(t, sa, m, fi, &d, v2_sender_init, v2_response);
        }
    } else if (m->exch_type == IKD_X1_MAIN || m->exch_type == IKD_X1_AGGRESSIVE ||
               m->exch_type == IKD_X1_BASE || m->exch_type == IKD_X1_AUTH_ONLY) {
        if (!sa->mode)
            sa->mode = m->exch_type;
        ex = place_v1_phase1(t, sa, m, fi, &d, sender_init);
    } else if (m->exch_type == IKD_X1_INFORMATIONAL) {
        ex = place_v1_informational(t, sa, m, fi, &d, sender_init);
    } else {
        ex = place_v1_by_msgid(t, sa, m, fi, &d, sender_init);
    }
    fi->exchange = ex;
    if (fi->retransmission_of)
        sa->n_retransmissions++;

    if (m->version >= 2 && ex->version >= 2)
        fi->state = v2_state(ex, fi, d);
    else
        fi->state = v1_state(ex, fi);
    if (fi->state && *fi->state)
        sa->state = fi->state;

    /* Progress that the rules and statistics rely on. */
    if (!fi->retransmission_of && d) {
        if (m->version >= 2 && ex->version >= 2)
            progress_v2(sa, ex, fi, d);
        else if (m->version == 1)
            progress_v1(sa, ex, fi, m);
    }

    *digest = d;
    return fi;
}

char *
ikd_sa_proof_text(ikd_tracker *t, const ikd_sa *sa)
{
    const ikd_frame_info *fi = ikd_tracker_lookup(t, sa->proof_frame);
    const char *what = fi && fi->exchange ? ikd_exchange_name(fi->exchange->version, fi->exchange->exch_type) : "exchange";

    switch (sa->proof) {
    case IKD_PROOF_READ:
        return g_strdup_printf("the %s answer of frame %u carries no error", what, sa->proof_frame);
    case IKD_PROOF_PHASE1:
        return g_strdup_printf("%s message %u was sent in frame %u", what,
                               fi && fi->phase1_msg ? fi->phase1_msg : 6, sa->proof_frame);
    case IKD_PROOF_CHILD_EXCHANGE:
        return g_strdup_printf("the %s of frame %u was answered in frame %u on the same SPIs, which only "
                               "an established IKE SA protects", what, sa->proof_other, sa->proof_frame);
    case IKD_PROOF_LATER_EXCHANGE:
        return g_strdup_printf("later %s exchanges on the same SPIs were answered (frame %u answered in "
                               "frame %u)", what, sa->proof_other, sa->proof_frame);
    case IKD_PROOF_ESP:
        return g_strdup_printf("ESP flows both ways between the peers on SPIs new since the authentication "
                               "answer (frames %u and %u)", MIN(sa->proof_frame, sa->proof_other),
                               MAX(sa->proof_frame, sa->proof_other));
    case IKD_PROOF_NONE:
    default:
        return NULL;
    }
}

/* The latest IKE SA between two hosts, either way round: ESP and IP
 * fragments carry no SPI of the IKE SA. */
static ikd_sa *
sa_between(ikd_tracker *t, const ikd_addr *a, const ikd_addr *b)
{
    ikd_peers_key pk;

    ikd_latest_sa *latest;

    peers_key(&pk, a, b);
    latest = g_hash_table_lookup(t->sa_by_peers, &pk);
    return latest ? latest->sa : NULL;
}

/* One more ESP packet in direction d. */
static void
count_esp(ikd_esp_dir *d, const ikd_msg *m)
{
    gint64 ms = m->ts_sec * 1000 + m->ts_nsec / 1000000;

    if (!d->count) {
        d->first = m->frame;
        d->first_ms = ms;
        d->spi = m->esp_spi;
    }
    d->last = m->frame;
    d->last_ms = ms;
    d->count++;
}

static ikd_esp_flow *
esp_flow_new(ikd_tracker *t, const ikd_addr *a, const ikd_addr *b)
{
    ikd_esp_flow *f = ikd_tracker_esp_flow(t, a, b);
    ikd_peers_key pk;

    if (f)
        return f;
    f = g_new0(ikd_esp_flow, 1);
    f->host[0] = *a;
    f->host[1] = *b;
    peers_key(&pk, a, b);
    g_hash_table_insert(t->esp_flows, g_memdup2(&pk, sizeof pk), f);
    t->bytes += sizeof *f + 64;
    return f;
}

/* The first frame of ESP on this SPI between these two hosts. */
static guint32
esp_spi_first(ikd_tracker *t, const ikd_msg *m)
{
    ikd_peers_key pk;
    guint64 k;
    gpointer v;

    peers_key(&pk, &m->src, &m->dst);
    k = ikd_hash_bytes(ikd_hash_bytes(IKD_HASH_SEED, (const guint8 *)&pk, sizeof pk),
                       (const guint8 *)&m->esp_spi, sizeof m->esp_spi);
    v = g_hash_table_lookup(t->esp_spi_first, &k);
    if (v)
        return GPOINTER_TO_UINT(v);
    g_hash_table_insert(t->esp_spi_first, g_memdup2(&k, sizeof k), GUINT_TO_POINTER(m->frame));
    t->bytes += sizeof k + 32;
    return m->frame;
}

/* ESP both ways on SPIs first seen after the SA's authentication answer:
 * the child SA of this negotiation carries traffic (prove_established()).
 * SPIs seen before belong to an older SA between the same hosts. */
static void
count_esp_proof(ikd_sa *sa, const ikd_msg *m, int dir, guint32 first)
{
    if (!sa->auth_answered || first < sa->auth_answered || sa->esp_new[dir])
        return;
    sa->esp_new[dir] = m->frame;
    if (sa->esp_new[1 - dir]) {
        sa->child_established = TRUE;
        prove_established(sa, IKD_PROOF_ESP, sa->esp_new[0], sa->esp_new[1], m->frame);
    }
}

static ikd_frame_info *
add_esp(ikd_tracker *t, const ikd_msg *m)
{
    ikd_sa *sa = sa_between(t, &m->src, &m->dst);
    ikd_frame_info *fi;

    gboolean raw = m->sport == 0 && m->dport == 0;
    guint32 first = esp_spi_first(t, m);

    fi = new_frame_info(t, m);
    fi->role = IKD_ROLE_ESP;
    fi->sa = sa;
    if (sa) {
        int dir = ikd_addr_equal(&m->src, &sa->init_addr) ? 0 : 1;
        count_esp(&sa->esp[dir], m);
        count_esp_proof(sa, m, dir, first);
        if (raw && !sa->esp_first_raw)
            sa->esp_first_raw = m->frame;
    } else {
        ikd_esp_flow *fl = esp_flow_new(t, &m->src, &m->dst);
        count_esp(&fl->dir[ikd_addr_equal(&m->src, &fl->host[0]) ? 0 : 1], m);
        fl->raw |= raw;
    }
    return fi;
}

ikd_esp_flow *
ikd_tracker_esp_flow(ikd_tracker *t, const ikd_addr *a, const ikd_addr *b)
{
    ikd_peers_key pk;

    peers_key(&pk, a, b);
    return g_hash_table_lookup(t->esp_flows, &pk);
}

/* An IP fragment of a UDP datagram, not reassembled in this frame: of
 * interest only between the peers of a known IKE SA (rules_nat.c, IKE
 * messages lost to IP fragmentation); anything else is not tracked. */
static ikd_frame_info *
add_ip_fragment(ikd_tracker *t, const ikd_msg *m)
{
    ikd_sa *sa = sa_between(t, &m->src, &m->dst);
    ikd_frame_info *fi;

    if (!sa)
        return NULL;
    fi = new_frame_info(t, m);
    fi->role = IKD_ROLE_IP_FRAGMENT;
    fi->sa = sa;
    return fi;
}

static ikd_frame_info *
add_icmp(ikd_tracker *t, const ikd_msg *m)
{
    guint64 k = spi_key(m->ispi);
    ikd_sa *sa = g_hash_table_lookup(t->sa_by_spi, &k);
    ikd_frame_info *fi = new_frame_info(t, m);
    ikd_exchange *ex = NULL;

    fi->role = IKD_ROLE_ICMP;
    fi->sa = sa;
    if (sa) {
        /* The quoted message went from quoted_src to quoted_dst. */
        gboolean init = m->version >= 2 ? (m->flags & IKD_FLAG_V2_I) != 0
                                        : ikd_addr_equal(&m->quoted_src, &sa->init_addr);
        gboolean resp = m->version >= 2 && (m->flags & IKD_FLAG_V2_R);
        if (m->version == 1 && m->msgid == 0)
            ex = sa->phase1_current;
        else
            ex = lookup_exchange(t, sa, m->msgid, resp ? !init : init);
        if (ex) {
            const ikd_slot *s = resp ? &ex->response : &ex->request;
            if (!resp && m->version == 1 && !init)
                s = &ex->response;
            fi->icmp_for = s->last_frame;
        }
        fi->exchange = ex;
    }
    return fi;
}

ikd_frame_info *
ikd_tracker_add(ikd_tracker *t, const ikd_msg *m, ikd_digest **digest)
{
    ikd_frame_info *fi;

    *digest = NULL;
    switch (m->kind) {
    case IKD_MSG_IKE:
        if (m->version < 1 || m->version > 2)
            return NULL;
        fi = add_ike(t, m, digest);
        break;
    case IKD_MSG_ESP:
        fi = add_esp(t, m);
        break;
    case IKD_MSG_ICMP_ERROR:
        fi = add_icmp(t, m);
        break;
    case IKD_MSG_IP_FRAGMENT:
        fi = add_ip_fragment(t, m);
        break;
    default:
        return NULL;
    }
    if (fi && fi->sa)
        fi->sa->touched = m->frame;
    return fi;
}
