/* stats.c
 * The consumers of the "ikediag" tap: a one-screen answer per capture.
 *
 *   tshark -q -z ikediag,sa[,filter]     one row per IKE SA (peers, version,
 *                                        mode, outcome, causes, frames,
 *                                        retransmissions)
 *   tshark -q -z ikediag,tree[,filter]   a stats tree: IKE SAs per outcome
 *                                        and per peer pair, findings per cause
 *
 * Both also appear in the GUI's Statistics menu: the SA table as a simple
 * statistics dialog (stat_tap_table_ui), the tree as a stats-tree plugin.
 *
 * The tap hands us one ikd_frame_info per tracked frame, but what a row
 * shows is a property of the whole IKE SA (its outcome, every cause, the
 * retransmission count), which the tracker already keeps.  So the packet
 * callbacks only note which SAs had a frame that passed the tap's filter;
 * the rows and counts are read from the tracker's SA records when drawing.
 * That also picks up the end-of-capture conclusions (an unanswered request
 * at the end of the file), which ikd_diag_finish() draws: in a one-pass
 * tshark run nothing has called it yet when the taps are drawn, so both
 * drawing paths call it first (it does nothing the second time).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ws-compat.h"

#include <epan/packet.h>
#include <epan/tap.h>
#include <epan/stat_tap_ui.h>
#include <epan/stats_tree.h>

#include "stats.h"

/* tap_init_cb's two forms (ws-compat.h) */
#ifdef IKD_STAT_INIT_RETURNS_BOOL
#define IKD_STAT_INIT_RET bool
#define IKD_STAT_INIT_OK() return true
#define IKD_STAT_INIT_FAIL() return false
#else
#define IKD_STAT_INIT_RET void
#define IKD_STAT_INIT_OK() return
#define IKD_STAT_INIT_FAIL() exit(1)
#endif
#include "core/findings.h"
#include "core/names.h"

#define IKD_STATS_TAP "ikediag"
#define IKD_STATS_SA_ARG "ikediag,sa"
/* The GUI's table has a -z name of its own: Wireshark turns every
 * stat_tap_table_ui into a generic tshark statistic of the same name, and
 * which of two registrations of one name wins is not a promise. */
#define IKD_STATS_SA_TABLE_ARG "ikediag,sa-table"
#define IKD_STATS_TREE_ABBR "ikediag"       /* tshark makes it "ikediag,tree" */

/* ------------------------------------------------------------ one SA as text */

static const char *
sa_version(const ikd_sa *sa)
{
    return sa->version >= 2 ? "IKEv2" : "IKEv1";
}

/* IKEv1: the phase 1 exchange (Main Mode, Aggressive Mode); "-" for IKEv2,
 * which has one way of setting up an SA, and for an IKEv1 SA whose phase 1
 * is not in the capture (only its Quick Modes or Informationals are). */
static const char *
sa_mode(const ikd_sa *sa)
{
    if (sa->version >= 2 || !sa->mode)
        return "-";
    return ikd_exchange_name(1, sa->mode);
}

/* "initiator -> responder"; "a <-> b" when the capture does not show who
 * started (it began in the middle of the SA). */
static char *
sa_peers(const ikd_sa *sa)
{
    char a[64], b[64];

    ikd_addr_to_str(&sa->init_addr, a, sizeof a);
    ikd_addr_to_str(&sa->resp_addr, b, sizeof b);
    return g_strdup_printf("%s %s %s", a, sa->initiator_known ? "->" : "<->", b);
}

/* The SA's cause keywords, each once: first those that broke something
 * (failure), then the rest, each group in catalogue order (causes.c) so
 * the text does not depend on the order the rules ran in. */
static char *
sa_causes(const ikd_sa *sa)
{
    guint8 seen[IKD_CAUSE_COUNT];
    GString *s = g_string_new(NULL);

    memset(seen, 0, sizeof seen);
    for (guint32 i = 0; i < sa->n_findings; i++) {
        const ikd_finding *f = sa->findings[i];
        if ((unsigned)f->cause < IKD_CAUSE_COUNT)
            seen[f->cause] |= f->failure ? 2 : 1;
    }
    for (int pass = 0; pass < 2; pass++) {
        for (int c = 0; c < IKD_CAUSE_COUNT; c++) {
            gboolean failed = (seen[c] & 2) != 0;
            if (!seen[c] || failed != (pass == 0))
                continue;
            if (s->len)
                g_string_append(s, ", ");
            g_string_append(s, ikd_cause_get((ikd_cause)c)->keyword);
        }
    }
    if (!s->len)
        g_string_append(s, "-");
    return g_string_free(s, FALSE);
}

