/* ikd-test.h
 * Builders for hand-made ikd_msg values, shared by the core unit tests:
 * an initiator (198.51.100.10 unless told otherwise) and a responder
 * (203.0.113.20) talking on UDP 500, as the lab's captures do.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IKD_TEST_H
#define IKD_TEST_H

#include <string.h>

#include <glib.h>

#include "core/model.h"
#include "core/diagnose.h"

static inline void
ikd_test_addr(ikd_addr *a, guint8 x, guint8 y, guint8 z, guint8 w)
{
    memset(a, 0, sizeof *a);
    a->family = 4;
    a->bytes[0] = x; a->bytes[1] = y; a->bytes[2] = z; a->bytes[3] = w;
}

/* An IKE message at time t0 + frame.  init_addr: the initiator's address
 * as captured (NULL: 198.51.100.10). */
static inline void
ikd_test_ike(ikd_msg *m, guint32 frame, guint8 version, guint8 exch, gboolean from_init,
             gboolean response, const guint8 *ispi, const guint8 *rspi, guint32 msgid,
             guint64 hash, gint64 t0, const ikd_addr *init_addr)
{
    ikd_addr i, r;

    ikd_msg_init(m);
    m->kind = IKD_MSG_IKE;
    m->frame = frame;
    m->ts_sec = t0 + frame;
    m->version = version;
    m->exch_type = exch;
    memcpy(m->ispi, ispi, 8);
    memcpy(m->rspi, rspi, 8);
    m->msgid = msgid;
    m->content_hash = hash;
    m->content_len = 300;
    if (init_addr)
        i = *init_addr;
    else
        ikd_test_addr(&i, 198, 51, 100, 10);
    ikd_test_addr(&r, 203, 0, 113, 20);
    m->src = from_init ? i : r;
    m->dst = from_init ? r : i;
    m->sport = m->dport = 500;
    if (version == 2) {
        if (from_init)
            m->flags |= IKD_FLAG_V2_I;
        if (response)
            m->flags |= IKD_FLAG_V2_R;
    }
}

static inline ikd_notify *
ikd_test_notify(ikd_msg *m, guint16 type, const guint8 *data, guint16 len)
{
    ikd_notify *n = &m->notify[m->n_notify++];
    memset(n, 0, sizeof *n);
    n->type = type;
    n->data_len = len;
    if (data)
        memcpy(n->data, data, MIN(len, IKD_MAX_BLOB));
    return n;
}

/* ------------------------------------------------- reading the findings */

static inline ikd_frame_info *
ikd_test_add(ikd_diag *t, const ikd_msg *m)
{
    ikd_frame_info *fi = ikd_diag_add(t, m);
    g_assert_nonnull(fi);
    return fi;
}

/* The frame's one and only finding. */
static inline const ikd_finding *
ikd_test_only_finding(const ikd_frame_info *fi)
{
    g_assert_nonnull(fi);
    g_assert_nonnull(fi->findings);
    g_assert_null(fi->findings->next_on_frame);
    return fi->findings;
}

static inline gboolean
ikd_test_has_evidence(const ikd_finding *f, guint32 frame)
{
    for (guint i = 0; i < f->n_evidence; i++) {
        if (f->evidence[i] == frame)
            return TRUE;
    }
    return FALSE;
}

/* Findings of one cause over every SA of the tracker. */
static inline guint
ikd_test_count_cause(ikd_diag *t, ikd_cause cause)
{
    guint n = 0;
    for (ikd_sa *sa = ikd_tracker_sas(ikd_diag_tracker(t)); sa; sa = sa->next) {
        for (guint32 i = 0; i < sa->n_findings; i++)
            n += sa->findings[i]->cause == cause;
    }
    return n;
}

#endif /* IKD_TEST_H */
