/* rules_encrypted.c
 * What the clear structure of an encrypted exchange proves when no key
 * opens it, and what is left to say where it proves nothing.
 *
 * Failures the structure proves, without keys:
 *   ike-auth-refused    an IKEv2 IKE_AUTH answer too small for IDr + AUTH
 *   child-sa-refused    a CREATE_CHILD_SA answer too small for SA + Nonce + TS
 *                       (or SA + Nonce + KE)
 *   phase1-refused      an IKEv1 Informational from the responder after MM5,
 *                       instead of MM6
 *   quick-mode-refused  an IKEv1 Informational from the Quick Mode responder
 *                       instead of QM2
 * A note (encrypted-outcome) where the structure proves nothing: the
 * exchange was answered, and which key would tell the rest.
 *
 * Only messages Wireshark did not decrypt get here: with keys the other
 * families read the answer and name the precise cause on the same frame
 * (auth-failed, psk-mismatch, ts-mismatch, ...), and these rules stay
 * silent.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <stdio.h>
#include <string.h>

#include "rules_common.h"
#include "rules_certs.h"
#include "names.h"

/* ------------------------------------------------------------ IKEv2 sizes */

/* An encrypted IKEv2 message (RFC 7296 3.14) is
 *
 *   IKE header (28) | SK generic header (4) | IV | ciphertext | ICV
 *
 * where the ciphertext holds the inner payloads, then padding, then the
 * one-byte Pad Length.  Other clear payloads may come before SK; they only
 * make the SK payload smaller.  So the inner payloads of a message of L
 * bytes take at most L - 28 - 4 - IV - ICV - 1 bytes, with the IV and ICV
 * of the algorithms chosen in the clear IKE_SA_INIT response, or, when
 * those are not in the capture, the smallest any IKEv2 cipher has.  The
 * bound never undercounts: padding is taken as 0 bytes. */
#define IKD_IKE_HEADER_LEN     28   /* RFC 7296 3.1 */
#define IKD_GENERIC_HEADER_LEN 4    /* RFC 7296 3.2: every payload starts with one */
#define IKD_PAD_LENGTH_LEN     1    /* RFC 7296 3.14 */
/* Smallest IV and ICV of any cipher IKEv2 may use: 8-byte IVs for 3DES,
 * the CTR, CCM and GCM modes and ChaCha20-Poly1305 (RFC 5930, 5282, 7634;
 * AES-CBC and Camellia-CBC have 16), 8-byte ICVs for AES-CCM_8 and
 * AES-GCM_8 (RFC 5282; the HMACs truncate to 12 or more).  ENCR_NULL is
 * for ESP only (RFC 7296 3.3.2). */
#define IKD_MIN_IV   8
#define IKD_MIN_ICV  8

/* The smallest inner payloads of an accepting answer.  Each payload has
 * its 4-byte generic header; sizes from RFC 7296 3.3-3.16. */
#define IKD_MIN_IDR_LEN   9         /* 3.5: header, ID type, 3 reserved, >= 1 byte of identity */
#define IKD_MIN_AUTH_LEN  24        /* 3.8: header, method, 3 reserved, >= 16 bytes (the shortest
                                       PRF output: PRF_HMAC_MD5, PRF_AES128_XCBC/CMAC; the
                                       signatures are far longer) */
#define IKD_MIN_EAP_LEN   9         /* 3.16: header, EAP code, identifier, length, type */
#define IKD_MIN_CHILD_SA_LEN 24     /* 3.3: header, proposal (8 + a 4-byte ESP/AH SPI), one
                                       transform (8); ESN, mandatory for ESP, not counted */
#define IKD_MIN_IKE_SA_LEN   44     /* 3.3: header, proposal (8 + 8-byte SPI), ENCR, PRF and DH
                                       (an AEAD cipher needs no INTEG) */
#define IKD_MIN_NONCE_LEN 20        /* 3.9 and 2.10: header, >= 16 bytes */
#define IKD_MIN_TS_LEN    24        /* 3.13: header, count, 3 reserved, one IPv4 selector (16) */
#define IKD_MIN_KE_LEN    40        /* 3.4: header, group, 2 reserved, >= 32 bytes (Curve25519,
                                       the shortest public value of any group) */

/* The first IKE_AUTH answer that accepts the initiator carries IDr and
 * AUTH (RFC 7296 1.2), or IDr and EAP when the responder authenticates by
 * EAP alone (RFC 5998): at least 9 + 9 = 18 bytes of payloads.  A refusal
 * is a lone notify, N(AUTHENTICATION_FAILED) being 8 bytes. */
