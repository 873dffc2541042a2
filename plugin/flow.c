/* flow.c
 * The IKE ladder in Wireshark's flow graph: a sequence analysis named
 * "ikediag" (Statistics > Flow Graph, flow type "IKE (ikediag)";
 * tshark -q -z flow,ikediag,network or -z flow,ikediag,standard).
 *
 * It consumes the "ikediag" tap, which hands over the tracker's record of
 * each frame ikediag follows (ikd_frame_info), and draws:
 *   - one arrow per IKE message, labelled with exchange and message
 *     ("IKE_SA_INIT request", "MM5", "QM2", "INFORMATIONAL response");
 *   - one arrow per ICMP error that quotes IKE, and per IP fragment of a
 *     datagram between the peers that was not reassembled;
 *   - the causes of the findings a frame carries, in brackets after its
 *     label ("IKE_AUTH response [psk-mismatch]");
 *   - ESP once per SPI and direction, at its first packet, the comment
 *     counting the packets and giving the range of frames; a finding on a
 *     later ESP packet (esp-one-way) goes on that one arrow.
 * The comment of every arrow starts with "frame N": tshark's text graph
 * shows no frame numbers otherwise.  The conversation number of an arrow
 * is its IKE SA's number (ikediag.sa), so the GUI and tshark's "Conv."
 * column keep the SAs of a capture apart.
 *
 * Like every tap consumer, this sees what the tracker knows when the frame
 * is tapped: in a one-pass tshark run that is everything except the
 * end-of-capture conclusions (an unanswered request at the end of the
 * file), for which tshark needs -2; the GUI always reads the file first.
 *
 * The API's declarations are in ws-compat.h (no Wireshark version installs
 * epan/sequence_analysis.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ws-compat.h"

#include <epan/packet.h>
#include <epan/tap.h>
#include <epan/column-utils.h>
#include <epan/to_str.h>
#include <epan/epan_dissect.h>

#include "flow.h"
#include "stats.h"
#include "core/names.h"
#include "core/causes.h"

#define IKD_FLOW_NAME "ikediag"
#define IKD_FLOW_UI_NAME "IKE (ikediag)"
#define IKD_FLOW_TAP "ikediag"

/* ikd_seq_item.info_type of an ESP arrow, whose info_ptr is an esp_group.
 * Wireshark knows 0 (none) and 1 (RTP) and ignores other values. */
#define IKD_FLOW_INFO_ESP 0x494b4445u  /* "IKDE" */

/* ------------------------------------------------------------- the labels */

const char *
ikd_message_label(guint8 exch_type, ikd_role role, guint8 phase1_msg, guint8 quick_msg,
                  char *buf, gsize len)
{
    if (role == IKD_ROLE_ESP)
        return "ESP";
    if (role == IKD_ROLE_ICMP)
        return "ICMP error";
    if (role == IKD_ROLE_IP_FRAGMENT)
        return "IP fragment";
    if (!exch_type)
        return "";
    if (phase1_msg) {
        snprintf(buf, len, "%s%u", exch_type == IKD_X1_AGGRESSIVE ? "AM" : "MM", phase1_msg);
        return buf;
    }
    if (quick_msg) {
        snprintf(buf, len, "QM%u", quick_msg);
        return buf;
    }
    switch (role) {
    case IKD_ROLE_REQUEST: return "request";
    case IKD_ROLE_RESPONSE: return "response";
    case IKD_ROLE_FINAL: return "final";
    case IKD_ROLE_ONEWAY: return "one-way";
    default: return "";
    }
}

void
ikd_flow_append_causes(GString *s, const ikd_finding *findings)
{
    for (const ikd_finding *f = findings; f; f = f->next_on_frame) {
        char tag[64];
        snprintf(tag, sizeof tag, " [%s]", ikd_cause_get(f->cause)->keyword);
        if (!strstr(s->str, tag))
            g_string_append(s, tag);
    }
}

