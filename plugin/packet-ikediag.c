/* packet-ikediag.c
 * ikediag: why did the IPsec tunnel not come up?  A post-dissector that
 * reads the stock ISAKMP dissector's fields, tracks IKE SAs and exchanges
 * across the capture (core/tracker.c) and reports diagnoses (core/rules_*.c)
 * as ikediag.* fields, expert infos, Info column tags and a tap.
 *
 * This file is the epan edge: registration, the per-frame entry and drawing
 * the tree.  The first pass extracts and tracks; every pass draws from the
 * tracker's record of the frame, because on later passes the post-dissector
 * is not handed the fields it wanted (only the first pass primes them).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include <epan/packet.h>
#include <epan/expert.h>
#include <epan/prefs.h>
#include <epan/tap.h>
#include <wsutil/wslog.h>

#include "ws-compat.h"
#include "extract.h"
#include "stats.h"
#include "flow.h"
#include "core/diagnose.h"
#include "core/names.h"

void proto_register_ikediag(void);
void proto_reg_handoff_ikediag(void);

static int proto_ikediag = -1;

/* Tracking (issue "foundation": the names are a public contract) */
static int hf_ikediag_sa = -1;
static int hf_ikediag_exchange = -1;
static int hf_ikediag_message = -1;
static int hf_ikediag_state = -1;
static int hf_ikediag_request_in = -1;
static int hf_ikediag_response_in = -1;
static int hf_ikediag_time = -1;
static int hf_ikediag_retransmission_of = -1;
static int hf_ikediag_icmp_for = -1;
static int hf_ikediag_undecrypted = -1;
static int hf_ikediag_diagnosed_in = -1;
static int hf_ikediag_outcome = -1;
/* Findings */
static int hf_ikediag_finding = -1;
static int hf_ikediag_cause = -1;
static int hf_ikediag_failure = -1;
static int hf_ikediag_verdict = -1;
static int hf_ikediag_offered = -1;
static int hf_ikediag_chosen = -1;
static int hf_ikediag_mismatch = -1;
static int hf_ikediag_hint = -1;
static int hf_ikediag_evidence = -1;
static int hf_ikediag_possible = -1;
static int hf_ikediag_possible_why = -1;

static gint ett_ikediag = -1;
static gint ett_ikediag_finding = -1;

/* One expert info per cause and outcome: Wireshark fixes an expert info's
 * severity at registration, and a cause is an error when the SA failed but
 * only a note when the negotiation recovered (e.g. INVALID_KE_PAYLOAD
 * followed by a successful retry). */
static struct {
    expert_field failure;
    expert_field recovered;
} ei_ikediag_cause[IKD_CAUSE_COUNT];
static expert_field ei_ikediag_retransmission = EI_INIT;
static expert_field ei_ikediag_undecrypted = EI_INIT;

static dissector_handle_t ikediag_handle;
static int ikediag_tap = -1;
/* Who reads an expert info's text: the "expert" tap (the GUI's Expert
 * Information dialog, tshark -z expert) and _ws.expert.message; and who
 * reads expert infos at all: also the other _ws.expert fields, the
 * Expert column, and a filter on ikediag.expert.* (expert_readers()). */
static int expert_tap = -1;
static int hf_expert_message = -1;
static int expert_fields[4] = { -1, -1, -1, -1 };

/* Preferences (Edit > Preferences > Protocols > IKEDIAG) */
static guint pref_no_response_retransmits = 3;
static ikd_pref_bool pref_weak_crypto = TRUE;
static ikd_pref_bool pref_info_tags = TRUE;
static ikd_pref_bool pref_report_deletes = FALSE;
static guint pref_esp_one_way_packets = 4;

/* The diagnosis of the open capture file: created when a file is opened
 * (init routine), freed when it is closed (cleanup routine). */
static ikd_diag *diag;

/* One message record, reused for every frame: ikd_msg_reset() clears only
 * what the previous frame filled. */
static ikd_msg *frame_msg;

/* Whether the extraction's fields are declared to epan right now. */
static gboolean fields_wanted;

static void
want_fields(gboolean on)
{
    if (on == fields_wanted)
        return;
    fields_wanted = on;
    /* epan takes the array and frees the one it held */
    set_postdissector_wanted_hfids(ikediag_handle, on ? ikd_extract_wanted_hfids() : NULL);
}

