/* rules_common.c
 * Helpers every rule family uses.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include "rules_common.h"

/* The last frame after 'after' in which the side that should answer 'ex'
 * sent anything on this SA (IKE or ESP), or 0. */
guint32
ikd_peer_heard_after(const ikd_sa *sa, const ikd_exchange *ex, guint32 after)
{
    guint32 last = 0;
    int peer_dir = ex->from_initiator ? 1 : 0;

    for (const ikd_exchange *o = sa->exchanges; o; o = o->next_in_sa) {
        if (o->from_initiator == ex->from_initiator && o->response.last_frame > after)
            last = MAX(last, o->response.last_frame);
        if (o->from_initiator != ex->from_initiator && o->request.last_frame > after)
            last = MAX(last, o->request.last_frame);
    }
    if (sa->esp[peer_dir].last > after)
        last = MAX(last, sa->esp[peer_dir].last);
    return last;
}

gboolean
ikd_unanswered_at_threshold(const ikd_rule_ctx *c)
{
    const ikd_exchange *ex = c->ex;

    return ex && c->fi->role == IKD_ROLE_REQUEST && c->fi->retransmission_of && !ex->response.frame &&
           ex->request.n_sent == ikd_tracker_config(c->t)->no_response_retransmits + 1;
}

void
ikd_append_u32(GString *s, guint32 v)
{
    char buf[11];
    g_string_append_len(s, buf, (gssize)ikd_u32_to_dec(v, buf));
}

const char *
ikd_side_name(gboolean initiator)
{
    return initiator ? "initiator" : "responder";
}

const char *
ikd_peer_str(const ikd_addr *a, char *buf, gsize len)
{
    return ikd_addr_to_str(a, buf, len);
}

static void
append_hex(GString *s, const guint8 *b, gsize n)
{
    static const char digits[] = "0123456789abcdef";
    for (gsize i = 0; i < n; i++) {
        g_string_append_c(s, digits[b[i] >> 4]);
        g_string_append_c(s, digits[b[i] & 0x0f]);
    }
}

char *
ikd_key_hint(const ikd_sa *sa)
{
    GString *s = g_string_new(NULL);

    if (sa->version >= 2) {
        g_string_append(s, "add the IKE SA's keys to Edit > Preferences > Protocols > ISAKMP > "
                        "IKEv2 Decryption Table (ikev2_decryption_table): SPIi ");
        append_hex(s, sa->ispi, 8);
        g_string_append(s, ", SPIr ");
        append_hex(s, sa->rspi, 8);
        g_string_append(s, ", with SK_ei/SK_er/SK_ai/SK_ar from the daemon's log "
                        "(strongSwan: charondebug ike 4)");
    } else {
        g_string_append(s, "add the IKE SA's key to Edit > Preferences > Protocols > ISAKMP > "
                        "IKEv1 Decryption Table (ikev1_decryption_table): initiator cookie ");
        append_hex(s, sa->ispi, 8);
        g_string_append(s, " with the encryption key from the daemon's log");
    }
    return g_string_free(s, FALSE);
}
