/* rules_auth.c
 * Authentication, identities and certificates.
 *
 * When a peer refuses the other's authentication (IKEv2 AUTHENTICATION_FAILED
 * in the IKE_AUTH response or in an INFORMATIONAL from the initiator; IKEv1
 * AUTHENTICATION_FAILED, INVALID_HASH_INFORMATION, INVALID_SIGNATURE, ...),
 * the wire says only "refused".  What was refused is on the wire too, when
 * it is readable: the refused side's ID, AUTH method and certificates, and
 * the CAs the verifier asked for in CERTREQ.  The rules go from the most
 * specific explanation to the least:
 *
 *   1. a certificate whose validity does not cover the capture time
 *   2. an identity that is neither the certificate's subject nor one of its
 *      subjectAltNames, or that differs from what the same peer used (or
 *      presented) in another IKE SA of the capture that authenticated
 *   3. a certificate issuer that is not among the CAs asked for in CERTREQ
 *   4. a pre-shared key (the identities and the PSK look the same on the
 *      wire: the message says both), else a generic authentication failure.
 *
 * IKEv1 Main Mode with a pre-shared key fails earlier and more quietly: the
 * key that encrypts MM5 is derived from the PSK (RFC 2409 5: SKEYID =
 * prf(pre-shared-key, Ni_b | Nr_b)), so with different PSKs the responder
 * cannot decrypt MM5.  strongSwan and libreswan answer with an encrypted
 * PAYLOAD_MALFORMED Informational that the initiator cannot read either;
 * Cisco stays silent.  Either way MM5 is retransmitted and MM6 never comes
 * (Cisco's MM_KEY_EXCH stall).  That pattern is a psk-mismatch, and the
 * finding says how sure it is.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <stdio.h>
#include <string.h>

#include "rules.h"
#include "names.h"

#define MAX_VIEW_CERTS   (2 * IKD_MAX_CERTS)
/* Clock difference tolerated between the capture host and a peer that
 * accepted a certificate (seconds). */
#define IKD_ACCEPTED_SKEW 300
#define MAX_VIEW_CERTREQ (2 * IKD_MAX_CERTREQ)

/* ------------------------------------------------------------ helpers */

static gboolean
is_psk_v1(guint16 method)
{
    /* pre-shared key, XAUTHInitPreShared, XAUTHRespPreShared */
    return method == 1 || method == 65001 || method == 65002;
}

/* The phase 1 authentication method an IKEv1 SA agreed on (or offered). */
static guint16
v1_auth_method(const ikd_sa *sa)
{
    guint16 offered = 0;
    for (const ikd_exchange *ex = sa->exchanges; ex; ex = ex->next_in_sa) {
        if (!ex->phase1_step)
            continue;
        if (ex->response.msg && ex->response.msg->n_prop)
            return ex->response.msg->prop[0].auth_method;
        if (ex->request.msg && ex->request.msg->n_prop && !offered)
            offered = ex->request.msg->prop[0].auth_method;
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

static gboolean
sa_has_auth_failure(const ikd_sa *sa)
{
    for (guint32 i = 0; i < sa->n_findings; i++) {
        if (sa->findings[i]->failure && is_auth_cause(sa->findings[i]->cause))
            return TRUE;
    }
    return FALSE;
}

static char *
time_text(gint64 t)
{
    GDateTime *dt = g_date_time_new_from_unix_utc(t);
    char *s;
    if (!dt)
        return g_strdup_printf("%" G_GINT64_FORMAT, t);
    s = g_date_time_format(dt, "%Y-%m-%d %H:%M:%S UTC");
    g_date_time_unref(dt);
    return s;
}

static void
hex_append(GString *s, const guint8 *b, gsize n)
{
    for (gsize i = 0; i < n; i++)
        g_string_append_printf(s, "%02x", b[i]);
}

static const char *
id_type_name(guint8 type)
{
    switch (type) {
    case 1: return "IPv4 address";
    case 2: return "FQDN";
    case 3: return "e-mail address";
    case 5: return "IPv6 address";
    case 9: return "DN";
    case 11: return "key ID";
    default: return "identity";
    }
}

/* ------------------------------------------------------------ what was refused */

/* The refused side's credentials and the verifier's CERTREQs, gathered over
 * the SA's exchanges up to the frame of the refusal. */
typedef struct auth_view {
    gboolean refused_init;          /* the initiator's credentials were refused */
    const ikd_digest *cred;         /* the refused side's last AUTH (IKEv2) */
    guint8   v2_method;
    gboolean eap;                   /* IKEv2: an IKE_AUTH request with IDi and no AUTH
                                       asked for EAP (RFC 7296 2.16) */
    const ikd_ident *own_id;        /* the identity the refused side claimed */
    guint32  own_id_frame;
    const ikd_ident *asked_id;      /* IKEv2: the IDr the initiator asked for */
    guint32  asked_id_frame;
    const ikd_cert *cert[MAX_VIEW_CERTS];   /* the refused side's certificates */
    guint    n_cert;
    guint32  cert_frame;
    gint64   cert_time;
    const ikd_certreq *creq[MAX_VIEW_CERTREQ];  /* the verifier's CERTREQs */
    guint    n_creq;
    guint32  creq_frame;
} auth_view;

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
            if (d->version == 1 || d->id[i].initiator_side == sender_init) {
                v->own_id = &d->id[i];
                v->own_id_frame = d->frame;
            }
        }
        if (d->n_cert) {
            /* A later CERT (a second IKE_AUTH round) replaces the earlier. */
            v->n_cert = 0;
            for (guint i = 0; i < d->n_cert && v->n_cert < MAX_VIEW_CERTS; i++)
                v->cert[v->n_cert++] = &d->cert[i];
            v->cert_frame = d->frame;
            v->cert_time = d->ts_sec;
        }
    } else {
        for (guint i = 0; i < d->n_certreq && v->n_creq < MAX_VIEW_CERTREQ; i++) {
            v->creq[v->n_creq++] = &d->certreq[i];
            if (!v->creq_frame)
                v->creq_frame = d->frame;
        }
    }
    if (d->version >= 2 && sender_init) {
        for (guint i = 0; i < d->n_id; i++) {
            if (!d->id[i].initiator_side) {
                v->asked_id = &d->id[i];
                v->asked_id_frame = d->frame;
            }
        }
    }
}

static void
collect_view(const ikd_sa *sa, gboolean refused_init, guint32 upto_frame, auth_view *v)
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

/* ------------------------------------------------------------ identities */

static gboolean
text_in_list(const char *item, const char *list)
{
    gchar **parts = g_strsplit(list, ", ", -1);
    gboolean found = FALSE;
    for (gchar **p = parts; *p && !found; p++)
        found = g_ascii_strcasecmp(*p, item) == 0;
    g_strfreev(parts);
    return found;
}

static gboolean
alt_has_address(const char *list)
{
    gchar **parts = g_strsplit(list, ", ", -1);
    gboolean found = FALSE;
    for (gchar **p = parts; *p && !found; p++)
        found = g_hostname_is_ip_address(*p);
    g_strfreev(parts);
    return found;
}

/* The CN of a DN written "C=.., O=.., CN=..", or NULL. */
static char *
dn_common_name(const char *dn)
{
    const char *p = strstr(dn, "CN=");
    const char *end;
    if (!p)
        return NULL;
    p += 3;
    end = strstr(p, ", ");
    return end ? g_strndup(p, (gsize)(end - p)) : g_strdup(p);
}

