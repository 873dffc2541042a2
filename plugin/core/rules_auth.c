/* rules_auth.c
 * Authentication refusals and identities; EAP.
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
 * Certificates are rules_certs.c, the IKEv1 PSK stalls rules_psk.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <stdio.h>
#include <string.h>

#include "rules_credentials.h"
#include "rules_certs.h"
#include "rules_psk.h"
#include "names.h"

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

/* The peer at 'addr' as another established IKE SA of the capture saw it
 * (its identity, certificates), for the first such SA whose view 'want'
 * accepts; *v holds that view.  Only the peer's own most recent SAs are
 * scanned (ikd_peer_scan_start()). */
typedef gboolean (*view_want)(const auth_view *v, const ikd_ident *id);

static const ikd_sa *
view_elsewhere(ikd_rule_ctx *c, const ikd_sa *self, const ikd_addr *addr, view_want want,
               const ikd_ident *id, auth_view *v)
{
    const GPtrArray *sas = ikd_tracker_sas_at(c->t, addr);   /* the peer's SAs only */
    for (guint s = ikd_peer_scan_start(sas); sas && s < sas->len; s++) {
        const ikd_sa *sa = g_ptr_array_index(sas, s);
        if (sa == self || !sa->ike_established || ikd_sa_has_auth_failure(sa))
            continue;
        for (int side = 0; side < 2; side++) {
            gboolean init = side == 0;
            if (!ikd_addr_equal(init ? &sa->init_addr : &sa->resp_addr, addr))
                continue;
            ikd_collect_view(sa, init, G_MAXUINT32, v);
            if (want(v, id))
                return sa;
        }
    }
    return NULL;
}

static gboolean
other_identity(const auth_view *v, const ikd_ident *id)
{
    return v->own_id && v->own_id->type == id->type && g_ascii_strcasecmp(v->own_id->text, id->text) != 0;
}

static gboolean
same_identity(const auth_view *v, const ikd_ident *id)
{
    return v->own_id && v->own_id->type == id->type && g_ascii_strcasecmp(v->own_id->text, id->text) == 0;
}

static gboolean
has_named_cert(const auth_view *v, const ikd_ident *id G_GNUC_UNUSED)
{
    return v->n_cert && (v->cert[0]->subject[0] || v->cert[0]->alt_names[0]);
}

/* Another IKE SA of the capture in which the peer at 'addr' authenticated
 * (as initiator or responder) with an identity other than 'id'. */
static const ikd_sa *
identity_elsewhere(ikd_rule_ctx *c, const ikd_sa *self, const ikd_addr *addr, const ikd_ident *id,
                   const ikd_ident **other, guint32 *other_frame)
{
    auth_view v;
    const ikd_sa *sa = view_elsewhere(c, self, addr, other_identity, id, &v);
    if (sa) {
        *other = v.own_id;
        *other_frame = v.own_id_frame;
    }
    return sa;
}

/* Another IKE SA of the capture that authenticated with the peer at 'addr'
 * using the same identity 'id': the verifier knows that identity. */
static const ikd_sa *
same_identity_elsewhere(ikd_rule_ctx *c, const ikd_sa *self, const ikd_addr *addr, const ikd_ident *id,
                        guint32 *frame)
{
    auth_view v;
    const ikd_sa *sa = view_elsewhere(c, self, addr, same_identity, id, &v);
    if (sa)
        *frame = v.own_id_frame;
    return sa;
}

/* The certificate the peer at 'addr' authenticated with in another IKE SA
 * of the capture (its subject and subjectAltNames are identities it owns). */
static const ikd_cert *
cert_elsewhere(ikd_rule_ctx *c, const ikd_sa *self, const ikd_addr *addr, guint32 *frame, const ikd_sa **osa)
{
    auth_view v;
    const ikd_sa *sa = view_elsewhere(c, self, addr, has_named_cert, NULL, &v);
    if (!sa)
        return NULL;
    *frame = v.cert_frame;
    *osa = sa;
    return v.cert[0];
}

