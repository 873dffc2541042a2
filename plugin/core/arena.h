/* arena.h
 * Memory that lives as long as the capture's analysis: the tracker's frame
 * records, exchanges and message digests, and the findings.  None of them
 * is freed alone, so they are cut from large blocks and freed together,
 * without malloc's per-object header (16 B on glibc) on a million objects.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IKEDIAG_ARENA_H
#define IKEDIAG_ARENA_H

#include <glib.h>

typedef struct ikd_arena ikd_arena;

ikd_arena *ikd_arena_new(void);
void       ikd_arena_free(ikd_arena *a);
/* 'size' zeroed bytes, aligned for any type; valid until ikd_arena_free(). */
gpointer   ikd_arena_alloc0(ikd_arena *a, gsize size);
/* Bytes taken from the system, blocks and their slack included. */
gsize      ikd_arena_bytes(const ikd_arena *a);

#define ikd_arena_new0(a, type) ((type *)ikd_arena_alloc0((a), sizeof(type)))

#endif /* IKEDIAG_ARENA_H */
