/* diagnose.h
 * The one entry into the core: each frame goes to the tracker, which places
 * it, then to the rule families, which report findings.  The epan edge,
 * unit tests and fuzzers drive the core through this and nothing else
 * that changes state.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IKD_DIAGNOSE_H
#define IKD_DIAGNOSE_H

#include "tracker.h"
#include "findings.h"

typedef struct ikd_diag ikd_diag;

ikd_diag *ikd_diag_new(const ikd_config *cfg);
void ikd_diag_free(ikd_diag *dg);

/* First pass, in frame order: track and diagnose one frame.  NULL when the
 * frame is of no interest.  A frame seen before (the first pass ran twice)
 * returns its earlier record untouched. */
ikd_frame_info *ikd_diag_add(ikd_diag *dg, const ikd_msg *m);
ikd_frame_info *ikd_diag_lookup(ikd_diag *dg, guint32 frame);
/* Whether the findings of the frames added from now on get their sentences
 * (ikd_findings_set_texts()); on by default. */
void ikd_diag_set_texts(ikd_diag *dg, gboolean texts);

/* End of capture (second pass, statistics): conclusions that need to know
 * nothing more will come, e.g. a request still unanswered at the end.  New
 * frames after it (a live capture, a file still being read) reopen it for
 * the SAs they touch. */
void ikd_diag_finish(ikd_diag *dg);
gboolean ikd_diag_finished(const ikd_diag *dg);

/* Read-only views for drawing and statistics. */
ikd_tracker *ikd_diag_tracker(ikd_diag *dg);
/* Approximate heap bytes held (the memory benchmark). */
gsize ikd_diag_memory(const ikd_diag *dg);

#endif /* IKD_DIAGNOSE_H */