#define IKD_IKE_AUTH_ACCEPT_MIN (IKD_MIN_IDR_LEN + MIN(IKD_MIN_AUTH_LEN, IKD_MIN_EAP_LEN))
/* A CREATE_CHILD_SA answer that accepts carries SA, Nonce and TSi + TSr
 * for a child SA (24 + 20 + 2 * 24 = 92 bytes, plus KE with PFS), or SA,
 * Nonce and KE for an IKE SA rekey (44 + 20 + 40 = 104) (RFC 7296 1.3).  A
 * refusal is a lone notify: 8 bytes (NO_PROPOSAL_CHOSEN, TS_UNACCEPTABLE,
 * NO_ADDITIONAL_SAS), 10 for INVALID_KE_PAYLOAD. */
#define IKD_CHILD_ACCEPT_MIN \
    MIN(IKD_MIN_CHILD_SA_LEN + IKD_MIN_NONCE_LEN + 2 * IKD_MIN_TS_LEN, \
        IKD_MIN_IKE_SA_LEN + IKD_MIN_NONCE_LEN + IKD_MIN_KE_LEN)

G_STATIC_ASSERT(IKD_IKE_AUTH_ACCEPT_MIN == 18);
G_STATIC_ASSERT(IKD_CHILD_ACCEPT_MIN == 92);

/* IV and ICV of an IKEv2 cipher (IANA transform type 1); the ICV only for
 * combined-mode ciphers, whose integrity is the cipher's.  FALSE when the
 * cipher is unknown or not for IKE. */
static gboolean
encr_sizes(guint16 id, guint8 *iv, guint8 *icv)
{
    *icv = 0;
    switch (id) {
    case 2: case 3: case 4: case 5: case 6: case 7: case 8:
        *iv = 8;                    /* DES, 3DES, RC5, IDEA, CAST, BLOWFISH, 3IDEA: CBC, 64-bit blocks */
        return TRUE;
    case 12: case 23:
        *iv = 16;                   /* AES-CBC (RFC 3602), Camellia-CBC (RFC 5529) */
        return TRUE;
    case 13: case 24:
        *iv = 8;                    /* AES-CTR (RFC 5930), Camellia-CTR (RFC 5529) */
        return TRUE;
    case 14: case 25: *iv = 8; *icv = 8;  return TRUE;     /* AES/Camellia-CCM_8 (RFC 5282, 5529) */
    case 15: case 26: *iv = 8; *icv = 12; return TRUE;     /* CCM_12 */
    case 16: case 27: *iv = 8; *icv = 16; return TRUE;     /* CCM_16 */
    case 18: *iv = 8; *icv = 8;  return TRUE;              /* AES-GCM_8 (RFC 5282) */
    case 19: *iv = 8; *icv = 12; return TRUE;              /* AES-GCM_12 */
    case 20: *iv = 8; *icv = 16; return TRUE;              /* AES-GCM_16 */
    case 28: *iv = 8; *icv = 16; return TRUE;              /* ChaCha20-Poly1305 (RFC 7634) */
    default:
        return FALSE;
    }
}

/* ICV of an IKEv2 integrity algorithm (IANA transform type 3), 0 if unknown. */
static guint8
integ_icv(guint16 id)
{
    switch (id) {
    case 1: case 2: case 5: case 8: return 12;     /* HMAC_MD5_96, HMAC_SHA1_96, AES_XCBC_96, AES_CMAC_96 */
    case 3: return 8;                               /* DES_MAC */
    case 4: case 6: return 16;                      /* KPDK_MD5, HMAC_MD5_128 */
    case 7: return 20;                              /* HMAC_SHA1_160 */
    case 12: return 16;                             /* HMAC_SHA2_256_128 (RFC 4868) */
    case 13: return 24;                             /* HMAC_SHA2_384_192 */
    case 14: return 32;                             /* HMAC_SHA2_512_256 */
    default: return 0;
    }
}

/* How much an encrypted IKEv2 message can hold: the bound, and the words
 * that justify it. */
typedef struct {
    gint    max_inner;              /* most bytes of inner payloads; < 0: no bound */
    guint32 length;                 /* the message's length */
    guint32 chosen_in;              /* frame of the IKE_SA_INIT response that chose the
                                       algorithms, 0 when they are not known */
    guint8  iv, icv;                /* the sizes the bound assumed */
    char    algs[96];               /* "AES_CBC_256 and HMAC_SHA2_256_128" */
} sk_room;

