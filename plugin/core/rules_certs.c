/* rules_certs.c
 * Certificates: validity at capture time, trust (the CAs the verifier
 * asked for in CERTREQ), and what the clear part of an SA says about its
 * authentication when IKE_AUTH is encrypted.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include "rules_certs.h"
#include "names.h"

/* Clock difference tolerated between the capture host and a peer that
 * accepted a certificate (seconds). */
#define IKD_ACCEPTED_SKEW 300

/* ------------------------------------------------------------ certificates */

typedef enum {
    TRUST_UNKNOWN,                  /* no CERTREQ, or "any CA" */
    TRUST_OK,                       /* the issuer (or a CA above it) was asked for */
    TRUST_NOT_REQUESTED,            /* the chain ends at a CA that was not asked for */
    TRUST_NOT_PROVEN                /* the issuer's key is not in the capture */
} trust_result;

/* Every certificate of the capture by subject DN, the first one seen for
 * each: the family's state for the whole capture (a lookup per refusal,
 * not a scan of every SA: tools/bench/core-scale.c "certs"). */
static gpointer
certs_by_subject_new(void)
{
    return g_hash_table_new(g_str_hash, g_str_equal);
}

static GHashTable *
certs_by_subject(ikd_rule_ctx *c)
{
    return ikd_tracker_family_state(c->t, IKD_SLOT_CERTS, certs_by_subject_new,
                                    (GDestroyNotify)g_hash_table_destroy);
}

void
ikd_rules_certs_index(ikd_rule_ctx *c)
{
    GHashTable *by_subject;

    if (!c->d || !c->d->n_cert)
        return;
    by_subject = certs_by_subject(c);
    for (guint k = 0; k < c->d->n_cert; k++) {
        const ikd_cert *ct = &IKD_CERT(c->d)[k];
        /* keys and values live in the tracker's digests */
        if (ct->subject[0] && !g_hash_table_contains(by_subject, ct->subject))
            g_hash_table_insert(by_subject, (gpointer)ct->subject, (gpointer)ct);
    }
}

/* Any certificate of the capture whose subject is 'dn' (the issuer's own
 * certificate, sent in a chain or by another SA). */
static const ikd_cert *
cert_by_subject(ikd_rule_ctx *c, const char *dn)
{
    if (!dn[0])
        return NULL;
    return g_hash_table_lookup(certs_by_subject(c), dn);
}

static gboolean
creq_has_hash(const auth_view *v, const guint8 *hash)
{
    for (guint i = 0; i < v->n_creq; i++) {
        if (v->creq[i]->hash_len == IKD_SHA1_LEN && memcmp(v->creq[i]->hash, hash, IKD_SHA1_LEN) == 0)
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
            ikd_hex_append(s, v->creq[i]->hash, v->creq[i]->hash_len);
        } else if (v->creq[i]->dn[0]) {
            g_string_append_printf(s, "\"%s\"", v->creq[i]->dn);
        }
    }
    return g_string_free(s, FALSE);
}