/* Can the certificate stand for the identity?  strongSwan accepts the
 * subject DN or a subjectAltName; other implementations also accept the CN
 * for an FQDN, which is tolerated here so as not to cry wolf. */
static gboolean
id_matches_cert(const ikd_ident *id, const ikd_cert *cert)
{
    gboolean ok;
    char *cn;

    if (!cert->subject[0] && !cert->alt_names[0])
        return TRUE;                /* not read: nothing to say */
    switch (id->type) {
    case 9:
        if (g_str_has_prefix(id->text, "DN:"))
            return TRUE;            /* not decoded */
        return g_ascii_strcasecmp(id->text, cert->subject) == 0;
    case 1: case 5:
        /* Many implementations do not bind an address ID to the
         * certificate (Wireshark's ikev1-certs.pcap: Openswan and a Juniper
         * SRX authenticate with ID_IPV4_ADDR and certificates without any
         * address in them); only a certificate that lists addresses can
         * contradict one. */
        if (!alt_has_address(cert->alt_names))
            return TRUE;
        return text_in_list(id->text, cert->alt_names);
    case 2: case 3:
        if (text_in_list(id->text, cert->alt_names))
            return TRUE;
        cn = dn_common_name(cert->subject);
        ok = cn && g_ascii_strcasecmp(cn, id->text) == 0;
        g_free(cn);
        return ok;
    default:
        return TRUE;                /* key IDs and the like cannot be compared */
    }
}

/* Another IKE SA of the capture in which the peer at 'addr' authenticated
 * (as initiator or responder) with an identity other than 'id'. */
static const ikd_sa *
identity_elsewhere(ikd_tracker *t, const ikd_sa *self, const ikd_addr *addr, const ikd_ident *id,
                   const ikd_ident **other, guint32 *other_frame)
{
    const GPtrArray *sas = ikd_tracker_sas_at(t, addr);   /* the peer's SAs only */
    for (guint s = ikd_peer_scan_start(sas); sas && s < sas->len; s++) {
        const ikd_sa *sa = g_ptr_array_index(sas, s);
        if (sa == self || !sa->ike_established || sa_has_auth_failure(sa))
            continue;
        for (int side = 0; side < 2; side++) {
            gboolean init = side == 0;
            auth_view v;
            if (!ikd_addr_equal(init ? &sa->init_addr : &sa->resp_addr, addr))
                continue;
            collect_view(sa, init, G_MAXUINT32, &v);
            if (v.own_id && v.own_id->type == id->type && g_ascii_strcasecmp(v.own_id->text, id->text) != 0) {
                *other = v.own_id;
                *other_frame = v.own_id_frame;
                return sa;
            }
        }
    }
    return NULL;
}

/* ------------------------------------------------------------ certificates */

typedef enum {
    TRUST_UNKNOWN,                  /* no CERTREQ, or "any CA" */
    TRUST_OK,                       /* the issuer (or a CA above it) was asked for */
    TRUST_NOT_REQUESTED,            /* the chain ends at a CA that was not asked for */
    TRUST_NOT_PROVEN                /* the issuer's key is not in the capture */
} trust_result;

/* Any certificate of the capture whose subject is 'dn' (the issuer's own
 * certificate, sent in a chain or by another SA). */
static const ikd_cert *
cert_by_subject(ikd_tracker *t, const char *dn)
{
    if (!dn[0])
        return NULL;
    for (const ikd_sa *sa = ikd_tracker_sas(t); sa; sa = sa->next) {
        for (const ikd_exchange *ex = sa->exchanges; ex; ex = ex->next_in_sa) {
            const ikd_slot *slot[3] = { &ex->request, &ex->response, &ex->final };
            for (int i = 0; i < 3; i++) {
                const ikd_digest *d = slot[i]->msg;
                for (guint k = 0; d && k < d->n_cert; k++) {
                    if (strcmp(d->cert[k].subject, dn) == 0)
                        return &d->cert[k];
                }
            }
        }
    }
    return NULL;
}

static gboolean
creq_has_hash(const auth_view *v, const guint8 *hash)
{
    for (guint i = 0; i < v->n_creq; i++) {
        if (v->creq[i]->hash_len == 20 && memcmp(v->creq[i]->hash, hash, 20) == 0)
            return TRUE;
    }
    return FALSE;
}

static gboolean
creq_has_dn(const auth_view *v, const char *dn)
{
    for (guint i = 0; i < v->n_creq; i++) {
        if (v->creq[i]->dn[0] && g_ascii_strcasecmp(v->creq[i]->dn, dn) == 0)
            return TRUE;
    }
    return FALSE;
}

/* What the verifier asked for, as text for a message. */
static char *
creq_text(const auth_view *v)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < v->n_creq; i++) {
        if (s->len)
            g_string_append(s, ", ");
        if (v->creq[i]->hash_len) {
            g_string_append(s, "CA key SHA-1 ");
            hex_append(s, v->creq[i]->hash, v->creq[i]->hash_len);
        } else if (v->creq[i]->dn[0]) {
            g_string_append_printf(s, "\"%s\"", v->creq[i]->dn);
        }
    }
    return g_string_free(s, FALSE);
}

static trust_result
check_trust(ikd_tracker *t, const auth_view *v, const ikd_cert *ee)
{
    gboolean by_hash = FALSE, by_dn = FALSE;
    const ikd_cert *cur = ee;

    for (guint i = 0; i < v->n_creq; i++) {
        if (v->creq[i]->hash_len == 20)
            by_hash = TRUE;
        else if (v->creq[i]->dn[0])
            by_dn = TRUE;
        else if (v->creq[i]->cert_type)
            return TRUST_UNKNOWN;   /* an empty CERTREQ: any CA will do */
    }
    if (!by_hash && !by_dn)
        return TRUST_UNKNOWN;
    if (!ee->issuer[0])
        return TRUST_UNKNOWN;

    /* Walk up the chain as far as the capture shows it. */
    for (int depth = 0; depth < 6 && cur; depth++) {
        const ikd_cert *issuer;
        if (by_dn && creq_has_dn(v, cur->issuer))
            return TRUST_OK;
        issuer = strcmp(cur->issuer, cur->subject) == 0 ? cur : cert_by_subject(t, cur->issuer);
        if (!issuer)
            break;
        if (by_hash && issuer->has_spki && creq_has_hash(v, issuer->spki_sha1))
            return TRUST_OK;
        if (issuer == cur)
            return TRUST_NOT_REQUESTED;     /* a root nobody asked for */
        cur = issuer;
    }
    /* IKEv1 names CAs by DN: an issuer not named is not requested. */
    return by_dn && !by_hash ? TRUST_NOT_REQUESTED : TRUST_NOT_PROVEN;
}

/* A certificate whose issuer the verifier is seen to trust: one it accepted
 * from its peer in another IKE SA that was established, else its own (which
 * usually comes from a CA it trusts).  'frame' is where it was seen. */
