/* findings.h
 * Findings: making, keeping and looking them up.  A finding is anchored on
 * the frame that carries it, on its IKE SA (outcome) and exchange
 * (diagnosed_in); the store owns them for the capture's lifetime.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IKD_FINDINGS_H
#define IKD_FINDINGS_H

#include <glib.h>

#include "tracker.h"

#define IKD_MAX_EVIDENCE 8
#define IKD_MAX_POSSIBLE 4

/* Another cause the same evidence fits (ikediag.possible), with what would
 * tell it apart from the primary cause (ikediag.possible_why). */
typedef struct ikd_possible {
    ikd_cause cause;
    char     *why;
} ikd_possible;

/* Members ordered so that no padding is left (128 B): one per finding. */
typedef struct ikd_finding {
    ikd_cause cause;
    gboolean  failure;
    guint32   frame;                /* the frame that carries it */
    guint32   recovered_in;         /* a refusal the peers got past: the frame that shows it
                                       (rules_proposals.c), 0 otherwise */
    guint32   evidence[IKD_MAX_EVIDENCE];
    char     *message;              /* a full sentence with frames and values */
    char     *offered, *chosen, *mismatch, *hint;   /* NULL when not known */
    ikd_sa   *sa;
    ikd_exchange *exchange;         /* NULL when not about one exchange */
    ikd_possible *possible;         /* n_possible of them, most likely first; room
                                       for IKD_MAX_POSSIBLE, made by the first
                                       (most findings have none) */
    struct ikd_finding *next_on_frame;
    gboolean  no_texts;             /* message, hint and possible[].why are left out
                                       (ikd_findings_set_texts()); the rest never is */
    guint8    n_evidence;
    guint8    n_possible;
} ikd_finding;

typedef struct ikd_findings ikd_findings;

/* The store for one capture; 't' places findings on its frames. */
ikd_findings *ikd_findings_new(ikd_tracker *t);
void ikd_findings_free(ikd_findings *fs);
guint32 ikd_findings_count(const ikd_findings *fs);
/* Whether findings made from now on get their sentences: the message, the
 * hint and what tells each possible cause apart (on by default).  The edge
 * turns them off for frames whose sentences nobody will read (a tshark run
 * that prints no tree, taps nothing and keeps no frame for a later pass):
 * formatting them is most of what a finding costs.  Cause, failure,
 * evidence, offered, chosen and mismatch are always filled, as rules read
 * them. */
void ikd_findings_set_texts(ikd_findings *fs, gboolean texts);
gboolean ikd_findings_texts(const ikd_findings *fs);

/* Report a finding on frame 'frame' (its first evidence).  A failure marks
 * the SA failed (or its child failed, once the IKE SA is up) and the
 * exchange failed; the first finding on an exchange is its diagnosis. */
ikd_finding *ikd_report(ikd_findings *fs, ikd_sa *sa, ikd_exchange *ex, guint32 frame,
                        ikd_cause cause, gboolean failure);
void ikd_finding_evidence(ikd_finding *f, guint32 frame);
/* A later frame shows that the failure f was recovered from (a refusal
 * retried with success): it stays as a note, and the SA's outcome and the
 * exchange's failed flag follow from the other findings.  Drawing shows it
 * from the second pass on (tshark -2, the GUI). */
void ikd_finding_recovered(ikd_finding *f);
void ikd_finding_message(ikd_finding *f, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Replaces the message with 'msg' (a g_malloc'ed string the finding takes
 * over), or frees 'msg' when the finding has no texts. */
void ikd_finding_take_message(ikd_finding *f, char *msg);
void ikd_finding_hint(ikd_finding *f, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Add 'cause' as another cause the finding's evidence fits, after those
 * added before (most likely first), with what tells it apart.  A cause
 * outside causes.def, the finding's own cause or one already listed is
 * refused (FALSE, with a critical warning for the first kind). */
gboolean ikd_finding_possible(ikd_finding *f, ikd_cause cause, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
gboolean ikd_finding_has_possible(const ikd_finding *f, ikd_cause cause);
void ikd_finding_set(char **field, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* Looking up. */
gboolean ikd_sa_has_cause(const ikd_sa *sa, ikd_cause cause);
/* Does any finding about this SA say it failed? */
gboolean ikd_sa_has_failure(const ikd_sa *sa);
/* The SA's findings, in report order. */
static inline guint32 ikd_sa_finding_count(const ikd_sa *sa) { return sa->n_findings; }
static inline const ikd_finding *ikd_sa_finding(const ikd_sa *sa, guint32 i) { return sa->findings[i]; }

#endif /* IKD_FINDINGS_H */