static void
ikediag_init(void)
{
    ikd_config cfg;

    ikd_config_defaults(&cfg);
    cfg.no_response_retransmits = MAX(pref_no_response_retransmits, 1);
    cfg.weak_crypto = pref_weak_crypto;
    cfg.report_deletes = pref_report_deletes;
    cfg.esp_one_way_packets = MAX(pref_esp_one_way_packets, 1);
    ikd_diag_free(diag);
    diag = ikd_diag_new(&cfg);
    /* Looked up here: at handoff the expert module's fields are not all
     * registered yet. */
    expert_tap = find_tap_id("expert");
    hf_expert_message = proto_registrar_get_id_byname("_ws.expert.message");
    expert_fields[0] = hf_expert_message;
    expert_fields[1] = proto_registrar_get_id_byname("_ws.expert");
    expert_fields[2] = proto_registrar_get_id_byname("_ws.expert.severity");
    expert_fields[3] = proto_registrar_get_id_byname("_ws.expert.group");
    if (!frame_msg) {
        frame_msg = g_new(ikd_msg, 1);
        ikd_msg_init(frame_msg);
    }
    /* Like TRANSUM: (re)declare the wanted fields for each file, since
     * cleanup clears them.  Not when ikediag is disabled (--disable-protocol
     * ikediag, Analyze > Enabled Protocols): wanted fields make tshark build
     * a protocol tree for every packet, +20% CPU on non-IKE traffic even
     * with the dissector off (docs/performance.md). */
    if (proto_is_protocol_enabled(find_protocol_by_id(proto_ikediag)))
        want_fields(TRUE);
}

static void
ikediag_cleanup(void)
{
    want_fields(FALSE);
    ikd_diag_free(diag);
    diag = NULL;
}

static int
severity_to_ws(ikd_severity s)
{
    switch (s) {
    case IKD_SEV_ERROR: return PI_ERROR;
    case IKD_SEV_WARN: return PI_WARN;
    case IKD_SEV_NOTE: return PI_NOTE;
    case IKD_SEV_CHAT: return PI_CHAT;
    }
    return PI_CHAT;
}

static int
group_to_ws(ikd_group g)
{
    switch (g) {
    case IKD_GROUP_PROTOCOL: return PI_PROTOCOL;
    case IKD_GROUP_SEQUENCE: return PI_SEQUENCE;
    case IKD_GROUP_SECURITY: return PI_SECURITY;
    case IKD_GROUP_MALFORMED: return PI_MALFORMED;
    case IKD_GROUP_DECRYPTION: return PI_DECRYPTION;
    }
    return PI_PROTOCOL;
}

/* Every finding's verdict, in its own field (ikediag.failure only marks
 * the failures): a failure; a failure cause the negotiation recovered from
 * (or that did not stop it); a warning; a note. */
static const char *
finding_verdict(const ikd_finding *f, const ikd_cause_info *ci)
{
    if (f->failure)
        return "failure";
    if (ci->severity == IKD_SEV_ERROR)
        return "recovered";
    if (ci->recovered_severity >= IKD_SEV_WARN)
        return "warning";
    return "note";
}

/* The finding's keyword in the Info column (a preference). */
static void
info_tag(packet_info *pinfo, const ikd_finding *f, const ikd_cause_info *ci)
{
    if (pref_info_tags && (f->failure || ci->severity >= IKD_SEV_WARN) && f->cause != IKD_CAUSE_MALFORMED)
        col_append_fstr(pinfo->cinfo, COL_INFO, " [IKE: %s]", ci->keyword);
}