/* The identities of a refusal the wire cannot rule out as the cause, as
 * possible id-mismatch on 'f' (after the possibles already there). */
static void
possible_identity(ikd_rule_ctx *c, ikd_finding *f, const auth_view *v)
{
    const ikd_addr *refused_addr = v->refused_init ? &c->sa->init_addr : &c->sa->resp_addr;
    guint32 frame = 0;

    if (v->refused_init && v->own_id && !same_identity_elsewhere(c, c->sa, refused_addr, v->own_id, &frame))
        ikd_finding_possible(f, IKD_CAUSE_ID_MISMATCH, "the responder may have no connection for the initiator's "
                             "identity %s \"%s\" (frame %u): check the responder's remote id (its log says "
                             "\"no matching peer config found\" then); an IKE SA of the capture that authenticated "
                             "the same identity would rule this out", id_type_name(v->own_id->type),
                             v->own_id->text, v->own_id_frame);
    else if (!v->refused_init && v->own_id)
        ikd_finding_possible(f, IKD_CAUSE_ID_MISMATCH, "the initiator may expect another remote identity than "
                             "the responder's %s \"%s\" (frame %u): check the initiator's remote id",
                             id_type_name(v->own_id->type), v->own_id->text, v->own_id_frame);
    if (v->refused_init && v->asked_id)
        ikd_finding_possible(f, IKD_CAUSE_ID_MISMATCH, "the initiator asked for the responder identity (IDr) "
                             "\"%s\" (frame %u): check the responder's local id", v->asked_id->text,
                             v->asked_id_frame);
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
        f = ikd_report_refusal(c, IKD_CAUSE_ID_MISMATCH, v, "identity");
        ikd_finding_set(&f->offered, "%s", v->own_id->text);
        ikd_finding_message(f, "%s refused the %s's authentication (%s): the %s identified as %s \"%s\" "
                            "in frame %u, but its certificate (frame %u) is for \"%s\"%s%s%s; the identity "
                            "must be the certificate's subject or one of its subjectAltNames",
                            verifier, refused, refusal, refused, id_type_name(v->own_id->type), v->own_id->text,
                            v->own_id_frame, v->cert_frame, ct->subject,
                            ct->alt_names[0] ? " (subjectAltName " : "", ct->alt_names,
                            ct->alt_names[0] ? ")" : "");
        ikd_finding_hint(f, "make the identity one the certificate holds: strongSwan swanctl.conf "
                         "local { id = ... } (ipsec.conf leftid=) on the %s and remote { id = ... } (rightid=) "
                         "on the peer; libreswan leftid=/rightid= (rightid=%%fromcert); Cisco crypto isakmp "
                         "identity dn / crypto ikev2 profile identity local", refused);
        return TRUE;
    }

    /* The same peer authenticated under another identity elsewhere. */
    if (v->own_id && (osa = identity_elsewhere(c, c->sa, refused_addr, v->own_id, &other, &other_frame))) {
        f = ikd_report_refusal(c, IKD_CAUSE_ID_MISMATCH, v, "identity");
        ikd_finding_evidence(f, other_frame);
        ikd_finding_set(&f->offered, "%s", v->own_id->text);
        ikd_finding_message(f, "%s refused the %s's authentication (%s): the %s %s identified as \"%s\" in "
                            "frame %u, but authenticated as \"%s\" in frame %u (IKE SA %u); the verifier has no "
                            "credentials or connection for the new identity",
                            verifier, refused, refusal, refused, ikd_peer_str(refused_addr, abuf, sizeof abuf),
                            v->own_id->text, v->own_id_frame, other->text, other_frame, osa->number);
        ikd_finding_hint(f, "use the identity the peer is configured for (strongSwan swanctl.conf local.id / "
                         "remote.id, ipsec.conf leftid/rightid and the ipsec.secrets selectors; libreswan "
                         "leftid/rightid; Cisco crypto isakmp identity, crypto ikev2 profile match identity remote)");
        return TRUE;
    }

    /* The initiator asked for a responder identity the responder does not
     * use (IKEv2 IDr in the IKE_AUTH request, RFC 7296 3.5). */
    if (v->asked_id &&
        (osa = identity_elsewhere(c, c->sa, &c->sa->resp_addr, v->asked_id, &other, &other_frame))) {
        f = ikd_report_refusal(c, IKD_CAUSE_ID_MISMATCH, v, "identity");
        ikd_finding_evidence(f, v->asked_id_frame);
        ikd_finding_evidence(f, other_frame);
        ikd_finding_set(&f->offered, "%s", v->asked_id->text);
        ikd_finding_message(f, "%s refused the authentication (%s): the initiator asked in frame %u for the "
                            "responder identity (IDr) \"%s\", but %s identifies as \"%s\" (frame %u, IKE SA %u)",
                            verifier, refusal, v->asked_id_frame, v->asked_id->text,
                            ikd_peer_str(&c->sa->resp_addr, abuf, sizeof abuf), other->text, other_frame,
                            osa->number);
        ikd_finding_hint(f, "set the initiator's idea of the remote identity to what the responder uses "
                         "(strongSwan swanctl.conf remote { id = %s }, ipsec.conf rightid=%s; libreswan rightid=; "
                         "Cisco crypto ikev2 profile match identity remote)", other->text, other->text);
        return TRUE;
    }

    /* ... or one its certificate (seen in another IKE SA) does not hold:
     * neither its subject nor a subjectAltName. */
    const ikd_cert *rc;
    if (v->asked_id && v->refused_init &&
        (rc = cert_elsewhere(c, c->sa, &c->sa->resp_addr, &other_frame, &osa)) &&
        !id_matches_cert(v->asked_id, rc)) {
        f = ikd_report_refusal(c, IKD_CAUSE_ID_MISMATCH, v, "identity");
        ikd_finding_evidence(f, v->asked_id_frame);
        ikd_finding_evidence(f, other_frame);
        ikd_finding_set(&f->offered, "%s", v->asked_id->text);
        ikd_finding_message(f, "%s refused the authentication (%s): the initiator asked in frame %u for the "
                            "responder identity (IDr) %s \"%s\", but the responder's certificate (frame %u, IKE SA "
                            "%u) is for \"%s\"%s%s%s, which does not hold it",
                            verifier, refusal, v->asked_id_frame, id_type_name(v->asked_id->type),
                            v->asked_id->text, other_frame, osa->number, rc->subject,
                            rc->alt_names[0] ? " (subjectAltName " : "", rc->alt_names,
                            rc->alt_names[0] ? ")" : "");
        ikd_finding_hint(f, "ask for an identity the responder's certificate holds (strongSwan swanctl.conf "
                         "remote { id = ... }, ipsec.conf rightid=; libreswan rightid=%%fromcert or the subject; Cisco "
                         "crypto ikev2 profile match identity remote), or give the responder a certificate and "
                         "local id for it");
        return TRUE;
    }
    return FALSE;
}

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

    if (ikd_sa_has_auth_failure(c->sa))
        return;
    ikd_collect_view(c->sa, refused_init, c->fi->frame, &v);
    method = v2 ? v.v2_method : ikd_v1_auth_method(c->sa);
    /* After EAP the AUTH payload is a "shared key MIC" over the EAP MSK,
     * not a configured PSK. */
    psk = v2 ? method == 2 && !v.eap : ikd_is_psk_v1(method);
    snprintf(verifier, sizeof verifier, "%s %s", refused_init ? "Responder" : "Initiator",
               ikd_peer_str(&m->src, abuf, sizeof abuf));
    snprintf(refusal, sizeof refusal, "%s in frame %u", ikd_notify_name(n->type, nbuf, sizeof nbuf),
               c->fi->frame);

    if (!psk && ikd_diagnose_cert_validity(c, &v, verifier, refusal))
        return;
    if (diagnose_identity(c, &v, verifier, refusal))
        return;
    if (!v2 && n->type == IKD_N_INVALID_ID_INFORMATION) {
        f = ikd_report_refusal(c, IKD_CAUSE_ID_MISMATCH, &v, "identity");
        ikd_finding_message(f, "%s refused the %s's phase 1 identity%s%s%s with INVALID_ID_INFORMATION in frame %u",
                            verifier, refused, v.own_id ? " \"" : "", v.own_id ? v.own_id->text : "",
                            v.own_id ? "\"" : "", c->fi->frame);
        ikd_finding_hint(f, "make the identities match the peer's configuration (strongSwan leftid/rightid "
                         "or local.id/remote.id; libreswan leftid/rightid; Cisco crypto isakmp identity)");
        return;
    }
    if (!psk && ikd_diagnose_cert_trust(c, &v, n, verifier, refusal))
        return;

    /* Certificates: valid, matching the identity, from a CA both peers ask
     * for (so most likely trusted), and still refused by the responder:
     * what is left on the wire is the identity, which the responder has no
     * connection for (strongSwan "no matching peer config found"). */
    guint32 shared_frame = 0;
    if (!psk && !v.eap && v.refused_init && v.n_cert && v.own_id && v2 &&
        ikd_cert_ca_shared(c, &v, &shared_frame)) {
        guint32 same_frame = 0;
        const ikd_sa *same = same_identity_elsewhere(c, c->sa, &c->sa->init_addr, v.own_id, &same_frame);
        if (!same) {
            f = ikd_report_refusal(c, IKD_CAUSE_ID_MISMATCH, &v, "identity");
            ikd_finding_evidence(f, v.own_id_frame);
            ikd_finding_evidence(f, shared_frame);
            ikd_finding_set(&f->offered, "%s", v.own_id->text);
            ikd_finding_message(f, "%s refused the initiator's authentication (%s), most likely because it has no "
                                "connection for the initiator's identity %s \"%s\" (frame %u)%s%s%s: the certificate "
                                "\"%s\" is valid at capture time, matches the identity, and its peer asks in CERTREQ "
                                "(frame %u) for a CA the responder asks for too, so the chain is most likely trusted "
                                "(not proven: the CA's certificate is not in the capture)",
                                verifier, refusal, id_type_name(v.own_id->type), v.own_id->text, v.own_id_frame,
                                v.asked_id ? " or does not own the requested identity (IDr) \"" : "",
                                v.asked_id ? v.asked_id->text : "", v.asked_id ? "\"" : "",
                                v.cert[0]->subject, shared_frame);
            ikd_finding_hint(f, "give the responder a connection for this identity (strongSwan swanctl.conf "
                             "remote { id = %s } and local { id = ... } matching the IDr; ipsec.conf rightid=/leftid=; "
                             "libreswan rightid=/leftid=; Cisco crypto ikev2 profile match identity remote fqdn ...)",
                             v.own_id->text);
            ikd_finding_possible(f, IKD_CAUSE_CERT_UNTRUSTED, "if the responder does not trust \"%s\" after all, "
                                 "or the certificate is revoked: its log says \"no trusted ... public key found\" "
                                 "(a CERTREQ of the initiator naming other CAs than the responder's would point "
                                 "there)", v.cert[0]->issuer);
            return;
        }
    }

    /* IKEv2 with pre-shared keys: the responder answers with its own AUTH
     * only after it verified the initiator's (RFC 7296 2.15), so the key is
     * the same when the initiator refuses that answer: what it refuses is
     * the responder's identity (strongSwan: "constraint check failed:
     * identity ... required"), unless each direction has its own key. */
    if (v2 && psk && !refused_init && v.cred && v.own_id) {
        auth_view iv;
        ikd_collect_view(c->sa, TRUE, c->fi->frame, &iv);
        gboolean asked_same = v.asked_id && g_ascii_strcasecmp(v.asked_id->text, v.own_id->text) == 0;
        if (iv.cred && iv.v2_method == 2 && !iv.eap && !asked_same) {
            f = ikd_report_refusal(c, IKD_CAUSE_ID_MISMATCH, &v, "identity");
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
            ikd_finding_hint(f, "make the initiator's remote identity match what the responder uses (\"%s\"): "
                             "strongSwan swanctl.conf remote { id = %s } (ipsec.conf rightid=%s), or the responder's "
                             "local.id/leftid; libreswan rightid=; Cisco crypto ikev2 profile match identity remote",
                             v.own_id->text, v.own_id->text, v.own_id->text);
            return;
        }
    }

    if (psk) {
        f = ikd_report_refusal(c, IKD_CAUSE_PSK_MISMATCH, &v, "pre-shared key");
        if (v.own_id)
            ikd_finding_set(&f->offered, "%s", v.own_id->text);
        char where[48] = "";
        if (v2 && v.cred)
            snprintf(where, sizeof where, ", AUTH in frame %u", v.cred->frame);
        else if (v.own_id_frame)
            snprintf(where, sizeof where, ", identity in frame %u", v.own_id_frame);
        ikd_finding_message(f, "%s refused the %s's pre-shared key authentication%s%s%s (%s%s): the pre-shared "
                            "keys differ, or the %s has no key or connection for that identity",
                            verifier, refused, v.own_id ? " as \"" : "", v.own_id ? v.own_id->text : "",
                            v.own_id ? "\"" : "", refusal, where, ikd_side_name(!refused_init));
        ikd_finding_hint(f, "set the same secret on both peers for these identities (strongSwan swanctl.conf "
                         "secrets { ike-x { id-1 = ...; id-2 = ...; secret = ... } } with local/remote id; "
                         "ipsec.conf leftid/rightid with authby=secret and ipsec.secrets \"<leftid> <rightid> : "
                         "PSK ...\"; libreswan authby=secret, leftid/rightid and ipsec.secrets; Cisco "
                         "crypto ikev2 keyring pre-shared-key / crypto isakmp key ... address, tunnel-group "
                         "ipsec-attributes pre-shared-key)");
        possible_identity(c, f, &v);
        return;
    }

    f = ikd_report_refusal(c, IKD_CAUSE_AUTH_FAILED, &v, "authentication");
    if (v.own_id)
        ikd_finding_set(&f->offered, "%s", v.own_id->text);
    if (v.eap) {
        ikd_finding_message(f, "%s refused the %s's EAP authentication (%s)%s%s%s: the EAP credentials (user name "
                            "or password) or the EAP method do not match", verifier, refused, refusal,
                            v.own_id ? "; identity \"" : "", v.own_id ? v.own_id->text : "", v.own_id ? "\"" : "");
        ikd_finding_hint(f, "check the EAP identity and secret and the EAP method on both sides (strongSwan "
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
    ikd_finding_hint(f, "check the credentials and the identities both peers expect (strongSwan swanctl.conf "
                     "local/remote auth, id, certs, cacerts; ipsec.conf leftauth/rightauth, leftid/rightid, "
                     "leftcert; libreswan leftid/rightid, leftcert, authby=; Cisco identity, trustpoint, "
                     "authentication method in the IKE profile/policy), revocation (CRL/OCSP) and that the "
                     "private key belongs to the certificate");
    if (v.n_cert && !psk)
        ikd_finding_possible(f, IKD_CAUSE_CERT_UNTRUSTED, "the verifier may not trust the issuer \"%s\" or the "
                             "certificate may be revoked; the capture does not hold the CA's certificate",
                             v.cert[0]->issuer);
    possible_identity(c, f, &v);
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

    if (ikd_sa_has_auth_failure(c->sa))
        return;
    ikd_collect_view(c->sa, TRUE, c->fi->frame, &v);
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
        snprintf(mbuf, sizeof mbuf, "%s", name);
    else if (method)
        snprintf(mbuf, sizeof mbuf, "type %u", method);
    else
        g_strlcpy(mbuf, "not visible", sizeof mbuf);

    f = ikd_report_refusal(c, IKD_CAUSE_AUTH_FAILED, &v, "EAP credentials");
    ikd_finding_evidence(f, last_init_eap);
    if (v.own_id)
        ikd_finding_set(&f->offered, "%s", v.own_id->text);
    char who[IKD_MAX_ID_TEXT + 16] = "", last[64] = "";
    if (v.own_id)
        snprintf(who, sizeof who, ", identity \"%s\"", v.own_id->text);
    if (last_init_eap)
        snprintf(last, sizeof last, ", the initiator's last EAP response in frame %u", last_init_eap);
    ikd_finding_message(f, "Responder %s ended the initiator's EAP authentication with EAP-Failure in frame %u "
                        "(EAP method %s%s%s): the EAP user name or password is wrong, or the method is not "
                        "accepted for this user", ikd_peer_str(&c->m->src, abuf, sizeof abuf), c->fi->frame,
                        mbuf, who, last);
    ikd_finding_hint(f, "check the EAP identity and password and the EAP method on both sides (strongSwan "
                     "swanctl.conf secrets { eap-x { id = ...; secret = ... } } and remote { auth = eap-md5 / "
                     "eap-mschapv2 / eap-radius; eap_id = %%any }, ipsec.conf rightauth=eap-... and ipsec.secrets "
                     "\"user : EAP \"...\"\"; the RADIUS server's log when eap-radius is used; Cisco: the AAA "
                     "server and crypto ikev2 profile authentication remote eap)");
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
        if (m->version == 1 && c->fi->role == IKD_ROLE_RESPONSE)
            ikd_rules_psk_repeat(c);
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
        if ((n = ikd_digest_notify(&m->digest, IKD_N_AUTHENTICATION_FAILED))) {
            gboolean sender_init = (m->flags & IKD_FLAG_V2_I) != 0;
            diagnose_refusal(c, n, !sender_init);
            return;
        }
        if (c->ex->exch_type == IKD_X2_IKE_AUTH && c->fi->role == IKD_ROLE_RESPONSE && c->d &&
            (!c->d->encrypted || c->d->decrypted) && c->d->has_auth && !ikd_digest_error(c->d)) {
            if (!ikd_cert_responder_out_of_date(c))
                ikd_cert_accepted_out_of_date(c);
        }
        return;
    }

    /* IKEv1 (RFC 2408 3.14.1): the refusal comes in an Informational. */
    if (m->exch_type == IKD_X1_INFORMATIONAL) {
        gboolean sender_init = c->ex->from_initiator;
        if ((n = ikd_digest_notify(&m->digest, IKD_N_AUTHENTICATION_FAILED)) ||
            (n = ikd_digest_notify(&m->digest, IKD_N_INVALID_HASH_INFORMATION)) ||
            (n = ikd_digest_notify(&m->digest, IKD_N_INVALID_SIGNATURE)) ||
            (n = ikd_digest_notify(&m->digest, IKD_N_INVALID_CERT_AUTHORITY)) ||
            (n = ikd_digest_notify(&m->digest, IKD_N_INVALID_CERTIFICATE)) ||
            /* in phase 1 only: in Quick Mode it is about traffic selectors */
            (!c->sa->ike_established && (n = ikd_digest_notify(&m->digest, IKD_N_INVALID_ID_INFORMATION)))) {
            diagnose_refusal(c, n, !sender_init);
            return;
        }
        ikd_rules_psk_reply(c);
        return;
    }
    if ((c->fi->phase1_msg == 6 && m->exch_type == IKD_X1_MAIN) ||
        (c->fi->phase1_msg == 3 && m->exch_type == IKD_X1_AGGRESSIVE))
        ikd_cert_accepted_out_of_date(c);
}

