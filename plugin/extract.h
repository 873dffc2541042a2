/* extract.h
 * Reading the stock dissectors' fields of one frame into an ikd_msg.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IKD_EXTRACT_H
#define IKD_EXTRACT_H

#include <epan/packet.h>

#include "core/model.h"

/* Resolves the wanted field names to ids (handoff); logs unknown names. */
void ikd_extract_init(void);
/* The ids to pass to set_postdissector_wanted_hfids(); owned by caller. */
GArray *ikd_extract_wanted_hfids(void);
/* Protocol ids whose presence in a frame makes it worth looking at. */
gboolean ikd_extract_frame_is_relevant(packet_info *pinfo);
/* An IP fragment not reassembled in this frame (IKE lost to fragmentation). */
gboolean ikd_extract_is_ip_fragment(packet_info *pinfo);
/* Fills m from the tree; returns FALSE when the frame holds nothing ikediag
 * tracks.  m was made with ikd_msg_init() and may hold an earlier frame's
 * message: only what that one used is cleared (ikd_msg_reset()). */
gboolean ikd_extract(packet_info *pinfo, tvbuff_t *frame_tvb, proto_tree *tree, ikd_msg *m);

#endif /* IKD_EXTRACT_H */