static trust_result
check_trust(ikd_rule_ctx *c, const auth_view *v, const ikd_cert *ee)
{
    gboolean by_hash = FALSE, by_dn = FALSE;
    const ikd_cert *cur = ee;

    for (guint i = 0; i < v->n_creq; i++) {
        if (v->creq[i]->hash_len == IKD_SHA1_LEN)
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
        issuer = strcmp(cur->issuer, cur->subject) == 0 ? cur : cert_by_subject(c, cur->issuer);
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
verifier_trusted_cert(ikd_rule_ctx *c, const ikd_sa *self, const ikd_addr *verifier, gboolean *accepted,
                      guint32 *frame)
{
    const GPtrArray *sas = ikd_tracker_sas_at(c->t, verifier);   /* the verifier's SAs only */
    const ikd_cert *own = NULL;
    guint32 own_frame = 0;

    for (guint s = ikd_peer_scan_start(sas); sas && s < sas->len; s++) {
        const ikd_sa *sa = g_ptr_array_index(sas, s);
        for (int side = 0; side < 2; side++) {
            gboolean init = side == 0;
            gboolean is_verifier = ikd_addr_equal(init ? &sa->init_addr : &sa->resp_addr, verifier);
            auth_view v;
            if (!is_verifier && (sa == self || !sa->ike_established || ikd_sa_has_auth_failure(sa)))
                continue;
            ikd_collect_view(sa, init, G_MAXUINT32, &v);
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

gboolean
ikd_diagnose_cert_validity(ikd_rule_ctx *c, const auth_view *v, const char *verifier, const char *refusal)
{
    gint64 now = view_time(c, v);
    const char *refused = ikd_side_name(v->refused_init);
    gboolean expired;
    ikd_finding *f;
    int i = out_of_date_cert(v, now, 0, &expired);

    if (i < 0)
        return FALSE;
    const ikd_cert *ct = v->cert[i];
    char *nb = ikd_time_text(ct->not_before), *na = ikd_time_text(ct->not_after), *cap = ikd_time_text(now);
    f = ikd_report_refusal(c, expired ? IKD_CAUSE_CERT_EXPIRED : IKD_CAUSE_CERT_NOT_YET_VALID, v,
               "certificate validity");
    ikd_finding_set(&f->offered, "%s (valid %s to %s)", ct->subject, nb, na);
    if (expired) {
        ikd_finding_message(f, "%s refused the %s's authentication (%s): the %s certificate \"%s\" "
                            "(issuer \"%s\") the %s sent in frame %u expired on %s, before the capture "
                            "time %s", verifier, refused, refusal, i ? "CA" : "end-entity", ct->subject,
                            ct->issuer, refused, v->cert_frame, na, cap);
        ikd_finding_hint(f, "renew the %s's certificate \"%s\" and load it (%s); if it should still "
                         "be valid, the clocks are wrong: check NTP on both peers", refused, ct->subject,
                         cert_hint_tail());
    } else {
        ikd_finding_message(f, "%s refused the %s's authentication (%s): the %s certificate \"%s\" "
                            "(issuer \"%s\") the %s sent in frame %u is not valid before %s, after the "
                            "capture time %s", verifier, refused, refusal, i ? "CA" : "end-entity",
                            ct->subject, ct->issuer, refused, v->cert_frame, nb, cap);
        ikd_finding_hint(f, "the verifying peer's clock is behind or the certificate was issued with a "
                         "future start date: check NTP on both peers, or reissue \"%s\" with a current "
                         "notBefore (strongSwan pki --issue --not-before, openssl -startdate) and load it (%s)",
                         ct->subject, cert_hint_tail());
    }
    g_free(nb);
    g_free(na);
    g_free(cap);
    return TRUE;
}


gboolean
ikd_diagnose_cert_trust(ikd_rule_ctx *c, const auth_view *v, const ikd_notify *n, const char *verifier,
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
    tr = check_trust(c, v, ee);
    if (n->type == IKD_N_INVALID_CERT_AUTHORITY && tr != TRUST_OK)
        tr = TRUST_NOT_REQUESTED;
    if (tr == TRUST_UNKNOWN || tr == TRUST_OK)
        return FALSE;

    const ikd_cert *known = NULL;
    gboolean accepted = FALSE;
    guint32 known_frame = 0, own_creq_frame = 0;
    auth_view rv;
    gboolean own_creq = FALSE;
    if (tr == TRUST_NOT_PROVEN) {
        /* The CERTREQ hash and the authorityKeyIdentifier are different
         * hashes of the CA key: they never match, so they prove nothing.
         * What the refused side asks for itself does: a CA both ask for is
         * most likely the one that issued its certificate. */
        if (ikd_cert_ca_shared(c, v, &own_creq_frame))
            return FALSE;
        ikd_collect_view(c->sa, !v->refused_init, c->fi ? c->fi->frame : G_MAXUINT32, &rv);
        own_creq = rv.n_creq > 0;
        own_creq_frame = rv.creq_frame;
        known = verifier_trusted_cert(c, c->sa, &c->m->src, &accepted, &known_frame);
        /* The verifier accepted (or itself uses) a certificate from the same
         * CA: that CA is most likely trusted, so the cause is elsewhere. */
        if (known && strcmp(known->issuer, ee->issuer) == 0 &&
            (!known->aki_len || !ee->aki_len ||
             (known->aki_len == ee->aki_len && memcmp(known->aki, ee->aki, ee->aki_len) == 0)))
            return FALSE;
    }

    asked = creq_text(v);
    f = ikd_report_refusal(c, IKD_CAUSE_CERT_UNTRUSTED, v, "certificate issuer");
    ikd_finding_evidence(f, v->creq_frame);
    ikd_finding_set(&f->offered, "%s", ee->issuer);
    if (tr == TRUST_NOT_REQUESTED) {
        ikd_finding_message(f, "%s refused the %s's authentication (%s): the %s's certificate \"%s\" (frame %u) "
                            "was issued by \"%s\", which is not among the CAs the %s asked for in CERTREQ "
                            "(frame %u: %s)", verifier, refused, refusal, refused, ee->subject, v->cert_frame,
                            ee->issuer, verifier_side, v->creq_frame, asked);
    } else {
        GString *aki = g_string_new(NULL);
        ikd_hex_append(aki, ee->aki, ee->aki_len);
        char *own = own_creq ? creq_text(&rv) : NULL;
        ikd_finding_message(f, "%s refused the %s's authentication (%s): the %s's certificate \"%s\" (frame %u) "
                            "was issued by \"%s\"%s%s%s, while the %s asked in CERTREQ (frame %u) for %s%s%s%s%s%s; "
                            "no certificate of that issuer is in the capture to prove it is one of them%s%s%s. The "
                            "certificate is valid at capture time and matches the identity, so an untrusted "
                            "issuer is %s (a revoked certificate or a private key that does not "
                            "belong to the certificate would look the same on the wire)",
                            verifier, refused, refusal, refused, ee->subject, v->cert_frame, ee->issuer,
                            aki->len ? " (authorityKeyIdentifier " : "", aki->str, aki->len ? ")" : "",
                            verifier_side, v->creq_frame, asked,
                            own ? ", and the " : "", own ? refused : "",
                            own ? " itself asked for other CAs only (" : "", own ? own : "",
                            own ? "): the two peers do not share a CA" : "",
                            !known ? "" : accepted ? ", while the verifier accepted a certificate from \""
                                                   : ", while the verifier's own certificate comes from \"",
                            known ? known->issuer : "", known ? "\"" : "",
                            own ? "the most likely reason" : "likely, not proven");
        if (known)
            ikd_finding_evidence(f, known_frame);
        if (own)
            ikd_finding_evidence(f, own_creq_frame);
        if (v->refused_init && v->own_id)
            ikd_finding_possible(f, IKD_CAUSE_ID_MISMATCH, "the responder may have no connection for the "
                                 "initiator's identity \"%s\" (frame %u); its log says \"no matching peer "
                                 "config\" then, and the CA of \"%s\" in its trust store tells it apart",
                                 v->own_id->text, v->own_id_frame, ee->issuer);
        g_free(own);
        g_string_free(aki, TRUE);
    }
    ikd_finding_hint(f, "make the %s trust the CA \"%s\" (strongSwan: its certificate in "
                     "/etc/swanctl/x509ca and swanctl --load-creds, ipsec.conf: /etc/ipsec.d/cacerts; "
                     "libreswan: certutil -A -t CT,, into the NSS database; Cisco: crypto pki trustpoint and "
                     "crypto pki authenticate), or issue the %s's certificate from a CA it already trusts",
                     verifier_side, ee->issuer, refused);
    g_free(asked);
    return TRUE;
}

gboolean
ikd_cert_ca_shared(const ikd_rule_ctx *c, const auth_view *v, guint32 *frame)
{
    auth_view rv;

    *frame = 0;
    ikd_collect_view(c->sa, !v->refused_init, c->fi ? c->fi->frame : G_MAXUINT32, &rv);
    for (guint i = 0; i < rv.n_creq; i++) {
        if (rv.creq[i]->hash_len != IKD_SHA1_LEN)
            continue;
        if (creq_has_hash(v, rv.creq[i]->hash)) {
            *frame = rv.creq_frame;
            return TRUE;
        }
    }
    return FALSE;
}

/* ------------------------------------------------------------ no keys */

char *
ikd_auth_known(const ikd_sa *sa, guint32 *evidence_frame, gboolean text)
{
    GString *s = text ? g_string_new(NULL) : NULL;
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
            if (!*evidence_frame)
                *evidence_frame = d->frame;
            if (!s)
                return NULL;    /* the evidence was all that was asked for */
            g_string_append_printf(s, "%s the %s asked in frame %u for certificates from ",
                                   s->len ? ";" : "certificate authentication is expected:",
                                   ikd_side_name(by_init[i]), d->frame);
            for (guint k = 0; k < d->n_certreq; k++) {
                const ikd_certreq *r = &IKD_CERTREQ(d)[k];
                if (k)
                    g_string_append(s, ", ");
                if (r->hash_len) {
                    g_string_append(s, "CA key SHA-1 ");
                    ikd_hex_append(s, r->hash, r->hash_len);
                } else {
                    g_string_append_printf(s, "\"%s\"", r->dn[0] ? r->dn : "any CA");
                }
            }
        }
    }
    if (!s)
        return NULL;
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
void
ikd_cert_accepted_out_of_date(ikd_rule_ctx *c)
{
    auth_view v;
    gboolean expired;

    ikd_collect_view(c->sa, TRUE, c->fi->frame, &v);
    gint64 now = view_time(c, &v);
    /* The peer's clock said yes: a few minutes off is the two clocks, not
     * the certificate. */
    int i = out_of_date_cert(&v, now, IKD_ACCEPTED_SKEW, &expired);
    if (i < 0)
        return;
    const ikd_cert *ct = v.cert[i];
    char *bound = ikd_time_text(expired ? ct->not_after : ct->not_before), *cap = ikd_time_text(now);
    ikd_finding *f = ikd_report(c->fs, c->sa, c->ex, c->fi->frame,
                                expired ? IKD_CAUSE_CERT_EXPIRED : IKD_CAUSE_CERT_NOT_YET_VALID, FALSE);
    ikd_finding_evidence(f, v.cert_frame);
    ikd_finding_set(&f->mismatch, "certificate validity");
    ikd_finding_message(f, "The %s's certificate \"%s\" (frame %u) was %s %s at the capture time %s, yet "
                        "the authentication succeeded: the capture's clock is off or the peer does not "
                        "check validity", ikd_side_name(TRUE), ct->subject, v.cert_frame,
                        expired ? "expired since" : "not valid before", bound, cap);
    ikd_finding_hint(f, "check the clocks (NTP); renew the certificate before the peers enforce it (%s)",
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
gboolean
ikd_cert_responder_out_of_date(ikd_rule_ctx *c)
{
    auth_view v;
    gboolean expired;

    ikd_collect_view(c->sa, FALSE, c->fi->frame, &v);
    gint64 now = view_time(c, &v);
    int i = out_of_date_cert(&v, now, IKD_ACCEPTED_SKEW, &expired);
    if (i < 0)
        return FALSE;
    const ikd_cert *ct = v.cert[i];
    char *nb = ikd_time_text(ct->not_before), *na = ikd_time_text(ct->not_after), *cap = ikd_time_text(now);
    ikd_finding *f = ikd_report_refusal(c, expired ? IKD_CAUSE_CERT_EXPIRED : IKD_CAUSE_CERT_NOT_YET_VALID, &v,
                            "certificate validity");
    ikd_finding_set(&f->offered, "%s (valid %s to %s)", ct->subject, nb, na);
    ikd_finding_message(f, "The responder's %s certificate \"%s\" (issuer \"%s\") in frame %u %s %s, %s the "
                        "capture time %s: the initiator refuses it (RFC 5280 path validation) unless it does "
                        "not check validity, so this IKE SA will not be used",
                        i ? "CA" : "end-entity", ct->subject, ct->issuer, v.cert_frame,
                        expired ? "expired on" : "is not valid before", expired ? na : nb,
                        expired ? "before" : "after", cap);
    ikd_finding_hint(f, "%s the responder's certificate \"%s\" and load it (%s); if it should be "
                     "valid, check the clocks (NTP) on both peers", expired ? "renew" : "reissue", ct->subject,
                     cert_hint_tail());
    g_free(nb);
    g_free(na);
    g_free(cap);
    return TRUE;
}

