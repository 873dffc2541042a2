/* stats.c
 * Statistics over the ikediag tap.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "ws-compat.h"
#include "stats.h"

void
ikd_stats_register(void)
{
}
