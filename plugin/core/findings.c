/* findings.c
 * Making, keeping and looking up findings.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <stdarg.h>
#include <string.h>

#include "arena.h"
#include "findings.h"

struct ikd_findings {
    ikd_tracker *t;
    GPtrArray   *all;               /* every finding, for freeing their texts */
    ikd_arena   *arena;             /* the findings themselves */
    gboolean     no_texts;          /* ikd_findings_set_texts(FALSE) */
};

static void
free_finding(gpointer p)
{
    ikd_finding *f = p;
    g_free(f->message);
    g_free(f->offered);
    g_free(f->chosen);
    g_free(f->mismatch);
    g_free(f->hint);
    for (guint i = 0; i < f->n_possible; i++)
        g_free(f->possible[i].why);
    g_free(f->possible);
}

ikd_findings *
ikd_findings_new(ikd_tracker *t)
{
    ikd_findings *fs = g_new0(ikd_findings, 1);
    fs->t = t;
    fs->all = g_ptr_array_new_with_free_func(free_finding);
    fs->arena = ikd_arena_new();
    return fs;
}

void
ikd_findings_free(ikd_findings *fs)
{
    if (!fs)
        return;
    g_ptr_array_free(fs->all, TRUE);
    ikd_arena_free(fs->arena);
    g_free(fs);
}

void
ikd_findings_set_texts(ikd_findings *fs, gboolean texts)
{
    fs->no_texts = !texts;
}

gboolean
ikd_findings_texts(const ikd_findings *fs)
{
    return !fs->no_texts;
}

guint32
ikd_findings_count(const ikd_findings *fs)
{
    return fs->all->len;
}

ikd_finding *
ikd_report(ikd_findings *fs, ikd_sa *sa, ikd_exchange *ex, guint32 frame,
           ikd_cause cause, gboolean failure)
{
    ikd_finding *f = ikd_arena_new0(fs->arena, ikd_finding);
    ikd_frame_info *fi;

    f->no_texts = fs->no_texts;
    f->cause = cause;
    f->failure = failure;
    f->frame = frame;
    f->sa = sa;
    f->exchange = ex;
    g_ptr_array_add(fs->all, f);
    ikd_tracker_account(fs->t, sizeof *f);

    /* Keep the frame's findings in report order. */
    fi = ikd_tracker_lookup(fs->t, frame);
    if (fi) {
        ikd_finding **pp = &fi->findings;
        while (*pp)
            pp = &(*pp)->next_on_frame;
        *pp = f;
    }
    if (sa) {
        if (sa->n_findings == sa->findings_cap) {
            sa->findings_cap = sa->findings_cap ? 2 * sa->findings_cap : 4;
            sa->findings = g_renew(ikd_finding *, sa->findings, sa->findings_cap);
        }
        sa->findings[sa->n_findings++] = f;
        if (failure) {
            sa->outcome = sa->ike_established ? IKD_OUTCOME_CHILD_FAILED : IKD_OUTCOME_FAILED;
            if (sa->ike_established)
                sa->child_failed = TRUE;
        }
    }
    if (ex && !ex->diagnosed_in) {
        ex->diagnosed_in = frame;
        ex->diagnosed_cause = cause;
    }
    if (ex && failure)
        ex->failed = TRUE;
    ikd_finding_evidence(f, frame);
    return f;
}

void
ikd_finding_evidence(ikd_finding *f, guint32 frame)
{
    if (!frame)
        return;
    for (guint i = 0; i < f->n_evidence; i++) {
        if (f->evidence[i] == frame)
            return;
    }
    if (f->n_evidence < IKD_MAX_EVIDENCE)
        f->evidence[f->n_evidence++] = frame;
}

void
ikd_finding_recovered(ikd_finding *f)
{
    ikd_sa *sa = f->sa;
    ikd_exchange *ex = f->exchange;

    if (!f->failure)
        return;
    f->failure = FALSE;
    if (!sa)
        return;
    if (ex) {
        ex->failed = FALSE;
        for (guint32 i = 0; i < sa->n_findings; i++) {
            if (sa->findings[i]->exchange == ex && sa->findings[i]->failure)
                ex->failed = TRUE;
        }
    }
    if (!ikd_sa_has_failure(sa)) {
        sa->outcome = sa->ike_established ? IKD_OUTCOME_ESTABLISHED : IKD_OUTCOME_INCOMPLETE;
        sa->child_failed = FALSE;
    }
}

void
ikd_finding_set(char **field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_free(*field);
    *field = g_strdup_vprintf(fmt, ap);
    va_end(ap);
}

gboolean
ikd_finding_has_possible(const ikd_finding *f, ikd_cause cause)
{
    for (guint i = 0; i < f->n_possible; i++) {
        if (f->possible[i].cause == cause)
            return TRUE;
    }
    return FALSE;
}

gboolean
ikd_finding_possible(ikd_finding *f, ikd_cause cause, const char *fmt, ...)
{
    va_list ap;

    /* Only keywords of causes.def: ikediag.possible is filtered on. */
    if ((guint)cause >= IKD_CAUSE_COUNT) {
        g_critical("ikd_finding_possible: %d is not a cause of causes.def", (int)cause);
        return FALSE;
    }
    if (cause == f->cause || ikd_finding_has_possible(f, cause) || f->n_possible >= IKD_MAX_POSSIBLE)
        return FALSE;
    if (!f->possible)
        f->possible = g_new0(ikd_possible, IKD_MAX_POSSIBLE);
    va_start(ap, fmt);
    f->possible[f->n_possible].cause = cause;
    f->possible[f->n_possible].why = f->no_texts ? NULL : g_strdup_vprintf(fmt, ap);
    f->n_possible++;
    va_end(ap);
    return TRUE;
}

/* A sentence of the finding (message, hint), unless it has no texts. */
static void
set_text(const ikd_finding *f, char **field, const char *fmt, va_list ap)
{
    if (f->no_texts)
        return;
    g_free(*field);
    /* Most hints are fixed text: a copy costs a fraction of a printf. */
    *field = strchr(fmt, '%') ? g_strdup_vprintf(fmt, ap) : g_strdup(fmt);
}

void
ikd_finding_message(ikd_finding *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_text(f, &f->message, fmt, ap);
    va_end(ap);
}

void
ikd_finding_hint(ikd_finding *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_text(f, &f->hint, fmt, ap);
    va_end(ap);
}

gboolean
ikd_sa_has_failure(const ikd_sa *sa)
{
    for (guint32 i = 0; i < sa->n_findings; i++) {
        if (sa->findings[i]->failure)
            return TRUE;
    }
    return FALSE;
}

gboolean
ikd_sa_has_cause(const ikd_sa *sa, ikd_cause cause)
{
    for (guint32 i = 0; i < sa->n_findings; i++) {
        if (sa->findings[i]->cause == cause)
            return TRUE;
    }
    return FALSE;
}

void
ikd_finding_take_message(ikd_finding *f, char *msg)
{
    if (f->no_texts) {
        g_free(msg);
        return;
    }
    g_free(f->message);
    f->message = msg;
}