/* The tracker of the diagnosis the tap's frames came from, with its
 * end-of-capture conclusions drawn; NULL when no frame was tapped. */
static ikd_tracker *
finished_tracker(ikd_diag *dg)
{
    if (!dg)
        return NULL;
    if (!ikd_diag_finished(dg))
        ikd_diag_finish(dg);
    return ikd_diag_tracker(dg);
}

/* ------------------------------------------- -z arguments: the shared parts */

/* "ikediag,sa" or "ikediag,sa,<filter>": the filter, "" for none, NULL when
 * opt_arg is not this statistic at all (e.g. "ikediag,sabc", which the
 * prefix match of process_stat_cmd_arg() hands us too). */
static const char *
stat_arg_filter(const char *opt_arg, const char *cli)
{
    size_t len = strlen(cli);

    if (strncmp(opt_arg, cli, len) != 0)
        return NULL;
    if (opt_arg[len] == '\0')
        return "";
    if (opt_arg[len] == ',')
        return opt_arg + len + 1;
    return NULL;
}

/* What tshark's own statistics do with a bad -z argument: say what is
 * accepted and stop, rather than print packets nobody asked for. */
static void
stat_arg_error(const char *opt_arg, const char *why)
{
    fprintf(stderr,
            "tshark: invalid -z argument \"%s\"%s%s\n"
            "  ikediag offers: -z ikediag,sa[,<display filter>]    one row per IKE SA\n"
            "                  -z ikediag,tree[,<display filter>]  IKE SAs per outcome and peers, findings per cause\n",
            opt_arg, why ? ": " : "", why ? why : "");
}

/* ------------------------------------------------------ -z ikediag,sa (CLI) */

typedef struct {
    char       *filter;
    GHashTable *seen;               /* SA number -> 1: SAs with a tapped frame */
    ikd_diag   *diag;               /* where they came from */
} sa_cli;

static void
sa_cli_reset(void *tapdata)
{
    sa_cli *c = tapdata;
    g_hash_table_remove_all(c->seen);
    c->diag = NULL;
}

static tap_packet_status
sa_cli_packet(void *tapdata, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
              const void *data, tap_flags_t flags _U_)
{
    sa_cli *c = tapdata;
    const ikd_tap_record *rec = data;
    const ikd_frame_info *fi = rec ? rec->fi : NULL;

    if (!fi || !fi->sa)
        return TAP_PACKET_DONT_REDRAW;
    c->diag = rec->diag;
    g_hash_table_add(c->seen, GUINT_TO_POINTER(fi->sa->number));
    return TAP_PACKET_REDRAW;
}

typedef struct {
    guint32 number;
    char   *peers, *causes;
    const char *version, *mode, *outcome;
    guint32 first, last, retrans;
} sa_row;

