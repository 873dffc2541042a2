/* test-rules-encrypted.c
 * Unit tests of plugin/core/rules_encrypted.c: what the clear structure of
 * an encrypted exchange proves without keys (ike-auth-refused,
 * child-sa-refused, phase1-refused, quick-mode-refused), their size bounds
 * at the edges, silence once the message is decrypted, and the
 * encrypted-outcome note where nothing is proven (what it says from the
 * clear IKE_SA_INIT, parallel Quick Modes, a malformed earlier message).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include <glib.h>

#include "ikd-test.h"
#include "core/rules_certs.h"
#include "core/causes.h"

/* ---------------------------------------------------------------- IKEv2 */

/* The IKE_AUTH request (frame 3) and its encrypted answer of 'len' bytes
 * (frame 4) after v2_init (aes256-sha256-modp2048: a 16-byte IV, a
 * 16-byte ICV); 'decrypted' as Wireshark with keys would show it. */
static ikd_frame_info *
v2_auth_answer(ikd_diag *t, guint32 len, gboolean decrypted)
{
    ikd_msg m;
    ike(&m, 3, 2, IKD_X2_IKE_AUTH, TRUE, FALSE, SPI_A, SPI_B, 1, 303);
    m.encrypted = 1;
    m.decrypted = decrypted;
    ikd_diag_add(t, &m);
    ike(&m, 4, 2, IKD_X2_IKE_AUTH, FALSE, TRUE, SPI_A, SPI_B, 1, 404);
    m.encrypted = 1;
    m.decrypted = decrypted;
    if (decrypted)
        notify(&m, IKD_N_AUTHENTICATION_FAILED, NULL, 0);
    m.length = m.content_len = len;
    return ikd_diag_add(t, &m);
}

/* An 80-byte IKE_AUTH answer under AES-CBC + HMAC-SHA2-256-128 holds at
 * most 80 - 28 - 4 - 16 - 16 - 1 = 15 bytes of payloads: a notify, not IDr
 * + AUTH.  What the clear IKE_SA_INIT tells about the authentication is
 * part of the finding. */
static void
test_v2_ike_auth_refused(void)
{
    for (int creq = 0; creq < 2; creq++) {
        ikd_diag *t = ikd_diag_new(NULL);
        const ikd_finding *f;

        v2_init(t, 1, SPI_A, SPI_B, creq ? 0x2e : 0);
        f = ikd_test_only_finding(v2_auth_answer(t, 80, FALSE));
        g_assert_cmpint(f->cause, ==, IKD_CAUSE_IKE_AUTH_REFUSED);
        g_assert_true(f->failure);
        g_assert_true(ikd_test_has_evidence(f, 3));
        g_assert_true(ikd_test_has_evidence(f, 2));
        g_assert_nonnull(strstr(f->message, "with 80 bytes in frame 4"));
        g_assert_nonnull(strstr(f->message, "AES_CBC_256 and HMAC_SHA2_256_128 (chosen in frame 2"));
        g_assert_nonnull(strstr(f->message, "at most 15 bytes"));
        g_assert_nonnull(strstr(f->message, "refused the IKE SA"));
        g_assert_nonnull(strstr(f->message, "AUTHENTICATION_FAILED"));
        g_assert_nonnull(strstr(f->hint, "SPIi 1122334455667788, SPIr aabbccddeeff0102"));
        g_assert_nonnull(strstr(f->hint, "ikev2_decryption_table"));
        if (creq)
            g_assert_nonnull(strstr(f->message, "certificate authentication is expected: the responder asked in "
                                                "frame 2 for certificates from CA key SHA-1 2e2e2e"));
        else
            g_assert_nonnull(strstr(f->message, "neither peer sent a CERTREQ"));
        /* a finding without texts gets the same evidence frame */
        guint32 ev_text = 99, ev_bare = 99;
        g_free(ikd_auth_known(f->sa, &ev_text, TRUE));
        g_assert_null(ikd_auth_known(f->sa, &ev_bare, FALSE));
        g_assert_cmpuint(ev_text, ==, creq ? 2 : 0);
        g_assert_cmpuint(ev_bare, ==, ev_text);
        ikd_diag_finish(t);
        g_assert_cmpint(f->sa->outcome, ==, IKD_OUTCOME_FAILED);
        ikd_diag_free(t);
    }
}