static const ikd_cert *
verifier_trusted_cert(ikd_tracker *t, const ikd_sa *self, const ikd_addr *verifier, gboolean *accepted,
                      guint32 *frame)
{
    const GPtrArray *sas = ikd_tracker_sas_at(t, verifier);   /* the verifier's SAs only */
    const ikd_cert *own = NULL;
    guint32 own_frame = 0;

    for (guint s = ikd_peer_scan_start(sas); sas && s < sas->len; s++) {
        const ikd_sa *sa = g_ptr_array_index(sas, s);
        for (int side = 0; side < 2; side++) {
            gboolean init = side == 0;
            gboolean is_verifier = ikd_addr_equal(init ? &sa->init_addr : &sa->resp_addr, verifier);
            auth_view v;
            if (!is_verifier && (sa == self || !sa->ike_established || sa_has_auth_failure(sa)))
                continue;
            collect_view(sa, init, G_MAXUINT32, &v);
            if (!v.n_cert)
                continue;
            if (!is_verifier) {
                *accepted = TRUE;
                *frame = v.cert_frame;
                return v.cert[0];
            }
            if (!own) {
                own = v.cert[0];
                own_frame = v.cert_frame;
            }
        }
    }
    *accepted = FALSE;
    *frame = own_frame;
    return own;
}

static const char *
cert_hint_tail(void)
{
    return "strongSwan: the certificate in /etc/swanctl/x509 (swanctl --load-creds; ipsec.conf leftcert=), "
           "libreswan: the NSS database (ipsec import, leftcert=), Cisco: crypto pki enroll <trustpoint>";
}

/* The time certificates are judged at: the frame that carried them, or the
 * tests' fixed "now". */
static gint64
view_time(const ikd_rule_ctx *c, const auth_view *v)
{
    const ikd_config *cfg = ikd_tracker_config(c->t);
    return cfg->now_override_sec ? cfg->now_override_sec : v->cert_time;
}

/* The first certificate of the view out of its validity at 'now' by more
 * than 'skew' seconds, or -1; *expired says which bound it is past. */
static int
out_of_date_cert(const auth_view *v, gint64 now, gint64 skew, gboolean *expired)
{
    for (guint i = 0; i < v->n_cert; i++) {
        const ikd_cert *ct = v->cert[i];
        gboolean after = ct->not_after && now > ct->not_after + skew;
        gboolean before = ct->not_before && now < ct->not_before - skew;
        if (after || before) {
            *expired = after;
            return (int)i;
        }
    }
    return -1;
}

/* ------------------------------------------------------------ the refusal */

static ikd_finding *
report(ikd_rule_ctx *c, ikd_cause cause, const auth_view *v, const char *mismatch)
{
    ikd_finding *f = ikd_report(c->t, c->sa, c->ex, c->fi->frame, cause, TRUE);
    if (v->cred)
        ikd_finding_evidence(f, v->cred->frame);
    ikd_finding_evidence(f, v->own_id_frame);
    ikd_finding_evidence(f, v->cert_frame);
    ikd_finding_set(&f->mismatch, "%s", mismatch);
    return f;
}

/* 'refusal' describes the notify: "AUTHENTICATION_FAILED in frame 4". */
static gboolean
diagnose_certs(ikd_rule_ctx *c, const auth_view *v, const char *verifier, const char *refusal)
{
    gint64 now = view_time(c, v);
    const char *refused = ikd_side_name(v->refused_init);
    gboolean expired;
    ikd_finding *f;
    int i = out_of_date_cert(v, now, 0, &expired);

    if (i < 0)
        return FALSE;
    const ikd_cert *ct = v->cert[i];
    char *nb = time_text(ct->not_before), *na = time_text(ct->not_after), *cap = time_text(now);
    f = report(c, expired ? IKD_CAUSE_CERT_EXPIRED : IKD_CAUSE_CERT_NOT_YET_VALID, v,
               "certificate validity");
    ikd_finding_set(&f->offered, "%s (valid %s to %s)", ct->subject, nb, na);
    if (expired) {
        ikd_finding_message(f, "%s refused the %s's authentication (%s): the %s certificate \"%s\" "
                            "(issuer \"%s\") the %s sent in frame %u expired on %s, before the capture "
                            "time %s", verifier, refused, refusal, i ? "CA" : "end-entity", ct->subject,
                            ct->issuer, refused, v->cert_frame, na, cap);
        ikd_finding_set(&f->hint, "renew the %s's certificate \"%s\" and load it (%s); if it should still "
                        "be valid, the clocks are wrong: check NTP on both peers", refused, ct->subject,
                        cert_hint_tail());
    } else {
        ikd_finding_message(f, "%s refused the %s's authentication (%s): the %s certificate \"%s\" "
                            "(issuer \"%s\") the %s sent in frame %u is not valid before %s, after the "
                            "capture time %s", verifier, refused, refusal, i ? "CA" : "end-entity",
                            ct->subject, ct->issuer, refused, v->cert_frame, nb, cap);
        ikd_finding_set(&f->hint, "the verifying peer's clock is behind or the certificate was issued with a "
                        "future start date: check NTP on both peers, or reissue \"%s\" with a current "
                        "notBefore (strongSwan pki --issue --not-before, openssl -startdate) and load it (%s)",
                        ct->subject, cert_hint_tail());
    }
    g_free(nb);
    g_free(na);
    g_free(cap);
    return TRUE;
}

static gboolean
diagnose_identity(ikd_rule_ctx *c, const auth_view *v, const char *verifier, const char *refusal)
{
    const char *refused = ikd_side_name(v->refused_init);
    const ikd_addr *refused_addr = v->refused_init ? &c->sa->init_addr : &c->sa->resp_addr;
    char abuf[64];
    ikd_finding *f;
    const ikd_ident *other;
    guint32 other_frame = 0;
    const ikd_sa *osa;

    /* The identity must be what the certificate is for. */
    if (v->own_id && v->n_cert && !id_matches_cert(v->own_id, v->cert[0])) {
        const ikd_cert *ct = v->cert[0];
        f = report(c, IKD_CAUSE_ID_MISMATCH, v, "identity");
        ikd_finding_set(&f->offered, "%s", v->own_id->text);
        ikd_finding_message(f, "%s refused the %s's authentication (%s): the %s identified as %s \"%s\" "
                            "in frame %u, but its certificate (frame %u) is for \"%s\"%s%s%s; the identity "
                            "must be the certificate's subject or one of its subjectAltNames",
                            verifier, refused, refusal, refused, id_type_name(v->own_id->type), v->own_id->text,
                            v->own_id_frame, v->cert_frame, ct->subject,
                            ct->alt_names[0] ? " (subjectAltName " : "", ct->alt_names,
                            ct->alt_names[0] ? ")" : "");
        ikd_finding_set(&f->hint, "make the identity one the certificate holds: strongSwan swanctl.conf "
                        "local { id = ... } (ipsec.conf leftid=) on the %s and remote { id = ... } (rightid=) "
                        "on the peer; libreswan leftid=/rightid= (rightid=%%fromcert); Cisco crypto isakmp "
                        "identity dn / crypto ikev2 profile identity local", refused);
        return TRUE;
    }

    /* The same peer authenticated under another identity elsewhere. */
    if (v->own_id && (osa = identity_elsewhere(c->t, c->sa, refused_addr, v->own_id, &other, &other_frame))) {
        f = report(c, IKD_CAUSE_ID_MISMATCH, v, "identity");
        ikd_finding_evidence(f, other_frame);
        ikd_finding_set(&f->offered, "%s", v->own_id->text);
        ikd_finding_message(f, "%s refused the %s's authentication (%s): the %s %s identified as \"%s\" in "
                            "frame %u, but authenticated as \"%s\" in frame %u (IKE SA %u); the verifier has no "
                            "credentials or connection for the new identity",
                            verifier, refused, refusal, refused, ikd_peer_str(refused_addr, abuf, sizeof abuf),
                            v->own_id->text, v->own_id_frame, other->text, other_frame, osa->number);
        ikd_finding_set(&f->hint, "use the identity the peer is configured for (strongSwan swanctl.conf local.id / "
                        "remote.id, ipsec.conf leftid/rightid and the ipsec.secrets selectors; libreswan "
                        "leftid/rightid; Cisco crypto isakmp identity, crypto ikev2 profile match identity remote)");
        return TRUE;
    }

    /* The initiator asked for a responder identity the responder does not
     * use (IKEv2 IDr in the IKE_AUTH request, RFC 7296 3.5). */
    if (v->asked_id &&
        (osa = identity_elsewhere(c->t, c->sa, &c->sa->resp_addr, v->asked_id, &other, &other_frame))) {
        f = report(c, IKD_CAUSE_ID_MISMATCH, v, "identity");
        ikd_finding_evidence(f, v->asked_id_frame);
        ikd_finding_evidence(f, other_frame);
        ikd_finding_set(&f->offered, "%s", v->asked_id->text);
        ikd_finding_message(f, "%s refused the authentication (%s): the initiator asked in frame %u for the "
                            "responder identity (IDr) \"%s\", but %s identifies as \"%s\" (frame %u, IKE SA %u)",
                            verifier, refusal, v->asked_id_frame, v->asked_id->text,
                            ikd_peer_str(&c->sa->resp_addr, abuf, sizeof abuf), other->text, other_frame,
                            osa->number);
        ikd_finding_set(&f->hint, "set the initiator's idea of the remote identity to what the responder uses "
                        "(strongSwan swanctl.conf remote { id = %s }, ipsec.conf rightid=%s; libreswan rightid=; "
                        "Cisco crypto ikev2 profile match identity remote)", other->text, other->text);
        return TRUE;
    }
    return FALSE;
}