static void
draw_finding(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, const ikd_finding *f, gboolean experts)
{
    const ikd_cause_info *ci = ikd_cause_get(f->cause);
    proto_item *ti;
    proto_tree *ft;

    ti = proto_tree_add_string(tree, hf_ikediag_finding, tvb, 0, 0, f->message ? f->message : ci->title);
    proto_item_set_generated(ti);
    ft = proto_item_add_subtree(ti, ett_ikediag_finding);
    proto_item_set_generated(proto_tree_add_string(ft, hf_ikediag_cause, tvb, 0, 0, ci->keyword));
    /* Present only when true, like tcp.analysis.*: "-Y ikediag.failure" is a
     * test of presence in Wireshark 4.0 and lists failures only. */
    if (f->failure)
        proto_item_set_generated(proto_tree_add_boolean(ft, hf_ikediag_failure, tvb, 0, 0, TRUE));
    proto_item_set_generated(proto_tree_add_string(ft, hf_ikediag_verdict, tvb, 0, 0, finding_verdict(f, ci)));
    if (f->offered)
        proto_item_set_generated(proto_tree_add_string(ft, hf_ikediag_offered, tvb, 0, 0, f->offered));
    if (f->chosen)
        proto_item_set_generated(proto_tree_add_string(ft, hf_ikediag_chosen, tvb, 0, 0, f->chosen));
    if (f->mismatch)
        proto_item_set_generated(proto_tree_add_string(ft, hf_ikediag_mismatch, tvb, 0, 0, f->mismatch));
    if (f->hint)
        proto_item_set_generated(proto_tree_add_string(ft, hf_ikediag_hint, tvb, 0, 0, f->hint));
    /* Other causes the evidence fits, most likely first; each keyword is
     * followed by what tells it apart (the same order in both fields). */
    for (guint i = 0; i < f->n_possible; i++) {
        proto_item_set_generated(proto_tree_add_string(ft, hf_ikediag_possible, tvb, 0, 0,
                                                       ikd_cause_get(f->possible[i].cause)->keyword));
        proto_item_set_generated(proto_tree_add_string(ft, hf_ikediag_possible_why, tvb, 0, 0,
                                                       f->possible[i].why));
    }
    for (guint i = 0; i < f->n_evidence; i++) {
        if (f->evidence[i] != pinfo->num)
            proto_item_set_generated(proto_tree_add_uint(ft, hf_ikediag_evidence, tvb, 0, 0, f->evidence[i]));
    }
    expert_field *ei = f->failure ? &ei_ikediag_cause[f->cause].failure
                                  : &ei_ikediag_cause[f->cause].recovered;
    /* Formatting the sentence into the expert info costs more than all the
     * finding's items in a run where nobody reads it (tshark -r without -V):
     * there the expert info carries its title, which is what
     * ikediag.expert.* filters and the severity need. */
    if (!experts && !proto_field_is_referenced(tree, ei->hf))
        ;                           /* nobody collects it (expert_readers()) */
    else if (f->message && (have_tap_listener(expert_tap) ||
                            (hf_expert_message > 0 && proto_field_is_referenced(tree, hf_expert_message)) ||
                            proto_field_is_referenced(tree, ei->hf)))
        /* expert.c keeps ITEM_LABEL_LENGTH bytes of the text, but its
         * vsnprintf walks the whole sentence to get there (most of an expert
         * info's cost with a long one).  One byte more than it keeps, so that
         * it still sees the cut (4.2 and later then end the text on a whole
         * UTF-8 character): the text is the same. */
        expert_add_info_format(pinfo, ti, ei, "%.*s", ITEM_LABEL_LENGTH, f->message);
    else
        expert_add_info(pinfo, ti, ei);
    info_tag(pinfo, f, ci);
}