/* The IKE proposal the responder chose in the clear IKE_SA_INIT response,
 * or NULL (not captured, or a rekeyed IKE SA whose CREATE_CHILD_SA was
 * encrypted). */
static const ikd_digest *
chosen_ike_proposal(const ikd_sa *sa, const ikd_proposal **p)
{
    const ikd_digest *found = NULL;

    for (const ikd_exchange *ex = sa->exchanges; ex; ex = ex->next_in_sa) {
        const ikd_digest *d = ex->response.msg;
        if (ex->exch_type == IKD_X2_IKE_SA_INIT && d && d->n_prop == 1 &&
            IKD_PROP(d)[0].protocol == IKD_PROTO_IKE)
            found = d;
    }
    if (found)
        *p = &IKD_PROP(found)[0];
    return found;
}

static void
room_of(const ikd_sa *sa, const ikd_msg *m, sk_room *r)
{
    const ikd_proposal *p = NULL;
    const ikd_digest *init = chosen_ike_proposal(sa, &p);
    guint8 iv = IKD_MIN_IV, icv = IKD_MIN_ICV;
    char ebuf[40], ibuf[40];

    memset(r, 0, sizeof *r);
    r->length = m->length ? m->length : m->content_len;
    if (init) {
        const ikd_transform *encr = NULL, *integ = NULL;
        guint8 e_iv, e_icv;
        for (guint i = 0; i < p->n_tf && p->first_tf + i < init->n_tf; i++) {
            const ikd_transform *t = &IKD_TF(init)[p->first_tf + i];
            if (t->type == IKD_TF_ENCR && !encr)
                encr = t;
            else if (t->type == IKD_TF_INTEG && !integ)
                integ = t;
        }
        if (encr && encr_sizes(encr->id, &e_iv, &e_icv)) {
            guint8 i_icv = integ ? integ_icv(integ->id) : 0;
            if (e_icv || i_icv) {
                iv = e_iv;
                icv = e_icv ? e_icv : i_icv;
                r->chosen_in = init->frame;
                ikd_logname(IKD_TF_ENCR, encr->id, encr->key_len, ebuf, sizeof ebuf);
                if (e_icv)
                    snprintf(r->algs, sizeof r->algs, "%s", ebuf);
                else
                    snprintf(r->algs, sizeof r->algs, "%s and %s", ebuf,
                             ikd_logname(IKD_TF_INTEG, integ->id, 0, ibuf, sizeof ibuf));
            }
        }
    }
    r->iv = iv;
    r->icv = icv;
    gint64 room = (gint64)r->length - IKD_IKE_HEADER_LEN - IKD_GENERIC_HEADER_LEN - iv - icv - IKD_PAD_LENGTH_LEN;
    r->max_inner = r->length && room >= 0 ? (gint)room : -1;
}

/* "with AES_CBC_256 and HMAC_SHA2_256_128 (chosen in frame 2), its
 * encrypted payload holds at most 15 bytes" */
static char *
room_text(const sk_room *r)
{
    if (r->chosen_in)
        return g_strdup_printf("with %s (chosen in frame %u; IV %u bytes, ICV %u bytes), its encrypted "
                               "payload holds at most %d bytes of payloads", r->algs, r->chosen_in,
                               r->iv, r->icv, r->max_inner);
    return g_strdup_printf("even with the smallest IV and ICV of any IKEv2 cipher (8 bytes each; the "
                           "IKE_SA_INIT that chose the algorithms is not in the capture), its encrypted "
                           "payload holds at most %d bytes of payloads", r->max_inner);
}

/* The first IKE_AUTH exchange of the SA: message ID 1, or the one after
 * the IKE_INTERMEDIATE exchanges (RFC 9242) seen.  Later IKE_AUTH
 * exchanges (EAP rounds, RFC 4739 rounds) may rightly carry little: an
 * EAP-Success is 8 bytes. */
static gboolean
first_ike_auth(const ikd_sa *sa, const ikd_exchange *ex)
{
    guint32 intermediate = 0;

    for (const ikd_exchange *o = sa->exchanges; o && o != ex; o = o->next_in_sa) {
        if (o->exch_type == IKD_X2_IKE_INTERMEDIATE && o->from_initiator && o->request.frame)
            intermediate++;
        if (o->exch_type == IKD_X2_IKE_AUTH && o->msgid != ex->msgid)
            return FALSE;
    }
    return ex->msgid == 1 + intermediate;
}

/* ------------------------------------------------------------ IKEv2 proofs */

