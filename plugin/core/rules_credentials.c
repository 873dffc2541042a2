/* rules_credentials.c
 * What an IKE SA shows of its credentials (rules_credentials.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include "rules_credentials.h"

gboolean
ikd_is_psk_v1(guint16 method)
{
    /* pre-shared key, XAUTHInitPreShared, XAUTHRespPreShared */
    return method == 1 || method == 65001 || method == 65002;
}

/* The phase 1 authentication method an IKEv1 SA agreed on (or offered). */
guint16
ikd_v1_auth_method(const ikd_sa *sa)
{
    guint16 offered = 0;
    for (const ikd_exchange *ex = sa->exchanges; ex; ex = ex->next_in_sa) {
        if (!ex->phase1_step)
            continue;
        if (ex->response.msg && ex->response.msg->n_prop)
            return IKD_PROP(ex->response.msg)[0].auth_method;
        if (ex->request.msg && ex->request.msg->n_prop && !offered)
            offered = IKD_PROP(ex->request.msg)[0].auth_method;
    }
    return offered;
}

static gboolean
is_auth_cause(ikd_cause c)
{
    return c == IKD_CAUSE_AUTH_FAILED || c == IKD_CAUSE_PSK_MISMATCH || c == IKD_CAUSE_ID_MISMATCH ||
           c == IKD_CAUSE_CERT_EXPIRED || c == IKD_CAUSE_CERT_NOT_YET_VALID ||
           c == IKD_CAUSE_CERT_UNTRUSTED;
}

gboolean
ikd_sa_has_auth_failure(const ikd_sa *sa)
{
    for (guint32 i = 0; i < sa->n_findings; i++) {
        if (sa->findings[i]->failure && is_auth_cause(sa->findings[i]->cause))
            return TRUE;
    }
    return FALSE;
}

char *
ikd_time_text(gint64 t)
{
    GDateTime *dt = g_date_time_new_from_unix_utc(t);
    char *s;
    if (!dt)
        return g_strdup_printf("%" G_GINT64_FORMAT, t);
    s = g_date_time_format(dt, "%Y-%m-%d %H:%M:%S UTC");
    g_date_time_unref(dt);
    return s;
}

void
ikd_hex_append(GString *s, const guint8 *b, gsize n)
{
    for (gsize i = 0; i < n; i++)
        g_string_append_printf(s, "%02x", b[i]);
}


static void
view_digest(auth_view *v, const ikd_digest *d, gboolean sender_init)
{
    if (d->has_eap)
        v->eap = TRUE;
    if (sender_init == v->refused_init) {
        if (d->version >= 2 && d->has_auth) {
            v->cred = d;
            v->v2_method = d->auth_method;
        }
        if (d->version >= 2 && sender_init && d->exch_type == IKD_X2_IKE_AUTH && d->n_id && !d->has_auth &&
            (!d->encrypted || d->decrypted))
            v->eap = TRUE;
        for (guint i = 0; i < d->n_id; i++) {
            /* IKEv1 phase 1 IDs are the sender's own; IKEv2 IDi is the
             * initiator's, IDr the responder's. */
            if (d->version == 1 || IKD_ID(d)[i].initiator_side == sender_init) {
                v->own_id = &IKD_ID(d)[i];
                v->own_id_frame = d->frame;
            }
        }
        if (d->n_cert) {
            /* A later CERT (a second IKE_AUTH round) replaces the earlier. */
            v->n_cert = 0;
            for (guint i = 0; i < d->n_cert && v->n_cert < MAX_VIEW_CERTS; i++)
                v->cert[v->n_cert++] = &IKD_CERT(d)[i];
            v->cert_frame = d->frame;
            v->cert_time = d->ts_sec;
        }
    } else {
        for (guint i = 0; i < d->n_certreq && v->n_creq < MAX_VIEW_CERTREQ; i++) {
            v->creq[v->n_creq++] = &IKD_CERTREQ(d)[i];
            if (!v->creq_frame)
                v->creq_frame = d->frame;
        }
    }
    if (d->version >= 2 && sender_init) {
        for (guint i = 0; i < d->n_id; i++) {
            if (!IKD_ID(d)[i].initiator_side) {
                v->asked_id = &IKD_ID(d)[i];
                v->asked_id_frame = d->frame;
            }
        }
    }
}

void
ikd_collect_view(const ikd_sa *sa, gboolean refused_init, guint32 upto_frame, auth_view *v)
{
    memset(v, 0, sizeof *v);
    v->refused_init = refused_init;
    for (const ikd_exchange *ex = sa->exchanges; ex; ex = ex->next_in_sa) {
        const ikd_slot *slot[3] = { &ex->request, &ex->response, &ex->final };
        const gboolean sender[3] = { ex->from_initiator, !ex->from_initiator, ex->from_initiator };
        for (int i = 0; i < 3; i++) {
            if (slot[i]->msg && slot[i]->msg->frame <= upto_frame)
                view_digest(v, slot[i]->msg, sender[i]);
        }
    }
}


ikd_finding *
ikd_report_refusal(ikd_rule_ctx *c, ikd_cause cause, const auth_view *v, const char *mismatch)
{
    ikd_finding *f = ikd_report(c->fs, c->sa, c->ex, c->fi->frame, cause, TRUE);
    if (v->cred)
        ikd_finding_evidence(f, v->cred->frame);
    ikd_finding_evidence(f, v->own_id_frame);
    ikd_finding_evidence(f, v->cert_frame);
    ikd_finding_set(&f->mismatch, "%s", mismatch);
    return f;
}

/* 'refusal' describes the notify: "AUTHENTICATION_FAILED in frame 4". */