/* The edges of the bound: 82 bytes leave 17 (refused), 83 leave 18, room
 * for IDr + EAP (RFC 5998), so nothing is proven and the note stays. */
static void
test_v2_ike_auth_edges(void)
{
    for (guint32 len = 82; len <= 83; len++) {
        ikd_diag *t = ikd_diag_new(NULL);
        v2_init(t, 1, SPI_A, SPI_B, 0);
        const ikd_finding *f = ikd_test_only_finding(v2_auth_answer(t, len, FALSE));
        g_assert_cmpint(f->cause, ==, len == 82 ? IKD_CAUSE_IKE_AUTH_REFUSED : IKD_CAUSE_ENCRYPTED_OUTCOME);
        g_assert_cmpint(f->failure, ==, len == 82);
        ikd_diag_free(t);
    }
}

/* A large answer: the outcome is unknown, the note says what is known. */
static void
test_v2_ike_auth_note(void)
{
    for (int creq = 0; creq < 2; creq++) {
        ikd_diag *t = ikd_diag_new(NULL);
        const ikd_finding *f;

        v2_init(t, 1, SPI_A, SPI_B, creq ? 0x2e : 0);
        f = ikd_test_only_finding(v2_auth_answer(t, 240, FALSE));
        g_assert_cmpint(f->cause, ==, IKD_CAUSE_ENCRYPTED_OUTCOME);
        g_assert_false(f->failure);
        g_assert_nonnull(strstr(f->message, "inside the encrypted IKE_AUTH (frames 3 and 4)"));
        if (creq) {
            g_assert_nonnull(strstr(f->message, "certificate authentication is expected: the responder asked in "
                                                "frame 2 for certificates from CA key SHA-1 2e2e2e"));
            g_assert_true(ikd_test_has_evidence(f, 2));
        } else {
            g_assert_nonnull(strstr(f->message, "neither peer sent a CERTREQ"));
        }
        ikd_diag_finish(t);
        g_assert_cmpint(f->sa->outcome, ==, IKD_OUTCOME_ENCRYPTED);
        ikd_diag_free(t);
    }
}

/* With keys the answer is read: the authentication family names the cause
 * (auth-failed here), and no structural cause fires on the frame. */
static void
test_v2_ike_auth_decrypted(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    v2_init(t, 1, SPI_A, SPI_B, 0);
    ikd_frame_info *fi = v2_auth_answer(t, 80, TRUE);
    g_assert_nonnull(fi->findings);
    for (const ikd_finding *f = fi->findings; f; f = f->next_on_frame) {
        g_assert_cmpint(f->cause, !=, IKD_CAUSE_IKE_AUTH_REFUSED);
        g_assert_cmpint(f->cause, !=, IKD_CAUSE_ENCRYPTED_OUTCOME);
    }
    ikd_diag_free(t);
}

/* Without the IKE_SA_INIT the smallest IV and ICV of any cipher (8 each)
 * bound the payloads: 80 bytes may hold 31 (not proven), 66 at most 17. */
static void
test_v2_ike_auth_algorithms_unknown(void)
{
    for (guint32 len = 66; len <= 80; len += 14) {
        ikd_diag *t = ikd_diag_new(NULL);
        const ikd_finding *f = ikd_test_only_finding(v2_auth_answer(t, len, FALSE));
        if (len == 66) {
            g_assert_cmpint(f->cause, ==, IKD_CAUSE_IKE_AUTH_REFUSED);
            g_assert_nonnull(strstr(f->message, "smallest IV and ICV of any IKEv2 cipher"));
            g_assert_nonnull(strstr(f->message, "at most 17 bytes"));
        } else {
            g_assert_cmpint(f->cause, ==, IKD_CAUSE_ENCRYPTED_OUTCOME);
        }
        ikd_diag_free(t);
    }
}