static gboolean
ike_auth_refused(ikd_rule_ctx *c)
{
    const ikd_exchange *ex = c->ex;
    sk_room r;
    char abuf[64];

    if (ex->exch_type != IKD_X2_IKE_AUTH || !ex->from_initiator || c->m->frag_total ||
        !first_ike_auth(c->sa, ex))
        return FALSE;
    room_of(c->sa, c->m, &r);
    if (r.max_inner < 0 || r.max_inner >= IKD_IKE_AUTH_ACCEPT_MIN)
        return FALSE;

    ikd_finding *f = ikd_report(c->fs, c->sa, c->ex, c->fi->frame, IKD_CAUSE_IKE_AUTH_REFUSED, TRUE);
    ikd_finding_evidence(f, ex->request.frame);
    ikd_finding_evidence(f, r.chosen_in);
    if (f->no_texts) {
        guint32 ev = 0;
        ikd_auth_known(c->sa, &ev, FALSE);     /* for its evidence */
        ikd_finding_evidence(f, ev);
        return TRUE;
    }
    char *room = room_text(&r);
    ikd_finding_message(f, "Responder %s answered the IKE_AUTH of frame %u with %u bytes in frame %u: %s, too "
                        "few for the IDr and AUTH (or EAP) payloads that every answer accepting the initiator "
                        "carries (at least %d bytes). The answer is a lone notify, so the responder refused the "
                        "IKE SA: usually AUTHENTICATION_FAILED (a wrong pre-shared key or identity, a certificate "
                        "it does not accept); the IKE SA's keys show which notify",
                        ikd_peer_str(&c->m->src, abuf, sizeof abuf), ex->request.frame, r.length, c->fi->frame,
                        room, IKD_IKE_AUTH_ACCEPT_MIN);
    g_free(room);
    /* What the clear IKE_SA_INIT tells about the authentication. */
    guint32 ev = 0;
    char *known = ikd_auth_known(c->sa, &ev, TRUE);
    if (f->message)
        ikd_finding_take_message(f, g_strdup_printf("%s; %s", f->message, known));
    ikd_finding_evidence(f, ev);
    g_free(known);
    char *key = ikd_key_hint(c->sa);
    ikd_finding_hint(f, "the responder's log names the reason (strongSwan: \"no matching peer config "
                     "found\", \"tried N shared keys ... failed\", \"no trusted ... public key found\"); compare "
                     "the identities, pre-shared keys and certificates of both peers. To see the notify, %s", key);
    g_free(key);
    return TRUE;
}

/* The peer answering 'ex' had a request of its own in flight when it
 * answered (a crossed CREATE_CHILD_SA or INFORMATIONAL): a collision, which
 * RFC 7296 2.25 answers with TEMPORARY_FAILURE and the requester retries.
 * Returns that request's frame, or 0. */
static guint32
crossed_request(const ikd_sa *sa, const ikd_exchange *ex, guint32 answer_frame)
{
    for (const ikd_exchange *o = sa->exchanges; o; o = o->next_in_sa) {
        if (o->from_initiator == ex->from_initiator || !o->request.frame ||
            (o->exch_type != IKD_X2_CREATE_CHILD_SA && o->exch_type != IKD_X2_INFORMATIONAL))
            continue;
        if (o->request.frame < answer_frame && (!o->response.frame || o->response.frame > ex->request.frame))
            return o->request.frame;
    }
    return 0;
}

