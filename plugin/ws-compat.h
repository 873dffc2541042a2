/* ws-compat.h
 * Every difference between the Wireshark versions ikediag builds against
 * (4.0 in Debian bookworm, 4.4 in trixie, 4.6 in sid) lives here and only
 * here.
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

/* field_info.value became a pointer in 4.2 (fvalue_t *). */
#if IKD_WS_AT_LEAST(4, 2)
#define IKD_FI_FVALUE(fi) ((fi)->value)
#else
#define IKD_FI_FVALUE(fi) (&(fi)->value)
#endif

static inline guint32
ikd_fi_uint(field_info *fi)
{
    return fvalue_get_uinteger(IKD_FI_FVALUE(fi));
}

/* Boolean preferences are "bool *" from 4.4 on; gboolean before. */
#if IKD_WS_AT_LEAST(4, 4)
typedef bool ikd_pref_bool;
#else
typedef gboolean ikd_pref_bool;
#endif

/* plugin_describe() lets "tshark -G plugins" say "dissector" (4.4+). */
#if IKD_WS_AT_LEAST(4, 4)
#include <wsutil/plugins.h>
#define IKD_HAVE_PLUGIN_DESCRIBE 1
#endif

#endif /* IKD_WS_COMPAT_H */
