/* stats.h
 * The ikediag tap's consumers: tshark -z ikediag,sa / ikediag,tree and the
 * GUI's Statistics menu.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IKD_STATS_H
#define IKD_STATS_H

/* Called from proto_register_ikediag(). */
void ikd_stats_register(void);

#endif /* IKD_STATS_H */
