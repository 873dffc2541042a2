/* rules_nat.h
 * What the NAT family offers others (and the unit tests).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IKD_RULES_NAT_H
#define IKD_RULES_NAT_H

#include "tracker.h"

/* Which side a NAT hides, as seen from the capture point (the NAT-D hashes
 * that did not match). */
#define IKD_NAT_BEHIND_INITIATOR 0x01
#define IKD_NAT_BEHIND_RESPONDER 0x02
guint8 ikd_nat_behind(const ikd_sa *sa);

/* The NAT-D hash HASH(SPIi | SPIr | address | port) of RFC 7296 2.23
 * (SHA-1) and RFC 3947 (the negotiated hash, told by the payload's
 * length).  Writes it into out (64 bytes); returns its length, 0 when the
 * length names no known hash or the address is unset. */
gsize ikd_natd_hash(gsize hash_len, const guint8 ispi[8], const guint8 rspi[8],
                    const ikd_addr *addr, guint16 port, guint8 out[64]);

#endif /* IKD_RULES_NAT_H */
