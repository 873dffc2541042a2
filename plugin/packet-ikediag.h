/* packet-ikediag.h
 * What the other epan-side files of ikediag need from the dissector.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef PACKET_IKEDIAG_H
#define PACKET_IKEDIAG_H

#include "core/tracker.h"

/* The tracker of the capture file being read; NULL between files. */
ikd_tracker *ikediag_tracker(void);

#endif /* PACKET_IKEDIAG_H */