static void
draw(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const ikd_frame_info *fi, gboolean experts)
{
    proto_item *root, *ti;
    proto_tree *t;
    const ikd_exchange *ex = fi->exchange;
    char buf[32];
    /* The summary on the protocol item is formatted text that nobody sees
     * in a plain tshark run (the tree is not printed): skip it there, as
     * it costs more than the items themselves. */
    gboolean summary = proto_field_is_referenced(tree, proto_ikediag);

    root = proto_tree_add_item(tree, proto_ikediag, tvb, 0, 0, ENC_NA);
    proto_item_set_generated(root);
    t = proto_item_add_subtree(root, ett_ikediag);

    const char *name = ex ? ikd_exchange_name(ex->version, ex->exch_type) : NULL;
    const char *label = summary || proto_field_is_referenced(tree, hf_ikediag_message)
                        ? ikd_message_label(ex ? ex->exch_type : 0, fi->role, fi->phase1_msg,
                                            fi->quick_msg, buf, sizeof buf) : "";
    if (fi->sa)
        proto_item_set_generated(proto_tree_add_uint(t, hf_ikediag_sa, tvb, 0, 0, fi->sa->number));
    if (name)
        proto_item_set_generated(proto_tree_add_string(t, hf_ikediag_exchange, tvb, 0, 0, name));
    if (*label)
        proto_item_set_generated(proto_tree_add_string(t, hf_ikediag_message, tvb, 0, 0, label));
    /* One append: each one formats the label anew (%.0u of 0 prints nothing). */
    if (summary && (fi->sa || name || *label))
        proto_item_append_text(root, fi->sa ? ", IKE SA %u%s%s%s%s" : "%.0u%s%s%s%s",
                               fi->sa ? fi->sa->number : 0, name ? ", " : "", name ? name : "",
                               *label ? " " : "", label);
    if (fi->state && *fi->state)
        proto_item_set_generated(proto_tree_add_string(t, hf_ikediag_state, tvb, 0, 0, fi->state));

    if (ex && (fi->role == IKD_ROLE_REQUEST) && ex->response.frame) {
        proto_item_set_generated(proto_tree_add_uint(t, hf_ikediag_response_in, tvb, 0, 0, ex->response.frame));
    }
    if (ex && (fi->role == IKD_ROLE_RESPONSE || fi->role == IKD_ROLE_FINAL) && ex->request.frame) {
        const ikd_digest *rq = ex->request.msg;
        proto_item_set_generated(proto_tree_add_uint(t, hf_ikediag_request_in, tvb, 0, 0, ex->request.frame));
        if (rq && fi->role == IKD_ROLE_RESPONSE) {
            nstime_t delta, now, then;
            now.secs = (time_t)pinfo->abs_ts.secs;
            now.nsecs = pinfo->abs_ts.nsecs;
            then.secs = (time_t)rq->ts_sec;
            then.nsecs = rq->ts_nsec;
            nstime_delta(&delta, &now, &then);
            proto_item_set_generated(proto_tree_add_time(t, hf_ikediag_time, tvb, 0, 0, &delta));
        }
    }
    if (fi->retransmission_of) {
        ti = proto_tree_add_uint(t, hf_ikediag_retransmission_of, tvb, 0, 0, fi->retransmission_of);
        proto_item_set_generated(ti);
        if (experts || proto_field_is_referenced(tree, ei_ikediag_retransmission.hf))
            expert_add_info_format(pinfo, ti, &ei_ikediag_retransmission,
                                   "Retransmission of the IKE message in frame %u", fi->retransmission_of);
    }
    if (fi->icmp_for)
        proto_item_set_generated(proto_tree_add_uint(t, hf_ikediag_icmp_for, tvb, 0, 0, fi->icmp_for));
    if (ex && fi->role != IKD_ROLE_ESP && fi->role != IKD_ROLE_ICMP) {
        const ikd_digest *d = NULL;
        if (fi->role == IKD_ROLE_RESPONSE)
            d = ex->response.msg;
        else if (fi->role == IKD_ROLE_FINAL)
            d = ex->final.msg;
        else
            d = ex->request.msg;
        if (d && d->encrypted && !d->decrypted) {
            ti = proto_tree_add_boolean(t, hf_ikediag_undecrypted, tvb, 0, 0, TRUE);
            proto_item_set_generated(ti);
            if (experts || proto_field_is_referenced(tree, ei_ikediag_undecrypted.hf))
                expert_add_info(pinfo, ti, &ei_ikediag_undecrypted);
        }
    }

    for (const ikd_finding *f = fi->findings; f; f = f->next_on_frame)
        draw_finding(t, pinfo, tvb, f, experts);

    /* Other frames of a diagnosed exchange point at the diagnosis (visible
     * once that frame has been seen: on a second pass or in the GUI). */
    if (!fi->findings && ex && ex->diagnosed_in && ex->diagnosed_in != fi->frame) {
        ti = proto_tree_add_uint(t, hf_ikediag_diagnosed_in, tvb, 0, 0, ex->diagnosed_in);
        proto_item_set_generated(ti);
        if (summary)
            proto_item_append_text(ti, " (%s)", ikd_cause_get(ex->diagnosed_cause)->keyword);
    }
    if (fi->sa && ikd_diag_finished(diag))
        proto_item_set_generated(proto_tree_add_string(t, hf_ikediag_outcome, tvb, 0, 0,
                                                       ikd_outcome_name(fi->sa->outcome)));
}

/* Does anyone read the sentences of the findings made on this frame?  Not
 * in a one-pass tshark run that prints summary lines and no tree, with no
 * text field referenced and no tap on ikediag or the expert infos (plain
 * tshark -r, -Y without -V): there formatting them would be most of what
 * ikediag costs (docs/performance.md).  The first pass of tshark -2 and
 * the GUI's first pass build no columns (pinfo->cinfo is NULL) and draw the
 * frames again later from these records, so they always get the texts. */