static void
sa_cli_draw(void *tapdata)
{
    sa_cli *c = tapdata;
    ikd_tracker *t = finished_tracker(c->diag);
    GArray *rows = g_array_new(FALSE, TRUE, sizeof(sa_row));
    int w_peers = (int)strlen("Initiator -> Responder");
    int w_outcome = (int)strlen("Outcome");
    int w_mode = (int)strlen("Mode");

    /* ikd_tracker_sas() is in order of first appearance, which is also SA
     * number order: the rows come out sorted by SA number. */
    for (ikd_sa *sa = t ? ikd_tracker_sas(t) : NULL; sa; sa = sa->next) {
        sa_row r;
        if (!g_hash_table_contains(c->seen, GUINT_TO_POINTER(sa->number)))
            continue;
        r.number = sa->number;
        r.peers = sa_peers(sa);
        r.causes = sa_causes(sa);
        r.version = sa_version(sa);
        r.mode = sa_mode(sa);
        r.outcome = ikd_outcome_name(sa->outcome);
        r.first = sa->first_frame;
        r.last = sa->last_frame;
        r.retrans = sa->n_retransmissions;
        w_peers = MAX(w_peers, (int)strlen(r.peers));
        w_outcome = MAX(w_outcome, (int)strlen(r.outcome));
        w_mode = MAX(w_mode, (int)strlen(r.mode));
        g_array_append_val(rows, r);
    }

    printf("\n==================================================================\n");
    printf("IKE SAs (ikediag)\n");
    printf("Filter: %s\n", c->filter && *c->filter ? c->filter : "<none>");
    printf("IKE SAs: %u\n", rows->len);
    printf("\n%4s  %-*s  %-7s  %-*s  %-*s  %7s  %7s  %7s  %s\n",
           "SA", w_peers, "Initiator -> Responder", "Version", w_mode, "Mode",
           w_outcome, "Outcome", "First", "Last", "Retrans", "Causes");
    for (guint i = 0; i < rows->len; i++) {
        sa_row *r = &g_array_index(rows, sa_row, i);
        printf("%4u  %-*s  %-7s  %-*s  %-*s  %7u  %7u  %7u  %s\n",
               r->number, w_peers, r->peers, r->version, w_mode, r->mode,
               w_outcome, r->outcome, r->first, r->last, r->retrans, r->causes);
        g_free(r->peers);
        g_free(r->causes);
    }
    printf("==================================================================\n");
    g_array_free(rows, TRUE);
}

static IKD_STAT_INIT_RET
sa_cli_init(const char *opt_arg, void *userdata _U_)
{
    const char *filter = stat_arg_filter(opt_arg, IKD_STATS_SA_ARG);
    sa_cli *c;
    GString *err;

    if (!filter) {
        stat_arg_error(opt_arg, NULL);
        IKD_STAT_INIT_FAIL();
    }
    c = g_new0(sa_cli, 1);
    c->filter = g_strdup(filter);
    c->seen = g_hash_table_new(g_direct_hash, g_direct_equal);
    err = register_tap_listener(IKD_STATS_TAP, c, *filter ? filter : NULL, TL_REQUIRES_NOTHING,
                                sa_cli_reset, sa_cli_packet, sa_cli_draw, NULL);
    if (err) {
        char *why = g_strdup(err->str);
        g_string_free(err, TRUE);
        g_hash_table_destroy(c->seen);
        g_free(c->filter);
        g_free(c);
        stat_arg_error(opt_arg, why);
        g_free(why);
        IKD_STAT_INIT_FAIL();
    }
    IKD_STAT_INIT_OK();
}

/* Any other "-z ikediag..." (the longer names above are matched first:
 * process_stat_cmd_arg() walks its sorted list from the end). */
static IKD_STAT_INIT_RET
unknown_cli_init(const char *opt_arg, void *userdata _U_)
{
    stat_arg_error(opt_arg, "no such ikediag statistic");
    IKD_STAT_INIT_FAIL();
}

/* ------------------------------------------------- the SA table in the GUI */

/* Column order of the GUI table; the CLI prints the same columns. */
enum {
    SA_COL_NUMBER,
    SA_COL_PEERS,
    SA_COL_VERSION,
    SA_COL_MODE,
    SA_COL_OUTCOME,
    SA_COL_FIRST,
    SA_COL_LAST,
    SA_COL_RETRANS,
    SA_COL_CAUSES,
    SA_NCOLS
};

static stat_tap_table_item sa_table_fields[SA_NCOLS] = {
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "IKE SA", "%u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Initiator -> Responder", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Version", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Mode", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Outcome", "%s" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "First frame", "%u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Last frame", "%u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Retransmissions", "%u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Causes", "%s" },
};

/* SA number -> row + 1 of the one table.  Every dialog of this kind shares
 * the stat_tap_table_ui's tables (Wireshark keeps them in the ui struct),
 * so one map goes with them; reset and init clear both together. */
static GHashTable *sa_table_rows;

static void
sa_table_init(stat_tap_table_ui *ui)
{
    stat_tap_table *table = stat_tap_find_table(ui, "IKE SAs");

    if (!table) {
        table = stat_tap_init_table("IKE SAs", SA_NCOLS, 0, NULL);
        stat_tap_add_table(ui, table);
    }
    if (!sa_table_rows)
        sa_table_rows = g_hash_table_new(g_direct_hash, g_direct_equal);
    g_hash_table_remove_all(sa_table_rows);
}

