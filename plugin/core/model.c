/* model.c
 * Small helpers over the model types.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "model.h"

/* The digest's arrays of a message are its own storage. */
static void
point_at_storage(ikd_msg *m)
{
    /* the message is the digest's head (model.h): offsets from its start */
    m->off_prop = offsetof(ikd_msg, prop_store);
    m->off_tf = offsetof(ikd_msg, tf_store);
    m->off_notify = offsetof(ikd_msg, notify_store);
    m->off_ts = offsetof(ikd_msg, ts_store);
    m->off_id = offsetof(ikd_msg, id_store);
    m->off_vid = offsetof(ikd_msg, vid_store);
    m->off_natd = offsetof(ikd_msg, natd_store);
    m->off_cert = offsetof(ikd_msg, cert_store);
    m->off_certreq = offsetof(ikd_msg, certreq_store);
    for (guint i = 0; i < IKD_MAX_NOTIFIES; i++)
        m->notify_store[i].data = m->notify_bytes[i];
    for (guint i = 0; i < IKD_MAX_VIDS; i++)
        m->vid_store[i].data = m->vid_bytes[i];
    for (guint i = 0; i < IKD_MAX_NATD; i++)
        m->natd_store[i].data = m->natd_bytes[i];
}

void
ikd_msg_init(ikd_msg *m)
{
    memset(m, 0, sizeof *m);
    point_at_storage(m);
}

void
ikd_msg_reset(ikd_msg *m)
{
    /* Only the entries the previous message used; most messages use few of
     * the arrays, and a memset call of nothing still costs a call. */
#define IKD_CLEAR(store, n) do { if (n) memset(m->store, 0, (n) * sizeof m->store[0]); } while (0)
    IKD_CLEAR(del, m->n_delete);
    IKD_CLEAR(prop_store, m->n_prop);
    IKD_CLEAR(tf_store, m->n_tf);
    IKD_CLEAR(notify_store, m->n_notify);
    IKD_CLEAR(ts_store, m->n_ts);
    IKD_CLEAR(id_store, m->n_id);
    IKD_CLEAR(vid_store, m->n_vid);
    IKD_CLEAR(natd_store, m->n_natd);
    IKD_CLEAR(cert_store, m->n_cert);
    IKD_CLEAR(certreq_store, m->n_certreq);
    IKD_CLEAR(notify_bytes, m->n_notify);
    IKD_CLEAR(vid_bytes, m->n_vid);
    IKD_CLEAR(natd_bytes, m->n_natd);
#undef IKD_CLEAR
    memset(m, 0, offsetof(ikd_msg, del));
    point_at_storage(m);
}

const ikd_notify *
ikd_digest_notify(const ikd_digest *d, guint16 type)
{
    if (!d)
        return NULL;
    for (guint i = 0; i < d->n_notify; i++) {
        if (IKD_NOTIFY(d)[i].type == type)
            return &IKD_NOTIFY(d)[i];
    }
    return NULL;
}

const ikd_notify *
ikd_digest_error(const ikd_digest *d)
{
    if (!d)
        return NULL;
    for (guint i = 0; i < d->n_notify; i++) {
        /* RFC 7296 3.10.1: types below 16384 are errors */
        if (IKD_NOTIFY(d)[i].type > 0 && IKD_NOTIFY(d)[i].type < 16384)
            return &IKD_NOTIFY(d)[i];
    }
    return NULL;
}

gboolean
ikd_addr_equal(const ikd_addr *a, const ikd_addr *b)
{
    if (a->family != b->family)
        return FALSE;
    return memcmp(a->bytes, b->bytes, a->family == 6 ? 16 : 4) == 0;
}

gsize
ikd_u32_to_dec(guint32 v, char *out)
{
    char rev[10];
    gsize n = 0, k = 0;

    do {
        rev[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        out[k++] = rev[--n];
    out[k] = '\0';
    return k;
}

const char *
ikd_addr_to_str(const ikd_addr *a, char *buf, gsize len)
{
    if (a->family == 4) {
        /* digits by hand: a snprintf per address showed in profiles */
        char tmp[16], *p = tmp;
        for (int i = 0; i < 4; i++) {
            if (i)
                *p++ = '.';
            p += ikd_u32_to_dec(a->bytes[i], p);
        }
        g_strlcpy(buf, tmp, len);
    } else if (a->family == 6) {
        /* RFC 5952 short form: collapse the longest run of zero groups. */
        guint16 g[8];
        int best = -1, best_len = 0;
        for (int i = 0; i < 8; i++)
            g[i] = (guint16)(a->bytes[2 * i] << 8 | a->bytes[2 * i + 1]);
        for (int i = 0; i < 8;) {
            int j = i;
            while (j < 8 && g[j] == 0)
                j++;
            if (j - i > best_len && j - i > 1) {
                best = i;
                best_len = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        GString *s = g_string_new(NULL);
        for (int i = 0; i < 8; i++) {
            if (i == best) {
                g_string_append(s, "::");
                i += best_len - 1;
                continue;
            }
            if (s->len && s->str[s->len - 1] != ':')
                g_string_append_c(s, ':');
            g_string_append_printf(s, "%x", g[i]);
        }
        g_strlcpy(buf, s->str, len);
        g_string_free(s, TRUE);
    } else {
        g_strlcpy(buf, "?", len);
    }
    return buf;
}

/* Eight bytes per step (a multiply and a rotate, as in FxHash), then a
 * final mix: the content hash runs over every IKE message of a capture,
 * and byte-wise FNV-1a took a few percent of tshark's time on IKE-dense
 * traffic. */
guint64
ikd_hash_bytes(guint64 h, const guint8 *data, gsize len)
{
    const guint64 k = G_GUINT64_CONSTANT(0x9e3779b97f4a7c15);
    gsize i = 0;

    for (; i + 8 <= len; i += 8) {
        guint64 w;
        memcpy(&w, data + i, 8);
        h = ((h << 5 | h >> 59) ^ w) * k;
    }
    if (i < len) {
        guint64 w = 0;
        memcpy(&w, data + i, len - i);
        h = ((h << 5 | h >> 59) ^ w ^ ((guint64)(len - i) << 56)) * k;
    }
    h ^= (guint64)len;
    h ^= h >> 32;
    h *= k;
    h ^= h >> 29;
    return h;
}