static gboolean
child_sa_refused(ikd_rule_ctx *c)
{
    const ikd_exchange *ex = c->ex;
    sk_room r;
    char abuf[64];

    if (ex->exch_type != IKD_X2_CREATE_CHILD_SA || c->m->frag_total || !ex->request.frame)
        return FALSE;
    room_of(c->sa, c->m, &r);
    if (r.max_inner < 0 || r.max_inner >= IKD_CHILD_ACCEPT_MIN)
        return FALSE;
    if (crossed_request(c->sa, ex, c->fi->frame))
        return FALSE;               /* a collision: the note says so */

    ikd_finding *f = ikd_report(c->fs, c->sa, c->ex, c->fi->frame, IKD_CAUSE_CHILD_SA_REFUSED, TRUE);
    ikd_finding_evidence(f, ex->request.frame);
    ikd_finding_evidence(f, r.chosen_in);
    char *room = room_text(&r);
    ikd_finding_message(f, "%s answered the CREATE_CHILD_SA request of frame %u with %u bytes in frame %u: %s, "
                        "too few for what an accepting answer carries: SA, nonce and traffic selectors for a new "
                        "or rekeyed child SA (at least %d bytes), or SA, nonce and KE for an IKE SA rekey (at "
                        "least %d). The answer is a lone notify, so the request was refused: usually "
                        "NO_PROPOSAL_CHOSEN (ESP proposal or PFS group), TS_UNACCEPTABLE, INVALID_KE_PAYLOAD "
                        "(the requester may retry with the group asked for) or NO_ADDITIONAL_SAS; the IKE SA's "
                        "keys show which", ikd_peer_str(&c->m->src, abuf, sizeof abuf), ex->request.frame,
                        r.length, c->fi->frame, room,
                        IKD_MIN_CHILD_SA_LEN + IKD_MIN_NONCE_LEN + 2 * IKD_MIN_TS_LEN,
                        IKD_MIN_IKE_SA_LEN + IKD_MIN_NONCE_LEN + IKD_MIN_KE_LEN);
    g_free(room);
    char *key = ikd_key_hint(c->sa);
    ikd_finding_hint(f, "compare the child SA settings of both peers for a rekey or additional child SA: "
                     "ESP proposals and their PFS group (strongSwan esp_proposals, libreswan esp= / pfs=, Cisco "
                     "set pfs), traffic selectors; to see the notify, %s", key);
    g_free(key);
    return TRUE;
}

/* How long a requester takes to retry a refused CREATE_CHILD_SA: at once
 * after INVALID_KE_PAYLOAD (RFC 7296 1.3), seconds after TEMPORARY_FAILURE
 * (2.25).  A CREATE_CHILD_SA much later is another child SA or a rekey. */
#define IKD_CHILD_RETRY_SEC 60

/* A CREATE_CHILD_SA answered in full, from a requester whose earlier
 * CREATE_CHILD_SA was refused (child-sa-refused) moments before: the retry
 * (after INVALID_KE_PAYLOAD, with the group asked for; after
 * TEMPORARY_FAILURE) succeeded, so that refusal did not stop the child SA.
 * It becomes a note, from the second pass on (td_ikev2four.pcap: two
 * requests refused, both retried with a larger KE and answered in full). */
static void
child_retry_answered(ikd_rule_ctx *c)
{
    const ikd_exchange *ex = c->ex;
    const ikd_digest *rq = ex->request.msg;
    sk_room r;

    if (ex->exch_type != IKD_X2_CREATE_CHILD_SA || c->m->frag_total || !rq)
        return;
    room_of(c->sa, c->m, &r);
    if (r.max_inner < IKD_CHILD_ACCEPT_MIN)
        return;
    for (guint32 i = 0; i < ikd_sa_finding_count(c->sa); i++) {
        ikd_finding *f = c->sa->findings[i];
        const ikd_exchange *o = f->exchange;
        if (f->cause != IKD_CAUSE_CHILD_SA_REFUSED || !f->failure || !o || o == ex ||
            o->from_initiator != ex->from_initiator || !o->response.msg || o->response.frame > ex->request.frame ||
            rq->ts_sec - o->response.msg->ts_sec > IKD_CHILD_RETRY_SEC)
            continue;
        ikd_finding_recovered(f);
        ikd_finding_evidence(f, ex->request.frame);
        ikd_finding_evidence(f, c->fi->frame);
        if (f->message)
            ikd_finding_take_message(f, g_strdup_printf("%s. Recovered: the requester tried again in frame %u, and "
                                                        "that request was answered in full (%u bytes) in frame %u, "
                                                        "as after INVALID_KE_PAYLOAD (retried with the group asked "
                                                        "for) or TEMPORARY_FAILURE",
                                                        f->message, ex->request.frame, r.length, c->fi->frame));
        return;
    }
}

/* ------------------------------------------------------------ IKEv1 proofs */

/* The Main Mode pair of MM5/MM6 when MM5 was sent and MM6 not seen. */
static const ikd_exchange *
mm5_unanswered(const ikd_sa *sa)
{
    const ikd_exchange *mm56 = NULL;

    if (sa->mode != IKD_X1_MAIN || sa->ike_established)
        return NULL;
    for (const ikd_exchange *ex = sa->exchanges; ex; ex = ex->next_in_sa) {
        if (ex->phase1_step == 3)
            mm56 = ex;
    }
    return mm56 && mm56->request.frame && !mm56->response.frame ? mm56 : NULL;
}

/* The responder's Informational after MM5, instead of MM6 (RFC 2408 3.14:
 * an error in phase 1 is reported in an Informational exchange under the
 * keys being set up; in Main Mode nothing else comes between MM5 and MM6).
 * With a pre-shared key the PSK family has said psk-mismatch already. */
