/* ws-compat.h
 * Every difference between the Wireshark versions ikediag builds against
 * (4.0 in Debian bookworm, 4.4 in trixie, 4.6 in sid) lives here and only
 * here.  tests/compat/ builds and tests the plugin on all three in fresh
 * chroots; docs/install.md lists the exact versions checked.
 *
 * Checked against 4.0.17, 4.4.19 and 4.6.9 and found NOT to differ (so no
 * macro is needed for them): the plugin entry points (plugin_version,
 * plugin_want_major/minor, plugin_register, proto_register_plugin),
 * header_field_info.same_name_prev_id/same_name_next, proto_registrar_*,
 * fvalue_get_uinteger/sinteger/uinteger64/string/time (fvalue_t *),
 * FT_FRAMENUM with FRAMENUM_TYPE(), register_postdissector and
 * set_postdissector_wanted_hfids, expert_register_field_array, the uint
 * preference (guint * == unsigned *), register_tap/tap_queue_packet,
 * nstime_delta, and the type of every field extract.c reads.
 *
 * One difference is in behaviour, not in the API, and extract.c handles it
 * at run time rather than here: 4.6 fakes unwanted protocol items at the top
 * of the tree too, where 4.0 and 4.4 keep them real, so the IP and UDP
 * header items that read_outer_header() reads are absent on 4.6 and pinfo
 * stands in (outer_from_pinfo()).  A run-time test, because it depends on
 * the tree tshark builds, not on the headers the plugin was built with.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IKD_WS_COMPAT_H
#define IKD_WS_COMPAT_H

#include <wireshark.h>
#include <epan/proto.h>
#include <epan/ftypes/ftypes.h>
#include <epan/address.h>
#include <epan/packet_info.h>
#include <epan/tap.h>

#define IKD_WS_AT_LEAST(maj, min) \
    (WIRESHARK_VERSION_MAJOR > (maj) || \
     (WIRESHARK_VERSION_MAJOR == (maj) && WIRESHARK_VERSION_MINOR >= (min)))

/* field_info.value: an embedded fvalue_t in 4.0, a fvalue_t * from 4.2 on
 * (checked in 4.4 and 4.6; 4.2 was not available to check).  gcc 14 makes
 * passing the wrong one a hard error (-Wincompatible-pointer-types). */
#if IKD_WS_AT_LEAST(4, 2)
#define IKD_FI_FVALUE(fi) ((fi)->value)
#else
#define IKD_FI_FVALUE(fi) (&(fi)->value)
#endif

/* The field-type predicates were renamed in 4.2: IS_FT_UINT32() became
 * FT_IS_UINT32() (likewise INT32, UINT64, INT64, STRING, TIME). */
#if IKD_WS_AT_LEAST(4, 2)
#define IKD_FT_IS_UINT32(ft) FT_IS_UINT32(ft)
#define IKD_FT_IS_INT32(ft)  FT_IS_INT32(ft)
#define IKD_FT_IS_UINT64(ft) FT_IS_UINT64(ft)
#define IKD_FT_IS_INT64(ft)  FT_IS_INT64(ft)
#define IKD_FT_IS_STRING(ft) FT_IS_STRING(ft)
#else
#define IKD_FT_IS_UINT32(ft) IS_FT_UINT32(ft)
#define IKD_FT_IS_INT32(ft)  IS_FT_INT32(ft)
#define IKD_FT_IS_UINT64(ft) IS_FT_UINT64(ft)
#define IKD_FT_IS_INT64(ft)  IS_FT_INT64(ft)
#define IKD_FT_IS_STRING(ft) IS_FT_STRING(ft)
#endif

/* An integer field's value, whatever its width.  fvalue_get_uinteger() on
 * a field of another type is an assertion failure (or a NULL call in a
 * release build), and a dissector may widen or re-sign a field in any
 * release: ask the registered type rather than trust today's. */
static inline guint32
ikd_fi_uint(field_info *fi)
{
    enum ftenum ft = fi->hfinfo->type;

    if (IKD_FT_IS_UINT32(ft))
        return fvalue_get_uinteger(IKD_FI_FVALUE(fi));
    if (IKD_FT_IS_UINT64(ft) || ft == FT_BOOLEAN)
        return (guint32)fvalue_get_uinteger64(IKD_FI_FVALUE(fi));
    if (IKD_FT_IS_INT32(ft))
        return (guint32)fvalue_get_sinteger(IKD_FI_FVALUE(fi));
    if (IKD_FT_IS_INT64(ft))
        return (guint32)fvalue_get_sinteger64(IKD_FI_FVALUE(fi));
    return 0;
}

/* A string field's value, or NULL when the field is not a string type. */
static inline const char *
ikd_fi_string(field_info *fi)
{
    if (!IKD_FT_IS_STRING(fi->hfinfo->type))
        return NULL;
    return fvalue_get_string(IKD_FI_FVALUE(fi));
}