/* AES-GCM-16 (no integrity transform; an 8-byte IV, a 16-byte ICV): a
 * lone AUTHENTICATION_FAILED is 28 + 4 + 8 + (8 + the Pad Length) + 16 =
 * 65 bytes, and the bound gives back its 8. */
static void
test_v2_ike_auth_aead(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    ike(&m, 1, 2, IKD_X2_IKE_SA_INIT, TRUE, FALSE, SPI_A, ZERO, 0, 101);
    offer_aes128gcm_ecp256(&m);
    ikd_diag_add(t, &m);
    ike(&m, 2, 2, IKD_X2_IKE_SA_INIT, FALSE, TRUE, SPI_A, SPI_B, 0, 202);
    offer_aes128gcm_ecp256(&m);
    ikd_diag_add(t, &m);
    const ikd_finding *f = ikd_test_only_finding(v2_auth_answer(t, 65, FALSE));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_IKE_AUTH_REFUSED);
    g_assert_nonnull(strstr(f->message, "AES_GCM_16_128 (chosen in frame 2; IV 8 bytes, ICV 16 bytes)"));
    g_assert_nonnull(strstr(f->message, "at most 8 bytes"));
    ikd_diag_free(t);
}

/* A later IKE_AUTH exchange (an EAP round, message ID 2) may carry 8
 * bytes and succeed (EAP-Success): no proof there. */
static void
test_v2_ike_auth_later_round(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    v2_init(t, 1, SPI_A, SPI_B, 0);
    v2_auth_answer(t, 400, FALSE);
    ike(&m, 5, 2, IKD_X2_IKE_AUTH, TRUE, FALSE, SPI_A, SPI_B, 2, 505);
    m.encrypted = 1;
    ikd_diag_add(t, &m);
    ike(&m, 6, 2, IKD_X2_IKE_AUTH, FALSE, TRUE, SPI_A, SPI_B, 2, 606);
    m.encrypted = 1;
    m.length = 80;
    g_assert_null(ikd_test_add(t, &m)->findings);
    g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_IKE_AUTH_REFUSED), ==, 0);
    ikd_diag_free(t);
}

/* A CREATE_CHILD_SA exchange: request from the initiator (frame f, message
 * ID 'msgid'), answer of 'len' bytes in frame f + 1. */
static ikd_frame_info *
v2_child(ikd_diag *t, guint32 f, guint32 msgid, guint32 len)
{
    ikd_msg m;
    ike(&m, f, 2, IKD_X2_CREATE_CHILD_SA, TRUE, FALSE, SPI_A, SPI_B, msgid, 700 + f);
    m.encrypted = 1;
    m.length = 480;
    g_assert_null(ikd_test_add(t, &m)->findings);
    ike(&m, f + 1, 2, IKD_X2_CREATE_CHILD_SA, FALSE, TRUE, SPI_A, SPI_B, msgid, 800 + f);
    m.encrypted = 1;
    m.length = len;
    return ikd_diag_add(t, &m);
}

/* 156 bytes leave 156 - 65 = 91: refused; 157 leave 92, the smallest SA +
 * Nonce + TSi + TSr: nothing proven (and one note per SA is enough). */
static void
test_v2_child_sa_refused(void)
{
    for (guint32 len = 156; len <= 157; len++) {
        ikd_diag *t = ikd_diag_new(NULL);
        v2_init(t, 1, SPI_A, SPI_B, 0);
        v2_auth_answer(t, 240, FALSE);
        ikd_frame_info *fi = v2_child(t, 5, 2, len);
        if (len == 156) {
            const ikd_finding *f = ikd_test_only_finding(fi);
            g_assert_cmpint(f->cause, ==, IKD_CAUSE_CHILD_SA_REFUSED);
            g_assert_true(f->failure);
            g_assert_true(ikd_test_has_evidence(f, 5));
            g_assert_nonnull(strstr(f->message, "at most 91 bytes"));
            g_assert_nonnull(strstr(f->message, "at least 92 bytes"));
            g_assert_nonnull(strstr(f->message, "the request was refused"));
        } else {
            g_assert_null(fi->findings);
        }
        ikd_diag_free(t);
    }
}

