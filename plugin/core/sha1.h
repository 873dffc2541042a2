/* sha1.h
 * SHA-1 (FIPS 180-4) of one buffer, for the NAT-D hashes (rules_nat.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IKD_SHA1_H
#define IKD_SHA1_H

#include <glib.h>

/* SHA-1 of data[0..len) into out[20].  Not for secrets: it recomputes the
 * hashes a message carries, to compare them. */
void ikd_sha1(const guint8 *data, gsize len, guint8 out[20]);

#endif /* IKD_SHA1_H */