static gboolean
diagnose_trust(ikd_rule_ctx *c, const auth_view *v, const ikd_notify *n, const char *verifier,
               const char *refusal)
{
    const char *refused = ikd_side_name(v->refused_init);
    const char *verifier_side = ikd_side_name(!v->refused_init);
    const ikd_cert *ee;
    trust_result tr;
    ikd_finding *f;
    char *asked;

    if (!v->n_cert)
        return FALSE;
    ee = v->cert[0];
    tr = check_trust(c->t, v, ee);
    if (n->type == IKD_N_INVALID_CERT_AUTHORITY && tr != TRUST_OK)
        tr = TRUST_NOT_REQUESTED;
    if (tr == TRUST_UNKNOWN || tr == TRUST_OK)
        return FALSE;

    const ikd_cert *known = NULL;
    gboolean accepted = FALSE;
    guint32 known_frame = 0;
    if (tr == TRUST_NOT_PROVEN) {
        known = verifier_trusted_cert(c->t, c->sa, &c->m->src, &accepted, &known_frame);
        /* The verifier accepted (or itself uses) a certificate from the same
         * CA: that CA is most likely trusted, so the cause is elsewhere. */
        if (known && strcmp(known->issuer, ee->issuer) == 0 &&
            (!known->aki_len || !ee->aki_len ||
             (known->aki_len == ee->aki_len && memcmp(known->aki, ee->aki, ee->aki_len) == 0)))
            return FALSE;
    }

    asked = creq_text(v);
    f = report(c, IKD_CAUSE_CERT_UNTRUSTED, v, "certificate issuer");
    ikd_finding_evidence(f, v->creq_frame);
    ikd_finding_set(&f->offered, "%s", ee->issuer);
    if (tr == TRUST_NOT_REQUESTED) {
        ikd_finding_message(f, "%s refused the %s's authentication (%s): the %s's certificate \"%s\" (frame %u) "
                            "was issued by \"%s\", which is not among the CAs the %s asked for in CERTREQ "
                            "(frame %u: %s)", verifier, refused, refusal, refused, ee->subject, v->cert_frame,
                            ee->issuer, verifier_side, v->creq_frame, asked);
    } else {
        GString *aki = g_string_new(NULL);
        hex_append(aki, ee->aki, ee->aki_len);
        ikd_finding_message(f, "%s refused the %s's authentication (%s): the %s's certificate \"%s\" (frame %u) "
                            "was issued by \"%s\"%s%s%s, while the %s asked in CERTREQ (frame %u) for %s; no "
                            "certificate of that issuer is in the capture to prove it is one of them%s%s%s. The "
                            "certificate is valid at capture time and matches the identity, so an untrusted "
                            "issuer is the likely reason (a revoked certificate or a private key that does not "
                            "belong to the certificate would look the same on the wire)",
                            verifier, refused, refusal, refused, ee->subject, v->cert_frame, ee->issuer,
                            aki->len ? " (authorityKeyIdentifier " : "", aki->str, aki->len ? ")" : "",
                            verifier_side, v->creq_frame, asked,
                            !known ? "" : accepted ? ", while the verifier accepted a certificate from \""
                                                   : ", while the verifier's own certificate comes from \"",
                            known ? known->issuer : "", known ? "\"" : "");
        if (known)
            ikd_finding_evidence(f, known_frame);
        g_string_free(aki, TRUE);
    }
    ikd_finding_set(&f->hint, "make the %s trust the CA \"%s\" (strongSwan: its certificate in "
                    "/etc/swanctl/x509ca and swanctl --load-creds, ipsec.conf: /etc/ipsec.d/cacerts; "
                    "libreswan: certutil -A -t CT,, into the NSS database; Cisco: crypto pki trustpoint and "
                    "crypto pki authenticate), or issue the %s's certificate from a CA it already trusts",
                    verifier_side, ee->issuer, refused);
    g_free(asked);
    return TRUE;
}

