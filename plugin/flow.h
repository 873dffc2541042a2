/* flow.h
 * The "ikediag" flow graph: Statistics > Flow Graph, flow type
 * "IKE (ikediag)"; tshark -z flow,ikediag,network and -z flow,ikediag,standard.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IKD_FLOW_H
#define IKD_FLOW_H

#include <glib.h>

#include "core/findings.h"

/* Called once from proto_register_ikediag(), after the "ikediag" tap. */
void ikd_flow_register(int proto_id);

/* Place of a message in its exchange, as ikediag.message shows it: "MM5",
 * "AM1", "QM2", "request", "response", "final", "one-way"; "ESP",
 * "ICMP error", "IP fragment"; "" when the frame belongs to no exchange
 * (exch_type 0).  Either a literal or written to buf.  (This was
 * message_label() in packet-ikediag.c: the tree and the flow graph share it
 * so that they name a message the same way.) */
const char *ikd_message_label(guint8 exch_type, ikd_role role, guint8 phase1_msg, guint8 quick_msg,
                              char *buf, gsize len);

/* The text above one arrow of the flow graph: "IKE_SA_INIT request",
 * "MM5", "QM2", "INFORMATIONAL response", "ICMP error for IKE_SA_INIT",
 * then " [cause]" for each cause the frame carries ("IKE_AUTH response
 * [psk-mismatch]").  exch_type 0: no exchange known.  Newly allocated
 * (g_free); NULL when the frame gets no arrow of its own (ESP, which is
 * drawn once per SPI and direction, and frames of no exchange without a
 * finding). */
char *ikd_flow_label(guint8 version, guint8 exch_type, ikd_role role, guint8 phase1_msg,
                     guint8 quick_msg, const ikd_finding *findings);

/* Appends " [cause]" for each finding of the list not in s already. */
void ikd_flow_append_causes(GString *s, const ikd_finding *findings);

#endif /* IKD_FLOW_H */
