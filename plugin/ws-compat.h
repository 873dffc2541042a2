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

#endif /* IKD_WS_COMPAT_H */