/* A peer refused the other's authentication with notify 'n' in this frame. */
static void
diagnose_refusal(ikd_rule_ctx *c, const ikd_notify *n, gboolean refused_init)
{
    const ikd_msg *m = c->m;
    auth_view v;
    char abuf[64], nbuf[48], verifier[96], refusal[96];
    const char *refused = ikd_side_name(refused_init);
    gboolean v2 = c->sa->version >= 2;
    guint16 method;
    gboolean psk;
    ikd_finding *f;

    if (sa_has_auth_failure(c->sa))
        return;
    collect_view(c->sa, refused_init, c->fi->frame, &v);
    method = v2 ? v.v2_method : v1_auth_method(c->sa);
    /* After EAP the AUTH payload is a "shared key MIC" over the EAP MSK,
     * not a configured PSK. */
    psk = v2 ? method == 2 && !v.eap : is_psk_v1(method);
    g_snprintf(verifier, sizeof verifier, "%s %s", refused_init ? "Responder" : "Initiator",
               ikd_peer_str(&m->src, abuf, sizeof abuf));
    g_snprintf(refusal, sizeof refusal, "%s in frame %u", ikd_notify_name(n->type, nbuf, sizeof nbuf),
               c->fi->frame);

    if (!psk && diagnose_certs(c, &v, verifier, refusal))
        return;
    if (diagnose_identity(c, &v, verifier, refusal))
        return;
    if (!v2 && n->type == IKD_N_INVALID_ID_INFORMATION) {
        f = report(c, IKD_CAUSE_ID_MISMATCH, &v, "identity");
        ikd_finding_message(f, "%s refused the %s's phase 1 identity%s%s%s with INVALID_ID_INFORMATION in frame %u",
                            verifier, refused, v.own_id ? " \"" : "", v.own_id ? v.own_id->text : "",
                            v.own_id ? "\"" : "", c->fi->frame);
        ikd_finding_set(&f->hint, "make the identities match the peer's configuration (strongSwan leftid/rightid "
                        "or local.id/remote.id; libreswan leftid/rightid; Cisco crypto isakmp identity)");
        return;
    }
    if (!psk && diagnose_trust(c, &v, n, verifier, refusal))
        return;

    /* IKEv2 with pre-shared keys: the responder answers with its own AUTH
     * only after it verified the initiator's (RFC 7296 2.15), so the key is
     * the same when the initiator refuses that answer: what it refuses is
     * the responder's identity (strongSwan: "constraint check failed:
     * identity ... required"), unless each direction has its own key. */
    if (v2 && psk && !refused_init && v.cred && v.own_id) {
        auth_view iv;
        collect_view(c->sa, TRUE, c->fi->frame, &iv);
        gboolean asked_same = v.asked_id && g_ascii_strcasecmp(v.asked_id->text, v.own_id->text) == 0;
        if (iv.cred && iv.v2_method == 2 && !iv.eap && !asked_same) {
            f = report(c, IKD_CAUSE_ID_MISMATCH, &v, "identity");
            ikd_finding_evidence(f, iv.cred->frame);
            ikd_finding_set(&f->offered, "%s", v.own_id->text);
            ikd_finding_message(f, "%s refused the responder's authentication (%s) after the responder had "
                                "accepted the initiator's pre-shared key (its AUTH in frame %u answers the initiator's "
                                "in frame %u), so the key is the same and what the initiator refused is the "
                                "responder's identity %s \"%s\" (frame %u)%s: it expects another remote identity "
                                "(unless each direction uses its own key)",
                                verifier, refusal, v.cred->frame, iv.cred->frame, id_type_name(v.own_id->type),
                                v.own_id->text, v.own_id_frame,
                                v.asked_id ? "" : "; the initiator sent no IDr, so its expectation is not on the wire");
            ikd_finding_set(&f->hint, "make the initiator's remote identity match what the responder uses (\"%s\"): "
                            "strongSwan swanctl.conf remote { id = %s } (ipsec.conf rightid=%s), or the responder's "
                            "local.id/leftid; libreswan rightid=; Cisco crypto ikev2 profile match identity remote",
                            v.own_id->text, v.own_id->text, v.own_id->text);
            return;
        }
    }

    if (psk) {
        f = report(c, IKD_CAUSE_PSK_MISMATCH, &v, "pre-shared key");
        if (v.own_id)
            ikd_finding_set(&f->offered, "%s", v.own_id->text);
        char where[48] = "";
        if (v2 && v.cred)
            g_snprintf(where, sizeof where, ", AUTH in frame %u", v.cred->frame);
        else if (v.own_id_frame)
            g_snprintf(where, sizeof where, ", identity in frame %u", v.own_id_frame);
        ikd_finding_message(f, "%s refused the %s's pre-shared key authentication%s%s%s (%s%s): the pre-shared "
                            "keys differ, or the %s has no key or connection for that identity",
                            verifier, refused, v.own_id ? " as \"" : "", v.own_id ? v.own_id->text : "",
                            v.own_id ? "\"" : "", refusal, where, ikd_side_name(!refused_init));
        ikd_finding_set(&f->hint, "set the same secret on both peers for these identities (strongSwan swanctl.conf "
                        "secrets { ike-x { id-1 = ...; id-2 = ...; secret = ... } } with local/remote id; "
                        "ipsec.conf leftid/rightid with authby=secret and ipsec.secrets \"<leftid> <rightid> : "
                        "PSK ...\"; libreswan authby=secret, leftid/rightid and ipsec.secrets; Cisco "
                        "crypto ikev2 keyring pre-shared-key / crypto isakmp key ... address, tunnel-group "
                        "ipsec-attributes pre-shared-key)");
        return;
    }

    f = report(c, IKD_CAUSE_AUTH_FAILED, &v, "authentication");
    if (v.own_id)
        ikd_finding_set(&f->offered, "%s", v.own_id->text);
    if (v.eap) {
        ikd_finding_message(f, "%s refused the %s's EAP authentication (%s)%s%s%s: the EAP credentials (user name "
                            "or password) or the EAP method do not match", verifier, refused, refusal,
                            v.own_id ? "; identity \"" : "", v.own_id ? v.own_id->text : "", v.own_id ? "\"" : "");
        ikd_finding_set(&f->hint, "check the EAP identity and secret and the EAP method on both sides (strongSwan "
                        "swanctl.conf remote { auth = eap-mschapv2; eap_id = ... } and secrets { eap-x { id = ...; "
                        "secret = ... } }, ipsec.conf rightauth=eap-mschapv2 / ipsec.secrets \"user : EAP ...\"; "
                        "libreswan has no EAP server; Cisco aaa authentication / crypto ikev2 profile authentication "
                        "remote eap)");
        return;
    }
    ikd_finding_message(f, "%s refused the %s's authentication (%s); method: %s%s%s%s%s",
                        verifier, refused, refusal,
                        method ? ikd_auth_method_name(v2 ? 2 : 1, method) : "not visible",
                        v.own_id ? ", identity \"" : "", v.own_id ? v.own_id->text : "", v.own_id ? "\"" : "",
                        v.n_cert ? "; the certificate is valid at capture time and matches the identity" : "");
    ikd_finding_set(&f->hint, "check the credentials and the identities both peers expect (strongSwan swanctl.conf "
                    "local/remote auth, id, certs, cacerts; ipsec.conf leftauth/rightauth, leftid/rightid, "
                    "leftcert; libreswan leftid/rightid, leftcert, authby=; Cisco identity, trustpoint, "
                    "authentication method in the IKE profile/policy), revocation (CRL/OCSP) and that the "
                    "private key belongs to the certificate");
}

/* ------------------------------------------------------------ EAP */

static const char *
eap_type_name(guint8 type)
{
    switch (type) {
    case 1: return "Identity";
    case 4: return "MD5-Challenge";
    case 6: return "GTC";
    case 13: return "TLS";
    case 18: return "SIM";
    case 21: return "TTLS";
    case 23: return "AKA";
    case 25: return "PEAP";
    case 26: return "MSCHAPv2";
    case 50: return "AKA'";
    default: return NULL;
    }
}

/* The responder ends EAP with an EAP-Failure in its IKE_AUTH response
 * (RFC 7296 2.16); the initiator's AUTHENTICATION_FAILED that follows is its
 * consequence, not another cause. */