static gboolean
phase1_refused(ikd_rule_ctx *c)
{
    const ikd_exchange *mm = mm5_unanswered(c->sa);
    char abuf[64];

    if (!mm || c->ex->from_initiator || c->fi->frame < mm->request.frame ||
        ikd_sa_has_cause(c->sa, IKD_CAUSE_PHASE1_REFUSED) || ikd_sa_has_failure(c->sa))
        return FALSE;
    guint16 method = ikd_v1_auth_method(c->sa);
    ikd_finding *f = ikd_report(c->fs, c->sa, (ikd_exchange *)mm, c->fi->frame, IKD_CAUSE_PHASE1_REFUSED, TRUE);
    ikd_finding_evidence(f, mm->request.frame);
    ikd_finding_message(f, "Responder %s answered Main Mode message 5 (frame %u) with an encrypted Informational "
                        "in frame %u instead of message 6: it read the initiator's identity and authentication "
                        "(%s) and refused phase 1. Usually AUTHENTICATION_FAILED, INVALID_ID_INFORMATION, "
                        "INVALID_SIGNATURE or INVALID_CERTIFICATE; the phase 1 key shows which",
                        ikd_peer_str(&c->m->src, abuf, sizeof abuf), mm->request.frame, c->fi->frame,
                        method ? ikd_auth_method_name(1, method) : "method not seen");
    char *key = ikd_key_hint(c->sa);
    ikd_finding_hint(f, "the responder's log names the reason; compare identities (strongSwan "
                     "local/remote id, leftid/rightid; libreswan leftid/rightid; Cisco crypto isakmp identity), "
                     "certificates and trusted CAs of both peers. To see the notify, %s", key);
    g_free(key);
    return TRUE;
}

/* The Quick Modes of the SA that the sender of this frame was asked for
 * and has not answered: requests of the other side, before this frame,
 * without QM2 and not explained yet.  Returns how many; *first is the
 * oldest. */
static guint
quick_modes_unanswered(const ikd_rule_ctx *c, ikd_exchange **first, guint32 *frames, guint max)
{
    guint n = 0;

    *first = NULL;
    for (ikd_exchange *ex = c->sa->exchanges; ex; ex = ex->next_in_sa) {
        if (ex->exch_type != IKD_X1_QUICK || ex->from_initiator == c->ex->from_initiator ||
            !ex->request.frame || ex->request.frame > c->fi->frame || ex->response.frame || ex->failed)
            continue;
        if (!*first)
            *first = ex;
        if (n < max)
            frames[n] = ex->request.frame;
        n++;
    }
    return n;
}

/* Could this Informational answer one of the asker's own?  The asker's
 * latest Informational is newer than every earlier one of this sender: an
 * R-U-THERE (RFC 3706) it may acknowledge.  Then nothing is proven. */
static gboolean
may_answer_informational(const ikd_rule_ctx *c)
{
    guint32 asker_last = 0, own_last = 0;

    for (const ikd_exchange *ex = c->sa->exchanges; ex; ex = ex->next_in_sa) {
        if (ex->exch_type != IKD_X1_INFORMATIONAL || ex == c->ex || ex->request.frame >= c->fi->frame)
            continue;
        if (ex->from_initiator == c->ex->from_initiator)
            own_last = MAX(own_last, ex->request.frame);
        else
            asker_last = MAX(asker_last, ex->request.frame);
    }
    return asker_last > own_last;
}

/* The Quick Mode responder's Informational instead of QM2 (RFC 2408 3.14,
 * RFC 2409 5.5: the refusal of a Quick Mode is a notify, NO_PROPOSAL_CHOSEN
 * or INVALID_ID_INFORMATION, or a Delete, in an Informational under the
 * phase 1 keys). */