char *
ikd_flow_label(guint8 version, guint8 exch_type, ikd_role role, guint8 phase1_msg,
               guint8 quick_msg, const ikd_finding *findings)
{
    char buf[16];
    const char *msg = ikd_message_label(exch_type, role, phase1_msg, quick_msg, buf, sizeof buf);
    const char *exname = exch_type ? ikd_exchange_name(version, exch_type) : NULL;
    GString *s;

    if (role == IKD_ROLE_ESP)
        return NULL;
    s = g_string_new(NULL);
    if (role == IKD_ROLE_ICMP || role == IKD_ROLE_IP_FRAGMENT) {
        /* Which exchange the quoted message (or the datagram) belonged
         * to, when the tracker could tell: "ICMP (IKE_SA_INIT)", short
         * enough for tshark's 20 columns. */
        if (exname)
            g_string_append_printf(s, "%s (%s)", role == IKD_ROLE_ICMP ? "ICMP" : msg, exname);
        else
            g_string_append(s, msg);
    } else if (phase1_msg || quick_msg) {
        /* "MM5" says Main Mode already. */
        g_string_append(s, msg);
    } else if (exname && role == IKD_ROLE_ONEWAY) {
        /* IKEv1 Informational: no request, no response. */
        g_string_append(s, exname);
    } else if (exname) {
        g_string_append(s, exname);
        if (*msg)
            g_string_append_printf(s, " %s", msg);
    } else if (findings) {
        /* Of no exchange (a frame the tracker could not place) but it
         * carries a finding: the finding is the arrow. */
        g_string_append(s, *msg ? msg : "IKE");
    } else {
        g_string_free(s, TRUE);
        return NULL;
    }
    ikd_flow_append_causes(s, findings);
    return g_string_free(s, FALSE);
}

/* ------------------------------------------------------------ ESP arrows */

/* What an ESP arrow stands for: one SPI in one direction. */
typedef struct esp_group {
    char     key[112];              /* "src>dst#spi", see esp_key(); inline, as
                                       the library frees info_ptr with g_free() */
    guint32  first, last, count;    /* frames */
    guint32  sa;                    /* ikediag.sa, 0 = none */
    gboolean spi_known;
    guint32  spi;
    char     causes[128];           /* "esp-one-way in frame 20, ..." */
} esp_group;

static int hf_esp_spi = -1;

/* The SPI of an ESP packet: the esp.spi field where the tree has it (tshark
 * primes it for ikediag on a one-pass run), else the Info column the ESP
 * dissector writes ("ESP (SPI=0x0c1f2a3b)"; the flow graph asks for
 * columns).  Neither when the decrypted payload's dissectors rewrote the
 * Info column on a later pass: the arrow then says "ESP" with no SPI. */
static gboolean
esp_spi(packet_info *pinfo, epan_dissect_t *edt, guint32 *spi)
{
    const char *info, *p;
    char *end;

    if (hf_esp_spi < 0)
        hf_esp_spi = proto_registrar_get_id_byname("esp.spi");
    if (hf_esp_spi > 0 && edt && edt->tree) {
        GPtrArray *a = proto_get_finfo_ptr_array(edt->tree, hf_esp_spi);
        if (a && a->len) {
            *spi = ikd_fi_uint((field_info *)g_ptr_array_index(a, 0));
            return TRUE;
        }
    }
    info = pinfo->cinfo ? col_get_text(pinfo->cinfo, COL_INFO) : NULL;
    if (info && (p = strstr(info, "SPI=0x")) != NULL) {
        unsigned long v = strtoul(p + 6, &end, 16);
        if (end != p + 6) {
            *spi = (guint32)v;
            return TRUE;
        }
    }
    return FALSE;
}

static void
esp_key(char *key, gsize len, const ikd_seq_item *sai, gboolean spi_known, guint32 spi)
{
    char a[48], b[48];

    address_to_str_buf(&sai->src_addr, a, sizeof a);
    address_to_str_buf(&sai->dst_addr, b, sizeof b);
    if (spi_known)
        snprintf(key, len, "%s>%s#%08x", a, b, spi);
    else
        snprintf(key, len, "%s>%s#-", a, b);
}

/* Which arrow each SPI and direction has, for the graph being filled.  A
 * cache of what the graph's own items say (their esp_group), rebuilt from
 * them whenever it may be stale: the GUI frees a graph's items and taps the
 * file again on every refresh, and several graphs may be open.  The cache
 * is trusted only while its graph's item queue is the one it indexed, with
 * the length and last item it last saw, and frames keep increasing. */
static struct {
    const ikd_seq_info *sainfo;
    const GQueue *items;
    guint length;
    const void *tail;
    guint32 last_frame;
    GHashTable *by_key;             /* esp_group.key -> ikd_seq_item * */
} esp_index;