static gboolean
texts_wanted(packet_info *pinfo, proto_tree *tree)
{
    static int *const text_fields[] = {
        &hf_ikediag_finding, &hf_ikediag_hint, &hf_ikediag_possible_why, &hf_expert_message,
    };

    if (!pinfo->cinfo || !tree || PTREE_DATA(tree)->visible ||
        have_tap_listener(ikediag_tap) || have_tap_listener(expert_tap))
        return TRUE;
    for (gsize i = 0; i < G_N_ELEMENTS(text_fields); i++) {
        if (*text_fields[i] > 0 && proto_field_is_referenced(tree, *text_fields[i]))
            return TRUE;
    }
    return FALSE;
}

/* Does anyone collect this frame's expert infos?  Not in the same runs as
 * above (texts_wanted()), unless a _ws.expert field is referenced or an
 * Expert column is shown; a filter on one ikediag.expert.* field is looked
 * at where that expert info is added.  In any other run they reach the
 * expert tap, the tree, the Expert column or the GUI's highest-severity
 * indicator (its first pass builds no columns). */
static gboolean
expert_readers(packet_info *pinfo, proto_tree *tree)
{
    if (!pinfo->cinfo || !tree || PTREE_DATA(tree)->visible || have_tap_listener(expert_tap) ||
        col_get_text(pinfo->cinfo, COL_EXPERT))
        return TRUE;
    for (gsize i = 0; i < G_N_ELEMENTS(expert_fields); i++) {
        if (expert_fields[i] > 0 && proto_field_is_referenced(tree, expert_fields[i]))
            return TRUE;
    }
    return FALSE;
}

static int
dissect_ikediag(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    ikd_frame_info *fi;

    /* With a visible tree (tshark -V, -T fields/json/pdml in one pass) no
     * item is faked, so the wanted fields give the walk nothing, and they
     * cost: epan files every item of a wanted field for lookup (+7% of
     * tshark on IKE traffic, docs/performance.md).  Such a run shows every
     * frame of its pass alike, so this frame's tree says how the next ones
     * come; the GUI and tshark -2 make their first pass without a visible
     * tree, and show trees only for frames already seen. */
    if (!PINFO_FD_VISITED(pinfo) && tree && diag)
        want_fields(!PTREE_DATA(tree)->visible);
    if (!diag || !ikd_extract_frame_is_relevant(pinfo))
        return 0;

    if (!PINFO_FD_VISITED(pinfo)) {
        if (!ikd_extract(pinfo, tvb, tree, frame_msg))
            return 0;
        ikd_diag_set_texts(diag, texts_wanted(pinfo, tree));
        fi = ikd_diag_add(diag, frame_msg);

    } else {
        /* A second pass means the whole capture has been seen. */
        if (!ikd_diag_finished(diag))
            ikd_diag_finish(diag);     /* it turns the texts on for good */
        fi = ikd_diag_lookup(diag, pinfo->num);
    }
    if (!fi)
        return 0;
    /* Tree or not: the proto API draws nothing without a tree, but the
     * expert infos and the Info tags still reach the GUI's Expert
     * Information dialog (which taps "expert" without a tree) and
     * tshark -z expert.  A tree that is not shown, with no ikediag field
     * referenced (a filter, a column, a colouring rule or -e on any
     * ikediag.* field marks the protocol) and nobody collecting expert
     * infos, would get items that nobody reads: there only the Info tags
     * count (plain tshark -r, -Y on other fields). */
    gboolean experts = expert_readers(pinfo, tree);     /* FALSE only for a hidden tree */
    if (!experts && !proto_field_is_referenced(tree, proto_ikediag)) {
        for (const ikd_finding *f = fi->findings; f; f = f->next_on_frame)
            info_tag(pinfo, f, ikd_cause_get(f->cause));
    } else {
        draw(tvb, pinfo, tree, fi, experts);
    }
    if (have_tap_listener(ikediag_tap)) {
        ikd_tap_record *rec = wmem_new(pinfo->pool, ikd_tap_record);
        rec->diag = diag;
        rec->fi = fi;
        tap_queue_packet(ikediag_tap, pinfo, rec);
    }
    return tvb_captured_length(tvb);
}