/* Refused, then retried at once and answered in full (td_ikev2four.pcap):
 * the refusal becomes a note, the SA is not failed. */
static void
test_v2_child_retry_recovers(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    v2_init(t, 1, SPI_A, SPI_B, 0);
    v2_auth_answer(t, 240, FALSE);
    ikd_finding *f = (ikd_finding *)ikd_test_only_finding(v2_child(t, 5, 2, 80));
    g_assert_true(f->failure);
    /* the answered CREATE_CHILD_SA proves the IKE SA up (tracker.c): the
     * child failed */
    g_assert_cmpint(f->sa->outcome, ==, IKD_OUTCOME_CHILD_FAILED);
    g_assert_null(v2_child(t, 7, 3, 204)->findings);
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_CHILD_SA_REFUSED);
    g_assert_false(f->failure);
    g_assert_false(f->exchange->failed);
    g_assert_true(ikd_test_has_evidence(f, 7));
    g_assert_true(ikd_test_has_evidence(f, 8));
    g_assert_nonnull(strstr(f->message, "Recovered: the requester tried again in frame 7"));
    ikd_diag_finish(t);
    g_assert_cmpint(f->sa->outcome, ==, IKD_OUTCOME_ESTABLISHED);
    ikd_diag_free(t);

    /* a full answer long after is another child SA, not the retry */
    t = ikd_diag_new(NULL);
    v2_init(t, 1, SPI_A, SPI_B, 0);
    v2_auth_answer(t, 240, FALSE);
    f = (ikd_finding *)ikd_test_only_finding(v2_child(t, 5, 2, 80));
    v2_child(t, 200, 3, 204);
    g_assert_true(f->failure);
    ikd_diag_free(t);
}

/* The responder's own CREATE_CHILD_SA crossed the request: a collision
 * (TEMPORARY_FAILURE, RFC 7296 2.25) is no proof; the note says so. */
static void
test_v2_child_collision(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    v2_init(t, 1, SPI_A, SPI_B, 0);
    v2_auth_answer(t, 240, FALSE);
    ike(&m, 5, 2, IKD_X2_CREATE_CHILD_SA, TRUE, FALSE, SPI_A, SPI_B, 2, 705);
    m.encrypted = 1;
    ikd_diag_add(t, &m);
    ike(&m, 6, 2, IKD_X2_CREATE_CHILD_SA, FALSE, FALSE, SPI_A, SPI_B, 0, 706);      /* the responder's own */
    m.encrypted = 1;
    ikd_diag_add(t, &m);
    ike(&m, 7, 2, IKD_X2_CREATE_CHILD_SA, FALSE, TRUE, SPI_A, SPI_B, 2, 707);
    m.encrypted = 1;
    m.length = 80;
    const ikd_finding *f = ikd_test_only_finding(ikd_diag_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_ENCRYPTED_OUTCOME);
    g_assert_false(f->failure);
    g_assert_nonnull(strstr(f->message, "its own request of frame 6 was in flight: a collision"));
    ikd_diag_free(t);
}

/* ---------------------------------------------------------------- IKEv1 */

/* An encrypted Informational, not decrypted unless 'decrypted'. */
static ikd_frame_info *
v1_info(ikd_diag *t, guint32 frame, gboolean from_init, gboolean decrypted)
{
    ikd_msg m;
    ike(&m, frame, 1, IKD_X1_INFORMATIONAL, from_init, FALSE, SPI_A, SPI_B, 0x5d000000 + frame, 2000 + frame);
    m.flags = IKD_FLAG_V1_E;
    m.encrypted = 1;
    m.decrypted = decrypted;
    return ikd_diag_add(t, &m);
}

/* MM5 answered by an Informational instead of MM6: with signatures a
 * phase1-refused; with a pre-shared key the PSK family's psk-mismatch;
 * decrypted, neither structural cause. */