static void
esp_index_sync(ikd_seq_info *sainfo, guint32 frame)
{
    if (esp_index.by_key && esp_index.sainfo == sainfo && esp_index.items == sainfo->items &&
        esp_index.length == g_queue_get_length(sainfo->items) &&
        esp_index.tail == g_queue_peek_tail(sainfo->items) && frame > esp_index.last_frame)
        return;
    if (!esp_index.by_key)
        esp_index.by_key = g_hash_table_new(g_str_hash, g_str_equal);
    g_hash_table_remove_all(esp_index.by_key);
    for (GList *l = sainfo->items->head; l; l = l->next) {
        ikd_seq_item *it = (ikd_seq_item *)l->data;
        if (it->info_type == IKD_FLOW_INFO_ESP && it->info_ptr)
            g_hash_table_insert(esp_index.by_key, ((esp_group *)it->info_ptr)->key, it);
    }
    esp_index.sainfo = sainfo;
    esp_index.items = sainfo->items;
}

static void
esp_index_saw(ikd_seq_info *sainfo, guint32 frame)
{
    esp_index.length = g_queue_get_length(sainfo->items);
    esp_index.tail = g_queue_peek_tail(sainfo->items);
    esp_index.last_frame = frame;
}

/* The causes an ESP packet carries, noted once each on its group. */
static void
esp_note_causes(esp_group *g, const ikd_frame_info *fi)
{
    for (const ikd_finding *f = fi->findings; f; f = f->next_on_frame) {
        const char *kw = ikd_cause_get(f->cause)->keyword;
        char note[64];
        gsize n = strlen(g->causes);
        if (strstr(g->causes, kw))
            continue;
        snprintf(note, sizeof note, "%s%s in frame %u", n ? ", " : "", kw, fi->frame);
        g_strlcat(g->causes, note, sizeof g->causes);
    }
}

static void
esp_comment(ikd_seq_item *sai, const esp_group *g)
{
    GString *c = g_string_new(NULL);

    g_string_printf(c, "frame %u, ", g->first);
    if (g->sa)
        g_string_append_printf(c, "IKE SA %u: ", g->sa);
    else
        g_string_append(c, "no IKE SA: ");   /* the capture began after it */
    if (g->count == 1)
        g_string_append(c, "1 ESP packet");
    else
        g_string_append_printf(c, "%u ESP packets, frames %u-%u", g->count, g->first, g->last);
    if (g->causes[0])
        g_string_append_printf(c, "; %s", g->causes);
    g_free(sai->comment);
    sai->comment = g_string_free(c, FALSE);
}

/* An ESP packet: a new arrow for the first of its SPI and direction, else
 * one more on the existing arrow (whose label takes any cause it carries). */
static gboolean
add_esp(packet_info *pinfo, epan_dissect_t *edt, const ikd_frame_info *fi,
        ikd_seq_item *sai)
{
    guint32 spi = 0;
    gboolean known = esp_spi(pinfo, edt, &spi);
    char key[sizeof ((esp_group *)0)->key];
    ikd_seq_item *old;
    esp_group *g;

    esp_key(key, sizeof key, sai, known, spi);
    old = (ikd_seq_item *)g_hash_table_lookup(esp_index.by_key, key);
    if (old) {
        GString *label;
        g = (esp_group *)old->info_ptr;
        g->count++;
        g->last = fi->frame;
        esp_note_causes(g, fi);
        esp_comment(old, g);
        if (fi->findings) {
            label = g_string_new(old->frame_label);
            ikd_flow_append_causes(label, fi->findings);
            g_free(old->frame_label);
            old->frame_label = g_string_free(label, FALSE);
        }
        return FALSE;
    }
    g = g_new0(esp_group, 1);
    memcpy(g->key, key, sizeof g->key);
    g->first = g->last = fi->frame;
    g->count = 1;
    g->sa = fi->sa ? fi->sa->number : 0;
    g->spi_known = known;
    g->spi = spi;
    GString *label = known ? g_string_new(NULL) : g_string_new("ESP");
    if (known)
        g_string_printf(label, "ESP SPI 0x%08x", spi);
    ikd_flow_append_causes(label, fi->findings);
    sai->frame_label = g_string_free(label, FALSE);
    esp_note_causes(g, fi);
    esp_comment(sai, g);
    sai->info_type = IKD_FLOW_INFO_ESP;
    sai->info_ptr = g;
#if IKD_WS_AT_LEAST(4, 6)
    sai->free_info_ptr = g_free;
#endif
    return TRUE;
}

/* ---------------------------------------------------------------- the tap */