static void
eap_failure(ikd_rule_ctx *c)
{
    guint8 method = 0;
    guint32 last_init_eap = 0;
    const char *name;
    char abuf[64], mbuf[32];
    auth_view v;
    ikd_finding *f;

    if (sa_has_auth_failure(c->sa))
        return;
    collect_view(c->sa, TRUE, c->fi->frame, &v);
    for (const ikd_exchange *ex = c->sa->exchanges; ex; ex = ex->next_in_sa) {
        const ikd_digest *rq = ex->request.msg, *rs = ex->response.msg;
        if (ex->exch_type != IKD_X2_IKE_AUTH)
            continue;
        /* the method the server asked for: a type other than Identity/Nak */
        if (rs && rs->has_eap && rs->eap_type > 3)
            method = rs->eap_type;
        if (rq && rq->has_eap && ex->from_initiator)
            last_init_eap = rq->frame;
    }
    name = eap_type_name(method);
    if (name)
        g_snprintf(mbuf, sizeof mbuf, "%s", name);
    else if (method)
        g_snprintf(mbuf, sizeof mbuf, "type %u", method);
    else
        g_strlcpy(mbuf, "not visible", sizeof mbuf);

    f = report(c, IKD_CAUSE_AUTH_FAILED, &v, "EAP credentials");
    ikd_finding_evidence(f, last_init_eap);
    if (v.own_id)
        ikd_finding_set(&f->offered, "%s", v.own_id->text);
    char who[IKD_MAX_ID_TEXT + 16] = "", last[64] = "";
    if (v.own_id)
        g_snprintf(who, sizeof who, ", identity \"%s\"", v.own_id->text);
    if (last_init_eap)
        g_snprintf(last, sizeof last, ", the initiator's last EAP response in frame %u", last_init_eap);
    ikd_finding_message(f, "Responder %s ended the initiator's EAP authentication with EAP-Failure in frame %u "
                        "(EAP method %s%s%s): the EAP user name or password is wrong, or the method is not "
                        "accepted for this user", ikd_peer_str(&c->m->src, abuf, sizeof abuf), c->fi->frame,
                        mbuf, who, last);
    ikd_finding_set(&f->hint, "check the EAP identity and password and the EAP method on both sides (strongSwan "
                    "swanctl.conf secrets { eap-x { id = ...; secret = ... } } and remote { auth = eap-md5 / "
                    "eap-mschapv2 / eap-radius; eap_id = %%any }, ipsec.conf rightauth=eap-... and ipsec.secrets "
                    "\"user : EAP \"...\"\"; the RADIUS server's log when eap-radius is used; Cisco: the AAA "
                    "server and crypto ikev2 profile authentication remote eap)");
}

/* ------------------------------------------------------------ IKEv1 MM5 stall */

/* The Main Mode pair that carries MM5/MM6 when the SA stalls there with a
 * pre-shared key: MM5 sent, MM6 never seen, MM4 answered (the responder is
 * reachable and computed the keys). */
static ikd_exchange *
mm5_stalled(const ikd_sa *sa)
{
    ikd_exchange *mm56 = NULL, *mm34 = NULL;

    if (sa->version != 1 || sa->mode != IKD_X1_MAIN || sa->ike_established)
        return NULL;
    for (ikd_exchange *ex = sa->exchanges; ex; ex = ex->next_in_sa) {
        if (ex->phase1_step == 2)
            mm34 = ex;
        else if (ex->phase1_step == 3)
            mm56 = ex;
    }
    if (!mm56 || !mm34 || !mm34->response.frame || !mm56->request.frame || mm56->response.frame)
        return NULL;
    if (!is_psk_v1(v1_auth_method(sa)))
        return NULL;
    return mm56;
}

static const char *
mm5_hint(void)
{
    return "set the same pre-shared key on both peers (strongSwan swanctl.conf secrets { ike-x { secret = ... } }, "
           "or ipsec.conf authby=secret with ipsec.secrets \"<left> <right> : PSK ...\"; libreswan authby=secret "
           "and ipsec.secrets; Cisco crypto isakmp key "
           "<key> address <peer>, or tunnel-group <peer> ipsec-attributes ikev1 pre-shared-key)";
}

/* The responder answered MM5 with an Informational instead of MM6. */
static gboolean
mm5_stall_on_reply(ikd_rule_ctx *c)
{
    const ikd_digest *d = c->d;
    ikd_exchange *mm = mm5_stalled(c->sa);
    const ikd_digest *mm5;
    gboolean unreadable, malformed_notify;
    char abuf[64];
    ikd_finding *f;

    if (!mm || !d || c->ex->from_initiator || c->m->exch_type != IKD_X1_INFORMATIONAL ||
        c->fi->frame < mm->request.frame)
        return FALSE;
    if (ikd_sa_has_cause(c->sa, IKD_CAUSE_PSK_MISMATCH))
        return TRUE;                /* a repeat of the reply already explained */
    mm5 = mm->request.msg;
    malformed_notify = !c->m->malformed && ikd_digest_notify(d, IKD_N_PAYLOAD_MALFORMED) != NULL;
    unreadable = c->m->malformed || (d->encrypted && !d->decrypted);
    if (!malformed_notify && !unreadable)
        return FALSE;

    f = ikd_report(c->t, c->sa, mm, c->fi->frame, IKD_CAUSE_PSK_MISMATCH, TRUE);
    ikd_finding_evidence(f, mm->request.frame);
    ikd_finding_set(&f->mismatch, "pre-shared key");
    if (malformed_notify) {
        ikd_finding_message(f, "Responder %s answered Main Mode message 5 (frame %u) with PAYLOAD_MALFORMED in "
                            "frame %u instead of message 6: it could not decrypt MM5, whose key is derived from "
                            "the pre-shared key, so the pre-shared keys differ (very likely)",
                            ikd_peer_str(&c->m->src, abuf, sizeof abuf), mm->request.frame, c->fi->frame);
    } else if (mm5 && mm5->decrypted) {
        ikd_finding_message(f, "Responder %s answered Main Mode message 5 (frame %u) with an Informational in "
                            "frame %u that the key which decrypts MM5 cannot read, instead of message 6: the "
                            "peers derived different keys from their pre-shared keys, so the pre-shared keys "
                            "differ (very likely; the responder reports PAYLOAD_MALFORMED under its own key; "
                            "Cisco shows the SA stuck in MM_KEY_EXCH)",
                            ikd_peer_str(&c->m->src, abuf, sizeof abuf), mm->request.frame, c->fi->frame);
    } else {
        ikd_finding_message(f, "Responder %s answered Main Mode message 5 (frame %u) with an encrypted "
                            "Informational in frame %u instead of message 6: with pre-shared key authentication "
                            "this is what a responder does when it cannot decrypt MM5, so the pre-shared keys "
                            "likely differ (Cisco shows the SA stuck in MM_KEY_EXCH); the IKE SA's key would "
                            "confirm it", ikd_peer_str(&c->m->src, abuf, sizeof abuf), mm->request.frame,
                            c->fi->frame);
    }
    ikd_finding_set(&f->hint, "%s", mm5_hint());
    return TRUE;
}

/* The responder repeats MM4 after MM5 arrived (libreswan: "probable
 * authentication failure (mismatch of preshared secrets?): malformed
 * payload", then its MM4 retransmission timer fires): it did not accept
 * MM5. */
static void
mm4_repeated(ikd_rule_ctx *c)
{
    ikd_exchange *mm = mm5_stalled(c->sa);
    char abuf[64];
    ikd_finding *f;

    if (!mm || c->fi->frame < mm->request.frame || ikd_sa_has_cause(c->sa, IKD_CAUSE_PSK_MISMATCH))
        return;
    f = ikd_report(c->t, c->sa, mm, c->fi->frame, IKD_CAUSE_PSK_MISMATCH, TRUE);
    ikd_finding_evidence(f, mm->request.frame);
    ikd_finding_evidence(f, c->fi->retransmission_of);
    ikd_finding_set(&f->mismatch, "pre-shared key");
    ikd_finding_message(f, "Responder %s repeated Main Mode message 4 (first sent in frame %u) in frame %u after "
                        "the initiator's message 5 (frame %u), instead of answering with message 6: it did not "
                        "accept MM5, which it cannot decrypt when its pre-shared key differs, so the pre-shared "
                        "keys likely differ (libreswan logs \"probable authentication failure (mismatch of "
                        "preshared secrets?)\"; an MM5 lost between the capture point and the responder would "
                        "look the same)",
                        ikd_peer_str(&c->m->src, abuf, sizeof abuf), c->fi->retransmission_of, c->fi->frame,
                        mm->request.frame);
    ikd_finding_set(&f->hint, "%s; if the keys are equal, check that MM5 reaches the responder", mm5_hint());
}

