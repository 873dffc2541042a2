/* plugin.c
 * Plugin entry points.  Written by hand: Wireshark's make-plugin-reg.py
 * wants an uninstalled config.h, which an out-of-tree build does not have.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "ws-compat.h"

#include <epan/proto.h>

void proto_register_ikediag(void);
void proto_reg_handoff_ikediag(void);

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = IKEDIAG_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);
#ifdef IKD_HAVE_PLUGIN_DESCRIBE
WS_DLL_PUBLIC uint32_t plugin_describe(void);
#endif

void
plugin_register(void)
{
    static proto_plugin plug_ikediag;

    plug_ikediag.register_protoinfo = proto_register_ikediag;
    plug_ikediag.register_handoff = proto_reg_handoff_ikediag;
    proto_register_plugin(&plug_ikediag);
}

#ifdef IKD_HAVE_PLUGIN_DESCRIBE
uint32_t
plugin_describe(void)
{
    return WS_PLUGIN_DESC_DISSECTOR;
}
#endif