/* The text of the Info column up to ikediag's own tags: for an ICMP error
 * what the ICMP dissector says ("Destination unreachable (Port
 * unreachable)"). */
static char *
info_text(packet_info *pinfo)
{
    const char *info = pinfo->cinfo ? col_get_text(pinfo->cinfo, COL_INFO) : NULL;
    const char *tag;

    if (!info || !*info)
        return NULL;
    tag = strstr(info, " [IKE: ");
    return tag ? g_strndup(info, (gsize)(tag - info)) : g_strdup(info);
}

/* The causes again, in the comment: tshark's text graph cuts a label to
 * the width between two nodes (20 characters), which "IKE_AUTH response
 * [psk-mismatch]" exceeds; the comment is printed whole. */
static void
comment_causes(GString *c, const ikd_finding *findings)
{
    const char *sep = ": ";

    for (const ikd_finding *f = findings; f; f = f->next_on_frame) {
        const char *kw = ikd_cause_get(f->cause)->keyword;
        const char *p = strstr(c->str, kw);
        size_t n = strlen(kw);
        /* each keyword once */
        if (p && (p[n] == '\0' || p[n] == ',') && (p == c->str || p[-1] == ' '))
            continue;
        g_string_append_printf(c, "%s%s", sep, kw);
        sep = ", ";
    }
}

static tap_packet_status
flow_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt, const void *data,
            tap_flags_t flags _U_)
{
    ikd_seq_info *sainfo = (ikd_seq_info *)tapdata;
    const ikd_tap_record *rec = (const ikd_tap_record *)data;
    const ikd_frame_info *fi = rec ? rec->fi : NULL;
    const ikd_exchange *ex;
    ikd_seq_item *sai;
    char *label = NULL;

    if (!fi || !sainfo || !sainfo->items)
        return TAP_PACKET_DONT_REDRAW;
    ex = fi->exchange;
    if (fi->role != IKD_ROLE_ESP) {
        label = ikd_flow_label(ex ? ex->version : (fi->sa ? fi->sa->version : 0),
                               ex ? ex->exch_type : 0, fi->role, fi->phase1_msg, fi->quick_msg,
                               fi->findings);
        if (!label)
            return TAP_PACKET_DONT_REDRAW;
    }
    esp_index_sync(sainfo, fi->frame);
    sai = sequence_analysis_create_sai_with_addresses(pinfo, sainfo);
    if (!sai) {
        g_free(label);
        return TAP_PACKET_DONT_REDRAW;
    }
    sai->frame_number = fi->frame;
    sai->port_src = (guint16)pinfo->srcport;
    sai->port_dst = (guint16)pinfo->destport;
    sai->conv_num = fi->sa ? (guint16)fi->sa->number : 0;
    sai->line_style = 1;
    sai->display = TRUE;
    sequence_analysis_use_color_filter(pinfo, sai);

    if (fi->role == IKD_ROLE_ESP) {
        if (!add_esp(pinfo, edt, fi, sai)) {
            /* Counted on the SPI's arrow; this item goes. */
            g_free(sai->time_str);
            free_address(&sai->src_addr);
            free_address(&sai->dst_addr);
            g_free(sai);
            esp_index_saw(sainfo, fi->frame);
            return TAP_PACKET_REDRAW;
        }
    } else {
        GString *c = g_string_new(NULL);
        sai->frame_label = label;
        g_string_printf(c, "frame %u", fi->frame);
        if (fi->sa)
            g_string_append_printf(c, ", IKE SA %u", fi->sa->number);
        if (fi->role == IKD_ROLE_ICMP) {
            char *info = info_text(pinfo);
            if (info)
                g_string_append_printf(c, ", %s", info);
            g_free(info);
        }
        comment_causes(c, fi->findings);
        sai->comment = g_string_free(c, FALSE);
    }
    g_queue_push_tail(sainfo->items, sai);
    if (fi->role == IKD_ROLE_ESP)
        g_hash_table_insert(esp_index.by_key, ((esp_group *)sai->info_ptr)->key, sai);
    esp_index_saw(sainfo, fi->frame);
    return TAP_PACKET_REDRAW;
}

void
ikd_flow_register(int proto_id)
{
    /* Columns: the Info text of ICMP errors, and the SPI of an ESP packet
     * where the tree does not have it. */
    register_seq_analysis(IKD_FLOW_NAME, IKD_FLOW_UI_NAME, proto_id, IKD_FLOW_TAP,
                          TL_REQUIRES_COLUMNS, flow_packet);
}