static void
set_uint(stat_tap_table_item_type *items, int col, guint v)
{
    items[col].type = TABLE_ITEM_UINT;
    items[col].value.uint_value = v;
}

static void
set_string(stat_tap_table_item_type *items, int col, char *v)
{
    items[col].type = TABLE_ITEM_STRING;
    items[col].value.string_value = v;   /* owned; freed in sa_table_free_item */
}

static void
sa_table_fill(stat_tap_table_item_type *items, const ikd_sa *sa)
{
    set_uint(items, SA_COL_NUMBER, sa->number);
    set_string(items, SA_COL_PEERS, sa_peers(sa));
    set_string(items, SA_COL_VERSION, g_strdup(sa_version(sa)));
    set_string(items, SA_COL_MODE, g_strdup(sa_mode(sa)));
    set_string(items, SA_COL_OUTCOME, g_strdup(ikd_outcome_name(sa->outcome)));
    set_uint(items, SA_COL_FIRST, sa->first_frame);
    set_uint(items, SA_COL_LAST, sa->last_frame);
    set_uint(items, SA_COL_RETRANS, sa->n_retransmissions);
    set_string(items, SA_COL_CAUSES, sa_causes(sa));
}

static void
free_items(stat_tap_table_item_type *items, guint n)
{
    for (guint i = 0; i < n; i++) {
        if (items[i].type == TABLE_ITEM_STRING) {
            g_free((char *)items[i].value.string_value);
            items[i].value.string_value = NULL;
        }
    }
}

/* The GUI retaps an open file: every frame has been seen, the dissector
 * has already drawn the end-of-capture conclusions (a visited frame makes
 * it call ikd_diag_finish()), so the SA record is final when its first
 * frame comes by.  The row is written again on the SA's last frame, which
 * keeps it right while a live capture is still adding to the SA. */
static tap_packet_status
sa_table_packet(void *tapdata, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                const void *data, tap_flags_t flags _U_)
{
    stat_data_t *sd = tapdata;
    const ikd_tap_record *rec = data;
    const ikd_frame_info *fi = rec ? rec->fi : NULL;
    stat_tap_table *table;
    gpointer row_p;
    guint row;

    if (!fi || !fi->sa || !sd->stat_tap_data->tables || !sd->stat_tap_data->tables->len)
        return TAP_PACKET_DONT_REDRAW;
    table = g_array_index(sd->stat_tap_data->tables, stat_tap_table *, 0);

    if (g_hash_table_lookup_extended(sa_table_rows, GUINT_TO_POINTER(fi->sa->number), NULL, &row_p)) {
        row = GPOINTER_TO_UINT(row_p);
        if (fi->frame != fi->sa->last_frame || row >= table->num_elements)
            return TAP_PACKET_DONT_REDRAW;
        free_items(table->elements[row], table->num_fields);
        sa_table_fill(table->elements[row], fi->sa);
    } else {
        stat_tap_table_item_type items[SA_NCOLS];
        memset(items, 0, sizeof items);
        row = table->num_elements;
        sa_table_fill(items, fi->sa);
        stat_tap_init_table_row(table, row, SA_NCOLS, items);
        g_hash_table_insert(sa_table_rows, GUINT_TO_POINTER(fi->sa->number), GUINT_TO_POINTER(row));
    }
    return TAP_PACKET_REDRAW;
}

/* A reset (new retap) drops the rows: their number of elements is what the
 * dialog counts rows by. */
static void
sa_table_reset(stat_tap_table *table)
{
    for (guint i = 0; i < table->num_elements; i++) {
        free_items(table->elements[i], table->num_fields);
        g_free(table->elements[i]);
    }
    g_free(table->elements);
    table->elements = NULL;
    table->num_elements = 0;
    if (sa_table_rows)
        g_hash_table_remove_all(sa_table_rows);
}

static void
sa_table_free_item(stat_tap_table *table _U_, guint row _U_, guint column _U_,
                   stat_tap_table_item_type *field_data)
{
    if (field_data->type == TABLE_ITEM_STRING) {
        g_free((char *)field_data->value.string_value);
        field_data->value.string_value = NULL;
    }
}

/* ------------------------------------------------------ -z ikediag,tree */

#define TREE_OUTCOMES "IKE SAs by outcome"
#define TREE_PEERS    "IKE SAs by peers"
#define TREE_CAUSES   "Findings by cause"