static void
test_v1_phase1_refused(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    v1_mm_1_to_4(t, 3);
    g_assert_null(v1_mm5(t, 5, FALSE, FALSE)->findings);
    const ikd_finding *f = ikd_test_only_finding(v1_info(t, 6, FALSE, FALSE));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_PHASE1_REFUSED);
    g_assert_true(f->failure);
    g_assert_true(ikd_test_has_evidence(f, 5));
    g_assert_nonnull(strstr(f->message, "Main Mode message 5 (frame 5) with an encrypted Informational in frame 6"));
    g_assert_nonnull(strstr(f->message, "(RSA signature)"));
    g_assert_nonnull(strstr(f->hint, "initiator cookie 1122334455667788"));
    /* a second Informational is the same refusal */
    g_assert_null(v1_info(t, 7, FALSE, FALSE)->findings);
    ikd_diag_finish(t);
    g_assert_cmpint(f->sa->outcome, ==, IKD_OUTCOME_FAILED);
    ikd_diag_free(t);

    t = ikd_diag_new(NULL);
    v1_mm_1_to_4(t, 1);
    v1_mm5(t, 5, FALSE, FALSE);
    g_assert_cmpint(ikd_test_only_finding(v1_info(t, 6, FALSE, FALSE))->cause, ==, IKD_CAUSE_PSK_MISMATCH);
    ikd_diag_free(t);

    t = ikd_diag_new(NULL);
    v1_mm_1_to_4(t, 3);
    v1_mm5(t, 5, TRUE, FALSE);
    g_assert_null(v1_info(t, 6, FALSE, TRUE)->findings);
    ikd_diag_free(t);

    /* from the initiator: not the responder's refusal */
    t = ikd_diag_new(NULL);
    v1_mm_1_to_4(t, 3);
    v1_mm5(t, 5, FALSE, FALSE);
    g_assert_null(v1_info(t, 6, TRUE, FALSE)->findings);
    ikd_diag_free(t);
}

/* Main Mode 1-6 (MM5, MM6 encrypted), signatures. */
static void
v1_phase1_up(ikd_diag *t)
{
    ikd_msg m;
    v1_mm_1_to_4(t, 3);
    v1_mm5(t, 5, FALSE, FALSE);
    ike(&m, 6, 1, IKD_X1_MAIN, FALSE, TRUE, SPI_A, SPI_B, 0, 1006);
    m.flags = IKD_FLAG_V1_E;
    m.encrypted = 1;
    g_assert_null(ikd_test_add(t, &m)->findings);
}

/* Quick Mode message 1..3 of message ID 'id' (encrypted). */
static ikd_frame_info *
v1_qm(ikd_diag *t, guint32 frame, guint n, guint32 id)
{
    ikd_msg m;
    ike(&m, frame, 1, IKD_X1_QUICK, n != 2, FALSE, SPI_A, SPI_B, id, 3000 + 10 * id + n);
    m.flags = IKD_FLAG_V1_E;
    m.encrypted = 1;
    return ikd_diag_add(t, &m);
}