gboolean
ikd_rules_auth_stall(ikd_tracker *t, ikd_sa *sa, ikd_exchange *ex, guint32 frame, gboolean at_end)
{
    ikd_exchange *mm = sa ? mm5_stalled(sa) : NULL;
    ikd_exchange *mm34 = NULL;
    char abuf[64];
    ikd_finding *f;

    if (!mm || mm != ex)
        return FALSE;
    /* Already explained: by this rule, or by a path rule that ran first
     * (MM5 floated to UDP 4500 behind a NAT and nothing came back there:
     * udp-4500-blocked, rules_nat.c). The silence is then the blocked
     * port's doing, not evidence about the keys. */
    if (ikd_sa_has_cause(sa, IKD_CAUSE_PSK_MISMATCH) || ikd_sa_has_failure(sa))
        return TRUE;
    for (ikd_exchange *e = sa->exchanges; e; e = e->next_in_sa) {
        if (e->phase1_step == 2)
            mm34 = e;
    }
    f = ikd_report(t, sa, mm, frame, IKD_CAUSE_PSK_MISMATCH, TRUE);
    ikd_finding_evidence(f, mm->request.frame);
    if (mm34)
        ikd_finding_evidence(f, mm34->response.frame);
    ikd_finding_set(&f->mismatch, "pre-shared key");
    ikd_finding_message(f, "Main Mode message 5 (frame %u) to %s was sent %u times and never answered%s, while "
                        "the responder answered message 3 (MM4 in frame %u): with pre-shared key authentication "
                        "this is the stall a PSK mismatch causes (the responder cannot decrypt MM5; Cisco: stuck "
                        "in MM_KEY_EXCH). Likely, inferred from retransmissions only",
                        mm->request.frame, ikd_peer_str(&sa->resp_addr, abuf, sizeof abuf), mm->request.n_sent,
                        at_end ? " before the capture ended" : "", mm34 ? mm34->response.frame : 0);
    ikd_finding_set(&f->hint, "%s; if the keys are equal, check that UDP 500/4500 passes both ways", mm5_hint());
    return TRUE;
}

/* ------------------------------------------------------------ IKEv1 AM */

/* Aggressive Mode with a pre-shared key: AM2 carries the responder's
 * HASH_R, which the initiator checks with its own PSK (RFC 2409 5.4).  A
 * wrong PSK shows as an initiator that never sends AM3 and answers AM2 with
 * an Informational the responder's key cannot open, or not at all (then the
 * responder repeats AM2). */
static ikd_exchange *
am3_missing(const ikd_sa *sa)
{
    ikd_exchange *am = sa->exchanges;

    if (sa->version != 1 || sa->mode != IKD_X1_AGGRESSIVE || sa->ike_established || !am ||
        am->exch_type != IKD_X1_AGGRESSIVE || !am->response.frame || am->final.frame)
        return NULL;
    if (!is_psk_v1(v1_auth_method(sa)))
        return NULL;
    return am;
}

static gboolean
am_refusal(ikd_rule_ctx *c, gboolean repeated_am2)
{
    ikd_exchange *am = am3_missing(c->sa);
    const ikd_digest *d = c->d;
    char abuf[64];
    ikd_finding *f;

    if (!am || c->fi->frame < am->response.frame)
        return FALSE;
    if (ikd_sa_has_cause(c->sa, IKD_CAUSE_PSK_MISMATCH))
        return TRUE;
    if (!repeated_am2 && (!d || !c->ex->from_initiator || c->m->exch_type != IKD_X1_INFORMATIONAL ||
                          !(c->m->malformed || (d->encrypted && !d->decrypted))))
        return FALSE;
    f = ikd_report(c->t, c->sa, am, c->fi->frame, IKD_CAUSE_PSK_MISMATCH, TRUE);
    ikd_finding_evidence(f, am->response.frame);
    ikd_finding_set(&f->mismatch, "pre-shared key");
    if (repeated_am2)
        ikd_finding_message(f, "Responder %s repeated Aggressive Mode message 2 (first sent in frame %u) in frame "
                            "%u: the initiator never completed with message 3, which it does not send when the "
                            "responder's HASH_R does not verify with its own pre-shared key, so the pre-shared "
                            "keys (or the identities they are looked up by) likely differ",
                            ikd_peer_str(&c->m->src, abuf, sizeof abuf), am->response.frame, c->fi->frame);
    else
        ikd_finding_message(f, "Initiator %s answered Aggressive Mode message 2 (frame %u) with an unreadable "
                            "Informational in frame %u instead of message 3: it could not verify the responder's "
                            "HASH_R with its pre-shared key, so the pre-shared keys (or the identities they are "
                            "looked up by) likely differ",
                            ikd_peer_str(&c->m->src, abuf, sizeof abuf), am->response.frame, c->fi->frame);
    ikd_finding_set(&f->hint, "%s; better, leave Aggressive Mode with pre-shared keys (its hash can be cracked "
                    "offline): use Main Mode or IKEv2", mm5_hint());
    return TRUE;
}

gboolean
ikd_rules_auth_unreadable(ikd_rule_ctx *c)
{
    if (!c->sa || !c->ex || c->m->version != 1)
        return FALSE;
    return mm5_stall_on_reply(c) || am_refusal(c, FALSE);
}

/* ------------------------------------------------------------ no keys */

char *
ikd_auth_known(const ikd_sa *sa, guint32 *evidence_frame)
{
    GString *s = g_string_new(NULL);
    guint32 auth_frames[2] = { 0, 0 };

    *evidence_frame = 0;
    for (const ikd_exchange *ex = sa->exchanges; ex; ex = ex->next_in_sa) {
        const ikd_slot *slot[2] = { &ex->request, &ex->response };
        const gboolean by_init[2] = { ex->from_initiator, !ex->from_initiator };
        if (ex->exch_type == IKD_X2_IKE_AUTH && !auth_frames[0]) {
            auth_frames[0] = ex->request.frame;
            auth_frames[1] = ex->response.frame;
        }
        for (int i = 0; i < 2; i++) {
            const ikd_digest *d = slot[i]->msg;
            if (!d || !d->n_certreq || (d->encrypted && !d->decrypted))
                continue;
            g_string_append_printf(s, "%s the %s asked in frame %u for certificates from ",
                                   s->len ? ";" : "certificate authentication is expected:",
                                   ikd_side_name(by_init[i]), d->frame);
            for (guint k = 0; k < d->n_certreq; k++) {
                const ikd_certreq *r = &d->certreq[k];
                if (k)
                    g_string_append(s, ", ");
                if (r->hash_len) {
                    g_string_append(s, "CA key SHA-1 ");
                    hex_append(s, r->hash, r->hash_len);
                } else {
                    g_string_append_printf(s, "\"%s\"", r->dn[0] ? r->dn : "any CA");
                }
            }
            if (!*evidence_frame)
                *evidence_frame = d->frame;
        }
    }
    if (!s->len)
        g_string_append(s, "neither peer sent a CERTREQ before IKE_AUTH, as is usual with pre-shared keys or EAP");
    g_string_append_printf(s, "; the identities, the AUTH method and any certificates are inside the encrypted "
                           "IKE_AUTH (frame%s %u", auth_frames[1] ? "s" : "", auth_frames[0]);
    if (auth_frames[1])
        g_string_append_printf(s, " and %u", auth_frames[1]);
    g_string_append(s, "), which the IKE SA's keys reveal");
    return g_string_free(s, FALSE);
}

