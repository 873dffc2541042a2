/* stats.h
 * The ikediag tap's consumers: tshark -z ikediag,sa / ikediag,tree and the
 * GUI's Statistics menu.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IKD_STATS_H
#define IKD_STATS_H

#include "core/diagnose.h"

/* What the "ikediag" tap carries for each tracked frame: the frame's record
 * and the diagnosis it belongs to (whose SA records the statistics read
 * when drawing). */
typedef struct ikd_tap_record {
    ikd_diag *diag;
    const ikd_frame_info *fi;
} ikd_tap_record;

/* Called from proto_register_ikediag(). */
void ikd_stats_register(void);

#endif /* IKD_STATS_H */