/* One per stats tree instance: the tree's packet callback notes the SAs
 * whose frames passed its filter; a second listener on the same tap, with
 * no packet work, turns them into counts when drawing.  It is registered
 * from the tree's init callback, i.e. after the tree's own listener, and
 * Wireshark draws the most recently registered listener first, so the
 * counts are in place before the tree is printed or shown. */
typedef struct {
    stats_tree *st;
    GHashTable *seen;               /* SA number -> 1 */
    ikd_diag   *diag;               /* where they came from */
    gboolean    listening;
    int         id_outcomes, id_peers, id_causes;
} tree_state;

static GHashTable *tree_states;     /* stats_tree * -> tree_state * */

static void
tree_helper_reset(void *tapdata)
{
    tree_state *ts = tapdata;
    g_hash_table_remove_all(ts->seen);
    ts->diag = NULL;
}

static tap_packet_status
tree_helper_packet(void *tapdata _U_, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                   const void *data _U_, tap_flags_t flags _U_)
{
    return TAP_PACKET_DONT_REDRAW;
}

/* Wireshark frees the helper listener itself when it tears down all taps
 * (tap_cleanup(), as tshark 4.6 does at exit before the stats tree's own
 * cleanup runs); tree_cleanup() must then not remove it a second time, or
 * it frees the listener twice ("double free or corruption", exit 134). */
static void
tree_helper_finish(void *tapdata)
{
    tree_state *ts = tapdata;
    ts->listening = FALSE;
}

static void
tree_helper_draw(void *tapdata)
{
    tree_state *ts = tapdata;
    stats_tree *st = ts->st;
    ikd_tracker *t = finished_tracker(ts->diag);
    guint outcome_n[IKD_OUTCOME_ENCRYPTED + 1];
    guint cause_n[IKD_CAUSE_COUNT];
    guint n_sas = 0, n_findings = 0;
    GHashTable *peers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

    memset(outcome_n, 0, sizeof outcome_n);
    memset(cause_n, 0, sizeof cause_n);
    for (ikd_sa *sa = t ? ikd_tracker_sas(t) : NULL; sa; sa = sa->next) {
        guint *per_peer;
        char *key;
        if (!g_hash_table_contains(ts->seen, GUINT_TO_POINTER(sa->number)))
            continue;
        n_sas++;
        if ((unsigned)sa->outcome <= IKD_OUTCOME_ENCRYPTED)
            outcome_n[sa->outcome]++;
        for (guint32 i = 0; i < sa->n_findings; i++) {
            if ((unsigned)sa->findings[i]->cause < IKD_CAUSE_COUNT) {
                cause_n[sa->findings[i]->cause]++;
                n_findings++;
            }
        }
        key = sa_peers(sa);
        per_peer = g_hash_table_lookup(peers, key);
        if (!per_peer) {
            per_peer = g_new0(guint, IKD_OUTCOME_ENCRYPTED + 2);
            g_hash_table_insert(peers, key, per_peer);
        } else {
            g_free(key);
        }
        per_peer[0]++;
        if ((unsigned)sa->outcome <= IKD_OUTCOME_ENCRYPTED)
            per_peer[1 + sa->outcome]++;
    }

    /* Counts are set, not ticked: a redraw must not add them twice. */
    set_stat_node(st, TREE_OUTCOMES, 0, TRUE, (int)n_sas);
    for (int o = 0; o <= IKD_OUTCOME_ENCRYPTED; o++)
        set_stat_node(st, ikd_outcome_name((ikd_outcome)o), ts->id_outcomes, FALSE, (int)outcome_n[o]);

    set_stat_node(st, TREE_CAUSES, 0, TRUE, (int)n_findings);
    for (int c = 0; c < IKD_CAUSE_COUNT; c++) {
        if (cause_n[c])
            set_stat_node(st, ikd_cause_get((ikd_cause)c)->keyword, ts->id_causes, FALSE, (int)cause_n[c]);
    }

    set_stat_node(st, TREE_PEERS, 0, TRUE, (int)n_sas);
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, peers);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        guint *per_peer = v;
        int id = set_stat_node(st, (const char *)k, ts->id_peers, TRUE, (int)per_peer[0]);
        for (int o = 0; o <= IKD_OUTCOME_ENCRYPTED; o++) {
            if (per_peer[1 + o] && id >= 0)
                set_stat_node(st, ikd_outcome_name((ikd_outcome)o), id, FALSE, (int)per_peer[1 + o]);
        }
    }
    g_hash_table_destroy(peers);
}