static void
test_v1_quick_mode_refused(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    v1_phase1_up(t);
    g_assert_null(v1_qm(t, 7, 1, 77)->findings);
    const ikd_finding *f = ikd_test_only_finding(v1_info(t, 8, FALSE, FALSE));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_QUICK_MODE_REFUSED);
    g_assert_true(f->failure);
    g_assert_true(ikd_test_has_evidence(f, 7));
    g_assert_nonnull(strstr(f->message, "Quick Mode request of frame 7 (QM1) with an encrypted Informational in "
                                        "frame 8 instead of QM2"));
    /* the initiator's Delete and the responder's next Informational: the
     * same refusal */
    g_assert_null(v1_info(t, 9, TRUE, FALSE)->findings);
    g_assert_null(v1_info(t, 10, FALSE, FALSE)->findings);
    /* QM1 retransmitted: explained, no no-response */
    for (guint32 fr = 11; fr <= 14; fr++)
        g_assert_null(v1_qm(t, fr, 1, 77)->findings);
    /* a new Quick Mode refused again: its own finding */
    v1_qm(t, 15, 1, 78);
    f = ikd_test_only_finding(v1_info(t, 16, FALSE, FALSE));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_QUICK_MODE_REFUSED);
    g_assert_true(ikd_test_has_evidence(f, 15));
    ikd_diag_finish(t);
    g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_QUICK_MODE_REFUSED), ==, 2);
    g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_NO_RESPONSE), ==, 0);
    g_assert_cmpint(f->sa->outcome, ==, IKD_OUTCOME_CHILD_FAILED);
    ikd_diag_free(t);

    /* decrypted: other families read it, this one says nothing */
    t = ikd_diag_new(NULL);
    v1_phase1_up(t);
    v1_qm(t, 7, 1, 77);
    g_assert_null(v1_info(t, 8, FALSE, TRUE)->findings);
    ikd_diag_free(t);

    /* the asker's own Informational just before: this one may be its
     * R-U-THERE-ACK, nothing proven */
    t = ikd_diag_new(NULL);
    v1_phase1_up(t);
    v1_info(t, 7, TRUE, FALSE);
    v1_qm(t, 8, 1, 77);
    g_assert_null(v1_info(t, 9, FALSE, FALSE)->findings);
    ikd_diag_free(t);

    /* two Quick Modes out at once */
    t = ikd_diag_new(NULL);
    v1_phase1_up(t);
    v1_qm(t, 7, 1, 77);
    v1_qm(t, 8, 1, 78);
    f = ikd_test_only_finding(v1_info(t, 9, FALSE, FALSE));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_QUICK_MODE_REFUSED);
    g_assert_nonnull(strstr(f->message, "one of 2 parallel Quick Mode requests (frames 7 and 8)"));
    ikd_diag_free(t);
}

/* Two Quick Modes in parallel, both answered (ark_IKEv1.pcap f8-f13): a
 * note on each answer.  A later Quick Mode (a rekey) gets none. */
static void
test_v1_parallel_quick_modes(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    v1_phase1_up(t);
    v1_qm(t, 7, 1, 77);
    v1_qm(t, 8, 1, 78);
    const ikd_finding *f = ikd_test_only_finding(v1_qm(t, 9, 2, 77));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_ENCRYPTED_OUTCOME);
    g_assert_nonnull(strstr(f->message, "answered the Quick Mode of frame 7;"));
    f = ikd_test_only_finding(v1_qm(t, 10, 2, 78));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_ENCRYPTED_OUTCOME);
    g_assert_false(f->failure);
    g_assert_nonnull(strstr(f->message, "answered the Quick Mode of frame 8, which ran in parallel with the "
                                        "Quick Mode of frame 7 (answered in frame 9)"));
    g_assert_null(v1_qm(t, 11, 3, 77)->findings);
    g_assert_null(v1_qm(t, 12, 3, 78)->findings);
    v1_qm(t, 13, 1, 79);
    g_assert_null(v1_qm(t, 14, 2, 79)->findings);
    g_assert_cmpuint(ikd_test_count_cause(t, IKD_CAUSE_ENCRYPTED_OUTCOME), ==, 2);
    ikd_diag_free(t);
}

/* XAUTH (a Transaction exchange after Aggressive Mode, vpnc): a wrong
 * password is answered as a right one would be; the answer gets the note. */
static void
test_v1_transaction_note(void)
{
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg m;
    v1_phase1_up(t);
    /* the responder (the XAUTH server) asks, the initiator answers */
    ike(&m, 7, 1, IKD_X1_TRANSACTION, FALSE, FALSE, SPI_A, SPI_B, 0xed2f0487, 4007);
    m.flags = IKD_FLAG_V1_E;
    m.encrypted = 1;
    g_assert_null(ikd_test_add(t, &m)->findings);
    ike(&m, 8, 1, IKD_X1_TRANSACTION, TRUE, FALSE, SPI_A, SPI_B, 0xed2f0487, 4008);
    m.flags = IKD_FLAG_V1_E;
    m.encrypted = 1;
    const ikd_finding *f = ikd_test_only_finding(ikd_diag_add(t, &m));
    g_assert_cmpint(f->cause, ==, IKD_CAUSE_ENCRYPTED_OUTCOME);
    g_assert_nonnull(strstr(f->message, "answered the Transaction (Mode Config) of frame 7"));
    ikd_diag_free(t);
}