/* Boolean preferences are "bool *" from 4.4 on (1 byte), "gboolean *"
 * (4 bytes) before: mixing them up is an incompatible-pointer error with
 * gcc 14 and a real memory bug with older compilers. */
#if IKD_WS_AT_LEAST(4, 4)
typedef bool ikd_pref_bool;
#else
typedef gboolean ikd_pref_bool;
#endif

/* plugin_describe() lets "tshark -G plugins" say "dissector" (4.4+;
 * without it the type shows as "unknown").  4.0 has no wsutil/plugins.h. */
#if IKD_WS_AT_LEAST(4, 4)
#include <wsutil/plugins.h>
#define IKD_HAVE_PLUGIN_DESCRIBE 1
#endif

/* The init callback of a "-z" statistic (stat_tap_ui.tap_init_cb) returns
 * bool from 4.6 on, false meaning the argument was refused; before, it
 * returns nothing and a bad argument ends tshark, as tshark's own
 * statistics do.  4.4.19 still has the void form.  stats.c spells out both
 * (its exit() is user-interface code, kept out of this dissector header). */
#if IKD_WS_AT_LEAST(4, 6)
#define IKD_STAT_INIT_RETURNS_BOOL 1
#endif

/* flow.c: Wireshark's flow graph (Statistics > Flow Graph, tshark -z flow,...).
 * libwireshark exports the sequence analysis API on 4.0, 4.4 and 4.6, but
 * none of them installs its header: Debian's libwireshark-dev 4.0.17,
 * 4.4.19 and 4.6.x have no epan/sequence_analysis.h.  So the part flow.c
 * uses is declared here, under ikediag's own type names: the functions,
 * the item (one arrow) and the leading members of the graph.
 *
 * The item's layout differs between the three, and nothing at build time
 * says so, so each was checked against the library itself, in its
 * disassembly: sequence_analysis_use_color_filter() writes has_color_filter
 * at offset 0x6c as 4 bytes on 4.0.17 (gboolean) and as 1 byte on 4.4.19
 * and 4.6.x (bool: display moves from 0x70 to 0x6d), and
 * sequence_analysis_create_sai_with_addresses() allocates 0x90, 0x88 and
 * 0x90 bytes: 4.6 adds a free callback for info_ptr at the end.  flow.c
 * only lets the library allocate items, and G_STATIC_ASSERT below keeps
 * these declarations at the sizes measured.  4.2 was not available to
 * check and is assumed to be like 4.0. */
#if IKD_WS_AT_LEAST(4, 4)
typedef bool ikd_seq_bool;
#else
typedef gboolean ikd_seq_bool;
#endif

typedef struct ikd_seq_item {
    guint32  frame_number;
    address  src_addr;
    guint16  port_src;
    address  dst_addr;
    guint16  port_dst;
    gchar   *frame_label;           /* above the arrow; g_free()d by the library */
    gchar   *time_str;
    gchar   *comment;               /* right of the graph */
    guint16  conv_num;              /* tshark prints it in a "Conv." column */
    unsigned fg_color, bg_color;
    ikd_seq_bool has_color_filter;
    ikd_seq_bool display;
    guint    src_node, dst_node;
    guint16  line_style;
    guint32  info_type;             /* an enum in the library; 0 none, 1 RTP */
    gpointer info_ptr;              /* g_free()d by the library (4.0, 4.4) */
#if IKD_WS_AT_LEAST(4, 6)
    void   (*free_info_ptr)(void *); /* 4.6: frees info_ptr when set */
#endif
} ikd_seq_item;

#if IKD_WS_AT_LEAST(4, 6)
G_STATIC_ASSERT(sizeof(ikd_seq_item) == 0x90);
#elif IKD_WS_AT_LEAST(4, 4)
G_STATIC_ASSERT(sizeof(ikd_seq_item) == 0x88);
#else
G_STATIC_ASSERT(sizeof(ikd_seq_item) == 0x90);
#endif

/* The graph: only its leading members, which have the same offsets in all
 * three (a bool or gboolean any_addr is padded to the int after it). */
typedef struct ikd_seq_info {
    const char  *name;
    ikd_seq_bool any_addr;          /* tshark: "standard" TRUE, "network" FALSE */
    int          nconv;
    GQueue      *items;             /* of ikd_seq_item, in frame order */
    /* ... more, never touched by flow.c */
} ikd_seq_info;

void register_seq_analysis(const char *name, const char *ui_name, const int proto_id,
                           const char *tap_listener, guint tap_flags, tap_packet_cb tap_func);
/* A zeroed item with the addresses (network or any, as the graph asks) and
 * the time string filled in; NULL when the frame has no such addresses. */
ikd_seq_item *sequence_analysis_create_sai_with_addresses(packet_info *pinfo, ikd_seq_info *sainfo);
void sequence_analysis_use_color_filter(packet_info *pinfo, ikd_seq_item *sai);

#endif /* IKD_WS_COMPAT_H */