static void
tree_init(stats_tree *st)
{
    tree_state *ts;

    if (!tree_states)
        tree_states = g_hash_table_new(g_direct_hash, g_direct_equal);
    ts = g_hash_table_lookup(tree_states, st);
    if (!ts) {
        ts = g_new0(tree_state, 1);
        ts->st = st;
        ts->seen = g_hash_table_new(g_direct_hash, g_direct_equal);
        g_hash_table_insert(tree_states, st, ts);
        /* The GUI calls init again on every retap; the nodes stay. */
        ts->id_causes = stats_tree_create_node(st, TREE_CAUSES, 0, STAT_DT_INT, TRUE);
        ts->id_outcomes = stats_tree_create_node(st, TREE_OUTCOMES, 0, STAT_DT_INT, TRUE);
        ts->id_peers = stats_tree_create_node(st, TREE_PEERS, 0, STAT_DT_INT, TRUE);
    }
    g_hash_table_remove_all(ts->seen);
    if (!ts->listening) {
        GString *err = register_tap_listener(IKD_STATS_TAP, ts, NULL, TL_REQUIRES_NOTHING,
                                             tree_helper_reset, tree_helper_packet,
                                             tree_helper_draw, tree_helper_finish);
        if (err)
            g_string_free(err, TRUE);   /* cannot happen: no filter */
        else
            ts->listening = TRUE;
    }
}

static tap_packet_status
tree_packet(stats_tree *st, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
            const void *data, tap_flags_t flags _U_)
{
    const ikd_tap_record *rec = data;
    const ikd_frame_info *fi = rec ? rec->fi : NULL;
    tree_state *ts = tree_states ? g_hash_table_lookup(tree_states, st) : NULL;

    if (!ts || !fi || !fi->sa)
        return TAP_PACKET_DONT_REDRAW;
    ts->diag = rec->diag;
    g_hash_table_add(ts->seen, GUINT_TO_POINTER(fi->sa->number));
    return TAP_PACKET_REDRAW;
}

static void
tree_cleanup(stats_tree *st)
{
    tree_state *ts = tree_states ? g_hash_table_lookup(tree_states, st) : NULL;

    if (!ts)
        return;
    if (ts->listening)
        remove_tap_listener(ts);
    g_hash_table_remove(tree_states, st);
    g_hash_table_destroy(ts->seen);
    g_free(ts);
}

/* ------------------------------------------------------------ registration */

void
ikd_stats_register(void)
{
    /* -z ikediag,sa is the CLI table's alone; the GUI's dialog table is
     * -z ikediag,sa-table (see IKD_STATS_SA_TABLE_ARG). */
    static stat_tap_ui sa_cli_ui = {
        REGISTER_PACKET_STAT_GROUP_UNSORTED, "IKE SAs (ikediag)", IKD_STATS_SA_ARG,
        sa_cli_init, 0, NULL
    };
    static stat_tap_ui unknown_ui = {
        REGISTER_PACKET_STAT_GROUP_UNSORTED, NULL, "ikediag",
        unknown_cli_init, 0, NULL
    };
    static stat_tap_table_ui sa_table_ui = {
        REGISTER_PACKET_STAT_GROUP_UNSORTED,
        "IKE SAs (ikediag)",
        IKD_STATS_TAP,
        IKD_STATS_SA_TABLE_ARG,
        sa_table_init,
        sa_table_packet,
        sa_table_reset,
        sa_table_free_item,
        NULL,
        SA_NCOLS, sa_table_fields,
        0, NULL,
        NULL,
        0
    };

    register_stat_tap_ui(&sa_cli_ui, NULL);
    register_stat_tap_ui(&unknown_ui, NULL);
    register_stat_tap_table_ui(&sa_table_ui);

    /* Sorted by name, so the output is stable whatever the counts. */
    stats_tree_register_plugin(IKD_STATS_TAP, IKD_STATS_TREE_ABBR, "IKE Diagnostics (ikediag)",
                               ST_SORT_COL_NAME << ST_FLG_SRTCOL_SHIFT,
                               tree_packet, tree_init, tree_cleanup);
}