/* ------------------------------------------------------------ success */

/* The responder accepted an initiator certificate that was out of date at
 * capture time: not a failure, but the capture's clock or the peer's checks
 * are off.  (Whether the initiator accepts the responder's certificate is
 * not known yet at this frame: it may still refuse it.) */
static void
accepted_out_of_date(ikd_rule_ctx *c)
{
    auth_view v;
    gboolean expired;

    collect_view(c->sa, TRUE, c->fi->frame, &v);
    gint64 now = view_time(c, &v);
    /* The peer's clock said yes: a few minutes off is the two clocks, not
     * the certificate. */
    int i = out_of_date_cert(&v, now, IKD_ACCEPTED_SKEW, &expired);
    if (i < 0)
        return;
    const ikd_cert *ct = v.cert[i];
    char *bound = time_text(expired ? ct->not_after : ct->not_before), *cap = time_text(now);
    ikd_finding *f = ikd_report(c->t, c->sa, c->ex, c->fi->frame,
                                expired ? IKD_CAUSE_CERT_EXPIRED : IKD_CAUSE_CERT_NOT_YET_VALID, FALSE);
    ikd_finding_evidence(f, v.cert_frame);
    ikd_finding_set(&f->mismatch, "certificate validity");
    ikd_finding_message(f, "The %s's certificate \"%s\" (frame %u) was %s %s at the capture time %s, yet "
                        "the authentication succeeded: the capture's clock is off or the peer does not "
                        "check validity", ikd_side_name(TRUE), ct->subject, v.cert_frame,
                        expired ? "expired since" : "not valid before", bound, cap);
    ikd_finding_set(&f->hint, "check the clocks (NTP); renew the certificate before the peers enforce it (%s)",
                    cert_hint_tail());
    g_free(bound);
    g_free(cap);
}

/* The responder's certificate in a successful IKE_AUTH response is out of
 * date at capture time.  The initiator decides after this frame, often
 * without a word on the wire (libreswan deletes the IKE SA silently and starts
 * over), so this frame is where the failure becomes evident: RFC 5280 path
 * validation refuses the certificate unless the peer ignores validity.
 * Returns TRUE when it reported. */
static gboolean
responder_cert_out_of_date(ikd_rule_ctx *c)
{
    auth_view v;
    gboolean expired;

    collect_view(c->sa, FALSE, c->fi->frame, &v);
    gint64 now = view_time(c, &v);
    int i = out_of_date_cert(&v, now, IKD_ACCEPTED_SKEW, &expired);
    if (i < 0)
        return FALSE;
    const ikd_cert *ct = v.cert[i];
    char *nb = time_text(ct->not_before), *na = time_text(ct->not_after), *cap = time_text(now);
    ikd_finding *f = report(c, expired ? IKD_CAUSE_CERT_EXPIRED : IKD_CAUSE_CERT_NOT_YET_VALID, &v,
                            "certificate validity");
    ikd_finding_set(&f->offered, "%s (valid %s to %s)", ct->subject, nb, na);
    ikd_finding_message(f, "The responder's %s certificate \"%s\" (issuer \"%s\") in frame %u %s %s, %s the "
                        "capture time %s: the initiator refuses it (RFC 5280 path validation) unless it does "
                        "not check validity, so this IKE SA will not be used",
                        i ? "CA" : "end-entity", ct->subject, ct->issuer, v.cert_frame,
                        expired ? "expired on" : "is not valid before", expired ? na : nb,
                        expired ? "before" : "after", cap);
    ikd_finding_set(&f->hint, "%s the responder's certificate \"%s\" and load it (%s); if it should be "
                    "valid, check the clocks (NTP) on both peers", expired ? "renew" : "reissue", ct->subject,
                    cert_hint_tail());
    g_free(nb);
    g_free(na);
    g_free(cap);
    return TRUE;
}

/* ------------------------------------------------------------ entry */

void
ikd_rules_auth(ikd_rule_ctx *c)
{
    const ikd_msg *m = c->m;
    const ikd_notify *n;

    if (!c->ex || !c->sa || m->version != c->sa->version)
        return;
    if (c->fi->retransmission_of) {
        if (m->version == 1 && c->fi->role == IKD_ROLE_RESPONSE && c->ex->phase1_step == 2)
            mm4_repeated(c);
        else if (m->version == 1 && c->fi->role == IKD_ROLE_RESPONSE && c->ex->exch_type == IKD_X1_AGGRESSIVE)
            am_refusal(c, TRUE);
        return;
    }

    if (m->version >= 2) {
        /* AUTHENTICATION_FAILED from the responder (IKE_AUTH response) refuses
         * the initiator; from the initiator (an INFORMATIONAL it sends after
         * the IKE_AUTH response, RFC 7296 2.21.2) it refuses the responder. */
        if (c->ex->exch_type == IKD_X2_IKE_AUTH && c->fi->role == IKD_ROLE_RESPONSE && c->d &&
            c->d->has_eap && c->d->eap_code == 4) {
            eap_failure(c);
            return;
        }
        if ((n = ikd_msg_notify(m, IKD_N_AUTHENTICATION_FAILED))) {
            gboolean sender_init = (m->flags & IKD_FLAG_V2_I) != 0;
            diagnose_refusal(c, n, !sender_init);
            return;
        }
        if (c->ex->exch_type == IKD_X2_IKE_AUTH && c->fi->role == IKD_ROLE_RESPONSE && c->d &&
            (!c->d->encrypted || c->d->decrypted) && c->d->has_auth && !ikd_digest_error(c->d)) {
            if (!responder_cert_out_of_date(c))
                accepted_out_of_date(c);
        }
        return;
    }

    /* IKEv1 (RFC 2408 3.14.1): the refusal comes in an Informational. */
    if (m->exch_type == IKD_X1_INFORMATIONAL) {
        gboolean sender_init = c->ex->from_initiator;
        if ((n = ikd_msg_notify(m, IKD_N_AUTHENTICATION_FAILED)) ||
            (n = ikd_msg_notify(m, IKD_N_INVALID_HASH_INFORMATION)) ||
            (n = ikd_msg_notify(m, IKD_N_INVALID_SIGNATURE)) ||
            (n = ikd_msg_notify(m, IKD_N_INVALID_CERT_AUTHORITY)) ||
            (n = ikd_msg_notify(m, IKD_N_INVALID_CERTIFICATE)) ||
            /* in phase 1 only: in Quick Mode it is about traffic selectors */
            (!c->sa->ike_established && (n = ikd_msg_notify(m, IKD_N_INVALID_ID_INFORMATION)))) {
            diagnose_refusal(c, n, !sender_init);
            return;
        }
        if (!mm5_stall_on_reply(c))
            am_refusal(c, FALSE);
        return;
    }
    if ((c->fi->phase1_msg == 6 && m->exch_type == IKD_X1_MAIN) ||
        (c->fi->phase1_msg == 3 && m->exch_type == IKD_X1_AGGRESSIVE))
        accepted_out_of_date(c);
}