static gboolean
quick_mode_refused(ikd_rule_ctx *c)
{
    ikd_exchange *qm;
    guint32 frames[4];
    guint n = quick_modes_unanswered(c, &qm, frames, G_N_ELEMENTS(frames));
    char abuf[64];

    if (!n || may_answer_informational(c))
        return FALSE;
    ikd_finding *f = ikd_report(c->fs, c->sa, qm, c->fi->frame, IKD_CAUSE_QUICK_MODE_REFUSED, TRUE);
    ikd_finding_evidence(f, qm->request.frame);
    if (n == 1) {
        ikd_finding_message(f, "%s answered the Quick Mode request of frame %u (QM1) with an encrypted "
                            "Informational in frame %u instead of QM2: it refused the child SA. Usually "
                            "NO_PROPOSAL_CHOSEN (ESP proposal or PFS group) or INVALID_ID_INFORMATION (the "
                            "traffic selectors); the phase 1 key shows which",
                            ikd_peer_str(&c->m->src, abuf, sizeof abuf), qm->request.frame, c->fi->frame);
    } else {
        GString *s = g_string_new(NULL);
        for (guint i = 0; i < MIN(n, G_N_ELEMENTS(frames)); i++) {
            g_string_append_printf(s, "%s%u", i == 0 ? "" : i + 1 == n ? " and " : ", ", frames[i]);
            ikd_finding_evidence(f, frames[i]);
        }
        ikd_finding_message(f, "%s answered one of %u parallel Quick Mode requests (frames %s) with an encrypted "
                            "Informational in frame %u instead of QM2: it refused a child SA. Usually "
                            "NO_PROPOSAL_CHOSEN (ESP proposal or PFS group) or INVALID_ID_INFORMATION (the "
                            "traffic selectors); the phase 1 key shows which, and for which request",
                            ikd_peer_str(&c->m->src, abuf, sizeof abuf), n, s->str, c->fi->frame);
        g_string_free(s, TRUE);
    }
    char *key = ikd_key_hint(c->sa);
    ikd_finding_hint(f, "compare the phase 2 settings of both peers: ESP proposals and PFS group "
                     "(strongSwan esp_proposals / esp=, libreswan phase2alg= / pfs=, Cisco crypto ipsec "
                     "transform-set and set pfs), and the protected networks (local_ts/remote_ts, "
                     "leftsubnet/rightsubnet, the crypto ACL). To see the notify, %s", key);
    g_free(key);
    return TRUE;
}

/* ------------------------------------------------------------ the note */

/* Has any message of this SA been decrypted?  Then a key is configured
 * for it. */
static gboolean
sa_key_seen(const ikd_sa *sa)
{
    for (const ikd_exchange *ex = sa->exchanges; ex; ex = ex->next_in_sa) {
        const ikd_slot *s[3] = { &ex->request, &ex->response, &ex->final };
        for (guint i = 0; i < 3; i++) {
            if (s[i]->msg && s[i]->msg->decrypted)
                return TRUE;
        }
    }
    return FALSE;
}

/* The SA's first encrypted-outcome note, or NULL. */
static const ikd_finding *
first_note(const ikd_sa *sa)
{
    for (guint32 i = 0; i < ikd_sa_finding_count(sa); i++) {
        const ikd_finding *f = ikd_sa_finding(sa, i);
        if (f->cause == IKD_CAUSE_ENCRYPTED_OUTCOME)
            return f;
    }
    return NULL;
}

/* The frame of the first malformed message of the SA before 'frame', or 0. */
static guint32
malformed_before(const ikd_sa *sa, guint32 frame)
{
    guint32 first = 0;
    for (guint32 i = 0; i < ikd_sa_finding_count(sa); i++) {
        const ikd_finding *f = ikd_sa_finding(sa, i);
        if (f->cause == IKD_CAUSE_MALFORMED && f->frame < frame && (!first || f->frame < first))
            first = f->frame;
    }
    return first;
}

