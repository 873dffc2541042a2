/* floor-plugin.c
 * A post-dissector that does nothing but want fields: what any plugin built
 * like ikediag costs tshark before it does any work.  bench.sh builds it
 * twice (FLOOR_NAME "floor1": one field; "floorall": ikediag's own wanted
 * fields, listed in IKEDIAG_FLOOR_FIELDS at run time) and times it beside
 * stock tshark and ikediag.  Not installed, not a test.
 *
 * Why it exists: wanting a field makes tshark build a protocol tree for
 * every packet (postdissectors_want_hfids() in tshark.c) and a real item
 * wherever the field occurs.  Those costs are Wireshark's, not the rules';
 * this plugin measures them in the same run as the ratios it qualifies.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include <ws_version.h>

#include <epan/packet.h>
#include <epan/proto.h>

#ifndef FLOOR_NAME
#define FLOOR_NAME "floor1"
#endif

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = "0.0.1";
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);

static int proto_floor = -1;
static dissector_handle_t floor_handle;

static int
dissect_floor(tvbuff_t *tvb _U_, packet_info *pinfo _U_, proto_tree *tree _U_, void *data _U_)
{
    return 0;
}

static void
floor_init(void)
{
    GArray *ids = g_array_new(FALSE, FALSE, sizeof(int));
    const char *list = g_getenv("IKEDIAG_FLOOR_FIELDS");
    gchar **names = g_strsplit(list && *list ? list : "isakmp.ispi", ",", -1);

    for (gchar **n = names; *n; n++) {
        header_field_info *hfi = proto_registrar_get_byname(g_strstrip(*n));
        if (hfi)
            g_array_append_val(ids, hfi->id);
    }
    g_strfreev(names);
    set_postdissector_wanted_hfids(floor_handle, ids);
}

static void
floor_register(void)
{
    proto_floor = proto_register_protocol("Benchmark floor (" FLOOR_NAME ")", FLOOR_NAME, FLOOR_NAME);
    floor_handle = register_dissector(FLOOR_NAME, dissect_floor, proto_floor);
    register_postdissector(floor_handle);
    register_init_routine(floor_init);
}

void
plugin_register(void)
{
    static proto_plugin plug;

    plug.register_protoinfo = floor_register;
    plug.register_handoff = NULL;
    proto_register_plugin(&plug);
}
