/* arena.c
 * Blocks of 64 KiB cut in order; an object larger than a quarter block gets
 * a block of its own, so that little is left unused at a block's end.
 *
 * Under AddressSanitizer every object is a malloc of its own, so that an
 * overrun of one still hits a redzone instead of its neighbour.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include "arena.h"

#if defined(__SANITIZE_ADDRESS__)
#define IKD_ARENA_PER_OBJECT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define IKD_ARENA_PER_OBJECT 1
#endif
#endif

#define IKD_ARENA_BLOCK (64 * 1024)
#define IKD_ARENA_ALIGN 8           /* the widest member of any core type: gint64, pointers */

typedef struct ikd_arena_block {
    struct ikd_arena_block *next;
    gsize used, size;
    /* the objects follow, from IKD_ARENA_ALIGN on */
} ikd_arena_block;

struct ikd_arena {
    ikd_arena_block *blocks;        /* the current one first */
    gsize bytes;
};

#define IKD_ARENA_HEAD ((sizeof(ikd_arena_block) + IKD_ARENA_ALIGN - 1) & ~(gsize)(IKD_ARENA_ALIGN - 1))

ikd_arena *
ikd_arena_new(void)
{
    return g_new0(ikd_arena, 1);
}

void
ikd_arena_free(ikd_arena *a)
{
    if (!a)
        return;
    for (ikd_arena_block *b = a->blocks, *next; b; b = next) {
        next = b->next;
        g_free(b);
    }
    g_free(a);
}

static ikd_arena_block *
new_block(ikd_arena *a, gsize size, gboolean current)
{
    ikd_arena_block *b = g_malloc(IKD_ARENA_HEAD + size);

    b->used = 0;
    b->size = size;
    if (current || !a->blocks) {
        b->next = a->blocks;
        a->blocks = b;
    } else {
        /* a large object's block goes behind the current one, which keeps
         * its free space */
        b->next = a->blocks->next;
        a->blocks->next = b;
    }
    a->bytes += IKD_ARENA_HEAD + size;
    return b;
}

gpointer
ikd_arena_alloc0(ikd_arena *a, gsize size)
{
    ikd_arena_block *b;
    guint8 *p;

    size = (size + IKD_ARENA_ALIGN - 1) & ~(gsize)(IKD_ARENA_ALIGN - 1);
#ifdef IKD_ARENA_PER_OBJECT
    b = new_block(a, size, FALSE);
#else
    b = a->blocks;
    if (size > IKD_ARENA_BLOCK / 4)
        b = new_block(a, size, FALSE);
    else if (!b || b->size - b->used < size)
        b = new_block(a, IKD_ARENA_BLOCK, TRUE);
#endif
    p = (guint8 *)b + IKD_ARENA_HEAD + b->used;
    b->used += size;
    memset(p, 0, size);
    return p;
}

gsize
ikd_arena_bytes(const ikd_arena *a)
{
    return a->bytes;
}