static void
encrypted_note(ikd_rule_ctx *c)
{
    const ikd_exchange *ex = c->ex;
    char abuf[64];
    const ikd_finding *note = first_note(c->sa);
    guint32 noted = note ? note->frame : 0, crossed = 0;

    if (c->fi->role != IKD_ROLE_RESPONSE || ex->diagnosed_in)
        return;                     /* said already (a later fragment of the answer) */
    /* The exchanges that set up or authenticate an SA: IKEv2 IKE_AUTH and
     * CREATE_CHILD_SA, IKEv1 Quick Mode and Transaction (XAUTH, Mode
     * Config: a wrong XAUTH password looks like a right one without keys). */
    if (!((c->m->version >= 2 && (ex->exch_type == IKD_X2_IKE_AUTH || ex->exch_type == IKD_X2_CREATE_CHILD_SA)) ||
          (c->m->version == 1 && (ex->exch_type == IKD_X1_QUICK || ex->exch_type == IKD_X1_TRANSACTION))))
        return;
    if (ex->version >= 2 && ex->exch_type == IKD_X2_CREATE_CHILD_SA) {
        /* a refusal-sized answer child_sa_refused() let pass */
        sk_room r;
        room_of(c->sa, c->m, &r);
        if (r.max_inner >= 0 && r.max_inner < IKD_CHILD_ACCEPT_MIN)
            crossed = crossed_request(c->sa, ex, c->fi->frame);
    }
    /* One note per SA, unless this exchange ran in parallel with the noted
     * one (its request was out when the note was made: two Quick Modes at
     * once, ark_IKEv1.pcap), or is a collision's refusal, which says why
     * it is not a failure. */
    if (noted && !crossed && !(ex->request.frame && ex->request.frame < noted))
        return;

    ikd_finding *f = ikd_report(c->fs, c->sa, c->ex, c->fi->frame, IKD_CAUSE_ENCRYPTED_OUTCOME, FALSE);
    const char *peer = ikd_peer_str(&c->m->src, abuf, sizeof abuf);
    const char *what = ikd_exchange_name(ex->version, ex->exch_type);
    guint32 bad = malformed_before(c->sa, c->fi->frame);
    if (ex->request.frame)
        ikd_finding_evidence(f, ex->request.frame);
    if (bad && sa_key_seen(c->sa)) {
        /* A key is configured (another message of the SA decrypted), but
         * Wireshark decrypts a message only when it has read the ones
         * before it (IKEv1 takes its IV from the Main Mode key exchange),
         * and one of them is cut or malformed. */
        ikd_finding_evidence(f, bad);
        ikd_finding_message(f, "%s answered the %s of frame %u, but Wireshark could not decrypt the answer: "
                            "an earlier message of this IKE SA (frame %u) is truncated or malformed, and "
                            "decryption needs it; the outcome is unknown", peer, what, ex->request.frame, bad);
        ikd_finding_hint(f, "if frames were cut by the capture's snapshot length, capture with "
                         "tcpdump -s 0 (dumpcap -s 0) so that whole IKE messages are kept");
        return;
    }
    if (crossed)
        ikd_finding_message(f, "%s answered the %s of frame %u with a lone notify, while its own request of "
                            "frame %u was in flight: a collision, which RFC 7296 2.25 answers with "
                            "TEMPORARY_FAILURE and the requester retries; the outcome is encrypted and no key "
                            "is configured", peer, what, ex->request.frame, crossed);
    else if (noted && note->exchange && note->exchange->request.frame)
        ikd_finding_message(f, "%s answered the %s of frame %u, which ran in parallel with the %s of frame %u "
                            "(answered in frame %u); the outcome is encrypted and no key is configured",
                            peer, what, ex->request.frame,
                            ikd_exchange_name(note->exchange->version, note->exchange->exch_type),
                            note->exchange->request.frame, noted);
    else if (bad)
        ikd_finding_message(f, "%s answered the %s of frame %u; the outcome is encrypted, and no message of "
                            "this IKE SA was decrypted", peer, what, ex->request.frame);
    else
        ikd_finding_message(f, "%s answered the %s of frame %u; the outcome is encrypted and no key is configured",
                            peer, what, ex->request.frame);
    if (c->m->version >= 2 && ex->exch_type == IKD_X2_IKE_AUTH) {
        /* What the clear IKE_SA_INIT tells about the authentication. */
        guint32 ev = 0;
        char *known = ikd_auth_known(c->sa, &ev, f->message != NULL);
        if (f->message)
            ikd_finding_take_message(f, g_strdup_printf("%s; %s", f->message, known));
        ikd_finding_evidence(f, ev);
        g_free(known);
    }
    if (f->no_texts)
        return;
    char *key = ikd_key_hint(c->sa);
    if (bad)
        /* No message of the SA decrypted: no key, or one that the
         * malformed message keeps from working; say both, claim neither. */
        ikd_finding_hint(f, "to see the outcome, %s (if a key is configured already: frame %u is "
                         "malformed, and IKEv1 decryption needs every earlier message whole)", key, bad);
    else
        ikd_finding_hint(f, "to see the outcome, %s", key);
    g_free(key);
}

void
ikd_rules_encrypted(ikd_rule_ctx *c)
{
    const ikd_digest *d = c->d;

    if (!c->ex || !d || !c->sa || c->fi->retransmission_of)
        return;
    if (!d->encrypted || d->decrypted)
        return;
    if (c->m->version >= 2 && c->sa->version >= 2 && c->fi->role == IKD_ROLE_RESPONSE) {
        if (ike_auth_refused(c) || child_sa_refused(c))
            return;
        child_retry_answered(c);
    } else if (c->m->version == 1 && c->sa->version == 1 && c->m->exch_type == IKD_X1_INFORMATIONAL) {
        if (phase1_refused(c) || quick_mode_refused(c))
            return;
    }
    encrypted_note(c);
}