void
proto_register_ikediag(void)
{
    static hf_register_info hf[] = {
        { &hf_ikediag_sa,
          { "IKE SA", "ikediag.sa", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Number of the IKE SA within the capture (same on every frame of one IKE SA)", HFILL }},
        { &hf_ikediag_exchange,
          { "Exchange", "ikediag.exchange", FT_STRING, BASE_NONE, NULL, 0x0,
            "IKE exchange this frame belongs to", HFILL }},
        { &hf_ikediag_message,
          { "Message", "ikediag.message", FT_STRING, BASE_NONE, NULL, 0x0,
            "Place of the message in its exchange (MM1..MM6, AM1..AM3, QM1..QM3, request, response)", HFILL }},
        { &hf_ikediag_state,
          { "State", "ikediag.state", FT_STRING, BASE_NONE, NULL, 0x0,
            "Where the negotiation stands after this frame", HFILL }},
        { &hf_ikediag_request_in,
          { "Request in", "ikediag.request_in", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0,
            "The request this message answers (first transmission)", HFILL }},
        { &hf_ikediag_response_in,
          { "Response in", "ikediag.response_in", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0,
            "The response to this request (known once the response has been seen)", HFILL }},
        { &hf_ikediag_time,
          { "Time since request", "ikediag.time", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
            "Time between the request's first transmission and this response", HFILL }},
        { &hf_ikediag_retransmission_of,
          { "Retransmission of", "ikediag.retransmission_of", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_RETRANS_PREV), 0x0,
            "This message repeats the one in that frame", HFILL }},
        { &hf_ikediag_icmp_for,
          { "ICMP error for", "ikediag.icmp_for", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0,
            "The IKE message this ICMP error quotes", HFILL }},
        { &hf_ikediag_undecrypted,
          { "Encrypted, not decrypted", "ikediag.undecrypted", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "The message is encrypted and no decryption key is configured for it", HFILL }},
        { &hf_ikediag_diagnosed_in,
          { "Diagnosed in", "ikediag.diagnosed_in", FT_FRAMENUM, BASE_NONE, NULL, 0x0,
            "The frame that carries the diagnosis of this exchange", HFILL }},
        { &hf_ikediag_outcome,
          { "IKE SA outcome", "ikediag.outcome", FT_STRING, BASE_NONE, NULL, 0x0,
            "Outcome of this IKE SA over the whole capture (second pass and GUI only)", HFILL }},
        { &hf_ikediag_finding,
          { "Finding", "ikediag.finding", FT_STRING, BASE_NONE, NULL, 0x0,
            "A diagnosis, as a sentence", HFILL }},
        { &hf_ikediag_cause,
          { "Cause", "ikediag.cause", FT_STRING, BASE_NONE, NULL, 0x0,
            "Cause keyword (see docs/diagnoses.md)", HFILL }},
        { &hf_ikediag_failure,
          { "Failure", "ikediag.failure", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "An IKE or child SA was not set up because of this (present only then)", HFILL }},
        { &hf_ikediag_verdict,
          { "Verdict", "ikediag.verdict", FT_STRING, BASE_NONE, NULL, 0x0,
            "failure, recovered (a failure cause the negotiation got past), warning or note", HFILL }},
        { &hf_ikediag_offered,
          { "Offered", "ikediag.offered", FT_STRING, BASE_NONE, NULL, 0x0,
            "What was offered, in strongSwan configuration notation", HFILL }},
        { &hf_ikediag_chosen,
          { "Chosen / accepted", "ikediag.chosen", FT_STRING, BASE_NONE, NULL, 0x0,
            "What the peer chose, demands or is seen to accept elsewhere in the capture", HFILL }},
        { &hf_ikediag_mismatch,
          { "Mismatch", "ikediag.mismatch", FT_STRING, BASE_NONE, NULL, 0x0,
            "Which part is at odds (encryption, integrity, PRF, DH group, ESN, PFS, traffic selectors, ...)", HFILL }},
        { &hf_ikediag_hint,
          { "Hint", "ikediag.hint", FT_STRING, BASE_NONE, NULL, 0x0,
            "How to fix it, in configuration terms", HFILL }},
        { &hf_ikediag_evidence,
          { "Evidence in", "ikediag.evidence", FT_FRAMENUM, BASE_NONE, NULL, 0x0,
            "Other frames this finding rests on", HFILL }},
        { &hf_ikediag_possible,
          { "Possible cause", "ikediag.possible", FT_STRING, BASE_NONE, NULL, 0x0,
            "Another cause keyword the same evidence fits, most likely first (see docs/diagnoses.md)", HFILL }},
        { &hf_ikediag_possible_why,
          { "Possible cause: what tells it apart", "ikediag.possible_why", FT_STRING, BASE_NONE, NULL, 0x0,
            "For the ikediag.possible of the same position: what would single it out, or what to check", HFILL }},
    };

    static gint *ett[] = {
        &ett_ikediag,
        &ett_ikediag_finding,
    };

    /* Two expert infos per cause, built from the one cause list: the name
     * is the keyword with '_' for '-'. */
    static ei_register_info ei[2 * IKD_CAUSE_COUNT + 2];
    int n_ei = 0;
    for (int i = 0; i < IKD_CAUSE_COUNT; i++) {
        const ikd_cause_info *ci = ikd_cause_get((ikd_cause)i);
        char *name = g_strdelimit(g_strdup(ci->keyword), "-", '_');
        ei_register_info fail = { &ei_ikediag_cause[i].failure,
            { g_strdup_printf("ikediag.expert.%s", name), group_to_ws(ci->group),
              severity_to_ws(ci->severity), ci->title, EXPFILL }};
        ei_register_info rec = { &ei_ikediag_cause[i].recovered,
            { g_strdup_printf("ikediag.expert.%s.info", name), group_to_ws(ci->group),
              severity_to_ws(ci->recovered_severity), ci->title, EXPFILL }};
        g_free(name);
        ei_ikediag_cause[i].failure.ei = EI_INIT_EI;
        ei_ikediag_cause[i].failure.hf = EI_INIT_HF;
        ei_ikediag_cause[i].recovered = ei_ikediag_cause[i].failure;
        ei[n_ei++] = fail;
        ei[n_ei++] = rec;
    }
    ei_register_info retrans = { &ei_ikediag_retransmission,
        { "ikediag.expert.retransmission", PI_SEQUENCE, PI_NOTE, "IKE retransmission", EXPFILL }};
    ei_register_info undecrypted = { &ei_ikediag_undecrypted,
        { "ikediag.expert.undecrypted", PI_DECRYPTION, PI_CHAT, "Encrypted IKE message not decrypted", EXPFILL }};
    ei[n_ei++] = retrans;
    ei[n_ei++] = undecrypted;

    module_t *module;
    expert_module_t *expert_ikediag;

    proto_ikediag = proto_register_protocol("IKE Diagnostics", "IKEDIAG", "ikediag");
    proto_register_field_array(proto_ikediag, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_ikediag = expert_register_protocol(proto_ikediag);
    expert_register_field_array(expert_ikediag, ei, n_ei);

    module = prefs_register_protocol(proto_ikediag, NULL);
    prefs_register_uint_preference(module, "no_response_retransmits",
        "Retransmissions before \"no-response\"",
        "How many unanswered retransmissions of an IKE request make ikediag report no-response "
        "on the frame of the last one (a request still unanswered at the end of the capture is "
        "reported on a second pass whatever the count)",
        10, &pref_no_response_retransmits);
    prefs_register_bool_preference(module, "weak_crypto",
        "Report weak cryptography",
        "Warn about algorithms RFC 8247 / RFC 8221 mark MUST NOT or SHOULD NOT (DES, 3DES, MD5, "
        "SHA-1, MODP groups 1, 2, 5, 22-24, NULL encryption) on chosen SAs",
        &pref_weak_crypto);
    prefs_register_bool_preference(module, "report_deletes",
        "Note every SA deletion",
        "Add an sa-deleted note naming the SA and who deleted it to every Delete payload "
        "(off by default: every orderly teardown ends with one)",
        &pref_report_deletes);
    prefs_register_uint_preference(module, "esp_one_way_packets",
        "ESP packets one way before \"esp-one-way\"",
        "How many ESP packets in one direction, spanning at least half a second with none coming "
        "back, make ikediag report esp-one-way",
        10, &pref_esp_one_way_packets);
    prefs_register_bool_preference(module, "info_tags",
        "Tag the Info column",
        "Append [IKE: <cause>] to the Info column of frames that carry a failure or warning",
        &pref_info_tags);

    ikediag_handle = register_dissector("ikediag", dissect_ikediag, proto_ikediag);
    register_postdissector(ikediag_handle);
    register_init_routine(ikediag_init);
    register_cleanup_routine(ikediag_cleanup);
    ikediag_tap = register_tap("ikediag");
    ikd_stats_register();
    ikd_flow_register(proto_ikediag);
}

void
proto_reg_handoff_ikediag(void)
{
    ikd_extract_init();
}