/* An earlier message is malformed (td_ISAKMP_sa_setup.pcap: MM3 and MM4).
 * With no message of the SA decrypted, nobody knows a key is configured:
 * the note must not say that decryption failed because of it. */
static void
test_v1_malformed_earlier(void)
{
    for (int key = 0; key < 2; key++) {
        ikd_diag *t = ikd_diag_new(NULL);
        ikd_msg m;
        ike(&m, 1, 1, IKD_X1_MAIN, TRUE, FALSE, SPI_A, ZERO, 0, 1001);
        ike_proposal(&m, 1);
        ikd_diag_add(t, &m);
        ike(&m, 2, 1, IKD_X1_MAIN, FALSE, TRUE, SPI_A, SPI_B, 0, 1002);
        ike_proposal(&m, 1);
        ikd_diag_add(t, &m);
        ike(&m, 3, 1, IKD_X1_MAIN, TRUE, FALSE, SPI_A, SPI_B, 0, 1003);
        m.malformed = 1;
        g_assert_cmpint(ikd_test_only_finding(ikd_diag_add(t, &m))->cause, ==, IKD_CAUSE_MALFORMED);
        ike(&m, 4, 1, IKD_X1_MAIN, FALSE, TRUE, SPI_A, SPI_B, 0, 1004);
        ikd_diag_add(t, &m);
        g_assert_null(v1_mm5(t, 5, key, FALSE)->findings);
        ike(&m, 6, 1, IKD_X1_MAIN, FALSE, TRUE, SPI_A, SPI_B, 0, 1006);
        m.flags = IKD_FLAG_V1_E;
        m.encrypted = 1;
        ikd_diag_add(t, &m);
        v1_qm(t, 7, 1, 77);
        const ikd_finding *f = ikd_test_only_finding(v1_qm(t, 8, 2, 77));
        g_assert_cmpint(f->cause, ==, IKD_CAUSE_ENCRYPTED_OUTCOME);
        if (key) {
            g_assert_nonnull(strstr(f->message, "Wireshark could not decrypt the answer: an earlier message of "
                                                "this IKE SA (frame 3) is truncated or malformed"));
        } else {
            g_assert_null(strstr(f->message, "could not decrypt"));
            g_assert_nonnull(strstr(f->message, "no message of this IKE SA was decrypted"));
            g_assert_nonnull(strstr(f->hint, "if a key is configured already: frame 3 is malformed"));
        }
        ikd_diag_free(t);
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/encrypted/v2-ike-auth-refused", test_v2_ike_auth_refused);
    g_test_add_func("/encrypted/v2-ike-auth-edges", test_v2_ike_auth_edges);
    g_test_add_func("/encrypted/v2-ike-auth-note", test_v2_ike_auth_note);
    g_test_add_func("/encrypted/v2-ike-auth-decrypted", test_v2_ike_auth_decrypted);
    g_test_add_func("/encrypted/v2-ike-auth-algorithms-unknown", test_v2_ike_auth_algorithms_unknown);
    g_test_add_func("/encrypted/v2-ike-auth-aead", test_v2_ike_auth_aead);
    g_test_add_func("/encrypted/v2-ike-auth-later-round", test_v2_ike_auth_later_round);
    g_test_add_func("/encrypted/v2-child-sa-refused", test_v2_child_sa_refused);
    g_test_add_func("/encrypted/v2-child-retry-recovers", test_v2_child_retry_recovers);
    g_test_add_func("/encrypted/v2-child-collision", test_v2_child_collision);
    g_test_add_func("/encrypted/v1-phase1-refused", test_v1_phase1_refused);
    g_test_add_func("/encrypted/v1-quick-mode-refused", test_v1_quick_mode_refused);
    g_test_add_func("/encrypted/v1-parallel-quick-modes", test_v1_parallel_quick_modes);
    g_test_add_func("/encrypted/v1-transaction-note", test_v1_transaction_note);
    g_test_add_func("/encrypted/v1-malformed-earlier", test_v1_malformed_earlier);
    return g_test_run();
}
